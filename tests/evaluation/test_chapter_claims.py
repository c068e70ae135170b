"""Chapters V–VI as a statistician reads them (issue #18, the reader's review of the sample):
every sentence claims only what its test supports.

- a contradiction bullet says the Level 3 ratings "naik signifikan" only when the Level 3 test is
  significant after Holm, else "tidak terbukti";
- a DiD whose smallest attainable permutation p is ≥ α is said to be unable to reach
  significance, not "0 signifikan" (oracle: 1/C(n, n₁) by enumeration of every assignment);
- a Level 4 change is "membaik" only with a significant DiD for a trained unit, else "tanpa bukti";
- the 20-JP follow-up counts PNS only, over the unit's PNS, and agrees with the needs chapter's
  20-JP baseline (one source of truth);
- a negative Cronbach α is printed as words with a note; ROI is reported only after the L2 → L3 → L4
  chain ("ROI tidak dihitung" with the missing links otherwise; the figures only as an appendix illustration);
- the figures mark what cannot carry a conclusion and keep their legends outside the points; the
  unit report labels agency-wide figures and points to the agency report's appendix.

Rules of the plan are checked on the sample and on agency B (``tests/conftest.py``).
"""

from __future__ import annotations

import re
import shutil
from itertools import combinations
from math import comb

import numpy as np
import pandas as pd
import pytest

from workbook.core.context import open_context
from workbook.core.i18n import fmt_percent
from workbook.evaluation import followup as fu
from workbook.evaluation import report as er
from workbook.evaluation import roi_report
from workbook.evaluation import verdicts as verdicts_mod
from workbook.evaluation.impact_did import min_attainable_p, permutation_p
from workbook.evaluation.stage import shown_level1, shown_level2, shown_level3

AGENCIES = ["sample_run", "agency_b_run"]


def _res(request, which):
    return request.getfixturevalue(which)["evaluation"]


# --------------------------------------------------------------------------------------------
# crafted data
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, n1", [(5, 4), (5, 1), (4, 2), (6, 3), (13, 1), (7, 3)])
def test_min_attainable_p_is_the_smallest_p_over_every_assignment(n, n1):
    # oracle: enumerate every assignment of n1 trained labels and take the most extreme data the
    # design allows — a change of 1 in exactly the trained units (distinct sums elsewhere)
    rng = np.random.default_rng(n * 10 + n1)
    best = 1.0
    for trained in combinations(range(n), n1):
        tr = np.zeros(n, bool)
        tr[list(trained)] = True
        for _ in range(3):
            changes = np.where(tr, 10.0, 0.0) + rng.normal(0, 1e-3, n)
            best = min(best, permutation_p(changes, tr)[0])
    expected = (2 if 2 * n1 == n else 1) / comb(n, n1)
    assert min_attainable_p(n, n1, "exact", comb(n, n1)) == pytest.approx(expected)
    assert best == pytest.approx(expected)


def test_min_attainable_p_monte_carlo_and_the_sample_design():
    assert min_attainable_p(30, 10, "monte_carlo", 9999) == pytest.approx(1e-4)
    assert min_attainable_p(5, 4, "exact", 5) == pytest.approx(0.2)  # the sample: 4 trained, 1 comparison


