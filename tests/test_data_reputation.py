"""Realism and planted effects of the reputation and partner datasets (modules 03, 04, 11, 12).

The datasets are regenerated from their generators into a temporary folder (with the committed schemas) and
loaded back through the schema-checking loader; each planted effect is recovered with the project's methods.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from smmkit import datasets, metrics
from smmkit.analysis.reputation import daily_mentions, negative_alerts, share_of_voice_table, sla_report
from smmkit.analysis.sentiment import evaluate_labels, score_series
from smmkit.data import partners_data, reputation_data
from smmkit.data import universe as u

REPO = Path(__file__).resolve().parents[1]
RECIPES = reputation_data.RECIPES + partners_data.RECIPES
NAMES = [r.name for r in RECIPES]
STORY_NOW = pd.Timestamp(u.STORY_NOW)
CRISIS_DAY = pd.Timestamp(reputation_data.CRISIS_START)
CRISIS_WINDOW = pd.date_range(CRISIS_DAY, periods=len(reputation_data.CRISIS_VOLUME), freq="D")
LEXICON_ACCURACY = 0.8264
"""Accuracy of smmkit.analysis.sentiment.label_text on the comments (documented in the datasheet)."""


@pytest.fixture(scope="module")
def root() -> Path:
    """This module's datasets.

    The committed files: tests/test_datasets.py checks, in a fresh process with another hash seed, that
    `smmkit datasets build` writes them byte for byte, so a story read here is the generators' story.
    """
    return REPO / "datasets"


@pytest.fixture(scope="module")
def comments(root: Path) -> pd.DataFrame:
    """The regenerated comments, loaded."""
    return datasets.load("comments", root=root)


@pytest.fixture(scope="module")
def mentions(root: Path) -> pd.DataFrame:
    """The regenerated mentions, loaded."""
    return datasets.load("mentions", root=root)


@pytest.fixture(scope="module")
def tasks(root: Path) -> pd.DataFrame:
    """The regenerated partner tasks, loaded."""
    return datasets.load("partner_tasks", root=root)


def _day(stamps: pd.Series) -> pd.Series:
    """Local calendar day (naive midnight) of tz-aware stamps."""
    return stamps.dt.tz_convert(u.TIMEZONE).dt.tz_localize(None).dt.normalize()


def _ordinary(frame: pd.DataFrame, ts: str = "created_at") -> pd.Series:
    """Rows outside the crisis brand's crisis week."""
    return ~_day(frame[ts]).isin(CRISIS_WINDOW)


