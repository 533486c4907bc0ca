"""Seeded generators for end-to-end analytics: GA4-like web events, CRM orders (clean, raw, order lines), journeys
and the web-analytics exports (a Яндекс.Метрика report and a GA4 report as the interfaces download them).

One story with :mod:`smmkit.data.ads_data`: every site purchase and every lead counted in ``ads_daily`` is a
row here. A lead or purchase from an ad becomes the customer's first order (its ``channel_first`` is the ad
platform); organic channels bring more customers; customers come back by brand-specific habits (coffee and
delivery often, clothing rarely, the school sells upsells, the fitness club renews memberships) and return to
the site directly or from WhatsApp and e-mail. The brands moved to one CRM on 2025-09-01, so every customer's
first CRM order is in the window. GA4's BigQuery export was switched on 2025-12-01: the full export
(December–February) is made on demand (``smmkit datasets large web_events``), the committed ``web_events`` is its
February. The sources disagree as real ones do: the CRM keeps every order, GA4 misses the visitors whose browser
blocks it and purchases whose thank-you page never loaded; UTM tags arrive typed by hand. ``journeys`` is a
separate sample of multi-touch paths for attribution; its converted journeys are CRM customers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from smmkit.data import ads_data as ad
from smmkit.data import names
from smmkit.data.realism import Loader
from smmkit.data.recipe import Recipe

SEED = ad.SEED
JOURNEY_SEED = 11
WEB_START = np.datetime64("2025-12-01", "D")
"""The day GA4's BigQuery export was switched on: the full web export starts here."""
SAMPLE_START = np.datetime64("2026-02-01", "D")
"""The committed ``web_events`` is the export's last month (sessions that start from this local day on)."""
WEB_DAYS = np.arange(WEB_START, ad.PERIOD_END + 1)
ORDERS_END = ad.ORDERS_END

BRANDS = tuple(ad.BRAND_PREFIX)
STATUSES = ("оплачен", "возврат", "отменён")

# GA4 traffic source of each organic / returning channel: (source, medium, campaign); "{p}" is the brand prefix.
ORGANIC_SOURCES: dict[str, tuple[str, str, str]] = {
    "Instagram органика": ("l.instagram.com", "referral", "(referral)"),
    "TikTok органика": ("tiktok.com", "referral", "(referral)"),
    "Telegram-канал": ("t.me", "referral", "(referral)"),
    "Поиск": ("google", "organic", "(organic)"),
    "Директ/прямые": ("(direct)", "(none)", "(direct)"),
    "2ГИС": ("2gis.kz", "referral", "(referral)"),
    "Блогеры": ("instagram", "influencer", "{p}_bloggers"),
}
RETURN_SOURCES: dict[str, tuple[str, str, str]] = {
    "direct": ("(direct)", "(none)", "(direct)"),
    "whatsapp": ("whatsapp", "messenger", "{p}_whatsapp"),
    "email": ("email", "email", "{p}_newsletter"),
}
OFFLINE_CHANNELS = ("Рекомендация", "Instagram органика", "2ГИС", "Telegram-канал")
CHANNELS_FIRST = (
    "Instagram реклама",
    "Facebook реклама",
    "TikTok реклама",
    "VK реклама",
    "Telegram Ads",
    "Instagram органика",
    "TikTok органика",
    "Telegram-канал",
    "Поиск",
    "Директ/прямые",
    "2ГИС",
    "Блогеры",
    "Рекомендация",
)
"""``channel_first`` values: the customer's first-touch channel as the CRM records it."""


@dataclass(frozen=True)
class BrandFunnel:
    """Organic acquisition, site browsing and repeat-purchase habits of one brand."""

    organic_buys: float
    organic_leads: float
    offline: float
    online_mix: dict[str, float]
    offline_mix: dict[str, float]
    browse: float
    repeat: str
    gap_days: float
    second: float
    keep: float
    repeat_online: float
    return_mix: dict[str, float]
    statuses: tuple[float, float]
    cities: dict[str, float] = field(default_factory=dict)


FUNNELS: dict[str, BrandFunnel] = {
    "qazaq_coffee": BrandFunnel(
        0.65, 0.4, 0.25,
        {"Instagram органика": 0.40, "Поиск": 0.20, "2ГИС": 0.25, "Директ/прямые": 0.15},
        {"Рекомендация": 0.6, "2ГИС": 0.4},
        18.0, "habit", 9.0, 0.80, 0.86, 0.90, {"direct": 0.55, "whatsapp": 0.45}, (0.0, 0.02),
        {"Алматы": 0.93, "Астана": 0.03, "Қонаев": 0.02, "(not set)": 0.02},
    ),
    "dala_style": BrandFunnel(
        1.1, 0.2, 0.9,
        {"Instagram органика": 0.40, "TikTok органика": 0.15, "Поиск": 0.15, "Директ/прямые": 0.12, "Блогеры": 0.18},
        {"Instagram органика": 0.7, "Рекомендация": 0.3},
        30.0, "rare", 45.0, 0.25, 0.35, 0.85, {"direct": 0.45, "whatsapp": 0.25, "email": 0.30}, (0.08, 0.03),
        {"Алматы": 0.33, "Астана": 0.22, "Шымкент": 0.11, "Караганда": 0.07, "Актобе": 0.05, "Атырау": 0.05,
         "Павлодар": 0.04, "Усть-Каменогорск": 0.04, "Костанай": 0.03, "Тараз": 0.04, "(not set)": 0.02},
    ),
    "astana_fit": BrandFunnel(
        0.0, 1.4, 0.6,
        {"Instagram органика": 0.25, "Поиск": 0.25, "2ГИС": 0.35, "Директ/прямые": 0.15},
        {"Рекомендация": 0.55, "2ГИС": 0.25, "Instagram органика": 0.20},
        8.0, "renewal", 0.0, 0.0, 0.0, 0.40, {"whatsapp": 0.5, "direct": 0.3, "email": 0.2}, (0.01, 0.01),
        {"Астана": 0.96, "(not set)": 0.04},
    ),
    "bilim_online": BrandFunnel(
        0.0, 2.2, 0.35,
        {"TikTok органика": 0.25, "Instagram органика": 0.25, "Telegram-канал": 0.20, "Блогеры": 0.20, "Поиск": 0.10},
        {"Рекомендация": 0.6, "Telegram-канал": 0.4},
        10.0, "upsell", 30.0, 0.35, 0.30, 0.60, {"whatsapp": 0.5, "direct": 0.3, "email": 0.2}, (0.03, 0.01),
        {"Караганда": 0.34, "Астана": 0.15, "Алматы": 0.14, "Темиртау": 0.08, "Павлодар": 0.07, "Актобе": 0.07,
         "Шымкент": 0.06, "Костанай": 0.06, "(not set)": 0.03},
    ),
    "jet_delivery": BrandFunnel(
        0.75, 0.1, 0.35,
        {"Instagram органика": 0.30, "Поиск": 0.25, "2ГИС": 0.20, "Директ/прямые": 0.15, "Telegram-канал": 0.10},
        {"Рекомендация": 0.7, "Telegram-канал": 0.3},
        60.0, "habit", 14.0, 0.72, 0.80, 0.85, {"direct": 0.5, "whatsapp": 0.35, "email": 0.15}, (0.01, 0.03),
        {"Шымкент": 0.61, "Алматы": 0.34, "(not set)": 0.05},
    ),
}
"""Per-day rates are for the whole window; ``browse`` is web-window sessions per day without a conversion."""

UPSELLS = (19_000, 29_000, 39_000)
"""Bilim Online add-ons: a mock ЕНТ, an extra subject, a personal tutor pack (KZT)."""
MEMBERSHIP_RENEW = {30: 0.72, 90: 0.60, 365: 0.50}
NOT_SET_SHARE = 0.02
"""Share of paid sessions whose campaign tag was lost on a redirect: GA4 shows campaign "(not set)"."""
RETURN_BROWSE_RATE = {"jet_delivery": 0.12}
"""Web-window sessions without an order per web customer per day (customers come back to look); default 0.012.
Delivery customers open the menu about once a week without ordering: Jet Delivery's sessions → purchase lands at
the food-and-beverage e-commerce norm (about 6 %) instead of the 11.8 % that only-converting visits gave."""
RETURN_BROWSE_DEFAULT = 0.012
REUSE_VISITOR = 0.15
"""Share of browsing sessions made by a visitor already seen on the site (a returning user_pseudo_id)."""

WEB_COLUMNS = [
    "event_ts", "event_name", "user_pseudo_id", "session_id", "brand_id", "source", "medium", "campaign",
    "device", "city", "transaction_id", "value_kzt",
]
EVENTS = ("session_start", "page_view", "view_item", "add_to_cart", "begin_checkout", "generate_lead", "purchase")
CRM_COLUMNS = [
    "order_id", "customer_id", "customer_name", "phone", "brand_id", "user_pseudo_id", "transaction_id",
    "order_ts", "channel_first", "revenue_kzt", "gross_profit_kzt", "is_first_order", "status",
]


# ------------------------------------------------------------------------------------ small helpers


def _choice(rng: np.random.Generator, mix: dict[str, float], n: int) -> np.ndarray:
    """``n`` draws from a named distribution (keys in insertion order)."""
    keys = np.array(list(mix), dtype=object)
    p = np.array(list(mix.values()), dtype=float)
    return keys[rng.choice(len(keys), n, p=p / p.sum())]


def _epoch(stamps: np.ndarray) -> np.ndarray:
    """Unix seconds (UTC) of naive local timestamps."""
    return ((stamps - ad.UTC_OFFSET).astype("datetime64[s]")).astype(np.int64)


