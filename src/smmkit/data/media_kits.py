"""Seeded generator of influencers' media kits for module 03 (partners, seeding): a tidy table and raw texts.

A media kit is what a blogger or a Telegram channel sends an advertiser: followers, views, ER, audience split,
prices per format, dates, how ads are labelled, contacts. The kits belong to a subset of ``influencers`` and
disagree with it on purpose (documented in the datasheet of ``media_kits``):

* **inflated reach** — ``INFLATED_KITS`` kits (every kit of a channel with bought subscribers among them) claim
  1.5–2.6 times the views ``influencers`` measured, with the ER raised alike; honest kits stay within 0.92–1.12;
* **stale kits** — ``STALE_KITS`` kits carry statistics 8–16 months old: the channel has grown since (0.55–0.85
  of today's subscribers) and the audience split is old (Kazakhstan's share 12–25 points off today's);
* **missing fields** — ER, age split, price list's end date, labelling, contacts are absent in some kits, as in
  real ones; Telegram kits have no gender or age split (Telegram shows none to channel owners).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from smmkit.data import audience_data as aud
from smmkit.data import universe as u
from smmkit.data.rates import USD_KZT
from smmkit.data.realism import Loader
from smmkit.data.recipe import Recipe

SEED = 331
DATA = Path(__file__).with_name("media_kits.yaml")
STORY_NOW = pd.Timestamp(u.STORY_NOW).tz_localize(None).normalize()

INFLATED_KITS = 10
INFLATE = (1.5, 2.6)
"""Inflated kits: claimed views = measured views × this range (uniform); ER × 1.4–2.0."""
HONEST = (0.92, 1.12)
"""Honest kits: claimed views = measured views × this range (statistics of a slightly different window)."""
STALE_KITS = 8
STALE_AGE_DAYS = (240, 480)
STALE_GROWTH = (0.55, 0.85)
"""Stale kits: statistics this many days old; claimed subscribers = today's × this range."""
STALE_KZ_POINTS = (12, 25)

PRICE_FORMATS = {
    # column: (platforms, multiplier range of the main price, share of kits that list it)
    "price_post": (("Instagram",), (1.0, 1.0), 1.0),
    "price_stories": (("Instagram",), (0.35, 0.6), 0.9),
    "price_reels": (("Instagram",), (1.2, 1.6), 0.85),
    "price_video": (("TikTok",), (1.0, 1.0), 1.0),
    "price_integration": (("Instagram", "TikTok"), (1.8, 2.6), 0.55),
    "price_tg_1_24": (("Telegram",), (1.0, 1.0), 1.0),
    "price_tg_2_48": (("Telegram",), (1.2, 1.4), 0.8),
    "price_tg_no_delete": (("Telegram",), (1.5, 2.0), 0.7),
    "price_tg_pin": (("Telegram",), (0.25, 0.4), 0.6),
}
"""Price list of each platform relative to the main format (Instagram post, TikTok video, Telegram 1/24)."""

MISSING = {
    "er_pct": 0.15,
    "ages": 0.15,
    "valid_until": 0.3,
    "booking_lead_days": 0.25,
    "ad_labelling": 0.2,
    "audience_kz_pct": 0.2,
}
"""Share of kits (of those where the field applies) that leave the field out."""

AGE_COLUMNS = ("age_13_17_pct", "age_18_24_pct", "age_25_34_pct", "age_35_44_pct", "age_45_plus_pct")
TIKTOK_AGE = (0.25, 0.45, 0.2, 0.07, 0.03)
COLUMNS = (
    "kit_id", "influencer_id", "handle", "platform", "language", "sent_at", "stats_as_of", "valid_until",
    "subscribers", "avg_views", "avg_stories_views", "er_pct", "tg_err_pct", "audience_female_pct",
    *AGE_COLUMNS, "top_city", "top_city_pct", "audience_kz_pct", "currency", *PRICE_FORMATS,
    "booking_lead_days", "ad_labelling", "contact_telegram", "contact_email", "contact_phone",
)  # fmt: skip