def test_jp_follow_up_counts_pns_only_over_the_units_pns():
    peg = pd.DataFrame({"pegawai_id": [f"P{i}" for i in range(10)],
                        "kode_unit": ["U1"] * 6 + ["U2"] * 4,
                        "status": ["PNS", "PNS", "PNS", "PPPK", "PPPK", "CPNS", "PNS", "PNS", "PPPK", "PNS"]})
    # every one below 20 JP except P2 (PNS, U1) and P9 (PNS, U2)
    jp = pd.DataFrame({"pegawai_id": peg["pegawai_id"], "kode_unit": peg["kode_unit"], "status": peg["status"],
                       "jp_total": [0, 5, 30, 0, 3, 0, 1, 2, 0, 25], "jp_target": 20.0})
    jp["reached"] = jp["jp_total"] >= 20
    lst = fu.still_below_standard(None, None, jp, None, pegawai=peg)
    # PPPK (a cap of 24 JP, no minimum) and CPNS (Latsar year) are never a 20-JP shortfall
    assert set(lst["pegawai_id"]) == {"P0", "P1", "P6", "P7"}
    out = fu.followup_counts_by_unit(lst, peg, settings=None).set_index("kode_unit")
    # U1: 2 of its 3 PNS (not of its 6 staff); U2: 2 of its 3 PNS — n = 2 < k is hidden, the base is not
    assert out.loc["U1", "base"] == "pns" and out.loc["U1", "n_base"] == 3 and out.loc["U1", "n_pegawai"] == 6
    assert out.loc["U2", "n_base"] == 3
    # without a status column the old base (the headcount) stays
    out2 = fu.followup_counts_by_unit(lst, peg.drop(columns="status")).set_index("kode_unit")
    assert out2.loc["U1", "base"] == "pegawai" and out2.loc["U1", "n_base"] == 6


def test_post_test_failures_are_a_share_of_the_units_test_takers():
    """Only people who sat the test can fail it (issue #18, Tabel 6.1: 71 of RSUD's 148 staff)."""
    peg = pd.DataFrame({"pegawai_id": [f"P{i}" for i in range(10)], "kode_unit": ["U1"] * 10})
    # 4 sat the post-test (P0–P3), P3 without a pre-test; P0, P1 and P3 failed it
    tests = pd.DataFrame({"pegawai_id": ["P0", "P1", "P2", "P3"], "skor_pre": [40, 50, 60, None],
                          "skor_post": [50, 55, 90, 40]})
    lst = pd.DataFrame({"pegawai_id": ["P0", "P1", "P3", "P0", "P1"], "kode_unit": "U1",
                        "reason": ["post_test_rendah"] * 3 + ["gain_rendah"] * 2})
    out = fu.followup_counts_by_unit(lst, peg, tests=tests).set_index("reason")
    # 3 of the 4 test-takers (not 3 of 10 staff); N-Gain: 2 of the 3 with both scores
    assert out.loc["post_test_rendah", "base"] == "peserta_tes" and out.loc["post_test_rendah", "n_base"] == 4
    assert out.loc["gain_rendah", "n_base"] == 3
    assert fu.followup_counts_by_unit(lst, peg).set_index("reason").loc["post_test_rendah", "n_base"] == 10


@pytest.mark.parametrize("which", AGENCIES)
def test_follow_up_test_shares_use_the_units_test_takers(which, request):
    res = _res(request, which)
    l2 = res.tables["evaluasi_l2"]
    unit_of = res.tables["pegawai"].drop_duplicates("pegawai_id").set_index("pegawai_id")["kode_unit"]
    sat = l2[pd.to_numeric(l2["skor_post"], errors="coerce").notna()].drop_duplicates("pegawai_id")
    takers = sat["pegawai_id"].map(unit_of).value_counts()
    fu_ = res.followup_units
    rows = fu_[fu_["reason"] == "post_test_rendah"]
    assert len(rows)
    for r in rows.itertuples():
        assert r.base == "peserta_tes" and r.n_base == takers.get(r.kode_unit, 0)
        assert r.n_base <= r.n_pegawai
    if which == "sample_run":
        # RSUD: 71 of its 96 test-takers = 74,0 % (was "71 | 148 pegawai unit | 48,0 %")
        t = er.followup_table(res, "RSUD").set_index("Alasan tindak lanjut")
        row = t.loc["Skor post-test di bawah batas lulus"]
        assert row["Penyebut"] == f"{takers['RSUD']} peserta tes dari unit" and takers["RSUD"] == 96
        assert row["% dari penyebut"] == "74,0%"


