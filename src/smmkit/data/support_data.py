"""Seeded generator of the agency's support tickets for the five brands (module 11: support desk, SLA, CRM).

Customers and orders come from ``crm_orders`` (its generator, so IDs always match the committed CRM). Times are
local (Asia/Almaty); the SLA is counted on the desk's business-hours clock (:func:`business_minutes`). Planted,
documented in the datasheet of ``support_tickets`` and recovered by the tests:

* **off-hours backlog** — tickets written while the desk is closed (evenings, Sundays, holidays) wait in a
  queue that the morning shift works through (``BACKLOG_MIN`` business minutes per ticket ahead, divided by the
  agents on shift, after a ``MORNING_RAMP_MIN`` start-up): they breach the first-response SLA far more often;
* **a slow agent** — ``SLOW_AGENT`` answers ``SLOW_FACTOR`` times slower and resolves 1.5 times slower;
* **refunds escalate** — ``ESCALATION`` gives the chance by topic: a refund is escalated about five times as
  often as other topics;
* **CSAT follows service** — lower after a breached first response, a reopening, an escalation.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from smmkit.data import funnel_data as fd
from smmkit.data import universe as u
from smmkit.data.realism import Loader
from smmkit.data.recipe import Recipe

SEED = 1111
DATA = Path(__file__).with_name("support_tickets.yaml")
PERIOD = (pd.Timestamp("2025-09-01"), pd.Timestamp("2026-03-01"))
"""Tickets created in [start, end) local time; the export is taken at the end of the period."""
CLOCK_END = pd.Timestamp("2026-06-01")

FRT_MEDIAN_MIN = {"телефон": 1.5, "WhatsApp": 9.0, "Telegram": 10.0, "Instagram Direct": 18.0,
                  "комментарий": 35.0, "e-mail": 75.0}  # fmt: skip
"""Median first response in business minutes by channel (medium priority, an ordinary agent, no queue)."""
FRT_SIGMA = 0.8
PRIORITY_SPEED = {"высокий": 0.6, "средний": 1.0, "низкий": 1.3}
MORNING_RAMP_MIN = (5.0, 15.0)
BACKLOG_MIN = 3.0
"""Each ticket ahead in the morning queue delays the answer by this many business minutes / agents on shift."""
AGENTS_AT_OPENING = {"weekday": 3, "saturday": 2}
SLOW_AGENT = "Ерлан Тулегенов"
SLOW_FACTOR = 2.2
HANDLE_MEDIAN_H = {"вопрос": 0.2, "оплата": 1.5, "доставка": 2.0, "качество": 6.0, "возврат": 16.0}
HANDLE_SIGMA = 0.9
ESCALATION = {"возврат": 0.32, "качество": 0.08, "доставка": 0.07, "оплата": 0.07, "вопрос": 0.05}
ESCALATION_SLOWDOWN = 2.5
REOPEN = {"качество": 0.14, "возврат": 0.12, "доставка": 0.07, "оплата": 0.06, "вопрос": 0.03}
CSAT_RESPONSE = {"WhatsApp": 0.45, "Telegram": 0.45, "Instagram Direct": 0.35, "телефон": 0.30,
                 "e-mail": 0.25, "комментарий": 0.15}  # fmt: skip
"""Share of resolved tickets whose customer answers the satisfaction survey, by channel."""
CSAT_BASE = 4.7
CSAT_EFFECTS = {"first_response_breached": -1.0, "reopened": -0.7, "escalated": -0.4, "slow_agent": -0.35,
                "resolution_breached": -0.4}  # fmt: skip
CSAT_SIGMA = 0.75
N_UNIFORM, N_NORMAL = 7, 3
"""Per-ticket random draws of the service stage, taken from the brand's stream."""

