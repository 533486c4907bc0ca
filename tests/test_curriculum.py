"""The standard as data (counts, IDs, texts) and the coverage report over notebooks."""

from __future__ import annotations

import csv
import io
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from smmkit.curriculum import coverage_report, format_report, load_standard, unknown_ids
from smmkit.curriculum.coverage import main
from smmkit.curriculum.modules import load_modules, module, parse_modules
from smmkit.curriculum.standard import ID_RE, parse_standard

REPO = Path(__file__).resolve().parents[1]

# (skills, knowledge) per task, as numbered in the standard's text.
TASK_COUNTS = {
    "A4-TF1-T1": (3, 3),
    "A4-TF2-T1": (3, 3),
    "A4-TF3-T1": (2, 3),
    "A4-TF4-T1": (5, 4),
    "A4-TF5-T1": (2, 4),
    "M6-TF1-T1": (10, 3),
    "M6-TF1-T2": (4, 4),
    "M6-TF2-T1": (7, 5),
    "M6-TF3-T1": (5, 5),
}
GLOSSARY_SIZE = 25
ITEMS = sum(u + z for u, z in TASK_COUNTS.values())
# Compound items and their number of parts; repeated items and the originals they count for.
PARTS = {
    "A4-TF5-T1-U2": 2,
    "A4-TF5-T1-Z1": 6,
    "A4-TF5-T1-Z2": 4,
    "M6-TF1-T2-Z3": 6,
    "M6-TF2-T1-U6": 3,
    "M6-TF2-T1-Z1": 4,
    "M6-TF3-T1-Z2": 3,
    "M6-TF3-T1-Z5": 2,
}
REPEATS = {"M6-TF1-T2-U1": "M6-TF1-T1-U6", "M6-TF1-T2-U2": "M6-TF1-T1-U7"}
LEAVES = ITEMS - len(REPEATS) - len(PARTS) + sum(PARTS.values()) + GLOSSARY_SIZE


# --- the standard --------------------------------------------------------------------------------


def test_yaml_ships_inside_the_package() -> None:
    """standard.yaml is a package resource, so it is found from an installed wheel too."""
    assert resources.files("smmkit.curriculum").joinpath("standard.yaml").is_file()


def test_top_level() -> None:
    """Title, source and schema version."""
    std = load_standard()
    assert std.schema_version == 2
    assert std.title == "Менеджмент социальных сетей (SMM)"
    assert "Приложение № 88" in std.source and "«Атамекен»" in std.source
    assert "26.12.2019" in std.source and "263" in std.source
    assert load_standard() is std


def test_cards() -> None:
    """Two cards with their levels, goals and competences."""
    std = load_standard()
    assert [(c.id, c.title, c.ork_level) for c in std.cards] == [
        ("A4", "Помощник SMM-менеджера", 4),
        ("M6", "SMM-менеджер", 6),
    ]
    a4, m6 = std.cards
    assert a4.main_goal.startswith("Помощь в продвижении бренда компании")
    assert m6.main_goal.endswith("портрета посетителя страниц социальных сетей и сайта компании.")
    assert [p.id for p in a4.personal_competences] == [f"A4-PC{n}" for n in range(1, 7)]
    assert a4.personal_competences[0].text == "Творческий подход к работе"
    assert "Стрессоустойчивость" in [p.text for p in m6.personal_competences]
    assert std.get("M6-PC7").same_as == "M6-PC2"  # «Коммуникабельность» is listed twice
    assert not any(p.id in std.leaf_ids() for p in std.competences)


def test_counts() -> None:
    """Functions, tasks, skills, knowledge and glossary counts as in the text."""
    std = load_standard()
    assert [f.id for f in std.functions] == [
        *(f"A4-TF{n}" for n in range(1, 6)),
        "M6-TF1",
        "M6-TF2",
        "M6-TF3",
    ]
    assert {t.id: (len(t.skills), len(t.knowledge)) for t in std.tasks} == TASK_COUNTS
    assert len(std.items) == ITEMS == 75 and sum(i.kind == "skill" for i in std.items) == 41
    assert len(std.glossary) == GLOSSARY_SIZE
    assert len(std.leaf_ids()) == LEAVES == 120
    assert len(std.ids()) == 2 + 8 + 9 + 75 + sum(PARTS.values()) + 13 + GLOSSARY_SIZE


