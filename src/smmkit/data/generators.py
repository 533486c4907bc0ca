"""Seeded generators for module 01 datasets: accounts, audience activity and post history.

The planted effect: each post's reach follows its audience's online share at the weekday and hour of
publication (local time, Asia/Almaty). A brand team that posts at its habitual hours rather than when
its audience is online leaves reach on the table; the size of that gap is known exactly.
"""

from __future__ import annotations

import functools
import zlib
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from smmkit.data import universe as u
from smmkit.data.realism import Loader
from smmkit.data.recipe import Recipe

PERIOD_START = "2025-09-01"
PERIOD_DAYS = 182  # 2025-09-01 .. 2026-03-01 (inclusive); posts after STORY_NOW are dropped
BASE_ONLINE = 0.30
_LONGEST_POST = 2200  # the generator's clip on post length (frozen history); platform limits live in smmkit.platforms
BUMP_SCALE = 0.45
INTERACTION_PARTS = ("likes", "comments", "shares", "saves")
REACH_ELASTICITY = 0.9
"""How strongly reach follows the audience online share: reach ∝ (online / weekly mean) ** elasticity."""


NIGHT_DIP = (3.75, 1.6, 0.72)
"""The night dip: centre (local hour), width (hours) and depth; a Gaussian trough, no step at any hour."""
WEEKEND = {"shift": 1.5, "morning": 0.6, "lunch": 1.15, "night_later": 0.75}
"""Saturday and Sunday: morning peaks (before 11:00) come 1.5 h later and at 60 % height (no commute), lunch
peaks are 15 % higher, and the night dip comes 45 minutes later (people stay up on Friday and Saturday)."""


def _day_curve(account: u.Account, weekend: bool) -> np.ndarray:
    """Online share shape over the 24 hours of one day (before the weekday level and normalisation)."""
    b = u.brand(account.brand_id)
    shift, evening = u.PLATFORM_CLOCK[account.platform]
    hours = np.arange(24) + 0.5
    curve = np.zeros(24)
    for bump in b.bumps:
        centre = bump.hour + shift
        height = bump.height * (evening if bump.hour >= 17 else 1.0)
        if weekend and bump.hour < 11:
            centre, height = centre + WEEKEND["shift"], height * WEEKEND["morning"]
        elif weekend and bump.hour < 15:
            height *= WEEKEND["lunch"]
        # circular distance so that a 23:00 peak spills over midnight
        dist = np.minimum(np.abs(hours - centre), 24 - np.abs(hours - centre))
        curve += height * np.exp(-0.5 * (dist / bump.width) ** 2)
    curve = BASE_ONLINE + BUMP_SCALE * curve
    centre, width, depth = NIGHT_DIP
    centre += WEEKEND["night_later"] if weekend else 0.0
    return curve * (1 - depth * np.exp(-0.5 * ((hours - centre) / width) ** 2))


def activity_matrix(account: u.Account) -> np.ndarray:
    """Share of the account's audience online (0..1) for each local weekday (rows, Mon=0) and hour (columns).

    Weekdays share one daily shape, Saturday and Sunday another (see ``WEEKEND``), so weekend hours are not a
    fixed multiple of weekday hours; the brand's ``weekday_factor`` sets each day's level.

    >>> grid = activity_matrix(u.ACCOUNTS[0])
    >>> grid.shape, float(grid.max())
    ((7, 24), 0.42)
    """
    b = u.brand(account.brand_id)
    weekday, weekend = _day_curve(account, weekend=False), _day_curve(account, weekend=True)
    grid = np.asarray(b.weekday_factor)[:, None] * np.vstack([weekday] * 5 + [weekend] * 2)
    return np.round(0.42 * grid / grid.max(), 4)


def make_accounts() -> pd.DataFrame:
    """The brand accounts of the universe: one row per account."""
    rows = []
    for acc in u.ACCOUNTS:
        b = u.brand(acc.brand_id)
        rows.append(
            {
                "account_id": acc.account_id,
                "brand_id": b.brand_id,
                "brand": b.name,
                "niche": b.niche,
                "city": b.city,
                "platform": acc.platform,
                "handle": acc.handle,
                "target_audience": b.audience,
                "followers_start": acc.followers_start,
            }
        )
    return pd.DataFrame(rows)


