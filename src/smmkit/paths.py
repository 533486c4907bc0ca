"""Where the course lives on disk: the project root and its folders."""

from __future__ import annotations

import os
from pathlib import Path

_MARKERS = ("pyproject.toml", "datasets", "course")


def _is_root(path: Path) -> bool:
    return all((path / marker).exists() for marker in _MARKERS)


def project_root(start: Path | None = None) -> Path:
    """Return the course root: $SMMKIT_ROOT, else the nearest folder above ``start`` (the cwd) or this package."""
    env = os.environ.get("SMMKIT_ROOT")
    if env:
        return Path(env).resolve()
    for first in (Path(start or Path.cwd()).resolve(), Path(__file__).resolve().parent):
        for candidate in (first, *first.parents):
            if _is_root(candidate):
                return candidate
    raise FileNotFoundError(
        "Не найдена папка курса smmkit (в ней лежат pyproject.toml, course/ и datasets/). "
        "Откройте ноутбук из папки курса или задайте переменную окружения SMMKIT_ROOT."
    )


def datasets_dir() -> Path:
    """Return the folder of the committed datasets."""
    return project_root() / "datasets"
