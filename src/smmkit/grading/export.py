"""Export grades from the course's nbgrader gradebook: nbgrader's CSV, a Moodle grade import, an xlsx gradebook.

Formats of ``export(course_root, fmt, out)``:

``csv``
    nbgrader's own export (``CsvExportPlugin``, what ``nbgrader export`` writes), one row per student and
    assignment; students without a submission get 0. Written as UTF-8 on every system (nbgrader opens the file in
    the system's encoding, which on Windows cannot hold Kazakh letters). The roster is not used.
``moodle``
    A file for Moodle's «Оценки → Импорт → CSV-файл» / "Grades → Import → CSV file": UTF-8, comma-separated, one
    identifier column and one column per assignment with the score (after nbgrader's late penalty; points, or
    percents with ``percent=True`` when the Moodle grade item's maximum is 100). On the import page choose
    «Map from: Email address» → «Map to: Email address» (``moodle_id="email"``, the default) or «Map from: ID
    number» → «Map to: ID number» (``moodle_id="idnumber"``: the course's student id, only if your Moodle users'
    ID number field holds the same ids). Under «Grade item mappings» pick the Moodle assignment for each
    ``<assignment> (Real)`` column (an English Moodle maps it by itself when the names are equal).
    Moodle aborts the whole import on a row whose user it cannot find or whose identifier is empty, and an empty
    grade cell **clears** that grade in Moodle, so a row is written only when every cell of it holds a grade.
    Left out (printed, and listed in ``<out>-не-выгружены.csv`` beside the file): students without the
    identifier; submissions that could not be graded (autograde failed, the autograded notebook is missing, a
    test cell has no score) or are collected but not autograded yet — never exported as 0; and students who did
    not submit, unless ``missing_as_zero=True`` (then their cell is 0). Export one assignment at a time
    (``assignment=…``): then one student's missing work does not hold back their other grades.
``xlsx``
    The instructor's gradebook: sheet «Оценки» (student id, name, e-mail; per assignment score, maximum, percent,
    letter, GPA points, lateness, status; totals over the exported assignments), sheet «Шкала» (the Kazakhstan
    letter scale) and sheet «Задания» (per question: class average, count of submissions, ungraded manual ones).
    Rows are in Kazakh/Russian alphabetical order of surname and name (``kz_names.yaml``: Ә after А, Ё after Е,
    Latin names after Cyrillic ones). A missing submission counts 0 (status «не сдано»), one that could not be
    graded shows «не удалось проверить»; a percent is rounded half up to a whole percent before it gets a letter
    (see ``smmkit.grading.scale``), and the total's letter comes from the total percent.

Students and e-mails come from the gradebook; a ``roster`` CSV (see ``collect.read_roster``) fills in names and
e-mails by student id and adds roster students missing from the gradebook (as not submitted).
"""

from __future__ import annotations

import csv
import functools
import glob
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from unittest import mock

from smmkit.grading.collect import alphabet_key, course_directory, read_roster
from smmkit.grading.scale import Scale, letter, load_scale, round_percent

FORMATS = ("csv", "moodle", "xlsx")
MOODLE_IDS = {"email": "Email address", "idnumber": "ID number"}

NOT_SUBMITTED = "не сдано"
NOT_AUTOGRADED = "собрано, не проверено (autograde)"
NEEDS_MANUAL = "ждёт ручной проверки"
GRADED = "проверено"
UNGRADABLE = "не удалось проверить"


@dataclass(frozen=True)
class StudentInfo:
    """A student as exported: id, names, e-mail."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


@dataclass(frozen=True)
class Result:
    """One student's result on one assignment (``submitted=False``: not in the gradebook, score 0)."""

    submitted: bool
    score: float
    max_score: float
    seconds_late: float = 0.0
    needs_manual: bool = False
    collected: bool = False  # in submitted/ but not autograded yet
    problem: str = ""  # in the gradebook but could not be graded: why (then the score means nothing)

    @property
    def percent(self) -> float | None:
        """Score as a percentage of the maximum (None when the maximum is 0)."""
        return self.score / self.max_score * 100 if self.max_score else None

    @property
    def status(self) -> str:
        """«не сдано», «ждёт ручной проверки» or «проверено»."""
        if not self.submitted:
            return NOT_AUTOGRADED if self.collected else NOT_SUBMITTED
        if self.problem:
            return UNGRADABLE
        return NEEDS_MANUAL if self.needs_manual else GRADED


@dataclass(frozen=True)
class QuestionStats:
    """Class statistics of one graded cell (question) of an assignment."""

    assignment: str
    notebook: str
    name: str
    kind: str
    max_score: float
    count: int
    mean: float
    ungraded: int


