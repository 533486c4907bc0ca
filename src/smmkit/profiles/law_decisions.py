"""Cases for assignment a04's legal decision table, read from ``law_decisions.yaml`` (teaching, not legal advice).

Each case is a material of Qazaq Coffee (a post, a story, a reply, a message); the four decisions about it
(:data:`DECISIONS`) follow rules of ``src/smmkit/platforms/advertising_law.yaml``, named by rule id in
:func:`decision_rules`; where a material may not be sent, ``send_rule`` of :func:`expected_decisions` names the
rule that forbids it.

>>> cases = load_decision_cases()
>>> case = cases.loc["LD-05"]
>>> case["kind"], bool(case["promotes"]), case["recipient_consent"]
('сообщение в директ', True, False)
>>> "сообщение в директ" in private_kinds(), "сторис" in public_kinds()
(True, True)
>>> decision_rules()["may_use_photo"], decision_rules()["may_send"]
(('personal_data_consent_form',), ('ad_mailing_consent', 'personal_data_consent'))
>>> expected_decisions().loc["LD-05", "send_rule"]
'ad_mailing_consent'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml

CASES_PATH = Path(__file__).with_name("law_decisions.yaml")
DECISIONS: tuple[str, ...] = ("is_ad", "must_label", "may_send", "may_use_photo")
COLUMNS: tuple[str, ...] = ("kind", "author", "payment", "promotes", "text", "recipient_consent", "guest_photo",
                            "guest_consent")
Which = Literal["assignment", "check"]


@cache
def _raw() -> dict[str, Any]:
    return yaml.safe_load(CASES_PATH.read_text(encoding="utf-8"))


def public_kinds() -> tuple[str, ...]:
    """Kinds of material for an indefinite circle of people (a post, a story, a channel post, a public reply)."""
    return tuple(_raw()["public_kinds"])


def private_kinds() -> tuple[str, ...]:
    """Kinds of material for one person (a direct message, a WhatsApp message)."""
    return tuple(_raw()["private_kinds"])


def decision_rules() -> dict[str, tuple[str, ...]]:
    """The rule ids of ``advertising_law.yaml`` behind each decision column (``may_send`` has two: an offer to one
    person needs their consent to mailings, public material shows no personal data)."""
    return {column: (rules,) if isinstance(rules, str) else tuple(rules)
            for column, rules in _raw()["decision_rules"].items()}


def _cases(which: Which) -> list[dict[str, Any]]:
    return [c for c in _raw()["cases"] if c["set"] == which]


def load_decision_cases(which: Which = "assignment") -> pd.DataFrame:
    """The cases of one set without their answers, indexed by ``case_id`` (``recipient_consent`` is ``None`` for
    public material)."""
    table = pd.DataFrame([{k: c[k] for k in ("case_id", *COLUMNS)} for c in _cases(which)]).set_index("case_id")
    return table.astype({"recipient_consent": object}).where(table.notna(), None)


def expected_decisions(which: Which = "assignment") -> pd.DataFrame:
    """The expected decisions of one set (bool columns :data:`DECISIONS`), ``send_rule`` (the rule id that forbids
    sending; empty where it may be sent) and ``why``, indexed by ``case_id``."""
    rows = [{"case_id": c["case_id"], **{d: bool(c["expected"][d]) for d in DECISIONS},
             "send_rule": c.get("send_rule"), "why": c["why"]} for c in _cases(which)]
    return pd.DataFrame(rows).set_index("case_id")
