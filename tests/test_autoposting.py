"""check_hootsuite_csv: every rule the simulated upload applies, file reading and the moment of upload."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from smmkit.autoposting import HOOTSUITE_MAX_ROWS, Problem, check_hootsuite_csv

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
    assert check_hootsuite_csv(GOOD, "Instagram") == []
    assert check_hootsuite_csv(GOOD, "Telegram") == []


def test_problem_text_names_the_row_or_the_file() -> None:
    assert str(Problem(3, "пустой текст публикации")) == "строка 3: пустой текст публикации"
    assert str(Problem(0, "файл пустой")) == "файл: файл пустой"


def test_multiline_message_is_one_row() -> None:
    text = csv_text([["05/03/2026 10:00", "Первая строка\n\nвторая строка"], ["05/03/2026 10:03", "Ещё"]])
    assert messages(check_hootsuite_csv(text, "Telegram")) == [
        "строка 2: время 10:03: минуты должны оканчиваться на 0 или 5"
    ]


@pytest.mark.parametrize("minute", ["01", "03", "12", "59"])
def test_minutes_must_end_in_0_or_5(minute: str) -> None:
    problems = check_hootsuite_csv(f"05/03/2026 10:{minute},Текст\n", "Telegram")
    assert len(problems) == 1
    assert problems[0].row == 1
    assert f"время 10:{minute}: минуты должны оканчиваться на 0 или 5" in problems[0].message


@pytest.mark.parametrize("minute", ["00", "05", "30", "55"])
def test_minutes_on_the_five_minute_grid_pass(minute: str) -> None:
    assert check_hootsuite_csv(f"05/03/2026 10:{minute},Текст\n", "Telegram") == []


def test_time_in_the_past_is_refused() -> None:
    text = "27/02/2026 12:30,Вчерашний пост\n01/03/2026 09:00,Ровно сейчас\n01/03/2026 09:05,Через 5 минут\n"
    assert messages(check_hootsuite_csv(text, "Telegram")) == [
        "строка 1: время 27.02.2026 12:30 уже прошло",
        "строка 2: время 01.03.2026 09:00 уже прошло",
    ]


@pytest.mark.parametrize("date", ["2026-03-05 10:00", "03/13/2026 10:00", "05/03/2026", "5 марта 10:00", ""])
def test_date_not_day_first_is_refused(date: str) -> None:
    problems = check_hootsuite_csv(csv_text([[date, "Текст"]]), "Telegram")
    assert messages(problems) == [f"строка 1: дата «{date}» не в формате ДД/ММ/ГГГГ ЧЧ:ММ"]


def test_month_first_date_with_day_up_to_12_is_read_silently_as_another_month() -> None:
    # 03/09/2026 meant as 9 March is read day-first as 3 September: a valid future date, no problem reported.
    assert check_hootsuite_csv("03/09/2026 12:30,Текст\n", "Telegram") == []
    # 03/02/2026 meant as 2 March is read as 3 February: in the past.
    assert messages(check_hootsuite_csv("03/02/2026 12:30,Текст\n", "Telegram")) == [
        "строка 1: время 03.02.2026 12:30 уже прошло"
    ]


def test_empty_message_is_refused() -> None:
    assert messages(check_hootsuite_csv('05/03/2026 10:00,"  "\n', "Telegram")) == [
        "строка 1: пустой текст публикации"
    ]


@pytest.mark.parametrize(("platform", "limit"), [("Instagram", 2200), ("TikTok", 2200), ("Telegram", 4096)])
def test_text_over_the_platform_limit(platform: str, limit: int) -> None:
    ok = csv_text([["05/03/2026 10:00", "а" * limit]])
    assert check_hootsuite_csv(ok, platform) == []
    long = csv_text([["05/03/2026 10:00", "а" * (limit + 1)]])
    assert messages(check_hootsuite_csv(long, platform)) == [
        f"строка 1: текст длиннее {limit} символов ({limit + 1}), предел {platform}"
    ]


def test_unknown_platform_has_no_text_limit() -> None:
    assert check_hootsuite_csv(csv_text([["05/03/2026 10:00", "а" * 70_000]]), "Threads") == []


def test_more_than_30_hashtags_on_instagram() -> None:
    tags31 = " ".join(f"#тег{i}" for i in range(31))
    tags30 = " ".join(f"#тег{i}" for i in range(30))
    text = csv_text([["05/03/2026 10:00", f"Пост 1\n\n{tags30}"], ["06/03/2026 10:00", f"Пост 2\n\n{tags31}"]])
    assert messages(check_hootsuite_csv(text, "Instagram")) == [
        "строка 2: 31 хештегов, а Instagram допускает не больше 30"
    ]
    assert check_hootsuite_csv(text, "Telegram") == []  # no hashtag limit in Telegram


def test_duplicate_message_is_refused() -> None:
    text = csv_text([
        ["05/03/2026 10:00", "Второй капучино в подарок"],
        ["06/03/2026 10:00", "Другой текст"],
        ["07/03/2026 10:00", "Второй капучино в подарок"],
        ["08/03/2026 10:00", "Второй капучино в подарок"],
    ])
    assert messages(check_hootsuite_csv(text, "TikTok")) == [
        "строка 3: текст повторяет строку 1",
        "строка 4: текст повторяет строку 1",
    ]


def test_repeat_with_other_hashtags_is_still_a_repeat() -> None:
    text = csv_text([
        ["05/03/2026 10:00", "Второй капучино в подарок\n\n#кофе #алматы"],
        ["06/03/2026 10:00", "Второй капучино в подарок\n\n#latte"],
    ])
    assert messages(check_hootsuite_csv(text, "Instagram")) == ["строка 2: текст повторяет строку 1"]


@pytest.mark.parametrize("link", ["qazaqcoffee.kz/menu", "www.qazaqcoffee.kz", "ftp://qazaqcoffee.kz"])
def test_link_must_be_http(link: str) -> None:
    assert messages(check_hootsuite_csv(csv_text([["05/03/2026 10:00", "Меню", link]]), "Telegram")) == [
        f"строка 1: ссылка «{link}» должна начинаться с http:// или https://"
    ]


@pytest.mark.parametrize("link", ["https://qazaqcoffee.kz/menu", "http://qazaqcoffee.kz", "", "  "])
def test_good_or_empty_link_passes(link: str) -> None:
    assert check_hootsuite_csv(csv_text([["05/03/2026 10:00", "Меню", link]]), "Telegram") == []


def test_two_or_three_columns_are_accepted() -> None:
    text = "05/03/2026 10:00,Без ссылки\n06/03/2026 10:00,Со ссылкой,https://qazaqcoffee.kz\n"
    assert check_hootsuite_csv(text, "Telegram") == []


@pytest.mark.parametrize("row", [["05/03/2026 10:00"], ["05/03/2026 10:00", "Текст", "https://a.kz", "ещё"]])
def test_wrong_number_of_columns(row: list[str]) -> None:
    assert messages(check_hootsuite_csv(csv_text([row]), "Telegram")) == [
        f"строка 1: ожидается 2 или 3 столбца (дата, текст, ссылка), а их {len(row)}"
    ]


def test_header_row_is_reported_as_a_bad_date() -> None:
    problems = check_hootsuite_csv("date,message,link\n05/03/2026 10:00,Текст,\n", "Telegram")
    assert {p.row for p in problems} == {1}
    assert str(problems[0]) == "строка 1: дата «date» не в формате ДД/ММ/ГГГГ ЧЧ:ММ"


def _rows(n: int) -> list[list[str]]:
    start = datetime(2026, 3, 2, 8, 0)
    return [[f"{start + timedelta(minutes=5 * i):%d/%m/%Y %H:%M}", f"Пост номер {i}"] for i in range(n)]


def test_350_rows_are_accepted() -> None:
    assert check_hootsuite_csv(csv_text(_rows(HOOTSUITE_MAX_ROWS)), "Telegram") == []


def test_more_than_350_rows_is_a_file_problem() -> None:
    problems = check_hootsuite_csv(csv_text(_rows(HOOTSUITE_MAX_ROWS + 1)), "Telegram")
    assert problems == [Problem(0, "351 строк, а загрузить можно не больше 350")]
    assert str(problems[0]) == "файл: 351 строк, а загрузить можно не больше 350"


def test_empty_text_and_empty_file(tmp_path: Path) -> None:
    assert check_hootsuite_csv("", "Telegram") == [Problem(0, "файл пустой")]
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert check_hootsuite_csv(path, "Telegram") == [Problem(0, "файл пустой")]


def test_reads_a_path_given_as_str_or_path(tmp_path: Path) -> None:
    path = tmp_path / "qc_tg.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert check_hootsuite_csv(path, "Telegram") == []
    assert check_hootsuite_csv(str(path), "Telegram") == []


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text(GOOD, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert check_hootsuite_csv(path, "Telegram") == []


def test_non_utf8_file_gives_a_russian_error(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.csv"
    path.write_bytes("05/03/2026 10:00,Кофе дня\n".encode("cp1251"))
    with pytest.raises(ValueError, match="не в кодировке UTF-8: сохраните его как «CSV UTF-8»"):
        check_hootsuite_csv(path, "Telegram")


def test_missing_file_gives_a_russian_error(tmp_path: Path) -> None:
    missing = tmp_path / "нет_такого.csv"
    with pytest.raises(FileNotFoundError, match="не найден: сначала сохраните его"):
        check_hootsuite_csv(missing, "Telegram")
    with pytest.raises(FileNotFoundError, match="не найден"):
        check_hootsuite_csv(str(missing), "Telegram")


def test_default_now_is_the_story_today() -> None:
    text = "01/03/2026 08:55,До начала\n01/03/2026 09:05,После начала\n"
    assert messages(check_hootsuite_csv(text, "Telegram")) == ["строка 1: время 01.03.2026 08:55 уже прошло"]


def test_naive_now_is_local_almaty_time() -> None:
    text = "05/03/2026 12:00,Полдень\n05/03/2026 12:05,Чуть позже\n"
    naive = check_hootsuite_csv(text, "Telegram", now=datetime(2026, 3, 5, 12, 0))
    assert messages(naive) == ["строка 1: время 05.03.2026 12:00 уже прошло"]


def test_aware_now_is_compared_as_an_instant() -> None:
    text = "05/03/2026 12:00,Полдень\n05/03/2026 12:05,Чуть позже\n"
    utc_noon_almaty = datetime(2026, 3, 5, 7, 0, tzinfo=timezone.utc)  # 12:00 in Almaty (UTC+5)
    assert messages(check_hootsuite_csv(text, "Telegram", now=utc_noon_almaty)) == [
        "строка 1: время 05.03.2026 12:00 уже прошло"
    ]
    # The same wall-clock 12:00 but in UTC is 17:00 in Almaty: both rows are already in the past.
    late = check_hootsuite_csv(text, "Telegram", now=datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc))
    assert [p.row for p in late] == [1, 2]


def test_several_problems_in_one_row_are_all_listed() -> None:
    text = csv_text([["28/02/2026 10:03", "", "qazaqcoffee.kz"]])
    assert messages(check_hootsuite_csv(text, "Instagram")) == [
        "строка 1: время 10:03: минуты должны оканчиваться на 0 или 5",
        "строка 1: время 28.02.2026 10:03 уже прошло",
        "строка 1: пустой текст публикации",
        "строка 1: ссылка «qazaqcoffee.kz» должна начинаться с http:// или https://",
    ]
