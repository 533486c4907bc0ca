"""The college programme built from the kit's own data: modules, learning outcomes, hours and graded items.

One professional module (ПМ) per labour function of the assistant card (ОРК 4): the module map
(``modules.yaml``) says which course module serves which function. A built module's learning outcomes (РО)
are its lessons: the lesson's title and objectives (the title cell), the standard IDs its cells prove
(the coverage scan) and its theory and practice hours (the lesson's «⏱ Время» budget, each part rounded up
to whole academic hours; ``modules.yaml`` repeats them and :func:`map_mismatches` checks it does). The
module's independent work (``modules.yaml``'s ``independent`` hours) is where its assignments are done: they
are its control points, graded item by item. A planned module has
only what the module map gives (title, IDs, hours) and is marked as planned. The manager card's modules
(ОРК 6) form an advanced block.

>>> ceil_hours(50, 45), ceil_hours(90, 45), ceil_hours(0, 45)
(2, 2, 0)
>>> lesson_budget("⏱ **Время:** 30 мин теория · 20 мин практика")
(30, 20)
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .college import Settings
from .coverage import LEVELS, Report, coverage_report
from .modules import Module, load_modules
from .standard import load_standard

BUDGET_RE = re.compile(r"⏱\s*\*\*Время:\*\*\s*(\d+)\s*мин теория\s*·\s*(\d+)\s*мин практика")
QUESTION_RE = re.compile(r"^##\s+(Вопрос\s+\d+\s*·\s*.+?)\s*(?:\(.*\))?\s*$")
DOCSTRING_RE = re.compile(r'^\s*"""(.+?)"""', re.S)


def ceil_hours(minutes: int, per_hour: int) -> int:
    """Whole academic hours that hold ``minutes`` (rounded up)."""
    return math.ceil(minutes / per_hour)


def lesson_budget(title_cell: str) -> tuple[int, int]:
    """A lesson's (theory, practice) minutes from its title cell's «⏱ **Время:**» line."""
    m = BUDGET_RE.search(title_cell)
    if not m:
        raise ValueError("в заглавной ячейке урока нет строки «⏱ **Время:** N мин теория · M мин практика»")
    return int(m[1]), int(m[2])


@dataclass(frozen=True)
class GradedItem:
    """A graded cell of an assignment: what it checks, for how many points, and the mistakes that lose them."""

    assignment: str
    grade_id: str
    question: str
    points: float
    manual: bool
    standard: tuple[str, ...]
    criteria: tuple[str, ...]
    mistakes: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """A learning outcome (РО): one lesson of a built module."""

    number: str  # "1.2": module number (without the leading zero) and the lesson's place in the module
    lesson: str  # "01.02"
    title: str
    objectives: tuple[str, ...]
    standard: tuple[str, ...]
    theory: int
    practice: int
    graded: tuple[GradedItem, ...]

    @property
    def hours(self) -> int:
        """Classroom hours (theory + practice)."""
        return self.theory + self.practice


@dataclass(frozen=True)
class ProgrammeModule:
    """A module of the programme: a built one with its outcomes and control points, or a planned one."""

    module: Module
    block: str  # "intro", "core" (assistant card), "advanced" (manager card) or "capstone"
    outcomes: tuple[Outcome, ...]
    assignments: tuple[str, ...]
    graded: tuple[GradedItem, ...]

    @property
    def planned(self) -> bool:
        """Whether the module's lessons do not exist yet (its hours are the module map's plan)."""
        return not self.module.built

    @property
    def theory(self) -> int:
        """Theory hours: the lessons' budgets, or the module map's plan."""
        return sum(o.theory for o in self.outcomes) if not self.planned else self.module.theory_hours

    @property
    def practice(self) -> int:
        """Practice hours (laboratory and practical classes, ЛПЗ)."""
        return sum(o.practice for o in self.outcomes) if not self.planned else self.module.practice_hours

    @property
    def independent(self) -> int:
        """Independent work: the module map's hours beyond the classroom (the assignments are done here)."""
        return self.module.independent_hours

    @property
    def hours(self) -> int:
        """All hours of the module: classroom (the lessons' budgets, or the plan) and independent work."""
        return self.theory + self.practice + self.independent

    @property
    def standard(self) -> tuple[str, ...]:
        """The standard IDs of the module: proved by its lessons, or planned in the module map."""
        if self.planned:
            return self.module.standard
        order = {leaf: n for n, leaf in enumerate(load_standard().leaf_ids())}
        return tuple(sorted({i for o in self.outcomes for i in o.standard}, key=lambda i: order.get(i, 0)))


