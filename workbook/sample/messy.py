"""A messy copy of a clean agency folder, with realistic problems planted and listed.

``make_messy("data_samples/contoh", "data_samples/messy")`` copies the clean sample, rewrites some
files the way agencies actually send them, plants one problem of each kind, and writes
``MANIFEST.csv`` (``file,row,column,code,severity,origin``) listing *every* problem the folder
contains, located as the spreadsheet shows it. ``origin`` is ``planted`` for the problems planted
here and ``contoh`` for the warnings the clean sample already carries (its duplicate survey
submissions and blank answers, found here with plain pandas, independently of the validator).
The test of the validator is the set equality of ``(file, row, column, code)`` between
``workbook validate`` on the messy folder and this manifest.

What is planted (the file formats first):

* ``pegawai.xlsx`` instead of ``pegawai.csv``, with two title rows (one merged) above the header;
  a ``nip`` column (valid NIPs; one new employee identified by NIP only, who gets a pseudonym; one
  invalid NIP) and a ``nama`` column (dropped on load); ``jenis_jabatan = "Staf"``; a blank
  ``nama_unit``; a date that does not exist; text in ``skp_realisasi``; a repeated employee row;
  harmless variants that must *not* be reported (``pns``, ``Fungsional``).
* ``katalog_program.csv`` as Indonesian Excel exports it: ``;`` separator, decimal commas,
  Rupiah with thousands dots, cp1252 bytes (an en dash) → ``encoding_fallback``; an unknown
  competency code in a list.
* ``survei_pegawai.csv`` as a Google Forms export saved again by Excel (UTF-8 BOM; question texts
  ``Tingkat kemampuan saya saat ini [Integritas]``; ``Stempel waktu`` ``27/08/2026 9:14:03``; an
  e-mail column that is dropped), read through the ``google_forms_survei`` preset: an out-of-range
  rating, a word and a decimal in rating columns, a blank answer, a duplicate (later) submission,
  and a ``=HYPERLINK(...)`` open answer.
* ``evaluasi_l2.csv``: a post-test above the maximum score (when the sample has L2 data).
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from workbook.core.schema import TABLES

__all__ = ["make_messy", "MANIFEST_COLUMNS", "main"]

MANIFEST_COLUMNS = ["file", "row", "column", "code", "severity", "origin"]
_SEVERITY = {
    "encoding_fallback": "warning", "blank_answer": "warning", "duplicate_submission": "warning",
    "formula_injection": "warning", "unknown_column": "warning", "missing_standard": "warning",
}


def _sev(code: str) -> str:
    return _SEVERITY.get(code, "error")


def _read_clean(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path).astype(str)
    return pd.read_excel(path, dtype=str).fillna("")


def _to_csv_text(df: pd.DataFrame, sep: str = ",") -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=False, sep=sep, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue()


def _nip(rng: random.Random, *, female: bool) -> str:
    y = rng.randint(1968, 1995)
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    ty = y + rng.randint(22, 28)
    tm = rng.randint(1, 12)
    return f"{y:04d}{m:02d}{d:02d}{ty:04d}{tm:02d}{2 if female else 1}{rng.randint(1, 999):03d}"


def _pattern_cols(df: pd.DataFrame, table: str) -> list[str]:
    prefixes = [c.name.partition("<")[0] for c in TABLES[table].columns if c.pattern]
    return [c for c in df.columns if any(c.startswith(p) for p in prefixes)]


def _asked(frames: dict[str, pd.DataFrame]) -> set[tuple[str, str]] | None:
    """(pegawai_id, competency) pairs a form asks about: the competencies of the employee's standard."""
    peg, std = frames.get("pegawai"), frames.get("standar_kompetensi")
    if peg is None or std is None:
        return None
    key = lambda v: " ".join(str(v).split()).casefold()  # noqa: E731 - as the readers match positions
    comps: dict[str, set[str]] = {}
    for j, k in zip(std["jabatan"], std["kode_kompetensi"], strict=False):
        comps.setdefault(key(j), set()).add(str(k).strip())
    return {(str(pid).strip(), k) for pid, j in zip(peg["pegawai_id"], peg["jabatan"], strict=False)
            for k in comps.get(key(j), ())}


