"""The four raw cabinet exports: each is read, cleaned and joined back into ads_daily the way a lesson would, and
the join recovers ads_daily's numbers exactly (spend to the tiyn, counts to the unit)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmkit import datasets
from smmkit.data import ads_data

META = ["Meta (Instagram)", "Meta (Facebook)"]
COUNTS = ["impressions", "clicks_all", "link_clicks", "leads", "purchases_reported"]


@pytest.fixture(scope="module")
def ads() -> pd.DataFrame:
    out = datasets.load("ads_daily")
    return out.assign(purchases_reported=out["purchases_reported"].fillna(0).astype(int))


def _tenge(amount: pd.Series, rate: int) -> pd.Series:
    """Billing-currency amounts (2 decimals) → tenge exactly as ads_daily converts them (per row, to the tiyn)."""
    cents = np.round(amount.astype(float) * 100).astype(np.int64)
    return cents * rate / 100


def _number(text: pd.Series) -> pd.Series:
    """«12 500», «645,56», «—» → 12500.0, 645.56, NaN."""
    clean = text.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    return pd.to_numeric(clean.str.replace(",", ".", regex=False).replace("—", np.nan))


def _compare(mine: pd.DataFrame, truth: pd.DataFrame, keys: list[str], columns: list[str]) -> None:
    left = mine.groupby(keys)[columns].sum().sort_index()
    right = truth.groupby(keys, observed=True)[columns].sum().sort_index()
    assert left.index.equals(right.index)
    for col in columns:
        np.testing.assert_allclose(left[col].to_numpy(float), right[col].to_numpy(float), rtol=0, atol=1e-6,
                                   err_msg=col)


def test_meta_export_joins_back(ads: pd.DataFrame) -> None:
    """Meta: weekly campaign × age × gender rows add up to ads_daily's campaign-weeks; empty cells are zeros."""
    raw = datasets.load("ads_export_meta")
    assert set(raw["Пол"]) == {"female", "male", "unknown"} and raw["Возраст"].nunique() >= 6
    assert (raw["Начало отчетности"].dt.dayofweek == 0).all()
    assert ((raw["Конец отчетности"] - raw["Начало отчетности"]).dt.days == 6).all()
    assert raw["Покупки"].isna().mean() > 0.5  # zero (or untracked) is an empty cell
    mine = pd.DataFrame({
        "campaign_name": raw["Название кампании"],
        "week": raw["Начало отчетности"],
        "spend_kzt": _tenge(raw["Сумма затрат (USD)"], ads_data.USD_KZT),
        "impressions": raw["Показы"],
        "clicks_all": raw["Клики (все)"],
        "link_clicks": raw["Клики по ссылке"].fillna(0),
        "leads": raw["Лиды"].fillna(0),
        "purchases_reported": raw["Покупки"].fillna(0),
        "reach": raw["Охват"],
    })
    truth = ads[ads["platform"].isin(META)].assign(week=lambda d: d["date"].dt.to_period("W-SUN").dt.start_time)
    _compare(mine, truth, ["campaign_name", "week"], ["spend_kzt", *COUNTS])
    assert mine["spend_kzt"].sum() == pytest.approx(truth["spend_kzt"].sum(), abs=1e-6)
    # weekly reach is unique people: smaller than the sum of daily reach, never more than impressions
    weekly = mine.groupby(["campaign_name", "week"])["reach"].sum()
    daily = truth.groupby(["campaign_name", "week"])["reach"].sum()
    assert (weekly <= daily.reindex(weekly.index)).all() and weekly.sum() < 0.9 * daily.sum()
    assert (raw["Охват"] <= raw["Показы"]).all() and (raw["Клики по ссылке"].fillna(0) <= raw["Клики (все)"]).all()


def test_meta_breakdown_shows_who_clicks() -> None:
    """Planted in the breakdown: younger people click more (18-24 over 45-54 ≈ 1.35), women a bit more than men."""
    raw = datasets.load("ads_export_meta")
    by_age = raw.groupby("Возраст", observed=True)[["Клики по ссылке", "Показы"]].sum()
    ctr = by_age["Клики по ссылке"] / by_age["Показы"]
    assert ctr["18-24"] / ctr["45-54"] == pytest.approx(1.15 / 0.85, rel=0.15)
    by_gender = raw.groupby("Пол", observed=True)[["Клики по ссылке", "Показы"]].sum()
    g = by_gender["Клики по ссылке"] / by_gender["Показы"]
    assert g["female"] / g["male"] == pytest.approx(1.05 / 0.93, rel=0.1)


