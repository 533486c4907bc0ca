"""Feedback HTML without hidden tests: hints for visible checks, nothing of the hidden ones, offline plotly."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from test_grading_autograde import ROOT, A, build_class, make_course

from smmkit.grading.collect import collect
from smmkit.notebooks import read, write

KEEP = ["correct", "blank", "typical", "partial-q1", "h-sys-exit", "h-edited-test-cell", "h-shadow-builtins"]
XSS_CODE = """
from IPython.display import HTML, SVG, Javascript, display
display(HTML("<script>alert(1)</script><b onmouseover='alert(2)'>жирный вывод</b>"
             "<a href='javascript:alert(3)'>ссылка</a>"))
display(Javascript("alert(4)"))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><script>alert(5)</script>'
            '<circle r="3"/></svg>'))
"""
XSS_MEMO = ("Рекомендую 18:00. <img src=x onerror=alert(6)> [подробнее](javascript:alert(7))\n\n"
            "<script>alert(8)</script> $\\href{java\tscript:alert(12)}{формула}$")
HOSTILE_OUTPUTS = [
    {"text/html": "<script>alert(1)</script><b onmouseover='alert(2)'>жирный вывод</b>"
                  "<a href='javascript:alert(3)'>ссылка</a>", "text/plain": "<IPython.core.display.HTML object>"},
    {"application/javascript": "alert(4)", "text/plain": "<IPython.core.display.Javascript object>"},
    {"image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><script>alert(5)</script>'
                      '<circle r="3"/></svg>', "text/plain": "<IPython.core.display.SVG object>"},
    {"text/markdown": "Вывод Markdown <img src=x onerror=alert(9)> <iframe src='javascript:alert(10)'></iframe>",
     "text/plain": "<IPython.core.display.Markdown object>"},
    {"text/latex": r"$\href{javascript:alert(11)}{формула}$", "text/plain": "<IPython.core.display.Latex object>"},
]
# A Moodle download of some of the class: full names and participant numbers (collect records them).
MOODLE = {"correct": ("Иванов", "Иван", "501"), "xss": ("Сейтқазы", "Нұрлан", "502"), "blank": ("Ким", "Ольга", "503")}


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
    # Hostile HTML: a correct submission whose Q1 displays script, JavaScript and SVG, and whose memo has HTML.
    xss = read(course / "submitted" / "correct" / A / f"{A}.ipynb")
    for cell in xss["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid == "q1-local-time":
            cell["source"] = ("".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]) \
                + "\n" + XSS_CODE
        if gid == "q7-memo":
            cell["source"] = XSS_MEMO
    folder = course / "submitted" / "xss" / A
    folder.mkdir(parents=True)
    write(folder / f"{A}.ipynb", xss)
    # The same class as Moodle's download: collect records each one's participant number (identical files skipped).
    roster = course / "roster.csv"
    roster.write_text("student_id,last_name,first_name\n" + "".join(
        f"{sid},{last},{first}\n" for sid, (last, first, _) in MOODLE.items()), encoding="utf-8")
    with zipfile.ZipFile(course / "moodle-download.zip", "w") as zf:
        for sid, (last, first, number) in MOODLE.items():
            data = (course / "submitted" / sid / A / f"{A}.ipynb").read_bytes()
            zf.writestr(f"{last} {first}_{number}_assignsubmission_file_/{A}.ipynb", data)
    collected = collect(course, A, course / "moodle-download.zip", roster=roster)
    assert sorted(e.student for e in collected.skipped) == sorted(MOODLE)
    report = autograde(course, A, workers=2, progress=False, timeout=10)
    assert len(report.results) == len(KEEP) + 3
    # A stray notebook in one student's autograded folder: nbgrader's feedback fails for that student only.
    stray = course / "autograded" / "h-sys-exit" / A
    os.chmod(stray, 0o755)
    (stray / "черновик.ipynb").write_bytes((stray / f"{A}.ipynb").read_bytes())
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
    # Plain `nbgrader autograde` keeps a kernel's outputs as they are: the same hostile outputs, as IPython
    # writes them for display(HTML(...)), display(Javascript(...)), display(SVG(...)) and display(Markdown(...)).
    graded = course / "autograded" / "xss" / A / f"{A}.ipynb"
    os.chmod(graded, 0o644)
    nb = json.loads(graded.read_text(encoding="utf-8"))
    q1 = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "q1-local-time")
    q1["outputs"] += [{"output_type": "display_data", "metadata": {}, "data": data} for data in HOSTILE_OUTPUTS]
    graded.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    failed: dict[str, str] = {}
    files = feedback(course, A, failed=failed)
    return course, {p.parts[-3]: p for p in files}, failed


def test_every_student_gets_a_file(fed) -> None:
    _, files, _ = fed
    assert sorted(files) == sorted({*KEEP, "visible-fail", "hidden-fail", "xss"} - {"h-sys-exit"})


def test_no_hidden_test_line_in_any_feedback(fed) -> None:
    _, files, _ = fed
    hidden = _hidden_lines()
    for student, path in files.items():
        text = _text(path)
        raw = path.read_text(encoding="utf-8")
        leaked = [line for line in hidden if line in text or html.escape(line) in raw]
        assert not leaked, f"{student}: {leaked[:3]}"
        assert "HIDDEN TESTS" not in raw


def test_visible_failure_shows_its_message(fed) -> None:
    _, files, _ = fed
    text = _text(files["visible-fail"])
    assert "Не пройдена проверка: В ig нет столбца «published_local»" in text


def test_hidden_failure_says_so_without_detail(fed) -> None:
    _, files, _ = fed
    text = _text(files["hidden-fail"])  # its Q5 passes the visible checks and fails a hidden one
    assert "скрытые проверки — нет" in text
    assert "Traceback" not in text and "AssertionError" not in text


def test_passed_checks_are_marked(fed) -> None:
    _, files, _ = fed
    text = _text(files["correct"])
    assert text.count("Проверки этой ячейки пройдены") == 6


def test_plotly_chart_renders_offline(fed) -> None:
    _, files, _ = fed
    raw = files["correct"].read_text(encoding="utf-8")
    assert "Plotly.newPlot" in raw and json.dumps("Охват по дням")[1:-1] in raw
    assert not re.search(r"<script[^>]+src=[\"']https?://cdn\.plot\.ly", raw)
    assert "window.define = undefined" in raw  # plotly.js sets window.Plotly even with require.js on the page
    assert len(raw) > 1_000_000  # plotly.js is inlined
    other = files["blank"].read_text(encoding="utf-8")
    assert "Plotly.newPlot" not in other


def test_a_failing_student_does_not_stop_the_others(fed) -> None:
    course, files, failed = fed
    assert list(failed) == ["h-sys-exit"]
    assert failed["h-sys-exit"].startswith(f"лишний ноутбук черновик.ipynb в autograded/h-sys-exit/{A}/")
    after = [s for s in files if s > "h-sys-exit"]  # everyone after it (in order) still got feedback
    assert sorted(after) == ["hidden-fail", "partial-q1", "typical", "visible-fail", "xss"]
    from smmkit.grading.feedback import feedback

    with pytest.raises(RuntimeError, match="Отзыв не создан \\(1\\):\n  - h-sys-exit: "):
        feedback(course, A, ["h-sys-exit", "blank"])


def _scripts(raw: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>(.*?)</script>", raw, flags=re.S | re.I)


def test_feedback_html_is_inert(fed) -> None:
    _, files, _ = fed
    page = files["xss"].read_text(encoding="utf-8")
    text = _text(files["xss"])
    assert "жирный вывод" in text and "Рекомендую 18:00." in text and "Вывод Markdown" in text  # still shown
    # The student's code is shown as code (escaped); everything else of the page must be inert.
    raw = re.sub(r'<div class="[^"]*highlight[^"]*">\s*<pre>.*?</pre>', "", page, flags=re.S)
    assert 'class="n">display</span>' in page and 'class="n">display</span>' not in raw
    for n in range(1, 11):
        assert f"alert({n})" not in raw, n
    # MathJax makes \href{…} in a formula a link: the scheme is defanged (a full-width colon) so it cannot run.
    assert raw.count("формула") == 1 and "javascript：alert(11)" in raw
    # The memo (a Markdown cell with HTML) was made source text in a code block when it was graded.
    assert "smmkit: в этой ячейке есть HTML или ссылка" in text, text[-3000:]
    assert "<script>alert(8)</script> $\\href{java\tscript" in text
    outside_css = re.sub(r"<style.*?</style>", "", raw, flags=re.S)
    assert not re.search(r"j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:", outside_css, flags=re.I)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", raw, flags=re.I)  # no event-handler attribute anywhere
    assert not re.search(r"""<[^>]*\s(href|src|action)\s*=\s*["']?\s*javascript:""", raw, flags=re.I)
    assert "<svg" not in raw.lower().replace("image/svg+xml", "")  # SVG only as an <img> (scripts do not run)
    assert 'src="data:image/svg+xml;base64,' in raw
    # Every script left is nbconvert's own page machinery; none comes from a student's output or Markdown.
    clean = files["blank"].read_text(encoding="utf-8")
    assert len(_scripts(raw)) == len(_scripts(clean))


