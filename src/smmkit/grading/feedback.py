"""Feedback for students that does not give away the hidden tests (jupyter/nbgrader#917).

nbgrader's ``generate_feedback`` renders the *autograded* notebook, where every test cell has been restored from
the gradebook with its hidden tests, and its outputs: a failed hidden ``assert`` shows up as a traceback with the
hidden line in it. :func:`feedback` runs nbgrader's ``generate_feedback`` with two more preprocessors:

- :class:`FeedbackHints` (first): replaces the outputs of each test cell by one short Russian line — the check
  passed; or the VISIBLE check that failed, with its assertion message as a hint; or «скрытые проверки не
  пройдены» with no detail. It tells visible from hidden by the line number of the failing line in the
  traceback (``Cell In[n], line L``) against the ``BEGIN/END HIDDEN TESTS`` region of the cell's source; when it
  cannot tell, it says nothing specific. Printed output of test cells is dropped (hidden tests could print).
- nbgrader's ``ClearHiddenTests`` (then): removes the hidden region from the source shown.

Inert: students' outputs and Markdown cannot run script in the page. :class:`InertOutputs` (before
:class:`PlotlyOffline`) passes every ``text/html`` output through ``nh3`` (no ``<script>``, ``<iframe>``,
``<svg>``, event-handler attributes or ``javascript:`` URLs), drops JavaScript and widget outputs and the notebook's
widget state; SVG images are shown as ``<img>`` (nbconvert's default), where their scripts do not run; Markdown
cells and Markdown outputs are rendered by :class:`InertHTMLExporter`, which cleans the HTML Markdown produces.
The only script left in a cell's output is the one :class:`PlotlyOffline` writes itself from the chart's JSON.

Moodle: :func:`moodle_feedback_zip` packs ``feedback/<student>/<assignment>/*.html`` as Moodle's «Загрузить
несколько файлов отзывов в архиве» / "Upload multiple feedback files in a zip" expects: one folder per student
named like the download's, ``<Full name>_<participant number>_assignsubmission_file_/``, with the participant
numbers that ``smmkit grade collect`` recorded in ``grader/moodle-participants.yaml``.

Charts: nbconvert's classic HTML template shows the ``text/html`` of a plotly output, which needs require.js and
plotly.js from a CDN. :class:`PlotlyOffline` rewrites every ``application/vnd.plotly.v1+json`` output as HTML made
by ``plotly.io.to_html``, with plotly.js inlined once per file (hidden from require.js so that it sets
``window.Plotly``), so the file renders offline.
"""

from __future__ import annotations

import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import nh3
from jinja2 import pass_context
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from nbformat.notebooknode import NotebookNode
from traitlets import Bool

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_LINE = re.compile(r"Cell In\[(\d+)\], line (\d+)")
PASSED = "✓ Проверки этой ячейки пройдены."
HIDDEN = ("✗ Видимые проверки пройдены, но скрытые проверки — нет. Подробности скрытых проверок не показываются: "
          "перечитайте условие и проверьте ответ на всех данных.")
UNKNOWN = "✗ Проверки этой ячейки не пройдены."
TIMEOUT = "✗ Проверка не выполнена: ячейка работала дольше лимита времени или ядро Python остановилось."


def _hidden_lines(source: str) -> set[int]:
    """1-based line numbers inside BEGIN/END HIDDEN TESTS (markers included)."""
    hidden: set[int] = set()
    inside = False
    for number, line in enumerate(source.split("\n"), start=1):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        if inside:
            hidden.add(number)
        if "END HIDDEN TESTS" in line:
            inside = False
    return hidden


