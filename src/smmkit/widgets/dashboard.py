"""KPI dashboard: indicator tiles (value, change to the previous period, target) with small trend lines.

Input is a tidy KPI table, one row per KPI and period: ``kpi``, ``period``, ``value`` and, optionally, ``target``,
``unit`` («%» for fractions, «₸», or any word), ``source`` (which data the number comes from), ``brand`` and
``lower_is_better``. :func:`kpis_from_data` computes a default set from the course datasets with
:mod:`smmkit.metrics`; :func:`kpi_figure` builds the figure; :class:`KpiDashboard` adds period and brand selectors.
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
from plotly.subplots import make_subplots

from smmkit import metrics
from smmkit.data.universe import ACCOUNTS, BRANDS, TIMEZONE

REQUIRED = ("kpi", "period", "value")
"""Columns every KPI table needs."""

FREQS: dict[str, str] = {"M": "месяц", "W": "неделя", "Q": "квартал"}
"""Period lengths :func:`kpis_from_data` accepts."""

AD_CHANNELS = ("Instagram реклама", "Facebook реклама", "TikTok реклама", "VK реклама", "Telegram Ads")
"""``crm_orders.channel_first`` values of customers who came from paid ads."""

PAID = "оплачен"
BRAND_NAMES = {b.brand_id: b.name for b in BRANDS}
_ACCOUNT_BRAND = {a.account_id: a.brand_id for a in ACCOUNTS}
_GOOD, _BAD, _MUTED = "#1b7f3b", "#b00020", "#666666"
_TRACES_PER_TILE = 4  # indicator, trend line, the chosen period's point, target line


# --- the default KPI set --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiSpec:
    """How a default KPI is presented: unit, source and direction."""

    name: str
    unit: str
    source: str
    lower_is_better: bool = False


def _local(stamps: pd.Series) -> pd.Series:
    """Timestamps as naive local (Asia/Almaty) time; naive stamps are taken as local already."""
    if getattr(stamps.dt, "tz", None) is not None:
        return stamps.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return stamps


def _periods(stamps: pd.Series, freq: str, first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """Local periods of the timestamps and a mask of rows whose period lies in the days ``first`` … ``last``."""
    periods = _local(stamps).dt.to_period(freq)
    inside = (periods.dt.start_time.dt.normalize() >= first) & (periods.dt.end_time.dt.normalize() <= last)
    return periods, inside


def _window(*stamps: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The days every source covers: from the latest first day to the earliest last day (local time)."""
    local = [_local(s) for s in stamps]
    return max(s.min() for s in local).normalize(), min(s.max() for s in local).normalize()


