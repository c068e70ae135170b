"""Presentation of stage 03: sentences, formatted tables and figures (aggregate, suppressed)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from workbook import evaluation, plots
from workbook.i18n import fmt_int, fmt_number, fmt_percent
from workbook.present import format_table
from workbook.stage_evaluation import EvaluationResult, shown_level1, shown_level2
from workbook.suppression import k_for, suppress_table

__all__ = ["summary_markdown", "forest_figure", "slope_figure", "level1_table", "level2_table",
           "level3_table", "level4_table", "followup_table", "maturity_markdown", "conventions_markdown"]

_T = {
    "id": {
        "title": "Temuan utama evaluasi",
        "l2": "Level 2 (pembelajaran): {sig} dari {n} program menunjukkan peningkatan yang signifikan (koreksi Holm atas seluruh {n} uji L2 tahun ini) dan {mean} bermakna (g_z ≥ {thr}).",
        "l1": "Level 1 (reaksi): rata-rata {pct} dari skor maksimum untuk fasilitator; {rec} peserta akan merekomendasikan programnya.",
        "l3": "Level 3 (perilaku): {done} program selesai diukur, {pend} masih menunggu (diukur {m1}–{m2} bulan setelah pelatihan).",
        "l4": "Level 4 (hasil): {imp} dari {n} indikator unit membaik. Perubahan ini deskriptif: tanpa kelompok pembanding tidak dapat dikaitkan dengan pelatihan.",
        "fu": "Tindak lanjut: {n} pegawai masih memerlukan tindak lanjut (rincian per unit di bawah; daftar nama hanya di keluaran terbatas).",
        "small": "{n} program dengan kurang dari {k} peserta disembunyikan dari tabel.",
    },
    "en": {
        "title": "Main findings of the evaluation",
        "l2": "Level 2 (learning): {sig} of {n} programmes show a significant gain (Holm correction across all {n} L2 tests of the year) and {mean} a meaningful one (g_z ≥ {thr}).",
        "l1": "Level 1 (reaction): facilitators score {pct} of the maximum on average; {rec} of participants would recommend their programme.",
        "l3": "Level 3 (behaviour): {done} programmes measured, {pend} still pending (measured {m1}–{m2} months after training).",
        "l4": "Level 4 (results): {imp} of {n} unit indicators improved. The change is descriptive: without a comparison group it cannot be attributed to training.",
        "fu": "Follow-up: {n} employees still need follow-up (counts by unit below; names only in the restricted output).",
        "small": "{n} programmes with fewer than {k} participants are suppressed from the tables.",
    },
}


def summary_markdown(res: EvaluationResult) -> str:
    lang, s = res.ctx.lang, res.ctx.settings
    T = _T[lang]
    k = k_for("count", s)
    lines = [f"### {T['title']}", ""]
    l2 = res.level2
    if len(l2):
        ok = l2[l2["n"] >= k]
        lines.append("- " + T["l2"].format(sig=fmt_int(ok["significant"].sum(), lang), n=fmt_int(len(l2), lang),
                                           mean=fmt_int(ok["meaningful"].sum(), lang),
                                           thr=fmt_number(s["evaluation.meaningful_gain_g_z"], lang, 2)))
        if (l2["n"] < k).any():
            lines.append("- " + T["small"].format(n=fmt_int((l2["n"] < k).sum(), lang), k=k))
    l1 = res.level1
    if len(l1):
        fac = l1[(l1["aspect"] == "fasilitator") & (l1["n"] >= k)]
        if len(fac):
            w = fac["n"] / fac["n"].sum()
            lines.append("- " + T["l1"].format(pct=fmt_percent((fac["pct_of_max"] * w).sum() / 100, lang),
                                               rec=fmt_percent((fac["share_recommend"] * w).sum(), lang)))
    l3 = res.level3
    if len(l3):
        m1, m2 = s["evaluation.l3_delay_months"]
        lines.append("- " + T["l3"].format(done=fmt_int((l3["status"] == "selesai").sum(), lang),
                                           pend=fmt_int((l3["status"] == "menunggu").sum(), lang), m1=m1, m2=m2))
    l4 = res.level4
    if len(l4):
        lines.append("- " + T["l4"].format(imp=fmt_int(l4["improved"].sum(), lang), n=fmt_int(len(l4), lang)))
    lines.append("- " + T["fu"].format(n=fmt_int(res.followup["pegawai_id"].nunique() if len(res.followup) else 0, lang)))
    return "\n".join(lines)


def maturity_markdown(res: EvaluationResult) -> str:
    m = res.maturity.iloc[0]
    lang = res.ctx.lang
    head = {"id": "Posisi pada tangga indeks merit", "en": "Position on the merit-index ladder"}[lang]
    return (f"**{head}: {int(m['score'])}/4** — {m['label_id' if lang == 'id' else 'label_en']} "
            f"{m['next_step_id' if lang == 'id' else 'next_step_en']}")


def forest_figure(res: EvaluationResult) -> Figure | None:
    shown = shown_level2(res)
    shown = shown[~shown["suppressed"]]
    if not len(shown):
        return None
    fd = evaluation.forest_data(shown, settings=res.ctx.settings)
    lang = res.ctx.lang
    return plots.forest(fd, ref=float(fd["threshold"].iloc[0]) if len(fd) else None,
                        ref_label={"id": "ambang bermakna", "en": "meaningful threshold"}[lang],
                        title={"id": "Ukuran efek g_z per program (SK 95%)", "en": "Effect size g_z per programme (95% CI)"}[lang],
                        xlabel="g_z", highlight="significant")


def slope_figure(res: EvaluationResult, program_id: str | None = None) -> Figure | None:
    shown = shown_level2(res)
    shown = shown[~shown["suppressed"]].sort_values("n", ascending=False)
    if not len(shown):
        return None
    pid = program_id or shown["program_id"].iloc[0]
    if pid not in set(shown["program_id"]):
        return None
    pairs = evaluation.level2_pairs(res.tables["evaluasi_l2"], pid)
    name = res.programme_names().get(pid, pid)
    lang = res.ctx.lang
    return plots.slope(pairs, title=f"{name} ({pid})", ylabel={"id": "skor (% maksimum)", "en": "score (% of maximum)"}[lang])


def level2_table(res: EvaluationResult) -> pd.DataFrame:
    d = shown_level2(res)
    lang = res.ctx.lang
    cols = {"program_id": "text", "nama_program": "text", "n": "int", "mean_diff": "num", "p_adj": "p",
            "g_z": "num", "g_class": "num", "verdict_id" if lang == "id" else "verdict_en": "text"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=3)
    out.columns = {"id": ["Kode", "Program", "n", "Rata-rata perubahan", "p (Holm)", "g_z", "N-Gain ⟨g⟩", "Kesimpulan"],
                   "en": ["Code", "Programme", "n", "Mean change", "p (Holm)", "g_z", "N-Gain ⟨g⟩", "Reading"]}[lang]
    return out


def level1_table(res: EvaluationResult) -> pd.DataFrame:
    d = shown_level1(res)
    lang = res.ctx.lang
    cols = {"program_id": "text", "aspect" if lang == "id" else "aspect_en": "text", "n": "int", "pct_of_max": "num",
            "category" if lang == "id" else "category_en": "text", "cronbach_alpha": "num", "share_recommend": "pct"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=2)
    out.columns = {"id": ["Kode", "Aspek", "n", "% skor maksimum", "Kategori", "Alfa Cronbach", "% merekomendasikan"],
                   "en": ["Code", "Aspect", "n", "% of maximum", "Category", "Cronbach's alpha", "% recommending"]}[lang]
    return out


def level3_table(res: EvaluationResult) -> pd.DataFrame:
    d = res.level3
    if not len(d):
        return d
    d = suppress_table(d, n_col="n", value_cols=[c for c in ("mean_diff", "g_z", "p_adj", "p_val") if c in d],
                       parent_cols=None, settings=res.ctx.settings) if "n" in d else d
    lang = res.ctx.lang
    names = {"program_id": ("Kode", "Code"), "status": ("Status", "Status"), "n": ("n", "n"),
             "mean_diff": ("Rata-rata perubahan rating", "Mean rating change"), "p_adj": ("p (Holm)", "p (Holm)"),
             "g_z": ("g_z", "g_z")}
    kinds = {"program_id": "text", "status": "text", "n": "int", "mean_diff": "num", "p_adj": "p", "g_z": "num"}
    cols = {c: kinds[c] for c in names if c in d}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=3)
    out.columns = [names[c][0 if lang == "id" else 1] for c in cols]
    return out


def level4_table(res: EvaluationResult) -> pd.DataFrame:
    d = res.level4
    lang = res.ctx.lang
    cols = {"kode_unit": "text", "indikator": "text", "before": "num", "after": "num", "change": "num",
            "improved": "text", "trained": "text"}
    out = format_table(d, cols, lang=lang, decimals=2)
    out.columns = {"id": ["Unit", "Indikator", "Sebelum", "Sesudah", "Perubahan", "Membaik", "Unit ikut pelatihan"],
                   "en": ["Unit", "Indicator", "Before", "After", "Change", "Improved", "Unit trained"]}[lang]
    return out


def followup_table(res: EvaluationResult, unit: str | None = None) -> pd.DataFrame:
    d = res.followup_units
    if unit:
        d = d[d["kode_unit"] == unit]
    lang = res.ctx.lang
    cols = {"kode_unit": "text", "reason_id" if lang == "id" else "reason_en": "text", "n": "int", "share": "pct"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings)
    out.columns = {"id": ["Unit", "Alasan tindak lanjut", "Pegawai", "% pegawai unit"],
                   "en": ["Unit", "Follow-up reason", "Employees", "% of unit staff"]}[lang]
    return out


def conventions_markdown(res: EvaluationResult) -> str:
    s, lang = res.ctx.settings, res.ctx.lang
    if lang == "id":
        return ("Konvensi: perubahan = post − pre; uji t berpasangan bila selisih berdistribusi normal "
                f"(Shapiro–Wilk bila n ≤ {s['evaluation.normality_test_max_n']}, Lilliefors bila lebih), selain itu uji "
                "peringkat bertanda Wilcoxon (p eksak bila n < 50 tanpa ties/nol, selain itu pendekatan normal dengan koreksi "
                f"kontinuitas) — kedua nilai p selalu dilaporkan; koreksi {s['evaluation.p_adjust'].capitalize()} atas semua uji L2 tahun ini; "
                f"α = {fmt_number(s['evaluation.alpha'], lang, 2)}; ukuran efek g_z (Hedges) dengan SK t-nonsentral; "
                f"N-Gain kelas Hake (tinggi ≥ {fmt_number(s['ngain.hake_bands']['high'], lang, 1)}, sedang ≥ "
                f"{fmt_number(s['ngain.hake_bands']['medium'], lang, 1)}). Rincian: docs/methods/statistics.md.")
    return ("Conventions: change = post − pre; paired t-test when the differences are normal "
            f"(Shapiro–Wilk for n ≤ {s['evaluation.normality_test_max_n']}, Lilliefors above), otherwise the Wilcoxon "
            "signed-rank test (exact p for n < 50 without ties/zeros, else the normal approximation with continuity "
            f"correction) — both p-values always reported; {s['evaluation.p_adjust'].capitalize()} correction across all L2 tests "
            f"of the year; α = {s['evaluation.alpha']}; effect size g_z (Hedges) with a noncentral-t CI; Hake class N-Gain "
            f"(high ≥ {s['ngain.hake_bands']['high']}, medium ≥ {s['ngain.hake_bands']['medium']}). Details: docs/methods/statistics.md.")
