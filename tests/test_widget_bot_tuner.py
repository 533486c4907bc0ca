"""BotRuleTuner driven headless: its figures equal smmkit.analysis.bots' own, controls drive state, class changes."""

from __future__ import annotations

import math
from dataclasses import astuple, replace

import numpy as np
import pandas as pd
import pytest

from smmkit import datasets
from smmkit.analysis.bots import BOT_RULES, Evaluation, bot_scores, evaluate, flag_bots, rules_table
from smmkit.widgets import BotRuleTuner
from smmkit.widgets.bot_tuner import ALL, Thresholds, TunerModel, precision_recall, tuned_rules


def same(ours: Evaluation, theirs: Evaluation) -> bool:
    """Equal counts and equal rates up to floating-point rounding (F1 is computed in another order)."""
    return astuple(ours)[3:] == astuple(theirs)[3:] and astuple(ours)[:3] == pytest.approx(astuple(theirs)[:3],
                                                                                             nan_ok=True)


@pytest.fixture(scope="module")
def followers() -> pd.DataFrame:
    return datasets.load("followers_audit")


@pytest.fixture(scope="module")
def model(followers: pd.DataFrame) -> TunerModel:
    return TunerModel(followers)


@pytest.fixture
def lab(followers: pd.DataFrame) -> BotRuleTuner:
    return BotRuleTuner(followers)


def test_default_rules_are_the_course_rules(followers: pd.DataFrame) -> None:
    """With the default thresholds the tuned rules flag exactly what BOT_RULES flag."""
    rules = tuned_rules()
    assert [(r.name, r.weight, r.columns) for r in rules] == [(r.name, r.weight, r.columns) for r in BOT_RULES]
    sample = followers.sample(3_000, random_state=1)
    pd.testing.assert_frame_equal(bot_scores(sample, rules), bot_scores(sample))
    assert rules_table(rules)["Описание"].str.contains("[а-я]").all()


@pytest.mark.parametrize(
    "thresholds",
    [
        Thresholds(),
        Thresholds(young_days=120),
        Thresholds(username_digits=2, min_posts=5),
        Thresholds(follow_ratio=3, spam_follow_ratio=20, duplicate_share=0.2),
        Thresholds(follow_ratio=40, spam_follow_ratio=100, min_posts=0, young_days=0, username_digits=8,
                   duplicate_share=0.95),
    ],
)
@pytest.mark.parametrize("score_threshold", [0.3, 0.5, 0.7])
def test_lab_figures_equal_bots_module(
    followers: pd.DataFrame, model: TunerModel, thresholds: Thresholds, score_threshold: float
) -> None:
    """Scores, flags and precision / recall of the lab equal bot_scores / flag_bots / evaluate with tuned rules."""
    rules = tuned_rules(thresholds)
    st = model.state(ALL, thresholds, score_threshold)
    np.testing.assert_allclose(st.scores.to_numpy(), bot_scores(followers, rules)["score"].to_numpy())
    flags = flag_bots(followers, score_threshold, rules)
    assert (st.flags.to_numpy() == flags.to_numpy()).all()
    assert same(st.quality, evaluate(flags, followers["is_bot"]))


def test_one_account_is_its_rows_only(followers: pd.DataFrame, model: TunerModel) -> None:
    """Choosing af_ig evaluates its 16 840 followers only; the datasheet's figures hold (0.897 / 0.771)."""
    st = model.state("af_ig")
    mine = followers[followers["account_id"] == "af_ig"]
    assert len(st.flags) == len(mine) == 16_840
    assert same(st.quality, evaluate(flag_bots(mine), mine["is_bot"]))
    assert (round(st.quality.precision, 3), round(st.quality.recall, 3)) == (0.897, 0.771)


def test_wave_is_the_bought_followers_day(model: TunerModel) -> None:
    """The busiest day is 15.11.2025 with 3 006 follows, 1 503 of them bots (datasheet, planted effect 1); the usual
    day counts the days without follows as zeros (datasheet, planted effect 3)."""
    wave = model.state("af_ig").wave
    assert (str(wave.day), wave.follows, wave.bots, wave.median_day) == ("2025-11-15", 3006, 1503, 7)
    assert wave.flagged == wave.quality.tp + wave.quality.fp
    assert round(wave.quality.recall, 3) == 0.772  # «пойманы на 77,2 %»
    assert wave.is_wave
    for account in ("ds_ig", "bo_ig"):  # no bought wave: the busiest day is an ordinary one
        assert not model.state(account).wave.is_wave


def test_summary_says_when_there_is_no_wave(lab: BotRuleTuner) -> None:
    lab.account.value = "bo_ig"
    assert "Волны подписок не видно" in lab.summary.value


