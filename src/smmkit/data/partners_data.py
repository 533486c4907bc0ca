"""Seeded generators for modules 03–04: the assistant's to-do list with partners and a blank content-plan template.

Planted in ``partner_tasks`` (documented in its datasheet): five open tasks whose weighted priority score is
strictly higher than every other open task's (a unique top 5), four overdue open tasks, integer
importance/urgency so that the Eisenhower quadrant of every task is definite, and tasks exactly on the rules'
thresholds (7 days, 3 days) so that `<` and `<=` give different answers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from smmkit.data import universe as u
from smmkit.data.recipe import Recipe

OFFSET = "+05:00"
STORY_NOW = pd.Timestamp(u.STORY_NOW).tz_localize(None)

PARTNER_TYPES = ("блогер", "типография", "фотограф", "поставщик", "агентство", "банк", "площадка", "СМИ")
TASK_STATUSES = ("новая", "в работе", "ждём ответа", "готово")
PRIORITY_WEIGHTS = (0.5, 0.3, 0.2)
"""Weighted priority = 0.5·importance + 0.3·urgency + 0.2·ease (ease from effort_hours, see :func:`ease`)."""

# (partner, partner_type, language, brand_ids the partner works with)
PARTNERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Блогер @aru_eats", "блогер", "ru", ("qazaq_coffee", "jet_delivery")),
    ("Блогер @shymkent_foodie", "блогер", "ru", ("jet_delivery",)),
    ("Блогер @dana_fitlife", "блогер", "ru", ("astana_fit",)),
    ("Блогер @ustaz_aizhan", "блогер", "kk", ("bilim_online",)),
    ("Блогер @stylebyamina", "блогер", "ru", ("dala_style",)),
    ("Блогер @qazaqsha_vlog", "блогер", "kk", ("qazaq_coffee", "bilim_online")),
    ("Типография «Әріп Print»", "типография", "ru", ("qazaq_coffee", "jet_delivery", "astana_fit")),
    ("Фотограф Ерлан Касымов", "фотограф", "ru", ("dala_style", "qazaq_coffee")),
    ("Видеограф Айжан Нурпеисова", "фотограф", "kk", ("astana_fit", "bilim_online")),
    ("Anatolia Tekstil A.Ş. (Стамбул)", "поставщик", "en", ("dala_style",)),
    ("Highland Beans Ltd (Лондон)", "поставщик", "en", ("qazaq_coffee",)),
    ("Агентство «Пиксель и Ко» (Москва)", "агентство", "ru", ("dala_style", "jet_delivery")),
    ("Oasis Creators FZ-LLC (Дубай)", "агентство", "en", ("dala_style",)),
    ("LearnLoop Pte. Ltd. (Сингапур)", "агентство", "en", ("bilim_online",)),
    ("Маркетинг Steppe Bank", "банк", "ru", ("qazaq_coffee", "jet_delivery")),
    ("ТРЦ «Көктем Плаза»", "площадка", "kk", ("qazaq_coffee", "astana_fit")),
    ("Портал «Шымкент Today»", "СМИ", "ru", ("jet_delivery",)),
)

# Task templates by partner type: (task, requested info or "" when nothing has to be requested).
_TASKS: dict[str, tuple[tuple[str, str], ...]] = {
    "блогер": (
        ("Согласовать с партнёром дату выхода интеграции {brand} и текст промокода",
         "охваты сторис за 14 дней, демография аудитории (город, возраст), цена поста и сторис"),
        ("Запросить у партнёра статистику прошлой интеграции {brand}",
         "скриншоты статистики: охват, показы, переходы по ссылке, использования промокода"),
        ("Отправить партнёру бриф на рекламу {brand}", ""),
        ("Проверить, что партнёр отметил {brand} в сторис и поставил ссылку", ""),
        ("Подписать с партнёром договор на 3 публикации {brand}", "реквизиты ИП, ИИН/БИН, график публикаций"),
        ("Обсудить с партнёром бартер вместо оплаты для {brand}", "какие форматы готов сделать по бартеру и когда"),
    ),
    "типография": (
        ("Заказать 500 стаканчиков и пакетов с логотипом {brand}", "счёт на оплату, сроки печати, требования к макету"),
        ("Согласовать макет листовок {brand}", "требования к макету (CMYK, вылеты 3 мм, формат PDF), цветопроба"),
        ("Получить счёт на печать наклеек {brand}", "счёт, тираж и цена за штуку, срок готовности"),
    ),
    "фотограф": (
        ("Согласовать фотосессию новинок {brand}", "смета, дата и время съёмки, сроки обработки, права на фото"),
        ("Получить исходники с прошлой съёмки {brand}", "ссылка на архив исходников, список отобранных кадров"),
        ("Заказать съёмку Reels для {brand}", "смета, сценарий или раскадровка, сроки монтажа"),
    ),
    "поставщик": (
        ("Написать на английском письмо партнёру о сроках поставки для {brand}",
         "tracking number, ETA, commercial invoice (номер отслеживания, дата прибытия, инвойс)"),
        ("Запросить на английском сертификаты и фото образцов для {brand}",
         "certificates of origin and composition, sample photos (сертификаты, фото образцов)"),
        ("Подготовить ответ на английском на претензию по партии {brand}", "номер партии, фото брака, акт приёмки"),
    ),
    "агентство": (
        ("Согласовать с агентством медиаплан таргета {brand} на март", "медиаплан: бюджет по площадкам, KPI, сроки"),
        ("Запросить у агентства отчёт по кампании {brand} за февраль",
         "отчёт в Excel: показы, клики, CPC, лиды, расход; доступ в рекламный кабинет"),
        ("Проверить счёт агентства за февраль по {brand}", "акт выполненных работ, детализация расхода"),
    ),
    "банк": (
        ("Согласовать с банком механику кешбэка для клиентов {brand}", "сроки акции, механика, требования к логотипам"),
        ("Отправить банку логотипы и тексты рассылки о партнёрстве с {brand}", ""),
    ),
    "площадка": (
        ("Согласовать промостойку {brand} в ТРЦ на выходные", "план этажа, стоимость места, требования безопасности"),
        ("Получить от ТРЦ разрешение на съёмку для {brand}", "письмо-разрешение, часы съёмки, контакт охраны"),
    ),
    "СМИ": (
        ("Отправить в редакцию пресс-релиз о новом меню {brand}", "дедлайн публикации, объём текста, нужны ли фото"),
        ("Согласовать интервью с директором {brand}", "список вопросов, дата и формат интервью"),
    ),
}  # fmt: skip

_ENGLISH_NOTE = " (переписка на английском)"

PLANTED_TOP5: tuple[dict, ...] = (
    {"brand_id": "qazaq_coffee", "partner": "Блогер @aru_eats", "importance": 5, "effort_hours": 0.5,
     "deadline": "2026-03-01T18:00", "received_at": "2026-02-28T21:15", "status": "новая",
     "task": "Подтвердить блогеру промокод QAZAQ15 для интеграции Qazaq Coffee, которая выходит 2 марта в 19:30",
     "requested_info": "финальный текст поста и время публикации"},
    {"brand_id": "qazaq_coffee", "partner": "Типография «Әріп Print»", "importance": 5, "effort_hours": 1.5,
     "deadline": "2026-03-02T08:00", "received_at": "2026-02-27T16:40", "status": "ждём ответа",
     "task": "Получить исправленный макет стаканчиков к запуску весеннего меню Qazaq Coffee",
     "requested_info": "исправленный макет в PDF (CMYK) и подтверждение тиража 2 000 шт."},
    {"brand_id": "dala_style", "partner": "Anatolia Tekstil A.Ş. (Стамбул)", "importance": 5, "effort_hours": 1.0,
     "deadline": "2026-03-03T12:00", "received_at": "2026-02-26T11:05", "status": "новая",
     "task": "Ответить на английском: подтвердить заказ весенней партии Dala Style и дату отгрузки",
     "requested_info": "proforma invoice и дата отгрузки (shipment date)"},
    {"brand_id": "qazaq_coffee", "partner": "Маркетинг Steppe Bank", "importance": 5, "effort_hours": 3.0,
     "deadline": "2026-02-27T18:00", "received_at": "2026-02-20T10:30", "status": "в работе",
     "task": "Подготовить для банка тексты и логотипы к рассылке об акции «кешбэк 10 % в Qazaq Coffee»",
     "requested_info": "требования к логотипам и длине текста, дата рассылки"},
    {"brand_id": "dala_style", "partner": "Агентство «Пиксель и Ко» (Москва)", "importance": 5, "effort_hours": 2.0,
     "deadline": "2026-03-03T18:00", "received_at": "2026-02-25T14:20", "status": "в работе",
     "task": "Согласовать с агентством медиаплан таргета Dala Style на март",
     "requested_info": "медиаплан: бюджет по площадкам, KPI, даты запуска"},
)  # fmt: skip
"""The unique weighted top 5 among open tasks (priority 5.0, 4.8, 4.7, 4.6, 4.5), in rank order."""

PLANTED_OVERDUE: tuple[dict, ...] = (
    {"brand_id": "jet_delivery", "partner": "Портал «Шымкент Today»", "importance": 3, "effort_hours": 4.0,
     "deadline": "2026-02-25T18:00", "received_at": "2026-02-16T12:00", "status": "ждём ответа",
     "task": "Согласовать публикацию материала «Как Jet Delivery проверяет кухни» после январской проверки",
     "requested_info": "дата публикации, нужен ли комментарий директора"},
    {"brand_id": "astana_fit", "partner": "Видеограф Айжан Нурпеисова", "importance": 2, "effort_hours": 6.0,
     "deadline": "2026-02-28T12:00", "received_at": "2026-02-18T09:45", "status": "в работе",
     "task": "Получить смонтированный ролик о новом зале Astana Fit",
     "requested_info": "ссылка на финальный ролик, исходники, музыка с лицензией"},
    {"brand_id": "bilim_online", "partner": "LearnLoop Pte. Ltd. (Сингапур)", "importance": 1, "effort_hours": 12.0,
     "deadline": "2026-02-26T17:00", "received_at": "2026-02-10T15:30", "status": "новая",
     "task": "Написать на английском запрос на демо-доступ к платформе LearnLoop для Bilim Online",
     "requested_info": "demo access, price list per student, data privacy terms (демо-доступ, прайс, условия)"},
)  # fmt: skip
"""Open tasks past their deadline besides the Steppe Bank task of the top 5 (four overdue tasks in all)."""

PLANTED_BOUNDARY: tuple[dict, ...] = (
    {"brand_id": "jet_delivery", "partner": "Портал «Шымкент Today»", "importance": 2, "effort_hours": 3.0,
     "deadline": "2026-03-08T09:00", "received_at": "2026-02-28T22:05", "status": "новая",
     "task": "Согласовать с порталом поздравление Jet Delivery к 8 Марта, которое выходит 8 марта в 09:00",
     "requested_info": "требования к баннеру, финальный текст и время выхода"},
    {"brand_id": "astana_fit", "partner": "ТРЦ «Көктем Плаза»", "importance": 2, "effort_hours": 2.0,
     "deadline": "2026-03-04T09:00", "received_at": "2026-03-01T07:50", "status": "ждём ответа",
     "task": "Получить от ТРЦ разрешение на съёмку для Astana Fit",
     "requested_info": "письмо-разрешение, часы съёмки, контакт охраны"},
    {"brand_id": "dala_style", "partner": "Фотограф Ерлан Касымов", "importance": 2, "effort_hours": 1.5,
     "deadline": "2026-03-04T18:00", "received_at": "2026-03-01T08:10", "status": "ждём ответа",
     "task": "Получить исходники с прошлой съёмки Dala Style",
     "requested_info": "ссылка на архив исходников, список отобранных кадров"},
)  # fmt: skip
"""Tasks on the thresholds of the rules (added after the random ones, so they do not move the others' numbers):
a deadline exactly 7 days (168 h) ahead (T113), a task we wait on due exactly 3 days (72 h) ahead (T114) and one
due 3.375 days ahead (T115: more than 3 days, but «3» once rounded). The day plan already ends exactly on its
6 hours (T086); the week plan keeps 4.5 spare hours on purpose: there, taking small tasks past the first one that
does not fit gives a different plan (a plan filled exactly could not tell that mistake apart)."""


def urgency(deadline: pd.Timestamp, now: pd.Timestamp = STORY_NOW) -> int:
    """Urgency 1–5 of an open task by time left: overdue or ≤ 24 h 5, ≤ 3 days 4, ≤ 7 days 3, ≤ 14 days 2, else 1."""
    hours = (deadline - now) / pd.Timedelta(hours=1)
    for limit, level in ((24, 5), (72, 4), (168, 3), (336, 2)):
        if hours <= limit:
            return level
    return 1


def ease(effort_hours: float) -> int:
    """Ease 1–5 from the effort: ≤ 1 h 5, ≤ 2 h 4, ≤ 4 h 3, ≤ 8 h 2, more 1."""
    for limit, level in ((1, 5), (2, 4), (4, 3), (8, 2)):
        if effort_hours <= limit:
            return level
    return 1


def _score10(importance: int, urgency_: int, effort_hours: float) -> int:
    """Ten times the weighted priority, as an integer (no float ties)."""
    return 5 * importance + 3 * urgency_ + 2 * ease(effort_hours)


def _pick(rng: np.random.Generator, seq: Sequence):
    """One element of ``seq``, uniformly."""
    return seq[int(rng.integers(len(seq)))]


def make_partner_tasks(seed: int = 303, n_random: int = 104) -> pd.DataFrame:
    """The SMM assistant's to-do list with partners on 1 March 2026: planted top 5, overdue, boundary and the rest."""
    rng = np.random.default_rng(seed)
    names = {b.brand_id: b.name for b in u.BRANDS}
    efforts = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0)
    rows = []
    for spec in PLANTED_TOP5 + PLANTED_OVERDUE:
        row = dict(spec)
        row["deadline"], row["received_at"] = pd.Timestamp(spec["deadline"]), pd.Timestamp(spec["received_at"])
        rows.append(row)
    cap = min(_score10(r["importance"], urgency(r["deadline"]), r["effort_hours"]) for r in rows[:5]) - 1
    while len(rows) < 5 + len(PLANTED_OVERDUE) + n_random:
        name, ptype, _, brands = _pick(rng, PARTNERS)
        brand_id = _pick(rng, brands)
        task, info = _pick(rng, _TASKS[ptype])
        received = (STORY_NOW - pd.Timedelta(minutes=int(rng.integers(60, 40 * 24 * 60)))).floor("5min")
        deadline = received.normalize() + pd.Timedelta(
            days=int(rng.integers(1, 36)), hours=_pick(rng, (10, 12, 15, 18))
        )
        done = deadline < STORY_NOW + pd.Timedelta(days=1) or rng.random() < 0.12
        if done:
            status = "готово"
        else:
            status = _pick(rng, TASK_STATUSES[:3])
        importance = int(rng.choice([1, 2, 3, 4, 5], p=[0.1, 0.2, 0.3, 0.25, 0.15]))
        effort = float(_pick(rng, efforts))
        if status != "готово" and _score10(importance, urgency(deadline), effort) > cap:
            continue  # keep the planted top 5 unique
        rows.append(
            {"brand_id": brand_id, "partner": name, "importance": importance, "effort_hours": effort,
             "deadline": deadline, "received_at": received, "status": status,
             "task": task.format(brand=names[brand_id]), "requested_info": info or None}
        )  # fmt: skip
    for spec in PLANTED_BOUNDARY:  # after the random rows: the generator's stream is not moved
        row = dict(spec)
        row["deadline"], row["received_at"] = pd.Timestamp(spec["deadline"]), pd.Timestamp(spec["received_at"])
        rows.append(row)
    df = pd.DataFrame(rows)
    info = {p[0]: p for p in PARTNERS}
    df["partner_type"] = df["partner"].map(lambda p: info[p][1])
    df["language"] = df["partner"].map(lambda p: info[p][2])
    english = df["language"].eq("en") & ~df["task"].str.contains("английск")
    df.loc[english, "task"] = df.loc[english, "task"] + _ENGLISH_NOTE
    df["urgency"] = df["deadline"].map(urgency).astype("Int64").where(df["status"].ne("готово"))
    df = df.sort_values(["received_at", "partner"], kind="stable").reset_index(drop=True)
    df.insert(0, "task_id", [f"T{i:03d}" for i in range(1, len(df) + 1)])
    for col in ("received_at", "deadline"):
        df[col] = df[col].dt.strftime("%Y-%m-%dT%H:%M:00") + OFFSET
    return df[["task_id", "brand_id", "partner", "partner_type", "language", "task", "received_at", "deadline",
               "importance", "urgency", "effort_hours", "status", "requested_info"]]  # fmt: skip


