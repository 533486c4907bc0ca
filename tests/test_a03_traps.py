"""a03's visible checks catch the traps through nbgrader's own validation; its answer keys match the data.

As ``tests/test_a01_traps.py``: that each single typical mistake of ``tests/submissions/a03-partners.yaml`` shows
its Russian hint under the test cell it loses points on is checked on the grading invariant's autograded notebooks
(``test_grading_invariant.test_each_trap_shows_its_hint_where_it_loses_points``). Here, through ``nbgrader
validate`` itself: the combined submission (several mistakes at once, cascading as in a student's own run) must
fail and show its hint and no bare exception; the correct answers typed into the student version must validate.
``nbgrader validate`` exits 0 either way, so its output is read.

The keys the hidden tests hold are checked against the data they stand for: question 5's facts against the text
of the media kit MK25 (what it says and what it lacks), question 6's situations against the wording of the
decision table (``smmkit.curriculum.etiquette``), so that a renumbered or reworded table fails here first.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest
from validate_traps import (
    assert_fails_with_its_hint,
    combined,
    long_hint_lines,
    malformed_submissions,
    quoted_points,
    spec,
    validate_correct_and_combined,
)

from smmkit import datasets
from smmkit.analysis.bots import channel_anomalies
from smmkit.curriculum.etiquette import load_etiquette
from smmkit.data.media_kits import USD_KZT
from smmkit.data.partners_data import ease
from smmkit.notebooks import read

ROOT = Path(__file__).resolve().parents[1]
A = "a03-partners"
SPEC = spec(A)
NAMES = [s["name"] for s in SPEC["submissions"]]
COMBINED = combined(SPEC)
TEST_CELLS = {f"{q}-tests" for q in ("q1-todo", "q2-plan", "q3-reminders", "q4-seeding", "q5-media-kit",
                                     "q6-etiquette")}


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _master_cells() -> dict[str, str]:
    return {c["metadata"].get("nbgrader", {}).get("grade_id"): _source(c)
            for c in read(ROOT / "solutions" / A / f"{A}.ipynb")["cells"]}


def correct_answers() -> dict[str, str]:
    """The master's code answers without the solution markers, and two messages of the student's own."""
    out = {"q7-blogger": "Здравствуйте! Я ассистент SMM Bilim Online: пришлите, пожалуйста, медиакит до 4 марта.",
           "q8-email": "Subject: Bilim Online — rates. Dear team, could you please send your rates by March 6?"}
    for cell in read(ROOT / "solutions" / A / f"{A}.ipynb")["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            out[meta["grade_id"]] = "\n".join(ln for ln in _source(cell).splitlines() if "SOLUTION" not in ln)
    return out


CORRECT_VARIANTS = {  # other right answers a student writes: NumPy numbers from pandas, the city in Russian
    "q5-media-kit": """line = texts.loc[texts["kit_id"] == "MK25", "text"]
number = lambda label: line.str.extract(label + r": ([\\d,]+)")[0].str.replace(",", "").astype(int).iloc[0]
kit25 = {"stats_as_of": "2026-02-04", "followers": number("Followers"), "avg_views": number("Average views per post"),
         "top_city": "Алматы", "price_post_kzt": 240 * USD_KZT, "valid_until": "2026-05-19",
         "missing": ["ER", "срок брони"]}
""",
    "q4-seeding": """seeding = inf[~flags["suspicious"]].copy()
