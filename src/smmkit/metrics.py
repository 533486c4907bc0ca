"""SMM metrics from the standard's glossary: one formula each, vectorised, rates as fractions.

Every function takes scalars, numpy arrays, lists or pandas Series and returns the same shape: a scalar
gives a ``float``, an array (or list) gives an ``ndarray``, a Series gives a float Series with the input's
index (pandas nullable ``Int64``/``Float64`` work: ``pd.NA`` becomes NaN). Rates are fractions (0.025, not
2.5 %); money stays in the input's currency.

Rules shared by all functions:

* a zero denominator gives NaN — no exception and no RuntimeWarning;
* NaN (or ``pd.NA``/``None``) in an input gives NaN in the matching output, not an error;
* a negative count or amount, arrays of different lengths, two Series with different indexes, or a
  non-numeric input raise ``ValueError`` with a Russian message naming the argument. Only arguments that
  can really be negative accept negative values: ``gain`` of :func:`roi` and ``gross_profit`` of
  :func:`romi` (a loss), nothing else.

Map to the standard «Менеджмент социальных сетей (SMM)» (GL-… = glossary term; M6-… = the skill of the
standard that asks for the calculation; every metric here may serve as a KPI, GL-kpi / M6-TF1-T1-U8):

    Function          Formula                                      Standard
    ----------------  -------------------------------------------  ---------------------------------
    er                interactions / base                          GL-er, M6-TF2-T1-U5
    er_by_followers   interactions / followers                     GL-er, M6-TF2-T1-U5
    er_by_reach       interactions / reach  (ERR)                  GL-er, M6-TF2-T1-U5
    er_by_views       interactions / views                         GL-er, M6-TF2-T1-U5
    er_day            interactions of day d / followers of day d   GL-er, M6-TF2-T1-U5
    er_period         Σ interactions / Σ bases, or mean/median     GL-er, M6-TF2-T1-U5
    like_rate         likes / followers                            GL-er (a part of it)
    reach_rate        reach / followers                            — (reach, not in the glossary)
    tg_view_rate      avg views / subscribers  (TGStat «ERR»)      — (Telegram; not ER, see docstring)
    ctr               clicks / impressions                         GL-ctr, M6-TF2-T1-U7
    cpm               spend / impressions × 1000                   M6-TF2-T1-U4 (cost per contact)
    cpc               spend / clicks                               M6-TF2-T1-U7
    cpa               spend / actions                              M6-TF2-T1-U7
    cr                conversions / base                           M6-TF2-T1 (tracking conversion)
    frequency         impressions / reach                          M6-TF2-T1-U7
    cost_per_contact  spend / (reach × target_share)               M6-TF2-T1-U4
    roas              revenue / spend                              GL-roas
    drr               spend / revenue  (ДРР = 1 / ROAS)            GL-roas (its inverse)
    roi               (gain − cost) / cost                         GL-roi
    romi              (gross_profit − marketing_cost) / cost       GL-romi, M6-TF2-T1-U6
    cac               acquisition_cost / new_customers             GL-end-to-end-analytics, GL-crm
    ltv               AOV × frequency × margin × lifespan          GL-end-to-end-analytics, GL-crm
    share_of_voice    brand / (brand + competitors)                M6-TF3-T1 (monitoring opinion)
    nps               % promoters (9–10) − % detractors (0–6)      GL-feedback
    net_sentiment     (positive − negative) / total                GL-feedback, M6-TF3-T1-U1
    retention         active / cohort_size                         M6-TF3-T1-U3 (returns to community)

Variants worth knowing (ER by followers vs reach vs views; CTR all vs link; ДРР vs ROAS) are in the docstrings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

Values: TypeAlias = float | int | np.ndarray | pd.Series | Sequence[float]
"""A scalar, a numpy array, a list or a pandas Series of numbers."""

__all__ = [
    "ER_PERIOD_METHODS",
    "cac",
    "cost_per_contact",
    "cpa",
    "cpc",
    "cpm",
    "cr",
    "ctr",
    "drr",
    "er",
    "er_by_followers",
    "er_by_reach",
    "er_by_views",
    "er_day",
    "er_period",
    "frequency",
    "like_rate",
    "ltv",
    "net_sentiment",
    "nps",
    "reach_rate",
    "retention",
    "roas",
    "roi",
    "romi",
    "share_of_voice",
    "tg_view_rate",
]

ER_PERIOD_METHODS: tuple[str, ...] = ("pooled", "mean", "median")
"""Ways to aggregate ER over a period's posts, see :func:`er_period`."""

