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
``roster`` CSV (``student_id, first_name, last_name, email`` and optionally ``moodle_id``) students get the
course's stable ids, found in this order: the instructor's recorded choice (``grader/roster-matches.yaml``: Moodle
name -> id, and per assignment participant number -> id), the roster's ``moodle_id``, the same full name (either
word order), and last the same name up to Kazakh/Russian letters (Ә/А, Ұ/У, Ё/Е … — ``kz_names.yaml``), which is
collected but reported for the instructor to confirm (``accept_fuzzy`` / ``match`` record the choice). Namesakes
are never guessed: not collected, reported with the candidates. Each collected student's participant number and
Moodle name go to ``grader/moodle-participants.yaml`` (per assignment), from which the feedback zip is named.
Notebooks in nbformat 3 (``worksheets``) are converted to nbformat 4.

Submission time: Moodle's zip stores each file's modification time (the time the student uploaded it) as a DOS
local time, taken here as ``Asia/Almaty`` (UTC+5); an entry with an extended timestamp
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
import shlex
import shutil
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import yaml

TIMEZONE = "Asia/Almaty"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"
PREVIOUS_DIR = ".previous"
MATCHES_FILE = "grader/roster-matches.yaml"
"""The instructor's choices of who is who (names and, per assignment, Moodle participants), relative to the course."""
PARTICIPANTS_FILE = "grader/moodle-participants.yaml"
"""Per assignment: student id -> Moodle participant number and full name, recorded by collect for feedback zips."""

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
CONVERTED = "преобразован"
FUZZY = "приблизительно"
NAMESAKE = "тёзки"
DUPLICATE = "дубликат"
NOT_NOTEBOOK = "не ноутбук"
UNMATCHED = "не распознан"
NOT_IN_ROSTER = "нет в списке"

SECTIONS = (
    (COLLECTED, "Собраны"),
    (REPLACED, "Заменены более поздней сдачей (прежняя версия сохранена)"),
    (SKIPPED, "Пропущены (уже собрана та же или более поздняя версия)"),
    (RENAMED, "Переименованы в имя ноутбука задания"),
    (CONVERTED, "Преобразованы из старого формата nbformat 3 в nbformat 4"),
    (FUZZY, "Сопоставлены со списком приблизительно (Ә/А, Ұ/У, Ё/Е …) — проверьте и подтвердите"),
    (NAMESAKE, "Тёзки или неоднозначное имя: выберите студента (не собраны)"),
    (CORRUPT, "Повреждены (собраны как есть; nbgrader поставит 0 — проверьте вручную)"),
    (DUPLICATE, "Дубликаты (у студента несколько ноутбуков: взят самый поздний)"),
    (NOT_NOTEBOOK, "Не ноутбуки (не собраны)"),
    (UNMATCHED, "Не распознаны (не собраны)"),
    (NOT_IN_ROSTER, "Нет в списке студентов (не собраны)"),
)
ATTENTION = frozenset({CORRUPT, DUPLICATE, NOT_NOTEBOOK, UNMATCHED, NOT_IN_ROSTER, FUZZY, NAMESAKE})

_JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
# No "+" (nor "*", which \w excludes): nbgrader's exchange splits "<student>+<assignment>+<time>" on "+" and
# refuses such ids, so a student collected from Moodle could never get feedback through a class server
# (grader/hub/jupyterhub_config.py, LOGIN_PATTERN).
_ID_RE = re.compile(r"^[\w@-][\w.@-]*$")


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
    saved: list[str] = field(default_factory=list)  # files of the course written besides submitted/
    command: str = ""  # the collect command to repeat with --match / --accept-fuzzy (shown in hints)

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
        lines += self._hints()
        if self.registered:
            lines += ["", f"В журнал оценок (gradebook) внесено или обновлено студентов: {self.registered}."]
        for path in self.saved:
            lines += ["", f"Записано: {path}"]
        if self.collected and not self.dry_run:
            lines += ["", f"Дальше: smmkit grade autograde {self.assignment}  (из папки курса)"]
        return "\n".join(lines)

    def _hints(self) -> list[str]:
        """How to confirm fuzzy matches and choose between namesakes (the choice is saved for next time)."""
        fuzzy, namesakes = self.by_status(FUZZY), self.by_status(NAMESAKE)
        if not (fuzzy or namesakes):
            return []
        command = self.command or f"smmkit grade collect {self.assignment} <выгрузка.zip> --roster <список.csv>"
        lines = ["", "Как подтвердить или исправить сопоставление (выбор сохраняется в "
                 f"{MATCHES_FILE} и действует для следующих заданий):"]
        if fuzzy:
            lines.append(f"  - все приблизительные верны: {command} --accept-fuzzy")
            lines.append(f"  - неверное исправить: {command} --match \"<имя из Moodle>=<student_id>\"")
        if namesakes:
            lines.append(f"  - тёзки: {command} --match <номер участника>=<student_id> (для каждого; номер "
                         "участника Moodle свой в каждом задании, поэтому этот выбор — только для этого задания)")
        lines.append(f"  - или впишите выбор в {MATCHES_FILE} вручную (names: «имя из Moodle: student_id»).")
        return lines


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


