"""ContentPlanEditor (lab 04.06) and its pure functions: rubric quotas, calendar dates, cross-post preview."""

from __future__ import annotations

import pandas as pd
import pytest

from smmkit import datasets
from smmkit.analysis.texts import hashtag_range, hashtags
from smmkit.platforms import load_facts
from smmkit.profiles.crosspost import caption_max
from smmkit.profiles.rules import load_plan_rules
from smmkit.widgets import ContentPlanEditor
from smmkit.widgets.plan_editor import calendar_rows, crosspost_preview, quota_breaches


@pytest.fixture(scope="module")
def plan() -> pd.DataFrame:
    return datasets.load("content_plan")


@pytest.fixture(scope="module")
def template() -> pd.DataFrame:
    return datasets.load("content_plan_template")


def _by_hand(plan: pd.DataFrame) -> set[tuple[int, str, str, int]]:
    """The quota breaches counted with plain pandas: (week, platform of the quota, rubric, count)."""
    week = plan["publish_date"].dt.isocalendar().week
    out = set()
    for quota in load_plan_rules()["quotas"]:
        rows = plan if quota["platform"] == "all" else plan[plan["platform"] == quota["platform"]]
        if quota["rubric"] != "any":
            rows = rows[rows["rubric"] == quota["rubric"]]
        counts = rows.groupby([week[rows.index], rows["rubric"]], observed=True).size()
        out |= {(int(w), quota["platform"], r, int(n)) for (w, r), n in counts.items() if n > quota["max_per_week"]}
    return out


def test_quota_breaches_match_plain_pandas(plan: pd.DataFrame) -> None:
    """Week 10 of the March plan: 4 promotions in Instagram (quota 3) and 7 in all (quota 2), as lesson 04.01 says."""
    found = quota_breaches(plan)
    mine = set(found[["week", "platform", "rubric", "count"]].itertuples(index=False, name=None))
    assert mine == _by_hand(plan)
    assert mine == {(10, "Instagram", "Акция", 4), (10, "all", "Акция", 7)}
    promo = found[found["platform"] == "all"].iloc[0]
    assert promo["items"].split(", ") == plan.loc[(plan["rubric"] == "Акция") & (
        plan["publish_date"].dt.isocalendar().week == 10), "item_id"].tolist()


def test_a_rubric_exactly_at_its_quota_is_no_breach(plan: pd.DataFrame) -> None:
    """«Отзывы гостей» has exactly 3 Instagram posts in week 11: at the quota, not above it."""
    ig = plan[(plan["platform"] == "Instagram") & (plan["publish_date"].dt.isocalendar().week == 11)]
    assert (ig["rubric"] == "Отзывы гостей").sum() == 3
    assert "Отзывы гостей" not in set(quota_breaches(plan)["rubric"])


def test_rows_without_a_rubric_are_not_a_rubric(template: pd.DataFrame) -> None:
    assert template["rubric"].isna().sum() >= 4
    assert quota_breaches(template).empty


def test_calendar_rows(plan: pd.DataFrame, template: pd.DataFrame) -> None:
    """8 March and its transferred day off, Наурызнама (not a day off) in the March plan; Наурыз (days off) and,
    with religious dates, Ramadan and Ораза айт in the template."""
    holidays = calendar_rows(plan, religious=False)
    off = holidays[holidays["day_off"]]
    assert off[["item_id", "name"]].values.tolist() == [["CP-015", "Международный женский день"],
                                                        ["CP-016", "Перенесённый выходной (8 марта)"],
                                                        ["CP-017", "Перенесённый выходной (8 марта)"]]
    occasions = holidays[~holidays["day_off"]]
    assert occasions["item_id"].tolist() == ["CP-028", "CP-029", "CP-030"]
    assert set(occasions["name"]) == {"Наурызнама (праздничная декада)"}
    days = calendar_rows(template, religious=False)
    off = days[days["day_off"]]
    assert off["item_id"].tolist() == ["TP-13", "TP-14", "TP-15"] and set(off["name"]) == {"Наурыз мейрамы"}
    assert set(days.loc[~days["day_off"], "name"]) == {"Наурызнама (праздничная декада)"}
    everything = calendar_rows(template)
    assert set(everything["item_id"]) == set(template["item_id"])  # the whole week falls in Ramadan or on a holiday
    assert "Ораза айт" in set(everything["name"])


