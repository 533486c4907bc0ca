"""Autoposting: Hootsuite's bulk CSV (every rule the simulated upload applies, file reading, the moment of upload,
media), the tool for each platform, and the Telegram and VK uploads in the platforms' own scheduling formats.

Limits come from the platform facts; the tests read them there too, so a semester's update keeps them true.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from smmkit.autoposting import (
    HOOTSUITE_MAX_ROWS,
    Problem,
    caption_problems,
    check_hootsuite_csv,
    check_telegram_schedule,
    check_vk_wall_posts,
    media_problems,
    plan_posts,
    publisher_for,
    publishes_to,
    telegram_schedule,
    to_json,
    upload_route,
    vk_wall_posts,
)
from smmkit.platforms import load_facts
from smmkit.russian import plural

FACTS = load_facts()

GOOD = (
    "02/03/2026 08:30,Доброе утро! Новый раф уже в меню.,https://qazaqcoffee.kz/menu\n"
    '03/03/2026 12:35,"Пять способов заварить кофе дома.\n\n#кофе #алматы",\n'
    "04/03/2026 20:00,Тест: какой вы кофе?\n"
)


def csv_text(rows: list[list[str]]) -> str:
    """Rows written as a headerless CSV, the way pandas' to_csv would."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def messages(problems: list[Problem]) -> list[str]:
    """Problems as their printed text."""
    return [str(p) for p in problems]


def test_clean_file_is_accepted() -> None:
    media = ["media/qazaq_coffee/CP-001.jpg", "media/qazaq_coffee/CP-003.jpg", "media/qazaq_coffee/CP-005.mp4"]
    assert check_hootsuite_csv(GOOD, "Instagram", media_files=media) == []
    assert check_hootsuite_csv(GOOD, "Facebook") == []


def test_problem_text_names_the_row_or_the_file() -> None:
    assert str(Problem(3, "пустой текст публикации")) == "строка 3: пустой текст публикации"
    assert str(Problem(0, "файл пустой")) == "файл: файл пустой"


def test_multiline_message_is_one_row() -> None:
    text = csv_text([["05/03/2026 10:00", "Первая строка\n\nвторая строка"], ["05/03/2026 10:03", "Ещё"]])
    assert messages(check_hootsuite_csv(text, "Facebook")) == [
        "строка 2: время 10:03: минуты должны оканчиваться на 0 или 5"
    ]


@pytest.mark.parametrize("minute", ["01", "03", "12", "59"])
def test_minutes_must_end_in_0_or_5(minute: str) -> None:
    problems = check_hootsuite_csv(f"05/03/2026 10:{minute},Текст\n", "Facebook")
    assert len(problems) == 1
    assert problems[0].row == 1
    assert f"время 10:{minute}: минуты должны оканчиваться на 0 или 5" in problems[0].message


@pytest.mark.parametrize("minute", ["00", "05", "30", "55"])
def test_minutes_on_the_five_minute_grid_pass(minute: str) -> None:
    assert check_hootsuite_csv(f"05/03/2026 10:{minute},Текст\n", "Facebook") == []


def test_time_in_the_past_is_refused() -> None:
    text = "27/02/2026 12:30,Вчерашний пост\n01/03/2026 09:00,Ровно сейчас\n01/03/2026 09:05,Через 5 минут\n"
    assert messages(check_hootsuite_csv(text, "Facebook")) == [
        "строка 1: время 27.02.2026 12:30 уже прошло",
        "строка 2: время 01.03.2026 09:00 уже прошло",
    ]


@pytest.mark.parametrize("date", ["2026-03-05 10:00", "03/13/2026 10:00", "05/03/2026", "5 марта 10:00", ""])
def test_date_not_day_first_is_refused(date: str) -> None:
    problems = check_hootsuite_csv(csv_text([[date, "Текст"]]), "Facebook")
    assert messages(problems) == [f"строка 1: дата «{date}» не в формате ДД/ММ/ГГГГ ЧЧ:ММ"]


