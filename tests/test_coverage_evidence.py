"""Coverage with evidence (course/README.md «Evidence»): what counts, what is ignored and why, the floor, links.

The gaming move of issue 10 (every ID tagged on 00.00, on the a01 memo cell, on a test cell without a failing
typical mistake, on a markdown that is not a numbered section, on a «Попробуйте» without an exercise cell) is
repeated in scratch courses and must not raise any figure.
"""

from __future__ import annotations

import io
import json
import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

from smmkit.curriculum import coverage_report, load_standard
from smmkit.curriculum import links as lk
from smmkit.curriculum.coverage import (
    FLOOR_COMMAND,
    FLOOR_PATH,
    floor_drops,
    floor_rises,
    format_report,
    load_floor,
    main,
    write_floor,
)
from smmkit.curriculum.modules import parse_modules

REPO = Path(__file__).resolve().parents[1]
A = "a01-posting-schedule"
STD = load_standard()


# --- scratch-course builders ---------------------------------------------------------------------


def md(text: str, ids: list[str] | None = None) -> dict[str, Any]:
    """A markdown cell, optionally tagged."""
    meta = {"smmkit": {"standard": ids}} if ids else {}
    return {"cell_type": "markdown", "metadata": meta, "source": text}


def code(text: str = "", ids: list[str] | None = None, nbgrader: dict[str, Any] | None = None) -> dict[str, Any]:
    """A code cell, optionally tagged and with nbgrader metadata."""
    meta: dict[str, Any] = {"smmkit": {"standard": ids}} if ids else {}
    if nbgrader:
        meta["nbgrader"] = {"schema_version": 3, "locked": False, "task": False, **nbgrader}
    return {"cell_type": "code", "metadata": meta, "source": text, "outputs": [], "execution_count": None}


def answer(grade_id: str, ids: list[str] | None = None) -> dict[str, Any]:
    """An autograded answer cell."""
    nbg = {"grade_id": grade_id, "solution": True, "grade": False}
    return code("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", ids, nbg)


def graded(grade_id: str, points: int, ids: list[str] | None = None) -> dict[str, Any]:
    """An autograded test cell."""
    nbg = {"grade_id": grade_id, "grade": True, "solution": False, "points": points}
    return code('"""Проверка."""\nassert x', ids, nbg)


def memo(ids: list[str] | None = None) -> dict[str, Any]:
    """A manually graded written answer (markdown, grade and solution)."""
    cell = md("### BEGIN SOLUTION\nЗаписка.\n### END SOLUTION", ids)
    cell["metadata"]["nbgrader"] = {"grade_id": "q9-memo", "grade": True, "solution": True, "points": 3}
    return cell


def write_nb(path: Path, cells: list[dict[str, Any]], ids: list[str] | None = None) -> Path:
    """Write a notebook (one-space JSON, as stored), with optional notebook-level tags."""
    meta: dict[str, Any] = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    if ids:
        meta["smmkit"] = {"standard": ids}
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = {"nbformat": 4, "nbformat_minor": 4, "metadata": meta, "cells": cells}
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_subs(root: Path, assignment: str, submissions: list[dict[str, Any]]) -> None:
    """Write tests/submissions/<assignment>.yaml in the rules-v2 format."""
    path = root / "tests" / "submissions" / f"{assignment}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"assignment": assignment, "submissions": submissions}, allow_unicode=True))


def modules_map(entries: dict[str, list[str]]) -> tuple:
    """A module map with the given standard lists per module number."""
    raw = [
        {"number": n, "slug": f"m{n}", "title": f"Модуль {n}", "standard": ids, "status": "built",
         "hours": {"theory": 1, "practice": 1}}
        for n, ids in sorted(entries.items())
    ]
    return parse_modules({"modules": raw})


