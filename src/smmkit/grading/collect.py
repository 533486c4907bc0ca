"""Collect students' notebooks from a Moodle download (or a folder) into nbgrader's ``submitted/``.

``collect`` takes Moodle's «Скачать все ответы» / "Download all submissions" zip — or a folder, either that zip
unpacked or simply ``<student_id>.ipynb`` / ``<student_id>/<any name>.ipynb`` files — and puts each student's
notebook at ``submitted/<student_id>/<assignment>/<notebook>.ipynb`` (renamed to the assignment's notebook name)
with ``timestamp.txt`` = the submission time in UTC, nbgrader's format ``2026-03-10 13:00:00.000000 UTC``.

Moodle's layout (mod/assign ``download_submissions``, "download submissions in folders", the default since 3.1)::

    Иванов Иван_12345_assignsubmission_file_/my homework.ipynb
    Иванов Иван_12345_assignsubmission_onlinetext_/onlinetext.html
    Петров Пётр_12346_assignsubmission_file_report.pdf          (flat layout, folders switched off)

``12345`` is Moodle's *participant number*, which Moodle allocates **per assignment** (``assign_user_mapping``):
the same student gets another number in the next assignment. It is the student id only without a roster; with a
``roster`` CSV (``student_id, first_name, last_name, email`` and optionally ``moodle_id``) students are matched by
participant number when the roster has it, else by the full name in the folder name (either word order), and get
the course's stable ids. Submission time: Moodle's zip stores each file's modification time (the time the student
uploaded it) as a DOS local time, taken here as ``Asia/Almaty`` (UTC+5); an entry with an extended timestamp
(a UTC time written by Info-ZIP and others) uses that instead. For a folder the file's modification time is used.

Why not ``nbgrader zip_collect``: its ``FileNameCollectorPlugin`` gets only a file name, so it cannot see Moodle's
zip entry times (timestamps must be in the name), keeps each file's own name instead of renaming it to the
assignment's notebook, stops on two files of one student without timestamps, and its transfer step either refuses
a non-empty ``submitted/<id>/<assignment>/`` or wipes it (``--force``). Here an earlier submission is never lost:
a newer one moves it to ``submitted/.previous/<id>/<assignment>/<its time>/``, an older or identical one is
skipped, and every decision is reported. The file-name rule is still nbgrader's convention:
``MOODLE_NAMED_REGEXP`` has the ``student_id`` and ``file_id`` groups of ``FileNameCollectorPlugin.named_regexp``,
so ``nbgrader zip_collect --FileNameCollectorPlugin.named_regexp=…`` understands the same Moodle names.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from zoneinfo import ZoneInfo

TIMEZONE = "Asia/Almaty"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"
PREVIOUS_DIR = ".previous"

MOODLE_NAMED_REGEXP = (
    r"^(?:.*[/\\])?(?P<full_name>[^/\\]*?)_(?P<student_id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_"
    r"(?:[/\\](?:.*[/\\])?)?(?P<file_id>[^/\\]+)$"
)
"""Moodle's submission names (folder or flat layout), as a ``FileNameCollectorPlugin.named_regexp``."""
MOODLE_RE = re.compile(MOODLE_NAMED_REGEXP)

COLLECTED = "собран"
REPLACED = "заменён"
SKIPPED = "пропущен"
RENAMED = "переименован"
CORRUPT = "повреждён"
DUPLICATE = "дубликат"
NOT_NOTEBOOK = "не ноутбук"
UNMATCHED = "не распознан"
NOT_IN_ROSTER = "нет в списке"

SECTIONS = (
    (COLLECTED, "Собраны"),
    (REPLACED, "Заменены более поздней сдачей (прежняя версия сохранена)"),
    (SKIPPED, "Пропущены (уже собрана та же или более поздняя версия)"),
    (RENAMED, "Переименованы в имя ноутбука задания"),
    (CORRUPT, "Повреждены (собраны как есть; nbgrader поставит 0 — проверьте вручную)"),
    (DUPLICATE, "Дубликаты (у студента несколько ноутбуков: взят самый поздний)"),
    (NOT_NOTEBOOK, "Не ноутбуки (не собраны)"),
    (UNMATCHED, "Не распознаны (не собраны)"),
    (NOT_IN_ROSTER, "Нет в списке студентов (не собраны)"),
)
ATTENTION = frozenset({CORRUPT, DUPLICATE, NOT_NOTEBOOK, UNMATCHED, NOT_IN_ROSTER})

_JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_ID_RE = re.compile(r"^[\w@+-][\w.@+-]*$")


@dataclass(frozen=True)
class Entry:
    """One line of the report: whose file, what happened to it, and why."""

    student: str
    status: str
    detail: str
    source: str = ""
    name: str = ""


@dataclass
class CollectReport:
    """What ``collect`` did (or, with ``dry_run``, would do) with every file of the source."""

    assignment: str
    source: str
    layout: str = ""
    dry_run: bool = False
    timezone: str = TIMEZONE
    entries: list[Entry] = field(default_factory=list)
    service_files: int = 0
    registered: int = 0

    def add(self, student: str, status: str, detail: str, source: str = "", name: str = "") -> None:
        """Append one entry."""
        self.entries.append(Entry(student, status, detail, source, name))

    def by_status(self, status: str) -> list[Entry]:
        """Entries with this status."""
        return [e for e in self.entries if e.status == status]

    def students(self, status: str) -> list[str]:
        """Student ids of the entries with this status, in report order."""
        return [e.student for e in self.by_status(status)]

    @property
    def collected(self) -> list[Entry]:
        """Notebooks written to ``submitted/`` (new or replacing an earlier submission)."""
        return [e for e in self.entries if e.status in (COLLECTED, REPLACED)]

    @property
    def skipped(self) -> list[Entry]:
        """Notebooks not written because the same or a later version is already collected."""
        return self.by_status(SKIPPED)

    @property
    def problems(self) -> list[Entry]:
        """Entries that need the instructor's attention."""
        return [e for e in self.entries if e.status in ATTENTION]

    def format(self) -> str:
        """The report in Russian, grouped by status."""
        lines = [
            f"Сбор задания «{self.assignment}» из {self.source} ({self.layout}): "
            f"собрано {len(self.by_status(COLLECTED))}, заменено {len(self.by_status(REPLACED))}, "
            f"пропущено {len(self.skipped)}; требуют внимания {len(self.problems)}."
        ]
        if self.dry_run:
            lines.append("ПРОБНЫЙ ЗАПУСК: на диске и в журнале ничего не изменено.")
        for status, title in SECTIONS:
            entries = self.by_status(status)
            if not entries:
                continue
            lines += ["", f"{title} — {len(entries)}:"]
            for e in entries:
                who = " ".join(part for part in (e.student, f"({e.name})" if e.name else "") if part) or "—"
                where = f"  [{e.source}]" if e.source and e.source not in e.detail else ""
                lines.append(f"  - {who}: {e.detail}{where}")
        if self.service_files:
            lines += ["", f"Служебные файлы пропущены: {self.service_files} (__MACOSX, .ipynb_checkpoints и т. п.)."]
        if self.registered:
            lines += ["", f"В журнал оценок (gradebook) внесено или обновлено студентов: {self.registered}."]
        if self.collected and not self.dry_run:
            lines += ["", f"Дальше: nbgrader autograde {self.assignment}  (из папки grader/)"]
        return "\n".join(lines)


@dataclass(frozen=True)
class RosterRow:
    """One student of the roster."""

    student_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    moodle_ids: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        """«Фамилия Имя»."""
        return " ".join(p for p in (self.last_name, self.first_name) if p)


@dataclass(frozen=True)
class Roster:
    """The course's student list: maps Moodle participants, names and e-mails to the course's student ids."""

    rows: tuple[RosterRow, ...]

    def get(self, student_id: str) -> RosterRow | None:
        """The row of a student id."""
        return next((r for r in self.rows if r.student_id == student_id), None)

    def _by_name(self, full_name: str) -> list[RosterRow]:
        key = _name_key(full_name)
        return [r for r in self.rows if key and _name_key(f"{r.first_name} {r.last_name}") == key]

    def match(self, key: str, full_name: str = "", *, moodle: bool = False) -> tuple[RosterRow | None, str]:
        """The row for ``key`` (a Moodle participant number; or a student id, e-mail) or a full name; else a reason."""
        for row in self.rows:
            same_email = bool(row.email) and key.casefold() == row.email.casefold()
            if key and (key in row.moodle_ids or (not moodle and (key == row.student_id or same_email))):
                return row, ""
        found = self._by_name(full_name or key)
        if len(found) == 1:
            return found[0], "по имени"
        if len(found) > 1:
            return None, f"в списке несколько студентов с именем «{full_name or key}»"
        return None, ""