@dataclass
class Grades:
    """Everything the exports need, read once from the gradebook (and the roster)."""

    assignments: list[str]
    max_scores: dict[str, float]
    students: list[StudentInfo]
    results: dict[tuple[str, str], Result] = field(default_factory=dict)
    questions: list[QuestionStats] = field(default_factory=list)

    def result(self, student: str, assignment: str) -> Result:
        """A student's result on an assignment (not submitted if the gradebook has none)."""
        return self.results.get((student, assignment), Result(False, 0.0, self.max_scores[assignment]))


def load_grades(course_root: Path, *, assignment: str | None = None, roster: Path | None = None) -> Grades:
    """Read assignments, students, scores and per-question statistics from the course's gradebook."""
    from nbgrader.api import Gradebook

    coursedir = course_directory(Path(course_root))
    people = read_roster(roster) if roster is not None else None
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        chosen = [a for a in gb.assignments if assignment is None or a.name == assignment]
        if not chosen:
            raise ValueError(f"В журнале оценок нет задания «{assignment}»" if assignment else
                             "В журнале оценок нет заданий: сначала nbgrader generate_assignment и autograde")
        grades = Grades([a.name for a in chosen], {a.name: float(a.max_score or 0) for a in chosen}, [])
        students = {s.id: StudentInfo(s.id, s.first_name or "", s.last_name or "", s.email or "")
                    for s in gb.students}
        cells: dict[tuple[str, str, str], list[Any]] = {}
        kinds: dict[tuple[str, str, str], str] = {}
        for a in chosen:
            for nb in a.notebooks:
                answers = {cell.name for cell in nb.solution_cells}
                for cell in nb.grade_cells:  # a code grade cell that is no answer cell holds autograder tests
                    auto = cell.cell_type == "code" and cell.name not in answers
                    kinds[(a.name, nb.name, cell.name)] = "авто" if auto else "ручная"
            for sub in gb.assignment_submissions(a.name):
                penalty = float(sub.late_submission_penalty or 0.0)
                problem = _ungradable(coursedir, sub, kinds)
                grades.results[(sub.student_id, a.name)] = Result(
                    True, max(0.0, float(sub.score or 0.0) - penalty), float(a.max_score or 0),
                    float(sub.total_seconds_late or 0.0), bool(sub.needs_manual_grade), problem=problem)
                for nb in [] if problem else sub.notebooks:  # an ungraded submission has no scores to average
                    for g in nb.grades:
                        cells.setdefault((a.name, nb.name, g.name), []).append(
                            (float(g.score or 0.0), float(g.max_score or 0.0), bool(g.needs_manual_grade)))
    if people is not None:
        for row in people.rows:
            known = students.get(row.student_id, StudentInfo(row.student_id))
            students[row.student_id] = StudentInfo(row.student_id, row.first_name or known.first_name,
                                                   row.last_name or known.last_name, row.email or known.email)
    for a in grades.assignments:  # collected but not autograded: say so instead of «не сдано»
        for found in glob.glob(coursedir.format_path(coursedir.submitted_directory, "*", a)):
            sid = Path(found).parent.name
            students.setdefault(sid, StudentInfo(sid))
            if (sid, a) not in grades.results and Path(found).is_dir():
                grades.results[(sid, a)] = Result(False, 0.0, grades.max_scores[a], collected=True)
    grades.students = sorted(students.values(), key=student_order)
    order = _cell_order(coursedir, grades.assignments)
    for (a, nb, name), values in sorted(cells.items(), key=lambda kv: (grades.assignments.index(kv[0][0]),
                                                                       order.get(kv[0], 10**6), kv[0])):
        scores = [v[0] for v in values]
        grades.questions.append(QuestionStats(a, nb, name, kinds.get((a, nb, name), "ручная"), values[0][1],
                                              len(values), sum(scores) / len(scores), sum(1 for v in values if v[2])))
    return grades


def student_order(s: StudentInfo) -> tuple[Any, ...]:
    """Kazakh/Russian alphabetical order of surname, then name (Ә after А, Ё after Е; Latin after Cyrillic)."""
    return alphabet_key(s.last_name), alphabet_key(s.first_name), s.id


