"""Raw statistics exports of the four ad cabinets, each in its own layout, made from the same ad-days as ``ads_daily``.

Every export is what an advertiser downloads from the cabinet: Meta Ads Manager (Russian interface, campaign
level by week, age × gender breakdown), TikTok Ads Manager (English interface, campaign level by day, age × gender,
a total row at the end), VK Ads (Russian, ad level by day, numbers with decimal commas and spaces) and Telegram Ads
(English, ad level by day, euros). Totals of each export add up to ``ads_daily`` exactly (spend in the billing
currency's cents; weekly reach in Meta is unique people and does not add up to daily reach by design).
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

import numpy as np
import pandas as pd

from smmkit.data import ads_data as ad

META_AGES = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
TIKTOK_AGES = ("13-17", "18-24", "25-34", "35-44", "45-54", "55+")
AGE_SPAN = {"13-17": (13, 17), "18-24": (18, 24), "25-34": (25, 34), "35-44": (35, 44), "45-54": (45, 54),
            "55-64": (55, 64), "65+": (65, 80), "55+": (55, 80)}
AGE_CTR = {"13-17": 1.20, "18-24": 1.15, "25-34": 1.05, "35-44": 0.95, "45-54": 0.85, "55-64": 0.75, "65+": 0.70,
           "55+": 0.74}
"""Link CTR by age relative to the ad's own (younger people click more, older people convert the same)."""
GENDER_SHARE = {"both": (0.55, 0.435, 0.015), "female": (0.985, 0.0, 0.015)}
"""Impression shares (female, male, unknown) by the ad set's gender targeting."""
GENDER_CTR = (1.05, 0.93, 0.90)
DEFAULT_AGES = (18, 54)
"""Ad sets without an age range in their targeting (retargeting) reach 18–54."""
META_WEEKLY_OVERLAP = 0.12
"""Weekly unique reach = Σ daily reach / (1 + 0.12 · (days with delivery − 1)): the same people come back."""

META_COLUMNS = {
    "start": "Начало отчетности", "end": "Конец отчетности", "campaign": "Название кампании", "age": "Возраст",
    "gender": "Пол", "spend": "Сумма затрат (USD)", "impressions": "Показы", "reach": "Охват",
    "frequency": "Частота", "clicks_all": "Клики (все)", "link_clicks": "Клики по ссылке",
    "ctr": "CTR (кликабельность ссылки)", "cpm": "CPM (цена за 1 000 показов) (USD)", "results": "Результаты",
    "indicator": "Индикатор результатов", "leads": "Лиды", "purchases": "Покупки",
    "attribution": "Настройка атрибуции",
}
META_INDICATOR = {"охват": "reach", "трафик": "actions:link_click", "лиды": "actions:lead",
                  "продажи": "actions:offsite_conversion.fb_pixel_purchase"}
TIKTOK_COLUMNS = {
    "day": "By Day", "campaign": "Campaign name", "age": "Age", "gender": "Gender", "currency": "Currency",
    "spend": "Cost", "impressions": "Impressions", "reach": "Reach", "clicks_all": "Clicks (all)",
    "link_clicks": "Clicks (destination)", "ctr": "CTR (destination)", "cpm": "CPM", "leads": "Leads",
    "purchases": "Complete payment",
}
TIKTOK_GENDER = ("Female", "Male", "Unknown")
VK_COLUMNS = {
    "day": "Дата", "campaign": "Кампания", "adset": "Группа", "ad": "Объявление", "impressions": "Показы",
    "reach": "Охват", "clicks_all": "Клики", "link_clicks": "Переходы по ссылке", "ctr": "CTR, %",
    "spend": "Расход, ₸", "cpm": "eCPM, ₸", "cpc": "eCPC, ₸", "leads": "Лиды",
    "purchases": "Конверсии (post-click + post-view)",
}
TELEGRAM_COLUMNS = {
    "day": "Date", "ad_number": "Ad ID", "title": "Ad title", "views": "Views", "clicks": "Clicks",
    "ctr": "CTR, %", "spend": "Spent, €", "cpm": "CPM, €",
}
NBSP = "\u00a0"


# ------------------------------------------------------------------------------------------- helpers