def _source(channel: str, prefix: str) -> tuple[str, str, str]:
    """GA4 (source, medium, campaign) of an organic or returning channel for a brand."""
    table = ORGANIC_SOURCES if channel in ORGANIC_SOURCES else RETURN_SOURCES
    source, medium, campaign = table[channel]
    return source, medium, campaign.format(p=prefix.lower())


class _Ids:
    """Unique GA4-like user_pseudo_id values: a random number and the first visit's Unix time."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def new(self, first_visits: np.ndarray) -> np.ndarray:
        """One new id per first-visit timestamp (naive local time)."""
        out = []
        for ts in _epoch(np.asarray(first_visits)).tolist():
            while True:
                text = f"{int(self.rng.integers(100_000_000, 2_147_483_647))}.{ts}"
                if text not in self.seen:
                    self.seen.add(text)
                    out.append(text)
                    break
        return np.array(out, dtype=object)


# ------------------------------------------------------------------------------ site conversions


def _organic_conversions(rng: np.random.Generator) -> pd.DataFrame:
    """Leads, purchases and offline first orders from organic channels over the whole window."""
    frames = []
    for brand_id in BRANDS:
        f = FUNNELS[brand_id]
        econ = ad.ECONOMICS[brand_id]
        season = np.asarray(ad.SEASON[brand_id])[ad.month_index(ad.DAYS)]
        for kind, rate in (("buy", f.organic_buys), ("lead", f.organic_leads), ("offline", f.offline)):
            counts = rng.poisson(rate * season)
            days = np.repeat(ad.DAYS, counts)
            n = days.size
            if n == 0:
                continue
            part = pd.DataFrame({"brand_id": brand_id, "day": days, "kind": kind})
            part["via"] = "form" if kind == "offline" else "site"
            mix = f.offline_mix if kind == "offline" else f.online_mix
            part["channel"] = _choice(rng, mix, n)
            part["event_ts"] = ad.sample_times(rng, days, brand_id, earliest_hour=1)
            close = {"buy": 1.0, "lead": econ.site_close, "offline": 1.0}[kind]
            sale = rng.random(n) < close
            lag = np.floor(rng.gamma(2.0, econ.lag_days / 2.0, n)) if kind == "lead" and econ.lag_days else 0
            manager = (days + np.asarray(lag, dtype="timedelta64[D]")).astype("datetime64[s]") + rng.integers(
                10 * 3600, 20 * 3600, n
            ).astype("timedelta64[s]")
            order_ts = part["event_ts"].to_numpy()
            if kind == "lead":
                order_ts = np.maximum(manager, order_ts + rng.integers(300, 3600, n).astype("timedelta64[s]"))
            order_ts = order_ts.astype("datetime64[m]").astype("datetime64[s]")
            sold = sale & (order_ts < ORDERS_END)
            revenue = ad.first_order_values(rng, brand_id, n)
            part["sold"] = sold
            part["order_ts"] = np.where(sold, order_ts, np.datetime64("NaT"))
            part["revenue"] = np.where(sold, revenue, 0)
            part["gross_profit"] = np.where(sold, ad.gross_profit(rng, brand_id, revenue), 0)
            frames.append(part)
    return pd.concat(frames, ignore_index=True)


def _all_conversions(rng: np.random.Generator, world: ad.AdsWorld) -> pd.DataFrame:
    """Ad and organic conversions in one table: who converted, how, when, through which channel and UTM."""
    paid = world.conversions.copy()
    paid["channel"] = paid["platform"].map(lambda p: ad.PLATFORMS[p].channel)
    paid["source"] = paid["platform"].map(lambda p: ad.PLATFORMS[p].utm_source)
    paid["medium"] = "cpc"
    paid["campaign"] = paid["utm_campaign"]
    paid["paid"] = True
    organic = _organic_conversions(rng)
    organic["row"] = -1
    organic["paid"] = False
    prefix = organic["brand_id"].map(ad.BRAND_PREFIX)
    site = organic["via"] == "site"
    triples = [_source(c, p) if s else ("", "", "") for c, p, s in zip(organic["channel"], prefix, site, strict=True)]
    organic["source"], organic["medium"], organic["campaign"] = (list(x) for x in zip(*triples, strict=True))
    columns = ["row", "brand_id", "day", "kind", "via", "paid", "channel", "source", "medium", "campaign",
               "event_ts", "sold", "order_ts", "revenue", "gross_profit"]
    table = pd.concat([paid[columns], organic[columns]], ignore_index=True)
    table = table.sort_values(["event_ts", "brand_id", "row"], kind="stable").reset_index(drop=True)
    # a converting site visit: the session starts a few minutes before the lead or the purchase
    site = (table["via"] == "site").to_numpy()
    gap = np.where(table["kind"] == "buy", rng.integers(180, 900, len(table)), rng.integers(60, 480, len(table)))
    table["session_start"] = np.where(site, table["event_ts"].to_numpy() - gap.astype("timedelta64[s]"),
                                      np.datetime64("NaT"))
    return table


# --------------------------------------------------------------------------------------- customers


@dataclass
class _Crm:
    """CRM orders with helper columns, and the web users who became customers (with their conversion row)."""

    orders: pd.DataFrame
    web_users: pd.DataFrame


def _repeat_orders(
    rng: np.random.Generator, brand_id: str, first_ts: np.datetime64, revenue: int
) -> list[tuple[np.datetime64, int]]:
    """(timestamp, revenue) of a customer's later orders, by the brand's repeat habit."""
    f = FUNNELS[brand_id]
    out: list = []
    ts = first_ts
    if f.repeat == "renewal":
        days = dict(ad.MEMBERSHIPS)[revenue]
        price = revenue
        while rng.random() < MEMBERSHIP_RENEW[days]:
            ts = ts + np.timedelta64(int(days + rng.integers(-2, 6)), "D")
            if ts >= ORDERS_END:
                break
            if rng.random() < 0.3:  # switches plan
                price, days = ad.MEMBERSHIPS[int(rng.choice(3, p=ad.MEMBERSHIP_P))]
            out.append((ts, price))
        return out
    if f.repeat == "upsell":
        p = f.second
        while rng.random() < p:
            ts = ts + np.timedelta64(int(rng.integers(15, 61)), "D")
            if ts >= ORDERS_END:
                break
            out.append((ts, int(rng.choice(UPSELLS))))
            p = f.keep
        return out
    p = f.second
    while rng.random() < p:
        gap = rng.gamma(1.4, f.gap_days / 1.4) + 1.0  # at least a day later: re-timing keeps the order
        ts = ts + np.timedelta64(int(gap * 86400), "s")
        if ts >= ORDERS_END:
            break
        out.append((ts, None))
        p = f.keep
    if out:
        values = ad.first_order_values(rng, brand_id, len(out))
        out = [(t, int(v)) for (t, _), v in zip(out, values, strict=True)]
    return out


def _day_time(rng: np.random.Generator, stamps: np.ndarray, brand_id: str) -> np.ndarray:
    """Move timestamps to an hour the brand's audience is online on the same day (minute precision)."""
    days = stamps.astype("datetime64[D]")
    return ad.sample_times(rng, days, brand_id, earliest_hour=8).astype("datetime64[m]").astype("datetime64[s]")


OPERATORS = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778")


def _names(rng: np.random.Generator, n: int) -> list[str]:
    """Customers' «Имя Фамилия», weighted like Kazakhstan's population (see :mod:`smmkit.data.names`).

    It takes from ``rng`` exactly the draws the generator made before the names moved to ``names.yaml``, so the
    funnel's later draws (phones, web users) are unchanged; the names come from their own stream seeded by them.
    """
    female = rng.random(n) < names.female_share()
    key = np.concatenate([rng.integers(0, 1000, n), rng.integers(0, 24, n)])  # the old first-name and surname picks
    stream = np.random.default_rng([2021, *key.tolist()])
    return names.draw_names(stream, n, female=female)


def _phones(rng: np.random.Generator, n: int) -> list[str]:
    """Distinct Kazakhstan mobile numbers in the +77XXXXXXXXX form."""
    seen: set[str] = set()
    out = []
    while len(out) < n:
        phone = f"+7{OPERATORS[int(rng.integers(len(OPERATORS)))]}{int(rng.integers(0, 10_000_000)):07d}"
        if phone not in seen:
            seen.add(phone)
            out.append(phone)
    return out


