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

Warnings before the run about what the plan will find infeasible (issue #17 item 5; the plan
stage lists the same cases with their reasons in ``02_plan/infeasible``):

- a unit with staff for which no ``anggaran`` line may pay (``cakupan_unit``, or ``kode_unit``,
  or a BLUD line bound to its ``dpa``) — located at the first ``pegawai`` row of the unit;
- CPNS (current or intake) of a unit for which no line may pay a mandatory training (its
  ``jenis_program`` excludes ``wajib``) — located at the ``formasi_tahun_rencana`` row or the
  first CPNS row of ``pegawai``;
- a catalogue programme whose ``sasaran_jenis_jabatan`` or ``sasaran_jf`` names nobody in
  ``pegawai`` — located at the ``katalog_program`` row.
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
    _check_lines_and_targets(results, problems)
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


def _items(v: Any) -> list[str]:
    if isinstance(v, list):
        return [str(x).strip() for x in v if str(x).strip()]
    if isinstance(v, str):
        return [x.strip() for x in v.split(";") if x.strip()]
    return []


def _line_scopes(frame: pd.DataFrame) -> list[tuple[set[str], set[str]]]:
    """Per anggaran row: (units it may pay for, programme kinds it may pay for); empty = all."""
    out = []
    for i in frame.index:
        scope = set(_items(frame.at[i, "cakupan_unit"])) if "cakupan_unit" in frame.columns else set()
        unit = frame.at[i, "kode_unit"] if "kode_unit" in frame.columns else None
        if not scope and isinstance(unit, str) and unit.strip():
            scope = {unit.strip()}
        src, dpa = frame.at[i, "sumber_dana"], frame.at[i, "dpa"] if "dpa" in frame.columns else None
        if not scope and str(src).strip().upper() == "BLUD" and isinstance(dpa, str) and dpa.strip():
            scope = {dpa.strip()}
        kinds = set(_items(frame.at[i, "jenis_program"])) if "jenis_program" in frame.columns else set()
        out.append((scope, kinds))
    return out


def _warn(res: Any, i: Any, column: str, value: str, kind: str, did: str, den: str, problems: list[Problem]) -> None:
    problems.append(make_problem(kind, file=res.file, row=res.row_of(i), column=column, value=value,
                                 expected="anggaran / pegawai", severity="warning", detail_id=did, detail_en=den))


def _check_lines_and_targets(results: dict[str, Any], problems: list[Problem]) -> None:
    """The cross-table warnings of the module docstring (lines that may pay, empty targets)."""
    peg, ang, frm, kat = (results.get(n) for n in ("pegawai", "anggaran", "formasi_tahun_rencana", "katalog_program"))
    if peg is None or "kode_unit" not in peg.frame.columns:
        return
    pf = peg.frame
    if ang is not None and "sumber_dana" in ang.frame.columns and len(ang.frame):
        lines = _line_scopes(ang.frame)

        def pays(unit: str, kind: str = "") -> bool:
            return any((not sc or unit in sc) and (not kd or not kind or kind in kd) for sc, kd in lines)

        first = pf.reset_index().drop_duplicates("kode_unit").set_index("kode_unit")["index"]
        for unit, i in first.items():
            if isinstance(unit, str) and unit and not pays(unit):
                _warn(peg, i, "kode_unit", unit, "unknown_reference",
                      f"tidak ada pos anggaran yang boleh membayar pelatihan pegawai unit {unit}",
                      f"no budget line may pay for the training of unit {unit}'s staff", problems)
        if "status" in pf.columns:
            cpns = pf[pf["status"].astype("string").str.upper() == "CPNS"]
            for unit, i in cpns.reset_index().drop_duplicates("kode_unit").set_index("kode_unit")["index"].items():
                if isinstance(unit, str) and unit and pays(unit) and not pays(unit, "wajib"):
                    _warn(peg, i, "kode_unit", unit, "unknown_reference",
                          f"tidak ada pos anggaran yang boleh membayar Latsar CPNS unit {unit}",
                          f"no budget line may pay for the Latsar of unit {unit}'s CPNS", problems)
        if frm is not None and {"status", "kode_unit"} <= set(frm.frame.columns):
            for i, r in frm.frame.iterrows():
                unit = r["kode_unit"]
                if str(r["status"]).upper() == "CPNS" and isinstance(unit, str) and not pays(unit, "wajib"):
                    _warn(frm, i, "kode_unit", unit, "unknown_reference",
                          f"tidak ada pos anggaran yang boleh membayar Latsar formasi CPNS unit {unit}",
                          f"no budget line may pay for the Latsar of unit {unit}'s CPNS intake", problems)
    if kat is None:
        return
    for col, pcol in (("sasaran_jenis_jabatan", "jenis_jabatan"), ("sasaran_jf", "jf_nama")):
        if col not in kat.frame.columns or pcol not in pf.columns:
            continue
        have = {str(v).strip().lower() for v in pf[pcol].dropna()}
        for i, v in kat.frame[col].items():
            items = _items(v)
            if items and not any(x.lower() in have for x in items):
                _warn(kat, i, col, ";".join(items), "inconsistent_value",
                      f"tidak ada pegawai dengan {pcol} {';'.join(items)}: program ini tanpa peserta",
                      f"no employee has {pcol} {';'.join(items)}: this programme has no participants", problems)
