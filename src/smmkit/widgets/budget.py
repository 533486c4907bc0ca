"""Budget planner: split a daily ad budget between channels by hand, then compare with the optimal split.

The logic is pure functions: :func:`plan_outcome` predicts leads (or reach), CPA and ROMI of a split from the
channels' response curves; :func:`compare_with_optimum` puts the split next to ``allocate_budget``'s optimum;
:func:`response_figure` draws the curves with the chosen points. :class:`BudgetPlanner` only wires sliders to
them. :meth:`BudgetPlanner.from_ads` fits the curves on ``ads_daily`` (one point per platform and day).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from smmkit import metrics
from smmkit.analysis.budget import OBJECTIVES, Allocation, ResponseCurve, allocate_budget, fit_response_curves
from smmkit.data.universe import BRANDS

TOTAL = "Итого"
"""Label of the total row in :func:`plan_outcome` and :func:`compare_with_optimum` tables."""

GOALS: dict[str, str] = {"result": "по результату", "profit": "по валовой прибыли"}
"""What the optimum maximises: the curves' result (leads, reach...) or gross profit (needs revenue per lead)."""

RESULT_WORDS: dict[str, tuple[str, str, str, str, str]] = {
    "leads": ("Лиды в день", "лидов", "CPA (цена лида), ₸", "лид", "Маржинальная CPA, ₸"),
    "reach": ("Охват в день", "охвата", "Цена контакта, ₸", "контакт", "Цена следующего контакта, ₸"),
    "clicks": ("Клики в день", "кликов", "CPC, ₸", "клик", "Цена следующего клика, ₸"),
    "sales": ("Продажи в день", "продаж", "CPA (цена продажи), ₸", "продажу", "Маржинальная CPA, ₸"),
    "revenue": ("Выручка в день, ₸", "выручки", "₸ расхода на 1 ₸ выручки", "тенге выручки",
                "₸ расхода на следующий 1 ₸ выручки"),
}
"""Per objective: the result's column title, its genitive («больше …»), the cost-per-result title, «на …» and the
title of the marginal cost (the price of the next result)."""


def _words(objective: str) -> tuple[str, str, str, str, str]:
    """The Russian words for an objective (see :data:`RESULT_WORDS`), generic ones for an unlisted objective."""
    return RESULT_WORDS.get(objective, (OBJECTIVES.get(objective, "Результат"), "результата", "Цена результата, ₸",
                                        "результат", "Цена следующего результата, ₸"))


ADS_RESULTS = ("leads", "reach", "link_clicks", "purchases")
"""Columns of ``ads_daily`` a planner can be fitted on."""

_ADS_OBJECTIVE = {"leads": "leads", "reach": "reach", "link_clicks": "clicks", "purchases": "sales"}
_STEPS = (1, 5, 10, 50, 100, 500, 1000, 5000, 10_000, 50_000)
_COLORS = qualitative.Plotly
_CURVE_POINTS = 121


# --- formatting -----------------------------------------------------------------------------------------------


def _num(value: float, digits: int = 0) -> str:
    """A number the Russian way: thin groups of thousands, a decimal comma, «—» for NaN.

    >>> _num(147297.5), _num(12.345, 1), _num(float("nan"))
    ('147\\xa0298', '12,3', '—')
    """
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{value:,.{digits}f}".replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "−")


def _pct(value: float, digits: int = 1, sign: bool = False) -> str:
    """A fraction as a Russian percentage: 0.126 → «12,6 %» (with ``sign``: «+12,6 %»)."""
    if value is None or not math.isfinite(value):
        return "—"
    text = _num(abs(value) * 100, digits) + "\u00a0%"
    if value < 0:
        return "−" + text
    return ("+" + text) if sign else text


# --- pure logic -----------------------------------------------------------------------------------------------


def _curves(curves: Sequence[ResponseCurve] | Mapping[str, ResponseCurve]) -> dict[str, ResponseCurve]:
    """Channel name → curve, checking the input; a Russian ValueError if it is empty or malformed."""
    pairs = list(curves.items()) if isinstance(curves, Mapping) else [(getattr(c, "channel", ""), c) for c in curves]
    if not pairs:
        raise ValueError("Аргумент «curves» пуст: нужна хотя бы одна кривая отклика (ResponseCurve).")
    out: dict[str, ResponseCurve] = {}
    for name, curve in pairs:
        if not isinstance(curve, ResponseCurve):
            raise ValueError("Аргумент «curves» должен содержать кривые отклика ResponseCurve.")
        if not name:
            raise ValueError("У каждой кривой в «curves» должно быть имя канала («channel»).")
        if str(name) in out:
            raise ValueError(f"Канал «{name}» встречается в «curves» дважды.")
        out[str(name)] = curve
    return out


