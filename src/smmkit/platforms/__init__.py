"""Platform facts in one dated place: limits, media, links and the tools that publish to each platform.

The facts live in ``facts.yaml`` beside this module; each carries its source (title and URL) and the date it was
checked. Code, widgets, checks and lessons read them here instead of writing limits as literals.

>>> pf = load_facts()
>>> pf["Instagram"].hashtag_limit
5
>>> pf.fact("TikTok", "caption_limit_api").value
2200
>>> "Hootsuite" in pf["Telegram"].publishers
False
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

FACTS_PATH = Path(__file__).with_name("facts.yaml")

#: Facts every platform must have, with the Python types their values may take (``None``: no limit).
REQUIRED: dict[str, tuple[type, ...]] = {
    "caption_limit_app": (int,),
    "caption_limit_api": (int,),
    "hashtag_limit": (int, type(None)),
    "media_required": (bool,),
    "link_clickable": (bool,),
    "publishers": (list,),
}

#: Russian labels of the facts, for tables shown to students.
LABELS: dict[str, str] = {
    "caption_limit_app": "подпись в приложении, символов",
    "caption_limit_api": "подпись через API (планировщики), символов",
    "hashtag_limit": "хештегов не больше",
    "media_required": "без фото или видео нельзя",
    "link_clickable": "ссылка в тексте кликабельна",
    "publishers": "кто публикует по расписанию",
    "aspect_ratios": "соотношения сторон",
    "min_width_px": "ширина не меньше, px",
    "min_side_px": "сторона не меньше, px",
    "max_side_px": "сторона не больше, px",
    "max_items": "файлов в одной публикации",
    "formats": "форматы файлов",
    "video_min_seconds": "видео не короче, с",
    "video_max_seconds": "видео не длиннее, с",
    "reel_max_seconds": "Reels не длиннее, с",
    "shorts_max_seconds": "Shorts не длиннее, с",
    "video_max_mb": "видео не больше, МБ",
    "image_max_mb": "фото не больше, МБ",
    "file_max_mb": "файл не больше, МБ",
    "caption_with_media": "подпись под фото или видео, символов",
    "schedule_max_days": "запланировать не дальше, дней",
}
CHECKED_LABEL = "проверено"
PLATFORM_LABEL = "Площадка"


class FactsError(ValueError):
    """The facts file is malformed; the message (in Russian) says where and how to fix it."""


@dataclass(frozen=True)
class Fact:
    """One fact: its value, the source's title and URL, the date it was checked and an optional note."""

    value: Any
    source: str
    url: str
    checked: date
    note: str = ""

    def cite(self) -> str:
        """The source as students see it: «title (URL), проверено DD.MM.YYYY».

        >>> Fact(5, "Источник", "https://example.org", date(2026, 12, 2)).cite()
        'Источник (https://example.org), проверено 02.12.2026'
        """
        return f"{self.source} ({self.url}), {CHECKED_LABEL} {self.checked:%d.%m.%Y}"


