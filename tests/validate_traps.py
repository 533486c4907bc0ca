"""Real ``nbgrader validate`` on an assignment's student version: the correct answers and the combined mistakes.

Shared by ``tests/test_aNN_traps.py``. Each single typical mistake's hint is checked on the grading invariant's
autograded notebooks (``test_grading_invariant``); here nbgrader's own validation runs the correct answers (they
must pass) and each combined submission (several mistakes at once, cascading as in a student's own run: it must
fail with its hint and no bare exception). ``nbgrader validate`` exits 0 either way, so its output is read.

With ``warm=True`` the notebooks are validated by nbgrader's own ``Validator`` with kernels forked from a warm
process that has imported pandas and parsed the assignment's datasets once (``WARM_CONFIG``: smmkit's sandbox
kernel manager without its walls, with ``smmkit.grading.warm_datasets``), a fraction of the time of a fresh Python
per notebook.
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

import yaml

from smmkit import assignments
from smmkit.notebooks import read, write

ROOT = Path(__file__).resolve().parents[1]
HEADER = re.compile(r"^(Success! Your notebook passes all the tests\.|VALIDATION FAILED ON \d+ CELL\(S\)!)",
                    re.MULTILINE)
BARE = ("KeyError", "NameError", "TypeError", "ValueError", "AttributeError", "IndexError")
CODE_LINE = re.compile(r"^\s*(?:-*>\s*)?\d+ ")  # a traceback's numbered source lines are not hints

WARM_CONFIG = """\
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput
from smmkit.grading.sandbox import DEFAULT_PRELOAD, sandbox_execute_class

c = get_config()  # noqa: F821
c.SandboxKernelManager.preload = [*DEFAULT_PRELOAD, "smmkit.grading.warm_datasets"]
c.Validator.preprocessors = [CheckCellMetadata, ClearOutput, sandbox_execute_class()]
c.SandboxKernelManager.landlock = False
c.SandboxKernelManager.guard = False
"""


def spec(aid: str) -> dict:
    """The typical-mistake submissions of ``aid`` (tests/submissions/<aid>.yaml)."""
    return yaml.safe_load((ROOT / "tests" / "submissions" / f"{aid}.yaml").read_text(encoding="utf-8"))


def combined(spec: dict) -> list[str]:
    """The names of the submissions that carry several mistakes at once."""
    return [s["name"] for s in spec["submissions"] if len(s["expected"]) > 1]


def source(cell: dict) -> str:
    """A cell's source as one string."""
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def master_answers(aid: str, own: dict[str, str]) -> dict[str, str]:
    """The master's code answers without the solution markers, plus ``own`` (the student's texts, by grade_id)."""
    out = dict(own)
    for cell in read(ROOT / "solutions" / aid / f"{aid}.ipynb")["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            out[meta["grade_id"]] = "\n".join(ln for ln in source(cell).splitlines() if "SOLUTION" not in ln)
    return out


def typed(release: dict, answers: dict[str, str]) -> dict:
    """The student version with ``answers`` typed into its answer cells (by grade_id)."""
    nb = copy.deepcopy(release)
    by_id = {c["metadata"].get("nbgrader", {}).get("grade_id"): c for c in nb["cells"]}
    for grade_id, source in answers.items():
        assert by_id[grade_id]["metadata"]["nbgrader"]["solution"], f"{grade_id} is not an answer cell"
        by_id[grade_id]["source"] = source
    return nb


def nbgrader_validate(paths: list[Path], cwd: Path, warm: bool = False) -> list[str]:
    """``nbgrader validate`` of several notebooks in one process: its output per notebook, in order.
    ``warm``: kernels forked from one process that has imported the libraries (see the module's docstring)."""
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    if warm:
        (cwd / "nbgrader_config.py").write_text(WARM_CONFIG, encoding="utf-8")
    done = subprocess.run([nbgrader, "validate", *map(str, paths)], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=1800)
    starts = [m.start() for m in HEADER.finditer(done.stdout)]
    assert len(starts) == len(paths), done.stdout[-3000:] + done.stderr[-3000:]
    return [done.stdout[a:b] for a, b in zip(starts, [*starts[1:], len(done.stdout)], strict=True)]


def hint_errors(out: str) -> str:
    """Only the errors of the failed cells: a failed cell's source (shown above its error) holds other hints too."""
    return "".join(part.split("The error was:", 1)[1] for part in out.split("The following cell failed:")[1:])


def validate_correct_and_combined(aid: str, spec: dict, good: dict[str, str], scratch: Path,
                                  variants: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    """``nbgrader validate`` output per notebook: the correct answers ("correct"), other correct answers
    (``variants``: name → answers typed over the correct ones) and each combined submission, each in its own
    folder under ``scratch / "work"`` (files an answer writes land beside its notebook)."""
    release = read(assignments.generate(ROOT, aid, scratch / "course") / f"{aid}.ipynb")
    notebooks = {"correct": typed(release, good)}
    notebooks |= {name: typed(release, {**good, **answers}) for name, answers in (variants or {}).items()}
    for sub in spec["submissions"]:
        if sub["name"] in combined(spec):
            notebooks[sub["name"]] = typed(release, {**good, **sub["answers"]})
    paths = []
    for name, nb in notebooks.items():
        folder = scratch / "work" / name
        folder.mkdir(parents=True)
        write(folder / f"{aid}.ipynb", nb)
        paths.append(folder / f"{aid}.ipynb")
    return dict(zip(notebooks, nbgrader_validate(paths, scratch / "work", warm=True), strict=True))


def assert_fails_with_its_hint(spec: dict, validated: dict[str, str], name: str, uncut: bool = False) -> None:
    """The combined submission ``name`` fails validation, shows its hint and no bare exception; ``uncut``: no
    hint line is cut short by nbgrader (it shortens lines wider than ``Validator.width`` with "...")."""
    sub = next(s for s in spec["submissions"] if s["name"] == name)
    out = validated[name]
    assert out.startswith("VALIDATION FAILED"), f"{name}: nbgrader validate says Success"
    errors = hint_errors(out)
    assert sub["validate"] in errors, f"{name}: the hint «{sub['validate']}» is not shown:\n{out[-3000:]}"
    if uncut:
        cut = [line for line in errors.splitlines() if line.endswith("...") and not CODE_LINE.match(line)]
        assert not cut, f"{name}: hint lines cut by nbgrader validate: {cut}"
    for bare in BARE:
        assert bare not in errors, f"{name}: a bare {bare} instead of a hint:\n{out[-3000:]}"
