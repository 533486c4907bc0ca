"""Values that cross between a student's sandboxed kernel and the test runner: plain data only, never pickle.

The isolated route (:mod:`smmkit.grading.isolated`) judges each test cell in a separate process that no student code
has run in. What the test needs from the student's kernel crosses as *data*, written by :func:`export` inside the
sandbox into a folder and read by :func:`read_values` in the runner:

============================  ================================================================================
value in the student's kernel  what crosses
============================  ================================================================================
None, bool, int, float, str    JSON (NaN and infinities included)
list, tuple, dict, set         JSON with a type tag; their items recursively
numpy scalar                   JSON with its dtype (allow-listed kinds: bool, int, uint, float, str)
pandas Timestamp, Timedelta,   JSON (ISO text, time zone, nanoseconds)
datetime, date, Path
DataFrame, Series, Index       Parquet (pyarrow >= 14.0.1; no extension types), one file each
numpy array                    ``.npy``, read with ``allow_pickle=False``
a function the student wrote   its name only: the runner calls it back in the sandbox (:func:`call`)
a module                       its name only: the runner imports it if the course allows that module
anything else                  its type name: the test sees :class:`Untransferable`, which fails with a hint
============================  ================================================================================

The runner trusts nothing it reads: file names come from the manifest but are checked (a plain name in the
folder), files are opened without following links and must be regular, single-link and below :data:`MAX_FILE`;
type tags are allow-listed, never looked up by name; the whole export is capped by :data:`MAX_TOTAL`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import re
import stat
from pathlib import Path, PurePath
from typing import Any

MANIFEST = "manifest.json"
MAX_FILE = 64 * 1024 * 1024
MAX_TOTAL = 256 * 1024 * 1024
MAX_CELLS = 50_000_000
MAX_DEPTH = 20
MAX_ITEMS = 1_000_000
NUMPY_KINDS = {"b", "i", "u", "f", "U", "M", "m"}
FILE_NAME = re.compile(r"^v\d{1,7}\.(parquet|npy)$")


class ExchangeError(Exception):
    """A value could not be written or read (the student's value is then reported as not transferable)."""


class Untransferable:
    """Stands in the runner for a student's value that cannot cross as data; any use fails with a Russian hint."""

    def __init__(self, name: str, type_name: str, reason: str = "") -> None:
        object.__setattr__(self, "_smmkit", (name, type_name, reason))

    def _fail(self, *_: Any, **__: Any) -> Any:
        name, type_name, reason = object.__getattribute__(self, "_smmkit")
        raise AssertionError(
            f"Значение {name} (тип {type_name}) нельзя передать на проверку"
            + (f": {reason}" if reason else "")
            + ".\nПроверяются таблицы pandas, массивы numpy, числа, строки, списки и словари из них.")

    def __getattr__(self, _: str) -> Any:
        self._fail()

    def __repr__(self) -> str:
        name, type_name, _ = object.__getattribute__(self, "_smmkit")
        return f"<{name}: {type_name}, не передано на проверку>"

    __call__ = __getitem__ = __iter__ = __len__ = __bool__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = _fail
    __ge__ = __add__ = __sub__ = __mul__ = __truediv__ = __float__ = __int__ = __contains__ = __hash__ = _fail


# --------------------------------------------------------------------------------------------- sandbox side

class _Writer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        self.total = 0

    def file(self, suffix: str, data: bytes) -> str:
        self.total += len(data)
        if len(data) > MAX_FILE or self.total > MAX_TOTAL:
            raise ExchangeError("слишком большое значение")
        name = f"v{self.count}.{suffix}"
        self.count += 1
        (self.folder / name).write_bytes(data)
        return name


def _plain_column_labels(frame: Any) -> tuple[Any, list[tuple[int, list[Any], bool]]]:
    """``frame`` with categorical column labels (a ``CategoricalIndex``, or such levels of a ``MultiIndex``) made
    plain, and for each such level its number, categories and order. pyarrow writes these labels into the pandas
    metadata but cannot read them back ("data type 'categorical' not understood"): a table from ``pd.crosstab`` of
    a categorical column would reach the tests as no value at all."""
    import pandas as pd

    columns = frame.columns
    levels = list(columns.levels) if isinstance(columns, pd.MultiIndex) else [columns]
    labels = [(i, [c.item() if hasattr(c, "item") else c for c in level.categories], bool(level.ordered))
              for i, level in enumerate(levels) if isinstance(level, pd.CategoricalIndex)]
    if not labels:
        return frame, []
    if isinstance(columns, pd.MultiIndex):
        plain = columns.set_levels([lv.astype(object) if isinstance(lv, pd.CategoricalIndex) else lv
                                    for lv in columns.levels])
    else:
        plain = columns.astype(object)
    return frame.set_axis(plain, axis=1), labels


def _categorical_column_labels(frame: Any, labels: list[tuple[int, list[Any], bool]]) -> Any:
    """The inverse of :func:`_plain_column_labels` on the table read back."""
    import pandas as pd

    columns = frame.columns
    if isinstance(columns, pd.MultiIndex):
        levels = list(columns.levels)
        for i, categories, ordered in labels:
            levels[int(i)] = pd.CategoricalIndex(levels[int(i)], categories=categories, ordered=bool(ordered),
                                                 name=levels[int(i)].name)
        return frame.set_axis(columns.set_levels(levels), axis=1)
    (_, categories, ordered), = labels
    return frame.set_axis(pd.CategoricalIndex(columns, categories=categories, ordered=bool(ordered),
                                              name=columns.name), axis=1)


def _frame_bytes(frame: Any) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, nthreads=1), buffer)  # no thread pools: processes fork
    return buffer.getvalue()