def _inherited(df: pd.DataFrame, table: str, fname: str, first_row: int,
               asked: set[tuple[str, str]] | None = None) -> list[dict]:
    """Warnings the clean data already carries: duplicate submissions and blank answers.

    A blank answer counts only where the form asks the employee about that competency (``asked``),
    as in :func:`workbook.ingest.agency.load_agency`.
    """
    out = []
    t = TABLES[table]
    for c in _pattern_cols(df, table):
        blank = df[c].astype(str).str.strip() == ""
        if asked is not None and "pegawai_id" in df.columns:
            kode = c.split("_", 1)[1]
            blank &= df["pegawai_id"].astype(str).str.strip().map(lambda pid, kode=kode: (pid, kode) in asked)
        if blank.any():
            pos = int(blank.to_numpy().nonzero()[0][0])
            out.append({"file": fname, "row": pos + first_row, "column": c, "code": "blank_answer"})
    if t.latest_by and all(k in df.columns for k in t.key) and t.latest_by in df.columns:
        when = pd.to_datetime(df[t.latest_by], errors="coerce", format="mixed", dayfirst=False)
        work = pd.DataFrame({"k": df[list(t.key)].astype(str).agg("\x1f".join, axis=1), "w": when,
                             "pos": range(len(df))})
        work = work[df[list(t.key)].astype(str).apply(lambda s: s.str.strip() != "").all(axis=1)]
        for _, grp in work.groupby("k"):
            if len(grp) < 2:
                continue
            keep = grp.sort_values(["w", "pos"], na_position="first").iloc[-1]["pos"]
            col = t.key[0] if len(t.key) == 1 else "+".join(t.key)
            for p in grp["pos"]:
                if p != keep:
                    out.append({"file": fname, "row": int(p) + first_row, "column": col,
                                "code": "duplicate_submission"})
    return out


def make_messy(clean_dir: str | Path, out_dir: str | Path, *, seed: int = 20260827,
               google_forms: bool = True) -> pd.DataFrame:
    """Copy ``clean_dir`` to ``out_dir`` with planted problems; write and return the manifest.

    Parameters
    ----------
    clean_dir : str or Path
        A clean agency folder (e.g. ``data_samples/contoh``); only read.
    out_dir : str or Path
        Created or emptied of table files; must not be ``clean_dir``.
    seed : int
        Which rows receive the problems.
    google_forms : bool, default=True
        Write the self-assessment survey as a Google Forms export (question texts with the
        competency names, ``Stempel waktu``, an e-mail column), read through the
        ``google_forms_survei`` preset, which the loader picks automatically.

    Returns
    -------
    DataFrame
        The manifest (also written to ``out_dir/MANIFEST.csv``).
    """
    rng = random.Random(seed)
    src, dst = Path(clean_dir), Path(out_dir)
    if src.resolve() == dst.resolve():
        raise ValueError("out_dir must differ from clean_dir")
    files = _prepare(src, dst)
    manifest: list[dict] = []

    def plant(fname: str, row: int | None, column: str | None, code: str) -> None:
        manifest.append({"file": fname, "row": row, "column": column, "code": code, "origin": "planted"})

    frames = {name: _read_clean(p) for name, p in files.items()}
    done = set()
    # the order of the phases is the order of the random draws
    if "pegawai" in frames:
        _mess_pegawai(frames["pegawai"].copy(), rng, plant, dst)
        done.add("pegawai")
    if "katalog_program" in frames:
        _mess_katalog(frames["katalog_program"].copy(), rng, plant, dst)
        done.add("katalog_program")
    if "survei_pegawai" in frames:
        _mess_survey(frames, rng, plant, manifest, dst, google_forms=google_forms)
        done.add("survei_pegawai")
    if "evaluasi_l2" in frames:
        _mess_l2(frames["evaluasi_l2"].copy(), rng, plant, dst)
        done.add("evaluasi_l2")
    _copy_rest(files, frames, done, dst, manifest)
    man = _write_manifest(manifest, dst)
    _write_readme(dst, src, man, seed)
    return man.reset_index(drop=True)


def _prepare(src: Path, dst: Path) -> dict[str, Path]:
    """Empty ``dst`` of files, copy the non-table files of ``src``; the table files by table name."""
    dst.mkdir(parents=True, exist_ok=True)
    for old in dst.iterdir():
        if old.is_file():
            old.unlink()
    files = {}
    for p in sorted(src.iterdir()):
        if not p.is_file():
            continue
        stem = p.stem.lower()
        if stem in TABLES and p.suffix.lower() in (".csv", ".xlsx", ".parquet"):
            files[stem] = p
        elif p.name.lower() in ("readme.md", "manifest.csv"):
            continue
        else:
            shutil.copy2(p, dst / p.name)
    return files


