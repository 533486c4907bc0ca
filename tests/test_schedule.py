"""Content-plan scheduling: the MILP against hand-solved cases, a brute force and the greedy baseline."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.analysis.schedule import RESULT_COLUMNS, greedy_schedule, schedule_posts
from smmkit.data.universe import WEEKDAYS_RU

MONDAY = "2026-03-02"  # a Monday


def _grid(cells: dict[tuple[int, int], float], fill: float = 0.0) -> pd.DataFrame:
    """A 7 x 24 grid with the given (weekday, hour) values, in the shape of posting_time.activity_grid."""
    values = np.full((7, 24), fill)
    for (day, hour), value in cells.items():
        values[day, hour] = value
    return pd.DataFrame(values, index=pd.Index(WEEKDAYS_RU, name="weekday"), columns=pd.RangeIndex(24, name="hour"))


def _items(n: int, rubrics: list[str] | None = None) -> pd.DataFrame:
    rubrics = rubrics or ["Полезное"] * n
    return pd.DataFrame({"item_id": [f"P{i}" for i in range(n)], "rubric": rubrics})


EVENING = _grid({(0, 17): 1, (0, 18): 8, (0, 19): 10, (0, 20): 8, (0, 21): 1})


# --- hand-solved cases ----------------------------------------------------------------------------------------


def test_milp_takes_two_neighbours_instead_of_the_peak() -> None:
    # Gap 2 h: the peak 19:00 (10) blocks 18:00 and 20:00, so greedy gets 10 + 1 = 11 (19:00 and 17:00);
    # the optimum is 18:00 + 20:00 = 8 + 8 = 16.
    kwargs = {"start": MONDAY, "days": 1, "min_gap_hours": 2, "hours": range(17, 22)}
    best = schedule_posts(_items(2), EVENING, **kwargs)
    greedy = greedy_schedule(_items(2), EVENING, **kwargs)
    assert best["time"].tolist() == ["18:00", "20:00"] and best.attrs["total_value"] == 16.0
    assert greedy["time"].tolist() == ["17:00", "19:00"] and greedy.attrs["total_value"] == 11.0


def test_result_table() -> None:
    items = _items(2).assign(platform=["Telegram", "VK"])
    plan = schedule_posts(items, EVENING, MONDAY, days=1, min_gap_hours=2, hours=range(17, 22))
    assert list(plan.columns) == ["item_id", "rubric", "platform", *RESULT_COLUMNS[2:]]
    assert plan["item_id"].tolist() == ["P0", "P1"]  # interchangeable items take the slots in plan order
    assert plan["platform"].tolist() == ["Telegram", "VK"]
    assert plan["date"].tolist() == [pd.Timestamp(MONDAY)] * 2
    assert plan["weekday_ru"].tolist() == ["Пн", "Пн"]
    assert plan["value"].sum() == plan.attrs["total_value"]
    assert not plan["fixed"].any()


def test_fixed_post_keeps_its_time_and_pushes_the_others() -> None:
    # P0 is pinned at 19:30 and is worth the 19:00 cell, 10. With a 2 h gap P1 may not use 18:00 or 21:00
    # (1.5 h away) nor 19:00, 20:00; it may use 17:00 (2.5 h before, worth 3) or 22:00 (2.5 h after, worth 4).
    grid = _grid({(0, 17): 3, (0, 18): 8, (0, 19): 10, (0, 20): 8, (0, 21): 9, (0, 22): 4})
    plan = schedule_posts(_items(2), grid, MONDAY, days=1, min_gap_hours=2, fixed={"P0": "2026-03-02 19:30"},
                          hours=range(17, 23))
    assert plan[["item_id", "time", "fixed"]].values.tolist() == [["P0", "19:30", True], ["P1", "22:00", False]]
    assert plan.attrs["total_value"] == 10 + 4


def test_max_per_day_spreads_posts_over_days() -> None:
    # Monday 19:00 is worth 10, Tuesday 12:00 worth 5; one post a day → one on each day.
    grid = _grid({(0, 19): 10, (0, 20): 9, (1, 12): 5})
    plan = schedule_posts(_items(2), grid, MONDAY, days=2, min_gap_hours=1, max_per_day=1)
    assert plan[["weekday_ru", "time"]].values.tolist() == [["Пн", "19:00"], ["Вт", "12:00"]]
    assert plan.attrs["total_value"] == 15.0


def test_gap_holds_across_midnight() -> None:
    # 22:00 Monday and 08:00 Tuesday (10 each) are 10 h apart: with a 12 h gap only one of them fits.
    # Mon 22:00 + Tue 11:00 (3) = 13 beats Tue 08:00 + Mon ≤ 20:00 (0) = 10.
    grid = _grid({(0, 22): 10, (1, 8): 10, (1, 11): 3})
    plan = schedule_posts(_items(2), grid, MONDAY, days=2, min_gap_hours=12)
    assert plan[["weekday_ru", "time"]].values.tolist() == [["Пн", "22:00"], ["Вт", "11:00"]]
    assert plan.attrs["total_value"] == 13.0


def test_rubric_grids_put_each_rubric_at_its_best_time() -> None:
    # Promotions do best at 20:00, useful posts at 9:00; one common grid would treat them alike.
    grids = {"Акция": _grid({(0, 20): 10, (0, 9): 1}), "Полезное": _grid({(0, 9): 7, (0, 20): 6})}
    items = _items(2, ["Полезное", "Акция"])
    plan = schedule_posts(items, grids, MONDAY, days=1)
    assert dict(zip(plan["item_id"], plan["time"], strict=True)) == {"P0": "09:00", "P1": "20:00"}
    assert plan.attrs["total_value"] == 17.0


def test_nan_cells_are_not_planned() -> None:
    grid = _grid({(0, 19): 10})
    grid.iloc[0, 9:19] = np.nan
    plan = schedule_posts(_items(2), grid, MONDAY, days=1, min_gap_hours=1, hours=range(9, 21))
    assert sorted(plan["time"]) == ["19:00", "20:00"]


def test_empty_plan() -> None:
    plan = schedule_posts(_items(0), EVENING, MONDAY, days=1)
    assert plan.empty and plan.attrs["total_value"] == 0.0


def test_a_month_of_posts_is_solved_quickly() -> None:
    rng = np.random.default_rng(0)
    grids = {r: pd.DataFrame(rng.random((7, 24))) for r in ("Акция", "Полезное", "Продукт")}
    items = _items(20, list(rng.choice(list(grids), 20)))
    plan = schedule_posts(items, grids, MONDAY, days=14, fixed={"P3": "2026-03-05 12:15"})
    _assert_feasible(plan, items, MONDAY, 14, 3, 2, {"P3": "2026-03-05 12:15"}, range(8, 23))
    assert plan.attrs["total_value"] >= greedy_schedule(items, grids, MONDAY, days=14,
                                                        fixed={"P3": "2026-03-05 12:15"}).attrs["total_value"] - 1e-9


# --- invariants on random instances -----------------------------------------------------------------------------


def _stamps(plan: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(plan["date"].dt.strftime("%Y-%m-%d") + " " + plan["time"])


def _assert_feasible(
    plan: pd.DataFrame, items: pd.DataFrame, start: str, days: int, gap: float, per_day: int,
    fixed: dict[str, str], hours: range,
) -> None:
    """Every constraint, checked from the output table alone."""
    assert sorted(plan["item_id"]) == sorted(items["item_id"])
    stamps = _stamps(plan).sort_values()
    slots = stamps.dt.floor("h")
    assert slots.is_unique
    assert (stamps.diff().dropna() >= pd.Timedelta(hours=gap)).all()
    assert stamps.dt.normalize().value_counts().max() <= per_day
    first = pd.Timestamp(start)
    assert ((stamps >= first) & (stamps < first + pd.Timedelta(days=days))).all()
    by_item = dict(zip(plan["item_id"], _stamps(plan), strict=True))
    for item, when in fixed.items():
        assert by_item[item] == pd.Timestamp(when)
    free = plan[~plan["fixed"]]
    assert _stamps(free).dt.hour.isin(list(hours)).all() and (_stamps(free).dt.minute == 0).all()
    counts = plan["rubric"].value_counts()
    assert counts.to_dict() == items["rubric"].value_counts().to_dict()


def _brute_force(
    items: pd.DataFrame, grids: dict[str, np.ndarray], days: int, gap: float, per_day: int,
    fixed: dict[str, float], hours: range,
) -> float | None:
    """Best total over every assignment of the free items to distinct slots (hours since start), or None."""
    slots = [d * 24 + h for d in range(days) for h in hours]
    pinned = list(fixed.values())
    rubric = dict(zip(items["item_id"], items["rubric"], strict=True))
    base = sum(np.nan_to_num(_value(grids[rubric[item]], t)) for item, t in fixed.items())  # a NaN cell counts 0
    free = [item for item in items["item_id"] if item not in fixed]
    best = None
    for chosen in itertools.permutations(slots, len(free)):
        times = sorted(pinned + list(chosen))
        if any(b - a < gap or math.floor(a) == math.floor(b) for a, b in itertools.pairwise(times)):
            continue
        if max((sum(1 for t in times if t // 24 == d) for d in range(days)), default=0) > per_day:
            continue
        values = [_value(grids[rubric[item]], t) for item, t in zip(free, chosen, strict=True)]
        if any(np.isnan(values)):
            continue
        total = base + sum(values)
        best = total if best is None else max(best, total)
    return best


def _value(grid: np.ndarray, t: float) -> float:
    weekday, hour = int(t // 24) % 7, int(t % 24)  # the window starts on a Monday
    return float(grid[weekday, hour])


@st.composite
def tiny_instances(draw: st.DrawFn) -> dict:
    """1–2 days x 2–5 hours, 1–3 free items, maybe one fixed post, integer values with ties and NaN holes."""
    days = draw(st.integers(1, 2))
    first_hour = draw(st.integers(8, 18))
    hours = range(first_hour, first_hour + draw(st.integers(2, 5)))
    rubrics = draw(st.lists(st.sampled_from(["Акция", "Полезное"]), min_size=1, max_size=4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    grids = {}
    for rubric in ("Акция", "Полезное"):
        values = rng.integers(-1, 10, size=(7, 24)).astype(float)  # few values: many ties; -1 is a NaN hole
        grids[rubric] = np.where(values < 0, np.nan, values)
    if draw(st.booleans()):
        grids = {r: grids["Акция"] for r in grids}  # one common grid
    items = _items(len(rubrics), rubrics)
    fixed = {}
    if len(rubrics) > 1 and draw(st.booleans()):
        day, hour = draw(st.integers(0, days - 1)), draw(st.sampled_from(list(hours)))
        fixed = {"P0": day * 24 + hour + draw(st.sampled_from([0, 30])) / 60}
    return {
        "items": items, "grids": grids, "days": days, "hours": hours, "fixed": fixed,
        "gap": draw(st.sampled_from([0, 1, 1.5, 2, 3])), "per_day": draw(st.integers(1, 3)),
    }


def _fixed_strings(fixed: dict[str, float]) -> dict[str, str]:
    start = pd.Timestamp(MONDAY)
    return {item: f"{start + pd.Timedelta(hours=t):%Y-%m-%d %H:%M}" for item, t in fixed.items()}


def _run(solver: Callable[..., pd.DataFrame], case: dict) -> pd.DataFrame:
    grids = {r: pd.DataFrame(g) for r, g in case["grids"].items()}
    return solver(case["items"], grids, MONDAY, case["days"], case["gap"], case["per_day"],
                  fixed=_fixed_strings(case["fixed"]), hours=case["hours"])


@settings(max_examples=80, deadline=None)
@given(tiny_instances())
def test_milp_equals_brute_force_on_tiny_instances(case: dict) -> None:
    best = _brute_force(case["items"], case["grids"], case["days"], case["gap"], case["per_day"], case["fixed"],
                        case["hours"])
    if best is None:
        with pytest.raises(ValueError):
            _run(schedule_posts, case)
        return
    plan = _run(schedule_posts, case)
    _assert_feasible(plan, case["items"], MONDAY, case["days"], case["gap"], case["per_day"],
                     _fixed_strings(case["fixed"]), case["hours"])
    assert plan.attrs["total_value"] == pytest.approx(best)


@st.composite
def small_instances(draw: st.DrawFn) -> dict:
    """Up to 14 days x 15 hours and 20 items, as the course's weekly and fortnightly plans."""
    days = draw(st.integers(1, 14))
    gap = draw(st.sampled_from([1, 2, 3, 4]))
    per_day = draw(st.integers(1, 3))
    n_items = draw(st.integers(1, min(20, days * per_day)))
    rubrics = draw(st.lists(st.sampled_from(["Акция", "Полезное", "Продукт"]), min_size=n_items, max_size=n_items))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    grids = {r: np.round(rng.random((7, 24)), 2) for r in ("Акция", "Полезное", "Продукт")}
    if draw(st.booleans()):
        grids = {r: grids["Акция"] for r in grids}
    return {"items": _items(n_items, rubrics), "grids": grids, "days": days, "hours": range(8, 23), "fixed": {},
            "gap": gap, "per_day": per_day}


