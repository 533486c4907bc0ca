"""End-to-end analytics: UTM parsing, the funnel join with repeat orders, LTV, cohort retention, notes and errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.analysis.e2e import (
    COLUMN_ALIASES,
    FUNNEL_COLUMNS,
    NOT_SET,
    UNMATCHED,
    UTM_KEYS,
    add_utm_columns,
    customer_ltv,
    join_funnel,
    ltv_by_channel,
    parse_utm,
    retention_matrix,
)

EVENT_FIELDS = ["user_pseudo_id", "session_id", "ts", "source", "medium", "campaign", "event_name", "transaction_id"]

# --- UTM ---------------------------------------------------------------------------------------------------


def test_parse_utm_encoded_cyrillic_campaign() -> None:
    url = (
        "https://qazaqcoffee.kz/?utm_source=instagram&utm_medium=stories"
        "&utm_campaign=%D0%B2%D0%B5%D1%81%D0%B5%D0%BD%D0%BD%D0%B5%D0%B5_%D0%BC%D0%B5%D0%BD%D1%8E&utm_content=reels_1"
    )
    assert parse_utm(url) == {
        "utm_source": "instagram",
        "utm_medium": "stories",
        "utm_campaign": "весеннее_меню",
        "utm_content": "reels_1",
        "utm_term": None,
    }


def test_parse_utm_upper_case_keys_plus_as_space_and_kazakh() -> None:
    url = (
        "https://dala-style.kz/catalog/dresses?UTM_SOURCE=vk&Utm_Medium=cpc"
        "&utm_campaign=%D0%BD%D0%B0%D1%83%D1%80%D1%8B%D0%B7_%D0%B6%D0%B5%D2%A3%D1%96%D0%BB%D0%B4%D1%96%D0%BA"
        "&utm_term=%D0%BF%D0%BB%D0%B0%D1%82%D1%8C%D0%B5+%D0%BB%D0%B5%D1%82%D0%BD%D0%B5%D0%B5&utm_content="
    )
    utm = parse_utm(url)
    assert utm["utm_source"] == "vk" and utm["utm_medium"] == "cpc"
    assert utm["utm_campaign"] == "наурыз_жеңілдік"
    assert utm["utm_term"] == "платье летнее"  # «+» is a space in a query string
    assert utm["utm_content"] is None  # empty value → None


def test_parse_utm_double_encoded_fragment_and_cp1251() -> None:
    twice = "https://bilim.kz/ent?utm_source=telegram&utm_campaign=%25D0%25B5%25D0%25BD%25D1%2582"
    assert parse_utm(twice)["utm_campaign"] == "ент"
    spa = "https://bilim.kz/#/courses?utm_source=telegram&utm_medium=post"
    assert parse_utm(spa)["utm_source"] == "telegram" and parse_utm(spa)["utm_medium"] == "post"
    assert parse_utm("https://x.kz/?utm_campaign=%E2%E5%F1%ED%E0")["utm_campaign"] == "весна"  # Windows-1251


@pytest.mark.parametrize("url", [None, float("nan"), "", "https://jetdelivery.kz/menu", "not a url"])
def test_parse_utm_without_tags(url: object) -> None:
    assert parse_utm(url) == dict.fromkeys(UTM_KEYS)


def test_add_utm_columns_keeps_rows_and_index() -> None:
    df = pd.DataFrame({"url": ["https://x.kz/?utm_source=tg&utm_medium=post", None]}, index=[7, 9])
    out = add_utm_columns(df, "url")
    assert out.index.tolist() == [7, 9]
    assert out.loc[7, "utm_source"] == "tg" and out.loc[9, "utm_medium"] is None
    assert list(out.columns) == ["url", *UTM_KEYS] and "utm_source" not in df.columns  # a copy
    with pytest.raises(ValueError, match="нет столбца «link»"):
        add_utm_columns(df, "link")


# --- a tiny hand-computed funnel -------------------------------------------------------------------------------


def _ads() -> pd.DataFrame:
    # «Instagram» in one cabinet row and «instagram» in the links: the keys are compared lowercased.
    return pd.DataFrame(
        {
            "date": ["2026-03-01", "2026-03-02", "2026-03-01"],
            "source": ["Instagram", "instagram", "telegram"],
            "medium": ["cpc", "cpc", "cpm"],
            "campaign": ["spring", "spring", "launch"],
            "spend": [3000.0, 2000.0, 4000.0],
        }
    )


def _events() -> pd.DataFrame:
    rows = [
        ("u1", "s1", "2026-03-01 10:00", "instagram", "cpc", "spring", "page_view", None),
        ("u1", "s1", "2026-03-01 10:03", "instagram", "cpc", "spring", "generate_lead", None),
        ("u1", "s1", "2026-03-01 10:09", "instagram", "cpc", "spring", "purchase", "T1"),
        ("u2", "s1", "2026-03-01 12:00", "instagram", "cpc", "spring", "page_view", None),
        ("u5", "s1", "2026-03-04 12:00", "instagram", "cpc", "spring", "purchase", "T9"),  # not in the CRM
        ("u3", "s1", "2026-03-02 09:00", "telegram", "cpm", "launch", "page_view", None),
        ("u3", "s1", "2026-03-02 09:10", "telegram", "cpm", "launch", "purchase", "T2"),
        ("u3", "s2", "2026-03-20 09:00", "(direct)", "(none)", None, "page_view", None),  # the repeat visit
        ("u3", "s2", "2026-03-20 09:05", "(direct)", "(none)", None, "purchase", "T3"),
        ("u4", "s1", "2026-03-03 18:00", "telegram", "cpm", "launch", "generate_lead", None),
        ("u6", "s1", "2026-03-04 18:00", "telegram", "cpm", "launch", "page_view", None),
    ]
    events = pd.DataFrame(rows, columns=EVENT_FIELDS)
    events["ts"] = pd.to_datetime(events["ts"])
    return events


def _orders() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order_id": ["O1", "O2", "O3", "O4", "O5"],
            "customer_id": ["c1", "c3", "c3", "c4", "c5"],
            "order_date": pd.to_datetime(["2026-03-01", "2026-03-02", "2026-03-20", "2026-03-05", "2026-03-06"]),
            "revenue": [10000.0, 6000.0, 8000.0, 3000.0, 2000.0],
            "gross_profit": [4000.0, 2500.0, 3500.0, 1000.0, 500.0],
            # O4 has no transaction but the CRM kept the client id u4; O5's T77 is nowhere on the site
            "transaction_id": ["T1", "T2", "T3", None, "T77"],
            "user_pseudo_id": [None, None, None, "u4", None],
        }
    )


def _row(table: pd.DataFrame, campaign: str) -> pd.Series:
    return table.loc[table["campaign"] == campaign].iloc[0]


def test_funnel_hand_computed_with_repeat_order_credited_to_acquisition() -> None:
    table = join_funnel(_ads(), _events(), _orders())
    assert list(table.columns) == ["source", "medium", "campaign", *FUNNEL_COLUMNS]
    assert table["campaign"].tolist() == ["spring", "launch", NOT_SET, UNMATCHED]  # by spend; unmatched last

    spring = _row(table, "spring")
    # spend 3000 + 2000; sessions u1/s1, u2/s1, u5/s1; lead of u1; order O1 (T1)
    assert (spring["spend"], spring["sessions"], spring["leads"], spring["orders"]) == (5000, 3, 1, 1)
    assert (spring["revenue"], spring["gross_profit"]) == (10000, 4000)
    assert spring["cr"] == pytest.approx(1 / 3)  # 1 first order / 3 sessions
    assert spring["roas"] == 2.0  # 10000 / 5000
    assert spring["drr"] == 0.5  # 5000 / 10000
    assert spring["romi"] == pytest.approx(-0.2)  # (4000 − 5000) / 5000

    launch = _row(table, "launch")
    # O2 (T2, first of c3), O4 (u4 → its session of 03-03, first of c4) and O3: c3's repeat order came through a
    # direct visit, but it is credited to launch, which acquired c3.
    assert (launch["spend"], launch["sessions"], launch["leads"]) == (4000, 3, 1)
    assert (launch["orders"], launch["first_orders"], launch["repeat_orders"]) == (3, 2, 1)
    assert launch["revenue"] == 17000  # 6000 + 8000 + 3000
    assert launch["gross_profit"] == 7000  # 2500 + 3500 + 1000
    assert launch["cpa"] == pytest.approx(4000 / 3)
    assert launch["cac"] == 2000  # 4000 / 2 new customers
    assert launch["cr"] == pytest.approx(2 / 3)
    assert launch["roas"] == 4.25  # 17000 / 4000
    assert launch["romi"] == 0.75  # (7000 − 4000) / 4000

    direct = _row(table, NOT_SET)
    assert (direct["source"], direct["sessions"], direct["orders"], direct["spend"]) == ("(direct)", 1, 0, 0)
    assert np.isnan(direct["romi"])  # no spend

    lost = _row(table, UNMATCHED)
    assert (lost["orders"], lost["revenue"]) == (1, 2000)  # O5
    assert lost[["cr", "cpa", "roas", "romi"]].isna().all()
    assert table["revenue"].sum() == _orders()["revenue"].sum()  # every CRM tenge is in some row


def test_funnel_repeat_order_credited_to_its_session() -> None:
    table = join_funnel(_ads(), _events(), _orders(), repeat_orders="session")
    launch, direct = _row(table, "launch"), _row(table, NOT_SET)
    assert (launch["orders"], launch["revenue"], launch["gross_profit"]) == (2, 9000, 3500)
    assert launch["romi"] == pytest.approx(-0.125)  # (3500 − 4000) / 4000: without the repeat sale ROMI < 0
    assert (direct["orders"], direct["repeat_orders"], direct["revenue"]) == (1, 1, 8000)


def test_funnel_notes_are_russian_and_not_exceptions() -> None:
    notes = join_funnel(_ads(), _events(), _orders()).attrs["notes"]
    assert any("нет в CRM" in note and ": 1." in note for note in notes)  # T9
    assert any("Заказов без связи с сессиями сайта: 1 (выручка 2 000)" in note for note in notes)  # O5

    ads = pd.concat([_ads(), pd.DataFrame([{"source": "vk", "medium": "cpc", "campaign": "ghost", "spend": 700.0}])])
    notes = join_funnel(ads, _events(), _orders()).attrs["notes"]
    assert any("без сессий" in note and "vk / cpc / ghost" in note for note in notes)


def test_funnel_by_one_key_and_ga4_event_date() -> None:
    events = _events().drop(columns="ts").assign(event_date="20260301")  # GA4 export: YYYYMMDD text
    table = join_funnel(_ads(), events, _orders(), keys=["source"])
    assert table.set_index("source").loc["instagram", "spend"] == 5000
    assert table.set_index("source").loc["telegram", "orders"] == 3


def test_funnel_numeric_ids_meet_text_ids() -> None:
    orders = _orders().assign(transaction_id=[1.0, 2.0, 3.0, np.nan, 77.0])  # a CSV read turned ids into floats
    events = _events().assign(transaction_id=lambda e: e["transaction_id"].str.lstrip("T"))
    assert _row(join_funnel(_ads(), events, orders), "launch")["orders"] == 3


def test_funnel_errors_in_russian() -> None:
    with pytest.raises(ValueError, match="«spend» таблицы «ads» не может быть отрицательным"):
        join_funnel(_ads().assign(spend=[100.0, -5.0, 10.0]), _events(), _orders())
    with pytest.raises(ValueError, match="В таблице «ads» нет столбца «spend»"):
        join_funnel(_ads().drop(columns="spend"), _events(), _orders())
    with pytest.raises(ValueError, match="В таблице «orders» нет столбца «gross_profit»"):
        join_funnel(_ads(), _events(), _orders().drop(columns="gross_profit"))
    with pytest.raises(ValueError, match="для связи с сайтом"):
        join_funnel(_ads(), _events(), _orders().drop(columns=["transaction_id", "user_pseudo_id"]))
    with pytest.raises(ValueError, match=r"«order_id».*повторяются"):
        join_funnel(_ads(), _events(), _orders().assign(order_id="O1"))
    with pytest.raises(ValueError, match="нет столбца времени"):
        join_funnel(_ads(), _events().drop(columns="ts"), _orders())
    with pytest.raises(ValueError, match="«repeat_orders»"):
        join_funnel(_ads(), _events(), _orders(), repeat_orders="last")  # type: ignore[arg-type]


def _dataset_names(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``frame`` with the contract names replaced by the course datasets' names (``spend`` → ``spend_kzt`` …)."""
    return frame.rename(columns={name: alias for alias, name in COLUMN_ALIASES[table].items()})


