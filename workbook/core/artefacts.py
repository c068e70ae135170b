"""Artefacts between stages: one folder per plan year and stage, a manifest per stage, atomic
writes, three output classes kept apart, and exports that a spreadsheet cannot turn into code.

Layout (``OUTPUT`` is the output root)::

    OUTPUT/<year>/<stage>/<name>.parquet (+ .xlsx)        aggregate: shareable
    OUTPUT/<year>/restricted/<stage>/<name>.parquet        pseudonymous person-level
    OUTPUT/<year>/confidential/<stage>/<name>.xlsx         re-identified (IDP, talent pool)
    OUTPUT/<year>/<stage>/manifest.json                    schema, settings hash, input hashes,
                                                           workbook version, files and their hashes

Every file is written to a temporary name in the same folder and moved into place with
``os.replace`` (atomic on POSIX and Windows), so a killed run never leaves a half-written file
under its final name.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from workbook.core.exceptions import DataError, WorkbookError

__all__ = [
    "STAGES", "CLASSES", "SCHEMA_VERSION", "stage_dir", "atomic_path", "atomic_write_text",
    "write_parquet", "write_csv", "write_xlsx", "escape_formula", "escape_frame", "write_manifest",
    "read_manifest", "read_artefact", "sha256_file", "artefact_path",
    "INGEST", "NEEDS", "PLAN", "EVALUATION", "REGISTRY", "OPTIONAL", "MARKERS", "path", "exists",
    "missing", "read", "clean_tables", "require_clean_tables",
]

SCHEMA_VERSION = 1
STAGES = ("00_data_check", "01_needs", "02_plan", "03_evaluation", "reports")
CLASSES = ("aggregate", "restricted", "confidential")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d")

_CONFIDENTIAL_README = (
    "RAHASIA — data pribadi teridentifikasi (UU 27/2022 PDP; UU 14/2008 Pasal 17 huruf h).\n"
    "Hanya untuk pejabat yang berwenang. Jangan dibagikan, jangan diunggah.\n\n"
    "CONFIDENTIAL — identified personal data. For authorised officials only. Do not share.\n"
)
_RESTRICTED_README = (
    "TERBATAS — data per orang dengan ID samaran. Untuk analis BKPSDM; bukan untuk dipublikasikan.\n"
    "RESTRICTED — person-level data with pseudonymous ids. For agency analysts; not for publication.\n"
)


def stage_dir(output_dir: str | os.PathLike, year: int, stage: str, cls: str = "aggregate",
              *, create: bool = True) -> Path:
    """The folder of one stage's artefacts of class ``cls`` for plan year ``year``."""
    if cls not in CLASSES:
        raise WorkbookError(f"Kelas keluaran tidak dikenal: {cls}", f"Unknown output class: {cls}")
    root = Path(output_dir) / str(int(year))
    d = root / stage if cls == "aggregate" else root / cls / stage
    if create:
        try:
            d.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _io_error(d, exc) from None
        if cls != "aggregate":
            marker = root / cls / ("RAHASIA.txt" if cls == "confidential" else "TERBATAS.txt")
            if not marker.exists():
                atomic_write_text(marker, _CONFIDENTIAL_README if cls == "confidential" else _RESTRICTED_README)
    return d


def artefact_path(output_dir: str | os.PathLike, year: int, stage: str, name: str,
                  cls: str = "aggregate", ext: str = "parquet") -> Path:
    return stage_dir(output_dir, year, stage, cls, create=False) / f"{name}.{ext}"


