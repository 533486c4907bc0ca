"""Audience methods: RFM segments, k-means segments, the audience core (Pareto) and lookalike scoring.

Column contracts. Column names are arguments, and their defaults are the names of the course datasets as
loaded by ``smmkit.datasets.load`` (so ``rfm_table(load("crm_orders"))`` and
``audience_core(load("audience"))`` need no renaming); pass other names for other tables:

* orders (for :func:`rfm_table`): one row per order, ``customer_id``, ``order_ts`` (date or timestamp),
  ``revenue_kzt`` (order value, >= 0, in the input's currency) — the columns of ``crm_orders``;
* customers (for :func:`audience_core`): one row per customer with a value column, ``revenue_12m_kzt`` by
  default (the ``audience`` dataset), and optionally a segment column passed as ``by``;
* population (for :func:`lookalike_scores`): one row per user, a unique ``user_id`` and numeric features.

Randomness (k-means starts, silhouette sampling) is fixed by a ``seed`` argument.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # scikit-learn is imported where it is used: it costs ~2 s of a lesson's start
    from sklearn.cluster import KMeans

RFM_COLUMNS = ("recency_days", "frequency", "monetary")
"""Columns of :func:`rfm_table`, one row per customer."""

RFM_SCALE = 5
"""The segment rules below are written for scores 1..5; other ``bins`` are mapped onto this scale first."""

RFM_SEGMENT_RULES: tuple[tuple[str, dict[str, tuple[int, int]]], ...] = (
    ("Чемпионы", {"R": (4, 5), "F": (4, 5), "M": (4, 5)}),
    ("Лояльные", {"R": (3, 5), "F": (4, 5)}),
    ("Новые", {"R": (4, 5), "F": (1, 2)}),
    ("Под угрозой ухода", {"R": (1, 2), "F": (3, 5)}),
    ("Спящие", {"R": (1, 2), "F": (1, 2)}),
)
"""RFM segment rules, checked top to bottom; the first rule whose score ranges (inclusive, on the 1..5
scale) all hold names the segment, and a customer matching none is «Прочие»:

