"""Media preview lab (05.06): choose a platform, an asset of the media library and a frame ratio → the crop around
the focus point, the platform's safe zone, the file size and the platform rules the asset breaks.

The computation is :func:`smmkit.media.photo.crop_box` (the crop), :func:`smmkit.media.rules.breaches` (the rules,
read from the dated fact files) and :meth:`smmkit.platforms.media_specs.SafeZone.box`; the picture is the asset's
stand-in drawn in memory by :func:`smmkit.media.draw.draw_frame` (the same picture ``media.image_path`` saves), so
the lab writes no file.
"""

from __future__ import annotations

import html
import io
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ipywidgets as w
import pandas as pd

from smmkit import media
from smmkit.media.photo import crop_box, parse_ratio
from smmkit.media.rules import MB, VERTICAL_FORMATS, Breach, breaches
from smmkit.platforms import load_facts
from smmkit.platforms.media_specs import load_media_specs

PREVIEW_SIDE = 320
"""The longer side of the preview picture, pixels."""
ORIGINAL = "исходный кадр"
"""The frame option that keeps the whole picture."""
MIB = 1024 * 1024
FULL_SCREEN = 0.6
"""A frame this narrow (width / height) fills a phone screen like Reels and Stories: the platform's interface covers
its edges, so the lab draws the safe zone (a portrait feed post, 0.8, is not covered)."""


@dataclass(frozen=True)
class Preview:
    """What the lab shows for one choice: the crop box and safe box on the original (pixels), whether the focus
    point stays in them, and the rules broken."""

    asset_id: str
    platform: str
    ratio: str
    box: tuple[int, int, int, int]
    safe_box: tuple[int, int, int, int] | None
    focus_in_crop: bool
    focus_in_safe: bool | None
    breaches: tuple[Breach, ...]


def frame_options(platform: str) -> list[str]:
    """The frame ratios the platform accepts (``aspect_ratios`` of the platform facts), after the original frame.

    >>> frame_options("Instagram")[1:] == load_facts()["Instagram"].media_spec("aspect_ratios")
    True
    >>> frame_options("Telegram")
    ['исходный кадр']
    """
    return [ORIGINAL, *(str(r) for r in load_facts()[platform].media_spec("aspect_ratios", ()))]


def preview(row: pd.Series, platform: str, ratio: str) -> Preview:
    """The crop of ``ratio`` («ширина:высота» or :data:`ORIGINAL`) around the focus point on the original, the
    platform's safe zone inside a vertical crop, and what the asset breaks on ``platform``.

    >>> p = preview(media.asset("M071"), "Instagram", "1080:1350")
    >>> p.box, p.focus_in_crop
    ((0, 0, 2419, 3024), True)
    """
    width, height = int(row["width"]), int(row["height"])
    focus = (float(row["focus_x"]), float(row["focus_y"]))
    box = (0, 0, width, height) if ratio == ORIGINAL else crop_box((width, height), parse_ratio(ratio), focus)
    fx, fy = focus[0] * width, focus[1] * height
    in_crop = box[0] <= fx <= box[2] and box[1] <= fy <= box[3]
    ms = load_media_specs()
    safe_box, in_safe = None, None
    crop_w, crop_h = box[2] - box[0], box[3] - box[1]
    if crop_w / crop_h <= FULL_SCREEN and "safe_zone_vertical" in ms.by_platform.get(platform, {}):
        left, top, right, bottom = ms.safe_zone(platform).box(crop_w, crop_h)
        safe_box = (box[0] + left, box[1] + top, box[0] + right, box[1] + bottom)
        in_safe = safe_box[0] <= fx <= safe_box[2] and safe_box[1] <= fy <= safe_box[3]
    return Preview(str(row["asset_id"]), platform, ratio, box, safe_box, in_crop, in_safe,
                   tuple(breaches(row, platform)))


@lru_cache(maxsize=128)
def _stand_in(asset_id: str) -> Any:
    row = media.asset(asset_id)
    from smmkit.media.draw import draw_frame

    size = media.proxy_size(int(row["width"]), int(row["height"]), PREVIEW_SIDE)
    return draw_frame(size, (float(row["focus_x"]), float(row["focus_y"])), str(row["account_id"]),
                      seed=zlib.crc32(asset_id.encode()))


