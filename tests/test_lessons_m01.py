"""The numbers quoted in module 01's folded solutions are true.

Markdown numbers next to a demo cell are pinned by ``# NBVAL_CHECK_OUTPUT`` cells (nbval checks them); the
folded «Решение» of an exercise is not executed, so each of its quoted figures is recomputed here from the data
with the solution's own method, and the test also finds the quoted text in the lesson (so an edit of either
side fails here).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from math import ceil
from pathlib import Path

import pandas as pd
from lesson_text import folded_solution, quoted

from smmkit import datasets
from smmkit.analysis.posting_time import activity_grid, plan_slots, reach_change, slot_label
from smmkit.autoposting import check_hootsuite_csv, check_telegram_schedule, plan_posts, telegram_schedule
from smmkit.platforms import load_facts
from smmkit.widgets import lab_state
from smmkit.widgets.posting_time import LabState

COURSE = Path(__file__).resolve().parents[1] / "course" / "01-autoposting"
APPROVED = "утверждён"


@cache
def data(name: str) -> pd.DataFrame:
    return datasets.load(name)


def solution(lesson: str, exercise: str) -> str:
    """The folded «Решение» that follows the «### Попробуйте» cell containing ``exercise``."""
    return folded_solution(COURSE / lesson, exercise)


def local(posts: pd.DataFrame) -> pd.Series:
    return posts["published_at_utc"].dt.tz_convert("Asia/Almaty")


# --- 01.01 -----------------------------------------------------------------------------------------------------


def test_0101_other_brands_cadence_in_the_text() -> None:
    """The sentence under the pinned `cadence` cell: each platform's range of posts a week of the other brands."""
    posts = data("posts")
    others = posts[~posts["account_id"].str.startswith("qc_")]
    weeks = (posts["published_at_utc"].max() - posts["published_at_utc"].min()).days / 7
    cadence = (others.groupby(["platform", "account_id"], observed=True).size() / weeks).round(1)

    def span(platform: str) -> str:
        low, high = cadence[platform].min(), cadence[platform].max()
        return f"от {low:.1f} до {high:.1f}".replace(".", ",")

    text = (COURSE / "01.01-content-plan.ipynb").read_text(encoding="utf-8")
    quoted(text, f"в Instagram {span('Instagram')} публикации в неделю", f"в Telegram — {span('Telegram')}",
           f"в TikTok — {span('TikTok')} ролика", f"на YouTube (длинные видео и Shorts) — {span('YouTube')} ролика")


def test_0101_tiktok_sales_posts() -> None:
    text = solution("01.01-content-plan.ipynb", "Отберите утверждённые публикации TikTok")
    plan = data("content_plan")
    tiktok = plan[(plan["status"] == APPROVED) & (plan["platform"] == "TikTok")]
    sales = tiktok[tiktok["rubric"].isin(["Продукт", "Акция"])]
    got = {(r.item_id, r.rubric, r.publish_date.day) for r in sales.itertuples()}
    assert got == {("CP-005", "Акция", 3), ("CP-014", "Акция", 7), ("CP-020", "Продукт", 10),
                   ("CP-029", "Продукт", 14)}
    assert len(tiktok) == 6
    quoted(text, "Четыре ролика", "CP-005 (Вт, 3 марта)", "CP-014 (Сб, 7 марта)", "CP-020 (Вт, 10 марта)",
           "CP-029 (Сб, 14 марта)", "Из шести роликов TikTok")
    assert [d.day_of_week for d in sales["publish_date"]] == [1, 5, 1, 5]


def test_0101_astana_fit_shares() -> None:
    text = solution("01.01-content-plan.ipynb", "рубрикатор Astana Fit")
    posts = data("posts")
    af = posts[posts["account_id"] == "af_ig"]
    rubric = af["rubric"].value_counts(normalize=True).round(2)
    fmt = af["format"].value_counts(normalize=True).round(2)
    assert rubric.min() == 0.13 and set(rubric[rubric == 0.13].index) == {"Истории клиентов"}
    assert rubric.max() == 0.20 and rubric.idxmax() == "Акция"
    assert (fmt["Reels"], fmt["Фото"], fmt["Карусель"]) == (0.38, 0.31, 0.31)
    plan = data("content_plan")
    ig = plan[(plan["status"] == APPROVED) & (plan["platform"] == "Instagram")]
    promo = (ig["rubric"] == "Акция").sum()
    assert (promo, len(ig), round(100 * promo / len(ig))) == (5, 11, 45)
    quoted(text, "от 13% («Истории клиентов»)", "до 20% («Акция»)", "Reels 38%, фото и карусели по 31%",
           "5 публикаций из 11", "около 45%")


