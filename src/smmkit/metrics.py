"""SMM metrics from the standard's glossary: one formula each, vectorised, rates as fractions.

Every function takes scalars, numpy arrays or pandas Series and returns the same shape. A zero
denominator gives NaN (no exception, no warning); negative counts, mismatched lengths or non-numeric
input raise ``ValueError`` with a Russian message naming the argument.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

Number = Any  # scalar, numpy array or pandas Series


def _as_array(value: Number, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"Аргумент «{name}» должен быть числом или набором чисел.") from None
    if np.any(arr < 0):
        raise ValueError(f"Аргумент «{name}» не может быть отрицательным.")
    return arr


def _ratio(num: Number, den: Number, num_name: str, den_name: str) -> Number:
    a, b = _as_array(num, num_name), _as_array(den, den_name)
    if a.ndim and b.ndim and a.shape != b.shape:
        raise ValueError(f"Аргументы «{num_name}» и «{den_name}» разной длины: {a.shape[0]} и {b.shape[0]}.")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(b == 0, np.nan, a / np.where(b == 0, 1, b))
    for src in (num, den):
        if isinstance(src, pd.Series):
            return pd.Series(out, index=src.index, name=None)
    return float(out) if out.ndim == 0 else out


def er(interactions: Number, base: Number) -> Number:
    """ER = interactions / base (base: followers, reach or views, as the report says).

    >>> er(50, 1000)
    0.05
    """
    return _ratio(interactions, base, "interactions", "base")


def er_by_followers(interactions: Number, followers: Number) -> Number:
    """ER by followers = interactions / followers on the day of publication.

    >>> er_by_followers(120, 4000)
    0.03
    """
    return _ratio(interactions, followers, "interactions", "followers")


def er_by_reach(interactions: Number, reach: Number) -> Number:
    """ERR = interactions / reach.

    >>> er_by_reach(30, 600)
    0.05
    >>> er_by_reach(5, 0)
    nan
    """
    return _ratio(interactions, reach, "interactions", "reach")


def er_by_views(interactions: Number, views: Number) -> Number:
    """ER by views = interactions / views (impressions).

    >>> er_by_views(45, 1500)
    0.03
    """
    return _ratio(interactions, views, "interactions", "views")


def reach_rate(reach: Number, followers: Number) -> Number:
    """Reach rate = reach / followers: the share of followers a post reached.

    >>> reach_rate(1500, 10000)
    0.15
    """
    return _ratio(reach, followers, "reach", "followers")