def test_ids_unique_and_in_scheme() -> None:
    """Every ID matches the scheme, and numbering is positional."""
    std = load_standard()
    every = [c.id for c in std.cards] + [f.id for f in std.functions] + [t.id for t in std.tasks]
    every += [i.id for i in std.items] + [t.id for t in std.glossary] + [p.id for p in std.competences]
    every += [p.id for i in std.items for p in i.parts]
    assert len(every) == len(set(every)) == len(std.ids())
    assert all(ID_RE.match(i) for i in every), [i for i in every if not ID_RE.match(i)]
    for task in std.tasks:
        assert [i.id for i in task.skills] == [f"{task.id}-U{n}" for n in range(1, len(task.skills) + 1)]
        assert [i.id for i in task.knowledge] == [
            f"{task.id}-Z{n}" for n in range(1, len(task.knowledge) + 1)
        ]
    for gl in (
        "GL-er",
        "GL-ctr",
        "GL-autoposting",
        "GL-retargeting",
        "GL-audience-core",
        "GL-end-to-end-analytics",
        "GL-yandex-metrica",
    ):
        assert gl in std.ids()


def test_texts() -> None:
    """Spot checks of the exact wording (spacing slips fixed)."""
    std = load_standard()
    assert (
        std.get("A4-TF1-T1-Z3").text
        == "Оптимальное время размещения публикаций для определенной целевой аудитории."
    )
    assert std.get("A4-TF1").title == "Заполнение контент-плана в программу автопостинга"
    assert std.get("M6-TF1-T2").text.startswith("Разработка системы лояльности")
    assert (
        std.get("M6-TF1-T1-U10").text
        == "Интегрировать SMM-активности в общую маркетинговую стратегию компании."
    )
    assert std.get("M6-TF3-T1-U1").text == "Нейтрализовывать негативные комментарии в онлайн-сообществах."
    assert std.get("A4-TF5-T1-Z1").text.endswith("Canva, Snapseed и др.")
    assert std.get("A4-TF3-T1-U2").text == "Запрашивать и получать необходимую информацию от партнеров."
    assert std.get("A4-TF1-T1-U2").text == "Работать в SMM"  # Latin letters, not Cyrillic «М»
    er = std.get("GL-er")
    assert (er.kind, er.text, er.definition) == ("term", "ER", "показатель вовлеченности.")
    assert std.get("GL-end-to-end-analytics").text == "Сквозная аналитика"
    texts = [i.text for i in std.items] + [t.definition for t in std.glossary]
    assert not any("  " in t or t != t.strip() for t in texts)


def test_get_kinds_and_parents() -> None:
    """get() gives kind, text and the parent chain, root first."""
    std = load_standard()
    assert (std.get("M6").kind, std.get("M6").parents) == ("card", ())
    assert (std.get("M6-TF1").kind, std.get("M6-TF1").parents) == ("function", ("M6",))
    assert std.get("M6-TF1-T2").kind == "task"
    skill = std.get("M6-TF1-T2-U3")
    assert (skill.kind, skill.parents, skill.parent) == ("skill", ("M6", "M6-TF1", "M6-TF1-T2"), "M6-TF1-T2")
    assert std.get("M6-TF1-T2-Z3").kind == "knowledge"
    assert std.leaves_under("A4-TF3") == (
        "A4-TF3-T1-U1",
        "A4-TF3-T1-U2",
        "A4-TF3-T1-Z1",
        "A4-TF3-T1-Z2",
        "A4-TF3-T1-Z3",
    )


def test_unknown_id_raises_russian_keyerror() -> None:
    """Unknown IDs raise KeyError naming the ID in Russian."""
    with pytest.raises(KeyError, match="В стандарте нет ID «A4-TF9»"):
        load_standard().get("A4-TF9")




