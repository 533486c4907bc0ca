"""The grading kernel's sandbox: Landlock walls, the zygote's forked kernels, the launcher's limits.

The autograde class test (test_grading_autograde.py) grades hostile submissions end to end; these tests look at
one kernel at a time, started by :class:`SandboxKernelManager` exactly as nbgrader's Execute starts it.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
from pathlib import Path

import pytest

from smmkit.grading import sandbox
from smmkit.grading.kernel_launch import landlock_abi, namespaces_available
from smmkit.grading.sandbox import SandboxKernelManager, kernel_read_paths

ABI = landlock_abi()
needs_landlock = pytest.mark.skipif(ABI < 1, reason="Landlock is not available in this Linux kernel")
needs_linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the zygote forks on Linux only")


def fake_course(tmp: Path) -> dict[str, Path]:
    """Course folders as the autograder sees them: a kernel folder, another student's work, a gradebook."""
    paths = {
        "cwd": tmp / "course" / "autograded" / "alice" / "a01",
        "other": tmp / "course" / "submitted" / "bob" / "a01" / "a01.ipynb",
        "gradebook": tmp / "course" / "grader" / "gradebook.db",
        "source": tmp / "course" / "solutions" / "a01" / "a01.ipynb",
    }
    paths["cwd"].mkdir(parents=True)
    for key in ("other", "gradebook", "source"):
        paths[key].parent.mkdir(parents=True, exist_ok=True)
        paths[key].write_text(f"secret {key}", encoding="utf-8")
    return paths


def run(code: str, cwd: Path, *, fork: bool = True, protected: list[Path] | None = None,
        isolate: bool = False) -> dict:
    """Start a sandboxed kernel in ``cwd``, run ``code`` (which prints one JSON line), return that JSON.
    ``isolate``: the isolated route's kernel (own user, PID, network and mount namespaces)."""

    async def main() -> str:
        km = SandboxKernelManager(kernel_name="python3")
        km.fork = fork
        km.isolate = isolate
        km.protected = [str(p) for p in protected or []]
        await km.start_kernel(cwd=str(cwd))
        kc = km.client()
        kc.start_channels()
        out = ""
        try:
            await kc.wait_for_ready(timeout=60)
            msg_id = kc.execute(code)
            while True:
                msg = await kc._async_get_iopub_msg(timeout=60)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    out += msg["content"]["text"]
                elif msg["msg_type"] == "error":
                    out += "\n".join(msg["content"]["traceback"])
                elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
        return out

    text = asyncio.run(main())
    lines = [ln for ln in text.splitlines() if ln.startswith("{")]
    assert lines, text
    return json.loads(lines[-1])


PROBE = r'''
import json, os, socket, sys
def attempt(action):
    try:
        action()
        return "ok"
    except Exception as exc:
        return type(exc).__name__
def connect():
    socket.create_connection(("127.0.0.1", {port}), timeout=5).close()
result = {{
    "read_other": attempt(lambda: open({other!r}).read()),
    "read_gradebook": attempt(lambda: open({gradebook!r}).read()),
    "read_source": attempt(lambda: open({source!r}).read()),
    "append_dataset": attempt(lambda: open({dataset!r}, "a").close()),
    "write_own": attempt(lambda: open("own.txt", "w").write("x")),
    "write_tmp": attempt(lambda: open("/tmp/smmkit-sandbox-probe.txt", "w").write("x")),
    "connect": attempt(connect),
    "signal_parent": attempt(lambda: os.kill(os.getppid(), 0)),
    "pandas": attempt(lambda: __import__("smmkit.datasets", fromlist=["_"]).load("posts")),
    "abi": os.environ.get("SMMKIT_LANDLOCK_ABI"),
}}
print(json.dumps(result))
'''


@needs_landlock
@pytest.mark.parametrize("fork", [True, False], ids=["fork", "exec"])
def test_kernel_cannot_reach_other_work_the_gradebook_or_the_network(tmp_path: Path, fork: bool) -> None:
    from smmkit.paths import datasets_dir

    paths = fake_course(tmp_path)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    try:
        code = PROBE.format(port=port, other=str(paths["other"]), gradebook=str(paths["gradebook"]),
                            source=str(paths["source"]), dataset=str(datasets_dir() / "posts.csv"))
        got = run(code, paths["cwd"], fork=fork,
                  protected=[tmp_path / "course" / d for d in ("submitted", "grader", "solutions", "autograded")])
    finally:
        listener.close()
    assert got["abi"] == str(ABI)
    assert got["write_own"] == "ok" and (paths["cwd"] / "own.txt").read_text() == "x"
    assert got["pandas"] == "ok"  # the datasets and the packages stay readable
    for key in ("read_other", "read_gradebook", "read_source", "append_dataset", "write_tmp"):
        assert got[key] == "PermissionError", (key, got)
    if ABI >= 4:
        assert got["connect"] == "PermissionError", got
    if ABI >= 6:
        assert got["signal_parent"] == "PermissionError", got


