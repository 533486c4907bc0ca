"""ad_links: the ads' destination links as typed in the cabinets; the datasheet's figures and effects hold."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from smmkit import datasets

UTM = ["utm_source", "utm_medium", "utm_campaign"]


@pytest.fixture(scope="module")
def links() -> pd.DataFrame:
    return datasets.load("ad_links")


@pytest.fixture(scope="module")
def site(links: pd.DataFrame) -> pd.DataFrame:
    site = links[links["destination"] == "сайт"].copy()
    site["parts"] = site["url"].map(urlsplit)
    return site


def test_every_ad_of_ads_daily_has_one_row(links: pd.DataFrame) -> None:
    ads = datasets.load("ads_daily")
    assert sorted(links["ad_id"]) == sorted(ads["ad_id"].unique())
    assert len(links) == 687
    assert links["destination"].value_counts().to_dict() == {"сайт": 448, "лид-форма": 154, "бот": 85}
    assert links.loc[links["destination"] == "лид-форма", "url"].isna().all()
    assert links.loc[links["destination"] == "бот", "url"].str.startswith("https://t.me/").all()


def test_parsed_tags_equal_ads_daily(site: pd.DataFrame) -> None:
    """Effect 1: parse_qs recovers each site ad's three tags, whatever the order, the host or the fragment."""
    ads = datasets.load("ads_daily").drop_duplicates("ad_id").set_index("ad_id")
    parsed = pd.DataFrame([{k: v[0] for k, v in parse_qs(p.query).items()} for p in site["parts"]],
                          index=site["ad_id"])
    assert parsed[UTM].to_dict("index") == ads.loc[parsed.index, UTM].astype(str).to_dict("index")
    forms = ads.drop(index=parsed.index)
    assert forms["utm_source"].isna().all()  # forms and bots carry no tags


def test_naive_splitting_breaks_on_the_fragment(site: pd.DataFrame) -> None:
    def naive(url: str) -> dict[str, str]:
        return dict(pair.split("=", 1) for pair in url.split("?", 1)[1].split("&"))

    right = [{k: v[0] for k, v in parse_qs(p.query).items()} for p in site["parts"]]
    wrong = sum(naive(url) != ok for url, ok in zip(site["url"], right, strict=True))
    assert wrong == 29 == sum(bool(p.fragment) for p in site["parts"])


def test_the_datasheets_counts_of_quirks(site: pd.DataFrame) -> None:
    parts = site["parts"]
    assert sum(p.netloc.startswith("www.") for p in parts) == 151
    assert sum(p.path.endswith("/") and p.path != "/" for p in parts) == 91
    assert sum(not p.query.startswith("utm_source=") for p in parts) == 108
    assert sum("%" in p.path for p in parts) == 16
    macros = site["url"].str.contains("{{ad.id}}", regex=False) | site["url"].str.contains("__CID__", regex=False)
    assert macros.sum() == 360
    assert set(site.loc[macros, "platform"]) == {"Meta (Instagram)", "Meta (Facebook)", "TikTok"}
