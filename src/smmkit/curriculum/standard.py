"""The professional standard «Менеджмент социальных сетей (SMM)» as data: loading and lookup by ID.

>>> std = load_standard()
>>> std.get("A4-TF1-T1-Z3").parents
('A4', 'A4-TF1', 'A4-TF1-T1')
>>> std.get("GL-er").kind
'term'

Duplicated items count once, for the original; compound items are split into parts:

>>> std.canonical("M6-TF1-T2-U1")
'M6-TF1-T1-U6'
>>> std.get("M6-TF2-T1-Z1.2").text
'Основы JavaScript'
>>> std.leaves_for("M6-TF2-T1-Z1")
('M6-TF2-T1-Z1.1', 'M6-TF2-T1-Z1.2', 'M6-TF2-T1-Z1.3', 'M6-TF2-T1-Z1.4')
>>> std.get("A4-PC1").text, std.get("A4-PC1").kind
('Творческий подход к работе', 'competence')
>>> std.notes("A4-TF5-T1-Z2.2")[-1].text
'Sony продала Vegas компании MAGIX в 2016 году; сейчас программа называется VEGAS Pro.'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

Kind = Literal["card", "function", "task", "skill", "knowledge", "part", "term", "competence"]
NoteKind = Literal["typo", "obsolete", "comment"]

KINDS: tuple[str, ...] = ("card", "function", "task", "skill", "knowledge", "part", "term", "competence")
ITEM_KINDS: frozenset[str] = frozenset({"skill", "knowledge"})
NOTE_KINDS: tuple[str, ...] = ("typo", "obsolete", "comment")
SECTORS: tuple[str, ...] = ("tipo", "higher")

CARD_RE = re.compile(r"^(?:A4|M6)$")
TERM_RE = re.compile(r"^GL-[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RE = re.compile(
    r"^(?:(?:A4|M6)(?:-PC[1-9][0-9]*"
    r"|-TF[1-9][0-9]*(?:-T[1-9][0-9]*(?:-[UZ][1-9][0-9]*(?:\.[1-9][0-9]*)?)?)?)?"
    r"|GL-[a-z0-9]+(?:-[a-z0-9]+)*)$"
)


@dataclass(frozen=True)
class Note:
    """A remark shown to students next to the standard's wording (a typo, an obsolete tool name, …)."""

    kind: NoteKind
    text: str


@dataclass(frozen=True)
class Part:
    """One part of a compound item (e.g. HTML of «HTML, JavaScript, XML, API»); parts are covered separately."""

    id: str
    number: int
    text: str
    item_id: str
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Item:
    """A skill («Умение») or knowledge item («Знание») of a task."""

    id: str
    kind: Literal["skill", "knowledge"]
    number: int
    text: str
    task_id: str
    parts: tuple[Part, ...] = ()
    same_as: str | None = None
    notes: tuple[Note, ...] = ()

    @property
    def compound(self) -> bool:
        """Whether the item is split into parts (then the parts, not the item, are leaves)."""
        return bool(self.parts)


@dataclass(frozen=True)
class Task:
    """A task («Задача») of a labour function, with its skills and knowledge."""

    id: str
    number: int
    text: str
    function_id: str
    skills: tuple[Item, ...]
    knowledge: tuple[Item, ...]
    notes: tuple[Note, ...] = ()

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
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Competence:
    """A personal competence («Требования к личностным компетенциям»); listed, not a coverage leaf."""

    id: str
    number: int
    text: str
    card_id: str
    same_as: str | None = None


@dataclass(frozen=True)
class EducationLink:
    """Where a card sits in the education system: ``tipo`` (college) or ``higher``, and its ОРК level."""

    sector: str
    ork_level: int
    summary: str


@dataclass(frozen=True)
class Card:
    """A profession card («Карточка профессии»).

    ``passport`` keeps the card's other fields as the standard gives them: ``code``, ``group_code``,
    ``other_names``, ``related_professions``, ``reference_books`` and ``education``.
    """

    id: str
    title: str
    ork_level: int
    main_goal: str
    personal_competences: tuple[Competence, ...]
    functions: tuple[Function, ...]
    education_system: EducationLink | None = None
    passport: Mapping[str, Any] = field(default_factory=dict, compare=False)


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
    same_as: str | None = None
    parts: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()

    @property
    def title(self) -> str:
        """Alias of ``text`` (cards and functions have titles)."""
        return self.text

    @property
    def parent(self) -> str | None:
        """The nearest parent ID, or None for cards and glossary terms."""
        return self.parents[-1] if self.parents else None

    @property
    def leaf(self) -> bool:
        """Whether the ID is a coverage leaf: a term, a part, or an item that is neither split nor a repeat."""
        if self.kind in ("term", "part"):
            return True
        return self.kind in ITEM_KINDS and not self.parts and self.same_as is None