def test_repeats_count_for_their_original() -> None:
    """M6-TF1-T2-U1/U2 repeat M6-TF1-T1-U6/U7 word for word: linked, not leaves, canonical is the original."""
    std = load_standard()
    for repeat, original in REPEATS.items():
        assert std.get(repeat).same_as == original and std.canonical(repeat) == original
        assert std.get(repeat).text == std.get(original).text
        assert repeat not in std.leaf_ids() and original in std.leaf_ids()
        assert std.leaves_for(repeat) == (original,)
        assert std.leaves_under(repeat) == ()
    assert std.canonical("A4-TF1-T1-Z3") == "A4-TF1-T1-Z3"
    assert {i.id for i in std.items if i.same_as} == set(REPEATS)


def test_compound_items_are_split_into_parts() -> None:
    """Parts <item>.<n> replace the compound item as leaves; the map stands for all of them."""
    std = load_standard()
    assert {i.id: len(i.parts) for i in std.items if i.parts} == PARTS
    assert [std.get(f"M6-TF2-T1-Z1.{n}").text for n in range(1, 5)] == [
        "Основы HTML",
        "Основы JavaScript",
        "Основы XML",
        "Основы API",
    ]
    assert [std.get(f"M6-TF3-T1-Z2.{n}").text for n in range(1, 4)] == [
        "MS Excel",
        "Большие данные (BigData)",
        "Блокчейн (BlockChain)",
    ]
    part = std.get("A4-TF5-T1-Z1.6")
    assert (part.kind, part.parent, part.text) == ("part", "A4-TF5-T1-Z1", "Инструменты Snapseed")
    assert part.parents == ("A4", "A4-TF5", "A4-TF5-T1", "A4-TF5-T1-Z1")
    assert "M6-TF2-T1-Z1" not in std.leaf_ids() and "M6-TF2-T1-Z1.3" in std.leaf_ids()
    assert std.leaves_under("M6-TF2-T1-Z1") == std.leaves_for("M6-TF2-T1-Z1") == std.get("M6-TF2-T1-Z1").parts
    ids = std.leaf_ids()
    assert ids.index("M6-TF2-T1-U5") < ids.index("M6-TF2-T1-U6.1") < ids.index("M6-TF2-T1-U7")
    assert all(ID_RE.match(i) for i in ids)
    assert std.leaves_for("M6-TF2-T1") == () and std.leaves_for("A4-PC1") == ()


def test_notes_for_typos_and_obsolete_tools() -> None:
    """Typos and obsolete tools carry a Russian note; a part shows its item's notes, then its own."""
    std = load_standard()
    assert "интернет-кампания" in std.note("M6-TF2") and std.notes("M6-TF2")[0].kind == "typo"
    assert "Adobe Premiere Pro" in std.note("A4-TF5-T1-Z2.1") and std.notes("A4-TF5-T1-Z2.1")[0].kind == "typo"
    vegas = std.notes("A4-TF5-T1-Z2.2")  # the item's typo (its wording is shown too), then the part's own note
    assert [n.kind for n in vegas] == ["typo", "obsolete"] and "VEGAS Pro" in vegas[1].text
    assert std.notes("A4-TF5-T1-Z2.3") == std.notes("A4-TF5-T1-Z2")
    assert "ИКС" in std.note("M6-TF1-T2-Z3.6") and "2018" in std.note("M6-TF1-T2-Z3.6")
    assert "CorelDRAW" in std.note("A4-TF5-T1-Z1.2")
    assert "Search Console" in std.note("M6-TF1-T2-Z3.1")
    assert std.note("A4-TF1-T1-Z3") == ""
    # The wording itself stays the standard's own.
    assert "Adobe Premier Pro" in std.get("A4-TF5-T1-Z2").text
    assert std.get("M6-TF2").title == "Разработка рекламной интернет-компании"
    every = [n for i in std.ids() for n in std.get(i).notes]
    assert every and all(n.text and n.text == " ".join(n.text.split()) for n in every)


