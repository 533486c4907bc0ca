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


def test_the_acts_lesson_0405_quotes() -> None:
    acts = load_law_facts().acts
    assert (acts["advertising_law"].number, acts["advertising_law"].date) == ("№ 508-II", date(2003, 12, 19))
    assert (acts["mass_media_law"].number, acts["mass_media_law"].date) == ("№ 93-VIII ЗРК", date(2024, 6, 19))
    assert (acts["personal_data_law"].number, acts["personal_data_law"].date) == ("№ 94-V", date(2013, 5, 21))
    assert (acts["ai_law"].date, acts["ai_law"].in_force) == (date(2025, 11, 17), date(2026, 1, 18))
    for act_id in ("advertising_law", "mass_media_law", "personal_data_law", "online_platforms_law"):
        assert acts[act_id].url.startswith("https://adilet.zan.kz/rus/docs/"), act_id


def test_every_act_has_rules_and_the_unverified_say_why() -> None:
    law = load_law_facts()
    for act_id in law.acts:
        assert law.of_act(act_id), act_id
    unverified = [r for r in law if not r.verified]
    assert unverified, "the file marks what was not compared with the official text"
    for rule in unverified:
        assert rule.note or "не сверен" in rule.article, rule.id
        assert rule.status == "не сверено с официальным текстом"
    assert law["blogger_defined"].verified and law["blogger_defined"].status == "сверено с официальным текстом"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: next(x for x in r["rules"] if x["id"] == "personal_data_consent").pop("note"), "нужна заметка"),
        (lambda r: r["rules"][0].update(verified="нет"), "true или false"),
        (lambda r: next(x for x in r["rules"] if x["id"] == "ad_language").pop("note"), "read_in — нужна заметка"),
        (lambda r: next(x for x in r["rules"] if x["id"] == "ad_language").update(source="zakonpravo_advertising_6"),
         "официальный текст"),
        (lambda r: next(x for x in r["rules"] if x["id"] == "ad_language").update(read_in="nope"),
         "неизвестный источник"),
    ],
)
def test_unverified_rule_needs_a_note(change: Any, message: str) -> None:
    data = raw()
    change(data)
    with pytest.raises(LawFactsError, match=message):
        parse_law_facts(data)


def test_unknown_act_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="ai_law"):
        load_law_facts().of_act("nope")


def test_verified_rules_cite_adilet_and_name_the_copy_read() -> None:
    """The 2026-12-03 check: each verified rule cites the official text, and its note names the copy it was read in."""
    law = load_law_facts()
    verified = [r.id for r in law if r.verified]
    assert verified == ["blogger_defined", "labelling_rules_basis", "ad_defined", "ad_recognizable", "ad_language",
                        "ad_price_tenge", "mass_media_defined", "personal_data_defined", "personal_data_consent_form",
                        "ai_synthetic_defined"]
    for rule in law:
        if rule.verified:
            assert rule.url.startswith("https://adilet.zan.kz/"), rule.id
            assert "не сверен" not in rule.article, rule.id
        if rule.read_in:
            assert rule.note and not rule.read_in.startswith("https://adilet.zan.kz/"), rule.id
            assert f"прочитана копия: {rule.read_in}" in rule.cite()
    assert law.acts["ai_law"].number == "№ 230-VIII ЗРК" and law.acts["ai_law"].url.endswith("Z2500000230")
    assert law["ai_synthetic_defined"].article == "статья 1, подпункт 4)"
    assert "кроме периодических печатных изданий, интернет-ресурсов" in law["ad_language"].rule
    assert "участник или акционер" in law["labelling_duty"].rule
