"""Which lessons teach and which graded items assess each skill, knowledge item and glossary term.

Notebooks declare IDs of the standard in their metadata (read as plain JSON, without nbformat):

- lessons ``course/**/*.ipynb``: notebook ``metadata["smmkit"]["standard"]``;
- assignment masters ``solutions/<aNN-slug>/<aNN-slug>.ipynb``: notebook-level
  ``metadata["smmkit"]["standard"]``, and per graded cell (``metadata["nbgrader"]["grade"]`` true)
  the cell's ``metadata["smmkit"]["standard"]``.

A leaf is taught when a lesson names it and assessed when a graded cell names it; naming a task or a
function does not cover its leaves.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

from .standard import Standard, load_standard

DeclKind = Literal["lesson", "assignment", "graded-item"]
FORMATS: tuple[str, ...] = ("table", "csv", "json")
GLOSSARY_GROUP = "GL"
TEXT_WIDTH = 60


@dataclass(frozen=True)
class Declaration:
    """IDs one lesson, assignment or graded item declares."""

    path: str
    kind: DeclKind
    label: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class LeafCoverage:
    """Coverage of one leaf ID (skill, knowledge item or glossary term)."""

    id: str
    kind: str
    text: str
    group: str
    taught_by: tuple[str, ...]
    assessed_by: tuple[str, ...]

    @property
    def taught(self) -> bool:
        """Whether some lesson names this leaf."""
        return bool(self.taught_by)

    @property
    def assessed(self) -> bool:
        """Whether some graded item names this leaf."""
        return bool(self.assessed_by)

    @property
    def covered(self) -> bool:
        """Whether the leaf is taught or assessed."""
        return self.taught or self.assessed


@dataclass(frozen=True)
class Share:
    """Counts of covered leaves out of a total."""

    total: int
    taught: int
    assessed: int
    either: int

    @property
    def taught_share(self) -> float:
        """Fraction of leaves taught."""
        return self.taught / self.total if self.total else 0.0

    @property
    def assessed_share(self) -> float:
        """Fraction of leaves assessed."""
        return self.assessed / self.total if self.total else 0.0

    @property
    def either_share(self) -> float:
        """Fraction of leaves taught or assessed."""
        return self.either / self.total if self.total else 0.0


@dataclass(frozen=True)
class Report:
    """Coverage of every leaf, with shares per card (and the glossary, ``GL``) and overall."""

    leaves: dict[str, LeafCoverage]
    shares: dict[str, Share]
    overall: Share
    declarations: tuple[Declaration, ...]
    unknown: tuple[tuple[str, str], ...]

    def taught_ids(self) -> set[str]:
        """Leaf IDs named by at least one lesson."""
        return {i for i, c in self.leaves.items() if c.taught}

    def assessed_ids(self) -> set[str]:
        """Leaf IDs named by at least one graded item."""
        return {i for i, c in self.leaves.items() if c.assessed}


# --- reading notebooks -------------------------------------------------------------------------


def _notebooks(base: Path) -> Iterator[Path]:
    """Notebooks under ``base`` in sorted order, skipping checkpoint copies."""
    if not base.is_dir():
        return
    for path in sorted(base.rglob("*.ipynb")):
        if ".ipynb_checkpoints" not in path.parts:
            yield path


def _read(path: Path) -> dict[str, Any]:
    """Parse a notebook as JSON, with a Russian error naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"Не удалось прочитать блокнот {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"Блокнот {path} не является JSON-объектом")
    return data


def _declared(metadata: Any) -> tuple[str, ...]:
    """The ``smmkit.standard`` IDs of a metadata mapping (a lone string counts as one ID)."""
    smm = metadata.get("smmkit") if isinstance(metadata, dict) else None
    value = smm.get("standard") if isinstance(smm, dict) else None
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else [value]
    return tuple(dict.fromkeys(s for s in (str(v).strip() for v in values) if s))


def _is_graded(cell: dict[str, Any]) -> bool:
    """Whether a cell is an nbgrader graded cell."""
    nbg = cell.get("metadata", {}).get("nbgrader")
    return isinstance(nbg, dict) and nbg.get("grade") is True


def _lessons(root: Path) -> Iterator[Declaration]:
    """Declarations of lesson notebooks under ``course/``."""
    for path in _notebooks(root / "course"):
        nb = _read(path)
        yield Declaration(
            path.relative_to(root).as_posix(), "lesson", path.stem, _declared(nb.get("metadata"))
        )


