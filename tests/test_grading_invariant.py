"""The grading invariant, for every assignment, through nbgrader's own autograde (one batch per assignment).

- the master notebook (the solution) autogrades to full autograded marks;
- the untouched student version autogrades to 0 without breaking the run;
- every typical-mistake submission in ``tests/submissions/<assignment>.yaml`` (format: course/README.md,
  "Typical-mistake submissions") loses exactly the points it lists, and only those: a single mistake costs
  only its own question (no cascades);
- every standard ID on a graded test cell is backed by a submission that names it and loses points there;
- a threshold's off-by-one variant (a submission whose name says ``off-by-one``) scores less than full;
- the solution, the blank, the correct answers, the combined submissions and the first off-by-one variant score
  the same on the isolated route (``smmkit grade autograde``, the default) and on the plain one (the tests in the
  student's kernel, as ``nbgrader autograde`` runs them). The plain route grades only this sample: each kernel
  costs the suite's 10-minute budget, and a combined submission carries several mistakes at once.

Which submissions one run grades (``--mistakes``, root ``conftest.py``): ``make test`` grades the *sample* of
:func:`sample` — every combined submission, the first off-by-one variant, the first single mistake of each graded
test cell and enough more that every standard ID a test cell names is backed — about a fifth of them; ``make
test-rest`` grades *the rest* (every other submission, with the solution and the correct answers), and ``.ci/run``
runs both, so every submission is graded on every landing. One kernel run per submission is the cost (2-3.5 CPU
seconds each): all of them in ``make test`` would break its 10-minute budget, and each module adds 50-100 more.
The checks that need the blank, the combined submissions, both routes or the backing of every ID run on the
sample; each submission's own checks (its points, its hint, an off-by-one scoring less) run wherever it is graded.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
import yaml

from smmkit import assignments
from smmkit.notebooks import read, write

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "tests" / "submissions"
IDS = assignments.assignment_ids(ROOT)
ON_TIME = "2026-03-01 12:00:00.000000 UTC"


def _typed(release: dict, answers: dict[str, str]) -> dict:
    nb = copy.deepcopy(release)
    by_id = {c["metadata"].get("nbgrader", {}).get("grade_id"): c for c in nb["cells"]}
    for grade_id, source in answers.items():
        cell = by_id[grade_id]
        assert cell["metadata"]["nbgrader"]["solution"], f"{grade_id} is not a solution cell"
        cell["source"] = source
    return nb


def _correct(aid: str) -> dict[str, str]:
    """The master's code answers without the solution markers: what a submission's unlisted answers keep."""
    out = {}
    for cell in read(ROOT / "solutions" / aid / f"{aid}.ipynb")["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            out[meta["grade_id"]] = "\n".join(ln for ln in source.splitlines() if "SOLUTION" not in ln)
    return out


def sample(submissions: list[dict]) -> list[str]:
    """The names of the typical-mistake submissions ``make test`` grades, in the spec's order: every combined one,
    the first off-by-one variant, the first single mistake of each test cell, then (greedily, the submission that
    backs the most) enough others that every (test cell, standard ID) pair some submission claims is claimed by one
    in the sample: the ID-backing check holds on the sample as it does on all of them.

    >>> subs = [{"name": "a", "expected": {"q1": 0}, "standard": ["U1"]},
    ...         {"name": "b", "expected": {"q1": 0}, "standard": ["U2"]},
    ...         {"name": "c", "expected": {"q1": 0}, "standard": ["U1"]},
    ...         {"name": "d-off-by-one", "expected": {"q2": 0}, "standard": ["U1"]},
    ...         {"name": "e", "expected": {"q1": 0, "q2": 0}, "standard": ["U1"]}]
    >>> sample(subs)
    ['a', 'b', 'd-off-by-one', 'e']
    """
    chosen = {s["name"] for s in submissions if len(s["expected"]) > 1}
    chosen |= set([s["name"] for s in submissions if "off-by-one" in s["name"]][:1])
    first: dict[str, str] = {}
    for s in submissions:
        if len(s["expected"]) == 1:
            first.setdefault(next(iter(s["expected"])), s["name"])
    chosen |= set(first.values())

    def pairs(s: dict) -> set[tuple[str, str]]:
        return {(cell, sid) for cell in s["expected"] for sid in s["standard"]}

    covered = set().union(*(pairs(s) for s in submissions if s["name"] in chosen))
    wanted = set().union(*(pairs(s) for s in submissions))
    while wanted - covered:
        best = max((s for s in submissions if s["name"] not in chosen), key=lambda s: len(pairs(s) - covered))
        chosen.add(best["name"])
        covered |= pairs(best)
    return [s["name"] for s in submissions if s["name"] in chosen]


def _spec(aid: str) -> dict:
    spec_file = SUBMISSIONS / f"{aid}.yaml"
    assert spec_file.exists(), f"{aid}: no typical-mistakes submissions at {spec_file.relative_to(ROOT)}"
    return yaml.safe_load(spec_file.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=IDS)
def graded(request, tmp_path_factory) -> tuple[str, dict, dict]:
    """Autograde solution, blank and every typical submission of one assignment in one batch."""
    from nbgrader.api import Gradebook

    from smmkit.grading.autograde import autograde

    aid = request.param
    mode = request.config.getoption("--mistakes")
    spec = _spec(aid)
    in_sample = set(sample(spec["submissions"]))
    spec["graded"] = [s for s in spec["submissions"]
                      if mode == "all" or (s["name"] in in_sample) == (mode == "sample")]
    spec["mode"] = mode
    course = assignments.scratch_course(ROOT, aid, tmp_path_factory.mktemp(aid))
    release = read(course / "assignments" / aid / f"{aid}.ipynb")
    students = {"solution": read(ROOT / "solutions" / aid / f"{aid}.ipynb")}
    if mode != "rest":
        students["blank"] = release
    good = _correct(aid)
    students["correct"] = _typed(release, good)
    for sub in spec["graded"]:
        students[f"t-{sub['name']}"] = _typed(release, {**good, **sub["answers"]})
    for student, nb in students.items():
        folder = course / "submitted" / student / aid
        folder.mkdir(parents=True)
        write(folder / f"{aid}.ipynb", nb)
        (folder / "timestamp.txt").write_text(ON_TIME)
    plain = tmp_path_factory.mktemp(f"{aid}-plain") / "course"
    combined = [f"t-{s['name']}" for s in spec["submissions"] if len(s["expected"]) > 1]
    off_by_one = [f"t-{s['name']}" for s in spec["submissions"] if "off-by-one" in s["name"]][:1]
    both_routes = {"solution", "blank", "correct", *combined, *off_by_one}
    shutil.copytree(course, plain, ignore=lambda folder, names: [
        n for n in names if Path(folder) == course / "submitted" and n not in both_routes])
    result: dict = {}
    routes = (("scores", course), ("plain", plain)) if mode != "rest" else (("scores", course),)
    for route, folder in routes:
        report = autograde(folder, aid, workers=2, progress=False, isolated=route == "scores")
        graded_here = sorted(students) if route == "scores" else sorted(both_routes)
        assert sorted(r.student for r in report.results) == graded_here
        result[route] = {}
        with Gradebook(f"sqlite:///{folder / 'grader' / 'gradebook.db'}") as gb:
            for student in graded_here:
                nb = gb.find_submission_notebook(aid, aid, student)
                result[route][student] = {g.name: float(g.score) for g in nb.grades}
            result["max"] = {g.name: float(g.max_score)
                             for g in gb.find_submission_notebook(aid, aid, "solution").grades}
    result["course"] = course
    return aid, spec, result


def _auto_cells(result: dict) -> list[str]:
    return [name for name in result["max"] if name.endswith("-tests")]


def test_solution_gets_full_autograded_marks(graded) -> None:
    aid, _, result = graded
    auto = _auto_cells(result)
    assert auto, f"{aid}: no autograded test cells"
    for student in ("solution", "correct"):  # the master itself, and its answers typed into the student version
        got = {name: result["scores"][student][name] for name in auto}
        assert got == {name: result["max"][name] for name in auto}, student


def test_assignment_has_enough_questions(graded) -> None:
    aid, _, result = graded
    assert len(_auto_cells(result)) >= 5, f"{aid}: at least 5 autograded questions"
    manual = [n for n in result["max"] if not n.endswith("-tests")]
    assert manual, f"{aid}: at least one manually graded question"


def _sample_only(spec: dict) -> None:
    if spec["mode"] == "rest":
        pytest.skip("checked on the sample (make test); --mistakes=rest grades the other submissions")


def test_untouched_student_version_scores_zero(graded) -> None:
    _, spec, result = graded
    _sample_only(spec)
    blank = result["scores"]["blank"]
    assert {name: blank[name] for name in result["max"]} == {name: 0 for name in result["max"]}


def test_each_submission_loses_only_its_points(graded) -> None:
    aid, spec, result = graded
    auto = _auto_cells(result)
    wrong = {}
    for sub in spec["graded"]:
        assert set(sub["expected"]) <= set(auto), f"{aid}/{sub['name']}: expected names unknown test cells"
        want = {name: float(sub["expected"].get(name, result["max"][name])) for name in auto}
        got = {name: result["scores"][f"t-{sub['name']}"][name] for name in auto}
        if got != want:
            wrong[sub["name"]] = {n: (got[n], want[n]) for n in auto if got[n] != want[n]}
    assert not wrong, f"{aid}: (got, expected) per test cell: {wrong}"


def test_a_typical_submission_scores_partial_marks(graded) -> None:
    aid, spec, result = graded
    _sample_only(spec)
    full = sum(result["max"][n] for n in _auto_cells(result))
    combined = [s for s in spec["submissions"] if len(s["expected"]) > 1]
    assert combined, f"{aid}: one submission combines several typical mistakes"
    for sub in combined:
        total = sum(result["scores"][f"t-{sub['name']}"][n] for n in _auto_cells(result))
        assert 0 < total < full


BARE = ("KeyError", "NameError", "TypeError", "ValueError", "AttributeError", "IndexError")


def _errors(nb: dict, cell_name: str) -> str:
    """The error text a test cell shows (ename, evalue and traceback of its error outputs)."""
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == cell_name)
    parts = [f"{o['ename']}: {o['evalue']}\n" + "\n".join(o.get("traceback", []))
             for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    return "\n".join(parts)


def test_each_trap_shows_its_hint_where_it_loses_points(graded) -> None:
    """The hint each typical mistake is written for (its ``validate`` text) is the error of a test cell it loses
    points on, not a bare exception: what the student sees under that cell with Validate. The checks a student
    runs are the visible part of the same test cells; tests/test_a01_traps.py runs real `nbgrader validate` on
    the combined submission, where the mistakes cascade as in the student's own run."""
    aid, spec, result = graded
    missing = {}
    for sub in spec["graded"]:
        nb = read(result["course"] / "autograded" / f"t-{sub['name']}" / aid / f"{aid}.ipynb")
        shown = "\n".join(_errors(nb, name) for name in sub["expected"])
        bare = [ename for ename in BARE if f"{ename}: " in shown and sub["validate"] not in shown]
        if sub["validate"] not in shown or bare:
            missing[sub["name"]] = (sub["validate"], shown[-600:])
    assert not missing, f"{aid}: hints not shown where points are lost: {missing}"


