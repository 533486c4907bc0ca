"""The isolated route: test cells are judged in a process that no student code has run in.

:class:`IsolatedExecute` replaces nbgrader's ``Execute`` step of ``autograde`` (``OverwriteCells`` before it and
``SaveAutoGrades`` after it stay, so the gradebook, formgrader, manual grading and feedback work as before):

1. The student's cells run in the sandboxed kernel (:mod:`smmkit.grading.sandbox`), in order, as nbgrader runs
   them. The test cells (``grade`` and not ``solution``; their source comes from the gradebook) never do: neither
   their visible nor their hidden part ever reaches the student's kernel.
2. At each test cell the kernel is asked to export the names the test reads (found with ``ast`` in the trusted
   source) as plain data (:mod:`smmkit.grading.exchange`), and the test cell runs in the test runner
   (:mod:`smmkit.grading.runner`) on those values; a student's function is called back in the sandbox on the
   arguments the test chooses. A kernel that tampered with the export only spoils its own values.
3. The outputs of the test cell are the runner's, written by this process: ``SaveAutoGrades`` scores only what
   the runner printed or raised. Student outputs are made inert (no scripts, sanitised HTML) and capped.
4. Names the test's ``post_run_cell`` hooks set (the no-cascade reference values of course/README.md) are sent
   back into the kernel as data before the next student cell runs.
5. A kernel that dies mid-notebook leaves the cells before it graded; the cells after it get an error output
   and their tests run on no values (0 points) instead of the whole notebook being lost.
"""

from __future__ import annotations

import ast
import atexit
import builtins
import contextlib
import functools
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from nbformat.notebooknode import NotebookNode, from_dict

EXCHANGE = ".smmkit-exchange"
RUNNER_START_TIMEOUT_S = 120
INERT_MIME = ("application/javascript", "text/javascript", "application/x-javascript", "image/svg+xml",
              "application/vnd.jupyter.widget-view+json", "text/markdown", "text/latex")
KERNEL_DIED = "Ядро Python остановилось раньше этой ячейки: она не выполнялась."


def is_test_cell(cell: Any) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_setup_cell(cell: Any) -> bool:
    """An instructor's code cell that is neither a test nor an answer (imports, data): runs on both sides."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return (cell.get("cell_type") == "code" and bool(meta.get("locked")) and not meta.get("grade")
            and not meta.get("solution"))


@functools.lru_cache(maxsize=256)
def names_in_test(source: str) -> list[str]:
    """Names a test cell may read from the student's namespace: every identifier and every string that is one
    (``for name in ["ig"]: assert name in globals()``; ``user_ns.get("ig")``), minus builtins and private names."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
            names.add(node.value)
    return sorted(n for n in names if not n.startswith("_") and not hasattr(builtins, n))


def hidden_lines(source: str) -> list[int]:
    from smmkit.grading.feedback import _hidden_lines

    return sorted(_hidden_lines(source))


# ------------------------------------------------------------------------------------------- writing safely

def write_beneath(cwd: str, source: Path) -> str:
    """Copy the regular files of the trusted folder ``source`` into a new folder under ``cwd/EXCHANGE``.

    ``cwd`` is the student's folder: nothing below it is trusted, so every step opens relative to a descriptor
    with ``O_NOFOLLOW`` and creates with ``O_EXCL`` (a planted symlink is never followed). Returns the new
    folder's path relative to ``cwd``.
    """
    name = f"in-{uuid.uuid4().hex}"
    cwd_fd = os.open(cwd, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        with contextlib.suppress(FileExistsError):
            os.mkdir(EXCHANGE, 0o755, dir_fd=cwd_fd)
        ex_fd = os.open(EXCHANGE, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=cwd_fd)
        try:
            os.mkdir(name, 0o755, dir_fd=ex_fd)
            dest_fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=ex_fd)
            try:
                for path in sorted(source.iterdir()):
                    if not path.is_file() or path.is_symlink():
                        continue
                    fd = os.open(path.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644,
                                 dir_fd=dest_fd)
                    with os.fdopen(fd, "wb") as out:
                        out.write(path.read_bytes())
            finally:
                os.close(dest_fd)
        finally:
            os.close(ex_fd)
    finally:
        os.close(cwd_fd)
    return f"{EXCHANGE}/{name}"


