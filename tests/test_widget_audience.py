"""AudienceExplorer driven headless, and its pure functions: filters, platform concentration, segment summary."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from smmkit import datasets
from smmkit.analysis.audience import audience_core_summary
from smmkit.widgets.audience import (
    ALL,
    GENERAL,
    AudienceExplorer,
    AudienceIndex,
    core_rows,
    filter_audience,
    platform_concentration,
    segment_summary,
)

PLATFORMS = ["WhatsApp", "Instagram", "TikTok", "Telegram", "Facebook", "VK"]


@pytest.fixture
def explorer(audience: pd.DataFrame) -> AudienceExplorer:
    """A fresh explorer, as the lesson builds it."""
    return AudienceExplorer(audience)


def _has(values: pd.Series, item: str) -> pd.Series:
    """Plain pandas: does the semicolon list contain ``item``?"""
    return values.str.split(";").apply(lambda items: item in items)


# --- filter_audience -------------------------------------------------------------------------------


def test_brand_filter_counts(audience: pd.DataFrame) -> None:
    """Each brand list has 2 200 people, the general sample 8 000; «Все» and None keep all 19 000."""
    assert len(filter_audience(audience)) == len(filter_audience(audience, brand=ALL)) == 19_000
    for brand in ("qazaq_coffee", "dala_style", "astana_fit", "bilim_online", "jet_delivery"):
        rows = filter_audience(audience, brand=brand)
        assert len(rows) == 2_200 and set(rows["brand_id"]) == {brand}
    general = filter_audience(audience, brand=GENERAL)
    assert len(general) == 8_000 and general["brand_id"].isna().all()


def test_platforms_and_interests_are_any_of(audience: pd.DataFrame) -> None:
    """A person matches if at least one chosen platform (interest) is in their semicolon list."""
    rows = filter_audience(audience, platforms=["VK", "Facebook"])
    expected = _has(audience["platforms"], "VK") | _has(audience["platforms"], "Facebook")
    assert rows.index.equals(audience.index[expected])
    rows = filter_audience(audience, interests=("мода", "авто"))
    expected = _has(audience["interests"], "мода") | _has(audience["interests"], "авто")
    assert rows.index.equals(audience.index[expected])
    # «кофе» must not match inside another word, and a single string works like a one-item list
    assert filter_audience(audience, interests="кофе").index.equals(
        audience.index[_has(audience["interests"], "кофе")])


def test_combined_filters_match_plain_pandas(audience: pd.DataFrame) -> None:
    """Women 18–24 from Almaty interested in fashion: the same rows as a hand-written pandas filter."""
    rows = filter_audience(audience, age=(18, 24), cities=["Алматы"], interests=["мода"], gender="ж")
    a = audience
    hand = a[a["age"].between(18, 24) & a["city"].eq("Алматы") & _has(a["interests"], "мода") & a["gender"].eq("ж")]
    assert rows.index.equals(hand.index)
    assert len(rows) == 213
    both = filter_audience(audience, brand="dala_style", age=(18, 24), cities=["Алматы"], interests=["мода"],
                           gender="ж", platforms=["TikTok"])
    assert set(both["brand_id"]) == {"dala_style"} and both["platforms"].str.contains("TikTok").all()


def test_age_is_inclusive_and_default_keeps_everyone(audience: pd.DataFrame) -> None:
    """Age bounds are inclusive; the default (14, 80) keeps every person."""
    rows = filter_audience(audience, age=(18, 24))
    assert rows["age"].between(18, 24).all() and {18, 24} <= set(rows["age"])
    assert len(filter_audience(audience, age=(14, 80))) == len(audience)
    assert filter_audience(audience, age=(70, 80)).empty
    assert len(filter_audience(audience, age=(30, 30))) == int((audience["age"] == 30).sum())


def test_empty_choices_are_no_filter(audience: pd.DataFrame) -> None:
    """Empty lists mean «no filter», as in the widget when nothing is selected."""
    assert len(filter_audience(audience, platforms=[], cities=(), interests=[], gender=ALL)) == len(audience)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"platforms": ["Одноклассники"]}, "Нет площадки «Одноклассники»"),
        ({"cities": ["Алма-Ата"]}, "Нет города «Алма-Ата»"),
        ({"interests": ["вязание"]}, "Нет интереса «вязание»"),
        ({"brand": "coffee"}, "Нет бренда «coffee»"),
        ({"gender": "f"}, "Нет пола «f»"),
        ({"age": (40, 20)}, "Возраст «от» (40) больше, чем «до» (20)"),
        ({"age": 18}, "Возраст задаётся парой чисел"),
    ],
)
def test_bad_filters_raise_in_russian(audience: pd.DataFrame, kwargs: dict, message: str) -> None:
    """Unknown values name what is allowed; a reversed or malformed age range is explained."""
    with pytest.raises(ValueError, match=re.escape(message)):
        filter_audience(audience, **kwargs)


def test_bad_tables_raise_in_russian(audience: pd.DataFrame) -> None:
    """Not a DataFrame, or a table without the needed columns, gives a Russian error."""
    with pytest.raises(ValueError, match="должна быть DataFrame"):
        filter_audience(audience.to_dict())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"нет столбца.*«platforms»"):
        filter_audience(audience.drop(columns="platforms"))
    with pytest.raises(ValueError, match=r"нет столбца.*«revenue_12m_kzt»"):
        AudienceExplorer(audience.drop(columns="revenue_12m_kzt"))


def test_index_mask_equals_filter(audience: pd.DataFrame) -> None:
    """The widget's precomputed index gives the same rows as the pure function."""
    index = AudienceIndex(audience)
    assert index.platforms == tuple(PLATFORMS)
    assert index.cities[0] == "Алматы" and len(index.cities) == 17 and len(index.interests) == 18
    mask = index.mask("bilim_online", ["Telegram"], (15, 17), (), ["ЕНТ и поступление"], None)
    rows = filter_audience(audience, "bilim_online", ["Telegram"], (15, 17), (), ["ЕНТ и поступление"])
    assert audience.index[mask].equals(rows.index)