@dataclass(frozen=True)
class Programme:
    """The whole programme for one college's settings."""

    settings: Settings
    modules: tuple[ProgrammeModule, ...]
    coverage: Report

    def practice_of(self, pm: ProgrammeModule) -> int:
        """Hours of professional practice of a module: the settings' figure for a ПМ of the assistant card."""
        return self.settings.practice_hours if pm.block == "core" else 0

    def interim_of(self, pm: ProgrammeModule) -> int:
        """Hours of a module's interim attestation (its exam): the settings' figure for a ПМ of the assistant card."""
        return self.settings.interim_hours if pm.block == "core" else 0

    def module_total(self, pm: ProgrammeModule) -> int:
        """A module's hours with its professional practice and interim attestation."""
        return pm.hours + self.practice_of(pm) + self.interim_of(pm)

    @property
    def practice_hours(self) -> int:
        """All hours of professional practice."""
        return sum(self.practice_of(m) for m in self.modules)

    @property
    def interim_hours(self) -> int:
        """All hours of interim attestation."""
        return sum(self.interim_of(m) for m in self.modules)

    @property
    def hours(self) -> int:
        """All hours: the modules' teaching, professional practice, interim and final attestation."""
        return sum(self.module_total(m) for m in self.modules) + self.settings.final_hours

    @property
    def graded(self) -> tuple[GradedItem, ...]:
        """Every graded item of every included module."""
        return tuple(g for m in self.modules for g in m.graded)


def _cells(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["cells"])


def _source(cell: dict[str, Any]) -> str:
    return "".join(cell.get("source", ""))


def _tags(cell: dict[str, Any]) -> tuple[str, ...]:
    return tuple((cell.get("metadata", {}).get("smmkit") or {}).get("standard") or ())


def _title_and_objectives(title_cell: str) -> tuple[str, tuple[str, ...]]:
    first = title_cell.splitlines()[0].lstrip("# ").strip()
    title = first.split("·", 1)[1].strip() if "·" in first else first
    objectives: list[str] = []
    if "**Цели:**" in title_cell:
        for line in title_cell.split("**Цели:**", 1)[1].splitlines()[1:]:
            if not line.startswith("- "):
                if objectives:
                    break
                continue
            objectives.append(line[2:].strip().rstrip(";."))
    return title, tuple(objectives)


def _mistakes(root: Path, assignment: str) -> dict[str, list[str]]:
    """Typical mistakes (``tests/submissions/<assignment>.yaml``) by the graded cell they lose points on."""
    path = root / "tests" / "submissions" / f"{assignment}.yaml"
    if not path.exists():
        return {}
    out: dict[str, list[str]] = {}
    for sub in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("submissions", []):
        for grade_id in sub.get("expected") or {}:
            if sub.get("mistake") and sub["mistake"] not in out.setdefault(grade_id, []):
                out[grade_id].append(str(sub["mistake"]))
    return out


def graded_items(root: Path, master: Path) -> tuple[GradedItem, ...]:
    """The graded cells of an assignment master, in order, with their question, criteria and mistakes."""
    assignment = master.parent.name
    mistakes = _mistakes(root, assignment)
    items: list[GradedItem] = []
    question, prompt = "", ""
    for cell in _cells(master):
        source = _source(cell)
        m = QUESTION_RE.match(source.splitlines()[0]) if source and cell["cell_type"] == "markdown" else None
        if m:
            question, prompt = m[1], source
        nbg = cell.get("metadata", {}).get("nbgrader") or {}
        if not nbg.get("grade") or nbg.get("points") == 0:  # a 0-point code check (a05's Q7) grades nothing
            continue
        manual = cell["cell_type"] == "markdown" or bool(nbg.get("solution"))
        if manual:
            after = prompt.split("Критерии", 1)[1] if "Критерии" in prompt else ""
            criteria = tuple(re.sub(r"\s+", " ", c).strip()
                             for c in re.findall(r"^\d+\.\s+(.+?)(?=^\d+\.\s|\Z)", after, re.S | re.M))
        else:
            doc = DOCSTRING_RE.match(source)
            criteria = (re.sub(r"\s+", " ", doc[1]).strip(),) if doc else ()
        items.append(GradedItem(assignment, str(nbg["grade_id"]), question, float(nbg.get("points") or 0), manual,
                                _tags(cell), criteria, tuple(mistakes.get(str(nbg["grade_id"]), ()))))
    return tuple(items)