def test_funnel_takes_the_datasets_column_names() -> None:
    ads, events, orders = _dataset_names(_ads(), "ads"), _dataset_names(_events(), "sessions"), _orders()
    orders = _dataset_names(orders, "orders")
    assert {"utm_source", "spend_kzt", "event_ts", "order_ts", "revenue_kzt", "gross_profit_kzt"} <= {
        *ads.columns,
        *events.columns,
        *orders.columns,
    }
    expected = join_funnel(_ads(), _events(), _orders())
    table = join_funnel(ads, events, orders)
    pd.testing.assert_frame_equal(table, expected)  # same numbers, contract names in the result
    assert table.attrs["notes"] == expected.attrs["notes"]
    assert "spend_kzt" in ads.columns and "spend" not in ads.columns  # the inputs are not renamed in place
    pd.testing.assert_frame_equal(customer_ltv(orders, events), customer_ltv(_orders(), _events()))


def test_the_contract_name_wins_over_its_alias() -> None:
    ads = _ads().assign(spend_kzt=0.0, utm_campaign="other")  # both names: the contract's column is used
    pd.testing.assert_frame_equal(join_funnel(ads, _events(), _orders()), join_funnel(_ads(), _events(), _orders()))
    with pytest.raises(ValueError, match=r"нет столбца «spend» \(или «spend_kzt»\)"):
        join_funnel(_ads().drop(columns="spend"), _events(), _orders())
    with pytest.raises(ValueError, match=r"«ts» \(или «event_ts»\)"):
        join_funnel(_ads(), _events().drop(columns="ts"), _orders())