# --- platform_concentration ------------------------------------------------------------------------


def test_concentration_matches_get_dummies(audience: pd.DataFrame) -> None:
    """Shares are the column means of ``str.get_dummies``; rows are sorted by share, highest first."""
    conc = platform_concentration(audience)
    dummies = audience["platforms"].str.get_dummies(sep=";")
    assert set(conc.index) == set(PLATFORMS) and list(conc.columns) == ["people", "share"]
    for platform in PLATFORMS:
        assert conc.loc[platform, "people"] == dummies[platform].sum()
        assert conc.loc[platform, "share"] == pytest.approx(dummies[platform].mean())
    assert conc["share"].is_monotonic_decreasing
    assert conc.index[0] == "WhatsApp"


def test_concentration_against_a_base(audience: pd.DataFrame) -> None:
    """With a base: base_share and affinity = share / base_share. Young fashion fans are over-represented in TikTok."""
    segment = filter_audience(audience, age=(18, 24), cities=["Алматы"], interests=["мода"], gender="ж")
    conc = platform_concentration(segment, audience)
    assert conc["affinity"].to_numpy() == pytest.approx((conc["share"] / conc["base_share"]).to_numpy())
    assert conc["affinity"].idxmax() == "TikTok"
    assert conc.loc["TikTok", "affinity"] == pytest.approx(1.44, abs=0.01)
    assert conc.loc["Facebook", "affinity"] < 0.5
    same = platform_concentration(audience, audience)
    assert same["affinity"].to_numpy() == pytest.approx(np.ones(6))


def test_concentration_of_nobody(audience: pd.DataFrame) -> None:
    """An empty segment: zero people and NaN shares (no division warnings)."""
    conc = platform_concentration(audience.iloc[0:0], audience)
    assert (conc["people"] == 0).all() and conc["share"].isna().all() and conc["affinity"].isna().all()


# --- segment_summary and the core ------------------------------------------------------------------


def test_summary_of_all_customers_is_the_datasheet_core(audience: pd.DataFrame) -> None:
    """The whole base: 5 102 customers, the core of 1 125 (22.1 %) brings 80 % — as in the DATASHEET."""
    s = segment_summary(audience, audience)
    assert (s["size"], s["base_size"], s["share"]) == (19_000, 19_000, 1.0)
    assert s["customers"] == 5_102 and s["revenue_share"] == 1.0
    assert s["core_members"] == 1_125
    assert s["core_members_share"] == pytest.approx(0.221, abs=0.0005)
    assert 0.8 <= s["core_value_share"] < 0.801
    direct = audience_core_summary(audience[audience["is_customer"]], value="revenue_12m_kzt", share=0.8)
    assert s["core_members_share"] == direct["members_share"] and s["core_value_share"] == direct["value_share"]
    assert len(core_rows(audience)) == 1_125


