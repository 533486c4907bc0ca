"""Seeded generators for the paid chain: daily ad statistics, a hand-merged cabinet export and an A/B test.

The five brands of the universe buy ads on five platforms from 2025-09-01 to 2026-02-28. Each brand and
platform has a daily budget that the marketer moves up and down week by week; results follow a concave response
curve leads ≈ a · spend^b with a known exponent b per platform (auction prices rise, CTR and conversion fall as
spend grows). Campaigns either send people to the brand's site with UTM tags (their sessions, leads and
purchases appear in ``web_events`` and ``crm_orders``, see :mod:`smmkit.data.funnel_data`) or collect leads in
a lead form / Telegram bot (sales are closed later by managers, by phone).

Planted for Bilim Online: Telegram Ads has the worst CTR but the best ROMI, TikTok the best CTR but a poor ROMI.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from smmkit.data import universe as u
from smmkit.data.generators import activity_matrix
from smmkit.data.recipe import Recipe

SEED = 2026
AB_SEED = 7
PERIOD_START = np.datetime64("2025-09-01", "D")
PERIOD_END = np.datetime64("2026-02-28", "D")  # inclusive
DAYS = np.arange(PERIOD_START, PERIOD_END + 1)
ORDERS_END = np.datetime64("2026-03-01T00:00:00", "s")
"""Sales are recorded up to the end of February (local time); the CRM export was taken on the morning of 1 March."""
UTC_OFFSET = np.timedelta64(5, "h")
"""Asia/Almaty is UTC+5 throughout the story (since 2024-03-01)."""

USD_KZT = 505
EUR_KZT = 545
RATES = {"USD": USD_KZT, "EUR": EUR_KZT, "KZT": 1}
"""Fixed course exchange rates (an assumption of the course, not a market quote)."""

BRAND_PREFIX = {
    "qazaq_coffee": "QC",
    "dala_style": "DS",
    "astana_fit": "AF",
    "bilim_online": "BO",
    "jet_delivery": "JD",
}


@dataclass(frozen=True)
class AdPlatform:
    """Typical auction and audience figures of one ad platform (medians before noise and response effects)."""

    currency: str
    cpm_kzt: float
    ctr_link: float
    ctr_other: float
    frequency: float
    landing: float
    b: float
    utm_source: str
    channel: str


PLATFORMS: dict[str, AdPlatform] = {
    # CPM: tier-3 market $1–4 (vendor reports: adamigo.ai 2026), Telegram Ads €1 base, €2.8–5 in niches;
    # VK bills in tenge.
    "Meta (Instagram)": AdPlatform("USD", 1110, 0.0112, 0.0078, 1.35, 0.82, 0.70, "instagram", "Instagram реклама"),
    "Meta (Facebook)": AdPlatform("USD", 760, 0.0095, 0.0068, 1.45, 0.85, 0.75, "facebook", "Facebook реклама"),
    "TikTok": AdPlatform("USD", 1460, 0.0135, 0.0055, 1.22, 0.70, 0.60, "tiktok", "TikTok реклама"),
    "VK Ads": AdPlatform("KZT", 620, 0.0060, 0.0045, 1.50, 0.85, 0.80, "vk", "VK реклама"),
    "Telegram Ads": AdPlatform("EUR", 1640, 0.0034, 0.0, 1.80, 0.88, 0.65, "telegram", "Telegram Ads"),
}
"""Platforms; ``b`` is the planted exponent of the response curve leads = a · spend^b."""

OBJECTIVES = ("охват", "трафик", "лиды", "продажи")
CREATIVES = ("видео", "карусель", "фото", "текст")

# objective: (CPM ×, CTR ×, frequency ×, conversion ×)
OBJECTIVE_EFFECT = {
    "охват": (0.70, 0.45, 1.35, 0.5),
    "трафик": (1.00, 1.10, 1.00, 0.9),
    "лиды": (1.00, 1.00, 1.00, 1.0),
    "продажи": (1.15, 1.00, 1.00, 1.35),
}
CREATIVE_CTR = {"видео": 1.12, "карусель": 1.05, "фото": 0.95, "текст": 1.0}
BRAND_CTR = {
    ("bilim_online", "TikTok"): 1.30,
    ("bilim_online", "Telegram Ads"): 0.85,
    ("dala_style", "TikTok"): 1.10,
}
"""Brand-specific CTR multipliers (the school's TikTok videos are catchy; its Telegram texts are not)."""


@dataclass(frozen=True)
class AdSet:
    """An ad set: its targeting (as a cabinet shows it) and the creatives of its ads."""

    targeting: str
    creatives: tuple[str, ...]


@dataclass(frozen=True)
class Campaign:
    """A campaign of one brand on one platform; ``destination`` "site" (UTM link) or "form" (lead form, bot)."""

    campaign_id: str
    brand_id: str
    platform: str
    name: str
    objective: str
    destination: str
    utm_campaign: str | None
    weight: float
    start: str
    end: str
    adsets: tuple[AdSet, ...]


IG, FB, TT, VK, TG = "Meta (Instagram)", "Meta (Facebook)", "TikTok", "VK Ads", "Telegram Ads"
START, END = "2025-09-01", "2026-02-28"

CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign("QC01", "qazaq_coffee", IG, "QC_осень_охват", "охват", "site", "qc_autumn_reach", 0.4, START,
             "2025-11-30", (AdSet("18–34, М+Ж, Алматы; кофе, кафе", ("видео",)),)),
    Campaign("QC02", "qazaq_coffee", IG, "QC_menu_трафик", "трафик", "site", "qc_menu_traffic", 0.6, START, END,
             (AdSet("18–34, М+Ж, Алматы 5 км от кофеен", ("карусель",)),
              AdSet("Ретаргетинг: сайт 30 дней", ("фото",)))),
    Campaign("QC03", "qazaq_coffee", IG, "QC_NewYear_охват", "охват", "site", "qc_newyear_reach", 0.4,
             "2025-12-01", "2026-01-10", (AdSet("18–44, М+Ж, Алматы; кофе, подарки", ("видео",)),)),
    Campaign("QC04", "qazaq_coffee", TT, "QC_TikTok_охват", "охват", "site", "qc_tiktok_reach", 1.0, START,
             "2026-01-10", (AdSet("18–30, М+Ж, Алматы; кофе, еда", ("видео",)),)),
    Campaign("QC05", "qazaq_coffee", TT, "QC_зима_трафик", "трафик", "site", "qc_winter_traffic", 1.0,
             "2026-01-11", END, (AdSet("18–30, М+Ж, Алматы; кофе, учёба", ("видео",)),)),
    Campaign("DS01", "dala_style", IG, "DS_каталог_продажи", "продажи", "site", "ds_catalog_sales", 0.65, START, END,
             (AdSet("Ж 20–35, Казахстан; мода, онлайн-шопинг", ("карусель", "видео")),
              AdSet("Lookalike 1 % покупателей, Ж 20–40", ("карусель",)))),
    Campaign("DS02", "dala_style", IG, "DS_ретаргет_трафик", "трафик", "site", "ds_retarget", 0.35, START, END,
             (AdSet("Ретаргетинг: корзина 14 дней", ("карусель",)),)),
    Campaign("DS03", "dala_style", IG, "DS_BlackFriday_продажи", "продажи", "site", "ds_black_friday", 0.9,
             "2025-11-20", "2025-12-01", (AdSet("Ж 18–45, Казахстан; мода, скидки", ("видео", "карусель")),)),
    Campaign("DS04", "dala_style", IG, "DS_НовыйГод_продажи", "продажи", "site", "ds_new_year", 0.5,
             "2025-12-10", "2025-12-31", (AdSet("Ж 20–45, Алматы и Астана; подарки", ("карусель",)),)),
    Campaign("DS05", "dala_style", TT, "DS_TikTok_трафик", "трафик", "site", "ds_tiktok_traffic", 1.0, START, END,
             (AdSet("Ж 18–30, Казахстан; мода", ("видео",)),)),
    Campaign("DS06", "dala_style", VK, "DS_VK_продажи", "продажи", "site", "ds_vk_sales", 1.0, START, END,
             (AdSet("Ж 25–45, Казахстан; одежда", ("фото",)),)),
    Campaign("AF01", "astana_fit", IG, "AF_гостевая_лиды", "лиды", "form", None, 0.7, START, END,
             (AdSet("25–45, М+Ж, Астана 7 км от клуба; фитнес", ("видео", "фото")),)),
    Campaign("AF02", "astana_fit", IG, "AF_сайт_трафик", "трафик", "site", "af_site_traffic", 0.3, START, END,
             (AdSet("25–45, М+Ж, Астана; ЗОЖ", ("карусель",)),)),
    Campaign("AF03", "astana_fit", IG, "AF_NewYear_лиды", "лиды", "form", None, 0.5, "2025-12-26", "2026-01-31",
             (AdSet("25–45, М+Ж, Астана; фитнес, похудение", ("видео",)),)),
    Campaign("AF04", "astana_fit", TG, "AF_Telegram_лиды", "лиды", "form", None, 1.0, START, END,
             (AdSet("Каналы: спорт и ЗОЖ, Астана", ("текст",)),)),
    Campaign("BO01", "bilim_online", IG, "BO_ЕНТ_лиды_IG", "лиды", "form", None, 0.85, START, END,
             (AdSet("15–17, М+Ж, Казахстан; ЕНТ, вузы", ("видео", "карусель")),
              AdSet("Родители 35–50, Казахстан; образование", ("фото",)))),
    Campaign("BO02", "bilim_online", IG, "BO_вебинар_трафик", "трафик", "site", "bo_webinar", 0.15, START, END,
             (AdSet("15–17, М+Ж, Караганда и Астана", ("видео",)),)),
    Campaign("BO03", "bilim_online", TT, "BO_ЕНТ_TikTok_лиды", "лиды", "form", None, 1.0, START, END,
             (AdSet("15–17, М+Ж, Казахстан; учёба", ("видео", "видео")),)),
    Campaign("BO04", "bilim_online", TG, "BO_ЕНТ_Telegram_лиды", "лиды", "form", None, 1.0, START, END,
             (AdSet("Каналы: ЕНТ и поступление", ("текст",)), AdSet("Каналы: школьные новости РК", ("текст",)))),
    Campaign("BO05", "bilim_online", VK, "BO_VK_лиды", "лиды", "form", None, 1.0, START, END,
             (AdSet("15–17, М+Ж, Казахстан; учёба", ("фото",)),)),
    Campaign("JD01", "jet_delivery", IG, "JD_обеды_продажи", "продажи", "site", "jd_lunch_sales", 0.75, START, END,
             (AdSet("22–45, М+Ж, Шымкент; еда, доставка", ("видео",)),
              AdSet("22–45, М+Ж, Алматы; еда, доставка", ("карусель",)))),
    Campaign("JD02", "jet_delivery", IG, "JD_НГ_сеты_продажи", "продажи", "site", "jd_new_year_sets", 0.4,
             "2025-12-15", "2026-01-05", (AdSet("25–45, М+Ж, Шымкент и Алматы; праздники", ("видео",)),)),
    Campaign("JD03", "jet_delivery", FB, "JD_FB_продажи", "продажи", "site", "jd_fb_sales", 1.0, START, END,
             (AdSet("25–55, М+Ж, Шымкент и Алматы", ("фото",)),)),
    Campaign("JD04", "jet_delivery", VK, "JD_VK_трафик", "трафик", "site", "jd_vk_traffic", 1.0, START, END,
             (AdSet("20–45, М+Ж, Шымкент и Алматы", ("фото",)),)),
    Campaign("JD05", "jet_delivery", TG, "JD_Telegram_трафик", "трафик", "site", "jd_tg_traffic", 1.0, START, END,
             (AdSet("Каналы: Шымкент, городские новости", ("текст",)),)),
)

