"""End-to-end analytics («сквозная аналитика»): ad costs, web sessions and CRM orders joined per campaign.

Three tables, joined by UTM keys (source / medium / campaign) and ids:

* **ads** (:data:`ADS_COLUMNS`) — ad costs from the ad cabinets, one row per day and campaign;
* **sessions** (:data:`EVENT_COLUMNS`) — GA4-like web events, one row per event (one row per session works
  too): a session is ``(user_pseudo_id, session_id)`` and carries the UTM keys of its traffic source;
  ``event_name`` "generate_lead" is a lead, "purchase" with a ``transaction_id`` is an online order; time is
  ``ts`` (datetime) or ``event_date`` (GA4's ``YYYYMMDD``);
* **orders** (:data:`ORDER_COLUMNS`) — CRM orders with revenue and gross profit, linked to the web by
  ``transaction_id`` (the purchase event's id) or, failing that, by ``user_pseudo_id`` (the client id saved in
  the CRM): then the order belongs to that user's last session on or before the order's day.

UTM keys are compared after ``strip().lower()``, and an empty key becomes :data:`NOT_SET` (as in GA4), so
«Instagram» in the cabinet and «instagram» in the link meet. An order whose session cannot be found is counted
in a row with the keys :data:`UNMATCHED`, so totals still match the CRM; problems of this kind are reported as
Russian notes in ``result.attrs["notes"]``, not as exceptions. Missing columns or negative spend raise
``ValueError``.

Repeat sales: an order is *first* if it is the customer's earliest, otherwise *repeat*. By default
(``repeat_orders="acquisition"``) a repeat order is credited to the campaign that brought the customer's first
order — this is what makes end-to-end ROMI count the customer's later purchases; ``"session"`` credits it to
its own session instead.

Ratios come from :mod:`smmkit.metrics`: CR = first orders / sessions (sessions that brought a new customer;
repeat orders are left out so that CR stays a share of sessions under either crediting), CPL = spend / leads,
CPA = spend / orders, CAC = spend / first orders (media cost only), ROAS = revenue / spend, ДРР = spend / revenue,
ROMI = (gross profit − spend) / spend.

Column names: the course datasets (``datasets.load("ads_daily")``, ``"web_events"``, ``"crm_orders"``) name
some columns differently from the contracts above; every function here accepts them as loaded through one
alias mapping, :data:`COLUMN_ALIASES` (e.g. ``spend_kzt`` → ``spend``, ``event_ts`` → ``ts``,
``order_ts`` → ``order_date``). An alias is used only when the contract's own name is absent, so tables that
already follow the contracts work as before; results always use the contract names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urlsplit

import pandas as pd

from smmkit import metrics
from smmkit.data.universe import TIMEZONE

ADS_COLUMNS: tuple[str, ...] = ("date", "source", "medium", "campaign", "spend")
"""Ad cost table: day, UTM keys of the campaign, spend (money, ≥ 0). Only the keys used and ``spend`` are required."""

EVENT_COLUMNS: tuple[str, ...] = (
    "user_pseudo_id",
    "session_id",
    "source",
    "medium",
    "campaign",
    "event_name",
    "transaction_id",
)
"""Rows of the ``sessions`` table (GA4-like events) plus a time column from :data:`EVENT_TIME_COLUMNS`.