def _assignments(root: Path) -> Iterator[Declaration]:
    """Declarations of assignment masters ``solutions/<name>/<name>.ipynb`` and their graded cells."""
    base = root / "solutions"
    if not base.is_dir():
        return
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        path = folder / f"{folder.name}.ipynb"
        if not path.is_file():
            continue
        nb, rel = _read(path), path.relative_to(root).as_posix()
        yield Declaration(rel, "assignment", folder.name, _declared(nb.get("metadata")))
        for n, cell in enumerate(nb.get("cells", [])):
            if isinstance(cell, dict) and _is_graded(cell):
                grade_id = cell["metadata"]["nbgrader"].get("grade_id") or f"cell{n}"
                label = f"{folder.name}:{grade_id}"
                yield Declaration(rel, "graded-item", label, _declared(cell.get("metadata")))


def collect_declarations(root: Path) -> list[Declaration]:
    """All declarations of lessons (``course/``) and assignment masters (``solutions/``) under root."""
    root = Path(root)
    return [*_lessons(root), *_assignments(root)]


def _unknown(decls: Iterable[Declaration], std: Standard) -> tuple[tuple[str, str], ...]:
    """(notebook path, ID) pairs naming IDs absent from the standard, without repeats."""
    pairs = ((d.path, i) for d in decls for i in d.ids if i not in std)
    return tuple(dict.fromkeys(pairs))


def unknown_ids(root: Path) -> list[tuple[str, str]]:
    """(notebook relpath, bad ID) for every declared ID that the standard does not have."""
    return list(_unknown(collect_declarations(Path(root)), load_standard()))


# --- the report --------------------------------------------------------------------------------


def _labels(decls: Iterable[Declaration], kind: DeclKind) -> dict[str, list[str]]:
    """Map each declared ID to the labels of declarations of one kind naming it."""
    out: dict[str, list[str]] = {}
    for d in decls:
        if d.kind == kind:
            for i in d.ids:
                out.setdefault(i, []).append(d.label)
    return out


def _share(leaves: Iterable[LeafCoverage]) -> Share:
    """Count taught, assessed and either among leaves."""
    ls = list(leaves)
    return Share(len(ls), sum(c.taught for c in ls), sum(c.assessed for c in ls), sum(c.covered for c in ls))


def coverage_report(root: Path) -> Report:
    """Coverage of every leaf of the standard by the notebooks under root."""
    std, decls = load_standard(), collect_declarations(Path(root))
    taught, assessed = _labels(decls, "lesson"), _labels(decls, "graded-item")
    leaves: dict[str, LeafCoverage] = {}
    for leaf in std.leaf_ids():
        e = std.get(leaf)
        group = e.parents[0] if e.parents else GLOSSARY_GROUP
        text = f"{e.text} — {e.definition}" if e.kind == "term" else e.text
        leaves[leaf] = LeafCoverage(
            leaf, e.kind, text, group, tuple(taught.get(leaf, ())), tuple(assessed.get(leaf, ()))
        )
    groups = [*(c.id for c in std.cards), GLOSSARY_GROUP]
    shares = {g: _share(c for c in leaves.values() if c.group == g) for g in groups}
    return Report(leaves, shares, _share(leaves.values()), tuple(decls), _unknown(decls, std))


# --- formatting --------------------------------------------------------------------------------


def shorten(text: str, width: int = TEXT_WIDTH) -> str:
    """Shorten text to at most ``width`` characters, ending with «…» when cut.

    >>> shorten("Основные принципы работы в SMM.", 12)
    'Основные пр…'
    """
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _pct(n: int, total: int) -> str:
    """A rounded percentage like ``42%``."""
    return f"{round(100 * n / total) if total else 0}%"


def _share_line(share: Share) -> str:
    """«преподаётся X из N (P%), оценивается …» for one share."""
    n = share.total
    return (
        f"преподаётся {share.taught} из {n} ({_pct(share.taught, n)}), "
        f"оценивается {share.assessed} из {n} ({_pct(share.assessed, n)}), "
        f"преподаётся или оценивается {share.either} из {n} ({_pct(share.either, n)})"
    )


def _lessons_cell(c: LeafCoverage) -> str:
    """The «Уроки» cell: lesson labels, or a dash."""
    return ", ".join(c.taught_by) or "—"