def _block(module: Module) -> str:
    if module.card == "A4":
        return "core"
    if module.card == "M6":
        return "advanced"
    return "intro" if module.number == "00" else "capstone"


def _outcomes(root: Path, module: Module, settings: Settings, report: Report,
              graded: tuple[GradedItem, ...]) -> tuple[Outcome, ...]:
    std = load_standard()
    by_path: dict[str, list[str]] = {}
    for e in report.evidence:
        if e.id not in by_path.setdefault(e.path, []):
            by_path[e.path].append(e.id)
    order = {leaf: n for n, leaf in enumerate(std.leaf_ids())}
    out: list[Outcome] = []
    lessons = sorted((root / "course" / module.folder).glob("*.ipynb"))
    for n, path in enumerate(lessons, start=1):
        title_cell = _source(_cells(path)[0])
        title, objectives = _title_and_objectives(title_cell)
        theory, practice = lesson_budget(title_cell)
        ids = tuple(sorted(by_path.get(path.relative_to(root).as_posix(), []), key=lambda i: order.get(i, 0)))
        mine = tuple(g for g in graded if set(g.standard) & set(ids))
        out.append(Outcome(f"{int(module.number)}.{n}", path.stem.split("-")[0], title, objectives, ids,
                           ceil_hours(theory, settings.academic_hour_minutes),
                           ceil_hours(practice, settings.academic_hour_minutes), mine))
    return tuple(out)


def build_programme(root: Path, settings: Settings) -> Programme:
    """The programme of the modules the settings name, from the course under ``root``."""
    report = coverage_report(root)
    modules: list[ProgrammeModule] = []
    for module in load_modules():
        if module.number not in settings.modules:
            continue
        masters = sorted((root / "solutions").glob(f"a{module.number}-*/a{module.number}-*.ipynb"))
        masters = [p for p in masters if p.stem == p.parent.name]
        graded = tuple(g for p in masters for g in graded_items(root, p)) if module.built else ()
        outcomes = _outcomes(root, module, settings, report, graded) if module.built else ()
        pm = ProgrammeModule(module, _block(module), outcomes, tuple(p.stem for p in masters) if module.built else (),
                             graded)
        modules.append(pm)
    return Programme(settings, tuple(modules), report)


def map_mismatches(root: Path, minutes: int = 45) -> list[str]:
    """Russian messages for every built module whose theory or practice hours in ``modules.yaml`` differ from its
    lessons' time budgets (each part of each lesson rounded up to academic hours of ``minutes``)."""
    out: list[str] = []
    for module in load_modules():
        if not module.built:
            continue
        lessons = sorted((root / "course" / module.folder).glob("*.ipynb"))
        budgets = [lesson_budget(_source(_cells(p)[0])) for p in lessons]
        theory = sum(ceil_hours(t, minutes) for t, _ in budgets)
        practice = sum(ceil_hours(p, minutes) for _, p in budgets)
        if (module.theory_hours, module.practice_hours) != (theory, practice):
            out.append(f"modules.yaml, модуль {module.number}: указано {module.theory_hours} ч теории и "
                       f"{module.practice_hours} ч практики, а уроки по своим бюджетам времени дают {theory} и "
                       f"{practice}; исправьте hours")
    return out


def levels_of(programme: Programme, leaf: str) -> dict[str, tuple[str, ...]]:
    """Where a leaf of the standard is introduced, practised and assessed (labels of the proving cells)."""
    c = programme.coverage.leaves[leaf]
    return {level: c.by(level) for level in LEVELS}
