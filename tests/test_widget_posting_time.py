"""PostingTimeLab driven headless, lab_state for every account, and posting_time analysis beyond its doctests."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
import zipfile
from collections import Counter
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smmkit.analysis.posting_time import DAY_HOURS, Slot, activity_grid, plan_slots, reach_change, slot_label
from smmkit.data.universe import TIMEZONE, WEEKDAYS_RU, brand
from smmkit.widgets import PostingTimeLab, lab_state


@pytest.fixture
def lab(activity: pd.DataFrame, posts: pd.DataFrame, accounts: pd.DataFrame) -> PostingTimeLab:
    """A fresh lab, as the lesson builds it."""
    return PostingTimeLab(activity, posts, accounts)


def assert_valid_schedule(slots: list[Slot], n: int, gap: int, per_day: int | None = None) -> None:
    """Slots are distinct, in week order, in daytime hours, within the per-day limit and gap."""
    limit = per_day or math.ceil(n / 7)
    assert slots == sorted(set(slots)), "slots are unique and in week order"
    assert all(0 <= d <= 6 and h in DAY_HOURS for d, h in slots), slots
    per_weekday = Counter(d for d, _ in slots)
    assert max(per_weekday.values()) <= limit, per_weekday
    for day in per_weekday:
        hours = sorted(h for d, h in slots if d == day)
        assert all(b - a >= gap for a, b in pairwise(hours)), (day, hours)


# --- the widget ------------------------------------------------------------------------------------


_IRI_PROBE = """
import json, sys
if sys.argv[1] == "widgets":
    import smmkit.widgets
import plotly.io._renderers  # what showing the first figure or FigureWidget imports
before = "lark" in sys.modules
from jsonschema import FormatChecker
checker = FormatChecker()
cases = [("http://example.kz/кофе", "iri"), ("кофе", "iri"), ("a b", "iri-reference"), ("../меню", "iri-reference")]
answers = [checker.conforms(value, kind) for value, kind in cases]
print(json.dumps({"before": before, "after": "lark" in sys.modules, "answers": answers}))
"""


def _iri_grammar_path(tmp_path: Path) -> str | None:
    """Where the subprocesses find ``rfc3987_syntax``: installed (a kit set up with plain pip: None), or the wheel
    ``make setup`` keeps aside in ``.venv/aside`` (the venv goes without it, see the Makefile's SLOW_IMPORTS)."""
    if importlib.util.find_spec("rfc3987_syntax") is not None:
        return None
    wheels = sorted((Path(sys.prefix) / "aside").glob("rfc3987_syntax-*.whl"))
    if not wheels:
        pytest.fail("rfc3987-syntax is neither installed nor kept aside: run `make setup`")
    with zipfile.ZipFile(wheels[-1]) as wheel:
        wheel.extractall(tmp_path)
    return str(tmp_path)


@pytest.mark.skipif(importlib.util.find_spec("rfc3987"), reason="jsonschema checks IRIs with rfc3987 here")
def test_iri_grammar_loads_on_first_use(tmp_path: Path) -> None:
    """With smmkit.widgets imported, showing a figure no longer compiles jsonschema's IRI grammars (the lessons'
    slow first widget); the first IRI check compiles them and answers exactly as without smmkit."""
    extra = _iri_grammar_path(tmp_path)
    env = dict(os.environ)
    if extra:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (extra, env.get("PYTHONPATH")) if p)

    def probe(mode: str) -> dict:
        out = subprocess.run([sys.executable, "-c", _IRI_PROBE, mode], capture_output=True, text=True, check=True,
                             env=env)
        return json.loads(out.stdout)

    deferred, plain = probe("widgets"), probe("plain")
    assert plain["before"] and not deferred["before"]
    assert deferred["after"]
    assert deferred["answers"] == plain["answers"]
    assert True in plain["answers"] and False in plain["answers"]


def test_lab_starts_on_first_account(lab: PostingTimeLab, accounts: pd.DataFrame) -> None:
    """Defaults: the first account, 7 posts a week, a 3-hour gap; controls and summary are in Russian."""
    assert lab.account.value == accounts["account_id"].iloc[0]
    assert (lab.per_week.value, lab.gap.value) == (7, 3)
    assert lab.account.description == "Аккаунт:"
    assert lab.per_week.description == "Публикаций в неделю:"
    assert lab.gap.description == "Мин. интервал, ч:"
    st = lab.state
    assert len(st.slots) == 7
    assert "Расписание на неделю (7)" in lab.summary.value


