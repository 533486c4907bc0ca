"""Realism and planted effects of the audience datasets (audience, followers_audit, influencers, the large audit).

Data is regenerated into a temporary folder next to copies of the committed schemas and loaded back with the
schema-checking loader; every planted effect is recovered with the project's own methods (smmkit.analysis).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from smmkit import datasets
from smmkit.analysis.audience import audience_core_summary, choose_k, kmeans_segments, lift_at_k, lookalike_scores
from smmkit.analysis.bots import channel_anomalies, evaluate, flag_bots, tier_of
from smmkit.data import audience_data as ad
from smmkit.data import large
from smmkit.data import universe as u
from smmkit.data.build import render_csv
from smmkit.metrics import cost_per_contact

REPO = Path(__file__).resolve().parents[1]
NAMES = [r.name for r in ad.RECIPES]
SEGMENT_FEATURES = ["age", "orders_12m", "revenue_12m_kzt"]

# Youth of Kazakhstan 2024 (Ministry of Culture & Information / Zhastar), ages 14–35 (rus.baq.kz, 2025-10-09).
YOUTH_PLATFORMS = {
    "WhatsApp": 0.894,
    "Instagram": 0.798,
    "TikTok": 0.639,
    "Telegram": 0.246,
    "Facebook": 0.091,
    "VK": 0.047,
}


@pytest.fixture(scope="module")
def root() -> Path:
    """The three datasets.

    The committed files: tests/test_datasets.py checks, in a fresh process with another hash seed, that
    `smmkit datasets build` writes them byte for byte, so a story read here is the generators' story.
    """
    return REPO / "datasets"


@pytest.fixture(scope="module")
def audience(root: Path) -> pd.DataFrame:
    """The audience dataset as loaded."""
    return datasets.load("audience", root=root)


@pytest.fixture(scope="module")
def followers(root: Path) -> pd.DataFrame:
    """The followers_audit dataset as loaded."""
    return datasets.load("followers_audit", root=root)


@pytest.fixture(scope="module")
def influencers(root: Path) -> pd.DataFrame:
    """The influencers dataset as loaded, with the tier of each channel."""
    df = datasets.load("influencers", root=root)
    return df.assign(tier=tier_of(df["subscribers"]))


def lookalike_features(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """One-hot features as the datasheet suggests: gender, age group, city, interests, platforms."""
    age_group = pd.cut(df["age"], [13, 17, 24, 34, 44, 54, 64]).astype(str)
    parts = [
        (df["gender"] == "ж").astype(int).rename("female"),
        pd.get_dummies(age_group, prefix="age", dtype=int),
        pd.get_dummies(df["city"].astype(str), prefix="city", dtype=int),
        df["interests"].str.get_dummies(sep=";").add_prefix("i_"),
        df["platforms"].str.get_dummies(sep=";").add_prefix("p_"),
    ]
    features = pd.concat(parts, axis=1)
    return pd.concat([df[["user_id"]], features], axis=1), list(features.columns)


# --- files ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_loads_with_its_schema(root: Path, name: str) -> None:
    """Every dataset loads (typed, validated) with exactly the schema's columns, also from the default folder."""
    schema = datasets.read_schema(name, root)
    df = datasets.load(name, root=root)
    assert list(df.columns) == schema.names
    assert len(df) > 0
    assert datasets.load(name).equals(df)


# --- audience: realism ---------------------------------------------------------------------------------------


def test_general_population_demographics(audience: pd.DataFrame) -> None:
    """The general-population sample: gender, age and city mixes in the designed ranges."""
    general = audience[audience["brand_id"].isna()]
    assert len(general) == ad.GENERAL_SIZE
    assert 0.48 <= (general["gender"] == "ж").mean() <= 0.54
    assert 30 <= general["age"].median() <= 40
    assert general["age"].between(14, 64).all()
    cities = general["city"].value_counts(normalize=True)
    assert 0.12 <= cities["Алматы"] <= 0.20
    assert 0.08 <= cities["Астана"] <= 0.14
    assert 0.05 <= cities["Шымкент"] <= 0.10
    assert cities.index[0] == "Другой населённый пункт"


def test_youth_platform_mix_matches_survey(audience: pd.DataFrame) -> None:
    """Platform use at ages 14–35 is within 4 percentage points of the Youth of Kazakhstan 2024 survey."""
    youth = audience[audience["brand_id"].isna() & (audience["age"] <= 35)]
    shares = youth["platforms"].str.get_dummies(sep=";").mean()
    for platform, survey in YOUTH_PLATFORMS.items():
        assert abs(shares[platform] - survey) <= 0.04, (platform, round(shares[platform], 3), survey)


