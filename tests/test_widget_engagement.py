"""EngagementLab driven headless, and its pure functions: ER and CTR rankings under different definitions."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from smmkit import metrics
from smmkit.widgets.engagement import (
    ALL,
    EngagementLab,
    arrow,
    ctr_ranking,
    er_ranking,
    interactions,
    rank_shift,
    telegram_view_rates,
)


@pytest.fixture
def posts(posts: pd.DataFrame) -> pd.DataFrame:
    """The posts lesson 00.01 ranks: the agency's accounts, without the YouTube channels."""
    return posts[posts["platform"] != "YouTube"]


@pytest.fixture
def accounts(accounts: pd.DataFrame) -> pd.DataFrame:
    """The accounts lesson 00.01 ranks (no YouTube channels)."""
    return accounts[accounts["platform"] != "YouTube"]


@pytest.fixture
def lab(posts: pd.DataFrame, accounts: pd.DataFrame, ads: pd.DataFrame) -> EngagementLab:
    """A fresh lab, as the lesson builds it."""
    return EngagementLab(posts, accounts, ads)


# --- er_ranking ------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", ["followers", "reach", "views"])
@pytest.mark.parametrize("method", ["pooled", "mean"])
def test_er_matches_metrics_by_hand(posts: pd.DataFrame, accounts: pd.DataFrame, base: str, method: str) -> None:
    """Every account's ER is metrics.er_period of its posts with the chosen denominator column."""
    column = {"followers": "followers", "reach": "reach", "views": "impressions"}[base]
    ranking = er_ranking(posts, accounts, base=base, method=method)
    assert len(ranking) == 15 and ranking["posts"].sum() == len(posts)
    for account in ("qc_ig", "bo_tt", "jd_fb", "af_tg"):
        mine = posts[posts["account_id"] == account]
        inter = mine["likes"] + mine["comments"] + mine["shares"] + mine["saves"]
        assert ranking.loc[account, "er"] == pytest.approx(metrics.er_period(inter, mine[column], method))
    assert ranking["er"].is_monotonic_decreasing
    assert ranking["rank"].tolist() == list(range(1, 16))


def test_er_ranking_labels_and_first_places(posts: pd.DataFrame, accounts: pd.DataFrame) -> None:
    """Accounts are labelled «Brand · Platform»; TikTok leads by followers, Facebook is last by any base."""
    by_followers = er_ranking(posts, accounts)
    assert by_followers.loc["qc_ig", "label"] == "Qazaq Coffee · Instagram"
    assert by_followers.loc["qc_ig", "platform"] == "Instagram"
    assert set(by_followers.index[:3]) == {"ds_tt", "qc_tt", "bo_tt"}
    assert by_followers.index[0] == "ds_tt"
    for base in ("followers", "reach", "views"):
        assert er_ranking(posts, accounts, base=base).index[-1] == "jd_fb"


def test_er_by_reach_lifts_two_instagram_accounts(posts: pd.DataFrame, accounts: pd.DataFrame) -> None:
    """From ER by followers to ER by reach: Astana Fit's and Jet Delivery's Instagram climb most (Astana Fit
    4th → 2nd: its bought followers see nothing), Dala Style's TikTok and Astana Fit's Telegram fall most."""
    before = er_ranking(posts, accounts, base="followers")
    after = er_ranking(posts, accounts, base="reach")
    shift = rank_shift(after, before)
    assert set(shift[shift == shift.max()].index) == {"af_ig", "jd_ig"} and shift["af_ig"] == 2
    assert (before.loc["af_ig", "rank"], after.loc["af_ig", "rank"]) == (4, 2)
    assert set(shift[shift == shift.min()].index) == {"ds_tt", "af_tg"} and shift["af_tg"] == -2
    assert shift.sum() == 0


