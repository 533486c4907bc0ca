"""SeedingPlanner driven headless, and analysis.seeding_plan beyond its doctests (by hand on the catalog)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smmkit import datasets
from smmkit.analysis.bots import channel_anomalies
from smmkit.analysis.seeding_plan import (
    GOALS,
    greedy_shortlist,
    match_column,
    plan_seeding,
    plan_table,
    rank_agreement,
    ranking_cost,
)
from smmkit.data.universe import BRANDS
from smmkit.widgets import SeedingPlanner


@pytest.fixture(scope="module")
def influencers() -> pd.DataFrame:
    return datasets.load("influencers")


@pytest.fixture(scope="module")
def anomalies(influencers: pd.DataFrame) -> pd.DataFrame:
    return channel_anomalies(influencers)


@pytest.fixture
def lab(influencers: pd.DataFrame) -> SeedingPlanner:
    return SeedingPlanner(influencers)


# --- analysis.seeding_plan --------------------------------------------------------------------------


@pytest.mark.parametrize("brand", [b.brand_id for b in BRANDS])
@pytest.mark.parametrize("goal", list(GOALS))
@pytest.mark.parametrize("budget", [100_000, 650_000, 2_000_000])
def test_plan_is_under_budget_and_greedy(
    influencers: pd.DataFrame, anomalies: pd.DataFrame, brand: str, goal: str, budget: int
) -> None:
    """Spend ≤ budget; every channel left out either costs more than the money left when its turn came, or
    comes after the chosen ones; totals are the sums of the shortlist; no flagged channel when excluded."""
    plan = plan_seeding(influencers, anomalies, brand, budget, goal)
    c = plan.candidates.sort_values("ranking_cost", kind="stable")
    assert plan.spend <= budget
    left = float(budget)
    for row in c.itertuples():
        fits = row.price_kzt <= left
        assert row.chosen == fits, row.influencer_id
        left -= row.price_kzt if fits else 0
    s = plan.shortlist
    assert plan.reach == s["avg_views"].sum()
    match = influencers.loc[s.index, match_column(brand)]
    assert plan.target_contacts == pytest.approx((s["avg_views"] * match).sum())
    assert plan.cost_per_target_contact == pytest.approx(plan.spend / plan.target_contacts)
    assert not s["suspicious"].any() and plan.excluded_flagged == int(anomalies["suspicious"].sum()) == 32


def test_cost_per_target_contact_by_hand(influencers: pd.DataFrame, anomalies: pd.DataFrame) -> None:
    """price / (avg_views × match) for Dala Style: I004's 8.4 ₸ (datasheet) heads the plan."""
    plan = plan_seeding(influencers, anomalies, "dala_style", 1_000_000)
    row = influencers.set_index("influencer_id").loc["I004"]
    by_hand = row["price_kzt"] / (row["avg_views"] * row["audience_match_dala_style"])
    assert round(by_hand, 1) == 8.4
    assert plan.shortlist.iloc[0]["influencer_id"] == "I004"
    assert plan.shortlist.iloc[0]["cost_per_target_contact"] == pytest.approx(by_hand)
    table = plan_table(plan)
    assert table.columns[-1] == "₸ за целевой контакт"
    assert table["ID"].tolist() == plan.shortlist["influencer_id"].tolist()


def test_ranking_goals_are_the_three_measures(influencers: pd.DataFrame) -> None:
    price, views, subs = (influencers[c].astype(float) for c in ("price_kzt", "avg_views", "subscribers"))
    match = influencers["audience_match_astana_fit"]
    np.testing.assert_allclose(ranking_cost(influencers, "astana_fit"), price / (views * match))
    np.testing.assert_allclose(ranking_cost(influencers, "astana_fit", "contacts"), price / views)
    np.testing.assert_allclose(ranking_cost(influencers, "astana_fit", "subscribers"), price / subs)
    with pytest.raises(ValueError, match="«goal»"):
        ranking_cost(influencers, "astana_fit", "likes")


def test_target_ranking_buys_the_most_target_contacts(influencers: pd.DataFrame, anomalies: pd.DataFrame) -> None:
    """Dala Style, 1 000 000 ₸: ranking by target contacts beats ranking by subscribers and by all contacts."""
    plans = {g: plan_seeding(influencers, anomalies, "dala_style", 1_000_000, g) for g in GOALS}
    assert plans["target"].target_contacts > plans["subscribers"].target_contacts > plans["contacts"].target_contacts
    assert plans["contacts"].reach > plans["target"].reach  # the trap: more views, fewer of the target audience


def test_filters(influencers: pd.DataFrame, anomalies: pd.DataFrame) -> None:
    plan = plan_seeding(influencers, anomalies, "bilim_online", 500_000, platforms=["Telegram"], languages=["kk"],
                        min_match=0.1, max_bot_share=0.2, exclude_flagged=False)
    c = plan.candidates
    assert set(c["platform"]) == {"Telegram"} and set(c["language"]) == {"kk"}
    assert (c["match"] >= 0.1).all() and (c["bot_share"] <= 0.2).all() and plan.excluded_flagged == 0


