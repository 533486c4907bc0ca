"""Parallel autograding: the scores of ``nbgrader autograde``, computed by a pool of worker processes.

``nbgrader autograde`` grades students one after another (jupyter/nbgrader#174), and each ``nbgrader`` process
spends ~2.5 s starting up. :func:`autograde` starts ``workers`` processes (``spawn`` context; default cores + 1),
each imports nbgrader **once** and grades many students through ``NbGraderAPI.autograde(assignment, student)`` —
the same code path as the command line, so the scores are nbgrader's, but N kernels run at a time. Each
worker forks its kernels from a warm zygote (:mod:`smmkit.grading.sandbox`), which cuts a kernel's start-up
CPU time by ~1 s.

The gradebook, and why there is one: every worker writes into the course's own gradebook. nbgrader's database
writes are short (create the submission, save the grades of a notebook) and far apart (a notebook runs for
seconds between them), so with SQLite they are serialised by SQLite itself: the URL gets a busy timeout
(``?timeout=60``, passed by SQLAlchemy to ``sqlite3.connect``), a writer waits for the other instead of failing
with "database is locked", and a student whose grading still fails on a lock is retried. The other design —
one gradebook copy per worker merged back at the end — was rejected: a batch killed in the middle would lose
every grade held in the copies, and nbgrader's Gradebook API has no "merge a submission" call, so the merge
would be our own code writing nbgrader's tables. With one gradebook every finished student is saved the moment
nbgrader saves it, and ``autograde(force=True)`` replaces a student's submission, so a batch killed with SIGKILL
is simply rerun: nothing lost, nothing duplicated. A PostgreSQL gradebook (the choice for a class, see
:mod:`smmkit.grading.gradebook`) is created once, under a lock, before the workers open it.

Before each batch the gradebook is copied to ``grader/backups/gradebook-<UTC time>.db`` (the last 10 are kept;
a PostgreSQL gradebook is copied into a SQLite file of the same schema, see :func:`backup_gradebook`). Each
student's nbgrader log goes to ``grader/logs/<assignment>/<student>.log`` (outside ``autograded/``, which
nbgrader wipes on failure and ``generate_feedback`` reads). A progress bar is printed to stderr:
«Проверено 12/30 [████████░░░░░░░░░░░░] 40%».

Limits per submission (per-cell timeout, memory, output, working folder, monkeypatching) are in
:mod:`smmkit.grading.sandbox`; :func:`anomalies` lists tampering, crashes and limits per submission.

Workers are started with ``spawn``: a script that calls :func:`autograde` must do so under
``if __name__ == "__main__":`` (the ``smmkit`` command and pytest do).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
import os
import shutil
import sys
import time
import types
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from smmkit.grading.gradebook import (
    BUSY_TIMEOUT_S,
    backup_gradebook,
    driver_problem,
    is_sqlite,
    open_once,
    sqlite_path,
    unknown_work,
)

LOCK_RETRIES = 3
WARM_DATASETS = "smmkit.grading.warm_datasets"
"""Preloaded on the isolated route only (see that module)."""


@dataclass
class StudentResult:
    student: str
    success: bool
    seconds: float
    log: Path
    error: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass
class AutogradeReport:
    assignment: str
    workers: int
    seconds: float = 0.0
    backup: Path | None = None
    landlock: int = 0
    results: list[StudentResult] = field(default_factory=list)
    # students asked for by name (--student) without a submitted/<student>/<assignment>/ folder: not graded
    not_submitted: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[StudentResult]:
        return [r for r in self.results if not r.success]

    def summary(self) -> str:
        from smmkit.russian import plural

        lines = [f"Задание {self.assignment}: проверено {plural(len(self.results), 'работа', 'работы', 'работ')} "
                 f"за {self.seconds:.1f} с ({plural(self.workers, 'процесс', 'процесса', 'процессов')})."]
        if self.backup:
            lines.append(f"Копия журнала оценок до проверки: {self.backup}")
        if self.not_submitted:
            lines.append(f"Нет работы в submitted/<студент>/{self.assignment}/ — не сдана, не собрана (collect) или "
                         f"опечатка в --student; не проверялись ({len(self.not_submitted)}): "
                         + ", ".join(self.not_submitted))
        if not self.landlock:
            lines.append("Внимание: в этой системе нет Landlock — ядро проверки не изолировано от других файлов "
                         "(работ, журнала оценок), сети и процессов; см. grader/README.md.")
        elif self.landlock < 6:
            lines.append(f"Landlock ABI {self.landlock}: файлы изолированы, но "
                         + ("сеть и сигналы другим процессам — нет" if self.landlock < 4 else
                            "сигналы другим процессам — нет") + "; см. grader/README.md.")
        for r in self.results:
            if r.problems or not r.success:
                what = "; ".join(r.problems) if r.problems else (r.error.strip().splitlines() or ["ошибка"])[-1]
                status = "не проверена" if not r.success else "проверена с проблемами"
                lines.append(f"  {r.student}: {status}: {what} (журнал: {r.log})")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- configuration

def course_config(course_root: Path, db_url: str | None = None, *, timeout: int = 30, memory_mb: int = 1024,
                  max_output_kb: int = 1024, isolated: bool = True) -> Any:
    """The course's nbgrader config with the grading limits of this module applied.

    ``isolated`` (the default, for grades that count): test cells run in a separate test runner
    (:mod:`smmkit.grading.isolated`); otherwise nbgrader's own Execute runs everything in the sandboxed kernel.
    """
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    from smmkit.assignments import load_config
    from smmkit.grading.sandbox import DEFAULT_PRELOAD, sandbox_execute_class

    course_root = Path(course_root).resolve()
    config = load_config(course_root, course_root=course_root, db_url=db_url)
    url = str(config.CourseDirectory.db_url)
    if url.startswith("sqlite:///") and "?" not in url:
        config.CourseDirectory.db_url = f"{url}?timeout={BUSY_TIMEOUT_S}"
    config.Execute.timeout = int(timeout)
    config.SandboxKernelManager.memory_mb = int(memory_mb)
    config.SandboxKernelManager.output_kb = int(max_output_kb)
    config.SandboxKernelManager.protected = protected_folders(course_root, config)
    config.LimitOutput.max_lines = 1000
    config.LimitOutput.max_traceback = 100
    from nbgrader.preprocessors import ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec

    from smmkit.grading.inert_markdown import inert_markdown_class
    from smmkit.grading.isolated import drop_unknown_cells_class

    # Markdown is made inert before OverwriteCells puts the instructor's locked cells back as they were
    config.Autograde.sanitize_preprocessors = [drop_unknown_cells_class(), inert_markdown_class(), ClearOutput,
                                               DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata]
    if isolated:
        from smmkit.grading.isolated import isolated_execute_class

        config.SandboxKernelManager.isolate = True
        config.IsolatedExecute.output_bytes = int(max_output_kb) * 1024
        # the tests run apart from the student's code: kernels and runners may start with the datasets parsed
        preload = list(config.SandboxKernelManager.get("preload", DEFAULT_PRELOAD))
        config.SandboxKernelManager.preload = [*preload, WARM_DATASETS] if WARM_DATASETS not in preload else preload
    config.Autograde.autograde_preprocessors = [
        isolated_execute_class() if isolated else sandbox_execute_class(), IgnorePattern, ClearMetadataPreprocessor,
        LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
    ]
    return config


def protected_folders(course_root: Path, config: Any) -> list[str]:
    """The course's folders a grading kernel must not read: submissions, grading results, feedback, the source
    (with hidden tests), the solutions and the folder of a SQLite gradebook (with its backups and logs)."""
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    folders = [course_root / "grader"]
    folders += [course_root / str(getattr(coursedir, trait)) for trait in (
        "source_directory", "submitted_directory", "autograded_directory", "feedback_directory",
        "solution_directory")]
    db = sqlite_path(str(config.CourseDirectory.db_url))
    if db is not None:
        folders.append(db.parent)
    return sorted({str(p.resolve()) for p in folders})


def submitted_students(course_root: Path, assignment: str) -> list[str]:
    """Students with a ``submitted/<student>/<assignment>/`` folder (hidden folders such as .previous skipped)."""
    root = Path(course_root) / "submitted"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and (p / assignment).is_dir())


def log_path(course_root: Path, assignment: str, student: str) -> Path:
    return Path(course_root) / "grader" / "logs" / assignment / f"{student}.log"


# ------------------------------------------------------------------------------------------------------ workers

_API: Any = None
_STARTED: Any = None  # the batch's queue of students a worker has begun grading (see _run_pool)


def _die_with_parent() -> None:
    """Linux: the worker gets SIGKILL when the batch process dies (so a killed batch leaves no graders)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL


