"""The gradebook's database: SQLite for one instructor, PostgreSQL for a class.

nbgrader keeps grades in a SQLAlchemy database named by ``c.CourseDirectory.db_url`` in
``grader/nbgrader_config.py``: by default a SQLite file, ``grader/gradebook.db``; for a class graded by several
people (or on a shared server) a PostgreSQL database, ``postgresql+psycopg2://user:password@host/db`` (nbgrader's
FAQ advises against SQLite when several people grade). This module holds what the kit does differently for the
two:

- :func:`open_once` creates nbgrader's tables in an empty PostgreSQL gradebook before parallel workers open it.
  nbgrader's ``Gradebook()`` creates its tables on first use, and several processes doing that at once on an
  empty PostgreSQL database fail (``IntegrityError ... pg_type_typname_nsp_index``: two of them create the same
  enum type). The first opening is done by one process under a PostgreSQL advisory lock, so two graders started
  at once on an empty database wait for each other instead of failing.
- :func:`backup_gradebook` copies the gradebook before every autograde batch into
  ``grader/backups/gradebook-<UTC time>.db`` (the last 10 are kept): a SQLite gradebook with the ``sqlite3``
  backup API, a PostgreSQL one table by table through SQLAlchemy into a SQLite file of the same schema (one
  ``REPEATABLE READ`` transaction, so a grader writing meanwhile cannot tear the copy; no ``pg_dump`` needed).
  Every backup is a working nbgrader gradebook: open it with ``Gradebook("sqlite:///…")``, or put it back into an
  empty PostgreSQL database with ``smmkit grade migrate --from grader/backups/gradebook-….db --to postgresql…``.
- :func:`migrate` (``smmkit grade migrate --to postgresql+psycopg2://…``) copies every table of a gradebook
  into an empty database in one transaction, then compares both, table by table: row counts, every row, and
  each submission's score and maximum as nbgrader computes them. A target that holds any row is refused.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

KEEP_BACKUPS = 10
BUSY_TIMEOUT_S = 60
INIT_LOCK = 0x736D6D6B  # the advisory lock key ("smmk") held while an empty PostgreSQL gradebook is created
ALEMBIC = "alembic_version"
DRIVER_HINT = ("Для журнала оценок в PostgreSQL нужен драйвер psycopg2: pip install -c constraints.txt "
               "-e '.[postgres]' в окружении курса (см. grader/README.md, раздел «PostgreSQL для группы»).")


class MigrationError(RuntimeError):
    """The migration cannot start or did not verify (the message is in Russian, for the instructor)."""


# ------------------------------------------------------------------------------------------------------- urls

def is_sqlite(db_url: str) -> bool:
    return str(db_url).startswith("sqlite")


def is_postgresql(db_url: str) -> bool:
    return str(db_url).startswith("postgresql")


def sqlite_path(db_url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL (without its query), None for a server database."""
    if not str(db_url).startswith("sqlite:///"):
        return None
    return Path(str(db_url)[len("sqlite:///"):].split("?", 1)[0])


def as_url(text: str) -> str:
    """A database URL as given, or a path to a SQLite file turned into its URL."""
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


def shown(db_url: str) -> str:
    """The URL with its password hidden (for messages and reports)."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:
        return "(адрес базы)"


def driver_problem(db_url: str) -> str | None:
    """Why the database's driver cannot be loaded (a Russian hint), or None."""
    if not is_postgresql(db_url):
        return None
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return DRIVER_HINT
    return None


def _engine(db_url: str) -> Any:
    from sqlalchemy import create_engine

    path = sqlite_path(db_url)
    if path is not None:
        return create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_S})
    return create_engine(db_url)


# ------------------------------------------------------------------------------------------- the right gradebook

WRONG_GRADEBOOK_HINT = (
    "Похоже, эта оболочка смотрит не в тот журнал оценок: если журнал группы — PostgreSQL, задайте его адрес "
    "(export SMMKIT_DB_URL='postgresql+psycopg2://…', grader/README.md, раздел 6) и повторите. / This shell "
    "seems to use the wrong gradebook: for a class gradebook in PostgreSQL set SMMKIT_DB_URL and run again.")


