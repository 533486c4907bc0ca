"""Media budget: response curves per channel, the optimal split of a budget and the reach-by-price split.

A *response curve* maps a channel's spend to its predicted result (leads, sales, revenue...):

* ``power``: result = a · spend^b with a > 0 and 0 < b ≤ 1 (b < 1: every next tenge buys less);
* ``hill``: result = top · spend^s / (half^s + spend^s): saturates at ``top``, reaches ``top / 2`` at ``half``.

``allocate_budget`` maximises the total predicted result Σ r_i(x_i) subject to Σ x_i = budget and
min_i ≤ x_i ≤ max_i. At the optimum every channel that is not held by a bound has the same *marginal* result
r_i'(x_i) (equivalently the same marginal CPA 1 / r_i'(x_i)): if one channel returned more per extra tenge, moving
a tenge to it would raise the total.

Solver choice. For concave curves (power; Hill with s ≤ 1) the optimality (KKT) conditions *are* the
marginal rule above, so the solver follows the lesson literally: for a trial λ every channel spends where its
marginal equals λ (clipped to its bounds), and ``scipy.optimize.brentq`` finds the λ at which these spends add up
to the budget. This is exact to ~1e-12 and needs no tuning. A general solver was tried first:
``scipy.optimize.minimize(method="SLSQP")`` reports success far from the optimum when the optimal spends differ
by orders of magnitude (one channel takes nearly all, the others a few tenge where their marginals change
fast), leaving the interior marginals visibly unequal; a piecewise-linear LP (``linprog``) would show its
breakpoint error instead.
A Hill curve with s > 1 is S-shaped (not concave) and the marginal rule may pick a poor point, so then SLSQP is
run from several starts (an even split and each channel taking as much as it can) and the best result is kept:
good in practice, but not a proof of optimality.

``allocate_by_cost_per_contact`` answers the reach question of the standard (channel choice by cost per
*target* contact): buy the cheapest target contacts first, up to each channel's reach cap. It is the linear
programme max Σ share_i·c_i s.t. Σ cost_i·c_i ≤ budget, 0 ≤ c_i ≤ cap_i — a *fractional knapsack*, whose optimum
is the greedy walk of the seeding planner, ``seeding_plan.buy_cheapest_first(..., whole=False)`` (each channel's
contacts are divisible; the test suite checks it against ``scipy.optimize.linprog``). The planner itself walks
with whole posts (``whole=True``): a post is bought whole or not at all, which is no longer always the best set
(a 0/1 knapsack), but it is the rule the course teaches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import OptimizeResult, brentq, curve_fit, lsq_linear, minimize

from smmkit.analysis.seeding_plan import buy_cheapest_first

KINDS: dict[str, tuple[str, ...]] = {"power": ("a", "b"), "hill": ("top", "half", "s")}
"""Curve kinds and the names of their parameters."""

OBJECTIVES: dict[str, str] = {
    "leads": "Лиды",
    "sales": "Продажи",
    "revenue": "Выручка",
    "clicks": "Клики",
    "reach": "Охват",
}
"""What the curves predict, with the Russian label used in display tables."""

STATUS_RU: dict[str, str] = {"min": "на минимуме", "max": "на максимуме", "interior": "внутри границ"}
"""Russian labels of a channel's position against its bounds at the optimum."""

Number = Any  # scalar, numpy array or pandas Series