@settings(max_examples=40, deadline=None)
@given(small_instances())
def test_milp_respects_constraints_and_beats_greedy(case: dict) -> None:
    plan = _run(schedule_posts, case)
    _assert_feasible(plan, case["items"], MONDAY, case["days"], case["gap"], case["per_day"], {}, case["hours"])
    try:
        greedy = _run(greedy_schedule, case)
    except ValueError:
        return  # greedy can paint itself into a corner; the MILP still found a plan
    _assert_feasible(greedy, case["items"], MONDAY, case["days"], case["gap"], case["per_day"], {}, case["hours"])
    assert plan.attrs["total_value"] >= greedy.attrs["total_value"] - 1e-9


# --- Russian errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"days": 1, "max_per_day": 1}, "не хватает слотов"),
        ({"days": 0}, "«days»"),
        ({"days": 1, "max_per_day": 0}, "«max_per_day»"),
        ({"days": 1, "min_gap_hours": -1}, "«min_gap_hours»"),
        ({"days": 1, "hours": range(20, 30)}, "«hours»"),
        ({"days": 1, "start": "вчера"}, "«start»"),
        ({"days": 2, "fixed": {"P0": "2026-03-02 19:00", "P1": "2026-03-02 20:30"}}, "ближе, чем «min_gap_hours»"),
        ({"days": 2, "max_per_day": 1, "fixed": {"P0": "2026-03-02 09:00", "P1": "2026-03-02 20:00"}},
         "«max_per_day» = 1"),
        ({"days": 2, "fixed": {"P9": "2026-03-02 19:00"}}, "«P9», которого нет в «items»"),
        ({"days": 2, "fixed": {"P0": "2026-03-09 19:00"}}, "вне окна «start» \\+ «days»"),
        ({"days": 2, "fixed": {"P0": "в обед"}}, "«fixed» для «P0»"),
        ({"days": 2, "rubric_quota": {"Полезное": (3, 5)}}, "«rubric_quota» для рубрики «Полезное».*их 2"),
        ({"days": 2, "rubric_quota": {"Акция": (1, 2)}}, "«rubric_quota» для рубрики «Акция».*их 0"),
        ({"days": 2, "rubric_quota": {"Полезное": (3, 1)}}, "минимум ≤ максимум"),
    ],
)
def test_errors_are_russian(kwargs: dict, fragment: str) -> None:
    kwargs = {"start": MONDAY, **kwargs}
    for solver in (schedule_posts, greedy_schedule):
        with pytest.raises(ValueError, match=fragment):
            solver(_items(2), EVENING, **kwargs)