def audience_cells(targeting: str, ages: tuple[str, ...]) -> pd.DataFrame:
    """Age × gender cells an ad set reaches, with impression shares and link-CTR factors.

    >>> cells = audience_cells("Ж 20–35, Казахстан; мода", ("18-24", "25-34", "35-44"))
    >>> sorted(set(cells["age"])), sorted(set(cells["gender"]))
    (['18-24', '25-34', '35-44'], [0, 2])
    >>> round(float(cells.loc[cells["age"] == "35-44", "share"].sum()), 3)  # the 35-year-olds only
    0.062
    """
    found = re.search(r"(\d+)–(\d+)", targeting)
    lo, hi = (int(found.group(1)), int(found.group(2))) if found else DEFAULT_AGES
    female_only = targeting.startswith("Ж ") or ", Ж " in targeting
    genders = GENDER_SHARE["female" if female_only else "both"]
    rows = []
    for age in ages:
        a, b = AGE_SPAN[age]
        years = min(hi, b) - max(lo, a) + 1
        if years <= 0:
            continue
        for g, share in enumerate(genders):
            if share > 0:
                rows.append({"age": age, "gender": g, "share": years * share,
                             "ctr": AGE_CTR[age] * GENDER_CTR[g]})
    cells = pd.DataFrame(rows)
    cells["share"] /= cells["share"].sum()
    return cells


def _split_cents(total: int, weights: np.ndarray) -> np.ndarray:
    """Integer parts of ``total`` proportional to ``weights`` that add up exactly (largest remainder)."""
    if weights.sum() <= 0:
        weights = np.ones_like(weights, dtype=float)
    exact = total * weights / weights.sum()
    parts = np.floor(exact).astype(np.int64)
    rest = int(total - parts.sum())
    parts[np.argsort(-(exact - parts), kind="stable")[:rest]] += 1
    return parts


SPLIT = ("impressions", "reach", "clicks_all", "link_clicks", "leads", "purchases_reported", "spend_minor")


def _breakdown_all(rng: np.random.Generator, groups: pd.DataFrame, cells_of: dict[str, pd.DataFrame],
                   key: str) -> pd.DataFrame:
    """Split each group's totals over its age × gender cells (``cells_of[group[key]]``); columns add back exactly."""
    parts: dict[str, list[np.ndarray]] = {c: [] for c in ("group", "age", "gender", *SPLIT)}
    for i, group in enumerate(groups.itertuples(index=False)):
        cells = cells_of[getattr(group, key)]
        share = cells["share"].to_numpy()
        click_p = share * cells["ctr"].to_numpy()
        click_p = click_p / click_p.sum()
        impressions = rng.multinomial(group.impressions, share)
        reach = rng.multinomial(group.reach, share)
        excess = np.maximum(reach - impressions, 0)  # a cell reaches no more people than it has impressions
        reach = reach - excess
        reach[int(impressions.argmax())] += excess.sum()
        empty = (reach == 0) & (impressions > 0)  # anyone shown the ad is reached: take one from the biggest cell
        while empty.any() and reach.max() > 1:
            cell, top = int(np.flatnonzero(empty)[0]), int(reach.argmax())
            reach[cell], reach[top] = 1, reach[top] - 1
            empty = (reach == 0) & (impressions > 0)
        link = rng.multinomial(group.link_clicks, click_p)
        clicks = link + rng.multinomial(group.clicks_all - group.link_clicks, share)
        # a cell cannot click more than it was shown: move the excess to the biggest cell (rare, tiny cells)
        over = np.maximum(clicks - impressions, 0)
        if over.any():
            top = int(impressions.argmax())
            moved_link = np.minimum(over, link)
            link = link - moved_link
            link[top] += moved_link.sum()
            clicks = clicks - over
            clicks[top] += over.sum()
        values = {
            "impressions": impressions, "reach": reach, "clicks_all": clicks, "link_clicks": link,
            "leads": rng.multinomial(group.leads, click_p),
            "purchases_reported": rng.multinomial(group.purchases_reported, click_p),
            "spend_minor": _split_cents(group.spend_minor, impressions.astype(float)),
        }
        keep = impressions > 0
        parts["group"].append(np.full(keep.sum(), i))
        parts["age"].append(cells["age"].to_numpy()[keep])
        parts["gender"].append(cells["gender"].to_numpy()[keep])
        for col in SPLIT:
            parts[col].append(values[col][keep])
    out = pd.DataFrame({c: np.concatenate(v) for c, v in parts.items()})
    context = groups.drop(columns=[c for c in SPLIT if c in groups.columns]).reset_index(drop=True)
    return out.join(context, on="group").drop(columns="group")


