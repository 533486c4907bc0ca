"""Serial `nbgrader autograde` vs smmkit's parallel autograde on the same class of a01 submissions.

    python tools/bench_autograde.py [--students 30] [--workers N] [--rounds 3]
    python tools/bench_autograde.py --class 300 [--sections 3] [--sample 30] [--one-by-one]

Builds a scratch course (the kit's nbgrader config, a01's master and release), writes N submissions (correct,
blank, the typical-mistakes one and partial ones, in turn), copies the course twice, grades one copy with
the plain CLI (`nbgrader autograde a01-posting-schedule`, one process, students one after another) and the
other with `smmkit.grading.autograde.autograde(workers=N)` (default: cores + 1; the isolated route, or the plain
one with `--plain`), then prints both times, the
speed-up and whether every score is identical. The two alternate for `--rounds` rounds, because the speed of
a shared machine drifts by 20-30% within minutes; the median speed-up is the figure to quote.

`--class N` is the scale run of a class on one PostgreSQL gradebook (grader/README.md, section 6, step 7): N
submissions in `--sections` sections (student ids `a-001`, `b-001`, …), each section a realistic mix (see
`MIX`: correct, one typical mistake of tests/submissions/a01-posting-schedule.yaml, the combined typical one,
one question left as released, blank), graded by one `smmkit grade autograde … --student …` per section — all
sections' graders at once (default) or one after another (`--one-by-one`) — into a database on a throwaway
PostgreSQL server started as tests/postgres_server.py starts it. It prints the time, the peak memory of the
graders' processes (the sum of their proportional set sizes, sampled), the database's size before and after, the
course folders' size, and serial `nbgrader autograde` on a sample (`--sample` students, every Nth of the class,
into a second database) extrapolated to the class as its start-up plus N times its time per submission (read
from when each autograded notebook was written; the output says it is an estimate). It checks that every
student's score of every test cell is the one their submission earns and that nothing is lost or counted twice;
exit 1 otherwise. A benchmark, not a test: nothing is timed against a limit.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
A = "a01-posting-schedule"


def make_course(tmp: Path) -> Path:
    from smmkit import assignments

    return assignments.scratch_course(ROOT, A, tmp)


def submissions(course: Path, count: int) -> None:
    from smmkit.notebooks import read, write

    release = read(course / "assignments" / A / f"{A}.ipynb")
    master = read(ROOT / "solutions" / A / f"{A}.ipynb")
    correct: dict[str, str] = {}
    for cell in master["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            correct[meta["grade_id"]] = "\n".join(ln for ln in source.splitlines() if "SOLUTION" not in ln)
    spec = yaml.safe_load((ROOT / "tests" / "submissions" / f"{A}.yaml").read_text("utf-8"))
    typical = {**correct, **next(s for s in spec["submissions"] if s["name"] == "typical")["answers"]}
    kinds: list[dict[str, str]] = [correct, {}, typical]
    for gid in correct:
        kinds.append({k: v for k, v in correct.items() if k != gid})
    for i in range(count):
        answers = kinds[i % len(kinds)]
        nb = {**release, "cells": [dict(c) for c in release["cells"]]}
        for cell in nb["cells"]:
            gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if gid in answers:
                cell["source"] = answers[gid]
        folder = course / "submitted" / f"s{i:03d}" / A
        folder.mkdir(parents=True)
        write(folder / f"{A}.ipynb", nb)
        (folder / "timestamp.txt").write_text("2026-03-01 12:00:00.000000 UTC")


def scores(course: Path) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    out: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{course / 'grader' / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(A):
            nb = gb.find_submission_notebook(A, A, sub.student_id)
            out[sub.student_id] = {g.name: float(g.score) for g in nb.grades}
    return out


def run_serial(course: Path) -> float:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("SMMKIT_DB_URL", None)
    start = time.monotonic()
    run = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", A],
                         cwd=course / "grader", env=env, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if run.returncode != 0:
        print(run.stderr[-3000:], file=sys.stderr)
    return seconds


def run_parallel(course: Path, workers: int | None, isolated: bool = True) -> tuple[float, int]:
    from smmkit.grading.autograde import autograde

    start = time.monotonic()
    report = autograde(course, A, workers=workers, progress=False, isolated=isolated)
    return time.monotonic() - start, report.workers


# ---------------------------------------------------------------------------------------- --class: scale run

# What a section hands in, as shares of the section (the rest of the rounding goes to "mistake"): work that is
# right, work with one of the typical mistakes the lessons warn about (each named submission of the YAML in
# turn), the combined "typical" submission (several mistakes), work with one question left as released, and the
# released notebook handed back untouched.
MIX = {"correct": 0.20, "mistake": 0.45, "typical": 0.10, "partial": 0.20, "blank": 0.05}
ON_TIME = "2026-03-01 12:00:00.000000 UTC"


def _code(cell: dict[str, Any]) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def write_class(course: Path, count: int, sections: int, seed: int = 18) -> dict[str, dict[str, float]]:
    """Write ``count`` submissions in ``sections`` sections into ``course/submitted``; return every student's
    expected score of every autograded test cell (read from the release's points, the YAML's ``expected``)."""
    from smmkit.notebooks import read, write

    release = read(course / "assignments" / A / f"{A}.ipynb")
    master = read(ROOT / "solutions" / A / f"{A}.ipynb")
    correct = {c["metadata"]["nbgrader"]["grade_id"]: "\n".join(ln for ln in _code(c).splitlines()
                                                                  if "SOLUTION" not in ln)
               for c in master["cells"] if c["cell_type"] == "code"
               and c["metadata"].get("nbgrader", {}).get("solution")}
    full = {c["metadata"]["nbgrader"]["grade_id"]: float(c["metadata"]["nbgrader"]["points"])
            for c in release["cells"] if c["metadata"].get("nbgrader", {}).get("grade")
            and not c["metadata"]["nbgrader"].get("solution")}
    spec = yaml.safe_load((ROOT / "tests" / "submissions" / f"{A}.yaml").read_text("utf-8"))["submissions"]
    mistakes = [s for s in spec if s["name"] != "typical"]
    typical = next(s for s in spec if s["name"] == "typical")
    partial = [gid for gid in correct if f"{gid}-tests" in full]
    expected: dict[str, dict[str, float]] = {}
    per = [count // sections + (1 if i < count % sections else 0) for i in range(sections)]
    n_mistake = n_partial = 0
    for k, size in enumerate(per):
        kinds = [kind for kind, share in MIX.items() for _ in range(int(share * size))]
        kinds += ["mistake"] * (size - len(kinds))
        random.Random(seed + k).shuffle(kinds)
        for i, kind in enumerate(kinds):
            student = f"{chr(ord('a') + k)}-{i + 1:03d}"
            answers: dict[str, str] | None = dict(correct)
            got = dict(full)
            if kind == "blank":
                answers, got = None, dict.fromkeys(full, 0.0)
            elif kind in ("mistake", "typical"):
                sub = typical if kind == "typical" else mistakes[n_mistake % len(mistakes)]
                n_mistake += kind == "mistake"
                answers = {**correct, **sub["answers"]}
                got.update({name: float(v) for name, v in sub["expected"].items()})
            elif kind == "partial":
                gid = partial[n_partial % len(partial)]
                n_partial += 1
                del answers[gid]
                got[f"{gid}-tests"] = 0.0
            nb = {**release, "cells": [dict(c) for c in release["cells"]]}
            for cell in nb["cells"]:
                gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
                if answers is not None and gid in answers:
                    cell["source"] = answers[gid]
            folder = course / "submitted" / student / A
            folder.mkdir(parents=True)
            write(folder / f"{A}.ipynb", nb)
            (folder / "timestamp.txt").write_text(ON_TIME)
            expected[student] = got
    return expected


class Peak:
    """The peak, sampled every ``every`` s, of the summed proportional set size (PSS: shared pages divided among
    the processes sharing them, so forked workers are not counted many times) of some processes and all their
    descendants."""

    def __init__(self, every: float = 2.0) -> None:
        self.pids: list[int] = []
        self.every, self.bytes, self.processes = every, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(self.every):
            total, n = 0, 0
            for pid in list(self.pids):
                try:
                    root = psutil.Process(pid)
                    family = [root, *root.children(recursive=True)]
                except psutil.Error:
                    continue
                for proc in family:
                    try:
                        total += proc.memory_full_info().pss
                        n += 1
                    except psutil.Error:
                        pass
            if total > self.bytes:
                self.bytes, self.processes = total, n


def _db_size(server: Any, db: str) -> int:
    import psycopg2

    con = psycopg2.connect(host="127.0.0.1", port=server.port, user="postgres", dbname=db)
    try:
        with con.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            return int(cur.fetchone()[0])
    finally:
        con.close()


def _rows(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as con:
            return {t: int(con.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                    for t in ("submitted_assignment", "submitted_notebook", "grade", "grade_cells", "task_cells")}
    finally:
        engine.dispose()


def _test_scores(url: str, tests: set[str]) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(url) as gb:
        return {sub.student_id: {g.name: float(g.score) for g in gb.find_submission_notebook(A, A, sub.student_id)
                                 .grades if g.name in tests} for sub in gb.assignment_submissions(A)}


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) if path.exists() else 0


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} МБ".replace(",", " ")


def _on_postgres(course: Path, server: Any, db: str) -> str:
    """Move the scratch course's SQLite gradebook into a new database (as `smmkit grade migrate` does)."""
    from smmkit.grading import gradebook

    url = server.createdb(db)
    lite = course / "grader" / "gradebook.db"
    checks = gradebook.migrate(f"sqlite:///{lite}", url)
    if not all(c.ok for c in checks):
        raise RuntimeError(gradebook.report(checks))
    lite.unlink()
    return url