def _worker_init(course_root: str, db_url: str | None, limits: dict[str, Any], started: Any = None) -> None:
    global _API, _STARTED
    _STARTED = started
    _die_with_parent()
    import logging

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    logging.getLogger("traitlets").setLevel(logging.ERROR)
    # nbgrader's own harmless SQLAlchemy warning (also silenced in pyproject's pytest settings)
    warnings.filterwarnings("ignore", message="Object of type <Submitted")
    config = course_config(Path(course_root), db_url, **limits)
    compiled_metadata_checks()
    _API = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    _API.log.handlers[:] = []  # the per-student log is captured by capture_log; keep the terminal clean
    _API.log.propagate = False


def compiled_metadata_checks() -> None:
    """nbgrader checks every cell's metadata with ``jsonschema.validate``, which checks the schema itself first
    and builds a new validator each time (a quarter of a worker's CPU per student). Same checks, same errors:
    the validator is built once per schema."""
    import jsonschema
    from jsonschema.exceptions import best_match
    from nbgrader.nbgraderformat import common

    validators: dict[str, Any] = {}

    def validate(instance: Any, schema: Any) -> None:
        key = json.dumps(schema, sort_keys=True)  # nbgrader loads the schema anew for each notebook
        validator = validators.get(key)
        if validator is None:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = validators[key] = cls(schema)
        error = best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    common.jsonschema = types.SimpleNamespace(validate=validate)


