"""A two-week content plan of Qazaq Coffee, as an SMM manager hands it to the assistant.

Planted for teaching (listed for instructors in ``grader/instructor/a01-planted-errors.md``, not in the
datasheet, because assignment a01 asks students to find them): rows that are not approved yet, rows without a
time (the assistant chooses the slot), an Instagram post with more hashtags than Instagram allows, an Instagram
post without its photo or video, and a post whose text repeats another one word for word.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smmkit.data.recipe import Recipe

PLAN_START = "2026-03-02"  # a Monday
PLAN_DAYS = 14
MEDIA_DIR = "media/qazaq_coffee"

_OPENERS = ("Сәлем, Алматы!", "Всем привет!", "Сәлеметсіз бе!", "Друзья,", "Привет!", "Новость дня:")
_TOPICS = {
    "Продукт": (
        "Попробуйте наш новый раф с куртом и карамелью — вкус детства в одной чашке.",
        "Зерно из Эфиопии уже в кофейнях: яркая кислинка и нотки ягод.",
        "Матча-латте на кокосовом молоке вернулось в меню.",
    ),
    "Акция": (
        "С 8 до 10 утра второй капучино в подарок по карте гостя.",
        "Покажите студенческий билет и получите скидку 15% на любой напиток.",
        "Весь март к каждому десерту — американо за 500 ₸.",
    ),
    "Закулисье": (
        "Как наш бариста Айгерим готовит идеальный флэт уайт: показываем шаг за шагом.",
        "Утро в обжарочном цехе: откуда берётся аромат в кофейне на Абая.",
        "Знакомьтесь, команда кофейни в ТРЦ «Достык»!",
    ),
    "Полезное": (
        "Пять способов заварить кофе дома без кофемашины.",
        "Чем арабика отличается от робусты — коротко и понятно.",
        "Сколько кофеина в чашке эспрессо и чашке чая? Сравнили.",
    ),
    "Отзывы гостей": (
        "Гость Данияр пишет: «Лучший капучино в Бостандыкском районе». Спасибо!",
        "Ваши отзывы за неделю: собрали самые тёплые слова.",
        "Наша гостья Мадина приходит к нам каждое утро уже два года. Её история — в посте.",
    ),
    "Развлечение": (
        "Угадайте напиток по трём эмодзи ☕🍯🥛 — ответы пишите в комментариях!",
        "Тест: какой вы кофе по знаку зодиака?",
        "Конкурс рисунков на стаканчиках: лучшие работы — в карусели.",
    ),
}
_CTA = ("Ждём вас!", "Кто с нами?", "Пишите в комментариях.", "Ссылка на меню — в профиле.", "До встречи!")
_TAGS = ("#кофе", "#алматы", "#qazaqcoffee", "#кофейня", "#кофеалматы", "#бариста", "#утро", "#капучино",
         "#латте", "#алматыкофе", "#coffee", "#almaty", "#kazakhstan", "#десерты", "#завтрак")
_SLOTS = {"qc_ig": ("10:00", "13:00", "19:30"), "qc_tg": ("08:30", "12:30"), "qc_tt": ("20:00", "21:00")}
_FORMATS = {"qc_ig": ("Фото", "Карусель", "Reels"), "qc_tg": ("Текст", "Фото"), "qc_tt": ("Видео",)}
_PLATFORM = {"qc_ig": "Instagram", "qc_tg": "Telegram", "qc_tt": "TikTok"}
_CADENCE = {"qc_ig": (0, 1, 2, 3, 4, 5, 6), "qc_tg": (0, 1, 2, 3, 4), "qc_tt": (1, 3, 5)}
_MEDIA_SUFFIX = {"Фото": ".jpg", "Карусель": ".jpg", "Reels": ".mp4", "Видео": ".mp4", "Текст": ""}
# The most hashtags a plan row gets on each account: the Instagram plan follows the platform's hashtag rule of
# December 2025 (the limit itself lives in smmkit.platforms; tests/test_generators.py checks the plan against it,
# and only the planted row breaks it).
_MAX_TAGS = {"qc_ig": 5, "qc_tg": 2, "qc_tt": 8}
_MENU = "https://qazaqcoffee.kz/menu"
_WOMENS_DAY = {
    "rubric": "Акция",
    "format": "Фото",
    "text": "Сәлем, Алматы! С праздником 8 Марта, дорогие гостьи! Сегодня к любому кофе — десерт в подарок. "
            "Ждём вас!",
    "link": _MENU,
}


def _cta(drawn: str, account: str, body: str, has_link: bool) -> str:
    """The call to action, made to fit its platform and its text (the draw itself is kept for the seed)."""
    if drawn == "Пишите в комментариях." and "комментари" in body:
        return "Кто угадает первым?"
    if drawn == "Ссылка на меню — в профиле." and account == "qc_tg":
        return "Меню — по ссылке." if has_link else "До встречи!"  # a channel has no profile link
    return drawn


def _media_file(item_id: str, fmt: str) -> str:
    suffix = _MEDIA_SUFFIX[fmt]
    return f"{MEDIA_DIR}/{item_id}{suffix}" if suffix else ""


def make_content_plan(seed: int = 301) -> pd.DataFrame:
    """The approved (and not yet approved) content plan of Qazaq Coffee for 2–15 March 2026."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp(PLAN_START)
    rows = []
    for day in range(PLAN_DAYS):
        date = start + pd.Timedelta(days=day)
        for account, weekdays in _CADENCE.items():
            if date.weekday() not in weekdays:
                continue
            rubric = str(rng.choice(list(_TOPICS)))
            body = str(rng.choice(_TOPICS[rubric]))
            opener = str(rng.choice(_OPENERS))
            if opener.endswith((",", ":")):
                body = body[0].lower() + body[1:]
            has_link = rubric in ("Продукт", "Акция")
            text = f"{opener} {body} {_cta(str(rng.choice(_CTA)), account, body, has_link)}"
            n_tags = int(rng.integers(3, 9)) if account != "qc_tg" else int(rng.integers(0, 3))
            tags = list(rng.choice(_TAGS, size=n_tags, replace=False))[: _MAX_TAGS[account]]
            rows.append(
                {
                    "account_id": account,
                    "platform": _PLATFORM[account],
                    "publish_date": date.strftime("%Y-%m-%d"),
                    "publish_time": str(rng.choice(_SLOTS[account])),
                    "rubric": rubric,
                    "format": str(rng.choice(_FORMATS[account])),
                    "text": text,
                    "link": _MENU if has_link else "",
                    "hashtags": " ".join(tags),
                    "status": "утверждён",
                    "approved_by": "А. Сейткали",
                }
            )
    plan = pd.DataFrame(rows)
    plan.insert(0, "item_id", [f"CP-{i:03d}" for i in range(1, len(plan) + 1)])
    ig_rows = plan.index[plan["account_id"].eq("qc_ig")]
    # The Instagram post of Sunday 8 March (International Women's Day) greets the guests.
    womens_day = ig_rows[plan.loc[ig_rows, "publish_date"].eq("2026-03-08")][0]
    for column, value in _WOMENS_DAY.items():
        plan.loc[womens_day, column] = value
    media = [_media_file(i, f) for i, f in zip(plan["item_id"], plan["format"], strict=True)]
    plan.insert(plan.columns.get_loc("hashtags") + 1, "media_file", media)

    # Planted issues, at fixed positions (see the module docstring).
    not_approved = plan.index[[5, 17, 29]]
    plan.loc[not_approved, "status"] = ["на согласовании", "черновик", "на согласовании"]
    plan.loc[not_approved, "approved_by"] = ""
    no_time = plan.index[[2, 9, 14, 22, 27]]
    plan.loc[no_time, "publish_time"] = ""
    plan.loc[ig_rows[7], "media_file"] = ""  # a Reels whose video was not attached
    plan.loc[ig_rows[9], "hashtags"] = " ".join(_TAGS[:8])  # the old habit of many tags, over the limit
    plan.loc[ig_rows[11], "text"] = plan.loc[ig_rows[3], "text"]
    return plan


RECIPES: tuple[Recipe, ...] = (
    Recipe("content_plan", lambda: make_content_plan(seed=301), "smmkit.data.content_plan.make_content_plan(seed=301)"),
)
