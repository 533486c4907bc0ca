"""The numbers quoted in module 03's folded solutions (and in prose that no pinned cell prints) are true.

As in ``tests/test_lessons_m01.py``: the folded «Решение» of an exercise is not executed, so each quoted figure is
recomputed here from the data with the solution's own method, and the quoted text is found in the lesson (an edit
of either side fails here).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from lesson_text import Module, data, quoted

from smmkit.data.media_kits import USD_KZT
from smmkit.data.partners_data import ease

COURSE = Path(__file__).resolve().parents[1] / "course" / "03-partners"
LESSONS = Module("03-partners")
lesson_text, solution = LESSONS.text, LESSONS.solution
NOW = pd.Timestamp("2026-03-01 09:00", tz="Asia/Almaty")
KPI = {"блогер": "охват и продажи по промокоду", "агентство": "лиды и стоимость лида",
       "типография": "акция запущена в срок", "фотограф": "контент-план выполнен",
       "поставщик": "товар в наличии", "банк": "охват совместной акции",
       "площадка": "посещаемость точки", "СМИ": "охват и упоминания бренда"}


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
    o["priority"] = (0.5 * o["importance"] + 0.3 * o["urgency"] + 0.2 * o["ease"]).round(1)
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
    """The paragraph under the pinned week-plan cell: who slips and why, the 8-hour task, the day plan filled exactly
    (so «<» drops T086), the spare 4,5 hours of the week."""
    todo = todo_list()
    week_plan = todo[todo["cum_hours"] <= 30]
    slips = todo[(todo["hours_left"] <= 168) & (todo["cum_hours"] > 30)]
    today = todo[todo["cum_hours"] <= 6]
    assert set(today["task_id"]) == set(todo["task_id"].head(5)) - {"T100"}
    others = slips[~slips["quadrant"].isin(["делегировать", "отложить"])]
    assert len(slips) == 14 and list(others["task_id"]) == ["T057"]
    assert today["effort_hours"].sum() == 6 and today["task_id"].iloc[-1] == "T086"
    assert todo.loc[todo["cum_hours"] < 6, "task_id"].tolist() == today["task_id"].tolist()[:-1]
    assert others["effort_hours"].iloc[0] == 8 and others["importance"].iloc[0] == 4
    after = todo[todo["cum_hours"] > 30].iloc[0]
    assert after["task_id"] == "T057" and after["effort_hours"] == 8 and after["cum_hours"] - 8 == 25.5
    spare = 30 - week_plan["effort_hours"].sum()
    quoted(lesson_text(L1), "вся пятёрка, кроме T100", "тринадцать из них", "а четырнадцатая, T057",
           "6 часов из 6", "с `<` из плана дня выпала бы T086",
           "T057 (съёмка у видеографа, важность 4), занимает 8 часов",
           "стоит в очереди сразу за планом", "упирается в T057 на 8 часов", f"{ru(spare)} часа ёмкости")


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
    assert len(reminders) == 8 and (reminders["days_left"] <= 3).sum() == 5
    assert added.to_dict() == {"T089": 7, "T087": 8, "T074": 15}
    assert reminders["language"].value_counts().to_dict() == {"ru": 6, "en": 1, "kk": 1}
    assert w.set_index("task_id").loc["T074", "partner"].startswith("LearnLoop")
    assert reminders.loc[reminders["language"] == "kk", "partner"].item() == "ТРЦ «Көктем Плаза»"
    quoted(text, "Напоминаний восемь", "к пяти «горящим»", "T089, ждём 7 дней", "T087, 8 дней", "T074, 15 дней",
           "Шесть напоминаний — по-русски, одно — по-казахски (ТРЦ «Көктем Плаза») и одно — по-английски")


def test_0102_reminders_today_on_the_boundary() -> None:
    """The paragraph under the pinned «напомнить сегодня» cell: five tasks, T114 exactly 3 days ahead, T115 not."""
    w = waiting_tasks().set_index("task_id")
    today = w[w["days_left"] <= 3]
    assert len(w) == 14 and set(today.index) == {"T082", "T108", "T099", "T050", "T114"}
    assert w.loc["T082", "days_left"] < 0
    assert w.loc["T114", "days_left"] == 3 and w.loc["T114", "deadline"] - NOW == pd.Timedelta(days=3)
    assert w.loc["T114", "partner"] == "ТРЦ «Көктем Плаза»"
    assert w.loc["T115", "days_left"] == 3.4 and w.loc["T115", "partner_type"] == "фотограф"
    assert w.loc["T115", "days_waiting"] < 7
    quoted(lesson_text(L2), "Ждём ответа по 14 задачам, напомнить сегодня нужно по пяти",
           "ТРЦ «Көктем Плаза» (T114). У T114 до срока ровно 3 дня",
           "А по T115 (фотограф, до срока 3,4 дня) напомним завтра.")


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


# --- 03.03 -----------------------------------------------------------------------------------------------------

L3 = "03.03-seeding.ipynb"
BUDGET = 1_000_000


def th(n: float) -> str:
    """A whole number with Russian thousands separators: 1 004 000."""
    return f"{round(n):,}".replace(",", " ")


def seed(brand: str = "dala_style") -> pd.DataFrame:
    """The lesson's ``seed``: prices per subscriber, view and target contact of the brand."""
    s = data("influencers").copy()
    s["price_per_subscriber"] = s["price_kzt"] / s["subscribers"]
    s["price_per_view"] = s["price_kzt"] / s["avg_views"]
    s["views_share"] = s["avg_views"] / s["subscribers"]
    s["target_contacts"] = s["avg_views"] * s[f"audience_match_{brand}"]
    s["cost_per_target"] = s["price_kzt"] / s["target_contacts"]
    return s


