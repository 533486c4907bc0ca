"""KpiDashboard driven headless, kpi_figure's tiles and the default KPI set computed from the course datasets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smmkit import metrics
from smmkit.widgets.dashboard import (
    KpiDashboard,
    kpi_figure,
    kpi_tiles,
    kpis_from_data,
    periods_of,
)

MONTHS = ["2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"]
KPIS = ["Суммарный охват публикаций", "ER по охвату", "CTR (ссылка)", "CPA (первая покупка)", "ROMI рекламы",
        "Выручка", "Доля повторных покупателей"]


@pytest.fixture(scope="module")
def bilim(posts: pd.DataFrame, ads: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """Bilim Online's monthly KPIs."""
    return kpis_from_data(posts, ads, orders, "bilim_online")


@pytest.fixture(scope="module")
def every(posts: pd.DataFrame, ads: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """All brands' monthly KPIs with two targets."""
    return kpis_from_data(posts, ads, orders, None, targets={"CTR (ссылка)": 0.01, "CPA (первая покупка)": 50_000})


def value(kpis: pd.DataFrame, kpi: str, period: str) -> float:
    """One number of a KPI table."""
    row = kpis[(kpis["kpi"] == kpi) & (kpis["period"] == period)]
    assert len(row) == 1
    return float(row["value"].iloc[0])


# --- kpis_from_data -----------------------------------------------------------------------------------------


def test_default_set_shape(bilim: pd.DataFrame) -> None:
    """Seven KPIs × the six whole months (posts' 1 March is dropped), with unit, source and direction."""
    assert list(bilim.columns) == ["brand", "kpi", "period", "value", "target", "unit", "source", "lower_is_better"]
    assert list(dict.fromkeys(bilim["kpi"])) == KPIS
    assert periods_of(bilim) == MONTHS and len(bilim) == 42
    assert set(bilim["brand"]) == {"bilim_online"} and bilim["target"].isna().all()
    sources = bilim.drop_duplicates("kpi").set_index("kpi")["source"]
    assert sources["ER по охвату"] == "posts" and sources["CTR (ссылка)"] == "ads_daily"
    assert sources["ROMI рекламы"] == "ads_daily + crm_orders" and sources["Выручка"] == "crm_orders"
    directions = bilim.drop_duplicates("kpi").set_index("kpi")["lower_is_better"]
    assert directions[directions].index.tolist() == ["CPA (первая покупка)"]


def test_values_by_hand(bilim: pd.DataFrame, posts: pd.DataFrame, ads: pd.DataFrame, orders: pd.DataFrame) -> None:
    """February's CTR, CPA, ER and revenue equal plain pandas on the same rows."""
    feb = ads[(ads["brand_id"] == "bilim_online") & (ads["date"].dt.month == 2)]
    assert value(bilim, "CTR (ссылка)", "2026-02") == pytest.approx(feb["link_clicks"].sum() / feb["impressions"].sum())
    assert value(bilim, "CPA (первая покупка)", "2026-02") == pytest.approx(
        metrics.cpa(feb["spend_kzt"].sum(), feb["purchases"].sum()))
    local = posts["published_at_utc"].dt.tz_convert("Asia/Almaty")
    mine = posts[posts["account_id"].str.startswith("bo_") & (local.dt.month == 2) & (local.dt.year == 2026)]
    inter = mine[["likes", "comments", "shares", "saves"]].sum().sum()
    assert value(bilim, "ER по охвату", "2026-02") == pytest.approx(inter / mine["reach"].sum())
    paid = orders[(orders["brand_id"] == "bilim_online") & (orders["status"] == "оплачен")]
    assert value(bilim, "Выручка", "2026-02") == paid.loc[paid["order_ts"].dt.month == 2, "revenue_kzt"].sum()


def test_repeat_share_starts_at_zero(bilim: pd.DataFrame) -> None:
    """The CRM starts on 1 September: few repeat buyers of the school in September (3 %), then between 0 and 1."""
    shares = [value(bilim, "Доля повторных покупателей", m) for m in MONTHS]
    assert 0 <= shares[0] < 0.05 and all(shares[0] < s < 1 for s in shares[1:])


def test_romi_adds_up_to_the_datasheet(bilim: pd.DataFrame, ads: pd.DataFrame) -> None:
    """Monthly ROMI weighted by spend gives the crm_orders datasheet's half-year ROMI of Bilim Online, +22 %."""
    spend = ads[ads["brand_id"] == "bilim_online"].groupby(ads["date"].dt.strftime("%Y-%m"))["spend_kzt"].sum()
    romi = np.array([value(bilim, "ROMI рекламы", m) for m in MONTHS])
    total = ((romi + 1) * spend[MONTHS].to_numpy()).sum() / spend.sum() - 1
    assert total == pytest.approx(0.22, abs=0.01)


def test_weeks_are_whole_and_common(posts: pd.DataFrame, ads: pd.DataFrame, orders: pd.DataFrame) -> None:
    """Weekly KPIs share 25 whole weeks, Monday 1 September to Sunday 22 February, for every KPI."""
    weekly = kpis_from_data(posts, ads, orders, "astana_fit", freq="W")
    counts = weekly.groupby("kpi")["period"].nunique()
    assert (counts == 25).all()
    assert periods_of(weekly)[0].startswith("2025-09-01") and periods_of(weekly)[-1].endswith("2026-02-22")


def test_leads_as_the_action(posts: pd.DataFrame, ads: pd.DataFrame, orders: pd.DataFrame) -> None:
    """cpa_action="leads" names the KPI «CPA (лид)» and divides by leads."""
    k = kpis_from_data(posts, ads, orders, "bilim_online", cpa_action="leads")
    feb = ads[(ads["brand_id"] == "bilim_online") & (ads["date"].dt.month == 2)]
    assert value(k, "CPA (лид)", "2026-02") == pytest.approx(feb["spend_kzt"].sum() / feb["leads"].sum())


def test_every_brand_and_targets(every: pd.DataFrame) -> None:
    """brand_id=None gives the five brands; targets fill their KPI's rows only."""
    assert set(every["brand"]) == {"qazaq_coffee", "dala_style", "astana_fit", "bilim_online", "jet_delivery"}
    assert (every.loc[every["kpi"] == "CTR (ссылка)", "target"] == 0.01).all()
    assert every.loc[every["kpi"] == "Выручка", "target"].isna().all()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"brand_id": "kaspi"}, "Бренда «kaspi» нет"),
    ({"brand_id": "bilim_online", "freq": "D"}, "«freq»"),
    ({"brand_id": "bilim_online", "targets": {"Лайки": 5}}, "неизвестный KPI «Лайки»"),
    ({"brand_id": "bilim_online", "cpa_action": "clicks"}, "«cpa_action»"),
])
def test_kpis_from_data_bad_input(posts: pd.DataFrame, ads: pd.DataFrame, orders: pd.DataFrame,
                                  kwargs: dict, message: str) -> None:
    """Unknown brand, period, target or action: a Russian ValueError."""
    with pytest.raises(ValueError, match=message):
        kpis_from_data(posts, ads, orders, **kwargs)