def _spends(
    spends: Mapping[str, float] | Sequence[float] | pd.Series, channels: list[str], name: str = "spends"
) -> np.ndarray:
    """Numbers per channel in ``channels`` order; a Russian ValueError naming argument ``name`` if one is bad."""
    if isinstance(spends, Mapping | pd.Series):
        given = {str(k): v for k, v in dict(spends).items()}
        unknown = [k for k in given if k not in channels]
        if unknown:
            raise ValueError(f"В «{name}» есть канал «{unknown[0]}», для которого нет кривой отклика.")
        missing = [c for c in channels if c not in given]
        if missing:
            raise ValueError(f"В «{name}» нет значения для канала «{missing[0]}».")
        values = [given[c] for c in channels]
    else:
        values = list(spends)
        if len(values) != len(channels):
            raise ValueError(f"В «{name}» {len(values)} значений, а каналов {len(channels)}.")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"Аргумент «{name}» должен содержать числа (тенге).") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"В «{name}» есть пропуски или бесконечности.")
    if np.any(arr < 0):
        raise ValueError(f"Значения «{name}» не могут быть отрицательными.")
    return arr


def _money(
    revenue_per_lead: float | Mapping[str, float] | None, margin: float | None, channels: list[str]
) -> tuple[np.ndarray | None, float | None]:
    """Revenue per result for each channel and the margin, checked; (None, None) when ROMI is not asked for."""
    if revenue_per_lead is None:
        if margin is not None:
            raise ValueError("Аргумент «margin» задан без «revenue_per_lead»: для ROMI нужна выручка на лид.")
        return None, None
    if margin is None:
        raise ValueError("Для ROMI нужна и маржа: задайте «margin», долю от 0 до 1 (например, 0.75).")
    try:
        m = float(margin)
    except (TypeError, ValueError):
        raise ValueError("Аргумент «margin» должен быть числом — долей от 0 до 1.") from None
    if not 0 < m <= 1:
        raise ValueError(f"Аргумент «margin» — доля от 0 до 1 (например, 0.75 для 75 %), получено {margin}.")
    if isinstance(revenue_per_lead, Mapping | pd.Series):
        rpl = _spends(revenue_per_lead, channels, "revenue_per_lead")
    else:
        try:
            rpl = np.full(len(channels), float(revenue_per_lead))
        except (TypeError, ValueError):
            raise ValueError("Аргумент «revenue_per_lead» должен быть числом или словарём «канал → число».") from None
        if not math.isfinite(rpl[0]) or rpl[0] < 0:
            raise ValueError("Аргумент «revenue_per_lead» должен быть конечным числом не меньше нуля.")
    return rpl, m


def plan_outcome(
    curves: Sequence[ResponseCurve] | Mapping[str, ResponseCurve],
    spends: Mapping[str, float] | Sequence[float] | pd.Series,
    revenue_per_lead: float | Mapping[str, float] | None = None,
    margin: float | None = None,
) -> pd.DataFrame:
    """Predicted daily result, CPA, marginal CPA and ROMI of a split; one row per channel and a «Итого» row.

    Columns: ``spend``, ``result`` (curve.predict), ``cpa`` (spend / result, :func:`smmkit.metrics.cpa`),
    ``marginal_cpa`` (1 / curve.marginal: the price of the *next* result), and with ``revenue_per_lead`` (one
    number or one per channel) and ``margin``: ``revenue`` = result × revenue per lead, ``gross_profit`` =
    revenue × margin and ``romi`` = (gross_profit − spend) / spend (:func:`smmkit.metrics.romi`).
    Do not sum the columns: the last row already holds the totals.

    >>> vk = ResponseCurve("vk", "power", {"a": 10, "b": 0.5})
    >>> out = plan_outcome([vk], {"vk": 400}, revenue_per_lead=10, margin=0.5)
    >>> out.loc["vk", ["result", "cpa", "marginal_cpa", "romi"]].tolist()
    [200.0, 2.0, 4.0, 1.5]
    """
    fns = _curves(curves)
    channels = list(fns)
    x = _spends(spends, channels)
    rpl, m = _money(revenue_per_lead, margin, channels)
    result = np.array([fns[c].predict(v) for c, v in zip(channels, x, strict=True)])
    with np.errstate(divide="ignore", invalid="ignore"):
        marginal_cpa = np.array([1.0 / fns[c].marginal(v) if v > 0 else 0.0 for c, v in zip(channels, x, strict=True)])
    out = pd.DataFrame({"spend": x, "result": result}, index=pd.Index(channels, name="channel"))
    out.loc[TOTAL] = [x.sum(), result.sum()]
    out["cpa"] = metrics.cpa(out["spend"], out["result"])
    out["marginal_cpa"] = [*marginal_cpa, np.nan]
    if rpl is not None and m is not None:
        revenue = result * rpl
        out["revenue"] = [*revenue, revenue.sum()]
        out["gross_profit"] = out["revenue"] * m
        out["romi"] = metrics.romi(out["gross_profit"], out["spend"])
    return out