def gradebook_contents(db_url: str) -> tuple[set[str], set[tuple[str, str]]]:
    """The assignments a gradebook knows and its submissions ``(student, assignment)``, read without changing it.

    A SQLite file that does not exist, or a database without nbgrader's tables, knows nothing (and is not
    created: nbgrader's ``Gradebook()`` would create an empty one).
    """
    from sqlalchemy import inspect, text

    path = sqlite_path(db_url)
    if path is not None and not path.is_file():
        return set(), set()
    engine = _engine(db_url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if not {"assignment", "submitted_assignment"} <= tables:
                return set(), set()
            names = {str(r[0]) for r in conn.execute(text("SELECT name FROM assignment"))}
            subs = {(str(r[0]), str(r[1])) for r in conn.execute(text(
                "SELECT s.student_id, a.name FROM submitted_assignment s JOIN assignment a ON s.assignment_id = a.id"))}
    finally:
        engine.dispose()
    return names, subs


def course_gradebook(course_root: Path | None = None) -> tuple[str, str]:
    """The course's gradebook URL and course id, as ``grader/nbgrader_config.py`` sets them (``SMMKIT_DB_URL``,
    ``SMMKIT_COURSE_ID``): for scripts that open the gradebook (grader/README.md, "Scripted manual grading").

    A SQLite gradebook that does not exist is refused (FileNotFoundError, in Russian and English) instead of
    being created empty by nbgrader's ``Gradebook()``: that is what a forgotten ``SMMKIT_DB_URL`` looks like.
    """
    from smmkit.assignments import load_config
    from smmkit.paths import project_root

    root = Path(course_root).resolve() if course_root is not None else project_root()
    config = load_config(root, course_root=root)
    url, course = str(config.CourseDirectory.db_url), str(config.CourseDirectory.course_id)
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise FileNotFoundError(f"Журнала оценок {path} нет. {WRONG_GRADEBOOK_HINT}")
    return url, course


def _work_folders(course_root: Path, folder: str, assignment: str | None) -> dict[str, list[str]]:
    """``assignment -> students`` with a folder ``<folder>/<student>/<assignment>/`` (hidden folders skipped)."""
    found: dict[str, list[str]] = {}
    base = Path(course_root) / folder
    if not base.is_dir():
        return found
    for student in sorted(base.iterdir()):
        if student.name.startswith(".") or not student.is_dir():
            continue
        for work in sorted(student.iterdir()):
            if work.is_dir() and not work.name.startswith(".") and assignment in (None, work.name):
                found.setdefault(work.name, []).append(student.name)
    return found


def _some(names: list[str], n: int = 5) -> str:
    return ", ".join(names[:n]) + (f" и ещё {len(names) - n}" if len(names) > n else "")


def unknown_work(course_root: Path, db_url: str, assignment: str | None = None, *, graded: bool = True) -> str | None:
    """Why the course's work does not belong to this gradebook (a Russian/English message), or None.

    Refused, because it is what a forgotten ``SMMKIT_DB_URL`` looks like (the course's default SQLite gradebook,
    empty or new, instead of the class's PostgreSQL one): ``submitted/`` holds work of an assignment the gradebook
    does not know, or ``autograded/`` holds graded work of which the gradebook has no submission (graded into
    another gradebook; ``graded=False`` skips this for autograde, which may regrade into a new gradebook).
    Collected work that was simply not autograded yet is not a mismatch.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "submitted" / "S1" / "a01").mkdir(parents=True)
    >>> print(unknown_work(root, f"sqlite:///{root / 'gradebook.db'}", "a01"))  # doctest: +ELLIPSIS
    Журнал оценок sqlite:///.../gradebook.db не знает задание «a01», а в submitted/ есть его работы (1: S1)...
    >>> (root / "gradebook.db").exists()  # the check creates no gradebook
    False
    >>> unknown_work(root, f"sqlite:///{root / 'gradebook.db'}", "a02") is None
    True
    """
    names, subs = gradebook_contents(db_url)
    problems, unknown = [], []
    for a, students in _work_folders(course_root, "submitted", assignment).items():
        if a not in names:
            unknown.append(a)
            problems.append(f"Журнал оценок {shown(db_url)} не знает задание «{a}», а в submitted/ есть его "
                            f"работы ({len(students)}: {_some(students)}).")
    for a, students in _work_folders(course_root, "autograded", assignment).items() if graded else ():
        lost = [s for s in students if (s, a) not in subs]
        if a in names and lost:
            problems.append(f"В autograded/ есть проверенные работы «{a}», которых нет в журнале оценок "
                            f"{shown(db_url)} ({len(lost)}: {_some(lost)}).")
    if not problems:
        return None
    new = " ".join(f"`nbgrader generate_assignment {a} --force`" for a in unknown[:3])
    return "\n".join([*problems, WRONG_GRADEBOOK_HINT] + ([f"Если журнал верный, а задание новое: выполните в "
                                                          f"grader/ {new}."] if unknown else []))


# --------------------------------------------------------------------------------------------- first opening

def open_once(db_url: str, course_id: str | None = None) -> None:
    """Open the gradebook once, creating nbgrader's tables if the database is empty (see the module's notes).

    On PostgreSQL under an advisory lock, so that only one process at a time creates the tables."""
    from nbgrader.api import Gradebook

    from smmkit.assignments import alembic_head_once, ensure_tools_on_path

    ensure_tools_on_path()
    alembic_head_once()
    args = (db_url,) if course_id is None else (db_url, course_id)
    if not is_postgresql(db_url):
        Gradebook(*args).close()
        return
    from sqlalchemy import text

    engine = _engine(db_url)
    try:
        with engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": INIT_LOCK})
            try:
                Gradebook(*args).close()
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": INIT_LOCK})
    finally:
        engine.dispose()


# ------------------------------------------------------------------------------------------------------ backup

def backup_gradebook(db_url: str, keep: int = KEEP_BACKUPS, folder: Path | None = None) -> Path | None:
    """Copy the gradebook to ``<folder>/gradebook-<UTC>.db`` (a SQLite gradebook); keep the last ``keep``.

    SQLite: ``folder`` defaults to ``backups/`` beside the file (sqlite3 backup API). A server database
    (PostgreSQL) is copied table by table into a SQLite file in ``folder`` (needed for it; the kit passes the
    course's ``grader/backups``). Returns None if there is nothing to back up yet."""
    path = sqlite_path(db_url)
    if path is not None:
        if not path.exists():
            return None
        folder = folder or path.parent / "backups"
    elif folder is None:
        raise ValueError("a server gradebook needs a backup folder")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    dest = folder / f"gradebook-{stamp}.db"
    if path is not None:
        with contextlib.closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)) as src, \
                contextlib.closing(sqlite3.connect(dest)) as out:
            src.backup(out)
    else:
        from sqlalchemy import inspect

        engine = _engine(db_url)
        try:
            empty = not inspect(engine).get_table_names()
        finally:
            engine.dispose()
        if empty:
            return None
        partial = dest.with_suffix(".part")
        _copy(db_url, f"sqlite:///{partial}")
        partial.rename(dest)
    for old in sorted(folder.glob("gradebook-*.db"))[:-keep]:
        old.unlink()
    return dest


