"""The three-language terminology glossary (``glossary.yaml``): Russian, Kazakh and English.

>>> g = load_glossary()
>>> g["GL-er"].kk, g["content-plan"].en
('ER (тартылу коэффициенті)', 'content plan')
>>> all(t.id in g for t in load_standard().glossary)
True
>>> "| ER (коэффициент вовлечённости) | ER (тартылу коэффициенті) | ER (engagement rate) |" in glossary_markdown()
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from .standard import load_standard


@dataclass(frozen=True)
class GlossaryTerm:
    """One term in three languages; ``standard`` tells whether it is a glossary term of the standard."""

    id: str
    ru: str
    kk: str
    en: str

    @property
    def standard(self) -> bool:
        """Whether the term is the standard's (a GL-* ID of ``standard.yaml``)."""
        return self.id.startswith("GL-")

    def text(self, lang: str) -> str:
        """The term in a language: ``ru``, ``kk`` or ``en``."""
        return str(getattr(self, lang))


@cache
def load_glossary() -> dict[str, GlossaryTerm]:
    """Every term by ID, checked: three non-empty languages, unique IDs, every GL-* ID in the standard."""
    raw = yaml.safe_load(resources.files("smmkit.curriculum").joinpath("glossary.yaml").read_text(encoding="utf-8"))
    std = load_standard()
    out: dict[str, GlossaryTerm] = {}
    for entry in raw["terms"]:
        term = GlossaryTerm(*(str(entry.get(k) or "").strip() for k in ("id", "ru", "kk", "en")))
        if not all((term.id, term.ru, term.kk, term.en)):
            raise ValueError(f"glossary.yaml: у термина «{term.id or term.ru}» нужны id, ru, kk и en")
        if term.id in out:
            raise ValueError(f"glossary.yaml: термин {term.id} повторяется")
        if term.standard and term.id not in std:
            raise ValueError(f"glossary.yaml: в стандарте нет термина {term.id}")
        out[term.id] = term
    return out


def glossary_markdown() -> str:
    """The glossary as a Markdown table for students: the standard's terms first, then the course's."""
    terms = sorted(load_glossary().values(), key=lambda t: not t.standard)
    lines = ["# Словарь терминов · Терминдер сөздігі · Glossary", "",
             "| Русский | Қазақша | English |", "|---|---|---|"]
    lines += [f"| {t.ru} | {t.kk} | {t.en} |" for t in terms]
    return "\n".join(lines) + "\n"
