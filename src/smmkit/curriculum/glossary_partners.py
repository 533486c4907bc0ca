"""Module 03's working glossary (``glossary_partners.yaml``): partner work and seeding in Russian, Kazakh, English.

The module's new terms live in ``glossary_partners.yaml``; the terms it shares with the course glossary
(``glossary.yaml``) are listed there by ID and read from :func:`smmkit.curriculum.glossary.load_glossary`.

>>> terms = load_partners_glossary()
>>> terms["media-kit"].en, terms["GL-blogger"].kk
('media kit', 'Блогер')
>>> frame = partners_glossary_frame()
>>> list(frame.columns)
['id', 'ru', 'kk', 'en', 'example_en', 'shared']
>>> bool(frame.loc[frame["id"] == "GL-cta", "shared"].item())
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from .glossary import load_glossary

FILE = "glossary_partners.yaml"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class PartnersTerm:
    """One term in three languages, an English example phrase ("" for shared terms) and where it lives."""

    id: str
    ru: str
    kk: str
    en: str
    example_en: str = ""
    shared: bool = False

    def text(self, lang: str) -> str:
        """The term in a language: ``ru``, ``kk`` or ``en``."""
        if lang not in ("ru", "kk", "en"):
            raise ValueError("Язык — ru, kk или en.")
        return str(getattr(self, lang))


def parse_partners_glossary(raw: Mapping[str, Any]) -> dict[str, PartnersTerm]:
    """Check the parsed YAML and build the glossary: shared IDs first (from glossary.yaml), then the module's terms.

    Checks: the schema version, every shared ID exists in the course glossary, every new term has the four
    fields and an English example, and no new ID repeats or clashes with the course glossary.
    """
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"{FILE}: ожидается schema_version: {SCHEMA_VERSION}")
    course = load_glossary()
    out: dict[str, PartnersTerm] = {}
    for term_id in raw.get("shared") or ():
        if term_id not in course:
            raise ValueError(f"{FILE}: в glossary.yaml нет термина {term_id} из списка shared")
        t = course[term_id]
        out[term_id] = PartnersTerm(t.id, t.ru, t.kk, t.en, shared=True)
    for entry in raw.get("terms") or ():
        values = {k: str(entry.get(k) or "").strip() for k in ("id", "ru", "kk", "en", "example_en")}
        if not all(values.values()):
            raise ValueError(f"{FILE}: у термина «{values['id'] or values['ru']}» нужны id, ru, kk, en и example_en")
        if values["id"] in out or values["id"] in course:
            raise ValueError(f"{FILE}: термин {values['id']} повторяется (здесь или в glossary.yaml)")
        out[values["id"]] = PartnersTerm(**values)
    return out


@cache
def load_partners_glossary() -> dict[str, PartnersTerm]:
    """Module 03's glossary by ID, checked (see :func:`parse_partners_glossary`)."""
    text = resources.files("smmkit.curriculum").joinpath(FILE).read_text(encoding="utf-8")
    return parse_partners_glossary(yaml.safe_load(text))


def partners_glossary_frame() -> pd.DataFrame:
    """The glossary as a DataFrame: id, ru, kk, en, example_en, shared (True: the term is in glossary.yaml)."""
    rows = [vars(t) for t in load_partners_glossary().values()]
    return pd.DataFrame(rows, columns=["id", "ru", "kk", "en", "example_en", "shared"])