# --------------------------------------------------------------------------------------------
# the chapter's claims on the sample and on agency B
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", AGENCIES)
def test_a_contradiction_claims_a_level3_rise_only_when_the_holm_test_supports_it(which, request):
    res = _res(request, which)
    l3 = shown_level3(res).set_index("program_id")
    alpha = float(res.ctx.settings["evaluation.alpha"])
    bullets = [b.replace("\\", "") for b in er._conflict_summary(res)]  # md_text escapes "-"
    for b in bullets:
        pid = re.search(r"PRG-\d+", b).group(0)
        sig = bool(l3.loc[pid, "p_adj"] < alpha and l3.loc[pid, "mean_diff"] > 0)
        assert ("naik signifikan secara statistik (d_av" in b) == sig, b
        assert ("tidak terbukti" in b) == (not sig or "L2) naik signifikan" in b), b
    if which == "sample_run":
        # the reviewer's case: PRG-011's L3 p Holm = 0,097 — no "naik (d_av = 0,65)" claim any more
        b11 = next(b for b in bullets if "PRG-011" in b)
        assert "tidak terbukti" in b11 and "p terkoreksi Holm = 0,097" in b11 and "naik (d_av" not in b11
        assert not any(b.startswith("- Pertentangan") for b in bullets)


@pytest.mark.parametrize("which", AGENCIES)
def test_did_p_min_is_the_design_bound_and_unreachable_tests_are_not_counted_as_zero(which, request):
    res = _res(request, which)
    d = res.did
    tested = d[d["p_val"].notna()] if len(d) else d
    for r in tested.itertuples():
        n = int(r.n_trained + r.n_control)
        if r.perm_method == "exact":
            assert r.p_min == pytest.approx((2 if 2 * r.n_trained == n else 1) / comb(n, int(r.n_trained)))
        assert r.p_val >= r.p_min - 1e-12
    text = "\n".join(er._l4_summary_lines(res))
    alpha = float(res.ctx.settings["evaluation.alpha"])
    if len(tested) and (tested["p_min"] >= alpha).all():
        assert "tidak ada uji yang dapat signifikan" in text and "menunjukkan selisih yang signifikan" not in text
    if which == "sample_run":
        assert "p permutasi terkecil yang dapat dicapai adalah 0,2" in text
        assert "tidak dapat signifikan dengan 5 unit" in er.did_markdown(res)


@pytest.mark.parametrize("which", AGENCIES)
def test_level4_says_membaik_only_with_a_significant_did(which, request):
    res = _res(request, which)
    l4 = res.level4[res.level4["indicator_kind"] == "hasil"]
    codes = er.l4_change_codes(res, l4)
    d = res.did
    sig = d[d["significant"].fillna(False).astype(bool)] if len(d) else d
    proven = {(u, r.indikator) for r in sig.itertuples() for u in str(r.units_trained).split(";") if u}
    for (u, ind), c in zip(zip(l4["kode_unit"], l4["indikator"], strict=True), codes, strict=True):
        assert (c in ("better_proven", "worse_proven")) == ((u, ind) in proven)
    table = er.level4_table(res)
    col = table.columns[list(table.columns).index("Arah perubahan")]
    assert not table[col].str.startswith("membaik").any() or len(proven)
    assert not table["Jenis"].eq("proses").any()  # 20-JP attainment has one source: chapter II
    summary = "\n".join(er._l4_summary_lines(res))
    assert "berubah tanpa bukti" in summary and "indikator hasil unit membaik" not in summary


