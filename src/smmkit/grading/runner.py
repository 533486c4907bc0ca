"""The test runner of the isolated route: runs the instructor's test cells on the student's values as data.

Started once per grading worker (``python -m smmkit.grading.runner --read A --write B``) with a clean environment;
no student code ever runs in it. Before reading any request it confines itself with Landlock: read-only access to the
system, Python, the datasets and the ``--read`` folders (the autograded submissions, where the student's exported
values and files are), write access to its own ``--write`` scratch folder only, no TCP.

Protocol: one JSON object per line on stdin, answers as JSON lines on the original stdout (the test's own ``print``
goes into the cell's outputs, never into the protocol).

- ``{"op": "student", "cwd": ..., "scratch": ..., "cells": [...]}``: fork a child for one submission; it narrows
  Landlock further to that submission's folder (read) and its scratch folder (write), runs the instructor's setup
  cells (imports, data loading) in a fresh base namespace and answers ``{"op": "ready", "errors": [...]}``. The
  child serves the requests below until ``{"op": "end"}``; then the parent answers ``{"op": "ended"}`` (also when
  the child crashed, with its exit code).
- ``{"op": "test", "source": ..., "cwd": ..., "values": folder, "push": folder}``: run one test cell in a copy of
  the base namespace with the student's values from ``folder`` (:mod:`smmkit.grading.exchange`); a student's
  function is a proxy whose calls go back through the orchestrator (``{"op": "call", ...}`` / a ``{"op": "result"}``
  request). Answer ``{"op": "done", "outputs": [...], "push": [...]}`` where ``outputs`` are nbformat outputs as
  IPython would have shown them and ``push`` the names the cell's ``post_run_cell`` hooks (no-cascade reference
  values, see course/README.md) set for the next questions, written as data into the ``push`` folder.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

CELL_NAME = "<cell>"
MEMORY_MB = 4096  # address space of a student's runner child (tests on hostile data must not take the machine)
EXECUTION_COUNT = 1


class _Events:
    def __init__(self) -> None:
        self.post_run_cell: list[Any] = []

    def register(self, event: str, function: Any) -> None:
        if event == "post_run_cell":
            self.post_run_cell.append(function)

    def unregister(self, event: str, function: Any) -> None:
        if event == "post_run_cell" and function in self.post_run_cell:
            self.post_run_cell.remove(function)


class TrackingNamespace(dict):
    """The test's namespace; remembers which names the ``post_run_cell`` hooks read or set."""

    touched: set[str]

    def get(self, key: Any, default: Any = None) -> Any:
        self.touched.add(key)
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self.touched.add(key)
        return super().__getitem__(key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self.touched.add(key)
        super().__setitem__(key, value)


class Shell:
    """What ``get_ipython()`` returns to a test cell in the runner: its events and the namespace."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.events = _Events()
        self.user_ns = namespace


class Proxy:
    """A student's function: each call goes to the sandbox; arguments and result cross as data."""

    def __init__(self, name: str, runner: Runner) -> None:
        self._name, self._runner = name, runner

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._runner.call(self._name, args, kwargs)

    def __repr__(self) -> str:
        return f"<функция студента {self._name}>"


class Runner:
    def __init__(self, protocol: Any, scratch: Path, allowed_modules: set[str]) -> None:
        self.protocol = protocol
        self.scratch = scratch
        self.allowed_modules = allowed_modules
        self.base: dict[str, Any] = {}
        self.base_key = ""
        self.base_errors: list[str] = []
        self.calls = 0

    # ------------------------------------------------------------------------------------------------ protocol
    def send(self, message: dict[str, Any]) -> None:
        self.protocol.write(json.dumps(message, ensure_ascii=False) + "\n")
        self.protocol.flush()

    def receive(self) -> dict[str, Any]:
        line = sys.stdin.readline()
        if not line:
            raise SystemExit(0)
        return json.loads(line)

    def serve(self) -> None:
        """The parent: one forked child per student, confined to that student's folder."""
        while True:
            request = self.receive()
            if request.get("op") != "student":
                continue
            self.prepare(request["cells"])
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    from smmkit.grading.kernel_launch import _libc

                    _libc().prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL: dies with the runner
                    self.student(request)
                except BaseException:
                    traceback.print_exc()
                    code = 1
                finally:
                    self.protocol.flush()
                    os._exit(code)
            _, status = os.waitpid(pid, 0)
            self.send({"op": "ended", "code": os.waitstatus_to_exitcode(status)})

    def student(self, request: dict[str, Any]) -> None:
        """The child: confine to the student's folder, run the setup cells, then judge test cells until "end"."""
        import resource

        from smmkit.grading.kernel_launch import restrict
        from smmkit.grading.sandbox import kernel_read_paths

        cwd = request["cwd"]
        self.scratch = Path(request["scratch"])
        memory = int(request.get("memory_mb", MEMORY_MB)) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))  # a decompression bomb stops here
        read = [*kernel_read_paths(cwd, list(request.get("protected", []))), cwd]
        restrict(read, [str(self.scratch)], {"/dev/null": 1 << 1 | 1 << 2}, [])
        os.chdir(cwd)
        errors = self.setup(request["cells"], cwd) if self.base_errors else []
        self.send({"op": "ready", "errors": errors})
        while True:
            request = self.receive()
            if request.get("op") == "test":
                self.send({"op": "done", **self.test(request)})
            elif request.get("op") == "end":
                return

    # ---------------------------------------------------------------------------------------------- execution
    def prepare(self, cells: list[str]) -> None:
        """In the parent: run the instructor's setup cells once per assignment, so that every student's child
        starts from their namespace (forked, nothing shared back). Setup that fails here (it reads a file of the
        submission's folder, say) is run again in each child, in the student's folder."""
        key = json.dumps(cells)
        if key != self.base_key:
            self.base_key = key
            self.base_errors = self.setup(cells, str(self.scratch))

    def setup(self, cells: list[str], cwd: str) -> list[str]:
        os.chdir(cwd)
        self.base = {"__name__": "__main__", "__builtins__": __builtins__}
        errors = []
        for source in cells:
            out = self.run(source, self.base)
            errors += [f"{o['ename']}: {o['evalue']}" for o in out["outputs"] if o["output_type"] == "error"]
        return errors

    def call(self, name: str, args: tuple, kwargs: dict) -> Any:
        from smmkit.grading import exchange

        self.calls += 1
        folder = self.scratch / f"call-{self.calls}"
        exchange.write_values({"args": tuple(args), "kwargs": dict(kwargs)}, folder, manifest="call.json")
        self.send({"op": "call", "name": name, "folder": str(folder)})
        reply = self.receive()
        if reply.get("error"):
            raise RuntimeError(f"Функция {name} не выполнена: {reply['error']}")
        values = exchange.read_values(Path(reply["folder"]))
        if "ename" in values:
            raise _student_exception(str(values["ename"]), str(values.get("error", "")))
        if "result" not in values:
            entries, _ = exchange.read_manifest(Path(reply["folder"]))
            entry = entries.get("result", {})
            return exchange.Untransferable(f"результат {name}()", str(entry.get("type", "?")),
                                           str(entry.get("reason", "")))
        return values["result"]

    def student_values(self, folder: str) -> dict[str, Any]:
        """The values the sandbox exported, as the test will see them."""
        import importlib

        from smmkit.grading import exchange

        out: dict[str, Any] = {}
        try:
            entries, budget = exchange.read_manifest(folder)
        except (OSError, ValueError, exchange.ExchangeError):
            return out  # no export: the kernel died or was tampered with; the names stay undefined
        for name, entry in entries.items():
            if not isinstance(name, str) or not name.isidentifier() or not isinstance(entry, dict):
                continue
            kind = entry.get("kind")
            try:
                if kind == "value":
                    out[name] = exchange.decode(entry.get("value"), Path(folder), budget)
                elif kind == "function":
                    out[name] = Proxy(name, self)
                elif kind in ("module", "library"):
                    module = str(entry.get("module", ""))
                    if module.split(".")[0] not in self.allowed_modules:
                        raise exchange.ExchangeError(f"модуль {module}")
                    value: Any = importlib.import_module(module)
                    for part in str(entry.get("qualname", "")).split(".") if kind == "library" else []:
                        value = getattr(value, part)
                    out[name] = value
                else:
                    out[name] = exchange.Untransferable(name, str(entry.get("type", "?")),
                                                        str(entry.get("reason", "")))
            except Exception as exc:
                out[name] = exchange.Untransferable(name, str(entry.get("type", kind)), str(exc)[:200])
        return out

    def test(self, request: dict[str, Any]) -> dict[str, Any]:
        from smmkit.grading import exchange

        os.chdir(request["cwd"])
        namespace = TrackingNamespace(self.base)
        namespace.touched = set()
        values = self.student_values(request["values"])
        for name, value in values.items():
            # the instructor's modules, functions and objects (pd, datasets, INSTAGRAM) are never replaced by the
            # student's; the student's data replaces data, as in the student's own kernel
            if name in self.base and not _plain(self.base[name]):
                continue
            dict.__setitem__(namespace, name, value)
        shell = Shell(namespace)
        dict.__setitem__(namespace, "get_ipython", lambda: shell)
        result = self.run(request["source"], namespace, hidden=set(request.get("hidden", [])))
        result["opaque"] = [[n, object.__getattribute__(v, "_smmkit")[1]] for n, v in values.items()
                            if isinstance(v, exchange.Untransferable) and dict.get(namespace, n) is v]
        namespace.touched = set()
        before = {n: _snapshot(v) for n, v in values.items()} if shell.events.post_run_cell else {}
        for hook in list(shell.events.post_run_cell):
            with contextlib.suppress(Exception):
                hook(None)
        # public names only: the hooks' own globals (``_ref_ig``, ``_pd``) are looked up through the namespace too
        push = sorted(n for n in namespace.touched if isinstance(n, str) and not n.startswith("_") and n in namespace)
        data = {n: dict.__getitem__(namespace, n) for n in push}
        data = {n: v for n, v in data.items() if _plain(v) and not (n in self.base and self.base[n] is v)
                and not (n in before and _same(before[n], v))}  # the student's own value, unchanged: kept
        result["push"] = []
        if data:
            try:
                exchange.write_values(data, request["push"])
                result["push"] = sorted(data)
            except Exception as exc:  # a reference value the exchange cannot carry: the course's bug
                result["push_error"] = f"{type(exc).__name__}: {exc}"
        return result

    def run(self, source: str, namespace: dict[str, Any], hidden: set[int] | None = None) -> dict[str, Any]:
        """Run ``source`` as IPython would: print the last expression; outputs as nbformat dicts."""
        outputs: list[dict[str, Any]] = []
        stdout, stderr = io.StringIO(), io.StringIO()
        try:
            tree = ast.parse(source, CELL_NAME)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                exec(compile(tree, CELL_NAME, "exec"), namespace)
                value = None
                if last is not None:
                    expression = ast.Expression(last.value)
                    value = eval(compile(expression, CELL_NAME, "eval"), namespace)
            error = None
        except BaseException as exc:
            error, value = exc, None
        for name, buffer in (("stdout", stdout), ("stderr", stderr)):
            if buffer.getvalue():
                outputs.append({"output_type": "stream", "name": name, "text": buffer.getvalue()})
        if error is not None:
            outputs.append(_error_output(error, hidden or set()))
        elif value is not None:
            outputs.append({"output_type": "execute_result", "execution_count": EXECUTION_COUNT,
                            "data": {"text/plain": repr(value)}, "metadata": {}})
        return {"outputs": outputs}


