"""Benchmark every lesson: run it top to bottom in a fresh kernel (nbclient), as a student's «Run All» would.

Budgets (course/README.md, «Speed»; issue 10): a lesson runs top to bottom in ≤ 10 s and builds each widget in
≤ 1 s on a quiet 2-core machine. Each lesson runs ``--repeats`` times, each time in a new kernel; the median is
printed (the range too). Also printed: the kernel's start, the slowest cells, and every cell that builds a widget
(the cell's own time, as the kernel reports it). Figures over budget are marked «СВЕРХ БЮДЖЕТА»; the script
never fails on slowness (exit 0). Widgets in isolation: ``tools/bench_widgets.py``.

Run: ``.venv/bin/python tools/bench_lessons.py`` (all) or ``... tools/bench_lessons.py 01.04`` (names containing
``01.04``).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

LESSON_BUDGET_S = 10.0
WIDGET_BUDGET_S = 1.0
OVER = "СВЕРХ БЮДЖЕТА"
WIDGETS = re.compile(r"\b(\w+Lab|\w+Explorer|UploadPreview|BudgetPlanner(?:\.from_ads)?|KpiDashboard|BotRuleTuner"
                     r"|SeedingPlanner|ContentPlanEditor|MediaPreview|Quiz)\(")
"""A code cell that builds a widget."""

SLOWEST = 3


@dataclass(frozen=True)
class Run:
    """One run of a lesson: wall seconds of the whole run, of the kernel's start and of each code cell."""

    total: float
    kernel_start: float
    cells: dict[int, float]


def _cell_seconds(cell: dict) -> float | None:
    """The cell's own time from nbclient's timing metadata (busy → idle), if recorded."""
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.status.busy"), timing.get("iopub.status.idle")
    if not (start and end):
        return None
    return (datetime.fromisoformat(end.replace("Z", "+00:00"))
            - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds()


def run_once(path: Path) -> tuple[Run, list]:
    """Run the lesson once in a fresh kernel; the timings and the executed cells."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True, record_timing=True,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        kernel_start = time.perf_counter() - start
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    total = time.perf_counter() - start
    cells = {i: s for i, c in enumerate(nb.cells) if c.cell_type == "code" and (s := _cell_seconds(c)) is not None}
    return Run(total, kernel_start, cells), nb.cells


def _first_line(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip() and not line.startswith("#")]
    return (lines[0] if lines else source.strip())[:70]


def _errors(cells: list) -> list[str]:
    """Error names of the cells that raised (a lesson should raise none)."""
    return [o.get("ename", "?") for c in cells if c.cell_type == "code" for o in c.get("outputs", [])
            if o.get("output_type") == "error"]


def bench(path: Path, repeats: int) -> None:
    """Run one lesson ``repeats`` times and print its figures."""
    runs, cells = [], []
    for _ in range(repeats):
        run, cells = run_once(path)
        runs.append(run)
    totals = [r.total for r in runs]
    total = statistics.median(totals)
    start = statistics.median(r.kernel_start for r in runs)
    name = path.relative_to(ROOT / "course")
    print(f"{name}: {total:5.1f} s  (runs {min(totals):.1f}–{max(totals):.1f} s; kernel start {start:.1f} s)   "
          f"budget ≤ {LESSON_BUDGET_S:g} s  {'ok' if total <= LESSON_BUDGET_S else OVER}")
    errors = _errors(cells)
    if errors:
        print(f"  ! cells raised: {', '.join(errors)}")
    seconds = {i: statistics.median(r.cells.get(i, 0.0) for r in runs) for i in runs[0].cells}
    for i in sorted(seconds, key=seconds.get, reverse=True)[:SLOWEST]:
        print(f"  slow cell {i:>2}: {seconds[i]:5.2f} s  {_first_line(cells[i].source)}")
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and i in seconds and (found := WIDGETS.findall(cell.source)):
            print(f"  widget cell {i:>2} ({', '.join(found)}): {seconds[i]:5.2f} s   budget ≤ {WIDGET_BUDGET_S:g} s  "
                  f"{'ok' if seconds[i] <= WIDGET_BUDGET_S else OVER}")


def main() -> int:
    from smmkit.notebooks import lessons

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="run only lessons whose file name contains one of these")
    parser.add_argument("--repeats", type=int, default=3, help="runs per lesson, each in a fresh kernel (median)")
    args = parser.parse_args()
    chosen = [p for p in lessons(ROOT) if not args.names or any(n in p.name for n in args.names)]
    if not chosen:
        parser.error(f"no lesson matches {args.names}")
    for path in chosen:
        bench(path, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
