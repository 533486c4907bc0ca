"""Print the speed figures of the course: import time, dataset builds and loads, the test suite.

Budgets (issue 2): `import smmkit` <= 0.5 s; `make test` after setup <= 10 min on 2 cores. Run with `make bench`
(add `--suite` to time the whole pytest run as well). Lessons run top to bottom: `tools/bench_lessons.py`;
widgets: `tools/bench_widgets.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "tests" / "suite_weights.yaml"
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
    parser.add_argument("--suite-only", action="store_true", help="time only the test suite")
    parser.add_argument("--profile-out", type=Path, help="with --suite: keep the per-test profile (JSON) here")
    parser.add_argument("--rest", action="store_true",
                        help="with --suite-only: time `make test-rest` (the mistakes outside make test's sample)")
    parser.add_argument("--write-weights", action="store_true",
                        help=f"with --suite: write the seconds per test file to {WEIGHTS.relative_to(ROOT)}")
    args = parser.parse_args()
    if args.suite_only:
        suite(args.write_weights, args.profile_out, args.rest)
        return

    print(f"import smmkit:               {import_time('smmkit'):.3f} s   (budget 0.5 s)")
    print(f"import smmkit.datasets:      {import_time('smmkit.datasets'):.3f} s")
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
        suite(args.write_weights, args.profile_out)


def suite(write_weights: bool, profile_out: Path | None = None, rest: bool = False) -> None:
    """Time the whole suite (or, with ``rest``, `make test-rest`); print each worker's busy time and finish, the
    idle tail and the heaviest files."""
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile.json"
        env = dict(os.environ, SMMKIT_SUITE_PROFILE=str(profile))
        start = time.perf_counter()
        extra = ["tests/test_grading_invariant.py", "--mistakes=rest"] if rest else []
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", *extra], cwd=ROOT, env=env, capture_output=True,
                              text=True)
        wall = time.perf_counter() - start
        records = json.loads(profile.read_text(encoding="utf-8")) if profile.exists() else []
    if profile_out is not None:
        profile_out.write_text(json.dumps(records), encoding="utf-8")
    what = "make test-rest" if rest else "make test"
    print(f"pytest ({what} after setup): {wall:.0f} s   (budget 10 min; exit {done.returncode})")
    if not records or done.returncode:
        failed = [line for line in done.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
        print("\n".join(failed[:40]) if failed else done.stdout[-2000:])
    if not records:
        return
    t0 = min(r["start"] for r in records)
    per_file: dict[str, float] = defaultdict(float)
    cpu: dict[str, float] = defaultdict(float)
    busy: dict[str, float] = defaultdict(float)
    end: dict[str, float] = defaultdict(float)
    per_unit: dict[str, float] = defaultdict(float)
    cpu_unit: dict[str, float] = defaultdict(float)
    for r in records:
        per_file[r["file"]] += r["stop"] - r["start"]
        if r.get("unit", r["file"]) != r["file"]:  # a file split into units (conftest.work_unit)
            per_unit[r["unit"]] += r["stop"] - r["start"]
        cpu[r["file"]] += r.get("cpu", 0.0)
        cpu_unit[r.get("unit", r["file"])] += r.get("cpu", 0.0)
        busy[r["worker"]] += r["stop"] - r["start"]
        end[r["worker"]] = max(end[r["worker"]], r["stop"] - t0)
    for worker in sorted(busy):
        print(f"  {worker}: busy {busy[worker]:.0f} s, last test ended at {end[worker]:.0f} s")
    print(f"  idle tail: {max(end.values()) - min(end.values()):.0f} s between the first and the last worker's end")
    print(f"  load average now: {os.getloadavg()[0]:.1f}")
    total = sum(cpu.values())
    cores = os.cpu_count() or 1
    print(f"  CPU of the tests and the processes they started: {total:.0f} s in all, {total / cores:.0f} s a core"
          f" on {cores} cores (the wall time's floor on a quiet machine)")
    print("  wall s    CPU s  file (the heaviest by CPU)")
    for name, seconds in sorted(cpu.items(), key=lambda kv: -kv[1])[:40]:
        print(f"  {per_file[name]:7.1f}  {seconds:7.1f}  {name}")
    for name in sorted(per_unit):
        print(f"  {per_unit[name]:7.1f}  {cpu_unit[name]:7.1f}    {name}")
    if write_weights:
        lines = [f"# Seconds of test time per file (setup + call + teardown), measured {date.today()} by",
                 "# `python tools/bench.py --suite-only --write-weights` (load average at the end: "
                 f"{os.getloadavg()[0]:.1f}). conftest.py collects the heaviest files first (--dist loadfile).",
                 "seconds:"]
        figures = {**per_file, **per_unit}
        lines += [f"  {name}: {seconds:.1f}" for name, seconds in sorted(figures.items(), key=lambda kv: -kv[1])]
        WEIGHTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"  written: {WEIGHTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
