"""Lexicon sentiment of Russian and Kazakh customer comments: a transparent scorer an instructor can read.

The lexicon is ``lexicon_ru_kk.yaml`` next to this file (our own, written for the course). No morphology
library is used; the method is:

1. **Normalise**: lowercase, «ё» → «е». Kazakh is typed online without its special letters and in Latin
   letters, so every Kazakh entry also matches its Russian-keyboard spelling («кымбат» for «қымбат»), and a
   word in Latin letters is read as Cyrillic first («rahmet», «raqmet» → «рахмет», «ракмет»): the section
   ``spellings`` of the lexicon, whose comments list what it covers and what not.
2. **Tokenise** with one regular expression (:data:`TOKEN_PATTERN`) that keeps words (Cyrillic with the
   Kazakh letters, Latin), emoji, text emoticons (``:)``, ``)))``, ``:(``) and punctuation. Punctuation and
   the words of ``clause_breaks`` (но, а, однако, бірақ…) end a clause.
3. **Match** every word against the lexicon. An entry is a *stem*: it matches each word that starts with it,
   so «вкусн» covers «вкусный», «вкусная», «вкусно». The *longest* matching stem wins («невкусн» −2 beats
   «вкусн» +2; Kazakh «ұнама» −2 beats «ұна» +2, which is how the negative verb suffixes -ма/-ме/-ба/-бе/
   -па/-пе are handled). A stem ending in ``$`` matches the whole word only; an entry of weight 0 is a neutral
   word that blocks a shorter stem. Phrases («верните деньги») are tried first, word by word, by the same
   rules.
4. **Score** = the sum of the matched weights, where

   * a negator before a word (не, нет, ни, без, никогда) flips the polarity of the next sentiment word within
     :data:`NEGATION_WINDOW` words of the same clause; a second negator in that window does not flip it back
     (Russian «никогда не опаздывает» is one negation);
   * a negator after a word (Kazakh «емес», «жоқ») flips the previous sentiment word of the clause;
   * an intensifier (очень ×1.5, өте ×1.5) or a diminisher (немного ×0.5) multiplies the next sentiment word
     within :data:`MODIFIER_WINDOW` words; a negated intensifier («не очень вкусно») acts as a diminisher;
   * emoji and emoticons count on their own and are never negated or intensified;
   * every «!» in the text adds :data:`EXCLAMATION_STEP` (10 %) to the total, at most
     :data:`EXCLAMATION_MAX` marks.

5. **Label**: score ≥ ``pos`` → "positive", score ≤ ``neg`` → "negative", otherwise "neutral".

Known limits (worth a discussion in class): sarcasm («Ну спасибо, опять опоздали»), sentiment words used in
questions («Есть что-нибудь вкусное без сахара?»), and words outside the lexicon.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

LEXICON_PATH = Path(__file__).with_name("lexicon_ru_kk.yaml")
"""The course's own Russian + Kazakh lexicon."""

LABELS: tuple[str, ...] = ("positive", "negative", "neutral")
"""Sentiment labels, in the order tables and confusion matrices use."""

LABELS_RU: dict[str, str] = {"positive": "позитив", "negative": "негатив", "neutral": "нейтрально"}
"""Russian display names of the labels: ``table["label"].map(LABELS_RU)``."""

NEGATION_WINDOW = 3
"""A negator before a word reaches the next sentiment word at most this many words later."""

MODIFIER_WINDOW = 2
"""An intensifier or diminisher reaches the next sentiment word at most this many words later."""

NEGATED_INTENSIFIER = 0.5
"""Multiplier of an intensifier under negation: «не очень вкусно» is mildly negative."""

MODIFIER_RANGE = (0.25, 3.0)
"""Bounds of the product of several modifiers in a row («очень-очень», «чуть-чуть»)."""

EXCLAMATION_STEP = 0.1
"""Each «!» multiplies the total by 1 + this step ..."""

EXCLAMATION_MAX = 3
"""... counting at most this many marks (so «!!!!!» gives ×1.3 like «!!!»)."""