=====================  ======  ======  ======
Segment                R       F       M
=====================  ======  ======  ======
Чемпионы               4–5     4–5     4–5
Лояльные               3–5     4–5     any
Новые                  4–5     1–2     any
Под угрозой ухода      1–2     3–5     any
Спящие                 1–2     1–2     any
Прочие                 everything else
=====================  ======  ======  ======
"""

RFM_OTHER = "Прочие"
"""Segment of a customer that matches no rule in :data:`RFM_SEGMENT_RULES`."""

KMEANS_N_INIT = 10
"""k-means restarts from different seeded starts; the best (lowest inertia) run is kept."""

SILHOUETTE_SAMPLE = 5_000
"""Silhouette is O(n²): above this many rows :func:`choose_k` computes it on a seeded sample of this size."""

MODEL_THREADS = 1
"""Threads for k-means, silhouette and logistic regression. On course-sized data (thousands of rows) on a
shared lab server, OpenMP/BLAS threads cost more than they save: measured on 2 busy cores, k-means on
2,000 rows took 5.9 s with threads and 0.03 s with one. Set to None to let the libraries decide."""

_EPS = 1e-12  # tolerance for cumulative shares that should reach ``share`` exactly


# ---------------------------------------------------------------------------------------------- validation


def _require_columns(df: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    for column in columns:
        if column not in df.columns:
            raise ValueError(f"В таблице «{table}» нет столбца «{column}».")


def _require_numeric(df: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    for column in columns:
        if not pd.api.types.is_numeric_dtype(df[column]):
            raise ValueError(f"Столбец «{column}» таблицы «{table}» должен быть числовым.")
        if df[column].isna().any():
            raise ValueError(f"В столбце «{column}» таблицы «{table}» есть пропуски.")


def _require_non_negative(values: pd.Series, column: str) -> None:
    if (values < 0).any():
        raise ValueError(f"Столбец «{column}» не может содержать отрицательных значений.")


# ---------------------------------------------------------------------------------------------------- RFM


def rfm_table(
    orders: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "order_ts",
    amount: str = "revenue_kzt",
    as_of: Any = None,
) -> pd.DataFrame:
    """Per customer: recency_days = (as_of − last order date) in days, frequency = orders, monetary = Σ amount.

    Dates are cut to calendar days. ``as_of`` defaults to the day after the last order in the table, so the most
    recent customers get recency 1. The result is indexed by customer, in sorted order. The defaults are the
    columns of the ``crm_orders`` dataset (keep only paid orders first: ``status == "оплачен"``); for other
    tables name the columns, e.g. ``rfm_table(orders, date="order_date", amount="amount")``.

    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                        "order_ts": ["2026-03-01", "2026-03-10", "2026-03-05"],
    ...                        "revenue_kzt": [100.0, 50.0, 30.0]})
    >>> rfm_table(orders).reset_index()
      customer_id  recency_days  frequency  monetary
    0           a             1          2     150.0
    1           b             6          1      30.0
    """
    _require_columns(orders, (customer, date, amount), "orders")
    _require_numeric(orders, (amount,), "orders")
    _require_non_negative(orders[amount], amount)
    if orders[customer].isna().any():
        raise ValueError(f"В столбце «{customer}» таблицы «orders» есть пропуски.")
    try:
        days = pd.to_datetime(orders[date]).dt.normalize()
    except (TypeError, ValueError):
        raise ValueError(f"Столбец «{date}» должен содержать даты.") from None
    if days.isna().any():
        raise ValueError(f"В столбце «{date}» таблицы «orders» есть пропуски.")
    if as_of is None:
        if days.empty:
            raise ValueError("Таблица «orders» пуста: укажите аргумент «as_of» или передайте заказы.")
        as_of_day = days.max() + pd.Timedelta(days=1)
    else:
        as_of_day = pd.Timestamp(as_of)
        if (as_of_day.tzinfo is None) != (days.dt.tz is None):
            raise ValueError(f"Аргумент «as_of» и столбец «{date}» должны быть оба с часовым поясом или оба без него.")
        as_of_day = as_of_day.normalize()
        if not days.empty and as_of_day < days.max():
            raise ValueError("Аргумент «as_of» не может быть раньше последнего заказа.")
    grouped = pd.DataFrame({"day": days, "amount": orders[amount]}).groupby(orders[customer], sort=True)
    table = pd.DataFrame(
        {
            "recency_days": (as_of_day - grouped["day"].max()).dt.days.astype(int),
            "frequency": grouped.size().astype(int),
            "monetary": grouped["amount"].sum().astype(float),
        }
    )
    table.index.name = customer
    return table


def _quantile_score(values: pd.Series, bins: int, higher_is_better: bool) -> pd.Series:
    """Score 1..bins by quantile of the ranks: floor((rank − 1) · bins / n) + 1, so bin sizes differ by at most
    one (``pd.qcut`` of the ranks does not promise that: 19 rows in 6 bins came out 4/3/3/3/2/4); ties are
    broken by row order (rank method "first")."""
    ranks = values.rank(method="first", ascending=higher_is_better).astype(int)
    return ((ranks - 1) * bins // len(values) + 1).astype(int)


def _to_scale(score: pd.Series, bins: int) -> pd.Series:
    """Map scores 1..bins onto 1..RFM_SCALE: ceil(score · 5 / bins) (identity for bins = 5)."""
    return np.ceil(score * RFM_SCALE / bins - _EPS).astype(int)


def rfm_segment_name(r: int, f: int, m: int) -> str:
    """Segment of one customer by its R, F, M scores on the 1..5 scale (rules: :data:`RFM_SEGMENT_RULES`).

    >>> rfm_segment_name(5, 5, 5), rfm_segment_name(5, 1, 3), rfm_segment_name(1, 4, 2), rfm_segment_name(3, 3, 3)
    ('Чемпионы', 'Новые', 'Под угрозой ухода', 'Прочие')
    """
    scores = {"R": r, "F": f, "M": m}
    for name, ranges in RFM_SEGMENT_RULES:
        if all(low <= scores[key] <= high for key, (low, high) in ranges.items()):
            return name
    return RFM_OTHER


def rfm_scores(rfm: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """Add R, F, M scores 1..bins by quantile (fewer recency days, more orders, more money = higher) and rfm_segment.

    Ties are broken by row order (of equal values, the earlier row gets the lower score): values are ranked
    with ``rank(method="first")`` before ``pd.qcut``, so the same table always gets the same scores. For ``bins``
    other than 5, scores are mapped onto 1..5 as ceil(score · 5 / bins) before the rules of
    :data:`RFM_SEGMENT_RULES` name the segment.

    >>> rfm = pd.DataFrame({"recency_days": [1, 10, 100, 5, 50],
    ...                     "frequency": [9, 5, 1, 1, 3],
    ...                     "monetary": [900.0, 300.0, 20.0, 40.0, 200.0]}, index=list("abcde"))
    >>> rfm_scores(rfm)[["R", "F", "M", "rfm_segment"]]
       R  F  M        rfm_segment
    a  5  5  5           Чемпионы
    b  3  4  4           Лояльные
    c  1  1  1             Спящие
    d  4  2  2              Новые
    e  2  3  3  Под угрозой ухода
    """
    _require_columns(rfm, RFM_COLUMNS, "rfm")
    _require_numeric(rfm, RFM_COLUMNS, "rfm")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 2:
        raise ValueError("Аргумент «bins» должен быть целым числом не меньше 2.")
    if len(rfm) < bins:
        raise ValueError(f"Для «bins» = {bins} нужно не меньше {bins} клиентов, в таблице «rfm» их {len(rfm)}.")
    out = rfm.copy()
    out["R"] = _quantile_score(rfm["recency_days"], bins, higher_is_better=False)
    out["F"] = _quantile_score(rfm["frequency"], bins, higher_is_better=True)
    out["M"] = _quantile_score(rfm["monetary"], bins, higher_is_better=True)
    r, f, m = (_to_scale(out[key], bins) for key in ("R", "F", "M"))
    out["rfm_segment"] = [rfm_segment_name(*scores) for scores in zip(r, f, m, strict=True)]
    return out


# ------------------------------------------------------------------------------------------------- k-means


def _feature_matrix(df: pd.DataFrame, features: Sequence[str], log_features: Iterable[str]) -> np.ndarray:
    """Features as a standardised matrix, with log1p applied first to ``log_features``."""
    features = list(features)
    if not features:
        raise ValueError("Аргумент «features» не может быть пустым.")
    _require_columns(df, features, "df")
    _require_numeric(df, features, "df")
    data = df[features].astype(float)
    for column in log_features:
        if column not in features:
            raise ValueError(f"Столбец «{column}» из «log_features» должен быть и в «features».")
        _require_non_negative(data[column], column)
        data[column] = np.log1p(data[column])
    from sklearn.preprocessing import StandardScaler

    return StandardScaler().fit_transform(data.to_numpy())


def _check_k(k: int, rows: int, limit: int, argument: str = "k") -> None:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 2:
        raise ValueError(f"Аргумент «{argument}» должен быть целым числом не меньше 2.")
    if k > limit:
        raise ValueError(f"Аргумент «{argument}» = {k} больше допустимого: в таблице «df» {rows} строк.")


def _fit_kmeans(matrix: np.ndarray, k: int, seed: int) -> KMeans:
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    with threadpool_limits(limits=MODEL_THREADS):
        return KMeans(n_clusters=k, n_init=KMEANS_N_INIT, random_state=seed).fit(matrix)


def kmeans_segments(
    df: pd.DataFrame,
    features: Sequence[str],
    k: int,
    seed: int = 0,
    log_features: Iterable[str] = (),
) -> tuple[pd.Series, pd.DataFrame]:
    """Segment rows by k-means on standardised features (log1p first for heavy-tailed ``log_features``).

    Returns the labels (a Series ``segment`` aligned with ``df``) and a summary per segment: ``size``, ``share``
    of rows and the mean of every feature on its original scale. Segments are numbered by size, 0 = largest,
    so the numbering does not depend on k-means' internal order.

    >>> df = pd.DataFrame({"orders": [1, 2, 1, 2, 30, 31, 29], "revenue": [10, 12, 11, 9, 900, 950, 870]})
    >>> labels, summary = kmeans_segments(df, ["orders", "revenue"], k=2, log_features=["revenue"])
    >>> labels.tolist()
    [0, 0, 0, 0, 1, 1, 1]
    >>> summary[["size", "orders"]].reset_index()
       segment  size  orders
    0        0     4     1.5
    1        1     3    30.0
    """
    matrix = _feature_matrix(df, features, log_features)
    _check_k(k, len(df), len(df))
    raw = _fit_kmeans(matrix, k, seed).labels_
    sizes = np.bincount(raw, minlength=k)
    order = np.argsort(-sizes, kind="stable")  # old label of the new label 0, 1, ...
    relabel = np.empty(k, dtype=int)
    relabel[order] = np.arange(k)
    labels = pd.Series(relabel[raw], index=df.index, name="segment")
    summary = df[list(features)].astype(float).groupby(labels).mean()
    summary.insert(0, "share", labels.value_counts(normalize=True).sort_index())
    summary.insert(0, "size", labels.value_counts().sort_index())
    return labels, summary


def choose_k(
    df: pd.DataFrame,
    features: Sequence[str],
    k_range: Iterable[int] = range(2, 9),
    seed: int = 0,
    log_features: Iterable[str] = (),
) -> pd.DataFrame:
    """Silhouette (higher is better) and inertia (elbow) of k-means for every k in ``k_range``, indexed by k.

    Uses the same preparation as :func:`kmeans_segments`. Silhouette needs 2 <= k <= rows − 1; above
    :data:`SILHOUETTE_SAMPLE` rows it is computed on a seeded sample of that size.
    """
    matrix = _feature_matrix(df, features, log_features)
    ks = list(k_range)
    if not ks:
        raise ValueError("Аргумент «k_range» не может быть пустым.")
    for k in ks:
        _check_k(k, len(df), len(df) - 1, "k_range")
    from sklearn.metrics import silhouette_score
    from threadpoolctl import threadpool_limits

    sample = SILHOUETTE_SAMPLE if len(df) > SILHOUETTE_SAMPLE else None
    rows = []
    for k in ks:
        model = _fit_kmeans(matrix, k, seed)
        with threadpool_limits(limits=MODEL_THREADS):
            silhouette = silhouette_score(matrix, model.labels_, sample_size=sample, random_state=seed)
        rows.append({"k": k, "silhouette": float(silhouette), "inertia": float(model.inertia_)})
    return pd.DataFrame(rows).set_index("k")


# --------------------------------------------------------------------------------------------- audience core


def _check_share(share: float) -> None:
    if not isinstance(share, (int, float, np.number)) or not 0 < share <= 1:
        raise ValueError("Аргумент «share» должен быть в промежутке (0, 1].")


def audience_core(
    customers: pd.DataFrame,
    value: str = "revenue_12m_kzt",
    share: float = 0.8,
    by: str | None = None,
) -> pd.DataFrame:
    """The audience core: the fewest customers (or segments ``by``) that together bring ``share`` of Σ value.

    «Ядро аудитории» in the standard's glossary is the part of the target audience that brings, or can bring,
    the largest share of profit. Here it is computed the Pareto way: sort by ``value`` descending (ties keep
    row order), accumulate, and stop at the first member whose cumulative share reaches ``share``. Taking the
    largest first gives the smallest possible set.

    Without ``by`` the result is the core's rows of ``customers``; with ``by`` it has one row per core segment
    with ``customers`` (count) and ``value`` (sum). Both get ``value_share`` (the member's share of the total)
    and ``cum_value_share``. An empty table or a zero total gives an empty core. See :func:`audience_core_summary`
    for the count and shares in one line. ``value`` defaults to the ``audience`` dataset's column (take its
    customers: ``a[a["is_customer"]]``); for e.g. :func:`smmkit.analysis.e2e.customer_ltv` pass ``value="revenue"``.

    >>> crm = pd.DataFrame({"customer_id": list("abcde"), "revenue": [500.0, 300.0, 100.0, 60.0, 40.0]})
    >>> audience_core(crm, value="revenue", share=0.8)
      customer_id  revenue  value_share  cum_value_share
    0           a    500.0          0.5              0.5
    1           b    300.0          0.3              0.8
    """
    _check_share(share)
    columns = [value] if by is None else [value, by]
    _require_columns(customers, columns, "customers")
    _require_numeric(customers, [value], "customers")
    _require_non_negative(customers[value], value)
    if by is None:
        members = customers.copy()
        amounts = members[value].astype(float)
    else:
        if customers[by].isna().any():
            raise ValueError(f"В столбце «{by}» таблицы «customers» есть пропуски.")
        grouped = customers.groupby(by, sort=True)[value]
        members = pd.DataFrame({"customers": grouped.size().astype(int), "value": grouped.sum().astype(float)})
        amounts = members["value"]
    order = np.argsort(-amounts.to_numpy(), kind="stable")
    members, amounts = members.iloc[order], amounts.iloc[order]
    total = float(amounts.sum())
    if total <= 0:
        return members.iloc[:0].assign(value_share=pd.Series(dtype=float), cum_value_share=pd.Series(dtype=float))
    members = members.assign(value_share=amounts / total, cum_value_share=amounts.cumsum() / total)
    size = int(np.argmax(members["cum_value_share"].to_numpy() >= share - _EPS)) + 1
    return members.iloc[:size]


def audience_core_summary(
    customers: pd.DataFrame,
    value: str = "revenue_12m_kzt",
    share: float = 0.8,
    by: str | None = None,
) -> pd.Series:
    """The core in one line: members (count), members_share (of all customers/segments) and value_share.

    This is the Pareto statement "members_share of customers bring value_share of revenue".

    >>> crm = pd.DataFrame({"revenue_12m_kzt": [500.0, 300.0, 100.0, 60.0, 40.0]})
    >>> audience_core_summary(crm, share=0.8).round(2).to_dict()
    {'members': 2.0, 'members_share': 0.4, 'value_share': 0.8}
    """
    core = audience_core(customers, value=value, share=share, by=by)
    population = len(customers) if by is None else customers[by].nunique()
    members_share = len(core) / population if population else math.nan
    value_share = float(core["cum_value_share"].iloc[-1]) if len(core) else math.nan
    return pd.Series({"members": len(core), "members_share": members_share, "value_share": value_share})


# ------------------------------------------------------------------------------------------------- lookalike


def lookalike_scores(
    population: pd.DataFrame,
    seed_ids: Iterable[Any],
    features: Sequence[str],
    id_col: str = "user_id",
    seed: int = 0,
) -> pd.Series:
    """Lookalike score of every non-seed user: P(looks like a seed user) by logistic regression.

    A propensity model (StandardScaler + sklearn ``LogisticRegression``) is fitted on the whole population with
    seed users labelled 1 and the rest 0; its predicted probability ranks the non-seed users. Seed ids that are
    not in ``population`` are ignored (like unmatched rows of an uploaded list). The result is indexed by
    ``id_col`` and sorted by score, highest first (ties keep row order): its top x % is the lookalike audience.

    >>> users = pd.DataFrame({"user_id": list("abcdef"), "visits": [9, 8, 1, 7, 2, 0]})
    >>> lookalike_scores(users, seed_ids=["a", "b"], features=["visits"]).index.tolist()
    ['d', 'e', 'c', 'f']
    """
    _require_columns(population, [id_col], "population")
    if population[id_col].duplicated().any():
        raise ValueError(f"В столбце «{id_col}» таблицы «population» есть повторяющиеся id.")
    seeds = set(seed_ids)
    if not seeds:
        raise ValueError("Аргумент «seed_ids» пуст: нужен хотя бы один пользователь-образец.")
    is_seed = population[id_col].isin(seeds).to_numpy()
    if not is_seed.any():
        raise ValueError(f"Ни один id из «seed_ids» не найден в столбце «{id_col}» таблицы «population».")
    if is_seed.all():
        raise ValueError("В «population» нет пользователей вне «seed_ids»: оценивать некого.")
    _require_columns(population, features, "population")
    _require_numeric(population, features, "population")
    if not list(features):
        raise ValueError("Аргумент «features» не может быть пустым.")
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, random_state=seed))
    matrix = population[list(features)].to_numpy(dtype=float)
    with threadpool_limits(limits=MODEL_THREADS):
        model.fit(matrix, is_seed.astype(int))
    others = ~is_seed
    scores = pd.Series(
        model.predict_proba(matrix[others])[:, 1],
        index=pd.Index(population.loc[others, id_col], name=id_col),
        name="score",
    )
    return scores.iloc[np.argsort(-scores.to_numpy(), kind="stable")]


def _top_count(k: float, n: int) -> int:
    """How many users the top k share of n is: ceil(k · n), at least 1."""
    return max(1, math.ceil(round(k * n, 9)))


def _score_array(scores: pd.Series | Sequence[float]) -> np.ndarray:
    try:
        values = np.asarray(scores, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("Аргумент «scores» должен быть набором чисел.") from None
    if values.ndim != 1:
        raise ValueError("Аргумент «scores» должен быть набором чисел.")
    if np.isnan(values).any():
        raise ValueError("В аргументе «scores» есть пропуски.")
    return values


def _outcome_array(scores: pd.Series | Sequence[float], converted: pd.Series | Sequence[Any], n: int) -> np.ndarray:
    """``converted`` as 0.0/1.0 in the order of ``scores``: by index if both are Series, else by position."""
    if isinstance(converted, pd.Series) and isinstance(scores, pd.Series):
        if converted.index.has_duplicates:
            raise ValueError("В индексе «converted» есть повторяющиеся id.")
        missing = scores.index.difference(converted.index)
        if len(missing):
            raise ValueError(f"В «converted» нет значений для {len(missing)} пользователей из «scores».")
        outcome = converted.loc[scores.index]
    else:
        outcome = pd.Series(np.asarray(converted))
        if len(outcome) != n:
            raise ValueError(f"Аргументы «scores» и «converted» разной длины: {n} и {len(outcome)}.")
    if outcome.isna().any() or not outcome.isin([0, 1]).all():
        raise ValueError("Аргумент «converted» должен содержать только 0 и 1 (или False и True).")
    return outcome.to_numpy(dtype=float)


def lift_at_k(scores: pd.Series | Sequence[float], converted: pd.Series | Sequence[Any], k: float = 0.1) -> float:
    """lift@k = conversion rate of the top k share of users by score / conversion rate of all scored users.

    Lift against random: picking k of the users at random converts, on average, at the overall rate, so
    lift 1 means the scores rank no better than chance and lift 3 means the top k converts three times as
    often. The top is ceil(k · n) users (at least one); ties in score keep the order of ``scores``.
    ``converted`` is 0/1 (or bool); a Series is aligned to ``scores`` by index, a list by position.
    No conversions at all (or no users) gives NaN.

    >>> lift_at_k([0.9, 0.8, 0.3, 0.2, 0.1, 0.05, 0.04, 0.03, 0.02, 0.01], [1, 0, 0, 1, 0, 0, 0, 0, 0, 0], k=0.2)
    2.5
    """
    if isinstance(k, bool) or not isinstance(k, (int, float, np.number)) or not 0 < k <= 1:
        raise ValueError("Аргумент «k» должен быть в промежутке (0, 1].")
    values = _score_array(scores)
    hits = _outcome_array(scores, converted, len(values))
    if len(hits) == 0 or hits.sum() == 0:
        return math.nan
    order = np.argsort(-values, kind="stable")
    top = hits[order[: _top_count(float(k), len(hits))]]
    return float(top.mean() / hits.mean())
