"""BudgetPlanner driven headless on ads_daily, and its pure functions (plan_outcome, compare_with_optimum)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smmkit import metrics
from smmkit.analysis.budget import ResponseCurve, allocate_budget, fit_response_curves
from smmkit.widgets.budget import (
    TOTAL,
    BudgetPlanner,
    compare_with_optimum,
    plan_outcome,
    response_figure,
    round_split,
    step_for,
)

IG, TT, VK, TG = "Meta (Instagram)", "TikTok", "VK Ads", "Telegram Ads"
PLANTED_B = {IG: 0.70, TT: 0.60, VK: 0.80, TG: 0.65}
"""Exponents planted by the generator (ads_daily DATASHEET, effect 2)."""


@pytest.fixture(scope="module")
def daily(ads: pd.DataFrame) -> pd.DataFrame:
    """Bilim Online: one row per platform and day (spend, leads, revenue)."""
    bo = ads[ads["brand_id"] == "bilim_online"]
    return bo.groupby(["platform", "date"], observed=True)[["spend_kzt", "leads", "revenue_kzt"]].sum().reset_index()


@pytest.fixture(scope="module")
def curves(daily: pd.DataFrame) -> list[ResponseCurve]:
    """Bilim Online's fitted lead curves."""
    return fit_response_curves(daily, spend="spend_kzt", result="leads", channel="platform")


@pytest.fixture(scope="module")
def mean_spend(daily: pd.DataFrame) -> pd.Series:
    """Bilim Online's average daily spend per platform (the datasheet's «current split»)."""
    return daily.groupby("platform", observed=True)["spend_kzt"].mean()


@pytest.fixture
def planner(ads: pd.DataFrame) -> BudgetPlanner:
    """The lab's planner: Bilim Online, 150 000 ₸ a day."""
    return BudgetPlanner.from_ads(ads, "bilim_online", budget=150_000)


def cells(html_text: str) -> str:
    """Widget HTML with no-break spaces (thousands groups, «%») as plain spaces."""
    return html_text.replace("\u00a0", " ")


# --- from_ads and the planted effects -----------------------------------------------------------------------


def test_from_ads_fits_the_planted_exponents(ads: pd.DataFrame) -> None:
    """One curve per platform; the fitted b is within the datasheet's ±0.1 of the planted one."""
    p = BudgetPlanner.from_ads(ads, "bilim_online")
    assert p.channels == [IG, TT, VK, TG]
    for name, b in PLANTED_B.items():
        assert p.curves[name].kind == "power"
        assert p.curves[name].params["b"] == pytest.approx(b, abs=0.1), name


def test_default_budget_is_the_average_day(ads: pd.DataFrame, mean_spend: pd.Series) -> None:
    """Without a budget the sliders sit at the average day (149 600 ₸, TikTok 63 900 the biggest)."""
    p = BudgetPlanner.from_ads(ads, "bilim_online")
    assert p.budget.value == round(mean_spend.sum()) == 149_566
    assert p.spends.sum() == p.budget.value
    assert p.spends.idxmax() == TT
    np.testing.assert_allclose(p.spends[mean_spend.index], mean_spend, atol=p._step)
    assert "Bilim Online" in p.children[0].value and "724" in p.children[0].value


def test_optimum_of_the_datasheet(curves: list[ResponseCurve], mean_spend: pd.Series) -> None:
    """Effect 3: the optimum of 149 600 ₸ moves money from TikTok to Instagram: 112.7 vs 98.5 leads, +14.5 %."""
    cmp = compare_with_optimum(curves, mean_spend, mean_spend.sum())
    opt = cmp.optimal_spend
    assert opt.to_dict() == pytest.approx({IG: 102_800, VK: 22_400, TT: 11_800, TG: 12_600}, rel=0.01)
    total = cmp.table.loc[TOTAL]
    assert total["result_plan"] == pytest.approx(98.5, abs=0.05)
    assert total["result_optimum"] == pytest.approx(112.7, abs=0.05)
    assert cmp.result_gain == pytest.approx(0.145, abs=0.001)
    assert cmp.table.loc[IG, "marginal_cpa_plan"] == pytest.approx(1_323, abs=2)
    assert cmp.table.loc[TT, "marginal_cpa_plan"] == pytest.approx(3_028, abs=2)
    np.testing.assert_allclose(cmp.table["marginal_cpa_optimum"].drop(TOTAL), 1_739, atol=2)
    assert total["spend_optimum"] == pytest.approx(mean_spend.sum())