def test_platform_use_shifts_with_age(audience: pd.DataFrame) -> None:
    """TikTok and Instagram fall with age, Facebook rises."""
    general = audience[audience["brand_id"].isna()]
    used = general["platforms"].str.get_dummies(sep=";")
    by_age = used.groupby(pd.cut(general["age"], [13, 24, 44, 64])).mean()
    for platform in ("TikTok", "Instagram"):
        assert by_age[platform].is_monotonic_decreasing, by_age[platform]
    assert by_age["Facebook"].is_monotonic_increasing
    assert by_age["TikTok"].iloc[0] > 2 * by_age["TikTok"].iloc[-1]


def test_brand_lists_tell_their_stories(audience: pd.DataFrame) -> None:
    """Each brand's list looks like its target audience (universe.BRANDS)."""
    lists = {b: g for b, g in audience.groupby("brand_id", observed=True)}
    assert all(len(g) == ad.LIST_SIZE for g in lists.values())
    assert (lists["qazaq_coffee"]["city"] == "Алматы").mean() >= 0.6
    assert (lists["astana_fit"]["city"] == "Астана").mean() >= 0.6
    assert (lists["dala_style"]["gender"] == "ж").mean() >= 0.85
    assert lists["bilim_online"]["age"].median() <= 18
    assert lists["jet_delivery"]["city"].isin(["Шымкент", "Алматы"]).mean() >= 0.55
    evening = {b: g["peak_hour"].mode().iloc[0] for b, g in lists.items()}
    assert all(17 <= hour <= 22 for hour in evening.values()), evening


def test_customers_and_seeds_are_consistent(audience: pd.DataFrame) -> None:
    """Orders and revenue only for customers; seeds are Dala Style's top quarter by revenue; no label for seeds."""
    customers = audience[audience["is_customer"]]
    others = audience[~audience["is_customer"]]
    assert (customers["orders_12m"] >= 1).all() and (customers["revenue_12m_kzt"] > 0).all()
    assert (others["orders_12m"] == 0).all() and (others["revenue_12m_kzt"] == 0).all()
    assert not audience.loc[audience["brand_id"].isna(), "is_customer"].any()
    assert 0.4 <= audience.loc[audience["brand_id"].notna(), "is_customer"].mean() <= 0.5
    seeds = audience[audience["is_seed"]]
    assert (seeds["brand_id"] == ad.LOOKALIKE_BRAND).all() and seeds["is_customer"].all()
    dala = customers[customers["brand_id"] == ad.LOOKALIKE_BRAND]
    assert len(seeds) == pytest.approx(ad.SEED_SHARE * len(dala), abs=3)
    assert seeds["revenue_12m_kzt"].min() >= dala.loc[~dala["is_seed"], "revenue_12m_kzt"].max()
    assert audience["converted_next_month"].isna().equals(audience["is_seed"])
    general = audience.loc[audience["brand_id"].isna(), "converted_next_month"].astype(float)
    assert 0.02 <= general.mean() <= 0.05


def test_revenue_per_order_is_plausible(audience: pd.DataFrame) -> None:
    """Median revenue per order: a coffee < a delivery or a gym visit < a month of exam prep (KZT)."""
    customers = audience[audience["is_customer"]]
    per_order = (
        (customers["revenue_12m_kzt"] / customers["orders_12m"]).groupby(customers["brand_id"], observed=True).median()
    )
    assert 3_000 <= per_order["qazaq_coffee"] <= 6_000
    assert 5_000 <= per_order["jet_delivery"] <= 12_000
    assert 25_000 <= per_order["bilim_online"] <= 45_000
    assert per_order.idxmin() == "qazaq_coffee" and per_order.idxmax() == "bilim_online"


# --- audience: planted effects -------------------------------------------------------------------------------


def test_lookalike_lift_at_10_percent(audience: pd.DataFrame) -> None:
    """Seeds + general population: lookalike scores on gender/age/city/interests/platforms give lift@10% ≈ 3."""
    population = audience[audience["brand_id"].isna() | audience["is_seed"]].reset_index(drop=True)
    table, features = lookalike_features(population)
    scores = lookalike_scores(table, population.loc[population["is_seed"], "user_id"], features)
    assert len(scores) == ad.GENERAL_SIZE
    converted = audience.set_index("user_id")["converted_next_month"].astype(float)
    lift = lift_at_k(scores, converted, k=0.1)
    assert 2.5 <= lift <= 3.5, lift
    # the same model scored on everyone who is not a seed still beats random clearly
    table, features = lookalike_features(audience)
    everyone = lookalike_scores(table, audience.loc[audience["is_seed"], "user_id"], features)
    assert lift_at_k(everyone, converted, k=0.1) >= 2.0