def test_daily_chart_counts_every_follow_in_the_window(model: TunerModel) -> None:
    """The daily table covers 181 days, flagged ≤ follows each day, and its sums match the window's rows."""
    st = model.state("af_ig")
    assert len(st.daily) == 181
    assert (st.daily["flagged"] <= st.daily["follows"]).all() and (st.daily["bots"] <= st.daily["follows"]).all()
    assert st.daily["follows"].max() == 3006


def test_precision_recall_matches_evaluate_with_nan() -> None:
    """Without flags precision is NaN, exactly as evaluate gives it."""
    flags, labels = np.array([False, False, False]), np.array([True, False, False])
    ours, theirs = precision_recall(flags, labels), evaluate(flags, labels)
    assert math.isnan(ours.precision) and math.isnan(theirs.precision)
    assert (ours.recall, ours.tp, ours.fn, ours.tn) == (theirs.recall, theirs.tp, theirs.fn, theirs.tn) == (0, 0, 1, 2)


# --- the widget ------------------------------------------------------------------------------------


def test_lab_starts_on_astana_fit_with_default_thresholds(lab: BotRuleTuner) -> None:
    assert lab.account.value == "af_ig" and lab.account.description == "Аккаунт:"
    assert lab.thresholds == Thresholds() and lab.score_threshold.value == 0.5
    assert "Помечено ботами:</b> 2228 аккаунтов из 16840 (13.2%)" in lab.summary.value
    assert "Волна подписок:</b> 15.11.2025 — 3006 подписок" in lab.summary.value
    assert "Передвиньте порог" in lab.changes.value


def test_controls_drive_the_state(lab: BotRuleTuner, model: TunerModel) -> None:
    """Each slider is one field of Thresholds; the summary shows the state of the current values."""
    lab.young_days.value, lab.username_digits.value, lab.score_threshold.value = 120, 5, 0.4
    expected = Thresholds(young_days=120, username_digits=5)
    assert lab.thresholds == expected
    q = model.state("af_ig", expected, 0.4).quality
    assert lab.state.quality == q
    assert f"TP {q.tp}, FP {q.fp}" in lab.summary.value
    assert lab.settings()["young_days"] == 120 and lab.settings()["score_threshold"] == 0.4
    assert "Аккаунту меньше 120 дней" in lab.rules()["Описание"].tolist()


def test_class_changes_are_listed(lab: BotRuleTuner, followers: pd.DataFrame) -> None:
    """Raising «young account» to 120 days flags 46 more af_ig followers, all of them bots of the bought wave."""
    lab.young_days.value = 120
    assert "стали ботами 46 (из них настоящих ботов 46), перестали быть ботами 0" in lab.changes.value
    assert lab.changes.value.count("<tr>") == 1 + 8  # header + at most 8 accounts
    lab.young_days.value = 30
    assert "стали ботами 0 (из них настоящих ботов 0), перестали быть ботами 46" in lab.changes.value


def test_figure_stacks_flagged_and_the_rest(lab: BotRuleTuner) -> None:
    """Two stacked bar traces: flagged + not flagged = all follows of the day; the title names the account."""
    st = lab.state
    flagged, rest = (np.asarray(t.y) for t in lab.figure.data)
    assert (flagged + rest == st.daily["follows"].to_numpy()).all()
    lab.account.value = "ds_ig"
    assert lab.figure.layout.title.text.endswith("ds_ig")
    assert int(np.asarray(lab.figure.data[0].y).sum()) == int(lab.state.daily["flagged"].sum())


def test_errors_are_russian(followers: pd.DataFrame, model: TunerModel) -> None:
    with pytest.raises(ValueError, match="нет столбца «is_bot»"):
        TunerModel(followers.drop(columns="is_bot"))
    with pytest.raises(ValueError, match="«account»"):
        model.state("xx_ig")
    with pytest.raises(ValueError, match="«score_threshold»"):
        model.state(ALL, Thresholds(), 1.5)
    with pytest.raises(ValueError, match="«followers»"):
        TunerModel([1, 2])  # type: ignore[arg-type]


def test_thresholds_replace_only_numbers() -> None:
    """tuned_rules keeps the yes/no rules as they are."""
    rules = {r.name: r for r in tuned_rules(replace(Thresholds(), min_posts=7))}
    original = {r.name: r for r in BOT_RULES}
    assert rules["no_avatar"] is original["no_avatar"] and rules["bursty_activity"] is original["bursty_activity"]
    assert rules["few_posts"].description == "Меньше 7 публикаций"
