"""The professional standard «Менеджмент социальных сетей (SMM)» as data: loading and lookup by ID.

>>> std = load_standard()
>>> std.get("A4-TF1-T1-Z3").parents
('A4', 'A4-TF1', 'A4-TF1-T1')
>>> std.get("GL-er").kind
'term'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

Kind = Literal["card", "function", "task", "skill", "knowledge", "term"]

KINDS: tuple[str, ...] = ("card", "function", "task", "skill", "knowledge", "term")
LEAF_KINDS: frozenset[str] = frozenset({"skill", "knowledge", "term"})

CARD_RE = re.compile(r"^(?:A4|M6)$")
TERM_RE = re.compile(r"^GL-[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RE = re.compile(
    r"^(?:(?:A4|M6)(?:-TF[1-9][0-9]*(?:-T[1-9][0-9]*(?:-[UZ][1-9][0-9]*)?)?)?"
    r"|GL-[a-z0-9]+(?:-[a-z0-9]+)*)$"
)


@dataclass(frozen=True)
class Item:
    """A skill («Умение») or knowledge item («Знание») of a task."""

    id: str
    kind: Literal["skill", "knowledge"]
    number: int
    text: str
    task_id: str


@dataclass(frozen=True)
class Task:
    """A task («Задача») of a labour function, with its skills and knowledge."""

    id: str
    number: int
    text: str
    function_id: str
    skills: tuple[Item, ...]
    knowledge: tuple[Item, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        """Skills first, then knowledge, in the standard's order."""
        return self.skills + self.knowledge


@dataclass(frozen=True)
class Function:
    """A labour function («Трудовая функция») of a profession card."""

    id: str
    number: int
    title: str
    card_id: str
    tasks: tuple[Task, ...]
    listed_as: str | None = None


@dataclass(frozen=True)
class Card:
    """A profession card («Карточка профессии»)."""

    id: str
    title: str
    ork_level: int
    main_goal: str
    personal_competences: tuple[str, ...]
    functions: tuple[Function, ...]


@dataclass(frozen=True)
class Term:
    """A glossary term with its definition."""

    id: str
    term: str
    definition: str


@dataclass(frozen=True)
class Entry:
    """Uniform view of any ID: its kind, main text and parent chain (root first)."""

    id: str
    kind: Kind
    text: str
    parents: tuple[str, ...] = ()
    definition: str = ""

    @property
    def title(self) -> str:
        """Alias of ``text`` (cards and functions have titles)."""
        return self.text

    @property
    def parent(self) -> str | None:
        """The nearest parent ID, or None for cards and glossary terms."""
        return self.parents[-1] if self.parents else None


