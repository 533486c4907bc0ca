"""Reputation: daily mentions by sentiment, negative-spike alerts without look-ahead, reply SLA, share of voice."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.analysis.reputation import (
    COLUMN_LABELS_RU,
    COMPETITORS_LABEL,
    TOTAL_LABEL,
    daily_mentions,
    negative_alerts,
    response_times,
    share_of_voice_table,
    sla_report,
)
from smmkit.analysis.sentiment import score_series

# --- daily mentions ------------------------------------------------------------------------------------------


def test_daily_mentions_hand_counted_in_almaty_days() -> None:
    stamps = pd.to_datetime(
        [
            "2026-03-01 05:00",  # 10:00 in Almaty, 1 March
            "2026-03-01 20:30",  # 01:30 in Almaty, already 2 March
            "2026-03-02 04:00",
            "2026-03-02 06:00",
            "2026-03-03 10:00",
        ],
        utc=True,
    )
    comments = pd.DataFrame(
        {"created_at": stamps, "sentiment": ["позитив", "negative", "negative", "neutral", "positive"]}
    )
    table = daily_mentions(comments)
    assert table.index.strftime("%d.%m").tolist() == ["01.03", "02.03", "03.03"]
    assert table["total"].tolist() == [1, 3, 1]
    assert table["negative"].tolist() == [0, 2, 0]
    assert table.loc["2026-03-02", "negative_share"] == pytest.approx(2 / 3)
    assert table.loc["2026-03-02", "net_sentiment"] == pytest.approx((0 - 2) / 3)
    assert table.loc["2026-03-01", "net_sentiment"] == 1.0  # (1 − 0) / 1


def test_daily_mentions_from_the_sentiment_scorer_and_weekly() -> None:
    texts = ["Очень вкусно!", "Курьер опоздал 😡", "Где заказ?", "Спасибо, всё супер"]
    comments = pd.DataFrame(
        {"created_at": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-10"])}
    ).join(score_series(texts)["label"].rename("sentiment"))
    weekly = daily_mentions(comments, freq="W")
    assert weekly["total"].tolist() == [3, 1]
    assert weekly[["positive", "negative", "neutral"]].iloc[0].tolist() == [1, 1, 1]
    assert set(weekly.rename(columns=COLUMN_LABELS_RU).columns) >= {"всего", "доля негатива", "чистая тональность"}


def test_daily_mentions_errors() -> None:
    comments = pd.DataFrame({"created_at": pd.to_datetime(["2026-03-02"]), "sentiment": ["злой"]})
    with pytest.raises(ValueError, match="«sentiment»: неизвестные метки злой"):
        daily_mentions(comments)
    with pytest.raises(ValueError, match="нет столбца «label»"):
        daily_mentions(comments, label="label")
    with pytest.raises(ValueError, match="«freq»"):
        daily_mentions(comments.assign(sentiment="positive"), freq="каждый день")


# --- alerts ----------------------------------------------------------------------------------------------------


def _with_spike(day: int = 20, height: float = 15) -> pd.Series:
    base = [2, 3, 1, 2, 4, 2, 3, 2, 1, 3, 2, 2, 3, 4, 2, 1, 3, 2, 2, 3, 2, 3, 2, 2, 3]
    values = pd.Series(base, index=pd.date_range("2026-02-01", periods=len(base), freq="D"), dtype=float)
    values.iloc[day] = height
    return values


@pytest.mark.parametrize("method", ["ewma", "sigma"])
def test_alert_fires_on_the_planted_spike_and_not_before(method: str) -> None:
    alerts = negative_alerts(_with_spike(day=20), method=method)
    fired = alerts.index[alerts["alert"]]
    assert fired.tolist() == [pd.Timestamp("2026-02-21")]  # day 20 of the series
    assert not alerts["alert"].iloc[:20].any()
    assert alerts["limit"].iloc[:7].isna().all()  # fewer than min_periods = 7 past days: no limit yet


def test_no_look_ahead_the_spike_does_not_move_earlier_limits() -> None:
    calm = negative_alerts(_with_spike(day=20, height=2))
    spiky = negative_alerts(_with_spike(day=20, height=50))
    pd.testing.assert_series_equal(calm["limit"].iloc[:21], spiky["limit"].iloc[:21])  # limit of day 20 too
    assert spiky["limit"].iloc[21] > calm["limit"].iloc[21]  # the spike enters the baseline only afterwards


def test_sigma_limit_hand_computed() -> None:
    values = pd.Series([1, 2, 3, 4, 5, 6, 7, 20], dtype=float)
    alerts = negative_alerts(values, method="sigma", span=7, k=3.0, min_periods=7)
    # past 7 days 1..7: mean 4, sample σ = √(Σ(x−4)²/6) = √(28/6) ≈ 2.1602 → limit = 4 + 3·2.1602 = 10.4807
    assert alerts["center"].iloc[7] == 4.0
    assert alerts["limit"].iloc[7] == pytest.approx(4 + 3 * np.sqrt(28 / 6))
    assert alerts["alert"].tolist() == [False] * 7 + [True]


def test_ewma_limit_hand_computed() -> None:
    values = pd.Series([2.0, 4.0, 9.0])
    alerts = negative_alerts(values, span=3, k=1.0, min_periods=2)
    # span 3 → α = 2/(3+1) = 0.5; day 2 is judged by days 0–1 = [2, 4] with weights (1−α, 1) = (0.5, 1):
    # mean = (0.5·2 + 1·4) / 1.5 = 10/3; biased variance = (0.5·(2 − 10/3)² + (4 − 10/3)²) / 1.5 = 8/9;
    # pandas' bias correction (Σw)² / ((Σw)² − Σw²) = 2.25 / (2.25 − 1.25) = 2.25 → variance 2, σ = √2.
    assert alerts["center"].iloc[2] == pytest.approx(10 / 3)
    assert alerts["limit"].iloc[2] == pytest.approx(10 / 3 + np.sqrt(2))  # k = 1
    assert alerts["alert"].iloc[2]


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.integers(0, 40), min_size=3, max_size=40),
    cut=st.integers(1, 39),
    method=st.sampled_from(["ewma", "sigma"]),
)
def test_alerts_use_only_the_past(values: list[int], cut: int, method: str) -> None:
    series = pd.Series(values, dtype=float)
    cut = min(cut, len(values))
    full = negative_alerts(series, method=method, span=5, min_periods=3)
    head = negative_alerts(series.iloc[:cut], method=method, span=5, min_periods=3)
    pd.testing.assert_frame_equal(full.iloc[:cut], head)


def test_alerts_read_a_daily_table_and_check_arguments() -> None:
    table = pd.DataFrame({"negative": _with_spike()})
    assert negative_alerts(table)["alert"].sum() == 1
    with pytest.raises(ValueError, match="«method»"):
        negative_alerts(_with_spike(), method="cusum")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="«span»"):
        negative_alerts(_with_spike(), span=1)
    with pytest.raises(ValueError, match="«min_periods»"):
        negative_alerts(_with_spike(), min_periods=1)
    with pytest.raises(ValueError, match="«k»"):
        negative_alerts(_with_spike(), k=-1)
    with pytest.raises(ValueError, match="«series»"):
        negative_alerts(pd.Series(["a", "b"]))


# --- reply times and SLA -----------------------------------------------------------------------------------------


def _comments() -> pd.DataFrame:
    created = pd.to_datetime(["2026-03-02 10:00"] * 5 + ["2026-03-02 12:00"] * 2)
    replied = pd.to_datetime(
        [
            "2026-03-02 10:30",  # 0.5 h
            "2026-03-02 11:30",  # 1.5 h
            "2026-03-02 12:00",  # 2 h: exactly the SLA, counts as in time
            "2026-03-02 13:00",  # 3 h
            None,  # never answered
            "2026-03-02 12:15",  # 0.25 h
            None,
        ]
    )
    platform = ["Instagram"] * 5 + ["Telegram"] * 2
    return pd.DataFrame({"created_at": created, "replied_at": replied, "platform": platform})


def test_response_times_in_hours() -> None:
    hours = response_times(_comments())
    assert hours.iloc[:4].tolist() == [0.5, 1.5, 2.0, 3.0]
    assert hours.isna().tolist() == [False, False, False, False, True, False, True]


def test_sla_report_hand_computed() -> None:
    total = sla_report(_comments(), sla_hours=2).loc[TOTAL_LABEL]
    # 7 comments, 5 answered; in time (≤ 2 h): 0.5, 1.5, 2, 0.25 → 4 of 7
    assert (total["comments"], total["answered"], total["unanswered"], total["within_sla"]) == (7, 5, 2, 4)
    assert total["within_sla_share"] == pytest.approx(4 / 7)
    assert total["median_hours"] == 1.5  # of 0.25, 0.5, 1.5, 2, 3
    assert total["p90_hours"] == pytest.approx(2.6)  # position 0.9·4 = 3.6 → 2 + 0.6·(3 − 2)


def test_sla_report_by_platform() -> None:
    table = sla_report(_comments(), sla_hours=2, by="platform")
    ig, tg = table.loc["Instagram"], table.loc["Telegram"]
    assert (ig["comments"], ig["unanswered"], ig["within_sla"]) == (5, 1, 3)
    assert ig["within_sla_share"] == 0.6  # 3 / 5
    assert ig["median_hours"] == 1.75  # of 0.5, 1.5, 2, 3
    assert ig["p90_hours"] == pytest.approx(2.7)  # position 0.9·3 = 2.7 → 2 + 0.7·(3 − 2)
    assert (tg["comments"], tg["answered"], tg["within_sla_share"]) == (2, 1, 0.5)


def test_sla_errors_in_russian() -> None:
    early = _comments().assign(replied_at=pd.to_datetime(["2026-03-02 09:00"] * 7))
    with pytest.raises(ValueError, match="«replied_at»: в 7 строках ответ раньше комментария"):
        response_times(early)
    with pytest.raises(ValueError, match="«sla_hours»"):
        sla_report(_comments(), sla_hours=0)
    with pytest.raises(ValueError, match="нет столбца «replied_at»"):
        sla_report(_comments().drop(columns="replied_at"))


def test_naive_stamps_are_almaty_time() -> None:
    utc_replies = _comments().assign(replied_at=lambda df: df["replied_at"].dt.tz_localize("UTC"))
    assert response_times(utc_replies).iloc[0] == 5.5  # 10:30 UTC = 15:30 in Almaty (UTC+5), comment at 10:00


# --- share of voice -------------------------------------------------------------------------------------------


def test_share_of_voice_table() -> None:
    mentions = pd.DataFrame({"brand": ["Qazaq Coffee"] * 6 + ["Kofe Bar"] * 3 + ["Latte Lab"] * 1})
    table = share_of_voice_table(mentions)
    assert table.index.tolist() == ["Qazaq Coffee", "Kofe Bar", "Latte Lab"]
    assert table["share"].tolist() == pytest.approx([0.6, 0.3, 0.1])  # 6/10, 3/10, 1/10
    mine = share_of_voice_table(mentions, brand="Kofe Bar")
    assert mine.index.tolist() == ["Kofe Bar", COMPETITORS_LABEL]
    assert mine["mentions"].tolist() == [3, 7]
    assert mine.loc["Kofe Bar", "share"] == pytest.approx(0.3)  # 3 / (3 + 7)
    with pytest.raises(ValueError, match="«brand»: бренда «Starbucks» нет"):
        share_of_voice_table(mentions, brand="Starbucks")
