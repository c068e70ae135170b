"""Phillips ROI wired end to end: optional ``roi_*`` inputs → ``workbook validate`` → evaluation stage
(aggregate artefacts) → yearly report (section 5.6 and an "ROI" sheet), and nothing when absent.

Oracle: the arithmetic of the committed sample's ROI inputs written out by hand in the comments,
with BCR = benefits / costs and ROI % = (benefits − costs) / costs × 100 (Phillips 1997; Phillips &
Phillips 2016) — never by calling :func:`workbook.evaluation.impact.roi`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from workbook.core.context import open_context
from workbook.ingest.tables import read_table
from workbook.pipeline import run_data_check, run_evaluation

ROOT = Path(__file__).resolve().parents[2]
CONTOH = ROOT / "data_samples" / "contoh"
ROI_FILES = ("roi_biaya.csv", "roi_manfaat.csv", "roi_konversi.csv")

# ---------------------------------------------------------------------------------------------
# The sample's ROI study, by hand (data_samples/contoh/roi_*.csv)
# ---------------------------------------------------------------------------------------------
# PRG-011 Komunikasi Klinis dan Keselamatan Pasien, 70 participants, Rp 3.800.000 each, 32 JP = 24 h:
#   costs = 12.500.000 (needs analysis) + 15.000.000 (design) + 70 × 3.800.000 = 266.000.000 (delivery)
#         + 70 × 24 h × 60.000 = 100.800.000 (participants' time) + 10.000.000 (evaluation)
#         + 5 % × 266.000.000 = 13.300.000 (overhead)                              = Rp 417.600.000
#   benefit (comparison group): incidents −35 among participants, −10 in comparison wards
#         → (35 − 10) × Rp 25.000.000 = Rp 625.000.000; "Kepuasan pasien (indeks)": intangible
#   BCR = 625.000.000 / 417.600.000 = 1.4966…; ROI = 207.400.000 / 417.600.000 × 100 = 49.66… %
HAND = {
    "PRG-011": {"costs": 12_500_000 + 15_000_000 + 266_000_000 + 100_800_000 + 10_000_000 + 13_300_000,
                "benefits": (35 - 10) * 25_000_000},
    # PRG-012 Transformasi Digital dan SPBE, 131 participants, Rp 3.500.000, 24 h:
    #   costs = 12.500.000 + 5.000.000 + 458.500.000 + 131 × 24 × 60.000 = 188.640.000 + 10.000.000
    #         + 22.925.000                                                    = Rp 697.565.000
    #   hours saved (estimate): 26.200 h × 0,6 attributed × 0,75 confidence = 11.790 h × 60.000 = 707.400.000
    #   paper (trend line): (786 − 262) rim × 55.000 = 28.820.000      → benefits Rp 736.220.000
    "PRG-012": {"costs": 12_500_000 + 5_000_000 + 458_500_000 + 188_640_000 + 10_000_000 + 22_925_000,
                "benefits": 26_200 * 0.6 * 0.75 * 60_000 + (786 - 262) * 55_000},
    # PRG-005 Komunikasi Efektif dan Pelayanan Prima, 67 participants, Rp 2.500.000, 18 h:
    #   costs = 12.500.000 + 15.000.000 + 167.500.000 + 72.360.000 + 10.000.000 + 8.375.000 = Rp 285.735.000
    #   complaints (estimate): 201 × 0,4 × 0,6 = 48,24 × 750.000 = Rp 36.180.000
    "PRG-005": {"costs": 12_500_000 + 15_000_000 + 167_500_000 + 72_360_000 + 10_000_000 + 8_375_000,
                "benefits": 201 * 0.4 * 0.6 * 750_000},
}


def _bcr(h: dict) -> float:
    return h["benefits"] / h["costs"]


def _roi_pct(h: dict) -> float:
    return (h["benefits"] - h["costs"]) / h["costs"] * 100


@pytest.fixture(scope="module")
def contoh_eval(sample_run):
    """Stage 03 of the shared sample run and its output folder (``tests/conftest.py``)."""
    return sample_run["evaluation"], sample_run.out


def test_hand_arithmetic_matches_the_committed_inputs():
    """The numbers written out above are the ones in the sample's files (read by the project's readers)."""
    biaya = read_table(CONTOH / "roi_biaya.csv", "roi_biaya").frame
    costs = biaya.groupby("program_id")["biaya"].sum()
    for pid, h in HAND.items():
        assert costs[pid] == h["costs"], pid
    assert HAND["PRG-011"]["costs"] == 417_600_000 and HAND["PRG-012"]["costs"] == 697_565_000
    m = read_table(CONTOH / "roi_manfaat.csv", "roi_manfaat").frame.set_index("ukuran")
    assert m.loc["Insiden keselamatan pasien", ["perubahan", "perubahan_pembanding"]].tolist() == [35, 10]
    assert m.loc["Jam kerja yang dihemat", ["perubahan", "kontribusi", "keyakinan"]].tolist() == [26_200, 0.6, 0.75]
    assert m.loc["Kertas dan tinta cetak", ["perubahan", "proyeksi_tren"]].tolist() == [786, 262]
    assert m.loc["Pengaduan masyarakat", ["perubahan", "kontribusi", "keyakinan"]].tolist() == [201, 0.4, 0.6]
    assert pd.isna(m.loc["Kepuasan pasien (indeks)", "isolasi"])  # intangible: no isolation needed
    k = read_table(CONTOH / "roi_konversi.csv", "roi_konversi").frame.set_index("ukuran")["nilai_per_satuan"]
    assert k.to_dict() == {"Jam kerja yang dihemat": 60_000, "Kertas dan tinta cetak": 55_000,
                           "Insiden keselamatan pasien": 25_000_000, "Pengaduan masyarakat": 750_000}
    assert "Kepuasan pasien (indeks)" not in k.index
    # a mix of isolation methods, 4 measures with a conversion and 1 without
    assert set(m["isolasi"].dropna()) == {"estimasi", "tren", "pembanding"}


def test_stage_computes_the_hand_values_and_writes_aggregate_artefacts(contoh_eval):
    res, out = contoh_eval
    roi = res.roi
    assert roi.status == "computed" and roi.message_id == ""
    s = roi.result.summary.set_index("program_id")
    for pid, h in HAND.items():
        assert s.loc[pid, "costs"] == pytest.approx(h["costs"])
        assert s.loc[pid, "benefits"] == pytest.approx(h["benefits"])
        assert s.loc[pid, "bcr"] == pytest.approx(_bcr(h))
        assert s.loc[pid, "roi_pct"] == pytest.approx(_roi_pct(h))
    assert s.loc["PRG-011", "roi_pct"] == pytest.approx(49.664751, abs=1e-6)
    assert s.loc["PRG-012", "bcr"] == pytest.approx(736_220_000 / 697_565_000)
    assert s.loc["PRG-011", "nama_program"] == "Pelatihan Komunikasi Klinis dan Keselamatan Pasien"
    # totals: costs 417,6 + 697,565 + 285,735 = Rp 1.400.900.000; benefits 625 + 736,22 + 36,18 = Rp 1.397.400.000
    t = roi.result.total
    assert t["costs"] == pytest.approx(1_400_900_000) and t["benefits"] == pytest.approx(1_397_400_000)
    assert t["roi_pct"] == pytest.approx((1_397_400_000 - 1_400_900_000) / 1_400_900_000 * 100)
    assert list(roi.result.intangibles["ukuran"]) == ["Kepuasan pasien (indeks)"]
    lines = roi.result.lines.set_index("ukuran")
    assert lines.loc["Jam kerja yang dihemat", "confidence"] == 0.75 and lines.loc["Jam kerja yang dihemat", "satuan"] == "jam"
    # aggregate artefacts: parquet, a sheet of evaluation.xlsx, listed in the manifest
    agg = out / str(res.ctx.year) / "03_evaluation"
    back = pd.read_parquet(agg / "roi.parquet").set_index("program_id")
    assert back.loc["PRG-005", "benefits"] == pytest.approx(HAND["PRG-005"]["benefits"])
    assert "pegawai_id" not in back.columns and "n" not in back.columns  # no person-level column, no n to suppress
    from openpyxl import load_workbook

    assert {"ROI", "ROI_manfaat", "ROI_tak_berwujud"} <= set(load_workbook(agg / "evaluation.xlsx").sheetnames)
    import json

    files = json.loads((agg / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert {"roi.parquet", "roi_lines.parquet", "roi_intangibles.parquet"} <= set(files)


# ---------------------------------------------------------------------------------------------
# A small agency for the report and the failure paths
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    from workbook.report.bundle import build_bundle
    from workbook.sample import write_agency

    root = tmp_path_factory.mktemp("roi_small")
    data = root / "data"
    write_agency(data, 150, seed=3)
    ctx = open_context(data_dir=str(data), output_dir=str(root / "out"), interactive=False)
    return {"root": root, "data": data, "bundle": build_bundle(ctx)}


def _variant(small, name: str, edit) -> tuple[Path, object]:
    """A copy of the small agency changed by ``edit(folder)``, through the data check and evaluation."""
    d = small["root"] / name / "data"
    shutil.copytree(small["data"], d)
    edit(d)
    ctx = open_context(data_dir=str(d), output_dir=str(small["root"] / name / "out"), interactive=False)
    run_data_check(ctx)
    return d, run_evaluation(ctx)


def _text(html: str) -> str:
    html = html.replace("&nbsp;", " ")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>", "", html)))


def _report(bundle, tmp_path, lang="id"):
    from workbook.report.render import _xlsx, build_document, render_html

    doc = build_document(bundle.for_view(None, lang), None)
    path = _xlsx(doc, tmp_path / f"laporan_{lang}.xlsx")
    from openpyxl import load_workbook

    return _text(render_html(doc)), load_workbook(path).sheetnames, doc


def test_report_has_roi_section_and_sheet_when_inputs_exist(small, tmp_path):
    text, sheets, doc = _report(small["bundle"], tmp_path)
    assert "5.7 Pengembalian investasi (ROI)" in text
    for words in ("metodologi Phillips", "BCR", "kelompok pembanding", "garis tren", "estimasi peserta/atasan",
                  "Diskonto keyakinan", "Manfaat tak berwujud", "Kepuasan pasien (indeks)", "5–10 %"):
        assert words in text, words
    assert "ROI (metodologi Phillips) tidak dihitung" not in text
    assert any(s.endswith(" ROI") for s in sheets) and any(s.endswith(" ROI_manfaat") for s in sheets)
    # the table shows the stage's figures, formatted (highest ROI first)
    s = small["bundle"].evaluation.roi.result.summary.sort_values("roi_pct", ascending=False)
    from workbook.core.i18n import fmt_rupiah

    assert fmt_rupiah(s["costs"].iloc[0], "id") in text
    # English second, with lang en
    en, _, _ = _report(small["bundle"], tmp_path, "en")
    assert "Return on investment (ROI)" in en and "Intangible benefits" in en and "Pengembalian investasi" not in en
    # unit reports (agency-wide programmes) carry no ROI section
    from workbook.report.render import build_document, render_html

    unit = _text(render_html(build_document(small["bundle"], "BKPSDM")))
    assert "Pengembalian investasi (ROI)" not in unit


def test_no_roi_files_no_section_one_line_in_chapter_one(small, tmp_path):
    def drop(d: Path) -> None:
        for f in ROI_FILES:
            (d / f).unlink()

    d, ev = _variant(small, "tanpa_roi", drop)
    assert ev.roi.status == "absent" and ev.roi.result is None
    agg = Path(ev.ctx.output_dir) / str(ev.ctx.year) / "03_evaluation"
    assert not (agg / "roi.parquet").exists()
    bundle = replace(small["bundle"], evaluation=replace(ev, ctx=small["bundle"].ctx))
    text, sheets, doc = _report(bundle, tmp_path)
    assert "Pengembalian investasi (ROI)" not in text
    assert not any("ROI" in s for s in sheets)
    ch1 = next(c for c in doc.chapters if c.id == "bab1")
    data_sec = next(s for s in ch1.sections if s.id == "s1-4")
    line = [b.content for b in data_sec.blocks if "ROI" in str(b.content)]
    assert line == ["ROI (metodologi Phillips) tidak dihitung: berkas opsional roi_biaya.csv dan roi_manfaat.csv "
                    "(dengan roi_konversi.csv untuk nilai rupiah) tidak ada di folder data."]
    en, _, _ = _report(bundle, tmp_path, "en")
    assert "ROI (Phillips methodology) was not computed" in en


def test_rerun_without_inputs_removes_stale_roi_artefacts(small):
    d = small["root"] / "basi" / "data"
    shutil.copytree(small["data"], d)
    ctx = open_context(data_dir=str(d), output_dir=str(small["root"] / "basi" / "out"), interactive=False)
    run_data_check(ctx)
    run_evaluation(ctx)
    agg = Path(ctx.output_dir) / str(ctx.year) / "03_evaluation"
    assert (agg / "roi.parquet").is_file()
    for f in ROI_FILES:
        (d / f).unlink()
    run_data_check(ctx)
    assert run_evaluation(ctx).roi.status == "absent"
    assert not list(agg.glob("roi*.parquet"))


def test_messy_roi_files_read_like_clean_ones(small):
    """';' separators, decimal commas, Rupiah with dots, an Excel 'sep=;' line: the same ROI."""
    def messy(d: Path) -> None:
        for f in ROI_FILES:
            df = pd.read_csv(d / f, dtype=str, keep_default_na=False)
            for c in df.columns:
                if c in ("biaya", "nilai_per_satuan"):
                    df[c] = ["Rp " + f"{int(v):,}".replace(",", ".") for v in df[c]]
                elif c in ("perubahan", "kontribusi", "keyakinan", "perubahan_pembanding", "proyeksi_tren"):
                    df[c] = [v.replace(".", ",") for v in df[c]]
            (d / f).write_text("sep=;\n" + df.to_csv(sep=";", index=False), encoding="cp1252", errors="replace")

    _, ev = _variant(small, "berantakan", messy)
    clean = small["bundle"].evaluation.roi.result
    assert ev.roi.status == "computed", ev.roi.message_en
    pd.testing.assert_frame_equal(ev.roi.result.summary, clean.summary)


def test_bad_roi_input_is_located_in_validate_stage_and_report(small, tmp_path):
    def bad(d: Path) -> None:
        m = pd.read_csv(d / "roi_manfaat.csv", dtype=str, keep_default_na=False)
        i = int(m.index[m["isolasi"] == "estimasi"][0])
        m.loc[i, "kontribusi"] = "1,5"  # a share above 1
        m.to_csv(d / "roi_manfaat.csv", index=False)
        row = i + 2  # header is row 1
        (d / "BARIS").write_text(str(row))

    d, ev = _variant(small, "rusak", bad)
    row = int((d / "BARIS").read_text())
    (d / "BARIS").unlink()
    # workbook validate: exit 1, the located line, no traceback, in both languages
    for lang, words in (("id", "KESALAHAN [out_of_range] | berkas roi_manfaat.csv | baris"),
                        ("en", "ERROR [out_of_range] | file roi_manfaat.csv | row")):
        r = subprocess.run([sys.executable, "-m", "workbook.cli", "validate", str(d), "--lang", lang],
                           capture_output=True, text=True, cwd=tmp_path, timeout=300)
        assert r.returncode == 1 and "Traceback" not in r.stdout + r.stderr
        assert f"{words} {row} | " in r.stdout and "kontribusi" in r.stdout and "0–1" in r.stdout, r.stdout
    # the evaluation stage goes on and says, located, why there is no ROI
    assert ev.roi.status == "invalid" and ev.roi.result is None
    assert f"berkas roi_manfaat.csv, baris {row}, kolom kontribusi" in ev.roi.message_id
    assert f"file roi_manfaat.csv, row {row}, column kontribusi" in ev.roi.message_en
    assert "diharapkan 0–1" in ev.roi.message_id and "workbook validate" in ev.roi.message_id
    bundle = replace(small["bundle"], evaluation=replace(ev, ctx=small["bundle"].ctx))
    text, sheets, _ = _report(bundle, tmp_path)
    assert "Pengembalian investasi (ROI)" not in text and not any("ROI" in s for s in sheets)
    assert "ROI tidak dihitung: data ROI memuat 1 kesalahan" in text and "Traceback" not in text


def test_roi_benefits_without_costs_and_missing_isolation_columns_are_located(small, tmp_path):
    from workbook.ingest.validate import validate

    def no_costs(d: Path) -> None:
        (d / "roi_biaya.csv").unlink()

    d, ev = _variant(small, "tanpa_biaya", no_costs)
    rep = validate(d)
    miss = [p for p in rep.errors if p.code == "missing_file" and p.file == "roi_biaya.csv"]
    assert len(miss) == 1 and "roi_manfaat.csv" in miss[0].message("id")
    assert ev.roi.status == "invalid" and "roi_biaya.csv" in ev.roi.message_id

    def no_trend(d: Path) -> None:
        m = pd.read_csv(d / "roi_manfaat.csv", dtype=str, keep_default_na=False)
        m.loc[m["isolasi"] == "tren", "proyeksi_tren"] = ""
        m.to_csv(d / "roi_manfaat.csv", index=False)

    d2 = small["root"] / "tanpa_tren"
    shutil.copytree(small["data"], d2)
    no_trend(d2)
    probs = [p for p in validate(d2).errors if p.file == "roi_manfaat.csv"]
    row = 2 + int(pd.read_csv(d2 / "roi_manfaat.csv")["isolasi"].eq("tren").to_numpy().nonzero()[0][0])
    assert [(p.code, p.row, p.column) for p in probs] == [("required_blank", row, "proyeksi_tren")]
    assert "isolasi 'tren' memerlukan kolom proyeksi_tren" in probs[0].message("id")
    assert "isolation 'tren' needs the column proyeksi_tren" in probs[0].message("en")