BY_FILE = f"по файлу {MATCHES_FILE}"
BY_NAME = "по имени"


@dataclass(frozen=True)
class Match:
    """Who a Moodle participant (or a file's name) is in the roster: the row and how it was found, or why not."""

    row: RosterRow | None
    how: str = ""  # "" (participant number, id, e-mail), BY_FILE, BY_NAME or FUZZY
    problem: str = ""
    candidates: tuple[RosterRow, ...] = ()  # namesakes: the instructor chooses


@dataclass
class RosterMatches:
    """The instructor's recorded choices: Moodle name -> student id, and per assignment participant -> student id."""

    names: dict[str, str] = field(default_factory=dict)
    participants: dict[str, dict[str, str]] = field(default_factory=dict)
    changed: bool = False

    def by_name(self, full_name: str) -> str | None:
        """The recorded student id of a Moodle full name (any word order, case ignored)."""
        key = name_key(full_name)
        return next((sid for name, sid in self.names.items() if key and name_key(name) == key), None)

    def add(self, choice: str, assignment: str, roster: Roster) -> None:
        """Record «participant=student_id» (this assignment) or «Moodle name=student_id» (every assignment)."""
        left, sep, student_id = choice.rpartition("=")
        left, student_id = left.strip(), student_id.strip()
        if not sep or not left or not student_id:
            raise ValueError(f"--match «{choice}»: ожидается «номер участника=student_id» "
                             "или «имя из Moodle=student_id»")
        if roster.get(student_id) is None:
            raise ValueError(f"--match «{choice}»: студента «{student_id}» нет в списке")
        if left.isdigit():
            self.participants.setdefault(assignment, {})[left] = student_id
        else:
            self.names = {n: s for n, s in self.names.items() if name_key(n) != name_key(left)}
            self.names[left] = student_id
        self.changed = True


def read_matches(course_root: Path) -> RosterMatches:
    """The course's ``grader/roster-matches.yaml`` (empty if there is none)."""
    path = Path(course_root) / MATCHES_FILE
    if not path.is_file():
        return RosterMatches()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: ожидается словарь с разделами names и participants")
    names = {str(k): str(v) for k, v in (data.get("names") or {}).items()}
    participants = {str(a): {str(k): str(v) for k, v in (m or {}).items()}
                    for a, m in (data.get("participants") or {}).items()}
    return RosterMatches(names, participants)