def flags() -> pd.DataFrame:
    from smmkit.analysis.bots import channel_anomalies

    return channel_anomalies(data("influencers"))


def candidates(sort_by: str = "cost_per_target") -> pd.DataFrame:
    s = seed()
    c = s[~flags()["suspicious"]].sort_values(sort_by).copy()
    c["cum_price"] = c["price_kzt"].cumsum()
    return c


def test_0303_row_read_aloud() -> None:
    row = data("influencers").set_index("influencer_id").loc["I004"]
    assert (row["handle"], row["topic"], row["city"]) == ("@sanzhar.style", "мода", "Астана")
    assert (row["subscribers"], row["avg_views"], row["price_kzt"]) == (761556, 148801, 649000)
    assert (row["audience_match_dala_style"], row["bot_share"]) == (0.521, 0.19)
    assert not flags().loc[data("influencers")["influencer_id"] == "I004", "suspicious"].item()
    quoted(lesson_text(L3), "761 556 подписчиков", "148 801 раз", "649 000 ₸", "52,1% его подписчиков",
           "по оценке сервиса, 19%")


def test_0303_subscribers_are_not_views() -> None:
    s = seed()
    share = s.groupby("platform", observed=True)["views_share"].median()
    assert 0.2 <= share["Instagram"] < 0.3 and 0.2 <= share["Telegram"] < 0.3 and share["TikTok"] > 1 / 3
    first = s.nsmallest(1, "price_per_subscriber").iloc[0]
    cheap_sub, cheap_view = s.nsmallest(10, "price_per_subscriber"), s.nsmallest(10, "price_per_view")
    assert first["handle"] == "t.me/business_astana"
    assert cheap_sub["bought_subscribers"].sum() == 2
    assert cheap_sub["influencer_id"].isin(cheap_view["influencer_id"]).sum() == 5
    quoted(lesson_text(L3), "примерно каждый четвёртый подписчик (в TikTok — больше трети)",
           f"{ru(round(first['price_per_subscriber'], 2))} ₸ за подписчика, "
           f"но {ru(round(first['price_per_view'], 1))} ₸ за просмотр",
           f"смотрят {th(first['avg_views'])} человек из {th(first['subscribers'])}", "два накрученных канала",
           "только половина этой десятки")


