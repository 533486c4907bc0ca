"""Content effects and heterogeneity planted in ``posts``, recovered from the data alone (pandas on the frame).

Each test measures an effect the posts datasheet documents («Заложенные учебные эффекты») from the committed
dataset, as a student would, never from the generator's constants; ``test_datasets`` checks that the committed
files are what the generators make. The realism measures of ``src/smmkit/data/realism/posts.yaml`` are checked
against their ranges here too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from smmkit import datasets
from smmkit.data import generators
from smmkit.data import universe as u

ROOT = Path(__file__).resolve().parents[1]
PARTS = ["likes", "comments", "shares", "saves"]
GIVEAWAY = "Розыгрыш"


@pytest.fixture(scope="module")
def posts() -> pd.DataFrame:
    df = datasets.load("posts")
    inter = df[PARTS].sum(axis=1)
    local = df["published_at_utc"].dt.tz_convert(u.TIMEZONE)
    return df.assign(
        interactions=inter,
        err=inter / df["reach"],
        er=inter / df["followers"],
        reach_rate=df["reach"] / df["followers"],
        day=local.dt.normalize(),
    )


def _relative(posts: pd.DataFrame, column: str) -> pd.Series:
    """A metric divided by its account's median: compares posts across accounts of different size and platform."""
    return posts[column] / posts.groupby("account_id")[column].transform("median")


# --- determinism: one random stream per account ----------------------------------------------------------------


def test_each_account_has_its_own_random_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dropping or reordering accounts leaves every other account's posts as they were (bug: one shared stream
    made any change to one account reshuffle all the others)."""
    full = generators.make_posts(seed=2025).drop(columns="post_id")
    kept = tuple(reversed([a for a in u.ACCOUNTS if a.account_id != "qc_ig"]))
    monkeypatch.setattr(u, "ACCOUNTS", kept)
    part = generators.make_posts(seed=2025).drop(columns="post_id")
    for account in ("ds_ig", "jd_tg", "bo_tt"):
        a = full[full["account_id"] == account].reset_index(drop=True)
        b = part[part["account_id"] == account].reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)


def test_youtube_channels_leave_the_other_posts_byte_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding the YouTube channels (data universe v2) changed no earlier post, not even its id: the posts of the
    other accounts, built with and without the channels, are the same rows, and the videos are numbered last."""
    full = generators.make_posts(seed=2025)
    monkeypatch.setattr(u, "ACCOUNTS", tuple(a for a in u.ACCOUNTS if a.platform != "YouTube"))
    before = generators.make_posts(seed=2025)
    after = full[full["platform"] != "YouTube"].reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)
    videos = full[full["platform"] == "YouTube"]
    assert set(videos["account_id"]) == {"bo_yt", "ds_yt", "af_yt"}
    assert videos["post_id"].min() > before["post_id"].max()
    assert videos["published_at_utc"].is_monotonic_increasing and videos["post_id"].is_monotonic_increasing


# --- content effects ---------------------------------------------------------------------------------------------


def test_rubric_changes_err(posts: pd.DataFrame) -> None:
    """Sales posts («Акция», in every brand) get about 0.7 of their account's median ERR; stories about people
    and giveaways get more."""
    rel = _relative(posts, "err").groupby(posts["rubric"]).median()
    assert 0.6 <= rel["Акция"] <= 0.85, rel["Акция"]
    for rubric in ("Истории клиентов", "Истории учеников", "Закулисье", "Курьеры"):
        assert rel[rubric] >= 1.08, (rubric, rel[rubric])
    assert rel[GIVEAWAY] >= 2.0


def test_giveaways_are_commented(posts: pd.DataFrame) -> None:
    """«Напишите „участвую“»: comments are about 40 % of a giveaway's interactions, about 5 % elsewhere."""
    share = posts["comments"] / posts["interactions"]
    giveaway = posts["rubric"] == GIVEAWAY
    assert giveaway.sum() >= 30
    assert share[giveaway].median() >= 0.3 and share[~giveaway].median() <= 0.08
    assert set(posts.loc[giveaway, "account_id"].str[:2]) == {"ds", "jd"}  # the two brands with the rubric