BUDGETS: dict[tuple[str, str], float] = {
    ("qazaq_coffee", IG): 5_000,
    ("qazaq_coffee", TT): 2_500,
    ("dala_style", IG): 9_000,
    ("dala_style", TT): 4_000,
    ("dala_style", VK): 4_000,
    ("astana_fit", IG): 12_000,
    ("astana_fit", TG): 6_000,
    ("bilim_online", IG): 30_000,
    ("bilim_online", TT): 55_000,  # overfunded: the marketer chases TikTok's high CTR
    ("bilim_online", TG): 22_000,
    ("bilim_online", VK): 22_000,
    ("jet_delivery", IG): 4_500,
    ("jet_delivery", FB): 2_000,
    ("jet_delivery", VK): 2_000,
    ("jet_delivery", TG): 2_000,
}
"""Average daily budget (KZT) of each brand and platform; actual spend = budget × season × weekly level."""

REFERENCE_SPEND: dict[tuple[str, str], float] = {("bilim_online", TT): 20_000}
"""Spend at which a channel's rates equal the platform medians (default: its budget). Above it every next tenge
buys less; Bilim Online spends 2.75 times its TikTok reference, which the budget lesson is meant to find."""

SEASON: dict[str, tuple[float, ...]] = {
    # Sep, Oct, Nov, Dec, Jan, Feb
    "qazaq_coffee": (1.0, 1.0, 0.9, 1.2, 0.9, 1.0),
    "dala_style": (1.0, 1.0, 1.35, 1.25, 0.8, 1.0),
    "astana_fit": (1.1, 1.0, 0.9, 0.8, 1.4, 1.1),
    "bilim_online": (1.3, 1.1, 0.8, 0.7, 1.2, 1.0),
    "jet_delivery": (0.9, 1.0, 1.1, 1.2, 1.0, 1.0),
}
"""Monthly budget season of each brand (ЕНТ preparation peaks in September and January, fitness in January)."""

