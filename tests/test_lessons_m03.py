"""The numbers quoted in module 03's folded solutions (and in prose that no pinned cell prints) are true.

As in ``tests/test_lessons_m01.py``: the folded «Решение» of an exercise is not executed, so each quoted figure is
recomputed here from the data with the solution's own method, and the quoted text is found in the lesson (an edit
of either side fails here).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from lesson_text import folded_solution, quoted

from smmkit import datasets
from smmkit.data.media_kits import USD_KZT
from smmkit.data.partners_data import ease

COURSE = Path(__file__).resolve().parents[1] / "course" / "03-partners"
NOW = pd.Timestamp("2026-03-01 09:00", tz="Asia/Almaty")
KPI = {"блогер": "охват и продажи по промокоду", "агентство": "лиды и стоимость лида",
       "типография": "акция запущена в срок", "фотограф": "контент-план выполнен",
       "поставщик": "товар в наличии", "банк": "охват совместной акции",
       "площадка": "посещаемость точки", "СМИ": "охват и упоминания бренда"}


@cache
def data(name: str) -> pd.DataFrame:
    return datasets.load(name)


def lesson_text(lesson: str) -> str:
    cells = json.loads((COURSE / lesson).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells)


def solution(lesson: str, exercise: str) -> str:
    """The folded «Решение» that follows the «### Попробуйте» cell containing ``exercise``."""
    return folded_solution(COURSE / lesson, exercise)


def ru(x: float) -> str:
    return f"{x:g}".replace(".", ",")


# --- 03.01 -----------------------------------------------------------------------------------------------------

L1 = "03.01-priorities.ipynb"


def open_tasks() -> pd.DataFrame:
    """The lesson's ``open_`` with hours_left, quadrant, ease, priority and kpi, as its cells build it."""
    tasks = data("partner_tasks")
    o = tasks[tasks["status"] != "готово"].copy()
    o["hours_left"] = (o["deadline"] - NOW).dt.total_seconds() / 3600
    important, urgent = o["importance"] >= 4, o["urgency"] >= 4
    quadrant = {(True, True): "сделать сейчас", (True, False): "запланировать",
                (False, True): "делегировать", (False, False): "отложить"}
    o["quadrant"] = [quadrant[pair] for pair in zip(important, urgent, strict=True)]
    o["ease"] = o["effort_hours"].map(ease)
    o["priority"] = 0.5 * o["importance"] + 0.3 * o["urgency"] + 0.2 * o["ease"]
    o["kpi"] = o["partner_type"].astype(str).map(KPI)
    return o


def todo_list() -> pd.DataFrame:
    todo = open_tasks().sort_values(["priority", "deadline"], ascending=[False, True])
    todo["cum_hours"] = todo["effort_hours"].cumsum()
    return todo


def test_0101_own_urgency_and_overdue_quadrants() -> None:
    text = solution(L1, "Посчитайте срочность сами")
    o = open_tasks()
    bins = [-float("inf"), 24, 72, 168, 336, float("inf")]
    mine = pd.cut(o["hours_left"], bins=bins, labels=[5, 4, 3, 2, 1]).astype(int)
    assert (mine != o["urgency"]).sum() == 0
    overdue = o[o["hours_left"] < 0].set_index("task_id")["quadrant"]
    assert overdue.to_dict() == {"T063": "делегировать", "T082": "делегировать", "T083": "делегировать",
                                 "T086": "сделать сейчас"}
    quoted(text, "Не совпало ни одной", "важная только T086", "T082, T083 и T063 срочные, но неважные")


def test_0101_importance_then_deadline_top5() -> None:
    text = solution(L1, "сортируй по важности, потом по сроку")
    o = open_tasks()
    by_importance = o.sort_values(["importance", "deadline"], ascending=[False, True])["task_id"].head(5)
    top = todo_list()["task_id"].head(5)
    assert list(by_importance) == ["T086", "T112", "T108", "T101", "T100"]
    assert set(by_importance) == set(top)
    quoted(text, "T086, T112, T108, T101, T100", "те же пять задач")


