"""Drafts of posts for lesson 04.02, read from ``drafts.yaml`` (texts with typical mistakes, kept as data).

>>> load_drafts().loc["nauryz_kk", ["platform", "language", "segment"]].tolist()
['Instagram', 'kk', 'семьи']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

DRAFTS_PATH = Path(__file__).with_name("drafts.yaml")


def load_drafts() -> pd.DataFrame:
    """The drafts, one row per draft, indexed by ``key``: item_id, platform, language, segment, text."""
    raw = yaml.safe_load(DRAFTS_PATH.read_text(encoding="utf-8"))["drafts"]
    return pd.DataFrame(raw).set_index("key")
