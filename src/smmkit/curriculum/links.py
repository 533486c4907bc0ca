"""The lesson's «Связь со стандартом» section, generated from its counted cell tags.

``smmkit curriculum links --write [lessons…]`` rewrites the markdown cell that starts with
``## Связь со стандартом`` (cuts the section out into a cell of its own if it sits below other text in a
cell, and appends one at the end if the lesson has none) from the tags that count
in that lesson (see :mod:`smmkit.curriculum.coverage`): each ID with its wording, its level in Russian
(введено / отработано) and the note where the standard's wording has a typo or names an obsolete tool.
``--check`` changes nothing and names the lessons whose section is stale.

>>> print(render([("GL-er", ("introduced",))]))  # doctest: +NORMALIZE_WHITESPACE
## Связь со стандартом
<BLANKLINE>
Пункты профессионального стандарта «Менеджмент социальных сетей (SMM)», которые урок вводит (введено) и даёт
отработать в упражнениях (отработано):
<BLANKLINE>
- **GL-er** (введено) — ER: «показатель вовлеченности.»
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from smmkit import notebooks as nbs
from smmkit.russian import plural

from .coverage import LEVEL_RU, LEVELS, first_line, lesson_paths, relpath, scan
from .modules import Module
from .standard import Standard, load_standard

HEADING = "## Связь со стандартом"
CELL_ID = "standard-links"
COMMAND = "smmkit curriculum links --write"


def _wording(std: Standard, id_: str) -> str:
    """The standard's wording for a leaf: a term with its definition, a part with its compound item."""
    e = std.get(id_)
    if e.kind == "term":
        return f"{e.text}: «{e.definition}»"
    if e.kind == "part" and e.parent:
        return f"«{e.text}» (часть пункта {e.parent}: «{std.get(e.parent).text}»)"
    return f"«{e.text}»"


def render(items: Sequence[tuple[str, tuple[str, ...]]], std: Standard | None = None) -> str:
    """The section's markdown for (leaf ID, levels) pairs, in the given order."""
    std = std or load_standard()
    lines = [HEADING, ""]
    if not items:
        lines += [
            "Этот урок не вводит и не отрабатывает отдельных пунктов профессионального стандарта",
            f"«{std.title}».",
        ]
        return "\n".join(lines)
    lines += [
        f"Пункты профессионального стандарта «{std.title}», которые урок вводит (введено) и даёт",
        "отработать в упражнениях (отработано):",
        "",
    ]
    for id_, levels in items:
        lines.append(f"- **{id_}** ({', '.join(LEVEL_RU[lv] for lv in levels)}) — {_wording(std, id_)}")
        note = std.note(id_)
        if note:
            lines.append(f"  - *Примечание.* {note}")
    return "\n".join(lines)


def counted(path: Path, root: Path, modules: Sequence[Module] | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """(leaf ID, levels) that count in one lesson, in the standard's order."""
    std = load_standard()
    found = scan(Path(root), modules, lessons=[Path(path)])
    levels: dict[str, set[str]] = {}
    for e in found.evidence:
        levels.setdefault(e.id, set()).add(e.level)
    return [(i, tuple(lv for lv in LEVELS if lv in levels[i])) for i in std.leaf_ids() if i in levels]


def _section(cells: list[dict[str, Any]]) -> int | None:
    """Index of the «Связь со стандартом» markdown cell, or None."""
    for n, cell in enumerate(cells):
        if cell.get("cell_type") == "markdown" and first_line(cell) == HEADING:
            return n
    return None


def _inside(cells: list[dict[str, Any]]) -> int | None:
    """Index of a markdown cell holding the heading below other text (the section is not a cell of its own)."""
    for n, cell in enumerate(cells):
        if cell.get("cell_type") == "markdown" and HEADING in (x.strip() for x in nbs.source(cell).splitlines()):
            return n
    return None


def _split(cells: list[dict[str, Any]], n: int) -> int:
    """Cut the section out of cell n (text above the heading stays); return the index for the section cell."""
    lines = nbs.source(cells[n]).splitlines(keepends=True)
    at = next(i for i, x in enumerate(lines) if x.strip() == HEADING)
    cells[n]["source"] = _lines("".join(lines[:at]).rstrip("\n"))
    return n + 1


def _lines(text: str) -> list[str]:
    """A cell source as Jupyter stores it: lines with their newlines, the last without."""
    return text.splitlines(keepends=True)


def expected(path: Path, root: Path, modules: Sequence[Module] | None = None) -> str:
    """The section's text this lesson should have."""
    return render(counted(path, root, modules))


def stale(path: Path, root: Path, modules: Sequence[Module] | None = None) -> str:
    """Why the lesson's section is stale (Russian), or an empty string if it is current."""
    cells = nbs.read(Path(path)).get("cells", [])
    n = _section(cells)
    if n is None:
        inside = _inside(cells) is not None
        return f"раздел «{HEADING}» не отдельная ячейка" if inside else f"нет раздела «{HEADING}»"
    if nbs.source(cells[n]).rstrip("\n") != expected(path, root, modules):
        return "раздел не совпадает с метками ячеек"
    return ""


def write(path: Path, root: Path, modules: Sequence[Module] | None = None) -> bool:
    """Rewrite (or append) the lesson's section from its tags; return whether the file changed."""
    path = Path(path)
    nb = nbs.read(path)
    cells, text = nb.setdefault("cells", []), expected(path, root, modules)
    n = _section(cells)
    if n is not None and nbs.source(cells[n]).rstrip("\n") == text:
        return False
    if n is None:
        inside = _inside(cells)
        at = len(cells) if inside is None else _split(cells, inside)
        cell: dict[str, Any] = {"cell_type": "markdown", "metadata": {}, "source": _lines(text)}
        if any("id" in c for c in cells):
            cell = {"cell_type": "markdown", "id": CELL_ID, "metadata": {}, "source": _lines(text)}
        cells.insert(at, cell)
    else:
        cells[n]["source"] = _lines(text)
    nbs.write(path, nb)
    return True


def main(
    root: Path,
    paths: Iterable[Path] = (),
    *,
    check: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
    modules: Sequence[Module] | None = None,
) -> int:
    """Write or check the sections of the given lessons (all lessons by default); 1 if stale or bad IDs."""
    out, err = out or sys.stdout, err or sys.stderr
    root = Path(root)
    lessons = [Path(p) for p in paths] or lesson_paths(root)
    missing = [p for p in lessons if not p.is_file()]
    if missing:
        err.write("".join(f"Ошибка: нет такого урока: {p}\n" for p in missing))
        return 1
    unknown = scan(root, modules, lessons=lessons).unknown
    if unknown:
        err.write("Ошибка: в метках указаны ID, которых нет в стандарте:\n")
        err.write("".join(f"  {p}: «{i}»\n" for p, i in unknown))
    bad = 0
    for path in lessons:
        if check:
            why = stale(path, root, modules)
            if why:
                bad += 1
                rel = relpath(path, root)
                err.write(f"устарел: {rel} — {why}; выполните `{COMMAND} {rel}`\n")
        elif write(path, root, modules):
            out.write(f"обновлён: {relpath(path, root)}\n")
    if check and not bad:
        out.write(f"Разделы «{HEADING[3:]}» совпадают с метками ({plural(len(lessons), 'урок', 'урока', 'уроков')}).\n")
    return 1 if (bad or unknown) else 0