@lru_cache(maxsize=2)
def _ad_days(seed: int) -> pd.DataFrame:
    """ads_daily's rows with the billing-currency spend and each ad set's targeting (a copy is returned)."""
    world = ad.ads_world(seed)
    clean = ad.make_ads_daily(seed)
    clean["date"] = pd.to_datetime(clean["date"])
    clean["spend_minor"] = world.ads["spend_minor"].to_numpy()
    clean["purchases_reported"] = clean["purchases_reported"].fillna(0).astype(np.int64)
    clean["reach"] = clean["reach"].astype("Int64")
    return clean


def _money(minor: np.ndarray) -> np.ndarray:
    return np.round(minor / 100, 2)


# ---------------------------------------------------------------------------------------------- Meta


def make_ads_export_meta(seed: int = ad.SEED) -> pd.DataFrame:
    """Meta Ads Manager export: campaigns by week (Monday–Sunday) × age × gender, Russian interface, USD."""
    days = _ad_days(seed)
    meta = days[days["platform"].isin(ad.META_PLATFORMS)].copy()
    meta["week"] = meta["date"].dt.to_period("W-SUN")
    meta["days_on"] = 1
    sums = meta.groupby(["campaign_id", "week"], sort=True).agg(
        campaign=("campaign_name", "first"), objective=("objective", "first"), targeting=("targeting", "first"),
        impressions=("impressions", "sum"), daily_reach=("reach", "sum"), clicks_all=("clicks_all", "sum"),
        link_clicks=("link_clicks", "sum"), leads=("leads", "sum"), purchases_reported=("purchases_reported", "sum"),
        spend_minor=("spend_minor", "sum"), days_on=("date", "nunique"),
    ).reset_index()
    sums["reach"] = np.round(sums["daily_reach"] / (1 + META_WEEKLY_OVERLAP * (sums["days_on"] - 1))).astype(np.int64)
    # the campaign's audience: its ad sets' targeting weighted by their impressions over the period
    by_adset = meta.groupby(["campaign_id", "targeting"], sort=True)["impressions"].sum()
    cells_of = {}
    for campaign_id, weights in by_adset.groupby(level=0):
        cells = pd.concat([audience_cells(str(t), META_AGES).assign(share=lambda c, w=w: c["share"] * w)
                           for (_, t), w in weights.items()])
        cells = cells.groupby(["age", "gender"], sort=False).agg(share=("share", "sum"), ctr=("ctr", "mean"))
        cells = cells.reset_index()
        cells["share"] /= cells["share"].sum()
        cells_of[campaign_id] = cells
    sums = sums.drop(columns=["daily_reach", "days_on", "targeting"])
    rows = _breakdown_all(ad._stream(seed, "export-meta"), sums, cells_of, "campaign_id")
    spend = _money(rows["spend_minor"].to_numpy())
    results = np.select(
        [rows["objective"] == "охват", rows["objective"] == "трафик", rows["objective"] == "лиды"],
        [rows["reach"], rows["link_clicks"], rows["leads"]], rows["purchases_reported"],
    )
    out = pd.DataFrame({
        META_COLUMNS["start"]: rows["week"].map(lambda w: w.start_time.strftime("%Y-%m-%d")),
        META_COLUMNS["end"]: rows["week"].map(lambda w: w.end_time.strftime("%Y-%m-%d")),
        META_COLUMNS["campaign"]: rows["campaign"],
        META_COLUMNS["age"]: rows["age"],
        META_COLUMNS["gender"]: rows["gender"].map({0: "female", 1: "male", 2: "unknown"}),
        META_COLUMNS["spend"]: spend,
        META_COLUMNS["impressions"]: rows["impressions"],
        META_COLUMNS["reach"]: rows["reach"],
        META_COLUMNS["frequency"]: np.round(rows["impressions"] / rows["reach"].where(rows["reach"] > 0), 6),
        META_COLUMNS["clicks_all"]: rows["clicks_all"],
        META_COLUMNS["link_clicks"]: rows["link_clicks"].astype("Int64").mask(rows["link_clicks"] == 0),
        META_COLUMNS["ctr"]: np.round(100 * rows["link_clicks"] / rows["impressions"], 6),
        META_COLUMNS["cpm"]: np.round(1000 * spend / rows["impressions"], 6),
        META_COLUMNS["results"]: pd.Series(results, dtype="Int64").mask(results == 0),
        META_COLUMNS["indicator"]: rows["objective"].map(META_INDICATOR),
        META_COLUMNS["leads"]: rows["leads"].astype("Int64").mask(rows["leads"] == 0),
        META_COLUMNS["purchases"]: rows["purchases_reported"].astype("Int64").mask(rows["purchases_reported"] == 0),
        META_COLUMNS["attribution"]: "7 дней после клика или 1 день после просмотра",
    })
    return out