def write_matches(course_root: Path, matches: RosterMatches) -> Path:
    """Save the choices (with a header that says what the file is)."""
    path = Path(course_root) / MATCHES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("# Who is who between Moodle and the roster: the instructor's choices, kept by smmkit grade collect.\n"
              "# names: Moodle's full name (as in the download's folder names) -> student_id; for every assignment.\n"
              "# participants: per assignment, Moodle's participant number -> student_id (namesakes: the number\n"
              "# changes from one Moodle assignment to the next). Edit by hand or with --match / --accept-fuzzy.\n")
    body = yaml.safe_dump({"names": dict(sorted(matches.names.items())), "participants": matches.participants},
                          allow_unicode=True, sort_keys=False)
    path.write_text(header + body, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Roster:
    """The course's student list: maps Moodle participants, names and e-mails to the course's student ids."""

    rows: tuple[RosterRow, ...]

    def get(self, student_id: str) -> RosterRow | None:
        """The row of a student id."""
        return next((r for r in self.rows if r.student_id == student_id), None)

    def _by_name(self, full_name: str, key: Callable[[str], tuple[str, ...]]) -> list[RosterRow]:
        wanted = key(full_name)
        return [r for r in self.rows if wanted and key(f"{r.first_name} {r.last_name}") == wanted]

    def find(self, key: str, full_name: str = "", *, moodle: bool = False, matches: RosterMatches | None = None,
             assignment: str = "") -> Match:
        """Who ``key`` (participant number; or student id, e-mail) / ``full_name`` is: recorded choice, id, name."""
        matches = matches or RosterMatches()
        chosen = matches.participants.get(assignment, {}).get(key) if moodle else None
        chosen = chosen or matches.by_name(full_name or key)
        if chosen and self.get(chosen):
            return Match(self.get(chosen), BY_FILE)
        for row in self.rows:
            same_email = bool(row.email) and key.casefold() == row.email.casefold()
            if key and (key in row.moodle_ids or (not moodle and (key == row.student_id or same_email))):
                return Match(row)
        name = full_name or key
        for how, rule in ((BY_NAME, name_key), (FUZZY, folded_name_key)):
            found = self._by_name(name, rule)
            if len(found) == 1:
                return Match(found[0], how)
            if len(found) > 1:
                return Match(None, NAMESAKE, f"в списке несколько студентов с именем «{name}»"
                             + (" (без учёта Ә/А, Ұ/У, Ё/Е …)" if how == FUZZY else ""), tuple(found))
        return Match(None)

    def match(self, key: str, full_name: str = "", *, moodle: bool = False) -> tuple[RosterRow | None, str]:
        """The row for ``key`` or a full name and how it was found; else (None, the reason or "")."""
        found = self.find(key, full_name, moodle=moodle)
        return (found.row, found.how) if found.row is not None else (None, found.problem)


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
                             "(буквы, цифры, . _ - @, без пробелов; «+» nbgrader не принимает)")
        if any(r.student_id == student_id for r in rows):
            raise ValueError(f"Список студентов {path}, строка {number}: student_id «{student_id}» повторяется")
        rows.append(RosterRow(student_id, values.get("first_name", ""), values.get("last_name", ""),
                              values.get("email", ""), tuple(re.findall(r"\d+", values.get("moodle_id", "")))))
    return Roster(tuple(rows))


def _norm_header(name: str) -> str:
    return re.sub(r"[\s-]+", "_", (name or "").strip().lstrip("\ufeff").casefold()).replace("e_mail", "email")


@cache
def names_data() -> dict[str, Any]:
    """``kz_names.yaml``: the Kazakh alphabet (sorting) and the letter folding table (matching)."""
    text = resources.files("smmkit.grading").joinpath("kz_names.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def _folding() -> dict[int, str]:
    return {ord(k): str(v) for k, v in names_data()["folding"].items()}


def name_key(name: str) -> tuple[str, ...]:
    """A name's words, case-folded and sorted (any word order; «Иванов Иван» = «иван иванов»)."""
    text = unicodedata.normalize("NFC", name).casefold()
    return tuple(sorted(t for t in re.split(r"[\s_]+", text) if t))


def fold_name(name: str) -> str:
    """A name with Kazakh letters, Ё and Latin look-alikes folded to Russian ones (Нұрлан → нурлан)."""
    return unicodedata.normalize("NFC", name).casefold().translate(_folding())


def folded_name_key(name: str) -> tuple[str, ...]:
    """``name_key`` of the folded name: equal for Нұрлан Сейтқазы and Нурлан Сейтказы."""
    return name_key(fold_name(name))


def alphabet_key(text: str) -> tuple[tuple[int, int], ...]:
    """Sort key in Kazakh/Russian alphabetical order (Ә after А, Ё after Е); Latin and the rest after Cyrillic."""
    order = _alphabet_order()
    return tuple((0, order[ch]) if ch in order else (1, ord(ch)) if ch.isalnum() else (-1, 0)
                 for ch in unicodedata.normalize("NFC", text).casefold())


@cache
def _alphabet_order() -> dict[str, int]:
    letters = [str(x).casefold() for x in names_data()["alphabet"]]
    return {ch: i for i, ch in enumerate(letters)}


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
    participant: str = ""  # Moodle's participant number in this assignment ("" outside a Moodle download)
    moodle_name: str = ""  # the full name in Moodle's folder name


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
    if not isinstance(nb, dict) or "nbformat" not in nb:
        return "JSON, но не ноутбук Jupyter (нет cells/nbformat)"
    if nb.get("nbformat") == 3 and isinstance(nb.get("worksheets"), list):
        return ""
    if not isinstance(nb.get("cells"), list):
        return "JSON, но не ноутбук Jupyter (нет cells/nbformat)"
    return ""


def upgrade_notebook(data: bytes) -> bytes | None:
    """An nbformat 3 (or older) notebook rewritten as nbformat 4; None if ``data`` needs no (or cannot take) it."""
    import nbformat

    try:
        version = json.loads(data.decode("utf-8-sig")).get("nbformat")
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return None
    if not isinstance(version, int) or version >= 4:
        return None
    try:
        nb = nbformat.reads(data.decode("utf-8-sig"), as_version=4)
    except Exception:  # any failure of the conversion leaves the file as it is (then flagged corrupt)
        return None
    return (nbformat.writes(nb) + "\n").encode("utf-8")


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
            dry_run: bool = False, tz: str = TIMEZONE, match: Iterable[str] = (),
            accept_fuzzy: bool = False) -> CollectReport:
    """Put every student's notebook from ``source`` (Moodle zip or folder) into ``submitted/``; report each file.

    ``match``: choices «participant=student_id» / «Moodle name=student_id» to record in ``grader/roster-matches.yaml``
    before matching; ``accept_fuzzy``: record this run's fuzzy matches there as confirmed.
    """
    course_root, source = Path(course_root), Path(source)
    coursedir = course_directory(course_root)
    nb_name = notebook_name(coursedir, assignment)
    people = read_roster(roster) if roster is not None else None
    matches = read_matches(course_root)
    for choice in match:
        if people is None:
            raise ValueError("--match работает только со списком студентов (--roster)")
        matches.add(choice, assignment, people)
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
            who = _classify(incoming, moodle, people, report, matches)
            if who is not None:
                wanted.setdefault(who.student_id, []).append((incoming, who))
        _one_participant_each(wanted, report)
        submitted_root = Path(coursedir.root) / coursedir.submitted_directory
        for student_id in sorted(wanted):
            incoming, who = _newest(wanted[student_id], nb_name, report)
            dest = Path(coursedir.format_path(coursedir.submitted_directory, student_id, assignment))
            _place(incoming, who, dest, nb_name, submitted_root, report)
            if who.how == FUZZY:
                _report_fuzzy(who, people, matches, accept_fuzzy, report)
    if not dry_run:
        report.registered = _register(coursedir, people, wanted)
        _save_choices(course_root, assignment, matches, wanted, report)
    return report


