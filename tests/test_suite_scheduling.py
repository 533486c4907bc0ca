"""The suite's own scheduling (conftest.py at the repository's root): which tests form one xdist work unit."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
assert _spec is not None and _spec.loader is not None
root_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(root_conftest)


def test_the_invariant_is_one_unit_per_assignment_and_other_files_stay_whole() -> None:
    unit = root_conftest.work_unit
    a04 = "tests/test_grading_invariant.py::test_each_submission_loses_only_its_points[a04-profiles]"
    a05 = "tests/test_grading_invariant.py::test_each_submission_loses_only_its_points[a05-content]"
    assert unit(a04) == "tests/test_grading_invariant.py::a04-profiles" != unit(a05)
    same = a04.replace("each_submission_loses_only_its_points", "solution_gets_full_autograded_marks")
    assert unit(same) == unit(a04)
    assert unit("tests/test_a04_traps.py::test_combined_mistakes_fail_validation_with_hints[typical]") == (
        "tests/test_a04_traps.py")
    assert unit("solutions/a04-profiles/a04-profiles.ipynb::Cell 7") == "solutions/a04-profiles/a04-profiles.ipynb"
