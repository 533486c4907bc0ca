"""Engagement lab: how the definition of ER (or CTR) changes the ranking of accounts, rubrics, formats, campaigns.

The logic is pure functions (:func:`er_ranking`, :func:`ctr_ranking`, :func:`rank_shift`) built on
:mod:`smmkit.metrics`; the widget only wires controls to them and remembers the previous ranking, so every
row shows how many places it moved when the definition changed.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass

import ipywidgets as w
import numpy as np
import pandas as pd

from smmkit import metrics
from smmkit.data.universe import BRANDS
from smmkit.validation import require_columns

ALL = "Все"
INTERACTIONS = ("likes", "comments", "shares", "saves")
"""Interactions of a post in the course: likes + comments + shares + saves."""

BASES = {"followers": "followers", "reach": "reach", "views": "impressions"}
"""ER base → the column of ``posts`` used as each post's denominator."""

BASE_LABELS = {"followers": "ER по подписчикам", "reach": "ER по охвату (ERR)", "views": "ER по просмотрам"}
BASE_WORDS = {"followers": "подписчики в день публикации", "reach": "охват", "views": "просмотры (показы)"}
METHOD_LABELS = {"pooled": "Σ взаимодействий / Σ базы", "mean": "среднее ER публикаций",
                 "median": "медиана ER публикаций"}
BY_LABELS = {"account": "Аккаунт", "rubric": "Рубрика", "format": "Формат"}
CTR_VARIANTS = {"all": "clicks_all", "link": "link_clicks"}
"""CTR variant → the clicks column of ``ads_daily``."""

CTR_LABELS = {"all": "CTR (все клики)", "link": "CTR (клики по ссылке)"}
CTR_BY = {"platform": "Площадка", "campaign_name": "Кампания"}


# --- validation ------------------------------------------------------------------------------------------


def _require(df: object, columns: Iterable[str], table: str) -> pd.DataFrame:
    """Check that ``df`` is a DataFrame with ``columns``; raise a Russian error otherwise."""
    return require_columns(df, columns, table, "загрузите её через datasets.load")


def _check(value: str, allowed: Iterable[str], argument: str) -> str:
    """``value`` if it is one of ``allowed``; a Russian error naming the allowed values otherwise."""
    allowed = list(allowed)
    if value not in allowed:
        names = ", ".join(f"«{a}»" for a in allowed)
        raise ValueError(f"Аргумент «{argument}» должен быть одним из: {names} (получено «{value}»).")
    return value


def account_labels(accounts: pd.DataFrame) -> dict[str, str]:
    """``account_id`` → «Brand · Platform» (e.g. «Qazaq Coffee · Instagram»)."""
    _require(accounts, ("account_id", "brand", "platform"), "accounts")
    return {str(a): f"{b} · {p}" for a, b, p in accounts[["account_id", "brand", "platform"]].astype(str).itertuples(
        index=False)}


def brand_names(ads: pd.DataFrame) -> dict[str, str]:
    """``brand_id`` → brand name for the brands of ``ads`` (the id if the brand is unknown)."""
    names = {b.brand_id: b.name for b in BRANDS}
    return {str(b): names.get(str(b), str(b)) for b in pd.unique(ads["brand_id"].astype("object").dropna())}


def _ranks(values: pd.Series) -> pd.Series:
    """1 = highest value; ties share the better place; NaN gets no place."""
    return values.rank(ascending=False, method="min").astype("Int64")


# --- ER --------------------------------------------------------------------------------------------------


def interactions(posts: pd.DataFrame) -> pd.Series:
    """Interactions of each post: likes + comments + shares + saves."""
    _require(posts, INTERACTIONS, "posts")
    return posts.loc[:, list(INTERACTIONS)].sum(axis=1)


