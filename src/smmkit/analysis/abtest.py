"""A/B tests of creatives and landing pages: two-proportion z-test, sample size, Bayesian P(B > A).

Group A is the control, B the variant; every difference is B − A. Conversion rates are fractions.
Per-user tables (for :func:`summarize_ab`) have the shape of public A/B datasets: ``user_id``, ``group``
(A/B, or any labels), ``converted`` (0/1 or bool).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize, proportions_ztest

ALTERNATIVES = ("two-sided", "larger", "smaller")
"""Alternative hypotheses: B ≠ A, B > A ("larger"), B < A ("smaller")."""


@dataclass(frozen=True)
class ABResult:
    """Result of a two-proportion z-test; ``diff`` and the confidence interval are for p_b − p_a."""

    p_a: float
    p_b: float
    diff: float
    relative_lift: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    significant: bool
    alpha: float
    alternative: str


# ---------------------------------------------------------------------------------------------- validation


def _count(value: Any, name: str) -> int:
    """A whole, non-negative number of users or conversions."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"Аргумент «{name}» должен быть целым числом.")
    if not math.isfinite(value) or value != int(value):
        raise ValueError(f"Аргумент «{name}» должен быть целым числом.")
    if value < 0:
        raise ValueError(f"Аргумент «{name}» не может быть отрицательным.")
    return int(value)


def _arm(conv: Any, n: Any, conv_name: str, n_name: str) -> tuple[int, int]:
    conversions, users = _count(conv, conv_name), _count(n, n_name)
    if users == 0:
        raise ValueError(f"Аргумент «{n_name}» должен быть больше нуля.")
    if conversions > users:
        raise ValueError(f"Аргумент «{conv_name}» не может быть больше «{n_name}».")
    return conversions, users


