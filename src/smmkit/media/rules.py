"""Which platform rules a media asset breaks: the checks of lesson 05.02 in one place, for the media preview lab.

Every limit is read from the dated fact files (``smmkit.platforms.load_facts`` and
``smmkit.platforms.media_specs.load_media_specs``); nothing here is a limit written by hand. A size limit in MB is
turned into bytes the strict way, × 1 000 000 (lesson 05.02). A ratio is width / height. Every limit is inclusive: a
file exactly on it passes (a ratio on the feed's bound, exactly the minimum width, exactly the size limit in bytes, a
Reels of exactly the minimum length, a focus point on the edge of the safe zone), one pixel, byte or second beyond it
does not.

>>> from smmkit import media
>>> [b.rule for b in breaches(media.asset("M004"))]
['feed_ratio']
>>> [b.rule for b in breaches(media.asset("M070"))]
['safe_zone']
>>> breaches(media.asset("M004"), "Telegram")
[]
>>> [breaches(media.asset(a)) for a in ("M072", "M075", "M078", "M080", "M084")]  # exactly on a limit
[[], [], [], [], []]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from smmkit.platforms import load_facts
from smmkit.platforms.media_specs import load_media_specs

VERTICAL_FORMATS = ("Reels", "Видео", "Shorts")
"""Formats shown full screen on a phone: they must be vertical, and their focus must be in the safe zone."""

MB = 1_000_000
"""Bytes in a megabyte, the strict way (1 MiB = 1 048 576 bytes would let a too heavy file pass)."""


@dataclass(frozen=True)
class Breach:
    """One broken rule: its key (``rule``), what is wrong in Russian (``text``) and the fact's key it comes from."""

    rule: str
    text: str
    fact: str


def extension(file_name: str) -> str:
    """The file format: the extension in lower case, without the dot.

    >>> extension("M061_lookbook_full.PNG")
    'png'
    """
    return str(file_name).rsplit(".", 1)[-1].lower()


def _mb(value: float, digits: int = 2) -> str:
    """A number with a Russian decimal comma.

    >>> _mb(8.2), _mb(2.6667, 1)
    ('8,20', '2,7')
    """
    return f"{value:.{digits}f}".replace(".", ",")


def _beyond(value: float, limit: float) -> str:
    """``value`` with a decimal comma and as many digits (2 to 4) as it takes to tell it from ``limit``: a value one
    pixel beyond a limit must not read as the limit itself.

    >>> _beyond(0.75, 0.8), _beyond(1080 / 1351, 0.8), _beyond(1911 / 1000, 1.91)
    ('0,75', '0,799', '1,911')
    """
    digits = 2
    while digits < 4 and round(value, digits) == round(limit, digits):
        digits += 1
    return _mb(value, digits)


def _bytes(size: int) -> str:
    """Bytes with thin groups, the Russian way.

    >>> _bytes(8_000_001)
    '8 000 001'
    """
    return f"{size:,}".replace(",", " ")


