"""The brands' media library: a table of assets and small synthetic images and clips generated on demand.

Nothing here is downloaded and no media file is committed: :func:`library` builds the table of assets (the
originals' platform, format, size in pixels and bytes, duration, focus point) from a fixed seed, and
:func:`image_path` / :func:`clip_path` draw a small stand-in of an asset (same aspect ratio and focus point,
``long_side`` pixels on its longer side) into a cache folder the first time it is asked for. The same call gives
the same file, byte for byte, on the same library versions (``constraints.txt``).

>>> lib = library()
>>> lib.loc[lib["asset_id"] == "M001", ["account_id", "kind"]].values.tolist()
[['qc_ig', 'фото']]
>>> bool(lib["asset_id"].is_unique)
True
"""

from __future__ import annotations

import importlib
import os
import zlib
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import yaml

LIBRARY_SPEC = Path(__file__).with_name("library.yaml")
SEED = 2026
#: Environment variable that moves the cache of generated media (default: ``datasets/_generated/media``).
CACHE_ENV = "SMMKIT_MEDIA_DIR"

#: Columns of :func:`library`, in order.
COLUMNS = ["asset_id", "account_id", "platform", "format", "kind", "file_name", "width", "height", "bytes",
           "duration_s", "fps", "bitrate_kbps", "focus_x", "focus_y", "created_at"]

#: What to install when a media library is missing: import name → (pip name, what it is for, in Russian).
_PACKAGES = {"PIL": ("pillow", "обработки фото"), "av": ("av", "обработки видео")}


class MediaError(RuntimeError):
    """A media operation cannot run; the message (in Russian) says what to do."""