def _rows(report: Report, ids: Iterable[str], indent: str) -> list[str]:
    """Table header and one row per leaf, columns aligned across the whole report."""
    ids = list(ids)
    iw = max(len("ID"), *(len(i) for i in ids))
    lw = max(len("Уроки"), *(len(_lessons_cell(c)) for c in report.leaves.values()))
    head = f"{indent}{'ID':<{iw}} | {'Содержание':<{TEXT_WIDTH}} | {'Уроки':<{lw}} | Оценивается"
    lines = [head, indent + "-" * (len(head) - len(indent))]
    for i in ids:
        c = report.leaves[i]
        graded = ", ".join(c.assessed_by) or "—"
        lines.append(
            f"{indent}{i:<{iw}} | {shorten(c.text):<{TEXT_WIDTH}} | {_lessons_cell(c):<{lw}} | {graded}"
        )
    return lines


def format_table(report: Report) -> str:
    """Plain-text Russian table grouped by card → function → task, then the glossary and a summary."""
    std = load_standard()
    lines = [f"Покрытие профессионального стандарта «{std.title}»", "U — умение, Z — знание", ""]
    for card in std.cards:
        lines.append(f"Карточка {card.id} · {card.title} (ОРК {card.ork_level})")
        for fn in card.functions:
            lines.append(f"  Трудовая функция {fn.id} · {fn.title}")
            for task in fn.tasks:
                lines.append(f"    Задача {task.id} · {shorten(task.text, 100)}")
                lines += _rows(report, (i.id for i in task.items), "      ")
                lines.append("")
    lines.append("Глоссарий")
    lines += _rows(report, (t.id for t in std.glossary), "  ")
    lines.append("")
    for group, share in report.shares.items():
        name = "Глоссарий" if group == GLOSSARY_GROUP else f"Карточка {group}"
        lines.append(f"{name}: {_share_line(share)}")
    lines.append(f"Покрытие: {_share_line(report.overall)}")
    return "\n".join(lines) + "\n"


def format_csv(report: Report) -> str:
    """One CSV row per leaf: id, kind, group, parents, text, lessons, graded items, flags."""
    std, buf = load_standard(), io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["id", "kind", "group", "task", "text", "taught_by", "assessed_by", "taught", "assessed"])
    for c in report.leaves.values():
        task = std.get(c.id).parent or ""
        writer.writerow(
            [
                c.id,
                c.kind,
                c.group,
                task,
                c.text,
                "; ".join(c.taught_by),
                "; ".join(c.assessed_by),
                int(c.taught),
                int(c.assessed),
            ]
        )
    return buf.getvalue()


def _share_dict(share: Share) -> dict[str, float | int]:
    """A share as a JSON-ready mapping."""
    return {
        "total": share.total,
        "taught": share.taught,
        "assessed": share.assessed,
        "either": share.either,
        "taught_share": round(share.taught_share, 4),
        "assessed_share": round(share.assessed_share, 4),
        "either_share": round(share.either_share, 4),
    }


def format_json(report: Report) -> str:
    """The whole report as JSON (UTF-8 text, not escaped)."""
    std = load_standard()
    data = {
        "standard": {"title": std.title, "source": std.source, "schema_version": std.schema_version},
        "summary": {
            "overall": _share_dict(report.overall),
            **{g: _share_dict(s) for g, s in report.shares.items()},
        },
        "leaves": [
            {
                "id": c.id,
                "kind": c.kind,
                "group": c.group,
                "parents": list(std.get(c.id).parents),
                "text": c.text,
                "taught_by": list(c.taught_by),
                "assessed_by": list(c.assessed_by),
            }
            for c in report.leaves.values()
        ],
        "unknown_ids": [{"notebook": p, "id": i} for p, i in report.unknown],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def format_report(report: Report, fmt: str = "table") -> str:
    """Render the report as ``table`` (Russian plain text), ``csv`` or ``json``."""
    formatters = {"table": format_table, "csv": format_csv, "json": format_json}
    if fmt not in formatters:
        raise ValueError(f"Неизвестный формат отчёта «{fmt}»: допустимы {', '.join(FORMATS)}")
    return formatters[fmt](report)


def format_unknown(unknown: Iterable[tuple[str, str]]) -> str:
    """Russian error list of IDs that are not in the standard."""
    lines = ["Ошибка: в блокнотах указаны ID, которых нет в стандарте:"]
    lines += [f"  {path}: «{id_}»" for path, id_ in unknown]
    return "\n".join(lines) + "\n"


def main(root: Path, fmt: str = "table", out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print the coverage report; list unknown IDs (to ``err``) and return 1 if any, else 0."""
    out, err = out or sys.stdout, err or sys.stderr
    report = coverage_report(Path(root))
    out.write(format_report(report, fmt))
    if report.unknown:
        err.write(format_unknown(report.unknown))
        return 1
    return 0
