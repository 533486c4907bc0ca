"""The student kit (`smmkit kit student`): everything a student needs and no secret of the instructor's course.

The secrets are read here on their own from the master notebooks (nbgrader's cell metadata, not the kit
builder's markers) and searched for in every file of the built zip.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from smmkit.cli import main
from smmkit.studentkit import TOP, build_kit, secrets

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kit built once by the command, as a zip, and unpacked."""
    where = tmp_path_factory.mktemp("kit")
    assert main(["--root", str(ROOT), "kit", "student", "--out", str(where / "kit.zip")]) == 0
    with zipfile.ZipFile(where / "kit.zip") as zf:
        assert all(name.startswith(f"{TOP}/") for name in zf.namelist())
        zf.extractall(where)
    return where / TOP


@pytest.fixture(scope="module")
def kit_text(kit: Path) -> dict[str, str]:
    """Every file of the kit as text; a notebook as its raw JSON and as its cells' sources (unescaped).

    The datasets' CSV tables are not searched: the kit's copies are checked to be the committed files, and
    those are what the generators write (`smmkit datasets build --check`)."""
    out: dict[str, str] = {}
    for path in kit.rglob("*"):
        if path.is_file() and path.suffix != ".csv":
            raw = path.read_bytes().decode("utf-8", errors="replace")
            if path.suffix == ".ipynb":
                raw += "\n".join("".join(c["source"]) for c in json.loads(raw)["cells"])
            out[path.relative_to(kit).as_posix()] = raw
    return out