def encode(value: Any, writer: _Writer, depth: int = 0) -> Any:
    """``value`` as JSON-ready data (files for tables and arrays go through ``writer``)."""
    import numpy as np
    import pandas as pd

    if depth > MAX_DEPTH:
        raise ExchangeError("слишком глубокая вложенность")
    if value is None or isinstance(value, (bool, str)):
        return value if not isinstance(value, str) or type(value) is str else str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return {"t": "int", "v": str(int(value))} if abs(int(value)) > 2**53 else int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else {"t": "float", "v": repr(float(value))}
    if isinstance(value, np.generic):
        if value.dtype.kind not in NUMPY_KINDS or value.dtype.kind in "Mm":
            raise ExchangeError(f"тип numpy {value.dtype}")
        item = value.item()
        return {"t": "np", "dtype": value.dtype.str, "v": encode(item, writer, depth + 1)}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        if len(items) > MAX_ITEMS:
            raise ExchangeError("слишком длинный список")
        kind = {list: "list", tuple: "tuple", set: "set", frozenset: "frozenset"}.get(type(value))
        if kind is None:
            kind = "tuple" if isinstance(value, tuple) else "list" if isinstance(value, list) else "set"
        return {"t": kind, "v": [encode(v, writer, depth + 1) for v in items]}
    if isinstance(value, dict):
        return {"t": "dict", "v": [[encode(k, writer, depth + 1), encode(v, writer, depth + 1)]
                                   for k, v in value.items()]}
    if isinstance(value, pd.Timestamp):
        return {"t": "timestamp", "v": None if pd.isna(value) else value.isoformat(),
                "tz": None if value is pd.NaT or value.tz is None else str(value.tz)}
    if value is pd.NaT:
        return {"t": "nat"}
    if isinstance(value, pd.Timedelta):
        return {"t": "timedelta", "v": int(value.value)}
    if isinstance(value, dt.datetime):
        return {"t": "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {"t": "date", "v": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"t": "pytimedelta", "v": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, PurePath):
        return {"t": "path", "v": str(value)}
    if isinstance(value, pd.DataFrame):
        frame, labels = _plain_column_labels(pd.DataFrame(value))
        out = {"t": "frame", "file": writer.file("parquet", _frame_bytes(frame))}
        if labels:  # categorical column labels (pd.crosstab of a categorical column): restored on reading
            out["categorical_columns"] = [[level, encode(categories, writer, depth + 1), ordered]
                                          for level, categories, ordered in labels]
        return out
    if isinstance(value, pd.Series):
        name = value.name
        frame = pd.DataFrame({"__series__": value})
        return {"t": "series", "name": encode(name, writer, depth + 1), "file": writer.file("parquet",
                                                                                           _frame_bytes(frame))}
    if isinstance(value, pd.Index):
        frame = pd.DataFrame(index=value)
        return {"t": "index", "file": writer.file("parquet", _frame_bytes(frame))}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in NUMPY_KINDS:
            raise ExchangeError(f"массив numpy типа {value.dtype}")
        return {"t": "array", "file": writer.file("npy", _npy_bytes(np.asarray(value)))}
    raise ExchangeError(f"тип {type(value).__name__}")


def describe(name: str, value: Any, writer: _Writer) -> dict[str, Any]:
    """The manifest entry of one name of the student's namespace."""
    import types

    if isinstance(value, types.ModuleType):
        return {"kind": "module", "module": value.__name__}
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)) or (
            callable(value) and not isinstance(value, type) and type(value).__module__ == "__main__"):
        module = getattr(value, "__module__", None)
        if module and module != "__main__" and isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
            return {"kind": "library", "module": str(module), "qualname": str(getattr(value, "__qualname__", ""))}
        return {"kind": "function"}
    if isinstance(value, type):
        return {"kind": "opaque", "type": "type", "reason": "это класс, а не значение"}
    try:
        return {"kind": "value", "value": encode(value, writer)}
    except ExchangeError as exc:
        return {"kind": "opaque", "type": type(value).__name__, "reason": str(exc)}
    except Exception as exc:  # a broken value of the student's (its methods raise)
        return {"kind": "opaque", "type": type(value).__name__, "reason": f"{type(exc).__name__}"}


