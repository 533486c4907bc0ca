"""Jupyter server extension of the course: nbgrader's Assignment List explains self-study, in Russian.

Without an nbgrader exchange (a student who runs `make lab` on their own computer), nbgrader's Assignment
List says only "The exchange directory does not exist" in English. This extension keeps nbgrader's panel and
its Validate button, but while the exchange holds no released course it answers the panel with Russian
guidance instead: open the notebook under ``assignments/``, press Validate, and what "Success!" and
"VALIDATION FAILED" mean. Once an instructor releases assignments into the exchange (a class on JupyterHub),
the panel is nbgrader's own again: Fetch and Submit work as usual.

``smmkit.labsetup`` enables the extension in the environment (``etc/jupyter/jupyter_server_config.d``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

SETTING = "assignment_list_manager"
"""The tornado setting under which nbgrader's assignment_list server extension keeps its manager."""


@cache
def texts() -> dict[str, str]:
    """The extension's Russian texts (``selfstudy.yaml``)."""
    return yaml.safe_load(resources.files("smmkit").joinpath("selfstudy.yaml").read_text(encoding="utf-8"))


def student_notebooks(root: Path) -> list[str]:
    """The student versions under ``root/assignments/``, as paths relative to ``root`` (sorted)."""
    found = (root / "assignments").glob("*/*.ipynb")
    return sorted(p.relative_to(root).as_posix() for p in found if ".ipynb_checkpoints" not in p.parts)


def guidance(root: Path) -> str:
    """What the Assignment List shows when there is no exchange: how to validate a notebook on one's own."""
    notebooks = student_notebooks(root)
    listed = "\n".join(f"   {path}" for path in notebooks) if notebooks else texts()["no_notebooks"]
    return texts()["assignment_list"].format(notebooks=listed)


def exchange_has_courses(exchange_root: Path) -> bool:
    """Whether an nbgrader exchange holds a released course (a ``<course>/outbound`` folder)."""
    try:
        return any(p.is_dir() for p in exchange_root.glob("*/outbound"))
    except OSError:  # unreadable exchange: as good as none
        return False


@cache
def _manager_class() -> type:
    """nbgrader's ``AssignmentList`` with the self-study answer (imported late: nbgrader is heavy)."""
    from nbgrader.exchange.default.exchange import Exchange
    from nbgrader.server_extensions.assignment_list.handlers import AssignmentList, chdir

    class SelfStudyAssignmentList(AssignmentList):
        """nbgrader's manager; without a released course in the exchange it answers with the guidance."""

        def _config(self) -> Any:
            with chdir(self._root_dir):  # as nbgrader does: the config next to the course, then Jupyter's paths
                return self.load_config()

        def self_study(self) -> bool:
            return not exchange_has_courses(Path(Exchange(config=self._config()).root))

        def list_courses(self) -> dict[str, Any]:
            if self.self_study():
                course = self._config().CourseDirectory.get("course_id") or "smm"
                return {"success": True, "value": [course]}
            return super().list_courses()

        def list_assignments(self, course_id: str | None = None) -> dict[str, Any]:
            if self.self_study():
                return {"success": False, "value": guidance(Path(self._root_dir))}
            return super().list_assignments(course_id=course_id)

    return SelfStudyAssignmentList


def install(serverapp: Any) -> bool:
    """Put the self-study manager in place of nbgrader's (if nbgrader's Assignment List is loaded)."""
    settings = serverapp.web_app.settings
    current = settings.get(SETTING)
    cls = _manager_class()
    if current is None or isinstance(current, cls):
        return current is not None
    manager = cls(parent=serverapp)
    manager.root_dir = current.root_dir
    settings[SETTING] = manager
    serverapp.log.info("smmkit: nbgrader's Assignment List explains self-study when there is no exchange")
    return True


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "smmkit.selfstudy"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    # Extensions load in alphabetical order, so nbgrader's manager is already there; `start` checks again.
    install(serverapp)


async def _start_jupyter_server_extension(serverapp: Any) -> None:
    install(serverapp)