def _scaled(curve: ResponseCurve, factor: float) -> ResponseCurve:
    """The same curve multiplied by ``factor`` (profit per result turns a lead curve into a profit curve)."""
    params = dict(curve.params)
    params["a" if curve.kind == "power" else "top"] *= factor
    return ResponseCurve(curve.channel, curve.kind, params)


@dataclass(frozen=True)
class PlanComparison:
    """A split next to the optimal split of the same budget."""

    table: pd.DataFrame
    """Per channel and «Итого»: spend, result and marginal CPA of the plan and of the optimum (+ gross profit)."""
    optimum: Allocation
    """``allocate_budget``'s answer (for goal «profit» its ``result`` is gross profit, not leads)."""
    goal: str
    """«result»: the optimum maximises the curves' result; «profit»: it maximises gross profit."""

    @property
    def result_gain(self) -> float:
        """How much more result the optimum gives than the plan, as a fraction (0.126 = +12.6 %)."""
        total = self.table.loc[TOTAL]
        return float(metrics.roi(total["result_optimum"], total["result_plan"]))

    @property
    def profit_gain(self) -> float:
        """How much more gross profit the optimum gives than the plan (NaN without revenue per lead)."""
        if "gross_profit_plan" not in self.table:
            return float("nan")
        total = self.table.loc[TOTAL]
        return float(metrics.roi(total["gross_profit_optimum"], total["gross_profit_plan"]))

    @property
    def optimal_spend(self) -> pd.Series:
        """The optimal spend per channel."""
        return self.table["spend_optimum"].drop(TOTAL)


def compare_with_optimum(
    curves: Sequence[ResponseCurve] | Mapping[str, ResponseCurve],
    spends: Mapping[str, float] | Sequence[float] | pd.Series,
    budget: float,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    revenue_per_lead: float | Mapping[str, float] | None = None,
    margin: float | None = None,
    goal: str = "result",
) -> PlanComparison:
    """Put a split next to ``allocate_budget(curves, budget, bounds)``; goal «profit» maximises gross profit instead.

    The optimum spends ``budget``, whatever the plan sums to: compare the two only when the plan spends the budget.

    >>> vk = ResponseCurve("vk", "power", {"a": 10, "b": 0.5})
    >>> ig = ResponseCurve("ig", "power", {"a": 20, "b": 0.5})
    >>> cmp = compare_with_optimum([vk, ig], {"vk": 50, "ig": 50}, 100)
    >>> cmp.optimal_spend.round(6).to_dict(), round(cmp.result_gain, 4)
    ({'vk': 20.0, 'ig': 80.0}, 0.0541)
    """
    if goal not in GOALS:
        raise ValueError(f"Аргумент «goal» должен быть одним из: {', '.join(GOALS)}; получено «{goal}».")
    fns = _curves(curves)
    channels = list(fns)
    rpl, m = _money(revenue_per_lead, margin, channels)
    if goal == "profit":
        if rpl is None or m is None:
            raise ValueError("Оптимум по прибыли требует «revenue_per_lead» и «margin».")
        targets = [_scaled(fns[c], float(r) * m) for c, r in zip(channels, rpl, strict=True)]
        optimum = allocate_budget(targets, budget, bounds, objective="revenue")
    else:
        optimum = allocate_budget(list(fns.values()), budget, bounds)
    money = revenue_per_lead if rpl is not None else None
    plan = plan_outcome(fns, spends, money, m)
    best = plan_outcome(fns, optimum.spend.to_numpy(), money, m)
    columns = ["spend", "result", "marginal_cpa"] + (["gross_profit"] if rpl is not None else [])
    table = pd.concat([plan[columns].add_suffix("_plan"), best[columns].add_suffix("_optimum")], axis=1)
    return PlanComparison(table=table, optimum=optimum, goal=goal)