def export(namespace: dict[str, Any], names: list[str], folder: str) -> None:
    """In the sandbox: write ``names`` of ``namespace`` (those that exist) into ``folder`` with a manifest."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    writer = _Writer(target)
    manifest: dict[str, Any] = {}
    for name in names:
        if name in namespace:
            manifest[name] = describe(name, namespace[name], writer)
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, allow_nan=True), encoding="utf-8")


def load_into(namespace: dict[str, Any], folder: str) -> None:
    """In the sandbox: put values the grader sends (reference values after a question) into ``namespace``."""
    namespace.update(read_values(folder))


def call(namespace: dict[str, Any], name: str, folder: str) -> None:
    """In the sandbox: call the student's ``name`` with the arguments in ``folder``; export the result there."""
    values = read_values(folder, manifest="call.json")
    args, kwargs = values.get("args", ()), values.get("kwargs", {})
    out = Path(folder) / "result"
    try:
        result = namespace[name](*args, **kwargs)
    except BaseException as exc:  # the student's exception is the result (the test may expect it)
        export({"error": f"{type(exc).__name__}: {exc}"[:2000], "ename": type(exc).__name__}, ["error", "ename"],
               str(out))
        return
    export({"result": result}, ["result"], str(out))


def shell_state(shell: Any, folder: str) -> None:
    """In the sandbox: what the student's code can hook into IPython, as counts and type names (for the
    anomalies report: compared before the first and after the last cell; self-reported, so never scored)."""
    import sys

    state = {
        "input_transformers_post": len(getattr(shell, "input_transformers_post", [])),
        "input_transformers_cleanup": len(getattr(shell, "input_transformers_cleanup", [])),
        "ast_transformers": len(getattr(shell, "ast_transformers", [])),
        "events": {k: len(v) for k, v in getattr(getattr(shell, "events", None), "callbacks", {}).items()},
        "displayhook": type(sys.displayhook).__qualname__,
        "excepthook": getattr(sys.excepthook, "__qualname__", type(sys.excepthook).__qualname__),
        "display_pub": type(getattr(shell, "display_pub", None)).__qualname__,
        "showtraceback": getattr(getattr(shell, "showtraceback", None), "__qualname__", "?"),
        "custom_exceptions": len(getattr(shell, "custom_exceptions", ()) or ()),
    }
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    (target / MANIFEST).write_text(json.dumps(state), encoding="utf-8")