# --- files ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [("comments", 8000, 12000), ("mentions", 6000, 10000), ("nps_survey", 2000, 3000), ("partner_tasks", 80, 150),
     ("content_plan_template", 15, 15)],
)  # fmt: skip
def test_loads_with_schema_and_datasheet(root: Path, name: str, low: int, high: int) -> None:
    """Every dataset loads typed in schema order, has its row count, and its datasheet names every column."""
    schema = datasets.read_schema(name, root)
    df = datasets.load(name, root=root)
    assert list(df.columns) == schema.names
    assert low <= len(df) <= high
    sheet = (REPO / "datasets" / name / "DATASHEET.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in sheet
    for col in schema.columns:
        assert f"`{col.name}`" in sheet, col.name
        if col.type == "category":
            assert df[col.name].notna().all(), col.name


def test_nothing_after_story_now(root: Path) -> None:
    """No timestamp of the reputation data lies after the story's «today»."""
    for name, cols in (("comments", ["created_at", "replied_at"]), ("mentions", ["published_at"]),
                       ("nps_survey", ["responded_at"]), ("partner_tasks", ["received_at"])):  # fmt: skip
        df = datasets.load(name, root=root)
        for col in cols:
            assert (df[col].dropna() <= STORY_NOW).all(), (name, col)


# --- comments -------------------------------------------------------------------------------------------


def test_sentiment_mix_on_ordinary_days(comments: pd.DataFrame) -> None:
    """Per brand, outside the crisis: 60–75 % neutral, 15–25 % positive, 5–15 % negative
    (Mention via marketingprofs.com, 2014; course range)."""
    ordinary = comments[_ordinary(comments)]
    shares = pd.crosstab(ordinary["brand_id"], ordinary["sentiment"], normalize="index")
    assert shares["neutral"].between(0.60, 0.75).all(), shares
    assert shares["positive"].between(0.15, 0.25).all(), shares
    assert shares["negative"].between(0.05, 0.15).all(), shares


def test_crisis_days(comments: pd.DataFrame) -> None:
    """Jet Delivery, 22–24 Jan 2026: negative share > 40 %, volume ×3–5 the previous four weeks' mean."""
    daily = daily_mentions(comments[comments["brand_id"].eq(reputation_data.CRISIS_BRAND)])
    before = daily.loc[CRISIS_DAY - pd.Timedelta(days=28) : CRISIS_DAY - pd.Timedelta(days=1), "total"].mean()
    crisis = daily.loc[CRISIS_WINDOW[:3]]
    assert (crisis["negative_share"] > 0.40).all()
    assert crisis["total"].div(before).between(3, 5).all(), crisis["total"] / before
    assert (daily.drop(CRISIS_WINDOW[:3])["negative_share"] < 0.40).all()


@pytest.mark.parametrize("method", ["ewma", "sigma"])
def test_negative_alerts_fire_on_the_crisis_day_only(comments: pd.DataFrame, method: str) -> None:
    """negative_alerts (defaults: span 7, k = 3) fires on 22 Jan; ≤ 2 false alarms outside the crisis week."""
    daily = daily_mentions(comments[comments["brand_id"].eq(reputation_data.CRISIS_BRAND)])
    alerts = negative_alerts(daily, method=method)
    days = alerts.index[alerts["alert"]]
    assert CRISIS_DAY in days
    assert not alerts.loc[CRISIS_DAY - pd.Timedelta(days=1), "alert"]
    assert len(days.difference(CRISIS_WINDOW)) <= 2


def test_no_post_has_more_rows_than_its_comment_count(comments: pd.DataFrame) -> None:
    """A post's rows here never outnumber its ``comments`` in posts (bug: 164 posts had more rows than comments)."""
    rows = comments["post_id"].dropna().value_counts()
    counted = datasets.load("posts").set_index("post_id")["comments"].reindex(rows.index)
    assert counted.notna().all() and (rows <= counted).all()


def test_lexicon_accuracy(comments: pd.DataFrame) -> None:
    """The course's lexicon scorer is right on 70–90 % of the hand labels, not all of them (sarcasm etc.)."""
    result = evaluate_labels(score_series(comments["text"])["label"], comments["sentiment"])
    assert 0.7 <= result["accuracy"] <= 0.9
    assert result["accuracy"] == pytest.approx(LEXICON_ACCURACY, abs=5e-5)
    assert 0.6 <= result["f1"]["negative"] and 0.6 <= result["f1"]["positive"]


def test_texts_are_varied(comments: pd.DataFrame) -> None:
    """≥ 60 % of the comment texts are unique and no text makes up more than 1 % of them."""
    texts = comments["text"]
    assert texts.nunique() / len(texts) >= 0.6
    assert texts.value_counts(normalize=True).iloc[0] < 0.01
    assert comments["language"].value_counts(normalize=True)[["kk", "ru+kk"]].between(0.03, 0.35).all()
    assert set(comments["topic"]) == set(reputation_data.TOPICS)
    assert list(comments["sentiment"].cat.categories) == list(reputation_data.SENTIMENTS)
    assert list(comments["language"].cat.categories) == list(reputation_data.LANGUAGES)


def test_response_times(comments: pd.DataFrame) -> None:
    """Median reply 1–6 h on ordinary days for every brand; slower and rarer in the crisis."""
    ordinary = sla_report(comments[_ordinary(comments)], by="brand_id")
    assert ordinary["median_hours"].between(1, 6).all(), ordinary
    assert (ordinary["p90_hours"] > 2 * ordinary["median_hours"]).all()  # heavy tail
    jet = comments[comments["brand_id"].eq(reputation_data.CRISIS_BRAND)]
    in_crisis = _day(jet["created_at"]).isin(CRISIS_WINDOW[:3])
    normal, crisis = sla_report(jet[~in_crisis]).iloc[0], sla_report(jet[in_crisis]).iloc[0]
    assert crisis["median_hours"] > 2.5 * normal["median_hours"]
    assert crisis["unanswered"] / crisis["comments"] > normal["unanswered"] / normal["comments"] + 0.1


def test_comments_refer_to_earlier_posts(root: Path, comments: pd.DataFrame) -> None:
    """A post_id is a post of the same account published 5 min – 7 days before the comment."""
    posts = datasets.load("posts").set_index("post_id")
    linked = comments.dropna(subset=["post_id"])
    assert 0.7 <= len(linked) / len(comments) <= 0.95
    post = posts.loc[linked["post_id"]]
    assert (post["account_id"].to_numpy() == linked["account_id"].astype(str).to_numpy()).all()
    lag = linked["created_at"].to_numpy() - post["published_at_utc"].to_numpy()
    assert (lag >= pd.Timedelta(minutes=5)).all() and (lag <= pd.Timedelta(days=7)).all()
    assert 0.002 <= comments["is_deleted_by_moderator"].mean() <= 0.03


# --- mentions -------------------------------------------------------------------------------------------


def test_share_of_voice_per_market(mentions: pd.DataFrame) -> None:
    """share_of_voice_table recovers every brand's planted SOV exactly."""
    for market, brands in reputation_data.MARKETS.items():
        table = share_of_voice_table(mentions[mentions["brand_id"].eq(market)].astype({"brand": str}))
        for name, share in brands:
            assert table.loc[name, "share"] == pytest.approx(share, abs=1e-12), (market, name)
        own = mentions["brand_id"].eq(market) & mentions["is_own_brand"]
        assert set(mentions.loc[own, "brand"].astype(str)) == {brands[0][0]}


def test_crisis_mention_spike(mentions: pd.DataFrame) -> None:
    """Jet Delivery's own mentions spike ×20+ on 22 Jan, mostly negative; the rumour's video is on 21 Jan."""
    jet = mentions[mentions["brand"].eq("Jet Delivery")].rename(columns={"published_at": "created_at"})
    daily = daily_mentions(jet)
    assert daily.loc[CRISIS_DAY, "total"] >= 20 * daily["total"].median()
    assert daily.loc[CRISIS_DAY, "negative_share"] > 0.4
    first = jet[jet["author_followers"].eq(48_000)]
    assert len(first) == 1 and first["created_at"].iloc[0] < CRISIS_DAY.tz_localize(u.TIMEZONE)


def test_mention_weekday_mix(mentions: pd.DataFrame) -> None:
    """Mentions by weekday within 0.5 pp of Mention's shares (Sun 11 %, Tue–Thu ≈ 15.5–15.8 %)."""
    share = mentions["published_at"].dt.day_of_week.value_counts(normalize=True).sort_index()
    expected = pd.Series(reputation_data.MENTION_WEEKDAYS) / sum(reputation_data.MENTION_WEEKDAYS)
    assert (share - expected).abs().max() < 0.005, share


def test_mention_authors_and_sentiment(mentions: pd.DataFrame) -> None:
    """About 91 % of mentions come from authors with < 500 followers; sentiment close to Mention's mix."""
    assert 0.88 <= (mentions["author_followers"] < 500).mean() <= 0.94
    assert mentions["author_followers"].max() > 100_000
    mix = mentions["sentiment"].value_counts(normalize=True)
    assert 0.65 <= mix["neutral"] <= 0.80 and 0.12 <= mix["positive"] <= 0.25 and 0.04 <= mix["negative"] <= 0.12


# --- NPS ------------------------------------------------------------------------------------------------


def test_nps_per_brand_exact(root: Path) -> None:
    """metrics.nps recovers the planted NPS of every brand and of Jet Delivery's months exactly."""
    nps = datasets.load("nps_survey", root=root)
    by_brand = nps.groupby("brand_id", observed=True)["score"].apply(metrics.nps)
    planted = {"qazaq_coffee": 42, "dala_style": 18, "astana_fit": 31, "bilim_online": 47, "jet_delivery": 8}
    assert by_brand.to_dict() == {k: float(v) for k, v in planted.items()}
    jet = nps[nps["brand_id"].eq("jet_delivery")]
    monthly = jet.groupby(jet["responded_at"].dt.strftime("%Y-%m"))["score"].apply(metrics.nps)
    assert monthly.to_dict() == {"2025-09": 14.0, "2025-10": 16.0, "2025-11": 15.0, "2025-12": 13.0,
                                 "2026-01": -6.0, "2026-02": -4.0}  # fmt: skip
    assert jet.loc[jet["responded_at"].dt.month.eq(1), "responded_at"].min() > CRISIS_DAY.tz_localize(u.TIMEZONE)


def test_nps_comments_follow_scores(root: Path) -> None:
    """Comments agree with scores: the lexicon score of comments falls from promoters to detractors."""
    nps = datasets.load("nps_survey", root=root).dropna(subset=["comment"])
    group = pd.cut(nps["score"], [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])
    mean = score_series(nps["comment"])["score"].groupby(group, observed=True).mean()
    assert mean["promoter"] > mean["passive"] > mean["detractor"]
    assert mean["promoter"] > 0 > mean["detractor"]


# --- partner tasks and the template ---------------------------------------------------------------------


def _open_with_priority(tasks: pd.DataFrame) -> pd.DataFrame:
    """Open tasks with the documented weighted priority and Eisenhower quadrant."""
    open_ = tasks[tasks["status"].ne("готово")].copy()
    ease = open_["effort_hours"].map(partners_data.ease)
    wi, wu, we = partners_data.PRIORITY_WEIGHTS
    open_["priority"] = (wi * open_["importance"] + wu * open_["urgency"] + we * ease).round(6)
    important, urgent = open_["importance"] >= 4, open_["urgency"] >= 4
    open_["quadrant"] = (important * 2 + urgent).map({3: "сделать сейчас", 2: "запланировать", 1: "делегировать",
                                                      0: "отложить"})  # fmt: skip
    return open_


def test_urgency_follows_the_deadline_rule(tasks: pd.DataFrame) -> None:
    """urgency = the documented rule on (deadline − 1 March 2026 09:00); empty for done tasks."""
    open_ = tasks["status"].ne("готово")
    assert tasks.loc[~open_, "urgency"].isna().all()
    expected = tasks.loc[open_, "deadline"].dt.tz_localize(None).map(partners_data.urgency)
    assert (tasks.loc[open_, "urgency"].astype(int) == expected).all()
    overdue = tasks[open_ & (tasks["deadline"] < STORY_NOW)]
    assert len(overdue) == 4 and (overdue["urgency"] == 5).all()


def test_weighted_top5_is_unique(tasks: pd.DataFrame) -> None:
    """The five planted tasks lead the weighted ranking, each strictly above the next."""
    ranked = _open_with_priority(tasks).sort_values("priority", ascending=False)
    top = ranked.head(6)
    assert top["priority"].tolist()[:5] == [5.0, 4.8, 4.7, 4.6, 4.5]
    assert top["priority"].iloc[5] < 4.5
    planted = [t["task"] for t in partners_data.PLANTED_TOP5]
    assert top["task"].head(5).str.replace(partners_data._ENGLISH_NOTE, "", regex=False).tolist() == planted


def test_eisenhower_quadrants(tasks: pd.DataFrame) -> None:
    """Every open task has one quadrant; the counts are those in the datasheet."""
    counts = _open_with_priority(tasks)["quadrant"].value_counts().to_dict()
    assert counts == {"сделать сейчас": 6, "запланировать": 15, "делегировать": 9, "отложить": 20}


def test_partner_tasks_realism(tasks: pd.DataFrame) -> None:
    """English partners' tasks mention English correspondence; most tasks say what to request."""
    english = tasks[tasks["language"].eq("en")]
    assert len(english) >= 10 and english["task"].str.contains("английск").all()
    assert set(tasks["language"]) == {"ru", "kk", "en"}
    assert tasks["requested_info"].notna().mean() >= 0.7
    assert (tasks["deadline"] > tasks["received_at"]).all()


def test_content_plan_template(root: Path) -> None:
    """Same columns as content_plan plus utm_link and cross_posting; 3 filled examples, 12 rows to fill."""
    template = datasets.load("content_plan_template", root=root)
    assert template.columns.tolist() == [*datasets.read_schema("content_plan").names, "utm_link", "cross_posting"]
    filled = template["text"].notna()
    assert filled.sum() == 3
    assert template.loc[~filled, "status"].eq("черновик").all()
    assert template.loc[~filled, ["publish_time", "rubric", "hashtags", "utm_link"]].isna().all().all()
    for link in template["utm_link"].dropna():
        query = parse_qs(urlparse(link).query)
        assert {"utm_source", "utm_medium", "utm_campaign"} <= set(query)
    for targets in template["cross_posting"].dropna():
        assert set(targets.split("; ")) <= set(u.PLATFORMS)
    assert template["account_id"].value_counts().to_dict() == {"qc_ig": 7, "qc_tg": 5, "qc_tt": 3}