# infer_dtype() answers for object arrays that hold only numbers and missing values.
_NUMERIC_OBJECTS = frozenset({"integer", "floating", "mixed-integer-float", "decimal", "boolean", "empty"})


# --- input handling ------------------------------------------------------------------------------------


def _not_numeric(name: str, value: Any) -> ValueError:
    kind = type(value).__name__
    if isinstance(value, pd.Series | np.ndarray):
        kind = f"{kind} с типом {value.dtype}"
    return ValueError(f"Аргумент «{name}» должен быть числом или набором чисел (получено: {kind}).")


def _from_object(arr: np.ndarray, name: str, value: Any) -> np.ndarray:
    """Numbers mixed with None/pd.NA in an object array → floats with NaN."""
    flat = arr.reshape(-1)
    if pd.api.types.infer_dtype(flat, skipna=True) not in _NUMERIC_OBJECTS:
        raise _not_numeric(name, value)
    return pd.Series(flat, copy=False).to_numpy(dtype=float, na_value=np.nan).reshape(arr.shape)


def _series_values(value: pd.Series, name: str) -> np.ndarray:
    dtype = value.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
        return value.to_numpy(dtype=float, copy=False)  # no copy for float64
    if pd.api.types.is_object_dtype(dtype):
        return _from_object(value.to_numpy(), name, value)
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        return value.to_numpy(dtype=float, na_value=np.nan)  # nullable Int64/Float64/boolean
    raise _not_numeric(name, value)


def _values(value: Any, name: str) -> np.ndarray:
    """``value`` as a float ndarray (0-d for a scalar); missing values become NaN."""
    if isinstance(value, pd.DataFrame):
        raise ValueError(f"Аргумент «{name}» — целая таблица (DataFrame); передайте один её столбец.")
    if isinstance(value, pd.Series):
        return _series_values(value, name)
    if value is None or value is pd.NA:
        return np.array(np.nan)
    if isinstance(value, str | bytes):
        raise _not_numeric(name, value)
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):  # ragged nested lists and the like
        raise _not_numeric(name, value) from None
    if arr.dtype.kind in "biuf":
        return arr.astype(float, copy=False)
    if arr.dtype.kind == "O":
        return _from_object(arr, name, value)
    raise _not_numeric(name, value)


def _check_non_negative(arr: np.ndarray, name: str) -> None:
    negative = arr < 0  # NaN compares False: missing values pass
    if negative.any():
        first = np.atleast_1d(arr)[np.atleast_1d(negative)][0]
        raise ValueError(f"Аргумент «{name}» не может быть отрицательным (встретилось значение {first:g}).")


def _shape_text(arr: np.ndarray) -> str:
    return str(arr.shape[0]) if arr.ndim == 1 else str(arr.shape)


def _check_shapes(arrays: list[np.ndarray], names: list[str]) -> None:
    sized = [(arr, name) for arr, name in zip(arrays, names, strict=True) if arr.ndim]
    for arr, name in sized[1:]:
        first, first_name = sized[0]
        if arr.shape != first.shape:
            word = "длины" if arr.ndim == first.ndim == 1 else "формы"
            raise ValueError(
                f"Аргументы «{first_name}» и «{name}» разной {word}: {_shape_text(first)} и {_shape_text(arr)}."
            )