@pytest.mark.parametrize(
    ("account_id", "per_week", "gap"),
    [("bo_tg", 5, 3), ("ds_ig", 7, 1), ("af_ig", 10, 2), ("jd_tg", 14, 3), ("qc_tt", 14, 6), ("ds_vk", 1, 4)],
)
def test_controls_drive_the_state(lab: PostingTimeLab, account_id: str, per_week: int, gap: int) -> None:
    """Setting the controls gives a feasible plan of exactly ``per_week`` slots under the lab's limits."""
    lab.account.value, lab.per_week.value, lab.gap.value = account_id, per_week, gap
    st = lab.state
    assert st.account_id == account_id
    assert len(st.slots) == per_week
    assert_valid_schedule(st.slots, per_week, gap)
    assert st.labels == [slot_label(s) for s in st.slots]


def test_heatmap_shows_the_chosen_account(lab: PostingTimeLab, activity: pd.DataFrame) -> None:
    """The FigureWidget's heatmap is the activity grid of the selected account; the title names it."""
    for account_id in ("bo_tg", "af_ig"):
        lab.account.value = account_id
        z = np.asarray(lab.figure.data[0].z, dtype=float)
        expected = activity_grid(activity, account_id).to_numpy(dtype=float)
        assert z.shape == (7, 24)
        np.testing.assert_allclose(z, expected)
        assert lab.figure.layout.title.text.endswith(lab.account.label)


def test_stars_mark_the_chosen_slots(lab: PostingTimeLab) -> None:
    """The star markers sit exactly on the planned slots (hour as "HH", weekday as its Russian name)."""
    lab.account.value, lab.per_week.value, lab.gap.value = "jd_ig", 10, 3
    stars = lab.figure.data[1]
    slots = lab.state.slots
    assert stars.marker.symbol == "star"
    assert list(stars.x) == [f"{h:02d}" for _, h in slots]
    assert list(stars.y) == [WEEKDAYS_RU[d] for d, _ in slots]


def test_summary_names_slots_and_signed_change(lab: PostingTimeLab) -> None:
    """The summary lists every slot label and the change as a signed whole percentage."""
    lab.account.value, lab.per_week.value, lab.gap.value = "bo_tg", 5, 3
    st = lab.state
    html = lab.summary.value
    assert "Расписание на неделю (5)" in html and "Ожидаемое изменение" in html
    for label in st.labels:
        assert label in html
    assert st.change > 0
    assert f"+{st.change:.0%}" in html


def test_summary_shows_a_loss_with_a_minus(activity: pd.DataFrame, accounts: pd.DataFrame) -> None:
    """A team that already posts at the audience peak loses reach by spreading out; the sign is a minus."""
    # Bilim Online Telegram's best cell is Sunday 20:00 local = 15:00 UTC.
    peak = pd.Series(pd.date_range("2026-01-04 15:00", periods=8, freq="7D", tz="UTC"))
    fake = pd.DataFrame({"account_id": "bo_tg", "published_at_utc": peak})
    lab = PostingTimeLab(activity, fake, accounts)
    lab.account.value, lab.per_week.value = "bo_tg", 14
    st = lab.state
    assert st.current == [(6, 20)] * 8
    assert st.change < 0
    assert f"−{abs(st.change):.0%}" in lab.summary.value


# --- lab_state -------------------------------------------------------------------------------------


@pytest.mark.parametrize("per_week", [1, 5, 7, 14])
def test_plan_never_worse_than_habit(
    activity: pd.DataFrame, posts: pd.DataFrame, accounts: pd.DataFrame, per_week: int
) -> None:
    """For every account the planned schedule's expected reach is at least the habit's."""
    for account_id in accounts["account_id"]:
        st = lab_state(activity, posts, account_id, per_week, 3)
        assert st.change >= 0, (account_id, per_week, st.change)


def test_bilim_online_telegram_gains_most(activity: pd.DataFrame, posts: pd.DataFrame) -> None:
    """Bilim Online posts in school hours: moving its Telegram to the evening more than doubles reach."""
    st = lab_state(activity, posts, "bo_tg", 5, 3)
    assert st.change > 0.5
    assert st.labels == ["Пн 20:00", "Вт 20:00", "Ср 20:00", "Чт 20:00", "Вс 20:00"]


def test_habit_is_read_in_local_time(activity: pd.DataFrame, posts: pd.DataFrame) -> None:
    """The habit has one slot per post, converted to Asia/Almaty (teams post 8–22 local, not UTC)."""
    st = lab_state(activity, posts, "ds_ig", 7, 3)
    mine = posts.loc[posts["account_id"] == "ds_ig", "published_at_utc"].dt.tz_convert(TIMEZONE)
    assert len(st.current) == len(mine)
    assert {h for _, h in st.current} <= set(DAY_HOURS)
    habit = brand("dala_style").habit_hours  # 10, 12, 14, 18 local; in UTC they would read 5, 7, 9, 13
    assert Counter(h for _, h in st.current).most_common(1)[0][0] in habit