def _grade_one(assignment: str, student: str) -> dict[str, Any]:
    start = time.monotonic()
    if _STARTED is not None:
        _STARTED.put(student)
    result: dict[str, Any] = {}
    from smmkit.grading.sandbox import odd_entries

    folder = Path(_API.coursedir.root) / str(_API.coursedir.submitted_directory) / student / assignment
    odd = odd_entries(folder)
    if odd:  # nbgrader would copy the targets of links as the instructor: refuse the submission, say why
        return {"student": student, "success": False, "log": "", "seconds": time.monotonic() - start,
                "error": "в работе есть ссылки или особые файлы, работа не проверена: " + "; ".join(odd[:10])}
    for _ in range(LOCK_RETRIES):
        result = _API.autograde(assignment, student, force=True, create=True)
        text = f"{result.get('error') or ''}\n{result.get('log') or ''}"
        if result.get("success") or "database is locked" not in text:
            break
        time.sleep(1.0)
    return {"student": student, "success": bool(result.get("success")), "log": result.get("log") or "",
            "error": result.get("error") or "", "seconds": time.monotonic() - start}


# ------------------------------------------------------------------------------------------------ log reading

PROBLEM_PATTERNS = {
    "CellTimeoutError": "превышено время выполнения ячейки",
    "became unresponsive": "ядро перестало отвечать (бесконечный цикл?)",
    "DeadKernelError": "ядро упало (os._exit, нехватка памяти, сбой)",
    "Kernel died": "ядро упало (os._exit, нехватка памяти, сбой)",
    "MemoryError": "нехватка памяти (лимит)",
    "smmkit: вывод обрезан": "слишком большой вывод (обрезан)",
    "Output truncated": "слишком большой вывод (обрезан)",
    "NotJSONError": "файл не является ноутбуком",
    "is not valid JSON": "файл не является ноутбуком",
    "Notebook does not appear to be JSON": "файл не является ноутбуком",
    "No submitted file": "нет файла ноутбука",
    "checksum for grade cell": "изменена заблокированная/тестовая ячейка",
    "Duplicate grade id": "дублированные ячейки",
    "seconds late": "сдано с опозданием",
    "ссылки или особые файлы": "ссылки или особые файлы в работе (не проверена)",
}

# Events the isolated route writes into a student's log (``smmkit-event: kind: cell: detail``).
EVENT_KINDS = {
    "link": "ссылка",
    "shell": "состояние оболочки",
    "processes": "фоновые процессы",
    "bogus-cell": "лишняя ячейка",
    "export": "состояние оболочки",
    "opaque": "значение не передано",
    "html": "HTML в тексте",
}


def problems_in(text: str) -> list[str]:
    """Human-readable problems found in an nbgrader log or notebook text (deduplicated, in order)."""
    found: list[str] = []
    for needle, label in PROBLEM_PATTERNS.items():
        if needle in text and label not in found:
            found.append(label)
    return found


