"""The media library (smmkit.media): a deterministic table, stand-in images and clips made on demand, and the
dated media specs (smmkit.platforms.media_specs)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pandas as pd
import pytest

from smmkit import media
from smmkit.platforms import FactsError, load_facts
from smmkit.platforms.media_specs import MEDIA_SPECS_PATH, SafeZone, load_media_specs, parse_media_specs


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(media.CACHE_ENV, str(tmp_path))
    return tmp_path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the table -------------------------------------------------------------------------------------------------


def test_library_is_deterministic_and_well_formed() -> None:
    lib = media.library()
    pd.testing.assert_frame_equal(lib, media.library())
    assert list(lib.columns) == media.COLUMNS
    assert len(lib) == 85 and lib["asset_id"].is_unique and lib["file_name"].is_unique
    assert lib["kind"].value_counts().to_dict() == {"фото": 49, "видео": 36}
    assert set(lib["account_id"]) == set(datasets_accounts())
    video = lib["kind"] == "видео"
    assert lib.loc[video, ["duration_s", "fps", "bitrate_kbps"]].notna().all().all()
    assert lib.loc[~video, ["duration_s", "fps", "bitrate_kbps"]].isna().all().all()
    assert lib[["focus_x", "focus_y"]].stack().between(0, 1).all()
    assert (lib[["width", "height", "bytes"]] > 0).all().all()
    # a clip's size is its bitrate times its duration
    v = lib[video]
    assert ((v["bytes"] - v["duration_s"] * v["bitrate_kbps"] * 1000 / 8).abs() <= 1).all()
    assert all(f.startswith(f"{a}_") for a, f in zip(lib["asset_id"], lib["file_name"], strict=True))


def datasets_accounts() -> list[str]:
    from smmkit import datasets

    return list(datasets.load("accounts")["account_id"])


def test_platform_of_each_asset_is_its_accounts() -> None:
    from smmkit import datasets

    accounts = datasets.load("accounts").set_index("account_id")["platform"].astype(str)
    lib = media.library()
    assert (lib["platform"].astype(str) == lib["account_id"].map(accounts)).all()


def test_planted_assets_break_the_rules_they_were_planted_for() -> None:
    lib = media.library().set_index("file_name")
    pf, ms = load_facts(), load_media_specs()

    def row(name: str) -> pd.Series:
        return lib[lib.index.str.endswith(name)].iloc[0]

    ig = pf["Instagram"]
    assert row("panorama_almaty.jpg")["width"] / row("panorama_almaty.jpg")["height"] > ms.value(
        "Instagram", "feed_ratio_max")
    lookbook = row("lookbook_full.png")["bytes"]
    assert lookbook > ig.media_spec("image_max_mb") * 1_000_000 and lookbook < ig.media_spec("image_max_mb") * 2**20
    assert row("coach_avatar.jpg")["width"] < ig.media_spec("min_width_px")
    assert row("lesson_promo.mp4")["width"] > row("lesson_promo.mp4")["height"]
    assert row("courier_teaser.mp4")["duration_s"] < ig.media_spec("reel_min_seconds")
    assert row("barista_vlog.mp4")["duration_s"] > pf["TikTok"].media_spec("video_max_seconds")
    assert "png" not in pf["TikTok"].media_formats
    route = row("map_route.png")
    assert route["width"] + route["height"] > ms.value("Telegram", "photo_sides_sum_max")
    assert row("certificate_scan.jpg")["bytes"] > pf["Telegram"].media_spec("image_max_mb") * 2**20
    assert row("try_on.mp4")["duration_s"] > pf["YouTube"].media_spec("shorts_max_seconds")
    latte = row("latte_art.mp4")
    assert not ms.safe_zone("Instagram").contains(latte["focus_x"], latte["focus_y"])


def test_assets_on_the_limits_tell_the_comparisons_apart() -> None:
    """a05 Q2/Q3 and lesson 05.02: for each Instagram limit one file sits exactly on it (allowed) and one a pixel, a
    byte or a second beyond it (not allowed), so `<` vs `<=`, MB vs MiB, width vs height and a rounded MB or ratio
    give other answers than the rule (each has a typical-mistake submission in tests/submissions/a05-content.yaml)."""
    lib = media.library().set_index("asset_id")
    pf, ms = load_facts(), load_media_specs()
    ig = pf["Instagram"]
    lo, hi = ms.value("Instagram", "feed_ratio_min"), ms.value("Instagram", "feed_ratio_max")
    ratio = lib["width"] / lib["height"]
    feed = lib[(lib["platform"] == "Instagram") & (lib["kind"] == "фото")]
    assert (ratio[feed.index] == lo).sum() > 0 and (ratio[feed.index] == hi).sum() == 1  # M072: 1910 × 1000
    assert ratio["M073"] > hi and round(ratio["M073"], 2) == hi  # one pixel wider: rounding hides it
    assert ratio["M074"] < lo and round(ratio["M074"], 2) == lo  # one pixel taller
    width, limit = ig.media_spec("min_width_px"), ig.media_spec("image_max_mb") * 1_000_000
    assert lib.loc["M075", "width"] == width and lib.loc["M076", "width"] == width - 1
    assert lib.loc["M076", "height"] >= width and lib.loc["M077", "height"] < width <= lib.loc["M077", "width"]
    assert lo <= ratio["M076"] <= hi and lo <= ratio["M077"] <= hi  # only the width (or height) tells
    assert lib.loc["M078", "bytes"] == limit and lib.loc["M079", "bytes"] == limit + 1
    assert round(lib.loc["M079", "bytes"] / 1e6, 2) == limit / 1e6  # a rounded MB hides the extra byte
    reels = lib[lib["format"] == "Reels"]
    assert lib.loc["M080", "duration_s"] == ig.media_spec("reel_min_seconds")
    assert lib.loc["M081", "duration_s"] == ig.media_spec("reel_max_seconds")
    assert lib.loc["M082", "duration_s"] == ig.media_spec("reel_max_seconds") + 1
    assert (reels["duration_s"] > ig.media_spec("reel_max_seconds")).sum() == 1
    assert lib.loc["M083", "width"] == lib.loc["M083", "height"]  # a square: not vertical
    zone = ms.safe_zone("Instagram")
    edge = lib.loc["M084"]
    assert edge["focus_y"] == 1 - zone.bottom / zone.canvas[1] and zone.contains(edge["focus_x"], edge["focus_y"])
    assert not zone.contains(edge["focus_x"], edge["focus_y"] + 0.01)
    assert edge["focus_y"] * 1920 == zone.box(1080, 1920)[3]  # on the edge in pixels too (1248 of 1920)
    # M085 breaks only the Reels safe zone, and is inside TikTok's: checking Reels against TikTok's zone misses it
    price = lib.loc["M085"]
    assert price["format"] == "Reels" and price["width"] < price["height"]
    assert ig.media_spec("reel_min_seconds") <= price["duration_s"] <= ig.media_spec("reel_max_seconds")
    assert not zone.contains(price["focus_x"], price["focus_y"])
    assert ms.safe_zone("TikTok").contains(price["focus_x"], price["focus_y"])
    assert reels.index[-1] == "M085" == lib.index[-1]  # the last asset: adding it renumbered nothing


def test_unknown_asset_is_named_in_russian() -> None:
    with pytest.raises(KeyError, match="В медиатеке нет файла «M999»"):
        media.asset("M999")


# --- images and clips on demand ------------------------------------------------------------------------------


def test_image_is_made_once_and_the_same_every_time(cache: Path) -> None:
    pil = pytest.importorskip("PIL.Image")
    first = media.image_path("M071")
    assert first.parent == cache and first.suffix == ".jpg"
    digest, mtime = sha(first), first.stat().st_mtime_ns
    assert media.image_path("M071").stat().st_mtime_ns == mtime  # cached: not drawn again
    first.unlink()
    assert sha(media.image_path("M071")) == digest  # drawn again: the same bytes
    row = media.asset("M071")
    with pil.open(first) as img:
        assert img.size == media.proxy_size(int(row["width"]), int(row["height"]), 480)
        assert img.format == "JPEG"
        # the product disc sits on the focus point: its centre has the brand's dark colour
        x, y = round(row["focus_x"] * img.width), round(row["focus_y"] * img.height)
        assert img.convert("RGB").getpixel((x, y)) == pytest.approx((20, 90, 60), abs=12)


def test_png_asset_is_png_and_other_assets_differ(cache: Path) -> None:
    pil = pytest.importorskip("PIL.Image")
    lib = media.library()
    png = lib[lib["file_name"].str.endswith(".png") & (lib["kind"] == "фото")]["asset_id"].iloc[0]
    with pil.open(media.image_path(png, long_side=120)) as img:
        assert img.format == "PNG" and max(img.size) == 120
    assert sha(media.image_path("M001", 120)) != sha(media.image_path("M002", 120))


def test_a_copy_is_never_larger_than_its_original(cache: Path) -> None:
    """A long side beyond the original's gives the original's size (a05 Q7: «не больше исходника» shows in the
    file), one file per size actually drawn; a smaller long side still shrinks."""
    pil = pytest.importorskip("PIL.Image")
    avatar, badge = media.asset("M062"), media.asset("M075")
    assert (avatar["width"], avatar["height"], badge["width"], badge["height"]) == (300, 375, 320, 320)
    with pil.open(media.image_path("M062", long_side=600)) as img:
        assert img.size == (300, 375)
    assert media.image_path("M062", long_side=600) == media.image_path("M062", long_side=375)
    with pil.open(media.image_path("M075", long_side=1200)) as img:
        assert img.size == (320, 320)
    with pil.open(media.image_path("M062", long_side=200)) as img:
        assert img.size == (160, 200)


def test_clip_is_made_once_with_its_duration_and_size(cache: Path) -> None:
    av = pytest.importorskip("av")
    path = media.clip_path("M064")  # a two-second Reels
    digest = sha(path)
    path.unlink()
    assert sha(media.clip_path("M064")) == digest
    row = media.asset("M064")
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        assert (stream.codec_context.width, stream.codec_context.height) == media.proxy_size(1080, 1920, 240, even=True)
        assert frames == round(row["duration_s"] * 10)
        assert float(container.duration / 1_000_000) == pytest.approx(row["duration_s"], abs=0.15)


def test_long_clip_is_cut_to_max_seconds(cache: Path) -> None:
    av = pytest.importorskip("av")
    path = media.clip_path("M065", long_side=64, max_seconds=1.0, fps=5)  # the 12-minute TikTok
    with av.open(str(path)) as container:
        assert sum(1 for _ in container.decode(video=0)) == 5


def test_photo_and_video_are_not_mixed_up(cache: Path) -> None:
    with pytest.raises(media.MediaError, match="видео, а не фото"):
        media.image_path("M064")
    with pytest.raises(media.MediaError, match="фото, а не видео"):
        media.clip_path("M001")


@pytest.mark.parametrize(("module", "pip_name"), [("av", "av"), ("PIL", "pillow")])
def test_missing_library_is_explained_in_russian(module: str, pip_name: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if the package were not installed
    with pytest.raises(media.MediaError, match=f"pip install {pip_name}") as err:
        media.require(module)
    assert "не установлена" in str(err.value)


def test_missing_pillow_stops_image_generation_with_the_hint(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "PIL.Image", None)
    with pytest.raises(media.MediaError, match="pip install pillow"):
        media.image_path("M002")
    assert not list(cache.iterdir())  # nothing half-written is left


# --- media specs -----------------------------------------------------------------------------------------------


def test_media_specs_are_dated_and_sourced() -> None:
    ms = load_media_specs()
    assert ms.checked.isoformat() == "2026-12-03"
    for platform, specs in ms.by_platform.items():
        assert platform in load_facts(), f"{platform} is not a platform of facts.yaml"
        for key, fact in specs.items():
            assert fact.url.startswith("https://") and fact.source, (platform, key)
    assert ms.size("Instagram", "vertical") == ms.size("TikTok", "vertical")
    assert ms.value("Instagram", "feed_ratio_min") < 1 < ms.value("Instagram", "feed_ratio_max")


def test_safe_zone_boxes() -> None:
    ms = load_media_specs()
    ig, tt = ms.safe_zone("Instagram"), ms.safe_zone("TikTok")
    left, top, right, bottom = ig.box(1080, 1920)
    assert (left, right) == (64, 1016) and top == 268 and bottom == 1920 - 672
    assert tt.box(1080, 1920) == (0, 250, 910, 1500)
    assert ig.contains(0.5, 0.5) and not ig.contains(0.5, 0.9) and not tt.contains(0.95, 0.5)
    assert SafeZone((100, 100), 0, 0, 0, 0).contains(1.0, 1.0)


def test_media_specs_errors_are_russian(tmp_path: Path) -> None:
    with pytest.raises(FactsError, match="нет заметки note_ru"):
        parse_media_specs({"checked": "2026-12-03", "sources": {}, "platforms": {}})
    with pytest.raises(FactsError, match="не в формате ГГГГ-ММ-ДД"):
        parse_media_specs({"checked": "вчера", "note_ru": "x", "sources": {}, "platforms": {}})
    with pytest.raises(KeyError, match="нет требования «fps»"):
        load_media_specs().value("TikTok", "fps")
    with pytest.raises(FactsError, match="не найден"):
        load_media_specs(tmp_path / "none.yaml")
    assert MEDIA_SPECS_PATH.exists()


# --- video helpers ---------------------------------------------------------------------------------------------


def test_video_round_trip(cache: Path) -> None:
    pytest.importorskip("av")
    from smmkit.media.video import probe, read_frames, write_frames

    frames = read_frames(media.clip_path("M064", long_side=64))
    assert [t for t, _ in frames] == pytest.approx([i / 10 for i in range(20)])
    out = write_frames(cache / "half.mp4", [img for t, img in frames if t < 1.0], fps=10)
    info = probe(out)
    assert (info["frames"], info["duration_s"], info["fps"]) == (10, 1.0, 10.0)
    assert info["bitrate_kbps"] == round(info["bytes"] * 8 / info["duration_s"] / 1000, 1)
    with pytest.raises(ValueError, match="чётными"):
        write_frames(cache / "odd.mp4", [frames[0][1].crop((0, 0, 35, 64))], fps=10)
    with pytest.raises(ValueError, match="Нет ни одного кадра"):
        write_frames(cache / "none.mp4", [], fps=10)
