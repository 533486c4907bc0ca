"""Markdown a student wrote, made safe for the instructor's formgrader page.

nbgrader's formgrader renders a submission's Markdown cells (the memo of a manually graded question, say) with
nbconvert's ``markdown2html``, which keeps raw HTML and allows ``javascript:`` links, and with MathJax, which
follows ``\\href``. The page runs on the instructor's Jupyter server: a script there acts as the instructor. So a
Markdown cell with anything that could run in a browser is shown as its source text in a code block (which both
Markdown renderers escape), with a Russian line saying why; everything else is left as the student wrote it.

The test is an allow-list (a few formatting tags with ``href``/``title`` and web links), so an unusual but
harmless cell may be shown as source too; nothing is lost, the grader reads the same text.

>>> inert_markdown("Рекомендую **18:00**: охват выше на 12 %.") is None
True
>>> inert_markdown('Подробнее <a href="https://example.kz">здесь</a>, <b>жирно</b>.') is None
True
>>> "```text" in inert_markdown("<img src=x onerror=alert(1)>")
True
>>> inert_markdown("[ссылка](java\\tscript:alert(1))") is not None
True
>>> inert_markdown("если x<5, то ...") is None
True
"""

from __future__ import annotations

import re
from typing import Any

SAFE_TAGS = frozenset(
    "a b i u s em strong code pre kbd sub sup br hr p div span ul ol li dl dt dd table thead tbody tfoot tr th "
    "td caption h1 h2 h3 h4 h5 h6 blockquote del ins small mark details summary".split())
SAFE_ATTRIBUTES = frozenset({"href", "title", "align", "colspan", "rowspan"})
SAFE_SCHEMES = ("http", "https", "mailto")
NOTE = ("*smmkit: в этой ячейке есть HTML или ссылка, которые могли бы выполниться в браузере проверяющего; "
        "ниже показан её исходный текст.*")

_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)([^>]*)>?")
_DECLARATION = re.compile(r"<[!?]")
_ATTRIBUTE = re.compile(r"""([^\s=/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_LINK = re.compile(r"\]\(\s*<?([^)>]*)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_MATHJAX = re.compile(r"\\(href|url|class|cssId|style|html|data|unicode)\b")
_BACKTICKS = re.compile(r"`+")


def safe_url(url: str) -> bool:
    """A web or mail link, a relative path or an anchor; no entities (Markdown decodes them in links).

    >>> [safe_url(u) for u in ("https://kaspi.kz", "#q7", "data.csv", "JavaScript:alert(1)", "&#106;s:x")]
    [True, True, True, False, False]
    """
    url = re.sub(r"[\x00-\x20]", "", url)  # browsers drop tabs, newlines and spaces inside a URL's scheme
    if "&" in url or "\\" in url:
        return False
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    return ":" not in head or head.split(":", 1)[0].lower() in SAFE_SCHEMES


def _safe_tag(match: re.Match[str]) -> bool:
    if match.group(2).lower() not in SAFE_TAGS or not match.group(0).endswith(">"):
        return False
    for name, value in _ATTRIBUTE.findall(match.group(3)):
        if name.lower() not in SAFE_ATTRIBUTES:
            return False
        if name.lower() == "href" and not safe_url(value.strip("\"'")):
            return False
    return True


def unsafe(source: str) -> bool:
    """Could this Markdown run anything in the browser that renders it (raw HTML, links, MathJax)?"""
    if _DECLARATION.search(source) or _MATHJAX.search(source):
        return True
    if not all(_safe_tag(m) for m in _TAG.finditer(source)):
        return True
    links = _LINK.findall(source) + _REFERENCE.findall(source)
    return not all(safe_url(url) for url in links)


def inert_markdown(source: str) -> str | None:
    """``None`` if ``source`` is safe to render; else the same text as a code block under a Russian note."""
    if not unsafe(source):
        return None
    fence = "`" * max(3, 1 + max((len(run) for run in _BACKTICKS.findall(source)), default=0))
    return f"{NOTE}\n\n{fence}text\n{source}\n{fence}"


def inert_markdown_class() -> type:
    """``InertMarkdown``: a sanitising step of autograde (both routes) that applies :func:`inert_markdown` to
    every Markdown cell of the copy being graded (the submission itself is not touched) and logs each one."""
    from nbconvert.preprocessors import Preprocessor
    from nbformat.notebooknode import NotebookNode
    from traitlets import Bool

    class InertMarkdown(Preprocessor):
        enabled = Bool(True)

        def preprocess(self, nb: NotebookNode, resources: Any) -> Any:
            for cell in nb.cells:
                if cell.get("cell_type") != "markdown":
                    continue
                source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
                inert = inert_markdown(source)
                if inert is not None:
                    cell.source = inert
                    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
                    self.log.warning("smmkit-event: html: %s: HTML или ссылка в тексте ячейки показаны как "
                                     "исходный текст", gid)
            return nb, resources

    InertMarkdown.__module__ = __name__
    InertMarkdown.__qualname__ = "InertMarkdown"
    return InertMarkdown
