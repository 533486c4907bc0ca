"""a01's visible checks catch the traps through nbgrader's own validation; the Q7 model answer's numbers are true.

That each single typical mistake of ``tests/submissions/a01-posting-schedule.yaml`` shows its Russian hint under
the test cell it loses points on is checked on the grading invariant's autograded notebooks
(``test_grading_invariant.test_each_trap_shows_its_hint_where_it_loses_points``: the visible checks are part of
the same cells, so no second kernel run per mistake). Here, through ``nbgrader validate`` itself: the combined
submission (several mistakes at once, cascading as in a student's own run) must fail and show its hint and no
bare exception; the correct answers typed into the student version must validate; an upload file left from an
earlier run must not pass question 6. ``nbgrader validate`` exits 0 either way, so its output is read.

The notebooks are validated by nbgrader's own ``Validator`` with kernels forked from a warm process that has
imported pandas and parsed the datasets a01 loads once (``WARM_CONFIG``: smmkit's sandbox kernel manager without
its walls, with ``smmkit.grading.warm_datasets``), a fraction of the time of a fresh Python per notebook; the
stale-upload notebook goes through the plain ``nbgrader validate`` as the Lab's Validate button runs it.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from validate_traps import (
    assert_fails_with_its_hint,
    combined,
    hint_errors,
    master_answers,
    nbgrader_validate,
    source,
    spec,
    validate_correct_and_combined,
)

from smmkit import datasets
from smmkit.notebooks import read, write

ROOT = Path(__file__).resolve().parents[1]
A = "a01-posting-schedule"
SPEC = spec(A)
NAMES = [s["name"] for s in SPEC["submissions"]]
COMBINED = combined(SPEC)
UPLOAD = "qazaq_instagram_hootsuite.csv"  # the file question 6 writes beside the notebook
def correct_answers() -> dict[str, str]:
    """The master's code answers without the solution markers, and a memo of the student's own."""
    return master_answers(A, {"q7-memo": "Публиковать по будням вечером: так больше подписчиков онлайн. "
                                         "Проверим за четыре недели."})


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("a01-validate")


@pytest.fixture(scope="module")
def validated(scratch) -> dict[str, str]:
    """``nbgrader validate`` output per notebook: the combined submissions, and the correct answers ("correct")."""
    return validate_correct_and_combined(A, SPEC, correct_answers(), scratch)


def test_correct_answers_validate(validated) -> None:
    assert validated["correct"].startswith("Success!"), validated["correct"][-3000:]


@pytest.mark.parametrize("name", COMBINED)
def test_combined_mistakes_fail_validation_with_hints(validated, name) -> None:
    assert_fails_with_its_hint(SPEC, validated, name)


def test_a_stale_upload_file_fails_validation(validated, scratch) -> None:
    """The correct upload file left from an earlier run does not pass Q6 when the answer no longer writes it."""
    assert validated["correct"].startswith("Success!")
    folder = scratch / "stale"
    folder.mkdir()
    shutil.copy(scratch / "work" / "correct" / UPLOAD, folder / UPLOAD)
    an_hour_ago = time.time() - 3600
    os.utime(folder / UPLOAD, (an_hour_ago, an_hour_ago))
    nb = read(scratch / "work" / "correct" / f"{A}.ipynb")
    q6 = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "q6-upload")
    kept = [ln for ln in source(q6).splitlines() if ".to_csv(" not in ln]
    assert len(kept) < len(source(q6).splitlines()), "the Q6 answer writes the file with to_csv"
    q6["source"] = "\n".join(kept)
    write(folder / f"{A}.ipynb", nb)
    [out] = nbgrader_validate([folder / f"{A}.ipynb"], folder)
    assert out.startswith("VALIDATION FAILED"), out[-3000:]
    assert f"Файл {UPLOAD} старый" in hint_errors(out), out[-3000:]


def test_every_submission_is_well_formed() -> None:
    test_cells = {f"{q}-tests" for q in ("q1-local-time", "q2-rates", "q3-by-slot", "q4-best-hour",
                                         "q5-plan-ready", "q6-upload")}
    assert len(NAMES) == len(set(NAMES))
    for sub in SPEC["submissions"]:
        assert {"name", "mistake", "standard", "answers", "expected", "validate"} <= set(sub), sub["name"]
        assert set(sub["expected"]) <= test_cells, sub["name"]
        assert all(score == 0 for score in sub["expected"].values()), sub["name"]
    assert any(len(s["expected"]) > 1 for s in SPEC["submissions"]), "a combined typical submission"


# --- the Q7 model answer quotes true numbers ------------------------------------------------------------------


def _memo() -> str:
    nb = read(ROOT / "solutions" / A / f"{A}.ipynb")
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "q7-memo")
    return " ".join(source(cell).split())


def _ru(x: float, digits: int) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def test_model_memo_numbers_match_the_data() -> None:
    posts = datasets.load("posts")
    ig = posts[posts["account_id"] == "qc_ig"].copy()
    local = ig["published_at_utc"].dt.tz_convert("Asia/Almaty")
    ig["weekday"], ig["hour"] = local.dt.day_of_week, local.dt.hour
    ig["reach_rate"] = ig["reach"] / ig["followers"]
    weekdays = ig[ig["weekday"] < 5]
    counts = weekdays["hour"].value_counts()
    medians = weekdays.groupby("hour")["reach_rate"].median()
    reliable = medians[counts.reindex(medians.index) >= 4]
    best, habit = int(reliable.idxmax()), int(counts.idxmax())
    second = int(counts.drop(habit).idxmax())
    gain = reliable[best] / reliable[habit] - 1

    activity = datasets.load("audience_activity")
    mine = activity[(activity["account_id"] == "qc_ig") & activity["hour"].between(8, 22)]
    peaks = mine.loc[mine.groupby("weekday")["online_share"].idxmax(), "hour"]
    peak = int(peaks.iloc[0])
    on_weekdays = mine[mine["weekday"] < 5].groupby("hour")["online_share"].mean()

    memo = _memo()
    expected = [
        f"в {habit}:00 ({counts[habit]} публикаций; на втором месте {second}:00 — {counts[second]})",
        "(4 публикации и больше)",
        f"в {best}:00 — {_ru(reliable[best], 3)} против {_ru(reliable[habit], 3)} в {habit}:00",
        f"на {round(gain * 100)} % выше", f"`gain` ≈ {_ru(gain, 2)}",
        f"больше всего тоже в {peak}:00 — в каждый день недели",
        f"в {peak}:00 онлайн в среднем {round(on_weekdays[peak] * 100)} % подписчиков, а в {habit}:00 — "
        f"{round(on_weekdays[habit] * 100)} %",
        f"в {best}:00 по будням всего {counts[best]} публикации, ровно на пороге надёжности",
        f"(19:00 и 21:00, по {counts[19]} публикации) скрыты",
        # the weak anchor
        f"Лучшее время для Instagram — {best}:00: по будням медианная доля охвата там {_ru(reliable[best], 3)}, "
        f"а в {habit}:00 — {_ru(reliable[habit], 3)}",
        f"в {best}:00 всего {counts[best]} публикации, команда вечером почти не публиковала",
    ]
    assert peaks.nunique() == 1, "the memo says the peak hour is the same every day"
    assert best == peak and counts[best] == 4, "the memo says the best reliable hour is the peak, at the threshold"
    assert counts[19] == counts[21] < 4, "the memo says both neighbouring evening cells are hidden"
    for phrase in expected:
        assert phrase in memo, f"the model answer should say «{phrase}»"


def test_model_memo_filled_time_is_q5s() -> None:
    """The memo says the approved Instagram rows without a time went to the audience's peak hour."""
    plan = datasets.load("content_plan")
    activity = datasets.load("audience_activity")
    empty = plan[(plan["status"] == "утверждён") & plan["publish_time"].isna() & (plan["account_id"] == "qc_ig")]
    mine = activity[(activity["account_id"] == "qc_ig") & activity["hour"].between(8, 22)]
    best = mine.loc[mine.groupby("weekday")["online_share"].idxmax()].set_index("weekday")["hour"]
    hours = {int(best[d.weekday()]) for d in empty["publish_date"]}
    assert len(hours) == 1
    assert f"без времени мы поставили на {hours.pop()}:00 (вопрос 5)" in _memo()
