"""A college's settings for the programme documents: ``college.yaml`` (the documented default) or its own copy.

Every value is checked on reading; a bad one raises :class:`SettingsError` with a Russian message that names
the file, the key and what is expected.

>>> s = load_settings()
>>> s.hours_per_credit, s.languages, s.modules[:2]
(24, ('ru', 'kk'), ('00', '01'))
>>> s.semester.start.isoformat(), s.semester.weeks, s.semester.weekly_hours
('2027-01-11', 18, 6)
>>> date(2027, 3, 22) in s.holiday_dates(), date(2027, 3, 24) in s.holiday_dates()
(True, False)
>>> s.credits(96)
4.0
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .modules import load_modules

LANGUAGES = {"ru": "русский", "kk": "казахский"}
"""Languages the documents can be generated in."""

DEFAULT = "college.yaml"


class _Loader(yaml.SafeLoader):
    """YAML without implicit dates: a date is checked by :func:`_date`, which names the key when it is wrong."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class SettingsError(ValueError):
    """A college settings file with a missing or bad value (the message is in Russian)."""


@dataclass(frozen=True)
class Holiday:
    """Days without lessons, ``first`` to ``last`` inclusive."""

    first: date
    last: date
    name: dict[str, str]  # by language: ru, kk

    def days(self) -> list[date]:
        """Every day of the holiday."""
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]


@dataclass(frozen=True)
class Semester:
    """The teaching semester the calendar-thematic plan is laid out on."""

    start: date
    weeks: int
    weekly_hours: int
    lesson_hours: int
    days: tuple[int, ...] = (1, 3, 5)

    @property
    def lessons_per_week(self) -> int:
        """Lessons of this course in a week."""
        return self.weekly_hours // self.lesson_hours

    @property
    def end(self) -> date:
        """The last day of the semester."""
        return self.start + dt.timedelta(days=7 * self.weeks - 1)

    def lessons_on(self, weekday: int) -> int:
        """How many lessons fall on an ISO weekday (the week's lessons spread over ``days`` in order).

        >>> Semester(date(2027, 1, 11), 18, 8, 2, (1, 3, 5)).lessons_on(1), Semester(date(2027, 1, 11), 18, 8, 2,
        ...     (1, 3, 5)).lessons_on(3)
        (2, 1)
        """
        if weekday not in self.days:
            return 0
        i = self.days.index(weekday)
        per_day, extra = divmod(self.lessons_per_week, len(self.days))
        return per_day + (1 if i < extra else 0)


@dataclass(frozen=True)
class Settings:
    """A college's settings (see ``college.yaml`` for what each key means and where the defaults come from)."""

    source: str
    college: dict[str, str]
    specialty_code: str
    specialty_name: str
    languages: tuple[str, ...]
    semester: Semester
    holidays: tuple[Holiday, ...]
    hours_per_credit: int
    academic_hour_minutes: int
    modules: tuple[str, ...]
    practice_hours: int = 0  # professional practice per professional module of the assistant card (ПМ)
    interim_hours: int = 0  # interim attestation per ПМ
    final_hours: int = 0  # final attestation of the programme

    def holiday_dates(self) -> frozenset[date]:
        """Every day without lessons."""
        return frozenset(d for h in self.holidays for d in h.days())

    def credits(self, hours: int) -> float:
        """Credits for ``hours`` academic hours, to one decimal."""
        return round(hours / self.hours_per_credit, 1)


def _fail(source: str, key: str, message: str) -> SettingsError:
    return SettingsError(f"Настройки колледжа ({source}), ключ «{key}»: {message}")


def _date(source: str, key: str, value: Any) -> date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _fail(source, key, f"«{value}» — не дата; нужен вид ГГГГ-ММ-ДД, например 2027-01-11") from None


def _int(source: str, key: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(source, key, f"«{value}» — не целое число; нужно целое от {low} до {high}")
    if not low <= value <= high:
        raise _fail(source, key, f"{value} — вне допустимого; нужно целое от {low} до {high}")
    return value


def _text(source: str, key: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int)):
        raise _fail(source, key, f"«{value}» — нужен текст")
    return str(value).strip()


def _holiday(source: str, i: int, raw: Any) -> Holiday:
    key = f"holidays[{i + 1}]"
    if not isinstance(raw, dict) or not raw.get("name"):
        raise _fail(source, key, "нужна запись {date: ГГГГ-ММ-ДД, name: ...} или {from: ..., to: ..., name: ...}")
    if "date" in raw:
        first = last = _date(source, f"{key}.date", raw["date"])
    elif "from" in raw and "to" in raw:
        first, last = _date(source, f"{key}.from", raw["from"]), _date(source, f"{key}.to", raw["to"])
        if last < first:
            raise _fail(source, key, f"конец {last:%d.%m.%Y} раньше начала {first:%d.%m.%Y}")
    else:
        raise _fail(source, key, "укажите date или from и to")
    name = raw["name"]
    if isinstance(name, dict):
        if not all(isinstance(name.get(lang), str) and name[lang].strip() for lang in LANGUAGES):
            raise _fail(source, f"{key}.name", "нужно название по-русски и по-казахски: {ru: ..., kk: ...}")
        names = {lang: name[lang].strip() for lang in LANGUAGES}
    else:
        text = _text(source, f"{key}.name", name)
        names = dict.fromkeys(LANGUAGES, text)
    return Holiday(first, last, names)


