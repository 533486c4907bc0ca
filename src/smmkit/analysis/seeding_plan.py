"""Seeding plan: rank channels by what one post costs per contact, and buy posts greedily under a budget.

Channels table: the ``influencers`` dataset (one row per blogger or Telegram channel): ``price_kzt`` (one post),
``subscribers``, ``avg_views`` (mean views of a post), ``audience_match_<brand_id>`` (share of the channel's
subscribers in the brand's target audience, geography included), ``platform``, ``language``, ``bot_share``.

One post per channel; a post reaches ``avg_views`` contacts, of them ``avg_views × match`` are target contacts.
Contacts of different channels are summed: people who follow two chosen channels are counted twice, so the plan's
reach is an upper bound of the unique people reached (a course assumption; services estimate the overlap).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from smmkit.metrics import cost_per_contact

GOALS: dict[str, str] = {
    "target": "стоимость целевого контакта",
    "contacts": "стоимость контакта (просмотра)",
    "subscribers": "цена за подписчика",
}
"""What the shortlist ranks by: the right measure (``target``) and two typical traps (all contacts, subscribers)."""

CHANNEL_COLUMNS = ("influencer_id", "platform", "language", "subscribers", "avg_views", "price_kzt", "bot_share")
"""Columns the plan needs (with ``audience_match_<brand_id>``)."""

SHOWN_COLUMNS = ("influencer_id", "name", "handle", "platform", "language", "city", "topic", "subscribers",
                 "avg_views", "price_kzt", "bot_share")
"""Columns the plan's candidates table keeps where present."""


def match_column(brand_id: str) -> str:
    """The column with the share of a channel's subscribers in ``brand_id``'s target audience.

    >>> match_column("dala_style")
    'audience_match_dala_style'
    """
    return f"audience_match_{brand_id}"


def target_contacts(avg_views: pd.Series | float, match: pd.Series | float) -> pd.Series | float:
    """Target contacts of one post = avg_views × match (views by the brand's target audience).

    >>> target_contacts(20_000, 0.25)
    5000.0
    """
    return avg_views * match * 1.0


def cost_per_subscriber(price: pd.Series | float, subscribers: pd.Series | float) -> pd.Series | float:
    """Cost per subscriber = price / subscribers: the trap measure (subscribers are not views, nor target).

    >>> cost_per_subscriber(40_000, 50_000)
    0.8
    """
    return price / subscribers


def ranking_cost(channels: pd.DataFrame, brand_id: str, goal: str = "target") -> pd.Series:
    """The cost the shortlist ranks by, per channel (₸ per unit of the goal, lower is better).

    ``target``: price / (avg_views × match) — cost per target contact (``metrics.cost_per_contact``);
    ``contacts``: price / avg_views — cost per contact; ``subscribers``: price / subscribers.

    >>> c = pd.DataFrame({"price_kzt": [60_000, 20_000], "avg_views": [30_000, 20_000],
    ...                   "subscribers": [100_000, 40_000], "audience_match_dala_style": [0.4, 0.05]})
    >>> ranking_cost(c, "dala_style").tolist(), ranking_cost(c, "dala_style", "contacts").tolist()
    ([5.0, 20.0], [2.0, 1.0])
    """
    if goal not in GOALS:
        raise ValueError(f"Аргумент «goal» должен быть одним из: {', '.join(GOALS)} (получено «{goal}»).")
    price = channels["price_kzt"].astype(float)
    if goal == "subscribers":
        return cost_per_subscriber(price, channels["subscribers"].astype(float))
    if goal == "contacts":
        return cost_per_contact(price, channels["avg_views"].astype(float))
    return cost_per_contact(price, channels["avg_views"].astype(float), channels[match_column(brand_id)].astype(float))


def buy_cheapest_first(
    price: Sequence[float] | np.ndarray | pd.Series,
    unit_cost: Sequence[float] | np.ndarray | pd.Series,
    budget: float,
    whole: bool = True,
) -> np.ndarray:
    """Share (0…1) of each offer bought, walking from the lowest ``unit_cost`` up until ``budget`` runs out.

    An offer costs ``price`` in all (a post; or all the contacts a channel can deliver). ``whole=True``: an offer
    is bought whole or not at all; one that does not fit the money left is skipped and the walk goes on, since a
    cheaper offer further down may still fit (a greedy rule, not always the best set). ``whole=False``: the first
    offer that does not fit is bought in part with all the money left — the optimum when offers are divisible.
    Offers with a NaN unit cost are never bought; ties keep the given order.

    >>> buy_cheapest_first([50, 80, 30], [1.0, 2.0, 3.0], 100).tolist()
    [1.0, 0.0, 1.0]
    >>> buy_cheapest_first([50, 80, 30], [1.0, 2.0, 3.0], 100, whole=False).tolist()
    [1.0, 0.625, 0.0]
    """
    if not budget >= 0:
        raise ValueError("Аргумент «budget» — бюджет в тенге, не меньше нуля.")
    left = float(budget)
    prices, costs = np.asarray(price, dtype=float), np.asarray(unit_cost, dtype=float)
    if prices.shape != costs.shape or prices.ndim != 1:
        raise ValueError("Аргументы «price» и «unit_cost» должны описывать одни и те же предложения.")
    bought = np.zeros(len(prices))
    for i in np.argsort(costs, kind="stable"):  # NaN sorts last
        if np.isnan(costs[i]):
            break
        if prices[i] <= left:
            bought[i] = 1.0
            left -= prices[i]
        elif not whole:
            bought[i] = left / prices[i]
            break
    return bought


