"""Bot heuristics: every rule on crafted rows, scores, flags against labels, channel anomalies, Russian errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.analysis.bots import (
    BOT_RULES,
    TIERS,
    BotRule,
    Evaluation,
    bot_scores,
    channel_anomalies,
    evaluate,
    flag_bots,
    rules_table,
    tier_of,
)

HUMAN = {
    "followers": 300,
    "following": 280,
    "posts": 54,
    "has_avatar": True,
    "account_age_days": 900,
    "username": "dana.art",
    "comments_duplicate_share": 0.05,
    "bursty_activity": False,
}
"""A real-looking account: no rule fires."""

TOTAL_WEIGHT = sum(rule.weight for rule in BOT_RULES)  # 2 + 1 + 1 + 1 + 1 + 1 + 2 + 1 = 10


def accounts(*changes: dict) -> pd.DataFrame:
    """One row per change, each a copy of HUMAN with the change applied."""
    return pd.DataFrame([{**HUMAN, **change} for change in changes])


def is_true(verdict: object) -> bool:
    """A rule verdict that is True (not False, not <NA>)."""
    return verdict is not pd.NA and bool(verdict)


def fired(scores: pd.DataFrame, row: int = 0) -> set[str]:
    return {rule.name for rule in BOT_RULES if is_true(scores.loc[row, rule.name])}


def test_rule_set_is_data() -> None:
    assert TOTAL_WEIGHT == 10
    table = rules_table()
    assert list(table.columns) == ["Правило", "Описание", "Вес"]
    assert table["Правило"].tolist() == [rule.name for rule in BOT_RULES]
    assert all(any("а" <= ch <= "я" for ch in text.lower()) for text in table["Описание"])  # Russian


def test_human_account_scores_zero() -> None:
    scores = bot_scores(accounts({}))
    assert scores.loc[0, "score"] == 0.0
    assert fired(scores) == set()
    assert flag_bots(accounts({})).tolist() == [False]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"following": 3001}, {"follow_ratio"}),  # 3001 > 10·300
        ({"following": 12_001}, {"follow_ratio", "mass_following"}),  # 12001 > 40·300
        ({"followers": 0, "following": 1}, {"follow_ratio", "mass_following"}),  # 1 > 0
        ({"has_avatar": False}, {"no_avatar"}),
        ({"has_avatar": 0}, {"no_avatar"}),
        ({"posts": 2}, {"few_posts"}),
        ({"account_age_days": 29}, {"young_account"}),
        ({"username": "dana1234"}, {"digits_in_username"}),
        ({"username": "d1a2n3a4"}, {"digits_in_username"}),
        ({"comments_duplicate_share": 0.6}, {"duplicate_comments"}),
        ({"bursty_activity": True}, {"bursty_activity"}),
    ],
)
def test_each_rule_fires_on_its_row(change: dict, expected: set[str]) -> None:
    scores = bot_scores(accounts(change))
    assert fired(scores) == expected
    # score = Σ weights of the fired rules / 10, e.g. follow_ratio alone: 2/10 = 0.2
    weight = sum(rule.weight for rule in BOT_RULES if rule.name in expected)
    assert scores.loc[0, "score"] == pytest.approx(weight / TOTAL_WEIGHT)


@pytest.mark.parametrize(
    "change",
    [
        {"following": 3000},  # ratio exactly 10
        {"followers": 0, "following": 0},
        {"posts": 3},
        {"account_age_days": 30},
        {"username": "dana123"},
        {"comments_duplicate_share": 0.5},
    ],
)
def test_rules_stay_silent_at_their_thresholds(change: dict) -> None:
    assert fired(bot_scores(accounts(change))) == set()


def test_absent_or_empty_columns_are_not_evidence() -> None:
    bare = accounts({"has_avatar": False}).drop(columns=["comments_duplicate_share", "bursty_activity"])
    scores = bot_scores(bare)
    assert scores["duplicate_comments"].isna().all() and scores["bursty_activity"].isna().all()
    assert scores.loc[0, "score"] == pytest.approx(1 / 7)  # no_avatar 1 of the 7 applicable
    holes = bot_scores(accounts({"posts": None, "has_avatar": False}))
    assert holes["few_posts"].isna().all()
    assert holes.loc[0, "score"] == pytest.approx(1 / 9)  # few_posts (weight 1) drops out of 10


def test_typical_bot_is_flagged() -> None:
    bot = {
        "followers": 12,
        "following": 900,
        "posts": 0,
        "has_avatar": False,
        "account_age_days": 5,
        "username": "user738201",
        "comments_duplicate_share": 0.9,
        "bursty_activity": True,
    }
    assert bot_scores(accounts(bot)).loc[0, "score"] == 1.0
    assert flag_bots(accounts(bot, {})).tolist() == [True, False]


def test_threshold_and_custom_rules() -> None:
    young = accounts({"account_age_days": 3, "has_avatar": False})  # 2 of 10
    assert flag_bots(young, threshold=0.2).tolist() == [True]
    assert flag_bots(young, threshold=0.21).tolist() == [False]
    rules = [BotRule("no_bio", "Пустое описание профиля", lambda a: a["bio"].str.len() == 0, 1.0, ("bio",))]
    scores = bot_scores(young.assign(bio=[""]), rules)
    assert list(scores.columns) == ["score", "no_bio"] and scores.loc[0, "score"] == 1.0


def test_precision_and_recall_on_a_crafted_table() -> None:
    bot = {"followers": 5, "following": 700, "posts": 1, "has_avatar": False, "username": "kz_user9931"}
    shy_human = {"posts": 1, "has_avatar": False, "account_age_days": 10, "bursty_activity": True}  # 4/10: not flagged
    newcomer = {"posts": 0, "has_avatar": False, "account_age_days": 2, "username": "asel2005", "following": 3100}
    table = accounts(bot, bot, {}, shy_human, newcomer, {"bursty_activity": True})
    labels = pd.Series([True, True, False, True, False, False])
    flags = flag_bots(table)
    assert flags.tolist() == [True, True, False, False, True, False]
    # TP = 2 (rows 0, 1), FP = 1 (row 4), FN = 1 (row 3), TN = 2.
    # precision = 2/3, recall = 2/3, F1 = 2·(2/3)(2/3)/(4/3) = 2/3.
    result = evaluate(flags, labels)
    assert isinstance(result, Evaluation)
    assert (result.tp, result.fp, result.fn, result.tn) == (2, 1, 1, 2)
    assert (result.precision, result.recall, result.f1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))


def test_evaluate_aligns_series_and_gives_nan_without_positives() -> None:
    flags = pd.Series([True, False, False], index=["a", "b", "c"])
    labels = pd.Series([0, 0, 1], index=["c", "b", "a"])  # a is a bot, flagged: TP = 1, TN = 2
    assert evaluate(flags, labels) == Evaluation(1.0, 1.0, 1.0, 1, 0, 0, 2)
    nothing = evaluate([False, False], [False, False])
    assert math.isnan(nothing.precision) and math.isnan(nothing.recall)
    assert (nothing.tn, nothing.tp) == (2, 0)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "followers": st.integers(0, 10_000),
                "following": st.integers(0, 10_000),
                "posts": st.one_of(st.none(), st.integers(0, 20)),
                "has_avatar": st.booleans(),
                "account_age_days": st.integers(0, 100),
                "username": st.text("ab12345", min_size=1, max_size=8),
                "comments_duplicate_share": st.one_of(st.none(), st.floats(0, 1)),
            }
        ),
        min_size=1,
        max_size=10,
    )
)
def test_score_is_the_weighted_share_of_applicable_rules(rows: list[dict]) -> None:
    table = pd.DataFrame(rows)
    scores = bot_scores(table)
    assert scores["score"].between(0, 1).all()
    for i in range(len(table)):
        got = {rule.name: scores.loc[i, rule.name] for rule in BOT_RULES}
        applicable = sum(rule.weight for rule in BOT_RULES if got[rule.name] is not pd.NA)
        hit = sum(rule.weight for rule in BOT_RULES if is_true(got[rule.name]))
        assert scores.loc[i, "score"] == pytest.approx(hit / applicable)


# --------------------------------------------------------------------------- channels


def test_tiers_by_subscribers() -> None:
    counts = [0, 9_999, 10_000, 49_999, 50_000, 499_999, 500_000, 999_999, 1_000_000]
    expected = ["нано", "нано", "микро", "микро", "средний", "средний", "макро", "макро", "мега"]
    assert tier_of(pd.Series(counts)).tolist() == expected
    assert [t.er_norm for t in TIERS] == [0.048, 0.024, 0.018, 0.015, 0.012]


def test_channel_anomalies_by_hand() -> None:
    channels = pd.DataFrame(
        {
            "subscribers": [500_000, 500_000, 20_000, 20_000, 20_000, 20_000, 0],
            "avg_interactions": [500, 2_000, 15, 30, 600, 600, 0],
            "avg_views": [60_000, 60_000, 4_000, 4_000, 1_500, 25_000, 0],
            "platform": ["instagram", "instagram", "telegram", "telegram", "instagram", "telegram", "telegram"],
        }
    )
    out = channel_anomalies(channels)
    # ER = interactions / subscribers: 0.1 %, 0.4 %, 0.075 %, 0.15 %, 3 %, 3 %, NaN.
    assert out["er"].iloc[:6].tolist() == pytest.approx([0.001, 0.004, 0.00075, 0.0015, 0.03, 0.03])
    # low ER: below 0.2 × norm — macro 0.2·1.5 % = 0.3 %; Telegram 0.2·0.5 % = 0.1 %; micro 0.2·2.4 % = 0.48 %.
    assert out["low_er"].tolist() == [True, False, True, False, False, False, False]
    # ERR = views / subscribers: 12 %, 12 %, 20 %, 20 %, 7.5 % (< 10 %), 125 % (> 100 %), NaN.
    assert out["low_err"].tolist() == [False, False, False, False, True, False, False]
    assert out["high_err"].tolist() == [False, False, False, False, False, True, False]
    assert out["suspicious"].tolist() == [True, False, True, False, True, True, False]
    assert "ниже 20% нормы уровня «макро» (1.5%)" in out.loc[0, "reasons"]
    assert "ERR 7.5% ниже 10%" in out.loc[4, "reasons"]
    assert "просмотров больше, чем подписчиков" in out.loc[5, "reasons"]
    assert out.loc[1, "reasons"] == ""


def test_channels_without_views_are_checked_by_er_only() -> None:
    out = channel_anomalies(pd.DataFrame({"subscribers": [800_000], "avg_interactions": [700]}))
    assert out.loc[0, "tier"] == "макро" and bool(out.loc[0, "low_er"])  # 0.0875 % < 0.3 %
    assert np.isnan(out.loc[0, "err"]) and not out.loc[0, "low_err"]


# --------------------------------------------------------------------------- Russian errors


def test_account_errors_name_the_column() -> None:
    with pytest.raises(ValueError, match="нет столбца «username»"):
        bot_scores(accounts({}).drop(columns="username"))
    with pytest.raises(ValueError, match="«followers» не может содержать отрицательные"):
        bot_scores(accounts({"followers": -1}))
    with pytest.raises(ValueError, match="«posts» должен содержать числа"):
        bot_scores(accounts({"posts": "много"}))
    with pytest.raises(ValueError, match="«has_avatar»"):
        bot_scores(accounts({"has_avatar": 2}))
    with pytest.raises(ValueError, match="«comments_duplicate_share»"):
        bot_scores(accounts({"comments_duplicate_share": 1.5}))
    with pytest.raises(ValueError, match="«accounts»"):
        bot_scores([HUMAN])
    with pytest.raises(ValueError, match="нет столбца «bio»"):
        bot_scores(accounts({}), [BotRule("no_bio", "Пустое описание", lambda a: a["bio"] == "", 1.0, ("bio",))])
    with pytest.raises(ValueError, match="«rules»"):
        bot_scores(accounts({}), [BOT_RULES[0], BOT_RULES[0]])
    with pytest.raises(ValueError, match="«threshold»"):
        flag_bots(accounts({}), threshold=1.5)


def test_evaluate_errors_name_the_argument() -> None:
    with pytest.raises(ValueError, match="«flags» и «labels» разной длины: 2 и 3"):
        evaluate([True, False], [True, False, True])
    with pytest.raises(ValueError, match="«labels»"):
        evaluate([True, False], [1, 2])
    with pytest.raises(ValueError, match="«flags»"):
        evaluate(["да", "нет"], [1, 0])
    with pytest.raises(ValueError, match="разным аккаунтам"):
        evaluate(pd.Series([True], index=["a"]), pd.Series([True], index=["b"]))


def test_channel_errors_name_the_column() -> None:
    with pytest.raises(ValueError, match="нет столбца «avg_interactions»"):
        channel_anomalies(pd.DataFrame({"subscribers": [100]}))
    with pytest.raises(ValueError, match="«subscribers» не может содержать отрицательные"):
        channel_anomalies(pd.DataFrame({"subscribers": [-1], "avg_interactions": [1]}))
    with pytest.raises(ValueError, match="«avg_views» должен содержать числа"):
        channel_anomalies(pd.DataFrame({"subscribers": [1], "avg_interactions": [1], "avg_views": [None]}))
    with pytest.raises(ValueError, match="«low_er_factor»"):
        channel_anomalies(pd.DataFrame({"subscribers": [1], "avg_interactions": [1]}), low_er_factor=0)
    with pytest.raises(ValueError, match="«min_err» и «max_err»"):
        channel_anomalies(pd.DataFrame({"subscribers": [1], "avg_interactions": [1]}), min_err=2.0)