# --- invariants --------------------------------------------------------------------------------------------------


@st.composite
def _random_data(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    campaigns = ["a", "b", "c"]
    n_sessions = draw(st.integers(1, 8))
    session_campaigns = draw(st.lists(st.sampled_from(campaigns), min_size=n_sessions, max_size=n_sessions))
    events = pd.DataFrame(
        {
            "user_pseudo_id": [f"u{i % 4}" for i in range(n_sessions)],
            "session_id": [f"s{i}" for i in range(n_sessions)],
            "ts": pd.date_range("2026-03-01", periods=n_sessions, freq="D"),
            "source": "ig",
            "medium": "cpc",
            "campaign": session_campaigns,
            "event_name": "purchase",
            "transaction_id": [f"T{i}" for i in range(n_sessions)],
        }
    )
    n_orders = draw(st.integers(1, 8))
    orders = pd.DataFrame(
        {
            "order_id": range(n_orders),
            "customer_id": draw(st.lists(st.sampled_from(["x", "y", "z"]), min_size=n_orders, max_size=n_orders)),
            "order_date": pd.date_range("2026-03-01", periods=n_orders, freq="D"),
            "revenue": draw(st.lists(st.integers(0, 10_000), min_size=n_orders, max_size=n_orders)),
            "gross_profit": draw(st.lists(st.integers(-500, 5_000), min_size=n_orders, max_size=n_orders)),
            "transaction_id": [f"T{draw(st.integers(0, 10))}" for _ in range(n_orders)],
        }
    ).astype({"revenue": float, "gross_profit": float})
    spend = draw(st.lists(st.integers(0, 5_000), min_size=3, max_size=3))
    ads = pd.DataFrame({"source": "ig", "medium": "cpc", "campaign": campaigns, "spend": spend}).astype(
        {"spend": float}
    )
    return ads, events, orders


@settings(max_examples=50, deadline=None)
@given(data=_random_data(), mode=st.sampled_from(["acquisition", "session"]))
def test_funnel_keeps_the_totals(data: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], mode: str) -> None:
    ads, events, orders = data
    table = join_funnel(ads, events, orders, repeat_orders=mode)  # type: ignore[arg-type]
    assert table["spend"].sum() == ads["spend"].sum()
    assert table["orders"].sum() == len(orders)
    assert table["first_orders"].sum() == orders["customer_id"].nunique()
    assert table["revenue"].sum() == pytest.approx(orders["revenue"].sum())
    assert table["gross_profit"].sum() == pytest.approx(orders["gross_profit"].sum())
    assert table["sessions"].sum() == len(events)


