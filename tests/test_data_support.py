"""Support tickets (support_tickets): CRM join, the business-hours clock, SLA flags and the planted effects.

The dataset is regenerated into a temporary folder beside a copy of its schema and loaded back with the
schema-checking loader; every planted effect is recovered from the frame (pandas and the documented clock).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from smmkit import datasets
from smmkit.data import funnel_data as fd
from smmkit.data import support_data as sd

REPO = Path(__file__).resolve().parents[1]
SLOW = "Ерлан Тулегенов"


@pytest.fixture(scope="module")
def tickets() -> pd.DataFrame:
    """support_tickets, loaded with its schema.

    The committed files: tests/test_datasets.py checks, in a fresh process with another hash seed, that
    `smmkit datasets build` writes them byte for byte, so a story read here is the generators' story.
    """
    return datasets.load("support_tickets", root=REPO / "datasets")


@pytest.fixture(scope="module")
def off_hours(tickets: pd.DataFrame) -> pd.Series:
    """True for tickets written while the desk was closed."""
    return ~sd.is_open(tickets["created_at"])


def test_customers_and_orders_come_from_the_crm(tickets: pd.DataFrame) -> None:
    """Every customer is in the CRM; an order belongs to the same customer and brand and precedes its complaint."""
    orders = fd.make_crm_orders(seed=fd.SEED)
    orders["order_ts"] = pd.to_datetime(orders["order_ts"], format="ISO8601")
    assert tickets["customer_id"].isin(orders["customer_id"]).all()
    with_order = tickets.dropna(subset=["order_id"]).merge(
        orders[["order_id", "customer_id", "brand_id", "order_ts"]], on="order_id", how="left", suffixes=("", "_crm")
    )
    assert with_order["customer_id_crm"].notna().all()
    assert (with_order["customer_id"] == with_order["customer_id_crm"]).all()
    assert (with_order["brand_id"].astype(str) == with_order["brand_id_crm"]).all()
    assert (with_order["created_at"] > with_order["order_ts"]).all()
    assert tickets["order_id"].isna().eq(tickets["topic"].eq("вопрос")).all()
    # the datasheet's counts: tickets, customers, tickets about an order, questions
    assert (len(tickets), tickets["customer_id"].nunique(), len(with_order)) == (2355, 1512, 1685)


def test_business_durations_and_breach_flags_recompute(tickets: pd.DataFrame) -> None:
    """The helpdesk's working-time columns and breach flags follow from the timestamps and the SLA columns."""
    fr = sd.business_minutes(tickets["created_at"], tickets["first_response_at"])
    assert (fr - tickets["first_response_min_bh"]).abs().max() < 0.06
    res = sd.business_minutes(tickets["created_at"], tickets["resolved_at"]) / 60
    assert (res - tickets["resolution_h_bh"]).abs().max() < 0.006
    answered = tickets["first_response_at"].notna()
    breached = tickets["first_response_min_bh"] > tickets["sla_first_response_min"]
    assert (breached[answered] == tickets.loc[answered, "first_response_breached"].astype(bool)).all()
    done = tickets["resolved_at"].notna()
    late = tickets["resolution_h_bh"] > tickets["sla_resolution_h"]
    assert (late[done] == tickets.loc[done, "resolution_breached"].astype(bool)).all()
    assert tickets["status"].eq("решён").eq(done).all()
    assert (tickets.loc[answered, "first_response_at"] >= tickets.loc[answered, "created_at"]).all()
    assert (tickets.loc[done, "resolved_at"] >= tickets.loc[done, "first_response_at"]).all()


def test_clock_counts_only_working_hours() -> None:
    """Saturday 23:00 → Monday 09:10 is 10 working minutes; Friday 23:00 → Monday 09:10 adds Saturday's 7 hours."""
    start = pd.Series(pd.to_datetime(["2026-02-21T23:00:00+05:00", "2026-02-20T23:00:00+05:00"]))
    end = pd.Series(pd.to_datetime(["2026-02-23T09:10:00+05:00", "2026-02-23T09:10:00+05:00"]))
    assert sd.business_minutes(start, end).tolist() == [10.0, 430.0]
    noon = ["2026-02-22T12:00:00+05:00", "2026-01-01T12:00:00+05:00", "2026-02-21T12:00:00+05:00"]
    assert sd.is_open(pd.Series(pd.to_datetime(noon))).tolist() == [False, False, True]  # Sunday, holiday, Saturday


def test_answers_happen_while_the_desk_is_open(tickets: pd.DataFrame) -> None:
    """Operators answer only in working hours, and nobody phones a closed desk."""
    answered = tickets["first_response_at"].dropna()
    inside = sd.is_open(answered) | sd.is_open(answered - pd.Timedelta(seconds=1))
    assert inside.all()
    phones = tickets[tickets["channel"].eq("телефон")]
    assert sd.is_open(phones["created_at"]).all()