@cache
def _data() -> dict:
    """The YAML data file beside this module."""
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _percents(rng: np.random.Generator, shares: np.ndarray) -> list[int]:
    """Whole percents that sum to 100 (largest remainder) from shares drawn around ``shares``."""
    drawn = rng.dirichlet(np.asarray(shares) * 60 + 0.5)
    raw = drawn * 100
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out), kind="stable")[: 100 - out.sum()]] += 1
    return out.tolist()


def _round_price(value: float, currency: str) -> int:
    """Prices as people write them: tenge to 1 000 (500 below 10 000), dollars to 10."""
    if currency == "USD":
        return int(max(20, round(value / USD_KZT, -1)))
    step = 500 if value < 10_000 else 1_000
    return int(max(step, round(value / step) * step))


def _phone(rng: np.random.Generator) -> str:
    """A fictional Kazakhstani mobile number written as kits write it: +7 7XX XXX XX XX."""
    digits = "".join(str(d) for d in rng.integers(0, 10, size=7))
    code = ("700", "701", "702", "705", "707", "747", "771", "775", "777", "778")[int(rng.integers(10))]
    return f"+7 {code} {digits[:3]} {digits[3:5]} {digits[5:]}"


def _pick_kits(rng: np.random.Generator, inf: pd.DataFrame) -> pd.DataFrame:
    """The influencers that sent a kit: a random subset per platform, in ``influencer_id`` order."""
    chosen = []
    for platform, n in _data()["kits_per_platform"].items():
        ids = inf.index[inf["platform"].eq(platform)].to_numpy()
        chosen.append(rng.choice(ids, size=n, replace=False))
    return inf.loc[np.sort(np.concatenate(chosen))].reset_index(drop=True)


def _gaps(rng: np.random.Generator, chosen: pd.DataFrame) -> np.ndarray:
    """Kind of each kit: 'inflated' (all bought channels, then random), 'stale' (random) or 'honest'."""
    kind = np.full(len(chosen), "honest", dtype=object)
    bought = np.flatnonzero(chosen["bought_subscribers"].to_numpy())
    others = np.setdiff1d(np.arange(len(chosen)), bought)
    extra = rng.choice(others, size=max(INFLATED_KITS - bought.size, 0), replace=False)
    kind[np.concatenate([bought, extra])] = "inflated"
    rest = np.flatnonzero(kind == "honest")
    kind[rng.choice(rest, size=STALE_KITS, replace=False)] = "stale"
    return kind