def hint_for(cell: NotebookNode) -> str:
    """The Russian line that replaces the outputs of an autograded test cell."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return PASSED
    error = errors[0]
    if error.get("ename") in ("CellTimeoutError", "DeadKernelError") or "Timeout" in str(error.get("ename")):
        return TIMEOUT
    hidden = _hidden_lines(cell.source)
    text = ANSI.sub("", "\n".join(error.get("traceback", [])))
    found = CELL_LINE.findall(text)
    own = [int(line) for count, line in found if str(count) == str(cell.get("execution_count"))]
    line = own[0] if own else (int(found[0][1]) if found else None)
    if line is None or line in hidden:
        return HIDDEN if hidden else UNKNOWN
    ename, evalue = error.get("ename", ""), str(error.get("evalue", "")).strip()
    if ename == "AssertionError" and evalue:
        return f"✗ Не пройдена проверка: {evalue}"
    if ename == "AssertionError":
        return f"✗ Не пройдена одна из видимых проверок (строка {line} ячейки)."
    return f"✗ Проверка остановилась с ошибкой {ename}: {evalue}"


class FeedbackHints(Preprocessor):
    """Outputs of test cells -> one hint line (see the module docstring)."""

    enabled = Bool(True)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            hint = hint_for(cell)
            cell.outputs = [NotebookNode(output_type="stream", name="stdout", text=hint + "\n")]
        return cell, resources


SCRIPT_MIMETYPES = frozenset({
    "application/javascript", "text/javascript", "application/x-javascript", "application/ecmascript",
    "application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json",
    "application/vnd.bokehjs_exec.v0+json", "application/vnd.bokehjs_load.v0+json",
})
"""Output types whose whole point is to run script in the page: dropped from feedback."""
_TAGS = frozenset(nh3.ALLOWED_TAGS) - {"area", "map"}
_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"class", "title", "lang", "dir", "align"},
    "table": {"border", "cellpadding", "cellspacing", "width"},
    "td": {"colspan", "rowspan", "valign", "width"},
    "th": {"colspan", "rowspan", "valign", "width", "scope"},
}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """``data:`` URLs only as an image source (Markdown attachments, embedded plots); nowhere else."""
    if value.strip().lower().startswith("data:") and not (tag == "img" and attribute == "src"):
        return None
    return value


_SCRIPT_URL = re.compile(r"j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:", re.IGNORECASE)


def defang_script_urls(text: str) -> str:
    """``javascript:`` in text -> ``javascript：`` (a full-width colon): MathJax's ``\\href{…}`` in a student's
    formula would otherwise turn it into a live link when the page typesets the math."""
    return _SCRIPT_URL.sub(lambda m: m.group(0)[:-1] + "：", text)


def inert_html(html: str) -> str:
    """Students' HTML made inert: no scripts, event handlers, ``javascript:`` URLs, frames, forms or SVG."""
    clean = nh3.clean(str(html), tags=set(_TAGS), attributes=_ATTRIBUTES, attribute_filter=_keep_attribute,
                      url_schemes={"http", "https", "mailto", "data"},
                      clean_content_tags={"script", "style", "svg", "math", "iframe", "object", "embed", "template"})
    return defang_script_urls(clean)