# --- content-plan template -------------------------------------------------------------------------------

TEMPLATE_WEEK_START = "2026-03-16"  # Monday after the March plan of `content_plan`
_CADENCE = (("qc_ig", "Instagram", (0, 1, 2, 3, 4, 5, 6), ("Reels", "Фото", "Карусель")),
            ("qc_tg", "Telegram", (0, 1, 2, 3, 4), ("Текст", "Фото")),
            ("qc_tt", "TikTok", (1, 3, 5), ("Видео",)))  # fmt: skip

_EXAMPLES = {
    ("qc_ig", 0): {
        "publish_time": "19:30", "rubric": "Продукт",
        "text": "Весеннее меню уже в кофейнях Qazaq Coffee! Лавандовый раф, матча с клубникой и тыквенный латте "
        "на кокосовом молоке — до конца апреля. Какой напиток попробуете первым? Пишите в комментариях 🌸",
        "link": "https://qazaqcoffee.kz/menu", "hashtags": "#qazaqcoffee #кофеалматы #весеннееменю #раф",
        "media_file": "media/qazaq_coffee/TP-spring-menu.mp4", "status": "утверждён", "approved_by": "А. Сейткали",
        "utm_link": "https://qazaqcoffee.kz/menu?utm_source=instagram&utm_medium=social"
                    "&utm_campaign=spring_menu_2026&utm_content=reels_0316",
        "cross_posting": "Telegram; TikTok",
    },
    ("qc_tg", 0): {
        "publish_time": "08:30", "rubric": "Акция",
        "text": "Доброе утро! Всю неделю с 8 до 10 второй капучино — в подарок по карте гостя ☕",
        "link": "https://qazaqcoffee.kz/card", "hashtags": "#qazaqcoffee",
        "media_file": "media/qazaq_coffee/TP-morning-cappuccino.jpg",
        "status": "утверждён", "approved_by": "А. Сейткали",
        "utm_link": "https://qazaqcoffee.kz/card?utm_source=telegram&utm_medium=social"
                    "&utm_campaign=morning_cappuccino&utm_content=post_0316",
        "cross_posting": "Instagram",
    },
    ("qc_tt", 1): {
        "publish_time": "21:00", "rubric": "Закулисье",
        "text": "Бариста Айгерим за 30 секунд рисует на пенке барса. Повторите дома? 🐆",
        "link": None, "hashtags": "#qazaqcoffee #бариста #латтеарт #алматы",
        "media_file": "media/qazaq_coffee/TP-latte-art.mp4",
        "status": "на согласовании", "approved_by": None, "utm_link": None, "cross_posting": "Instagram",
    },
}  # fmt: skip


