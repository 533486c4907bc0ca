"""Kazakhstan's letter grading scale, kept as data in ``kz_scale.yaml``.

A percentage maps to a letter (A … F), its GPA points and the traditional mark («отлично (5)» …).
The scale's bands are whole percents, so a fractional percentage is first **rounded half up to a whole
percent** — our convention, the way transcripts show percents: 94.5 → 95 → A, 94.49 → 94 → A-.

>>> letter(94.5)
Grade(letter='A', gpa=4.0, traditional='отлично (5)')
>>> letter(94.49).letter
'A-'
>>> letter(8 / 15 * 100)  # 53.33 %
Grade(letter='D', gpa=1.0, traditional='удовлетворительно (3)')
>>> letter(49.5).letter, letter(49.49).letter
('D', 'F')
>>> round_percent(89.5), round_percent(0.5), round_percent(100.2)
(90, 1, 100)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import yaml


class Grade(NamedTuple):
    """A letter grade: the letter, its GPA points and the traditional mark."""

    letter: str
    gpa: float
    traditional: str


@dataclass(frozen=True)
class Band:
    """One row of the scale: whole percents ``low``..``high`` (inclusive) give ``letter``."""

    letter: str
    low: int
    high: int
    gpa: float
    mark: int
    traditional: str
    traditional_name: str


@dataclass(frozen=True)
class Scale:
    """The whole scale, highest band first."""

    name: str
    bands: tuple[Band, ...]

    def grade(self, percent: float) -> Grade:
        """The grade of a percentage (rounded half up to a whole percent first)."""
        whole = round_percent(percent)
        for band in self.bands:
            if band.low <= whole <= band.high:
                return Grade(band.letter, band.gpa, band.traditional)
        raise ValueError(f"Шкала «{self.name}» не покрывает {whole} %")


def round_percent(percent: float) -> int:
    """A percentage as a whole percent: round half up, clamped to 0..100 (extra credit cannot exceed 100)."""
    if percent is None or (isinstance(percent, float) and math.isnan(percent)):
        raise ValueError("Процент не задан")
    whole = int(Decimal(str(percent)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(100, max(0, whole))


def parse_scale(data: dict) -> Scale:
    """Build a ``Scale`` from its YAML mapping, checking that the bands cover 0..100 without gaps."""
    if data.get("rounding", "half_up") != "half_up":
        raise ValueError("Поддерживается только округление half_up")
    marks = {int(t["mark"]): t for t in data["traditional"]}
    bands = []
    for row in data["grades"]:
        mark = marks[int(row["mark"])]
        bands.append(Band(str(row["letter"]), int(row["min"]), int(row["max"]), float(row["gpa"]), int(row["mark"]),
                          str(mark["label"]), str(mark["name"])))
    bands.sort(key=lambda b: -b.low)
    expected = 100
    for band in bands:
        if band.high != expected or band.low > band.high:
            raise ValueError(f"Шкала: полоса {band.letter} ({band.low}–{band.high}) должна заканчиваться на {expected}")
        expected = band.low - 1
    if expected != -1:
        raise ValueError("Шкала должна доходить до 0 %")
    return Scale(str(data["name"]), tuple(bands))


@cache
def _default_scale() -> Scale:
    text = resources.files("smmkit.grading").joinpath("kz_scale.yaml").read_text(encoding="utf-8")
    return parse_scale(yaml.safe_load(text))


def load_scale(path: Path | None = None) -> Scale:
    """The scale from ``path``, or (cached) the Kazakhstan scale shipped as ``kz_scale.yaml``."""
    if path is None:
        return _default_scale()
    return parse_scale(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def letter(percent: float, scale: Scale | None = None) -> Grade:
    """The letter grade of a percentage on the Kazakhstan scale (or ``scale``)."""
    return (scale or load_scale()).grade(percent)
