"""The professional standard as data (``standard.yaml``), the module map and the course's coverage of it."""

from __future__ import annotations

from .coverage import (
    LEVEL_RU,
    LEVELS,
    Evidence,
    Ignored,
    LeafCoverage,
    Report,
    Share,
    coverage_report,
    format_report,
    unknown_ids,
)
from .standard import (
    Card,
    Competence,
    EducationLink,
    Entry,
    Function,
    Item,
    Note,
    Part,
    Standard,
    Task,
    Term,
    load_standard,
)

__all__ = [
    "LEVELS",
    "LEVEL_RU",
    "Card",
    "Competence",
    "EducationLink",
    "Entry",
    "Evidence",
    "Function",
    "Ignored",
    "Item",
    "LeafCoverage",
    "Note",
    "Part",
    "Report",
    "Share",
    "Standard",
    "Task",
    "Term",
    "coverage_report",
    "format_report",
    "load_standard",
    "unknown_ids",
]