def _io_error(path: Path, exc: OSError) -> WorkbookError:
    import errno
    import re

    code = exc.errno
    if code is None:  # pyarrow puts the errno only in the text: "[errno 28] No space left on device"
        m = re.search(r"errno (\d+)", str(exc), re.IGNORECASE)
        code = int(m.group(1)) if m else None
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        mid, men = "Disk penuh: tidak dapat menulis", "Disk full: cannot write"
    elif code in (errno.EACCES, errno.EROFS, errno.EPERM):
        mid, men = "Folder keluaran tidak dapat ditulisi (hanya-baca atau tanpa izin)", \
            "Output folder is not writable (read-only or no permission)"
    elif code in (errno.ENOTDIR, errno.EEXIST):
        mid, men = "Folder keluaran tidak dapat dibuat: sebagian jalurnya adalah berkas, bukan folder", \
            "Output folder cannot be created: part of its path is a file, not a folder"
    else:
        mid, men = "Gagal menulis berkas", "Failed to write file"
    why = exc.strerror or str(exc) or type(exc).__name__
    return WorkbookError(f"{mid}: {path} ({why})", f"{men}: {path} ({why})", file=str(path),
                         errno=code)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # keep the real extension last (tools such as papermill check it); the leading dot and
        # ".tmp." mark it as temporary
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _io_error(path, exc) from None
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, path)
    except OSError as exc:
        raise _io_error(path, exc) from None
    finally:
        if tmp_path.exists():
            with contextlib.suppress(OSError):
                tmp_path.unlink()


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def escape_formula(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def escape_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(escape_formula)
    out.columns = [escape_formula(str(c)) for c in out.columns]
    return out


def write_parquet(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False)
    return Path(path)


def write_csv(df: pd.DataFrame, path: str | os.PathLike, *, sep: str = ",") -> Path:
    """CSV in UTF-8 with BOM (so Excel shows Indonesian characters), formula cells escaped."""
    with atomic_path(path) as tmp:
        escape_frame(df).to_csv(tmp, index=False, sep=sep, encoding="utf-8-sig")
    return Path(path)


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: str | os.PathLike, *,
               titles: Mapping[str, str] | None = None, rupiah_cols: tuple[str, ...] = (),
               percent_cols: tuple[str, ...] = (), lang: str = "id",
               banner: str | None = None) -> Path:
    """A formatted workbook: optional title row, bold frozen header, widths, Rupiah/percent formats.

    Text that a spreadsheet would run as a formula is escaped. ``banner`` (e.g. the output class)
    is written above the title of every sheet.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    rupiah_fmt = '"Rp"#,##0' if lang == "id" else '"IDR "#,##0'
    for name, df in sheets.items():
        ws = wb.create_sheet(title=str(name)[:31])
        row = 1
        if banner:
            ws.cell(row=row, column=1, value=escape_formula(banner)).font = Font(bold=True, color="C00000")
            row += 1
        if titles and name in titles:
            ws.cell(row=row, column=1, value=escape_formula(titles[name])).font = Font(bold=True, size=13)
            row += 1
        if row > 1:
            row += 0
        header_row = row
        safe = escape_frame(df)
        for j, col in enumerate(safe.columns, start=1):
            c = ws.cell(row=header_row, column=j, value=str(col))
            c.font = Font(bold=True, color="FFFFFF")
            c.fill = PatternFill("solid", fgColor="1F4E79")
            c.alignment = Alignment(wrap_text=True, vertical="top")
        for i, rec in enumerate(safe.itertuples(index=False), start=header_row + 1):
            for j, v in enumerate(rec, start=1):
                if v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT:
                    v = None
                elif hasattr(v, "item") and not isinstance(v, str):
                    v = v.item()
                if isinstance(v, pd.Timestamp):
                    v = v.to_pydatetime()
                ws.cell(row=i, column=j, value=v)
        for j, col in enumerate(df.columns, start=1):
            letter = get_column_letter(j)
            if col in rupiah_cols:
                for cell in ws[letter][header_row:]:
                    cell.number_format = rupiah_fmt
            elif col in percent_cols:
                for cell in ws[letter][header_row:]:
                    cell.number_format = "0.0%"
            width = max([len(str(col))] + [len(str(x)) for x in safe.iloc[:200, j - 1].tolist()])
            ws.column_dimensions[letter].width = min(60, max(8, width + 2))
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        if len(df):
            ws.auto_filter.ref = f"A{header_row}:{get_column_letter(max(1, len(df.columns)))}{header_row + len(df)}"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def write_manifest(directory: str | os.PathLike, *, stage: str, settings: Any = None,
                   input_hashes: Mapping[str, str] | None = None, params: Mapping[str, Any] | None = None,
                   files: list[str | os.PathLike] | None = None) -> Path:
    """Write ``manifest.json`` for a stage folder: what produced these files, from what."""
    from workbook.core.version import __version__

    directory = Path(directory)
    listed = files if files is not None else [p for p in directory.iterdir()
                                             if p.is_file() and p.name != "manifest.json" and not p.name.startswith(".")]
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "stage": stage,
        "workbook_version": __version__,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "settings_path": getattr(settings, "path", None),
        "settings_sha256": getattr(settings, "sha256", None),
        "input_hashes": dict(sorted((input_hashes or {}).items())),
        "params": {k: (str(v) if isinstance(v, Path) else v) for k, v in (params or {}).items()},
        "files": {Path(p).name: sha256_file(p) for p in sorted(map(Path, listed))},
    }
    return atomic_write_text(directory / "manifest.json",
                             json.dumps(manifest, indent=2, ensure_ascii=False, default=str))


def read_manifest(directory: str | os.PathLike) -> dict:
    p = Path(directory) / "manifest.json"
    if not p.is_file():
        raise DataError(f"Manifest tidak ada: {p}", f"Manifest missing: {p}", file=str(p))
    return json.loads(p.read_text(encoding="utf-8"))


def read_artefact(output_dir: str | os.PathLike, year: int, stage: str, name: str,
                  cls: str = "aggregate", *, command: str | None = None) -> pd.DataFrame:
    """Read one Parquet artefact of an earlier stage, or say in both languages what to run first."""
    p = artefact_path(output_dir, year, stage, name, cls)
    if not p.is_file():
        from workbook.core.i18n import t

        cmd = command or f"notebooks/{stage}*.ipynb"
        raise DataError(t("error.missing_artefact", "id", stage=stage, path=p.parent, command=cmd),
                        t("error.missing_artefact", "en", stage=stage, path=p.parent, command=cmd),
                        file=str(p))
    return pd.read_parquet(p)


# --------------------------------------------------------------------------------------------
# the one registry of stage artefacts
# --------------------------------------------------------------------------------------------

INGEST, NEEDS, PLAN, EVALUATION = "00_data_check", "01_needs", "02_plan", "03_evaluation"

#: stage folder -> {artefact name: output class}. Every Parquet artefact a stage writes for a later
#: stage, the report layer or the dashboards is named here and read with :func:`read`; the clean
#: input tables of stage 00 (``restricted/00_data_check/<table>.parquet``) are read with
#: :func:`clean_tables`. ``tests/core/test_artefacts.py`` checks a real run writes exactly these.
#: The ``*_raw`` tables are the unsuppressed tables behind a stage's suppressed ones (its
#: ``shown_*`` functions), kept in the restricted class for the stage's ``load_result``.
REGISTRY: dict[str, dict[str, str]] = {
    INGEST: {"validation_summary": "aggregate", "overview_units": "aggregate", "overview_positions": "aggregate",
             "headcount_status": "aggregate", "validation_report": "restricted",
             "overview_units_raw": "restricted", "deidentification": "aggregate"},
    NEEDS: {"unit_competency": "aggregate", "need_ranking": "aggregate", "performance_units": "aggregate",
            "jpm_units": "aggregate", "profiles": "aggregate", "profile_selection": "aggregate",
            "gaps": "restricted", "jpm": "restricted", "performance": "restricted", "inventory": "restricted",
            "profile_members": "restricted",
            "unit_competency_raw": "restricted", "performance_units_raw": "restricted",
            "jpm_units_raw": "restricted", "profiles_raw": "restricted",
            "profile_model": "restricted", "profile_centers": "restricted",
            "without_standard": "restricted",
            # needs-gap: the chapter's recaps (workbook.needs.stage.RECAP_TABLES), shown and raw
            "jp_baseline": "aggregate", "jp_baseline_units": "aggregate", "jpm_recap": "aggregate",
            "target_gaps": "aggregate", "response_units": "aggregate", "nonresponse": "aggregate",
            "data_quality": "aggregate", "jp_baseline_raw": "restricted",
            "jp_baseline_units_raw": "restricted", "jpm_recap_raw": "restricted",
            "target_gaps_raw": "restricted", "response_units_raw": "restricted",
            "nonresponse_raw": "restricted", "data_quality_raw": "restricted"},
    PLAN: {"ranking": "aggregate", "agreement": "aggregate", "sensitivity": "aggregate", "frontier": "aggregate",
           "funding_probability": "aggregate", "plan_table": "aggregate", "explanations": "aggregate",
           "budget_lines": "aggregate", "budget_units": "aggregate", "coverage": "aggregate", "unmet": "aggregate",
           "below_minimum_reasons": "aggregate",
           "assignments": "restricted", "below_minimum": "restricted", "schedule": "restricted",
           "idp": "restricted", "mentoring": "restricted", "talent": "restricted",
           "criteria": "aggregate", "group_plan": "aggregate", "group_budget": "aggregate",
           "assignment_summary": "aggregate", "groups": "restricted", "allocation": "restricted",
           "greedy_allocation": "restricted", "group_coverage": "restricted",
           "unfilled": "restricted", "coverage_raw": "restricted", "allocation_lines": "restricted",
           "mandatory": "aggregate", "mandatory_summary": "aggregate", "mandatory_lines": "aggregate",
           "infeasible": "aggregate", "assumptions": "aggregate",
           "jp_owed_coverage": "aggregate", "jp_pppk_coverage": "aggregate", "jp_by_form": "aggregate",
           "jp_targets": "restricted", "mandatory_components": "restricted"},
    EVALUATION: {"level1": "aggregate", "level2": "aggregate", "level3": "aggregate", "level4": "aggregate",
                 "followup_units": "aggregate", "maturity": "aggregate", "comparison": "aggregate",
                 "themes": "aggregate", "quotes": "aggregate", "did": "aggregate", "roi": "aggregate",
                 "roi_lines": "aggregate", "roi_intangibles": "aggregate",
                 "followup": "restricted", "carry_over": "restricted", "reliable_change": "restricted",
                 "level1_raw": "restricted", "level2_raw": "restricted", "level3_raw": "restricted",
                 "roi_outcome": "restricted", "reference_date": "restricted",
                 "verdicts": "aggregate"},
}

#: registered artefacts a stage writes only sometimes (no person below the JP minimum, no reliable
#: change without item scores, no ROI without the optional ``roi_*`` inputs)
OPTIONAL: dict[str, frozenset[str]] = {
    INGEST: frozenset(), NEEDS: frozenset(),
    PLAN: frozenset({"below_minimum", "below_minimum_reasons"}),
    EVALUATION: frozenset({"reliable_change", "roi", "roi_lines", "roi_intangibles"}),
}

#: the artefact whose presence says a stage has run (read by the pipeline and the report layer)
MARKERS: dict[str, str] = {INGEST: "overview_units", NEEDS: "inventory", PLAN: "plan_table",
                           EVALUATION: "level2"}


def _cls(stage: str, name: str) -> str:
    try:
        return REGISTRY[stage][name]
    except KeyError:
        raise WorkbookError(f"Artefak tidak terdaftar: {stage}/{name}",
                            f"Artefact not in the registry: {stage}/{name}") from None


def path(ctx: Any, stage: str, name: str, *, year: int | None = None) -> Path:
    """Where the registered artefact ``stage/name`` of ``ctx`` (plan year ``year``, default
    ``ctx.year``) lives."""
    return artefact_path(ctx.output_dir, ctx.year if year is None else year, stage, name, _cls(stage, name))


def exists(ctx: Any, stage: str, name: str | None = None, *, year: int | None = None) -> bool:
    """True when the artefact (default: the stage's marker, i.e. the stage has run) is on disk."""
    return path(ctx, stage, name or MARKERS[stage], year=year).is_file()


def read(ctx: Any, stage: str, name: str, *, year: int | None = None, required: bool = True) -> pd.DataFrame | None:
    """Read a registered artefact of an earlier stage (or of an earlier year).

    Returns None when it is absent and ``required`` is False; otherwise a missing artefact raises a
    :class:`DataError` saying in both languages which stage to run first.
    """
    p = path(ctx, stage, name, year=year)
    if not p.is_file():
        if not required:
            return None
        return read_artefact(ctx.output_dir, ctx.year if year is None else year, stage, name, _cls(stage, name))
    return pd.read_parquet(p)


def missing(ctx: Any, stage: str) -> list[str]:
    """The registered artefacts of ``stage`` that are not on disk, the :data:`OPTIONAL` ones aside
    (empty: the stage's ``load_result`` can rebuild its result)."""
    return [n for n in REGISTRY[stage] if n not in OPTIONAL[stage] and not exists(ctx, stage, n)]


def clean_tables(ctx: Any) -> dict[str, pd.DataFrame]:
    """The clean, pseudonymous input tables that stage 00 wrote (empty when it has not run)."""
    d = stage_dir(ctx.output_dir, ctx.year, INGEST, "restricted", create=False)
    if not d.is_dir():
        return {}
    return {p.stem: pd.read_parquet(p) for p in sorted(d.glob("*.parquet"))
            if p.stem not in REGISTRY[INGEST]}


def require_clean_tables(ctx: Any) -> dict[str, pd.DataFrame]:
    """:func:`clean_tables`, or a bilingual :class:`DataError` naming stage 00 when they are missing."""
    tables = clean_tables(ctx)
    if "pegawai" not in tables:
        read_artefact(ctx.output_dir, ctx.year, INGEST, "pegawai", "restricted")
    return tables
