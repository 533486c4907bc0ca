"""The instructor's guide (Russian), generated from the course: timing, what to show, where students get stuck,
how to grade the manual questions with their model answers, running with and without JupyterHub, and a short
pandas path for teachers (``guide.yaml`` holds the fixed texts and the path).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .documents import Bullets, Document, Heading, Para, Table, _head, _num
from .programme import Programme, lesson_budget

SECTION_RE = re.compile(r"^##\s+(\d+)\.\s+(.+)$")
SOLUTION_RE = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


@cache
def texts() -> dict[str, Any]:
    """The guide's fixed texts and the pandas path (``guide.yaml``)."""
    return dict(yaml.safe_load(resources.files("smmkit.curriculum").joinpath("guide.yaml").read_text(encoding="utf-8")))


def _cells(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["cells"])


def sections(path: Path) -> dict[int, tuple[str, str]]:
    """A lesson's concept sections: number → (title, the code of the section's cells joined)."""
    out: dict[int, tuple[str, str]] = {}
    current: int | None = None
    for cell in _cells(path):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and source.startswith("## "):
            m = SECTION_RE.match(source.splitlines()[0])
            current = int(m[1]) if m else None
            if m:
                out[current] = (m[2].strip(), "")
        elif cell["cell_type"] == "code" and current is not None:
            title, code = out[current]
            out[current] = (title, code + source + "\n")
    return out


def lesson_path(root: Path, lesson: str) -> Path:
    """The notebook of a lesson code such as ``01.02``."""
    [path] = sorted((root / "course").glob(f"{lesson[:2]}-*/{lesson}-*.ipynb"))
    return path


def model_answers(master: Path) -> dict[str, str]:
    """The model answers of the manually graded (markdown) cells of a master, by grade_id."""
    out: dict[str, str] = {}
    for cell in _cells(master):
        nbg = cell["metadata"].get("nbgrader", {})
        if nbg.get("grade") and cell["cell_type"] == "markdown":
            m = SOLUTION_RE.search("".join(cell["source"]))
            if m:
                out[nbg["grade_id"]] = m[1].strip()
    return out


def guide_document(programme: Programme, root: Path) -> Document:
    """The instructor's guide, in Russian."""
    t = texts()
    doc = Document("instructor-guide", "ru", _head(programme.settings, "ru", t["title"]))
    run = t["how_to_run"]
    doc.blocks += [Para(t["intro"]), Heading(run["heading"], 2), Para(run["with_hub"]), Para(run["without_hub"]),
                   Para(run["timing"]), Heading(t["modules_heading"], 2)]
    for pm in programme.modules:
        doc.blocks.append(Heading(f"{pm.module.number}. {pm.module.title}", 3))
        if pm.planned:
            doc.blocks.append(Para(t["planned"]))
            continue
        rows = []
        for path in sorted((root / "course" / pm.module.folder).glob("*.ipynb")):
            cells = _cells(path)
            theory, practice = lesson_budget("".join(cells[0]["source"]))
            shown = [f"§{n} {title}" for n, (title, _) in sections(path).items()]
            heads = ["".join(c["source"]).splitlines()[0] for c in cells
                     if c["cell_type"] == "markdown" and c["source"]]
            if "## Лаборатория" in heads:
                shown.append(t["show_lab"])
            exercises = sum(h.startswith("### Попробуйте") for h in heads)
            rows.append((path.stem.split("-")[0], str(theory), str(practice), "; ".join(shown), str(exercises)))
        doc.blocks.append(Table(tuple(t["lesson_table"]), tuple(rows)))
        for assignment in pm.assignments:
            items = [g for g in pm.graded if g.assignment == assignment]
            stuck = [f"{g.question}: {m}" for g in items for m in g.mistakes]
            if stuck:
                doc.blocks += [Para(t["stuck_heading"].format(assignment=assignment)), Bullets(tuple(stuck))]
            answers = model_answers(root / "solutions" / assignment / f"{assignment}.ipynb")
            for g in items:
                if not g.manual:
                    continue
                doc.blocks += [Para(t["manual_heading"].format(question=g.question, points=_num(g.points))),
                               Para(t["manual_criteria"]), Bullets(g.criteria)]
                if g.grade_id in answers:
                    doc.blocks += [Para(t["anchor"]), Para(answers[g.grade_id].replace("\n", " "))]
    doc.blocks += [Heading(t["pandas_heading"], 2), Para(t["pandas_intro"])]
    steps = []
    for step in t["pandas_path"]:
        title, _ = sections(lesson_path(root, step["lesson"]))[step["section"]]
        uses = ", ".join(f"`{u}`" for u in step["uses"])
        steps.append(f"{step['lesson']} §{step['section']} «{title}» — {step['what']} ({uses})")
    doc.blocks.append(Bullets(tuple(steps)))
    return doc