COLUMNS = (
    "ticket_id", "brand_id", "customer_id", "order_id", "channel", "topic", "priority", "created_at",
    "first_response_at", "resolved_at", "agent", "escalated", "reopened", "status", "sla_first_response_min",
    "sla_resolution_h", "first_response_min_bh", "resolution_h_bh", "first_response_breached",
    "resolution_breached", "csat",
)  # fmt: skip


@cache
def _data() -> dict:
    """The YAML data file beside this module."""
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------ business-hours clock


@cache
def _intervals() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Open intervals of the desk (epoch seconds, naive local time) and business seconds before each."""
    data = _data()
    holidays = {pd.Timestamp(d) for d in data["holidays"]}
    starts, ends = [], []
    for day in pd.date_range(PERIOD[0] - pd.Timedelta(days=7), CLOCK_END, freq="D"):
        hours = data["hours"].get(int(day.day_of_week))
        if hours is None or day in holidays:
            continue
        starts.append(day + pd.Timedelta(hours[0] + ":00"))
        ends.append(day + pd.Timedelta(hours[1] + ":00"))
    s = np.array(starts, dtype="datetime64[s]").astype(np.int64)
    e = np.array(ends, dtype="datetime64[s]").astype(np.int64)
    before = np.concatenate([[0], np.cumsum(e - s)[:-1]])
    return s, e, before


def _clock(seconds: np.ndarray) -> np.ndarray:
    """Business seconds elapsed on the desk's clock at each local instant (epoch seconds)."""
    s, e, before = _intervals()
    i = np.searchsorted(s, seconds, side="right") - 1
    inside = np.clip(seconds - s[np.maximum(i, 0)], 0, (e - s)[np.maximum(i, 0)])
    return np.where(i < 0, 0, before[np.maximum(i, 0)] + inside)


def _instant(business: np.ndarray) -> np.ndarray:
    """The local instant (epoch seconds) at which the desk's clock shows ``business`` seconds."""
    s, e, before = _intervals()
    j = np.searchsorted(before + (e - s), business, side="left")
    return s[j] + (business - before[j])


def _local_seconds(stamps: pd.Series) -> np.ndarray:
    """Epoch seconds of local wall time (tz-aware stamps are converted to Asia/Almaty first)."""
    values = pd.to_datetime(stamps)
    if values.dt.tz is not None:
        values = values.dt.tz_convert(u.TIMEZONE).dt.tz_localize(None)
    return values.to_numpy().astype("datetime64[s]").astype(np.int64)


def business_minutes(start: pd.Series, end: pd.Series) -> pd.Series:
    """Working minutes of the support desk between two columns of times (NaN where either is missing).

    Working hours: Monday–Friday 09:00–20:00, Saturday 10:00–17:00, closed on Sundays and public holidays
    (``support_tickets.yaml``). This is how the helpdesk measures SLA: a message written at 23:00 on Saturday
    and answered at 09:10 on Monday has waited 10 working minutes (and 34 hours by the calendar).
    """
    ok = start.notna() & end.notna()
    out = pd.Series(np.nan, index=start.index, dtype=float)
    if ok.any():
        a = _clock(_local_seconds(start[ok]))
        b = _clock(_local_seconds(end[ok]))
        out[ok] = (b - a) / 60
    return out


def is_open(stamps: pd.Series) -> pd.Series:
    """True where the desk is open at that local time."""
    seconds = _local_seconds(stamps)
    s, e, _ = _intervals()
    i = np.searchsorted(s, seconds, side="right") - 1
    return pd.Series((i >= 0) & (seconds < e[np.maximum(i, 0)]), index=stamps.index)


# ------------------------------------------------------------------------------------------- tickets