def test_passport_edition_and_education_links() -> None:
    """The passport, the edition and each card's link to the education system."""
    std = load_standard()
    assert std.passport["name"] == std.title and std.passport["number"] is None
    assert [c["code"] for c in std.passport["okved"]][:5] == ["J", "62", "62.0", "62.02", "62.02.1"]
    assert "70.22.1" in [c["code"] for c in std.passport["okved"]]
    assert std.passport["developer"]["organisation"].startswith("ЧУ Научно-исследовательский институт")
    assert std.edition["approved"] == "2019-12-26" and std.edition["checked"] == "2026-12-02"
    a4, m6 = std.cards
    assert a4.education_system and m6.education_system
    assert (a4.education_system.sector, a4.education_system.ork_level) == ("tipo", 4)
    assert (m6.education_system.sector, m6.education_system.ork_level) == ("higher", 6)
    assert "колледж" in a4.education_system.summary and "ТиПО" in a4.education_system.summary
    assert a4.passport["education"]["level"] == "Послесреднее" and m6.passport["education"]["level"] == "Высшее"
    assert {"code": "2431-2-003", "name": "Менеджер по управлению онлайн-продажами"} in m6.passport["other_names"]
    assert a4.passport["related_professions"][0] == {"ork_level": 6, "name": "Бренд-менеджер"}


def _raw() -> dict[str, Any]:
    """The shipped standard.yaml, parsed, to break in tests."""
    import yaml

    return yaml.safe_load(resources.files("smmkit.curriculum").joinpath("standard.yaml").read_text("utf-8"))


def test_bad_data_is_refused_in_russian() -> None:
    """A repeat of a missing item, a misnumbered part, a bad note kind: Russian errors."""
    raw = _raw()
    raw["cards"][1]["functions"][0]["tasks"][1]["skills"][0]["same_as"] = "M6-TF1-T1-U99"
    with pytest.raises(ValueError, match="повторяет «M6-TF1-T1-U99», но такого пункта нет"):
        parse_standard(raw)
    raw = _raw()
    raw["cards"][1]["functions"][1]["tasks"][0]["knowledge"][0]["parts"][1]["id"] = "M6-TF2-T1-Z1.7"
    with pytest.raises(ValueError, match=re.escape("ожидался «M6-TF2-T1-Z1.2»")):
        parse_standard(raw)
    raw = _raw()
    raw["cards"][1]["functions"][1]["notes"][0]["kind"] = "oops"
    with pytest.raises(ValueError, match="вид примечания"):
        parse_standard(raw)


def test_module_leaves_expand_compounds_and_repeats() -> None:
    """A module's leaves: a compound item in the map stands for its parts, a repeat for its original."""
    assert {f"M6-TF2-T1-Z1.{n}" for n in range(1, 5)} <= module("08").leaves
    assert "M6-TF2-T1-Z1" not in module("08").leaves
    assert module("00").leaves == frozenset()
    raw = {"number": "07", "slug": "x", "title": "X", "standard": ["M6-TF1-T2-U1"], "status": "planned"}
    assert parse_modules({"modules": [raw]})[0].leaves == {"M6-TF1-T1-U6"}
    assert all(m.leaves <= set(load_standard().leaf_ids()) for m in load_modules())


# --- notebooks in the repository -----------------------------------------------------------------


def test_repo_notebooks_name_only_existing_ids() -> None:
    """Every ID tagged in a lesson, an assignment master or a typical-mistake submission exists."""
    assert unknown_ids(REPO) == []


# --- formats ---------------------------------------------------------------------------------------


def _nb(path: Path, cells: list[dict[str, Any]]) -> Path:
    """Write a minimal notebook as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 4, "metadata": meta, "cells": cells}), "utf-8")
    return path


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A scratch course: module 01 introduces A4-TF1-T1-Z3 and GL-er in a numbered section."""
    section = {"cell_type": "markdown", "metadata": {"smmkit": {"standard": ["A4-TF1-T1-Z3", "GL-er"]}},
               "source": "## 1. Время\n\nТекст."}
    _nb(tmp_path / "course/01-autoposting/01.02-er.ipynb", [section])
    _nb(tmp_path / "course/01-autoposting/.ipynb_checkpoints/01.02-er-checkpoint.ipynb",
        [{**section, "metadata": {"smmkit": {"standard": ["NOPE"]}}}])
    return tmp_path


