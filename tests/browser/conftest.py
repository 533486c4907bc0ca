"""Fixtures of the real-browser tests: one JupyterLab server and one headless Chromium per test module.

The server serves a *copy* of the course: ``course/``, ``assignments/``, ``datasets/`` and ``pyproject.toml`` are
copied into a temporary folder that becomes the server's root. Running notebooks in the browser changes them
(outputs, autosave, checkpoints, files the notebooks write) and none of that may reach the repository, where
other people edit the same notebooks. ``SMMKIT_ROOT`` is removed from the server's environment, so the kernels
find the course root the way a student's kernels do under ``make lab``: by walking up from the notebook's folder
to the folder that holds ``pyproject.toml``, ``course/`` and ``datasets/`` (here: the copy).

Jupyter's per-user folders (config, data, runtime, Lab settings and workspaces, IPython profile) point into the
temporary folder too, so a developer's own settings neither leak into the tests nor get written by them.

Chromium is Debian's package, driven by Playwright through ``executable_path``: no browser is ever downloaded
(``playwright install`` is never needed). It runs with a fresh profile folder and may reach loopback only.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "smmkit-browser-test"
ARTIFACTS = ROOT / "artifacts" / "browser"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    # Nothing but loopback resolves, so a stray CDN request fails fast instead of hanging; the tests still see
    # it (Playwright reports the request) and fail with its address.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]

SKIP_NO_CHROMIUM = (
    "Chromium не найден: установите его командой `sudo apt-get install chromium` (Debian/Ubuntu) "
    "или укажите путь к браузеру в переменной окружения SMMKIT_CHROMIUM. "
    "Команду `playwright install` запускать не нужно: тесты используют системный Chromium."
)
SKIP_NO_PLAYWRIGHT = (
    "Playwright не установлен: выполните `make setup` или `.venv/bin/pip install -c constraints.txt -e '.[test]'`."
)


# Every Lab server this process started. A rerun of a flaky test (pytest-rerunfailures) drops a module fixture's
# cached server without its teardown; the session's end stops whatever is still running, so none outlives the run.
SERVERS: list[subprocess.Popen] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    for proc in SERVERS:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: real-browser tests (JupyterLab in headless Chromium); deselect with -m 'not browser'"
    )


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Iterator[list[pytest.Collector]]:
    """No doctests here: --doctest-modules would import the test module a second time and report its skip twice."""
    collectors = yield
    return [c for c in collectors if type(c).__name__ != "DoctestModule"]


def find_chromium() -> str | None:
    """The Chromium to drive: $SMMKIT_CHROMIUM, else `chromium` (Debian) or `chromium-browser` (Ubuntu) on PATH."""
    chosen = os.environ.get("SMMKIT_CHROMIUM")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_skip_reason() -> str | None:
    """Why the browser tests cannot run here (a message for the student), or None when they can."""
    if find_chromium() is None:
        return SKIP_NO_CHROMIUM
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return SKIP_NO_PLAYWRIGHT
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabServer:
    """A running JupyterLab server on 127.0.0.1 that serves a copy of the course."""

    base: str
    token: str
    root: Path
    log: Path

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def api(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(self.url(f"/api/{path}"), method=method)
        with urllib.request.urlopen(request, timeout=20) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self, notebook: str | None = None) -> None:
        """End the sessions (and kernels) of one notebook, or of all notebooks: the two cores are shared."""
        for session in self.api("sessions"):
            if notebook is None or session.get("path") == notebook:
                try:
                    self.api(f"sessions/{session['id']}", method="DELETE")
                except urllib.error.HTTPError:  # already gone
                    pass

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:] if self.log.exists() else ""


def _copy_course(dest: Path) -> None:
    """Copy what a student's course folder holds (notebooks, datasets, the root marker) into dest."""
    leftovers = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "_generated")
    # CSV files under course/ and assignments/ are what notebooks wrote when they ran; datasets/ keeps its CSVs.
    written = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.csv")
    shutil.copytree(ROOT / "course", dest / "course", ignore=written)
    shutil.copytree(ROOT / "assignments", dest / "assignments", ignore=written)
    shutil.copytree(ROOT / "datasets", dest / "datasets", ignore=leftovers)
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """One JupyterLab server for the module, rooted at a temporary copy of the course."""
    work = tmp_path_factory.mktemp("browser-lab")
    root = work / "course-root"
    root.mkdir()
    _copy_course(root)
    home = {name: work / name.lower() for name in (
        "JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR",
        "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR")}
    for folder in home.values():
        folder.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "SMMKIT_ROOT"}
    env.update({key: str(value) for key, value in home.items()})
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])

    port = _free_port()
    log = work / "jupyterlab.log"
    jupyter = Path(sys.executable).with_name("jupyter")
    with log.open("w", encoding="utf-8") as log_file:  # a file, not a pipe: a full pipe would block the server
        proc = subprocess.Popen(
            [str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
             "--allow-root", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}"],
            cwd=root, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )
    SERVERS.append(proc)
    server = LabServer(base=f"http://127.0.0.1:{port}", token=TOKEN, root=root, log=log)
    deadline = time.monotonic() + 60
    while True:
        try:
            server.api("status")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"JupyterLab did not start. Server log:\n{server.log_tail()}")
            time.sleep(0.3)
    yield server
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the module: a persistent context in a fresh profile folder.

    One context for all tests shares the HTTP cache, so JupyterLab's bundles load from disk after the first page.
    """
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900},
        )
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()
