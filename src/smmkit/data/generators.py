"""Seeded generators for module 01 datasets: accounts, audience activity and post history.

The planted effect: each post's reach follows its audience's online share at the weekday and hour of
publication (local time, Asia/Almaty). A brand team that posts at its habitual hours rather than when
its audience is online leaves reach on the table; the size of that gap is known exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smmkit.data import universe as u
from smmkit.data.recipe import Recipe

PERIOD_START = "2025-09-01"
PERIOD_DAYS = 182  # 2025-09-01 .. 2026-03-01 (inclusive); posts after STORY_NOW are dropped
BASE_ONLINE = 0.30
_LONGEST_POST = 2200  # the generator's clip on post length (frozen history); platform limits live in smmkit.platforms
BUMP_SCALE = 0.45
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


def make_posts(seed: int = 2025) -> pd.DataFrame:
    """Post history of every account over 26 weeks, timestamps exported in UTC like platform APIs do."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp(PERIOD_START, tz=u.TIMEZONE)
    frames = []
    for acc in u.ACCOUNTS:
        b = u.brand(acc.brand_id)
        grid = activity_matrix(acc)
        weekly_mean = grid[:, 8:23].mean()
        per_day = rng.poisson(acc.posts_per_day, size=PERIOD_DAYS)
        day = np.repeat(np.arange(PERIOD_DAYS), per_day)
        n = day.size
        hour = _post_hours(rng, b, n)
        minute = rng.integers(0, 60, size=n)
        local = start + pd.to_timedelta(day, unit="D") + pd.to_timedelta(hour * 60 + minute, unit="min")
        weekday = local.day_of_week.to_numpy()
        fmt = rng.choice(np.asarray(acc.formats), size=n)
        rubric = rng.choice(np.asarray(b.rubrics), size=n)
        followers = np.round(
            acc.followers_start + acc.followers_growth_per_day * day + rng.normal(0, acc.followers_start * 0.002, n)
        ).astype(int)

        share, sigma, err = u.PLATFORM_REACH[acc.platform]
        fmt_reach = np.array([u.FORMAT_EFFECT[f][0] for f in fmt])
        fmt_er = np.array([u.FORMAT_EFFECT[f][1] for f in fmt])
        timing = (grid[weekday, hour] / weekly_mean) ** REACH_ELASTICITY
        reach = followers * share * fmt_reach * timing * rng.lognormal(0.0, sigma, n)
        if acc.platform not in ("TikTok",):
            reach = np.minimum(reach, followers * 0.95)
        reach = np.maximum(np.round(reach), 30).astype(int)
        impressions = np.round(reach * rng.uniform(1.08, 1.45, n)).astype(int)

        rate = err * fmt_er * rng.lognormal(0.0, 0.3, n)
        interactions = rng.poisson(reach * rate)
        mix = np.asarray(u.INTERACTION_MIX[acc.platform])
        split = np.array([rng.multinomial(k, mix) for k in interactions]).reshape(n, 4)
        text_len = np.clip(np.round(rng.lognormal(5.6, 0.6, n)), 40, _LONGEST_POST).astype(int)
        if acc.platform == "TikTok":
            text_len = np.clip(text_len // 4, 20, 300)
        hashtags = rng.integers(0, 12, size=n) if acc.platform in ("Instagram", "TikTok") else rng.integers(0, 4, n)

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
    posts.insert(0, "post_id", [f"P{i:05d}" for i in range(1, len(posts) + 1)])
    return posts.reset_index(drop=True)


RECIPES: tuple[Recipe, ...] = (
    Recipe("accounts", make_accounts, "smmkit.data.generators.make_accounts()"),
    Recipe("audience_activity", make_audience_activity, "smmkit.data.generators.make_audience_activity()"),
    Recipe("posts", lambda: make_posts(seed=2025), "smmkit.data.generators.make_posts(seed=2025)"),
)