def test_0303_target_contact_medians_and_overlap() -> None:
    s = seed()
    per_view, per_target = s["price_per_view"].median(), s["cost_per_target"].median()
    best = s.nsmallest(1, "cost_per_target").iloc[0]
    cheap_target = s.nsmallest(10, "cost_per_target")["influencer_id"]
    overlap = s.nsmallest(10, "price_per_view")["influencer_id"].isin(cheap_target)
    assert 7 < per_target / per_view < 8 and best["handle"] == "@sanzhar.style" and overlap.sum() == 4
    quoted(lesson_text(L3),
           f"стоит {ru(round(per_target, 1))} ₸ — в семь с лишним раз дороже просмотра ({ru(round(per_view, 1))} ₸)",
           f"@sanzhar.style: {ru(round(best['cost_per_target'], 1))} ₸ за целевой контакт", "попадают только четыре")


def test_0303_qazaq_coffee_exercise() -> None:
    text = solution(L3, "Qazaq Coffee")
    coffee = data("influencers").copy()
    coffee["cost_per_target"] = coffee["price_kzt"] / (coffee["avg_views"] * coffee["audience_match_qazaq_coffee"])
    best = coffee.nsmallest(10, "cost_per_target")
    cheapest = coffee.nsmallest(10, "price_kzt")
    top = best.iloc[0]
    assert top["handle"] == "@sanzhar_fun" and top["city"] == "Алматы" and top["topic"] == "юмор"
    outside = best[best["city"] != "Алматы"]
    assert len(outside) == 1 and outside.iloc[0]["platform"] == "TikTok" and outside.iloc[0]["city"] == "Тараз"
    assert cheapest["influencer_id"].isin(best["influencer_id"]).sum() == 0
    assert (cheapest["price_kzt"].min(), cheapest["price_kzt"].max()) == (6000, 11000)
    first = cheapest.iloc[0]
    assert 100 < first["cost_per_target"] / top["cost_per_target"] < 200
    first_cost = f"{first['cost_per_target']:,.1f}".replace(",", " ").replace(".", ",")
    quoted(text, f"@sanzhar_fun: {ru(round(top['cost_per_target'], 1))} ₸ за целевой контакт",
           f"при посте за {th(top['price_kzt'])} ₸", "(6 000–11 000 ₸)", "не попал ни один",
           f"за 6 000 ₸ целевой контакт стоит {first_cost} ₸",
           "в сто с лишним раз")


def test_0303_flags_against_the_true_label() -> None:
    from smmkit.analysis.bots import TELEGRAM_MIN_ERR

    inf, f = data("influencers"), flags()
    assert TELEGRAM_MIN_ERR == 0.10
    table = pd.crosstab(f["suspicious"], inf["bought_subscribers"])
    assert (table.loc[True, True], table.loc[True, False], table.loc[False, True]) == (29, 3, 1)
    false_alarms = inf[f["suspicious"] & ~inf["bought_subscribers"]]
    assert (false_alarms["platform"] == "Telegram").all()
    assert 0.08 <= false_alarms["tg_view_rate"].min() and false_alarms["tg_view_rate"].max() < 0.10
    missed = inf[~f["suspicious"] & inf["bought_subscribers"]]
    assert missed["platform"].tolist() == ["TikTok"]
    quoted(lesson_text(L3), "Функция пометила 32 канала", "из 32 помеченных накручены 29",
           "три — честные Telegram-каналы, где пост смотрят 8–10% подписчиков",
           "один накрученный TikTok-блогер пропущен",
           "обычно 10–40% подписчиков смотрят пост, ниже 10%")


def test_0303_bot_share_exercise() -> None:
    text = solution(L3, "оценку доли ботов")
    inf, f = data("influencers"), flags()
    by_bots = inf["bot_share"] >= 0.3
    assert by_bots.sum() == 32 and (by_bots & inf["bought_subscribers"]).sum() == 30 == inf["bought_subscribers"].sum()
    only_one = inf[by_bots != f["suspicious"]].set_index("influencer_id")
    bots_only_honest = only_one[~only_one["bought_subscribers"] & (only_one["bot_share"] >= 0.3)]
    assert len(only_one) == 6
    assert only_one.loc["I285", "bought_subscribers"] and only_one.loc["I285", "platform"] == "TikTok"
    assert bots_only_honest.index.tolist() == ["I030", "I084"]
    assert (bots_only_honest["platform"] == "Instagram").all()
    assert bots_only_honest["bot_share"].tolist() == [0.33, 0.32]
    quoted(text, "помечает 32 канала: все 30 накрученных и два честных", "на шести каналах", "I285",
           "I030 и I084 (доля ботов 0,33 и 0,32)")


