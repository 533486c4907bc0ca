"""The analysis functions on the committed course datasets, as loaded by smmkit.datasets.load, with default arguments.

No renaming before a call: e2e and attribution read the datasets' column names through their COLUMN_ALIASES,
audience's defaults are the datasets' names. The planted facts checked here are the figures stated in the
datasheets (datasets/<name>/DATASHEET.md), so a change that breaks a lesson's numbers fails here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmkit import metrics
from smmkit.analysis import attribution
from smmkit.analysis.audience import RFM_OTHER, RFM_SEGMENT_RULES, audience_core_summary, rfm_scores, rfm_table
from smmkit.analysis.e2e import NOT_SET, UNMATCHED, customer_ltv, join_funnel, ltv_by_channel, retention_matrix
from smmkit.datasets import load

FEB = pd.Timestamp("2026-02-01", tz="Asia/Almaty")
"""web_events starts on 1 February 2026 (Asia/Almaty): the first day the site data can explain."""

PAID = "оплачен"
AD_CHANNELS = ["Instagram реклама", "Facebook реклама", "TikTok реклама", "VK реклама", "Telegram Ads"]
"""crm_orders' channel_first values of customers brought by ads (the ads_daily platforms)."""


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    names = ("ads_daily", "web_events", "crm_orders", "journeys", "audience")
    return {name: load(name) for name in names}


def _brand_of(orders: pd.DataFrame) -> pd.Series:
    """customer_id → brand_id (a CRM customer belongs to one brand)."""
    return orders.drop_duplicates("customer_id").set_index("customer_id")["brand_id"]


# --- e2e: join_funnel ----------------------------------------------------------------------------------------


def test_join_funnel_on_the_whole_tables_keeps_the_totals(data: dict[str, pd.DataFrame]) -> None:
    """The three tables as loaded, half a year of ads and orders against February's web events.

    What the result means: spend and orders are all there (totals match the cabinets and the CRM), but web events
    exist for February only, so orders of September–January find no session and land in «(не найдено)»
    together with every repeat order of a customer first seen then; ROMI per campaign is not meaningful here.
    """
    ads, events, orders = data["ads_daily"], data["web_events"], data["crm_orders"]
    funnel = join_funnel(ads, events, orders)
    assert funnel["spend"].sum() == pytest.approx(ads["spend_kzt"].sum())
    assert funnel["orders"].sum() == len(orders) and funnel["revenue"].sum() == orders["revenue_kzt"].sum()
    assert funnel["gross_profit"].sum() == orders["gross_profit_kzt"].sum()
    unmatched = funnel.loc[funnel["source"] == UNMATCHED].iloc[0]
    assert unmatched["orders"] > 0.9 * len(orders)  # most orders happened before the GA4 export began
    assert funnel["first_orders"].sum() == orders["customer_id"].nunique()
    assert any("без сессий" in note for note in funnel.attrs["notes"])


def test_join_funnel_in_february_reproduces_the_datasheet(data: dict[str, pd.DataFrame]) -> None:
    """February's ads and paid orders (web_events datasheet, effects 1 and 2; ads_daily: forms carry no UTM)."""
    ads = data["ads_daily"][data["ads_daily"]["date"] >= "2026-02-01"]
    orders = data["crm_orders"]
    orders = orders[(orders["order_ts"] >= FEB) & (orders["status"] == PAID)]
    funnel = join_funnel(ads, data["web_events"], orders, repeat_orders="session")
    assert funnel["orders"].sum() == len(orders) and funnel["revenue"].sum() == orders["revenue_kzt"].sum()
    assert funnel["spend"].sum() == pytest.approx(ads["spend_kzt"].sum())
    # site leads from ads: GA4 sees 381 of the 436 leads under their campaign (blocked visitors are missing);
    # 9 of those arrive without utm_medium, and the cpc rows hold 372 of them plus 6 whose campaign was lost
    site_ads = ads[ads["utm_source"].notna()]
    campaigns = funnel["campaign"].isin(site_ads["utm_campaign"].unique())
    assert funnel.loc[campaigns, "leads"].sum() == 381 and site_ads["leads"].sum() == 436
    assert funnel.loc[funnel["medium"] == "cpc", "leads"].sum() == 378
    every_campaign = funnel[(funnel["medium"] == "cpc") & (funnel["campaign"] != NOT_SET)]
    assert every_campaign["campaign"].nunique() == site_ads["utm_campaign"].nunique() == 12
    assert len(every_campaign) == 49 and (every_campaign["sessions"] > 0).all()  # hand-typed sources split them
    forms = funnel.loc[funnel["source"] == NOT_SET].iloc[0]  # lead forms and bots: spend without sessions
    assert forms["spend"] > 0 and forms["sessions"] == 0
    # 556 February orders (18.9 mln ₸) have no web session GA4 saw
    unmatched = funnel.loc[funnel["source"] == UNMATCHED].iloc[0]
    assert unmatched["orders"] == 556 and unmatched["revenue"] / 1e6 == pytest.approx(18.86, abs=0.005)
    # returning customers come back through direct visits, WhatsApp and e-mail: 45 % of web-linked revenue
    linked = funnel[funnel["source"] != UNMATCHED]
    assert linked["revenue"].sum() / 1e6 == pytest.approx(8.05, abs=0.005)
    returning = linked.loc[linked["medium"].isin(["(none)", "messenger", "email"]), "revenue"].sum()
    assert returning / 1e6 == pytest.approx(3.59, abs=0.005)
    assert round(100 * returning / linked["revenue"].sum()) == 45
    assert round(100 * linked.loc[linked["medium"] == "cpc", "revenue"].sum() / linked["revenue"].sum()) == 42


