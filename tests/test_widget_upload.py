"""UploadPreview: the pure functions and the widget, driven headless through its controls."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from smmkit import datasets
from smmkit.autoposting import check_hootsuite_csv
from smmkit.platforms import load_facts
from smmkit.widgets import UploadPreview
from smmkit.widgets.upload import account_options, build_upload, media_list, to_csv_text, upload_state

MEDIA_ASKED = "в CSV Hootsuite медиафайл указать нельзя"


@pytest.fixture()
def plan_with_media(plan: pd.DataFrame) -> pd.DataFrame:
    """The plan with a media_file column as the generator writes it: a path per row, none for Telegram texts."""
    out = plan.copy()
    ext = out["platform"].astype(str).map({"Instagram": ".jpg", "TikTok": ".mp4"}).fillna("")
    out["media_file"] = ("media/qazaq_coffee/" + out["item_id"] + ext).where(ext.ne(""), float("nan"))
    return out


@pytest.fixture()
def planted(plan_with_media: pd.DataFrame) -> pd.DataFrame:
    """plan_with_media with 32 hashtags planted in the first Instagram row (CP-001)."""
    out = plan_with_media.copy()
    out.loc[out["item_id"].eq("CP-001"), "hashtags"] = " ".join(f"#тег{i}" for i in range(32))
    return out


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


def test_to_csv_text_has_no_header_and_passes_the_check(plan_with_media: pd.DataFrame) -> None:
    up = build_upload(plan_with_media, "qc_tt")
    text = to_csv_text(up)
    assert text.startswith("03/03/2026 20:00,")
    assert "date" not in text.splitlines()[0]
    tt = plan_with_media[plan_with_media["account_id"].eq("qc_tt")]
    assert check_hootsuite_csv(text, "TikTok", media_files=media_list(tt)) == []
    assert MEDIA_ASKED in str(check_hootsuite_csv(text, "TikTok")[0])  # no media list: refused
    assert to_csv_text(build_upload(plan_with_media, "nobody")) == ""


def test_upload_state_counts(plan: pd.DataFrame) -> None:
    ig = upload_state(plan, "qc_ig")
    assert (ig.rows, ig.not_approved, ig.time_filled, ig.platform) == (11, 3, 4, "Instagram")
    assert upload_state(plan, "qc_ig", approved_only=False).not_approved == 0
    assert upload_state(plan, "qc_ig", approved_only=False).time_filled == 4
    tt = upload_state(plan, "qc_tt")
    assert (tt.rows, tt.not_approved, tt.time_filled) == (6, 0, 1)


def test_instagram_problems_hashtags_and_duplicate(planted: pd.DataFrame) -> None:
    limit = load_facts()["Instagram"].hashtag_limit
    with_tags = problem_texts(upload_state(planted, "qc_ig"))
    assert f"строка 1: 32 хештега, а Instagram допускает не больше {limit}" in with_tags
    assert not any(MEDIA_ASKED in p for p in with_tags)
    plain = problem_texts(upload_state(planted, "qc_ig", with_hashtags=False))
    assert any("текст повторяет строку" in p for p in plain)
    assert not any("хештег" in p for p in plain)


def test_instagram_without_media_column_asks_for_the_files(plan: pd.DataFrame, plan_with_media: pd.DataFrame) -> None:
    """The plan without media_file: the check asks for the list; a row without a file is named."""
    no_column = plan.drop(columns="media_file", errors="ignore")
    assert any(MEDIA_ASKED in p for p in problem_texts(upload_state(no_column, "qc_ig")))
    edited = plan_with_media.copy()
    edited.loc[edited["item_id"].eq("CP-001"), "media_file"] = ""
    texts = problem_texts(upload_state(edited, "qc_ig"))
    assert "строка 1: нет фото или видео: Instagram не публикует пост без медиафайла" in texts


def test_month_first_is_flagged_and_shifted_dates_are_counted(plan_with_media: pd.DataFrame) -> None:
    state = upload_state(plan_with_media, "qc_ig", month_first=True)
    texts = problem_texts(state)
    assert any("уже прошло" in p for p in texts)
    assert any("не в формате ДД/ММ/ГГГГ ЧЧ:ММ" in p for p in texts)
    assert state.off_plan_dates > 0
    assert state.plan_period == ("02.03.2026", "15.03.2026")
    assert upload_state(plan_with_media, "qc_ig").off_plan_dates == 0


def test_telegram_goes_through_its_own_scheduling_format(plan_with_media: pd.DataFrame) -> None:
    """Hootsuite does not publish to Telegram: the file is Telegram API scheduled messages (JSON), not a CSV."""
    plan = plan_with_media
    state = upload_state(plan, "qc_tg")
    requests = json.loads(state.file_text)
    tg = plan[plan["account_id"].eq("qc_tg") & plan["status"].eq("утверждён")]
    assert len(requests) == len(tg) == state.rows
    assert {r["method"] for r in requests} == {"messages.sendMessage"}
    assert requests[0]["peer"] == "@qc_tg"
    first = tg.iloc[0]
    when = pd.Timestamp(f"{first['publish_date']:%Y-%m-%d} {first['publish_time']}").tz_localize("Asia/Almaty")
    assert requests[0]["schedule_date"] == int(when.timestamp())
    assert "Hootsuite сюда не публикует" in state.route and "SMMplanner" in state.route
    assert state.problems == [] and state.off_plan_dates == 0
    # the month-first toggle does not apply: Unix time has no day/month order
    assert upload_state(plan, "qc_tg", month_first=True).file_text == state.file_text
    # a photo makes the request messages.sendMedia with the file to upload
    photo = plan.copy()
    photo.loc[photo["item_id"].eq(tg.iloc[0]["item_id"]), "media_file"] = "media/qazaq_coffee/x.jpg"
    first_request = json.loads(upload_state(photo, "qc_tg").file_text)[0]
    assert (first_request["method"], first_request["media_file"]) == ("messages.sendMedia", "media/qazaq_coffee/x.jpg")


def test_widget_defaults(planted: pd.DataFrame) -> None:
    lab = UploadPreview(planted)
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
    assert "32 хештега" in html and "32 хештегов" not in html
    assert "Instagram: загрузка через Hootsuite" in html
    assert "… ещё" in html  # the preview shows only the first lines


def test_widget_controls_change_the_preview(planted: pd.DataFrame) -> None:
    lab = UploadPreview(planted)
    lab.with_hashtags.value = False
    assert "текст повторяет строку" in lab.output.value
    assert "32 хештега" not in lab.output.value

    lab.approved_only.value = False
    assert "Публикаций в файле:</b> 14" in lab.output.value
    assert "пропущено" not in lab.output.value

    lab.account.value = "qc_tg"
    lab.approved_only.value = True
    lab.with_hashtags.value = True
    assert "Проблем не найдено" in lab.output.value
    assert "Публикаций в файле:</b> 10" in lab.output.value
    assert "JSON, UTF-8" in lab.output.value and "schedule_date" in lab.output.value

    lab.account.value = "qc_ig"
    lab.date_format.value = True
    html = lab.output.value
    assert "03/02/2026 19:30," in html
    assert "Сервис отклонит файл" in html
    assert "уже прошло" in html and "не в формате" in html
    assert "вне плана (02.03.2026–15.03.2026)" in html

    lab.date_format.value = False
    lab.account.value = "qc_tt"
    lab.default_time.value = "20:00"
    assert "время 20:00 подставлено:</b> 1" in lab.output.value
    assert "05/03/2026 20:00" in lab.state.csv_text


def test_vk_goes_through_wall_post_with_a_placeholder_community(plan_with_media: pd.DataFrame) -> None:
    """A VK account: wall.post parameters (JSON) with publish_date; the placeholder community number is named."""
    vk = plan_with_media[plan_with_media["account_id"].eq("qc_tg")].copy()
    vk["account_id"], vk["platform"] = "qc_vk", "VK"
    state = upload_state(vk, "qc_vk")
    params = json.loads(state.file_text)
    assert len(params) == state.rows > 0
    assert {p["owner_id"] for p in params} == {-1} and {p["from_group"] for p in params} == {1}
    assert all(isinstance(p["publish_date"], int) for p in params)
    assert "wall.post" in state.route and "условный" in state.route
    assert state.problems == []
