"""The numbers quoted in module 05's folded solutions (and in prose that no pinned cell prints) are true.

As in ``tests/test_lessons_m03.py``: a folded «Решение» is not executed, so each quoted figure is recomputed here
from the data with the solution's own method, and the quoted text is found in the lesson (an edit of either side
fails here).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd
from lesson_text import folded_solution, quoted

from smmkit import datasets
from smmkit.analysis.content_audit import audit_groups

COURSE = Path(__file__).resolve().parents[1] / "course" / "05-content"


@cache
def data(name: str) -> pd.DataFrame:
    return datasets.load(name)


def lesson_text(lesson: str) -> str:
    cells = json.loads((COURSE / lesson).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells)


def solution(lesson: str, exercise: str) -> str:
    return folded_solution(COURSE / lesson, exercise)


def ru(x: float, digits: int = 2) -> str:
    return f"{round(x, digits):g}".replace(".", ",")


# --- 05.01 -----------------------------------------------------------------------------------------------------

L1 = "05.01-content-audit.ipynb"


def with_rates(accounts: list[str]) -> pd.DataFrame:
    posts = data("posts")
    df = posts[posts["account_id"].isin(accounts)].copy()
    df["interactions"] = df[["likes", "comments", "shares", "saves"]].sum(axis=1)
    df["err"] = df["interactions"] / df["reach"]
    df["reach_rate"] = df["reach"] / df["followers"]
    return df


def test_0101_formats_of_three_accounts() -> None:
    text = solution(L1, "таблицу форматов для всех трёх аккаунтов")
    qc = with_rates(["qc_ig", "qc_tt", "qc_tg"])
    formats = qc.groupby(["account_id", "format"], observed=True).agg(
        posts=("post_id", "size"), err=("err", "median"), reach_rate=("reach_rate", "median"))
    assert formats["posts"].min() == 65 and formats["posts"].max() == 120
    assert (formats["posts"] >= 10).all()
    tg = formats.loc["qc_tg"]
    assert tg.loc["Фото", "err"] > tg.loc["Текст", "err"]
    assert tg.loc["Фото", "reach_rate"] > tg.loc["Текст", "reach_rate"]
    tt = formats.loc["qc_tt"]
    assert list(tt.index) == ["Видео"] and tt.loc["Видео", "posts"] == 120
    photo, text_posts = 100 * tg.loc["Фото"], 100 * tg.loc["Текст"]
    quoted(text, "от 65 до 120", f"медиана ERR {ru(photo['err'])} % против {ru(text_posts['err'])} %",
           f"({ru(photo['reach_rate'])} % подписчиков против {ru(text_posts['reach_rate'])} %)",
           f"120 роликов, медиана ERR {ru(100 * tt.loc['Видео', 'err'])} %")


def test_0101_giveaways_have_too_few_posts() -> None:
    text = solution(L1, "Dala Style")
    ds = audit_groups(with_rates(["ds_ig"]), "rubric")
    vk = audit_groups(with_rates(["jd_vk"]), "rubric")
    assert ds.loc["Розыгрыш", "decision"] == vk.loc["Розыгрыш", "decision"] == "мало данных"
    assert (ds.loc["Розыгрыш", "posts"], vk.loc["Розыгрыш", "posts"]) == (9, 4)
    assert vk.index[-1] == "Акция" and vk.loc["Акция", "posts"] == 11 and vk.loc["Акция", "posts"] >= 10
    assert vk.loc["Рецепт", "decision"] == "усилить"
    quoted(text, "в `ds_ig` 9 публикаций, в `jd_vk` всего 4",
           f"относительный ERR у них {ru(ds.loc['Розыгрыш', 'relative'])} и {ru(vk.loc['Розыгрыш', 'relative'])}",
           f"«Акция» ({ru(vk.loc['Акция', 'relative'])}, 11 публикаций",
           f"«Рецепт» ({ru(vk.loc['Рецепт', 'relative'])})")


def test_0101_plan_against_the_audit() -> None:
    text = solution(L1, "мартовский контент-план")
    plan = data("content_plan")
    planned = plan[plan["account_id"] == "qc_ig"]["rubric"].value_counts()
    decisions = audit_groups(with_rates(["qc_ig"]), "rubric")["decision"]
    assert planned.sum() == 14 and planned["Акция"] == 5 and planned.idxmax() == "Акция"
    weak = planned[decisions[planned.index] == "обновить подачу"]
    strong = planned[decisions[planned.index] == "усилить"]
    assert weak.sum() == 8 and weak["Отзывы гостей"] == 3
    assert strong.sum() == 4 and strong.to_dict() == {"Полезное": 2, "Закулисье": 1, "Развлечение": 1}
    assert decisions.index[-1] == "Акция"
    quoted(text, "14 публикаций, и 5 из них — «Акция»", "«Отзывами гостей» (3) рубрик «обновить подачу» восемь",
           "всего четыре публикации: «Полезное» 2, «Закулисье» 1, «Развлечение» 1")


def test_0101_prose_the_plan_dates_and_the_carousels_first() -> None:
    plan = data("content_plan")
    dates = plan.loc[plan["account_id"] == "qc_ig", "publish_date"]
    assert (dates.min().day, dates.max().day, dates.min().month) == (2, 15, 3)
    quoted(solution(L1, "мартовский контент-план"), "на 2–15 марта")
    ig = with_rates(["qc_ig"])
    formats = ig.groupby("format", observed=True)["err"].median()
    assert formats.idxmax() == "Карусель"
    quoted(lesson_text(L1), "в формате каруселей, которые вовлекают лучше всего")


# --- 05.02 -----------------------------------------------------------------------------------------------------

L2 = "05.02-media-specs.ipynb"


def test_0102_telegram_photos() -> None:
    from smmkit import media
    from smmkit.platforms import load_facts
    from smmkit.platforms.media_specs import load_media_specs

    text = solution(L2, "Проверьте фото для Telegram")
    ms, lib = load_media_specs(), media.library()
    tg = lib[lib["platform"] == "Telegram"]
    sides = tg["width"] + tg["height"]
    long_to_short = tg[["width", "height"]].max(axis=1) / tg[["width", "height"]].min(axis=1)
    limit_sum, limit_ratio = ms.value("Telegram", "photo_sides_sum_max"), ms.value("Telegram", "photo_ratio_max")
    bad = tg[(sides > limit_sum) | (long_to_short > limit_ratio)]
    assert list(bad["file_name"]) == ["M067_map_route.png", "M068_certificate_scan.jpg"]
    assert (long_to_short <= ms.value("Telegram", "photo_ratio_max")).all()
    assert list(sides[bad.index]) == [10200, 11976]
    assert [round(r, 2) for r in long_to_short[bad.index]] == [7.5, 1.41]
    assert 4500 + 1200 <= ms.value("Telegram", "photo_sides_sum_max")
    scan = bad.iloc[1]["bytes"]
    assert scan > load_facts()["Telegram"].media_spec("image_max_mb") * 1_000_000
    quoted(text, "два файла, оба — по сумме сторон", "(9000 + 1200 = 10 200 пикселей)", "(4960 + 7016 = 11 976)",
           "у схемы 7,5, у скана 1,41", "до ширины 4500")


def test_0102_tiktok_safe_zone() -> None:
    from smmkit import media
    from smmkit.platforms.media_specs import load_media_specs

    text = solution(L2, "безопасную зону TikTok")
    zone, lib = load_media_specs().safe_zone("TikTok"), media.library()
    vertical = lib[lib["format"].isin(["Reels", "Видео", "Shorts"])]
    inside = [zone.contains(x, y) for x, y in zip(vertical["focus_x"], vertical["focus_y"], strict=True)]
    outside = vertical[[not i for i in inside]]
    assert (sum(inside), len(vertical), round(100 * sum(inside) / len(vertical))) == (26, 27, 96)
    assert list(outside["asset_id"]) == ["M070"] and outside["focus_y"].iloc[0] == 0.88
    assert (zone.bottom, zone.canvas[1], zone.right) == (420, 1920, 170)
    assert zone.bottom / zone.canvas[1] > max(zone.top / zone.canvas[1], zone.right / zone.canvas[0])
    quoted(text, "у 26 роликов из 27 (96 %)", "`M070` (0,88 высоты)", "420 пикселей из 1920", "170 пикселей")


def test_0102_prose_pixels_and_the_lookbook() -> None:
    from smmkit import media

    lib = media.library().set_index("asset_id")
    assert 1080 / 1920 == 0.5625
    assert round(1024 * 1024 / 1_000_000 - 1, 3) == 0.049  # «почти на 5 % больше»
    m004 = lib.loc["M004"]
    assert (m004["account_id"], m004["width"], m004["height"], m004["bytes"]) == ("bo_ig", 3024, 4032, 3988996)
    assert (m004["focus_x"], m004["focus_y"]) == (0.44, 0.31)
    quoted(lesson_text(L2), "отношение должно выйти 0,5625", "почти на 5 % больше", "3 988 996 байт",
           "(0,44 ширины)", "(0,31 высоты)", "пять снимков с телефона (3024 × 4032, соотношение 0,75")