# --- e2e: customers ------------------------------------------------------------------------------------------


def test_customer_ltv_repeat_shares_and_romi_with_repeat_sales(data: dict[str, pd.DataFrame]) -> None:
    """crm_orders datasheet: clients with 2+ orders and orders per client; effect 2 (ROMI with repeat sales)."""
    orders, ads = data["crm_orders"], data["ads_daily"]
    ltv = customer_ltv(orders)
    assert len(ltv) == 3334 and ltv["orders"].sum() == len(orders) == 6672
    # crm_orders datasheet: statuses, and the ad customers are exactly ads_daily's first purchases
    assert orders["status"].value_counts().to_dict() == {PAID: 6356, "отменён": 165, "возврат": 151}
    first = orders[orders["is_first_order"]]
    assert first["channel_first"].isin(AD_CHANNELS).sum() == ads["purchases"].sum() == 2289
    brand = _brand_of(orders)
    per_brand = ltv.join(brand).groupby("brand_id", observed=True)["orders"]
    repeat = (per_brand.apply(lambda n: n.gt(1).mean()) * 100).round(1).to_dict()
    assert repeat == {
        "qazaq_coffee": 70.2,
        "jet_delivery": 63.3,
        "astana_fit": 42.1,
        "bilim_online": 26.3,
        "dala_style": 19.7,
    }
    assert per_brand.mean().round(2).to_dict() == {
        "qazaq_coffee": 3.78,
        "jet_delivery": 2.91,
        "astana_fit": 1.72,
        "bilim_online": 1.32,
        "dala_style": 1.25,
    }
    # ROMI by gross profit of paid orders of ad customers, to the brand's half-year ad spend
    paid = orders[orders["status"] == PAID]
    spend = ads.groupby("brand_id", observed=True)["spend_kzt"].sum()
    channel = orders.drop_duplicates("customer_id").set_index("customer_id")["channel_first"]

    def romi(table: pd.DataFrame) -> pd.Series:
        from_ads = table.join(brand).join(channel)
        from_ads = from_ads[from_ads["channel_first"].isin(AD_CHANNELS)]
        profit = from_ads.groupby("brand_id", observed=True)["gross_profit"].sum()
        return (metrics.romi(profit, spend) * 100).round().astype(int)

    first_only, all_orders = romi(customer_ltv(paid[paid["is_first_order"]])), romi(customer_ltv(paid))
    expected = {
        "jet_delivery": (-42, 65),
        "qazaq_coffee": (-82, -34),
        "dala_style": (65, 105),
        "bilim_online": (14, 22),
        "astana_fit": (281, 476),
    }
    assert {b: (int(first_only[b]), int(all_orders[b])) for b in expected} == expected


def test_customer_ltv_with_web_events_first_touch(data: dict[str, pd.DataFrame]) -> None:
    orders, events = data["crm_orders"], data["web_events"]
    ltv = customer_ltv(orders, events)
    assert {"source", "medium", "campaign"} <= set(ltv.columns)
    touched = ltv[ltv["source"] != UNMATCHED]
    assert 0 < len(touched) < len(ltv)  # only customers with a February session have a first touch
    assert touched["last_order_date"].max() < pd.Timestamp("2026-03-01")  # Almaty time, without time zone
    by_channel = ltv_by_channel(ltv)
    assert by_channel["customers"].sum() == len(ltv)


def test_retention_matrix_on_crm_orders(data: dict[str, pd.DataFrame]) -> None:
    """Default arguments; per brand, the mean of column 1 is the datasheet's retention in the first month."""
    orders = data["crm_orders"]
    matrix = retention_matrix(orders)
    assert matrix.index.tolist() == ["2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"]
    assert (matrix[0] == 1.0).all()
    assert np.isnan(matrix.loc["2026-02", 1]) and np.isnan(matrix.loc["2025-10", 5])  # not observed yet
    first_month = {
        brand: retention_matrix(orders[orders["brand_id"] == brand])[1].mean()
        for brand in ("qazaq_coffee", "jet_delivery", "astana_fit", "bilim_online", "dala_style")
    }
    stated = {"qazaq_coffee": 0.62, "jet_delivery": 0.52, "astana_fit": 0.39, "bilim_online": 0.22, "dala_style": 0.11}
    assert first_month == pytest.approx(stated, abs=0.006)  # whole per cent


