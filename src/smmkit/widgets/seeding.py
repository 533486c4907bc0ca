"""Seeding planner lab: budget, goal and audience filters → a shortlist of bloggers and channels under the budget.

The computation is :func:`smmkit.analysis.seeding_plan.plan_seeding` (ranking, greedy shortlist, totals) and
:func:`smmkit.analysis.bots.channel_anomalies` (computed once: flagged channels); the widget wires controls to
them and draws every candidate channel: its post price against its cost per target contact.
"""

from __future__ import annotations

import html
import math

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from smmkit.analysis.bots import channel_anomalies
from smmkit.analysis.seeding_plan import GOALS, SeedingPlan, match_column, plan_seeding
from smmkit.data.universe import BRANDS
from smmkit.russian import plural, plural_word

SHOWN = 12
"""At most this many shortlisted channels are listed in the table (the totals count all of them)."""

GOAL_LABELS = {"Целевые контакты": "target", "Все контакты": "contacts", "Подписчики": "subscribers"}


def _money(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:,.0f}".replace(",", " ") + " ₸"


def _decimal(value: float) -> str:
    """One decimal with a Russian comma: 12,3."""
    return "—" if math.isnan(value) else f"{value:.1f}".replace(".", ",")


def _contacts(value: float) -> str:
    """«64 063 контакта»: the count with spaces and the noun in the right form."""
    return f"{_count(value)} {plural_word(int(value), 'контакт', 'контакта', 'контактов')}"


