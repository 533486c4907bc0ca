"""Campaign drafts checked against the promotion programs' facts, and a weighted choice of a program.

A campaign draft is structured data, as the cabinets build it: campaign (program, objective, account currency,
dates) → ad sets (audience, placements, daily budget) → ads (format, text, CTA, link). The drafts of assignment
a02 live in ``campaign_drafts.yaml`` beside this module; the facts they are checked against (goals, platforms,
minimum budgets, billing currencies of each program) in the dated file ``smmkit/platforms/ad_programs.yaml``.
The choice case (goal, budget, the manager's criteria, weights and scores) lives in ``program_choice.yaml``.

Money in the drafts is in tenge. A program's minimum is converted with the caller's rates, tenge per unit;
``COURSE_RATES`` are the fixed rates the course's ad data were built with (``smmkit.data.rates``, a course
assumption, not a market rate).

Checks of one ad set (``CHECKS``):

    goal_ok        the campaign's objective is one of the program's goals
    currency_ok    the account currency is one the program bills in
    placements_ok  every placement of the ad set is a platform of the program
    budget_ok      daily budget ≥ the program's smallest daily minimum of an ad set, in tenge
                   (exactly the minimum is allowed; a program without a daily minimum passes)
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from smmkit.data.rates import RATES
from smmkit.platforms.ad_programs import AdPrograms, Program

DRAFTS_PATH = Path(__file__).with_name("campaign_drafts.yaml")
CASE_PATH = Path(__file__).with_name("program_choice.yaml")
COURSE_RATES: dict[str, float] = {k: float(v) for k, v in RATES.items()}
"""Tenge per unit of each currency at the course's fixed rates (the ad data's; see the module docstring)."""
CHECKS: tuple[str, ...] = ("goal_ok", "currency_ok", "placements_ok", "budget_ok")
"""The columns of :func:`check_adsets`, in order."""
CHECK_LABELS: dict[str, str] = {
    "goal_ok": "цель кампании есть у программы",
    "currency_ok": "валюта кабинета — из валют счёта программы",
    "placements_ok": "все места показа — площадки программы",
    "budget_ok": "дневной бюджет группы не меньше минимума программы",
}
"""Russian labels of the checks, for feedback and tables."""
SELECTION_KINDS: tuple[str, ...] = ("ad_cabinet", "seeding")
"""Kinds of programs that buy promotion (services only publish and measure): the rows of a decision table."""


@lru_cache(maxsize=4)
def _read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_drafts(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The campaign drafts (a fresh copy: campaign → ``ad_sets`` → ``ads``), dates as ``datetime.date``.

    >>> drafts = load_drafts()
    >>> drafts[0]["program"], drafts[0]["ad_sets"][0]["id"], len(drafts[0]["ad_sets"][0]["ads"])
    ('meta_ads', 'AF-M1-S1', 2)
    """
    raw = _read_yaml(Path(path).resolve() if path is not None else DRAFTS_PATH)
    if not isinstance(raw, dict) or not isinstance(raw.get("campaigns"), list):
        raise ValueError("Файл черновиков: нужен раздел «campaigns» — список кампаний.")
    return copy.deepcopy(raw["campaigns"])


