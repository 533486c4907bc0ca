"""Notebook hygiene: names, format, kernel, clean storage, grade ids, and the lesson template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smmkit import notebooks as nbs

ROOT = Path(__file__).resolve().parents[1]
LESSONS = nbs.lessons(ROOT)
MASTERS = nbs.masters(ROOT)
RELEASES = nbs.releases(ROOT)
ALL = [*LESSONS, *MASTERS, *RELEASES]


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_there_is_a_course() -> None:
    assert (ROOT / "course" / "00-intro" / "00.00-welcome.ipynb").exists(), "the welcome notebook is missing"
    assert len(LESSONS) >= 4 and MASTERS and RELEASES


@pytest.mark.parametrize("path", LESSONS, ids=rel)
def test_lesson_name(path: Path) -> None:
    module, name = path.parent.name, path.name
    assert path.parent.parent == ROOT / "course", "lessons live in course/NN-slug/"
    m_mod, m_nb = nbs.MODULE_RE.match(module), nbs.LESSON_RE.match(name)
    assert m_mod, f"module folder «{module}» is not NN-slug"
    assert m_nb, f"lesson «{name}» is not NN.MM-slug.ipynb"
    assert m_mod["mod"] == m_nb["mod"], f"lesson {name} is not numbered after its module {module}"


@pytest.mark.parametrize("path", [*MASTERS, *RELEASES], ids=rel)
def test_assignment_name(path: Path) -> None:
    assert nbs.ASSIGNMENT_RE.match(path.parent.name), f"assignment folder «{path.parent.name}» is not aNN-slug"
    assert path.stem == path.parent.name, "the assignment notebook is named like its folder"


def test_every_master_has_a_release_and_back() -> None:
    masters = {p.parent.name for p in MASTERS}
    releases = {p.parent.name for p in RELEASES}
    assert masters == releases, "solutions/ and assignments/ must hold the same assignments"


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_valid_format_and_kernel(path: Path) -> None:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "kernelspec must be python3"


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_stored_clean(path: Path) -> None:
    for i, cell in enumerate(nbs.read(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        if not nbs.keeps_output(cell) or path in RELEASES:
            assert cell.get("execution_count") is None, f"cell {i} stores an execution count"
            assert not cell.get("outputs"), f"cell {i} stores outputs (only NBVAL_CHECK_OUTPUT cells may)"
    assert not nbs.clean_files([path], check=True), "not stored clean: run `smmkit notebooks clean`"


@pytest.mark.parametrize("path", LESSONS, ids=rel)
def test_pinned_cells_have_outputs(path: Path) -> None:
    for i, cell in enumerate(nbs.read(path)["cells"]):
        if cell["cell_type"] == "code" and nbs.keeps_output(cell):
            assert cell.get("outputs"), f"cell {i} is NBVAL_CHECK_OUTPUT but stores no output to check"


def code_check(cell: dict) -> bool:
    """A 0-point visible check of a manually graded question's code (a05's Q7: the campaign files exist): graded so
    that ``nbgrader validate`` shows its hint, worth no points, so it needs no hidden tests and no standard IDs
    (course/README.md, «Visible and hidden checks»)."""
    meta = cell["metadata"].get("nbgrader", {})
    return bool(meta.get("grade")) and meta.get("points") == 0 and nbs.source(cell).lstrip().startswith(
        '"""Проверка кода вопроса') and "(0 баллов)" in nbs.source(cell).split("\n")[0]


@pytest.mark.parametrize("path", [*MASTERS, *RELEASES], ids=rel)
def test_grade_ids_unique_and_points_set(path: Path) -> None:
    ids = []
    for cell in nbs.read(path)["cells"]:
        meta = cell["metadata"].get("nbgrader")
        if not meta:
            continue
        assert meta.get("grade_id"), "an nbgrader cell without grade_id"
        ids.append(meta["grade_id"])
        if meta.get("grade") and not code_check(cell):
            assert meta.get("points", 0) > 0, f"graded cell {meta['grade_id']} has no points"
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate grade ids: {duplicates}"


@pytest.mark.parametrize("path", MASTERS, ids=rel)
def test_test_cells_say_what_they_check(path: Path) -> None:
    for cell in nbs.read(path)["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade") and cell["cell_type"] == "code":
            src = nbs.source(cell).lstrip()
            assert src.startswith('"""Проверка'), f"{meta['grade_id']}: open with a docstring «Проверка …»"
            assert code_check(cell) or re.search(r"^### BEGIN HIDDEN TESTS$", src, re.M), (
                f"{meta['grade_id']}: no hidden tests")