def _formgrader_page(notebook: Path) -> str:
    """The page nbgrader's formgrader shows for a submission: its own exporter, template and resources."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {"assignment_id": A, "notebook_id": A, "submission_id": "x", "index": 0, "total": 1,
                 "base_url": "", "student": "xss", "last_name": "", "first_name": "", "notebook_path": "x"}
    page, _ = HTMLExporter(config=config).from_filename(str(notebook), resources=resources)
    return page


def test_formgrader_page_shows_a_students_html_as_text(fed) -> None:
    """formgrader renders Markdown cells with raw HTML and javascript: links kept (no sanitising): the memo with
    them reaches it as source text in a code block, and the log says so."""
    course, _, _ = fed
    live = _formgrader_page(course / "submitted" / "xss" / A / f"{A}.ipynb")
    # what it would show: a live event handler, a script and a javascript: link
    assert re.search(r"<img[^>]*onerror=", live) and "<script>alert(8)</script>" in live
    assert 'href="javascript:alert(7)"' in live
    page = _formgrader_page(course / "autograded" / "xss" / A / f"{A}.ipynb")
    assert "smmkit: в этой ячейке есть HTML или ссылка" in page and "onerror=alert(6)" in page  # as text
    # (the outputs this test planted in the graded copy afterwards, as plain nbgrader keeps them, are not checked here)
    assert not re.search(r"<img[^>]*onerror=.?alert\(6\)", page)
    assert "<script>alert(8)" not in page and 'href="javascript:alert(7)"' not in page
    formula = page.index("\\href{java\tscript:alert(12)")  # the memo's formula
    assert page.rfind("<pre", 0, formula) > page.rfind("</pre>", 0, formula)  # MathJax skips code blocks
    log = (course / "grader" / "logs" / A / "xss.log").read_text(encoding="utf-8")
    assert "smmkit-event: html: q7-memo:" in log


def test_only_our_plotly_script_survives(fed) -> None:
    _, files, _ = fed
    raw = files["correct"].read_text(encoding="utf-8")
    extra = len(_scripts(raw)) - len(_scripts(files["blank"].read_text(encoding="utf-8")))
    assert extra == 4  # define hidden, plotly.js, define restored, Plotly.newPlot: nothing else
    assert "Plotly.newPlot" in raw


def _moodle_import(names: list[str], participants: dict[int, str]) -> dict[str, tuple[str, str]]:
    """Moodle's assignfeedback_file_zip_importer::is_valid_filename_for_import, in Python: entry -> (user, file)."""
    found = {}
    for name in names:
        parts = name.split("/")
        if parts[-1].startswith((".", "~")):
            continue
        while parts:
            info = parts.pop(0).split("_", 4)
            if len(info) < 4 or not info[1].isdigit() or int(info[1]) not in participants:
                continue
            assert (info[2], info[3]) == ("assignsubmission", "file")
            found[name] = (participants[int(info[1])], "/".join([info[4] if len(info) > 4 else "", *parts]))
            break
    return found