MODULES = modules_map(
    {
        "00": [],
        "01": ["A4-TF1-T1-U1", "A4-TF1-T1-U3", "A4-TF1-T1-Z1", "A4-TF1-T1-Z3", "GL-er"],
        "05": ["A4-TF5-T1-Z2"],
        "06": ["M6-TF1-T1-U6", "M6-TF1-T1-U7"],
        "07": ["M6-TF1-T2-U3"],
        "08": ["M6-TF2-T1-Z1"],
        "09": ["M6-TF2-T1-Z1.1"],
    }
)
EVERY_ID = sorted(STD.ids())


def lesson_cells(ids: dict[str, list[str]]) -> list[dict[str, Any]]:
    """A lesson following the template, with the given tags per cell role."""
    return [
        md("# 01.01 · Урок\n> Зачем.\n\n**Цели:** …\n\n⏱ **Время:** 10 мин", ids.get("title")),
        code("from smmkit import datasets", ids.get("setup")),
        md("## Сценарий и данные\n\nИстория.", ids.get("scenario")),
        md("## 1. Часовой пояс\n\nТекст.", ids.get("section")),
        code("df.head()", ids.get("demo")),
        md("### Попробуйте\n\nЗадание.", ids.get("exercise")),
        code("# ваш код\n", ids.get("exercise_cell")),
        md("<details><summary>Решение</summary>…</details>"),
        md("### Попробуйте ещё\n\nЗадание без ячейки.", ids.get("exercise_no_cell")),
        md("<details><summary>Решение</summary>…</details>"),
        md("### Попробуйте\n\nЗадание, за которым готовый код.", ids.get("exercise_filled")),
        code("result = df.mean()"),
        md("## Главное\n\n- …", ids.get("summary")),
        md("## Связь со стандартом\n\n- …", ids.get("links")),
    ]


def master_cells(ids: dict[str, list[str]]) -> list[dict[str, Any]]:
    """An assignment master: two questions (answer + test cell), a memo."""
    return [
        md("# Задание 01", ids.get("intro")),
        answer("q1-answer", ids.get("q1-answer")),
        graded("q1-tests", 2, ids.get("q1-tests")),
        answer("q2-answer", ids.get("q2-answer")),
        graded("q2-tests", 3, ids.get("q2-tests")),
        memo(ids.get("memo")),
    ]


@pytest.fixture
def honest(tmp_path: Path) -> Path:
    """A scratch course whose tags are all on cells that prove them."""
    write_nb(
        tmp_path / "course/01-basics/01.01-time.ipynb",
        lesson_cells({"section": ["A4-TF1-T1-Z3", "GL-er"], "exercise": ["A4-TF1-T1-U3"]}),
    )
    write_nb(
        tmp_path / "solutions/a01-x/a01-x.ipynb",
        master_cells({"q1-answer": ["A4-TF1-T1-U1"], "q1-tests": ["A4-TF1-T1-Z3"], "q2-tests": ["GL-er"]}),
    )
    write_subs(
        tmp_path,
        "a01-x",
        [
            {"name": "q1-utc", "standard": ["A4-TF1-T1-Z3"], "expected": {"q1-tests": 0}},
            {"name": "q2-ok", "standard": ["GL-er"], "expected": {"q2-tests": 3}},  # loses nothing
        ],
    )
    return tmp_path


# --- what counts ----------------------------------------------------------------------------------


def test_tags_on_proving_cells_count(honest: Path) -> None:
    """A numbered section introduces, an exercise or an answer cell practises, a failing mistake assesses."""
    r = coverage_report(honest, MODULES)
    z3, er, u1, u3 = (r.leaves[i] for i in ("A4-TF1-T1-Z3", "GL-er", "A4-TF1-T1-U1", "A4-TF1-T1-U3"))
    assert z3.introduced_by == ("01.01-time §1",) and z3.assessed_by == ("a01-x:q1-tests",)
    assert u3.practised_by == ("01.01-time упр. 1",) and not u3.introduced
    assert u1.practised_by == ("a01-x:q1-answer",) and not u1.assessed
    assert er.introduced and not er.assessed  # its only typical mistake does not lose points on q2-tests
    assert r.ids("covered") == {"A4-TF1-T1-Z3", "GL-er", "A4-TF1-T1-U1", "A4-TF1-T1-U3"}
    assert (r.overall.introduced, r.overall.practised, r.overall.assessed, r.overall.covered) == (2, 2, 1, 4)
    assert (r.shares["A4"].covered, r.shares["GL"].covered, r.shares["M6"].covered) == (3, 1, 0)
    reasons = {(g.label, g.id): g.reason for g in r.ignored}
    assert "нет типичной ошибки" in reasons[("a01-x:q2-tests", "GL-er")]
    assert r.unknown == ()


