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

_STREAMS = ("schedule", "content", "followers", "reach", "interactions", "trends")
"""Independent random streams of one account, in this order: changing how one part is drawn leaves the others.
A stream added at the end leaves the earlier ones as they were (``SeedSequence.spawn`` keys each child by its
index), so the ``trends`` columns came without changing a single earlier value."""


def account_streams(seed: int, account_id: str, part: str = "") -> dict[str, np.random.Generator]:
    """One account's random streams, keyed by its id (stable when accounts are added, removed or reordered);
    ``part`` names another stretch of the account's history (the archive before the period) with streams of its own."""
    key = zlib.crc32((account_id + (f"/{part}" if part else "")).encode("utf-8"))
    children = np.random.SeedSequence([seed, key]).spawn(len(_STREAMS))
    return {name: np.random.default_rng(child) for name, child in zip(_STREAMS, children, strict=True)}


def follower_series(
    rng: np.random.Generator, acc: u.Account, giveaway_days: np.ndarray, *, n_days: int = PERIOD_DAYS,
    first: float | None = None, waves: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Followers at the end of each period day and how many of them were bought (they see no posts).

    Organic growth is a random walk around the account's daily growth; a giveaway brings a jump over the next
    three days and, once the winner is announced, an unfollow tail; a bought wave adds its followers in one night.
    ``n_days``, ``first`` (followers on day 0) and ``waves`` serve the archive before the period (no bought waves).
    """
    fx = post_effects()
    days = np.arange(n_days)
    rate = acc.followers_growth_per_day
    net = rng.poisson(rate * 1.25, n_days) - rng.poisson(rate * 0.25, n_days)
    followers = (acc.followers_start if first is None else first) + np.cumsum(net).astype(float)
    median, sigma = fx["giveaway_gain"]
    split = np.asarray(fx["giveaway_days"])
    for day in np.unique(giveaway_days):
        gain = followers[day] * median * np.exp(sigma * rng.standard_normal())
        joined = np.zeros(n_days)
        for k, share in enumerate(split, start=1):
            joined[days >= day + k] += gain * share
        results = day + fx["giveaway_results_day"]
        left = gain * fx["giveaway_unfollow"] * (1 - np.exp(-(days - results) / fx["giveaway_unfollow_tau"]))
        followers += joined - np.where(days > results, left, 0.0)
    bought = np.zeros(n_days)
    start = pd.Timestamp(PERIOD_START)
    for wave in u.BOUGHT_WAVES if waves else ():
        if wave.account_id == acc.account_id:
            bought[days >= (pd.Timestamp(wave.day) - start).days] += wave.followers
    return np.round(followers + bought).astype(int), bought.astype(int)


ARCHIVE_START = "2024-09-01"
"""The archive before the period (``make_posts_archive``): twelve months, 2024-09-01 .. 2025-08-31."""
ARCHIVE_DAYS = 365
VIDEO_FORMATS = ("Reels", "Видео", "Shorts", "Длинное видео")
"""Formats that are videos (the base of the subtitles share)."""


def month_index(local: pd.DatetimeIndex) -> np.ndarray:
    """Months since the archive's first month (September 2024 = 0, September 2025 = 12, February 2026 = 17).

    >>> month_index(pd.DatetimeIndex(["2024-09-30", "2025-09-01", "2026-02-28"])).tolist()
    [0, 12, 17]
    """
    first = pd.Timestamp(ARCHIVE_START)
    return np.asarray((local.year - first.year) * 12 + local.month - first.month)


def trend_share(ends: list[float], month: np.ndarray) -> np.ndarray:
    """A share that grows linearly by month from ``ends[0]`` (September 2024) to ``ends[1]`` (February 2026).

    >>> trend_share([0.2, 0.7], np.array([0, 17])).tolist()
    [0.2, 0.7]
    """
    first, last = ends
    return first + (last - first) * month / 17


def archive_mix(platform: str, formats: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Format probabilities of each archive post (rows) over ``formats`` (columns).

    Platforms listed in ``trends.format_start`` start from that mix in September 2024 and ease into the period's
    ``format_mix`` by September 2025 (weight (1 - month / 12)² on the start mix: a rise that levels off, so the
    period, months 12..17, is its plateau); the others keep ``format_mix`` throughout.
    """
    fx = post_effects()
    end = np.asarray([fx["format_mix"][platform][f] for f in formats], dtype=float)
    start_mix = fx["trends"]["format_start"].get(platform)
    if start_mix is None:
        return np.tile(end / end.sum(), (month.size, 1))
    begin = np.asarray([start_mix[f] for f in formats], dtype=float)
    w = (1 - np.clip(month, 0, 12) / 12)[:, None] ** 2
    mix = w * begin / begin.sum() + (1 - w) * end / end.sum()
    return mix / mix.sum(axis=1, keepdims=True)


def _tilted(rng: np.random.Generator, prior: np.ndarray, z: np.ndarray, effect: float, sigma: float) -> np.ndarray:
    """Draw a yes/no attribute with probability ``prior`` given the post's standard normal noise ``z``.

    Bayes on reach (or ERR) = rest × exp(σ·z): if the attribute multiplied it by ``effect`` = e^λ, then
    logit P(yes | z) = logit(prior) + z·λ/σ − λ²/(2σ²). The attribute is drawn after the fact, so the earlier
    columns stay as they were, and posts with it still show the effect (a bit smaller than ``effect``).
    """
    lam = np.log(effect)
    logit = np.log(prior / (1 - prior)) + z * lam / sigma - lam**2 / (2 * sigma**2)
    return rng.random(z.size) < 1 / (1 + np.exp(-logit))


def trend_columns(
    rng: np.random.Generator, fmt: np.ndarray, month: np.ndarray, reach_z: np.ndarray, err_z: np.ndarray,
    sigma: float,
) -> dict[str, np.ndarray]:
    """The trend columns of one account's posts, from its own ``trends`` stream (``posts_effects.yaml``, trends).

    ``subtitles`` (videos only) and ``ugc`` grow by month and are linked to reach and ERR; ``ai_generated``
    grows with no planted effect on the numbers; ``ai_label`` (AI posts only) is the labelled share.
    """
    tr = post_effects()["trends"]
    video = np.isin(fmt, VIDEO_FORMATS)
    subtitles = _tilted(rng, trend_share(tr["subtitles"], month), reach_z, tr["subtitles_reach"], sigma) & video
    ugc = _tilted(rng, trend_share(tr["ugc"], month), err_z, tr["ugc_err"], 0.3)
    ai = rng.random(fmt.size) < trend_share(tr["ai_generated"], month)
    label = (rng.random(fmt.size) < trend_share(tr["ai_label"], month)) & ai
    return {"subtitles": subtitles, "ugc": ugc, "ai_generated": ai, "ai_label": label}


def _account_posts(
    acc: u.Account, rng: dict[str, np.random.Generator], start: pd.Timestamp, n_days: int, archive: bool
) -> pd.DataFrame:
    """One account's posts over ``n_days`` from ``start`` (the period, or the archive before it)."""
    fx = post_effects()
    b = u.brand(acc.brand_id)
    grid = activity_matrix(acc)
    weekly_mean = grid[:, 8:23].mean()

    # when: the schedule stream
    per_day = rng["schedule"].poisson(acc.posts_per_day, size=n_days)
    day = np.repeat(np.arange(n_days), per_day)
    n = day.size
    hour = _post_hours(rng["schedule"], b, n)
    minute = rng["schedule"].integers(0, 60, size=n)
    local = start + pd.to_timedelta(day, unit="D") + pd.to_timedelta(hour * 60 + minute, unit="min")
    weekday = local.day_of_week.to_numpy()
    month = month_index(local)

    # what: the content stream (the archive's format mix moves by month: same draws, a cdf per post)
    mix = fx["format_mix"][acc.platform]
    formats = np.asarray([f for f in acc.formats if f in mix])
    if archive:
        cdf = np.cumsum(archive_mix(acc.platform, formats, month), axis=1)
        fmt = formats[np.minimum((rng["content"].random(n)[:, None] >= cdf).sum(axis=1), formats.size - 1)]
    else:
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

    # who follows: the followers stream (giveaway jumps, the bought wave); the archive walks up to the period
    first = None
    if archive:
        first = max(acc.followers_start - acc.followers_growth_per_day * n_days, 0.3 * acc.followers_start)
    followers_by_day, bought_by_day = follower_series(
        rng["followers"], acc, day[rubric == GIVEAWAY], n_days=n_days, first=first, waves=not archive
    )
    followers, bought = followers_by_day[day], bought_by_day[day]

    # who sees it: the reach stream; bought followers never do
    share, sigma, err = u.PLATFORM_REACH[acc.platform]
    fmt_reach = np.array([u.FORMAT_EFFECT[f][0] for f in fmt])
    fmt_er = np.array([u.FORMAT_EFFECT[f][1] for f in fmt])
    timing = (grid[weekday, hour] / weekly_mean) ** REACH_ELASTICITY
    tags = np.asarray(fx["hashtag_reach"])[hashtags] if social else 1.0
    audience = followers - bought
    reach_noise = rng["reach"].lognormal(0.0, sigma, n)
    reach = audience * share * fmt_reach * timing * tags * reach_noise
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
    err_noise = rng["interactions"].lognormal(0.0, 0.3, n)
    rate = err * size * fmt_er * rubric_err * length * err_noise
    interactions = rng["interactions"].poisson(reach * rate)
    parts = np.asarray([fx["interaction_mix"][acc.platform][f] for f in fmt], dtype=float)
    for rub, boosts in fx["rubric_mix"].items():
        for part, factor in boosts.items():
            parts[rubric == rub, INTERACTION_PARTS.index(part)] *= factor
    parts *= np.exp(fx["mix_sigma"] * rng["interactions"].standard_normal(parts.shape))
    split = rng["interactions"].multinomial(interactions, parts / parts.sum(axis=1, keepdims=True))

    # what the trends add: the trends stream (subtitles, UGC, AI), drawn last
    trends = trend_columns(rng["trends"], fmt, month, np.log(reach_noise) / sigma, np.log(err_noise) / 0.3, sigma)
    return pd.DataFrame(
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
            **trends,
        }
    )


