"""Committed datasets: byte-exact regeneration, typed loading, Excel-friendly CSV, clear errors."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from smmkit import datasets
from smmkit.data.build import all_recipes, build
from smmkit.datasets import CSV_ENCODING, DatasetError

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO / "datasets"
NAMES = sorted(r.name for r in all_recipes())
EXPECTED_ROWS = {"accounts": 18, "audience_activity": 18 * 7 * 24, "content_plan": 30}


def _copy(tmp_path: Path, *names: str) -> Path:
    """Copy the given dataset folders (all, if none given) into ``tmp_path/datasets``; return that root."""
    root = tmp_path / "datasets"
    for name in names or NAMES:
        shutil.copytree(DATASETS / name, root / name)
    return root


def _edit(root: Path, name: str, change: Callable[[pd.DataFrame], pd.DataFrame | None]) -> None:
    """Rewrite a copied CSV after ``change`` edits its raw text cells (format kept: BOM, LF)."""
    path = root / name / f"{name}.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=CSV_ENCODING)
    edited = change(raw)
    raw = raw if edited is None else edited
    raw.to_csv(path, index=False, lineterminator="\n", encoding=CSV_ENCODING)


def _set(name: str, column: str, row: int, value: str) -> Callable[[pd.DataFrame], None]:
    """An edit that puts ``value`` into one cell (``row`` is 0-based, i.e. file line row + 2)."""

    def change(df: pd.DataFrame) -> None:
        df.loc[row, column] = value

    return change


# --- regeneration -----------------------------------------------------------------------------------------


def test_committed_datasets_match_generators() -> None:
    """`smmkit datasets build --check` passes on the committed files, in a fresh process with its own hash seed.

    The committed files were written by a developer's `smmkit datasets build` (another process, another hash
    seed), so this is a second, independent generation equal to them byte for byte: nothing in a generator may
    depend on set or dict order under hashing, on the test process or on what ran before. The tests of each
    dataset's story then read the committed files.
    """
    smmkit = Path(sys.executable).with_name("smmkit")
    env = {**os.environ, "PYTHONHASHSEED": "2718"}
    run = subprocess.run([str(smmkit), "--root", str(REPO), "datasets", "build", "--check"], capture_output=True,
                         text=True, timeout=600, env=env)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "совпадают" in run.stdout


CHEAP = tuple(r for r in all_recipes() if r.name in ("accounts", "audience_activity", "content_plan"))
"""Recipes that build in well under a second: enough to test what the check reports."""


def test_check_fails_and_names_an_altered_file(tmp_path: Path) -> None:
    """A hand-edited CSV makes the check fail and names that file only."""
    root = _copy(tmp_path, *(r.name for r in CHEAP))
    target = root / "content_plan" / "content_plan.csv"
    data = target.read_bytes()
    assert b"\nCP-001," in data
    target.write_bytes(data.replace(b"\nCP-001,", b"\nCP-101,", 1))
    out = io.StringIO()
    assert build(root, check=True, out=out, recipes=CHEAP) == 1
    report = out.getvalue()
    assert str(target) in report
    assert "smmkit datasets build" in report
    for other in ("accounts", "audience_activity"):
        assert f"{other}.csv" not in report


def test_check_fails_on_a_missing_file(tmp_path: Path) -> None:
    """A deleted CSV makes the check fail and names it."""
    root = _copy(tmp_path, *(r.name for r in CHEAP))
    (root / "accounts" / "accounts.csv").unlink()
    out = io.StringIO()
    assert build(root, check=True, out=out, recipes=CHEAP) == 1
    assert "accounts.csv" in out.getvalue()


# --- files as people open them ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_csv_opens_in_excel(name: str) -> None:
    """UTF-8 with BOM and LF line ends, so Excel shows Cyrillic correctly."""
    data = (DATASETS / name / f"{name}.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "нужен BOM, иначе Excel покажет кириллицу кракозябрами"
    assert b"\r" not in data
    assert data.endswith(b"\n")


@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_has_schema_and_datasheet(name: str) -> None:
    """Each dataset ships a schema and a datasheet that documents every column."""
    assert (DATASETS / name / "schema.yaml").exists()
    sheet = (DATASETS / name / "DATASHEET.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in sheet
    for column in datasets.read_schema(name).names:
        assert f"`{column}`" in sheet, f"{name}: столбец {column} не описан в DATASHEET.md"


def test_available_lists_all_datasets() -> None:
    """`available()` lists exactly the datasets the build makes."""
    assert datasets.available() == NAMES


# --- typed loading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_load_types_rows_and_column_order(name: str) -> None:
    """Typed columns per schema, schema column order, same row count as plain pandas."""
    schema = datasets.read_schema(name)
    df = datasets.load(name)
    path = datasets.csv_path(name)
    plain = pd.read_csv(path, encoding="utf-8-sig", skiprows=datasets.preamble_lines(path))  # GA4's «#» lines
    assert list(df.columns) == schema.names
    assert list(plain.columns) == schema.names
    assert len(df) == len(plain)
    if name in EXPECTED_ROWS:
        assert len(df) == EXPECTED_ROWS[name]
    for col in schema.columns:
        dtype = df[col.name].dtype
        if col.type == "int":
            assert dtype == ("Int64" if col.nullable else "int64"), col.name
        elif col.type == "float":
            assert dtype == "float64", col.name
        elif col.type == "category":
            assert isinstance(dtype, pd.CategoricalDtype), col.name
            assert list(dtype.categories) == list(col.categories), col.name
            assert df[col.name].notna().all(), col.name
        elif col.type == "datetime":
            assert isinstance(dtype, pd.DatetimeTZDtype), col.name
            assert str(dtype.tz) == col.tz, col.name
        elif col.type == "date":
            assert pd.api.types.is_datetime64_dtype(dtype), col.name
        elif col.type in ("string", "time"):
            assert pd.api.types.is_string_dtype(dtype), col.name
        if col.unique:
            assert df[col.name].is_unique, col.name


def test_posts_timestamps_are_utc() -> None:
    """Post timestamps are tz-aware UTC, sorted, written with a trailing Z."""
    posts = datasets.load("posts")
    stamp = posts["published_at_utc"]
    assert isinstance(stamp.dtype, pd.DatetimeTZDtype) and str(stamp.dtype.tz) == "UTC"
    assert stamp.is_monotonic_increasing
    raw = pd.read_csv(datasets.csv_path("posts"), encoding="utf-8-sig", usecols=["published_at_utc"])
    assert raw["published_at_utc"].str.endswith("Z").all()
    assert 2000 <= len(posts) <= 3000


def test_posts_refer_to_known_accounts() -> None:
    """Posts and activity use the accounts' ids, and each post's platform is its account's."""
    accounts = datasets.load("accounts").set_index("account_id")
    posts = datasets.load("posts")
    assert set(posts["account_id"]) == set(accounts.index)
    platform = posts["account_id"].map(accounts["platform"].astype(str))
    assert (platform == posts["platform"].astype(str)).all()
    activity = datasets.load("audience_activity")
    assert set(activity["account_id"]) == set(accounts.index)