def test_infeasible_after_the_simple_checks() -> None:
    # Gap 13 h, hours 8..22: each day alone fits two posts (8:00 and 21:00), so the quick bound allows 4 in two
    # days; across midnight 21:00 → next 10:00 at the earliest, and 10:00 + 13 h = 23:00 is past the hours: only 3.
    with pytest.raises(ValueError, match=r"Расписание составить нельзя.*«min_gap_hours» = 13"):
        schedule_posts(_items(4), _grid({}, fill=1.0), MONDAY, days=2, min_gap_hours=13)


def test_greedy_failure_is_explained() -> None:
    with pytest.raises(ValueError, match="Жадный алгоритм не нашёл слот для «P1»"):
        greedy_schedule(_items(2), EVENING, MONDAY, days=1, min_gap_hours=2, hours=range(18, 21))


def test_input_table_errors() -> None:
    with pytest.raises(ValueError, match="нет столбца «rubric»"):
        schedule_posts(pd.DataFrame({"item_id": ["A"]}), EVENING, MONDAY, days=1)
    with pytest.raises(ValueError, match="повторяется item_id «A»"):
        schedule_posts(pd.DataFrame({"item_id": ["A", "A"], "rubric": ["x", "x"]}), EVENING, MONDAY, days=1)
    with pytest.raises(ValueError, match="«slots_value» должен быть таблицей 7 x 24"):
        schedule_posts(_items(1), pd.DataFrame(np.zeros((7, 23))), MONDAY, days=1)
    with pytest.raises(ValueError, match="нет таблицы для рубрики «Полезное»"):
        schedule_posts(_items(1), {"Акция": EVENING}, MONDAY, days=1)
    with pytest.raises(ValueError, match="нет ни одного слота"):
        schedule_posts(_items(1), _grid({}, fill=np.nan), MONDAY, days=1)
