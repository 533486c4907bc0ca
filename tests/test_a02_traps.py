"""a02's visible checks catch the traps through nbgrader's own validation; the Q11 anchor answers quote true numbers.

That each single typical mistake of ``tests/submissions/a02-promotion.yaml`` shows its Russian hint under the test
cell it loses points on is checked on the grading invariant's autograded notebooks
(``test_grading_invariant.test_each_trap_shows_its_hint_where_it_loses_points``). Here, through ``nbgrader
validate`` itself, as a01 does (tests/test_a01_traps.py, whose helpers this file reuses): the combined submission
(several mistakes at once, cascading as in a student's own run) must fail and show its hint and no bare exception;
the correct answers typed into the student version must validate. ``nbgrader validate`` exits 0 either way, so its
output is read.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from validate_traps import (
    assert_fails_with_its_hint,
    combined,
    hint_errors,
    long_hint_lines,
    master_answers,
    source,
    spec,
    validate_correct_and_combined,
)

from smmkit import datasets
from smmkit.analysis import bots
from smmkit.analysis.campaigns import (
    COURSE_RATES,
    check_adsets,
    daily_minimum_kzt,
    load_approval_log,
    load_choice_case,
    load_drafts,
)
from smmkit.notebooks import read
from smmkit.platforms.ad_programs import decision_table, load_programs

ROOT = Path(__file__).resolve().parents[1]
A = "a02-promotion"
SPEC = spec(A)
NAMES = [s["name"] for s in SPEC["submissions"]]
COMBINED = combined(SPEC)
Q9_WEIGHTS = {"audience": 0.4, "budget_ok": 0.3, "kz": 0.2, "tenge": 0.1}  # Madina's, as the Q9 prompt writes
QUESTIONS = ("q1-meta", "q2-frequency", "q3-vk", "q4-cabinets", "q5-checks", "q6-flags", "q7-quality", "q8-wave",
             "q9-choice", "q10-approvals")


def _master() -> dict:
    return read(ROOT / "solutions" / A / f"{A}.ipynb")


def correct_answers() -> dict[str, str]:
    """The master's code answers without the solution markers, and a launch request of the student's own."""
    return master_answers(A, {"q11-request": "Прошу согласовать запуск кампании в Meta: цель — заявки, "
                                             "бюджет 313 100 ₸ на март."})


@pytest.fixture(scope="module")
def validated(tmp_path_factory) -> dict[str, str]:
    """``nbgrader validate`` output per notebook: the combined submissions and the correct answers ("correct")."""
    return validate_correct_and_combined(A, SPEC, correct_answers(), tmp_path_factory.mktemp("a02-validate"))


def test_correct_answers_validate(validated) -> None:
    assert validated["correct"].startswith("Success!"), validated["correct"][-3000:]


@pytest.mark.parametrize("name", COMBINED)
def test_combined_mistakes_fail_validation_with_hints(validated, name) -> None:
    assert_fails_with_its_hint(SPEC, validated, name, uncut=True)
    sub = next(s for s in SPEC["submissions"] if s["name"] == name)
    if "back_to" in sub:  # a later question's check sends the student back to the question that broke it
        assert sub["back_to"] in hint_errors(validated[name]), f"{name}: «{sub['back_to']}» is not shown"


def test_every_submission_is_well_formed() -> None:
    test_cells = {f"{q}-tests" for q in QUESTIONS}
    assert len(NAMES) == len(set(NAMES))
    for sub in SPEC["submissions"]:
        assert {"name", "mistake", "standard", "answers", "expected", "validate"} <= set(sub), sub["name"]
        assert {f"{gid}-tests" for gid in sub["answers"]} == set(sub["expected"]), sub["name"]
        assert set(sub["expected"]) <= test_cells, sub["name"]
        assert all(score == 0 for score in sub["expected"].values()), sub["name"]
    assert any(len(s["expected"]) > 1 for s in SPEC["submissions"]), "a combined typical submission"


def test_each_question_has_a_trap_and_each_threshold_its_off_by_one() -> None:
    lost = {name for sub in SPEC["submissions"] for name in sub["expected"]}
    assert lost == {f"{q}-tests" for q in QUESTIONS}, "every autograded question has a typical mistake"
    off_by_one = {s["name"] for s in SPEC["submissions"] if "off-by-one" in s["name"]}
    # the thresholds of the prompts: Q5 budget ≥ minimum, Q6 four rule thresholds, Q9 minimum ≤ budget
    assert off_by_one == {"q5-off-by-one-budget", "q6-off-by-one-ratio", "q6-off-by-one-posts",
                          "q6-off-by-one-digits", "q6-off-by-one-signals", "q9-off-by-one-budget"}


def test_the_rule_thresholds_are_the_courses() -> None:
    """Q6's prompt writes the thresholds of the course's rule set (smmkit.analysis.bots); keep them equal."""
    prompt = next(source(c) for c in _master()["cells"]
                  if c["metadata"].get("nbgrader", {}).get("grade_id") == "q6-prompt")
    assert f"больше**, чем {bots.FOLLOW_RATIO} × подписчиков" in prompt
    assert f"**меньше** {bots.MIN_POSTS}" in prompt
    assert f"**{bots.USERNAME_DIGITS} цифры или больше**" in prompt


def test_q9_is_the_decision_table_of_lesson_0201() -> None:
    """Q9 uses lesson 02.01's method (criteria 0–1 from the dated facts, daily budget), with the lesson's weights."""
    prompt = next(source(c) for c in _master()["cells"]
                  if c["metadata"].get("nbgrader", {}).get("grade_id") == "q9-prompt")
    assert f"`weights = {json.dumps(Q9_WEIGHTS)}`" in prompt
    lesson = (ROOT / "course" / "02-promotion" / "02.01-programs.ipynb").read_text(encoding="utf-8")
    assert json.dumps(f"weights = {json.dumps(Q9_WEIGHTS)}")[1:-1] in lesson, "the lesson's weights"
    assert "таблицей решений урока 02.01" in prompt


def test_the_data_tells_every_threshold_apart() -> None:
    """Each off-by-one variant changes the answer on the data: rows sit exactly on every threshold."""
    fa = datasets.load("followers_audit")
    af = fa[fa["account_id"] == "af_ig"]
    assert (af["following"] == 10 * af["followers"]).any()
    assert (af["posts"] == 3).any()
    assert (af["username"].str.count(r"\d") == 4).any()
    assert ((af["username"].str.count(r"\d") >= 4) != af["username"].str.contains(r"\d{4}")).any(), (
        "names with 4 digits apart: «4 in a row» and «4 or more» differ")
    days = pd.date_range("2025-09-01", "2026-02-28").date
    counted = af["followed_at"].dt.date.value_counts()
    per_day = counted.reindex(days, fill_value=0)
    assert per_day.median() != counted[counted.index.isin(days)].median(), "zero days move the usual day"
    budgets = {s["id"]: s["daily_budget_kzt"] for c in load_drafts() for s in c["ad_sets"]}
    minimum = daily_minimum_kzt(load_programs()["tiktok_ads"], COURSE_RATES)
    assert budgets["AF-T1-S1"] == minimum, "a TikTok ad set sits exactly on TikTok's ad group minimum"
    case = load_choice_case()
    table = decision_table(case["goal"], case["budget_kzt"] / case["days"], Q9_WEIGHTS, COURSE_RATES)
    assert (table["min_day_kzt"] == case["budget_kzt"] / case["days"]).any(), "a daily minimum equals the budget"


# --- the Q11 anchor answers quote true numbers --------------------------------------------------------------------


def _anchors() -> str:
    cell = next(c for c in _master()["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "q11-request")
    return " ".join(source(cell).replace("\n>", "\n").split())


def _ru(x: float, digits: int) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def _int(x: float) -> str:
    return f"{round(x):,}".replace(",", " ")


def test_anchor_numbers_match_the_data() -> None:
    meta = datasets.load("ads_export_meta")
    start = meta["Начало отчетности"]
    rows = meta[(meta["Название кампании"] == "AF_гостевая_лиды") & (start.dt.year == 2026) & (start.dt.month == 2)]
    spend = rows["Сумма затрат (USD)"].sum() * COURSE_RATES["USD"]
    leads, link = int(rows["Лиды"].sum()), int(rows["Клики по ссылке"].sum())
    weekly = rows.groupby("Начало отчетности")[["Показы", "Охват"]].sum()
    freq = (weekly["Показы"] / weekly["Охват"]).sort_index()

    case = load_choice_case()
    programs = load_programs()
    budget, days = case["budget_kzt"], case["days"]
    scores = decision_table(case["goal"], budget / days, Q9_WEIGHTS, COURSE_RATES)["score"]
    daily = budget / days
    checks = check_adsets(load_drafts(), programs, COURSE_RATES)
    budgets = {s["id"]: s["daily_budget_kzt"] for c in load_drafts() for s in c["ad_sets"]}
    meta_min = daily_minimum_kzt(programs["meta_ads"], COURSE_RATES)

    fa = datasets.load("followers_audit")
    af = fa[fa["account_id"] == "af_ig"]
    per_day = af["followed_at"].dt.date.value_counts().reindex(
        pd.date_range("2025-09-01", "2026-02-28").date, fill_value=0)
    signals = ((af["following"] > 10 * af["followers"]).astype(int) + (~af["has_avatar"]).astype(int)
               + (af["posts"] < 3).astype(int) + (af["username"].str.count(r"\d") >= 4).astype(int)
               + af["bursty_activity"].astype(int))

    assert scores.index[0] == "Meta Ads Manager" and scores.index[1] == "TikTok Ads Manager"
    assert (pd.Timestamp("2026-04-08") - pd.Timestamp("2026-03-09")).days + 1 == days
    assert not checks.loc["AF-M1-S2", "budget_ok"] and not checks.loc["AF-M2-S1", "currency_ok"]
    expected = [
        f"у Meta {_ru(scores['Meta Ads Manager'], 2)}, у TikTok — {_ru(scores['TikTok Ads Manager'], 2)}",
        f"Instagram есть у {_ru(programs.audience_share('Instagram'), 1)} % молодёжи",
        f"Бюджет — {_int(budget)} ₸ на {days} день, с 9 марта по 8 апреля",
        f"{_int(daily)} ₸ в день (${daily / COURSE_RATES['USD']:.0f} по учебному курсу)",
        f"«AF-M1-S2» с бюджетом {budgets['AF-M1-S2']} ₸ в день",
        f"ниже минимума Meta для группы ({meta_min:.0f} ₸, ${meta_min / COURSE_RATES['USD']:.0f} в день)",
        f"дала {leads} заявки по {_int(spend / leads)} ₸, CTR по ссылке {_ru(link / rows['Показы'].sum() * 100, 2)} %",
        f"клик по ссылке — {_int(spend / link)} ₸",
        f"около {_int(budget / (spend / leads))} заявок",
        f"не меньше {math.ceil(budget / 1100)} заявок при цене заявки не выше {_int(1100)} ₸",
        f"частота выросла до {_ru(freq.iloc[-1], 2)} (была {_ru(freq.iloc[-2], 2)})",
        f"волна в {_int(per_day.max() - per_day.median())} купленных подписок сверх обычного дня",
        f"помечает ботами {round((signals >= 3).mean() * 100)} % подписчиков",
        f"Бюджет — {_int(budget)} ₸ на март, {_int(daily)} ₸ в день",
    ]
    assert per_day.idxmax() == pd.Timestamp("2025-11-15").date(), "the anchor names 15 November 2025"
    text = _anchors()
    for phrase in expected:
        assert phrase in text, f"the anchor answers should say «{phrase}»"


# --- nbgrader validate shows each hint line whole ---------------------------------------------------------------

def test_every_hint_line_fits_nbgrader_validate() -> None:
    """nbgrader validate prints a failed test's error indented and cuts a longer line with «...»: keep hints whole
    (the trial found the ×100, VK spend, formula and Q5 group lines cut)."""
    long_lines = long_hint_lines(A)
    assert not long_lines, "\n".join(long_lines)


def test_story_dates_agree() -> None:
    """The scenario's «today» comes before the approval log, which Q10 reads three weeks later; the facts' check date
    printed by the setup cell is said to be the file's, not the story's (the trial read «проверены 03.12.2026» as a
    date of the story); CTR is a fraction, and the prompt says so against lesson 02.02's percentages."""
    cells = {c["metadata"].get("nbgrader", {}).get("grade_id"): source(c) for c in _master()["cells"]}
    log = load_approval_log()
    today = pd.Timestamp("2026-03-02")
    assert "Сегодня 2 марта\n2026 года" in cells["intro"] and log["when"].min() > today
    q10_day = pd.Timestamp("2026-03-24")
    assert "сегодня 24 марта 2026 года" in cells["q10-prompt"] and log["when"].max() < q10_day
    first, last = log["when"].min(), log["when"].max()
    assert f"с {first.day} по {last.day} марта" in cells["q10-prompt"]
    assert "проверен по источникам" in cells["setup"] and "а не дата сценария" in cells["intro"]
    assert "**доля** (0.012, а не 1.2). В уроке 02.02 CTR печатали" in cells["q1-prompt"]
