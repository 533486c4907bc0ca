"""Collecting submissions from a Moodle "Download all submissions" zip (or a folder) into nbgrader's submitted/."""

from __future__ import annotations

import glob
import io
import os
import shutil
import struct
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

import smmkit.grading.collect as c
from smmkit.grading.collect import collect, read_roster, run_collect

ROOT = Path(__file__).resolve().parents[1]
AID = "a01-posting-schedule"
NB = f"{AID}.ipynb"
SOLUTION = (ROOT / "solutions" / AID / NB).read_bytes()
BLANK = (ROOT / "assignments" / AID / NB).read_bytes()
FILE = "_assignsubmission_file_"


@pytest.fixture(scope="module")
def empty_gradebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty nbgrader gradebook, made once (a new one asks `alembic` for its version: ~2 s)."""
    from nbgrader.api import Gradebook

    from smmkit.assignments import ensure_tools_on_path

    ensure_tools_on_path()
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    with Gradebook(f"sqlite:///{path}", "smm101"):
        pass
    return path


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, empty_gradebook: Path) -> Path:
    """A scratch course: solutions/, assignments/ and grader/ of the repository, its own (empty) gradebook."""
    monkeypatch.delenv("SMMKIT_DB_URL", raising=False)
    monkeypatch.delenv("SMMKIT_COURSE_ID", raising=False)
    root = tmp_path / "course"
    skip = shutil.ignore_patterns("*.csv", "*.db", "__pycache__", ".ipynb_checkpoints")
    for folder in ("solutions", "assignments", "grader"):
        shutil.copytree(ROOT / folder, root / folder, ignore=skip)
    shutil.copyfile(empty_gradebook, root / "grader" / "gradebook.db")
    return root


def moodle_zip(path: Path, entries: list[tuple[str, bytes, tuple[int, ...]]]) -> Path:
    """A zip laid out like Moodle's download: entry names and modification times (DOS, local)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data, when in entries:
            zf.writestr(zipfile.ZipInfo(name, when), data)
    return path


def submitted(course: Path, student: str) -> Path:
    return course / "submitted" / student / AID


def stamp(course: Path, student: str) -> str:
    return (submitted(course, student) / "timestamp.txt").read_text(encoding="utf-8")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_moodle_zip_is_mapped_to_nbgrader_layout(course: Path, tmp_path: Path) -> None:
    source = moodle_zip(tmp_path / "moodle.zip", [
        (f"Иванов Иван_101{FILE}/домашка.ipynb", SOLUTION, (2026, 3, 10, 18, 0, 0)),
        (f"Петрова Айгерим_102{FILE}/{NB}", BLANK, (2026, 3, 1, 0, 30, 0)),
        ("Петрова Айгерим_102_assignsubmission_onlinetext_/onlinetext.html", b"<p>ok</p>", (2026, 3, 1, 0, 30, 0)),
        (f"Сейтказы Нурлан_103{FILE}/v1.ipynb", BLANK, (2026, 3, 9, 10, 0, 0)),
        (f"Сейтказы Нурлан_103{FILE}/v2 final.ipynb", SOLUTION, (2026, 3, 9, 12, 0, 0)),
        (f"Сейтказы Нурлан_103{FILE}/report.pdf", b"%PDF-1.4", (2026, 3, 9, 12, 0, 0)),
        (f"Ким Ольга_104{FILE}/a01.ipynb", b"{not a notebook", (2026, 3, 9, 12, 0, 2)),
        (f"Ли Анна_105{FILE}{NB}", SOLUTION, (2026, 3, 10, 23, 59, 58)),  # flat layout (folders off)
        ("без номера/hw.ipynb", BLANK, (2026, 3, 9, 12, 0, 0)),
        ("__MACOSX/._домашка.ipynb", b"\x00", (2026, 3, 9, 12, 0, 0)),
    ])
    report = collect(course, AID, source)

    assert report.students(c.COLLECTED) == ["101", "102", "103", "104", "105"]
    for student, data in {"101": SOLUTION, "102": BLANK, "103": SOLUTION, "105": SOLUTION}.items():
        assert (submitted(course, student) / NB).read_bytes() == data
        assert sorted(p.name for p in submitted(course, student).iterdir()) == [NB, "timestamp.txt"]
    # Almaty is UTC+5: 18:00 local is 13:00 UTC; 00:30 on 1 March is still 28 February in UTC.
    assert stamp(course, "101") == "2026-03-10 13:00:00.000000 UTC"
    assert stamp(course, "102") == "2026-02-28 19:30:00.000000 UTC"
    assert stamp(course, "103") == "2026-03-09 07:00:00.000000 UTC"
    assert stamp(course, "105") == "2026-03-10 18:59:58.000000 UTC"
    from nbgrader.utils import parse_utc

    assert parse_utc(stamp(course, "101")) == datetime(2026, 3, 10, 13, 0)

    assert report.students(c.RENAMED) == ["101", "103", "104"]
    assert "«домашка.ipynb» → «a01-posting-schedule.ipynb»" in report.by_status(c.RENAMED)[0].detail
    corrupt = report.by_status(c.CORRUPT)
    assert [e.student for e in corrupt] == ["104"] and "не JSON" in corrupt[0].detail
    assert (submitted(course, "104") / NB).read_bytes() == b"{not a notebook"  # collected as is, flagged
    duplicate = report.by_status(c.DUPLICATE)
    assert [e.student for e in duplicate] == ["103"] and duplicate[0].source.endswith("v1.ipynb")
    assert "v2 final.ipynb" in duplicate[0].detail
    not_notebooks = report.by_status(c.NOT_NOTEBOOK)
    assert [(e.student, Path(e.source).suffix) for e in not_notebooks] == [("102", ".html"), ("103", ".pdf")]
    assert "onlinetext" in not_notebooks[0].detail
    assert [e.source for e in report.by_status(c.UNMATCHED)] == ["без номера/hw.ipynb"]
    assert report.service_files == 1
    assert {e.status for e in report.problems} == {c.CORRUPT, c.DUPLICATE, c.NOT_NOTEBOOK, c.UNMATCHED}

    text = report.format()
    assert text.startswith(f"Сбор задания «{AID}»") and "выгрузка Moodle" in text
    assert "собрано 5, заменено 0, пропущено 0; требуют внимания 5" in text
    for header in ("Собраны — 5:", "Переименованы", "Повреждены", "Дубликаты", "Не ноутбуки", "Не распознаны"):
        assert header in text
    assert "101 (Иванов Иван): сдано 2026-03-10 18:00:00 Asia/Almaty" in text
    assert "без номера/hw.ipynb" in text and "Служебные файлы пропущены: 1" in text

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'grader' / 'gradebook.db'}", "smm101") as gb:
        assert gb.find_student("101").last_name == "Иванов Иван"  # formgrader shows who participant 101 is


