"""Exporting grades: nbgrader's CSV, a Moodle grade-import CSV, the xlsx gradebook; the Kazakhstan letter scale."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from smmkit.assignments import load_config
from smmkit.grading.collect import collect
from smmkit.grading.export import export, load_grades, run_export
from smmkit.grading.scale import letter, load_scale, parse_scale, round_percent

ROOT = Path(__file__).resolve().parents[1]
AID = "a01-posting-schedule"
NB = f"{AID}.ipynb"
DUE = datetime(2026, 3, 10, 13, 0)  # 18:00 in Almaty, as naive UTC (nbgrader's convention)
ROSTER = (
    "student_id,first_name,last_name,email\n"
    "S001,Иван,Иванов,ivanov@example.kz\n"
    "S002,Айгерим,Петрова,petrova@example.kz\n"
    "S003,Нурлан,Сейтказы,\n"
    "S004,Ольга,Ким,kim@example.kz\n"
    "S005,Әсет,Әлиев,aliev@example.kz\n"
    "S006,Пётр,Ёлкин,elkin@example.kz\n"
    "S007,John,Smith,smith@example.kz\n"
)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A scratch course: solution (on time) and blank (late) autograded, S003 and S007 never submitted, S004 not
    autograded, S005's autograde failed (its notebook is broken), S006's autograded notebook is gone."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SMMKIT_DB_URL", raising=False)
        mp.delenv("SMMKIT_COURSE_ID", raising=False)
        tmp = tmp_path_factory.mktemp("export")
        course = tmp / "course"
        skip = shutil.ignore_patterns("*.csv", "*.db", "__pycache__", ".ipynb_checkpoints")
        for folder in ("solutions", "assignments", "grader"):
            shutil.copytree(ROOT / folder, course / folder, ignore=skip)
        roster = tmp / "roster.csv"
        roster.write_text(ROSTER, encoding="utf-8")

        from nbgrader.api import Gradebook
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = load_config(course, course_root=course)
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        assert api.generate_assignment(AID, force=True)["success"]
        with Gradebook(f"sqlite:///{course / 'grader' / 'gradebook.db'}", "smm101") as gb:
            gb.update_or_create_assignment(AID, duedate=DUE)

        downloads = tmp / "downloads"
        downloads.mkdir()
        for student, source, when in (
            ("S001", ROOT / "solutions" / AID / NB, datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)),
            ("S002", ROOT / "assignments" / AID / NB, datetime(2026, 3, 10, 15, 30, tzinfo=timezone.utc)),
            ("S004", ROOT / "assignments" / AID / NB, datetime(2026, 3, 10, 16, 0, tzinfo=timezone.utc)),
            ("S005", ROOT / "assignments" / AID / NB, datetime(2026, 3, 10, 11, 0, tzinfo=timezone.utc)),
            ("S006", ROOT / "solutions" / AID / NB, datetime(2026, 3, 10, 11, 0, tzinfo=timezone.utc)),
        ):
            shutil.copyfile(source, downloads / f"{student}.ipynb")
            os.utime(downloads / f"{student}.ipynb", (when.timestamp(), when.timestamp()))
        assert len(collect(course, AID, downloads, roster=roster).collected) == 5
        (course / "submitted" / "S005" / AID / NB).write_text('{"cells": "не ноутбук"', encoding="utf-8")
        for student in ("S001", "S002", "S006"):  # S004 is collected but not autograded yet
            result = api.autograde(AID, student)
            assert result["success"], result["error"]
        assert not api.autograde(AID, "S005")["success"]  # nbgrader keeps its submission, without scores
        (course / "autograded" / "S006" / AID / NB).unlink()
        yield course, roster


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_nbgrader_csv_is_nbgraders_own_export(graded: tuple[Path, Path], tmp_path: Path) -> None:
    course, _ = graded
    out = export(course, "csv", tmp_path / "grades.csv")
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == ("assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,"
                      "late_submission_penalty,score,max_score")
    got = {r["student_id"]: r for r in rows(out)}
    assert set(got) == {"S001", "S002", "S003", "S004", "S005", "S006", "S007"}
    assert (got["S001"]["raw_score"], got["S001"]["max_score"], got["S001"]["last_name"]) == ("15.0", "18.0", "Иванов")
    assert got["S001"]["timestamp"] == "2026-03-10 12:00:00" and got["S001"]["duedate"] == "2026-03-10 13:00:00"
    assert got["S002"]["score"] == "0.0" and got["S003"]["timestamp"] == ""  # never submitted: 0, as nbgrader does
    with pytest.raises(ValueError, match="нет задания «a99»"):
        export(course, "csv", tmp_path / "x.csv", assignment="a99")


def test_moodle_csv_by_email_and_by_id_number(graded: tuple[Path, Path], tmp_path: Path) -> None:
    course, roster = graded
    notes: list[str] = []
    out = export(course, "moodle", tmp_path / "moodle.csv", messages=notes)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == ["Email address,a01-posting-schedule (Real)", "ivanov@example.kz,15", "petrova@example.kz,0"]
    assert any("Без сданных работ не попали в файл (2): S003, S007" in n for n in notes)
    assert any("не проверены autograde (1): S004" in n for n in notes)
    assert any("не удалось проверить (2): S005, S006" in n for n in notes)
    assert any("Map from: Email address" in n for n in notes)

    out = export(course, "moodle", tmp_path / "moodle-id.csv", assignment=AID, moodle_id="idnumber", percent=True)
    assert rows(out) == [{"ID number": "S001", f"{AID} (Real)": "83.33"}, {"ID number": "S002", f"{AID} (Real)": "0"}]

    # Without the roster's e-mails a student cannot be matched by e-mail: left out, and said so.
    roster.write_text(ROSTER.replace("ivanov@example.kz", ""), encoding="utf-8")
    try:
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{course / 'grader' / 'gradebook.db'}", "smm101") as gb:
            gb.update_or_create_student("S001", email="")
        notes = []
        out = export(course, "moodle", tmp_path / "no-email.csv", roster=roster, messages=notes)
        assert rows(out) == [{"Email address": "petrova@example.kz", f"{AID} (Real)": "0"}]
        assert any("Без e-mail не попали в файл (1): S001" in n for n in notes)
    finally:
        roster.write_text(ROSTER, encoding="utf-8")
        with Gradebook(f"sqlite:///{course / 'grader' / 'gradebook.db'}", "smm101") as gb:
            gb.update_or_create_student("S001", email="ivanov@example.kz")


def test_moodle_csv_never_exports_ungraded_work_as_zero(graded: tuple[Path, Path], tmp_path: Path) -> None:
    from smmkit.cli import main
    from smmkit.grading.export import left_out_path

    course, roster = graded
    notes: list[str] = []
    out = export(course, "moodle", tmp_path / "moodle.csv", assignment=AID, roster=roster, messages=notes)
    assert rows(out) == [{"Email address": "ivanov@example.kz", f"{AID} (Real)": "15"},
                         {"Email address": "petrova@example.kz", f"{AID} (Real)": "0"}]
    assert any(n.startswith("ВНИМАНИЕ: не удалось проверить (2): S005, S006") for n in notes)
    beside = left_out_path(out)
    assert beside == tmp_path / "moodle-не-выгружены.csv" and any(str(beside) in n for n in notes)
    with beside.open(encoding="utf-8-sig", newline="") as fh:
        left = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert sorted(left) == ["S003", "S004", "S005", "S006", "S007"]
    # nbgrader's failed autograde removes the autograded folder and keeps the submission without scores.
    assert left["S005"]["Причина"] == f"не удалось проверить: нет проверенного ноутбука autograded/S005/{AID}/{NB}"
    assert left["S006"]["Причина"] == f"не удалось проверить: нет проверенного ноутбука autograded/S006/{AID}/{NB}"
    assert left["S004"]["Причина"] == "собрано, не проверено (autograde)"
    assert (left["S007"]["Причина"], left["S007"]["Задание"]) == ("не сдано", "все")

    # A notebook that is there but whose test cells got no score (a grader stopped midway) is not graded either.
    from nbgrader.api import Gradebook

    db = f"sqlite:///{course / 'grader' / 'gradebook.db'}"
    with Gradebook(db, "smm101") as gb:
        grade = gb.find_grade("q1-local-time-tests", AID, AID, "S002")
        kept, grade.auto_score = grade.auto_score, None
        gb.db.commit()
    try:
        notes = []
        out = export(course, "moodle", tmp_path / "stopped.csv", assignment=AID, roster=roster, messages=notes)
        assert [r["Email address"] for r in rows(out)] == ["ivanov@example.kz"]
        assert any("не удалось проверить (3): S002, S005, S006" in n for n in notes)
        with left_out_path(out).open(encoding="utf-8-sig", newline="") as fh:
            reason = next(r["Причина"] for r in csv.DictReader(fh) if r["student_id"] == "S002")
        assert reason == "не удалось проверить: автопроверка не поставила баллы (q1-local-time-tests)"
    finally:
        with Gradebook(db, "smm101") as gb:
            gb.find_grade("q1-local-time-tests", AID, AID, "S002").auto_score = kept
            gb.db.commit()

    # --missing-as-zero: who did not submit gets 0 (if Moodle can find them); ungraded work is still left out.
    stream = io.StringIO()
    with contextlib.redirect_stdout(stream):
        code = main(["--root", str(course), "grade", "export", "moodle", str(tmp_path / "zero.csv"), "--assignment",
                     AID, "--roster", str(roster), "--missing-as-zero"])
    assert code == 0
    assert rows(tmp_path / "zero.csv") == [{"Email address": "ivanov@example.kz", f"{AID} (Real)": "15"},
                                           {"Email address": "petrova@example.kz", f"{AID} (Real)": "0"},
                                           {"Email address": "smith@example.kz", f"{AID} (Real)": "0"}]
    text = stream.getvalue()
    assert "не удалось проверить (2): S005, S006" in text and "Без e-mail не попали в файл (1): S003" in text


def test_xlsx_gradebook(graded: tuple[Path, Path], tmp_path: Path) -> None:
    import openpyxl

    course, roster = graded
    out = export(course, "xlsx", tmp_path / "grades.xlsx", roster=roster)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Оценки", "Шкала", "Задания"]

    marks = list(book["Оценки"].values)
    header = marks[0]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in marks[1:]}
    # Kazakh/Russian order: Әлиев (Ә after А), Ёлкин (Ё after Е), Иванов, Ким, Петрова, Сейтказы; Latin last.
    assert [row[0] for row in marks[1:]] == ["S005", "S006", "S001", "S004", "S002", "S003", "S007"]
    assert [row[1] for row in marks[1:]] == ["Әлиев", "Ёлкин", "Иванов", "Ким", "Петрова", "Сейтказы", "Smith"]
    for sid in ("S005", "S006"):  # could not be graded: no score, no letter, said so
        row = by_id[sid]
        assert (row[f"{AID}: статус"], row[f"{AID}: баллы"], row[f"{AID}: буква"]) == ("не удалось проверить",
                                                                                       None, None)
    s1, s2, s3 = by_id["S001"], by_id["S002"], by_id["S003"]
    assert (s1["Фамилия"], s1["Имя"], s1["E-mail"]) == ("Иванов", "Иван", "ivanov@example.kz")
    # 15 of 18 (the 3-point memo awaits a human): 83.3 % -> 83 -> B, 3.0.
    assert (s1[f"{AID}: баллы"], s1[f"{AID}: из"], s1[f"{AID}: %"]) == (15, 18, 83)
    assert (s1[f"{AID}: буква"], s1[f"{AID}: GPA"], s1[f"{AID}: опоздание"]) == ("B", 3, "нет")
    assert s1[f"{AID}: статус"] == "ждёт ручной проверки"
    assert (s2[f"{AID}: баллы"], s2[f"{AID}: буква"], s2[f"{AID}: GPA"]) == (0, "F", 0)
    assert s2[f"{AID}: опоздание"] == "да, на 2 ч 30 мин" and s2[f"{AID}: статус"] == "проверено"
    assert (s3[f"{AID}: статус"], s3[f"{AID}: буква"], s3["E-mail"]) == ("не сдано", "F", None)
    assert (s1["Итого: %"], s1["Итого: буква"], s1["Итого: оценка"]) == (83, "B", "хорошо (4)")
    assert s3["Итого: оценка"] == "неудовлетворительно (2)"
    assert by_id["S004"][f"{AID}: статус"] == "собрано, не проверено (autograde)"

    scale = list(book["Шкала"].values)
    assert scale[0] == ("Буква", "% от", "% до", "GPA", "Традиционная оценка")
    assert scale[1] == ("A", 95, 100, 4, "отлично (5)") and scale[11] == ("F", 0, 49, 0, "неудовлетворительно (2)")
    assert "половина вверх" in scale[13][0]

    questions = list(book["Задания"].values)
    q_header, q_rows = questions[0], [dict(zip(questions[0], r, strict=True)) for r in questions[1:]]
    assert q_header[:4] == ("Задание", "Ноутбук", "Вопрос", "Проверка")
    grades = load_grades(course)
    assert [r["Вопрос"] for r in q_rows] == [q.name for q in grades.questions]
    auto = [r for r in q_rows if r["Проверка"] == "авто"]
    manual = [r for r in q_rows if r["Проверка"] == "ручная"]
    assert len(auto) >= 5 and manual
    for r in auto:  # the solution has full marks, the blank none
        assert (r["Сдали"], r["Средний балл"], r["Средний %"]) == (2, r["Макс. балл"] / 2, 50)
    assert sum(r["Ждут ручной проверки"] for r in manual) == 1  # the solution's memo; the blank stub is scored 0
    assert sum(r["Макс. балл"] for r in q_rows) == 18


def test_unknown_format_and_cli_wrapper(graded: tuple[Path, Path], tmp_path: Path) -> None:
    course, _ = graded
    with pytest.raises(ValueError, match="Неизвестный формат «pdf»"):
        export(course, "pdf", tmp_path / "x.pdf")
    out = io.StringIO()
    assert run_export(course, "moodle", tmp_path / "m.csv", moodle_id="login", stream=out) == 2
    assert out.getvalue().startswith("Выгрузка не выполнена: Идентификатор для Moodle")
    out = io.StringIO()
    assert run_export(course, "csv", tmp_path / "g.csv", stream=out) == 0
    assert out.getvalue().startswith(f"Записано: {tmp_path / 'g.csv'}")


def test_scale_every_boundary() -> None:
    scale = load_scale()
    expected = [("A", 95, 100, 4.0), ("A-", 90, 94, 3.67), ("B+", 85, 89, 3.33), ("B", 80, 84, 3.0),
                ("B-", 75, 79, 2.67), ("C+", 70, 74, 2.33), ("C", 65, 69, 2.0), ("C-", 60, 64, 1.67),
                ("D+", 55, 59, 1.33), ("D", 50, 54, 1.0), ("F", 0, 49, 0.0)]
    assert [(b.letter, b.low, b.high, b.gpa) for b in scale.bands] == expected
    letters = [b.letter for b in scale.bands]
    for i, band in enumerate(scale.bands):
        lower = letters[i + 1] if i + 1 < len(letters) else band.letter
        higher = letters[i - 1] if i else band.letter
        assert letter(band.low).letter == band.letter
        assert letter(band.low - 0.5).letter == (band.letter if band.low else "F")  # rounds half up into the band
        assert letter(band.low - 0.51).letter == lower
        assert letter(band.high + 0.49).letter == band.letter
        assert letter(band.high + 0.5).letter == higher
        assert letter(band.high).gpa == band.gpa
    assert letter(110).letter == "A" and letter(-3).letter == "F"
    assert round_percent(94.5) == 95 and round_percent(94.4999) == 94 and round_percent(2 / 3 * 100) == 67


def test_scale_traditional_marks() -> None:
    traditional = {b.letter: b.traditional for b in load_scale().bands}
    assert {k for k, v in traditional.items() if v == "отлично (5)"} == {"A", "A-"}
    assert {k for k, v in traditional.items() if v == "хорошо (4)"} == {"B+", "B", "B-"}
    assert {k for k, v in traditional.items() if v == "удовлетворительно (3)"} == {"C+", "C", "C-", "D+", "D"}
    assert traditional["F"] == "неудовлетворительно (2)"
    assert {b.traditional_name for b in load_scale().bands} == {
        "Отлично", "Хорошо", "Удовлетворительно", "Неудовлетворительно"}
    with pytest.raises(ValueError, match="должна заканчиваться на 89"):
        parse_scale({"name": "x", "traditional": [{"mark": 5, "name": "О", "label": "о"}],
                     "grades": [{"letter": "A", "min": 90, "max": 100, "gpa": 4, "mark": 5},
                                {"letter": "F", "min": 0, "max": 80, "gpa": 0, "mark": 5}]})


def _gradebook_copy(course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the course's gradebook that SMMKIT_DB_URL names (as a class gradebook elsewhere would be)."""
    copy = tmp_path / "class-gradebook.db"
    shutil.copyfile(course / "grader" / "gradebook.db", copy)
    monkeypatch.setenv("SMMKIT_DB_URL", f"sqlite:///{copy}")
    return copy


