"""Best time to post: weekday x hour grids in local time, slot planning and the expected reach change.

A grid is a 7 x 24 DataFrame: rows are local weekdays (Пн..Вс), columns are local hours 0..23.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from smmkit.data.universe import TIMEZONE, WEEKDAYS_RU

Slot = tuple[int, int]
"""A publishing slot: (local weekday 0=Пн..6=Вс, local hour 0..23)."""

DAY_HOURS = range(8, 23)
"""Hours a brand account normally publishes in (08:00–22:59)."""


def activity_grid(activity: pd.DataFrame, account_id: str) -> pd.DataFrame:
    """Reshape the ``audience_activity`` rows of one account into a 7 x 24 grid of online shares."""
    rows = activity[activity["account_id"] == account_id]
    if rows.empty:
        known = ", ".join(sorted(activity["account_id"].unique()))
        raise ValueError(f"Нет данных активности для аккаунта «{account_id}». Есть: {known}.")
    grid = rows.pivot_table(index="weekday", columns="hour", values="online_share", aggfunc="mean")
    grid = grid.reindex(index=range(7), columns=range(24))
    grid.index = pd.Index(WEEKDAYS_RU, name="weekday")
    grid.columns.name = "hour"
    return grid


def weekday_hour_table(
    posts: pd.DataFrame,
    value: str,
    ts: str = "published_at_utc",
    agg: str = "median",
    min_posts: int = 1,
    tz: str = TIMEZONE,
) -> pd.DataFrame:
    """A 7 x 24 grid of ``agg(value)`` by local weekday and hour of ``ts``; cells under ``min_posts`` are NaN.

    >>> t = pd.Series(pd.to_datetime(["2026-03-02 15:00", "2026-03-02 15:30"], utc=True))
    >>> grid = weekday_hour_table(pd.DataFrame({"published_at_utc": t, "reach": [100, 300]}), "reach")
    >>> grid.loc["Пн", 20]
    np.float64(200.0)
    """
    for column in (ts, value):
        if column not in posts.columns:
            raise ValueError(f"В таблице нет столбца «{column}».")
    if min_posts < 1:
        raise ValueError("Аргумент «min_posts» должен быть не меньше 1.")
    stamps = posts[ts]
    if getattr(stamps.dt, "tz", None) is None:
        raise ValueError(f"Столбец «{ts}» без часового пояса: сначала укажите его (dt.tz_localize).")
    local = stamps.dt.tz_convert(tz)
    keys = [local.dt.day_of_week.rename("weekday"), local.dt.hour.rename("hour")]
    grouped = posts[value].groupby(keys)
    table = grouped.agg(agg).unstack().where(grouped.count().unstack() >= min_posts)
    table = table.reindex(index=range(7), columns=range(24)).astype(float)
    table.index = pd.Index(WEEKDAYS_RU, name="weekday")
    table.columns.name = "hour"
    return table


def slot_label(slot: Slot) -> str:
    """Human label of a slot, e.g. ``Вт 13:00``.

    >>> slot_label((1, 13))
    'Вт 13:00'
    """
    weekday, hour = slot
    return f"{WEEKDAYS_RU[weekday]} {hour:02d}:00"


def plan_slots(
    grid: pd.DataFrame,
    posts_per_week: int,
    min_gap_hours: int = 3,
    max_per_day: int | None = None,
    hours: range = DAY_HOURS,
) -> list[Slot]:
    """Pick the best ``posts_per_week`` slots from a grid, greedily, under gap and per-day limits.

    >>> g = pd.DataFrame(np.zeros((7, 24))); g.iloc[0, 20] = 1.0; g.iloc[0, 21] = 0.9; g.iloc[3, 12] = 0.5
    >>> plan_slots(g, 2)
    [(0, 20), (3, 12)]
    """
    if posts_per_week < 1:
        raise ValueError("Число публикаций в неделю должно быть не меньше 1.")
    limit = max_per_day or math.ceil(posts_per_week / 7)
    values = grid.to_numpy(dtype=float)
    candidates = [(values[d, h], d, h) for d in range(7) for h in hours if not np.isnan(values[d, h])]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    chosen: list[Slot] = []
    for _, day, hour in candidates:
        same_day = [h for d, h in chosen if d == day]
        if len(same_day) >= limit or any(abs(hour - h) < min_gap_hours for h in same_day):
            continue
        chosen.append((day, hour))
        if len(chosen) == posts_per_week:
            break
    return sorted(chosen)


def reach_index(grid: pd.DataFrame, slots: list[Slot], elasticity: float = 1.0) -> float:
    """Expected reach of a schedule relative to an average daytime slot: mean of (share / daytime mean) ** e.

    >>> g = pd.DataFrame(np.full((7, 24), 0.1)); g.iloc[2, 19] = 0.3
    >>> round(reach_index(g, [(2, 19)]), 3)
    2.944
    """
    if not slots:
        raise ValueError("Не выбрано ни одного слота.")
    values = grid.to_numpy(dtype=float)
    base = np.nanmean(values[:, DAY_HOURS.start : DAY_HOURS.stop])
    return float(np.mean([(values[d, h] / base) ** elasticity for d, h in slots]))


def reach_change(grid: pd.DataFrame, new: list[Slot], old: list[Slot], elasticity: float = 1.0) -> float:
    """Relative change of expected reach when moving from the ``old`` schedule to the ``new`` one.

    >>> g = pd.DataFrame(np.full((7, 24), 0.1)); g.iloc[2, 19] = 0.2
    >>> reach_change(g, [(2, 19)], [(2, 10)])
    1.0
    """
    return reach_index(grid, new, elasticity) / reach_index(grid, old, elasticity) - 1.0
