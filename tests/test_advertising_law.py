"""The dated law facts (advertising_law.yaml) and their accessor."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

import pytest
import yaml

from smmkit.platforms.advertising_law import LawFactsError, load_law_facts, parse_law_facts


def raw() -> dict[str, Any]:
    text = resources.files("smmkit.platforms").joinpath("advertising_law.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def test_acts_and_dates_the_lessons_quote() -> None:
    law = load_law_facts()
    online = law.acts["online_platforms_law"]
    rules = law.acts["labelling_rules"]
    assert (online.date, online.number) == (date(2023, 7, 10), "№ 18-VIII ЗРК")
    assert (rules.date, rules.in_force) == (date(2024, 2, 16), date(2024, 3, 2))
    assert online.url.startswith("https://adilet.zan.kz/")


def test_every_rule_is_dated_sourced_and_russian() -> None:
    law = load_law_facts()
    for rule in law:
        assert rule.checked <= law.checked <= date.today()
        assert rule.url.startswith("https://") and rule.article
        assert any("а" <= ch <= "я" for ch in rule.rule.lower()), rule.id
        assert rule.cite().endswith(f"проверено {rule.checked:%d.%m.%Y}")


def test_labelling_words() -> None:
    words = load_law_facts().words()
    assert len(words) == 7 and "реклама" in words and "на правах рекламы" in words


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["rules"][0].update(act="nope"), "неизвестный акт"),
        (lambda r: r["rules"][0].update(source="nope"), "неизвестный источник"),
        (lambda r: r["rules"][1].update(id=r["rules"][0]["id"]), "уникальный id"),
        (lambda r: r["rules"][0].update(checked="вчера"), "дата"),
        (lambda r: r["rules"][0].update(checked=date(2999, 1, 1)), "в будущем"),
        (lambda r: r["rules"][0].pop("article"), "«article»"),
        (lambda r: r["sources"]["adilet_law"].update(url="http://x"), "https"),
    ],
)
def test_malformed_file_is_refused(change: Any, message: str) -> None:
    data = raw()
    change(data)
    with pytest.raises(LawFactsError, match=message):
        parse_law_facts(data)


def test_unknown_rule_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="labelling_duty"):
        load_law_facts()["nope"]