def test_audience_core_is_a_pareto(audience: pd.DataFrame) -> None:
    """About 20 % of customers bring 75–80 % of revenue; the 80 % core is 20–25 % of customers."""
    customers = audience[audience["is_customer"]]
    revenue = np.sort(customers["revenue_12m_kzt"].to_numpy())[::-1]
    top20 = revenue[: round(0.2 * revenue.size)].sum() / revenue.sum()
    assert 0.75 <= top20 <= 0.80, top20
    core = audience_core_summary(customers, value="revenue_12m_kzt", share=0.8)
    assert 0.20 <= core["members_share"] <= 0.25, core


def test_kmeans_finds_four_segments(audience: pd.DataFrame) -> None:
    """k-means on (age, orders, log revenue): silhouette peaks at k = 4 (≥ 0.3) and recovers the designed segments."""
    customers = audience[audience["is_customer"]]
    table = choose_k(customers, SEGMENT_FEATURES, range(2, 7), log_features=["revenue_12m_kzt"])
    assert table["silhouette"].idxmax() == 4, table
    assert table.loc[4, "silhouette"] >= 0.3
    labels, summary = kmeans_segments(customers, SEGMENT_FEATURES, 4, log_features=["revenue_12m_kzt"])
    designed = ad._audience_frame(ad.AUDIENCE_SEED)
    truth = designed.loc[designed["is_customer"], "segment"].to_numpy()
    assert adjusted_rand_score(truth, labels.to_numpy()) >= 0.9
    assert summary["age"].min() < 18 and summary["revenue_12m_kzt"].max() > 500_000


# --- followers audit -----------------------------------------------------------------------------------------


def _bought_batch(followers: pd.DataFrame) -> pd.Series:
    day = followers["followed_at"].dt.strftime("%Y-%m-%d")
    return (followers["account_id"] == "af_ig") & (day == ad.BOUGHT_ON)


def test_followers_audit_accounts_and_history(followers: pd.DataFrame) -> None:
    """Row counts per account, follows within each account's life and before "today", period growth as in posts."""
    counts = followers["account_id"].value_counts()
    assert counts.to_dict() == {s.account_id: s.rows for s in ad.FOLLOWER_SPECS}
    posts = datasets.load("posts")
    last = posts[posts["account_id"] == "af_ig"]["followers"].iloc[-1]
    assert counts["af_ig"] == pytest.approx(last, rel=0.01)  # the complete list of @astana.fit
    assert followers["followed_at"].max() < pd.Timestamp(u.STORY_NOW)
    for spec in ad.FOLLOWER_SPECS:
        own = followers[followers["account_id"] == spec.account_id]
        assert own["followed_at"].min() >= pd.Timestamp(spec.opened, tz=u.TIMEZONE)
        in_period = (own["followed_at"] >= pd.Timestamp("2025-09-01", tz=u.TIMEZONE)).sum()
        assert in_period == spec.period_rows
    since_follow = (pd.Timestamp(ad.AUDIT_DATE) - followers["followed_at"]).dt.days
    assert (followers["account_age_days"] >= since_follow).all()


def test_followed_at_keeps_the_old_almaty_offset(root: Path, followers: pd.DataFrame) -> None:
    """Raw timestamps carry +06:00 before 2024-03-01 and +05:00 after; loaded, they are Asia/Almaty."""
    raw = pd.read_csv(
        root / "followers_audit" / "followers_audit.csv", usecols=["followed_at"], dtype=str, encoding="utf-8-sig"
    )["followed_at"]
    old = raw < "2024-03-01"
    assert raw[old].str.endswith("+06:00").all() and raw[~old].str.endswith("+05:00").all()
    assert 0.3 <= old.mean() <= 0.7  # both offsets occur often
    assert str(followers["followed_at"].dt.tz) == u.TIMEZONE


def test_accounts_are_older_than_their_follow(followers: pd.DataFrame) -> None:
    """Registration (audit day − ``account_age_days``) comes before the follow (bug: 11 accounts were younger)."""
    audit = pd.Timestamp("2026-03-01", tz="Asia/Almaty")
    registered = audit - pd.to_timedelta(followers["account_age_days"], unit="D")
    followed = pd.to_datetime(followers["followed_at"], utc=True)
    assert (registered < followed).all()