def test_romi_by_platform_matches_effect_one(curves: list[ResponseCurve], daily: pd.DataFrame,
                                             mean_spend: pd.Series) -> None:
    """At the average day the predicted ROMI ranks Telegram best and TikTok worst, close to the datasheet's."""
    sums = daily.groupby("platform", observed=True)[["revenue_kzt", "leads"]].sum()
    rpl = (sums["revenue_kzt"] / sums["leads"]).to_dict()
    out = plan_outcome(curves, mean_spend, rpl, 0.75)
    romi = out["romi"].drop(TOTAL)
    assert romi.idxmax() == TG and romi.idxmin() == TT
    assert romi.to_dict() == pytest.approx({TG: 2.07, IG: 0.47, VK: 0.0, TT: -0.60}, abs=0.06)


def test_from_ads_money_defaults(ads: pd.DataFrame) -> None:
    """Lead brands get revenue per lead from the data and the datasheet margin; shops get no ROMI on leads."""
    bo = BudgetPlanner.from_ads(ads, "bilim_online")
    assert bo.margin == 0.75
    assert bo.revenue_per_lead[TG] == pytest.approx(17_443_000 / 2_897)
    assert "маржа 75 %" in bo.children[0].value.replace("\u00a0", " ")
    shop = BudgetPlanner.from_ads(ads, "dala_style")
    assert shop.revenue_per_lead is None and "romi" not in shop.outcome
    assert "ROMI не считается" in shop.children[0].value
    sales = BudgetPlanner.from_ads(ads, "dala_style", result="purchases")
    assert sales.margin == 0.45 and sales.objective == "sales"
    assert "romi" in sales.outcome and "Продажи в день" in sales.table.value


def test_from_ads_reach(ads: pd.DataFrame) -> None:
    """Reach curves: VK's days with unknown reach are left out of the fit, not of the average spend; no ROMI."""
    p = BudgetPlanner.from_ads(ads, "bilim_online", result="reach")
    assert p.objective == "reach" and p.revenue_per_lead is None and p.budget.value == 149_566
    assert "Охват в день" in p.table.value and "Цена следующего контакта" in p.table.value
    assert "717 парам" in p.children[0].value  # 724 days × platforms minus 7 VK days of the export failure
    assert p.show_optimum().result_gain > 0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"brand_id": "kaspi"}, "нет бренда «kaspi»"),
    ({"brand_id": "bilim_online", "result": "sales"}, "«result»"),
])
def test_from_ads_bad_input(ads: pd.DataFrame, kwargs: dict, message: str) -> None:
    """An unknown brand or result column is a Russian ValueError."""
    with pytest.raises(ValueError, match=message):
        BudgetPlanner.from_ads(ads, **kwargs)


def test_from_ads_needs_the_columns(ads: pd.DataFrame) -> None:
    """A table without spend is not ads_daily."""
    with pytest.raises(ValueError, match="spend_kzt"):
        BudgetPlanner.from_ads(ads.drop(columns="spend_kzt"), "bilim_online")


# --- the widget ---------------------------------------------------------------------------------------------


def test_start_state(planner: BudgetPlanner) -> None:
    """150 000 ₸: sliders in 500 ₸ steps add up to the budget; Russian labels; 98.6 leads now."""
    assert planner.budget.value == 150_000 and planner.spends.sum() == 150_000
    assert [s.description for s in planner.sliders] == [IG, TT, VK, TG]
    assert all(s.step == 500 for s in planner.sliders)
    assert "весь бюджет распределён" in planner.total.value
    assert planner.outcome.loc[TOTAL, "result"] == pytest.approx(98.6, abs=0.05)
    assert planner.optimum_button.description == "Показать оптимальное распределение"
    assert planner.apply_button.description == "Применить" and planner.apply_button.disabled
    assert planner.comparison is None and planner.comparison_html.value == ""


