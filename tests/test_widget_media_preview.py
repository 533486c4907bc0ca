"""MediaPreview driven headless, smmkit.media.rules against lesson 05.02's checks by hand, and the numbers the lab
05.06 quotes in its folded solutions."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from lesson_text import folded_solution, quoted

from smmkit import media
from smmkit.media.photo import crop_box
from smmkit.media.rules import MB, breaches, extension, library_breaches
from smmkit.platforms import load_facts
from smmkit.platforms.media_specs import load_media_specs
from smmkit.widgets import MediaPreview
from smmkit.widgets.media_preview import ORIGINAL, frame_options, preview

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "course" / "05-content" / "05.06-lab-media-preview.ipynb"


@pytest.fixture(scope="module")
def lib() -> pd.DataFrame:
    return media.library()


@pytest.fixture
def lab() -> MediaPreview:
    return MediaPreview()


# --- smmkit.media.rules -----------------------------------------------------------------------------------------


def test_rules_find_what_lesson_0502_finds_by_hand(lib: pd.DataFrame) -> None:
    """The same conditions written as lesson 05.02 writes them in pandas give the same assets."""
    pf, ms = load_facts(), load_media_specs()
    ig, tt = pf["Instagram"], pf["TikTok"]
    ratio = lib["width"] / lib["height"]
    feed = (lib["platform"] == "Instagram") & (lib["kind"] == "фото")
    by_hand = {
        "feed_ratio": feed & ((ratio < ms.value("Instagram", "feed_ratio_min"))
                              | (ratio > ms.value("Instagram", "feed_ratio_max"))),
        "min_width": feed & (lib["width"] < ig.media_spec("min_width_px")),
        "too_short": (lib["format"] == "Reels") & (lib["duration_s"] < ig.media_spec("reel_min_seconds")),
        "too_long": ((lib["platform"] == "TikTok") & (lib["duration_s"] > tt.media_spec("video_max_seconds")))
        | ((lib["format"] == "Reels") & (lib["duration_s"] > ig.media_spec("reel_max_seconds")))
        | ((lib["format"] == "Shorts") & (lib["duration_s"] > pf["YouTube"].media_spec("shorts_max_seconds"))),
        "format": (lib["platform"] == "TikTok") & ~lib["file_name"].map(extension).isin(tt.media_formats),
        "sides_sum": (lib["platform"] == "Telegram")
        & (lib["width"] + lib["height"] > ms.value("Telegram", "photo_sides_sum_max")),
        "not_vertical": lib["format"].isin(["Reels", "Видео", "Shorts"]) & (ratio >= 1),
    }
    table = library_breaches(lib)
    for rule, mask in by_hand.items():
        assert sorted(table.loc[table["rule"] == rule, "asset_id"]) == sorted(lib.loc[mask, "asset_id"]), rule
    heavy = lib.apply(lambda r: r["bytes"] > (pf[str(r["platform"])].media_spec(
        "image_max_mb" if r["kind"] == "фото" else "video_max_mb") or float("inf")) * MB, axis=1)
    assert sorted(table.loc[table["rule"] == "bytes", "asset_id"]) == sorted(lib.loc[heavy, "asset_id"])
    zone = ms.safe_zone("Instagram")
    reels = lib[(lib["format"] == "Reels") & (ratio < 1)]
    covered = [a for a, x, y in zip(reels["asset_id"], reels["focus_x"], reels["focus_y"], strict=True)
               if not zone.contains(x, y)]
    assert sorted(table.loc[table["rule"] == "safe_zone", "asset_id"]) == covered == ["M070", "M085"]


def test_strict_megabytes_catch_the_lookbook(lib: pd.DataFrame) -> None:
    row = media.asset("M061")
    limit = load_facts()["Instagram"].media_spec("image_max_mb")
    assert limit * MB < row["bytes"] <= limit * 1024 * 1024  # MiB would let it pass
    assert [b.rule for b in breaches(row)] == ["bytes"]


def test_the_same_file_on_another_platform() -> None:
    phone = media.asset("M004")
    assert [b.rule for b in breaches(phone)] == ["feed_ratio"]
    assert breaches(phone, "Telegram") == []
    card = media.asset("M066")  # a vertical PNG: TikTok refuses the format, Instagram's feed the ratio
    assert [b.rule for b in breaches(card)] == ["format"]
    assert [b.rule for b in breaches(card, "Instagram")] == ["feed_ratio"]


def test_every_message_is_russian(lib: pd.DataFrame) -> None:
    for text in library_breaches(lib)["text"]:
        assert any("а" <= ch <= "я" for ch in text.lower()), text
        assert not re.search(r"\d\.\d", text), text  # 8,20 МБ, not 8.20


# --- the preview ------------------------------------------------------------------------------------------------


def test_preview_crops_around_the_focus_point() -> None:
    row = media.asset("M071")  # the coach stands at the left edge
    p = preview(row, "Instagram", "4:5")
    assert p.box == crop_box((4032, 3024), 0.8, (row["focus_x"], row["focus_y"]))
    assert p.box[0] == 0 and p.focus_in_crop
    assert p.safe_box is None  # a feed post is not covered by the interface
    whole = preview(row, "Instagram", ORIGINAL)
    assert whole.box == (0, 0, 4032, 3024)


def test_preview_draws_the_safe_zone_of_a_full_screen_frame() -> None:
    latte = preview(media.asset("M070"), "Instagram", "9:16")
    assert latte.safe_box is not None and latte.focus_in_safe is False
    assert [b.rule for b in latte.breaches] == ["safe_zone"]
    tiktok = preview(media.asset("M070"), "TikTok", "9:16")
    left, top, right, bottom = load_media_specs().safe_zone("TikTok").box(1080, 1920)
    assert tiktok.safe_box == (left, top, right, bottom)


def test_frame_options_come_from_the_facts() -> None:
    for platform in ("Instagram", "TikTok", "YouTube", "Telegram"):
        ratios = load_facts()[platform].media_spec("aspect_ratios", [])
        assert frame_options(platform) == [ORIGINAL, *ratios]


def test_lab_builds_with_russian_labels(lab: MediaPreview) -> None:
    assert (lab.platform.description, lab.asset.description, lab.ratio.description) == ("Площадка:", "Файл:", "Кадр:")
    assert lab.platform.value == "Instagram" and lab.ratio.value == "4:5"
    assert lab.image.value[:2] == b"\xff\xd8"  # a JPEG
    assert "МБ" in lab.summary.value and "МиБ" in lab.summary.value and "проверены" in lab.summary.value


def test_platform_filters_the_assets_and_the_frames(lab: MediaPreview, lib: pd.DataFrame) -> None:
    lab.platform.value = "TikTok"
    assert [v for _, v in lab.asset.options] == lib.loc[lib["platform"] == "TikTok", "asset_id"].tolist()
    assert lab.ratio.options == (ORIGINAL, "9:16") and lab.ratio.value == "9:16"
    assert lab.current.platform == "TikTok"
    lab.platform.value = "Telegram"
    assert lab.ratio.value == ORIGINAL
    lab.asset.value = "M067"
    assert "ширина + высота = 10200" in lab.summary.value and "Нарушает правила Telegram" in lab.summary.value


def test_input_changes_redraw(lab: MediaPreview) -> None:
    from PIL import Image

    lab.asset.value = "M071"
    before = lab.image.value
    lab.ratio.value = "1:1"
    assert lab.image.value != before
    assert "Кадр 1:1" in lab.summary.value and "точка фокуса в кадре" in lab.summary.value
    picture = Image.open(io.BytesIO(lab.image.value))
    assert max(picture.size) == 320
    lab.asset.value = "M004"
    assert "Нарушает правила Instagram" in lab.summary.value and "0,75" in lab.summary.value
    lab.asset.value = "M061"
    assert "8,20 МБ = 7,82 МиБ" in lab.summary.value


# --- what the lab 05.06 says -------------------------------------------------------------------------------------


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian plural form for ``n``.

    >>> [plural(n, "файл", "файла", "файлов") for n in (21, 22, 17)]
    ['файл', 'файла', 'файлов']
    """
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many