# ------------------------------------------------------------------------------------------------------- copy

def _tables() -> list[Any]:
    from nbgrader.api import Base

    return list(Base.metadata.sorted_tables)


def _alembic_table() -> Any:
    from sqlalchemy import Column, MetaData, String, Table

    return Table(ALEMBIC, MetaData(), Column("version_num", String(32), nullable=False))


def _snapshot(conn: Any) -> Any:
    """Read everything in one transaction that sees one state of the database (REPEATABLE READ on PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def _rows(conn: Any, table: Any) -> list[tuple[Any, ...]]:
    from sqlalchemy import select

    order = list(table.primary_key.columns) or list(table.columns)
    return [tuple(r) for r in conn.execute(select(table).order_by(*order))]


def _copy(src_url: str, dst_url: str) -> dict[str, int]:
    """Copy nbgrader's tables and ``alembic_version`` from ``src_url`` into ``dst_url`` in one transaction each
    side (the target's tables are created if missing); return the rows copied per table."""
    from sqlalchemy import inspect

    src, dst = _engine(src_url), _engine(dst_url)
    copied: dict[str, int] = {}
    try:
        names = set(inspect(src).get_table_names())
        with _snapshot(src.connect()) as read, dst.begin() as write:
            tables = _tables()
            tables[0].metadata.create_all(write)
            alembic = _alembic_table()
            alembic.create(write, checkfirst=True)
            for table in [*tables, alembic]:
                if table.name not in names:
                    copied[table.name] = 0
                    continue
                rows = [dict(zip(table.columns.keys(), row, strict=True)) for row in _rows(read, table)]
                for start in range(0, len(rows), 1000):
                    write.execute(table.insert(), rows[start:start + 1000])
                copied[table.name] = len(rows)
    finally:
        src.dispose()
        dst.dispose()
    return copied


# ---------------------------------------------------------------------------------------------------- migrate

@dataclass
class TableCheck:
    table: str
    source: int
    target: int
    same_rows: bool
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.source == self.target and self.same_rows


def _check_source(url: str) -> None:
    from nbgrader.api import get_alembic_version
    from sqlalchemy import inspect, text

    from smmkit.assignments import alembic_head_once, ensure_tools_on_path

    engine = _engine(url)
    try:
        names = set(inspect(engine).get_table_names())
        if not names:
            raise MigrationError(f"В базе-источнике {shown(url)} нет таблиц: это не журнал оценок nbgrader.")
        unknown = sorted(names - {t.name for t in _tables()} - {ALEMBIC})
        if unknown:
            raise MigrationError(f"В журнале-источнике есть таблицы, которых нет у nbgrader: {', '.join(unknown)}. "
                                 "Перенос остановлен, чтобы ничего не потерять.")
        if ALEMBIC not in names:
            raise MigrationError("У журнала-источника нет версии схемы (alembic_version): обновите его командой "
                                 "`nbgrader db upgrade` в grader/ и повторите.")
        with engine.connect() as conn:
            versions = [r[0] for r in conn.execute(text(f"SELECT version_num FROM {ALEMBIC}"))]
    finally:
        engine.dispose()
    ensure_tools_on_path()
    alembic_head_once()
    head = get_alembic_version()
    if versions != [head]:
        raise MigrationError(f"Схема журнала-источника ({', '.join(versions) or 'нет версии'}) не совпадает со "
                             f"схемой установленного nbgrader ({head}): выполните в grader/ `nbgrader db upgrade` "
                             "и повторите.")


def _check_target_empty(url: str) -> None:
    from sqlalchemy import MetaData, func, inspect, select

    engine = _engine(url)
    try:
        names = inspect(engine).get_table_names()
        full: list[str] = []
        if names:
            meta = MetaData()
            meta.reflect(engine, only=names)
            with engine.connect() as conn:
                for name in sorted(names):
                    count = conn.execute(select(func.count()).select_from(meta.tables[name])).scalar_one()
                    if count:
                        full.append(f"{name} {count}")
    finally:
        engine.dispose()
    if full:
        raise MigrationError(
            f"База {shown(url)} не пуста (строк в таблицах: {', '.join(full)}). Перенос выполняется только в "
            "пустую базу, чтобы не смешать два журнала. Создайте новую базу (createdb) или укажите другую; "
            "эта база не изменена.")


def _submission_scores(url: str) -> dict[tuple[str, str], tuple[float, float]]:
    """Each submission's score and maximum as nbgrader computes them: ``(assignment, student) -> (score, max)``."""
    from nbgrader.api import SubmittedAssignment
    from sqlalchemy.orm import Session

    engine = _engine(url)
    try:
        with Session(engine) as session:
            return {(s.assignment.name, s.student_id): (float(s.score), float(s.max_score))
                    for s in session.query(SubmittedAssignment).all()}
    finally:
        engine.dispose()


def verify(src_url: str, dst_url: str) -> list[TableCheck]:
    """Compare two gradebooks table by table: row counts and every row; then each submission's score."""
    src, dst = _engine(src_url), _engine(dst_url)
    checks: list[TableCheck] = []
    try:
        with _snapshot(src.connect()) as a, _snapshot(dst.connect()) as b:
            for table in [*_tables(), _alembic_table()]:
                left, right = _rows(a, table), _rows(b, table)
                note = ""
                if table.name == "grade":
                    sums = [sum(float(r[i] or 0) for r in left) for i in (3, 4, 5)]
                    note = f"баллы: авто {sums[0]:g}, вручную {sums[1]:g}, доп. {sums[2]:g}"
                checks.append(TableCheck(table.name, len(left), len(right), left == right, note))
    finally:
        src.dispose()
        dst.dispose()
    want, got = _submission_scores(src_url), _submission_scores(dst_url)
    total = sum(score for score, _ in want.values())
    checks.append(TableCheck("итоги работ (nbgrader)", len(want), len(got), want == got,
                             f"сумма баллов {total:g}"))
    return checks


def migrate(src_url: str, dst_url: str) -> list[TableCheck]:
    """Copy the gradebook ``src_url`` into the empty database ``dst_url`` and verify it (see the module's notes).

    A SQLite source is first copied with the backup API, so the migration reads one state of it; the copy must
    then still match the live gradebook (grading during a migration is refused after the fact)."""
    problem = driver_problem(src_url) or driver_problem(dst_url)
    if problem:
        raise MigrationError(problem)
    path = sqlite_path(src_url)
    if path is not None and not path.exists():
        raise MigrationError(f"Нет файла журнала оценок {path}.")
    _check_source(src_url)
    target = sqlite_path(dst_url)
    if target is not None:  # a new SQLite file (a copy by hand): its folder is made
        target.parent.mkdir(parents=True, exist_ok=True)
    _check_target_empty(dst_url)
    with tempfile.TemporaryDirectory(prefix="smmkit-migrate-") as tmp:
        snapshot = src_url
        if path is not None:
            snap = Path(tmp) / "gradebook.db"
            with contextlib.closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)) as live, \
                    contextlib.closing(sqlite3.connect(snap)) as out:
                live.backup(out)
            snapshot = f"sqlite:///{snap}"
        _copy(snapshot, dst_url)
        checks = verify(snapshot, dst_url)
        if path is not None and all(c.ok for c in checks):
            live_checks = verify(snapshot, src_url)
            if not all(c.ok for c in live_checks):
                checks.append(TableCheck("источник не менялся во время переноса", 0, 0, False,
                                         "журнал менялся во время переноса: остановите проверку и повторите "
                                         "перенос в новую пустую базу"))
    return checks


