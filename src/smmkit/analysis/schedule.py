"""Content-plan scheduling: put every item of a plan into a publishing slot to maximise the expected engagement.

Input: ``items`` (one row per content item, columns :data:`ITEM_COLUMNS`, optionally ``platform``) and
``slots_value``, a 7 x 24 grid of the expected value of a post by local weekday (rows Пн..Вс, in that order)
and hour (columns 0..23), e.g. :func:`smmkit.analysis.posting_time.activity_grid`. ``slots_value`` may also be a
dict {rubric: grid} when rubrics do best at different times. A NaN cell means "no data": nothing is planned there.

The planning window is the ``days`` dates from ``start``; a *slot* is one (date, hour) with hour in ``hours``.
Constraints: every item gets exactly one slot, at most one item per slot, at least ``min_gap_hours`` between any
two posts (across midnight too), at most ``max_per_day`` posts per date, ``fixed`` items pinned to their time
(campaign dates; "YYYY-MM-DD HH:MM", any minute and hour, worth their hour's cell, NaN counted as 0),
``rubric_quota`` {rubric: (min, max)} posts per rubric in the window.

Integer programme solved by :func:`schedule_posts` with ``scipy.optimize.milp`` (HiGHS):

* variables: x[i, s] ∈ {0, 1} for every item i without a fixed time and every free slot s (1 = "i goes to s");
  slots closer than ``min_gap_hours`` to a fixed post, or with a NaN value, are left out beforehand;
* objective: maximise Σ value(i, s) · x[i, s];
* each item: Σ_s x[i, s] = 1;
* gap: for every slot s, the slots from s up to (not including) s + ``min_gap_hours`` hold at most one post:
  Σ_i Σ_{s ≤ s' < s + gap} x[i, s'] ≤ 1 (any two posts closer than the gap share such a window; with a gap of
  1 hour or less the window is the slot itself, so this is also the "one post per slot" rule);
* each date d: Σ_i Σ_{s on d} x[i, s] ≤ ``max_per_day`` − fixed posts on d.

Items valued by the same grid (all items, when ``slots_value`` is one grid) are interchangeable, so the solver
gets the same model with them merged: x[g, s] = Σ_{i in g} x[i, s] ∈ {0, 1} and Σ_s x[g, s] = |g|. This
removes the symmetric copies (20 identical items would give 20! equal optima) and keeps a month of posts
solvable in a fraction of a second. The chosen slots of a group go to its items in plan order.

Since every item is placed, a rubric quota only asks whether the plan has the right number of items of that
rubric: it is checked up front, with the other simple conditions (items vs room in the window, fixed posts that
break the gap or the daily limit), so that the error names the constraint at fault.

:func:`greedy_schedule` is the hand method: take the items in order, give each the best slot still allowed.
It may miss the optimum (a top slot blocks two good neighbours) or even fail where the MILP finds a plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from smmkit.data.universe import WEEKDAYS_RU

ITEM_COLUMNS = ("item_id", "rubric")
"""Required columns of ``items``; ``platform`` is optional and copied to the result."""

RESULT_COLUMNS = ("item_id", "rubric", "date", "time", "weekday_ru", "value", "fixed")
"""Columns of a schedule (``platform`` goes after ``rubric`` when the items have it)."""

DAY_HOURS = range(8, 23)
"""Default publishing hours (08:00–22:59)."""

Grid = pd.DataFrame | Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class _Problem:
    """A checked scheduling problem: free items, candidate slots and what is already fixed."""

    items: pd.DataFrame
    start: pd.Timestamp
    free: list[int]  # row positions of items without a fixed time
    fixed_at: dict[int, pd.Timestamp]  # row position -> pinned time
    fixed_value: dict[int, float]
    slot_day: np.ndarray  # day index of every candidate slot
    slot_hour: np.ndarray  # hour of every candidate slot
    value: np.ndarray  # len(free) x n_slots, NaN where the item's grid has no value
    group: np.ndarray  # per free item: which grid it is valued by (items of one group are interchangeable)
    gap: float
    day_room: np.ndarray  # posts still allowed per day after the fixed ones

    @property
    def slot_time(self) -> np.ndarray:
        """Hours since the window start of every candidate slot."""
        return self.slot_day * 24.0 + self.slot_hour


def schedule_posts(
    items: pd.DataFrame,
    slots_value: Grid,
    start: str | date | datetime | pd.Timestamp,
    days: int,
    min_gap_hours: float = 3,
    max_per_day: int = 2,
    rubric_quota: Mapping[str, tuple[int, int]] | None = None,
    fixed: Mapping[str, str | datetime | pd.Timestamp] | None = None,
    hours: Iterable[int] = DAY_HOURS,
) -> pd.DataFrame:
    """Optimal schedule (MILP, HiGHS): one row per item with date, time, weekday and value; sum in attrs["total_value"].

    >>> grid = pd.DataFrame(np.zeros((7, 24))); grid.loc[0, [18, 19, 20]] = [8.0, 10.0, 8.0]
    >>> items = pd.DataFrame({"item_id": ["A", "B"], "rubric": ["Полезное", "Акция"]})
    >>> plan = schedule_posts(items, grid, "2026-03-02", days=1, min_gap_hours=2, hours=range(18, 21))
    >>> plan[["item_id", "time", "weekday_ru", "value"]].values.tolist()
    [['A', '18:00', 'Пн', 8.0], ['B', '20:00', 'Пн', 8.0]]
    >>> plan.attrs["total_value"]
    16.0
    """
    problem = _prepare(items, slots_value, start, days, min_gap_hours, max_per_day, rubric_quota, fixed, hours)
    return _result(problem, _solve_milp(problem, min_gap_hours, max_per_day))


def greedy_schedule(
    items: pd.DataFrame,
    slots_value: Grid,
    start: str | date | datetime | pd.Timestamp,
    days: int,
    min_gap_hours: float = 3,
    max_per_day: int = 2,
    rubric_quota: Mapping[str, tuple[int, int]] | None = None,
    fixed: Mapping[str, str | datetime | pd.Timestamp] | None = None,
    hours: Iterable[int] = DAY_HOURS,
) -> pd.DataFrame:
    """Greedy baseline: items in order, each to the best slot still allowed (earliest on ties).

    >>> grid = pd.DataFrame(np.zeros((7, 24))); grid.loc[0, [18, 19, 20]] = [8.0, 10.0, 8.0]
    >>> items = pd.DataFrame({"item_id": ["A", "B"], "rubric": ["Полезное", "Акция"]})
    >>> plan = greedy_schedule(items, grid, "2026-03-02", days=1, min_gap_hours=1, hours=range(18, 21))
    >>> plan[["item_id", "time"]].values.tolist(), plan.attrs["total_value"]
    ([['B', '18:00'], ['A', '19:00']], 18.0)
    """
    problem = _prepare(items, slots_value, start, days, min_gap_hours, max_per_day, rubric_quota, fixed, hours)
    return _result(problem, _solve_greedy(problem, max_per_day))


# --- checks ---------------------------------------------------------------------------------------------------


def _prepare(
    items: pd.DataFrame,
    slots_value: Grid,
    start: str | date | datetime | pd.Timestamp,
    days: int,
    min_gap_hours: float,
    max_per_day: int,
    rubric_quota: Mapping[str, tuple[int, int]] | None,
    fixed: Mapping[str, str | datetime | pd.Timestamp] | None,
    hours: Iterable[int],
) -> _Problem:
    items = _check_items(items)
    grids = _check_grids(slots_value, items)
    first = _check_start(start)
    days, gap, per_day, hour_list = _check_numbers(days, min_gap_hours, max_per_day, hours)
    _check_quota(rubric_quota, items)
    fixed_at = _check_fixed(fixed, items, first, days, gap, per_day)
    day_room = np.full(days, per_day)
    for stamp in fixed_at.values():
        day_room[(stamp.normalize() - first).days] -= 1
    slot_day, slot_hour = _free_slots(first, days, hour_list, fixed_at, gap, day_room)
    free = [i for i in range(len(items)) if i not in fixed_at]
    weekdays = (first.day_of_week + slot_day) % 7
    rubric_of = items["rubric"].to_numpy()
    value = np.array([grids[rubric_of[i]][weekdays, slot_hour] for i in free]).reshape(len(free), len(slot_day))
    grid_ids = list(dict.fromkeys(id(grid) for grid in grids.values()))
    group = np.array([grid_ids.index(id(grids[rubric_of[i]])) for i in free], dtype=int)
    fixed_value = {i: _cell(grids[items["rubric"].iat[i]], t) for i, t in fixed_at.items()}
    problem = _Problem(items, first, free, fixed_at, fixed_value, slot_day, slot_hour, value, group, gap, day_room)
    _check_room(problem, min_gap_hours, max_per_day)
    return problem


def _check_items(items: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(items, pd.DataFrame):
        raise ValueError("Аргумент «items» должен быть таблицей (DataFrame).")
    for column in ITEM_COLUMNS:
        if column not in items.columns:
            raise ValueError(f"В таблице «items» нет столбца «{column}».")
    items = items.reset_index(drop=True)
    dupes = items["item_id"][items["item_id"].duplicated()]
    if not dupes.empty:
        raise ValueError(f"В «items» повторяется item_id «{dupes.iat[0]}»: у каждого материала свой идентификатор.")
    if items["rubric"].isna().any():
        raise ValueError("В «items» у некоторых материалов не указана рубрика («rubric»).")
    return items


def _check_grids(slots_value: Grid, items: pd.DataFrame) -> dict[str, np.ndarray]:
    rubrics = list(dict.fromkeys(items["rubric"]))
    if isinstance(slots_value, pd.DataFrame):
        grid = _grid_array(slots_value, "slots_value")
        return {rubric: grid for rubric in rubrics}
    if not isinstance(slots_value, Mapping):
        raise ValueError("Аргумент «slots_value» должен быть таблицей 7 x 24 или словарём {рубрика: таблица}.")
    missing = [rubric for rubric in rubrics if rubric not in slots_value]
    if missing:
        raise ValueError(f"В «slots_value» нет таблицы для рубрики «{missing[0]}».")
    return {rubric: _grid_array(slots_value[rubric], f"slots_value[{rubric!r}]") for rubric in rubrics}


def _grid_array(grid: pd.DataFrame, name: str) -> np.ndarray:
    try:
        values = np.asarray(grid, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"Аргумент «{name}» должен содержать числа.") from None
    if values.shape != (7, 24):
        raise ValueError(f"Аргумент «{name}» должен быть таблицей 7 x 24 (дни Пн..Вс x часы 0..23): {values.shape}.")
    if np.isinf(values).any():
        raise ValueError(f"В «{name}» есть бесконечные значения.")
    return values


def _check_start(start: str | date | datetime | pd.Timestamp) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(start)
    except (TypeError, ValueError):
        raise ValueError("Аргумент «start» должен быть датой вида «ГГГГ-ММ-ДД».") from None
    if pd.isna(stamp):
        raise ValueError("Аргумент «start» должен быть датой вида «ГГГГ-ММ-ДД».")
    return stamp.tz_localize(None).normalize() if stamp.tzinfo else stamp.normalize()


def _check_numbers(
    days: int, min_gap_hours: float, max_per_day: int, hours: Iterable[int]
) -> tuple[int, float, int, list[int]]:
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or days < 1:
        raise ValueError("Аргумент «days» должен быть целым числом не меньше 1.")
    if not isinstance(min_gap_hours, (int, float, np.number)) or not np.isfinite(min_gap_hours) or min_gap_hours < 0:
        raise ValueError("Аргумент «min_gap_hours» должен быть числом не меньше 0.")
    if isinstance(max_per_day, bool) or not isinstance(max_per_day, (int, np.integer)) or max_per_day < 1:
        raise ValueError("Аргумент «max_per_day» должен быть целым числом не меньше 1.")
    hour_list = sorted(set(hours))
    if not hour_list or any(not isinstance(h, (int, np.integer)) or not 0 <= h <= 23 for h in hour_list):
        raise ValueError("Аргумент «hours» должен содержать целые часы от 0 до 23.")
    return int(days), float(min_gap_hours), int(max_per_day), [int(h) for h in hour_list]


def _check_quota(rubric_quota: Mapping[str, tuple[int, int]] | None, items: pd.DataFrame) -> None:
    counts = items["rubric"].value_counts()
    for rubric, bounds in (rubric_quota or {}).items():
        try:
            low, high = (int(v) for v in bounds)
        except (TypeError, ValueError):
            raise ValueError(f"В «rubric_quota» для рубрики «{rubric}» нужна пара чисел (минимум, максимум).") from None
        if low < 0 or low > high:
            raise ValueError(f"В «rubric_quota» для рубрики «{rubric}» нужно 0 ≤ минимум ≤ максимум: ({low}, {high}).")
        have = int(counts.get(rubric, 0))
        if not low <= have <= high:
            raise ValueError(
                f"Квоту «rubric_quota» для рубрики «{rubric}» выполнить нельзя: нужно от {low} до {high} "
                f"публикаций, а в «items» их {have}."
            )


def _check_fixed(
    fixed: Mapping[str, str | datetime | pd.Timestamp] | None,
    items: pd.DataFrame,
    first: pd.Timestamp,
    days: int,
    gap: float,
    per_day: int,
) -> dict[int, pd.Timestamp]:
    position = {item: i for i, item in enumerate(items["item_id"])}
    pinned: dict[int, pd.Timestamp] = {}
    for item, when in (fixed or {}).items():
        if item not in position:
            raise ValueError(f"В «fixed» указан материал «{item}», которого нет в «items».")
        try:
            stamp = pd.Timestamp(when)
        except (TypeError, ValueError):
            raise ValueError(f"В «fixed» для «{item}» время должно иметь вид «ГГГГ-ММ-ДД ЧЧ:ММ».") from None
        if pd.isna(stamp):
            raise ValueError(f"В «fixed» для «{item}» время должно иметь вид «ГГГГ-ММ-ДД ЧЧ:ММ».")
        stamp = stamp.tz_localize(None) if stamp.tzinfo else stamp
        if not 0 <= (stamp.normalize() - first).days < days:
            raise ValueError(f"В «fixed» время «{item}» ({stamp:%Y-%m-%d %H:%M}) вне окна «start» + «days».")
        pinned[position[item]] = stamp
    order = sorted(pinned, key=pinned.__getitem__)
    for a, b in pairwise(order):
        hours_apart = (pinned[b] - pinned[a]).total_seconds() / 3600
        if hours_apart < gap or pinned[a].floor("h") == pinned[b].floor("h"):
            raise ValueError(
                f"Закреплённые в «fixed» публикации «{items['item_id'].iat[a]}» и «{items['item_id'].iat[b]}» "
                f"стоят ближе, чем «min_gap_hours» = {gap:g} ч."
            )
    per_date = pd.Series([t.normalize() for t in pinned.values()], dtype="datetime64[us]").value_counts()
    if not per_date.empty and per_date.max() > per_day:
        raise ValueError(
            f"В «fixed» на {per_date.idxmax():%Y-%m-%d} закреплено {per_date.max()} публикаций, "
            f"а «max_per_day» = {per_day}."
        )
    return pinned


def _free_slots(
    first: pd.Timestamp,
    days: int,
    hours: list[int],
    fixed_at: dict[int, pd.Timestamp],
    gap: float,
    day_room: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate (day, hour) slots: in the window, on days with room, not too close to a fixed post."""
    day, hour = (a.ravel() for a in np.meshgrid(np.arange(days), np.array(hours), indexing="ij"))
    keep = day_room[day] > 0
    t = day * 24.0 + hour
    for stamp in fixed_at.values():
        at = (stamp - first).total_seconds() / 3600
        same_slot = np.floor(at) == t
        keep &= ~same_slot & (np.abs(t - at) >= gap)
    return day[keep], hour[keep]