def test_crosspost_preview_follows_the_facts(template: pd.DataFrame) -> None:
    row = template.set_index("item_id").loc["TP-01"]
    preview = crosspost_preview(row["text"], row["hashtags"], ["Instagram", "Telegram", "TikTok"], row["utm_link"])
    facts = load_facts()
    tags = hashtags(row["hashtags"])
    for p in preview.itertuples():
        assert p.max_length == caption_max(p.platform, True)
        assert p.max_hashtags == hashtag_range(p.platform)[1] and p.hashtags == min(len(tags), p.max_hashtags)
        assert p.length == len(p.caption)
        assert ("qazaqcoffee.kz" in p.caption) == facts[p.platform].link_clickable
        assert ("не кликабельна" in p.problems) == (not facts[p.platform].link_clickable)
        assert ("длиннее" in p.problems) == (p.length > p.max_length)
    telegram = preview.set_index("platform").loc["Telegram"]
    assert "utm_source=telegram" in telegram["caption"] and "utm_source=instagram" not in telegram["caption"]
    assert "убрано хештегов: 2" in telegram["problems"]
    tiktok = preview.set_index("platform").loc["TikTok"]
    assert f"длиннее на {tiktok['length'] - tiktok['max_length']} символ" in tiktok["problems"]


@pytest.mark.parametrize("platform", ["Instagram", "Telegram", "TikTok", "Facebook"])
def test_crosspost_preview_counts_the_texts_own_hashtags(platform: str) -> None:
    """Q4's rule (a04): every hashtag of the caption, the text's own included, counts against the platform's top.
    The old preview added ``top`` tags whatever the text held, so these captions had ``own + top`` hashtags."""
    top = hashtag_range(platform)[1]
    for own in range(top + 3):
        text = "Раф с мёдом " + " ".join(f"#свой{i}" for i in range(own))
        tags = " ".join(f"#тег{i}" for i in range(top + 1))
        row = crosspost_preview(text, tags, [platform]).iloc[0]
        room = max(0, top - own)
        assert hashtags(row["caption"]) == hashtags(text) + hashtags(tags)[:room]
        assert row["hashtags"] == own + room == len(hashtags(row["caption"]))
        assert ("в самом тексте хештегов" in row["problems"]) == (own > top)
        assert ("убрано хештегов" in row["problems"]) == (own <= top)  # top + 1 tags never all fit
    exact = crosspost_preview("Раф #свой", " ".join(f"#тег{i}" for i in range(top - 1)), [platform]).iloc[0]
    assert exact["hashtags"] == top and "хештег" not in exact["problems"]  # exactly at the top: nothing dropped


def test_editor_preview_counts_hashtags_typed_into_the_text(plan: pd.DataFrame) -> None:
    lab = ContentPlanEditor(plan)
    lab.item.value = "CP-002"
    top = hashtag_range("Telegram")[1]
    lab.tags.value = "#qazaqcoffee"
    lab.text.value = "Капучино дня " + " ".join(f"#свой{i}" for i in range(top))
    telegram = lab.state.preview.set_index("platform").loc["Telegram"]
    assert telegram["hashtags"] == top and "#qazaqcoffee" not in telegram["caption"]
    assert "убрано хештегов: 1" in lab.preview_html.value and f"в тексте уже {top}" in lab.preview_html.value


def test_editor_builds_with_every_tab(plan: pd.DataFrame) -> None:
    lab = ContentPlanEditor(plan)
    assert lab.item.value == "CP-001"
    assert len(lab.tabs.children) == 5
    assert lab.tabs.titles[1] == "Квоты (2)"
    assert "Instagram" in lab.preview_html.value and "Telegram" in lab.preview_html.value


def test_editing_a_row_rechecks_the_plan(plan: pd.DataFrame) -> None:
    """Moving the Sunday promotion CP-015 into the next week lifts the Instagram breach; the source is untouched."""
    lab = ContentPlanEditor(plan)
    lab.item.value = "CP-015"
    assert lab.rubric.value == "Акция" and lab.date.value == "2026-03-08"
    assert "Международный женский день" in lab.checks_html.value
    lab.date.value = "2026-03-09"
    quotas = lab.state.quotas
    assert set(quotas["platform"]) == {"all"} and quotas["count"].tolist() == [6]
    assert "Международный женский день" not in lab.checks_html.value
    lab.item.value = "CP-001"  # another promotion of week 10 becomes a useful post
    lab.rubric.value = "Полезное"
    assert lab.state.quotas["count"].tolist() == [5]
    assert plan.set_index("item_id").loc["CP-001", "rubric"] == "Акция"  # the dataset is not changed
    edited = lab.plan.set_index("item_id")
    assert edited.loc["CP-001", "rubric"] == "Полезное"
    assert edited.loc["CP-015", "publish_date"] == pd.Timestamp("2026-03-09")


