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
