"""weekday_hour_table: the 7 x 24 grid of a post metric in local time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmkit import datasets
from smmkit.analysis.posting_time import weekday_hour_table


@pytest.fixture(scope="module")
def posts() -> pd.DataFrame:
    df = datasets.load("posts")
    return df.assign(reach_rate=df["reach"] / df["followers"])


def test_grid_matches_a_hand_made_pivot(posts: pd.DataFrame) -> None:
    mine = posts[posts["account_id"] == "ds_ig"]
    grid = weekday_hour_table(mine, "reach_rate")
    local = mine["published_at_utc"].dt.tz_convert("Asia/Almaty")
    by_hand = mine.pivot_table(index=local.dt.day_of_week, columns=local.dt.hour, values="reach_rate",
                               aggfunc="median")
    assert grid.shape == (7, 24) and list(grid.index) == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
    for day in by_hand.index:
        for hour in by_hand.columns:
            expected = by_hand.loc[day, hour]
            got = grid.iloc[day, hour]
            assert (np.isnan(expected) and np.isnan(got)) or got == pytest.approx(expected)


def test_small_cells_are_masked(posts: pd.DataFrame) -> None:
    mine = posts[posts["account_id"] == "qc_ig"]
    full = weekday_hour_table(mine, "reach", agg="count")
    masked = weekday_hour_table(mine, "reach_rate", min_posts=5)
    assert (masked.notna() == (full >= 5)).all().all()


def test_local_time_not_utc() -> None:
    # 2026-03-02 (Monday) 04:00 UTC is 09:00 in Almaty
    df = pd.DataFrame({"published_at_utc": pd.to_datetime(["2026-03-02 04:00"], utc=True), "reach": [10]})
    grid = weekday_hour_table(df, "reach")
    assert grid.loc["Пн", 9] == 10 and grid.notna().sum().sum() == 1


def test_errors_are_russian(posts: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="нет столбца «clicks»"):
        weekday_hour_table(posts, "clicks")
    naive = pd.DataFrame({"published_at_utc": pd.to_datetime(["2026-03-02 04:00"]), "reach": [1]})
    with pytest.raises(ValueError, match="без часового пояса"):
        weekday_hour_table(naive, "reach")
    with pytest.raises(ValueError, match="min_posts"):
        weekday_hour_table(posts, "reach", min_posts=0)
