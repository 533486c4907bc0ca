"""The student kit: the course without solutions, hidden tests, model answers or instructor notes.

``build_kit(root, out)`` copies what a student needs — ``course/``, ``assignments/`` (the student versions),
``datasets/`` and the ``smmkit`` package with what installs it — into a folder, or into a zip when ``out``
ends in ``.zip`` (one top folder, ``smmkit-student/``). The project README, written for all three users, is
replaced by a student README (``studentkit_readme.md``), and the three-language glossary of terms is added
(``glossary.md``). Before the kit is written, it is searched for every
secret of the instructor's course (:func:`secrets`): the text of each hidden test and each solution of the
master notebooks in ``solutions/``, and the instructor notes under ``grader/``. A kit that holds any of them
is not written.

>>> from smmkit.studentkit import needles
>>> needles('x = 1\\n    assert total == 42, "сумма не сходится"\\n')
['assert total == 42, "сумма не сходится"']
>>> needles('assert total == 42, "сумма не сходится"', public='Пример: assert total == 42, "сумма не сходится".')
[]
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TextIO

from smmkit.curriculum.glossary import glossary_markdown

TOP = "smmkit-student"
"""The folder a student gets when unpacking the zip."""

GLOSSARY = "glossary.md"
"""The three-language glossary of terms (Russian, Kazakh, English), written into the kit for students."""

FOLDERS = ("course", "assignments", "datasets", "src/smmkit")
"""Folders copied whole (minus :data:`SKIPPED`)."""

FILES = ("pyproject.toml", "constraints.txt", "LICENSE", "Makefile", "nbgrader_config.py",
         "grader/nbgrader_config.py")
"""Single files: what installs the package (``pip install -c constraints.txt -e .``, ``make lab``) and the
nbgrader configuration that nbgrader's Validate button reads. No other file under ``grader/`` goes in."""

SKIPPED = ("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", "_generated", ".DS_Store", "texts_kk.yaml")
"""Names never copied: caches, editor leftovers, the on-demand large dataset (``datasets/_generated``) and the
Kazakh texts of the college documents (``curriculum/texts_kk.yaml``), which translate the manual tasks' mark
schemes: documents for the college, written from the instructor's course, not from the kit."""

RUN_OUTPUTS = ("course", "assignments")
"""Folders whose CSV files are what notebooks wrote when they ran (never committed): not copied."""

INSTRUCTOR_NOTES = ("grader/README.md", "grader/instructor")
"""The instructor's runbook and notes: their text must not be in the kit."""

MIN_NEEDLE = 24
"""Shorter lines (``import pandas as pd``, ``assert ok``) are too common to mean a leak."""

_BLOCK = {
    "hidden test": re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S),
    "solution": re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S),
}


@dataclass(frozen=True)
class Secret:
    """A piece of the instructor's course that must not reach students, and the lines a kit is searched for."""

    kind: str  # "hidden test", "solution", "model answer" or "instructor note"
    source: str  # where it comes from, relative to the course root (notebook path and cell id)
    text: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Leak:
    """A line of a secret found in a file of the kit."""

    secret: Secret
    line: str
    path: str


def needles(text: str, public: str = "") -> list[str]:
    """The lines of ``text`` a kit is searched for: stripped, at least :data:`MIN_NEEDLE` characters, and not
    in ``public`` (text the student version shows anyway: a visible check that recomputes a table, a line of
    code the prompt gives)."""
    return [s for s in (line.strip() for line in text.splitlines()) if len(s) >= MIN_NEEDLE and s not in public]


def _cells(path: Path) -> list[dict]:
    return list(json.loads(path.read_text(encoding="utf-8"))["cells"])


def _public_text(root: Path, master: Path) -> str:
    """The cells of the assignment's student version (what nbgrader publishes from the master) and of every
    lesson, joined: a line a lesson teaches is public, even when an answer repeats it."""
    student = root / "assignments" / master.parent.name / master.name
    published = [student] if student.exists() else []
    lessons = sorted((root / "course").glob("*/*.ipynb"))
    return "\n".join("".join(c["source"]) for path in [*published, *lessons] for c in _cells(path))


def _prose(markdown: str) -> str:
    """A Markdown note without its fenced code blocks (commands and code an instructor runs are no secret)."""
    return re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)