def greedy_shortlist(price: pd.Series, cost: pd.Series, budget: float) -> pd.Series:
    """Walk the channels from the lowest ``cost`` up; buy one post where its price fits the budget left.

    A greedy plan, not the best possible one (that is a knapsack problem): with whole posts a cheaper channel
    further down can use the money a dear one leaves. Channels with a NaN cost are never chosen. The walk is
    :func:`buy_cheapest_first` with whole offers (``budget.allocate_by_cost_per_contact`` buys divisible
    contacts the same way).

    >>> greedy_shortlist(pd.Series([50, 80, 30]), pd.Series([1.0, 2.0, 3.0]), budget=100).tolist()
    [True, False, True]
    """
    bought = buy_cheapest_first(price.to_numpy(dtype=float), cost.reindex(price.index).to_numpy(dtype=float), budget)
    return pd.Series(bought == 1.0, index=price.index, name="chosen")


@dataclass(frozen=True)
class SeedingPlan:
    """A shortlist and its totals: the candidates table (with ``chosen``), spend, reach, target contacts."""

    brand_id: str
    goal: str
    budget: float
    candidates: pd.DataFrame
    excluded_flagged: int

    @cached_property
    def shortlist(self) -> pd.DataFrame:
        """The chosen channels, in the order they were picked (lowest ranking cost first)."""
        chosen = self.candidates["chosen"].to_numpy()
        order = np.argsort(self.candidates["ranking_cost"].to_numpy(), kind="stable")
        return self.candidates.iloc[order[chosen[order]]]

    @property
    def spend(self) -> float:
        """Σ price of the chosen posts, ₸."""
        return float(self.shortlist["price_kzt"].sum())

    @property
    def reach(self) -> float:
        """Expected reach = Σ avg_views of the chosen channels (contacts; overlaps counted twice)."""
        return float(self.shortlist["avg_views"].sum())

    @property
    def target_contacts(self) -> float:
        """Expected target contacts = Σ avg_views × match of the chosen channels."""
        return float(self.shortlist["target_contacts"].sum())

    @property
    def cost_per_target_contact(self) -> float:
        """The plan's cost per target contact = spend / target contacts (NaN with no target contact)."""
        return self.spend / self.target_contacts if self.target_contacts > 0 else float("nan")

    @property
    def flagged_in_shortlist(self) -> pd.DataFrame:
        """Chosen channels that ``channel_anomalies`` flags (only when flagged ones were not excluded)."""
        return self.shortlist[self.shortlist["suspicious"]]