@dataclass(frozen=True)
class Platform:
    """The facts of one platform; the attributes give the values, :meth:`fact` the whole fact."""

    name: str
    facts: Mapping[str, Fact]
    media: Mapping[str, Fact]

    def fact(self, key: str) -> Fact:
        """The fact ``key`` (a main fact or a media spec), with its source and date.

        >>> load_facts()["Telegram"].fact("caption_with_media").value < load_facts()["Telegram"].caption_limit_api
        True
        """
        if key in self.facts:
            return self.facts[key]
        if key in self.media:
            return self.media[key]
        known = ", ".join([*self.facts, *self.media])
        raise KeyError(f"У площадки {self.name} нет факта «{key}». Есть: {known}.")

    @property
    def caption_limit_app(self) -> int:
        """Longest caption (characters) when posting in the platform's own app."""
        return int(self.facts["caption_limit_app"].value)

    @property
    def caption_limit_api(self) -> int:
        """Longest caption (characters) through the posting API that scheduling tools use."""
        return int(self.facts["caption_limit_api"].value)

    @property
    def hashtag_limit(self) -> int | None:
        """Most hashtags allowed in one post; ``None`` when the platform sets no limit."""
        value = self.facts["hashtag_limit"].value
        return None if value is None else int(value)

    @property
    def media_required(self) -> bool:
        """Whether a post cannot be published without a photo or video."""
        return bool(self.facts["media_required"].value)

    @property
    def link_clickable(self) -> bool:
        """Whether a link written in the caption is clickable."""
        return bool(self.facts["link_clickable"].value)

    @property
    def publishers(self) -> tuple[str, ...]:
        """Scheduling tools that publish to this platform, the recommended one first."""
        return tuple(self.facts["publishers"].value)

    def media_spec(self, key: str, default: Any = None) -> Any:
        """The value of a media spec (e.g. ``"aspect_ratios"``, ``"video_max_seconds"``), or ``default``.

        >>> load_facts()["TikTok"].media_spec("video_max_seconds")
        600
        >>> load_facts()["Facebook"].media_spec("video_max_seconds") is None
        True
        """
        fact = self.media.get(key)
        return default if fact is None else fact.value

    @property
    def media_formats(self) -> tuple[str, ...]:
        """File extensions accepted for media (lower case, no dot); empty when the sources give none."""
        return tuple(str(x).lower() for x in self.media_spec("formats", ()))


@dataclass(frozen=True)
class Tool:
    """A scheduling tool: its site and its facts (which platforms it publishes to, its import format...)."""

    name: str
    url: str
    facts: Mapping[str, Fact]

    def fact(self, key: str) -> Fact:
        """The fact ``key`` of the tool."""
        if key not in self.facts:
            raise KeyError(f"У сервиса {self.name} нет факта «{key}». Есть: {', '.join(self.facts)}.")
        return self.facts[key]


@dataclass(frozen=True)
class PlatformFacts:
    """All platform facts: look platforms up by name, cite facts, build tables for lessons."""

    file_checked: date
    note_ru: str
    by_name: Mapping[str, Platform]
    tools: Mapping[str, Tool]

    @property
    def platforms(self) -> tuple[str, ...]:
        """Platform names, as in the datasets' ``platform`` column."""
        return tuple(self.by_name)

    @property
    def checked(self) -> date:
        """The oldest check date among all facts: the date a lesson shows as «проверено»."""
        return min(f.checked for f in self._all_facts())

    def _all_facts(self) -> Iterator[Fact]:
        for p in self.by_name.values():
            yield from p.facts.values()
            yield from p.media.values()
        for t in self.tools.values():
            yield from t.facts.values()

    def __getitem__(self, name: str) -> Platform:
        if name not in self.by_name:
            known = ", ".join(self.by_name)
            raise KeyError(f"Площадки «{name}» нет в фактах о площадках. Есть: {known}.")
        return self.by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_name)

    def fact(self, platform: str, key: str) -> Fact:
        """One fact of one platform with its source and date.

        >>> load_facts().fact("Instagram", "hashtag_limit").value
        5
        """
        return self[platform].fact(key)

    def tool(self, name: str) -> Tool:
        """A scheduling tool by name, e.g. ``"Hootsuite"``.

        >>> "Telegram" in load_facts().tool("Hootsuite").fact("publishes_to").value
        False
        """
        if name not in self.tools:
            raise KeyError(f"Сервиса «{name}» нет в фактах о площадках. Есть: {', '.join(self.tools)}.")
        return self.tools[name]

    def table(self, platforms: Iterable[str] | None = None, keys: Iterable[str] | None = None) -> pd.DataFrame:
        """Facts as a table for a lesson: one row per platform, Russian column labels, a «проверено» column.

        ``None`` values show as «нет предела», booleans as «да»/«нет», lists joined with commas. The
        «проверено» column holds the oldest check date of the facts in that row.

        >>> t = load_facts().table(["Instagram", "TikTok"], ["caption_limit_app", "hashtag_limit"])
        >>> list(t.columns)
        ['подпись в приложении, символов', 'хештегов не больше', 'проверено']
        >>> t.loc["TikTok", "хештегов не больше"]
        'нет предела'
        """
        names = list(self.platforms if platforms is None else platforms)
        keys = list(REQUIRED if keys is None else keys)
        rows = []
        for name in names:
            facts = [self[name].fact(k) for k in keys]
            row = {LABELS.get(k, k): _shown(f.value) for k, f in zip(keys, facts, strict=True)}
            row[CHECKED_LABEL] = min(f.checked for f in facts).strftime("%d.%m.%Y") if facts else ""
            rows.append(row)
        columns = [LABELS.get(k, k) for k in keys] + [CHECKED_LABEL]
        return pd.DataFrame(rows, index=pd.Index(names, name=PLATFORM_LABEL), columns=columns)

    def sources(self, platforms: Iterable[str] | None = None, keys: Iterable[str] | None = None) -> pd.DataFrame:
        """The sources behind :meth:`table`: platform, fact, source, URL, date and note, one row per fact.

        >>> load_facts().sources(["Instagram"], ["hashtag_limit"]).loc[0, "ссылка"].startswith("https://")
        True
        """
        names = list(self.platforms if platforms is None else platforms)
        rows = []
        for name in names:
            for key in list(REQUIRED if keys is None else keys):
                f = self[name].fact(key)
                rows.append({PLATFORM_LABEL: name, "факт": LABELS.get(key, key), "источник": f.source,
                             "ссылка": f.url, CHECKED_LABEL: f.checked.strftime("%d.%m.%Y"), "примечание": f.note})
        return pd.DataFrame(rows)