def test_second_collect_never_overwrites_silently(course: Path, tmp_path: Path) -> None:
    first = moodle_zip(tmp_path / "first.zip", [
        (f"Иванов Иван_101{FILE}/{NB}", SOLUTION, (2026, 3, 10, 18, 0, 0)),
        (f"Петрова Айгерим_102{FILE}/{NB}", BLANK, (2026, 3, 10, 17, 0, 0)),
        (f"Ким Ольга_104{FILE}/{NB}", BLANK, (2026, 3, 10, 9, 0, 0)),
    ])
    assert len(collect(course, AID, first).collected) == 3
    second = moodle_zip(tmp_path / "second.zip", [
        (f"Иванов Иван_101{FILE}/{NB}", BLANK, (2026, 3, 10, 19, 0, 0)),  # newer: replaces, old one kept
        (f"Петрова Айгерим_102{FILE}/{NB}", SOLUTION, (2026, 3, 10, 16, 0, 0)),  # older: skipped
        (f"Ким Ольга_104{FILE}/{NB}", BLANK, (2026, 3, 10, 9, 0, 0)),  # identical: skipped
    ])
    report = collect(course, AID, second)

    assert report.students(c.REPLACED) == ["101"] and report.students(c.COLLECTED) == []
    assert (submitted(course, "101") / NB).read_bytes() == BLANK
    assert stamp(course, "101") == "2026-03-10 14:00:00.000000 UTC"
    kept = course / "submitted" / ".previous" / "101" / AID / "2026-03-10_13-00-00_UTC"
    assert (kept / NB).read_bytes() == SOLUTION
    assert (kept / "timestamp.txt").read_text(encoding="utf-8") == "2026-03-10 13:00:00.000000 UTC"
    assert f"submitted/.previous/101/{AID}/2026-03-10_13-00-00_UTC/" in report.by_status(c.REPLACED)[0].detail

    skipped = {e.student: e.detail for e in report.skipped}
    assert set(skipped) == {"102", "104"}
    assert "не старше" in skipped["102"] and "тот же файл" in skipped["104"]
    assert (submitted(course, "102") / NB).read_bytes() == BLANK
    assert stamp(course, "102") == "2026-03-10 12:00:00.000000 UTC"
    text = report.format()
    assert "заменено 1, пропущено 2" in text and "Заменены более поздней сдачей" in text
    # nbgrader finds students with the glob submitted/*/<assignment>: the archive is not one of them.
    found = glob.glob(str(course / "submitted" / "*" / AID))
    assert sorted(Path(p).parent.name for p in found) == ["101", "102", "104"]