def response_figure(
    curves: Sequence[ResponseCurve] | Mapping[str, ResponseCurve],
    spends: Mapping[str, float] | Sequence[float] | pd.Series,
    max_spend: float | Mapping[str, float] | Sequence[float] | None = None,
    optimum: Mapping[str, float] | pd.Series | None = None,
    objective: str = "leads",
    title: str = "Кривые отклика: что даёт каждый следующий тенге",
) -> go.Figure:
    """Each channel's response curve from 0 to ``max_spend``, the plan's point on it and, optionally, the optimum.

    Traces: one line per channel (in ``curves`` order), then «Ваш план» (one marker per channel), then «Оптимум»
    (empty when ``optimum`` is None). Hover shows spend, result and the marginal CPA at the point.
    """
    fns = _curves(curves)
    channels = list(fns)
    x = _spends(spends, channels)
    if max_spend is None:
        tops = np.full(len(channels), max(float(x.max()) * 1.5, 1.0))
    elif isinstance(max_spend, Mapping | pd.Series | np.ndarray | list | tuple):
        tops = _spends(max_spend, channels, "max_spend")
    else:
        tops = np.full(len(channels), float(max_spend))
    label = _words(objective)[0]
    fig = go.Figure()
    for i, name in enumerate(channels):
        grid = np.linspace(0.0, max(tops[i], 1.0), _CURVE_POINTS)
        fig.add_trace(go.Scatter(
            x=grid, y=fns[name].predict(grid), mode="lines", name=name,
            line={"color": _COLORS[i % len(_COLORS)], "width": 2},
            hovertemplate=f"{html.escape(name)}<br>расход %{{x:,.0f}} ₸<br>{label}: %{{y:,.1f}}<extra></extra>",
        ))
    fig.add_trace(_points(fns, channels, x, "Ваш план", "circle", 12))
    best = None if optimum is None else _spends(optimum, channels, "optimum")
    fig.add_trace(_points(fns, channels, best, "Оптимум", "diamond-open", 16))
    fig.update_layout(
        title=title, xaxis={"title": "расход в день, ₸", "tickformat": ",d"}, yaxis_title=label, height=380,
        separators=", ",
        margin={"l": 60, "r": 20, "t": 50, "b": 40}, legend={"orientation": "h", "y": -0.18},
        hovermode="closest",
    )
    return fig


def _points(
    fns: dict[str, ResponseCurve], channels: list[str], x: np.ndarray | None, name: str, symbol: str, size: int
) -> go.Scatter:
    """One marker per channel at its spend (no points when ``x`` is None), coloured like the channel's curve."""
    if x is None:
        xs, ys, mcpa = [], [], []
    else:
        xs = x.tolist()
        ys = [fns[c].predict(v) for c, v in zip(channels, x, strict=True)]
        with np.errstate(divide="ignore"):
            mcpa = [1.0 / fns[c].marginal(v) if v > 0 else 0.0 for c, v in zip(channels, x, strict=True)]
    colors = [_COLORS[i % len(_COLORS)] for i in range(len(channels))]
    return go.Scatter(
        x=xs, y=ys, customdata=list(zip(channels, mcpa, strict=False)) if x is not None else [], mode="markers",
        name=name, marker={"symbol": symbol, "size": size, "color": colors, "line": {"width": 2, "color": colors}},
        hovertemplate=f"{name} · %{{customdata[0]}}<br>расход %{{x:,.0f}} ₸<br>результат %{{y:,.1f}}"
        "<br>маржинальная CPA %{customdata[1]:,.0f} ₸<extra></extra>",
    )


def _row(cells: list[str], tag: str) -> str:
    """One HTML table row: the first cell (the channel) on the left, numbers on the right."""
    return "<tr>" + "".join(
        f"<{tag} style='text-align:{'left' if i == 0 else 'right'};padding:2px 8px'>{c}</{tag}>"
        for i, c in enumerate(cells)
    ) + "</tr>"


def step_for(budget: float) -> int:
    """A round slider step of about 1/200 of the budget: 150 000 ₸ → 500 ₸, 8 000 ₸ → 10 ₸.

    >>> step_for(150_000), step_for(8_000), step_for(10)
    (500, 10, 1)
    """
    fitting = [s for s in _STEPS if s <= budget / 200]
    return fitting[-1] if fitting else 1


