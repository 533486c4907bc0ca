"""Coverage of the standard with evidence, at three levels (rules v2, ``course/README.md`` «Evidence»).

IDs of the standard sit on **cells**, in the cell metadata ``{"smmkit": {"standard": [...]}}``. A tag
counts only where its cell proves it:

- *introduced* (введено): a lesson's markdown cell whose first line is ``## N. …`` (a concept section);
- *practised* (отработано): a lesson's markdown cell whose first line starts with ``### Попробуйте``
  followed directly by an empty (or comment-only) code cell, or an assignment's autograded answer cell
  (nbgrader ``solution: true``, code, not graded);
- *assessed* (оценено): an assignment's autograded test cell (nbgrader ``grade: true``, code) **and** a
  typical-mistake submission in ``tests/submissions/<assignment>.yaml`` that names the ID in its
  ``standard:`` and is expected to lose points on that cell (``expected`` below the cell's ``points``).

Besides the three levels, a manually graded cell of an assignment (nbgrader ``grade: true``: a written answer)
records *assessed by the instructor* (оценено преподавателем) for its tags when its model answer carries a mark
scheme and two anchors, a strong and a weak answer with their marks (``Схема оценивания``, «сильный ответ»,
«слабый ответ»). It is listed beside the evidence (the programme documents place the task under its learning
outcome) but does not raise the three figures: a mark scheme is not a test a typical mistake fails.

A tag counts only in a module whose ``modules.yaml`` entry lists the ID (the module of ``course/NN-…``
or of the assignment ``aNN-…``). A repeated item counts for its original; a compound item, a task, a
function, a card or a personal competence counts for nothing by itself. Every tag that does not count
is reported as ignored, with the reason in Russian; notebook-level ``smmkit.standard`` is no longer read.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

import yaml

from smmkit.russian import plural

from .modules import Module, load_modules
from .standard import Standard, load_standard

Level = Literal["introduced", "practised", "assessed"]
LEVELS: tuple[Level, ...] = ("introduced", "practised", "assessed")
LEVEL_RU: dict[str, str] = {"introduced": "введено", "practised": "отработано", "assessed": "оценено"}
MANUAL = "manual"
"""The evidence of a manually graded task (not a level of the figures; see the module's docstring)."""
MANUAL_RU = "оценено преподавателем"
ANCHORS = (re.compile(r"Схема оценивания"), re.compile(r"[Сс]ильн\w* ответ"), re.compile(r"[Сс]лаб\w* ответ"))
"""What a manually graded cell's model answer must contain to count: a mark scheme and two anchors."""
FIGURES: tuple[str, ...] = (*LEVELS, "covered")
FIGURE_RU: dict[str, str] = {**LEVEL_RU, "covered": "покрыто"}
FORMATS: tuple[str, ...] = ("table", "csv", "json")
GLOSSARY_GROUP = "GL"
TOTAL = "total"
TEXT_WIDTH = 60

SECTION_RE = re.compile(r"^##\s+(\d+)\.\s+\S")
EXERCISE = "### Попробуйте"
LESSON_DIR_RE = re.compile(r"^(\d{2})-")
ASSIGNMENT_DIR_RE = re.compile(r"^a(\d{2})-")
KIND_RU = {"card": "карточка", "function": "трудовая функция", "task": "задача"}
FLOOR_PATH = Path(__file__).with_name("coverage_floor.yaml")
FLOOR_COMMAND = "smmkit curriculum coverage --update-floor"


# --- data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One counted tag: the leaf it counts for, at which level, and the cell that proves it."""

    id: str
    tag: str
    level: str  # a Level, or MANUAL
    path: str
    cell: int
    label: str


@dataclass(frozen=True)
class Ignored:
    """One tag that counts for nothing, with the reason in Russian."""

    path: str
    cell: int | None
    label: str
    id: str
    reason: str


@dataclass(frozen=True)
class Declaration:
    """The IDs one cell (or a notebook's metadata, ``cell`` None) carries, before judging them."""

    path: str
    cell: int | None
    label: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class LeafCoverage:
    """Coverage of one leaf (skill, knowledge item, part of a compound item or glossary term)."""

    id: str
    kind: str
    text: str
    group: str
    introduced_by: tuple[str, ...]
    practised_by: tuple[str, ...]
    assessed_by: tuple[str, ...]
    manual_by: tuple[str, ...] = ()

    def by(self, level: str) -> tuple[str, ...]:
        """Labels of the cells that prove this leaf at a level (or ``MANUAL``: the manually graded tasks)."""
        return {"introduced": self.introduced_by, "practised": self.practised_by, "assessed": self.assessed_by,
                MANUAL: self.manual_by}[level]

    @property
    def introduced(self) -> bool:
        """Whether a lesson's concept section introduces the leaf."""
        return bool(self.introduced_by)

    @property
    def practised(self) -> bool:
        """Whether an exercise or an answer cell makes the student do it."""
        return bool(self.practised_by)

    @property
    def assessed(self) -> bool:
        """Whether a graded test cell checks it and a typical mistake shows that cell failing."""
        return bool(self.assessed_by)

    @property
    def covered(self) -> bool:
        """Introduced, practised or assessed."""
        return self.introduced or self.practised or self.assessed


@dataclass(frozen=True)
class Share:
    """How many leaves of a group reach each level."""

    total: int
    introduced: int
    practised: int
    assessed: int
    covered: int

    def count(self, figure: str) -> int:
        """The count for a level or ``covered``."""
        return int(getattr(self, figure))

    def share(self, figure: str) -> float:
        """The fraction of leaves for a level or ``covered``."""
        return self.count(figure) / self.total if self.total else 0.0


@dataclass(frozen=True)
class Report:
    """Coverage of every leaf, shares per card (and the glossary, ``GL``) and overall, and the ignored tags."""

    leaves: dict[str, LeafCoverage]
    shares: dict[str, Share]
    overall: Share
    evidence: tuple[Evidence, ...]
    ignored: tuple[Ignored, ...]
    unknown: tuple[tuple[str, str], ...]

    def ids(self, figure: str) -> set[str]:
        """Leaf IDs at a level (or ``covered``)."""
        return {i for i, c in self.leaves.items() if getattr(c, figure)}

    def figures(self) -> dict[str, dict[str, int]]:
        """Counts per group and in total: {group: {introduced, practised, assessed, covered}}."""
        groups = {**self.shares, TOTAL: self.overall}
        return {g: {f: s.count(f) for f in FIGURES} for g, s in groups.items()}


@dataclass(frozen=True)
class Submission:
    """A typical-mistake submission: the IDs it shows missing and the expected score per graded cell."""

    name: str
    standard: frozenset[str]
    expected: dict[str, float]


# --- reading notebooks --------------------------------------------------------------------------


def _read(path: Path) -> dict[str, Any]:
    """Parse a notebook as JSON, with a Russian error naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"Не удалось прочитать блокнот {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"Блокнот {path} не является JSON-объектом")
    return data


def _source(cell: dict[str, Any]) -> str:
    """A cell's source as one string."""
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def first_line(cell: dict[str, Any]) -> str:
    """The first non-empty line of a cell, stripped.

    >>> first_line({"source": ["\\n", "## 1. Часовой пояс\\n", "текст"]})
    '## 1. Часовой пояс'
    """
    return next((line.strip() for line in _source(cell).splitlines() if line.strip()), "")


def is_blank_code(cell: dict[str, Any] | None) -> bool:
    """Whether a cell is a code cell that is empty or holds only comments (the student's exercise cell).

    >>> is_blank_code({"cell_type": "code", "source": "# ваш код\\n"})
    True
    >>> is_blank_code({"cell_type": "code", "source": "x = 1"})
    False
    """
    if not cell or cell.get("cell_type") != "code":
        return False
    return all(not line.strip() or line.lstrip().startswith("#") for line in _source(cell).splitlines())


def tags(metadata: Any) -> tuple[str, ...]:
    """The ``smmkit.standard`` IDs of a metadata mapping (a lone string counts as one ID)."""
    smm = metadata.get("smmkit") if isinstance(metadata, dict) else None
    value = smm.get("standard") if isinstance(smm, dict) else None
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else [value]
    return tuple(dict.fromkeys(s for s in (str(v).strip() for v in values) if s))


def _notebooks(base: Path) -> Iterator[Path]:
    """Notebooks under ``base`` in sorted order, skipping checkpoint copies."""
    if base.is_dir():
        yield from (p for p in sorted(base.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts)


def lesson_paths(root: Path) -> list[Path]:
    """Every lesson notebook under ``course/``."""
    return list(_notebooks(Path(root) / "course"))


def master_paths(root: Path) -> list[Path]:
    """Assignment masters ``solutions/<aNN-slug>/<aNN-slug>.ipynb``."""
    base = Path(root) / "solutions"
    if not base.is_dir():
        return []
    folders = sorted(p for p in base.iterdir() if p.is_dir())
    return [f / f"{f.name}.ipynb" for f in folders if (f / f"{f.name}.ipynb").is_file()]


def relpath(path: Path, root: Path) -> str:
    """A path relative to root when it lies inside, else as given."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --- judging one cell ---------------------------------------------------------------------------


def _lesson_level(cells: list[dict[str, Any]], n: int) -> tuple[Level | None, str]:
    """The level a lesson cell can prove, or None with the Russian reason it proves nothing."""
    cell, head = cells[n], first_line(cells[n])
    nxt = cells[n + 1] if n + 1 < len(cells) else None
    if cell.get("cell_type") == "markdown":
        if SECTION_RE.match(head):
            return "introduced", ""
        if head.startswith(EXERCISE):
            if is_blank_code(nxt):
                return "practised", ""
            return None, "после «### Попробуйте» нет пустой ячейки кода для ответа студента"
        if n == 0:
            return None, "заголовок урока ничего не доказывает"
        return None, f"markdown «{shorten(head, 40)}» — не раздел «## N. …» и не упражнение «### Попробуйте»"
    prev = cells[n - 1] if n else None
    if prev and prev.get("cell_type") == "markdown" and first_line(prev).startswith(EXERCISE):
        return None, "метка стоит на ячейке кода упражнения: поставьте её на ячейку «### Попробуйте» над ней"
    return None, "ячейка кода урока (демонстрация или настройка) ничего не доказывает"


def _assignment_level(cell: dict[str, Any]) -> tuple[str | None, str]:
    """The level an assignment cell can prove (assessed still needs a failing typical mistake; a manually graded
    cell proves ``MANUAL`` when its model answer has a mark scheme and two anchors)."""
    nbg = cell.get("metadata", {}).get("nbgrader") or {}
    code = cell.get("cell_type") == "code"
    if nbg.get("grade") and not (code and not nbg.get("solution")):
        if all(anchor.search(_source(cell)) for anchor in ANCHORS):
            return MANUAL, ""
        return None, ("ячейка, которую оценивает преподаватель, считается только со схемой оценивания и двумя "
                      "образцами ответа: сильным и слабым, с их баллами")
    if code and nbg.get("grade"):
        return "assessed", ""
    if code and nbg.get("solution"):
        return "practised", ""
    return None, "ячейка задания — не ячейка ответа и не автопроверка"


def _id_reason(std: Standard, id_: str) -> str:
    """Why an existing ID can never count by itself, or an empty string if it can."""
    entry = std.get(id_)
    if entry.kind in KIND_RU:
        return f"{KIND_RU[entry.kind]} целиком не засчитывается: отметьте её умения, знания или термины"
    if entry.kind == "competence":
        return "личностные компетенции не входят в покрытие"
    if entry.parts:
        return f"составной пункт не засчитывается сам по себе: отметьте его части ({', '.join(entry.parts)})"
    return ""


def _module_reason(canonical: str, number: str | None, modules: dict[str, Module]) -> str:
    """Why the module does not allow this leaf, or an empty string if it does."""
    if number is None:
        return "блокнот лежит вне папки модуля (course/NN-… или solutions/aNN-…)"
    if number not in modules:
        return f"модуля {number} нет в modules.yaml"
    if canonical not in modules[number].leaves:
        return f"модуль {number} не включает этот пункт в modules.yaml"
    return ""


# --- typical-mistake submissions ----------------------------------------------------------------


def submissions_path(root: Path, assignment: str) -> Path:
    """Where an assignment's typical-mistake submissions live."""
    return Path(root) / "tests" / "submissions" / f"{assignment}.yaml"


def load_submissions(root: Path, assignment: str, std: Standard) -> tuple[list[Submission], list[str]]:
    """The submissions of an assignment (empty if there is no file) and the unknown IDs they name."""
    path = submissions_path(root, assignment)
    if not path.is_file():
        return [], []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"Не удалось прочитать {path}: {exc}") from exc
    raw = data.get("submissions") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        return [], []  # no `submissions:` list (the old format): no typical mistake counts
    subs, unknown = [], []
    for n, s in enumerate(raw, start=1):
        ids = [str(i) for i in s.get("standard") or []]
        unknown += [i for i in ids if i not in std]
        known = frozenset(std.canonical(i) for i in ids if i in std)
        expected = {str(k): float(v) for k, v in (s.get("expected") or {}).items()}
        subs.append(Submission(str(s.get("name") or f"№{n}"), known, expected))
    return subs, unknown


def _losers(subs: Iterable[Submission], leaf: str, grade_id: str, points: float) -> list[str]:
    """Submissions that name the leaf and are expected to lose points on the cell."""
    return [s.name for s in subs if leaf in s.standard and s.expected.get(grade_id, points) < points]


# --- scanning -----------------------------------------------------------------------------------


@dataclass
class _Scan:
    """Everything the scan found: counted evidence, ignored tags, unknown IDs."""

    evidence: list[Evidence]
    ignored: list[Ignored]
    unknown: list[tuple[str, str]]


def _judge(
    scan: _Scan,
    std: Standard,
    decl: Declaration,
    level: str | None,
    reason: str,
    number: str | None,
    modules: dict[str, Module],
    assess: tuple[list[Submission], str, str, float] | None = None,
) -> None:
    """Sort each ID of one cell into evidence, ignored (with the reason) or unknown."""
    for tag in decl.ids:
        if tag not in std:
            scan.unknown.append((decl.path, tag))
            continue
        leaf = std.canonical(tag)
        why = _id_reason(std, tag) or reason or _module_reason(leaf, number, modules)
        if not why and level == "assessed" and assess is not None:
            subs, assignment, grade_id, points = assess
            if not _losers(subs, leaf, grade_id, points):
                why = (
                    f"нет типичной ошибки в tests/submissions/{assignment}.yaml, которая называет этот пункт "
                    "в standard: и теряет баллы на этой ячейке"
                )
        if why or level is None:
            scan.ignored.append(Ignored(decl.path, decl.cell, decl.label, tag, why))
        else:
            scan.evidence.append(Evidence(leaf, tag, level, decl.path, decl.cell or 0, decl.label))


def _notebook_level(scan: _Scan, std: Standard, path: str, nb: dict[str, Any], label: str) -> None:
    """Notebook-level tags: reported as ignored (unknown ones as unknown)."""
    reason = "метки всего блокнота (metadata.smmkit.standard) не используются: ставьте их на ячейки"
    for tag in tags(nb.get("metadata")):
        if tag in std:
            scan.ignored.append(Ignored(path, None, f"{label}: метаданные блокнота", tag, reason))
        else:
            scan.unknown.append((path, tag))


def scan_lesson(
    scan: _Scan, path: Path, root: Path, std: Standard, modules: dict[str, Module]
) -> None:
    """Judge every tagged cell of one lesson."""
    nb, rel = _read(path), relpath(path, root)
    m = LESSON_DIR_RE.match(path.parent.name)
    number = m[1] if m else None
    _notebook_level(scan, std, rel, nb, path.stem)
    cells = [c for c in nb.get("cells", []) if isinstance(c, dict)]
    exercises = 0
    for n, cell in enumerate(cells):
        head = first_line(cell) if cell.get("cell_type") == "markdown" else ""
        exercises += head.startswith(EXERCISE)
        ids = tags(cell.get("metadata"))
        if not ids:
            continue
        level, reason = _lesson_level(cells, n)
        section = SECTION_RE.match(head)
        if level == "introduced" and section:
            label = f"{path.stem} §{section[1]}"
        elif level == "practised":
            label = f"{path.stem} упр. {exercises}"
        else:
            label = f"{path.stem} ячейка {n + 1}"
        _judge(scan, std, Declaration(rel, n, label, ids), level, reason, number, modules)


def scan_master(
    scan: _Scan, path: Path, root: Path, std: Standard, modules: dict[str, Module]
) -> None:
    """Judge every tagged cell of one assignment master, against its typical-mistake submissions."""
    nb, rel, name = _read(path), relpath(path, root), path.parent.name
    m = ASSIGNMENT_DIR_RE.match(name)
    number = m[1] if m else None
    subs, bad = load_submissions(root, name, std)
    scan.unknown += [(relpath(submissions_path(root, name), root), i) for i in dict.fromkeys(bad)]
    _notebook_level(scan, std, rel, nb, name)
    for n, cell in enumerate(c for c in nb.get("cells", []) if isinstance(c, dict)):
        ids = tags(cell.get("metadata"))
        if not ids:
            continue
        nbg = cell.get("metadata", {}).get("nbgrader") or {}
        grade_id = str(nbg.get("grade_id") or f"ячейка {n + 1}")
        level, reason = _assignment_level(cell)
        assess = (subs, name, grade_id, float(nbg.get("points") or 0)) if level == "assessed" else None
        decl = Declaration(rel, n, f"{name}:{grade_id}", ids)
        _judge(scan, std, decl, level, reason, number, modules, assess)


def _modules(modules: Sequence[Module] | None) -> dict[str, Module]:
    """The module map by number (the package's ``modules.yaml`` by default)."""
    return {m.number: m for m in (load_modules() if modules is None else modules)}


def scan(root: Path, modules: Sequence[Module] | None = None, lessons: Iterable[Path] | None = None) -> _Scan:
    """Judge every tagged cell of the lessons (``course/``) and assignment masters (``solutions/``) under root.

    With ``lessons`` given, only those lessons are read (and no assignment).
    """
    root, std, mods = Path(root), load_standard(), _modules(modules)
    out = _Scan([], [], [])
    for path in lesson_paths(root) if lessons is None else lessons:
        scan_lesson(out, Path(path), root, std, mods)
    if lessons is None:
        for path in master_paths(root):
            scan_master(out, path, root, std, mods)
    out.unknown = list(dict.fromkeys(out.unknown))
    return out


def unknown_ids(root: Path, modules: Sequence[Module] | None = None) -> list[tuple[str, str]]:
    """(file relpath, bad ID) for every tagged ID that the standard does not have."""
    return scan(Path(root), modules).unknown


# --- the report ---------------------------------------------------------------------------------


def _labels(evidence: Iterable[Evidence], level: str) -> dict[str, list[str]]:
    """Map each leaf to the labels of the cells proving it at one level (no repeats)."""
    out: dict[str, list[str]] = {}
    for e in evidence:
        if e.level == level and e.label not in out.setdefault(e.id, []):
            out[e.id].append(e.label)
    return out


def _share(leaves: Iterable[LeafCoverage]) -> Share:
    """Count the leaves at each level."""
    ls = list(leaves)
    return Share(
        len(ls),
        sum(c.introduced for c in ls),
        sum(c.practised for c in ls),
        sum(c.assessed for c in ls),
        sum(c.covered for c in ls),
    )


def coverage_report(root: Path, modules: Sequence[Module] | None = None) -> Report:
    """Coverage of every leaf of the standard by the notebooks under root, with evidence at three levels."""
    std, found = load_standard(), scan(Path(root), modules)
    by = {level: _labels(found.evidence, level) for level in (*LEVELS, MANUAL)}
    leaves: dict[str, LeafCoverage] = {}
    for leaf in std.leaf_ids():
        e = std.get(leaf)
        group = e.parents[0] if e.parents else GLOSSARY_GROUP
        text = f"{e.text} — {e.definition}" if e.kind == "term" else e.text
        got = [tuple(by[level].get(leaf, ())) for level in (*LEVELS, MANUAL)]
        leaves[leaf] = LeafCoverage(leaf, e.kind, text, group, *got)
    groups = [*(c.id for c in std.cards), GLOSSARY_GROUP]
    shares = {g: _share(c for c in leaves.values() if c.group == g) for g in groups}
    return Report(
        leaves, shares, _share(leaves.values()), tuple(found.evidence), tuple(found.ignored), tuple(found.unknown)
    )


# --- the committed floor ------------------------------------------------------------------------


def load_floor(path: Path | None = None) -> dict[str, dict[str, int]]:
    """The committed figures (``coverage_floor.yaml``): {group: {figure: count}}."""
    path = path or FLOOR_PATH
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    figures = data.get("figures")
    if not isinstance(figures, dict):
        raise ValueError(f"{path}: нет раздела figures")
    return {str(g): {str(f): int(v) for f, v in fs.items()} for g, fs in figures.items()}


def floor_drops(report: Report, floor: dict[str, dict[str, int]]) -> list[str]:
    """Russian lines, one per figure that fell below the committed floor."""
    now = report.figures()
    drops = []
    for group, figures in floor.items():
        for figure, least in figures.items():
            got = now.get(group, {}).get(figure, 0)
            if got < least:
                drops.append(f"{_group_ru(group)}: {FIGURE_RU.get(figure, figure)} {got}, а в пороге {least}")
    return drops


def floor_rises(report: Report, floor: dict[str, dict[str, int]]) -> list[str]:
    """Russian lines, one per figure that is now above the committed floor."""
    now = report.figures()
    return [
        f"{_group_ru(g)}: {FIGURE_RU[f]} {n} (в пороге {floor.get(g, {}).get(f, 0)})"
        for g, fs in now.items()
        for f, n in fs.items()
        if n > floor.get(g, {}).get(f, 0)
    ]


def format_floor(report: Report) -> str:
    """The floor file's text for the report's figures."""
    lines = [
        "# Committed coverage figures (a floor): tests/test_coverage_evidence.py fails when a figure drops.",
        f"# When figures rise, run `{FLOOR_COMMAND}` and commit this file.",
        "# Counts of leaves per card (A4, M6), glossary (GL) and in total; covered = at least one level.",
        "figures:",
    ]
    for group, figures in report.figures().items():
        lines.append(f"  {group}: {{{', '.join(f'{f}: {n}' for f, n in figures.items())}}}")
    return "\n".join(lines) + "\n"


def write_floor(report: Report, path: Path | None = None) -> list[str]:
    """Write the report's figures as the floor unless some figure dropped; return the drops (empty = written)."""
    path = path or FLOOR_PATH
    drops = floor_drops(report, load_floor(path)) if path.is_file() else []
    if not drops:
        path.write_text(format_floor(report), encoding="utf-8")
    return drops


# --- formatting ---------------------------------------------------------------------------------


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


def _group_ru(group: str) -> str:
    """«Карточка A4», «Глоссарий» or «Всего»."""
    return {GLOSSARY_GROUP: "Глоссарий", TOTAL: "Всего"}.get(group, f"Карточка {group}")


def share_line(share: Share) -> str:
    """«введено X из N (P%), отработано …, оценено …, покрыто …» for one share."""
    n = share.total
    return ", ".join(f"{FIGURE_RU[f]} {share.count(f)} из {n} ({_pct(share.count(f), n)})" for f in FIGURES)


def _marks(c: LeafCoverage) -> str:
    """Three marks for the levels: В О Оц, or a dot where the level is missing."""
    pairs = zip(LEVELS, ("В", "О", "Оц"), strict=True)
    return " ".join(mark if getattr(c, level) else "·" * len(mark) for level, mark in pairs)


def compact(labels: Iterable[str]) -> str:
    """Labels joined, those of one notebook after its name once.

    >>> compact(["01.02-time §1", "01.02-time §3", "a01-x:q1-tests"])
    '01.02-time §1, §3, a01-x:q1-tests'
    """
    groups: dict[str, list[str]] = {}
    for label in labels:
        head, _, tail = label.partition(" ")
        groups.setdefault(head, []).append(tail)
    return ", ".join(f"{h} {', '.join(t)}" if all(t) else h for h, t in groups.items())


def _where(c: LeafCoverage) -> str:
    """Where the evidence is, level by level."""
    parts = [f"{LEVEL_RU[level]}: {compact(c.by(level))}" for level in LEVELS if c.by(level)]
    if c.manual_by:
        parts.append(f"{MANUAL_RU}: {compact(c.manual_by)}")
    return "; ".join(parts) or "—"


def _rows(report: Report, ids: Iterable[str], indent: str) -> list[str]:
    """Table header and one row per leaf."""
    ids = list(ids)
    iw = max(len("ID"), *(len(i) for i in report.leaves))
    head = f"{indent}{'ID':<{iw}} | {'Содержание':<{TEXT_WIDTH}} | {'В О Оц':<8} | Где"
    lines = [head, indent + "-" * (len(head) - len(indent) + 20)]
    for i in ids:
        c = report.leaves[i]
        lines.append(f"{indent}{i:<{iw}} | {shorten(c.text):<{TEXT_WIDTH}} | {_marks(c):<8} | {_where(c)}")
    return lines


def _ignored_lines(report: Report) -> list[str]:
    """The ignored tags, with reasons."""
    if not report.ignored:
        return []
    lines = [f"Не засчитано ({plural(len(report.ignored), 'метка', 'метки', 'меток')}):"]
    lines += [f"  {g.label}: {g.id} — {g.reason}" for g in report.ignored]
    return [*lines, ""]


def format_table(report: Report) -> str:
    """Plain-text Russian table grouped by card → function → task, the glossary, ignored tags and a summary."""
    std = load_standard()
    edition = std.edition
    lines = [
        f"Покрытие профессионального стандарта «{std.title}» ({edition.get('label', '')}, "
        f"сверено {edition.get('checked', '—')})",
        "U — умение, Z — знание, .N — часть составного пункта; В — введено, О — отработано, Оц — оценено",
        "",
    ]
    for card in std.cards:
        lines.append(f"Карточка {card.id} · {card.title} (ОРК {card.ork_level})")
        for fn in card.functions:
            lines.append(f"  Трудовая функция {fn.id} · {fn.title}")
            for task in fn.tasks:
                lines.append(f"    Задача {task.id} · {shorten(task.text, 100)}")
                lines += _rows(report, std.leaves_under(task.id), "      ")
                lines.append("")
        pcs = ", ".join(f"{p.id} {p.text}" for p in card.personal_competences if not p.same_as)
        lines += [f"  Личностные компетенции (в покрытие не входят): {pcs}", ""]
    lines.append("Глоссарий")
    lines += _rows(report, (t.id for t in std.glossary), "  ")
    lines.append("")
    lines += _ignored_lines(report)
    for group, share in report.shares.items():
        lines.append(f"{_group_ru(group)}: {share_line(share)}")
    lines.append(f"Покрытие: {share_line(report.overall)}")
    return "\n".join(lines) + "\n"


def format_csv(report: Report) -> str:
    """One CSV row per leaf: id, kind, group, task, text, evidence per level and 0/1 flags."""
    std, buf = load_standard(), io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        ["id", "kind", "group", "task", "text", *(f"{lv}_by" for lv in (*LEVELS, MANUAL)), *FIGURES]
    )
    for c in report.leaves.values():
        task = next((p for p in std.get(c.id).parents if std.get(p).kind == "task"), "")
        by = ["; ".join(c.by(level)) for level in (*LEVELS, MANUAL)]
        writer.writerow([c.id, c.kind, c.group, task, c.text, *by, *(int(getattr(c, f)) for f in FIGURES)])
    return buf.getvalue()