def read_roster(path: Path) -> Roster:
    """Read a roster CSV (UTF-8 or Windows-1251; comma, semicolon or tab): student_id, names, email, moodle_id."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"Нет списка студентов {path}")
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251")
    try:
        dialect: Any = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    aliases = {"e-mail": "email", "e_mail": "email", "id": "student_id", "moodle": "moodle_id"}
    columns = {name: aliases.get(_norm_header(name), _norm_header(name)) for name in reader.fieldnames or []}
    if "student_id" not in columns.values():
        raise ValueError(f"Список студентов {path}: нет столбца student_id (есть: {', '.join(columns) or 'ничего'})")
    rows: list[RosterRow] = []
    for number, record in enumerate(reader, start=2):
        values = {columns[k]: (v or "").strip() for k, v in record.items() if k in columns}
        student_id = values.get("student_id", "")
        if not student_id:
            if any(values.values()):
                raise ValueError(f"Список студентов {path}, строка {number}: пустой student_id")
            continue
        if not _ID_RE.match(student_id):
            raise ValueError(f"Список студентов {path}, строка {number}: недопустимый student_id «{student_id}» "
                             "(буквы, цифры, . _ - @ +, без пробелов)")
        if any(r.student_id == student_id for r in rows):
            raise ValueError(f"Список студентов {path}, строка {number}: student_id «{student_id}» повторяется")
        rows.append(RosterRow(student_id, values.get("first_name", ""), values.get("last_name", ""),
                              values.get("email", ""), tuple(re.findall(r"\d+", values.get("moodle_id", "")))))
    return Roster(tuple(rows))


def _norm_header(name: str) -> str:
    return re.sub(r"[\s-]+", "_", (name or "").strip().lstrip("\ufeff").casefold()).replace("e_mail", "email")


def _name_key(name: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFC", name).casefold().replace("ё", "е")
    return tuple(sorted(t for t in re.split(r"[\s_]+", text) if t))


@dataclass(frozen=True)
class _Incoming:
    path: str
    submitted: datetime
    read: Callable[[], bytes]


@dataclass(frozen=True)
class _Who:
    student_id: str
    name: str = ""
    how: str = ""
    filename: str = ""  # the file's own name as the student uploaded it ("" = named after the student: no report)


def utc_timestamp(when: datetime) -> str:
    """nbgrader's timestamp.txt text for an aware datetime: ``YYYY-MM-DD HH:MM:SS.ffffff UTC``."""
    return when.astimezone(timezone.utc).strftime(TIMESTAMP_FORMAT)


