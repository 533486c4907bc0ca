"""smmkit.metrics: every formula by hand, shapes in = shapes out, invariants, and the Russian error messages."""

from __future__ import annotations

import inspect
import math
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit import metrics
from smmkit.curriculum.standard import load_standard
from smmkit.metrics import (
    cac,
    cost_per_contact,
    cpa,
    cpc,
    cpm,
    cr,
    ctr,
    drr,
    er,
    er_by_followers,
    er_by_reach,
    er_by_views,
    er_day,
    er_period,
    frequency,
    like_rate,
    ltv,
    net_sentiment,
    nps,
    reach_rate,
    retention,
    roas,
    roi,
    romi,
    share_of_voice,
    tg_view_rate,
)

PUBLIC = [getattr(metrics, name) for name in metrics.__all__ if callable(getattr(metrics, name))]

# Functions that return one value per row: (function, the arguments that are divided by zero to give NaN).
ELEMENTWISE: list[Callable[..., Any]] = [f for f in PUBLIC if f not in (er_period, nps)]

# a / b rates with the denominator as the second argument.
SIMPLE_RATIOS = [
    er, er_by_followers, er_by_reach, er_by_views, er_day, like_rate, reach_rate, tg_view_rate,
    ctr, cpc, cpa, cr, frequency, roas, drr, cac, retention,
]  # fmt: skip

# Arguments that may legitimately be negative (a loss), or have their own range check.
MAY_BE_NEGATIVE = {"gain", "gross_profit"}
OWN_RANGE = {"target_share", "gross_margin"}


def arg_names(func: Callable[..., Any]) -> list[str]:
    """Names of the numeric arguments (method/target_share defaults excluded)."""
    return [p.name for p in inspect.signature(func).parameters.values() if p.default is inspect.Parameter.empty]


def ones(func: Callable[..., Any], **override: Any) -> dict[str, Any]:
    """Valid keyword arguments (all 1, gross_margin 0.5), with some replaced."""
    kwargs = {name: 0.5 if name == "gross_margin" else 1 for name in arg_names(func)}
    return {**kwargs, **override}


def same(a: float, b: float) -> bool:
    """Equal within float noise, NaN equal to NaN."""
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# --- hand-computed values ------------------------------------------------------------------------------

HAND = [
    (er, (50, 1000), 0.05),  # 50 / 1000
    (er_by_followers, (120, 4000), 0.03),  # 120 / 4000
    (er_by_reach, (30, 600), 0.05),  # 30 / 600
    (er_by_views, (45, 1500), 0.03),  # 45 / 1500
    (er_day, (404, 10_100), 0.04),  # 404 / 10 100
    (like_rate, (80, 4000), 0.02),  # 80 / 4000
    (reach_rate, (1500, 10_000), 0.15),  # 1500 / 10 000
    (tg_view_rate, (3600, 12_000), 0.3),  # 3600 / 12 000
    (ctr, (25, 1000), 0.025),  # 25 / 1000
    (cpm, (15_000, 50_000), 300.0),  # 15 000 / 50 000 × 1000 = 0.3 × 1000
    (cpc, (15_000, 120), 125.0),  # 15 000 / 120
    (cpa, (15_000, 6), 2500.0),  # 15 000 / 6
    (cr, (6, 120), 0.05),  # 6 / 120
    (frequency, (50_000, 20_000), 2.5),  # 50 000 / 20 000
    (cost_per_contact, (40_000, 20_000), 2.0),  # 40 000 / (20 000 × 1)
    (cost_per_contact, (40_000, 20_000, 0.25), 8.0),  # 40 000 / (20 000 × 0.25) = 40 000 / 5 000
    (roas, (60_000, 15_000), 4.0),  # 60 000 / 15 000
    (drr, (15_000, 60_000), 0.25),  # 15 000 / 60 000 = 1 / 4
    (roi, (130_000, 100_000), 0.3),  # (130 000 − 100 000) / 100 000
    (roi, (60_000, 100_000), -0.4),  # (60 000 − 100 000) / 100 000
    (roi, (-20_000, 100_000), -1.2),  # (−20 000 − 100 000) / 100 000: a loss on top of the cost
    (romi, (45_000, 15_000), 2.0),  # (45 000 − 15 000) / 15 000
    (romi, (-5_000, 15_000), -4 / 3),  # (−5 000 − 15 000) / 15 000 = −20 000 / 15 000
    (cac, (250_000, 50), 5000.0),  # 250 000 / 50
    (ltv, (8_000, 3, 0.4, 2), 19_200.0),  # 8 000 × 3 × 0.4 × 2 = 24 000 × 0.8
    (ltv, (8_000, 3, 0.0, 2), 0.0),  # zero margin, zero value
    (share_of_voice, (300, 900), 0.25),  # 300 / (300 + 900)
    (net_sentiment, (120, 30, 400), 0.225),  # (120 − 30) / 400 = 90 / 400
    (net_sentiment, (10, 50, 100), -0.4),  # (10 − 50) / 100
    (retention, (45, 180), 0.25),  # 45 / 180
]


