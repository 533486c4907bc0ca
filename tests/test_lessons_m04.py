"""The numbers quoted in module 04's folded solutions (and in prose that no pinned cell prints) are true.

As in ``tests/test_lessons_m03.py``: the folded «Решение» of an exercise is not executed, so each quoted figure is
recomputed here from the data with the solution's own method, and the quoted text is found in the lesson (an edit
of either side fails here).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from lesson_text import Module, cells_text, data, quoted

from smmkit.profiles.calendar import dates_between
from smmkit.profiles.rules import load_plan_rules

COURSE = Path(__file__).resolve().parents[1] / "course" / "04-profiles"
LESSONS = Module("04-profiles")
lesson_text, solution = LESSONS.text, LESSONS.solution
NOW = pd.Timestamp("2026-03-01 09:00", tz="Asia/Almaty")


def ru(x: float) -> str:
    return f"{x:g}".replace(".", ",")


# --- 04.01 -----------------------------------------------------------------------------------------------------

L1 = "04.01-content-plan.ipynb"
WINDOWS = {"qc_ig": "10:00", "qc_tg": "09:00", "qc_tt": "16:00"}


def plan() -> pd.DataFrame:
    p = data("content_plan").copy()
    p["week"] = p["publish_date"].dt.isocalendar().week
    return p


def test_0401_instagram_quota_per_rubric() -> None:
    text = solution(L1, "Проверьте квоту Instagram")
    p = plan()
    ig = p[p["platform"] == "Instagram"]
    table = pd.crosstab(ig["rubric"], ig["week"]).stack()
    assert table[table > 3].to_dict() == {("Акция", 10): 4}
    assert set(table[table == 0].index) == {("Отзывы гостей", 10), ("Продукт", 10), ("Закулисье", 11),
                                            ("Развлечение", 11)}
    assert table[("Отзывы гостей", 11)] == 3
    quoted(text, "«Акция» в неделе 10 — 4 поста", "Пусто трижды", "«Отзывов гостей» сразу 3")


def test_0401_iso_week_needs_its_year() -> None:
    """The note on weeks across New Year: 29–31 December 2025 are ISO week 1 of 2026; March's plan is one ISO year."""
    last_days = pd.to_datetime(["2025-12-29", "2025-12-31"])
    assert (last_days.isocalendar()["year"] == 2026).all() and (last_days.isocalendar()["week"] == 1).all()
    assert (last_days.year == 2025).all() and plan()["publish_date"].dt.isocalendar()["year"].eq(2026).all()
    quoted(lesson_text(L1), "29–31 декабря 2025 года — это уже неделя 1 2026 года", "В плане марта такого нет")


def test_0401_quota_prose_and_pending() -> None:
    p = plan()
    promo = p[p["rubric"] == "Акция"].groupby("week").size()
    assert promo.to_dict() == {10: 7, 11: 1}
    assert len(p[(p["rubric"] == "Акция") & (p["week"] == 10) & (p["platform"] == "Instagram")]) == 4
    rules = load_plan_rules()
    assert rules["approval_hours_before"] == 48 and rules["late_after_minutes"] == 60
    pending = p[p["status"] != "утверждён"]
    assert pending["item_id"].tolist() == ["CP-006", "CP-018", "CP-030"]
    cp6 = pending.iloc[0]
    moment = pd.Timestamp(f"{cp6['publish_date']:%Y-%m-%d} {cp6['publish_time']}", tz="Asia/Almaty")
    hours = (moment - NOW).total_seconds() / 3600
    assert hours == 82.5 and (moment - pd.Timedelta(hours=48)).strftime("%d.%m %H:%M") == "02.03 19:30"
    assert pending.set_index("item_id").loc["CP-018", "status"] == "черновик"
    posts = data("posts")
    history = posts[posts["account_id"] == "qc_ig"]
    weeks = (posts.loc[posts["account_id"].isin(WINDOWS), "published_at_utc"].agg(["max", "min"]).diff().abs().iloc[1]
             .days / 7)
    assert round(len(history) / weeks) == 9
    quoted(lesson_text(L1), "7 акций при квоте 2, из них 4 в Instagram", "Во второй неделе акция одна",
           "Три строки не утверждены", "до выхода 82,5 часа", "до 2 марта, 19:30", "Instagram около 9 постов")


