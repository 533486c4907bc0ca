"""Visible checks do not give the answer away.

The student version of an assignment shows the visible part of every test cell (all outside ``### BEGIN HIDDEN
TESTS … ### END HIDDEN TESTS``) and ``nbgrader validate`` prints it. A visible check that recomputes the right
table, list or number from the data (and compares the answer with it) hands a student the reference computation
to copy. Visible checks may judge the answer by its properties (types, columns, ranges, the symptom of a known
trap: a value equal to the trap's wrong value, a row the trap would drop) or call the student's function on
small hand-made inputs; the comparison with the reference answer belongs to the hidden part.

The rule, made executable (``test_visible_part_does_not_compute_the_answer``): run the master notebook top to
bottom in one namespace (answer cells, given code cells, and the visible parts of the test cells, as the
student's kernel runs them). For each test cell, take a snapshot of the namespace as it was before the
question's answer cell ran — a student who has not answered yet — and run the cell's visible part there,
statement by statement, evaluating every sub-expression of every ``assert`` and the value of every assignment
(a failing one is skipped: it needed the answer). What still evaluates is computed from the data and the
earlier answers alone. If such a value equals what the answer cell produced for a name the test cell judges
(the value itself, a new or changed column of a table, a non-integer number in it, the same set of ids), the
visible part computes the answer in the open, and the test names the cell and the expression.

A trap check does not trip it: it compares the answer with the trap's wrong value (``not same(got, usd)``), and
the wrong value is not the answer; a hint-giving property check (``max() <= 1``, ``isin``, a row's signature)
computes no value equal to the answer. It can miss a reveal that never materialises the whole value (a
definition restated element by element); it is a floor, not a proof.

One narrow exception, for inputs: a value the question's prompt spells out for the student to read is given, not
computed, like ``BUDGET``. When the prompt (the markdown since the previous test cell) writes in backticks an
expression over given names only (``ms.value("Instagram", "feed_ratio_min")``, ``probe(src)["fps"]``; not a bare
name, not one that reads an answer), the visible part may evaluate that very expression, or a name it assigns it
to (``lo, hi = ms.value(…), ms.value(…)``, no other assignment of the name), though the answer holds the same
number: a photo exactly on the limit (the off-by-one traps need one), the clip's frame rate the answer cell
stores as ``fps``. Only the prompt's exact text counts: anything the check computes from it is probed.

``test_each_hint_is_in_the_visible_part`` keeps the typical-mistake rule honest after checks move to the hidden
part: each submission's ``validate`` hint is a string written in the visible part of a test cell it loses
points on (the grading invariant reads the autograded cell, where hidden asserts speak too), or a message of
the smmkit checker the visible part calls (``check_hootsuite_csv``).
"""

from __future__ import annotations

import ast
import contextlib
import copy
import datetime as dt
import io
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from smmkit import assignments
from smmkit.notebooks import read

ROOT = Path(__file__).resolve().parents[1]
IDS = assignments.assignment_ids(ROOT)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS\n?", re.S)
SOLUTION = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$", re.M)


