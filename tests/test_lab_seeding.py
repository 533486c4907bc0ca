"""The numbers quoted in lab 03.05 (seeding planner) are true.

The pinned demo cell is checked by nbval; the folded «Решение» of each exercise is not executed, so each of its
figures is recomputed here with the solution's own method (``plan_seeding``, as the lab computes it), and the test
finds the quoted text in the lesson (an edit of either side fails here).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
from lesson_text import cells_text, folded_solution, quoted

from smmkit import datasets
from smmkit.analysis.bots import channel_anomalies
from smmkit.analysis.seeding_plan import SeedingPlan, plan_seeding, plan_table

LESSON = Path(__file__).resolve().parents[1] / "course" / "03-partners" / "03.05-lab-seeding.ipynb"
BRAND = "dala_style"


@cache
def influencers() -> pd.DataFrame:
    return datasets.load("influencers")


@cache
def plan(budget: int = 1_000_000, goal: str = "target", exclude_flagged: bool = True) -> SeedingPlan:
    data = influencers()
    return plan_seeding(data, channel_anomalies(data), BRAND, budget, goal, exclude_flagged=exclude_flagged)


def n(value: float) -> str:
    """A count as the lesson writes it: 102 985."""
    return f"{value:,.0f}".replace(",", " ")


def dec(value: float) -> str:
    """One decimal with a comma: 9,7."""
    return f"{value:.1f}".replace(".", ",")


def solution(exercise: str) -> str:
    return folded_solution(LESSON, exercise)


def test_row_zero_read_aloud() -> None:
    row = influencers().iloc[0]
    assert (row["influencer_id"], row["name"], row["platform"], row["handle"], row["city"]) == (
        "I001", "Айдана | бизнес", "Instagram", "@aidana.money", "Алматы")
    text = "\n".join(cells_text(LESSON))
    quoted(text, f"{n(row['subscribers'])} подписчиков, в среднем {n(row['avg_views'])} просмотров публикации",
           f"пост стоит {n(row['price_kzt'])} ₸", f"лишь {100 * row['audience_match_dala_style']:.1f}".replace(".", ",")
           + f" % её подписчиков — целевая аудитория Dala Style (`audience_match_dala_style` = "
           f"{row['audience_match_dala_style']:.3f})".replace("0.", "0,"))


def test_task1_three_rankings() -> None:
    text = solution("Три способа")
    words = {"target": "по целевым контактам", "contacts": "по всем контактам", "subscribers": "по подписчикам"}
    for goal, label in words.items():
        p = plan(goal=goal)
        quoted(text, f"{label}: охват {n(p.reach)}, целевых контактов {n(p.target_contacts)}, "
                     f"{dec(p.cost_per_target_contact)} ₸")
    target, contacts = plan(), plan(goal="contacts")
    assert contacts.reach > target.reach and contacts.target_contacts < target.target_contacts / 2 + 1
    shares = contacts.shortlist["match"]
    i004 = influencers().set_index("influencer_id").loc["I004", "audience_match_dala_style"]
    quoted(text, f"от {100 * shares.min():.0f} до {100 * shares.max():.0f} %, а не {100 * i004:.0f} %",
           "вдвое меньше")
    assert set(contacts.shortlist["topic"]) == {"спорт", "еда", "юмор", "красота", "технологии"}
    assert contacts.shortlist.loc[contacts.shortlist["platform"] == "Telegram", "topic"].tolist() == ["технологии"]


def test_task2_flagged_channels() -> None:
    text = solution("Подозрительные каналы")
    p = plan(goal="subscribers", exclude_flagged=False)
    flagged = p.flagged_in_shortlist
    assert flagged["influencer_id"].tolist() == ["I154", "I233"]
    err = (flagged["avg_views"] / flagged["subscribers"]).tolist()
    assert all(e < 0.10 for e in err) and not flagged["reasons"].str.contains("ER ").any()
    quoted(text, "два подозрительных канала, `I154` и `I233`",
           f"(ERR {dec(100 * err[0])} % и {dec(100 * err[1])} %)",
           f"Целевых контактов становится {n(p.target_contacts)} вместо {n(plan(goal='subscribers').target_contacts)}",
           f"растёт до {dec(p.cost_per_target_contact)} ₸")


def test_task3_budget_and_queue() -> None:
    text = solution("Бюджет и очередь")
    low, high = plan(600_000), plan(650_000)
    assert (len(low.shortlist), len(high.shortlist)) == (7, 1)
    i004 = high.shortlist.iloc[0]
    quoted(text, f"600 000 ₸: 7 публикаций, {n(low.target_contacts)} целевых контактов",
           f"650 000 ₸: одна публикация и {n(high.target_contacts)} целевых контактов",
           f"`{i004['influencer_id']}` «{i004['name']}» ({dec(i004['cost_per_target_contact'])} ₸ за целевой контакт)",
           f"его пост стоит {n(i004['price_kzt'])} ₸")
    order = plan_table(plan())["ID"].tolist()
    quoted(text, "Очередь на 1 000 000 ₸ — порядок таблицы: " + ", ".join(f"`{i}`" for i in order) + ".")
    quoted(text, "Если он откажется")
    without = plan_seeding(influencers().drop(index=i004.name), channel_anomalies(influencers()).drop(index=i004.name),
                           BRAND, 1_000_000)
    assert without.spend <= 1_000_000 and "I004" not in without.shortlist["influencer_id"].tolist()


def test_task4_kpi() -> None:
    text = solution("KPI от SMM")
    budgets = range(100_000, 2_000_001, 50_000)
    ok = [b for b in budgets if plan(b).target_contacts >= 100_000 and plan(b).cost_per_target_contact <= 10]
    assert ok == list(range(950_000, 1_100_001, 50_000))
    first, last, over, big = plan(950_000), plan(1_100_000), plan(1_150_000), plan(1_500_000)
    assert over.cost_per_target_contact > 10
    quoted(text,
           f"при 950 000 ₸: {n(first.target_contacts)} целевых контакта по {dec(first.cost_per_target_contact)} ₸",
           f"до 1 100 000 ₸ ({dec(last.cost_per_target_contact)} ₸)", "а с 1 150 000 ₸",
           f"при 1 500 000 ₸ — {dec(big.cost_per_target_contact)} ₸")


def test_task5_first_three_channels() -> None:
    text = solution("Запрос блогерам")
    names = plan_table(plan())["Канал"].head(3).tolist()
    quoted(text, f"Первые три канала — «{names[0]}», «{names[1]}» и «{names[2]}»")


def test_demo_and_key_points() -> None:
    text = "\n".join(cells_text(LESSON))
    target, contacts = plan(), plan(goal="contacts")
    assert contacts.target_contacts < target.target_contacts / 2 + 1
    quoted(text, "план по всем контактам даёт вдвое меньше целевых контактов", "**1 000 000 ₸**")