def _cell(grid: np.ndarray, stamp: pd.Timestamp) -> float:
    value = grid[stamp.day_of_week, stamp.hour]
    return 0.0 if np.isnan(value) else float(value)


def _check_room(problem: _Problem, min_gap_hours: float, max_per_day: int) -> None:
    """Fail early when the free items cannot fit: a bound on posts per day that ignores cross-day gaps."""
    usable = ~np.isnan(problem.value)
    for row, i in enumerate(problem.free):
        if not usable[row].any():
            item, rubric = problem.items["item_id"].iat[i], problem.items["rubric"].iat[i]
            raise ValueError(f"Для материала «{item}» (рубрика «{rubric}») в «slots_value» нет ни одного слота.")
    any_usable = usable.any(axis=0) if len(problem.free) else np.zeros(len(problem.slot_day), bool)
    room = 0
    for d in range(len(problem.day_room)):
        times = problem.slot_hour[(problem.slot_day == d) & any_usable]
        room += min(int(problem.day_room[d]), _most_spaced(times, problem.gap))
    if len(problem.free) > room:
        raise ValueError(
            f"В окне не хватает слотов: материалов без закреплённого времени {len(problem.free)}, а с учётом "
            f"«hours», «min_gap_hours» = {min_gap_hours:g}, «max_per_day» = {max_per_day} и «fixed» "
            f"помещается не больше {room}. Увеличьте «days» или ослабьте ограничения."
        )


