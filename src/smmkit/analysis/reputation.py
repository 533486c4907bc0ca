"""Reputation dashboard: daily mentions by sentiment, alerts on negative spikes, reply times (SLA), share of voice.

Column contract of a comments / mentions table (one row per comment or mention):

* ``created_at`` — when it was written (datetime; tz-aware stamps are grouped by local days in Asia/Almaty);
* ``sentiment`` — "positive" / "negative" / "neutral" (Russian «позитив» / «негатив» / «нейтрально» also work),
  e.g. the ``label`` column of :func:`smmkit.analysis.sentiment.score_series`;
* ``replied_at`` — when the brand answered (NaT if it has not), for :func:`response_times` and :func:`sla_report`;
* ``brand`` — whose mention it is, for :func:`share_of_voice_table`.

Column names are arguments, so other names work too. Returned tables use English column names for code;
:data:`COLUMN_LABELS_RU` renames them for display: ``table.rename(columns=COLUMN_LABELS_RU)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from smmkit import metrics
from smmkit.analysis.sentiment import LABELS, normalize_labels
from smmkit.data.universe import TIMEZONE

COMMENT_COLUMNS: tuple[str, ...] = ("created_at", "sentiment", "replied_at", "brand")
"""Default column names of a comments table (each function needs only some of them)."""

ALERT_METHODS: tuple[str, ...] = ("ewma", "sigma")
"""Control limits of :func:`negative_alerts`: exponentially weighted, or a trailing window's mean + k·σ."""

TOTAL_LABEL = "всего"
"""Row label of the whole table in :func:`sla_report` without ``by``."""

COMPETITORS_LABEL = "конкуренты"
"""Row label of all other brands together in :func:`share_of_voice_table` with ``brand``."""

COLUMN_LABELS_RU: dict[str, str] = {
    "total": "всего",
    "positive": "позитив",
    "negative": "негатив",
    "neutral": "нейтрально",
    "negative_share": "доля негатива",
    "net_sentiment": "чистая тональность",
    "value": "значение",
    "center": "средний уровень",
    "limit": "граница",
    "alert": "тревога",
    "comments": "комментариев",
    "answered": "с ответом",
    "unanswered": "без ответа",
    "within_sla": "в срок",
    "within_sla_share": "доля в срок",
    "median_hours": "медиана, ч",
    "p90_hours": "90-й перцентиль, ч",
    "mentions": "упоминаний",
    "share": "доля голоса",
}
"""Russian display names of the columns the functions of this module return."""


def _require(frame: pd.DataFrame, columns: Sequence[str], argument: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"Аргумент «{argument}» должен быть таблицей (DataFrame).")
    for column in columns:
        if column not in frame.columns:
            raise ValueError(f"В таблице «{argument}» нет столбца «{column}».")


def _timestamps(values: pd.Series, column: str, tz: str | None = TIMEZONE) -> pd.Series:
    """A column as datetimes; tz-aware stamps are converted to ``tz`` and made naive (local wall time)."""
    try:
        stamps = pd.to_datetime(values)
    except (TypeError, ValueError):
        raise ValueError(f"Столбец «{column}» должен содержать дату и время.") from None
    if getattr(stamps.dt, "tz", None) is not None and tz is not None:
        stamps = stamps.dt.tz_convert(tz).dt.tz_localize(None)
    return stamps