def test_editing_the_text_redraws_the_checks_and_the_preview(plan: pd.DataFrame) -> None:
    lab = ContentPlanEditor(plan)
    lab.item.value = "CP-002"
    limit = hashtag_range("Telegram")[1]
    lab.tags.value = " ".join(f"#тег{i}" for i in range(limit + 3))
    assert "убрано хештегов: 3" in lab.preview_html.value
    lab.text.value = ""
    assert "пустой текст" in lab.checks_html.value
    lab.item.value = "CP-001"  # switching rows loads that row, not the edited values
    assert lab.text.value == plan.set_index("item_id").loc["CP-001", "text"]
    lab.item.value = "CP-002"
    assert lab.text.value == "" and lab.state.row_problems


# --- the numbers of lab 04.06's folded solutions -----------------------------------------------------------------


def test_lab_task1_five_new_rubrics_clear_the_quotas(plan: pd.DataFrame) -> None:
    lab = ContentPlanEditor(plan)
    changes = {"CP-005": "Закулисье", "CP-008": "Продукт", "CP-009": "Полезное", "CP-013": "Отзывы гостей",
               "CP-014": "Развлечение"}
    for item, rubric in changes.items():
        lab.item.value, lab.rubric.value = item, rubric
    assert lab.state.quotas.empty
    edited = lab.plan[lab.plan["publish_date"].dt.isocalendar().week == 10]
    assert (edited["rubric"] == "Акция").sum() == 2
    ig = edited[edited["platform"] == "Instagram"]["rubric"].value_counts()
    assert ig.to_dict() == {"Акция": 2, "Продукт": 1, "Отзывы гостей": 1, "Полезное": 1, "Закулисье": 1,
                            "Развлечение": 1}
    week11 = plan[plan["publish_date"].dt.isocalendar().week == 11]
    assert (week11["rubric"] == "Акция").sum() == 1  # only one more promotion fits there


def test_lab_task2_and_task3(template: pd.DataFrame) -> None:
    lab2 = ContentPlanEditor(template)
    for item, rubric in {"TP-03": "Полезное", "TP-06": "Закулисье", "TP-08": "Отзывы гостей", "TP-11": "Продукт",
                         "TP-13": "Развлечение", "TP-15": "Отзывы гостей"}.items():
        lab2.item.value, lab2.rubric.value = item, rubric
    assert lab2.state.quotas.empty
    edited = lab2.plan
    assert (edited["rubric"] == "Акция").sum() == 1
    assert edited[edited["platform"] == "Instagram"]["rubric"].value_counts().max() == 2
    lab2.item.value = "TP-01"
    preview = lab2.state.preview.set_index("platform")
    assert preview.loc["TikTok", ["length", "max_length"]].tolist() == [234, 150]
    assert "длиннее на 84 символа" in preview.loc["TikTok", "problems"]
    assert preview.loc["Telegram", "hashtags"] == 2 and len(hashtags(template.loc[0, "hashtags"])) == 4
    short = "Весеннее меню: лавандовый раф, матча с клубникой, тыквенный латте. Какой попробуете первым?"
    fits = crosspost_preview(short, lab2.state.row["hashtags"], ["TikTok"]).iloc[0]
    assert fits["length"] <= fits["max_length"] and fits["problems"] == ""


def test_lab_task4_cp021(plan: pd.DataFrame) -> None:
    lab = ContentPlanEditor(plan)
    lab.item.value = "CP-021"
    limit = load_facts()["Instagram"].hashtag_limit
    assert lab.state.row_problems == [f"8 хештегов, а Instagram допускает не больше {limit}"]
    lab.tags.value = "#qazaqcoffee #кофеалматы #бариста #капучино #утро"
    assert lab.state.row_problems == []