def test_0401_holidays_in_the_plan_and_template() -> None:
    p = plan()
    march = dates_between("2026-03-02", "2026-03-22")
    days_off = march[march["day_off"]]
    on_day_off = p.merge(days_off[["date", "name"]], left_on="publish_date", right_on="date")
    assert on_day_off["item_id"].tolist() == ["CP-015", "CP-016", "CP-017"]
    assert on_day_off.groupby("publish_date")["item_id"].agg(list).to_dict() == {
        pd.Timestamp("2026-03-08"): ["CP-015"], pd.Timestamp("2026-03-09"): ["CP-016", "CP-017"]}
    assert p.set_index("item_id").loc["CP-017", ["platform", "publish_time"]].tolist() == ["Telegram", "08:30"]
    assert not ((p["publish_date"] == "2026-03-08") & (p["platform"] == "Telegram")).any()
    ramadan = march[march["key"] == "ramadan"]["date"]
    assert p["publish_date"].between(ramadan.min(), ramadan.max()).all()
    # the two mistakes the lesson names: weekends by weekday, and «everything that is not religious»
    plan_days = set(p["publish_date"])
    weekends = {d.day for d in plan_days if d.day_of_week >= 5}
    not_religious = {d.day for d in plan_days & set(march.loc[march["kind"] != "religious", "date"])}
    assert sorted(weekends) == [7, 8, 14, 15] and sorted(not_religious) == [8, 9, 14, 15]
    assert set(march.loc[march["date"].dt.day.isin([14, 15]) & (march["kind"] != "religious"), "key"]) == {"nauryznama"}
    # the transfers the prose and «Главное» name: 8 March on a Sunday, Наурыз 21–22 on Saturday and Sunday
    later = dates_between("2026-03-01", "2026-03-31")
    moved = later.loc[later["key"].str.endswith("_transfer"), "date"].dt.day.tolist()
    assert moved == [9, 24, 25] and [pd.Timestamp(f"2026-03-{d}").day_of_week for d in (8, 21, 22)] == [6, 5, 6]
    assert later.loc[later["key"] == "nauryznama", "date"].dt.day.agg(["min", "max"]).tolist() == [14, 23]
    quoted(lesson_text(L1), "В плане на выходные дни календаря три поста", "8 марта — один пост, CP-015",
           "CP-016 и CP-017 в понедельник 9 марта", "пост Telegram в 08:30", "это 7, 8, 14 и 15 марта",
           "это 8, 9, 14 и 15 марта", "14 и 15 марта — дни Наурызнамы", "весь план приходится на Рамазан",
           "переносится на понедельник, 9 марта", "с 14 по 23 марта — Наурызнама",
           "выходные переносятся на 24 и 25 марта", "(9 марта, 24–25 марта 2026 года)")

    text = solution(L1, "Шаблон следующей недели")
    template = data("content_plan_template")
    week = dates_between("2026-03-16", "2026-03-22")
    marked = template.merge(week[["date", "key", "name", "day_off"]], left_on="publish_date", right_on="date")
    by_name = marked[marked["key"].isin(["oraza_ait", "nauryz"])].groupby("name")["platform"].agg(list)
    assert by_name.to_dict() == {"Ораза айт": ["Instagram", "Telegram"],
                                 "Наурыз мейрамы": ["Instagram", "TikTok", "Instagram"]}
    assert week.loc[week["key"] == "nauryz", "day_off"].all() and not week.loc[week["key"] == "oraza_ait",
                                                                               "day_off"].any()
    assert set(week.loc[week["key"] == "nauryznama", "date"]) == set(week["date"]) and not week.loc[
        week["key"] == "nauryznama", "day_off"].any()
    assert week["key"].str.endswith("_transfer").sum() == 0  # 24–25 March are the next week
    quoted(text, "Рамазан (16–19 марта)", "Наурызнама (вся неделя, не выходные)", "Ораза айт (20 марта, не выходной)",
           "Наурыз (21–22 марта", "перенесённые выходные 24–25 марта — уже следующая неделя",
           "2 публикации шаблона (Instagram и Telegram)", "в Наурыз — 3", "пять кандидатов")