def test_er_by_rubric_and_format_of_one_account(posts: pd.DataFrame, accounts: pd.DataFrame) -> None:
    """Rubrics and formats of one account; their posts add up to the account's posts."""
    mine = posts[posts["account_id"] == "qc_ig"]
    rubrics = er_ranking(posts, accounts, by="rubric", account="qc_ig")
    assert set(rubrics.index) == set(mine["rubric"]) and rubrics["posts"].sum() == len(mine)
    assert "platform" not in rubrics.columns and (rubrics["label"] == rubrics.index).all()
    formats = er_ranking(posts, accounts, base="reach", by="format", account="qc_ig")
    assert set(formats.index) == set(mine["format"].astype(str))
    carousel = mine[mine["format"] == "Карусель"]
    assert formats.loc["Карусель", "er"] == pytest.approx(
        interactions(carousel).sum() / carousel["reach"].sum())
    all_formats = er_ranking(posts, accounts, by="format", account=ALL)
    assert all_formats["posts"].sum() == len(posts)


def test_pooled_and_mean_can_disagree(posts: pd.DataFrame, accounts: pd.DataFrame) -> None:
    """Pooled (Σ/Σ) and the mean of per-post ERR give different numbers and can swap places (rubrics of ds_tt)."""
    pooled = er_ranking(posts, accounts, base="reach", method="pooled")
    mean = er_ranking(posts, accounts, base="reach", method="mean")
    assert not pooled["er"].equals(mean["er"].reindex(pooled.index))
    pooled = er_ranking(posts, accounts, base="reach", method="pooled", by="rubric", account="ds_tt")
    mean = er_ranking(posts, accounts, base="reach", method="mean", by="rubric", account="ds_tt")
    assert (rank_shift(mean, pooled).fillna(0) != 0).any()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base": "likes"}, "Аргумент «base» должен быть одним из: «followers», «reach», «views»"),
        ({"method": "sum"}, "Аргумент «method» должен быть одним из"),
        ({"by": "hour"}, "Аргумент «by» должен быть одним из"),
        ({"by": "rubric", "account": "xx_ig"}, "Аргумент «account» должен быть одним из"),
    ],
)
def test_er_bad_arguments(posts: pd.DataFrame, accounts: pd.DataFrame, kwargs: dict, message: str) -> None:
    """Unknown bases, methods, groupings and accounts raise a Russian ValueError."""
    with pytest.raises(ValueError, match=re.escape(message)):
        er_ranking(posts, accounts, **kwargs)


def test_er_bad_tables(posts: pd.DataFrame, accounts: pd.DataFrame, ads: pd.DataFrame) -> None:
    """A missing column or a non-table is explained in Russian."""
    with pytest.raises(ValueError, match="нет столбца\\(ов\\) «saves»"):
        er_ranking(posts.drop(columns="saves"), accounts)
    with pytest.raises(ValueError, match="должна быть DataFrame"):
        er_ranking(posts, accounts.to_dict())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="«ads» нет столбца\\(ов\\) «link_clicks»"):
        EngagementLab(posts, accounts, ads.drop(columns="link_clicks"))


def test_telegram_view_rate_is_not_err(posts: pd.DataFrame, accounts: pd.DataFrame) -> None:
    """TGStat's «ERR» (views / subscribers) is about a third; ER by reach in Telegram is under 5 %."""
    rates = telegram_view_rates(posts, accounts)
    assert set(rates.index) == {"qc_tg", "af_tg", "bo_tg", "jd_tg"}
    assert rates.between(0.25, 0.45).all()
    err = er_ranking(posts, accounts, base="reach").loc[list(rates.index), "er"]
    assert (err < 0.05).all() and (rates / err > 8).all()


# --- ctr_ranking -----------------------------------------------------------------------------------