def _plain(value: Any) -> bool:
    """Is ``value`` data the student's kernel could send (so the student's version may replace it)?"""
    import numpy as np
    import pandas as pd

    plain = (type(None), bool, int, float, str, list, tuple, dict, set, frozenset, np.generic, np.ndarray,
             pd.DataFrame, pd.Series, pd.Index, pd.Timestamp, pd.Timedelta, Path)
    return isinstance(value, plain)


def _snapshot(value: Any) -> Any:
    """A copy of a student's value to compare with after the hooks (which may change it in place)."""
    import pandas as pd

    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=True)
    return None if not _plain(value) else value


def _same(before: Any, after: Any) -> bool:
    """Is ``after`` surely the same value as ``before`` (same type, dtypes, index and data)?"""
    import pandas as pd

    try:
        if isinstance(before, pd.DataFrame) and type(after) is pd.DataFrame:
            return (list(before.columns) == list(after.columns) and list(before.dtypes) == list(after.dtypes)
                    and before.index.equals(after.index) and before.equals(after))
        if isinstance(before, pd.Series) and type(after) is pd.Series:
            return before.dtype == after.dtype and before.index.equals(after.index) and before.equals(after)
        return type(before) in (int, float, str, bool) and type(before) is type(after) and before == after
    except Exception:
        return False


