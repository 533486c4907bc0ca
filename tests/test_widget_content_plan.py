"""ContentPlanExplorer and its pure functions: filtering, counts and the autoposting problems of a plan."""

from __future__ import annotations

import pandas as pd
import pytest

from smmkit import datasets
from smmkit.platforms import load_facts
from smmkit.russian import plural
from smmkit.widgets import ContentPlanExplorer
from smmkit.widgets.content_plan import ALL, filter_plan, hashtag_count, plan_counts, plan_problems

NOT_APPROVED = {"CP-006", "CP-018", "CP-030"}
NO_TIME = {"CP-003", "CP-010", "CP-015", "CP-023", "CP-028"}
DUPLICATES = {"CP-008", "CP-026"}


def _items(problems: pd.DataFrame, starts: str) -> set[str]:
    return set(problems.loc[problems["problem"].str.startswith(starts), "item_id"])


def _tag_limit(platform: str) -> float:
    limit = load_facts()[platform].hashtag_limit
    return float("inf") if limit is None else limit


def _over_tag_limit(plan: pd.DataFrame) -> pd.Series:
    """Rows whose caption carries more hashtags than their platform allows (limits from the platform facts)."""
    limits = plan["platform"].astype(str).map(_tag_limit)
    return hashtag_count(plan).gt(limits)


def _media_missing(plan: pd.DataFrame) -> pd.Series:
    """Rows without a media file on a platform that cannot publish without one (facts); none without the column."""
    if "media_file" not in plan.columns:
        return pd.Series(False, index=plan.index)
    required = plan["platform"].astype(str).map(lambda p: load_facts()[p].media_required)
    files = plan["media_file"].astype("string").fillna("").str.strip()
    return required & files.eq("")


def _expected_problem_items(plan: pd.DataFrame) -> set[str]:
    over = set(plan.loc[_over_tag_limit(plan), "item_id"])
    return NOT_APPROVED | NO_TIME | DUPLICATES | over | set(plan.loc[_media_missing(plan), "item_id"])


# --- plan_problems ---------------------------------------------------------------------------------


def test_problems_are_exactly_the_planted_ones(plan: pd.DataFrame) -> None:
    """3 not approved, 5 without a time, one duplicate pair, every row over its platform's hashtag limit."""
    problems = plan_problems(plan)
    assert list(problems.columns) == ["item_id", "problem"]
    assert _items(problems, "не утверждена") == NOT_APPROVED
    assert _items(problems, "не указано время") == NO_TIME
    assert _items(problems, "тот же текст") == DUPLICATES
    tags = problems[problems["problem"].str.contains("хештег")]
    over = plan[_over_tag_limit(plan)]
    assert tags["item_id"].tolist() == over["item_id"].tolist()
    for platform, n, text in zip(over["platform"].astype(str), hashtag_count(over), tags["problem"], strict=True):
        words = plural(int(n), "хештег", "хештега", "хештегов")
        assert text == f"{words}, а {platform} допускает не больше {load_facts()[platform].hashtag_limit}"
    media = problems[problems["problem"].str.startswith("нет фото или видео")]
    assert media["item_id"].tolist() == plan.loc[_media_missing(plan), "item_id"].tolist()
    assert len(problems) == 3 + 5 + 2 + len(over) + len(media)
    assert not problems.duplicated().any()


@pytest.mark.parametrize(("n", "words"),
                         [(32, "32 хештега"), (21, "21 хештег"), (11, "11 хештегов"), (6, "6 хештегов")])
