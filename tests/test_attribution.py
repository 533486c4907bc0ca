"""Attribution models: hand-computed toys for every model, the Markov and Shapley algebra, invariants, errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.analysis.attribution import (
    COLUMN_ALIASES,
    MODEL_LABELS,
    compare_models,
    first_touch,
    last_touch,
    linear,
    markov_removal_effect,
    position_based,
    position_shares,
    removal_effects,
    shapley,
    time_decay,
    to_paths,
)

DAY0 = pd.Timestamp("2026-03-02 09:00", tz="Asia/Almaty")

Journey = tuple[list[str], bool, float, list[float]]
"""(channels in order, converted, value, day of each touch)."""


def frame(journeys: list[Journey], ids: list[int] | None = None) -> pd.DataFrame:
    """Touch rows of the journeys (one row per touch, the outcome repeated on each)."""
    rows = []
    for k, (channels, converted, value, days) in enumerate(journeys):
        jid = k if ids is None else ids[k]
        for channel, day in zip(channels, days, strict=True):
            rows.append((jid, channel, DAY0 + pd.Timedelta(days=day), converted, value))
    return pd.DataFrame(rows, columns=["journey_id", "channel", "ts", "converted", "value"])


def paths(rows: list[tuple[str, int, int]]) -> pd.DataFrame:
    """Path form from (path, conversions, nulls)."""
    return pd.DataFrame(rows, columns=["path", "conversions", "nulls"])


def as_dict(credit: pd.Series) -> dict[str, float]:
    return {str(k): float(v) for k, v in credit.items()}


# Three journeys: ig > tg > vk converts (100 ₸) on days 0, 7, 14; tg > ig converts (50 ₸) on days 0, 7;
# vk alone does not convert.
TOY = frame(
    [(["ig", "tg", "vk"], True, 100.0, [0, 7, 14]), (["tg", "ig"], True, 50.0, [0, 7]), (["vk"], False, 0.0, [0])]
)


# --------------------------------------------------------------------------- rule models, by hand


def test_first_and_last_touch_by_hand() -> None:
    # first: J1 → ig, J2 → tg; last: J1 → vk, J2 → ig; J3 did not convert.
    assert as_dict(first_touch(TOY)) == {"ig": 1.0, "tg": 1.0, "vk": 0.0}
    assert as_dict(last_touch(TOY)) == {"ig": 1.0, "tg": 0.0, "vk": 1.0}
    # by value: first gives ig 100, tg 50; last gives vk 100, ig 50.
    assert as_dict(first_touch(TOY, weight="value")) == {"ig": 100.0, "tg": 50.0, "vk": 0.0}
    assert as_dict(last_touch(TOY, weight="value")) == {"ig": 50.0, "tg": 0.0, "vk": 100.0}


def test_linear_by_hand() -> None:
    # J1: 1/3 each; J2: 1/2 each → ig = 1/3 + 1/2 = 5/6, tg = 5/6, vk = 1/3.
    assert as_dict(linear(TOY)) == pytest.approx({"ig": 5 / 6, "tg": 5 / 6, "vk": 1 / 3})
    # value: ig = 100/3 + 25, tg = 100/3 + 25, vk = 100/3.
    assert as_dict(linear(TOY, weight="value")) == pytest.approx({"ig": 175 / 3, "tg": 175 / 3, "vk": 100 / 3})


def test_position_based_by_hand() -> None:
    # J1 (3 touches): ig 0.4, tg 0.2, vk 0.4; J2 (2 touches, 50/50): tg 0.5, ig 0.5 → ig 0.9, tg 0.7, vk 0.4.
    assert as_dict(position_based(TOY)) == pytest.approx({"ig": 0.9, "tg": 0.7, "vk": 0.4})
    # 30/30: J1 ig 0.3, tg 0.4, vk 0.3; J2 still 50/50 → ig 0.8, tg 0.9, vk 0.3.
    assert as_dict(position_based(TOY, first=0.3, last=0.3)) == pytest.approx({"ig": 0.8, "tg": 0.9, "vk": 0.3})


def test_position_shares_conventions() -> None:
    # one touch → 1; two → 50/50; four → 0.4, 0.1, 0.1, 0.4; two with (0.6, 0.2) → 0.75/0.25.
    pos = np.array([0, 0, 1, 0, 1, 2, 3])
    n = np.array([1, 2, 2, 4, 4, 4, 4])
    assert position_shares(pos, n) == pytest.approx([1, 0.5, 0.5, 0.4, 0.1, 0.1, 0.4])
    assert position_shares(np.array([0, 1]), np.array([2, 2]), 0.6, 0.2) == pytest.approx([0.75, 0.25])
    assert position_shares(np.array([0, 1]), np.array([2, 2]), 0.0, 0.0) == pytest.approx([0.5, 0.5])


def test_time_decay_by_hand() -> None:
    # Half-life 7 days. J1: Δt = 14, 7, 0 days → w = 1/4, 1/2, 1 (Σ 7/4) → shares 1/7, 2/7, 4/7.
    # J2: Δt = 7, 0 → w = 1/2, 1 → shares 1/3, 2/3. ig = 1/7 + 2/3, tg = 2/7 + 1/3, vk = 4/7.
    assert as_dict(time_decay(TOY)) == pytest.approx({"ig": 1 / 7 + 2 / 3, "tg": 2 / 7 + 1 / 3, "vk": 4 / 7})
    # Half-life 14 days, J2 only: w = 2^(-1/2), 1 → tg share = 0.7071 / 1.7071 = 0.4142.
    credit = time_decay(TOY[TOY["journey_id"] == 1], half_life_days=14)
    assert credit["tg"] == pytest.approx(2**-0.5 / (1 + 2**-0.5))


def test_time_decay_conversion_ts_cancels_out_but_is_checked() -> None:
    # J2 converts on day 14: Δt = 14, 7 → w = 1/4, 1/2 → the shares stay 1/3, 2/3 (a common factor cancels).
    touches = TOY.assign(conversion_ts=TOY["ts"].where(TOY["journey_id"] < 0))  # all empty, tz-aware dtype
    touches.loc[touches["journey_id"] == 1, "conversion_ts"] = DAY0 + pd.Timedelta(days=14)
    pd.testing.assert_series_equal(time_decay(touches), time_decay(TOY))
    touches.loc[touches["journey_id"] == 1, "conversion_ts"] = DAY0 + pd.Timedelta(days=3)
    with pytest.raises(ValueError, match="conversion_ts"):
        time_decay(touches)


def test_long_gaps_do_not_underflow() -> None:
    # Δt = 20 000 days: 2^(−20000/7) underflows, but shares are measured from the latest touch (1 and ~0).
    credit = time_decay(frame([(["ig", "tg"], True, 1.0, [0, 20_000])]))
    assert as_dict(credit) == pytest.approx({"ig": 0.0, "tg": 1.0})


def test_naive_timestamps_and_unsorted_rows_are_accepted() -> None:
    naive = TOY.assign(ts=TOY["ts"].dt.tz_localize(None)).sample(frac=1, random_state=3)
    pd.testing.assert_series_equal(time_decay(naive), time_decay(TOY))
    pd.testing.assert_series_equal(first_touch(naive), first_touch(TOY))


# --------------------------------------------------------------------------- path form


def test_to_paths_aggregates_journeys() -> None:
    # J1: ig > tg > vk (1 conv, 100), J2: tg > ig (1 conv, 50), J3: vk (null); a fourth journey repeats J3.
    touches = pd.concat([TOY, frame([(["vk"], False, 0, [1])], ids=[9])], ignore_index=True)
    expected = pd.DataFrame(
        {
            "path": ["ig > tg > vk", "tg > ig", "vk"],
            "conversions": [1, 1, 0],
            "value": [100.0, 50.0, 0.0],
            "nulls": [0, 0, 2],
        }
    )
    pd.testing.assert_frame_equal(to_paths(touches), expected)
    assert list(to_paths(TOY.drop(columns="value")).columns) == ["path", "conversions", "nulls"]


def test_value_of_non_converting_journeys_may_be_empty() -> None:
    touches = TOY.assign(value=TOY["value"].where(TOY["converted"]))
    assert to_paths(touches)["value"].tolist() == [100.0, 50.0, 0.0]


@pytest.mark.parametrize("model", [first_touch, last_touch, linear, position_based, markov_removal_effect, shapley])
def test_path_form_gives_the_same_credit_as_journeys(model) -> None:
    form = to_paths(TOY)
    listed = form.assign(path=form["path"].str.split(" > "))
    pd.testing.assert_series_equal(model(form), model(TOY))
    pd.testing.assert_series_equal(model(listed, weight="value"), model(TOY, weight="value"))


# --------------------------------------------------------------------------- Markov, by hand


def test_markov_worked_example() -> None:
    # Paths: a > b converts, a null, b converts. Transition counts: start→a 2, start→b 1, a→b 1, a→null 1,
    # b→conv 2. So P(start→a) = 2/3, P(start→b) = 1/3, P(a→b) = 1/2, P(a→null) = 1/2, P(b→conv) = 1.
    # P(conv) = 2/3·1/2·1 + 1/3·1 = 2/3.
    # Without a: start→a goes to null → P = 1/3 → RE_a = 1 − (1/3)/(2/3) = 1/2.
    # Without b: a→b and start→b go to null → P = 0 → RE_b = 1.
    # Credit (2 conversions): a = 0.5/1.5·2 = 2/3, b = 1/1.5·2 = 4/3.
    data = paths([("a > b", 1, 0), ("a", 0, 1), ("b", 1, 0)])
    assert as_dict(removal_effects(data)) == pytest.approx({"a": 0.5, "b": 1.0})
    assert as_dict(markov_removal_effect(data)) == pytest.approx({"a": 2 / 3, "b": 4 / 3})


def test_markov_loop_needs_the_linear_solve() -> None:
    # Paths: a > b > a converts, b null. Counts: start→a 1, start→b 1, a→b 1, b→a 1, a→conv 1, b→null 1.
    # P(a→b) = P(a→conv) = 1/2, P(b→a) = P(b→null) = 1/2. Absorption: x_a = 1/2 + x_b/2, x_b = x_a/2
    # → x_a = 2/3, x_b = 1/3, P(conv) = (2/3 + 1/3)/2 = 1/2.
    # Without a: x_b = 0 → P = 0 → RE_a = 1. Without b: x_a = 1/2 → P = 1/4 → RE_b = 1/2.
    # Credit (1 conversion): a = 1/1.5 = 2/3, b = 1/3.
    data = paths([("a > b > a", 1, 0), ("b", 0, 1)])
    assert as_dict(removal_effects(data)) == pytest.approx({"a": 1.0, "b": 0.5})
    assert as_dict(markov_removal_effect(data)) == pytest.approx({"a": 2 / 3, "b": 1 / 3})


def test_markov_second_order_remembers_the_previous_channel() -> None:
    # Paths: a > c converts, b > c null.
    # Order 1: c→conv 1/2 whoever came before. P = 1/2; without a: 1/2·1/2 = 1/4 → RE_a = 1/2; RE_b = 1/2;
    #   without c: 0 → RE_c = 1. Shares 1/4, 1/4, 1/2.
    # Order 2: states a, b, "a > c" (→conv 1), "b > c" (→null 1). Without a: 0 → RE_a = 1; without b: 1/2 →
    #   RE_b = 0; without c: 0 → RE_c = 1. Shares 1/2, 0, 1/2.
    data = paths([("a > c", 1, 0), ("b > c", 0, 1)])
    assert as_dict(markov_removal_effect(data)) == pytest.approx({"a": 0.25, "b": 0.25, "c": 0.5})
    assert as_dict(markov_removal_effect(data, order=2)) == pytest.approx({"a": 0.5, "b": 0.0, "c": 0.5})


def test_markov_channel_in_non_converting_paths_only_still_gets_credit() -> None:
    # a > b null, b converts: start→a 1/2, start→b 1/2, a→b 1, b→conv 1/2, b→null 1/2. P = 1/2.
    # Without a: 1/2·1/2 = 1/4 → RE_a = 1/2; without b: 0 → RE_b = 1. Credit: a 1/3, b 2/3.
    data = paths([("a > b", 0, 1), ("b", 1, 0)])
    assert as_dict(markov_removal_effect(data)) == pytest.approx({"a": 1 / 3, "b": 2 / 3})


def test_markov_without_conversions_gives_zeros() -> None:
    assert as_dict(markov_removal_effect(paths([("a > b", 0, 3)]))) == {"a": 0.0, "b": 0.0}


# --------------------------------------------------------------------------- Shapley, by hand


def test_shapley_two_channels_by_hand() -> None:
    # v(a) = 1, v(b) = 3, v(ab) = 1 + 2 + 3 = 6.
    # φ_a = ½(v(a) − 0) + ½(v(ab) − v(b)) = ½ + 3/2 = 2; φ_b = ½·3 + ½(6 − 1) = 4.
    data = pd.DataFrame({"path": ["a", "a > b", "b"], "conversions": [1, 2, 3]})
    assert as_dict(shapley(data)) == pytest.approx({"a": 2.0, "b": 4.0})


def test_shapley_three_channels_by_hand() -> None:
    # Paths: a 3, a > b 2, b > c 4, c 1, a > b > c 6 (conversions).
    # v(a)=3, v(b)=0, v(c)=1, v(ab)=5, v(ac)=4, v(bc)=5, v(abc)=16. Weights: |S|=0 → 1/3, 1 → 1/6, 2 → 1/3.
    # φ_a = 3/3 + (5−0)/6 + (4−1)/6 + (16−5)/3 = 1 + 5/6 + 1/2 + 11/3 = 6
    # φ_b = 0/3 + (5−3)/6 + (5−1)/6 + (16−4)/3 = 1/3 + 2/3 + 4 = 5
    # φ_c = 1/3 + (4−3)/6 + (5−0)/6 + (16−5)/3 = 1/3 + 1 + 11/3 = 5; Σ = 16 = v(abc).
    data = pd.DataFrame({"path": ["a", "a > b", "b > c", "c", "a > b > c"], "conversions": [3, 2, 4, 1, 6]})
    assert as_dict(shapley(data)) == pytest.approx({"a": 6.0, "b": 5.0, "c": 5.0})


def test_shapley_limit_and_ten_channels() -> None:
    ten = [f"k{i}" for i in range(10)]
    data = pd.DataFrame({"path": [" > ".join(ten[: i + 1]) for i in range(10)], "conversions": [1] * 10})
    # equal split over the distinct channels of each path: k_j gets Σ_{i ≥ j} 1/(i+1)
    expected = {f"k{j}": sum(1 / (i + 1) for i in range(j, 10)) for j in range(10)}
    assert as_dict(shapley(data)) == pytest.approx(expected)
    many = pd.DataFrame({"path": [" > ".join(f"k{i}" for i in range(13))], "conversions": [1]})
    with pytest.raises(ValueError, match="не больше 12 каналов, а в данных 13"):
        shapley(many)


def test_compare_models_table() -> None:
    table = compare_models(TOY)
    assert list(table.columns) == list(MODEL_LABELS.values())
    assert list(table.index) == ["ig", "tg", "vk"]
    assert table.sum().to_numpy() == pytest.approx([2.0] * 7)
    by_paths = compare_models(to_paths(TOY), weight="value")
    assert MODEL_LABELS["time_decay"] not in by_paths.columns
    assert by_paths.sum().to_numpy() == pytest.approx([150.0] * 6)


def test_the_journeys_datasets_value_kzt_is_read_as_value() -> None:
    assert COLUMN_ALIASES == {"value_kzt": "value"}
    as_loaded = TOY.rename(columns={"value": "value_kzt"})
    for weight in ("conversions", "value"):
        pd.testing.assert_frame_equal(compare_models(as_loaded, weight=weight), compare_models(TOY, weight=weight))
    pd.testing.assert_frame_equal(to_paths(as_loaded), to_paths(TOY))
    paths_kzt = to_paths(TOY).rename(columns={"value": "value_kzt"})
    assert as_dict(linear(paths_kzt, weight="value")) == pytest.approx(as_dict(linear(TOY, weight="value")))
    both = TOY.assign(value_kzt=1.0)  # the contract name wins when both are present
    assert as_dict(first_touch(both, weight="value")) == {"ig": 100.0, "tg": 50.0, "vk": 0.0}
    assert "value_kzt" in as_loaded.columns and "value" not in as_loaded.columns  # input not renamed in place


# --------------------------------------------------------------------------- properties

CHANNELS = ["a", "b", "c", "d"]
journey_st = st.tuples(
    st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=4),
    st.booleans(),
    st.integers(0, 500).map(float),
    st.lists(st.integers(1, 240), min_size=5, max_size=5),  # hours between touches: no ties in ts
).map(lambda j: (j[0], j[1], j[2], [sum(j[3][: i + 1]) / 24 for i in range(len(j[0]))]))
journeys_st = st.lists(journey_st, min_size=1, max_size=6)

ALL_MODELS = [first_touch, last_touch, linear, time_decay, position_based, markov_removal_effect, shapley]


@settings(max_examples=50, deadline=None)
@given(journeys_st, st.sampled_from(["conversions", "value"]))
def test_every_model_sums_to_the_total_and_is_non_negative(journeys: list[Journey], weight: str) -> None:
    touches = frame(journeys)
    total = sum(j[1] for j in journeys) if weight == "conversions" else sum(j[2] for j in journeys if j[1])
    for model in ALL_MODELS:
        credit = model(touches, weight=weight, channels=["z"])
        assert credit.sum() == pytest.approx(total, abs=1e-9)
        assert (credit >= -1e-12).all()
        assert credit["z"] == 0.0  # absent from every journey


@settings(max_examples=15, deadline=None)  # seven models twice per example: the heaviest property here
@given(journeys_st, st.randoms(use_true_random=False))
def test_permuting_journey_ids_and_rows_changes_nothing(journeys: list[Journey], rnd) -> None:
    ids = list(range(100, 100 + len(journeys)))
    rnd.shuffle(ids)
    shuffled = frame(journeys, ids).sample(frac=1, random_state=rnd.randint(0, 1000))
    # compare_models runs all seven models
    pd.testing.assert_frame_equal(compare_models(shuffled), compare_models(frame(journeys)), atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(journeys_st)
def test_time_decay_with_endless_half_life_is_linear(journeys: list[Journey]) -> None:
    touches = frame(journeys)
    pd.testing.assert_series_equal(time_decay(touches, half_life_days=math.inf), linear(touches), check_names=False)
    pd.testing.assert_series_equal(time_decay(touches, half_life_days=1e9), linear(touches), check_names=False)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CHANNELS), st.sampled_from(CHANNELS), st.integers(0, 9)), min_size=1))
def test_half_and_half_position_based_on_two_touch_paths_is_linear(rows: list[tuple[str, str, int]]) -> None:
    data = pd.DataFrame({"path": [[a, b] for a, b, _ in rows], "conversions": [k for *_, k in rows]})
    pd.testing.assert_series_equal(position_based(data, 0.5, 0.5), linear(data), check_names=False)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(0, 9), st.integers(0, 9)), min_size=1))
def test_markov_on_single_channel_paths_credits_that_channel(rows: list[tuple[int, int, int]]) -> None:
    data = paths([(" > ".join(["a"] * n), conv, nulls) for n, conv, nulls in rows])
    total = sum(conv for _, conv, _ in rows)
    assert as_dict(markov_removal_effect(data, channels=["b"])) == pytest.approx({"a": total, "b": 0.0})


path_st = st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(path_st, st.integers(0, 20)), min_size=1, max_size=10))
def test_shapley_efficiency_symmetry_and_equal_split(rows: list[tuple[list[str], int]]) -> None:
    swap = {"a": "b", "b": "a", "c": "c", "d": "d"}
    both = rows + [([swap[c] for c in path], k) for path, k in rows]  # a and b are interchangeable
    data = pd.DataFrame({"path": [p for p, _ in both], "conversions": [k for _, k in both]})
    credit = shapley(data, channels=CHANNELS)
    assert credit.sum() == pytest.approx(data["conversions"].sum())  # efficiency: Σφ = v(all channels)
    assert credit["a"] == pytest.approx(credit["b"])  # symmetry
    split = dict.fromkeys(CHANNELS, 0.0)
    for path, k in both:  # the closed form for this characteristic function
        for channel in set(path):
            split[channel] = split.get(channel, 0.0) + k / len(set(path))
    assert as_dict(credit) == pytest.approx(split)


# --------------------------------------------------------------------------- Russian errors


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="нет столбца «converted»"):
        first_touch(TOY.drop(columns="converted"))
    with pytest.raises(ValueError, match=r"нет столбца «value» \(или «value_kzt»\)"):
        linear(TOY.drop(columns="value"), weight="value")
    with pytest.raises(ValueError, match="нет столбца «conversions»"):
        shapley(pd.DataFrame({"path": ["a"]}))
    with pytest.raises(ValueError, match="нет столбца «value»"):
        markov_removal_effect(paths([("a", 1, 0)]), weight="value")


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match="«weight»"):
        linear(TOY, weight="revenue")
    with pytest.raises(ValueError, match="«half_life_days»"):
        time_decay(TOY, half_life_days=0)
    with pytest.raises(ValueError, match="«first» и «last»"):
        position_based(TOY, first=0.6, last=0.6)
    with pytest.raises(ValueError, match="«first»"):
        position_based(TOY, first=-0.1)
    with pytest.raises(ValueError, match="«order»"):
        markov_removal_effect(TOY, order=0)
    with pytest.raises(ValueError, match="«journeys»"):
        time_decay(to_paths(TOY))
    with pytest.raises(ValueError, match="«data»"):
        linear([("a", 1)])


def test_bad_columns_are_named() -> None:
    with pytest.raises(ValueError, match="«ts»"):
        linear(TOY.assign(ts=TOY["ts"].astype(str)))
    with pytest.raises(ValueError, match="«converted»"):
        linear(TOY.assign(converted=2))
    with pytest.raises(ValueError, match="«converted» должен быть одинаковым"):
        linear(TOY.assign(converted=[True, False, True, True, True, False]))
    with pytest.raises(ValueError, match="«channel»"):
        linear(TOY.assign(channel=["ig", None, "vk", "tg", "ig", "vk"]))
    with pytest.raises(ValueError, match=r"«channel».*«>»"):
        to_paths(TOY.assign(channel="ig > tg"))
    with pytest.raises(ValueError, match=r"«conversions».*отрицательн"):
        linear(paths([("a", -1, 0)]))
    with pytest.raises(ValueError, match="«path»"):
        linear(paths([("a >  > b", 1, 0)]))
    with pytest.raises(ValueError, match="«conversion_ts» и «ts»"):
        time_decay(TOY.assign(conversion_ts=pd.Timestamp("2026-04-01")))
