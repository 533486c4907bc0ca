"""Limits and isolation for the kernel that runs a student's notebook during autograding.

Every kernel is started through :mod:`smmkit.grading.kernel_launch` (a stdlib-only script; its docstring has
the details), which applies the limits to the kernel process only, never to the grading worker:

- **Memory**: ``RLIMIT_AS`` (``--memory-mb``). A memory bomb gets ``MemoryError`` in its cell (or, from C code,
  the kernel dies), never the machine. ``RLIMIT_FSIZE`` caps the size of one file the notebook writes,
  ``RLIMIT_CORE`` disables core dumps, and the BLAS/OpenMP pools get one thread each (the workers already
  share the cores).
- **Time**: nbgrader's own ``Execute.timeout`` per cell (the kernel is interrupted; the cell gets a
  ``CellTimeoutError`` and scores 0). A kernel that swallows the interrupt makes nbgrader give up on the whole
  notebook (all its test cells 0). So one notebook takes at most about cells x timeout plus the kernel's
  start-up timeout (60 s), and the batch goes on.
- **Output**: nbgrader's ``LimitOutput`` cuts stream output to ``max_lines`` *after* the notebook ran, so a
  flood of output would first pile up in the grader's memory. The kernel therefore also gets a cap of
  ``output_kb`` per cell on ``sys.stdout``/``sys.stderr`` (:func:`install_output_cap`): after it, writes are
  dropped and one line says so. (Rich outputs such as huge HTML or images are not capped by this.)
- **Monkeypatching**: :func:`install_guard` puts back builtins, numpy, pandas (and its classes) and
  ``smmkit.datasets`` before every cell, so a solution cell cannot make the test cells after it pass by
  replacing ``Series.all`` or ``datasets.load`` (see its docstring for what it does not cover).
- **Files, network, signals** (Linux with Landlock, :func:`kernel_launch.restrict`): the kernel works in
  ``autograded/<student>/<assignment>/`` (nbgrader's folder for that submission; ``HOME`` and the temp folder
  point there too) and may write nowhere else. It may read the system, the Python installation, the packages
  on ``sys.path`` (minus any that would expose the course's private folders) and the datasets, but not the
  other submissions, ``autograded/``, ``feedback/``, the source with hidden tests or the gradebook's folder
  (:attr:`SandboxKernelManager.protected`, set from the course by ``course_config``). It may bind its five ZMQ
  ports and open no TCP connection, and it cannot signal the grader or other kernels. Without Landlock (other
  systems, Linux < 5.13) these walls are missing, the autograde summary says so, and the anomalies report flags
  code that reaches outside its folder.
- **Namespaces, environment** (``isolate``, the isolated route of :mod:`smmkit.grading.isolated`): the kernel
  runs alone in new user, PID and network namespaces (:func:`kernel_launch.enter_namespaces`; no UDP either,
  every process it starts dies with it, it sees no other process) and talks to the grader over Unix sockets.
  Every kernel, on both routes, starts with an allow-listed environment (no tokens or database URLs), and links
  the kernel left in its folder are removed before nbgrader writes the graded notebook there.

**Start-up.** By default the kernels of a grading worker are forked from a *zygote* that has imported
ipykernel, numpy, pandas and ``smmkit.datasets`` once (:attr:`SandboxKernelManager.preload`): the kernel of an
a01 submission then uses ~0.5 s of CPU instead of ~1.6 s (most of that was start-up). Each student still gets
a new process with a fresh namespace; the scores are those of a freshly started kernel (the tests compare
them with plain ``nbgrader autograde``). ``fork = False`` starts every kernel with ``exec`` instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Bool, DottedObjectName, Integer, List, Unicode

FSIZE_MB = 256
KERNEL_LAUNCH = str(Path(__file__).with_name("kernel_launch.py"))
SYSTEM_READ = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/proc", "/sys", "/dev")
ZYGOTE_START_TIMEOUT_S = 120
GUARDED_MODULES = ("builtins", "numpy", "pandas", "pandas.testing", "smmkit.datasets")
# what the zygote imports for every kernel (and the isolated route's test runner, forked from it)
DEFAULT_PRELOAD = (*GUARDED_MODULES[1:], "pyarrow.parquet", "smmkit.grading.exchange")
GUARDED_CLASSES = (("pandas", "Series"), ("pandas", "DataFrame"), ("pandas", "Index"))


class PromptClient(AsyncKernelClient):
    """jupyter_client's client, minus an idle wait: once the kernel has answered ``kernel_info`` and IOPub
    is connected, ``wait_for_ready`` listens 0.2 s more for stray IOPub messages (0.2 s of every kernel start).
    nbclient ignores messages that answer other requests, so here only what has already arrived is drained."""

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        from queue import Empty

        from jupyter_core.utils import ensure_async

        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                msg = await ensure_async(self.shell_channel.get_msg(timeout=1))
            except Empty:
                msg = None
            if msg and msg["msg_type"] == "kernel_info_reply":
                try:  # is IOPub connected? (the kernel publishes its status for that request)
                    await ensure_async(self.iopub_channel.get_msg(timeout=0.2))
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(msg)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        while True:
            try:
                await ensure_async(self.iopub_channel.get_msg(timeout=0.001))
            except Empty:
                break


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel through :mod:`kernel_launch` (limits, Landlock, zygote)."""

    client_class = DottedObjectName("smmkit.grading.sandbox.PromptClient")

    memory_mb = Integer(1024, help="address-space limit of the kernel, MB (0: none)").tag(config=True)
    output_kb = Integer(1024, help="stdout+stderr bytes kept per cell, KB (0: none)").tag(config=True)
    guard = Bool(True, help="undo monkeypatching of builtins/numpy/pandas/datasets before each cell").tag(
        config=True)
    landlock = Bool(True, help="confine the kernel's files, network and signals with Landlock (Linux)").tag(
        config=True)
    protected = List(Unicode(), help="folders the kernel must never read, even through sys.path").tag(config=True)
    fork = Bool(True, help="fork kernels from a warm zygote process instead of starting each one anew").tag(
        config=True)
    preload = List(Unicode(), list(DEFAULT_PRELOAD),
                   help="modules the zygote imports once for all kernels").tag(config=True)
    isolate = Bool(False, help="new user, PID and network namespaces, Unix sockets, a clean environment "
                   "(the isolated route)").tag(config=True)

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.isolate:  # Unix sockets in a folder of this kernel's own: the network namespace has no network
            self._ipc_dir = tempfile.mkdtemp(prefix="smmkit-kernel-")
            self.transport = "ipc"
            self.ip = os.path.join(self._ipc_dir, "k")
            self.connection_file = os.path.join(self._ipc_dir, "connection.json")
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if getattr(self, "_ipc_dir", None) and not restart:
            shutil.rmtree(self._ipc_dir, ignore_errors=True)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if sys.platform == "win32":  # no `resource` module: Windows kernels run without these limits
            return cmd
        cwd = str(self._launch_args.get("cwd") or os.getcwd())
        limits = {"memory_mb": self.memory_mb, "output_kb": self.output_kb, "guard": self.guard,
                  "fsize_mb": FSIZE_MB, "landlock": self.landlock,
                  "read": kernel_read_paths(cwd, self.protected) if self.landlock else [],
                  "namespaces": self.isolate, "write": [self._ipc_dir] if self.isolate else []}
        return [sys.executable, KERNEL_LAUNCH, "exec", "--limits", json.dumps(limits), "--", *cmd]

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        from smmkit.grading.isolated import clean_environment

        kw["env"] = clean_environment({})  # no token, database URL or nbgrader variable reaches the kernel
        zygote = _zygote(tuple(self.preload), self.log) if self.fork and kernel_cmd[1:2] == [KERNEL_LAUNCH] \
            else None
        if zygote is None or type(self.provisioner) is not LocalProvisioner:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        cwd = str(kw.get("cwd") or os.getcwd())
        process = zygote.spawn(kernel_cmd[3:], dict(kw.get("env") or os.environ), cwd)
        provisioner: Any = self.provisioner
        provisioner.process, provisioner.pid, provisioner.pgid, provisioner.cwd = process, process.pid, \
            process.pid, cwd
        self._reconcile_connection_info(provisioner.connection_info)