def _mess_pegawai(peg: pd.DataFrame, rng: random.Random, plant: Callable[..., None], dst: Path) -> None:
    """``pegawai.xlsx`` with title rows, ``nip``, ``nama`` and bad cells."""
    n = len(peg)
    idx = rng.sample(range(n), min(n, 14))
    if "nip" not in peg.columns:
        peg.insert(1, "nip", "")
    if "nama" not in peg.columns:
        peg.insert(2, "nama", "")
    for k, i in enumerate(idx[:6]):
        peg.loc[i, "nip"] = _nip(rng, female=bool(k % 2))
        peg.loc[i, "nama"] = ["Siti Rahmawati", "Budi Santoso", "Dewi Lestari", "Agus Wijaya",
                              "Rina Marlina", "Hendra Gunawan"][k]
    first = 4  # two title rows, header on row 3
    i_bad_nip, i_staf, i_blank, i_date, i_text, i_gol, i_jab = idx[6:13]
    peg.loc[i_bad_nip, "nip"] = "19860222 20121 2 003"  # a digit missing
    plant("pegawai.xlsx", i_bad_nip + first, "nip", "invalid_nip")
    peg.loc[i_staf, "jenis_jabatan"] = "Staf"
    plant("pegawai.xlsx", i_staf + first, "jenis_jabatan", "not_allowed")
    peg.loc[i_blank, "nama_unit"] = ""
    plant("pegawai.xlsx", i_blank + first, "nama_unit", "required_blank")
    peg.loc[i_date, "tmt"] = "31/02/2019"
    plant("pegawai.xlsx", i_date + first, "tmt", "not_a_date")
    if "skp_realisasi" in peg.columns:
        peg.loc[i_text, "skp_realisasi"] = "sembilan puluh"
        plant("pegawai.xlsx", i_text + first, "skp_realisasi", "not_a_number")
    pns = peg.loc[i_gol, "status"] == "PNS"
    if pns:
        peg.loc[i_gol, "golongan"] = ""
        plant("pegawai.xlsx", i_gol + first, "golongan", "required_blank")
    peg.loc[i_jab, "jabatan"] = "Staf Khusus Kepala Daerah"
    plant("pegawai.xlsx", i_jab + first, "jabatan", "missing_standard")
    peg["keterangan"] = ""
    peg.loc[i_jab, "keterangan"] = "mutasi dari Setda"
    plant("pegawai.xlsx", 3, "keterangan", "unknown_column")
    # harmless variants, must not be reported
    variants = [i for i in range(n) if i not in idx and peg.loc[i, "status"] == "PNS"
                and peg.loc[i, "jenis_jabatan"] == "fungsional"][:2]
    if variants and peg.loc[variants[0], "status"] == "PNS":
        peg.loc[variants[0], "status"] = "pns"
    if len(variants) > 1:
        peg.loc[variants[1], "jenis_jabatan"] = " Fungsional "
    # a repeated employee row (duplicate key) and a new employee known only by NIP
    ok_rows = [i for i in range(n) if i not in idx and i not in variants]
    dup = peg.loc[[ok_rows[0]]].copy()
    new = peg.loc[[ok_rows[1]]].copy()
    new["pegawai_id"] = ""
    new["nip"] = _nip(rng, female=True)
    new["nama"] = "Nur Aisyah"
    peg = pd.concat([peg, dup, new], ignore_index=True)
    plant("pegawai.xlsx", n + first, "pegawai_id", "duplicate_key")
    _write_xlsx_with_titles(peg, dst / "pegawai.xlsx")


def _mess_katalog(kat: pd.DataFrame, rng: random.Random, plant: Callable[..., None], dst: Path) -> None:
    """``katalog_program.csv``: ``;``, decimal comma, thousands dots, cp1252."""
    i = rng.randrange(len(kat))
    kat.loc[i, "nama_program"] = kat.loc[i, "nama_program"] + " \u2013 Angkatan II"
    for col in ("biaya_per_peserta",):
        kat[col] = kat[col].map(_rupiah_dots)
    for col in ("jp", "hari"):
        if col in kat.columns:
            kat[col] = kat[col].map(lambda v: v.replace(".", ",") if isinstance(v, str) else v)
    j = (i + 1) % len(kat)
    kat.loc[j, "kode_kompetensi"] = kat.loc[j, "kode_kompetensi"] + ";X.99"
    plant("katalog_program.csv", j + 2, "kode_kompetensi", "unknown_reference")
    plant("katalog_program.csv", None, None, "encoding_fallback")
    (dst / "katalog_program.csv").write_bytes(_to_csv_text(kat, sep=";").encode("cp1252", errors="replace"))