def test_tiktok_export_joins_back(ads: pd.DataFrame) -> None:
    """TikTok: drop the «Total of N results» row, parse text numbers and «%», join campaign-days exactly."""
    raw = datasets.load("ads_export_tiktok")
    total = raw[raw["By Day"].str.startswith("Total")]
    assert len(total) == 1 and total.index[0] == len(raw) - 1
    assert total["By Day"].iloc[0] == f"Total of {len(raw) - 1} results"
    rows = raw.drop(total.index)
    mine = pd.DataFrame({
        "campaign_name": rows["Campaign name"],
        "date": pd.to_datetime(rows["By Day"], format="%Y-%m-%d"),
        "spend_kzt": _tenge(rows["Cost"].astype(float), ads_data.USD_KZT),
        "impressions": rows["Impressions"].astype(int),
        "clicks_all": rows["Clicks (all)"].astype(int),
        "link_clicks": rows["Clicks (destination)"].astype(int),
        "leads": rows["Leads"].astype(int),
        "purchases_reported": rows["Complete payment"].astype(int),
        "reach": rows["Reach"].astype(int),
    })
    truth = ads[ads["platform"] == "TikTok"]
    _compare(mine, truth, ["campaign_name", "date"], ["spend_kzt", *COUNTS, "reach"])
    # the cabinet's own total row is the sum of the rows (and a trap: summed twice if it is kept)
    assert int(total["Impressions"].iloc[0]) == mine["impressions"].sum()
    assert float(total["Cost"].iloc[0]) == pytest.approx(rows["Cost"].astype(float).sum(), abs=0.005)
    ctr = rows["CTR (destination)"].str.rstrip("%").astype(float)
    np.testing.assert_allclose(ctr, 100 * mine["link_clicks"] / mine["impressions"], atol=0.005)
    assert set(rows["Gender"]) == {"Female", "Male", "Unknown"} and "13-17" in set(rows["Age"])


def test_vk_export_joins_back(ads: pd.DataFrame) -> None:
    """VK: DD.MM.YYYY, numbers with non-breaking spaces and decimal commas, «—» for unknown reach."""
    raw = datasets.load("ads_export_vk")
    assert raw["Показы"].str.contains("\u00a0").any() and raw["eCPM, ₸"].str.contains(",").all()
    mine = pd.DataFrame({
        "ad_id": raw["Объявление"].str.split(" ").str[0],
        "date": pd.to_datetime(raw["Дата"], format="%d.%m.%Y"),
        "spend_kzt": _number(raw["Расход, ₸"]),
        "impressions": _number(raw["Показы"]),
        "clicks_all": _number(raw["Клики"]),
        "link_clicks": _number(raw["Переходы по ссылке"]),
        "leads": _number(raw["Лиды"]),
        "purchases_reported": _number(raw["Конверсии (post-click + post-view)"]),
        "reach": _number(raw["Охват"]),
    })
    truth = ads[ads["platform"] == "VK Ads"].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        mine.sort_values(["date", "ad_id"]).reset_index(drop=True),
        truth[list(mine.columns)].astype({c: float for c in mine.columns[2:]}).reset_index(drop=True),
        check_dtype=False,
    )
    assert raw["Охват"].eq("—").sum() == ads.loc[ads["platform"] == "VK Ads", "reach"].isna().sum() > 0


def test_telegram_export_joins_back(ads: pd.DataFrame) -> None:
    """Telegram Ads: «01 Sep 2025», the ad code inside the title, euros × 545 ₸; views are impressions."""
    raw = datasets.load("ads_export_telegram")
    assert raw.groupby("Ad title")["Ad ID"].nunique().max() == 1
    mine = pd.DataFrame({
        "ad_id": raw["Ad title"].str.split(" · ").str[-1],
        "date": pd.to_datetime(raw["Date"], format="%d %b %Y"),
        "spend_kzt": _tenge(raw["Spent, €"], ads_data.EUR_KZT),
        "impressions": raw["Views"],
        "link_clicks": raw["Clicks"],
    })
    truth = ads[ads["platform"] == "Telegram Ads"]
    _compare(mine, truth, ["ad_id", "date"], ["spend_kzt", "impressions", "link_clicks"])
    # billed per 1000 views: CPM in euros sits in Telegram's €1–5 range
    cpm = raw["Spent, €"].sum() / raw["Views"].sum() * 1000
    assert 1.0 <= cpm <= 5.0


def test_exports_cover_every_tenge(ads: pd.DataFrame) -> None:
    """The four exports together hold all of ads_daily's spend: nothing lost, nothing counted twice."""
    meta = _tenge(datasets.load("ads_export_meta")["Сумма затрат (USD)"], ads_data.USD_KZT).sum()
    tiktok = datasets.load("ads_export_tiktok")
    tiktok = _tenge(tiktok.loc[~tiktok["By Day"].str.startswith("Total"), "Cost"].astype(float),
                    ads_data.USD_KZT).sum()
    vk = _number(datasets.load("ads_export_vk")["Расход, ₸"]).sum()
    telegram = _tenge(datasets.load("ads_export_telegram")["Spent, €"], ads_data.EUR_KZT).sum()
    assert meta + tiktok + vk + telegram == pytest.approx(ads["spend_kzt"].sum(), abs=1e-4)