NIGHT_POSTS_SEED = 2025
NIGHT_POSTS: tuple[tuple[str, str, str], ...] = (
    ("qc_tt", "2025-11-12 09:06", "2025-11-12 03:06"),
    ("qc_ig", "2025-12-01 11:43", "2025-12-01 00:43"),
    ("ds_yt", "2026-02-01 14:11", "2026-02-01 00:37"),
)
"""Posts that went out at night by a wrong schedule: (account, generated local time, published local time).

Qazaq Coffee skipped its TikTok of Tuesday 11 November and its Instagram post of Sunday 30 November; both
went out after midnight, on the next day by Almaty time (still the previous day in UTC). Dala Style's YouTube
video of Sunday 1 February, scheduled for the afternoon, went out at 00:37 Almaty time (still 31 January in UTC);
it is the first post of that day, so no post id moves. They make the UTC day and the UTC month tell apart from
Almaty's in plan-versus-fact (assignment a04, question 1), in the monthly Reels share (a05, question 6) and in
February's format audit (a05, question 1). Everything but the time is as generated (reach follows the planned
hour)."""


def _night_posts(posts: pd.DataFrame) -> pd.DataFrame:
    """Move the ``NIGHT_POSTS`` to their night time (before ids are given, so ids stay in time order)."""
    posts = posts.copy()
    for account, planned, published in NIGHT_POSTS:
        if account not in set(posts["account_id"]):  # a universe without the account (tests drop accounts)
            continue
        stamp = pd.Timestamp(planned, tz=u.TIMEZONE).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
        hit = posts.index[(posts["account_id"] == account) & (posts["published_at_utc"] == stamp)]
        if len(hit) != 1:
            raise ValueError(f"night post {account} {planned}: {len(hit)} posts match")
        moved = pd.Timestamp(published, tz=u.TIMEZONE).tz_convert("UTC")
        posts.loc[hit[0], "published_at_utc"] = moved.strftime("%Y-%m-%dT%H:%M:%SZ")
    return posts


