"""`make lab` serves JupyterLab with the course, as a student starts it: through the Makefile, as the current user
(root in containers and CI, where JupyterLab needs --allow-root), at the welcome notebook, in Russian, with the
extensions the course needs (widgets, plotly, nbgrader) and the course's nbgrader configuration, and nothing is
fetched from the internet.

The server's own folders (runtime, user config and Lab settings) and the nbgrader exchange point into a temporary
folder, so a developer's settings or a real exchange on the machine change nothing here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "smmkit-test"
WELCOME = "course/00-intro/00.00-welcome.ipynb"
# `make lab` runs the environment running the tests (BIN=…): the course's .venv/bin under `make test`. Relative
# when inside the repository, since the Makefile also puts $(CURDIR)/$(BIN) on PATH (nbgrader needs `alembic`).
_BIN = Path(sys.executable).parent
BIN = os.path.relpath(_BIN, ROOT) if _BIN.is_relative_to(ROOT) else str(_BIN)
STAMP = ".venv/.smmkit-installed"  # `make -o STAMP`: no reinstall from inside a test


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str, str]:
    """Status, body and final URL (after redirects) of a GET."""
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.status, response.read().decode("utf-8", "replace"), response.geturl()


def _make(*args: str, user: str | None = None) -> list[str]:
    """A `make` command line for the course's Makefile, optionally run as another user (by root)."""
    if shutil.which("make") is None:
        pytest.skip("make не установлен: тест проверяет команду `make lab`")
    command = ["make", "--no-print-directory", "-o", STAMP, f"BIN={BIN}", *args]
    return ["runuser", "-u", user, "--", *command] if user else command


@dataclass
class Lab:
    base: str
    log: Path

    def url(self, path: str) -> str:
        return f"{self.base}{path}{'&' if '?' in path else '?'}token={TOKEN}"

    def json(self, path: str) -> dict:
        status, body, _ = _get(self.url(path))
        assert status == 200, path
        return json.loads(body)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """`make lab LAB_ARGS="--no-browser …"`, started the way a student starts it."""
    work = tmp_path_factory.mktemp("make-lab")
    env = {key: value for key, value in os.environ.items() if key != "SMMKIT_ROOT"}
    for name in ("JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        (work / name.lower()).mkdir()
        env[name] = str(work / name.lower())
    env["SMMKIT_EXCHANGE"] = str(work / "exchange")  # no exchange: a student on their own computer
    port = _free_port()
    args = f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={TOKEN}"
    log = work / "lab.log"
    with log.open("w", encoding="utf-8") as out:  # a file, not a pipe: a full pipe would block the server
        proc = subprocess.Popen(_make("lab", f"LAB_ARGS={args}"), cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 90
    while True:
        try:
            _get(lab.url("/api/status"))
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                pytest.fail("`make lab` did not start JupyterLab:\n" + lab.log_text()[-4000:])
            time.sleep(0.3)
    yield lab
    os.killpg(proc.pid, signal.SIGTERM)  # make, its shell and jupyter: the group this fixture started
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def test_make_lab_passes_allow_root_only_to_root() -> None:
    """The Makefile adds --allow-root when (and only when) the user is root."""
    dry = subprocess.run(_make("-n", "lab"), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert ("--allow-root" in dry.stdout) == (os.geteuid() == 0), dry.stdout


def test_make_lab_as_a_normal_user_does_not_allow_root() -> None:
    """Run by a normal user (here: root switches to `nobody`), `make lab` does not pass --allow-root."""
    if os.geteuid() != 0:
        pytest.skip("the tests already run as a normal user: test_make_lab_passes_allow_root_only_to_root covers it")
    if shutil.which("runuser") is None:
        pytest.skip("runuser is not available to switch to a normal user")
    dry = subprocess.run(_make("-n", "lab", user="nobody"), cwd=ROOT, capture_output=True, text=True, timeout=60)
    if dry.returncode != 0:
        pytest.skip(f"user nobody cannot run make in {ROOT}: {dry.stderr.strip()[:300]}")
    assert "jupyter lab" in dry.stdout and "--allow-root" not in dry.stdout, dry.stdout


def test_make_lab_serves_the_welcome_lesson(lab: Lab) -> None:
    """The address `make lab --no-browser` prints, and the server's root, open the welcome lesson."""
    printed = re.findall(r"http://127\.0\.0\.1:\d+(/\S*)\?token=", lab.log_text())
    assert f"/lab/tree/{WELCOME}" in printed, f"printed addresses: {printed}"
    status, page, final = _get(lab.url("/"))
    assert status == 200 and final.split("?")[0].endswith(f"/lab/tree/{WELCOME}"), final
    assert "jupyter-config-data" in page
    status, body, _ = _get(lab.url(f"/api/contents/{WELCOME}?content=0"))
    assert status == 200 and json.loads(body)["type"] == "notebook"


def test_course_extensions_are_installed(lab: Lab) -> None:
    _, page, _ = _get(lab.url("/lab"))
    for extension in ("@jupyter-widgets/jupyterlab-manager", "jupyterlab-plotly", "@jupyter/nbgrader"):
        assert extension in page, f"JupyterLab extension {extension} is missing"
    assert "smmkit.selfstudy | extension was successfully loaded" in lab.log_text()


def test_nbgrader_finds_the_course_config(lab: Lab) -> None:
    """nbgrader's Lab extensions find grader/nbgrader_config.py (through the root nbgrader_config.py)."""
    log = lab.log_text()
    assert "nbgrader serverextension" in log, "nbgrader's server extensions did not load"
    assert "No nbgrader_config.py file found" not in log
    assert lab.json("/courses")["value"] == ["smm101"]  # the course id set in grader/nbgrader_config.py


def test_assignment_list_explains_self_study_in_russian(lab: Lab) -> None:
    """Without an exchange the Assignment List tells, in Russian, to open assignments/… and press Validate."""
    answer = lab.json("/assignments?course_id=smm101")
    assert answer["success"] is False  # the panel shows the text in place of its (empty) lists
    text = answer["value"]
    for expected in ("assignments/a01-posting-schedule/a01-posting-schedule.ipynb", "Validate", "Success!",
                     "VALIDATION FAILED", "самостоятельно"):
        assert expected in text
    assert "exchange directory does not exist" not in text


def test_lab_is_in_russian_by_default_and_offers_english(lab: Lab) -> None:
    """The Russian language pack is served, ru_RU is the default locale, English stays available."""
    languages = lab.json("/lab/api/translations/")["data"]
    assert {"en", "ru_RU"} <= set(languages), languages
    bundle = lab.json("/lab/api/translations/ru_RU")
    assert bundle["message"] == "", bundle["message"]
    assert bundle["data"]["jupyterlab"]["Run All Cells"] == ["Запустить все ячейки"]
    settings = lab.json("/lab/api/settings/@jupyterlab/translation-extension:plugin")
    assert settings["schema"]["properties"]["locale"]["default"] == "ru_RU"


def test_news_and_update_checks_are_off(lab: Lab) -> None:
    settings = lab.json("/lab/api/settings/@jupyterlab/apputils-extension:notification")
    defaults = {key: value["default"] for key, value in settings["schema"]["properties"].items()}
    assert defaults["checkForUpdates"] is False and defaults["fetchNews"] == "false"