WEEKLY_LEVEL_SIGMA = 0.55
WEEKLY_LEVEL_RANGE = (0.35, 2.8)
"""The marketer's weekly budget level: lognormal around 1, clipped; it gives the curves a range to be fitted on."""


@dataclass(frozen=True)
class BrandEconomics:
    """Site conversion per session, gross margin and how first orders are priced."""

    sales: str  # "shop": buys on the site; "lead": a manager closes the sale after a lead
    site_lead_rate: float
    site_buy_rate: float
    site_close: float
    margin: float
    lag_days: float


ECONOMICS: dict[str, BrandEconomics] = {
    "qazaq_coffee": BrandEconomics("shop", 0.030, 0.020, 0.0, 0.65, 0.0),
    "dala_style": BrandEconomics("shop", 0.008, 0.022, 0.0, 0.45, 0.0),
    "astana_fit": BrandEconomics("lead", 0.090, 0.0, 0.18, 0.70, 3.0),
    "bilim_online": BrandEconomics("lead", 0.140, 0.0, 0.03, 0.75, 6.0),
    "jet_delivery": BrandEconomics("shop", 0.004, 0.035, 0.0, 0.28, 0.0),
}
"""Gross margins by niche: coffee 65 %, clothing 45 %, fitness 70 %, online school 75 %, food delivery 28 %."""

FORM_FUNNEL: dict[tuple[str, str], tuple[float, float]] = {
    # (brand, platform): (leads per link click, share of leads that buy)
    ("astana_fit", IG): (0.10, 0.15),
    ("astana_fit", TG): (0.30, 0.20),
    ("bilim_online", IG): (0.100, 0.012),
    ("bilim_online", TT): (0.060, 0.010),
    ("bilim_online", TG): (0.400, 0.042),
    ("bilim_online", VK): (0.078, 0.019),
}