def test_a_forgotten_db_url_refuses_instead_of_exporting_an_empty_file(graded: tuple[Path, Path], tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The class's gradebook is elsewhere (PostgreSQL) and this shell's SMMKIT_DB_URL names a gradebook that does
    not know the work in submitted/ and autograded/: every export refuses, says why, writes and creates nothing."""
    from nbgrader.api import Gradebook

    from smmkit.grading.autograde import run_autograde
    from smmkit.grading.feedback import run_feedback

    course, roster = graded
    missing = tmp_path / "not-there.db"
    monkeypatch.setenv("SMMKIT_DB_URL", f"sqlite:///{missing}")
    for fmt in ("moodle", "xlsx", "csv"):
        out = io.StringIO()
        assert run_export(course, fmt, tmp_path / f"grades.{fmt}", assignment=AID, roster=roster, stream=out) == 2
        text = out.getvalue()
        assert f"не знает задание «{AID}», а в submitted/ есть его работы (5: S001, S002, S004, S005, S006)" in text
        assert "SMMKIT_DB_URL" in text and "wrong gradebook" in text
        assert not (tmp_path / f"grades.{fmt}").exists() and not missing.exists()
    out = io.StringIO()
    assert run_export(course, "xlsx", tmp_path / "all.xlsx", stream=out) == 2  # all assignments: the same check
    assert run_feedback(course, AID, out=out) == 2 and not missing.exists()
    out = io.StringIO()
    assert run_autograde(course, AID, out=out) == 2 and "SMMKIT_DB_URL" in out.getvalue() and not missing.exists()

    # A gradebook that knows the assignment but none of the graded work (e.g. a new one made by generate_assignment)
    with Gradebook(f"sqlite:///{missing}", "smm101") as gb:
        gb.update_or_create_assignment(AID, duedate=DUE)
    out = io.StringIO()
    assert run_export(course, "moodle", tmp_path / "m.csv", assignment=AID, stream=out) == 2
    assert f"В autograded/ есть проверенные работы «{AID}», которых нет в журнале оценок" in out.getvalue()
    assert "(3: S001, S002, S006)" in out.getvalue() and not (tmp_path / "m.csv").exists()

    # The right gradebook through SMMKIT_DB_URL: exported as before.
    _gradebook_copy(course, tmp_path, monkeypatch)
    assert run_export(course, "moodle", tmp_path / "m.csv", assignment=AID, roster=roster, stream=io.StringIO()) == 0


def test_a_hub_class_without_emails_exports_by_id_number_and_names_who_was_left_out(
        graded: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On the hub, students come from their logins: the gradebook has no e-mails. The e-mail export then has nothing
    to write and says who was left out and why; --moodle-id idnumber (hub login = Moodle ID number) works."""
    import sqlite3

    course, _ = graded
    copy = _gradebook_copy(course, tmp_path, monkeypatch)
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE student SET email = NULL, first_name = NULL, last_name = NULL")
    out = io.StringIO()
    assert run_export(course, "moodle", tmp_path / "by-email.csv", assignment=AID, stream=out) == 2
    text = out.getvalue()
    assert text.rstrip().splitlines()[-1].startswith("Выгрузка не выполнена: Нечего выгружать в Moodle")
    # the reason, not only the refusal (above it), with the way out
    assert "Без e-mail не попали в файл (5): S001, S002, S004, S005, S006" in text and "--moodle-id idnumber" in text
    out = io.StringIO()
    assert run_export(course, "moodle", tmp_path / "by-id.csv", assignment=AID, moodle_id="idnumber", stream=out) == 0
    assert rows(tmp_path / "by-id.csv") == [{"ID number": "S001", f"{AID} (Real)": "15"},
                                           {"ID number": "S002", f"{AID} (Real)": "0"}]
    assert "не удалось проверить (2): S005, S006" in out.getvalue()  # printed: who is not in the file


def test_the_runbooks_scripted_manual_grading_uses_the_configured_gradebook(
        graded: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """grader/README.md's rubric script, run as an instructor runs it, writes into the gradebook SMMKIT_DB_URL names
    (not a hard-coded grader/gradebook.db), and refuses a SQLite gradebook that does not exist."""
    import re
    import subprocess
    import sys

    from nbgrader.api import Gradebook

    course, _ = graded
    runbook = (ROOT / "grader" / "README.md").read_text(encoding="utf-8")
    section = runbook.split("### Scripted manual grading", 1)[1]
    script = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert "sqlite:///" not in script
    copy = _gradebook_copy(course, tmp_path, monkeypatch)
    env = dict(os.environ, SMMKIT_ROOT=str(course))
    done = subprocess.run([sys.executable, "-c", script], cwd=course, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    with Gradebook(f"sqlite:///{copy}", "smm101") as gb:
        grade = gb.find_grade("q7-memo", AID, AID, "S001")
        assert (grade.manual_score, grade.needs_manual_grade) == (2, False)
        assert gb.find_comment("q7-memo", AID, AID, "S002").manual_comment == "Все три пункта."
    with Gradebook(f"sqlite:///{course / 'grader' / 'gradebook.db'}", "smm101") as gb:
        assert gb.find_grade("q7-memo", AID, AID, "S001").manual_score is None  # the course's own one: untouched
    env["SMMKIT_DB_URL"] = f"sqlite:///{tmp_path / 'typo.db'}"
    done = subprocess.run([sys.executable, "-c", script], cwd=course, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode != 0 and "SMMKIT_DB_URL" in done.stderr and not (tmp_path / "typo.db").exists()
