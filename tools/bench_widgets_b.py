"""Print ms per interaction of BudgetPlanner and KpiDashboard on the full datasets, against the 100 ms budget.

Budget (issue 6): every input change answers in <= 100 ms. Construction times (fits, KPI tables, first figure) are
reported too; the first widget of a session also pays the one-off import of plotly's FigureWidget.
Run: ``.venv/bin/python tools/bench_widgets_b.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from smmkit import datasets  # noqa: E402
from smmkit.widgets.budget import BudgetPlanner  # noqa: E402
from smmkit.widgets.dashboard import KpiDashboard, kpis_from_data  # noqa: E402

BUDGET_MS = 100.0


def per_call(actions: Iterable[Callable[[], object]]) -> tuple[float, float]:
    """Median and worst wall time of the actions, in ms."""
    times = []
    for act in actions:
        start = time.perf_counter()
        act()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def once(fn: Callable[[], object]) -> tuple[object, float]:
    """The result and wall time of one call, in ms."""
    start = time.perf_counter()
    out = fn()
    return out, (time.perf_counter() - start) * 1000


def line(name: str, median: float, worst: float | None = None, budget: float | None = BUDGET_MS) -> None:
    tail = "" if worst is None else f" (worst {worst:7.1f} ms)"
    verdict = "" if budget is None else f"  budget <= {budget:g} ms: {'ok' if (worst or median) <= budget else 'OVER'}"
    print(f"{name:<58} {median:7.1f} ms{tail}{verdict}")


def setter(widget: object, attr: str, value: object) -> Callable[[], None]:
    return lambda: setattr(widget, attr, value)


def main() -> None:
    ads, (posts, orders) = datasets.load("ads_daily"), (datasets.load("posts"), datasets.load("crm_orders"))
    print(f"ads_daily {len(ads):,} rows · posts {len(posts):,} · crm_orders {len(orders):,}")

    planner, ms = once(lambda: BudgetPlanner.from_ads(ads, "bilim_online", budget=150_000))
    line("BudgetPlanner.from_ads, first (imports FigureWidget)", ms, budget=None)
    _, ms = once(lambda: BudgetPlanner.from_ads(ads, "bilim_online", budget=150_000))
    line("BudgetPlanner.from_ads, again (fit 4 curves + widgets)", ms, budget=None)
    ig, tt = planner.sliders[0], planner.sliders[1]
    moves = [setter(s, "value", v) for v in range(20_000, 60_001, 2_000) for s in (ig, tt)]
    line("slider move: plan, table, readout, chart marker", *per_call(moves))
    line("«Показать оптимальное распределение» (first, solves)", *per_call([planner.show_optimum]))
    moves = [setter(tt, "value", v) for v in range(10_000, 60_001, 2_500)]
    line("slider move with the comparison shown", *per_call(moves))
    line("«Применить» (4 sliders move, one update)", *per_call([planner.apply_optimum] * 5))
    line("goal toggle: по прибыли / по лидам", *per_call([setter(planner.goal, "value", g)
                                                          for g in ("profit", "result") * 5]))
    line("budget change (new optimum)", *per_call([setter(planner.budget, "value", b)
                                                   for b in range(120_000, 200_001, 10_000)]))

    kpis, ms = once(lambda: kpis_from_data(posts, ads, orders, None))
    line(f"kpis_from_data, 5 brands × monthly ({len(kpis)} rows)", ms, budget=None)
    weekly, ms = once(lambda: kpis_from_data(posts, ads, orders, None, freq="W"))
    line(f"kpis_from_data, 5 brands × weekly ({len(weekly)} rows)", ms, budget=None)
    for name, table in (("monthly", kpis), ("weekly", weekly)):
        dash, ms = once(lambda table=table: KpiDashboard(table))
        line(f"KpiDashboard({name}) construction", ms, budget=None)
        periods = list(dash.period.options)
        line(f"period change ({name})", *per_call([setter(dash.period, "value", p) for p in periods[::-1]]))
        brands = [b for _, b in dash.brand.options]
        line(f"brand change ({name})", *per_call([setter(dash.brand, "value", b) for b in brands[::-1] * 2]))


if __name__ == "__main__":
    main()
