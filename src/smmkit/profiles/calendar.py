"""The calendar of Kazakhstan for content plans: holidays and dates, one row per day, with source and check date.

The dates live in ``calendar_kz.yaml`` (facts that age: the Muslim dates move every year and are set by ДУМК).

>>> cal = load_calendar(2026)
>>> cal.loc[cal["key"] == "nauryz", "date"].dt.strftime("%d.%m").tolist()
['21.03', '22.03', '23.03']
>>> cal.loc[cal["key"] == "kurban_ait", "day_off"].tolist()
[True, False, False]
>>> week = dates_between("2026-03-16", "2026-03-22")
>>> week.loc[week["kind"] != "occasion", "name"].unique().tolist()
['Месяц Рамазан (пост Ораза)', 'Ораза айт', 'Наурыз мейрамы']

A state holiday on a Saturday or Sunday moves the day off to the next working day (art. 5 of the Law on holidays):

>>> off = dates_between("2026-03-07", "2026-03-25").query("day_off")
>>> for day, name in zip(off["date"], off["name"]):
...     print(day.strftime("%d.%m %a"), name)
08.03 Sun Международный женский день
09.03 Mon Перенесённый выходной (8 марта)
21.03 Sat Наурыз мейрамы
22.03 Sun Наурыз мейрамы
23.03 Mon Наурыз мейрамы
24.03 Tue Перенесённый выходной (Наурыз)
25.03 Wed Перенесённый выходной (Наурыз)
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

CALENDAR_PATH = Path(__file__).with_name("calendar_kz.yaml")
COLUMNS = ["date", "key", "name", "name_kk", "kind", "day_off", "note", "source", "url", "checked"]


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    return yaml.safe_load(CALENDAR_PATH.read_text(encoding="utf-8"))


def checked() -> date:
    """The date the calendar's facts were last checked against their sources."""
    return _raw()["checked"]


def load_calendar(year: int) -> pd.DataFrame:
    """The calendar's dates in ``year``, one row per day (a three-day holiday gives three rows), sorted by date.

    ``day_off`` is True on the days off by law. A moving date (Ramadan, the aits) missing for ``year`` raises
    a Russian error: its dates are announced each year and must be added to ``calendar_kz.yaml`` first.
    """
    raw = _raw()
    rows = []
    for entry in raw["dates"]:
        if "date" in entry:
            first, last = (pd.Timestamp(f"{year}-{md}") for md in entry["date"])
        else:
            if year not in entry["dates"]:
                raise KeyError(f"В календаре нет дат «{entry['name']}» на {year} год: их объявляют каждый год, "
                               f"добавьте их в {CALENDAR_PATH.name} с источником.")
            first, last = (pd.Timestamp(d) for d in entry["dates"][year])
        source = raw["sources"][entry["source"]]
        for i, day in enumerate(pd.date_range(first, last, freq="D")):
            off = entry["day_off"]
            rows.append({"date": day, "key": entry["key"], "name": entry["name"], "name_kk": entry["name_kk"],
                         "kind": entry["kind"], "day_off": bool(off is True or (off == "first" and i == 0)),
                         "note": entry.get("note", ""), "source": source["title"], "url": source["url"],
                         "checked": raw["checked"]})
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(["date", "key"], ignore_index=True)


def dates_between(start: str | date, end: str | date) -> pd.DataFrame:
    """The calendar's days from ``start`` to ``end`` inclusive (the years they span)."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    cal = pd.concat([load_calendar(y) for y in range(start.year, end.year + 1)], ignore_index=True)
    return cal[(cal["date"] >= start) & (cal["date"] <= end)].reset_index(drop=True)
