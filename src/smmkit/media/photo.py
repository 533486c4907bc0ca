"""Photo processing helpers for lesson 05.03, after the student has done each step by hand with Pillow.

Sizes are ``(width, height)`` in pixels; a ratio is width / height; a focus point is ``(x, y)`` in shares of the
width and height from the top-left corner.
"""

from __future__ import annotations

import io
from typing import Any


def parse_ratio(text: str) -> float:
    """A ratio written «width:height» as a number: width / height.

    >>> parse_ratio("3:4"), parse_ratio("2:1")
    (0.75, 2.0)
    """
    width, height = (float(part) for part in text.split(":"))
    return width / height


def crop_box(size: tuple[int, int], ratio: float, focus: tuple[float, float] = (0.5, 0.5)) -> tuple[int, int, int, int]:
    """The largest box of ``ratio`` (width / height) inside ``size``, centred on ``focus`` as far as the edges allow.

    Returns ``(left, top, right, bottom)`` as Pillow's ``Image.crop`` takes it.

    >>> crop_box((400, 300), 0.8, focus=(0.12, 0.5))   # the focus near the left edge stays in the crop
    (0, 0, 240, 300)
    >>> crop_box((400, 300), 0.8)                      # a centre crop would cut it off
    (80, 0, 320, 300)
    """
    width, height = size
    if width / height > ratio:  # too wide: keep the height, cut the sides
        new_w, new_h = round(height * ratio), height
    else:  # too tall: keep the width, cut top and bottom
        new_w, new_h = width, round(width / ratio)
    left = min(max(round(focus[0] * width - new_w / 2), 0), width - new_w)
    top = min(max(round(focus[1] * height - new_h / 2), 0), height - new_h)
    return left, top, left + new_w, top + new_h


def jpeg_bytes(img: Any, quality: int) -> bytes:
    """The image encoded as JPEG with ``quality`` (an RGBA or palette image is converted to RGB first)."""
    buffer = io.BytesIO()
    img.convert("RGB").save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def jpeg_under(img: Any, max_bytes: int, qualities: range = range(95, 4, -5)) -> tuple[bytes, int]:
    """The JPEG of the highest quality from ``qualities`` (high to low) that fits in ``max_bytes``, and its quality.

    Raises ``ValueError`` (in Russian) when even the lowest quality is too big: make the picture smaller first.

    >>> from PIL import Image
    >>> data, quality = jpeg_under(Image.new("RGB", (64, 64), "white"), 1500)
    >>> len(data) <= 1500, quality
    (True, 95)
    """
    for quality in qualities:
        data = jpeg_bytes(img, quality)
        if len(data) <= max_bytes:
            return data, quality
    raise ValueError(f"Даже с качеством {qualities[-1]} файл больше {max_bytes} байт: "
                     "сначала уменьшите размер в пикселях.")


__all__ = ["crop_box", "jpeg_bytes", "jpeg_under", "parse_ratio"]
