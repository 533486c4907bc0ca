"""Names of CRM customers weighted like Kazakhstan's population (issue 12): recovered from ``crm_orders`` alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmkit import datasets
from smmkit.data import names, textbank


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    """One row per CRM customer with first name, surname and the surname's group."""
    frame = datasets.load("crm_orders").drop_duplicates("customer_id")[["customer_id", "customer_name"]].copy()
    parts = frame["customer_name"].str.split()
    frame["first"], frame["surname"] = parts.str[0], parts.str[-1]
    frame["group"] = frame["surname"].map(names.surname_group)
    return frame


def test_every_name_is_first_name_and_surname_from_the_lists(customers: pd.DataFrame) -> None:
    """«Имя Фамилия», two words, each surname known to the lists."""
    assert customers["customer_name"].str.split().str.len().eq(2).all()
    assert customers["group"].notna().all()


def test_ethnic_mix_follows_the_census(customers: pd.DataFrame) -> None:
    """Kazakh ≈ 70 %, Russian ≈ 15 % of customers; Ли/Пак/Ким/Тен are no longer 16 % (now ≈ 0.6 %, like Koreans)."""
    share = customers["group"].value_counts(normalize=True) * 100
    assert 65 <= share["kazakh"] <= 76
    assert 12 <= share["russian"] <= 19
    assert 1.5 <= share["uzbek"] <= 5.5
    korean = customers["surname"].isin(["Ли", "Пак", "Ким", "Тен"]).mean() * 100
    assert korean < 1.5
    assert share.index.isin(["ukrainian", "uyghur", "tatar", "german"]).sum() == 4  # the smaller groups appear


def test_full_names_rarely_repeat(customers: pd.DataFrame) -> None:
    """Today's 969 names for 3 399 customers was the bug: now most customers have a name no one else has."""
    assert customers["customer_name"].nunique() / len(customers) >= 0.85
    assert customers["surname"].nunique() >= 300
    assert customers["first"].nunique() >= 150
    top = customers["surname"].str.replace(r"(ов|ев|ин)а$", r"\1", regex=True).value_counts(normalize=True)
    assert top.iloc[0] < 0.015


def test_women_take_feminine_surnames(customers: pd.DataFrame) -> None:
    """A woman with a declinable surname has the feminine form (Ахметова, Островская); invariant ones stay."""
    female_names = {n for g in names.groups() for n in g.female}
    male_names = {n for g in names.groups() for n in g.male}
    women = customers[customers["first"].isin(female_names - male_names)]
    men = customers[customers["first"].isin(male_names - female_names)]
    assert len(women) > len(men) > 500
    masculine = {s for g in names.groups() for s in g.surnames}
    feminine = {names.feminine(s) for s in masculine}
    assert not women["surname"].isin(masculine).any()
    assert not men["surname"].isin(feminine).any()
    assert women["surname"].str.contains(r"(?:ова|ева|ина)$").mean() > 0.6


@pytest.mark.parametrize(
    ("male", "female"),
    [("Ахметов", "Ахметова"), ("Соловьев", "Соловьева"), ("Никитин", "Никитина"), ("Островский", "Островская"),
     ("Ким", "Ким"), ("Шевченко", "Шевченко"), ("Шмидт", "Шмидт"), ("Серик", "Серик"), ("Седых", "Седых")],
)  # fmt: skip
def test_feminine_forms(male: str, female: str) -> None:
    assert names.feminine(male) == female
    assert names.surname_group(female) == names.surname_group(male) is not None


def test_lists_are_data_and_consistent() -> None:
    """Census shares add up to 100 %, no surname sits in two groups, declinable lists hold declinable forms."""
    bank = textbank.load("names")["groups"]
    assert sum(g["share"] for g in bank.values()) == pytest.approx(100.0)
    seen: dict[str, str] = {}
    for key, g in bank.items():
        for s in (*g["surnames"], *g["invariant"]):
            assert s not in seen, f"{s} is in {seen.get(s)} and {key}"
            seen[s] = key
        assert all(names.feminine(s) != s for s in g["surnames"]), key
        assert all(s[:1].isupper() and "-" not in s for s in (*g["male"], *g["female"], *seen)), key


def test_draw_is_deterministic_and_follows_the_shares() -> None:
    """Same seed, same names; a large draw recovers the census shares within a point."""
    a = names.draw_names(np.random.default_rng(5), 20_000)
    assert a == names.draw_names(np.random.default_rng(5), 20_000)
    groups = pd.Series(a).str.split().str[-1].map(names.surname_group).value_counts(normalize=True) * 100
    for g in names.groups():
        assert groups.get(g.key, 0.0) == pytest.approx(g.share, abs=1.0), g.key


def test_funnel_names_leave_the_funnel_stream_where_it_was() -> None:
    """_names takes from the funnel's generator exactly the draws it took before, so phones and web ids stay put."""
    from smmkit.data import funnel_data

    a, b = np.random.default_rng(11), np.random.default_rng(11)
    out = funnel_data._names(a, 500)
    b.random(500), b.integers(0, 1000, 500), b.integers(0, 24, 500)
    assert a.random() == b.random()
    assert len(set(out)) > 450 and out == funnel_data._names(np.random.default_rng(11), 500)