@pytest.mark.parametrize("which", AGENCIES)
def test_the_20jp_follow_up_agrees_with_the_needs_baseline(which, request):
    run = request.getfixturevalue(which)
    res = run["evaluation"]
    base = pd.read_parquet(run.out / str(run.ctx.year) / "01_needs" / "jp_baseline_units.parquet")
    base = base[(base["status"] == "PNS") & ~base["suppressed"].astype(bool)].set_index("kode_unit")
    fu_u = res.followup_units
    jp = fu_u[(fu_u["reason"] == "jp_kurang") & ~fu_u["suppressed"].astype(bool)].set_index("kode_unit")
    assert len(jp) and (jp["base"] == "pns").all()
    both = jp.index.intersection(base.index)
    assert len(both)
    for u in both:
        assert jp.loc[u, "n_base"] == base.loc[u, "n"], u
        assert jp.loc[u, "n"] == base.loc[u, "n"] - base.loc[u, "n_reached"], u
    if which == "sample_run":  # the reviewer's RSUD row: 40 of 124 PNS, was 50 of 148 staff
        assert (jp.loc["RSUD", "n"], jp.loc["RSUD", "n_base"]) == (40, 124)
        row = er.followup_table(res, "RSUD").iloc[-1].tolist()
        assert row[2:] == ["40", "124 PNS unit (hak 20 JP)", "32,3%"]


def test_negative_alpha_is_printed_as_words_with_a_note(sample_run):
    res = sample_run["evaluation"]
    l1 = shown_level1(res)
    neg = int((pd.to_numeric(l1["cronbach_alpha"], errors="coerce") < 0).sum())
    assert neg > 0  # the sample has negative α (review W15)
    t1 = er.level1_table(res)
    col = t1["Alfa Cronbach"]
    assert not col.str.match(r"^-\d").any()
    assert int(col.eq("tidak dapat ditafsirkan (α < 0)").sum()) == neg
    # no category beside a negative α (issue #18: PRG-003 fasilitator 86,42 "Baik sekali" with α < 0)
    neg_rows = col.eq("tidak dapat ditafsirkan (α < 0)")
    assert t1.loc[neg_rows, "Kategori"].eq("").all() and t1.loc[~neg_rows, "Kategori"].ne("").any()
    assert f"pada {neg} aspek alfa Cronbach bernilai negatif" in er.level1_table_note(res)


@pytest.mark.parametrize("which", AGENCIES)
def test_level3_table_reads_the_holm_test_before_the_magnitude_and_pending_rows_have_no_means(which, request):
    """Tabel 5.2 (issue #18): no bare "sedang/besar" for a programme not significant after Holm; fewer
    than ``evaluation.test_min_pairs`` pairs flagged (Wilcoxon: p ≥ 2/2^5 = 0,0625 at n = 5); a
    pending programme shows no before/after mean (no "sesudah" yet; never a mean without its n)."""
    res = _res(request, which)
    d = shown_level3(res).reset_index(drop=True)
    table = er.level3_table(res)
    verdict, before, after = table["Kesimpulan"], table["Rata-rata sebelum"], table["Rata-rata sesudah"]
    min_n = int(res.ctx.settings["evaluation.test_min_pairs"])
    assert 2 / 2 ** (min_n - 1) > 0.05 >= 2 / 2 ** min_n  # the rule: the smallest n whose Wilcoxon p can be < 0,05
    alpha = float(res.ctx.settings["evaluation.alpha"])
    for i, r in d.iterrows():
        if r["suppressed"]:
            continue
        if r["status"] == "menunggu":
            assert before[i] == "–" and after[i] == "–" and verdict[i].startswith("belum diukur"), r["program_id"]
            continue
        if pd.isna(r["p_adj"]):
            continue
        sig = r["p_adj"] < alpha
        assert verdict[i].startswith("Naik signifikan" if sig and r["mean_diff"] > 0 else "Tidak"), r["program_id"]
        assert ("uji Wilcoxon tidak dapat mencapai p < 0,05" in verdict[i]) == (r["n"] < min_n), r["program_id"]
    if which == "sample_run":
        by = dict(zip(d["program_id"], verdict, strict=True))
        for pid in ("PRG-011", "PRG-015", "PRG-021"):  # p Holm 0,097 / 0,21 / 0,21 with a d_av interval above 0,2
            assert by[pid].startswith("Tidak signifikan secara statistik setelah koreksi Holm, walau"), pid
        assert "n = 5 < 6" in by["PRG-042"]
        i12 = int(d.index[d["program_id"] == "PRG-012"][0])  # was 2,63 → 3,39 with n "–"
        assert before[i12] == after[i12] == "–"