def _mess_survey(frames: dict[str, pd.DataFrame], rng: random.Random, plant: Callable[..., None],
                 manifest: list[dict], dst: Path, *, google_forms: bool) -> None:
    """``survei_pegawai.csv`` with BOM (as Google Forms exports it); every warning it carries listed."""
    sv = frames["survei_pegawai"].copy()
    levels = [c for c in sv.columns if c.startswith("level_")]
    fname = "survei_pegawai.csv"
    ids = sv["pegawai_id"]
    counts = ids.value_counts()
    single = [i for i in range(len(sv)) if counts[ids.iloc[i]] == 1]
    used: list[int] = []

    def pick(c: str | None = None, below: int | None = None) -> int:
        cand = [i for i in single if i not in used and (c is None or str(sv.loc[i, c]).strip())
                and (below is None or i < below)]
        i = rng.choice(cand)
        used.append(i)
        return i

    def first_blank(c: str) -> int:
        b = (sv[c].astype(str).str.strip() == "").to_numpy().nonzero()[0]
        return int(b[0]) if len(b) else len(sv)

    # the blank answer first: blanks are aggregated per column at the first blank row, so it is
    # planted above the column's first blank (the column whose first blank comes latest)
    target = max(levels[2:-1], key=first_blank)
    r_blank = pick(target, below=first_blank(target))
    sv.loc[r_blank, target] = ""
    r = pick(levels[0])
    sv.loc[r, levels[0]] = "7"
    plant(fname, r + 2, levels[0], "out_of_range")
    r = pick(levels[1])
    sv.loc[r, levels[1]] = "tiga"
    plant(fname, r + 2, levels[1], "not_a_number")
    r = pick(levels[-1])
    sv.loc[r, levels[-1]] = "3,5"
    plant(fname, r + 2, levels[-1], "not_an_integer")
    if "kebutuhan_lain" in sv.columns:
        r = pick()
        sv.loc[r, "kebutuhan_lain"] = '=HYPERLINK("http://contoh.invalid/form","Klik di sini")'
        plant(fname, r + 2, "kebutuhan_lain", "formula_injection")
    # duplicate submission: the same employee submits again later; the earlier row is dropped
    r_dup = pick()
    again = sv.loc[[r_dup]].copy()
    when = pd.to_datetime(again["waktu_isi"].iloc[0])
    again["waktu_isi"] = (when + timedelta(days=1, minutes=7)).strftime("%Y-%m-%d %H:%M:%S")
    sv = pd.concat([sv, again], ignore_index=True)
    planted_warnings = {(r_dup + 2, "pegawai_id", "duplicate_submission"), (r_blank + 2, target, "blank_answer")}
    # every warning the file carries, inherited or planted, found with plain pandas
    for rec in _inherited(sv, "survei_pegawai", fname, 2, _asked(frames)):
        planted = (rec["row"], rec["column"], rec["code"]) in planted_warnings
        rec["origin"] = "planted" if planted else "contoh"
        manifest.append(rec)
    out = _as_google_forms(sv, frames.get("kamus_kompetensi"), rng) if google_forms else sv
    (dst / fname).write_bytes(b"\xef\xbb\xbf" + _to_csv_text(out).encode("utf-8"))


def _mess_l2(l2: pd.DataFrame, rng: random.Random, plant: Callable[..., None], dst: Path) -> None:
    """``evaluasi_l2.csv``: a post-test above the maximum."""
    cand = [i for i in range(len(l2)) if str(l2.loc[i, "skor_post"]).strip() and
            str(l2.loc[i, "skor_maks"]).strip()]
    if cand:
        i = rng.choice(cand)
        l2.loc[i, "skor_post"] = f"{float(l2.loc[i, 'skor_maks']) + 5:g}"
        plant("evaluasi_l2.csv", i + 2, "skor_post", "score_above_max")
    (dst / "evaluasi_l2.csv").write_text(_to_csv_text(l2), encoding="utf-8", newline="")


def _copy_rest(files: dict[str, Path], frames: dict[str, pd.DataFrame], done: set[str], dst: Path,
               manifest: list[dict]) -> None:
    """The other tables: copied as they are, with their inherited warnings."""
    for name, p in files.items():
        if name in done:
            continue
        shutil.copy2(p, dst / p.name)
        if p.suffix.lower() == ".csv":
            for rec in _inherited(frames[name], name, p.name, 2,
                                  _asked(frames) if name in ("survei_pegawai", "survei_atasan") else None):
                rec["origin"] = "contoh"
                manifest.append(rec)


def _write_manifest(manifest: list[dict], dst: Path) -> pd.DataFrame:
    """``MANIFEST.csv``: every problem, with its severity, sorted by file, row, column and code."""
    man = pd.DataFrame(manifest, columns=[c for c in MANIFEST_COLUMNS if c != "severity"])
    man["severity"] = man["code"].map(_sev)
    man["row"] = man["row"].astype("Int64")
    man = man[MANIFEST_COLUMNS].sort_values(["file", "row", "column", "code"], na_position="first")
    man.to_csv(dst / "MANIFEST.csv", index=False, lineterminator="\n")
    return man


