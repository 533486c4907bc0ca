"""`smmkit curriculum documents`: every document in both languages, its tables checked against the course's data.

The documents are generated once into a temporary folder (nothing generated is committed). The checks read
the data on their own: modules.yaml, the standard, the master notebooks' graded cells, the settings.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date, datetime
from importlib import resources
from pathlib import Path

import docx
import pytest
import yaml

from smmkit.cli import main
from smmkit.curriculum.college import load_settings, parse_settings
from smmkit.curriculum.documents import documents, ktp_document
from smmkit.curriculum.glossary import load_glossary
from smmkit.curriculum.programme import build_programme
from smmkit.curriculum.standard import load_standard

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = load_settings()
MODULES = {m["number"]: m for m in yaml.safe_load(
    resources.files("smmkit.curriculum").joinpath("modules.yaml").read_text(encoding="utf-8"))["modules"]}
LABELS = yaml.safe_load(resources.files("smmkit.curriculum").joinpath("documents.yaml").read_text(encoding="utf-8"))
PLANNED = {"ru": "планируется", "kk": "жоспарланған"}


def built_masters() -> list[Path]:
    """Masters of the assignments of built modules (aNN belongs to module NN): a planned module's documents have
    only the module map, so its assignment's items and mistakes are not in them yet."""
    return [m for m in sorted((ROOT / "solutions").glob("*/*.ipynb"))
            if MODULES[m.parent.name[1:3]]["status"] == "built"]


def L(key: str, lang: str) -> str:
    return str(LABELS["labels"][key][lang])


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("documents")
    assert main(["--root", str(ROOT), "curriculum", "documents", "--out", str(folder)]) == 0
    return folder


