"""Seeded generators for module 11–12 reputation data: comments, brand mentions and an NPS survey.

One story runs through all three: on 22 January 2026 a TikTok video claims that a family was poisoned by
Jet Delivery's rolls in Шымкент. For three days the brand's comments turn negative (share > 40 %, volume ×3–5,
replies slow down), mentions spike, and the NPS of January and February drops. The sanitary inspection finds
no violations on 24 January and the wave fades. Everything else is an ordinary half-year of customer talk.

Texts are composed from many templates with slots, openers, closers, emoji and typing noise, so that the
lexicon scorer of :mod:`smmkit.analysis.sentiment` is right on most but not all of them (sarcasm, mixed
opinions and complaints without sentiment words are planted on purpose). The templates, slot values (with
their case forms), brand names' case forms, openers and word lists are data: ``texts/comments.yaml``,
``texts/mentions.yaml``, ``texts/nps.yaml`` and ``texts/handles.yaml``, read by :mod:`smmkit.data.textbank`.
Kazakh is written as people type it online (:mod:`smmkit.data.kazakh_script`): Russian words switched to
Kazakh mid-sentence, Kazakh without its special letters or in Latin letters, keyboard slips. Texts draw from
their own random stream, so editing a template changes texts only, never a count, a stamp or a reply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from smmkit.analysis.sentiment import Lexicon, load_lexicon
from smmkit.data import kazakh_script, textbank
from smmkit.data import universe as u
from smmkit.data.generators import activity_matrix, make_posts
from smmkit.data.realism import Loader
from smmkit.data.recipe import Recipe

PERIOD_START = "2025-09-01"
PERIOD_DAYS = 181  # 2025-09-01 .. 2026-02-28
OFFSET = "+05:00"  # Asia/Almaty since 2024-03-01

CRISIS_BRAND = "jet_delivery"
CRISIS_START = "2026-01-22"
"""First day of the planted crisis (Thursday): the poisoning rumour spreads in the morning."""

CRISIS_VOLUME = (4.5, 3.8, 3.2, 1.9, 1.5, 1.25, 1.1)
"""Comment volume multiplier of the crisis brand on crisis day 0, 1, 2, … (then back to 1)."""

CRISIS_MIX = ((0.58, 0.06), (0.50, 0.08), (0.43, 0.10), (0.30, 0.12), (0.22, 0.15), (0.16, 0.16), (0.13, 0.17))
"""(negative, positive) share of the crisis brand's comments on crisis day 0, 1, 2, …"""

SENTIMENTS = ("positive", "negative", "neutral")
LANGUAGES = ("ru", "kk", "ru+kk")
TOPICS = (
    "вкус", "цена", "доставка", "персонал", "качество", "размер и возврат", "расписание", "обучение",
    "атмосфера", "акция", "вопрос", "безопасность", "спам",
)  # fmt: skip

# Ordinary comments per day, (negative, positive) shares on ordinary days, reply-speed factor.
COMMENT_VOLUME = {"qazaq_coffee": 10.5, "dala_style": 11.0, "astana_fit": 4.5, "bilim_online": 8.0,
                  "jet_delivery": 14.0}  # fmt: skip
COMMENT_MIX = {"qazaq_coffee": (0.08, 0.22), "dala_style": (0.12, 0.17), "astana_fit": (0.09, 0.20),
               "bilim_online": (0.08, 0.21), "jet_delivery": (0.11, 0.18)}  # fmt: skip
REPLY_SPEED = {"qazaq_coffee": 1.0, "dala_style": 0.8, "astana_fit": 1.3, "bilim_online": 1.6, "jet_delivery": 0.9}
ACCOUNT_SHARE = {
    "qc_ig": 0.60, "qc_tt": 0.25, "qc_tg": 0.15,
    "ds_ig": 0.55, "ds_tt": 0.38, "ds_vk": 0.07,
    "af_ig": 0.80, "af_tg": 0.20,
    "bo_ig": 0.35, "bo_tt": 0.40, "bo_tg": 0.25,
    "jd_ig": 0.65, "jd_fb": 0.07, "jd_vk": 0.06, "jd_tg": 0.22,
}  # fmt: skip
DM_SHARE = {"Instagram": 0.22, "TikTok": 0.08, "Telegram": 0.10, "VK": 0.15, "Facebook": 0.15}
WORK_HOURS = (9, 21)
"""The brands' SMM teams answer between 09:00 and 21:00 local time; a comment at night waits for the morning."""

# Alert rule the crisis brand's ordinary days are kept under (smmkit.analysis.reputation.negative_alerts defaults).
ALERT_SPAN, ALERT_K, ALERT_MIN_PERIODS = 7, 3.0, 7


# --- random picks ----------------------------------------------------------------------------------------