def make_audience_activity() -> pd.DataFrame:
    """Audience online share by account, local weekday and hour, as platforms' insights show it."""
    frames = []
    for acc in u.ACCOUNTS:
        grid = activity_matrix(acc)
        wd, hr = np.meshgrid(np.arange(7), np.arange(24), indexing="ij")
        frames.append(
            pd.DataFrame(
                {
                    "account_id": acc.account_id,
                    "weekday": wd.ravel(),
                    "weekday_ru": np.asarray(u.WEEKDAYS_RU)[wd.ravel()],
                    "hour": hr.ravel(),
                    "online_share": grid.ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _post_hours(rng: np.random.Generator, b: u.Brand, n: int) -> np.ndarray:
    """Hours the team publishes at: mostly its habits, sometimes anywhere between 8 and 22."""
    habitual = rng.choice(np.asarray(b.habit_hours), size=n)
    anywhere = rng.integers(8, 23, size=n)
    return np.where(rng.random(n) < 0.7, habitual, anywhere)


@functools.cache
def post_effects() -> dict[str, Any]:
    """The content effects of ``posts_effects.yaml`` (formats, rubrics, interaction mix, hashtags, giveaways)."""
    text = resources.files("smmkit.data").joinpath("posts_effects.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


GIVEAWAY = "Розыгрыш"
"""The rubric of giveaway posts («напишите в комментариях „участвую“»)."""

_STREAMS = ("schedule", "content", "followers", "reach", "interactions")
"""Independent random streams of one account, in this order: changing how one part is drawn leaves the others."""


def account_streams(seed: int, account_id: str) -> dict[str, np.random.Generator]:
    """One account's random streams, keyed by its id (stable when accounts are added, removed or reordered)."""
    key = zlib.crc32(account_id.encode("utf-8"))
    children = np.random.SeedSequence([seed, key]).spawn(len(_STREAMS))
    return {name: np.random.default_rng(child) for name, child in zip(_STREAMS, children, strict=True)}


def follower_series(
    rng: np.random.Generator, acc: u.Account, giveaway_days: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Followers at the end of each period day and how many of them were bought (they see no posts).

    Organic growth is a random walk around the account's daily growth; a giveaway brings a jump over the next
    three days and, once the winner is announced, an unfollow tail; a bought wave adds its followers in one night.
    """
    fx = post_effects()
    days = np.arange(PERIOD_DAYS)
    rate = acc.followers_growth_per_day
    net = rng.poisson(rate * 1.25, PERIOD_DAYS) - rng.poisson(rate * 0.25, PERIOD_DAYS)
    followers = acc.followers_start + np.cumsum(net).astype(float)
    median, sigma = fx["giveaway_gain"]
    split = np.asarray(fx["giveaway_days"])
    for day in np.unique(giveaway_days):
        gain = followers[day] * median * np.exp(sigma * rng.standard_normal())
        joined = np.zeros(PERIOD_DAYS)
        for k, share in enumerate(split, start=1):
            joined[days >= day + k] += gain * share
        results = day + fx["giveaway_results_day"]
        left = gain * fx["giveaway_unfollow"] * (1 - np.exp(-(days - results) / fx["giveaway_unfollow_tau"]))
        followers += joined - np.where(days > results, left, 0.0)
    bought = np.zeros(PERIOD_DAYS)
    start = pd.Timestamp(PERIOD_START)
    for wave in u.BOUGHT_WAVES:
        if wave.account_id == acc.account_id:
            bought[days >= (pd.Timestamp(wave.day) - start).days] += wave.followers
    return np.round(followers + bought).astype(int), bought.astype(int)


def make_posts(seed: int = 2025) -> pd.DataFrame:
    """Post history of every account over 26 weeks, timestamps exported in UTC like platform APIs do.

    Each account draws from its own random streams (``account_streams``), so a change to one account or to one
    part of the model (say, the interaction mix) leaves every other account's posts and the other parts as they were.
    """
    fx = post_effects()
    start = pd.Timestamp(PERIOD_START, tz=u.TIMEZONE)
    frames = []
    for acc in u.ACCOUNTS:
        rng = account_streams(seed, acc.account_id)
        b = u.brand(acc.brand_id)
        grid = activity_matrix(acc)
        weekly_mean = grid[:, 8:23].mean()

        # when: the schedule stream
        per_day = rng["schedule"].poisson(acc.posts_per_day, size=PERIOD_DAYS)
        day = np.repeat(np.arange(PERIOD_DAYS), per_day)
        n = day.size
        hour = _post_hours(rng["schedule"], b, n)
        minute = rng["schedule"].integers(0, 60, size=n)
        local = start + pd.to_timedelta(day, unit="D") + pd.to_timedelta(hour * 60 + minute, unit="min")
        weekday = local.day_of_week.to_numpy()

        # what: the content stream
        mix = fx["format_mix"][acc.platform]
        formats = np.asarray([f for f in acc.formats if f in mix])
        p = np.asarray([mix[f] for f in formats])
        fmt = rng["content"].choice(formats, size=n, p=p / p.sum())
        rubrics = np.asarray(b.rubrics)
        w = np.asarray([fx["rubric_weight"].get(r, 1.0) for r in rubrics])
        rubric = rng["content"].choice(rubrics, size=n, p=w / w.sum())
        text_len = np.clip(np.round(rng["content"].lognormal(5.6, 0.6, n)), 40, _LONGEST_POST).astype(int)
        if acc.platform == "TikTok":
            text_len = np.clip(text_len // 4, 20, 300)
        social = acc.platform in ("Instagram", "TikTok")
        hashtags = rng["content"].integers(0, 12, size=n) if social else rng["content"].integers(0, 4, n)

        # who follows: the followers stream (giveaway jumps, the bought wave)
        followers_by_day, bought_by_day = follower_series(rng["followers"], acc, day[rubric == GIVEAWAY])
        followers, bought = followers_by_day[day], bought_by_day[day]

        # who sees it: the reach stream; bought followers never do
        share, sigma, err = u.PLATFORM_REACH[acc.platform]
        fmt_reach = np.array([u.FORMAT_EFFECT[f][0] for f in fmt])
        fmt_er = np.array([u.FORMAT_EFFECT[f][1] for f in fmt])
        timing = (grid[weekday, hour] / weekly_mean) ** REACH_ELASTICITY
        tags = np.asarray(fx["hashtag_reach"])[hashtags] if social else 1.0
        audience = followers - bought
        reach = audience * share * fmt_reach * timing * tags * rng["reach"].lognormal(0.0, sigma, n)
        if acc.platform not in ("TikTok", "YouTube"):  # recommendations show them beyond the followers
            reach = np.minimum(reach, audience * 0.95)
        reach = np.maximum(np.round(reach), 30).astype(int)
        ratio = np.asarray([fx["impressions_per_reach"][acc.platform][f] for f in fmt])
        if acc.platform in ("Telegram", "YouTube"):
            impressions = reach.copy()  # Telegram and YouTube Studio count views: one number for both columns
        else:
            noise = np.exp(fx["impressions_sigma"] * rng["reach"].standard_normal(n))
            impressions = np.round(reach * np.maximum(ratio * noise, 1.0)).astype(int)

        # how they react: the interactions stream
        size = (acc.followers_start / fx["size_reference"][acc.platform]) ** fx["size_elasticity"]
        rubric_err = np.asarray([fx["rubric_err"].get(r, 1.0) for r in rubric])
        length = 1.0
        if acc.platform != "TikTok":
            length = np.exp(-fx["length_curvature"] * np.log(text_len / fx["length_best"]) ** 2)
        rate = err * size * fmt_er * rubric_err * length * rng["interactions"].lognormal(0.0, 0.3, n)
        interactions = rng["interactions"].poisson(reach * rate)
        parts = np.asarray([fx["interaction_mix"][acc.platform][f] for f in fmt], dtype=float)
        for rub, boosts in fx["rubric_mix"].items():
            for part, factor in boosts.items():
                parts[rubric == rub, INTERACTION_PARTS.index(part)] *= factor
        parts *= np.exp(fx["mix_sigma"] * rng["interactions"].standard_normal(parts.shape))
        split = rng["interactions"].multinomial(interactions, parts / parts.sum(axis=1, keepdims=True))

        frames.append(
            pd.DataFrame(
                {
                    "account_id": acc.account_id,
                    "platform": acc.platform,
                    "published_at_utc": local.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "format": fmt,
                    "rubric": rubric,
                    "text_length": text_len,
                    "hashtags": hashtags,
                    "followers": followers,
                    "reach": reach,
                    "impressions": impressions,
                    "likes": split[:, 0],
                    "comments": split[:, 1],
                    "shares": split[:, 2],
                    "saves": split[:, 3],
                }
            )
        )
    posts = pd.concat(frames, ignore_index=True).sort_values(["published_at_utc", "account_id"], kind="stable")
    cutoff = pd.Timestamp(u.STORY_NOW).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    posts = posts[posts["published_at_utc"] < cutoff]  # nothing is published after the story's "today"
    # ids in time order; posts of platforms added later (u.NUMBERED_LAST) continue after all the others, so adding
    # an account never renumbers the posts that comments and lessons already point to
    later = posts["platform"].isin(u.NUMBERED_LAST).to_numpy()
    number = np.empty(len(posts), dtype=int)
    number[~later] = np.arange(1, (~later).sum() + 1)
    number[later] = np.arange((~later).sum() + 1, len(posts) + 1)
    posts.insert(0, "post_id", [f"P{i:05d}" for i in number])
    return posts.reset_index(drop=True)


RECIPES: tuple[Recipe, ...] = (
    Recipe("accounts", make_accounts, "smmkit.data.generators.make_accounts()"),
    Recipe("audience_activity", make_audience_activity, "smmkit.data.generators.make_audience_activity()"),
    Recipe("posts", lambda: make_posts(seed=2025), "smmkit.data.generators.make_posts(seed=2025)"),
)


# ============================================================================================ realism measures
# Each takes the dataset loader (``load(name)`` -> the frame as generated) and returns one number; the ranges and
# their sources live in ``src/smmkit/data/realism/posts.yaml``.

SMALL_ACCOUNT = 50_000
"""Followers that split the brands' Instagram accounts into smaller and larger ones (follower tiers)."""


def _posts_with_rates(load: Loader) -> pd.DataFrame:
    posts = load("posts")
    interactions = posts[list(INTERACTION_PARTS)].sum(axis=1)
    return posts.assign(interactions=interactions, er=interactions / posts["followers"],
                        reach_rate=posts["reach"] / posts["followers"])


def _median_er(load: Loader, platform: str) -> float:
    posts = _posts_with_rates(load)
    return float(100 * posts.loc[posts["platform"] == platform, "er"].median())


def realism_er_instagram(load: Loader) -> float:
    """Median ER by followers of Instagram posts, %."""
    return _median_er(load, "Instagram")


def realism_er_tiktok(load: Loader) -> float:
    """Median ER by followers of TikTok posts, %."""
    return _median_er(load, "TikTok")


def realism_er_facebook(load: Loader) -> float:
    """Median ER by followers of Facebook posts, %."""
    return _median_er(load, "Facebook")


def realism_er_telegram(load: Loader) -> float:
    """Median ER by subscribers (reactions + comments + forwards) of Telegram posts, %."""
    return _median_er(load, "Telegram")


def realism_er_tier_ratio(load: Loader) -> float:
    """Instagram: median ER of accounts under 50,000 followers / median ER of the bigger ones."""
    posts = _posts_with_rates(load)
    ig = posts[posts["platform"] == "Instagram"]
    small = ig["followers"] < SMALL_ACCOUNT
    return float(ig.loc[small, "er"].median() / ig.loc[~small, "er"].median())


def realism_tg_view_rate(load: Loader) -> float:
    """Telegram: median views / subscribers per post (TGStat's «ERR»), %."""
    posts = _posts_with_rates(load)
    return float(100 * posts.loc[posts["platform"] == "Telegram", "reach_rate"].median())


def realism_reach_rate_vk(load: Loader) -> float:
    """VK: median reach / subscribers per post, %."""
    posts = _posts_with_rates(load)
    return float(100 * posts.loc[posts["platform"] == "VK", "reach_rate"].median())


def realism_likes_share_instagram(load: Loader) -> float:
    """Instagram: median share of likes in a post's likes + comments + shares + saves, %."""
    posts = _posts_with_rates(load)
    ig = posts[(posts["platform"] == "Instagram") & (posts["interactions"] > 0)]
    return float(100 * (ig["likes"] / ig["interactions"]).median())


def _youtube(load: Loader, fmt: str) -> pd.DataFrame:
    posts = _posts_with_rates(load)
    return posts[(posts["platform"] == "YouTube") & (posts["format"] == fmt)]


def realism_yt_view_rate(load: Loader) -> float:
    """YouTube long videos: median views / subscribers per video, %."""
    return float(100 * _youtube(load, "Длинное видео")["reach_rate"].median())


def realism_yt_er_views_long(load: Loader) -> float:
    """YouTube long videos: median (likes + comments) / views, %."""
    yt = _youtube(load, "Длинное видео")
    return float(100 * (yt["interactions"] / yt["reach"]).median())


def realism_yt_er_views_shorts(load: Loader) -> float:
    """YouTube Shorts: median (likes + comments) / views, %."""
    yt = _youtube(load, "Shorts")
    return float(100 * (yt["interactions"] / yt["reach"]).median())


def realism_yt_comments_per_view(load: Loader) -> float:
    """YouTube long videos: median comments / views, %."""
    yt = _youtube(load, "Длинное видео")
    return float(100 * (yt["comments"] / yt["reach"]).median())


def realism_frequency_instagram(load: Loader) -> float:
    """Instagram: median impressions / reach per post."""
    posts = load("posts")
    ig = posts[posts["platform"] == "Instagram"]
    return float((ig["impressions"] / ig["reach"]).median())
