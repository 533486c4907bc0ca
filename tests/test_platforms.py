"""smmkit.platforms: the dated platform facts, their accessors, the lesson table and the Russian validation errors."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from smmkit import datasets
from smmkit.platforms import FACTS_PATH, Fact, FactsError, load_facts, parse_facts

PLATFORMS = ("Instagram", "TikTok", "Telegram", "VK", "Facebook", "YouTube", "Threads")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    """The facts file as parsed YAML, to break on purpose."""
    return yaml.safe_load(FACTS_PATH.read_text(encoding="utf-8"))


def broken(raw: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(raw)


# --- the facts themselves ----------------------------------------------------------------------------------


def test_platforms_are_named_as_in_the_datasets() -> None:
    pf = load_facts()
    assert pf.platforms == PLATFORMS
    for name in ("content_plan", "posts"):
        if name in datasets.available():
            used = set(datasets.load(name)["platform"].astype(str))
            assert used <= set(pf.platforms), (name, used - set(pf.platforms))


def test_the_facts_the_issue_names() -> None:
    pf = load_facts()
    assert pf["Instagram"].hashtag_limit == 5
    assert pf["Threads"].hashtag_limit == 1
    assert (pf["TikTok"].caption_limit_api, pf["TikTok"].caption_limit_app) == (2200, 4000)
    assert pf["Instagram"].media_required and pf["TikTok"].media_required
    assert not pf["Telegram"].media_required and not pf["Instagram"].link_clickable
    hootsuite = set(pf.tool("Hootsuite").fact("publishes_to").value)
    assert {"Facebook", "Instagram", "LinkedIn", "Threads", "X", "TikTok", "YouTube", "Pinterest"} <= hootsuite
    assert not {"Telegram", "VK"} & hootsuite
    for name in ("Telegram", "VK"):
        assert "Hootsuite" not in pf[name].publishers and pf[name].publishers


def test_every_fact_has_a_source_url_and_a_date() -> None:
    pf = load_facts()
    for name in pf.platforms:
        p = pf[name]
        for key, fact in [*p.facts.items(), *p.media.items()]:
            assert isinstance(fact, Fact)
            assert fact.source and fact.url.startswith(("http://", "https://")), (name, key)
            assert date(2025, 1, 1) <= fact.checked <= date.today(), (name, key)


def test_checked_is_the_oldest_date_and_the_file_has_a_russian_note(raw: dict[str, Any], tmp_path: Path) -> None:
    pf = load_facts()
    assert pf.checked == min(f.checked for n in pf.platforms for f in [*pf[n].facts.values(), *pf[n].media.values()])
    assert "каждый семестр" in pf.note_ru
    older = broken(raw)
    older["platforms"]["VK"]["hashtag_limit"]["checked"] = date(2025, 6, 1)
    assert parse_facts(older).checked == date(2025, 6, 1)


def test_accessors_types() -> None:
    p = load_facts()["Instagram"]
    assert isinstance(p.caption_limit_app, int) and isinstance(p.caption_limit_api, int)
    assert isinstance(p.media_required, bool) and isinstance(p.link_clickable, bool)
    assert isinstance(p.publishers, tuple) and p.publishers[0] == "Hootsuite"
    assert load_facts()["Telegram"].hashtag_limit is None
    assert "4:5" in p.media_spec("aspect_ratios")
    assert p.media_spec("nothing_like_this", default="—") == "—"
    assert "jpg" in p.media_formats
    assert load_facts()["TikTok"].media_spec("video_min_seconds") < load_facts()["TikTok"].media_spec(
        "video_max_seconds")


def test_fact_and_cite() -> None:
    fact = load_facts().fact("Instagram", "hashtag_limit")
    assert fact.value == 5 and "socialsamosa" in fact.url and fact.note
    assert fact.cite().endswith(f"проверено {fact.checked:%d.%m.%Y}")
    media = load_facts().fact("Telegram", "caption_with_media")  # a media spec is a fact too
    assert media.value < load_facts()["Telegram"].caption_limit_api


def test_unknown_platform_or_fact_is_a_russian_key_error() -> None:
    with pytest.raises(KeyError, match="Площадки «Одноклассники» нет в фактах о площадках"):
        load_facts()["Одноклассники"]
    with pytest.raises(KeyError, match="нет факта «emoji_limit»"):
        load_facts().fact("Instagram", "emoji_limit")
    with pytest.raises(KeyError, match="Сервиса «Buffer» нет"):
        load_facts().tool("Buffer")
    assert "VK" in load_facts() and "X" not in load_facts()


def test_table_for_lessons() -> None:
    t = load_facts().table(["Instagram", "TikTok"], ["caption_limit_app", "caption_limit_api", "hashtag_limit"])
    assert isinstance(t, pd.DataFrame)
    assert t.index.name == "Площадка" and t.index.tolist() == ["Instagram", "TikTok"]
    assert list(t.columns) == ["подпись в приложении, символов", "подпись через API (планировщики), символов",
                               "хештегов не больше", "проверено"]
    assert t.loc["TikTok", "подпись в приложении, символов"] == load_facts()["TikTok"].caption_limit_app
    assert t.loc["Instagram", "хештегов не больше"] == 5
    assert t.loc["TikTok", "хештегов не больше"] == "нет предела"
    assert t.loc["Instagram", "проверено"] == f"{load_facts().checked:%d.%m.%Y}"
    flags = load_facts().table(["Instagram", "Telegram"], ["media_required", "publishers"])
    assert flags.loc["Instagram", "без фото или видео нельзя"] == "да"
    assert flags.loc["Telegram", "кто публикует по расписанию"] == ", ".join(load_facts()["Telegram"].publishers)
    assert len(load_facts().table()) == len(PLATFORMS)
    sources = load_facts().sources(["Instagram"], ["hashtag_limit"])
    assert sources.loc[0, "ссылка"].startswith("https://") and sources.loc[0, "проверено"]


def test_load_is_cached_and_reads_another_file(raw: dict[str, Any], tmp_path: Path) -> None:
    assert load_facts() is load_facts()
    changed = broken(raw)
    changed["platforms"]["Instagram"]["hashtag_limit"]["value"] = 3
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    assert load_facts(path)["Instagram"].hashtag_limit == 3
    assert load_facts()["Instagram"].hashtag_limit == 5


# --- validation errors, in Russian -------------------------------------------------------------------------


def _set(data: dict[str, Any], dotted: str, value: object) -> dict[str, Any]:
    *path, last = dotted.split(".")
    node = data
    for key in path:
        node = node[key]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return data


DELETE = object()


@pytest.mark.parametrize(
    ("dotted", "value", "message"),
    [
        ("platforms.Instagram.hashtag_limit", DELETE, "нет факта «hashtag_limit»"),
        ("platforms.Instagram.hashtag_limit.source", DELETE, "у факта нет источника"),
        ("platforms.Instagram.hashtag_limit.checked", DELETE, "у факта нет даты проверки"),
        ("platforms.Instagram.hashtag_limit.value", DELETE, "у факта нет значения"),
        ("platforms.Instagram.hashtag_limit.checked", "вчера", "дата проверки «вчера» не в формате ГГГГ-ММ-ДД"),
        ("platforms.Instagram.hashtag_limit.source", "blog", "источника «blog» нет в разделе sources"),
        ("platforms.Instagram.hashtag_limit.value", "пять", "ожидается целое число или null"),
        ("platforms.Instagram.hashtag_limit.value", 0, "предел должен быть положительным"),
        ("platforms.Instagram.caption_limit_api.value", None, "ожидается целое число"),
        ("platforms.Instagram.media_required.value", 1, "ожидается true или false"),
        ("platforms.Instagram.caption_limit_app.value", True, "ожидается целое число"),
        ("platforms.Instagram.publishers.value", ["Hootsuite", "Buffer"], "сервиса «Buffer» нет в разделе tools"),
        ("platforms.Telegram.publishers.value", ["Hootsuite"], "расходятся"),
        ("platforms.Instagram.hashtags_limit", {"value": 5}, "неизвестные факты hashtags_limit"),
        ("sources.ig_hashtags_samosa.url", "socialsamosa.com", "должен начинаться с http"),
        ("sources.ig_hashtags_samosa.title", "", "нет названия источника"),
        ("note_ru", "", "нет заметки note_ru"),
        ("tools", DELETE, "нет раздела «tools»"),
        ("platforms", [], "«platforms» должен быть словарём"),
    ],
)
def test_malformed_facts_give_russian_errors(raw: dict[str, Any], dotted: str, value: object, message: str) -> None:
    with pytest.raises(FactsError, match=message):
        parse_facts(_set(broken(raw), dotted, value))


def test_bad_files_give_russian_errors(tmp_path: Path) -> None:
    with pytest.raises(FactsError, match="не найден"):
        load_facts(tmp_path / "нет.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("platforms: [\n", encoding="utf-8")
    with pytest.raises(FactsError, match="не корректный YAML"):
        load_facts(bad)
    with pytest.raises(FactsError, match="должен быть словарём"):
        parse_facts(["список"])