_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55"
TOKEN_PATTERN = re.compile(
    r"[:;=]-?[)(d]"  # emoticons :) ;) :( :d (text is lowercased first)
    r"|\){2,}|\({2,}"  # Russian-style emoticons ))) and (((
    rf"|[{_EMOJI}]"  # one emoji per token
    r"|[^\W\d_]+"  # a word: letters only (Cyrillic incl. Kazakh, Latin)
    r"|[.,!?;:…()«»\"—–]+"  # punctuation: ends a clause
)
"""Tokeniser: emoticons, emoji, words and punctuation; digits, spaces and hyphens are dropped."""

_PUNCTUATION = frozenset('.,!?;:…()«»"—–')
_LATIN_WORD = re.compile("[a-zäğıñöqşūüç]+")


@dataclass(frozen=True)
class Match:
    """One scored piece of a text: the words involved (e.g. «не очень вкусно») and their signed contribution."""

    text: str
    value: float


@dataclass(frozen=True)
class SentimentResult:
    """Score of one text and the matches that explain it (contributions before the «!» factor)."""

    score: float
    matches: tuple[Match, ...]

    def explain(self) -> str:
        """Matches as one line, e.g. ``очень вкусно +3; 😍 +3``.

        >>> analyze_text("Очень вкусно 😍").explain()
        'очень вкусно +3; 😍 +3'
        """
        return "; ".join(f"{m.text} {m.value:+g}" for m in self.matches)


@dataclass(eq=False)
class Lexicon:
    """A loaded lexicon: stems, whole words, phrases, emoji, negators, modifiers and clause breaks."""

    stems: dict[str, float]
    words: dict[str, float]
    phrases: dict[str, list[tuple[tuple[str, ...], float]]]  # first word's pattern -> [(patterns, weight)]
    emoji: dict[str, float]
    negators_before: frozenset[str]
    negators_after: frozenset[str]
    modifiers: dict[str, float]
    clause_breaks: frozenset[str]
    latin: tuple[tuple[str, str], ...] = ()  # Latin letters or digraphs → Cyrillic, longest first
    _cache: dict[str, float | None] = field(default_factory=dict, repr=False)
    _phrase_cache: dict[str, list[tuple[tuple[str, ...], float]]] = field(default_factory=dict, repr=False)

    def lookup(self, token: str) -> float | None:
        """Weight of the longest entry matching ``token`` (``None``: not in the lexicon)."""
        if token not in self._cache:
            self._cache[token] = self._find(token)
        return self._cache[token]

    def _find(self, token: str) -> float | None:
        if token in self.words:
            return self.words[token]
        for end in range(len(token), 0, -1):
            weight = self.stems.get(token[:end])
            if weight is not None:
                return weight
        return None

    def match_phrase(self, tokens: list[str], start: int) -> tuple[int, float, bool] | None:
        """The longest phrase starting at ``tokens[start]``: (length, weight, has a negator inside) or None."""
        best: tuple[int, float, bool] | None = None
        for patterns, weight in self._phrases_from(tokens[start]):
            size = len(patterns)
            if (best is None or size > best[0]) and _phrase_fits(patterns, tokens, start):
                negated = any(t in self.negators_before for t in tokens[start : start + size])
                best = (size, weight, negated)
        return best

    def read_latin(self, token: str) -> str:
        """A Latin-letter word read as Cyrillic without the Kazakh special letters: «rahmet» → «рахмет»."""
        if not self.latin or not _LATIN_WORD.fullmatch(token):
            return token
        out, i = [], 0
        while i < len(token):
            for latin, cyrillic in self.latin:
                if token.startswith(latin, i):
                    out.append(cyrillic)
                    i += len(latin)
                    break
            else:
                out.append(token[i])
                i += 1
        return "".join(out)

    def _phrases_from(self, token: str) -> list[tuple[tuple[str, ...], float]]:
        """Phrases whose first word matches ``token`` (cached per token)."""
        if token not in self._phrase_cache:
            found = [p for end in range(len(token), 0, -1) for p in self.phrases.get(token[:end], ())]
            self._phrase_cache[token] = [(words, w) for words, w in found if _word_fits(words[0], token)]
        return self._phrase_cache[token]


def _word_fits(pattern: str, token: str) -> bool:
    """A lexicon pattern matches a token: prefix match, or exact match for a pattern ending in ``$``."""
    return token == pattern[:-1] if pattern.endswith("$") else token.startswith(pattern)


