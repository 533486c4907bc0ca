"""The documents a college files, generated from the programme: Word (.docx) and Markdown, Russian and Kazakh.

``smmkit curriculum documents --out DIR`` writes, for each language of the settings (``ru``, ``kk``):

- ``programme``: the outline: approval block, legal basis, qualification profile, modules with their
  learning outcomes and hours (theory / practice / independent work, credits), final attestation;
- ``rupr-NN``: the working curriculum (РУПр) of each module: purpose, outcomes with assessment criteria,
  thematic plan, control points, resources;
- ``syllabus-NN``: the (optional) syllabus of each module: teacher, policy, grading weights, scale;
- ``ktp``: the calendar-thematic plan of the semester (start date, weekly hours, days, holidays from the
  settings);
- ``rubrics``: every graded item with its points, what it checks and the typical mistakes that lose them;
- ``standard-map``: every skill and knowledge item of the standard with where it is introduced, practised
  and assessed;
- ``glossary``: the three-language terminology glossary;
- ``instructor-guide`` (Russian only, :mod:`.guide`): timing, what to show, typical mistakes, manual grading
  with model answers, running with and without JupyterHub, a short pandas path.

Fixed texts are data (``documents.yaml``); everything else comes from the programme (:mod:`.programme`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from smmkit.grading.scale import load_scale

from .college import Settings
from .glossary import load_glossary
from .programme import Programme, ProgrammeModule, levels_of
from .standard import load_standard
from .translations import (
    kk_criterion,
    kk_lesson_title,
    kk_mark,
    kk_mistake,
    kk_objective,
    kk_question,
    kk_standard,
    kk_standard_name,
    misses,
    reset_misses,
)

FORMATS = ("docx", "md")


@dataclass(frozen=True)
class Heading:
    """A heading, level 1 (the title) to 3."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Para | Bullets | Table


@dataclass
class Document:
    """One document in one language: its file stem and its blocks."""

    stem: str
    lang: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def name(self) -> str:
        """File name without the extension, e.g. ``programme-ru``."""
        return f"{self.stem}-{self.lang}"

    def tables(self) -> list[Table]:
        """The document's tables, in order."""
        return [b for b in self.blocks if isinstance(b, Table)]


# --- texts ---------------------------------------------------------------------------------------


