"""Serial `nbgrader autograde` vs smmkit's parallel autograde on the same class of a01 submissions.

    python tools/bench_autograde.py [--students 30] [--workers N]

Builds a scratch course (the kit's nbgrader config, a01's master and release), writes N submissions (correct,
blank, the typical-mistakes one and partial ones, in turn), copies the course twice, grades one copy with
the plain CLI (`nbgrader autograde a01-posting-schedule`, one process, students one after another) and the
other with `smmkit.grading.autograde.autograde(workers=N)`, then prints both times, the speed-up and whether
every score is identical.
"""

from __future__ import annotations

import argparse
import os
import shutil
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
    typical = yaml.safe_load((ROOT / "tests" / "submissions" / f"{A}.yaml").read_text("utf-8"))["answers"]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    from smmkit.grading.autograde import autograde

    with tempfile.TemporaryDirectory(prefix="smmkit-bench-autograde-") as tmp:
        base = make_course(Path(tmp) / "base")
        submissions(base, args.students)
        serial, parallel = Path(tmp) / "serial", Path(tmp) / "parallel"
        shutil.copytree(base, serial)
        shutil.copytree(base, parallel)
        env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        env.pop("SMMKIT_DB_URL", None)
        start = time.monotonic()
        run = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", A],
                             cwd=serial / "grader", env=env, capture_output=True, text=True)
        t_serial = time.monotonic() - start
        if run.returncode != 0:
            print(run.stderr[-3000:], file=sys.stderr)
        start = time.monotonic()
        report = autograde(parallel, A, workers=args.workers, progress=True)
        t_parallel = time.monotonic() - start
        same = scores(serial) == scores(parallel)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"Студентов: {args.students}, ядер: {os.cpu_count()}, процессов: {report.workers}; "
              f"средняя загрузка машины (1/5/15 мин): {load}")
        print(f"nbgrader autograde (последовательно): {t_serial:6.1f} с")
        print(f"smmkit autograde (параллельно):        {t_parallel:6.1f} с")
        print(f"Ускорение: {t_serial / t_parallel:.2f}x; оценки совпадают: {'да' if same else 'НЕТ'}")
        return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
