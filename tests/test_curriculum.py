"""The standard as data (counts, IDs, texts) and the coverage report over notebooks."""

from __future__ import annotations

import csv
import io
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from smmkit.curriculum import (
    collect_declarations,
    coverage_report,
    format_report,
    load_standard,
    unknown_ids,
)
from smmkit.curriculum.coverage import main
from smmkit.curriculum.standard import ID_RE

REPO = Path(__file__).resolve().parents[1]

# (skills, knowledge) per task, as numbered in the standard's text.
TASK_COUNTS = {
    "A4-TF1-T1": (3, 3),
    "A4-TF2-T1": (3, 3),
    "A4-TF3-T1": (2, 3),
    "A4-TF4-T1": (5, 4),
    "A4-TF5-T1": (2, 4),
    "M6-TF1-T1": (10, 3),
    "M6-TF1-T2": (4, 4),
    "M6-TF2-T1": (7, 5),
    "M6-TF3-T1": (5, 5),
}
GLOSSARY_SIZE = 25
LEAVES = sum(u + z for u, z in TASK_COUNTS.values()) + GLOSSARY_SIZE


# --- the standard --------------------------------------------------------------------------------


def test_yaml_ships_inside_the_package() -> None:
    """standard.yaml is a package resource, so it is found from an installed wheel too."""
    assert resources.files("smmkit.curriculum").joinpath("standard.yaml").is_file()


def test_top_level() -> None:
    """Title, source and schema version."""
    std = load_standard()
    assert std.schema_version == 1
    assert std.title == "Менеджмент социальных сетей (SMM)"
    assert "Приложение № 88" in std.source and "«Атамекен»" in std.source
    assert "26.12.2019" in std.source and "263" in std.source
    assert load_standard() is std


def test_cards() -> None:
    """Two cards with their levels, goals and competences."""
    std = load_standard()
    assert [(c.id, c.title, c.ork_level) for c in std.cards] == [
        ("A4", "Помощник SMM-менеджера", 4),
        ("M6", "SMM-менеджер", 6),
    ]
    a4, m6 = std.cards
    assert a4.main_goal.startswith("Помощь в продвижении бренда компании")
    assert m6.main_goal.endswith("портрета посетителя страниц социальных сетей и сайта компании.")
    assert len(a4.personal_competences) == 6 and a4.personal_competences[0] == "Творческий подход к работе"
    assert "Стрессоустойчивость" in m6.personal_competences


def test_counts() -> None:
    """Functions, tasks, skills, knowledge and glossary counts as in the text."""
    std = load_standard()
    assert [f.id for f in std.functions] == [
        *(f"A4-TF{n}" for n in range(1, 6)),
        "M6-TF1",
        "M6-TF2",
        "M6-TF3",
    ]
    assert {t.id: (len(t.skills), len(t.knowledge)) for t in std.tasks} == TASK_COUNTS
    assert len(std.items) == 75 and sum(i.kind == "skill" for i in std.items) == 41
    assert len(std.glossary) == GLOSSARY_SIZE
    assert len(std.leaf_ids()) == LEAVES == 100
    assert len(std.ids()) == 2 + 8 + 9 + 75 + GLOSSARY_SIZE


def test_ids_unique_and_in_scheme() -> None:
    """Every ID matches the scheme, and numbering is positional."""
    std = load_standard()
    every = [c.id for c in std.cards] + [f.id for f in std.functions] + [t.id for t in std.tasks]
    every += [i.id for i in std.items] + [t.id for t in std.glossary]
    assert len(every) == len(set(every)) == len(std.ids())
    assert all(ID_RE.match(i) for i in every), [i for i in every if not ID_RE.match(i)]
    for task in std.tasks:
        assert [i.id for i in task.skills] == [f"{task.id}-U{n}" for n in range(1, len(task.skills) + 1)]
        assert [i.id for i in task.knowledge] == [
            f"{task.id}-Z{n}" for n in range(1, len(task.knowledge) + 1)
        ]
    for gl in (
        "GL-er",
        "GL-ctr",
        "GL-autoposting",
        "GL-retargeting",
        "GL-audience-core",
        "GL-end-to-end-analytics",
        "GL-yandex-metrica",
    ):
        assert gl in std.ids()