def _phrase_fits(patterns: tuple[str, ...], tokens: list[str], start: int) -> bool:
    words = tokens[start : start + len(patterns)]
    return len(words) == len(patterns) and all(_word_fits(p, t) for p, t in zip(patterns, words, strict=True))


def normalize(text: str) -> str:
    """Lowercase and «ё» → «е», the form the lexicon is written in.

    >>> normalize("Ещё ВКУСНЕЕ")
    'еще вкуснее'
    """
    return text.lower().replace("ё", "е")


def tokenize(text: str) -> list[str]:
    """Normalised tokens of ``text``: words, emoji, emoticons and punctuation.

    >>> tokenize("Кофе — керемет!!! 👍🏻 Спасибо)))")
    ['кофе', '—', 'керемет', '!!!', '👍', 'спасибо', '))']
    """
    tokens = TOKEN_PATTERN.findall(normalize(text))
    tokens = [t[:2] if t[:2] in ("))", "((") else t for t in tokens]  # ))) → ))
    return [t for t in tokens if not "\U0001f3fb" <= t <= "\U0001f3ff"]  # drop skin-tone modifiers


# --- the lexicon file ----------------------------------------------------------------------------------


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key repeated in one mapping (PyYAML silently keeps the last one)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys = [loader.construct_object(key) for key, _ in node.value]
    repeated = sorted({str(k) for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"Словарь тональности: ключ повторяется: {', '.join(repeated)}.")
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _entry_key(raw: Any, section: str) -> str:
    key = normalize(str(raw)).strip()
    if not key or any(not TOKEN_PATTERN.fullmatch(word.rstrip("$")) for word in key.split()):
        raise ValueError(f"Словарь тональности, раздел «{section}»: запись «{raw}» — не слово или фраза из слов.")
    return key


def _check_weight(key: str, weight: Any, section: str, sign: int | None) -> float:
    """A weight is a number in [−3, 3]; positive entries are > 0, negative < 0, neutral = 0."""
    if not isinstance(weight, int | float) or isinstance(weight, bool) or not -3 <= weight <= 3:
        raise ValueError(f"Словарь тональности, раздел «{section}»: у «{key}» вес должен быть числом от −3 до 3.")
    wrong_sign = weight != 0 if sign == 0 else sign is not None and weight * sign <= 0
    if wrong_sign:
        raise ValueError(f"Словарь тональности, раздел «{section}»: у «{key}» вес {weight} не того знака.")
    return float(weight)


_SECTION_SIGNS: dict[str, int | None] = {"positive": 1, "negative": -1, "neutral": 0, "phrases": None}


def _add_terms(lexicon: Lexicon, language: str, sections: Mapping[str, Any], seen: dict[str, str]) -> None:
    for section, entries in sections.items():
        if section not in _SECTION_SIGNS:
            raise ValueError(f"Словарь тональности: неизвестный раздел «{language}.{section}».")
        name = f"{language}.{section}"
        for raw, weight in (entries or {}).items():
            key = _entry_key(raw, name)
            value = _check_weight(key, weight, name, _SECTION_SIGNS[section])
            if key in seen:
                raise ValueError(f"Словарь тональности: «{key}» есть и в «{seen[key]}», и в «{name}».")
            seen[key] = name
            words = tuple(key.split())
            if len(words) > 1:
                lexicon.phrases.setdefault(words[0].rstrip("$"), []).append((words, value))
            elif key.endswith("$"):
                lexicon.words[key[:-1]] = value
            else:
                lexicon.stems[key] = value


def _parse_lexicon(data: Mapping[str, Any]) -> Lexicon:
    negators = data.get("negators", {})
    factors = {**data.get("intensifiers", {}), **data.get("diminishers", {})}
    modifiers = {normalize(k): float(v) for k, v in factors.items()}
    lexicon = Lexicon(
        stems={},
        words={},
        phrases={},
        emoji={normalize(str(k)).replace("\ufe0f", ""): float(v) for k, v in data.get("emoji", {}).items()},
        negators_before=frozenset(normalize(w) for w in negators.get("before", [])),
        negators_after=frozenset(normalize(w) for w in negators.get("after", [])),
        modifiers=modifiers,
        clause_breaks=frozenset(normalize(w) for w in data.get("clause_breaks", [])),
    )
    seen: dict[str, str] = {}
    for language in ("ru", "kk"):
        _add_terms(lexicon, language, data.get(language, {}), seen)
    spellings = data.get("spellings") or {}
    if spellings.get("plain"):
        _add_plain_spellings(lexicon, {normalize(k): normalize(v) for k, v in spellings["plain"].items()}, seen)
    pairs = [(normalize(str(k)), normalize(str(v))) for k, v in (spellings.get("latin") or {}).items()]
    lexicon.latin = tuple(sorted(pairs, key=lambda kv: -len(kv[0])))
    return lexicon


def _add_plain_spellings(lexicon: Lexicon, table: dict[str, str], seen: dict[str, str]) -> None:
    """Every Kazakh entry also as typed on a Russian keyboard («қымбат» → «кымбат»), unless that form exists."""

    def plain(word: str) -> str:
        return "".join(table.get(ch, ch) for ch in word)

    for key, name in list(seen.items()):
        folded = plain(key)
        if not name.startswith("kk.") or folded == key or folded in seen:
            continue
        seen[folded] = name
        words = tuple(folded.split())
        if len(words) > 1:
            weight = next(w for p, w in lexicon.phrases[key.split()[0].rstrip("$")] if p == tuple(key.split()))
            lexicon.phrases.setdefault(words[0].rstrip("$"), []).append((words, weight))
        elif key.endswith("$"):
            lexicon.words[folded[:-1]] = lexicon.words[key[:-1]]
        else:
            lexicon.stems[folded] = lexicon.stems[key]
    lexicon.negators_before |= {plain(w) for w in lexicon.negators_before}
    lexicon.negators_after |= {plain(w) for w in lexicon.negators_after}
    lexicon.clause_breaks |= {plain(w) for w in lexicon.clause_breaks}
    for word, factor in list(lexicon.modifiers.items()):
        lexicon.modifiers.setdefault(plain(word), factor)


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read a lexicon YAML (default: the course's :data:`LEXICON_PATH`, read once and cached).

    >>> lex = load_lexicon()
    >>> lex.lookup("вкусная"), lex.lookup("невкусная"), lex.lookup("ұнамады")
    (2.0, -2.0, -2.0)
    """
    if path is None:
        return _default_lexicon()
    return _read_lexicon(Path(path))


def _read_lexicon(path: Path) -> Lexicon:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"Аргумент «path»: не удалось прочитать словарь «{path}» ({error.strerror}).") from None
    return _parse_lexicon(yaml.load(text, Loader=_UniqueKeyLoader) or {})


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return _read_lexicon(LEXICON_PATH)


# --- scoring -------------------------------------------------------------------------------------------


@dataclass
class _State:
    """What the words read so far in the current clause leave pending for the next sentiment word."""

    negate_left: int = 0  # words the pending negation still reaches
    negator_at: int = -1  # token position of the pending negator
    multiplier: float = 1.0
    modify_left: int = 0  # words the pending modifiers still reach
    modifier_at: int = -1  # token position of the first pending modifier
    last_hit: int | None = None  # index in ``hits`` of the clause's last word match ...
    last_hit_at: int = -1  # ... and its token position

    def clear_modifiers(self) -> None:
        self.multiplier, self.modify_left, self.modifier_at = 1.0, 0, -1

    def reset(self) -> None:
        """A clause ends: nothing pending crosses it."""
        self.negate_left = 0
        self.clear_modifiers()
        self.last_hit = None

    def step(self) -> None:
        """One word without sentiment passes: the windows shrink."""
        self.negate_left = max(self.negate_left - 1, 0)
        self.modify_left = max(self.modify_left - 1, 0)
        if not self.modify_left:
            self.clear_modifiers()


def _add_modifier(state: _State, position: int, factor: float) -> None:
    if state.negate_left and factor > 1:
        factor = NEGATED_INTENSIFIER
    low, high = MODIFIER_RANGE
    state.multiplier = min(max(state.multiplier * factor, low), high)
    if not state.modify_left:
        state.modifier_at = position
    state.modify_left = MODIFIER_WINDOW


def _hit(
    state: _State, hits: list[Match], tokens: list[str], span: tuple[int, int], weight: float, negated: bool
) -> None:
    """Record a sentiment word or phrase ``tokens[span[0]:span[1]]`` with pending negation and modifiers applied."""
    first, stop = span
    value = weight
    if state.modify_left:
        value *= state.multiplier
        first = min(first, state.modifier_at)
    if state.negate_left:
        value = value if negated else -value
        first = min(first, state.negator_at)
    hits.append(Match(" ".join(tokens[first:stop]), value))
    state.negate_left = 0
    state.clear_modifiers()
    state.last_hit, state.last_hit_at = len(hits) - 1, stop - 1


def _negate_previous(state: _State, hits: list[Match], token: str, position: int) -> None:
    """A negator after the word (Kazakh «емес»): flip the last sentiment word of the clause if it is near."""
    if state.last_hit is not None and position - state.last_hit_at <= NEGATION_WINDOW:
        old = hits[state.last_hit]
        hits[state.last_hit] = Match(f"{old.text} {token}", -old.value)
        state.last_hit = None


def _is_missing(text: Any) -> bool:
    return text is None or text is pd.NA or (isinstance(text, float) and math.isnan(text))


def analyze_text(text: str | None, lexicon: Lexicon | None = None) -> SentimentResult:
    """Score ``text`` and list the matches that explain the score (see the module docstring for the rules).

    >>> analyze_text("Не очень вкусно, но курьер вежливый!").matches
    (Match(text='не очень вкусно', value=-1.0), Match(text='вежливый', value=2.0))
    """
    if _is_missing(text):
        return SentimentResult(0.0, ())
    if not isinstance(text, str):
        raise ValueError(f"Аргумент «text» должен быть строкой (получено: {type(text).__name__}).")
    lex = lexicon or load_lexicon()
    tokens = [lex.read_latin(t) for t in tokenize(text)]
    hits: list[Match] = []
    state = _State()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in lex.emoji:
            hits.append(Match(token, lex.emoji[token]))
        elif token in lex.clause_breaks or token[0] in _PUNCTUATION:
            state.reset()
        elif (phrase := lex.match_phrase(tokens, i)) is not None:
            size, weight, negated = phrase
            if weight:
                _hit(state, hits, tokens, (i, i + size), weight, negated)
            else:
                state.step()
            i += size
            continue
        elif token in lex.negators_before:
            if not state.negate_left:
                state.negator_at = i
            state.negate_left = NEGATION_WINDOW
        elif token in lex.negators_after:
            _negate_previous(state, hits, token, i)
        elif token in lex.modifiers:
            _add_modifier(state, i, lex.modifiers[token])
        elif weight := lex.lookup(token):
            _hit(state, hits, tokens, (i, i + 1), weight, negated=False)
        else:
            state.step()
        i += 1
    hits = [m for m in hits if m.value]
    factor = 1 + EXCLAMATION_STEP * min(text.count("!"), EXCLAMATION_MAX)
    return SentimentResult(round(sum(m.value for m in hits) * factor, 4), tuple(hits))


def score_text(text: str | None, lexicon: Lexicon | None = None) -> float:
    """Sentiment score of one text: Σ weights with negation, modifiers and «!» applied (0 for empty text).

    >>> score_text("Вкусно")  # вкусн +2
    2.0
    >>> score_text("Не вкусно")  # не flips +2
    -2.0
    >>> score_text("Очень вкусно!")  # 2 × 1.5 (очень) × 1.1 (one «!»)
    3.3
    >>> score_text("Жақсы емес")  # емес after the word flips +2
    -2.0
    """
    return analyze_text(text, lexicon).score


def _check_thresholds(pos: float, neg: float) -> None:
    if not neg < pos:
        raise ValueError(f"Аргументы «neg» и «pos»: нужен порог neg < pos (получено neg={neg}, pos={pos}).")


def label_score(score: float, pos: float = 0.5, neg: float = -0.5) -> str:
    """Label of a score: ≥ pos → "positive", ≤ neg → "negative", otherwise "neutral".

    >>> label_score(0.5), label_score(0.2), label_score(-3.0)
    ('positive', 'neutral', 'negative')
    """
    _check_thresholds(pos, neg)
    if score >= pos:
        return "positive"
    if score <= neg:
        return "negative"
    return "neutral"


def label_text(text: str | None, pos: float = 0.5, neg: float = -0.5, lexicon: Lexicon | None = None) -> str:
    """Label of one text: "positive", "negative" or "neutral" (Russian names: :data:`LABELS_RU`).

    >>> label_text("Кофе керемет, спасибо!"), label_text("Курьер опоздал 😡"), label_text("Во сколько открываетесь?")
    ('positive', 'negative', 'neutral')
    """
    return label_score(score_text(text, lexicon), pos, neg)


def score_series(
    texts: Iterable[str | None], pos: float = 0.5, neg: float = -0.5, lexicon: Lexicon | None = None
) -> pd.DataFrame:
    """Score many texts: a table with ``score``, ``label`` and ``terms`` (the matches that explain the score).

    The index is the index of ``texts`` when it is a Series.

    >>> table = score_series(["Очень вкусно 😍", "Где курьер?"])
    >>> table[["score", "label"]]
       score     label
    0    6.0  positive
    1    0.0   neutral
    >>> table["terms"].tolist()
    ['очень вкусно +3; 😍 +3', '']
    """
    _check_thresholds(pos, neg)
    if isinstance(texts, str):
        raise ValueError("Аргумент «texts» — набор текстов (список или столбец), а не одна строка.")
    index = texts.index if isinstance(texts, pd.Series) else None
    results = [analyze_text(t, lexicon) for t in texts]
    scores = [r.score for r in results]
    return pd.DataFrame(
        {
            "score": np.asarray(scores, dtype=float),
            "label": [label_score(s, pos, neg) for s in scores],
            "terms": [r.explain() for r in results],
        },
        index=index,
    )


def normalize_labels(labels: Iterable[Any], name: str = "labels") -> pd.Series:
    """Labels as "positive"/"negative"/"neutral": English or Russian names (:data:`LABELS_RU`), any case.

    >>> normalize_labels(["Позитив", "negative", " нейтрально "]).tolist()
    ['positive', 'negative', 'neutral']
    """
    series = pd.Series(list(labels) if not isinstance(labels, pd.Series) else labels, dtype=object)
    if series.isna().any():
        raise ValueError(f"Аргумент «{name}»: есть пропущенные метки тональности ({int(series.isna().sum())} шт.).")
    from_ru = {ru: en for en, ru in LABELS_RU.items()}
    cleaned = series.map(lambda v: normalize(str(v)).strip())
    result = cleaned.map(lambda v: from_ru.get(v, v))
    unknown = sorted(set(result) - set(LABELS))
    if unknown:
        raise ValueError(
            f"Аргумент «{name}»: неизвестные метки {', '.join(unknown)}; ожидаются positive/negative/neutral "
            "или позитив/негатив/нейтрально."
        )
    return result.astype(str)


def evaluate_labels(pred: Iterable[Any], true: Iterable[Any]) -> dict[str, Any]:
    """Accuracy, macro F1, per-label F1 and the confusion matrix of predicted vs hand-made labels (scikit-learn).

    Labels may be English or Russian. ``confusion`` has true labels in rows and predictions in columns.

    >>> pred = ["positive", "negative", "neutral", "neutral"]
    >>> r = evaluate_labels(pred, ["позитив", "негатив", "негатив", "нейтрально"])
    >>> r["accuracy"], round(r["macro_f1"], 4)
    (0.75, 0.7778)
    """
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    y_pred, y_true = normalize_labels(pred, "pred"), normalize_labels(true, "true")
    if len(y_pred) != len(y_true):
        raise ValueError(f"Аргументы «pred» и «true» разной длины: {len(y_pred)} и {len(y_true)}.")
    if not len(y_true):
        raise ValueError("Аргументы «pred» и «true» пусты: нечего сравнивать.")
    present = [label for label in LABELS if label in set(y_true) | set(y_pred)]
    per_label = f1_score(y_true, y_pred, labels=present, average=None, zero_division=0)
    matrix = confusion_matrix(y_true, y_pred, labels=present)
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)),
        "f1": dict(zip(present, map(float, per_label), strict=True)),
        "n": len(y_true),
        "confusion": pd.DataFrame(matrix, index=pd.Index(present, name="true"), columns=pd.Index(present, name="pred")),
    }
