"""Recovery of an autograde batch: killed with SIGKILL midway and rerun; a submission that kills its worker.

Kept apart from the class test (test_grading_autograde.py) so that pytest-xdist runs the two files at once.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time

from test_grading_autograde import ON_TIME, A, _with_answers, build_class, make_course, scores

from smmkit.notebooks import read, write


def test_killed_batch_can_be_rerun(tmp_path) -> None:
    """SIGKILL a batch after its first students finish; rerun; same scores as a clean run, nothing duplicated."""
    course = make_course(tmp_path / "c")
    expected = build_class(course)
    keep = ["correct", "blank", "typical", "partial-q1", "partial-q5", "h-edited-test-cell", "late-typical",
            "h-shadow-builtins"]
    for folder in (course / "submitted").iterdir():
        if folder.name not in keep:
            shutil.rmtree(folder)
    code = (f"from smmkit.grading.autograde import autograde; "
            f"autograde({str(course)!r}, {A!r}, workers=2, progress=False, timeout=5)")
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=False)
    logs = course / "grader" / "logs" / A
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(logs.glob("*.log"))) < 2:
        time.sleep(0.2)
    assert len(list(logs.glob("*.log"))) >= 2, "the batch did not start"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list(logs.glob("*.log")))
    assert done_before < len(keep), "the batch ended before it was killed"
    time.sleep(1.0)  # its workers die with it (PR_SET_PDEATHSIG)
    from smmkit.grading.autograde import autograde

    report = autograde(course, A, workers=2, progress=False, timeout=5)
    assert not report.failed
    got = scores(course)
    assert got == {s: expected[s] for s in keep}
    import sqlite3

    with sqlite3.connect(course / "grader" / "gradebook.db") as db:
        subs = db.execute("select count(*), count(distinct student_id) from submitted_assignment").fetchone()
        grades = db.execute("select count(*) from grade").fetchone()[0]
    assert subs == (len(keep), len(keep))
    assert grades == len(keep) * 7  # 6 test cells + the memo, once each
    backups = list((course / "grader" / "backups").glob("gradebook-*.db"))
    assert len(backups) == 2


KILL_WORKER = """
import os, signal
pid = os.getppid()
while pid > 1:  # up to the grading worker (a multiprocessing spawn child), then kill it
    with open(f"/proc/{pid}/cmdline", "rb") as handle:
        if b"multiprocessing" in handle.read():
            os.kill(pid, signal.SIGKILL)
    with open(f"/proc/{pid}/stat") as handle:
        pid = int(handle.read().rsplit(")", 1)[1].split()[1])
"""


def test_batch_survives_a_submission_that_kills_its_worker(tmp_path) -> None:
    """Where the sandbox cannot stop it (here: Landlock switched off in the course's config), a submission that
    kills its grading worker is reported as not graded, and everyone else still gets their score."""
    from smmkit.grading.autograde import autograde

    course = make_course(tmp_path / "c")
    expected = build_class(course)
    with (course / "grader" / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write("\nc.SandboxKernelManager.landlock = False\n")
    keep = ["correct", "typical", "killer"]
    release = read(course / "assignments" / A / f"{A}.ipynb")
    killer = course / "submitted" / "killer" / A
    killer.mkdir(parents=True)
    write(killer / f"{A}.ipynb", _with_answers(release, {"q1-local-time": KILL_WORKER}))
    (killer / "timestamp.txt").write_text(ON_TIME)
    for folder in (course / "submitted").iterdir():
        if folder.name not in keep:
            shutil.rmtree(folder)
    bar = io.StringIO()
    # the plain route: on the isolated one the kernel cannot see its worker (tests/submissions/hostile)
    report = autograde(course, A, workers=2, timeout=5, stream=bar, isolated=False)
    assert bar.getvalue().rstrip().endswith("Проверено 3/3 [████████████████████] 100%")
    assert [r.student for r in report.failed] == ["killer"]
    assert "погиб" in report.failed[0].error and report.failed[0].log.exists()
    assert scores(course, keep[:-1]) == {s: expected[s] for s in keep[:-1]}
    assert "нет Landlock" in report.summary()  # switched off: the instructor is told the kernel is not walled in


def test_batch_stops_when_no_worker_can_start(tmp_path) -> None:
    """Workers that die before grading anyone (a broken installation) end the batch with every student
    reported as not graded, instead of respawning forever."""
    course = make_course(tmp_path / "c")
    build_class(course)
    for folder in (course / "submitted").iterdir():
        if folder.name not in ("correct", "blank"):
            shutil.rmtree(folder)
    with (course / "grader" / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write("\nimport multiprocessing\nif multiprocessing.current_process().name != 'MainProcess':\n"
                     "    raise RuntimeError('broken worker')\n")
    code = (f"from smmkit.grading.autograde import autograde\n"
            f"if __name__ == '__main__':\n"
            f"    r = autograde({str(course)!r}, {A!r}, workers=2, progress=False)\n"
            f"    print(sorted((x.student, x.success, x.error) for x in r.results))\n")
    (tmp_path / "run.py").write_text(code, encoding="utf-8")
    run = subprocess.run([sys.executable, str(tmp_path / "run.py")], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "('blank', False, 'не удалось запустить процесс проверки" in run.stdout
    assert "('correct', False, 'не удалось запустить процесс проверки" in run.stdout