@pytest.mark.parametrize(("func", "args", "expected"), HAND, ids=[f"{f.__name__}{a}" for f, a, _ in HAND])
def test_hand_computed(func: Callable[..., Any], args: tuple, expected: float) -> None:
    result = func(*args)
    assert isinstance(result, float)
    assert result == pytest.approx(expected, rel=1e-12)


def test_er_day_per_day_and_period_mean() -> None:
    # day 1: 300 / 10 000 = 0.03; day 2 no posts: 0 / 10 000 = 0; day 3: 404 / 10 100 = 0.04
    daily = er_day(pd.Series([300, 0, 404]), pd.Series([10_000, 10_000, 10_100]))
    assert daily.tolist() == pytest.approx([0.03, 0.0, 0.04])
    assert daily.mean() == pytest.approx((0.03 + 0.0 + 0.04) / 3)  # the period's ER day


def test_er_period_methods() -> None:
    interactions, reach = [10, 30, 2], [100, 200, 100]  # per post 0.10, 0.15, 0.02
    assert er_period(interactions, reach) == pytest.approx(0.105)  # (10 + 30 + 2) / (100 + 200 + 100) = 42 / 400
    assert er_period(interactions, reach, method="pooled") == pytest.approx(0.105)
    assert er_period(interactions, reach, method="mean") == pytest.approx(0.09)  # (0.10 + 0.15 + 0.02) / 3
    assert er_period(interactions, reach, method="median") == pytest.approx(0.10)  # middle of 0.02, 0.10, 0.15
    # one base for every post: pooled = Σ interactions / (n × base) = 42 / 300
    assert er_period(interactions, 100) == pytest.approx(0.14)
    assert isinstance(er_period(pd.Series(interactions), pd.Series(reach)), float)


def test_er_period_missing_and_empty() -> None:
    assert math.isnan(er_period([], []))
    assert math.isnan(er_period([1, 2], [0, 0]))  # Σ bases = 0
    assert math.isnan(er_period([1, 2], [0, 4], method="mean"))  # the first post has no base
    assert math.isnan(er_period([1, np.nan], [4, 4], method="median"))
    assert er_period([1, 2], [0, 4]) == pytest.approx(0.75)  # pooled: 3 / 4, the zero-base post still counts


def test_nps_by_hand() -> None:
    # 10, 9, 9, 10, 9 → 5 promoters; 8, 7 passives; 6, 3, 2 → 3 detractors; 10 answers: 50 % − 30 % = 20
    assert nps([10, 9, 9, 8, 7, 6, 3, 10, 2, 9]) == 20.0
    assert nps([10] * 4) == 100.0
    assert nps([0, 6, 6]) == -100.0
    assert nps([7, 8]) == 0.0  # only passives
    assert nps([9, 6, 8]) == pytest.approx(0.0)  # 1/3 − 1/3
    assert nps(np.array([9.0, 10.0, 5.0])) == pytest.approx(100 / 3)  # 2/3 − 1/3 = 33.3 points
    assert isinstance(nps(pd.Series([9, 10], dtype="Int64")), float)


def test_nps_missing_and_empty() -> None:
    assert math.isnan(nps([]))
    assert math.isnan(nps(pd.Series([9, None, 10], dtype="Int64")))
    assert nps(pd.Series([9, None, 10], dtype="Int64").dropna()) == 100.0


def test_tg_view_rate_is_not_er_by_reach() -> None:
    # a Telegram channel: 12 000 subscribers, a post with 3 600 views and 90 forwards+reactions+comments
    assert tg_view_rate(3_600, 12_000) == pytest.approx(0.30)  # TGStat «ERR 30 %»
    assert er_by_views(90, 3_600) == pytest.approx(0.025)  # TGStat «ER 2.5 %»
    assert "ERR" in tg_view_rate.__doc__ and "er_by_reach" in tg_view_rate.__doc__


