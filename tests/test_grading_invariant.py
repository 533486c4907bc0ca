"""The grading invariant, for every assignment, through nbgrader's own autograde.

- the master notebook (the solution) autogrades to full autograded marks;
- the untouched student version autogrades to 0 without breaking the run;
- the "typical mistakes" submission in ``tests/submissions/<assignment>.yaml`` gets the scores it lists.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from smmkit import assignments
from smmkit.notebooks import read, write

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "tests" / "submissions"
IDS = assignments.assignment_ids(ROOT)


def _typical(release: Path, spec: dict) -> dict:
    nb = read(release)
    by_id = {c["metadata"].get("nbgrader", {}).get("grade_id"): c for c in nb["cells"]}
    for grade_id, source in spec["answers"].items():
        cell = by_id[grade_id]
        assert cell["metadata"]["nbgrader"]["solution"], f"{grade_id} is not a solution cell"
        cell["source"] = source
    return nb


@pytest.fixture(scope="module", params=IDS)
def graded(request, tmp_path_factory) -> tuple[str, dict, dict[str, dict[str, float]]]:
    """Autograde solution, blank and typical submissions of one assignment; return scores per student."""
    aid = request.param
    spec_file = SUBMISSIONS / f"{aid}.yaml"
    assert spec_file.exists(), f"{aid}: no typical-mistakes submission at {spec_file.relative_to(ROOT)}"
    spec = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    scratch = tmp_path_factory.mktemp(aid)
    release = assignments.generate(ROOT, aid, scratch) / f"{aid}.ipynb"
    students = {
        "solution": read(ROOT / "solutions" / aid / f"{aid}.ipynb"),
        "blank": read(release),
        "typical": _typical(release, spec),
    }
    for student, nb in students.items():
        folder = scratch / "submitted" / student / aid
        folder.mkdir(parents=True)
        write(folder / f"{aid}.ipynb", nb)
        (folder / "timestamp.txt").write_text("2026-03-01 12:00:00.000000 UTC")

    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    db = f"sqlite:///{scratch / 'gradebook.db'}"
    config = assignments.load_config(ROOT, course_root=scratch, db_url=db)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    scores: dict[str, dict[str, float]] = {}
    for student in students:
        result = api.autograde(aid, student)
        assert result["success"], f"autograde of {student} broke: {result['error']}"
    with Gradebook(db) as gb:
        for student in students:
            nb = gb.find_submission_notebook(aid, aid, student)
            scores[student] = {g.name: g.score for g in nb.grades}
            scores[student]["_auto_max"] = sum(g.max_score for g in nb.grades if g.auto_score is not None
                                               or g.cell.cell_type == "code")
        max_scores = {g.name: g.max_score for g in gb.find_submission_notebook(aid, aid, "solution").grades}
    return aid, spec, {"scores": scores, "max": max_scores}


def _auto_cells(result: dict) -> list[str]:
    return [name for name in result["max"] if name.endswith("-tests")]


def test_solution_gets_full_autograded_marks(graded) -> None:
    aid, _, result = graded
    auto = _auto_cells(result)
    assert auto, f"{aid}: no autograded test cells"
    got = {name: result["scores"]["solution"][name] for name in auto}
    assert got == {name: result["max"][name] for name in auto}


def test_assignment_has_enough_questions(graded) -> None:
    aid, _, result = graded
    assert len(_auto_cells(result)) >= 5, f"{aid}: at least 5 autograded questions"
    manual = [n for n in result["max"] if not n.endswith("-tests")]
    assert manual, f"{aid}: at least one manually graded question"


def test_untouched_student_version_scores_zero(graded) -> None:
    _, _, result = graded
    blank = result["scores"]["blank"]
    assert {name: blank[name] for name in result["max"]} == {name: 0 for name in result["max"]}


def test_typical_mistakes_get_their_partial_score(graded) -> None:
    aid, spec, result = graded
    typical = result["scores"]["typical"]
    assert set(spec["expected"]) == set(_auto_cells(result)), f"{aid}: expected scores must list every test cell"
    assert {name: typical[name] for name in spec["expected"]} == spec["expected"]
    total = sum(spec["expected"].values())
    full = sum(result["max"][n] for n in _auto_cells(result))
    assert 0 < total < full, "a typical-mistakes submission scores partial marks"


def test_release_has_no_solutions_or_hidden_tests() -> None:
    for aid in IDS:
        text = (ROOT / "assignments" / aid / f"{aid}.ipynb").read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "HIDDEN TESTS"):
            assert marker not in text, f"{aid}: the student version contains «{marker}»"
        nb = json.loads(text)
        assert not [c for c in nb["cells"] if c.get("outputs")], f"{aid}: the student version has outputs"


def test_scratch_course_is_clean_copy(tmp_path) -> None:
    """generate() reads solutions/ only and leaves the repository untouched."""
    before = sorted(p.name for p in (ROOT / "assignments").iterdir())
    assignments.generate(ROOT, IDS[0], tmp_path)
    assert sorted(p.name for p in (ROOT / "assignments").iterdir()) == before
    assert (tmp_path / "assignments" / IDS[0] / f"{IDS[0]}.ipynb").exists()
    shutil.rmtree(tmp_path / "assignments")
