"""Bot and fake-follower heuristics: a transparent rule set, scores and flags, their evaluation, channel anomalies.

Accounts table (one row per account), see ``ACCOUNT_COLUMNS``: ``followers``, ``following``, ``posts``,
``account_age_days`` (numbers, may be empty), ``has_avatar`` (bool or 0/1), ``username`` (text); optional
``comments_duplicate_share`` (share 0..1 of the account's comments that repeat another comment word for word) and
``bursty_activity`` (bool: many actions packed into minutes). A rule whose column is absent or empty for a row
is not evidence either way: it is left out of that row's score.

Channels table (influencer or Telegram channels), see ``CHANNEL_COLUMNS``: ``subscribers``, ``avg_interactions``
(mean reactions + comments + shares per post), optional ``avg_views`` (mean views per post) and ``platform``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from smmkit.metrics import er_by_followers

ACCOUNT_COLUMNS: tuple[str, ...] = ("followers", "following", "posts", "has_avatar", "account_age_days", "username")
"""Required columns of the accounts table."""

OPTIONAL_ACCOUNT_COLUMNS: tuple[str, ...] = ("comments_duplicate_share", "bursty_activity")
"""Columns the rule set uses when present."""

CHANNEL_COLUMNS: tuple[str, ...] = ("subscribers", "avg_interactions")
"""Required columns of the channels table; optional ``avg_views`` and ``platform``."""

FOLLOW_RATIO = 10
"""following / followers above this looks like follow-for-follow or a bot (real users follow ~1 per follower)."""
SPAM_FOLLOW_RATIO = 40
"""Spam accounts often follow more than 40 accounts per follower (fstoppers.com)."""
MIN_POSTS = 3
"""Fewer posts than this: an empty profile."""
YOUNG_DAYS = 30
"""An account younger than this many days is young."""
USERNAME_DIGITS = 4
"""This many digits or more in the username look auto-generated (ivan83920)."""
DUPLICATE_SHARE = 0.5
"""More than this share of repeated comments looks like a comment bot."""


@dataclass(frozen=True)
class BotRule:
    """One transparent rule: its name (a column of ``bot_scores``), a Russian description and its weight."""

    name: str
    description: str
    condition: Callable[[pd.DataFrame], pd.Series]
    weight: float = 1.0
    columns: tuple[str, ...] = ()


def _digit_count(accounts: pd.DataFrame) -> pd.Series:
    return accounts["username"].astype(str).str.count(r"\d")


BOT_RULES: tuple[BotRule, ...] = (
    BotRule(
        "follow_ratio",
        f"Подписок более чем в {FOLLOW_RATIO} раз больше, чем подписчиков (following / followers > {FOLLOW_RATIO})",
        lambda a: a["following"] > FOLLOW_RATIO * a["followers"],
        2.0,
        ("following", "followers"),
    ),
    BotRule(
        "mass_following",
        f"Подписок более чем в {SPAM_FOLLOW_RATIO} раз больше, чем подписчиков: так ведут себя спам-аккаунты",
        lambda a: a["following"] > SPAM_FOLLOW_RATIO * a["followers"],
        1.0,
        ("following", "followers"),
    ),
    BotRule("no_avatar", "Нет аватара", lambda a: a["has_avatar"] == 0, 1.0, ("has_avatar",)),
    BotRule("few_posts", f"Меньше {MIN_POSTS} публикаций", lambda a: a["posts"] < MIN_POSTS, 1.0, ("posts",)),
    BotRule(
        "young_account",
        f"Аккаунту меньше {YOUNG_DAYS} дней",
        lambda a: a["account_age_days"] < YOUNG_DAYS,
        1.0,
        ("account_age_days",),
    ),
    BotRule(
        "digits_in_username",
        f"В имени пользователя {USERNAME_DIGITS} цифры или больше",
        lambda a: _digit_count(a) >= USERNAME_DIGITS,
        1.0,
        ("username",),
    ),
    BotRule(
        "duplicate_comments",
        f"Больше {DUPLICATE_SHARE:.0%} комментариев аккаунта повторяют друг друга слово в слово",
        lambda a: a["comments_duplicate_share"] > DUPLICATE_SHARE,
        2.0,
        ("comments_duplicate_share",),
    ),
    BotRule(
        "bursty_activity",
        "Активность всплесками: много действий за несколько минут",
        lambda a: a["bursty_activity"] == 1,
        1.0,
        ("bursty_activity",),
    ),
)
"""The course's rule set; extend it with ``[*BOT_RULES, my_rule]``."""


