"""Media specs that ``facts.yaml`` does not hold: feed ratio range, recommended sizes, safe zones, Telegram photos.

The specs live in ``media_specs.yaml`` beside this module, dated and with sources, as the platform facts do; the
basic media facts (aspect ratios, sizes in MB, durations, formats) are read from :func:`smmkit.platforms.load_facts`.

>>> ms = load_media_specs()
>>> ms.value("Instagram", "feed_ratio_min")
0.8
>>> ms.size("Instagram", "feed_portrait")
(1080, 1350)
>>> ms.safe_zone("TikTok").right
170
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from smmkit.platforms import Fact, FactsError, _date, _fact, _mapping, _sources, read_dated_file

MEDIA_SPECS_PATH = Path(__file__).with_name("media_specs.yaml")


@dataclass(frozen=True)
class SafeZone:
    """Margins (pixels on a reference canvas) that a platform's interface covers on a vertical video."""

    canvas: tuple[int, int]
    top: int
    bottom: int
    left: int
    right: int

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The safe box ``(left, top, right, bottom)`` scaled to a frame of ``width`` × ``height`` pixels.

        >>> SafeZone((1080, 1920), 250, 420, 0, 170).box(540, 960)
        (0, 125, 455, 750)
        """
        sx, sy = width / self.canvas[0], height / self.canvas[1]
        return (round(self.left * sx), round(self.top * sy), round(width - self.right * sx),
                round(height - self.bottom * sy))

    def contains(self, x: float, y: float) -> bool:
        """Whether a point given in shares of the frame (0–1 from the left and from the top) is in the safe box; a
        point exactly on its edge is inside (lesson 05.02).

        >>> zone = SafeZone((1080, 1920), 250, 420, 0, 170)
        >>> zone.contains(0.5, 0.95), zone.contains(0.5, 1 - 420 / 1920), zone.contains(0.5, 0.79)
        (False, True, False)
        """
        w, h = self.canvas
        return self.left / w <= x <= 1 - self.right / w and self.top / h <= y <= 1 - self.bottom / h


@dataclass(frozen=True)
class MediaSpecs:
    """The media specs of every platform that has them; each value with its source and check date."""

    file_checked: date
    note_ru: str
    by_platform: Mapping[str, Mapping[str, Fact]]

    def fact(self, platform: str, key: str) -> Fact:
        """One spec with its source and date; a Russian ``KeyError`` names what there is."""
        if platform not in self.by_platform:
            raise KeyError(f"Для площадки «{platform}» в media_specs.yaml ничего нет. Есть: "
                           f"{', '.join(self.by_platform)}.")
        specs = self.by_platform[platform]
        if key not in specs:
            raise KeyError(f"У площадки {platform} нет требования «{key}». Есть: {', '.join(specs)}.")
        return specs[key]

    def value(self, platform: str, key: str) -> Any:
        """The value of one spec."""
        return self.fact(platform, key).value

    def size(self, platform: str, name: str) -> tuple[int, int]:
        """A recommended size ``(width, height)`` in pixels, e.g. ``size("Instagram", "vertical")``."""
        sizes = self.value(platform, "recommended_sizes")
        if name not in sizes:
            raise KeyError(f"У площадки {platform} нет рекомендуемого размера «{name}». Есть: {', '.join(sizes)}.")
        width, height = sizes[name]
        return int(width), int(height)

    def safe_zone(self, platform: str) -> SafeZone:
        """The safe zone of the platform's vertical video."""
        v = self.value(platform, "safe_zone_vertical")
        return SafeZone((int(v["canvas"][0]), int(v["canvas"][1])), int(v["top"]), int(v["bottom"]),
                        int(v["left"]), int(v["right"]))

    @property
    def checked(self) -> date:
        """The oldest check date of all specs: the date a lesson shows."""
        return min(f.checked for specs in self.by_platform.values() for f in specs.values())


def parse_media_specs(raw: object, where: str = "media_specs.yaml") -> MediaSpecs:
    """Validate the parsed YAML; a Russian :class:`~smmkit.platforms.FactsError` on any fault.

    >>> parse_media_specs({"checked": "2026-12-03", "note_ru": "Проверяйте.", "sources": {}, "platforms": {
    ...     "TikTok": {"x": {"value": 1, "source": "nowhere", "checked": "2026-12-03"}}}})
    Traceback (most recent call last):
    ...
    smmkit.platforms.FactsError: media_specs.yaml: platforms.TikTok.x: источника «nowhere» нет в разделе sources.
    """
    data = _mapping(raw, where, "весь файл")
    file_checked = _date(data.get("checked"), f"{where}: checked")
    note = data.get("note_ru")
    if not isinstance(note, str) or not note.strip():
        raise FactsError(f"{where}: нет заметки note_ru (когда и как обновлять файл).")
    for section in ("sources", "platforms"):
        if section not in data:
            raise FactsError(f"{where}: нет раздела «{section}».")
    sources = _sources(data["sources"], where)
    platforms = {}
    for name, body in _mapping(data["platforms"], where, "platforms").items():
        specs = _mapping(body, where, f"platforms.{name}")
        platforms[str(name)] = {str(k): _fact(v, sources, f"{where}: platforms.{name}.{k}") for k, v in specs.items()}
    return MediaSpecs(file_checked, note, platforms)


@lru_cache(maxsize=4)
def _load(path: Path) -> MediaSpecs:
    return parse_media_specs(read_dated_file(path, "требований к медиа"), where=path.name)


def load_media_specs(path: str | Path | None = None) -> MediaSpecs:
    """Read and validate the media specs (cached); ``path`` defaults to the package's ``media_specs.yaml``."""
    return _load(Path(path).resolve() if path is not None else MEDIA_SPECS_PATH)


__all__ = ["MEDIA_SPECS_PATH", "MediaSpecs", "SafeZone", "load_media_specs", "parse_media_specs"]
