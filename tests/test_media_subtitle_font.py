"""Subtitles in Russian: ``smmkit.media.video`` draws them with DejaVu Sans when Debian's fonts-dejavu-core is
installed (.ci/run installs it) and falls back to Pillow's Latin-only font when it is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from smmkit.media import video


def _glyph(font, letter: str) -> bytes:
    img = Image.new("L", (40, 40))
    from PIL import ImageDraw

    ImageDraw.Draw(img).text((5, 5), letter, fill=255, font=font)
    return img.tobytes()


def test_installed_font_draws_cyrillic_letters() -> None:
    """With the font, «Ж» and «Д» are different glyphs (a font without Cyrillic draws both as the same box)."""
    if video.cyrillic_font_path() is None:
        pytest.skip("нет шрифта с кириллицей (Debian: apt-get install fonts-dejavu-core)")
    font = video.subtitle_font(20)
    assert _glyph(font, "Ж") != _glyph(font, "Д")
    assert any(_glyph(font, "Ж"))


def test_without_the_font_falls_back_to_pillows_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(video, "CYRILLIC_FONTS", (str(tmp_path / "missing.ttf"),))
    assert video.cyrillic_font_path() is None
    font = video.subtitle_font(20)
    assert any(_glyph(font, "A"))


def test_burn_subtitles_draws_only_while_the_subtitle_lasts() -> None:
    """Frame i is at t = i / fps; a subtitle (0.0, 0.2) at 10 fps is on frames 0 and 1 only."""
    frames = [Image.new("RGB", (80, 40)) for _ in range(4)]
    out = video.burn_subtitles(frames, [(0.0, 0.2, "Привет")], fps=10, at=(2, 10))
    drawn = [img.getbbox() is not None for img in out]
    assert drawn == [True, True, False, False]
    assert frames[0].getbbox() is None  # the originals are left as they were


def test_the_fallback_message_says_what_to_install() -> None:
    """Lesson 05.04 prints it when no Cyrillic font is found (and goes on with Pillow's font)."""
    message = video.NO_CYRILLIC_FONT
    assert message.startswith("Шрифт с кириллицей не найден") and "fonts-dejavu-core" in message
    assert "ImageFont.truetype" in message and "перезапустите ядро" in message
