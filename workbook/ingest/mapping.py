"""Mapping presets: wide exports (Google Forms, KoboToolbox, SIASN/SIMPEG) → the data contracts.

A preset is a small YAML file (``workbook/ingest/presets/*.yaml``); an agency can write its own and
pass its path instead of a preset name (``read_mapped(path, "my_mapping.yaml", ...)``, or in
``instansi.yaml``: ``pemetaan: {survei_pegawai: my_mapping.yaml}`` with a path relative to the
data folder). Keys of a preset file::

    table: survei_pegawai              # contract the export maps to
    columns:                           # header text (any case/spacing) → canonical column
      Timestamp: waktu_isi
      Stempel waktu: waktu_isi
    patterns:                          # regular expressions on the header text, tried in order
      - regex: 'kemampuan saya saat ini \\[(?P<nama>.+)\\]'
        to: 'level_{kode}'             # {kode}: from (?P<kode>…) or looked up from (?P<nama>…)
    strip_group: true                  # Kobo group paths: 'kompetensi/level_M1' → 'level_M1'
    ignore: ['^_', '^meta/']           # headers ignored silently (export bookkeeping)
    drop: [Alamat email]               # columns deliberately discarded (personal data)
    values:                            # per canonical column: value → canonical value
      jenis_kelamin: {Pria: L, Wanita: P}
    extract:                           # per canonical column (or 'level_*'): regex with group v
      golongan: '(?P<v>I{1,3}V?/[a-eA-E])'
    derive:                            # new columns computed from mapped ones
      kelompok_usia: {from: tanggal_lahir, kind: age_band}
    detect: [Timestamp, Stempel waktu] # headers that identify the export (automatic choice)

``{nama}`` is resolved through the competency dictionary (``nama_id`` or ``nama_en``, any case);
``{kode}`` taken from a header is matched to the dictionary ignoring case and punctuation
(``M1`` → ``M.1``). Row numbers of the original file are kept, so every message points at the
cell the user sees.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from workbook.core.exceptions import DataError, Problem
from workbook.core.schema import TABLES, find_table_file
from workbook.ingest.raw import ColumnMatcher, parse_date, raw_frame, read_csv_raw, read_xlsx_raw
from workbook.ingest.tables import ReadResult, check_mapped_frame, read_table, sha256_file

__all__ = ["load_preset", "list_presets", "apply_mapping", "read_mapped", "detect_preset", "detect_preset_rows",
           "PRESET_DIR"]

PRESET_DIR = Path(str(resources.files("workbook.ingest") / "presets"))


def list_presets() -> list[str]:
    """Names of the built-in presets."""
    return sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))


_BUILTIN_CACHE: dict[str, dict] = {}


def load_preset(preset: str | Path | dict, *, base_dir: Path | None = None) -> dict:
    """A preset as a dict, from a built-in name, a YAML path, or a dict (returned as is)."""
    if isinstance(preset, dict):
        return preset
    if isinstance(preset, str) and preset in _BUILTIN_CACHE and base_dir is None:
        return copy.deepcopy(_BUILTIN_CACHE[preset])
    p = Path(preset)
    candidates = [PRESET_DIR / f"{preset}.yaml", PRESET_DIR / str(preset)]
    if base_dir is not None:
        candidates.insert(0, base_dir / p)
    candidates.append(p)
    for c in candidates:
        if c.is_file():
            try:
                with open(c, encoding="utf-8-sig") as fh:
                    data = yaml.safe_load(fh) or {}
            except yaml.YAMLError as exc:
                raise DataError(f"Preset pemetaan {c} bukan YAML yang sah: {exc}",
                                f"Mapping preset {c} is not valid YAML: {exc}", file=str(c)) from None
            if not isinstance(data, dict) or "table" not in data:
                raise DataError(f"Preset pemetaan {c} harus berisi kunci 'table'.",
                                f"Mapping preset {c} must contain a 'table' key.", file=str(c))
            data.setdefault("name", c.stem)
            if c.parent == PRESET_DIR and isinstance(preset, str) and base_dir is None:
                _BUILTIN_CACHE[preset] = copy.deepcopy(data)
            return data
    raise DataError(
        f"Preset pemetaan tidak dikenal: {preset} (tersedia: {', '.join(list_presets())})",
        f"Unknown mapping preset: {preset} (available: {', '.join(list_presets())})", file=str(preset),
    )


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


def _code_key(text: Any) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def _dictionary_lookups(dictionary: pd.DataFrame | None) -> tuple[dict[str, str], dict[str, str]]:
    by_name: dict[str, str] = {}
    by_code: dict[str, str] = {}
    if dictionary is None or "kode_kompetensi" not in dictionary.columns:
        return by_name, by_code
    for _, r in dictionary.iterrows():
        code = r["kode_kompetensi"]
        if code is None or pd.isna(code):
            continue
        by_code[_code_key(code)] = str(code)
        for col in ("nama_id", "nama_en"):
            if col in dictionary.columns and isinstance(r[col], str):
                by_name[_norm(r[col])] = str(code)
    return by_name, by_code


def map_header(header: Any, preset: dict, dictionary: pd.DataFrame | None = None) -> str | None:
    """Canonical name for one header under ``preset`` (None: not mapped by the preset)."""
    h = str(header).strip()
    if preset.get("strip_group") and "/" in h:
        h_last = h.rsplit("/", 1)[1]
    else:
        h_last = h
    cols = {_norm(k): v for k, v in (preset.get("columns") or {}).items()}
    for cand in (h, h_last):
        if _norm(cand) in cols:
            return cols[_norm(cand)]
    by_name, by_code = _dictionary_lookups(dictionary)
    for pat in preset.get("patterns") or []:
        rx = re.compile(pat["regex"], re.IGNORECASE)
        for cand in (h, h_last):
            m = rx.search(cand)
            if not m:
                continue
            gd = m.groupdict()
            if gd.get("kode"):
                code = by_code.get(_code_key(gd["kode"]), gd["kode"].strip())
            elif gd.get("nama"):
                code = by_name.get(_norm(gd["nama"]))
                if code is None:
                    code = gd["nama"].strip()  # reported later as an unknown code
            else:
                code = ""
            return pat["to"].format(kode=code, n=gd.get("n", ""))
    return None


def _ignored(header: str, preset: dict) -> bool:
    h = str(header).strip()
    if _norm(h) in {_norm(x) for x in preset.get("drop") or []}:
        return True
    return any(re.search(rx, h, re.IGNORECASE) for rx in preset.get("ignore") or [])


def _age_band(born: Any, ref_year: int) -> str | None:
    d = parse_date(born)
    if d is None:
        return None
    age = ref_year - d.year
    if age < 30:
        return "<30"
    if age < 40:
        return "30-39"
    if age < 50:
        return "40-49"
    return "50+"


def _unit_code(name: Any) -> str | None:
    if name is None or (isinstance(name, float) and pd.isna(name)) or not str(name).strip():
        return None
    words = re.findall(r"[A-Za-z0-9]+", str(name).upper())
    stop = {"DAN", "DI", "KE", "DARI", "YANG", "UNTUK"}
    return "_".join(w for w in words if w not in stop)[:40] or None


def _jenis_jabatan_siasn(jenis: Any, eselon: Any) -> Any:
    if jenis is None or (isinstance(jenis, float) and pd.isna(jenis)):
        return jenis
    j = _norm(jenis)
    if "struktural" in j:
        e = _norm(eselon) if isinstance(eselon, str) else ""
        e = e.replace("eselon", "").strip()
        if e.startswith("iv") or e.startswith("4"):
            return "pengawas"
        if e.startswith("iii") or e.startswith("3"):
            return "administrator"
        if e.startswith("i") or e.startswith("1") or e.startswith("2"):
            return "JPT"
        return jenis  # left as is: reported as not allowed, with the row
    if "tertentu" in j or j in ("fungsional", "jft", "jf"):
        return "fungsional"
    if "umum" in j or "pelaksana" in j or j in ("jfu",):
        return "pelaksana"
    return jenis


def apply_mapping(raw_df: pd.DataFrame, preset: str | Path | dict, dictionary: pd.DataFrame | None = None,
                  *, ref_year: int | None = None) -> pd.DataFrame:
    """Rename and translate the columns of a raw export to a contract's canonical columns.

    Parameters
    ----------
    raw_df : DataFrame
        The export as read (header texts as column names, cells as found). Its index is kept,
        so an index of spreadsheet row numbers survives.
    preset : str, Path or dict
        A built-in preset name, a YAML path or a loaded preset.
    dictionary : DataFrame, optional
        ``kamus_kompetensi`` (to turn competency names in question texts into codes).
    ref_year : int, optional
        Year for age bands derived from birth dates (default: this year).

    Returns
    -------
    DataFrame
        Canonical columns (values still raw text/numbers; typing is done by the reader). Columns
        the preset does not know keep their header (the reader then warns ``unknown_column``);
        ignored and dropped columns are removed.
    """
    p = load_preset(preset)
    ref_year = ref_year or date.today().year
    renamed: dict[str, pd.Series] = {}
    for h in raw_df.columns:
        if _ignored(h, p):
            continue
        target = map_header(h, p, dictionary) or str(h)
        if target in renamed:
            continue
        renamed[target] = raw_df[h]
    out = pd.DataFrame(renamed, index=raw_df.index)
    for col, mapping in (p.get("values") or {}).items():
        if col in out.columns:
            lut = {_norm(k): v for k, v in mapping.items()}
            out[col] = out[col].map(lambda v, lut=lut: lut.get(_norm(v), v) if isinstance(v, str) else v)
    for col, rx in (p.get("extract") or {}).items():
        targets = [c for c in out.columns if c == col or (col.endswith("*") and c.startswith(col[:-1]))]
        pattern = re.compile(rx, re.IGNORECASE)
        for c in targets:
            def ext(v: Any, pattern: re.Pattern = pattern) -> Any:
                if not isinstance(v, str):
                    return v
                m = pattern.search(v)
                return m.group("v") if m else v
            out[c] = out[c].astype(object).map(ext)
    for col, rule in (p.get("derive") or {}).items():
        kind, src = rule.get("kind"), rule.get("from")
        if kind == "age_band" and src in out.columns:
            out[col] = out[src].map(lambda v: _age_band(v, ref_year))
            if rule.get("drop_source", True):
                out = out.drop(columns=[src])
        elif kind == "unit_code" and src in out.columns and col not in out.columns:
            out[col] = out[src].map(_unit_code)
        elif kind == "jenis_jabatan_siasn" and col in out.columns:
            esel = out[src] if src in out.columns else pd.Series([None] * len(out), index=out.index)
            out[col] = [_jenis_jabatan_siasn(j, e) for j, e in zip(out[col].tolist(), esel.tolist(), strict=True)]
            if src in out.columns and rule.get("drop_source", True):
                out = out.drop(columns=[src])
        elif kind == "copy" and src in out.columns and col not in out.columns:
            out[col] = out[src]
    return out


def _raw_with_rows(path: Path, preset: dict, table_name: str, settings: Any,
                   dictionary: pd.DataFrame | None, problems: list[Problem]) -> tuple[pd.DataFrame, int]:
    t = TABLES[table_name]
    canon = ColumnMatcher(t)

    def matcher(h: Any) -> bool:
        return bool(map_header(h, preset, dictionary)) or bool(canon.match(h))

    headers, raw, rows, header_row = raw_frame(path, path.name, t, matcher, settings, problems)
    if not headers:
        return pd.DataFrame(), 0
    names = []
    for j, h in enumerate(headers):
        names.append(str(h).strip() if str(h).strip() else f"#{j + 1}")
    raw.columns = names if len(set(names)) == len(names) else [f"{n}#{j}" if names.count(n) > 1 else n
                                                              for j, n in enumerate(names)]
    raw.index = pd.Index(rows.tolist(), name="baris")
    return raw, header_row


def read_mapped(path: str | Path, preset: str | Path | dict, table_name: str, *, settings: Any = None,
                dictionary: pd.DataFrame | None = None, ref_year: int | None = None,
                dictionary_dir: str | Path | None = None) -> Any:
    """Read an export through a mapping preset and check it against ``table_name``.

    Returns a :class:`~workbook.ingest.tables.ReadResult` exactly like
    :func:`~workbook.ingest.tables.read_table` (problems located at the export's own rows).
    The mapped table is written to a temporary Parquet-free in-memory frame; nothing is written
    next to the input. The competency dictionary is looked for in ``dictionary_dir`` (default:
    the file's own folder).
    """
    path = Path(path)
    p = load_preset(preset, base_dir=path.parent)
    if p["table"] != table_name:
        raise DataError(
            f"Preset '{p.get('name')}' untuk tabel {p['table']}, bukan {table_name}.",
            f"Preset '{p.get('name')}' is for table {p['table']}, not {table_name}.", file=path.name,
        )
    if dictionary is None:
        kp = find_table_file(Path(dictionary_dir) if dictionary_dir else path.parent, "kamus_kompetensi")
        if kp is not None and table_name != "kamus_kompetensi":
            try:
                dictionary = read_table(kp, "kamus_kompetensi", settings=settings).frame
            except Exception:  # noqa: BLE001 - reported when the dictionary itself is read
                dictionary = None
    problems: list[Problem] = []
    if not path.is_file() or path.stat().st_size == 0:
        return read_table(path, table_name, settings=settings)
    try:
        raw, header_row = _raw_with_rows(path, p, table_name, settings, dictionary, problems)
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - never leak a raw library exception
        raise DataError(
            f"{path.name}: berkas tidak dapat dibaca ({type(exc).__name__}: {exc}).",
            f"{path.name}: file cannot be read ({type(exc).__name__}: {exc}).", file=path.name,
        ) from None
    if raw.empty and header_row == 0:
        return read_table(path, table_name, settings=settings)
    mapped = apply_mapping(raw, p, dictionary, ref_year=ref_year)
    res: ReadResult = check_mapped_frame(mapped, table_name, path.name, header_row, settings, problems,
                                        sha256_file(path))
    return res


def detect_preset(path: str | Path, table_name: str, *, settings: Any = None) -> str | None:
    """A built-in preset whose ``detect`` headers appear in the file's first rows, if the file does
    not already follow the contract (its key columns are not found)."""
    path = Path(path)
    if not _preset_candidates(table_name):
        return None
    ext = path.suffix.lower()
    try:
        if ext == ".csv":
            rows = read_csv_raw(path, path.name, [])[:30]
        elif ext == ".xlsx":
            rows = read_xlsx_raw(path, path.name, TABLES[table_name], settings, max_rows=30)
        else:
            return None
    except Exception:  # noqa: BLE001 - the normal reader reports it
        return None
    return detect_preset_rows(rows, table_name)


def _preset_candidates(table_name: str) -> list[tuple[str, dict]]:
    candidates = []
    for name in list_presets():
        try:
            p = load_preset(name)
        except DataError:
            continue
        if p.get("table") == table_name and p.get("detect"):
            candidates.append((name, p))
    return candidates


def detect_preset_rows(rows: list[tuple[int, list[Any]]], table_name: str) -> str | None:
    """:func:`detect_preset` on rows already read (their first 30 are looked at)."""
    candidates = _preset_candidates(table_name)
    if not candidates:
        return None
    rows = rows[:30]
    canon = ColumnMatcher(TABLES[table_name])
    key = set(TABLES[table_name].key) or {c.name for c in TABLES[table_name].columns if c.required}
    for _, vals in rows:
        found = {m[0] for m in (canon.match(v) for v in vals if v is not None) if m}
        if key <= found:
            return None
    for name, p in candidates:
        det = {_norm(x) for x in p["detect"]}
        for _, vals in rows:
            heads = {_norm(v) for v in vals if v is not None}
            heads |= {_norm(str(v).rsplit("/", 1)[-1]) for v in vals if v is not None}
            if det & heads:
                return name
    return None