@pytest.mark.parametrize("which", AGENCIES)
def test_did_with_a_single_unit_group_has_no_interval_and_zero_participants_are_named(which, request):
    """A Welch interval needs each group's variance: with one comparison (or trained) unit it is
    undefined, so none is printed (issue #18: the sample's −3,97 to 6,82 borrowed the trained
    units' variance); a linked unit of the comparison group had 0 participants, an excluded one 1 to k − 1."""
    res = _res(request, which)
    d = res.did[res.did["indicator_kind"] != "proses"]
    d = d.assign(_n=d["n_trained"] + d["n_control"]).sort_values(["_n", "indikator"], ascending=[False, True],
                                                                   kind="stable").reset_index(drop=True)
    table = er.did_table(res)
    md = er.did_markdown(res).replace("\\", "")
    for i, r in d.iterrows():
        single = min(r["n_trained"], r["n_control"]) == 1
        if single:
            assert table.loc[i, "SK bawah"] == "–" and table.loc[i, "SK atas"] == "–", r["indikator"]
            assert "satu unit dalam satu kelompok" in table.loc[i, "Keterangan"]
        elif r["n_trained"] >= 2 and r["n_control"] >= 2 and r["ci_low"] == r["ci_low"]:
            assert table.loc[i, "SK bawah"] != "–"
    assert "(atau kurang dari" not in md
    for r in d[d["link_mismatch"].astype(bool)].itertuples():
        excl = set(str(r.units_excluded or "").split(";"))
        for u in (x for x in str(r.units_linked_untrained or "").split(";") if x):
            key = "pesertanya hanya 1–" if u in excl else "tidak ada pegawainya yang ikut (0 peserta)"
            line = next(x for x in md.splitlines() if x.startswith(f"- **{r.indikator}**:"))
            assert key in line and u in line, (r.indikator, u)
    if which == "sample_run":
        row = d.index[d["indikator"] == "Persentase layanan berbasis elektronik (%)"][0]
        assert d.loc[row, "n_control"] == 1 and table.loc[row, "SK bawah"] == "–"
        assert "-3,97" not in md and "selang kepercayaan tidak dihitung" in md
        assert "ditautkan ke PRG-012 tetapi tidak ada pegawainya yang ikut (0 peserta): DISDUKCAPIL" in md


@pytest.mark.parametrize("which", AGENCIES)
def test_level2_table_shows_the_test_used_and_its_unadjusted_p_as_the_conventions_say(which, request):
    """The conventions say the p before and after correction are shown (issue #18: Tabel 5.1 had only
    the Holm p): the p cell gives the unadjusted p, the Holm p and the test (paired t or Wilcoxon)."""
    res = _res(request, which)
    assert "beserta nilai p-nya sebelum dan sesudah koreksi" in er.conventions_markdown(res)
    shown = shown_level2(res).reset_index(drop=True)
    col = er.level2_table(res)["p tanpa koreksi; p Holm (uji)"]
    names = {"t": "t berpasangan", "wilcoxon": "Wilcoxon"}
    for i, r in shown.iterrows():
        if r["suppressed"] or pd.isna(r["p_val"]):
            assert "(" not in col[i] or col[i].startswith("disembunyikan")
            continue
        p = r["p_val"]
        raw = "< 0,001" if p < 0.001 else f"{p:.3f}".replace(".", ",")
        assert col[i].startswith(raw + "; ") and col[i].endswith(f" ({names[r['method']]})"), (r["program_id"], col[i])
        assert r["p_adj"] >= p  # Holm never lowers a p