seeding["target_contacts"] = seeding["avg_views"] * seeding[BRAND_MATCH]
seeding["cost_per_target_contact"] = seeding["price_kzt"] / seeding["target_contacts"]
seeding = seeding.sort_values("cost_per_target_contact")
shortlist = seeding[seeding["price_kzt"].cumsum() <= BUDGET]
seeding_cost = int(shortlist["price_kzt"].sum())
seeding_target_contacts = shortlist["target_contacts"].sum()
cost_per_target = seeding_cost / seeding_target_contacts
""",
}


@pytest.fixture(scope="module")
def validated(tmp_path_factory) -> dict[str, str]:
    """``nbgrader validate`` output per notebook: the combined submissions and the correct answers ("correct")."""
    return validate_correct_and_combined(A, SPEC, correct_answers(), tmp_path_factory.mktemp("a03-validate"),
                                         variants={"correct-variants": CORRECT_VARIANTS})


@pytest.mark.parametrize("name", ["correct", "correct-variants"])
def test_correct_answers_validate(validated, name) -> None:
    assert validated[name].startswith("Success!"), validated[name][-3000:]


@pytest.mark.parametrize("name", COMBINED)
def test_combined_mistakes_fail_validation_with_hints(validated, name) -> None:
    assert_fails_with_its_hint(SPEC, validated, name, uncut=True)


def test_every_submission_is_well_formed() -> None:
    problems = malformed_submissions(SPEC, TEST_CELLS)
    assert not problems, "\n".join(problems)
    for trap in ("q4-subscribers", "q4-all-contacts", "q4-budget-off-by-one"):  # the seeding traps of the issue
        assert trap in NAMES
    for trap in ("q1-important-off-by-one", "q1-urgent-off-by-one", "q1-ease-off-by-one", "q2-capacity-off-by-one",
                 "q2-week-window-off-by-one", "q2-week-window-whole-days", "q3-deadline-off-by-one",
                 "q3-deadline-rounded", "q3-waiting-off-by-one", "q4-budget-strict"):  # an off-by-one per threshold
        assert trap in NAMES


# --- the answer keys match the data ---------------------------------------------------------------------------


def test_q5_key_is_what_the_english_media_kit_says() -> None:
    """The facts of MK25 as its English text writes them; ER and the booking lead time are absent, the rest is there."""
    text = datasets.load("media_kit_texts").set_index("kit_id").loc["MK25", "text"]
    kit = datasets.load("media_kits").set_index("kit_id").loc["MK25"]
    assert f"Statistics as of {kit['stats_as_of']:%B} {kit['stats_as_of'].day}, {kit['stats_as_of']:%Y}" in text
    assert f"Followers: {kit['subscribers']:,}" in text and f"Average views per post: {kit['avg_views']:,}" in text
    assert f"Top city: {kit['top_city']} (" in text and "RATES (USD)" in text
    assert f"Feed post — ${kit['price_post']}" in text
    assert f"Rates valid until {kit['valid_until']:%B} {kit['valid_until'].day}, {kit['valid_until']:%Y}" in text
    assert "Engagement rate" not in text and "Book at least" not in text  # the two gaps of the key
    assert "Ad labelling" in text and "of the audience" in text and "Age:" in text  # present: not in the key
    master = _master_cells()["q5-media-kit"]
    assert f'"followers": {kit["subscribers"]}' in master
    assert f'"price_post_kzt": {kit["price_post"]} * USD_KZT' in master
    assert USD_KZT > 0


KEY = {"А": "E10", "Б": "E06", "В": "E15", "Г": "E13", "Д": "E14", "Е": "E04"}
WORDING = {  # what each case of question 6 is, in the words of the situation the key picks
    "E10": "без маркировки", "E06": "до срока больше 3 дней и ждём меньше 7 дней", "E15": "иностранным партнёром",
    "E13": "Ошиблись вы", "E14": "недоволен", "E04": "не можете ответить сами",
}


def test_q6_key_matches_the_decision_table() -> None:
    table = load_etiquette()
    for case, sid in KEY.items():
        assert WORDING[sid] in table[sid].situation, (case, sid, table[sid].situation)
    cells = _master_cells()
    hidden = re.search(r"_want = (\{.*?\})", cells["q6-etiquette-tests"])[1]
    assert ast.literal_eval(hidden) == KEY
    for case, sid in KEY.items():
        assert f'"{case}": "{sid}"' in cells["q6-etiquette"]
    prompt = cells["q6-prompt"]
    assert "ждём 3 дня, до срока ещё 6 дней" in prompt  # E06: more than 3 days left, less than 7 waiting


def test_manual_questions_have_a_scheme_and_two_anchors() -> None:
    cells = _master_cells()
    for prompt, model in (("q7-prompt", "q7-blogger"), ("q8-prompt", "q8-email")):
        assert "Критерии (по 1 баллу):" in cells[prompt]
        assert len(re.findall(r"^\d+\. ", cells[prompt], re.M)) == 3
        assert "**Сильный ответ (3 балла из 3" in cells[model] and "**Слабый ответ (1 балл из 3)" in cells[model]
        assert "**Схема оценивания.**" in cells[model]


def test_points_quoted_in_the_prompts_are_true() -> None:
    """Each «## Вопрос N · … (K баллов)» is its graded cell's points; the intro's totals are their sums."""
    quoted, points, intro = quoted_points(A)
    assert quoted == points
    auto = sum(p for q, p in points.items() if int(q) <= 6)
    manual = sum(p for q, p in points.items() if int(q) > 6)
    assert f"**Баллы:** {auto} проверяются автоматически (вопросы 1–6), {manual} — преподавателем" in intro
    assert f"Всего {auto + manual}." in intro