def _autograded_notebook_text(course_root: Path, assignment: str, student: str) -> str:
    folder = Path(course_root) / "autograded" / student / assignment
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.ipynb")))


# ----------------------------------------------------------------------------------------------------- batch

def progress_line(done: int, total: int, width: int = 20) -> str:
    """The batch's progress bar.

    >>> progress_line(12, 30)
    'Проверено 12/30 [████████░░░░░░░░░░░░]  40%'
    """
    filled = width * done // max(total, 1)
    return f"Проверено {done}/{total} [{'█' * filled}{'░' * (width - filled)}] {100 * done // max(total, 1):3d}%"


def default_workers() -> int:
    """Cores + 1: a grading worker waits ~40% of its time on its kernel (start, shutdown), so one more worker
    than cores keeps the cores busy (measured with ``tools/bench_autograde.py``)."""
    return (os.cpu_count() or 1) + 1


class IsolationUnavailable(RuntimeError):
    """The isolated route cannot run here (no user namespaces or no Landlock): refuse, never grade unsafely."""


def check_isolation() -> None:
    """Refuse the isolated route where its walls are missing (say why and what to do, in Russian)."""
    from smmkit.grading.kernel_launch import landlock_abi, namespaces_available

    if not namespaces_available():
        raise IsolationUnavailable(
            "Изолированная проверка невозможна: ядро Linux не даёт создать пространства имён пользователя "
            "(user namespaces; например, Ubuntu 24.04 запрещает их через AppArmor). Разрешите их "
            "(sysctl kernel.apparmor_restrict_unprivileged_userns=0) или проверяйте обычным nbgrader для "
            "практики: smmkit grade autograde --plain (см. grader/README.md).")
    if landlock_abi() < 1:
        raise IsolationUnavailable(
            "Изолированная проверка невозможна: в ядре Linux нет Landlock (нужно Linux 5.13+ с Landlock). "
            "Для практики: smmkit grade autograde --plain (см. grader/README.md).")


def autograde(course_root: Path, assignment: str, workers: int | None = None, students: list[str] | None = None,
              timeout: int = 30, memory_mb: int = 1024, max_output_kb: int = 1024, progress: bool = True, *,
              db_url: str | None = None, stream: TextIO | None = None, isolated: bool = True) -> AutogradeReport:
    """Autograde ``students`` (default: all in ``submitted/``) of ``assignment`` with ``workers`` processes.

    If a worker process dies (a submission killed it where the sandbox cannot stop that), the batch goes on:
    the students no worker had started are graded by new workers, and those that were being graded at that
    moment are graded again one at a time by a single worker; one that kills that worker too is reported as
    not graded.
    """
    from smmkit.assignments import ensure_tools_on_path
    from smmkit.grading.kernel_launch import landlock_abi

    ensure_tools_on_path()
    if isolated:
        check_isolation()
    course_root = Path(course_root).resolve()
    stream = stream or sys.stderr
    present = submitted_students(course_root, assignment)
    wanted = [s for s in students if s in present] if students is not None else present
    # a section's list (a hub group) names students who did not submit: say so instead of a failed grading
    not_submitted = [s for s in students if s not in present] if students is not None else []
    workers = max(1, min(workers or default_workers(), max(1, len(wanted))))
    start = time.monotonic()
    config = course_config(course_root, db_url)
    walls = config.SandboxKernelManager.get("landlock", True)
    report = AutogradeReport(assignment=assignment, workers=workers, landlock=landlock_abi() if walls else 0,
                             not_submitted=not_submitted)
    url = str(config.CourseDirectory.db_url)
    if not is_sqlite(url):  # nbgrader's tables exist before any worker opens the gradebook
        open_once(url)
    report.backup = backup_gradebook(url, folder=None if is_sqlite(url) else course_root / "grader" / "backups")
    if not wanted:
        return report
    limits = {"timeout": timeout, "memory_mb": memory_mb, "max_output_kb": max_output_kb, "isolated": isolated}
    done = 0
    if progress:
        print(progress_line(0, len(wanted)), end="", file=stream, flush=True)
    queue, suspects = list(wanted), []
    while queue or suspects:
        # after a worker died, the students it may have been grading are graded one at a time (one worker)
        solo = not queue
        batch, queue, suspects = (suspects, [], []) if solo else (queue, [], suspects)
        progressed = False
        for raw in _run_pool(course_root, assignment, batch, 1 if solo else workers, db_url, limits):
            student = raw["student"]
            if raw.get("worker_died"):
                if not raw["started"]:  # never began: no evidence against it
                    (suspects if solo else queue).append(student)
                    continue
                progressed = True
                if not solo:  # one of the students in flight killed the worker: find out which, alone
                    suspects.append(student)
                    continue
                raw = {**raw, "success": False, "error": "процесс проверки погиб на этой работе дважды "
                       "(работа завершает чужие процессы?)"}
            report.results.append(_record(course_root, assignment, raw))
            progressed = True
            done += 1
            if progress:
                print("\r" + progress_line(done, len(wanted)), end="", file=stream, flush=True)
        if not progressed:  # the workers die before grading anyone (broken installation): stop, say so
            for student in queue + suspects:
                report.results.append(_record(course_root, assignment, {
                    "student": student, "success": False, "log": "", "seconds": 0.0,
                    "error": "не удалось запустить процесс проверки (см. сообщения выше)"}))
            break
    if progress:
        print("", file=stream, flush=True)
    report.results.sort(key=lambda r: r.student)
    report.seconds = time.monotonic() - start
    return report