MEMBERSHIPS = ((19_900, 30), (49_900, 90), (159_000, 365))
"""Astana Fit plans: (price KZT, days); the first purchase is one of them."""
MEMBERSHIP_P = (0.55, 0.35, 0.10)
COURSES = (89_000, 119_000, 149_000, 189_000)
"""Bilim Online ЕНТ courses (KZT)."""
COURSE_P = (0.25, 0.40, 0.25, 0.10)
BASKET = {"qazaq_coffee": (2_600, 0.35, 10), "dala_style": (19_500, 0.45, 100), "jet_delivery": (7_200, 0.40, 10)}
"""Shops: first-order value ~ lognormal(median, sigma), rounded to a step (KZT)."""

ADS_COLUMNS = [
    "date", "brand_id", "platform", "campaign_id", "campaign_name", "objective", "adset_id", "targeting", "ad_id",
    "creative", "spend_kzt", "impressions", "reach", "clicks_all", "link_clicks", "leads", "purchases",
    "revenue_kzt", "utm_source", "utm_medium", "utm_campaign",
]
REACH_OUTAGE = ("VK Ads", np.datetime64("2025-11-10"), np.datetime64("2025-11-16"))
"""VK's statistics API returned no reach for a week: these rows have an empty ``reach`` in both tables."""


# --------------------------------------------------------------------------------------------- helpers


def month_index(days: np.ndarray) -> np.ndarray:
    """0 for September 2025 … 5 for February 2026."""
    months = days.astype("datetime64[M]").astype(int)
    return months - np.datetime64("2025-09", "M").astype(int)


@lru_cache(maxsize=32)
def hour_cdf(brand_id: str, earliest_hour: int = 0) -> np.ndarray:
    """Cumulative share of the brand's Instagram audience online by local weekday (rows) and hour.

    Hours before ``earliest_hour`` get no mass: the online shares of the later hours are renormalised, so a
    sample from this CDF follows the audience's clock within the allowed hours (nothing piles up at the first
    allowed hour).

    >>> cdf = hour_cdf("jet_delivery", earliest_hour=8)
    >>> bool((cdf[:, :8] == 0).all()), bool((cdf[:, -1] == 1).all())
    (True, True)
    """
    account = next(a for a in u.ACCOUNTS if a.brand_id == brand_id and a.platform == "Instagram")
    grid = activity_matrix(account).copy()
    grid[:, :earliest_hour] = 0.0
    cdf = np.cumsum(grid, axis=1) / grid.sum(axis=1, keepdims=True)
    cdf[:, -1] = 1.0  # exact, so that a draw u < 1 never falls past 23:00
    return cdf


def sample_times(rng: np.random.Generator, days: np.ndarray, brand_id: str, earliest_hour: int = 0) -> np.ndarray:
    """Local naive timestamps (seconds) on ``days``, hours drawn by the brand audience's online share.

    Hours are drawn from the audience curve truncated at ``earliest_hour`` (not clipped onto it).
    """
    days = np.asarray(days, dtype="datetime64[D]")
    if days.size == 0:
        return days.astype("datetime64[s]")
    cdf = hour_cdf(brand_id, earliest_hour)
    weekday = (days.astype(int) + 3) % 7  # 1970-01-01 was a Thursday
    hour = (rng.random(days.size)[:, None] >= cdf[weekday]).sum(axis=1)
    seconds = hour * 3600 + rng.integers(0, 3600, days.size)
    return days.astype("datetime64[s]") + seconds.astype("timedelta64[s]")


def first_order_values(rng: np.random.Generator, brand_id: str, n: int) -> np.ndarray:
    """Revenue (KZT) of ``n`` first orders of a brand."""
    if brand_id == "astana_fit":
        return np.array([p for p, _ in MEMBERSHIPS])[rng.choice(3, n, p=MEMBERSHIP_P)]
    if brand_id == "bilim_online":
        return np.array(COURSES)[rng.choice(len(COURSES), n, p=COURSE_P)]
    median, sigma, step = BASKET[brand_id]
    return (np.round(median * np.exp(sigma * rng.standard_normal(n)) / step) * step).astype(np.int64)


def gross_profit(rng: np.random.Generator, brand_id: str, revenue: np.ndarray) -> np.ndarray:
    """Gross profit of orders: revenue × the niche margin × a product-mix factor 0.9–1.1."""
    factor = rng.uniform(0.9, 1.1, len(revenue))
    return np.round(np.asarray(revenue) * ECONOMICS[brand_id].margin * factor).astype(np.int64)


def iso_local(stamps: np.ndarray) -> np.ndarray:
    """Naive local timestamps → ISO 8601 text with the +05:00 offset."""
    return np.char.add(np.datetime_as_string(stamps.astype("datetime64[s]"), unit="s"), "+05:00")


def iso_utc(stamps: np.ndarray) -> np.ndarray:
    """Naive local timestamps → ISO 8601 text in UTC with a trailing Z."""
    return np.char.add(np.datetime_as_string((stamps - UTC_OFFSET).astype("datetime64[s]"), unit="s"), "Z")