class InertOutputs(Preprocessor):
    """Students' outputs made inert before the trusted :class:`PlotlyOffline` adds its own HTML."""

    enabled = Bool(True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        nb.get("metadata", {}).pop("widgets", None)  # widget state is rendered with a widget manager script
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            for mimetype in [m for m in data if m in SCRIPT_MIMETYPES]:
                del data[mimetype]
            if "text/html" in data:
                html = data["text/html"]
                data["text/html"] = inert_html("".join(html) if isinstance(html, list) else html)
            for mimetype in ("text/latex", "text/markdown"):  # typeset by MathJax / rendered as Markdown
                if mimetype in data:
                    text = data[mimetype]
                    data[mimetype] = defang_script_urls("".join(text) if isinstance(text, list) else text)
            if not data:
                data["text/plain"] = "[вывод со скриптом не показан в отзыве]"
        return cell, resources


class InertHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter whose Markdown (cells and outputs) comes out cleaned by :func:`inert_html`."""

    @pass_context
    def markdown2html(self, context: Any, source: str) -> str:
        """Markdown to HTML as nbconvert renders it, then made inert."""
        return inert_html(super().markdown2html(context, source))


class PlotlyOffline(Preprocessor):
    """Plotly outputs -> self-contained HTML (plotly.js inlined once per notebook)."""

    enabled = Bool(True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        self._included = False
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        for output in cell.get("outputs", []):
            figure = output.get("data", {}).get("application/vnd.plotly.v1+json")
            if figure is None:
                continue
            output.data = {"text/html": self._html(figure)}
        return cell, resources

    def _html(self, figure: Any) -> str:
        import plotly.io as pio

        fig = dict(figure)
        config = fig.pop("config", None)
        body = pio.to_html(fig, include_plotlyjs=False, full_html=False, config=config, validate=False)
        if self._included:
            return body
        self._included = True
        from plotly.offline import get_plotlyjs

        return ("<script>window.__smmkitDefine = window.define; window.define = undefined;</script>"
                f"<script type=\"text/javascript\">{get_plotlyjs()}</script>"
                "<script>window.define = window.__smmkitDefine;</script>" + body)


def feedback_config(course_root: Path, db_url: str | None = None) -> Any:
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import ClearHiddenTests, GetGrades

    from smmkit.grading.autograde import course_config

    config = course_config(Path(course_root), db_url)
    config.GenerateFeedback.preprocessors = [GetGrades, FeedbackHints, ClearHiddenTests, InertOutputs, PlotlyOffline,
                                             CSSHTMLHeaderPreprocessor]
    config.GenerateFeedback.exporter_class = InertHTMLExporter
    config.HTMLExporter.skip_svg_encoding = False  # SVG as <img src="data:…">: its scripts cannot run
    config.ClearHiddenTests.enforce_metadata = False  # a student's own "BEGIN HIDDEN TESTS" must not break it
    return config


@dataclass
class FeedbackReport:
    """What ``feedback`` wrote, and for whom it failed (student id -> the reason)."""

    files: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def feedback(course_root: Path, assignment: str, students: list[str] | None = None, *,
             db_url: str | None = None, failed: dict[str, str] | None = None) -> list[Path]:
    """Generate ``feedback/<student>/<assignment>/*.html`` for autograded students; return the files.

    A student whose feedback fails does not stop the others: the reasons go to ``failed``; without ``failed``
    a ``RuntimeError`` listing every failure is raised after all students have been tried.
    """
    report = feedback_report(course_root, assignment, students, db_url=db_url)
    if failed is not None:
        failed.update(report.failed)
    elif report.failed:
        raise RuntimeError(format_failures(report.failed))
    return report.files


def feedback_report(course_root: Path, assignment: str, students: list[str] | None = None, *,
                    db_url: str | None = None) -> FeedbackReport:
    """Generate the feedback of every student (each on its own: one failure does not stop the rest)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from smmkit.assignments import ensure_tools_on_path

    ensure_tools_on_path()
    course_root = Path(course_root).resolve()
    config = feedback_config(course_root, db_url)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    autograded = course_root / "autograded"
    wanted = students if students is not None else sorted(
        p.name for p in autograded.iterdir() if p.is_dir() and (p / assignment).is_dir()) if autograded.is_dir() \
        else []
    report = FeedbackReport()
    for student in wanted:
        try:
            result = api.generate_feedback(assignment, student, force=True)
        except Exception as exc:  # one student's broken folder must not cost the others their feedback
            result = {"success": False, "error": f"{type(exc).__name__}: {exc}", "log": ""}
        if not result.get("success"):
            report.failed[student] = _stray_notebooks(api.coursedir, autograded / student / assignment) \
                or _reason(str(result.get("error") or ""), str(result.get("log") or ""))
            continue
        report.files.extend(sorted((course_root / "feedback" / student / assignment).glob("*.html")))
    return report


def _stray_notebooks(coursedir: Any, folder: Path) -> str:
    """Notebooks in a student's autograded folder that the assignment does not have: nbgrader's feedback stops."""
    from nbgrader.api import Gradebook, MissingEntry

    try:
        with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
            known = {nb.name for nb in gb.find_assignment(folder.name).notebooks}
    except MissingEntry:
        return ""
    stray = sorted(p.name for p in folder.glob("*.ipynb") if p.stem not in known)
    if not stray:
        return ""
    student = folder.parent.name
    return (f"лишний ноутбук {', '.join(stray)} в autograded/{student}/{folder.name}/ (в задании его нет) — "
            f"удалите его там и в submitted/{student}/{folder.name}/ и повторите")


def _reason(error: str, log: str) -> str:
    """The telling line of nbgrader's error and log (its last error line), not the whole traceback."""
    lines = [ln.strip() for ln in f"{log}\n{error}".splitlines() if ln.strip()]
    telling = [ln for ln in lines if re.match(r"[\w.]+(Error|Exception|Entry): ", ln) and "NbGraderException" not in ln]
    return (telling or lines or ["причина не известна"])[-1][:300]


def format_failures(failed: dict[str, str]) -> str:
    """The Russian list of students without feedback."""
    lines = [f"Отзыв не создан ({len(failed)}):"]
    lines += [f"  - {student}: {reason}" for student, reason in sorted(failed.items())]
    lines.append("  Проверьте папку autograded/<студент>/<задание>/ (лишний .ipynb, удалённый ноутбук) "
                 "и журнал; затем: smmkit grade feedback <задание> --student <студент>")
    return "\n".join(lines)


def _moodle_folder_name(name: str, participant: str) -> str:
    """``<Full name>_<participant>_assignsubmission_file_``: Moodle splits it on «_», so the name has none."""
    clean = re.sub(r"[_/\\]+", " ", name).strip() or "Студент"
    return f"{clean}_{participant}_assignsubmission_file_"


def moodle_feedback_zip(course_root: Path, assignment: str, out: Path, students: list[str] | None = None,
                        skip: set[str] | frozenset[str] = frozenset()) -> tuple[Path, list[str], list[str]]:
    """Pack ``feedback/<student>/<assignment>/*.html`` for Moodle's feedback-files upload.

    Returns the zip, the students packed and the students left out (no participant number recorded).
    """
    from smmkit.grading.collect import read_participants

    course_root = Path(course_root)
    participants = read_participants(course_root, assignment)
    feedback_root = course_root / "feedback"
    found = sorted(p.parent.name for p in feedback_root.glob(f"*/{assignment}") if p.is_dir())
    wanted = [s for s in (students if students is not None else found) if s in found and s not in skip]
    packed, missing = [], []
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for student in wanted:
            record = participants.get(student)
            files = sorted((feedback_root / student / assignment).glob("*.html"))
            if record is None or not files:
                missing.append(student)
                continue
            folder = _moodle_folder_name(record["name"], record["participant"])
            for path in files:
                zf.write(path, f"{folder}/{path.name}")
            packed.append(student)
    return out, packed, missing


def run_feedback(course_root: Path, assignment: str, students: list[str] | None = None,
                 out: TextIO | None = None, moodle_zip: Path | None = None) -> int:
    """CLI entry (``smmkit grade feedback A``): write the feedback files, list failures; 0 only if none failed."""
    out = out or sys.stdout
    from smmkit.grading.autograde import course_config
    from smmkit.grading.gradebook import unknown_work

    url = str(course_config(Path(course_root)).CourseDirectory.db_url)
    mismatch = unknown_work(Path(course_root), url, assignment)
    if mismatch:
        print(f"Отзывы не созданы / Feedback refused:\n{mismatch}", file=out)
        return 2
    report = feedback_report(course_root, assignment, students)
    print(f"Отзывы ({len(report.files)}) без скрытых тестов: feedback/<студент>/{assignment}/", file=out)
    if moodle_zip is not None:
        path, packed, missing = moodle_feedback_zip(course_root, assignment, moodle_zip, students,
                                                    skip=set(report.failed))
        if not packed:  # an empty zip uploaded to Moodle would do nothing, silently
            path.unlink(missing_ok=True)
            print(f"Архив для Moodle не создан: в нём не оказалось ни одного студента ({len(missing)} без номера "
                  "участника Moodle). Номера записывает smmkit grade collect из выгрузки Moodle «Скачать все "
                  "ответы»; работы, собранные через JupyterHub (nbgrader collect), возвращайте кнопкой «Release "
                  "feedback» в formgrader. / No Moodle zip: no student has a Moodle participant number.",
                  file=out)
            if missing:
                print(f"  Без номера участника ({len(missing)}): {', '.join(missing)}", file=out)
            if report.failed:
                print(format_failures(report.failed), file=out)
            return 2
        print(f"Архив для Moodle ({len(packed)} студентов): {path} — в задании Moodle: «Просмотр всех ответов» → "
              "«Действие» → «Загрузить несколько файлов отзывов в архиве».", file=out)
        if missing:
            print(f"  Не вошли в архив ({len(missing)}): {', '.join(missing)} — нет номера участника Moodle: "
                  "соберите их работы из выгрузки Moodle командой smmkit grade collect.", file=out)
    if report.failed:
        print(format_failures(report.failed), file=out)
        return 1
    return 0