def plan_seeding(
    channels: pd.DataFrame,
    anomalies: pd.DataFrame,
    brand_id: str,
    budget: float,
    goal: str = "target",
    platforms: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    min_match: float = 0.0,
    max_bot_share: float = 1.0,
    exclude_flagged: bool = True,
) -> SeedingPlan:
    """Filter the channels, rank them by ``goal``'s cost and buy posts greedily under ``budget``.

    ``anomalies`` is ``channel_anomalies(channels)`` (computed once: it does not depend on the plan). Filters:
    ``platforms`` and ``languages`` (None or empty = all), ``match ≥ min_match``, ``bot_share ≤ max_bot_share``,
    and the channels ``anomalies`` flags as suspicious when ``exclude_flagged``.

    >>> c = pd.DataFrame({"influencer_id": ["A", "B", "C"], "platform": ["Telegram"] * 3, "language": ["ru"] * 3,
    ...     "subscribers": [10_000, 40_000, 8_000], "avg_views": [3_000, 2_000, 2_500],
    ...     "price_kzt": [30_000, 20_000, 15_000], "bot_share": [0.1, 0.6, 0.1],
    ...     "audience_match_dala_style": [0.3, 0.3, 0.2]})
    >>> a = pd.DataFrame({"suspicious": [False, True, False], "reasons": ["", "ERR низкий", ""]})
    >>> p = plan_seeding(c, a, "dala_style", budget=40_000)   # B is flagged: out; A 33.3 ₸, C 30 ₸ per target contact
    >>> p.shortlist["influencer_id"].tolist(), p.spend, p.target_contacts, round(p.cost_per_target_contact, 2)
    (['C'], 15000.0, 500.0, 30.0)
    """
    missing = [c for c in (*CHANNEL_COLUMNS, match_column(brand_id)) if c not in channels.columns]
    if missing:
        raise ValueError(
            f"В таблице каналов нет столбца «{missing[0]}»: загрузите её через datasets.load(\"influencers\")."
        )
    if not anomalies.index.equals(channels.index):
        raise ValueError("Аргумент «anomalies» — результат channel_anomalies(channels) для той же таблицы каналов.")
    if not 0 <= min_match <= 1 or not 0 <= max_bot_share <= 1:
        raise ValueError("Аргументы «min_match» и «max_bot_share» — доли от 0 до 1.")
    if goal not in GOALS:
        raise ValueError(f"Аргумент «goal» должен быть одним из: {', '.join(GOALS)} (получено «{goal}»).")
    # numpy throughout: the lab calls this on every input change (≤ 100 ms), and pandas' per-call overhead on a
    # 300-row table is most of that; the formulas are those of ranking_cost and target_contacts (tests compare).
    match = channels[match_column(brand_id)].to_numpy(dtype=float)
    keep = (match >= min_match) & (channels["bot_share"].to_numpy(dtype=float) <= max_bot_share)
    keep &= _isin(channels["platform"], platforms) & _isin(channels["language"], languages)
    flagged = anomalies["suspicious"].to_numpy(dtype=bool)
    excluded = int((keep & flagged).sum()) if exclude_flagged else 0
    if exclude_flagged:
        keep &= ~flagged
    price, views = channels["price_kzt"].to_numpy(dtype=float)[keep], channels["avg_views"].to_numpy(dtype=float)[keep]
    columns = {c: channels[c].to_numpy()[keep] for c in SHOWN_COLUMNS if c in channels.columns}
    contacts = views * match[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        per_target = np.where(contacts > 0, price / np.where(contacts > 0, contacts, 1), np.nan)
        base = {"target": contacts, "contacts": views,
                "subscribers": channels["subscribers"].to_numpy(dtype=float)[keep]}[goal]
        ranking = np.where(base > 0, price / np.where(base > 0, base, 1), np.nan)
    index = channels.index[keep]
    out = pd.DataFrame({**columns, "match": match[keep], "target_contacts": contacts,
                        "cost_per_target_contact": per_target, "ranking_cost": ranking, "suspicious": flagged[keep],
                        "reasons": anomalies["reasons"].to_numpy()[keep]}, index=index)
    out["chosen"] = greedy_shortlist(pd.Series(price, index=index), pd.Series(ranking, index=index), budget)
    return SeedingPlan(brand_id, goal, float(budget), out, excluded)


def _isin(values: pd.Series, allowed: Iterable[str] | None) -> np.ndarray:
    allowed = list(allowed or ())
    return np.isin(values.to_numpy(dtype=str), allowed) if allowed else np.ones(len(values), dtype=bool)


def plan_table(plan: SeedingPlan) -> pd.DataFrame:
    """The shortlist with Russian headers, for a lesson or a report.

    >>> c = pd.DataFrame({"influencer_id": ["A"], "platform": ["TikTok"], "language": ["kk"], "name": ["Асель"],
    ...     "subscribers": [10_000], "avg_views": [4_000], "price_kzt": [20_000], "bot_share": [0.1],
    ...     "audience_match_astana_fit": [0.25]})
    >>> a = pd.DataFrame({"suspicious": [False], "reasons": [""]})
    >>> plan_table(plan_seeding(c, a, "astana_fit", 50_000)).iloc[0].astype(str).tolist()
    ['A', 'Асель', 'TikTok', '10000', '4000', '0.25', '1000.0', '20000', '20.0']
    """
    columns = {"influencer_id": "ID", "name": "Канал", "platform": "Площадка", "subscribers": "Подписчики",
               "avg_views": "Просмотры поста", "match": "Доля ЦА", "target_contacts": "Целевые контакты",
               "price_kzt": "Цена поста, ₸", "cost_per_target_contact": "₸ за целевой контакт"}
    shortlist = plan.shortlist
    present = {k: v for k, v in columns.items() if k in shortlist.columns}
    return shortlist[list(present)].rename(columns=present).reset_index(drop=True)


def rank_agreement(channels: pd.DataFrame, brand_id: str) -> float:
    """Spearman rank correlation between a post's price and its cost per target contact (all channels).

    Negative in the course data: the cheapest posts are rarely the cheapest target contacts.

    >>> c = pd.DataFrame({"price_kzt": [10, 20, 30], "avg_views": [10, 40, 90], "audience_match_x": [1, 1, 1]})
    >>> rank_agreement(c, "x")
    -1.0
    """
    cost = ranking_cost(channels, brand_id, "target")
    return float(channels["price_kzt"].astype(float).rank().corr(cost.rank()))
