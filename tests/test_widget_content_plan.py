"""ContentPlanExplorer and its pure functions: filtering, counts and the autoposting problems of a plan."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from smmkit import datasets
from smmkit.widgets import ContentPlanExplorer
from smmkit.widgets.content_plan import ALL, filter_plan, hashtag_count, plan_counts, plan_problems

NOT_APPROVED = {"CP-006", "CP-018", "CP-030"}
NO_TIME = {"CP-003", "CP-010", "CP-015", "CP-023", "CP-028"}
DUPLICATES = {"CP-008", "CP-026"}


def _items(problems: pd.DataFrame, starts: str) -> set[str]:
    return set(problems.loc[problems["problem"].str.startswith(starts), "item_id"])


# --- plan_problems ---------------------------------------------------------------------------------


def test_problems_are_exactly_the_planted_ones(plan: pd.DataFrame) -> None:
    """3 not approved, 5 without a time, one row with 32 hashtags, one duplicate pair, and nothing else."""
    problems = plan_problems(plan)
    assert list(problems.columns) == ["item_id", "problem"]
    assert _items(problems, "не утверждена") == NOT_APPROVED
    assert _items(problems, "не указано время") == NO_TIME
    assert _items(problems, "тот же текст") == DUPLICATES
    tags = problems[problems["problem"].str.contains("хештег")]
    assert tags["item_id"].tolist() == ["CP-015"]
    assert tags["problem"].iloc[0] == "32 хештега, а Instagram допускает не больше 30"
    assert len(problems) == 3 + 5 + 1 + 2
    assert not problems.duplicated().any()


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
    assert hashtag_count(plan).max() == 32


def test_problems_of_a_clean_plan_are_empty(plan: pd.DataFrame) -> None:
    """Approved rows with a time, few hashtags and distinct texts have no problems."""
    clean = plan[plan["status"].eq("утверждён") & plan["publish_time"].notna()]
    clean = clean[~clean["item_id"].isin(["CP-015", "CP-026"])]
    assert plan_problems(clean).empty


def test_long_text_bad_link_and_cross_account_texts(plan: pd.DataFrame) -> None:
    """Too long captions and bad links are found; the same text on two accounts is not a duplicate."""
    edited = plan.copy()
    first = edited.index[0]
    edited.loc[first, "text"] = "а" * 2300
    edited.loc[edited.index[1], "link"] = "qazaqcoffee.kz/menu"
    tg = edited.index[edited["account_id"].eq("qc_tg")][-1]
    edited.loc[tg, "text"] = edited.loc[edited.index[2], "text"]  # Telegram copies an Instagram text
    problems = plan_problems(edited)
    long = problems[problems["problem"].str.startswith("текст с хештегами")]
    assert long["item_id"].tolist() == ["CP-001"]
    assert "не больше 2200" in long["problem"].iloc[0]
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
    assert counts.loc["Итого", "Акция"] == 7
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
    assert len(st.rows) == 30 and len(st.problems) == 11 and st.ready == 20
    assert lab.tabs.titles == ("Проблемы (11)", "Публикации (30)", "Площадка × рубрика")
    assert "Показано <b>30</b> из 30" in lab.summary.value
    assert "CP-015" in lab.problems_html.value and "32 хештега" in lab.problems_html.value
    assert lab.rows_html.value.count("</tr>") == 31  # header + 30 rows
    assert "Итого" in lab.counts_html.value


def test_widget_filters_update_outputs(plan: pd.DataFrame) -> None:
    """Changing the controls changes rows, counts and the problems shown."""
    lab = ContentPlanExplorer(plan)
    lab.account.value = "qc_ig"
    lab.status.value = ("утверждён",)
    st = lab.state
    assert len(st.rows) == 11 and set(st.rows["account_id"].astype(str)) == {"qc_ig"}
    assert set(st.problems["item_id"]) == {"CP-003", "CP-008", "CP-015", "CP-023", "CP-026", "CP-028"}
    assert "CP-006" not in lab.problems_html.value and "CP-026" in lab.problems_html.value
    assert list(st.counts.index) == ["Instagram", "Итого"]
    lab.rubric.value = "Акция"
    assert lab.state.rows["item_id"].tolist() == ["CP-001", "CP-008", "CP-013", "CP-021"]
    assert lab.tabs.titles[1] == "Публикации (4)"


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


def test_widget_is_fast(plan: pd.DataFrame) -> None:
    """Each change of a control redraws well under 100 ms."""
    lab = ContentPlanExplorer(plan)
    changes = [("account", "qc_ig"), ("rubric", "Акция"), ("status", ("утверждён",)), ("account", ALL),
               ("rubric", ALL), ("status", ("утверждён", "черновик"))]
    start = time.perf_counter()
    for name, value in changes:
        getattr(lab, name).value = value
    assert (time.perf_counter() - start) / len(changes) < 0.1
