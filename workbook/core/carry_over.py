"""The carry-over file: the needs that the evaluation of year Y−1 (follow-up) hands to the needs
stage of year Y. Its columns and its check are the contract between the two stages.

Written by :func:`workbook.evaluation.followup.carry_over`; read by
:func:`workbook.needs.carry_over.merge_carry_over`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.core.exceptions import SchemaError

__all__ = ["CARRY_OVER_COLUMNS", "CARRY_OVER_SCHEMA_VERSION", "REASON_CODES", "check_carry_over"]

#: follow-up reason codes, in the order rows are listed (words in the evaluation stage's report)
REASON_CODES: tuple[str, ...] = ("post_test_rendah", "gain_rendah", "kesenjangan_tersisa", "jp_kurang")

#: Columns of the carry-over file, in order (see :func:`carry_over`).
CARRY_OVER_COLUMNS: tuple[str, ...] = (
    "pegawai_id",
    "kode_kompetensi",
    "source_year",
    "reason",
    "recommended_program_id",
    "gap",
)
CARRY_OVER_SCHEMA_VERSION = 1


def _str(series: pd.Series) -> pd.Series:
    """Identifiers as ``str``, blank cells as missing."""
    s = series.astype("str").str.strip()
    return s.mask(s == "")


def check_carry_over(carry: pd.DataFrame) -> pd.DataFrame:
    """Validate a carry-over table (e.g. read back from last year's Parquet) and normalise types.

    Raises
    ------
    SchemaError
        A column of :data:`CARRY_OVER_COLUMNS` is missing, ``pegawai_id`` is blank, a reason
        code is unknown, or ``source_year``/``gap`` is not numeric.
    """
    t = "carry_over"
    if not isinstance(carry, pd.DataFrame):
        raise SchemaError(
            f"Tabel '{t}' harus berupa DataFrame.", f"Table '{t}' must be a DataFrame.", file=t
        )
    missing = [c for c in CARRY_OVER_COLUMNS if c not in carry.columns]
    if missing:
        raise SchemaError(
            f"Berkas bawaan tahun lalu (carry-over) tidak lengkap; kolom hilang: {', '.join(missing)}.",
            f"Last year's carry-over file is incomplete; missing column(s): {', '.join(missing)}.",
            file=t,
            column=missing[0],
            expected=", ".join(CARRY_OVER_COLUMNS),
        )
    out = pd.DataFrame(
        {
            "pegawai_id": _str(carry["pegawai_id"]).to_numpy(),
            "kode_kompetensi": _str(carry["kode_kompetensi"]).to_numpy(),
            "source_year": pd.to_numeric(carry["source_year"], errors="coerce").to_numpy(),
            "reason": carry["reason"].astype("str").to_numpy(),
            "recommended_program_id": _str(carry["recommended_program_id"]).to_numpy(),
            "gap": pd.to_numeric(carry["gap"], errors="coerce").to_numpy(),
        }
    )
    if out["pegawai_id"].isna().any():
        pos = int(np.flatnonzero(out["pegawai_id"].isna().to_numpy())[0])
        raise SchemaError(
            f"Tabel '{t}': pegawai_id kosong.",
            f"Table '{t}': blank pegawai_id.",
            file=t,
            row=pos + 2,
            column="pegawai_id",
        )
    if out["source_year"].isna().any():
        pos = int(np.flatnonzero(out["source_year"].isna().to_numpy())[0])
        raise SchemaError(
            f"Tabel '{t}': source_year bukan tahun.",
            f"Table '{t}': source_year is not a year.",
            file=t,
            row=pos + 2,
            column="source_year",
            value=carry["source_year"].iloc[pos],
        )
    codes = out["reason"].str.split(";")
    bad = codes.map(lambda xs: any(x not in REASON_CODES for x in xs)).to_numpy(dtype=bool)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise SchemaError(
            f"Tabel '{t}': kode alasan tidak dikenal ({out['reason'].iloc[pos]!r}).",
            f"Table '{t}': unknown reason code ({out['reason'].iloc[pos]!r}).",
            file=t,
            row=pos + 2,
            column="reason",
            value=out["reason"].iloc[pos],
            expected=", ".join(REASON_CODES),
        )
    out["source_year"] = out["source_year"].astype("int64")
    for c in ("pegawai_id", "kode_kompetensi", "reason", "recommended_program_id"):
        out[c] = out[c].astype("str")
    return out
