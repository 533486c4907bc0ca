"""Print how fast AudienceExplorer and EngagementLab answer an input change on the full course datasets.

Budget (issue 6): every interaction ≤ 100 ms — the widget's whole handler (filters, analysis, HTML, in-place
FigureWidget updates), run headless. Each control is set to two different values in turn; the median of
``RUNS`` changes is printed, with the worst one. Construction time is printed too (no budget: it runs once).
Run standalone: `.venv/bin/python tools/bench_widgets_a.py`.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from smmkit import datasets  # noqa: E402
from smmkit.widgets.audience import AudienceExplorer  # noqa: E402
from smmkit.widgets.engagement import EngagementLab  # noqa: E402

RUNS = 7
BUDGET_MS = 100.0


def timed(call: Callable[[], Any]) -> float:
    """Wall time of one call, in milliseconds."""
    start = time.perf_counter()
    call()
    return 1000.0 * (time.perf_counter() - start)


def interaction(control: Any, values: tuple[Any, Any], runs: int = RUNS) -> tuple[float, float]:
    """Median and worst time of setting ``control`` to the two ``values`` alternately."""
    times = []
    for i in range(runs):
        value = values[i % 2]
        if control.value == value:
            value = values[(i + 1) % 2]
        times.append(timed(lambda v=value: setattr(control, "value", v)))
    return statistics.median(times), max(times)


def report(name: str, cases: list[tuple[str, Any, tuple[Any, Any]]]) -> bool:
    """Time every case, print a line each; True if all are within the budget."""
    ok = True
    for label, control, values in cases:
        median, worst = interaction(control, values)
        within = worst <= BUDGET_MS
        ok &= within
        print(f"  {name + '.' + label:<40} median {median:6.1f} ms   worst {worst:6.1f} ms   "
              f"{'ok' if within else 'OVER'} (budget {BUDGET_MS:.0f} ms)")
    return ok


def main() -> int:
    audience = datasets.load("audience")
    posts, accounts, ads = datasets.load("posts"), datasets.load("accounts"), datasets.load("ads_daily")
    explorer: AudienceExplorer | None = None
    lab: EngagementLab | None = None

    def build_explorer() -> None:
        nonlocal explorer
        explorer = AudienceExplorer(audience)

    def build_lab() -> None:
        nonlocal lab
        lab = EngagementLab(posts, accounts, ads)

    print(f"AudienceExplorer on {len(audience):,} people: built in {timed(build_explorer):.0f} ms")
    assert explorer is not None
    ok = report("AudienceExplorer", [
        ("brand", explorer.brand, ("dala_style", "Все")),
        ("gender", explorer.gender, ("ж", "Все")),
        ("age", explorer.age, ((18, 24), (14, 64))),
        ("platforms", explorer.platforms, (("TikTok", "Instagram"), ())),
        ("cities", explorer.cities, (("Алматы", "Астана"), ())),
        ("interests", explorer.interests, (("мода", "красота"), ())),
        ("group (core)", explorer.group, ("core", "segment")),
        ("core_share", explorer.core_share, (0.6, 0.8)),
    ])
    explorer.brand.value, explorer.gender.value, explorer.age.value = "Все", "ж", (18, 24)
    explorer.cities.value, explorer.interests.value = ("Алматы",), ("мода",)
    ok &= report("AudienceExplorer (narrow)", [("platforms", explorer.platforms, (("TikTok",), ()))])

    print(f"EngagementLab on {len(posts):,} posts and {len(ads):,} ad rows: built in {timed(build_lab):.0f} ms")
    assert lab is not None
    ok &= report("EngagementLab", [
        ("ER base", lab.base, ("reach", "followers")),
        ("ER method", lab.method, ("mean", "pooled")),
        ("ER by", lab.by, ("format", "account")),
    ])
    lab.by.value = "rubric"
    ok &= report("EngagementLab", [
        ("ER account", lab.account, ("bo_tg", "qc_ig")),
        ("CTR variant", lab.variant, ("link", "all")),
        ("CTR by", lab.ctr_by, ("campaign_name", "platform")),
        ("CTR brand", lab.brand, ("bilim_online", "Все")),
    ])
    print("all within budget" if ok else "SOME INTERACTIONS ARE OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