def test_kpis_from_data_wrong_table(posts: pd.DataFrame, ads: pd.DataFrame, orders: pd.DataFrame) -> None:
    """Tables swapped by mistake are named in the error."""
    with pytest.raises(ValueError, match="«posts» нет столбца «account_id»"):
        kpis_from_data(ads, ads, orders, "bilim_online")


# --- tiles and figure ---------------------------------------------------------------------------------------


def test_tiles_of_a_period(every: pd.DataFrame) -> None:
    """A tile holds the value, the previous month's value, the target and whether it is met (CPA: lower wins)."""
    tiles = {t.kpi: t for t in kpi_tiles(every, "2025-12", "jet_delivery")}
    ctr = tiles["CTR (ссылка)"]
    mine = every[(every["brand"] == "jet_delivery") & (every["kpi"] == "CTR (ссылка)")].set_index("period")["value"]
    assert ctr.value == mine["2025-12"] and ctr.previous == mine["2025-11"] and ctr.target == 0.01
    assert ctr.met is (ctr.value >= 0.01)
    cpa = tiles["CPA (первая покупка)"]
    assert cpa.lower_is_better and cpa.met is (cpa.value <= 50_000)
    assert tiles["Выручка"].met is None
    assert ctr.periods == MONTHS and len(ctr.history) == 6


def test_first_period_has_no_change(bilim: pd.DataFrame) -> None:
    """September has no previous month: tiles show the number without a delta."""
    fig = kpi_figure(bilim, "2025-09")
    assert fig.data[0].mode == "number"
    assert math.isnan(kpi_tiles(bilim, "2025-09")[0].previous)