def test_texts() -> None:
    """Spot checks of the exact wording (spacing slips fixed)."""
    std = load_standard()
    assert (
        std.get("A4-TF1-T1-Z3").text
        == "Оптимальное время размещения публикаций для определенной целевой аудитории."
    )
    assert std.get("A4-TF1").title == "Заполнение контент-плана в программу автопостинга"
    assert std.get("M6-TF1-T2").text.startswith("Разработка системы лояльности")
    assert (
        std.get("M6-TF1-T1-U10").text
        == "Интегрировать SMM-активности в общую маркетинговую стратегию компании."
    )
    assert std.get("M6-TF3-T1-U1").text == "Нейтрализовывать негативные комментарии в онлайн-сообществах."
    assert std.get("A4-TF5-T1-Z1").text.endswith("Canva, Snapseed и др.")
    assert std.get("A4-TF3-T1-U2").text == "Запрашивать и получать необходимую информацию от партнеров."
    assert std.get("A4-TF1-T1-U2").text == "Работать в SMM"  # Latin letters, not Cyrillic «М»
    er = std.get("GL-er")
    assert (er.kind, er.text, er.definition) == ("term", "ER", "показатель вовлеченности.")
    assert std.get("GL-end-to-end-analytics").text == "Сквозная аналитика"
    texts = [i.text for i in std.items] + [t.definition for t in std.glossary]
    assert not any("  " in t or t != t.strip() for t in texts)


def test_get_kinds_and_parents() -> None:
    """get() gives kind, text and the parent chain, root first."""
    std = load_standard()
    assert (std.get("M6").kind, std.get("M6").parents) == ("card", ())
    assert (std.get("M6-TF1").kind, std.get("M6-TF1").parents) == ("function", ("M6",))
    assert std.get("M6-TF1-T2").kind == "task"
    skill = std.get("M6-TF1-T2-U3")
    assert (skill.kind, skill.parents, skill.parent) == ("skill", ("M6", "M6-TF1", "M6-TF1-T2"), "M6-TF1-T2")
    assert std.get("M6-TF1-T2-Z3").kind == "knowledge"
    assert std.leaves_under("A4-TF3") == (
        "A4-TF3-T1-U1",
        "A4-TF3-T1-U2",
        "A4-TF3-T1-Z1",
        "A4-TF3-T1-Z2",
        "A4-TF3-T1-Z3",
    )


def test_unknown_id_raises_russian_keyerror() -> None:
    """Unknown IDs raise KeyError naming the ID in Russian."""
    with pytest.raises(KeyError, match="В стандарте нет ID «A4-TF9»"):
        load_standard().get("A4-TF9")


# --- notebooks in the repository -----------------------------------------------------------------


def test_repo_notebooks_name_only_existing_ids() -> None:
    """Every ID that a lesson or assignment master in this repo names exists in the standard."""
    assert unknown_ids(REPO) == []


# --- fixtures: fake notebooks ----------------------------------------------------------------------


def _nb(path: Path, ids: list[str] | None = None, cells: list[dict[str, Any]] | None = None) -> Path:
    """Write a minimal notebook as JSON, with notebook-level standard IDs."""
    meta: dict[str, Any] = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    if ids is not None:
        meta["smmkit"] = {"standard": ids}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": cells or []}),
        encoding="utf-8",
    )
    return path