@pytest.mark.parametrize("which", AGENCIES)
def test_level2_n_gain_is_hakes_class_g_from_the_unrounded_class_means(which, request):
    """Hake (1998): ⟨g⟩ = (⟨post %⟩ − ⟨pre %⟩) / (100 − ⟨pre %⟩) — the table's header says so and the
    figure is computed from the raw scores (issue #18: PRG-007 91,9 → 95,2 gives 0,42 from the unrounded
    means 91,875 → 95,25, not from the rounded ones)."""
    res = _res(request, which)
    assert res.ctx.settings["ngain.effectiveness_feeds"] == "class"
    raw = res.tables["evaluasi_l2"]
    shown = shown_level2(res).reset_index(drop=True)
    col = er.level2_table(res)["N-Gain kelas Hake (kategori)"]
    checked = 0
    for i, r in shown.iterrows():
        if r["suppressed"] or pd.isna(r["g_class"]):
            continue
        x = raw[raw["program_id"] == r["program_id"]].dropna(subset=["skor_pre", "skor_post"])
        pre = (x["skor_pre"] / x["skor_maks"] * 100).mean()
        post = (x["skor_post"] / x["skor_maks"] * 100).mean()
        g = (post - pre) / (100 - pre)
        assert r["g_class"] == pytest.approx(g, abs=1e-9), r["program_id"]
        assert col[i].startswith(f"{g:.2f}".replace(".", ",") + " ("), (r["program_id"], col[i], g)
        checked += 1
    assert checked
    if which == "sample_run":
        r7 = shown.index[shown["program_id"] == "PRG-007"][0]
        assert shown.loc[r7, "pre_mean_pct"] == pytest.approx(91.875) and shown.loc[r7, "post_mean_pct"] == pytest.approx(95.25)
        assert col[r7] == "0,42 (sedang)"  # 3,375 / 8,125 = 0,4154


@pytest.mark.parametrize("which", AGENCIES)
def test_roi_is_reported_only_after_the_l2_l3_l4_chain_and_never_as_a_headline_otherwise(which, request):
    """Phillips & Phillips (2016): ROI only after learning (L2), application (L3) and an isolated
    result (L4) are shown; otherwise "ROI tidak dihitung" with the missing links (issue #18)."""
    res = _res(request, which)
    if not res.roi.computed:
        pytest.skip("no ROI inputs")
    chain = roi_report.chain_support(res)
    ok = roi_report.roi_supported(res)
    md = roi_report.roi_markdown(res).replace("\\", "")  # md_text escapes "-"
    table = roi_report.roi_table(res).set_index("Program")
    for r in res.roi.result.summary.itertuples():
        pid = r.program_id
        full = chain[pid] == ("up", "up", "up")
        assert (pid in ok) == full
        assert (f"({pid}): rantai bukti belum lengkap" in md) == (not full), pid
        # no ROI figure of a programme without the chain in the chapter's words or table
        roi_words = f"ROI {fmt_percent(r.roi_pct / 100, 'id', 1)}"
        assert (roi_words in md) == full, pid
        assert (table.loc[pid, "ROI"] == "tidak dihitung") == (not full)
    # the illustration keeps every programme's figures, for the appendix
    assert len(roi_report.roi_illustration_table(res)) == len(res.roi.result.summary)
    if which == "sample_run":
        # PRG-011: L2 and L3 not significant after Holm, no difference in differences → no ROI 49,7 %
        assert chain["PRG-011"] == ("not_shown", "not_shown", "none")
        # PRG-012: L3 pending (measured too early) → no ROI 5,5 %; PRG-005: L2 and L3 up, no L4 comparison
        assert chain["PRG-012"][1] == "pending" and chain["PRG-005"] == ("up", "up", "none")
        assert ok == [] and "49,7%" not in md and "5,5%" not in md
        assert table.loc["PRG-011", "Bukti L2 / L3 / L4"] == \
            "L2: tidak terbukti; L3: tidak terbukti; L4: tidak ada perbandingan"
        # the comparison-group isolation of PRG-011 has no comparison in the data; the 4,2-point note is untested
        assert "kelompok pembanding (data kelompok pembanding tidak disertakan" in md
        assert "catatan instansi, belum diuji: survei kepuasan pasien RSUD naik 4,2 poin" in md


