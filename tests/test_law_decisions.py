"""a04's legal decision cases (``src/smmkit/profiles/law_decisions.yaml``): each expected decision follows the
rules it names, the rules exist in the dated law file, and the cases differ from lesson 04.05's."""

from __future__ import annotations

import pandas as pd
import pytest

from smmkit.platforms.advertising_law import load_law_facts
from smmkit.profiles.law_cases import labelled, load_cases, patterns
from smmkit.profiles.law_decisions import (
    DECISIONS,
    decision_rules,
    expected_decisions,
    load_decision_cases,
    private_kinds,
    public_kinds,
)


def _decide(case: dict) -> dict[str, bool]:
    """The course's rules, written out once here (the assignment's master writes them again for the student)."""
    public = case["kind"] in public_kinds()
    ad = bool(public and case["promotes"])
    words = load_law_facts().words()
    label = bool(ad and case["author"] == "блогер" and case["payment"] != "нет" and not labelled(case["text"], words))
    private_promo = not public and case["promotes"] and not case["recipient_consent"]
    exposed = public and bool(patterns()["personal_data"].search(case["text"]))
    return {"is_ad": ad, "must_label": label, "may_send": not (private_promo or exposed),
            "may_use_photo": bool(not case["guest_photo"] or case["guest_consent"])}


@pytest.mark.parametrize("which", ["assignment", "check"])
def test_expected_decisions_follow_the_rules(which: str) -> None:
    cases, expected = load_decision_cases(which), expected_decisions(which)
    for case_id, case in cases.iterrows():
        assert _decide(case.to_dict()) == {d: bool(expected.loc[case_id, d]) for d in DECISIONS}, case_id


def test_rules_exist_and_kinds_are_known() -> None:
    law = load_law_facts()
    assert set(decision_rules()) == set(DECISIONS)
    for rule_ids in decision_rules().values():
        for rule_id in rule_ids:
            assert law[rule_id].rule
    assert decision_rules()["may_send"] == ("ad_mailing_consent", "personal_data_consent")
    assert law["ad_mailing_consent"].act.id == "advertising_law"
    for which in ("assignment", "check"):
        assert set(load_decision_cases(which)["kind"]) <= set(public_kinds()) | set(private_kinds())
    assert not set(public_kinds()) & set(private_kinds())


def test_every_decision_is_exercised_both_ways_and_differs_from_the_lesson() -> None:
    for which in ("assignment", "check"):
        expected = expected_decisions(which)
        for decision in DECISIONS:
            assert set(expected[decision]) == {True, False}, (which, decision)
    lesson = set(load_cases()["text_ru"].dropna()) | set(load_cases()["text_kk"].dropna())
    assert not lesson & set(load_decision_cases("assignment")["text"])
    cases = load_decision_cases("assignment")
    assert {"бартер", "промокод", "деньги"} <= set(cases["payment"])


@pytest.mark.parametrize("which", ["assignment", "check"])
def test_each_refusal_to_send_names_its_rule(which: str) -> None:
    """A material that may not be sent names the rule that forbids it: an offer to one person without their consent
    to mailings (the advertising law's consent rule), or a client's data in public material (personal data)."""
    cases, expected = load_decision_cases(which), expected_decisions(which)
    for case_id, case in cases.iterrows():
        public = case["kind"] in public_kinds()
        if expected.loc[case_id, "may_send"]:
            assert pd.isna(expected.loc[case_id, "send_rule"]), case_id
        elif not public and case["promotes"] and not case["recipient_consent"]:
            assert expected.loc[case_id, "send_rule"] == "ad_mailing_consent", case_id
        else:
            assert public and patterns()["personal_data"].search(case["text"]), case_id
            assert expected.loc[case_id, "send_rule"] == "personal_data_consent", case_id
    assert set(expected["send_rule"].dropna()) == set(decision_rules()["may_send"])


def _data_in_replies_only(case: dict) -> dict[str, bool]:
    """Question 9's trap: personal data looked for in public replies only, not in posts and stories."""
    got = _decide(case)
    if case["kind"] != "ответ в комментариях" and patterns()["personal_data"].search(case["text"]):
        private_promo = case["kind"] not in public_kinds() and case["promotes"] and not case["recipient_consent"]
        got["may_send"] = not private_promo
    return got


def _data_in_posts_and_replies_only(case: dict) -> dict[str, bool]:
    """Question 9's trap: personal data looked for in posts and public replies, not in stories and channel posts."""
    got = _decide(case)
    if case["kind"] not in ("пост", "ответ в комментариях") and patterns()["personal_data"].search(case["text"]):
        private_promo = case["kind"] not in public_kinds() and case["promotes"] and not case["recipient_consent"]
        got["may_send"] = not private_promo
    return got


def _label_when_paid(case: dict) -> dict[str, bool]:
    """Question 9's trap: a paid blogger's text labelled as an advertisement even when it promotes nothing."""
    got = _decide(case)
    got["must_label"] = bool(case["author"] == "блогер" and case["payment"] != "нет"
                             and not labelled(case["text"], load_law_facts().words()))
    return got


@pytest.mark.parametrize("mistake", [_data_in_replies_only, _data_in_posts_and_replies_only, _label_when_paid])
def test_the_hidden_cases_catch_each_trap_of_the_visible_checks(mistake) -> None:
    """A trap the visible checks name (personal data in a post or a story; the label of a non-advertisement) also
    gets a hidden case wrong: the hidden tests judge it on their own, not only through the visible hint."""
    cases, expected = load_decision_cases("check"), expected_decisions("check")
    wrong = [case_id for case_id, case in cases.iterrows()
             if mistake(case.to_dict()) != {d: bool(expected.loc[case_id, d]) for d in DECISIONS}]
    assert wrong, mistake.__name__
