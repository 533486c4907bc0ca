"""Tables too large for git, generated on demand: the followers audit at Big Data scale (1.2 million rows) and
the full three-month GA4 export of the brands' sites (``web_events_large``; the committed ``web_events`` is its
February).

Excel opens at most 1,048,576 rows per sheet, so the default 1,200,000 rows cannot be opened there whole:
the table is for the standard's knowledge item on Excel versus data-management systems (M6-TF3-T1-Z2),
to be read in chunks, with column selection and typed columns in pandas (or a database). It has exactly the
columns and the model of the committed ``followers_audit`` table (``smmkit.data.audience_data``), scaled up.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from smmkit.data.audience_data import FOLLOWER_SPECS, followers_columns, followers_frame, scaled_specs
from smmkit.datasets import CSV_ENCODING

LARGE_ROWS = 1_200_000
"""Default size: above Excel's 1,048,576-row sheet limit, so the file has to be processed outside Excel."""

LARGE_SEED = 1_200
"""Seed of the on-demand large table (the committed table uses ``FOLLOWERS_SEED``)."""

GENERATED_DIR = "_generated"
"""Sub-folder of ``datasets/`` for files made on demand (git-ignored)."""

LARGE_FILE = "followers_audit_large.csv"

CHUNK_ROWS = 100_000
"""Rows rendered and written at a time: the CSV text of the whole table never sits in memory at once."""


def _checked_rows(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 100:
        raise ValueError("Аргумент «n» должен быть целым числом не меньше 100.")
    return int(n)


def make_followers_audit_large(n: int = LARGE_ROWS, seed: int = LARGE_SEED) -> pd.DataFrame:
    """The followers audit with ``n`` rows: the committed table's columns and model, accounts scaled in proportion."""
    return followers_frame(scaled_specs(FOLLOWER_SPECS, _checked_rows(n)), seed=seed)


def _fixed4(values: np.ndarray) -> np.ndarray:
    """Floats in 0..1 as "%.4f" text (what ``render_csv`` writes), empty for NaN; vectorised."""
    out = np.full(values.shape, "", dtype=object)
    ok = ~np.isnan(values)
    scaled = np.rint(values[ok] * 10_000).astype(np.int64)
    whole, frac = np.divmod(scaled, 10_000)
    text = whole.astype(str).astype(object) + "." + np.char.zfill(frac.astype(str), 4).astype(object)
    out[ok] = text
    return out


def _column_text(values: np.ndarray) -> list[str]:
    """One column as the text cells ``render_csv`` would write."""
    if values.dtype == bool:
        return np.where(values, "True", "False").tolist()
    if values.dtype.kind == "f":
        return _fixed4(values.astype(float)).tolist()
    if values.dtype.kind in "iu":
        return list(map(str, values.tolist()))
    return values.tolist()  # text columns hold str already


def _rows_text(columns: list[np.ndarray], start: int, stop: int) -> str:
    """Rows ``start:stop`` as CSV lines, each ending with a newline."""
    cells = [_column_text(values[start:stop]) for values in columns]
    return "\n".join(map(",".join, zip(*cells, strict=True))) + "\n" if stop > start else ""


def render_large_csv(df: pd.DataFrame) -> bytes:
    """The table as CSV bytes in the committed format (UTF-8 with BOM, LF, "%.4f" floats), fast on 1M+ rows.

    Same bytes as ``smmkit.data.build.render_csv`` for this table (no cell needs quoting), about twice as fast.
    """
    columns = [df[name].to_numpy() for name in df.columns]
    body = ",".join(map(str, df.columns)) + "\n" + _rows_text(columns, 0, len(df))
    return body.encode(CSV_ENCODING)


def write_large(root: Path | None = None, n: int = LARGE_ROWS, seed: int = LARGE_SEED) -> Path:
    """Write ``<root>/_generated/followers_audit_large.csv`` (root: the datasets folder) and return its path."""
    if root is None:
        from smmkit.paths import datasets_dir

        root = datasets_dir()
    target = Path(root) / GENERATED_DIR / LARGE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    # the columns straight from the generator, no DataFrame: the same bytes as render_large_csv of the frame,
    # in chunks, so that the time stays within 10 s and the memory within 1 GB on 1.2M rows
    table = followers_columns(scaled_specs(FOLLOWER_SPECS, _checked_rows(n)), seed=seed)
    names, columns = list(table), list(table.values())
    rows = len(columns[0])
    with target.open("wb") as out:
        out.write((",".join(names) + "\n").encode(CSV_ENCODING))
        for start in range(0, rows, CHUNK_ROWS):
            out.write(_rows_text(columns, start, min(start + CHUNK_ROWS, rows)).encode("utf-8"))
    return target


WEB_LARGE_FILE = "web_events_large.csv"


def write_web_events_large(root: Path | None = None) -> Path:
    """Write ``<root>/_generated/web_events_large.csv``: the web events of December 2025 – February 2026."""
    from smmkit.data.build import render_csv
    from smmkit.data.funnel_data import SEED, make_web_events_full

    if root is None:
        from smmkit.paths import datasets_dir

        root = datasets_dir()
    target = Path(root) / GENERATED_DIR / WEB_LARGE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(render_csv(make_web_events_full(seed=SEED)))
    return target