def test_0101_telegram_photo_captions() -> None:
    text = solution("01.01-content-plan.ipynb", "подпись **под фото**")
    plan = data("content_plan")
    photo = plan[(plan["platform"] == "Telegram") & (plan["format"] == "Фото")]
    caption = (photo["text"] + " " + photo["hashtags"].fillna("")).str.strip().str.len()
    assert caption.max() < 150
    assert (caption > load_facts()["Telegram"].media_spec("caption_with_media")).sum() == 0
    quoted(text, "короче 150 символов", "длиннее предела нет ни одной")


# --- 01.02 -----------------------------------------------------------------------------------------------------


def test_0102_jet_delivery_telegram_hours() -> None:
    text = solution("01.02-posting-time.ipynb", "Jet Delivery (`account_id == \"jd_tg\"`)")
    posts = data("posts")
    jd = posts[posts["account_id"] == "jd_tg"]
    top = local(jd).dt.hour.value_counts().head(3)
    assert list(top.index) == [15, 17, 9] and list(top) == [35, 31, 24]
    assert ((local(jd).dt.day_of_week >= 5).sum(), len(jd)) == (49, 170)
    assert jd["published_at_utc"].dt.hour.value_counts().idxmax() == 10
    quoted(text, "в 15, 17 и 9 часов (35, 31 и 24 публикации)", "49 публикаций из 170", "10-й час")


def test_0102_bilim_online_dayparts() -> None:
    text = solution("01.02-posting-time.ipynb", "Bilim Online (`bo_tg`)")
    posts = data("posts")
    bo = posts[posts["account_id"] == "bo_tg"].copy()
    hours = local(bo).dt.hour
    bo["weekday"] = local(bo).dt.day_of_week
    bo["daypart"] = pd.cut(hours, bins=[0, 12, 17, 24], right=False, labels=["утро", "день", "вечер"])
    bo["reach_rate"] = bo["reach"] / bo["followers"]
    med = bo.pivot_table(index="weekday", columns="daypart", values="reach_rate", aggfunc="median", observed=True)
    cnt = bo.pivot_table(index="weekday", columns="daypart", values="reach_rate", aggfunc="count", observed=True)
    reliable = med.where(cnt >= 8)
    best = reliable.stack().idxmax()
    assert best == (1, "день") and round(reliable.loc[best], 3) == 0.314 and cnt.loc[best] == 13
    assert reliable["вечер"].isna().all()  # «Столбец «вечер» скрыт целиком»
    evening = cnt["вечер"]
    assert (evening.sum(), len(bo), evening.min(), evening.max()) == (23, 232, 2, 5)
    assert (round(med["вечер"].min(), 2), round(med["вечер"].max(), 2)) == (0.36, 0.51)
    assert med["вечер"].min() > reliable.max().max()  # «выше всех надёжных»
    quoted(text, "вторник, день (0,314 при 13 публикациях)", "23 публикации из 232", "по 2–5",
           "(0,36–0,51)")


def test_0102_jet_delivery_office_hours() -> None:
    text = solution("01.02-posting-time.ipynb", "Jet Delivery публикует в Instagram (`jd_ig`)")
    grid = activity_grid(data("audience_activity"), "jd_ig")
    office = plan_slots(grid, 5, hours=range(9, 18))
    free = plan_slots(grid, 5)
    assert [slot_label(s) for s in office] == [f"{d} 11:00" for d in ("Ср", "Чт", "Пт", "Сб", "Вс")]
    assert [slot_label(s) for s in free] == [f"{d} 18:00" for d in ("Ср", "Чт", "Пт", "Сб", "Вс")]
    assert round(100 * reach_change(grid, free, office)) == 14
    quoted(text, "обеденные 11:00 (среда — воскресенье)", "18:00 в те же дни", "около +14 %")


