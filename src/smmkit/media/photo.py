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




def watermark(img: Any, text: str, opacity: int = 160, at: tuple[float, float] = (0.62, 0.92)) -> Any:
    """A copy of ``img`` (RGB) with ``text`` on a half-transparent plate, its top-left corner at ``at`` (shares of
    the width and height; by default the lower right, away from a centred subject).

    The text is drawn on a transparent RGBA layer with alpha ``opacity`` (0–255), the plate with half of it, and
    the layer is composited over the photo (``Image.alpha_composite``). Pillow's default font is Latin only.

    >>> from PIL import Image
    >>> signed = watermark(Image.new("RGB", (200, 100), "white"), "@brand")
    >>> signed.mode, signed.size, signed.getpixel((10, 10)), signed.getpixel((120, 90)) != (255, 255, 255)
    ('RGB', (200, 100), (255, 255, 255), True)
    """
    from PIL import Image, ImageDraw

    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    x, y = round(img.width * at[0]), round(img.height * at[1])
    draw.rectangle((x - 10, y - 8, x + 8 * len(text), y + 18), fill=(0, 0, 0, opacity // 2))
    draw.text((x, y), text, fill=(255, 255, 255, opacity))
    return Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB")
__all__ = ["crop_box", "jpeg_bytes", "jpeg_under", "parse_ratio", "watermark"]