def test_figure_layout_and_numbers(every: pd.DataFrame) -> None:
    """Four traces per KPI; percent KPIs in percent with a change in п.п., money in ₸ with a relative change."""
    fig = kpi_figure(every, "2026-01", "bilim_online")
    assert len(fig.data) == 4 * len(KPIS)
    assert fig.layout.title.text == "KPI · Bilim Online · 2026-01"
    assert fig.layout.separators == ", "
    tiles = kpi_tiles(every, "2026-01", "bilim_online")
    ctr, cpa = fig.data[4 * 2], fig.data[4 * 3]
    assert ctr.type == "indicator" and ctr.value == pytest.approx(tiles[2].value * 100)
    assert ctr.delta.reference == pytest.approx(tiles[2].previous * 100) and not ctr.delta.relative
    assert ctr.delta.suffix == " п.п." and ctr.number.suffix == " %"
    assert "цель 1,00 %" in ctr.title.text and "данные: ads_daily" in ctr.title.text
    assert ("✓" in ctr.title.text) is tiles[2].met and ("✗" in ctr.title.text) is (not tiles[2].met)
    assert cpa.delta.relative and cpa.number.suffix == " ₸"
    assert cpa.delta.increasing.color == "#b00020"  # a dearer lead is bad
    line, point, target = fig.data[4 * 2 + 1: 4 * 2 + 4]
    assert list(line.x) == MONTHS and list(point.x) == ["2026-01"]
    assert list(target.y) == pytest.approx([1.0, 1.0])


def test_custom_minimal_table() -> None:
    """A table with only kpi, period and value works: no brand, no target, plain numbers."""
    kpis = pd.DataFrame({"kpi": ["Подписчики"] * 3, "period": ["2026-01", "2026-02", "2026-03"],
                         "value": [1000, 1100, 1250]})
    fig = kpi_figure(kpis)
    assert fig.data[0].value == 1250 and fig.data[0].delta.reference == 1100
    assert fig.layout.title.text == "KPI · 2026-03"
    dash = KpiDashboard(kpis)
    assert dash.brand.layout.display == "none" and dash.period.value == "2026-03"
    assert "Цели не заданы" in dash.summary.value


@pytest.mark.parametrize(("table", "message"), [
    ([1, 2], "DataFrame"),
    (pd.DataFrame({"kpi": ["x"], "value": [1]}), "«period»"),
    (pd.DataFrame({"kpi": ["x"], "period": ["p"], "value": ["много"]}), "числа"),
    (pd.DataFrame({"kpi": [], "period": [], "value": []}), "пуста"),
])
def test_figure_bad_table(table: object, message: str) -> None:
    """Not a table, a missing column, text values or no rows: a Russian ValueError."""
    with pytest.raises(ValueError, match=message):
        kpi_figure(table)


def test_figure_unknown_period_or_brand(every: pd.DataFrame) -> None:
    """A period or brand that is not in the table is a Russian ValueError listing what there is."""
    with pytest.raises(ValueError, match="нет периода «2026-03»"):
        kpi_figure(every, "2026-03", "bilim_online")
    with pytest.raises(ValueError, match="нет бренда «kaspi»"):
        kpi_figure(every, brand="kaspi")


# --- the widget ---------------------------------------------------------------------------------------------


def test_dashboard_start(every: pd.DataFrame) -> None:
    """Brand and period selectors in Russian; the last month of the first brand; targets counted."""
    dash = KpiDashboard(every)
    assert dash.brand.description == "Бренд:" and dash.period.description == "Период:"
    assert dash.brand.layout.display == "" and dash.brand.value == "qazaq_coffee"
    assert dash.brand.label == "Qazaq Coffee"
    assert dash.period.options == tuple(MONTHS) and dash.period.value == "2026-02"
    met = sum(bool(t.met) for t in dash.tiles if t.met is not None)
    assert f"Цели выполнены: <b>{met} из 2</b>" in dash.summary.value


@pytest.mark.parametrize(("brand", "period"), [("bilim_online", "2025-11"), ("jet_delivery", "2025-09"),
                                               ("astana_fit", "2026-01")])
def test_selectors_update_the_figure(every: pd.DataFrame, brand: str, period: str) -> None:
    """After the selectors move, the FigureWidget holds exactly what kpi_figure builds for that choice."""
    dash = KpiDashboard(every)
    dash.period.value = "2025-10"
    dash.brand.value, dash.period.value = brand, period
    fresh = kpi_figure(every, period, brand)
    for shown, built in zip(dash.figure.data, fresh.data, strict=True):
        a, b = shown.to_plotly_json(), built.to_plotly_json()
        a.pop("uid", None), b.pop("uid", None)
        assert a == b
    assert dash.figure.layout.title.text == fresh.layout.title.text


def test_brand_with_other_kpis_rebuilds() -> None:
    """Brands with different KPI lists: switching rebuilds the figure with the other brand's tiles."""
    kpis = pd.DataFrame({
        "brand": ["a", "a", "b", "b", "b", "b"], "kpi": ["ER", "ER", "ER", "ER", "CTR", "CTR"],
        "period": ["p1", "p2"] * 3, "value": [0.01, 0.02, 0.03, 0.04, 0.05, 0.06], "unit": "%",
    })
    dash = KpiDashboard(kpis)
    assert len(dash.figure.data) == 4
    dash.brand.value = "b"
    assert len(dash.figure.data) == 8
    assert dash.figure.data[4].value == pytest.approx(6.0)
