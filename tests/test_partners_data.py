"""Module 03's data files: the etiquette decision table and the three-language glossary of partner work."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from smmkit.curriculum.etiquette import EtiquetteError, etiquette_frame, load_etiquette, parse_etiquette
from smmkit.curriculum.glossary import load_glossary
from smmkit.curriculum.glossary_partners import load_partners_glossary, parse_partners_glossary

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
KAZAKH_LETTERS = re.compile(r"[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def etiquette_raw() -> dict[str, Any]:
    from importlib import resources

    return yaml.safe_load(resources.files("smmkit.curriculum").joinpath("etiquette.yaml").read_text(encoding="utf-8"))


# --- etiquette ---------------------------------------------------------------------------------------------------


def test_every_topic_action_and_channel_is_used() -> None:
    table = load_etiquette()
    frame = etiquette_frame()
    assert set(frame["topic"]) == set(table.topics)
    assert set(frame["action"]) == set(table.actions)
    assert set(frame["channel"]) == set(table.channels)
    assert list(frame["id"]) == [f"E{i:02d}" for i in range(1, len(table) + 1)]


def test_rules_agree_with_lesson_0302() -> None:
    """The reminder rows say what 03.02 teaches: remind at ≤ 3 days left or ≥ 7 days waiting, else wait."""
    table = load_etiquette()
    assert table["E06"].action == "wait" and "больше 3 дней" in table["E06"].situation
    assert table["E07"].action == "remind" and "3 дня или меньше" in table["E07"].situation
    assert "7 дней" in table["E07"].situation


def test_messages_are_fast_and_foreign_partners_get_email() -> None:
    frame = etiquette_frame()
    owed = frame.dropna(subset=["reply_within_hours"])
    assert owed["reply_within_hours"].max() <= 24
    assert (frame.loc[frame["topic"] == "иностранный партнёр", "channel"] == "email").all()
    english = frame[frame["topic"] == "иностранный партнёр"]["example"]
    assert not english.str.contains(CYRILLIC).any(), "examples for foreign partners are in English"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["situations"][0].update(action="ignore"), "неизвестное значение action"),
        (lambda r: r["situations"][1].update(id="E01"), "повторяется"),
        (lambda r: r["situations"][2].update(reply_within_hours=-1), "reply_within_hours"),
        (lambda r: r["situations"][2].update(reply_within_hours=True), "reply_within_hours"),
        (lambda r: r["situations"][3].pop("dont"), "«dont»"),
        (lambda r: r.update(schema_version=2), "schema_version"),
    ],
)
def test_malformed_table_is_refused(change: Any, message: str) -> None:
    raw = etiquette_raw()
    change(raw)
    with pytest.raises(EtiquetteError, match=message):
        parse_etiquette(raw)


def test_unknown_situation_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="E01"):
        load_etiquette()["E99"]


# --- glossary ----------------------------------------------------------------------------------------------------


def test_glossary_has_three_languages_and_shares_the_course_terms() -> None:
    terms = load_partners_glossary()
    course = load_glossary()
    new = [t for t in terms.values() if not t.shared]
    assert len(new) >= 12
    assert {"GL-blogger", "GL-feedback", "GL-cta"} <= set(terms)
    for t in terms.values():
        assert CYRILLIC.search(t.ru), t.id
        assert not CYRILLIC.search(t.example_en), t.id
        if t.shared:
            assert (t.ru, t.kk, t.en) == (course[t.id].ru, course[t.id].kk, course[t.id].en)
    assert any(KAZAKH_LETTERS.search(t.kk) for t in new), "the Kazakh column is Kazakh, not a copy of Russian"


def test_glossary_refuses_clashes_and_unknown_shared_ids() -> None:
    from importlib import resources

    text = resources.files("smmkit.curriculum").joinpath("glossary_partners.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    clash = {**raw, "terms": [*raw["terms"], {"id": "reach", "ru": "Охват", "kk": "Қамту", "en": "reach",
                                              "example_en": "Reach: 5,000."}]}
    with pytest.raises(ValueError, match="повторяется"):
        parse_partners_glossary(clash)
    with pytest.raises(ValueError, match="shared"):
        parse_partners_glossary({**raw, "shared": ["GL-nothing"]})
    with pytest.raises(ValueError, match="example_en"):
        parse_partners_glossary({**raw, "terms": [{**raw["terms"][0], "example_en": ""}]})