def test_ctr_by_platform_matches_the_datasheet(ads: pd.DataFrame) -> None:
    """Σ clicks / Σ impressions by platform: the DATASHEET's figures; Telegram Ads all = link."""
    all_clicks = ctr_ranking(ads, "all")
    link = ctr_ranking(ads, "link")
    assert all_clicks.index.tolist() == ["TikTok", "Meta (Instagram)", "Meta (Facebook)", "VK Ads", "Telegram Ads"]
    assert all_clicks.loc["TikTok", "ctr"] == pytest.approx(0.0224, abs=5e-5)
    assert link.loc["Meta (Instagram)", "ctr"] == pytest.approx(0.0116, abs=5e-5)
    assert link.loc["Telegram Ads", "link_share"] == 1.0
    assert all_clicks.loc["VK Ads", "link_share"] == pytest.approx(0.55, abs=0.01)
    assert (all_clicks["ctr_all"] >= all_clicks["ctr_link"]).all()
    assert all_clicks["impressions"].sum() == ads["impressions"].sum()


def test_ctr_ranking_flips_for_campaigns(ads: pd.DataFrame) -> None:
    """By campaign the order changes with the variant: Black Friday climbs, the menu campaign drops."""
    before = ctr_ranking(ads, "all", by="campaign_name")
    after = ctr_ranking(ads, "link", by="campaign_name")
    assert len(before) == 25
    shift = rank_shift(after, before)
    assert shift["DS_BlackFriday_продажи"] == 1 and shift["QC_menu_трафик"] == -2
    assert int((shift != 0).sum()) == 12


def test_ctr_for_one_brand_and_bad_arguments(ads: pd.DataFrame) -> None:
    """A brand filter keeps its platforms only; unknown variants, groupings and brands raise in Russian."""
    bo = ctr_ranking(ads, "link", brand="bilim_online")
    assert bo.index.tolist() == ["TikTok", "Meta (Instagram)", "VK Ads", "Telegram Ads"]
    assert bo.loc["Telegram Ads", "ctr"] == pytest.approx(0.0029, abs=5e-5)
    with pytest.raises(ValueError, match="«variant» должен быть одним из: «all», «link»"):
        ctr_ranking(ads, "views")
    with pytest.raises(ValueError, match="«by» должен быть одним из"):
        ctr_ranking(ads, by="creative")
    with pytest.raises(ValueError, match="«brand» должен быть одним из"):
        ctr_ranking(ads, brand="Bilim Online")


def test_arrow_texts() -> None:
    """Up is a green ▲, down a red ▼, no move «=», unknown nothing."""
    assert "▲&nbsp;3" in arrow(3) and "#1a7f37" in arrow(3)
    assert "▼&nbsp;2" in arrow(-2) and "#c62828" in arrow(-2)
    assert ">=<" in arrow(0)
    assert arrow(pd.NA) == "" and arrow(None) == ""


# --- the widget ------------------------------------------------------------------------------------


def test_defaults_and_russian_labels(lab: EngagementLab) -> None:
    """ER by followers, pooled, by account; CTR all clicks by platform; tabs and controls in Russian."""
    assert (lab.base.value, lab.method.value, lab.by.value) == ("followers", "pooled", "account")
    assert lab.account.disabled
    assert lab.tabs.titles == ("ER", "CTR")
    assert (lab.base.description, lab.method.description, lab.by.description) == (
        "Делим на:", "За период:", "Сравниваем:")
    assert lab.er_state.previous is None and lab.er_state.shift.isna().all()
    assert "Стрелки Δ появятся" in lab.er_formula.value
    assert "<th>Место</th><th>Δ</th><th>Аккаунт</th>" in lab.er_table.value
    assert "Dala Style · TikTok" in lab.er_table.value and "10,17\u00a0%" in lab.er_table.value