def test_0303_shortlist_and_budget_over_by_one_post() -> None:
    c = candidates()
    shortlist = c[c["cum_price"] <= BUDGET]
    nxt = c.iloc[len(shortlist)]
    spend, contacts = shortlist["price_kzt"].sum(), shortlist["avg_views"].sum()
    target = shortlist["target_contacts"].sum()
    assert shortlist["handle"].tolist() == ["@sanzhar.style", "@saltanat.makeup", "@arman_run_55"]
    by_view = candidates("price_per_view")
    view_plan = by_view[by_view["cum_price"] <= BUDGET]
    assert len(view_plan) == 4 and view_plan["avg_views"].sum() > contacts
    assert 1.8 < target / view_plan["target_contacts"].sum() < 2
    quoted(lesson_text(L3), f"три площадки на {th(spend)} ₸", "@sanzhar.style, @saltanat.makeup и @arman_run_55",
           f"дают {th(contacts)} контакта, из них {th(target)} целевых — по {ru(round(spend / target, 2))} ₸",
           f"{nxt['handle']} за {th(nxt['price_kzt'])} ₸",
           f"до {th(nxt['cum_price'])} ₸ — на {th(nxt['cum_price'] - BUDGET)} ₸ больше",
           f"четыре площадки на {th(view_plan['price_kzt'].sum())} ₸ и {th(view_plan['avg_views'].sum())} контактов",
           f"только {th(view_plan['target_contacts'].sum())}, почти вдвое меньше")


def test_0303_fill_the_rest_of_the_budget() -> None:
    text = solution(L3, "свободные 140 000 ₸")
    c = candidates()
    shortlist = c[c["cum_price"] <= BUDGET]
    left, extra = BUDGET - shortlist["price_kzt"].sum(), []
    assert left == 140_000
    for row in c.iloc[len(shortlist):].itertuples():
        if row.price_kzt <= left:
            extra.append(row)
            left -= row.price_kzt
    plan = pd.concat([shortlist, c[c["influencer_id"].isin([r.influencer_id for r in extra])]])
    before = shortlist["price_kzt"].sum() / shortlist["target_contacts"].sum()
    after = plan["price_kzt"].sum() / plan["target_contacts"].sum()
    assert after > before
    added = " и ".join([", ".join(f"{r.handle} за {th(r.price_kzt)} ₸" for r in extra[:-1]),
                        f"{extra[-1].handle} за {th(extra[-1].price_kzt)} ₸"])
    quoted(text, f"Добавились {added}", f"план стоит {th(plan['price_kzt'].sum())} ₸, остаётся {th(left)} ₸",
           f"Целевых контактов стало {th(plan['target_contacts'].sum())}",
           f"выросла с {ru(round(before, 2))} до {ru(round(after, 2))} ₸")


def test_0303_labelling_of_the_shortlist() -> None:
    kits = data("media_kits").set_index("influencer_id")
    assert "I004" not in kits.index
    assert kits.loc["I254", "ad_labelling"].startswith("#ad") and kits.loc["I254", "language"] == "en"
    assert kits.loc["I256", "ad_labelling"] == "пометка «Реклама» на первом кадре сторис"
    quoted(lesson_text(L3), "У @arman_run_55 пометка «Реклама» на первом кадре сторис",
           "@saltanat.makeup прислала медиакит на английском", "У @sanzhar.style медиакита нет")


def test_0303_labelling_groups_exercise() -> None:
    from smmkit.platforms.advertising_law import load_law_facts

    text = solution(L3, "ad_labelling")
    kits = data("media_kits")
    labels = kits["ad_labelling"].str.lower()
    has_word = labels.str.contains("|".join(load_law_facts().words()), na=False)
    at_start = labels.str.contains("в начале|на первом кадре", na=False)
    no_label = labels.str.contains("без пометки|optional", na=False)
    group = pd.Series("запросить", index=kits.index)
    group[kits["ad_labelling"].notna()] = "добавить"
    group[has_word] = "место"
    group[has_word & at_start] = "подходит"
    group[no_label] = "отказаться"
    counts = group.value_counts()
    assert counts.to_dict() == {"подходит": 19, "место": 12, "добавить": 12, "запросить": 7, "отказаться": 4}
    assert not kits.loc[group == "добавить", "ad_labelling"].str.contains("[а-я]").any(), "only English labels"
    quoted(text, f"у {counts['подходит']} медиакитов из {len(kits)}", f"у {counts['место']} есть `#реклама`",
           f"у {counts['добавить']} только английская", f"{counts['отказаться']} предлагают разместить без пометки",
           f"у {counts['запросить']} о маркировке ничего нет")


