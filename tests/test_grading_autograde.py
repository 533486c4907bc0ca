"""Parallel autograde of a synthetic class of a01: scores, limits, tampering, anomalies, crash and rerun.

The class (built in tmp_path from the a01 master and release): the master notebook, the correct answers typed
into the student version, the untouched version, the typical-mistakes submission, late ones, six partial ones
and the hostile ones of ``tests/submissions/hostile/a01-posting-schedule-hostile.yaml`` — 62 in all — graded
on the isolated route (``smmkit grade autograde``) while plain ``nbgrader autograde`` grades a copy.

Besides each score and each anomaly flag, the suite checks what the attacks were after: no hidden test, model
answer or grader's environment value in a student's outputs, no process left running, no datagram or connection
out, no file of the course changed outside nbgrader's own folders (``git status`` of the course).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import yaml

from smmkit import assignments
from smmkit.grading.kernel_launch import landlock_abi
from smmkit.notebooks import read, write

ROOT = Path(__file__).resolve().parents[1]
A = "a01-posting-schedule"
HOSTILE = yaml.safe_load((ROOT / "tests" / "submissions" / "hostile" / f"{A}-hostile.yaml").read_text("utf-8"))
# The combined typical-mistakes submission (answers not listed keep the master's; cells not listed score full).
TYPICAL = next(s for s in yaml.safe_load((ROOT / "tests" / "submissions" / f"{A}.yaml").read_text("utf-8"))
               ["submissions"] if s["name"] == "typical")
TESTS = ["q1-local-time-tests", "q2-rates-tests", "q3-by-slot-tests", "q4-best-hour-tests",
         "q5-plan-ready-tests", "q6-upload-tests"]
FULL = {"q1-local-time-tests": 2, "q2-rates-tests": 2, "q3-by-slot-tests": 3, "q4-best-hour-tests": 2,
        "q5-plan-ready-tests": 3, "q6-upload-tests": 3}
ZERO = dict.fromkeys(TESTS, 0)
# Blanking one answer costs only that question: in autograde the later questions start from reference inputs
# (no cascades; see the hidden parts of a01's test cells).
PARTIAL = {gid.removesuffix("-tests"): [gid] for gid in TESTS}
LIMITS = {"timeout": 5, "memory_mb": 1024, "max_output_kb": 64}
ON_TIME = "2026-03-01 12:00:00.000000 UTC"
LATE = "2026-03-20 12:00:00.000000 UTC"
DUE = "2026-03-10 23:59:00"
# Resource attacks are graded under the sandbox's limits, which plain `nbgrader autograde` does not have, so
# they are left out of the parallel == serial comparison (a memory bomb without a limit could take the machine).
RESOURCE = {"infinite-loop", "stubborn-loop", "memory-bomb", "output-flood", "os-exit", "segfault", "huge-print"}
# Monkeypatching attacks that plain nbgrader rewards and the sandbox's guard does not (compared separately).
GUARDED = {c["name"] for c in HOSTILE["hostile"] if c.get("guarded")}
# Attacks outside the submission's folder, walled in by Landlock: the ABI each needs; kill-grader would kill
# plain nbgrader itself, so it is left out of the serial run too.
CONTAINED = {c["name"]: int(c["contained"]) for c in HOSTILE["hostile"] if c.get("contained")}
ABI = landlock_abi()
NOT_SERIAL = RESOURCE | {"kill-grader"} | {c["name"] for c in HOSTILE["hostile"] if c.get("serial") == "skip"}
# Attacks on the tests' process that plain nbgrader rewards and the isolated route does not.
FOOLS_PLAIN = {c["name"] for c in HOSTILE["hostile"] if c.get("serial") == "fooled"}
SECRET = f"smmkit-secret-{uuid.uuid4().hex}"
# What nbgrader itself writes in a course while grading; anything else changed is an attack that got out.
# The serial plain-nbgrader run (CPU the suite's 10-minute budget feels) grades the honest work and the attacks
# whose plain score the comparison needs (fooled, guarded, contained); the other attacks score the same on both
# routes by construction and are checked on the isolated route only.
SERIAL_HOSTILE = FOOLS_PLAIN | GUARDED | set(CONTAINED) | {"edited-test-cell", "sys-exit", "shadow-builtins"}
NOT_SERIAL = NOT_SERIAL | {c["name"] for c in HOSTILE["hostile"]} - SERIAL_HOSTILE
GRADER_WRITES = ("autograded/", "grader/gradebook.db", "grader/logs/", "grader/backups/", "feedback/")


def make_course(tmp: Path) -> Path:
    """A scratch course: the kit's nbgrader config, a01's master, its release and a gradebook that knows it."""
    assignments.scratch_course(ROOT, A, tmp)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{tmp / 'grader' / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment(A, duedate=DUE)
    return tmp


def correct_answers() -> dict[str, str]:
    nb = read(ROOT / "solutions" / A / f"{A}.ipynb")
    out = {}
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            lines = [ln for ln in _src(cell).splitlines() if "SOLUTION" not in ln]
            out[meta["grade_id"]] = "\n".join(lines)
    return out


def _src(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _cells_by_id(nb: dict) -> dict[str, dict]:
    return {c["metadata"].get("nbgrader", {}).get("grade_id"): c for c in nb["cells"]}


def _transform(nb: dict, spec: dict) -> dict:
    op, gid = spec["op"], spec.get("grade_id") or spec["after"]
    index = next(i for i, c in enumerate(nb["cells"]) if c["metadata"].get("nbgrader", {}).get("grade_id") == gid)
    cell = nb["cells"][index]
    if op == "set_source":
        cell["source"] = spec["source"]
    elif op == "delete":
        del nb["cells"][index]
    elif op == "metadata":
        cell["metadata"]["nbgrader"].update(spec["set"])
        if "source" in spec:
            cell["source"] = spec["source"]
    elif op == "duplicate":
        twin = copy.deepcopy(cell)
        if "source" in spec:
            cell["source"] = spec["source"]
        twin["source"] = spec.get("source", twin["source"])
        nb["cells"].insert(index + 1, twin)
    elif op == "add_cell":
        new = {"cell_type": "code", "id": "bonus-cell", "metadata": {"nbgrader": spec["nbgrader"]},
               "source": spec["source"], "outputs": [], "execution_count": None}
        nb["cells"].insert(index + 1, new)
    elif op == "split":
        lines = _src(cell).splitlines()
        half = len(lines) // 2
        twin = copy.deepcopy(cell)
        cell["source"] = "\n".join(lines[:half])
        twin["source"] = "\n".join(lines[half:])
        twin["id"] = cell.get("id", "x") + "-2"
        nb["cells"].insert(index + 1, twin)
    else:
        raise ValueError(op)
    return nb


def _with_answers(release: dict, answers: dict[str, str]) -> dict:
    nb = copy.deepcopy(release)
    by_id = _cells_by_id(nb)
    for gid, source in answers.items():
        by_id[gid]["source"] = source
    return nb


def build_class(course: Path, ports: dict[str, int] | None = None) -> dict[str, dict[str, float]]:
    """Write the submissions into ``course/submitted``; return the expected score of every test cell."""
    fill = {"{secret}": SECRET, **{f"{{{k}}}": str(v) for k, v in (ports or {}).items()}}
    release = read(course / "assignments" / A / f"{A}.ipynb")
    good = correct_answers()
    subs: dict[str, tuple[object, str, dict[str, float]]] = {}
    subs["master"] = (read(ROOT / "solutions" / A / f"{A}.ipynb"), ON_TIME, FULL)
    subs["correct"] = (_with_answers(release, good), ON_TIME, FULL)
    subs["blank"] = (release, ON_TIME, ZERO)
    typical = _with_answers(release, {**good, **TYPICAL["answers"]})
    subs["typical"] = (typical, ON_TIME, {**FULL, **TYPICAL["expected"]})
    subs["late-correct"] = (_with_answers(release, good), LATE, FULL)
    subs["late-typical"] = (copy.deepcopy(typical), LATE, {**FULL, **TYPICAL["expected"]})
    for gid, broken in PARTIAL.items():
        answers = dict(good)
        del answers[gid]
        expected = {t: (0 if t in broken else FULL[t]) for t in TESTS}
        subs[f"partial-{gid.split('-')[0]}"] = (_with_answers(release, answers), ON_TIME, expected)
    for case in HOSTILE["hostile"]:
        if "raw" in case:
            nb: object = case["raw"]
        else:
            base = _with_answers(release, good) if case["base"] == "correct" else copy.deepcopy(release)
            answers = {gid: text.replace("{correct}", good.get(gid, ""))  # a Markdown answer has no {correct}
                       for gid, text in case.get("answers", {}).items()}
            for key, value in fill.items():
                answers = {gid: text.replace(key, value) for gid, text in answers.items()}
            nb = _with_answers(base, answers)
            if "transform" in case:
                nb = _transform(nb, case["transform"])
        subs[f"h-{case['name']}"] = (nb, ON_TIME, case["expected"])
    for student, (nb, stamp, _) in subs.items():
        folder = course / "submitted" / student / A
        folder.mkdir(parents=True)
        if isinstance(nb, str):
            (folder / f"{A}.ipynb").write_text(nb, encoding="utf-8")
        else:
            write(folder / f"{A}.ipynb", nb)
        (folder / "timestamp.txt").write_text(stamp)
    for case in HOSTILE["hostile"]:
        folder = course / "submitted" / f"h-{case['name']}" / A
        for name, target in case.get("files", {}).get("symlink", {}).items():
            os.symlink(target, folder / name)
        for name in case.get("files", {}).get("fifo", []):
            os.mkfifo(folder / name)
    return {s: {k: float(v) for k, v in exp.items()} for s, (_, _, exp) in subs.items()}


def scores(course: Path, students: list[str] | None = None) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook, MissingEntry

    out: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{course / 'grader' / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(A):
            if students is not None and sub.student_id not in students:
                continue
            try:
                nb = gb.find_submission_notebook(A, A, sub.student_id)
            except MissingEntry:
                continue
            out[sub.student_id] = {g.name: float(g.score) for g in nb.grades if g.name in TESTS}
    return out


# A duplicated or split test cell makes nbgrader raise SchemaTooOldError, which aborts a plain
# `nbgrader autograde A` for every student after it; the serial run grades those one by one with --student
# (the parallel autograde grades each student on its own, so one such file cannot stop the batch).
ABORTING = [s for s in ["h-duplicated-test-cell", "h-split-test-cell"] if s.removeprefix("h-") not in NOT_SERIAL]


def serial_cli() -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("SMMKIT_DB_URL", None)
    return [str(Path(sys.executable).parent / "nbgrader"), "autograde", A, "--Execute.timeout=5"], env


def _listeners() -> tuple[socket.socket, socket.socket]:
    """A UDP and a TCP socket on the grader's loopback that the network attacks aim at."""
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.setblocking(False)
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(8)
    tcp.setblocking(False)
    return udp, tcp


