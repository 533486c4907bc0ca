"""The posting windows and rubrics of ``plan_rules.yaml`` (a04, question 8): the template's filled rows fit them,
and a time written in UTC falls outside (the UTC trap can be told apart)."""

from __future__ import annotations

from smmkit import datasets
from smmkit.profiles.calendar import dates_between
from smmkit.profiles.rules import load_plan_rules


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def _inside(account: str, minutes: int) -> bool:
    return any(_minutes(a) <= minutes <= _minutes(b) for a, b in load_plan_rules()["windows"][account])


def test_the_templates_examples_fit_the_windows_and_rubrics() -> None:
    rules = load_plan_rules()
    template = datasets.load("content_plan_template").dropna(subset=["publish_time"])
    assert len(template) == 3
    for account, time, rubric in zip(template["account_id"], template["publish_time"], template["rubric"], strict=True):
        assert _inside(str(account), _minutes(str(time))), (account, time)
        assert _minutes(str(time)) % rules["minute_step"] == 0
        assert rubric in rules["rubrics"]
    assert set(rules["windows"]) == set(rules["rhythm"])


def test_a_time_in_utc_leaves_instagram_and_tiktok_windows() -> None:
    """Every Instagram and TikTok minute of a window, written 5 hours earlier (UTC), is outside the windows."""
    for account in ("qc_ig", "qc_tt"):
        for a, b in load_plan_rules()["windows"][account]:
            assert not any(_inside(account, m - 300) for m in range(_minutes(a), _minutes(b) + 1))


def test_the_fortnight_has_a_day_off_with_posts() -> None:
    """Question 8's holiday rule bites on every account: 23 March 2026 (Наурыз, Monday: Instagram and Telegram post)
    and the days off it and 22 March moved to, 24–25 March (Tuesday: TikTok posts too)."""
    cal = dates_between("2026-03-23", "2026-04-05")
    off = sorted(set(cal.loc[cal["day_off"], "date"]))
    assert [d.strftime("%Y-%m-%d") for d in off] == ["2026-03-23", "2026-03-24", "2026-03-25"]
    rhythm = load_plan_rules()["rhythm"]
    assert [a for a in rhythm if off[0].day_of_week in rhythm[a]["weekdays"]] == ["qc_ig", "qc_tg"]
    assert {a for d in off for a in rhythm if d.day_of_week in rhythm[a]["weekdays"]} == set(rhythm)