def _src(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _kind(cell: dict) -> str:
    meta = cell["metadata"].get("nbgrader", {})
    if cell["cell_type"] != "code":
        return "markdown"
    if meta.get("solution"):
        return "answer"
    if meta.get("grade"):
        return "test"
    return "code"


def visible(source: str) -> str:
    return HIDDEN.sub("", source)


def hidden(source: str) -> str:
    return "\n".join(HIDDEN.findall(source))


def _snapshot(ns: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in ns.items():
        if isinstance(value, pd.DataFrame | pd.Series | pd.Index):
            out[name] = value.copy(deep=True)
        elif isinstance(value, list | dict | set | np.ndarray):
            try:
                out[name] = copy.deepcopy(value)
            except Exception:
                out[name] = value
        else:
            out[name] = value
    return out


def _equal(a: Any, b: Any) -> bool:
    try:
        if type(a) is not type(b) and not (isinstance(a, np.ndarray) or isinstance(b, np.ndarray)):
            if not (isinstance(a, int | float | np.number) and isinstance(b, int | float | np.number)):
                return False
        if isinstance(a, pd.DataFrame):
            return a.shape == b.shape and list(a.columns) == list(b.columns) and a.equals(b)
        if isinstance(a, pd.Series | pd.Index):
            return a.equals(b)
        return bool(np.all(a == b))
    except Exception:
        return False


def _values_match(x: np.ndarray, y: np.ndarray) -> bool:
    if x.shape != y.shape or x.size < 3:
        return False
    try:
        xf, yf = x.astype(float), y.astype(float)
        return bool(np.array_equal(np.isnan(xf), np.isnan(yf))
                    and np.allclose(xf, yf, rtol=1e-9, atol=1e-12, equal_nan=True))
    except (TypeError, ValueError):
        try:
            return all((p is q) or bool(p == q) for p, q in zip(x.tolist(), y.tolist(), strict=True))
        except (TypeError, ValueError):
            return False


def _series_match(answer: pd.Series, probe: pd.Series) -> bool:
    if len(answer) != len(probe) or len(answer) < 3 or answer.nunique(dropna=False) < 2:
        return False
    if answer.index.is_unique and probe.index.is_unique and set(answer.index) == set(probe.index):
        probe = probe.reindex(answer.index)
    return _values_match(answer.to_numpy(), probe.to_numpy())


def _components(value: Any) -> list[Any]:
    if isinstance(value, pd.DataFrame):
        return [value, *(value.iloc[:, i] for i in range(value.shape[1]))]
    return [value]


def _floats(value: Any) -> set[float]:
    """The non-integer numbers of a table or a column: a single cell of the answer counts as the answer."""
    if isinstance(value, pd.DataFrame | pd.Series):
        numbers = value.select_dtypes("number") if isinstance(value, pd.DataFrame) else value
        try:
            flat = np.asarray(numbers, dtype=float).ravel()
        except (TypeError, ValueError):
            return set()
        return {round(float(v), 9) for v in flat if np.isfinite(v) and v != round(v)}
    return set()


def reveals(answer: Any, probe: Any) -> bool:
    """Whether a value computed without the answer is the answer (or a part that reads it off)."""
    if probe is None or isinstance(probe, bool | np.bool_):
        return False
    if isinstance(answer, pd.DataFrame | pd.Series):
        for part in _components(answer):
            for got in _components(probe):
                if isinstance(part, pd.DataFrame) and isinstance(got, pd.DataFrame):
                    if part.shape == got.shape and part.size >= 3 and _values_match(
                            part.to_numpy(), got.reindex(index=part.index, columns=part.columns).to_numpy()
                            if set(part.index) == set(got.index) and set(part.columns) == set(got.columns)
                            else got.to_numpy()):
                        return True
                elif isinstance(part, pd.Series) and isinstance(got, pd.Series) and _series_match(part, got):
                    return True
        if isinstance(probe, float | np.floating) and probe != round(float(probe)):
            return round(float(probe), 9) in _floats(answer)
        return False
    if isinstance(answer, list | tuple | set):
        if len(answer) < 2 or not isinstance(probe, list | tuple | set | pd.Index | pd.Series | np.ndarray):
            return False
        try:
            return sorted(map(str, set(answer))) == sorted(map(str, set(list(probe))))
        except TypeError:
            return False
    if isinstance(answer, bool | np.bool_):
        return False
    if isinstance(answer, int | float | np.number) and isinstance(probe, int | float | np.number):
        a, p = float(answer), float(probe)
        if a == round(a) and abs(a) < 10:
            return False  # a small whole number is too easy to meet by chance
        return bool(np.isclose(a, p, rtol=1e-9, atol=1e-12))
    if isinstance(answer, str) and isinstance(probe, str):
        return len(answer) >= 3 and answer == probe
    if isinstance(answer, dt.date | pd.Timestamp) and isinstance(probe, dt.date | pd.Timestamp):
        try:
            return pd.Timestamp(answer).date() == pd.Timestamp(probe).date()
        except (TypeError, ValueError):
            return False
    return False


class _Probe(ast.NodeTransformer):
    """Asserts become probes of their sub-expressions; every other simple statement runs inside try/except."""

    KINDS = (ast.Call, ast.BinOp, ast.Subscript, ast.Attribute, ast.Name, ast.UnaryOp)

    def __init__(self, text: str) -> None:
        self.text = text

    def _lambda(self, node: ast.expr) -> ast.Tuple:
        segment = ast.get_source_segment(self.text, node) or ast.dump(node)[:80]
        body = ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]),
                          body=node)
        return ast.Tuple(elts=[ast.Constant(segment), ast.Constant(type(node).__name__), body], ctx=ast.Load())

    def _subexpressions(self, node: ast.AST) -> list[ast.expr]:
        found: list[ast.expr] = []

        def walk(n: ast.AST) -> None:
            if isinstance(n, ast.Lambda):
                return
            if isinstance(n, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
                found.append(n)  # the comprehension as a whole; its inner names are its own
                return
            if isinstance(n, self.KINDS):
                found.append(n)
            for child in ast.iter_child_nodes(n):
                walk(child)

        walk(node)
        return found

    def _probe_call(self, nodes: list[ast.expr]) -> ast.stmt:
        call = ast.Call(func=ast.Name("__probe__", ast.Load()),
                        args=[ast.List(elts=[self._lambda(n) for n in nodes], ctx=ast.Load())], keywords=[])
        return ast.Expr(call)

    @staticmethod
    def _guard(stmts: list[ast.stmt]) -> ast.Try:
        handler = ast.ExceptHandler(type=ast.Name("BaseException", ast.Load()), name=None, body=[ast.Pass()])
        return ast.Try(body=stmts, handlers=[handler], orelse=[], finalbody=[])

    def visit_Assert(self, node: ast.Assert) -> ast.stmt:
        return self._guard([self._probe_call(self._subexpressions(node.test))])

    def visit_Assign(self, node: ast.Assign) -> ast.stmt:
        return self._guard([node, self._probe_call([node.value])])

    def visit_Expr(self, node: ast.Expr) -> ast.stmt:
        return self._guard([node])

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.stmt:
        return self._guard([node])

    def visit_Raise(self, node: ast.Raise) -> ast.stmt:
        return ast.Pass()

    def visit_For(self, node: ast.For) -> ast.stmt:
        node.body = [self.visit(s) for s in node.body]
        return self._guard([node])

    def visit_If(self, node: ast.If) -> ast.stmt:
        node.body = [self.visit(s) for s in node.body]
        node.orelse = [self.visit(s) for s in node.orelse]
        return self._guard([node])

    def visit_Try(self, node: ast.Try) -> ast.stmt:
        node.body = [self.visit(s) for s in node.body]
        return self._guard([node])

    def visit_With(self, node: ast.With) -> ast.stmt:
        node.body = [self.visit(s) for s in node.body]
        return self._guard([node])

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.stmt:
        return node  # helper functions are defined as written; their calls are probed where they are made

    def visit_Import(self, node: ast.Import) -> ast.stmt:
        return self._guard([node])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.stmt:
        return self._guard([node])


def _names(source: str) -> tuple[set[str], set[str]]:
    """Names a source reads (also as the strings of ``for name in ["ig"]``) and names it stores."""
    loaded, stored = set(), set()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return loaded, stored
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (stored if isinstance(node.ctx, ast.Store) else loaded).add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
            loaded.add(node.value)
    return loaded, stored


def _copied(before: dict[str, Any], table: pd.DataFrame, column: Any) -> bool:
    """Whether a column of a new table is a given table's column, row for row (a selection, not a result)."""
    for value in before.values():
        if isinstance(value, pd.DataFrame) and column in value.columns and table.index.isin(value.index).all():
            with contextlib.suppress(Exception):
                if value[column].reindex(table.index).equals(table[column]):
                    return True
    return False


def _changed(before: dict[str, Any], after: dict[str, Any], name: str) -> Any:
    """What the answer cell made of ``name``: the new value, the new or changed columns, or None."""
    if name not in after or name.startswith("_"):
        return None
    new = after[name]
    if name not in before:
        if isinstance(new, pd.DataFrame):  # rows picked from a given table: only the columns it computed count
            cols = [c for c in new.columns if not _copied(before, new, c)]
            return new[cols] if cols else None
        return new
    old = before[name]
    if isinstance(new, pd.DataFrame) and isinstance(old, pd.DataFrame) and new.index.equals(old.index):
        cols = [c for c in new.columns if c not in old.columns or not new[c].equals(old[c])]
        return new[cols] if cols else None
    return None if _equal(old, new) else new


SPAN = re.compile(r"`([^`\n]+)`")


def _given_expression(span: str, given: set[str]) -> bool:
    """Whether a code span of a prompt is an expression over given names only (``probe(src)["fps"]``), not a bare
    name or value (``ratio``: a column the answer makes, or a name the check may reuse for anything)."""
    try:
        node = ast.parse(span, mode="eval").body
    except SyntaxError:
        return False
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    return not isinstance(node, ast.Name | ast.Constant) and bool(names) and names <= given


def _prompt_reads(shown: str, prompt: str, given: set[str]) -> set[str]:
    """The expressions over given names the question's prompt spells out in backticks, and the names the visible
    part assigns them to (a name stored anywhere else is not an input)."""
    spans = {span.strip() for span in SPAN.findall(prompt) if _given_expression(span.strip(), given)}
    tree = ast.parse(shown)
    reads: Counter[str] = Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
            pairs = (list(zip(target.elts, value.elts, strict=True))
                     if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple)
                     and len(target.elts) == len(value.elts) else [(target, value)])
            reads.update(t.id for t, v in pairs
                         if isinstance(t, ast.Name) and (ast.get_source_segment(shown, v) or "").strip() in spans)
    stores = Counter(n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
    return spans | {name for name, n in reads.items() if stores[name] == n}


def _run(source: str, ns: dict[str, Any]) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, "<cell>", "exec"), ns)


