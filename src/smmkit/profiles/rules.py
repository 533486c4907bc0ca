"""Qazaq Coffee's house rules for the content plan (module 04), read from ``plan_rules.yaml``.

>>> rules = load_plan_rules()
>>> rules["rhythm"]["qc_tt"]["weekdays"]
[1, 3, 5]
>>> [q["max_per_week"] for q in rules["quotas"]]
[3, 2]
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_PATH = Path(__file__).with_name("plan_rules.yaml")


@lru_cache(maxsize=1)
def load_plan_rules() -> dict[str, Any]:
    """The rules as a dict: ``rhythm`` per account, ``quotas``, ``approval_hours_before``, ``late_after_minutes``."""
    return yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