def _share_dict(share: Share) -> dict[str, float | int]:
    """A share as a JSON-ready mapping."""
    return {"total": share.total, **{f: share.count(f) for f in FIGURES}} | {
        f"{f}_share": round(share.share(f), 4) for f in FIGURES
    }


def format_json(report: Report) -> str:
    """The whole report as JSON (UTF-8 text, not escaped)."""
    std = load_standard()
    data = {
        "standard": {"title": std.title, "source": std.source, "schema_version": std.schema_version},
        "summary": {"overall": _share_dict(report.overall), **{g: _share_dict(s) for g, s in report.shares.items()}},
        "leaves": [
            {
                "id": c.id,
                "kind": c.kind,
                "group": c.group,
                "parents": list(std.get(c.id).parents),
                "text": c.text,
                **{f"{level}_by": list(c.by(level)) for level in (*LEVELS, MANUAL)},
            }
            for c in report.leaves.values()
        ],
        "ignored": [
            {"notebook": g.path, "cell": g.cell, "where": g.label, "id": g.id, "reason": g.reason}
            for g in report.ignored
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
    lines = ["Ошибка: в метках указаны ID, которых нет в стандарте:"]
    lines += [f"  {path}: «{id_}»" for path, id_ in unknown]
    return "\n".join(lines) + "\n"


def main(
    root: Path,
    fmt: str = "table",
    out: TextIO | None = None,
    err: TextIO | None = None,
    *,
    update_floor: bool = False,
    check_floor: bool = False,
    floor_path: Path | None = None,
) -> int:
    """Print the report (or update / check the floor); return 1 on unknown IDs or a dropped figure."""
    out, err = out or sys.stdout, err or sys.stderr
    report = coverage_report(Path(root))
    code = 0
    if report.unknown:
        err.write(format_unknown(report.unknown))
        code = 1
    if update_floor or check_floor:
        floor = floor_path or FLOOR_PATH
        drops = write_floor(report, floor) if update_floor else floor_drops(report, load_floor(floor))
        if drops:
            err.write("Ошибка: покрытие упало ниже закреплённого порога:\n" + "".join(f"  {d}\n" for d in drops))
            err.write(f"Если снижение намеренное, исправьте {floor.name} вручную.\n")
            return 1
        out.write(f"Порог покрытия записан в {floor}.\n" if update_floor else "Покрытие не ниже порога.\n")
        out.write(f"Всего: {share_line(report.overall)}\n")
        return code
    out.write(format_report(report, fmt))
    return code
