"""Input checks shared by widgets and methods, with messages a student can act on (Russian)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def require_columns(df: object, columns: Iterable[str], table: str, hint: str = "") -> pd.DataFrame:
    """Return ``df`` if it is a DataFrame with all ``columns``; else raise ValueError naming the table and columns.

    >>> require_columns(pd.DataFrame({"a": [1]}), ["a"], "t").shape
    (1, 1)
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "t", "загрузите набор")
    Traceback (most recent call last):
    ...
    ValueError: В таблице «t» нет столбца(ов) «b»: загрузите набор.
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"Таблица «{table}» должна быть DataFrame pandas, а получен {type(df).__name__}.")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        names = ", ".join(f"«{c}»" for c in missing)
        raise ValueError(f"В таблице «{table}» нет столбца(ов) {names}" + (f": {hint}." if hint else "."))
    return df