def test_sliders_drive_table_chart_and_readout(planner: BudgetPlanner) -> None:
    """Moving a slider changes the plan, the table, the marker on the chart and the budget warning."""
    planner.sliders[1].value = 40_000  # TikTok: 64 500 → 40 000, 24 500 ₸ left unspent
    out = planner.outcome
    assert out.loc[TT, "spend"] == 40_000
    assert out.loc[TT, "result"] == pytest.approx(planner.curves[TT].predict(40_000))
    text = cells(planner.total.value)
    assert "меньше бюджета на 24 500 ₸" in text and "⚠" in text
    table = cells(planner.table.value)
    assert "40 000" in table and "CPA (цена лида), ₸" in table and "ROMI" in table
    points = planner.figure.data[len(planner.channels)]
    assert points.name == "Ваш план"
    assert list(points.x) == planner.spends.tolist()
    assert list(points.y) == pytest.approx(out["result"].drop(TOTAL).tolist())
    planner.sliders[0].value += 30_000
    assert "больше бюджета на 5 500 ₸" in cells(planner.total.value)


def test_beating_the_current_split(planner: BudgetPlanner) -> None:
    """The lab's task: moving 30 000 ₸ from TikTok to Instagram gives more leads than now, the summary says +."""
    now = planner.outcome.loc[TOTAL, "result"]
    planner.sliders[1].value -= 30_000
    planner.sliders[0].value += 30_000
    assert planner.spends.sum() == 150_000
    assert planner.outcome.loc[TOTAL, "result"] > now + 5
    assert "Ваш план:" in planner.summary.value and "(+" in planner.summary.value


def test_optimum_button_shows_without_moving(planner: BudgetPlanner) -> None:
    """The button fills the comparison and the «Оптимум» markers; the sliders stay where they were."""
    before = planner.spends.copy()
    planner.optimum_button.click()
    cmp = planner.comparison
    assert cmp is not None and not planner.apply_button.disabled
    pd.testing.assert_series_equal(planner.spends, before)
    assert cmp.result_gain == pytest.approx(0.146, abs=0.002)
    text = cells(planner.comparison_html.value)
    assert "Оптимум даёт +14,6 % лидов" in text and "112,9 против 98,6" in text
    best = planner.figure.data[len(planner.channels) + 1]
    assert best.name == "Оптимум"
    assert list(best.x) == pytest.approx(cmp.optimal_spend.tolist())
    direct = allocate_budget(list(planner.curves.values()), 150_000)
    assert cmp.optimal_spend.to_dict() == pytest.approx(direct.spend.to_dict())


def test_comparison_follows_the_sliders(planner: BudgetPlanner) -> None:
    """After the button, moving a slider updates «your» side of the comparison, not the optimum."""
    planner.show_optimum()
    best = planner.comparison.optimal_spend.copy()
    planner.sliders[1].value -= 30_000
    planner.sliders[0].value += 30_000
    assert planner.comparison.table.loc[IG, "spend_plan"] == planner.spends[IG]
    pd.testing.assert_series_equal(planner.comparison.optimal_spend, best)
    assert planner.comparison.result_gain < 0.127


def test_apply_moves_sliders_to_the_optimum(planner: BudgetPlanner) -> None:
    """«Применить» puts the sliders at the optimum rounded to 500 ₸: the gain left is below 0.1 %."""
    planner.optimum_button.click()
    planner.apply_button.click()
    assert planner.spends.sum() == 150_000
    assert planner.spends[IG] > 80_000 and planner.spends[TT] < 15_000
    assert 0 <= planner.comparison.result_gain < 0.001
    assert "весь бюджет распределён" in planner.total.value


