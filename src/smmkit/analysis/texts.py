"""Texts of posts: length in characters, hashtags, readability, a call to action and the tone for a segment.

The house rules (recommended lengths, hashtag ranges, readability thresholds, CTA words, tone per segment) live
in ``text_rules.yaml`` beside this module; platform limits come from :mod:`smmkit.platforms` (dated facts).

Length is counted in characters, never in bytes: Cyrillic letters take two bytes in UTF-8.

>>> caption_length("Сәлем, Алматы!")
14
>>> len("Сәлем, Алматы!".encode("utf-8"))
25
>>> hashtags("Кофе #qazaqcoffee #наурыз2026, а C#, №#5 и «мы #1» — не хештеги")
['#qazaqcoffee', '#наурыз2026']
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_PATH = Path(__file__).with_name("text_rules.yaml")

#: A hashtag: '#' that does not follow a letter, digit, '_', '#' or '№', then letters, digits or '_' with at least
#: one letter («#1» is a number sign, not a hashtag).
HASHTAG = re.compile(r"(?<![\w#№&])#\w*[^\W\d_]\w*")
#: A word: letters (any alphabet), possibly joined by hyphens; hashtags, @mentions and links are removed first.
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_NOT_WORDS = re.compile(r"https?://\S+|www\.\S+|[#@]\w+")
_SENTENCE_END = re.compile(r"[.!?…]+(?:\s|$)")
_VOWELS = set("аеёиоуыэюяәөұүіӘӨҰҮІaeiouy")
#: Emoji and pictographs (the main Unicode blocks), for the tone rules.
EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55]")


@lru_cache(maxsize=1)
def load_text_rules() -> dict[str, Any]:
    """The house rules for texts: ``length``, ``hashtags``, ``readability``, ``cta_words`` and ``tone``."""
    return yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))


def caption_length(text: str) -> int:
    """Characters in a caption (Unicode code points), as platforms count them for Cyrillic text.

    >>> caption_length("Кофе ☕")
    6
    """
    return len(text)


def hashtags(text: str) -> list[str]:
    """The hashtags of ``text`` in order: a '#' inside a word (``C#``, ``кофе#чай``) or after '№' starts none.

    >>> hashtags("#кофе#чай #латте")
    ['#кофе', '#латте']
    """
    return HASHTAG.findall(text)


def hashtag_range(platform: str) -> tuple[int, int]:
    """The recommended number of hashtags on ``platform``: the house range, its top capped by the platform's limit.

    >>> hashtag_range("Instagram")  # the house rule says 3–8, the facts file's limit is lower
    (3, 5)
    >>> hashtag_range("Telegram")
    (0, 2)
    """
    from smmkit.platforms import load_facts

    rule = load_text_rules()["hashtags"][platform]
    limit = load_facts()[platform].hashtag_limit
    return rule["min"], rule["max"] if limit is None else min(rule["max"], limit)


def words(text: str) -> list[str]:
    """The words of ``text``: no hashtags, @mentions, links, numbers or emoji.

    >>> words("Сәлем, Алматы! Раф за 900 ₸ — https://qazaqcoffee.kz #кофе @qazaqcoffee")
    ['Сәлем', 'Алматы', 'Раф', 'за']
    """
    return WORD.findall(_NOT_WORDS.sub(" ", text))


def syllables(word: str) -> int:
    """Syllables of a Russian or Kazakh word: its vowels.

    >>> syllables("кофейня"), syllables("құттықтаймыз")
    (3, 4)
    """
    return sum(ch in _VOWELS for ch in word.lower())


def sentences(text: str) -> list[str]:
    """Sentences of ``text``, split after '.', '!', '?' or '…' followed by a space or the end.

    >>> sentences("Привет! Новый раф уже здесь. Кто с нами?")
    ['Привет!', 'Новый раф уже здесь.', 'Кто с нами?']
    """
    parts, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        parts.append(text[start:match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    return [p for p in [*parts, tail] if words(p)]


def readability(text: str) -> dict[str, float]:
    """Words per sentence and the share of long words (≥ ``long_word_syllables`` syllables) in ``text``.

    words_per_sentence = words / sentences; long_word_share = long words / words.

    >>> readability("Привет! Новый раф уже здесь. Кто с нами?")
    {'sentences': 3, 'words': 8, 'words_per_sentence': 2.67, 'long_word_share': 0.0}
    """
    rules = load_text_rules()["readability"]
    ws, ss = words(text), sentences(text)
    long = sum(syllables(w) >= rules["long_word_syllables"] for w in ws)
    return {"sentences": len(ss), "words": len(ws),
            "words_per_sentence": round(len(ws) / len(ss), 2) if ss else 0.0,
            "long_word_share": round(long / len(ws), 2) if ws else 0.0}


def has_cta(text: str) -> bool:
    """Whether the last sentence of ``text`` holds a call to action: a word starting with one of ``cta_words``.

    >>> has_cta("Новый раф уже здесь. Приходите попробовать!"), has_cta("Новый раф уже здесь.")
    (True, False)
    """
    ss = sentences(text)
    if not ss:
        return False
    cta = tuple(load_text_rules()["cta_words"])
    return any(w.lower().startswith(cta) for w in words(ss[-1]))


def tone_problems(text: str, segment: str) -> list[str]:
    """What in ``text`` breaks the tone rules of ``segment`` (Russian messages; empty list: none).

    >>> for problem in tone_problems("Срочно!!! Шок-цена на раф 😱😱", "офис"):
    ...     print(problem)
    эмодзи: 2, для сегмента «офис» не больше 1
    восклицательных знаков: 3, не больше 1
    слово «шок» не подходит сегменту «офис»
    слово «срочно» не подходит сегменту «офис»
    """
    rules = load_text_rules()["tone"]
    if segment not in rules:
        raise KeyError(f"Сегмента «{segment}» нет в правилах тона. Есть: {', '.join(rules)}.")
    rule, problems = rules[segment], []
    emoji = len(EMOJI.findall(text))
    if emoji > rule["max_emoji"]:
        problems.append(f"эмодзи: {emoji}, для сегмента «{segment}» не больше {rule['max_emoji']}")
    marks = text.count("!")
    if marks > rule["max_exclamations"]:
        problems.append(f"восклицательных знаков: {marks}, не больше {rule['max_exclamations']}")
    lower = [w.lower() for w in words(text)]
    for bad in rule["avoid"]:
        if any(w == bad or w.startswith(bad + "-") for w in lower):
            problems.append(f"слово «{bad}» не подходит сегменту «{segment}»")
    if rule["address"] == "вы" and any(w in {"ты", "тебя", "тебе", "твой", "твоя", "твои"} for w in lower):
        problems.append(f"обращение на «ты», а сегменту «{segment}» пишут на «вы»")
    return problems