# --- shapes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("func", ELEMENTWISE, ids=lambda f: f.__name__)
def test_shapes_scalar_array_series(func: Callable[..., Any]) -> None:
    names = arg_names(func)
    scalar = ones(func)
    assert isinstance(func(**scalar), float)

    arrays = {name: np.full(3, value, dtype=float) for name, value in scalar.items()}
    out = func(**arrays)
    assert isinstance(out, np.ndarray) and out.shape == (3,) and out.dtype == float

    lists = {name: [value] * 3 for name, value in scalar.items()}
    assert isinstance(func(**lists), np.ndarray)

    index = pd.Index(["a", "b", "c"], name="post_id")
    series = {name: pd.Series(values, index=index) for name, values in arrays.items()}
    out = func(**series)
    assert isinstance(out, pd.Series) and out.index.equals(index) and out.dtype == float
    np.testing.assert_allclose(out.to_numpy(), func(**arrays))

    # a Series among scalars, in any position, sets the output index
    last = names[-1]
    out = func(**{**scalar, last: series[last]})
    assert isinstance(out, pd.Series) and out.index.equals(index)


@pytest.mark.parametrize("func", SIMPLE_RATIOS, ids=lambda f: f.__name__)
def test_nullable_int64_with_na(func: Callable[..., Any]) -> None:
    num = pd.Series([30, pd.NA, 10, 0], dtype="Int64", index=[10, 20, 30, 40])
    den = pd.Series([600, 100, pd.NA, 0], dtype="Float64", index=[10, 20, 30, 40])
    out = func(num, den)
    assert out.dtype == float and out.index.equals(num.index)
    assert out.iloc[0] == pytest.approx(0.05)  # 30 / 600
    assert out.iloc[1:].isna().all()  # NA numerator, NA denominator, 0 / 0


def test_object_series_with_none_and_series_not_mutated() -> None:
    clicks = pd.Series([5, None, 7], dtype=object)
    impressions = pd.Series([100, 100, 0])
    before = impressions.copy()
    out = ctr(clicks, impressions)
    assert out.iloc[0] == 0.05 and out.iloc[1:].isna().all()
    pd.testing.assert_series_equal(impressions, before)


def test_series_and_ndarray_mix_keeps_series_index() -> None:
    out = reach_rate(np.array([150, 300]), pd.Series([1000, 1000], index=[7, 9]))
    assert out.index.tolist() == [7, 9] and out.tolist() == [0.15, 0.3]


def test_zero_denominator_gives_nan_elementwise() -> None:
    out = ctr(np.array([1, 0, 5]), np.array([0, 0, 50]))
    assert np.isnan(out[:2]).all() and out[2] == 0.1
    assert math.isnan(cost_per_contact(100, 0, 0.5))
    assert math.isnan(share_of_voice(0, 0))
    assert math.isnan(net_sentiment(1, 1, 0))
    assert math.isnan(roi(5, 0)) and math.isnan(romi(-5, 0))


def test_nan_inputs_propagate() -> None:
    assert math.isnan(er(np.nan, 10)) and math.isnan(er(10, np.nan)) and math.isnan(er(None, 10))
    assert math.isnan(ltv(np.nan, 1, 0.5, 1)) and math.isnan(ltv(1, 1, np.nan, 1))
    assert math.isnan(cost_per_contact(10, 10, np.nan))
    assert math.isnan(roi(np.nan, 10))


@pytest.mark.parametrize("func", [*ELEMENTWISE, er_period], ids=lambda f: f.__name__)
def test_no_warnings_on_zero_denominators(func: Callable[..., Any]) -> None:
    names = arg_names(func)
    zeros = {name: np.array([0.0, 1.0, np.nan, 0.0]) for name in names}
    if "gross_margin" in zeros:
        zeros["gross_margin"] = np.array([0.0, 0.5, np.nan, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        func(**zeros)
        func(**{name: 0 for name in names}) if func is not ltv else ltv(0, 0, 0, 0)
        func(**{name: pd.Series(values) for name, values in zeros.items()})
        if func is er_period:
            for method in metrics.ER_PERIOD_METHODS:
                er_period([], [], method=method)
                er_period([1, 0], [0, 0], method=method)


def test_nps_no_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nps([])
        nps(pd.Series([10, None], dtype="Int64"))


# --- invariants (hypothesis) ---------------------------------------------------------------------------

# counts and money: zero, or at least 0.001 (subnormal floats would break the float arithmetic, not the formulas)
counts = st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1e9))
positive = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False)
scales = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False)


@pytest.mark.parametrize("func", [*SIMPLE_RATIOS, cpm, share_of_voice], ids=lambda f: f.__name__)
@settings(max_examples=60, deadline=None)
@given(num=counts, den=counts, k=scales)
def test_rates_do_not_change_when_both_scale(func: Callable[..., Any], num: float, den: float, k: float) -> None:
    assert same(func(num * k, den * k), func(num, den))