def _count(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


class SeedingPlanner(w.VBox):
    """Choose a brand, a budget, what to rank by and the audience filters; see the shortlist and its totals."""

    def __init__(self, influencers: pd.DataFrame, brand_id: str = "dala_style", budget: int = 1_000_000) -> None:
        self.channels = influencers
        self.anomalies = channel_anomalies(influencers)
        style = {"description_width": "initial"}
        brands = [(b.name, b.brand_id) for b in BRANDS if match_column(b.brand_id) in influencers.columns]
        self.brand = w.Dropdown(options=brands, value=brand_id, description="Бренд:", style=style)
        self.budget = w.IntSlider(value=budget, min=100_000, max=5_000_000, step=50_000, description="Бюджет, ₸:",
                                  style=style, continuous_update=False)
        self.goal = w.ToggleButtons(options=list(GOAL_LABELS.items()), value="target", description="Ранжировать по:",
                                    style=style)
        platforms = sorted(influencers["platform"].astype(str).unique())
        languages = sorted(influencers["language"].astype(str).unique())
        self.platforms = w.SelectMultiple(options=platforms, value=tuple(platforms), description="Площадки:",
                                          rows=len(platforms), style=style)
        self.languages = w.SelectMultiple(options=languages, value=tuple(languages), description="Языки:",
                                          rows=len(languages), style=style)
        self.min_match = w.FloatSlider(value=0.0, min=0.0, max=0.5, step=0.05, description="Доля ЦА не меньше:",
                                       style=style, continuous_update=False, readout_format=".0%")
        self.max_bot_share = w.FloatSlider(value=1.0, min=0.05, max=1.0, step=0.05, style=style,
                                           description="Доля ботов не больше:", continuous_update=False,
                                           readout_format=".0%")
        self.exclude_flagged = w.Checkbox(value=True, description="Исключить подозрительные каналы", indent=False)
        self.figure = go.FigureWidget(layout={
            "height": 360, "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
            "xaxis": {"title": "цена поста, ₸", "type": "log"},
            "yaxis": {"title": "₸ за целевой контакт", "type": "log"},
            "legend": {"orientation": "h", "y": -0.2}})
        self.figure.add_scatter(mode="markers", name="кандидаты", marker={"color": "#9aa5b1", "size": 7})
        self.figure.add_scatter(mode="markers", name="в плане", marker={"color": "#2ca02c", "size": 10})
        self.figure.add_scatter(mode="markers", name="подозрительные", marker={"color": "#d62728", "symbol": "x",
                                                                                "size": 9})
        self.summary = w.HTML()
        self.table = w.HTML()
        for control in (self.brand, self.budget, self.goal, self.platforms, self.languages, self.min_match,
                        self.max_bot_share, self.exclude_flagged):
            control.observe(self._update, names="value")
        super().__init__([
            w.HBox([self.brand, self.budget]), self.goal,
            w.HBox([self.platforms, self.languages,
                    w.VBox([self.min_match, self.max_bot_share, self.exclude_flagged])]),
            self.summary, self.figure, self.table,
        ])
        self._update()

    @property
    def plan(self) -> SeedingPlan:
        """The plan for the current control values."""
        return plan_seeding(self.channels, self.anomalies, self.brand.value, self.budget.value, self.goal.value,
                            self.platforms.value, self.languages.value, self.min_match.value,
                            self.max_bot_share.value, self.exclude_flagged.value)

    def _update(self, *_: object) -> None:
        plan = self.plan
        shortlist, candidates = plan.shortlist, plan.candidates
        flagged = plan.flagged_in_shortlist
        warning = (f"<br><b style='color:#d62728'>В плане подозрительные каналы: {len(flagged)}</b> — "
                   + "; ".join(f"{html.escape(str(r.name))} ({html.escape(r.reasons)})" for r in flagged.itertuples())
                   if len(flagged) else "")
        excluded = (f"; исключено подозрительных: {plan.excluded_flagged}" if self.exclude_flagged.value else
                    f"; подозрительных среди кандидатов: {int(candidates['suspicious'].sum())}")
        self.summary.value = (
            f"<b>В плане {plural(len(shortlist), 'публикация', 'публикации', 'публикаций')}</b> из "
            f"{len(candidates)} каналов-кандидатов{excluded}. Ранжирование: {GOALS[plan.goal]}.<br>"
            f"<b>Потрачено:</b> {_money(plan.spend)} из {_money(plan.budget)} · "
            f"<b>ожидаемый охват:</b> {_contacts(plan.reach)} · "
            f"<b>целевых контактов:</b> {_count(plan.target_contacts)} · "
            f"<b>стоимость целевого контакта:</b> {_decimal(plan.cost_per_target_contact)} ₸{warning}"
        )
        chosen = candidates["chosen"].to_numpy()
        suspicious = candidates["suspicious"].to_numpy()
        x = candidates["price_kzt"].to_numpy(dtype=float)
        y = candidates["cost_per_target_contact"].to_numpy(dtype=float)
        names = candidates["name"].astype(str).to_numpy() if "name" in candidates else candidates.index.astype(str)
        with self.figure.batch_update():
            for trace, keep in zip(self.figure.data, (~chosen, chosen, suspicious), strict=True):
                trace.x, trace.y, trace.text = x[keep], y[keep], names[keep]
            brand = dict((v, k) for k, v in self.brand.options)[self.brand.value]
            self.figure.layout.title = f"Каналы для посева · {brand}"
        self.table.value = self._table(shortlist)

    @staticmethod
    def _table(shortlist: pd.DataFrame) -> str:
        if shortlist.empty:
            return "<i>Ни один канал не проходит фильтры или бюджет слишком мал.</i>"
        head = ("<tr><th>канал</th><th>площадка</th><th>подписчики</th><th>просмотры</th><th>доля ЦА</th>"
                "<th>цена, ₸</th><th>₸ за целевой контакт</th></tr>")
        rows = [
            f"<tr><td>{html.escape(str(r.name))}</td><td>{r.platform}</td><td>{_count(r.subscribers)}</td>"
            f"<td>{_count(r.avg_views)}</td><td>{r.match:.0%}</td><td>{_count(r.price_kzt)}</td>"
            f"<td>{_decimal(r.cost_per_target_contact)}</td></tr>"
            for r in shortlist.head(SHOWN).itertuples()
        ]
        more = len(shortlist) - SHOWN
        tail = f"<i>…и ещё {more}</i>" if more > 0 else ""
        return f"<table>{head}{''.join(rows)}</table>{tail}"

    def shortlist_ids(self) -> list[str]:
        """IDs of the shortlisted channels, in the order they were picked."""
        return self.plan.shortlist["influencer_id"].tolist()

