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

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from smmkit.data import universe as u
from smmkit.data.generators import activity_matrix
from smmkit.data.rates import EUR_KZT as EUR_KZT  # re-exported: the course rates (smmkit.data.rates)
from smmkit.data.rates import RATES as RATES
from smmkit.data.rates import USD_KZT as USD_KZT
from smmkit.data.realism import Loader
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
    "bilim_online": (1.25, 1.0, 0.9, 0.9, 1.1, 1.0),
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
    "revenue_kzt", "purchases_reported", "utm_source", "utm_medium", "utm_campaign",
]
REACH_OUTAGE = ("VK Ads", np.datetime64("2025-11-10"), np.datetime64("2025-11-16"))
"""VK's statistics API returned no reach for a week: these rows have an empty ``reach`` in both tables."""

# ----------------------------------------------------------------------- creatives: rotation and fatigue
ROTATION_LIFE_DAYS = (21, 56)
"""A creative runs 3–8 weeks (uniform), then a fresh one replaces it in its slot of the ad set."""
ROTATION_OVERLAP = (0, 7)
"""Days the fresh creative runs beside the tired one it replaces."""
TEST_EVERY_DAYS = 8
"""On average one short creative test per ad set every 8 days."""
TEST_LIFE_DAYS = (3, 14)
TEST_WEIGHT = 0.03
"""A test ad runs 3–14 days with 3 % of a regular ad's weight: delivery gives it a trickle unless it clicks."""
QUALITY_SIGMA = 0.25
"""Each ad's own CTR quality: lognormal with mean 1 and σ = 0.25 (two σ up, a creative clicks e^0.5 ≈ 1.6 times
as often as the average one)."""
FATIGUE_PER_DAY = 0.012
"""Creative fatigue: CTR × exp(−0.012 · days live), −8 % a week, −29 % after four weeks."""
FREQUENCY_GROWTH_DAYS = 60.0
"""Daily frequency grows as the same audience keeps seeing the ad: × (1 + days live / 60)."""
DELIVERY_GAMMA = 3.0
DELIVERY_SIGMA = 0.60
"""The auction gives more of the budget to ads that click better now: weight × (quality · fatigue)^1.5 × noise."""
CTR_DAY_SIGMA = 0.15
"""Day-to-day CTR noise of one ad (lognormal σ)."""

CPM_SEASON: tuple[tuple[str, str, float], ...] = (
    # (first day, last day, CPM multiplier); later entries win; the rest of the period is 1.0
    ("2025-10-01", "2025-10-31", 1.03),
    ("2025-11-01", "2025-11-23", 1.08),
    ("2025-11-24", "2025-12-01", 1.30),  # Black Friday (28 Nov) and Cyber Monday week
    ("2025-12-02", "2025-12-14", 1.12),
    ("2025-12-15", "2025-12-30", 1.22),  # New Year gifts: every advertiser bids
    ("2025-12-31", "2026-01-10", 0.80),  # New Year holidays: advertisers pause, the auction is calm
    ("2026-01-11", "2026-01-31", 0.90),
    ("2026-02-01", "2026-02-22", 0.96),
    ("2026-02-23", "2026-02-28", 1.08),  # the run-up to 8 March (gifts, flowers, beauty)
)
"""Seasonal CPM multipliers of Meta and TikTok; Наурыз (21–23 March) and 8 March itself fall after the period."""
CPM_SEASON_AMPLITUDE = {IG: 1.0, FB: 1.0, TT: 1.0, VK: 0.5, TG: 0.0}

@dataclass(frozen=True)
class Pixel:
    """How a platform's pixel counts site purchases (what the cabinet reports, not what the CRM knows)."""

    window: str  # attribution setting as the cabinet names it
    seen: float  # share of true click-through purchases the pixel sees (ITP/ATT, blockers, other devices)
    view: float  # extra purchases credited through views and repeat orders in the window, per true purchase
    duplicate: float  # share of counted purchases counted twice (the pixel fires again on a page reload)


PIXELS: dict[str, Pixel] = {
    IG: Pixel("7-day click, 1-day view", 0.85, 0.38, 0.04),
    FB: Pixel("7-day click, 1-day view", 0.85, 0.38, 0.04),
    TT: Pixel("7-day click, 1-day view", 0.80, 0.48, 0.06),
    VK: Pixel("post-click 30 дней, post-view 1 день", 0.72, 0.45, 0.08),
}
"""Telegram Ads has no pixel: it reports views, clicks and channel joins / bot starts only."""
SHOP_BRANDS = ("qazaq_coffee", "dala_style", "jet_delivery")
"""Brands whose sales happen on the site (the pixel's Purchase event); lead brands sell by phone."""
"""Share of the seasonal swing each platform's price follows. Telegram Ads sells at the CPM the advertiser sets
(season changes how much is delivered, not the price); VK's mostly domestic auction swings half as much."""


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


