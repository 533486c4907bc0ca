"""Media kits (media_kits, media_kit_texts): planted gaps against `influencers`, texts, realism of the area.

The datasets are regenerated into a temporary folder beside copies of their schemas and loaded back with the
schema-checking loader; every planted gap is recovered by comparing the kits with the catalogue.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd
import pytest
import yaml

from smmkit import datasets
from smmkit.data import audience_data as aud
from smmkit.data import media_kits as mk

REPO = Path(__file__).resolve().parents[1]
RECIPES = tuple(r for r in aud.RECIPES if r.name == "influencers") + mk.RECIPES


@pytest.fixture(scope="module")
def root() -> Path:
    """influencers, media_kits and media_kit_texts.

    The committed files: tests/test_datasets.py checks, in a fresh process with another hash seed, that
    `smmkit datasets build` writes them byte for byte, so a story read here is the generators' story.
    """
    return REPO / "datasets"


@pytest.fixture(scope="module")
def kits(root: Path) -> pd.DataFrame:
    """Kits joined to the catalogue's measured statistics (suffix ``_catalog``)."""
    k = datasets.load("media_kits", root=root)
    inf = datasets.load("influencers", root=root)
    m = k.merge(inf, on="influencer_id", how="left", suffixes=("", "_catalog"), validate="one_to_one")
    m["subs_x"] = m["subscribers"] / m["subscribers_catalog"]
    m["views_x"] = m["avg_views"] / m["avg_views_catalog"]
    m["kz_diff"] = m["audience_kz_pct"] - 100 * m["audience_kz_share"]
    m["age_days"] = (m["sent_at"] - m["stats_as_of"]).dt.days
    return m


def test_every_kit_belongs_to_a_catalogue_channel(kits: pd.DataFrame) -> None:
    """54 kits (24 Instagram, 18 Telegram, 12 TikTok) of distinct channels, with the catalogue's handle."""
    assert kits["subscribers_catalog"].notna().all()
    assert kits["platform"].astype(str).value_counts().to_dict() == {"Instagram": 24, "Telegram": 18, "TikTok": 12}
    assert (kits["handle"] == kits["handle_catalog"]).all()
    assert (kits["platform"].astype(str) == kits["platform_catalog"].astype(str)).all()


def test_stale_kits_are_found_by_subscribers_date_and_audience(kits: pd.DataFrame) -> None:
    """8 kits claim 0.57–0.85 of today's subscribers, are 250+ days old and shift the KZ share by 12+ points."""
    stale = kits["subs_x"] < 0.9
    assert stale.sum() == 8
    assert kits.loc[stale, "subs_x"].between(0.55, 0.85).all()
    assert kits.loc[~stale, "subs_x"].between(0.97, 1.0).all()
    assert kits.loc[stale, "age_days"].min() >= 240 and kits.loc[~stale, "age_days"].max() <= 35
    assert kits.loc[stale, "kz_diff"].abs().min() >= 12
    assert kits.loc[~stale, "kz_diff"].abs().max() <= 3.01
    assert (kits.loc[stale, "valid_until"].isna() | (kits.loc[stale, "valid_until"] < "2026-03-01")).all()
    assert sorted(kits.loc[stale, "kit_id"]) == ["MK04", "MK08", "MK09", "MK12", "MK35", "MK41", "MK47", "MK49"]


def test_inflated_reach_is_separated_from_honest_kits(kits: pd.DataFrame) -> None:
    """Among fresh kits, 10 claim 1.5–2.6× the measured views (median ≈ 1.8), the rest 0.92–1.12×: no one between."""
    fresh = kits[kits["subs_x"] >= 0.9]
    inflated = fresh["views_x"] > 1.3
    assert inflated.sum() == 10
    assert fresh.loc[inflated, "views_x"].between(1.5, 2.6).all()
    assert fresh.loc[~inflated, "views_x"].between(0.92, 1.12).all()
    assert 1.7 <= fresh.loc[inflated, "views_x"].median() <= 1.95
    bought = kits["bought_subscribers"]
    assert bought.sum() == 3 and kits.loc[bought, "views_x"].min() > 1.3  # every bought channel inflates
    er_x = fresh["er_pct"] / (100 * fresh["avg_interactions"] / fresh["subscribers_catalog"])
    assert er_x[inflated].dropna().between(1.35, 2.05).all()
    assert er_x[~inflated].dropna().between(0.9, 1.1).all()


