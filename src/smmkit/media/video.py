"""Video helpers for lesson 05.04 (PyAV, whose wheel ships FFmpeg), after the student has done each step by hand.

A clip is handled as a list of ``(time in seconds, Pillow image)`` frames: every photo operation of lesson 05.03
applies to a frame, and :func:`write_frames` encodes the frames back into an MP4 file. Subtitles in Russian need a
TrueType font with Cyrillic: :func:`subtitle_font` uses Debian's DejaVu Sans (package ``fonts-dejavu-core``) when
it is installed and falls back to Pillow's built-in font (Latin only) when it is not.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from smmkit.media import require
from smmkit.media.draw import video_codec


def probe(path: str | Path) -> dict[str, Any]:
    """What a video file holds: ``width``, ``height``, ``fps``, ``frames``, ``duration_s``, ``bytes`` and
    ``bitrate_kbps`` = bytes × 8 / duration / 1000 (kilobits per second of the whole file)."""
    av = require("av")
    path = Path(path)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = stream.frames or sum(1 for _ in container.decode(stream))
        duration = container.duration / 1_000_000 if container.duration else frames / float(stream.average_rate)
        size = path.stat().st_size
        return {"width": stream.codec_context.width, "height": stream.codec_context.height,
                "fps": float(stream.average_rate), "frames": frames, "duration_s": round(duration, 3),
                "bytes": size, "bitrate_kbps": round(size * 8 / duration / 1000, 1)}


def read_frames(path: str | Path) -> list[tuple[float, Any]]:
    """All frames of the first video stream as ``(time in seconds, RGB Pillow image)``."""
    av = require("av")
    with av.open(str(path)) as container:
        return [(float(frame.time), frame.to_image()) for frame in container.decode(video=0)]


CYRILLIC_FONTS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",  # Debian / Ubuntu: fonts-dejavu-core
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",  # Fedora, Arch
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)
"""Where a TrueType font with Cyrillic letters is looked for, in order."""


NO_CYRILLIC_FONT = (
    "Шрифт с кириллицей не найден: русские субтитры выйдут пустыми квадратиками. Установите шрифт DejaVu Sans "
    "(Debian и Ubuntu: sudo apt-get install fonts-dejavu-core; Fedora: sudo dnf install dejavu-sans-fonts; "
    "Windows и macOS: возьмите любой TTF-шрифт с кириллицей и передайте путь к нему в ImageFont.truetype) "
    "и перезапустите ядро."
)
"""What to tell a student whose machine has no font of :data:`CYRILLIC_FONTS` (lesson 05.04 prints it)."""


def cyrillic_font_path() -> Path | None:
    """The first installed font of :data:`CYRILLIC_FONTS`, or ``None`` when there is none."""
    return next((Path(p) for p in CYRILLIC_FONTS if Path(p).is_file()), None)


def subtitle_font(size: int = 14) -> Any:
    """A font for subtitles: DejaVu Sans (Cyrillic and Latin) when installed, else Pillow's default (Latin only).

    Check :func:`cyrillic_font_path` before writing Russian subtitles: with the fallback font Cyrillic letters
    come out as empty boxes (say :data:`NO_CYRILLIC_FONT` then; nothing fails, so a lesson still runs).
    """
    image_font = require("PIL.ImageFont")
    path = cyrillic_font_path()
    return image_font.truetype(str(path), size) if path else image_font.load_default(size)


def burn_subtitles(images: list[Any], subtitles: list[tuple[float, float, str]], fps: int,
                   at: tuple[int, int], size: int = 14) -> list[Any]:
    """Copies of the frames with each subtitle ``(start, end, text)`` drawn at ``at`` while ``start ≤ t < end``,
    where a frame's time is ``t = index / fps`` — what lesson 05.04 does by hand, with :func:`subtitle_font`."""
    image_draw = require("PIL.ImageDraw")
    font = subtitle_font(size)
    out = []
    for i, img in enumerate(images):
        frame, t = img.copy(), i / fps
        for start, end, text in subtitles:
            if start <= t < end:
                image_draw.Draw(frame).text(at, text, fill=(255, 255, 255), font=font)
        out.append(frame)
    return out


def frame_rate(fps: float) -> int | Fraction:
    """``fps`` as the encoder takes it: a whole number of frames per second as ``int``, else an exact fraction
    (29.97 → 2997/100), so that the rate :func:`probe` reports (a float) can be passed on as it is.

    >>> frame_rate(10.0), frame_rate(25), frame_rate(29.97)
    (10, 25, Fraction(2997, 100))
    """
    if isinstance(fps, bool) or not fps > 0:
        raise ValueError(f"Частота кадров должна быть положительным числом, а не {fps!r}.")
    rate = Fraction(str(fps)).limit_denominator(1001) if isinstance(fps, float) else Fraction(fps)
    return int(rate) if rate.denominator == 1 else rate


def write_frames(path: str | Path, images: list[Any], fps: float, bit_rate: int = 400_000) -> Path:
    """Encode Pillow images (all of one size, even width and height) into an MP4 at ``fps`` frames per second
    (a whole or fractional number: :func:`frame_rate`)."""
    av = require("av")
    rate = frame_rate(fps)
    if not images:
        raise ValueError("Нет ни одного кадра: проверьте отбор кадров по времени.")
    width, height = images[0].size
    if width % 2 or height % 2:
        raise ValueError(f"Кадр {width} × {height}: для видео ширина и высота должны быть чётными.")
    path = Path(path)
    with av.open(str(path), mode="w", format="mp4") as container:
        stream = container.add_stream(video_codec(), rate=rate)
        stream.width, stream.height, stream.pix_fmt, stream.bit_rate = width, height, "yuv420p", bit_rate
        stream.thread_count = 1
        for img in images:
            for packet in stream.encode(av.VideoFrame.from_image(img.convert("RGB"))):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


__all__ = ["NO_CYRILLIC_FONT", "burn_subtitles", "cyrillic_font_path", "probe", "read_frames", "subtitle_font",
           "write_frames"]
