"""Ads realism of ads_daily: spread of CTR, zero-click days, creative fatigue and rotation, CPM season, the
cabinets' own purchase counts. Every effect is recovered from the committed data with pandas alone; the sizes are
the ones the ads_daily DATASHEET documents.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from smmkit import datasets
from smmkit.data import ads_data

REALISM = Path(ads_data.__file__).parent / "realism" / "ads.yaml"


@pytest.fixture(scope="module")
def ads() -> pd.DataFrame:
    return datasets.load("ads_daily")


def _with_age(ads: pd.DataFrame) -> pd.DataFrame:
    """Each row's days since the ad's first day in the statistics, and the ad's span in days."""
    first = ads.groupby("ad_id")["date"].transform("min")
    last = ads.groupby("ad_id")["date"].transform("max")
    return ads.assign(age=(ads["date"] - first).dt.days, life=(last - first).dt.days + 1)


def _entries() -> list[dict[str, object]]:
    return yaml.safe_load(REALISM.read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: str(e["id"]))
def test_realism_entries_hold(entry: dict[str, object]) -> None:
    """Each reference range of realism/ads.yaml holds on the committed data; the entry is complete."""
    assert str(entry["id"]).startswith("ads.") and entry["dataset"] == "ads_daily"
    assert entry["what"] and entry["source"] and "unit" in entry
    module, name = str(entry["measure"]).split(":")
    value = getattr(importlib.import_module(module), name)(datasets.load)
    assert float(entry["low"]) <= value <= float(entry["high"]), (entry["id"], value)  # type: ignore[arg-type]


def test_realism_ids_are_unique() -> None:
    ids = [e["id"] for e in _entries()]
    assert len(ids) == len(set(ids))


def test_ctr_spread_is_wide_but_not_wild(ads: pd.DataFrame) -> None:
    """CV of row CTR 0.3–0.55 on every auction platform (the old data: 0.13–0.24)."""
    rows = ads[ads["impressions"] >= 500]
    ctr = rows["link_clicks"] / rows["impressions"]
    cv = ctr.groupby(rows["platform"], observed=True).agg(lambda x: x.std() / x.mean())
    assert cv.drop("Telegram Ads").between(0.3, 0.55).all(), cv
    assert 0.3 <= ads_data.realism_ctr_cv(datasets.load) <= 0.5


def test_zero_click_rows_are_trickle_delivery(ads: pd.DataFrame) -> None:
    """About 17 % of rows have no link click; they are small ad-days (tests, tired creatives), not outages."""
    zero = ads["link_clicks"] == 0
    assert 0.12 <= zero.mean() <= 0.22
    assert ads.loc[zero, "spend_kzt"].median() < 0.1 * ads.loc[~zero, "spend_kzt"].median()
    assert (ads.loc[zero, "impressions"] >= 1).all()
    # Telegram (CTR 0.3 %) has the most zero-click days, TikTok (CTR 1.7 %) the fewest
    share = zero.groupby(ads["platform"], observed=True).mean()
    assert share.idxmax() == "Telegram Ads" and share.idxmin() == "TikTok"


def test_creative_fatigue_is_recovered(ads: pd.DataFrame) -> None:
    """Within an ad, CTR falls ≈ 1.2 % a day live: week 4 / week 1 ≈ exp(−0.012 · 21) = 0.78."""
    aged = _with_age(ads)
    long = aged[aged["life"] >= 28]

    def ctr(lo: int, hi: int) -> pd.Series:
        part = long[long["age"].between(lo, hi)].groupby("ad_id")[["link_clicks", "impressions"]].sum()
        return part["link_clicks"] / part["impressions"]

    ratio = (ctr(21, 27) / ctr(0, 6)).dropna()
    assert len(ratio) >= 50
    assert 0.70 <= ratio.median() <= 0.85
    # fixed-effects slope of log CTR on days live, weighted by impressions
    d = long[long["link_clicks"] > 0]
    y = np.log(d["link_clicks"] / d["impressions"])
    y = y - y.groupby(d["ad_id"]).transform("mean")
    x = d["age"] - d.groupby("ad_id")["age"].transform("mean")
    slope = float((d["impressions"] * x * y).sum() / (d["impressions"] * x * x).sum())
    assert slope == pytest.approx(-ads_data.FATIGUE_PER_DAY, abs=0.004)


def test_frequency_grows_as_an_ad_ages(ads: pd.DataFrame) -> None:
    """Daily frequency × (1 + days live / 60): week 4 over week 1 ≈ 1.33."""
    aged = _with_age(ads.dropna(subset=["reach"]))
    long = aged[aged["life"] >= 28]
    week = lambda lo, hi: long[long["age"].between(lo, hi)][["impressions", "reach"]].sum()  # noqa: E731
    first, fourth = week(0, 6), week(21, 27)
    growth = (fourth["impressions"] / fourth["reach"]) / (first["impressions"] / first["reach"])
    assert 1.2 <= growth <= 1.45