def _common_index(values: list[Any], names: list[str]) -> pd.Index | None:
    """The index of the first Series among ``values``; every other Series must have the same index."""
    found: tuple[pd.Index, str] | None = None
    for value, name in zip(values, names, strict=True):
        if not isinstance(value, pd.Series):
            continue
        if found is None:
            found = (value.index, name)
        elif value.index is not found[0] and not value.index.equals(found[0]):
            raise ValueError(
                f"У аргументов «{found[1]}» и «{name}» разные индексы: строки не совпадают. "
                "Возьмите оба столбца из одной таблицы или выровняйте их (.reindex)."
            )
    return None if found is None else found[0]


def _inputs(*specs: tuple[str, Any, bool]) -> tuple[list[np.ndarray], pd.Index | None]:
    """Validate ``(name, value, non_negative)`` triples; return float arrays and the output index."""
    names = [name for name, _, _ in specs]
    arrays = []
    for name, value, non_negative in specs:
        arr = _values(value, name)
        if non_negative:
            _check_non_negative(arr, name)
        arrays.append(arr)
    _check_shapes(arrays, names)
    return arrays, _common_index([value for _, value, _ in specs], names)


def _output(out: np.ndarray | np.floating, index: pd.Index | None) -> Values:
    if index is not None:
        return pd.Series(out, index=index, dtype=float, copy=False)
    if np.ndim(out) == 0:
        return float(out)
    return out


def _quiet() -> np.errstate:
    """Silence numpy's floating-point warnings: inf * 0, overflow of huge inputs, x / 0 (masked to NaN)."""
    return np.errstate(all="ignore")