class _Dice:
    """Uniform numbers from one seeded numpy generator, served one at a time for fast picks from lists."""

    def __init__(self, rng: np.random.Generator, block: int = 8192) -> None:
        """Draw from ``rng`` in blocks of ``block`` numbers."""
        self.rng, self.block = rng, block
        self.buf: list[float] = []
        self.pos = 0

    def u(self) -> float:
        """One uniform number in [0, 1)."""
        if self.pos >= len(self.buf):
            self.buf, self.pos = self.rng.random(self.block).tolist(), 0
        self.pos += 1
        return self.buf[self.pos - 1]

    def pick(self, seq: Sequence):
        """One element of ``seq``, uniformly."""
        return seq[int(self.u() * len(seq))]

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self.u() < p

    def int(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + int(self.u() * (high - low + 1))


# --- the text bank (texts/comments.yaml) ----------------------------------------------------------------
# An entry is "topic|text", optionally "topic|kk|text" or "topic|mix|text" (Kazakh, or Russian–Kazakh
# code-switching). {slot}s are filled from _SLOTS (brand first, then common); {slot:case} takes a case form of
# a declined value. "hard" lists hold texts a lexicon scorer tends to get wrong: sarcasm, mixed opinions,
# complaints or praise without sentiment words, neutral questions that contain sentiment words.

_COMMENT_BANK = textbank.load("comments")
_COMMON_SLOTS: dict[str, tuple[str, ...]] = _COMMENT_BANK["slots"]
_SLOTS: dict[str, dict[str, tuple[str, ...]]] = _COMMENT_BANK["brand_slots"]
_COMMON: dict[str, tuple[str, ...]] = _COMMENT_BANK["common"]
_BRAND_TEXTS: dict[str, dict[str, tuple[str, ...]]] = _COMMENT_BANK["brands"]
_CRISIS: dict[str, tuple[str, ...]] = _COMMENT_BANK["crisis"]
_OPENERS: dict[str, tuple[str, ...]] = _COMMENT_BANK["openers"]
_CLOSERS: dict[str, tuple[str, ...]] = _COMMENT_BANK["closers"]
_HARD_SHARE: dict[str, float] = _COMMENT_BANK["hard_share"]
_ABBREVIATIONS: tuple[tuple[str, str], ...] = _COMMENT_BANK["abbreviations"]


def _entry(raw: str) -> tuple[str, str, str]:
    """Parse "topic|text" or "topic|kk|text" into (topic, language, text)."""
    parts = raw.split("|")
    if len(parts) == 3:
        return parts[0], {"kk": "kk", "mix": "ru+kk"}[parts[1]], parts[2]
    return parts[0], "ru", parts[1]


_SLOT = re.compile(r"\{(\w+)(?::(\w+))?\}")
"""A slot: ``{name}`` (nominative) or ``{name:case}`` (``acc``, ``gen``, ``dat``, ``ins``, ``prep``, ``in``, ``to``)."""


def form(value: str | dict[str, str], case: str | None) -> str:
    """The form of a slot value: a plain string is the same in every case; a mapping names its forms."""
    if isinstance(value, str):
        return value
    return value.get(case or "nom") or value["nom"]


def _fill(text: str, brand_id: str, dice: _Dice, friends: Sequence[str]) -> str:
    """Fill the {slots} of a template from the brand's and the common slot values, declined as asked."""

    def value(match: re.Match) -> str:
        """A random value for one slot name, in the asked case."""
        key, case = match.group(1), match.group(2)
        if key == "friend":
            return dice.pick(friends)
        return form(dice.pick(_SLOTS[brand_id].get(key) or _COMMON_SLOTS[key]), case)

    return _SLOT.sub(value, text)


_SWITCH = tuple((re.compile(pattern, re.IGNORECASE), tuple(kk)) for pattern, kk in _COMMENT_BANK["switch"])
_SWITCH_SHARE: float = _COMMENT_BANK["switch_share"]


def _switch(text: str, dice: _Dice) -> str:
    """Code-switching mid-sentence: one or two Russian words of ``text`` replaced by Kazakh ones."""
    rules = [(rx, kk) for rx, kk in _SWITCH if rx.search(text)]
    for _ in range(min(len(rules), 1 + int(dice.chance(0.35)))):
        rx, kk = rules.pop(int(dice.u() * len(rules)))
        word = dice.pick(kk)
        text = rx.sub(lambda m, w=word: w[:1].upper() + w[1:] if m.group(0)[:1].isupper() else w, text, count=1)
    return text


def _script(dice: _Dice) -> str:
    """How a Kazakh or mixed text is typed (Kazakh Cyrillic, Russian keyboard, Latin), by the planned mix."""
    mix = kazakh_script.script_mix()
    return list(mix)[int(np.searchsorted(_cum(list(mix.values())), dice.u(), side="right"))]


def _noise(text: str, mood: str, dice: _Dice) -> str:
    """People type fast: lower case, no final punctuation, abbreviations, stretched letters, typos, caps."""
    if dice.chance(0.18):
        for full, short in _ABBREVIATIONS:
            if full in text.lower():
                text = re.sub(full, short, text, count=1, flags=re.IGNORECASE)
                break
    if dice.chance(0.09):
        text, _ = kazakh_script.typo(text, dice.pick, dice.u)
    if dice.chance(0.05):
        text = re.sub(r"([аоеиуяю])", r"\1\1\1", text, count=1)
    if dice.chance(0.3):
        text = text.rstrip(".!?")
    if mood == "neg" and dice.chance(0.05):
        text = text.upper()
    elif dice.chance(0.35):
        text = text.lower()
    return text.strip() or "+"


_NO_OPENER: tuple[str, ...] = _COMMENT_BANK["no_opener"]


def _part_language(part: str) -> str | None:
    """Language of an opener or closer: "kk" if marked, "ru" if it has Cyrillic words, else None (emoji)."""
    if part.startswith(("kk:", " kk:")):
        return "kk"
    return "ru" if re.search("[а-яё]", part.lower()) else None


def _compose(pool: Sequence[str], mood: str, brand_id: str, dice: _Dice, friends: Sequence[str]) -> tuple:
    """One comment from a template pool: (text, topic, language, is_question)."""
    topic, lang, template = _entry(dice.pick(pool))
    core = _fill(template, brand_id, dice, friends)
    is_question = "?" in core
    opener, closer = dice.pick(_OPENERS[mood]), dice.pick(_CLOSERS[mood])
    if core.startswith(_NO_OPENER):
        opener = ""
        closer = "" if core.startswith(("+", "@")) else closer
    if mood == "neu" and not is_question and any(ch.isalpha() for ch in closer):
        closer = ""  # «заранее спасибо» only follows a question
    word = closer.strip(" !").replace("kk:", "").lower()
    if any(ch.isalpha() for ch in word) and word in (opener + core).lower():
        closer = ""  # no «рахмет! рахмет!»
    if closer.strip() in ("пж", "пжлст") and "пожалуйста" in (opener + core).lower():
        closer = ""  # no «Скажите пожалуйста, … пж»
    if lang == "ru" and dice.chance(_SWITCH_SHARE):
        switched = _switch(core, dice)
        lang, core = ("ru+kk", switched) if switched != core else (lang, core)
    if lang != "ru+kk":
        langs = {lang} | {_part_language(p) for p in (opener, closer)} - {None}
        lang = "ru+kk" if len(langs) > 1 else lang
    opener, closer = opener.replace("kk:", ""), closer.replace("kk:", "")
    lower_next = opener.endswith(", ") or (opener.endswith(" ") and not opener.endswith(("! ", ") ")))
    if lower_next and not template.startswith(("{", "Wi-Fi", "Kaspi", "Jet", "ЕНТ")) and core[:1].isalpha():
        core = core[0].lower() + core[1:]
    text = opener + core + closer
    if lang != "ru":
        script = _script(dice)
        script = "latin_informal" if script == "latin_2021" and lang == "ru+kk" else script
        text = kazakh_script.write(text, script, dice.pick)
    return _noise(text, mood, dice), topic, lang, is_question


def _pool(brand_id: str, mood: str, hard: bool, crisis_day: int | None) -> tuple[str, ...]:
    """Templates for a brand, mood and difficulty; crisis days mix in the crisis templates."""
    key = f"{mood}_hard" if hard else mood
    own = _BRAND_TEXTS[brand_id].get(key, ())
    common = _COMMON.get(key, ()) if mood == "neu" else ()
    pool = own * 2 + common
    if crisis_day is not None:
        crisis = _CRISIS.get(key, ()) or _CRISIS.get(mood, ())
        weight = {"neg": 3, "neu": 2, "pos": 1}[mood] if crisis_day <= 2 else 1
        pool = pool + crisis * weight * (3 if crisis_day <= 2 else 1)
    return pool


# --- authors ---------------------------------------------------------------------------------------------

_HANDLES = textbank.load("handles")
_NAMES: tuple[str, ...] = _HANDLES["names"]
_TAILS: tuple[str, ...] = _HANDLES["tails"]


def _handles(dice: _Dice, n: int) -> list[str]:
    """``n`` distinct pseudonymous handles like aigerim_92, dana.almaty, user48213."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        name, style = dice.pick(_NAMES), dice.int(0, 5)
        if style == 0:
            handle = f"{name}_{dice.int(80, 99) if dice.chance(0.5) else dice.int(1, 2010)}"
        elif style == 1:
            handle = f"{name}.{dice.pick(_TAILS)}"
        elif style == 2:
            handle = f"user{dice.int(10000, 99999)}"
        elif style == 3:
            handle = f"{name}{dice.pick('abdeklmnrst')}{dice.int(1, 99)}"
        elif style == 4:
            handle = f"mama_{name}" if dice.chance(0.4) else f"{name}_{dice.pick(_NAMES)}"
        else:
            handle = f"{name}.{dice.pick(_NAMES)[:3]}{dice.int(1, 9)}"
        if handle not in seen:
            seen.add(handle)
            out.append(handle)
    return out


# --- comments --------------------------------------------------------------------------------------------


def _alert_limit(past: np.ndarray) -> float:
    """The lower of the EWMA and trailing-σ control limits (span 7, k = 3) that judge the next day."""
    if len(past) < ALERT_MIN_PERIODS:
        return np.inf
    s = pd.Series(past, dtype=float)
    limits = []
    ewm = s.ewm(span=ALERT_SPAN, min_periods=ALERT_MIN_PERIODS)
    roll = s.rolling(window=ALERT_SPAN, min_periods=ALERT_MIN_PERIODS)
    for window in (ewm, roll):
        centre, spread = window.mean().iloc[-1], window.std().iloc[-1]
        if not (np.isnan(centre) or np.isnan(spread)):
            limits.append(centre + ALERT_K * spread)
    return min(limits) if limits else np.inf


def _day_counts(rng: np.random.Generator, brand_id: str, days: pd.DatetimeIndex) -> np.ndarray:
    """(negative, positive, neutral) comments per day for one brand; crisis days follow CRISIS_*."""
    b = u.brand(brand_id)
    weekday = np.asarray(b.weekday_factor)[days.day_of_week]
    trend = 1 + 0.25 * np.arange(len(days)) / len(days)
    expected = COMMENT_VOLUME[brand_id] * weekday * trend
    volume = rng.poisson(expected * rng.lognormal(0, 0.12, len(days)))
    neg_share, pos_share = COMMENT_MIX[brand_id]
    counts = np.array([rng.multinomial(v, (neg_share, pos_share, 1 - neg_share - pos_share)) for v in volume])
    if brand_id != CRISIS_BRAND:
        return counts
    start = int((pd.Timestamp(CRISIS_START) - days[0]).days)
    for k, factor in enumerate(CRISIS_VOLUME):
        v = round(expected[start + k] * factor)
        neg, pos = (round(v * share) for share in CRISIS_MIX[k])
        counts[start + k] = (neg, pos, v - neg - pos)
    # Ordinary days stay under both control limits of negative_alerts and under a 40 % negative share (rare
    # random spikes are trimmed to neutral), so the crisis is the only alert of the brand.
    crisis = range(start, start + len(CRISIS_VOLUME))
    for t in range(len(days)):
        if t in crisis:
            continue
        share_cap = int(np.ceil(0.4 * counts[t].sum())) - 1  # and no ordinary day reaches the crisis' 40 %
        cap = min(np.floor(_alert_limit(counts[:t, 0])), max(share_cap, 0))
        if counts[t, 0] > cap:
            extra = counts[t, 0] - int(cap)
            counts[t, 0] -= extra
            counts[t, 2] += extra
    return counts


@lru_cache(maxsize=1)
def _posts_by_account() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Post ids, local publication times (ns) and comment counts of every account, in time order."""
    posts = make_posts(seed=2025)
    local = pd.to_datetime(posts["published_at_utc"], utc=True).dt.tz_convert(u.TIMEZONE).dt.tz_localize(None)
    out = {}
    for account, idx in posts.groupby("account_id", sort=True).groups.items():
        out[str(account)] = (
            posts.loc[idx, "post_id"].to_numpy(),
            local[idx].to_numpy().astype("datetime64[ns]").astype(np.int64),
            posts.loc[idx, "comments"].to_numpy(),
        )
    return out


def _pick_post(account: str, when: pd.Timestamp, dice: _Dice, room: dict[str, np.ndarray]) -> str | None:
    """A post of the account published 5 min – 7 days before ``when`` (recent, much-discussed ones likelier).

    ``room[account]`` holds how many more rows each post may still get: a post never has more rows here than
    its own ``comments`` count in ``posts``. With no room left in the window the comment is a direct message.
    """
    ids, stamps, _ = _posts_by_account()[account]
    t = when.value
    hi = int(np.searchsorted(stamps, t - 5 * 60 * 10**9, side="right"))  # at least 5 minutes after the post
    lo = int(np.searchsorted(stamps, t - 7 * 86_400 * 10**9, side="left"))
    if hi <= lo:
        return None
    u = dice.u()
    left = room[account][lo:hi]
    if not left.any():
        return None
    age_days = (t - stamps[lo:hi]) / 86_400e9
    cum = np.cumsum(left * np.exp(-age_days / 1.5))
    k = lo + int(np.searchsorted(cum, u * cum[-1], side="right"))  # a post without room adds 0: never chosen
    room[account][k] -= 1
    return str(ids[k])


def _reply_delay(rng_normal: float, median_h: float, created: pd.Timestamp) -> float:
    """Hours until the brand answers: lognormal, counted from the start of the next working hours at night."""
    wait = 0.0
    hour = created.hour + created.minute / 60
    open_h, close_h = WORK_HOURS
    if hour < open_h:
        wait = open_h - hour
    elif hour >= close_h:
        wait = 24 - hour + open_h
    return wait + max(median_h * float(np.exp(1.05 * rng_normal)), 0.05)


BOUNDARY_SEED = 1101

BOUNDARY_EDITS: tuple[tuple[str, str, dict[str, object]], ...] = (
    ("qc_ig", "2026-02-04 09:11", {"created_at": "2026-02-04 08:59"}),  # makes room for the next one (a remark)
    ("jd_ig", "2026-02-04 09:12", {"created_at": "2026-02-04 09:00"}),  # a complaint exactly 24 h before: in
    ("jd_vk", "2026-02-05 01:16", {"replied_at": "2026-02-05 09:00"}),  # answered exactly at the report: answered
    ("jd_ig", "2026-02-04 17:28", {"is_deleted_by_moderator": True, "text": "позорище, а не бизнес 😤",
                                   "language": "ru", "topic": "персонал"}),  # a rude comment the moderator removed
    ("jd_fb", "2026-02-05 07:53", {"created_at": "2026-02-05 09:00"}),  # a question exactly at the report: out
)
"""Comments moved onto the edges of the monitoring report of 5 February 2026, 09:00 (assignment a04, question 5),
so that ``<=`` for ``<`` at either edge, a reply at the very moment of the report, and deleted comments kept all
change the report. Each edit finds its comment by account and generated time (the row before the first edit is
an ordinary comment of 09:11 moved to 08:59 so that ids stay in time order); ids do not change."""


def _monitoring_boundaries(df: pd.DataFrame) -> pd.DataFrame:
    """Apply ``BOUNDARY_EDITS`` (after ids are given; every edit keeps the rows in time order)."""
    df = df.copy()
    for account, created, change in BOUNDARY_EDITS:
        hit = df.index[(df["account_id"] == account) & (df["created_at"] == pd.Timestamp(created))]
        if len(hit) != 1:
            raise ValueError(f"boundary edit {account} {created}: {len(hit)} comments match")
        for column, value in change.items():
            df.loc[hit[0], column] = pd.Timestamp(value) if column.endswith("_at") else value
    return df


def make_comments(seed: int = 1101) -> pd.DataFrame:
    """Comments under the brands' posts and in direct messages, Sep 2025 – Feb 2026, with ground-truth labels."""
    rng = np.random.default_rng(seed)
    dice = _Dice(np.random.default_rng(seed + 1))
    words = _Dice(np.random.default_rng([seed, 1]))  # the texts' own stream: editing a template moves no stamp
    days = pd.date_range(PERIOD_START, periods=PERIOD_DAYS, freq="D")
    crisis_start = pd.Timestamp(CRISIS_START)
    story_now = pd.Timestamp(u.STORY_NOW).tz_localize(None)
    rows = []
    room = {account: comments.copy() for account, (_, _, comments) in _posts_by_account().items()}
    for b in u.BRANDS:
        counts = _day_counts(rng, b.brand_id, days)
        authors = _handles(dice, 1800)
        author_w = np.cumsum(1 / np.arange(1, len(authors) + 1) ** 0.8)
        # the accounts whose inbox the SMM team moderates here (YouTube channels' comments stay in YouTube Studio)
        accounts = [a for a in u.ACCOUNTS if a.brand_id == b.brand_id and a.account_id in ACCOUNT_SHARE]
        acc_cum = np.cumsum([ACCOUNT_SHARE[a.account_id] for a in accounts])
        grids = {a.account_id: activity_matrix(a) for a in accounts}
        for d, day in enumerate(days):
            crisis_day = (day - crisis_start).days if b.brand_id == CRISIS_BRAND else None
            if crisis_day is not None and not 0 <= crisis_day < len(CRISIS_VOLUME):
                crisis_day = None
            moods = ["neg"] * counts[d, 0] + ["pos"] * counts[d, 1] + ["neu"] * counts[d, 2]
            for mood in moods:
                acc = accounts[int(np.searchsorted(acc_cum, dice.u() * acc_cum[-1], side="right"))]
                hour_w = np.cumsum(grids[acc.account_id][day.day_of_week] ** 2)
                hour = int(np.searchsorted(hour_w, dice.u() * hour_w[-1], side="right"))
                created = day + pd.Timedelta(hours=hour, minutes=dice.int(0, 59))
                deleted = False
                if mood == "neu" and dice.chance(0.008):
                    pool, deleted = _COMMON["spam"], True
                elif mood == "neg" and dice.chance(0.03):
                    pool, deleted = _COMMON["rude"], True
                else:
                    pool = _pool(b.brand_id, mood, dice.chance(_HARD_SHARE[mood]), crisis_day)
                text, topic, lang, is_question = _compose(pool, mood, b.brand_id, words, authors[:300])
                dm = dice.chance(DM_SHARE[acc.platform])
                post_id = None if dm else _pick_post(acc.account_id, created, dice, room)
                # replies: questions and complaints get answers more often; crisis days overwhelm the team
                p_reply = 0.9 if is_question else {"neg": 0.85, "pos": 0.55, "neu": 0.45}[mood]
                median_h = 1.6 * REPLY_SPEED[b.brand_id]
                if crisis_day is not None:
                    p_reply *= (0.6, 0.65, 0.75, 0.85, 0.9, 0.95, 1.0)[crisis_day]
                    median_h *= (5.0, 4.0, 3.0, 2.0, 1.5, 1.2, 1.1)[crisis_day]
                replied = None
                z = float(rng.standard_normal())  # drawn for every comment, so a text edit moves no later draw
                if not deleted and dice.chance(p_reply):
                    stamp = created + pd.Timedelta(minutes=max(round(_reply_delay(z, median_h, created) * 60), 2))
                    replied = stamp if stamp <= story_now else None
                author_i = int(np.searchsorted(author_w, dice.u() * author_w[-1], side="right"))
                rows.append(
                    (b.brand_id, acc.account_id, post_id, created, authors[author_i], text, lang,
                     {"neg": "negative", "pos": "positive", "neu": "neutral"}[mood], topic, is_question, replied,
                     deleted)
                )  # fmt: skip
    df = pd.DataFrame(
        rows,
        columns=["brand_id", "account_id", "post_id", "created_at", "author", "text", "language", "sentiment", "topic",
                 "is_question", "replied_at", "is_deleted_by_moderator"],
    )  # fmt: skip
    df = df.sort_values(["created_at", "account_id"], kind="stable").reset_index(drop=True)
    df.insert(0, "comment_id", [f"C{i:05d}" for i in range(1, len(df) + 1)])
    if seed == BOUNDARY_SEED:  # the edits name rows of the committed dataset; other seeds have other rows
        df = _monitoring_boundaries(df)
    df["created_at"] = df["created_at"].dt.strftime("%Y-%m-%dT%H:%M:00") + OFFSET
    replied = pd.to_datetime(df["replied_at"])
    df["replied_at"] = (replied.dt.strftime("%Y-%m-%dT%H:%M:00") + OFFSET).where(replied.notna(), None)
    return df


# --- mentions --------------------------------------------------------------------------------------------

MARKETS: dict[str, tuple[tuple[str, float], ...]] = {
    "qazaq_coffee": (("Qazaq Coffee", 0.38), ("Aroma Point", 0.37), ("Кофейня Бариста-Лаб", 0.25)),
    "dala_style": (("Dala Style", 0.24), ("Steppe Moda", 0.46), ("Aru Closet", 0.30)),
    "astana_fit": (("Astana Fit", 0.30), ("Esil Active", 0.42), ("Fit Orda", 0.28)),
    "bilim_online": (("Bilim Online", 0.45), ("ЕНТ-Старт", 0.33), ("Oqu Pro", 0.22)),
    "jet_delivery": (("Jet Delivery", 0.28), ("Tamaq Go", 0.45), ("Быстрый Казан", 0.27)),
}
"""Each own brand's market: (brand, planted share of voice over the whole period); the own brand comes first."""

MARKET_MENTIONS = {"qazaq_coffee": 1500, "dala_style": 1700, "astana_fit": 800, "bilim_online": 1100,
                   "jet_delivery": 1700}  # fmt: skip
"""Mentions of all brands of a market over the period (so every SOV above is exact)."""

MENTION_WEEKDAYS = (0.14, 0.157, 0.155, 0.158, 0.151, 0.12, 0.11)
"""Share of mentions by weekday, Monday first (Mention, 1 billion brand mentions)."""

CRISIS_MENTIONS = (("2026-01-21", 1), ("2026-01-22", 70), ("2026-01-23", 55), ("2026-01-24", 40),
                   ("2026-01-25", 20), ("2026-01-26", 10))  # fmt: skip
"""Extra mentions of the crisis brand: the rumour's first video late on 21 January, then the wave."""

SOURCES = ("Instagram", "TikTok", "Telegram", "VK", "форум", "новости", "2GIS-отзывы", "YouTube")
SOURCE_MIX = (0.34, 0.16, 0.12, 0.04, 0.05, 0.04, 0.15, 0.10)
CRISIS_SOURCE_MIX = (0.22, 0.30, 0.25, 0.03, 0.05, 0.10, 0.02, 0.03)
SOURCE_REACH = {"Instagram": 0.25, "TikTok": 1.2, "Telegram": 0.4, "VK": 0.08, "форум": 0.0, "новости": 0.15,
                "2GIS-отзывы": 0.0, "YouTube": 0.3}  # fmt: skip
"""Reach estimate as a share of the author's followers; forums and 2GIS reviews are read by page visitors."""

_MENTION_BANK = textbank.load("mentions")
_MENTION_TEXTS: dict[str, dict[str, tuple[str, ...]]] = _MENTION_BANK["templates"]


def _mention_text(template: str, brand: str, market: str, mood: str, dice: _Dice) -> str:
    """One mention: the template with the brand declined and slots filled, an opener, a closer, typing noise."""
    lang, _, template = template.partition(":") if template.startswith(("kk:", "mix:")) else ("", "", template)
    forms = {"nom": brand, **_MENTION_BANK["brand_forms"].get(brand, {})}
    slots = {**_MENTION_BANK["slots"]["*"], **_MENTION_BANK["slots"].get(market, {})}

    def value(match: re.Match) -> str:
        key, case = match.group(1), match.group(2)
        if key == "brand":
            return forms.get(case or "nom", brand)
        return form(dice.pick(slots[key]), case)

    core = _SLOT.sub(value, template)
    opener, closer = dice.pick(_MENTION_BANK["openers"][mood]), dice.pick(_MENTION_BANK["closers"][mood])
    if opener.startswith("kk:"):
        opener, lang = opener[3:], lang or "mix"
    first = core.split(" ", 1)[0]
    if opener and not core.startswith(brand) and first[:1].isupper() and not (len(first) > 1 and first.isupper()):
        core = core[0].lower() + core[1:]  # «Кстати, у Aru Closet …», but «ЕНТ» and the brand keep their capitals
    text = opener + core + _SLOT.sub(value, closer)  # a closer may hold a hashtag of the market: « #шымкент»
    if lang:
        script = _script(dice)
        text = kazakh_script.write(text, "latin_informal" if script == "latin_2021" and lang == "mix" else script,
                                   dice.pick)  # fmt: skip
    return _noise(text, mood, dice)


def _cum(weights: Sequence[float]) -> np.ndarray:
    """Cumulative weights scaled to end at 1 (for drawing with ``searchsorted``)."""
    cum = np.cumsum(np.asarray(weights, dtype=float))
    return cum / cum[-1]


def _followers(dice: _Dice, rng: np.random.Generator, source: str) -> int:
    """Author's followers: lognormal body (median 80) with a Pareto tail; news outlets are always in the tail."""
    if source == "новости" or dice.chance(0.035):
        return int(min(1000 * (1 - dice.u()) ** (-1 / 1.2), 2_000_000))
    return max(round(float(np.exp(np.log(80) + 0.95 * rng.standard_normal()))), 0)


def _reach(dice: _Dice, rng: np.random.Generator, source: str, followers: int) -> int:
    """Reach estimate of one mention: a share of the author's followers, or page views for forums and 2GIS."""
    noise = float(np.exp(0.5 * rng.standard_normal()))
    if SOURCE_REACH[source] == 0:
        return max(round(150 * noise * (1 + dice.u())), 1)
    return max(round(followers * SOURCE_REACH[source] * noise), 1)


def _spread(rng: np.random.Generator, n: int, weekday_w: np.ndarray, days: pd.DatetimeIndex, trend: np.ndarray):
    """Split ``n`` mentions: by weekday as ``weekday_w`` (largest remainder), then at random over the dates."""
    quota = n * weekday_w
    per_weekday = np.floor(quota).astype(int)
    order = np.argsort(-(quota - per_weekday), kind="stable")
    per_weekday[order[: n - per_weekday.sum()]] += 1
    out = np.zeros(len(days), dtype=int)
    for wd in range(7):
        idx = np.flatnonzero(days.day_of_week == wd)
        out[idx] = rng.multinomial(per_weekday[wd], trend[idx] / trend[idx].sum())
    return out


def make_mentions(seed: int = 1102) -> pd.DataFrame:
    """Mentions of the five brands and their fictional competitors on social media, forums, news and 2GIS."""
    rng = np.random.default_rng(seed)
    dice = _Dice(np.random.default_rng(seed + 1))
    words = _Dice(np.random.default_rng([seed, 1]))  # the texts' own stream: editing a template moves no stamp
    days = pd.date_range(PERIOD_START, periods=PERIOD_DAYS, freq="D")
    # ordinary mentions fill the weekday mix that the crisis extras leave, so the whole table keeps Mention's mix
    total = sum(MARKET_MENTIONS.values())
    extra_w = np.bincount([pd.Timestamp(d).day_of_week for d, _ in CRISIS_MENTIONS],
                          weights=[n for _, n in CRISIS_MENTIONS], minlength=7)  # fmt: skip
    weekday_w = np.asarray(MENTION_WEEKDAYS) / sum(MENTION_WEEKDAYS) * total - extra_w
    weekday_w /= weekday_w.sum()
    trend = 1 + 0.2 * np.arange(len(days)) / len(days)  # mentions grow a little with the brands
    crisis_days = {pd.Timestamp(d): n for d, n in CRISIS_MENTIONS}
    moods = ("pos", "neu", "neg")
    rows = []
    for market, brands in MARKETS.items():
        hours = _cum(activity_matrix(next(a for a in u.ACCOUNTS if a.brand_id == market)).mean(axis=0))
        for i, (name, share) in enumerate(brands):
            total = round(share * MARKET_MENTIONS[market])
            extra = {d: n for d, n in crisis_days.items()} if market == CRISIS_BRAND and i == 0 else {}
            per_day = _spread(rng, total - sum(extra.values()), weekday_w, days, trend)
            mood_cum = _cum((0.20, 0.72, 0.08) if i == 0 else (0.17 + 0.03 * i, 0.74, 0.09 - 0.03 * i))
            for d, day in enumerate(days):
                n_crisis = extra.get(day, 0)
                for k in range(per_day[d] + n_crisis):
                    crisis = k >= per_day[d]
                    if crisis:
                        lag = (day - pd.Timestamp(CRISIS_START)).days
                        cum = _cum(((0.0, 0.1, 0.9), (0.03, 0.27, 0.7), (0.03, 0.32, 0.65), (0.15, 0.45, 0.4),
                                    (0.2, 0.5, 0.3), (0.2, 0.5, 0.3))[lag + 1])  # fmt: skip
                        src_cum = _cum(CRISIS_SOURCE_MIX)
                    else:
                        cum, src_cum = mood_cum, _cum(SOURCE_MIX)
                    mood = moods[int(np.searchsorted(cum, dice.u(), side="right"))]
                    source = SOURCES[int(np.searchsorted(src_cum, dice.u(), side="right"))]
                    if crisis and lag == -1:
                        hour, minute, source, mood = 22, 40, "TikTok", "neg"
                    else:
                        hour, minute = int(np.searchsorted(hours, dice.u(), side="right")), dice.int(0, 59)
                    pool = _MENTION_TEXTS["crisis" if crisis else market].get(mood, ()) * (1 if crisis else 2)
                    pool = pool + (() if crisis else _MENTION_TEXTS["*"][mood])
                    text = _mention_text(words.pick(pool), name, market, mood, words)
                    followers = 48_000 if crisis and lag == -1 else _followers(dice, rng, source)
                    rows.append(
                        (name, market, i == 0, source, day + pd.Timedelta(hours=hour, minutes=minute), followers,
                         {"pos": "positive", "neu": "neutral", "neg": "negative"}[mood],
                         _reach(dice, rng, source, followers), text)
                    )  # fmt: skip
    df = pd.DataFrame(
        rows,
        columns=["brand", "brand_id", "is_own_brand", "source", "published_at", "author_followers", "sentiment",
                 "reach_estimate", "text_snippet"],
    )  # fmt: skip
    df = df.sort_values(["published_at", "brand_id", "brand"], kind="stable").reset_index(drop=True)
    df.insert(0, "mention_id", [f"M{i:05d}" for i in range(1, len(df) + 1)])
    df["published_at"] = df["published_at"].dt.strftime("%Y-%m-%dT%H:%M:00") + OFFSET
    return df


# --- NPS survey ------------------------------------------------------------------------------------------

NPS_PLAN: dict[str, tuple[int, int, int]] = {
    "qazaq_coffee": (600, 330, 78),
    "dala_style": (500, 220, 130),
    "astana_fit": (300, 153, 60),
    "bilim_online": (400, 240, 52),
}
"""Responses, promoters (9–10) and detractors (0–6) per brand: NPS +42, +18, +31, +47."""

NPS_JET_MONTHS: tuple[tuple[str, int, int, int], ...] = (
    ("2025-09", 100, 42, 28), ("2025-10", 100, 43, 27), ("2025-11", 100, 43, 28),
    ("2025-12", 100, 41, 28), ("2026-01", 100, 33, 39), ("2026-02", 100, 34, 38),
)  # fmt: skip
"""Jet Delivery by month: responses, promoters, detractors — NPS +14, +16, +15, +13, −6, −4; +8 over the period."""

NPS_CHANNELS = ("WhatsApp", "email", "SMS", "в кофейне")

_NPS_TEXTS: dict[str, dict[str, tuple[str, ...]]] = textbank.load("nps")["comments"]


def _nps_scores(dice: _Dice, n: int, promoters: int, detractors: int) -> list[int]:
    """Exactly ``promoters`` scores of 9–10 and ``detractors`` of 0–6 among ``n``; the rest 7–8."""
    det_cum = _cum((0.10, 0.05, 0.07, 0.10, 0.13, 0.25, 0.30))
    scores = [10 if dice.chance(0.55) else 9 for _ in range(promoters)]
    scores += [int(np.searchsorted(det_cum, dice.u(), side="right")) for _ in range(detractors)]
    scores += [8 if dice.chance(0.55) else 7 for _ in range(n - promoters - detractors)]
    order = np.argsort([dice.u() for _ in scores], kind="stable")
    return [scores[i] for i in order]


def make_nps_survey(seed: int = 1103) -> pd.DataFrame:
    """Answers to «Насколько вероятно, что вы порекомендуете нас друзьям?» (0–10) with optional comments."""
    dice = _Dice(np.random.default_rng(seed))
    start = pd.Timestamp(PERIOD_START)
    plan: list[tuple[str, pd.Timestamp, int, int, int, int]] = []
    for brand_id, (n, pro, det) in NPS_PLAN.items():
        plan.append((brand_id, start, PERIOD_DAYS, n, pro, det))
    for month, n, pro, det in NPS_JET_MONTHS:
        first = pd.Timestamp(f"{month}-01")
        n_days = first.days_in_month
        if month == CRISIS_START[:7]:  # January's survey went out after the crisis: 23–31 January
            first = pd.Timestamp(CRISIS_START) + pd.Timedelta(days=1)
            n_days = (first + pd.offsets.MonthEnd(0) - first).days + 1
        plan.append((CRISIS_BRAND, first, n_days, n, pro, det))
    rows = []
    prefixes = {
        "qazaq_coffee": "QC",
        "dala_style": "DS",
        "astana_fit": "AF",
        "bilim_online": "BO",
        "jet_delivery": "JD",
    }
    for brand_id, first, n_days, n, pro, det in plan:
        texts = _NPS_TEXTS[brand_id]
        after_crisis = brand_id == CRISIS_BRAND and first >= pd.Timestamp("2026-01-01")
        for score in _nps_scores(dice, n, pro, det):
            when = first + pd.Timedelta(days=int(dice.u() * n_days), hours=dice.int(9, 22), minutes=dice.int(0, 59))
            cls = "pro" if score >= 9 else "det" if score <= 6 else "pas"
            pool = texts.get(cls, ()) * 2 + _NPS_TEXTS["*"][cls]
            if after_crisis and cls != "pro":
                pool = pool + _NPS_TEXTS["crisis"].get(cls, ()) * 4
            comment = dice.pick(pool) if dice.chance(0.62 if cls != "pas" else 0.5) else None
            if brand_id == "qazaq_coffee" and dice.chance(0.3):
                channel = "в кофейне"
            else:
                channel = ("WhatsApp", "WhatsApp", "WhatsApp", "WhatsApp", "WhatsApp", "email", "email", "SMS")[
                    int(dice.u() * 8)
                ]
            customer = (
                None if channel == "в кофейне" or dice.chance(0.1) else f"{prefixes[brand_id]}-{dice.int(1, 40000):05d}"
            )
            rows.append((brand_id, when, customer, score, comment, channel))
    df = pd.DataFrame(rows, columns=["brand_id", "responded_at", "customer_id", "score", "comment", "channel"])
    df = df.sort_values(["responded_at", "brand_id"], kind="stable").reset_index(drop=True)
    from smmkit.data.funnel_data import survey_customers

    df["customer_id"] = survey_customers(np.random.default_rng([seed, 7]), df)
    df.insert(0, "response_id", [f"R{i:04d}" for i in range(1, len(df) + 1)])
    df["responded_at"] = df["responded_at"].dt.strftime("%Y-%m-%dT%H:%M:00") + OFFSET
    return df


RECIPES: tuple[Recipe, ...] = (
    Recipe("comments", lambda: make_comments(seed=1101), "smmkit.data.reputation_data.make_comments(seed=1101)"),
    Recipe("mentions", lambda: make_mentions(seed=1102), "smmkit.data.reputation_data.make_mentions(seed=1102)"),
    Recipe("nps_survey", lambda: make_nps_survey(seed=1103), "smmkit.data.reputation_data.make_nps_survey(seed=1103)"),
)


# --- realism measures (language of comments and mentions) --------------------------------------------------

_GREETINGS = re.compile(
    r"^(?:с[аә]леметс[иі]з бе|s(?:a|ä|ae)lemets[iı]z be|с[аә]лем|s(?:a|ä|ae)lem)\s*[,!)]*\s*",
    re.IGNORECASE,
)
_THANKS = re.compile(r"\s*(?:көп\s+)?(?:рахмет|рақмет|rahmet|raqmet)\s*!*\s*$", re.IGNORECASE)


def _kazakh_words() -> frozenset[str]:
    """Words of the Kazakh templates and switches, as typed on a Russian keyboard (to spot Kazakh in any script)."""
    words: set[str] = set()
    russian: set[str] = set()

    def add(entry: str) -> None:
        _, lang, text = _entry(entry)
        found = re.findall(r"[^\W\d_]{2,}", _SLOT.sub(" ", text).lower())
        if lang == "ru+kk":  # in a mixed template only the words with Kazakh letters are surely Kazakh
            found = [w for w in found if re.search(f"[{kazakh_script.KAZAKH_LETTERS}]", w)]
        (russian if lang == "ru" else words).update(kazakh_script.plain(w) for w in found)

    banks = [*_COMMON.values(), *_CRISIS.values(), *(p for b in _BRAND_TEXTS.values() for p in b.values())]
    for pool in banks:
        for entry in pool:
            add(entry)
    for _, kk in _COMMENT_BANK["switch"]:
        words.update(re.findall(r"[^\W\d_]{2,}", kazakh_script.plain(" ".join(kk)).lower()))
    return frozenset(words - russian)


def _has_kazakh(text: str, vocabulary: frozenset[str]) -> bool:
    """Kazakh letters, Latin Kazakh letters, or a word of the Kazakh templates in any spelling."""
    if re.search(f"[{kazakh_script.KAZAKH_LETTERS}äğıñöqşūü]", text.lower()):
        return True
    lexicon = _lexicon()
    tokens = [lexicon.read_latin(t) for t in re.findall(r"[^\W\d_]{2,}", text.lower())]
    return any(kazakh_script.plain(t) in vocabulary for t in tokens)


def _lexicon() -> Lexicon:
    """The course's sentiment lexicon (it reads Latin letters as Cyrillic)."""
    return load_lexicon()


def greeting_only_share(texts: pd.Series) -> float:
    """Per cent of mixed texts whose only Kazakh is a greeting («Сәлем, …») or a closing «рахмет»."""
    vocabulary = _kazakh_words()
    rest = texts.map(lambda t: _THANKS.sub("", _GREETINGS.sub("", t.strip())))
    return float((~rest.map(lambda t: _has_kazakh(t, vocabulary))).mean() * 100)


def realism_mixed_share(load: Loader) -> float:
    """Per cent of comments that mix Russian and Kazakh (``language == "ru+kk"``)."""
    return float((load("comments")["language"] == "ru+kk").mean() * 100)


def realism_any_kazakh_share(load: Loader) -> float:
    """Per cent of comments with any Kazakh in them (``language`` is ``kk`` or ``ru+kk``)."""
    return float((load("comments")["language"] != "ru").mean() * 100)


def realism_latin_share(load: Loader) -> float:
    """Per cent of Kazakh and mixed comments typed in Latin letters (2021 alphabet or informal translit)."""
    texts = load("comments").query("language != 'ru'")["text"]
    return float(texts.map(kazakh_script.script_of).str.startswith("latin").mean() * 100)


def realism_plain_share(load: Loader) -> float:
    """Per cent of Kazakh and mixed comments typed in Cyrillic without the Kazakh letters (Russian keyboard)."""
    texts = load("comments").query("language != 'ru'")["text"]
    return float((texts.map(kazakh_script.script_of) == "plain").mean() * 100)


def realism_comment_unique_share(load: Loader) -> float:
    """Per cent of distinct texts among the comments."""
    texts = load("comments")["text"]
    return float(texts.nunique() / len(texts) * 100)


def realism_mention_unique_share(load: Loader) -> float:
    """Per cent of distinct snippets among the mentions."""
    texts = load("mentions")["text_snippet"]
    return float(texts.nunique() / len(texts) * 100)