def zygote_warm_up() -> None:
    """Called by the zygote after importing this module: one round trip of a table through Parquet, so that the
    kernels and runners it forks do not each pay pyarrow's first-call set-up (~30 ms)."""
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"t": pd.date_range("2026-01-01", periods=3, tz="Asia/Almaty"), "i": [1, 2, 3],
                          "f": [0.5, np.nan, 1.0], "s": ["а", "б", None], "c": pd.Categorical(["x", "y", "x"])})
    _read_frame(_frame_bytes(frame))
    np.load(io.BytesIO(_npy_bytes(np.arange(3))), allow_pickle=False)


def _npy_bytes(array: Any) -> bytes:
    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def read_json(folder: str | Path, root: str | Path = ".") -> Any:
    """The manifest of ``folder`` (beneath ``root``) as JSON (no link followed, capped)."""
    return json.loads(_read_file(folder, MANIFEST, [MAX_FILE], root).decode("utf-8"))


# ---------------------------------------------------------------------------------------------- runner side

def open_folder(folder: str | Path, root: str | Path = ".") -> int:
    """A descriptor of ``folder``; a relative ``folder`` is opened beneath ``root`` (trusted; default: the current
    folder) one component at a time, following no symbolic link (the student's kernel controls everything below
    its folder)."""
    path = Path(folder)
    if path.is_absolute():
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in path.parts:
            if part in ("..", ".", ""):
                raise ExchangeError(f"недопустимый путь {folder}")
            nxt = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = nxt
    except BaseException:
        os.close(fd)
        raise
    return fd