def feb_report(utc_mistake: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """04.01's February plan-against-fact report (and the posts), as the lesson builds it."""
    rules = load_plan_rules()
    days = pd.date_range("2026-02-01", "2026-02-28", freq="D")
    feb = pd.DataFrame([(a, d) for a in WINDOWS for d in days if d.day_of_week in rules["rhythm"][a]["weekdays"]],
                       columns=["account_id", "date"])
    planned = pd.to_datetime(feb["date"].dt.strftime("%Y-%m-%d") + " " + feb["account_id"].map(WINDOWS))
    posts = data("posts")
    fact = posts[posts["account_id"].isin(WINDOWS)].copy()
    fact["local"] = fact["published_at_utc"].dt.tz_convert("Asia/Almaty")
    fact = fact[(fact["local"] >= "2026-02-01") & (fact["local"] < "2026-03-01")]
    fact["date"] = fact["local"].dt.tz_localize(None).dt.normalize()
    if utc_mistake:
        fact["local"] = fact["published_at_utc"].dt.tz_localize(None)
        feb["planned_at"] = planned
    else:
        feb["planned_at"] = planned.dt.tz_localize("Asia/Almaty")
    first = (fact.sort_values("local").groupby(["account_id", "date"], as_index=False)
             .agg(published_at=("local", "first"), post_id=("post_id", "first")))
    report = feb.merge(first, on=["account_id", "date"], how="left")
    delay = (report["published_at"] - report["planned_at"]).dt.total_seconds() / 60
    report["status"] = "пропущено"
    report.loc[delay <= 60, "status"] = "вовремя"
    report.loc[delay > 60, "status"] = "с опозданием"
    return report, fact


def test_0401_plan_against_fact_prose() -> None:
    report, fact = feb_report()
    counts = report["status"].value_counts()
    off_plan = fact[~fact["post_id"].isin(report["post_id"])]
    assert len(report) == 60 and len(fact) == 83 and len(off_plan) == 43
    assert (counts["вовремя"], counts["с опозданием"], counts["пропущено"]) == (17, 23, 20)
    tt = report[report["account_id"] == "qc_tt"]["status"].value_counts()
    assert tt["пропущено"] == 8 and len(report[report["account_id"] == "qc_tt"]) == 12
    assert (off_plan["account_id"] == "qc_tt").sum() == 18
    quoted(lesson_text(L1), "Из 60 запланированных публикаций февраля вовремя вышли только 17 (28%)",
           "с опозданием — 23, пропущено 20", "вышло 83 публикации, и 43 из них — вне плана",
           "пропущено 8 дней из 12 при 18 роликах вне плана", "15:14 по Алматы (10:14 UTC)")
    posts = data("posts")
    local = posts["published_at_utc"].dt.tz_convert("Asia/Almaty").dt.strftime("%H:%M")
    assert ((posts["account_id"] == "qc_ig") & (local == "15:14")).any()


def test_0401_utc_and_date_only_mistakes() -> None:
    text = solution(L1, "две типичные ошибки")
    report, fact = feb_report()
    wrong, _ = feb_report(utc_mistake=True)
    assert (wrong["status"] == "вовремя").sum() == 31
    assert report["published_at"].notna().sum() == 40
    local = fact["local"]
    assert local.dt.hour.min() >= 8 and local.dt.hour.max() <= 22
    assert (fact["published_at_utc"].dt.date == local.dt.date).all()
    quoted(text, "«вовремя» — 31 публикация вместо 17", "По одной дате «вовремя» — 40", "все 23 опоздания",
           "с 08:00 до 23:00 по Алматы")


def test_0401_off_plan_breakdown() -> None:
    text = solution(L1, "Разберите публикации вне плана")
    rules = load_plan_rules()
    report, fact = feb_report()
    off_plan = fact[~fact["post_id"].isin(report["post_id"])]
    planned_day = pd.Series([d in rules["rhythm"][a]["weekdays"] for a, d in
                             zip(off_plan["account_id"], off_plan["local"].dt.day_of_week, strict=True)],
                            index=off_plan.index)
    table = pd.crosstab(off_plan["account_id"], planned_day)
    assert (~planned_day).sum() == 25 and planned_day.sum() == 18
    assert table.loc["qc_tt", False] == 18 and table.loc["qc_tg", False] == 7
    assert table.loc["qc_ig", True] == 14 and table.loc["qc_tg", True] == 4
    assert (off_plan.loc[~planned_day & (off_plan["account_id"] == "qc_tg"), "local"].dt.day_of_week >= 5).all()
    quoted(text, "Из 43 постов вне плана 25", "18 роликов TikTok и 7 постов Telegram в выходные",
           "Ещё 18 — лишние посты", "(14 в Instagram, 4 в Telegram)", "у TikTok — 18")


# --- 04.02 -----------------------------------------------------------------------------------------------------

L2 = "04.02-texts.ipynb"


def test_0402_cta_in_the_plan() -> None:
    from smmkit.analysis.texts import has_cta

    text = solution(L2, "у скольких из 30 текстов")
    p = data("content_plan")
    cta = p["text"].map(has_cta)
    last = p.loc[~cta, "text"].str.extract(r"([^.!?]+[.!?])\s*$")[0].str.strip().value_counts()
    ends = p.loc[cta, "text"].str.extract(r"([^.!?]+[.!?])\s*$")[0].str.strip().value_counts()
    assert ends.to_dict() == {"Ждём вас!": 9, "Пишите в комментариях.": 1}
    assert last.to_dict() == {"Кто с нами?": 9, "Ссылка на меню — в профиле.": 5, "До встречи!": 4,
                              "Кто угадает первым?": 1, "Меню — по ссылке.": 1}
    quoted(text, "только у 10 текстов из 30 (девять «Ждём вас!» и одно «Пишите в комментариях.»)", "Остальные 20",
           "«Кто с нами?» — 9 раз", "«Кто угадает первым?» — 1",
           "«Ссылка на меню — в профиле.» — 5", "«Меню — по ссылке.» — 1", "«До встречи!» (4)")


def test_0402_lengths_and_hashtags_in_the_plan() -> None:
    from smmkit.analysis.texts import hashtag_range, hashtags

    text = solution(L2, "Проверьте тексты и хештеги мартовского плана")
    p = data("content_plan")
    ig, tt = p[p["platform"] == "Instagram"], p[p["platform"] == "TikTok"]
    assert (ig["text"].str.len() < 160).sum() == len(ig) == 14
    assert p["text"].str.len().agg(["min", "max"]).tolist() == [67, 104]
    assert (tt["text"].str.len() > 150).sum() == 0 and len(tt) == 6
    assert (tt["text"].map(lambda t: len(t.encode("utf-8"))) > 150).sum() == 3
    low, high = hashtag_range("Instagram")
    n_tags = ig["hashtags"].fillna("").map(lambda t: len(hashtags(t)))
    out = ig.loc[~n_tags.between(low, high), "item_id"]
    assert (low, high) == (3, 5) and out.tolist() == ["CP-021"] and n_tags[out.index[0]] == 8
    quoted(text, "Все 14 текстов Instagram короче 160", "(67–104 символа)", "по байтам — 3 из 6", "CP-021, где их 8")


def test_0402_drafts_prose() -> None:
    from smmkit.analysis.texts import caption_length, has_cta, hashtags, readability, tone_problems
    from smmkit.profiles.drafts import load_drafts

    d = load_drafts()
    lengths = d["text"].map(caption_length)
    octets = d["text"].map(lambda t: len(t.encode("utf-8")))
    assert lengths.tolist() == [312, 309, 187] and octets[:2].tolist() == [540, 549]
    assert d["text"].str.count("#")["nauryz_ru"] == 4 and len(hashtags(d.loc["nauryz_ru", "text"])) == 3
    assert d["text"].map(has_cta).tolist() == [True, True, False]
    read = {k: readability(t) for k, t in d["text"].items()}
    assert [read[k]["long_word_share"] for k in ("nauryz_kk", "nauryz_ru")] == [0.13, 0.05]
    assert all(5 <= r["words_per_sentence"] <= 7 for r in read.values())
    tone = {k: tone_problems(t, d.loc[k, "segment"]) for k, t in d["text"].items()}
    assert tone["nauryz_ru"] == tone["nauryz_kk"] == ["восклицательных знаков: 2, не больше 1"]
    assert tone["students_tt"] == ["эмодзи: 4, для сегмента «студенты» не больше 3",
                                   "восклицательных знаков: 4, не больше 2"]
    quoted(lesson_text(L2), "312 и 309 символов", "по байтам — 540 и 549", "187 символов", "решёток 4, а хештегов 3",
           "(13% против 5% в русском)", "5–7 слов в предложении", "4 эмодзи при пределе 3",
           "4 восклицательных знака при пределе 2")


def test_0402_spelling_prose() -> None:
    from smmkit.profiles.drafts import load_drafts
    from smmkit.profiles.spelling import brand_words, suggestions, unknown_words

    d = load_drafts()
    found = {k: unknown_words(t, allow=brand_words("qazaq_coffee")) for k, t in d["text"].items()}
    assert found["nauryz_ru"] == ["баурсаки", "бариста", "обезательно"]
    assert len(found["nauryz_kk"]) == 8 and {"отбасыңызбен", "қосылған", "мекенжайы", "профильдегі",
                                             "Coffee-ге"} <= set(found["nauryz_kk"])
    assert suggestions("обезательно")[0] == "обязательно"
    quoted(lesson_text(L2), "три неизвестных слова, но ошибка из них одна", "неизвестных слов 8")


def test_0402_kazakh_keyboard() -> None:
    from smmkit.profiles.spelling import speller, suggestions

    text = solution(L2, "русской раскладкой")
    kk = speller("kk")
    assert [kk.spell(w) for w in ["рахмет", "рақмет", "салем", "сәлем", "канша", "қанша"]] == [False, True] * 3
    assert suggestions("салем", "kk")[0] == "сәлем"
    assert suggestions("рахмет", "kk")[:2] == ["ахмет", "рақмет"]
    assert suggestions("канша", "kk")[:2] == ["анша", "қанша"]
    kk_comments = data("comments")[data("comments")["language"] == "kk"]
    assert kk_comments["text"].str.contains(r"\bрахмет\b", case=False).sum() == 29
    quoted(text, "в 29 казахских комментариях", "(«ахмет», «рақмет»; «анша», «қанша»)")


def test_0402_rewritten_students_post() -> None:
    from smmkit.analysis.texts import caption_length, has_cta, hashtag_range, hashtags, tone_problems

    text = solution(L2, "Перепишите студенческий ролик")
    mine = ("Студентам — раф за 900 ₸ 21 марта в кофейне на Абая ☕ "
            "Покажите студенческий на кассе! #наурыз #студенты #раф #qazaqcoffee")
    assert '"Студентам — раф за 900 ₸ 21 марта в кофейне на Абая ☕ "' in text
    low, high = hashtag_range("TikTok")
    assert caption_length(mine) == 121 and low <= len(hashtags(mine)) == 4 <= high
    assert has_cta(mine) and tone_problems(mine, "студенты") == []
    quoted(text, "121 символ, 4 хештега")


# --- 04.03 -----------------------------------------------------------------------------------------------------

L3 = "04.03-monitoring.ipynb"


def waiting_at(now: pd.Timestamp, brand: str | None = None, replied_later_counts: bool = False) -> pd.DataFrame:
    """04.03's comments that needed a reply in the 24 hours before ``now``, with wait_hours and state."""
    c = data("comments")
    w = c[(c["created_at"] >= now - pd.Timedelta(hours=24)) & (c["created_at"] < now) & ~c["is_deleted_by_moderator"]]
    if brand:
        w = w[w["brand_id"] == brand]
    need = w[w["is_question"] | (w["sentiment"] == "negative")].copy()
    answered = need["replied_at"].notna() if replied_later_counts else (
        need["replied_at"].notna() & (need["replied_at"] <= now))
    need["wait_hours"] = (need["replied_at"].where(answered, now) - need["created_at"]).dt.total_seconds() / 3600
    need["state"] = "нет ответа"
    need.loc[answered & (need["wait_hours"] <= 2), "state"] = "в срок"
    need.loc[answered & (need["wait_hours"] > 2), "state"] = "с опозданием"
    need.attrs["window"] = len(w)
    return need


def test_0403_morning_report_prose() -> None:
    from smmkit.profiles.replies import monitoring_rules

    rules = monitoring_rules()
    assert (rules["window_hours"], rules["sla_hours"]) == (24, 2)
    need = waiting_at(NOW)
    states = need["state"].value_counts()
    assert need.attrs["window"] == 47 and len(need) == 34
    assert (states["в срок"], states["с опозданием"], states["нет ответа"]) == (12, 10, 12)
    waiting = need[need["state"] == "нет ответа"].sort_values("wait_hours", ascending=False)
    oldest = waiting.iloc[0]
    assert oldest["comment_id"] == "C09801" and round(oldest["wait_hours"], 1) == 18.3
    assert oldest["created_at"] == pd.Timestamp("2026-02-28 14:41", tz="Asia/Almaty") and oldest["topic"] == "цена"
    assert (waiting["created_at"].iloc[1:].dt.hour >= 21).all()
    c9825 = data("comments").set_index("comment_id").loc["C09825"]
    assert c9825["created_at"].strftime("%d.%m %H:%M") == "28.02 21:41" and pd.isna(c9825["replied_at"])
    quoted(lesson_text(L3),
           "За сутки — 47 комментариев, 34 из них ждали ответа:",
           "12 отвечены в срок, 10 — с опозданием, 12 ещё без ответа",
           "C09801 — вопрос о цене в Dala Style, 18,3 часа", "28 февраля в 14:41",
           "Остальные неотвеченные пришли после 21:00", "28 февраля в 21:41", "через 41 минуту после конца смены")


def test_0403_jet_delivery_report() -> None:
    text = solution(L3, "утром 23 января 2026 года")
    now = pd.Timestamp("2026-01-23 09:00", tz="Asia/Almaty")
    need = waiting_at(now, "jet_delivery")
    trap = waiting_at(now, "jet_delivery", replied_later_counts=True)
    waiting = need[need["state"] == "нет ответа"]
    assert len(need) == 62 and len(waiting) == 42 and (trap["state"] == "нет ответа").sum() == 28
    assert (waiting["replied_at"] > now).sum() == 14
    assert round(waiting["wait_hours"].max(), 1) == 23.0 and (waiting["topic"] == "безопасность").sum() == 32
    quoted(text, "Ответа ждали 62 комментария, без ответа в момент отчёта — 42", "неотвеченных окажется 28",
           "ещё 14 ответов", "ждёт 23 часа", "32 неотвеченных — о безопасности")


def spikes() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """04.03's daily comments, threshold, negative share and spike flags (brands in columns)."""
    c = data("comments").copy()
    c["day"] = c["created_at"].dt.tz_localize(None).dt.normalize()
    days = pd.date_range("2025-09-01", "2026-02-28", freq="D")
    daily = c.groupby(["day", "brand_id"], observed=True).size().unstack(fill_value=0).reindex(days, fill_value=0)
    negative = (c.assign(neg=c["sentiment"] == "negative").groupby(["day", "brand_id"], observed=True)["neg"].sum()
                .unstack(fill_value=0).reindex(days, fill_value=0))
    norm = daily.shift(1).rolling(14)
    limit = norm.mean() + 3 * norm.std()
    share = negative / daily
    return daily, limit, share, (daily > limit) | ((share >= 0.4) & (daily >= 10))


def test_0403_spike_prose() -> None:
    from smmkit.profiles.replies import monitoring_rules

    spike_rules = monitoring_rules()["spike"]
    assert spike_rules == {"baseline_days": 14, "sigmas": 3, "negative_share": 0.4, "min_comments": 10}
    daily, limit, share, spike = spikes()
    jd = pd.DataFrame({"n": daily["jet_delivery"], "limit": limit["jet_delivery"].round(1),
                       "share": share["jet_delivery"].round(2), "spike": spike["jet_delivery"]})
    assert not spike.loc["2026-02-28"].any()
    assert tuple(jd.loc["2026-01-22"]) == (74, 29.6, 0.58, True)
    assert tuple(jd.loc["2026-01-23"]) == (70, 68.0, 0.5, True)
    assert tuple(jd.loc["2026-01-24"]) == (60, 86.0, 0.43, True)
    assert jd.loc["2026-01-25", "share"] == 0.3 and not jd.loc["2026-01-25", "spike"]
    comments = data("comments")
    normal = comments[~comments["created_at"].between(pd.Timestamp("2026-01-22", tz="Asia/Almaty"),
                                                    pd.Timestamp("2026-01-29", tz="Asia/Almaty"))]
    neg_share = (normal["sentiment"] == "negative").groupby(normal["brand_id"], observed=True).mean()
    assert neg_share.between(0.08, 0.12).all()
    quoted(lesson_text(L3), "Вчера всплесков не было ни у одного бренда",
           "74 комментария при пороге 29,6 и 58% негатива",
           "(68 на 23 января, 86 на 24-е)", "комментариев (70) ещё чуть больше порога",
           "только по доле негатива (43%)", "опустился до 30%", "в обычный день негатива 8–12%")


def test_0403_norm_with_the_day_itself() -> None:
    text = solution(L3, "Повторите ошибку нарочно")
    daily, limit, _, _ = spikes()
    wrong_norm = daily.rolling(14)
    wrong = daily > wrong_norm.mean() + 3 * wrong_norm.std()
    flagged = wrong["jet_delivery"].loc["2026-01-20":"2026-01-26"]
    assert list(flagged.index[flagged].strftime("%d.%m")) == ["22.01"]
    assert (daily > limit).sum().sum() == 13 and wrong.sum().sum() == 1
    quoted(text, "только 22 января; 23 января, когда комментариев было 70", "13 всплесков", "ошибочная — только 1")


def test_0403_missed_post_and_segments() -> None:
    rules = load_plan_rules()
    posts = data("posts")
    day = posts["published_at_utc"].dt.tz_convert("Asia/Almaty").dt.tz_localize(None).dt.normalize()
    out = set(posts.loc[(day == "2026-02-28") & posts["account_id"].isin(rules["rhythm"]), "account_id"])
    planned = {a for a, r in rules["rhythm"].items() if 5 in r["weekdays"]}
    assert pd.Timestamp("2026-02-28").day_of_week == 5
    assert planned - out == {"qc_tt"} and out - planned == {"qc_tg"}
    audience = data("audience")
    qc = audience[audience["brand_id"] == "qazaq_coffee"]
    family = qc["interests"].str.contains("семья и дети")
    tiktok = qc["platforms"].str.contains("TikTok")
    students = qc["age"].between(18, 24)
    assert round(tiktok[students].mean(), 2) == 0.72 and round(tiktok[family].mean(), 2) == 0.51
    assert round(qc.loc[students, "is_customer"].mean(), 2) == 0.52
    shares = {name: qc.loc[mask, "is_customer"].mean() for name, mask in
              {"офис": qc["age"].between(25, 40) & ~family, "семьи": family}.items()}
    assert all(v < 0.52 for v in shares.values())
    quoted(lesson_text(L3), "Вчера не вышел ролик в TikTok, а Telegram опубликовал пост в субботу",
           "TikTok смотрят 72% студентов и только 51% семей", "больше всего — 52%")


def test_0403_replies_for_the_waiting() -> None:
    from smmkit.profiles.replies import choose_reply, escalation_rules

    text = solution(L3, "Для 12 неотвеченных комментариев")
    need = waiting_at(NOW)
    waiting = need[need["state"] == "нет ответа"].sort_values("wait_hours", ascending=False)
    replies = pd.DataFrame([choose_reply(t, s, lang) for t, s, lang in
                            zip(waiting["topic"], waiting["sentiment"], waiting["language"], strict=True)],
                           index=waiting["comment_id"])
    late_negative = (waiting["sentiment"] == "negative") & (waiting["wait_hours"] >
                                                            escalation_rules()["unanswered_negative_hours"])
    escalate = replies["escalate"] | late_negative.to_numpy()
    assert list(replies.index[escalate]) == ["C09821", "C09825"]
    assert round(waiting.set_index("comment_id").loc["C09825", "wait_hours"], 1) > 11
    assert replies.loc["C09825", "template"] == "доставка / negative"
    assert replies.loc["C09826", "template"] == "по умолчанию: neutral"
    assert replies.loc["C09826", "text"].startswith("Сәлеметсіз бе")
    kk = waiting.loc[waiting["language"] == "kk", "comment_id"].tolist()
    by_topic = ~replies["template"].str.startswith("по умолчанию")
    missing = waiting.loc[~by_topic.to_numpy(), "topic"].value_counts()
    assert sorted(kk) == ["C09822", "C09826"] and by_topic.sum() == 5 and (~by_topic).sum() == 7
    assert missing.index[0] == "вопрос" and missing.iloc[0] == 5
    quoted(text, "Казахских ответов 2 (C09822 и C09826), русских 10",
           "По шаблону темы — 5 ответов, по общему шаблону — 7",
           "у темы «вопрос» (5 раз)")
    quoted(lesson_text(L3), "негатив без ответа больше 11 часов")


def test_0403_escalation_threshold_is_not_the_sla() -> None:
    """The lesson tells the escalation threshold from the reply SLA: both numbers it quotes are the rules' own."""
    from smmkit.profiles.replies import escalation_rules, monitoring_rules

    sla, threshold = monitoring_rules()["sla_hours"], escalation_rules()["unanswered_negative_hours"]
    assert (sla, threshold) == (2, 3)
    quoted(lesson_text(L3), f"ответить нужно за {sla} часа (`sla_hours`)",
           f"если ответа нет и через {threshold} часа (`unanswered_negative_hours`",
           "негатив — после порога эскалации (он дольше срока ответа)")


# --- 04.04 -----------------------------------------------------------------------------------------------------

L4 = "04.04-cross-posting.ipynb"


def run_solution(exercise: str) -> tuple[dict, str]:
    """Run 04.04's setup and data cells, then the code of the folded solution of ``exercise``; its printout."""
    import contextlib
    import io
    import re

    cells = cells_text(COURSE / L4)
    ns: dict = {}
    pinned = "# NBVAL_CHECK_OUTPUT\n"
    starts = ("from urllib", "template = datasets.load", pinned + "pf, ms = load_facts", pinned + "aspects =")
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in cells:
            if cell.startswith(starts):
                exec(cell, ns)
    text = solution(L4, exercise)
    code = re.search(r"```python\n(.*?)```", text, re.S)
    assert code, "the folded solution has a python block"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code.group(1), ns)
    return ns, out.getvalue()