# --------------------------------------------------------------------------- accounts


NUMERIC_ACCOUNT_COLUMNS = ("followers", "following", "posts", "account_age_days", "comments_duplicate_share")
FLAG_ACCOUNT_COLUMNS = ("has_avatar", "bursty_activity")


def _prepared(accounts: pd.DataFrame, rules: Sequence[BotRule]) -> pd.DataFrame:
    """Checked accounts with the count columns as floats and the flag columns as 0/1 (empty cells stay NaN)."""
    if not isinstance(accounts, pd.DataFrame):
        raise ValueError("Аргумент «accounts» должен быть таблицей pandas.DataFrame.")
    names = [rule.name for rule in rules]
    if len(set(names)) != len(names):
        raise ValueError("Аргумент «rules»: названия правил должны быть разными.")
    custom = [c for rule in rules for c in rule.columns if c not in (*ACCOUNT_COLUMNS, *OPTIONAL_ACCOUNT_COLUMNS)]
    for column in (*ACCOUNT_COLUMNS, *custom):
        if column not in accounts.columns:
            raise ValueError(f"В таблице аккаунтов нет столбца «{column}».")
    out = accounts.copy()
    for column in (c for c in (*NUMERIC_ACCOUNT_COLUMNS, *FLAG_ACCOUNT_COLUMNS) if c in accounts.columns):
        values = pd.to_numeric(accounts[column].astype(object), errors="coerce").astype(float)
        if (values.isna() & accounts[column].notna()).any():
            raise ValueError(f"Столбец «{column}» должен содержать числа.")
        if (values < 0).any():
            raise ValueError(f"Столбец «{column}» не может содержать отрицательные значения.")
        if column in FLAG_ACCOUNT_COLUMNS and not values.dropna().isin((0, 1)).all():
            raise ValueError(f"Столбец «{column}» должен содержать True/False или 0/1.")
        out[column] = values
    if "comments_duplicate_share" in out.columns and (out["comments_duplicate_share"] > 1).any():
        raise ValueError("Столбец «comments_duplicate_share» — доля от 0 до 1.")
    return out


def _fired(accounts: pd.DataFrame, rule: BotRule) -> pd.Series:
    """The rule's verdict per account: True/False, or <NA> where its columns are absent or empty."""
    if any(column not in accounts.columns for column in rule.columns):
        return pd.Series(pd.NA, index=accounts.index, dtype="boolean")
    verdict = pd.Series(rule.condition(accounts), index=accounts.index).fillna(False).astype("boolean")
    missing = accounts[list(rule.columns)].isna().any(axis=1) if rule.columns else False
    return verdict.mask(missing)


def bot_scores(accounts: pd.DataFrame, rules: Sequence[BotRule] = BOT_RULES) -> pd.DataFrame:
    """score = Σ weight of the fired rules / Σ weight of the applicable rules, plus one True/False column per rule.

    >>> a = pd.DataFrame({"followers": [12], "following": [200], "posts": [0], "has_avatar": [False],
    ...                   "account_age_days": [400], "username": ["aigerim_kz"]})
    >>> s = bot_scores(a)  # fired: follow_ratio 2 + no_avatar 1 + few_posts 1 = 4 of 7 applicable
    >>> round(s.loc[0, "score"], 3), s.loc[0, ["follow_ratio", "mass_following", "duplicate_comments"]].tolist()
    (np.float64(0.571), [True, False, <NA>])
    """
    prepared = _prepared(accounts, rules)
    verdicts = pd.DataFrame({rule.name: _fired(prepared, rule) for rule in rules}, index=accounts.index)
    weights = np.array([rule.weight for rule in rules], dtype=float)
    fired = verdicts.fillna(False).to_numpy(dtype=float) @ weights
    applicable = verdicts.notna().to_numpy(dtype=float) @ weights
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(applicable > 0, fired / np.where(applicable > 0, applicable, 1), np.nan)
    return pd.concat([pd.Series(score, index=accounts.index, name="score"), verdicts], axis=1)


def flag_bots(accounts: pd.DataFrame, threshold: float = 0.5, rules: Sequence[BotRule] = BOT_RULES) -> pd.Series:
    """is_bot = score ≥ threshold (an account with no applicable rule is not flagged).

    >>> a = pd.DataFrame({"followers": [12, 300], "following": [900, 280], "posts": [0, 54], "has_avatar": [0, 1],
    ...                   "account_age_days": [5, 900], "username": ["user73920", "dana.art"]})
    >>> flag_bots(a).tolist()
    [True, False]
    """
    if not 0 <= threshold <= 1:
        raise ValueError("Аргумент «threshold» должен быть долей от 0 до 1.")
    return (bot_scores(accounts, rules)["score"] >= threshold).rename("is_bot")


