"""``datasets/README.md``, generated: its table of contents from data, the rest from a template.

The table lists every committed dataset with its size (from the generators), a summary and where the course
uses it. "Where" has two sources, both data: modules whose lessons (``course/NN-…``) or assignment masters
(``solutions/aNN-…``) call ``datasets.load("<name>")`` already use it; ``readme.yaml`` names the modules still
being built that will (``planned``). Module numbers are checked against the module map
(``smmkit.curriculum.modules``). ``smmkit datasets build`` writes the file and ``--check`` compares it.

>>> cell = modules_cell(["00", "01"], ["02", "05"], "очистка данных")
>>> cell
'00, 01 (в плане: 02, 05; очистка данных)'
>>> modules_cell([], ["09"], None)
'в плане: 09'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from smmkit import notebooks as nbs

README = "README.md"
LOAD_RE = re.compile(r"""datasets\.(?:load|csv_path)\(\s*["']([A-Za-z0-9_]+)["']""")
"""A dataset named in a code cell: ``datasets.load("posts")`` or ``datasets.csv_path("posts")``."""


@dataclass(frozen=True)
class Entry:
    """One dataset's line of the table, as ``readme.yaml`` gives it."""

    name: str
    summary: str
    planned: tuple[str, ...]
    note: str | None


@cache
def _package_text(name: str) -> str:
    return resources.files("smmkit.data").joinpath(name).read_text(encoding="utf-8")


def entries() -> tuple[Entry, ...]:
    """The datasets of ``readme.yaml``, in the order of the table."""
    raw: dict[str, Any] = yaml.safe_load(_package_text("readme.yaml"))["datasets"]
    return tuple(
        Entry(name, str(e["summary"]), tuple(str(n) for n in e.get("planned") or ()), e.get("note"))
        for name, e in raw.items()
    )


def _module_of(path: Path, root: Path) -> str | None:
    """The module number of a lesson (``course/NN-…/``) or an assignment master (``solutions/aNN-…/``)."""
    folder = path.relative_to(root).parts[1]
    if path.is_relative_to(root / "course") and nbs.MODULE_RE.match(folder):
        return folder[:2]
    if path.is_relative_to(root / "solutions") and nbs.ASSIGNMENT_RE.match(folder):
        return folder[1:3]
    return None


def used_in(root: Path) -> dict[str, set[str]]:
    """Dataset name -> numbers of the modules whose notebooks load it (code cells only)."""
    used: dict[str, set[str]] = {}
    for path in [*nbs.lessons(root), *nbs.masters(root)]:
        number = _module_of(path, root)
        if number is None:
            continue
        for cell in nbs.read(path).get("cells", []):
            if cell.get("cell_type") == "code":
                for name in LOAD_RE.findall(nbs.source(cell)):
                    used.setdefault(name, set()).add(number)
    return used


def modules_cell(used: Iterable[str], planned: Iterable[str], note: str | None) -> str:
    """The «модули» cell: modules that use the dataset, then the planned ones (with the note)."""
    now, later = ", ".join(sorted(used)), ", ".join(sorted(planned))
    if later and note:
        later = f"{later}; {note}"
    if not later:
        return now or "—"
    return f"{now} (в плане: {later})" if now else f"в плане: {later}"


def _number(n: int) -> str:
    """A count as the README writes it: «2 520»."""
    return f"{n:,}".replace(",", " ")


def _check(table: Sequence[Entry], shapes: Mapping[str, tuple[int, int]], used: Mapping[str, set[str]]) -> None:
    """readme.yaml must list exactly the built datasets, and its planned modules must be modules still planned."""
    from smmkit.curriculum.modules import load_modules

    status = {m.number: m.built for m in load_modules()}
    listed = [e.name for e in table]
    missing, extra = sorted(set(shapes) - set(listed)), sorted(set(listed) - set(shapes))
    if missing or extra:
        raise ValueError(
            "src/smmkit/data/readme.yaml должен перечислять ровно наборы из рецептов: "
            f"нет в файле — {', '.join(missing) or 'ничего'}; лишние — {', '.join(extra) or 'ничего'}."
        )
    for e in table:
        for number in e.planned:
            if number not in status:
                raise ValueError(f"readme.yaml, набор {e.name}: в карте курса нет модуля «{number}».")
            if status[number] and number not in used.get(e.name, set()):
                raise ValueError(
                    f"readme.yaml, набор {e.name}: модуль {number} уже готов, но его ноутбуки не загружают "
                    "этот набор — уберите модуль из planned (или загрузите набор в уроке)."
                )


def render_table(shapes: Mapping[str, tuple[int, int]], root: Path) -> str:
    """The table of contents: dataset, rows, columns, summary, modules."""
    table, used = entries(), used_in(root)
    _check(table, shapes, used)
    lines = ["| набор | строк | столбцов | о чём | модули |", "|---|---:|---:|---|---|"]
    for e in table:
        rows, columns = shapes[e.name]
        planned = [n for n in e.planned if n not in used.get(e.name, set())]
        cell = modules_cell(used.get(e.name, set()), planned, e.note)
        link = f"[`{e.name}`]({e.name}/DATASHEET.md)"
        lines.append(f"| {link} | {_number(rows)} | {_number(columns)} | {e.summary} | {cell} |")
    return "\n".join(lines)


def render(shapes: Mapping[str, tuple[int, int]], root: Path) -> str:
    """The whole README: the template with the table and the large table's size filled in."""
    from smmkit.data.large import LARGE_ROWS

    text = _package_text("readme_template.md")
    return text.replace("{{table}}", render_table(shapes, root)).replace("{{large_rows}}", _number(LARGE_ROWS))