def _shown(value: Any) -> Any:
    if value is None:
        return "нет предела"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


def read_dated_file(path: Path, what: str) -> Any:
    """The parsed YAML of a dated facts file; a missing or malformed file is a :class:`FactsError` in Russian
    naming ``what`` (e.g. «фактов о площадках»)."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FactsError(f"Файл {what} {path} не найден.") from None
    except yaml.YAMLError as err:
        raise FactsError(f"Файл {path.name} — не корректный YAML: {err}") from None


@lru_cache(maxsize=8)
def _load(path: Path) -> PlatformFacts:
    return parse_facts(read_dated_file(path, "фактов о площадках"), where=path.name)


def load_facts(path: str | Path | None = None) -> PlatformFacts:
    """Read and validate the platform facts (cached); ``path`` defaults to the package's ``facts.yaml``.

    Raises :class:`FactsError` with a Russian message when the file is malformed.

    >>> pf = load_facts()
    >>> pf.platforms[:3], pf is load_facts()
    (('Instagram', 'TikTok', 'Telegram'), True)
    """
    return _load(Path(path).resolve() if path is not None else FACTS_PATH)


def parse_facts(raw: object, where: str = "facts.yaml") -> PlatformFacts:
    """Validate the parsed YAML and build :class:`PlatformFacts`; Russian :class:`FactsError` on any fault.

    >>> parse_facts({"checked": "2026-12-02", "note_ru": "Обновляйте файл каждый семестр."})
    Traceback (most recent call last):
    ...
    smmkit.platforms.FactsError: facts.yaml: нет раздела «sources» (источники фактов).
    """
    data = _mapping(raw, where, "весь файл")
    file_checked = _date(data.get("checked"), f"{where}: checked")
    note = data.get("note_ru")
    if not isinstance(note, str) or not note.strip():
        raise FactsError(f"{where}: нет заметки note_ru для колледжей (когда и как обновлять файл).")
    for section, what in (("sources", "источники фактов"), ("platforms", "площадки"), ("tools", "сервисы")):
        if section not in data:
            raise FactsError(f"{where}: нет раздела «{section}» ({what}).")
    sources = _sources(data["sources"], where)
    platforms = {}
    for name, body in _mapping(data["platforms"], where, "platforms").items():
        platforms[str(name)] = _platform(str(name), body, sources, f"{where}: platforms.{name}")
    tools = {}
    for name, body in _mapping(data["tools"], where, "tools").items():
        tools[str(name)] = _tool(str(name), body, sources, f"{where}: tools.{name}")
    for p in platforms.values():
        for tool in p.publishers:
            if tool not in tools:
                raise FactsError(f"{where}: platforms.{p.name}.publishers: сервиса «{tool}» нет в разделе tools.")
        for tool in tools.values():
            if "publishes_to" in tool.facts and (tool.name in p.publishers) != (p.name in tool.fact(
                    "publishes_to").value):
                raise FactsError(f"{where}: tools.{tool.name}.publishes_to и platforms.{p.name}.publishers "
                                 f"расходятся: исправьте одно из двух.")
    return PlatformFacts(file_checked, note, platforms, tools)


def _mapping(value: object, where: str, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FactsError(f"{where}: «{what}» должен быть словарём (ключ: значение).")
    return value


def _date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise FactsError(f"{where}: дата проверки «{value}» не в формате ГГГГ-ММ-ДД.") from None


def _sources(raw: object, where: str) -> dict[str, tuple[str, str]]:
    out = {}
    for key, body in _mapping(raw, where, "sources").items():
        body = _mapping(body, f"{where}: sources.{key}", "источник")
        title, url = body.get("title"), body.get("url")
        if not isinstance(title, str) or not title.strip():
            raise FactsError(f"{where}: sources.{key}: нет названия источника (title).")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise FactsError(f"{where}: sources.{key}: адрес источника (url) должен начинаться с http:// или https://.")
        out[str(key)] = (title, url)
    return out


def _fact(raw: object, sources: Mapping[str, tuple[str, str]], where: str) -> Fact:
    body = _mapping(raw, where, "факт")
    for key in ("value", "source", "checked"):
        if key not in body:
            names = {"value": "значения (value)", "source": "источника (source)", "checked": "даты проверки (checked)"}
            raise FactsError(f"{where}: у факта нет {names[key]}.")
    source = body["source"]
    if source not in sources:
        raise FactsError(f"{where}: источника «{source}» нет в разделе sources.")
    note = body.get("note") or ""
    title, url = sources[source]
    return Fact(body["value"], title, url, _date(body["checked"], where), str(note).strip())


def _platform(name: str, raw: object, sources: Mapping[str, tuple[str, str]], where: str) -> Platform:
    body = _mapping(raw, where, name)
    facts = {}
    for key, kinds in REQUIRED.items():
        if key not in body:
            raise FactsError(f"{where}: нет факта «{key}» ({LABELS[key]}).")
        fact = _fact(body[key], sources, f"{where}.{key}")
        _check_type(fact.value, kinds, f"{where}.{key}")
        facts[key] = fact
    unknown = set(body) - set(REQUIRED) - {"media"}
    if unknown:
        raise FactsError(f"{where}: неизвестные факты {', '.join(sorted(unknown))}: проверьте написание.")
    media = {str(k): _fact(v, sources, f"{where}.media.{k}") for k, v in _mapping(
        body.get("media", {}), where, "media").items()}
    for key in ("caption_limit_app", "caption_limit_api", "hashtag_limit"):
        value = facts[key].value
        if value is not None and value <= 0:
            raise FactsError(f"{where}.{key}: предел должен быть положительным числом, а записано {value}.")
    if not all(isinstance(t, str) and t for t in facts["publishers"].value):
        raise FactsError(f"{where}.publishers: список сервисов должен состоять из названий (строк).")
    return Platform(name, facts, media)


def _check_type(value: object, kinds: tuple[type, ...], where: str) -> None:
    # bool is a subclass of int: a limit written as true/false is an error, a flag written as 1/0 too
    ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
    if not ok:
        expected = {int: "целое число", bool: "true или false", list: "список", type(None): "null (нет предела)"}
        names = " или ".join(expected[k] for k in kinds)
        raise FactsError(f"{where}: значение {value!r} — ожидается {names}.")


def _tool(name: str, raw: object, sources: Mapping[str, tuple[str, str]], where: str) -> Tool:
    body = _mapping(raw, where, name)
    url = body.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise FactsError(f"{where}: адрес сервиса (url) должен начинаться с http:// или https://.")
    facts = {str(k): _fact(v, sources, f"{where}.{k}") for k, v in body.items() if k != "url"}
    return Tool(name, url, facts)


__all__ = ["FACTS_PATH", "Fact", "FactsError", "Platform", "PlatformFacts", "Tool", "load_facts", "parse_facts"]
