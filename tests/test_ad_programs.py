"""smmkit.platforms.ad_programs: the dated promotion-program facts, their accessors and the Russian errors."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from smmkit import datasets
from smmkit.data.ads_data import RATES
from smmkit.platforms import Fact, FactsError, load_facts
from smmkit.platforms.ad_programs import (
    GOALS,
    KINDS,
    PROGRAMS_PATH,
    REPORTS,
    REQUIRED,
    MinBudget,
    decision_table,
    load_programs,
    parse_programs,
)

CABINETS = ("meta_ads", "tiktok_ads", "vk_ads", "telegram_ads", "yandex_direct")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(PROGRAMS_PATH.read_text(encoding="utf-8"))


def _set(data: dict[str, Any], dotted: str, value: object) -> dict[str, Any]:
    data = copy.deepcopy(data)
    *path, last = dotted.split(".")
    node = data
    for key in path:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return data


DELETE = object()


# --- the facts -----------------------------------------------------------------------------------------------


def test_the_brief_s_programs_are_there() -> None:
    ap = load_programs()
    assert [p.key for p in ap.of_kind("ad_cabinet")] == list(CABINETS)
    assert ap.of_kind("seeding") and ap.of_kind("service")
    assert {p.kind for p in (ap[k] for k in ap)} == set(KINDS)
    assert len(ap) == len(ap.keys) == len(list(ap))


def test_every_fact_has_a_source_a_date_and_a_note_when_unconfirmed() -> None:
    ap = load_programs()
    for key in ap:
        p = ap[key]
        assert p.name and p.url.startswith("https://")
        for f in REQUIRED:
            fact = p.fact(f)
            assert isinstance(fact, Fact) and fact.url.startswith(("http://", "https://")), (key, f)
            assert date(2025, 1, 1) <= fact.checked <= date.today(), (key, f)
            if not p.is_confirmed(f):
                assert fact.note, (key, f)
    assert ap.checked == min(ap[k].fact(f).checked for k in ap for f in REQUIRED)
    assert "каждый семестр" in ap.note_ru


def test_the_facts_the_lessons_and_a02_use() -> None:
    ap = load_programs()
    tiktok = ap["tiktok_ads"]
    assert tiktok.min_budget("campaign") == MinBudget(50, "USD", "day", "campaign")
    assert tiktok.min_budget("ad_set") == MinBudget(20, "USD", "day", "ad_set")
    assert ap["meta_ads"].min_budget("ad_set").amount == 1
    assert "KZT" not in ap["meta_ads"].billing_currency
    assert ap["telegram_ads"].billing_currency == ("EUR", "TON")
    assert ap["yandex_direct"].billing_currency[0] == "KZT"
    assert ap["vk_ads"].available_kz == "limited" and ap["meta_ads"].available_kz == "yes"
    # the link-clicks trap: Meta and TikTok report link clicks and all clicks, Telegram only button clicks
    assert {"clicks_all", "link_clicks"} <= set(ap["meta_ads"].reports)
    assert {"clicks_all", "link_clicks"} <= set(ap["tiktok_ads"].reports)
    assert "clicks_all" not in ap["telegram_ads"].reports
    assert ap["bloggers_direct"].min_budget() is None and ap["bloggers_direct"].min_budgets == ()


def test_exports_name_datasets_and_currencies_agree_with_them() -> None:
    ap = load_programs()
    exports = {k: ap[k].export for k in ap if ap[k].export}
    assert set(exports.values()) == {"ads_export_meta", "ads_export_tiktok", "ads_export_vk",
                                     "ads_export_telegram"}
    for name in exports.values():
        assert name in datasets.available()
    meta = datasets.load("ads_export_meta")
    assert "Сумма затрат (USD)" in meta.columns and ap["meta_ads"].billing_currency[0] == "USD"
    tt = datasets.load("ads_export_tiktok")
    assert set(tt["Currency"]) == set(ap["tiktok_ads"].billing_currency)
    assert "Spent, €" in datasets.load("ads_export_telegram").columns and "EUR" in ap["telegram_ads"].billing_currency


def test_platforms_and_vocabularies() -> None:
    ap = load_programs()
    known = set(load_facts().platforms) | {"Yandex", "WhatsApp"}
    for key in ap:
        p = ap[key]
        assert set(p.platforms) <= known and set(p.goals) <= set(GOALS) and set(p.reports) <= set(REPORTS)
    assert [p.key for p in ap.for_goal("publishing")] == ["livedune", "smmplanner", "hootsuite"]
    with pytest.raises(KeyError, match="Цели «likes» нет"):
        ap.for_goal("likes")
    with pytest.raises(KeyError, match="Вида «bank» нет"):
        ap.of_kind("bank")
    with pytest.raises(KeyError, match="Программы «google_ads» нет"):
        ap["google_ads"]
    with pytest.raises(KeyError, match="нет факта «price»"):
        ap["meta_ads"].fact("price")
    assert "meta_ads" in ap and "google_ads" not in ap


def test_min_budget_in_tenge_uses_the_callers_rates() -> None:
    b = load_programs()["tiktok_ads"].min_budget("ad_set")
    assert b.amount_in("KZT", RATES) == 20 * RATES["USD"]
    assert b.amount_in("USD", RATES) == 20
    with pytest.raises(KeyError, match="Нет курса для валюты TON"):
        load_programs()["telegram_ads"].min_budget().amount_in("KZT", RATES)
    assert str(load_programs()["yandex_direct"].min_budget()) == "5000 KZT за пополнение (кабинет, без НДС)"


def test_table_and_sources_for_lessons() -> None:
    ap = load_programs()
    t = ap.table(CABINETS, ["kind", "billing_currency", "available_kz", "min_budget"])
    assert isinstance(t, pd.DataFrame) and t.index.name == "Программа"
    assert list(t.columns) == ["вид", "валюта счёта", "доступно бизнесу в Казахстане", "минимальный бюджет",
                               "проверено"]
    assert t.loc["Telegram Ads", "валюта счёта"] == "EUR, TON"
    assert t.loc["VK Реклама (VK Ads)", "доступно бизнесу в Казахстане"] == "с ограничениями"
    assert t.loc["Meta Ads Manager", "доступно бизнесу в Казахстане"] == "да (не подтверждено)"
    assert t.loc["Meta Ads Manager", "вид"] == "рекламный кабинет"
    assert len(ap.table()) == len(ap)
    s = ap.sources(["telegram_ads"])
    assert len(s) == len(REQUIRED) and set(s["подтверждено"]) == {"да", "нет"}


def test_load_is_cached_and_reads_another_file(raw: dict[str, Any], tmp_path: Path) -> None:
    assert load_programs() is load_programs()
    changed = _set(raw, "programs.tiktok_ads.min_budget.value", [
        {"amount": 30, "currency": "USD", "per": "day", "level": "ad_set"}])
    path = tmp_path / "ad_programs.yaml"
    path.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    assert load_programs(path)["tiktok_ads"].min_budget().amount == 30
    assert load_programs()["tiktok_ads"].min_budget().amount == 50


def test_platform_mix() -> None:
    ap = load_programs()
    assert "Молодёжь Казахстана" in ap.platform_mix_title
    shares = {name: ap.audience_share(name) for name in ap.platform_mix}
    assert shares["Instagram"] == 79.8 and shares["VK"] == 4.7
    assert max(shares, key=lambda k: shares[k]) == "WhatsApp"
    assert ap.audience_share("Yandex") is None
    assert all(f.url.startswith("https://") for f in ap.platform_mix.values())


def test_decision_table() -> None:
    w = {"audience": 0.4, "budget_ok": 0.3, "kz": 0.2, "tenge": 0.1}
    t = decision_table("leads", 8000, w, RATES)
    assert list(t.index) == ["Meta Ads Manager", "Яндекс Директ", "Telegram Ads", "TikTok Ads Manager",
                             "VK Реклама (VK Ads)"]
    assert t.loc["TikTok Ads Manager", "min_day_kzt"] == 20 * RATES["USD"]
    assert t.loc["Meta Ads Manager", "score"] == pytest.approx(0.4 * 0.798 + 0.3 + 0.2)
    richer = decision_table("leads", 20 * RATES["USD"], w, RATES)  # the minimum itself fits (<=)
    assert richer.loc["TikTok Ads Manager", "budget_ok"] == 1
    assert richer.loc["TikTok Ads Manager", "score"] > t.loc["TikTok Ads Manager", "score"]
    assert decision_table("publishing", 8000, w, RATES).empty
    assert list(decision_table("followers", 8000, w, RATES, kind="seeding").index) == [
        "Прямые договорённости с блогерами", "Биржи рекламы в Telegram-каналах (Telega.in)"]
    with pytest.raises(ValueError, match="в сумме давать 1"):
        decision_table("leads", 8000, {"audience": 0.5}, RATES)
    with pytest.raises(ValueError, match="Неизвестные критерии price"):
        decision_table("leads", 8000, {"price": 1.0}, RATES)
    with pytest.raises(ValueError, match="не может быть отрицательным"):
        decision_table("leads", -1, w, RATES)


# --- validation errors, in Russian -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dotted", "value", "message"),
    [
        ("schema_version", 2, "schema_version должна быть 1"),
        ("programs.meta_ads.goals", DELETE, "нет факта «goals»"),
        ("programs.meta_ads.goals.value", ["likes"], "неизвестные значения likes"),
        ("programs.meta_ads.goals.value", [], "непустой список"),
        ("programs.meta_ads.platforms.value", ["Одноклассники"], "неизвестные значения Одноклассники"),
        ("programs.meta_ads.reports.value", ["ctr"], "неизвестные значения ctr"),
        ("programs.meta_ads.billing_currency.value", ["доллар"], "трёхбуквенным кодом"),
        ("programs.meta_ads.available_kz.value", "maybe", "ожидается одно из: yes, limited, no"),
        ("programs.meta_ads.available_kz.confirmed", "нет", "ожидается true или false"),
        ("programs.meta_ads.available_kz.note", "", "нет примечания"),
        ("programs.meta_ads.min_budget.value", {"amount": 1}, "ожидается список минимальных бюджетов"),
        ("programs.meta_ads.min_budget.value.0.amount", 0, "положительным числом"),
        ("programs.meta_ads.min_budget.value.0.currency", "usd", "трёхбуквенный код валюты"),
        ("programs.meta_ads.min_budget.value.0.per", "week", "per: ожидается одно из"),
        ("programs.meta_ads.min_budget.value.0.level", "ad", "level: ожидается одно из"),
        ("programs.meta_ads.min_budget.value.0.vat", True, "неизвестные поля vat"),
        ("programs.meta_ads.kind", "cabinet", "ожидается одно из: ad_cabinet"),
        ("programs.meta_ads.url", "adsmanager", "должен начинаться с http"),
        ("programs.meta_ads.name", "", "нет названия программы"),
        ("programs.meta_ads.export", 3, "имя набора данных"),
        ("programs.meta_ads.price", {"value": 1}, "неизвестные поля price"),
        ("programs.meta_ads.goals.source", "blog", "источника «blog» нет"),
        ("programs.meta_ads.goals.checked", "вчера", "не в формате ГГГГ-ММ-ДД"),
        ("note_ru", "", "нет заметки note_ru"),
        ("platform_mix.title", "", "нет заголовка"),
        ("platform_mix.facts.VK.value", 140, "доля — число от 0 до 100"),
        ("programs", DELETE, "нет раздела «programs»"),
    ],
)
def test_malformed_programs_give_russian_errors(raw: dict[str, Any], dotted: str, value: object,
                                                message: str) -> None:
    with pytest.raises(FactsError, match=message):
        parse_programs(_set(raw, dotted, value))


def test_bad_files_give_russian_errors(tmp_path: Path) -> None:
    with pytest.raises(FactsError, match="не найден"):
        load_programs(tmp_path / "нет.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("programs: [\n", encoding="utf-8")
    with pytest.raises(FactsError, match="не корректный YAML"):
        load_programs(bad)