# ------------------------------------------------------------------------------------- the ads world


@dataclass(frozen=True)
class AdsWorld:
    """Ad-day rows (clean columns plus hidden helpers) and one row per lead or site purchase they produced."""

    ads: pd.DataFrame
    conversions: pd.DataFrame


def _ad_catalogue() -> pd.DataFrame:
    """One row per ad: its campaign's attributes, ad set, creative and its share of the campaign's spend."""
    rows = []
    for c in CAMPAIGNS:
        for s, adset in enumerate(c.adsets, start=1):
            for a, creative in enumerate(adset.creatives, start=1):
                share = (1 / len(c.adsets)) * (1 / len(adset.creatives)) * (1.15 if a == 1 else 0.85)
                rows.append(
                    {
                        "campaign": c,
                        "brand_id": c.brand_id,
                        "platform": c.platform,
                        "campaign_id": c.campaign_id,
                        "objective": c.objective,
                        "adset_id": f"{c.campaign_id}-S{s}",
                        "ad_id": f"{c.campaign_id}-S{s}-A{a}",
                        "targeting": adset.targeting,
                        "creative": creative,
                        "weight": c.weight * share,
                        "start": np.datetime64(c.start),
                        "end": np.datetime64(c.end),
                    }
                )
    return pd.DataFrame(rows)


def _daily_budgets(rng: np.random.Generator, catalogue: pd.DataFrame) -> dict[tuple[str, str], np.ndarray]:
    """Planned spend per brand and platform and day: reference × season × weekly level × pacing noise."""
    weeks = (DAYS - PERIOD_START).astype(int) // 7
    months = month_index(DAYS)
    budgets = {}
    for (brand_id, platform), base in BUDGETS.items():
        mine = catalogue[(catalogue["brand_id"] == brand_id) & (catalogue["platform"] == platform)]
        active = ((DAYS[:, None] >= mine["start"].to_numpy()) & (DAYS[:, None] <= mine["end"].to_numpy())).any(1)
        level = np.clip(np.exp(WEEKLY_LEVEL_SIGMA * rng.standard_normal(weeks.max() + 1)), *WEEKLY_LEVEL_RANGE)
        pacing = np.exp(0.10 * rng.standard_normal(DAYS.size))
        season = np.asarray(SEASON[brand_id])[months]
        budgets[(brand_id, platform)] = np.where(active, base * season * level[weeks] * pacing, 0.0)
    return budgets