def test_month_first_date_with_day_up_to_12_is_read_silently_as_another_month() -> None:
    # 03/09/2026 meant as 9 March is read day-first as 3 September: a valid future date, no problem reported.
    assert check_hootsuite_csv("03/09/2026 12:30,Текст\n", "Facebook") == []
    # 03/02/2026 meant as 2 March is read as 3 February: in the past.
    assert messages(check_hootsuite_csv("03/02/2026 12:30,Текст\n", "Facebook")) == [
        "строка 1: время 03.02.2026 12:30 уже прошло"
    ]


def test_empty_message_is_refused() -> None:
    assert messages(check_hootsuite_csv('05/03/2026 10:00,"  "\n', "Facebook")) == [
        "строка 1: пустой текст публикации"
    ]


@pytest.mark.parametrize("platform", ["Instagram", "TikTok", "Facebook", "Threads", "YouTube"])
def test_text_over_the_api_caption_limit(platform: str) -> None:
    limit = FACTS[platform].caption_limit_api
    media = ["media/x/1.mp4"]
    ok = csv_text([["05/03/2026 10:00", "а" * limit]])
    assert check_hootsuite_csv(ok, platform, media_files=media) == []
    long = csv_text([["05/03/2026 10:00", "а" * (limit + 1)]])
    assert messages(check_hootsuite_csv(long, platform, media_files=media)) == [
        f"строка 1: текст — {limit + 1} {'символ' if (limit + 1) % 10 == 1 else 'символов'}, "
        f"а {platform} через API принимает не больше {limit}"
    ]


def test_tiktok_app_limit_is_longer_than_the_api_limit_the_check_uses() -> None:
    """A caption the TikTok app accepts is refused in the scheduler's upload: the check uses the API limit."""
    tiktok = FACTS["TikTok"]
    assert tiktok.caption_limit_app > tiktok.caption_limit_api
    text = csv_text([["05/03/2026 10:00", "а" * tiktok.caption_limit_app]])
    problems = check_hootsuite_csv(text, "TikTok", media_files=["media/x/1.mp4"])
    assert [p.row for p in problems] == [1] and "через API" in problems[0].message


@pytest.mark.parametrize(("n", "words"), [(6, "6 хештегов"), (8, "8 хештегов"), (21, "21 хештег"),
                                          (32, "32 хештега"), (11, "11 хештегов"), (22, "22 хештега")])
def test_more_hashtags_than_instagram_allows(n: int, words: str) -> None:
    limit = FACTS["Instagram"].hashtag_limit
    at_limit = " ".join(f"#тег{i}" for i in range(limit))
    over = " ".join(f"#тег{i}" for i in range(n))
    text = csv_text([["05/03/2026 10:00", f"Пост 1\n\n{at_limit}"], ["06/03/2026 10:00", f"Пост 2\n\n{over}"]])
    media = ["media/x/1.jpg", "media/x/2.jpg"]
    assert messages(check_hootsuite_csv(text, "Instagram", media_files=media)) == [
        f"строка 2: {words}, а Instagram допускает не больше {limit}"
    ]
    assert check_hootsuite_csv(text, "Facebook") == []  # no hashtag limit on Facebook


def test_threads_allows_one_tag() -> None:
    text = csv_text([["05/03/2026 10:00", "Кофе #алматы #кофе"]])
    assert messages(check_hootsuite_csv(text, "Threads")) == [
        f"строка 1: 2 хештега, а Threads допускает не больше {FACTS['Threads'].hashtag_limit}"
    ]


def test_duplicate_message_is_refused() -> None:
    text = csv_text([
        ["05/03/2026 10:00", "Второй капучино в подарок"],
        ["06/03/2026 10:00", "Другой текст"],
        ["07/03/2026 10:00", "Второй капучино в подарок"],
        ["08/03/2026 10:00", "Второй капучино в подарок"],
    ])
    assert messages(check_hootsuite_csv(text, "Facebook")) == [
        "строка 3: текст повторяет строку 1",
        "строка 4: текст повторяет строку 1",
    ]