def test_sla_targets_follow_channel_and_priority(tickets: pd.DataFrame) -> None:
    """One target per channel × priority, halved for high priority and doubled for low."""
    table = tickets.groupby(["channel", "priority"], observed=True)["sla_first_response_min"].nunique()
    assert (table == 1).all()
    medium = tickets[tickets["priority"].eq("средний")].groupby("channel", observed=True)["sla_first_response_min"]
    assert medium.first().to_dict() == {"WhatsApp": 30, "Instagram Direct": 60, "Telegram": 30, "комментарий": 120,
                                        "телефон": 6, "e-mail": 240}  # fmt: skip
    by_priority = tickets.groupby("priority", observed=True)["sla_resolution_h"].unique().map(list).to_dict()
    assert by_priority == {"высокий": [8], "средний": [24], "низкий": [48]}


def test_off_hours_backlog_breaches_the_sla(tickets: pd.DataFrame, off_hours: pd.Series) -> None:
    """Off-hours tickets breach the first-response SLA ≈ 35 % vs ≈ 9 % in working hours (4×)."""
    share = tickets["first_response_breached"].astype(float).groupby(off_hours.to_numpy()).mean()
    assert 0.43 <= off_hours.mean() <= 0.52
    assert share[True] == pytest.approx(0.354, abs=0.03)
    assert share[False] == pytest.approx(0.088, abs=0.02)
    assert share[True] / share[False] >= 3
    sunday = tickets["created_at"].dt.day_of_week.eq(6)
    assert tickets.loc[sunday, "first_response_breached"].astype(float).mean() > share[True]
    calendar = (tickets["first_response_at"] - tickets["created_at"]).dt.total_seconds() / 60
    assert calendar[off_hours].median() > 20 * tickets.loc[off_hours, "first_response_min_bh"].median()


def test_one_agent_is_twice_as_slow(tickets: pd.DataFrame, off_hours: pd.Series) -> None:
    """In working hours the slow agent's median first response is ≈ 2× the others'; he breaches most often."""
    inside = tickets[~off_hours.to_numpy()]
    medians = inside.groupby("agent", observed=True)["first_response_min_bh"].median()
    assert medians.idxmax() == SLOW
    others = inside.loc[inside["agent"].ne(SLOW), "first_response_min_bh"].median()
    assert medians[SLOW] / others == pytest.approx(2.0, abs=0.3)
    relative = inside["first_response_min_bh"] / inside.groupby("channel", observed=True)[
        "first_response_min_bh"
    ].transform("median")
    assert relative[inside["agent"].eq(SLOW)].median() >= 1.8
    breach = tickets.groupby("agent", observed=True)["first_response_breached"].mean()
    assert breach.idxmax() == SLOW and breach[SLOW] >= 1.8 * breach.drop(SLOW).max()
    resolution = tickets.groupby(tickets["agent"].eq(SLOW))["resolution_h_bh"].median()
    assert resolution[True] >= 1.4 * resolution[False]


def test_refunds_escalate_most(tickets: pd.DataFrame) -> None:
    """A refund is escalated in ≈ 31 % of cases, other topics ≈ 6 % (about five times less)."""
    rate = tickets.groupby("topic", observed=True)["escalated"].mean()
    refund = tickets["topic"].eq("возврат")
    assert rate.idxmax() == "возврат"
    assert rate["возврат"] == pytest.approx(0.313, abs=0.05)
    assert rate["возврат"] >= 4 * tickets.loc[~refund, "escalated"].mean()
    reopened = tickets["reopened"].gt(0).groupby(tickets["topic"]).mean()
    assert set(reopened.nlargest(2).index) == {"возврат", "качество"}


def test_csat_falls_after_poor_service(tickets: pd.DataFrame) -> None:
    """CSAT ≈ 4.4 after an in-time first response, ≈ 3.5 after a breach; reopenings and escalations cost too."""
    csat = tickets.dropna(subset=["csat"])
    assert csat["status"].eq("решён").all()
    by_breach = csat.groupby(csat["first_response_breached"].astype(bool))["csat"].mean()
    assert by_breach[False] - by_breach[True] >= 0.8
    by_reopen = csat.groupby(csat["reopened"].gt(0))["csat"].mean()
    assert by_reopen[False] - by_reopen[True] >= 0.5
    by_escalation = csat.groupby("escalated")["csat"].mean()
    assert by_escalation[False] - by_escalation[True] >= 0.4
    assert 0.3 <= tickets["csat"].notna().sum() / tickets["status"].eq("решён").sum() <= 0.45
