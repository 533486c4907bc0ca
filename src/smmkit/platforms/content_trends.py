"""Content trends facts that age: how platforms label AI-generated content and their in-app «boost» buttons.

The facts live in ``content_trends.yaml`` beside this module, each with its source and check date (the rule of
``facts.yaml``); lesson 05.05 reads them as a table and shows the date.

>>> ct = load_content_trends()
>>> ct.ai_labels["YouTube"].how, ct.boosts["Instagram"].runs_through
('self', 'meta_ads')
>>> sorted(ct.ai_table().columns)[:3]
['checked', 'confirmed', 'how']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from smmkit.platforms import FactsError, _date, _mapping, _sources, read_dated_file

CONTENT_TRENDS_PATH = Path(__file__).with_name("content_trends.yaml")
HOW = ("auto", "self", "both")
"""Who puts the AI label on: the platform by file signals (C2PA / IPTC), the author, or both."""


@dataclass(frozen=True)
class DatedRule:
    """One platform's rule: what it is called, how it works (Russian), its source and check date."""

    platform: str
    name: str
    rule_ru: str
    source_title: str
    source_url: str
    checked: date
    confirmed: bool = True
    how: str = ""
    since: str = ""
    runs_through: str = ""


@dataclass(frozen=True)
class ContentTrends:
    """The parsed file: AI labels and boost buttons by platform."""

    checked: date
    ai_labels: Mapping[str, DatedRule]
    boosts: Mapping[str, DatedRule]

    def ai_table(self) -> pd.DataFrame:
        """AI labels as a table, one row per platform."""
        return _table(self.ai_labels, ["name", "since", "how", "rule_ru", "checked", "confirmed", "source_title"])

    def boost_table(self) -> pd.DataFrame:
        """Boost buttons as a table, one row per platform."""
        return _table(self.boosts, ["name", "runs_through", "rule_ru", "checked", "confirmed", "source_title"])


def _table(rules: Mapping[str, DatedRule], columns: list[str]) -> pd.DataFrame:
    rows = [{c: getattr(r, c) for c in columns} for r in rules.values()]
    return pd.DataFrame(rows, index=pd.Index(list(rules), name="platform"), columns=columns)


def _rule(platform: str, raw: object, name_key: str, sources: Mapping[str, tuple[str, str]], where: str) -> DatedRule:
    body = _mapping(raw, where, platform)
    for key in (name_key, "rule_ru", "source", "checked"):
        if key not in body:
            raise FactsError(f"{where}: {platform}: нет поля «{key}».")
    if body["source"] not in sources:
        raise FactsError(f"{where}: {platform}: источник «{body['source']}» не описан в sources.")
    how = str(body.get("how", ""))
    if name_key == "label" and how not in HOW:
        raise FactsError(f"{where}: {platform}: how должен быть одним из {', '.join(HOW)}, а не «{how}».")
    title, url = sources[body["source"]]
    return DatedRule(platform, str(body[name_key]), " ".join(str(body["rule_ru"]).split()), title, url,
                     _date(body["checked"], f"{where}: {platform}"), bool(body.get("confirmed", True)), how,
                     str(body.get("since", "")), str(body.get("runs_through", "")))


def parse_content_trends(raw: object, where: str = "content_trends.yaml") -> ContentTrends:
    """Check and parse the file's YAML (a :class:`FactsError` in Russian names what is wrong)."""
    top = _mapping(raw, where, "файл")
    sources = _sources(top.get("sources"), where)
    labels = {p: _rule(p, b, "label", sources, f"{where}: ai_labels") for p, b in
              _mapping(top.get("ai_labels"), where, "ai_labels").items()}
    boosts = {p: _rule(p, b, "button", sources, f"{where}: boosts") for p, b in
              _mapping(top.get("boosts"), where, "boosts").items()}
    return ContentTrends(_date(top.get("checked"), where), labels, boosts)


@lru_cache(maxsize=4)
def load_content_trends(path: str | Path | None = None) -> ContentTrends:
    """The content trends facts (``content_trends.yaml`` by default)."""
    p = Path(path) if path else CONTENT_TRENDS_PATH
    return parse_content_trends(read_dated_file(p, "фактов о трендах контента"), where=p.name)
