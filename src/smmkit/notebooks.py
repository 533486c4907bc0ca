"""Notebook files of the course: finding them, storing them clean, and reading their metadata.

Notebooks are read and written as JSON with the standard library, which is much faster to import than
nbformat and keeps the files byte-stable (one-space indent, as Jupyter writes them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHECK_MARK = "NBVAL_CHECK_OUTPUT"
LESSON_RE = re.compile(r"^(?P<mod>\d{2})\.(?P<num>\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")
MODULE_RE = re.compile(r"^(?P<mod>\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
ASSIGNMENT_RE = re.compile(r"^a\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")


def read(path: Path) -> dict[str, Any]:
    """Read a notebook as a JSON dict."""
    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, nb: dict[str, Any]) -> None:
    """Write a notebook the way Jupyter does (indent 1, non-ASCII kept, trailing newline)."""
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def source(cell: dict[str, Any]) -> str:
    """A cell's source as one string."""
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def keeps_output(cell: dict[str, Any]) -> bool:
    """Whether a code cell is pinned with ``NBVAL_CHECK_OUTPUT`` and so is stored with its outputs."""
    return CHECK_MARK in source(cell) or "nbval-check-output" in cell.get("metadata", {}).get("tags", [])


def _iter(root: Path, pattern: str) -> Iterator[Path]:
    for path in sorted(root.glob(pattern)):
        if ".ipynb_checkpoints" not in path.parts:
            yield path


def lessons(root: Path) -> list[Path]:
    """Every lesson notebook under ``course/``."""
    return list(_iter(root / "course", "**/*.ipynb"))


def masters(root: Path) -> list[Path]:
    """Every assignment master notebook under ``solutions/``."""
    return list(_iter(root / "solutions", "**/*.ipynb"))


def releases(root: Path) -> list[Path]:
    """Every generated student notebook under ``assignments/``."""
    return list(_iter(root / "assignments", "**/*.ipynb"))


def clean(nb: dict[str, Any]) -> dict[str, Any]:
    """Drop outputs, execution counts and per-run metadata, except in ``NBVAL_CHECK_OUTPUT`` cells."""
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        for key in ("execution", "collapsed", "scrolled"):
            meta.pop(key, None)
        if cell.get("cell_type") != "code":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            continue
        if keeps_output(cell):
            # nbval refuses a cell that stores outputs without an execution count, so pinned cells keep 1.
            cell["execution_count"] = 1
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = 1
            continue
        cell["outputs"] = []
        cell["execution_count"] = None
    nb.get("metadata", {}).pop("widgets", None)
    return nb


def clean_files(paths: list[Path], check: bool = False) -> list[Path]:
    """Clean notebooks in place (or, with ``check``, only report); return the ones that were not clean."""
    dirty = []
    for path in paths:
        before = path.read_text(encoding="utf-8")
        nb = clean(json.loads(before))
        after = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
        if after != before:
            dirty.append(path)
            if not check:
                path.write_text(after, encoding="utf-8")
    return dirty