def test_the_gaming_move_counts_for_nothing(honest: Path) -> None:
    """Every ID tagged where there is no evidence: the figures do not move, every tag is listed with a reason."""
    before = coverage_report(honest, MODULES).figures()
    roles = ("title", "setup", "scenario", "demo", "exercise_no_cell", "exercise_filled", "summary", "links",
             "exercise_cell")
    write_nb(honest / "course/00-intro/00.00-welcome.ipynb", lesson_cells(dict.fromkeys([*roles, "section",
             "exercise"], EVERY_ID)), EVERY_ID)
    honest_cells = {"section": ["A4-TF1-T1-Z3", "GL-er", "A4-TF2-T1-U1"], "exercise": ["A4-TF1-T1-U3"]}
    write_nb(honest / "course/01-basics/01.01-time.ipynb", lesson_cells({**dict.fromkeys(roles, EVERY_ID),
             **honest_cells}), EVERY_ID)
    gamed = {"q1-answer": ["A4-TF1-T1-U1"], "q1-tests": ["A4-TF1-T1-Z3"], "q2-tests": EVERY_ID, "intro": EVERY_ID,
             "memo": EVERY_ID}
    write_nb(honest / "solutions/a01-x/a01-x.ipynb", master_cells(gamed), EVERY_ID)
    r = coverage_report(honest, MODULES)
    assert r.figures() == before
    assert r.unknown == ()
    why = {(g.label, g.id): g.reason for g in r.ignored}
    assert why[("00.00-welcome §1", "A4-TF1-T1-Z3")] == "модуль 00 не включает этот пункт в modules.yaml"
    assert why[("01.01-time ячейка 1", "A4-TF1-T1-Z3")] == "заголовок урока ничего не доказывает"
    assert "ячейка кода урока" in why[("01.01-time ячейка 5", "A4-TF1-T1-Z3")]
    assert "поставьте её на ячейку «### Попробуйте»" in why[("01.01-time ячейка 7", "A4-TF1-T1-Z3")]
    assert "нет пустой ячейки кода" in why[("01.01-time ячейка 9", "A4-TF1-T1-Z3")]
    assert "нет пустой ячейки кода" in why[("01.01-time ячейка 11", "A4-TF1-T1-Z3")]
    assert "не раздел «## N. …»" in why[("01.01-time ячейка 13", "GL-er")]
    assert "не раздел «## N. …»" in why[("01.01-time ячейка 14", "GL-er")]
    assert "схемой оценивания" in why[("a01-x:q9-memo", "A4-TF1-T1-Z3")]  # a memo without anchors
    assert "нет типичной ошибки" in why[("a01-x:q2-tests", "A4-TF1-T1-Z3")]
    assert "метки всего блокнота" in why[("a01-x: метаданные блокнота", "GL-er")]
    assert why[("01.01-time §1", "A4-TF2-T1-U1")] == "модуль 01 не включает этот пункт в modules.yaml"
    assert "задача целиком" in why[("00.00-welcome §1", "A4-TF1-T1")]
    assert "личностные компетенции" in why[("00.00-welcome §1", "A4-PC1")]
    assert "составной пункт" in why[("00.00-welcome §1", "M6-TF2-T1-Z1")]
    assert all(g.reason for g in r.ignored)
    table = format_report(r)
    assert "Не засчитано" in table and "00.00-welcome §1: A4-TF1-T1-Z3 — модуль 00 не включает" in table


