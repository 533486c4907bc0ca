"""Print how long `smmkit datasets large` takes to write the 1.2M-row followers audit and its peak memory.

Budgets (issue 12): ≤ 10 s and ≤ 1 GB peak memory for ``smmkit.data.large.write_large`` — what the command runs:
generate the columns, render the CSV in chunks and write it. The figures are printed, not asserted (timings depend
on the machine); the exit code is 1 if a budget is exceeded. The file goes to a temporary folder (or ``--root``)
and is deleted afterwards unless ``--keep`` is given. Peak memory is the process's maximum resident set size
(imports included), so run the benchmark in a fresh process:
`.venv/bin/python tools/bench_large.py [--rows 1200000] [--runs 1]`.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from smmkit.data.large import LARGE_ROWS, LARGE_SEED, write_large  # noqa: E402

BUDGET_S = 10.0
BUDGET_MB = 1_000.0


def peak_mb() -> float:
    """Maximum resident set size of this process so far, MB (Linux reports kilobytes, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3


def measure(rows: int, root: Path) -> tuple[float, int]:
    """Seconds to generate and write the table, and the file size in bytes."""
    start = time.perf_counter()
    target = write_large(root, n=rows, seed=LARGE_SEED)
    return time.perf_counter() - start, target.stat().st_size


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit code 1 if over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=LARGE_ROWS)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--root", type=Path, default=None, help="datasets folder to write into (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the written file")
    parser.add_argument("--table", choices=["followers_audit", "web_events"], default="followers_audit",
                        help="which on-demand table (web_events: the three-month GA4 export, cold generation)")
    args = parser.parse_args(argv)
    if args.table == "web_events":
        return _bench_web_events(args.runs)
    before = peak_mb()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.root or Path(tmp)
        results = [measure(args.rows, root) for _ in range(max(1, args.runs))]
        if not args.keep:
            (root / "_generated" / "followers_audit_large.csv").unlink(missing_ok=True)
    seconds, size = min(r[0] for r in results), results[0][1]
    peak = peak_mb()
    rows = f"{args.rows:,}".replace(",", " ")
    ok_time, ok_memory = seconds <= BUDGET_S, peak <= BUDGET_MB
    print(f"followers_audit_large: {rows} строк, {size / 1e6:.1f} МБ")
    print(f"  генерация и запись {seconds:6.2f} с   (бюджет {BUDGET_S:.0f} с) {'OK' if ok_time else 'ПРЕВЫШЕН'}")
    print(f"  пик памяти         {peak:6.0f} МБ  (бюджет {BUDGET_MB:.0f} МБ; до генерации {before:.0f} МБ) "
          f"{'OK' if ok_memory else 'ПРЕВЫШЕН'}")
    return 0 if ok_time and ok_memory else 1


def _bench_web_events(runs: int) -> int:
    """Cold generation (caches cleared) and writing of web_events_large; CPU seconds of this process too."""
    from smmkit.data import ads_data, funnel_data
    from smmkit.data.large import write_web_events_large

    best = None
    for _ in range(max(1, runs)):
        ads_data._ads_world.cache_clear()
        funnel_data._funnel_world.cache_clear()
        funnel_data._web_events.cache_clear()
        with tempfile.TemporaryDirectory() as tmp:
            wall, cpu = time.perf_counter(), time.process_time()
            path = write_web_events_large(Path(tmp))
            result = (time.perf_counter() - wall, time.process_time() - cpu, path.stat().st_size)
        best = result if best is None or result[0] < best[0] else best
    wall, cpu, size = best
    print(f"web_events_large: {size / 1e6:.1f} МБ")
    print(f"  генерация и запись {wall:6.2f} с (процессор {cpu:.2f} с)   (бюджет {BUDGET_S:.0f} с) "
          f"{'OK' if wall <= BUDGET_S else 'ПРЕВЫШЕН'}")
    return 0 if wall <= BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
