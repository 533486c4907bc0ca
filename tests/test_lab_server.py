"""`make lab` serves JupyterLab with the course: the server starts, the welcome notebook and the extensions
that the course needs (widgets, plotly, nbgrader) are there, and nothing is fetched from the internet."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "smmkit-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port = _free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path_factory.mktemp("runtime"))}
    proc = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--allow-root",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={ROOT}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(f"{base}/api/status?token={TOKEN}")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start: " + (proc.stderr.read() if proc.stderr else ""))
    yield base
    proc.terminate()
    proc.wait(timeout=20)


def test_welcome_notebook_is_served(lab: str) -> None:
    status, body = _get(f"{lab}/api/contents/course/00-intro/00.00-welcome.ipynb?token={TOKEN}&content=0")
    assert status == 200 and json.loads(body)["type"] == "notebook"


def test_course_extensions_are_installed(lab: str) -> None:
    status, page = _get(f"{lab}/lab?token={TOKEN}")
    assert status == 200
    for extension in ("@jupyter-widgets/jupyterlab-manager", "jupyterlab-plotly", "@jupyter/nbgrader"):
        assert extension in page, f"JupyterLab extension {extension} is missing"


def test_news_and_update_checks_are_off() -> None:
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(overrides.read_text(encoding="utf-8"))
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification["checkForUpdates"] is False and notification["fetchNews"] == "false"