@cache
def _labels() -> dict[str, dict[str, Any]]:
    text = resources.files("smmkit.curriculum").joinpath("documents.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text)["labels"])


@cache
def legal_sources() -> tuple[dict[str, Any], ...]:
    """The legal sources the outline cites, each with what was verified (``documents.yaml``'s ``legal_sources``)."""
    text = resources.files("smmkit.curriculum").joinpath("documents.yaml").read_text(encoding="utf-8")
    return tuple(yaml.safe_load(text)["legal_sources"])


def legal_item(source: dict[str, Any], lang: str) -> str:
    """A legal source as the outline lists it: its text, its page on adilet.zan.kz, and whether it was verified.

    >>> legal_item(legal_sources()[2], "ru").endswith("(https://adilet.zan.kz/rus/docs/V2300032140) "
    ...                                                "[номер, дата и название сверены с adilet.zan.kz 03.12.2026]")
    True
    """
    text = str(source[lang])
    if source.get("act"):
        text += f" (https://adilet.zan.kz/{'kaz' if lang == 'kk' else 'rus'}/docs/{source['act']})"
    if source["verified"] == "verified":
        date = dt.date.fromisoformat(str(source["checked"]))
        return f"{text} {label('legal_verified', lang, date=f'{date:%d.%m.%Y}')}"
    return f"{text} {label('legal_unverified', lang)}"


def label(key: str, lang: str, **fields: object) -> Any:
    """A fixed text of the documents in a language, placeholders filled.

    >>> label("h_hours", "kk"), label("credit_rule", "ru", hours=24, minutes=45)
    ('Барлығы, сағ', '1 кредит = 24 академ. ч; академический час — 45 мин.')
    """
    value = _labels()[key][lang]
    return value.format(**fields) if isinstance(value, str) and fields else value


@cache
def _titles_kk() -> dict[str, dict[str, str]]:
    text = resources.files("smmkit.curriculum").joinpath("titles_kk.yaml").read_text(encoding="utf-8")
    return {k: {str(i): str(t) for i, t in v.items()} for k, v in yaml.safe_load(text).items() if isinstance(v, dict)}


def title(kind: str, key: str, russian: str, lang: str) -> str:
    """A module's, card's or function's title in a language (Kazakh from ``titles_kk.yaml``).

    >>> title("modules", "01", "Контент-план, время публикаций и автопостинг", "kk")
    'Контент-жоспар, жариялау уақыты және автопостинг'
    """
    if lang == "ru":
        return russian
    try:
        return _titles_kk()[kind][key]
    except KeyError:
        raise KeyError(f"titles_kk.yaml: нет казахского названия для {kind} {key} («{russian}»)") from None


def _lesson_title(o: Any, lang: str) -> str:
    """A learning outcome's (lesson's) title in a language."""
    return kk_lesson_title(o.lesson, o.title) if lang == "kk" else o.title


def _objectives(o: Any, lang: str) -> tuple[str, ...]:
    if lang != "kk":
        return tuple(o.objectives)
    return tuple(kk_objective(o.lesson, n, text) for n, text in enumerate(o.objectives, start=1))


def _question(g: Any, lang: str) -> str:
    return kk_question(g.assignment, g.grade_id, g.question) if lang == "kk" else g.question


def _criteria_of(g: Any, lang: str) -> tuple[str, ...]:
    if lang != "kk":
        return tuple(g.criteria)
    return tuple(kk_criterion(g.assignment, g.grade_id, n, c) for n, c in enumerate(g.criteria, start=1))


def _mistakes_of(g: Any, lang: str) -> tuple[str, ...]:
    return tuple(kk_mistake(m) for m in g.mistakes) if lang == "kk" else tuple(g.mistakes)


def _item_text(id_: str, lang: str) -> str:
    """A leaf or item of the standard in a language: skills and knowledge from standard_kk.yaml, terms from the
    glossary."""
    text = load_standard().get(id_).text
    if lang != "kk":
        return text
    if id_.startswith("GL-"):
        return load_glossary()[id_].kk
    return kk_standard(id_, text)


def _std_name(key: str, russian: str, lang: str) -> str:
    return kk_standard_name(key, russian) if lang == "kk" else russian


def _mtitle(pm: ProgrammeModule, lang: str) -> str:
    return title("modules", pm.module.number, pm.module.title, lang)


def _num(value: float) -> str:
    """A number as documents print it: whole numbers bare, others with a decimal comma."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _module_code(pm: ProgrammeModule, lang: str) -> str:
    prefix = label("pm", lang) if pm.block in ("core", "advanced") else label("module", lang)
    return f"{prefix} {pm.module.number}"


def _outcome_code(number: str, lang: str) -> str:
    return f"{label('ro', lang)} {number}"


def _head(settings: Settings, lang: str, title: str) -> list[Block]:
    blocks: list[Block] = [
        Para(settings.college[lang]),
        Para(f"{label('approve', 'kk')} / {label('approve', 'ru')}"),
        Para(label("approve_who", lang)),
        Para(label("approve_line", lang)),
        Heading(title),
    ]
    return blocks


def _foot(lang: str) -> list[Block]:
    return [Para(label("approve_council", lang)), Para(label("generated", lang))]


def _status(pm: ProgrammeModule, lang: str) -> str:
    return label("planned", lang) if pm.planned else label("status_built", lang)


def _control(pm: ProgrammeModule, lang: str) -> str:
    if pm.assignments:
        return label("control_assignment", lang, names=", ".join(pm.assignments))
    return label("planned", lang) if pm.planned else label("control_current", lang)


# --- the programme -------------------------------------------------------------------------------

BLOCKS = ("intro", "core", "advanced", "capstone")


def structure_table(programme: Programme, lang: str) -> Table:
    """The programme's modules and their outcomes with hours and credits; module rows carry the totals."""
    s = programme.settings
    rows: list[tuple[str, ...]] = []
    for pm in programme.modules:
        name = _mtitle(pm, lang) + (f" ({label('planned', lang)})" if pm.planned else "")
        rows.append((_module_code(pm, lang), name, str(pm.theory), str(pm.practice), str(pm.independent),
                     str(pm.hours), _num(s.credits(pm.hours)), _control(pm, lang), ", ".join(pm.standard)))
        for o in pm.outcomes:
            control = "; ".join(dict.fromkeys(f"{g.assignment}: {_question(g, lang).split('·')[0].strip()}"
                                              for g in o.graded)) or label("control_current", lang)
            rows.append((_outcome_code(o.number, lang), f"{o.lesson} {_lesson_title(o, lang)}", str(o.theory),
                         str(o.practice),
                         "", str(o.hours), _num(s.credits(o.hours)), control, ", ".join(o.standard)))
        if pm.independent and pm.outcomes:
            rows.append(("", label("h_independent", lang), "", "", str(pm.independent), str(pm.independent),
                         _num(s.credits(pm.independent)), _control(pm, lang), ""))
        rows += [("", name, "", "", "", str(hours), _num(s.credits(hours)), control, "")
                 for name, hours, control in _practice_rows(programme, pm, lang)]
    if s.final_hours:
        rows.append(("", label("row_final", lang), "", "", "", str(s.final_hours), _num(s.credits(s.final_hours)),
                     label("control_final", lang), ""))
    total = programme.hours
    rows.append(("", label("total", lang), str(sum(m.theory for m in programme.modules)),
                 str(sum(m.practice for m in programme.modules)), str(sum(m.independent for m in programme.modules)),
                 str(total), _num(s.credits(total)), "", ""))
    headers = tuple(label(k, lang) for k in ("h_code", "h_name", "h_theory", "h_practice", "h_independent",
                                                "h_hours", "h_credits", "h_control", "h_standard"))
    return Table(headers, tuple(rows))


def _practice_rows(programme: Programme, pm: ProgrammeModule, lang: str) -> list[tuple[str, int, str]]:
    """(name, hours, form of control) of a module's professional practice and interim attestation, if any."""
    rows = []
    practice, interim = programme.practice_of(pm), programme.interim_of(pm)
    if practice:
        outcomes = (f" ({_outcome_code(pm.outcomes[0].number, lang)}–{pm.outcomes[-1].number})" if pm.outcomes
                    else f" ({label('planned', lang)})")
        rows.append((label("row_practice", lang) + outcomes, practice, label("control_practice", lang)))
    if interim:
        rows.append((label("row_interim", lang, module=_module_code(pm, lang)), interim,
                     label("control_interim", lang)))
    return rows


def programme_document(programme: Programme, lang: str) -> Document:
    """The programme's outline."""
    s, std = programme.settings, load_standard()
    doc = Document("programme", lang, _head(s, lang, label("programme_title", lang)))
    languages = ", ".join(label(f"language_{code}", lang) for code in s.languages)
    doc.blocks += [
        Para(f"{label('specialty', lang)}: {s.specialty_code} {s.specialty_name}".strip()
             if s.specialty_code or s.specialty_name else f"{label('specialty', lang)}: {label('blank', lang)}"),
        Para(f"{label('standard', lang)}: «{_std_name('title', std.title, lang)}» "
             f"({_std_name('source', std.source, lang)})"),
        Para(f"{label('languages_of_study', lang)}: {languages}"),
        Para(label("credit_rule", lang, hours=s.hours_per_credit, minutes=s.academic_hour_minutes)),
        Heading(label("legal_basis", lang), 2),
        Bullets(tuple(legal_item(source, lang) for source in legal_sources())),
        Para(label("legal_check", lang)),
    ]
    a4 = next(c for c in std.cards if c.id == "A4")
    doc.blocks.append(Heading(label("profile", lang, card=title("cards", "A4", a4.title, lang), level=a4.ork_level), 2))
    served = {t: pm for pm in programme.modules for t in pm.module.tasks}
    rows = []
    for f in a4.functions:
        pms = [served[t.id] for t in f.tasks if t.id in served]
        where = ", ".join(f"{_module_code(pm, lang)} ({_status(pm, lang)})" for pm in pms) or "—"
        rows.append((f.id, title("functions", f.id, f.title, lang), where))
    doc.blocks.append(Table((label("h_code", lang), label("h_function", lang), label("h_module", lang)),
                            tuple(rows)))
    if any(pm.block == "advanced" for pm in programme.modules):
        m6 = next(c for c in std.cards if c.id == "M6")
        doc.blocks.append(Para(label("profile_card_m6", lang, card=title("cards", "M6", m6.title, lang),
                                             level=m6.ork_level)))
    doc.blocks += [Heading(label("structure", lang), 2), structure_table(programme, lang)]
    blocks_here = [b for b in BLOCKS if any(pm.block == b for pm in programme.modules)]
    doc.blocks.append(Bullets(tuple(
        f"{label('block_' + b, lang)}: " + ", ".join(_module_code(pm, lang) for pm in programme.modules
                                                      if pm.block == b) for b in blocks_here)))
    doc.blocks += [Heading(label("final_attestation", lang), 2), Para(label("final_text", lang)), *_foot(lang)]
    return doc


# --- per module: РУПр and syllabus ---------------------------------------------------------------


def _purpose(pm: ProgrammeModule, lang: str) -> str:
    if pm.block == "intro":
        return label("purpose_intro", lang)
    std = load_standard()
    parents = [std.get(std.get(t).parent or t) for t in pm.module.tasks]
    functions = [title("functions", f.id, f.text, lang) for f in parents]
    return label("purpose_text", lang, function="; ".join(functions) or _mtitle(pm, lang))


def _criteria(o: Any, lang: str) -> list[str]:
    out = [f"{g.assignment}, {_question(g, lang)} ({_num(g.points)}): {'; '.join(_criteria_of(g, lang))}"
           for g in o.graded]
    return out or [label("criteria_current", lang, lesson=o.lesson)]


def rupr_document(programme: Programme, pm: ProgrammeModule, lang: str) -> Document:
    """The working curriculum (РУПр) of one module."""
    s = programme.settings
    heading = f"{label('rupr_title', lang)}: {_module_code(pm, lang)} «{_mtitle(pm, lang)}»"
    doc = Document(f"rupr-{pm.module.number}", lang, _head(s, lang, heading))
    before = [m for m in programme.modules if m.module.number < pm.module.number]
    doc.blocks += [
        Heading(label("purpose", lang), 2), Para(_purpose(pm, lang)),
        Heading(label("prerequisites", lang), 2),
        Para(label("prereq_text", lang, names=", ".join(m.module.number for m in before)) if before
             else label("prereq_none", lang)),
        Heading(label("distribution", lang), 2),
        Table(tuple(label(k, lang) for k in ("h_theory", "h_practice", "h_independent", "h_hours", "h_credits")),
              ((str(pm.theory), str(pm.practice), str(pm.independent), str(pm.hours), _num(s.credits(pm.hours))),)),
    ]
    extra = _practice_rows(programme, pm, lang)
    if extra:
        total = programme.module_total(pm)
        doc.blocks += [Heading(label("practice_attestation", lang), 2), Table(
            tuple(label(k, lang) for k in ("h_kind", "h_hours", "h_credits", "h_control")),
            (*((name, str(hours), _num(s.credits(hours)), control) for name, hours, control in extra),
             (label("module_total", lang), str(total), _num(s.credits(total)), "")))]
    if pm.planned:
        doc.blocks += [Para(label("planned_note", lang)), Heading(label("h_standard", lang), 2),
                       Bullets(tuple(f"{i} — {_item_text(i, lang)}" for i in pm.module.standard))]
        doc.blocks += _foot(lang)
        return doc
    doc.blocks.append(Heading(label("outcomes", lang), 2))
    for o in pm.outcomes:
        doc.blocks += [Heading(f"{_outcome_code(o.number, lang)}. {_lesson_title(o, lang)}", 3),
                       Para(f"{label('objectives', lang)}:"), Bullets(_objectives(o, lang))]
        if o.standard:
            doc.blocks.append(Para(f"{label('h_standard', lang)}: {', '.join(o.standard)}"))
        doc.blocks += [Para(f"{label('criteria', lang)}:"), Bullets(tuple(_criteria(o, lang)))]
    doc.blocks += [
        Heading(label("thematic_plan", lang), 2),
        Table(tuple(label(k, lang) for k in ("h_lesson", "h_topic", "h_outcome", "h_theory", "h_practice", "h_hours")),
              tuple((o.lesson, _lesson_title(o, lang), _outcome_code(o.number, lang), str(o.theory), str(o.practice),
                     str(o.hours)) for o in pm.outcomes)),
        Heading(label("control_points", lang), 2),
        Para(_control(pm, lang) if pm.assignments else label("no_assignments", lang)),
        Heading(label("resources", lang), 2),
        Para(label("resources_text", lang, folder=f"course/{pm.module.folder}/")),
        Para(f"{label('teacher', lang)}: {label('blank', lang)}"),
        *_foot(lang),
    ]
    return doc


def scale_table(lang: str) -> Table:
    """The grading scale (``smmkit/grading/kz_scale.yaml``)."""
    scale = load_scale()
    return Table(tuple(label(k, lang) for k in ("h_letter", "h_percent", "h_gpa", "h_traditional")),
                 tuple((b.letter, f"{b.low}–{b.high}", f"{b.gpa:.2f}".replace(".", ","),
                        kk_mark(b.traditional) if lang == "kk" else b.traditional) for b in scale.bands))


def syllabus_document(programme: Programme, pm: ProgrammeModule, lang: str) -> Document:
    """The syllabus of one module (an optional document for colleges)."""
    s = programme.settings
    heading = f"{label('syllabus_title', lang)}: {_module_code(pm, lang)} «{_mtitle(pm, lang)}»"
    doc = Document(f"syllabus-{pm.module.number}", lang, _head(s, lang, heading))
    doc.blocks += [
        Para(f"{label('teacher', lang)}: {label('blank', lang)}"),
        Para(f"{label('contacts', lang)}: {label('blank', lang)}"),
        Para(f"{label('h_hours', lang)}: {pm.hours}; {label('h_credits', lang)}: {_num(s.credits(pm.hours))}"),
        Heading(label("purpose", lang), 2), Para(_purpose(pm, lang)),
        Heading(label("policy", lang), 2), Para(label("policy_text", lang)),
        Heading(label("weights", lang), 2),
    ]
    points = {a: sum(g.points for g in pm.graded if g.assignment == a) for a in pm.assignments}
    total = sum(points.values())
    if total:
        doc.blocks.append(Table((label("h_assignment", lang), label("h_points", lang), label("h_share", lang)),
                                tuple((a, _num(p), _num(round(100 * p / total, 1))) for a, p in points.items())))
    else:
        doc.blocks.append(Para(label("no_assignments", lang)))
    doc.blocks += [Heading(label("scale", lang), 2), scale_table(lang), *_foot(lang)]
    return doc


# --- КТП -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One lesson of the calendar: what is taught, for how many hours."""

    topic: str
    hours: int
    kind: str
    outcome: str
    homework: str


def _slots(programme: Programme, lang: str) -> Iterator[Slot]:
    per = programme.settings.semester.lesson_hours
    for pm in programme.modules:
        if pm.planned:
            n = -(-(pm.theory + pm.practice) // per)
            left = pm.theory + pm.practice
            for k in range(1, n + 1):
                hours = min(per, left)
                left -= hours
                topic = label("planned_lesson", lang, title=f"{_module_code(pm, lang)} «{_mtitle(pm, lang)}»",
                              k=k, n=n)
                yield Slot(topic, hours, label("planned", lang), "", label("homework_planned", lang))
            continue
        for i, o in enumerate(pm.outcomes):
            left = o.hours
            kind = label("type_lab" if "-lab-" in o.title or "Лаборатория" in o.title else "type_combined", lang)
            homework = label("homework_exercises", lang, path=f"course/{pm.module.folder}/{o.lesson}")
            if i == len(pm.outcomes) - 1 and pm.assignments:
                homework += "; " + _control(pm, lang)
            while left > 0:
                hours = min(per, left)
                left -= hours
                yield Slot(f"{o.lesson} {_lesson_title(o, lang)}", hours, kind, _outcome_code(o.number, lang), homework)


def teaching_days(settings: Settings) -> Iterator[tuple[dt.date, int]]:
    """(date, week number) of every lesson of the semester, holidays left out, in order."""
    sem, off = settings.semester, settings.holiday_dates()
    day = sem.start
    while day <= sem.end:
        if day not in off:
            for _ in range(sem.lessons_on(day.isoweekday())):
                yield day, (day - sem.start).days // 7 + 1
        day += dt.timedelta(days=1)


def ktp_document(programme: Programme, lang: str) -> Document:
    """The calendar-thematic plan of the semester; a Russian error if the modules do not fit in it."""
    s = programme.settings
    slots, days = list(_slots(programme, lang)), list(teaching_days(s))
    if len(slots) > len(days):
        need = sum(x.hours for x in slots)
        raise ValueError(f"Модули не помещаются в семестр: занятий нужно {len(slots)} ({need} ч), а в семестре "
                         f"{len(days)} с учётом праздников. Увеличьте semester.weeks или semester.weekly_hours "
                         "в настройках колледжа или уберите модули из modules.")
    sem = s.semester
    names = label("weekdays", lang)
    doc = Document("ktp", lang, _head(s, lang, label("ktp_title", lang)))
    doc.blocks.append(Para(label("ktp_semester", lang, start=f"{sem.start:%d.%m.%Y}", end=f"{sem.end:%d.%m.%Y}",
                                 weeks=sem.weeks, weekly=sem.weekly_hours, lesson=sem.lesson_hours,
                                 days=", ".join(names[d - 1] for d in sem.days))))
    if s.holidays:
        listed = "; ".join(f"{h.first:%d.%m}" + (f"–{h.last:%d.%m}" if h.last != h.first else "") + f" {h.name[lang]}"
                           for h in s.holidays)
        doc.blocks.append(Para(label("ktp_holidays", lang, holidays=listed)))
    headers = tuple(label(k, lang) for k in ("h_n", "h_date", "h_week", "h_topic", "h_hours", "h_type",
                                                "h_outcome", "h_homework"))
    rows = tuple((str(n), f"{day:%d.%m.%Y}", str(week), x.topic, str(x.hours), x.kind, x.outcome, x.homework)
                 for n, (x, (day, week)) in enumerate(zip(slots, days, strict=False), start=1))
    doc.blocks += [Table(headers, rows), *_foot(lang)]
    return doc


# --- rubrics, the standard map, the glossary -----------------------------------------------------


def rubrics_document(programme: Programme, lang: str) -> Document:
    """Every graded item of the included modules with its points, check and typical mistakes."""
    doc = Document("rubrics", lang, _head(programme.settings, lang, label("rubrics_title", lang)))
    headers = tuple(label(k, lang) for k in ("h_grade_id", "h_question", "h_points", "h_check", "h_standard",
                                                "h_mistakes"))
    for pm in programme.modules:
        for assignment in pm.assignments:
            items = [g for g in pm.graded if g.assignment == assignment]
            doc.blocks += [Heading(f"{_module_code(pm, lang)}: {assignment}", 2), Table(headers, tuple(
                (g.grade_id, _question(g, lang), _num(g.points),
                 f"{label('manual' if g.manual else 'auto', lang)}: " + " ".join(
                     f"{n}. {c}" if g.manual else c for n, c in enumerate(_criteria_of(g, lang), start=1)),
                 ", ".join(g.standard), "; ".join(_mistakes_of(g, lang)) or "—") for g in items))]
    doc.blocks += [Heading(label("scale", lang), 2), scale_table(lang), *_foot(lang)]
    return doc


def map_table(programme: Programme, lang: str, group: str) -> Table:
    """Every leaf of a card (or of the glossary, ``GL``) with its module and three levels of evidence."""
    planned_in: dict[str, list[str]] = {}
    for pm in programme.modules:
        for leaf in pm.module.leaves:
            planned_in.setdefault(leaf, []).append(pm.module.number)
    rows = []
    for leaf, c in programme.coverage.leaves.items():
        if c.group != group:
            continue
        where = levels_of(programme, leaf)
        rows.append((leaf, _item_text(leaf, lang), ", ".join(planned_in.get(leaf, [])) or "—",
                     *(", ".join(_evidence(e, lang) for e in where[level]) or "—"
                       for level in ("introduced", "practised", "assessed"))))
    headers = tuple(label(k, lang) for k in ("h_standard", "h_item", "h_module", "h_introduced", "h_practised",
                                                "h_assessed"))
    return Table(headers, tuple(rows))


def _evidence(text: str, lang: str) -> str:
    """A proving cell's label («01.01-content-plan упр. 2») in a language."""
    return re.sub(r" упр\. (\d+)", lambda m: " " + label("exercise", lang, n=m[1]), text)


def map_document(programme: Programme, lang: str) -> Document:
    """The map from every skill and knowledge item of the standard to where it is taught and assessed."""
    std = load_standard()
    doc = Document("standard-map", lang, _head(programme.settings, lang, label("map_title", lang)))
    doc.blocks.append(Para(label("map_text", lang)))
    for card in std.cards:
        doc.blocks += [Heading(label("card_heading", lang, card=title("cards", card.id, card.title, lang),
                                               level=card.ork_level), 2),
                       map_table(programme, lang, card.id)]
    doc.blocks += [Heading(label("glossary_heading", lang), 2), map_table(programme, lang, "GL"), *_foot(lang)]
    return doc


def glossary_document(programme: Programme, lang: str) -> Document:
    """The three-language glossary."""
    doc = Document("glossary", lang, _head(programme.settings, lang, label("glossary_title", lang)))
    doc.blocks += [Para(label("glossary_review", lang)),
                   Table((label("h_ru", lang), label("h_kk", lang), label("h_en", lang)),
                         tuple((t.ru, t.kk, t.en) for t in load_glossary().values())), *_foot(lang)]
    return doc


def documents(programme: Programme, root: Path | None = None) -> list[Document]:
    """Every document in every language of the settings; with the course ``root``, the instructor's guide too."""
    out: list[Document] = []
    if root is not None and "ru" in programme.settings.languages:
        from .guide import guide_document

        out.append(guide_document(programme, root))
    for lang in programme.settings.languages:
        builders: list[Any] = [programme_document, ktp_document, rubrics_document, map_document, glossary_document]
        builders += [lambda p, lg, pm=pm, f=f: f(p, pm, lg) for pm in programme.modules
                     for f in (rupr_document, syllabus_document)]
        for build in builders:
            reset_misses()
            out.append(_noted(build(programme, lang), misses()))
    return out


def _noted(doc: Document, missed: list[str]) -> Document:
    """The document with a note after its title if it shows texts in Russian for want of a current translation."""
    if missed and doc.lang != "ru":
        at = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Heading)) + 1
        shown = "; ".join(missed[:5]) + ("; …" if len(missed) > 5 else "")
        doc.blocks.insert(at, Para(label("source_language", doc.lang, n=len(missed), entries=shown)))
    return doc