def daily_mentions(
    comments: pd.DataFrame, ts: str = "created_at", label: str = "sentiment", freq: str = "D", tz: str = TIMEZONE
) -> pd.DataFrame:
    """Mentions per period: total, positive, negative, neutral, negative share = negative / total and
    net sentiment = (positive − negative) / total (:func:`smmkit.metrics.net_sentiment`).

    Periods with no mentions are kept (zeros, and NaN shares). Tz-aware stamps are counted by local days of ``tz``.

    >>> df = pd.DataFrame({"created_at": pd.to_datetime(["2026-03-02 10:00", "2026-03-02 18:00", "2026-03-04 09:00"]),
    ...                    "sentiment": ["positive", "negative", "negative"]})
    >>> daily_mentions(df)[["total", "negative", "negative_share", "net_sentiment"]]  # doctest: +NORMALIZE_WHITESPACE
                total  negative  negative_share  net_sentiment
    date
    2026-03-02      2         1             0.5            0.0
    2026-03-03      0         0             NaN            NaN
    2026-03-04      1         1             1.0           -1.0
    """
    _require(comments, [ts, label], "comments")
    stamps = _timestamps(comments[ts], ts, tz)
    if stamps.isna().any():
        raise ValueError(f"Столбец «{ts}»: у {int(stamps.isna().sum())} строк нет даты.")
    labels = normalize_labels(comments[label], label)
    flags = pd.DataFrame({name: (labels == name).to_numpy() for name in LABELS}, index=pd.DatetimeIndex(stamps))
    try:
        counts = flags.astype(int).resample(freq).sum()
    except ValueError:
        raise ValueError(f"Аргумент «freq»: неизвестная частота «{freq}» (например, «D», «W», «MS»).") from None
    counts.insert(0, "total", counts.sum(axis=1))
    counts["negative_share"] = counts["negative"] / counts["total"].where(counts["total"] > 0)
    counts["net_sentiment"] = metrics.net_sentiment(counts["positive"], counts["negative"], counts["total"])
    counts.index.name = "date"
    return counts


def _control_limits(values: pd.Series, method: str, span: int, k: float, min_periods: int) -> pd.DataFrame:
    """Centre and spread from past values only: the statistics of days ≤ t−1 judge day t."""
    if method == "ewma":
        window = values.ewm(span=span, min_periods=min_periods)
    else:
        window = values.rolling(window=span, min_periods=min(min_periods, span))
    center, spread = window.mean().shift(1), window.std().shift(1)
    return pd.DataFrame({"center": center, "limit": center + k * spread})


def negative_alerts(
    series: pd.Series | pd.DataFrame,
    method: Literal["ewma", "sigma"] = "ewma",
    span: int = 7,
    k: float = 3.0,
    min_periods: int = 7,
) -> pd.DataFrame:
    """Flag days whose count exceeds a control limit = centre + k·σ of the days BEFORE it (no look-ahead).

    ``method="ewma"``: exponentially weighted mean and standard deviation (pandas ``ewm(span=span)``);
    ``method="sigma"``: mean and standard deviation of the trailing window of ``span`` days (mean + 3σ for k=3).
    The first days, with fewer than ``min_periods`` past values, get no limit and no alert.
    A DataFrame (e.g. from :func:`daily_mentions`) is read through its ``negative`` column.

    >>> counts = pd.Series([2, 3, 2, 3, 2, 3, 2, 3, 12, 3])
    >>> negative_alerts(counts, method="sigma", span=8, min_periods=8)["alert"].tolist()
    [False, False, False, False, False, False, False, False, True, False]
    """
    if isinstance(series, pd.DataFrame):
        _require(series, ["negative"], "series")
        series = series["negative"]
    if not isinstance(series, pd.Series) or not pd.api.types.is_numeric_dtype(series):
        raise ValueError("Аргумент «series» должен быть столбцом чисел (например, негатив по дням).")
    if method not in ALERT_METHODS:
        raise ValueError(f"Аргумент «method»: «{method}» не поддерживается; выберите «ewma» или «sigma».")
    if span < 2:
        raise ValueError("Аргумент «span» должен быть не меньше 2.")
    if min_periods < 2:
        raise ValueError("Аргумент «min_periods» должен быть не меньше 2: для σ нужны хотя бы два значения.")
    if not k >= 0:
        raise ValueError("Аргумент «k» не может быть отрицательным.")
    values = series.astype(float)
    table = _control_limits(values, method, span, k, min_periods)
    table.insert(0, "value", values)
    table["alert"] = (table["value"] > table["limit"]).fillna(False).astype(bool)
    return table