def scale(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    import postgres_server

    why = postgres_server.missing()
    if why:
        print(why, file=sys.stderr)
        return 2
    print(f"Нагрузка машины до начала (uptime): {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} "
          f"{os.getloadavg()[2]:.1f}; ядер: {os.cpu_count()}", flush=True)
    server = postgres_server.Server().start()
    try:
        with tempfile.TemporaryDirectory(prefix="smmkit-bench-class-") as tmp:
            return _scale(args, Path(tmp), server)
    finally:
        server.stop()


def _scale(args: argparse.Namespace, tmp: Path, server: Any) -> int:
    start = time.monotonic()
    course = make_course(tmp / "class")
    expected = write_class(course, args.class_size, args.sections)
    tests = set(next(iter(expected.values())))
    students = sorted(expected)
    sections = [[s for s in students if s.startswith(f"{chr(ord('a') + k)}-")] for k in range(args.sections)]
    step = max(1, len(students) // args.sample)
    sample = students[::step][:args.sample]
    serial = tmp / "serial"
    shutil.copytree(course, serial)
    for folder in (serial / "submitted").iterdir():
        if folder.name not in sample:
            shutil.rmtree(folder)
    url, serial_url = _on_postgres(course, server, "class"), _on_postgres(serial, server, "serial_sample")
    size_before = _db_size(server, "class")
    print(f"Класс: {len(students)} работ в {args.sections} группах ({', '.join(str(len(s)) for s in sections)}), "
          f"выборка для nbgrader: {len(sample)}; подготовка {time.monotonic() - start:.0f} с", flush=True)

    base_env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    # serial nbgrader on the sample, into its own PostgreSQL database
    env = dict(base_env, SMMKIT_DB_URL=serial_url)
    with Peak() as peak_serial:
        t0, wall0 = time.monotonic(), time.time()
        proc = subprocess.Popen([str(Path(sys.executable).parent / "nbgrader"), "autograde", A],
                                cwd=serial / "grader", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        peak_serial.pids.append(proc.pid)
        _, err = proc.communicate()
        t_serial = time.monotonic() - t0
    if proc.returncode:
        print(err[-3000:], file=sys.stderr)
    # nbgrader writes each student's autograded notebook when it is done with them: the first one marks the
    # start-up (once per run) plus one student, the others one student each
    done_at = sorted((serial / "autograded" / s / A / f"{A}.ipynb").stat().st_mtime - wall0 for s in sample
                     if (serial / "autograded" / s / A / f"{A}.ipynb").exists())
    per_serial = (done_at[-1] - done_at[0]) / (len(done_at) - 1) if len(done_at) > 1 else t_serial
    start_serial = max(0.0, done_at[0] - per_serial) if done_at else 0.0
    print(f"nbgrader autograde (последовательно), выборка {len(sample)}: {t_serial:.1f} с "
          f"(запуск ~{start_serial:.0f} с, затем ~{per_serial:.2f} с на работу)", flush=True)

    # smmkit: one grader per section, all at once (or one after another)
    env = dict(base_env, SMMKIT_DB_URL=url)
    graders = 1 if args.one_by_one else args.sections
    workers = args.workers or max(1, round(((os.cpu_count() or 1) + 1) / graders))
    smmkit = [str(Path(sys.executable).parent / "smmkit"), "--root", str(course), "grade", "autograde", A,
              "--workers", str(workers)]
    times: list[float] = []
    codes: list[int] = []
    with Peak() as peak:
        t0 = time.monotonic()
        waves = [[k] for k in range(args.sections)] if args.one_by_one else [list(range(args.sections))]
        for wave in waves:
            procs = []
            for k in wave:
                log = (tmp / f"section-{k}.log").open("w")
                cmd = [*smmkit, *(x for s in sections[k] for x in ("--student", s))]
                procs.append((subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT), log))
                peak.pids.append(procs[-1][0].pid)
            running = dict(enumerate(procs))
            while running:
                for i, (p, log) in list(running.items()):
                    if p.poll() is not None:
                        codes.append(p.returncode)
                        log.close()
                        times.append(time.monotonic() - t0)
                        del running[i]
                time.sleep(0.5)
        t_class = time.monotonic() - t0
    for k, code in enumerate(codes):
        if code:
            print((tmp / f"section-{k}.log").read_text(errors="replace")[-3000:], file=sys.stderr)

    got, rows = _test_scores(url, tests), _rows(url)
    wrong = sorted(s for s in students if got.get(s) != expected[s])
    for s in wrong[:10]:
        print(f"  {s}: ожидалось {expected[s]}, получено {got.get(s)}")
    serial_got = _test_scores(serial_url, tests)
    same = all(serial_got.get(s) == got.get(s) for s in sample)
    per_student_rows = rows["grade_cells"] + rows["task_cells"]
    whole = (rows["submitted_assignment"] == rows["submitted_notebook"] == len(students)
             and rows["grade"] == len(students) * per_student_rows)
    size_after = _db_size(server, "class")
    extrapolated = start_serial + per_serial * len(students) + (t_serial - (done_at[-1] if done_at else t_serial))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    mode = "по очереди" if args.one_by_one else "одновременно"
    print()
    print(f"Класс {len(students)} работ a01, {args.sections} группы; ядер: {os.cpu_count()}; "
          f"средняя загрузка машины после (1/5/15 мин): {load}")
    print(f"smmkit grade autograde: {args.sections} проверяющих {mode} (по одному на группу, "
          f"--workers {workers} у каждого), PostgreSQL {server.bin.parent.name}: {t_class:.0f} с "
          f"({t_class / len(students):.2f} с на работу); группы закончили через "
          + ", ".join(f"{t:.0f}" for t in times) + " с")
    print(f"Пик памяти проверяющих (сумма PSS всех их процессов, замер раз в 2 с): {_mb(peak.bytes)} "
          f"в {peak.processes} процессах; nbgrader последовательно: {_mb(peak_serial.bytes)}")
    per_submission = (size_after - size_before) / len(students)
    print(f"База PostgreSQL: {_mb(size_before)} до проверки (таблицы и задание), {_mb(size_after)} после "
          f"({per_submission / 1024:.0f} КБ на работу); строк: "
          f"{rows['submitted_assignment']} работ, {rows['grade']} оценок")
    print(f"Папки курса: submitted {_mb(_du(course / 'submitted'))}, autograded {_mb(_du(course / 'autograded'))}, "
          f"копии журнала grader/backups {_mb(_du(course / 'grader' / 'backups'))}")
    print(f"nbgrader autograde последовательно: {t_serial:.0f} с на выборке {len(sample)} (каждая "
          f"{step}-я работа); ЭКСТРАПОЛЯЦИЯ на {len(students)}: запуск {start_serial:.0f} с + {len(students)} × "
          f"{per_serial:.2f} с = ~{extrapolated:.0f} с; ускорение ~{extrapolated / t_class:.2f}x (оценка, не замер)")
    print(f"Оценки: {len(students) - len(wrong)} из {len(students)} такие, как заслуживает работа; "
          f"выборка совпадает с nbgrader: {'да' if same else 'НЕТ'}; ничего не потеряно и не посчитано дважды: "
          f"{'да' if whole else 'НЕТ'} (строк grade {rows['grade']} = {len(students)} × {per_student_rows}); "
          f"коды выхода проверяющих: {codes}")
    return 0 if not wrong and same and whole and not any(codes) and proc.returncode == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=3,
                        help="serial and parallel runs alternate this many times (the machine's speed drifts)")
    parser.add_argument("--plain", action="store_true", help="smmkit's plain route (tests in the student's kernel)")
    parser.add_argument("--class", dest="class_size", type=int, default=0,
                        help="the scale run: a class of this many submissions on a PostgreSQL gradebook")
    parser.add_argument("--sections", type=int, default=3, help="--class: sections, one grader each")
    parser.add_argument("--sample", type=int, default=30, help="--class: serial nbgrader grades this many")
    parser.add_argument("--one-by-one", action="store_true", help="--class: the sections' graders one after another")
    args = parser.parse_args(argv)
    if args.class_size:
        return scale(args)

    with tempfile.TemporaryDirectory(prefix="smmkit-bench-autograde-") as tmp:
        base = make_course(Path(tmp) / "base")
        submissions(base, args.students)
        rows, same, workers = [], True, 0
        for i in range(args.rounds):
            serial, parallel = Path(tmp) / f"serial{i}", Path(tmp) / f"parallel{i}"
            shutil.copytree(base, serial)
            shutil.copytree(base, parallel)
            if i % 2 == 0:
                t_serial = run_serial(serial)
                t_parallel, workers = run_parallel(parallel, args.workers, not args.plain)
            else:
                t_parallel, workers = run_parallel(parallel, args.workers, not args.plain)
                t_serial = run_serial(serial)
            got_serial, got_parallel = scores(serial), scores(parallel)
            for student in sorted(set(got_serial) | set(got_parallel)):
                if got_serial.get(student) != got_parallel.get(student):
                    print(f"  {student}: nbgrader {got_serial.get(student)}, smmkit {got_parallel.get(student)}")
                    log = parallel / "grader" / "logs" / A / f"{student}.log"
                    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
                    kept = [ln for ln in lines if "[INFO]" not in ln and "checksum" not in ln]
                    print("    " + "\n    ".join(kept)[-1500:])
            same = same and got_serial == got_parallel
            rows.append((t_serial, t_parallel))
            print(f"Круг {i + 1}: nbgrader {t_serial:5.1f} с, smmkit {t_parallel:5.1f} с, "
                  f"ускорение {t_serial / t_parallel:.2f}x", flush=True)
            shutil.rmtree(serial)
            shutil.rmtree(parallel)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        ratios = sorted(s / p for s, p in rows)
        print(f"Студентов: {args.students}, ядер: {os.cpu_count()}, процессов: {workers}, кругов: {args.rounds}; "
              f"средняя загрузка машины (1/5/15 мин): {load}")
        print(f"nbgrader autograde (последовательно), медиана: {statistics.median(s for s, _ in rows):6.1f} с")
        route = "обычный путь, --plain" if args.plain else "изолированный путь"
        print(f"smmkit autograde (параллельно, {route}), медиана: {statistics.median(p for _, p in rows):6.1f} с")
        print(f"Ускорение: медиана {statistics.median(ratios):.2f}x, от {ratios[0]:.2f}x до {ratios[-1]:.2f}x; "
              f"оценки совпадают: {'да' if same else 'НЕТ'}")
        return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