def _run_pool(course_root: Path, assignment: str, students: list[str], workers: int, db_url: str | None,
              limits: dict[str, Any]) -> Any:
    """Grade ``students`` with a pool of ``workers``; yield each result as it comes.

    If the pool breaks (a worker died), yield ``{"worker_died": True, "started": ...}`` for every student
    without a result: ``started`` says whether a worker had begun grading it.
    """
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    started = context.SimpleQueue()
    seen: set[str] = set()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init,
                             initargs=(str(course_root), db_url, limits, started)) as pool:
        futures = {pool.submit(_grade_one, assignment, s): s for s in students}
        for future in as_completed(futures):
            while not started.empty():  # drained as we go, so that the pipe never fills up
                seen.add(started.get())
            try:
                yield future.result()
            except BrokenProcessPool:
                student = futures[future]
                yield {"student": student, "worker_died": True, "started": student in seen, "success": False,
                       "log": "", "error": "процесс проверки погиб", "seconds": 0.0}


def _record(course_root: Path, assignment: str, raw: dict[str, Any]) -> StudentResult:
    student = raw["student"]
    path = log_path(course_root, assignment, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = raw["log"] + (f"\n[ERROR] {raw['error']}" if raw["error"] else "")
    found = problems_in(text + "\n" + _autograded_notebook_text(course_root, assignment, student))
    header = (f"# smmkit autograde {assignment} {student}: "
              f"{'OK' if raw['success'] else 'ОШИБКА'}, {raw['seconds']:.1f} s\n")
    if found:
        header += "# Проблемы: " + "; ".join(found) + "\n"
    path.write_text(header + text, encoding="utf-8")
    return StudentResult(student=student, success=raw["success"], seconds=raw["seconds"], log=path,
                         error=raw["error"], problems=found)


def run_autograde(course_root: Path, assignment: str, workers: int | None = None, *,
                  students: list[str] | None = None, timeout: int = 30, memory_mb: int = 1024,
                  max_output_kb: int = 1024, out: TextIO | None = None, isolated: bool = True) -> int:
    """CLI entry (``smmkit grade autograde A [--workers N]``): grade, print a summary; 0 if all were graded.

    Students named with ``students`` who have no submission are listed and skipped (a section's list holds those
    who did not submit); 1 if none of them has one."""
    out = out or sys.stdout
    if not (Path(course_root) / "submitted").is_dir():
        print(f"Нет папки submitted/ в {course_root}: сначала соберите работы (smmkit grade collect).", file=out)
        return 2
    from nbgrader.api import Gradebook, MissingEntry

    from smmkit.assignments import ensure_tools_on_path

    ensure_tools_on_path()
    url = str(course_config(Path(course_root)).CourseDirectory.db_url)
    problem = driver_problem(url)
    if problem:
        print(problem, file=out)
        return 2
    mismatch = unknown_work(Path(course_root), url, assignment, graded=False)
    if mismatch:  # before opening it: nbgrader would create an empty SQLite gradebook
        print(mismatch, file=out)
        return 2
    if not is_sqlite(url):
        open_once(url)
    with Gradebook(url) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            print(f"Журнал оценок не знает задание «{assignment}»: выполните в grader/ "
                  f"`nbgrader generate_assignment {assignment} --force`.", file=out)
            return 2
    try:
        report = autograde(course_root, assignment, workers=workers, students=students, timeout=timeout,
                           memory_mb=memory_mb, max_output_kb=max_output_kb, isolated=isolated)
    except IsolationUnavailable as exc:
        print(str(exc), file=out)
        return 2
    print(report.summary(), file=out)
    if not isolated:
        print("Внимание: проверка шла как в обычном nbgrader (--plain): тесты выполнялись в ядре студента, и его код "
              "мог на них повлиять. Для итоговых оценок запустите без --plain.", file=out)
    nothing = report.not_submitted and not report.results  # every student asked for lacks a submission
    return 1 if report.failed or nothing else 0


def clear_logs(course_root: Path, assignment: str) -> None:
    """Remove the per-student logs of an assignment (tests and reruns from scratch)."""
    shutil.rmtree(Path(course_root) / "grader" / "logs" / assignment, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------- anomalies

def _suspicious() -> list[tuple[str, str]]:
    """Patterns of suspicious student code and their Russian labels (``suspicious.yaml`` beside this module)."""
    import yaml

    data = yaml.safe_load(Path(__file__).with_name("suspicious.yaml").read_text(encoding="utf-8"))
    return [(str(p["pattern"]), str(p["label"])) for p in data["patterns"]]


SUSPICIOUS = _suspicious()


EVENT = __import__("re").compile(r"smmkit-event: ([\w-]+): ([^:\n]*): ([^\n]*)")


def release_cells(course_root: Path, assignment: str) -> dict[str, dict[str, Any]]:
    """Cells with a grade_id in the release (student version): ``grade_id -> {notebook, checksum, flags}``.

    The release, not the gradebook, is the reference: the gradebook's checksums of test cells are those of the
    master (with the hidden tests), which no honest submission matches.
    """
    import nbformat
    from nbgrader.utils import compute_checksum

    config = course_config(Path(course_root))
    release = Path(course_root) / str(config.CourseDirectory.release_directory) / assignment
    cells: dict[str, dict[str, Any]] = {}
    for path in sorted(release.glob("*.ipynb")):
        for cell in nbformat.read(str(path), as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if not meta.get("grade_id"):
                continue
            cells[meta["grade_id"]] = {"notebook": path.stem, "checksum": compute_checksum(cell),
                                       "locked": bool(meta.get("locked")), "solution": bool(meta.get("solution")),
                                       "grade": bool(meta.get("grade")), "points": meta.get("points")}
    return cells


def _student_anomalies(course_root: Path, assignment: str, student: str, cells: dict[str, dict[str, Any]],
                       late: dict[str, float]) -> list[dict[str, str]]:
    import json
    import re
    import warnings

    import nbformat
    from nbgrader.utils import compute_checksum

    rows: list[dict[str, str]] = []

    def add(kind: str, cell: str, detail: str) -> None:
        rows.append({"student": student, "kind": kind, "cell": cell, "detail": detail})

    folder = Path(course_root) / "submitted" / student / assignment
    names = sorted({info["notebook"] for info in cells.values()})
    for name in names:
        path = folder / f"{name}.ipynb"
        if not path.exists():
            add("нет файла", "", f"нет {path.name}")
            continue
        try:
            raw_ids = [c.get("id") for c in json.loads(path.read_text(encoding="utf-8")).get("cells", [])]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                nb = nbformat.read(str(path), as_version=4)
            nb_cells = list(nb.cells)
        except Exception as exc:
            add("не ноутбук", "", f"файл не является ноутбуком: {type(exc).__name__}")
            continue
        by_grade: dict[str, list[Any]] = {}
        ids: dict[str, int] = {}
        for cell in nb_cells:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid:
                by_grade.setdefault(gid, []).append(cell)
        for gid, info in cells.items():
            if info["notebook"] != name:
                continue
            found = by_grade.get(gid, [])
            if not found:
                if info["locked"] or info["grade"]:
                    add("удалена ячейка", gid, "нет ячейки с этим grade_id (удалена или переименована)")
                continue
            if len(found) > 1:
                add("дублирована ячейка", gid, f"{len(found)} ячейки с одним grade_id (копия или разрезанная)")
            cell = found[0]
            meta = cell.metadata.get("nbgrader", {})
            changed = [k for k in ("solution", "locked", "grade") if bool(meta.get(k, False)) != bool(info[k])]
            if info["grade"] and meta.get("points") is not None and float(meta["points"]) != float(info["points"]):
                changed.append("points")
            if changed:
                add("изменены метаданные", gid, "изменены метаданные nbgrader: " + ", ".join(changed))
            if info["locked"] or (info["grade"] and not info["solution"]):
                try:
                    checksum = compute_checksum(cell)
                except Exception:
                    checksum = ""
                if checksum != info["checksum"] and "points" not in changed:
                    add("изменена ячейка", gid, "изменена заблокированная/тестовая ячейка "
                        "(при проверке восстановлена из журнала оценок)")
        for cid in raw_ids:
            if isinstance(cid, str):
                ids[cid] = ids.get(cid, 0) + 1
        for gid in sorted(set(by_grade) - set(cells)):
            add("лишняя ячейка", gid, "grade_id, которого нет в задании (нет ячейки в журнале)")
        for cid, count in sorted(ids.items()):
            if count > 1:
                add("дублирован id", cid, f"id ячейки встречается {count} раза")
        for cell in nb_cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.get("cell_type") != "code" or (meta.get("grade_id") in cells
                                                   and not cells[meta["grade_id"]]["solution"]):
                continue
            source = cell.get("source", "")
            for pattern, label in SUSPICIOUS:
                if re.search(pattern, source, flags=re.MULTILINE):
                    add("подозрительный код", meta.get("grade_id", ""), label)
    log = log_path(course_root, assignment, student)
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    text += "\n" + _autograded_notebook_text(course_root, assignment, student)
    for kind, cell, detail in EVENT.findall(text):
        add(EVENT_KINDS.get(kind, kind), cell.strip(), detail.strip())
    if log.exists() and "# smmkit autograde" in text and ": ОШИБКА," in text.splitlines()[0]:
        add("проверка не прошла", "", "nbgrader не смог проверить работу (см. журнал)")
    for problem in problems_in(text):
        if problem == "сдано с опозданием":
            continue
        kind = "ядро" if "ядро" in problem else "лимит" if ("время" in problem or "памят" in problem
                                                         or "вывод" in problem) else "проверка"
        add(kind, "", problem)
    if late.get(student, 0) > 0:
        add("опоздание", "", f"сдано позже срока на {late[student] / 3600:.1f} ч")
    return rows


def anomalies(course_root: Path, assignment: str, *, db_url: str | None = None, write: bool = True) -> Any:
    """Tampering, crashes and limits of each submission of ``assignment``, as a DataFrame.

    Compares each submitted notebook with the gradebook's record of the release (checksums of locked and test
    cells, their nbgrader metadata, missing/extra/duplicated grade ids and cell ids), scans the students' code
    for suspicious constructs (sys.exit, redefined builtins, monkeypatched pandas/numpy/datasets, paths
    outside the submission) and reads the autograde logs (timeouts, dead kernels, memory, cut output).
    With ``write``, also saves ``autograded/<assignment>-anomalies.csv`` and ``.md``.
    """
    import pandas as pd
    from nbgrader.api import Gradebook

    from smmkit.assignments import ensure_tools_on_path

    ensure_tools_on_path()
    course_root = Path(course_root).resolve()
    url = str(course_config(course_root, db_url).CourseDirectory.db_url)
    cells = release_cells(course_root, assignment)
    late: dict[str, float] = {}
    with Gradebook(url) as gb:
        for sub in gb.assignment_submissions(assignment):
            late[sub.student_id] = float(sub.total_seconds_late or 0)
    rows: list[dict[str, str]] = []
    for student in submitted_students(course_root, assignment):
        rows.extend(_student_anomalies(course_root, assignment, student, cells, late))
    frame = pd.DataFrame(rows, columns=["student", "kind", "cell", "detail"]).drop_duplicates()
    frame = frame.reset_index(drop=True)
    if write:
        out = course_root / "autograded"
        out.mkdir(parents=True, exist_ok=True)
        frame.to_csv(out / f"{assignment}-anomalies.csv", index=False, encoding="utf-8")
        lines = [f"# Аномалии: {assignment}", "", f"Работ с замечаниями: {frame['student'].nunique()}", "",
                 "| Студент | Что | Ячейка | Подробности |", "|---|---|---|---|"]
        lines += [f"| {r.student} | {r.kind} | {r.cell} | {r.detail} |" for r in frame.itertuples()]
        (out / f"{assignment}-anomalies.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return frame