def _spend_rows(rng: np.random.Generator, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Ad-day rows with the spend in the billing currency (cents for USD/EUR) and in KZT."""
    budgets = _daily_budgets(rng, catalogue)
    frames = []
    for (brand_id, platform), planned in budgets.items():
        mine = catalogue[(catalogue["brand_id"] == brand_id) & (catalogue["platform"] == platform)]
        active = (DAYS[:, None] >= mine["start"].to_numpy()) & (DAYS[:, None] <= mine["end"].to_numpy())
        weights = active * mine["weight"].to_numpy() * np.exp(0.15 * rng.standard_normal(active.shape))
        shares = weights / np.where(weights.sum(1, keepdims=True) > 0, weights.sum(1, keepdims=True), 1.0)
        day_idx, ad_idx = np.nonzero(active)
        target = planned[day_idx] * shares[day_idx, ad_idx]
        frame = mine.iloc[ad_idx].reset_index(drop=True)
        frame["day"] = DAYS[day_idx]
        frame["target_kzt"] = target
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True)
    currency = rows["platform"].map(lambda p: PLATFORMS[p].currency)
    rate = currency.map(RATES).to_numpy(dtype=float)
    minor = np.where(currency == "KZT", 1, 100)  # cents for USD/EUR, whole tenge for KZT
    units = np.maximum(np.round(rows["target_kzt"].to_numpy() / rate * minor), minor).astype(np.int64)
    rows["spend_minor"] = units
    rows["currency"] = currency
    rows["spend_kzt"] = np.round(units * rate / minor, 2)
    return rows.sort_values(["day", "ad_id"], kind="stable").reset_index(drop=True)


def _auction(rng: np.random.Generator, rows: pd.DataFrame) -> pd.DataFrame:
    """Impressions, reach and clicks of each ad-day; r = the brand's daily spend on the platform / its reference."""
    bp = list(zip(rows["brand_id"], rows["platform"], strict=True))
    total = rows.groupby(["brand_id", "platform", "day"])["spend_kzt"].transform("sum").to_numpy()
    r = total / np.array([REFERENCE_SPEND.get(k, BUDGETS[k]) for k in bp])
    b = rows["platform"].map(lambda p: PLATFORMS[p].b).to_numpy()
    lack = 1.0 - b  # the (1 − b) elasticity lost to rising prices (30 %), falling CTR (30 %) and CVR (40 %)
    effect = np.array([OBJECTIVE_EFFECT[o] for o in rows["objective"]])
    cpm = (
        rows["platform"].map(lambda p: PLATFORMS[p].cpm_kzt).to_numpy()
        * effect[:, 0]
        * r ** (0.3 * lack)
        * np.exp(0.10 * rng.standard_normal(len(rows)))
    )
    impressions = np.maximum(np.round(rows["spend_kzt"].to_numpy() / cpm * 1000), 1).astype(np.int64)
    ctr_link = (
        rows["platform"].map(lambda p: PLATFORMS[p].ctr_link).to_numpy()
        * effect[:, 1]
        * rows["creative"].map(CREATIVE_CTR).to_numpy()
        * np.array([BRAND_CTR.get(k, 1.0) for k in bp])
        * r ** (-0.3 * lack)
        * np.exp(0.10 * rng.standard_normal(len(rows)))
    )
    ctr_other = rows["platform"].map(lambda p: PLATFORMS[p].ctr_other).to_numpy() * np.sqrt(effect[:, 1])
    frequency = np.maximum(
        rows["platform"].map(lambda p: PLATFORMS[p].frequency).to_numpy()
        * effect[:, 2]
        * r**0.15
        * np.exp(0.06 * rng.standard_normal(len(rows))),
        1.05,
    )
    out = rows.copy()
    out["impressions"] = impressions
    out["reach"] = np.maximum(np.round(impressions / frequency), 1).astype(np.int64)
    out["link_clicks"] = rng.binomial(impressions, np.clip(ctr_link, 0, 1))
    out["clicks_all"] = out["link_clicks"] + rng.binomial(impressions, ctr_other)
    out["_conv"] = effect[:, 3] * r ** (-0.4 * lack)  # conversion multiplier: objective × falling CVR
    return out


def _conversions(rng: np.random.Generator, ads: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Leads and site purchases of each ad-day (one row each, with times and first-order values); sessions."""
    destination = ads["campaign"].map(lambda c: c.destination).to_numpy()
    site = destination == "site"
    landing = ads["platform"].map(lambda p: PLATFORMS[p].landing).to_numpy()
    sessions = np.where(site, rng.binomial(ads["link_clicks"].to_numpy(), landing), 0)
    econ = [ECONOMICS[b] for b in ads["brand_id"]]
    conv = ads["_conv"].to_numpy()
    lead_rate = np.array([e.site_lead_rate for e in econ]) * conv
    buy_rate = np.array([e.site_buy_rate for e in econ]) * conv
    site_leads = rng.binomial(sessions, np.clip(lead_rate, 0, 1))
    site_buys = rng.binomial(sessions - site_leads, np.clip(buy_rate, 0, 1))
    pairs = zip(ads["brand_id"], ads["platform"], strict=True)
    form = np.array([FORM_FUNNEL.get(pair, (0.0, 0.0)) for pair in pairs])
    form_leads = np.where(site, 0, rng.binomial(ads["link_clicks"].to_numpy(), np.clip(form[:, 0] * conv, 0, 1)))
    close = np.where(site, [e.site_close for e in econ], form[:, 1])

    leads = site_leads + form_leads
    row = np.concatenate([np.repeat(np.arange(len(ads)), leads), np.repeat(np.arange(len(ads)), site_buys)])
    kind = np.concatenate([np.full(leads.sum(), "lead"), np.full(site_buys.sum(), "buy")])
    conv_rows = pd.DataFrame({"row": row, "kind": kind})
    conv_rows["brand_id"] = ads["brand_id"].to_numpy()[row]
    conv_rows["day"] = ads["day"].to_numpy()[row]
    conv_rows["via"] = np.where(site[row], "site", "form")
    conv_rows = conv_rows.sort_values(["row", "kind"], kind="stable").reset_index(drop=True)

    parts = []
    for brand_id, part in conv_rows.groupby("brand_id", sort=True):
        part = part.copy()
        part["event_ts"] = sample_times(rng, part["day"].to_numpy(), brand_id, earliest_hour=1)
        is_lead = (part["kind"] == "lead").to_numpy()
        sale = ~is_lead | (rng.random(len(part)) < close[part["row"].to_numpy()])
        lag_days = ECONOMICS[brand_id].lag_days
        lag = np.floor(rng.gamma(2.0, lag_days / 2.0, len(part))) if lag_days else np.zeros(len(part))
        order_day = part["day"].to_numpy() + lag.astype("timedelta64[D]")
        manager = order_day.astype("datetime64[s]") + rng.integers(10 * 3600, 20 * 3600, len(part)).astype(
            "timedelta64[s]"
        )  # a manager closes the sale in working hours, never before the lead came in
        earliest = part["event_ts"].to_numpy() + rng.integers(300, 3600, len(part)).astype("timedelta64[s]")
        order_ts = np.where(is_lead, np.maximum(manager, earliest), part["event_ts"].to_numpy())
        order_ts = order_ts.astype("datetime64[m]")
        sold = sale & (order_ts.astype("datetime64[s]") < ORDERS_END)
        revenue = first_order_values(rng, brand_id, len(part))
        part["sold"] = sold
        part["order_ts"] = np.where(sold, order_ts.astype("datetime64[s]"), np.datetime64("NaT"))
        part["revenue"] = np.where(sold, revenue, 0)
        part["gross_profit"] = np.where(sold, gross_profit(rng, brand_id, revenue), 0)
        parts.append(part)
    conversions = pd.concat(parts).sort_values(["row", "kind", "event_ts"], kind="stable").reset_index(drop=True)
    return conversions, sessions


@lru_cache(maxsize=4)
def _ads_world(seed: int) -> AdsWorld:
    rng = np.random.default_rng(seed)
    catalogue = _ad_catalogue()
    rows = _auction(rng, _spend_rows(rng, catalogue))
    conversions, sessions = _conversions(rng, rows)
    rows["_sessions"] = sessions
    counts = conversions.groupby(["row", "kind"]).size().unstack(fill_value=0)
    sold = conversions[conversions["sold"]].groupby("row").agg(purchases=("sold", "size"), revenue=("revenue", "sum"))
    rows["leads"] = counts.get("lead", pd.Series(dtype=int)).reindex(rows.index, fill_value=0).to_numpy()
    rows["purchases"] = sold["purchases"].reindex(rows.index, fill_value=0).to_numpy()
    rows["revenue_kzt"] = sold["revenue"].reindex(rows.index, fill_value=0).to_numpy()
    conversions["ad_id"] = rows["ad_id"].to_numpy()[conversions["row"]]
    conversions["platform"] = rows["platform"].to_numpy()[conversions["row"]]
    conversions["utm_campaign"] = rows["campaign"].map(lambda c: c.utm_campaign).to_numpy()[conversions["row"]]
    return AdsWorld(ads=rows, conversions=conversions)


def ads_world(seed: int = SEED) -> AdsWorld:
    """The simulated ad-days and their conversions (copies: callers may modify them)."""
    world = _ads_world(seed)
    return AdsWorld(ads=world.ads.copy(), conversions=world.conversions.copy())


def make_ads_daily(seed: int = SEED) -> pd.DataFrame:
    """Daily statistics of every ad (campaign / ad set / ad), as a marketer's clean report joins the cabinets."""
    rows = ads_world(seed).ads
    campaign = rows["campaign"]
    utm = campaign.map(lambda c: c.utm_campaign)
    site = campaign.map(lambda c: c.destination == "site")
    reach = rows["reach"].astype("Int64")
    outage = (rows["platform"] == REACH_OUTAGE[0]) & rows["day"].between(REACH_OUTAGE[1], REACH_OUTAGE[2])
    reach = reach.mask(outage)
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(rows["day"]).dt.strftime("%Y-%m-%d"),
            "brand_id": rows["brand_id"],
            "platform": rows["platform"],
            "campaign_id": rows["campaign_id"],
            "campaign_name": campaign.map(lambda c: c.name),
            "objective": campaign.map(lambda c: c.objective),
            "adset_id": rows["adset_id"],
            "targeting": rows["targeting"],
            "ad_id": rows["ad_id"],
            "creative": rows["creative"],
            "spend_kzt": rows["spend_kzt"].astype(float),
            "impressions": rows["impressions"],
            "reach": reach,
            "clicks_all": rows["clicks_all"],
            "link_clicks": rows["link_clicks"],
            "leads": rows["leads"],
            "purchases": rows["purchases"],
            "revenue_kzt": rows["revenue_kzt"].astype(np.int64),
            "utm_source": rows["platform"].map(lambda p: PLATFORMS[p].utm_source).where(site),
            "utm_medium": pd.Series("cpc", index=rows.index).where(site),
            "utm_campaign": utm.where(site),
        }
    )
    return out[ADS_COLUMNS].reset_index(drop=True)


