"""Multi-touch attribution: rule models (Google Ads definitions), the Markov removal effect and Shapley values.

Two input forms are accepted by every model (``time_decay`` needs timestamps, so it takes journeys only).

**Journeys** — one row per touch, see ``JOURNEY_COLUMNS``. The outcome of a journey is repeated on every one of its
touch rows: ``converted`` (bool or 0/1) and, optionally, ``value`` (revenue of the conversion; it counts only where
``converted`` is 1) and ``conversion_ts`` (moment of the conversion, used by ``time_decay``). Touches are put in
order by ``ts`` within each journey.

**Paths** — the compact form of the attribution literature, see ``PATH_COLUMNS``: one row per distinct path,
``path`` is a list of channels or a string ``"a > b > c"``; ``conversions`` and ``nulls`` count the converting
and non-converting journeys that took it, ``value`` is their total revenue. ``to_paths`` builds it from journeys.

Every model returns a Series of credit per channel that sums to the total conversions, or to the total value
with ``weight="value"``. A channel listed in ``channels=`` but absent from the data gets 0.

Column names: the course dataset ``journeys`` (``datasets.load("journeys")``) calls the revenue column
``value_kzt``; both forms accept the dataset names through one alias mapping, :data:`COLUMN_ALIASES`
(``value_kzt`` → ``value``), read only when ``value`` itself is absent. So
``compare_models(datasets.load("journeys"), weight="value")`` works without renaming.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve
from scipy.special import comb

JOURNEY_COLUMNS: tuple[str, ...] = ("journey_id", "channel", "ts", "converted")
"""Required columns of the journeys form; optional: ``value`` (revenue), ``conversion_ts`` (for ``time_decay``)."""

COLUMN_ALIASES: dict[str, str] = {"value_kzt": "value"}
"""Dataset column name → contract name (the ``journeys`` dataset); used only when the contract name is absent."""

PATH_COLUMNS: tuple[str, ...] = ("path", "conversions")
"""Required columns of the path form; optional: ``nulls`` (0 if absent), ``value`` (needed for weight="value")."""

PATH_SEPARATOR = " > "
"""Separator of channels in a path string: ``"instagram > telegram"``."""

MAX_SHAPLEY_CHANNELS = 12
"""Exact Shapley values enumerate 2^n coalitions; above this many channels ``shapley`` refuses."""

MODEL_LABELS: dict[str, str] = {
    "first_touch": "Первое касание",
    "last_touch": "Последнее касание",
    "linear": "Линейная",
    "time_decay": "Затухание во времени",
    "position_based": "С учётом позиции",
    "markov": "Марковская цепь",
    "shapley": "Шепли",
}
"""Russian names of the models: the ``name`` of each returned Series and the columns of ``compare_models``."""

Weight = Literal["conversions", "value"]

START, CONVERSION, NULL = 0, 1, 2
"""Codes of the three special states of the Markov chain; channel states follow from 3."""

DENSE_STATES = 500
"""Markov chains up to this many states are solved with numpy.linalg.solve, larger ones with scipy's spsolve."""


# --------------------------------------------------------------------------- validation and the two input forms


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    for column in columns:
        if column not in frame.columns:
            also = "".join(f" (или «{alias}»)" for alias, name in COLUMN_ALIASES.items() if name == column)
            raise ValueError(f"В таблице {what} нет столбца «{column}»{also}.")