def _ungradable(coursedir: Any, sub: Any, kinds: dict[tuple[str, str, str], str]) -> str:
    """Why a submission in the gradebook has no real grade ("" if it has one): missing notebook, unscored test."""
    assignment = sub.assignment.name
    folder = Path(coursedir.format_path(coursedir.autograded_directory, sub.student_id, assignment))
    for nb in sub.notebooks:
        if not (folder / f"{nb.name}.ipynb").is_file():
            return f"нет проверенного ноутбука autograded/{sub.student_id}/{assignment}/{nb.name}.ipynb"
        unscored = [g.name for g in nb.grades if kinds.get((assignment, nb.name, g.name)) == "авто"
                    and g.auto_score is None and g.manual_score is None]
        if unscored:
            return f"автопроверка не поставила баллы ({', '.join(unscored[:3])}{' …' if len(unscored) > 3 else ''})"
    return ""


def _cell_order(coursedir: Any, assignments: list[str]) -> dict[tuple[str, str, str], int]:
    """Position of each graded cell in the released notebooks, to list questions in notebook order."""
    order: dict[tuple[str, str, str], int] = {}
    for a in assignments:
        folder = Path(coursedir.format_path(coursedir.release_directory, ".", a))
        for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
            try:
                cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            except (ValueError, KeyError):
                continue
            for i, cell in enumerate(cells):
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                if grade_id:
                    order[(a, path.stem, grade_id)] = i
    return order


def export(course_root: Path, fmt: str, out: Path, *, assignment: str | None = None, roster: Path | None = None,
           moodle_id: str = "email", percent: bool = False, messages: list[str] | None = None,
           missing_as_zero: bool = False) -> Path:
    """Write the grades as ``fmt`` (csv, moodle, xlsx) to ``out``; notes for the instructor go to ``messages``."""
    notes: list[str] = messages if messages is not None else []
    out = Path(out)
    if fmt not in FORMATS:
        raise ValueError(f"Неизвестный формат «{fmt}»: выберите {', '.join(FORMATS)}")
    if moodle_id not in MOODLE_IDS:
        raise ValueError(f"Идентификатор для Moodle: {' или '.join(MOODLE_IDS)}, а не «{moodle_id}»")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        if roster is not None:
            notes.append("Формат csv — выгрузка самого nbgrader: список студентов в ней не используется.")
        _nbgrader_csv(Path(course_root), out, assignment)
    elif fmt == "moodle":
        grades = load_grades(course_root, assignment=assignment, roster=roster)
        _moodle_csv(grades, out, moodle_id, percent, notes, missing_as_zero)
    else:
        grades = load_grades(course_root, assignment=assignment, roster=roster)
        _xlsx(grades, out, load_scale())
    return out


@contextmanager
def _utf8_open(module: Any) -> Iterator[None]:
    """Make a module's bare ``open()`` write UTF-8 (nbgrader's CSV exporter uses the locale's encoding)."""
    with mock.patch.object(module, "open", functools.partial(open, encoding="utf-8"), create=True):
        yield


def _nbgrader_csv(course_root: Path, out: Path, assignment: str | None) -> None:
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin
    from nbgrader.plugins import export as export_module

    coursedir = course_directory(course_root)
    plugin = CsvExportPlugin(to=str(out), assignment=[assignment] if assignment else [])
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        if assignment is not None and assignment not in {a.name for a in gb.assignments}:
            raise ValueError(f"В журнале оценок нет задания «{assignment}»")
        with _utf8_open(export_module):
            plugin.export(gb)


