"""Tests of smmkit.analysis.abtest: hand-computed values, agreement with statsmodels/scipy, invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import integrate, special, stats
from statsmodels.stats.proportion import proportions_ztest

from smmkit.analysis.abtest import (
    ABResult,
    prob_b_beats_a,
    sample_size_per_arm,
    summarize_ab,
    ztest_two_proportions,
)


@st.composite
def arms(draw: st.DrawFn, max_n: int = 5000) -> tuple[int, int, int, int]:
    """(conv_a, n_a, conv_b, n_b) with 1 <= n and 0 <= conv <= n."""
    n_a = draw(st.integers(1, max_n))
    n_b = draw(st.integers(1, max_n))
    return draw(st.integers(0, n_a)), n_a, draw(st.integers(0, n_b)), n_b


def hand_z(conv_a: int, n_a: int, conv_b: int, n_b: int) -> float:
    """The pooled z of the module docstring, written out."""
    p_a, p_b = conv_a / n_a, conv_b / n_b
    pooled = (conv_a + conv_b) / (n_a + n_b)
    return (p_b - p_a) / math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))


# -------------------------------------------------------------------------------------------------- z-test


def test_ztest_hand_computed_200_of_2000_vs_250_of_2000() -> None:
    # p_a = 200/2000 = 0.100, p_b = 250/2000 = 0.125, diff = 0.025, relative lift = 0.025/0.1 = 0.25
    # p̄ = 450/4000 = 0.1125; p̄(1 − p̄) = 0.1125 · 0.8875 = 0.09984375
    # SE = √(0.09984375 · (1/2000 + 1/2000)) = √0.00009984375 = 0.0099921844
    # z = 0.025 / 0.0099921844 = 2.501955
    # p (two-sided) = 2 · (1 − Φ(2.501955)) = 0.012351
    # Wald: SE = √(0.1·0.9/2000 + 0.125·0.875/2000) = √(0.000045 + 0.0000546875) = √0.0000996875 = 0.0099843627
    # CI = 0.025 ± 1.959964 · 0.0099843627 = 0.025 ± 0.0195690 → (0.0054310, 0.0445690)
    r = ztest_two_proportions(200, 2000, 250, 2000)
    assert isinstance(r, ABResult)
    assert r.p_a == pytest.approx(0.1) and r.p_b == pytest.approx(0.125)
    assert r.diff == pytest.approx(0.025)
    assert r.relative_lift == pytest.approx(0.25)
    assert r.z == pytest.approx(2.501955, abs=1e-6)
    assert r.p_value == pytest.approx(0.012351, abs=1e-6)
    assert r.ci_low == pytest.approx(0.0054310, abs=1e-6)
    assert r.ci_high == pytest.approx(0.0445690, abs=1e-6)
    assert r.significant and r.alpha == 0.05 and r.alternative == "two-sided"


def test_ztest_one_sided_and_alpha() -> None:
    # "larger" (B > A): p = 1 − Φ(2.501955) = 0.0061755, half of the two-sided p; "smaller": 1 − 0.0061755
    larger = ztest_two_proportions(200, 2000, 250, 2000, alternative="larger")
    smaller = ztest_two_proportions(200, 2000, 250, 2000, alternative="smaller")
    assert larger.p_value == pytest.approx(0.0061755, abs=1e-6)
    assert smaller.p_value == pytest.approx(1 - 0.0061755, abs=1e-6)
    assert larger.significant and not smaller.significant
    # at alpha = 0.01 the two-sided p = 0.0124 is not significant, and the CI is wider (99 %)
    strict = ztest_two_proportions(200, 2000, 250, 2000, alpha=0.01)
    assert not strict.significant
    assert strict.ci_low < 0.0054310 and strict.ci_high > 0.0445690


def test_ztest_nobody_converted_gives_nan_not_error() -> None:
    # p̄ = 0, so p̄(1 − p̄) = 0: z = 0/0 → NaN, never significant
    r = ztest_two_proportions(0, 100, 0, 100)
    assert math.isnan(r.z) and math.isnan(r.p_value) and not r.significant
    assert math.isnan(r.relative_lift)
    assert r.ci_low == 0 and r.ci_high == 0


@settings(max_examples=80, deadline=None)
@given(arms())
def test_ztest_agrees_with_hand_formula_and_statsmodels(counts: tuple[int, int, int, int]) -> None:
    conv_a, n_a, conv_b, n_b = counts
    pooled = (conv_a + conv_b) / (n_a + n_b)
    assume(0 < pooled < 1)
    r = ztest_two_proportions(*counts)
    z = hand_z(*counts)
    assert r.z == pytest.approx(z, rel=1e-9, abs=1e-9)
    assert r.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-7, abs=1e-12)
    sm_z, sm_p = proportions_ztest([conv_b, conv_a], [n_b, n_a])
    assert r.z == pytest.approx(sm_z) and r.p_value == pytest.approx(sm_p)
    assert r.ci_low <= r.diff <= r.ci_high


@settings(max_examples=80, deadline=None)
@given(arms())
def test_ztest_symmetric_when_arms_swap(counts: tuple[int, int, int, int]) -> None:
    conv_a, n_a, conv_b, n_b = counts
    assume(0 < (conv_a + conv_b) / (n_a + n_b) < 1)
    ab = ztest_two_proportions(conv_a, n_a, conv_b, n_b)
    ba = ztest_two_proportions(conv_b, n_b, conv_a, n_a)
    assert ba.z == pytest.approx(-ab.z, abs=1e-12)
    assert ba.p_value == pytest.approx(ab.p_value, rel=1e-12, abs=1e-15)
    assert ba.diff == pytest.approx(-ab.diff, abs=1e-15)
    assert ba.ci_low == pytest.approx(-ab.ci_high, abs=1e-12)
    assert ba.significant == ab.significant


@pytest.mark.parametrize(
    ("args", "kwargs", "fragment"),
    [
        ((300, 200, 10, 200), {}, "«conv_a» не может быть больше «n_a»"),
        ((10, 200, 300, 200), {}, "«conv_b» не может быть больше «n_b»"),
        ((-1, 200, 10, 200), {}, "«conv_a» не может быть отрицательным"),
        ((10, -5, 10, 200), {}, "«n_a» не может быть отрицательным"),
        ((0, 0, 10, 200), {}, "«n_a» должен быть больше нуля"),
        ((10, 200, 0, 0), {}, "«n_b» должен быть больше нуля"),
        ((10.5, 200, 10, 200), {}, "«conv_a» должен быть целым"),
        (("10", 200, 10, 200), {}, "«conv_a» должен быть целым"),
        ((10, 200, 20, 200), {"alternative": "greater"}, "«alternative» должен быть одним из"),
        ((10, 200, 20, 200), {"alpha": 1.5}, "«alpha»"),
    ],
)
def test_ztest_russian_errors(args: tuple, kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        ztest_two_proportions(*args, **kwargs)


def test_ztest_accepts_numpy_and_integral_floats() -> None:
    # sums from pandas arrive as numpy ints or floats like 200.0
    r = ztest_two_proportions(np.int64(200), 2000.0, 250, np.int64(2000))
    assert r.z == pytest.approx(2.501955, abs=1e-6)


# ----------------------------------------------------------------------------------------------- sample size


def test_sample_size_classic_example_10_to_12_percent() -> None:
    # p₀ = 0.10 → p₁ = 0.12, α = 0.05 two-sided, power 0.8:
    # h = 2·asin√0.12 − 2·asin√0.10 = 2·0.3537 − 2·0.3218 = 0.063982
    # n = 2·(1.959964 + 0.841621)² / h² = 2·7.848879 / 0.0040937 = 3834.6 → 3835
    assert sample_size_per_arm(0.10, 0.02) == 3835
    # textbook (Fleiss, unpooled-pooled) formula gives 3841: n = (z_α/2·√(2p̄q̄) + z_β·√(p₀q₀ + p₁q₁))² / δ²
    za, zb, pbar = stats.norm.ppf(0.975), stats.norm.ppf(0.8), 0.11
    fleiss = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(0.1 * 0.9 + 0.12 * 0.88)) ** 2 / 0.02**2
    assert math.ceil(fleiss) == 3841
    assert sample_size_per_arm(0.10, 0.02) == pytest.approx(fleiss, rel=0.01)
    # the same test written as a relative MDE: +20 % of 10 %
    assert sample_size_per_arm(0.10, 0.20, relative=True) == 3835


def test_sample_size_rule_of_thumb_16_pq_over_delta_squared() -> None:
    # n ≈ 16·p(1 − p)/δ² = 16 · 0.1 · 0.9 / 0.01² = 14 400; statsmodels: 14 745 (2.4 % above)
    assert sample_size_per_arm(0.10, 0.01) == 14745
    assert sample_size_per_arm(0.10, 0.01) == pytest.approx(16 * 0.1 * 0.9 / 0.01**2, rel=0.05)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.02, 0.6), st.floats(0.02, 0.15))
def test_sample_size_close_to_rule_of_thumb(p_base: float, rel_mde: float) -> None:
    delta = p_base * rel_mde  # small effects, where the rule of thumb is meant to hold
    n = sample_size_per_arm(p_base, delta)
    rule = 16 * p_base * (1 - p_base) / delta**2
    assert n == pytest.approx(rule, rel=0.12)
    assert sample_size_per_arm(p_base, delta / 2) > n  # a smaller effect needs more users


def test_sample_size_more_power_or_stricter_alpha_needs_more_users() -> None:
    base = sample_size_per_arm(0.05, 0.01)
    assert sample_size_per_arm(0.05, 0.01, power=0.9) > base
    assert sample_size_per_arm(0.05, 0.01, alpha=0.01) > base


@pytest.mark.parametrize(
    ("args", "kwargs", "fragment"),
    [
        ((0.0, 0.01), {}, "«p_base» должен быть в промежутке"),
        ((1.0, 0.01), {}, "«p_base» должен быть в промежутке"),
        ((-0.1, 0.01), {}, "«p_base»"),
        ((0.1, 0.0), {}, "«mde» должен быть больше нуля"),
        ((0.1, -0.02), {}, "«mde» должен быть больше нуля"),
        ((0.9, 0.2), {}, "«mde» слишком велик"),
        ((0.5, 1.0), {"relative": True}, "«mde» слишком велик"),
        ((0.1, 0.02), {"power": 1.2}, "«power»"),
        ((0.1, 0.02), {"alpha": 0}, "«alpha»"),
    ],
)
def test_sample_size_russian_errors(args: tuple, kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        sample_size_per_arm(*args, **kwargs)


# ---------------------------------------------------------------------------------------------- Bayesian


def exact_prob_b_beats_a(conv_a: int, n_a: int, conv_b: int, n_b: int, prior: tuple[float, float] = (1, 1)) -> float:
    """P(p_B > p_A) = ∫ f_B(x)·F_A(x) dx by numerical integration of the Beta posteriors."""
    a, b = prior
    post_a = stats.beta(a + conv_a, b + n_a - conv_a)
    post_b = stats.beta(a + conv_b, b + n_b - conv_b)
    low = min(post_a.ppf(1e-12), post_b.ppf(1e-12))
    high = max(post_a.isf(1e-12), post_b.isf(1e-12))
    points = [post_a.mean(), post_b.mean()]
    value, _ = integrate.quad(lambda x: post_b.pdf(x) * post_a.cdf(x), low, high, points=points, limit=200)
    return value


def closed_form_prob_b_beats_a(conv_a: int, n_a: int, conv_b: int, n_b: int) -> float:
    """Evan Miller's exact sum for integer Beta parameters (flat prior):
    P = Σ_{i=0}^{α_B−1} B(α_A + i, β_A + β_B) / ((β_B + i) · B(1 + i, β_B) · B(α_A, β_A)).
    """
    alpha_a, beta_a, alpha_b, beta_b = 1 + conv_a, 1 + n_a - conv_a, 1 + conv_b, 1 + n_b - conv_b
    i = np.arange(alpha_b)
    log_terms = (
        special.betaln(alpha_a + i, beta_a + beta_b)
        - np.log(beta_b + i)
        - special.betaln(1 + i, beta_b)
        - special.betaln(alpha_a, beta_a)
    )
    return float(np.exp(log_terms).sum())


def test_integration_and_closed_form_agree() -> None:
    for counts in [(200, 2000, 250, 2000), (1, 2, 2, 2), (0, 1, 7, 800), (40, 300, 35, 310)]:
        assert exact_prob_b_beats_a(*counts) == pytest.approx(closed_form_prob_b_beats_a(*counts), abs=1e-8)


def test_prob_b_beats_a_matches_integration_for_200_vs_250() -> None:
    # posteriors Beta(201, 1801) and Beta(251, 1751); ∫ f_B·F_A = 0.99390; MC error ≤ 0.5/√200000 = 0.0011
    exact = exact_prob_b_beats_a(200, 2000, 250, 2000)
    assert exact == pytest.approx(0.9939, abs=5e-4)
    assert prob_b_beats_a(200, 2000, 250, 2000) == pytest.approx(exact, abs=0.005)


def test_prob_b_beats_a_equal_data_is_a_coin_flip_and_seeded() -> None:
    assert prob_b_beats_a(30, 1000, 30, 1000) == pytest.approx(0.5, abs=0.005)
    assert prob_b_beats_a(30, 1000, 40, 1000, seed=7) == prob_b_beats_a(30, 1000, 40, 1000, seed=7)


def test_prob_b_beats_a_prior_matters_on_small_samples() -> None:
    # 1/2 vs 2/2: flat prior → Beta(2,2) vs Beta(3,1); a strong prior Beta(50, 50) pulls both to 0.5
    flat = prob_b_beats_a(1, 2, 2, 2)
    strong = prob_b_beats_a(1, 2, 2, 2, prior=(50, 50))
    assert flat == pytest.approx(exact_prob_b_beats_a(1, 2, 2, 2), abs=0.005)
    assert strong == pytest.approx(exact_prob_b_beats_a(1, 2, 2, 2, prior=(50, 50)), abs=0.005)
    assert 0.5 < strong < flat


@settings(max_examples=50, deadline=None)
@given(arms(max_n=800))
def test_prob_b_beats_a_within_monte_carlo_error_and_complementary(counts: tuple[int, int, int, int]) -> None:
    conv_a, n_a, conv_b, n_b = counts
    b_wins = prob_b_beats_a(*counts, draws=50_000, seed=1)
    a_wins = prob_b_beats_a(conv_b, n_b, conv_a, n_a, draws=50_000, seed=2)
    # 5 standard errors of the two independent estimates: 5 · √2 · 0.5/√50000 ≈ 0.016
    assert b_wins + a_wins == pytest.approx(1, abs=0.016)
    assert b_wins == pytest.approx(closed_form_prob_b_beats_a(*counts), abs=0.012)


@settings(max_examples=50, deadline=None)
@given(st.integers(500, 5000), st.floats(0.02, 0.3))
def test_prob_b_beats_a_above_half_when_b_clearly_better(n: int, rate: float) -> None:
    # B's rate is A's + 5 standard errors of the difference
    se = math.sqrt(2 * rate * (1 - rate) / n)
    conv_a, conv_b = round(rate * n), min(n, round((rate + 5 * se) * n))
    assert prob_b_beats_a(conv_a, n, conv_b, n, draws=20_000) > 0.5
    assert prob_b_beats_a(conv_b, n, conv_a, n, draws=20_000) < 0.5


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"conv_a": 11}, "«conv_a» не может быть больше «n_a»"),
        ({"n_b": 0}, "«n_b» должен быть больше нуля"),
        ({"prior": (0, 1)}, "«prior»"),
        ({"prior": (1, 1, 1)}, "«prior»"),
        ({"draws": 0}, "«draws»"),
    ],
)
def test_prob_b_beats_a_russian_errors(kwargs: dict, fragment: str) -> None:
    args = {"conv_a": 5, "n_a": 10, "conv_b": 6, "n_b": 10} | kwargs
    with pytest.raises(ValueError, match=fragment):
        prob_b_beats_a(**args)


# ----------------------------------------------------------------------------------------------- summarize


def test_summarize_ab_hand_computed_and_feeds_the_z_test() -> None:
    # A: 4 users, 1 converted → 0.25; B: 5 users, 3 converted → 0.6
    users = pd.DataFrame(
        {
            "user_id": range(9),
            "group": ["A", "B", "A", "B", "A", "B", "A", "B", "B"],
            "converted": [0, 1, 0, 1, 1, 0, 0, 1, 0],
        }
    )
    table = summarize_ab(users)
    assert table.index.tolist() == ["A", "B"]
    assert table["n"].tolist() == [4, 5]
    assert table["conversions"].tolist() == [1, 3]
    assert table["rate"].tolist() == pytest.approx([0.25, 0.6])
    a, b = table.loc["A"], table.loc["B"]
    r = ztest_two_proportions(a["conversions"], a["n"], b["conversions"], b["n"])
    assert r.z == pytest.approx(hand_z(1, 4, 3, 5))


def test_summarize_ab_public_dataset_shape_with_bools() -> None:
    # faviovaz marketing A/B: "test group" ad/psa, converted True/False
    users = pd.DataFrame({"test group": ["ad", "psa", "ad", "ad"], "converted": [True, False, False, True]})
    table = summarize_ab(users, group="test group")
    assert table.loc["ad", "rate"] == pytest.approx(2 / 3)
    assert table.loc["psa", "conversions"] == 0


@pytest.mark.parametrize(
    ("frame", "kwargs", "fragment"),
    [
        (pd.DataFrame({"variant": ["A"], "converted": [1]}), {}, "нет столбца «group»"),
        (pd.DataFrame({"group": ["A"], "bought": [1]}), {}, "нет столбца «converted»"),
        (pd.DataFrame({"group": ["A", "B"], "converted": [1, 2]}), {}, "«converted» должен содержать только 0 и 1"),
        (pd.DataFrame({"group": ["A", None], "converted": [1, 0]}), {}, "«group» есть пропуски"),
    ],
)
def test_summarize_ab_russian_errors(frame: pd.DataFrame, kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        summarize_ab(frame, **kwargs)
