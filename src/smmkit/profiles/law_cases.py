"""Materials of a week checked against the law (lesson 04.05): the cases, and the checks the lesson does by hand.

The cases live in ``law_cases.yaml`` beside this module (columns described there); the rules they are checked
against in the dated ``smmkit/platforms/advertising_law.yaml``. Teaching material, not legal advice.

Checks of one case (:data:`CHECKS`, each named after the rule of the law file it applies; True = a problem):

    labelling_duty      a blogger's paid material does not begin or end with a wording of ``law.words()``
    ad_language         an advertisement (public and promoting) has no Kazakh text
    ad_price_tenge      an advertisement gives a price in a foreign currency (pattern ``foreign_price``)
    ad_mailing_consent  a message to one person offers a product, and the person has not agreed to get offers
    personal_data_consent      a public text shows personal data (pattern ``personal_data``)
    personal_data_consent_form a guest's photo or review is used without confirmed consent
    ai_labelling        an AI-made picture or video of people or events has no AI label

>>> cases = load_cases()
>>> len(cases), cases.loc["LC-02", "text_kk"] is None, cases.loc["LC-08", "recipient_consent"]
(15, True, False)
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

CASES_PATH = Path(__file__).with_name("law_cases.yaml")
CHECKS: tuple[str, ...] = ("labelling_duty", "ad_language", "ad_price_tenge", "ad_mailing_consent",
                           "personal_data_consent", "personal_data_consent_form", "ai_labelling")
"""The columns of :func:`check_cases`, in order: IDs of rules in ``advertising_law.yaml``."""


@cache
def _raw() -> dict[str, Any]:
    return yaml.safe_load(CASES_PATH.read_text(encoding="utf-8"))


def patterns() -> dict[str, re.Pattern[str]]:
    """The case-insensitive patterns of ``law_cases.yaml``: ``personal_data``, ``foreign_price``, ``ai_label``.

    >>> bool(patterns()["personal_data"].search("звоните +7 701 555 12 34"))
    True
    """
    return {name: re.compile(text, re.IGNORECASE) for name, text in _raw()["patterns"].items()}


def load_cases() -> pd.DataFrame:
    """The cases, one row each, indexed by ``case_id`` (a missing text, or ``recipient_consent`` of public material,
    is ``None``)."""
    table = pd.DataFrame(_raw()["cases"]).set_index("case_id")
    objects = {c: object for c in ("text_kk", "text_ru", "recipient_consent")}
    return table.astype(objects).where(table.notna(), None)


def _texts(row: pd.Series) -> list[str]:
    return [t for t in (row["text_kk"], row["text_ru"]) if isinstance(t, str)]


def labelled(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` begins or ends with one of the labelling ``words`` (case and final punctuation ignored).

    >>> labelled("Реклама. Капучино в подарок", ("реклама",)), labelled("Капучино #ad", ("реклама",))
    (True, False)
    """
    clean = text.strip().lower().rstrip(".!…")
    return any(clean.startswith(w.lower()) or clean.endswith(w.lower()) for w in words)


def check_cases(cases: pd.DataFrame, words: tuple[str, ...]) -> pd.DataFrame:
    """The checks of :data:`CHECKS` for every case (True = a problem), indexed like ``cases``; ``words`` are the
    labelling wordings (``load_law_facts().words()``).

    >>> from smmkit.platforms.advertising_law import load_law_facts
    >>> table = check_cases(load_cases(), load_law_facts().words())
    >>> table.loc["LC-02"].loc[lambda s: s].index.tolist()
    ['ad_language']
    """
    found = patterns()
    ad = cases["public"] & cases["promotes"]
    rows = {}
    for case_id, row in cases.iterrows():
        texts = _texts(row)
        rows[case_id] = {
            "labelling_duty": bool(row["author"] == "блогер" and row["paid"]
                                   and not any(labelled(t, words) for t in texts)),
            "ad_language": bool(ad[case_id] and not isinstance(row["text_kk"], str)),
            "ad_price_tenge": bool(ad[case_id] and any(found["foreign_price"].search(t) for t in texts)),
            "ad_mailing_consent": bool(not row["public"] and row["promotes"] and not row.get("recipient_consent")),
            "personal_data_consent": bool(row["public"] and any(found["personal_data"].search(t) for t in texts)),
            "personal_data_consent_form": bool(row["guest_photo"] and not row["consent"]),
            "ai_labelling": bool(row["ai_generated"] and not row["ai_label"]),
        }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(CHECKS)).astype(bool)
    table.index.name = "case_id"
    return table
