"""Kazakh texts for the Kazakh college documents of what the course writes in Russian.

``standard_kk.yaml`` translates the standard's skills and knowledge items (and their parts) by ID;
``texts_kk.yaml`` the lessons' titles and objectives, the graded items' questions and criteria, the typical
mistakes and the grading scale's traditional marks. The glossary terms' Kazakh is in ``glossary.yaml``.

Every entry keeps ``ru``, the Russian it translates. A lookup gives the Kazakh text only while that Russian
still matches the source; otherwise it gives the Russian, and records the miss, so that a document can say
which texts it shows untranslated (:func:`reset_misses`, :func:`misses`). :func:`stale_translations` lists,
in Russian, every entry that is missing or stale for a programme.

>>> kk_standard("A4-TF1-T1-U1", "Работать в программах автопостинга")
'Автопостинг бағдарламаларында жұмыс істеу'
>>> reset_misses(); kk_standard("A4-TF1-T1-U1", "Другой текст"), misses()
('Другой текст', ['standard_kk.yaml, A4-TF1-T1-U1'])
>>> kk_mark("отлично (5)")
'өте жақсы (5)'
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from .programme import Programme

_MISSES: list[str] = []


def reset_misses() -> None:
    """Forget the texts found untranslated so far (a document starts)."""
    _MISSES.clear()


def misses() -> list[str]:
    """The entries looked up since :func:`reset_misses` that had no current Kazakh text, in order, once each."""
    return list(dict.fromkeys(_MISSES))


def _load(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load(resources.files("smmkit.curriculum").joinpath(name).read_text(encoding="utf-8")))


@cache
def standard_kk() -> dict[str, dict[str, str]]:
    """``standard_kk.yaml``'s items: ID → {ru, kk}."""
    items = _load_standard_kk()["items"]
    return {str(k): {"ru": str(v["ru"]), "kk": str(v["kk"])} for k, v in items.items()}


@cache
def texts_kk() -> dict[str, Any]:
    """``texts_kk.yaml`` as parsed."""
    return _load("texts_kk.yaml")


def _pick(entry: dict[str, str] | None, russian: str, where: str) -> str:
    if entry and entry.get("ru") == russian and entry.get("kk"):
        return str(entry["kk"])
    _MISSES.append(where)
    return russian


def kk_standard(id_: str, russian: str) -> str:
    """The Kazakh text of a skill or knowledge item (or part), or ``russian`` if it has none or it is stale."""
    return _pick(standard_kk().get(id_), russian, f"standard_kk.yaml, {id_}")


def kk_standard_name(key: str, russian: str) -> str:
    """The standard's ``title`` or ``source`` (its approving order) in Kazakh."""
    return _pick(_load_standard_kk().get(key), russian, f"standard_kk.yaml, {key}")


@cache
def _load_standard_kk() -> dict[str, Any]:
    return _load("standard_kk.yaml")


def kk_lesson_title(lesson: str, russian: str) -> str:
    """A lesson's Kazakh title."""
    entry = (texts_kk()["lessons"].get(lesson) or {}).get("title")
    return _pick(entry, russian, f"texts_kk.yaml, урок {lesson}, название")


def kk_objective(lesson: str, n: int, russian: str) -> str:
    """A lesson's ``n``-th objective (from 1) in Kazakh."""
    items = (texts_kk()["lessons"].get(lesson) or {}).get("objectives") or []
    return _pick(items[n - 1] if n <= len(items) else None, russian, f"texts_kk.yaml, урок {lesson}, цель {n}")


def _graded(assignment: str, grade_id: str) -> dict[str, Any]:
    return dict(texts_kk()["graded"].get(f"{assignment}/{grade_id}") or {})


def kk_question(assignment: str, grade_id: str, russian: str) -> str:
    """A graded item's question («Вопрос N · …») in Kazakh."""
    return _pick(_graded(assignment, grade_id).get("question"), russian,
                 f"texts_kk.yaml, {assignment}/{grade_id}, вопрос")


def kk_criterion(assignment: str, grade_id: str, n: int, russian: str) -> str:
    """A graded item's ``n``-th criterion (from 1) in Kazakh."""
    items = _graded(assignment, grade_id).get("criteria") or []
    return _pick(items[n - 1] if n <= len(items) else None, russian,
                 f"texts_kk.yaml, {assignment}/{grade_id}, критерий {n}")


def kk_mistake(russian: str) -> str:
    """A typical mistake in Kazakh."""
    entry = next((m for m in texts_kk()["mistakes"] if m["ru"] == russian), None)
    return _pick(entry, russian, f"texts_kk.yaml, ошибка «{russian[:40]}»")


