"""Posting-time lab: an audience heatmap, a slot planner and the expected reach change of the plan."""

from __future__ import annotations

import math
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from smmkit.analysis.posting_time import Slot, activity_grid, plan_slots, reach_change, slot_label
from smmkit.data.universe import TIMEZONE
from smmkit.plots import weekday_hour_heatmap


@dataclass(frozen=True)
class LabState:
    """What the lab shows for one choice of account and settings."""

    account_id: str
    grid: pd.DataFrame
    slots: list[Slot]
    current: list[Slot]
    change: float

    @property
    def labels(self) -> list[str]:
        """The chosen slots as text, in week order."""
        return [slot_label(s) for s in self.slots]


def current_slots(posts: pd.DataFrame, account_id: str) -> list[Slot]:
    """Local (weekday, hour) of every post the account published: the team's habit so far."""
    mine = posts.loc[posts["account_id"] == account_id, "published_at_utc"].dt.tz_convert(TIMEZONE)
    return list(zip(mine.dt.day_of_week.tolist(), mine.dt.hour.tolist(), strict=True))


def lab_state(
    activity: pd.DataFrame, posts: pd.DataFrame, account_id: str, posts_per_week: int, min_gap_hours: int
) -> LabState:
    """Compute the plan and its expected reach change against the team's current habit."""
    grid = activity_grid(activity, account_id)
    slots = plan_slots(grid, posts_per_week, min_gap_hours=min_gap_hours)
    habit = current_slots(posts, account_id)
    change = reach_change(grid, slots, habit) if habit else float("nan")
    return LabState(account_id, grid, slots, habit, change)


class PostingTimeLab(w.VBox):
    """Choose an account and a posting rate; see the audience heatmap, the best slots and the reach gain."""

    def __init__(self, activity: pd.DataFrame, posts: pd.DataFrame, accounts: pd.DataFrame) -> None:
        self._activity, self._posts = activity, posts
        options = [(f"{r.brand} · {r.platform}", r.account_id) for r in accounts.itertuples()]
        self.account = w.Dropdown(options=options, description="Аккаунт:", style={"description_width": "initial"})
        self.per_week = w.IntSlider(value=7, min=1, max=14, description="Публикаций в неделю:",
                                    style={"description_width": "initial"}, continuous_update=False)
        self.gap = w.IntSlider(value=3, min=1, max=6, description="Мин. интервал, ч:",
                               style={"description_width": "initial"}, continuous_update=False)
        self.figure = go.FigureWidget(weekday_hour_heatmap(
            activity_grid(activity, options[0][1]), "Доля аудитории онлайн", "онлайн", slots=[(0, 0)]))
        self.summary = w.HTML()
        for control in (self.account, self.per_week, self.gap):
            control.observe(self._update, names="value")
        super().__init__([w.HBox([self.account]), w.HBox([self.per_week, self.gap]), self.figure, self.summary])
        self._update()

    @property
    def state(self) -> LabState:
        """The state for the current control values."""
        return lab_state(self._activity, self._posts, self.account.value, self.per_week.value, self.gap.value)

    def _update(self, *_: object) -> None:
        st = self.state
        fresh = weekday_hour_heatmap(st.grid, f"Доля аудитории онлайн · {self.account.label}", "онлайн",
                                     slots=st.slots)
        with self.figure.batch_update():
            self.figure.data[0].z = fresh.data[0].z
            self.figure.data[1].x, self.figure.data[1].y = fresh.data[1].x, fresh.data[1].y
            self.figure.layout.title = fresh.layout.title
        sign = "+" if st.change >= 0 else "−"
        change = "нет данных" if math.isnan(st.change) else f"{sign}{abs(st.change):.0%}"
        self.summary.value = (
            f"<b>Расписание на неделю ({len(st.slots)}):</b> {', '.join(st.labels)}<br>"
            f"<b>Ожидаемое изменение среднего охвата публикации</b> по сравнению с тем, когда команда "
            f"публиковала раньше (публикаций в истории: {len(st.current)}): <b>{change}</b>"
        )