def _stream(seed: int, key: str) -> np.random.Generator:
    """An RNG stream of its own for one ad set / brand / platform, so that a change elsewhere stays local."""
    return np.random.default_rng([seed, zlib.crc32(key.encode())])


def _adset_flights(rng: np.random.Generator, c: Campaign, adset: AdSet, s: int) -> list[dict[str, object]]:
    """The ads of one ad set: a chain of creatives per slot (each replaced when it tires) plus short tests."""
    first, last = np.datetime64(c.start), np.datetime64(c.end)
    flights: list[dict[str, object]] = []
    for slot, creative in enumerate(adset.creatives):
        share = 1.15 if slot == 0 else 0.85
        begin = first
        while begin <= last:
            life = int(rng.integers(*ROTATION_LIFE_DAYS, endpoint=True))
            stop = begin + np.timedelta64(life - 1, "D")
            if last - stop < np.timedelta64(ROTATION_LIFE_DAYS[0] // 2, "D"):
                stop = last  # no stub of a few days at the campaign's end: the last creative runs it out
            flights.append({"slot": slot, "creative": creative, "share": share, "start": begin, "end": stop,
                            "test": False})
            overlap = int(rng.integers(*ROTATION_OVERLAP, endpoint=True))
            begin = max(stop + np.timedelta64(1 - overlap, "D"), begin + np.timedelta64(1, "D"))
            if stop == last:
                break
    days = int((last - first).astype(int)) + 1
    for _ in range(int(rng.poisson(days / TEST_EVERY_DAYS))):
        begin = first + np.timedelta64(int(rng.integers(0, days)), "D")
        stop = min(begin + np.timedelta64(int(rng.integers(*TEST_LIFE_DAYS, endpoint=True)) - 1, "D"), last)
        slot = int(rng.integers(len(adset.creatives)))
        share = TEST_WEIGHT
        flights.append({"slot": slot, "creative": adset.creatives[slot], "share": share, "start": begin,
                        "end": stop, "test": True})
    flights.sort(key=lambda f: (f["start"], f["slot"], f["test"]))
    quality = np.exp(QUALITY_SIGMA * rng.standard_normal(len(flights)) - QUALITY_SIGMA**2 / 2)
    rows = []
    for a, (flight, q) in enumerate(zip(flights, quality, strict=True), start=1):
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
                "creative": flight["creative"],
                "adset_weight": c.weight / len(c.adsets),
                "slot_weight": float(flight["share"]),  # type: ignore[arg-type]
                "quality": float(q),
                "test": flight["test"],
                "start": flight["start"],
                "end": flight["end"],
            }
        )
    return rows


def _ad_catalogue(seed: int = SEED) -> pd.DataFrame:
    """One row per ad: campaign attributes, ad set, creative, dates live, CTR quality and share of spend."""
    rows = []
    for c in CAMPAIGNS:
        for s, adset in enumerate(c.adsets, start=1):
            rows.extend(_adset_flights(_stream(seed, f"{c.campaign_id}-S{s}"), c, adset, s))
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


def fatigue(days_live: np.ndarray) -> np.ndarray:
    """CTR multiplier of a creative that has run ``days_live`` days (0 on its first day).

    >>> [round(float(x), 2) for x in fatigue(np.array([0, 7, 28]))]
    [1.0, 0.92, 0.71]
    """
    return np.exp(-FATIGUE_PER_DAY * np.asarray(days_live, dtype=float))


def cpm_season(days: np.ndarray) -> np.ndarray:
    """Seasonal CPM multiplier of each day (auction competition: Q4, Black Friday, New Year, calm January)."""
    days = np.asarray(days, dtype="datetime64[D]")
    out = np.ones(days.size)
    for begin, stop, factor in CPM_SEASON:
        out = np.where((days >= np.datetime64(begin)) & (days <= np.datetime64(stop)), factor, out)
    return out