def test_summary_of_a_brand_segment(audience: pd.DataFrame) -> None:
    """Share of the base, the profile and the revenue share of a Dala Style segment."""
    base = filter_audience(audience, brand="dala_style")
    segment = filter_audience(audience, brand="dala_style", age=(25, 44))
    s = segment_summary(segment, base, core_share=0.5)
    assert s["share"] == pytest.approx(len(segment) / 2_200)
    assert s["women_share"] > 0.85 and 25 <= s["median_age"] <= 44
    customers = segment[segment["is_customer"]]
    assert s["customers"] == len(customers)
    assert s["revenue_share"] == pytest.approx(
        customers["revenue_12m_kzt"].sum() / base.loc[base["is_customer"], "revenue_12m_kzt"].sum())
    assert 0.5 <= s["core_value_share"] and s["core_members"] == len(core_rows(segment, 0.5))


def test_summary_without_customers(audience: pd.DataFrame) -> None:
    """The general sample has no customers: zero revenue and NaN core shares, not an error."""
    general = filter_audience(audience, brand=GENERAL)
    s = segment_summary(general, general)
    assert s["customers"] == 0 and s["core_members"] == 0
    assert math.isnan(s["core_members_share"]) and math.isnan(s["revenue_share"])
    empty = segment_summary(general.iloc[0:0], general)
    assert empty["size"] == 0 and math.isnan(empty["median_age"])


# --- the widget ------------------------------------------------------------------------------------


def test_defaults_and_russian_labels(explorer: AudienceExplorer, audience: pd.DataFrame) -> None:
    """Starts on everyone; controls are in Russian; the brand list offers «Все», five brands, the general sample."""
    assert explorer.brand.value == ALL and explorer.age.value == (14, 64)
    assert (explorer.brand.description, explorer.age.description, explorer.platforms.description,
            explorer.cities.description, explorer.interests.description) == (
        "Список:", "Возраст:", "Площадки:", "Города:", "Интересы:")
    assert [v for _, v in explorer.brand.options] == [ALL, "qazaq_coffee", "dala_style", "astana_fit",
                                                       "bilim_online", "jet_delivery", GENERAL]
    assert explorer.brand.options[2][0] == "Dala Style (2\u202f200)"
    st = explorer.state
    assert len(st.segment) == len(st.base) == len(audience)
    assert "Сегмент: 19\u202f000 чел." in explorer.summary.value
    assert "1\u202f125 из 5\u202f102" in explorer.summary.value and "22,1\u00a0%" in explorer.summary.value
    assert "Заметной концентрации нет" in explorer.summary.value  # everyone = the base: all indexes are 1


def test_controls_drive_the_state_and_charts(explorer: AudienceExplorer) -> None:
    """Setting filters narrows the segment; the summary, table and both FigureWidgets show it."""
    explorer.brand.value = "dala_style"
    explorer.gender.value = "ж"
    explorer.age.value = (18, 24)
    explorer.cities.value = ("Алматы",)
    explorer.interests.value = ("мода",)
    st = explorer.state
    assert len(st.segment) == 55 and len(st.base) == 2_200
    assert st.segment["age"].between(18, 24).all() and (st.segment["city"] == "Алматы").all()
    assert "Сегмент: 55 чел.</b> — 2,5\u00a0% базы «Dala Style»" in explorer.summary.value
    assert st.top_platform == "Instagram" and st.most_concentrated == "TikTok"
    assert "сконцентрированы в TikTok" in explorer.summary.value
    bars = explorer.concentration_figure.data[0]
    assert list(bars.x) == PLATFORMS
    assert list(bars.y) == pytest.approx(st.concentration.reindex(PLATFORMS)["share"].tolist())
    assert list(explorer.concentration_figure.data[1].y) == pytest.approx(
        st.concentration.reindex(PLATFORMS)["base_share"].tolist())
    ages, cities = explorer.profile_figure.data
    assert sum(ages.y) == 55 and sum(ages.y[list(ages.x).index(a)] for a in range(18, 25)) == 55
    assert cities.x[list(cities.y).index("Алматы")] == pytest.approx(1.0)
    assert "<th>Индекс</th>" in explorer.table.value and "TikTok" in explorer.table.value


