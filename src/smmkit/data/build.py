"""Regenerate the committed datasets byte for byte, or check that the committed files are current."""

from __future__ import annotations

import importlib
import io
import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from smmkit.data.recipe import Recipe
from smmkit.datasets import CSV_ENCODING

# Modules that define ``RECIPES``; each dataset's generator lives beside its story.
RECIPE_MODULES: tuple[str, ...] = (
    "smmkit.data.generators",
    "smmkit.data.content_plan",
    "smmkit.data.audience_data",
    "smmkit.data.ads_data",
    "smmkit.data.funnel_data",
    "smmkit.data.reputation_data",
    "smmkit.data.partners_data",
    "smmkit.data.media_kits",
    "smmkit.data.support_data",
    "smmkit.data.ad_links",
)


def all_recipes() -> tuple[Recipe, ...]:
    """Every committed dataset's recipe, in a fixed order; dataset names are unique."""
    recipes = [r for module in RECIPE_MODULES for r in importlib.import_module(module).RECIPES]
    names = [r.name for r in recipes]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"Два рецепта с одним именем набора: {', '.join(duplicated)}")
    return tuple(recipes)


def render_csv(df: pd.DataFrame) -> bytes:
    """CSV bytes as committed: UTF-8 with BOM (Excel shows Cyrillic), LF line ends, 4-decimal floats.

    A raw export whose tool writes comment lines above the table (GA4's «# Start date: …») keeps them in
    ``df.attrs["preamble"]``; they are written first, one per line.
    """
    buf = io.StringIO()
    for line in df.attrs.get("preamble", ()):
        buf.write(line + "\n")
    df.to_csv(buf, index=False, lineterminator="\n", float_format="%.4f")
    return buf.getvalue().encode(CSV_ENCODING)


def build(root: Path, check: bool = False, out=sys.stdout, recipes: Iterable[Recipe] | None = None) -> int:
    """Write every dataset under ``root`` (or, with ``check``, compare); return a process exit code.

    With all recipes (the default) ``root/README.md`` is written (or compared) too: its table of contents comes
    from the generated frames, ``readme.yaml`` and the notebooks of the course in ``root``'s parent folder; and
    so are the realism tables of the datasheets (:mod:`smmkit.data.realism`), measured on the written files.
    """
    stale = []
    every = recipes is None
    recipes = tuple(all_recipes() if recipes is None else recipes)
    shapes: dict[str, tuple[int, int]] = {}
    for recipe in recipes:
        target = root / recipe.name / f"{recipe.name}.csv"
        frame = recipe.make()
        shapes[recipe.name] = frame.shape
        data = render_csv(frame)
        if check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
            print(f"записан {target}", file=out)
    if every:
        stale += _readme(root, shapes, check, out)
        stale += _realism(root, check, out)
    if stale:
        for path in stale:
            print(f"устарел или отсутствует: {path}", file=out)
        print("Наборы данных не совпадают с генераторами: выполните `smmkit datasets build`.", file=out)
        return 1
    if check:
        print(f"Все наборы данных ({len(recipes)}) совпадают с генераторами.", file=out)
    return 0


def _realism(root: Path, check: bool, out) -> list[Path]:
    """Write (or compare) the realism tables of the datasheets from the committed files under ``root``."""
    from smmkit.data import realism
    from smmkit.datasets import load

    if not any(root.glob("*/DATASHEET.md")):  # a bare build (CSV files only): no datasheets to fill
        return []
    findings = realism.measure(realism.references(), lambda name: load(name, root))
    return realism.datasheets(root, findings, check, out)


def _readme(root: Path, shapes: dict[str, tuple[int, int]], check: bool, out) -> list[Path]:
    """Write (or, with ``check``, compare) ``root/README.md``; return it if it is stale."""
    from smmkit.data.readme import README, render

    target = root / README
    data = render(shapes, root.parent).encode("utf-8")
    if target.exists() and target.read_bytes() == data:
        return []
    if check:
        return [target]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    print(f"записан {target}", file=out)
    return []