def test_empty_root_covers_nothing(tmp_path: Path) -> None:
    """No course/ or solutions/ yet: nothing counted, nothing unknown."""
    report = coverage_report(tmp_path)
    assert unknown_ids(tmp_path) == [] and report.evidence == () and report.ignored == ()
    assert report.overall.total == LEAVES and report.overall.covered == 0


def test_table(course: Path) -> None:
    """The Russian table: both card headers, marks per level, where, summary lines."""
    table = format_report(coverage_report(course))
    assert "Карточка A4 · Помощник SMM-менеджера (ОРК 4)" in table
    assert "Карточка M6 · SMM-менеджер (ОРК 6)" in table
    row = next(line for line in table.splitlines() if line.strip().startswith("GL-er "))
    assert "В · ··" in row and "введено: 01.02-er §1" in row
    assert "M6-TF2-T1-Z1.4" in table and "M6-TF1-T2-U1 " not in table
    assert f"Покрытие: введено 2 из {LEAVES} (2%), отработано 0 из {LEAVES} (0%)" in table
    assert f"Глоссарий: введено 1 из {GLOSSARY_SIZE} (4%)" in table
    assert max(len(line.split(" | ")[1]) for line in table.splitlines() if " | " in line) <= 60


def test_csv_and_json(course: Path) -> None:
    """csv and json are machine-readable and agree with the report."""
    report = coverage_report(course)
    rows = list(csv.DictReader(io.StringIO(format_report(report, "csv"))))
    assert len(rows) == LEAVES
    er = next(r for r in rows if r["id"] == "GL-er")
    assert (er["introduced"], er["assessed"], er["covered"], er["introduced_by"]) == ("1", "0", "1", "01.02-er §1")
    part = next(r for r in rows if r["id"] == "M6-TF2-T1-Z1.1")
    assert (part["kind"], part["task"]) == ("part", "M6-TF2-T1")
    data = json.loads(format_report(report, "json"))
    assert data["summary"]["overall"]["introduced"] == 2 and len(data["leaves"]) == LEAVES
    assert data["summary"]["A4"]["covered_share"] == pytest.approx(1 / 41, abs=1e-4)
    assert data["standard"]["schema_version"] == 2 and data["unknown_ids"] == [] and data["ignored"] == []
    with pytest.raises(ValueError, match="Неизвестный формат"):
        format_report(report, "xml")


def test_main_exit_codes(course: Path) -> None:
    """main() returns 0 when all IDs exist, 1 with a Russian error list otherwise."""
    out, err = io.StringIO(), io.StringIO()
    assert main(course, "table", out=out, err=err) == 0
    assert "Покрытие:" in out.getvalue() and err.getvalue() == ""
    bad = {"cell_type": "markdown", "metadata": {"smmkit": {"standard": ["A4-TF6"]}}, "source": "## 1. X"}
    _nb(course / "course/02-x/02.01-bad.ipynb", [bad])
    out, err = io.StringIO(), io.StringIO()
    assert main(course, "json", out=out, err=err) == 1
    json.loads(out.getvalue())
    assert re.search(r"ID, которых нет в стандарте", err.getvalue())
    assert "course/02-x/02.01-bad.ipynb: «A4-TF6»" in err.getvalue()


def test_module_map_refuses_whole_tasks_and_competences() -> None:
    """A module's standard list names leaves (or compound items, repeats): a task or a competence is refused."""
    raw = {"number": "02", "slug": "x", "title": "X", "standard": ["A4-TF2-T1", "A4-PC1"], "status": "planned"}
    with pytest.raises(ValueError, match="модуль 02: в standard только умения, знания, их части и термины"):
        parse_modules({"modules": [raw]})
