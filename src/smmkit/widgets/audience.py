"""Audience explorer: filter people, see the segment's size, its audience core and where to find it (platforms).

The logic is pure functions (:func:`filter_audience`, :func:`platform_concentration`, :func:`segment_summary`,
:func:`core_rows`); the widget only wires controls to them. Semicolon lists (``platforms``, ``interests``) are
matched once per distinct list through :class:`AudienceIndex`, which the widget builds at construction, so an
input change costs a few milliseconds on the 19 000 rows of the ``audience`` dataset.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from smmkit.analysis.audience import audience_core, audience_core_summary
from smmkit.data.audience_data import AUDIENCE_PLATFORMS, INTERESTS
from smmkit.data.universe import BRANDS
from smmkit.validation import require_columns

ALL = "Все"
"""Brand filter value (and gender filter value) that keeps everyone."""

GENERAL = "Общая выборка"
"""Brand filter value for the general sample: people from no brand's list (empty ``brand_id``)."""

GENDERS = ("ж", "м")
FILTER_COLUMNS = ("brand_id", "age", "gender", "city", "interests", "platforms")
VALUE_COLUMNS = ("is_customer", "revenue_12m_kzt")
AGE_LIMITS = (14, 80)
GROUPS = {"segment": "весь сегмент", "customers": "клиенты", "core": "ядро аудитории"}
"""Who the concentration and the charts describe: the whole segment, its customers or its audience core."""

NOTABLE_AFFINITY = 1.1
"""The summary names the most concentrated platform only if its index reaches this value."""

_COLORS = {"segment": "#1f3b99", "base": "#b8bfcc"}


# --- validation and tokens -------------------------------------------------------------------------------


def _require(df: object, columns: Iterable[str], table: str = "audience") -> pd.DataFrame:
    """Check that ``df`` is a DataFrame with ``columns``; raise a Russian error otherwise."""
    return require_columns(df, columns, table, "загрузите набор datasets.load(\"audience\")")


def _ordered(known: Sequence[str], found: Iterable[str]) -> tuple[str, ...]:
    """``known`` values first (in their order), then any other ``found`` values, sorted."""
    extra = sorted(set(found) - set(known) - {""})
    return (*known, *extra)


def _tokens(values: pd.Series) -> tuple[np.ndarray, list[frozenset[str]]]:
    """Codes of the distinct semicolon lists and the set of items of each list (missing = empty list)."""
    codes, uniques = pd.factorize(values.astype("object").where(values.notna(), ""), sort=False)
    return codes, [frozenset(t.strip() for t in str(u).split(";") if t.strip()) for u in uniques]


def _token_matrix(tokens: tuple[np.ndarray, list[frozenset[str]]], items: Sequence[str]) -> np.ndarray:
    """Boolean matrix rows × ``items`` from :func:`_tokens`: whether each row's list contains the item."""
    codes, sets = tokens
    member = np.array([[item in s for item in items] for s in sets], dtype=bool).reshape(len(sets), len(items))
    return member[codes] if len(codes) else np.zeros((0, len(items)), dtype=bool)


def _check_choice(chosen: Iterable[str], allowed: Sequence[str], what: str) -> list[str]:
    """``chosen`` as a list; a value outside ``allowed`` raises a Russian error naming the allowed ones."""
    if isinstance(chosen, str):
        chosen = [chosen]
    chosen = [str(c) for c in chosen]
    unknown = [c for c in chosen if c not in allowed]
    if unknown:
        raise ValueError(f"Нет {what} «{unknown[0]}». Допустимо: {', '.join(allowed)}.")
    return chosen


def _check_age(age: Sequence[int]) -> tuple[int, int]:
    """The age range as ``(low, high)`` with low <= high."""
    try:
        low, high = (int(a) for a in age)
    except (TypeError, ValueError):
        raise ValueError("Возраст задаётся парой чисел (от, до), например (18, 24).") from None
    if low > high:
        raise ValueError(f"Возраст «от» ({low}) больше, чем «до» ({high}).")
    return low, high


def brand_name(brand_id: str) -> str:
    """Human name of a brand filter value: «Dala Style» for ``dala_style``; «Все» and «Общая выборка» as is."""
    for item in BRANDS:
        if item.brand_id == brand_id:
            return item.name
    return brand_id