# --- response curves ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseCurve:
    """Predicted result of one channel as a function of its spend (see the module docstring for the kinds)."""

    channel: str
    kind: str
    params: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Аргумент «kind» должен быть одним из: {', '.join(KINDS)}; получено «{self.kind}».")
        names = KINDS[self.kind]
        if set(self.params) != set(names):
            raise ValueError(f"Аргумент «params» для кривой «{self.kind}» должен содержать ровно: {', '.join(names)}.")
        values = {name: float(self.params[name]) for name in names}
        if not all(np.isfinite(v) and v > 0 for v in values.values()):
            raise ValueError("Все параметры кривой отклика («params») должны быть конечными и больше нуля.")
        if self.kind == "power" and values["b"] > 1:
            raise ValueError("Параметр «b» степенной кривой должен лежать в (0, 1]: отдача не может расти.")
        object.__setattr__(self, "params", values)

    @property
    def concave(self) -> bool:
        """True when every next unit of spend buys no more than the previous one (power; Hill with s ≤ 1)."""
        return self.kind == "power" or self.params["s"] <= 1

    def predict(self, spend: Number) -> Number:
        """Result at ``spend``: a·spend^b (power) or top·spend^s / (half^s + spend^s) (hill).

        >>> ResponseCurve("vk", "power", {"a": 10, "b": 0.5}).predict(400)
        200.0
        >>> ResponseCurve("ig", "hill", {"top": 100, "half": 50, "s": 1}).predict([0, 50, 150])
        array([ 0., 50., 75.])
        """
        x = _spend_array(spend)
        p = self.params
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if self.kind == "power":
                out = p["a"] * x ** p["b"]
            else:
                out = p["top"] / (1.0 + (p["half"] / x) ** p["s"])
                out = np.where(x == 0, 0.0, out)
        return _like(out, spend)

    def marginal(self, spend: Number) -> Number:
        """Marginal result d result / d spend: a·b·spend^(b−1) or top·s·half^s·spend^(s−1) / (half^s + spend^s)².

        >>> ResponseCurve("vk", "power", {"a": 10, "b": 0.5}).marginal(400)
        0.25
        >>> ResponseCurve("ig", "hill", {"top": 100, "half": 50, "s": 1}).marginal(50)
        0.5
        """
        x = _spend_array(spend)
        p = self.params
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if self.kind == "power":
                out = p["a"] * p["b"] * x ** (p["b"] - 1.0)
            else:
                hs, xs = p["half"] ** p["s"], x ** p["s"]
                out = p["top"] * p["s"] * hs * x ** (p["s"] - 1.0) / (hs + xs) ** 2
        return _like(out, spend)


def _spend_array(spend: Number) -> np.ndarray:
    try:
        x = np.asarray(spend, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("Аргумент «spend» должен быть числом или набором чисел.") from None
    if np.any(x < 0):
        raise ValueError("Аргумент «spend» не может быть отрицательным.")
    return x


def _like(out: np.ndarray, template: Number) -> Number:
    if isinstance(template, pd.Series):
        return pd.Series(out, index=template.index, name=template.name)
    return float(out) if np.ndim(out) == 0 else out


# --- fitting --------------------------------------------------------------------------------------------------


def fit_response_curve(spend: Number, result: Number, kind: str = "power", channel: str = "") -> ResponseCurve:
    """Fit a response curve to observed (spend, result) pairs, e.g. daily ad spend and leads.

    ``power`` is fitted by least squares in log space, log r = log a + b·log x with b bounded to (0, 1]
    (``scipy.optimize.lsq_linear``); pairs with a zero spend or result have no logarithm and are skipped.
    ``hill`` is fitted by ``scipy.optimize.curve_fit`` on all pairs (spend and result rescaled internally).

    >>> x = np.array([100.0, 400.0, 900.0, 1600.0])
    >>> curve = fit_response_curve(x, 3 * x ** 0.5, channel="vk")
    >>> round(curve.params["a"], 6), round(curve.params["b"], 6)
    (3.0, 0.5)
    """
    if kind not in KINDS:
        raise ValueError(f"Аргумент «kind» должен быть одним из: {', '.join(KINDS)}; получено «{kind}».")
    x, y = _observations(spend, "spend"), _observations(result, "result")
    if x.shape != y.shape:
        raise ValueError(f"Аргументы «spend» и «result» разной длины: {x.size} и {y.size}.")
    if x.size < 3:
        raise ValueError(f"Для подбора кривой нужно не меньше 3 наблюдений, а в «spend» их {x.size}.")
    if kind == "power":
        return ResponseCurve(channel, "power", _fit_power(x, y))
    return ResponseCurve(channel, "hill", _fit_hill(x, y))


def fit_response_curves(
    data: pd.DataFrame,
    spend: str = "spend",
    result: str = "leads",
    channel: str = "channel",
    kind: str = "power",
) -> list[ResponseCurve]:
    """Fit one curve per channel of a table with one row per channel and day (columns: channel, spend, result)."""
    for column in (channel, spend, result):
        if column not in data.columns:
            raise ValueError(f"В таблице нет столбца «{column}».")
    groups = data.groupby(channel, sort=True, observed=True)
    return [fit_response_curve(g[spend], g[result], kind, str(name)) for name, g in groups]


def _observations(values: Number, name: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"Аргумент «{name}» должен быть набором чисел.") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"В аргументе «{name}» есть пропуски или бесконечности.")
    if np.any(arr < 0):
        raise ValueError(f"Аргумент «{name}» не может содержать отрицательных значений.")
    return arr


