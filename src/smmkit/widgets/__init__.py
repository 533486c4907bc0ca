"""Interactive exercise widgets (ipywidgets + plotly). Logic lives in pure functions; the UI is thin.

Widgets load on first use, so ``import smmkit.widgets`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "PostingTimeLab": "posting_time",
    "lab_state": "posting_time",
    "ContentPlanExplorer": "content_plan",
    "UploadPreview": "upload",
    "Quiz": "quiz",
    "BudgetPlanner": "budget",
    "KpiDashboard": "dashboard",
    "AudienceExplorer": "audience",
    "EngagementLab": "engagement",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    """Import the widget's module on first use."""
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'smmkit.widgets' has no attribute {name!r}")
