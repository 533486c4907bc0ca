"""No hashtag, caption or media limit is written as a literal outside the platform facts files.

Limits age (Instagram went from 30 hashtags to 5 in December 2025), so they live in dated files,
``src/smmkit/platforms/facts.yaml`` (read with ``smmkit.platforms.load_facts()``) and
``src/smmkit/platforms/media_specs.yaml`` (feed ratio range, recommended sizes, safe zones, Telegram photos; read
with ``smmkit.platforms.media_specs.load_media_specs()``), and everything else reads them from there. This
test scans code (``src/``, ``tools/``), notebooks (``course/``, ``solutions/``, ``assignments/``), YAML (quizzes and
other data in ``src/``, ``assignments/``) and datasheets (``datasets/``) for a limit written by hand.

The patterns are built from the facts themselves (plus limits that used to be true, such as 30 hashtags) and need
a context that makes the number a limit: a number with a caption word (символ, подпись, caption, len(...)), a
number with a hashtag word or a comparison near one, a number with a media unit (px, МБ, секунд), an aspect
ratio (also with a decimal comma: 1,91:1), a ratio bound with a ratio word (соотношение 0,8), a size in pixels
(1080×1920, [1080, 1350]), or a constant such as ``HASHTAG_LIMITS``. A number alone (5000 подписчиков, 30 постов,
19:16) is not flagged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from smmkit.platforms import FACTS_PATH, load_facts
from smmkit.platforms.media_specs import load_media_specs

ROOT = Path(__file__).resolve().parents[1]
FACTS_DIR = FACTS_PATH.parent

#: Limits that were true once and are still written by habit.
LEGACY_HASHTAG_LIMITS = {30}
LEGACY_CAPTION_LIMITS = {2200, 4096, 1024, 63206, 16384, 2000}

_CONST = re.compile(r"\b(?:HASHTAG|TEXT|CAPTION|TAG|MEDIA)_LIMITS?\b|\bMAX_(?:HASHTAGS|CAPTION\w*|TAGS)\b")
_CAPTION_WORDS = (r"(?:символ|знак(?:а|ов)?\b|подпис(?:ь|и|ей|ью|ям|ях)\b|caption|\bchars?\b|len\("
                  r"|\b(?:text|message)_?len|текст[а-я]*\s+(?:до|не\s+длиннее|длиной))")
_HASHTAG_WORDS = r"(?:хеште?г|хэште?г|hashtag|\bтег(?:а|ов|и)?\b|\btags?\b|[\"']#[\"'])"
_SIDE_WORDS = r"(?:сверху|снизу|справа|слева|\btop\b|\bbottom\b|\bleft\b|\bright\b)"
_RATIO_WORDS = r"(?:соотношени\w*|пропорци\w*|aspect|ratio)"
_LIMIT_WORDS = r"(?:не\s+больше|не\s+более|больше|более|максимум|до|max|limit|лимит|предел|<=|>=|==|<|>)"
#: Media specs are matched with their own unit only (a number of megabytes before «МБ», of seconds before «секунд»).
_MEDIA_UNITS = {
    "_px": r"(?:px|пикс\w*)",
    "_mb": r"(?:МБ|Мб|MB)",
    "_seconds": r"(?:с\b|сек\w*|seconds?|s\b)",
}


@dataclass(frozen=True)
class Finding:
    """A limit written by hand: where, which rule and the line."""

    path: str
    line: str  # "12" for a text file, "cell 3, line 2" for a notebook
    rule: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.text.strip()[:120]}"


_NOT_BEFORE = r"(?<![\d.,:–-])(?<!\d[\s\u00a0\u202f])"  # not inside 7 500, 19:16, 3–5, 4.5
_NOT_AFTER = r"(?![\d–]|[.,:][\d]|[\s\u00a0\u202f]\d{3}\b)"  # not the start of 2 200 000, 5:30, 5.5


def _number(n: int) -> str:
    """A regex for ``n`` written as 2200, 2 200 (also a no-break or thin space), 2,200 or 2_200, standing alone."""
    digits = str(n)
    if len(digits) <= 3:
        return rf"{_NOT_BEFORE}{digits}{_NOT_AFTER}"
    head, tail = digits[:-3], digits[-3:]
    return rf"{_NOT_BEFORE}{head}[\s\u00a0\u202f,_]?{tail}{_NOT_AFTER}"


def _alternatives(numbers: Iterable[int]) -> str:
    return "(?:" + "|".join(_number(n) for n in sorted(set(numbers), reverse=True)) + ")"


def build_rules() -> dict[str, re.Pattern[str]]:
    """The patterns, built from the current facts (and the legacy limits)."""
    pf = load_facts()
    caption, hashtags, ratios = set(LEGACY_CAPTION_LIMITS), set(LEGACY_HASHTAG_LIMITS), set()
    media: dict[str, set[int]] = {suffix: set() for suffix in _MEDIA_UNITS}
    for name in pf.platforms:
        p = pf[name]
        caption |= {p.caption_limit_app, p.caption_limit_api}
        if p.hashtag_limit is not None:
            hashtags.add(p.hashtag_limit)
        for key, fact in p.media.items():
            if key == "caption_with_media":
                caption.add(int(fact.value))
            elif key == "aspect_ratios":
                ratios |= set(fact.value)
            elif isinstance(fact.value, int) and not isinstance(fact.value, bool) and fact.value >= 10:
                for suffix in _MEDIA_UNITS:  # smaller numbers (the first 3 seconds) are too common to tell apart
                    if key.endswith(suffix):
                        media[suffix].add(fact.value)
    bounds: set[float] = set()
    sizes: set[tuple[int, int]] = set()
    margins: set[int] = set()
    specs = load_media_specs()
    for by_key in specs.by_platform.values():
        for key, fact in by_key.items():
            _media_spec_values(key, fact.value, media, bounds, sizes, ratios, margins)
    cap, tag = _alternatives(caption), _alternatives(hashtags)
    med = "|".join(rf"{_alternatives(values)}\s*{_MEDIA_UNITS[suffix]}" for suffix, values in media.items() if values)
    ratio = "|".join(rf"(?<![\d.,:–-]){_decimal(r)}(?!\d|[.,:–-]\d)" for r in sorted(ratios))
    bound = "|".join(_decimal(f"{b:g}") for b in sorted(bounds))
    size = "|".join(rf"(?<![\d.,]){w}\s*[x×х*]\s*{h}(?!\d|[.,]\d)|[\[(]\s*{w}\s*,\s*{h}\s*[\])]"
                    for w, h in sorted(sizes))
    return {
        "константа с пределами": _CONST,
        "предел подписи": re.compile(
            rf"{cap}[^\n]{{0,40}}?{_CAPTION_WORDS}|{_CAPTION_WORDS}[^\n]{{0,60}}?{cap}", re.IGNORECASE),
        "предел хештегов": re.compile(
            rf"{tag}\s*{_HASHTAG_WORDS}"
            rf"|{_HASHTAG_WORDS}[^\n]{{0,40}}?{_LIMIT_WORDS}\s*{tag}"
            rf"|{_LIMIT_WORDS}\s*{tag}\s*[^\n\d]{{0,30}}?{_HASHTAG_WORDS}",
            re.IGNORECASE),
        "предел медиа": re.compile(med, re.IGNORECASE),
        "соотношение сторон": re.compile(
            rf"{ratio}|{_RATIO_WORDS}[^\n]{{0,40}}?(?<![\d.,:])(?:{bound})(?![\d:]|[.,]\d)", re.IGNORECASE),
        "размер в пикселях": re.compile(size),
        "безопасная зона": re.compile(
            rf"{_SIDE_WORDS}[^\n\d]{{0,15}}{_alternatives(margins)}\s*{_MEDIA_UNITS['_px']}"
            rf"|{_alternatives(margins)}\s*{_MEDIA_UNITS['_px']}[^\n\d]{{0,15}}{_SIDE_WORDS}", re.IGNORECASE),
    }


def _decimal(text: str) -> str:
    """A regex for ``text`` (a ratio such as 1.91:1, or a number) with a decimal point or comma: 1.91:1, 1,91:1."""
    return re.escape(text).replace(r"\.", "[.,]")


def _media_spec_values(key: str, value: object, media: dict[str, set[int]], bounds: set[float],
                       sizes: set[tuple[int, int]], ratios: set[str], margins: set[int]) -> None:
    """Sort one spec of ``media_specs.yaml`` into the scanner's sets: a ratio bound (``*_ratio_*``), sizes in pixels
    (``recommended_sizes``, a safe zone's canvas), a safe zone's margins and other pixel limits (``_px`` numbers).
    A margin counts only beside a side's name (a widget 420px wide is not a limit)."""
    if "ratio" in key and isinstance(value, int | float) and not isinstance(value, bool):
        ratios.add(f"{value:g}:1")
        if value < 10:  # a bound such as 0.8 or 1.91; «соотношение 20 на 80» is not one
            bounds.add(float(value))
    elif key == "recommended_sizes" and isinstance(value, dict):
        sizes |= {(int(w), int(h)) for w, h in value.values()}
    elif key.startswith("safe_zone") and isinstance(value, dict):
        sizes.add((int(value["canvas"][0]), int(value["canvas"][1])))
        margins |= {int(v) for k, v in value.items() if k != "canvas" and int(v) >= 10}
    elif isinstance(value, int) and not isinstance(value, bool) and value >= 10:
        media["_px"].add(value)


def scan_text(text: str, rules: dict[str, re.Pattern[str]]) -> Iterator[tuple[int, str, str]]:
    """(line number, rule, line) for every line of ``text`` that writes a limit by hand."""
    for number, line in enumerate(text.splitlines(), start=1):
        for rule, pattern in rules.items():
            if pattern.search(line):
                yield number, rule, line
                break


def scan_file(path: Path, rules: dict[str, re.Pattern[str]], root: Path = ROOT) -> list[Finding]:
    """Findings in one file; a notebook is scanned cell by cell (sources only: outputs are not stored)."""
    rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return [Finding(rel, str(n), rule, line) for n, rule, line in scan_text(text, rules)]
    found = []
    for index, cell in enumerate(json.loads(text).get("cells", [])):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        for n, rule, line in scan_text(source, rules):
            found.append(Finding(rel, f"cell {index}, line {n}", rule, line))
    return found


def project_files(root: Path = ROOT) -> list[Path]:
    """Every file the rule covers: code, notebooks, YAML data and datasheets, without the facts package."""
    patterns = [
        ("src", "*.py"), ("src", "*.yaml"), ("tools", "*.py"),
        ("course", "*.ipynb"), ("solutions", "*.ipynb"), ("assignments", "*.ipynb"), ("assignments", "*.yaml"),
        ("datasets", "DATASHEET.md"), ("datasets", "README.md"),
    ]
    files = set()
    for folder, pattern in patterns:
        base = root / folder
        if base.is_dir():
            files |= {p for p in base.rglob(pattern) if ".ipynb_checkpoints" not in p.parts}
    return sorted(p for p in files if not p.is_relative_to(FACTS_DIR))


#: Findings that are not limits written by hand: (file, rule) → why. Kept short; each must still be found (a test
#: below), so a stale exemption fails.
EXEMPT: dict[tuple[str, str], str] = {
    ("src/smmkit/media/library.yaml", "размер в пикселях"):
        "the sizes of the generated media files (data the module 05 lessons check), not a platform rule",
}


def scan_project(root: Path = ROOT, exempt: bool = True) -> list[Finding]:
    """All findings in the project (without the :data:`EXEMPT` ones unless ``exempt`` is false)."""
    rules = build_rules()
    found = [f for path in project_files(root) for f in scan_file(path, rules, root)]
    return [f for f in found if not (exempt and (f.path, f.rule) in EXEMPT)]


# --- the rule on the project -------------------------------------------------------------------------------


def test_no_limit_is_written_outside_the_facts_file() -> None:
    findings = scan_project()
    report = "\n".join(str(f) for f in findings)
    assert not findings, (
        "Пределы площадок записаны вручную вне src/smmkit/platforms/facts.yaml и media_specs.yaml; берите их из "
        f"smmkit.platforms.load_facts() и smmkit.platforms.media_specs.load_media_specs():\n{report}"
    )


def test_every_exemption_is_still_needed() -> None:
    found = {(f.path, f.rule) for f in scan_project(exempt=False)}
    for key, why in EXEMPT.items():
        assert key in found, f"stale exemption {key}: {why}"


def test_the_scan_covers_the_places_the_rule_names() -> None:
    files = {str(p.relative_to(ROOT)) for p in project_files()}
    assert "src/smmkit/autoposting.py" in files and "src/smmkit/widgets/upload.py" in files
    assert any(f.startswith("course/") and f.endswith(".ipynb") for f in files)
    assert any(f.startswith("src/smmkit/quizzes/") and f.endswith(".yaml") for f in files)
    assert any(f.startswith("datasets/") and f.endswith("DATASHEET.md") for f in files)
    assert not any(f.startswith("src/smmkit/platforms/") for f in files)


# --- the scanner catches planted literals and leaves other numbers alone ----------------------------------

PLANTED = [
    'HASHTAG_LIMITS = {"Instagram": 30}',
    'TEXT_LIMITS = {"TikTok": 2200}',
    "    if len(caption) > 2200:",
    "text_len = np.clip(np.round(rng.lognormal(5.6, 0.6, n)), 40, 2200).astype(int)",
    "Подпись в Instagram — до 2 200 символов.",
    "В TikTok через API можно 2,200 знаков, в приложении 4 000 символов.",
    "Instagram разрешает не больше 30 хештегов.",
    "Теперь можно 5 хештегов на пост.",
    'too_many = caption.count("#") > 5',
    "    if n_hashtags > 30:",
    "hashtags: не более 5",
    "Видео в TikTok — не длиннее 600 секунд, файл до 4096 МБ.",
    "Ширина фото не меньше 320 px, не больше 1 440 пикселей.",
    "Формат 4:5 лучше всего для ленты.",
    "Сообщение Telegram — до 4096 символов, подпись под фото — 1024 символа.",
    "Threads: 1 хештег на пост.",
    "Reels снимают в 9:16.",
    "Facebook принимает 1,91:1, 1:1 и 4:5.",
    "Соотношение сторон фото в ленте — от 0,8 до 1,91.",
    "Вертикальное видео — 1080×1920, фото для ленты 1080 x 1350.",
    'SIZES = {"feed": [1080, 1350]}',
    "Снизу интерфейс закрывает 420 px, справа — 170 пикселей.",
    "Отступ 250 px сверху.",
    "Фото в Telegram: сумма сторон не больше 10 000 px, вытянутость до 20:1.",
]
UNRELATED = [
    "У кофейни 5000 подписчиков и 2200 лайков за месяц.",
    "Бюджет — 2 200 000 тенге.",
    "## 5. Хештеги и ссылки",
    "ER 4.5% по 30 постам",
    "Пост вышел в 19:16 по Алматы.",
    "Первые 3 секунды видео решают всё.",
    "x = 30",
    "# 30 дней в плане",
    "rng = np.random.default_rng(2200)",
    "CP-005 и CP-030 не утверждены",
    "for i in range(30):",
    "Отчёт за 2024 год: 16 384 показа.",
    "Доля выросла на 0,8 п. п., ER 1,91%.",
    "Видео набрало 1080 просмотров, 1920 лайков.",
    "Соотношение мужчин и женщин — 20 на 80.",
    "Окно 9:16–9:30 по Алматы.",
    'layout=w.Layout(width="420px")',
]


def test_scanner_catches_planted_literals() -> None:
    rules = build_rules()
    for line in PLANTED:
        assert list(scan_text(line, rules)), line


def test_scanner_leaves_unrelated_numbers_alone() -> None:
    rules = build_rules()
    for line in UNRELATED:
        assert not list(scan_text(line, rules)), line


@pytest.mark.parametrize("kind", ["py", "ipynb", "yaml", "md"])
def test_scanner_catches_a_literal_planted_in_each_kind_of_file(tmp_path: Path, kind: str) -> None:
    line = "Instagram допускает не больше 30 хештегов"
    if kind == "ipynb":
        cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Урок\n", "Текст\n"]},
                 {"cell_type": "markdown", "metadata": {}, "source": ["Ок\n", line + "\n"]}]
        text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    else:
        text = f"first line\n{line}\n"
    path = tmp_path / f"planted.{kind}"
    path.write_text(text, encoding="utf-8")
    findings = scan_file(path, build_rules(), root=tmp_path)
    assert len(findings) == 1
    assert findings[0].line == ("cell 1, line 2" if kind == "ipynb" else "2")
    assert findings[0].rule == "предел хештегов"


def test_scan_project_finds_a_planted_file(tmp_path: Path) -> None:
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "clean.py").write_text("LIMIT = load_facts()['Instagram'].hashtag_limit\n")
    (tmp_path / "src" / "pkg" / "dirty.py").write_text("HASHTAG_LIMITS = {'Instagram': 30}\n")
    findings = scan_project(tmp_path)
    assert [(f.path, f.line, f.rule) for f in findings] == [("src/pkg/dirty.py", "1", "константа с пределами")]