@dataclass(frozen=True)
class Standard:
    """The whole standard: metadata, the two cards and the glossary, indexed by ID."""

    title: str
    source: str
    description: str
    schema_version: int
    cards: tuple[Card, ...]
    glossary: tuple[Term, ...]
    _index: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Build the ID index and refuse duplicate IDs."""
        for entry in _entries(self):
            if entry.id in self._index:
                raise ValueError(f"Повторяющийся ID в стандарте: {entry.id}")
            self._index[entry.id] = entry

    @property
    def functions(self) -> tuple[Function, ...]:
        """All labour functions, card by card."""
        return tuple(f for c in self.cards for f in c.functions)

    @property
    def tasks(self) -> tuple[Task, ...]:
        """All tasks, in document order."""
        return tuple(t for f in self.functions for t in f.tasks)

    @property
    def items(self) -> tuple[Item, ...]:
        """All skills and knowledge items, task by task."""
        return tuple(i for t in self.tasks for i in t.items)

    def ids(self) -> frozenset[str]:
        """Every ID: cards, functions, tasks, skills, knowledge and glossary terms."""
        return frozenset(self._index)

    def leaf_ids(self) -> tuple[str, ...]:
        """IDs whose coverage matters (skills, knowledge, terms), in document order."""
        return tuple(i for i, e in self._index.items() if e.kind in LEAF_KINDS)

    def get(self, id_: str) -> Entry:
        """The entry for an ID; ``KeyError`` with a Russian message if there is none."""
        try:
            return self._index[id_]
        except KeyError:
            raise KeyError(f"В стандарте нет ID «{id_}»") from None

    def __contains__(self, id_: object) -> bool:
        """Whether the ID exists in the standard."""
        return id_ in self._index

    def leaves_under(self, id_: str) -> tuple[str, ...]:
        """Leaf IDs at or below an ID (a term or item yields itself)."""
        self.get(id_)
        return tuple(i for i in self.leaf_ids() if i == id_ or id_ in self._index[i].parents)


def _entries(std: Standard) -> list[Entry]:
    """Flatten the standard into entries in document order."""
    out: list[Entry] = []
    for card in std.cards:
        out.append(Entry(card.id, "card", card.title))
        for fn in card.functions:
            out.append(Entry(fn.id, "function", fn.title, (card.id,)))
            for task in fn.tasks:
                out.append(Entry(task.id, "task", task.text, (card.id, fn.id)))
                out.extend(Entry(i.id, i.kind, i.text, (card.id, fn.id, task.id)) for i in task.items)
    out.extend(Entry(t.id, "term", t.term, (), t.definition) for t in std.glossary)
    return out


def _expect_id(actual: Any, expected: str) -> str:
    """Check that an ID in the YAML follows the positional scheme."""
    if actual != expected:
        raise ValueError(f"Неверный ID в standard.yaml: «{actual}», ожидался «{expected}»")
    return expected


def _items(raw: list[dict[str, Any]], task_id: str, kind: Literal["skill", "knowledge"]) -> tuple[Item, ...]:
    """Parse the skills or knowledge list of a task."""
    letter = "U" if kind == "skill" else "Z"
    return tuple(
        Item(_expect_id(r["id"], f"{task_id}-{letter}{n}"), kind, n, str(r["text"]).strip(), task_id)
        for n, r in enumerate(raw or [], start=1)
    )


def _task(raw: dict[str, Any], fn_id: str, n: int) -> Task:
    """Parse one task."""
    tid = _expect_id(raw["id"], f"{fn_id}-T{n}")
    skills = _items(raw.get("skills", []), tid, "skill")
    knowledge = _items(raw.get("knowledge", []), tid, "knowledge")
    return Task(tid, n, str(raw["text"]).strip(), fn_id, skills, knowledge)


def _function(raw: dict[str, Any], card_id: str, n: int) -> Function:
    """Parse one labour function."""
    fid = _expect_id(raw["id"], f"{card_id}-TF{n}")
    tasks = tuple(_task(t, fid, k) for k, t in enumerate(raw["tasks"], start=1))
    return Function(fid, n, str(raw["title"]).strip(), card_id, tasks, raw.get("listed_as"))


def _card(raw: dict[str, Any]) -> Card:
    """Parse one profession card."""
    cid = str(raw["id"])
    if not CARD_RE.match(cid):
        raise ValueError(f"Неверный ID карточки в standard.yaml: «{cid}»")
    functions = tuple(_function(f, cid, n) for n, f in enumerate(raw["functions"], start=1))
    competences = tuple(str(c) for c in raw.get("personal_competences", []))
    return Card(
        cid, str(raw["title"]), int(raw["ork_level"]), str(raw["main_goal"]).strip(), competences, functions
    )


def _term(raw: dict[str, Any]) -> Term:
    """Parse one glossary term."""
    tid = str(raw["id"])
    if not TERM_RE.match(tid):
        raise ValueError(f"Неверный ID термина в standard.yaml: «{tid}»")
    return Term(tid, str(raw["term"]).strip(), str(raw["definition"]).strip())


def parse_standard(data: dict[str, Any]) -> Standard:
    """Build a ``Standard`` from the parsed YAML mapping, validating the ID scheme."""
    return Standard(
        title=str(data["title"]),
        source=str(data["source"]).strip(),
        description=str(data.get("description", "")).strip(),
        schema_version=int(data["schema_version"]),
        cards=tuple(_card(c) for c in data["cards"]),
        glossary=tuple(_term(t) for t in data["glossary"]),
    )


@cache
def load_standard() -> Standard:
    """Load (once) the standard shipped inside the package as ``standard.yaml``."""
    text = resources.files("smmkit.curriculum").joinpath("standard.yaml").read_text(encoding="utf-8")
    return parse_standard(yaml.safe_load(text))
