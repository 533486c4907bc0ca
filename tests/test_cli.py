"""The `smmkit` console script, as installed in the venv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import smmkit

ROOT = Path(__file__).resolve().parents[1]
SMMKIT = str(Path(sys.executable).with_name("smmkit"))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([SMMKIT, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and smmkit.__version__ in result.stdout


def test_coverage_prints_both_cards() -> None:
    result = run("curriculum", "coverage")
    assert result.returncode == 0, result.stderr
    assert "Карточка A4" in result.stdout and "Карточка M6" in result.stdout
    assert "A4-TF1-T1-Z3" in result.stdout and "Покрытие:" in result.stdout


def test_notebooks_are_stored_clean() -> None:
    result = run("notebooks", "clean", "--check")
    assert result.returncode == 0, result.stdout


def test_notebooks_clean_takes_a_folder(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "01-autoposting"
    shutil.copytree(ROOT / "course" / "01-autoposting", folder)
    nb = folder / "01.01-content-plan.ipynb"
    text = nb.read_text(encoding="utf-8")
    nb.write_text(text.replace('"execution_count": null', '"execution_count": 7', 1), encoding="utf-8")
    result = run("notebooks", "clean", "--check", str(folder))
    assert result.returncode == 1 and "01.01-content-plan.ipynb" in result.stdout, result.stdout + result.stderr
    assert run("notebooks", "clean", str(folder)).returncode == 0
    assert run("notebooks", "clean", "--check", str(folder)).returncode == 0
    missing = run("notebooks", "clean", str(tmp_path / "нет"))
    assert missing.returncode == 2 and "Нет такого файла или папки" in missing.stderr


def test_usage_error_is_reported() -> None:
    result = run("assignments")
    assert result.returncode == 2 and "usage" in result.stderr.lower()


def test_large_table_on_demand(tmp_path: Path) -> None:
    result = run("--root", str(tmp_path), "datasets", "large", "--rows", "1000")
    assert result.returncode == 0, result.stderr
    written = tmp_path / "datasets" / "_generated" / "followers_audit_large.csv"
    assert written.exists() and "1 000 строк" in result.stdout
    assert sum(1 for _ in written.open(encoding="utf-8-sig")) == 1001