# --- nbgrader validate shows each hint line whole ---------------------------------------------------------------

def test_every_hint_line_fits_nbgrader_validate() -> None:
    """nbgrader validate prints a failed test's error indented and cuts a longer line with «...»: keep hints whole."""
    long_lines = long_hint_lines(A)
    assert not long_lines, "\n".join(long_lines)


# --- thresholds the data can tell apart ----------------------------------------------------------------------------


def test_every_threshold_has_data_on_its_boundary() -> None:
    """Each threshold of a03 has rows exactly on it, so that ``<`` for ``<=`` (or ``>`` for ``>=``) changes the
    answer, and rows just past it where a rounding variant is likely; the off-by-one submissions of
    ``tests/submissions/a03-partners.yaml`` then lose points (``test_grading_invariant``)."""
    now = pd.Timestamp("2026-03-01 09:00", tz="Asia/Almaty")
    tasks = datasets.load("partner_tasks")
    open_ = tasks[tasks["status"] != "готово"].copy()
    # question 1: important ≥ 4, urgent ≥ 4, the edges of ease (≤ 1, 2, 4, 8 hours)
    assert (open_["importance"] == 4).any() and (open_["urgency"] == 4).any()
    assert {1.0, 2.0, 4.0, 8.0} <= set(open_["effort_hours"])
    # question 2: the day plan ends exactly on its 6 hours; the week plan leaves hours that a smaller task further
    # down would take (the «small tasks first» trap), so it cannot end exactly on its 30
    open_["priority"] = (0.5 * open_["importance"] + 0.3 * open_["urgency"]
                         + 0.2 * open_["effort_hours"].map(ease)).round(1)
    todo = open_.sort_values(["priority", "deadline"], ascending=[False, True])
    cum = todo["effort_hours"].cumsum()
    assert (cum == 6).any()
    spare = 30 - cum[cum <= 30].max()
    assert spare > 0 and (todo.loc[cum > 30, "effort_hours"] <= spare).any()
    # the 7-day window: a deadline exactly 168 h ahead, and one 7 days and an hour ahead (whole days: «7»)
    hours = (open_["deadline"] - now) / pd.Timedelta(hours=1)
    assert (hours == 168).any() and ((hours > 168) & (hours < 192)).any()
    # question 3: waiting tasks due exactly 3 days ahead and 3–4 days ahead, both waited on for less than 7 days;
    # waited on exactly 7 days and exactly 6 days, both due more than 3 days ahead
    waiting = tasks[tasks["status"] == "ждём ответа"]
    days_left = (waiting["deadline"] - now) / pd.Timedelta(days=1)
    days_waiting = (now - waiting["received_at"]).dt.days
    assert ((days_left == 3) & (days_waiting < 7)).any()
    assert ((days_left > 3) & (days_left < 3.5) & (days_waiting < 7)).any()
    assert ((days_waiting == 7) & (days_left > 3)).any() and ((days_waiting == 6) & (days_left > 3)).any()
    # question 4: the shortlist spends the budget to the tenge
    cells = _master_cells()
    budget = int(re.search(r"^BUDGET = ([\d_]+)", cells["q4-budget"], re.M)[1])
    assert f"**{budget:,} ₸** (`BUDGET`)".replace(",", " ") in cells["q4-prompt"]
    inf = datasets.load("influencers")
    clean = inf[~channel_anomalies(inf)["suspicious"]]
    ranked = clean.assign(c=clean["price_kzt"] / (clean["avg_views"] * clean["audience_match_bilim_online"]))
    spent = ranked.sort_values("c")["price_kzt"].cumsum()
    assert (spent == budget).any()
