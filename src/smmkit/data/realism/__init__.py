"""The realism report: every reference range the datasheets rely on, its value in the data, and whether it fits.

References are data: each ``*.yaml`` file in this folder lists entries like

.. code-block:: yaml

    - id: posts.er_instagram            # unique, prefixed with the file's area
      dataset: posts                    # whose DATASHEET.md shows the row
      what: ER по охвату, Instagram     # Russian, as the datasheet's table shows it
      measure: smmkit.data.some_module:realism_er_instagram
      low: 2.0
      high: 6.0
      unit: "%"
      source: Отчёт или открытый набор, из которого взят диапазон
      url: https://...                  # optional

A measure is ``f(load) -> float`` where ``load(name)`` gives the dataset as :func:`smmkit.datasets.load` reads
it. ``smmkit datasets realism`` prints the table and fails if a value is outside its range; ``smmkit datasets
build`` writes each dataset's rows into its DATASHEET.md between the lines ``<!-- realism:begin -->`` and
``<!-- realism:end -->`` (and ``--check`` compares them), so the figures a datasheet quotes are the data's own.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

HERE = Path(__file__).parent
BEGIN, END = "<!-- realism:begin -->", "<!-- realism:end -->"
_KEYS = {"id", "dataset", "what", "measure", "low", "high", "unit", "source", "url"}
_REQUIRED = ("id", "dataset", "what", "measure", "low", "high", "source")

Loader = Callable[[str], pd.DataFrame]


class RealismError(ValueError):
    """A reference file is malformed (the message names the file and the entry, in Russian)."""


@dataclass(frozen=True)
class Reference:
    """One reference range: what is measured in which dataset, the range, and where the range comes from."""

    id: str
    dataset: str
    what: str
    measure: str
    low: float
    high: float
    source: str
    unit: str = ""
    url: str = ""

    def compute(self, load: Loader) -> float:
        """The measure's value on the data ``load`` gives."""
        module, _, name = self.measure.partition(":")
        try:
            func = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as err:
            raise RealismError(f"Ориентир {self.id}: функция {self.measure} не найдена ({err}).") from None
        return float(func(load))


@dataclass(frozen=True)
class Finding:
    """A reference and the value measured in the data."""

    ref: Reference
    value: float

    @property
    def ok(self) -> bool:
        """Whether the value lies inside the reference range (bounds included)."""
        return not math.isnan(self.value) and self.ref.low <= self.value <= self.ref.high


def _entry(raw: object, file: Path, index: int) -> Reference:
    where = f"{file.name}, запись {index + 1}"
    if not isinstance(raw, dict):
        raise RealismError(f"{where}: ожидался словарь с ключами {', '.join(_REQUIRED)}.")
    missing = [k for k in _REQUIRED if raw.get(k) in (None, "")]
    unknown = sorted(set(raw) - _KEYS)
    if missing or unknown:
        raise RealismError(f"{where}: нет ключей {missing or '—'}, лишние ключи {unknown or '—'}.")
    if ":" not in str(raw["measure"]):
        raise RealismError(f"{where}: measure пишется как «модуль:функция», а не {raw['measure']!r}.")
    try:
        low, high = float(raw["low"]), float(raw["high"])
    except (TypeError, ValueError):
        raise RealismError(f"{where}: low и high должны быть числами.") from None
    if low > high:
        raise RealismError(f"{where}: low ({low}) больше high ({high}).")
    text = {k: str(raw.get(k) or "") for k in ("id", "dataset", "what", "measure", "source", "unit", "url")}
    return Reference(low=low, high=high, **text)