def _crm(rng: np.random.Generator, conv: pd.DataFrame, ids: _Ids) -> _Crm:
    """Customers from sold conversions, their repeat orders, order statuses and web ids."""
    firsts = conv[conv["sold"]].copy().sort_values(["order_ts", "brand_id", "event_ts"], kind="stable")
    firsts = firsts.reset_index().rename(columns={"index": "conv"})
    web = (firsts["via"] == "site").to_numpy()
    firsts["user_pseudo_id"] = None
    firsts.loc[web, "user_pseudo_id"] = ids.new(firsts.loc[web, "session_start"].to_numpy())
    rows = []
    for brand_id in BRANDS:
        mine = firsts[firsts["brand_id"] == brand_id]
        prefix = ad.BRAND_PREFIX[brand_id]
        for k, rec in enumerate(mine.itertuples(index=False), start=1):
            customer = f"{prefix}-C{k:05d}"
            rows.append((customer, brand_id, rec.order_ts, int(rec.revenue), int(rec.gross_profit), True,
                         rec.kind == "buy", rec.conv, rec.user_pseudo_id, rec.channel))
            for ts, value in _repeat_orders(rng, brand_id, np.datetime64(rec.order_ts, "s"), int(rec.revenue)):
                online = rec.user_pseudo_id is not None and rng.random() < FUNNELS[brand_id].repeat_online
                gp = int(ad.gross_profit(rng, brand_id, np.array([value]))[0])
                rows.append((customer, brand_id, ts, value, gp, False, online, -1, rec.user_pseudo_id, rec.channel))
    orders = pd.DataFrame(rows, columns=["customer_id", "brand_id", "order_ts", "revenue_kzt", "gross_profit_kzt",
                                         "is_first_order", "online", "conv", "user_pseudo_id", "channel_first"])
    repeat = ~orders["is_first_order"]
    for brand_id in BRANDS:  # re-time repeats by each brand's audience clock
        mask = repeat & (orders["brand_id"] == brand_id)
        orders.loc[mask, "order_ts"] = _day_time(rng, orders.loc[mask, "order_ts"].to_numpy(), brand_id)
    orders = orders[orders["order_ts"] < ORDERS_END]
    orders = orders.sort_values(["order_ts", "customer_id"], kind="stable").reset_index(drop=True)
    status = np.full(len(orders), STATUSES[0], dtype=object)
    for brand_id in BRANDS:
        mask = (orders["brand_id"] == brand_id).to_numpy()
        returned, cancelled = FUNNELS[brand_id].statuses
        u = rng.random(mask.sum())
        status[mask] = np.where(u < returned, STATUSES[1], np.where(u < returned + cancelled, STATUSES[2], STATUSES[0]))
    orders["status"] = status
    orders["order_id"] = ""
    for brand_id in BRANDS:
        mask = orders["brand_id"] == brand_id
        orders.loc[mask, "order_id"] = [f"{ad.BRAND_PREFIX[brand_id]}-{i:06d}" for i in range(1, mask.sum() + 1)]
    tx = rng.choice(np.arange(1_000_000, 10_000_000), int(orders["online"].sum()), replace=False)
    orders["transaction_id"] = None
    orders.loc[orders["online"], "transaction_id"] = [f"T{t}" for t in tx]
    customers = orders.drop_duplicates("customer_id")[["customer_id"]].sort_values("customer_id", kind="stable")
    customers["customer_name"] = _names(rng, len(customers))
    customers["phone"] = _phones(rng, len(customers))
    orders = orders.merge(customers, on="customer_id", how="left")
    web_users = firsts.loc[web, ["user_pseudo_id", "brand_id", "session_start", "conv"]].reset_index(drop=True)
    return _Crm(orders=orders, web_users=web_users)


# -------------------------------------------------------------------------------------------- the web