def _number(value: float) -> str:
    """A score for Moodle: decimal point, at most 2 decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _moodle_cell(r: Result, percent: bool, missing_as_zero: bool) -> tuple[str | None, str]:
    """A grade cell for Moodle, or None and why it cannot be exported."""
    if r.submitted and r.problem:
        return None, f"{UNGRADABLE}: {r.problem}"
    if not r.submitted:
        if r.collected:
            return None, NOT_AUTOGRADED
        return ("0", "") if missing_as_zero else (None, NOT_SUBMITTED)
    value = r.percent if percent else r.score
    return (_number(value), "") if value is not None else (None, "максимум задания 0: процент не определён")


def _moodle_csv(grades: Grades, out: Path, moodle_id: str, percent: bool, notes: list[str],
                missing_as_zero: bool = False) -> None:
    header = [MOODLE_IDS[moodle_id], *(f"{a} (Real)" for a in grades.assignments)]
    rows: list[list[str]] = []
    left_out: list[tuple[StudentInfo, str, str]] = []  # student, assignment ("" = all), reason
    no_id, nothing = [], []
    for s in grades.students:
        ident = s.email if moodle_id == "email" else s.id
        results = [grades.result(s.id, a) for a in grades.assignments]
        if not missing_as_zero and not any(r.submitted or r.collected for r in results):
            nothing.append(s.id)
            left_out.append((s, "", NOT_SUBMITTED))
            continue
        if not ident:
            no_id.append(s.id)
            left_out.append((s, "", f"нет {'e-mail' if moodle_id == 'email' else 'ID number'}"))
            continue
        cells = [_moodle_cell(r, percent, missing_as_zero) for r in results]
        reasons = [(a, why) for a, (cell, why) in zip(grades.assignments, cells, strict=True) if cell is None]
        if reasons:
            left_out.extend((s, a, why) for a, why in reasons)
            continue
        rows.append([ident, *(str(cell) for cell, _ in cells)])
    _left_out_notes(grades, left_out, nothing, no_id, moodle_id, notes)
    _write_left_out(out, left_out, notes)
    if not rows:
        raise ValueError("Нечего выгружать в Moodle: ни одной проверенной работы студента с "
                         f"{'e-mail' if moodle_id == 'email' else 'ID number'} (список не выгруженных — выше).")
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    notes.append(f"Moodle: «Map from: {header[0]}» → «Map to: {header[0]}»; столбцы «… (Real)» сопоставьте "
                 "с заданиями Moodle в «Grade item mappings».")


def _left_out_notes(grades: Grades, left_out: list[tuple[StudentInfo, str, str]], nothing: list[str],
                    no_id: list[str], moodle_id: str, notes: list[str]) -> None:
    ungradable = sorted({s.id for s, _, why in left_out if why.startswith(UNGRADABLE)})
    waiting = sorted({s.id for s, _, why in left_out if why == NOT_AUTOGRADED})
    missing = sorted({s.id for s, a, why in left_out if why == NOT_SUBMITTED and a})
    if ungradable:
        notes.append(f"ВНИМАНИЕ: не удалось проверить ({len(ungradable)}): {', '.join(ungradable)} — не выгружены "
                     "(не как 0): посмотрите smmkit grade anomalies и журналы grader/logs/, проверьте заново.")
    if waiting:
        notes.append(f"Собраны, но не проверены autograde ({len(waiting)}): {', '.join(waiting)} — не выгружены; "
                     "запустите smmkit grade autograde и выгрузите заново.")
    if no_id:
        what = "e-mail" if moodle_id == "email" else "ID number"
        notes.append(f"Без {what} не попали в файл ({len(no_id)}): {', '.join(no_id)} — добавьте их в список "
                     "студентов (--roster) или выберите другой идентификатор"
                     + (" (--moodle-id idnumber: «ID number» в Moodle = student_id, логин на сервере курса)."
                        if moodle_id == "email" else "."))
    if nothing:
        notes.append(f"Без сданных работ не попали в файл ({len(nothing)}): {', '.join(nothing)} — пустая "
                     "ячейка стёрла бы их оценку в Moodle; 0 за несданное — с --missing-as-zero.")
    if missing:
        notes.append(f"Не сдали одно из заданий ({len(missing)}): {', '.join(missing)} — не выгружены (пустая "
                     "ячейка стёрла бы оценку); выгружайте по одному заданию (--assignment) или с --missing-as-zero.")


def left_out_path(out: Path) -> Path:
    """Where the list of students left out of a Moodle CSV is written: beside it."""
    return Path(out).with_name(f"{Path(out).stem}-не-выгружены.csv")


def _write_left_out(out: Path, left_out: list[tuple[StudentInfo, str, str]], notes: list[str]) -> None:
    path = left_out_path(out)
    if not left_out:
        path.unlink(missing_ok=True)  # an old list would tell of students who are now exported
        return
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # with a BOM: Excel opens it in UTF-8
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["student_id", "Фамилия", "Имя", "E-mail", "Задание", "Причина"])
        writer.writerows([s.id, s.last_name, s.first_name, s.email, a or "все", why] for s, a, why in left_out)
    notes.append(f"Не выгружены ({len({s.id for s, _, _ in left_out})}), список: {path}")


def _late_text(seconds: float) -> str:
    if seconds <= 0:
        return "нет"
    minutes = round(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = ([f"{days} д"] if days else []) + ([f"{hours} ч"] if hours else []) + [f"{mins} мин"]
    return "да, на " + " ".join(parts)


def gradebook_rows(grades: Grades, scale: Scale | None = None) -> list[dict[str, Any]]:
    """Rows of the «Оценки» sheet: one per student, columns per assignment and totals."""
    scale = scale or load_scale()
    rows = []
    for s in grades.students:
        row: dict[str, Any] = {"ID студента": s.id, "Фамилия": s.last_name, "Имя": s.first_name, "E-mail": s.email}
        total = total_max = 0.0
        for a in grades.assignments:
            r = grades.result(s.id, a)
            known = r.percent is not None and not r.problem  # an ungradable submission has no score to show
            total, total_max = total + (r.score if not r.problem else 0.0), total_max + r.max_score
            grade = letter(r.percent, scale) if known else None
            row.update({
                f"{a}: баллы": round(r.score, 2) if not r.problem else None, f"{a}: из": r.max_score,
                f"{a}: %": round_percent(r.percent) if known else None,
                f"{a}: буква": grade.letter if grade else "", f"{a}: GPA": grade.gpa if grade else None,
                f"{a}: опоздание": _late_text(r.seconds_late) if r.submitted else "",
                f"{a}: статус": r.status,
            })
        pct = total / total_max * 100 if total_max else None
        grade = letter(pct, scale) if pct is not None else None
        row.update({
            "Итого: баллы": round(total, 2), "Итого: из": total_max,
            "Итого: %": round_percent(pct) if pct is not None else None,
            "Итого: буква": grade.letter if grade else "", "Итого: GPA": grade.gpa if grade else None,
            "Итого: оценка": grade.traditional if grade else "",
        })
        rows.append(row)
    return rows


def _xlsx(grades: Grades, out: Path, scale: Scale) -> None:
    import pandas as pd

    marks = pd.DataFrame(gradebook_rows(grades, scale))
    if marks.empty:
        marks = pd.DataFrame(columns=["ID студента", "Фамилия", "Имя", "E-mail"])
    bands = pd.DataFrame([{"Буква": b.letter, "% от": b.low, "% до": b.high, "GPA": b.gpa,
                           "Традиционная оценка": b.traditional} for b in scale.bands])
    questions = pd.DataFrame([{
        "Задание": q.assignment, "Ноутбук": q.notebook, "Вопрос": q.name, "Проверка": q.kind,
        "Макс. балл": q.max_score, "Средний балл": round(q.mean, 2),
        "Средний %": round(q.mean / q.max_score * 100, 1) if q.max_score else None,
        "Сдали": q.count, "Ждут ручной проверки": q.ungraded,
    } for q in grades.questions], columns=["Задание", "Ноутбук", "Вопрос", "Проверка", "Макс. балл", "Средний балл",
                                          "Средний %", "Сдали", "Ждут ручной проверки"])
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        marks.to_excel(writer, sheet_name="Оценки", index=False)
        bands.to_excel(writer, sheet_name="Шкала", index=False)
        questions.to_excel(writer, sheet_name="Задания", index=False)
        sheet = writer.sheets["Шкала"]
        sheet.cell(row=len(bands) + 3, column=1, value=(
            f"{scale.name}. Процент округляется до целого по правилу «половина вверх» (94,5 → 95 → A; "
            "94,49 → 94 → A-) — соглашение smmkit, как в транскриптах. Несданное задание = 0 баллов."))
        writer.sheets["Оценки"].freeze_panes = "E2"
        for ws in writer.sheets.values():
            for column in ws.iter_cols(min_row=1, max_row=1):
                ws.column_dimensions[column[0].column_letter].width = max(10, min(40, len(str(column[0].value)) + 2))


def run_export(course_root: Path, fmt: str, out: Path, *, assignment: str | None = None, roster: Path | None = None,
               moodle_id: str = "email", percent: bool = False, stream: TextIO | None = None,
               missing_as_zero: bool = False) -> int:
    """CLI entry: export, print where it went and any notes in Russian; exit code 0, or 2 on unusable input."""
    stream = stream or sys.stdout
    notes: list[str] = []
    from smmkit.grading.gradebook import unknown_work

    try:
        coursedir = course_directory(Path(course_root))
    except (FileNotFoundError, ValueError) as err:
        print(f"Выгрузка не выполнена: {err}", file=stream)
        return 2
    mismatch = unknown_work(Path(course_root), str(coursedir.db_url), assignment)
    if mismatch:  # an empty or wrong gradebook would export an empty file without a word
        print(f"Выгрузка не выполнена / Export refused:\n{mismatch}", file=stream)
        return 2
    try:
        path = export(course_root, fmt, out, assignment=assignment, roster=roster, moodle_id=moodle_id,
                      percent=percent, messages=notes, missing_as_zero=missing_as_zero)
    except (FileNotFoundError, ValueError) as err:
        for note in notes:  # who was left out, and why: the reason there is nothing to export
            print(f"  {note}", file=stream)
        print(f"Выгрузка не выполнена: {err}", file=stream)
        return 2
    print(f"Записано: {path}", file=stream)
    for note in notes:
        print(f"  {note}", file=stream)
    return 0