def _kit(rng: np.random.Generator, row: pd.Series, kind: str) -> dict:
    """One kit's facts from the influencer's measured statistics and the kit's kind."""
    data = _data()
    platform = row["platform"]
    language = "en" if rng.random() < data["english_share"][platform] else "ru"
    sent = pd.Timestamp("2026-02-02") + pd.Timedelta(days=int(rng.integers(0, 26)))
    if kind == "stale":
        age_days = int(rng.integers(*STALE_AGE_DAYS))
        growth = rng.uniform(*STALE_GROWTH)
    else:
        age_days = int(rng.integers(2, 36))
        growth = 1 - rng.uniform(0, 0.03)
    stats = sent - pd.Timedelta(days=age_days)
    if kind == "inflated":
        factor = rng.uniform(*INFLATE)
    elif kind == "stale":
        factor = growth * rng.uniform(0.95, 1.1)  # old views of a smaller channel
    else:
        factor = rng.uniform(*HONEST)
    subscribers = round(row["subscribers"] * growth)
    views = round(row["avg_views"] * factor)
    kit: dict = {"influencer_id": row["influencer_id"], "handle": row["handle"], "platform": platform,
                 "language": language, "sent_at": sent, "stats_as_of": stats,
                 "subscribers": subscribers, "avg_views": views}  # fmt: skip
    if rng.random() >= MISSING["valid_until"]:
        kit["valid_until"] = stats + pd.Timedelta(days=int(rng.integers(60, 151)))
    er_factor = rng.uniform(1.4, 2.0) if kind == "inflated" else rng.uniform(0.92, 1.08)
    if platform == "Telegram":
        kit["tg_err_pct"] = round(100 * views / subscribers, 1)
    else:
        if platform == "Instagram":
            kit["avg_stories_views"] = round(views * rng.uniform(0.25, 0.5))
        if rng.random() >= MISSING["er_pct"]:
            kit["er_pct"] = round(100 * row["avg_interactions"] / row["subscribers"] * er_factor, 2)
        base = data["audience_by_topic"][row["topic"]]
        female = float(np.clip(base["female"] + 0.05 * rng.standard_normal(), 0.05, 0.97))
        kit["audience_female_pct"] = round(100 * female)
        if rng.random() >= MISSING["ages"]:
            shares = np.asarray(base["age"], dtype=float)
            if platform == "TikTok":
                shares = 0.5 * shares + 0.5 * np.asarray(TIKTOK_AGE)
            kit.update(zip(AGE_COLUMNS, _percents(rng, shares), strict=True))
        city = row["city"] if row["city"] != "Весь Казахстан" else "Алматы"
        share = rng.uniform(0.2, 0.3) if row["city"] == "Весь Казахстан" else rng.uniform(0.35, 0.6)
        kit["top_city"] = data["city_en"][city] if language == "en" else city
        kit["top_city_pct"] = round(100 * share)
    if rng.random() >= MISSING["audience_kz_pct"] or kind == "stale":
        actual = 100 * row["audience_kz_share"]
        if kind == "stale":
            shift = rng.uniform(*STALE_KZ_POINTS)
            claimed = actual + shift if actual + shift <= 98 else actual - shift
        else:
            claimed = float(np.clip(actual + rng.normal(0, 1), actual - 3, actual + 3))
        kit["audience_kz_pct"] = round(claimed)
    currency = "USD" if language == "en" and rng.random() < 0.6 else "KZT"
    kit["currency"] = currency
    main = row["price_kzt"] * rng.uniform(0.95, 1.1) * (growth if kind == "stale" else 1.0) ** 0.7
    for column, (platforms, (low, high), listed) in PRICE_FORMATS.items():
        if platform in platforms and (listed == 1.0 or rng.random() < listed):
            kit[column] = _round_price(main * rng.uniform(low, high), currency)
    if rng.random() >= MISSING["booking_lead_days"]:
        kit["booking_lead_days"] = int(rng.choice([2, 3, 5, 7, 10, 14]))
    if rng.random() >= MISSING["ad_labelling"]:
        options = data["labelling"][language]
        weights = np.asarray(data["labelling_weights"], dtype=float)
        if platform == "Telegram":  # no «Paid partnership» tag and no Stories frame in a channel post
            weights = weights * np.array([1.0, 0.0, 0.0, 1.0])
        kit["ad_labelling"] = options[int(rng.choice(len(options), p=weights / weights.sum()))]
    core = row["handle"].removeprefix("@").removeprefix("t.me/").replace(".", "_")
    contacts = {"contact_telegram": f"@{core}_ads", "contact_email": f"{core}.collab@example.com",
                "contact_phone": _phone(rng)}  # fmt: skip
    keep = rng.random(3) < (0.7, 0.6, 0.5)
    keep[int(rng.integers(3))] = True  # at least one way to reach the partner
    kit.update({k: v for (k, v), ok in zip(contacts.items(), keep, strict=True) if ok})
    return kit


