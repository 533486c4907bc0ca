"""Spell checking posts in Russian and Kazakh with Hunspell and real dictionaries.

The checker is Hunspell (PyPI package ``chunspell``, imported as ``hunspell``: the C library in the wheel). The
dictionaries are the LibreOffice ones that Debian packages as ``hunspell-ru`` (``ru_RU``) and ``hunspell-kk``
(``kk_KZ``) in ``/usr/share/hunspell``; another folder can be given in the environment variable
``SMMKIT_HUNSPELL_DIR``. Without a dictionary the checker raises :class:`DictionaryMissing`, whose Russian message
says how to install it (in Jupyter it shows as that message alone, without a traceback).

A dictionary is a list of known words, not the truth: a flagged word is a candidate to check, and a brand's own
words (drinks, names) go into ``brand_words.yaml`` so they are not flagged.

>>> unknown_words("Сәлем, Алматы! Второй капучино в подарок, приходите обезательно.", allow=["капучино"])
['обезательно']
>>> unknown_words("Наурыз мерекесімен құттықтаймыз!", langs=("kk",))
[]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from smmkit.analysis.texts import words

DEFAULT_DIR = Path("/usr/share/hunspell")
DICTIONARIES = {"ru": "ru_RU", "kk": "kk_KZ"}
DEBIAN_PACKAGES = {"ru": "hunspell-ru", "kk": "hunspell-kk"}
BRAND_WORDS_PATH = Path(__file__).with_name("brand_words.yaml")


class DictionaryMissing(RuntimeError):
    """A Hunspell dictionary (or the checker) is not installed; the message says, in Russian, how to install it."""

    def _render_traceback_(self) -> list[str]:
        """IPython shows this instead of a traceback: the message alone."""
        return [f"⚠ {self}"]


def dictionary_dir() -> Path:
    """The folder with the ``.dic`` and ``.aff`` files: ``$SMMKIT_HUNSPELL_DIR`` or ``/usr/share/hunspell``."""
    return Path(os.environ.get("SMMKIT_HUNSPELL_DIR", DEFAULT_DIR))


def available(lang: str) -> bool:
    """Whether the dictionary for ``lang`` ("ru" or "kk") is installed.

    >>> available("ru")
    True
    """
    name = DICTIONARIES[lang]
    return all((dictionary_dir() / f"{name}.{ext}").is_file() for ext in ("dic", "aff"))


@cache
def speller(lang: str) -> Any:
    """The Hunspell checker for ``lang`` ("ru" or "kk"), loaded once per session (≈ 1 s each).

    >>> speller("ru").spell("кофейня"), speller("ru").spell("кофехана"), speller("kk").spell("кофехана")
    (True, False, True)
    """
    if lang not in DICTIONARIES:
        raise KeyError(f"Словаря для языка «{lang}» в курсе нет. Есть: {', '.join(DICTIONARIES)}.")
    if not available(lang):
        raise DictionaryMissing(
            f"Не найден словарь {DICTIONARIES[lang]} для проверки орфографии в папке {dictionary_dir()}. "
            f"Установите словари: sudo apt-get install hunspell-ru hunspell-kk (Debian, Ubuntu) — или положите "
            f"файлы {DICTIONARIES[lang]}.dic и {DICTIONARIES[lang]}.aff из словарей LibreOffice в свою папку и "
            f"укажите её в переменной окружения SMMKIT_HUNSPELL_DIR. Остальные ячейки урока работают и без словаря.")
    try:
        import hunspell
    except ImportError as error:  # the course's dependencies were not installed
        raise DictionaryMissing("Не установлена программа проверки орфографии (пакет chunspell). "
                                "Выполните в папке курса: make setup") from error
    return hunspell.Hunspell(DICTIONARIES[lang], hunspell_data_dir=str(dictionary_dir()))


@cache
def brand_words(brand: str) -> frozenset[str]:
    """A brand's own words that the dictionaries do not know (``brand_words.yaml``), lower case.

    >>> "капучино" in brand_words("qazaq_coffee")
    True
    """
    raw = yaml.safe_load(BRAND_WORDS_PATH.read_text(encoding="utf-8"))
    return frozenset(w.lower() for w in raw.get(brand, []))


def unknown_words(text: str, langs: Sequence[str] = ("ru", "kk"), allow: Iterable[str] = ()) -> list[str]:
    """Words of ``text`` that no dictionary of ``langs`` knows and ``allow`` does not list, in order, once each.

    A word counts as known if any of the dictionaries knows it: posts of Kazakhstan mix Russian and Kazakh.
    Hashtags, @mentions, links and numbers are not checked.
    """
    allowed = {w.lower() for w in allow}
    checkers = [speller(lang) for lang in langs]
    seen: list[str] = []
    for word in words(text):
        if word.lower() in allowed or word in seen:
            continue
        if not any(c.spell(word) for c in checkers):
            seen.append(word)
    return seen


def suggestions(word: str, lang: str = "ru", n: int = 3) -> list[str]:
    """Up to ``n`` corrections Hunspell suggests for ``word`` (slow: about a second a word in Russian).

    >>> suggestions("обезательно")
    ['обязательно', 'осязательно', 'обаятельно']
    """
    return list(speller(lang).suggest(word))[:n]