def _write_readme(dst: Path, src: Path, man: pd.DataFrame, seed: int) -> None:
    counts = man.groupby(["code", "severity", "origin"]).size().reset_index(name="n")
    table = "\n".join(f"| `{r.code}` | {r.severity} | {r.origin} | {r.n} |" for r in counts.itertuples())
    text = f"""# Data contoh yang berantakan / messy sample

Dibuat oleh / generated by `python -m workbook.sample.messy {src.as_posix()} {dst.as_posix()} --seed {seed}`
dari / from `{src.name}`. Jangan disunting dengan tangan / do not edit by hand.

Salinan data contoh dengan masalah yang sengaja ditanam, seperti data yang sungguh dikirim instansi:
`pegawai.xlsx` dengan dua baris judul, kolom `nip` dan `nama`; `katalog_program.csv` berpemisah `;`,
koma desimal, titik ribuan Rupiah dan berkode cp1252; `survei_pegawai.csv` ber-BOM UTF-8.
A copy of the clean sample with planted problems, shaped like real agency files.

`MANIFEST.csv` mendaftar SETIAP masalah (berkas, baris seperti terlihat di spreadsheet, kolom, kode,
tingkat, asal). `origin = contoh`: peringatan yang sudah ada di data contoh (isian ganda, jawaban
kosong — diagregasi satu per kolom pada baris kosong pertama). `workbook validate` pada folder ini
harus melaporkan tepat himpunan (file, row, column, code) ini.
`MANIFEST.csv` lists EVERY problem; `workbook validate` on this folder reports exactly this set.

| code | severity | origin | n |
|---|---|---|---|
{table}
"""
    (dst / "README.md").write_text(text, encoding="utf-8")


def _as_google_forms(sv: pd.DataFrame, kamus: pd.DataFrame | None, rng: random.Random) -> pd.DataFrame:
    """The canonical survey as Google Forms exports it (same rows, same cell values)."""
    names = {} if kamus is None else dict(zip(kamus["kode_kompetensi"], kamus["nama_id"], strict=True))
    out = pd.DataFrame(index=sv.index)
    for c in sv.columns:
        if c == "waktu_isi":
            when = pd.to_datetime(sv[c], errors="coerce")
            out["Stempel waktu"] = [
                f"{w.day:02d}/{w.month:02d}/{w.year} {w.hour}:{w:%M:%S}" if pd.notna(w) else v
                for w, v in zip(when, sv[c], strict=True)]
            out["Alamat email"] = [f"pegawai{rng.randint(100, 999)}@contoh.go.id" for _ in range(len(sv))]
        elif c == "pegawai_id":
            out["ID Pegawai"] = sv[c]
        elif c.startswith("level_"):
            out[f"Tingkat kemampuan saya saat ini [{names.get(c[6:], c[6:])}]"] = sv[c]
        elif c.startswith("penting_"):
            out[f"Tingkat kepentingan [{names.get(c[8:], c[8:])}]"] = sv[c]
        elif c == "bentuk_diminati":
            out["Bentuk pengembangan yang diminati"] = sv[c]
        elif c == "kebutuhan_lain":
            out["Kompetensi lain yang Anda butuhkan"] = sv[c]
        else:
            out[c] = sv[c]
    first = ["Stempel waktu", "Alamat email"]
    return out[[c for c in first if c in out.columns] + [c for c in out.columns if c not in first]]


def _rupiah_dots(v: Any) -> Any:
    try:
        x = float(str(v))
    except ValueError:
        return v
    if not x.is_integer():
        return v
    return f"{int(x):,}".replace(",", ".")


def _write_xlsx_with_titles(df: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "pegawai"
    ws.append(["DAFTAR PEGAWAI — KEADAAN AKHIR TAHUN"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=min(6, len(df.columns)))
    ws.append(["Sumber: ekspor SIMPEG, diolah BKPSDM"])
    ws.append(list(df.columns))
    for rec in df.itertuples(index=False):
        ws.append([None if v == "" else v for v in rec])
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
    wb.save(path)


def main(argv: list[str] | None = None) -> int:
    """``python -m workbook.sample.messy CLEAN OUT [--seed N]``."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m workbook.sample.messy")
    ap.add_argument("clean")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20260827)
    a = ap.parse_args(argv)
    man = make_messy(a.clean, a.out, seed=a.seed)
    print(man.groupby(["code", "origin"]).size().to_string())
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
