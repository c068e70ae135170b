"""Writing the sample agency as an input folder, and the ``workbook sample`` command."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from workbook.core.exceptions import SettingsError, WorkbookError
from workbook.core.schema import TABLES
from workbook.sample.generator import check_options, check_params, generate_agency
from workbook.sample.structure import NAMA_INSTANSI

__all__ = [
    "write_agency",
    "main",
]


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _for_file(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Dates as ISO text (date or date-time per the schema); everything else unchanged."""
    out = df.copy()
    tbl = TABLES[name]
    for c in tbl.columns:
        if c.name in out.columns and c.dtype in ("date", "datetime"):
            fmt = "%Y-%m-%d" if c.dtype == "date" else "%Y-%m-%d %H:%M:%S"
            out[c.name] = out[c.name].dt.strftime(fmt)
    return out


def _umask() -> int:
    """The process umask, read without changing it where the OS allows (Linux ``/proc``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:  # pragma: no cover - not Linux
        pass
    mask = os.umask(0o022)  # pragma: no cover
    os.umask(mask)  # pragma: no cover
    return mask  # pragma: no cover


def _atomic_write(path: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_year(tables: dict[str, Any], folder: Path, fmt: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        if name not in tables:  # optional tables the sample does not include
            continue
        df = tables[name]
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            data = _for_file(df, name).to_csv(index=False, sep=",", decimal=".", lineterminator="\n")
            _atomic_write(path, lambda p, d=data: p.write_text(d, encoding="utf-8"))
        elif fmt == "xlsx":
            d = _for_file(df, name)
            _atomic_write(path, lambda p, d=d, n=name: d.to_excel(p, sheet_name=n[:31], index=False, engine="openpyxl"))
        else:
            _atomic_write(path, lambda p, d=df: d.to_parquet(p, index=False))
        written.append(path)
    text = ("# Data sintetis dari workbook.sample — bukan data instansi nyata.\n"
            "# Synthetic data from workbook.sample — not a real agency.\n"
            + yaml.safe_dump(tables["instansi"], allow_unicode=True, sort_keys=False))
    path = folder / "instansi.yaml"
    _atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
    written.append(path)
    return written


def write_agency(out_dir: str | os.PathLike[str], n_employees: int = 1200, *, seed: int = 0,
                 plan_year: int = 2027, years: int = 1, fmt: str = "csv",
                 overwrite: bool = False, **options: Any) -> list[Path]:
    """Generate a synthetic agency and write it as an input folder.

    Parameters
    ----------
    out_dir : path
        Target folder; created if missing. For ``years=2`` the years go to ``out_dir/<year>/``.
    n_employees, seed, plan_year, years
        As in :func:`generate_agency`.
    fmt : {"csv", "xlsx", "parquet"}, default="csv"
        File format. CSV is UTF-8 with ``,`` as separator, ``.`` as decimal mark and ISO dates.
    overwrite : bool, default=False
        Write into a non-empty folder (files of the same name are replaced).
    **options
        ``units``, ``budget_lines``, ``cpns_baru``, ``keyed_by_nip`` of :func:`generate_agency`
        (a second agency; default: the committed sample's).

    Returns
    -------
    list of Path
        The files written, in table order, ``instansi.yaml`` last (per year).

    Raises
    ------
    WorkbookError
        If ``out_dir`` exists and is not empty and ``overwrite`` is False, or is not a folder.
    SettingsError
        If a parameter is out of range.
    """
    if fmt not in ("csv", "xlsx", "parquet"):
        raise SettingsError(f"format tidak dikenal: {fmt!r} (csv, xlsx atau parquet)",
                            f"unknown format: {fmt!r} (csv, xlsx or parquet)", value=fmt,
                            expected="csv, xlsx, parquet")
    check_params(n_employees, seed, plan_year, years)
    check_options(**options, years=years)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise WorkbookError("bukan folder", "not a folder", file=str(out))
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise WorkbookError(
            "folder tidak kosong; pilih folder lain atau gunakan overwrite=True (--overwrite)",
            "folder is not empty; choose another folder or use overwrite=True (--overwrite)",
            file=str(out), expected="an empty or new folder")
    tables = generate_agency(n_employees, seed=seed, plan_year=plan_year, years=years, **options)
    if years == 1:
        return _write_year(tables, out, fmt)
    written: list[Path] = []
    for y, t in tables.items():
        written += _write_year(t, out / str(y), fmt)
    return written


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


def _write_hostile(a: argparse.Namespace) -> list[Path]:
    """A sample agency made hostile (:mod:`workbook.sample.hostile`) in ``a.out``."""
    from workbook.sample.hostile import make_hostile

    out = Path(a.out)
    if out.exists() and any(out.iterdir()) and not a.overwrite:
        write_agency(out, a.employees, seed=a.seed, plan_year=a.plan_year, overwrite=False)  # raises the usual error
    with tempfile.TemporaryDirectory() as tmp:
        write_agency(Path(tmp) / "contoh", a.employees, seed=a.seed, plan_year=a.plan_year, overwrite=True)
        make_hostile(Path(tmp) / "contoh", out, seed=a.seed, overwrite=True)
    return sorted(out.iterdir())


def main(argv: list[str] | None = None) -> int:
    """``workbook sample``: write a synthetic agency folder.

    ``workbook sample --employees N --seed S --out DIR [--years 2] [--plan-year Y]
    [--format csv|xlsx|parquet] [--overwrite] [--lang id|en] [--units N] [--budget-lines central,opd,blud]
    [--cpns-baru N] [--keyed-by-nip]``
    """
    p = argparse.ArgumentParser(
        prog="workbook sample",
        description="Membuat data instansi sintetis (Pemerintah Kabupaten Contoh) / "
                    "write a synthetic agency (Pemerintah Kabupaten Contoh).")
    p.add_argument("--employees", type=int, default=1200, help="jumlah pegawai / number of employees")
    p.add_argument("--seed", type=int, default=0, help="seed acak / random seed")
    p.add_argument("--out", required=True, help="folder tujuan / output folder")
    p.add_argument("--years", type=int, choices=(1, 2), default=1, help="1 atau 2 tahun / 1 or 2 years")
    p.add_argument("--plan-year", type=int, default=2027, help="tahun rencana / plan year")
    p.add_argument("--format", choices=("csv", "xlsx", "parquet"), default="csv", help="format berkas / file format")
    p.add_argument("--overwrite", action="store_true", help="timpa folder yang tidak kosong / overwrite a non-empty folder")
    p.add_argument("--lang", choices=("id", "en"), default="id", help="bahasa pesan / message language")
    p.add_argument("--hostile", action="store_true",
                   help="sisipkan muatan HTML/skrip/rumus dan nama/NIP dalam teks bebas (uji keamanan; "
                        "penanda di _hostile_markers.json di samping folder) / plant markup, script, formula "
                        "payloads and names/NIPs in free text (security testing; markers beside the folder)")
    p.add_argument("--units", type=int, default=None,
                   help="jumlah unit/OPD (5–13) / number of units (OPD), 5–13")
    p.add_argument("--budget-lines", default=None, metavar="central,opd,blud",
                   help="pos anggaran: gabungan central (BKPSDM), opd (dua OPD dengan DPA sendiri), blud (RSUD) / "
                        "budget lines: a combination of central (BKPSDM), opd (two OPDs with their own DPA), blud (RSUD)")
    p.add_argument("--cpns-baru", type=int, default=0,
                   help="jumlah CPNS yang belum Latsar (dan formasi CPNS sebesar itu) / CPNS without Latsar "
                        "(and a CPNS intake of that size)")
    p.add_argument("--keyed-by-nip", action="store_true",
                   help="pegawai dengan nip dan nama tanpa pegawai_id; tabel lain memakai nip / pegawai with nip and "
                        "nama and no pegawai_id; other tables keyed by nip")
    a = p.parse_args(argv)
    options = {"units": a.units, "budget_lines": a.budget_lines, "cpns_baru": a.cpns_baru,
               "keyed_by_nip": a.keyed_by_nip}
    if a.hostile and (a.format != "csv" or a.years != 1):
        p.error("--hostile: hanya --format csv --years 1 / only --format csv --years 1")
    if a.hostile and any(v not in (None, 0, False) for v in options.values()):
        p.error("--hostile: tanpa --units/--budget-lines/--cpns-baru/--keyed-by-nip / "
                "without --units/--budget-lines/--cpns-baru/--keyed-by-nip")
    try:
        if a.hostile:
            paths = _write_hostile(a)
        else:
            paths = write_agency(a.out, a.employees, seed=a.seed, plan_year=a.plan_year, years=a.years,
                                 fmt=a.format, overwrite=a.overwrite, **options)
    except WorkbookError as err:
        print(err.message(a.lang), file=sys.stderr)
        return 2
    if a.lang == "en":
        print(f"Wrote {len(paths)} files for {NAMA_INSTANSI} (synthetic; {a.employees} employees, "
              f"seed {a.seed}, plan year {a.plan_year}) to {a.out}:")
    else:
        print(f"Menulis {len(paths)} berkas {NAMA_INSTANSI} (sintetis; {a.employees} pegawai, "
              f"seed {a.seed}, tahun rencana {a.plan_year}) ke {a.out}:")
    for path in paths:
        print(f"  {path}  ({_size(path.stat().st_size)})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
