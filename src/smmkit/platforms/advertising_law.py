"""Law facts in one dated place: short rules of Kazakhstan's advertising law with act, article, source and date.

The rules live in ``advertising_law.yaml`` beside this module. Each rule names its act (title, number, dates),
the article or item, a source (title and URL) and the date it was checked; :meth:`LawRule.cite` gives the line
a lesson shows under the rule. A rule marked verified cites the official text on adilet.zan.kz; ``read_in`` names
the copy of the legal text it was compared with (a reprint or translation), when that was not adilet itself.
Teaching material, not legal advice.

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
OFFICIAL = "https://adilet.zan.kz/"
READ_IN_LABEL = "прочитана копия"


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
    read_in: str = ""
    """The URL of the copy of the legal text the rule was compared with ("": none, or adilet.zan.kz itself)."""

    @property
    def status(self) -> str:
        """«сверено с официальным текстом» or «не сверено с официальным текстом» (Russian, for a lesson).

        >>> load_law_facts()["ad_language"].status, load_law_facts()["personal_data_consent"].status
        ('сверено с официальным текстом', 'не сверено с официальным текстом')
        """
        return f"{'' if self.verified else 'не '}{VERIFIED_LABEL}"

    def cite(self) -> str:
        """The line a lesson shows under the rule: act, article, source URL, the copy read and the check date.

        >>> line = load_law_facts()["ad_price_tenge"].cite()
        >>> "источник: https://adilet.zan.kz/" in line, "прочитана копия: https://zakonpravo.kz/" in line
        (True, True)
        >>> line.endswith("проверено 03.12.2026")
        True
        """
        copy = f"; {READ_IN_LABEL}: {self.read_in}" if self.read_in else ""
        return (f"{self.act.short()}, {self.article}; источник: {self.url}{copy}; "
                f"{CHECKED_LABEL} {self.checked:%d.%m.%Y}")


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
              "verified": r.verified, "read_in": r.read_in} for r in self],
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
        url = url_of(entry.get("source"), where)
        if verified and not url.startswith(OFFICIAL):
            raise LawFactsError(f"{FILE}: у {where} verified: true — источником должен быть официальный текст на "
                                f"{OFFICIAL} (копию, с которой сверяли, назовите в read_in)")
        read_in = "" if entry.get("read_in") is None else url_of(entry.get("read_in"), f"{where}: read_in")
        if read_in and not note:
            raise LawFactsError(f"{FILE}: у {where} есть read_in — нужна заметка note: что сверено по этой копии")
        rules[rid] = LawRule(rid, _text(entry, "rule", where), acts[entry["act"]], article,
                             str(entry.get("source")), url, checked, note, verified, read_in)
    if not rules:
        raise LawFactsError(f"{FILE}: нет ни одного правила")
    return LawFacts(rules, acts, _date(raw.get("checked"), "checked"))


@cache
def load_law_facts() -> LawFacts:
    """The course's law facts, read from ``advertising_law.yaml`` and checked."""
    text = resources.files("smmkit.platforms").joinpath(FILE).read_text(encoding="utf-8")
    return parse_law_facts(yaml.safe_load(text))
