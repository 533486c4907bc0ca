"""a04's visible checks catch the traps through nbgrader's own validation; its keys match the data and the lessons.

As ``tests/test_a03_traps.py``: that each single typical mistake of ``tests/submissions/a04-profiles.yaml`` shows
its Russian hint under the test cell it loses points on is checked on the grading invariant's autograded notebooks
(``test_grading_invariant.test_each_trap_shows_its_hint_where_it_loses_points``). Here, through ``nbgrader
validate`` itself: the combined submission (several mistakes at once, cascading as in a student's own run) must
fail and show its hint and no bare exception, no hint line cut; the correct answers (and other correct ways to
write them) typed into the student version must validate.

The data the questions rely on is checked too: each threshold has a case in the data or in the checks that tells
its off-by-one variant apart (a delay of exactly 60 minutes in November, a reply exactly at the SLA on 4 February),
and the traps the questions name are the ones lessons 04.01–04.03 warn about.
"""

from __future__ import annotations

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
from smmkit.notebooks import read
from smmkit.profiles.replies import escalation_rules, monitoring_rules
from smmkit.profiles.rules import load_plan_rules

ROOT = Path(__file__).resolve().parents[1]
A = "a04-profiles"
SPEC = spec(A)
COMBINED = combined(SPEC)
TEST_CELLS = {f"{q}-tests" for q in ("q1-plan-fact", "q2-quotas", "q3-caption", "q4-adapt", "q5-monitoring",
                                     "q6-replies", "q7-spikes", "q8-plan-rhythm", "q8-plan-windows",
                                     "q8-plan-quotas", "q8-plan-holiday", "q9-legal")}
LESSONS = ROOT / "course" / "04-profiles"


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _master_cells() -> dict[str, str]:
    return {c["metadata"].get("nbgrader", {}).get("grade_id"): _source(c)
            for c in read(ROOT / "solutions" / A / f"{A}.ipynb")["cells"]}