def test_off_by_one_threshold_scores_less(graded) -> None:
    aid, spec, result = graded
    full = sum(result["max"][n] for n in _auto_cells(result))
    assert any("off-by-one" in s["name"] for s in spec["submissions"]), \
        f"{aid}: a submission with the off-by-one variant of its threshold"
    variants = [s["name"] for s in spec["graded"] if "off-by-one" in s["name"]]
    for name in variants:
        assert sum(result["scores"][f"t-{name}"][n] for n in _auto_cells(result)) < full


def test_test_cell_standard_ids_are_backed_by_failing_submissions(graded) -> None:
    """Evidence rule: an ID on a graded test cell needs a submission naming it that loses points on that cell."""
    aid, spec, result = graded
    _sample_only(spec)
    nb = read(ROOT / "solutions" / aid / f"{aid}.ipynb")
    assert "standard" not in nb["metadata"].get("smmkit", {}), f"{aid}: notebook-level smmkit.standard is not used"
    unbacked = []
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if not (meta.get("grade") and cell["cell_type"] == "code"):
            continue
        name = meta["grade_id"]
        for sid in cell["metadata"].get("smmkit", {}).get("standard", []):
            backers = [s for s in spec["graded"] if sid in s["standard"]
                       and result["scores"][f"t-{s['name']}"][name] < result["max"][name]]
            if not backers:
                unbacked.append((name, sid))
    assert not unbacked, f"{aid}: test-cell IDs without a failing submission: {unbacked}"


def test_release_has_no_solutions_or_hidden_tests() -> None:
    for aid in IDS:
        text = (ROOT / "assignments" / aid / f"{aid}.ipynb").read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "HIDDEN TESTS"):
            assert marker not in text, f"{aid}: the student version contains «{marker}»"
        nb = json.loads(text)
        assert not [c for c in nb["cells"] if c.get("outputs")], f"{aid}: the student version has outputs"


def test_scratch_course_is_clean_copy(tmp_path) -> None:
    """generate() reads solutions/ only and leaves the repository untouched."""
    before = sorted(p.name for p in (ROOT / "assignments").iterdir())
    assignments.generate(ROOT, IDS[0], tmp_path)
    assert sorted(p.name for p in (ROOT / "assignments").iterdir()) == before
    assert (tmp_path / "assignments" / IDS[0] / f"{IDS[0]}.ipynb").exists()
    shutil.rmtree(tmp_path / "assignments")


def test_honest_work_scores_the_same_on_both_routes(graded) -> None:
    _, spec, result = graded
    _sample_only(spec)
    assert len(result["plain"]) >= 4  # solution, blank, correct and at least one combined submission
    assert {student: result["scores"][student] for student in result["plain"]} == result["plain"]