def test_0404_tp01_to_tiktok_prose() -> None:
    from smmkit.analysis.texts import caption_length, hashtags, sentences
    from smmkit.profiles.crosspost import caption_max

    post = data("content_plan_template").set_index("item_id").loc["TP-01"]
    parts = sentences(post["text"])
    while len(parts) > 2 and caption_length(" ".join(parts)) > caption_max("TikTok", has_media=True):
        parts = parts[:1] + parts[2:]
    assert caption_length(post["text"]) == 190 and caption_length(" ".join(parts)) == 99 and len(parts) == 3
    assert len(hashtags(post["hashtags"])) == 4
    assert {p: caption_max(p, True) for p in ["Instagram", "TikTok", "Telegram"]} == {
        "Instagram": 1000, "TikTok": 150, "Telegram": 1000}
    handles = data("accounts").set_index("account_id")["handle"]
    assert (handles["qc_ig"], handles["qc_tt"]) == ("@qazaq.coffee", "@qazaqcoffee")
    quoted(lesson_text(L4), "Подпись Instagram — 190 символов", "со 190 до 99 символов", "ушло одно предложение",
           "Хештегов 4 — в пределах 3–8", "для Instagram и Telegram — 1 000 символов, для TikTok — 150",
           "`@qazaq.coffee` в Instagram, `@qazaqcoffee` в TikTok")