def tables(path: Path, first_header: str) -> list[list[list[str]]]:
    """The docx's tables whose header row starts with ``first_header``, as rows of cell texts."""
    found = []
    for table in docx.Document(str(path)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows[0][0] == first_header:
            found.append(rows)
    return found


def test_every_document_in_both_languages_and_formats(out: Path) -> None:
    stems = ["programme", "ktp", "rubrics", "standard-map", "glossary"]
    stems += [f"{kind}-{n}" for n in SETTINGS.modules for kind in ("rupr", "syllabus")]
    for lang in ("ru", "kk"):
        for stem in stems:
            for ext in ("docx", "md"):
                assert (out / lang / f"{stem}-{lang}.{ext}").stat().st_size > 0, (lang, stem, ext)
        assert docx.Document(str(out / lang / f"programme-{lang}.docx")).core_properties.language.startswith(lang)
    assert (out / "ru" / "instructor-guide-ru.docx").exists() and not (out / "kk" / "instructor-guide-kk.docx").exists()


def test_instructor_guide_has_mistakes_model_answers_and_a_true_pandas_path(out: Path) -> None:
    import re

    guide = "\n".join(p.text for p in docx.Document(str(out / "ru" / "instructor-guide-ru.docx")).paragraphs)
    for path in [ROOT / "tests" / "submissions" / f"{m.parent.name}.yaml" for m in built_masters()]:
        for sub in yaml.safe_load(path.read_text(encoding="utf-8"))["submissions"]:
            assert sub["mistake"] in guide, sub["name"]
    for master in built_masters():
        for cell in json.loads(master.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown" and cell["metadata"].get("nbgrader", {}).get("grade"):
                answer = "".join(cell["source"]).split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
                assert " ".join(answer.split()[:12]) in " ".join(guide.split())
    path_data = yaml.safe_load(resources.files("smmkit.curriculum").joinpath("guide.yaml").read_text(encoding="utf-8"))
    assert len(path_data["pandas_path"]) >= 8
    for step in path_data["pandas_path"]:
        [lesson] = (ROOT / "course").glob(f"{step['lesson'][:2]}-*/{step['lesson']}-*.ipynb")
        code, inside = "", False
        for cell in json.loads(lesson.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown" and source.startswith("## "):
                inside = bool(re.match(rf"^##\s+{step['section']}\.\s", source))
            elif inside and cell["cell_type"] == "code":
                code += source
        assert code and all(use in code for use in step["uses"]), step
        assert f"{step['lesson']} §{step['section']}" in guide


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_standard_map_names_every_item_of_both_cards_and_the_glossary(out: Path, lang: str) -> None:
    std = load_standard()
    found = tables(out / lang / f"standard-map-{lang}.docx", L("h_standard", lang))
    assert len(found) == 3  # A4, M6, glossary
    listed = [row[0] for t in found for row in t[1:]]
    assert sorted(listed) == sorted(std.leaf_ids())
    a4 = {row[0] for row in found[0][1:]}
    assert a4 == set(std.leaves_under("A4")) and len(a4) == 41
    markdown = (out / lang / f"standard-map-{lang}.md").read_text(encoding="utf-8")
    assert all(f"| {leaf} |" in markdown for leaf in std.leaf_ids())
    programme = docx.Document(str(out / lang / f"programme-{lang}.docx"))
    functions = {row.cells[0].text for t in programme.tables for row in t.rows}
    assert {f.id for c in std.cards if c.id == "A4" for f in c.functions} <= functions


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_programme_hours_add_up_and_match_the_module_map(out: Path, lang: str) -> None:
    [table] = [t for t in tables(out / lang / f"programme-{lang}.docx", L("h_code", lang))
               if L("h_theory", lang) in t[0]]
    header, *rows = table
    assert header[2:7] == [L(k, lang) for k in ("h_theory", "h_practice", "h_independent", "h_hours", "h_credits")]
    total_row = rows[-1]
    assert total_row[1] == L("total", lang)
    modules = [r for r in rows if r[0].split(" ")[0] in (L("pm", lang), L("module", lang))]
    assert [r[0].split(" ")[1] for r in modules] == list(SETTINGS.modules)
    num = lambda s: int(s or 0)  # noqa: E731
    for r in modules:
        number = r[0].split(" ")[1]
        theory, practice, independent, hours = (num(x) for x in r[2:6])
        assert theory + practice + independent == hours == sum(MODULES[number]["hours"].values())
        assert float(r[6].replace(",", ".")) == round(hours / SETTINGS.hours_per_credit, 1)
        [rupr] = tables(out / lang / f"rupr-{number}-{lang}.docx", L("h_theory", lang))
        assert rupr[1] == r[2:7]  # the module's working curriculum carries the same hours and credits
        planned = MODULES[number]["status"] == "planned"
        assert (f"({PLANNED[lang]})" in r[1]) == planned, r
        i = rows.index(r)
        outcomes = []
        for below in rows[i + 1:]:
            if not below[0].startswith(L("ro", lang)):
                break
            outcomes.append(below)
        assert bool(outcomes) == (not planned)
        if outcomes:  # the outcomes' classroom hours make up the module's theory and practice
            assert sum(num(o[2]) for o in outcomes) == theory and sum(num(o[3]) for o in outcomes) == practice
            lessons = sorted(p.stem[:5] for p in (ROOT / "course").glob(f"{number}-*/*.ipynb"))
            assert [o[1][:5] for o in outcomes] == lessons
            std = load_standard()
            assert all(i in std for o in outcomes for i in o[8].split(", ") if i)
    assert [num(x) for x in total_row[2:5]] == [sum(num(r[k]) for r in modules) for k in range(2, 5)]
    # practice and attestation rows: a ПМ of the assistant card gets both, with the settings' hours
    practice = [r for r in rows if r[1].startswith(L("row_practice", lang))]
    core = [n for n in SETTINGS.modules if MODULES[n]["card"] == "A4"]
    interim = [r for r in rows if r[1] in {L("row_interim", lang).format(module=f"{L('pm', lang)} {n}") for n in core}]
    final = [r for r in rows if r[1] == L("row_final", lang)]
    assert len(practice) == len(interim) == len(core) and len(final) == 1
    assert all(num(r[5]) == SETTINGS.practice_hours for r in practice)
    assert all(num(r[5]) == SETTINGS.interim_hours for r in interim)
    assert num(final[0][5]) == SETTINGS.final_hours
    assert rows.index(final[0]) == len(rows) - 2
    teaching = sum(sum(MODULES[n]["hours"].values()) for n in SETTINGS.modules)
    assert num(total_row[5]) == teaching + sum(num(r[5]) for r in practice + interim + final)
    assert num(total_row[5]) == teaching + len(core) * (SETTINGS.practice_hours + SETTINGS.interim_hours) + \
        SETTINGS.final_hours
    assert float(total_row[6].replace(",", ".")) == round(num(total_row[5]) / SETTINGS.hours_per_credit, 1)
    for n in core:  # each ПМ's РУПр carries its practice and interim attestation, and the module's total
        [extra] = tables(out / lang / f"rupr-{n}-{lang}.docx", L("h_kind", lang))
        assert [num(r[1]) for r in extra[1:]] == [SETTINGS.practice_hours, SETTINGS.interim_hours,
                                                 sum(MODULES[n]["hours"].values()) + SETTINGS.practice_hours
                                                 + SETTINGS.interim_hours]


def test_module_map_hours_are_the_lessons_budgets(out: Path) -> None:
    """modules.yaml's theory and practice of a built module are its lessons' budgets, and the documents agree."""
    from smmkit.curriculum.programme import map_mismatches

    assert map_mismatches(ROOT) == []
    budgets = _built_classroom_hours_by_module()
    assert budgets["01"] == (4, 4) and MODULES["01"]["hours"] == {"theory": 4, "practice": 4, "independent": 8}
    for number, (theory, practice) in budgets.items():
        assert (MODULES[number]["hours"]["theory"], MODULES[number]["hours"]["practice"]) == (theory, practice)
        for lang in ("ru", "kk"):
            [rupr] = tables(out / lang / f"rupr-{number}-{lang}.docx", L("h_theory", lang))
            assert [int(x) for x in rupr[1][:3]] == [theory, practice, MODULES[number]["hours"].get("independent", 0)]


def _built_classroom_hours_by_module() -> dict[str, tuple[int, int]]:
    import math
    import re

    out = {}
    for n, m in MODULES.items():
        if m["status"] != "built":
            continue
        theory = practice = 0
        for path in sorted((ROOT / "course").glob(f"{n}-*/*.ipynb")):
            title = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
            t, p = map(int, re.search(r"(\d+) мин теория · (\d+) мин практика", title).groups())
            theory, practice = theory + math.ceil(t / 45), practice + math.ceil(p / 45)
        out[n] = (theory, practice)
    return out


def _graded_cells() -> dict[str, float]:
    out: dict[str, float] = {}
    for master in built_masters():
        for cell in json.loads(master.read_text(encoding="utf-8"))["cells"]:
            nbg = cell["metadata"].get("nbgrader", {})
            if nbg.get("grade") and nbg["points"]:  # a 0-point code check (a05's Q7) is no graded item
                out[nbg["grade_id"]] = float(nbg["points"])
    return out


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_graded_item_is_in_the_rubrics_with_its_points(out: Path, lang: str) -> None:
    graded = _graded_cells()
    assert len(graded) >= 7
    found = tables(out / lang / f"rubrics-{lang}.docx", L("h_grade_id", lang))
    rows = {row[0]: row for t in found for row in t[1:]}
    assert set(rows) == set(graded)
    for grade_id, points in graded.items():
        assert float(rows[grade_id][2].replace(",", ".")) == points
        assert rows[grade_id][3].strip(), grade_id  # what it checks: the test's docstring or the manual criteria
    assert L("manual", lang) in rows["q7-memo"][3] and "1." in rows["q7-memo"][3]


def test_every_graded_item_of_a_built_module_serves_a_learning_outcome() -> None:
    """РУПр lists a module's graded items under the outcomes whose standard items they check: an autograded test
    cell by its tags, a manually graded task by the tags of its answer cell (with a mark scheme and two anchors,
    the coverage report's «оценено преподавателем»). An item under no outcome would vanish from the РУПр."""
    programme = build_programme(ROOT, SETTINGS)
    for module in programme.modules:
        served = {(g.assignment, g.grade_id) for o in module.outcomes for g in o.graded}
        alone = [f"{g.assignment}:{g.grade_id}" for g in module.graded if (g.assignment, g.grade_id) not in served]
        assert not alone, f"module {module.module.number}: graded items under no learning outcome: {alone}"
    manual = [g for g in programme.graded if g.manual]
    assert manual and all(g.standard for g in manual)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_ktp_lays_every_classroom_hour_on_teaching_days(out: Path, lang: str) -> None:
    [table] = tables(out / lang / f"ktp-{lang}.docx", L("h_n", lang))
    rows = table[1:]
    classroom = sum(MODULES[n]["hours"]["theory"] + MODULES[n]["hours"]["practice"] for n in SETTINGS.modules
                    if MODULES[n]["status"] == "planned")
    classroom += sum(int(o) for o in _built_classroom_hours())
    assert sum(int(r[4]) for r in rows) == classroom
    days = [datetime.strptime(r[1], "%d.%m.%Y").date() for r in rows]
    holidays = SETTINGS.holiday_dates()
    sem = SETTINGS.semester
    assert days == sorted(days) and [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
    assert all(sem.start <= d <= sem.end and d not in holidays and d.isoweekday() in sem.days for d in days)
    assert date(2027, 3, 8) not in days
    assert all(int(r[4]) <= sem.lesson_hours for r in rows)


def _built_classroom_hours() -> list[int]:
    """Each built lesson's budget, theory and practice each rounded up to 45-minute hours."""
    import math
    import re

    out = []
    for n in SETTINGS.modules:
        if MODULES[n]["status"] != "built":
            continue
        for path in sorted((ROOT / "course").glob(f"{n}-*/*.ipynb")):
            title = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
            theory, practice = map(int, re.search(r"(\d+) мин теория · (\d+) мин практика", title).groups())
            out += [math.ceil(theory / 45), math.ceil(practice / 45)]
    return out


def test_kazakh_set_has_kazakh_titles_for_every_module_card_and_function(out: Path) -> None:
    titles = yaml.safe_load(resources.files("smmkit.curriculum").joinpath("titles_kk.yaml").read_text(encoding="utf-8"))
    std = load_standard()
    assert set(titles["modules"]) == set(MODULES)
    assert set(titles["cards"]) == {c.id for c in std.cards}
    assert set(titles["functions"]) == {f.id for f in std.functions}
    text = "\n".join(p.text for p in docx.Document(str(out / "kk" / "programme-kk.docx")).paragraphs)
    cells = {c.text for t in docx.Document(str(out / "kk" / "programme-kk.docx")).tables for r in t.rows
             for c in r.cells}
    assert titles["cards"]["A4"] in text
    assert all(titles["functions"][f"A4-TF{n}"] in cells for n in range(1, 6))
    assert all(any(titles["modules"][n] in c for c in cells) for n in SETTINGS.modules)
    assert not any(MODULES[n]["title"] in c for n in SETTINGS.modules for c in cells)


def test_glossary_has_three_languages(out: Path) -> None:
    for lang in ("ru", "kk"):
        [table] = tables(out / lang / f"glossary-{lang}.docx", L("h_ru", lang))
        assert len(table) - 1 == len(load_glossary())
        assert all(all(cell.strip() for cell in row) for row in table)


def test_settings_drive_the_documents() -> None:
    raw = yaml.safe_load(resources.files("smmkit.curriculum").joinpath("college.yaml").read_text(encoding="utf-8"))
    data = copy.deepcopy(raw)
    data.update(languages=["kk"], modules=["01", "06"], hours_per_credit=30)
    programme = build_programme(ROOT, parse_settings(data))
    docs = documents(programme)
    assert {d.lang for d in docs} == {"kk"}
    structure = next(d for d in docs if d.stem == "programme").tables()[-1]
    assert [r[0] for r in structure.rows if r[0].startswith("КМ")] == ["КМ 01", "КМ 06"]
    assert any("(жоспарланған)" in r[1] for r in structure.rows if r[0] == "КМ 06")
    assert structure.rows[-1][5] == "68"  # 16 + 20 h of teaching, 24 + 2 h of practice and exam for ПМ 01, 6 h final
    assert structure.rows[-1][6] == "2,3"  # 68 h / 30 h per credit
    data["semester"]["weeks"] = 2
    with pytest.raises(ValueError, match="не помещаются в семестр"):
        ktp_document(build_programme(ROOT, parse_settings(data)), "kk")


def test_bad_settings_file_exits_with_a_russian_message(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "college.yaml"
    bad.write_text("college: Колледж\nlanguages: [ru]\nsemester: {start: 2027-02-30, weeks: 18, weekly_hours: 6}\n"
                   "hours_per_credit: 24\nmodules: ['01']\n", encoding="utf-8")
    code = main(["--root", str(ROOT), "curriculum", "documents", "--out", str(tmp_path / "o"), "--settings", str(bad)])
    assert code == 2 and "semester.start" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


# --- the Kazakh set: every text in Kazakh ---------------------------------------------------------------------

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+")
# Cells a Kazakh table may hold without a Kazakh-specific letter: Kazakh words that happen to have none,
# proper names and codes. Anything else Cyrillic must carry one of ә ғ қ ң ө ұ ү һ і.
KAZAKH_WITHOUT_SPECIAL_LETTERS = {
    "Айдар", "Жазылушылар", "Жарияланым", "Контент-жоспар", "Тартылу", "Хэштег", "Медиана", "Кредит", "Бот",
    "Блогер", "Репост", "Ретаргетинг", "Модуль", "Автопостинг (жазбаларды автоматты жариялау)",
}
PROPER_NAMES = {"Яндекс.Вебмастер", "Яндекс.Метрика", "Яндекс Метрика", "Блокчейн (BlockChain)"}
CODE = re.compile(r"^(КМ|ОН|Модуль) [\d.]+( \(\w+\))?$")
RUSSIAN_WORDS = {"и", "в", "во", "на", "не", "с", "со", "по", "для", "из", "от", "что", "как", "а", "или", "к", "у",
                 "за", "при", "это", "только", "без", "вместо", "но", "до", "под", "чтобы", "если", "когда", "где"}
RUSSIAN_ENDINGS = ("ый", "ий", "ая", "ое", "ого", "ому", "ых", "ыми", "ться", "ть", "ует", "ются", "ение",
                   "ания")


def russian_phrases(text: str) -> list[str]:
    """Phrases of two or more Cyrillic words with no Kazakh-specific letter and a Russian function word or ending."""
    out = []
    for phrase in re.split(r"[;:·—()\n«»|]|,\s|\.\s", text):
        words = CYRILLIC.findall(phrase)
        if len(words) >= 2 and not set(phrase) & KAZAKH_LETTERS and any(
                w.lower() in RUSSIAN_WORDS or w.lower().endswith(RUSSIAN_ENDINGS) for w in words):
            out.append(phrase.strip())
    return out


def not_kazakh(folder: Path) -> dict[str, set[str]]:
    """Table cells and phrases of the folder's .docx files that are not Kazakh, with the documents they are in.

    The glossary's Russian column is Russian by design and is left out."""
    labels = {str(v["kk"]) for v in LABELS["labels"].values() if isinstance(v.get("kk"), str)}
    allowed = labels | KAZAKH_WITHOUT_SPECIAL_LETTERS | PROPER_NAMES
    found: dict[str, set[str]] = {}
    for path in sorted(folder.glob("*.docx")):
        document = docx.Document(str(path))
        for table in document.tables:
            russian_column = [i for i, c in enumerate(table.rows[0].cells) if c.text in (L("h_ru", "kk"), "Русский")]
            for row in table.rows:
                for i, cell in enumerate(row.cells):
                    text = cell.text.strip()
                    if i in russian_column:
                        continue
                    if (CYRILLIC.search(text) and not set(text) & KAZAKH_LETTERS and text not in allowed
                            and not CODE.match(text)):
                        found.setdefault(text, set()).add(path.stem)
                    for phrase in russian_phrases(text):
                        found.setdefault(phrase, set()).add(path.stem)
        for p in document.paragraphs:
            for phrase in russian_phrases(p.text):
                found.setdefault(phrase, set()).add(path.stem)
    return found


def test_no_russian_leaks_into_the_kazakh_documents(out: Path) -> None:
    leaks = not_kazakh(out / "kk")
    assert not leaks, "\n".join(f"{text} ({', '.join(sorted(docs))})" for text, docs in sorted(leaks.items()))
    assert len(not_kazakh(out / "ru")) > 100  # the check does see Russian
    for path in (out / "kk").glob("*.md"):
        assert "Ескерту:" not in path.read_text(encoding="utf-8"), path.name  # nothing shown untranslated


def test_every_text_the_kazakh_set_shows_has_a_current_kazakh_text(out: Path) -> None:
    from smmkit.curriculum.modules import load_modules
    from smmkit.curriculum.translations import stale_translations, standard_kk

    raw = yaml.safe_load(resources.files("smmkit.curriculum").joinpath("college.yaml").read_text(encoding="utf-8"))
    raw["modules"] = [m.number for m in load_modules()]  # every module, the advanced block too
    assert stale_translations(build_programme(ROOT, parse_settings(raw))) == []
    std, items = load_standard(), standard_kk()
    shown = [row for t in tables(out / "kk" / "standard-map-kk.docx", L("h_standard", "kk"))[:2] for row in t[1:]]
    assert len(shown) == len(std.leaf_ids()) - len([i for i in std.leaf_ids() if i.startswith("GL-")])
    for row in shown:
        assert row[1] == items[row[0]]["kk"] and items[row[0]]["ru"] == std.get(row[0]).text, row
    for name in ("standard_kk.yaml", "texts_kk.yaml"):
        text = resources.files("smmkit.curriculum").joinpath(name).read_text(encoding="utf-8")
        assert yaml.safe_load(text)["reviewed"] is False
        assert "methodist" in text.split("schema_version")[0]
    rupr = "\n".join(p.text for p in docx.Document(str(out / "kk" / "rupr-01-kk.docx")).paragraphs)
    texts = yaml.safe_load(resources.files("smmkit.curriculum").joinpath("texts_kk.yaml").read_text(encoding="utf-8"))
    assert all(o["kk"] in rupr for o in texts["lessons"]["01.02"]["objectives"])


def test_a_stale_translation_is_named_and_shown_in_russian_with_a_note() -> None:
    import dataclasses

    from smmkit.curriculum.programme import Programme
    from smmkit.curriculum.translations import stale_translations

    data = yaml.safe_load(resources.files("smmkit.curriculum").joinpath("college.yaml").read_text(encoding="utf-8"))
    data.update(languages=["kk"], modules=["01"])
    programme = build_programme(ROOT, parse_settings(data))
    [pm] = programme.modules
    changed = dataclasses.replace(pm.outcomes[0], title="Контент-план как таблица pandas")
    pm = dataclasses.replace(pm, outcomes=(changed, *pm.outcomes[1:]))
    programme = Programme(programme.settings, (pm,), programme.coverage)
    [message] = stale_translations(programme)
    assert "урок 01.01, название" in message and "русский текст изменился" in message
    rupr = next(d for d in documents(programme) if d.stem == "rupr-01")
    text = "\n".join(getattr(b, "text", "") for b in rupr.blocks)
    assert "Контент-план как таблица pandas" in text and "Ескерту:" in text and "урок 01.01, название" in text


def test_legal_sources_say_what_was_verified_and_the_outline_marks_the_rest(out: Path) -> None:
    from smmkit.curriculum.documents import legal_item, legal_sources

    sources = legal_sources()
    assert {s["id"] for s in sources} >= {"goso-tipo", "goso-tipo-2024", "credit-rules", "assessment-rules",
                                         "professional-standard", "qualifications-law"}
    for s in sources:
        assert s["verified"] in ("verified", "unverified") and s["how"].strip(), s["id"]
        assert date.fromisoformat(s["checked"]) <= date.today()
        if s["verified"] == "verified":  # a verified act names the adilet.zan.kz page it was read on
            assert s["act"] and "adilet.zan.kz/" in s["how"], s["id"]
    by_id = {s["id"]: s for s in sources}
    assert by_id["goso-tipo"]["act"] == "V2200029031" and "№ 348" in by_id["goso-tipo"]["ru"]
    assert by_id["goso-tipo-2024"]["act"] == "V2400034432" and "31.05.2024 № 132" in by_id["goso-tipo-2024"]["ru"]
    assert by_id["credit-rules"]["act"] == "V2300032140" and "28.03.2023 № 75" in by_id["credit-rules"]["ru"]
    for lang in ("ru", "kk"):
        bullets = [p.text for p in docx.Document(str(out / lang / f"programme-{lang}.docx")).paragraphs
                   if p.style.name == "List Bullet"]
        for s in sources:
            assert legal_item(s, lang) in bullets, (lang, s["id"])
            mark = L("legal_unverified", lang) if s["verified"] == "unverified" else L("legal_verified", lang)[:12]
            assert mark in legal_item(s, lang)


def test_a_stale_standard_item_is_named_and_the_map_notes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from smmkit.curriculum.translations import stale_translations, standard_kk

    data = yaml.safe_load(resources.files("smmkit.curriculum").joinpath("college.yaml").read_text(encoding="utf-8"))
    data.update(languages=["kk"], modules=["01"])
    programme = build_programme(ROOT, parse_settings(data))
    monkeypatch.setitem(standard_kk(), "A4-TF1-T1-U1", {"ru": "Работать в программах отложенного постинга",
                                                         "kk": "ескі аударма"})
    [message] = stale_translations(programme)
    assert message.startswith("standard_kk.yaml, A4-TF1-T1-U1: русский текст изменился")
    standard_map = next(d for d in documents(programme) if d.stem == "standard-map")
    rows = {r[0]: r for t in standard_map.tables() for r in t.rows}
    assert rows["A4-TF1-T1-U1"][1] == load_standard().get("A4-TF1-T1-U1").text  # the Russian, not the stale Kazakh
    assert any("Ескерту:" in getattr(b, "text", "") and "A4-TF1-T1-U1" in b.text for b in standard_map.blocks)
