"""Preloaded by the grading zygote on the isolated route: the datasets the course's assignments load, parsed once.

Every kernel and test runner the zygote forks then gets a copy of each frame from :func:`smmkit.datasets.load`
instead of parsing the CSV again (a tenth of a second a table, several tables a notebook, hidden tests included).
The plain route does not warm: there the tests share the student's process, and a kept frame is one more thing a
submission could tamper with.
"""

from __future__ import annotations

import re

from smmkit import datasets
from smmkit.paths import project_root

LOAD = re.compile(r"""load\(\s*\\?["'](\w+)\\?["']""")
MAX_BYTES = 8 * 1024 * 1024
"""At most this much CSV is kept (the kernel's address-space limit counts what the zygote holds)."""


def assignment_datasets(root=None) -> list[str]:
    """Datasets named in ``load("…")`` calls of the released assignments, smallest first, within ``MAX_BYTES``."""
    course = project_root(root)
    named = set()
    for notebook in sorted((course / "assignments").glob("*/*.ipynb")):
        named |= set(LOAD.findall(notebook.read_text(encoding="utf-8")))
    known = [n for n in datasets.available(course / "datasets") if n in named]
    sizes = {n: datasets.csv_path(n, course / "datasets").stat().st_size for n in known}
    kept, total = [], 0
    for name in sorted(known, key=lambda n: (sizes[n], n)):
        if total + sizes[name] <= MAX_BYTES:
            kept.append(name)
            total += sizes[name]
    return kept


def zygote_warm_up() -> None:
    """Called by the zygote after importing this module."""
    datasets.warm(assignment_datasets())