def test_profit_goal(planner: BudgetPlanner) -> None:
    """Optimising gross profit instead of leads gives Telegram the most money and fewer leads; it warns."""
    planner.show_optimum()
    planner.goal.value = "profit"
    cmp = planner.comparison
    assert cmp.goal == "profit"
    assert cmp.optimal_spend.idxmax() == TG
    assert cmp.profit_gain > 0.3 and cmp.result_gain < 0
    text = planner.comparison_html.value
    assert "по валовой прибыли" in text and "экстраполяция" in text


def test_budget_change_recomputes(planner: BudgetPlanner) -> None:
    """A new budget changes the readout and the optimum; most of the extra goes to Instagram."""
    planner.show_optimum()
    old = planner.comparison.optimal_spend
    planner.budget.value = 200_000
    assert "меньше бюджета на 50 000 ₸" in cells(planner.total.value)
    new = planner.comparison.optimal_spend
    assert new.sum() == pytest.approx(200_000)
    assert (new - old).idxmax() == IG and (new > old).all()


def test_extrapolation_is_flagged(planner: BudgetPlanner) -> None:
    """A spend above the brand's biggest day in the data is called an extrapolation."""
    assert "экстраполяция" not in planner.summary.value
    planner.sliders[0].value = 120_000
    assert "экстраполяция" in planner.summary.value and IG in planner.summary.value


def test_bounds_limit_sliders_and_optimum(ads: pd.DataFrame) -> None:
    """A contract minimum for TikTok is the slider's minimum and binds the optimum."""
    p = BudgetPlanner.from_ads(ads, "bilim_online", budget=150_000, bounds={TT: (30_000, 150_000)})
    assert p.sliders[1].min == 30_000
    cmp = p.show_optimum()
    assert cmp.optimal_spend[TT] == pytest.approx(30_000)
    assert cmp.optimum.status[TT] == "min"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"budget": 0}, "положительным"),
    ({"budget": "много"}, "положительным"),
    ({"budget": 1000, "bounds": {"ok": (10, 5)}}, "кривой отклика"),
    ({"budget": 1000, "margin": 0.5}, "без «revenue_per_lead»"),
    ({"budget": 1000, "revenue_per_lead": 100}, "нужна и маржа"),
    ({"budget": 1000, "revenue_per_lead": 100, "margin": 75}, "доля от 0 до 1"),
    ({"budget": 1000, "spends": {"vk": 500}}, "нет значения для канала «ig»"),
    ({"budget": 1000, "revenue_per_lead": {"vk": 5, "tg": 1}, "margin": 0.5}, "«revenue_per_lead» есть канал «tg»"),
    ({"budget": 1000, "spends": {"vk": -1, "ig": 5}}, "отрицательным"),
])
def test_constructor_bad_input(kwargs: dict, message: str) -> None:
    """Bad budget, bounds, money or spends are Russian ValueErrors."""
    two = [ResponseCurve("vk", "power", {"a": 10, "b": 0.5}), ResponseCurve("ig", "power", {"a": 20, "b": 0.5})]
    with pytest.raises(ValueError, match=message):
        BudgetPlanner(two, **kwargs)


def test_generic_curves_without_money() -> None:
    """Hand-made curves: even start split, no ROMI, the optimum of the docstring (20 / 80)."""
    two = [ResponseCurve("vk", "power", {"a": 10, "b": 0.5}), ResponseCurve("ig", "power", {"a": 20, "b": 0.5})]
    p = BudgetPlanner(two, 100)
    assert p.spends.tolist() == [50, 50] and "romi" not in p.outcome
    assert p.goal.layout.display == "none"
    p.apply_optimum()
    assert p.spends.tolist() == [20, 80]


# --- pure functions -----------------------------------------------------------------------------------------


