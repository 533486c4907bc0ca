"""A college's settings (`college.yaml`): the documented default reads, and each bad value gets a Russian error."""

from __future__ import annotations

import copy
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from smmkit.curriculum.college import SettingsError, load_settings, parse_settings
from smmkit.curriculum.modules import load_modules

DEFAULT: dict[str, Any] = yaml.safe_load(
    resources.files("smmkit.curriculum").joinpath("college.yaml").read_text(encoding="utf-8"))


def test_default_is_documented_and_valid() -> None:
    text = resources.files("smmkit.curriculum").joinpath("college.yaml").read_text(encoding="utf-8")
    settings = load_settings()
    for key in ("college", "specialty", "languages", "semester", "holidays", "hours_per_credit",
                "academic_hour_minutes", "modules", "start", "weeks", "weekly_hours", "lesson_hours", "days",
                "practice", "attestation"):
        assert f"#   {key}" in text or f"{key}:" in text.split("schema_version")[0], key  # explained above the data
    assert "https://adilet.zan.kz/rus/docs/V2300032140" in text  # the credit rules the hours per credit rest on
    assert settings.languages == ("ru", "kk")
    assert [m.card for m in load_modules() if m.number in settings.modules] == [None, "A4", "A4", "A4", "A4", "A4"]
    assert date(2027, 3, 8) in settings.holiday_dates()
    assert (settings.practice_hours, settings.interim_hours, settings.final_hours) == (24, 2, 6)
    assert settings.holidays[0].name == {"ru": "Международный женский день", "kk": "Халықаралық әйелдер күні"}


def test_a_college_file_is_read(tmp_path: Path) -> None:
    data = copy.deepcopy(DEFAULT)
    data.update(languages=["kk"], hours_per_credit=30, modules=["01", "06"])
    data["semester"]["start"] = "2026-09-01"
    path = tmp_path / "college.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    settings = load_settings(path)
    assert settings.languages == ("kk",) and settings.hours_per_credit == 30 and settings.modules == ("01", "06")
    assert settings.semester.start == date(2026, 9, 1) and settings.credits(90) == 3.0


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    *path, last = key.split(".")
    for part in path:
        data = data[part]
    if value is _DELETE:
        del data[last]
    else:
        data[last] = value


_DELETE = object()


@pytest.mark.parametrize(("key", "value", "words"), [
    ("semester.start", "2027-13-01", "не дата"),
    ("semester.start", "завтра", "ГГГГ-ММ-ДД"),
    ("semester.weeks", 0, "от 1 до 30"),
    ("semester.weeks", "восемнадцать", "не целое число"),
    ("semester.weekly_hours", 5, "не делится на занятия"),
    ("semester.weekly_hours", _DELETE, "ключ обязателен"),
    ("semester.lesson_hours", 3, "от 1 до 2"),
    ("semester.days", [1, 7], "1 = понедельник"),
    ("semester.days", [3, 1], "по порядку"),
    ("hours_per_credit", 24.5, "не целое число"),
    ("hours_per_credit", True, "не целое число"),
    ("languages", ["ru", "en"], "ru и/или kk"),
    ("languages", [], "ru и/или kk"),
    ("modules", ["01", "99"], "нет модулей 99"),
    ("modules", ["02", "01"], "по порядку"),
    ("modules", [], "непустой список"),
    ("holidays", [{"date": "2027-02-30", "name": "?"}], "не дата"),
    ("holidays", [{"from": "2027-03-23", "to": "2027-03-21", "name": "Наурыз"}], "раньше начала"),
    ("holidays", [{"date": "2027-03-08"}], "name"),
    ("holidays", [{"date": "2027-03-08", "name": {"ru": "8 Марта"}}], "по-казахски"),
    ("college", {"ru": "Колледж"}, "по-казахски"),
    ("academic_hour_minutes", 90, "от 30 до 60"),
    ("practice.hours_per_module", -1, "от 0 до 2000"),
    ("practice", [24], "словарь часов"),
    ("attestation.final_hours", "шесть", "не целое число"),
])
def test_bad_value_is_named_in_russian(key: str, value: Any, words: str) -> None:
    data = copy.deepcopy(DEFAULT)
    _set(data, key, value)
    with pytest.raises(SettingsError) as err:
        parse_settings(data, "мой.yaml")
    top = key.split(".")[0]
    assert "мой.yaml" in str(err.value) and f"«{top}" in str(err.value) and words in str(err.value), str(err.value)


def test_broken_yaml_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "college.yaml"
    path.write_text("semester: [1, 2\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="ошибка разметки YAML"):
        load_settings(path)
    with pytest.raises(SettingsError, match="Нет файла настроек"):
        load_settings(tmp_path / "нет.yaml")
