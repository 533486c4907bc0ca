"""A recipe: how one committed dataset is made (its generator, and the call its datasheet quotes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Recipe:
    """A dataset name, the zero-argument generator that makes it, and the generator call as text."""

    name: str
    make: Callable[[], pd.DataFrame]
    call: str