def rules_table(rules: Sequence[BotRule] = BOT_RULES) -> pd.DataFrame:
    """The rule set as a table for a lesson: rule, description, weight (Russian headers).

    >>> rules_table().loc[0, "Вес"]
    np.float64(2.0)
    """
    columns = {"Правило": "name", "Описание": "description", "Вес": "weight"}
    return pd.DataFrame({label: [getattr(rule, field) for rule in rules] for label, field in columns.items()})


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Evaluation:
    """Quality of bot flags against true labels: precision = TP/(TP+FP), recall = TP/(TP+FN), F1, the counts."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    tn: int


def _as_bools(values: object, name: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"Аргумент «{name}» должен содержать True/False или 0/1.") from None
    if arr.ndim != 1 or not np.isin(arr, (0, 1)).all():
        raise ValueError(f"Аргумент «{name}» должен содержать True/False или 0/1.")
    return arr.astype(bool)


def evaluate(flags: Sequence[bool] | pd.Series, labels: Sequence[bool] | pd.Series) -> Evaluation:
    """precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R); NaN where a denominator is 0.

    >>> e = evaluate([True, True, False, False], [True, False, True, False])
    >>> (e.precision, e.recall, e.tp, e.fp, e.fn, e.tn)
    (0.5, 0.5, 1, 1, 1, 1)
    """
    if isinstance(flags, pd.Series) and isinstance(labels, pd.Series) and not flags.index.equals(labels.index):
        if set(flags.index) != set(labels.index):
            raise ValueError("Аргументы «flags» и «labels» относятся к разным аккаунтам (индексы не совпадают).")
        labels = labels.reindex(flags.index)
    predicted, truth = _as_bools(flags, "flags"), _as_bools(labels, "labels")
    if len(predicted) != len(truth):
        raise ValueError(f"Аргументы «flags» и «labels» разной длины: {len(predicted)} и {len(truth)}.")
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support  # slow import: only when used

    tn, fp, fn, tp = confusion_matrix(truth, predicted, labels=[False, True]).ravel()
    precision, recall, f1, _ = precision_recall_fscore_support(
        truth, predicted, average="binary", pos_label=True, zero_division=np.nan
    )
    return Evaluation(float(precision), float(recall), float(f1), int(tp), int(fp), int(fn), int(tn))


# --------------------------------------------------------------------------- channels


@dataclass(frozen=True)
class Tier:
    """An influencer tier: Russian name, the lowest subscriber count in it and the median ER by followers."""

    name: str
    min_subscribers: int
    er_norm: float


TIERS: tuple[Tier, ...] = (
    Tier("нано", 0, 0.048),
    Tier("микро", 10_000, 0.024),
    Tier("средний", 50_000, 0.018),
    Tier("макро", 500_000, 0.015),
    Tier("мега", 1_000_000, 0.012),
)
"""Instagram ER norms by tier (Statista/HypeAuditor 2025 via organicmediabuying.com).

