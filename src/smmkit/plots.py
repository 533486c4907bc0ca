"""Plotly figures for lessons and widgets. Builders return ``go.Figure``; notebooks decide when to show."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from smmkit.analysis.posting_time import Slot


def weekday_hour_heatmap(
    grid: pd.DataFrame,
    title: str,
    value_label: str = "значение",
    percent: bool = True,
    slots: list[Slot] | None = None,
) -> go.Figure:
    """Heatmap of a 7 x 24 grid (rows Пн..Вс, columns hours), optionally marking chosen slots."""
    z = grid.to_numpy(dtype=float)
    fmt = ".1%" if percent else ".3g"
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"{h:02d}" for h in grid.columns],
            y=list(grid.index),
            colorscale="YlOrRd",
            colorbar={"title": {"text": value_label}, "tickformat": fmt},
            hovertemplate=f"%{{y}} %{{x}}:00<br>{value_label}: %{{z:{fmt}}}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    if slots:
        fig.add_trace(
            go.Scatter(
                x=[f"{h:02d}" for _, h in slots],
                y=[grid.index[d] for d, _ in slots],
                mode="markers",
                marker={"symbol": "star", "size": 14, "color": "#1f3b99", "line": {"color": "white", "width": 1}},
                name="выбранные слоты",
                hoverinfo="skip",
            )
        )
    fig.update_layout(
        title=title,
        xaxis_title="час (Asia/Almaty)",
        yaxis={"autorange": "reversed", "title": ""},
        height=330,
        margin={"l": 40, "r": 20, "t": 50, "b": 40},
        showlegend=False,
    )
    return fig
