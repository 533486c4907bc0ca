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

import ast
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


# --- nbgrader validate shows each hint line whole ---------------------------------------------------------------

VALIDATE_WIDTH = 90 - 3 - 4  # nbgrader's Validator.width, less its "..." and its indent: longer lines are cut
ERROR_PREFIX = "AssertionError: "  # the first line of a hint follows it in the traceback
SHORT_VALUE = 10  # a date, a number or a student's short answer formatted into a hint


def _loop_values(tree: ast.AST) -> dict[str, int]:
    """The longest text each loop variable of a cell takes, for loops over literal lists (``for name in [...]``)."""
    longest: dict[str, int] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.For) and isinstance(node.iter, ast.List | ast.Tuple)):
            continue
        targets = node.target.elts if isinstance(node.target, ast.Tuple) else [node.target]
        for item in node.iter.elts:
            parts = item.elts if isinstance(item, ast.Tuple) and len(targets) > 1 else [item]
            for target, part in zip(targets, parts, strict=True):
                text = str(part.value) if isinstance(part, ast.Constant) else getattr(part, "id", "")
                if isinstance(target, ast.Name):
                    longest[target.id] = max(longest.get(target.id, 0), len(text))
    return longest


def _texts(tree: ast.AST) -> dict[str, ast.expr]:
    """Names a cell binds to a text it then formats into hints (``where = f"Группа {...}:\\n"``)."""
    return {node.targets[0].id: node.value for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.JoinedStr | ast.Constant) and isinstance(getattr(node.value, "value", ""),
                                                                                      str)}


def _hint_text(node: ast.expr, loops: dict[str, int], texts: dict[str, ast.expr]) -> str:
    """The assert message as it will read: loop variables at their longest, texts the cell builds as they read,
    other values ``SHORT_VALUE`` long (a student's own value may be longer: then only that value is cut)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in texts:
        return _hint_text(texts[node.id], loops, texts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _hint_text(node.left, loops, texts) + _hint_text(node.right, loops, texts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _hint_text(node.func.value, loops, texts).replace("{}", "W" * SHORT_VALUE)
    assert isinstance(node, ast.JoinedStr), f"a hint built otherwise than from strings: {ast.unparse(node)}"
    out = ""
    for value in node.values:
        if isinstance(value, ast.Constant):
            out += value.value
        elif isinstance(value.value, ast.Name) and value.format_spec is None and value.value.id in texts:
            out += _hint_text(texts[value.value.id], loops, texts)
        elif isinstance(value.value, ast.Name) and value.format_spec is None and value.value.id in loops:
            out += "W" * loops[value.value.id]
        else:
            out += "W" * SHORT_VALUE
    return out


def long_hint_lines(aid: str) -> list[str]:
    """Every hint line of the master's visible checks that ``nbgrader validate`` would cut with «...» (it prints a
    failed test's error indented, the first line after «AssertionError: »), as ``grade_id: line``."""
    long_lines = []
    for cell in read(ROOT / "solutions" / aid / f"{aid}.ipynb")["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if not grade_id.endswith("-tests"):
            continue
        visible = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", source(cell), flags=re.S)
        tree = ast.parse(visible)
        loops, texts = _loop_values(tree), _texts(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assert) and node.msg is not None:
                lines = _hint_text(node.msg, loops, texts).split("\n")
                lines[0] = ERROR_PREFIX + lines[0]
                long_lines += [f"{grade_id}: {line}" for line in lines if len(line) > VALIDATE_WIDTH]
    return long_lines


def quoted_points(aid: str) -> tuple[dict[str, int], dict[str, float], str]:
    """The points each «## Вопрос N · … (K баллов)» heading of the master quotes, the graded cells' points of each
    question (by its number), and the intro cell's text (where the totals are quoted)."""
    cells = read(ROOT / "solutions" / aid / f"{aid}.ipynb")["cells"]
    quoted: dict[str, int] = {}
    points: dict[str, float] = {}
    question = ""
    for cell in cells:
        text, meta = source(cell), cell["metadata"].get("nbgrader", {})
        m = re.match(r"## Вопрос (\d+) · .*\((\d+) балл", text)
        if m:
            question = m[1]
            quoted[question] = int(m[2])
        if meta.get("grade"):  # a question may have several graded cells (one per rule): their points add up
            points[question] = points.get(question, 0) + meta["points"]
    return quoted, points, source(cells[0])


def _tests_of(grade_id: str, cell: str) -> bool:
    """Whether a test cell checks an answer cell: ``<grade_id>-tests``, or ``<grade_id>-<rule>-tests`` when a
    question has a test cell per rule (a04's two-week plan)."""
    return cell == f"{grade_id}-tests" or (cell.startswith(f"{grade_id}-") and cell.endswith("-tests"))


def malformed_submissions(spec: dict, test_cells: set[str]) -> list[str]:
    """What is wrong with the typical-mistake file's shape: duplicate names, missing keys, expected scores on
    unknown test cells or above 0, answers and expected cells that do not match, no combined submission."""
    names = [sub["name"] for sub in spec["submissions"]]
    problems = [f"duplicate name {n}" for n in sorted({n for n in names if names.count(n) > 1})]
    for sub in spec["submissions"]:
        if not {"name", "mistake", "standard", "answers", "expected", "validate"} <= set(sub):
            problems.append(f"{sub['name']}: a key is missing")
            continue
        if not set(sub["expected"]) <= test_cells:
            problems.append(f"{sub['name']}: expected names unknown test cells")
        if any(score != 0 for score in sub["expected"].values()):
            problems.append(f"{sub['name']}: a typical mistake costs its question's points (expected 0)")
        answers, expected = set(sub["answers"]), set(sub["expected"])
        if not (all(any(_tests_of(gid, cell) for cell in expected) for gid in answers)
                and all(any(_tests_of(gid, cell) for gid in answers) for cell in expected)):
            problems.append(f"{sub['name']}: answers and expected cells differ")
    if not any(len(s.get("expected", {})) > 1 for s in spec["submissions"]):
        problems.append("no combined typical submission")
    return problems