def test_platform_filter_is_any_of_in_the_widget(explorer: AudienceExplorer) -> None:
    """Choosing VK and Facebook keeps people on at least one of them; the bars of both are the largest."""
    explorer.platforms.value = ("VK", "Facebook")
    st = explorer.state
    on = st.segment["platforms"].str.contains("VK") | st.segment["platforms"].str.contains("Facebook")
    assert on.all() and len(st.segment) == int(
        (_has(explorer._df["platforms"], "VK") | _has(explorer._df["platforms"], "Facebook")).sum())
    assert st.concentration.loc[["VK", "Facebook"], "affinity"].min() > 1.5


def test_group_switch_shows_customers_and_core(explorer: AudienceExplorer) -> None:
    """«клиенты» and «ядро аудитории» describe only them; the core is smaller and follows the core slider."""
    explorer.brand.value = "astana_fit"
    explorer.group.value = "customers"
    customers = explorer.state.group
    assert customers["is_customer"].all()
    explorer.group.value = "core"
    st = explorer.state
    assert len(st.group) == st.summary["core_members"] < len(customers)
    assert sum(explorer.profile_figure.data[0].y) == len(st.group)
    assert "ядро аудитории" in explorer.concentration_figure.layout.title.text
    explorer.core_share.value = 0.5
    assert len(explorer.state.group) < len(st.group)
    assert explorer.state.summary["core_value_share"] >= 0.5


def test_general_sample_and_empty_segment(explorer: AudienceExplorer) -> None:
    """No customers: the widget says why there is no core. Nobody: it says so, and the bars drop to zero."""
    explorer.brand.value = GENERAL
    assert "Клиентов в сегменте нет" in explorer.summary.value
    explorer.age.value = (64, 64)
    explorer.interests.value = ("ЕНТ и поступление",)
    explorer.cities.value = ("Туркестан",)
    assert explorer.state.segment.empty
    assert "ослабьте фильтры" in explorer.summary.value
    assert list(explorer.concentration_figure.data[0].y) == [0.0] * 6
    assert sum(explorer.profile_figure.data[0].y) == 0


def test_each_change_updates_the_state(explorer: AudienceExplorer, audience: pd.DataFrame) -> None:
    """Every input change is answered at once: the summary changes and the segment follows all the controls.

    Speed is measured by ``tools/bench_widgets.py``, not here.
    """
    changes = [(explorer.brand, "dala_style"), (explorer.gender, "ж"), (explorer.age, (18, 24)),
               (explorer.platforms, ("TikTok",)), (explorer.cities, ("Алматы",)), (explorer.interests, ("мода",)),
               (explorer.group, "core"), (explorer.brand, ALL)]
    for control, value in changes:
        before = explorer.summary.value
        control.value = value
        assert explorer.summary.value != before, (control.description, value)
        expected = filter_audience(audience, explorer.brand.value, explorer.platforms.value, explorer.age.value,
                                   explorer.cities.value, explorer.interests.value, explorer.gender.value)
        assert explorer.state.segment.index.equals(expected.index), (control.description, value)
    assert explorer.state.group.index.equals(core_rows(explorer.state.segment, explorer.core_share.value).index)


def test_plain_csv_gives_the_same_rows(audience: pd.DataFrame) -> None:
    """A table read with plain pandas (strings, NaN brand) filters and summarises like the typed one."""
    raw = pd.read_csv(datasets.csv_path("audience"), encoding="utf-8-sig")
    kwargs = {"brand": "dala_style", "age": (18, 34), "cities": ["Алматы", "Астана"], "platforms": ["TikTok"]}
    assert filter_audience(raw, **kwargs)["user_id"].tolist() == filter_audience(audience, **kwargs)["user_id"].tolist()
    assert len(filter_audience(raw, brand=GENERAL)) == 8_000
    assert segment_summary(raw, raw)["core_members"] == 1_125
    explorer = AudienceExplorer(raw)
    assert sorted(explorer.cities.options) == sorted(AudienceIndex(audience).cities)  # without categories: sorted
