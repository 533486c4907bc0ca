"""Photo and video editors as dated data: the standard's list and modern equivalents, with their operations.

The tools live in ``editors.yaml`` beside this module, each with its status (current, renamed, part of a suite),
whether the name the standard uses is obsolete, a source and the date it was checked.

>>> table = editors()
>>> table.loc["Snapseed", ["kind", "std", "status"]].tolist()
['фото', 'A4-TF5-T1-Z1.6', 'актуален']
>>> sorted(table.loc[table["obsolete"], "std"])
['A4-TF5-T1-Z1.2', 'A4-TF5-T1-Z1.4', 'A4-TF5-T1-Z2.2', 'A4-TF5-T1-Z2.4']
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

EDITORS_PATH = Path(__file__).with_name("editors.yaml")
OPERATIONS = ["crop", "resize", "compress", "text", "batch"]
STATUSES = {"актуален", "переименован", "в составе пакета"}


@cache
def _raw() -> dict[str, Any]:
    raw = yaml.safe_load(EDITORS_PATH.read_text(encoding="utf-8"))
    sources = raw["sources"]
    for tool in raw["tools"]:
        if tool["source"] not in sources:
            raise ValueError(f"editors.yaml: у «{tool['name']}» источник «{tool['source']}» не описан в sources.")
        if tool["status"] not in STATUSES:
            raise ValueError(f"editors.yaml: у «{tool['name']}» статус «{tool['status']}» — не из {sorted(STATUSES)}.")
        if set(tool["ops"]) != set(OPERATIONS):
            raise ValueError(f"editors.yaml: у «{tool['name']}» операции должны быть ровно {OPERATIONS}.")
    return raw


def editors() -> pd.DataFrame:
    """One row per tool (index: its name): kind, standard part, platforms, price, status, obsolete, the place of
    each operation (``crop``, ``resize``, ``compress``, ``text``, ``batch``; empty where the tool has none),
    source title, URL, check date and note."""
    raw = _raw()
    rows = []
    for tool in raw["tools"]:
        title, url = raw["sources"][tool["source"]]["title"], raw["sources"][tool["source"]]["url"]
        row = {k: tool[k] for k in ("name", "kind", "std", "platforms", "price", "status", "obsolete")}
        row.update({op: tool["ops"][op] for op in OPERATIONS})
        row.update(source=title, url=url, checked=pd.Timestamp(tool["checked"]).date(), note=tool["note"])
        rows.append(row)
    return pd.DataFrame(rows).set_index("name")


def checked() -> date:
    """The oldest check date of the tools: the date a lesson shows."""
    return min(editors()["checked"])


__all__ = ["EDITORS_PATH", "OPERATIONS", "checked", "editors"]
