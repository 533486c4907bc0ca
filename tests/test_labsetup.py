"""The Lab's settings (`smmkit.labsetup`) and the self-study Assignment List (`smmkit.selfstudy`), without a server."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import nbformat
import pytest

from smmkit import labsetup, notebooks, selfstudy

ROOT = Path(__file__).resolve().parents[1]
PACK = "jupyterlab-language-pack-ru-RU"


def test_settings_are_written_and_merged(tmp_path: Path) -> None:
    """Russian by default, no news; other settings already in the files are kept; writing twice changes nothing."""
    assert labsetup.overrides_path(tmp_path).parent.name == "overrides.d"  # beside, not in, the admin's overrides.json
    overrides = labsetup.overrides_path(tmp_path)
    overrides.parent.mkdir(parents=True)
    overrides.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    labsetup.main(tmp_path)
    first = overrides.read_text(encoding="utf-8"), labsetup.server_config_path(tmp_path).read_text(encoding="utf-8")
    labsetup.main(tmp_path)
    assert (overrides.read_text(encoding="utf-8"), labsetup.server_config_path(tmp_path).read_text()) == first
    settings = json.loads(first[0])
    assert settings["@jupyterlab/translation-extension:plugin"]["locale"] == "ru_RU"
    assert settings["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    assert settings["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    server = json.loads(first[1])
    assert server["ServerApp"]["jpserver_extensions"] == {"smmkit.selfstudy": True}


def test_language_pack_is_a_pinned_dependency() -> None:
    """The Russian pack is a dependency, pinned in constraints.txt to the version installed here."""
    dependencies = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("dependencies = [", 1)[1].split("]")[0]
    assert f'"{PACK}>=' in dependencies
    pins = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line)
    assert pins[PACK] == metadata.version(PACK)


def _course(tmp_path: Path) -> Path:
    """A course folder with one student notebook and an nbgrader config whose exchange is under tmp_path."""
    root = tmp_path / "course"
    (root / "assignments" / "a01-x").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), root / "assignments" / "a01-x" / "a01-x.ipynb")
    (root / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.course_id = 'smm101'\nc.Exchange.root = {str(tmp_path / 'ex')!r}\n",
        encoding="utf-8")
    return root


@pytest.fixture
def manager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The self-study manager of a server started in the course folder (as `make lab` starts it)."""
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "user-config"))  # no ~/.jupyter/nbgrader_config.py
    root = _course(tmp_path)
    monkeypatch.chdir(root)  # nbgrader reads the config of the server's folder too
    manager = selfstudy._manager_class()()
    manager.root_dir = str(root)
    return manager


def test_without_exchange_the_panel_explains_self_study(manager) -> None:
    assert manager.list_courses() == {"success": True, "value": ["smm101"]}
    answer = manager.list_assignments(course_id="smm101")
    assert answer["success"] is False
    assert "   assignments/a01-x/a01-x.ipynb\n" in answer["value"]
    assert "{" not in answer["value"], "a placeholder was left in the guidance"


def test_an_exchange_with_a_released_course_gives_nbgrader_its_panel_back(manager, tmp_path: Path) -> None:
    """With an exchange (created by nbgrader, as root it may be) but nothing released: still self-study."""
    (tmp_path / "ex").mkdir()
    assert manager.list_assignments(course_id="smm101")["success"] is False
    released = tmp_path / "ex" / "smm101" / "outbound" / "a01-x"
    released.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), released / "a01-x.ipynb")
    answer = manager.list_assignments(course_id="smm101")
    assert answer["success"] is True, answer
    assert [(a["assignment_id"], a["status"]) for a in answer["value"]] == [("a01-x", "released")]
    assert manager.list_courses() == {"success": True, "value": ["smm101"]}


def test_guidance_tells_what_nbgrader_messages_mean() -> None:
    text = selfstudy.guidance(ROOT)
    for expected in ("assignments/a01-posting-schedule/a01-posting-schedule.ipynb", "Validate",
                     "Success! Your notebook passes all the tests.", "The following cell failed:",
                     "VALIDATION FAILED"):
        assert expected in text
    assert selfstudy.texts()["no_notebooks"] in selfstudy.guidance(ROOT / "course")


def test_welcome_lesson_explains_self_study() -> None:
    """00.00 tells a student without an exchange to open assignments/… and press Validate, and what the answers mean."""
    nb = notebooks.read(ROOT / "course" / "00-intro" / "00.00-welcome.ipynb")
    text = "\n".join(notebooks.source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    for expected in ("assignments/a01-posting-schedule/a01-posting-schedule.ipynb", "Validate", "Success!",
                     "VALIDATION FAILED", "Assignment List"):
        assert expected in text


def test_the_venv_has_no_slow_format_checker() -> None:
    """`make setup` leaves rfc3987-syntax out (Makefile, SLOW_IMPORTS): jsonschema, imported by every process that
    reads a notebook, would otherwise build its IRI parsers at each start. Notebooks still validate without it."""
    import importlib.util

    assert importlib.util.find_spec("rfc3987_syntax") is None, "run `make setup` (it removes rfc3987-syntax)"
    nb = nbformat.read(ROOT / "course" / "00-intro" / "00.00-welcome.ipynb", as_version=4)
    nbformat.validate(nb)
    from jsonschema import Draft7Validator

    assert "uri" in Draft7Validator.FORMAT_CHECKER.checkers  # the URI checks jsonschema has without it remain