def test_a_manual_task_with_a_mark_scheme_and_two_anchors_is_listed_not_counted(honest: Path) -> None:
    """A written answer graded by the instructor shows where a skill is assessed by a mark scheme (the programme
    documents need it) without raising the figures; without the scheme and both anchors it is ignored."""
    before = coverage_report(honest, MODULES).figures()
    master = honest / "solutions/a01-x/a01-x.ipynb"
    nb = json.loads(master.read_text(encoding="utf-8"))
    nb["cells"][-1]["source"] = ("### BEGIN SOLUTION\n**Сильный ответ (3 балла из 3).** …\n"
                                 "**Слабый ответ (1 балл из 3).** …\n**Схема оценивания.** По 1 баллу за критерий.\n"
                                 "### END SOLUTION")
    nb["cells"][-1]["metadata"]["smmkit"] = {"standard": ["A4-TF1-T1-Z1", "A4-TF2-T1-U1"]}
    master.write_text(json.dumps(nb), encoding="utf-8")
    r = coverage_report(honest, MODULES)
    assert r.figures() == before
    assert r.leaves["A4-TF1-T1-Z1"].manual_by == ("a01-x:q9-memo",) and not r.leaves["A4-TF1-T1-Z1"].covered
    why = {(g.label, g.id): g.reason for g in r.ignored}
    assert why[("a01-x:q9-memo", "A4-TF2-T1-U1")] == "модуль 01 не включает этот пункт в modules.yaml"
    assert "оценено преподавателем: a01-x:q9-memo" in format_report(r)
    nb["cells"][-1]["source"] = nb["cells"][-1]["source"].replace("Слабый", "Другой")
    master.write_text(json.dumps(nb), encoding="utf-8")
    r = coverage_report(honest, MODULES)
    assert r.leaves["A4-TF1-T1-Z1"].manual_by == ()
    assert "схемой оценивания" in {(g.label, g.id): g.reason for g in r.ignored}[("a01-x:q9-memo", "A4-TF1-T1-Z1")]


def _copy_course(src: Path, dst: Path) -> None:
    """Copy the repository's lessons, assignment master and submissions into a scratch root."""
    shutil.copytree(src / "course", dst / "course", ignore=shutil.ignore_patterns("*.md", ".ipynb_checkpoints"))
    shutil.copytree(src / "solutions" / A, dst / "solutions" / A, ignore=shutil.ignore_patterns("*.csv"))
    (dst / "tests" / "submissions").mkdir(parents=True)
    if (src / "tests" / "submissions" / f"{A}.yaml").is_file():
        shutil.copy(src / "tests" / "submissions" / f"{A}.yaml", dst / "tests" / "submissions")


def _tag_all(cell: dict[str, Any]) -> None:
    """Add every ID of the standard to a cell's tags."""
    cell.setdefault("metadata", {}).setdefault("smmkit", {})["standard"] = EVERY_ID


