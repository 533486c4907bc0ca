"""Drawing the synthetic stand-ins of the media library: one picture, and a clip of such pictures.

Pillow draws, numpy adds a seeded texture (so that JPEG quality changes the file size as on a real photo), PyAV
encodes clips. Both libraries are imported through :func:`smmkit.media.require`, which explains in Russian how
to install a missing one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from smmkit.media import require

#: Brand colours (background from → to, product) by the account prefix.
BRAND_COLOURS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]] = {
    "qc": ((92, 58, 33), (214, 180, 140), (240, 240, 230)),
    "ds": ((40, 40, 70), (200, 120, 150), (250, 220, 90)),
    "af": ((20, 90, 60), (140, 220, 170), (250, 110, 60)),
    "bo": ((30, 60, 130), (150, 190, 240), (250, 200, 40)),
    "jd": ((150, 30, 30), (250, 170, 90), (30, 30, 30)),
}


def background(size: tuple[int, int], account_id: str, seed: int) -> Any:
    """The backdrop of a stand-in: the brand's gradient, seeded texture and a few props (an RGB Pillow image).

    >>> background((40, 50), "qc_ig", seed=1).size
    (40, 50)
    """
    image_mod = require("PIL.Image")
    draw_mod = require("PIL.ImageDraw")
    width, height = size
    start, end, _ = _colours(account_id)
    t = ((np.arange(height, dtype=np.float32)[:, None] / max(height - 1, 1)
          + np.arange(width, dtype=np.float32)[None, :] / max(width - 1, 1)) / 2)
    rng = np.random.default_rng(seed)
    grain = rng.standard_normal((height, width), dtype=np.float32) * 14  # film grain: one value for all channels
    a, b = np.asarray(start, dtype=np.float32), np.asarray(end, dtype=np.float32)
    rgb = np.empty((height, width, 3), dtype=np.uint8)
    for channel in range(3):
        rgb[..., channel] = np.clip(a[channel] + (b[channel] - a[channel]) * t + grain, 0, 255)
    img = image_mod.fromarray(rgb, "RGB")
    draw = draw_mod.Draw(img)
    for _ in range(4):  # a few shapes in the background, as props on a table
        x0, y0 = rng.uniform(0, width), rng.uniform(0, height)
        r = rng.uniform(0.05, 0.15) * min(width, height)
        shade = tuple(int(c) for c in np.clip(np.asarray(end) - 40 + rng.integers(0, 30, 3), 0, 255))
        draw.rectangle([x0 - r, y0 - r, x0 + r, y0 + r], fill=shade)
    return img


def _colours(account_id: str) -> tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]:
    return BRAND_COLOURS.get(account_id.split("_")[0], BRAND_COLOURS["qc"])


def add_product(img: Any, focus: tuple[float, float], account_id: str, label: str = "") -> Any:
    """Draw the product disc centred on ``focus`` (shares of the frame) on a copy of ``img``; ``label`` top-left."""
    draw_mod = require("PIL.ImageDraw")
    out = img.copy()
    width, height = out.size
    start, _, product = _colours(account_id)
    draw = draw_mod.Draw(out)
    cx, cy = focus[0] * width, focus[1] * height
    r = 0.12 * min(width, height)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=product, outline=start, width=max(1, round(r / 6)))
    draw.ellipse([cx - r / 4, cy - r / 4, cx + r / 4, cy + r / 4], fill=start)
    if label:
        draw.text((3, 2), label, fill=(255, 255, 255))
    return out


def draw_frame(size: tuple[int, int], focus: tuple[float, float], account_id: str, seed: int) -> Any:
    """An RGB picture of ``size`` (width, height): backdrop and a product disc at the focus point.

    >>> draw_frame((40, 50), (0.5, 0.5), "qc_ig", seed=1).getpixel((20, 25))
    (92, 58, 33)
    """
    return add_product(background(size, account_id, seed), focus, account_id)


def save_image(img: Any, path: Path, ext: str) -> None:
    """Save with fixed settings (the same bytes every time): JPEG quality 90, PNG or WebP by the extension."""
    fmt = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}.get(ext.lower())
    if fmt is None:
        raise ValueError(f"Формат «{ext}» генератор медиатеки не рисует: есть jpg, jpeg, png, webp.")
    options: dict[str, Any] = {"JPEG": {"quality": 90}, "PNG": {"compress_level": 6}, "WEBP": {"quality": 85}}[fmt]
    img.save(path, format=fmt, **options)


def video_codec() -> str:
    """The best encoder the installed PyAV has for MP4: ``libx264`` or ``libopenh264`` (H.264), else ``mpeg4``."""
    av = require("av")
    for name in ("libx264", "libopenh264", "mpeg4"):
        if name in av.codecs_available:
            return name
    raise RuntimeError("В установленной библиотеке av нет ни одного кодировщика MP4 (libx264, openh264, mpeg4).")


def write_clip(path: Path, size: tuple[int, int], focus: tuple[float, float], account_id: str, seconds: float,
               fps: int, seed: int) -> None:
    """Encode a clip of ``seconds`` at ``fps``: the product disc drifts on a circle, a frame counter runs."""
    av = require("av")
    frames = max(1, round(seconds * fps))
    codec = video_codec()
    with av.open(str(path), mode="w", format="mp4") as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.bit_rate = 200_000
        if codec == "libx264":
            stream.options = {"preset": "veryfast", "threads": "1"}
        else:
            stream.thread_count = 1
        backdrop = background(size, account_id, seed)
        for i in range(frames):
            angle = 2 * np.pi * i / frames
            point = (focus[0] + 0.05 * np.cos(angle), focus[1] + 0.05 * np.sin(angle))
            img = add_product(backdrop, point, account_id, label=f"{i + 1}")
            for packet in stream.encode(av.VideoFrame.from_image(img)):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