def _giveaway_moves(posts: pd.DataFrame) -> pd.DataFrame:
    """For every giveaway: followers gained within 4 days and followers' drift from day 8 to day 25, both net of
    the account's average daily growth and as a share of the followers on the day of the giveaway."""
    rows = []
    for account, mine in posts.groupby("account_id"):
        daily = mine.groupby("day")["followers"].last()
        trend = (daily.iloc[-1] - daily.iloc[0]) / (daily.index[-1] - daily.index[0]).days
        for day in mine.loc[mine["rubric"] == GIVEAWAY, "day"].unique():
            start = daily[:day].iloc[-1]
            soon, results, later = (daily[day + pd.Timedelta(days=k):] for k in (4, 8, 25))
            if later.empty:
                continue
            jump = soon.iloc[0] - start - trend * (soon.index[0] - day).days
            tail = later.iloc[0] - results.iloc[0] - trend * (later.index[0] - results.index[0]).days
            rows.append({"account_id": account, "jump": jump / start, "tail": tail / start})
    return pd.DataFrame(rows)


def test_giveaways_bring_a_jump_then_an_unfollow_tail(posts: pd.DataFrame) -> None:
    """After a giveaway followers jump (median +1.4 % in 4 days beyond the trend), then part of them leave
    after the results (median −0.6 % against the trend from day 8 to day 25)."""
    moves = _giveaway_moves(posts)
    assert len(moves) >= 30
    assert moves["jump"].median() >= 0.008, moves["jump"].median()
    assert moves["tail"].median() <= -0.002, moves["tail"].median()
    assert (moves.groupby("account_id")["jump"].median() > 0).all()


def test_bought_wave_matches_the_followers_audit(posts: pd.DataFrame) -> None:
    """@astana.fit gains ~3,000 followers overnight on the day the followers audit dates the bought batch; its
    reach does not follow, so the reach rate falls (bought followers see nothing)."""
    wave = u.BOUGHT_WAVES[0]
    audit = datasets.load("followers_audit")
    mine = audit[audit["account_id"] == wave.account_id]
    per_day = mine.groupby(mine["followed_at"].dt.strftime("%Y-%m-%d")).size()
    assert per_day.idxmax() == wave.day

    af = posts[posts["account_id"] == wave.account_id]
    after = af["day"] >= pd.Timestamp(wave.day, tz=u.TIMEZONE)
    jump = af.loc[after, "followers"].iloc[0] - af.loc[~after, "followers"].iloc[-1]
    assert per_day.max() - 100 <= jump <= per_day.max() + 100, jump
    assert af["followers"].diff().max() == jump  # the biggest step of the account's history
    ratio = np.exp(np.log(af.loc[after, "reach_rate"]).mean() - np.log(af.loc[~after, "reach_rate"]).mean())
    assert 0.7 <= ratio <= 0.95, ratio
    assert af["followers"].iloc[-1] == pytest.approx(len(mine), rel=0.01)


def test_caption_length_has_a_modest_optimum(posts: pd.DataFrame) -> None:
    """ERR peaks for captions of a few hundred characters: log ERR is an inverted parabola in log length
    (curvature about −0.1), and captions over 1,000 characters get about 0.8 of the account's median ERR."""
    mine = posts[(posts["platform"] != "TikTok") & (posts["interactions"] > 0)]
    z = np.log(mine["text_length"] / 250)
    y = np.log(mine["err"])
    y = y - y.groupby(mine["account_id"]).transform("mean")
    coef = np.linalg.lstsq(np.column_stack([np.ones(len(z)), z, z**2]), y.to_numpy(), rcond=None)[0]
    assert -0.2 <= coef[2] <= -0.05, coef
    rel = _relative(posts, "err")[mine.index]
    assert rel[mine["text_length"] > 1000].median() <= 0.9
    assert rel[mine["text_length"].between(150, 400)].median() >= 0.97


def test_hashtags_help_then_hurt_reach(posts: pd.DataFrame) -> None:
    """Instagram: 3–6 hashtags reach more followers than none; 9–11 reach less than 3–6 (diminishing, then
    negative returns)."""
    ig = posts[posts["platform"] == "Instagram"]
    rel = _relative(posts, "reach_rate")[ig.index]
    none, few, many = (rel[ig["hashtags"].between(lo, hi)].median() for lo, hi in ((0, 0), (3, 6), (9, 11)))
    assert few / none >= 1.05, (none, few)
    assert many / few <= 0.9, (few, many)