def test_moodle_feedback_zip(fed, tmp_path: Path) -> None:
    import io

    from smmkit.cli import parser
    from smmkit.grading.feedback import run_feedback

    args = parser().parse_args(["grade", "feedback", A, "--moodle-zip", "отзывы.zip", "--student", "S1"])
    assert (args.moodle_zip, args.student) == ("отзывы.zip", ["S1"])
    course, _, _ = fed
    out = io.StringIO()
    zipped = tmp_path / "отзывы.zip"
    assert run_feedback(course, A, ["h-sys-exit", "correct", "xss", "blank", "typical"], out=out,
                        moodle_zip=zipped) == 1  # h-sys-exit failed: non-zero, listed at the end
    text = out.getvalue()
    assert "Архив для Moodle (3 студентов)" in text
    assert "Не вошли в архив (1): typical" in text
    assert text.rstrip().splitlines()[-3].startswith("Отзыв не создан (1):")
    with zipfile.ZipFile(zipped) as zf:
        names = sorted(zf.namelist())
        assert names == sorted(f"{last} {first}_{number}_assignsubmission_file_/{A}.html"
                               for last, first, number in MOODLE.values())
        # Folder names are exactly the download's participant folders.
        with zipfile.ZipFile(course / "moodle-download.zip") as download:
            assert {n.split("/")[0] for n in names} == {n.split("/")[0] for n in download.namelist()}
        for sid, (_, _, number) in MOODLE.items():
            entry = next(n for n in names if f"_{number}_" in n)
            assert zf.read(entry) == (course / "feedback" / sid / A / f"{A}.html").read_bytes()
            assert zf.getinfo(entry).flag_bits & 0x800  # UTF-8 names: Moodle reads Cyrillic folders right
    users = {int(number): sid for sid, (_, _, number) in MOODLE.items()}
    # Moodle's own parsing of the names gives each file to the right student, as «/a01-posting-schedule.html».
    assert _moodle_import(names, users) == {
        f"{last} {first}_{number}_assignsubmission_file_/{A}.html": (sid, f"/{A}.html")
        for sid, (last, first, number) in MOODLE.items()}


def test_a_moodle_zip_with_nobody_in_it_fails_and_says_why(fed, tmp_path: Path) -> None:
    """A hub class (collected by nbgrader, not from a Moodle download) has no participant numbers: the zip would be
    empty. The command exits non-zero, names the students, points to Release feedback, and leaves no zip behind."""
    import io

    from smmkit.cli import main
    from smmkit.grading.feedback import run_feedback

    course, _, _ = fed
    out = io.StringIO()
    zipped = tmp_path / "пустой.zip"
    assert run_feedback(course, A, ["typical", "partial-q1"], out=out, moodle_zip=zipped) == 2
    text = out.getvalue()
    assert "Архив для Moodle не создан" in text and "Release feedback" in text
    assert "Без номера участника (2): typical, partial-q1" in text
    assert not zipped.exists()
    assert main(["--root", str(course), "grade", "feedback", A, "--student", "typical",
                 "--moodle-zip", str(zipped)]) == 2