def _report_fuzzy(who: _Who, people: Roster | None, matches: RosterMatches, accept: bool,
                  report: CollectReport) -> None:
    row = people.get(who.student_id) if people else None
    listed = row.full_name if row else who.student_id
    detail = f"«{who.moodle_name}» (Moodle) = «{listed}» (список)"
    if accept and people is not None:
        matches.add(f"{who.moodle_name}={who.student_id}", report.assignment, people)
        detail += (": будет подтверждено (пробный запуск: не записано)" if report.dry_run
                   else f": подтверждено, записано в {MATCHES_FILE}")
    else:
        detail += f"; подтвердить: --accept-fuzzy или --match \"{who.moodle_name}={who.student_id}\""
    report.add(who.student_id, FUZZY, detail, "", who.name)


def _one_participant_each(wanted: dict[str, list[tuple[_Incoming, _Who]]], report: CollectReport) -> None:
    """Two Moodle participants matched to one student: the sure match wins over a fuzzy one; else ask."""
    for student_id in sorted(wanted):
        found = wanted[student_id]
        if len({who.participant or who.moodle_name for _, who in found}) < 2:
            continue
        sure = [(i, w) for i, w in found if w.how != FUZZY]
        keep = sure if len({w.participant or w.moodle_name for _, w in sure}) == 1 else []
        for incoming, who in found:
            if (incoming, who) in keep:
                continue
            report.add(who.participant or student_id, NAMESAKE,
                       f"«{who.moodle_name}» тоже сопоставлен студенту {student_id}: "
                       + ("у него есть точное совпадение, этот не собран" if keep else
                          "несколько участников Moodle на одного студента — выберите --match <номер>=<student_id>")
                       + f": {incoming.path}", incoming.path, who.moodle_name)
        if keep:
            wanted[student_id] = keep
        else:
            del wanted[student_id]


def _save_choices(course_root: Path, assignment: str, matches: RosterMatches,
                  wanted: dict[str, list[tuple[_Incoming, _Who]]], report: CollectReport) -> None:
    """Write the roster matches (if changed) and the Moodle participants of this assignment (for feedback zips)."""
    if matches.changed:
        report.saved.append(str(write_matches(course_root, matches)))
    found = {sid: {"participant": who.participant, "name": who.moodle_name}
             for sid, entries in wanted.items() for _, who in entries[:1] if who.participant}
    if found:
        report.saved.append(str(record_participants(course_root, assignment, found)))