def _read_file(folder: str | Path, name: str, budget: list[int], root: str | Path = ".") -> bytes:
    """The bytes of ``folder/name``: a plain name, a regular file with one link, no symlink followed, capped."""
    if not FILE_NAME.match(name) and name not in (MANIFEST, "call.json"):
        raise ExchangeError(f"недопустимое имя файла {name!r}")
    dir_fd = open_folder(folder, root)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    finally:
        os.close(dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            raise ExchangeError(f"{name}: не обычный файл")
        if info.st_size > min(MAX_FILE, budget[0]):
            raise ExchangeError(f"{name}: слишком большой файл")
        budget[0] -= info.st_size
        chunks, left = [], info.st_size + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > info.st_size:
            raise ExchangeError(f"{name}: файл растёт при чтении")
        return data
    finally:
        os.close(fd)


def _read_frame(data: bytes) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    meta = pq.read_metadata(pa.BufferReader(data))  # sizes before decompressing anything
    if meta.num_rows * max(1, meta.num_columns) > MAX_CELLS or meta.serialized_size > MAX_FILE:
        raise ExchangeError("слишком большая таблица")
    return pq.read_table(pa.BufferReader(data), use_threads=False).to_pandas(use_threads=False)


def decode(obj: Any, folder: Path, budget: list[int], depth: int = 0) -> Any:
    """The runner's value for an :func:`encode` result (allow-listed tags only)."""
    import numpy as np
    import pandas as pd

    if depth > MAX_DEPTH:
        raise ExchangeError("слишком глубокая вложенность")
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if not isinstance(obj, dict) or not isinstance(obj.get("t"), str):
        raise ExchangeError("неизвестный формат")
    tag = obj["t"]
    items = obj.get("v")
    if tag in ("list", "tuple", "set", "frozenset"):
        if not isinstance(items, list):
            raise ExchangeError("неизвестный формат")
        values = [decode(v, folder, budget, depth + 1) for v in items]
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](values)
    if tag == "dict":
        if not isinstance(items, list):
            raise ExchangeError("неизвестный формат")
        return {decode(k, folder, budget, depth + 1): decode(v, folder, budget, depth + 1) for k, v in items}
    if tag == "int":
        return int(str(items))
    if tag == "float":
        return float({"nan": "nan", "inf": "inf", "-inf": "-inf"}[str(items)])
    if tag == "np":
        dtype = np.dtype(str(obj.get("dtype")))
        if dtype.kind not in NUMPY_KINDS or dtype.kind in "Mm" or dtype.hasobject:
            raise ExchangeError("недопустимый тип numpy")
        return np.array(decode(items, folder, budget, depth + 1), dtype=dtype)[()]
    if tag == "timestamp":
        return pd.NaT if items is None else pd.Timestamp(str(items))
    if tag == "nat":
        return pd.NaT
    if tag == "timedelta":
        return pd.Timedelta(int(items))
    if tag == "datetime":
        return dt.datetime.fromisoformat(str(items))
    if tag == "date":
        return dt.date.fromisoformat(str(items))
    if tag == "pytimedelta":
        days, seconds, micro = (int(x) for x in items)
        return dt.timedelta(days=days, seconds=seconds, microseconds=micro)
    if tag == "path":
        return Path(str(items))
    if tag in ("frame", "series", "index"):
        frame = _read_frame(_read_file(folder, str(obj.get("file")), budget))
        if tag == "frame":
            labels = obj.get("categorical_columns")
            if labels:
                if not isinstance(labels, list) or not all(isinstance(x, list) and len(x) == 3 for x in labels):
                    raise ExchangeError("неизвестный формат")
                frame = _categorical_column_labels(frame, [(int(i), decode(c, folder, budget, depth + 1), o)
                                                           for i, c, o in labels])
            return frame
        if tag == "index":
            return frame.index
        series = frame["__series__"]
        series.name = decode(obj.get("name"), folder, budget, depth + 1)
        return series
    if tag == "array":
        array = np.load(io.BytesIO(_read_file(folder, str(obj.get("file")), budget)), allow_pickle=False)
        if array.dtype.kind not in NUMPY_KINDS:
            raise ExchangeError("недопустимый тип numpy")
        return array
    raise ExchangeError(f"неизвестный тег {tag!r}")


def read_manifest(folder: str | Path, manifest: str = MANIFEST) -> tuple[dict[str, Any], list[int]]:
    budget = [MAX_TOTAL]
    data = _read_file(Path(folder), manifest, budget)
    entries = json.loads(data.decode("utf-8"))
    if not isinstance(entries, dict):
        raise ExchangeError("неизвестный формат")
    return entries, budget


def read_values(folder: str | Path, manifest: str = MANIFEST) -> dict[str, Any]:
    """Plain values of a folder written by :func:`export` (functions, modules and the rest left out)."""
    entries, budget = read_manifest(folder, manifest)
    out: dict[str, Any] = {}
    for name, entry in entries.items():
        if isinstance(entry, dict) and entry.get("kind") == "value":
            out[str(name)] = decode(entry.get("value"), Path(folder), budget)
    return out


def write_values(values: dict[str, Any], folder: str | Path, manifest: str = MANIFEST) -> None:
    """Trusted side: write ``values`` (plain data) for :func:`load_into` / :func:`call` in the sandbox."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    writer = _Writer(target)
    entries = {name: {"kind": "value", "value": encode(value, writer)} for name, value in values.items()}
    (target / manifest).write_text(json.dumps(entries, ensure_ascii=False, allow_nan=True), encoding="utf-8")
