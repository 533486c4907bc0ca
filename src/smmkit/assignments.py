"""Student versions of the assignments: generated from ``solutions/`` by nbgrader, never edited by hand.

``build`` runs nbgrader's ``generate_assignment`` in a scratch course directory (its own gradebook, so the
instructor's gradebook is not touched) and copies the result into ``assignments/``. ``build(check=True)``
does the same and compares, naming every file that differs.
"""

from __future__ import annotations

import filecmp
import functools
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

CONFIG_FILE = Path("grader") / "nbgrader_config.py"


def ensure_tools_on_path() -> None:
    """Put this interpreter's ``bin`` first on PATH: nbgrader runs ``alembic`` by name."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if parts[:1] != [bindir]:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def alembic_head_once() -> None:
    """Ask ``alembic heads`` once per process: nbgrader runs that CLI (a second Python, about a second) for every
    new gradebook, and the head of the installed nbgrader never changes."""
    import nbgrader.api as api

    if not hasattr(api.get_alembic_version, "cache_info"):
        api.get_alembic_version = functools.cache(api.get_alembic_version)


def load_config(root: Path, course_root: Path | None = None, db_url: str | None = None) -> Any:
    """The course's nbgrader config (``grader/nbgrader_config.py``), optionally pointed at another root/db."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_FILE.name, path=str(root / CONFIG_FILE.parent)).load_config()
    if course_root is not None:
        config.CourseDirectory.root = str(course_root)
    if db_url is not None:
        config.CourseDirectory.db_url = db_url
    return config


def assignment_ids(root: Path) -> list[str]:
    """Assignment ids: the folders of ``solutions/`` that hold a master notebook of the same name."""
    return sorted(p.name for p in (root / "solutions").iterdir() if (p / f"{p.name}.ipynb").exists())


def generate(root: Path, assignment: str, scratch: Path) -> Path:
    """Run nbgrader's generate_assignment for one assignment in ``scratch``; return its release folder."""
    ensure_tools_on_path()
    alembic_head_once()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    shutil.copytree(root / "solutions" / assignment, scratch / "solutions" / assignment,
                    ignore=shutil.ignore_patterns(*_ignored(root)))
    config = load_config(root, course_root=scratch, db_url=f"sqlite:///{scratch / 'gradebook.db'}")
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.generate_assignment(assignment, force=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader не смог собрать {assignment}:\n{result['error']}\n{result['log']}")
    return scratch / "assignments" / assignment


def scratch_course(root: Path, assignment: str, dest: Path) -> Path:
    """A course at ``dest`` with the kit's grader config and one assignment generated into its own gradebook.

    Used to grade away from the instructor's course: tests and benchmarks build their classes on it.
    """
    ensure_tools_on_path()
    alembic_head_once()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    (dest / CONFIG_FILE.parent).mkdir(parents=True, exist_ok=True)
    shutil.copy(root / CONFIG_FILE, dest / CONFIG_FILE)
    shutil.copytree(root / "solutions" / assignment, dest / "solutions" / assignment,
                    ignore=shutil.ignore_patterns(*_ignored(root)))
    config = load_config(dest, course_root=dest)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.generate_assignment(assignment, force=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader не смог собрать {assignment}:\n{result['error']}\n{result['log']}")
    return dest


def _ignored(root: Path) -> list[str]:
    config = load_config(root)
    return list(config.CourseDirectory.get("ignore", [])) or [".ipynb_checkpoints", "*.pyc", "__pycache__"]


def diff(expected: Path, actual: Path) -> list[str]:
    """Relative paths that differ between two release folders (changed, missing or extra files)."""
    out: list[str] = []
    cmp = filecmp.dircmp(expected, actual)

    def walk(c: filecmp.dircmp, prefix: str) -> None:
        out.extend(prefix + n for n in c.left_only + c.right_only)
        for name in c.common_files:
            if (Path(c.left) / name).read_bytes() != (Path(c.right) / name).read_bytes():
                out.append(prefix + name)
        for sub, subcmp in c.subdirs.items():
            walk(subcmp, f"{prefix}{sub}/")

    walk(cmp, "")
    return sorted(out)


def build(root: Path, check: bool = False, names: list[str] | None = None, out: TextIO | None = None) -> int:
    """Regenerate ``assignments/`` from ``solutions/`` (or, with ``check``, compare); return an exit code."""
    out = out or sys.stdout
    wanted = names or assignment_ids(root)
    stale: list[str] = []
    for assignment in wanted:
        if not (root / "solutions" / assignment / f"{assignment}.ipynb").exists():
            print(f"Нет задания {assignment}: ожидается solutions/{assignment}/{assignment}.ipynb", file=out)
            return 2
        with tempfile.TemporaryDirectory(prefix="smmkit-build-") as tmp:
            fresh = generate(root, assignment, Path(tmp))
            committed = root / "assignments" / assignment
            if check:
                changed = diff(fresh, committed) if committed.exists() else ["(папки нет)"]
                stale.extend(f"assignments/{assignment}/{name}" for name in changed)
                continue
            if committed.exists():
                shutil.rmtree(committed)
            shutil.copytree(fresh, committed)
            print(f"собрано: assignments/{assignment}", file=out)
    if stale:
        for path in stale:
            print(f"устарел: {path}", file=out)
        print("Студенческие версии не совпадают с solutions/: выполните `smmkit assignments build` "
              "и закоммитьте assignments/.", file=out)
        return 1
    if check:
        print(f"Студенческие версии актуальны ({len(wanted)}).", file=out)
    return 0