# --- 01.03 -----------------------------------------------------------------------------------------------------


def approved(account_id: str) -> pd.DataFrame:
    plan = data("content_plan")
    return plan[(plan["status"] == APPROVED) & (plan["account_id"] == account_id)].copy()


def tiktok_upload() -> pd.DataFrame:
    """The lesson's TikTok rows: an empty time filled with the audience's best hour that weekday (8–22)."""
    ok = approved("qc_tt")
    best_hour = activity_grid(data("audience_activity"), "qc_tt").loc[:, 8:22].idxmax(axis=1).to_numpy()
    empty = ok["publish_time"].isna()
    ok.loc[empty, "publish_time"] = [f"{best_hour[d]:02d}:00" for d in ok.loc[empty, "publish_date"].dt.day_of_week]
    when = pd.to_datetime(ok["publish_date"].dt.strftime("%Y-%m-%d") + " " + ok["publish_time"])
    ok["when"] = when.dt.tz_localize("Asia/Almaty")
    return ok


def test_0103_telegram_scheduled_messages() -> None:
    text = solution("01.03-bulk-upload.ipynb", "отложенные сообщения для Telegram-канала")
    requests = telegram_schedule(plan_posts(approved("qc_tg")), "@qazaqcoffee")
    with_photo = sum(r["method"] == "messages.sendMedia" for r in requests)
    assert (len(requests), with_photo) == (10, 5)
    assert check_telegram_schedule(requests) == []
    quoted(text, "Сообщений 10, из них 5 с фото; проблем нет")


def test_0103_postponed_upload() -> None:
    text = solution("01.03-bulk-upload.ipynb", "Загрузку отложили")
    ok = tiktok_upload()
    upload = pd.DataFrame({"date": ok["when"].dt.strftime("%d/%m/%Y %H:%M"),
                           "message": (ok["text"] + "\n\n" + ok["hashtags"].fillna("")).str.strip(),
                           "link": ok["link"].fillna("")})
    csv = upload.to_csv(header=False, index=False)
    media = ok["media_file"].fillna("").tolist()
    problems = check_hootsuite_csv(csv, "TikTok", now=datetime(2026, 3, 7, 13, 0), media_files=media)
    assert [p.row for p in problems] == [1, 2] and all("уже прошло" in p.message for p in problems)
    assert [d.day for d in ok["publish_date"].iloc[:3]] == [3, 5, 7]
    assert (ok["when"].dt.tz_localize(None) > pd.Timestamp("2026-03-07 13:00")).sum() == 4
    quoted(text, "строки 1 и 2 (3 и 5 марта)", "Пост 7 марта в 20:00 ещё успевает", "Можно загрузить 4 строки")


def test_0103_utc_profile() -> None:
    text = solution("01.03-bulk-upload.ipynb", "общему кабинету агентства")
    ok = tiktok_upload().set_index("item_id")
    utc = ok["when"].dt.tz_convert("UTC").dt.strftime("%d/%m/%Y %H:%M")
    assert ok.loc["CP-029", "publish_time"] == "20:00" and ok.loc["CP-010", "publish_time"] == "21:00"
    assert (utc["CP-029"], utc["CP-010"]) == ("14/03/2026 15:00", "05/03/2026 16:00")
    quoted(text, "`14/03/2026 15:00`", "`CP-010` (21:00 по Алматы) — на `05/03/2026 16:00`")


# --- 01.04 -----------------------------------------------------------------------------------------------------


def state(account_id: str, per_week: int, gap: int = 3) -> LabState:
    return lab_state(data("audience_activity"), data("posts"), account_id, per_week, gap)


def test_0104_task1_bilim_online() -> None:
    text = solution("01.04-lab-posting-time.ipynb", "Задание 1.")
    st = state("bo_tg", 5)
    assert st.labels == [f"{d} 20:00" for d in ("Пн", "Вт", "Ср", "Чт", "Вс")]
    assert round(100 * st.change) == 115
    quoted(text, "Понедельник, вторник, среда, четверг и воскресенье, все — в 20:00", "+115 %")


