"""Law facts in one dated place: short rules of Kazakhstan's advertising law with act, article, source and date.

The rules live in ``advertising_law.yaml`` beside this module. Each rule names its act (title, number, dates),
the article or item, a source (title and URL) and the date it was checked; :meth:`LawRule.cite` gives the line
a lesson shows under the rule. Teaching material, not legal advice.

>>> law = load_law_facts()
>>> law["labelling_words"].act.in_force.isoformat()
'2024-03-02'
>>> "«реклама»" in law["labelling_words"].rule
True
>>> law["labelling_rules_basis"].article
'статья 19, пункт 2'
>>> law.words()[:2]
('реклама', 'рекламный материал')
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

FILE = "advertising_law.yaml"
SCHEMA_VERSION = 1
CHECKED_LABEL = "проверено"
VERIFIED_LABEL = "сверено с официальным текстом"


class LawFactsError(ValueError):
    """The law facts file is malformed; the message (in Russian) says where."""


@dataclass(frozen=True)
class Act:
    """A law or a by-law: its Russian title, number, date and the date it came into force (``None``: not recorded)."""

    id: str
    title: str
    number: str
    date: date
    in_force: date | None
    url: str

    def short(self) -> str:
        """«title от DD.MM.YYYY number».

        >>> load_law_facts().acts["online_platforms_law"].short()
        'Закон Республики Казахстан «Об онлайн-платформах и онлайн-рекламе» от 10.07.2023 № 18-VIII ЗРК'
        """
        return f"{self.title} от {self.date:%d.%m.%Y} {self.number}"


@dataclass(frozen=True)
class LawRule:
    """One rule in Russian with its act, article, source and check date."""

    id: str
    rule: str
    act: Act
    article: str
    source: str
    url: str
    checked: date
    note: str = ""
    verified: bool = True
    """False: the rule was not compared with the official text on adilet.zan.kz (its note says what was read)."""

    @property
    def status(self) -> str:
        """«сверено с официальным текстом» or «не сверено с официальным текстом» (Russian, for a lesson).

        >>> load_law_facts()["ad_language"].status
        'не сверено с официальным текстом'
        """
        return f"{'' if self.verified else 'не '}{VERIFIED_LABEL}"

    def cite(self) -> str:
        """The line a lesson shows under the rule: act, article, source URL and the check date.

        >>> load_law_facts()["labelling_rules_basis"].cite().endswith("проверено 03.12.2026")
        True
        """
        return f"{self.act.short()}, {self.article}; источник: {self.url}; {CHECKED_LABEL} {self.checked:%d.%m.%Y}"


@dataclass(frozen=True)
class LawFacts:
    """Every rule by ID, the acts and the date the file was reviewed."""

    rules: Mapping[str, LawRule]
    acts: Mapping[str, Act]
    checked: date

    def __getitem__(self, rule_id: str) -> LawRule:
        if rule_id not in self.rules:
            raise KeyError(f"В {FILE} нет правила «{rule_id}». Есть: {', '.join(self.rules)}.")
        return self.rules[rule_id]

    def __iter__(self) -> Iterator[LawRule]:
        return iter(self.rules.values())

    def of_act(self, act_id: str) -> tuple[LawRule, ...]:
        """The rules of one act, in the file's order.

        >>> [r.id for r in load_law_facts().of_act("ai_law")]
        ['ai_synthetic_defined', 'ai_labelling']
        """
        if act_id not in self.acts:
            raise KeyError(f"В {FILE} нет акта «{act_id}». Есть: {', '.join(self.acts)}.")
        return tuple(r for r in self if r.act.id == act_id)

    def words(self) -> tuple[str, ...]:
        """The labelling wordings listed by the rule ``labelling_words`` (in «…» quotes), in their order."""
        return tuple(re.findall(r"«([^»]+)»", self["labelling_words"].rule))

    def frame(self) -> pd.DataFrame:
        """The rules as a table: rule, act, article, checked (for showing in a lesson)."""
        return pd.DataFrame(
            [{"rule": r.rule, "act": r.act.short(), "article": r.article, "checked": r.checked,
              "verified": r.verified} for r in self],
            index=pd.Index(list(self.rules), name="id"),
        )


def _date(value: Any, where: str) -> date:
    if not isinstance(value, date):
        raise LawFactsError(f"{FILE}: {where} — нужна дата в виде ГГГГ-ММ-ДД")
    return value


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LawFactsError(f"{FILE}: у {where} нужно непустое поле «{key}»")
    return " ".join(value.split())


def parse_law_facts(raw: Mapping[str, Any]) -> LawFacts:
    """Check the parsed YAML and build the facts: every rule's act and source exist, dates are dates, IDs unique."""
    if raw.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise LawFactsError(f"{FILE}: ожидается schema_version: {SCHEMA_VERSION}")
    sources = raw.get("sources") or {}
    for sid, src in sources.items():
        _text(src, "title", f"источника {sid}")
        if not str(src.get("url", "")).startswith("https://"):
            raise LawFactsError(f"{FILE}: у источника {sid} нужен адрес https://…")

    def url_of(source_id: Any, where: str) -> str:
        if source_id not in sources:
            raise LawFactsError(f"{FILE}: у {where} неизвестный источник «{source_id}»")
        return str(sources[source_id]["url"])

    acts: dict[str, Act] = {}
    for aid, entry in (raw.get("acts") or {}).items():
        where = f"акта {aid}"
        in_force = entry.get("in_force")
        acts[aid] = Act(aid, _text(entry, "title", where), _text(entry, "number", where),
                        _date(entry.get("date"), f"{where}: date"),
                        None if in_force is None else _date(in_force, f"{where}: in_force"),
                        url_of(entry.get("source"), where))
    rules: dict[str, LawRule] = {}
    for entry in raw.get("rules") or ():
        rid = str(entry.get("id") or "")
        where = f"правила {rid or 'без id'}"
        if not rid or rid in rules:
            raise LawFactsError(f"{FILE}: у {where} нужен уникальный id")
        if entry.get("act") not in acts:
            raise LawFactsError(f"{FILE}: у {where} неизвестный акт «{entry.get('act')}»")
        checked = _date(entry.get("checked"), f"{where}: checked")
        if checked > date.today():
            raise LawFactsError(f"{FILE}: у {where} дата проверки в будущем")
        verified = entry.get("verified", True)
        if not isinstance(verified, bool):
            raise LawFactsError(f"{FILE}: у {where} поле «verified» — true или false")
        note = " ".join(str(entry.get("note") or "").split())
        article = _text(entry, "article", where)
        if not verified and not note and "не сверен" not in article:
            raise LawFactsError(f"{FILE}: у {where} verified: false — нужна заметка note (что прочитано и что "
                                "сверить) или «не сверен» в article")
        rules[rid] = LawRule(rid, _text(entry, "rule", where), acts[entry["act"]], article,
                             str(entry.get("source")), url_of(entry.get("source"), where), checked, note, verified)
    if not rules:
        raise LawFactsError(f"{FILE}: нет ни одного правила")
    return LawFacts(rules, acts, _date(raw.get("checked"), "checked"))


@cache
def load_law_facts() -> LawFacts:
    """The course's law facts, read from ``advertising_law.yaml`` and checked."""
    text = resources.files("smmkit.platforms").joinpath(FILE).read_text(encoding="utf-8")
    return parse_law_facts(yaml.safe_load(text))