# ------------------------------------------------------------------------------------------ raw export

META_PLATFORMS = ("Meta (Instagram)", "Meta (Facebook)")
RAW_IMPRESSIONS = "impressions "
"""The raw export's impressions column: its name ends with a space (as pasted from the cabinet)."""
NBSP = "\u00a0"


def _spend_text(minor: np.ndarray, currency: np.ndarray) -> list[str]:
    """Spend as the cabinets print it: «$24.70» (USD), «€18,5» (EUR, decimal comma), «12 500 ₸» (KZT)."""
    out = []
    for value, cur in zip(minor.tolist(), currency.tolist(), strict=True):
        if cur == "USD":
            out.append(f"${value // 100}.{value % 100:02d}")
        elif cur == "EUR":
            text = f"{value // 100},{value % 100:02d}".rstrip("0").rstrip(",")
            out.append(f"€{text}")
        else:
            out.append(f"{value:,}".replace(",", NBSP) + " ₸")
    return out


def _date_text(days: pd.Series, platform: pd.Series) -> pd.Series:
    """Meta exports MM/DD/YYYY, VK DD.MM.YYYY, TikTok and Telegram ISO YYYY-MM-DD."""
    stamps = pd.to_datetime(days)
    meta = stamps.dt.strftime("%m/%d/%Y")
    vk = stamps.dt.strftime("%d.%m.%Y")
    iso = stamps.dt.strftime("%Y-%m-%d")
    return iso.where(~platform.isin(META_PLATFORMS), meta).where(platform != "VK Ads", vk)