def require(module: str) -> ModuleType:
    """Import ``module`` (``"PIL"`` or ``"av"``) or raise :class:`MediaError` that says how to install it.

    >>> require("json").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        pip_name, purpose = _PACKAGES.get(module.split(".")[0], (module, "этой операции"))
        raise MediaError(
            f"Для {purpose} нужна библиотека {pip_name}, а она не установлена. Установите её командой "
            f"«pip install {pip_name}» (или переустановите курс: pip install -e .) и перезапустите ядро."
        ) from None


@cache
def _spec() -> dict[str, Any]:
    return yaml.safe_load(LIBRARY_SPEC.read_text(encoding="utf-8"))


def _account_rng(account_id: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(account_id.encode())])


def _size_bytes(rng: np.random.Generator, pixels: int, per_pixel: tuple[float, float]) -> int:
    return int(pixels * rng.uniform(*per_pixel))


def library() -> pd.DataFrame:
    """The media library: one row per asset (an original file the brand's team uploaded), sorted by ``asset_id``.

    Columns: ``asset_id``; ``account_id`` and ``platform`` the asset is meant for; ``format`` of the planned post
    (as in ``posts``); ``kind`` («фото» or «видео»); ``file_name`` (its extension is the file format); ``width``
    and ``height`` in pixels; ``bytes`` (the file size in bytes); for video ``duration_s``, ``fps`` and
    ``bitrate_kbps`` (kilobits per second, 1 kbit = 1000 bits), empty for photos; ``focus_x`` and ``focus_y``, the
    point of interest in shares of the width and height (0–1 from the left and from the top); ``created_at``.

    Most assets come from presets (``library.yaml``) with random sizes from a fixed seed; a few planted ones break
    platform rules on purpose (see the module 05 lessons).

    >>> lib = library()
    >>> sorted(lib["kind"].unique())
    ['видео', 'фото']
    >>> bool(((lib["kind"] == "фото") == lib["duration_s"].isna()).all())
    True
    """
    spec = _spec()
    rows: list[dict[str, Any]] = []
    start = pd.Timestamp(spec["start"])
    for account_id, plan in spec["accounts"].items():
        rng = _account_rng(account_id)
        for preset_name, count in plan["presets"].items():
            preset = spec["presets"][preset_name]
            for _ in range(int(count)):
                rows.append(_from_preset(account_id, plan["platform"], preset, rng, start))
    for planted in spec["planted"]:
        rows.append(_planted(planted, start))
    df = pd.DataFrame(rows)
    df = df.sort_values(["created_at", "account_id", "file_name"], kind="stable").reset_index(drop=True)
    df["asset_id"] = [f"M{i:03d}" for i in range(1, len(df) + 1)]
    df["file_name"] = [f"{a}_{n}" for a, n in zip(df["asset_id"], df["file_name"], strict=True)]
    df["platform"] = pd.Categorical(df["platform"], categories=spec["platforms"])
    for column in ("width", "height", "bytes"):
        df[column] = df[column].astype("int64")
    return df[COLUMNS]


def _from_preset(account_id: str, platform: str, preset: dict[str, Any], rng: np.random.Generator,
                 start: pd.Timestamp) -> dict[str, Any]:
    width, height = preset["sizes"][int(rng.integers(len(preset["sizes"])))]
    row: dict[str, Any] = {
        "account_id": account_id, "platform": platform, "format": preset["format"], "kind": preset["kind"],
        "width": width, "height": height,
        "focus_x": round(float(rng.uniform(0.35, 0.65)), 2), "focus_y": round(float(rng.uniform(0.3, 0.6)), 2),
        "created_at": (start + pd.Timedelta(days=int(rng.integers(0, 150)))).strftime("%Y-%m-%d"),
    }
    stem = preset["stem"] + f"_{int(rng.integers(1000, 9999))}"
    if preset["kind"] == "видео":
        duration = round(float(rng.uniform(*preset["seconds"])), 1)
        bitrate = int(rng.uniform(*preset["kbps"]))
        row.update(duration_s=duration, fps=int(preset["fps"]), bitrate_kbps=bitrate,
                   bytes=int(duration * bitrate * 1000 / 8), file_name=f"{stem}.{preset['ext']}")
    else:
        row.update(duration_s=np.nan, fps=np.nan, bitrate_kbps=np.nan,
                   bytes=_size_bytes(rng, width * height, tuple(preset["bytes_per_pixel"])),
                   file_name=f"{stem}.{preset['ext']}")
    return row


def _planted(p: dict[str, Any], start: pd.Timestamp) -> dict[str, Any]:
    video = p["kind"] == "видео"
    return {
        "account_id": p["account_id"], "platform": p["platform"], "format": p["format"], "kind": p["kind"],
        "width": p["width"], "height": p["height"], "bytes": p["bytes"],
        "duration_s": p["duration_s"] if video else np.nan, "fps": p["fps"] if video else np.nan,
        "bitrate_kbps": p["bitrate_kbps"] if video else np.nan,
        "focus_x": p["focus"][0], "focus_y": p["focus"][1],
        "created_at": (start + pd.Timedelta(days=int(p["day"]))).strftime("%Y-%m-%d"),
        "file_name": p["file_name"],
    }


def cache_dir(root: str | Path | None = None) -> Path:
    """The folder generated media go to: ``root``, else ``$SMMKIT_MEDIA_DIR``, else ``datasets/_generated/media``."""
    if root is None:
        root = os.environ.get(CACHE_ENV)
    if root is None:
        from smmkit.paths import datasets_dir

        root = datasets_dir() / "_generated" / "media"
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def asset(asset_id: str) -> pd.Series:
    """One row of :func:`library`; a Russian ``KeyError`` when there is no such asset."""
    lib = _library_cached()
    rows = lib[lib["asset_id"] == asset_id]
    if rows.empty:
        raise KeyError(f"В медиатеке нет файла «{asset_id}»: номера от {lib['asset_id'].iloc[0]} "
                       f"до {lib['asset_id'].iloc[-1]}.")
    return rows.iloc[0]


@cache
def _library_cached() -> pd.DataFrame:
    return library()


def proxy_size(width: int, height: int, long_side: int, even: bool = False) -> tuple[int, int]:
    """The size of a stand-in with the same ratio and ``long_side`` pixels on its longer side.

    ``even=True`` rounds both sides to even numbers, as video encoders (yuv420p) need.

    >>> proxy_size(3024, 4032, 480), proxy_size(300, 375, 375), proxy_size(300, 375, 375, even=True)
    ((360, 480), (300, 375), (300, 376))
    """
    scale = long_side / max(width, height)
    if even:
        return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)
    return max(1, round(width * scale)), max(1, round(height * scale))


def image_path(asset_id: str, long_side: int = 480, root: str | Path | None = None) -> Path:
    """The stand-in image of a photo asset, drawn into the cache on the first call; its format is the asset's.

    The copy has ``long_side`` pixels on its longer side, but never more than the original has: a copy is never
    enlarged, so a small original (the 300 × 375 avatar M062) stays at its own size whatever ``long_side`` asks for,
    and «no larger than the original» can be seen from the file (``image_path("M062", 600)`` is 300 × 375).

    The picture: a gradient in the brand's colours with texture, and a «product» (a disc with a ring) centred on
    the asset's focus point, so that a crop that cuts the focus point is visible.
    """
    row = asset(asset_id)
    if row["kind"] != "фото":
        raise MediaError(f"{asset_id} — видео, а не фото: для него есть clip_path.")
    ext = str(row["file_name"]).rsplit(".", 1)[-1].lower()
    width, height = int(row["width"]), int(row["height"])
    long_side = min(int(long_side), max(width, height))
    target = cache_dir(root) / f"{asset_id}_{long_side}.{ext}"
    if not target.exists():
        from smmkit.media.draw import draw_frame, save_image

        size = proxy_size(width, height, long_side)
        img = draw_frame(size, (float(row["focus_x"]), float(row["focus_y"])), str(row["account_id"]),
                         seed=zlib.crc32(asset_id.encode()))
        _write_atomic(target, lambda tmp: save_image(img, tmp, ext))
    return target


def clip_path(asset_id: str, long_side: int = 240, max_seconds: float = 12.0, fps: int = 10,
              root: str | Path | None = None) -> Path:
    """The stand-in clip of a video asset (MP4, H.264 where the wheel has it), made in the cache on first call.

    The clip lasts as long as the asset, but at most ``max_seconds``, at ``fps`` frames per second: the product
    disc drifts around the focus point, and a frame counter runs in a corner.
    """
    row = asset(asset_id)
    if row["kind"] != "видео":
        raise MediaError(f"{asset_id} — фото, а не видео: для него есть image_path.")
    seconds = min(float(row["duration_s"]), max_seconds)
    target = cache_dir(root) / f"{asset_id}_{long_side}_{fps}fps_{seconds:g}s.mp4"
    if not target.exists():
        from smmkit.media.draw import write_clip

        size = proxy_size(int(row["width"]), int(row["height"]), long_side, even=True)
        _write_atomic(target, lambda tmp: write_clip(tmp, size, (float(row["focus_x"]), float(row["focus_y"])),
                                                     str(row["account_id"]), seconds, fps,
                                                     seed=zlib.crc32(asset_id.encode())))
    return target


def _write_atomic(target: Path, write: Any) -> None:
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp{target.suffix}")
    try:
        write(tmp)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


__all__ = ["CACHE_ENV", "COLUMNS", "MediaError", "asset", "cache_dir", "clip_path", "image_path", "library",
           "proxy_size", "require"]
