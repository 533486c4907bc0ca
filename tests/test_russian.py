"""smmkit.russian: the plural form of a noun after a number, as in every message students read."""

from __future__ import annotations

import numpy as np
import pytest

from smmkit.russian import plural, plural_word

TAGS = ("хештег", "хештега", "хештегов")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 хештегов"), (1, "1 хештег"), (2, "2 хештега"), (4, "4 хештега"), (5, "5 хештегов"),
        (11, "11 хештегов"), (12, "12 хештегов"), (14, "14 хештегов"), (21, "21 хештег"), (22, "22 хештега"),
        (25, "25 хештегов"), (32, "32 хештега"), (101, "101 хештег"), (111, "111 хештегов"), (112, "112 хештегов"),
        (1004, "1004 хештега"), (2201, "2201 хештег"),
    ],
)
def test_plural_forms(n: int, expected: str) -> None:
    assert plural(n, *TAGS) == expected


def test_the_bug_that_started_it() -> None:
    assert plural(32, *TAGS) != "32 хештегов"


def test_plural_word_and_other_nouns() -> None:
    assert plural_word(3, "строка", "строки", "строк") == "строки"
    assert plural_word(-1, "день", "дня", "дней") == "день"
    assert plural(367, "день", "дня", "дней") == "367 дней"
    assert plural(np.int64(23), "символ", "символа", "символов") == "23 символа"


def test_not_a_number_is_a_russian_error() -> None:
    with pytest.raises(TypeError, match="должно быть целым"):
        plural_word("много", *TAGS)  # type: ignore[arg-type]
