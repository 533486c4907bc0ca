"""Serial `nbgrader autograde` vs smmkit's parallel autograde on the same class of a01 submissions.

    python tools/bench_autograde.py [--students 30] [--workers N] [--rounds 3]

Builds a scratch course (the kit's nbgrader config, a01's master and release), writes N submissions (correct,
blank, the typical-mistakes one and partial ones, in turn), copies the course twice, grades one copy with
the plain CLI (`nbgrader autograde a01-posting-schedule`, one process, students one after another) and the
other with `smmkit.grading.autograde.autograde(workers=N)` (default: cores + 1; the isolated route, or the plain
one with `--plain`), then prints both times, the
speed-up and whether every score is identical. The two alternate for `--rounds` rounds, because the speed of
a shared machine drifts by 20-30% within minutes; the median speed-up is the figure to quote.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=3,
                        help="serial and parallel runs alternate this many times (the machine's speed drifts)")
    parser.add_argument("--plain", action="store_true", help="smmkit's plain route (tests in the student's kernel)")
    args = parser.parse_args(argv)

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
