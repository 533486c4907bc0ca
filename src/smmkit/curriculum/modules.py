"""The course's module map (``modules.yaml``): number, slug, Russian title, standard IDs and hours.

>>> m = module("01")
>>> m.folder, m.status
('01-autoposting', 'built')
>>> "A4-TF1-T1-Z3" in m.standard
True
>>> [m.number for m in load_modules()][:3]
['00', '01', '02']
>>> sorted(i for i in module("08").leaves if i.startswith("M6-TF2-T1-Z1"))
['M6-TF2-T1-Z1.1', 'M6-TF2-T1-Z1.2', 'M6-TF2-T1-Z1.3', 'M6-TF2-T1-Z1.4']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .standard import load_standard


@dataclass(frozen=True)
class Module:
    """One module of the course."""

    number: str
    slug: str
    title: str
    card: str | None
    tasks: tuple[str, ...]
    standard: tuple[str, ...]
    theory_hours: int
    practice_hours: int
    status: str
    independent_hours: int = 0

    @property
    def folder(self) -> str:
        """The module's folder name under ``course/``, e.g. ``01-autoposting``."""
        return f"{self.number}-{self.slug}"

    @property
    def hours(self) -> int:
        """Academic hours in total (theory + practice + independent work)."""
        return self.theory_hours + self.practice_hours + self.independent_hours

    @property
    def built(self) -> bool:
        """Whether the module's lessons exist (status ``built``)."""
        return self.status == "built"

    @property
    def leaves(self) -> frozenset[str]:
        """The leaves the module may count: a repeated item its original, a compound item all its parts."""
        std = load_standard()
        return frozenset(leaf for i in self.standard for leaf in std.leaves_for(i))


def _module(raw: dict[str, Any]) -> Module:
    """Parse one entry of ``modules.yaml``, checking its IDs against the standard."""
    number = str(raw["number"])
    if len(number) != 2 or not number.isdigit():
        raise ValueError(f"modules.yaml: номер модуля «{number}» должен состоять из двух цифр")
    std = load_standard()
    ids = tuple(str(i) for i in raw.get("standard") or ())
    bad = [i for i in (*ids, *(raw.get("tasks") or ())) if i not in std]
    if bad:
        raise ValueError(f"modules.yaml, модуль {number}: нет в стандарте: {', '.join(bad)}")
    whole = [i for i in ids if not std.leaves_for(i)]
    if whole:
        raise ValueError(
            f"modules.yaml, модуль {number}: в standard только умения, знания, их части и термины: {', '.join(whole)}"
        )
    if raw.get("status") not in ("built", "planned"):
        raise ValueError(f"modules.yaml, модуль {number}: status должен быть built или planned")
    hours = raw.get("hours") or {}
    return Module(
        number,
        str(raw["slug"]),
        str(raw["title"]),
        raw.get("card"),
        tuple(str(t) for t in raw.get("tasks") or ()),
        ids,
        int(hours.get("theory", 0)),
        int(hours.get("practice", 0)),
        str(raw["status"]),
        int(hours.get("independent", 0)),
    )


def parse_modules(data: dict[str, Any]) -> tuple[Module, ...]:
    """Modules from a parsed ``modules.yaml`` mapping, checked (numbers in order, IDs in the standard)."""
    modules = tuple(_module(m) for m in data["modules"])
    numbers = [m.number for m in modules]
    if numbers != sorted(set(numbers)):
        raise ValueError("modules.yaml: номера модулей должны идти по порядку без повторов")
    return modules


@cache
def load_modules() -> tuple[Module, ...]:
    """Every module of the course in number order (parsed once)."""
    text = resources.files("smmkit.curriculum").joinpath("modules.yaml").read_text(encoding="utf-8")
    return parse_modules(yaml.safe_load(text))


def module(number: str) -> Module:
    """The module with this two-digit number; ``KeyError`` with a Russian message if there is none."""
    for m in load_modules():
        if m.number == number:
            return m
    raise KeyError(f"В карте курса нет модуля «{number}»")
