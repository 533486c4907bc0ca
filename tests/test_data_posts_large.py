"""The fast paths of `smmkit datasets large` give exactly what the plain pandas / NumPy code would.

`write_large` skips the DataFrame and renders in chunks, `_local_iso` formats dates once per day, and the
username de-duplication compares only renamed rows; each is checked here against the straightforward version.
Timing and memory budgets are measured by `tools/bench_large.py`, not asserted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from smmkit.data import audience_data as ad
from smmkit.data import large
from smmkit.data.build import render_csv


def test_write_large_writes_the_frames_csv(tmp_path: Path, monkeypatch) -> None:
    """Chunked writing from the columns gives the bytes render_csv gives for the DataFrame (chunk borders too)."""
    monkeypatch.setattr(large, "CHUNK_ROWS", 7_000)  # several chunks and a ragged last one
    frame = large.make_followers_audit_large(n=20_001, seed=3)
    path = large.write_large(tmp_path, n=20_001, seed=3)
    assert path.read_bytes() == render_csv(frame) == large.render_large_csv(frame)


def test_local_iso_matches_numpy_formatting() -> None:
    """Per-day dates + per-second lookup == np.datetime_as_string with the offset of the day (UTC+6 → UTC+5)."""
    switch = int(ad.ALMATY_UTC6_UNTIL.timestamp())
    rng = np.random.default_rng(0)
    epoch = np.concatenate([rng.integers(1_300_000_000, 1_790_000_000, 50_000), [switch - 1, switch, 0, 951_782_400]])
    old = epoch < switch
    wall = (epoch + np.where(old, 6 * 3600, 5 * 3600)).astype("datetime64[s]")
    expected = np.datetime_as_string(wall, unit="s").astype(object) + np.where(old, "+06:00", "+05:00")
    assert (ad._local_iso(epoch) == expected).all()
    assert ad._local_iso(np.array([switch - 1, switch])).tolist() == [
        "2024-02-29T23:59:59+06:00", "2024-02-29T23:00:00+05:00"]


def test_renamed_repeats_match_a_full_check() -> None:
    """Only renamed rows are compared, with the same answer as Series.duplicated() on everything, including a
    renamed row that takes the name of a later, untouched row (that row becomes the repeat)."""
    names = np.array(["a", "b", "a", "c", "b", "d", "e"], dtype=object)
    dup = pd.Series(names).duplicated().to_numpy()
    first = dict(zip(names[~dup].tolist(), np.flatnonzero(~dup).tolist(), strict=True))
    names[dup] = np.array(["e", "x"], dtype=object)  # row 2 becomes "e" (row 6 has it), row 4 becomes "x"
    got = ad._repeats_after_renaming(names, np.flatnonzero(dup), first)
    assert got.tolist() == pd.Series(names).duplicated().tolist() == [False] * 6 + [True]
    usernames = ad._usernames(np.random.default_rng(5), np.zeros(200_000, dtype=int))
    assert pd.Series(usernames).is_unique