# --- 03.04 -----------------------------------------------------------------------------------------------------

L4 = "03.04-ethics-and-english.ipynb"


def etiquette() -> pd.DataFrame:
    from smmkit.curriculum.etiquette import etiquette_frame

    return etiquette_frame()


def waiting_with_situations() -> pd.DataFrame:
    """The lesson's ``waiting`` with its situation, action and channel from the decision table."""
    w = waiting_tasks()
    remind = (w["days_left"] <= 3) | (w["days_waiting"] >= 7)
    w["situation"] = remind.map({True: "E07", False: "E06"})
    w = w.merge(etiquette()[["id", "action", "channel"]], left_on="situation", right_on="id")
    w.loc[w["language"] == "en", "channel"] = "email"
    return w


def test_0304_channels_and_reply_times() -> None:
    table = etiquette()
    counts = table["channel"].value_counts()
    longest = table.groupby("channel")["reply_within_hours"].max()
    slowest = table.loc[table["channel"] == "messenger"].nlargest(1, "reply_within_hours").iloc[0]
    assert slowest["topic"] == "отказ"
    quoted(lesson_text(L4), f"В таблице {len(table)} ситуаций: {counts['messenger']} решаются в мессенджере, "
           f"{counts['email']} — письмом, {counts['call']} — звонком",
           f"в мессенджере — {longest['messenger']:g} рабочих часа (отказ блогеру), "
           f"на письмо — {longest['email']:g} часов")


def test_0304_decision_table_on_waiting_tasks() -> None:
    w = waiting_with_situations()
    reminders = w[w["action"] == "remind"]
    assert len(w) == 14 and (w["action"] == "wait").sum() == 6 and len(reminders) == 8
    assert reminders["channel"].value_counts().to_dict() == {"messenger": 7, "email": 1}
    assert reminders.loc[reminders["channel"] == "email", "partner"].item().startswith("LearnLoop")
    quoted(lesson_text(L4), "к четырнадцати задачам «ждём ответа»",
           "По шести задачам пока не пишем, по восьми напоминаем",
           "семь напоминаний — в мессенджере, одно, LearnLoop, — письмом")


def test_0304_call_queue_exercise() -> None:
    from smmkit.curriculum.etiquette import load_etiquette

    text = solution(L4, "E08")
    w = waiting_with_situations()
    overdue = w["days_left"] < 0
    w.loc[overdue, "situation"] = "E08"
    w.loc[overdue, "channel"] = load_etiquette()["E08"].channel
    queue = w[w["situation"] != "E06"].copy()
    queue["call_first"] = queue["channel"] != "call"
    queue = queue.sort_values(["call_first", "days_left"])
    assert queue["task_id"].head(3).tolist() == ["T082", "T108", "T099"]
    assert queue["channel"].head(3).tolist() == ["call", "messenger", "messenger"]
    assert overdue.sum() == 1 and queue["channel"].value_counts().to_dict() == {"messenger": 6, "call": 1, "email": 1}
    assert w.set_index("task_id").loc["T082", "partner"] == "Портал «Шымкент Today»"
    assert set(w.set_index("task_id").loc[["T108", "T099"], "partner"]) == {"Типография «Әріп Print»"}
    quoted(text, "Просрочена одна задача — T082 (портал «Шымкент Today»)", "T108 и T099, обе у типографии «Әріп Print»",
           "в очереди восемь задач: один звонок, шесть сообщений в мессенджере и одно письмо")