def correct_answers() -> dict[str, str]:
    """The master's code answers without the solution markers, and a manual answer of the student's own."""
    out = {"q10-posts": "Ораза айт мейрамыңыз құтты болсын! Приходите всей семьёй. #оразаайт #qazaqcoffee #семья"}
    for cell in read(ROOT / "solutions" / A / f"{A}.ipynb")["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            out[meta["grade_id"]] = "\n".join(ln for ln in _source(cell).splitlines() if "SOLUTION" not in ln)
    return out


CORRECT_VARIANTS = {  # other right answers: idxmin and np.select, crosstab quotas, a regex, a loop, a dict of replies,
    # explicit ddof,
    # another two-week plan (other times, rubrics and statuses: judged by rules), a legal table by private kinds
    "q1-plan-fact": """import numpy as np

rows = []
for account, window in NOV_WINDOWS.items():
    for day in pd.date_range("2025-11-01", "2025-11-30"):
        if day.weekday() in rules["rhythm"][account]["weekdays"]:
            rows.append({"account_id": account, "date": day,
                         "planned_at": pd.Timestamp(f"{day:%Y-%m-%d} {window}", tz="Asia/Almaty")})
nov_report = pd.DataFrame(rows)
mine = posts[posts["account_id"].isin(NOV_WINDOWS.keys())].copy()
mine["at"] = mine["published_at_utc"].dt.tz_convert("Asia/Almaty")
mine = mine[mine["at"].dt.strftime("%Y-%m") == "2025-11"]
mine["date"] = pd.to_datetime(mine["at"].dt.strftime("%Y-%m-%d"))
firsts = mine.loc[mine.groupby(["account_id", "date"], observed=True)["at"].idxmin()]
nov_report = nov_report.merge(firsts[["account_id", "date", "post_id", "at"]], how="left", on=["account_id", "date"])
nov_report["delay_min"] = (nov_report["at"] - nov_report["planned_at"]) / pd.Timedelta(minutes=1)
nov_report["status"] = np.select([nov_report["delay_min"] <= 60, nov_report["delay_min"] > 60],
                                 ["вовремя", "с опозданием"], "пропущено")
off_plan = mine[~mine["post_id"].isin(nov_report["post_id"].dropna())]
on_time_share = float(np.mean(nov_report["status"] == "вовремя"))
""",
    "q2-quotas": """def over_quota(plan, quotas):
    week = plan["publish_date"].dt.isocalendar().week.astype(int).rename("week")
    limits = {q["platform"]: q["max_per_week"] for q in quotas}
    ig = plan[plan["platform"] == "Instagram"]
    table = pd.crosstab(week[ig.index], ig["rubric"]).stack().rename("count").reset_index()
    table = table[table["count"] > limits["Instagram"]].assign(rule="instagram")
    promo = plan.loc[plan["rubric"] == "Акция"].groupby(week).size().rename("count").reset_index()
    promo = promo[promo["count"] > limits["all"]].assign(rubric="Акция", rule="promo")
    return pd.concat([table, promo])[["week", "rubric", "count", "rule"]]


march_breaches = over_quota(plan, rules["quotas"])
calendar = dates_between("2026-03-02", "2026-03-15")
off_by_day = calendar.groupby("date")["day_off"].any()  # a day has several rows: off if any of them is
day_off_items = [i for i, d in zip(plan["item_id"], plan["publish_date"]) if off_by_day.get(d, False)]
""",
    "q3-caption": """import re


def check_caption(text, platform):
    tags = re.findall(r"(?<![\\w#№&])#\\w*[^\\W\\d_]\\w*", text)
    rule = load_text_rules()["length"][platform]
    low, high = hashtag_range(platform)
    return {"length": len(text), "hashtags": len(tags), "length_ok": bool(rule["min"] <= len(text) <= rule["max"]),
            "hashtags_ok": bool(low <= len(tags) <= high)}


students_check = check_caption(STUDENTS_TT, "TikTok")
""",
    "q4-adapt": """def adapt(text, tags, link, platform):
    caption, problems = text.strip(), []
    if link and facts[platform].link_clickable:
        caption += " " + with_source(link, platform)
    elif link:
        problems.append("ссылка")
    room = hashtag_range(platform)[1] - len(hashtags(text))
    extra = hashtags(tags)
    if len(extra) > room:
        problems.append("хештеги")
    for tag in extra[:max(room, 0)]:
        caption += " " + tag
    if len(caption) > caption_max(platform, True):
        problems.append("длина")
    return {"caption": caption, "problems": problems, "dropped": extra[max(room, 0):]}


row = template[template["item_id"] == "TP-01"].iloc[0]
tp01_telegram = adapt(row["text"], row["hashtags"], row["utm_link"], "Telegram")
""",
    "q6-replies": """import numpy as np


def reply_for(topic, sentiment, language, wait_hours, escalation):
    answer = {"kk": "kk"}.get(language, "ru")
    picked = choose_reply(topic, sentiment, answer)
    overdue = wait_hours > escalation["unanswered_negative_hours"]
    return {"language": answer, "template": picked["template"],  # a numpy bool is a right answer too
            "escalate": np.bool_(picked["escalate"] or (sentiment == "negative" and overdue))}


rows = {r.comment_id: reply_for(r.topic, r.sentiment, r.language, r.wait_hours, escalation_rules())
        for r in unanswered.itertuples()}
replies = pd.DataFrame.from_dict(rows, orient="index")
to_manager = [cid for cid, r in rows.items() if r["escalate"]]
""",
    "q7-spikes": """def find_spikes(daily, negative):
    rule = monitoring_rules()["spike"]
    past = daily.shift(1).rolling(window=rule["baseline_days"], min_periods=rule["baseline_days"])
    many = daily > past.mean() + rule["sigmas"] * past.std(ddof=1)
    angry = (negative >= rule["negative_share"] * daily) & (daily >= rule["min_comments"]) & (daily > 0)
    return many | angry


mine = comments.loc[comments["brand_id"] == "qazaq_coffee"].copy()
mine["day"] = mine["created_at"].dt.date.astype(str)
days = pd.date_range("2025-09-01", "2026-02-28").strftime("%Y-%m-%d")
counts = mine.groupby("day").size().reindex(days, fill_value=0)
negatives = mine.assign(n=mine["sentiment"].eq("negative")).groupby("day")["n"].sum().reindex(days, fill_value=0)
flags = find_spikes(counts, negatives)
qc_spikes = list(flags.index[flags])
""",
    "q8-plan": """cal = dates_between("2026-03-23", "2026-04-05")
off = cal[cal["day_off"]].set_index("date")["name"]
slots = {"qc_ig": ["12:30", "20:00"], "qc_tg": ["09:00", "19:00"], "qc_tt": ["19:30", "21:00"]}
rubrics = {"qc_ig": ["Продукт", "Полезное", "Закулисье", "Отзывы гостей", "Развлечение", "Продукт", "Акция"],
           "qc_tg": ["Полезное", "Акция", "Продукт", "Закулисье", "Отзывы гостей"],
           "qc_tt": ["Развлечение", "Закулисье", "Продукт"]}
rows = []
for day in pd.date_range("2026-03-23", "2026-04-05"):
    for account, rhythm in rules["rhythm"].items():
        if day.weekday() in rhythm["weekdays"]:
            k = rhythm["weekdays"].index(day.weekday())
            rows.append({"account_id": account, "platform": rhythm["platform"],
                         "publish_date": day.strftime("%Y-%m-%d"), "publish_time": slots[account][k % 2],
                         "rubric": rubrics[account][k],
                         "status": "утверждён" if day < pd.Timestamp("2026-03-30") else "черновик",
                         "occasion": off.get(day)})
two_weeks = pd.DataFrame(rows)
""",
    "q9-legal": """def legal_decision(case):
    private = case["kind"] in private_kinds()
    text = case["text"].strip().lower().rstrip(".!…")
    has_label = any(text.startswith(w.lower()) or text.endswith(w.lower()) for w in law.words())
    ad = not private and bool(case["promotes"])
    exposed = not private and patterns()["personal_data"].search(case["text"]) is not None
    return {"is_ad": ad,
            "must_label": ad and case["author"] == "блогер" and case["payment"] in ("деньги", "бартер", "промокод")
            and not has_label,
            "may_send": not ((private and case["promotes"] and not case["recipient_consent"]) or exposed),
            "may_use_photo": (not case["guest_photo"]) or bool(case["guest_consent"])}


legal_table = pd.DataFrame.from_dict({i: legal_decision(r) for i, r in law_material.iterrows()}, orient="index")
""",
}


@pytest.fixture(scope="module")
def validated(tmp_path_factory) -> dict[str, str]:
    """``nbgrader validate`` output per notebook: the combined submissions and the correct answers ("correct")."""
    return validate_correct_and_combined(A, SPEC, correct_answers(), tmp_path_factory.mktemp("a04-validate"),
                                         variants={"correct-variants": CORRECT_VARIANTS})


@pytest.mark.parametrize("name", ["correct", "correct-variants"])
def test_correct_answers_validate(validated, name) -> None:
    assert validated[name].startswith("Success!"), validated[name][-3000:]


@pytest.mark.parametrize("name", COMBINED)
def test_combined_mistakes_fail_validation_with_hints(validated, name) -> None:
    assert_fails_with_its_hint(SPEC, validated, name, uncut=True)


def test_every_submission_is_well_formed() -> None:
    problems = malformed_submissions(SPEC, TEST_CELLS)  # question 8 has a test cell per rule: q8-plan-…-tests
    assert not problems, "\n".join(problems)
    for question in sorted(TEST_CELLS):  # every question has a typical mistake
        assert any(question in s["expected"] for s in SPEC["submissions"]), question
    assessed = {i for s in SPEC["submissions"] for i in s["standard"]}
    assert {f"A4-TF4-T1-U{i}" for i in range(1, 6)} | {"A4-TF4-T1-Z4"} <= assessed


# --- the data tells each threshold apart; the traps are the lessons' -------------------------------------------


def test_november_has_a_delay_of_exactly_the_tolerance() -> None:
    """Question 1's off-by-one variant (< for <=) scores less only because one post went out exactly 60 min late."""
    rules = load_plan_rules()
    posts = datasets.load("posts")
    local = posts["published_at_utc"].dt.tz_convert("Asia/Almaty")
    ig = posts.assign(local=local)[(posts["account_id"] == "qc_ig") & (local >= "2025-11-01") & (local < "2025-12-01")]
    first = ig.sort_values("local").groupby(ig["local"].dt.date)["local"].first()
    planned = pd.to_datetime([f"{d} 09:30" for d in first.index]).tz_localize("Asia/Almaty")
    delay = (first.to_numpy() - planned.to_numpy()) / pd.Timedelta(minutes=1)
    assert (delay == rules["late_after_minutes"]).sum() == 1
    assert '"qc_ig": "09:30"' in _master_cells()["q1-windows"]


def test_the_report_window_has_a_reply_exactly_at_the_sla() -> None:
    """Question 5's off-by-one variant scores less only because a reply came exactly 2 hours after its comment."""
    sla = monitoring_rules()["sla_hours"]
    comments = datasets.load("comments")
    at = pd.Timestamp("2026-02-05 09:00", tz="Asia/Almaty")
    window = comments[(comments["created_at"] >= at - pd.Timedelta(hours=24)) & (comments["created_at"] < at)]
    took = (window["replied_at"] - window["created_at"]).dt.total_seconds() / 3600
    assert ((took == sla) & (window["replied_at"] <= at)).sum() >= 1
    assert (window["replied_at"] > at).sum() >= 1  # answers after the report: the «задним числом» trap bites
    assert 'REPORT_AT = pd.Timestamp("2026-02-05 09:00"' in _master_cells()["q5-moment"]


def test_the_report_window_has_a_comment_on_each_edge() -> None:
    """Question 5's window traps score less only because the data has a case on each edge (reputation_data's
    BOUNDARY_EDITS): a complaint exactly 24 h before the report (in), a question exactly at it (out), a reply exactly
    at it (answered), and a deleted negative comment inside the window."""
    comments = datasets.load("comments")
    at = pd.Timestamp("2026-02-05 09:00", tz="Asia/Almaty")
    start = at - pd.Timedelta(hours=monitoring_rules()["window_hours"])
    waits = comments["is_question"] | (comments["sentiment"] == "negative")
    kept = ~comments["is_deleted_by_moderator"]
    assert (comments["created_at"].eq(start) & waits & kept).sum() == 1
    assert (comments["created_at"].eq(at) & waits & kept).sum() == 1
    inside = (comments["created_at"] >= start) & (comments["created_at"] < at)
    assert (inside & waits & kept & comments["replied_at"].eq(at)).sum() == 1
    assert (inside & comments["is_deleted_by_moderator"] & (comments["sentiment"] == "negative")).sum() >= 1
    assert comments["comment_id"].is_monotonic_increasing and comments["created_at"].is_monotonic_increasing


def test_the_report_window_tells_its_traps_apart() -> None:
    """Question 5's visible checks read the traps off the student's own table: the right window has a comment
    needing a reply in its first 5 hours (a window started in UTC has none) and a negative comment that is not a
    question (a questions-only report has none)."""
    comments = datasets.load("comments")
    at = pd.Timestamp("2026-02-05 09:00", tz="Asia/Almaty")
    start = at - pd.Timedelta(hours=monitoring_rules()["window_hours"])
    inside = (comments["created_at"] >= start) & (comments["created_at"] < at) & ~comments["is_deleted_by_moderator"]
    need = comments[inside & (comments["is_question"] | (comments["sentiment"] == "negative"))]
    assert (need["created_at"] < start + pd.Timedelta(hours=5)).any()
    assert ((need["sentiment"] == "negative") & ~need["is_question"]).any()
    questions = need[need["is_question"]]
    assert (questions["created_at"] < start + pd.Timedelta(hours=5)).any()  # the UTC hint comes first for them too


def test_the_escalation_threshold_is_not_the_sla() -> None:
    """Question 6's SLA trap scores less only because the rules tell the reply SLA from the escalation threshold."""
    assert monitoring_rules()["sla_hours"] < escalation_rules()["unanswered_negative_hours"]


def _spike_days(frame: pd.DataFrame, day: pd.Series) -> list[str]:
    rule = monitoring_rules()["spike"]
    days = pd.date_range("2025-09-01", "2026-02-28", freq="D")
    daily = frame.groupby(day).size().reindex(days, fill_value=0)
    negative = (frame["sentiment"] == "negative").groupby(day).sum().reindex(days, fill_value=0)
    norm = daily.shift(1).rolling(rule["baseline_days"])
    found = (daily > norm.mean() + rule["sigmas"] * norm.std()) | (
        (negative / daily >= rule["negative_share"]) & (daily >= rule["min_comments"]))
    return [d.strftime("%Y-%m-%d") for d in days[found.to_numpy()]]


def test_spike_traps_give_other_days() -> None:
    """Question 7's visible checks compare qc_spikes with the trap ways of counting (UTC days, every brand): each
    gives other days than the right count, so a right answer never matches a trap."""
    comments = datasets.load("comments")
    qc = comments[comments["brand_id"] == "qazaq_coffee"]
    right = _spike_days(qc, qc["created_at"].dt.tz_localize(None).dt.normalize())
    utc = _spike_days(qc, qc["created_at"].dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize())
    every = _spike_days(comments, comments["created_at"].dt.tz_localize(None).dt.normalize())
    assert right and right != utc and right != every


def test_november_has_night_posts_that_utc_puts_elsewhere() -> None:
    """Question 1's UTC-day and UTC-month variants score less only because two Qazaq Coffee posts went out at night
    (generators.NIGHT_POSTS): one on a November day that is the day before in UTC, one on 1 December that is
    still November in UTC."""
    posts = datasets.load("posts")
    qc = posts[posts["account_id"].isin(["qc_ig", "qc_tg", "qc_tt"])]
    local = qc["published_at_utc"].dt.tz_convert("Asia/Almaty")
    other_day = local.dt.date != qc["published_at_utc"].dt.date
    assert (other_day & (local.dt.month == 11)).sum() >= 1
    assert (other_day & (local.dt.month == 12) & (qc["published_at_utc"].dt.month == 11)).sum() >= 1


@pytest.mark.parametrize(("lesson", "words"), [
    ("04.01-content-plan", ["ловушки", "UTC", "Момент, а не дата", "isocalendar().week", "включая неутверждённые",
                            "isocalendar().year", "Instagram 10:00"]),
    ("04.02-texts", ["Байты вместо символов", "`#` внутри слова — не хештег", "с декабря 2025 года",
                     "Длина без хештегов"]),
    ("04.03-monitoring", ["replied_at", "после", "shift(1)", "ru+kk", "Эскалация", "Порог — не срок ответа",
                          "за 14 прошлых дней", "/ 3600", "Обещания из шаблонов"]),
    ("04.04-cross-posting", ["В задании a04 у клиента правило другое"]),
    ("04.05-law", ["предварительного согласия", "recipient_consent", "не сверено"]),
    ("04.06-lab-content-plan", ["так же по правилу клиента в задании a04"]),
])
def test_the_traps_are_the_lessons(lesson: str, words: list[str]) -> None:
    """The traps the submissions name are taught in the lessons: each lesson still says what its trap is."""
    text = "\n".join(_source(c) for c in read(LESSONS / f"{lesson}.ipynb")["cells"])
    for word in words:
        assert word in text, (lesson, word)


def test_manual_questions_have_a_scheme_and_two_anchors() -> None:
    cells = _master_cells()
    for prompt, model in (("q10-prompt", "q10-posts"),):
        assert "Критерии (по 1 баллу):" in cells[prompt]
        assert len(re.findall(r"^\d+\. ", cells[prompt], re.M)) == 8  # two tasks, six criteria
        assert "**Сильный ответ (6 баллов из 6" in cells[model] and "**Слабый ответ (2 балла из 6)" in cells[model]
        assert "**Схема оценивания.**" in cells[model]


def test_points_quoted_in_the_prompts_are_true() -> None:
    """Each «## Вопрос N · … (K баллов)» is its graded cell's points; the intro's totals are their sums."""
    quoted, points, intro = quoted_points(A)  # question 8's four graded cells (a point per rule) add up
    assert quoted == points
    auto = sum(p for q, p in points.items() if int(q) <= 9)
    manual = sum(p for q, p in points.items() if int(q) > 9)
    assert f"**Баллы:** {auto} проверяется автоматически (вопросы 1–9), {manual} — преподавателем" in intro
    assert f"Всего {auto + manual}." in intro


# --- nbgrader validate shows each hint line whole ---------------------------------------------------------------

def test_every_hint_line_fits_nbgrader_validate() -> None:
    """nbgrader validate prints a failed test's error indented and cuts a longer line with «...»: keep hints whole."""
    long_lines = long_hint_lines(A)
    assert not long_lines, "\n".join(long_lines)