@dataclass(frozen=True)
class Standard:
    """The whole standard: metadata, passport, the two cards and the glossary, indexed by ID."""

    title: str
    source: str
    description: str
    schema_version: int
    cards: tuple[Card, ...]
    glossary: tuple[Term, ...]
    edition: Mapping[str, Any] = field(default_factory=dict, compare=False)
    passport: Mapping[str, Any] = field(default_factory=dict, compare=False)
    _index: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Build the ID index, refuse duplicate IDs and check that ``same_as`` names an original."""
        for entry in _entries(self):
            if entry.id in self._index:
                raise ValueError(f"Повторяющийся ID в стандарте: {entry.id}")
            self._index[entry.id] = entry
        for entry in self._index.values():
            target = self._index.get(entry.same_as) if entry.same_as else None
            if entry.same_as and (target is None or target.same_as or target.kind != entry.kind):
                raise ValueError(f"standard.yaml: {entry.id} повторяет «{entry.same_as}», но такого пункта нет")

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
        """All skills and knowledge items as the standard numbers them (repeats and compounds included)."""
        return tuple(i for t in self.tasks for i in t.items)

    @property
    def competences(self) -> tuple[Competence, ...]:
        """All personal competences, card by card."""
        return tuple(p for c in self.cards for p in c.personal_competences)

    def ids(self) -> frozenset[str]:
        """Every ID: cards, functions, tasks, items, parts, glossary terms and personal competences."""
        return frozenset(self._index)

    def leaf_ids(self) -> tuple[str, ...]:
        """IDs whose coverage matters, in document order: parts replace compound items, repeats are left out."""
        return tuple(i for i, e in self._index.items() if e.leaf)

    def get(self, id_: str) -> Entry:
        """The entry for an ID; ``KeyError`` with a Russian message if there is none."""
        try:
            return self._index[id_]
        except KeyError:
            raise KeyError(f"В стандарте нет ID «{id_}»") from None

    def __contains__(self, id_: object) -> bool:
        """Whether the ID exists in the standard."""
        return id_ in self._index

    def canonical(self, id_: str) -> str:
        """The ID a tag counts for: the original of a repeated item, otherwise the ID itself."""
        return self.get(id_).same_as or id_

    def notes(self, id_: str) -> tuple[Note, ...]:
        """Notes on an ID; a part also shows the notes of its compound item."""
        entry = self.get(id_)
        inherited = self.get(entry.parent).notes if entry.kind == "part" and entry.parent else ()
        return inherited + entry.notes

    def note(self, id_: str) -> str:
        """The notes on an ID as one Russian text (empty when there are none)."""
        return " ".join(n.text for n in self.notes(id_))

    def leaves_for(self, id_: str) -> tuple[str, ...]:
        """The leaves an ID stands for in a module map: a repeat its original, a compound its parts."""
        entry = self.get(self.canonical(id_))
        if entry.parts:
            return entry.parts
        return (entry.id,) if entry.leaf else ()

    def leaves_under(self, id_: str) -> tuple[str, ...]:
        """Leaf IDs at or below an ID (a leaf yields itself, a compound its parts, a repeat nothing)."""
        self.get(id_)
        return tuple(i for i in self.leaf_ids() if i == id_ or id_ in self._index[i].parents)


def _entries(std: Standard) -> list[Entry]:
    """Flatten the standard into entries in document order."""
    out: list[Entry] = []
    for card in std.cards:
        out.append(Entry(card.id, "card", card.title))
        for fn in card.functions:
            out.append(Entry(fn.id, "function", fn.title, (card.id,), notes=fn.notes))
            for task in fn.tasks:
                up = (card.id, fn.id)
                out.append(Entry(task.id, "task", task.text, up, notes=task.notes))
                for i in task.items:
                    parts = tuple(p.id for p in i.parts)
                    out.append(Entry(i.id, i.kind, i.text, (*up, task.id), "", i.same_as, parts, i.notes))
                    out.extend(
                        Entry(p.id, "part", p.text, (*up, task.id, i.id), notes=p.notes) for p in i.parts
                    )
        out.extend(
            Entry(p.id, "competence", p.text, (card.id,), same_as=p.same_as) for p in card.personal_competences
        )
    out.extend(Entry(t.id, "term", t.term, (), t.definition) for t in std.glossary)
    return out


def _expect_id(actual: Any, expected: str) -> str:
    """Check that an ID in the YAML follows the positional scheme."""
    if actual != expected:
        raise ValueError(f"Неверный ID в standard.yaml: «{actual}», ожидался «{expected}»")
    return expected


def _notes(raw: Any, where: str) -> tuple[Note, ...]:
    """Parse a ``notes`` list of {kind, text}."""
    out = []
    for r in raw or []:
        if r.get("kind") not in NOTE_KINDS:
            raise ValueError(f"standard.yaml, {where}: вид примечания должен быть одним из {', '.join(NOTE_KINDS)}")
        out.append(Note(r["kind"], " ".join(str(r["text"]).split())))
    return tuple(out)


def _parts(raw: list[dict[str, Any]] | None, item_id: str) -> tuple[Part, ...]:
    """Parse the parts of a compound item (at least two)."""
    parts = tuple(
        Part(_expect_id(r["id"], f"{item_id}.{n}"), n, str(r["text"]).strip(), item_id, _notes(r.get("notes"), r["id"]))
        for n, r in enumerate(raw or [], start=1)
    )
    if len(parts) == 1:
        raise ValueError(f"standard.yaml, {item_id}: составной пункт должен иметь хотя бы две части")
    return parts


def _items(raw: list[dict[str, Any]], task_id: str, kind: Literal["skill", "knowledge"]) -> tuple[Item, ...]:
    """Parse the skills or knowledge list of a task."""
    letter = "U" if kind == "skill" else "Z"
    out = []
    for n, r in enumerate(raw or [], start=1):
        iid = _expect_id(r["id"], f"{task_id}-{letter}{n}")
        parts, same_as = _parts(r.get("parts"), iid), r.get("same_as")
        if parts and same_as:
            raise ValueError(f"standard.yaml, {iid}: пункт не может быть и составным, и повтором")
        out.append(Item(iid, kind, n, str(r["text"]).strip(), task_id, parts, same_as, _notes(r.get("notes"), iid)))
    return tuple(out)


def _task(raw: dict[str, Any], fn_id: str, n: int) -> Task:
    """Parse one task."""
    tid = _expect_id(raw["id"], f"{fn_id}-T{n}")
    skills = _items(raw.get("skills", []), tid, "skill")
    knowledge = _items(raw.get("knowledge", []), tid, "knowledge")
    return Task(tid, n, str(raw["text"]).strip(), fn_id, skills, knowledge, _notes(raw.get("notes"), tid))


def _function(raw: dict[str, Any], card_id: str, n: int) -> Function:
    """Parse one labour function."""
    fid = _expect_id(raw["id"], f"{card_id}-TF{n}")
    tasks = tuple(_task(t, fid, k) for k, t in enumerate(raw["tasks"], start=1))
    notes = _notes(raw.get("notes"), fid)
    return Function(fid, n, str(raw["title"]).strip(), card_id, tasks, raw.get("listed_as"), notes)


def _competences(raw: list[Any], card_id: str) -> tuple[Competence, ...]:
    """Parse a card's personal competences ({id, text, same_as?})."""
    return tuple(
        Competence(_expect_id(r["id"], f"{card_id}-PC{n}"), n, str(r["text"]).strip(), card_id, r.get("same_as"))
        for n, r in enumerate(raw or [], start=1)
    )