# --- customers: LTV and retention ---------------------------------------------------------------------------------


def test_customer_ltv_with_first_touch() -> None:
    ltv = customer_ltv(_orders(), _events())
    c3 = ltv.loc["c3"]
    assert (c3["orders"], c3["revenue"], c3["gross_profit"]) == (2, 14000, 6000)  # O2 + O3
    assert c3["avg_order_value"] == 7000  # 14000 / 2
    assert c3["campaign"] == "launch"  # first touch: u3's session of 03-02, not the direct visit of 03-20
    assert ltv.loc["c4", "campaign"] == "launch"  # via the client id u4
    assert ltv.loc["c5", "campaign"] == UNMATCHED
    assert any("Клиентов без единой сессии на сайте: 1" in note for note in ltv.attrs["notes"])
    by_channel = ltv_by_channel(ltv).loc[("telegram", "cpm", "launch")]
    assert (by_channel["customers"], by_channel["revenue_per_customer"]) == (2, 8500)  # (14000 + 3000) / 2


def test_customer_ltv_without_events() -> None:
    ltv = customer_ltv(_orders())
    assert ltv["revenue"].sum() == 29000 and "campaign" not in ltv.columns


def test_retention_matrix_hand_computed() -> None:
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "c", "c", "d"],
            "order_date": pd.to_datetime(
                ["2026-01-03", "2026-01-20", "2026-03-07", "2026-01-15", "2026-02-01", "2026-02-20", "2026-02-11"]
            ),
        }
    )
    shares = retention_matrix(orders)
    # January cohort {a, b}: a buys again in March (k=2) → k=1: 0/2, k=2: 1/2.
    # February cohort {c, d}: nobody in March (k=1) → 0/2; k=2 would be April, after the data → NaN.
    assert shares.loc["2026-01"].tolist() == [1.0, 0.0, 0.5]
    assert shares.loc["2026-02", 0] == 1.0 and shares.loc["2026-02", 1] == 0.0
    assert np.isnan(shares.loc["2026-02", 2])
    counts = retention_matrix(orders, counts=True)
    assert counts.loc["2026-01"].tolist() == [2.0, 0.0, 1.0]


def test_retention_matrix_takes_order_ts() -> None:
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b"],
            "order_date": pd.to_datetime(["2026-01-03", "2026-02-07", "2026-01-15"]),
        }
    )
    expected = retention_matrix(orders)
    as_loaded = orders.rename(columns={"order_date": "order_ts"})
    pd.testing.assert_frame_equal(retention_matrix(as_loaded), expected)  # crm_orders' name, default argument
    pd.testing.assert_frame_equal(retention_matrix(as_loaded, date="order_ts"), expected)  # or named
    assert expected.loc["2026-01"].tolist() == [1.0, 0.5]


def test_retention_matrix_errors() -> None:
    orders = pd.DataFrame({"customer_id": ["a"], "order_date": ["2026-01-01"]})
    with pytest.raises(ValueError, match="«period»"):
        retention_matrix(orders, period="fortnight")
    with pytest.raises(ValueError, match="нет столбца «order_date»"):
        retention_matrix(orders.drop(columns="order_date"))
