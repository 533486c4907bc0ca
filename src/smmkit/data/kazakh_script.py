"""Kazakh as people type it online: without the special letters, in Latin letters, with keyboard slips.

The tables live in ``texts/kazakh.yaml``. Each function takes a ``pick`` callable (``pick(options)`` returns
one element), so a generator keeps its own random stream and stays deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from smmkit.data import textbank

SCRIPTS: tuple[str, ...] = ("cyrillic", "plain", "latin_informal", "latin_2021")
"""How a Kazakh or mixed text is written: Kazakh Cyrillic, Russian keyboard, informal Latin, Latin of 2021."""

KAZAKH_LETTERS = "әғқңөұүһі"
"""The nine letters of the Kazakh Cyrillic alphabet that Russian does not have."""

Pick = Callable[[Sequence], object]


@cache
def _bank() -> dict:
    return textbank.load("kazakh")


def script_mix() -> dict[str, float]:
    """Planned share of each script among Kazakh and mixed texts."""
    return {key: float(value) for key, value in _bank()["script_mix"].items()}


def _map_chars(text: str, table: dict[str, str]) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in table:
            rep = table[low]
            out.append(rep[:1].upper() + rep[1:] if ch != low else rep)  # «Ш» → «Sh», «Қ» → «Q»
        else:
            out.append(ch)
    return "".join(out)


def plain(text: str) -> str:
    """Kazakh on a Russian keyboard: «Рақмет, өте дәмді» → «Ракмет, оте дамди»."""
    return _map_chars(text, dict(_bank()["plain"]))


def latin_2021(text: str) -> str:
    """The Latin alphabet of 2021: «Рақмет, өте дәмді» → «Raqmet, öte dämdı»."""
    return _map_chars(text, dict(_bank()["latin_2021"]))


def latin_informal(text: str, pick: Pick) -> str:
    """Informal translit; one writer keeps one spelling per letter: «Жақсы екен» → «Zhaksy eken» or «Jaqsy eken»."""
    table = {letter: str(pick(options)) for letter, options in _bank()["latin_informal"].items()}
    return _map_chars(text, table)


def write(text: str, script: str, pick: Pick) -> str:
    """``text`` written in ``script`` (one of :data:`SCRIPTS`)."""
    if script == "cyrillic":
        return text
    if script == "plain":
        return plain(text)
    if script == "latin_2021":
        return latin_2021(text)
    if script == "latin_informal":
        return latin_informal(text, pick)
    raise ValueError(f"unknown script {script!r}")


def script_of(text: str) -> str:
    """The script a Kazakh text is written in, judged from its letters alone (for tests and realism measures)."""
    if re.search("[äğıñöqşūüç]", text.lower()):
        return "latin_2021"
    cyrillic = len(re.findall("[а-яёәғқңөұүһі]", text.lower()))
    latin = len(re.findall("[a-z]", text.lower()))
    if latin > cyrillic:
        return "latin_informal"
    return "cyrillic" if re.search(f"[{KAZAKH_LETTERS}]", text.lower()) else "plain"


@cache
def _neighbours() -> dict[str, str]:
    """Letter → the letters next to it on the same keyboard row."""
    out: dict[str, str] = {}
    for rows in _bank()["keyboard"].values():
        for row in rows:
            for i, ch in enumerate(row):
                out[ch] = row[max(i - 1, 0) : i] + row[i + 1 : i + 2]
    return out


TYPOS: tuple[str, ...] = ("neighbour", "drop", "double", "swap")
"""Kinds of keyboard slip: a neighbouring key, a missing letter, a doubled letter, two letters swapped."""


def typo(text: str, pick: Pick, u: Callable[[], float]) -> tuple[str, str | None]:
    """One keyboard slip inside a word of five or more letters; returns (text, kind) or (text, None)."""
    words = [m for m in re.finditer(r"[^\W\d_]{5,}", text)]
    if not words:
        return text, None
    m = pick(words)
    i = m.start() + 1 + int(u() * (m.end() - m.start() - 2))  # never the first or the last letter
    kind = str(pick(TYPOS))
    ch = text[i]
    if kind == "neighbour":
        near = _neighbours().get(ch.lower(), "")
        if not near:
            return text[:i] + text[i + 1 :], "drop"
        new = str(pick(near))
        return text[:i] + (new.upper() if ch.isupper() else new) + text[i + 1 :], kind
    if kind == "drop":
        return text[:i] + text[i + 1 :], kind
    if kind == "double":
        return text[:i] + ch + text[i:], kind
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :], kind
