"""A PostgreSQL gradebook for a class, on a real server (Debian's postgresql, started by the ``postgres`` fixture).

A small a01 class (six students of tests/test_grading_autograde.py's class, plus one collected with a roster)
is migrated from SQLite into PostgreSQL with ``smmkit grade migrate``, then graded by two ``smmkit grade
autograde`` runs started at once on disjoint halves of the class. The scores must be the expected ones (known
from how each submission was written; tests/test_grading_autograde.py grades the same kind of class on SQLite);
nothing may be lost or counted twice; a SQLite copy of the graded gradebook exports the same table; the migration
must round-trip and refuse a database that is not empty.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from test_grading_autograde import ROOT, TESTS, A, build_class, make_course

from smmkit.grading import gradebook

STUDENTS = ["correct", "blank", "typical", "late-typical", "partial-q2", "partial-q5"]
FIRST, SECOND = STUDENTS[:3], STUDENTS[3:]
EXTRA = "S900"  # collected with a roster (registered with a name), not graded
ROSTER = f"student_id,first_name,last_name,email\n{EXTRA},Айгерим,Сейтказы,aigerim@example.kz\n"


def smmkit(course: Path, *args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "smmkit"), "--root", str(course), *args]


def run(course: Path, *args: str) -> subprocess.CompletedProcess:
    """``smmkit --root course args`` through the command's own ``main``, in this process: one interpreter and its
    imports for the migrations, exports and feedback instead of a new one per call (the two graders, which must
    run at the same time, are real processes). Like the graders, it runs without ``SMMKIT_DB_URL``."""
    from smmkit import cli

    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.pop("SMMKIT_DB_URL", None)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = cli.main(["--root", str(course), *args])
    finally:
        if saved is not None:
            os.environ["SMMKIT_DB_URL"] = saved
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SMMKIT_DB_URL", None)
    return env


def grade(course: Path, students: list[str]) -> subprocess.Popen:
    args = ["grade", "autograde", A, "--workers", "1", "--timeout", "5"]
    for student in students:
        args += ["--student", student]
    return subprocess.Popen(smmkit(course, *args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=_env())


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, _ = proc.communicate(timeout=900)
    return proc.returncode, out


def scores(url: str) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(url) as gb:
        return {sub.student_id: {g.name: float(g.score) for g in gb.find_submission_notebook(A, A, sub.student_id)
                                 .grades if g.name in TESTS} for sub in gb.assignment_submissions(A)}


def counts(url: str) -> dict[str, int]:
    return {c.table: c.source for c in gradebook.verify(url, url)}


def collect_extra(course: Path, tmp: Path) -> subprocess.CompletedProcess:
    """``smmkit grade collect`` of one notebook with a roster (the same file and time for both courses)."""
    folder = tmp / "downloads"
    if not folder.exists():
        folder.mkdir()
        shutil.copy(course / "assignments" / A / f"{A}.ipynb", folder / f"{EXTRA}.ipynb")
        (tmp / "roster.csv").write_text(ROSTER, encoding="utf-8")
        stamp = time.mktime((2026, 3, 5, 12, 0, 0, 0, 0, -1))
        os.utime(folder / f"{EXTRA}.ipynb", (stamp, stamp))
    return run(course, "grade", "collect", A, str(folder), "--roster", str(tmp / "roster.csv"))


@pytest.fixture(scope="module")
def graded(postgres, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pg")
    course = make_course(tmp / "pg")
    expected = build_class(course)
    for folder in (course / "submitted").iterdir():
        if folder.name not in STUDENTS:
            shutil.rmtree(folder)
    url = postgres.createdb("gradebook")
    migrated = run(course, "grade", "migrate", "--to", url)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    (course / "grader" / "gradebook.db").rename(course / "grader" / "gradebook-before-migration.db")
    with (course / "grader" / "nbgrader_config.py").open("a", encoding="utf-8") as f:
        f.write(f'\nc.CourseDirectory.db_url = "{url}"\n')
    done = collect_extra(course, tmp)
    assert done.returncode == 0, done.stdout + done.stderr
    start = time.monotonic()
    procs = [grade(course, FIRST), grade(course, SECOND)]
    results = [finish(p) for p in procs]
    # The graded gradebook as a SQLite course of its own (a copy of the course whose config names no server).
    lite = tmp / "sqlite"
    shutil.copytree(course, lite, symlinks=True, ignore=shutil.ignore_patterns("backups"))
    config = lite / "grader" / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace(f'\nc.CourseDirectory.db_url = "{url}"\n', "\n"),
                      encoding="utf-8")
    copied = run(course, "grade", "migrate", "--from", url, "--to", str(lite / "grader" / "gradebook.db"))
    assert copied.returncode == 0, copied.stdout + copied.stderr
    return {"course": course, "lite": lite, "url": url, "postgres": postgres, "tmp": tmp,
            "lite_url": f"sqlite:///{lite / 'grader' / 'gradebook.db'}", "migrated": migrated.stdout,
            "results": results, "seconds": time.monotonic() - start,
            "expected": {s: expected[s] for s in STUDENTS}}


def test_migration_of_the_new_course_verified(graded) -> None:
    out = graded["migrated"]
    assert "Перенос подтверждён" in out and "НЕ СОВПАДАЕТ" not in out
    assert 'c.CourseDirectory.db_url = "postgresql+psycopg2://' in out


def test_two_graders_at_once_succeed(graded) -> None:
    for code, out in graded["results"]:
        assert code == 0, out[-3000:]


def test_postgresql_scores_are_the_expected_ones(graded) -> None:
    assert scores(graded["url"]) == graded["expected"]


def test_nothing_lost_nothing_counted_twice(graded) -> None:
    from nbgrader.api import Gradebook

    pg = counts(graded["url"])
    assert pg["submitted_assignment"] == len(STUDENTS) and pg["submitted_notebook"] == len(STUDENTS)
    assert pg["grade"] == len(STUDENTS) * pg["grade_cells"] + len(STUDENTS) * pg["task_cells"]
    with Gradebook(graded["url"]) as gb:
        assert sorted(s.student_id for s in gb.assignment_submissions(A)) == sorted(STUDENTS)


def test_the_course_never_falls_back_to_sqlite(graded) -> None:
    """After the config line, nothing in `smmkit grade` builds a SQLite path of its own."""
    assert not (graded["course"] / "grader" / "gradebook.db").exists()


def test_backups_of_the_postgresql_gradebook_are_sqlite_gradebooks(graded) -> None:
    from nbgrader.api import Gradebook

    backups = sorted((graded["course"] / "grader" / "backups").glob("gradebook-*.db"))
    assert len(backups) >= 2  # one per grader, taken before its batch (and one per regrade)
    for path in backups:
        with Gradebook(f"sqlite:///{path}") as gb:
            assert gb.find_assignment(A).name == A
            assert EXTRA in {s.id for s in gb.students}


def test_collect_registers_the_roster_in_postgresql(graded) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(graded["url"], "smm101") as gb:
        extra = gb.find_student(EXTRA)
        assert (extra.first_name, extra.last_name, extra.email) == ("Айгерим", "Сейтказы", "aigerim@example.kz")


def test_export_from_postgresql_equals_sqlite(graded) -> None:
    tmp = graded["tmp"]
    rows = {}
    for name in ("course", "lite"):
        out = tmp / f"{name}.csv"
        done = run(graded[name], "grade", "export", "csv", str(out))
        assert done.returncode == 0, done.stdout + done.stderr
        with out.open(encoding="utf-8") as f:
            rows[name] = sorted(tuple(sorted(r.items())) for r in csv.DictReader(f))
    assert rows["course"] == rows["lite"]
    assert len(rows["course"]) == len(STUDENTS) + 1


def test_feedback_from_postgresql(graded) -> None:
    done = run(graded["course"], "grade", "feedback", A, "--student", "typical")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (graded["course"] / "feedback" / "typical" / A / f"{A}.html").exists()


def test_regrading_replaces_and_does_not_double_count(graded) -> None:
    before = counts(graded["url"])
    code, out = finish(grade(graded["course"], ["typical"]))
    assert code == 0, out[-3000:]
    assert counts(graded["url"]) == before
    assert scores(graded["url"]) == graded["expected"]


def test_migration_round_trip(graded, tmp_path) -> None:
    """PostgreSQL → SQLite file → a new PostgreSQL database: every row of every table comes back."""
    pg, back = graded["url"], graded["postgres"].createdb("roundtrip")
    copy = tmp_path / "copy.db"
    out = run(graded["course"], "grade", "migrate", "--from", pg, "--to", str(copy))
    assert out.returncode == 0, out.stdout + out.stderr
    out = run(graded["course"], "grade", "migrate", "--from", str(copy), "--to", back)
    assert out.returncode == 0, out.stdout + out.stderr
    checks = gradebook.verify(pg, back)
    assert all(c.ok for c in checks), gradebook.report(checks)
    assert scores(back) == graded["expected"]


def test_migration_of_a_graded_sqlite_gradebook(graded) -> None:
    target = graded["postgres"].createdb("from_sqlite")
    out = run(graded["lite"], "grade", "migrate", "--to", target)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "grade" in out.stdout and "итоги работ" in out.stdout
    assert scores(target) == scores(graded["lite_url"]) == graded["expected"]


def test_migration_refuses_a_non_empty_database(graded) -> None:
    before = counts(graded["url"])
    out = run(graded["lite"], "grade", "migrate", "--to", graded["url"])
    assert out.returncode == 2
    assert "не пуста" in out.stdout and "submitted_assignment" in out.stdout, out.stdout
    assert counts(graded["url"]) == before


def _open(url: str, barrier) -> None:
    """Ready everything slow (imports, nbgrader's `alembic heads`), then open the gradebook with the others."""
    import nbgrader.api
    import psycopg2  # noqa: F401

    from smmkit.assignments import alembic_head_once, ensure_tools_on_path

    ensure_tools_on_path()
    alembic_head_once()
    nbgrader.api.get_alembic_version()
    barrier.wait(timeout=300)
    gradebook.open_once(url)


def test_an_empty_postgresql_gradebook_opened_by_four_processes_at_once(postgres) -> None:
    """nbgrader creates its tables on first use; four processes doing it at the same moment must not collide
    (without open_once's lock, plain `Gradebook(url)` fails here with IntegrityError pg_type_typname_nsp_index
    in about one run of two)."""
    url = postgres.createdb("race")
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(4)
    procs = [context.Process(target=_open, args=(url, barrier)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert counts(url)["alembic_version"] == 1


def test_a_missing_driver_is_explained_in_russian(tmp_path, monkeypatch) -> None:
    """Without psycopg2, `smmkit grade` on a PostgreSQL course says what to install instead of a traceback."""
    from smmkit import cli

    (tmp_path / "grader").mkdir()
    config = (ROOT / "grader" / "nbgrader_config.py").read_text(encoding="utf-8")
    (tmp_path / "grader" / "nbgrader_config.py").write_text(
        config + '\nc.CourseDirectory.db_url = "postgresql+psycopg2://u@127.0.0.1:1/db"\n', encoding="utf-8")
    monkeypatch.setitem(sys.modules, "psycopg2", None)  # import psycopg2 now raises ImportError
    monkeypatch.delenv("SMMKIT_DB_URL", raising=False)
    err = io.StringIO()
    with redirect_stderr(err):
        code = cli.main(["--root", str(tmp_path), "grade", "export", "csv", str(tmp_path / "out.csv")])
    assert code == 2 and "psycopg2" in err.getvalue() and "PostgreSQL для группы" in err.getvalue()
    out = io.StringIO()
    assert gradebook.run_migrate(tmp_path, "postgresql+psycopg2://u@127.0.0.1:1/db", source="x.db", out=out) == 2
    assert "Перенос не выполнен" in out.getvalue() and "psycopg2" in out.getvalue()