@pytest.mark.parametrize("path", LESSONS, ids=rel)
def test_lesson_template(path: Path) -> None:
    nb = nbs.read(path)
    cells = nb["cells"]
    title = nbs.source(cells[0])
    number = path.name[:5]
    assert cells[0]["cell_type"] == "markdown" and title.startswith(f"# {number} · "), (
        f"the first cell is the title «# {number} · …»"
    )
    assert "**Цели:**" in title, "the title cell lists the objectives («**Цели:**»)"
    assert "⏱ **Время:**" in title, "the title cell gives the time budget («⏱ **Время:**»)"
    headings = [line.strip() for c in cells if c["cell_type"] == "markdown" for line in nbs.source(c).splitlines()]
    for heading in ("## Сценарий и данные", "## Лаборатория", "## Главное", "## Связь со стандартом"):
        assert heading in headings, f"the lesson has no «{heading}» section"
    assert any(h.startswith("### Попробуйте") for h in headings), "the lesson has no «### Попробуйте» exercise"


@pytest.mark.parametrize("path", LESSONS, ids=rel)
def test_exercise_order_and_count(path: Path) -> None:
    """Two or more «### Попробуйте»; each is followed by the student's empty code cell, then the folded «Решение»."""
    cells = nbs.read(path)["cells"]
    text = [nbs.source(c) for c in cells]
    starts = [i for i, t in enumerate(text) if t.startswith("### Попробуйте")]
    assert len(starts) >= 2, "a lesson has at least two «### Попробуйте» exercises"
    for i in starts:
        assert i + 2 < len(cells), f"cell {i}: the exercise has no empty cell and folded solution after it"
        assert cells[i + 1]["cell_type"] == "code" and not text[i + 1].strip(), f"cell {i + 1} is not empty code"
        assert text[i + 2].startswith("<details><summary>Решение</summary>"), f"cell {i + 2} is not the solution"
    assert not any("<details><summary>Решение" in t and "### Попробуйте" in t for t in text), (
        "a folded solution shares a cell with its exercise"
    )


@pytest.mark.parametrize("path", [*LESSONS, *MASTERS], ids=rel)
def test_no_notebook_level_standard(path: Path) -> None:
    assert "standard" not in nbs.read(path)["metadata"].get("smmkit", {}), (
        "notebook-level metadata smmkit.standard is not used (rules v2): tag the cells that carry the evidence"
    )


@pytest.mark.parametrize("path", LESSONS, ids=rel)
def test_standard_links_match_the_tags(path: Path) -> None:
    from smmkit.curriculum import links

    why = links.stale(path, ROOT)
    assert not why, f"«Связь со стандартом»: {why}; run `smmkit curriculum links --write {rel(path)}`"


@pytest.mark.parametrize("path", MASTERS, ids=rel)
def test_assignment_test_cells_name_standard_ids(path: Path) -> None:
    nb = nbs.read(path)
    tests = [
        c for c in nb["cells"]
        if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("grade") and not code_check(c)
    ]
    assert tests, "the assignment has no autograded test cell"
    for cell in tests:
        assert cell["metadata"].get("smmkit", {}).get("standard"), (
            f"test cell {cell['metadata']['nbgrader']['grade_id']} names no standard ID (cell metadata smmkit.standard)"
        )


def test_no_stray_notebooks() -> None:
    tracked = {*LESSONS, *MASTERS, *RELEASES}
    for folder in ("course", "solutions", "assignments"):
        for path in (ROOT / folder).rglob("*.ipynb"):
            if ".ipynb_checkpoints" in path.parts:
                continue
            assert path in tracked, f"stray notebook {rel(path)}"
    assert not list(ROOT.glob("course/**/Untitled*.ipynb")), "an Untitled notebook in course/"


EXTERNAL = re.compile(r"""!\[[^\]]*\]\(\s*(?:https?:)?//|<(?:img|iframe|script|video|audio|source|link)\b[^>]*"""
                      r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""", re.IGNORECASE)
"""A Markdown image, an embedded element or a style that the browser would fetch from outside (a link a student
clicks is fine: it is not fetched when the notebook opens)."""


@pytest.mark.parametrize("path", [*LESSONS, *RELEASES], ids=rel)
def test_nothing_is_fetched_from_outside(path: Path) -> None:
    """A classroom may be offline, and a page must not call the internet behind the student's back; the browser
    tests see this only for the lessons they run, so every lesson's and assignment's text is checked here."""
    for i, cell in enumerate(nbs.read(path)["cells"]):
        if cell["cell_type"] == "markdown":
            found = EXTERNAL.search(nbs.source(cell))
            assert not found, f"cell {i}: {found.group(0)!r} loads from outside; put the file in the kit"


@pytest.mark.parametrize("text", ["![logo](https://example.com/a.png)", '<img src="//cdn.example.com/x.png">',
                                  "<iframe src='https://youtube.com/embed/x'></iframe>",
                                  '<div style="background: url(http://x/y.png)">'])
def test_the_outside_check_sees_embedded_resources(text: str) -> None:
    assert EXTERNAL.search(text)
    assert not EXTERNAL.search("[источник](https://adilet.zan.kz/rus/docs/Z2300000018)")