def test_0404_the_client_writes_the_profile_phrase() -> None:
    """Section 3's note on a04's client: 5 of the March plan's 30 texts already end with the profile-link phrase."""
    texts = data("content_plan")["text"]
    assert len(texts) == 30 and texts.str.rstrip().str.endswith("Ссылка на меню — в профиле.").sum() == 5
    quoted(lesson_text(L4), "В задании a04 у клиента правило другое",
           "5 текстов из 30 уже заканчиваются фразой «Ссылка на меню — в профиле.»")


def test_0404_tp02_to_instagram() -> None:
    _, printed = run_solution("Адаптируйте вручную TP-02")
    lines = printed.splitlines()
    assert lines[0].startswith("78 https://qazaqcoffee.kz/card?utm_source=instagram&")
    assert lines[1] == "1 (3, 5)"
    assert lines[2] == "True media/qazaq_coffee/TP-morning-cappuccino.jpg None"
    quoted(solution(L4, "Адаптируйте вручную TP-02"), "Текст — 78 символов",
           'Хештег один, а нижняя граница `hashtag_range("Instagram")` — 3', "`TP-morning-cappuccino.jpg`",
           "формат строки — «Текст»", '`design_size("Фото")`')


def test_0404_adapt_function() -> None:
    _, printed = run_solution("Соберите шаги раздела 3")
    results = {}
    for line in printed.splitlines():
        item, rest = line.split(" → ", 1)
        target, verdict = rest.split(" ", 1)
        results[(item, target)] = verdict
    fine = sorted(k for k, v in results.items() if v == "можно")
    assert len(results) == 7 and fine == [("TP-01", "TikTok"), ("TP-02", "Facebook"), ("TP-05", "Instagram")]
    assert results[("TP-02", "Instagram")] == "['хештегов 1, нужно от 3']"
    from smmkit.analysis.texts import hashtag_range

    assert hashtag_range("Telegram")[1] == 2 and hashtag_range("Facebook")[1] == 3
    assert results[("TP-01", "Telegram")] == "['хештегов 4, можно не больше 2']"
    from smmkit.platforms import load_facts
    from smmkit.profiles.crosspost import aspect_by_format

    vertical, facebook = aspect_by_format()["Reels"], load_facts()["Facebook"].media_spec("aspect_ratios")
    width, height = map(int, vertical.split(":"))
    assert width < height and vertical not in facebook
    for item in ("TP-01", "TP-05"):
        accepted = ", ".join(facebook)
        assert results[(item, "Facebook")] == (
            f"['хештегов 4, можно не больше 3', 'соотношение сторон {vertical}, а площадка принимает {accepted}']")
    quoted(solution(L4, "Соберите шаги раздела 3"), "Из семи переносов без проблем получились три",
           "TP-01 → TikTok, TP-05 → Instagram и TP-02 → Facebook", "мешают хештеги (один, нужно от 3)",
           "TP-01 → Telegram мешают хештеги: их четыре, а в Telegram можно не больше двух — два лишних",
           "TP-01 и TP-05 → Facebook мешает вертикальный ролик", "и хештегов там четыре при пределе 3")


