"""Reply templates by topic and sentiment, and the monitoring rules of the shift (``replies.yaml``).

A template is chosen by the comment's topic and sentiment (a template for «any» sentiment matches every one);
without one, the default of the sentiment. The reply's language follows the comment: Kazakh for ``kk``, Russian
otherwise (``ru+kk`` too); a template without a Kazakh text falls back to the sentiment's Kazakh default.

>>> choose_reply("безопасность", "neutral", "ru")["escalate"]
True
>>> choose_reply("цена", "neutral", "kk")["template"]
'по умолчанию: neutral'
>>> monitoring_rules()["sla_hours"]
2
>>> escalation_rules()["unanswered_negative_hours"]  # the escalation threshold is not the SLA
3
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

REPLIES_PATH = Path(__file__).with_name("replies.yaml")


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    return yaml.safe_load(REPLIES_PATH.read_text(encoding="utf-8"))


def monitoring_rules() -> dict[str, Any]:
    """The shift's monitoring rules: window, which comments need a reply, SLA, spike thresholds."""
    return _raw()["monitoring"]


def escalation_rules() -> dict[str, Any]:
    """When a comment goes to the manager: its topics, and how long a negative comment may wait unanswered."""
    return _raw()["escalate"]


def choose_reply(topic: str, sentiment: str, language: str = "ru") -> dict[str, Any]:
    """The template for a comment: ``text``, ``template`` (which one was used) and ``escalate`` (to the manager).

    >>> choose_reply("доставка", "negative")["text"].startswith("Простите за задержку")
    True
    """
    raw = _raw()
    lang = "kk" if language == "kk" else "ru"
    for t in raw["templates"]:
        if t["topic"] == topic and t["sentiment"] in (sentiment, "any"):
            if lang in t:
                return {"text": t[lang], "template": f"{topic} / {t['sentiment']}",
                        "escalate": bool(t.get("escalate", False))}
            break
    escalate = topic in raw["escalate"]["topics"]
    return {"text": raw["defaults"][sentiment][lang], "template": f"по умолчанию: {sentiment}", "escalate": escalate}