def er_ranking(
    posts: pd.DataFrame,
    accounts: pd.DataFrame,
    base: str = "followers",
    method: str = "pooled",
    by: str = "account",
    account: str | None = None,
) -> pd.DataFrame:
    """ER of every account (or rubric, or format) over the period and its place, best first.

    ``base``: «followers» (ER by followers on the day of publication), «reach» (ERR) or «views» (impressions);
    ``method``: «pooled» (Σ interactions / Σ bases), «mean» or «median» of per-post ER — see
    :func:`smmkit.metrics.er_period`. ``by``: «account», «rubric» or «format»; ``account`` keeps one
    account's posts (None or «Все» — all). Indexed by the account id, rubric or format; columns ``label``,
    ``platform`` (for accounts), ``posts``, ``interactions``, ``base`` (Σ of the denominators), ``er`` and
    ``rank`` (1 = highest ER, ties share the place).
    """
    _check(base, BASES, "base")
    _check(method, metrics.ER_PERIOD_METHODS, "method")
    _check(by, BY_LABELS, "by")
    key = "account_id" if by == "account" else by
    _require(posts, (*INTERACTIONS, "account_id", BASES[base], key), "posts")
    labels = account_labels(accounts)
    platforms = dict(zip(accounts["account_id"].astype(str), accounts["platform"].astype(str), strict=True))
    rows = posts
    if account not in (None, ALL):
        _check(account, labels, "account")
        rows = posts.loc[posts["account_id"].astype(str) == account]
    table = pd.DataFrame({"key": rows[key].astype("object").astype(str), "interactions": interactions(rows),
                          "base": rows[BASES[base]].astype(float)})
    out = []
    for name, group in table.groupby("key", sort=False):
        out.append({key: name, "posts": len(group), "interactions": int(group["interactions"].sum()),
                    "base": float(group["base"].sum()),
                    "er": metrics.er_period(group["interactions"], group["base"], method=method)})
    result = pd.DataFrame(out, columns=[key, "posts", "interactions", "base", "er"]).set_index(key)
    result.insert(0, "label", [labels.get(k, k) if by == "account" else k for k in result.index])
    if by == "account":
        result.insert(1, "platform", [platforms.get(k, "") for k in result.index])
    result["rank"] = _ranks(result["er"])
    return result.sort_values(["rank", "label"], na_position="last", kind="stable")