@pytest.mark.parametrize("which", AGENCIES)
def test_figures_mark_what_cannot_carry_a_conclusion_and_keep_legends_outside(which, request):
    res = _res(request, which)
    s = res.ctx.settings
    fig = er.level1_figure(res)
    ax = fig.axes[0]
    assert ax.get_legend() is None and fig.legends  # the legend is the figure's, below the plot
    d = shown_level1(res)
    d = d[~d["suppressed"] & d["pct_of_max"].notna()]
    weak = d["reliability"].astype(str).isin(["inadequate", "too_few", "not_computable"]) | (d["n"] < s["evaluation.alpha_min_n"])
    hollow = sum(len(c.get_offsets()) for c in ax.collections if "tidak dapat ditafsirkan" in c.get_label())
    assert hollow == int(weak.sum())
    f2 = er.forest_figure(res)
    assert f2.axes[0].get_legend() is None and f2.legends
    labels = [x.get_text().replace("\n", " ") for x in f2.axes[0].get_yticklabels()]
    names = res.programme_names()
    assert all(lab.split(" ", 1)[1] == names[lab.split(" ", 1)[0]] for lab in labels)  # never cut
    shown = shown_level2(res)
    n_shown = int((~shown["suppressed"] & shown["d_av"].notna()).sum())
    c = verdicts_mod.holm_counts(res.level2)
    assert f"{n_shown} dari {c['tested']} program yang diuji" in er.forest_caption(res)
    assert "tanpa koreksi" in er.forest_caption(res)
    small = int(((shown["n"] < s["evaluation.test_min_pairs"]) & ~shown["suppressed"] & shown["d_av"].notna()).sum())
    from matplotlib.collections import PathCollection

    n_hollow = sum(1 for c_ in f2.axes[0].collections if isinstance(c_, PathCollection)
                   and len(c_.get_facecolors()) and np.allclose(c_.get_facecolors()[:, :3], 1.0))
    assert n_hollow == small


@pytest.fixture(scope="module")
def documents(sample_run, tmp_path_factory):
    """The agency report and the RSUD report of the sample (HTML text, Indonesian)."""
    import html as _html

    from workbook.report.bundle import load_bundle
    from workbook.report.render import build_document, render_html

    d = tmp_path_factory.mktemp("chapter_claims")
    shutil.copytree(sample_run.out, d, dirs_exist_ok=True)
    bundle = load_bundle(open_context(output_dir=str(d), interactive=False))

    def text(h):
        h = re.sub(r"<style.*?</style>|<img[^>]*>", "", h, flags=re.S)
        return _html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", h)))

    return {u: text(render_html(build_document(bundle, u))) for u in (None, "RSUD")}


def test_unit_report_labels_agency_figures_and_points_to_the_agency_appendix(documents):
    unit, agency = documents["RSUD"], documents[None]
    assert len(re.findall(r"Gambar 5\.\d\. Seluruh instansi \(bukan hanya unit ini\): ", unit)) == 2  # 5.1, 5.2
    assert "ada di Lampiran B laporan instansi" in unit
    assert "Rincian Level 1 per program dan aspek ada di Lampiran B." in agency
    assert "Seluruh instansi (bukan hanya unit ini)" not in agency


def test_the_20jp_process_indicator_points_to_the_needs_table_with_its_figure(documents):
    for u, doc in documents.items():
        m = re.search(r"Tabel (2\.\d+)\. Capaian 20 JP tahun 2026", doc)
        assert m, u
        note = re.search(r"Indikator proses “[^”]+” tidak dimuat di tabel ini: .*?satu angka saja\.", doc).group(0)
        assert f"Tabel {m.group(1)}" in note, (u, note)
    assert "(67,7% PNS unit ini mencapai 20 JP pada tahun 2026)" in documents["RSUD"]