def test_inflated_kits_look_twice_as_cheap_per_view(kits: pd.DataFrame) -> None:
    """Price per claimed view of inflated kits is about half the price per measured view."""
    main = kits["price_post"].fillna(kits["price_video"]).fillna(kits["price_tg_1_24"]).astype(float)
    main = main.where(kits["currency"].eq("KZT"), main * mk.USD_KZT)
    inflated = (kits["subs_x"] >= 0.9) & (kits["views_x"] > 1.3)
    claimed = (main / kits["avg_views"])[inflated].median()
    measured = (main / kits["avg_views_catalog"])[inflated].median()
    assert claimed < 0.6 * measured


def test_main_price_follows_the_catalogue(kits: pd.DataFrame) -> None:
    """Fresh kits price the main format at 0.95–1.10 of the catalogue's price (dollars converted, rounding aside)."""
    main = kits["price_post"].fillna(kits["price_video"]).fillna(kits["price_tg_1_24"]).astype(float)
    kzt = kits["currency"].eq("KZT")
    fresh = kits["subs_x"] >= 0.9
    ratio = main / kits["price_kzt"]
    assert ratio[fresh & kzt].between(0.93, 1.12).all()
    usd = ratio[fresh & ~kzt] * mk.USD_KZT
    assert usd.between(0.75, 1.35).all()  # dollars are rounded to 10


def test_missing_fields_are_like_real_kits(kits: pd.DataFrame) -> None:
    """Telegram kits have no gender/age/city; ages sum to 100; at least one contact; documented gaps."""
    tg = kits["platform"].eq("Telegram")
    demo = ["audience_female_pct", *mk.AGE_COLUMNS, "top_city", "er_pct", "avg_stories_views"]
    assert kits.loc[tg, demo].isna().all().all()
    assert kits.loc[~tg, "tg_err_pct"].isna().all() and kits.loc[tg, "tg_err_pct"].notna().all()
    ages = kits[list(mk.AGE_COLUMNS)].dropna()
    assert len(ages) > 30 and (ages.sum(axis=1) == 100).all()
    contacts = kits[["contact_telegram", "contact_email", "contact_phone"]].notna().sum(axis=1)
    assert contacts.min() >= 1
    assert kits.loc[~tg, "er_pct"].isna().sum() == 8
    assert kits["valid_until"].isna().sum() == 17 and (kits["valid_until"] < "2026-03-01").sum() == 5
    refuse = kits["ad_labelling"].str.contains("без пометки|optional", na=False)
    assert refuse.sum() == 4
    assert kits["currency"].astype(str).value_counts().to_dict() == {"KZT": 49, "USD": 5}
    assert set(kits.loc[kits["currency"].eq("USD"), "language"].astype(str)) == {"en"}
    english_cities = kits.loc[kits["language"].eq("en"), "top_city"].dropna()
    assert english_cities.str.fullmatch(r"[A-Za-z\- ]+").all()


def test_texts_say_what_the_table_says(root: Path) -> None:
    """Each kit text shows its subscribers, views and main price, written by the rules of its language."""
    texts = datasets.load("media_kit_texts", root=root)
    kits = datasets.load("media_kits", root=root).set_index("kit_id")
    assert texts["language"].astype(str).value_counts().to_dict() == {"ru": 4, "en": 4}
    for row in texts.itertuples():
        kit = kits.loc[row.kit_id]
        assert kit["language"] == row.language
        sep = " " if row.language == "ru" else ","
        for column in ("subscribers", "avg_views"):
            assert f"{int(kit[column]):,}".replace(",", sep) in row.text, (row.kit_id, column)
        main = next(kit[c] for c in ("price_post", "price_video", "price_tg_1_24") if pd.notna(kit[c]))
        amount = f"{int(main):,}".replace(",", sep)
        assert (f"${amount}" if kit["currency"] == "USD" else f"{amount} ₸") in row.text, row.kit_id
        assert ("Статистика на" in row.text) == (row.language == "ru")
    assert {"MK04", "MK10", "MK14"} <= set(texts["kit_id"])  # a stale kit and two inflated ones
    assert kits.loc[texts["kit_id"], "currency"].eq("USD").sum() >= 2


REALISM = yaml.safe_load((REPO / "src/smmkit/data/realism/partners.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", REALISM, ids=[e["id"] for e in REALISM])
def test_realism_references_hold(entry: dict) -> None:
    """Each reference range of the partners area holds on the committed data."""
    module, function = entry["measure"].split(":")
    value = getattr(importlib.import_module(module), function)(datasets.load)
    assert entry["id"].startswith("partners.")
    assert entry["dataset"] in datasets.available()
    assert entry["low"] <= value <= entry["high"], (entry["id"], value)
    sheet = (REPO / "datasets" / entry["dataset"] / "DATASHEET.md").read_text(encoding="utf-8")
    assert "<!-- realism:begin -->" in sheet and "<!-- realism:end -->" in sheet