def test_0101_week_plan_prose() -> None:
    """The paragraph under the pinned week-plan cell: who slips and why, the 16-hour task, the spare 4,5 hours."""
    todo = todo_list()
    week_plan = todo[todo["cum_hours"] <= 30]
    slips = todo[(todo["hours_left"] <= 168) & (todo["cum_hours"] > 30)]
    today = todo[todo["cum_hours"] <= 6]
    assert set(today["task_id"]) == set(todo["task_id"].head(5)) - {"T100"}
    others = slips[~slips["quadrant"].isin(["делегировать", "отложить"])]
    assert len(slips) == 11 and list(others["task_id"]) == ["T057"]
    assert others["effort_hours"].iloc[0] == 8 and others["importance"].iloc[0] == 4
    after = todo[todo["cum_hours"] > 30].iloc[0]
    assert after["task_id"] == "T092" and after["effort_hours"] == 16
    spare = 30 - week_plan["effort_hours"].sum()
    quoted(lesson_text(L1), "вся пятёрка, кроме T100", "десять из них",
           "T057 (съёмка у видеографа, важность 4), занимает 8 часов",
           "упирается в T092 на 16 часов", f"{ru(spare)} часа ёмкости")


def test_0101_late_in_week_plan() -> None:
    text = solution(L1, "успевает ли недельный план к срокам")
    todo = todo_list()
    week_plan = todo[todo["cum_hours"] <= 30]
    day = np.ceil(week_plan["cum_hours"] / 6)
    finish = NOW.normalize() + pd.to_timedelta(day - 1, unit="D")
    late = week_plan[finish.dt.date > week_plan["deadline"].dt.date]
    assert list(late["task_id"]) == ["T086", "T095", "T082"]
    t095 = week_plan.set_index("task_id").loc["T095"]
    before = t095["cum_hours"] - t095["effort_hours"]
    assert day[week_plan["task_id"] == "T095"].iloc[0] == 3 and t095["effort_hours"] == 0.5
    quoted(text, "Опоздают три задачи", "T086 и T082 уже просрочены", "срок 2 марта 15:00",
           "на третий день, 3 марта", f"набирается {ru(before)} часов", "полчаса")


def test_0101_kpi_hours() -> None:
    text = solution(L1, "Свяжите задачи с показателями")
    o = open_tasks()
    hours = o.groupby("kpi")["effort_hours"].sum().sort_values(ascending=False)
    counts = o.groupby("kpi").size()
    key = o[o["quadrant"].isin(["сделать сейчас", "запланировать"])]
    key_hours = key.groupby("kpi")["effort_hours"].sum().sort_values(ascending=False)
    assert hours.index[:2].tolist() == ["товар в наличии", "лиды и стоимость лида"]
    assert key_hours.index[0] == "товар в наличии" and key_hours.index[3] == "лиды и стоимость лида"
    quoted(text, f"{ru(hours.iloc[0])} на {counts['товар в наличии']} задач", f"({ru(hours.iloc[1])} часа)",
           f"{ru(key_hours.iloc[0])} часа на «товар в наличии»", f"на четвёртое место ({ru(key_hours.iloc[3])} часов)")


# --- 03.02 -----------------------------------------------------------------------------------------------------

L2 = "03.02-partner-requests.ipynb"


def waiting_tasks() -> pd.DataFrame:
    tasks = data("partner_tasks")
    w = tasks[tasks["status"] == "ждём ответа"].copy()
    w["days_waiting"] = (NOW - w["received_at"]).dt.days
    w["days_left"] = ((w["deadline"] - NOW).dt.total_seconds() / 86400).round(1)
    return w.sort_values("days_left")


def test_0102_reminders_by_both_rules() -> None:
    text = solution(L2, "напоминать и тем, кто молчит")
    w = waiting_tasks()
    reminders = w[(w["days_left"] <= 3) | (w["days_waiting"] >= 7)]
    added = reminders[reminders["days_left"] > 3].set_index("task_id")["days_waiting"]
    assert len(reminders) == 7
    assert added.to_dict() == {"T089": 7, "T087": 8, "T074": 15}
    assert reminders["language"].value_counts().to_dict() == {"ru": 6, "en": 1, "kk": 0}
    assert w.set_index("task_id").loc["T074", "partner"].startswith("LearnLoop")
    quoted(text, "Напоминаний семь", "T089, ждём 7 дней", "T087, 8 дней", "T074, 15 дней",
           "Шесть напоминаний — по-русски, одно — по-английски")


