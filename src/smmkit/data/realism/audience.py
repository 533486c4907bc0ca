"""Measures of the ``audience`` references (``audience.yaml``): shares in the general sample (no brand)."""

from __future__ import annotations

import pandas as pd

from smmkit.data.realism import Loader


def _general(load: Loader) -> pd.DataFrame:
    """The general sample: people on no brand's list (``brand_id`` empty)."""
    people = load("audience")
    return people[people["brand_id"].isna()]


def _platform_share(load: Loader, platform: str, low: int = 14, high: int = 35) -> float:
    """Percent of the general sample aged ``low``–``high`` who use ``platform``."""
    people = _general(load)
    young = people[people["age"].between(low, high)]
    return 100 * float(young["platforms"].str.split(";").map(lambda names: platform in names).mean())


def whatsapp_young(load: Loader) -> float:
    return _platform_share(load, "WhatsApp")


def instagram_young(load: Loader) -> float:
    return _platform_share(load, "Instagram")


def tiktok_young(load: Loader) -> float:
    return _platform_share(load, "TikTok")


def telegram_young(load: Loader) -> float:
    return _platform_share(load, "Telegram")


def facebook_young(load: Loader) -> float:
    return _platform_share(load, "Facebook")


def vk_young(load: Loader) -> float:
    return _platform_share(load, "VK")


def instagram_all(load: Loader) -> float:
    return _platform_share(load, "Instagram", 14, 64)


def women(load: Loader) -> float:
    return 100 * float((_general(load)["gender"] == "ж").mean())


def _city(load: Loader, city: str) -> float:
    return 100 * float((_general(load)["city"] == city).mean())


def almaty(load: Loader) -> float:
    return _city(load, "Алматы")


def astana(load: Loader) -> float:
    return _city(load, "Астана")


def shymkent(load: Loader) -> float:
    return _city(load, "Шымкент")


def elsewhere(load: Loader) -> float:
    return _city(load, "Другой населённый пункт")