def read_participants(course_root: Path, assignment: str) -> dict[str, dict[str, str]]:
    """Student id -> {participant, name} of an assignment, as collect recorded them from Moodle's download."""
    path = Path(course_root) / PARTICIPANTS_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    return {str(k): {"participant": str(v["participant"]), "name": str(v.get("name", ""))}
            for k, v in ((data or {}).get(assignment) or {}).items()}


def record_participants(course_root: Path, assignment: str, found: dict[str, dict[str, str]]) -> Path:
    """Merge this collect's participants into ``grader/moodle-participants.yaml``."""
    path = Path(course_root) / PARTICIPANTS_FILE
    data = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None) or {}
    data[assignment] = {**(data.get(assignment) or {}), **found}
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("# Moodle participant numbers per assignment, recorded by smmkit grade collect (they change from\n"
              "# one Moodle assignment to the next); smmkit grade feedback --moodle-zip names its folders by them.\n")
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return path


def _classify(incoming: _Incoming, moodle: bool, people: Roster | None, report: CollectReport,
              matches: RosterMatches | None = None) -> _Who | None:
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
    who, problem, namesakes = _resolve(key, name, moodle, people, matches, report.assignment)
    label = who.student_id if who else (key if moodle else "")
    if plugin != "file":
        report.add(label, NOT_NOTEBOOK, f"ответ-текст Moodle ({plugin}), не файл ноутбука: {path}", path, name)
        return None
    if suffix != ".ipynb":
        what = "архив внутри ответа: распакуйте и положите ноутбук в источник" if suffix in (".zip", ".rar", ".7z") \
            else f"файл {suffix or 'без расширения'}, а не .ipynb"
        report.add(label, NOT_NOTEBOOK, f"{what}: {path}", path, name)
        return None
    if who is None and namesakes:
        options = "; ".join(f"{r.student_id} ({r.full_name}{', ' + r.email if r.email else ''})" for r in namesakes)
        choice = f"--match {key}=<student_id>" if moodle else f"--match \"{name or key}=<student_id>\""
        report.add(label, NAMESAKE, f"{problem}: {options} — выберите: {choice}: {path}", path, name)
        return None
    if who is None:
        report.add(label, NOT_IN_ROSTER if people is not None else UNMATCHED, f"{problem}: {path}", path, name)
        return None
    return replace(who, filename=filename, participant=key if moodle else "", moodle_name=name)


def _resolve(key: str, name: str, moodle: bool, people: Roster | None, matches: RosterMatches | None,
             assignment: str) -> tuple[_Who | None, str, tuple[RosterRow, ...]]:
    if people is None:
        if moodle or _ID_RE.match(key):
            return _Who(key, name), "", ()
        return None, f"«{key}» не годится как student_id (буквы и цифры без пробелов) — или дайте список студентов", ()
    found = people.find(key, name, moodle=moodle, matches=matches, assignment=assignment)
    if found.row is not None:
        return _Who(found.row.student_id, found.row.full_name or name, found.how), "", ()
    if found.problem:
        return None, found.problem, found.candidates
    if moodle:
        return None, f"участник Moodle {key} «{name}» не найден в списке (ни по moodle_id, ни по имени)", ()
    return None, f"«{key}» не найден в списке (ни student_id, ни moodle_id, ни e-mail, ни имя)", ()


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
    upgraded = upgrade_notebook(data)
    data = upgraded if upgraded is not None else data
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
    if upgraded is not None:
        report.add(who.student_id, CONVERTED, f"nbformat 3 → 4 (содержимое ячеек сохранено): {incoming.path}",
                   incoming.path, who.name)
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
                dry_run: bool = False, out: TextIO | None = None, match: Iterable[str] = (),
                accept_fuzzy: bool = False) -> int:
    """CLI entry: collect, print the report in Russian; exit code 0, or 2 if the input is unusable."""
    out = out or sys.stdout
    try:
        report = collect(course_root, assignment, source, roster=roster, dry_run=dry_run, match=match,
                         accept_fuzzy=accept_fuzzy)
        report.command = shlex.join(["smmkit", "grade", "collect", assignment, str(source),
                                     *(["--roster", str(roster)] if roster else [])])
    except (FileNotFoundError, ValueError, zipfile.BadZipFile, yaml.YAMLError) as err:
        print(f"Сбор не выполнен: {err}", file=out)
        return 2
    print(report.format(), file=out)
    return 0