# --- writers -------------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(doc: Document) -> str:
    """The document as Markdown (pipe tables)."""
    lines: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Heading):
            lines += ["#" * b.level + " " + b.text, ""]
        elif isinstance(b, Para):
            lines += [b.text, ""]
        elif isinstance(b, Bullets):
            lines += [f"- {item}" for item in b.items] + [""]
        else:
            lines.append("| " + " | ".join(_md_cell(h) for h in b.headers) + " |")
            lines.append("|" + "---|" * len(b.headers))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            lines.append("")
    return "\n".join(lines)


def write_docx(doc: Document, path: Path) -> None:
    """The document as an editable Word file (python-docx), landscape for wide tables."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    word = docx.Document()
    section = word.sections[0]
    if any(len(t.headers) > 5 for t in doc.tables()):
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = word.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(11)
    word.core_properties.title = next((b.text for b in doc.blocks if isinstance(b, Heading)), doc.name)
    word.core_properties.language = {"ru": "ru-RU", "kk": "kk-KZ"}[doc.lang]
    for b in doc.blocks:
        if isinstance(b, Heading):
            word.add_heading(b.text, level=b.level)
        elif isinstance(b, Para):
            word.add_paragraph(b.text)
        elif isinstance(b, Bullets):
            for item in b.items:
                word.add_paragraph(item, style="List Bullet")
        else:
            table = word.add_table(rows=1, cols=len(b.headers))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, b.headers, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in b.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
    word.save(str(path))


def write_documents(programme: Programme, out: Path, formats: tuple[str, ...] = FORMATS,
                    root: Path | None = None) -> list[Path]:
    """Write every document in the given formats under ``out/<lang>/``; return the paths written."""
    written: list[Path] = []
    for doc in documents(programme, root):
        folder = out / doc.lang
        folder.mkdir(parents=True, exist_ok=True)
        if "md" in formats:
            path = folder / f"{doc.name}.md"
            path.write_text(to_markdown(doc), encoding="utf-8")
            written.append(path)
        if "docx" in formats:
            path = folder / f"{doc.name}.docx"
            write_docx(doc, path)
            written.append(path)
    return written