def test_hashtag_problem_uses_the_instagram_limit_and_russian_plural(plan: pd.DataFrame, n: int, words: str) -> None:
    """A planted Instagram caption with n tags is reported against the limit from the facts, in correct Russian."""
    edited = plan.copy()
    row = edited.index[edited["platform"].eq("Instagram")][0]
    edited.loc[row, "hashtags"] = " ".join(f"#тег{i}" for i in range(n))
    edited.loc[row, "text"] = "Новый раф"
    problems = plan_problems(edited)
    mine = problems.loc[problems["item_id"].eq(edited.at[row, "item_id"]) & problems["problem"].str.contains("хешт")]
    limit = load_facts()["Instagram"].hashtag_limit
    assert mine["problem"].tolist() == [f"{words}, а Instagram допускает не больше {limit}"]


def test_limit_number_of_tags_is_accepted(plan: pd.DataFrame) -> None:
    """Exactly the limit passes; Telegram has no hashtag limit in the facts."""
    edited = plan.copy()
    limit = load_facts()["Instagram"].hashtag_limit
    ig = edited.index[edited["platform"].eq("Instagram")][0]
    tg = edited.index[edited["platform"].eq("Telegram")][0]
    edited.loc[ig, "hashtags"] = " ".join(f"#тег{i}" for i in range(limit))
    edited.loc[ig, "text"] = "Новый раф"
    edited.loc[tg, "hashtags"] = " ".join(f"#тег{i}" for i in range(40))
    problems = plan_problems(edited)
    assert not problems["problem"].str.contains("хештег").loc[
        problems["item_id"].isin([edited.at[ig, "item_id"], edited.at[tg, "item_id"]])].any()


def test_missing_media_is_a_problem_where_the_platform_requires_it(plan: pd.DataFrame) -> None:
    """With a media_file column, an Instagram or TikTok row without a file is not ready; a Telegram row is."""
    edited = plan.copy()
    edited["media_file"] = "media/qazaq_coffee/" + edited["item_id"] + ".jpg"
    ig = edited.index[edited["platform"].eq("Instagram")][0]
    tg = edited.index[edited["platform"].eq("Telegram")][0]
    edited.loc[ig, "media_file"] = float("nan")
    edited.loc[tg, "media_file"] = ""
    problems = plan_problems(edited)
    media = problems[problems["problem"].str.contains("фото или видео")]
    assert media["item_id"].tolist() == [edited.at[ig, "item_id"]]
    assert media["problem"].iloc[0] == "нет фото или видео: Instagram не публикует пост без медиафайла"


def test_problems_are_in_plan_order_and_name_the_twin(plan: pd.DataFrame) -> None:
    """Rows follow the plan; each duplicate names the other row; statuses are quoted."""
    problems = plan_problems(plan)
    order = plan["item_id"].tolist()
    assert problems["item_id"].map(order.index).is_monotonic_increasing
    text = dict(zip(problems["item_id"], problems["problem"], strict=False))
    assert text["CP-008"] == "тот же текст, что в CP-026"
    assert text["CP-026"] == "тот же текст, что в CP-008"
    assert text["CP-018"] == "не утверждена (статус «черновик»)"


def test_hashtag_count_matches_split(plan: pd.DataFrame) -> None:
    """Counting hashtags with the regex agrees with the lesson's ``str.split().str.len()``."""
    by_split = plan["hashtags"].fillna("").str.split().str.len()
    assert hashtag_count(plan).tolist() == by_split.tolist()
    assert hashtag_count(plan).max() == by_split.max() > 0


def test_problems_of_a_clean_plan_are_empty(plan: pd.DataFrame) -> None:
    """Approved rows with a time, few hashtags and distinct texts have no problems."""
    ok = plan["status"].eq("утверждён") & plan["publish_time"].notna() & ~_over_tag_limit(plan)
    clean = plan[ok & ~_media_missing(plan)]
    clean = clean[~clean["item_id"].isin(["CP-026"])]
    assert len(clean) > 10
    assert plan_problems(clean).empty