@cache
def _kits_frame(seed: int) -> pd.DataFrame:
    """The kits with their hidden kind (``_kind``), in ``kit_id`` order."""
    inf = aud.make_influencers(seed=aud.INFLUENCERS_SEED)
    chosen = _pick_kits(np.random.default_rng([seed, 0]), inf)
    kinds = _gaps(np.random.default_rng([seed, 1]), chosen)
    rows = []
    for (_, row), kind in zip(chosen.iterrows(), kinds, strict=True):
        number = int(row["influencer_id"][1:])
        kit = _kit(np.random.default_rng([seed, 2, number]), row, kind)
        kit["_kind"] = kind
        rows.append(kit)
    df = pd.DataFrame(rows).reindex(columns=[*COLUMNS, "_kind"])
    df = df.sort_values("sent_at", kind="stable").reset_index(drop=True)
    df["kit_id"] = [f"MK{i:02d}" for i in range(1, len(df) + 1)]
    for col in ("sent_at", "stats_as_of", "valid_until"):
        df[col] = pd.to_datetime(df[col]).dt.strftime("%Y-%m-%d")
    ints = ["subscribers", "avg_views", "avg_stories_views", "audience_female_pct", *AGE_COLUMNS, "top_city_pct",
            "audience_kz_pct", *PRICE_FORMATS, "booking_lead_days"]  # fmt: skip
    for col in ints:
        df[col] = pd.array(df[col], dtype="Int64")
    return df


def make_media_kits(seed: int = SEED) -> pd.DataFrame:
    """Media kits of 54 bloggers and Telegram channels from ``influencers``, one row per kit, facts as written."""
    return _kits_frame(seed).drop(columns="_kind")


def _number(value: object, language: str) -> str:
    """A whole number as the kit writes it: «48 300» (ru), «48,300» (en)."""
    text = f"{int(value):,}"
    return text.replace(",", " ") if language == "ru" else text


def _date(value: str, language: str) -> str:
    """A date as the kit writes it: «12.02.2026» (ru), «February 12, 2026» (en)."""
    stamp = pd.Timestamp(value)
    return stamp.strftime("%d.%m.%Y") if language == "ru" else f"{stamp.strftime('%B')} {stamp.day}, {stamp.year}"


def render_kit(kit: pd.Series, name: str) -> str:
    """The text of one kit from its row (template in ``media_kits.yaml``); missing fields leave their line out."""
    language = kit["language"]
    template = _data()["text"][language]
    money = "₸" if kit["currency"] == "KZT" else "$"
    values: dict[str, str] = {"handle": kit["handle"], "name": name, "currency": kit["currency"]}
    for key, value in kit.items():
        if pd.isna(value) or key in values:
            continue
        if key.startswith("price_"):
            amount = _number(value, language)
            values[key] = f"{amount} {money}" if money == "₸" else f"${amount}"
        elif key in ("stats_as_of", "valid_until", "sent_at"):
            values[key] = _date(value, language)
        elif key in ("er_pct", "tg_err_pct"):
            values[key] = f"{value:.2f}".rstrip("0").rstrip(".")
            values[key] = values[key].replace(".", ",") if language == "ru" else values[key]
        elif isinstance(value, (int, np.integer)) and key in ("subscribers", "avg_views", "avg_stories_views"):
            values[key] = _number(value, language)
        else:
            values[key] = str(value)
    if "audience_female_pct" in values:
        values["audience_male_pct"] = str(100 - int(kit["audience_female_pct"]))
    lines = [template["title"].format(**values), ""]
    for key, line in template["lines"].items():
        needed = [f[1:-1] for f in _fields(line)]
        if key.endswith("_header"):
            lines.append("")
        if all(n in values for n in needed):
            lines.append(line.format(**values))
    return "\n".join(lines).replace("\n\n\n", "\n\n").strip() + "\n"


def _fields(line: str) -> list[str]:
    """The ``{field}`` placeholders of a template line."""
    out, start = [], line.find("{")
    while start >= 0:
        end = line.find("}", start)
        out.append(line[start : end + 1])
        start = line.find("{", end)
    return out


def make_media_kit_texts(seed: int = SEED) -> pd.DataFrame:
    """The raw text of a few kits (4 in Russian, 4 in English): inflated and stale ones first, then dollar prices."""
    df = _kits_frame(seed)
    names = aud.make_influencers(seed=aud.INFLUENCERS_SEED).set_index("influencer_id")["name"]
    picked = []
    for language, n in _data()["texts_per_language"].items():
        own = df[df["language"].eq(language)]
        first = [own.index[own["_kind"].eq(k)][0] for k in ("inflated", "stale") if own["_kind"].eq(k).any()]
        rest = [i for i in own.index[own["_kind"].eq("honest")] if i not in first]
        rest.sort(key=lambda i: own.at[i, "currency"] != "USD")  # a kit priced in dollars, if there is one
        picked += first + rest[: n - len(first)]
    rows = [{"kit_id": df.at[i, "kit_id"], "language": df.at[i, "language"],
             "text": render_kit(df.loc[i].drop("_kind"), names[df.at[i, "influencer_id"]])}
            for i in sorted(picked)]  # fmt: skip
    return pd.DataFrame(rows)