# --- bad input: errors a student can act on ---------------------------------------------------------------


def test_unknown_dataset_lists_available(tmp_path: Path) -> None:
    """An unknown name is reported with the list of available datasets."""
    root = _copy(tmp_path, "accounts")
    with pytest.raises(DatasetError, match="«postz» не найден") as err:
        datasets.load("postz", root=root)
    assert "Доступные наборы" in str(err.value)
    with pytest.raises(DatasetError, match="postz"):
        datasets.read_schema("postz", root=root)


def test_unknown_dataset_lists_datasets_of_root(tmp_path: Path) -> None:
    """The list of available datasets comes from the folder passed as ``root``."""
    root = _copy(tmp_path, "accounts")
    with pytest.raises(DatasetError) as err:
        datasets.load("postz", root=root)
    assert str(err.value).endswith("Доступные наборы: accounts.")


def test_dataset_error_is_value_error() -> None:
    """DatasetError can be caught as ValueError."""
    assert issubclass(DatasetError, ValueError)


def test_missing_csv_names_file_and_fix(tmp_path: Path) -> None:
    """A missing CSV is named together with the command that restores it."""
    root = _copy(tmp_path, "posts")
    (root / "posts" / "posts.csv").unlink()
    with pytest.raises(DatasetError) as err:
        datasets.load("posts", root=root)
    msg = str(err.value)
    assert "posts.csv" in msg and "не найден" in msg
    assert "smmkit datasets build" in msg


def test_missing_column_is_named(tmp_path: Path) -> None:
    """A missing column is named."""
    root = _copy(tmp_path, "posts")
    _edit(root, "posts", lambda df: df.drop(columns=["reach"]))
    with pytest.raises(DatasetError, match=r"В файле posts\.csv нет столбца\(ов\): reach"):
        datasets.load("posts", root=root)


def test_non_numeric_int_names_file_column_row_value(tmp_path: Path) -> None:
    """Text in an int column: file, column, file line and the value are reported."""
    root = _copy(tmp_path, "posts")
    _edit(root, "posts", _set("posts", "reach", 9, "много"))
    with pytest.raises(DatasetError) as err:
        datasets.load("posts", root=root)
    msg = str(err.value)
    assert msg.startswith("Файл posts.csv, столбец «reach»: не число")
    assert "строки 11" in msg  # 0-based row 9 + header line + 1-based numbering
    assert "'много'" in msg


def test_fraction_in_int_column(tmp_path: Path) -> None:
    """A fraction in an int column is refused."""
    root = _copy(tmp_path, "posts")
    _edit(root, "posts", _set("posts", "likes", 0, "12.5"))
    with pytest.raises(DatasetError, match=r"столбец «likes»: ожидается целое число \(строки 2;"):
        datasets.load("posts", root=root)


