"""The realism report: references as data, measured on the committed datasets, tables in the datasheets."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from smmkit.data import realism
from smmkit.datasets import available, load

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
HEAD = "- id: a.b\n  dataset: audience\n  what: w\n"


def test_every_reference_is_inside_its_range_and_printed() -> None:
    out = io.StringIO()
    assert realism.main(DATASETS, out) == 0, out.getvalue()
    text = out.getvalue()
    refs = realism.references()
    assert refs and all(r.id in text for r in refs)
    assert f"Ориентиров: {len(refs)}; вне диапазона: 0." in text


def test_references_point_at_datasets_and_importable_measures() -> None:
    names = set(available())
    for ref in realism.references():
        assert ref.dataset in names, ref.id
        assert ref.id.split(".")[0] and "." in ref.id, ref.id
        assert ref.low <= ref.high


def test_a_value_outside_its_range_fails_the_report(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(
        "- id: x.women\n  dataset: audience\n  what: Доля женщин\n"
        "  measure: smmkit.data.realism.audience:women\n  low: 90\n  high: 99\n  unit: '%'\n  source: тест\n",
        encoding="utf-8",
    )
    [finding] = realism.measure(realism.references(tmp_path), load)
    assert not finding.ok
    assert "**нет**" in realism.markdown([finding])
    assert "вне диапазона: 1" in realism.report([finding])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- id: a.b\n  dataset: audience\n", "нет ключей"),
        (f"{HEAD}  measure: nocolon\n  low: 1\n  high: 2\n  source: s\n", "модуль:функция"),
        (f"{HEAD}  measure: m:f\n  low: 3\n  high: 2\n  source: s\n", "больше high"),
        ("- id: a.b\n  source: a: b\n", "не читается как YAML"),
        ("id: a.b\n", "списком"),
    ],
)
def test_malformed_references_are_named_in_russian(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(realism.RealismError, match=message):
        realism.references(tmp_path)


def test_a_missing_measure_is_named() -> None:
    ref = realism.Reference("a.b", "audience", "w", "smmkit.data.realism.audience:nothing", 0, 1, "s")
    with pytest.raises(realism.RealismError, match="nothing"):
        ref.compute(load)


def test_the_datasheet_table_is_written_by_build_and_a_hand_edit_is_stale(tmp_path: Path) -> None:
    root = tmp_path / "datasets"
    shutil.copytree(DATASETS / "audience", root / "audience")
    sheet = root / "audience" / "DATASHEET.md"
    committed = sheet.read_text(encoding="utf-8")
    assert realism.BEGIN in committed and "**90,1 %**" in committed
    sheet.write_text(committed.replace("**90,1 %**", "**95,0 %**"), encoding="utf-8")
    refs = [r for r in realism.references() if r.dataset == "audience"]
    findings = realism.measure(refs, lambda name: load(name, root))
    assert realism.datasheets(root, findings, check=True, out=io.StringIO()) == [sheet]
    assert realism.datasheets(root, findings, check=False, out=io.StringIO()) == []
    assert sheet.read_text(encoding="utf-8") == committed


def test_references_without_a_datasheet_are_an_error(tmp_path: Path) -> None:
    ref = realism.Reference("a.b", "audience", "w", "smmkit.data.realism.audience:women", 0, 100, "s")
    with pytest.raises(realism.RealismError, match="audience"):
        realism.datasheets(tmp_path, [realism.Finding(ref, 50.0)], check=True, out=io.StringIO())


def test_fill_needs_exactly_one_pair_of_markers() -> None:
    with pytest.raises(realism.RealismError, match="ровно одна"):
        realism.fill("нет меток", [])
    filled = realism.fill(f"до\n{realism.BEGIN}\nстарое\n{realism.END}\nпосле", [])
    assert "старое" not in filled and filled.startswith("до\n") and filled.endswith("\nпосле")


def test_the_command_runs_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    from smmkit.cli import parser

    args = parser().parse_args(["--root", str(ROOT), "datasets", "realism"])
    assert args.func(args) == 0
    assert "вне диапазона: 0" in capsys.readouterr().out
