"""Feedback HTML without hidden tests: hints for visible checks, nothing of the hidden ones, offline plotly."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from test_grading_autograde import ROOT, A, build_class, make_course

from smmkit.notebooks import read, write

KEEP = ["correct", "blank", "typical", "partial-q1", "h-sys-exit", "h-edited-test-cell", "h-shadow-builtins"]


def _text(path: Path) -> str:
    """Visible text of an HTML file: tags removed, entities decoded (pygments splits code into spans)."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style).*?</(script|style)>", " ", raw, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def _hidden_lines() -> list[str]:
    nb = read(ROOT / "solutions" / A / f"{A}.ipynb")
    lines: list[str] = []
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        inside = False
        for line in source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
                continue
            if "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) >= 8:
                lines.append(line.strip())
    assert len(lines) > 20
    return lines


@pytest.fixture(scope="module")
def fed(tmp_path_factory):
    from smmkit.grading.autograde import autograde
    from smmkit.grading.feedback import feedback

    course = make_course(tmp_path_factory.mktemp("fb"))
    build_class(course)
    for folder in (course / "submitted").iterdir():
        if folder.name not in KEEP:
            shutil.rmtree(folder)
    # A visible check fails: ig has no local-time columns.
    release = read(course / "assignments" / A / f"{A}.ipynb")
    for cell in release["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "q1-local-time":
            cell["source"] = 'ig = posts[posts["account_id"] == "qc_ig"].copy()'
    folder = course / "submitted" / "visible-fail" / A
    folder.mkdir(parents=True)
    write(folder / f"{A}.ipynb", release)
    # Visible checks pass, a hidden one fails: Q5's plan_ready has every value right but its columns reversed.
    correct = read(course / "submitted" / "correct" / A / f"{A}.ipynb")
    for cell in correct["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "q5-plan-ready":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = source + "\nplan_ready = plan_ready[plan_ready.columns[::-1]]\n"
    folder = course / "submitted" / "hidden-fail" / A
    folder.mkdir(parents=True)
    write(folder / f"{A}.ipynb", correct)
    report = autograde(course, A, workers=2, progress=False, timeout=10)
    assert len(report.results) == len(KEEP) + 2
    # A plotly chart in the correct submission's autograded notebook (as a kernel's fig.show() leaves it).
    import plotly.express as px

    graded = course / "autograded" / "correct" / A / f"{A}.ipynb"
    os.chmod(graded, 0o644)
    nb = json.loads(graded.read_text(encoding="utf-8"))
    fig = px.bar(x=["пн", "вт"], y=[3, 5], title="Охват по дням")
    setup = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "setup")
    setup["outputs"].append({"output_type": "display_data", "metadata": {}, "data": {
        "application/vnd.plotly.v1+json": json.loads(fig.to_json()),
        "text/html": '<script src="https://cdn.plot.ly/plotly-2.0.0.min.js"></script>'}})
    graded.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    files = feedback(course, A)
    return course, {p.parts[-3]: p for p in files}


def test_every_student_gets_a_file(fed) -> None:
    _, files = fed
    assert sorted(files) == sorted([*KEEP, "visible-fail", "hidden-fail"])


def test_no_hidden_test_line_in_any_feedback(fed) -> None:
    _, files = fed
    hidden = _hidden_lines()
    for student, path in files.items():
        text = _text(path)
        raw = path.read_text(encoding="utf-8")
        leaked = [line for line in hidden if line in text or html.escape(line) in raw]
        assert not leaked, f"{student}: {leaked[:3]}"
        assert "HIDDEN TESTS" not in raw


def test_visible_failure_shows_its_message(fed) -> None:
    _, files = fed
    text = _text(files["visible-fail"])
    assert "Не пройдена проверка: В ig нет столбца «published_local»" in text


def test_hidden_failure_says_so_without_detail(fed) -> None:
    _, files = fed
    text = _text(files["hidden-fail"])  # its Q5 passes the visible checks and fails a hidden one
    assert "скрытые проверки — нет" in text
    assert "Traceback" not in text and "AssertionError" not in text


def test_passed_checks_are_marked(fed) -> None:
    _, files = fed
    text = _text(files["correct"])
    assert text.count("Проверки этой ячейки пройдены") == 6


def test_plotly_chart_renders_offline(fed) -> None:
    _, files = fed
    raw = files["correct"].read_text(encoding="utf-8")
    assert "Plotly.newPlot" in raw and json.dumps("Охват по дням")[1:-1] in raw
    assert not re.search(r"<script[^>]+src=[\"']https?://cdn\.plot\.ly", raw)
    assert "window.define = undefined" in raw  # plotly.js sets window.Plotly even with require.js on the page
    assert len(raw) > 1_000_000  # plotly.js is inlined
    other = files["blank"].read_text(encoding="utf-8")
    assert "Plotly.newPlot" not in other