def remove_exchange(cwd: str) -> None:
    """Remove ``cwd/EXCHANGE`` (a symlink planted there is unlinked, never followed)."""
    path = Path(cwd) / EXCHANGE
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


# ------------------------------------------------------------------------------------------------ sanitising

def inert_outputs(outputs: list[Any], max_bytes: int) -> list[Any]:
    """Student outputs made safe to show on an instructor's page, each capped at ``max_bytes``."""
    import nh3

    safe: list[Any] = []
    for output in outputs:
        kind = output.get("output_type")
        if kind in ("display_data", "execute_result"):
            data = dict(output.get("data", {}))
            for mime in INERT_MIME:
                if mime in data:
                    text = data.pop(mime)
                    data.setdefault("text/plain", text if isinstance(text, str) else json.dumps(text))
            if "text/html" in data:
                html = data["text/html"]
                data["text/html"] = nh3.clean(html if isinstance(html, str) else "".join(html))
            for mime in list(data):
                text = data[mime] if isinstance(data[mime], str) else json.dumps(data[mime])
                if len(text.encode("utf-8", "replace")) > max_bytes:
                    data.pop(mime)
                    data["text/plain"] = f"[smmkit: вывод обрезан, больше {max_bytes // 1024} КБ]"
            output["data"] = data
            output["metadata"] = {}
        elif kind == "stream":
            text = output.get("text", "")
            if len(text.encode("utf-8", "replace")) > max_bytes:
                output["text"] = text[: max_bytes // 4] + f"\n[smmkit: вывод обрезан, больше {max_bytes // 1024} КБ]\n"
        elif kind == "error":
            output["traceback"] = [t[:max_bytes] for t in output.get("traceback", [])][:200]
            output["evalue"] = str(output.get("evalue", ""))[:max_bytes]
        safe.append(output)
    return safe


# ----------------------------------------------------------------------------------------------- the runner

class RunnerError(Exception):
    pass


class RunnerProcess:
    """The worker's test runner (:mod:`smmkit.grading.runner`) and the line protocol to it.

    With a ``zygote`` (the worker's warm process that forks kernels) the runner is forked from it and speaks over a
    Unix socket: it then starts in milliseconds instead of importing pandas and pyarrow again (~1.2 s of CPU per
    worker). Without one it is started with exec and speaks over pipes.
    """

    def __init__(self, read: list[str], protected: list[str], zygote: Any = None) -> None:
        self.scratch = Path(tempfile.mkdtemp(prefix="smmkit-runner-"))
        self.read, self.protected = list(read), list(protected)
        env = clean_environment({})
        args = ["--write", str(self.scratch)]
        for folder in read:
            args += ["--read", folder]
        for folder in protected:
            args += ["--protect", folder]
        self._buffer = b""
        self.process: Any = None
        self._socket: socket.socket | None = None
        if zygote is not None:
            path = str(self.scratch / "runner.sock")
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                listener.bind(path)
                listener.listen(1)
                listener.settimeout(RUNNER_START_TIMEOUT_S)
                self.process = zygote.spawn(args, env, str(self.scratch), runner=path)
                self._socket, _ = listener.accept()
            finally:
                listener.close()
            self._out = self._socket.fileno()
        else:
            self.process = subprocess.Popen([sys.executable, "-m", "smmkit.grading.runner", *args],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                            cwd=str(self.scratch), start_new_session=True)
            assert self.process.stdout is not None
            self._out = self.process.stdout.fileno()
        os.set_blocking(self._out, False)
        message = self.receive(RUNNER_START_TIMEOUT_S)
        if message.get("op") != "started":
            raise RunnerError("the test runner did not start")
        self.landlock = int(message.get("landlock", 0))

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, message: dict[str, Any]) -> None:
        data = (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            if self._socket is not None:
                os.set_blocking(self._out, True)
                try:
                    self._socket.sendall(data)
                finally:
                    os.set_blocking(self._out, False)
            else:
                assert self.process.stdin is not None
                self.process.stdin.write(data)
                self.process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise RunnerError("the test runner stopped") from exc

    def receive(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RunnerError("timeout")
            ready, _, _ = select.select([self._out], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self._out, 1 << 20)
            except BlockingIOError:
                continue
            if not chunk:
                raise RunnerError("the test runner stopped")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self._socket is not None:
                self._socket.close()
            else:
                self.process.stdin.close()
        with contextlib.suppress(Exception):
            self.process.wait(timeout=5)
        with contextlib.suppress(OSError):  # the runner and a student's child still judging a test
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.wait(timeout=5)
        shutil.rmtree(self.scratch, ignore_errors=True)


_RUNNER: RunnerProcess | None = None
_BASELINE: dict[str, dict[str, Any]] = {}  # IPython's state in a fresh kernel, per worker


def runner_for(read: list[str], protected: list[str], zygote: Any = None) -> RunnerProcess:
    """This worker's runner (started on first use; restarted if it died or must read other folders)."""
    global _RUNNER
    if _RUNNER is not None and _RUNNER.alive and (_RUNNER.read, _RUNNER.protected) == (read, protected):
        return _RUNNER
    if _RUNNER is not None:
        _RUNNER.close()
    _RUNNER = RunnerProcess(read, protected, zygote)
    atexit.register(close_runner)
    return _RUNNER


def close_runner() -> None:
    global _RUNNER
    if _RUNNER is not None:
        _RUNNER.close()
    _RUNNER = None


ALLOWED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "LANGUAGE", "TZ", "PYTHONPATH", "PYTHONHASHSEED",
               "SMMKIT_ROOT", "MPLBACKEND", "SYSTEMROOT")


def clean_environment(extra: dict[str, str]) -> dict[str, str]:
    """An allow-listed environment: no tokens, database URLs or nbgrader variables reach a kernel or the runner."""
    env = {k: os.environ[k] for k in ALLOWED_ENV if k in os.environ}
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    env["PYTHONIOENCODING"] = "utf-8"
    # glibc reserves 64 MB of address space per thread arena: a kernel's six threads would take ~0.4 GB of the
    # RLIMIT_AS budget (--memory-mb) without using it
    env["MALLOC_ARENA_MAX"] = "2"
    # pyarrow's default pool (mimalloc) reserves ~1 GB of address space on first use, the whole RLIMIT_AS budget
    env["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    env.update(extra)
    return env


# ----------------------------------------------------------------------------------------------- preprocessor

def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError, ValueError):
            found += [int(x) for x in (task / "children").read_text().split()]
    return found


def kernel_descendants(provisioner: Any) -> list[int]:
    """Processes the kernel started that are still running (the kernel is the child of the process that entered
    the namespaces, :func:`kernel_launch.enter_namespaces`)."""
    pid = getattr(provisioner, "pid", None)
    if not pid or not sys.platform.startswith("linux"):
        return []
    kernels = _children(int(pid))
    out: list[int] = []
    todo = [c for k in kernels for c in _children(k)]
    while todo and len(out) < 10000:
        child = todo.pop()
        out.append(child)
        todo += _children(child)
    return out


def drop_unknown_cells_class() -> type:
    """``DropUnknownCells``: the first step of autograde's sanitising (both routes). A graded cell the assignment
    does not have (a student's own "bonus" cell) is graded as nothing instead of failing the whole notebook: its
    nbgrader metadata is dropped (in the copy being graded; the submission is not touched) and the log says so."""
    from nbconvert.preprocessors import Preprocessor
    from traitlets import Bool

    class DropUnknownCells(Preprocessor):
        enabled = Bool(True)

        def preprocess(self, nb: NotebookNode, resources: Any) -> Any:
            info = (resources or {}).get("nbgrader", {})
            if not info.get("db_url"):
                return nb, resources
            from nbgrader.api import Gradebook, MissingEntry

            try:
                with Gradebook(info["db_url"]) as gb:
                    notebook = gb.find_notebook(info["notebook"], info["assignment"])
                    known = {c.name for c in notebook.grade_cells} | {c.name for c in notebook.solution_cells} | {
                        c.name for c in notebook.source_cells}
            except MissingEntry:
                return nb, resources
            for cell in nb.cells:
                meta = cell.get("metadata", {}).get("nbgrader", {})
                gid = meta.get("grade_id")
                if gid and gid not in known and (meta.get("grade") or meta.get("solution") or meta.get("locked")):
                    del cell.metadata["nbgrader"]
                    self.log.warning("smmkit-event: bogus-cell: %s: ячейка с оценкой, которой нет в задании: "
                                     "не оценивается", gid)
            return nb, resources

    DropUnknownCells.__module__ = __name__
    DropUnknownCells.__qualname__ = "DropUnknownCells"
    return DropUnknownCells


def isolated_execute_class() -> type:
    """``IsolatedExecute``: nbgrader's Execute step with the sandboxed kernel and the separate test runner."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from traitlets import Integer, default

    from smmkit.grading.sandbox import sandbox_execute_class, sweep_links

    base: Any = sandbox_execute_class()

    class IsolatedExecute(base):  # type: ignore[misc, valid-type]
        runner_timeout = Integer(60, help="seconds one test cell may take in the runner").tag(config=True)
        output_bytes = Integer(1024 * 1024, help="bytes kept of one output of a student's cell").tag(config=True)

        @default("shutdown_kernel")
        def _kill_at_the_end(self) -> str:
            """The kernel is killed, not asked to stop: it runs alone in its PID namespace, so every process it
            started dies with it, and nothing it would do on a polite shutdown is wanted."""
            return "immediate"

        def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> Any:
            from nbclient.client import NotebookClient

            self._cwd = str(Path((resources or {}).get("metadata", {}).get("path") or os.getcwd()).resolve())
            self._dead = False
            self._verdicts: dict[int, list[Any]] = {}
            self._count = 0
            self._protected = list(self.config.SandboxKernelManager.get("protected", []))
            self._runner = self._runner_process()
            self._setup = [c.source for c in nb.cells if is_setup_cell(c)]
            self._baseline_key = json.dumps(self._setup)
            self._start_student()
            try:
                NotebookClient.__init__(self, nb, km)  # what ExecutePreprocessor.preprocess does, plus checks
                self.reset_execution_trackers()
                self._check_assign_resources(resources)
                try:
                    with self.setup_kernel():
                        assert self.kc
                        info = self.wait_for_reply(self.kc.kernel_info())
                        assert info
                        self.nb.metadata["language_info"] = info["content"]["language_info"]
                        before = _BASELINE.get(self._baseline_key) or self._shell_state(0)
                        if before:  # the same for every kernel of this worker: measured once
                            _BASELINE[self._baseline_key] = before
                        for index, cell in enumerate(self.nb.cells):
                            self.preprocess_cell(cell, resources, index)
                        self._check_end(before, len(self.nb.cells) - 1)
                except DeadKernelError:
                    self._dead = True
                self.set_widgets_metadata()
                nb = self.nb
                for index, outputs in self._verdicts.items():
                    nb.cells[index].outputs = [from_dict(o) for o in outputs]
                for cell in nb.cells:
                    if cell.cell_type == "code" and not is_test_cell(cell):
                        cell.outputs = inert_outputs(list(cell.get("outputs", [])), self.output_bytes)
            finally:
                self._end_student()
                remove_exchange(self._cwd)
                for found in sweep_links(self._cwd):  # nbgrader writes here next: nothing may redirect it
                    self._event("link", "", found)
            return nb, self.resources

        def _event(self, kind: str, cell: str, detail: str) -> None:
            """One line of the student's log that the anomalies report reads (kind, cell, Russian detail)."""
            self.log.warning("smmkit-event: %s: %s: %s", kind, cell, detail.replace("\n", " "))

        def _shell_state(self, index: int) -> dict[str, Any] | None:
            folder = f"{EXCHANGE}/state-{uuid.uuid4().hex}"
            module = "__import__('smmkit.grading.exchange', fromlist=['_'])"
            if not self._snippet(f"{module}.shell_state(get_ipython(), {folder!r})", index):
                return None
            from smmkit.grading.exchange import read_json

            try:
                state = read_json(folder, root=self._cwd)
            except Exception:
                return None
            return state if isinstance(state, dict) else None

        def _check_end(self, before: dict[str, Any] | None, index: int) -> None:
            """After the last cell: IPython hooks the student added, processes the notebook left running."""
            if self._dead:
                return
            after = self._shell_state(index)
            if before and after:
                changed = sorted(k for k in before if before.get(k) != after.get(k))
                if changed:
                    self._event("shell", "", "изменено состояние IPython: " + ", ".join(changed))
            elif before and not after:
                self._event("shell", "", "ядро не отвечает служебному коду проверки (подменён ввод IPython?)")
            left = kernel_descendants(getattr(self.km, "provisioner", None))
            if left:
                self._event("processes", "", f"оставлены фоновые процессы ({len(left)}); убиты вместе с ядром")

        def _runner_process(self) -> RunnerProcess:
            from smmkit.grading.sandbox import DEFAULT_PRELOAD, zygote_for

            zygote = None
            settings = self.config.SandboxKernelManager
            if settings.get("fork", True):
                preload = tuple(settings.get("preload", DEFAULT_PRELOAD))
                zygote = zygote_for(preload, self.log)
            return runner_for([str(Path(self._cwd).parents[1])], self._protected, zygote)

        def _start_student(self) -> None:
            scratch = Path(tempfile.mkdtemp(prefix="student-", dir=self._runner.scratch))
            self._scratch = scratch
            self._runner.send({"op": "student", "cwd": self._cwd, "scratch": str(scratch), "cells": self._setup,
                               "protected": self._protected})
            reply = self._runner.receive(self.runner_timeout * max(1, len(self._setup)))
            if reply.get("op") != "ready":
                raise RunnerError(f"the test runner did not start a student: {reply}")
            if reply.get("errors"):
                self.log.warning("smmkit: setup cells failed in the test runner: %s", reply["errors"])

        def _end_student(self) -> None:
            try:
                self._runner.send({"op": "end"})
                self._runner.receive(30)
            except RunnerError:
                close_runner()
            shutil.rmtree(self._scratch, ignore_errors=True)

        def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
            if is_test_cell(cell):
                outputs = self._judge(cell, index)
                self._verdicts[index] = outputs
                cell.outputs = [from_dict(o) for o in outputs]
                return cell, self.resources
            if cell.cell_type != "code" or not cell.source.strip():
                return cell, self.resources
            if self._dead:
                cell.outputs = [from_dict({"output_type": "error", "ename": "DeadKernelError",
                                           "evalue": KERNEL_DIED, "traceback": [KERNEL_DIED]})]
                return cell, self.resources
            try:
                return super().preprocess_cell(cell, resources, index)
            except CellTimeoutError as exc:  # e.g. its output still streaming after the reply: this cell only
                cell.outputs = [*list(cell.get("outputs", [])), from_dict({
                    "output_type": "error", "ename": "CellTimeoutError", "evalue": str(exc)[:500],
                    "traceback": ["CellTimeoutError: ячейка не уложилась в лимит времени"]})]
                return cell, self.resources
            except DeadKernelError:
                self._dead = True
                cell.outputs = [*list(cell.get("outputs", [])), from_dict({
                    "output_type": "error", "ename": "DeadKernelError",
                    "evalue": "Ядро Python остановилось в этой ячейке (os._exit, нехватка памяти или сбой).",
                    "traceback": ["DeadKernelError: ядро остановилось"]})]
                return cell, self.resources

        def _snippet(self, code: str, index: int) -> bool:
            """Run grader code in the student's kernel; its outputs are never read. False: it failed.

            A silent execute request (no history, no ``pre/post_run_cell`` events, no execute_input or result
            broadcast) answered by its shell reply alone: nbclient's ``execute_cell`` would also follow the
            request's IOPub messages to the kernel's idle status and build the outputs, which cost a grading
            worker ~10 ms of CPU per snippet — and a test that calls a student's function does so by a snippet
            per call (a04: ~120 a notebook). The IOPub messages left behind are skipped by the next cell's
            execution, which reads only the messages of its own request. Timeouts and a dead kernel are
            handled as nbclient handles them for a cell.
            """
            if self._dead:
                return False
            temp = from_dict({"cell_type": "code", "source": code, "metadata": {}, "outputs": [],
                              "execution_count": None})
            assert self.kc is not None
            try:
                msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
                reply = self.wait_for_reply(msg_id, temp)
            except DeadKernelError:
                self._dead = True
                return False
            return bool(reply) and reply["content"].get("status") == "ok"

        def _judge(self, cell: NotebookNode, index: int) -> list[dict[str, Any]]:
            self._count += 1
            names = names_in_test(cell.source)
            folder = f"{EXCHANGE}/out-{uuid.uuid4().hex}"
            module = "__import__('smmkit.grading.exchange', fromlist=['_'])"
            exported = self._snippet(f"{module}.export(get_ipython().user_ns, {list(names)!r}, {folder!r})", index)
            push = self._scratch / f"push-{self._count}"
            request = {"op": "test", "source": cell.source, "cwd": self._cwd, "values": folder,
                       "hidden": hidden_lines(cell.source), "push": str(push)}
            gid = cell.metadata["nbgrader"]["grade_id"]
            if not exported and not self._dead:
                self._event("export", gid, "значения для проверки не получены: служебный код проверки в ядре "
                            "не выполнился (подменён ввод или состояние IPython?)")
            try:
                self._runner.send(request)
                while True:
                    reply = self._runner.receive(self.runner_timeout)
                    if reply.get("op") == "call":
                        self._runner.send(self._call(reply, index))
                        continue
                    break
            except RunnerError as exc:
                close_runner()
                self._runner = self._runner_process()
                self._start_student()
                return [{"output_type": "error", "ename": "TestRunnerError",
                         "evalue": f"Проверка не завершилась ({exc}).", "traceback": ["TestRunnerError"]}]
            if reply.get("op") == "ended":  # the student's runner child crashed: start another one
                self._start_student()
                return [{"output_type": "error", "ename": "TestRunnerError",
                         "evalue": "Проверка не завершилась (сбой процесса проверки).",
                         "traceback": ["TestRunnerError"]}]
            for name, kind in reply.get("opaque", []):
                self._event("opaque", gid, f"значение {name} (тип {kind}) нельзя передать на проверку")
            if reply.get("push_error"):
                self.log.warning("smmkit: reference values of %s not sent back: %s", cell.metadata["nbgrader"][
                    "grade_id"], reply["push_error"])
            if reply.get("push"):
                relative = write_beneath(self._cwd, push)
                if not self._snippet(f"{module}.load_into(get_ipython().user_ns, {relative!r})", index):
                    self.log.warning("smmkit: the kernel did not take the reference values of %s",
                                     cell.metadata["nbgrader"]["grade_id"])
            return list(reply.get("outputs", []))

        def _call(self, request: dict[str, Any], index: int) -> dict[str, Any]:
            """A call of a student's function from the runner: arguments in, result out, all as data."""
            name = str(request.get("name", ""))
            if not name.isidentifier():
                return {"error": "недопустимое имя"}
            relative = write_beneath(self._cwd, Path(request["folder"]))
            module = "__import__('smmkit.grading.exchange', fromlist=['_'])"
            if not self._snippet(f"{module}.call(get_ipython().user_ns, {name!r}, {relative!r})", index):
                return {"error": "функция не выполнилась (ядро остановлено или время истекло)"}
            return {"folder": f"{relative}/result"}

    IsolatedExecute.__module__ = __name__
    IsolatedExecute.__qualname__ = "IsolatedExecute"
    return IsolatedExecute
