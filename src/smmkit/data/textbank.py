"""Text templates, word lists and name lists of the generators, read from YAML files in ``texts/``.

Content is data: the comment and mention templates, the NPS answers, the author handles and the name lists
live in ``src/smmkit/data/texts/*.yaml`` beside the generators, not in Python literals. Lists come back as
tuples (hashable, read-only), so a generator can pick from them with its own random stream.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

TEXTS_DIR = Path(__file__).with_name("texts")
"""Folder of the YAML text banks."""


def _frozen(obj: Any) -> Any:
    """Lists as tuples, recursively; mappings keep their order."""
    if isinstance(obj, dict):
        return {key: _frozen(value) for key, value in obj.items()}
    if isinstance(obj, list):
        return tuple(_frozen(value) for value in obj)
    return obj


@cache
def load(name: str) -> dict[str, Any]:
    """The text bank ``texts/<name>.yaml`` as a mapping whose lists are tuples (cached)."""
    path = TEXTS_DIR / f"{name}.yaml"
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return _frozen(data)