def kernel_read_paths(cwd: str, protected: list[str]) -> list[str]:
    """Folders a grading kernel may read: the system, Python and its packages, the datasets — never a folder that
    is, contains or lies inside one of ``protected``."""
    from smmkit.paths import project_root

    candidates = [*SYSTEM_READ, sys.prefix, sys.base_prefix, sys.exec_prefix,
                  str(Path(os.path.realpath(sys.executable)).parents[1])]
    candidates += [p for p in sys.path if p and os.path.isabs(p)]
    with contextlib.suppress(FileNotFoundError):
        candidates.append(str(project_root(start=Path(cwd)) / "datasets"))
    walls = [Path(os.path.realpath(p)) for p in protected]
    out: list[str] = []
    for path in candidates:
        real = Path(os.path.realpath(path))
        if not real.exists() or str(real) in out:
            continue
        if any(real == wall or real in wall.parents or wall in real.parents for wall in walls):
            continue
        out.append(str(real))
    return out


# --------------------------------------------------------------------------------------------- zygote (worker side)

class ForkedKernel:
    """The ``subprocess.Popen`` face of a kernel forked by the zygote (what ``LocalProvisioner`` needs)."""

    stdin = stdout = stderr = None

    def __init__(self, zygote: Zygote, pid: int) -> None:
        self.zygote, self.pid, self.returncode = zygote, pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.zygote.exit_code(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class Zygote:
    """A ``kernel_launch.py zygote`` process of this worker and the line protocol to it."""

    def __init__(self, preload: tuple[str, ...]) -> None:
        from smmkit.grading.isolated import clean_environment

        env = clean_environment({})  # a forked kernel's /proc/self/environ is the zygote's: no secrets in it
        self.process = subprocess.Popen(
            [sys.executable, KERNEL_LAUNCH, "zygote", "--parent", str(os.getpid()), "--preload", ",".join(preload)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, start_new_session=True)
        assert self.process.stdout is not None and self.process.stdin is not None
        self._out = self.process.stdout.fileno()
        os.set_blocking(self._out, False)
        self._buffer = b""
        self._eof = False
        self.exits: dict[int, int] = {}
        message = self._next(ZYGOTE_START_TIMEOUT_S)
        if message is None or "ready" not in message:
            self.close()
            reason = (message or {}).get("error", "нет ответа")
            raise RuntimeError(f"zygote did not start: {reason}")

    @property
    def alive(self) -> bool:
        return not self._eof and self.process.poll() is None

    def _read(self, timeout: float) -> None:
        if self._eof:
            return
        ready, _, _ = select.select([self._out], [], [], timeout)
        if not ready:
            return
        try:
            chunk = os.read(self._out, 65536)
        except BlockingIOError:
            return
        if not chunk:
            self._eof = True
        self._buffer += chunk

    def _messages(self) -> list[dict[str, Any]]:
        lines, _, self._buffer = self._buffer.rpartition(b"\n")
        found = [json.loads(line) for line in lines.split(b"\n") if line.strip()]
        for message in found:
            if "exit" in message:
                self.exits[int(message["exit"])] = int(message["code"])
        return [m for m in found if "exit" not in m]

    def _next(self, timeout: float) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self._eof:
            self._read(max(0.0, deadline - time.monotonic()))
            found = self._messages()
            if found:
                return found[0]
        return None

    def spawn(self, args: list[str], env: dict[str, str], cwd: str, runner: str | None = None) -> ForkedKernel:
        """Fork a kernel (``args``: its launch command) or, with ``runner`` (a Unix socket path to connect to),
        a test runner (``args``: its arguments)."""
        assert self.process.stdin is not None
        message: dict[str, Any] = {"args": args, "env": env, "cwd": cwd}
        if runner is not None:
            message["runner"] = runner
        request = json.dumps(message) + "\n"
        self.process.stdin.write(request.encode("utf-8"))
        self.process.stdin.flush()
        message = self._next(30)
        if message is None or "pid" not in message:
            raise RuntimeError("the zygote did not fork a kernel")
        return ForkedKernel(self, int(message["pid"]))

    def exit_code(self, pid: int) -> int | None:
        self._read(0)
        self._messages()
        if pid in self.exits:
            return self.exits[pid]
        if self._eof:  # the zygote is gone, and its kernels with it (PR_SET_PDEATHSIG)
            return -signal.SIGKILL
        return None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            assert self.process.stdin is not None
            self.process.stdin.close()
        with contextlib.suppress(Exception):
            self.process.wait(timeout=5)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


_ZYGOTES: dict[tuple[str, ...], Zygote] = {}
_ZYGOTE_FAILED: dict[tuple[str, ...], str] = {}


def zygote_for(preload: tuple[str, ...], log: Any) -> Zygote | None:
    """This process's zygote for ``preload`` (None where kernels are started with exec)."""
    return _zygote(preload, log)


def _zygote(preload: tuple[str, ...], log: Any) -> Zygote | None:
    """This process's zygote for ``preload`` (started on first use, restarted if it died); None: use exec."""
    if not sys.platform.startswith("linux") or preload in _ZYGOTE_FAILED:
        return None
    zygote = _ZYGOTES.get(preload)
    if zygote is not None and zygote.alive:
        return zygote
    try:
        _ZYGOTES[preload] = zygote = Zygote(preload)
    except Exception as exc:  # fall back to one exec per kernel, as plain nbgrader does
        _ZYGOTE_FAILED[preload] = str(exc)
        log.warning("smmkit: kernels start without the zygote (%s)", exc)
        return None
    return zygote


def close_zygotes() -> None:
    """Stop this process's zygotes (their kernels die with them)."""
    for zygote in _ZYGOTES.values():
        zygote.close()
    _ZYGOTES.clear()


def sandbox_execute_class() -> type:
    """nbgrader's ``Execute`` preprocessor with :class:`SandboxKernelManager` (``Execute.__init__`` forces
    ``AsyncKernelManager`` through kwargs, which beat config, hence the subclass)."""
    from nbgrader.preprocessors import Execute

    class SandboxExecute(Execute):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["kernel_manager_class"] = SandboxKernelManager
            super().__init__(*args, **kwargs)

        def preprocess(self, nb: Any, resources: Any = None, km: Any = None) -> Any:
            try:
                return super().preprocess(nb, resources, km)
            finally:  # nbgrader writes the graded notebook next: it must not follow a link the kernel planted
                cwd = (resources or {}).get("metadata", {}).get("path")
                for found in sweep_links(cwd) if cwd else []:
                    self.log.warning("smmkit-event: link: : %s", found)

    SandboxExecute.__module__ = __name__
    SandboxExecute.__qualname__ = "SandboxExecute"
    return SandboxExecute


def odd_entries(folder: str | Path) -> list[str]:
    """Symbolic links, hard-linked files and special files (FIFOs, sockets, devices) under ``folder``, which is not
    followed through links: what a grader must neither copy nor write through."""
    found: list[str] = []
    root = Path(folder)
    if root.is_symlink():
        return [str(root)]
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            try:
                info = path.lstat()
            except OSError:
                continue
            if stat.S_ISLNK(info.st_mode):
                found.append(f"{path.relative_to(root)} (символическая ссылка)")
            elif stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
                found.append(f"{path.relative_to(root)} (жёсткая ссылка)")
            elif not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
                found.append(f"{path.relative_to(root)} (особый файл)")
    return found


def sweep_links(folder: str | Path) -> list[str]:
    """Remove what :func:`odd_entries` finds under ``folder`` (nothing is followed); return what was removed."""
    found = odd_entries(folder)
    root = Path(folder)
    for entry in found:
        path = root / entry.rsplit(" (", 1)[0]
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                continue
            path.unlink()
    return found


def install_output_cap(limit: int) -> None:
    """Inside the kernel: keep at most ``limit`` characters of stdout+stderr per cell.

    The cap is put on ``sys.stdout.write``/``sys.stderr.write`` before every cell (``pre_run_cell``): IPython (9+)
    wraps these methods around every cell it runs (``InteractiveShell._tee``, to keep outputs in its history) and
    puts back, when the cell ends, the method it found when the cell began — a cap installed once would be undone
    by the first cell.
    """
    state = {"n": 0, "cut": False}

    def capped(original: Any) -> Any:
        def write(text: str) -> int:
            size = len(text)
            if state["n"] + size > limit:  # one huge write is cut too, not only the writes after the cap
                if state["n"] < limit:
                    original(text[: limit - state["n"]])
                state["n"] = limit
                if not state["cut"]:
                    state["cut"] = True
                    original(f"\n[smmkit: вывод обрезан, больше {limit // 1024} КБ]\n")
                return size
            state["n"] += size
            return original(text)

        write.__smmkit_cap__ = original  # type: ignore[attr-defined]
        return write

    def reset(*_: Any) -> None:
        state["n"] = 0
        state["cut"] = False
        for stream in (sys.stdout, sys.stderr):
            current = stream.write
            stream.write = capped(getattr(current, "__smmkit_cap__", current))

    reset()
    get_ipython().events.register("pre_run_cell", reset)  # type: ignore[name-defined]  # noqa: F821


def install_guard() -> None:
    """Inside the kernel: before every cell, undo monkeypatching of builtins, numpy, pandas and smmkit.datasets.

    The test cells of an assignment trust ``len``, ``Series.all``, ``DataFrame.equals``, ``np.allclose``,
    ``datasets.load`` (the hidden tests recompute their references with it) ... A submission that replaces them
    in its own cell could make every later check pass. The modules are imported and their attributes (and the
    attributes of the pandas classes and their bases) are recorded when the kernel starts, before any student
    code; before each cell every changed attribute is put back and functions added to those classes removed.
    Not covered: names the student defines in the notebook's own namespace (``def len(x): ...`` shadows the
    builtin for later cells; honest notebooks use such names as variables too, so they are left alone, and the
    anomalies report lists them), objects of the student's own subclasses, and C-level tricks (ctypes).
    """
    import importlib
    import types

    modules: list[tuple[Any, dict[str, Any]]] = []
    for name in GUARDED_MODULES:
        try:
            module = importlib.import_module(name)
        except Exception:
            continue
        modules.append((module, dict(vars(module))))
    classes: list[tuple[type, dict[str, Any]]] = []
    seen: set[type] = set()
    for module_name, class_name in GUARDED_CLASSES:
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except Exception:
            continue
        for base in cls.__mro__:
            if base is object or base in seen or not base.__module__.startswith("pandas"):
                continue
            seen.add(base)
            classes.append((base, dict(vars(base))))
    added_kinds = (types.FunctionType, types.MethodType, types.BuiltinFunctionType, property, staticmethod,
                   classmethod)

    def restore(*_: Any) -> None:
        for module, snapshot in modules:
            current = vars(module)
            for key, value in snapshot.items():
                if current.get(key, snapshot) is not value:
                    setattr(module, key, value)
        for cls, snapshot in classes:
            current = dict(vars(cls))
            for key, value in snapshot.items():
                if current.get(key, snapshot) is not value:
                    setattr(cls, key, value)
            for key in set(current) - set(snapshot):
                if isinstance(current[key], added_kinds):
                    delattr(cls, key)

    get_ipython().events.register("pre_run_cell", restore)  # type: ignore[name-defined]  # noqa: F821