def make_content_plan_template() -> pd.DataFrame:
    """A one-week content-plan sheet for Qazaq Coffee (16–22 March 2026): 3 worked examples, 12 rows to fill."""
    start = pd.Timestamp(TEMPLATE_WEEK_START)
    rows = []
    for day in range(7):
        date = start + pd.Timedelta(days=day)
        for account, platform, weekdays, formats in _CADENCE:
            if date.day_of_week not in weekdays:
                continue
            k = weekdays.index(date.day_of_week)
            row = {"account_id": account, "platform": platform, "publish_date": date.strftime("%Y-%m-%d"),
                   "publish_time": None, "rubric": None, "format": formats[k % len(formats)], "text": None,
                   "link": None, "hashtags": None, "media_file": None,
                   "status": "черновик", "approved_by": None, "utm_link": None,
                   "cross_posting": None}  # fmt: skip
            row.update(_EXAMPLES.get((account, day), {}))
            rows.append(row)
    df = pd.DataFrame(rows)
    df.insert(0, "item_id", [f"TP-{i:02d}" for i in range(1, len(df) + 1)])
    return df


RECIPES: tuple[Recipe, ...] = (
    Recipe("partner_tasks", lambda: make_partner_tasks(seed=303),
           "smmkit.data.partners_data.make_partner_tasks(seed=303)"),
    Recipe("content_plan_template", make_content_plan_template,
           "smmkit.data.partners_data.make_content_plan_template()"),
)  # fmt: skip
