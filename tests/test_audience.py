"""Tests of smmkit.analysis.audience: RFM, k-means, audience core, lookalike and lift@k."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.metrics import silhouette_score

from smmkit.analysis.audience import (
    RFM_OTHER,
    RFM_SEGMENT_RULES,
    audience_core,
    audience_core_summary,
    choose_k,
    kmeans_segments,
    lift_at_k,
    lookalike_scores,
    rfm_scores,
    rfm_segment_name,
    rfm_table,
)

SEGMENTS = {name for name, _ in RFM_SEGMENT_RULES} | {RFM_OTHER}


def blobs(sizes: tuple[int, ...] = (60, 40, 30), seed: int = 0) -> pd.DataFrame:
    """Well separated clusters in (orders, revenue), revenue heavy-tailed inside each cluster."""
    rng = np.random.default_rng(seed)
    centres = [(2, 5_000), (10, 40_000), (30, 300_000)]
    parts = []
    for size, (orders, revenue) in zip(sizes, centres, strict=False):
        parts.append(
            pd.DataFrame(
                {
                    "orders": rng.normal(orders, orders * 0.1, size),
                    "revenue": revenue * rng.lognormal(0, 0.15, size),
                    "true": len(parts),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------------------------------------------- RFM


def test_rfm_table_hand_computed() -> None:
    orders = pd.DataFrame(
        {
            "customer_id": ["c2", "c1", "c1", "c3", "c1"],
            "order_ts": ["2026-01-10", "2026-01-01", "2026-01-20", "2026-01-31", "2026-01-05"],
            "revenue_kzt": [1000.0, 200.0, 300.0, 50.0, 500.0],
        }
    )
    table = rfm_table(orders)
    # as_of = last order day + 1 = 2026-02-01
    # c1: last 2026-01-20 → 12 days, 3 orders, 200 + 300 + 500 = 1000
    # c2: last 2026-01-10 → 22 days, 1 order, 1000;  c3: last 2026-01-31 → 1 day, 1 order, 50
    assert table.index.tolist() == ["c1", "c2", "c3"]
    assert table.index.name == "customer_id"
    assert table["recency_days"].tolist() == [12, 22, 1]
    assert table["frequency"].tolist() == [3, 1, 1]
    assert table["monetary"].tolist() == [1000.0, 1000.0, 50.0]
    # an explicit as_of: 2026-03-01 − 2026-01-20 = 40 days (11 + 29)
    assert rfm_table(orders, as_of="2026-03-01").loc["c1", "recency_days"] == 40
    # the defaults are crm_orders' names; a table with other names says so and gets the same result
    generic = orders.rename(columns={"order_ts": "order_date", "revenue_kzt": "amount"})
    pd.testing.assert_frame_equal(rfm_table(generic, date="order_date", amount="amount"), table)


def test_rfm_table_custom_columns_and_timezones() -> None:
    stamps = pd.to_datetime(["2026-03-01 10:00", "2026-03-03 18:00"]).tz_localize("Asia/Almaty")
    orders = pd.DataFrame({"client": ["x", "y"], "ts": stamps, "sum_kzt": [10, 20]})
    table = rfm_table(orders, customer="client", date="ts", amount="sum_kzt")
    assert table["recency_days"].tolist() == [3, 1]
    with pytest.raises(ValueError, match="«as_of»"):
        rfm_table(orders, customer="client", date="ts", amount="sum_kzt", as_of="2026-04-01")


@pytest.mark.parametrize(
    ("frame", "kwargs", "fragment"),
    [
        (pd.DataFrame({"customer_id": [1], "order_ts": ["2026-01-01"]}), {}, "нет столбца «revenue_kzt»"),
        (pd.DataFrame({"customer_id": [1], "revenue_kzt": [1.0]}), {}, "нет столбца «order_ts»"),
        (
            pd.DataFrame({"customer_id": [1], "order_ts": ["2026-01-01"], "revenue_kzt": [-5.0]}),
            {},
            "«revenue_kzt» не может содержать отрицательных",
        ),
        (
            pd.DataFrame({"customer_id": [1], "order_ts": ["2026-01-10"], "revenue_kzt": [5.0]}),
            {"as_of": "2026-01-01"},
            "«as_of» не может быть раньше",
        ),
        (
            pd.DataFrame({"customer_id": [1], "order_ts": ["вчера"], "revenue_kzt": [5.0]}),
            {},
            "«order_ts» должен содержать даты",
        ),
    ],
)
def test_rfm_table_russian_errors(frame: pd.DataFrame, kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        rfm_table(frame, **kwargs)


def test_rfm_scores_hand_computed_with_ties() -> None:
    # 10 customers, bins = 5 → 2 customers per score by rank.
    # recency 1..10 days: fewer days = higher R: 1,2 days → 5; 3,4 → 4; ...; 9,10 → 1
    # frequency has ties (four customers with 1 order): rank(method="first") breaks them by row order
    rfm = pd.DataFrame(
        {
            "recency_days": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            "frequency": [12, 9, 1, 1, 4, 1, 3, 1, 2, 8],
            "monetary": [900, 800, 30, 40, 300, 20, 100, 10, 60, 500],
        },
        index=[f"c{i}" for i in range(10)],
    )
    scored = rfm_scores(rfm)
    assert scored["R"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    # frequency ranks (first): c2=1, c3=2, c5=3, c7=4 (the four 1s in row order), c8=5, c6=6, c4=7, c9=8,
    # c1=9, c0=10 → scores: ranks 1–2 → 1, 3–4 → 2, 5–6 → 3, 7–8 → 4, 9–10 → 5
    assert scored["F"].tolist() == [5, 5, 1, 1, 4, 2, 3, 2, 3, 4]
    # monetary ranks: c7=1, c5=2, c2=3, c3=4, c8=5, c6=6, c4=7, c9=8, c1=9, c0=10
    assert scored["M"].tolist() == [5, 5, 2, 2, 4, 1, 3, 1, 3, 4]
    # c0, c1: R5 F5 M5 → Чемпионы; c2, c3: R4 F1 → Новые; c4: R3 F4 M4 → Лояльные (R < 4, not a champion);
    # c5: R3 F2 → no rule → Прочие; c6: R2 F3, c8: R1 F3, c9: R1 F4 → Под угрозой ухода; c7: R2 F2 → Спящие
    assert scored["rfm_segment"].tolist() == [
        "Чемпионы",
        "Чемпионы",
        "Новые",
        "Новые",
        "Лояльные",
        "Прочие",
        "Под угрозой ухода",
        "Спящие",
        "Под угрозой ухода",
        "Под угрозой ухода",
    ]
    assert list(rfm.columns) == ["recency_days", "frequency", "monetary"]  # input not modified


def test_rfm_segment_rules_are_reachable_and_ordered() -> None:
    assert rfm_segment_name(5, 5, 5) == "Чемпионы"
    assert rfm_segment_name(5, 5, 1) == "Лояльные"  # frequent and recent, but spends little
    assert rfm_segment_name(4, 1, 5) == "Новые"
    assert rfm_segment_name(2, 5, 5) == "Под угрозой ухода"
    assert rfm_segment_name(1, 1, 1) == "Спящие"
    assert rfm_segment_name(3, 3, 3) == RFM_OTHER
    every = {rfm_segment_name(r, f, m) for r in range(1, 6) for f in range(1, 6) for m in range(1, 6)}
    assert every == SEGMENTS


def test_rfm_scores_other_bins_map_onto_five_point_rules() -> None:
    # bins = 10: scores 9–10 map to 5 (ceil(9·5/10) = ceil(4.5) = 5), so the best customers stay «Чемпионы»
    rfm = pd.DataFrame({"recency_days": range(1, 21), "frequency": range(20, 0, -1), "monetary": range(20, 0, -1)})
    scored = rfm_scores(rfm, bins=10)
    assert scored["R"].between(1, 10).all()
    assert scored.loc[0, ["R", "F", "M"]].tolist() == [10, 10, 10]
    assert scored.loc[0, "rfm_segment"] == "Чемпионы"
    assert scored.loc[19, "rfm_segment"] == "Спящие"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 400), st.integers(1, 30), st.floats(0, 1e6, allow_nan=False)),
        min_size=10,
        max_size=80,
    ),
    st.integers(2, 10),
)
@example(rows=[(1, 1, 0.0)] * 19, bins=6)  # pd.qcut of the ranks made bins of 4/3/3/3/2/4 here
def test_rfm_scores_within_range_balanced_and_deterministic(rows: list, bins: int) -> None:
    rfm = pd.DataFrame(rows, columns=["recency_days", "frequency", "monetary"])
    scored = rfm_scores(rfm, bins=bins)
    for key in ("R", "F", "M"):
        assert scored[key].between(1, bins).all()
        counts = scored[key].value_counts()
        assert counts.max() - counts.min() <= 1  # quantile bins of ranks: sizes differ by at most one
    assert set(scored["rfm_segment"]) <= SEGMENTS
    # monotone: a strictly more recent (more frequent, richer) customer never gets a lower score
    for column, key, sign in (("recency_days", "R", -1), ("frequency", "F", 1), ("monetary", "M", 1)):
        values, scores = sign * scored[column].to_numpy(), scored[key].to_numpy()
        better = values[:, None] > values[None, :]
        assert (scores[:, None] >= scores[None, :])[better].all()
    pd.testing.assert_frame_equal(scored, rfm_scores(rfm, bins=bins))


@pytest.mark.parametrize(
    ("frame", "bins", "fragment"),
    [
        (pd.DataFrame({"recency_days": [1] * 6, "frequency": [1] * 6}), 5, "нет столбца «monetary»"),
        (pd.DataFrame({"recency_days": [1] * 6, "frequency": [1] * 6, "monetary": [1.0] * 6}), 1, "«bins»"),
        (pd.DataFrame({"recency_days": [1] * 3, "frequency": [1] * 3, "monetary": [1.0] * 3}), 5, "«bins» = 5"),
        (
            pd.DataFrame({"recency_days": [1] * 6, "frequency": [1] * 6, "monetary": ["много"] * 6}),
            5,
            "«monetary» таблицы «rfm» должен быть числовым",
        ),
    ],
)
def test_rfm_scores_russian_errors(frame: pd.DataFrame, bins: int, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        rfm_scores(frame, bins=bins)


# ------------------------------------------------------------------------------------------------- k-means


def test_kmeans_finds_the_three_blobs_and_is_deterministic() -> None:
    df = blobs()
    labels, summary = kmeans_segments(df, ["orders", "revenue"], k=3, log_features=["revenue"])
    assert labels.nunique() == 3
    assert labels.index.equals(df.index) and labels.name == "segment"
    # numbered by size: the 60-row blob is 0, the 40-row blob 1, the 30-row blob 2
    assert pd.crosstab(labels, df["true"]).to_numpy().tolist() == [[60, 0, 0], [0, 40, 0], [0, 0, 30]]
    assert summary["size"].tolist() == [60, 40, 30]
    assert summary["share"].sum() == pytest.approx(1)
    assert summary.loc[0, "orders"] == pytest.approx(df.loc[df["true"] == 0, "orders"].mean())  # original scale
    again, _ = kmeans_segments(df, ["orders", "revenue"], k=3, log_features=["revenue"])
    pd.testing.assert_series_equal(labels, again)


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 6), st.integers(0, 3))
def test_kmeans_label_count_equals_k(k: int, seed: int) -> None:
    df = pd.DataFrame(np.random.default_rng(seed).normal(size=(40, 2)), columns=["x", "y"])
    labels, summary = kmeans_segments(df, ["x", "y"], k=k, seed=seed)
    assert labels.nunique() == k and len(summary) == k
    assert summary["size"].is_monotonic_decreasing
    pd.testing.assert_series_equal(labels, kmeans_segments(df, ["x", "y"], k=k, seed=seed)[0])


def test_choose_k_prefers_the_true_k_and_matches_sklearn() -> None:
    df = blobs()
    table = choose_k(df, ["orders", "revenue"], k_range=range(2, 6), log_features=["revenue"])
    assert table.index.tolist() == [2, 3, 4, 5]
    assert table["silhouette"].idxmax() == 3
    assert table["inertia"].is_monotonic_decreasing
    labels, _ = kmeans_segments(df, ["orders", "revenue"], k=3, log_features=["revenue"])
    x = np.column_stack([df["orders"], np.log1p(df["revenue"])])
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    assert table.loc[3, "silhouette"] == pytest.approx(silhouette_score(x, labels))


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"features": ["orders", "likes"], "k": 2}, "нет столбца «likes»"),
        ({"features": [], "k": 2}, "«features» не может быть пустым"),
        ({"features": ["orders"], "k": 1}, "«k» должен быть целым числом не меньше 2"),
        ({"features": ["orders"], "k": 2.5}, "«k» должен быть целым"),
        ({"features": ["orders"], "k": 11}, "«k» = 11 больше допустимого"),
        ({"features": ["orders"], "k": 2, "log_features": ["delta"]}, "«delta» из «log_features»"),
        ({"features": ["orders", "delta"], "k": 2, "log_features": ["delta"]}, "«delta» не может содержать отриц"),
    ],
)
def test_kmeans_russian_errors(kwargs: dict, fragment: str) -> None:
    df = pd.DataFrame({"orders": range(10), "delta": range(-5, 5)})
    with pytest.raises(ValueError, match=fragment):
        kmeans_segments(df, **kwargs)


def test_choose_k_russian_errors() -> None:
    df = pd.DataFrame({"orders": range(5)})
    with pytest.raises(ValueError, match="«k_range» = 5 больше допустимого"):
        choose_k(df, ["orders"], k_range=range(2, 6))  # silhouette needs k <= rows − 1
    with pytest.raises(ValueError, match="«k_range» не может быть пустым"):
        choose_k(df, ["orders"], k_range=[])
    with pytest.raises(ValueError, match="«orders» таблицы «df» есть пропуски"):
        choose_k(pd.DataFrame({"orders": [1.0, None, 3.0, 4.0]}), ["orders"], k_range=[2])


# ------------------------------------------------------------------------------------------- audience core


def test_audience_core_hand_computed() -> None:
    revenue = [5, 40, 10, 300, 0, 150, 20, 60, 15, 400]
    crm = pd.DataFrame({"customer_id": list("abcdefghij"), "revenue_12m_kzt": revenue})
    # total = 1000; sorted: j 400, d 300, f 150, h 60, b 40, ...; cumulative 0.40, 0.70, 0.85 → 3 customers
    core = audience_core(crm, share=0.8)
    assert core["customer_id"].tolist() == ["j", "d", "f"]
    assert core["value_share"].tolist() == pytest.approx([0.4, 0.3, 0.15])
    assert core["cum_value_share"].tolist() == pytest.approx([0.4, 0.7, 0.85])
    # exactly 0.7 is reached by two customers: the boundary counts as reached
    assert audience_core(crm, share=0.7)["customer_id"].tolist() == ["j", "d"]
    assert len(audience_core(crm, share=1.0)) == 9  # everyone with revenue > 0
    summary = audience_core_summary(crm, share=0.8)
    assert summary["members"] == 3
    assert summary["members_share"] == pytest.approx(0.3)  # 30 % of customers bring 85 % of revenue
    assert summary["value_share"] == pytest.approx(0.85)


def test_audience_core_by_segment() -> None:
    crm = pd.DataFrame(
        {
            "platform": ["Instagram", "TikTok", "Instagram", "Telegram", "TikTok", "Instagram"],
            "revenue": [100.0, 50.0, 200.0, 30.0, 20.0, 100.0],
        }
    )
    # any value column can be named (the default is the audience dataset's revenue_12m_kzt)
    # Instagram 400 (3 customers), TikTok 70 (2), Telegram 30 (1); total 500 → Instagram alone = 0.8
    core = audience_core(crm, value="revenue", share=0.8, by="platform")
    assert core.index.tolist() == ["Instagram"]
    assert core.loc["Instagram", "customers"] == 3
    assert core.loc["Instagram", "value"] == 400
    assert core.loc["Instagram", "cum_value_share"] == pytest.approx(0.8)
    nine_tenths = audience_core(crm, value="revenue", share=0.9, by="platform")
    assert nine_tenths.index.tolist() == ["Instagram", "TikTok"]
    assert audience_core_summary(crm, value="revenue", share=0.9, by="platform")["members_share"] == pytest.approx(
        2 / 3
    )


def test_audience_core_empty_or_zero_total_is_empty_not_error() -> None:
    zero = audience_core(pd.DataFrame({"revenue_12m_kzt": [0.0, 0.0]}))
    assert zero.empty and "cum_value_share" in zero.columns
    summary = audience_core_summary(pd.DataFrame({"revenue_12m_kzt": pd.Series([], dtype=float)}))
    assert summary["members"] == 0 and math.isnan(summary["members_share"]) and math.isnan(summary["value_share"])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0, 1e6, allow_nan=False, allow_infinity=False), min_size=1, max_size=60),
    st.floats(0.01, 1.0),
)
def test_audience_core_reaches_share_and_is_minimal(values: list[float], share: float) -> None:
    crm = pd.DataFrame({"revenue_12m_kzt": values})
    total = sum(values)
    core = audience_core(crm, share=share)
    if total == 0:
        assert core.empty
        return
    reached = core["revenue_12m_kzt"].sum() / total
    assert reached >= share - 1e-9
    # dropping the smallest member falls short of the share
    assert (core["revenue_12m_kzt"].sum() - core["revenue_12m_kzt"].min()) / total < share
    # nobody outside the core is worth more than the smallest member (largest first)
    outside = crm.drop(index=core.index)["revenue_12m_kzt"]
    assert outside.empty or outside.max() <= core["revenue_12m_kzt"].min()


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"share": 0}, "«share» должен быть в промежутке \\(0, 1\\]"),
        ({"share": 1.5}, "«share»"),
        ({"value": "profit"}, "нет столбца «profit»"),
        ({"by": "segment"}, "нет столбца «segment»"),
    ],
)
def test_audience_core_russian_errors(kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        audience_core(pd.DataFrame({"revenue_12m_kzt": [1.0, 2.0]}), **kwargs)
    with pytest.raises(ValueError, match="«revenue_12m_kzt» не может содержать отрицательных"):
        audience_core(pd.DataFrame({"revenue_12m_kzt": [1.0, -2.0]}))


# ------------------------------------------------------------------------------------------------ lookalike


def population(n: int = 4000, seed: int = 0) -> pd.DataFrame:
    """Users whose buying propensity rises with visits and falls with age; buyers are the seed."""
    rng = np.random.default_rng(seed)
    visits = rng.poisson(3, n).astype(float)
    age = rng.normal(30, 8, n)
    logit = -4 + 0.6 * visits - 0.05 * (age - 30)
    bought = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({"user_id": [f"u{i}" for i in range(n)], "visits": visits, "age": age, "bought": bought})


def test_lookalike_ranks_similar_users_first_and_lifts_conversion() -> None:
    users = population()
    half = len(users) // 2
    seed_ids = users.loc[: half - 1].query("bought")["user_id"]
    scores = lookalike_scores(users, seed_ids, ["visits", "age"])
    assert scores.name == "score" and scores.index.name == "user_id"
    assert not scores.index.isin(seed_ids).any()
    assert len(scores) == len(users) - len(seed_ids)
    assert scores.is_monotonic_decreasing and scores.between(0, 1).all()
    # out of sample: among the second half, the top 10 % by score buys far more often than random
    holdout = users.loc[half:].set_index("user_id")
    lift = lift_at_k(scores.loc[holdout.index], holdout["bought"].astype(int), k=0.1)
    assert lift > 2
    pd.testing.assert_series_equal(scores, lookalike_scores(users, seed_ids, ["visits", "age"]))


@pytest.mark.parametrize(
    ("seed_ids", "kwargs", "fragment"),
    [
        ([], {}, "«seed_ids» пуст"),
        (["nobody"], {}, "Ни один id из «seed_ids»"),
        (["a", "b", "c"], {}, "нет пользователей вне «seed_ids»"),
        (["a"], {"features": ["likes"]}, "нет столбца «likes»"),
        (["a"], {"id_col": "uid"}, "нет столбца «uid»"),
    ],
)
def test_lookalike_russian_errors(seed_ids: list, kwargs: dict, fragment: str) -> None:
    users = pd.DataFrame({"user_id": ["a", "b", "c"], "visits": [1.0, 2.0, 3.0]})
    args = {"features": ["visits"]} | kwargs
    with pytest.raises(ValueError, match=fragment):
        lookalike_scores(users, seed_ids, **args)
    with pytest.raises(ValueError, match="«user_id» таблицы «population» есть повторяющиеся"):
        lookalike_scores(pd.DataFrame({"user_id": ["a", "a"], "visits": [1.0, 2.0]}), ["a"], ["visits"])


def test_lift_at_k_hand_computed() -> None:
    # 10 users, 2 conversions → overall rate 0.2; top 20 % = 2 users (0.9, 0.8), 1 converted → 0.5
    # lift = 0.5 / 0.2 = 2.5
    scores = pd.Series([0.9, 0.8, 0.3, 0.2, 0.1, 0.05, 0.04, 0.03, 0.02, 0.01], index=list("abcdefghij"))
    converted = pd.Series([0, 1, 0, 0, 0, 0, 0, 0, 0, 1], index=list("jihgfedcba"))  # a and i; aligned by index
    assert lift_at_k(scores, converted, k=0.2) == pytest.approx(2.5)
    # top 25 % of 10 = ceil(2.5) = 3 users, 1 converted → (1/3) / 0.2 = 1.6667
    assert lift_at_k(scores, converted, k=0.25) == pytest.approx(5 / 3)
    assert lift_at_k(scores, converted, k=1.0) == pytest.approx(1.0)  # everybody: exactly random
    assert math.isnan(lift_at_k(scores, [0] * 10, k=0.2))  # no conversions


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([0.05, 0.1, 0.3]))
def test_lift_at_k_is_one_for_random_scores(seed: int, k: float) -> None:
    rng = np.random.default_rng(seed)
    n = 100_000
    converted = (rng.random(n) < 0.1).astype(int)
    lift = lift_at_k(rng.random(n), converted, k=k)
    # top k has ≥ 5000 users: SE of its rate ≤ √(0.09/5000) = 0.0042 → SE of lift ≤ 0.042; 5 SE ≈ 0.21
    assert lift == pytest.approx(1.0, abs=0.21)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"k": 0}, "«k» должен быть в промежутке \\(0, 1\\]"),
        ({"k": 1.2}, "«k»"),
        ({"converted": [1, 0]}, "«scores» и «converted» разной длины"),
        ({"converted": [1, 0, 2]}, "«converted» должен содержать только 0 и 1"),
        ({"scores": ["high", "low", "low"]}, "«scores» должен быть набором чисел"),
        ({"scores": [0.3, float("nan"), 0.1]}, "«scores» есть пропуски"),
    ],
)
def test_lift_at_k_russian_errors(kwargs: dict, fragment: str) -> None:
    args = {"scores": [0.3, 0.2, 0.1], "converted": [1, 0, 0]} | kwargs
    with pytest.raises(ValueError, match=fragment):
        lift_at_k(**args)
    with pytest.raises(ValueError, match="В «converted» нет значений для 1"):
        lift_at_k(pd.Series([0.5, 0.4], index=["a", "b"]), pd.Series([1], index=["a"]))
