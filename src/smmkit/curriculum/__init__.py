"""The professional standard as data (``standard.yaml``) and the course's coverage of it."""

from __future__ import annotations

from .coverage import (
    Declaration,
    LeafCoverage,
    Report,
    Share,
    collect_declarations,
    coverage_report,
    format_report,
    unknown_ids,
)
from .standard import Card, Entry, Function, Item, Standard, Task, Term, load_standard

__all__ = [
    "Card",
    "Declaration",
    "Entry",
    "Function",
    "Item",
    "LeafCoverage",
    "Report",
    "Share",
    "Standard",
    "Task",
    "Term",
    "collect_declarations",
    "coverage_report",
    "format_report",
    "load_standard",
    "unknown_ids",
]