def probe_assignment(aid: str, workdir: Path) -> list[str]:
    """The visible expressions of ``aid``'s test cells that compute what the answer cell produced."""
    nb = read(ROOT / "solutions" / aid / f"{aid}.ipynb")
    ns: dict[str, Any] = {"__name__": "__main__"}
    found: list[str] = []
    before: dict[str, Any] | None = None
    given: list[str] = []
    prompt: list[str] = []  # the question's markdown since the last test cell
    old = Path.cwd()
    os.chdir(workdir)
    try:
        for cell in nb["cells"]:
            kind, text = _kind(cell), _src(cell)
            if kind == "markdown":
                prompt.append(text)
                continue
            if not text.strip():
                continue
            if kind == "answer":
                if before is None:
                    before = _snapshot(ns)
                _run(SOLUTION.sub("", text), ns)
                continue
            if kind == "code":
                _run(text, ns)
                if before is not None:
                    given.append(text)
                continue
            shown = visible(text)
            if before is not None:
                loaded, _ = _names(hidden(text) if hidden(text).strip() else shown)
                _, stored = _names(shown)
                answers = {name: part for name in sorted(loaded - stored)
                           if (part := _changed(before, ns, name)) is not None}
                found += [f"{aid} {cell['metadata']['nbgrader']['grade_id']}: {line}"
                          for line in _reveals(shown, before, given, answers, "\n".join(prompt))]
            _run(shown, ns)
            before, given, prompt = None, [], []
    finally:
        os.chdir(old)
    return found