def test_0304_feedback_exercise() -> None:
    text = solution(L4, "DALA10")
    table = etiquette()
    hit = table[table["topic"].eq("ошибка партнёра") & table["situation"].str.contains("публикация ещё не вышла")]
    assert len(hit) == 1
    row = hit.iloc[0]
    assert (row["id"], row["action"], row["channel"]) == ("E11", "ask_to_fix", "messenger")
    assert row["reply_within_hours"] == 2
    assert table.set_index("id").loc["E10", "action"] == "decline"
    quoted(text, "Это ситуация E11", "в мессенджере и в течение 2 часов", "E10 — про блогера")


def english_kits() -> pd.Series:
    texts = data("media_kit_texts")
    return texts[texts["language"] == "en"].set_index("kit_id")["text"]


def test_0304_english_kits_read_by_code() -> None:
    english = english_kits()
    followers = english.str.extract(r"Followers: ([\d,]+)")[0].str.replace(",", "").astype(int)
    kits = data("media_kits").set_index("kit_id").loc[english.index]
    assert len(english) == 4 and (followers == kits["subscribers"]).all()
    quoted(lesson_text(L4), "Все четыре английских медиакита прочитаны кодом без ошибок")


def test_0304_rates_valid_until_exercise() -> None:
    text = solution(L4, "Rates valid until")
    valid = pd.to_datetime(english_kits().str.extract(r"Rates valid until (.+)")[0], format="%B %d, %Y")
    days = (valid - pd.Timestamp("2026-03-01")).dt.days
    handles = data("media_kits").set_index("kit_id")["handle"]
    assert valid.isna().sum() == 2 and list(valid[valid.isna()].index) == ["MK07", "MK14"]
    assert valid["MK25"] == pd.Timestamp("2026-05-19") and valid["MK39"] == pd.Timestamp("2026-04-07")
    quoted(text, f"MK25 ({handles['MK25']}) прайс действует до 19 мая 2026 года — {days['MK25']:g} дней",
           f"MK39 ({handles['MK39']}) — до 7 апреля, {days['MK39']:g} дней", "У MK07 и MK14 срока нет")


def test_0304_learnloop_deadline_and_email() -> None:
    from smmkit.curriculum.etiquette import load_etiquette

    row = data("partner_tasks").set_index("task_id").loc["T074"]
    almaty, singapore = row["deadline"], row["deadline"].tz_convert("Asia/Singapore")
    assert (almaty.month, almaty.day, almaty.hour, singapore.hour) == (3, 20, 15, 18)
    assert almaty.utcoffset().total_seconds() == 5 * 3600 and singapore.utcoffset().total_seconds() == 8 * 3600
    assert row["received_at"].date() == pd.Timestamp("2026-02-14").date() and (NOW - row["received_at"]).days == 15
    assert row["requested_info"] == "акт выполненных работ, детализация расхода"
    assert load_etiquette()["E15"].channel == "email" and load_etiquette()["E15"].topic == "иностранный партнёр"
    quoted(lesson_text(L4), "срок — 20 марта, 15:00 по Алматы, это 18:00 в Сингапуре",
           "поступила 14 февраля — две недели назад")
    text = solution(L4, "T074 на английском")
    letter = [line.lstrip("> ").strip() for line in text.splitlines() if line.startswith(">")]
    words = " ".join(letter).replace("**Subject:**", "").split()
    assert len(words) <= 90, f"the model e-mail has {len(words)} words, the exercise allows 90"
    quoted(text, "ситуация E15", "our request of February 14",
           "by March 20, 15:00 Almaty time (UTC+5), which is 18:00 in Singapore")


def test_0304_glossary_terms_in_english_kits() -> None:
    from smmkit.curriculum.glossary_partners import partners_glossary_frame

    text = solution(L4, "новые термины модуля")
    glossary = partners_glossary_frame()
    all_text = " ".join(english_kits()).lower()
    new = glossary[~glossary["shared"]].copy()
    new["en_short"] = new["en"].str.split(" (", regex=False).str[0].str.lower()
    found = new[new["en_short"].map(lambda term: term in all_text)]
    assert found["en_short"].tolist() == ["media kit", "rates", "integration", "ad labelling", "average views per post"]
    pairs = [f"{t.en_short} ({t.ru.split(' (')[0].lower()} — {t.kk.split(' (')[0].lower()})"
             for t in found.itertuples()]
    quoted(text, "пять новых терминов", *pairs)
