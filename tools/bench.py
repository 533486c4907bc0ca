"""Print the speed figures of the course: import time, dataset builds and loads, the test suite.

Budgets (issue 2): `import smmkit` <= 0.5 s; `make test` after setup <= 10 min on 2 cores. Run with `make bench`
(add `--suite` to time the whole pytest run as well). Lessons run top to bottom: `tools/bench_lessons.py`;
widgets: `tools/bench_widgets.py`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def timed(cmd: list[str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def import_time(module: str, runs: int = 5) -> float:
    """Median wall time of a fresh interpreter importing ``module``, minus a bare interpreter's start."""
    bare = statistics.median(timed([sys.executable, "-c", "pass"]) for _ in range(runs))
    full = statistics.median(timed([sys.executable, "-c", f"import {module}"]) for _ in range(runs))
    return full - bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--suite", action="store_true", help="also time the whole test suite")
    args = parser.parse_args()

    print(f"import smmkit:               {import_time('smmkit'):.3f} s   (budget 0.5 s)")
    print(f"import smmkit.datasets:      {import_time('smmkit.datasets'):.3f} s")
    import tempfile

    from smmkit import datasets
    from smmkit.data.build import build

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with open(os.devnull, "w") as sink:
            build(Path(tmp), out=sink)
        print(f"datasets build (all):        {time.perf_counter() - start:.1f} s   (budget 15 s)")
    for name in datasets.available():
        start = time.perf_counter()
        df = datasets.load(name)
        seconds = time.perf_counter() - start
        print(f"datasets.load({name!r}):".ljust(40) + f"{seconds:.3f} s   ({len(df)} rows, budget 0.3 s)")
    if args.suite:
        seconds = timed([sys.executable, "-m", "pytest", "-q"])
        print(f"pytest (make test after setup): {seconds:.0f} s   (budget 10 min)")


if __name__ == "__main__":
    main()