@settings(max_examples=60, deadline=None)
@given(g=st.one_of(counts, counts.map(lambda x: -x)), c=counts, k=scales)
def test_roi_romi_scale_free(g: float, c: float, k: float) -> None:
    assert same(roi(g * k, c * k), roi(g, c))
    assert same(romi(g * k, c * k), romi(g, c))


@settings(max_examples=60, deadline=None)
@given(p=counts, n=counts, extra=counts, k=scales)
def test_net_sentiment_scale_free_and_bounded(p: float, n: float, extra: float, k: float) -> None:
    total = p + n + extra
    assert same(net_sentiment(p * k, n * k, total * k), net_sentiment(p, n, total))
    value = net_sentiment(p, n, total)
    assert math.isnan(value) or -1 - 1e-12 <= value <= 1 + 1e-12


@settings(max_examples=60, deadline=None)
@given(s=counts, r=counts, share=st.floats(min_value=1e-3, max_value=1.0), k=scales)
def test_cost_per_contact_scale_free(s: float, r: float, share: float, k: float) -> None:
    assert same(cost_per_contact(s * k, r * k, share), cost_per_contact(s, r, share))


@pytest.mark.parametrize("func", [*SIMPLE_RATIOS, cpm], ids=lambda f: f.__name__)
@settings(max_examples=50, deadline=None)
@given(num=counts)
def test_zero_base_gives_nan(func: Callable[..., Any], num: float) -> None:
    assert math.isnan(func(num, 0))
    assert np.isnan(func(np.array([num, num]), np.array([0, 0]))).all()


@settings(max_examples=50, deadline=None)
@given(s=counts, r=counts)
def test_zero_base_gives_nan_other_shapes(s: float, r: float) -> None:
    assert math.isnan(cost_per_contact(s, 0, 0.3))
    assert math.isnan(net_sentiment(s, r, 0))
    assert math.isnan(roi(s, 0)) and math.isnan(romi(-s, 0))


@settings(max_examples=100, deadline=None)
@given(revenue=positive, spend=positive)
def test_drr_is_inverse_of_roas(revenue: float, spend: float) -> None:
    assert drr(spend, revenue) == pytest.approx(1 / roas(revenue, spend), rel=1e-12)


@settings(max_examples=100, deadline=None)
@given(scores=st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=200))
def test_nps_bounds_and_formula(scores: list[int]) -> None:
    value = nps(scores)
    assert -100.0 <= value <= 100.0
    promoters = sum(s >= 9 for s in scores) / len(scores)
    detractors = sum(s <= 6 for s in scores) / len(scores)
    assert value == pytest.approx(100 * (promoters - detractors))


@settings(max_examples=50, deadline=None)
@given(n=st.integers(min_value=1, max_value=500))
def test_nps_all_tens_is_100(n: int) -> None:
    assert nps([10] * n) == 100.0
    assert nps(pd.Series([10] * n, dtype="Int64")) == 100.0


posts = st.lists(st.tuples(counts, positive), min_size=1, max_size=50)


@settings(max_examples=100, deadline=None)
@given(rows=posts)
def test_er_period_pooled_is_ratio_of_sums(rows: list[tuple[float, float]]) -> None:
    interactions, bases = (list(col) for col in zip(*rows, strict=True))
    assert er_period(interactions, bases) == pytest.approx(sum(interactions) / sum(bases), rel=1e-9)
    ratios = [i / b for i, b in rows]
    assert er_period(interactions, bases, "mean") == pytest.approx(sum(ratios) / len(ratios), rel=1e-9)
    assert min(ratios) - 1e-12 <= er_period(interactions, bases, "median") <= max(ratios) + 1e-12


@settings(max_examples=60, deadline=None)
@given(aov=counts, freq=st.floats(0, 100), margin=st.floats(0, 1), life=st.floats(0, 50))
def test_ltv_is_product(aov: float, freq: float, margin: float, life: float) -> None:
    assert ltv(aov, freq, margin, life) == pytest.approx(aov * freq * margin * life, rel=1e-12)


# --- Russian error messages ----------------------------------------------------------------------------

NEGATIVE_CASES = [
    (func, name)
    for func in [*ELEMENTWISE, er_period]
    for name in arg_names(func)
    if name not in MAY_BE_NEGATIVE | OWN_RANGE
]


@pytest.mark.parametrize(("func", "name"), NEGATIVE_CASES, ids=[f"{f.__name__}-{n}" for f, n in NEGATIVE_CASES])
def test_negative_count_is_refused(func: Callable[..., Any], name: str) -> None:
    with pytest.raises(ValueError, match=f"«{name}» не может быть отрицательным"):
        func(**ones(func, **{name: -1}))
    with pytest.raises(ValueError, match=f"«{name}» не может быть отрицательным"):
        func(**ones(func, **{name: np.array([1.0, np.nan, -0.5])}))