def _brand_tickets(rng: np.random.Generator, orders: pd.DataFrame, brand_id: str) -> pd.DataFrame:
    """One brand's tickets: customer, order, channel, topic, priority and creation time."""
    data = _data()
    own = orders[orders["brand_id"].eq(brand_id)].reset_index(drop=True)
    n = round(data["tickets_per_order"][brand_id] * len(own))
    pick = rng.integers(0, len(own), size=n)
    topic = np.asarray(data["topics"], dtype=object)[rng.choice(5, size=n, p=data["topic_mix"][brand_id])]
    channel = np.asarray(data["channels"], dtype=object)[rng.choice(6, size=n, p=data["channel_mix"][brand_id])]
    priority = np.empty(n, dtype=object)
    lag = np.empty(n)
    for t in data["topics"]:
        mask = topic == t
        priority[mask] = np.asarray(data["priorities"], dtype=object)[
            rng.choice(3, size=int(mask.sum()), p=data["priority_mix"][t])
        ]
        median, sigma = data["lag_hours"][t]
        lag[mask] = median * np.exp(sigma * rng.standard_normal(int(mask.sum())))
    order_ts = pd.to_datetime(own["order_ts"].to_numpy()[pick], format="ISO8601").tz_convert(u.TIMEZONE)
    order_local = order_ts.tz_localize(None).to_numpy().astype("datetime64[s]").astype(np.int64)
    # The day comes from the order and the lag; the hour from when customers write (``hour_weights``), so a
    # change in the CRM's order hours does not move the desk's load. A complaint never precedes its order,
    # a question never follows it.
    sign = np.where(topic == "вопрос", -1, 1)
    moment = order_local + sign * np.round(lag * 3600).astype(np.int64)
    weights = np.asarray(data["hour_weights"], dtype=float)
    second = rng.choice(24, size=n, p=weights / weights.sum()) * 3600 + rng.integers(0, 3600, size=n)
    created = moment - moment % 86_400 + second
    created = np.where((sign > 0) & (created < order_local + 600), created + 86_400, created)
    created = np.where((sign < 0) & (created > order_local - 600), created - 86_400, created)
    out = pd.DataFrame({
        "brand_id": brand_id,
        "customer_id": own["customer_id"].to_numpy()[pick],
        "order_id": np.where(topic == "вопрос", None, own["order_id"].to_numpy()[pick]),
        "channel": channel, "topic": topic, "priority": priority, "created": created,
    })  # fmt: skip
    # The service's random draws come from the brand's own stream too (uniform _u*, normal _z*), so a change in
    # one brand's orders leaves the other brands' tickets as they were (apart from the shared morning queue).
    for i in range(N_UNIFORM):
        out[f"_u{i}"] = rng.random(n)
    for i in range(N_NORMAL):
        out[f"_z{i}"] = rng.standard_normal(n)
    return out


