"""Test set-up for the whole suite (tests/, doctests in src/, nbval over course/ and solutions/)."""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# nbgrader runs `alembic` by name, so this interpreter's bin must come first on PATH.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
# Notebooks autograded in temporary course folders still load the committed datasets.
os.environ.setdefault("SMMKIT_ROOT", str(ROOT))


def pytest_xdist_auto_num_workers(config) -> int:
    """``-n auto``: one worker more than cores. Many tests wait on something else (a browser page, a kernel,
    a grading subprocess), so one extra worker keeps the cores busy: on 2 cores the suite took 5:02 with 3
    workers against 5:54 with 2 (2026-11-26)."""
    return (os.cpu_count() or 1) + 1


def pytest_terminal_summary(terminalreporter) -> None:
    """List every notebook nbval ran, with its cell counts, so the summary shows that each one ran."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for status in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(status, []):
            path = getattr(report, "nodeid", "").split("::")[0]
            if path.endswith(".ipynb") and (report.when == "call" or status != "passed"):
                counts[path][status] += 1
    if not counts:
        return
    terminalreporter.write_sep("-", f"nbval: {len(counts)} notebooks")
    for path in sorted(counts):
        parts = ", ".join(f"{n} {status}" for status, n in sorted(counts[path].items()))
        terminalreporter.write_line(f"{path}: {parts}")