def test_0102_t050_asks_nothing() -> None:
    assert pd.isna(data("partner_tasks").set_index("task_id").loc["T050", "requested_info"])
    quoted(lesson_text(L2), "У T050 к тому же нет `requested_info`")


def test_0102_english_kit_mk07() -> None:
    text = solution(L2, "английский медиакит MK07")
    row = data("media_kits").set_index("kit_id").loc["MK07"]
    kit_text = data("media_kit_texts").set_index("kit_id").loc["MK07", "text"]
    assert row["stats_as_of"] == pd.Timestamp("2025-12-31") and "December 31, 2025" in kit_text
    assert (row["subscribers"], row["avg_views"], row["top_city"], row["top_city_pct"]) == (20561, 4728, "Aktobe", 45)
    assert row["currency"] == "USD" and row["price_video"] == 80 and USD_KZT == 505
    assert pd.isna(row["valid_until"]) and pd.isna(row["contact_email"])
    quoted(text, "31 декабря 2025 года", "20 561 подписчик", "4 728 просмотров", "Aktobe, то есть Актобе (45%)",
           f"$80 — {row['price_video'] * USD_KZT:,} ₸".replace(",", " "), "по курсу 505 ₸/$")


def both_kits() -> pd.DataFrame:
    kits, inf = data("media_kits"), data("influencers")
    both = kits.merge(inf[["influencer_id", "subscribers", "avg_views"]], on="influencer_id", suffixes=("_kit", "_now"))
    both["stats_age_days"] = (both["sent_at"] - both["stats_as_of"]).dt.days
    both["subs_ratio"] = both["subscribers_kit"] / both["subscribers_now"]
    both["views_ratio"] = both["avg_views_kit"] / both["avg_views_now"]
    return both


def test_0102_honest_kits_stay_below_the_threshold() -> None:
    both = both_kits()
    stale = (both["stats_age_days"] > 90) | (both["subs_ratio"] < 0.9)
    honest = ~stale & (both["views_ratio"] < 1.3)
    assert round(both.loc[honest, "views_ratio"].max(), 2) == 1.11
    quoted(lesson_text(L2), "у честных медиакитов отношение не выше 1,11")


def test_0102_inflated_mk10_mk14() -> None:
    text = solution(L2, "MK10 (русский) и MK14 (английский)")
    pair = both_kits().set_index("kit_id").loc[["MK10", "MK14"]]
    price = pair["price_video"].fillna(pair["price_tg_1_24"])
    ratio = pair["views_ratio"].round(2)
    by_kit = (price / pair["avg_views_kit"]).round(1)
    by_now = (price / pair["avg_views_now"]).round(1)
    assert (ratio["MK10"], ratio["MK14"]) == (1.5, 1.77) and price["MK10"] == 79000
    quoted(text, "в 1,5 раза", "79 000 ₸", f"стоит {ru(by_kit['MK10'])} ₸ за просмотр", f"— {ru(by_now['MK10'])} ₸",
           "в 1,77 раза", f"{ru(by_kit['MK14'])} ₸ за просмотр по медиакиту против {ru(by_now['MK14'])} ₸")


def test_0102_reminder_to_the_printer() -> None:
    text = solution(L2, "напоминать и тем, кто молчит")
    row = data("partner_tasks").set_index("task_id").loc["T108"]
    assert "2 000 шт." in row["requested_info"] and "CMYK" in row["requested_info"]
    assert row["deadline"] == pd.Timestamp("2026-03-02 08:00", tz="Asia/Almaty")
    assert "весеннего меню" in row["task"]
    quoted(text, "PDF в CMYK и подтверждение тиража 2 000 шт. до 2 марта, 08:00", "к запуску весеннего меню")