def make_posts(seed: int = 2025) -> pd.DataFrame:
    """Post history of every account over 26 weeks, timestamps exported in UTC like platform APIs do.

    Each account draws from its own random streams (``account_streams``), so a change to one account or to one
    part of the model (say, the interaction mix) leaves every other account's posts and the other parts as they were.
    """
    start = pd.Timestamp(PERIOD_START, tz=u.TIMEZONE)
    frames = [_account_posts(acc, account_streams(seed, acc.account_id), start, PERIOD_DAYS, archive=False)
              for acc in u.ACCOUNTS]
    posts = pd.concat(frames, ignore_index=True)
    if seed == NIGHT_POSTS_SEED:  # the night posts are rows of the committed dataset; other seeds have other rows
        posts = _night_posts(posts)
    posts = posts.sort_values(["published_at_utc", "account_id"], kind="stable")
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


@functools.cache
def _archive(seed: int) -> pd.DataFrame:
    start = pd.Timestamp(ARCHIVE_START, tz=u.TIMEZONE)
    frames = [_account_posts(acc, account_streams(seed, acc.account_id, "archive"), start, ARCHIVE_DAYS, archive=True)
              for acc in u.ACCOUNTS]
    posts = pd.concat(frames, ignore_index=True).sort_values(["published_at_utc", "account_id"], kind="stable")
    posts.insert(0, "post_id", [f"A{i:05d}" for i in range(1, len(posts) + 1)])
    return posts.reset_index(drop=True)


