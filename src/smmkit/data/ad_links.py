"""The destination link of every ad as the advertiser typed it into the cabinet: UTM strings to parse.

One row per ad of ``ads_daily``. Site ads link to a landing page with ``utm_source``, ``utm_medium`` and
``utm_campaign`` equal to that ad's columns in ``ads_daily`` (what GA4 records in ``web_events``), plus
``utm_content``: a cabinet macro (Meta ``{{ad.id}}``, TikTok ``__CID__``) or the ad id typed by hand. The links
are written the way people write them: parameters in any order, with or without ``www.`` and a trailing slash,
Cyrillic paths percent-encoded, now and then a ``#fragment`` after the query. Lead-form ads have no link; bot
ads link to the Telegram bot. Domains, landing pages and macros: ``ad_links.yaml``.
"""

from __future__ import annotations

import zlib
from functools import cache
from importlib import resources
from urllib.parse import quote

import numpy as np
import pandas as pd
import yaml

from smmkit.data import ads_data as ad
from smmkit.data.recipe import Recipe

SEED = 2026


@cache
def settings() -> dict:
    """``ad_links.yaml``: domains, landing pages, bot links and utm_content macros."""
    return yaml.safe_load(resources.files("smmkit.data").joinpath("ad_links.yaml").read_text(encoding="utf-8"))


def link(rng: np.random.Generator, campaign: ad.Campaign, ad_id: str) -> str:
    """The link of one site ad, written with the habits of whoever typed it.

    >>> qc02 = next(c for c in ad.CAMPAIGNS if c.campaign_id == "QC02")
    >>> from urllib.parse import urlsplit, parse_qs
    >>> url = link(np.random.default_rng(1), qc02, "QC02-S1-A1")
    >>> query = parse_qs(urlsplit(url).query)
    >>> query["utm_source"], query["utm_medium"], query["utm_campaign"], query["utm_content"]
    (['instagram'], ['cpc'], ['qc_menu_traffic'], ['{{ad.id}}'])
    """
    conf = settings()
    host = conf["domains"][campaign.brand_id]
    if rng.random() < 0.3:
        host = "www." + host
    path = quote(conf["landing"][campaign.campaign_id], safe="/-")
    if path != "/" and rng.random() < 0.25:
        path += "/"
    content = conf["content"][campaign.platform] or ad_id
    params = [("utm_source", ad.PLATFORMS[campaign.platform].utm_source), ("utm_medium", "cpc"),
              ("utm_campaign", campaign.utm_campaign), ("utm_content", content)]
    if rng.random() < 0.35:  # typed in another order
        params = [params[i] for i in rng.permutation(len(params))]
    query = "&".join(f"{k}={v}" for k, v in params)
    fragment = "#promo" if rng.random() < 0.08 else ""
    return f"https://{host}{path}?{query}{fragment}"


def make_ad_links(seed: int = SEED) -> pd.DataFrame:
    """One row per ad: its campaign, the cabinet and the destination link as typed (empty for lead forms)."""
    catalogue = ad._ad_catalogue()
    bots = settings()["bots"]
    rows = []
    for row in catalogue.itertuples(index=False):
        campaign: ad.Campaign = row.campaign
        rng = np.random.default_rng([seed, zlib.crc32(row.ad_id.encode())])
        if campaign.destination == "site":
            url, kind = link(rng, campaign, row.ad_id), "сайт"
        elif campaign.campaign_id in bots:
            url, kind = bots[campaign.campaign_id], "бот"
        else:
            url, kind = None, "лид-форма"
        rows.append({"ad_id": row.ad_id, "campaign_id": campaign.campaign_id, "brand_id": campaign.brand_id,
                     "platform": campaign.platform, "destination": kind, "url": url})
    return pd.DataFrame(rows)


RECIPES: tuple[Recipe, ...] = (
    Recipe("ad_links", lambda: make_ad_links(seed=SEED), "smmkit.data.ad_links.make_ad_links(seed=2026)"),
)