def _master_secrets() -> dict[str, list[str]]:
    """Hidden tests and model answers of every master, read from nbgrader's metadata, as lines to search for."""
    found: dict[str, list[str]] = {"hidden test": [], "model answer": [], "solution": []}
    lessons = "\n".join("".join(c["source"]) for path in sorted((ROOT / "course").glob("*/*.ipynb"))
                        for c in json.loads(path.read_text(encoding="utf-8"))["cells"])
    for master in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        student = (ROOT / "assignments" / master.parent.name / master.name).read_text(encoding="utf-8")
        student_text = "\n".join("".join(c["source"]) for c in json.loads(student)["cells"]) + "\n" + lessons
        for cell in json.loads(master.read_text(encoding="utf-8"))["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            source = "".join(cell["source"])
            if meta.get("grade") and "BEGIN HIDDEN TESTS" in source:
                for part in source.split("### BEGIN HIDDEN TESTS")[1:]:  # every hidden part of the cell
                    hidden = part.split("### END HIDDEN TESTS")[0]
                    # a line the visible checks or a lesson also show (a loop over the same table) is no leak
                    found["hidden test"] += [s.strip() for s in hidden.splitlines()
                                             if len(s.strip()) >= 24 and s.strip() not in student_text]
            if meta.get("solution"):
                answer = source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
                kind = "model answer" if cell["cell_type"] == "markdown" else "solution"
                # a line the student version or a lesson shows (a visible check, a line the prompt gives, code
                # the lesson teaches) is no leak
                found[kind] += [s.strip() for s in answer.splitlines()
                                if len(s.strip()) >= 24 and s.strip() not in student_text]
    return found


def test_kit_has_the_course_assignments_datasets_and_package(kit: Path) -> None:
    for folder in ("course", "assignments", "datasets", "src/smmkit"):
        committed = {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*")
                     if p.is_file() and p.suffix in (".ipynb", ".py", ".yaml", ".md")
                     and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts}
        shipped = {p.relative_to(kit).as_posix() for p in (kit / folder).rglob("*") if p.is_file()}
        left_out = {"src/smmkit/curriculum/texts_kk.yaml"}  # the college documents' texts: mark schemes in them
        assert committed and committed - left_out <= shipped, sorted(committed - left_out - shipped)
        assert not left_out & shipped
    tables = sorted(p.relative_to(ROOT) for p in (ROOT / "datasets").glob("*/*.csv"))
    assert len(tables) >= len(list((ROOT / "datasets").glob("*/schema.yaml")))
    assert all((kit / t).read_bytes() == (ROOT / t).read_bytes() for t in tables)
    assert sorted(p.relative_to(kit) for p in (kit / "datasets").rglob("*.csv")) == tables
    for name in ("pyproject.toml", "constraints.txt", "LICENSE", "README.md", "nbgrader_config.py"):
        assert (kit / name).is_file(), name
    readme = (kit / "README.md").read_text(encoding="utf-8")
    assert "комплект студента" in readme and "make lab" in readme  # the student README, not the project's
    glossary = (kit / "glossary.md").read_text(encoding="utf-8")
    assert "| ER (коэффициент вовлечённости) | ER (тартылу коэффициенті) | ER (engagement rate) |" in glossary


def test_kit_has_no_solutions_tests_or_instructor_files(kit: Path) -> None:
    top = sorted(p.name for p in kit.iterdir())
    assert "solutions" not in top and "tests" not in top and "tools" not in top
    grader = sorted(p.relative_to(kit / "grader").as_posix() for p in (kit / "grader").rglob("*"))
    assert grader == ["nbgrader_config.py"]
    assert not [p for p in kit.rglob("*") if p.name in ("__pycache__", ".ipynb_checkpoints", "gradebook.db")]


def test_kit_holds_no_hidden_test_model_answer_or_solution(kit_text: dict[str, str]) -> None:
    wanted = _master_secrets()
    assert all(wanted.values()), {k: len(v) for k, v in wanted.items()}  # the search has something to find
    leaks = [(kind, line, path) for kind, lines in wanted.items() for line in lines
             for path, text in kit_text.items() if line in text]
    assert not leaks, leaks[:5]


def test_kit_holds_no_instructor_note(kit_text: dict[str, str]) -> None:
    notes = [s for s in secrets(ROOT) if s.kind == "instructor note"]
    assert {s.source for s in notes} >= {"grader/README.md", "grader/instructor/a01-planted-errors.md"}
    assert all(s.lines for s in notes)
    leaks = [(s.source, line, path) for s in notes for line in s.lines for path, text in kit_text.items()
             if line in text]
    assert not leaks, leaks[:5]


def test_a_leak_is_found_and_the_kit_is_not_written(tmp_path: Path) -> None:
    """Plant a hidden test in a copy of a lesson: the builder refuses, and says where and what."""
    course = tmp_path / "course"
    for name in ("course", "assignments", "solutions", "grader", "src"):
        (course / name).mkdir(parents=True)
    shutil.copytree(ROOT / "solutions", course / "solutions", dirs_exist_ok=True)
    shutil.copytree(ROOT / "assignments", course / "assignments", dirs_exist_ok=True)
    shutil.copy(ROOT / "grader" / "nbgrader_config.py", course / "grader")
    (course / "datasets").mkdir()
    (course / "src" / "smmkit").mkdir()
    for name in ("pyproject.toml", "constraints.txt", "LICENSE", "Makefile", "nbgrader_config.py"):
        shutil.copy(ROOT / name, course / name)
    hidden = next(s for s in secrets(ROOT) if s.kind == "hidden test")
    (course / "course" / "lesson.md").write_text("Подсказка:\n" + hidden.text, encoding="utf-8")
    log = io.StringIO()
    assert build_kit(course, tmp_path / "kit.zip", log=log) == 1
    assert not (tmp_path / "kit.zip").exists()
    assert "course/lesson.md" in log.getvalue() and "hidden test" in log.getvalue()


def test_kit_as_a_folder(tmp_path: Path, kit: Path) -> None:
    """The same files as the zip; an existing folder with files in it is refused."""
    folder = tmp_path / "kit"
    assert build_kit(ROOT, folder, log=io.StringIO()) == 0
    same = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    assert same == sorted(p.relative_to(kit) for p in kit.rglob("*") if p.is_file())
    log = io.StringIO()
    assert build_kit(ROOT, folder, log=log) == 2 and "не пуста" in log.getvalue()
