"""Business etiquette with partners as data: the decision table of situations in ``etiquette.yaml``.

Each situation has an action and a channel (codes with Russian labels), a reply time in working hours (``None``
when no reply is owed now), what to do, what not to do and an example phrase.

>>> table = load_etiquette()
>>> table["E07"].action, table["E07"].channel
('remind', 'messenger')
>>> table.action_label("decline")
'вежливо отказать с причиной'
>>> frame = etiquette_frame()
>>> list(frame.columns[:4])
['id', 'topic', 'situation', 'action']
>>> frame.loc[frame["id"] == "E06", "reply_within_hours"].isna().item()
True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

FILE = "etiquette.yaml"
SCHEMA_VERSION = 1


class EtiquetteError(ValueError):
    """The decision table is malformed; the message (in Russian) says where."""


@dataclass(frozen=True)
class Situation:
    """One row of the decision table."""

    id: str
    topic: str
    situation: str
    action: str
    channel: str
    reply_within_hours: float | None
    do: str
    dont: str
    example: str


@dataclass(frozen=True)
class EtiquetteTable:
    """The situations by ID, with the Russian labels of the actions, channels and topics."""

    situations: Mapping[str, Situation]
    actions: Mapping[str, str]
    channels: Mapping[str, str]
    topics: tuple[str, ...]

    def __getitem__(self, situation_id: str) -> Situation:
        if situation_id not in self.situations:
            raise KeyError(f"В таблице этикета нет ситуации «{situation_id}». Есть: {', '.join(self.situations)}.")
        return self.situations[situation_id]

    def __iter__(self) -> Iterator[Situation]:
        return iter(self.situations.values())

    def __len__(self) -> int:
        return len(self.situations)

    def action_label(self, code: str) -> str:
        """The Russian label of an action code."""
        return self.actions[code]

    def channel_label(self, code: str) -> str:
        """The Russian label of a channel code."""
        return self.channels[code]


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise EtiquetteError(f"{FILE}: у ситуации {where} нужно непустое поле «{key}»")
    return value.strip()


def parse_etiquette(raw: Mapping[str, Any]) -> EtiquetteTable:
    """Check the parsed YAML and build the table: known codes, unique IDs, non-negative reply times."""
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise EtiquetteError(f"{FILE}: ожидается schema_version: {SCHEMA_VERSION}")
    actions = {str(k): str(v) for k, v in (raw.get("actions") or {}).items()}
    channels = {str(k): str(v) for k, v in (raw.get("channels") or {}).items()}
    topics = tuple(str(t) for t in raw.get("topics") or ())
    if not actions or not channels or not topics:
        raise EtiquetteError(f"{FILE}: нужны списки actions, channels и topics")
    out: dict[str, Situation] = {}
    for entry in raw.get("situations") or ():
        where = str(entry.get("id") or "без id")
        values = {f.name: _text(entry, f.name, where) for f in fields(Situation) if f.name != "reply_within_hours"}
        hours = entry.get("reply_within_hours")
        if hours is not None and (isinstance(hours, bool) or not isinstance(hours, int | float) or hours < 0):
            raise EtiquetteError(f"{FILE}: у ситуации {where} reply_within_hours — число часов ≥ 0 или null")
        situation = Situation(reply_within_hours=None if hours is None else float(hours), **values)
        if situation.id in out:
            raise EtiquetteError(f"{FILE}: ситуация {situation.id} повторяется")
        for key, known in (("action", actions), ("channel", channels), ("topic", topics)):
            value = getattr(situation, key)
            if value not in known:
                raise EtiquetteError(f"{FILE}: у ситуации {where} неизвестное значение {key}: {value}")
        out[situation.id] = situation
    if not out:
        raise EtiquetteError(f"{FILE}: нет ни одной ситуации")
    return EtiquetteTable(out, actions, channels, topics)


@cache
def load_etiquette() -> EtiquetteTable:
    """The course's decision table, read from ``etiquette.yaml`` and checked."""
    text = resources.files("smmkit.curriculum").joinpath(FILE).read_text(encoding="utf-8")
    return parse_etiquette(yaml.safe_load(text))


def etiquette_frame() -> pd.DataFrame:
    """The decision table as a DataFrame, one row per situation, with Russian ``action_ru`` and ``channel_ru``."""
    table = load_etiquette()
    frame = pd.DataFrame([{f.name: getattr(s, f.name) for f in fields(Situation)} for s in table])
    frame["reply_within_hours"] = frame["reply_within_hours"].astype(float)
    frame.insert(frame.columns.get_loc("action") + 1, "action_ru", frame["action"].map(table.actions))
    frame.insert(frame.columns.get_loc("channel") + 1, "channel_ru", frame["channel"].map(table.channels))
    return frame