def _fit_power(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    keep = (x > 0) & (y > 0)
    if keep.sum() < 3:
        raise ValueError("Для степенной кривой нужно не меньше 3 наблюдений с «spend» > 0 и «result» > 0.")
    if np.ptp(x[keep]) == 0:
        raise ValueError("Все значения «spend» одинаковы: по ним нельзя оценить отдачу от бюджета.")
    design = np.column_stack([np.ones(keep.sum()), np.log(x[keep])])
    fit = lsq_linear(design, np.log(y[keep]), bounds=([-np.inf, 1e-9], [np.inf, 1.0]))
    return {"a": float(np.exp(fit.x[0])), "b": float(fit.x[1])}


def _hill(x: np.ndarray, top: float, half: float, s: float) -> np.ndarray:
    with np.errstate(divide="ignore", over="ignore"):
        return np.where(x == 0, 0.0, top / (1.0 + (half / np.where(x == 0, 1.0, x)) ** s))


def _fit_hill(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    if np.unique(x).size < 3:
        raise ValueError("Для кривой Хилла нужно не меньше 3 разных значений «spend».")
    if y.max() == 0:
        raise ValueError("Все значения «result» равны нулю: кривую отклика подобрать нельзя.")
    x_scale, y_scale = x[x > 0].mean(), y.max()
    try:
        params, _ = curve_fit(
            _hill,
            x / x_scale,
            y / y_scale,
            p0=(1.2, 1.0, 1.0),
            bounds=([1e-9, 1e-9, 0.05], [np.inf, np.inf, 10.0]),
            maxfev=20_000,
        )
    except RuntimeError:
        raise ValueError('Не удалось подобрать кривую Хилла: попробуйте «kind»="power" или больше данных.') from None
    top, half, s = params
    return {"top": float(top * y_scale), "half": float(half * x_scale), "s": float(s)}


# --- optimal budget split -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Allocation:
    """An optimal budget split; Series are indexed by channel.

    ``marginal`` is the extra result per extra unit of spend at the optimum (equal across ``interior`` channels),
    ``cpa`` the average cost per result spend / result (for ``revenue`` this is ДРР as a fraction).
    """

    spend: pd.Series
    result: pd.Series
    total: float
    marginal: pd.Series
    cpa: pd.Series
    status: pd.Series
    budget: float
    unspent: float
    objective: str

    @property
    def marginal_cpa(self) -> pd.Series:
        """Marginal CPA = 1 / marginal result: the price of one more result in each channel."""
        with np.errstate(divide="ignore"):
            return (1.0 / self.marginal).rename("marginal_cpa")

    def table(self) -> pd.DataFrame:
        """The allocation as a display table with Russian column labels."""
        label = OBJECTIVES[self.objective]
        out = pd.DataFrame(
            {
                "Бюджет": self.spend,
                label: self.result,
                "Цена результата": self.cpa,
                "Маржинальный результат на 1 ед. бюджета": self.marginal,
                "Маржинальная цена результата": self.marginal_cpa,
                "Положение": self.status.map(STATUS_RU),
            }
        )
        out.index.name = "Канал"
        return out


def allocate_budget(
    curves: Sequence[ResponseCurve] | Mapping[str, ResponseCurve],
    budget: float,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    objective: str = "leads",
) -> Allocation:
    """Split ``budget`` between channels to maximise Σ predicted result under per-channel (min, max) bounds.

    Σ spend = budget unless every channel's maximum together is below the budget: then each channel gets its
    maximum and the rest is reported as ``unspent``. Channels missing from ``bounds`` get (0, budget).

    Two channels with result = 10·√x and 20·√x share 100: equal marginals 5/√x₁ = 10/√x₂ give x₂ = 4·x₁,
    so x₁ = 20 and x₂ = 80.

    >>> vk = ResponseCurve("vk", "power", {"a": 10, "b": 0.5})
    >>> ig = ResponseCurve("ig", "power", {"a": 20, "b": 0.5})
    >>> plan = allocate_budget([vk, ig], 100)
    >>> plan.spend.round(4).to_dict()
    {'vk': 20.0, 'ig': 80.0}
    """
    channels, fns = _curve_list(curves)
    if objective not in OBJECTIVES:
        raise ValueError(f"Аргумент «objective» должен быть одним из: {', '.join(OBJECTIVES)}; получено «{objective}».")
    budget = _budget_value(budget)
    lo, hi = _bounds_arrays(channels, bounds, budget)
    if lo.sum() > budget * (1 + 1e-12):
        raise ValueError(f"Аргумент «budget» ({budget:g}) меньше суммы минимумов из «bounds» ({lo.sum():g}).")
    if hi.sum() <= budget:
        spend = hi.copy()
    else:
        spend = _solve_split(fns, lo, hi, budget)
    return _allocation(channels, fns, spend, lo, hi, budget, objective)


def _curve_list(curves: Sequence[ResponseCurve] | Mapping[str, ResponseCurve]) -> tuple[list[str], list[ResponseCurve]]:
    if isinstance(curves, Mapping):
        pairs = [(str(name), curve) for name, curve in curves.items()]
    else:
        pairs = [(getattr(curve, "channel", ""), curve) for curve in curves]
    if not pairs:
        raise ValueError("Аргумент «curves» пуст: нужна хотя бы одна кривая отклика.")
    for name, curve in pairs:
        if not isinstance(curve, ResponseCurve):
            raise ValueError("Аргумент «curves» должен содержать объекты ResponseCurve.")
        if not name:
            raise ValueError("У каждой кривой в «curves» должно быть имя канала («channel»).")
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        raise ValueError("В «curves» каналы повторяются: у каждого канала должна быть одна кривая.")
    return names, [curve for _, curve in pairs]


def _budget_value(budget: float) -> float:
    try:
        value = float(budget)
    except (TypeError, ValueError):
        raise ValueError("Аргумент «budget» должен быть числом.") from None
    if not np.isfinite(value):
        raise ValueError("Аргумент «budget» должен быть конечным числом.")
    if value < 0:
        raise ValueError("Аргумент «budget» не может быть отрицательным.")
    return value


def _bounds_arrays(
    channels: list[str], bounds: Mapping[str, tuple[float, float]] | None, budget: float
) -> tuple[np.ndarray, np.ndarray]:
    bounds = dict(bounds or {})
    unknown = [name for name in bounds if name not in channels]
    if unknown:
        raise ValueError(f"В «bounds» есть канал «{unknown[0]}», для которого нет кривой отклика в «curves».")
    lo, hi = np.zeros(len(channels)), np.full(len(channels), budget)
    for i, name in enumerate(channels):
        if name not in bounds:
            continue
        try:
            low, high = (float(v) for v in bounds[name])
        except (TypeError, ValueError):
            raise ValueError(f"В «bounds» для канала «{name}» нужна пара чисел (минимум, максимум).") from None
        if np.isnan(low) or np.isnan(high) or low < 0:
            raise ValueError(f"В «bounds» для канала «{name}» границы должны быть числами не меньше нуля.")
        if low > high:
            raise ValueError(f"В «bounds» для канала «{name}» минимум ({low:g}) больше максимума ({high:g}).")
        lo[i], hi[i] = low, min(high, max(budget, low))
    return lo, hi


def _solve_split(curves: list[ResponseCurve], lo: np.ndarray, hi: np.ndarray, budget: float) -> np.ndarray:
    """Optimal spend per channel for Σ x = budget, lo ≤ x ≤ hi (equal marginals if concave, else SLSQP)."""
    if lo.sum() >= budget:
        return lo.copy()
    if all(c.concave for c in curves):
        return _equal_marginals(curves, lo, hi, budget)
    return _slsqp_split(curves, lo, hi, budget)


def _equal_marginals(curves: list[ResponseCurve], lo: np.ndarray, hi: np.ndarray, budget: float) -> np.ndarray:
    """Find the common marginal λ at which the channels' wanted spends add up to the budget (``brentq``).

    For concave curves this is the exact optimum (KKT): channel i spends where r_i'(x) = λ, or sits at a bound
    whose marginal is already below λ (at min) or still above it (at max).
    """

    def excess(log_lam: float) -> float:
        lam = np.exp(log_lam)
        return sum(_spend_at(c, lam, a, b) for c, a, b in zip(curves, lo, hi, strict=True)) - budget

    low = np.log(min(c.marginal(b) for c, b in zip(curves, hi, strict=True))) - 1e-9
    high = low + 1.0
    while excess(high) > 0 and high < 700:
        high += 2 * (high - low)
    log_lam = brentq(excess, low, min(high, 700.0), xtol=1e-14, rtol=1e-15, maxiter=500)
    lam = float(np.exp(log_lam))
    spend = np.array([_spend_at(c, lam, a, b) for c, a, b in zip(curves, lo, hi, strict=True)])
    # The rest of the budget (tiny, from the root's tolerance) goes where spend reacts to λ: to linear channels
    # whose constant marginal is λ (they take any amount), else to interior channels in proportion to dx/dlog λ.
    tie = np.array([_linear(c) and np.isclose(c.params["a"] * c.params["b"], lam, rtol=1e-9) for c in curves])
    if tie.any():
        spend[tie] = lo[tie]
        room = hi[tie] - lo[tie]
        rest = np.clip(budget - spend.sum(), 0.0, room.sum())
        spend[tie] += rest * room / room.sum() if room.sum() > 0 else 0.0
        return spend
    inside = (spend > lo) & (spend < hi)
    weight = np.array([x / _elasticity(c, x) if ok else 0.0 for c, x, ok in zip(curves, spend, inside, strict=True)])
    if weight.sum() > 0:
        spend = spend + (budget - spend.sum()) * weight / weight.sum()
    return np.clip(spend, lo, hi)


def _linear(curve: ResponseCurve) -> bool:
    """A power curve with b = 1 (to 1e-9): its marginal is the constant a·b."""
    return curve.kind == "power" and curve.params["b"] > 1 - 1e-9


def _elasticity(curve: ResponseCurve, x: float) -> float:
    """−d log r'(x) / d log x: 1 − b (power); (1 − s) + 2s·x^s / (half^s + x^s) (hill)."""
    p = curve.params
    if curve.kind == "power":
        return 1.0 - p["b"]
    share = 1.0 / (1.0 + (p["half"] / x) ** p["s"])
    return (1.0 - p["s"]) + 2.0 * p["s"] * share


def _spend_at(curve: ResponseCurve, lam: float, lo: float, hi: float) -> float:
    """The spend in [lo, hi] at which the curve's marginal equals ``lam`` (a bound if it never does)."""
    p = curve.params
    if _linear(curve):
        return hi if p["a"] * p["b"] > lam else lo
    if curve.marginal(lo) <= lam:
        return lo
    if curve.marginal(hi) > lam:
        return hi
    if curve.kind == "power":
        return float(np.clip((lam / (p["a"] * p["b"])) ** (1.0 / (p["b"] - 1.0)), lo, hi))
    left = max(lo, hi * 1e-30)
    if curve.marginal(left) <= lam:
        return lo
    return float(
        np.exp(
            brentq(
                lambda t: np.log(curve.marginal(np.exp(t)) / lam),
                np.log(left),
                np.log(hi),
                xtol=1e-14,
                rtol=1e-15,
                maxiter=500,
            )
        )
    )


def _slsqp_split(curves: list[ResponseCurve], lo: np.ndarray, hi: np.ndarray, budget: float) -> np.ndarray:
    """Maximise Σ r_i(x_i) with SLSQP on spend shares of the budget, from several starts (S-shaped curves)."""
    zlo, zhi = lo / budget, hi / budget
    scale = max(sum(c.predict(budget / len(curves)) for c in curves), 1e-12)

    def neg_total(z: np.ndarray) -> float:
        return -sum(c.predict(x) for c, x in zip(curves, np.maximum(z, 0.0) * budget, strict=True)) / scale

    def neg_gradient(z: np.ndarray) -> np.ndarray:  # the floor keeps an infinite marginal at 0 out of the gradient
        spend = np.maximum(z, 1e-12) * budget
        return -np.array([c.marginal(x) for c, x in zip(curves, spend, strict=True)]) * budget / scale

    constraint = {"type": "eq", "fun": lambda z: z.sum() - 1.0, "jac": lambda z: np.ones_like(z)}
    starts = [_fill(zlo, zhi, zhi - zlo)] + [_fill(zlo, zhi, np.eye(len(curves))[i] + 1e-3) for i in range(len(curves))]
    best: OptimizeResult | None = None
    for z0 in starts:
        res = minimize(
            neg_total,
            z0,
            jac=neg_gradient,
            method="SLSQP",
            bounds=list(zip(zlo, zhi, strict=True)),
            constraints=[constraint],
            options={"ftol": 1e-14, "maxiter": 1000},
        )
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    return _repair(np.clip(best.x, zlo, zhi), zlo, zhi) * budget


def _fill(zlo: np.ndarray, zhi: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """A feasible start: minimums plus the rest of the budget spread by ``weights``, capped by the maximums."""
    z = zlo.copy()
    for _ in range(len(z) + 1):
        rest, room = 1.0 - z.sum(), zhi - z
        open_ = room > 1e-15
        if rest <= 1e-15 or not open_.any():
            break
        w = np.where(open_, weights, 0.0)
        w = w / w.sum() if w.sum() > 0 else open_ / open_.sum()
        z = np.minimum(z + rest * w, zhi)
    return z


def _repair(z: np.ndarray, zlo: np.ndarray, zhi: np.ndarray) -> np.ndarray:
    """Remove the solver's tiny budget residual on channels that still have room, so Σ shares = 1 exactly."""
    gap = 1.0 - z.sum()
    room = zhi - z if gap > 0 else z - zlo
    if gap == 0 or room.sum() <= 0:
        return z
    return z + gap * room / room.sum()


def _allocation(
    channels: list[str],
    curves: list[ResponseCurve],
    spend: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    budget: float,
    objective: str,
) -> Allocation:
    index = pd.Index(channels, name="channel")
    result = np.array([c.predict(x) for c, x in zip(curves, spend, strict=True)])
    marginal = np.array([c.marginal(x) for c, x in zip(curves, spend, strict=True)])
    with np.errstate(divide="ignore", invalid="ignore"):
        cpa = np.where(result > 0, spend / np.where(result > 0, result, 1.0), np.nan)
    tol = 1e-7 * max(budget, 1.0)
    status = np.where(spend <= lo + tol, "min", np.where(spend >= hi - tol, "max", "interior"))
    return Allocation(
        spend=pd.Series(spend, index=index, name="spend"),
        result=pd.Series(result, index=index, name="result"),
        total=float(result.sum()),
        marginal=pd.Series(marginal, index=index, name="marginal"),
        cpa=pd.Series(cpa, index=index, name="cpa"),
        status=pd.Series(status, index=index, name="status", dtype=object),
        budget=budget,
        unspent=float(max(budget - spend.sum(), 0.0)),
        objective=objective,
    )


# --- reach goals: cost per target contact ---------------------------------------------------------------------


def allocate_by_cost_per_contact(
    costs: Mapping[str, float] | pd.Series,
    reach_caps: Mapping[str, float] | pd.Series,
    budget: float,
    target_share: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """Buy the most target contacts for ``budget``: cost per target contact = cost per contact / target share.

    ``costs``: price of one contact per channel (spend / reach); ``reach_caps``: most contacts a channel can
    deliver; ``target_share``: share of a channel's contacts in the target audience (default 1). The optimum of
    the LP max Σ share_i·c_i s.t. Σ cost_i·c_i ≤ budget, 0 ≤ c_i ≤ cap_i: channels are bought cheapest target
    contact first, each up to its cap (``seeding_plan.buy_cheapest_first``, ``whole=False``). Returns one row per
    channel, cheapest target contact first: cost_per_contact, target_share, cost_per_target_contact, contacts,
    target_contacts, spend.

    >>> costs, caps, shares = {"tg": 2.0, "vk": 1.0}, {"tg": 1000, "vk": 300}, {"tg": 0.8, "vk": 0.25}
    >>> out = allocate_by_cost_per_contact(costs, caps, 1000, shares)
    >>> out[["contacts", "spend"]].round(6).to_dict("index")
    {'tg': {'contacts': 500.0, 'spend': 1000.0}, 'vk': {'contacts': 0.0, 'spend': 0.0}}
    """
    budget = _budget_value(budget)
    cost = _channel_series(costs, "costs")
    caps = _channel_series(reach_caps, "reach_caps").reindex(cost.index)
    if caps.isna().any() or len(caps) != len(_channel_series(reach_caps, "reach_caps")):
        raise ValueError("Аргументы «costs» и «reach_caps» должны описывать одни и те же каналы.")
    share = pd.Series(1.0, index=cost.index) if target_share is None else _shares(target_share, cost.index)
    if (cost <= 0).any():
        raise ValueError("Аргумент «costs» должен содержать цены больше нуля.")
    per_target = cost / share
    contacts = buy_cheapest_first(caps * cost, per_target, budget, whole=False) * caps.to_numpy()
    out = pd.DataFrame(
        {
            "cost_per_contact": cost,
            "target_share": share,
            "cost_per_target_contact": per_target,
            "contacts": contacts,
            "target_contacts": contacts * share,
            "spend": contacts * cost,
        }
    )
    out.index.name = "channel"
    return out.sort_values("cost_per_target_contact", kind="stable")


def _channel_series(values: Mapping[str, float] | pd.Series | Iterable[Any], name: str) -> pd.Series:
    try:
        series = pd.Series(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"Аргумент «{name}» должен сопоставлять каналам числа.") from None
    if series.empty:
        raise ValueError(f"Аргумент «{name}» пуст: нужен хотя бы один канал.")
    if not np.all(np.isfinite(series.to_numpy())):
        raise ValueError(f"В аргументе «{name}» есть пропуски или бесконечности.")
    if (series < 0).any():
        raise ValueError(f"Аргумент «{name}» не может содержать отрицательных значений.")
    series.index = series.index.astype(str)
    return series


def _shares(values: Mapping[str, float] | pd.Series, index: pd.Index) -> pd.Series:
    share = _channel_series(values, "target_share")
    unknown = [name for name in share.index if name not in index]
    if unknown:
        raise ValueError(f"В «target_share» есть канал «{unknown[0]}», которого нет в «costs».")
    share = share.reindex(index, fill_value=1.0)
    if ((share <= 0) | (share > 1)).any():
        raise ValueError("Аргумент «target_share» должен содержать доли в (0, 1].")
    return share