def _most_spaced(times: np.ndarray, gap: float) -> int:
    """Most posts one day's hours can hold at least ``gap`` apart (earliest-first is optimal here)."""
    count, last = 0, -np.inf
    for t in np.sort(times):
        if t - last >= max(gap, 1.0):
            count, last = count + 1, t
    return count


# --- solvers --------------------------------------------------------------------------------------------------


def _solve_milp(problem: _Problem, min_gap_hours: float, max_per_day: int) -> np.ndarray:
    """Slot index (into the candidate slots) of every free item, from the MILP in the module docstring."""
    n_items, n_slots = problem.value.shape
    if n_items == 0:
        return np.zeros(0, dtype=int)
    groups = np.unique(problem.group)
    first_row = [int(np.flatnonzero(problem.group == g)[0]) for g in groups]
    value = problem.value[first_row]  # one row per group: its items are interchangeable
    size = np.array([np.sum(problem.group == g) for g in groups])
    column = np.arange(len(groups) * n_slots).reshape(len(groups), n_slots)  # x[g, s] is column g * n_slots + s
    t = problem.slot_time
    windows = [np.flatnonzero((t >= t[s]) & (t < t[s] + max(problem.gap, 1.0))) for s in range(n_slots)]
    days = sorted(set(problem.slot_day.tolist()))
    rows = [column[g] for g in range(len(groups))]  # every item of the group gets a slot
    rows += [column[:, w].ravel() for w in windows]  # at most one post per gap window (and per slot)
    rows += [column[:, problem.slot_day == d].ravel() for d in days]  # daily limit
    lower = np.concatenate([size, np.full(n_slots + len(days), -np.inf)])
    upper = np.concatenate([size, np.ones(n_slots), problem.day_room[days]])
    row_of = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
    matrix = coo_array((np.ones(len(row_of)), (row_of, np.concatenate(rows))), shape=(len(rows), column.size))
    solution = milp(
        c=-np.nan_to_num(value).ravel(),
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=np.ones(column.size),
        bounds=Bounds(0, (~np.isnan(value)).ravel().astype(float)),
    )
    if solution.status == 2:
        raise ValueError(
            f"Расписание составить нельзя: все материалы не помещаются в окно с учётом «min_gap_hours» = "
            f"{min_gap_hours:g}, «max_per_day» = {max_per_day} и закреплённых публикаций «fixed»."
        )
    if solution.x is None:
        raise ValueError(f"Решатель не нашёл расписание: {solution.message}")
    chosen = np.round(solution.x).reshape(len(groups), n_slots) > 0.5
    slots = np.zeros(n_items, dtype=int)
    for k, g in enumerate(groups):
        slots[problem.group == g] = np.flatnonzero(chosen[k])  # earlier slots to earlier items
    return slots


