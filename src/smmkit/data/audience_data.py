"""Seeded generators for the audience datasets: people and customers, a followers audit, influencers.

* ``audience`` (modules 06, 09): people from the five brands' follower/customer lists and a general-population
  sample. Planted: four customer segments, a Pareto audience core, and a hidden Dala Style purchase propensity
  that a lookalike model trained on Dala Style's best customers (the seeds) recovers with lift@10 % ≈ 3.
* ``followers_audit`` (module 12): followers of three Instagram accounts with bot features and the true label.
  Planted: Astana Fit bought 3,000 followers on 2025-11-15 (the wave in `posts`), half of them bots.
* ``influencers`` (module 03): bloggers and Telegram channels a brand could buy posts from. Planted: ER falls
  with size, price grows as subscribers^0.7, about 10 % of channels bought subscribers.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from smmkit.data import universe as u
from smmkit.data.generators import activity_matrix
from smmkit.data.recipe import Recipe

AUDIT_DATE = pd.Timestamp("2026-03-01", tz=u.TIMEZONE)
"""Day of the followers audit (the story's "today"); account ages are counted to it."""

ALMATY_UTC6_UNTIL = pd.Timestamp("2024-02-29T18:00:00Z")
"""Asia/Almaty was UTC+6 before this instant (2024-03-01 00:00 local) and is UTC+5 since."""


# ============================================================================================ followers audit


@dataclass(frozen=True)
class FollowerSpec:
    """One audited account: rows, when it opened, rows followed in the history period (bought ones included if
    the batch falls in it), bots, bought batch."""

    account_id: str
    rows: int
    opened: str
    period_rows: int
    bot_share: float
    bought: int = 0
    bought_on: str = ""
    bought_bot_share: float = 0.0
    closed: tuple[str, str] | None = None
    """First and last local day the account was private: follow requests of those days are accepted (and
    recorded) on the next day at 10:00, when it opened again, so those days have no follows."""
    digits_apart: int = 0
    """This many people's usernames carry four digits that are not in a row (``aida7.kim.123``)."""


PERIOD_START = pd.Timestamp("2025-09-01", tz=u.TIMEZONE)

_WAVE = u.BOUGHT_WAVES[0]
BOUGHT_ON = _WAVE.day
"""Astana Fit's previous SMM contractor bought followers on this day (a Saturday, 01:00–05:00 local); the same
wave lifts @astana.fit's follower count in ``posts`` (``smmkit.data.universe.BOUGHT_WAVES``)."""

FOLLOWER_SPECS: tuple[FollowerSpec, ...] = (
    # Astana Fit: the complete list (16,840 followers on 2026-03-01, cf. posts), incl. the bought batch, which
    # falls in the history period: 1,450 organic follows + 3,000 bought ones since 2025-09-01.
    # The account was private on 5–14 January 2026 (a redesign): no follows on those days, the requests accepted
    # on the 15th; a few people's names carry four digits apart. Both tell a02's traps apart (zero days, str.count).
    FollowerSpec("af_ig", 16_840, "2021-09-01", 1_450 + _WAVE.followers, 0.08, bought=_WAVE.followers,
                 bought_on=BOUGHT_ON, bought_bot_share=0.5, closed=("2026-01-05", "2026-01-14"), digits_apart=3),
    # Dala Style and Bilim Online: random samples of 6,500 followers (131,880 and 35,845 followers in total).
    FollowerSpec("ds_ig", 6_500, "2019-03-15", 533, 0.10),
    FollowerSpec("bo_ig", 6_500, "2020-08-20", 559, 0.07),
)
FOLLOWERS_SEED = 412

# follower kinds: 0 real, 1 lurker (real, passive), 2 bot, 3 "smart" bot (looks real), 4 paid human ("offer")
REAL, LURKER, BOT, SMART_BOT, OFFER = range(5)
LURKER_SHARE = 0.12
SMART_BOT_SHARE = 0.15
INSTAGRAM_MAX_FOLLOWING = 7_500

_FIRST = np.array(
    "aigerim aruzhan dana asel madina aida zhanna saule gulnara dinara kamila ayana alina anel togzhan zarina "
    "akbota moldir tomiris indira olga anna elena natalya yulia irina kristina viktoria nurlan yerlan daniyar "
    "arman alibek timur askar bauyrzhan dias ruslan azamat yerzhan olzhas miras sanzhar alikhan kairat dmitriy "
    "sergey aleksey maksim ivan artem denis vladimir aslan erasyl zhansaya meruert".split(),
    dtype=object,
)
_SECOND = np.array(
    "nurlanova akhmetova seitkali kairatov tulegenov abenov zhaksylyk smagulova ivanova petrov kim tsoi pak "
    "omarova sadykov kz astana almaty shymkent style fit life mama official photo art travel beauty sport food "
    "blog home qyz bala dream smile family design coffee auto".split(),
    dtype=object,
)
_SEPARATORS = np.array([".", "_", "", "__"], dtype=object)


_DIGIT_VOCAB = tuple(np.char.zfill(np.arange(10**k).astype(str), k).astype(object) for k in range(5))
"""_DIGIT_VOCAB[k]: every k-digit string, "00".."99" for k = 2 (lookup beats int -> str conversion)."""
_LETTER_VOCAB = np.array(
    [a + b for a in "abcdefghijklmnopqrstuvwxyz" for b in "abcdefghijklmnopqrstuvwxyz"], dtype=object
)


def _digits(rng: np.random.Generator, n: int, count: int) -> np.ndarray:
    """Random digit strings of exactly ``count`` digits (object array)."""
    out = np.full(n, "", dtype=object)
    while count > 0:
        step = min(count, 4)
        out = out + _DIGIT_VOCAB[step][rng.integers(0, 10**step, size=n)]
        count -= step
    return out


def _padded(numbers: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal strings of non-negative integers (object array), fast for width ≤ 8."""
    if width > 8:
        return np.char.zfill(numbers.astype(str), width).astype(object)
    high, low = np.divmod(numbers, 10_000)
    return _DIGIT_VOCAB[width - 4][high] + _DIGIT_VOCAB[4][low]


def _letters(rng: np.random.Generator, n: int, pairs: int) -> np.ndarray:
    """Random lowercase strings of 2·pairs letters (object array)."""
    out = _LETTER_VOCAB[rng.integers(0, _LETTER_VOCAB.size, size=n)]
    for _ in range(pairs - 1):
        out = out + _LETTER_VOCAB[rng.integers(0, _LETTER_VOCAB.size, size=n)]
    return out


def _usernames(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """Instagram-like usernames; bots' often carry 4+ digits, and so do real people's with a birth year."""
    n = kind.size
    names = np.empty(n, dtype=object)

    def parts(m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        sep = _SEPARATORS[rng.choice(_SEPARATORS.size, size=m, p=[0.35, 0.35, 0.25, 0.05])]
        return _FIRST[rng.integers(0, _FIRST.size, size=m)], sep, _SECOND[rng.integers(0, _SECOND.size, size=m)]

    # people (and bots that pass for people): name + word, a 2-digit tail, a birth year, ...
    pattern = rng.choice(5, size=n, p=[0.52, 0.18, 0.12, 0.08, 0.10])
    offer = kind == OFFER
    pattern[offer] = rng.choice(5, size=int(offer.sum()), p=[0.40, 0.20, 0.30, 0.05, 0.05])
    # bots: user + 7 digits, random letters + 4–6 digits, name + 4–6 digits, or a plain name
    bot = kind == BOT
    pattern[bot] = 5 + rng.choice(4, size=int(bot.sum()), p=[0.25, 0.40, 0.20, 0.15])
    for code in range(9):
        idx = np.flatnonzero(pattern == code)
        m = idx.size
        if m == 0:
            continue
        first, sep, second = parts(m)
        if code in (0, 8):
            value = first + sep + second
        elif code == 1:
            value = first + sep + _digits(rng, m, 2)
        elif code == 2:
            value = first + sep + _DIGIT_VOCAB[4][rng.integers(1975, 2011, size=m)]
        elif code == 3:
            value = first + "." + second + "." + _digits(rng, m, 3)
        elif code == 4:
            value = second + sep + first
        elif code == 5:
            value = "user" + _digits(rng, m, 7)
        else:
            tail = _digits(rng, m, 4) + np.where(rng.random(m) < 0.5, _digits(rng, m, 1), "")
            head = _letters(rng, m, 3) if code == 6 else first + "_"
            value = head + tail
        names[idx] = value
    # usernames are unique on Instagram: repeat names get a letters-only suffix (the digit count stays)
    dup = pd.Series(names, dtype=object).duplicated().to_numpy()
    first = dict(zip(names[~dup].tolist(), np.flatnonzero(~dup).tolist(), strict=True))
    while dup.any():
        names[dup] = names[dup] + "." + _letters(rng, int(dup.sum()), 1)
        dup = _repeats_after_renaming(names, np.flatnonzero(dup), first)
    return names


def _repeats_after_renaming(names: np.ndarray, renamed: np.ndarray, first: dict[str, int]) -> np.ndarray:
    """``Series(names).duplicated()`` after the rows ``renamed`` got new names; ``first`` maps every other name
    (all distinct) to its row and is updated. Only rows holding a new name can repeat, so only they are compared:
    the same answer as a full check, which on a million names costs most of a second each time."""
    rows = sorted({*renamed.tolist(), *(first[n] for n in names[renamed].tolist() if n in first)})
    dup = np.zeros(names.size, dtype=bool)
    for row in rows:
        name = names[row]
        if first.get(name, row) < row:
            dup[row] = True
        else:
            first[name] = row
    return dup


def _lognormal_int(rng: np.random.Generator, median: np.ndarray | float, sigma: np.ndarray | float, n: int):
    """Integer lognormal draws with the given median and log-sd."""
    return np.floor(np.exp(np.log(median) + sigma * rng.standard_normal(n))).astype(np.int64)


def _follow_instants(rng: np.random.Generator, spec: FollowerSpec, organic: int, account: u.Account) -> np.ndarray:
    """UTC epoch seconds of organic follows: a growing stream before the period, a steady one within it."""
    in_period = bool(spec.bought) and pd.Timestamp(spec.bought_on) >= PERIOD_START.tz_localize(None)
    bought_in_period = spec.bought if in_period else 0
    period = min(spec.period_rows - bought_in_period, organic)
    before = organic - period
    # calendar days (naive dates: Almaty's offset changed in 2024, so aware differences are off by an hour)
    opened, period_start, audit = (pd.Timestamp(d) for d in (spec.opened, PERIOD_START.date(), AUDIT_DATE.date()))
    days_before = (period_start - opened).days
    days_period = (audit - period_start).days
    # before the period: density rising linearly from the opening (sqrt of a uniform), plus a uniform share
    ramp = np.sqrt(rng.random(before))
    flat = rng.random(before)
    frac = np.where(rng.random(before) < 0.7, ramp, flat)
    day_before = np.floor(frac * days_before).astype(np.int64)
    day_period = rng.integers(0, days_period, size=period)
    start_day = np.concatenate([(opened - audit).days + day_before, (period_start - audit).days + day_period])
    curve = activity_matrix(account).mean(axis=0)
    hour = rng.choice(24, size=organic, p=curve / curve.sum())
    second = hour * 3600 + rng.integers(0, 3600, size=organic)
    return _wall_to_epoch(_naive_seconds(audit) + start_day * 86_400 + second)


def _naive_seconds(day: pd.Timestamp) -> int:
    """A naive local wall time as seconds since 1970-01-01T00:00 (on the wall clock)."""
    return int((day - pd.Timestamp("1970-01-01")).total_seconds())


def _wall_to_epoch(wall: np.ndarray) -> np.ndarray:
    """Asia/Almaty wall-clock seconds to UTC epoch seconds: UTC+6 before 2024-03-01 00:00, UTC+5 since."""
    switch = _naive_seconds(pd.Timestamp("2024-03-01"))
    return wall - np.where(wall < switch, 6 * 3600, 5 * 3600)


def _bought_instants(rng: np.random.Generator, spec: FollowerSpec) -> np.ndarray:
    """UTC epoch seconds of the bought batch: one night, 01:00–05:00 local, denser in the middle."""
    start = _naive_seconds(pd.Timestamp(spec.bought_on)) + 3600
    offset = np.clip(rng.normal(2 * 3600, 0.8 * 3600, spec.bought), 0, 4 * 3600 - 1).astype(np.int64)
    return _wall_to_epoch(start + offset)


@functools.cache
def _times_of_day() -> np.ndarray:
    """«THH:MM:SS+05:00» for every second of a day, then the same with +06:00 (object array of 172,800)."""
    clock = [f"T{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
    return np.array([c + "+05:00" for c in clock] + [c + "+06:00" for c in clock], dtype=object)


def _local_iso(epoch: np.ndarray) -> np.ndarray:
    """ISO 8601 local wall time with the offset Asia/Almaty had then (+06:00 before 2024-03-01, +05:00 since).

    Dates are formatted once per distinct day and times looked up, not formatted per row: a million rows take
    a fraction of a second instead of seconds (the text is the same as ``np.datetime_as_string``'s).
    """
    switch = int(ALMATY_UTC6_UNTIL.timestamp())
    old = epoch < switch
    wall = epoch + np.where(old, 6 * 3600, 5 * 3600)
    days, second = np.divmod(wall, 86_400)
    unique, index = np.unique(days, return_inverse=True)
    dates = np.datetime_as_string(unique.astype("datetime64[D]")).astype(object)
    return dates[index] + _times_of_day()[second + 86_400 * old]


def _account_rows(rng: np.random.Generator, spec: FollowerSpec) -> dict[str, np.ndarray]:
    """Kinds and follow instants of one account's rows (organic followers first, then the bought batch)."""
    account = next(a for a in u.ACCOUNTS if a.account_id == spec.account_id)
    organic = spec.rows - spec.bought
    kind = np.where(rng.random(organic) < spec.bot_share, BOT, REAL)
    kind = np.where((kind == REAL) & (rng.random(organic) < LURKER_SHARE), LURKER, kind)
    epoch = _follow_instants(rng, spec, organic, account)
    bought = np.zeros(organic, dtype=bool)
    if spec.bought:
        batch = np.where(rng.random(spec.bought) < spec.bought_bot_share, BOT, OFFER)
        kind = np.concatenate([kind, batch])
        epoch = np.concatenate([epoch, _bought_instants(rng, spec)])
        bought = np.concatenate([bought, np.ones(spec.bought, dtype=bool)])
    smart = (kind == BOT) & (rng.random(kind.size) < SMART_BOT_SHARE)
    kind = np.where(smart, SMART_BOT, kind)
    order = np.argsort(epoch, kind="stable")
    return {
        "account_id": np.full(kind.size, spec.account_id, dtype=object),
        "kind": kind[order],
        "epoch": epoch[order],
        "bought": bought[order],
    }


def _pick(kind: np.ndarray, table: dict[int, float]) -> np.ndarray:
    """Per-row parameter looked up by follower kind."""
    values = np.ones(kind.size)
    for key, value in table.items():
        values[kind == key] = value
    return values


def followers_frame(specs: tuple[FollowerSpec, ...], seed: int) -> pd.DataFrame:
    """The followers audit table for these account specs: vectorised, one row per follower."""
    return pd.DataFrame(followers_columns(specs, seed))


def followers_columns(specs: tuple[FollowerSpec, ...], seed: int) -> dict[str, np.ndarray]:
    """The followers audit's columns as NumPy arrays (text as object arrays), in the table's order.

    ``followers_frame`` wraps them in a DataFrame; the on-demand large table writes them to CSV directly, which
    skips pandas' conversion of a million strings (``smmkit.data.large``).
    """
    rng = np.random.default_rng(seed)
    parts = [_account_rows(rng, spec) for spec in specs]
    account_id = np.concatenate([p["account_id"] for p in parts])
    kind = np.concatenate([p["kind"] for p in parts])
    epoch = np.concatenate([p["epoch"] for p in parts])
    bought = np.concatenate([p["bought"] for p in parts])
    n = kind.size

    followers = _lognormal_int(
        rng,
        _pick(kind, {REAL: 250, LURKER: 40, BOT: 20, SMART_BOT: 300, OFFER: 350}),
        _pick(kind, {REAL: 1.0, LURKER: 0.8, BOT: 1.1, SMART_BOT: 0.6, OFFER: 0.7}),
        n,
    )
    # real people follow about as many accounts as follow them; bots follow hundreds or thousands
    own = np.exp(0.6 * np.log(np.maximum(followers, 1)) + 0.4 * np.log(300) + 0.45 * rng.standard_normal(n))
    other = _lognormal_int(
        rng,
        _pick(kind, {LURKER: 260, BOT: 1_100, SMART_BOT: 500, OFFER: 2_500}),
        _pick(kind, {LURKER: 0.6, BOT: 0.7, SMART_BOT: 0.4, OFFER: 0.5}),
        n,
    )
    following = np.where(kind == REAL, np.floor(own).astype(np.int64), other)
    following = np.clip(following, 1, INSTAGRAM_MAX_FOLLOWING)

    empty = rng.random(n) < _pick(kind, {REAL: 0.10, LURKER: 0.70, BOT: 0.75, SMART_BOT: 0.05, OFFER: 0.03})
    posts_full = _lognormal_int(rng, _pick(kind, {REAL: 45, LURKER: 8, BOT: 6, SMART_BOT: 25, OFFER: 60}), 1.0, n) + 3
    posts = np.where(empty, rng.integers(0, 3, size=n), posts_full)
    has_avatar = rng.random(n) < _pick(kind, {REAL: 0.95, LURKER: 0.75, BOT: 0.40, SMART_BOT: 0.95, OFFER: 0.97})

    audit = int(AUDIT_DATE.tz_convert("UTC").timestamp())
    days_since_follow = np.maximum((audit - epoch) // 86_400, 0)
    head = 1 + _lognormal_int(  # whole days the account existed before its follow: at least one
        rng,
        _pick(kind, {REAL: 700, LURKER: 500, BOT: 15, SMART_BOT: 200, OFFER: 600}),
        _pick(kind, {REAL: 0.9, LURKER: 0.9, BOT: 1.0, SMART_BOT: 0.8, OFFER: 0.8}),
        n,
    )
    account_age_days = np.minimum(days_since_follow + head, 5_600)  # Instagram opened in October 2010

    commented = rng.random(n) < _pick(kind, {REAL: 0.30, LURKER: 0.05, BOT: 0.35, SMART_BOT: 0.40, OFFER: 0.40})
    n_comments = 1 + rng.poisson(6, size=n)
    dup_p = rng.beta(
        _pick(kind, {REAL: 1, LURKER: 1, BOT: 6, SMART_BOT: 5, OFFER: 2}),
        _pick(kind, {REAL: 9, LURKER: 9, BOT: 2, SMART_BOT: 3, OFFER: 5}),
    )
    duplicate_share = np.where(commented, rng.binomial(n_comments, dup_p) / n_comments, np.nan)
    bursty_p = _pick(kind, {REAL: 0.03, LURKER: 0.02, BOT: 0.65, SMART_BOT: 0.30, OFFER: 0.35})
    bursty_p = np.where(bought & (kind == BOT), 0.75, bursty_p)
    bursty = rng.random(n) < bursty_p

    width = max(7, len(str(n)))
    usernames = _usernames(rng, kind)
    shown = epoch.copy()
    for spec in specs:
        own = account_id == spec.account_id
        if spec.closed:
            shown = _accepted_on_opening(shown, own, spec.closed)
        if spec.digits_apart:
            plain = (kind == REAL) & (following <= followers) & has_avatar & (posts >= 3) & ~bursty & ~commented
            usernames = _digits_apart(usernames, own & plain & (account_age_days >= 365), spec.digits_apart)
    return {
        "follower_id": "F" + _padded(np.arange(1, n + 1), width),
        "account_id": account_id,
        "username": usernames,
        "followers": followers,
        "following": following,
        "posts": posts.astype(np.int64),
        "has_avatar": has_avatar,
        "account_age_days": account_age_days.astype(np.int64),
        "comments_duplicate_share": np.round(duplicate_share, 4),
        "bursty_activity": bursty,
        "followed_at": _local_iso(shown),
        "is_bot": np.isin(kind, (BOT, SMART_BOT)),
    }


def _accepted_on_opening(epoch: np.ndarray, own: np.ndarray, closed: tuple[str, str]) -> np.ndarray:
    """Follows of ``own`` rows on the closed local days moved to the next day at 10:00 local, a second apart in
    their order (requests accepted when the account opened); the account's age stays counted from the request."""
    first, last = (_naive_seconds(pd.Timestamp(day)) for day in closed)
    opened = last + 86_400 + 10 * 3600
    wall = epoch + np.where(epoch < int(ALMATY_UTC6_UNTIL.timestamp()), 6 * 3600, 5 * 3600)
    moved = own & (wall >= first) & (wall < last + 86_400)
    out = epoch.copy()
    out[moved] = _wall_to_epoch(opened + np.arange(int(moved.sum()), dtype=np.int64))
    return out


def _digits_apart(names: np.ndarray, candidates: np.ndarray, count: int) -> np.ndarray:
    """The first ``count`` candidates named «first.second.NNN» get a digit after the first name (4 digits, not in
    a row); a candidate whose new name is taken is skipped."""
    out = names.copy()
    taken = set(names.tolist())
    done = 0
    for row in np.flatnonzero(candidates):
        parts = str(names[row]).split(".")
        if done == count:
            break
        if len(parts) != 3 or not parts[2].isdigit() or len(parts[2]) != 3 or not parts[0].isalpha():
            continue
        name = f"{parts[0]}7.{parts[1]}.{parts[2]}"
        if name in taken:
            continue
        out[row] = name
        taken.add(name)
        done += 1
    return out


def scaled_specs(specs: tuple[FollowerSpec, ...], n: int) -> tuple[FollowerSpec, ...]:
    """The same accounts with ``n`` rows in total, every count scaled in proportion (the last gets the rest)."""
    total = sum(s.rows for s in specs)
    out, used = [], 0
    for i, spec in enumerate(specs):
        rows = n - used if i == len(specs) - 1 else round(spec.rows * n / total)
        factor = rows / spec.rows
        out.append(
            replace(
                spec,
                rows=rows,
                period_rows=round(spec.period_rows * factor),
                bought=min(round(spec.bought * factor), rows),
            )
        )
        used += rows
    return tuple(out)


def make_followers_audit(seed: int = FOLLOWERS_SEED) -> pd.DataFrame:
    """Followers of @astana.fit (all), @dala.style.kz and @bilim.online (samples) with bot features and labels."""
    return followers_frame(FOLLOWER_SPECS, seed=seed)


# ============================================================================================ audience

AUDIENCE_SEED = 606
POOL_SIZE = 120_000
"""People drawn first (the "country"); brand lists and the general-population sample are drawn from them."""
LIST_SIZE = 2_200
"""People on each brand's follower/customer list."""
GENERAL_SIZE = 8_000
"""People in the general-population sample (``brand_id`` empty) that the lookalike audience is chosen from."""
LOOKALIKE_BRAND = "dala_style"
"""The brand whose best customers are the seeds and whose March purchases are ``converted_next_month``."""
SEED_SHARE = 0.25
"""Seeds: this share of the lookalike brand's customers with the highest 12-month revenue."""

CITIES: tuple[tuple[str, float], ...] = (
    ("Алматы", 0.16),
    ("Астана", 0.11),
    ("Шымкент", 0.08),
    ("Караганда", 0.04),
    ("Актобе", 0.04),
    ("Тараз", 0.03),
    ("Павлодар", 0.03),
    ("Усть-Каменогорск", 0.03),
    ("Семей", 0.025),
    ("Атырау", 0.025),
    ("Костанай", 0.025),
    ("Кызылорда", 0.025),
    ("Уральск", 0.025),
    ("Актау", 0.02),
    ("Петропавловск", 0.015),
    ("Туркестан", 0.015),
    ("Другой населённый пункт", 0.32),
)
"""Where social-media users live: city populations (stat.gov.kz, 1 Jan 2025, rounded), skewed to cities."""
NORTH = ("Караганда", "Павлодар", "Усть-Каменогорск", "Семей", "Костанай", "Петропавловск")
"""Northern and eastern cities, where VK is still used more (a course assumption)."""
BIG3 = ("Алматы", "Астана", "Шымкент")

INTERESTS: tuple[str, ...] = (
    "еда и кафе",
    "кофе",
    "мода",
    "красота",
    "шопинг",
    "спорт и фитнес",
    "здоровое питание",
    "образование",
    "ЕНТ и поступление",
    "путешествия",
    "технологии",
    "игры",
    "музыка",
    "кино и сериалы",
    "юмор",
    "семья и дети",
    "бизнес",
    "авто",
)
AUDIENCE_PLATFORMS: tuple[str, ...] = ("WhatsApp", "Instagram", "TikTok", "Telegram", "Facebook", "VK")

AGE_WEIGHTS: tuple[tuple[int, int, float], ...] = (
    (14, 17, 1.25),
    (18, 24, 1.0),
    (25, 34, 1.2),
    (35, 44, 1.2),
    (45, 54, 0.85),
    (55, 64, 0.55),
)
"""Relative weight of one year of age among social-media users 14–64 (KZ age pyramid, a course assumption)."""


@dataclass(frozen=True)
class Segment:
    """A designed customer segment: Russian name, typical age, orders per year (range), log-revenue centre/spread."""

    name: str
    age: float
    orders: tuple[int, int]
    log_revenue: float
    sigma: float


SEGMENTS: tuple[Segment, ...] = (
    Segment("Разовые покупатели", 24, (1, 2), 9.2, 0.45),
    Segment("Постоянные клиенты", 32, (10, 22), 11.0, 0.35),
    Segment("Ученики ЕНТ-курса", 16, (4, 8), 12.3, 0.2),
    Segment("VIP", 42, (25, 45), 13.7, 0.65),
)
SEGMENT_AGE_WIDTH = 5.0
"""Adult customers' segment depends on age: P ∝ brand mix × exp(−½((age − segment age) / width)²)."""
ONE_OFF, REGULAR, EXAM, VIP = range(4)

SEGMENT_MIX = {
    #               one-off, regular, exam, VIP
    "qazaq_coffee": (0.38, 0.47, 0.0, 0.15),
    "dala_style": (0.55, 0.33, 0.0, 0.12),
    "astana_fit": (0.25, 0.45, 0.0, 0.30),
    "jet_delivery": (0.40, 0.52, 0.0, 0.08),
}
"""Segment shares of each brand's adult customers; Bilim Online's school-age customers are all «Ученики»."""
BRAND_REVENUE_SHIFT = {
    "qazaq_coffee": -0.25,
    "dala_style": 0.15,
    "astana_fit": 0.2,
    "bilim_online": 0.0,
    "jet_delivery": 0.0,
}
"""Brand's log-revenue shift: a coffee costs less than a gym membership."""


def _age_sample(rng: np.random.Generator, n: int) -> np.ndarray:
    """Ages 14–64 by ``AGE_WEIGHTS``."""
    ages = np.arange(14, 65)
    weights = np.zeros(ages.size)
    for low, high, w in AGE_WEIGHTS:
        weights[(ages >= low) & (ages <= high)] = w
    return rng.choice(ages, size=n, p=weights / weights.sum())


def _between(age: np.ndarray, low: int, high: int) -> np.ndarray:
    return ((age >= low) & (age <= high)).astype(float)


def _interest_probs(age: np.ndarray, female: np.ndarray) -> np.ndarray:
    """P(interest) per person (rows) and interest (columns of ``INTERESTS``)."""
    f, m = female.astype(float), 1.0 - female
    young = (age <= 30).astype(float)
    return np.column_stack(
        [
            0.35 + 0.10 * _between(age, 18, 40),  # еда и кафе
            0.10 + 0.20 * _between(age, 18, 35) + 0.05 * f,  # кофе
            0.06 + 0.38 * f * _between(age, 16, 45) + 0.05 * young,  # мода
            0.04 + 0.34 * f * _between(age, 16, 50),  # красота
            0.10 + 0.20 * f,  # шопинг
            0.16 + 0.10 * m + 0.08 * _between(age, 20, 45),  # спорт и фитнес
            0.07 + 0.12 * f * (age >= 25),  # здоровое питание
            0.14 + 0.20 * (age <= 22),  # образование
            0.02 + 0.60 * _between(age, 15, 17) + 0.15 * (age == 14) + 0.12 * _between(age, 38, 52),  # ЕНТ
            0.15 + 0.08 * _between(age, 25, 45),  # путешествия
            0.10 + 0.15 * m,  # технологии
            0.05 + 0.35 * m * young + 0.10 * (age <= 20),  # игры
            0.10 + 0.25 * young,  # музыка
            0.25 + 0.0 * f,  # кино и сериалы
            0.20 + 0.10 * young,  # юмор
            0.05 + 0.35 * _between(age, 27, 50) + 0.10 * f * _between(age, 27, 50),  # семья и дети
            0.05 + 0.12 * _between(age, 25, 55),  # бизнес
            0.04 + 0.22 * m * _between(age, 20, 60),  # авто
        ]
    )


def _platform_probs(age: np.ndarray, north: np.ndarray) -> np.ndarray:
    """P(uses platform) per person (rows) and platform (columns of ``AUDIENCE_PLATFORMS``), by age."""
    steps = np.array([20, 25, 30, 35, 45, 55])
    band = np.searchsorted(steps, age, side="left")  # 0: ≤20, 1: 21–25, ..., 6: 56+
    table = np.array(
        [
            # WhatsApp, Instagram, TikTok, Telegram, Facebook, VK
            [0.86, 0.82, 0.80, 0.24, 0.03, 0.05],  # ≤ 20
            [0.90, 0.84, 0.68, 0.26, 0.06, 0.05],  # 21–25
            [0.91, 0.80, 0.58, 0.27, 0.10, 0.04],  # 26–30
            [0.92, 0.75, 0.48, 0.27, 0.14, 0.04],  # 31–35
            [0.93, 0.70, 0.38, 0.29, 0.18, 0.05],  # 36–45
            [0.93, 0.60, 0.27, 0.26, 0.24, 0.06],  # 46–55
            [0.92, 0.48, 0.18, 0.22, 0.28, 0.07],  # 56+
        ]
    )
    probs = table[band]
    probs[:, 5] += 0.08 * north
    return probs


def _brand_affinity(people: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Observable log-affinity of each person to each brand (drives who is on a brand's list and who buys)."""
    age, female, city = people["age"], people["female"].astype(float), people["city"]
    i = {name: people["interests"][:, k] for k, name in enumerate(INTERESTS)}
    p = {name: people["platforms"][:, k] for k, name in enumerate(AUDIENCE_PLATFORMS)}
    return {
        "qazaq_coffee": 2.6 * (city == "Алматы")
        + 1.0 * _between(age, 18, 34)
        + 0.3 * _between(age, 35, 45)
        + 1.5 * i["кофе"]
        + 0.6 * i["еда и кафе"]
        + 0.2 * i["музыка"]
        + 0.5 * p["Instagram"],
        "dala_style": 1.6 * female
        + 0.9 * _between(age, 20, 35)
        + 0.4 * _between(age, 36, 45)
        - 0.5 * (age < 18)
        + 1.1 * i["мода"]
        + 0.8 * i["шопинг"]
        + 0.5 * i["красота"]
        + 0.8 * p["Instagram"]
        + 0.3 * p["TikTok"]
        + 0.3 * np.isin(city, BIG3),
        "astana_fit": 3.0 * (city == "Астана")
        + 1.0 * _between(age, 22, 45)
        + 1.6 * i["спорт и фитнес"]
        + 0.8 * i["здоровое питание"]
        + 0.4 * p["Instagram"],
        "bilim_online": 2.5 * _between(age, 15, 17)
        + 0.6 * _between(age, 38, 52)
        + 2.5 * i["ЕНТ и поступление"]
        + 0.8 * i["образование"]
        + 1.2 * (city == "Караганда")
        + 0.3 * p["TikTok"]
        + 0.3 * p["Telegram"],
        "jet_delivery": 2.4 * (city == "Шымкент")
        + 1.2 * (city == "Алматы")
        + 0.8 * _between(age, 25, 50)
        + 1.0 * i["еда и кафе"]
        + 0.6 * i["семья и дети"]
        + 0.3 * p["WhatsApp"],
    }


HIDDEN_SIGMA = 1.0
"""Spread of the unobserved part of the Dala Style propensity (taste, income): caps what a lookalike can find."""
CONVERSION_BASE = -6.8
CONVERSION_SLOPE = 0.95
"""logit P(buys at Dala Style in March 2026) = CONVERSION_BASE + CONVERSION_SLOPE · (affinity + hidden)."""


def _people(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """The pool of people: age, gender, city, interests and platforms (boolean matrices)."""
    age = _age_sample(rng, n)
    female = rng.random(n) < 0.515
    names = np.array([c for c, _ in CITIES], dtype=object)
    weights = np.array([w for _, w in CITIES])
    city = names[rng.choice(names.size, size=n, p=weights / weights.sum())]
    probs = _interest_probs(age, female)
    interests = rng.random(probs.shape) < probs
    none = ~interests.any(axis=1)
    interests[np.flatnonzero(none), probs[none].argmax(axis=1)] = True
    platforms = rng.random((n, len(AUDIENCE_PLATFORMS))) < _platform_probs(age, np.isin(city, NORTH))
    platforms[~platforms.any(axis=1), 0] = True  # everyone is on at least one: WhatsApp
    return {"age": age, "female": female, "city": city, "interests": interests, "platforms": platforms}


def _peak_hours(rng: np.random.Generator, curve: np.ndarray, n: int) -> np.ndarray:
    """Each person's most active local hour, drawn from an audience activity curve (sharpened)."""
    weights = curve**2
    return rng.choice(24, size=n, p=weights / weights.sum())


def _joined(flags: np.ndarray, labels: tuple[str, ...]) -> list[str]:
    """Rows of a boolean matrix as ";"-joined labels."""
    names = np.array(labels, dtype=object)
    return [";".join(names[row]) for row in flags]


def _segments(rng: np.random.Generator, brand_id: str, age: np.ndarray) -> np.ndarray:
    """Designed segment of each customer of one brand."""
    n = age.size
    if brand_id == "bilim_online":
        return np.where(age <= 18, EXAM, ONE_OFF)
    # P(segment | age) ∝ brand mix × a bell around the segment's typical age: spending grows with age
    centre = np.array([s.age for s in SEGMENTS], dtype=float)
    weights = np.asarray(SEGMENT_MIX[brand_id]) * np.exp(-0.5 * ((age[:, None] - centre) / SEGMENT_AGE_WIDTH) ** 2)
    weights /= weights.sum(axis=1, keepdims=True)
    return (rng.random(n)[:, None] > np.cumsum(weights, axis=1)).sum(axis=1)


def _audience_frame(seed: int) -> pd.DataFrame:
    """The audience table plus the designed segment (``segment``, -1 for non-customers) for tests."""
    rng = np.random.default_rng(seed)
    people = _people(rng, POOL_SIZE)
    affinity = _brand_affinity(people)
    hidden = rng.normal(0.0, HIDDEN_SIGMA, POOL_SIZE)
    affinity[LOOKALIKE_BRAND] = affinity[LOOKALIKE_BRAND] + hidden
    taken = np.zeros(POOL_SIZE, dtype=bool)
    frames = []
    curves = {a.brand_id: activity_matrix(a).mean(axis=0) for a in u.ACCOUNTS if a.platform == "Instagram"}
    for b in u.BRANDS:
        key = affinity[b.brand_id] + rng.gumbel(size=POOL_SIZE)  # Gumbel top-k: sampling ∝ exp(affinity)
        key[taken] = -np.inf
        chosen = np.sort(np.argsort(-key, kind="stable")[:LIST_SIZE])
        taken[chosen] = True
        a = affinity[b.brand_id][chosen]
        customer = rng.random(LIST_SIZE) < 1 / (1 + np.exp(-(-0.2 + 0.6 * (a - a.mean()))))
        segment = np.full(LIST_SIZE, -1)
        segment[customer] = _segments(rng, b.brand_id, people["age"][chosen][customer])
        frames.append(
            pd.DataFrame(
                {
                    "pool": chosen,
                    "brand_id": b.brand_id,
                    "segment": segment,
                    "peak_hour": _peak_hours(rng, curves[b.brand_id], LIST_SIZE),
                }
            )
        )
    rest = np.flatnonzero(~taken)
    general = np.sort(rng.choice(rest, size=GENERAL_SIZE, replace=False))
    # the clock of the platforms the survey asks about (AUDIENCE_PLATFORMS; YouTube is not among them)
    generic = np.mean([activity_matrix(a).mean(axis=0) for a in u.ACCOUNTS if a.platform in AUDIENCE_PLATFORMS], axis=0)
    frames.append(
        pd.DataFrame(
            {"pool": general, "brand_id": None, "segment": -1, "peak_hour": _peak_hours(rng, generic, GENERAL_SIZE)}
        )
    )
    df = pd.concat(frames, ignore_index=True)
    idx = df["pool"].to_numpy()
    seg = df["segment"].to_numpy()
    n = len(df)

    orders = np.zeros(n, dtype=np.int64)
    revenue = np.zeros(n, dtype=np.int64)
    shift = df["brand_id"].map(BRAND_REVENUE_SHIFT).fillna(0.0).to_numpy()
    for code, s in enumerate(SEGMENTS):
        m = seg == code
        orders[m] = rng.integers(s.orders[0], s.orders[1] + 1, size=int(m.sum()))
        revenue[m] = np.round(np.exp(rng.normal(s.log_revenue + shift[m], s.sigma)), -1).astype(np.int64)
    customer = seg >= 0

    lookalike = (df["brand_id"] == LOOKALIKE_BRAND).to_numpy() & customer
    cut = np.quantile(revenue[lookalike], 1 - SEED_SHARE)
    is_seed = lookalike & (revenue >= cut)
    logit = CONVERSION_BASE + CONVERSION_SLOPE * affinity[LOOKALIKE_BRAND][idx]
    converted = rng.random(n) < 1 / (1 + np.exp(-logit))

    return pd.DataFrame(
        {
            "user_id": [f"U{i:05d}" for i in range(1, n + 1)],
            "brand_id": df["brand_id"],
            "age": people["age"][idx].astype(np.int64),
            "gender": np.where(people["female"][idx], "ж", "м"),
            "city": people["city"][idx],
            "interests": _joined(people["interests"][idx], INTERESTS),
            "platforms": _joined(people["platforms"][idx], AUDIENCE_PLATFORMS),
            "peak_hour": df["peak_hour"].astype(np.int64),
            "is_customer": customer,
            "orders_12m": orders,
            "revenue_12m_kzt": revenue,
            "is_seed": is_seed,
            "converted_next_month": pd.array(np.where(is_seed, None, converted), dtype="boolean"),
            "segment": seg,
        }
    )


def make_audience(seed: int = AUDIENCE_SEED) -> pd.DataFrame:
    """People from the five brands' lists and a general-population sample, with customers' orders and revenue."""
    return _audience_frame(seed).drop(columns="segment")


# ============================================================================================ influencers

INFLUENCERS_SEED = 317
PLATFORM_COUNTS = (("Instagram", 150), ("Telegram", 90), ("TikTok", 60))
BOUGHT_SHARE = 0.10
"""Share of channels (per platform) whose subscribers are largely bought."""
BOUGHT_FAKE = (0.75, 0.92)
"""Bought channels: this range of the displayed subscribers are fake (uniform)."""

DORMANT_CHANNELS = 3
"""Honest Telegram channels with a dormant audience (view rate below 10 %): flagged, though nothing was bought."""

ER_BETA = (0.35, 0.15)
"""Instagram ER by followers ∝ subscribers^−β: β = 0.35 up to 50k subscribers, 0.15 above (the drop flattens)."""
ER_AT_3K = 0.052
ER_KNEE = 50_000
PRICE_EXPONENT = 0.7
"""Price per post ∝ subscribers^0.7: a ten times larger channel costs about five times more."""
PRICE_AT_10K = {"Instagram": 45_000, "TikTok": 40_000, "Telegram": 30_000}
"""Median price of one post at 10,000 subscribers, KZT (a course assumption from KZ blogger price lists)."""

TOPICS_BY_PLATFORM = {
    "Instagram": ("еда", "мода", "красота", "спорт", "мамы", "юмор", "путешествия", "город", "бизнес"),
    "Telegram": ("город", "бизнес", "образование", "технологии", "юмор", "еда", "мамы"),
    "TikTok": ("юмор", "еда", "спорт", "образование", "мода", "красота"),
}
TOPIC_AFFINITY = {
    #              qazaq_coffee, dala_style, astana_fit, bilim_online, jet_delivery
    "еда": (0.45, 0.12, 0.12, 0.05, 0.55),
    "мода": (0.20, 0.60, 0.18, 0.05, 0.12),
    "красота": (0.18, 0.55, 0.20, 0.05, 0.10),
    "спорт": (0.18, 0.18, 0.65, 0.06, 0.12),
    "образование": (0.15, 0.08, 0.08, 0.60, 0.08),
    "юмор": (0.35, 0.22, 0.18, 0.22, 0.25),
    "мамы": (0.10, 0.35, 0.15, 0.30, 0.45),
    "город": (0.30, 0.20, 0.20, 0.15, 0.30),
    "бизнес": (0.25, 0.12, 0.20, 0.05, 0.20),
    "путешествия": (0.25, 0.30, 0.18, 0.04, 0.12),
    "технологии": (0.20, 0.08, 0.12, 0.22, 0.12),
}
"""Share of a channel's (Kazakhstani, real) audience that fits each brand's target audience, by topic."""
BRAND_CITIES = {
    "qazaq_coffee": {"Алматы": 1.6},
    "dala_style": {},
    "astana_fit": {"Астана": 1.7},
    "bilim_online": {"Караганда": 1.2},
    "jet_delivery": {"Шымкент": 1.5, "Алматы": 1.4},
}
"""City factor of the audience match for brands bound to a city; elsewhere 0.35, nationwide channels 0.6."""
LOCAL_BRANDS = ("qazaq_coffee", "astana_fit", "jet_delivery")

CHANNEL_CITIES: tuple[tuple[str, float], ...] = (
    ("Алматы", 0.34),
    ("Астана", 0.22),
    ("Шымкент", 0.10),
    ("Караганда", 0.06),
    ("Актобе", 0.04),
    ("Атырау", 0.03),
    ("Павлодар", 0.03),
    ("Усть-Каменогорск", 0.03),
    ("Костанай", 0.02),
    ("Тараз", 0.03),
    ("Весь Казахстан", 0.10),
)

_PEOPLE = (
    ("Айгерим", "aigerim"),
    ("Аружан", "aruzhan"),
    ("Дана", "dana"),
    ("Асель", "asel"),
    ("Мадина", "madina"),
    ("Томирис", "tomiris"),
    ("Нурлан", "nurlan"),
    ("Данияр", "daniyar"),
    ("Арман", "arman"),
    ("Алибек", "alibek"),
    ("Тимур", "timur"),
    ("Ержан", "yerzhan"),
    ("Жанна", "zhanna"),
    ("Камила", "kamila"),
    ("Олжас", "olzhas"),
    ("Айдана", "aidana"),
    ("Санжар", "sanzhar"),
    ("Динара", "dinara"),
    ("Ольга", "olga"),
    ("Мирас", "miras"),
    ("Аида", "aida"),
    ("Бауыржан", "baurzhan"),
    ("Салтанат", "saltanat"),
    ("Ерасыл", "erasyl"),
)
_TOPIC_WORDS = {
    "еда": ("eats", "food", "kitchen", "foodie"),
    "мода": ("style", "look", "fashion"),
    "красота": ("beauty", "makeup", "skin"),
    "спорт": ("fit", "sport", "run"),
    "образование": ("study", "edu", "ent"),
    "юмор": ("fun", "vines", "jokes"),
    "мамы": ("mama", "mom", "family"),
    "город": ("city", "life", "news"),
    "бизнес": ("biz", "business", "money"),
    "путешествия": ("travel", "trip"),
    "технологии": ("tech", "gadgets"),
}
_TOPIC_LABELS = {
    "еда": "еда",
    "мода": "мода",
    "красота": "бьюти",
    "спорт": "спорт",
    "образование": "учёба",
    "юмор": "юмор",
    "мамы": "мама-блог",
    "город": "город",
    "бизнес": "бизнес",
    "путешествия": "путешествия",
    "технологии": "гаджеты",
}
_CHANNEL_TITLES = {
    "город": "Новости",
    "бизнес": "Бизнес",
    "образование": "Абитуриенты",
    "технологии": "Гаджеты",
    "юмор": "Юмор",
    "еда": "Гастрогид",
    "мамы": "Мамы",
}
_CITY_LATIN = {
    "Алматы": "almaty",
    "Астана": "astana",
    "Шымкент": "shymkent",
    "Караганда": "karaganda",
    "Актобе": "aktobe",
    "Атырау": "atyrau",
    "Павлодар": "pavlodar",
    "Усть-Каменогорск": "oskemen",
    "Костанай": "kostanay",
    "Тараз": "taraz",
    "Весь Казахстан": "kz",
}
_CITY_GENITIVE = {
    "Алматы": "Алматы",
    "Астана": "Астаны",
    "Шымкент": "Шымкента",
    "Караганда": "Караганды",
    "Актобе": "Актобе",
    "Атырау": "Атырау",
    "Павлодар": "Павлодара",
    "Усть-Каменогорск": "Усть-Каменогорска",
    "Костанай": "Костаная",
    "Тараз": "Тараза",
    "Весь Казахстан": "Казахстана",
}


def _subscribers(rng: np.random.Generator, platform: str, n: int) -> np.ndarray:
    """Heavy-tailed subscriber counts: a lognormal body and a Pareto tail (α = 1.1) from 100k."""
    median, sigma, tail, cap = {
        "Instagram": (14_000, 1.1, 0.18, 5_000_000),
        "TikTok": (18_000, 1.2, 0.18, 5_000_000),
        "Telegram": (9_000, 1.1, 0.08, 800_000),
    }[platform]
    body = np.exp(np.log(median) + sigma * rng.standard_normal(n))
    pareto = 100_000 * (1 + rng.pareto(1.1, size=n))
    values = np.where(rng.random(n) < tail, pareto, body)
    values = np.where(values > cap, body, values)  # nobody above the platform's realistic ceiling in KZ
    return np.maximum(np.round(values), 1_000).astype(np.int64)


def _instagram_er(subscribers: np.ndarray) -> np.ndarray:
    """Median ER by followers of an honest Instagram blogger: 4.6 % at 4.5k … 1.2 % at 2M (tier norms)."""
    knee = ER_AT_3K * (ER_KNEE / 3_000) ** -ER_BETA[0]
    below = ER_AT_3K * (subscribers / 3_000) ** -ER_BETA[0]
    above = knee * (subscribers / ER_KNEE) ** -ER_BETA[1]
    return np.where(subscribers <= ER_KNEE, below, above)


def _squash(rng: np.random.Generator, median: np.ndarray, sigma: float, low: float, high: float) -> np.ndarray:
    """Lognormal noise around ``median``, kept inside (low, high) smoothly (a logistic squash, no pile-up)."""
    x = np.log(median) + sigma * rng.standard_normal(median.size)
    lo, hi = np.log(low), np.log(high)
    return np.exp(lo + (hi - lo) / (1 + np.exp(-(x - (lo + hi) / 2) * 4 / (hi - lo))))


def _handles(rng: np.random.Generator, platform: str, topic: np.ndarray, city: np.ndarray):
    """Handles and display names of one platform's channels."""
    handles, names = [], []
    for t, c in zip(topic.tolist(), city.tolist(), strict=True):
        word = _TOPIC_WORDS[t][rng.integers(len(_TOPIC_WORDS[t]))]
        if platform == "Telegram":
            handles.append(f"t.me/{word}_{_CITY_LATIN[c]}")
            names.append(f"{_CHANNEL_TITLES[t]} {_CITY_GENITIVE[c]}")
        else:
            ru, lat = _PEOPLE[rng.integers(len(_PEOPLE))]
            sep = "." if rng.random() < 0.6 else "_"
            handles.append(f"@{lat}{sep}{word}")
            names.append(f"{ru} | {_TOPIC_LABELS[t]}")
    return handles, names


def make_influencers(seed: int = INFLUENCERS_SEED) -> pd.DataFrame:
    """Instagram and TikTok bloggers and Telegram channels in Kazakhstan with reach, ER, price and audience fit."""
    rng = np.random.default_rng(seed)
    frames = []
    for platform, n in PLATFORM_COUNTS:
        topics = TOPICS_BY_PLATFORM[platform]
        topic = np.asarray(topics, dtype=object)[rng.integers(0, len(topics), size=n)]
        names = np.array([c for c, _ in CHANNEL_CITIES], dtype=object)
        weights = np.array([w for _, w in CHANNEL_CITIES])
        city = names[rng.choice(names.size, size=n, p=weights / weights.sum())]
        language = np.array(["ru", "ru+kk", "kk"], dtype=object)[rng.choice(3, size=n, p=[0.55, 0.30, 0.15])]
        shown = _subscribers(rng, platform, n)
        bought = np.zeros(n, dtype=bool)
        bought[rng.choice(n, size=round(BOUGHT_SHARE * n), replace=False)] = True
        fake = np.where(bought, rng.uniform(*BOUGHT_FAKE, size=n), 0.0)
        real = np.round(shown * (1 - fake))
        size = real / 3_000
        if platform == "Telegram":
            view_rate = _squash(rng, 0.30 * size**-0.1, 0.2, 0.10, 0.45)
            er_real = view_rate * 0.04 * np.exp(0.3 * rng.standard_normal(n))
        elif platform == "Instagram":
            view_rate = _squash(rng, 0.30 * size**-0.08, 0.25, 0.12, 0.85)
            er_real = _instagram_er(real) * np.exp(0.3 * rng.standard_normal(n))
        else:
            view_rate = _squash(rng, 0.45 * size**-0.1, 0.3, 0.12, 0.95)
            er_real = 0.103 * size**-0.12 * np.exp(0.3 * rng.standard_normal(n))
        if platform == "Telegram":  # old channels whose readers left: few views, but no bought subscribers
            dormant = rng.choice(np.flatnonzero(~bought), size=DORMANT_CHANNELS, replace=False)
            view_rate[dormant] *= rng.uniform(0.25, 0.35, size=DORMANT_CHANNELS)
        views = np.round(real * view_rate).astype(np.int64)
        interactions = np.round(real * er_real).astype(np.int64)
        price = PRICE_AT_10K[platform] * (shown / 10_000) ** PRICE_EXPONENT * np.exp(0.25 * rng.standard_normal(n))
        price = np.maximum(np.round(price, -3), 5_000).astype(np.int64)
        bot_share = np.where(bought, fake * rng.uniform(0.45, 0.8, size=n), rng.beta(2, 18, size=n))
        kz = np.select(
            [language == "kk", language == "ru+kk"],
            [rng.uniform(0.90, 0.98, n), rng.uniform(0.80, 0.95, n)],
            rng.uniform(0.55, 0.90, n),
        )
        kz = kz * (1 - 0.6 * fake)  # bought subscribers are mostly from abroad
        handles, display = _handles(rng, platform, topic, city)
        frame = pd.DataFrame(
            {
                "platform": platform,
                "handle": handles,
                "name": display,
                "city": city,
                "topic": topic,
                "language": language,
                "subscribers": shown,
                "avg_views": views,
                "avg_interactions": interactions,
                "er": np.round(interactions / shown, 4),
                "tg_view_rate": np.round(views / shown, 4) if platform == "Telegram" else np.nan,
                "price_kzt": price,
                "bot_share": np.round(bot_share, 2),
                "audience_kz_share": np.round(kz, 2),
            }
        )
        for k, b in enumerate(u.BRANDS):
            affinity = np.array([TOPIC_AFFINITY[t][k] for t in topic.tolist()])
            factor = np.array(
                [
                    BRAND_CITIES[b.brand_id].get(c, 0.6 if c == "Весь Казахстан" else 0.35)
                    if b.brand_id in LOCAL_BRANDS or c in BRAND_CITIES[b.brand_id]
                    else 1.0
                    for c in city.tolist()
                ]
            )
            fit = affinity * factor * np.exp(0.3 * rng.standard_normal(n))
            match = kz * (1 - np.exp(-fit))  # ≈ fit for small values, below the Kazakhstani share always
            frame[f"audience_match_{b.brand_id}"] = np.round(np.maximum(match, 0.005), 3)
        frame["bought_subscribers"] = bought
        frames.append(frame)
    df = pd.concat(frames, ignore_index=True)
    df = df.sort_values(["platform", "subscribers"], ascending=[True, False], kind="stable").reset_index(drop=True)
    dup = df["handle"].duplicated()
    df.loc[dup, "handle"] = df.loc[dup, "handle"] + "_" + df.index[dup].astype(str).str.zfill(3).str[-2:]
    df.insert(0, "influencer_id", [f"I{i:03d}" for i in range(1, len(df) + 1)])
    return df


RECIPES: tuple[Recipe, ...] = (
    Recipe("audience", lambda: make_audience(seed=606), "smmkit.data.audience_data.make_audience(seed=606)"),
    Recipe(
        "followers_audit",
        lambda: make_followers_audit(seed=412),
        "smmkit.data.audience_data.make_followers_audit(seed=412)",
    ),
    Recipe("influencers", lambda: make_influencers(seed=317), "smmkit.data.audience_data.make_influencers(seed=317)"),
)
