"""Load the course datasets as typed, validated pandas DataFrames.

Each dataset lives in ``datasets/<name>/`` as ``<name>.csv`` (UTF-8 with BOM, so Excel opens it),
``schema.yaml`` (what :func:`load` checks) and ``DATASHEET.md`` (the story, for people).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from smmkit.paths import datasets_dir

CSV_ENCODING = "utf-8-sig"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it (a schema in 5 ms instead of 60), else the pure-Python one."""
TYPES = ("string", "int", "float", "category", "datetime", "date", "time", "bool")


class DatasetError(ValueError):
    """A dataset file is missing or does not match its schema (the message is for students, in Russian)."""


@dataclass(frozen=True)
class Column:
    """One column of a dataset schema."""

    name: str
    type: str
    description: str = ""
    unit: str = ""
    min: float | None = None
    max: float | None = None
    categories: tuple[str, ...] = ()
    nullable: bool = False
    unique: bool = False
    tz: str = "UTC"


@dataclass(frozen=True)
class Schema:
    """The machine-readable contract of one dataset."""

    name: str
    title: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        """Column names in file order."""
        return [c.name for c in self.columns]


def available(root: Path | None = None) -> list[str]:
    """Names of the datasets committed under ``datasets/`` (or under ``root``)."""
    return sorted(p.parent.name for p in (root or datasets_dir()).glob("*/schema.yaml"))


def read_schema(name: str, root: Path | None = None) -> Schema:
    """Read ``datasets/<name>/schema.yaml``."""
    path = (root or datasets_dir()) / name / "schema.yaml"
    if not path.exists():
        known = ", ".join(available(root)) or "нет ни одного"
        raise DatasetError(f"Набор данных «{name}» не найден (нет файла {path}). Доступные наборы: {known}.")
    raw: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    columns = []
    for col in raw["columns"]:
        if col["type"] not in TYPES:
            raise DatasetError(f"{path}: у столбца {col['name']} неизвестный тип {col['type']!r}")
        col = dict(col)
        col["categories"] = tuple(col.get("categories", ()))
        columns.append(Column(**col))
    return Schema(name=raw["name"], title=raw.get("title", ""), columns=tuple(columns))


def csv_path(name: str, root: Path | None = None) -> Path:
    """Path of a dataset's CSV file."""
    return (root or datasets_dir()) / name / f"{name}.csv"


_WARM: dict[tuple, pd.DataFrame] = {}
"""Frames loaded ahead by :func:`warm` (only a grading zygote does): key = both files' path, mtime and size."""


def _warm_key(name: str, root: Path | None) -> tuple | None:
    files = ((root or datasets_dir()) / name / "schema.yaml", csv_path(name, root))
    try:
        return tuple((str(f.resolve()), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    except OSError:
        return None


def warm(names: list[str], root: Path | None = None) -> list[str]:
    """Load ``names`` once and keep them, so that :func:`load` in this process (and in processes forked from it)
    returns a copy instead of parsing the CSV again; a changed file is read anew. Returns the names kept.

    Only grading uses it: the zygote that forks the kernels and test runners warms the datasets the course's
    assignments load. A student's Lab kernel never warms anything.
    """
    kept = []
    for name in names:
        key = _warm_key(name, root)
        if key is not None:
            _WARM[key] = load(name, root)
            kept.append(name)
    return kept


def preamble_lines(path: Path) -> int:
    """Number of comment lines (starting with «#») above the table: a GA4 report download begins with them."""
    count = 0
    with open(path, encoding=CSV_ENCODING) as f:
        for line in f:
            if not line.startswith("#"):
                break
            count += 1
    return count


def load(name: str, root: Path | None = None) -> pd.DataFrame:
    """Load dataset ``name``: typed columns (tz-aware datetimes, categoricals), checked against its schema."""
    if _WARM:
        key = _warm_key(name, root)
        if key in _WARM:
            return _WARM[key].copy(deep=True)
    schema = read_schema(name, root)
    path = csv_path(name, root)
    if not path.exists():
        raise DatasetError(
            f"Файл {path} не найден. Восстановите его командой `smmkit datasets build` в папке курса."
        )
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding=CSV_ENCODING,
                      skiprows=preamble_lines(path))
    missing = [c for c in schema.names if c not in raw.columns]
    if missing:
        raise DatasetError(f"В файле {path.name} нет столбца(ов): {', '.join(missing)}.")
    df = pd.DataFrame({col.name: _convert(raw[col.name], col, path.name) for col in schema.columns})
    return df


def _fail(file: str, col: Column, what: str, bad: pd.Series) -> DatasetError:
    rows = ", ".join(str(i + 2) for i in bad.index[:5])  # +2: header line and 1-based numbering
    sample = ", ".join(repr(v) for v in bad.head(3).tolist())
    return DatasetError(f"Файл {file}, столбец «{col.name}»: {what} (строки {rows}; значения: {sample}).")


def _convert(values: pd.Series, col: Column, file: str) -> pd.Series:
    present = values.notna()
    if not col.nullable and not present.all():
        raise _fail(file, col, "пустые значения там, где они не допускаются", values[~present])
    if col.type == "string":
        out = values
    elif col.type == "category":
        out = values.astype(pd.CategoricalDtype(list(col.categories) or None))
        bad = present & out.isna()
        if bad.any():
            raise _fail(file, col, f"значение вне списка {list(col.categories)}", values[bad])
    elif col.type in ("int", "float"):
        out = pd.to_numeric(values, errors="coerce")
        bad = present & out.isna()
        if bad.any():
            raise _fail(file, col, "не число", values[bad])
        if col.type == "int":
            if (out[present] % 1 != 0).any():
                raise _fail(file, col, "ожидается целое число", values[present & (out % 1 != 0)])
            out = out.astype("Int64" if col.nullable else "int64")
        _check_range(out, col, file, values)
    elif col.type == "datetime":
        out = pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")
        bad = present & out.isna()
        if bad.any():
            raise _fail(file, col, "дата и время не в формате ISO 8601", values[bad])
        out = out.dt.tz_convert(col.tz)
    elif col.type == "date":
        out = pd.to_datetime(values, errors="coerce", format="%Y-%m-%d")
        bad = present & out.isna()
        if bad.any():
            raise _fail(file, col, "дата не в формате ГГГГ-ММ-ДД", values[bad])
    elif col.type == "time":
        ok = values.str.fullmatch(r"([01]\d|2[0-3]):[0-5]\d")
        bad = present & ~ok.fillna(False).astype(bool)
        if bad.any():
            raise _fail(file, col, "время не в формате ЧЧ:ММ", values[bad])
        out = values
    else:  # bool
        mapping = {"true": True, "false": False, "1": True, "0": False}
        out = values.str.lower().map(mapping)
        bad = present & out.isna()
        if bad.any():
            raise _fail(file, col, "ожидается true/false", values[bad])
        out = out.astype("boolean" if col.nullable else bool)
    if col.unique and out.duplicated().any():
        raise _fail(file, col, "повторяющиеся значения в уникальном столбце", values[out.duplicated()])
    return out


def _check_range(out: pd.Series, col: Column, file: str, raw: pd.Series) -> None:
    if col.min is not None and (out < col.min).any():
        raise _fail(file, col, f"значение меньше допустимого минимума {col.min}", raw[out < col.min])
    if col.max is not None and (out > col.max).any():
        raise _fail(file, col, f"значение больше допустимого максимума {col.max}", raw[out > col.max])