def _git(course: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t")
    return subprocess.run(["git", "-C", str(course), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class graded by smmkit, while plain `nbgrader autograde` grades a copy of it at the same time."""
    from smmkit.grading.autograde import anomalies, autograde

    udp, tcp = _listeners()
    course = make_course(tmp_path_factory.mktemp("class"))
    expected = build_class(course, {"udp_port": udp.getsockname()[1], "tcp_port": tcp.getsockname()[1]})
    serial = tmp_path_factory.mktemp("pristine") / "course"
    skip = {f"h-{student}" for student in NOT_SERIAL}
    # before grading: for the serial nbgrader run (without the attacks it must not see; copying a FIFO would hang)
    shutil.copytree(course, serial, symlinks=True, ignore=lambda folder, names: [n for n in names if n in skip])
    for student in ABORTING:
        shutil.move(serial / "submitted" / student, serial / student)
    _git(course, "init", "-q")
    _git(course, "add", "-A")
    _git(course, "commit", "-q", "-m", "before grading")
    cli, env = serial_cli()
    log = serial / "serial.log"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(cli, cwd=serial / "grader", env=env, stdout=out, stderr=subprocess.STDOUT)
    saved = os.environ.get("JUPYTERHUB_API_TOKEN")
    os.environ["JUPYTERHUB_API_TOKEN"] = SECRET  # what a hub gives the grader; no kernel may see it
    try:
        start = time.monotonic()
        report = autograde(course, A, workers=3, progress=False, **LIMITS)
        seconds = time.monotonic() - start
        frame = anomalies(course, A)
        yield {"course": course, "expected": expected, "report": report, "seconds": seconds,
               "anomalies": frame, "pristine": serial, "serial": proc, "serial_log": log, "udp": udp,
               "tcp": tcp}
    finally:
        if saved is None:
            os.environ.pop("JUPYTERHUB_API_TOKEN", None)
        else:
            os.environ["JUPYTERHUB_API_TOKEN"] = saved
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        udp.close()
        tcp.close()


def test_class_is_big_enough(graded) -> None:
    assert len(graded["expected"]) >= 30
    assert len([s for s in graded["expected"] if s.startswith("h-")]) >= 40


def test_batch_completes_and_logs_every_student(graded) -> None:
    report = graded["report"]
    assert sorted(r.student for r in report.results) == sorted(graded["expected"])
    for r in report.results:
        assert r.log.exists() and r.log.read_text(encoding="utf-8").startswith("# smmkit autograde")
    assert report.backup is not None and report.backup.exists()


@pytest.mark.parametrize("student", ["master", "correct", "blank", "typical", "late-correct", "late-typical"]
                         + [f"partial-{q}" for q in ("q1", "q2", "q3", "q4", "q5", "q6")]
                         + [f"h-{c['name']}" for c in HOSTILE["hostile"]])
def test_each_submission_gets_its_score(graded, student) -> None:
    if ABI < CONTAINED.get(student.removeprefix("h-"), 0):
        pytest.skip(f"needs Landlock ABI {CONTAINED[student.removeprefix('h-')]}; this machine has {ABI}")
    got = scores(graded["course"], [student]).get(student, ZERO)
    assert got == graded["expected"][student], graded["report"].results and \
        next(r.log for r in graded["report"].results if r.student == student).read_text(encoding="utf-8")[-3000:]


def test_blank_notebooks_with_attacks_on_the_tests_score_zero(graded) -> None:
    got = scores(graded["course"])
    blank = [c["name"] for c in HOSTILE["hostile"] if c.get("base") == "blank"]
    assert len(blank) >= 10
    assert {n: sum(got.get(f"h-{n}", ZERO).values()) for n in blank} == dict.fromkeys(blank, 0.0)


def _student_outputs(course: Path, student: str) -> str:
    """The outputs of a student's own cells in the graded notebook: what feedback and formgrader show of them."""
    path = course / "autograded" / student / A / f"{A}.ipynb"
    if not path.exists():
        return ""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if not (c["metadata"].get("nbgrader", {}).get("grade")
                                            and not c["metadata"].get("nbgrader", {}).get("solution"))]
    return json.dumps([c.get("outputs", []) for c in cells], ensure_ascii=False)


@pytest.mark.parametrize("case", [c for c in HOSTILE["hostile"] if c.get("leaks")],
                         ids=[c["name"] for c in HOSTILE["hostile"] if c.get("leaks")])
def test_nothing_leaks_into_student_outputs(graded, case) -> None:
    course = graded["course"]
    text = _student_outputs(course, f"h-{case['name']}")
    assert text, "no graded notebook"
    for needle in case["leaks"]:
        needle = needle.replace("{secret}", SECRET)
        assert needle not in text
    for student in graded["expected"]:  # the grader's environment reaches no notebook at all
        path = course / "autograded" / student / A / f"{A}.ipynb"
        assert not path.exists() or SECRET not in path.read_text(encoding="utf-8", errors="replace"), student


def test_output_cap_holds_per_output(graded) -> None:
    for case in HOSTILE["hostile"]:
        if "max_notebook_kb" in case:
            path = graded["course"] / "autograded" / f"h-{case['name']}" / A / f"{A}.ipynb"
            assert path.stat().st_size < case["max_notebook_kb"] * 1024


def test_no_process_outlives_its_notebook(graded) -> None:
    markers = [c["processes"] for c in HOSTILE["hostile"] if c.get("processes")]
    alive = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        alive += [m for m in markers if m in text]
    assert not alive


def test_no_datagram_or_connection_gets_out(graded) -> None:
    with pytest.raises(BlockingIOError):
        graded["udp"].recvfrom(1024)
    with pytest.raises(BlockingIOError):
        graded["tcp"].accept()


def test_no_file_of_the_course_changes_outside_the_graders_folders(graded) -> None:
    course = graded["course"]
    changed = [line[3:] for line in _git(course, "status", "--porcelain", "--untracked-files=all").splitlines()]
    stray = [path for path in changed if not path.startswith(GRADER_WRITES)]
    assert not stray
    for case in HOSTILE["hostile"]:  # and no link was left where nbgrader wrote the graded notebook
        folder = course / "autograded" / f"h-{case['name']}" / A
        if folder.exists():
            assert not [p for p in folder.rglob("*") if p.is_symlink()], case["name"]


def test_submissions_with_links_are_refused_and_reported(graded) -> None:
    failed = {r.student: r.error for r in graded["report"].failed}
    for case in HOSTILE["hostile"]:
        if case.get("not_graded"):
            assert "ссылки или особые файлы" in failed.get(f"h-{case['name']}", ""), failed


def test_hostile_submissions_are_never_rewarded(graded) -> None:
    got = scores(graded["course"])
    for case in HOSTILE["hostile"]:
        student = f"h-{case['name']}"
        total = sum(got.get(student, ZERO).values())
        best = sum(FULL.values()) if case.get("base") == "correct" else 0
        assert total <= best


def test_late_submissions_are_recorded(graded) -> None:
    frame = graded["anomalies"]
    late = set(frame.loc[frame["kind"] == "опоздание", "student"])
    assert late == {"late-correct", "late-typical"}


@pytest.mark.parametrize("case", HOSTILE["hostile"], ids=[c["name"] for c in HOSTILE["hostile"]])
def test_anomalies_report_names_the_attack(graded, case) -> None:
    frame = graded["anomalies"]
    rows = frame[frame["student"] == f"h-{case['name']}"]
    text = " ".join(rows["kind"] + " " + rows["detail"]).lower()
    assert case["anomaly"].lower() in text, text


def test_anomalies_report_is_quiet_on_honest_work(graded) -> None:
    frame = graded["anomalies"]
    honest = {"correct", "blank", "typical"} | {s for s in graded["expected"] if s.startswith("partial")}
    noisy = frame[frame["student"].isin(honest)]
    assert noisy.empty, noisy.to_string()
    course = graded["course"]
    assert (course / "autograded" / f"{A}-anomalies.csv").exists()
    assert (course / "autograded" / f"{A}-anomalies.md").exists()


def test_parallel_scores_equal_serial_nbgrader(graded) -> None:
    """The same submissions through the plain `nbgrader autograde` CLI (one process, serial; see ABORTING)."""
    serial = graded["pristine"]
    graded["serial"].wait(timeout=900)
    cli, env = serial_cli()
    for student in ABORTING:
        shutil.move(serial / student, serial / "submitted" / student)
        subprocess.run([*cli, f"--student={student}"], cwd=serial / "grader", env=env, capture_output=True,
                       text=True, timeout=300)
    students = [s for s in graded["expected"] if s.removeprefix("h-") not in NOT_SERIAL]
    want = scores(serial, students)
    got = scores(graded["course"], students)
    assert len(want) == len(students), graded["serial_log"].read_text(encoding="utf-8")[-3000:]
    fooled = GUARDED | FOOLS_PLAIN | {name for name, need in CONTAINED.items() if need <= ABI}
    same = [s for s in students if s.removeprefix("h-") not in fooled | set(CONTAINED)]
    assert {s: got.get(s, ZERO) for s in same} == {s: want[s] for s in same}
    for name in fooled - NOT_SERIAL:  # plain nbgrader is fooled; ours is not
        student = f"h-{name}"
        assert sum(want[student].values()) > sum(got[student].values()) == sum(graded["expected"][student].values())


def test_backups_keep_the_last_ten(tmp_path) -> None:
    import sqlite3

    from smmkit.grading.autograde import backup_gradebook

    db = tmp_path / "grader" / "gradebook.db"
    db.parent.mkdir()
    with sqlite3.connect(db) as con:
        con.execute("create table t (x)")
    made = [backup_gradebook(f"sqlite:///{db}") for _ in range(12)]
    kept = sorted((tmp_path / "grader" / "backups").glob("gradebook-*.db"))
    assert len(kept) == 10 and kept[-1] == made[-1]
    assert json.dumps([str(p) for p in kept])


def test_run_autograde_without_submissions(tmp_path) -> None:
    import io

    from smmkit.grading.autograde import run_autograde

    out = io.StringIO()
    assert run_autograde(tmp_path, A, out=out) == 2
    assert "submitted/" in out.getvalue()


def test_run_autograde_needs_a_known_assignment(tmp_path) -> None:
    import io

    from smmkit.grading.autograde import run_autograde

    course = make_course(tmp_path / "c")
    (course / "submitted" / "someone" / "a99").mkdir(parents=True)
    out = io.StringIO()
    assert run_autograde(course, "a99", out=out) == 2
    assert "generate_assignment a99" in out.getvalue()