def test_plan_outcome_by_hand() -> None:
    """10·√x at 400 ₸ gives 200 leads: CPA 2, marginal CPA 4; revenue 10 a lead at 50 % margin → ROMI +150 %."""
    vk = ResponseCurve("vk", "power", {"a": 10, "b": 0.5})
    ig = ResponseCurve("ig", "power", {"a": 20, "b": 0.5})
    out = plan_outcome([vk, ig], [400, 100], {"vk": 10, "ig": 2}, 0.5)
    assert list(out.index) == ["vk", "ig", TOTAL]
    assert out.loc["vk"].to_dict() == pytest.approx(
        {"spend": 400, "result": 200, "cpa": 2, "marginal_cpa": 4, "revenue": 2000, "gross_profit": 1000, "romi": 1.5})
    assert out.loc[TOTAL, "result"] == 400 and out.loc[TOTAL, "spend"] == 500
    assert out.loc[TOTAL, "romi"] == pytest.approx(metrics.romi(0.5 * (2000 + 400), 500))
    assert math.isnan(out.loc[TOTAL, "marginal_cpa"])
    assert list(plan_outcome([vk], {"vk": 400}).columns) == ["spend", "result", "cpa", "marginal_cpa"]


def test_plan_outcome_zero_spend() -> None:
    """A channel switched off: no result, no CPA (NaN), marginal CPA 0 (the first tenge is the cheapest)."""
    vk = ResponseCurve("vk", "power", {"a": 10, "b": 0.5})
    row = plan_outcome([vk], [0.0]).loc["vk"]
    assert row["result"] == 0 and math.isnan(row["cpa"]) and row["marginal_cpa"] == 0


@pytest.mark.parametrize(("curves", "spends", "message"), [
    ([], [], "пуст"),
    (["vk"], [1], "ResponseCurve"),
    ([ResponseCurve("vk", "power", {"a": 1, "b": 0.5})], [1, 2], "2 значений, а каналов 1"),
    ([ResponseCurve("vk", "power", {"a": 1, "b": 0.5})], {"tg": 1}, "нет кривой"),
    ([ResponseCurve("vk", "power", {"a": 1, "b": 0.5})], ["сто"], "числа"),
    ([ResponseCurve("vk", "power", {"a": 1, "b": 0.5})], [math.nan], "пропуски"),
])
def test_plan_outcome_bad_input(curves: list, spends: object, message: str) -> None:
    """Bad curves or spends are Russian ValueErrors."""
    with pytest.raises(ValueError, match=message):
        plan_outcome(curves, spends)


def test_compare_goal_checks() -> None:
    """An unknown goal, or a profit goal without money, is a Russian ValueError."""
    vk = ResponseCurve("vk", "power", {"a": 10, "b": 0.5})
    with pytest.raises(ValueError, match="«goal»"):
        compare_with_optimum([vk], [1], 1, goal="лиды")
    with pytest.raises(ValueError, match="по прибыли"):
        compare_with_optimum([vk], [1], 1, goal="profit")


def test_response_figure_traces(curves: list[ResponseCurve], mean_spend: pd.Series) -> None:
    """One line per channel up to its max, then the plan's and the optimum's markers; Russian axis titles."""
    fig = response_figure(curves, mean_spend, max_spend=100_000)
    assert [t.name for t in fig.data] == [IG, TT, VK, TG, "Ваш план", "Оптимум"]
    assert fig.data[0].x[-1] == 100_000
    assert fig.data[0].y[-1] == pytest.approx(curves[0].predict(100_000))
    assert len(fig.data[-1].x) == 0
    assert fig.layout.xaxis.title.text == "расход в день, ₸" and fig.layout.yaxis.title.text == "Лиды в день"
    with_best = response_figure(curves, mean_spend, optimum=mean_spend * 0 + 1000)
    assert list(with_best.data[-1].x) == [1000] * 4


def test_step_and_rounding() -> None:
    """Steps are round; a rounded split keeps the budget and the bounds."""
    assert [step_for(b) for b in (150_000, 8_000, 20_000, 10)] == [500, 10, 100, 1]
    lo, hi = np.array([0.0, 0.0, 30_000.0]), np.array([150_000.0] * 3)
    out = round_split(np.array([33_333.3, 66_666.6, 50_000.1]), 150_000, 500, lo, hi)
    assert out.sum() == 150_000 and (out >= lo).all() and (out <= hi).all()
