"""The fixed cast of the course's data universe: brands, their accounts and their audiences' habits.

Everything here is plain data. Generators in this package draw random numbers from it with fixed seeds,
so every dataset of the course tells one consistent story about the same brands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

TIMEZONE = "Asia/Almaty"
"""Kazakhstan's single time zone (UTC+5 since 2024-03-01; before that Almaty was UTC+6)."""

STORY_NOW = datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo(TIMEZONE))
""""Today" in the course story: the post history ends, the March content plan is due for upload."""

WEEKDAYS_RU = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")
"""Short Russian weekday names, Monday first (pandas' ``dt.day_of_week`` order)."""

PLATFORMS = ("Instagram", "TikTok", "Telegram", "VK", "Facebook", "YouTube")


@dataclass(frozen=True)
class Bump:
    """A daily peak of audience activity: centre hour (local), width in hours and height."""

    hour: float
    width: float
    height: float


@dataclass(frozen=True)
class Brand:
    """A fictional brand: who it is, when its audience is online and when its team habitually posts."""

    brand_id: str
    name: str
    niche: str
    city: str
    audience: str
    bumps: tuple[Bump, ...]
    weekday_factor: tuple[float, float, float, float, float, float, float]
    habit_hours: tuple[int, ...]
    rubrics: tuple[str, ...]


@dataclass(frozen=True)
class Account:
    """One brand account on one platform, with its follower count at the start of the period."""

    account_id: str
    brand_id: str
    platform: str
    handle: str
    followers_start: int
    followers_growth_per_day: float
    posts_per_day: float
    formats: tuple[str, ...] = field(default=())


BRANDS: tuple[Brand, ...] = (
    Brand(
        brand_id="qazaq_coffee",
        name="Qazaq Coffee",
        niche="сеть кофеен",
        city="Алматы",
        audience="студенты и офисные сотрудники 18–34",
        bumps=(Bump(8.5, 1.2, 0.55), Bump(13.0, 1.3, 0.75), Bump(20.5, 1.6, 1.0)),
        weekday_factor=(1.0, 1.02, 1.0, 1.03, 0.97, 0.86, 0.80),
        habit_hours=(9, 10, 11, 15, 16),
        rubrics=("Продукт", "Акция", "Закулисье", "Полезное", "Отзывы гостей", "Развлечение"),
    ),
    Brand(
        brand_id="dala_style",
        name="Dala Style",
        niche="онлайн-магазин одежды",
        city="Алматы",
        audience="женщины 20–35 по всему Казахстану",
        bumps=(Bump(12.5, 1.5, 0.5), Bump(21.5, 1.5, 1.0)),
        weekday_factor=(0.92, 0.95, 0.95, 0.97, 1.0, 1.12, 1.10),
        habit_hours=(10, 12, 14, 18),
        rubrics=("Новинки", "Образ дня", "Акция", "Отзывы покупателей", "Закулисье", "Розыгрыш"),
    ),
    Brand(
        brand_id="astana_fit",
        name="Astana Fit",
        niche="фитнес-клуб",
        city="Астана",
        audience="работающие 25–45, Астана",
        bumps=(Bump(7.0, 1.0, 0.8), Bump(12.5, 1.0, 0.4), Bump(19.0, 1.4, 1.0)),
        weekday_factor=(1.08, 1.04, 1.02, 1.0, 0.92, 0.90, 0.82),
        habit_hours=(10, 11, 12, 14),
        rubrics=("Тренировка", "Питание", "Акция", "Истории клиентов", "Расписание", "Мотивация"),
    ),
    Brand(
        brand_id="bilim_online",
        name="Bilim Online",
        niche="онлайн-школа подготовки к ЕНТ",
        city="Караганда",
        audience="школьники 15–17 и их родители",
        bumps=(Bump(16.5, 1.5, 0.6), Bump(21.0, 1.3, 1.0)),
        weekday_factor=(1.05, 1.05, 1.03, 1.0, 0.9, 0.85, 1.08),
        habit_hours=(9, 10, 12, 13),
        rubrics=("Разбор задачи", "Лайфхак", "Вебинар", "Истории учеников", "Акция", "Тест"),
    ),
    Brand(
        brand_id="jet_delivery",
        name="Jet Delivery",
        niche="доставка еды",
        city="Шымкент",
        audience="семьи и офисы, Шымкент и Алматы",
        bumps=(Bump(12.0, 1.0, 0.8), Bump(19.0, 1.5, 1.0)),
        weekday_factor=(0.94, 0.94, 0.96, 0.98, 1.1, 1.12, 1.02),
        habit_hours=(9, 10, 15, 16, 17),
        rubrics=("Меню", "Акция", "Курьеры", "Отзывы", "Розыгрыш", "Рецепт"),
    ),
)