def make_posts_archive(seed: int = 2025) -> pd.DataFrame:
    """The twelve months before the period (September 2024 – August 2025), made on demand, never committed.

    Same accounts and model as ``make_posts`` with streams of their own (``account_streams(..., "archive")``); the
    Instagram and YouTube format mix moves toward the period's (``archive_mix``), followers walk up to about the
    period's start. Ids ``A00001``…; columns and types as ``datasets.load("posts")`` gives them.
    """
    posts = _archive(seed).copy()
    posts["published_at_utc"] = pd.to_datetime(posts["published_at_utc"], utc=True)
    for col in ("platform", "format"):
        posts[col] = posts[col].astype("category")
    return posts


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


def realism_reels_share_start(load: Loader) -> float:
    """Instagram: share of Reels in the archive's first three months (September — November 2024), %.

    The archive is made on demand (``make_posts_archive``), so ``load`` is not used."""
    archive = make_posts_archive()
    ig = archive[(archive["platform"] == "Instagram") & (archive["published_at_utc"] < "2024-11-30T19:00:00Z")]
    return float(100 * (ig["format"] == "Reels").mean())


def realism_reels_reach_ratio(load: Loader) -> float:
    """Instagram: median reach of Reels / median reach of photos."""
    posts = load("posts")
    ig = posts[posts["platform"] == "Instagram"]
    return float(ig.loc[ig["format"] == "Reels", "reach"].median() / ig.loc[ig["format"] == "Фото", "reach"].median())


def realism_subtitles_reach_ratio(load: Loader) -> float:
    """Videos: median of reach / the account's median reach, subtitled over unsubtitled."""
    posts = load("posts")
    video = posts[posts["format"].isin(VIDEO_FORMATS)]
    rel = video["reach"] / video.groupby("account_id")["reach"].transform("median")
    return float(rel[video["subtitles"]].median() / rel[~video["subtitles"]].median())