def _check(table: object, columns: Sequence[str], name: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        kind = type(table).__name__
        raise ValueError(f"Аргумент «{name}» должен быть таблицей pandas (DataFrame), а получен {kind}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"В таблице «{name}» нет столбца «{missing[0]}»: проверьте, тот ли это набор данных.")
    return table


def kpis_from_data(
    posts: pd.DataFrame,
    ads: pd.DataFrame,
    crm_orders: pd.DataFrame,
    brand_id: str | Sequence[str] | None,
    freq: str = "M",
    targets: Mapping[str, float] | None = None,
    cpa_action: str = "purchases",
) -> pd.DataFrame:
    """A default KPI set per brand and period from ``posts``, ``ads_daily`` and ``crm_orders`` (smmkit.metrics).

    KPIs and their data: «Суммарный охват публикаций» (Σ reach of the brand's posts; the same person counts in
    every post they saw) and «ER по охвату» (Σ interactions / Σ reach, :func:`~smmkit.metrics.er_period`) — posts;
    «CTR (ссылка)» (Σ link clicks / Σ impressions) and «CPA» (Σ spend / Σ first purchases, or leads with
    ``cpa_action="leads"``) — ads_daily; «ROMI рекламы» — (gross profit of paid orders in the period of customers
    who came from ads, repeat orders included, − ad spend in the period) / ad spend — ads_daily + crm_orders;
    «Выручка» (paid orders) and «Доля повторных покупателей» (buyers of the period with a non-first paid order /
    all buyers of the period) — crm_orders. Only whole periods that all three tables cover are kept, so every KPI
    has the same periods (posts run to the morning of 1 March, the ads and the CRM to 28 February; the CRM starts
    on 1 September, so September's repeat buyers are only those who ordered twice within it: 0–6 % of the club's,
    school's and clothes shop's buyers, 39–57 % for delivery and coffee).
    ``targets`` maps a KPI name to its target (one for every period). ``brand_id`` None means every brand.
    """
    if freq not in FREQS:
        raise ValueError(f"Аргумент «freq» должен быть одним из: {', '.join(FREQS)} (месяц, неделя, квартал).")
    if cpa_action not in ("purchases", "leads"):
        raise ValueError("Аргумент «cpa_action» должен быть «purchases» (первые покупки) или «leads» (лиды).")
    _check(posts, ("account_id", "published_at_utc", "reach", "likes", "comments", "shares", "saves"), "posts")
    _check(ads, ("date", "brand_id", "spend_kzt", "impressions", "link_clicks", cpa_action), "ads")
    _check(crm_orders, ("brand_id", "customer_id", "order_ts", "revenue_kzt", "gross_profit_kzt", "status",
                        "is_first_order", "channel_first"), "crm_orders")
    brands = list(BRAND_NAMES) if brand_id is None else [brand_id] if isinstance(brand_id, str) else list(brand_id)
    unknown = [b for b in brands if b not in set(map(str, ads["brand_id"].unique()))]
    if unknown:
        known = ", ".join(sorted(map(str, ads["brand_id"].dropna().unique())))
        raise ValueError(f"Бренда «{unknown[0]}» нет в данных рекламы. Есть: {known}.")
    cpa_name = "CPA (первая покупка)" if cpa_action == "purchases" else "CPA (лид)"
    specs = [
        KpiSpec("Суммарный охват публикаций", "", "posts"),
        KpiSpec("ER по охвату", "%", "posts"),
        KpiSpec("CTR (ссылка)", "%", "ads_daily"),
        KpiSpec(cpa_name, "₸", "ads_daily", lower_is_better=True),
        KpiSpec("ROMI рекламы", "%", "ads_daily + crm_orders"),
        KpiSpec("Выручка", "₸", "crm_orders"),
        KpiSpec("Доля повторных покупателей", "%", "crm_orders"),
    ]
    targets = dict(targets or {})
    names = {s.name for s in specs}
    wrong = [k for k in targets if k not in names]
    if wrong:
        raise ValueError(f"В «targets» неизвестный KPI «{wrong[0]}». Есть: {', '.join(s.name for s in specs)}.")

    first, last = _window(posts["published_at_utc"], ads["date"], crm_orders["order_ts"])
    periods, full = _periods(posts["published_at_utc"], freq, first, last)
    p = posts.assign(brand=posts["account_id"].map(_ACCOUNT_BRAND), period=periods,
                     interactions=posts[["likes", "comments", "shares", "saves"]].sum(axis=1))[full]
    periods, full = _periods(ads["date"], freq, first, last)
    a = ads.assign(brand=ads["brand_id"].astype(str), period=periods)[full]
    periods, full = _periods(crm_orders["order_ts"], freq, first, last)
    o = crm_orders.assign(brand=crm_orders["brand_id"].astype(str), period=periods)
    o = o[full & (o["status"] == PAID)]

    frames = []
    for brand in brands:
        pb = p[p["brand"] == brand].groupby("period")[["reach", "interactions"]].sum()
        ab = a[a["brand"] == brand].groupby("period")[["spend_kzt", "impressions", "link_clicks", cpa_action]].sum()
        ob = o[o["brand"] == brand]
        ad_profit = ob[ob["channel_first"].isin(AD_CHANNELS)].groupby("period")["gross_profit_kzt"].sum()
        buyers = ob.groupby("period")["customer_id"].nunique()
        repeat = ob[~ob["is_first_order"].astype(bool)].groupby("period")["customer_id"].nunique()
        values = {
            specs[0].name: pb["reach"].astype(float),
            specs[1].name: metrics.er_by_reach(pb["interactions"], pb["reach"]),
            specs[2].name: metrics.ctr(ab["link_clicks"], ab["impressions"]),
            specs[3].name: metrics.cpa(ab["spend_kzt"], ab[cpa_action]),
            specs[4].name: metrics.romi(ad_profit.reindex(ab.index, fill_value=0), ab["spend_kzt"]),
            specs[5].name: ob.groupby("period")["revenue_kzt"].sum().astype(float),
            specs[6].name: repeat.reindex(buyers.index, fill_value=0) / buyers,
        }
        for spec in specs:
            series = values[spec.name]
            frames.append(pd.DataFrame({
                "brand": brand, "kpi": spec.name, "period": series.index.astype(str), "value": series.to_numpy(float),
                "target": float(targets.get(spec.name, np.nan)), "unit": spec.unit, "source": spec.source,
                "lower_is_better": spec.lower_is_better,
            }))
    return pd.concat(frames, ignore_index=True)


# --- the figure -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    """What one KPI tile shows for the chosen period."""

    kpi: str
    unit: str
    value: float
    previous: float
    target: float
    source: str
    lower_is_better: bool
    periods: list[str]
    history: list[float]

    @property
    def percent(self) -> bool:
        """Whether the KPI is a fraction shown in percent (its change is then in percentage points)."""
        return self.unit == "%"

    @property
    def met(self) -> bool | None:
        """Whether the value reaches the target (None without a target or a value)."""
        if math.isnan(self.target) or math.isnan(self.value):
            return None
        return self.value <= self.target if self.lower_is_better else self.value >= self.target


def _fmt(value: float, unit: str) -> str:
    """A KPI value as text: 0.0123 «%» → «1,23 %», 12345 «₸» → «12 345 ₸»."""
    if value is None or not math.isfinite(value):
        return "—"
    if unit == "%":
        number, suffix = value * 100, " %"
    else:
        number, suffix = value, f" {unit}" if unit else ""
    digits = 2 if unit == "%" and abs(number) < 10 else 1 if unit == "%" else 0 if abs(number) >= 100 else 2
    text = f"{number:,.{digits}f}".replace(",", "\u00a0").replace(".", ",").replace("-", "−")
    return text + suffix


def _table(kpis: object) -> pd.DataFrame:
    table = _check(kpis, REQUIRED, "kpis")
    if table.empty:
        raise ValueError("Таблица KPI пуста: нет ни одной строки.")
    try:
        values = pd.to_numeric(table["value"], errors="raise")
    except (TypeError, ValueError):
        raise ValueError("В столбце «value» таблицы KPI должны быть числа.") from None
    return table.assign(value=values.astype(float))


def brands_of(kpis: pd.DataFrame) -> list[str]:
    """Brands of the table in order of appearance ([] without a ``brand`` column)."""
    return [] if "brand" not in kpis else list(dict.fromkeys(map(str, kpis["brand"].dropna())))


def periods_of(kpis: pd.DataFrame, brand: str | None = None) -> list[str]:
    """Periods of the table (of one brand), sorted, as text."""
    table = _table(kpis)
    if brand is not None and "brand" in table:
        table = table[table["brand"].astype(str) == brand]
    return [str(p) for p in sorted(table["period"].unique(), key=str)]


def kpi_tiles(kpis: pd.DataFrame, period: str | None = None, brand: str | None = None) -> list[Tile]:
    """One :class:`Tile` per KPI (in table order) for ``period`` (default: the last) of ``brand`` (default: first)."""
    table = _table(kpis)
    brands = brands_of(table)
    if brands:
        brand = brands[0] if brand is None else str(brand)
        if brand not in brands:
            raise ValueError(f"В таблице KPI нет бренда «{brand}». Есть: {', '.join(brands)}.")
        table = table[table["brand"].astype(str) == brand]
    periods = [str(p) for p in sorted(table["period"].unique(), key=str)]
    period = periods[-1] if period is None else str(period)
    if period not in periods:
        raise ValueError(f"В таблице KPI нет периода «{period}». Есть: {', '.join(periods)}.")
    previous = periods[periods.index(period) - 1] if periods.index(period) > 0 else None
    tiles = []
    for kpi, rows in table.assign(period=table["period"].astype(str)).groupby("kpi", sort=False):
        by_period = rows.drop_duplicates("period", keep="last").set_index("period")
        first = rows.iloc[0]

        def get(col: str, at: str | None, rows: pd.DataFrame = by_period) -> float:
            if at is None or col not in rows or at not in rows.index:
                return float("nan")
            return float(rows.at[at, col])

        tiles.append(Tile(
            kpi=str(kpi), unit=str(first.get("unit", "") if pd.notna(first.get("unit", "")) else ""),
            value=get("value", period), previous=get("value", previous),
            target=get("target", period) if "target" in rows else float("nan"),
            source=str(first["source"]) if "source" in rows and pd.notna(first["source"]) else "",
            lower_is_better=bool(first.get("lower_is_better", False)) if pd.notna(first.get("lower_is_better"))
            else False,
            periods=[p for p in periods if p in by_period.index],
            history=[float(by_period.at[p, "value"]) for p in periods if p in by_period.index],
        ))
    return tiles


def _scale(tile: Tile) -> float:
    return 100.0 if tile.percent else 1.0


def _indicator(tile: Tile) -> dict:
    """Properties of the tile's go.Indicator (value, delta against the previous period, title with target)."""
    k = _scale(tile)
    value = tile.value * k if math.isfinite(tile.value) else None
    big = max((abs(v) for v in tile.history if math.isfinite(v)), default=0.0) * k
    fmt = ",.1f" if tile.percent else ",.0f" if big >= 100 else ",.2f"
    up, down = (_BAD, _GOOD) if tile.lower_is_better else (_GOOD, _BAD)
    has_delta = value is not None and math.isfinite(tile.previous)
    delta = {
        "reference": tile.previous * k if math.isfinite(tile.previous) else None,
        "relative": not tile.percent,
        "valueformat": (".2f" if big < 10 else ".1f") if tile.percent else ".1%",
        "suffix": " п.п." if tile.percent else "",
        "increasing": {"color": up}, "decreasing": {"color": down},
    }
    met = tile.met
    target = ""
    if math.isfinite(tile.target):
        mark = "" if met is None else f" <span style='color:{_GOOD if met else _BAD}'>{'✓' if met else '✗'}</span>"
        target = f"цель {_fmt(tile.target, tile.unit)}{mark} · "
    unit = "" if tile.percent or tile.unit in ("", "₸") else f", {tile.unit}"
    title = (f"<b>{_wrap(html.escape(tile.kpi + unit))}</b><br><span style='font-size:11px;color:{_MUTED}'>"
             f"{target}данные: {html.escape(tile.source or 'не указаны')}</span>")
    return {
        "mode": "number+delta" if has_delta else "number",
        "value": value,
        "number": {"valueformat": fmt, "suffix": " %" if tile.percent else " ₸" if tile.unit == "₸" else "",
                   "font": {"size": 30}},
        "delta": delta,
        "title": {"text": title, "font": {"size": 13}},
    }


def _wrap(text: str, width: int = 22) -> str:
    """Break a long tile title into lines of at most ``width`` characters (plotly does not wrap titles).

    >>> _wrap("Доля повторных покупателей")
    'Доля повторных<br>покупателей'
    """
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _trend(tile: Tile, period: str) -> tuple[dict, dict, dict]:
    """Properties of the trend line, the chosen period's point and the target line of one tile."""
    k = _scale(tile)
    y = [v * k if math.isfinite(v) else None for v in tile.history]
    fmt = ".2f" if tile.percent else ",.0f"
    hover = f"%{{x}}: %{{y:{fmt}}}{' %' if tile.percent else ''}<extra></extra>"
    line = {"x": tile.periods, "y": y, "hovertemplate": hover}
    here = [(p, v) for p, v in zip(tile.periods, y, strict=True) if p == period]
    point = {"x": [p for p, _ in here], "y": [v for _, v in here], "hoverinfo": "skip"}
    target = {"x": [], "y": [], "hoverinfo": "skip"}
    if math.isfinite(tile.target) and tile.periods:
        target = {"x": [tile.periods[0], tile.periods[-1]], "y": [tile.target * k] * 2,
                  "hovertemplate": f"цель: {_fmt(tile.target, tile.unit)}<extra></extra>"}
    return line, point, target


def kpi_figure(
    kpis: pd.DataFrame,
    period: str | None = None,
    brand: str | None = None,
    columns: int = 4,
    title: str | None = None,
) -> go.Figure:
    """Indicator tiles (value, change to the previous period, target ✓/✗, data source) with trend lines below.

    Percent KPIs (unit «%», stored as fractions) change in percentage points, the others in % of the previous
    value; green means better (for ``lower_is_better`` KPIs such as CPA a fall is green). The chosen period's
    point is marked on each trend line, the target is a dashed line. Four traces per KPI, in table order.
    """
    if not isinstance(columns, int) or columns < 1:
        raise ValueError("Аргумент «columns» — число плиток в ряду, целое от 1.")
    tiles = kpi_tiles(kpis, period, brand)  # checks the table, the brand and the period
    brand_id = _brand_or_first(kpis, brand)
    period = periods_of(kpis, brand_id)[-1] if period is None else str(period)
    cols = min(columns, len(tiles))
    rows = math.ceil(len(tiles) / cols)
    specs = []
    for r in range(rows):
        n = min(cols, len(tiles) - r * cols)
        specs.append([{"type": "domain"}] * n + [None] * (cols - n))
        specs.append([{"type": "xy"}] * n + [None] * (cols - n))
    fig = make_subplots(rows=2 * rows, cols=cols, specs=specs, row_heights=[0.64, 0.36] * rows,
                        vertical_spacing=0.06 / rows, horizontal_spacing=0.06)
    for i, tile in enumerate(tiles):
        r, c = 2 * (i // cols) + 1, i % cols + 1
        fig.add_trace(go.Indicator(**_indicator(tile)), row=r, col=c)
        line, point, target = _trend(tile, period)
        fig.add_trace(go.Scatter(mode="lines+markers", line={"color": "#1f3b99", "width": 2},
                                 marker={"size": 4}, showlegend=False, **line), row=r + 1, col=c)
        fig.add_trace(go.Scatter(mode="markers", marker={"size": 9, "color": "#e4572e"}, showlegend=False,
                                 **point), row=r + 1, col=c)
        fig.add_trace(go.Scatter(mode="lines", line={"color": _MUTED, "dash": "dash", "width": 1},
                                 showlegend=False, **target), row=r + 1, col=c)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, type="category")
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False)
    name = BRAND_NAMES.get(brand_id, brand_id) if brand_id else ""
    fig.update_layout(
        title=title or f"KPI{' · ' + name if name else ''} · {period}",
        height=250 * rows + 60, margin={"l": 20, "r": 20, "t": 60, "b": 10}, separators=", ",
        plot_bgcolor="white", showlegend=False,
    )
    return fig


def _brand_or_first(kpis: pd.DataFrame, brand: str | None) -> str | None:
    brands = brands_of(kpis)
    return (brand if brand is not None else brands[0]) if brands else None


def _tile_props(tiles: list[Tile], period: str) -> list[dict]:
    """Flat properties («delta.reference» → value) of every trace :func:`kpi_figure` makes for the tiles."""
    out = []
    for tile in tiles:
        out.append(_flat(_indicator(tile)))
        out.extend(_flat(props) for props in _trend(tile, period))
    return out


def _flat(props: dict, prefix: str = "") -> dict:
    """Nested trace properties as one level of dotted paths."""
    flat = {}
    for key, value in props.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


# --- the widget -----------------------------------------------------------------------------------------------


class KpiDashboard(w.VBox):
    """KPI tiles with trend lines; choose the period (and the brand when the table has several)."""

    def __init__(self, kpis: pd.DataFrame, columns: int = 4) -> None:
        self.kpis = _table(kpis)
        self.columns = columns
        brands = brands_of(self.kpis)
        style = {"description_width": "initial"}
        self.brand = w.Dropdown(options=[(BRAND_NAMES.get(b, b), b) for b in brands] or [("—", None)],
                                description="Бренд:", style=style, layout=w.Layout(display="" if len(brands) > 1
                                                                                   else "none"))
        periods = periods_of(self.kpis, self.brand.value)
        self.period = w.Dropdown(options=periods, value=periods[-1], description="Период:", style=style)
        tiles = kpi_tiles(self.kpis, self.period.value, self.brand.value)
        self._kpi_names = [t.kpi for t in tiles]
        self.figure = go.FigureWidget(kpi_figure(self.kpis, self.period.value, self.brand.value, columns))
        self._shown = _tile_props(tiles, self.period.value)
        self.summary = w.HTML()
        self._hold = False
        self.brand.observe(self._on_brand, names="value")
        self.period.observe(self._update, names="value")
        super().__init__([w.HBox([self.brand, self.period]), self.figure, self.summary])
        self._update()

    @property
    def tiles(self) -> list[Tile]:
        """The tiles for the current brand and period."""
        return kpi_tiles(self.kpis, self.period.value, self.brand.value)

    def _on_brand(self, _: dict) -> None:
        periods = periods_of(self.kpis, self.brand.value)
        keep = self.period.value if self.period.value in periods else periods[-1]
        self._hold = True
        try:
            self.period.options = periods
            self.period.value = keep
        finally:
            self._hold = False
        self._update()

    def _update(self, *_: object) -> None:
        if self._hold:
            return
        tiles = self.tiles
        name = BRAND_NAMES.get(self.brand.value, self.brand.value) if self.brand.value else ""
        title = f"KPI{' · ' + name if name else ''} · {self.period.value}"
        if [t.kpi for t in tiles] == self._kpi_names:  # same tiles: write only what changed (fast)
            fresh = _tile_props(tiles, self.period.value)
            with self.figure.batch_update():
                for trace, old, new in zip(self.figure.data, self._shown, fresh, strict=True):
                    for path, value in new.items():
                        if old.get(path) != value:
                            trace[path] = value
                self.figure.layout.title.text = title
            self._shown = fresh
        else:  # another set of KPIs: rebuild the figure
            built = kpi_figure(self.kpis, self.period.value, self.brand.value, self.columns)
            self._kpi_names = [t.kpi for t in tiles]
            self._shown = _tile_props(tiles, self.period.value)
            with self.figure.batch_update():
                self.figure.data = ()
                self.figure.add_traces(list(built.data))
                self.figure.layout = built.layout
        with_target = [t for t in tiles if t.met is not None]
        met = sum(bool(t.met) for t in with_target)
        goals = (f"Цели выполнены: <b>{met} из {len(with_target)}</b>." if with_target
                 else "Цели не заданы: добавьте в таблицу столбец «target».")
        missing = [t.kpi for t in tiles if not math.isfinite(t.value)]
        gap = f" Нет данных за период: {html.escape(', '.join(missing))}." if missing else ""
        self.summary.value = (f"{goals}{gap} Изменение — к предыдущему периоду: у долей в процентных пунктах "
                              "(п.п.), у остальных — в процентах. Зелёный — лучше, красный — хуже.")