def test_format_mix_differs_by_platform(posts: pd.DataFrame) -> None:
    """Instagram posts Reels most, Telegram more photos than texts, VK and Facebook mostly photos."""
    mix = pd.crosstab(posts["platform"], posts["format"], normalize="index")
    assert 0.3 <= mix.loc["Instagram", "Reels"] <= 0.45
    assert mix.loc["Instagram", "Reels"] == mix.loc["Instagram"].max()
    assert 0.45 <= mix.loc["Telegram", "Фото"] <= 0.65
    assert mix.loc["VK", "Фото"] >= 0.6 and mix.loc["Facebook", "Фото"] >= 0.6
    assert mix.loc["TikTok", "Видео"] == 1.0


def test_er_falls_with_account_size(posts: pd.DataFrame) -> None:
    """Within a platform, bigger accounts have lower ER by followers: the slope of log median ER on log followers
    (platform means removed) is about −0.2."""
    accounts = posts.groupby("account_id").agg(
        er=("er", "median"), followers=("followers", "median"), platform=("platform", "first"))
    x, y = np.log(accounts["followers"]), np.log(accounts["er"])
    x = x - x.groupby(accounts["platform"]).transform("mean")
    y = y - y.groupby(accounts["platform"]).transform("mean")
    slope = float((x * y).sum() / (x * x).sum())
    assert -0.4 <= slope <= -0.1, slope
    ig = accounts[accounts["platform"] == "Instagram"].sort_values("followers")
    assert ig["er"].iloc[0] > ig["er"].iloc[-1]


def test_interaction_mix_varies(posts: pd.DataFrame) -> None:
    """Likes are not a rigid share: carousels are saved, Reels and Telegram texts shared, and the split varies
    from post to post."""
    sums = posts.groupby(["platform", "format"], observed=True)[PARTS].sum()
    share = sums.div(sums.sum(axis=1), axis=0)
    ig = share.loc["Instagram"]
    assert ig.loc["Карусель", "saves"] >= 2 * ig.loc["Фото", "saves"]
    assert ig.loc["Reels", "shares"] >= 2 * ig.loc["Фото", "shares"]
    assert share.loc[("Telegram", "Текст"), "shares"] > share.loc[("Telegram", "Фото"), "shares"]
    assert share["likes"].max() - share["likes"].min() >= 0.1
    likes = posts["likes"] / posts["interactions"]
    assert likes[posts["interactions"] >= 100].std() >= 0.04


def test_impressions_per_reach_by_platform_and_format(posts: pd.DataFrame) -> None:
    """Telegram exports views only (impressions = reach); elsewhere frequency depends on platform and format."""
    freq = (posts["impressions"] / posts["reach"]).groupby([posts["platform"], posts["format"]], observed=True)
    med = freq.median()
    assert (posts.loc[posts["platform"] == "Telegram", "impressions"]
            == posts.loc[posts["platform"] == "Telegram", "reach"]).all()
    assert (posts["impressions"] >= posts["reach"]).all()
    assert med[("Instagram", "Reels")] > med[("Instagram", "Карусель")] > med[("Instagram", "Фото")]
    assert med.loc["Instagram"].min() > med.loc["VK"].max()


# --- realism measures (src/smmkit/data/realism/posts.yaml) ------------------------------------------------------


def _realism_entries() -> list[dict]:
    return yaml.safe_load((ROOT / "src" / "smmkit" / "data" / "realism" / "posts.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", _realism_entries(), ids=lambda e: e["id"])
def test_realism_measures_are_in_range(entry: dict) -> None:
    import importlib

    module, name = entry["measure"].split(":")
    value = getattr(importlib.import_module(module), name)(datasets.load)
    assert entry["low"] <= value <= entry["high"], (entry["id"], value)
    assert entry["id"].startswith("posts.") and entry["source"]


def test_night_posts_tell_utc_months_from_almaty_months() -> None:
    """An Instagram post in the first hours of a month by Almaty time (generators.NIGHT_POSTS) moves a month's
    Reels share when months are taken in UTC (assignment a05, question 6): the shares differ."""
    posts = datasets.load("posts")
    ig = posts[posts["platform"] == "Instagram"]
    reels = ig["format"] == "Reels"
    almaty = reels.groupby(ig["published_at_utc"].dt.tz_convert("Asia/Almaty").dt.strftime("%Y-%m")).mean()
    utc = reels.groupby(ig["published_at_utc"].dt.strftime("%Y-%m")).mean()
    assert list(almaty.index) == list(utc.index) and not (almaty - utc).abs().lt(1e-12).all()
