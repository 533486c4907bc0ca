"""Regenerate the committed datasets byte for byte, or check that the committed files are current."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from smmkit.data import content_plan, generators
from smmkit.datasets import CSV_ENCODING


@dataclass(frozen=True)
class Recipe:
    """How one committed dataset is made: its generator and the call that the datasheet quotes."""

    name: str
    make: Callable[[], pd.DataFrame]
    call: str


RECIPES: tuple[Recipe, ...] = (
    Recipe("accounts", generators.make_accounts, "smmkit.data.generators.make_accounts()"),
    Recipe("audience_activity", generators.make_audience_activity,
           "smmkit.data.generators.make_audience_activity()"),
    Recipe("posts", lambda: generators.make_posts(seed=2025), "smmkit.data.generators.make_posts(seed=2025)"),
    Recipe("content_plan", lambda: content_plan.make_content_plan(seed=301),
           "smmkit.data.content_plan.make_content_plan(seed=301)"),
)


def render_csv(df: pd.DataFrame) -> bytes:
    """CSV bytes as committed: UTF-8 with BOM (Excel shows Cyrillic), LF line ends, 4-decimal floats."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", float_format="%.4f")
    return buf.getvalue().encode(CSV_ENCODING)


def build(root: Path, check: bool = False, out=sys.stdout) -> int:
    """Write every dataset under ``root`` (or, with ``check``, compare); return a process exit code."""
    stale = []
    for recipe in RECIPES:
        target = root / recipe.name / f"{recipe.name}.csv"
        data = render_csv(recipe.make())
        if check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
            print(f"записан {target}", file=out)
    if stale:
        for path in stale:
            print(f"устарел или отсутствует: {path}", file=out)
        print("Наборы данных не совпадают с генераторами: выполните `smmkit datasets build`.", file=out)
        return 1
    if check:
        print(f"Все наборы данных ({len(RECIPES)}) совпадают с генераторами.", file=out)
    return 0