def adsets_table(drafts: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per ad set, with its campaign's settings: the flat view of the nested drafts.

    Columns: campaign_id, program, objective, account_currency, adset_id, placements (a list), daily_budget_kzt,
    ads (how many ads the ad set holds).

    >>> t = adsets_table(load_drafts())
    >>> t.loc[0, ["campaign_id", "adset_id", "daily_budget_kzt", "ads"]].astype(str).tolist()
    ['AF-M1', 'AF-M1-S1', '6000', '2']
    """
    rows = []
    for campaign in drafts:
        for ad_set in campaign["ad_sets"]:
            rows.append({
                "campaign_id": campaign["id"], "program": campaign["program"], "objective": campaign["objective"],
                "account_currency": campaign["account_currency"], "adset_id": ad_set["id"],
                "placements": list(ad_set["placements"]), "daily_budget_kzt": ad_set["daily_budget_kzt"],
                "ads": len(ad_set.get("ads", [])),
            })
    return pd.DataFrame(rows)


def daily_minimum_kzt(program: Program, rates: Mapping[str, float], level: str = "ad_set") -> float | None:
    """The program's smallest minimum budget a day at ``level``, in tenge; ``None`` when it sets none.

    >>> from smmkit.platforms.ad_programs import load_programs
    >>> daily_minimum_kzt(load_programs()["meta_ads"], {"KZT": 1, "USD": 505})
    505.0
    >>> daily_minimum_kzt(load_programs()["yandex_direct"], {"KZT": 1}) is None
    True
    """
    amounts = [b.amount_in("KZT", rates) for b in program.min_budgets if b.per == "day" and b.level == level]
    return min(amounts) if amounts else None


def check_adsets(drafts: Sequence[Mapping[str, Any]], programs: AdPrograms,
                 rates: Mapping[str, float]) -> pd.DataFrame:
    """The four checks of each ad set (``CHECKS``, True = fits the facts), indexed by ad set id.

    >>> from smmkit.platforms.ad_programs import load_programs
    >>> checks = check_adsets(load_drafts(), load_programs(), {"KZT": 1, "USD": 505, "EUR": 545})
    >>> checks.loc["AF-M1-S1"].all(), checks.loc["AF-M2-S1", ["currency_ok", "placements_ok"]].tolist()
    (np.True_, [False, False])
    """
    out = {}
    for row in adsets_table(drafts).itertuples(index=False):
        program = programs[row.program]
        minimum = daily_minimum_kzt(program, rates)
        out[row.adset_id] = {
            "goal_ok": row.objective in program.goals,
            "currency_ok": row.account_currency in program.billing_currency,
            "placements_ok": all(p in program.platforms for p in row.placements),
            "budget_ok": minimum is None or row.daily_budget_kzt >= minimum,
        }
    table = pd.DataFrame.from_dict(out, orient="index", columns=list(CHECKS)).astype(bool)
    table.index.name = "adset_id"
    return table


# --------------------------------------------------------------------------- the choice of a program


def load_choice_case(path: str | Path | None = None) -> dict[str, Any]:
    """The choice case of a02's question 9: brand, goal, month, days and the month's budget_kzt (the decision
    table itself is lesson 02.01's ``smmkit.platforms.ad_programs.decision_table``).

    >>> case = load_choice_case()
    >>> case["goal"], case["budget_kzt"] / case["days"]
    ('leads', 10100.0)
    """
    raw = _read_yaml(Path(path).resolve() if path is not None else CASE_PATH)
    for key in ("goal", "days", "budget_kzt"):
        if key not in raw:
            raise ValueError(f"Файл выбора программы: нет поля «{key}».")
    return copy.deepcopy(raw)


# --------------------------------------------------------------------------- the approval loop

APPROVAL_LOG_PATH = Path(__file__).with_name("approval_log.yaml")
LOG_COLUMNS: tuple[str, ...] = ("when", "who", "status", "version", "text")
"""The columns of an approval log."""


def load_approval_log(path: str | Path | None = None) -> pd.DataFrame:
    """The approval log of a campaign: one row per message (``LOG_COLUMNS``), ``when`` as a datetime.

    >>> log = load_approval_log()
    >>> log.loc[0, ["who", "status", "version"]].tolist()
    ['ассистент', 'на согласовании', 'v1']
    """
    raw = _read_yaml(Path(path).resolve() if path is not None else APPROVAL_LOG_PATH)
    if not isinstance(raw, dict) or not isinstance(raw.get("log"), list):
        raise ValueError("Файл журнала согласования: нужен раздел «log» — список сообщений.")
    log = pd.DataFrame(copy.deepcopy(raw["log"]), columns=list(LOG_COLUMNS))
    log["when"] = pd.to_datetime(log["when"], format="%Y-%m-%d %H:%M")
    return log


def unapproved_launches(log: pd.DataFrame) -> list[str]:
    """Versions launched («запущено») without an approval («согласовано») of the same version before the launch.

    >>> log = pd.DataFrame({"when": pd.to_datetime(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]),
    ...                     "status": ["согласовано", "запущено", "запущено", "согласовано"],
    ...                     "version": ["v1", "v1", "v2", "v2"]})
    >>> unapproved_launches(log)
    ['v2']
    """
    approved = log[log["status"] == "согласовано"]
    out = set()
    for launch in log[log["status"] == "запущено"].itertuples():
        before = approved[(approved["version"] == launch.version) & (approved["when"] < launch.when)]
        if before.empty:
            out.add(launch.version)
    return sorted(out)