ACCOUNTS: tuple[Account, ...] = (
    Account("qc_ig", "qazaq_coffee", "Instagram", "@qazaq.coffee", 48_200, 22.0, 1.4,
            ("Фото", "Карусель", "Reels")),
    Account("qc_tt", "qazaq_coffee", "TikTok", "@qazaqcoffee", 21_500, 35.0, 0.6, ("Видео",)),
    Account("qc_tg", "qazaq_coffee", "Telegram", "t.me/qazaqcoffee", 6_100, 4.0, 1.0, ("Текст", "Фото")),
    Account("ds_ig", "dala_style", "Instagram", "@dala.style.kz", 121_000, 60.0, 1.2,
            ("Фото", "Карусель", "Reels")),
    Account("ds_tt", "dala_style", "TikTok", "@dalastyle", 86_000, 90.0, 0.7, ("Видео",)),
    Account("ds_vk", "dala_style", "VK", "vk.com/dalastyle", 14_800, 2.0, 0.5, ("Фото", "Текст")),
    Account("af_ig", "astana_fit", "Instagram", "@astana.fit", 12_400, 8.0, 1.0, ("Фото", "Карусель", "Reels")),
    Account("af_tg", "astana_fit", "Telegram", "t.me/astanafit", 2_600, 1.5, 0.8, ("Текст", "Фото")),
    Account("bo_ig", "bilim_online", "Instagram", "@bilim.online", 32_700, 18.0, 1.0,
            ("Фото", "Карусель", "Reels")),
    Account("bo_tt", "bilim_online", "TikTok", "@bilimonline", 60_300, 70.0, 0.9, ("Видео",)),
    Account("bo_tg", "bilim_online", "Telegram", "t.me/bilim_online", 18_400, 12.0, 1.3, ("Текст", "Фото")),
    Account("jd_ig", "jet_delivery", "Instagram", "@jet.delivery", 75_300, 25.0, 1.1, ("Фото", "Карусель", "Reels")),
    Account("jd_fb", "jet_delivery", "Facebook", "fb.com/jetdelivery.kz", 9_200, 1.0, 0.5, ("Фото", "Текст")),
    Account("jd_vk", "jet_delivery", "VK", "vk.com/jetdelivery", 12_100, 1.5, 0.5, ("Фото", "Текст")),
    Account("jd_tg", "jet_delivery", "Telegram", "t.me/jetdelivery", 11_000, 6.0, 0.9, ("Текст", "Фото")),
    # YouTube channels (data universe v2), appended so that every earlier row keeps its place: the brands whose
    # content is video by nature — Bilim Online's lessons and webinar recordings, Dala Style's lookbooks and
    # try-ons, Astana Fit's workouts. A coffee shop and a delivery service have little to film at length.
    Account("bo_yt", "bilim_online", "YouTube", "youtube.com/@bilimonline", 24_500, 14.0, 0.45,
            ("Длинное видео", "Shorts")),
    Account("ds_yt", "dala_style", "YouTube", "youtube.com/@dalastyle", 9_800, 7.0, 0.3, ("Длинное видео", "Shorts")),
    Account("af_yt", "astana_fit", "YouTube", "youtube.com/@astanafit", 3_100, 2.5, 0.25, ("Длинное видео", "Shorts")),
)

NUMBERED_LAST = ("YouTube",)
"""Platforms added in v2 whose posts are numbered after all the others (``post_id``), so no earlier id moves."""


@dataclass(frozen=True)
class BoughtWave:
    """Followers bought for an account in one night (01:00–05:00 local): they never see or engage with posts."""

    account_id: str
    day: str
    followers: int


BOUGHT_WAVES: tuple[BoughtWave, ...] = (BoughtWave("af_ig", "2025-11-15", 3_000),)
"""Astana Fit's previous SMM contractor bought 3,000 followers on Saturday 2025-11-15 (see ``followers_audit``)."""

# How platforms shift a brand's audience clock: (hour shift, evening boost). TikTok audiences stay up later,
# Telegram is read more on the way to work.
PLATFORM_CLOCK = {
    "Instagram": (0.0, 1.0),
    "TikTok": (0.7, 1.15),
    "Telegram": (-0.4, 0.95),
    "VK": (0.3, 1.0),
    "Facebook": (-0.6, 0.9),
    "YouTube": (0.5, 1.2),  # long videos are watched in the evening, at home
}

# Organic reach as a share of followers (median), spread of the lognormal noise, and ER by reach.
# Ranges follow vendor benchmarks for brand accounts, 2022–2025 (Rival IQ, Socialinsider, Buffer).
PLATFORM_REACH = {
    #            reach/followers, sigma, err (interactions / reach)
    "Instagram": (0.22, 0.35, 0.045),
    "TikTok": (1.10, 0.80, 0.060),
    "Telegram": (0.40, 0.20, 0.030),
    "VK": (0.07, 0.35, 0.025),
    "Facebook": (0.05, 0.40, 0.020),
    # YouTube: reach = views (YouTube Studio), err = (likes + comments) / views; views / subscribers 14–20 % for a
    # mid-size channel, more for small ones (brightbean.xyz); likes ≈ 4 % and comments ≈ 0.5 % of views (Tubular).
    "YouTube": (0.17, 0.70, 0.034),
}

FORMAT_EFFECT = {
    #          reach multiplier, ER multiplier
    "Фото": (1.0, 1.0),
    "Карусель": (1.05, 1.25),
    "Reels": (1.6, 1.1),
    "Видео": (1.0, 1.0),
    "Текст": (0.9, 0.8),
    "Длинное видео": (1.0, 1.0),
    "Shorts": (1.6, 1.35),  # Shorts reach beyond subscribers and get more reactions per view (Statista Q1 2024)
}


def brand(brand_id: str) -> Brand:
    """Return the brand with this id."""
    for item in BRANDS:
        if item.brand_id == brand_id:
            return item
    raise KeyError(f"Нет бренда {brand_id!r}")