def _solve_greedy(problem: _Problem, max_per_day: int) -> np.ndarray:
    """Items in order, each to its best allowed slot (highest value, earliest on ties)."""
    t, gap = problem.slot_time, problem.gap
    used_per_day = max_per_day - problem.day_room
    taken: list[int] = []
    for row in range(len(problem.free)):
        allowed = ~np.isnan(problem.value[row]) & (used_per_day[problem.slot_day] < max_per_day)
        for s in taken:
            allowed &= (np.abs(t - t[s]) >= gap) & (np.arange(len(t)) != s)
        if not allowed.any():
            item = problem.items["item_id"].iat[problem.free[row]]
            raise ValueError(
                f"Жадный алгоритм не нашёл слот для «{item}»: ранние материалы заняли места. "
                "Попробуйте schedule_posts или ослабьте «min_gap_hours» / «max_per_day»."
            )
        best = int(np.flatnonzero(allowed)[np.argmax(problem.value[row][allowed])])
        taken.append(best)
        used_per_day[problem.slot_day[best]] += 1
    return np.array(taken, dtype=int)


# --- result ---------------------------------------------------------------------------------------------------


def _result(problem: _Problem, slots: np.ndarray) -> pd.DataFrame:
    """The schedule table, sorted by time, with the total expected value in ``attrs["total_value"]``."""
    when: dict[int, pd.Timestamp] = dict(problem.fixed_at)
    value: dict[int, float] = dict(problem.fixed_value)
    for row, (i, s) in enumerate(zip(problem.free, slots, strict=True)):
        when[i] = problem.start + pd.Timedelta(days=int(problem.slot_day[s]), hours=int(problem.slot_hour[s]))
        value[i] = float(problem.value[row, s])
    items = problem.items
    order = sorted(range(len(items)), key=lambda i: (when[i], i))
    stamps = pd.Series([when[i] for i in order], dtype="datetime64[us]")
    out = pd.DataFrame(
        {
            "item_id": items["item_id"].to_numpy()[order],
            "rubric": items["rubric"].to_numpy()[order],
            "date": stamps.dt.normalize(),
            "time": stamps.dt.strftime("%H:%M"),
            "weekday_ru": [WEEKDAYS_RU[d] for d in stamps.dt.day_of_week],
            "value": [value[i] for i in order],
            "fixed": [i in problem.fixed_at for i in order],
        }
    )
    if "platform" in items.columns:
        out.insert(2, "platform", items["platform"].to_numpy()[order])
    out.attrs["total_value"] = float(out["value"].sum())
    return out