def secrets(root: Path) -> list[Secret]:
    """Every hidden test, solution and model answer of ``solutions/*/*.ipynb`` and the instructor notes."""
    found: list[Secret] = []
    for master in sorted((root / "solutions").glob("*/*.ipynb")):
        rel = master.relative_to(root).as_posix()
        public = _public_text(root, master)
        for cell in _cells(master):
            source = "".join(cell["source"])
            cell_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", cell.get("id", "?"))
            for kind, pattern in _BLOCK.items():
                label = "model answer" if kind == "solution" and cell["cell_type"] == "markdown" else kind
                found.extend(Secret(label, f"{rel}#{cell_id}", block, tuple(needles(block, public)))
                             for block in pattern.findall(source))
    for note in INSTRUCTOR_NOTES:
        path = root / note
        files = sorted(path.rglob("*.md")) if path.is_dir() else [path] if path.exists() else []
        for p in files:
            text = p.read_text(encoding="utf-8")
            found.append(Secret("instructor note", p.relative_to(root).as_posix(), text, tuple(needles(_prose(text)))))
    return found


def _skipped(rel: Path) -> bool:
    if any(fnmatch.fnmatch(part, pattern) for part in rel.parts for pattern in SKIPPED):
        return True
    return rel.parts[0] in RUN_OUTPUTS and rel.suffix == ".csv"


def kit_files(root: Path) -> list[Path]:
    """The files of the kit, relative to ``root`` (sorted); the student README is added on top of them."""
    out: list[Path] = []
    for folder in FOLDERS:
        if not (root / folder).is_dir():
            raise FileNotFoundError(f"В папке курса нет {folder}/: комплект студента собрать нельзя")
        out.extend(p.relative_to(root) for p in (root / folder).rglob("*") if p.is_file())
    for name in FILES:
        if not (root / name).is_file():
            raise FileNotFoundError(f"В папке курса нет файла {name}: комплект студента собрать нельзя")
        out.append(Path(name))
    return sorted(p for p in out if not _skipped(p))


def readme() -> str:
    """The kit's README.md (Russian): what is in it and how to start."""
    return resources.files("smmkit").joinpath("studentkit_readme.md").read_text(encoding="utf-8")


def _texts(folder: Path) -> Iterator[tuple[str, str]]:
    """Every file of a kit folder as text, a notebook as its cells' sources and outputs joined.

    The datasets' CSV tables are left out: they are generated data (``smmkit datasets build --check`` keeps
    them byte for byte what the generators write), most of the kit's bytes, and hold no notebook text."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix == ".csv":
            continue
        rel = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        if path.suffix == ".ipynb":
            nb = json.loads(data)
            parts = ["".join(c.get("source", "")) for c in nb.get("cells", [])]
            parts += ["".join(o.get("text", "")) + json.dumps(o.get("data", {}), ensure_ascii=False)
                      for c in nb.get("cells", []) for o in c.get("outputs", [])]
            yield rel, "\n".join(parts)
        else:
            yield rel, data.decode("utf-8", errors="replace")


def find_leaks(folder: Path, found: Iterable[Secret]) -> list[Leak]:
    """Lines of the secrets that occur in any file under ``folder`` (notebooks are searched cell by cell)."""
    wanted = [(s, n) for s in found for n in s.lines]
    leaks: list[Leak] = []
    for rel, text in _texts(folder):
        leaks.extend(Leak(s, n, rel) for s, n in wanted if n in text)
    return leaks


def _fill(root: Path, dest: Path) -> None:
    for rel in kit_files(root):
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, dest / rel)
    (dest / "README.md").write_text(readme(), encoding="utf-8")
    (dest / GLOSSARY).write_text(glossary_markdown(), encoding="utf-8")


def _zip(folder: Path, out: Path) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{TOP}/{path.relative_to(folder).as_posix()}")


def build_kit(root: Path, out: Path, log: TextIO | None = None) -> int:
    """Write the student kit to ``out`` (a folder, or a zip if it ends in ``.zip``); return an exit code."""
    log = log or sys.stdout
    with tempfile.TemporaryDirectory(prefix="smmkit-kit-") as tmp:
        staging = Path(tmp) / TOP
        _fill(root, staging)
        leaks = find_leaks(staging, secrets(root))
        if leaks:
            for leak in leaks[:20]:
                print(f"в {leak.path} — {leak.secret.kind} из {leak.secret.source}: {leak.line}", file=log)
            print(f"Комплект не записан: в нём {len(leaks)} строк(и) решений, скрытых тестов или заметок "
                  "преподавателя.", file=log)
            return 1
        if out.suffix == ".zip":
            out.parent.mkdir(parents=True, exist_ok=True)
            _zip(staging, out)
        else:
            if out.exists() and any(out.iterdir()):
                print(f"Папка {out} не пуста: укажите новую папку или архив .zip", file=log)
                return 2
            shutil.copytree(staging, out, dirs_exist_ok=True)
        count = sum(1 for p in staging.rglob("*") if p.is_file())
    print(f"Комплект студента: {out} ({count} файлов, без solutions/, скрытых тестов и ответов)", file=log)
    return 0