def test_lab_folded_solutions_are_true(lib: pd.DataFrame) -> None:
    crops = {r: preview(media.asset("M071"), "Instagram", r) for r in ("4:5", "1:1", "1.91:1", "9:16")}
    share = {r: (p.box[2] - p.box[0]) * (p.box[3] - p.box[1]) / (4032 * 3024) for r, p in crops.items()}
    assert all(p.focus_in_crop for p in crops.values())
    text = folded_solution(LAB, "Задание 1")
    labels = {"4:5": "портрет", "1:1": "квадрат", "1.91:1": "горизонталь", "9:16": "вертикаль на весь экран"}
    quoted(text, *(f"{labels[r]} — {round(share[r] * 100)} %" for r in crops))
    table = library_breaches(lib)
    text = folded_solution(LAB, "Задание 2")
    bottoms = [preview(media.asset("M070"), p, "9:16").safe_box[3] for p in ("Instagram", "TikTok")]
    quoted(text, f"у Reels она кончается на {bottoms[0]}-м пикселе", f"у TikTok — на {bottoms[1]}-м",
           f"({round(media.asset('M070')['focus_y'] * 1920)}-й пиксель)")
    text = folded_solution(LAB, "Задание 3")
    per_platform = table.drop_duplicates("asset_id").groupby("platform").size()
    files, found = table["asset_id"].nunique(), len(table)
    quoted(text, f"{files} {plural(files, 'файл', 'файла', 'файлов')} из {len(lib)}",
           f"Instagram — {per_platform['Instagram']}")
    quoted(text, "M068", f"{found} {plural(found, 'нарушение', 'нарушения', 'нарушений')}")
    on_limits = lib[lib["asset_id"].isin(["M072", "M075", "M078", "M080", "M081", "M084"])]
    assert not set(on_limits["asset_id"]) & set(table["asset_id"])  # «в списке нет: граница входит»
    quoted(text, "баннер ровно на границе диапазона ленты, значок ровно минимальной ширины, снимок ровно в предел")
    text = folded_solution(LAB, "Задание 4")
    moved = [a for a in lib["asset_id"] if lib.set_index("asset_id").loc[a, "kind"] == "фото"
             and not breaches(media.asset(a), "Telegram") and breaches(media.asset(a))]
    quoted(text, f"{len(moved)} фото", *moved)