# --- analysis.posting_time -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def grid(activity: pd.DataFrame) -> pd.DataFrame:
    """Dala Style Instagram's activity grid."""
    return activity_grid(activity, "ds_ig")


def test_activity_grid_shape_and_labels(grid: pd.DataFrame) -> None:
    """7 Russian weekdays by 24 local hours, shares between 0 and 1, no gaps."""
    assert grid.shape == (7, 24)
    assert list(grid.index) == list(WEEKDAYS_RU)
    assert list(grid.columns) == list(range(24))
    assert grid.notna().all().all() and ((grid > 0) & (grid < 1)).all().all()


def test_activity_grid_unknown_account(activity: pd.DataFrame) -> None:
    """An unknown account raises a Russian error naming it and listing the known ones."""
    with pytest.raises(ValueError, match="«xx_ig»") as err:
        activity_grid(activity, "xx_ig")
    assert "Нет данных активности" in str(err.value) and "bo_tg" in str(err.value)


def test_plan_slots_infeasible_returns_fewer(grid: pd.DataFrame) -> None:
    """Constraints that cannot hold give fewer slots, not a crash."""
    one_a_day = plan_slots(grid, 10, max_per_day=1)
    assert len(one_a_day) == 7
    assert_valid_schedule(one_a_day, 10, 3, per_day=1)
    narrow = plan_slots(grid, 20, min_gap_hours=3, hours=range(20, 22))
    assert len(narrow) == 7 and {h for _, h in narrow} == {21}


def test_plan_slots_zero_posts_raises(grid: pd.DataFrame) -> None:
    """Zero posts a week is a Russian ValueError."""
    with pytest.raises(ValueError, match="не меньше 1"):
        plan_slots(grid, 0)


def test_plan_slots_respects_explicit_limits(grid: pd.DataFrame) -> None:
    """An explicit max per day and gap hold; NaN cells are never chosen."""
    slots = plan_slots(grid, 21, min_gap_hours=4, max_per_day=3)
    assert len(slots) == 21
    assert_valid_schedule(slots, 21, 4, per_day=3)
    holes = grid.copy()
    holes.loc[:, 21] = np.nan
    assert all(h != 21 for _, h in plan_slots(holes, 7))


def test_reach_change_identical_is_zero(grid: pd.DataFrame) -> None:
    """The same schedule compared with itself changes nothing; an empty plan is a Russian error."""
    slots = plan_slots(grid, 5)
    assert reach_change(grid, slots, list(slots)) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="ни одного слота"):
        reach_change(grid, [], slots)


# --- realism of the planted effect -----------------------------------------------------------------


@pytest.mark.parametrize("account_id", ["qc_ig", "ds_ig", "af_ig", "bo_ig", "jd_ig"])
def test_time_moves_reach_not_err(activity: pd.DataFrame, posts: pd.DataFrame, account_id: str) -> None:
    """Posts at high-online times reach more followers; what those reached do (ERR) stays the same.

    Posts are split by the audience online share of their local weekday x hour: the top quartile of
    those shares against the bottom quartile. ERR is taken relative to the median of the post's rubric and
    format, which move it on purpose (see the posts datasheet).
    """
    mine = posts[posts["account_id"] == account_id]
    local = mine["published_at_utc"].dt.tz_convert(TIMEZONE)
    share = activity_grid(activity, account_id).to_numpy()[local.dt.day_of_week, local.dt.hour]
    low, high = np.quantile(share, [0.25, 0.75])
    top, bottom = share >= high, share <= low
    assert top.sum() >= 30 and bottom.sum() >= 30
    reach_rate = (mine["reach"] / mine["followers"]).to_numpy()
    interactions = mine[["likes", "comments", "shares", "saves"]].sum(axis=1)
    err = interactions / mine["reach"]
    # ERR depends on content (rubric, format: planted effects of their own), so compare it within them
    err = (err / err.groupby([mine["rubric"], mine["format"]], observed=True).transform("median")).to_numpy()
    assert np.median(reach_rate[top]) > np.median(reach_rate[bottom])
    err_gap = abs(np.median(err[top]) / np.median(err[bottom]) - 1)
    assert err_gap < 0.15, f"{account_id}: median ERR differs by {err_gap:.0%}"