# --- audience ---------------------------------------------------------------------------------------------------


def test_rfm_on_crm_orders(data: dict[str, pd.DataFrame]) -> None:
    orders = data["crm_orders"]
    rfm = rfm_table(orders)
    assert len(rfm) == 3334 and rfm["frequency"].sum() == len(orders)
    assert rfm["monetary"].sum() == orders["revenue_kzt"].sum()
    assert rfm["recency_days"].min() == 1 and rfm["recency_days"].max() <= 181  # as_of = 1 March 2026 (Almaty)
    scored = rfm_scores(rfm)
    assert set(scored["rfm_segment"]) <= {name for name, _ in RFM_SEGMENT_RULES} | {RFM_OTHER}
    # niche habits (crm_orders effect 1): coffee and delivery buy often, the school sells one large course
    means = scored.join(_brand_of(orders)).groupby("brand_id", observed=True)[["F", "M"]].mean()
    assert means.loc["qazaq_coffee", "F"] > means.loc["dala_style", "F"] + 1
    assert means.loc["jet_delivery", "F"] > means.loc["bilim_online", "F"] + 1
    assert means["M"].idxmax() == "bilim_online" and means["M"].idxmin() == "qazaq_coffee"


def test_audience_core_on_the_audience_dataset(data: dict[str, pd.DataFrame]) -> None:
    """audience datasheet, effect 2: a core of 1 125 customers (22.1 %) brings 80 % of revenue."""
    audience = data["audience"]
    summary = audience_core_summary(audience[audience["is_customer"]])
    assert summary["members"] == 1125 and round(100 * summary["members_share"], 1) == 22.1
    assert summary["value_share"] == pytest.approx(0.8, abs=1e-3)


# --- attribution --------------------------------------------------------------------------------------------

DATASHEET_SHARES = pd.DataFrame(
    {
        "Первое касание": [23.6, 20.5, 18.0, 10.3, 9.3, 7.3, 5.3, 4.2, 1.4],
        "Последнее касание": [0.5, 4.7, 9.0, 1.8, 0.6, 25.5, 43.8, 0.5, 13.6],
        "Линейная": [9.6, 12.6, 17.9, 5.4, 4.0, 18.4, 23.6, 2.0, 6.6],
        "Марковская цепь": [11.1, 11.4, 17.8, 5.5, 4.3, 17.9, 22.3, 1.6, 8.1],
        "Шепли": [10.0, 12.7, 17.6, 5.6, 4.1, 18.3, 22.9, 2.0, 6.9],
    },
    index=[
        "Блогеры",
        "Instagram реклама",
        "Instagram органика",
        "Telegram-посев",
        "TikTok реклама",
        "Поиск",
        "Директ/прямые",
        "VK реклама",
        "Email/WhatsApp-рассылка",
    ],
)
"""journeys datasheet: credit of each channel in % of the 1 701 purchases, by model."""


def test_compare_models_on_journeys(data: dict[str, pd.DataFrame]) -> None:
    journeys = data["journeys"]
    table = attribution.compare_models(journeys)
    assert list(table.columns) == list(attribution.MODEL_LABELS.values())
    assert table.sum().to_numpy() == pytest.approx([1701.0] * 7)
    shares = (table / table.sum() * 100).round(1)
    pd.testing.assert_frame_equal(
        shares.loc[DATASHEET_SHARES.index, DATASHEET_SHARES.columns],
        DATASHEET_SHARES,
        check_names=False,
        check_index_type=False,
    )
    first, last = table["Первое касание"], table["Последнее касание"]
    assert (first["Блогеры"], last["Блогеры"]) == (402, 8)  # bloggers open journeys but do not close them
    assert (last["Поиск"], last["Директ/прямые"], first["Поиск"], first["Директ/прямые"]) == (433, 745, 125, 90)
    by_value = attribution.compare_models(journeys, weight="value")  # value_kzt, one value per journey
    total = journeys.drop_duplicates("journey_id")["value_kzt"].sum()
    assert by_value.sum().to_numpy() == pytest.approx([float(total)] * 7)


def test_markov_removal_effect_on_journeys(data: dict[str, pd.DataFrame]) -> None:
    journeys = data["journeys"]
    markov = attribution.markov_removal_effect(journeys)
    last = attribution.last_touch(journeys)
    assert markov.sum() == pytest.approx(1701.0)
    assert markov.rank(ascending=False)["Блогеры"] == 5 and last.rank(ascending=False)["Блогеры"] == 9
    assert round(attribution.removal_effects(journeys)["Блогеры"], 2) == 0.26  # a quarter of sales without them
