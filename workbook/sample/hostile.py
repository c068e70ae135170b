"""A hostile copy of an agency folder: markup, script, link, image and formula payloads in every
free-text and name field, and distinctive full names, NIPs and contact details typed into comments.

It is what an attacker (or a careless form) puts into the data the workbook reads, made
reproducible so that the end-to-end test (``tests/report/test_hostile_agency.py``) can run the
whole yearly cycle on it and check every output: no live markup, no external request, no planted
name or identity number outside ``confidential/``. ``workbook sample --hostile`` writes one.

Each script payload carries its own marker number (``alert(1001)`` …), so a dialog or a live
element found in an output names the field it came from; the markers, the planted names and the
identity numbers are returned (and written beside the folder as ``_hostile_markers.json``, outside
the data folder so the workbook never reads them).

The copy keeps the data valid: keys (``program_id``, ``kode_unit``) are untouched; a name that
links two tables (``jabatan``, an indicator, an ROI measure) is changed the same way in both.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

__all__ = ["make_hostile", "PAYLOADS", "FORMULAS"]

#: markup payloads; ``{n}`` is the marker number
PAYLOADS = (
    "<script>alert({n})</script>",
    "<img src=x onerror=alert({n})>",
    '"><svg onload=alert({n})>',
    "<iframe srcdoc=\"<script>alert({n})</script>\"></iframe>",
    "<details open ontoggle=alert({n})>",
    "[klik di sini](javascript:alert({n}))",
    "[unduh](http://evil.example/x{n})",
    "![gambar](http://evil.example/i{n}.png)",
    "<a href=\"http://evil.example/a{n}\">tautan</a>",
    "<style>@import url(http://evil.example/s{n}.css);</style>",
)
#: spreadsheet formula starts (the export must neutralise every one)
FORMULAS = ('=HYPERLINK("http://evil.example/f","klik")', "+SUM(1,2)", "-2+3", "@SUM(A1)",
            "\t=1+1", "\r=1+1", "＝1+1")

_FIRST = ("Evaristus", "Quirinus", "Zephyrinus", "Bonaventura", "Hieronimus", "Wilibrordus",
          "Apolonia", "Scholastika", "Theodorika", "Radegundis", "Florentinus", "Cunegonda")
_LAST = ("Quxworth", "Zablonsky", "Vandermolen", "Kartawidjojoxa", "Pratiknyoqz", "Wirjosoemarto",
         "Hadikusumaxe", "Djojohadiq", "Soeryadjayax", "Tjokrowinotox")
_HONORIFICS = ("Pak", "Bu", "Bapak", "Ibu", "Sdr.")


class _Planter:
    """Hands out marker numbers and remembers which field each one went into."""

    def __init__(self, start: int = 1001) -> None:
        self.n = start
        self.markers: dict[str, str] = {}

    def payload(self, field: str, i: int | None = None) -> str:
        n = self.n
        self.n += 1
        self.markers[str(n)] = field
        k = (n if i is None else i) % len(PAYLOADS)
        return PAYLOADS[k].format(n=n)


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def _write(df: pd.DataFrame, folder: Path, name: str) -> None:
    # CRLF line ends, as Excel writes them: a CR inside a value is then quoted like the line end
    df.to_csv(folder / f"{name}.csv", index=False, lineterminator="\r\n")


def _rename_values(values: pd.Series, planter: _Planter, field: str, mapping: dict[str, str]) -> pd.Series:
    """Append a payload to each distinct non-blank value (the same value → the same new value)."""
    for v in sorted(set(values) - {""}):
        if v not in mapping:
            mapping[v] = f"{v} {planter.payload(field)}"
    return values.map(lambda v: mapping.get(v, v))


def _nip(rng: np.random.Generator, sex: str) -> str:
    year = int(rng.integers(1965, 2000))
    birth = f"{year}{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}"
    cpns = f"{min(year + int(rng.integers(20, 30)), 2024)}{rng.integers(1, 13):02d}"
    return f"{birth}{cpns}{'2' if sex == 'P' else '1'}{rng.integers(1, 999):03d}"


def _identities(peg: pd.DataFrame, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    names, seen = [], set()
    for i in range(len(peg)):
        name = f"{_FIRST[i % len(_FIRST)]} {_LAST[(i // len(_FIRST)) % len(_LAST)]}"
        if name in seen:
            name = f"{name} {_LAST[(i * 7) % len(_LAST)]}"
        seen.add(name)
        names.append(name)
    nips = [_nip(rng, s) for s in peg["jenis_kelamin"]]
    return names, nips


def _comment(name: str, nip: str, k: int) -> str:
    first = name.split()[0]
    forms = (
        f"Terima kasih kepada {name} (NIP {nip}) atas bimbingannya.",
        f"{_HONORIFICS[k % len(_HONORIFICS)]} {first} menjelaskan materi dengan sabar.",
        f"Narasumber {name.upper()} sangat membantu; hubungi 0812-3456-{7000 + k} atau "
        f"{first.lower()}.{k}@contoh.go.id.",
        f"materi bagus, sdr. {name.lower()}, nip {nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}, kurang jelas",
    )
    return forms[k % len(forms)]


def make_hostile(src: str | Path, dst: str | Path, *, seed: int = 0, overwrite: bool = False) -> dict[str, Any]:
    """Copy the agency folder ``src`` (CSV, as ``workbook sample`` writes it) to ``dst`` with payloads.

    Returns ``{"markers": {number: field}, "names": [...], "nips": [...], "formulas": [...],
    "urls": [...], "fields": [...]}`` and writes it to ``<dst>/../_hostile_markers.json``.
    """
    src, dst = Path(src), Path(dst)
    if dst.exists():
        if not overwrite:
            raise FileExistsError(dst)
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    rng = np.random.default_rng(seed)
    pl = _Planter()
    fields: list[str] = []

    # agency name
    meta = yaml.safe_load((dst / "instansi.yaml").read_text(encoding="utf-8"))
    meta["nama_instansi"] = f"{meta['nama_instansi']} {pl.payload('instansi.nama_instansi', 0)}"
    (dst / "instansi.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    fields.append("instansi.nama_instansi")

    # employees: names and NIPs (dropped on load), unit names and jabatan with payloads
    peg = _read(dst, "pegawai")
    names, nips = _identities(peg, rng)
    peg.insert(1, "nip", nips)
    peg.insert(2, "nama", names)
    peg["nama_unit"] = _rename_values(peg["nama_unit"], pl, "pegawai.nama_unit", {})
    jab: dict[str, str] = {}
    peg["jabatan"] = _rename_values(peg["jabatan"], pl, "pegawai.jabatan", jab)
    peg["jabatan_target"] = peg["jabatan_target"].map(lambda v: jab.get(v, v))
    _write(peg, dst, "pegawai")
    std = _read(dst, "standar_kompetensi")
    std["jabatan"] = std["jabatan"].map(lambda v: jab.get(v, v))
    _write(std, dst, "standar_kompetensi")
    fields += ["pegawai.nama_unit", "pegawai.jabatan"]

    # names of things: programmes, providers, competencies (a formula start on some of them)
    kat = _read(dst, "katalog_program")
    kat["nama_program"] = [
        (FORMULAS[i % len(FORMULAS)] + " " if i % 3 == 0 else "") + f"{v} {pl.payload('katalog_program.nama_program')}"
        for i, v in enumerate(kat["nama_program"])]
    kat["penyelenggara"] = [f"{v} {pl.payload('katalog_program.penyelenggara')}" for v in kat["penyelenggara"]]
    _write(kat, dst, "katalog_program")
    kam = _read(dst, "kamus_kompetensi")
    for col in ("nama_id", "nama_en"):
        kam[col] = [f"{v} {pl.payload('kamus_kompetensi.' + col)}" for v in kam[col]]
    _write(kam, dst, "kamus_kompetensi")
    fields += ["katalog_program.nama_program", "katalog_program.penyelenggara",
               "kamus_kompetensi.nama_id", "kamus_kompetensi.nama_en"]

    # free text: every comment gets a payload; one in three also a planted name / NIP / contact
    def free_text(table: str, col: str) -> None:
        df = _read(dst, table)
        out = []
        for i, v in enumerate(df[col]):
            parts = [v] if v else []
            if i % 2 == 0:
                parts.append(pl.payload(f"{table}.{col}"))
            if i % 3 == 0:
                k = (i // 3) % len(names)
                parts.append(_comment(names[k], nips[k], i // 3))
            if i % 11 == 5:
                parts.insert(0, FORMULAS[i % len(FORMULAS)])
            out.append(" ".join(parts))
        df[col] = out
        _write(df, dst, table)
        fields.append(f"{table}.{col}")

    free_text("evaluasi_l1", "komentar")
    free_text("wawancara", "ringkasan")
    free_text("survei_pegawai", "kebutuhan_lain")
    free_text("roi_manfaat", "keterangan")
    free_text("roi_biaya", "keterangan")
    free_text("realisasi_pengembangan", "nama_kegiatan")

    # names that link two tables: unit indicators, ROI measures
    ind = _read(dst, "indikator_unit")
    ind["indikator"] = _rename_values(ind["indikator"], pl, "indikator_unit.indikator", {})
    _write(ind, dst, "indikator_unit")
    measures: dict[str, str] = {}
    man = _read(dst, "roi_manfaat")
    man["ukuran"] = _rename_values(man["ukuran"], pl, "roi_manfaat.ukuran", measures)
    _write(man, dst, "roi_manfaat")
    kon = _read(dst, "roi_konversi")
    kon["ukuran"] = kon["ukuran"].map(lambda v: measures.get(v, v))
    kon["sumber"] = [f"{v} {pl.payload('roi_konversi.sumber')}" for v in kon["sumber"]]
    _write(kon, dst, "roi_konversi")
    fields += ["indikator_unit.indikator", "roi_manfaat.ukuran", "roi_konversi.sumber"]

    info = {"markers": pl.markers, "names": names, "nips": nips, "formulas": list(FORMULAS),
            "urls": ["evil.example"], "fields": fields}
    (dst.parent / "_hostile_markers.json").write_text(json.dumps(info, ensure_ascii=False, indent=1),
                                                      encoding="utf-8")
    return info