def _cell(grade_id: str | None, ids: list[str] | None, graded: bool = True) -> dict[str, Any]:
    """A code cell, optionally nbgrader-graded and carrying standard IDs."""
    meta: dict[str, Any] = {}
    if grade_id is not None:
        meta["nbgrader"] = {"grade": graded, "grade_id": grade_id, "points": 1, "solution": False}
    if ids is not None:
        meta["smmkit"] = {"standard": ids}
    return {"cell_type": "code", "metadata": meta, "source": "", "outputs": [], "execution_count": None}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A fake repo: one lesson naming 2 leaves, one master with a leaf-level and a task-level graded cell."""
    _nb(tmp_path / "course/01-basics/01.02-er.ipynb", ["A4-TF1-T1-U1", "GL-er"])
    _nb(tmp_path / "course/01-basics/.ipynb_checkpoints/01.02-er-checkpoint.ipynb", ["NOPE"])
    cells = [
        _cell(None, None),
        _cell("q1-er", ["GL-er"]),
        _cell("q2-task", ["M6-TF2-T1"]),
        _cell("not-graded", ["M6-TF3-T1-U1"], graded=False),
    ]
    _nb(tmp_path / "solutions/a01-er/a01-er.ipynb", ["A4-TF1"], cells)
    _nb(tmp_path / "solutions/a01-er/other.ipynb", ["NOPE"])
    return tmp_path


def test_empty_root_has_no_declarations(tmp_path: Path) -> None:
    """No course/ or solutions/ yet: nothing declared, nothing unknown, everything uncovered."""
    assert collect_declarations(tmp_path) == [] and unknown_ids(tmp_path) == []
    report = coverage_report(tmp_path)
    assert report.overall.total == LEAVES and report.overall.either == 0


def test_declarations(course: Path) -> None:
    """Lessons, assignments and graded items with labels and relative paths."""
    got = [(d.path, d.kind, d.label, d.ids) for d in collect_declarations(course)]
    assert got == [
        ("course/01-basics/01.02-er.ipynb", "lesson", "01.02-er", ("A4-TF1-T1-U1", "GL-er")),
        ("solutions/a01-er/a01-er.ipynb", "assignment", "a01-er", ("A4-TF1",)),
        ("solutions/a01-er/a01-er.ipynb", "graded-item", "a01-er:q1-er", ("GL-er",)),
        ("solutions/a01-er/a01-er.ipynb", "graded-item", "a01-er:q2-task", ("M6-TF2-T1",)),
    ]
    assert unknown_ids(course) == []


def test_bad_ids_are_found(course: Path) -> None:
    """A lesson or a graded cell naming an ID that does not exist is reported."""
    _nb(course / "course/02-x/02.01-bad.ipynb", ["A4-TF1-T1-U9", "A4-TF1-T1-U1"])
    _nb(course / "solutions/a02-bad/a02-bad.ipynb", [], [_cell("q1", ["GL-nope"])])
    assert unknown_ids(course) == [
        ("course/02-x/02.01-bad.ipynb", "A4-TF1-T1-U9"),
        ("solutions/a02-bad/a02-bad.ipynb", "GL-nope"),
    ]


def test_coverage(course: Path) -> None:
    """Taught/assessed sets and shares; a task-level ID covers none of its leaves."""
    report = coverage_report(course)
    assert report.taught_ids() == {"A4-TF1-T1-U1", "GL-er"}
    assert report.assessed_ids() == {"GL-er"}
    assert report.leaves["GL-er"].taught_by == ("01.02-er",)
    assert report.leaves["GL-er"].assessed_by == ("a01-er:q1-er",)
    assert not any(report.leaves[i].covered for i in load_standard().leaves_under("M6-TF2-T1"))
    assert (report.overall.total, report.overall.taught, report.overall.assessed, report.overall.either) == (
        LEAVES,
        2,
        1,
        2,
    )
    assert report.overall.taught_share == pytest.approx(0.02)
    a4, m6, gl = report.shares["A4"], report.shares["M6"], report.shares["GL"]
    assert (a4.total, a4.taught, a4.assessed) == (32, 1, 0)
    assert (m6.total, m6.either) == (43, 0)
    assert (gl.total, gl.taught, gl.assessed) == (GLOSSARY_SIZE, 1, 1)
    assert gl.assessed_share == pytest.approx(1 / GLOSSARY_SIZE)


def test_table(course: Path) -> None:
    """The Russian table has both card headers, rows with lessons/graded items and a summary."""
    table = format_report(coverage_report(course))
    assert "Карточка A4 · Помощник SMM-менеджера (ОРК 4)" in table
    assert "Карточка M6 · SMM-менеджер (ОРК 6)" in table
    assert "Глоссарий" in table and "Оценивается" in table and "Содержание" in table
    row = next(line for line in table.splitlines() if line.strip().startswith("GL-er "))
    assert "01.02-er" in row and "a01-er:q1-er" in row
    assert f"Покрытие: преподаётся 2 из {LEAVES} (2%), оценивается 1 из {LEAVES} (1%)" in table
    assert max(len(line.split(" | ")[1]) for line in table.splitlines() if " | " in line) <= 60


def test_csv_and_json(course: Path) -> None:
    """csv and json are machine-readable and agree with the report."""
    report = coverage_report(course)
    rows = list(csv.DictReader(io.StringIO(format_report(report, "csv"))))
    assert len(rows) == LEAVES
    er = next(r for r in rows if r["id"] == "GL-er")
    assert (er["taught"], er["assessed"], er["assessed_by"]) == ("1", "1", "a01-er:q1-er")
    data = json.loads(format_report(report, "json"))
    assert data["summary"]["overall"]["taught"] == 2 and len(data["leaves"]) == LEAVES
    assert data["standard"]["schema_version"] == 1 and data["unknown_ids"] == []
    with pytest.raises(ValueError, match="Неизвестный формат"):
        format_report(report, "xml")


def test_main_exit_codes(course: Path) -> None:
    """main() returns 0 when all IDs exist, 1 with a Russian error list otherwise."""
    out, err = io.StringIO(), io.StringIO()
    assert main(course, "table", out=out, err=err) == 0
    assert "Покрытие:" in out.getvalue() and err.getvalue() == ""
    _nb(course / "course/02-x/02.01-bad.ipynb", ["A4-TF6"])
    out, err = io.StringIO(), io.StringIO()
    assert main(course, "json", out=out, err=err) == 1
    json.loads(out.getvalue())
    assert re.search(r"ID, которых нет в стандарте", err.getvalue())
    assert "course/02-x/02.01-bad.ipynb: «A4-TF6»" in err.getvalue()
