"""smmkit: a Jupyter course kit for Social Media Marketing on the Kazakhstan professional standard.

The package is imported by every lesson, so importing it stays cheap: submodules (pandas, plotly,
ipywidgets) load only when a lesson asks for them.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_SUBMODULES = {
    "analysis",
    "autoposting",
    "checks",
    "curriculum",
    "data",
    "datasets",
    "metrics",
    "notebooks",
    "paths",
    "plots",
    "validation",
    "widgets",
}

__all__ = ["__version__", *sorted(_SUBMODULES)]


def __getattr__(name: str) -> Any:
    """Import a submodule on first use (``smmkit.datasets``)."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'smmkit' has no attribute {name!r}")