def test_gaming_the_real_course_adds_nothing(tmp_path: Path) -> None:
    """Issue 10's move on a copy of this repository: all IDs on 00.00, the memo, titles, «Главное», links."""
    _copy_course(REPO, tmp_path)
    before = coverage_report(tmp_path).figures()
    welcome = tmp_path / "course/00-intro/00.00-welcome.ipynb"
    nb = json.loads(welcome.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        _tag_all(cell)
    nb["metadata"]["smmkit"] = {"standard": EVERY_ID}
    welcome.write_text(json.dumps(nb), encoding="utf-8")
    for path in (tmp_path / "course").rglob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            head = "".join(cell["source"]).strip().split("\n")[0]
            if head.startswith(("# ", "## Главное", "## Связь со стандартом", "## Сценарий")):
                _tag_all(cell)
        path.write_text(json.dumps(nb), encoding="utf-8")
    master = tmp_path / "solutions" / A / f"{A}.ipynb"
    nb = json.loads(master.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        nbg = cell["metadata"].get("nbgrader", {})
        manual = nbg.get("grade") and cell["cell_type"] == "markdown"
        if manual or not (nbg.get("grade") or nbg.get("solution")):
            _tag_all(cell)  # the memo and every prompt
    nb["metadata"]["smmkit"] = {"standard": EVERY_ID}
    master.write_text(json.dumps(nb), encoding="utf-8")
    after = coverage_report(tmp_path)
    assert after.figures() == before
    assert after.unknown == ()
    assert {g.id for g in after.ignored} >= set(STD.leaf_ids())


# --- repeats and parts ----------------------------------------------------------------------------


def test_a_repeat_counts_once_for_its_original(tmp_path: Path) -> None:
    """M6-TF1-T2-U1 repeats M6-TF1-T1-U6: its tag counts for the original, and it is no leaf of its own."""
    cells = lesson_cells({"section": ["M6-TF1-T2-U1", "M6-TF1-T1-U6"], "exercise": ["M6-TF1-T2-U2"]})
    write_nb(tmp_path / "course/06-strategy/06.01-x.ipynb", cells)
    write_nb(tmp_path / "course/07-loyalty/07.01-x.ipynb", lesson_cells({"section": ["M6-TF1-T2-U1"]}))
    r = coverage_report(tmp_path, MODULES)
    assert "M6-TF1-T2-U1" not in r.leaves and "M6-TF1-T2-U2" not in r.leaves
    assert r.leaves["M6-TF1-T1-U6"].introduced_by == ("06.01-x §1",)
    assert r.leaves["M6-TF1-T1-U7"].practised_by == ("06.01-x упр. 1",)
    assert r.shares["M6"].covered == 2
    why = {(g.label, g.id): g.reason for g in r.ignored}
    assert why == {("07.01-x §1", "M6-TF1-T2-U1"): "модуль 07 не включает этот пункт в modules.yaml"}


def test_parts_are_covered_separately(tmp_path: Path) -> None:
    """A part counts for itself; the compound ID covers nothing; a compound in the map stands for its parts."""
    cells = lesson_cells({"section": ["M6-TF2-T1-Z1.2", "M6-TF2-T1-Z1"]})
    write_nb(tmp_path / "course/08-ads/08.01-x.ipynb", cells)
    write_nb(tmp_path / "course/09-eff/09.01-x.ipynb", lesson_cells({"section": ["M6-TF2-T1-Z1.1", "M6-TF2-T1-Z1.3"]}))
    r = coverage_report(tmp_path, MODULES)
    assert "M6-TF2-T1-Z1" not in r.leaves
    assert r.ids("introduced") == {"M6-TF2-T1-Z1.2", "M6-TF2-T1-Z1.1"}
    why = {(g.label, g.id): g.reason for g in r.ignored}
    assert why[("08.01-x §1", "M6-TF2-T1-Z1")].startswith("составной пункт не засчитывается сам по себе")
    assert "M6-TF2-T1-Z1.1, M6-TF2-T1-Z1.2" in why[("08.01-x §1", "M6-TF2-T1-Z1")]
    assert why[("09.01-x §1", "M6-TF2-T1-Z1.3")] == "модуль 09 не включает этот пункт в modules.yaml"


def test_assessed_needs_the_same_leaf_in_the_mistake(tmp_path: Path) -> None:
    """A mistake naming a repeat counts for the original; naming another item or a compound does not."""
    write_nb(
        tmp_path / "solutions/a06-x/a06-x.ipynb",
        master_cells({"q1-tests": ["M6-TF1-T1-U6"], "q2-tests": ["M6-TF1-T1-U7"]}),
    )
    write_subs(
        tmp_path,
        "a06-x",
        [
            {"name": "strategy", "standard": ["M6-TF1-T2-U1"], "expected": {"q1-tests": 1}},
            {"name": "other", "standard": ["M6-TF1-T1-U6"], "expected": {"q2-tests": 0}},
        ],
    )
    r = coverage_report(tmp_path, MODULES)
    assert r.ids("assessed") == {"M6-TF1-T1-U6"}
    assert r.leaves["M6-TF1-T1-U6"].assessed_by == ("a06-x:q1-tests",)


def test_unknown_ids_fail_with_a_russian_list(honest: Path) -> None:
    """Unknown IDs in a cell tag or in a submission's standard: listed, exit code 1."""
    write_nb(honest / "course/01-basics/01.02-bad.ipynb", lesson_cells({"section": ["A4-TF1-T1-U9"]}))
    write_subs(honest, "a01-x", [{"name": "bad", "standard": ["GL-nope"], "expected": {}}])
    out, err = io.StringIO(), io.StringIO()
    assert main(honest, "table", out=out, err=err, floor_path=honest / "floor.yaml") == 1
    assert "course/01-basics/01.02-bad.ipynb: «A4-TF1-T1-U9»" in err.getvalue()
    assert "tests/submissions/a01-x.yaml: «GL-nope»" in err.getvalue()
    assert "ID, которых нет в стандарте" in err.getvalue()


def test_old_submissions_format_assesses_nothing(honest: Path) -> None:
    """A submissions file without a `submissions:` list (the old format) names no mistake."""
    path = honest / "tests" / "submissions" / "a01-x.yaml"
    path.write_text(yaml.safe_dump({"assignment": "a01-x", "answers": {}, "expected": {"q1-tests": 0}}))
    assert coverage_report(honest, MODULES).overall.assessed == 0


# --- the floor ------------------------------------------------------------------------------------


def test_repository_figures_do_not_drop_below_the_floor() -> None:
    """The committed figures are a floor: a drop fails (and a rise asks for the floor to be raised)."""
    report = coverage_report(REPO)
    drops = floor_drops(report, load_floor())
    assert not drops, (
        "покрытие стандарта упало ниже закреплённого порога "
        f"({FLOOR_PATH.name}):\n  " + "\n  ".join(drops)
        + f"\nЕсли цифры выросли в другом месте — обновите порог: `{FLOOR_COMMAND}`."
    )
    rises = floor_rises(report, load_floor())
    if rises:
        warnings.warn(f"покрытие выросло — поднимите порог: `{FLOOR_COMMAND}` ({'; '.join(rises)})", stacklevel=1)


def test_floor_file_lists_every_group_and_figure() -> None:
    """The committed floor has A4, M6, GL and total, each with the three levels and covered."""
    floor = load_floor()
    assert set(floor) == {"A4", "M6", "GL", "total"}
    assert all(set(f) == {"introduced", "practised", "assessed", "covered"} for f in floor.values())


def test_update_floor_raises_and_refuses_a_drop(honest: Path) -> None:
    """--update-floor writes the figures; after a drop it refuses (exit 1) and keeps the old floor."""
    floor = honest / "floor.yaml"
    out, err = io.StringIO(), io.StringIO()
    assert main(honest, update_floor=True, out=out, err=err, floor_path=floor) == 0
    written = load_floor(floor)
    assert written["total"]["covered"] == coverage_report(honest).overall.covered
    assert FLOOR_COMMAND in floor.read_text(encoding="utf-8")
    write_nb(honest / "course/01-basics/01.01-time.ipynb", lesson_cells({}))
    out, err = io.StringIO(), io.StringIO()
    assert main(honest, check_floor=True, out=out, err=err, floor_path=floor) == 1
    assert "упало ниже закреплённого порога" in err.getvalue()
    assert main(honest, update_floor=True, out=io.StringIO(), err=io.StringIO(), floor_path=floor) == 1
    assert load_floor(floor) == written
    assert write_floor(coverage_report(honest), honest / "fresh.yaml") == []


# --- «Связь со стандартом» ------------------------------------------------------------------------


def test_links_write_then_check(tmp_path: Path) -> None:
    """--write renders counted tags with levels and notes; --check then passes, and fails after a tag change."""
    lesson = write_nb(
        tmp_path / "course/05-content/05.01-video.ipynb",
        lesson_cells({"section": ["A4-TF5-T1-Z2.2", "A4-TF5-T1-Z2.1"], "exercise": ["A4-TF5-T1-Z2.2"],
                      "title": ["A4-TF5-T1-Z2.3"]}),
    )
    assert lk.stale(lesson, tmp_path, MODULES) == "раздел не совпадает с метками ячеек"
    out = io.StringIO()
    assert lk.main(tmp_path, [lesson], out=out, err=io.StringIO(), modules=MODULES) == 0
    assert "обновлён: course/05-content/05.01-video.ipynb" in out.getvalue()
    cells = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
    section = "".join(next(c for c in cells if "".join(c["source"]).startswith("## Связь со стандартом"))["source"])
    assert "- **A4-TF5-T1-Z2.1** (введено) — «Инструменты Adobe Premiere Pro»" in section
    assert "- **A4-TF5-T1-Z2.2** (введено, отработано)" in section
    assert "VEGAS Pro" in section and "«Adobe Premier Pro»" in section and "*Примечание.*" in section
    assert "A4-TF5-T1-Z2.3" not in section  # a tag on the title counts for nothing
    assert section.index("Z2.1") < section.index("Z2.2")
    err = io.StringIO()
    assert lk.main(tmp_path, [lesson], check=True, out=io.StringIO(), err=err, modules=MODULES) == 0
    assert lk.main(tmp_path, [lesson], out=io.StringIO(), err=io.StringIO(), modules=MODULES) == 0  # idempotent
    write_nb(lesson, lesson_cells({"section": ["A4-TF5-T1-Z2.4"]}))
    err = io.StringIO()
    assert lk.main(tmp_path, [], check=True, out=io.StringIO(), err=err, modules=MODULES) == 1
    assert "устарел: course/05-content/05.01-video.ipynb" in err.getvalue()
    assert "smmkit curriculum links --write" in err.getvalue()


def test_links_appends_a_missing_section_and_says_when_nothing_counts(tmp_path: Path) -> None:
    """A lesson without the section gets one at the end; with no counted tag it says so."""
    lesson = write_nb(tmp_path / "course/00-intro/00.00-x.ipynb", lesson_cells({"section": ["GL-er"]})[:-1])
    assert lk.stale(lesson, tmp_path, MODULES) == "нет раздела «## Связь со стандартом»"
    assert lk.write(lesson, tmp_path, MODULES)
    last = json.loads(lesson.read_text(encoding="utf-8"))["cells"][-1]
    assert "".join(last["source"]).startswith("## Связь со стандартом\n\nЭтот урок не вводит и не отрабатывает")
    assert not lk.write(lesson, tmp_path, MODULES)


def test_links_fail_on_unknown_ids(tmp_path: Path) -> None:
    """An unknown ID in a lesson's tags makes the links command fail with a Russian error."""
    lesson = write_nb(tmp_path / "course/01-basics/01.01-x.ipynb", lesson_cells({"section": ["A4-TF1-T1-U99"]}))
    err = io.StringIO()
    assert lk.main(tmp_path, [lesson], out=io.StringIO(), err=err, modules=MODULES) == 1
    assert "«A4-TF1-T1-U99»" in err.getvalue()


def test_links_cut_a_merged_section_into_its_own_cell(tmp_path: Path) -> None:
    """A section sitting below «Главное» in one cell is cut out into a cell of its own; the text above stays."""
    cells = lesson_cells({"section": ["GL-er"]})
    cells[-2] = md("## Главное\n\n- пункт\n\n## Связь со стандартом\n\n- старый текст")
    lesson = write_nb(tmp_path / "course/01-basics/01.01-x.ipynb", cells[:-1])
    assert lk.stale(lesson, tmp_path, MODULES) == "раздел «## Связь со стандартом» не отдельная ячейка"
    assert lk.write(lesson, tmp_path, MODULES)
    stored = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
    assert "".join(stored[-2]["source"]) == "## Главное\n\n- пункт"
    assert "".join(stored[-1]["source"]).startswith("## Связь со стандартом\n\nПункты")
    assert "- **GL-er** (введено)" in "".join(stored[-1]["source"]) and "старый текст" not in json.dumps(stored)
    assert lk.stale(lesson, tmp_path, MODULES) == ""
