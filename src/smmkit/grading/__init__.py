"""Grading tools for instructors: collect submissions from Moodle, export grades, the Kazakhstan letter scale.

``smmkit.grading.collect.collect`` and ``smmkit.grading.export.export`` are the main functions (not re-exported
here, so that the names ``collect`` and ``export`` stay the submodules).
"""

from smmkit.grading.collect import CollectReport, Entry, read_roster, run_collect
from smmkit.grading.export import load_grades, run_export
from smmkit.grading.scale import Grade, letter, load_scale, round_percent

__all__ = [
    "CollectReport",
    "Entry",
    "Grade",
    "letter",
    "load_grades",
    "load_scale",
    "read_roster",
    "round_percent",
    "run_collect",
    "run_export",
]