``transaction_id`` is needed only on "purchase" events and only when orders are linked by it.
"""

EVENT_TIME_COLUMNS: tuple[str, ...] = ("ts", "event_date")
"""Time of an event: ``ts`` (datetime; ``event_ts`` in the ``web_events`` dataset, see :data:`COLUMN_ALIASES`) if
present, else ``event_date`` (a date or GA4's ``YYYYMMDD``)."""

ORDER_COLUMNS: tuple[str, ...] = ("order_id", "customer_id", "order_date", "revenue", "gross_profit")
"""CRM orders; they also need one of :data:`ORDER_LINK_COLUMNS` to be linked to the web."""

ORDER_LINK_COLUMNS: tuple[str, ...] = ("transaction_id", "user_pseudo_id")
"""How an order finds its session: the purchase event's ``transaction_id``, else the user's ``user_pseudo_id``."""

FUNNEL_KEYS: tuple[str, ...] = ("source", "medium", "campaign")
"""Default keys of a funnel row (UTM source / medium / campaign)."""

FUNNEL_COLUMNS: tuple[str, ...] = (
    "spend",
    "sessions",
    "leads",
    "orders",
    "first_orders",
    "repeat_orders",
    "revenue",
    "gross_profit",
    "cr",
    "cpl",
    "cpa",
    "cac",
    "roas",
    "drr",
    "romi",
)
"""Columns of :func:`join_funnel` after the keys."""

RATIO_COLUMNS: list[str] = ["cr", "cpl", "cpa", "cac", "roas", "drr", "romi"]
"""The ratio columns of :func:`join_funnel` (NaN in the :data:`UNMATCHED` row)."""

COLUMN_ALIASES: dict[str, dict[str, str]] = {
    "ads": {
        "utm_source": "source",
        "utm_medium": "medium",
        "utm_campaign": "campaign",
        "spend_kzt": "spend",
    },
    "sessions": {"event_ts": "ts"},
    "orders": {
        "order_ts": "order_date",
        "revenue_kzt": "revenue",
        "gross_profit_kzt": "gross_profit",
    },
}
"""Dataset column name → contract name, per input table (names of the course datasets ``ads_daily``,
``web_events`` and ``crm_orders``). An alias is read only when the contract name itself is not a column."""

UTM_KEYS: tuple[str, ...] = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
"""The five UTM parameters :func:`parse_utm` returns."""

LEAD_EVENT = "generate_lead"
PURCHASE_EVENT = "purchase"

NOT_SET = "(not set)"
"""Key value of a session without that UTM parameter (GA4's name)."""

UNMATCHED = "(не найдено)"
"""Key value of the row that collects orders without a session."""

REPEAT_ATTRIBUTION: tuple[str, ...] = ("acquisition", "session")
"""Where a repeat order is credited: the customer's first order's campaign, or its own session's campaign."""

COLUMN_LABELS_RU: dict[str, str] = {
    "source": "источник",
    "medium": "канал",
    "campaign": "кампания",
    "spend": "расход",
    "sessions": "сессии",
    "leads": "лиды",
    "orders": "заказы",
    "first_orders": "первые заказы",
    "repeat_orders": "повторные заказы",
    "revenue": "выручка",
    "gross_profit": "валовая прибыль",
    "cr": "CR",
    "cpl": "CPL",
    "cpa": "CPA",
    "cac": "CAC",
    "roas": "ROAS",
    "drr": "ДРР",
    "romi": "ROMI",
    "customers": "клиенты",
    "first_order_date": "первый заказ",
    "last_order_date": "последний заказ",
    "avg_order_value": "средний чек",
    "first_touch": "первое касание",
    "revenue_per_customer": "выручка на клиента",
    "gross_profit_per_customer": "валовая прибыль на клиента",
}
"""Russian display names of the columns this module returns: ``table.rename(columns=COLUMN_LABELS_RU)``."""

_USER, _SESSION = "user_pseudo_id", "session_id"


# --- UTM -----------------------------------------------------------------------------------------------


def _utm_pairs(query: str) -> list[tuple[str, str]]:
    """Decoded query pairs: UTF-8, or Windows-1251 that old Russian-language sites still produce."""
    try:
        return parse_qsl(query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return parse_qsl(query, keep_blank_values=True, encoding="cp1251", errors="replace")


def parse_utm(url: Any) -> dict[str, str | None]:
    """The five UTM parameters of a link (keys lowercased, values percent-decoded; a missing one is None).

    Parameters after ``#`` count too (some single-page sites put them there). Twice-encoded values
    (``%25D0%25B2…``) are decoded twice; a query that is not valid UTF-8 is read as Windows-1251.

    >>> parse_utm("https://qazaq.coffee/menu?UTM_Source=instagram&utm_medium=cpc&utm_campaign=%D0%B2%D0%B5%D1%81%D0%BD%D0%B0")
    {'utm_source': 'instagram', 'utm_medium': 'cpc', 'utm_campaign': 'весна', 'utm_content': None, 'utm_term': None}
    """
    result: dict[str, str | None] = dict.fromkeys(UTM_KEYS)
    if not isinstance(url, str) or not url.strip():
        return result
    parts = urlsplit(url.strip())
    fragment = parts.fragment.split("?", 1)[-1]
    for key, value in _utm_pairs(parts.query) + _utm_pairs(fragment):
        name = key.strip().lower()
        value = value.strip()
        if "%" in value:
            value = unquote(value)
        if name in result and result[name] is None and value:
            result[name] = value
    return result


def add_utm_columns(df: pd.DataFrame, url_col: str) -> pd.DataFrame:
    """A copy of ``df`` with the five :data:`UTM_KEYS` columns parsed from the links in ``url_col``.

    >>> add_utm_columns(pd.DataFrame({"url": ["https://x.kz/?utm_source=tg", None]}), "url")["utm_source"].tolist()
    ['tg', None]
    """
    _require(df, [url_col], "df")
    parsed = pd.DataFrame([parse_utm(url) for url in df[url_col]], index=df.index, columns=list(UTM_KEYS), dtype=object)
    out = df.copy()
    for key in UTM_KEYS:
        out[key] = parsed[key]
    return out


# --- validation and preparation ------------------------------------------------------------------------


def _require(frame: pd.DataFrame, columns: Sequence[str], argument: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"Аргумент «{argument}» должен быть таблицей (DataFrame).")
    for column in columns:
        if column not in frame.columns:
            aliases = [alias for alias, name in COLUMN_ALIASES.get(argument, {}).items() if name == column]
            also = "".join(f" (или «{alias}»)" for alias in aliases)
            raise ValueError(f"В таблице «{argument}» нет столбца «{column}»{also}.")


def _resolve_column(frame: pd.DataFrame, name: str, argument: str) -> str:
    """The column that stands for contract ``name`` in table ``argument``: ``name`` itself if present, else its
    dataset alias from :data:`COLUMN_ALIASES` if that is present, else ``name`` (for :func:`_require` to report).

    The one place where the datasets' names are resolved.
    """
    if isinstance(frame, pd.DataFrame) and name not in frame.columns:
        for alias, contract in COLUMN_ALIASES[argument].items():
            if contract == name and alias in frame.columns:
                return alias
    return name


def _with_contract_names(frame: pd.DataFrame, argument: str) -> pd.DataFrame:
    """``frame`` (not changed in place) with every alias :func:`_resolve_column` picks renamed to its contract name."""
    if not isinstance(frame, pd.DataFrame):
        return frame  # _require reports it
    contracts = dict.fromkeys(COLUMN_ALIASES[argument].values())
    renames = {found: name for name in contracts if (found := _resolve_column(frame, name, argument)) != name}
    return frame.rename(columns=renames) if renames else frame


def _money(frame: pd.DataFrame, column: str, argument: str, non_negative: bool) -> pd.Series:
    values = frame[column]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise ValueError(f"Столбец «{column}» таблицы «{argument}» должен быть числовым.")
    values = values.astype(float)
    if values.isna().any():
        raise ValueError(f"Столбец «{column}» таблицы «{argument}»: {int(values.isna().sum())} пропусков.")
    if non_negative and (values < 0).any():
        raise ValueError(f"Столбец «{column}» таблицы «{argument}» не может быть отрицательным.")
    return values


def _keys(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """UTM keys compared as ``strip().lower()``; missing or empty → :data:`NOT_SET`."""
    out = {}
    for key in keys:
        text = frame[key].astype("string").str.strip().str.lower()
        out[key] = text.mask(text == "").fillna(NOT_SET).astype(str)
    return pd.DataFrame(out, index=frame.index)


def _local_naive(stamps: pd.Series) -> pd.Series:
    if getattr(stamps.dt, "tz", None) is not None:
        return stamps.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return stamps


def _datetimes(values: pd.Series, column: str, argument: str) -> pd.Series:
    """Dates or datetimes; GA4's ``YYYYMMDD`` (text or number) is read as a date."""
    try:
        if pd.api.types.is_datetime64_any_dtype(values):
            stamps = values
        elif len(values) and values.astype("string").str.fullmatch(r"\d{8}").fillna(False).all():
            stamps = pd.to_datetime(values.astype("string"), format="%Y%m%d")
        else:
            stamps = pd.to_datetime(values)
    except (TypeError, ValueError):
        raise ValueError(f"Столбец «{column}» таблицы «{argument}» должен содержать даты.") from None
    stamps = _local_naive(stamps)
    if stamps.isna().any():
        raise ValueError(f"Столбец «{column}» таблицы «{argument}»: {int(stamps.isna().sum())} строк без даты.")
    return stamps


def _event_times(sessions: pd.DataFrame) -> pd.Series:
    for column in EVENT_TIME_COLUMNS:
        if column in sessions.columns:
            return _datetimes(sessions[column], column, "sessions")
    raise ValueError("В таблице «sessions» нет столбца времени: нужен «ts» (или «event_ts») или «event_date».")


def _ids(values: pd.Series) -> pd.Series:
    """Ids as text (so 101, 101.0 and "101" meet); missing stays missing."""
    if pd.api.types.is_float_dtype(values) and (values.dropna() % 1 == 0).all():
        values = values.astype("Int64")
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def _visits(sessions: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """One row per session (user_pseudo_id, session_id): its start and the UTM keys of its first event."""
    table = pd.DataFrame(
        {_USER: _ids(sessions[_USER]), _SESSION: _ids(sessions[_SESSION]), "start": _event_times(sessions)}
    )
    table = table.join(_keys(sessions, keys))
    if table[[_USER, _SESSION]].isna().any().any():
        raise ValueError("Таблица «sessions»: у некоторых событий нет «user_pseudo_id» или «session_id».")
    first = table.sort_values("start", kind="stable").groupby([_USER, _SESSION], sort=False).first()
    return first.reset_index()


def _check_orders(orders: pd.DataFrame) -> None:
    _require(orders, ORDER_COLUMNS, "orders")
    if not any(column in orders.columns for column in ORDER_LINK_COLUMNS):
        raise ValueError(
            "В таблице «orders» нет столбца для связи с сайтом: нужен «transaction_id» или «user_pseudo_id»."
        )
    duplicated = orders["order_id"].duplicated()
    if duplicated.any():
        raise ValueError(f"Столбец «order_id» таблицы «orders»: повторяются номера ({int(duplicated.sum())} шт.).")
    if orders["customer_id"].isna().any():
        raise ValueError("Столбец «customer_id» таблицы «orders»: у некоторых заказов нет клиента.")


def _ordered(orders: pd.DataFrame) -> pd.DataFrame:
    """Orders in time order with ``is_first`` (the customer's earliest order) and numeric money columns."""
    table = orders.assign(
        order_date=_datetimes(orders["order_date"], "order_date", "orders"),
        revenue=_money(orders, "revenue", "orders", non_negative=False),
        gross_profit=_money(orders, "gross_profit", "orders", non_negative=False),
    )
    table = table.sort_values(["order_date", "order_id"], kind="stable")
    table["is_first"] = table.groupby("customer_id", sort=False).cumcount().eq(0)
    return table


def _purchase_sessions(sessions: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """transaction_id → (user, session) of its purchase event (the first one if the event repeats)."""
    _require(sessions, ["event_name", "transaction_id"], "sessions")
    purchases = sessions.loc[sessions["event_name"].eq(PURCHASE_EVENT)]
    table = pd.DataFrame(
        {
            "transaction_id": _ids(purchases["transaction_id"]),
            _USER: _ids(purchases[_USER]),
            _SESSION: _ids(purchases[_SESSION]),
        }
    ).dropna(subset=["transaction_id"])
    repeated = table["transaction_id"].duplicated()
    if repeated.any():
        notes.append(f"Транзакций с повторным событием «purchase»: {int(repeated.sum())}; учтено первое событие.")
    return table.loc[~repeated]


def _link_by_user(pending: pd.DataFrame, visits: pd.DataFrame) -> pd.DataFrame:
    """The user's last session that started on or before the order's day (``merge_asof`` by user)."""
    left = pending.assign(day=pending["order_date"].dt.normalize())[["order_id", _USER, "day"]]
    left = left.dropna(subset=[_USER]).sort_values("day")
    right = visits.assign(day=visits["start"].dt.normalize()).sort_values("start")[[_USER, _SESSION, "day"]]
    if left.empty or right.empty:
        return pd.DataFrame(columns=["order_id", _USER, _SESSION])
    found = pd.merge_asof(left, right, on="day", by=_USER, direction="backward")
    return found.dropna(subset=[_SESSION])[["order_id", _USER, _SESSION]]


def _link_orders(orders: pd.DataFrame, sessions: pd.DataFrame, visits: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """``orders`` with the (user_pseudo_id, session_id) of the session each order came from (NaN if none)."""
    table = orders.assign(order_id=_ids(orders["order_id"]))
    links = pd.DataFrame(columns=["order_id", _USER, _SESSION], dtype="string")
    if "transaction_id" in table.columns and "transaction_id" not in sessions.columns:
        notes.append("В таблице «sessions» нет «transaction_id»: заказы связаны с сайтом только по user_pseudo_id.")
    elif "transaction_id" in table.columns:
        purchases = _purchase_sessions(sessions, notes)
        by_tx = table[["order_id"]].assign(transaction_id=_ids(table["transaction_id"]))
        links = by_tx.merge(purchases, on="transaction_id", how="inner")[["order_id", _USER, _SESSION]]
        unknown = ~purchases["transaction_id"].isin(by_tx["transaction_id"])
        if unknown.any():
            notes.append(f"Покупок на сайте, которых нет в CRM (transaction_id не найден): {int(unknown.sum())}.")
    if _USER in table.columns:
        pending = table.loc[~table["order_id"].isin(links["order_id"])]
        pending = pending.assign(**{_USER: _ids(pending[_USER])})
        links = pd.concat([links, _link_by_user(pending, visits)], ignore_index=True)
    table = table.drop(columns=[c for c in (_USER, _SESSION) if c in table.columns])
    return table.merge(links, on="order_id", how="left")


def _attribute(linked: pd.DataFrame, visits: pd.DataFrame, keys: list[str], repeat_orders: str) -> pd.DataFrame:
    """UTM keys of each order: its own session's, or (repeat orders, "acquisition") the first order's."""
    table = linked.merge(visits[[_USER, _SESSION, *keys]], on=[_USER, _SESSION], how="left")
    table[keys] = table[keys].fillna(UNMATCHED)
    if repeat_orders == "acquisition":
        first = table.loc[table["is_first"]].set_index("customer_id")[keys]
        acquired = first.reindex(table["customer_id"]).fillna(UNMATCHED)
        table[keys] = acquired.to_numpy()
    return table


# --- the funnel ----------------------------------------------------------------------------------------


def _counts(frame: pd.DataFrame, keys: list[str], name: str) -> pd.Series:
    return frame.groupby(keys).size().rename(name)


def _unmatched_note(attributed: pd.DataFrame, keys: list[str]) -> str | None:
    lost = attributed[keys[0]].eq(UNMATCHED)
    if not lost.any():
        return None
    revenue = f"{attributed.loc[lost, 'revenue'].sum():,.0f}".replace(",", " ")
    return (
        f"Заказов без связи с сессиями сайта: {int(lost.sum())} (выручка {revenue}); их transaction_id и "
        f"user_pseudo_id не найдены в веб-данных. Они собраны в строке «{UNMATCHED}»."
    )


def _ratios(table: pd.DataFrame) -> pd.DataFrame:
    """Funnel ratios through smmkit.metrics (zero denominators give NaN)."""
    spend = table["spend"]
    revenue = table["revenue"].clip(lower=0)  # refunds larger than sales leave no revenue (metrics refuse negatives)
    table["cr"] = metrics.cr(table["first_orders"], table["sessions"])
    table["cpl"] = metrics.cpa(spend, table["leads"])
    table["cpa"] = metrics.cpa(spend, table["orders"])
    table["cac"] = metrics.cac(spend, table["first_orders"])
    table["roas"] = metrics.roas(revenue, spend)
    table["drr"] = metrics.drr(spend, revenue)
    table["romi"] = metrics.romi(table["gross_profit"], spend)
    return table


def join_funnel(
    ads: pd.DataFrame,
    sessions: pd.DataFrame,
    orders: pd.DataFrame,
    keys: Sequence[str] = FUNNEL_KEYS,
    repeat_orders: Literal["acquisition", "session"] = "acquisition",
) -> pd.DataFrame:
    """Per campaign: spend, sessions, leads, orders (first and repeat), revenue, gross profit, CR, CPL, CPA, CAC,
    ROAS, ДРР and ROMI (see the module docstring for the joins). Notes on data problems: ``.attrs["notes"]``.

    The course datasets go in as loaded: ``join_funnel(load("ads_daily"), load("web_events"), load("crm_orders"))``
    (dataset names are read through :data:`COLUMN_ALIASES`). Every order counts as a sale and "first" means first
    in the given table; keep ``crm_orders``' paid ones (``status == "оплачен"``) for revenue. ``web_events`` covers
    February 2026 only, so orders of other months find no session (row :data:`UNMATCHED`) and older spend finds no
    sessions: for ROMI per campaign pass February's ads and orders.

    >>> ads = pd.DataFrame({"source": ["ig"], "medium": ["cpc"], "campaign": ["spring"], "spend": [1000.0]})
    >>> sessions = pd.DataFrame({"user_pseudo_id": ["u1", "u1"], "session_id": ["s1", "s1"],
    ...     "ts": pd.to_datetime(["2026-03-02 10:00", "2026-03-02 10:05"]), "source": ["IG", "IG"],
    ...     "medium": ["cpc", "cpc"], "campaign": ["spring", "spring"], "event_name": ["page_view", "purchase"],
    ...     "transaction_id": [None, "T1"]})
    >>> orders = pd.DataFrame({"order_id": [1], "customer_id": ["c1"], "order_date": ["2026-03-02"],
    ...     "revenue": [5000.0], "gross_profit": [2000.0], "transaction_id": ["T1"]})
    >>> row = join_funnel(ads, sessions, orders).iloc[0]
    >>> row["sessions"], row["orders"], row["roas"], row["romi"]  # ROAS 5000/1000; ROMI (2000 − 1000)/1000
    (np.int64(1), np.int64(1), np.float64(5.0), np.float64(1.0))
    """
    keys = list(keys)
    if not keys:
        raise ValueError("Аргумент «keys» пуст: нужен хотя бы один ключ, например «campaign».")
    ads = _with_contract_names(ads, "ads")
    sessions = _with_contract_names(sessions, "sessions")
    orders = _with_contract_names(orders, "orders")
    if repeat_orders not in REPEAT_ATTRIBUTION:
        raise ValueError(f"Аргумент «repeat_orders»: «{repeat_orders}» не поддерживается; «acquisition» или «session».")
    _require(ads, [*keys, "spend"], "ads")
    _require(sessions, [_USER, _SESSION, "event_name", *keys], "sessions")
    _check_orders(orders)
    notes: list[str] = []

    spend = pd.DataFrame({"spend": _money(ads, "spend", "ads", non_negative=True)}).join(_keys(ads, keys))
    spend = spend.groupby(keys)["spend"].sum()
    visits = _visits(sessions, keys)
    leads = sessions.loc[sessions["event_name"].eq(LEAD_EVENT), [_USER, _SESSION]].apply(_ids)
    leads = leads.merge(visits, on=[_USER, _SESSION], how="left")
    attributed = _attribute(_link_orders(_ordered(orders), sessions, visits, notes), visits, keys, repeat_orders)

    sold = attributed.groupby(keys).agg(
        orders=("order_id", "size"),
        first_orders=("is_first", "sum"),
        revenue=("revenue", "sum"),
        gross_profit=("gross_profit", "sum"),
    )
    sold.insert(2, "repeat_orders", sold["orders"] - sold["first_orders"])
    parts = [spend, _counts(visits, keys, "sessions"), _counts(leads, keys, "leads"), sold]
    table = pd.concat(parts, axis=1).fillna(0)
    for column in ("sessions", "leads", "orders", "first_orders", "repeat_orders"):
        table[column] = table[column].astype(int)
    table = _ratios(table.reset_index())

    without_sessions = table.loc[(table["spend"] > 0) & (table["sessions"] == 0), keys]
    if len(without_sessions):
        names = ", ".join(" / ".join(row) for row in without_sessions.astype(str).itertuples(index=False))
        notes.append(f"Кампании с расходами, но без сессий на сайте: {names}. Проверьте UTM-метки в ссылках.")
    if (note := _unmatched_note(attributed, keys)) is not None:
        notes.append(note)

    unmatched = table[keys[0]].eq(UNMATCHED)
    table.loc[unmatched, RATIO_COLUMNS] = float("nan")  # no campaign: its ratios mean nothing
    table = pd.concat([table.loc[~unmatched].sort_values(["spend", "revenue"], ascending=False), table.loc[unmatched]])
    table = table.reset_index(drop=True)[[*keys, *FUNNEL_COLUMNS]]
    table.attrs["notes"] = notes
    return table


# --- customers -----------------------------------------------------------------------------------------


def customer_ltv(
    orders: pd.DataFrame, sessions: pd.DataFrame | None = None, keys: Sequence[str] = FUNNEL_KEYS
) -> pd.DataFrame:
    """Observed value per customer: orders, revenue, gross profit, average order value = revenue / orders, first
    and last order dates and, with ``sessions``, the first-touch UTM keys (the earliest session of any web user
    linked to the customer's orders; :data:`UNMATCHED` if none). Notes: ``.attrs["notes"]``. Takes
    ``crm_orders`` and ``web_events`` as loaded (see :data:`COLUMN_ALIASES`).

    >>> orders = pd.DataFrame({"order_id": [1, 2, 3], "customer_id": ["c1", "c1", "c2"],
    ...     "order_date": ["2026-01-05", "2026-02-10", "2026-01-20"], "revenue": [4000.0, 6000.0, 3000.0],
    ...     "gross_profit": [1500.0, 2500.0, 1000.0], "transaction_id": ["T1", "T2", "T3"]})
    >>> customer_ltv(orders)[["orders", "revenue", "gross_profit", "avg_order_value"]]  # doctest: +NORMALIZE_WHITESPACE
                 orders  revenue  gross_profit  avg_order_value
    customer_id
    c1                2  10000.0        4000.0           5000.0
    c2                1   3000.0        1000.0           3000.0
    """
    orders = _with_contract_names(orders, "orders")
    _check_orders(orders)
    ordered = _ordered(orders)
    table = ordered.groupby("customer_id").agg(
        orders=("order_id", "size"),
        revenue=("revenue", "sum"),
        gross_profit=("gross_profit", "sum"),
        first_order_date=("order_date", "min"),
        last_order_date=("order_date", "max"),
    )
    table.insert(3, "avg_order_value", table["revenue"] / table["orders"])  # every customer has ≥ 1 order
    notes: list[str] = []
    if sessions is not None:
        keys = list(keys)
        sessions = _with_contract_names(sessions, "sessions")
        _require(sessions, [_USER, _SESSION, *keys], "sessions")
        visits = _visits(sessions, keys)
        linked = _link_orders(ordered, sessions, visits, notes).dropna(subset=[_USER])
        users = linked[["customer_id", _USER]].drop_duplicates()
        touches = users.merge(visits, on=_USER).sort_values("start", kind="stable")
        first = touches.groupby("customer_id").first()[keys]
        table = table.join(first).fillna(dict.fromkeys(keys, UNMATCHED))
        lost = int(table[keys[0]].eq(UNMATCHED).sum())
        if lost:
            notes.append(f"Клиентов без единой сессии на сайте: {lost}; их первое касание — «{UNMATCHED}».")
    table.attrs["notes"] = notes
    return table


def ltv_by_channel(ltv: pd.DataFrame, keys: Sequence[str] = FUNNEL_KEYS) -> pd.DataFrame:
    """Per first-touch channel: customers, revenue, gross profit and their means per customer (observed LTV).

    >>> ltv = pd.DataFrame({"campaign": ["a", "a", "b"], "revenue": [10.0, 20.0, 5.0], "gross_profit": [4.0, 6.0, 1.0]})
    >>> ltv_by_channel(ltv, keys=["campaign"])["revenue_per_customer"].tolist()
    [15.0, 5.0]
    """
    keys = list(keys)
    _require(ltv, [*keys, "revenue", "gross_profit"], "ltv")
    table = ltv.groupby(keys).agg(
        customers=("revenue", "size"), revenue=("revenue", "sum"), gross_profit=("gross_profit", "sum")
    )
    table["revenue_per_customer"] = table["revenue"] / table["customers"]  # every group has ≥ 1 customer
    table["gross_profit_per_customer"] = table["gross_profit"] / table["customers"]
    return table.sort_values("gross_profit", ascending=False)


def retention_matrix(
    orders: pd.DataFrame,
    period: str = "M",
    customer: str = "customer_id",
    date: str = "order_date",
    counts: bool = False,
) -> pd.DataFrame:
    """Cohort retention: rows are first-purchase cohorts, column k is the share of the cohort that bought in
    period k after the first (retention_k = buyers in period k / cohort size, :func:`smmkit.metrics.retention`).

    Column 0 is 1.0 by definition; a cell the data cannot have observed yet (the cohort plus k is after the last
    period of the data) is NaN. ``counts=True`` gives the numbers of buyers instead of shares. With the default
    ``date="order_date"`` a table without that column but with ``crm_orders``' ``order_ts`` uses ``order_ts``
    (:data:`COLUMN_ALIASES`), so ``retention_matrix(load("crm_orders"))`` works as loaded.

    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c"],
    ...     "order_date": pd.to_datetime(["2026-01-03", "2026-02-07", "2026-01-15", "2026-02-01", "2026-02-20"])})
    >>> retention_matrix(orders)  # doctest: +NORMALIZE_WHITESPACE
    period     0    1
    cohort
    2026-01  1.0  0.5
    2026-02  1.0  NaN
    """
    date = _resolve_column(orders, date, "orders")
    _require(orders, [customer, date], "orders")
    if orders[customer].isna().any():
        raise ValueError(f"Столбец «{customer}» таблицы «orders»: у некоторых заказов нет клиента.")
    stamps = _datetimes(orders[date], date, "orders")
    try:
        ordinals = pd.Series(pd.PeriodIndex(stamps, freq=period).asi8, index=orders.index)
    except (TypeError, ValueError):
        raise ValueError(f"Аргумент «period»: неизвестный период «{period}» (например, «M», «W», «Q»).") from None
    first = ordinals.groupby(orders[customer]).transform("min")
    buyers = pd.DataFrame({"cohort": first, "k": ordinals - first, "customer": orders[customer]})
    matrix = buyers.groupby(["cohort", "k"])["customer"].nunique().unstack(fill_value=0)
    matrix = matrix.reindex(columns=range(int(matrix.columns.max()) + 1 if len(matrix) else 0), fill_value=0)
    if not counts:
        matrix = matrix.apply(lambda buyers: metrics.retention(buyers, matrix[0]))
    last = ordinals.max()
    unseen = matrix.index.to_numpy()[:, None] + matrix.columns.to_numpy()[None, :] > last
    matrix = matrix.astype(float).mask(unseen)
    matrix.index = pd.PeriodIndex.from_ordinals(matrix.index, freq=period).astype(str)
    matrix.index.name, matrix.columns.name = "cohort", "period"
    return matrix
