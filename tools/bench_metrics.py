"""Print how fast every `smmkit.metrics` function runs on 1M-row inputs (numpy arrays and pandas Series).

Budget: each call ≤ 50 ms, best of 5 runs (inputs built once, outside the timing). Counts are int64, money
is float64, as a loaded CSV gives them; the nullable-Int64 line shows the slower path of `pd.NA` data.
Run standalone: `.venv/bin/python tools/bench_metrics.py`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from smmkit import metrics  # noqa: E402

ROWS = 1_000_000
RUNS = 5
BUDGET_MS = 50.0


def best_ms(call: Callable[[], Any], runs: int = RUNS) -> float:
    """Best wall time of ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1000.0 * min(times)


def numpy_inputs(rows: int = ROWS, seed: int = 42) -> dict[str, np.ndarray]:
    """Synthetic columns with realistic magnitudes and some zero denominators."""
    rng = np.random.default_rng(seed)
    followers = rng.integers(0, 200_000, rows)
    reach = rng.integers(0, 50_000, rows)
    impressions = reach + rng.integers(0, 50_000, rows)
    clicks = rng.binomial(impressions, 0.01)
    spend = rng.gamma(2.0, 5_000.0, rows)
    revenue = rng.gamma(2.0, 15_000.0, rows)
    return {
        "interactions": rng.binomial(reach, 0.05),
        "likes": rng.binomial(reach, 0.04),
        "followers": followers,
        "reach": reach,
        "impressions": impressions,
        "clicks": clicks,
        "actions": rng.binomial(clicks, 0.05),
        "spend": spend,
        "revenue": revenue,
        "gross_profit": revenue * 0.4 - rng.gamma(2.0, 2_000.0, rows),  # may be negative
        "share": rng.uniform(0.05, 1.0, rows),
        "margin": rng.uniform(0.1, 0.6, rows),
        "frequency": rng.uniform(1.0, 6.0, rows),
        "lifespan": rng.uniform(0.5, 5.0, rows),
        "brand": rng.integers(0, 1_000, rows),
        "competitors": rng.integers(0, 5_000, rows),
        "negative": rng.integers(0, 300, rows),
        "mentions": rng.integers(0, 6_000, rows),
        "scores": rng.integers(0, 11, rows),
    }


def cases(d: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    """One call per public metric (three for er_period's methods)."""
    m = metrics
    return {
        "er": lambda: m.er(d["interactions"], d["followers"]),
        "er_by_followers": lambda: m.er_by_followers(d["interactions"], d["followers"]),
        "er_by_reach": lambda: m.er_by_reach(d["interactions"], d["reach"]),
        "er_by_views": lambda: m.er_by_views(d["interactions"], d["impressions"]),
        "er_day": lambda: m.er_day(d["interactions"], d["followers"]),
        "like_rate": lambda: m.like_rate(d["likes"], d["followers"]),
        "er_period pooled": lambda: m.er_period(d["interactions"], d["reach"], "pooled"),
        "er_period mean": lambda: m.er_period(d["interactions"], d["reach"], "mean"),
        "er_period median": lambda: m.er_period(d["interactions"], d["reach"], "median"),
        "reach_rate": lambda: m.reach_rate(d["reach"], d["followers"]),
        "tg_view_rate": lambda: m.tg_view_rate(d["reach"], d["followers"]),
        "ctr": lambda: m.ctr(d["clicks"], d["impressions"]),
        "cpm": lambda: m.cpm(d["spend"], d["impressions"]),
        "cpc": lambda: m.cpc(d["spend"], d["clicks"]),
        "cpa": lambda: m.cpa(d["spend"], d["actions"]),
        "cr": lambda: m.cr(d["actions"], d["clicks"]),
        "frequency": lambda: m.frequency(d["impressions"], d["reach"]),
        "cost_per_contact": lambda: m.cost_per_contact(d["spend"], d["reach"], d["share"]),
        "roas": lambda: m.roas(d["revenue"], d["spend"]),
        "drr": lambda: m.drr(d["spend"], d["revenue"]),
        "roi": lambda: m.roi(d["revenue"], d["spend"]),
        "romi": lambda: m.romi(d["gross_profit"], d["spend"]),
        "cac": lambda: m.cac(d["spend"], d["actions"]),
        "ltv": lambda: m.ltv(d["revenue"], d["frequency"], d["margin"], d["lifespan"]),
        "share_of_voice": lambda: m.share_of_voice(d["brand"], d["competitors"]),
        "nps": lambda: m.nps(d["scores"]),
        "net_sentiment": lambda: m.net_sentiment(d["brand"], d["negative"], d["mentions"]),
        "retention": lambda: m.retention(d["actions"], d["clicks"]),
    }


def main() -> None:
    arrays = numpy_inputs()
    index = pd.RangeIndex(ROWS)
    series = {name: pd.Series(values, index=index) for name, values in arrays.items()}
    nullable = {name: values.astype("Int64") for name, values in series.items() if values.dtype.kind == "i"}
    nullable["interactions"].iloc[::100] = pd.NA

    print(f"smmkit.metrics on {ROWS:,} rows, best of {RUNS} (budget ≤ {BUDGET_MS:.0f} ms per call)")
    over = []
    for label, data in (("ndarray", arrays), ("Series", series)):
        for name, call in cases(data).items():
            ms = best_ms(call)
            flag = "" if ms <= BUDGET_MS else "   OVER BUDGET"
            over += [f"{name} ({label})"] if flag else []
            print(f"{name:<18} {label:<8} {ms:7.1f} ms   (budget ≤ {BUDGET_MS:.0f} ms){flag}")
    for name in ("er_by_reach", "nps"):
        ms = best_ms(cases({**series, **nullable})[name])
        flag = "" if ms <= BUDGET_MS else "   OVER BUDGET"
        over += [f"{name} (Int64)"] if flag else []
        print(f"{name:<18} {'Int64':<8} {ms:7.1f} ms   (budget ≤ {BUDGET_MS:.0f} ms){flag}")
    print("all within budget" if not over else f"over budget: {', '.join(over)}")


if __name__ == "__main__":
    main()