def test_switching_the_base_shows_arrows(lab: EngagementLab) -> None:
    """Followers → reach: the table shows the moves, the note names the biggest rise."""
    lab.base.value = "reach"
    st = lab.er_state
    assert st.previous_definition == "ER по подписчикам, Σ взаимодействий / Σ базы"
    assert st.definition == "ER по охвату (ERR), Σ взаимодействий / Σ базы"
    assert st.biggest_rise in ("af_ig", "jd_ig") and st.shift[st.biggest_rise] == 2  # a tie: both rise by 2
    assert "▲&nbsp;2" in lab.er_table.value and "▼&nbsp;2" in lab.er_table.value
    assert "Сильнее всего поднялся: <b>Astana Fit · Instagram" in lab.er_note.value
    assert "прошлым выбором: «ER по подписчикам" in lab.er_formula.value
    lab.method.value = "mean"
    assert lab.er_state.previous_definition == "ER по охвату (ERR), Σ взаимодействий / Σ базы"
    assert lab.er_state.shift.abs().sum() > 0


def test_telegram_note_appears_only_with_telegram(lab: EngagementLab) -> None:
    """The TGStat «ERR» note is shown with Telegram accounts, not for an Instagram account's rubrics."""
    assert "TGStat" in lab.er_note.value and "Bilim Online · Telegram — 31\u00a0%" in lab.er_note.value
    lab.by.value = "rubric"
    assert not lab.account.disabled
    lab.account.value = "qc_ig"
    assert "TGStat" not in lab.er_note.value
    lab.account.value = "jd_tg"
    assert "TGStat" in lab.er_note.value
    assert set(lab.er_state.ranking.index) == {"Акция", "Курьеры", "Меню", "Отзывы", "Рецепт", "Розыгрыш"}


def test_changing_items_resets_the_arrows(lab: EngagementLab) -> None:
    """After switching to another account's formats, arrows refer to nothing and are hidden."""
    lab.base.value = "views"
    assert lab.er_state.previous is not None
    lab.by.value = "format"
    assert lab.er_state.previous is None and "▲" not in lab.er_table.value
    lab.base.value = "reach"
    assert lab.er_state.previous is not None and lab.er_state.ranking.index.name == "format"


def test_ctr_tab(lab: EngagementLab) -> None:
    """CTR: switching the variant keeps the platform order; by campaign nine places change; Telegram is noted."""
    assert "TikTok" in lab.ctr_table.value and "<th>Доля кликов по ссылке</th>" in lab.ctr_table.value
    lab.variant.value = "link"
    assert lab.ctr_state.shift.tolist() == [0] * 5
    assert "Порядок не изменился" in lab.ctr_note.value
    assert "Telegram Ads других кликов нет" in lab.ctr_note.value
    lab.ctr_by.value = "campaign_name"
    assert lab.ctr_state.previous is None
    lab.variant.value = "all"
    assert "Поменяли место: 12 из 25" in lab.ctr_note.value
    lab.brand.value = "bilim_online"
    assert lab.ctr_state.ranking.index.str.startswith("BO_").all()


def test_each_change_updates_the_state(lab: EngagementLab, posts: pd.DataFrame, accounts: pd.DataFrame,
                                       ads: pd.DataFrame) -> None:
    """Every input change is answered at once: a table changes and both rankings follow the controls.

    Speed is measured by ``tools/bench_widgets.py``, not here.
    """
    changes = [(lab.base, "reach"), (lab.method, "mean"), (lab.by, "rubric"), (lab.account, "bo_tg"),
               (lab.variant, "link"), (lab.ctr_by, "campaign_name"), (lab.brand, "dala_style"), (lab.by, "account")]
    for control, value in changes:
        before = (lab.er_table.value, lab.ctr_table.value)
        control.value = value
        assert (lab.er_table.value, lab.ctr_table.value) != before, (control.description, value)
        account = None if lab.by.value == "account" else lab.account.value
        er = er_ranking(posts, accounts, lab.base.value, lab.method.value, lab.by.value, account)
        pd.testing.assert_frame_equal(lab.er_state.ranking, er)
        ctr = ctr_ranking(ads, lab.variant.value, lab.ctr_by.value, lab.brand.value)
        pd.testing.assert_frame_equal(lab.ctr_state.ranking, ctr)
