"""Reading a lesson's text in tests: its folded solutions and the phrases its figures are quoted in."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd

from smmkit import datasets


def cells_text(path: Path) -> list[str]:
    """The source of every cell of the notebook at ``path``."""
    return ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def folded_solution(path: Path, exercise: str) -> str:
    """The folded «Решение» that follows the «### Попробуйте» cell containing ``exercise``."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = ["".join(c["source"]) for c in cells]
    starts = [i for i, t in enumerate(text) if t.startswith("### Попробуйте") and exercise in t]
    assert len(starts) == 1, f"{path.name}: exercise «{exercise}» found {len(starts)} times"
    i = starts[0]
    assert cells[i + 1]["cell_type"] == "code" and not text[i + 1].strip(), "the exercise's empty cell comes next"
    assert text[i + 2].startswith("<details><summary>Решение</summary>"), "the folded solution follows the cell"
    return text[i + 2]


def quoted(text: str, *parts: str) -> None:
    """Each of ``parts`` is in ``text``."""
    for part in parts:
        assert part in text, f"the lesson no longer says «{part}»"


@cache
def data(name: str) -> pd.DataFrame:
    """A course dataset, loaded once per test process."""
    return datasets.load(name)


class Module:
    """The lessons of one course module (``course/<folder>``), read for tests."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(__file__).resolve().parents[1] / "course" / folder

    def text(self, lesson: str) -> str:
        """Every cell's source of the lesson, one text."""
        return "\n".join(cells_text(self.folder / lesson))

    def solution(self, lesson: str, exercise: str) -> str:
        """The folded «Решение» that follows the «### Попробуйте» cell containing ``exercise``."""
        return folded_solution(self.folder / lesson, exercise)