def test_long_text_bad_link_and_cross_account_texts(plan: pd.DataFrame) -> None:
    """Too long captions and bad links are found; the same text on two accounts is not a duplicate."""
    edited = plan.copy()
    first = edited.index[0]
    edited.loc[first, "text"] = "а" * (load_facts()["Instagram"].caption_limit_api + 100)
    edited.loc[edited.index[1], "link"] = "qazaqcoffee.kz/menu"
    tg = edited.index[edited["account_id"].eq("qc_tg")][-1]
    edited.loc[tg, "text"] = edited.loc[edited.index[2], "text"]  # Telegram copies an Instagram text
    problems = plan_problems(edited)
    long = problems[problems["problem"].str.startswith("текст с хештегами")]
    assert long["item_id"].tolist() == ["CP-001"]
    assert f"через API принимает не больше {load_facts()['Instagram'].caption_limit_api}" in long["problem"].iloc[0]
    assert _items(problems, "ссылка") == {"CP-002"}
    assert _items(problems, "тот же текст") == DUPLICATES


def test_problems_from_a_plain_csv() -> None:
    """A plan read with plain pandas (strings, NaN) gives the same problems."""
    raw = pd.read_csv(datasets.csv_path("content_plan"), encoding="utf-8-sig")
    assert plan_problems(raw).equals(plan_problems(datasets.load("content_plan")))


# --- filter_plan and plan_counts -------------------------------------------------------------------


def test_filter_plan(plan: pd.DataFrame) -> None:
    """Each filter narrows the rows; None and «Все» mean no filter; an empty status list keeps nothing."""
    assert len(filter_plan(plan)) == 30
    assert len(filter_plan(plan, account=ALL, rubric=ALL)) == 30
    ig = filter_plan(plan, account="qc_ig")
    assert len(ig) == 14 and set(ig["platform"].astype(str)) == {"Instagram"}
    approved = filter_plan(plan, statuses=["утверждён"])
    assert len(approved) == 27 and not set(approved["item_id"]) & NOT_APPROVED
    pending = filter_plan(plan, statuses=("на согласовании", "черновик"))
    assert set(pending["item_id"]) == NOT_APPROVED
    promo = filter_plan(plan, account="qc_tt", statuses=["утверждён"], rubric="Акция")
    assert promo["item_id"].tolist() == ["CP-005", "CP-014"]
    assert filter_plan(plan, statuses=[]).empty
    assert filter_plan(plan, account="nobody").empty
    assert filter_plan(plan, account="qc_tg").index.equals(plan.index[plan["account_id"].eq("qc_tg")])


def test_plan_counts(plan: pd.DataFrame) -> None:
    """Counts by platform and rubric add up to the plan, with totals."""
    counts = plan_counts(plan)
    assert counts.loc["Итого", "Итого"] == 30
    assert counts.loc["Instagram", "Итого"] == 14
    assert counts.loc["TikTok", "Итого"] == 6
    assert counts.loc["Итого", "Акция"] == plan["rubric"].eq("Акция").sum() > 0
    assert plan_counts(plan.iloc[0:0]).empty


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize("column", ["status", "publish_time", "hashtags"])
def test_missing_column_is_named_in_russian(plan: pd.DataFrame, column: str) -> None:
    """A plan without a needed column fails with a Russian message naming it."""
    broken = plan.drop(columns=column)
    with pytest.raises(ValueError, match=f"нет столбца.*«{column}»"):
        plan_problems(broken)
    with pytest.raises(ValueError, match=f"«{column}»"):
        ContentPlanExplorer(broken)


def test_filter_needs_rubric_and_not_a_list(plan: pd.DataFrame) -> None:
    """filter_plan names a missing column; a non-DataFrame plan is refused in Russian."""
    with pytest.raises(ValueError, match="«rubric»"):
        filter_plan(plan.drop(columns="rubric"))
    with pytest.raises(TypeError, match="таблицей pandas"):
        plan_problems(plan.to_dict("records"))  # type: ignore[arg-type]


# --- the widget ------------------------------------------------------------------------------------