# --- the index and the pure functions --------------------------------------------------------------------


class AudienceIndex:
    """Precomputed arrays of an audience table: build once, then :meth:`mask` any filter in a few milliseconds."""

    def __init__(self, df: pd.DataFrame) -> None:
        _require(df, FILTER_COLUMNS)
        self.size = len(df)
        brand = df["brand_id"].astype("object")
        self.brand = brand.where(brand.notna(), "").astype(str).to_numpy()
        self.brands = tuple(b for b in pd.unique(self.brand) if b)
        self.age = pd.to_numeric(df["age"], errors="coerce").to_numpy(dtype=float)
        self.gender = df["gender"].astype("object").astype(str).to_numpy()
        city = df["city"]
        known = [str(c) for c in city.cat.categories] if isinstance(city.dtype, pd.CategoricalDtype) else []
        self.cities = _ordered(known, city.dropna().astype(str).unique())
        self.city = city.astype("object").astype(str).to_numpy()
        tokens = _tokens(df["platforms"])
        self.platforms = _ordered(AUDIENCE_PLATFORMS, set().union(*tokens[1]))
        self.platform_matrix = _token_matrix(tokens, self.platforms)
        tokens = _tokens(df["interests"])
        self.interests = _ordered(INTERESTS, set().union(*tokens[1]))
        self.interest_matrix = _token_matrix(tokens, self.interests)

    def mask(
        self,
        brand: str | None = None,
        platforms: Iterable[str] = (),
        age: Sequence[int] = AGE_LIMITS,
        cities: Iterable[str] = (),
        interests: Iterable[str] = (),
        gender: str | None = None,
    ) -> np.ndarray:
        """Boolean mask of the rows that pass every filter (see :func:`filter_audience`)."""
        keep = np.ones(self.size, dtype=bool)
        if brand not in (None, ALL):
            if brand == GENERAL:
                keep &= self.brand == ""
            else:
                _check_choice([brand], self.brands, "бренда")
                keep &= self.brand == brand
        chosen = _check_choice(platforms, self.platforms, "площадки")
        if chosen:
            keep &= self.platform_matrix[:, [self.platforms.index(p) for p in chosen]].any(axis=1)
        low, high = _check_age(age)
        keep &= (self.age >= low) & (self.age <= high)
        chosen = _check_choice(cities, self.cities, "города")
        if chosen:
            keep &= np.isin(self.city, chosen)
        chosen = _check_choice(interests, self.interests, "интереса")
        if chosen:
            keep &= self.interest_matrix[:, [self.interests.index(i) for i in chosen]].any(axis=1)
        if gender not in (None, ALL):
            _check_choice([gender], GENDERS, "пола")
            keep &= self.gender == gender
        return keep


def filter_audience(
    df: pd.DataFrame,
    brand: str | None = None,
    platforms: Iterable[str] = (),
    age: Sequence[int] = AGE_LIMITS,
    cities: Iterable[str] = (),
    interests: Iterable[str] = (),
    gender: str | None = None,
) -> pd.DataFrame:
    """Rows of people who pass every filter; an empty filter (``()``, ``None``, «Все») keeps everyone.

    ``brand``: a ``brand_id``, «Общая выборка» (empty ``brand_id``) or «Все»; ``platforms``: the person uses at
    least one of them; ``age``: inclusive (from, to); ``cities``: one of them; ``interests``: at least one of
    them; ``gender``: «ж» or «м».

    >>> people = pd.DataFrame({"brand_id": ["dala_style", None, "dala_style"], "age": [20, 22, 40],
    ...                        "gender": ["ж", "ж", "м"], "city": ["Алматы", "Астана", "Алматы"],
    ...                        "interests": ["мода;кино и сериалы", "мода", "авто"],
    ...                        "platforms": ["WhatsApp;TikTok", "Instagram", "VK"]})
    >>> filter_audience(people, brand="dala_style", age=(18, 24)).index.tolist()
    [0]
    >>> filter_audience(people, platforms=["TikTok", "Instagram"], interests=["мода"]).index.tolist()
    [0, 1]
    >>> filter_audience(people, brand="Общая выборка").index.tolist()
    [1]
    """
    keep = AudienceIndex(df).mask(brand, platforms, age, cities, interests, gender)
    return df.loc[keep]


