"""Values crossing from a student's kernel to the test runner: plain data only, nothing followed, nothing run."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smmkit.grading import exchange
from smmkit.grading.isolated import inert_outputs, names_in_test, write_beneath


def roundtrip(tmp_path: Path, values: dict) -> dict:
    exchange.export(values, list(values), str(tmp_path / "out"))
    return exchange.read_values(tmp_path / "out")


def test_plain_values_cross_unchanged(tmp_path) -> None:
    frame = pd.DataFrame({"t": pd.date_range("2026-03-01", periods=3, tz="Asia/Almaty"),
                          "c": pd.Categorical(["a", "b", "a"]), "x": [1.5, np.nan, 3.0]},
                         index=pd.Index([10, 20, 30], name="post"))
    slots = pd.DataFrame([[0.1, np.nan]], index=["будни"], columns=[9, 10])
    values = {
        "frame": frame, "slots": slots, "series": pd.Series([1, 2], name="n"), "array": np.arange(4),
        "number": 3, "big": 2**70, "ratio": 0.25, "nan": float("nan"), "text": "привет", "none": None,
        "items": [1, ("a", 2.0), {"k": [True]}], "keys": {1: "один", (2, 3): "пара"}, "tags": {"a", "b"},
        "np_int": np.int64(7), "stamp": pd.Timestamp("2026-03-08 10:00", tz="Asia/Almaty"), "nat": pd.NaT,
        "delta": pd.Timedelta(hours=2), "day": dt.date(2026, 3, 8), "path": Path("upload.csv"),
    }
    got = roundtrip(tmp_path, values)
    pd.testing.assert_frame_equal(got.pop("frame"), frame)
    pd.testing.assert_frame_equal(got.pop("slots"), slots)
    pd.testing.assert_series_equal(got.pop("series"), values["series"])
    assert np.array_equal(got.pop("array"), values["array"])
    assert np.isnan(got.pop("nan"))
    assert got.pop("nat") is pd.NaT
    for name, value in got.items():
        assert value == values[name] and type(value) is type(values[name]), name


def test_categorical_column_labels_cross_unchanged(tmp_path) -> None:
    """pd.crosstab / unstack of a categorical column gives categorical column labels, which pyarrow writes but
    cannot read back: such a table used to reach the tests as no value (0 points while Validate passed)."""
    fmt = pd.Categorical(["reels", "photo", "reels", "carousel"], categories=["photo", "reels", "carousel"])
    posts = pd.DataFrame({"account": ["a", "a", "b", "b"], "platform": pd.Categorical(["ig", "ig", "tg", "ig"]),
                          "format": fmt, "reach": [10, 20, 30, 40]})
    table = pd.crosstab(posts["account"], posts["format"])
    two_levels = posts.groupby(["account", "platform", "format"], observed=True)["reach"].sum().unstack(
        ["platform", "format"])
    ordered = pd.DataFrame([[1, 2]], columns=pd.CategoricalIndex(["b", "a"], categories=["b", "a"], ordered=True,
                                                                 name="grade"))
    assert isinstance(table.columns, pd.CategoricalIndex)
    back = roundtrip(tmp_path, {"table": table, "two_levels": two_levels, "ordered": ordered,
                                "stacked": table.stack()})
    pd.testing.assert_frame_equal(back["table"], table)
    pd.testing.assert_frame_equal(back["two_levels"], two_levels)
    pd.testing.assert_frame_equal(back["ordered"], ordered)
    pd.testing.assert_series_equal(back["stacked"], table.stack())


def test_subclasses_cross_as_their_plain_base(tmp_path) -> None:
    class Sly(list):
        def __eq__(self, other: object) -> bool:
            return True

    got = roundtrip(tmp_path, {"ids": Sly([3, 1])})
    assert type(got["ids"]) is list and got["ids"] != [1, 3]


def test_objects_functions_and_modules_are_described_not_sent(tmp_path) -> None:
    def helper(x: int) -> int:
        return x

    helper.__module__ = "__main__"  # as in a kernel, where the student's functions live

    class Thing:
        pass

    exchange.export({"f": helper, "pd": pd, "thing": Thing(), "cls": Thing}, ["f", "pd", "thing", "cls"],
                    str(tmp_path / "out"))
    manifest = json.loads((tmp_path / "out" / exchange.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["f"]["kind"] == "function"
    assert manifest["pd"] == {"kind": "module", "module": "pandas"}
    assert manifest["thing"]["kind"] == manifest["cls"]["kind"] == "opaque"
    assert not list((tmp_path / "out").glob("*.pkl"))


def test_untransferable_fails_with_a_russian_hint() -> None:
    value = exchange.Untransferable("ig", "MyFrame", "тип MyFrame")
    with pytest.raises(AssertionError, match="нельзя передать на проверку"):
        value == 1  # noqa: B015
    with pytest.raises(AssertionError):
        value.columns  # noqa: B018


def manifest_with(folder: Path, entries: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / exchange.MANIFEST).write_text(json.dumps(entries), encoding="utf-8")


@pytest.mark.parametrize("value", [
    {"t": "pickle", "v": "x"},
    {"t": "np", "dtype": "|O", "v": 1},
    {"t": "frame", "file": "../../secret.parquet"},
    {"t": "frame", "file": "/etc/passwd"},
])
def test_unknown_tags_and_paths_are_refused(tmp_path, value) -> None:
    manifest_with(tmp_path / "out", {"x": {"kind": "value", "value": value}})
    with pytest.raises((exchange.ExchangeError, TypeError, KeyError, ValueError)):
        exchange.read_values(tmp_path / "out")


def test_pickled_arrays_are_refused(tmp_path) -> None:
    out = tmp_path / "out"
    manifest_with(out, {"x": {"kind": "value", "value": {"t": "array", "file": "v0.npy"}}})
    np.save(out / "v0.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="allow_pickle"):
        exchange.read_values(out)


def test_links_and_special_files_are_never_followed(tmp_path) -> None:
    secret = tmp_path / "secret.parquet"
    pd.DataFrame({"answer": [42]}).to_parquet(secret)
    out = tmp_path / "out"
    manifest_with(out, {"x": {"kind": "value", "value": {"t": "frame", "file": "v0.parquet"}}})
    os.symlink(secret, out / "v0.parquet")
    with pytest.raises(OSError):
        exchange.read_values(out)
    os.unlink(out / "v0.parquet")
    os.link(secret, out / "v0.parquet")
    with pytest.raises(exchange.ExchangeError, match="не обычный файл"):
        exchange.read_values(out)
    os.unlink(out / "v0.parquet")
    os.mkfifo(out / "v0.parquet")
    with pytest.raises(exchange.ExchangeError, match="не обычный файл"):
        exchange.read_values(out)
    linked = tmp_path / "linked"
    os.symlink(out, linked)  # a linked folder below the student's folder
    old = os.getcwd()
    try:
        os.chdir(tmp_path)
        with pytest.raises(OSError):
            exchange.read_values("linked")
    finally:
        os.chdir(old)


def test_oversized_files_are_refused(tmp_path, monkeypatch) -> None:
    frame = pd.DataFrame({"x": np.random.default_rng(1).random(10_000)})
    exchange.export({"frame": frame}, ["frame"], str(tmp_path / "out"))
    monkeypatch.setattr(exchange, "MAX_FILE", 1000)
    with pytest.raises(exchange.ExchangeError, match="слишком большой"):  # the reader's cap
        exchange.read_values(tmp_path / "out")
    assert "frame" not in roundtrip(tmp_path / "again", {"frame": frame})  # the writer's: not sent at all


def test_no_pickle_is_ever_loaded(tmp_path, monkeypatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("pickle.loads called")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    got = roundtrip(tmp_path, {"frame": pd.DataFrame({"x": [1, 2]}), "items": [1, "a"]})
    assert got["items"] == [1, "a"]


def test_write_beneath_follows_no_planted_link(tmp_path) -> None:
    cwd, elsewhere = tmp_path / "student", tmp_path / "solutions"
    cwd.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, cwd / ".smmkit-exchange")
    source = tmp_path / "push"
    source.mkdir()
    (source / "manifest.json").write_text("{}", encoding="utf-8")
    with pytest.raises(OSError):
        write_beneath(str(cwd), source)
    assert not list(elsewhere.iterdir())


def test_test_names_reads_identifiers_and_name_strings() -> None:
    source = 'for name in ["ig"]:\n    assert name in globals()\nassert len(by_slot) == 2\n_x = _shell.get("plan")'
    assert names_in_test(source) == ["by_slot", "ig", "name", "plan"]


def test_student_html_is_made_inert() -> None:
    outputs = [{"output_type": "display_data", "metadata": {},
                "data": {"text/html": "<script>alert(1)</script><b onmouseover=alert(2)>жирный</b>",
                         "application/javascript": "alert(3)", "text/plain": "x"}},
               {"output_type": "stream", "name": "stdout", "text": "y" * 5000}]
    safe = inert_outputs(outputs, 1024)
    text = json.dumps(safe, ensure_ascii=False)
    assert "<script" not in text and "onmouseover" not in text and "alert(3)" not in safe[0]["data"].get(
        "application/javascript", "")
    assert "<b>жирный</b>" in safe[0]["data"]["text/html"]
    assert len(safe[1]["text"]) < 2000 and "обрезан" in safe[1]["text"]