def references(folder: Path = HERE) -> tuple[Reference, ...]:
    """Every reference in ``folder/*.yaml``, files in name order; ids must be unique."""
    refs: list[Reference] = []
    for file in sorted(folder.glob("*.yaml")):
        try:
            raw = yaml.safe_load(file.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as err:
            raise RealismError(f"{file.name}: не читается как YAML ({err}).") from None
        if not isinstance(raw, list):
            raise RealismError(f"{file.name}: файл должен быть списком ориентиров.")
        refs += [_entry(item, file, i) for i, item in enumerate(raw)]
    ids = [r.id for r in refs]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise RealismError(f"Ориентиры с одинаковым id: {', '.join(twice)}.")
    return tuple(refs)


def measure(refs: Iterable[Reference], load: Loader) -> list[Finding]:
    """Measure each reference; ``load`` is cached so each dataset is read once."""
    cached = lru_cache(maxsize=None)(load)
    return [Finding(ref, ref.compute(cached)) for ref in refs]


def number(value: float) -> str:
    """A value as the datasheets print it: a decimal comma, a space between thousands; whole numbers from 100,
    one decimal from 1, two significant digits below 1.

    >>> number(1234.5), number(18.0), number(7.682), number(0.04567), number(float("nan"))
    ('1 234', '18', '7,7', '0,046', '—')
    """
    if math.isnan(value):
        return "—"
    if value == 0 or abs(value) >= 100:
        decimals = 0
    elif abs(value) >= 1:
        decimals = 1
    else:
        decimals = 1 - math.floor(math.log10(abs(value)))
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",").replace("\u00a0", " ")


def _unit(ref: Reference) -> str:
    return f" {ref.unit}" if ref.unit else ""


def _range(ref: Reference) -> str:
    return f"{number(ref.low)}–{number(ref.high)}{_unit(ref)}"


def _source(ref: Reference) -> str:
    text = ref.source.replace("|", "/")
    return f"[{text}]({ref.url})" if ref.url else text


def markdown(findings: Sequence[Finding]) -> str:
    """The datasheet's table: what, the reference range, its source, the value in the data, inside or not."""
    lines = ["| показатель | ориентир | источник | в данных | в диапазоне |", "|---|---|---|---:|:---:|"]
    for f in findings:
        mark = "да" if f.ok else "**нет**"
        value = f"**{number(f.value)}{_unit(f.ref)}**"
        lines.append(f"| {f.ref.what} | {_range(f.ref)} | {_source(f.ref)} | {value} | {mark} |")
    return "\n".join(lines)


def fill(text: str, findings: Sequence[Finding], where: str = "DATASHEET.md") -> str:
    """``text`` with the block between the realism markers replaced by the findings' table."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise RealismError(f"{where}: нужны ровно одна строка {BEGIN} и после неё одна строка {END}.")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{markdown(findings)}\n{END}{tail}"


def datasheets(root: Path, findings: Sequence[Finding], check: bool, out) -> list[Path]:
    """Write (or, with ``check``, compare) the realism block of every datasheet that has references.

    A datasheet with references but no markers is an error; one with markers but no references gets an empty
    table. Returns the stale datasheets (``check``) or an empty list.
    """
    by_dataset: dict[str, list[Finding]] = {}
    for f in findings:
        by_dataset.setdefault(f.ref.dataset, []).append(f)
    stale = []
    for sheet in sorted(root.glob("*/DATASHEET.md")):
        text = sheet.read_text(encoding="utf-8")
        rows = by_dataset.pop(sheet.parent.name, [])
        if not rows and BEGIN not in text:
            continue
        new = fill(text, rows, str(sheet))
        if new == text:
            continue
        if check:
            stale.append(sheet)
        else:
            sheet.write_text(new, encoding="utf-8")
            print(f"записан {sheet}", file=out)
    if by_dataset:
        raise RealismError(f"Ориентиры для наборов без паспорта: {', '.join(sorted(by_dataset))}.")
    return stale


def report(findings: Sequence[Finding]) -> str:
    """The console table of ``smmkit datasets realism``."""
    rows = [
        (f.ref.id, f.ref.what, _range(f.ref), number(f.value) + _unit(f.ref), "да" if f.ok else "НЕТ")
        for f in findings
    ]
    head = ("ориентир", "показатель", "диапазон", "в данных", "внутри")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [head, *rows]]
    bad = sum(not f.ok for f in findings)
    lines.append(f"\nОриентиров: {len(findings)}; вне диапазона: {bad}.")
    return "\n".join(lines)


def main(root: Path, out) -> int:
    """``smmkit datasets realism``: print every reference and its value; exit 1 if any is outside its range."""
    from smmkit.datasets import load

    findings = measure(references(), lambda name: load(name, root))
    print(report(findings), file=out)
    return 0 if all(f.ok for f in findings) else 1
