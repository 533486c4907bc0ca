"""Full names of people in the generated data, weighted like the population of Kazakhstan.

The lists and the census shares live in ``texts/names.yaml`` (ethnic groups of the 2021 census: Kazakh,
Russian, Uzbek, Ukrainian, Uyghur, German, Tatar, Azerbaijani, Korean and others). A name is drawn in three
steps: the group by its census share, a first name (the group's own or a Russian one, as many Koreans, Germans
and Ukrainians of Kazakhstan have) and a surname, both with Zipf weights so that a few names are common and
most are rare. Women take the feminine form of a surname (Ахметов → Ахметова, Островский → Островская);
invariant surnames (Ким, Шевченко, Шмидт, Серик) stay as they are.

The realism measures at the end read the dataset ``crm_orders`` (the CRM's customers).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from smmkit.data import textbank
from smmkit.data.realism import Loader

FEMININE_ENDINGS: tuple[tuple[str, str], ...] = (
    ("ский", "ская"), ("цкий", "цкая"), ("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"), ("ин", "ина"), ("ын", "ына"),
)  # fmt: skip
"""Masculine → feminine surname endings (the first that fits is used)."""


@dataclass(frozen=True)
class Group:
    """One ethnic group's names and its share of the population (per cent, census 2021)."""

    key: str
    label: str
    share: float
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    invariant: tuple[str, ...]
    invariant_share: float
    zipf_first: float
    zipf_surname: float
    first_names: dict[str, float]


@cache
def groups() -> tuple[Group, ...]:
    """The ethnic groups of ``texts/names.yaml``, in file order."""
    out = []
    for key, g in textbank.load("names")["groups"].items():
        out.append(
            Group(key, g["label"], float(g["share"]), g["male"], g["female"], g["surnames"], g["invariant"],
                  float(g["invariant_share"]), float(g["zipf"]["first"]), float(g["zipf"]["surname"]),
                  dict(g["first_names"]))
        )  # fmt: skip
    return tuple(out)


def female_share() -> float:
    """Share of women among the people drawn (CRM customers of the kit's brands)."""
    return float(textbank.load("names")["female_share"])


def feminine(surname: str) -> str:
    """The feminine form of a masculine surname: Ахметов → Ахметова; Ким, Шевченко, Шмидт stay as they are."""
    for male, female in FEMININE_ENDINGS:
        if surname.endswith(male):
            return surname[: -len(male)] + female
    return surname


@cache
def _surname_index() -> dict[str, str]:
    """Every surname form (masculine, feminine, invariant) → its group key."""
    index: dict[str, str] = {}
    for g in groups():
        for s in g.surnames:
            index[s] = index[feminine(s)] = g.key
        for s in g.invariant:
            index[s] = g.key
    return index


def surname_group(surname: str) -> str | None:
    """The group key of a surname in any form (``None`` for a surname not in the lists)."""
    return _surname_index().get(surname.strip().capitalize())


def _zipf(n: int, s: float) -> np.ndarray:
    """Probabilities 1 / i**s for i = 1..n, normalised."""
    w = 1.0 / np.arange(1, n + 1) ** s
    return w / w.sum()


def draw_names(rng: np.random.Generator, n: int, female: np.ndarray | None = None) -> list[str]:
    """``n`` full names «Имя Фамилия» drawn with ``rng``; ``female`` (bool per person) defaults to the file's share."""
    gs = groups()
    if female is None:
        female = rng.random(n) < female_share()
    shares = np.array([g.share for g in gs])
    group_i = rng.choice(len(gs), size=n, p=shares / shares.sum())
    by_key = {g.key: g for g in gs}
    first = np.empty(n, dtype=object)
    last = np.empty(n, dtype=object)
    for gi, g in enumerate(gs):
        rows = np.flatnonzero(group_i == gi)
        if not len(rows):
            continue
        sources = list(g.first_names)
        p = np.array([g.first_names[k] for k in sources])
        source_i = rng.choice(len(sources), size=len(rows), p=p / p.sum())
        for si, source in enumerate(sources):
            src = g if source == "own" else by_key[source]
            for is_f in (False, True):
                sel = rows[(source_i == si) & (female[rows] == is_f)]
                pool = src.female if is_f else src.male
                if len(sel):
                    first[sel] = np.asarray(pool, dtype=object)[
                        rng.choice(len(pool), size=len(sel), p=_zipf(len(pool), src.zipf_first))
                    ]
        invariant = rng.random(len(rows)) < g.invariant_share if g.surnames else np.ones(len(rows), dtype=bool)
        for inv, pool in ((True, g.invariant), (False, g.surnames)):
            sel = rows[invariant == inv]
            if len(sel):
                picks = np.asarray(pool, dtype=object)[
                    rng.choice(len(pool), size=len(sel), p=_zipf(len(pool), g.zipf_surname))
                ]
                last[sel] = [feminine(s) if is_f and not inv else s for s, is_f in zip(picks, female[sel], strict=True)]
    return [f"{a} {b}" for a, b in zip(first, last, strict=True)]


# --- realism measures (dataset crm_orders) -----------------------------------------------------------------


def _customer_surnames(load: Loader) -> pd.Series:
    """One surname per CRM customer (the last word of «Имя Фамилия»)."""
    customers = load("crm_orders").drop_duplicates("customer_id")
    return customers["customer_name"].str.split().str[-1]


def _group_share(load: Loader, key: str) -> float:
    """Per cent of CRM customers whose surname belongs to group ``key``."""
    return float(_customer_surnames(load).map(surname_group).eq(key).mean() * 100)


def realism_kazakh_surname_share(load: Loader) -> float:
    """Per cent of CRM customers with a Kazakh surname (census 2021: 70.4 % Kazakhs)."""
    return _group_share(load, "kazakh")


def realism_russian_surname_share(load: Loader) -> float:
    """Per cent of CRM customers with a Russian surname (census 2021: 15.5 % Russians)."""
    return _group_share(load, "russian")


def realism_korean_surname_share(load: Loader) -> float:
    """Per cent of CRM customers with a Korean surname (census 2021: 0.6 % Koreans)."""
    return _group_share(load, "korean")


def realism_top_surname_share(load: Loader) -> float:
    """Per cent of CRM customers who carry the most frequent surname (both forms counted together)."""
    surnames = _customer_surnames(load)
    base = surnames.map(lambda s: next((s[: -len(f)] + m for m, f in FEMININE_ENDINGS if s.endswith(f)), s))
    return float(base.value_counts(normalize=True).iloc[0] * 100)


def realism_unique_name_share(load: Loader) -> float:
    """Per cent of CRM customers whose full name no other customer has."""
    names = load("crm_orders").drop_duplicates("customer_id")["customer_name"]
    return float((~names.duplicated(keep=False)).mean() * 100)