def test_0404_own_hashtags_demo_prose() -> None:
    """Section 3's demo of a hashtag typed into the text, and the course adapt() on the same row (a04 Q4's rule)."""
    from smmkit.analysis.texts import hashtag_range, hashtags
    from smmkit.profiles.crosspost import adapt

    post = data("content_plan_template").set_index("item_id").loc["TP-01"]
    top, tags = hashtag_range("Telegram")[1], hashtags(post["hashtags"])
    assert (top, len(tags)) == (2, 4) and not hashtags(post["text"])
    demo = post.copy()
    demo["text"] += " #наурыз"
    out = adapt(demo, "Telegram")
    assert hashtags(out.text) == ["#наурыз", tags[0]] and len(out.problems) == 1
    quoted(lesson_text(L4), "В Telegram можно два хештега, один уже стоит в тексте — из четырёх хештегов строки "
           "добавляется только первый, три не помещаются", "он занимает одно из двух мест Telegram, поэтому из "
           "четырёх хештегов строки добавлен только первый")


def test_0404_prose_against_the_facts() -> None:
    """Section 2's closing sentence and the course's adapt(): vertical media goes to TikTok, not to Facebook."""
    from smmkit.platforms import load_facts
    from smmkit.profiles.crosspost import adapt, aspect_by_format

    pf, vertical = load_facts(), aspect_by_format()["Reels"]
    assert vertical in pf["TikTok"].media_spec("aspect_ratios")
    assert vertical not in pf["Facebook"].media_spec("aspect_ratios")
    examples = data("content_plan_template").dropna(subset=["cross_posting"]).set_index("item_id")
    handles = data("accounts").query("brand_id == 'qazaq_coffee'").set_index("platform")["handle"]
    ok = [(item, target) for item, row in examples.iterrows()
          for target in [*row["cross_posting"].split("; "), "Facebook"] if adapt(row, target, handles).ok]
    assert len(ok) == 3
    quoted(lesson_text(L4), "Ролики бренда вертикальные, и TikTok их принимает, а Facebook — нет",
           "три переноса из семи можно публиковать", "Соотношение сторон ролика есть в списке TikTok")


