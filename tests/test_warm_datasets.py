"""Datasets parsed once by the grading zygote (isolated route only): copies, fresh after a change, never shared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smmkit import datasets
from smmkit.grading.autograde import WARM_DATASETS, course_config
from smmkit.grading.warm_datasets import assignment_datasets

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def warm_root(tmp_path: Path):
    root = tmp_path / "datasets"
    for name in ("accounts", "content_plan"):
        shutil.copytree(ROOT / "datasets" / name, root / name)
    saved = dict(datasets._WARM)
    datasets._WARM.clear()
    yield root
    datasets._WARM.clear()
    datasets._WARM.update(saved)


def test_a_warm_dataset_is_a_fresh_copy_each_time(warm_root: Path) -> None:
    assert datasets.warm(["accounts"], warm_root) == ["accounts"]
    first = datasets.load("accounts", warm_root)
    first.loc[:, "followers_start"] = 0
    again = datasets.load("accounts", warm_root)
    assert again["followers_start"].gt(0).all()
    assert again.equals(datasets.load("accounts", ROOT / "datasets"))


def test_a_changed_file_is_read_anew(warm_root: Path) -> None:
    datasets.warm(["accounts"], warm_root)
    csv = datasets.csv_path("accounts", warm_root)
    text = csv.read_text(encoding="utf-8-sig")
    first_id = datasets.load("accounts", warm_root)["account_id"].iloc[0]
    csv.write_text(text.replace(first_id, "zz_new", 1), encoding="utf-8-sig")
    assert datasets.load("accounts", warm_root)["account_id"].iloc[0] == "zz_new"


def test_nothing_is_kept_unless_warmed(warm_root: Path) -> None:
    datasets.load("content_plan", warm_root)
    assert not datasets._WARM


def test_the_assignments_datasets_are_warmed() -> None:
    names = assignment_datasets(ROOT)
    assert {"posts", "audience_activity", "content_plan"} <= set(names)


def test_only_the_isolated_route_warms(tmp_path: Path) -> None:
    from smmkit import assignments

    course = assignments.scratch_course(ROOT, "a01-posting-schedule", tmp_path / "c")
    assert WARM_DATASETS in course_config(course, isolated=True).SandboxKernelManager.preload
    assert WARM_DATASETS not in course_config(course, isolated=False).SandboxKernelManager.get("preload", [])
