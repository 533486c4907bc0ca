"""Russian grammar helpers for messages shown to students: the plural form of a noun after a number."""

from __future__ import annotations

__all__ = ["plural", "plural_word"]


def plural_word(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun that goes with the number ``n``: «хештег», «хештега» or «хештегов».

    Russian takes the "one" form after 1, 21, 31 … (not 11), the "few" form after 2–4, 22–24 … (not 12–14)
    and the "many" form otherwise, including 0 and 11–14. Negative numbers take the form of their absolute
    value.

    >>> plural_word(1, "хештег", "хештега", "хештегов")
    'хештег'
    >>> [plural_word(n, "строка", "строки", "строк") for n in (2, 5, 11, 12, 21, 22, 25, 111, 0)]
    ['строки', 'строк', 'строк', 'строк', 'строка', 'строки', 'строк', 'строк', 'строк']
    """
    if isinstance(n, bool) or not isinstance(n, int):
        try:
            n = int(n)  # numpy integers and the like
        except (TypeError, ValueError):
            raise TypeError(f"Число для согласования должно быть целым, а получено {n!r}.") from None
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def plural(n: int, one: str, few: str, many: str) -> str:
    """The number and the noun in the right form, e.g. «32 хештега», «25 хештегов», «21 символ».

    >>> plural(32, "хештег", "хештега", "хештегов")
    '32 хештега'
    >>> plural(11, "хештег", "хештега", "хештегов")
    '11 хештегов'
    >>> plural(2201, "символ", "символа", "символов")
    '2201 символ'
    """
    return f"{int(n)} {plural_word(n, one, few, many)}"