def _with_contract_names(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the aliases of :data:`COLUMN_ALIASES` renamed to their contract names (if those are absent)."""
    renames = {
        alias: name for alias, name in COLUMN_ALIASES.items() if alias in frame.columns and name not in frame.columns
    }
    return frame.rename(columns=renames) if renames else frame


def _check_weight(weight: str) -> None:
    if weight not in ("conversions", "value"):
        raise ValueError(f"Аргумент «weight» должен быть «conversions» или «value», а не «{weight}».")


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    try:
        values = pd.to_numeric(frame[column]).to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"Столбец «{column}» должен содержать числа.") from None
    if np.isnan(values).any():
        raise ValueError(f"В столбце «{column}» есть пропуски.")
    if (values < 0).any():
        raise ValueError(f"Столбец «{column}» не может содержать отрицательные значения.")
    return values


def _is_path_form(data: pd.DataFrame) -> bool:
    if not isinstance(data, pd.DataFrame):
        raise ValueError("Аргумент «data» должен быть таблицей pandas.DataFrame (касания или пути).")
    return "path" in data.columns


def _sorted_journeys(journeys: pd.DataFrame, weight: str) -> pd.DataFrame:
    """Validated touches ordered by journey and time.

    Columns: ``journey`` (0, 1, … numbered in order of first appearance), ``channel``, ``ts``, ``pos`` (0-based
    place in the journey), ``n`` (touches in the journey), ``converted`` (0/1), ``value`` (if given; 0 unless
    converted), ``conversion_ts`` (if given) and ``w``, the journey's outcome weight (conversion or value).
    """
    _check_weight(weight)
    journeys = _with_contract_names(journeys)
    _require(journeys, JOURNEY_COLUMNS, "касаний")
    if weight == "value":
        _require(journeys, ["value"], "касаний")
    for column in ("journey_id", "channel"):
        if journeys[column].isna().any():
            raise ValueError(f"В столбце «{column}» есть пропуски.")
    if not pd.api.types.is_datetime64_any_dtype(journeys["ts"]):
        raise ValueError("Столбец «ts» должен содержать дату и время: преобразуйте его через pd.to_datetime.")
    if journeys["ts"].isna().any():
        raise ValueError("В столбце «ts» есть пропуски.")
    converted = _numeric(journeys, "converted")
    if not np.isin(converted, (0, 1)).all():
        raise ValueError("Столбец «converted» должен содержать только 0/1 или True/False.")
    journey = pd.factorize(journeys["journey_id"])[0]
    # .values of a tz-aware column is UTC datetime64; lexsort is stable, so equal ts keep the row order
    order = np.lexsort((journeys["ts"].values, journey))
    journey = journey[order]
    is_start = np.r_[True, journey[1:] != journey[:-1]]
    starts = np.flatnonzero(is_start)
    group = np.cumsum(is_start) - 1
    columns = {
        "journey": journey,
        "channel": journeys["channel"].astype(str).to_numpy()[order],
        "ts": journeys["ts"].array[order],
        "pos": np.arange(len(journey)) - starts[group],
        "n": np.diff(np.r_[starts, len(journey)])[group],
        "converted": converted[order],
    }
    if "value" in journeys.columns:  # revenue counts only for converted journeys; elsewhere it may be empty
        columns["value"] = _numeric(journeys["value"].where(converted == 1, 0).to_frame(), "value")[order]
    for column in ("converted", "value"):
        if column in columns and np.any(columns[column] != columns[column][starts][group]):
            raise ValueError(f"Столбец «{column}» должен быть одинаковым во всех касаниях одного пути (journey_id).")
    if "conversion_ts" in journeys.columns:
        columns["conversion_ts"] = journeys["conversion_ts"].array[order]
    columns["w"] = columns["converted"] * (columns["value"] if weight == "value" else 1.0)
    return pd.DataFrame(columns)


def _parsed_paths(paths: pd.DataFrame, weight: str) -> pd.DataFrame:
    """Validated path rows: ``steps`` (list of channels), ``conversions``, ``nulls``, ``w`` (outcome weight)."""
    _check_weight(weight)
    paths = _with_contract_names(paths)
    _require(paths, PATH_COLUMNS, "путей")
    if weight == "value":
        _require(paths, ["value"], "путей")

    def steps_of(path: object) -> list[str]:
        if isinstance(path, str):
            steps = [step.strip() for step in path.split(">")]
        elif isinstance(path, (list, tuple, np.ndarray)):
            steps = [str(step) for step in path]
        else:
            steps = []
        if not steps or any(step == "" for step in steps):
            raise ValueError(f"Столбец «path»: путь «{path}» пустой или содержит пустой канал.")
        return steps

    out = pd.DataFrame({"steps": [steps_of(path) for path in paths["path"]]}, index=paths.index)
    out["conversions"] = _numeric(paths, "conversions")
    out["nulls"] = _numeric(paths, "nulls") if "nulls" in paths.columns else 0.0
    out["w"] = _numeric(paths, "value") if weight == "value" else out["conversions"]
    return out.reset_index(drop=True)


def _path_steps(parsed: pd.DataFrame) -> pd.DataFrame:
    """One row per step of every path: ``row`` (path row), ``pos`` (0-based), ``n`` (path length), ``channel``."""
    lengths = parsed["steps"].str.len().to_numpy()
    rows = np.repeat(np.arange(len(parsed)), lengths)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    channel = parsed["steps"].explode().to_numpy(dtype=object) if len(rows) else np.array([], dtype=object)
    return pd.DataFrame({"row": rows, "pos": np.arange(len(rows)) - starts, "n": lengths[rows], "channel": channel})


def _touch_table(data: pd.DataFrame, weight: str) -> pd.DataFrame:
    """Touches of either form with ``pos`` (0-based), ``n`` (touches in the path), ``channel`` and weight ``w``."""
    if _is_path_form(data):
        parsed = _parsed_paths(data, weight)
        steps = _path_steps(parsed)
        steps["w"] = parsed["w"].to_numpy()[steps["row"].to_numpy()]
        return steps
    return _sorted_journeys(data, weight)


def _credit(
    channel: pd.Series, amount: np.ndarray | pd.Series, model: str, channels: Sequence[str] | None
) -> pd.Series:
    """Sum ``amount`` by channel, add the requested absent channels with 0 and name the Series after the model."""
    codes, names = pd.factorize(np.asarray(channel, dtype=object), sort=True)
    totals = np.bincount(codes, weights=np.asarray(amount, dtype=float), minlength=len(names))
    credit = pd.Series(totals, index=pd.Index(names, dtype=object))
    if channels is not None:
        credit = credit.reindex(sorted(set(credit.index) | {str(c) for c in channels}), fill_value=0.0)
    credit.index.name = "channel"
    return credit.rename(MODEL_LABELS[model])


def _rule_model(
    data: pd.DataFrame,
    weight: Weight,
    channels: Sequence[str] | None,
    model: str,
    share: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> pd.Series:
    """Credit = Σ over touches of share(position, path length) × the path's outcome weight."""
    touches = _touch_table(data, weight)
    shares = share(touches["pos"].to_numpy(), touches["n"].to_numpy())
    return _credit(touches["channel"], shares * touches["w"].to_numpy(), model, channels)


# --------------------------------------------------------------------------- rule models


def to_paths(journeys: pd.DataFrame) -> pd.DataFrame:
    """Aggregate touch rows into the path form: ``path`` ("a > b"), ``conversions``, ``value`` (if given), ``nulls``.

    >>> ts = pd.to_datetime(["2026-03-01", "2026-03-02", "2026-03-01"])
    >>> j = pd.DataFrame({"journey_id": [1, 1, 2], "channel": ["ig", "tg", "ig"], "ts": ts, "converted": [1, 1, 0]})
    >>> to_paths(j)
          path  conversions  nulls
    0       ig            0      1
    1  ig > tg            1      0
    """
    touches = _sorted_journeys(journeys, "conversions")
    if any(">" in name for name in touches["channel"].unique()):
        raise ValueError("Столбец «channel»: названия каналов не могут содержать символ «>».")
    if touches.empty:
        columns = ["path", "conversions", *(["value"] if "value" in touches.columns else []), "nulls"]
        return pd.DataFrame(columns=columns)
    starts = np.flatnonzero(touches["pos"].to_numpy() == 0)
    channel = touches["channel"].to_numpy(dtype=object)
    joined = [PATH_SEPARATOR.join(channel[a:b]) for a, b in zip(starts, [*starts[1:], len(channel)], strict=True)]
    first = touches.iloc[starts]
    per_journey = pd.DataFrame({"path": joined, "conversions": first["converted"].to_numpy().astype(int)})
    if "value" in touches.columns:
        per_journey["value"] = first["value"].to_numpy()
    per_journey["nulls"] = 1 - per_journey["conversions"]
    return per_journey.groupby("path", as_index=False).sum()


def first_touch(data: pd.DataFrame, weight: Weight = "conversions", channels: Sequence[str] | None = None) -> pd.Series:
    """First touch: the whole conversion goes to the first channel of the path.

    >>> first_touch(pd.DataFrame({"path": ["ig > tg", "tg"], "conversions": [3, 1]}))
    channel
    ig    3.0
    tg    1.0
    Name: Первое касание, dtype: float64
    """
    return _rule_model(data, weight, channels, "first_touch", lambda pos, n: (pos == 0).astype(float))


def last_touch(data: pd.DataFrame, weight: Weight = "conversions", channels: Sequence[str] | None = None) -> pd.Series:
    """Last touch: the whole conversion goes to the last channel of the path.

    >>> last_touch(pd.DataFrame({"path": ["ig > tg", "tg"], "conversions": [3, 1]}))
    channel
    ig    0.0
    tg    4.0
    Name: Последнее касание, dtype: float64
    """
    return _rule_model(data, weight, channels, "last_touch", lambda pos, n: (pos == n - 1).astype(float))


def linear(data: pd.DataFrame, weight: Weight = "conversions", channels: Sequence[str] | None = None) -> pd.Series:
    """Linear: each of the n touches of a path gets 1/n of its conversion.

    >>> linear(pd.DataFrame({"path": ["ig > tg > vk", "tg"], "conversions": [3, 1]}))
    channel
    ig    1.0
    tg    2.0
    vk    1.0
    Name: Линейная, dtype: float64
    """
    return _rule_model(data, weight, channels, "linear", lambda pos, n: 1.0 / n)


def position_shares(pos: np.ndarray, n: np.ndarray, first: float = 0.4, last: float = 0.4) -> np.ndarray:
    """Position-based share of the touch at ``pos`` in a path of ``n`` touches: first/middle/last = 40/20/40.

    One touch gets 1; two touches split first:last (50/50 for equal weights, as Google Ads did); from three
    touches on the middle ones share 1 − first − last equally.

    >>> position_shares(np.array([0, 1, 2, 3, 0, 1, 0]), np.array([4, 4, 4, 4, 2, 2, 1])).round(2).tolist()
    [0.4, 0.1, 0.1, 0.4, 0.5, 0.5, 1.0]
    """
    ends = first + last
    two = np.where(pos == 0, first, last) / ends if ends > 0 else np.full(pos.shape, 0.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        middle = (1.0 - ends) / (n - 2)
    many = np.where(pos == 0, first, np.where(pos == n - 1, last, middle))
    return np.select([n == 1, n == 2], [1.0, two], many)


def position_based(
    data: pd.DataFrame,
    first: float = 0.4,
    last: float = 0.4,
    weight: Weight = "conversions",
    channels: Sequence[str] | None = None,
) -> pd.Series:
    """Position-based (U-shaped): 40 % to the first touch, 40 % to the last, 20 % split over the middle ones.

    Conventions (Google Ads, which retired this model in 2023): a one-touch path gives 100 % to that touch, a
    two-touch path splits 50/50 (in general first/(first+last) and last/(first+last)).

    >>> position_based(pd.DataFrame({"path": ["ig > tg > vk > tg", "ig > vk"], "conversions": [10, 2]}))
    channel
    ig    5.0
    tg    5.0
    vk    2.0
    Name: С учётом позиции, dtype: float64
    """
    for name, share in (("first", first), ("last", last)):
        if not 0 <= share <= 1:
            raise ValueError(f"Аргумент «{name}» должен быть долей от 0 до 1.")
    if first + last > 1:
        raise ValueError("Сумма аргументов «first» и «last» не может быть больше 1.")
    return _rule_model(data, weight, channels, "position_based", lambda pos, n: position_shares(pos, n, first, last))


def _conversion_moment(touches: pd.DataFrame) -> pd.Series:
    """Moment of conversion on every touch row: the journey's ``conversion_ts`` if given, else its last ``ts``."""
    last_ts = touches.groupby("journey")["ts"].transform("last")
    if "conversion_ts" not in touches.columns:
        return last_ts
    column = touches["conversion_ts"]
    if not pd.api.types.is_datetime64_any_dtype(column):
        raise ValueError("Столбец «conversion_ts» должен содержать дату и время (pd.to_datetime).")
    if (column.dt.tz is None) != (touches["ts"].dt.tz is None):
        raise ValueError("Столбцы «conversion_ts» и «ts» должны быть оба с часовым поясом или оба без.")
    return touches.groupby("journey")["conversion_ts"].transform("first").fillna(last_ts)


def time_decay(
    journeys: pd.DataFrame,
    half_life_days: float = 7.0,
    weight: Weight = "conversions",
    channels: Sequence[str] | None = None,
) -> pd.Series:
    """Time decay: touch weight w = 2^(−Δt / half_life), Δt = days from the touch to the conversion; shares w/Σw.

    The moment of conversion is the journey's ``conversion_ts`` if that column is present and filled, otherwise
    its last touch ``ts``. Shares are normalised within a journey, so moving the conversion moment multiplies
    all its weights by one factor and changes nothing: only the gaps between touches matter (``conversion_ts``
    is still checked: no touch may come after it). Google Ads used a 7-day half-life;
    ``half_life_days=inf`` gives the linear model.

    >>> ts = pd.to_datetime(["2026-03-01", "2026-03-08"])
    >>> j = pd.DataFrame({"journey_id": [1, 1], "channel": ["ig", "tg"], "ts": ts, "converted": [1, 1]})
    >>> time_decay(j).round(4).tolist()  # weights 0.5 and 1 -> shares 1/3 and 2/3
    [0.3333, 0.6667]
    """
    if _is_path_form(journeys):
        raise ValueError("Аргумент «journeys»: для модели с затуханием нужны касания с датами (ts), а не пути.")
    if not half_life_days > 0:
        raise ValueError("Аргумент «half_life_days» должен быть больше нуля.")
    touches = _sorted_journeys(journeys, weight)
    days = (_conversion_moment(touches) - touches["ts"]).dt.total_seconds().to_numpy() / 86400.0
    if np.any((days < 0) & (touches["w"].to_numpy() > 0)):
        raise ValueError("Столбец «conversion_ts»: есть касания позже момента конверсии.")
    by_journey = pd.Series(days).groupby(touches["journey"].to_numpy())
    # Measured from the journey's latest touch, so the largest weight is 1 and long gaps never underflow to 0/0.
    decay = np.exp2(-(days - by_journey.transform("min").to_numpy()) / half_life_days)
    shares = decay / pd.Series(decay).groupby(touches["journey"].to_numpy()).transform("sum").to_numpy()
    return _credit(touches["channel"], shares * touches["w"].to_numpy(), "time_decay", channels)


# --------------------------------------------------------------------------- data-driven models


def _as_paths(data: pd.DataFrame, weight: Weight) -> pd.DataFrame:
    paths = data if _is_path_form(data) else to_paths(data)
    return _parsed_paths(paths, weight)


def _state_labels(steps: pd.DataFrame, order: int) -> pd.Series:
    """Markov state of each step: the last ``order`` channels up to it ("a > b" for order 2)."""
    label = steps["channel"].astype(str)
    by_path = steps.groupby("row", sort=False)["channel"]
    for lag in range(1, order):
        previous = by_path.shift(lag)
        label = (previous.astype(str) + PATH_SEPARATOR + label).where(previous.notna(), label)
    return label


def _transition_counts(parsed: pd.DataFrame, order: int) -> tuple[sp.csr_matrix, pd.Index]:
    """Counts of observed transitions between states 0=start, 1=conversion, 2=null, 3.. = the channel states.

    Every journey moves start → its states in order; from its last state it goes to conversion or to null.
    """
    steps = _path_steps(parsed)
    codes, states = pd.factorize(_state_labels(steps, order))
    state = codes + 3
    rows, pos, n = steps["row"].to_numpy(), steps["pos"].to_numpy(), steps["n"].to_numpy()
    conversions, nulls = parsed["conversions"].to_numpy()[rows], parsed["nulls"].to_numpy()[rows]
    previous = np.where(pos == 0, START, np.roll(state, 1))
    last = pos == n - 1
    src = np.concatenate([previous, state[last], state[last]])
    dst = np.concatenate([state, np.full(last.sum(), CONVERSION), np.full(last.sum(), NULL)])
    cnt = np.concatenate([conversions + nulls, conversions[last], nulls[last]])
    size = len(states) + 3
    return sp.coo_matrix((cnt, (src, dst)), shape=(size, size)).tocsr(), states


def _conversion_probability(probs: sp.csr_matrix, keep: np.ndarray) -> float:
    """P(start reaches conversion) when only the transient states in ``keep`` remain; the rest lead to null.

    With Q = transitions among the kept states and r = their transitions to conversion, the absorption
    probabilities x solve (I − Q) x = r.
    """
    idx = np.flatnonzero(keep)
    kept = probs[idx]
    a = sp.identity(len(idx), format="csc") - kept[:, idx].tocsc()
    r = kept[:, [CONVERSION]].toarray().ravel()
    # A few hundred states (order 1, the usual case) solve faster densely; higher orders stay sparse.
    x = np.linalg.solve(a.toarray(), r) if len(idx) <= DENSE_STATES else np.atleast_1d(spsolve(a, r))
    return float(x[np.searchsorted(idx, START)])


def _removal_effects(parsed: pd.DataFrame, order: int) -> pd.Series:
    if not isinstance(order, (int, np.integer)) or isinstance(order, bool) or order < 1:
        raise ValueError("Аргумент «order» должен быть целым числом не меньше 1.")
    channels = sorted(_path_steps(parsed)["channel"].astype(str).unique())
    result = pd.Series(0.0, index=pd.Index(channels, dtype=object, name="channel"), name="Эффект удаления")
    parsed = parsed[(parsed["conversions"] + parsed["nulls"]) > 0].reset_index(drop=True)
    if parsed["conversions"].sum() == 0:
        return result
    counts, states = _transition_counts(parsed, order)
    totals = np.asarray(counts.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        probs = (sp.diags(np.where(totals > 0, 1.0 / totals, 0.0)) @ counts).tocsr()
    transient = np.ones(len(states) + 3, dtype=bool)
    transient[[CONVERSION, NULL]] = False
    base = _conversion_probability(probs, transient)
    members = [set(label.split(PATH_SEPARATOR)) for label in states]
    for channel in result.index:
        removed = np.r_[False, False, False, [channel in m for m in members]]
        result[channel] = 1.0 - _conversion_probability(probs, transient & ~removed) / base
    return result


def removal_effects(data: pd.DataFrame, order: int = 1) -> pd.Series:
    """Removal effect RE_c = 1 − P(conv without c) / P(conv) of each channel in a Markov chain of the paths.

    States: start, conversion, null and one state per channel (order 1) or per run of ``order`` channels.
    Transition probabilities are the observed transition counts of all journeys (converting and not) divided
    by the counts out of each state; absorption probabilities come from a sparse linear solve.
    Removing c sends every transition into a state that contains c to null.

    >>> removal_effects(pd.DataFrame({"path": ["a > b", "a", "b"], "conversions": [1, 0, 1], "nulls": [0, 1, 0]}))
    channel
    a    0.5
    b    1.0
    Name: Эффект удаления, dtype: float64
    """
    return _removal_effects(_as_paths(data, "conversions"), order)


def markov_removal_effect(
    data: pd.DataFrame, order: int = 1, weight: Weight = "conversions", channels: Sequence[str] | None = None
) -> pd.Series:
    """Markov attribution: credit_c = RE_c / Σ RE × total conversions (or total value with weight="value").

    Takes paths (with ``nulls``: the chain needs the journeys that did not convert) or journeys.
    With weight="value" the same removal-effect shares split the total value.

    >>> markov_removal_effect(pd.DataFrame({"path": ["a > b", "a", "b"], "conversions": [1, 0, 1], "nulls": [0, 1, 0]}))
    channel
    a    0.666667
    b    1.333333
    Name: Марковская цепь, dtype: float64
    """
    parsed = _as_paths(data, weight)
    effects = _removal_effects(parsed, order)
    spread = effects.sum()
    credit = effects / spread * parsed["w"].sum() if spread > 0 else effects * 0.0
    return _credit(pd.Series(credit.index), credit.to_numpy(), "markov", channels)


def shapley(data: pd.DataFrame, weight: Weight = "conversions", channels: Sequence[str] | None = None) -> pd.Series:
    """Shapley value φ_i = Σ_{S∌i} |S|!(n−|S|−1)!/n! · (v(S∪{i}) − v(S)), v(S) = conversions of paths with set ⊆ S.

    Exact: all 2^n coalitions are enumerated as bitmasks (n ≤ ``MAX_SHAPLEY_CHANNELS``). For this characteristic
    function the result equals splitting every path's conversions equally among its distinct channels.

    >>> shapley(pd.DataFrame({"path": ["a", "a > b", "b"], "conversions": [1, 2, 3]}))
    channel
    a    2.0
    b    4.0
    Name: Шепли, dtype: float64
    """
    parsed = _as_paths(data, weight)
    steps = _path_steps(parsed)
    names = sorted(steps["channel"].astype(str).unique())
    n = len(names)
    if n > MAX_SHAPLEY_CHANNELS:
        raise ValueError(
            f"Аргумент «data»: для точных значений Шепли не больше {MAX_SHAPLEY_CHANNELS} каналов, а в данных {n}."
        )
    if n == 0:
        return _credit(pd.Series([], dtype=object), np.array([]), "shapley", channels)
    bits = np.left_shift(1, pd.Categorical(steps["channel"].astype(str), categories=names).codes.astype(np.int64))
    unique = pd.DataFrame({"row": steps["row"], "bit": bits}).drop_duplicates()
    masks = np.bincount(unique["row"], weights=unique["bit"], minlength=len(parsed)).astype(np.int64)
    value = np.bincount(masks, weights=parsed["w"].to_numpy(), minlength=1 << n)  # weight of each exact set
    for i in range(n):  # v(S) = Σ over subsets T ⊆ S of the weight of set T
        view = value.reshape(-1, 2, 1 << i)
        view[:, 1, :] += view[:, 0, :]
    coalitions = np.arange(1 << n)
    sizes = ((coalitions[:, None] >> np.arange(n)) & 1).sum(axis=1)
    phi = np.empty(n)
    for i in range(n):
        without = coalitions[(coalitions >> i) & 1 == 0]
        coef = 1.0 / (n * comb(n - 1, sizes[without]))  # |S|!(n−|S|−1)!/n!
        phi[i] = np.sum(coef * (value[without | (1 << i)] - value[without]))
    return _credit(pd.Series(names), phi, "shapley", channels)


def compare_models(
    data: pd.DataFrame, weight: Weight = "conversions", half_life_days: float = 7.0, order: int = 1
) -> pd.DataFrame:
    """Channels × models table of credits (columns named in Russian, see ``MODEL_LABELS``).

    Time decay needs timestamps, so its column appears for journeys only, not for the path form.

    >>> compare_models(pd.DataFrame({"path": ["a > b", "b"], "conversions": [2, 1], "nulls": [1, 1]})).iloc[:, 0]
    channel
    a    2.0
    b    1.0
    Name: Первое касание, dtype: float64
    """
    models = [
        first_touch(data, weight),
        last_touch(data, weight),
        linear(data, weight),
        position_based(data, weight=weight),
    ]
    if not _is_path_form(data):
        models.insert(3, time_decay(data, half_life_days, weight))
    paths = data if _is_path_form(data) else to_paths(data)
    models += [markov_removal_effect(paths, order, weight), shapley(paths, weight)]
    return pd.concat(models, axis=1).fillna(0.0).sort_index()
