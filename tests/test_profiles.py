"""Module 04's data files and helpers: the calendar, plan and text rules, reply templates, spelling, cross-posting."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import yaml

from smmkit import datasets
from smmkit.analysis.texts import caption_length, hashtag_range, hashtags, load_text_rules, tone_problems
from smmkit.platforms import load_facts
from smmkit.profiles import calendar, replies, spelling
from smmkit.profiles.crosspost import adapt, aspect_by_format, caption_max, design_size, ratio_of, with_source
from smmkit.profiles.drafts import load_drafts
from smmkit.profiles.rules import load_plan_rules


def test_calendar_entries_are_sourced_and_dated() -> None:
    raw = yaml.safe_load(calendar.CALENDAR_PATH.read_text(encoding="utf-8"))
    assert isinstance(raw["checked"], date)
    for entry in raw["dates"]:
        assert entry["source"] in raw["sources"], entry["key"]
        assert raw["sources"][entry["source"]]["url"].startswith("https://")
        assert entry["kind"] in {"state", "religious", "occasion"} and entry["day_off"] in {True, False, "first"}
    cal = calendar.load_calendar(2026)
    assert cal["date"].is_monotonic_increasing and cal["url"].str.startswith("https://").all()
    assert cal.loc[cal["key"] == "ramadan", "date"].agg(["min", "max"]).tolist() == [
        pd.Timestamp("2026-02-19"), pd.Timestamp("2026-03-19")]
    assert cal.loc[cal["day_off"], "key"].nunique() == 14
    moved = cal[cal["key"].str.endswith("_transfer")]  # art. 5: a holiday on a weekend moves the day off
    assert moved["date"].dt.strftime("%d.%m").tolist() == ["09.03", "24.03", "25.03"] and moved["day_off"].all()
    assert (moved["date"].dt.day_of_week < 5).all()
    assert not cal.loc[cal["key"] == "nauryznama", "day_off"].any()


def test_calendar_refuses_a_year_without_the_moving_dates() -> None:
    with pytest.raises(KeyError, match="объявляют каждый год"):
        calendar.load_calendar(2027)


def test_plan_rhythm_matches_the_plan() -> None:
    plan = datasets.load("content_plan")
    rhythm = load_plan_rules()["rhythm"]
    weekdays = plan.groupby("account_id", observed=True)["publish_date"].agg(
        lambda s: sorted(s.dt.day_of_week.unique()))
    assert {a: r["weekdays"] for a, r in rhythm.items()} == weekdays.to_dict()
    assert all(r["per_week"] == len(r["weekdays"]) for r in rhythm.values())


def test_characters_not_bytes_and_hashtags_at_word_start() -> None:
    text = "Сәлем! #наурыз#qazaqcoffee C# №#5 #1 #кофе"
    assert caption_length(text) == len(text) < len(text.encode("utf-8"))
    assert hashtags(text) == ["#наурыз", "#кофе"]


def test_house_rules_stay_inside_the_platform_limits() -> None:
    facts, rules = load_facts(), load_text_rules()
    for platform in rules["hashtags"]:
        low, high = hashtag_range(platform)
        limit = facts[platform].hashtag_limit
        assert low <= high and (limit is None or high <= limit)
    for platform in rules["length"]:
        assert caption_max(platform, True) <= facts[platform].caption_limit_api


def test_tone_rules_name_known_segments() -> None:
    for segment in load_text_rules()["tone"]:
        assert tone_problems("Здравствуйте, ждём вас.", segment) == []
    with pytest.raises(KeyError, match="Сегмента"):
        tone_problems("текст", "пенсионеры")
    assert set(load_drafts()["segment"]) <= set(load_text_rules()["tone"])


def test_reply_templates_use_the_comments_topics() -> None:
    columns = {c.name: c for c in datasets.read_schema("comments").columns}
    topics, sentiments = set(columns["topic"].categories), set(columns["sentiment"].categories)
    raw = yaml.safe_load(replies.REPLIES_PATH.read_text(encoding="utf-8"))
    assert set(raw["defaults"]) == sentiments
    assert all({"ru", "kk"} <= set(texts) for texts in raw["defaults"].values())
    for t in raw["templates"]:
        assert t["topic"] in topics and t["sentiment"] in sentiments | {"any"} and "ru" in t
    assert set(raw["escalate"]["topics"]) <= topics
    for topic in topics:
        for sentiment in sentiments:
            for lang in ("ru", "kk", "ru+kk"):
                assert replies.choose_reply(topic, sentiment, lang)["text"]


def test_missing_dictionary_gives_a_russian_message(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("SMMKIT_HUNSPELL_DIR", str(tmp_path))
    spelling.speller.cache_clear()
    try:
        assert not spelling.available("kk")
        with pytest.raises(spelling.DictionaryMissing, match="apt-get install hunspell-ru hunspell-kk") as error:
            spelling.speller("kk")
        shown = error.value._render_traceback_()
        assert len(shown) == 1 and "SMMKIT_HUNSPELL_DIR" in shown[0]
    finally:
        spelling.speller.cache_clear()


def test_spelling_mixes_russian_and_kazakh() -> None:
    assert spelling.unknown_words("Сәлем, Алматы! Рақмет, ждём вас.") == []
    assert spelling.unknown_words("Ждём вас обезательно", langs=("ru",)) == ["обезательно"]
    assert spelling.unknown_words("Раф и капучино", allow=spelling.brand_words("qazaq_coffee")) == []


def test_cross_posting_helpers() -> None:
    url = "https://qazaqcoffee.kz/menu?utm_source=instagram&utm_medium=social&utm_campaign=x"
    assert with_source(url, "Telegram") == url.replace("instagram", "telegram")
    assert with_source("https://qazaqcoffee.kz/menu", "TikTok").endswith("?utm_source=tiktok")


def test_cross_posting_media_comes_from_the_dated_specs() -> None:
    from smmkit.platforms.media_specs import load_media_specs

    formats = set(datasets.load("content_plan_template")["format"].cat.categories)
    aspects = aspect_by_format()
    assert set(aspects) == formats
    ms, pf = load_media_specs(), load_facts()
    for fmt, ratio in aspects.items():
        size = design_size(fmt)
        assert (ratio is None) == (size is None) == (fmt == "Текст")
        if size is not None:
            assert size in {tuple(v) for v in ms.value("Instagram", "recommended_sizes").values()}
            assert ratio == ratio_of(*size) and ratio in pf["Instagram"].media_spec("aspect_ratios")
    with pytest.raises(KeyError, match="Есть"):
        design_size("Подкаст")


def test_adapt_reports_what_cannot_be_adapted() -> None:
    pf = load_facts()
    vertical = aspect_by_format()["Reels"]
    post = {"platform": "Instagram", "format": "Reels", "text": "Зацепка. " + "Середина поста. " * 30 + "Пишите!",
            "hashtags": "#a #b #c #d", "utm_link": "https://qazaqcoffee.kz/?utm_source=instagram",
            "media_file": "media/x.mp4"}
    handles = {"Instagram": "@qazaq.coffee", "TikTok": "@qazaqcoffee"}
    tiktok = adapt({**post, "text": post["text"] + " @qazaq.coffee"}, "TikTok", handles)
    body = tiktok.text.split(" Ссылка — в профиле.")[0]
    assert tiktok.ok and caption_length(body) <= caption_max("TikTok", True)
    assert tiktok.text.startswith("Зацепка.") and "Ссылка — в профиле." in tiktok.text and "@qazaqcoffee" in tiktok.text
    telegram = adapt(post, "Telegram")
    assert "utm_source=telegram" in telegram.text and hashtags(telegram.text) == ["#a", "#b"]
    assert [p.split(":")[0] for p in telegram.problems] == [  # all four hashtags do not fit: reported (a04 Q4)
        f"хештегов в подписи было бы 4 (в тексте 0), можно не больше {hashtag_range('Telegram')[1]}"]
    facebook = adapt(post, "Facebook")
    expected = vertical not in pf["Facebook"].media_spec("aspect_ratios")
    aspect = [p for p in facebook.problems if "хештег" not in p]
    assert bool(aspect) == expected and all(vertical in p for p in aspect)
    text_only = adapt({**post, "format": "Текст", "media_file": None, "hashtags": "#a"}, "Instagram")
    assert [p.split(",")[0] for p in text_only.problems] == ["хештегов 1", "нет фото или видео"]
    long_one = adapt({**post, "text": "Очень " * 200 + "длинная зацепка. Пишите!"}, "TikTok")
    assert any("не сокращается" in p for p in long_one.problems)


def test_law_cases_and_their_checks() -> None:
    from smmkit.platforms.advertising_law import load_law_facts
    from smmkit.profiles.law_cases import CHECKS, check_cases, labelled, load_cases, patterns

    law = load_law_facts()
    assert all(rule_id in law.rules for rule_id in CHECKS)
    cases = load_cases()
    assert cases.index.is_unique and set(cases["author"]) == {"бренд", "блогер"}
    found = patterns()
    for phone in ["+7 701 555 12 34", "8 (701) 555-12-34", "87015551234"]:
        assert found["personal_data"].search(phone), phone
    assert not found["personal_data"].search("Напишите номер заказа в директ, скидка 10%")
    assert found["foreign_price"].search("всего $3") and not found["foreign_price"].search("1 400 ₸")
    words = law.words()
    assert labelled("Реклама. Кофе", words) and labelled("Кофе — на правах PR", words)
    assert not labelled("Кофе #ad", words) and not labelled("Это не реклама, а отзыв", words)
    one = cases.loc[["LC-04"]].copy()
    assert not check_cases(one, words).any(axis=None)
    one.loc["LC-04", ["text_kk", "text_ru"]] = [None, "Утренний капучино в подарок"]
    assert check_cases(one, words).loc["LC-04"].loc[lambda s: s].index.tolist() == ["labelling_duty", "ad_language"]