def _probability(value: Any, name: str) -> float:
    """A number strictly between 0 and 1 (alpha, power, base rate)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not 0 < value < 1:
        raise ValueError(f"Аргумент «{name}» должен быть в промежутке (0, 1).")
    return float(value)


# ----------------------------------------------------------------------------------------------------- tests


def ztest_two_proportions(
    conv_a: int,
    n_a: int,
    conv_b: int,
    n_b: int,
    alternative: str = "two-sided",
    alpha: float = 0.05,
) -> ABResult:
    """Pooled two-proportion z-test: z = (p_b − p_a) / √(p̄(1 − p̄)(1/n_a + 1/n_b)), p̄ = (conv_a + conv_b)/(n_a + n_b).

    ``alternative``: "two-sided" (B ≠ A), "larger" (B > A) or "smaller" (B < A). The confidence interval for
    p_b − p_a is the two-sided Wald interval at level 1 − alpha (95 % by default):
    diff ± z₁₋α/₂ · √(p_a(1 − p_a)/n_a + p_b(1 − p_b)/n_b). ``relative_lift`` = diff / p_a (NaN if p_a = 0).
    When nobody or everybody converted, p̄(1 − p̄) = 0 and z, p_value are NaN (not significant).

    >>> r = ztest_two_proportions(200, 2000, 250, 2000)
    >>> round(r.z, 3), round(r.p_value, 4), r.significant
    (2.502, 0.0124, True)
    >>> round(r.ci_low, 4), round(r.ci_high, 4), round(r.relative_lift, 2)
    (0.0054, 0.0446, 0.25)
    """
    conv_a, n_a = _arm(conv_a, n_a, "conv_a", "n_a")
    conv_b, n_b = _arm(conv_b, n_b, "conv_b", "n_b")
    if alternative not in ALTERNATIVES:
        raise ValueError(f"Аргумент «alternative» должен быть одним из: {', '.join(ALTERNATIVES)}.")
    alpha = _probability(alpha, "alpha")
    p_a, p_b = conv_a / n_a, conv_b / n_b
    with np.errstate(divide="ignore", invalid="ignore"):
        z, p_value = proportions_ztest([conv_b, conv_a], [n_b, n_a], alternative=alternative)
        ci_low, ci_high = confint_proportions_2indep(
            conv_b, n_b, conv_a, n_a, method="wald", compare="diff", alpha=alpha
        )
    z, p_value = float(z), float(p_value)
    return ABResult(
        p_a=p_a,
        p_b=p_b,
        diff=p_b - p_a,
        relative_lift=(p_b - p_a) / p_a if p_a > 0 else math.nan,
        z=z,
        p_value=p_value,
        ci_low=float(ci_low),
        ci_high=float(ci_high),
        significant=bool(p_value < alpha),  # NaN < alpha is False
        alpha=alpha,
        alternative=alternative,
    )


def sample_size_per_arm(
    p_base: float,
    mde: float,
    alpha: float = 0.05,
    power: float = 0.8,
    relative: bool = False,
) -> int:
    """Users per arm to detect p_base → p_base + mde (two-sided): n = 2(z₁₋α/₂ + z_power)² / h², rounded up.

    h is Cohen's effect size 2·asin√p₁ − 2·asin√p₀ (statsmodels ``proportion_effectsize``), and the power
    equation is solved by ``NormalIndPower().solve_power``. With ``relative=True``, ``mde`` is a share of the
    base rate: p₁ = p_base · (1 + mde). Rule of thumb (α = 0.05, power 0.8): n ≈ 16·p(1 − p)/δ², δ = p₁ − p₀.

    >>> sample_size_per_arm(0.10, 0.02)
    3835
    >>> sample_size_per_arm(0.10, 0.20, relative=True)
    3835
    """
    p_base = _probability(p_base, "p_base")
    if isinstance(mde, bool) or not isinstance(mde, (int, float, np.number)) or not mde > 0:
        raise ValueError("Аргумент «mde» должен быть больше нуля.")
    alpha, power = _probability(alpha, "alpha"), _probability(power, "power")
    p_new = p_base * (1 + mde) if relative else p_base + mde
    if p_new >= 1:
        raise ValueError("Аргумент «mde» слишком велик: ожидаемая конверсия варианта B должна быть меньше 1.")
    effect = proportion_effectsize(p_new, p_base)
    n = NormalIndPower().solve_power(effect_size=effect, alpha=alpha, power=power, ratio=1.0)
    return math.ceil(round(float(n), 9))


def prob_b_beats_a(
    conv_a: int,
    n_a: int,
    conv_b: int,
    n_b: int,
    prior: tuple[float, float] = (1, 1),
    draws: int = 200_000,
    seed: int = 0,
) -> float:
    """P(p_B > p_A) with Beta(a + conv, b + n − conv) posteriors, by Monte Carlo (``draws`` pairs, seeded).

    The Monte Carlo standard error is at most 0.5/√draws (about 0.0011 for 200 000 draws).

    >>> round(prob_b_beats_a(200, 2000, 250, 2000), 2)
    0.99
    """
    conv_a, n_a = _arm(conv_a, n_a, "conv_a", "n_a")
    conv_b, n_b = _arm(conv_b, n_b, "conv_b", "n_b")
    if len(prior) != 2 or not all(isinstance(x, (int, float, np.number)) and x > 0 for x in prior):
        raise ValueError("Аргумент «prior» должен быть парой положительных чисел (a, b).")
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError("Аргумент «draws» должен быть целым числом не меньше 1.")
    a, b = prior
    rng = np.random.default_rng(seed)
    sample_a = rng.beta(a + conv_a, b + n_a - conv_a, size=draws)
    sample_b = rng.beta(a + conv_b, b + n_b - conv_b, size=draws)
    return float(np.mean(sample_b > sample_a))


def summarize_ab(df: pd.DataFrame, group: str = "group", converted: str = "converted") -> pd.DataFrame:
    """Per group of a per-user table: n (users), conversions (Σ converted) and rate = conversions / n.

    >>> users = pd.DataFrame({"user_id": range(5), "group": ["A", "A", "B", "B", "B"],
    ...                       "converted": [0, 1, 1, 1, 0]})
    >>> summarize_ab(users).round(3).reset_index()
      group  n  conversions   rate
    0     A  2            1  0.500
    1     B  3            2  0.667
    """
    for column in (group, converted):
        if column not in df.columns:
            raise ValueError(f"В таблице «df» нет столбца «{column}».")
    if df[group].isna().any():
        raise ValueError(f"В столбце «{group}» есть пропуски.")
    outcome = df[converted]
    if outcome.isna().any() or not outcome.isin([0, 1]).all():
        raise ValueError(f"Столбец «{converted}» должен содержать только 0 и 1 (или False и True).")
    grouped = outcome.astype(int).groupby(df[group], sort=True)
    table = pd.DataFrame({"n": grouped.size(), "conversions": grouped.sum()})
    table["rate"] = table["conversions"] / table["n"]
    table.index.name = group
    return table