UNIX_PROBE = r'''
import json, os, socket
def attempt(path):
    client = socket.socket(socket.AF_UNIX)
    try:
        client.connect(path)
        return "ok"
    except Exception as exc:
        return type(exc).__name__
    finally:
        client.close()
print(json.dumps({{"tmp": attempt({tmp!r}), "run": attempt({run!r}), "run_exists": os.path.exists({run!r}),
                  "pandas": "ok" if __import__("smmkit.datasets", fromlist=["_"]).load("posts") is not None else ""}}))
'''


@needs_landlock
@pytest.mark.skipif(not namespaces_available(), reason="no user and mount namespaces here")
@pytest.mark.parametrize("fork", [True, False], ids=["fork", "exec"])
def test_isolated_kernel_cannot_reach_the_graders_unix_sockets(tmp_path: Path, fork: bool) -> None:
    """A PostgreSQL, Docker, tmux or D-Bus socket of the grader's user would let a kernel act as that user, and
    Landlock does not cover connecting to a socket: the isolated kernel sees /run and /tmp empty."""
    import uuid

    paths = fake_course(tmp_path)
    sockets = {"tmp": Path(f"/tmp/smmkit-probe-{uuid.uuid4().hex}.sock"),
               "run": Path(f"/run/smmkit-probe-{uuid.uuid4().hex}.sock")}
    listeners = []
    try:
        for path in sockets.values():
            listener = socket.socket(socket.AF_UNIX)
            listener.bind(str(path))
            listener.listen(1)
            listeners.append(listener)
        code = UNIX_PROBE.format(tmp=str(sockets["tmp"]), run=str(sockets["run"]))
        got = run(code, paths["cwd"], fork=fork, isolate=True)
        reachable = run(code, paths["cwd"], fork=fork, isolate=False)  # the plain route's kernel: not walled
    finally:
        for listener in listeners:
            listener.close()
        for path in sockets.values():
            path.unlink(missing_ok=True)
    assert got["tmp"] == got["run"] == "FileNotFoundError", got
    assert got["run_exists"] is False and got["pandas"] == "ok"
    assert reachable["run"] == "ok"  # the probe itself can reach a socket where nothing hides it


@needs_linux
def test_forked_kernel_looks_like_a_freshly_started_one(tmp_path: Path) -> None:
    """sys.path, argv, cwd, the environment's folders, the user namespace: the same as with exec."""
    code = r'''
import json, os, sys
import numpy as np
ip = get_ipython()
print(json.dumps({"path": sys.path, "argv0": os.path.basename(sys.argv[0]), "cwd": os.getcwd(),
                  "home": os.environ["HOME"], "tmp": os.environ["TMPDIR"], "main": __name__,
                  "names": sorted(k for k in ip.user_ns if not k.startswith("_")),
                  "random": float(np.random.random()), "pid": os.getpid()}))
'''
    (tmp_path / "k").mkdir()
    forked = run(code, tmp_path / "k", fork=True)
    again = run(code, tmp_path / "k", fork=True)
    execed = run(code, tmp_path / "k", fork=False)
    for key in ("path", "argv0", "cwd", "home", "tmp", "main", "names"):
        assert forked[key] == execed[key], key
    assert forked["cwd"] == str((tmp_path / "k").resolve()) == forked["home"] == forked["tmp"]
    assert forked["random"] != again["random"]  # numpy's global generator is reseeded in every kernel
    assert forked["pid"] != again["pid"]


@needs_linux
def test_zygote_reports_how_a_kernel_ended_and_kernels_die_with_it(tmp_path: Path) -> None:
    zygote = sandbox.Zygote(("numpy",))
    try:
        sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]  # not ipykernel: the child execs it
        args = ["--limits", json.dumps({"landlock": False, "guard": False}), "--", *sleeper]
        first = zygote.spawn(args, {"PATH": "/usr/bin:/bin"}, str(tmp_path))
        assert first.poll() is None
        first.kill()
        assert first.wait(timeout=10) == -signal.SIGKILL
        second = zygote.spawn(args, {"PATH": "/usr/bin:/bin"}, str(tmp_path))
        assert second.poll() is None
    finally:
        zygote.close()
    assert second.wait(timeout=10) == -signal.SIGKILL  # PR_SET_PDEATHSIG: no kernel outlives its zygote
    assert not zygote.alive


def test_read_paths_never_open_a_protected_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = tmp_path / "course"
    for folder in ("src", "submitted", "grader", "autograded/alice/a01"):
        (course / folder).mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [str(course), str(course / "src"), str(course / "grader"), "", *sys.path])
    protected = [str(course / "submitted"), str(course / "grader"), str(course / "autograded")]
    paths = kernel_read_paths(str(course / "autograded" / "alice" / "a01"), protected)
    assert str(course.resolve() / "src") in paths  # an editable install's source folder is fine
    for path in map(Path, paths):
        for wall in map(Path, protected):
            assert path != wall and path not in wall.parents and wall not in path.parents, (path, wall)
    assert str(Path(sys.prefix).resolve()) in paths
