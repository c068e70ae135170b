"""Array helpers of the sample generator: vectorised draws and the column builders.

Every table is built from integer codes into a small dictionary of values (:func:`from_codes`),
decoded in Arrow, so that a million employees take seconds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "categorical",
    "pick_from_groups",
    "person_ids",
    "from_codes",
    "str_series",
    "masked_str_series",
    "masked_int_array",
    "make_dates",
    "as_timestamps",
]


def categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (n, k) probability matrix (rows need not be normalised)."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), probs.shape[1] - 1)


def pick_from_groups(rng: np.random.Generator, group: np.ndarray, members: np.ndarray,
                      member_group: np.ndarray, n_groups: int) -> np.ndarray:
    """For each ``group`` value pick a random element of ``members`` with the same group (-1 if none)."""
    order = np.argsort(member_group, kind="stable")
    members, member_group = members[order], member_group[order]
    counts = np.bincount(member_group, minlength=n_groups)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    c = counts[group]
    pick = start[group] + np.floor(rng.random(len(group)) * np.maximum(c, 1)).astype(np.int64)
    out = np.full(len(group), -1, dtype=np.int64)
    ok = c > 0
    out[ok] = members[pick[ok]]
    return out


def person_ids(numbers: np.ndarray, width: int) -> pa.Array:
    """``P`` + zero-padded sequence number, as an Arrow string array (the dictionary of :func:`from_codes`)."""
    text = pc.utf8_lpad(pc.cast(pa.array(numbers.astype(np.int64)), pa.string()), width, "0")
    return pc.binary_join_element_wise("P", text, "")


def from_codes(codes: np.ndarray, dictionary: Any, blank: np.ndarray | None = None) -> pd.Series:
    """A ``str`` Series ``dictionary[codes]`` (missing where ``blank``), decoded in Arrow (fast)."""
    if not isinstance(dictionary, pa.Array):
        dictionary = pa.array(np.asarray(dictionary, dtype=object), type=pa.string())
    idx = pa.array(np.asarray(codes, dtype=np.int32), mask=None if blank is None else np.asarray(blank, bool))
    out = pa.DictionaryArray.from_arrays(idx, dictionary).dictionary_decode().to_pandas()
    return out.reset_index(drop=True)


def str_series(values: Any) -> pd.Series:
    return pd.Series(values, dtype="str")


def masked_str_series(values: np.ndarray, blank: np.ndarray) -> pd.Series:
    s = pd.Series(values, dtype="str")
    return s.mask(blank)


def masked_int_array(values: np.ndarray, blank: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype(np.int64), blank.copy())


def make_dates(year: int, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    ym = (np.datetime64(f"{year}-01", "M") + (month - 1).astype("timedelta64[M]"))
    return ym.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")


def as_timestamps(d: np.ndarray) -> pd.Series:
    return pd.Series(d.astype("datetime64[s]"))