def platform_concentration(df: pd.DataFrame, base: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of the people of ``df`` on each platform, highest first: where to find this audience.

    Columns: ``people`` (how many use the platform) and ``share`` (of ``df``). With ``base`` (the population the
    segment is taken from) also ``base_share`` and ``affinity`` = share / base_share: 1.5 means the segment is on
    this platform 1.5 times as often as the base. A person may use several platforms, so shares add up to more
    than 1.

    >>> people = pd.DataFrame({"platforms": ["WhatsApp;TikTok", "Instagram;TikTok", "WhatsApp"]})
    >>> platform_concentration(people)["people"].head(3).to_dict()
    {'WhatsApp': 2, 'TikTok': 2, 'Instagram': 1}
    """
    _require(df, ["platforms"])
    tokens = _tokens(df["platforms"])
    platforms = _ordered(AUDIENCE_PLATFORMS, set().union(*tokens[1]))
    people = _token_matrix(tokens, platforms).sum(axis=0)
    with np.errstate(all="ignore"):
        share = people / len(df) if len(df) else np.full(len(platforms), np.nan)
    out = pd.DataFrame({"people": people.astype(int), "share": share}, index=pd.Index(platforms, name="platform"))
    if base is not None:
        _require(base, ["platforms"], "base")
        base_people = _token_matrix(_tokens(base["platforms"]), platforms).sum(axis=0)
        with np.errstate(all="ignore"):
            out["base_share"] = base_people / len(base) if len(base) else np.nan
            out["affinity"] = np.where(out["base_share"] > 0, out["share"] / out["base_share"], np.nan)
    order = np.lexsort((np.arange(len(out)), -np.nan_to_num(out["share"].to_numpy(), nan=-1.0)))
    return out.iloc[order]


def customers_of(df: pd.DataFrame) -> pd.DataFrame:
    """The customers among ``df`` (``is_customer`` true)."""
    _require(df, VALUE_COLUMNS)
    return df.loc[df["is_customer"].fillna(False).astype(bool)]


def core_rows(df: pd.DataFrame, share: float = 0.8) -> pd.DataFrame:
    """The audience core of the customers of ``df``: the fewest that bring ``share`` of their 12-month revenue."""
    return audience_core(customers_of(df), value="revenue_12m_kzt", share=share)


def segment_summary(df: pd.DataFrame, base: pd.DataFrame, core_share: float = 0.8) -> pd.Series:
    """Size of the segment ``df`` within ``base``, its profile, its customers and the audience core of them.

    Keys: ``size``, ``base_size``, ``share`` (of the base), ``women_share``, ``median_age``, ``customers``,
    ``revenue_kzt``, ``revenue_share`` (of the base's revenue), and the core of the segment's customers by
    :func:`smmkit.analysis.audience.audience_core_summary` — ``core_members``, ``core_members_share`` (of the
    segment's customers), ``core_value_share`` (of their revenue). No customers give NaN core shares.
    """
    _require(df, (*VALUE_COLUMNS, "age", "gender"))
    _require(base, VALUE_COLUMNS, "base")
    customers = customers_of(df)
    core = audience_core_summary(customers, value="revenue_12m_kzt", share=core_share)
    revenue = float(customers["revenue_12m_kzt"].sum())
    base_revenue = float(customers_of(base)["revenue_12m_kzt"].sum())
    return pd.Series({
        "size": len(df),
        "base_size": len(base),
        "share": len(df) / len(base) if len(base) else math.nan,
        "women_share": float((df["gender"].astype("object") == "ж").mean()) if len(df) else math.nan,
        "median_age": float(df["age"].median()) if len(df) else math.nan,
        "customers": len(customers),
        "revenue_kzt": revenue,
        "revenue_share": revenue / base_revenue if base_revenue else math.nan,
        "core_members": int(core["members"]),
        "core_members_share": float(core["members_share"]),
        "core_value_share": float(core["value_share"]),
    })


# --- figures ---------------------------------------------------------------------------------------------


def concentration_figure(conc: pd.DataFrame, title: str) -> go.Figure:
    """Grouped bars: share of the segment and of the base on each platform (rows of ``conc`` in chart order)."""
    x = list(conc.index)
    base = conc["base_share"] if "base_share" in conc else pd.Series(np.nan, index=conc.index)
    fig = go.Figure([
        go.Bar(x=x, y=conc["share"].tolist(), name="сегмент", marker_color=_COLORS["segment"],
               text=[_pct(v, 0) for v in conc["share"]], textposition="outside",
               hovertemplate="%{x}: %{y:.1%} сегмента<extra></extra>"),
        go.Bar(x=x, y=base.tolist(), name="вся база", marker_color=_COLORS["base"],
               hovertemplate="%{x}: %{y:.1%} базы<extra></extra>"),
    ])
    fig.update_layout(
        title=title, barmode="group", height=320, width=560, margin={"l": 50, "r": 20, "t": 50, "b": 40},
        yaxis={"title": "доля людей на площадке", "tickformat": ".0%", "range": [0, 1.12]},
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
    )
    return fig


def profile_figure(ages: pd.Series, cities: pd.Series, title: str) -> go.Figure:
    """Two panels: people by age (bars by year) and the share of people by city (horizontal bars)."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.22,
                        subplot_titles=("Возраст", "Город"))
    fig.add_trace(go.Bar(x=list(ages.index), y=ages.tolist(), marker_color=_COLORS["segment"],
                         hovertemplate="%{x} лет: %{y} чел.<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Bar(x=cities.tolist(), y=list(cities.index), orientation="h",
                         marker_color=_COLORS["segment"], hovertemplate="%{y}: %{x:.1%}<extra></extra>"),
                  row=1, col=2)
    fig.update_xaxes(title_text="лет", row=1, col=1)
    fig.update_yaxes(title_text="человек", row=1, col=1)
    fig.update_xaxes(tickformat=".0%", row=1, col=2)
    fig.update_yaxes(autorange="reversed", tickfont={"size": 10}, row=1, col=2)
    fig.update_layout(title=title, height=400, showlegend=False, margin={"l": 50, "r": 20, "t": 70, "b": 40})
    return fig


def _restyle(figure: go.FigureWidget, trace: int, **values: object) -> None:
    """Set properties of one trace in one message.

    One trace per batch on purpose: a batch that sets different properties on different traces sends the
    missing ones as «undefined», and plotly's front end may then drop them (seen in JupyterLab: the city names
    of the profile's bar chart vanished).
    """
    with figure.batch_update():
        for name, value in values.items():
            setattr(figure.data[trace], name, value)


# --- formatting ------------------------------------------------------------------------------------------


def _num(n: float) -> str:
    """An integer with thin spaces between thousands: 19 000."""
    return f"{n:,.0f}".replace(",", "\u202f")


def _dec(x: float, digits: int = 2) -> str:
    """A number with a decimal comma: 1.234 → «1,23»; NaN → «—»."""
    return "—" if x is None or math.isnan(x) else f"{x:.{digits}f}".replace(".", ",")


def _pct(x: float, digits: int = 1) -> str:
    """A share as Russian percent: 0.123 → «12,3 %»; NaN → «—»."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{100 * x:.{digits}f}".replace(".", ",") + "\u00a0%"


# --- the widget ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AudienceState:
    """What the explorer shows for one choice of filters."""

    segment: pd.DataFrame
    base: pd.DataFrame
    group: pd.DataFrame
    summary: pd.Series
    concentration: pd.DataFrame

    @property
    def top_platform(self) -> str | None:
        """The platform with the largest share of the shown group (None for an empty group)."""
        return None if self.group.empty else str(self.concentration.index[0])

    @property
    def most_concentrated(self) -> str | None:
        """The platform where the shown group is over-represented most against the base (highest affinity)."""
        affinity = self.concentration["affinity"].dropna()
        return None if self.group.empty or affinity.empty else str(affinity.idxmax())


class AudienceExplorer(w.VBox):
    """Filter an audience by brand, platform, age, city, interests and gender; see its size, core and platforms."""

    def __init__(self, audience: pd.DataFrame) -> None:
        self._df = _require(audience, (*FILTER_COLUMNS, *VALUE_COLUMNS))
        self._index = index = AudienceIndex(audience)
        self._age_axis = np.arange(int(np.nanmin(index.age)), int(np.nanmax(index.age)) + 1) if len(audience) \
            else np.arange(AGE_LIMITS[0], AGE_LIMITS[1] + 1)
        style = {"description_width": "initial"}
        brands = [(f"{brand_name(b)} ({_num((index.brand == b).sum())})", b) for b in index.brands]
        general = int((index.brand == "").sum())
        options = [(f"{ALL} ({_num(len(audience))})", ALL), *brands]
        if general:
            options.append((f"{GENERAL} ({_num(general)})", GENERAL))
        self.brand = w.Dropdown(options=options, value=ALL, description="Список:", style=style)
        self.gender = w.ToggleButtons(options=[("все", ALL), ("женщины", "ж"), ("мужчины", "м")], value=ALL,
                                      description="Пол:", style={**style, "button_width": "80px"})
        low, high = int(self._age_axis[0]), int(self._age_axis[-1])
        self.age = w.IntRangeSlider(value=(low, high), min=low, max=high, description="Возраст:", style=style,
                                    continuous_update=False, layout=w.Layout(width="420px"))
        self.platforms = w.SelectMultiple(options=index.platforms, value=(), rows=6, description="Площадки:",
                                          style=style)
        self.cities = w.SelectMultiple(options=index.cities, value=(), rows=6, description="Города:", style=style)
        self.interests = w.SelectMultiple(options=index.interests, value=(), rows=6, description="Интересы:",
                                          style=style)
        self.group = w.ToggleButtons(options=[(label, key) for key, label in GROUPS.items()], value="segment",
                                     description="Показать:", style={**style, "button_width": "140px"})
        self.core_share = w.FloatSlider(value=0.8, min=0.5, max=0.95, step=0.05, description="Ядро: доля выручки",
                                        readout_format=".0%", style=style, continuous_update=False)
        self.summary = w.HTML()
        self.table = w.HTML()
        empty = pd.DataFrame({"share": 0.0, "base_share": 0.0}, index=pd.Index(index.platforms, name="platform"))
        self.concentration_figure = go.FigureWidget(concentration_figure(empty, "Где искать сегмент: площадки"))
        self.profile_figure = go.FigureWidget(profile_figure(
            pd.Series(0, index=self._age_axis), pd.Series(0.0, index=list(index.cities)), "Профиль"))
        controls = (self.brand, self.gender, self.age, self.platforms, self.cities, self.interests, self.group,
                    self.core_share)
        for control in controls:
            control.observe(self._update, names="value")
        hint = w.HTML("<small>Несколько значений: Ctrl (⌘) + щелчок. Ничего не выбрано — фильтра нет. "
                      "Площадки и интересы: подходит человек, у которого есть <i>хотя бы один</i> из "
                      "выбранных.</small>")
        super().__init__([
            w.HBox([self.brand, self.gender]), self.age,
            w.HBox([self.platforms, self.cities, self.interests]), hint,
            w.HBox([self.group, self.core_share]), self.summary,
            w.HBox([self.concentration_figure, self.table]), self.profile_figure,
        ])
        self._update()

    @property
    def state(self) -> AudienceState:
        """Segment, base, shown group, summary and platform concentration for the current control values."""
        index = self._index
        base = self._df.loc[index.mask(brand=self.brand.value)]
        segment = self._df.loc[index.mask(self.brand.value, self.platforms.value, self.age.value,
                                          self.cities.value, self.interests.value, self.gender.value)]
        group = {"segment": lambda: segment, "customers": lambda: customers_of(segment),
                 "core": lambda: core_rows(segment, self.core_share.value)}[self.group.value]()
        return AudienceState(segment, base, group, segment_summary(segment, base, self.core_share.value),
                             platform_concentration(group, base))

    def _update(self, *_: object) -> None:
        st = self.state
        s = st.summary
        where = brand_name(self.brand.value)
        lines = [f"<b>Сегмент: {_num(s['size'])} чел.</b> — {_pct(s['share'])} базы «{html.escape(where)}» "
                 f"({_num(s['base_size'])} чел.)"]
        if s["size"]:
            lines.append(f"Женщин: {_pct(s['women_share'], 0)}, медиана возраста: {s['median_age']:.0f}.")
        if s["customers"]:
            lines.append(
                f"Клиентов: {_num(s['customers'])}, выручка за 12 мес.: {_num(s['revenue_kzt'])} ₸ "
                f"({_pct(s['revenue_share'])} выручки базы).<br><b>Ядро аудитории</b> — {_num(s['core_members'])} "
                f"из {_num(s['customers'])} (<b>{_pct(s['core_members_share'])}</b> клиентов сегмента) — приносит "
                f"<b>{_pct(s['core_value_share'])}</b> их выручки.")
        elif s["size"]:
            why = " (люди из общей выборки — не клиенты брендов)" if self.brand.value == GENERAL else ""
            lines.append(f"Клиентов в сегменте нет — ядро аудитории не посчитать{why}.")
        shown = GROUPS[self.group.value]
        if st.group.empty:
            lines.append(f"<i>Показать нечего: в группе «{shown}» никого нет — ослабьте фильтры.</i>")
        else:
            top = st.concentration.iloc[0]
            lines.append(f"<b>Где искать ({shown}, {_num(len(st.group))} чел.):</b> больше всего людей — в "
                         f"{st.top_platform} ({_pct(top['share'], 0)}).")
            best = None if st.most_concentrated is None else st.concentration.loc[st.most_concentrated]
            if best is not None and best["affinity"] >= NOTABLE_AFFINITY:
                lines[-1] += (f" Сильнее всего сконцентрированы в {st.most_concentrated}: "
                              f"{_pct(best['share'], 0)} против {_pct(best['base_share'], 0)} в базе "
                              f"(индекс {_dec(best['affinity'])}).")
            elif best is not None:
                lines[-1] += (f" Заметной концентрации нет: индекс везде меньше {_dec(NOTABLE_AFFINITY, 1)}, "
                              "по площадкам группа распределена почти как вся база.")
        self.summary.value = "<br>".join(lines)
        self._draw(st)

    def _draw(self, st: AudienceState) -> None:
        conc = st.concentration.reindex(list(self._index.platforms))
        rows = "".join(
            f"<tr><td>{html.escape(str(p))}</td><td>{_num(r.people)}</td>"
            f"<td>{_pct(r.share)}</td><td>{_pct(r.base_share)}</td>"
            f"<td>{_dec(r.affinity)}</td></tr>"
            for p, r in st.concentration.iterrows())
        self.table.value = (
            "<table style='border-collapse:collapse;font-size:12px' cellpadding='3'>"
            "<tr><th>Площадка</th><th>Людей</th><th>Доля группы</th><th>Доля базы</th><th>Индекс</th></tr>"
            f"{rows}</table><small>Индекс = доля группы / доля базы: больше 1 — группа<br>на площадке "
            "чаще, чем в среднем по базе.</small>")
        shown = GROUPS[self.group.value]
        ages = np.bincount(np.clip(st.group["age"].to_numpy(dtype=int) - self._age_axis[0], 0, None),
                           minlength=len(self._age_axis))[: len(self._age_axis)]
        cities = st.group["city"].astype("object").value_counts().reindex(list(self._index.cities), fill_value=0)
        city_share = cities / len(st.group) if len(st.group) else cities * 0.0
        figure = self.concentration_figure
        _restyle(figure, 0, y=conc["share"].fillna(0).tolist(),
                 text=[_pct(v, 0) if len(st.group) else "" for v in conc["share"]])
        _restyle(figure, 1, y=conc["base_share"].fillna(0).tolist())
        figure.layout.title.text = f"Где искать: площадки ({shown}, {_num(len(st.group))} чел.)"
        _restyle(self.profile_figure, 0, y=ages.tolist())
        _restyle(self.profile_figure, 1, x=city_share.tolist())
        self.profile_figure.layout.title.text = f"Профиль: {shown}"


__all__ = [
    "ALL",
    "GENERAL",
    "AudienceExplorer",
    "AudienceIndex",
    "AudienceState",
    "concentration_figure",
    "core_rows",
    "customers_of",
    "filter_audience",
    "platform_concentration",
    "profile_figure",
    "segment_summary",
]