def test_dry_run_changes_nothing(course: Path, tmp_path: Path) -> None:
    collect(course, AID, moodle_zip(tmp_path / "first.zip", [
        (f"Иванов Иван_101{FILE}/{NB}", SOLUTION, (2026, 3, 10, 18, 0, 0))]))
    db = course / "grader" / "gradebook.db"
    db.unlink()
    before = tree(course)
    source = moodle_zip(tmp_path / "second.zip", [
        (f"Иванов Иван_101{FILE}/{NB}", BLANK, (2026, 3, 10, 19, 0, 0)),
        (f"Петрова Айгерим_102{FILE}/hw.ipynb", BLANK, (2026, 3, 10, 17, 0, 0)),
    ])
    report = collect(course, AID, source, dry_run=True)
    assert tree(course) == before and not db.exists()
    assert report.students(c.REPLACED) == ["101"] and report.students(c.COLLECTED) == ["102"]
    assert report.students(c.RENAMED) == ["102"] and report.registered == 0
    assert "ПРОБНЫЙ ЗАПУСК" in report.format() and "Дальше:" not in report.format()


def test_roster_maps_moodle_participants_and_registers_students(course: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "moodle_id,student_id,first_name,last_name,email\n"
        "101,S001,Иван,Иванов,ivanov@example.kz\n"
        ",S002,Айгерим,Петрова,petrova@example.kz\n"
        ",S003,Нурлан,Сейтказы,nurlan@example.kz\n", encoding="utf-8")
    source = moodle_zip(tmp_path / "moodle.zip", [
        (f"Иванов Иван_101{FILE}/{NB}", SOLUTION, (2026, 3, 10, 18, 0, 0)),
        (f"Петрова Айгерим_202{FILE}/{NB}", BLANK, (2026, 3, 10, 17, 0, 0)),  # by name, «Фамилия Имя» order
        (f"Неизвестный Студент_109{FILE}/{NB}", BLANK, (2026, 3, 10, 17, 0, 0)),
    ])
    report = collect(course, AID, source, roster=roster)

    assert report.students(c.COLLECTED) == ["S001", "S002"]
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["S001", "S002"]
    assert "сопоставлен по имени" in report.by_status(c.COLLECTED)[1].detail
    missing = report.by_status(c.NOT_IN_ROSTER)
    assert [e.student for e in missing] == ["109"] and "Неизвестный Студент" in missing[0].detail
    assert report.registered == 3 and "Нет в списке студентов" in report.format()

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'grader' / 'gradebook.db'}", "smm101") as gb:
        people = {s.id: (s.first_name, s.last_name, s.email) for s in gb.students}
    assert people == {"S001": ("Иван", "Иванов", "ivanov@example.kz"),
                      "S002": ("Айгерим", "Петрова", "petrova@example.kz"),
                      "S003": ("Нурлан", "Сейтказы", "nurlan@example.kz")}