def _divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den with NaN where den == 0, without warnings."""
    with _quiet():
        return np.where(den == 0, np.nan, num / den)


def _ratio(num: Any, den: Any, num_name: str, den_name: str) -> Values:
    (a, b), index = _inputs((num_name, num, True), (den_name, den, True))
    return _output(_divide(a, b), index)


# --- engagement ----------------------------------------------------------------------------------------


def er(interactions: Values, base: Values) -> Values:
    """ER = interactions / base (base: followers, reach or views, as the report says).

    >>> er(50, 1000)
    0.05
    >>> er(50, 0)
    nan
    """
    return _ratio(interactions, base, "interactions", "base")


def er_by_followers(interactions: Values, followers: Values) -> Values:
    """ER by followers = interactions / followers on the day of publication.

    >>> er_by_followers(120, 4000)
    0.03
    >>> er_by_followers(120, 0)
    nan
    """
    return _ratio(interactions, followers, "interactions", "followers")


def er_by_reach(interactions: Values, reach: Values) -> Values:
    """ERR = interactions / reach.

    Not Telegram's «ERR» of TGStat: that one is a view rate, see :func:`tg_view_rate`.

    >>> er_by_reach(30, 600)
    0.05
    >>> er_by_reach(5, 0)
    nan
    """
    return _ratio(interactions, reach, "interactions", "reach")


def er_by_views(interactions: Values, views: Values) -> Values:
    """ER by views = interactions / views (impressions).

    >>> er_by_views(45, 1500)
    0.03
    >>> er_by_views(45, 0)
    nan
    """
    return _ratio(interactions, views, "interactions", "views")


def er_day(daily_interactions: Values, daily_followers: Values) -> Values:
    """ER day = Σ interactions of day d / followers of day d, one value per day.

    Pass one row per day: all the interactions the day's posts collected, and the followers that day.
    A period's ER day is the mean of the daily values, ``er_day(...).mean()``. ER day grows with the
    number of posts a day, so compare it only between accounts that post equally often.

    >>> er_day([300, 0, 404], [10_000, 10_000, 10_100])  # no posts on day 2
    array([0.03, 0.  , 0.04])
    >>> er_day(300, 0)
    nan
    """
    return _ratio(daily_interactions, daily_followers, "daily_interactions", "daily_followers")


def like_rate(likes: Values, followers: Values) -> Values:
    """LR = likes / followers.

    >>> like_rate(80, 4000)
    0.02
    >>> like_rate(80, 0)
    nan
    """
    return _ratio(likes, followers, "likes", "followers")


def er_period(interactions: Values, bases: Values, method: str = "pooled") -> float:
    """ER for a period: pooled = Σ interactions / Σ bases; mean or median of per-post ER.

    ``bases`` is each post's denominator (followers, reach or views). "pooled" is the *weighted* mean of the
    per-post ERs, weighted by their bases (Σ a / Σ b = Σ b·(a/b) / Σ b), so big posts weigh more; "mean" is
    their plain *arithmetic* mean, every post with the same weight; "median" (LiveDune's «Динамика ER» over
    the last 20 posts) resists one viral post. Analytics services name the first two differently, so a report
    should state the formula, not the name. A NaN input, or a post with a zero base under "mean"/"median",
    gives NaN: drop such posts first. No posts give NaN.

    >>> interactions, reach = [10, 30, 2], [100, 200, 100]  # per-post ERR 0.10, 0.15, 0.02
    >>> er_period(interactions, reach)  # (10 + 30 + 2) / (100 + 200 + 100) = 42 / 400
    0.105
    >>> round(er_period(interactions, reach, method="mean"), 6)  # (0.10 + 0.15 + 0.02) / 3
    0.09
    >>> er_period(interactions, reach, method="median")
    0.1
    >>> er_period([5, 0], [0, 0])
    nan
    """
    if method not in ER_PERIOD_METHODS:
        allowed = ", ".join(f"«{m}»" for m in ER_PERIOD_METHODS)
        raise ValueError(f"Аргумент «method» должен быть одним из: {allowed} (получено «{method}»).")
    (a, b), _ = _inputs(("interactions", interactions, True), ("bases", bases, True))
    a, b = np.broadcast_arrays(a, b)
    if a.size == 0:
        return float("nan")
    if method == "pooled":
        return float(_divide(a.sum(), b.sum()))
    per_post = _divide(a, b)
    return float(per_post.mean() if method == "mean" else np.median(per_post))


def reach_rate(reach: Values, followers: Values) -> Values:
    """Reach rate = reach / followers: the share of followers a post reached.

    >>> reach_rate(1500, 10000)
    0.15
    >>> reach_rate(1500, 0)
    nan
    """
    return _ratio(reach, followers, "reach", "followers")


def tg_view_rate(avg_views: Values, subscribers: Values) -> Values:
    """Telegram view rate = avg_views / subscribers — the figure TGStat calls «ERR».

    Name trap: in Telegram analytics (TGStat) «ERR» means this *reach* rate — how many
    subscribers see an average post (views of the posts of the last 30 days; ERR24 counts the first
    24 hours) — and says nothing about reactions. It is NOT "ER by reach" (interactions / reach, the ERR of
    Instagram/VK reports, :func:`er_by_reach`). TGStat's own «ER» is (forwards + reactions + comments) /
    views, i.e. :func:`er_by_views`.

    >>> tg_view_rate(3_600, 12_000)  # TGStat shows «ERR 30 %»
    0.3
    >>> tg_view_rate(3_600, 0)
    nan
    """
    return _ratio(avg_views, subscribers, "avg_views", "subscribers")


# --- ads -----------------------------------------------------------------------------------------------


def ctr(clicks: Values, impressions: Values) -> Values:
    """CTR = clicks / impressions.

    >>> ctr(25, 1000)
    0.025
    >>> ctr(25, 0)
    nan
    """
    return _ratio(clicks, impressions, "clicks", "impressions")


def cpm(spend: Values, impressions: Values) -> Values:
    """CPM = spend / impressions × 1000 (the price of a thousand impressions).

    >>> cpm(15_000, 50_000)  # 15 000 ₸ for 50 000 impressions
    300.0
    >>> cpm(15_000, 0)
    nan
    """
    (s, i), index = _inputs(("spend", spend, True), ("impressions", impressions, True))
    with _quiet():
        return _output(_divide(s, i) * 1000.0, index)


def cpc(spend: Values, clicks: Values) -> Values:
    """CPC = spend / clicks.

    >>> cpc(15_000, 120)
    125.0
    >>> cpc(15_000, 0)
    nan
    """
    return _ratio(spend, clicks, "spend", "clicks")


def cpa(spend: Values, actions: Values) -> Values:
    """CPA = spend / actions (leads, purchases: the campaign's target action).

    >>> cpa(15_000, 6)
    2500.0
    >>> cpa(15_000, 0)
    nan
    """
    return _ratio(spend, actions, "spend", "actions")


def cr(conversions: Values, base: Values) -> Values:
    """CR = conversions / base (base: clicks, sessions or visitors — always say which).

    >>> cr(6, 120)
    0.05
    >>> cr(6, 0)
    nan
    """
    return _ratio(conversions, base, "conversions", "base")


def frequency(impressions: Values, reach: Values) -> Values:
    """Frequency = impressions / reach (showings per person reached).

    >>> frequency(50_000, 20_000)
    2.5
    >>> frequency(50_000, 0)
    nan
    """
    return _ratio(impressions, reach, "impressions", "reach")


def cost_per_contact(spend: Values, reach: Values, target_share: Values = 1.0) -> Values:
    """Cost per contact = spend / (reach × target_share); target_share in (0, 1] is the audience's share in reach.

    With ``target_share=1`` it is the price of one person reached; with the share of the target audience
    it is the price of a *target* contact, which the standard (M6-TF2-T1-U4) uses to choose a channel.

    >>> cost_per_contact(40_000, 20_000)
    2.0
    >>> cost_per_contact(40_000, 20_000, target_share=0.25)  # 40 000 / (20 000 × 0.25) = 40 000 / 5 000
    8.0
    >>> cost_per_contact(40_000, 0)
    nan
    """
    (s, r, t), index = _inputs(("spend", spend, True), ("reach", reach, True), ("target_share", target_share, False))
    if ((t <= 0) | (t > 1)).any():
        raise ValueError(
            "Аргумент «target_share» — доля целевой аудитории в охвате: 0 < target_share ≤ 1 (например, 0.25 для 25 %)."
        )
    with _quiet():
        contacts = r * t
    return _output(_divide(s, contacts), index)


# --- money ---------------------------------------------------------------------------------------------


def roas(revenue: Values, spend: Values) -> Values:
    """ROAS = revenue / spend (revenue from the ads, not profit).

    >>> roas(60_000, 15_000)  # «400 %», «4:1»
    4.0
    >>> roas(60_000, 0)
    nan
    """
    return _ratio(revenue, spend, "revenue", "spend")


def drr(spend: Values, revenue: Values) -> Values:
    """ДРР = spend / revenue = 1 / ROAS (доля рекламных расходов).

    >>> drr(15_000, 60_000)
    0.25
    >>> drr(15_000, 0)
    nan
    """
    return _ratio(spend, revenue, "spend", "revenue")


def roi(gain: Values, cost: Values) -> Values:
    """ROI = (gain − cost) / cost, over all the investments; gain may be negative (a loss).

    >>> roi(130_000, 100_000)
    0.3
    >>> roi(60_000, 100_000)
    -0.4
    >>> roi(60_000, 0)
    nan
    """
    (g, c), index = _inputs(("gain", gain, False), ("cost", cost, True))
    with _quiet():
        return _output(_divide(g - c, c), index)


def romi(gross_profit: Values, marketing_cost: Values) -> Values:
    """ROMI = (gross_profit − marketing_cost) / marketing_cost; use margin, not revenue.

    >>> romi(45_000, 15_000)
    2.0
    >>> romi(-5_000, 15_000)  # returns and discounts made the gross profit negative
    -1.3333333333333333
    >>> romi(45_000, 0)
    nan
    """
    (g, c), index = _inputs(("gross_profit", gross_profit, False), ("marketing_cost", marketing_cost, True))
    with _quiet():
        return _output(_divide(g - c, c), index)


def cac(acquisition_cost: Values, new_customers: Values) -> Values:
    """CAC = acquisition_cost / new_customers (media, people and tools; CPA counts media only).

    >>> cac(250_000, 50)
    5000.0
    >>> cac(250_000, 0)
    nan
    """
    return _ratio(acquisition_cost, new_customers, "acquisition_cost", "new_customers")


def ltv(avg_order_value: Values, purchase_frequency: Values, gross_margin: Values, lifespan: Values) -> Values:
    """LTV = avg_order_value × purchase_frequency × gross_margin × lifespan; gross_margin is a fraction in [0, 1].

    ``purchase_frequency`` is purchases per period and ``lifespan`` is the number of such periods.

    >>> ltv(8_000, 3, 0.4, 2)  # 8 000 ₸ × 3 orders a year × 40 % margin × 2 years
    19200.0
    """
    (a, f, m, life), index = _inputs(
        ("avg_order_value", avg_order_value, True),
        ("purchase_frequency", purchase_frequency, True),
        ("gross_margin", gross_margin, False),
        ("lifespan", lifespan, True),
    )
    if ((m < 0) | (m > 1)).any():
        raise ValueError("Аргумент «gross_margin» — доля от 0 до 1 (например, 0.4 для 40 %), а не проценты.")
    with _quiet():
        return _output(a * f * m * life, index)


# --- audience and reputation ---------------------------------------------------------------------------


def share_of_voice(brand_mentions: Values, competitor_mentions: Values) -> Values:
    """SOV = brand_mentions / (brand_mentions + competitor_mentions).

    >>> share_of_voice(300, 900)
    0.25
    >>> share_of_voice(0, 0)
    nan
    """
    (b, c), index = _inputs(
        ("brand_mentions", brand_mentions, True), ("competitor_mentions", competitor_mentions, True)
    )
    with _quiet():
        return _output(_divide(b, b + c), index)


def nps(scores: Values) -> float:
    """NPS = % promoters (9–10) − % detractors (0–6), in points from −100 to 100.

    ``scores`` are the answers 0..10 to «Насколько вероятно, что вы порекомендуете нас?». A missing answer
    gives NaN (drop them first: ``scores.dropna()``); no answers give NaN.

    >>> nps([10, 9, 9, 8, 7, 6, 3, 10, 2, 9])  # 5 promoters, 3 detractors of 10: 50 % − 30 %
    20.0
    >>> nps([])
    nan
    """
    arr = _values(scores, "scores")
    if arr.ndim != 1:
        raise ValueError("Аргумент «scores» должен быть одномерным набором оценок от 0 до 10 (список, массив, Series).")
    bad = ((arr < 0) | (arr > 10) | (np.floor(arr) != arr)) & ~np.isnan(arr)
    if bad.any():
        raise ValueError(f"Аргумент «scores»: оценка NPS — целое число от 0 до 10 (встретилось {arr[bad][0]:g}).")
    if arr.size == 0 or np.isnan(arr).any():
        return float("nan")
    promoters = np.count_nonzero(arr >= 9)
    detractors = np.count_nonzero(arr <= 6)
    return float(100.0 * (promoters - detractors) / arr.size)


def net_sentiment(positive: Values, negative: Values, total: Values) -> Values:
    """Net sentiment = (positive − negative) / total (total counts neutral mentions too).

    >>> net_sentiment(120, 30, 400)
    0.225
    >>> net_sentiment(0, 0, 0)
    nan
    """
    (p, n, t), index = _inputs(("positive", positive, True), ("negative", negative, True), ("total", total, True))
    with _quiet():
        return _output(_divide(p - n, t), index)


def retention(active: Values, cohort_size: Values) -> Values:
    """Retention = active / cohort_size (churn = 1 − retention).

    >>> retention(45, 180)
    0.25
    >>> retention(45, 0)
    nan
    """
    return _ratio(active, cohort_size, "active", "cohort_size")
