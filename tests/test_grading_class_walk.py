"""What an instructor's walk through grader/README.md (a class on the hub, sections, backups) needs of `smmkit grade`.

- «Grade a section» passes every login of a hub group with ``--student``; a student of the section who did not
  submit is listed as such and skipped, not reported as a failed grading with nbgrader's traceback.
- A backup made with ``smmkit grade migrate --to grader/backups/….db`` (section 6) does not tell the instructor to
  switch the course to the backup file.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from smmkit import assignments
from smmkit.grading.autograde import run_autograde
from smmkit.grading.gradebook import run_migrate

ROOT = Path(__file__).resolve().parents[1]
A = "a01-posting-schedule"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A scratch course with a SQLite gradebook and one collected (blank) submission, of ``alia``."""
    with pytest.MonkeyPatch.context() as mp:
        for key in ("SMMKIT_DB_URL", "SMMKIT_COURSE_ID", "SMMKIT_EXCHANGE"):
            mp.delenv(key, raising=False)
        course = assignments.scratch_course(ROOT, A, tmp_path_factory.mktemp("walk") / "course")
        folder = course / "submitted" / "alia" / A
        folder.mkdir(parents=True)
        shutil.copyfile(course / "assignments" / A / f"{A}.ipynb", folder / f"{A}.ipynb")
        yield course


def test_a_section_member_without_a_submission_is_named_and_skipped(course: Path) -> None:
    out = io.StringIO()
    code = run_autograde(course, A, students=["alia", "dana"], workers=1, out=out)
    text = out.getvalue()
    assert code == 0, text
    assert f"Нет работы в submitted/<студент>/{A}/" in text and "не проверялись (1): dana" in text, text
    assert "проверено 1 работа за" in text and "NbGraderException" not in text, text
    assert (course / "autograded" / "alia" / A / f"{A}.ipynb").exists()
    assert not (course / "grader" / "logs" / A / "dana.log").exists()


def test_only_students_without_a_submission_is_an_error(course: Path) -> None:
    out = io.StringIO()
    assert run_autograde(course, A, students=["dana"], workers=1, out=out) == 1
    assert "не проверялись (1): dana" in out.getvalue()


def test_a_backup_copy_is_not_presented_as_the_new_gradebook(course: Path) -> None:
    out = io.StringIO()
    backup = course / "grader" / "backups" / "manual.db"
    backup.parent.mkdir(parents=True, exist_ok=True)
    assert run_migrate(course, str(backup), out=out) == 0
    text = out.getvalue()
    assert "Перенос подтверждён" in text and "если это резервная копия, больше ничего делать не нужно" in text, text
    assert "Теперь укажите новую базу" not in text, text
