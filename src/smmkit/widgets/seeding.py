"""Seeding planner lab: budget, goal and audience filters → a shortlist of bloggers and channels under the budget.

The computation is :func:`smmkit.analysis.seeding_plan.plan_seeding` (ranking, greedy shortlist, totals) and
:func:`smmkit.analysis.bots.channel_anomalies` (computed once: flagged channels); the widget wires controls to
them and draws every candidate channel: its post price against its cost per target contact.
"""

from __future__ import annotations

import html
import math

import ipywidgets as w
import numpy as np
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


def _title(brand: str) -> str:
    return f"Каналы для посева · {brand}"


def _points(plan: SeedingPlan) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(price, cost per target contact, name) of the candidates left out, the chosen and the suspicious ones."""
    c = plan.candidates
    chosen, suspicious = c["chosen"].to_numpy(), c["suspicious"].to_numpy()
    x, y = c["price_kzt"].to_numpy(dtype=float), c["cost_per_target_contact"].to_numpy(dtype=float)
    names = c["name"].astype(str).to_numpy() if "name" in c else c.index.astype(str).to_numpy()
    return [(x[keep], y[keep], names[keep]) for keep in (~chosen, chosen, suspicious)]


def _figure(plan: SeedingPlan, brand: str) -> go.Figure:
    """Every candidate channel: its post price against its cost per target contact (log axes)."""
    fig = go.Figure(layout={
        "height": 360, "margin": {"l": 60, "r": 20, "t": 50, "b": 50}, "title": _title(brand),
        "xaxis": {"title": "цена поста, ₸", "type": "log"}, "yaxis": {"title": "₸ за целевой контакт", "type": "log"},
        "legend": {"orientation": "h", "y": -0.2}})
    markers = ({"color": "#9aa5b1", "size": 7}, {"color": "#2ca02c", "size": 10},
               {"color": "#d62728", "symbol": "x", "size": 9})
    for (x, y, text), name, marker in zip(_points(plan), ("кандидаты", "в плане", "подозрительные"), markers,
                                          strict=True):
        fig.add_scatter(x=x, y=y, text=text, mode="markers", name=name, marker=marker)
    return fig


class SeedingPlanner(w.VBox):
    """Choose a brand, a budget, what to rank by and the audience filters; see the shortlist and its totals."""

    def __init__(self, influencers: pd.DataFrame, brand_id: str = "dala_style", budget: int = 1_000_000) -> None:
        self.channels = influencers
        self.anomalies = channel_anomalies(influencers)
        style = {"description_width": "initial"}
        self.figure: go.FigureWidget | None = None
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
        self.summary = w.HTML()
        self.table = w.HTML()
        # The FigureWidget is built with its traces and data: a trace added to a FigureWidget before it is shown
        # never reaches the browser (its synced state holds only what it was built with and the last update).
        self._update()
        for control in (self.brand, self.budget, self.goal, self.platforms, self.languages, self.min_match,
                        self.max_bot_share, self.exclude_flagged):
            control.observe(self._update, names="value")
        super().__init__([
            w.HBox([self.brand, self.budget]), self.goal,
            w.HBox([self.platforms, self.languages,
                    w.VBox([self.min_match, self.max_bot_share, self.exclude_flagged])]),
            self.summary, self.figure, self.table,
        ])

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
        brand = dict((v, k) for k, v in self.brand.options)[self.brand.value]
        if self.figure is None:  # first call: the FigureWidget is built with its data (see __init__)
            self.figure = go.FigureWidget(_figure(plan, brand))
        else:
            with self.figure.batch_update():
                for trace, (x, y, text) in zip(self.figure.data, _points(plan), strict=True):
                    trace.x, trace.y, trace.text = x, y, text
                self.figure.layout.title = _title(brand)
        self.table.value = self._table(shortlist)

    @staticmethod
    def _table(shortlist: pd.DataFrame) -> str:
        if shortlist.empty:
            return "<i>Ни один канал не проходит фильтры или бюджет слишком мал.</i>"
        head = ("<tr><th>канал</th><th>площадка</th><th>подписчики</th><th>просмотры</th><th>доля ЦА</th>"
                "<th>цена, ₸</th><th>₸ за целевой контакт</th></tr>")
        top = shortlist.head(SHOWN)
        columns = ("name", "platform", "subscribers", "avg_views", "match", "price_kzt", "cost_per_target_contact")
        rows = [
            f"<tr><td>{html.escape(str(name))}</td><td>{platform}</td><td>{_count(subscribers)}</td>"
            f"<td>{_count(views)}</td><td>{match:.0%}</td><td>{_count(price)}</td><td>{_decimal(cost)}</td></tr>"
            for name, platform, subscribers, views, match, price, cost in zip(
                *(top[c].to_numpy() for c in columns), strict=True)
        ]
        more = len(shortlist) - SHOWN
        tail = f"<i>…и ещё {more}</i>" if more > 0 else ""
        return f"<table>{head}{''.join(rows)}</table>{tail}"

    def shortlist_ids(self) -> list[str]:
        """IDs of the shortlisted channels, in the order they were picked."""
        return self.plan.shortlist["influencer_id"].tolist()

