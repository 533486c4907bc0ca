"""Video helpers for lesson 05.04 (PyAV, whose wheel ships FFmpeg), after the student has done each step by hand.

A clip is handled as a list of ``(time in seconds, Pillow image)`` frames: every photo operation of lesson 05.03
applies to a frame, and :func:`write_frames` encodes the frames back into an MP4 file.
"""

from __future__ import annotations

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


def write_frames(path: str | Path, images: list[Any], fps: int, bit_rate: int = 400_000) -> Path:
    """Encode Pillow images (all of one size, even width and height) into an MP4 at ``fps`` frames per second."""
    av = require("av")
    if not images:
        raise ValueError("Нет ни одного кадра: проверьте отбор кадров по времени.")
    width, height = images[0].size
    if width % 2 or height % 2:
        raise ValueError(f"Кадр {width} × {height}: для видео ширина и высота должны быть чётными.")
    path = Path(path)
    with av.open(str(path), mode="w", format="mp4") as container:
        stream = container.add_stream(video_codec(), rate=fps)
        stream.width, stream.height, stream.pix_fmt, stream.bit_rate = width, height, "yuv420p", bit_rate
        stream.thread_count = 1
        for img in images:
            for packet in stream.encode(av.VideoFrame.from_image(img.convert("RGB"))):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


__all__ = ["probe", "read_frames", "write_frames"]