def zip_entry_time(info: zipfile.ZipInfo, tz: str = TIMEZONE) -> datetime:
    """When a zip entry was last modified, in UTC: its extended timestamp, else its DOS time read in ``tz``."""
    unix = _extended_mtime(info.extra)
    if unix is not None:
        return datetime.fromtimestamp(unix, timezone.utc)
    return datetime(*info.date_time, tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def _extended_mtime(extra: bytes) -> int | None:
    """The modification time of an "extended timestamp" (0x5455) extra field, if the entry has one."""
    pos = 0
    while pos + 4 <= len(extra):
        header, size = int.from_bytes(extra[pos:pos + 2], "little"), int.from_bytes(extra[pos + 2:pos + 4], "little")
        body = extra[pos + 4:pos + 4 + size]
        if header == 0x5455 and len(body) >= 5 and body[0] & 1:
            return int.from_bytes(body[1:5], "little", signed=True)
        pos += 4 + size
    return None


def zip_entry_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as text: UTF-8 if flagged, else the raw bytes tried as UTF-8, then DOS Cyrillic (cp866)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437")
        for encoding in ("utf-8", "cp866"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return unicodedata.normalize("NFC", name.replace("\\", "/"))


@contextmanager
def _open_source(source: Path, tz: str) -> Iterator[tuple[str, list[_Incoming]]]:
    if source.is_dir():
        files = []
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            mtime = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
            rel = unicodedata.normalize("NFC", path.relative_to(source).as_posix())
            files.append(_Incoming(rel, mtime, path.read_bytes))
        yield "папка", files
    elif zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as zf:
            fallback = datetime.fromtimestamp(source.stat().st_mtime, timezone.utc)
            files = []
            for info in zf.infolist():
                if info.is_dir():
                    continue
                try:
                    when = zip_entry_time(info, tz)
                except ValueError:  # a broken DOS date (month 0 etc.): the archive's own time is the best guess
                    when = fallback
                files.append(_Incoming(zip_entry_name(info), when, lambda info=info: zf.read(info)))
            yield "zip", files
    elif source.exists():
        raise ValueError(f"{source}: это не папка и не zip-архив (ожидается «Скачать все ответы» из Moodle)")
    else:
        raise FileNotFoundError(f"Нет источника {source}")


def _is_service(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return ("__MACOSX" in parts or ".ipynb_checkpoints" in parts or parts[-1] in _JUNK_NAMES
            or parts[-1].startswith("._"))


def notebook_check(data: bytes) -> str:
    """Why ``data`` is not a usable notebook ("" if it looks like one)."""
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return "файл не в UTF-8 (не JSON ноутбука)"
    except json.JSONDecodeError as err:
        return f"не JSON (строка {err.lineno}: {err.msg})"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or "nbformat" not in nb:
        return "JSON, но не ноутбук Jupyter (нет cells/nbformat)"
    return ""


def course_directory(course_root: Path) -> Any:
    """nbgrader's ``CourseDirectory`` of a course, from its ``grader/nbgrader_config.py``."""
    from nbgrader.coursedir import CourseDirectory

    from smmkit.assignments import ensure_tools_on_path, load_config

    ensure_tools_on_path()
    config = load_config(course_root, course_root=course_root)
    return CourseDirectory(config=config)


def notebook_name(coursedir: Any, assignment: str) -> str:
    """The file name of the assignment's notebook (from the release, else the source folder)."""
    for step in (coursedir.release_directory, coursedir.source_directory):
        folder = Path(coursedir.format_path(step, ".", assignment))
        names = sorted(p.name for p in folder.glob("*.ipynb")) if folder.is_dir() else []
        if len(names) == 1:
            return names[0]
        if f"{assignment}.ipynb" in names:
            return f"{assignment}.ipynb"
        if names:
            raise ValueError(f"В задании «{assignment}» несколько ноутбуков ({', '.join(names)}): "
                             "сбор из Moodle рассчитан на задание из одного ноутбука")
    raise ValueError(f"Нет задания «{assignment}»: нет ни {coursedir.release_directory}/{assignment}/, "
                     f"ни {coursedir.source_directory}/{assignment}/ с ноутбуком")


def collect(course_root: Path, assignment: str, source: Path, *, roster: Path | None = None,
            dry_run: bool = False, tz: str = TIMEZONE) -> CollectReport:
    """Put every student's notebook from ``source`` (Moodle zip or folder) into ``submitted/``; report each file."""
    course_root, source = Path(course_root), Path(source)
    coursedir = course_directory(course_root)
    nb_name = notebook_name(coursedir, assignment)
    people = read_roster(roster) if roster is not None else None
    report = CollectReport(assignment, str(source), dry_run=dry_run, timezone=tz)
    with _open_source(source, tz) as (kind, files):
        moodle = any(MOODLE_RE.match(f.path) for f in files)
        report.layout = f"{kind}, " + ("выгрузка Moodle" if moodle else "файлы <student_id>.ipynb")
        if people is not None:
            report.layout += f", список студентов: {len(people.rows)}"
        wanted: dict[str, list[tuple[_Incoming, _Who]]] = {}
        for incoming in files:
            if _is_service(incoming.path):
                report.service_files += 1
                continue
            who = _classify(incoming, moodle, people, report)
            if who is not None:
                wanted.setdefault(who.student_id, []).append((incoming, who))
        submitted_root = Path(coursedir.root) / coursedir.submitted_directory
        for student_id in sorted(wanted):
            incoming, who = _newest(wanted[student_id], nb_name, report)
            dest = Path(coursedir.format_path(coursedir.submitted_directory, student_id, assignment))
            _place(incoming, who, dest, nb_name, submitted_root, report)
    if not dry_run:
        report.registered = _register(coursedir, people, wanted)
    return report


def _classify(incoming: _Incoming, moodle: bool, people: Roster | None, report: CollectReport) -> _Who | None:
    path, suffix = incoming.path, PurePosixPath(incoming.path).suffix.lower()
    name = ""
    if moodle:
        m = MOODLE_RE.match(path)
        if not m:
            report.add("", UNMATCHED, f"нет номера участника Moodle («…_12345_assignsubmission_file_») в «{path}»",
                       path)
            return None
        key, name, plugin, filename = m["student_id"], m["full_name"], m["plugin"], m["file_id"]
    else:
        parts = PurePosixPath(path).parts
        key, plugin = (parts[0] if len(parts) > 1 else PurePosixPath(path).stem), "file"
        filename = parts[-1] if len(parts) > 1 else ""
    who, problem = _resolve(key, name, moodle, people)
    label = who.student_id if who else (key if moodle else "")
    if plugin != "file":
        report.add(label, NOT_NOTEBOOK, f"ответ-текст Moodle ({plugin}), не файл ноутбука: {path}", path, name)
        return None
    if suffix != ".ipynb":
        what = "архив внутри ответа: распакуйте и положите ноутбук в источник" if suffix in (".zip", ".rar", ".7z") \
            else f"файл {suffix or 'без расширения'}, а не .ipynb"
        report.add(label, NOT_NOTEBOOK, f"{what}: {path}", path, name)
        return None
    if who is None:
        report.add(label, NOT_IN_ROSTER if people is not None else UNMATCHED, f"{problem}: {path}", path, name)
        return None
    return replace(who, filename=filename)


def _resolve(key: str, name: str, moodle: bool, people: Roster | None) -> tuple[_Who | None, str]:
    if people is None:
        if moodle or _ID_RE.match(key):
            return _Who(key, name), ""
        return None, f"«{key}» не годится как student_id (буквы и цифры без пробелов) — или дайте список студентов"
    row, how = people.match(key, name, moodle=moodle)
    if row is not None:
        return _Who(row.student_id, row.full_name or name, how), ""
    if how:
        return None, how
    if moodle:
        return None, f"участник Moodle {key} «{name}» не найден в списке (ни по moodle_id, ни по имени)"
    return None, f"«{key}» не найден в списке (ни student_id, ни moodle_id, ни e-mail, ни имя)"


def _newest(candidates: list[tuple[_Incoming, _Who]], nb_name: str,
            report: CollectReport) -> tuple[_Incoming, _Who]:
    ordered = sorted(candidates, key=lambda c: (-c[0].submitted.timestamp(), c[1].filename not in ("", nb_name),
                                                c[0].path))
    chosen, who = ordered[0]
    for other, _ in ordered[1:]:
        same = other.submitted == chosen.submitted
        report.add(who.student_id, DUPLICATE,
                   f"{other.path} ({_local(other.submitted, report.timezone)}) не взят: "
                   + (f"то же время, взят {chosen.path}" if same else f"взят более поздний {chosen.path}"),
                   other.path, who.name)
    return chosen, who


def _place(incoming: _Incoming, who: _Who, dest: Path, nb_name: str, submitted_root: Path,
           report: CollectReport) -> None:
    data = incoming.read()
    when = _local(incoming.submitted, report.timezone)
    matched = f", сопоставлен {who.how}" if who.how else ""
    status, detail = COLLECTED, f"сдано {when} ← {incoming.path}{matched}"
    if dest.is_dir() and any(dest.iterdir()):
        old_nb = dest / nb_name
        old_data = old_nb.read_bytes() if old_nb.is_file() else None
        old_time = _existing_time(dest, nb_name)
        old_when = _local(old_time, report.timezone) if old_time else "время неизвестно"
        if old_data == data:
            report.add(who.student_id, SKIPPED, f"тот же файл уже собран (сдано {old_when}): {incoming.path}",
                       incoming.path, who.name)
            return
        if old_time is not None and incoming.submitted <= old_time:
            report.add(who.student_id, SKIPPED,
                       f"собранная версия от {old_when} не старше этой ({when}): {incoming.path} не взят",
                       incoming.path, who.name)
            return
        keep = _previous_dir(submitted_root, who.student_id, dest.name, old_time)
        status = REPLACED
        detail = (f"сдано {when} ← {incoming.path}{matched}; прежняя версия от {old_when} перенесена в "
                  f"{keep.relative_to(submitted_root.parent).as_posix()}/")
        if not report.dry_run:
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(dest), str(keep))
    if not report.dry_run:
        dest.mkdir(parents=True, exist_ok=True)
        (dest / nb_name).write_bytes(data)
        (dest / "timestamp.txt").write_text(utc_timestamp(incoming.submitted), encoding="utf-8")
    report.add(who.student_id, status, detail, incoming.path, who.name)
    if who.filename not in ("", nb_name):
        report.add(who.student_id, RENAMED, f"«{who.filename}» → «{nb_name}»", incoming.path, who.name)
    problem = notebook_check(data)
    if problem:
        report.add(who.student_id, CORRUPT, f"{problem}: {incoming.path}", incoming.path, who.name)


def _existing_time(folder: Path, nb_name: str) -> datetime | None:
    """The submission time of an already collected submission: timestamp.txt, else the notebook's mtime."""
    from nbgrader.utils import parse_utc

    stamp = folder / "timestamp.txt"
    if stamp.is_file():
        try:
            return parse_utc(stamp.read_text(encoding="utf-8").strip()).replace(tzinfo=timezone.utc)
        except (ValueError, OverflowError):
            pass
    notebook = folder / nb_name
    if notebook.is_file():
        return datetime.fromtimestamp(notebook.stat().st_mtime, timezone.utc)
    return None


def _previous_dir(submitted_root: Path, student_id: str, assignment: str, when: datetime | None) -> Path:
    base = submitted_root / PREVIOUS_DIR / student_id / assignment
    name = when.astimezone(timezone.utc).strftime("%Y-%m-%d_%H-%M-%S_UTC") if when else "время-неизвестно"
    candidate, n = base / name, 2
    while candidate.exists():
        candidate, n = base / f"{name}-{n}", n + 1
    return candidate


def _local(when: datetime, tz: str) -> str:
    return f"{when.astimezone(ZoneInfo(tz)):%Y-%m-%d %H:%M:%S} {tz}"


def _register(coursedir: Any, people: Roster | None, wanted: dict[str, list[tuple[_Incoming, _Who]]]) -> int:
    """Add students to the gradebook: every roster row, or (no roster) Moodle names of new students."""
    from nbgrader.api import Gradebook, MissingEntry

    count = 0
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        if people is not None:
            for row in people.rows:
                fields = {"first_name": row.first_name, "last_name": row.last_name, "email": row.email}
                gb.update_or_create_student(row.student_id, **{k: v for k, v in fields.items() if v})
                count += 1
            return count
        for student_id, found in wanted.items():
            name = found[0][1].name
            if not name:
                continue
            try:
                student = gb.find_student(student_id)
            except MissingEntry:
                gb.add_student(student_id, last_name=name)
                count += 1
                continue
            if not (student.first_name or student.last_name):
                gb.update_or_create_student(student_id, last_name=name)
                count += 1
    return count


def run_collect(course_root: Path, assignment: str, source: Path, *, roster: Path | None = None,
                dry_run: bool = False, out: TextIO | None = None) -> int:
    """CLI entry: collect, print the report in Russian; exit code 0, or 2 if the input is unusable."""
    out = out or sys.stdout
    try:
        report = collect(course_root, assignment, source, roster=roster, dry_run=dry_run)
    except (FileNotFoundError, ValueError, zipfile.BadZipFile) as err:
        print(f"Сбор не выполнен: {err}", file=out)
        return 2
    print(report.format(), file=out)
    return 0