def make_ads_daily_raw(seed: int = SEED) -> pd.DataFrame:
    """``ads_daily`` as two cabinet exports pasted together by hand, with the quirks listed in its datasheet."""
    world = ads_world(seed)
    clean = make_ads_daily(seed)
    rng = np.random.default_rng(seed + 101)
    raw = clean.copy()
    raw["date"] = _date_text(world.ads["day"], raw["platform"])
    raw["spend_kzt"] = _spend_text(world.ads["spend_minor"].to_numpy(), world.ads["currency"].to_numpy())
    meta = raw["platform"].isin(META_PLATFORMS)
    raw["leads"] = raw["leads"].astype("Int64").mask(meta & (raw["leads"] == 0))
    raw = raw.rename(columns={"spend_kzt": "spend", "impressions": RAW_IMPRESSIONS})
    # the Meta export first, then the agency's TikTok / VK / Telegram export, each in its own row order
    block = np.where(meta, 0, 1)
    order = np.lexsort((raw["ad_id"].to_numpy(), clean["date"].to_numpy(), block))
    raw = raw.iloc[order].reset_index(drop=True)
    dup = np.flatnonzero(rng.random(len(raw)) < 0.01)
    position = np.concatenate([np.arange(len(raw)), dup + 0.5])
    raw = pd.concat([raw, raw.iloc[dup]]).iloc[np.argsort(position, kind="stable")].reset_index(drop=True)
    return raw


# --------------------------------------------------------------------------------------------- A/B test

AB_BRAND = "qazaq_coffee"
AB_START = np.datetime64("2026-02-02")
AB_DAYS = 14
AB_USERS = 10_000
AB_TRUE_RATE = {"A": 0.100, "B": 0.120}
"""True conversion (promo redeemed within 7 days) of each creative: B beats A by +20 % relative."""
AB_CTR = {"A": 0.22, "B": 0.26}
AB_CONV_IF_CLICKED = 0.30
AB_CREATIVE = {"A": "фото капучино", "B": "видео с бариста"}
AB_PEEK_DAYS = 3


def _ab_draw(rng: np.random.Generator) -> pd.DataFrame:
    weights = np.array([1.0, 1.05, 1.05, 1.0, 0.95, 0.8, 0.75] * 2)[:AB_DAYS]  # smaller batches at weekends
    day = rng.choice(AB_DAYS, AB_USERS, p=weights / weights.sum())
    day.sort()
    group = np.where(rng.random(AB_USERS) < 0.5, "A", "B")
    ctr = np.where(group == "A", AB_CTR["A"], AB_CTR["B"])
    rate = np.where(group == "A", AB_TRUE_RATE["A"], AB_TRUE_RATE["B"])
    clicked = rng.random(AB_USERS) < ctr
    no_click_rate = (rate - ctr * AB_CONV_IF_CLICKED) / (1 - ctr)
    converted = rng.random(AB_USERS) < np.where(clicked, AB_CONV_IF_CLICKED, no_click_rate)
    seconds = rng.integers(10 * 3600, 11 * 3600 + 1800, AB_USERS)  # the batch goes out at 10:00–11:30
    exposed = (AB_START + day).astype("datetime64[s]") + seconds.astype("timedelta64[s]")
    return pd.DataFrame({"day": day, "group": group, "clicked": clicked, "converted": converted, "ts": exposed})


def _ab_acceptable(draw: pd.DataFrame) -> bool:
    """The realisation shows the peeking trap (A ahead after 3 days) and B significantly ahead at the end."""
    from smmkit.analysis.abtest import ztest_two_proportions

    def counts(frame: pd.DataFrame) -> tuple[int, int, int, int]:
        a, b = frame[frame["group"] == "A"], frame[frame["group"] == "B"]
        return int(a["converted"].sum()), len(a), int(b["converted"].sum()), len(b)

    early = counts(draw[draw["day"] < AB_PEEK_DAYS])
    final = ztest_two_proportions(*counts(draw))
    return early[0] / early[1] > early[2] / early[3] and final.significant and final.diff > 0


def make_ab_test(seed: int = AB_SEED) -> pd.DataFrame:
    """Per-user results of Qazaq Coffee's WhatsApp promo A/B test (two creatives, 14 daily batches)."""
    rng = np.random.default_rng(seed)
    while True:  # keep the first realisation that shows the documented peeking trap
        draw = _ab_draw(rng)
        if _ab_acceptable(draw):
            break
    draw = draw.sort_values(["ts", "group"], kind="stable").reset_index(drop=True)
    return pd.DataFrame(
        {
            "user_id": [f"QC-L{i:05d}" for i in rng.permutation(np.arange(1, AB_USERS + 1))],
            "brand_id": AB_BRAND,
            "group": draw["group"],
            "creative": draw["group"].map(AB_CREATIVE),
            "exposed_at": iso_local(draw["ts"].to_numpy()),
            "clicked": draw["clicked"].astype(int),
            "converted": draw["converted"].astype(int),
        }
    )


RECIPES: tuple[Recipe, ...] = (
    Recipe("ads_daily", lambda: make_ads_daily(seed=SEED), "smmkit.data.ads_data.make_ads_daily(seed=2026)"),
    Recipe(
        "ads_daily_raw", lambda: make_ads_daily_raw(seed=SEED), "smmkit.data.ads_data.make_ads_daily_raw(seed=2026)"
    ),
    Recipe("ab_test", lambda: make_ab_test(seed=AB_SEED), "smmkit.data.ads_data.make_ab_test(seed=7)"),
)