def test_repeat_with_other_hashtags_is_still_a_repeat() -> None:
    text = csv_text([
        ["05/03/2026 10:00", "Второй капучино в подарок\n\n#кофе #алматы"],
        ["06/03/2026 10:00", "Второй капучино в подарок\n\n#latte"],
    ])
    media = ["media/x/1.jpg", "media/x/2.jpg"]
    assert messages(check_hootsuite_csv(text, "Instagram", media_files=media)) == ["строка 2: текст повторяет строку 1"]


@pytest.mark.parametrize("link", ["qazaqcoffee.kz/menu", "www.qazaqcoffee.kz", "ftp://qazaqcoffee.kz"])
def test_link_must_be_http(link: str) -> None:
    assert messages(check_hootsuite_csv(csv_text([["05/03/2026 10:00", "Меню", link]]), "Facebook")) == [
        f"строка 1: ссылка «{link}» должна начинаться с http:// или https://"
    ]


@pytest.mark.parametrize("link", ["https://qazaqcoffee.kz/menu", "http://qazaqcoffee.kz", "", "  "])
def test_good_or_empty_link_passes(link: str) -> None:
    assert check_hootsuite_csv(csv_text([["05/03/2026 10:00", "Меню", link]]), "Facebook") == []


def test_two_or_three_columns_are_accepted() -> None:
    text = "05/03/2026 10:00,Без ссылки\n06/03/2026 10:00,Со ссылкой,https://qazaqcoffee.kz\n"
    assert check_hootsuite_csv(text, "Facebook") == []


@pytest.mark.parametrize("row", [["05/03/2026 10:00"], ["05/03/2026 10:00", "Текст", "https://a.kz", "ещё"]])
def test_wrong_number_of_columns(row: list[str]) -> None:
    assert messages(check_hootsuite_csv(csv_text([row]), "Facebook")) == [
        f"строка 1: ожидается 2 или 3 столбца (дата, текст, ссылка), а их {len(row)}"
    ]


def test_header_row_is_reported_as_a_bad_date() -> None:
    problems = check_hootsuite_csv("date,message,link\n05/03/2026 10:00,Текст,\n", "Facebook")
    assert {p.row for p in problems} == {1}
    assert str(problems[0]) == "строка 1: дата «date» не в формате ДД/ММ/ГГГГ ЧЧ:ММ"


def _rows(n: int) -> list[list[str]]:
    start = datetime(2026, 3, 2, 8, 0)
    return [[f"{start + timedelta(minutes=5 * i):%d/%m/%Y %H:%M}", f"Пост номер {i}"] for i in range(n)]


def test_max_rows_come_from_the_facts() -> None:
    assert HOOTSUITE_MAX_ROWS == FACTS.tool("Hootsuite").fact("max_rows").value


def test_350_rows_are_accepted() -> None:
    assert check_hootsuite_csv(csv_text(_rows(HOOTSUITE_MAX_ROWS)), "Facebook") == []


def test_more_than_350_rows_is_a_file_problem() -> None:
    problems = check_hootsuite_csv(csv_text(_rows(HOOTSUITE_MAX_ROWS + 1)), "Facebook")
    assert problems == [Problem(0, "351 строка, а загрузить можно не больше 350")]
    assert str(problems[0]) == "файл: 351 строка, а загрузить можно не больше 350"


def test_empty_text_and_empty_file(tmp_path: Path) -> None:
    assert check_hootsuite_csv("", "Facebook") == [Problem(0, "файл пустой")]
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert check_hootsuite_csv(path, "Facebook") == [Problem(0, "файл пустой")]