def _student_exception(ename: str, message: str) -> Exception:
    safe = {"ValueError": ValueError, "TypeError": TypeError, "KeyError": KeyError, "IndexError": IndexError,
            "ZeroDivisionError": ZeroDivisionError, "AssertionError": AssertionError}
    return safe.get(ename, RuntimeError)(message)


def _error_output(error: BaseException, hidden: set[int]) -> dict[str, Any]:
    """An IPython-like error output; a failure on a hidden line says nothing about the hidden test."""
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == CELL_NAME:
            line = frame.lineno
    ename = type(error).__name__
    evalue = str(error)
    if line is not None and line in hidden:
        evalue = ""
    lines = ["-" * 75, f"{ename}{' ' * max(1, 42 - len(ename))}Traceback (most recent call last)"]
    if line is not None:
        lines.append(f"Cell In[{EXECUTION_COUNT}], line {line}")
    lines.append(f"{ename}: {evalue}" if evalue else ename)
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": lines}


def main(argv: list[str]) -> None:
    values: dict[str, list[str]] = {}
    for key, value in zip(argv[::2], argv[1::2], strict=True):
        values.setdefault(key, []).append(value)
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # anything printed outside a test (imports, warnings) must not reach the protocol
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ[var] = "1"
    import numpy  # noqa: F401  (imported before Landlock: their files are readable anyway, this is speed)
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    from smmkit.grading.kernel_launch import restrict
    from smmkit.grading.sandbox import kernel_read_paths

    scratch = Path(values["--write"][0])
    read = kernel_read_paths(str(scratch), values.get("--protect", [])) + values.get("--read", [])
    abi = restrict(read, [str(scratch)], {"/dev/null": 1 << 1 | 1 << 2}, [])  # each student's child narrows it
    allowed = set(values.get("--module", [])) | {"pandas", "numpy", "math", "statistics", "datetime", "smmkit",
                                                   "collections", "itertools", "re", "json", "csv", "os"}
    runner = Runner(protocol, scratch, allowed)
    runner.send({"op": "started", "landlock": abi})
    runner.serve()


if __name__ == "__main__":
    main(sys.argv[1:])