def _device_city(rng: np.random.Generator, brand: np.ndarray, source: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Device category (phones dominate social traffic) and city of new visitors."""
    social = np.isin(source, ["instagram", "facebook", "tiktok", "vk", "telegram", "l.instagram.com", "tiktok.com",
                              "t.me", "whatsapp"])
    u = rng.random(len(brand))
    mobile = np.where(social, 0.86, 0.60)
    device = np.where(u < mobile, "mobile", np.where(u < mobile + 0.035, "tablet", "desktop"))
    city = np.empty(len(brand), dtype=object)
    for brand_id in BRANDS:
        mask = brand == brand_id
        city[mask] = _choice(rng, FUNNELS[brand_id].cities, int(mask.sum()))
    return device, city


def in_web(stamps: np.ndarray) -> np.ndarray:
    """True for timestamps in the web export's window (December 2025 – February 2026)."""
    return stamps.astype("datetime64[D]") >= WEB_START


def _sessions(rng: np.random.Generator, world: ad.AdsWorld, conv: pd.DataFrame, crm: _Crm, ids: _Ids) -> pd.DataFrame:
    """Sessions of the web window (Dec–Feb): converting visits, paid and organic browsing, repeat orders and
    returning visitors."""
    parts = []
    # 1. visits that ended in a lead or a purchase (customers' ids from the CRM, a new id for unsold leads)
    site = conv[(conv["via"] == "site") & in_web(conv["session_start"].to_numpy())].copy()
    user_of = dict(zip(crm.web_users["conv"], crm.web_users["user_pseudo_id"], strict=True))
    site["user"] = [user_of.get(i) for i in site.index]
    fresh = site["user"].isna().to_numpy()
    site.loc[fresh, "user"] = ids.new(site.loc[fresh, "session_start"].to_numpy())
    order_of = crm.orders[crm.orders["is_first_order"] & (crm.orders["conv"] >= 0)].set_index("conv")
    site["transaction_id"] = order_of["transaction_id"].reindex(site.index).to_numpy()
    site["value"] = order_of["revenue_kzt"].reindex(site.index).to_numpy()
    parts.append(pd.DataFrame({
        "brand_id": site["brand_id"], "user": site["user"], "start": site["session_start"],
        "source": site["source"], "medium": site["medium"], "campaign": site["campaign"],
        "lead_ts": np.where(site["kind"] == "lead", site["event_ts"], np.datetime64("NaT")),
        "purchase_ts": np.where(site["kind"] == "buy", site["event_ts"], np.datetime64("NaT")),
        "transaction_id": site["transaction_id"], "value": site["value"], "new_user": True,
    }))
    # 2. paid visits without a conversion: the rest of each ad-day's sessions
    ads = world.ads
    feb = ads[ads["day"] >= WEB_START]
    converted = conv[(conv["row"] >= 0) & (conv["via"] == "site")].groupby("row").size()
    browse_n = (feb["_sessions"] - converted.reindex(feb.index, fill_value=0)).clip(lower=0).to_numpy()
    idx = np.repeat(feb.index.to_numpy(), browse_n)
    paid = pd.DataFrame({
        "brand_id": ads.loc[idx, "brand_id"].to_numpy(),
        "day": ads.loc[idx, "day"].to_numpy(),
        "source": ads.loc[idx, "platform"].map(lambda p: ad.PLATFORMS[p].utm_source).to_numpy(),
        "medium": "cpc",
        "campaign": ads.loc[idx, "campaign"].map(lambda c: c.utm_campaign).to_numpy(),
    })
    # 3. organic visits without a conversion
    organic = []
    for brand_id in BRANDS:
        counts = rng.poisson(FUNNELS[brand_id].browse, WEB_DAYS.size)
        n = int(counts.sum())
        channel = _choice(rng, FUNNELS[brand_id].online_mix, n)
        triples = [_source(c, ad.BRAND_PREFIX[brand_id]) for c in channel]
        organic.append(pd.DataFrame({
            "brand_id": brand_id, "day": np.repeat(WEB_DAYS, counts),
            "source": [t[0] for t in triples], "medium": [t[1] for t in triples], "campaign": [t[2] for t in triples],
        }))
    browse = pd.concat([paid, *organic], ignore_index=True)
    browse["start"] = np.empty(len(browse), dtype="datetime64[s]")
    for brand_id in BRANDS:
        mask = (browse["brand_id"] == brand_id).to_numpy()
        browse.loc[mask, "start"] = ad.sample_times(rng, browse.loc[mask, "day"].to_numpy(), brand_id)
    reuse = rng.random(len(browse)) < REUSE_VISITOR
    browse["user"] = None
    browse.loc[~reuse, "user"] = ids.new(browse.loc[~reuse, "start"].to_numpy())
    browse["new_user"] = ~reuse
    browse = browse.sort_values(["start", "brand_id"], kind="stable").reset_index(drop=True)
    users = browse["user"].to_numpy(copy=True)
    seen: dict[str, list[str]] = {b: [] for b in BRANDS}
    for i, (brand_id, user) in enumerate(zip(browse["brand_id"], users, strict=True)):
        if user is None:  # a returning visitor: one seen earlier on the same brand's site
            pool = seen[brand_id]
            users[i] = pool[int(rng.integers(len(pool)))] if pool else ids.new(browse["start"].to_numpy()[i : i + 1])[0]
        else:
            seen[brand_id].append(user)
    browse["user"] = users
    parts.append(browse.drop(columns="day"))
    # 4. repeat online orders of the window and 5. returning customers who only look
    orders = crm.orders
    repeat = orders[~orders["is_first_order"] & orders["online"] & in_web(orders["order_ts"].to_numpy())].copy()
    repeat["purchase_ts"] = repeat["order_ts"] + rng.integers(0, 60, len(repeat)).astype("timedelta64[s]")
    repeat["start"] = repeat["purchase_ts"] - rng.integers(120, 720, len(repeat)).astype("timedelta64[s]")
    customers_web = crm.web_users.merge(
        orders[orders["is_first_order"]][["user_pseudo_id", "order_ts"]], on="user_pseudo_id", how="inner"
    )
    looks = []
    for brand_id in BRANDS:
        mine = customers_web[customers_web["brand_id"] == brand_id].sort_values("order_ts", kind="stable")
        who_all = mine["user_pseudo_id"].to_numpy()
        known = np.searchsorted(mine["order_ts"].to_numpy(), WEB_DAYS.astype("datetime64[s]"), side="left")
        counts = rng.poisson(RETURN_BROWSE_RATE.get(brand_id, RETURN_BROWSE_DEFAULT) * known)
        counts = np.where(known > 0, counts, 0)
        pick = (rng.random(int(counts.sum())) * np.repeat(known, counts)).astype(np.int64)
        looks.append(pd.DataFrame({"brand_id": brand_id, "user_pseudo_id": who_all[pick],
                                   "day": np.repeat(WEB_DAYS, counts)}))
    looks = pd.concat(looks, ignore_index=True)
    looks["start"] = np.empty(len(looks), dtype="datetime64[s]")
    for brand_id in BRANDS:
        mask = (looks["brand_id"] == brand_id).to_numpy()
        looks.loc[mask, "start"] = ad.sample_times(rng, looks.loc[mask, "day"].to_numpy(), brand_id)
    for frame in (repeat, looks):
        channel = np.empty(len(frame), dtype=object)
        brands = frame["brand_id"].to_numpy()
        for brand_id in BRANDS:
            mask = brands == brand_id
            channel[mask] = _choice(rng, FUNNELS[brand_id].return_mix, int(mask.sum()))
        frame["channel"] = channel
    for frame in (repeat, looks):
        triples = [_source(c, ad.BRAND_PREFIX[b]) for c, b in zip(frame["channel"], frame["brand_id"], strict=True)]
        frame["source"], frame["medium"], frame["campaign"] = (list(x) for x in zip(*triples, strict=True))
    parts.append(pd.DataFrame({
        "brand_id": repeat["brand_id"], "user": repeat["user_pseudo_id"], "start": repeat["start"],
        "source": repeat["source"], "medium": repeat["medium"], "campaign": repeat["campaign"],
        "purchase_ts": repeat["purchase_ts"], "transaction_id": repeat["transaction_id"],
        "value": repeat["revenue_kzt"], "new_user": False,
    }))
    parts.append(pd.DataFrame({
        "brand_id": looks["brand_id"], "user": looks["user_pseudo_id"], "start": looks["start"],
        "source": looks["source"], "medium": looks["medium"], "campaign": looks["campaign"], "new_user": False,
    }))
    sessions = pd.concat(parts, ignore_index=True)
    sessions["start"] = sessions["start"].astype("datetime64[s]")
    for column in ("lead_ts", "purchase_ts"):
        sessions[column] = sessions[column].astype("datetime64[s]")
    sessions = sessions.sort_values(["start", "user"], kind="stable").reset_index(drop=True)
    clash = sessions.groupby(["user", "start"]).cumcount().to_numpy()  # one user, two sessions in one second
    sessions["start"] = sessions["start"].to_numpy() - clash.astype("timedelta64[s]")
    paid_rows = (sessions["medium"] == "cpc").to_numpy()
    lost = paid_rows & (rng.random(len(sessions)) < NOT_SET_SHARE)
    sessions.loc[lost, "campaign"] = "(not set)"
    return sessions


def _visitor_profiles(rng: np.random.Generator, sessions: pd.DataFrame) -> pd.DataFrame:
    """Each user keeps one device and city: drawn at the user's first session of the window."""
    first = sessions.drop_duplicates("user")
    device, city = _device_city(rng, first["brand_id"].to_numpy(), first["source"].to_numpy())
    profile = pd.DataFrame({"user": first["user"].to_numpy(), "device": device, "city": city})
    return sessions.merge(profile, on="user", how="left")


# ------------------------------------------------------------------------- what GA4 sees of the sessions

BLOCKED_SHARE = 0.13
"""Share of visitors (browsers) GA4 never sees: an ad blocker, a privacy browser or a declined cookie banner.
Their sessions are not in the export, and the CRM's order form gets no client id from them (empty
``user_pseudo_id`` on their orders, although the site order has its ``transaction_id``)."""
LOST_PURCHASE = 0.06
"""Share of the remaining site purchases whose ``purchase`` event is missing: the buyer paid on the payment
provider's page and never came back to the thank-you page where the tag fires (``begin_checkout`` is there)."""
SOCIAL_SOURCES = ("instagram", "facebook", "tiktok", "vk", "telegram", "l.instagram.com", "tiktok.com", "t.me")
ONE_PAGE = {"social": 0.55, "other": 0.40}
"""P(a session without a conversion has one page view): social traffic (in-app browsers) leaves sooner."""
PAGES_MORE = 0.40
"""Pages beyond the first of a multi-page browsing session ~ geometric(0.40): mean 2.5, so 3.5 pages."""
PAGES_BUY = 0.30
"""Pages of a purchase session beyond the landing page ~ geometric(0.30), at least one per funnel step."""
BUY_STEPS = {"view_item_new": 0.78, "view_item_repeat": 0.45, "add_to_cart": 0.88, "begin_checkout": 0.96}
"""P(a purchase session has the step): new buyers come from a product link or the catalogue; repeat buyers use
«повторить заказ» or a direct link from WhatsApp and skip the product page; «Купить в 1 клик» skips the cart."""
TAGGED_MEDIA = ("cpc", "influencer", "messenger", "email")
"""Media of sessions that arrive by a link with UTM tags typed by a person (ads, bloggers, mailings)."""
UTM_MESS = {"case": 0.07, "typo": 0.02, "space": 0.03, "no_medium": 0.03}
"""Shares of tagged sessions whose tags are messy: source in other letter case («Instagram»), a typo
(«intagram»), a stray space around the source, utm_medium missing (GA4 shows «(not set)»)."""


@lru_cache(maxsize=1)
def web_content() -> dict:
    """UTM typos and letter-case variants, and the brands' product catalogues (funnel_web.yaml)."""
    return yaml.safe_load(Path(__file__).with_name("funnel_web.yaml").read_text(encoding="utf-8"))


def _stream(seed: int, key: int) -> np.random.Generator:
    """An RNG stream of one observation stage (its own, so that stages stay independent of each other)."""
    return np.random.default_rng([seed, 404, key])


def blocked_users(seed: int, users: np.ndarray) -> np.ndarray:
    """Boolean mask: which of the (sorted, unique) ``users`` GA4 never sees."""
    return _stream(seed, 1).random(len(users)) < BLOCKED_SHARE


def _messy_utm(seed: int, sessions: pd.DataFrame) -> pd.DataFrame:
    """Source and medium of tagged sessions as typed into links: case, typos, spaces, a missing medium."""
    rng = _stream(seed, 2)
    content = web_content()
    out = sessions.copy()
    n = len(out)
    tagged = out["medium"].isin(TAGGED_MEDIA).to_numpy()
    kinds = np.array(["clean", *UTM_MESS])
    p = np.array([1 - sum(UTM_MESS.values()), *UTM_MESS.values()])
    kind = kinds[rng.choice(len(kinds), n, p=p)]
    pick = rng.random(n)
    source = out["source"].to_numpy(dtype=object).copy()
    medium = out["medium"].to_numpy(dtype=object).copy()
    for i in np.flatnonzero(tagged & (kind != "clean")):
        canon = source[i]
        if kind[i] in ("case", "typo"):
            table = content["utm_case" if kind[i] == "case" else "utm_typos"]
            if canon in table:
                variants = table[canon]
                source[i] = variants[int(pick[i] * len(variants))]
        elif kind[i] == "space":
            source[i] = canon + " " if pick[i] < 0.7 else " " + canon
        else:
            medium[i] = "(not set)"
    out["source"], out["medium"] = source, medium
    return out


def _pages(seed: int, sessions: pd.DataFrame, steps: dict[str, np.ndarray]) -> np.ndarray:
    """Number of page views of each session (at least one page per funnel step it reached)."""
    rng = _stream(seed, 3)
    n = len(sessions)
    buy = sessions["purchase_ts"].notna().to_numpy()
    lead = sessions["lead_ts"].notna().to_numpy()
    social = sessions["source"].isin(SOCIAL_SOURCES).to_numpy()
    one = rng.random(n) < np.where(social, ONE_PAGE["social"], ONE_PAGE["other"])
    browse = np.where(one, 1, 1 + rng.geometric(PAGES_MORE, n))
    pages = np.where(buy, 1 + rng.geometric(PAGES_BUY, n), np.where(lead, rng.geometric(0.5, n), browse))
    need = 1 + steps["cart"].astype(int) + steps["checkout"].astype(int) + (buy & steps["view"]).astype(int)
    return np.maximum(pages, need)


def _steps(seed: int, sessions: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which funnel steps each session reached; purchases may skip the product page, the cart or the checkout."""
    rng = _stream(seed, 4)
    n = len(sessions)
    shop = sessions["brand_id"].map(lambda b: ad.ECONOMICS[b].sales == "shop").to_numpy()
    buy = sessions["purchase_ts"].notna().to_numpy()
    lead = sessions["lead_ts"].notna().to_numpy()
    new = sessions["new_user"].to_numpy(dtype=bool)
    u = rng.random((n, 6))
    view = (u[:, 0] < np.where(shop, 0.50, 0.35)) | (lead & (u[:, 0] < 0.6))
    cart = shop & view & ~lead & (u[:, 1] < 0.22)
    checkout = cart & (u[:, 2] < 0.40)
    p_view = np.where(new, BUY_STEPS["view_item_new"], BUY_STEPS["view_item_repeat"])
    view = np.where(buy, u[:, 3] < p_view, view)
    cart = np.where(buy, u[:, 4] < BUY_STEPS["add_to_cart"], cart)
    checkout = np.where(buy, u[:, 5] < BUY_STEPS["begin_checkout"], checkout)
    lost = buy & (rng.random(n) < LOST_PURCHASE)
    return {"view": view, "cart": cart, "checkout": checkout, "buy": buy & ~lost, "lead": lead}


def _events(seed: int, sessions: pd.DataFrame, since: np.datetime64) -> pd.DataFrame:
    """GA4-like events of the sessions GA4 saw: start, page views, the funnel steps reached, lead or purchase.

    Every random draw is made for all ``sessions``; rows are built only for the sessions that start on or after
    the local day ``since``, so that a later window is exactly the same rows as the same days of a longer one.
    """
    rng = _stream(seed, 5)
    steps = _steps(seed, sessions)
    pages = _pages(seed, sessions, steps)
    sessions = _messy_utm(seed, sessions)
    n = len(sessions)
    buy, lead = steps["buy"], steps["lead"]
    start = sessions["start"].to_numpy()
    gaps = rng.integers([15, 20, 20, 40], [120, 240, 180, 300], (n, 4)).astype("timedelta64[s]")
    t_view = start + gaps[:, 0]
    t_cart = t_view + gaps[:, 1]
    t_check = t_cart + gaps[:, 2]
    purchase = sessions["purchase_ts"].to_numpy()
    bought = sessions["purchase_ts"].notna().to_numpy()  # a purchase, also one whose event GA4 lost
    # a purchase is fixed in time (the CRM minute): its steps fall at sorted random points between start and it
    share = np.sort(rng.uniform(0.05, 0.95, (n, 3)), axis=1)
    span = np.where(bought, purchase - start, np.timedelta64(0, "s")).astype(np.int64)
    t_view = np.where(bought, start + (share[:, 0] * span).astype("timedelta64[s]"), t_view)
    t_cart = np.where(bought, start + (share[:, 1] * span).astype("timedelta64[s]"), t_cart)
    t_check = np.where(bought, start + (share[:, 2] * span).astype("timedelta64[s]"), t_check)
    lead_ts = sessions["lead_ts"].to_numpy()
    t_view = np.where(lead, start + (lead_ts - start) // 2, t_view)
    # page views: the landing page at the start, the others spread over the session
    browse_span = (pages - 1) * (10 + rng.gamma(2.0, 20.0, n))
    last = np.where(bought, span, np.where(lead, (lead_ts - start).astype("timedelta64[s]").astype(np.int64),
                                           browse_span)).astype(np.int64)
    s_page = np.repeat(np.arange(n), pages)
    first = np.r_[True, s_page[1:] != s_page[:-1]]
    offset = (rng.random(len(s_page)) * last[s_page]).astype(np.int64)
    offset = np.where(first, rng.integers(0, 2, len(s_page)), np.maximum(offset, 2))
    t_page = start[s_page] + offset.astype("timedelta64[s]")
    frames = [pd.DataFrame({"s": np.arange(n), "order": 0, "event_name": "session_start", "ts": start}),
              pd.DataFrame({"s": s_page, "order": 1, "event_name": "page_view", "ts": t_page})]
    for order, (name, mask, stamp) in enumerate(
        [("view_item", steps["view"], t_view), ("add_to_cart", steps["cart"], t_cart),
         ("begin_checkout", steps["checkout"], t_check), ("generate_lead", lead, lead_ts),
         ("purchase", buy, purchase)], start=2,
    ):
        idx = np.flatnonzero(mask)
        frames.append(pd.DataFrame({"s": idx, "order": order, "event_name": name, "ts": stamp[idx]}))
    keep = start.astype("datetime64[D]") >= since
    events = pd.concat([f[keep[f["s"].to_numpy()]] for f in frames], ignore_index=True)
    events = events.sort_values(["ts", "s", "order"], kind="stable")
    s = events["s"].to_numpy()
    session_start = start[s]
    is_buy = events["event_name"].eq("purchase").to_numpy()
    value = sessions["value"].to_numpy()[s]
    return pd.DataFrame({
        "event_ts": ad.iso_utc(events["ts"].to_numpy()),
        "event_name": events["event_name"].to_numpy(),
        "user_pseudo_id": sessions["user"].to_numpy()[s],
        "session_id": _epoch(session_start),
        "brand_id": sessions["brand_id"].to_numpy()[s],
        "source": sessions["source"].to_numpy()[s],
        "medium": sessions["medium"].to_numpy()[s],
        "campaign": sessions["campaign"].to_numpy()[s],
        "device": sessions["device"].to_numpy()[s],
        "city": sessions["city"].to_numpy()[s],
        "transaction_id": np.where(is_buy, sessions["transaction_id"].to_numpy()[s], None),
        "value_kzt": pd.array(np.where(is_buy, value, np.nan), dtype="Int64"),
    })


# ------------------------------------------------------------------------------------------- the world


@dataclass(frozen=True)
class FunnelWorld:
    """The CRM orders (with helper columns) and the true sessions of December–February (``blocked``: GA4 never
    saw the visitor)."""

    orders: pd.DataFrame
    sessions: pd.DataFrame


@lru_cache(maxsize=2)
def _funnel_world(seed: int) -> FunnelWorld:
    world = ad.ads_world(seed)
    rng = np.random.default_rng(seed + 202)
    ids = _Ids(rng)
    conv = _all_conversions(rng, world)
    crm = _crm(rng, conv, ids)
    sessions = _visitor_profiles(rng, _sessions(rng, world, conv, crm, ids))
    users = np.unique(np.concatenate([
        sessions["user"].to_numpy(dtype=str), crm.orders["user_pseudo_id"].dropna().to_numpy(dtype=str)
    ]))
    blocked = set(users[blocked_users(seed, users)].tolist())
    orders = crm.orders.copy()
    orders.loc[orders["user_pseudo_id"].isin(blocked), "user_pseudo_id"] = None
    sessions["blocked"] = sessions["user"].isin(blocked).to_numpy()
    return FunnelWorld(orders=orders, sessions=sessions)


@lru_cache(maxsize=4)
def _web_events(seed: int, since: np.datetime64) -> pd.DataFrame:
    sessions = _funnel_world(seed).sessions
    return _events(seed, sessions[~sessions["blocked"]].reset_index(drop=True), since)


def make_web_events(seed: int = SEED) -> pd.DataFrame:
    """February 2026 events of the five brands' sites, as a GA4 BigQuery export flattened to one table.

    The committed sample of :func:`make_web_events_full`: the sessions that start in February (local time).
    """
    return _web_events(seed, SAMPLE_START).copy()


def make_web_events_full(seed: int = SEED) -> pd.DataFrame:
    """December 2025 – February 2026 events of the five brands' sites (made on demand, not committed)."""
    return _web_events(seed, WEB_START).copy()


def make_crm_orders(seed: int = SEED) -> pd.DataFrame:
    """All CRM orders 2025-09-01 .. 2026-02-28 of the five brands, one row per order."""
    orders = _funnel_world(seed).orders
    out = orders.assign(order_ts=ad.iso_local(orders["order_ts"].to_numpy().astype("datetime64[s]")))
    return out[CRM_COLUMNS].reset_index(drop=True)


# ------------------------------------------------------------------------------- web-analytics exports

EXPORT_BRAND = "dala_style"
"""Both exports are of the clothing shop's site (one Метрика counter, one GA4 property), February 2026."""
NBSP = "\u00a0"
METRIKA_COLUMNS = ["Источник трафика", "UTM Source", "Визиты", "Посетители", "Просмотры", "Отказы",
                   "Глубина просмотра", "Время на сайте"]
METRIKA_TOTAL = "Итого и средние"
METRIKA_NO_UTM = "Не определено"
GA4_COLUMNS = ["Session source / medium", "Sessions", "Engaged sessions", "Engagement rate", "Events per session",
               "Event count", "Key events", "Total revenue"]
GA4_PREAMBLE = (
    "# ----------------------------------------",
    "# Traffic acquisition: Session source / medium",
    "# Account: Dala Style",
    "# Property: dalastyle.kz – GA4",
    "# ----------------------------------------",
    "#",
    "# Start date: 20260201",
    "# End date: 20260228",
)


def canonical_source(raw: str) -> str:
    """A hand-typed utm_source cleaned: trimmed, lower case, a known typo or variant mapped to its source."""
    text = raw.strip().lower()
    content = web_content()
    for table in (content["utm_typos"], content["utm_case"]):
        for canon, variants in table.items():
            if text in {v.lower() for v in variants}:
                return canon
    return text


def metrika_traffic_source(source: str, medium: str) -> str:
    """Метрика's «Источник трафика» of a session (the tags decide for ads, the referrer for the rest)."""
    canon = canonical_source(source)
    if medium == "cpc":
        return "Переходы по рекламе"
    if canon == "(direct)":
        return "Прямые заходы"
    if medium == "organic":
        return "Переходы из поисковых систем"
    if canon in ("whatsapp", "telegram") or medium == "messenger":
        return "Переходы из мессенджеров"
    if canon == "email" or medium == "email":
        return "Переходы из почтовых рассылок"
    if canon in ("2gis.kz",):
        return "Переходы по ссылкам на сайтах"
    return "Переходы из социальных сетей"


def export_sessions(events: pd.DataFrame) -> pd.DataFrame:
    """One row per session of the events: source, medium, page views, duration (s), key events, revenue."""
    e = events.assign(ts=pd.to_datetime(events["event_ts"], utc=True, format="ISO8601"))
    keys = ["user_pseudo_id", "session_id"]
    g = e.groupby(keys, sort=False)
    out = g.agg(source=("source", "first"), medium=("medium", "first"), first=("ts", "min"), last=("ts", "max"),
                events=("event_name", "size"))
    name = e["event_name"].astype(str)
    for column, mask in (("pages", name == "page_view"), ("key_events", name.isin(["purchase", "generate_lead"]))):
        out[column] = mask.groupby([e[k] for k in keys], sort=False).sum()
    out["revenue"] = e["value_kzt"].fillna(0).groupby([e[k] for k in keys], sort=False).sum()
    out["duration"] = (out["last"] - out["first"]).dt.total_seconds().astype(int)
    return out.reset_index()


def _spaced(value: int) -> str:
    """An integer as the Russian interface shows it: thousands separated by a no-break space."""
    return f"{value:,}".replace(",", NBSP)


def _ru_decimal(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _mm_ss(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _metrika_row(label: str, utm: str, part: pd.DataFrame) -> list[str]:
    visits = len(part)
    bounce = ((part["pages"] == 1) & (part["duration"] < 15)).mean() * 100
    return [label, utm, _spaced(visits), _spaced(part["user_pseudo_id"].nunique()), _spaced(int(part["pages"].sum())),
            _ru_decimal(bounce, 1) + " %", _ru_decimal(part["pages"].mean(), 2), _mm_ss(part["duration"].mean())]


def make_metrika_report(seed: int = SEED) -> pd.DataFrame:
    """Яндекс.Метрика «Источники, сводка» of Dala Style's counter for February 2026, as the interface exports it.

    Grouped by «Источник трафика» and «UTM Source»; text cells: numbers with no-break-space thousands, «23,5 %»,
    «2,41», «1:23»; the «Итого и средние» row first; rows by visits, largest first.
    """
    events = make_web_events(seed)
    sessions = export_sessions(events[events["brand_id"] == EXPORT_BRAND])
    sessions["traffic"] = [metrika_traffic_source(s, m) for s, m in zip(sessions["source"], sessions["medium"],
                                                                          strict=True)]
    tagged = sessions["medium"].isin(TAGGED_MEDIA) | (sessions["medium"] == "(not set)")
    sessions["utm"] = np.where(tagged, sessions["source"], METRIKA_NO_UTM)
    rows = [_metrika_row(METRIKA_TOTAL, "", sessions)]
    groups = sorted(sessions.groupby(["traffic", "utm"], sort=True), key=lambda kv: -len(kv[1]))
    rows += [_metrika_row(traffic, utm, part) for (traffic, utm), part in groups]
    return pd.DataFrame(rows, columns=METRIKA_COLUMNS)


def make_ga4_report(seed: int = SEED) -> pd.DataFrame:
    """GA4 «Traffic acquisition» by session source / medium of Dala Style, February 2026, as «Download CSV» saves it.

    The frame's ``attrs["preamble"]`` holds the comment lines GA4 writes above the table (the build writes them).
    Engaged session (GA4's definition): longer than 10 seconds, or a key event, or 2+ page views.
    """
    events = make_web_events(seed)
    sessions = export_sessions(events[events["brand_id"] == EXPORT_BRAND])
    sessions["pair"] = sessions["source"] + " / " + sessions["medium"]
    sessions["engaged"] = (sessions["duration"] > 10) | (sessions["key_events"] > 0) | (sessions["pages"] >= 2)
    g = sessions.groupby("pair", sort=True)
    table = pd.DataFrame({
        "Sessions": g.size(), "Engaged sessions": g["engaged"].sum(), "Event count": g["events"].sum(),
        "Key events": g["key_events"].sum(), "Total revenue": g["revenue"].sum(),
    })
    table["Engagement rate"] = table["Engaged sessions"] / table["Sessions"]
    table["Events per session"] = table["Event count"] / table["Sessions"]
    table = table.sort_values("Sessions", ascending=False, kind="stable").rename_axis(GA4_COLUMNS[0]).reset_index()
    table = table[GA4_COLUMNS].astype({c: "int64" for c in ("Sessions", "Engaged sessions", "Event count",
                                                               "Key events", "Total revenue")})
    table.attrs["preamble"] = GA4_PREAMBLE
    return table


# ---------------------------------------------------------------------------------------- CRM order lines

LINE_COLUMNS = ["order_id", "line_no", "sku", "product_name", "qty", "price_kzt", "discount_kzt", "line_total_kzt"]
PROMO_SHARE = 0.20
"""Share of shop orders paid with a 10 % promo code (Instagram giveaways, the WhatsApp newsletter)."""
PROMO_RATE = 0.10
SHOP_STEP = {"qazaq_coffee": 10, "dala_style": 100, "jet_delivery": 10}


class _Basket:
    """Baskets of one shop whose prices add up to a given sum exactly (coin change over the catalogue)."""

    def __init__(self, brand_id: str) -> None:
        items = web_content()["catalogue"][brand_id]
        self.step = SHOP_STEP[brand_id]
        self.units = np.array([i["price"] // self.step for i in items], dtype=np.int64)
        weight = np.array([i["weight"] for i in items], dtype=float)
        self.p = weight / weight.sum()
        self.limit = int(3 * self.units.max())
        # fewest items for each amount up to the limit (unbounded coin change), with the item used last
        best = np.full(self.limit + 1, 10**9, dtype=np.int64)
        last = np.full(self.limit + 1, -1, dtype=np.int64)
        best[0] = 0
        for amount in range(1, self.limit + 1):
            for k, u in enumerate(self.units.tolist()):
                if u <= amount and best[amount - u] + 1 < best[amount]:
                    best[amount], last[amount] = best[amount - u] + 1, k
        self.best, self.last = best, last

    def fill(self, rng: np.random.Generator, total: int) -> tuple[list[int], int]:
        """Item indices whose prices sum to ``total`` (KZT) and the discount needed when no exact basket exists."""
        target = total // self.step
        for _ in range(20):
            chosen: list[int] = []
            left = target
            while left > self.limit // 2:
                k = int(rng.choice(len(self.units), p=self.p))
                if self.units[k] <= left:
                    chosen.append(k)
                    left -= int(self.units[k])
            if self.last[left] >= 0 or left == 0:
                while left > 0:
                    k = int(self.last[left])
                    chosen.append(k)
                    left -= int(self.units[k])
                return chosen, 0
        # no exact basket: the smallest reachable sum above it, the difference is a discount (bonus points)
        over = next(a for a in range(left, self.limit + 1) if self.last[a] >= 0)
        while over > 0:
            k = int(self.last[over])
            chosen.append(k)
            over -= int(self.units[k])
        paid = sum(int(self.units[k]) for k in chosen) * self.step
        return chosen, paid - total


def make_crm_order_lines(seed: int = SEED) -> pd.DataFrame:
    """One row per product line of every CRM order; per order, Σ line_total_kzt = revenue_kzt of ``crm_orders``."""
    orders = make_crm_orders(seed)
    content = web_content()["catalogue"]
    rng = np.random.default_rng([seed, 505])
    rows: list[tuple] = []
    baskets = {b: _Basket(b) for b in SHOP_STEP}
    by_price = {b: {i["price"]: i for i in items} for b, items in content.items()}
    for order_id, brand_id, revenue in zip(orders["order_id"], orders["brand_id"], orders["revenue_kzt"],
                                           strict=True):
        revenue = int(revenue)
        if brand_id not in baskets:  # memberships and courses: one line at the list price
            item = by_price[brand_id][revenue]
            rows.append((order_id, 1, item["sku"], item["name"], 1, revenue, 0, revenue))
            continue
        basket = baskets[brand_id]
        promo = rng.random() < PROMO_SHARE
        gross = revenue
        if promo:  # the list prices add up to the sum before the promo code
            gross = round(revenue / (1 - PROMO_RATE) / basket.step) * basket.step
        chosen, extra = basket.fill(rng, gross)
        discount = gross - revenue + extra
        items = content[brand_id]
        counts: dict[int, int] = {}
        for k in chosen:
            counts[k] = counts.get(k, 0) + 1
        lines = sorted(counts.items(), key=lambda kv: -items[kv[0]]["price"] * kv[1])
        left = discount
        for no, (k, qty) in enumerate(lines, start=1):
            amount = items[k]["price"] * qty
            share = left if no == len(lines) else min(left, round(discount * amount / (gross + extra)))
            left -= share
            rows.append((order_id, no, items[k]["sku"], items[k]["name"], qty, items[k]["price"], share,
                         amount - share))
    return pd.DataFrame(rows, columns=LINE_COLUMNS)


# ------------------------------------------------------------------------------------------- raw CRM

RAW_PHONE_FORMATS = ("plain", "spaced", "eight_dashed", "eight_plain", "brackets", "eight_brackets")
RAW_DATE_FORMATS = ("iso", "dotted", "space")


def _messy_phone(phone: str, style: str) -> str:
    """One of the ways managers type a +7 7XX number."""
    d = phone[2:]  # ten digits after +7
    return {
        "plain": phone,
        "spaced": f"+7 {d[:3]} {d[3:6]} {d[6:8]} {d[8:]}",
        "eight_dashed": f"8 {d[:3]} {d[3:6]}-{d[6:8]}-{d[8:]}",
        "eight_plain": f"8{d}",
        "brackets": f"+7({d[:3]}){d[3:6]}-{d[6:8]}-{d[8:]}",
        "eight_brackets": f"8({d[:3]}){d[3:]}",
    }[style]


def _messy_name(name: str, style: int, pad: int) -> str:
    """A name as typed: case changed, doubled inner space, stray spaces around."""
    text = [name, name.lower(), name.upper(), name.replace(" ", "  ")][style]
    return [text, " " + text, text + " ", "  " + text + " "][pad]


def _messy_date(stamp: np.datetime64, style: str) -> str:
    """A local order time as the CRM's exports wrote it over the months."""
    text = str(stamp.astype("datetime64[s]"))  # 2026-01-15T19:04:00
    if style == "iso":
        return text + "+05:00"
    date, time = text[:10], text[11:16]
    if style == "dotted":
        return f"{date[8:10]}.{date[5:7]}.{date[:4]} {time}"
    return f"{date} {time}"


def _messy_revenue(value: int, style: int) -> str:
    """Revenue typed as text: «12 500 тг», «12500», «12 500», «12500 тг», «12 500,00 тг»."""
    spaced = f"{value:,}".replace(",", " ")
    return [f"{spaced} тг", str(value), spaced, f"{value} тг", f"{spaced},00 тг"][style]


def _render_raw(rng: np.random.Generator, clean: pd.DataFrame, stamps: np.ndarray) -> pd.DataFrame:
    """The text columns of the raw export, each formatted by a random manager's habit."""
    n = len(clean)
    raw = clean.copy()
    phone_style = np.array(RAW_PHONE_FORMATS)[rng.choice(6, n, p=[0.3, 0.2, 0.2, 0.15, 0.1, 0.05])]
    name_style = rng.choice(4, n, p=[0.55, 0.15, 0.15, 0.15])
    pad = rng.choice(4, n, p=[0.7, 0.1, 0.1, 0.1])
    date_style = np.array(RAW_DATE_FORMATS)[rng.choice(3, n, p=[0.5, 0.3, 0.2])]
    money_style = rng.choice(5, n, p=[0.3, 0.3, 0.2, 0.1, 0.1])
    raw["customer_name"] = [_messy_name(x, s, p) for x, s, p in zip(clean["customer_name"], name_style, pad,
                                                                    strict=True)]
    raw["phone"] = [_messy_phone(x, s) for x, s in zip(clean["phone"], phone_style, strict=True)]
    raw["order_ts"] = [_messy_date(t, s) for t, s in zip(stamps, date_style, strict=True)]
    raw["revenue_kzt"] = [_messy_revenue(int(v), s) for v, s in zip(clean["revenue_kzt"], money_style, strict=True)]
    return raw.rename(columns={"revenue_kzt": "revenue"})


def make_crm_orders_raw(seed: int = SEED) -> pd.DataFrame:
    """``crm_orders`` as exported by hand from the CRM: typed phones, names, dates and sums; re-exported rows."""
    clean = make_crm_orders(seed)
    stamps = _funnel_world(seed).orders["order_ts"].to_numpy().astype("datetime64[s]")
    rng = np.random.default_rng(seed + 303)
    raw = _render_raw(rng, clean, stamps)
    dup = np.flatnonzero(rng.random(len(raw)) < 0.02)
    again = _render_raw(rng, clean.iloc[dup], stamps[dup])  # the same orders exported again, typed differently…
    exact = rng.random(len(dup)) < 0.5
    again.iloc[exact] = raw.iloc[dup[exact]].to_numpy()  # …or pasted twice as they were
    position = np.concatenate([np.arange(len(raw)), dup + 0.5])
    return pd.concat([raw, again]).iloc[np.argsort(position, kind="stable")].reset_index(drop=True)


# ------------------------------------------------------------------------------------------- journeys

JOURNEY_CHANNELS = (
    "Блогеры",
    "TikTok реклама",
    "Instagram реклама",
    "Instagram органика",
    "Telegram-посев",
    "VK реклама",
    "Поиск",
    "Директ/прямые",
    "Email/WhatsApp-рассылка",
)
JOURNEY_START = {
    "Блогеры": 0.24,
    "TikTok реклама": 0.18,
    "Instagram реклама": 0.17,
    "Instagram органика": 0.15,
    "Telegram-посев": 0.11,
    "VK реклама": 0.06,
    "Поиск": 0.05,
    "Директ/прямые": 0.03,
    "Email/WhatsApp-рассылка": 0.01,
}
"""Where journeys begin: bloggers and TikTok open a large share of them."""
JOURNEY_OUTCOME = {
    # channel: (P(convert right after this touch), P(leave after it)); otherwise the journey goes on
    "Блогеры": (0.004, 0.30),
    "TikTok реклама": (0.010, 0.42),
    "Instagram реклама": (0.040, 0.34),
    "Instagram органика": (0.050, 0.32),
    "Telegram-посев": (0.035, 0.38),
    "VK реклама": (0.030, 0.45),
    "Поиск": (0.200, 0.34),
    "Директ/прямые": (0.300, 0.40),
    "Email/WhatsApp-рассылка": (0.220, 0.45),
}
"""Search, direct visits and mailings close journeys; bloggers and TikTok almost never do."""
JOURNEY_NEXT = {
    "Блогеры": {"Instagram органика": 0.35, "Поиск": 0.25, "Директ/прямые": 0.15, "Instagram реклама": 0.15,
                "Telegram-посев": 0.05, "TikTok реклама": 0.05},
    "TikTok реклама": {"Instagram органика": 0.30, "Поиск": 0.25, "Блогеры": 0.15, "Директ/прямые": 0.15,
                       "Instagram реклама": 0.15},
    "Instagram реклама": {"Instagram органика": 0.30, "Директ/прямые": 0.30, "Поиск": 0.20,
                          "Email/WhatsApp-рассылка": 0.10, "Блогеры": 0.10},
    "Instagram органика": {"Директ/прямые": 0.35, "Поиск": 0.25, "Instagram реклама": 0.20,
                           "Email/WhatsApp-рассылка": 0.15, "Telegram-посев": 0.05},
    "Telegram-посев": {"Поиск": 0.35, "Директ/прямые": 0.30, "Instagram органика": 0.25, "Блогеры": 0.10},
    "VK реклама": {"Поиск": 0.40, "Директ/прямые": 0.35, "Instagram органика": 0.25},
    "Поиск": {"Директ/прямые": 0.45, "Email/WhatsApp-рассылка": 0.25, "Instagram органика": 0.30},
    "Директ/прямые": {"Email/WhatsApp-рассылка": 0.40, "Поиск": 0.35, "Instagram органика": 0.25},
    "Email/WhatsApp-рассылка": {"Директ/прямые": 0.60, "Поиск": 0.25, "Instagram органика": 0.15},
}
JOURNEY_REPEAT = {
    "Блогеры": 0.12,
    "TikTok реклама": 0.18,
    "Instagram реклама": 0.22,
    "Instagram органика": 0.25,
    "Telegram-посев": 0.10,
    "VK реклама": 0.15,
    "Поиск": 0.20,
    "Директ/прямые": 0.25,
    "Email/WhatsApp-рассылка": 0.15,
}
"""P(a touch of a multi-touch journey comes with a second touch of the same channel next to it): people see a
retargeted ad twice, search twice, come back directly. The repeat sits between the touch and its neighbour (after
the first touch, before any other), so first and last touches and every channel change stay as they were."""
JOURNEY_BRANDS = {"qazaq_coffee": 0.22, "dala_style": 0.26, "astana_fit": 0.12, "bilim_online": 0.22,
                  "jet_delivery": 0.18}
JOURNEY_UNUSED = {"qazaq_coffee": ("VK реклама",), "astana_fit": ("TikTok реклама", "VK реклама"),
                  "jet_delivery": ("TikTok реклама",)}
"""Channels a brand does not use (as in ``ads_daily``): they are removed from its journeys."""
N_JOURNEYS = 7_000
MAX_TOUCHES = 8


def _journey_paths(rng: np.random.Generator, brand_id: str, n: int) -> list[tuple[list[str], bool]]:
    """Channel paths of ``n`` journeys of a brand and whether each ended in a conversion."""
    unused = set(JOURNEY_UNUSED.get(brand_id, ()))

    def allowed(mix: dict[str, float]) -> dict[str, float]:
        return {k: v for k, v in mix.items() if k not in unused}

    paths = []
    for _ in range(n):
        path = [_choice(rng, allowed(JOURNEY_START), 1)[0]]
        while True:
            convert, leave = JOURNEY_OUTCOME[path[-1]]
            u = rng.random()
            if u < convert:
                paths.append((path, True))
                break
            if u < convert + leave or len(path) == MAX_TOUCHES:
                paths.append((path, False))
                break
            path.append(_choice(rng, allowed(JOURNEY_NEXT[path[-1]]), 1)[0])
    return paths


def _with_repeats(
    rng: np.random.Generator, path: list[str], stamps: list[np.datetime64]
) -> tuple[list[str], list[np.datetime64]]:
    """The path with repeated touches of the same channel inserted next to some touches (see JOURNEY_REPEAT)."""
    if len(path) < 2:
        return path, stamps
    channels, times = list(path), list(stamps)
    extra = 0
    for i, channel in enumerate(path):
        if rng.random() >= JOURNEY_REPEAT[channel] or len(path) + extra >= MAX_TOUCHES:
            continue
        k = i + extra  # position of touch i in the growing lists
        lo, hi = (times[k], times[k + 1]) if i == 0 else (times[k - 1], times[k])
        at = lo + np.timedelta64(int((hi - lo).astype(np.int64) * rng.uniform(0.2, 0.8)), "s")
        where = k + 1 if i == 0 else k
        channels.insert(where, channel)
        times.insert(where, at)
        extra += 1
    return channels, times


def make_journeys(seed: int = JOURNEY_SEED) -> pd.DataFrame:
    """Multi-touch journeys (one row per touch) of people who met the brands in several channels."""
    rng = np.random.default_rng(seed)
    repeats = np.random.default_rng(seed + 1)  # its own stream: the paths themselves do not depend on it
    counts = rng.multinomial(N_JOURNEYS, list(JOURNEY_BRANDS.values()))
    window = int((ORDERS_END - ad.PERIOD_START.astype("datetime64[s]")).astype(np.int64))
    journeys = []
    for brand_id, n in zip(JOURNEY_BRANDS, counts, strict=True):
        values = ad.first_order_values(rng, brand_id, int(n))
        for (path, converted), value in zip(_journey_paths(rng, brand_id, int(n)), values, strict=True):
            gaps = (rng.exponential(2.0 * 86400, len(path)) + 600).astype(np.int64)
            gaps[0] = 0
            offsets = np.cumsum(gaps)
            start = int(rng.integers(0, window - int(offsets[-1]) - 3600))
            journeys.append([start, brand_id, path, offsets, converted, int(value), None])
    journeys.sort(key=lambda j: (j[0], j[1]))
    origin = ad.PERIOD_START.astype("datetime64[s]")
    touches = []  # repeated touches drawn in the order of the generated starts, as offsets from the start
    for start, _, path, offsets, *_ in journeys:
        stamps = [origin + np.timedelta64(start + offset, "s") for offset in offsets.tolist()]
        channels, times = _with_repeats(repeats, path, stamps)
        touches.append((channels, [int((t - stamps[0]).astype(np.int64)) for t in times]))
    for journey, touch in zip(journeys, touches, strict=True):
        journey.append(touch)
    _link_customers(np.random.default_rng([seed, 2]), journeys)  # moves converted journeys in time
    journeys.sort(key=lambda j: (j[0], j[1]))
    rows = []
    for k, (start, brand_id, _, _, converted, value, customer, (channels, rel)) in enumerate(journeys, start=1):
        for channel, offset in zip(channels, rel, strict=True):
            ts = origin + np.timedelta64(start + offset, "s")
            rows.append((f"J{k:05d}", brand_id, channel, ts, int(converted), value if converted else None, customer))
    table = pd.DataFrame(rows, columns=JOURNEY_COLUMNS)
    table["ts"] = ad.iso_local(table["ts"].to_numpy().astype("datetime64[s]"))
    table["value_kzt"] = table["value_kzt"].astype("Int64")
    return table


def survey_customers(rng: np.random.Generator, answers: pd.DataFrame) -> list[str | None]:
    """CRM customer of each identified survey answer (``brand_id``, ``responded_at``, ``customer_id`` — empty for
    an anonymous answer). The survey goes out after an order, so the respondent is a customer of the brand with
    an order in the 30 days before the answer (any earlier customer if nobody ordered then)."""
    orders = make_crm_orders()
    stamps = pd.to_datetime(orders["order_ts"].str[:19]).to_numpy()
    out: list[str | None] = []
    by_brand: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for brand_id in answers["brand_id"].unique():
        mask = (orders["brand_id"] == brand_id).to_numpy()
        by_brand[brand_id] = (stamps[mask], orders["customer_id"].to_numpy()[mask])
    for brand_id, when, customer in zip(answers["brand_id"], answers["responded_at"], answers["customer_id"],
                                        strict=True):
        times, customers = by_brand[brand_id]
        hi = int(np.searchsorted(times, np.datetime64(when), side="left"))
        lo = int(np.searchsorted(times, np.datetime64(when - pd.Timedelta(days=30)), side="left"))
        if pd.isna(customer) or hi == 0:
            out.append(None)
            continue
        lo = lo if lo < hi else 0
        out.append(str(customers[int(rng.integers(lo, hi))]))
    return out


JOURNEY_COLUMNS = ["journey_id", "brand_id", "channel", "ts", "converted", "value_kzt", "customer_id"]
JOURNEY_LINKED = 0.95
"""Share of converted journeys whose buyer is a CRM customer (the rest paid as guests: no card, no phone left)."""


def _link_customers(rng: np.random.Generator, journeys: list[list]) -> None:
    """Give converted journeys a CRM customer (in place): the journey is moved in time to end a few minutes
    before the customer's first order, and its value becomes that order's revenue.

    Customers are a random subset of the brand's CRM customers, taken in the order of their first orders; each
    gets the earliest remaining journey that fits between the window's start and the order.
    """
    orders = make_crm_orders()
    first = orders[orders["is_first_order"]]
    stamps = first["order_ts"].str[:19].to_numpy().astype("datetime64[s]")
    origin = ad.PERIOD_START.astype("datetime64[s]")
    since = (stamps - origin).astype(np.int64)
    for brand_id in JOURNEY_BRANDS:
        mine = [j for j in journeys if j[1] == brand_id and j[4]]
        mine.sort(key=lambda j: j[0] + int(j[3][-1]))
        brand = np.flatnonzero(first["brand_id"].to_numpy() == brand_id)
        k = min(len(brand), round(JOURNEY_LINKED * len(mine)))
        chosen = np.sort(rng.choice(brand, k, replace=False)) if k else np.array([], dtype=np.int64)
        free = list(mine)
        for i in chosen.tolist():
            lead = int(rng.integers(300, 5400))  # the last touch comes 5–90 minutes before the order
            fits = [j for j in free if int(j[3][-1]) + lead + 3600 <= since[i]]
            if not fits:
                continue
            journey = fits[0]
            free.remove(journey)
            journey[0] = int(since[i]) - lead - int(journey[3][-1])
            journey[5] = int(first["revenue_kzt"].iat[i])
            journey[6] = first["customer_id"].iat[i]


RECIPES: tuple[Recipe, ...] = (
    Recipe("web_events", lambda: make_web_events(seed=SEED), "smmkit.data.funnel_data.make_web_events(seed=2026)"),
    Recipe("crm_orders", lambda: make_crm_orders(seed=SEED), "smmkit.data.funnel_data.make_crm_orders(seed=2026)"),
    Recipe(
        "crm_orders_raw",
        lambda: make_crm_orders_raw(seed=SEED),
        "smmkit.data.funnel_data.make_crm_orders_raw(seed=2026)",
    ),
    Recipe(
        "crm_order_lines",
        lambda: make_crm_order_lines(seed=SEED),
        "smmkit.data.funnel_data.make_crm_order_lines(seed=2026)",
    ),
    Recipe("journeys", lambda: make_journeys(seed=JOURNEY_SEED), "smmkit.data.funnel_data.make_journeys(seed=11)"),
    Recipe(
        "metrika_report",
        lambda: make_metrika_report(seed=SEED),
        "smmkit.data.funnel_data.make_metrika_report(seed=2026)",
    ),
    Recipe("ga4_report", lambda: make_ga4_report(seed=SEED), "smmkit.data.funnel_data.make_ga4_report(seed=2026)"),
)


# ---------------------------------------------------------------------------------------- realism measures
# Each takes ``load`` (a dataset name -> the frame as smmkit.datasets.load returns it); see realism/funnel.yaml.



def _session_table(events: pd.DataFrame) -> pd.DataFrame:
    """Per session of loaded web events: brand, page views, purchase flag, seconds from first to last event."""
    keys = [events["user_pseudo_id"], events["session_id"]]
    name = events["event_name"].astype(str)
    g = events.groupby(keys, sort=False)
    return pd.DataFrame({
        "brand_id": g["brand_id"].first().astype(str),
        "pages": (name == "page_view").groupby(keys, sort=False).sum(),
        "buy": (name == "purchase").groupby(keys, sort=False).any(),
        "duration": (g["event_ts"].max() - g["event_ts"].min()).dt.total_seconds(),
    })


def _site_cr(load: Loader, brand_id: str) -> float:
    sessions = _session_table(load("web_events"))
    return float(sessions.loc[sessions["brand_id"] == brand_id, "buy"].mean() * 100)


def realism_cr_food_delivery(load: Loader) -> float:
    """Jet Delivery: sessions with a purchase / sessions, % (GA4 as exported)."""
    return _site_cr(load, "jet_delivery")


def realism_cr_fashion(load: Loader) -> float:
    """Dala Style: sessions with a purchase / sessions, %."""
    return _site_cr(load, "dala_style")


def realism_ga4_loss(load: Loader) -> float:
    """February's site orders in the CRM (with a transaction id) that have no purchase event in GA4, %."""
    orders, events = load("crm_orders"), load("web_events")
    since = pd.Timestamp("2026-02-01", tz="Asia/Almaty")
    feb = orders[(orders["order_ts"] >= since) & orders["transaction_id"].notna()]
    seen = events.loc[events["event_name"] == "purchase", "transaction_id"]
    return float((~feb["transaction_id"].isin(seen)).mean() * 100)


def realism_one_page_share(load: Loader) -> float:
    """Sessions with exactly one page_view, %."""
    return float((_session_table(load("web_events"))["pages"] == 1).mean() * 100)


def realism_session_duration(load: Loader) -> float:
    """Mean session duration (first to last event), seconds."""
    return float(_session_table(load("web_events"))["duration"].mean())


def realism_metrika_bounce(load: Loader) -> float:
    """Метрика's «Отказы» of the whole counter («Итого и средние» row), %."""
    report = load("metrika_report")
    total = report.loc[report["Источник трафика"] == METRIKA_TOTAL, "Отказы"].iloc[0]
    return float(total.replace("%", "").replace(",", ".").strip())


def _aov(load: Loader, brand_id: str) -> float:
    orders = load("crm_orders")
    return float(orders.loc[orders["brand_id"] == brand_id, "revenue_kzt"].mean())


def realism_aov_food_delivery(load: Loader) -> float:
    """Jet Delivery: mean order value, ₸."""
    return _aov(load, "jet_delivery")


def realism_aov_coffee(load: Loader) -> float:
    """Qazaq Coffee: mean order value, ₸."""
    return _aov(load, "qazaq_coffee")


def realism_lines_aov_food_delivery(load: Loader) -> float:
    """Jet Delivery: mean order value summed from the order lines, ₸."""
    lines = load("crm_order_lines")
    jet = lines[lines["order_id"].str.startswith(ad.BRAND_PREFIX["jet_delivery"] + "-")]
    return float(jet.groupby("order_id")["line_total_kzt"].sum().mean())
