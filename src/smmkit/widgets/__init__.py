"""Interactive exercise widgets (ipywidgets + plotly). Logic lives in pure functions; the UI is thin.

Widgets load on first use, so ``import smmkit.widgets`` stays cheap.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

_WHERE = {
    "PostingTimeLab": "posting_time",
    "lab_state": "posting_time",
    "ContentPlanExplorer": "content_plan",
    "ContentPlanEditor": "plan_editor",
    "UploadPreview": "upload",
    "Quiz": "quiz",
    "BudgetPlanner": "budget",
    "KpiDashboard": "dashboard",
    "AudienceExplorer": "audience",
    "EngagementLab": "engagement",
    "BotRuleTuner": "bot_tuner",
    "SeedingPlanner": "seeding",
    "MediaPreview": "media_preview",
}

__all__ = sorted(_WHERE)

_IRI_GRAMMAR = "rfc3987_syntax"
"""An optional dependency of jsonschema that compiles ~40 Earley grammars when it is imported."""


def _defer_iri_grammar() -> None:
    """Import ``rfc3987_syntax`` when it is first used, not when plotly first shows a figure.

    Showing a plotly figure (or building a FigureWidget) imports plotly's renderers, which import nbformat, then
    jsonschema, whose format checkers import ``rfc3987_syntax`` if it is installed (jupyter pulls it in). That
    import compiles its IRI grammars: 1.5–2 s on a quiet 2-core machine and 5–10 s on a busy one — most of a
    lesson's first widget build (``tools/bench_widgets.py``; upstream: python-jsonschema/jsonschema#1428).
    Nothing in a lesson validates IRIs, so a stand-in module takes its place and imports the real one on first
    use: the same results, paid only if ever needed. Does nothing if the module is already imported or missing.
    """
    spec = None if _IRI_GRAMMAR in sys.modules else importlib.util.find_spec(_IRI_GRAMMAR)
    if spec is None:
        return
    stand_in = types.ModuleType(_IRI_GRAMMAR, "Stand-in that imports the real module on first use (smmkit.widgets).")
    stand_in.__spec__ = spec  # importlib.util.find_spec still answers with the real module's spec
    if spec.submodule_search_locations is not None:  # ``import rfc3987_syntax.utils`` still works
        stand_in.__path__ = list(spec.submodule_search_locations)

    def real() -> types.ModuleType:
        if sys.modules.get(_IRI_GRAMMAR) is stand_in:
            del sys.modules[_IRI_GRAMMAR]
        return importlib.import_module(_IRI_GRAMMAR)

    def is_valid_syntax(*args: Any, **kwargs: Any) -> Any:
        """jsonschema's entry point (``from rfc3987_syntax import is_valid_syntax``), forwarded."""
        return real().is_valid_syntax(*args, **kwargs)

    def attribute(name: str) -> Any:
        if name.startswith("__"):  # introspection (inspect.getmodule, pickling) must not trigger the import
            raise AttributeError(name)
        return getattr(real(), name)

    stand_in.is_valid_syntax = is_valid_syntax  # type: ignore[attr-defined]
    stand_in.__getattr__ = attribute  # type: ignore[method-assign]
    sys.modules[_IRI_GRAMMAR] = stand_in


_defer_iri_grammar()


def __getattr__(name: str) -> Any:
    """Import the widget's module on first use."""
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'smmkit.widgets' has no attribute {name!r}")
