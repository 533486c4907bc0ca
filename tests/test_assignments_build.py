"""Student versions are generated, never edited: `smmkit assignments build --check` and plain nbgrader."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from smmkit import assignments
from smmkit.notebooks import read, source, write

ROOT = Path(__file__).resolve().parents[1]
AID = assignments.assignment_ids(ROOT)[0]


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A scratch copy of the parts of the course that nbgrader reads and writes."""
    for folder in ("solutions", "assignments", "grader"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.db", "*.csv"))
    return tmp_path


def test_committed_student_versions_are_current() -> None:
    out = io.StringIO()
    assert assignments.build(ROOT, check=True, out=out) == 0, out.getvalue()
    assert "актуальны" in out.getvalue()


def test_check_fails_and_names_the_notebook_after_an_edit(course_copy: Path) -> None:
    master = course_copy / "solutions" / AID / f"{AID}.ipynb"
    nb = read(master)
    prompt = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    prompt["source"] = source(prompt) + "\n\nУточнение преподавателя."
    write(master, nb)
    out = io.StringIO()
    assert assignments.build(course_copy, check=True, out=out) == 1
    assert f"assignments/{AID}/{AID}.ipynb" in out.getvalue()
    # and a rebuild makes the check pass again (this assignment only: the others were not touched)
    assert assignments.build(course_copy, names=[AID], out=io.StringIO()) == 0
    assert assignments.build(course_copy, check=True, names=[AID], out=io.StringIO()) == 0


def test_unknown_assignment_is_a_clear_error(course_copy: Path) -> None:
    out = io.StringIO()
    assert assignments.build(course_copy, check=True, names=["a99-nothing"], out=out) == 2
    assert "solutions/a99-nothing/a99-nothing.ipynb" in out.getvalue()


def test_plain_nbgrader_generates_the_same_student_version(course_copy: Path) -> None:
    """The instructor's route: `cd grader && nbgrader generate_assignment <id>` gives identical files."""
    shutil.rmtree(course_copy / "assignments")
    nbgrader = Path(sys.executable).with_name("nbgrader")
    run = subprocess.run([str(nbgrader), "generate_assignment", AID], cwd=course_copy / "grader",
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert assignments.diff(ROOT / "assignments" / AID, course_copy / "assignments" / AID) == []
    assert (course_copy / "grader" / "gradebook.db").exists(), "the instructor's gradebook knows the assignment"
