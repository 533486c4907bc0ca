"""Limits for the kernel that runs a student's notebook during autograding.

How the limits are applied (and why this way):

- **Memory**: every kernel is started through a tiny launcher, ``python -c LAUNCHER --memory-mb N ... --
  <kernel command>`` (the same code as ``python -m smmkit.grading.sandbox``; ``-c`` spares importing smmkit),
  which calls ``resource.setrlimit(RLIMIT_AS, N MB)`` and then ``exec``s ipykernel. The limit belongs to the
  kernel process only (the grading worker is not limited), survives ``exec`` and needs no
  extra kernelspec: :class:`SandboxKernelManager` wraps whatever command the notebook's kernelspec gives. A
  memory bomb then gets ``MemoryError`` in its cell (or, from C code, the kernel dies), never the machine.
  ``RLIMIT_FSIZE`` caps the size of one file the notebook writes, ``RLIMIT_CORE`` disables core dumps, and the
  BLAS/OpenMP thread pools get one thread each (the workers already share the cores).
- **Time**: nbgrader's own ``Execute.timeout`` per cell (the kernel is interrupted; the cell gets a
  ``CellTimeoutError`` and scores 0). A kernel that swallows the interrupt makes nbgrader give up on the whole
  notebook (all its test cells 0). So one notebook takes at most about cells × timeout plus the kernel's
  start-up timeout (60 s), and the batch goes on.
- **Output**: nbgrader's ``LimitOutput`` cuts stream output to ``max_lines`` *after* the notebook ran, so a
  flood of output would first pile up in the grader's memory. The launcher therefore also installs, inside the
  kernel, a cap of ``--output-kb`` per cell on ``sys.stdout``/``sys.stderr``: after it, writes are dropped and
  one line says so. (Rich outputs such as huge HTML or images are not capped by this.)
- **Monkeypatching**: ``install_guard`` puts back builtins, numpy, pandas (and its classes) and
  ``smmkit.datasets`` before every cell, so a solution cell cannot make the test cells after it pass by
  replacing ``Series.all`` or ``datasets.load`` (see its docstring for what it does not cover).
- **Working directory**: nbgrader starts the kernel in ``autograded/<student>/<assignment>/``; the launcher
  also points ``HOME`` and the temp folder there.

What is NOT contained (it would need another OS user, a container or a chroot): the kernel runs as the grader's
user, so code that deliberately walks up (``../../../grader/gradebook.db``) or uses absolute paths can read
or write anything that user can, network access is open, and ``os.fork`` is not limited. Run the grading of
untrusted classes under a separate account or in a container when that matters; within one course the
anomalies report and the gradebook backups taken before every batch are the safety net.
"""

from __future__ import annotations

import sys
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer

FSIZE_MB = 256


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel through :func:`main` (memory and output limits)."""

    memory_mb = Integer(1024, help="address-space limit of the kernel, MB (0: none)").tag(config=True)
    output_kb = Integer(1024, help="stdout+stderr bytes kept per cell, KB (0: none)").tag(config=True)
    guard = Bool(True, help="undo monkeypatching of builtins/numpy/pandas/datasets before each cell").tag(
        config=True)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if sys.platform == "win32":  # no `resource` module: Windows kernels run without these limits
            return cmd
        return [sys.executable, "-c", LAUNCHER, "--memory-mb", str(self.memory_mb), "--output-kb",
                str(self.output_kb), "--guard", "1" if self.guard else "0", "--fsize-mb", str(FSIZE_MB), "--", *cmd]


def sandbox_execute_class() -> type:
    """nbgrader's ``Execute`` preprocessor with :class:`SandboxKernelManager` (``Execute.__init__`` forces
    ``AsyncKernelManager`` through kwargs, which beat config, hence the subclass)."""
    from nbgrader.preprocessors import Execute

    class SandboxExecute(Execute):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["kernel_manager_class"] = SandboxKernelManager
            super().__init__(*args, **kwargs)

    SandboxExecute.__module__ = __name__
    SandboxExecute.__qualname__ = "SandboxExecute"
    return SandboxExecute


def install_output_cap(limit: int) -> None:
    """Inside the kernel: keep at most ``limit`` characters of stdout+stderr per cell."""
    state = {"n": 0, "cut": False}

    def wrap(stream: Any) -> None:
        original = stream.write

        def write(text: str) -> int:
            if state["n"] >= limit:
                if not state["cut"]:
                    state["cut"] = True
                    original(f"\n[smmkit: вывод обрезан, больше {limit // 1024} КБ]\n")
                return len(text)
            state["n"] += len(text)
            return original(text)

        stream.write = write

    wrap(sys.stdout)
    wrap(sys.stderr)

    def reset(*_: Any) -> None:
        state["n"] = 0
        state["cut"] = False

    get_ipython().events.register("pre_run_cell", reset)  # type: ignore[name-defined]  # noqa: F821


GUARDED_MODULES = ("builtins", "numpy", "pandas", "pandas.testing", "smmkit.datasets")
GUARDED_CLASSES = (("pandas", "Series"), ("pandas", "DataFrame"), ("pandas", "Index"))


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


# The launcher runs as ``python -c LAUNCHER ...`` so that starting a kernel does not import smmkit (0.2 s).
LAUNCHER = r"""
import os, resource, sys
args = sys.argv[1:]
split = args.index("--")
opts, cmd = args[:split], args[split + 1:]
values = dict(zip(opts[::2], opts[1::2]))
memory_mb = int(values.get("--memory-mb", "0"))
output_kb = int(values.get("--output-kb", "0"))
guard = values.get("--guard", "1") == "1"
if memory_mb > 0:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
fsize = int(values.get("--fsize-mb", "256")) * 1024 * 1024
hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
if hard == resource.RLIM_INFINITY or hard > fsize:
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[var] = "1"
os.environ["HOME"] = os.environ["TMPDIR"] = os.getcwd()
calls = []
if output_kb > 0:
    calls.append("m.install_output_cap(%d)" % (output_kb * 1024))
if guard:
    calls.append("m.install_guard()")
if calls:  # one expression, so that no name is left in the student's namespace
    line = "(lambda m: (%s,))(__import__('smmkit.grading.sandbox', fromlist=['_']))" % ", ".join(calls)
    cmd.append("--IPKernelApp.exec_lines=" + line)
devnull = os.open(os.devnull, os.O_WRONLY)  # ipykernel's start-up noise ("running over TCP ..."); the
os.dup2(devnull, 2)                         # student's own stderr still reaches the notebook (iopub)
os.execv(cmd[0], cmd)
"""


def main(argv: list[str] | None = None) -> None:
    """``python -m smmkit.grading.sandbox --memory-mb N --output-kb K --guard 1 -- <kernel command>``."""
    if argv is not None:
        sys.argv[1:] = argv
    exec(compile(LAUNCHER, "smmkit-sandbox-launcher", "exec"), {"__name__": "__launcher__"})


if __name__ == "__main__":
    main()
