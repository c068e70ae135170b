"""Presentation of stage 03: sentences, formatted tables and figures (aggregate, suppressed),
and chapters V (evaluation) and VI (follow-up) of the yearly report (:func:`chapter`).

The results carry codes; their words come from :mod:`workbook.evaluation.words`.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from workbook.core.i18n import fmt_int, fmt_number, fmt_percent
from workbook.core.suppression import k_for
from workbook.evaluation import levels as evaluation
from workbook.evaluation import words
from workbook.evaluation.stage import EvaluationResult, shown_level1, shown_level2
from workbook.present import plots
from workbook.present.document import Chapter, ChapterKit
from workbook.present.format import format_table

__all__ = ["summary_markdown", "forest_figure", "slope_figure", "change_figure", "level1_table", "level2_table",
           "level3_table", "level4_table", "followup_table", "maturity_markdown", "conventions_markdown",
           "themes_table", "quotes_markdown", "did_table", "did_markdown", "evaluation_unit_sentences",
           "followup_sentences", "chapter"]

_T = {
    "id": {
        "title": "Temuan utama evaluasi",
        "l2": "Level 2 (pembelajaran): {sig} dari {n} program menunjukkan peningkatan yang signifikan (koreksi Holm atas seluruh {n} uji L2 tahun ini) dan {mean} bermakna (g_z ≥ {thr}).",
        "l1": "Level 1 (reaksi): rata-rata {pct} dari skor maksimum untuk fasilitator; {rec} peserta akan merekomendasikan programnya.",
        "l3": "Level 3 (perilaku): {done} program selesai diukur, {pend} masih menunggu (diukur {m1}–{m2} bulan setelah pelatihan).",
        "l4": "Level 4 (hasil): {imp} dari {n} indikator unit membaik. Perubahan sebelum–sesudah saja bersifat deskriptif; hanya selisih terhadap unit pembanding (difference in differences, di bawah) yang dapat dikaitkan dengan pelatihan, dengan asumsinya.",
        "fu": "Tindak lanjut: {n} pegawai masih memerlukan tindak lanjut (rincian per unit di bawah; daftar nama hanya di keluaran terbatas).",
        "small": "{n} program dengan kurang dari {k} peserta disembunyikan dari tabel.",
        "themes": "Suara peserta dan atasan: {n} komentar, jawaban terbuka dan catatan wawancara dikelompokkan ke {m} tema; yang paling sering: {top}.",
        "did": "Level 4 dengan kelompok pembanding: {n} indikator dapat dibandingkan antara unit yang dilatih dan yang tidak (selisih-dalam-selisih); {fav} menunjukkan unit yang dilatih membaik lebih banyak dengan selang kepercayaan yang tidak mencakup 0.",
    },
    "en": {
        "title": "Main findings of the evaluation",
        "l2": "Level 2 (learning): {sig} of {n} programmes show a significant gain (Holm correction across all {n} L2 tests of the year) and {mean} a meaningful one (g_z ≥ {thr}).",
        "l1": "Level 1 (reaction): facilitators score {pct} of the maximum on average; {rec} of participants would recommend their programme.",
        "l3": "Level 3 (behaviour): {done} programmes measured, {pend} still pending (measured {m1}–{m2} months after training).",
        "l4": "Level 4 (results): {imp} of {n} unit indicators improved. A before–after change alone is descriptive; only the difference against comparison units (difference in differences, below) can be linked to training, under its assumptions.",
        "fu": "Follow-up: {n} employees still need follow-up (counts by unit below; names only in the restricted output).",
        "small": "{n} programmes with fewer than {k} participants are suppressed from the tables.",
        "themes": "What participants and supervisors say: {n} comments, open answers and interview notes grouped into {m} themes; the most frequent: {top}.",
        "did": "Level 4 with comparison groups: {n} indicators can be compared between trained and untrained units (difference in differences); in {fav} the trained units improved more with an interval that excludes 0.",
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
    sh = _shown_themes(res)
    sh = sh[sh["tema"].notna()] if len(sh) else sh
    if len(sh):
        sh = sh.assign(_label=_theme_labels(res, sh))
        tot = sh.groupby(["tema", "_label"])["n"].sum().sort_values(ascending=False)
        top = ", ".join(f"{lab} ({fmt_int(n, lang)})" for (_, lab), n in tot.head(3).items())
        lines.append("- " + T["themes"].format(n=fmt_int(sh["n"].sum(), lang), m=fmt_int(len(tot), lang), top=top))
    d = res.did
    if d is not None and len(d):
        cmp_ = d[d["method"] != "none"]
        if len(cmp_):
            fav = int((cmp_["favourable"].fillna(False) & cmp_["significant"].fillna(False)).sum())
            lines.append("- " + T["did"].format(n=fmt_int(len(cmp_), lang), fav=fmt_int(fav, lang)))
    lines.append("- " + T["fu"].format(n=fmt_int(res.followup["pegawai_id"].nunique() if len(res.followup) else 0, lang)))
    return "\n".join(lines)


def maturity_markdown(res: EvaluationResult) -> str:
    score = int(res.maturity.iloc[0]["score"])
    lang = res.ctx.lang
    head = {"id": "Posisi pada tangga indeks merit", "en": "Position on the merit-index ladder"}[lang]
    return (f"**{head}: {score}/4** — {words.text(words.MATURITY_LADDER, score, lang)} "
            f"{words.text(words.NEXT_STEPS, score, lang)}")


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


def _shown_pairs(res: EvaluationResult, program_id: str | None) -> tuple[str, pd.DataFrame] | None:
    """The programme to draw (``program_id``, else the largest shown one) and its pre/post pairs;
    None when it is suppressed or nothing is shown."""
    shown = shown_level2(res)
    shown = shown[~shown["suppressed"]].sort_values("n", ascending=False)
    if not len(shown):
        return None
    pid = program_id or shown["program_id"].iloc[0]
    if pid not in set(shown["program_id"]):
        return None
    return pid, evaluation.level2_pairs(res.tables["evaluasi_l2"], pid)


def slope_figure(res: EvaluationResult, program_id: str | None = None) -> Figure | None:
    picked = _shown_pairs(res, program_id)
    if picked is None:
        return None
    pid, pairs = picked
    name = res.programme_names().get(pid, pid)
    lang = res.ctx.lang
    return plots.slope(pairs, title=f"{name} ({pid})", ylabel={"id": "skor (% maksimum)", "en": "score (% of maximum)"}[lang])


def change_figure(res: EvaluationResult, program_id: str | None = None) -> Figure | None:
    """Distribution of individual changes (post − pre, % of maximum) for one programme (shown ones only)."""
    picked = _shown_pairs(res, program_id)
    if picked is None:
        return None
    pid, pairs = picked
    change = pairs[pairs["tahap"] == "post"].set_index("pegawai_id")["skor_pct"] - \
        pairs[pairs["tahap"] == "pre"].set_index("pegawai_id")["skor_pct"]
    lang = res.ctx.lang
    name = res.programme_names().get(pid, pid)
    return plots.histogram(change.dropna(), bins=15, vline=0.0, vline_label={"id": "tanpa perubahan", "en": "no change"}[res.ctx.lang],
                           title={"id": f"Sebaran perubahan skor: {name}", "en": f"Distribution of score changes: {name}"}[lang],
                           xlabel={"id": "post − pre (% skor maksimum)", "en": "post − pre (% of maximum score)"}[lang],
                           ylabel={"id": "peserta", "en": "participants"}[lang])


def level2_table(res: EvaluationResult) -> pd.DataFrame:
    d = shown_level2(res)
    lang = res.ctx.lang
    d = d.assign(_verdict=words.words(d, "verdict", lang))
    cols = {"program_id": "text", "nama_program": "text", "n": "int", "mean_diff": "num", "p_adj": "p",
            "g_z": "num", "g_class": "num", "_verdict": "text"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=3)
    out.columns = {"id": ["Kode", "Program", "n", "Rata-rata perubahan", "p (Holm)", "g_z", "N-Gain ⟨g⟩", "Kesimpulan"],
                   "en": ["Code", "Programme", "n", "Mean change", "p (Holm)", "g_z", "N-Gain ⟨g⟩", "Reading"]}[lang]
    return out


def level1_table(res: EvaluationResult) -> pd.DataFrame:
    d = shown_level1(res)
    lang = res.ctx.lang
    d = d.assign(_aspect=words.words(d, "aspect", lang), _category=words.words(d, "category", lang))
    cols = {"program_id": "text", "_aspect": "text", "n": "int", "pct_of_max": "num",
            "_category": "text", "cronbach_alpha": "num", "share_recommend": "pct"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=2)
    out.columns = {"id": ["Kode", "Aspek", "n", "% skor maksimum", "Kategori", "Alfa Cronbach", "% merekomendasikan"],
                   "en": ["Code", "Aspect", "n", "% of maximum", "Category", "Cronbach's alpha", "% recommending"]}[lang]
    return out


def level3_table(res: EvaluationResult) -> pd.DataFrame:
    from workbook.evaluation.stage import shown_level3

    d = shown_level3(res)
    if not len(d):
        return d
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
            "improved": "bool", "trained": "bool"}
    out = format_table(d, cols, lang=lang, decimals=2)
    out.columns = {"id": ["Unit", "Indikator", "Sebelum", "Sesudah", "Perubahan", "Membaik", "Unit ikut pelatihan"],
                   "en": ["Unit", "Indicator", "Before", "After", "Change", "Improved", "Unit trained"]}[lang]
    return out


def followup_table(res: EvaluationResult, unit: str | None = None) -> pd.DataFrame:
    d = res.followup_units
    if unit:
        d = d[d["kode_unit"] == unit]
    lang = res.ctx.lang
    d = d.assign(_reason=words.words(d, "reason", lang))
    cols = {"kode_unit": "text", "_reason": "text", "n": "int", "share": "pct"}
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


# --------------------------------------------------------------------------------------------
# What participants and supervisors say (themes, quotes) and Level 4 with comparison groups
# --------------------------------------------------------------------------------------------

_SOURCE = words.TEXT_SOURCES


def _theme_labels(res: EvaluationResult, d: pd.DataFrame) -> pd.Series:
    """The labels of the theme codes of ``d`` (``themes`` or ``quotes`` rows), report language."""
    return words.words(d, "tema", res.ctx.lang, dictionary=getattr(res, "theme_dictionary", None))


def _shown_themes(res: EvaluationResult) -> pd.DataFrame:
    t = res.themes
    if t is None or not len(t):
        return pd.DataFrame(columns=["kelompok", "sumber", "program_id", "kode_unit", "tema", "n", "suppressed"])
    return t[~t["suppressed"].astype(bool)]


def themes_table(res: EvaluationResult) -> pd.DataFrame:
    """Themes of the free texts per programme and per unit (small groups shown as hidden)."""
    lang = res.ctx.lang
    t = res.themes
    heads = {"id": ["Sumber", "Program / unit", "Tema", "Teks dengan tema", "Teks dalam kelompok", "% kelompok",
                    "Bernada negatif"],
             "en": ["Source", "Programme / unit", "Theme", "Texts with theme", "Texts in group", "% of group",
                    "Negative tone"]}[lang]
    if t is None or not len(t):
        return pd.DataFrame(columns=heads)
    d = t.copy()
    names = res.programme_names()
    d["sumber_label"] = d["sumber"].map(lambda x: _SOURCE.get(x, (x, x))[0 if lang == "id" else 1])
    d["kelompok_label"] = [f"{p} {names.get(p, '')}".strip() if k == "program" else str(u)
                           for k, p, u in zip(d["kelompok"], d["program_id"], d["kode_unit"], strict=True)]
    d["tema_label"] = _theme_labels(res, d)
    cols = {"sumber_label": "text", "kelompok_label": "text", "tema_label": "text", "n": "int", "n_group": "int",
            "share": "pct", "n_negatif": "int"}
    out = format_table(d.reset_index(drop=True), cols, lang=lang, settings=res.ctx.settings)
    out.columns = heads
    return out


def quotes_markdown(res: EvaluationResult, max_groups: int | None = None) -> str:
    """Themes and short anonymised quotes, per source and group (only groups that are shown).

    ``max_groups`` limits the groups listed per source (largest first); ``None`` lists all.
    """
    lang, s = res.ctx.lang, res.ctx.settings
    k = k_for("text", s)
    i = 0 if lang == "id" else 1
    q, shown = res.quotes, _shown_themes(res)
    head = ("### Suara peserta dan atasan", "### What participants and supervisors say")[i]
    if q is None or not len(q):
        return head + "\n\n" + ("Tidak ada kutipan yang dapat ditampilkan (kelompok atau tema dengan kurang dari "
                                f"{k} teks tidak dikutip).",
                                f"No quotes can be shown (groups or themes with fewer than {k} texts are not quoted).")[i]
    names = res.programme_names()
    lines = [head, "",
             (f"Kutipan dipersingkat dan dianonimkan (NIP, nomor telepon, id dan nama diganti); hanya dari kelompok dan "
              f"tema dengan sedikitnya {k} teks.",
              f"Quotes are shortened and anonymised (NIP, telephone numbers, ids and names replaced); only from groups "
              f"and themes with at least {k} texts.")[i], ""]
    gcol = {"program": "program_id", "unit": "kode_unit"}
    for src in [x for x in _SOURCE if x in set(q["sumber"])]:
        qs = q[q["sumber"] == src]
        kel = qs["kelompok"].iloc[0]
        col = gcol[kel]
        sizes = shown[shown["sumber"] == src].groupby(col)["n_group"].max()
        groups = sorted(qs[col].unique(), key=lambda g: (-float(sizes.get(g, 0) or 0), str(g)))
        if max_groups is not None:
            groups = groups[:max_groups]
        lines += [f"#### {_SOURCE[src][i]}", ""]
        for g in groups:
            title = f"{g} {names.get(g, '')}".strip() if kel == "program" else str(g)
            n_group = sizes.get(g)
            lines.append(f"**{title}** ({fmt_int(n_group, lang)} {('teks', 'texts')[i]})")
            sub = qs[qs[col] == g]
            counts = shown[(shown["sumber"] == src) & (shown[col] == g)].set_index("tema")["n"]
            for tema, tq in sub.groupby("tema", sort=False):
                label = _theme_labels(res, tq.head(1)).iloc[0]
                quoted = "; ".join(f"“{r.kutipan}”" + (f" (×{r.n_same})" if r.n_same > 1 else "")
                                   for r in tq.sort_values("rank").itertuples())
                lines.append(f"- *{label}* ({fmt_int(counts.get(tema), lang)}): {quoted}")
            lines.append("")
    return "\n".join(lines).rstrip()


def did_table(res: EvaluationResult) -> pd.DataFrame:
    """Difference in differences per indicator, shared indicators (most units) first."""
    lang = res.ctx.lang
    heads = {"id": ["Indikator", "Arah baik", "Unit dilatih", "Unit pembanding", "Perubahan dilatih",
                    "Perubahan pembanding", "Selisih (DiD)", "SK bawah", "SK atas", "p", "Keterangan"],
             "en": ["Indicator", "Better direction", "Trained units", "Comparison units", "Change (trained)",
                    "Change (comparison)", "Difference (DiD)", "CI low", "CI high", "p", "Note"]}[lang]
    d = res.did
    if d is None or not len(d):
        return pd.DataFrame(columns=heads)
    d = d.assign(_n=d["n_trained"] + d["n_control"]).sort_values(["_n", "indikator"], ascending=[False, True],
                                                                   kind="stable").reset_index(drop=True)
    d["_message"] = words.words(d, "did_message", lang)
    cols = {"indikator": "text", "arah_baik": "text", "n_trained": "int", "n_control": "int",
            "mean_change_trained": "num", "mean_change_control": "num", "did": "num", "ci_low": "num",
            "ci_high": "num", "p_val": "p", "_message": "text"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=2)
    out.columns = heads
    return out


def _signed(x: float, lang: str, decimals: int = 1) -> str:
    return ("+" if x > 0 else "") + fmt_number(x, lang, decimals)


def did_markdown(res: EvaluationResult) -> str:
    """The DiD estimates in words, with their interval, the assumptions and the no-comparison messages."""
    lang = res.ctx.lang
    i = 0 if lang == "id" else 1
    head = ("### Level 4 dengan kelompok pembanding", "### Level 4 with comparison groups")[i]
    d = res.did
    if d is None or not len(d):
        return head + "\n\n" + ("Tidak ada indikator unit.", "No unit indicators.")[i]
    conf = float(d["confidence"].iloc[0])
    lines = [head, "",
             ("Selisih-dalam-selisih (difference in differences): rata-rata perubahan indikator di unit yang dilatih "
              "dikurangi rata-rata perubahan di unit yang tidak dilatih (pembanding), per indikator.",
              "Difference in differences: the mean change of the indicator in trained units minus the mean change in "
              "untrained (comparison) units, per indicator.")[i], ""]
    both = d[(d["n_trained"] > 0) & (d["n_control"] > 0)].sort_values(
        ["n_trained", "indikator"], ascending=[False, True], kind="stable")
    for r in both.itertuples():
        better = ("naik = lebih baik", "higher is better") if r.arah_baik == "naik" else \
            ("turun = lebih baik", "lower is better")
        txt = (f"**{r.indikator}** ({better[i]}): ",)[0]
        if lang == "id":
            txt += (f"{r.n_trained} unit dilatih berubah rata-rata {_signed(r.mean_change_trained, lang)}, "
                    f"{r.n_control} unit pembanding {_signed(r.mean_change_control, lang)}; selisih "
                    f"{_signed(r.did, lang)}")
        else:
            txt += (f"{r.n_trained} trained units changed by {_signed(r.mean_change_trained, lang)} on average, "
                    f"{r.n_control} comparison units by {_signed(r.mean_change_control, lang)}; difference "
                    f"{_signed(r.did, lang)}")
        if r.ci_low == r.ci_low:
            lvl = fmt_percent(conf, lang, 0)
            txt += (f" (SK {lvl}: {_signed(r.ci_low, lang)} sampai {_signed(r.ci_high, lang)})",
                    f" ({lvl} CI: {_signed(r.ci_low, lang)} to {_signed(r.ci_high, lang)})")[i]
            if bool(r.significant):
                txt += ("; unit yang dilatih membaik lebih banyak daripada pembanding." if bool(r.favourable) else
                        "; unit yang dilatih memburuk dibanding pembanding.",
                        "; trained units improved more than the comparison units." if bool(r.favourable) else
                        "; trained units did worse than the comparison units.")[i]
            else:
                txt += ("; selang mencakup 0, jadi perbedaan belum dapat dipastikan.",
                        "; the interval includes 0, so the difference is not established.")[i]
        else:
            txt += f"; {words.text(words.DID_MESSAGES, r.message, lang)}."
        lines.append("- " + txt)
    no_cmp = d[(d["n_trained"] > 0) & (d["n_control"] == 0)]
    for r in no_cmp[no_cmp["n_trained"] > 1].sort_values("indikator").itertuples():
        lines.append(f"- **{r.indikator}** ({r.n_trained} {('unit, semuanya dilatih', 'units, all trained')[i]}): "
                     f"{words.text(words.DID_MESSAGES, r.message, lang)}.")
    n_single = int((no_cmp["n_trained"] == 1).sum())
    if n_single:
        msg = words.NO_COMPARISON[i]
        lines.append("- " + (f"{n_single} indikator hanya diukur di satu unit yang dilatih: {msg}.",
                             f"{n_single} indicators are measured only in one trained unit: {msg}.")[i])
    n_untrained = int(((d["n_trained"] == 0) & (d["n_control"] > 0)).sum())
    if n_untrained:
        lines.append("- " + (f"{n_untrained} indikator tanpa unit yang dilatih (hanya perubahan deskriptif di tabel L4).",
                             f"{n_untrained} indicators without a trained unit (descriptive change only, in the L4 "
                             "table).")[i])
    lines += ["", ("**Asumsi** — selisih ini dibaca sebagai efek pelatihan hanya bila:",
                   "**Assumptions** — the difference is read as the effect of training only if:")[i],
              words.did_assumptions(lang)]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# The yearly report: the unit's sentences, chapters V and VI
# --------------------------------------------------------------------------------------------


def evaluation_unit_sentences(res: EvaluationResult, unit: str) -> list[str]:
    """Level 4 indicators of the unit (descriptive)."""
    lang = res.ctx.lang
    l4 = res.level4
    if not len(l4):
        return []
    u = l4[l4["kode_unit"] == unit]
    if not len(u):
        return [{"id": "Tidak ada indikator kinerja unit (Level 4) untuk unit ini.",
                 "en": "There are no unit performance indicators (Level 4) for this unit."}[lang]]
    imp = int(u["improved"].fillna(False).astype(bool).sum())
    return [{"id": f"Level 4: {fmt_int(imp, lang)} dari {fmt_int(len(u), lang)} indikator unit membaik (deskriptif, tanpa kelompok pembanding).",
             "en": f"Level 4: {fmt_int(imp, lang)} of {fmt_int(len(u), lang)} unit indicators improved (descriptive, no comparison group)."}[lang]]


def followup_sentences(res: EvaluationResult, unit: str | None) -> list[str]:
    """Follow-up counts by reason (suppressed table) and the needs carried into next year; the
    last sentence is the recommended follow-up."""
    lang, s = res.ctx.lang, res.ctx.settings
    k = k_for("count", s)
    d = res.followup_units
    if unit:
        d = d[d["kode_unit"] == unit]
    out = []
    if not len(d):
        return out
    vis = d[~d["suppressed"] & d["n"].notna()]
    if unit and not len(vis):
        out.append({"id": f"Jumlah pegawai unit yang memerlukan tindak lanjut disembunyikan (n < {k}).",
                    "en": f"The number of unit staff needing follow-up is suppressed (n < {k})."}[lang])
    elif len(vis):
        g = vis.assign(_r=words.words(vis, "reason", lang)).groupby("_r")["n"].sum()
        g = g.sort_values(ascending=False)
        items = "; ".join(f"{r} {fmt_int(v, lang)}" for r, v in g.items())
        out.append({"id": f"Pegawai yang memerlukan tindak lanjut menurut alasan (angka yang ditampilkan): {items}.",
                    "en": f"Staff needing follow-up by reason (figures shown): {items}."}[lang])
    if not unit and len(res.carry_over):
        out.append({"id": f"{fmt_int(res.carry_over['pegawai_id'].nunique(), lang)} pegawai membawa kebutuhan yang belum "
                          f"terpenuhi ke analisis kebutuhan tahun {res.ctx.year + 1}; prioritasnya dinaikkan pada siklus berikutnya.",
                    "en": f"{fmt_int(res.carry_over['pegawai_id'].nunique(), lang)} employees carry unmet needs into the needs "
                          f"analysis of {res.ctx.year + 1}; their priority is raised in the next cycle."}[lang])
    out.append({"id": "Tindak lanjut yang disarankan: (1) program perbaikan atau pengulangan bagi peserta dengan skor post-test "
                      "di bawah batas lulus; (2) coaching dan mentoring oleh atasan langsung bagi pegawai yang kompetensinya "
                      "masih di bawah standar; (3) penjadwalan e-learning atau pembelajaran nonklasikal bagi pegawai yang JP-nya "
                      "belum mencapai target; (4) kebutuhan yang belum terpenuhi dimasukkan ke AKPK tahun berikutnya.",
                "en": "Recommended follow-up: (1) remedial or repeat programmes for participants whose post-test is below the "
                      "pass mark; (2) coaching and mentoring by the direct supervisor for staff still below standard; "
                      "(3) e-learning or other non-classroom learning for staff below the JP target; (4) unmet needs go into "
                      "next year's needs analysis."}[lang])
    return out


def _learning_sections(res: EvaluationResult, unit: str | None, kit: ChapterKit,
                       ch: Chapter) -> None:
    """Sections 5.1 (summary), 5.2 (Level 2) and 5.3 (Level 3)."""
    lang = res.ctx.lang
    es = kit.section(ch, {"id": "Ringkasan Evaluasi", "en": "Evaluation Summary"}[lang], [
        kit.markdown(summary_markdown(res)), kit.para(maturity_markdown(res).replace("**", ""))])
    if unit:
        es.blocks.insert(0, kit.para({"id": "Evaluasi dilakukan per program untuk seluruh instansi (peserta berasal "
                                            "dari banyak unit); hasil unit ini ada pada Level 4 dan tindak lanjut.",
                                      "en": "Evaluation is per programme for the whole agency (participants come from "
                                            "many units); this unit's own results are in Level 4 and the follow-up."}[lang]))
    l2 = kit.section(ch, {"id": "Level 2 — Pembelajaran", "en": "Level 2 — Learning"}[lang], [
        kit.para(conventions_markdown(res)),
        kit.figure(ch, {"id": "Ukuran efek g_z per program (selang kepercayaan 95%)",
                        "en": "Effect size g_z per programme (95% confidence interval)"}[lang],
                   kit.png(lambda: forest_figure(res), "forest"))])
    if not unit:
        l2.blocks.append(kit.table(ch, {"id": "Hasil pembelajaran (pre-test dan post-test) per program",
                                        "en": "Learning results (pre-test and post-test) by programme"}[lang],
                                   level2_table(res), "level2", wide=True))
    else:
        l2.blocks.append(kit.para({"id": "Rincian per program ada di laporan instansi (Tabel Level 2).",
                                   "en": "Per-programme details are in the agency report (Level 2 table)."}[lang]))
    l3 = kit.section(ch, {"id": "Level 3 — Perilaku", "en": "Level 3 — Behaviour"}[lang])
    if not unit:
        l3.blocks.append(kit.table(ch, {"id": "Perubahan perilaku kerja per program",
                                        "en": "Change in work behaviour by programme"}[lang], level3_table(res), "level3"))
    else:
        l3.blocks.append(kit.para({"id": "Level 3 diukur per program untuk seluruh instansi; rinciannya ada di "
                                         "laporan instansi (Subbab 5.3).",
                                   "en": "Level 3 is measured per programme for the whole agency; details are in "
                                         "the agency report (section 5.3)."}[lang]))


def _results_section(res: EvaluationResult, unit: str | None, kit: ChapterKit, ch: Chapter) -> None:
    """Section 5.4: Level 4, with the difference in differences against comparison units (agency)."""
    lang = res.ctx.lang
    l4t = level4_table(res)
    if unit:
        l4t = l4t[l4t.iloc[:, 0] == unit]
    l4 = kit.section(ch, {"id": "Level 4 — Hasil", "en": "Level 4 — Results"}[lang])
    if unit:
        l4.blocks.append(kit.bullets(evaluation_unit_sentences(res, unit)))
    l4.blocks.append(kit.table(ch, {"id": "Indikator kinerja unit sebelum dan sesudah pelatihan",
                                    "en": "Unit performance indicators before and after training"}[lang],
                               l4t.reset_index(drop=True), "level4"))
    if unit:
        return
    l4.blocks.append(kit.para({"id": "Rincian Level 1 per program dan aspek ada di Lampiran B.",
                               "en": "Level 1 details by programme and aspect are in Appendix B."}[lang]))
    # Level 4 against comparison units (difference in differences), with its assumptions
    l4.blocks.append(kit.markdown(did_markdown(res)))
    did = did_table(res)
    # only indicators with an estimate; the others are summarised in one sentence above
    did = did[~did.iloc[:, 6].astype(str).str.strip().isin(["", "–", "-"])].reset_index(drop=True)
    if len(did):
        l4.blocks.append(kit.table(ch, {"id": "Selisih perubahan unit yang dilatih dan unit pembanding (DiD)",
                                        "en": "Change in trained units minus comparison units (DiD)"}[lang],
                                   did, "did", wide=True))


def _evaluation_chapter(res: EvaluationResult, unit: str | None, kit: ChapterKit) -> Chapter:
    """Chapter V: summary, Levels 2–4, and in the agency report the voices and the ROI (when computed)."""
    from workbook.evaluation import roi_report

    lang = res.ctx.lang
    ch = kit.chapter("evaluation")
    _learning_sections(res, unit, kit, ch)
    _results_section(res, unit, kit, ch)
    if unit:
        return ch
    kit.section(ch, {"id": "Suara peserta dan atasan", "en": "What participants and supervisors say"}[lang],
                [kit.markdown(quotes_markdown(res, max_groups=4))])
    # Phillips ROI: only when the optional roi_* inputs were given and valid
    if roi_report.roi_status_sentence(res) is None:
        kit.section(ch, {"id": "Pengembalian investasi (ROI)", "en": "Return on investment (ROI)"}[lang], [
            kit.markdown(roi_report.roi_markdown(res)),
            kit.table(ch, {"id": "Biaya, manfaat dan ROI per program (metodologi Phillips)",
                           "en": "Costs, benefits and ROI by programme (Phillips methodology)"}[lang],
                      roi_report.roi_table(res), "ROI", wide=True),
            kit.table(ch, {"id": "Manfaat yang dirupiahkan: isolasi efek program dan konversi",
                           "en": "Benefits converted to money: isolating the programme's effect and conversion"}[lang],
                      roi_report.roi_lines_table(res), "ROI_manfaat", wide=True)])
    return ch


def _followup_chapter(res: EvaluationResult, unit: str | None, kit: ChapterKit) -> Chapter:
    """Chapter VI: staff needing follow-up by unit and reason, and the recommendations."""
    lang = res.ctx.lang
    ch = kit.chapter("followup")
    sentences = followup_sentences(res, unit)
    kit.section(ch, {"id": "Pegawai yang Memerlukan Tindak Lanjut", "en": "Staff Needing Follow-up"}[lang], [
        kit.bullets(sentences[:-1] or [""]),
        kit.table(ch, {"id": "Pegawai yang memerlukan tindak lanjut per unit dan alasan",
                       "en": "Staff needing follow-up by unit and reason"}[lang], followup_table(res, unit),
                  "followup_units")])
    kit.section(ch, {"id": "Rekomendasi", "en": "Recommendations"}[lang], kit.paras(sentences[-1:]))
    return ch


def chapter(res: EvaluationResult, unit: str | None, kit: ChapterKit) -> list[Chapter]:
    """Chapters V (evaluation of last year's programmes) and VI (follow-up) of the yearly report;
    a unit report keeps the agency-wide Levels 2–3 short and shows the unit's Level 4 and
    follow-up."""
    return [_evaluation_chapter(res, unit, kit), _followup_chapter(res, unit, kit)]