RECIPES: tuple[Recipe, ...] = (
    Recipe("media_kits", lambda: make_media_kits(seed=SEED), "smmkit.data.media_kits.make_media_kits(seed=331)"),
    Recipe(
        "media_kit_texts",
        lambda: make_media_kit_texts(seed=SEED),
        "smmkit.data.media_kits.make_media_kit_texts(seed=331)",
    ),
)


# ------------------------------------------------------------------------------------------- realism

IMH_TIERS = {"nano": (1_000, 10_000), "micro": (10_000, 100_000), "mid": (100_000, 500_000)}
"""Follower bounds of the tiers in the rule-of-thumb Instagram rate cards (nano, micro, mid-tier)."""


def _instagram_price(load: Loader, tier: str) -> float:
    """Median price of one Instagram post in ``influencers`` for a rate-card tier, tenge."""
    inf = load("influencers")
    low, high = IMH_TIERS[tier]
    ig = inf[inf["platform"].eq("Instagram") & inf["subscribers"].ge(low) & inf["subscribers"].lt(high)]
    return float(ig["price_kzt"].median())


def realism_price_nano(load: Loader) -> float:
    """Median Instagram post price of nano bloggers (1–10 thousand followers), ₸."""
    return _instagram_price(load, "nano")


def realism_price_micro(load: Loader) -> float:
    """Median Instagram post price of micro bloggers (10–100 thousand followers), ₸."""
    return _instagram_price(load, "micro")


def realism_price_mid(load: Loader) -> float:
    """Median Instagram post price of mid-tier bloggers (100–500 thousand followers), ₸."""
    return _instagram_price(load, "mid")


def _honest_instagram_er(load: Loader, tier: str) -> float:
    """Median ER by followers (%) of honest Instagram bloggers in one of the course's tiers."""
    from smmkit.analysis.bots import tier_of

    inf = load("influencers")
    ig = inf[inf["platform"].eq("Instagram") & ~inf["bought_subscribers"]]
    er = 100 * ig["avg_interactions"] / ig["subscribers"]
    return float(er[tier_of(ig["subscribers"]).eq(tier).to_numpy()].median())


def realism_er_nano(load: Loader) -> float:
    """Median ER of honest nano Instagram bloggers (under 10 thousand followers), %."""
    return _honest_instagram_er(load, "нано")


def realism_er_micro(load: Loader) -> float:
    """Median ER of honest micro Instagram bloggers (10–50 thousand followers), %."""
    return _honest_instagram_er(load, "микро")


def realism_er_mid(load: Loader) -> float:
    """Median ER of honest mid-tier Instagram bloggers (50–500 thousand followers), %."""
    return _honest_instagram_er(load, "средний")


def realism_tg_view_rate(load: Loader) -> float:
    """Median views / subscribers of honest Telegram channels in ``influencers``, %."""
    inf = load("influencers")
    tg = inf[inf["platform"].eq("Telegram") & ~inf["bought_subscribers"]]
    return float(100 * (tg["avg_views"] / tg["subscribers"]).median())


def realism_kit_tg_price_per_view(load: Loader) -> float:
    """Median price of a 1/24 post per view claimed in Telegram media kits, ₸ (dollar prices at 505 ₸/$)."""
    kits = load("media_kits")
    tg = kits[kits["platform"].eq("Telegram")]
    rate = np.where(tg["currency"].eq("USD"), USD_KZT, 1)
    return float((tg["price_tg_1_24"].astype(float) * rate / tg["avg_views"]).median())