def _modules(source: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _fail(source, "modules", "нужен непустой список номеров модулей, например [\"00\", \"01\"]")
    known = [m.number for m in load_modules()]
    numbers = [str(v).zfill(2) if isinstance(v, int) else str(v) for v in value]
    unknown = [n for n in numbers if n not in known]
    if unknown:
        raise _fail(source, "modules", f"в карте курса нет модулей {', '.join(unknown)}; есть {', '.join(known)}")
    if numbers != sorted(set(numbers)):
        raise _fail(source, "modules", "номера должны идти по порядку и не повторяться")
    return tuple(numbers)


def parse_settings(data: Any, source: str = DEFAULT) -> Settings:
    """Settings from a parsed YAML mapping, every value checked."""
    if not isinstance(data, dict):
        raise SettingsError(f"Настройки колледжа ({source}): файл должен быть словарём YAML «ключ: значение»")
    missing = [k for k in ("college", "languages", "semester", "hours_per_credit", "modules") if k not in data]
    if missing:
        raise _fail(source, missing[0], "ключ обязателен")
    college = data["college"]
    if isinstance(college, str):
        college = {"ru": college, "kk": college}
    if not isinstance(college, dict) or not all(isinstance(college.get(lang), str) for lang in LANGUAGES):
        raise _fail(source, "college", "нужно название по-русски и по-казахски: {ru: ..., kk: ...}")
    languages = data["languages"]
    if isinstance(languages, str):
        languages = [languages]
    if not isinstance(languages, list) or not languages or any(lang not in LANGUAGES for lang in languages):
        raise _fail(source, "languages", f"«{languages}»: нужен список из ru и/или kk")
    sem = data["semester"]
    if not isinstance(sem, dict):
        raise _fail(source, "semester", "нужны start, weeks, weekly_hours и lesson_hours")
    for key in ("start", "weeks", "weekly_hours"):
        if key not in sem:
            raise _fail(source, f"semester.{key}", "ключ обязателен")
    lesson_hours = _int(source, "semester.lesson_hours", sem.get("lesson_hours", 2), 1, 2)
    weekly = _int(source, "semester.weekly_hours", sem["weekly_hours"], 1, 36)
    if weekly % lesson_hours:
        raise _fail(source, "semester.weekly_hours",
                    f"{weekly} ч в неделю не делится на занятия по {lesson_hours} ч; нужно целое число занятий")
    days = sem.get("days", [1, 3, 5])
    if (not isinstance(days, list) or not days or any(isinstance(d, bool) or d not in range(1, 7) for d in days)
            or days != sorted(set(days))):
        raise _fail(source, "semester.days", f"«{days}»: нужен список дней недели по порядку, 1 = понедельник … "
                                             "6 = суббота, например [1, 3, 5]")
    semester = Semester(_date(source, "semester.start", sem["start"]),
                        _int(source, "semester.weeks", sem["weeks"], 1, 30), weekly, lesson_hours, tuple(days))
    holidays = data.get("holidays") or []
    if not isinstance(holidays, list):
        raise _fail(source, "holidays", "нужен список праздников")
    practice = data.get("practice") or {}
    attestation = data.get("attestation") or {}
    for key, value in (("practice", practice), ("attestation", attestation)):
        if not isinstance(value, dict):
            raise _fail(source, key, "нужен словарь часов, например {hours_per_module: 24}" if key == "practice"
                        else "нужен словарь часов, например {interim_hours: 2, final_hours: 6}")
    specialty = data.get("specialty") or {}
    if not isinstance(specialty, dict):
        raise _fail(source, "specialty", "нужны code и name (можно пустые)")
    return Settings(
        source,
        {lang: college[lang].strip() for lang in LANGUAGES},
        _text(source, "specialty.code", specialty.get("code")),
        _text(source, "specialty.name", specialty.get("name")),
        tuple(dict.fromkeys(languages)),
        semester,
        tuple(_holiday(source, i, h) for i, h in enumerate(holidays)),
        _int(source, "hours_per_credit", data["hours_per_credit"], 1, 100),
        _int(source, "academic_hour_minutes", data.get("academic_hour_minutes", 45), 30, 60),
        _modules(source, data["modules"]),
        _int(source, "practice.hours_per_module", practice.get("hours_per_module", 0), 0, 2000),
        _int(source, "attestation.interim_hours", attestation.get("interim_hours", 0), 0, 200),
        _int(source, "attestation.final_hours", attestation.get("final_hours", 0), 0, 200),
    )


def load_settings(path: Path | None = None) -> Settings:
    """A college's settings file, or the kit's default ``college.yaml``."""
    if path is None:
        text, source = resources.files("smmkit.curriculum").joinpath(DEFAULT).read_text(encoding="utf-8"), DEFAULT
    else:
        if not path.is_file():
            raise SettingsError(f"Нет файла настроек колледжа {path}")
        text, source = path.read_text(encoding="utf-8"), str(path)
    try:
        data = yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader without implicit dates
    except yaml.YAMLError as err:
        raise SettingsError(f"Настройки колледжа ({source}): ошибка разметки YAML: {err}") from None
    return parse_settings(data, source)