def test_reads_a_path_given_as_str_or_path(tmp_path: Path) -> None:
    path = tmp_path / "qc_tg.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert check_hootsuite_csv(path, "Facebook") == []
    assert check_hootsuite_csv(str(path), "Facebook") == []


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text(GOOD, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert check_hootsuite_csv(path, "Facebook") == []


def test_non_utf8_file_gives_a_russian_error(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.csv"
    path.write_bytes("05/03/2026 10:00,Кофе дня\n".encode("cp1251"))
    with pytest.raises(ValueError, match="не в кодировке UTF-8: сохраните его как «CSV UTF-8»"):
        check_hootsuite_csv(path, "Facebook")


def test_missing_file_gives_a_russian_error(tmp_path: Path) -> None:
    missing = tmp_path / "нет_такого.csv"
    with pytest.raises(FileNotFoundError, match="не найден: сначала сохраните его"):
        check_hootsuite_csv(missing, "Facebook")
    with pytest.raises(FileNotFoundError, match="не найден"):
        check_hootsuite_csv(str(missing), "Facebook")


def test_default_now_is_the_story_today() -> None:
    text = "01/03/2026 08:55,До начала\n01/03/2026 09:05,После начала\n"
    assert messages(check_hootsuite_csv(text, "Facebook")) == ["строка 1: время 01.03.2026 08:55 уже прошло"]


def test_naive_now_is_local_almaty_time() -> None:
    text = "05/03/2026 12:00,Полдень\n05/03/2026 12:05,Чуть позже\n"
    naive = check_hootsuite_csv(text, "Facebook", now=datetime(2026, 3, 5, 12, 0))
    assert messages(naive) == ["строка 1: время 05.03.2026 12:00 уже прошло"]


def test_aware_now_is_compared_as_an_instant() -> None:
    text = "05/03/2026 12:00,Полдень\n05/03/2026 12:05,Чуть позже\n"
    utc_noon_almaty = datetime(2026, 3, 5, 7, 0, tzinfo=timezone.utc)  # 12:00 in Almaty (UTC+5)
    assert messages(check_hootsuite_csv(text, "Facebook", now=utc_noon_almaty)) == [
        "строка 1: время 05.03.2026 12:00 уже прошло"
    ]
    # The same wall-clock 12:00 but in UTC is 17:00 in Almaty: both rows are already in the past.
    late = check_hootsuite_csv(text, "Facebook", now=datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc))
    assert [p.row for p in late] == [1, 2]


def test_several_problems_in_one_row_are_all_listed() -> None:
    text = csv_text([["28/02/2026 10:03", "", "qazaqcoffee.kz"]])
    assert messages(check_hootsuite_csv(text, "Instagram", media_files=["media/x/1.jpg"])) == [
        "строка 1: время 10:03: минуты должны оканчиваться на 0 или 5",
        "строка 1: время 28.02.2026 10:03 уже прошло",
        "строка 1: пустой текст публикации",
        "строка 1: ссылка «qazaqcoffee.kz» должна начинаться с http:// или https://",
    ]


# --- the tool for each platform ----------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["Telegram", "VK"])
def test_hootsuite_refuses_telegram_and_vk_and_names_a_tool_that_publishes(platform: str) -> None:
    problems = check_hootsuite_csv(GOOD, platform)
    assert len(problems) == 1 and problems[0].row == 0
    tool = publisher_for(platform)
    assert tool != "Hootsuite" and tool in FACTS[platform].publishers
    assert str(problems[0]) == (f"файл: Hootsuite не публикует в {platform}: загрузите эти публикации через "
                                f"{tool} или отложенные публикации самой площадки")


def test_publishers_follow_the_facts() -> None:
    for platform in FACTS.platforms:
        assert publishes_to("Hootsuite", platform) == (platform in FACTS.tool("Hootsuite").fact(
            "publishes_to").value), platform
    assert publisher_for("Instagram") == "Hootsuite"
    assert not publishes_to("Hootsuite", "Telegram") and not publishes_to("Hootsuite", "VK")
    with pytest.raises(KeyError, match="Площадки «Одноклассники» нет"):
        publisher_for("Одноклассники")


def test_upload_route_is_honest_about_the_missing_import_format() -> None:
    assert "Hootsuite" in upload_route("Instagram") and "в CSV их не указать" in upload_route("Instagram")
    assert "CSV их" not in upload_route("Facebook")
    for platform, api in (("Telegram", "schedule_date"), ("VK", "wall.post")):
        route = upload_route(platform)
        assert "Hootsuite сюда не публикует" in route and "не опубликован" in route and api in route


def test_unknown_platform_is_a_file_problem() -> None:
    assert messages(check_hootsuite_csv(GOOD, "Одноклассники"))[0].startswith(
        "файл: площадка «Одноклассники» неизвестна")


# --- media ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["Instagram", "TikTok"])
def test_media_required_without_a_media_list_is_refused(platform: str) -> None:
    assert FACTS[platform].media_required
    problems = check_hootsuite_csv(GOOD, platform)
    assert problems == [Problem(0, f"{platform} не публикует пост без фото или видео, а в CSV Hootsuite медиафайл "
                                   f"указать нельзя: приложите к загрузке список медиафайлов, по одному на строку")]


def test_media_list_must_have_one_entry_per_row_and_a_file_per_post() -> None:
    problems = check_hootsuite_csv(GOOD, "Instagram", media_files=["media/x/1.jpg"])
    assert messages(problems) == ["файл: в файле 3 строки, а медиафайлов в списке 1: нужно по одному на строку "
                                  "(пустой, если фото нет)"]
    problems = check_hootsuite_csv(GOOD, "Instagram", media_files=["media/x/1.jpg", float("nan"), None])
    assert messages(problems) == [
        "строка 2: нет фото или видео: Instagram не публикует пост без медиафайла",
        "строка 3: нет фото или видео: Instagram не публикует пост без медиафайла",
    ]
    assert check_hootsuite_csv(GOOD, "Facebook", media_files=["", "", ""]) == []  # Facebook allows text posts


def test_media_type_and_existence(tmp_path: Path) -> None:
    assert media_problems("media/x/1.gif", "TikTok") == [
        f"файл «media/x/1.gif»: TikTok принимает файлы {', '.join(FACTS['TikTok'].media_formats)}"
    ]
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.jpg").write_bytes(b"jpg")
    assert media_problems("media/a.jpg", "Instagram", media_root=tmp_path) == []
    assert media_problems("media/b.jpg", "Instagram", media_root=tmp_path) == [
        f"файл «media/b.jpg» не найден в папке {tmp_path}"
    ]


def test_caption_problems_use_plural_and_facts() -> None:
    limit = FACTS["Instagram"].hashtag_limit
    text = "Кофе " + " ".join(f"#т{i}" for i in range(limit + 1))
    assert caption_problems(text, "Instagram") == [
        f"{plural(limit + 1, 'хештег', 'хештега', 'хештегов')}, а Instagram допускает не больше {limit}"
    ]
    assert caption_problems(text, "Telegram") == []


# --- Telegram and VK in their own scheduling formats ----------------------------------------------------------


@pytest.fixture()
def tg_plan() -> pd.DataFrame:
    return pd.DataFrame({
        "item_id": ["CP-101", "CP-102", "CP-103"],
        "publish_date": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-03-04"]),
        "publish_time": ["08:30", None, "12:30"],
        "text": ["Доброе утро!", "Меню недели", "Фото дня"],
        "hashtags": ["#кофе", None, ""],
        "link": [None, "https://qazaqcoffee.kz/menu", ""],
        "media_file": [float("nan"), "", "media/qazaq_coffee/CP-103.jpg"],
    })


def test_plan_posts_needs_a_time_or_a_default(tg_plan: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="Нет времени публикации в строках CP-102"):
        plan_posts(tg_plan)
    posts = plan_posts(tg_plan, default_time="12:00")
    assert posts["message"].tolist() == ["Доброе утро!\n\n#кофе", "Меню недели", "Фото дня"]
    assert str(posts.loc[1, "when"]) == "2026-03-03 12:00:00+05:00"
    with pytest.raises(ValueError, match="нет столбцов publish_time"):
        plan_posts(tg_plan.drop(columns="publish_time"))


def test_telegram_schedule_is_the_telegram_api_format(tg_plan: pd.DataFrame) -> None:
    requests = telegram_schedule(plan_posts(tg_plan, default_time="12:00"), peer="@qazaqcoffee")
    assert [r["method"] for r in requests] == ["messages.sendMessage", "messages.sendMessage", "messages.sendMedia"]
    assert requests[0]["schedule_date"] == int(datetime(2026, 3, 2, 3, 30, tzinfo=timezone.utc).timestamp())
    assert requests[1]["message"] == "Меню недели\n\nhttps://qazaqcoffee.kz/menu"  # links are clickable in Telegram
    assert requests[2]["media_file"] == "media/qazaq_coffee/CP-103.jpg"
    assert {r["peer"] for r in requests} == {"@qazaqcoffee"}
    assert json.loads(to_json(requests)) == requests and "Доброе утро" in to_json(requests)
    assert check_telegram_schedule(requests) == []


def test_telegram_checks_past_time_text_and_the_shorter_caption_under_a_photo(tg_plan: pd.DataFrame) -> None:
    requests = telegram_schedule(plan_posts(tg_plan, default_time="12:00"), peer="@qazaqcoffee")
    text_limit = FACTS["Telegram"].caption_limit_api
    photo_limit = FACTS["Telegram"].media_spec("caption_with_media")
    assert photo_limit < text_limit
    requests[1]["message"] = "а" * text_limit  # a text message may be that long
    requests[2]["message"] = "а" * (photo_limit + 1)  # a caption under a photo may not
    requests[0]["schedule_date"] = int(datetime(2026, 2, 27, 12, 0, tzinfo=timezone.utc).timestamp())
    assert messages(check_telegram_schedule(requests)) == [
        "строка 1: время 27.02.2026 17:00 уже прошло",
        f"строка 3: текст — {plural(photo_limit + 1, 'символ', 'символа', 'символов')}, а Telegram через API "
        f"принимает не больше {photo_limit} под фото или видео",
    ]
    requests[1]["message"] = "а" * (text_limit + 1)
    assert "строка 2: текст" in messages(check_telegram_schedule(requests))[1]


def test_telegram_schedule_too_far_ahead_and_empty(tg_plan: pd.DataFrame) -> None:
    requests = telegram_schedule(plan_posts(tg_plan, default_time="12:00"), peer="@qazaqcoffee")
    days = FACTS["Telegram"].media_spec("schedule_max_days")
    far = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc) + timedelta(days=days + 2)
    requests[0]["schedule_date"] = int(far.timestamp())
    requests[1]["message"] = " "
    texts = messages(check_telegram_schedule(requests))
    assert texts[0] == f"строка 1: время {far:%d.%m.%Y} дальше чем через {plural(days, 'день', 'дня', 'дней')}"
    assert texts[1] == "строка 2: пустое сообщение без фото"