def test_roster_saved_by_excel(tmp_path: Path) -> None:
    """Excel in a Russian locale saves «CSV» as Windows-1251 with semicolons, and «CSV UTF-8» with a BOM."""
    text = "Student_ID;First name;Last name;E-mail;Moodle ID\nS001;Ерлан;Ёлкин;e@kz.kz;101 / 301\n"
    (tmp_path / "a.csv").write_bytes(text.encode("cp1251"))
    (tmp_path / "b.csv").write_bytes(text.replace(";", ",").encode("utf-8-sig"))
    for name in ("a.csv", "b.csv"):
        row = read_roster(tmp_path / name).rows[0]
        assert row == c.RosterRow("S001", "Ерлан", "Ёлкин", "e@kz.kz", ("101", "301"))
    roster = read_roster(tmp_path / "a.csv")
    assert roster.match("301", moodle=True)[0].student_id == "S001"
    assert roster.match("S001", moodle=True) == (None, "")  # a participant number is never a student id
    assert roster.match("E@KZ.KZ")[0].student_id == "S001"
    assert roster.match("999", "ёлкин ерлан") == (roster.rows[0], "по имени")  # any word order
    assert roster.match("999", "елкин ерлан") == (roster.rows[0], c.FUZZY)  # ё = е: a fuzzy match, to confirm
    (tmp_path / "bad.csv").write_text("id,name\nS 1,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="недопустимый student_id"):
        read_roster(tmp_path / "bad.csv")
    (tmp_path / "plus.csv").write_text("id,name\nivanov+smm,x\n", encoding="utf-8")  # nbgrader's exchange splits on +
    with pytest.raises(ValueError, match="«\\+» nbgrader не принимает"):
        read_roster(tmp_path / "plus.csv")


def test_plain_folder_uses_file_times(course: Path, tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    (folder / "S002").mkdir(parents=True)
    (folder / "S001.ipynb").write_bytes(SOLUTION)
    (folder / "S002" / "моя работа.ipynb").write_bytes(BLANK)
    (folder / "notes.txt").write_text("заметки", encoding="utf-8")
    (folder / "Иван Иванов.ipynb").write_bytes(BLANK)
    when = datetime(2026, 3, 10, 13, 0, 5, 250000, tzinfo=timezone.utc).timestamp()
    for path in folder.rglob("*"):
        os.utime(path, (when, when))
    report = collect(course, AID, folder)

    assert report.students(c.COLLECTED) == ["S001", "S002"]
    assert stamp(course, "S001") == "2026-03-10 13:00:05.250000 UTC"
    assert report.students(c.RENAMED) == ["S002"]
    assert [e.source for e in report.by_status(c.NOT_NOTEBOOK)] == ["notes.txt"]
    unmatched = report.by_status(c.UNMATCHED)
    assert [e.source for e in unmatched] == ["Иван Иванов.ipynb"] and "student_id" in unmatched[0].detail


def test_zip_entry_times_and_names() -> None:
    info = zipfile.ZipInfo("x.ipynb", (2026, 3, 10, 18, 0, 0))
    assert c.zip_entry_time(info) == datetime(2026, 3, 10, 13, 0, tzinfo=timezone.utc)
    assert c.zip_entry_time(info, tz="UTC") == datetime(2026, 3, 10, 18, 0, tzinfo=timezone.utc)
    # An "extended timestamp" extra field holds the real UTC time: it wins over the DOS local time.
    exact = int(datetime(2026, 3, 10, 12, 59, 59, tzinfo=timezone.utc).timestamp())
    info.extra = struct.pack("<HHBi", 0x5455, 5, 1, exact)
    assert c.zip_entry_time(info) == datetime(2026, 3, 10, 12, 59, 59, tzinfo=timezone.utc)
    # Names without the UTF-8 flag: raw UTF-8 (some archivers) or DOS Cyrillic cp866 (Windows archivers).
    for encoding in ("utf-8", "cp866"):
        raw = zipfile.ZipInfo("placeholder")
        raw.filename, raw.flag_bits = f"Иванов Иван_101{FILE}\\дз.ipynb".encode(encoding).decode("cp437"), 0
        assert c.zip_entry_name(raw) == f"Иванов Иван_101{FILE}/дз.ipynb"


def test_moodle_regexp_is_a_valid_nbgrader_collector_pattern() -> None:
    from nbgrader.plugins import FileNameCollectorPlugin

    plugin = FileNameCollectorPlugin(named_regexp=c.MOODLE_NAMED_REGEXP)
    found = plugin.collect(f"/srv/downloaded/{AID}/extracted/Иванов Иван_101{FILE}/sub/my hw.ipynb")
    assert (found["student_id"], found["file_id"], found["full_name"]) == ("101", "my hw.ipynb", "Иванов Иван")
    flat = plugin.collect(f"/x/Ли Анна_105{FILE}{NB}")
    assert (flat["student_id"], flat["file_id"]) == ("105", NB)


def test_unusable_input_is_reported_in_russian(course: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    assert run_collect(course, AID, tmp_path / "нет.zip", out=out) == 2
    assert out.getvalue().startswith("Сбор не выполнен: Нет источника")
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    assert run_collect(course, AID, tmp_path / "x.txt", out=out) == 2 and "не zip-архив" in out.getvalue()
    with pytest.raises(ValueError, match="Нет задания «a99-nothing»"):
        collect(course, "a99-nothing", tmp_path)
    out = io.StringIO()
    source = moodle_zip(tmp_path / "ok.zip", [(f"Иванов Иван_101{FILE}/{NB}", SOLUTION, (2026, 3, 10, 18, 0, 0))])
    assert run_collect(course, AID, source, dry_run=True, out=out) == 0 and "собрано 1" in out.getvalue()
