"""grader/hub/jupyterhub_config.py loaded as JupyterHub loads it (no hub started): logins nbgrader can use."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "grader" / "hub" / "jupyterhub_config.py"


def _load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, roster: dict) -> object:
    from traitlets.config.loader import PyFileConfigLoader

    (tmp_path / "roster.yaml").write_text(yaml.safe_dump(roster), encoding="utf-8")
    for key in ("SMMKIT_HUB_AUTH", "SMMKIT_EXCHANGE", "SMMKIT_COURSE_ID", "SMMKIT_HUB_PUBLIC_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("SMMKIT_HUB_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("SMMKIT_HUB_ROSTER", str(tmp_path / "roster.yaml"))
    monkeypatch.setenv("SMMKIT_HUB_PASSWORD", "a-class-password")
    return PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()


def test_the_rest_api_and_the_login_refuse_a_name_with_plus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """JupyterHub's admin API (POST /hub/api/users) and login call Authenticator.validate_username: the config's
    username_pattern makes them refuse what nbgrader's exchange cannot carry."""
    from jupyterhub.auth import Authenticator

    c = _load(tmp_path, monkeypatch, {"course": "smm101", "instructors": ["teacher"], "students": ["student01"]})
    authenticator = Authenticator(config=c)
    for good in ("student01", "s2026-014", "a.kim", "t_kassymova"):
        assert authenticator.validate_username(good), good
    for bad in ("student+04", "s*", "айгерим", "has space", "-dash", ".hidden"):
        assert not authenticator.validate_username(bad), bad


@pytest.mark.parametrize("name", ["student+04", "Student04", "s 04"])
def test_a_roster_with_an_unusable_login_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     name: str) -> None:
    with pytest.raises(ValueError, match="hub login for nbgrader"):
        _load(tmp_path, monkeypatch, {"course": "smm101", "instructors": ["teacher"], "students": [name]})


def test_the_public_address_is_the_hubs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMMKIT_HUB_PUBLIC_URL", "https://hub.college.kz/")
    from traitlets.config.loader import PyFileConfigLoader

    (tmp_path / "roster.yaml").write_text(yaml.safe_dump({"students": ["s1"]}), encoding="utf-8")
    monkeypatch.setenv("SMMKIT_HUB_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("SMMKIT_HUB_ROSTER", str(tmp_path / "roster.yaml"))
    monkeypatch.setenv("SMMKIT_HUB_PASSWORD", "a-class-password")
    c = PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()
    assert c.JupyterHub.public_url == "https://hub.college.kz/"


@pytest.mark.hub
def test_ctrl_c_while_the_hub_starts_stops_it_quietly_and_leaves_nothing(tmp_path: Path) -> None:
    """Ctrl-C before the hub has installed its own signal handlers (it is still starting the proxy and the
    formgrader, up to two minutes on a busy server): no KeyboardInterrupt traceback, and neither the proxy nor the
    formgrader is left running in its own session."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil
    from test_hub_e2e import _free_ports

    bin_dir = Path(sys.executable).parent
    (tmp_path / "roster.yaml").write_text(yaml.safe_dump({"course": "smm101", "students": ["s1"]}), encoding="utf-8")
    port, api_port, proxy_port, fg_port = _free_ports(4)
    env = dict(os.environ, SMMKIT_HUB_STATE=str(tmp_path / "state"), SMMKIT_HUB_ROSTER=str(tmp_path / "roster.yaml"),
               SMMKIT_HUB_PORT=str(port), SMMKIT_HUB_API_PORT=str(api_port), SMMKIT_HUB_PROXY_API_PORT=str(proxy_port),
               SMMKIT_FORMGRADER_PORT=str(fg_port), SMMKIT_HUB_PASSWORD="a-class-password",
               PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    for key in ("SMMKIT_HUB_AUTH", "SMMKIT_EXCHANGE", "SMMKIT_COURSE_ID", "SMMKIT_DB_URL", "SMMKIT_HUB_PUBLIC_URL",
                "JUPYTER_CONFIG_PATH", "JUPYTERHUB_API_TOKEN", "SMMKIT_HUB_ADMIN_TOKEN"):
        env.pop(key, None)
    log = tmp_path / "hub.log"
    with log.open("w", encoding="utf-8") as out:
        hub = subprocess.Popen([str(bin_dir / "jupyterhub"), "-f", str(CONFIG)], cwd=tmp_path, env=env, stdout=out,
                               stderr=subprocess.STDOUT)
    family: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and hub.poll() is None:  # the proxy runs: the hub is starting services
            family = psutil.Process(hub.pid).children(recursive=True)
            if any("configurable-http-proxy" in " ".join(p.cmdline()[:2]) for p in family):
                break
            time.sleep(0.1)
        assert family, log.read_text(encoding="utf-8")[-2000:]
        hub.send_signal(signal.SIGINT)
        hub.wait(timeout=60)
        text = log.read_text(encoding="utf-8")
        assert "SIGINT while the hub was starting" in text, text[-2000:]
        assert "KeyboardInterrupt" not in text, text[-3000:]
        _, alive = psutil.wait_procs(family, timeout=10)
        assert not alive, [p.cmdline()[:2] for p in alive]
    finally:
        if hub.poll() is None:
            hub.kill()
        for p in family:
            if p.is_running():
                p.kill()