def test_0104_task2_gaps() -> None:
    text = solution("01.04-lab-posting-time.ipynb", "Задание 2.")
    assert state("bo_tg", 5, 1).labels == state("bo_tg", 5, 3).labels
    monday = {gap: state("bo_tg", 14, gap).labels[:2] for gap in (1, 3, 6)}
    assert monday == {1: ["Пн 20:00", "Пн 21:00"], 3: ["Пн 16:00", "Пн 20:00"], 6: ["Пн 14:00", "Пн 20:00"]}
    changes = [round(100 * state("bo_tg", 14, gap).change) for gap in (1, 3, 6)]
    assert changes == sorted(changes, reverse=True) and changes[1] < round(100 * state("bo_tg", 5).change)
    quoted(text, "20:00 и 21:00", "(16:00)")


def test_0104_task3_brands() -> None:
    text = solution("01.04-lab-posting-time.ipynb", "Задание 3.")
    accounts = data("accounts")
    rows = []
    for acc in accounts[accounts["account_id"] != "qc_ig"].itertuples():
        st = state(acc.account_id, 7)
        rows.append((acc.account_id, st.change, plan_slots(st.grid, 1)[0][1]))
    ranked = sorted(rows, key=lambda r: -r[1])
    assert {r[0] for r in ranked[:5]} == {"bo_tt", "bo_yt", "bo_tg", "bo_ig", "af_yt"} and ranked[-1][0] == "jd_fb"
    best_hour = {r[0]: r[2] for r in rows}
    for brand in ("ds", "bo"):
        assert best_hour[f"{brand}_tt"] == best_hour[f"{brand}_ig"] + 1
    assert best_hour["qc_tt"] == best_hour["qc_tg"] + 1
    quoted(text, "Bilim Online на всех четырёх площадках", "YouTube Astana Fit", "Jet Delivery в Facebook",
           "на час позже")


def test_0104_task4_astana_fit_morning() -> None:
    text = solution("01.04-lab-posting-time.ipynb", "Задание 4.")
    st = state("af_ig", 14)
    grid = st.grid
    assert grid.loc["Пн", 18] == grid.loc["Пн", 19] and grid.loc["Пн", 6] < grid.loc["Пн", 7]
    morning = plan_slots(grid, 14, min_gap_hours=3, hours=range(6, 23))
    assert [slot_label(s) for s in st.slots[:2]] == ["Пн 12:00", "Пн 18:00"]
    assert [slot_label(s) for s in morning[:2]] == ["Пн 07:00", "Пн 18:00"]
    assert round(100 * reach_change(grid, morning, st.slots)) == 7
    quoted(text, "доли в 18:00 и 19:00 равны", "из 12:00 на утро, в 07:00", "примерно на 7 %")


def test_0104_task5_cross_posting() -> None:
    text = solution("01.04-lab-posting-time.ipynb", "Задание 5.")
    ig, tt = state("ds_ig", 7), state("ds_tt", 7)
    assert {s[1] for s in ig.slots} == {21} and {s[1] for s in tt.slots} == {22}
    assert len({s[0] for s in ig.slots}) == 7
    assert round(100 * reach_change(tt.grid, tt.slots, ig.slots)) == 6
    quoted(text, "каждый день в 21:00, TikTok — в 22:00", "около 6 %")


def test_0104_task6_ten_posts() -> None:
    text = solution("01.04-lab-posting-time.ipynb", "Задание 6.")
    st = state("jd_ig", 10)
    assert ceil(10 / 7) == 2
    by_day: dict[int, list[int]] = {}
    for day, hour in st.slots:
        by_day.setdefault(day, []).append(hour)
    assert all(18 in hours for hours in by_day.values()) and len(by_day) == 7
    assert {d for d, hours in by_day.items() if 11 in hours} == {4, 5, 6}
    quoted(text, "Каждый день — 18:00", "в пятницу, субботу и воскресенье добавляется 11:00")
