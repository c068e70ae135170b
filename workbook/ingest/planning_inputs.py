"""Checks across tables for the optional planning inputs of issue #17.

The inputs (``riwayat_pelatihan``, ``kesetaraan_pelatihan``, ``formasi_tahun_rencana``,
``jf_wajib``, ``komponen_biaya`` and the new optional columns of ``pegawai``, ``katalog_program``
and ``anggaran``) are typed by :func:`workbook.ingest.tables.read_table` against their contracts
(enums such as the ``wajib`` codes, dates, numbers) and their references to ``pegawai`` and
``katalog_program`` are checked by :func:`workbook.ingest.agency.load_agency` like every other
table's. What is left is checked here, each problem located by file, row and column:

- ``katalog_program.prasyarat``: every item is a ``wajib`` code or a ``program_id`` of the
  catalogue (``unknown_reference``, error);
- ``anggaran.dpa``: a ``kode_unit`` of ``pegawai`` or ``BKPSDM`` (``unknown_reference``, error);
- ``kesetaraan_pelatihan.nama_lama``: a valid regular expression (``not_allowed``, error);
- ``riwayat_pelatihan.tanggal_selesai``: not after the plan year unless ``status`` is ``sedang``
  (``inconsistent_value``, warning);
- ``formasi_tahun_rencana.tmt_perkiraan``: inside the plan year (``out_of_range``, warning).

These inputs are not yet used by the plan stage.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from workbook.core.exceptions import Problem
from workbook.core.problems import make_problem
from workbook.core.schema import WAJIB

__all__ = ["check_planning_inputs", "CENTRAL_DPA"]

#: ``anggaran.dpa`` may name the central HR agency by this code even when no unit carries it
CENTRAL_DPA = "BKPSDM"


def _known(results: dict[str, Any], table: str, column: str) -> set[str] | None:
    res = results.get(table)
    if res is None or column not in res.frame.columns:
        return None
    return {str(v) for v in res.frame[column].dropna()}


def _unknown(res: Any, i: Any, column: str, item: str, expected: str, problems: list[Problem]) -> None:
    problems.append(make_problem(
        "unknown_reference", file=res.file, row=res.row_of(i), column=column, value=item, expected=expected,
        detail_id=f"'{item}' tidak ada di {expected}", detail_en=f"'{item}' is not in {expected}"))


def _typed_dates(frame: pd.DataFrame, column: str) -> bool:
    """The column is there and typed as dates (an empty or unreadable file leaves it untyped)."""
    return column in frame.columns and pd.api.types.is_datetime64_any_dtype(frame[column])


def check_planning_inputs(results: dict[str, Any], problems: list[Problem], plan_year: Any = None) -> None:
    """Run the checks of the module docstring on the tables read (``results``: name → ReadResult)."""
    year = plan_year if isinstance(plan_year, int) else None
    kat = results.get("katalog_program")
    if kat is not None and "prasyarat" in kat.frame.columns:
        ids = _known(results, "katalog_program", "program_id") or set()
        codes = {w.lower(): w for w in WAJIB}
        for i, items in kat.frame["prasyarat"].items():
            for item in items if isinstance(items, list) else []:
                if str(item).lower() not in codes and str(item) not in ids:
                    _unknown(kat, i, "prasyarat", str(item), "wajib / katalog_program.program_id", problems)
    ang = results.get("anggaran")
    units = _known(results, "pegawai", "kode_unit")
    if ang is not None and "dpa" in ang.frame.columns and units is not None:
        allowed = {u.lower() for u in units} | {CENTRAL_DPA.lower()}
        for i, v in ang.frame["dpa"].items():
            if isinstance(v, str) and v.strip().lower() not in allowed:
                _unknown(ang, i, "dpa", v, f"pegawai.kode_unit / {CENTRAL_DPA}", problems)
    kes = results.get("kesetaraan_pelatihan")
    if kes is not None and "nama_lama" in kes.frame.columns:
        for i, v in kes.frame["nama_lama"].items():
            if not isinstance(v, str):
                continue
            try:
                re.compile(v, re.IGNORECASE)
            except re.error as exc:
                problems.append(make_problem(
                    "not_allowed", file=kes.file, row=kes.row_of(i), column="nama_lama", value=v,
                    expected="teks atau ekspresi reguler / text or regular expression",
                    detail_id=f"ekspresi reguler tidak sah ({exc})", detail_en=f"invalid regular expression ({exc})"))
    if year is None:
        return
    riw = results.get("riwayat_pelatihan")
    if riw is not None and _typed_dates(riw.frame, "tanggal_selesai"):
        f = riw.frame
        status = f["status"] if "status" in f.columns else pd.Series([None] * len(f), index=f.index)
        late = f["tanggal_selesai"].notna() & (f["tanggal_selesai"].dt.year > year) & (status != "sedang")
        for i in f.index[late.to_numpy(dtype=bool)]:
            problems.append(make_problem(
                "inconsistent_value", file=riw.file, row=riw.row_of(i), column="tanggal_selesai",
                value=f"{f.at[i, 'tanggal_selesai']:%Y-%m-%d}", expected=f"≤ {year}-12-31", severity="warning",
                detail_id=f"selesai setelah tahun rencana {year} tetapi status bukan 'sedang'",
                detail_en=f"completed after the plan year {year} but status is not 'sedang'"))
    frm = results.get("formasi_tahun_rencana")
    if frm is not None and _typed_dates(frm.frame, "tmt_perkiraan"):
        f = frm.frame
        off = f["tmt_perkiraan"].notna() & (f["tmt_perkiraan"].dt.year != year)
        for i in f.index[off.to_numpy(dtype=bool)]:
            problems.append(make_problem(
                "out_of_range", file=frm.file, row=frm.row_of(i), column="tmt_perkiraan",
                value=f"{f.at[i, 'tmt_perkiraan']:%Y-%m-%d}", expected=f"{year}-01-01 – {year}-12-31",
                severity="warning", detail_id=f"penerimaan di luar tahun rencana {year}",
                detail_en=f"intake outside the plan year {year}"))