def kk_mark(russian: str) -> str:
    """A traditional mark of the grading scale («отлично (5)» …) in Kazakh."""
    entry = next((m for m in texts_kk()["scale"] if m["ru"] == russian), None)
    return _pick(entry, russian, f"texts_kk.yaml, оценка «{russian}»")


def _check(entry: Any, russian: str, where: str) -> list[str]:
    if not entry or not entry.get("kk"):
        return [f"{where}: нет казахского текста для «{russian}»; добавьте запись с ru и kk"]
    if entry.get("ru") != russian:
        return [f"{where}: русский текст изменился — в записи «{entry.get('ru')}», в источнике «{russian}»; "
                "обновите ru и перевод kk"]
    return []


def _check_list(entries: list, russian: tuple[str, ...] | list[str], where: str, what: str) -> list[str]:
    """Each Russian text of a list (objectives, criteria) against the entry in the same place; extra entries too."""
    out = []
    for n, text in enumerate(russian, start=1):
        out += _check(entries[n - 1] if n <= len(entries) else None, text, f"{where}, {what} {n}")
    if len(entries) > len(russian):
        out.append(f"{where}: в переводе {len(entries)}, в источнике {len(russian)} ({what})")
    return out


def stale_translations(programme: Programme) -> list[str]:
    """Russian messages for every text the programme's Kazakh documents show that has no current Kazakh text.

    Checks the standard's items and parts of both cards, the included built modules' lessons (title and
    objectives), their graded items (question, criteria, mistakes) and the scale's marks; and reports entries
    of ``texts_kk.yaml`` whose lesson or graded item the course no longer has.
    """
    from smmkit.grading.scale import load_scale

    from .modules import load_modules
    from .standard import load_standard

    out: list[str] = []
    std, items = load_standard(), standard_kk()
    out += _check(_load_standard_kk().get("title"), std.title, "standard_kk.yaml, title")
    out += _check(_load_standard_kk().get("source"), std.source, "standard_kk.yaml, source")
    for card in std.cards:
        for f in card.functions:
            for t in f.tasks:
                for i in (*t.skills, *t.knowledge):
                    for e in (i, *i.parts):
                        out += _check(items.get(e.id), e.text, f"standard_kk.yaml, {e.id}")
    texts = texts_kk()
    lessons = {o.lesson: o for pm in programme.modules for o in pm.outcomes}
    for lesson, o in lessons.items():
        entry = texts["lessons"].get(lesson) or {}
        out += _check(entry.get("title"), o.title, f"texts_kk.yaml, урок {lesson}, название")
        out += _check_list(entry.get("objectives") or [], o.objectives, f"texts_kk.yaml, урок {lesson}", "цель")
    graded = {f"{g.assignment}/{g.grade_id}": g for g in programme.graded}
    mistakes = {m["ru"]: m for m in texts["mistakes"]}
    for key, g in graded.items():
        entry = texts["graded"].get(key) or {}
        out += _check(entry.get("question"), g.question, f"texts_kk.yaml, {key}, вопрос")
        out += _check_list(entry.get("criteria") or [], g.criteria, f"texts_kk.yaml, {key}", "критерий")
        for text in g.mistakes:
            out += _check(mistakes.get(text), text, f"texts_kk.yaml, ошибка задания {key}")
    built = {o.lesson[:2] for o in lessons.values()}
    out += [f"texts_kk.yaml, урок {lesson}: такого урока в курсе нет; удалите запись"
            for lesson in texts["lessons"] if lesson[:2] in built and lesson not in lessons]
    assignments = {g.assignment for g in programme.graded}
    out += [f"texts_kk.yaml, {key}: такой проверяемой ячейки нет; удалите запись"
            for key in texts["graded"] if key.split("/")[0] in assignments and key not in graded]
    # the mistakes are one list for the whole course: an unused one is known only when every built module is in
    used = {m for g in programme.graded for m in g.mistakes}
    whole = {m.number for m in load_modules() if m.built} <= {pm.module.number for pm in programme.modules}
    out += [f"texts_kk.yaml, ошибка «{m}»: её нет в tests/submissions/; удалите запись"
            for m in mistakes if m not in used and assignments and whole]
    marks = {m["ru"]: m for m in texts["scale"]}
    for band in load_scale().bands:
        out += _check(marks.get(band.traditional), band.traditional, "texts_kk.yaml, шкала")
    return list(dict.fromkeys(out))