def _service(df: pd.DataFrame) -> pd.DataFrame:
    """First response, agent, escalation, reopening, resolution and CSAT of every ticket (sorted by creation)."""
    data = _data()
    n = len(df)
    uni = df[[f"_u{i}" for i in range(N_UNIFORM)]].to_numpy()
    nor = df[[f"_z{i}" for i in range(N_NORMAL)]].to_numpy()
    created = df["created"].to_numpy()
    s, e, _ = _intervals()
    idx = np.searchsorted(s, created, side="right") - 1
    open_now = (idx >= 0) & (created < e[np.maximum(idx, 0)])
    # Phones ring only while the desk is open: a call after hours becomes a WhatsApp message.
    channel = np.where(~open_now & (df["channel"].to_numpy() == "телефон"), "WhatsApp", df["channel"].to_numpy())
    start_b = _clock(created)
    opening = np.searchsorted(s, created, side="left")  # the interval whose opening serves an off-hours ticket
    shift_day = np.where(open_now, idx, opening)
    saturday = pd.to_datetime(s[shift_day], unit="s").day_of_week.to_numpy() == 5
    # The morning queue: off-hours tickets, served by priority, then by arrival.
    rank = np.zeros(n)
    queued = np.flatnonzero(~open_now)
    prio_order = {"высокий": 0, "средний": 1, "низкий": 2}
    q = pd.DataFrame({"opening": opening[queued], "p": [prio_order[p] for p in df["priority"].to_numpy()[queued]],
                      "created": created[queued], "i": queued})  # fmt: skip
    q = q.sort_values(["opening", "p", "created"], kind="stable")
    rank[q["i"].to_numpy()] = q.groupby("opening").cumcount().to_numpy()
    agents_at_open = np.where(saturday, AGENTS_AT_OPENING["saturday"], AGENTS_AT_OPENING["weekday"])
    ramp = MORNING_RAMP_MIN[0] + (MORNING_RAMP_MIN[1] - MORNING_RAMP_MIN[0]) * uni[:, 0]
    backlog_min = np.where(open_now, 0.0, ramp + BACKLOG_MIN * rank / agents_at_open)
    # Agent on shift: the weekend pair on Saturdays, anyone of the six on weekdays.
    agents = np.asarray(data["agents"], dtype=object)
    weekend = np.asarray(data["weekend_agents"], dtype=object)
    pick = uni[:, 1]
    agent = np.where(saturday, weekend[(pick * weekend.size).astype(int)], agents[(pick * agents.size).astype(int)])
    slow = agent == SLOW_AGENT
    base = np.array([FRT_MEDIAN_MIN[c] for c in channel]) * np.array([PRIORITY_SPEED[p] for p in df["priority"]])
    frt_min = base * np.exp(FRT_SIGMA * nor[:, 0]) * np.where(slow, SLOW_FACTOR, 1.0) + backlog_min
    first_b = start_b + np.round(frt_min * 60).astype(np.int64)
    topic = df["topic"].to_numpy()
    escalated = uni[:, 2] < np.array([ESCALATION[t] for t in topic])
    reopen_p = np.array([REOPEN[t] for t in topic]) * np.where(slow, 1.8, 1.0)
    reopened = np.where(uni[:, 3] < reopen_p, np.where(uni[:, 4] < 0.15, 2, 1), 0)
    handle_h = np.array([HANDLE_MEDIAN_H[t] for t in topic]) * np.exp(HANDLE_SIGMA * nor[:, 1])
    handle_h = handle_h * np.where(slow, 1.5, 1.0) * np.where(escalated, ESCALATION_SLOWDOWN, 1.0)
    handle_h = handle_h + reopened * (2.0 + 22.0 * uni[:, 5])
    resolved_b = first_b + np.round(handle_h * 3600).astype(np.int64)
    first = _instant(first_b)
    resolved = _instant(resolved_b)
    end = np.datetime64(PERIOD[1], "s").astype(np.int64)
    answered = first < end
    done = resolved < end
    sla_fr = np.array([data["sla_first_response_min"][c] for c in channel]) * np.array(
        [data["sla_priority_factor"][p] for p in df["priority"]]
    )
    sla_res = np.array([data["sla_resolution_h"][p] for p in df["priority"]], dtype=float)
    fr_bh = np.round((first_b - start_b) / 60, 1)  # as published: the flags agree with the printed values
    res_bh = np.round((resolved_b - start_b) / 3600, 2)
    fr_breach = fr_bh > sla_fr
    res_breach = res_bh > sla_res
    # CSAT after resolution: survey answered by some; score falls with breaches, reopenings, escalations.
    answer = done & (uni[:, 6] < np.array([CSAT_RESPONSE[c] for c in channel]))
    effects = {"first_response_breached": fr_breach, "reopened": reopened > 0, "escalated": escalated,
               "slow_agent": slow, "resolution_breached": res_breach}  # fmt: skip
    latent = CSAT_BASE + sum(CSAT_EFFECTS[k] * v for k, v in effects.items()) + CSAT_SIGMA * nor[:, 2]
    csat = np.clip(np.round(latent), 1, 5)
    out = df.assign(channel=channel)
    out["first_response"] = np.where(answered, first, -1)
    out["resolved"] = np.where(done, resolved, -1)
    out["agent"] = np.where(answered, agent, None)
    out["escalated"] = escalated & answered
    out["reopened"] = np.where(answered, reopened, 0)
    out["status"] = np.where(done, "решён", np.where(answered, "в работе", "новый"))
    out["sla_first_response_min"] = sla_fr.round().astype(np.int64)
    out["sla_resolution_h"] = sla_res.astype(np.int64)
    out["first_response_min_bh"] = np.where(answered, fr_bh, np.nan)
    out["resolution_h_bh"] = np.where(done, res_bh, np.nan)
    out["first_response_breached"] = pd.array(np.where(answered, fr_breach, None), dtype="boolean")
    out["resolution_breached"] = pd.array(np.where(done, res_breach, None), dtype="boolean")
    out["csat"] = pd.array(np.where(answer, csat, np.nan), dtype="Int64")
    return out