def _education_system(raw: dict[str, Any] | None, card_id: str) -> EducationLink | None:
    """Parse a card's link to the education system."""
    if raw is None:
        return None
    if raw.get("sector") not in SECTORS:
        raise ValueError(f"standard.yaml, {card_id}: education_system.sector должен быть одним из {', '.join(SECTORS)}")
    return EducationLink(str(raw["sector"]), int(raw["ork_level"]), " ".join(str(raw["summary"]).split()))


PASSPORT_KEYS: tuple[str, ...] = (
    "code",
    "group_code",
    "other_names",
    "related_professions",
    "reference_books",
    "education",
)


def _card(raw: dict[str, Any]) -> Card:
    """Parse one profession card."""
    cid = str(raw["id"])
    if not CARD_RE.match(cid):
        raise ValueError(f"Неверный ID карточки в standard.yaml: «{cid}»")
    functions = tuple(_function(f, cid, n) for n, f in enumerate(raw["functions"], start=1))
    return Card(
        cid,
        str(raw["title"]),
        int(raw["ork_level"]),
        str(raw["main_goal"]).strip(),
        _competences(raw.get("personal_competences", []), cid),
        functions,
        _education_system(raw.get("education_system"), cid),
        {k: raw[k] for k in PASSPORT_KEYS if k in raw},
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
        edition=data.get("edition") or {},
        passport=data.get("passport") or {},
    )


@cache
def load_standard() -> Standard:
    """Load (once) the standard shipped inside the package as ``standard.yaml``."""
    text = resources.files("smmkit.curriculum").joinpath("standard.yaml").read_text(encoding="utf-8")
    return parse_standard(yaml.safe_load(text))