def test_0403_segments_platforms_and_interests() -> None:
    text = solution(L3, "Сравните сегменты подробнее")
    audience = data("audience")
    qc = audience[audience["brand_id"] == "qazaq_coffee"]
    family = qc["interests"].str.contains("семья и дети")
    segments = {"студенты": qc["age"].between(18, 24), "офис": qc["age"].between(25, 40) & ~family, "семьи": family}
    platforms = pd.DataFrame({n: qc[m]["platforms"].str.get_dummies(sep=";").mean() for n, m in segments.items()})
    interests = pd.DataFrame({n: qc[m]["interests"].str.get_dummies(sep=";").mean() for n, m in segments.items()})
    p = platforms.round(2)
    assert (p.loc["WhatsApp"].min(), p.loc["WhatsApp"].max()) == (0.88, 0.91)
    assert (p.loc["Instagram"].min(), p.loc["Instagram"].max()) == (0.79, 0.88)
    assert (p.loc["TikTok", "студенты"], p.loc["TikTok", "семьи"]) == (0.72, 0.51)
    assert (p.loc["Telegram"].min(), p.loc["Telegram"].max()) == (0.24, 0.31)
    diff = (interests["студенты"] - interests["семьи"]).sort_values().round(2)
    assert diff.tail(3).to_dict() == {"образование": 0.14, "музыка": 0.16, "игры": 0.18}
    assert diff.index[0] == "семья и дети" and diff.index[1] == "бизнес" and diff.iloc[1] == -0.10
    quoted(text, "WhatsApp есть у 88–91%", "Instagram — у 79–88%", "TikTok — у 72% студентов и только у 51% семей",
           "Telegram — у 24–31%", "игры (+18 п. п.), музыка (+16) и образование (+14)", "бизнес (+10)")


# --- 04.05 -----------------------------------------------------------------------------------------------------

L5 = "04.05-law.ipynb"


def run_law_solution(exercise: str) -> tuple[dict, str]:
    """Run 04.05's setup, data and section-1 cells, then the folded solution of ``exercise``; its printout."""
    import contextlib
    import io
    import re

    ns: dict = {}
    starts = ("import pandas", "cases = load_cases", "# NBVAL_CHECK_OUTPUT\nis_ad")
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in cells_text(COURSE / L5):
            if cell.startswith(starts):
                exec(cell, ns)
    code = re.search(r"```python\n(.*?)```", solution(L5, exercise), re.S)
    assert code, "the folded solution has a python block"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code.group(1), ns)
    return ns, out.getvalue()


def test_0405_scenario_and_ads_prose() -> None:
    from smmkit.platforms.advertising_law import load_law_facts
    from smmkit.profiles.law_cases import load_cases

    law, cases = load_law_facts(), load_cases()
    rules = list(law)
    assert len(law.acts) == 6 and len(rules) == 17 and sum(not r.verified for r in rules) == 7
    is_ad = cases["public"] & cases["promotes"]
    assert (int(is_ad.sum()), len(cases)) == (10, 15)
    assert cases.index[~is_ad].tolist() == ["LC-06", "LC-07", "LC-08", "LC-12", "LC-15"]
    assert cases.loc["LC-08", "kind"] == "сообщение в директ" and cases.loc["LC-12", "promotes"] == False  # noqa: E712
    paid = cases.index[(cases["author"] == "блогер") & cases["paid"]].tolist()
    assert paid == ["LC-03", "LC-04", "LC-05"]
    text = lesson_text(L5)
    quoted(text, "Актов шесть — пять законов и Правила маркировки; 10 правил из 17 курс сверил",
           "а 7 пометил «не сверено»", "у правила о рассылках — и сам текст",
           "Рекламой оказались 10 случаев из 15", "два сообщения одному человеку — в директ с промокодом и в WhatsApp",
           "Оплаченных публикаций блогеров три: LC-03, LC-04 и LC-05",
           "Это учебный материал, а не юридическая консультация", "https://adilet.zan.kz/rus")
    acts = law.acts
    assert acts["labelling_rules"].in_force.strftime("%d.%m.%Y") == "02.03.2024"
    assert (f"{acts['ai_law'].date:%d.%m.%Y}", f"{acts['ai_law'].in_force:%d.%m.%Y}") == ("17.11.2025", "18.01.2026")
    assert f"{acts['mass_media_law'].date:%d.%m.%Y}" == "19.06.2024"
    quoted(text, "действуют со 2 марта 2024 года", "подписан 17.11.2025, действует с 18.01.2026",
           "«О масс-медиа» (19.06.2024)")


