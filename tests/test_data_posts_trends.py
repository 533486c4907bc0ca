"""The trends planted in ``posts`` (effect 11 of its datasheet) and its on-demand archive, recovered with pandas.

The trend columns come from a sixth random stream drawn last, so the fifteen earlier columns (which every earlier
lesson and assignment pins) do not depend on them; the archive before the period carries the format trend.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smmkit import datasets
from smmkit.data import generators
from smmkit.data import universe as u

ROOT = Path(__file__).resolve().parents[1]
TRENDS = ["subtitles", "ugc", "ai_generated", "ai_label"]


@pytest.fixture(scope="module")
def posts() -> pd.DataFrame:
    df = datasets.load("posts")
    return df.assign(month=df["published_at_utc"].dt.tz_convert(u.TIMEZONE).dt.strftime("%Y-%m"),
                     video=df["format"].isin(generators.VIDEO_FORMATS))


@pytest.fixture(scope="module")
def archive() -> pd.DataFrame:
    df = generators.make_posts_archive()
    return df.assign(month=df["published_at_utc"].dt.tz_convert(u.TIMEZONE).dt.strftime("%Y-%m"))


def _share(flag: pd.Series, month: pd.Series) -> pd.Series:
    return flag.groupby(month).mean()


def test_trend_columns_leave_the_earlier_columns_as_they_were(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other trend sizes change the trend columns and nothing else (bug: drawing them from the content stream
    would shift every later draw and every pinned number of modules 00–05)."""
    before = generators.make_posts(seed=2025)
    effects = dict(generators.post_effects())
    effects["trends"] = {**effects["trends"], "subtitles": [0.9, 0.95], "ai_generated": [0.5, 0.6]}
    monkeypatch.setattr(generators, "post_effects", lambda: effects)
    after = generators.make_posts(seed=2025)
    pd.testing.assert_frame_equal(before.drop(columns=TRENDS), after.drop(columns=TRENDS))
    assert after["subtitles"].sum() > before["subtitles"].sum()


def test_subtitles_and_labels_have_their_own_base(posts: pd.DataFrame) -> None:
    """Subtitles only on videos, an AI label only on AI posts: their shares are taken over those posts."""
    assert not posts.loc[~posts["video"], "subtitles"].any()
    assert not posts.loc[~posts["ai_generated"], "ai_label"].any()
    assert posts["video"].sum() == 1040 and posts["ai_generated"].sum() == 474
    assert round(100 * posts.loc[posts["video"], "subtitles"].mean()) == 62
    assert round(100 * posts["subtitles"].mean()) == 24  # the wrong base: all posts
    assert round(100 * posts.loc[posts["ai_generated"], "ai_label"].mean()) == 53


def test_shares_rise_month_by_month(posts: pd.DataFrame) -> None:
    """The datasheet's September → February figures; each trend's least-squares slope over months is positive."""
    video, ai = posts[posts["video"]], posts[posts["ai_generated"]]
    shares = {
        "subtitles": _share(video["subtitles"], video["month"]),
        "ugc": _share(posts["ugc"], posts["month"]),
        "ai_generated": _share(posts["ai_generated"], posts["month"]),
        "ai_label": _share(ai["ai_label"], ai["month"]),
    }
    ends = {name: (round(100 * s.iloc[0]), round(100 * s.iloc[-1])) for name, s in shares.items()}
    assert ends == {"subtitles": (56, 64), "ugc": (13, 14), "ai_generated": (15, 21), "ai_label": (43, 56)}
    for name, s in shares.items():
        assert np.polyfit(np.arange(len(s)), s.to_numpy(), 1)[0] > 0, name


def _relative(posts: pd.DataFrame, values: pd.Series) -> pd.Series:
    return values / values.groupby(posts["account_id"]).transform("median")


def test_subtitled_videos_reach_more_and_ugc_engages_more(posts: pd.DataFrame) -> None:
    """Relative to the account's median: subtitled videos reach 1.2× more, UGC posts get 1.26× the ERR."""
    video = posts[posts["video"]]
    rel = _relative(video, video["reach"])
    assert round(rel[video["subtitles"]].median() / rel[~video["subtitles"]].median(), 1) == 1.2
    err = posts[["likes", "comments", "shares", "saves"]].sum(axis=1) / posts["reach"]
    rel = _relative(posts, err)
    assert round(rel[posts["ugc"]].median() / rel[~posts["ugc"]].median(), 2) == 1.26


def test_archive_carries_the_format_trend(posts: pd.DataFrame, archive: pd.DataFrame) -> None:
    """Reels 24 % of Instagram posts in September–November 2024, 39 % in the period; Shorts 26 % → 55 %;
    carousels about a third throughout; Reels reach 1.5× photos in the period."""
    ig, ig_now = archive[archive["platform"] == "Instagram"], posts[posts["platform"] == "Instagram"]
    first = ig[ig["month"] < "2024-12"]
    assert round(100 * (first["format"] == "Reels").mean()) == 24
    assert round(100 * (ig_now["format"] == "Reels").mean()) == 39
    for frame in (first, ig_now):
        assert 0.28 < (frame["format"] == "Карусель").mean() < 0.36
    yt, yt_now = archive[archive["platform"] == "YouTube"], posts[posts["platform"] == "YouTube"]
    assert round(100 * (yt.loc[yt["month"] < "2024-12", "format"] == "Shorts").mean()) == 26
    assert round(100 * (yt_now["format"] == "Shorts").mean()) == 55
    reach = ig_now.groupby("format", observed=True)["reach"].median()
    assert round(reach["Reels"] / reach["Фото"], 1) == 1.5


def test_archive_is_the_posts_table_before_the_period(posts: pd.DataFrame, archive: pd.DataFrame) -> None:
    """Same columns and types as the loaded posts, twelve months that end before the period, made the same each time."""
    assert list(archive.columns) == list(posts.columns.drop("video"))
    assert (archive.dtypes.drop("month") == posts.dtypes.drop(["month", "video"])).all()
    assert len(archive) == 5274 and archive["post_id"].is_unique
    assert archive["month"].min() == "2024-09" and archive["month"].max() == "2025-08"
    assert archive["published_at_utc"].max() < posts["published_at_utc"].min()
    generators._archive.cache_clear()
    pd.testing.assert_frame_equal(generators.make_posts_archive(), archive.drop(columns="month"))
