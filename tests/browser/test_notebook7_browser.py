"""The course in Notebook 7 (the classic-looking UI built on JupyterLab 4) in headless Chromium, via Playwright.

The same checks as ``test_lab_browser.test_lesson_runs_in_browser``, in the other interface a student may open:
``/notebooks/<path>`` on the same Jupyter server (``jupyter lab`` also serves Notebook 7's pages). Every lesson runs
through Run › Run All Cells (a sample of lessons that together build every course widget and a plain chart:
``notebook7_sample``) without an error, its plotly charts are drawn, its widgets are rendered (not shown as
«Error displaying widget») and nothing is requested from the internet. Notebook 7 shows the notebook in the same
``NotebookPanel`` widget as Lab (same toolbar items, prompts and output classes), so the Lab module's page checks
and helpers are reused; only the page to open differs. Screenshots: ``artifacts/browser/nb7-<lesson>.png``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from .conftest import ROOT, LabServer, browser_skip_reason

_SKIP = browser_skip_reason()
if _SKIP:
    pytest.skip(_SKIP, allow_module_level=True)

from .test_lab_browser import (  # noqa: E402  (only once the skip above has not fired)
    JS_KERNEL_READY,
    KERNEL_TIMEOUT,
    LESSONS,
    LabDriver,
    NotebookPage,
    assert_lesson_drawn,
)

# A page load can stall on a loaded 2-core machine: one rerun, and a real breakage still fails twice.
pytestmark = [pytest.mark.browser, pytest.mark.flaky(reruns=1, reruns_delay=2)]


def _known_upstream(error: Any) -> bool:
    """A page-load error of Notebook 7.6 itself, not of the course: the keyboard-shortcuts handler in Notebook's
    bundle (notebook_core) reacts to the settings registry's pluginChanged for a plugin whose settings it cannot
    find and throws ``TypeError: Cannot read properties of undefined (reading 'schema')``. It is thrown on every
    Notebook 7 page of this server (/tree and an empty notebook too), never in JupyterLab, and does not stop the
    notebook from running. Only this error, thrown from that bundle, is let through; any other still fails.
    """
    stack = getattr(error, "stack", None) or ""
    return "reading 'schema'" in str(error) and "/static/notebook/notebook_core." in stack


class Notebook7Driver(LabDriver):
    """LabDriver on Notebook 7's pages: one notebook per tab at /notebooks/<path>; running and saving are shared."""

    def open(self, path: str, wait_for: str | None = None) -> NotebookPage:
        page = self.context.new_page()
        tab = NotebookPage(path, page)
        page.on("request", lambda request: tab.requests.append(request.url))
        page.on("websocket", lambda socket: tab.requests.append(socket.url))
        page.on("pageerror", lambda error: _known_upstream(error) or tab.errors.append(f"uncaught: {error}"))
        page.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
        page.goto(self.server.url(f"/notebooks/{quote(path)}"))
        if wait_for:
            page.wait_for_selector(wait_for, timeout=KERNEL_TIMEOUT * 1000)
        else:
            page.wait_for_function(JS_KERNEL_READY, timeout=KERNEL_TIMEOUT * 1000)
        return tab


@pytest.fixture(scope="module")
def nb7(lab_server: LabServer, browser_context: Any) -> Iterator[Notebook7Driver]:
    yield Notebook7Driver(lab_server, browser_context)


def shown_kinds(path: str) -> set[str]:
    """What a lesson asks the browser to render: each course widget class it builds (imported from
    ``smmkit.widgets`` and called) and «chart» when it draws a figure of its own."""
    cells = json.loads((ROOT / path).read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    names = {n.strip() for group in re.findall(r"from smmkit\.widgets[\w.]* import ([\w, ]+)", source)
             for n in group.split(",")}
    kinds = {n for n in names if n[:1].isupper() and re.search(rf"\b{n}(?:\.\w+)?\(", source)}
    if re.search(r"\bpx\.\w+\(|\bgo\.Figure\(|\bplots\.\w+\(|_heatmap\(|_figure\(", source):
        kinds.add("chart")
    return kinds


def notebook7_sample(lessons: list[str]) -> list[str]:
    """The fewest lessons (greedy) that together render every kind any lesson renders, in course order.

    Notebook 7 shows a notebook in the same panel, with the same renderers and widget manager as Lab, where every
    lesson runs (test_lab_browser); here each course widget and a plain chart are drawn once in Notebook 7's
    page, so a new module adds a run only when it brings a new widget.
    """
    kinds = {path: shown_kinds(path) for path in lessons}
    missing, chosen = set().union(*kinds.values()), []
    while missing:
        best = max(lessons, key=lambda p: (len(kinds[p] & missing), -lessons.index(p)))
        chosen.append(best)
        missing -= kinds[best]
    return sorted(chosen)


NB7_LESSONS = notebook7_sample(LESSONS)


def test_the_sample_renders_every_kind() -> None:
    everything = set().union(*(shown_kinds(p) for p in LESSONS))
    assert {"PostingTimeLab", "ContentPlanExplorer", "chart"} <= everything
    assert set().union(*(shown_kinds(p) for p in NB7_LESSONS)) == everything


@pytest.mark.parametrize("path", NB7_LESSONS, ids=[Path(p).stem for p in NB7_LESSONS])
def test_lesson_runs_in_notebook7(nb7: Notebook7Driver, path: str) -> None:
    """Notebook 7, Run › Run All Cells: no error, every chart drawn, every widget rendered, nothing external."""
    tab = nb7.open(path)
    try:
        # Notebook 7's notebook page marks its body data-notebook="notebooks" (JupyterLab's does not).
        shell = tab.page.evaluate("() => document.body.dataset.notebook")
        assert shell == "notebooks", f"{path}: not Notebook 7's notebook page: {tab.page.url} ({shell!r})"
        assert_lesson_drawn(tab, path, nb7.run_all(tab), f"nb7-{Path(path).stem}.png")
    finally:
        nb7.close(tab)