def test_0405_labels() -> None:
    _, printed = run_law_solution("Проверьте маркировку трёх оплаченных публикаций")
    verdicts = {line.split()[0]: line.split(" | ")[0].split(" ", 1)[1] for line in printed.splitlines()}
    assert verdicts == {"LC-03": "нет пометки", "LC-04": "есть пометка", "LC-05": "нет пометки"}
    quoted(solution(L5, "Проверьте маркировку трёх оплаченных публикаций"), "Пометка есть только у LC-04",
           "LC-03 и LC-05 возвращаем блогерам", "у LC-05 только `#ad`")


def test_0405_language_and_price() -> None:
    _, printed = run_law_solution("Найдите рекламу (раздел 1")
    assert printed.strip() == "Нет казахского текста: ['LC-02'] | цена не в тенге: ['LC-11']"
    from smmkit.profiles.law_cases import load_cases

    cases = load_cases()
    assert cases.loc["LC-12", "text_kk"] is None and "$12" in cases.loc["LC-11", "text_ru"]
    quoted(solution(L5, "Найдите рекламу (раздел 1"), "Без казахского текста — одна реклама, LC-02",
           "LC-12 тоже только на русском", "Цена в долларах — у LC-11 (зерно, 250 г — $12)")


def test_0405_personal_data_consent_and_ai() -> None:
    _, printed = run_law_solution("Проверьте остальное")
    assert printed.strip() == "['LC-06'] ['LC-13'] ['LC-09']"
    from smmkit.profiles.law_cases import load_cases

    cases = load_cases()
    assert cases.loc["LC-14", "consent"] and cases.loc["LC-10", "ai_label"]
    quoted(solution(L5, "Проверьте остальное"), "Персональные данные — в ответе LC-06",
           "без согласия — LC-13 (Ержан)", "у LC-14 согласие сохранено", "без пометки — LC-09")


def test_0405_mailing_consent() -> None:
    """Section 6: the two messages to one person, the one that may not go out, and the rule behind it."""
    _, printed = run_law_solution("Найдите сообщения одному человеку")
    verdicts = {line.split()[0]: line.split(" | ")[1] for line in printed.splitlines()}
    assert verdicts == {"LC-08": "нельзя без согласия", "LC-15": "можно"}
    from smmkit.platforms.advertising_law import load_law_facts
    from smmkit.profiles.law_cases import load_cases

    cases, rule = load_cases(), load_law_facts()["ad_mailing_consent"]
    assert cases.loc[["LC-08", "LC-15"], "promotes"].all() and int((~cases["public"]).sum()) == 2
    assert rule.act.id == "advertising_law" and not rule.verified and "не сверен" in rule.article
    quoted(solution(L5, "Найдите сообщения одному человеку"), "Сообщений одному человеку два, и оба с предложением",
           "LC-15 в WhatsApp отправить можно", "LC-08 в директ — промокод Дане")
    quoted(lesson_text(L5), "только с **предварительного согласия** получателя", "правило помечено «не сверено»")


def test_0405_week_table_prose() -> None:
    from smmkit.platforms.advertising_law import load_law_facts
    from smmkit.profiles.law_cases import check_cases, load_cases

    checks = check_cases(load_cases(), load_law_facts().words())
    flagged = checks[checks.any(axis=1)]
    assert len(flagged) == 8 and (checks.sum(axis=1) <= 1).all()
    assert checks.sum().to_dict() == {"labelling_duty": 2, "ad_language": 1, "ad_price_tenge": 1,
                                      "ad_mailing_consent": 1, "personal_data_consent": 1,
                                      "personal_data_consent_form": 1, "ai_labelling": 1}
    assert checks.index[checks["ad_mailing_consent"]].tolist() == ["LC-08"]
    quoted(lesson_text(L5), "Из 15 материалов недели замечания у 8: две оплаченные публикации блогеров без пометки",
           "промокод в директ без согласия на рассылку", "те же семь проверок")


def test_0404_repost_candidates() -> None:
    text = solution(L4, "Найдите кандидатов на репост")
    _, printed = run_solution("Найдите кандидатов на репост")
    lines = printed.splitlines()
    assert lines[0] == "4 из 21 {'Instagram': 4}"
    assert lines[2].split()[:2] == ["M06546", "68"] and "люблю Qazaq Coffee" in lines[2]
    mentions = data("mentions").set_index("mention_id")
    assert "серввис" in mentions.loc["M06572", "text_snippet"]
    quoted(text, "Позитивных упоминаний 4 из 21, все в Instagram",
           "M06546 («Короче, люблю Qazaq Coffee ❤️ 10/10», охват 68)", "«серввис» в M06572")


# --- 04.06 -----------------------------------------------------------------------------------------------------


def test_0406_own_hashtags_demo_prose() -> None:
    """Section 1's demo: TP-01 with two hashtags typed into its text (a04 Q4's rule, in the lab's preview)."""
    from smmkit.analysis.texts import hashtag_range, hashtags
    from smmkit.widgets.plan_editor import crosspost_preview

    post = data("content_plan_template").set_index("item_id").loc["TP-01"]
    tags = hashtags(post["hashtags"])
    demo = crosspost_preview(post["text"] + " #наурыз #весна", post["hashtags"], ["Instagram", "Telegram", "TikTok"])
    added = {r.platform: hashtags(r.caption)[2:] for r in demo.itertuples()}
    tops = {p: hashtag_range(p)[1] for p in added}
    assert len(tags) == 4 and tops == {"Instagram": 5, "Telegram": 2, "TikTok": 8}
    assert {p: len(a) for p, a in added.items()} == {"Instagram": 3, "Telegram": 0, "TikTok": 4}
    tiktok = demo.set_index("platform").loc["TikTok"]
    assert tiktok["length"] > tiktok["max_length"] and "длиннее" in tiktok["problems"]
    quoted(lesson_text("04.06-lab-content-plan.ipynb"),
           "В Instagram из четырёх хештегов строки поместились три — вместе с хештегами текста это как раз предел, "
           "в Telegram — ни одного: оба места уже заняты", "В TikTok поместились все, но подпись длиннее предела")