def test_creatives_rotate(ads: pd.DataFrame) -> None:
    """No ad runs the whole period; ad sets live all six months go through ≥ 4 creatives; tests are short."""
    span = _with_age(ads).groupby("ad_id")["life"].first()
    assert span.max() <= 60 and span.median() <= 21
    adsets = ads.groupby("adset_id").agg(first=("date", "min"), last=("date", "max"), ads=("ad_id", "nunique"))
    whole = adsets[(adsets["first"] == "2025-09-01") & (adsets["last"] == "2026-02-28")]
    assert len(whole) >= 15 and (whole["ads"] >= 4).all()
    # on a typical day an ad set runs more than one ad (the fresh one next to the tired one, or a test)
    per_day = ads.groupby(["adset_id", "date"])["ad_id"].nunique()
    assert 1.3 <= per_day.mean() <= 3.0


def _cpm(part: pd.DataFrame) -> float:
    return float(part["spend_kzt"].sum() / part["impressions"].sum() * 1000)


def test_cpm_season_is_recovered(ads: pd.DataFrame) -> None:
    """Meta and TikTok CPM: Black Friday week +30 %, 15–30 Dec +22 %, New Year holidays −20 % (vs Sep–Oct)."""
    auction = ads[ads["platform"].isin(["Meta (Instagram)", "Meta (Facebook)", "TikTok"])]
    # compare like with like: CPM of each brand × platform relative to its own September–October level
    base = auction[auction["date"] < "2025-11-01"].groupby(["brand_id", "platform"], observed=True).apply(_cpm)

    def uplift(first: str, last: str) -> float:
        part = auction[auction["date"].between(first, last)]
        cpm = part.groupby(["brand_id", "platform"], observed=True).apply(_cpm)
        weights = part.groupby(["brand_id", "platform"], observed=True)["impressions"].sum()
        return float((cpm / base.reindex(cpm.index) * weights).sum() / weights.sum())

    assert uplift("2025-11-24", "2025-12-01") == pytest.approx(1.30, abs=0.1)
    assert uplift("2025-12-15", "2025-12-30") == pytest.approx(1.22, abs=0.1)
    assert uplift("2025-12-31", "2026-01-10") == pytest.approx(0.80, abs=0.1)
    assert uplift("2025-11-24", "2025-12-01") > uplift("2025-11-01", "2025-11-23") > 1.0
    assert uplift("2026-02-23", "2026-02-28") > uplift("2026-02-01", "2026-02-22")
    # Telegram Ads sells at the advertiser's CPM: no season
    tg = ads[ads["platform"] == "Telegram Ads"]
    ratio = _cpm(tg[tg["date"].between("2025-11-24", "2025-12-01")]) / _cpm(tg[tg["date"] < "2025-11-01"])
    assert ratio == pytest.approx(1.0, abs=0.1)


def test_no_one_dollar_floor(ads: pd.DataFrame) -> None:
    """Spend comes from cents: $1.00 (505 ₸) is no more common than its neighbours, and smaller spends exist."""
    usd = ads[ads["platform"].isin(["Meta (Instagram)", "Meta (Facebook)", "TikTok"])]
    cents = np.round(usd["spend_kzt"] / ads_data.USD_KZT * 100).astype(int)
    assert (cents < 100).mean() > 0.05  # spends below $1 are common
    near = cents[cents.between(90, 110) & (cents != 100)].value_counts().reindex(range(90, 111), fill_value=0)
    assert (cents == 100).sum() <= 2 * near.drop(100).mean() + 3


def test_reported_purchases_disagree_with_the_crm_by_design(ads: pd.DataFrame) -> None:
    """Cabinets report 15–45 % more purchases than the CRM's first orders; only pixel-tracked rows have a count."""
    tracked = ads.dropna(subset=["purchases_reported"])
    assert set(tracked["brand_id"]) == set(ads_data.SHOP_BRANDS)
    assert "Telegram Ads" not in set(tracked["platform"]) and tracked["utm_campaign"].notna().all()
    by_platform = tracked.groupby("platform", observed=True)[["purchases", "purchases_reported"]].sum()
    ratio = by_platform["purchases_reported"] / by_platform["purchases"]
    assert ratio.between(1.12, 1.5).all(), ratio
    assert 1.2 <= tracked["purchases_reported"].sum() / tracked["purchases"].sum() <= 1.4
    # both directions on single rows: the pixel misses some buyers and credits view-through buyers elsewhere
    assert (tracked["purchases_reported"] < tracked["purchases"]).sum() >= 30
    assert (tracked["purchases_reported"] > tracked["purchases"]).sum() >= 300
    # the CRM truth is still there: purchases where the cabinet reports nothing are not lost
    assert ads.loc[ads["purchases_reported"].isna(), "purchases"].sum() > 0