def _spend_rows(rng: np.random.Generator, catalogue: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """Ad-day rows with the spend in the billing currency (cents for USD/EUR) and in KZT.

    The platform's delivery favours the ads that click better now (quality × fatigue, to the power
    ``DELIVERY_GAMMA``); tired and weak ads get a trickle. Ad-days whose spend rounds to zero billing units had no
    delivery and are not in the cabinet's statistics.
    """
    budgets = _daily_budgets(rng, catalogue)
    frames = []
    for (brand_id, platform), planned in budgets.items():
        mine = catalogue[(catalogue["brand_id"] == brand_id) & (catalogue["platform"] == platform)]
        local = _stream(seed, f"delivery-{brand_id}-{platform}")
        active = (DAYS[:, None] >= mine["start"].to_numpy()) & (DAYS[:, None] <= mine["end"].to_numpy())
        age = (DAYS[:, None] - mine["start"].to_numpy()).astype("timedelta64[D]").astype(int)
        appeal = mine["quality"].to_numpy() * fatigue(np.maximum(age, 0))
        # the marketer splits the budget between ad sets (fixed weights, a little pacing noise) ...
        adset = pd.factorize(mine["adset_id"])[0]
        member = adset[None, :] == np.arange(adset.max() + 1)[:, None]  # ad set × ad
        adset_on = (active[:, None, :] & member[None]).any(2)  # day × ad set
        adset_weight = mine.groupby("adset_id", sort=False)["adset_weight"].first().to_numpy()
        adset_share = adset_on * adset_weight * np.exp(0.15 * local.standard_normal(adset_on.shape))
        adset_share /= np.where(adset_share.sum(1, keepdims=True) > 0, adset_share.sum(1, keepdims=True), 1.0)
        # ... and inside each ad set the platform gives most of it to the ad that clicks best right now
        within = (
            active
            * mine["slot_weight"].to_numpy()
            * appeal**DELIVERY_GAMMA
            * np.exp(DELIVERY_SIGMA * local.standard_normal(active.shape))
        )
        within_total = within @ member.T.astype(float)  # day × ad set
        within_total = np.where(within_total > 0, within_total, 1.0)
        shares = within / within_total[:, adset] * adset_share[:, adset]
        day_idx, ad_idx = np.nonzero(active)
        target = planned[day_idx] * shares[day_idx, ad_idx]
        frame = mine.iloc[ad_idx].reset_index(drop=True)
        frame["day"] = DAYS[day_idx]
        frame["days_live"] = age[day_idx, ad_idx]
        frame["target_kzt"] = target
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True)
    currency = rows["platform"].map(lambda p: PLATFORMS[p].currency)
    rate = currency.map(RATES).to_numpy(dtype=float)
    minor = np.where(currency == "KZT", 1, 100)  # cents for USD/EUR, whole tenge for KZT
    units = np.round(rows["target_kzt"].to_numpy() / rate * minor).astype(np.int64)
    rows["spend_minor"] = units
    rows["currency"] = currency
    rows["spend_kzt"] = np.round(units * rate / minor, 2)
    rows = rows[units > 0]
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
        * (1 + rows["platform"].map(CPM_SEASON_AMPLITUDE).to_numpy() * (cpm_season(rows["day"].to_numpy()) - 1))
        * r ** (0.3 * lack)
        * np.exp(0.10 * rng.standard_normal(len(rows)))
    )
    impressions = np.maximum(np.round(rows["spend_kzt"].to_numpy() / cpm * 1000), 1).astype(np.int64)
    # the ad's own appeal. Quality is relative to the spend-weighted quality of the brand's ads on the platform
    # that day (a strong creative beats a weak one, the brand's CTR level stays); fatigue is absolute (when all
    # creatives are tired the brand's CTR sags), scaled by its spend-weighted mean over the period so that each
    # brand and platform keeps its median CTR
    spend = rows["spend_kzt"].to_numpy()
    quality = rows["quality"].to_numpy()
    tired = fatigue(rows["days_live"].to_numpy())
    day_keys = [rows["brand_id"], rows["platform"], rows["day"]]
    day_quality = pd.Series(quality * spend).groupby(day_keys).transform("sum").to_numpy() / total
    period_keys = [rows["brand_id"], rows["platform"]]
    period_tired = (
        pd.Series(tired * spend).groupby(period_keys).transform("sum").to_numpy()
        / pd.Series(spend).groupby(period_keys).transform("sum").to_numpy()
    )
    appeal = quality / day_quality * tired / period_tired
    ctr_link = (
        rows["platform"].map(lambda p: PLATFORMS[p].ctr_link).to_numpy()
        * effect[:, 1]
        * rows["creative"].map(CREATIVE_CTR).to_numpy()
        * np.array([BRAND_CTR.get(k, 1.0) for k in bp])
        * r ** (-0.3 * lack)
        * appeal
        * np.exp(CTR_DAY_SIGMA * rng.standard_normal(len(rows)))
    )
    ctr_other = rows["platform"].map(lambda p: PLATFORMS[p].ctr_other).to_numpy() * np.sqrt(effect[:, 1])
    frequency = np.maximum(
        rows["platform"].map(lambda p: PLATFORMS[p].frequency).to_numpy()
        * effect[:, 2]
        * r**0.15
        * (1 + rows["days_live"].to_numpy() / FREQUENCY_GROWTH_DAYS)
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


def _reported_purchases(rng: np.random.Generator, rows: pd.DataFrame) -> np.ndarray:
    """Purchases the cabinet reports for each ad-day (NaN where it tracks no site purchases).

    Of the CRM's first orders the pixel sees a share ``seen``; view-through purchases (people who saw the ad and
    bought the next day through another channel) and repeat orders in the click window add ``view`` per true
    purchase, spread over the ad-days by impressions; ``duplicate`` of the counted ones are counted twice.
    """
    out = np.full(len(rows), np.nan)
    site = rows["campaign"].map(lambda c: c.destination == "site").to_numpy()
    tracked = site & rows["brand_id"].isin(SHOP_BRANDS).to_numpy() & rows["platform"].isin(list(PIXELS)).to_numpy()
    for (_brand, platform), part in rows[tracked].groupby(["brand_id", "platform"], sort=True):
        pixel = PIXELS[str(platform)]
        true = part["purchases"].to_numpy()
        impressions = part["impressions"].to_numpy()
        seen = rng.binomial(true, pixel.seen)
        extra = rng.poisson(pixel.view * true.sum() * impressions / impressions.sum())
        counted = seen + extra
        out[part.index.to_numpy()] = counted + rng.binomial(counted, pixel.duplicate)
    return out


@lru_cache(maxsize=4)
def _ads_world(seed: int) -> AdsWorld:
    rng = np.random.default_rng(seed)
    catalogue = _ad_catalogue(seed)
    rows = _auction(rng, _spend_rows(rng, catalogue, seed))
    conversions, sessions = _conversions(rng, rows)
    rows["_sessions"] = sessions
    counts = conversions.groupby(["row", "kind"]).size().unstack(fill_value=0)
    sold = conversions[conversions["sold"]].groupby("row").agg(purchases=("sold", "size"), revenue=("revenue", "sum"))
    rows["leads"] = counts.get("lead", pd.Series(dtype=int)).reindex(rows.index, fill_value=0).to_numpy()
    rows["purchases"] = sold["purchases"].reindex(rows.index, fill_value=0).to_numpy()
    rows["revenue_kzt"] = sold["revenue"].reindex(rows.index, fill_value=0).to_numpy()
    rows["purchases_reported"] = _reported_purchases(_stream(seed, "pixel"), rows)
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
            "purchases_reported": rows["purchases_reported"].astype("Int64"),
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


def _export_maker(name: str) -> Callable[[], pd.DataFrame]:
    """The generator of one cabinet export (imported lazily: smmkit.data.ads_exports imports this module)."""

    def make() -> pd.DataFrame:
        from smmkit.data import ads_exports

        return getattr(ads_exports, f"make_ads_export_{name}")(seed=SEED)

    return make


RECIPES: tuple[Recipe, ...] = (
    Recipe("ads_daily", lambda: make_ads_daily(seed=SEED), "smmkit.data.ads_data.make_ads_daily(seed=2026)"),
    Recipe(
        "ads_daily_raw", lambda: make_ads_daily_raw(seed=SEED), "smmkit.data.ads_data.make_ads_daily_raw(seed=2026)"
    ),
    Recipe("ab_test", lambda: make_ab_test(seed=AB_SEED), "smmkit.data.ads_data.make_ab_test(seed=7)"),
    *(
        Recipe(f"ads_export_{name}", _export_maker(name), f"smmkit.data.ads_exports.make_ads_export_{name}(seed=2026)")
        for name in ("meta", "tiktok", "vk", "telegram")
    ),
)


# ------------------------------------------------------------------------------------- realism measures



def _ctr_rows(ads: pd.DataFrame, min_impressions: int = 500) -> pd.DataFrame:
    rows = ads[ads["impressions"] >= min_impressions]
    return rows.assign(ctr=rows["link_clicks"] / rows["impressions"])


def realism_ctr_cv(load: Loader) -> float:
    """Spread of link CTR across ad-day rows (≥ 500 impressions): CV within each platform, median of platforms."""
    rows = _ctr_rows(load("ads_daily"))
    cv = rows.groupby("platform", observed=True)["ctr"].agg(lambda x: x.std() / x.mean())
    return float(cv.median())


def realism_zero_click_share(load: Loader) -> float:
    """Share of ad-day rows without a single link click, %."""
    ads = load("ads_daily")
    return float(100 * (ads["link_clicks"] == 0).mean())


def realism_median_ad_days(load: Loader) -> float:
    """Median number of days an ad is in the statistics (first to last day with spend)."""
    ads = load("ads_daily")
    span = ads.groupby("ad_id")["date"].agg(lambda d: (d.max() - d.min()).days + 1)
    return float(span.median())


def _ctr_link(load: Loader, platforms: tuple[str, ...]) -> float:
    ads = load("ads_daily")
    part = ads[ads["platform"].isin(platforms)]
    return float(100 * part["link_clicks"].sum() / part["impressions"].sum())


def realism_ctr_link_meta(load: Loader) -> float:
    """Link CTR of Meta (Instagram and Facebook placements), Σ clicks / Σ impressions, %."""
    return _ctr_link(load, META_PLATFORMS)


def realism_ctr_link_tiktok(load: Loader) -> float:
    """Link CTR of TikTok, %."""
    return _ctr_link(load, (TT,))


def realism_ctr_link_telegram(load: Loader) -> float:
    """CTR of Telegram Ads (clicks per view), %."""
    return _ctr_link(load, (TG,))


def _cpm(load: Loader, platforms: tuple[str, ...], currency: str = "KZT") -> float:
    ads = load("ads_daily")
    part = ads[ads["platform"].isin(platforms)]
    return float(part["spend_kzt"].sum() / part["impressions"].sum() * 1000 / RATES[currency])


def realism_cpm_meta_usd(load: Loader) -> float:
    """CPM of Meta over the period, USD (spend converted back at the course rate)."""
    return _cpm(load, META_PLATFORMS, "USD")


def realism_cpm_tiktok_usd(load: Loader) -> float:
    """CPM of TikTok over the period, USD."""
    return _cpm(load, (TT,), "USD")


def realism_cpm_telegram_eur(load: Loader) -> float:
    """CPM of Telegram Ads over the period, EUR."""
    return _cpm(load, (TG,), "EUR")


def realism_cpm_vk_kzt(load: Loader) -> float:
    """CPM of VK Ads over the period, ₸."""
    return _cpm(load, (VK,))


def _window_cpm(ads: pd.DataFrame, first: str, last: str) -> float:
    part = ads[ads["date"].between(first, last)]
    return float(part["spend_kzt"].sum() / part["impressions"].sum())


def realism_cpm_black_friday_uplift(load: Loader) -> float:
    """Meta and TikTok CPM in Black Friday week (24 Nov – 1 Dec) over September–October's, %."""
    ads = load("ads_daily")
    auction = ads[ads["platform"].isin([*META_PLATFORMS, TT])]
    base = _window_cpm(auction, "2025-09-01", "2025-10-31")
    return float(100 * (_window_cpm(auction, "2025-11-24", "2025-12-01") / base - 1))


def realism_cpm_january_drop(load: Loader) -> float:
    """Meta and TikTok CPM in 1–10 January under 15–30 December's, %."""
    ads = load("ads_daily")
    auction = ads[ads["platform"].isin([*META_PLATFORMS, TT])]
    peak = _window_cpm(auction, "2025-12-15", "2025-12-30")
    return float(100 * (1 - _window_cpm(auction, "2026-01-01", "2026-01-10") / peak))


def realism_weekly_frequency(load: Loader) -> float:
    """Median weekly frequency Σ impressions / Σ daily reach over platform-weeks (a lower bound)."""
    ads = load("ads_daily").dropna(subset=["reach"])
    weekly = ads.groupby(["platform", ads["date"].dt.to_period("W")], observed=True)[["impressions", "reach"]].sum()
    return float((weekly["impressions"] / weekly["reach"]).median())


def realism_reported_over_crm(load: Loader) -> float:
    """Purchases the cabinets report over the CRM's first orders on the same rows, % above."""
    ads = load("ads_daily").dropna(subset=["purchases_reported"])
    return float(100 * (ads["purchases_reported"].sum() / ads["purchases"].sum() - 1))
