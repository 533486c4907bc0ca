"""smmkit.analysis.campaigns: drafts flattened and checked against the programs' facts; the choice case."""

from __future__ import annotations

import pytest

from smmkit.analysis.campaigns import (
    CHECKS,
    COURSE_RATES,
    adsets_table,
    check_adsets,
    daily_minimum_kzt,
    load_choice_case,
    load_drafts,
)
from smmkit.platforms.ad_programs import load_programs

PROGRAMS = load_programs()


def test_course_rates_are_the_datas() -> None:
    """The rates are the ones the ad data were built with (a copy: importing the generators takes seconds)."""
    from smmkit.data import ads_data

    assert COURSE_RATES == {"KZT": 1.0, "USD": float(ads_data.USD_KZT), "EUR": float(ads_data.EUR_KZT)}


def test_drafts_are_well_formed_and_name_known_programs() -> None:
    drafts = load_drafts()
    ids = [s["id"] for c in drafts for s in c["ad_sets"]]
    assert len(ids) == len(set(ids))
    for campaign in drafts:
        assert campaign["program"] in PROGRAMS
        assert campaign["start"] < campaign["end"]
        for ad_set in campaign["ad_sets"]:
            assert ad_set["id"].startswith(campaign["id"] + "-")
            assert ad_set["daily_budget_kzt"] > 0 and ad_set["ads"]
    assert load_drafts() is not load_drafts() and load_drafts() == drafts  # a fresh copy each time


def test_adsets_table_flattens_every_ad_set() -> None:
    drafts = load_drafts()
    table = adsets_table(drafts)
    assert len(table) == sum(len(c["ad_sets"]) for c in drafts)
    assert list(table["ads"]) == [len(s["ads"]) for c in drafts for s in c["ad_sets"]]
    assert set(table["program"]) == {c["program"] for c in drafts}


def test_each_check_fails_somewhere_and_each_ad_set_is_judged() -> None:
    """Every check is exercised: each one is False for some ad set, and some ad sets pass them all."""
    checks = check_adsets(load_drafts(), PROGRAMS, COURSE_RATES)
    assert list(checks.columns) == list(CHECKS)
    assert (~checks).any().all(), "each check breaks in at least one draft"
    assert checks.all(axis=1).any(), "some ad sets are fine"
    assert not checks.loc["AF-M2-S1", "currency_ok"], "Meta does not bill in tenge"
    assert not checks.loc["AF-M2-S1", "placements_ok"], "Meta does not place ads in TikTok"
    assert not checks.loc["AF-TG1-S1", "goal_ok"], "Telegram Ads has no leads objective"


def test_budget_check_converts_the_minimum_and_allows_the_edge() -> None:
    tiktok = daily_minimum_kzt(PROGRAMS["tiktok_ads"], COURSE_RATES)
    meta = daily_minimum_kzt(PROGRAMS["meta_ads"], COURSE_RATES)
    assert tiktok == PROGRAMS["tiktok_ads"].min_budget("ad_set").amount * COURSE_RATES["USD"]
    checks = check_adsets(load_drafts(), PROGRAMS, COURSE_RATES)
    budgets = adsets_table(load_drafts()).set_index("adset_id")["daily_budget_kzt"]
    assert budgets["AF-T1-S1"] == tiktok and checks.loc["AF-T1-S1", "budget_ok"]  # exactly the minimum: allowed
    assert budgets["AF-T1-S2"] < tiktok and not checks.loc["AF-T1-S2", "budget_ok"]
    assert PROGRAMS["meta_ads"].min_budget("ad_set").amount <= budgets["AF-M1-S2"] < meta  # only in tenge it fails
    assert not checks.loc["AF-M1-S2", "budget_ok"]
    assert daily_minimum_kzt(PROGRAMS["yandex_direct"], COURSE_RATES) is None
    assert checks.loc["AF-Y1-S1", "budget_ok"]


def test_the_case_budget_sits_on_tiktoks_daily_minimum() -> None:
    """a02's question 9 puts TikTok exactly on the budget edge («не больше бюджета»): the facts must keep it there."""
    case = load_choice_case()
    assert daily_minimum_kzt(PROGRAMS["tiktok_ads"], COURSE_RATES) == case["budget_kzt"] / case["days"]


def test_missing_fields_are_russian_errors(tmp_path) -> None:
    bad = tmp_path / "case.yaml"
    bad.write_text("goal: leads\n", encoding="utf-8")
    with pytest.raises(ValueError, match="нет поля"):
        load_choice_case(bad)
    drafts = tmp_path / "drafts.yaml"
    drafts.write_text("campaign: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="campaigns"):
        load_drafts(drafts)


def test_approval_log_and_unapproved_launches(tmp_path) -> None:
    """v2 is approved before its launch; v3 is approved only after it went live; v4 is never approved."""
    from smmkit.analysis.campaigns import LOG_COLUMNS, load_approval_log, unapproved_launches

    log = load_approval_log()
    assert list(log.columns) == list(LOG_COLUMNS) and log["when"].is_monotonic_increasing
    assert set(log["who"]) == {"ассистент", "менеджер"}
    assert unapproved_launches(log) == ["v3", "v4"]
    launched = log[log["status"] == "запущено"]
    approved = log[log["status"] == "согласовано"]
    any_version = [r.version for r in launched.itertuples() if not (approved["when"] < r.when).any()]
    any_time = sorted(set(launched["version"]) - set(approved["version"]))
    assert any_version == [] and any_time == ["v4"], "both shortcuts give other answers: the traps tell apart"
    bad = tmp_path / "log.yaml"
    bad.write_text("messages: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="log"):
        load_approval_log(bad)