def _reveals(shown: str, before: dict[str, Any], given: list[str], answers: dict[str, Any],
             prompt: str = "") -> list[str]:
    seen: list[tuple[str, str, Any]] = []
    inputs = _prompt_reads(shown, prompt, set(before))

    def probe(items: list[tuple[str, str, Any]]) -> None:
        for segment, kind, thunk in items:
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    seen.append((segment, kind, thunk()))
            except BaseException:
                pass

    ns = _snapshot(before)
    given_names = set(ns)
    for text in given:
        with contextlib.suppress(Exception):
            _run(text, ns)
    ns["__probe__"] = probe
    tree = ast.fix_missing_locations(_Probe(shown).visit(ast.parse(shown)))
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(tree, "<visible>", "exec"), ns)
    out = []
    for segment, kind, value in seen:
        if segment in given_names or segment.strip() in inputs:
            continue  # a value the student was given (BUDGET) or the prompt spells out, not one the check computes
        if kind == "Attribute" and isinstance(value, str):
            continue  # a label read off a given object (p.name in a loop over programs), not computed
        for name, answer in answers.items():
            if reveals(answer, value):
                out.append(f"«{segment.splitlines()[0][:90]}» computes {name}")
                break
    return sorted(set(out))


@pytest.mark.parametrize("aid", IDS)
def test_visible_part_does_not_compute_the_answer(aid, tmp_path) -> None:
    found = probe_assignment(aid, tmp_path)
    assert not found, "the visible checks compute the answer in the open:\n" + "\n".join(found)


HOLE = "\x00"  # a placeholder of an f-string or of str.format: matches any text


def _strings(source: str) -> list[str]:
    """The message templates written in a source, placeholders as HOLE."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append(re.sub(r"\{[^{}]*\}", HOLE, node.value))
        elif isinstance(node, ast.JoinedStr):
            out.append("".join(v.value if isinstance(v, ast.Constant) else HOLE for v in node.values))
    return out


def _shows(template: str, hint: str) -> bool:
    """Whether ``hint`` is a piece of some text the template prints (a HOLE stands for any text)."""
    if HOLE not in template:
        return hint in template
    # reach[j]: hint[:j] is matched, ending at the current place of the template
    reach = [True] + [False] * len(hint)
    for ch in template:
        if ch == HOLE:
            for j in range(1, len(hint) + 1):
                reach[j] = reach[j] or reach[j - 1]
        else:
            reach = [True] + [reach[j - 1] and hint[j - 1] == ch for j in range(1, len(hint) + 1)]
        if reach[-1]:
            return True
    return reach[-1]


@pytest.mark.parametrize("aid", IDS)
def test_each_hint_is_in_the_visible_part(aid) -> None:
    nb = read(ROOT / "solutions" / aid / f"{aid}.ipynb")
    shown = {cell["metadata"]["nbgrader"]["grade_id"]: _strings(visible(_src(cell)))
             for cell in nb["cells"] if _kind(cell) == "test"}
    spec = yaml.safe_load((ROOT / "tests" / "submissions" / f"{aid}.yaml").read_text(encoding="utf-8"))
    library = [t for p in sorted((ROOT / "src" / "smmkit").rglob("*.py")) for t in _strings(p.read_text("utf-8"))]
    missing = [(sub["name"], sub["validate"]) for sub in spec["submissions"]
               if not any(_shows(t, sub["validate"]) for cell in sub["expected"] for t in shown.get(cell, []))
               and not any(_shows(t, sub["validate"]) for t in library)]
    assert not missing, f"{aid}: hints not written in the visible part of a cell they lose points on: {missing}"