def test_negative_gain_and_gross_profit_are_allowed() -> None:
    assert roi(-1, 1) == -2.0  # (−1 − 1) / 1
    assert romi(np.array([-3.0]), np.array([1.0]))[0] == -4.0  # (−3 − 1) / 1


NON_NUMERIC = ["12", pd.Series(["a", "b"]), [1, "a"], np.array(["2026-03-01"], dtype="datetime64[D]"), 1 + 2j]


@pytest.mark.parametrize("func", [*ELEMENTWISE, er_period, nps], ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad", NON_NUMERIC)
def test_non_numeric_is_refused(func: Callable[..., Any], bad: Any) -> None:
    first = arg_names(func)[0]
    with pytest.raises(ValueError, match=f"«{first}» должен быть числом или набором чисел"):
        func(**ones(func, **{first: bad}))


def test_dataframe_is_refused() -> None:
    with pytest.raises(ValueError, match="«clicks» — целая таблица"):
        ctr(pd.DataFrame({"clicks": [1]}), 10)


MULTI = [f for f in [*ELEMENTWISE, er_period] if len(arg_names(f)) > 1]


@pytest.mark.parametrize("func", MULTI, ids=lambda f: f.__name__)
def test_mismatched_lengths_are_refused(func: Callable[..., Any]) -> None:
    names = arg_names(func)
    kwargs = ones(func, **{names[0]: [1, 1]}, **{name: [0.5, 0.5, 0.5] for name in names[1:]})
    with pytest.raises(ValueError, match=f"«{names[0]}» и «{names[1]}» разной длины: 2 и 3"):
        func(**kwargs)


def test_series_with_different_indexes_are_refused() -> None:
    with pytest.raises(ValueError, match="«clicks» и «impressions» разные индексы"):
        ctr(pd.Series([1, 2], index=[0, 1]), pd.Series([10, 20], index=[1, 2]))


def test_bad_er_period_method() -> None:
    with pytest.raises(ValueError, match=re.escape("«method» должен быть одним из: «pooled», «mean», «median»")):
        er_period([1], [10], method="average")


@pytest.mark.parametrize("share", [0, -0.1, 1.5, 25, np.array([0.5, 0.0])])
def test_target_share_out_of_range(share: Any) -> None:
    with pytest.raises(ValueError, match="«target_share» — доля целевой аудитории"):
        cost_per_contact(np.array([100.0, 100.0]), np.array([10, 10]), share)


def test_target_share_of_one_is_allowed() -> None:
    assert cost_per_contact(100, 10, 1) == 10.0


@pytest.mark.parametrize("margin", [40, -0.1, 1.01])
def test_gross_margin_out_of_range(margin: float) -> None:
    with pytest.raises(ValueError, match="«gross_margin» — доля от 0 до 1"):
        ltv(8_000, 3, margin, 2)


@pytest.mark.parametrize("scores", [[9, 11], [-1, 10], [9.5], [np.inf]])
def test_nps_bad_scores(scores: list[float]) -> None:
    with pytest.raises(ValueError, match="«scores»: оценка NPS — целое число от 0 до 10"):
        nps(scores)


@pytest.mark.parametrize("scores", [9, [[9, 10], [0, 1]]])
def test_nps_needs_one_dimension(scores: Any) -> None:
    with pytest.raises(ValueError, match="«scores» должен быть одномерным"):
        nps(scores)


# --- documentation -------------------------------------------------------------------------------------


def test_every_public_function_has_formula_and_doctest() -> None:
    assert len(PUBLIC) == 26
    for func in PUBLIC:
        doc = inspect.getdoc(func) or ""
        assert "=" in doc.splitlines()[0], func.__name__
        assert ">>>" in doc, func.__name__


def test_module_table_lists_every_function_and_real_standard_ids() -> None:
    doc = metrics.__doc__ or ""
    table = {line.split()[0] for line in doc.splitlines() if line.startswith("    ") and line.split()}
    assert {f.__name__ for f in PUBLIC} <= table
    standard = load_standard()
    ids = set(re.findall(r"\b(?:GL|M6|A4)-[A-Za-z0-9-]*[A-Za-z0-9]", doc))
    assert {"GL-er", "GL-ctr", "GL-roas", "GL-roi", "GL-romi", "GL-kpi"} <= ids
    assert all(id_ in standard for id_ in ids), sorted(i for i in ids if i not in standard)