# -------------------------------------------------------------------------------------------- TikTok


def make_ads_export_tiktok(seed: int = ad.SEED) -> pd.DataFrame:
    """TikTok Ads Manager export: campaigns by day × age × gender, English interface, USD, a total row last."""
    days = _ad_days(seed)
    tt = days[days["platform"] == "TikTok"]
    sums = tt.groupby(["campaign_id", "date"], sort=True).agg(
        campaign=("campaign_name", "first"), targeting=("targeting", "first"), impressions=("impressions", "sum"),
        reach=("reach", "sum"), clicks_all=("clicks_all", "sum"), link_clicks=("link_clicks", "sum"),
        leads=("leads", "sum"), purchases_reported=("purchases_reported", "sum"), spend_minor=("spend_minor", "sum"),
    ).reset_index()
    cells_of = {t: audience_cells(t, TIKTOK_AGES) for t in sums["targeting"].unique()}
    rows = _breakdown_all(ad._stream(seed, "export-tiktok"), sums, cells_of, "targeting")
    spend = _money(rows["spend_minor"].to_numpy())
    ctr = 100 * rows["link_clicks"] / rows["impressions"]
    out = pd.DataFrame({
        TIKTOK_COLUMNS["day"]: rows["date"].dt.strftime("%Y-%m-%d"),
        TIKTOK_COLUMNS["campaign"]: rows["campaign"],
        TIKTOK_COLUMNS["age"]: rows["age"],
        TIKTOK_COLUMNS["gender"]: rows["gender"].map(dict(enumerate(TIKTOK_GENDER))),
        TIKTOK_COLUMNS["currency"]: "USD",
        TIKTOK_COLUMNS["spend"]: [f"{x:.2f}" for x in spend],
        TIKTOK_COLUMNS["impressions"]: rows["impressions"].astype(str),
        TIKTOK_COLUMNS["reach"]: rows["reach"].astype(str),
        TIKTOK_COLUMNS["clicks_all"]: rows["clicks_all"].astype(str),
        TIKTOK_COLUMNS["link_clicks"]: rows["link_clicks"].astype(str),
        TIKTOK_COLUMNS["ctr"]: [f"{x:.2f}%" for x in ctr],
        TIKTOK_COLUMNS["cpm"]: [f"{x:.2f}" for x in 1000 * spend / rows["impressions"]],
        TIKTOK_COLUMNS["leads"]: rows["leads"].astype(str),
        TIKTOK_COLUMNS["purchases"]: rows["purchases_reported"].astype(str),
    })
    total_spend = int(rows["spend_minor"].sum())
    total = {
        TIKTOK_COLUMNS["day"]: f"Total of {len(out)} results", TIKTOK_COLUMNS["campaign"]: "-",
        TIKTOK_COLUMNS["age"]: "-", TIKTOK_COLUMNS["gender"]: "-", TIKTOK_COLUMNS["currency"]: "USD",
        TIKTOK_COLUMNS["spend"]: f"{total_spend / 100:.2f}",
        TIKTOK_COLUMNS["impressions"]: str(rows["impressions"].sum()),
        TIKTOK_COLUMNS["reach"]: "-",  # the cabinet does not add reach up: the same people were reached on many days
        TIKTOK_COLUMNS["clicks_all"]: str(rows["clicks_all"].sum()),
        TIKTOK_COLUMNS["link_clicks"]: str(rows["link_clicks"].sum()),
        TIKTOK_COLUMNS["ctr"]: f"{100 * rows['link_clicks'].sum() / rows['impressions'].sum():.2f}%",
        TIKTOK_COLUMNS["cpm"]: f"{10 * total_spend / rows['impressions'].sum():.2f}",
        TIKTOK_COLUMNS["leads"]: str(rows["leads"].sum()),
        TIKTOK_COLUMNS["purchases"]: str(rows["purchases_reported"].sum()),
    }
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