def rank_shift(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.Series:
    """Places each row moved up since ``previous`` (positive = up, negative = down; NA if it was not ranked).

    >>> before = pd.DataFrame({"rank": [1, 2, 3]}, index=["a", "b", "c"])
    >>> after = pd.DataFrame({"rank": [1, 2, 3]}, index=["c", "a", "d"])
    >>> rank_shift(after, before).tolist()
    [2, -1, <NA>]
    """
    if previous is None:
        return pd.Series(pd.NA, index=current.index, dtype="Int64", name="shift")
    before = previous["rank"].reindex(current.index)
    return (before - current["rank"]).astype("Int64").rename("shift")


def telegram_view_rates(posts: pd.DataFrame, accounts: pd.DataFrame) -> pd.Series:
    """TGStat's «ERR» of every Telegram account: mean views / mean subscribers (:func:`smmkit.metrics.tg_view_rate`)."""
    _require(posts, ("account_id", "reach", "followers"), "posts")
    telegram = accounts.loc[accounts["platform"].astype(str) == "Telegram", "account_id"].astype(str)
    rows = posts.loc[posts["account_id"].astype(str).isin(telegram)]
    means = rows.groupby(rows["account_id"].astype(str))[["reach", "followers"]].mean()
    return metrics.tg_view_rate(means["reach"], means["followers"]).rename("view_rate")


# --- CTR -------------------------------------------------------------------------------------------------


def ctr_ranking(
    ads: pd.DataFrame, variant: str = "all", by: str = "platform", brand: str | None = None
) -> pd.DataFrame:
    """CTR of every platform (or campaign) over the period, Σ clicks / Σ impressions, and its place, best first.

    ``variant``: «all» (all clicks: link, profile, «more») or «link» (link clicks only); ``brand`` keeps one
    brand (None or «Все» — all). Indexed by platform or campaign; columns ``impressions``, ``clicks_all``,
    ``link_clicks``, ``ctr_all``, ``ctr_link``, ``link_share`` (link clicks / all clicks), ``ctr`` (of the
    chosen variant) and ``rank`` (1 = highest CTR).

    >>> ads = pd.DataFrame({"brand_id": ["x", "x"], "platform": ["TikTok", "Telegram Ads"],
    ...                     "impressions": [1000, 1000], "clicks_all": [20, 5], "link_clicks": [4, 5]})
    >>> ctr_ranking(ads, "all")["rank"].to_dict(), ctr_ranking(ads, "link")["rank"].to_dict()
    ({'TikTok': 1, 'Telegram Ads': 2}, {'Telegram Ads': 1, 'TikTok': 2})
    """
    _check(variant, CTR_VARIANTS, "variant")
    _check(by, CTR_BY, "by")
    _require(ads, ("brand_id", by, "impressions", "clicks_all", "link_clicks"), "ads")
    rows = ads
    if brand not in (None, ALL):
        _check(brand, brand_names(ads), "brand")
        rows = ads.loc[ads["brand_id"].astype(str) == brand]
    sums = rows.groupby(rows[by].astype("object").astype(str), sort=False)[
        ["impressions", "clicks_all", "link_clicks"]].sum()
    sums.index.name = by
    sums["ctr_all"] = metrics.ctr(sums["clicks_all"], sums["impressions"])
    sums["ctr_link"] = metrics.ctr(sums["link_clicks"], sums["impressions"])
    sums["link_share"] = sums["link_clicks"] / sums["clicks_all"].where(sums["clicks_all"] > 0)
    sums["ctr"] = sums["ctr_all" if variant == "all" else "ctr_link"]
    sums["rank"] = _ranks(sums["ctr"])
    return sums.assign(_name=sums.index).sort_values(["rank", "_name"], na_position="last", kind="stable").drop(
        columns="_name")


# --- formatting ------------------------------------------------------------------------------------------


def _pct(x: float, digits: int = 2) -> str:
    """A share as Russian percent: 0.0123 → «1,23 %»; NaN → «—»."""
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{100 * x:.{digits}f}".replace(".", ",") + "\u00a0%"


def _num(n: float) -> str:
    """An integer with thin spaces between thousands."""
    return f"{n:,.0f}".replace(",", "\u202f")


def arrow(shift: object) -> str:
    """A rank change as HTML: ▲ 3 (up, green), ▼ 2 (down, red), = (same place), empty if unknown."""
    if shift is None or shift is pd.NA or (isinstance(shift, float) and math.isnan(shift)):
        return ""
    shift = int(shift)
    if shift > 0:
        return f"<span style='color:#1a7f37'>▲&nbsp;{shift}</span>"
    if shift < 0:
        return f"<span style='color:#c62828'>▼&nbsp;{-shift}</span>"
    return "<span style='color:#888'>=</span>"


def _bar(value: float, top: float) -> str:
    """An inline bar proportional to ``value / top``."""
    width = 0 if not top or value is None or math.isnan(value) else max(1, round(120 * value / top))
    return f"<div style='background:#1f3b99;height:9px;width:{width}px'></div>"


_TABLE = "<table style='border-collapse:collapse;font-size:12px' cellpadding='3'>"


def _ranking_html(table: pd.DataFrame, shift: pd.Series, name: str, columns: list[tuple[str, str]],
                  value: str) -> str:
    """A ranking as an HTML table: place, change, name, extra ``columns`` and the bar of ``value``."""
    top = float(np.nanmax(table[value].to_numpy(dtype=float))) if len(table) and table[value].notna().any() else 0.0
    head = "".join(f"<th>{html.escape(title)}</th>" for _, title in columns)
    rows = []
    for key, row in table.iterrows():
        place = "—" if row["rank"] is pd.NA else str(row["rank"])
        label = row["label"] if "label" in row else key
        cells = "".join(f"<td style='text-align:right'>{fmt}</td>" for fmt in
                        (_cell(row[c]) if not callable(c) else c(row) for c, _ in columns))
        rows.append(f"<tr><td style='text-align:right'><b>{place}</b></td><td>{arrow(shift.get(key))}</td>"
                    f"<td>{html.escape(str(label))}</td>{cells}<td>{_bar(row[value], top)}</td></tr>")
    return (f"{_TABLE}<tr><th>Место</th><th>Δ</th><th>{html.escape(name)}</th>{head}<th></th></tr>"
            f"{''.join(rows)}</table>")


def _cell(value: object) -> str:
    """A table cell: integers with spaces, everything else as text."""
    if isinstance(value, (int, np.integer)):
        return _num(value)
    return html.escape(str(value))


# --- the widget ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingState:
    """A ranking, the ranking before the last change of definition, and the places each row moved."""

    ranking: pd.DataFrame
    definition: str
    previous: pd.DataFrame | None = None
    previous_definition: str | None = None

    @property
    def shift(self) -> pd.Series:
        """Places moved up since the previous definition (NA without one)."""
        return rank_shift(self.ranking, self.previous)

    @property
    def biggest_rise(self) -> str | None:
        """The row that moved up most since the previous definition (None if nothing moved up)."""
        shift = self.shift.dropna()
        return None if shift.empty or shift.max() <= 0 else str(shift.idxmax())


class EngagementLab(w.VBox):
    """Switch ER definitions (base, pooled vs mean) and CTR variants; watch the rankings and their changes."""

    def __init__(self, posts: pd.DataFrame, accounts: pd.DataFrame, ads: pd.DataFrame) -> None:
        needed = (*INTERACTIONS, "account_id", "rubric", "format", *BASES.values())
        self._posts = _require(posts, needed, "posts")
        self._accounts = _require(accounts, ("account_id", "brand", "platform"), "accounts")
        self._ads = _require(ads, ("brand_id", "platform", "campaign_name", "impressions", "clicks_all",
                                   "link_clicks"), "ads")
        self._labels = account_labels(accounts)
        self._platform = dict(zip(accounts["account_id"].astype(str), accounts["platform"].astype(str), strict=True))
        self._view_rates = telegram_view_rates(posts, accounts)
        style = {"description_width": "initial"}
        self.base = w.ToggleButtons(options=[(v, k) for k, v in BASE_LABELS.items()], value="followers",
                                    description="Делим на:", style={**style, "button_width": "175px"})
        self.method = w.ToggleButtons(options=[(METHOD_LABELS[k], k) for k in ("pooled", "mean")], value="pooled",
                                      description="За период:", style={**style, "button_width": "215px"})
        self.by = w.Dropdown(options=[("аккаунты", "account"), ("рубрики одного аккаунта", "rubric"),
                                      ("форматы одного аккаунта", "format")], value="account",
                             description="Сравниваем:", style=style)
        self.account = w.Dropdown(options=[(label, a) for a, label in self._labels.items()],
                                  description="Аккаунт:", style=style, disabled=True)
        self.er_formula, self.er_table, self.er_note = w.HTML(), w.HTML(), w.HTML()
        self.variant = w.ToggleButtons(options=[(v, k) for k, v in CTR_LABELS.items()], value="all",
                                       description="CTR:", style={**style, "button_width": "170px"})
        self.ctr_by = w.Dropdown(options=[("площадки", "platform"), ("кампании", "campaign_name")], value="platform",
                                 description="Сравниваем:", style=style)
        brands = brand_names(ads)
        self.brand = w.Dropdown(options=[("все бренды", ALL), *[(n, b) for b, n in brands.items()]], value=ALL,
                                description="Бренд:", style=style)
        self.ctr_formula, self.ctr_table, self.ctr_note = w.HTML(), w.HTML(), w.HTML()
        self._er = RankingState(self._er_ranking(), self._er_definition())
        self._ctr = RankingState(self._ctr_ranking(), CTR_LABELS[self.variant.value])
        for control in (self.base, self.method):
            control.observe(self._on_er_definition, names="value")
        for control in (self.by, self.account):
            control.observe(self._on_er_items, names="value")
        self.variant.observe(self._on_ctr_definition, names="value")
        for control in (self.ctr_by, self.brand):
            control.observe(self._on_ctr_items, names="value")
        er_box = w.VBox([self.base, self.method, w.HBox([self.by, self.account]), self.er_formula, self.er_table,
                         self.er_note])
        ctr_box = w.VBox([self.variant, w.HBox([self.ctr_by, self.brand]), self.ctr_formula, self.ctr_table,
                          self.ctr_note])
        self.tabs = w.Tab(children=[er_box, ctr_box])
        self.tabs.titles = ("ER", "CTR")
        super().__init__([self.tabs])
        self._show_er()
        self._show_ctr()

    # --- state ---------------------------------------------------------------------------------------

    @property
    def er_state(self) -> RankingState:
        """The ER ranking for the current controls and the one before the last change of definition."""
        return self._er

    @property
    def ctr_state(self) -> RankingState:
        """The CTR ranking for the current controls and the one before the last change of variant."""
        return self._ctr

    def _er_definition(self, base: str | None = None, method: str | None = None) -> str:
        return f"{BASE_LABELS[base or self.base.value]}, {METHOD_LABELS[method or self.method.value]}"

    def _er_ranking(self) -> pd.DataFrame:
        by = self.by.value
        account = None if by == "account" else self.account.value
        return er_ranking(self._posts, self._accounts, self.base.value, self.method.value, by, account)

    def _ctr_ranking(self) -> pd.DataFrame:
        return ctr_ranking(self._ads, self.variant.value, self.ctr_by.value, self.brand.value)

    # --- events --------------------------------------------------------------------------------------

    def _on_er_definition(self, *_: object) -> None:
        self._er = RankingState(self._er_ranking(), self._er_definition(), self._er.ranking, self._er.definition)
        self._show_er()

    def _on_er_items(self, *_: object) -> None:
        self.account.disabled = self.by.value == "account"
        self._er = RankingState(self._er_ranking(), self._er_definition())
        self._show_er()

    def _on_ctr_definition(self, *_: object) -> None:
        self._ctr = RankingState(self._ctr_ranking(), CTR_LABELS[self.variant.value], self._ctr.ranking,
                                 self._ctr.definition)
        self._show_ctr()

    def _on_ctr_items(self, *_: object) -> None:
        self._ctr = RankingState(self._ctr_ranking(), CTR_LABELS[self.variant.value])
        self._show_ctr()

    # --- views ---------------------------------------------------------------------------------------

    def _since(self, st: RankingState) -> str:
        if st.previous_definition is None:
            return "Стрелки Δ появятся, когда вы смените определение: они покажут, на сколько мест сдвинулась строка."
        return f"Δ — на сколько мест сдвинулась строка по сравнению с прошлым выбором: «{st.previous_definition}»."

    def _show_er(self) -> None:
        st, by = self._er, self.by.value
        word = BASE_WORDS[self.base.value]
        method = ("Σ взаимодействий всех публикаций / Σ баз (крупные публикации весят больше)"
                  if self.method.value == "pooled" else "ER каждой публикации, затем среднее (все публикации равны)")
        self.er_formula.value = (
            f"<b>{BASE_LABELS[self.base.value]}</b> = (лайки + комментарии + репосты + сохранения) / {word}; "
            f"за период: {method}.<br><small>{self._since(st)}</small>")
        columns: list[tuple[object, str]] = []
        if by == "account":
            columns.append(("platform", "Площадка"))
        columns += [("posts", "Публикаций"), (lambda r: f"<b>{_pct(r['er'])}</b>", "ER")]
        self.er_table.value = _ranking_html(st.ranking, st.shift, BY_LABELS[by], columns, "er")
        shown = list(st.ranking.index) if by == "account" else [self.account.value]
        telegram = [a for a in shown if self._platform.get(a) == "Telegram"]
        notes = []
        if st.biggest_rise is not None:
            row = st.ranking.loc[st.biggest_rise]
            notes.append(f"Сильнее всего поднялся: <b>{html.escape(str(row['label']))}</b> "
                         f"(▲ {int(st.shift[st.biggest_rise])}, теперь {row['rank']}-е место).")
        if telegram:
            rates = "; ".join(f"{html.escape(self._labels[a])} — {_pct(self._view_rates.get(a, math.nan), 0)}"
                              for a in telegram)
            notes.append(
                "⚠ <b>Telegram: «ERR» в TGStat — это не ER.</b> TGStat называет ERR долю подписчиков, которые "
                "видят пост: просмотры / подписчики (<code>metrics.tg_view_rate</code>), реакции в ней не участвуют. "
                f"За весь период: {rates}. А «ER по охвату» в этой таблице — реакции / просмотры "
                "(в Telegram охват = просмотры поста): другая величина, не путайте их в отчёте.")
        self.er_note.value = "<br>".join(notes)

    def _show_ctr(self) -> None:
        st = self._ctr
        clicks = "все клики (по ссылке, профилю, «ещё»)" if self.variant.value == "all" else "клики по ссылке"
        self.ctr_formula.value = (f"<b>{CTR_LABELS[self.variant.value]}</b> = {clicks} / показы, Σ за период."
                                  f"<br><small>{self._since(st)}</small>")
        table = st.ranking.assign(label=st.ranking.index)
        columns: list[tuple[object, str]] = [
            ("impressions", "Показы"),
            (lambda r: _pct(r["ctr_all"]), "CTR все"),
            (lambda r: _pct(r["ctr_link"]), "CTR ссылка"),
            (lambda r: _pct(r["link_share"], 0), "Доля кликов по ссылке"),
        ]
        self.ctr_table.value = _ranking_html(table, st.shift, CTR_BY[self.ctr_by.value], columns, "ctr")
        notes = []
        if st.previous is not None:
            moved = int((st.shift.fillna(0) != 0).sum())
            notes.append(f"Поменяли место: {moved} из {len(st.ranking)}." if moved else
                         "Порядок не изменился: разница между вариантами CTR везде похожа.")
        if "Telegram Ads" in st.ranking.index or any("Telegram" in str(i) for i in st.ranking.index):
            notes.append("В Telegram Ads других кликов нет: «все клики» = клики по ссылке, поэтому при переходе "
                         "к CTR по ссылке Telegram теряет меньше остальных.")
        self.ctr_note.value = "<br>".join(notes)


__all__ = [
    "ALL",
    "EngagementLab",
    "RankingState",
    "account_labels",
    "arrow",
    "ctr_ranking",
    "er_ranking",
    "interactions",
    "rank_shift",
    "telegram_view_rates",
]
