"""Print the speed figures of smmkit.analysis.attribution on 100k synthetic journeys (seeded).

Budgets (issue 4): ``markov_removal_effect`` on 100k journeys <= 5 s; the other figures are reported.
Run: ``.venv/bin/python tools/bench_attribution.py``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from smmkit.analysis import attribution  # noqa: E402

CHANNELS = ("instagram", "tiktok", "telegram", "vk", "facebook", "youtube", "email", "search", "display", "sms",
            "whatsapp", "threads")


def journeys(n: int = 100_000, n_channels: int = 8, seed: int = 42) -> pd.DataFrame:
    """``n`` journeys of 1–8 touches over ``n_channels`` channels, about 1 h–3 days apart; ~20 % convert."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 9, size=n)
    jid = np.repeat(np.arange(n), lengths)
    popularity = rng.dirichlet(np.ones(n_channels))
    channel = np.asarray(CHANNELS[:n_channels], dtype=object)[rng.choice(n_channels, size=len(jid), p=popularity)]
    gaps = pd.to_timedelta(rng.exponential(24.0, size=len(jid)), unit="h")
    ts = pd.Timestamp("2026-03-01", tz="Asia/Almaty") + pd.Series(gaps).groupby(jid).cumsum()
    converted = rng.random(n) < 0.1 + 0.03 * lengths
    value = np.round(rng.lognormal(9.0, 0.6, size=n), 0)
    return pd.DataFrame(
        {"journey_id": jid, "channel": channel, "ts": ts.to_numpy(), "converted": converted[jid], "value": value[jid]}
    )


def timed(fn: Callable[[], object], runs: int = 3) -> float:
    """Best wall time of ``runs`` calls."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def line(name: str, seconds: float, budget: float | None = None) -> None:
    verdict = "" if budget is None else f"  (budget <= {budget:g} s: {'ok' if seconds <= budget else 'OVER'})"
    print(f"{name:<64} {seconds:7.3f} s{verdict}")


def main() -> None:
    data = journeys()
    paths = attribution.to_paths(data)
    print(f"100k journeys, {len(data):,} touches, 8 channels, {len(paths):,} distinct paths")
    line("to_paths (journeys -> paths)", timed(lambda: attribution.to_paths(data)))
    line("markov_removal_effect, order 1, from journeys", timed(lambda: attribution.markov_removal_effect(data)), 5)
    line("markov_removal_effect, order 1, from paths", timed(lambda: attribution.markov_removal_effect(paths)), 5)
    line("markov_removal_effect, order 2, from paths", timed(lambda: attribution.markov_removal_effect(paths, 2)))
    for model in (attribution.first_touch, attribution.last_touch, attribution.linear, attribution.position_based):
        line(f"{model.__name__}, from journeys", timed(lambda m=model: m(data)))
    line("time_decay, from journeys", timed(lambda: attribution.time_decay(data)))
    wide = journeys(n_channels=10, seed=7)
    line("shapley, 10 channels (1,024 coalitions), from journeys", timed(lambda: attribution.shapley(wide)))
    wide_paths = attribution.to_paths(wide)
    line("shapley, 10 channels, from paths", timed(lambda: attribution.shapley(wide_paths)))
    widest = attribution.to_paths(journeys(n_channels=12, seed=11))
    line("shapley, 12 channels (4,096 coalitions, the limit), from paths", timed(lambda: attribution.shapley(widest)))
    line("compare_models, from journeys (all seven)", timed(lambda: attribution.compare_models(data), runs=1))


if __name__ == "__main__":
    main()