# ------------------------------------------------------------------------------------------------ VK


def _ru_number(values: np.ndarray, decimals: int) -> list[str]:
    """«12 500» / «645,56»: thousands with a non-breaking space, a decimal comma."""
    out = []
    for x in values:
        text = f"{x:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
        out.append(text)
    return out


def make_ads_export_vk(seed: int = ad.SEED) -> pd.DataFrame:
    """VK Ads statistics export: ads by day, Russian interface, tenge, numbers as the cabinet prints them."""
    days = _ad_days(seed)
    vk = days[days["platform"] == "VK Ads"].reset_index(drop=True)
    spend = vk["spend_minor"].to_numpy().astype(float)  # whole tenge
    impressions = vk["impressions"].to_numpy()
    clicks = vk["clicks_all"].to_numpy()
    reach = vk["reach"]
    return pd.DataFrame({
        VK_COLUMNS["day"]: vk["date"].dt.strftime("%d.%m.%Y"),
        VK_COLUMNS["campaign"]: vk["campaign_name"],
        VK_COLUMNS["adset"]: vk["adset_id"] + " " + vk["targeting"],
        VK_COLUMNS["ad"]: vk["ad_id"] + " (" + vk["creative"].astype(str) + ")",
        VK_COLUMNS["impressions"]: _ru_number(impressions, 0),
        VK_COLUMNS["reach"]: ["—" if pd.isna(x) else y for x, y in
                              zip(reach, _ru_number(reach.fillna(0).to_numpy(), 0), strict=True)],
        VK_COLUMNS["clicks_all"]: clicks.astype(str),
        VK_COLUMNS["link_clicks"]: vk["link_clicks"].astype(str),
        VK_COLUMNS["ctr"]: _ru_number(100 * clicks / impressions, 2),
        VK_COLUMNS["spend"]: _ru_number(spend, 0),
        VK_COLUMNS["cpm"]: _ru_number(1000 * spend / impressions, 2),
        VK_COLUMNS["cpc"]: ["—" if c == 0 else x for c, x in
                            zip(clicks, _ru_number(spend / np.maximum(clicks, 1), 2), strict=True)],
        VK_COLUMNS["leads"]: vk["leads"].astype(str),
        VK_COLUMNS["purchases"]: vk["purchases_reported"].astype(str),
    })


# ------------------------------------------------------------------------------------------ Telegram


def telegram_ad_number(ad_id: str) -> int:
    """A stable numeric id like the ones Telegram Ads gives its ads (the cabinet knows no campaign codes)."""
    return 100_000 + zlib.crc32(ad_id.encode()) % 900_000


def make_ads_export_telegram(seed: int = ad.SEED) -> pd.DataFrame:
    """Telegram Ads statistics: ads by day, English interface, views and clicks, euros (CPM billing)."""
    days = _ad_days(seed)
    tg = days[days["platform"] == "Telegram Ads"].reset_index(drop=True)
    spend = _money(tg["spend_minor"].to_numpy())
    views = tg["impressions"].to_numpy()
    return pd.DataFrame({
        TELEGRAM_COLUMNS["day"]: tg["date"].dt.strftime("%d %b %Y"),
        TELEGRAM_COLUMNS["ad_number"]: [telegram_ad_number(a) for a in tg["ad_id"]],
        TELEGRAM_COLUMNS["title"]: tg["campaign_name"] + " · " + tg["ad_id"],
        TELEGRAM_COLUMNS["views"]: views,
        TELEGRAM_COLUMNS["clicks"]: tg["link_clicks"],
        TELEGRAM_COLUMNS["ctr"]: np.round(100 * tg["link_clicks"].to_numpy() / views, 2),
        TELEGRAM_COLUMNS["spend"]: spend,
        TELEGRAM_COLUMNS["cpm"]: np.round(1000 * spend / views, 2),
    })