def test_widget_starts_with_everything(plan: pd.DataFrame) -> None:
    """By default all accounts, statuses and rubrics are shown, with Russian labels."""
    lab = ContentPlanExplorer(plan)
    assert lab.account.value == ALL and lab.rubric.value == ALL
    assert lab.account.description == "Аккаунт:" and lab.rubric.description == "Рубрика:"
    assert set(lab.status.value) == {"утверждён", "на согласовании", "черновик"}
    assert [label for label, _ in lab.account.options] == ["Все", "Instagram (qc_ig)", "Telegram (qc_tg)",
                                                           "TikTok (qc_tt)"]
    st = lab.state
    expected = _expected_problem_items(plan)
    assert len(st.rows) == 30 and len(st.problems) == len(plan_problems(plan)) and st.ready == 30 - len(expected)
    assert lab.tabs.titles == (f"Проблемы ({len(st.problems)})", "Публикации (30)", "Площадка × рубрика")
    assert "Показано <b>30</b> из 30" in lab.summary.value
    assert all(item in lab.problems_html.value for item in expected)
    assert lab.rows_html.value.count("</tr>") == 31  # header + 30 rows
    assert "Итого" in lab.counts_html.value


def test_widget_filters_update_outputs(plan: pd.DataFrame) -> None:
    """Changing the controls changes rows, counts and the problems shown."""
    lab = ContentPlanExplorer(plan)
    lab.account.value = "qc_ig"
    lab.status.value = ("утверждён",)
    st = lab.state
    assert len(st.rows) == 11 and set(st.rows["account_id"].astype(str)) == {"qc_ig"}
    assert set(st.problems["item_id"]) == _expected_problem_items(plan) & set(st.rows["item_id"])
    assert "CP-006" not in lab.problems_html.value and "CP-026" in lab.problems_html.value
    assert list(st.counts.index) == ["Instagram", "Итого"]
    lab.rubric.value = "Акция"
    promo = plan[plan["account_id"].eq("qc_ig") & plan["status"].eq("утверждён") & plan["rubric"].eq("Акция")]
    assert lab.state.rows["item_id"].tolist() == promo["item_id"].tolist() and len(promo) > 1
    assert lab.tabs.titles[1] == f"Публикации ({len(promo)})"


def test_duplicate_stays_visible_when_its_twin_is_filtered_out(plan: pd.DataFrame) -> None:
    """Problems come from the whole plan: CP-026 (Продукт) is still a duplicate of CP-008 (Акция)."""
    lab = ContentPlanExplorer(plan)
    lab.rubric.value = "Продукт"
    assert "тот же текст, что в CP-008" in lab.state.problems["problem"].tolist()


def test_widget_without_statuses_or_problems(plan: pd.DataFrame) -> None:
    """No status selected: an explanation instead of tables; a clean selection says so."""
    lab = ContentPlanExplorer(plan)
    lab.status.value = ()
    assert lab.state.rows.empty and "ни одна публикация" in lab.rows_html.value
    lab.status.value = ("утверждён",)
    lab.account.value = "qc_tg"
    assert lab.state.problems.empty and "Проблем нет" in lab.problems_html.value


def test_widget_answers_each_change(plan: pd.DataFrame) -> None:
    """Each change of a control redraws at once: the shown rows follow the controls (speed: tools/bench_widgets.py)."""
    lab = ContentPlanExplorer(plan)
    changes = [("account", "qc_ig"), ("rubric", "Отзывы гостей"), ("status", ("утверждён",)), ("account", ALL),
               ("rubric", ALL), ("status", ("утверждён", "черновик"))]
    for name, value in changes:
        before = (lab.summary.value, lab.rows_html.value)
        getattr(lab, name).value = value
        assert (lab.summary.value, lab.rows_html.value) != before, (name, value)
        expected = filter_plan(plan, lab.account.value, lab.status.value, lab.rubric.value)
        assert lab.state.rows["item_id"].tolist() == expected["item_id"].tolist(), (name, value)