Tier bounds follow HypeAuditor's usual split (nano < 10k, micro 10–50k, mid 50–500k, macro 500k–1M,
mega ≥ 1M); accounts under 1k are counted as nano. The bounds are a course assumption, not from that source.
"""

TELEGRAM_ER_NORM = 0.005
"""Telegram: ER by subscribers of 0.5–3 % is "average" (telagon.io); the lower edge is the norm used here."""

TELEGRAM_MIN_ERR = 0.10
"""Telegram ERR (views / subscribers) below 10 % is a red flag; 10–40 % is usual (allsmarts.ru; adgem.ru)."""


def tier_of(subscribers: pd.Series | np.ndarray) -> pd.Series:
    """Tier name of each subscriber count (bounds in ``TIERS``).

    >>> tier_of(pd.Series([800, 25_000, 2_000_000])).tolist()
    ['нано', 'микро', 'мега']
    """
    bounds = np.array([t.min_subscribers for t in TIERS])
    positions = np.searchsorted(bounds, np.asarray(subscribers, dtype=float), side="right") - 1
    index = subscribers.index if isinstance(subscribers, pd.Series) else None
    return pd.Series(np.array([t.name for t in TIERS], dtype=object)[positions], index=index, name="tier")


def _check_channels(channels: pd.DataFrame) -> None:
    if not isinstance(channels, pd.DataFrame):
        raise ValueError("Аргумент «channels» должен быть таблицей pandas.DataFrame.")
    for column in CHANNEL_COLUMNS:
        if column not in channels.columns:
            raise ValueError(f"В таблице каналов нет столбца «{column}».")
    for column in (*CHANNEL_COLUMNS, "avg_views"):
        if column not in channels.columns:
            continue
        values = pd.to_numeric(channels[column], errors="coerce")
        if values.isna().any():
            raise ValueError(f"Столбец «{column}» должен содержать числа без пропусков.")
        if (values < 0).any():
            raise ValueError(f"Столбец «{column}» не может содержать отрицательные значения.")


def channel_anomalies(
    channels: pd.DataFrame,
    low_er_factor: float = 0.2,
    min_err: float = TELEGRAM_MIN_ERR,
    max_err: float = 1.0,
) -> pd.DataFrame:
    """Flag channels with ER far below the tier norm or ERR out of line; Russian reasons in ``reasons``.

    ER = avg_interactions / subscribers is flagged below ``low_er_factor`` × norm; ERR = avg_views / subscribers
    (Telegram's ERR, a reach rate) below ``min_err`` or above ``max_err``. The norm is the tier's (``TIERS``),
    or ``TELEGRAM_ER_NORM`` where ``platform == "telegram"``. A far too low ER hints at bought followers, and so
    do too few views per subscriber; more views than subscribers hints at bought views. The 100 % ceiling is a
    course assumption (a viral post forwarded widely can exceed it honestly).

    >>> c = pd.DataFrame({"subscribers": [500_000, 20_000], "avg_interactions": [500, 600],
    ...                   "avg_views": [40_000, 5_000]})
    >>> channel_anomalies(c)[["tier", "er", "low_er", "low_err", "suspicious"]]
        tier     er  low_er  low_err  suspicious
    0  макро  0.001    True     True        True
    1  микро  0.030   False    False       False
    """
    _check_channels(channels)
    if not low_er_factor > 0:
        raise ValueError("Аргумент «low_er_factor» должен быть больше нуля.")
    if not 0 <= min_err < max_err:
        raise ValueError("Аргументы «min_err» и «max_err»: нужно 0 ≤ min_err < max_err.")
    subscribers = pd.to_numeric(channels["subscribers"]).astype(float)
    out = pd.DataFrame({"tier": tier_of(subscribers)}, index=channels.index)
    out["er"] = er_by_followers(pd.to_numeric(channels["avg_interactions"]).astype(float), subscribers)
    norms = pd.Series({t.name: t.er_norm for t in TIERS})
    out["er_norm"] = out["tier"].map(norms).astype(float)
    if "platform" in channels.columns:
        telegram = channels["platform"].astype(str).str.lower().eq("telegram").to_numpy()
        out.loc[telegram, "er_norm"] = TELEGRAM_ER_NORM
    with np.errstate(divide="ignore", invalid="ignore"):
        views = pd.to_numeric(channels["avg_views"]).astype(float) if "avg_views" in channels.columns else np.nan
        out["err"] = np.where(subscribers > 0, views / subscribers.where(subscribers > 0, 1), np.nan)
    out["low_er"] = out["er"] < low_er_factor * out["er_norm"]
    out["low_err"] = out["err"] < min_err
    out["high_err"] = out["err"] > max_err
    out["suspicious"] = out[["low_er", "low_err", "high_err"]].any(axis=1)
    out["reasons"] = [_reasons(row, low_er_factor, min_err, max_err) for row in out.itertuples()]
    return out


def _reasons(row: Any, low_er_factor: float, min_err: float, max_err: float) -> str:
    """Russian explanation of a channel's flags, "; "-separated ("" when nothing is flagged)."""
    reasons = []
    if row.low_er:
        reasons.append(
            f"ER {row.er:.2%} ниже {low_er_factor:.0%} нормы уровня «{row.tier}» ({row.er_norm:.1%}): "
            "возможно, накрученные подписчики"
        )
    if row.low_err:
        reasons.append(
            f"ERR {row.err:.1%} ниже {min_err:.0%}: посты видит мало подписчиков, часть из них, возможно, боты"
        )
    if row.high_err:
        reasons.append(f"ERR {row.err:.0%} выше {max_err:.0%}: просмотров больше, чем подписчиков, возможна накрутка")
    return "; ".join(reasons)
