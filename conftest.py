"""Test set-up for the whole suite (tests/, doctests in src/, nbval over course/ and solutions/)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# nbgrader runs `alembic` by name, so this interpreter's bin must come first on PATH.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
# Notebooks autograded in temporary course folders still load the committed datasets.
os.environ.setdefault("SMMKIT_ROOT", str(ROOT))


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--mistakes", choices=("sample", "rest", "all"), default="sample",
        help="which typical-mistake submissions the grading invariant autogrades (tests/test_grading_invariant.py): "
             "'sample' (make test) — the combined ones, the first off-by-one variant, one single mistake per "
             "graded test cell and one per standard ID a test cell names; 'rest' (make test-rest) — all the others; "
             "'all' — every one in one run")


def pytest_xdist_auto_num_workers(config) -> int:
    """``-n auto``: one worker more than cores. Many tests wait on something else (a browser page, a kernel,
    a grading subprocess), so one extra worker keeps the cores busy: on 2 cores the suite took 5:02 with 3
    workers against 5:54 with 2 (2026-11-26)."""
    return (os.cpu_count() or 1) + 1


def pytest_terminal_summary(terminalreporter) -> None:
    """List every notebook nbval ran, with its cell counts, so the summary shows that each one ran."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for status in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(status, []):
            path = getattr(report, "nodeid", "").split("::")[0]
            if path.endswith(".ipynb") and (report.when == "call" or status != "passed"):
                counts[path][status] += 1
    if not counts:
        return
    terminalreporter.write_sep("-", f"nbval: {len(counts)} notebooks")
    for path in sorted(counts):
        parts = ", ".join(f"{n} {status}" for status, n in sorted(counts[path].items()))
        terminalreporter.write_line(f"{path}: {parts}")


# --- Scheduling: the heaviest test files start first -------------------------------------------------------------
# With `--dist loadfile` a file is the unit a worker takes, in collection order. A long file taken last keeps the
# run going on one worker while the others idle, so the files are collected heaviest first, by the seconds
# measured per file in tests/suite_weights.yaml (`python tools/bench.py --suite --write-weights` refreshes it);
# a file not measured yet counts as the median. Test order inside a file does not change.

WEIGHTS = ROOT / "tests" / "suite_weights.yaml"


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(session, config, items) -> None:
    if not WEIGHTS.exists():
        return
    import statistics

    import yaml

    seconds: dict[str, float] = yaml.safe_load(WEIGHTS.read_text(encoding="utf-8")).get("seconds") or {}
    default = statistics.median(seconds.values()) if seconds else 0.0
    first_seen: dict[str, int] = {}
    for i, item in enumerate(items):
        first_seen.setdefault(work_unit(item.nodeid), i)

    def weight(nodeid: str) -> float:  # a split file's unit (an assignment of the invariant) has its own figure
        return seconds.get(work_unit(nodeid), seconds.get(_file_of(nodeid), default))

    items.sort(key=lambda item: (-weight(item.nodeid), first_seen[work_unit(item.nodeid)]))


# --- Scheduling: one work unit per assignment in the grading invariant ------------------------------------------
# `--dist loadfile` gives a worker a whole file. tests/test_grading_invariant.py autogrades every assignment's
# submissions (a module fixture parametrized by assignment): as one unit it kept one worker busy for most of the
# run while the others had finished. Its tests are split into a unit per assignment (the bracketed parameter);
# every other file stays one unit (nbval needs a notebook's cells on one worker).

SPLIT_BY_PARAMETER = frozenset({"tests/test_grading_invariant.py"})


def work_unit(nodeid: str) -> str:
    """The scheduling unit of a test: its file, or ``file::parameter`` for a file split by parameter.

    >>> work_unit("tests/test_grading_invariant.py::test_solution_gets_full_autograded_marks[a04-profiles]")
    'tests/test_grading_invariant.py::a04-profiles'
    >>> work_unit("course/04-profiles/04.01-content-plan.ipynb::Cell 3")
    'course/04-profiles/04.01-content-plan.ipynb'
    """
    path = _file_of(nodeid)
    if path in SPLIT_BY_PARAMETER and nodeid.endswith("]") and "[" in nodeid:
        return f"{path}::{nodeid[nodeid.rindex('[') + 1:-1]}"
    return path


def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class PerAssignment(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return PerAssignment(config, log)


# --- Profile: seconds per file and per worker (SMMKIT_SUITE_PROFILE=<file.json>, written by tools/bench.py) --------
# Besides wall time, each phase carries the CPU seconds its worker and every process the worker started used: a
# figure a busy machine barely changes, unlike the wall time. Where the cgroup-v1 `cpuacct` controller is writable
# (root on Linux), each worker moves itself into a cgroup of its own, so the count includes processes reparented to
# init (the kernels the grading zygote forks, smmkit.grading.kernel_launch) and servers still running; elsewhere it
# falls back to the worker's and its reaped children's rusage, and the grading files' CPU is then a floor.
_PROFILE: list[dict] = []
_CPU_MARK: list[float] = []
CPUACCT = Path("/sys/fs/cgroup/cpuacct")
_CGROUP: list[Path] = []


def _own_cgroup() -> Path | None:
    """This worker's cpuacct cgroup (created and entered on first use), or None where that is not possible."""
    if _CGROUP:
        return _CGROUP[0]
    group = CPUACCT / f"smmkit-test-{os.getpid()}"
    try:
        group.mkdir(exist_ok=True)
        (group / "cgroup.procs").write_text(str(os.getpid()))
        int((group / "cpuacct.usage").read_text())
    except (OSError, ValueError):
        return None
    _CGROUP.append(group)
    return group


def _cpu_seconds() -> float:
    import resource

    group = _own_cgroup()
    if group is not None:
        return int((group / "cpuacct.usage").read_text()) / 1e9
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pytest_runtest_makereport(item, call):
    if not os.environ.get("SMMKIT_SUITE_PROFILE"):
        return None
    now = _cpu_seconds()
    since = _CPU_MARK[-1] if _CPU_MARK else now
    _CPU_MARK[:] = [now]
    item.user_properties.append((f"cpu_{call.when}", round(now - since, 3)))
    return None


def pytest_runtest_logreport(report) -> None:
    if os.environ.get("SMMKIT_SUITE_PROFILE") and hasattr(report, "start"):
        node = getattr(report, "node", None)
        worker = getattr(node, "gateway", None)
        cpu = sum(v for k, v in getattr(report, "user_properties", []) if k == f"cpu_{report.when}")
        _PROFILE.append({"file": _file_of(report.nodeid), "unit": work_unit(report.nodeid), "when": report.when,
                         "start": report.start, "stop": report.stop, "cpu": cpu,
                         "worker": getattr(worker, "id", "main")})


def pytest_sessionfinish(session) -> None:
    for group in _CGROUP:  # back to the root group; the worker's own group goes when its last process has
        with contextlib.suppress(OSError):
            (CPUACCT / "cgroup.procs").write_text(str(os.getpid()))
            group.rmdir()
    target = os.environ.get("SMMKIT_SUITE_PROFILE")
    if target and not hasattr(session.config, "workerinput"):
        import json

        Path(target).write_text(json.dumps(_PROFILE), encoding="utf-8")