def round_split(spends: np.ndarray, budget: float, step: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Spends rounded to the slider step, within bounds, the rounding rest moved so that Σ = budget if possible."""
    out = np.clip(np.round(spends / step) * step, lo, hi)
    rest = round(budget - out.sum())
    for i in np.argsort(-out):
        if rest == 0:
            break
        move = float(np.clip(rest, lo[i] - out[i], hi[i] - out[i]))
        out[i] += move
        rest -= move
    return out


def _sells_by(result: str, brand_id: str) -> bool:
    """Whether first-order revenue in ``ads_daily`` comes through ``result`` (purchases; leads of lead brands)."""
    if result == "purchases":
        return True
    if result != "leads":
        return False
    from smmkit.data.ads_data import ECONOMICS  # the generator's constants, quoted in the datasheets

    return brand_id in ECONOMICS and ECONOMICS[brand_id].sales == "lead"


def _brand_name(brand_id: str) -> str:
    """«Bilim Online» for «bilim_online»; the id itself for an unknown brand."""
    return {b.brand_id: b.name for b in BRANDS}.get(brand_id, brand_id)


def _margin(brand_id: str) -> float | None:
    """The brand's gross margin as the crm_orders datasheet states it (online school 75 %); None if unknown."""
    from smmkit.data.ads_data import ECONOMICS

    return ECONOMICS[brand_id].margin if brand_id in ECONOMICS else None


# --- the widget -----------------------------------------------------------------------------------------------


class BudgetPlanner(w.VBox):
    """Move one slider per channel; see leads, CPA, ROMI and the curves; ask for the optimal split of the budget."""

    def __init__(
        self,
        curves: Sequence[ResponseCurve] | Mapping[str, ResponseCurve],
        budget: float,
        bounds: Mapping[str, tuple[float, float]] | None = None,
        margin: float | None = None,
        revenue_per_lead: float | Mapping[str, float] | None = None,
        *,
        spends: Mapping[str, float] | Sequence[float] | None = None,
        objective: str = "leads",
        observed_max: Mapping[str, float] | None = None,
        note: str = "",
    ) -> None:
        self.curves = _curves(curves)
        self.channels = list(self.curves)
        if objective not in OBJECTIVES:
            raise ValueError(f"Аргумент «objective» должен быть одним из: {', '.join(OBJECTIVES)}.")
        try:
            budget_value = float(budget)
        except (TypeError, ValueError):
            budget_value = math.nan
        if not math.isfinite(budget_value) or budget_value <= 0:
            raise ValueError(f"Бюджет («budget») должен быть положительным числом тенге в день, получено {budget!r}.")
        self.objective, self.bounds, self.note = objective, dict(bounds or {}), note
        self._rpl, self.margin = _money(revenue_per_lead, margin, self.channels)
        self.revenue_per_lead = None if self._rpl is None else pd.Series(self._rpl, index=self.channels)
        self.observed_max = dict(observed_max or {})
        n = len(self.channels)
        self._step = step_for(budget_value)
        lo, hi = np.zeros(n), np.full(n, budget_value)
        for i, name in enumerate(self.channels):  # allocate_budget checks the bounds fully; sliders need a range
            if name in self.bounds:
                low, high = (float(v) for v in self.bounds[name])
                lo[i], hi[i] = low, min(high, max(budget_value, low))
        allocate_budget(list(self.curves.values()), budget_value, self.bounds)  # fail now on bad bounds
        start = np.full(n, budget_value / n) if spends is None else _spends(spends, self.channels)
        if np.any((start < lo - 1e-9) | (start > hi + 1e-9)):
            raise ValueError("Начальный расход («spends») выходит за границы каналов («bounds»).")
        rounded = round_split(start, round(start.sum()), self._step, lo, hi)
        self.baseline = pd.Series(rounded, index=self.channels, name="spend")
        """The split the sliders start from («сейчас»), rounded to the slider step."""
        self._lo, self._hi = lo, hi
        self._hold = False
        self._cache: dict[tuple[float, str], PlanComparison] = {}
        self.comparison: PlanComparison | None = None
        """The last comparison shown by the «optimum» button, recomputed as the sliders move (None before)."""

        style = {"description_width": "initial"}
        self.budget = w.BoundedIntText(value=round(budget_value), min=1, max=10**10, step=self._step,
                                       description="Бюджет в день, ₸:", style=style)
        self.sliders = [
            w.IntSlider(value=round(v), min=round(a), max=math.ceil(b), step=self._step, description=name,
                        style={"description_width": "150px"}, continuous_update=False, layout=w.Layout(width="560px"),
                        readout_format="d")
            for name, v, a, b in zip(self.channels, rounded, lo, hi, strict=True)
        ]
        self.total = w.HTML()
        self.table = w.HTML()
        self.summary = w.HTML()
        self.goal = w.ToggleButtons(options=[("по лидам" if objective == "leads" else "по результату", "result")]
                                    + ([("по валовой прибыли", "profit")] if self._rpl is not None else []),
                                    value="result", description="Оптимум:", style={**style, "button_width": "auto"},
                                    layout=w.Layout(display="" if self._rpl is not None else "none"))
        self.optimum_button = w.Button(description="Показать оптимальное распределение", button_style="info",
                                       icon="calculator", layout=w.Layout(width="auto"))
        self.apply_button = w.Button(description="Применить", icon="check", disabled=True,
                                     tooltip="Поставить ползунки в оптимум", layout=w.Layout(width="auto"))
        self.figure = go.FigureWidget(response_figure(self.curves, self.spends, hi, objective=objective))
        self._fig_points = len(self.channels)  # index of «Ваш план»; «Оптимум» follows it
        self.comparison_html = w.HTML()
        for slider in self.sliders:
            slider.observe(self._update, names="value")
        self.budget.observe(self._on_budget, names="value")
        self.goal.observe(self._on_goal, names="value")
        self.optimum_button.on_click(lambda _: self.show_optimum())
        self.apply_button.on_click(lambda _: self.apply_optimum())
        head = w.HTML(self._assumptions())
        super().__init__([
            head, self.budget, *self.sliders, self.total, self.table, self.summary, self.figure,
            w.HBox([self.optimum_button, self.apply_button]), self.goal, self.comparison_html,
        ])
        self._update()

    # --- construction from data ---

    @classmethod
    def from_ads(
        cls,
        ads: pd.DataFrame,
        brand_id: str,
        budget: float | None = None,
        bounds: Mapping[str, tuple[float, float]] | None = None,
        margin: float | None = None,
        revenue_per_lead: float | Mapping[str, float] | None = None,
        result: str = "leads",
        kind: str = "power",
    ) -> BudgetPlanner:
        """Fit one curve per platform on the brand's daily (spend, result) in ``ads_daily`` and open the planner.

        The sliders start from the brand's average daily spend per platform (its shares scaled to ``budget``; by
        default ``budget`` is that average's total). Revenue per result defaults to each platform's
        Σ revenue_kzt / Σ result (first orders, as the ad account sees them) for purchases, and for leads of the
        brands that sell through leads (Astana Fit, Bilim Online; shops sell on the site, so their revenue does not
        come through leads and ROMI is left out); the margin defaults to the brand's margin from the datasheets.
        """
        need = {"date", "brand_id", "platform", "spend_kzt", *([result] if result in ADS_RESULTS else [])}
        if result not in ADS_RESULTS:
            raise ValueError(f"Аргумент «result» должен быть одним из: {', '.join(ADS_RESULTS)}; получено «{result}».")
        missing = sorted(need - set(ads.columns))
        if missing:
            raise ValueError(f"В таблице рекламы нет столбца «{missing[0]}»: нужен набор ads_daily.")
        mine = ads[ads["brand_id"] == brand_id]
        if mine.empty:
            known = ", ".join(sorted(map(str, ads["brand_id"].dropna().unique())))
            raise ValueError(f"В ads_daily нет бренда «{brand_id}». Есть: {known}.")
        cols = ["spend_kzt", result, *(["revenue_kzt"] if "revenue_kzt" in ads.columns else [])]
        daily = mine.groupby(["platform", "date"], observed=True)[cols].sum(min_count=1).reset_index()
        mean = daily.groupby("platform", observed=True)["spend_kzt"].mean()  # every day: spend is always known
        daily = daily.dropna(subset=["spend_kzt", result])  # e.g. VK reach lost in the November export failure
        try:
            curves = fit_response_curves(daily, spend="spend_kzt", result=result, channel="platform", kind=kind)
        except ValueError as err:
            raise ValueError(f"Бренд «{brand_id}»: не удалось подобрать кривые отклика — {err}") from None
        by = daily.groupby("platform", observed=True)
        total = float(mean.sum()) if budget is None else float(budget)
        objective = _ADS_OBJECTIVE[result]
        if revenue_per_lead is None and "revenue_kzt" in daily and _sells_by(result, brand_id):
            sums = by[["revenue_kzt", result]].sum()
            revenue_per_lead = (sums["revenue_kzt"] / sums[result].where(sums[result] > 0)).fillna(0.0).to_dict()
        if revenue_per_lead is not None and margin is None:
            margin = _margin(brand_id)
        note = (f"Кривые подобраны по {len(daily)} парам «день × площадка» бренда {html.escape(_brand_name(brand_id))} "
                f"из ads_daily ({daily['date'].min():%d.%m.%Y}–{daily['date'].max():%d.%m.%Y}). Ползунки стоят "
                "в среднем дне периода" + ("." if budget is None else ", доли площадок приведены к бюджету."))
        return cls(curves, total, bounds, margin, revenue_per_lead, spends=mean * total / mean.sum(),
                   objective=objective, observed_max=by["spend_kzt"].max().to_dict(), note=note)

    # --- state ---

    @property
    def spends(self) -> pd.Series:
        """The split on the sliders, ₸ per day."""
        return pd.Series([float(s.value) for s in self.sliders], index=self.channels, name="spend")

    @property
    def outcome(self) -> pd.DataFrame:
        """:func:`plan_outcome` of the sliders' split."""
        return plan_outcome(self.curves, self.spends, self._money_arg(), self.margin)

    @property
    def baseline_outcome(self) -> pd.DataFrame:
        """:func:`plan_outcome` of the split the sliders started from («сейчас»)."""
        return plan_outcome(self.curves, self.baseline, self._money_arg(), self.margin)

    def _money_arg(self) -> dict[str, float] | None:
        return None if self._rpl is None else dict(zip(self.channels, self._rpl.tolist(), strict=True))

    def optimum(self, goal: str | None = None) -> PlanComparison:
        """The comparison of the sliders' split with the optimum of the current budget (cached per budget)."""
        goal = goal or self.goal.value
        key = (float(self.budget.value), goal)
        if key not in self._cache:
            self._cache[key] = compare_with_optimum(self.curves, self.baseline, key[0], self.bounds,
                                                    self._money_arg(), self.margin, goal)
        fixed = self._cache[key]
        plan = plan_outcome(self.curves, self.spends, self._money_arg(), self.margin)
        table = fixed.table.copy()
        for col in [c for c in table.columns if c.endswith("_plan")]:
            table[col] = plan[col.removesuffix("_plan")]
        return PlanComparison(table=table, optimum=fixed.optimum, goal=goal)

    def show_optimum(self) -> PlanComparison:
        """What the «Показать оптимальное распределение» button does: show the optimum next to the plan."""
        self.comparison = self.optimum()
        self.apply_button.disabled = False
        self._render_comparison()
        return self.comparison

    def apply_optimum(self) -> None:
        """What the «Применить» button does: put the sliders at the optimum (rounded to the slider step)."""
        cmp = self.comparison or self.show_optimum()
        target = round_split(cmp.optimal_spend.to_numpy(), float(self.budget.value), self._step, self._lo, self._hi)
        self._hold = True
        try:
            for slider, value in zip(self.sliders, target, strict=True):
                slider.max = max(slider.max, math.ceil(value))
                slider.value = round(value)
        finally:
            self._hold = False
        self._update()

    # --- rendering ---

    def _on_budget(self, change: dict) -> None:
        new = float(change["new"])
        for slider, name in zip(self.sliders, self.channels, strict=True):
            if name not in self.bounds and slider.max < new:
                slider.max = math.ceil(new)
        if self.bounds:
            try:
                allocate_budget(list(self.curves.values()), new, self.bounds)
            except ValueError as err:
                self.comparison = None
                self.comparison_html.value = f"<span style='color:#b00020'>⚠ {html.escape(str(err))}</span>"
                self._update()
                return
        self._update()

    def _on_goal(self, _: dict) -> None:
        if self.comparison is not None:
            self.show_optimum()

    def _update(self, *_: object) -> None:
        if self._hold:
            return
        out = self.outcome
        spend = out.loc[TOTAL, "spend"]
        budget = float(self.budget.value)
        self.total.value = self._total_html(spend, budget)
        self.table.value = self._table_html(out)
        self.summary.value = self._summary_html(out)
        points = self.figure.data[self._fig_points]
        with self.figure.batch_update():
            points.y = out["result"].drop(TOTAL).tolist()
            points.x = out["spend"].drop(TOTAL).tolist()
            points.customdata = list(zip(self.channels, out["marginal_cpa"].drop(TOTAL).tolist(), strict=True))
        if self.comparison is not None:
            self.comparison = self.optimum(self.comparison.goal)
            self._render_comparison()

    def _assumptions(self) -> str:
        parts = [self.note] if self.note else []
        unit = _words(self.objective)[3]
        if self._rpl is not None and self.margin is not None:
            per = ", ".join(f"{html.escape(c)} {_num(r)} ₸" for c, r in zip(self.channels, self._rpl, strict=True))
            source = " (первые заказы по данным кабинета; повторные покупки не учтены)" if self.note else ""
            parts.append(f"<b>Допущения для ROMI:</b> маржа {_pct(self.margin, 0)}; выручка на {unit} — {per}"
                         f"{source}. ROMI = (выручка × маржа − расход) / расход.")
        else:
            parts.append("ROMI не считается: не задана выручка на результат («revenue_per_lead») и маржа.")
        return "<br>".join(parts)

    def _total_html(self, spend: float, budget: float) -> str:
        text = f"<b>Сумма по каналам:</b> {_num(spend)} ₸ из бюджета {_num(budget)} ₸"
        diff = spend - budget
        if abs(diff) < 0.5:
            return text + " — <span style='color:#1b7f3b'>✓ весь бюджет распределён</span>"
        words = f"больше бюджета на {_num(diff)} ₸" if diff > 0 else f"меньше бюджета на {_num(-diff)} ₸"
        return (text + f" — <span style='color:#b00020'><b>⚠ сумма {words}.</b> Сравнивать с оптимумом честно, "
                "только когда распределён ровно весь бюджет.</span>")

    def _table_html(self, out: pd.DataFrame) -> str:
        result_title, _, cpa_title, _, marginal_title = _words(self.objective)
        head = ["Канал", "Расход, ₸", result_title, cpa_title, marginal_title]
        if "romi" in out:
            head += ["Валовая прибыль, ₸", "ROMI"]
        rows = []
        for name, r in out.iterrows():
            cells = [html.escape(str(name)), _num(r["spend"]), _num(r["result"], 1), _num(r["cpa"]),
                     _num(r["marginal_cpa"])]
            if "romi" in out:
                cells += [_num(r["gross_profit"]), _pct(r["romi"], 0, sign=True)]
            rows.append(_row(cells, "th" if name == TOTAL else "td"))
        return f"<table><thead>{_row(head, 'th')}</thead><tbody>{''.join(rows)}</tbody></table>"

    def _summary_html(self, out: pd.DataFrame) -> str:
        genitive = _words(self.objective)[1]
        base = self.baseline_outcome.loc[TOTAL, "result"]
        mine = out.loc[TOTAL, "result"]
        change = _pct(mine / base - 1 if base else math.nan, 1, sign=True)
        lines = [f"<b>Ваш план:</b> {_num(mine, 1)} {genitive} в день; сейчас (стартовое распределение) — "
                 f"{_num(base, 1)} ({change})."]
        beyond = [f"{html.escape(c)} ({_num(v)} ₸ при максимуме {_num(self.observed_max[c])} ₸)"
                  for c, v in self.spends.items() if c in self.observed_max and v > self.observed_max[c] * 1.0001]
        if beyond:
            lines.append("⚠ Расход больше, чем бренд тратил за день в данных: " + "; ".join(beyond)
                         + ". Здесь прогноз — продолжение кривой (экстраполяция), ему меньше доверия.")
        return "<br>".join(lines)

    def _render_comparison(self) -> None:
        cmp = self.comparison
        if cmp is None:
            self.comparison_html.value = ""
            return
        t = cmp.table
        genitive = _words(self.objective)[1]
        short = "Маржин. CPA" if self.objective in ("leads", "sales") else "Цена следующего"
        money = "gross_profit_plan" in t
        head = ["Канал", "Ваш расход, ₸", "Оптимум, ₸", "Ваш результат", "Результат в оптимуме",
                f"{short}: ваша", f"{short}: оптимум"]
        head += ["Прибыль: ваша, ₸", "Прибыль: оптимум, ₸"] if money else []
        rows = []
        for name, r in t.iterrows():
            cells = [html.escape(str(name)), _num(r["spend_plan"]), _num(r["spend_optimum"]), _num(r["result_plan"], 1),
                     _num(r["result_optimum"], 1), _num(r["marginal_cpa_plan"]), _num(r["marginal_cpa_optimum"])]
            cells += [_num(r["gross_profit_plan"]), _num(r["gross_profit_optimum"])] if money else []
            rows.append(_row(cells, "th" if name == TOTAL else "td"))
        gain = cmp.result_gain
        if cmp.goal == "result":
            verdict = (f"<b>Оптимум даёт {_pct(gain, 1, sign=True)} {genitive}</b> по сравнению с вашим планом "
                       f"({_num(t.loc[TOTAL, 'result_optimum'], 1)} против {_num(t.loc[TOTAL, 'result_plan'], 1)} "
                       "в день) за тот же бюджет. В оптимуме цена следующего результата (маржинальная CPA) у каналов "
                       "внутри границ одинакова.")
        else:
            verdict = (f"<b>Оптимум по валовой прибыли: прибыль {_pct(cmp.profit_gain, 1, sign=True)}, "
                       f"{genitive} {_pct(gain, 1, sign=True)}</b> по сравнению с вашим планом. Он считает выручку "
                       "на лид постоянной — при большом расходе это смелое допущение.")
        beyond = [f"{html.escape(c)} ({_num(v)} ₸ при максимуме в данных {_num(self.observed_max[c])} ₸)"
                  for c, v in t["spend_optimum"].drop(TOTAL).items()
                  if c in self.observed_max and v > self.observed_max[c] * 1.0001]
        caution = (" ⚠ Оптимум выходит за расходы, которые бренд пробовал: " + "; ".join(beyond)
                   + " — это экстраполяция кривой, проверяйте её тестом бюджета.") if beyond else ""
        self.comparison_html.value = (f"<table><thead>{_row(head, 'th')}</thead><tbody>{''.join(rows)}</tbody></table>"
                                      f"{verdict}{caution} Ползунки не сдвинуты: нажмите «Применить», чтобы "
                                      "поставить их в оптимум.")
        best = self.figure.data[self._fig_points + 1]
        opt = t["spend_optimum"].drop(TOTAL)
        with self.figure.batch_update():
            best.x = opt.tolist()
            best.y = t["result_optimum"].drop(TOTAL).tolist()
            best.customdata = list(zip(self.channels, t["marginal_cpa_optimum"].drop(TOTAL).tolist(), strict=True))