def picture(p: Preview, row: pd.Series) -> bytes:
    """The preview as JPEG bytes: outside the crop dimmed, the crop framed in white, the safe zone in yellow, the
    focus point as a red ring."""
    from PIL import Image, ImageDraw

    base = _stand_in(p.asset_id).convert("RGBA")
    scale = base.width / int(row["width"])

    def scaled(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return (round(box[0] * scale), round(box[1] * scale), round(box[2] * scale) - 1, round(box[3] * scale) - 1)

    shade = Image.new("RGBA", base.size, (0, 0, 0, 150))
    crop = scaled(p.box)
    shade.paste((0, 0, 0, 0), (crop[0], crop[1], crop[2] + 1, crop[3] + 1))
    out = Image.alpha_composite(base, shade)
    draw = ImageDraw.Draw(out)
    draw.rectangle(crop, outline=(255, 255, 255, 255), width=2)
    if p.safe_box is not None:
        draw.rectangle(scaled(p.safe_box), outline=(255, 215, 0, 255), width=2)
    fx, fy = float(row["focus_x"]) * base.width, float(row["focus_y"]) * base.height
    draw.ellipse((fx - 7, fy - 7, fx + 7, fy + 7), outline=(230, 30, 30, 255), width=3)
    buffer = io.BytesIO()
    out.convert("RGB").save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _number(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")


def summary(p: Preview, row: pd.Series) -> str:
    """The lab's text (HTML, Russian): the file, its size in MB and MiB, the crop, the safe zone, the broken rules."""
    width, height, size = int(row["width"]), int(row["height"]), int(row["bytes"])
    lines = [f"<b>{html.escape(str(row['file_name']))}</b> · {html.escape(str(row['format']))} для "
             f"{html.escape(str(row['platform']))} · {width} × {height} пикс. · ширина / высота "
             f"{_number(width / height)} · {_number(size / MB)} МБ = {_number(size / MIB)} МиБ"]
    if row["kind"] == "видео":
        lines.append(f"Видео: {_number(float(row['duration_s']), 1)} с, {int(row['fps'])} кадров/с, "
                     f"{int(row['bitrate_kbps'])} кбит/с")
    box_w, box_h = p.box[2] - p.box[0], p.box[3] - p.box[1]
    lines.append(f"Кадр {html.escape(p.ratio)}: рамка {p.box} — {box_w} × {box_h} пикс., "
                 f"осталось {box_w * box_h / (width * height):.0%} площади; точка фокуса "
                 + ("в кадре" if p.focus_in_crop else "<b style='color:#d62728'>отрезана</b>"))
    if p.safe_box is not None:
        lines.append("Безопасная зона (жёлтая рамка): главное "
                     + ("в ней" if p.focus_in_safe else "<b style='color:#d62728'>под интерфейсом площадки</b>"))
    if p.breaches:
        items = "".join(f"<li>{html.escape(b.text)}</li>" for b in p.breaches)
        lines.append(f"<b style='color:#d62728'>Нарушает правила {html.escape(p.platform)}:</b><ul>{items}</ul>")
    else:
        lines.append(f"<b style='color:#2ca02c'>Правила {html.escape(p.platform)} не нарушены</b> "
                     "(по фактам курса)")
    checked = min(load_facts().checked, load_media_specs().checked)
    lines.append(f"<small>Требования площадок проверены {checked:%d.%m.%Y}: "
                 "smmkit.platforms и media_specs.yaml.</small>")
    return "<br>".join(lines)


class MediaPreview(w.VBox):
    """Choose a platform, an asset of the media library and a frame; see the crop, safe zone and broken rules."""

    def __init__(self, library: pd.DataFrame | None = None, platform: str = "Instagram",
                 asset_id: str | None = None) -> None:
        self.library = media.library() if library is None else library
        style = {"description_width": "initial"}
        platforms = [str(p) for p in self.library["platform"].astype(str).unique()]
        self.platform = w.Dropdown(options=platforms, value=platform, description="Площадка:", style=style)
        self.asset = w.Dropdown(options=self._assets(platform), description="Файл:", style=style,
                                layout=w.Layout(width="420px"))
        if asset_id is not None:
            self.asset.value = asset_id
        self.ratio = w.Dropdown(options=frame_options(platform), value=self._default_ratio(), description="Кадр:",
                                style=style)
        self.image = w.Image(format="jpeg")
        self.summary = w.HTML()
        self._busy = False
        self._update()
        self.platform.observe(self._platform_changed, names="value")
        self.asset.observe(self._update, names="value")
        self.ratio.observe(self._update, names="value")
        super().__init__([w.HBox([self.platform, self.asset, self.ratio]), w.HBox([self.image, self.summary])])

    def _assets(self, platform: str) -> list[tuple[str, str]]:
        rows = self.library[self.library["platform"].astype(str) == platform]
        return [(f"{a} · {f}", a) for a, f in zip(rows["asset_id"], rows["file_name"], strict=True)]

    def _default_ratio(self) -> str:
        """The narrowest frame for a vertical format; the feed's portrait (its narrowest ratio) for a photo."""
        platform, options = self.platform.value, frame_options(self.platform.value)
        ratios = {option: parse_ratio(option) for option in options[1:]}
        if not ratios:
            return ORIGINAL
        if media.asset(self.asset.value)["format"] in VERTICAL_FORMATS:
            return min(ratios, key=ratios.__getitem__)
        specs = load_media_specs().by_platform.get(platform, {})
        portrait = [o for o, r in ratios.items() if "feed_ratio_min" in specs
                    and abs(r - load_media_specs().value(platform, "feed_ratio_min")) < 1e-9]
        return portrait[0] if portrait else ORIGINAL

    def _platform_changed(self, *_: object) -> None:
        self._busy = True  # one redraw for the three controls that change together
        try:
            self.asset.options = self._assets(self.platform.value)
            self.ratio.options = frame_options(self.platform.value)
            self.ratio.value = self._default_ratio()
        finally:
            self._busy = False
        self._update()

    @property
    def current(self) -> Preview:
        """The preview of the current choice."""
        return preview(media.asset(self.asset.value), self.platform.value, self.ratio.value)

    def _update(self, *_: object) -> None:
        if self._busy:
            return
        row = media.asset(self.asset.value)
        p = preview(row, self.platform.value, self.ratio.value)
        self.image.value = picture(p, row)
        self.summary.value = summary(p, row)


__all__ = ["ORIGINAL", "MediaPreview", "Preview", "frame_options", "picture", "preview", "summary"]