def test_bot_base_share_and_ratios(followers: pd.DataFrame) -> None:
    """Outside the bought batch 5–15 % bots per account; bots follow ≫ their followers, people ≈ 1:1."""
    organic = followers[~_bought_batch(followers)]
    shares = organic.groupby("account_id", observed=True)["is_bot"].mean()
    assert shares.between(0.05, 0.15).all(), shares
    ratio = followers["following"] / followers["followers"].clip(lower=1)
    bots, people = ratio[followers["is_bot"]], ratio[~followers["is_bot"]]
    assert bots.median() > 10 and (bots > 10).mean() >= 0.7 and (bots > 40).mean() >= 0.4
    assert 0.7 <= people.median() <= 1.5
    assert followers["following"].max() <= ad.INSTAGRAM_MAX_FOLLOWING
    assert followers["comments_duplicate_share"].notna().mean() < 0.5  # most followers never comment


def test_bought_batch_is_visible_and_half_bots(followers: pd.DataFrame) -> None:
    """@astana.fit got ~3,000 followers in one night on BOUGHT_ON (2025-11-15); 40–60 % of them are bots."""
    af = followers[followers["account_id"] == "af_ig"]
    daily = af.groupby(af["followed_at"].dt.strftime("%Y-%m-%d")).size()
    assert daily.idxmax() == ad.BOUGHT_ON
    assert 2_950 <= daily.max() - daily.median() <= 3_050
    batch = followers[_bought_batch(followers)]
    assert 0.4 <= batch["is_bot"].mean() <= 0.6
    assert batch["followed_at"].dt.hour.between(0, 5).mean() > 0.99


def test_bot_rules_catch_the_bots(followers: pd.DataFrame) -> None:
    """smmkit.analysis.bots rules at the default threshold: precision ≥ 0.8, recall ≥ 0.7 (also on the batch)."""
    flags = flag_bots(followers)
    quality = evaluate(flags, followers["is_bot"])
    assert quality.precision >= 0.8 and quality.recall >= 0.7, quality
    batch_bots = _bought_batch(followers) & followers["is_bot"]
    assert flags[batch_bots].mean() >= 0.7


# --- the large followers audit -------------------------------------------------------------------------------


def test_large_audit_matches_the_committed_table(tmp_path: Path) -> None:
    """On 50k rows: same columns and dtypes as the committed table, deterministic, same CSV format, loadable."""
    small = large.make_followers_audit_large(n=50_000, seed=7)
    committed = ad.make_followers_audit()
    assert len(small) == 50_000
    assert list(small.columns) == list(committed.columns)
    assert small.dtypes.astype(str).to_dict() == committed.dtypes.astype(str).to_dict()
    pd.testing.assert_frame_equal(small, large.make_followers_audit_large(n=50_000, seed=7))
    assert small["follower_id"].is_unique and small["username"].is_unique
    assert 0.10 <= small["is_bot"].mean() <= 0.15
    assert large.render_large_csv(small) == render_csv(small)
    path = large.write_large(tmp_path, n=50_000, seed=7)
    assert path == tmp_path / "_generated" / "followers_audit_large.csv"
    (tmp_path / "followers_audit_large").mkdir()
    schema = (REPO / "datasets" / "followers_audit" / "schema.yaml").read_text(encoding="utf-8")
    (tmp_path / "followers_audit_large" / "schema.yaml").write_text(
        schema.replace("name: followers_audit\n", "name: followers_audit_large\n", 1), encoding="utf-8"
    )
    shutil.move(path, tmp_path / "followers_audit_large" / "followers_audit_large.csv")
    loaded = datasets.load("followers_audit_large", root=tmp_path)
    assert len(loaded) == 50_000
    quality = evaluate(flag_bots(loaded), loaded["is_bot"])
    assert quality.precision >= 0.8 and quality.recall >= 0.7


def test_large_default_is_beyond_excel() -> None:
    """The default size does not fit one Excel sheet (1,048,576 rows)."""
    assert large.LARGE_ROWS > 1_048_576
    with pytest.raises(ValueError, match="не меньше 100"):
        large.make_followers_audit_large(n=10)


# --- influencers ---------------------------------------------------------------------------------------------


def test_influencer_counts_and_derived_columns(influencers: pd.DataFrame) -> None:
    """300 channels; er and tg_view_rate agree with their inputs; tg_view_rate only on Telegram."""
    assert influencers["platform"].value_counts().to_dict() == dict(ad.PLATFORM_COUNTS)
    er = influencers["avg_interactions"] / influencers["subscribers"]
    assert np.allclose(influencers["er"], er, atol=5e-5)
    telegram = influencers["platform"] == "Telegram"
    assert influencers.loc[telegram, "tg_view_rate"].notna().all()
    assert influencers.loc[~telegram, "tg_view_rate"].isna().all()
    view_rate = influencers["avg_views"] / influencers["subscribers"]
    assert np.allclose(influencers.loc[telegram, "tg_view_rate"], view_rate[telegram], atol=5e-5)
    assert (influencers["avg_views"] < influencers["subscribers"]).all()
    matches = influencers[[f"audience_match_{b.brand_id}" for b in u.BRANDS]]
    assert matches.le(influencers["audience_kz_share"], axis=0).all().all()  # the target audience lives in KZ