def test_greedy_skips_what_does_not_fit_and_nan() -> None:
    chosen = greedy_shortlist(pd.Series([60, 50, 40, 10], index=list("abcd")),
                              pd.Series([1.0, 2.0, np.nan, 3.0], index=list("abcd")), 100)
    assert chosen.to_dict() == {"a": True, "b": False, "c": False, "d": True}
    with pytest.raises(ValueError, match="«budget»"):
        greedy_shortlist(pd.Series([1.0]), pd.Series([1.0]), -5)


def test_cheap_post_is_not_cheap_contact(influencers: pd.DataFrame) -> None:
    """Datasheet, planted effect 2: Spearman(price, cost per target contact) is negative for every brand."""
    rho = {b.brand_id: round(rank_agreement(influencers, b.brand_id), 2) for b in BRANDS}
    assert rho == {"qazaq_coffee": -0.11, "dala_style": -0.28, "astana_fit": -0.2, "bilim_online": -0.07,
                   "jet_delivery": -0.12}


def test_errors_are_russian(influencers: pd.DataFrame, anomalies: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="нет столбца «audience_match_xx»"):
        plan_seeding(influencers, anomalies, "xx", 100_000)
    with pytest.raises(ValueError, match="«anomalies»"):
        plan_seeding(influencers, anomalies.iloc[:5], "dala_style", 100_000)
    with pytest.raises(ValueError, match="«min_match»"):
        plan_seeding(influencers, anomalies, "dala_style", 100_000, min_match=2)


# --- the widget ------------------------------------------------------------------------------------


def test_lab_starts_on_dala_style(lab: SeedingPlanner) -> None:
    assert (lab.brand.value, lab.budget.value, lab.goal.value) == ("dala_style", 1_000_000, "target")
    assert lab.brand.description == "Бренд:" and lab.budget.description == "Бюджет, ₸:"
    assert lab.exclude_flagged.value
    assert lab.shortlist_ids() == ["I004", "I254", "I256", "I159", "I299", "I224"]
    html = lab.summary.value
    assert "В плане 6 публикаций</b> из 268 каналов-кандидатов; исключено подозрительных: 32" in html
    assert "целевых контактов:</b> 102 985" in html and "стоимость целевого контакта:</b> 9,7 ₸" in html
    assert lab.table.value.count("<tr>") == 1 + 6


@pytest.mark.parametrize(
    ("control", "value"),
    [("brand", "astana_fit"), ("budget", 300_000), ("goal", "subscribers"), ("platforms", ("Telegram",)),
     ("languages", ("kk", "ru+kk")), ("min_match", 0.2), ("max_bot_share", 0.1), ("exclude_flagged", False)],
)
def test_controls_drive_the_plan(lab: SeedingPlanner, influencers: pd.DataFrame, anomalies: pd.DataFrame,
                                 control: str, value: object) -> None:
    """Each control reaches plan_seeding; the summary and the chart show the plan of the current values."""
    getattr(lab, control).value = value
    args = {"brand_id": lab.brand.value, "budget": lab.budget.value, "goal": lab.goal.value,
            "platforms": lab.platforms.value, "languages": lab.languages.value, "min_match": lab.min_match.value,
            "max_bot_share": lab.max_bot_share.value, "exclude_flagged": lab.exclude_flagged.value}
    expected = plan_seeding(influencers, anomalies, **args)
    assert lab.shortlist_ids() == expected.shortlist["influencer_id"].tolist()
    assert f"из {len(expected.candidates)} каналов-кандидатов" in lab.summary.value
    candidates, chosen, flagged = lab.figure.data
    assert len(candidates.x) + len(chosen.x) == len(expected.candidates)
    assert len(chosen.x) == len(expected.shortlist)
    assert len(flagged.x) == int(expected.candidates["suspicious"].sum())


def test_flagged_channels_are_named_when_let_in(lab: SeedingPlanner) -> None:
    """Ranking by price per subscriber with flagged channels allowed picks two of them; the summary warns."""
    lab.goal.value, lab.exclude_flagged.value = "subscribers", False
    html = lab.summary.value
    assert "В плане подозрительные каналы: 2" in html and "ERR" in html
    assert {"I154", "I233"} <= set(lab.shortlist_ids())


def test_empty_plan_is_explained(lab: SeedingPlanner) -> None:
    lab.budget.value = 100_000
    lab.platforms.value = ("TikTok",)
    lab.min_match.value = 0.5
    assert lab.plan.shortlist.empty and "Ни один канал" in lab.table.value
    lab.min_match.value, lab.platforms.value = 0.0, ("Instagram", "Telegram", "TikTok")
    assert lab.plan.spend <= 100_000 and "Ни один канал" not in lab.table.value