def _iso(seconds: np.ndarray) -> np.ndarray:
    """Local ISO 8601 with the +05:00 offset; empty where ``seconds`` is −1."""
    text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s").astype(object) + "+05:00"
    return np.where(seconds >= 0, text, None)


@cache
def _tickets(seed: int) -> pd.DataFrame:
    orders = fd.make_crm_orders(seed=fd.SEED)
    frames = [_brand_tickets(np.random.default_rng([seed, k]), orders, b.brand_id) for k, b in enumerate(u.BRANDS)]
    df = pd.concat(frames, ignore_index=True)
    lo, hi = (np.datetime64(t, "s").astype(np.int64) for t in PERIOD)
    df = df[(df["created"] >= lo) & (df["created"] < hi)]
    df = df.sort_values(["created", "brand_id", "customer_id"], kind="stable").reset_index(drop=True)
    df = _service(df)
    df.insert(0, "ticket_id", [f"TK-{i:05d}" for i in range(1, len(df) + 1)])
    df["created_at"] = _iso(df.pop("created").to_numpy())
    df["first_response_at"] = _iso(df.pop("first_response").to_numpy())
    df["resolved_at"] = _iso(df.pop("resolved").to_numpy())
    return df[list(COLUMNS)]


def make_support_tickets(seed: int = SEED) -> pd.DataFrame:
    """Support tickets of the five brands' customers, 1 September 2025 – 28 February 2026, one row per ticket."""
    return _tickets(seed).copy()


RECIPES: tuple[Recipe, ...] = (
    Recipe(
        "support_tickets",
        lambda: make_support_tickets(seed=SEED),
        "smmkit.data.support_data.make_support_tickets(seed=1111)",
    ),
)


# ------------------------------------------------------------------------------------------- realism



def _median_frt(load: Loader, channel: str) -> float:
    """Median first response (working minutes) of one channel's tickets."""
    df = load("support_tickets")
    return float(df.loc[df["channel"].eq(channel), "first_response_min_bh"].median())


def realism_frt_instagram(load: Loader) -> float:
    """Median first response in Instagram Direct, working minutes."""
    return _median_frt(load, "Instagram Direct")


def realism_frt_whatsapp(load: Loader) -> float:
    """Median first response in WhatsApp, working minutes."""
    return _median_frt(load, "WhatsApp")


def realism_frt_email(load: Loader) -> float:
    """Median first response by e-mail, working minutes."""
    return _median_frt(load, "e-mail")


def realism_breach_in_hours(load: Loader) -> float:
    """Share of tickets written while the desk is open whose first response breached the SLA, %."""
    df = load("support_tickets")
    inside = df[is_open(df["created_at"]).to_numpy() & df["first_response_breached"].notna().to_numpy()]
    return float(100 * inside["first_response_breached"].astype(bool).mean())


def realism_csat(load: Loader) -> float:
    """CSAT: share of survey answers rated 4 or 5, %."""
    csat = load("support_tickets")["csat"].dropna()
    return float(100 * csat.ge(4).mean())