def test_subscribers_are_heavy_tailed(influencers: pd.DataFrame) -> None:
    """A lognormal body and a Pareto tail: a few channels hold most subscribers; all five tiers occur."""
    subs = influencers["subscribers"].sort_values(ascending=False)
    assert subs.max() / subs.median() > 50
    assert subs.iloc[: len(subs) // 10].sum() / subs.sum() > 0.5
    instagram = influencers[influencers["platform"] == "Instagram"]
    assert set(instagram["tier"]) == {"нано", "микро", "средний", "макро", "мега"}


def test_er_falls_with_tier(influencers: pd.DataFrame) -> None:
    """Honest channels: median ER falls tier by tier; Instagram near the Statista/HypeAuditor tier norms."""
    honest = influencers[~influencers["bought_subscribers"]]
    order = ["нано", "микро", "средний", "макро", "мега"]
    for platform in ("Instagram", "TikTok"):
        own = honest[honest["platform"] == platform]
        medians = own.groupby("tier")["er"].median().reindex(order).dropna()
        assert medians.is_monotonic_decreasing, (platform, medians)
        slope = np.polyfit(np.log(own["subscribers"]), np.log(own["er"]), 1)[0]
        assert -0.4 <= slope <= -0.08, (platform, slope)
    ig = honest[honest["platform"] == "Instagram"].groupby("tier")["er"].median()
    assert 0.035 <= ig["нано"] <= 0.06 and 0.02 <= ig["микро"] <= 0.035 and 0.013 <= ig["средний"] <= 0.025
    assert 0.007 <= ig["мега"] <= 0.016
    telegram = honest[honest["platform"] == "Telegram"]
    assert 0.005 <= telegram["er"].median() <= 0.03  # telagon.io: 0.5–3 % is "average"
    assert 0.20 <= telegram["tg_view_rate"].median() <= 0.35
    assert (telegram["tg_view_rate"] <= 0.40).all()
    assert (telegram["tg_view_rate"] >= 0.10).sum() == len(telegram) - ad.DORMANT_CHANNELS


def test_price_grows_as_a_power_of_size(influencers: pd.DataFrame) -> None:
    """log price ~ 0.7 · log subscribers per platform; KZT levels of a micro and a mega Instagram blogger."""
    for _, own in influencers.groupby("platform", observed=True):
        slope = np.polyfit(np.log(own["subscribers"]), np.log(own["price_kzt"]), 1)[0]
        assert 0.6 <= slope <= 0.8, slope
    ig = influencers[influencers["platform"] == "Instagram"].groupby("tier")["price_kzt"].median()
    assert 40_000 <= ig["микро"] <= 120_000 and 1_000_000 <= ig["мега"] <= 3_000_000


def test_channel_anomalies_flag_bought_subscribers(influencers: pd.DataFrame) -> None:
    """About 10 % bought subscribers; channel_anomalies flags them with precision ≥ 0.8 (and recall ≥ 0.8)."""
    assert influencers["bought_subscribers"].mean() == pytest.approx(ad.BOUGHT_SHARE, abs=0.01)
    flags = channel_anomalies(influencers)["suspicious"]
    quality = evaluate(flags, influencers["bought_subscribers"])
    assert quality.precision >= 0.8 and quality.recall >= 0.8, quality
    bought = influencers["bought_subscribers"]
    assert influencers.loc[bought, "bot_share"].median() > 2 * influencers.loc[~bought, "bot_share"].median()


@pytest.mark.parametrize("brand_id", [b.brand_id for b in u.BRANDS])
def test_cost_per_target_contact_reorders_channels(influencers: pd.DataFrame, brand_id: str) -> None:
    """Cheapest per post ≠ cheapest per target contact: the rankings barely agree for every brand."""
    cost = cost_per_contact(
        influencers["price_kzt"], influencers["avg_views"], influencers[f"audience_match_{brand_id}"]
    )
    rho = influencers["price_kzt"].rank().corr(cost.rank())
    assert rho < 0.3, rho
    cheapest_post = set(influencers.nsmallest(10, "price_kzt").index)
    cheapest_contact = set(cost.nsmallest(10).index)
    assert len(cheapest_post & cheapest_contact) <= 2