def test_vk_wall_posts_are_wall_post_parameters(tg_plan: pd.DataFrame) -> None:
    params = vk_wall_posts(plan_posts(tg_plan, default_time="12:00"), group_id=123456)
    assert {p["owner_id"] for p in params} == {-123456} and {p["from_group"] for p in params} == {1}
    assert params[0]["publish_date"] == int(datetime(2026, 3, 2, 3, 30, tzinfo=timezone.utc).timestamp())
    assert params[2]["media_file"] == "media/qazaq_coffee/CP-103.jpg" and params[2]["attachments"] == ""
    assert check_vk_wall_posts(params) == []
    params[0]["owner_id"] = 123456
    params[1]["message"], params[1]["media_file"] = "", ""
    params[2]["publish_date"] = int(datetime(2026, 2, 1, 7, 0, tzinfo=timezone.utc).timestamp())
    assert messages(check_vk_wall_posts(params)) == [
        "строка 1: owner_id сообщества пишется со знаком минус, а from_group = 1",
        "строка 2: нужен текст или вложение (wall.post не примет пустой пост)",
        "строка 3: время 01.02.2026 12:00 уже прошло",
    ]
    with pytest.raises(ValueError, match="Номер сообщества ВКонтакте"):
        vk_wall_posts(plan_posts(tg_plan, default_time="12:00"), group_id="qazaq")  # type: ignore[arg-type]
