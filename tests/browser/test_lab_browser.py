"""The course in a real browser: JupyterLab 4 in headless Chromium, driven by Playwright.

What a student sees is checked here, not what a kernel returns (nbval covers that):

* a sample of lessons (``lab_sample``: every lesson that builds a course widget, and the first lesson of each
  module that builds none) runs through Run › Run All Cells without an error, its plotly charts are drawn and its
  widgets are rendered (not shown as text), and nothing is requested from the internet. nbval runs every lesson's
  code; tests/test_notebook_hygiene.py checks statically that no lesson's text loads anything from outside;
  what a browser adds (renderers, the widget manager, each module's kinds of output) the sample covers;
* the posting-time lab reacts in the browser: moving the slider with the keyboard and switching the account
  redraw the summary and the heatmap, exactly as the Python widget computes them; so do the bot-rule tuner
  (02.05: the account dropdown) and the seeding planner (03.05: the ranking toggle buttons);
* nbgrader's Validate button on the untouched student notebook reports the failing checks.

Screenshots go to ``artifacts/browser/``. Fixtures (server, browser) are in ``conftest.py``; without Chromium or
Playwright the whole module is skipped with one message.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import pytest

from .conftest import ARTIFACTS, ROOT, LabServer, browser_skip_reason

_SKIP = browser_skip_reason()
if _SKIP:
    pytest.skip(_SKIP, allow_module_level=True)

# A page load can stall on a loaded 2-core machine: one rerun, and a real breakage still fails twice.
pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=1, reruns_delay=2)]

LESSONS = sorted(
    path.relative_to(ROOT).as_posix()
    for path in (ROOT / "course").glob("**/*.ipynb")
    if ".ipynb_checkpoints" not in path.parts
)


def _builds_widget(path: str) -> bool:
    """The lesson constructs one of the course widgets that ``WIDGET_PARTS`` knows how to find on the page."""
    cells = json.loads((ROOT / path).read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return any(re.search(rf"\b{name}(?:\.from_\w+)?\(", source) for name in WIDGET_PARTS)


def lab_sample(lessons: list[str]) -> list[str]:
    """The lessons run in the browser: each one that builds a course widget (what only a browser can draw), and
    in each module folder the first lesson that builds none (its plain charts, tables and images, drawn once per
    module). A new module adds its lab and one plain lesson, not all its lessons."""
    chosen = [path for path in lessons if _builds_widget(path)]
    for folder in sorted({Path(path).parent for path in lessons}):
        plain = [path for path in lessons if Path(path).parent == folder and path not in chosen]
        chosen += plain[:1]
    return sorted(chosen)


LAB_LESSON = "course/01-autoposting/01.04-lab-posting-time.ipynb"
BOT_LESSON = "course/02-promotion/02.05-lab-bots.ipynb"
SEEDING_LESSON = "course/03-partners/03.05-lab-seeding.ipynb"
KEPT = (LAB_LESSON, BOT_LESSON, SEEDING_LESSON)
"""Lessons whose page the lesson test keeps open for the lab interaction test after it."""
ASSIGNMENT = "assignments/a01-posting-schedule/a01-posting-schedule.ipynb"

PER_WEEK = "Публикаций в неделю"
GAP = "Мин. интервал"
SCHEDULE = re.compile(r"Расписание на неделю \((\d+)\)")

KERNEL_TIMEOUT = 60  # s: page load, kernel start
RUN_TIMEOUT = 60  # s: Run All of one lesson (README: a lesson runs in under 20 s)
RENDER_TIMEOUT = 30  # s: widgets and charts drawn, a widget update round trip

PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
DRAWN_PLOT = ".js-plotly-plot:has(.main-svg)"

# What each course widget shows once rendered: CSS selector -> how many at least, per construction in the lesson.
WIDGET_PARTS: dict[str, dict[str, int]] = {
    "PostingTimeLab": {".widget-dropdown": 1, ".widget-slider": 2, f".jupyter-widgets {DRAWN_PLOT}": 1},
    "ContentPlanExplorer": {".widget-dropdown": 2, ".widget-select-multiple": 1},
    "ContentPlanEditor": {".widget-dropdown": 3, ".widget-textarea": 1, ".widget-tab": 1},
    "UploadPreview": {".widget-dropdown": 2, ".widget-toggle-buttons": 1, ".widget-checkbox": 2},
    "BudgetPlanner": {".widget-slider": 4, ".widget-button": 2, f".jupyter-widgets {DRAWN_PLOT}": 1},
    "KpiDashboard": {".widget-dropdown": 2, f".jupyter-widgets {DRAWN_PLOT}": 1},
    "AudienceExplorer": {".widget-dropdown": 1, ".widget-toggle-buttons": 2, ".widget-select-multiple": 3,
                         ".widget-slider": 2, f".jupyter-widgets {DRAWN_PLOT}": 2},
    "EngagementLab": {".widget-dropdown": 4, ".widget-toggle-buttons": 3, ".widget-tab": 1},
    "BotRuleTuner": {".widget-dropdown": 1, ".widget-slider": 7, f".jupyter-widgets {DRAWN_PLOT}": 1},
    "SeedingPlanner": {".widget-dropdown": 1, ".widget-slider": 3, ".widget-toggle-buttons": 1,
                       ".widget-select-multiple": 2, ".widget-checkbox": 1, f".jupyter-widgets {DRAWN_PLOT}": 1},
    "MediaPreview": {".widget-dropdown": 3, ".widget-image": 1},
}

BROWSER_LESSONS = lab_sample(LESSONS)

T = TypeVar("T")

# ---------------------------------------------------------------------------------------------------- page JS
# JupyterLab 4 renders an `error` output exactly like a stderr stream: `.jp-RenderedText.jp-OutputArea-output`
# with data-mime-type="application/vnd.jupyter.stderr" (the model's `application/vnd.jupyter.error` entry has no
# renderer). Only the text tells them apart: a traceback ends with the line "SomeError: message". Warnings end
# with "...Warning: message" and pass. The exact check is the saved notebook's `output_type == "error"`.
JS_TRACEBACKS = r"""() => [...document.querySelectorAll(
    '.jp-NotebookPanel .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
  .map(e => e.textContent)
  .filter(t => /Traceback \(most recent call last\)|^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b/m.test(t))"""

# The kernel is up: the toolbar's indicator says idle *and* a kernel is attached (before the session starts the
# indicator also shows idle, next to "No Kernel"; then initializing → connecting → unknown → idle).
JS_KERNEL_READY = """() => {
  const status = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')?.dataset.status;
  const kernel = (document.querySelector('.jp-NotebookPanel .jp-KernelName')?.textContent ?? '').trim();
  return status === 'idle' && kernel !== '' && !kernel.includes('No Kernel');
}"""

JS_IDLE = """() => document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')
  ?.dataset.status === 'idle'"""

JS_PROMPTS = """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-CodeCell')]
  .map(c => (c.querySelector('.jp-InputArea-prompt')?.textContent ?? '').trim())"""

# Run All finished: all code cells are attached (Lab attaches off-screen cells lazily), none is queued or running
# ([*]), the kernel is idle, and the first cell with code ran in this kernel: [1]. (Cells kept with their output
# for nbval store the count 1 too, but Run All marks every cell [*] within the click, before the first poll.)
JS_RUN_FINISHED = """([count, first]) => {
  const cells = [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-CodeCell')];
  if (cells.length !== count) return false;
  const prompts = cells.map(c => (c.querySelector('.jp-InputArea-prompt')?.textContent ?? '').trim());
  const status = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')?.dataset.status;
  return status === 'idle' && !prompts.some(p => p.includes('*')) && prompts[first] === '[1]:';
}"""

JS_COUNT = """(selectors) => Object.fromEntries(selectors.map(
  s => [s, document.querySelectorAll('.jp-NotebookPanel ' + s).length]))"""

JS_WIDGET_FAILURES = """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output')]
  .map(e => e.textContent)
  .filter(t => /Error displaying widget|Loading widget\\.\\.\\./.test(t))"""

# The posting-time lab as the browser shows it: control values, summary text, and the heatmap both as plotly.js
# holds it (gd.data / gd.layout of the graph div) and as drawn in the SVG.
JS_READ_LAB = """(root, [perWeekLabel, gapLabel]) => {
  const plot = root.querySelector('.js-plotly-plot');
  const slider = (label) => [...root.querySelectorAll('.widget-slider')]
    .find(s => (s.querySelector('.widget-label')?.textContent ?? '').includes(label))?.querySelector('.noUi-handle');
  const summary = [...root.querySelectorAll('.widget-html-content')].map(e => e.textContent)
    .find(t => t.includes('Расписание')) ?? '';
  const stars = plot?.data?.[1];
  return {
    account: root.querySelector('.widget-dropdown select')?.value ?? null,
    accounts: [...root.querySelectorAll('.widget-dropdown select option')].map(o => o.value),
    perWeek: Number(slider(perWeekLabel)?.getAttribute('aria-valuenow')),
    perWeekRange: [Number(slider(perWeekLabel)?.getAttribute('aria-valuemin')),
                   Number(slider(perWeekLabel)?.getAttribute('aria-valuemax'))],
    gap: Number(slider(gapLabel)?.getAttribute('aria-valuenow')),
    summary: summary.replace(/\\s+/g, ' ').trim(),
    title: plot?.layout?.title?.text ?? null,
    drawnTitle: plot?.querySelector('.gtitle')?.textContent ?? null,
    stars: stars ? Array.from(stars.x, (x, i) => [String(x), String(stars.y[i])]) : [],
    drawnStars: plot ? plot.querySelectorAll('.scatterlayer .point').length : 0,
  };
}"""


# ---------------------------------------------------------------------------------------------------- helpers
def wait_until(check: Callable[[], T], timeout: float, what: Callable[[], str] | str) -> T:
    """Poll check() until it returns something truthy; fail with `what` (the last state) after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s: {what() if callable(what) else what}")
        time.sleep(0.1)


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost")


def _text(fragment: str) -> str:
    """HTML as the browser's textContent shows it, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def _code_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _shot(page: Any, name: str, top: Any = None, idle: bool = True) -> str:
    """Screenshot the page into artifacts/browser/, with `top` (a locator) scrolled to the top of the notebook."""
    if idle:  # let the kernel finish, so that the status bar says Idle
        page.wait_for_function(JS_IDLE, timeout=RENDER_TIMEOUT * 1000)
    if top is not None:
        top.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(ARTIFACTS / name))
    return name


@dataclass
class NotebookPage:
    """A notebook open in its own browser tab, with what the tab requested and logged."""

    path: str
    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """No request left the machine, and the page logged no JavaScript error."""
        assert any(_is_local(url) for url in self.requests), "no request was recorded: the recorder is broken"
        foreign = sorted({url for url in self.requests if not _is_local(url)})
        assert not foreign, f"{self.path}: the page requested hosts other than 127.0.0.1: {foreign}"
        assert not self.errors, f"{self.path}: JavaScript errors in the page: {self.errors}"


def open_menu_with(page: Any, command: str) -> None:
    """Open the menu bar's menu that holds the item of `command`, whatever language the Lab's labels are in."""
    items = page.locator(".lm-MenuBar-item")
    for i in range(items.count()):
        items.nth(i).click()
        if page.locator(f'.lm-Menu-item[data-command="{command}"]').count():
            return
        page.keyboard.press("Escape")
    raise AssertionError(f"no menu of the menu bar holds the command {command}")


class LabDriver:
    """Opens notebooks of the served course copy in tabs of the module's browser and runs them."""

    def __init__(self, server: LabServer, context: Any) -> None:
        self.server, self.context = server, context
        self._workspaces = itertools.count(1)
        self.kept: dict[str, NotebookPage] = {}  # ran lessons kept open for a later test (the lab interaction)

    def open(self, path: str, wait_for: str | None = None) -> NotebookPage:
        """Open path in a new tab; wait for its kernel to be idle, or only for the selector `wait_for`."""
        page = self.context.new_page()
        tab = NotebookPage(path, page)
        page.on("request", lambda request: tab.requests.append(request.url))
        page.on("websocket", lambda socket: tab.requests.append(socket.url))
        page.on("pageerror", lambda error: tab.errors.append(f"uncaught: {error}"))
        page.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
        # A fresh workspace per tab: Lab does not reopen the notebooks of earlier tests.
        page.goto(self.server.url(f"/lab/workspaces/test{next(self._workspaces)}/tree/{quote(path)}"))
        if wait_for:
            page.wait_for_selector(wait_for, timeout=KERNEL_TIMEOUT * 1000)
        else:
            page.wait_for_function(JS_KERNEL_READY, timeout=KERNEL_TIMEOUT * 1000)
        return tab

    def close(self, tab: NotebookPage) -> None:
        tab.page.close()  # unsaved changes do not stop it: Playwright skips beforeunload
        self.server.shutdown_kernels(tab.path)

    def notebook(self, path: str) -> dict:
        return json.loads((self.server.root / path).read_text(encoding="utf-8"))

    def run_all(self, tab: NotebookPage) -> dict:
        """Run › Run All Cells, wait until it finishes, save the notebook; return the saved notebook."""
        code = _code_cells(self.notebook(tab.path))
        filled = [i for i, cell in enumerate(code) if _source(cell).strip()]
        page = tab.page
        # The menus as a student uses them. Menu and item are found by the item's command, not by their labels:
        # the Lab speaks Russian by default (Run › Run All Cells is «Выполнить › Запустить все ячейки»).
        open_menu_with(page, "runmenu:run-all")
        page.click('.lm-Menu-item[data-command="runmenu:run-all"]')
        page.wait_for_function(JS_RUN_FINISHED, arg=[len(code), filled[0] if filled else 0],
                               timeout=RUN_TIMEOUT * 1000)
        prompts = page.evaluate(JS_PROMPTS)
        # Save the copy and read it back: the saved outputs are the exact record of errors and of what to render.
        page.click('.jp-NotebookPanel-toolbar [data-jp-item-name="save"] jp-button')
        first = filled[0] if filled else None

        def saved() -> dict | None:
            try:
                notebook = self.notebook(tab.path)
            except ValueError:  # the server rewrites the file in place: it may be caught half written
                return None
            return notebook if first is None or _code_cells(notebook)[first].get("execution_count") == 1 else None

        saved_notebook = wait_until(saved, RENDER_TIMEOUT, f"{tab.path} was not saved")
        errors = [
            f"cell {_source(cell).strip().splitlines()[0][:70]!r}: {output.get('ename')}: {output.get('evalue')}"
            for cell in _code_cells(saved_notebook) for output in cell.get("outputs", [])
            if output.get("output_type") == "error"
        ]
        shown = page.evaluate(JS_TRACEBACKS)
        assert not errors and not shown, (
            f"{tab.path}: errors while running in the browser: {errors}\nTracebacks on the page: "
            + "\n---\n".join(text[-1500:] for text in shown)
        )
        expected, n = [], 0
        for i in range(len(code)):
            n += i in filled
            expected.append(f"[{n}]:" if i in filled else "[ ]:")
        assert prompts == expected, f"{tab.path}: Run All did not execute every cell in order: {prompts}"
        return saved_notebook


@pytest.fixture(scope="module")
def lab(lab_server: LabServer, browser_context: Any) -> Iterator[LabDriver]:
    driver = LabDriver(lab_server, browser_context)
    yield driver
    for tab in driver.kept.values():
        driver.close(tab)


def _expected_parts(notebook: dict) -> dict[str, int]:
    """Selector -> minimal count on the page after Run All, from the saved outputs and the widgets constructed."""
    code = _code_cells(notebook)
    outputs = [output for cell in code for output in cell.get("outputs", [])]
    parts = {
        f".jp-RenderedPlotly{DRAWN_PLOT}": sum(PLOTLY_MIME in output.get("data", {}) for output in outputs),
        ".jp-OutputArea-output > .jupyter-widgets": sum(WIDGET_MIME in output.get("data", {}) for output in outputs),
    }
    plots = parts[f".jp-RenderedPlotly{DRAWN_PLOT}"]
    source = "\n".join(_source(cell) for cell in code)
    for widget, selectors in WIDGET_PARTS.items():
        built = len(re.findall(rf"\b{widget}(?:\.from_\w+)?\(", source))
        for selector, count in selectors.items():
            parts[selector] = parts.get(selector, 0) + built * count
        plots += built * selectors.get(f".jupyter-widgets {DRAWN_PLOT}", 0)
    parts[DRAWN_PLOT] = plots  # every chart, plain figures and FigureWidgets
    return {selector: count for selector, count in parts.items() if count}


def assert_lesson_drawn(tab: NotebookPage, path: str, saved: dict, shot: str) -> None:
    """After Run All: every chart and widget the saved notebook promises is drawn, no widget failed, nothing
    went wrong on the page; a screenshot ``shot`` shows the last chart or widget (or the top when none)."""
    parts = _expected_parts(saved)
    counts: dict[str, int] = {}

    def rendered() -> bool:
        counts.update(tab.page.evaluate(JS_COUNT, list(parts)))
        return all(counts[selector] >= n for selector, n in parts.items())

    wait_until(rendered, RENDER_TIMEOUT,
               lambda: f"{path}: not everything was drawn; expected at least {parts}, found {counts}")
    assert not tab.page.evaluate(JS_WIDGET_FAILURES), f"{path}: a widget failed to display"
    last = tab.page.locator(".jp-OutputArea-output > .jupyter-widgets, .jp-RenderedPlotly").last
    _shot(tab.page, shot, last if parts else None)
    tab.assert_clean()


# ---------------------------------------------------------------------------------------------------- tests
def test_the_sample_builds_every_widget_and_visits_every_module() -> None:
    sample = BROWSER_LESSONS
    assert set(KEPT) <= set(sample)
    assert [p for p in LESSONS if _builds_widget(p)] == [p for p in sample if _builds_widget(p)]
    assert {Path(p).parent for p in sample} == {Path(p).parent for p in LESSONS}
    assert len(sample) < len(LESSONS)


@pytest.mark.parametrize("path", BROWSER_LESSONS, ids=[Path(p).stem for p in BROWSER_LESSONS])
def test_lesson_runs_in_browser(lab: LabDriver, path: str) -> None:
    """Run › Run All Cells: no error, every chart drawn, every widget rendered, nothing fetched from outside."""
    tab = lab.open(path)
    try:
        assert_lesson_drawn(tab, path, lab.run_all(tab), f"lesson-{Path(path).stem}.png")
    except BaseException:
        lab.close(tab)
        raise
    if path in KEPT:
        lab.kept[path] = tab  # the lab's interaction test continues on this page: no second load and run
    else:
        lab.close(tab)


@pytest.fixture(scope="module")
def lab_oracle(lab_server: LabServer) -> Any:
    """The posting-time lab built in this process from the same data: what the browser must show."""
    from smmkit import datasets
    from smmkit.widgets import PostingTimeLab

    data = lab_server.root / "datasets"
    return PostingTimeLab(*(datasets.load(name, root=data) for name in ("audience_activity", "posts", "accounts")))


def _expected_view(oracle: Any, account_label: str, per_week: int, gap: int) -> dict[str, Any]:
    oracle.account.value = dict(oracle.account.options)[account_label]
    oracle.per_week.value, oracle.gap.value = per_week, gap
    stars = oracle.figure.data[1]
    return {
        "summary": _text(oracle.summary.value),
        "title": oracle.figure.layout.title.text,
        "stars": [[str(x), str(y)] for x, y in zip(stars.x, stars.y, strict=True)],
    }


def test_posting_time_lab_reacts(lab: LabDriver, lab_oracle: Any) -> None:
    """01.04: the slider (keyboard) and the account dropdown redraw the summary and the heatmap in the browser."""
    kept = lab.kept.pop(LAB_LESSON, None)
    tab = kept or lab.open(LAB_LESSON)
    page = tab.page
    try:
        if kept is None:  # the lesson test did not run before (-k, or it failed): run the lesson here
            lab.run_all(tab)
        root = page.locator(".jp-OutputArea-output").filter(
            has=page.locator(".widget-slider", has_text=PER_WEEK)).first
        root.wait_for(timeout=RENDER_TIMEOUT * 1000)
        state: dict[str, Any] = {}

        def read() -> dict[str, Any]:
            return root.evaluate(JS_READ_LAB, [PER_WEEK, GAP])

        def shows(expected: dict[str, Any]) -> Callable[[], bool]:
            def check() -> bool:
                state.clear()
                state.update(read())
                return (state["summary"] == expected["summary"] and state["title"] == expected["title"]
                        and state["drawnTitle"] == expected["title"] and state["stars"] == expected["stars"]
                        and state["drawnStars"] == len(expected["stars"]))
            return check

        def mismatch(expected: dict[str, Any]) -> Callable[[], str]:
            return lambda: f"the lab in the browser does not show what the widget computes:\n{state}\n!=\n{expected}"

        def drawn() -> dict[str, Any] | None:
            now = read()
            return now if now["drawnStars"] else None

        start = wait_until(drawn, RENDER_TIMEOUT, "the lab's heatmap is not drawn")
        before = _expected_view(lab_oracle, start["account"], start["perWeek"], start["gap"])
        wait_until(shows(before), RENDER_TIMEOUT, mismatch(before))
        _shot(page, "lab-01.04-before.png", root)

        # The slider has continuous_update=False: a mouse drag sends its value on release only. The keyboard is
        # different: noUiSlider fires its "change" event on every arrow key press, so each press reaches the
        # kernel. Three presses away from the nearer end of the range.
        low, high = start["perWeekRange"]
        key, step = ("ArrowLeft", -1) if start["perWeek"] - 3 >= low else ("ArrowRight", 1)
        target = start["perWeek"] + 3 * step
        assert low <= target <= high
        handle = root.locator(".widget-slider", has_text=PER_WEEK).locator(".noUi-handle")
        handle.focus()
        for _ in range(3):
            page.keyboard.press(key)
        moved = _expected_view(lab_oracle, start["account"], target, start["gap"])
        wait_until(shows(moved), RENDER_TIMEOUT, mismatch(moved))
        after_slider = dict(state)
        slots_before = int(SCHEDULE.search(start["summary"]).group(1))
        slots_after = int(SCHEDULE.search(after_slider["summary"]).group(1))
        assert after_slider["perWeek"] == target
        assert slots_after != slots_before, f"«Расписание на неделю» still lists {slots_before} slots"
        assert after_slider["drawnStars"] == slots_after and after_slider["stars"] != start["stars"]
        _shot(page, "lab-01.04-after-slider.png", root)

        other = next(label for label in start["accounts"] if label != start["account"])
        root.locator(".widget-dropdown select").select_option(value=other)
        switched = _expected_view(lab_oracle, other, target, start["gap"])
        wait_until(shows(switched), RENDER_TIMEOUT, mismatch(switched))
        assert state["title"] != after_slider["title"] and other in state["drawnTitle"]
        _shot(page, "lab-01.04-after-account.png", root)
        tab.assert_clean()
    finally:
        lab.close(tab)


JS_LAB_TEXT = """(root, marker) => {
  const summary = [...root.querySelectorAll('.widget-html-content')].map(e => e.textContent)
    .find(t => t.includes(marker)) ?? '';
  const plot = root.querySelector('.js-plotly-plot');
  return {summary: summary.replace(/\\s+/g, ' ').trim(), title: plot?.layout?.title?.text ?? null,
          drawnTitle: plot?.querySelector('.gtitle')?.textContent ?? null,
          traces: plot ? plot.querySelectorAll('.trace').length : 0};
}"""


def _lab_page(lab: LabDriver, path: str) -> NotebookPage:
    """The lesson's page after Run All: kept by the lesson test, or opened and run here."""
    kept = lab.kept.pop(path, None)
    tab = kept or lab.open(path)
    if kept is None:
        lab.run_all(tab)
    return tab


def _assert_lab_reacts(tab: NotebookPage, marker: str, has: str, act: Callable[[Any], None], oracle: Any,
                       shot: str) -> None:
    """The lab's summary (the widget HTML containing ``marker``) and its chart title first show the oracle's
    defaults; after ``act(root)`` (a control used as a student uses it) they show the oracle's new values."""
    page = tab.page
    root = page.locator(".jp-OutputArea-output").filter(has=page.locator(has)).filter(has_text=marker).first
    root.wait_for(timeout=RENDER_TIMEOUT * 1000)
    state: dict[str, Any] = {}

    def shows() -> bool:
        state.clear()
        state.update(root.evaluate(JS_LAB_TEXT, marker))
        return (state["summary"] == _text(oracle.summary.value) and state["title"] == oracle.figure.layout.title.text
                and state["drawnTitle"] == oracle.figure.layout.title.text and state["traces"] > 0)

    def mismatch() -> str:
        return (f"the lab in the browser does not show what the widget computes:\n{state}\n!=\n"
                f"{_text(oracle.summary.value)!r}, {oracle.figure.layout.title.text!r}")

    wait_until(shows, RENDER_TIMEOUT, mismatch)
    before = dict(state)
    act(root)
    wait_until(shows, RENDER_TIMEOUT, mismatch)
    assert state["summary"] != before["summary"], "the summary did not change"
    _shot(page, shot, root)
    tab.assert_clean()


def test_bot_tuner_reacts(lab: LabDriver, lab_server: LabServer) -> None:
    """02.05: switching the account redraws the bot tuner's summary and chart as the Python widget computes."""
    from smmkit import datasets
    from smmkit.widgets import BotRuleTuner

    oracle = BotRuleTuner(datasets.load("followers_audit", root=lab_server.root / "datasets"))
    tab = _lab_page(lab, BOT_LESSON)
    try:
        def act(root: Any) -> None:
            root.locator(".widget-dropdown select").select_option(value="ds_ig")
            oracle.account.value = "ds_ig"

        _assert_lab_reacts(tab, "Помечено ботами", ".widget-slider", act, oracle, "lab-02.05-after-account.png")
    finally:
        lab.close(tab)


def test_seeding_planner_reacts(lab: LabDriver, lab_server: LabServer) -> None:
    """03.05: ranking by subscribers (a toggle button) redraws the planner's summary as the Python widget does."""
    from smmkit import datasets
    from smmkit.widgets import SeedingPlanner

    oracle = SeedingPlanner(datasets.load("influencers", root=lab_server.root / "datasets"))
    tab = _lab_page(lab, SEEDING_LESSON)
    try:
        def act(root: Any) -> None:
            root.locator(".widget-toggle-buttons button", has_text="Подписчики").click()
            oracle.goal.value = "subscribers"

        _assert_lab_reacts(tab, "каналов-кандидатов", ".widget-toggle-buttons", act, oracle,
                           "lab-03.05-after-goal.png")
    finally:
        lab.close(tab)


def test_validate_button_reports_failing_checks(lab: LabDriver) -> None:
    """nbgrader's Validate on the untouched student notebook: «Validation Results» lists the failing checks."""
    notebook = lab.notebook(ASSIGNMENT)
    graded = [cell for cell in notebook["cells"] if cell.get("metadata", {}).get("nbgrader", {}).get("grade")]
    assert graded, f"{ASSIGNMENT} has no graded cells"
    validate = ".jp-NotebookPanel-toolbar jp-button.validate-button"
    tab = lab.open(ASSIGNMENT, wait_for=validate)  # nbgrader validates on the server: no need to await the kernel
    try:
        page = tab.page
        page.click(validate)
        dialog = page.locator(".jp-Dialog", has=page.locator(".jp-Dialog-header", has_text="Validation Results"))
        dialog.wait_for(timeout=RUN_TIMEOUT * 1000)
        body = dialog.locator("#validation-message")
        text = body.inner_text()
        assert "validation-failed" in (body.get_attribute("class") or ""), f"validation did not fail:\n{text[:2000]}"
        # Every graded cell fails on the untouched notebook: the autograded tests (the stubs raise
        # NotImplementedError, so the names the tests check are never defined) and the written answers (still
        # «ВАШ ОТВЕТ ЗДЕСЬ»). A graded cell that passes here would give points for an empty submission.
        failed = text.count("The following cell failed")
        assert failed == len(graded), f"{failed} of {len(graded)} graded cells reported as failed:\n{text[:3000]}"
        # The checks first say, in Russian, that the answer's variable was never created (the stub raised).
        stub = re.search(r"NotImplementedError|NameError|не создана", text)
        assert stub, f"no stub error in the report:\n{text[:2000]}"
        _shot(page, "validate-a01-posting-schedule.png", idle=False)
        # The OK button by its role in the dialog, not by its label: the Lab speaks Russian by default («Ок»).
        dialog.locator(".jp-Dialog-footer button.jp-mod-accept").click()
        tab.assert_clean()
    finally:
        lab.close(tab)


def test_lab_is_russian_and_assignment_list_explains_self_study(lab: LabDriver) -> None:
    """The Lab's menus are Russian by default; without an exchange, Nbgrader › Assignment List tells the student
    (in Russian) to open the notebook under assignments/ and press Validate, and what nbgrader's answers mean."""
    # The student notebook, which no test runs and saves: a lesson run earlier in this Lab is stored with its
    # widget outputs, and reopening it logs «widget model not found» (its models lived in the closed page).
    tab = lab.open(ASSIGNMENT, wait_for=".jp-NotebookPanel-toolbar jp-button.validate-button")
    try:
        page = tab.page
        labels = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
        assert "Файл" in labels and "File" not in labels, f"menu bar: {labels}"
        open_menu_with(page, "nbgrader:open-assignment-list")
        page.click('.lm-Menu-item[data-command="nbgrader:open-assignment-list"]')
        released = page.locator("#released_assignments_list_error")
        released.wait_for(state="visible", timeout=RENDER_TIMEOUT * 1000)
        text = released.inner_text()
        for expected in (ASSIGNMENT, "Validate", "Success!", "VALIDATION FAILED", "самостоятельно"):
            assert expected in text, f"{expected!r} not in the Assignment List:\n{text}"
        _shot(page, "assignment-list-self-study.png", idle=False)
        tab.assert_clean()
    finally:
        lab.close(tab)