def breaches(row: pd.Series | dict[str, Any], platform: str | None = None) -> list[Breach]:
    """The rules of ``platform`` (default: the platform the asset is meant for) that the asset ``row`` breaks.

    ``row`` is a row of :func:`smmkit.media.library`. Checked, where the platform has the fact: the file format;
    the file size (photo ``image_max_mb``, video ``video_max_mb``); for photos the Instagram feed ratio range and
    minimum width, TikTok's shortest side, Telegram's sum of sides and long-to-short ratio; for videos the duration
    (Reels, TikTok, Shorts); for the vertical formats (Reels, Видео, Shorts) a vertical frame and the focus point
    inside the platform's safe zone.
    """
    platform = str(row["platform"]) if platform is None else platform
    pf, ms = load_facts(), load_media_specs()
    facts = pf[platform]
    specs = ms.by_platform.get(platform, {})
    width, height, size = int(row["width"]), int(row["height"]), int(row["bytes"])
    ratio = width / height
    photo = row["kind"] == "фото"
    out: list[Breach] = []

    ext = extension(str(row["file_name"]))
    if facts.media_formats and ext not in facts.media_formats:
        out.append(Breach("format", f"формат .{ext} не принимается (можно: {', '.join(facts.media_formats)})",
                          "formats"))
    limit_key = "image_max_mb" if photo else "video_max_mb"
    limit = facts.media_spec(limit_key)
    if limit is not None and size > limit * MB:
        shown = _mb(size / MB)
        if shown == _mb(limit):  # a few bytes over: the rounded MB would read as the limit itself
            shown = f"{_bytes(size)} байт"
            text = f"файл {shown} — больше предела {limit} МБ ({_bytes(int(limit * MB))} байт)"
        else:
            text = f"файл {shown} МБ — больше предела {limit} МБ"
        out.append(Breach("bytes", text, limit_key))

    if photo:
        if "feed_ratio_min" in specs:
            low, high = ms.value(platform, "feed_ratio_min"), ms.value(platform, "feed_ratio_max")
            if not low <= ratio <= high:
                shown = _beyond(ratio, low if ratio < low else high)
                out.append(Breach("feed_ratio", f"соотношение {shown} вне диапазона ленты {_mb(low)}–{_mb(high)}",
                                  "feed_ratio_min"))
        min_width = facts.media_spec("min_width_px")
        if min_width is not None and width < min_width:
            out.append(Breach("min_width", f"ширина {width} пикс. меньше {min_width}", "min_width_px"))
        min_side = facts.media_spec("min_side_px")
        if min_side is not None and min(width, height) < min_side:
            out.append(Breach("min_side", f"короткая сторона {min(width, height)} пикс. меньше {min_side}",
                              "min_side_px"))
        if "photo_sides_sum_max" in specs and width + height > ms.value(platform, "photo_sides_sum_max"):
            out.append(Breach("sides_sum", f"ширина + высота = {width + height} пикс. — больше "
                              f"{ms.value(platform, 'photo_sides_sum_max')}", "photo_sides_sum_max"))
        if "photo_ratio_max" in specs and max(width, height) / min(width, height) > ms.value(platform,
                                                                                             "photo_ratio_max"):
            out.append(Breach("long_to_short", f"длинная сторона в {_mb(max(width, height) / min(width, height), 1)} "
                              f"раза больше короткой — больше {ms.value(platform, 'photo_ratio_max')}",
                              "photo_ratio_max"))
        return out

    seconds = float(row["duration_s"])
    fmt = str(row["format"])
    bounds = {"Reels": ("reel_min_seconds", "reel_max_seconds"), "Видео": ("video_min_seconds", "video_max_seconds"),
              "Shorts": (None, "shorts_max_seconds")}.get(fmt, (None, None))
    low = facts.media_spec(bounds[0]) if bounds[0] else None
    high = facts.media_spec(bounds[1]) if bounds[1] else None
    if low is not None and seconds < low:
        out.append(Breach("too_short", f"ролик {seconds:g} с — короче минимума {low} с", str(bounds[0])))
    if high is not None and seconds > high:
        out.append(Breach("too_long", f"ролик {seconds:g} с — длиннее максимума {high} с", str(bounds[1])))
    if fmt in VERTICAL_FORMATS:
        if ratio >= 1:
            out.append(Breach("not_vertical", f"кадр {width} × {height} не вертикальный (ширина / высота = "
                              f"{_mb(ratio)})", "recommended_sizes"))
        elif "safe_zone_vertical" in specs and not ms.safe_zone(platform).contains(float(row["focus_x"]),
                                                                                   float(row["focus_y"])):
            out.append(Breach("safe_zone", "главное в кадре (точка фокуса) под интерфейсом площадки",
                              "safe_zone_vertical"))
    return out


def library_breaches(lib: pd.DataFrame) -> pd.DataFrame:
    """One row per broken rule of each asset of the media library on its own platform: ``asset_id``,
    ``file_name``, ``platform``, ``rule`` and ``text``.

    >>> from smmkit import media
    >>> table = library_breaches(media.library())
    >>> table.groupby("rule").size().to_dict()["feed_ratio"]
    8
    """
    rows = [{"asset_id": r["asset_id"], "file_name": r["file_name"], "platform": str(r["platform"]),
             "rule": b.rule, "text": b.text}
            for _, r in lib.iterrows() for b in breaches(r)]
    return pd.DataFrame(rows, columns=["asset_id", "file_name", "platform", "rule", "text"])


__all__ = ["MB", "VERTICAL_FORMATS", "Breach", "breaches", "extension", "library_breaches"]