def response_times(comments: pd.DataFrame, created: str = "created_at", replied: str = "replied_at") -> pd.Series:
    """Reply time in hours = (replied − created) / 1 h; NaN where the brand has not replied.

    Stamps without a time zone are taken as Almaty local time, so they can be mixed with tz-aware ones.

    >>> df = pd.DataFrame({"created_at": pd.to_datetime(["2026-03-02 10:00", "2026-03-02 11:00"]),
    ...                    "replied_at": pd.to_datetime(["2026-03-02 11:30", None])})
    >>> response_times(df).tolist()
    [1.5, nan]
    """
    _require(comments, [created, replied], "comments")
    start = _timestamps(comments[created], created)
    end = _timestamps(comments[replied], replied)
    hours = (end - start).dt.total_seconds() / 3600
    early = int((hours < 0).sum())
    if early:
        raise ValueError(f"Столбец «{replied}»: в {early} строках ответ раньше комментария — проверьте данные.")
    return hours.rename("response_hours")


def _sla_row(hours: pd.Series, sla_hours: float) -> pd.Series:
    answered = int(hours.notna().sum())
    within = int((hours <= sla_hours).sum())
    return pd.Series(
        {
            "comments": len(hours),
            "answered": answered,
            "unanswered": len(hours) - answered,
            "within_sla": within,
            "within_sla_share": within / len(hours) if len(hours) else np.nan,
            "median_hours": hours.median(),
            "p90_hours": hours.quantile(0.9) if answered else np.nan,
        }
    )


def sla_report(
    comments: pd.DataFrame,
    sla_hours: float = 2,
    by: str | None = None,
    created: str = "created_at",
    replied: str = "replied_at",
) -> pd.DataFrame:
    """Reply SLA: comments, answered, unanswered, within_sla_share = answered within ``sla_hours`` / all comments
    (an unanswered comment counts as late), median and 90th percentile of reply hours (answered comments only).

    >>> df = pd.DataFrame({"created_at": pd.to_datetime(["2026-03-02 10:00"] * 3),
    ...                    "replied_at": pd.to_datetime(["2026-03-02 11:00", "2026-03-02 14:00", None])})
    >>> sla_report(df, sla_hours=2)[["comments", "unanswered", "within_sla_share", "median_hours"]]
           comments  unanswered  within_sla_share  median_hours
    всего         3           1          0.333333           2.5
    """
    if not sla_hours > 0:
        raise ValueError("Аргумент «sla_hours» должен быть больше нуля.")
    if by is not None:
        _require(comments, [by], "comments")
    hours = response_times(comments, created, replied)
    if by is None:
        table = _sla_row(hours, sla_hours).to_frame(TOTAL_LABEL).T
    else:
        table = hours.groupby(comments[by]).apply(_sla_row, sla_hours).unstack()
    for column in ("comments", "answered", "unanswered", "within_sla"):
        table[column] = table[column].astype(int)
    return table


def share_of_voice_table(mentions: pd.DataFrame, brand_col: str = "brand", brand: str | None = None) -> pd.DataFrame:
    """Mentions and share of voice per brand: SOV = brand / (brand + competitors), via :func:`metrics.share_of_voice`.

    With ``brand`` the table has two rows: that brand and all the others together (:data:`COMPETITORS_LABEL`).

    >>> df = pd.DataFrame({"brand": ["Qazaq Coffee"] * 3 + ["Kofeinya"] * 1})
    >>> share_of_voice_table(df)  # doctest: +NORMALIZE_WHITESPACE
                  mentions  share
    brand
    Qazaq Coffee         3   0.75
    Kofeinya             1   0.25
    """
    _require(mentions, [brand_col], "mentions")
    if mentions[brand_col].isna().any():
        missing = int(mentions[brand_col].isna().sum())
        raise ValueError(f"Столбец «{brand_col}»: у {missing} упоминаний не указан бренд.")
    counts = mentions[brand_col].value_counts().rename("mentions")
    if brand is not None:
        if brand not in counts.index:
            known = ", ".join(map(str, counts.index))
            raise ValueError(f"Аргумент «brand»: бренда «{brand}» нет в столбце «{brand_col}». Есть: {known}.")
        counts = pd.Series({brand: counts[brand], COMPETITORS_LABEL: counts.drop(brand).sum()}, name="mentions")
    total = int(counts.sum())
    table = counts.astype(int).to_frame()
    table["share"] = metrics.share_of_voice(table["mentions"], total - table["mentions"])
    table.index.name = brand_col
    return table