@pytest.mark.parametrize(
    ("name", "column", "value", "what"),
    [
        ("posts", "hashtags", "31", "больше допустимого максимума 30"),
        ("posts", "reach", "-5", "меньше допустимого минимума 0"),
        ("audience_activity", "online_share", "1.5", "больше допустимого максимума 1"),
        ("audience_activity", "hour", "24", "больше допустимого максимума 23"),
    ],
)
def test_out_of_range(tmp_path: Path, name: str, column: str, value: str, what: str) -> None:
    """Values beyond the schema's min/max are refused with the bound."""
    root = _copy(tmp_path, name)
    _edit(root, name, _set(name, column, 3, value))
    with pytest.raises(DatasetError) as err:
        datasets.load(name, root=root)
    msg = str(err.value)
    assert f"Файл {name}.csv, столбец «{column}»" in msg
    assert what in msg and "строки 5" in msg and repr(value) in msg


def test_value_outside_categories(tmp_path: Path) -> None:
    """A value outside the category list is refused."""
    root = _copy(tmp_path, "posts")
    _edit(root, "posts", _set("posts", "platform", 4, "Threads"))
    with pytest.raises(DatasetError) as err:
        datasets.load("posts", root=root)
    msg = str(err.value)
    assert "столбец «platform»: значение вне списка" in msg
    assert "'Threads'" in msg and "строки 6" in msg


def test_bad_datetime(tmp_path: Path) -> None:
    """A non-ISO timestamp is refused."""
    root = _copy(tmp_path, "posts")
    _edit(root, "posts", _set("posts", "published_at_utc", 0, "01.09.2025 09:03"))
    what = r"«published_at_utc»: дата и время не в формате ISO 8601 \(строки 2;"
    with pytest.raises(DatasetError, match=what):
        datasets.load("posts", root=root)


def test_bad_date(tmp_path: Path) -> None:
    """A date not in YYYY-MM-DD is refused."""
    root = _copy(tmp_path, "content_plan")
    _edit(root, "content_plan", _set("content_plan", "publish_date", 1, "03.03.2026"))
    with pytest.raises(DatasetError, match=r"«publish_date»: дата не в формате ГГГГ-ММ-ДД .*'03\.03\.2026'"):
        datasets.load("content_plan", root=root)


@pytest.mark.parametrize("value", ["9:00", "25:00", "10.30", "10:00:00"])
def test_bad_time_format(tmp_path: Path, value: str) -> None:
    """Times must be HH:MM within 00:00–23:59."""
    root = _copy(tmp_path, "content_plan")
    _edit(root, "content_plan", _set("content_plan", "publish_time", 0, value))
    with pytest.raises(DatasetError) as err:
        datasets.load("content_plan", root=root)
    msg = str(err.value)
    assert "Файл content_plan.csv, столбец «publish_time»: время не в формате ЧЧ:ММ" in msg
    assert "строки 2" in msg and repr(value) in msg


def test_empty_time_is_allowed_but_empty_handle_is_not(tmp_path: Path) -> None:
    """Empty cells pass in nullable columns only."""
    root = _copy(tmp_path, "accounts", "content_plan")
    plan = datasets.load("content_plan", root=root)
    assert plan["publish_time"].isna().sum() == 5  # nullable: empty = the assistant picks the slot
    _edit(root, "accounts", _set("accounts", "handle", 2, ""))
    what = r"«handle»: пустые значения там, где они не допускаются \(строки 4;"
    with pytest.raises(DatasetError, match=what):
        datasets.load("accounts", root=root)


def test_duplicate_in_unique_column(tmp_path: Path) -> None:
    """A repeated id in a unique column is refused."""
    root = _copy(tmp_path, "content_plan")
    _edit(root, "content_plan", _set("content_plan", "item_id", 7, "CP-007"))
    with pytest.raises(DatasetError) as err:
        datasets.load("content_plan", root=root)
    msg = str(err.value)
    assert "«item_id»: повторяющиеся значения в уникальном столбце" in msg
    assert "строки 9" in msg and "'CP-007'" in msg


def test_unknown_type_in_schema(tmp_path: Path) -> None:
    """A schema with an unknown column type is refused."""
    root = _copy(tmp_path, "accounts")
    path = root / "accounts" / "schema.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("type: int,", "type: integer,"), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"followers_start неизвестный тип 'integer'"):
        datasets.read_schema("accounts", root=root)


@pytest.mark.parametrize("name", NAMES)
def test_datasheet_states_the_row_count(name: str) -> None:
    """The datasheet's opening paragraph («N строк × M столбцов») states the table's real size (a generator
    change that moves the count must move the text too)."""
    head = (DATASETS / name / "DATASHEET.md").read_text(encoding="utf-8")[:800]
    stated = re.search(r"(\d{1,3}(?:[ \u00a0]\d{3})*)\s+строк", head)
    assert stated, f"{name}: the datasheet's first paragraph names no row count"
    assert int(re.sub(r"\D", "", stated.group(1))) == len(datasets.load(name))


def test_committed_datasets_stay_within_30_mb() -> None:
    """Issue 12's budget for the folder a student downloads: larger tables go behind `smmkit datasets large`."""
    total = sum(path.stat().st_size for name in NAMES for path in (DATASETS / name).iterdir())
    assert total <= 30_000_000, f"datasets/ holds {total / 1e6:.1f} MB"
