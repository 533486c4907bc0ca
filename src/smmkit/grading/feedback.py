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

Charts: nbconvert's classic HTML template shows the ``text/html`` of a plotly output, which needs require.js and
plotly.js from a CDN. :class:`PlotlyOffline` rewrites every ``application/vnd.plotly.v1+json`` output as HTML made
by ``plotly.io.to_html``, with plotly.js inlined once per file (hidden from require.js so that it sets
``window.Plotly``), so the file renders offline.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, TextIO

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
    config.GenerateFeedback.preprocessors = [GetGrades, FeedbackHints, ClearHiddenTests, PlotlyOffline,
                                             CSSHTMLHeaderPreprocessor]
    config.ClearHiddenTests.enforce_metadata = False  # a student's own "BEGIN HIDDEN TESTS" must not break it
    return config


def feedback(course_root: Path, assignment: str, students: list[str] | None = None, *,
             db_url: str | None = None) -> list[Path]:
    """Generate ``feedback/<student>/<assignment>/*.html`` for autograded students; return the files."""
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
    out: list[Path] = []
    for student in wanted:
        result = api.generate_feedback(assignment, student, force=True)
        if not result.get("success"):
            raise RuntimeError(f"Отзыв для {student} не создан:\n{result.get('error')}\n{result.get('log')}")
        out.extend(sorted((course_root / "feedback" / student / assignment).glob("*.html")))
    return out


def run_feedback(course_root: Path, assignment: str, students: list[str] | None = None,
                 out: TextIO | None = None) -> int:
    """CLI entry (``smmkit grade feedback A``): write the feedback files, print how many; 0 on success."""
    out = out or sys.stdout
    try:
        files = feedback(course_root, assignment, students)
    except RuntimeError as exc:
        print(str(exc), file=out)
        return 1
    print(f"Отзывы ({len(files)}) без скрытых тестов: feedback/<студент>/{assignment}/", file=out)
    return 0
