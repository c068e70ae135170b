"""Chapter II as a statistician reads it (issue #18, branch needs-chapter): no published count of
the chapter gives a hidden one back by subtraction (unit × status, performance, response), the
20-JP figures of the staff overview are the PNS', the unit report says its status mix in a
sentence, the JP distribution is the PNS', JPM and its cut are explained, duplicates are a
sentence without file names, the old-SKP column has its note, and the profile figure and table
name the competencies at a printable size.

Expected figures on the sample were counted from ``data_samples/contoh/pegawai.csv`` and
``realisasi_pengembangan.csv`` by hand (pandas one-liners in the comments), not read from this code.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from _audit import recovered

from workbook.core.suppression import suppress_crosstab
from workbook.ingest import report as ir
from workbook.needs import report as nr
from workbook.needs import report_gap as rg
from workbook.needs.stage import shown_performance_units, shown_recaps, status_cells

STATUSES = ["PNS", "CPNS", "PPPK"]


@pytest.fixture(params=["sample", "agency_b"])
def run(request):
    return request.getfixturevalue("sample_run" if request.param == "sample" else "agency_b_run")


# ------------------------------------------------------------------------------------------
# the attacker's audit: nothing hidden comes back from the chapter's published counts
# ------------------------------------------------------------------------------------------

def _status_grid(run):
    """Unit × status: the true counts and what the chapter publishes of each cell (the staff
    overview's cross-tab, the unit reports' 20-JP rows, the PNS count of the overview)."""
    peg = run["ingest"].tables["pegawai"]
    true = pd.crosstab(peg["kode_unit"].astype(str), peg["status"].astype(str)).reindex(columns=STATUSES,
                                                                                         fill_value=0)
    shown = pd.DataFrame(np.nan, index=true.index, columns=true.columns)
    st = run["ingest"].status_by_unit
    base = shown_recaps(run["needs"])["jp_baseline_units"]
    units = run["ingest"].units.assign(status="PNS", n=run["ingest"].units["n_jp_target"])
    for src in (st, base, units):
        for u, s_, n in zip(src["kode_unit"], src["status"], src["n"], strict=True):
            if s_ in STATUSES and n == n:
                assert n == true.loc[u, s_], (u, s_)           # every source prints the true count
                shown.loc[u, s_] = n
    return true, shown


def test_no_subtraction_recovers_a_hidden_status_count(run):
    # published totals: each unit's headcount (overview table) and each status' agency total
    # (20-JP table of the agency report); the reader bounds every hidden cell by linear programming
    true, shown = _status_grid(run)
    hidden = shown.isna().to_numpy()
    assert hidden.any()                                         # something is hidden on both agencies
    assert recovered(true.to_numpy(), hidden) == []


def test_the_sample_unit_that_leaked_its_cpns_keeps_them_hidden(sample_run):
    # RSUD: 148 staff, 124 PNS, 3 CPNS, 21 PPPK (pegawai.csv). Before: PNS 124 and PPPK 21 printed,
    # so CPNS = 148 − 124 − 21 = 3. Now one of the two is hidden with the CPNS.
    true, shown = _status_grid(sample_run)
    assert list(true.loc["RSUD"]) == [124, 3, 21]
    assert shown.loc["RSUD"].isna().sum() >= 2


@pytest.mark.parametrize("col,total", [("n", "n"), ("n_missing", "n_missing"), ("n_below", "n_below"),
                                       ("n_behaviour", "n_behaviour")])
def test_no_subtraction_recovers_a_hidden_performance_count(run, col, total):
    # the chapter prints the agency totals (n with predikat, without, gap, Kurang/Misconduct) in
    # sentences next to the unit table: one column with its total published
    res = run["needs"]
    raw = res.performance_units.set_index("kode_unit")[col].to_numpy(dtype=float)[:, None]
    shown = shown_performance_units(res)[col].to_numpy(dtype=float)[:, None]
    assert recovered(raw, np.isnan(shown), rows=False) == []


def test_no_subtraction_recovers_hidden_respondents(run):
    res = run["needs"]
    ru = res.recaps["response_units"]
    shown = shown_recaps(res)["response_units"]["n_respondents"].to_numpy(dtype=float)[:, None]
    raw = ru["n_respondents"].to_numpy(dtype=float)[:, None]
    assert recovered(raw, np.isnan(shown), rows=False) == []


def test_audit_catches_the_subtraction_the_statistician_did():
    # the audit itself: RSUD's row as it was printed (CPNS hidden alone) gives 3 back; a single
    # hidden 0 % next to a total too; a hidden pair does not
    assert recovered(np.array([[124, 3, 21]]), np.array([[False, True, False]]), cols=False) == [(0, 1)]
    assert recovered(np.array([[2], [0], [5]]), np.array([[False], [True], [False]]), rows=False) == [(1, 0)]
    assert recovered(np.array([[2], [1], [5]]), np.array([[False], [True], [True]]), rows=False) == []


def test_crosstab_zero_is_the_complement_of_last_resort():
    # KESBANGPOL: 0 CPNS, 7 PNS, 0 PPPK with k = 8 → PNS hidden; with only zeros beside it the
    # headcount 7 gave it back (7 − 0 − 0), so a zero is hidden too
    ct = pd.DataFrame({"CPNS": [0, 9, 14], "PNS": [7, 195, 300], "PPPK": [0, 42, 55]}, index=["K", "D", "E"])
    out = suppress_crosstab(ct, k=8)
    assert np.isnan(out.loc["K", "PNS"]) and out.loc["K"].isna().sum() >= 2
    assert recovered(ct.to_numpy(), out.isna().to_numpy()) == []


# ------------------------------------------------------------------------------------------
# the staff overview: PNS only for the 20 JP; the unit's status mix as a sentence
# ------------------------------------------------------------------------------------------

def test_overview_20_jp_is_the_pns(sample_run):
    dc = sample_run["ingest"]
    # pegawai.csv + realisasi_pengembangan.csv: 635 of 968 PNS reached 20 JP (65,6 %); RSUD 84 of 124
    assert "65,6% PNS" in " ".join(ir.headline(dc)) and "PNS dan CPNS" not in " ".join(ir.headline(dc))
    table = ir.units_table(dc, "RSUD")
    assert table["% PNS mencapai 20 JP"].iloc[0] == "67,7%"
    assert "67,7%" in ir.unit_overview_sentences(dc, "RSUD")[-1]
    assert "PNS/CPNS" not in " ".join(ir.unit_overview_sentences(dc, "RSUD"))


def test_unit_status_is_a_sentence_of_the_published_counts(run):
    dc = run["ingest"]
    cells = status_cells(dc.tables["pegawai"], run.ctx.settings)
    for unit in dc.units["kode_unit"]:
        text = ir.status_sentence(dc, unit)
        mine = cells[cells["kode_unit"] == unit]
        for st_, n in zip(mine["status"], mine["n"], strict=True):
            if n == n and n > 0:
                assert f"{st_} {int(n):,}".replace(",", ".") in text
            elif n != n:
                assert st_ in text and "disembunyikan" in text


def test_sample_rsud_status_sentence(sample_run):
    text = ir.status_sentence(sample_run["ingest"], "RSUD")
    assert text.startswith("Menurut status kepegawaian: PNS 124;") and "21" not in text and " 3" not in text


def test_jp_distribution_counts_the_pns_only(run):
    dc = run["ingest"]
    peg = dc.tables["pegawai"]
    fig = ir.figures(dc)["fig.jp_distribution"]
    heights = sum(p.get_height() for p in fig.axes[0].patches)
    assert heights == int((peg["status"] == "PNS").sum())       # sample: 968 PNS, not 1.200 staff


# ------------------------------------------------------------------------------------------
# words: JPM, duplicates, the old-SKP column
# ------------------------------------------------------------------------------------------

def test_jpm_cut_is_explained_with_its_source(sample_run):
    res = sample_run["needs"]
    text = rg.jpm_explanation(res)
    assert "Job Person Match" in text and '"% JPM < 78"' in text and "Kurang Optimal" in text
    assert "Peraturan BRIN 3/2023 Pasal 33" in text and "[S" not in text and "jpm." not in text
    uji = res.ctx.settings.with_overrides({"jpm.convention": "uji"})
    other = rg.jpm_explanation(dataclasses.replace(res, ctx=dataclasses.replace(res.ctx, settings=uji)))
    assert '"% JPM < 68"' in other and "Kurang Memenuhi Syarat" in other


def test_duplicates_are_a_sentence_without_file_names(sample_run):
    text = rg.quality_sentences(sample_run["needs"])[0]
    # survei_pegawai.csv of the sample holds 10 earlier submissions of the same employee
    assert text.startswith("10 isian ganda di survei AKPK pegawai dibuang")
    assert ".csv" not in text and "survei_pegawai" not in text


def test_old_skp_column_is_named_and_explained(sample_run):
    res = sample_run["needs"]
    cols = list(rg.performance_unit_table(res).columns)
    assert cols[-1] == "Realisasi di bawah target (SKP format lama)" and "tambahan" not in cols[-1]
    assert "tidak dipakai untuk kesenjangan kinerja" in rg.t("needs.gap.ratio_note", "id")


# ------------------------------------------------------------------------------------------
# the profile figure and table: names, printable size
# ------------------------------------------------------------------------------------------

def test_profile_figure_names_competencies_at_print_size(sample_run):
    res = sample_run["needs"]
    fig = nr.profile_figure(res)
    ax = fig.axes[0]
    labels = [x.get_text() for x in ax.get_yticklabels()]
    assert "Pelayanan Kesehatan" in labels and not any(lab.startswith(("M.", "T.", "SK.")) for lab in labels)
    w, h = fig.get_size_inches()
    # drawn at 110 dpi, shown at 96 px per inch unless capped at 165 × 150 mm (report.css)
    scale = 110 / 96
    assert w * scale * 25.4 <= 165 and h * scale * 25.4 <= 150
    sizes = [t.get_fontsize() for t in ax.texts] + [x.get_fontsize() for x in ax.get_yticklabels()]
    assert min(sizes) * scale >= 8


def test_profile_table_suggests_areas_by_name(sample_run):
    cards = nr.profile_cards(sample_run["needs"])
    areas = " ".join(cards.iloc[:, -1])
    assert "Pelayanan Kesehatan" in areas and "T.03" not in areas


# ------------------------------------------------------------------------------------------
# issue #18, the statistician's last findings on chapter II
# ------------------------------------------------------------------------------------------

def test_largest_gap_gives_its_counts_nonresponse_bounds_and_rating_sources(run):
    """"74,9 % of those assessed" is said with its counts, Manski's worst-case bounds over the staff
    the competency applies to, and the sources the levels pool (sample: 215 of 287 assessed out of
    324 → 66 % to 78 %)."""
    res = run["needs"]
    md = nr.summary_markdown(res).replace("\\", "")
    line = next(x for x in md.splitlines() if x.startswith("- Kesenjangan terbesar"))
    uc = res.unit_competency
    by = uc.groupby("kode_kompetensi")[["n_below", "n_assessed", "n_staff"]].sum()
    by = by[by["n_assessed"] > 0]
    top = (by["n_below"] / by["n_assessed"]).idxmax()
    b, a, n = (int(by.loc[top, c]) for c in ("n_below", "n_assessed", "n_staff"))
    if n > a:
        lo, hi = round(100 * b / n), round(100 * (b + n - a) / n)
        assert f"{b} dari {a} yang dinilai; {n - a} dari {n:,}".replace(",", ".") in line
        assert f"antara {lo}% dan {hi}%" in line
    g = res.gaps[(res.gaps["kode_kompetensi"] == top) & res.gaps["level_actual"].notna()]
    share = g["level_source"].value_counts(normalize=True)
    words = {"atasan": "penilaian atasan", "asesmen": "asesmen", "diri": "penilaian diri"}
    for k, v in share.items():
        assert f"{words[k]} {100 * v:.1f}%".replace(".", ",") in line, k
    if str(res.ctx.data_dir).rstrip("/").endswith("contoh"):
        assert "215 dari 287 yang dinilai; 37 dari 324" in line and "antara 66% dan 78%" in line


def test_jpm_recap_shows_raw_and_capped_and_calls_an_uncategorised_cut_indicative(run):
    """DOMAIN.md §1.6: report the raw JPM and min(100, JPM); with no official category the
    "% JPM < 78" column is labelled indicative, not "Kurang Optimal"."""
    res = run["needs"]
    rec = res.recaps["jpm_recap"]
    rec = rec[rec["dimension"] == "kode_unit"].set_index("group")
    j = res.jpm.assign(_cap=np.minimum(res.jpm["jpm_pct"], 100.0))
    want = j.groupby("kode_unit")["_cap"].mean()
    for unit, v in want.dropna().items():
        assert rec.loc[unit, "mean_jpm_capped_pct"] == pytest.approx(v), unit
        assert rec.loc[unit, "mean_jpm_capped_pct"] <= min(100.0, rec.loc[unit, "mean_jpm_pct"]) + 1e-9
    table = rg.jpm_recap_table(res, "kode_unit")
    assert "Rata-rata JPM dibatasi 100 (%)" in table.columns
    indicative = int(rec["n_official"].sum()) == 0
    assert ("% JPM < 78 (indikatif)" in table.columns) == indicative
    text = rg.jpm_explanation(res)
    assert "dibatasi 100" in text and ("hanya indikatif" in text) == indicative
