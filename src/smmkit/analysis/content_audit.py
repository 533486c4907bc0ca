"""Content audit: compare each rubric (or format) of an account with the account's median ERR, as lesson 05.01 does.

ERR of a post = (likes + comments + shares + saves) / reach. The relative ERR of a group = the group's median ERR /
the median ERR of all the account's posts. The decision rule (thresholds and labels) lives in
``content_audit.yaml`` beside this module.

>>> posts = pd.DataFrame({"post_id": list("abcdef"), "rubric": ["A", "A", "A", "B", "B", "B"],
...                       "likes": [10, 12, 11, 5, 6, 4], "comments": 0, "shares": 0, "saves": 0, "reach": 100})
>>> t = audit_groups(posts, "rubric", min_posts=3)
>>> t["posts"].tolist(), t["relative"].tolist(), t["decision"].tolist()
([3, 3], [1.38, 0.62], ['усилить', 'обновить подачу'])
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

RULES_PATH = Path(__file__).with_name("content_audit.yaml")
INTERACTIONS = ["likes", "comments", "shares", "saves"]


@cache
def rules() -> dict[str, Any]:
    """The audit rule: ``min_posts``, ``strong``, ``weak`` and the Russian ``labels`` of the decisions."""
    return yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))


def err(posts: pd.DataFrame) -> pd.Series:
    """ERR of each post: (likes + comments + shares + saves) / reach.

    >>> err(pd.DataFrame({"likes": [3], "comments": [1], "shares": [0], "saves": [1], "reach": [100]})).tolist()
    [0.05]
    """
    return posts[INTERACTIONS].sum(axis=1) / posts["reach"]


def audit_groups(account: pd.DataFrame, by: str = "rubric", min_posts: int | None = None) -> pd.DataFrame:
    """Per group of ``by`` in one account's posts: ``posts``, median ``err``, ``relative`` (to the account's median
    ERR, rounded to 2 places) and ``decision`` by the course's rule, the strongest first.

    A group with fewer than ``min_posts`` posts (default: the rule's) gets «мало данных» whatever its ERR.
    """
    r = rules()
    min_posts = int(r["min_posts"] if min_posts is None else min_posts)
    per_post = err(account)
    table = per_post.groupby(account[by], observed=True).agg(["size", "median"])
    table.columns = ["posts", "err"]
    table["relative"] = (table["err"] / per_post.median()).round(2)
    labels = r["labels"]
    table["decision"] = labels["keep"]
    table.loc[table["relative"] >= r["strong"], "decision"] = labels["strong"]
    table.loc[table["relative"] < r["weak"], "decision"] = labels["weak"]
    table.loc[table["posts"] < min_posts, "decision"] = labels["too_few"]
    return table.sort_values("relative", ascending=False)


__all__ = ["INTERACTIONS", "RULES_PATH", "audit_groups", "err", "rules"]