def report(checks: list[TableCheck]) -> str:
    width = max(len(c.table) for c in checks)
    lines = [f"{'Таблица'.ljust(width)}  {'было':>7}  {'стало':>7}  проверка"]
    for c in checks:
        status = "совпадает" if c.ok else "НЕ СОВПАДАЕТ"
        lines.append(f"{c.table.ljust(width)}  {c.source:>7}  {c.target:>7}  {status}"
                     + (f"  ({c.note})" if c.note else ""))
    return "\n".join(lines)


def run_migrate(course_root: Path, to: str, source: str | None = None, out: TextIO | None = None) -> int:
    """CLI entry (``smmkit grade migrate --to URL [--from URL|FILE]``): 0 if every table verified, 1 if not,
    2 if the migration could not start (nothing was written)."""
    out = out or sys.stdout
    if source is None:
        from smmkit.assignments import load_config

        source = str(load_config(Path(course_root), course_root=Path(course_root)).CourseDirectory.db_url)
    src_url, dst_url = as_url(source), as_url(to)
    print(f"Перенос журнала оценок: {shown(src_url)} → {shown(dst_url)}", file=out)
    try:
        checks = migrate(src_url, dst_url)
    except MigrationError as err:
        print(f"Перенос не выполнен: {err}", file=out)
        return 2
    print(report(checks), file=out)
    if not all(c.ok for c in checks):
        print("Перенос НЕ подтверждён: данные в новой базе отличаются от журнала-источника (см. таблицу). "
              "Журнал-источник не изменён; не переключайте курс на новую базу.", file=out)
        return 1
    if is_sqlite(dst_url):  # usually a backup (grader/README.md section 6): the course keeps its gradebook
        print("Перенос подтверждён: все таблицы и баллы совпадают. Журнал-источник не изменён. Копия — файл SQLite: "
              "если это резервная копия, больше ничего делать не нужно (курс работает с прежним журналом). Только "
              "чтобы перевести курс на этот файл, укажите в grader/nbgrader_config.py:", file=out)
    else:
        print("Перенос подтверждён: все таблицы и баллы совпадают. Журнал-источник не изменён (оставьте его как "
              "копию). Теперь укажите новую базу в grader/nbgrader_config.py:", file=out)
    print(f'    c.CourseDirectory.db_url = "{shown(dst_url)}"', file=out)
    if "***" in shown(dst_url):
        print("(вместо *** — пароль, как в адресе --to)", file=out)
    return 0
