"""The numbers quoted in lab 02.05 (bot-rule tuner) are true.

The pinned demo cell is checked by nbval; the folded «Решение» of each exercise is not executed, so each of its
figures is recomputed here from the data with the solution's own method (the lab's state), and the test finds
the quoted text in the lesson (an edit of either side fails here).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
from lesson_text import cells_text, folded_solution, quoted

from smmkit import datasets
from smmkit.analysis import bots
from smmkit.widgets.bot_tuner import WAVE_FACTOR, Thresholds, TunerModel, TunerState

LESSON = Path(__file__).resolve().parents[1] / "course" / "02-promotion" / "02.05-lab-bots.ipynb"


@cache
def followers() -> pd.DataFrame:
    return datasets.load("followers_audit")


@cache
def model() -> TunerModel:
    return TunerModel(followers())


def state(thresholds: Thresholds | None = None, score: float = 0.5) -> TunerState:
    return model().state("af_ig", thresholds or Thresholds(), score)


def pct(share: float) -> str:
    """A share as the lesson writes it: 87,6 %."""
    return f"{100 * share:.1f}".replace(".", ",") + " %"


def solution(exercise: str) -> str:
    return folded_solution(LESSON, exercise)


def new_flags(after: TunerState, before: TunerState) -> pd.Series:
    return after.flags & ~before.flags


def test_row_zero_read_aloud() -> None:
    row = followers().iloc[0]
    assert (row["account_id"], row["username"], row["followed_at"].date()) == ("af_ig", "maksim_smagulova",
                                                                              date(2021, 9, 1))
    assert (row["followers"], row["following"], row["posts"], row["account_age_days"]) == (746, 567, 47, 2154)
    assert bool(row["has_avatar"]) and pd.isna(row["comments_duplicate_share"]) and not row["is_bot"]
    text = "\n".join(cells_text(LESSON))
    quoted(text, "подписчик `maksim_smagulova` подписался на Astana Fit (`af_ig`) 1 сентября 2021 года",
           "у него 746 подписчиков и 567 подписок, 47 публикаций и аватар, аккаунту 2154 дня")


def test_concept_names_the_default_thresholds() -> None:
    text = "\n".join(cells_text(LESSON))
    quoted(text, f"в {bots.FOLLOW_RATIO} раз больше", f"меньше {bots.MIN_POSTS} публикаций",
           f"меньше {bots.YOUNG_DAYS} дней", f"{bots.USERNAME_DIGITS} цифры в имени или больше",
           f"больше {bots.DUPLICATE_SHARE:.0%}".replace("%", " %"), f"в {WAVE_FACTOR} и более раз")


def test_task1_score_threshold() -> None:
    text = solution("Порог оценки")
    for threshold in (0.4, 0.5, 0.6):
        q = state(score=threshold).quality
        quoted(text, f"{threshold:g}".replace(".", ",") + f": precision {pct(q.precision)}, recall {pct(q.recall)} "
                     f"(FP {q.fp}, FN {q.fn})")
    st = state()
    assert st.quality.fp == 229 and state(score=0.6).quality.fp == 35
    quoted(text, "35 человек вместо 229", f"помечено {pct(st.flagged_share)} подписчиков при пороге 0,5",
           f"ботов на самом деле {pct(st.quality.tp / len(st.flags) + st.quality.fn / len(st.flags))}")


def test_task2_young_account() -> None:
    text = solution("молодой аккаунт")
    af = followers()[followers()["account_id"] == "af_ig"]
    before, after = state(), state(Thresholds(young_days=120))
    new = new_flags(after, before)
    days = followers().loc[new[new].index, "followed_at"].dt.date.value_counts()
    audit = date(2026, 3, 1)
    quoted(text, f"Моложе 30 дней всего {(af['account_age_days'] < 30).sum()} подписчиков",
           f"ботами становятся {new.sum()} аккаунтов — все {followers().loc[new[new].index, 'is_bot'].sum()} "
           f"настоящие боты, {days.iloc[0]} из них подписались 15 ноября 2025 года",
           f"Recall растёт с {pct(before.quality.recall)} до {pct(after.quality.recall)}",
           f"(FP {after.quality.fp})", f"прошло {(audit - date(2025, 11, 15)).days} дней")
    assert days.index[0] == date(2025, 11, 15) and after.quality.fp == before.quality.fp
    assert (after.wave.day, model().window[-1].date()) == (date(2025, 11, 15), date(2026, 2, 28))


def test_task3_digits() -> None:
    text = solution("Цифры в имени")
    before, two, five = state(), state(Thresholds(username_digits=2)), state(Thresholds(username_digits=5))
    new = new_flags(two, before)
    names = set(followers().loc[new[new].index, "username"])
    assert {"saule_14", "daniyar61", "elena.53"} <= names
    assert followers().loc[new[new].index, "is_bot"].sum() == 0
    quoted(text, f"ещё {new.sum()} аккаунта — и ни одного бота",
           f"Precision падает с {pct(before.quality.precision)} до {pct(two.quality.precision)}",
           f"recall не меняется ({pct(two.quality.recall)})",
           f"помечено {five.flags.sum()} аккаунтов: precision {pct(five.quality.precision)}, "
           f"recall {pct(five.quality.recall)}")
    assert two.quality.recall == before.quality.recall


def test_task4_wave() -> None:
    text = solution("Волна купленных")
    wave = state().wave
    af = followers()[followers()["account_id"] == "af_ig"]
    days = pd.date_range("2025-09-01", "2026-02-28").date  # the tuner's window; days without follows are zeros
    daily = af.groupby(af["followed_at"].dt.date).size().reindex(days, fill_value=0)
    assert (daily.idxmax(), daily.max(), daily.median()) == (wave.day, wave.follows, wave.median_day)
    quoted(text, f"Волна — 15 ноября 2025 года: {wave.follows} подписок за день при медиане {wave.median_day:g}",
           f"Ботов в ней {wave.bots}, правила пометили {wave.flagged} аккаунтов (recall в волне "
           f"{pct(wave.quality.recall)}, precision {pct(wave.quality.precision)}); {wave.quality.fp} помеченных — "
           "живые люди")
    assert wave.day == date(2025, 11, 15)
    key = "\n".join(cells_text(LESSON))
    quoted(key, f"15 ноября 2025 года, {wave.follows} подписок при медиане {wave.median_day:g}")
