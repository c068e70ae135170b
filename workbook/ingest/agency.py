"""The agency loader: a whole input folder → an :class:`Agency`, with the checks across tables.

:func:`load_agency` reads a whole agency folder (one file per table plus ``instansi.yaml``) with
:func:`workbook.ingest.tables.read_table` (or a mapping preset of :mod:`workbook.ingest.mapping`),
runs the cross-table checks, pseudonymises NIPs and drops names, and returns an :class:`Agency`.

Duplicate keys are one ``duplicate_key`` error per repeated row (the first occurrence is kept as
reference); in tables with ``latest_by`` (surveys, assessments) the older submissions are dropped
with one ``duplicate_submission`` warning each, located at the dropped row. Blank survey answers
are counted only where the competency is in the employee's job standard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.exceptions import DataError, Problem, WorkbookError
from workbook.core.problems import make_problem
from workbook.core.schema import TABLE_EXTENSIONS, TABLES, find_table_file
from workbook.ingest.deidentify import (
    build_name_index,
    deidentify,
    deidentify_tables,
    free_text_columns,
)
from workbook.ingest.mapping import detect_preset, read_mapped
from workbook.ingest.planning_inputs import check_planning_inputs
from workbook.ingest.raw import check_size, enum_key, get_setting
from workbook.ingest.tables import ReadResult, blank_problem, read_table, sha256_file

__all__ = ["Agency", "load_agency"]


@dataclass
class Agency:
    """One agency's input folder, loaded and checked.

    Attributes
    ----------
    tables : dict of str to DataFrame
        Canonical columns; wide pattern columns kept wide (``level_M.1``); NIP and names removed.
    meta : dict
        Contents of ``instansi.yaml``.
    report : ValidationReport
        Every problem found while loading.
    data_dir : Path
    input_hashes : dict of str to str
        File name → SHA-256 of every input file read.
    plan_year : int or None
        ``tahun_rencana`` from ``instansi.yaml``.
    rows : dict of str to Series
        Spreadsheet row of every row of every table (same index as the table).
    deidentified : DataFrame
        Replacements made in the free-text columns (``table``, ``column``, ``kind``, ``n``; counts
        only, see :func:`workbook.ingest.deidentify.deidentify_tables`).
    """

    tables: dict[str, pd.DataFrame]
    meta: dict
    report: Any
    data_dir: Path
    input_hashes: dict[str, str]
    plan_year: int | None
    rows: dict[str, pd.Series] = field(default_factory=dict)
    deidentified: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["table", "column", "kind", "n"]))

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


# --------------------------------------------------------------------------------------------
# agency loader
# --------------------------------------------------------------------------------------------


def _key_label(key: Iterable[str]) -> str:
    return "+".join(key)


def _check_duplicates(name: str, res: ReadResult, problems: list[Problem]) -> ReadResult:
    t = TABLES[name]
    df = res.frame
    if not t.key or any(k not in df.columns for k in t.key):
        return res
    # optional key parts count when the file has them (anggaran: dpa, sub_kegiatan, kode_rekening)
    t = replace(t, key=t.key + tuple(k for k in t.key_optional if k in df.columns))
    keyed = df[list(t.key)]
    # blank optional key parts are a value (anggaran: kode_unit blank = the whole agency);
    # blank required ones are already reported as required_blank
    required_key = [k for k in t.key if t.column(k).required]
    valid = keyed[required_key].notna().all(axis=1)
    dup_any = keyed.duplicated(keep=False) & valid
    if not dup_any.any():
        return res
    col = t.key[0] if len(t.key) == 1 else _key_label(t.key)
    if t.latest_by and t.latest_by in df.columns:
        order = df.assign(_pos=np.arange(len(df))).sort_values([t.latest_by, "_pos"], na_position="first",
                                                                kind="stable")
        keep_idx = order[valid.loc[order.index]].drop_duplicates(list(t.key), keep="last").index
        drop = dup_any & ~df.index.isin(keep_idx)
        key_cols = list(t.key)
        kept_by_key = {tuple(r): j for j, r in zip(keep_idx, df.loc[keep_idx, key_cols].itertuples(index=False),
                                                    strict=True)}
        for i, r in zip(df.index[drop], df.loc[drop, key_cols].itertuples(index=False), strict=True):
            k = ", ".join(str(x) for x in r)
            j = kept_by_key.get(tuple(r))
            kept_row = res.row_of(j) if j is not None else None
            problems.append(make_problem(
                "duplicate_submission", file=res.file, row=res.row_of(i), column=col, value=k,
                detail_id=f"isian lain untuk {k} di baris {kept_row} lebih baru dan dipakai",
                detail_en=f"another submission for {k} on row {kept_row} is newer and is used"))
        keep = ~drop
        return ReadResult(df[keep].reset_index(drop=True), res.problems, res.rows[keep].reset_index(drop=True),
                          res.file, res.table, res.sha256, res.header_row, res.columns_source)
    first_seen: dict[tuple, int] = {}
    cand = df.index[dup_any]
    for i, r in zip(cand, df.loc[cand, list(t.key)].itertuples(index=False), strict=True):
        k = tuple("" if (not isinstance(x, list) and pd.isna(x)) else x for x in r)
        if k in first_seen:
            problems.append(make_problem(
                "duplicate_key", file=res.file, row=res.row_of(i), column=col, value=", ".join(map(str, k)),
                detail_id=f"sama dengan baris {first_seen[k]}", detail_en=f"same as row {first_seen[k]}"))
        else:
            first_seen[k] = res.row_of(i)
    return res


def _kamus_lookup(kamus: pd.DataFrame | None) -> dict[str, str]:
    if kamus is None or "kode_kompetensi" not in kamus.columns:
        return {}
    return {enum_key(k): k for k in kamus["kode_kompetensi"].dropna()}


def _check_references(name: str, res: ReadResult, results: dict[str, ReadResult],
                      problems: list[Problem]) -> None:
    t = TABLES[name]
    df = res.frame
    for col, (ref_table, ref_col) in t.references.items():
        if col not in df.columns or ref_table not in results:
            continue
        target = results[ref_table].frame
        if ref_col not in target.columns:
            continue
        known = set(target[ref_col].dropna().astype(str))
        if ref_col == "kode_kompetensi":
            lookup = {enum_key(k): k for k in known}
        else:
            lookup = {k: k for k in known}
        is_list = t.column(col).dtype == "list"
        canon_code = ref_col == "kode_kompetensi"

        def report(i: Any, item: Any, col: str = col, ref_table: str = ref_table, ref_col: str = ref_col) -> None:
            problems.append(make_problem(
                "unknown_reference", file=res.file, row=res.row_of(i), column=col, value=item,
                expected=f"{ref_table}.{ref_col}",
                detail_id=f"'{item}' tidak ada di {ref_table}.{ref_col}",
                detail_en=f"'{item}' is not in {ref_table}.{ref_col}"))

        if not is_list:
            series = df[col]
            distinct = series.dropna().unique()
            resolved = {v: lookup.get(enum_key(v) if canon_code else str(v)) for v in distinct}
            bad = series.notna() & series.map(lambda v, r=resolved: r.get(v) is None if isinstance(v, str) else False)
            for i in series.index[bad.to_numpy(dtype=bool)]:
                report(i, series.at[i])
            if canon_code:
                df[col] = series.map(lambda v, r=resolved: r.get(v) or v if isinstance(v, str) else v).astype("str")
            continue
        fixed = []
        for i, v in df[col].items():
            if not isinstance(v, list):
                fixed.append(v)
                continue
            good = []
            for item in v:
                key = enum_key(item) if canon_code else str(item)
                if key in lookup:
                    good.append(lookup[key])
                else:
                    report(i, item)
                    good.append(item)
            fixed.append(good)
        df[col] = pd.Series(fixed, index=df.index, dtype=object)


def _check_pattern_codes(res: ReadResult, kamus_codes: dict[str, str], problems: list[Problem]) -> None:
    """Pattern columns (level_<KODE>, penting_<KODE>) must name dictionary codes."""
    t = TABLES[res.table]
    renames = {}
    for c in t.columns:
        if not c.pattern or "<KODE>" not in c.name:
            continue
        prefix = c.name.partition("<")[0]
        for name in list(res.frame.columns):
            if not name.startswith(prefix):
                continue
            code = name[len(prefix):]
            hit = kamus_codes.get(enum_key(code))
            if hit is None:
                problems.append(make_problem(
                    "unknown_reference", file=res.file, row=res.header_row, column=name, value=code,
                    expected="kamus_kompetensi.kode_kompetensi",
                    detail_id=f"kode '{code}' pada judul kolom tidak ada di kamus kompetensi",
                    detail_en=f"code '{code}' in the column header is not in the competency dictionary"))
            elif hit != code:
                renames[name] = prefix + hit
    if renames:
        res.frame.rename(columns=renames, inplace=True)


def _read_meta(d: Path, problems: list[Problem]) -> dict:
    import yaml

    p = d / "instansi.yaml"
    if not p.is_file():
        alt = d / "instansi.yml"
        p = alt if alt.is_file() else p
    if not p.is_file():
        problems.append(make_problem(
            "missing_file", file="instansi.yaml",
            detail_id="isi nama_instansi, jenis_instansi dan tahun_rencana",
            detail_en="give nama_instansi, jenis_instansi and tahun_rencana"))
        return {}
    try:
        with open(p, encoding="utf-8-sig") as fh:
            meta = yaml.safe_load(fh) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(make_problem(
            "unreadable_file", file=p.name, row=(mark.line + 1) if mark else None,
            detail_id=str(exc).splitlines()[0], detail_en=str(exc).splitlines()[0]))
        return {}
    if not isinstance(meta, dict):
        problems.append(make_problem("unreadable_file", file=p.name, detail_id="harus berisi pemetaan kunci: nilai",
                                     detail_en="must contain a mapping of key: value"))
        return {}
    year = meta.get("tahun_rencana")
    if year is None:
        problems.append(make_problem("required_blank", file=p.name, column="tahun_rencana", expected="2000–2100"))
    elif not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(make_problem("out_of_range", file=p.name, column="tahun_rencana", value=year,
                                     expected="2000–2100"))
    jenis = meta.get("jenis_instansi")
    if jenis is not None and str(jenis).strip().lower() not in ("kabupaten", "kota", "provinsi", "kementerian", "lembaga"):
        problems.append(make_problem("not_allowed", file=p.name, column="jenis_instansi", value=jenis,
                                     expected="kabupaten, kota, provinsi, kementerian, lembaga"))
    return meta


def load_agency(data_dir: str | Path, *, settings: Any = None, strict: bool = True,
                replace: dict[str, str | Path] | None = None) -> Agency:
    """Load and check one agency's input folder.

    Parameters
    ----------
    data_dir : str or Path
        Folder with one file per table (``pegawai.csv`` …) and ``instansi.yaml``. Never modified.
    settings : Settings, optional
        Loaded settings (default: the defaults).
    strict : bool, default=True
        If True, any error raises :class:`DataError` carrying every problem (``err.problems``).
        If False, returns what could be loaded with the full report.
    replace : dict of str to path, optional
        Table name → a file read *instead of* that table's file in ``data_dir`` (the upload page
        checks an uploaded export this way: the agency's other files are read where they are, and
        nothing is linked or copied beside the upload). The replaced table's own files are neither
        read nor hashed; the replacement is hashed under its own file name.

    Returns
    -------
    Agency

    Notes
    -----
    Cross-table checks: unique keys (``duplicate_key``) except in tables with ``latest_by``
    (older submissions dropped, ``duplicate_submission``); references resolve
    (``unknown_reference``); survey pattern columns name dictionary codes; every employee's
    ``jabatan`` has standards (``missing_standard`` warning, one per position); L2 scores not above
    ``skor_maks`` (``score_above_max``); ``golongan`` required unless ``status`` is PPPK; the optional
    ROI tables come as a pair (``roi_biaya`` with ``roi_manfaat``, else ``missing_file``) and every
    benefit converted to money has an isolation method and its columns (``required_blank``). A raw
    ``nip`` column is validated (``invalid_nip``) and replaced by a keyed pseudonym; ``nama`` is
    dropped (see :mod:`workbook.core.pseudonym`). A per-table mapping preset may be named in
    ``instansi.yaml`` under ``pemetaan`` (``{survei_pegawai: google_forms_survei}``); otherwise a
    preset is chosen automatically when the file's header matches it and not the contract.
    """
    from workbook.core.problems import ValidationReport

    if settings is None:
        from workbook.core.settings import load_settings

        settings = load_settings()
    d = Path(data_dir)
    if not d.is_dir():
        raise DataError(f"Folder data tidak ditemukan: {d}", f"Data folder not found: {d}", file=str(d))
    problems: list[Problem] = []
    meta = _read_meta(d, problems)
    hashes: dict[str, str] = {}
    max_bytes = float(get_setting(settings, "input.max_file_mb", 200)) * 1024 * 1024
    replace = {name: Path(p) for name, p in (replace or {}).items()}
    replaced = {p.name for name in replace if (p := find_table_file(d, name)) is not None}
    for p in [*sorted(d.iterdir()), *replace.values()]:
        if p.name in replaced and p.parent == d:
            continue
        if p.is_file() and (p.suffix.lower() in TABLE_EXTENSIONS or p.name.startswith("instansi.")):
            # an oversized file is refused by its reader; do not read it whole just to hash it
            hashes[p.name] = sha256_file(p) if p.stat().st_size <= max_bytes else "too_large"
    presets = dict(meta.get("pemetaan") or {}) if isinstance(meta.get("pemetaan"), dict) else {}

    results: dict[str, ReadResult] = {}
    for name, t in TABLES.items():
        path = replace.get(name) or find_table_file(d, name)
        if path is None:
            if t.required:
                problems.append(make_problem(
                    "missing_file", file=f"{name}.csv", expected=f"{name}.csv / .xlsx / .parquet"))
            continue
        try:
            res = _read_with_preset(path, name, settings, presets.get(name), d)
        except WorkbookError as exc:
            problems.extend(exc.problems or [make_problem(
                "unreadable_file", file=path.name, detail_id=exc.message_id, detail_en=exc.message_en)])
            continue
        except Exception as exc:  # noqa: BLE001 - never leak a raw library exception
            problems.append(make_problem(
                "unreadable_file", file=path.name, value=type(exc).__name__,
                detail_id=f"{type(exc).__name__}: {exc}", detail_en=f"{type(exc).__name__}: {exc}"))
            continue
        problems.extend(res.problems)
        res.problems = []
        results[name] = res

    # free text de-identified (employee names read for this only), then NIP → pseudonym, names dropped
    deidentified = _deidentify(results, problems, settings)
    if "pegawai" in results:
        from workbook.core.pseudonym import pseudonymise_frame

        res = results["pegawai"]
        res.frame = pseudonymise_frame(res.frame, res.rows, res.file, settings, problems,
                                       plan_year=meta.get("tahun_rencana"), derive_dates=True)
    _pseudonymise_person_tables(results, problems, settings)
    for res in results.values():
        drop = [c.name for c in TABLES[res.table].columns if c.personal and c.name in res.frame.columns]
        if drop:
            res.frame = res.frame.drop(columns=drop)

    kamus_codes = _kamus_lookup(results["kamus_kompetensi"].frame if "kamus_kompetensi" in results else None)
    _refine_blank_answers(results, problems)  # on the file's rows, before duplicates are dropped
    for name in list(results):
        results[name] = _check_duplicates(name, results[name], problems)
    for name, res in results.items():
        if TABLES[name].wide and kamus_codes:
            _check_pattern_codes(res, kamus_codes, problems)
        _check_references(name, res, results, problems)
    _check_standards(results, problems)
    _check_scores(results, problems)
    _check_roi(d, results, problems, settings)
    check_planning_inputs(results, problems, meta.get("tahun_rencana"))

    report = ValidationReport(problems, data_dir=str(d))
    agency = Agency(
        tables={n: r.frame for n, r in results.items()}, meta=meta, report=report, data_dir=d,
        input_hashes=hashes, plan_year=meta.get("tahun_rencana") if isinstance(meta.get("tahun_rencana"), int) else None,
        rows={n: r.rows for n, r in results.items()}, deidentified=deidentified,
    )
    if strict and report.errors:
        raise DataError(
            f"Data di {d} belum dapat dipakai: {len(report.errors)} kesalahan. Jalankan 'workbook validate {d}'.",
            f"Data in {d} cannot be used yet: {len(report.errors)} errors. Run 'workbook validate {d}'.",
            file=str(d), problems=problems,
        )
    return agency


def _deidentify(results: dict[str, ReadResult], problems: list[Problem], settings: Any) -> pd.DataFrame:
    """De-identify the free-text columns of every table read, and the text values the problems
    quote from them, with the employee names of ``pegawai.nama`` (which is then dropped)."""
    peg = results.get("pegawai")
    names = peg.frame["nama"] if peg is not None and "nama" in peg.frame.columns else None
    ix = build_name_index(names, settings)
    tables, counts = deidentify_tables({n: r.frame for n, r in results.items()}, None, index=ix)
    for n, r in results.items():
        r.frame = tables[n]
    text_cols = {(results[n].file, c) for n in results for c in free_text_columns(n)}
    quoted = [i for i, p in enumerate(problems)
              if (p.file, p.column) in text_cols and isinstance(p.value, str) and p.value]
    if quoted:
        clean, _ = deidentify(pd.Series([problems[i].value for i in quoted], dtype="object"), index=ix)
        for i, v in zip(quoted, clean, strict=True):
            problems[i] = replace(problems[i], value=v)
    return counts


def _pseudonymise_person_tables(results: dict[str, ReadResult], problems: list[Problem], settings: Any) -> None:
    """``nip`` → pseudonym in ``pegawai_id`` in every person table but ``pegawai`` (same key, so the
    same pseudonym as in ``pegawai``); the NIP column is dropped. The re-identification table is
    written from ``pegawai`` only."""
    from workbook.core.pseudonym import pseudonymise_ids
    from workbook.core.schema import PERSON_TABLES

    for name in PERSON_TABLES:
        res = results.get(name)
        if name == "pegawai" or res is None or "nip" not in res.frame.columns:
            continue
        res.frame = pseudonymise_ids(res.frame, res.rows, res.file, settings, problems)


def _read_with_preset(path: Path, name: str, settings: Any, preset: str | None, data_dir: Path) -> ReadResult:
    check_size(path, path.name, settings)  # before any preset reads the file
    if preset:
        return read_mapped(path, preset, name, settings=settings, dictionary_dir=data_dir)
    auto = detect_preset(path, name, settings=settings)
    if auto:
        return read_mapped(path, auto, name, settings=settings, dictionary_dir=data_dir)
    return read_table(path, name, settings=settings)


def _check_standards(results: dict[str, ReadResult], problems: list[Problem]) -> None:
    if "pegawai" not in results or "standar_kompetensi" not in results:
        return
    peg = results["pegawai"]
    std = results["standar_kompetensi"].frame
    if "jabatan" not in peg.frame.columns or "jabatan" not in std.columns:
        return
    known = {enum_key(j) for j in std["jabatan"].dropna()}
    seen: set[str] = set()
    for i, j in peg.frame["jabatan"].items():
        if j is None or pd.isna(j):
            continue
        k = enum_key(j)
        if k in known or k in seen:
            continue
        seen.add(k)
        n = int((peg.frame["jabatan"].map(lambda x: enum_key(x) if isinstance(x, str) else "") == k).sum())
        problems.append(make_problem(
            "missing_standard", file=peg.file, row=peg.row_of(i), column="jabatan", value=j,
            expected="standar_kompetensi.jabatan",
            detail_id=f"'{j}' ({n} pegawai) tidak ada di standar_kompetensi; kesenjangan tidak dihitung untuk mereka",
            detail_en=f"'{j}' ({n} employees) is not in standar_kompetensi; no gaps are computed for them"))


_ANSWER_RE = re.compile(r"^(?:level|penting)_(?P<kode>.+)$")


def _refine_blank_answers(results: dict[str, ReadResult], problems: list[Problem]) -> None:
    """Count a blank survey answer only where the competency is in the employee's job standard.

    A form lists every competency, but an employee is asked only about those of the standard of
    their position: a blank elsewhere is structural, not a missing answer. Needs the employees
    and the standards; without them the per-file counts of :func:`read_table` stand.
    """
    if "pegawai" not in results or "standar_kompetensi" not in results:
        return
    peg, std = results["pegawai"].frame, results["standar_kompetensi"].frame
    if not {"pegawai_id", "jabatan"} <= set(peg.columns) or not {"jabatan", "kode_kompetensi"} <= set(std.columns):
        return
    applicable = {(enum_key(j), str(k)) for j, k in zip(std["jabatan"], std["kode_kompetensi"], strict=False)
                  if isinstance(j, str) and isinstance(k, str)}
    job = {pid: enum_key(j) for pid, j in zip(peg["pegawai_id"], peg["jabatan"], strict=False) if isinstance(j, str)}
    for name in ("survei_pegawai", "survei_atasan"):
        res = results.get(name)
        if res is None or "pegawai_id" not in res.frame.columns:
            continue
        f = res.frame
        jobs = f["pegawai_id"].map(job)
        # a cell that failed coercion is missing in the frame but was not blank in the file
        flagged = {(p.row, p.column) for p in problems if p.file == res.file and p.code != "blank_answer"}
        refined = []
        for col in f.columns:
            m = _ANSWER_RE.match(str(col))
            if not m:
                continue
            kode = m.group("kode")
            asked = jobs.map(lambda j, kode=kode: (j, kode) in applicable).fillna(False).astype(bool)
            idx = f.index[f[col].isna().to_numpy() & asked.to_numpy()]
            rows = [r for r in (int(res.row_of(i)) for i in idx) if (r, col) not in flagged]
            if rows:
                refined.append(blank_problem(res.file, col, rows))
        first = next((i for i, p in enumerate(problems) if p.code == "blank_answer" and p.file == res.file), len(problems))
        problems[:] = ([p for p in problems[:first] if not (p.code == "blank_answer" and p.file == res.file)]
                       + refined
                       + [p for p in problems[first:] if not (p.code == "blank_answer" and p.file == res.file)])


def _check_scores(results: dict[str, ReadResult], problems: list[Problem]) -> None:
    res = results.get("evaluasi_l2")
    if res is None or "skor_maks" not in res.frame.columns:
        return
    df = res.frame
    for col in ("skor_pre", "skor_post"):
        if col not in df.columns:
            continue
        bad = df[col].notna() & df["skor_maks"].notna() & (df[col] > df["skor_maks"])
        for i in df.index[bad]:
            problems.append(make_problem(
                "score_above_max", file=res.file, row=res.row_of(i), column=col, value=f"{df.at[i, col]:g}",
                expected=f"≤ {df.at[i, 'skor_maks']:g}"))


def _check_roi(d: Path, results: dict[str, ReadResult], problems: list[Problem], settings: Any) -> None:
    """Phillips ROI inputs (optional): ``roi_biaya`` and ``roi_manfaat`` come together, and every
    benefit row that is converted to money names an isolation method and fills the columns it needs.

    A measure without a conversion (intangible) and a row without ``perubahan`` (no improvement,
    Phillips' principle 6) need no isolation. Rows that already carry an error are skipped.
    """
    from workbook.core.schema import ISOLASI, ROI_REQUIRED, ROI_TABLES

    given = [n for n in ROI_TABLES if find_table_file(d, n) is not None]
    if not given:
        return
    for n in ROI_REQUIRED:
        if n not in given:
            problems.append(make_problem(
                "missing_file", file=f"{n}.csv", expected=f"{n}.csv / .xlsx / .parquet",
                detail_id=f"diperlukan untuk ROI bersama {', '.join(g + '.csv' for g in given)}",
                detail_en=f"needed for ROI together with {', '.join(g + '.csv' for g in given)}"))
    res = results.get("roi_manfaat")
    if res is None or "ukuran" not in res.frame.columns:  # a missing column is already an error
        return
    df = res.frame
    conv = results.get("roi_konversi")
    converted = (set(conv.frame["ukuran"].dropna().astype(str).str.strip())
                 if conv is not None and "ukuran" in conv.frame.columns else set())
    default = get_setting(settings, "impact.isolation_default", None)
    default = {"kelompok_pembanding": "pembanding"}.get(str(default), default) if default is not None else None
    default_conf = get_setting(settings, "impact.confidence_discount_default", None)
    flagged = {p.row for p in problems if p.file == res.file and p.severity == "error"}
    methods = ", ".join(ISOLASI)
    for i in df.index:
        row = res.row_of(i)
        if row in flagged or str(df.at[i, "ukuran"]).strip() not in converted:
            continue
        if "perubahan" not in df.columns or pd.isna(df.at[i, "perubahan"]):
            continue
        m = df.at[i, "isolasi"] if "isolasi" in df.columns and pd.notna(df.at[i, "isolasi"]) else default
        if m not in ISOLASI:
            problems.append(make_problem(
                "required_blank", file=res.file, row=row, column="isolasi", expected=methods,
                detail_id="manfaat yang dirupiahkan memerlukan metode isolasi efek program (prinsip Phillips 5; "
                          "atau pengaturan impact.isolation_default)",
                detail_en="a benefit converted to money needs a method isolating the programme's effect (Phillips' "
                          "principle 5; or setting impact.isolation_default)"))
            continue
        for col in ISOLASI[m]:
            if col == "keyakinan" and default_conf is not None:
                continue
            if col not in df.columns or pd.isna(df.at[i, col]):
                problems.append(make_problem(
                    "required_blank", file=res.file, row=row, column=col, expected=col,
                    detail_id=f"isolasi '{m}' memerlukan kolom {col}",
                    detail_en=f"isolation '{m}' needs the column {col}"))
