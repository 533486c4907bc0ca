"""Budget allocation: response curves, their fit, the optimal split and the split by cost per target contact."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from smmkit.analysis.budget import (
    Allocation,
    ResponseCurve,
    allocate_budget,
    allocate_by_cost_per_contact,
    fit_response_curve,
    fit_response_curves,
)
from smmkit.analysis.seeding_plan import buy_cheapest_first

VK = ResponseCurve("vk", "power", {"a": 10, "b": 0.5})  # 10·√x, marginal 5/√x
IG = ResponseCurve("ig", "power", {"a": 20, "b": 0.5})  # 20·√x, marginal 10/√x


# --- curves ---------------------------------------------------------------------------------------------------


def test_power_curve_values() -> None:
    # 10·√400 = 200; marginal 10·0.5·400^(−0.5) = 5/20 = 0.25
    assert VK.predict(400) == pytest.approx(200.0)
    assert VK.marginal(400) == pytest.approx(0.25)
    assert VK.predict(0) == 0.0
    assert VK.marginal(0) == math.inf  # the first tenge of a b < 1 curve has an infinite return


def test_hill_curve_values() -> None:
    hill = ResponseCurve("ig", "hill", {"top": 100, "half": 50, "s": 2})
    # 100·100²/(50² + 100²) = 100·10000/12500 = 80
    assert hill.predict(100) == pytest.approx(80.0)
    # marginal = top·s·half^s·x^(s−1)/(half^s + x^s)² = 100·2·2500·100/12500² = 50,000,000/156,250,000 = 0.32
    assert hill.marginal(100) == pytest.approx(0.32)
    assert hill.predict(50) == pytest.approx(50.0)  # half the top at «half»
    assert not hill.concave and VK.concave


def test_predict_keeps_the_input_shape() -> None:
    spend = pd.Series([100.0, 400.0], index=["пн", "вт"])
    out = VK.predict(spend)
    assert isinstance(out, pd.Series) and out.index.tolist() == ["пн", "вт"]
    assert out.tolist() == pytest.approx([100.0, 200.0])
    assert VK.predict(np.array([0.0, 4.0])).tolist() == pytest.approx([0.0, 20.0])
    assert isinstance(VK.predict(4), float)


def test_marginal_matches_a_finite_difference() -> None:
    hill = ResponseCurve("x", "hill", {"top": 300, "half": 2000, "s": 0.7})
    for curve in (VK, hill):
        x, h = 1234.5, 1e-3
        numeric = (curve.predict(x + h) - curve.predict(x - h)) / (2 * h)
        assert curve.marginal(x) == pytest.approx(numeric, rel=1e-6)


# --- fitting --------------------------------------------------------------------------------------------------


def test_fit_power_recovers_exact_parameters() -> None:
    spend = np.array([1000.0, 2000.0, 4000.0, 8000.0, 0.0])  # the zero pair has no logarithm and is skipped
    curve = fit_response_curve(spend, 0.8 * spend**0.6, channel="vk")
    assert curve.channel == "vk" and curve.kind == "power"
    assert curve.params["a"] == pytest.approx(0.8, rel=1e-9)
    assert curve.params["b"] == pytest.approx(0.6, rel=1e-9)


def test_fit_power_caps_the_exponent_at_one() -> None:
    spend = np.array([1.0, 2.0, 3.0, 4.0])
    curve = fit_response_curve(spend, spend**2)  # growing returns are not allowed: b is held at 1
    assert curve.params["b"] == pytest.approx(1.0)


def test_fit_hill_recovers_parameters() -> None:
    truth = ResponseCurve("ig", "hill", {"top": 120.0, "half": 30_000.0, "s": 1.8})
    spend = np.linspace(0, 120_000, 25)
    curve = fit_response_curve(spend, truth.predict(spend), kind="hill")
    for name, value in truth.params.items():
        assert curve.params[name] == pytest.approx(value, rel=1e-4)


def test_fit_per_channel_from_a_table() -> None:
    spend = np.array([100.0, 400.0, 900.0])
    table = pd.DataFrame({
        "channel": ["vk"] * 3 + ["ig"] * 3,
        "spend": np.tile(spend, 2),
        "leads": np.concatenate([10 * np.sqrt(spend), 20 * np.sqrt(spend)]),
    })
    curves = {c.channel: c for c in fit_response_curves(table)}
    assert curves["vk"].params["a"] == pytest.approx(10.0) and curves["ig"].params["a"] == pytest.approx(20.0)


# --- optimal split: hand-solved cases ---------------------------------------------------------------------------


def test_two_square_roots_split_by_equal_marginals() -> None:
    # 5/√x₁ = 10/√x₂ → x₂ = 4·x₁; x₁ + x₂ = 100 → x₁ = 20, x₂ = 80.
    # total = 10·√20 + 20·√80 = 44.721 + 178.885 = 223.607 (= √(100·(10² + 20²)) = √50000)
    plan = allocate_budget([VK, IG], 100)
    assert isinstance(plan, Allocation)
    assert plan.spend.to_dict() == pytest.approx({"vk": 20.0, "ig": 80.0}, rel=1e-9)
    assert plan.total == pytest.approx(math.sqrt(50_000), rel=1e-12)
    # common marginal 5/√20 = 1.1180; marginal CPA = 1/1.1180 = 0.8944
    assert plan.marginal.tolist() == pytest.approx([5 / math.sqrt(20)] * 2, rel=1e-9)
    assert plan.marginal_cpa.tolist() == pytest.approx([math.sqrt(20) / 5] * 2, rel=1e-9)
    # average CPA: 20 / 44.721 = 0.4472, 80 / 178.885 = 0.4472 (equal here because both exponents are 0.5)
    assert plan.cpa.tolist() == pytest.approx([20 / (10 * math.sqrt(20)), 80 / (20 * math.sqrt(80))])
    assert plan.status.tolist() == ["interior", "interior"]
    assert plan.unspent == 0.0


def test_square_root_against_a_linear_channel() -> None:
    # r₁ = 4·√x (marginal 2/√x), r₂ = x (marginal 1): 2/√x₁ = 1 → x₁ = 4, x₂ = 10 − 4 = 6; total 4·2 + 6 = 14
    sqrt_ch = ResponseCurve("a", "power", {"a": 4, "b": 0.5})
    linear = ResponseCurve("b", "power", {"a": 1, "b": 1})
    plan = allocate_budget([sqrt_ch, linear], 10)
    assert plan.spend.tolist() == pytest.approx([4.0, 6.0], rel=1e-9)
    assert plan.total == pytest.approx(14.0, rel=1e-12)


def test_hill_against_a_linear_channel() -> None:
    # hill s = 1: marginal 100·10/(10 + x)² = 1 → (10 + x)² = 1000 → x = 10·√10 − 10 = 21.6228; linear gets 28.3772
    hill = ResponseCurve("h", "hill", {"top": 100, "half": 10, "s": 1})
    linear = ResponseCurve("l", "power", {"a": 1, "b": 1})
    plan = allocate_budget({"h": hill, "l": linear}, 50)
    assert plan.spend["h"] == pytest.approx(10 * math.sqrt(10) - 10, rel=1e-9)
    assert plan.spend["l"] == pytest.approx(60 - 10 * math.sqrt(10), rel=1e-9)


def test_a_max_bound_holds_the_better_channel() -> None:
    # ig would take 80 but may take only 50; vk gets the other 50. ig's marginal 10/√50 = 1.414 stays above
    # vk's 5/√50 = 0.707: a held channel does not equalise.
    plan = allocate_budget([VK, IG], 100, bounds={"ig": (0, 50)})
    assert plan.spend.to_dict() == pytest.approx({"vk": 50.0, "ig": 50.0})
    assert plan.status.to_dict() == {"vk": "interior", "ig": "max"}
    assert plan.marginal["ig"] > plan.marginal["vk"]


def test_a_min_bound_forces_spend() -> None:
    plan = allocate_budget([VK, IG], 100, bounds={"vk": (60, 100)})
    assert plan.spend.to_dict() == pytest.approx({"vk": 60.0, "ig": 40.0})
    assert plan.status["vk"] == "min"


def test_budget_above_all_maximums_is_partly_unspent() -> None:
    plan = allocate_budget([VK, IG], 100, bounds={"vk": (0, 30), "ig": (10, 40)})
    assert plan.spend.to_dict() == {"vk": 30.0, "ig": 40.0}
    assert plan.unspent == pytest.approx(30.0)


def test_zero_budget() -> None:
    plan = allocate_budget([VK, IG], 0)
    assert plan.spend.tolist() == [0.0, 0.0] and plan.total == 0.0
    assert plan.cpa.isna().all()


def test_s_shaped_hill_matches_a_grid_search() -> None:
    s_curve = ResponseCurve("s", "hill", {"top": 100, "half": 30, "s": 3})
    sqrt_ch = ResponseCurve("a", "power", {"a": 4, "b": 0.5})
    linear = ResponseCurve("b", "power", {"a": 1, "b": 1})
    plan = allocate_budget([s_curve, sqrt_ch, linear], 60)
    grid = np.linspace(0, 60, 241)
    x, y = np.meshgrid(grid, grid)
    ok = x + y <= 60
    brute = s_curve.predict(x[ok]) + sqrt_ch.predict(y[ok]) + linear.predict(60 - x[ok] - y[ok])
    assert plan.total >= brute.max() - 1e-9
    assert plan.spend.sum() == pytest.approx(60.0)


def test_display_table_is_russian() -> None:
    table = allocate_budget([VK, IG], 100, objective="revenue").table()
    assert table.index.name == "Канал"
    assert list(table.columns) == [
        "Бюджет", "Выручка", "Цена результата", "Маржинальный результат на 1 ед. бюджета",
        "Маржинальная цена результата", "Положение",
    ]
    assert table["Положение"].tolist() == ["внутри границ", "внутри границ"]


# --- optimal split: properties --------------------------------------------------------------------------------


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[ResponseCurve], float, dict[str, tuple[float, float]]]:
    """2–5 concave channels, a budget and bounds whose minimums fit in the budget."""
    budget = draw(st.floats(1.0, 1e6))
    n = draw(st.integers(2, 5))
    curves, bounds = [], {}
    for i in range(n):
        if draw(st.booleans()):
            params = {"a": draw(st.floats(0.5, 50)), "b": draw(st.floats(0.1, 1.0))}
            curves.append(ResponseCurve(f"c{i}", "power", params))
        else:
            params = {"top": draw(st.floats(1, 1e4)), "half": budget * draw(st.floats(0.01, 2)),
                      "s": draw(st.floats(0.3, 1.0))}
            curves.append(ResponseCurve(f"c{i}", "hill", params))
        if draw(st.booleans()):
            low = budget / n * draw(st.floats(0, 0.9))
            bounds[f"c{i}"] = (low, low + budget * draw(st.floats(0.01, 1.0)))
    return curves, budget, bounds


def _random_feasible(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray, budget: float) -> np.ndarray:
    """A random spend vector with lo ≤ x ≤ hi and Σ x = budget (assumes Σ lo ≤ budget ≤ Σ hi)."""
    spend, rest = lo.copy(), budget - lo.sum()
    order = rng.permutation(len(lo))
    for i in order:
        take = min(hi[i] - spend[i], rest * rng.random())
        spend[i] += take
        rest -= take
    for i in order:
        take = min(hi[i] - spend[i], rest)
        spend[i] += take
        rest -= take
    return spend


def _limits(curves: list[ResponseCurve], budget: float, bounds: dict) -> tuple[np.ndarray, np.ndarray]:
    lo = np.array([bounds.get(c.channel, (0, budget))[0] for c in curves])
    hi = np.array([min(bounds.get(c.channel, (0, budget))[1], budget) for c in curves])
    return lo, hi


@settings(max_examples=50, deadline=None)
@given(problems())
def test_allocation_respects_bounds_and_spends_the_budget(problem: tuple) -> None:
    curves, budget, bounds = problem
    plan = allocate_budget(curves, budget, bounds)
    lo, hi = _limits(curves, budget, bounds)
    spend = plan.spend.to_numpy()
    assert np.all(spend >= lo - 1e-9 * budget) and np.all(spend <= hi + 1e-9 * budget)
    assert spend.sum() == pytest.approx(min(budget, hi.sum()), rel=1e-6)
    assert plan.unspent == pytest.approx(max(budget - hi.sum(), 0.0), abs=1e-6 * budget)


@settings(max_examples=50, deadline=None)
@given(problems(), st.integers(0, 2**32 - 1))
def test_allocation_beats_random_feasible_splits(problem: tuple, seed: int) -> None:
    curves, budget, bounds = problem
    lo, hi = _limits(curves, budget, bounds)
    if hi.sum() < budget:
        return
    plan = allocate_budget(curves, budget, bounds)
    rng = np.random.default_rng(seed)
    for _ in range(20):
        spend = _random_feasible(rng, lo, hi, budget)
        other = sum(c.predict(x) for c, x in zip(curves, spend, strict=True))
        assert plan.total >= other * (1 - 1e-9)


@settings(max_examples=60, deadline=None)
@given(problems(), st.floats(0.0, 2.0))
def test_more_budget_never_lowers_the_optimum(problem: tuple, extra: float) -> None:
    curves, budget, bounds = problem
    assert allocate_budget(curves, budget * (1 + extra), bounds).total >= allocate_budget(curves, budget, bounds).total


@settings(max_examples=60, deadline=None)
@given(problems())
def test_interior_channels_have_equal_marginals(problem: tuple) -> None:
    curves, budget, bounds = problem
    plan = allocate_budget(curves, budget, bounds)
    interior = plan.marginal[plan.status == "interior"]
    if len(interior) > 1:
        assert interior.max() == pytest.approx(interior.min(), rel=1e-5)


# --- cost per target contact ----------------------------------------------------------------------------------


def test_cost_per_contact_buys_cheapest_target_contacts_first() -> None:
    # cost per target contact: tg 2/0.8 = 2.5, ig 3/1 = 3, vk 1/0.25 = 4.
    # tg: 300 contacts (cap) × 2 = 600; ig: 200 (cap) × 3 = 600; vk: the rest 1500 − 1200 = 300 → 300 contacts.
    # target contacts: 300·0.8 + 200·1 + 300·0.25 = 240 + 200 + 75 = 515
    out = allocate_by_cost_per_contact(
        {"tg": 2.0, "vk": 1.0, "ig": 3.0}, {"tg": 300, "vk": 1000, "ig": 200}, 1500, {"tg": 0.8, "vk": 0.25}
    )
    assert out.index.tolist() == ["tg", "ig", "vk"]
    assert out["cost_per_target_contact"].tolist() == pytest.approx([2.5, 3.0, 4.0])
    assert out["contacts"].tolist() == pytest.approx([300, 200, 300])
    assert out["spend"].tolist() == pytest.approx([600, 600, 300])
    assert out["target_contacts"].sum() == pytest.approx(515)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.1, 100), st.floats(0, 1e5), st.floats(0.05, 1)), min_size=1, max_size=6),
    st.floats(0, 1e6),
)
def test_cost_per_contact_greedy_is_the_lp_optimum(channels: list, budget: float) -> None:
    """The cheapest-first walk reaches the optimum of the linear programme (solved here by ``linprog``)."""
    names = [f"c{i}" for i in range(len(channels))]
    costs = dict(zip(names, (c for c, _, _ in channels), strict=True))
    caps = dict(zip(names, (cap for _, cap, _ in channels), strict=True))
    shares = dict(zip(names, (s for _, _, s in channels), strict=True))
    out = allocate_by_cost_per_contact(costs, caps, budget, shares)
    assert out["spend"].sum() <= budget * (1 + 1e-9) + 1e-9
    assert np.all(out["contacts"].to_numpy() >= 0)
    assert np.all(out["contacts"].to_numpy() <= out.index.map(caps).to_numpy() + 1e-6)
    lp = linprog(c=[-shares[n] for n in names], A_ub=[[costs[n] for n in names]], b_ub=[budget],
                 bounds=[(0, caps[n]) for n in names], method="highs")
    assert lp.status == 0
    assert out["target_contacts"].sum() == pytest.approx(-lp.fun, rel=1e-7, abs=1e-6)


def test_buy_cheapest_first_whole_and_divisible() -> None:
    price, unit = [60.0, 50.0, 40.0, 10.0, 30.0], [1.0, 2.0, np.nan, 3.0, 4.0]
    assert buy_cheapest_first(price, unit, 100).tolist() == [1, 0, 0, 1, 1]  # b skipped, d and e still fit
    assert buy_cheapest_first(price, unit, 100, whole=False).tolist() == [1, 0.8, 0, 0, 0]  # NaN never bought
    assert buy_cheapest_first(price, unit, 1e9).tolist() == [1, 1, 0, 1, 1]
    with pytest.raises(ValueError, match="«budget»"):
        buy_cheapest_first(price, unit, -1)
    with pytest.raises(ValueError, match="«price» и «unit_cost»"):
        buy_cheapest_first(price, unit[:2], 100)


# --- Russian errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"budget": -1}, "«budget» не может быть отрицательным"),
        ({"budget": 50, "bounds": {"vk": (30, 100), "ig": (30, 100)}}, "меньше суммы минимумов"),
        ({"budget": 100, "bounds": {"vk": (60, 40)}}, "минимум (60) больше максимума (40)"),
        ({"budget": 100, "bounds": {"tiktok": (0, 10)}}, "канал «tiktok»"),
        ({"budget": 100, "bounds": {"vk": (-5, 10)}}, "«bounds» для канала «vk»"),
        ({"budget": 100, "objective": "лиды"}, "«objective»"),
        ({"budget": "много"}, "«budget» должен быть числом"),
    ],
)
def test_allocation_errors_are_russian(kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        allocate_budget([VK, IG], **kwargs)


def test_curve_list_errors() -> None:
    with pytest.raises(ValueError, match="«curves» пуст"):
        allocate_budget([], 10)
    with pytest.raises(ValueError, match="каналы повторяются"):
        allocate_budget([VK, VK], 10)
    with pytest.raises(ValueError, match="имя канала"):
        allocate_budget([ResponseCurve("", "power", {"a": 1, "b": 0.5})], 10)


def test_curve_errors() -> None:
    with pytest.raises(ValueError, match="«kind»"):
        ResponseCurve("vk", "linear", {"a": 1})
    with pytest.raises(ValueError, match="«b»"):
        ResponseCurve("vk", "power", {"a": 1, "b": 1.5})
    with pytest.raises(ValueError, match="«params»"):
        ResponseCurve("vk", "hill", {"a": 1, "b": 0.5})
    with pytest.raises(ValueError, match="«spend» не может быть отрицательным"):
        VK.predict([-1.0, 2.0])


def test_fit_errors() -> None:
    with pytest.raises(ValueError, match="не меньше 3 наблюдений"):
        fit_response_curve([1, 2], [1, 2])
    with pytest.raises(ValueError, match="«spend» не может содержать отрицательных"):
        fit_response_curve([1, -2, 3], [1, 2, 3])
    with pytest.raises(ValueError, match="«spend» и «result» разной длины"):
        fit_response_curve([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="«result» есть пропуски"):
        fit_response_curve([1, 2, 3], [1, np.nan, 3])
    with pytest.raises(ValueError, match="«spend» одинаковы"):
        fit_response_curve([5, 5, 5], [1, 2, 3])
    with pytest.raises(ValueError, match="столбца «leads»"):
        fit_response_curves(pd.DataFrame({"channel": ["vk"], "spend": [1.0]}))


def test_cost_per_contact_errors() -> None:
    with pytest.raises(ValueError, match="«budget» не может быть отрицательным"):
        allocate_by_cost_per_contact({"tg": 1.0}, {"tg": 10}, -1)
    with pytest.raises(ValueError, match="«costs» и «reach_caps»"):
        allocate_by_cost_per_contact({"tg": 1.0}, {"vk": 10}, 100)
    with pytest.raises(ValueError, match="«costs» должен содержать цены больше нуля"):
        allocate_by_cost_per_contact({"tg": 0.0}, {"tg": 10}, 100)
    with pytest.raises(ValueError, match="«target_share» должен содержать доли"):
        allocate_by_cost_per_contact({"tg": 1.0}, {"tg": 10}, 100, {"tg": 1.5})
    with pytest.raises(ValueError, match="«target_share» есть канал «vk»"):
        allocate_by_cost_per_contact({"tg": 1.0}, {"tg": 10}, 100, {"vk": 0.5})
