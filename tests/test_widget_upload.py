"""UploadPreview: the pure functions and the widget, driven headless through its controls."""

from __future__ import annotations

import pandas as pd
import pytest

from smmkit import datasets
from smmkit.autoposting import check_hootsuite_csv
from smmkit.widgets import UploadPreview
from smmkit.widgets.upload import account_options, build_upload, to_csv_text, upload_state


@pytest.fixture(scope="module")
def raw_plan() -> pd.DataFrame:
    """The plan read with plain pandas: every value a string, missing values as empty strings."""
    return pd.read_csv(datasets.csv_path("content_plan"), dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")


def problem_texts(state_or_widget: object) -> list[str]:
    state = getattr(state_or_widget, "state", state_or_widget)
    return [str(p) for p in state.problems]


def test_account_options_come_from_the_plan(plan: pd.DataFrame) -> None:
    assert account_options(plan) == [
        ("Qazaq Coffee · Instagram", "qc_ig"),
        ("Qazaq Coffee · Telegram", "qc_tg"),
        ("Qazaq Coffee · TikTok", "qc_tt"),
    ]
    other = pd.DataFrame({"account_id": ["ds_vk", "zz_x"], "platform": ["VK", "Threads"]})
    assert account_options(other) == [("Dala Style · VK", "ds_vk"), ("zz_x · Threads", "zz_x")]


def test_build_upload_telegram(plan: pd.DataFrame) -> None:
    up = build_upload(plan, "qc_tg")
    assert list(up.columns) == ["date", "message", "link"]
    tg = plan[plan["account_id"] == "qc_tg"]
    assert len(up) == len(tg) == 10
    first = tg.iloc[0]
    assert up.loc[0, "date"] == f"{first['publish_date']:%d/%m/%Y} {first['publish_time']}"
    assert up.loc[0, "message"] == f"{first['text']}\n\n{first['hashtags']}"
    no_tags = tg["hashtags"].isna().to_numpy()
    assert (up.loc[no_tags, "message"] == tg.loc[no_tags, "text"].to_numpy()).all()
    assert set(up["link"]) <= {"", "https://qazaqcoffee.kz/menu"}
    assert not up.isna().any().any()


def test_build_upload_without_hashtags_is_the_plain_text(plan: pd.DataFrame) -> None:
    up = build_upload(plan, "qc_tt", with_hashtags=False)
    assert up["message"].tolist() == plan.loc[plan["account_id"] == "qc_tt", "text"].tolist()


def test_default_time_fills_rows_without_time(plan: pd.DataFrame) -> None:
    tt = plan[plan["account_id"] == "qc_tt"].reset_index(drop=True)
    missing = tt.index[tt["publish_time"].isna()]
    assert len(missing) == 1
    day = f"{tt.loc[missing[0], 'publish_date']:%d/%m/%Y}"
    assert build_upload(plan, "qc_tt").loc[missing[0], "date"] == f"{day} 12:00"
    assert build_upload(plan, "qc_tt", default_time="20:00").loc[missing[0], "date"] == f"{day} 20:00"


def test_approved_only_and_no_row_is_dropped_for_problems(plan: pd.DataFrame) -> None:
    ig = plan[plan["account_id"] == "qc_ig"]
    approved = ig[ig["status"] == "утверждён"]
    assert len(build_upload(plan, "qc_ig")) == len(approved) == 11
    assert len(build_upload(plan, "qc_ig", approved_only=False)) == len(ig) == 14


def test_month_first_dates(plan: pd.DataFrame) -> None:
    assert build_upload(plan, "qc_tg", month_first=True).loc[0, "date"] == "03/02/2026 08:30"
    assert build_upload(plan, "qc_tg").loc[0, "date"] == "02/03/2026 08:30"


def test_plain_pandas_plan_gives_the_same_file(plan: pd.DataFrame, raw_plan: pd.DataFrame) -> None:
    for account in ("qc_ig", "qc_tg", "qc_tt"):
        pd.testing.assert_frame_equal(build_upload(raw_plan, account), build_upload(plan, account))


def test_to_csv_text_has_no_header_and_passes_the_check(plan: pd.DataFrame) -> None:
    text = to_csv_text(build_upload(plan, "qc_tg"))
    assert text.startswith("02/03/2026 08:30,")
    assert "date" not in text.splitlines()[0]
    assert check_hootsuite_csv(text, "Telegram") == []
    assert to_csv_text(build_upload(plan, "nobody")) == ""


def test_upload_state_counts(plan: pd.DataFrame) -> None:
    ig = upload_state(plan, "qc_ig")
    assert (ig.rows, ig.not_approved, ig.time_filled, ig.platform) == (11, 3, 4, "Instagram")
    assert upload_state(plan, "qc_ig", approved_only=False).not_approved == 0
    assert upload_state(plan, "qc_ig", approved_only=False).time_filled == 4
    tt = upload_state(plan, "qc_tt")
    assert (tt.rows, tt.not_approved, tt.time_filled) == (6, 0, 1)


def test_instagram_problems_hashtags_and_duplicate(plan: pd.DataFrame) -> None:
    with_tags = problem_texts(upload_state(plan, "qc_ig"))
    assert any("32 хештегов, а Instagram допускает не больше 30" in p for p in with_tags)
    plain = problem_texts(upload_state(plan, "qc_ig", with_hashtags=False))
    assert any("текст повторяет строку" in p for p in plain)


def test_month_first_is_flagged_and_shifted_dates_are_counted(plan: pd.DataFrame) -> None:
    state = upload_state(plan, "qc_tg", month_first=True)
    texts = problem_texts(state)
    assert any("уже прошло" in p for p in texts)
    assert any("не в формате ДД/ММ/ГГГГ ЧЧ:ММ" in p for p in texts)
    assert state.off_plan_dates > 0
    assert state.plan_period == ("02.03.2026", "15.03.2026")
    assert upload_state(plan, "qc_tg").off_plan_dates == 0


def test_widget_defaults(plan: pd.DataFrame) -> None:
    lab = UploadPreview(plan)
    assert lab.account.value == "qc_ig"
    assert lab.account.label == "Qazaq Coffee · Instagram"
    assert lab.account.description == "Аккаунт:"
    assert [label for label, _ in lab.date_format.options] == ["ДД/ММ/ГГГГ", "ММ/ДД/ГГГГ"]
    assert lab.approved_only.description == "только утверждённые"
    assert lab.with_hashtags.description == "добавить хештеги к тексту"
    assert lab.default_time.value == "12:00"
    html = lab.output.value
    assert "<pre" in html and "02/03/2026 19:30," in html
    assert "Публикаций в файле:</b> 11" in html
    assert "пропущено:</b> 3 (не утверждены)" in html
    assert "время 12:00 подставлено:</b> 4" in html
    assert "32 хештегов" in html
    assert "… ещё" in html  # the preview shows only the first lines


def test_widget_controls_change_the_preview(plan: pd.DataFrame) -> None:
    lab = UploadPreview(plan)
    lab.with_hashtags.value = False
    assert "текст повторяет строку" in lab.output.value
    assert "32 хештегов" not in lab.output.value

    lab.approved_only.value = False
    assert "Публикаций в файле:</b> 14" in lab.output.value
    assert "пропущено" not in lab.output.value

    lab.account.value = "qc_tg"
    lab.approved_only.value = True
    lab.with_hashtags.value = True
    assert "Проблем не найдено" in lab.output.value
    assert "Публикаций в файле:</b> 10" in lab.output.value

    lab.date_format.value = True
    html = lab.output.value
    assert "03/02/2026 08:30," in html
    assert "Сервис отклонит файл" in html
    assert "уже прошло" in html and "не в формате" in html
    assert "вне плана (02.03.2026–15.03.2026)" in html

    lab.date_format.value = False
    lab.account.value = "qc_tt"
    lab.default_time.value = "20:00"
    assert "время 20:00 подставлено:</b> 1" in lab.output.value
    assert "05/03/2026 20:00" in lab.state.csv_text
