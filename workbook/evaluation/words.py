"""The words of stage 03's codes: what a person reads for a code of the evaluation artefacts.

The kernels (:mod:`~workbook.evaluation.l1_reaction` … :mod:`~workbook.evaluation.maturity`,
:mod:`workbook.core.stats`) write codes and the numbers a sentence needs; this module turns them
into words, Indonesian first, English with ``lang="en"``. Every table maps a code to
``(Indonesian, English)``; templates take their ``{placeholders}`` from the row's columns.

It is apart from :mod:`workbook.evaluation.report` because the stage runner
(:mod:`workbook.evaluation.stage`) writes the sheets of ``evaluation.xlsx`` with words
(:func:`readable`) and ``report.py`` imports the runner. :func:`words` gives the words of one code
column of a frame, for tables a person reads; :func:`codes_markdown` lists every code with its
words (the section "03_evaluation" of ``docs/data.md``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
from babel.numbers import format_decimal

from workbook.evaluation.lexicon import CODED_THEME_LABELS, THEMES_EVALUASI, THEMES_KEBUTUHAN, Theme

__all__ = [
    "METHOD_REASONS",
    "NORMALITY_TESTS",
    "VERDICTS",
    "CEILING",
    "HAKE_CATEGORIES",
    "EFFECTIVENESS",
    "P_ADJUST_FAMILIES",
    "L1_ASPECTS",
    "L1_CLASSES_EN",
    "L3_STATUS_REASONS",
    "L4_NOTES",
    "DID_MESSAGES",
    "NO_COMPARISON",
    "DID_ASSUMPTIONS_ID",
    "DID_ASSUMPTIONS_EN",
    "FOLLOWUP_REASONS",
    "MATURITY_LADDER",
    "NEXT_STEPS",
    "ISOLATION_METHODS",
    "ROI_NOTES",
    "TEXT_SOURCES",
    "THEMES_FIXED",
    "fmt_fixed",
    "method_reason_text",
    "verdict_text",
    "did_assumptions",
    "theme_label",
    "text",
    "words",
    "readable",
    "codes_markdown",
]

Words = tuple[str, str]

# --------------------------------------------------------------------------------------------
# Level 2 and 3: the paired tests (workbook.core.stats) and the reading of each programme
# --------------------------------------------------------------------------------------------

#: ``method_reason`` (why the reported test was chosen; codes of
#: :data:`workbook.core.stats.grouped.METHOD_REASONS`, plus ``too_few_rated`` of Level 3).
#: Placeholders: ``{test}`` (:data:`NORMALITY_TESTS`), ``{p}`` (``normality_p``), ``{alpha}``
#: (``normality_alpha``).
METHOD_REASONS: dict[str, Words] = {
    "user_t": ("Dipilih oleh pengguna: uji t berpasangan.", "Chosen by the user: paired t-test."),
    "user_wilcoxon": (
        "Dipilih oleh pengguna: uji Wilcoxon bertanda.",
        "Chosen by the user: Wilcoxon signed-rank test.",
    ),
    "normal": (
        "Selisih berdistribusi normal menurut {test} (p = {p} ≥ α = {alpha}): uji t berpasangan.",
        "Differences are normal by {test} (p = {p} ≥ α = {alpha}): paired t-test.",
    ),
    "not_normal": (
        "Selisih tidak normal menurut {test} (p = {p} < α = {alpha}): uji Wilcoxon bertanda.",
        "Differences are not normal by {test} (p = {p} < α = {alpha}): Wilcoxon signed-rank test.",
    ),
    "two_pairs": (
        "Hanya 2 pasangan: normalitas tidak dapat diuji; uji t berpasangan dipakai (daya uji "
        "sangat rendah).",
        "Only 2 pairs: normality cannot be tested; paired t-test used (very low power).",
    ),
    "constant": (
        "Semua selisih bernilai sama (bukan nol): uji t tidak terdefinisi; uji Wilcoxon bertanda "
        "dipakai.",
        "All differences are equal (non-zero): the t-test is undefined; Wilcoxon signed-rank test "
        "used.",
    ),
    "all_zero": (
        "Semua selisih nol: tidak ada perubahan, uji tidak dapat dihitung (p tidak tersedia).",
        "All differences are zero: no change, the tests cannot be computed (no p-value).",
    ),
    "too_few": (
        "Kurang dari 2 pasangan lengkap: uji tidak dapat dihitung.",
        "Fewer than 2 complete pairs: the tests cannot be computed.",
    ),
    "too_few_rated": (
        "Kurang dari 2 pegawai dengan penilaian sebelum dan sesudah: uji tidak dapat dihitung.",
        "Fewer than 2 employees rated both before and after: the test cannot be computed.",
    ),
}

#: ``normality_test``: the name of the test in a sentence (the same in both languages).
NORMALITY_TESTS: dict[str, Words] = {
    "shapiro_wilk": ("Shapiro-Wilk", "Shapiro-Wilk"),
    "lilliefors": ("Kolmogorov-Smirnov (Lilliefors)", "Kolmogorov-Smirnov (Lilliefors)"),
    "none": ("tidak diuji", "not tested"),
}

#: ``verdict`` of Level 2 (one-sentence reading of a programme). Placeholders: ``{g}`` (g_z, two
#: decimals), ``{p}`` (adjusted p with its method, e.g. "p Holm = 0,462"), ``{thr}``
#: (``meaningful_threshold``), ``{n}``, ``{mde}`` (minimum detectable effect), ``{sig}``
#: (significant or not, for ``g_z_unavailable``), ``{reason}`` (the words of ``method_reason``).
VERDICTS: dict[str, Words] = {
    "not_tested": ("Tidak dapat diuji: {reason}", "Cannot be tested: {reason}"),
    "g_z_unavailable": (
        "Perubahan {sig} ({p}); g_z tidak tersedia (n = {n}), bermakna atau tidak belum dapat "
        "dinilai",
        "Change {sig} ({p}); g_z not available (n = {n}), so whether it is meaningful cannot be "
        "judged",
    ),
    "meaningful_significant": (
        "Peningkatan bermakna dan signifikan ({g}; {p})",
        "Meaningful and significant improvement ({g}; {p})",
    ),
    "significant_small": (
        "Peningkatan signifikan tetapi kecil ({g} < {thr}; {p})",
        "Significant but small improvement ({g} < {thr}; {p})",
    ),
    "significant_decline": ("Penurunan signifikan ({g}; {p})", "Significant decline ({g}; {p})"),
    "meaningful_not_significant": (
        "Peningkatan bermakna tetapi tidak signifikan ({g}; {p}; n = {n}, efek terkecil yang dapat "
        "dideteksi {mde})",
        "Meaningful but not significant improvement ({g}; {p}; n = {n}, minimum detectable effect "
        "{mde})",
    ),
    "no_change": (
        "Tidak ada perubahan yang signifikan maupun bermakna ({g}; {p})",
        "No significant or meaningful change ({g}; {p})",
    ),
}
#: Added to a verdict when ``ceiling`` is True (``{lim}`` = ``ceiling_limit_pct``).
CEILING: Words = (
    "Efek plafon: rata-rata pre-test ≥ {lim} % skor maksimum",
    "Ceiling effect: mean pre-test ≥ {lim} % of the maximum",
)
_SIGNIFICANT: Words = ("signifikan", "significant")
_NOT_SIGNIFICANT: Words = ("tidak signifikan", "not significant")
_ADJ_LABEL = {"holm": "Holm", "bonferroni": "Bonferroni", "bh": "BH", "fdr_bh": "BH", "none": ""}

#: ``hake_category`` (Hake 1998 class of the normalised gain).
HAKE_CATEGORIES: dict[str, Words] = {
    "high": ("tinggi", "high"),
    "medium": ("sedang", "medium"),
    "low": ("rendah", "low"),
}
#: ``effectiveness`` (the Indonesian N-Gain % bands; the code is the Indonesian term).
EFFECTIVENESS: dict[str, Words] = {
    "efektif": ("efektif", "effective"),
    "cukup efektif": ("cukup efektif", "fairly effective"),
    "kurang efektif": ("kurang efektif", "less effective"),
    "tidak efektif": ("tidak efektif", "not effective"),
}
#: ``p_adjust_family`` (which tests were adjusted together; ``{m}`` = ``p_adjust_m``).
P_ADJUST_FAMILIES: dict[str, Words] = {
    "call": (
        "semua {m} kelompok dengan nilai p dalam panggilan ini",
        "all {m} groups with a p-value in this call",
    ),
    "l2_year": (
        "semua {m} uji L2 tahun ini (satu per program)",
        "all {m} L2 tests of the year (one per programme)",
    ),
    "l3_year": (
        "semua {m} uji L3 yang selesai tahun ini (satu per program)",
        "all {m} finished L3 tests of the year (one per programme)",
    ),
}

# --------------------------------------------------------------------------------------------
# Level 1, 3 and 4
# --------------------------------------------------------------------------------------------

#: ``aspect`` of Level 1 (the code is the Indonesian word).
L1_ASPECTS: dict[str, Words] = {
    "fasilitator": ("fasilitator", "facilitator"),
    "penyelenggara": ("penyelenggara", "organiser"),
}
#: English of the default Level 1 classes (``category``, the labels of ``evaluation.l1_classes``,
#: lowest first); an agency's own labels are shown as given in both languages.
L1_CLASSES_EN: dict[str, str] = {
    "Buruk": "Poor",
    "Agak buruk": "Fairly poor",
    "Sedang": "Fair",
    "Baik": "Good",
    "Baik sekali": "Very good",
}
#: ``status_reason`` of Level 3. Placeholders: ``{months}`` (``delay_months``), ``{date}``
#: (``program_date``), ``{due}`` (``due_date``), both as YYYY-MM-DD.
L3_STATUS_REASONS: dict[str, Words] = {
    "no_after": ("Belum ada penilaian 'sesudah'.", "No 'after' rating yet."),
    "too_early": (
        "Belum {months} bulan sejak program ({date}); penilaian perilaku jatuh tempo {due}.",
        "Less than {months} months since the programme ({date}); the behaviour rating is due "
        "{due}.",
    ),
    "done": (
        "Penilaian 'sesudah' tersedia; ≥ {months} bulan sejak program.",
        "'After' ratings available; ≥ {months} months since the programme.",
    ),
    "done_date_unknown": (
        "Penilaian 'sesudah' tersedia; tanggal program tidak diketahui.",
        "'After' ratings available; programme date unknown.",
    ),
}
#: ``note`` of Level 4 (every row: no causal attribution without a comparison group).
L4_NOTES: dict[str, Words] = {
    "descriptive": (
        "Perubahan indikator tidak dapat dikaitkan dengan pelatihan tanpa kelompok pembanding; "
        "angka ini deskriptif.",
        "The change in the indicator cannot be attributed to training without a comparison group; "
        "the figures are descriptive.",
    ),
}

# --------------------------------------------------------------------------------------------
# Level 4 with comparison groups (difference in differences) and ROI
# --------------------------------------------------------------------------------------------

#: ``message`` of ``did`` (empty when the estimate is complete).
DID_MESSAGES: dict[str, Words] = {
    "no_comparison": (
        "tidak ada kelompok pembanding; perubahan tidak dikaitkan dengan pelatihan",
        "no comparison group; the change is not attributed to training",
    ),
    "no_trained": (
        "tidak ada unit yang dilatih untuk indikator ini",
        "no trained unit for this indicator",
    ),
    "one_each": (
        "hanya satu unit per kelompok; selang kepercayaan tidak dapat dihitung",
        "only one unit per group; no confidence interval can be computed",
    ),
}
#: The words of the ``no_comparison`` message (also used for indicators of a single unit).
NO_COMPARISON: Words = DID_MESSAGES["no_comparison"]

#: The assumptions under which a difference in differences estimates the effect of training.
DID_ASSUMPTIONS_ID: tuple[str, ...] = (
    "Tren paralel: tanpa pelatihan, indikator unit yang dilatih akan berubah rata-rata sama dengan "
    "unit pembanding.",
    "Tidak ada limpahan: pelatihan di satu unit tidak mengubah indikator unit pembanding.",
    "Komposisi stabil: unit, definisi indikator dan cara pengukurannya sama pada periode sebelum "
    "dan sesudah; unit dipilih untuk pelatihan bukan karena guncangan sementara pada indikatornya.",
    "Tidak ada perubahan lain yang hanya mengenai unit yang dilatih pada periode yang sama "
    "(program, anggaran, pimpinan baru).",
)
DID_ASSUMPTIONS_EN: tuple[str, ...] = (
    "Parallel trends: without training, the indicator of the trained units would have changed on "
    "average as much as that of the comparison units.",
    "No spill-over: training in one unit does not change the indicator of comparison units.",
    "Stable composition: the units, the indicator's definition and its measurement are the same "
    "before and after; units were not chosen for training because of a passing shock in the "
    "indicator.",
    "No other change affecting only the trained units in the same period (programmes, budget, new "
    "leadership).",
)

#: ``isolation`` of ``roi_lines`` (Phillips: how the programme's effect was isolated).
ISOLATION_METHODS: dict[str, Words] = {
    "pembanding": ("kelompok pembanding", "comparison group"),
    "tren": ("garis tren", "trend line"),
    "estimasi": (
        "estimasi peserta/atasan × keyakinan",
        "participant/supervisor estimate × confidence",
    ),
}
#: ``note`` of ``roi_lines`` (empty when there is nothing to say).
ROI_NOTES: dict[str, Words] = {
    "no_data": (
        "tidak ada data: dianggap tidak ada peningkatan",
        "no data: counted as no improvement",
    ),
}

# --------------------------------------------------------------------------------------------
# Follow-up and the merit-index ladder
# --------------------------------------------------------------------------------------------

#: ``reason`` of the follow-up (:data:`workbook.evaluation.followup.REASONS`, in their order).
FOLLOWUP_REASONS: dict[str, Words] = {
    "post_test_rendah": (
        "Skor post-test di bawah batas lulus",
        "Post-test score below the passing score",
    ),
    "gain_rendah": ("N-Gain individu rendah (g < 0,3)", "Low individual normalised gain (g < 0.3)"),
    "kesenjangan_tersisa": (
        "Kompetensi masih di bawah standar",
        "Competency still below the standard",
    ),
    "jp_kurang": ("JP pengembangan di bawah target", "Development hours below the target"),
}

#: Merit-index ladder of the competency development programme [S20]: ``score`` → its step.
MATURITY_LADDER: dict[int, Words] = {
    0: (
        "Tidak ada dokumen rencana pengembangan kompetensi.",
        "No competency development plan document.",
    ),
    1: (
        "Ada dokumen rencana pengembangan kompetensi (AKPK/IDP/HCDP/rencana instansi).",
        "A competency development plan document exists (AKPK/IDP/HCDP/agency plan).",
    ),
    2: (
        "Pengembangan kompetensi dilaksanakan sesuai rencana.",
        "Competency development carried out according to the plan.",
    ),
    3: (
        "Evaluasi atas program pengembangan kompetensi telah dilakukan.",
        "The development programme has been evaluated.",
    ),
    4: (
        "Tindak lanjut atas hasil evaluasi telah dilakukan.",
        "Follow-up on the evaluation results has been carried out.",
    ),
}
#: What to do next at each ``score`` of the ladder.
NEXT_STEPS: dict[int, Words] = {
    0: ("Susun dokumen rencana pengembangan kompetensi.", "Draw up a development plan document."),
    1: ("Laksanakan pengembangan sesuai rencana.", "Carry out development according to the plan."),
    2: (
        "Lakukan evaluasi program (minimal Level 1 dan 2).",
        "Evaluate the programme (at least Levels 1 and 2).",
    ),
    3: (
        "Tindak lanjuti hasil evaluasi (daftar pegawai belum memenuhi standar, kebutuhan tahun "
        "depan).",
        "Follow up the evaluation (staff still below standard, next year's needs).",
    ),
    4: (
        "Tingkat tertinggi tercapai; pertahankan siklusnya.",
        "Highest level reached; keep the cycle going.",
    ),
}

# --------------------------------------------------------------------------------------------
# Free texts: sources and themes
# --------------------------------------------------------------------------------------------

#: ``sumber`` of ``themes`` and ``quotes``: where the free texts come from.
TEXT_SOURCES: dict[str, Words] = {
    "evaluasi_l1": ("Komentar L1", "L1 comments"),
    "wawancara": ("Wawancara", "Interviews"),
    "survei_pegawai": ("Survei kebutuhan (pertanyaan terbuka)", "Needs survey (open question)"),
}
#: Theme codes that are not in a dictionary: texts without content, texts no keyword matched and
#: no cluster took (``lainnya``), and the row of a suppressed group (no code).
THEMES_FIXED: dict[str, Words] = {
    "tanpa_isi": ("Tanpa isi", "No content"),
    "lainnya": ("Lainnya", "Other"),
    "": ("(disembunyikan)", "(suppressed)"),
}
_CLUSTER: Words = ("Lainnya: {terms}", "Other: {terms}")
_CLUSTER_RE = re.compile(r"^lainnya(_kebutuhan)?(_\d+)?$")


def _i(lang: str) -> int:
    return 1 if lang == "en" else 0


def _missing(x: Any) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return isinstance(x, float) and math.isnan(x)
    except TypeError:
        return False


def fmt_fixed(x: float, lang: str, decimals: int) -> str:
    """Fixed decimals with the language's separators (``0,85`` Indonesian, ``0.85`` English)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(x, format=pattern, locale="id_ID" if lang == "id" else "en")


def _fmt_p(p: float, lang: str) -> str:
    if p < 0.001:
        return "< " + fmt_fixed(0.001, lang, 3)
    return "= " + fmt_fixed(p, lang, 3)


def text(table: Mapping[Any, Words], code: Any, lang: str = "id", **params: Any) -> str | None:
    """The words of ``code`` in ``table`` (None for a missing code; the code when unknown)."""
    if _missing(code):
        return None
    pair = table.get(code)
    if pair is None:
        return str(code)
    out = pair[_i(lang)]
    return out.format(**params) if params else out


def method_reason_text(code: Any, lang: str = "id", *, test: Any = None, p: Any = None,
                       alpha: Any = None) -> str | None:
    """Why the reported test was chosen, with the normality test, its p-value and α filled in.

    None without a code, and for "normal"/"not_normal" without the p-value (a suppressed
    programme: its p is hidden, so is the sentence that would carry it).
    """
    if _missing(code):
        return None
    if code in ("normal", "not_normal"):
        if _missing(p):  # the p-value of a suppressed programme is hidden: no sentence either
            return None
        name = NORMALITY_TESTS.get(str(test), (str(test), str(test)))[_i(lang)]
        return text(METHOD_REASONS, code, lang, test=name, p=f"{float(p):.4g}", alpha=alpha)
    return text(METHOD_REASONS, code, lang)


def _row_reason(r: Mapping[str, Any], lang: str) -> str | None:
    return method_reason_text(r.get("method_reason"), lang, test=r.get("normality_test"),
                              p=r.get("normality_p"), alpha=r.get("normality_alpha"))


def verdict_text(r: Mapping[str, Any], lang: str = "id") -> str | None:
    """The one-sentence reading of a Level 2 row (``verdict`` and the numbers beside it)."""
    code = r.get("verdict")
    if _missing(code):
        return None
    i = _i(lang)
    if code == "not_tested":
        reason = method_reason_text(r.get("method_reason"), lang, test=r.get("normality_test"),
                                    p=r.get("normality_p"), alpha=r.get("normality_alpha"))
        return text(VERDICTS, code, lang, reason=(reason or "").rstrip(".")) + "."
    lab = _ADJ_LABEL.get(str(r.get("p_adjust_method")), str(r.get("p_adjust_method")))
    p = float(r["p_adj"])
    p_txt = (f"p {lab} {_fmt_p(p, lang)}".replace("  ", " ") if lang == "id"
             else f"{lab} p {_fmt_p(p, lang)}".strip())
    g = float(r["g_z"]) if not _missing(r.get("g_z")) else float("nan")
    params = {
        "g": f"g_z = {fmt_fixed(g, lang, 2)}" if g == g else "",
        "p": p_txt,
        "thr": fmt_fixed(float(r.get("meaningful_threshold", float("nan"))), lang, 2)
        if code == "significant_small" else "",
        "n": int(r["n"]) if not _missing(r.get("n")) else "",
        "mde": fmt_fixed(float(r["mde"]), lang, 2) if code == "meaningful_not_significant" else "",
        "sig": (_SIGNIFICANT if bool(r.get("significant")) else _NOT_SIGNIFICANT)[i],
    }
    out = VERDICTS[code][i].format(**params)
    if bool(r.get("ceiling")):
        lim = fmt_fixed(float(r["ceiling_limit_pct"]), lang, 0)
        out += ". " + CEILING[i].format(lim=lim)
    return out + "."


def _status_reason(r: Mapping[str, Any], lang: str) -> str | None:
    def day(x: Any) -> str:
        return "" if _missing(x) else f"{pd.Timestamp(x):%Y-%m-%d}"

    months = r.get("delay_months")
    return text(L3_STATUS_REASONS, r.get("status_reason"), lang,
                months="" if _missing(months) else int(months), date=day(r.get("program_date")),
                due=day(r.get("due_date")))


def _p_family(r: Mapping[str, Any], lang: str) -> str | None:
    m = r.get("p_adjust_m")
    m = "" if _missing(m) else int(m)
    if lang == "both":  # the one cell of the spreadsheet says it in both languages
        a, b = (text(P_ADJUST_FAMILIES, r.get("p_adjust_family"), x, m=m) for x in ("id", "en"))
        return None if a is None else f"{a} | {b}"
    return text(P_ADJUST_FAMILIES, r.get("p_adjust_family"), lang, m=m)


def did_assumptions(lang: str = "id") -> str:
    """The DiD assumptions as a Markdown bullet list in Indonesian (``"id"``) or English."""
    items = DID_ASSUMPTIONS_EN if lang == "en" else DID_ASSUMPTIONS_ID
    return "\n".join(f"- {x}" for x in items)


def _theme_table(dictionary: Sequence[Theme] | None) -> dict[str, Words]:
    out: dict[str, Words] = {}
    for th in (*THEMES_EVALUASI, *THEMES_KEBUTUHAN):
        out.setdefault(th.code, (th.label_id, th.label_en))
    out.update(CODED_THEME_LABELS)
    for th in dictionary or ():
        out[th.code] = (th.label_id, th.label_en)
    return out


def theme_label(code: Any, lang: str = "id", terms: Any = "", *,
                dictionary: Sequence[Theme] | None = None) -> str:
    """The label of a theme code (``tema``): the agency's dictionary first, then the built-in ones.

    A cluster of texts no keyword matched (``lainnya_<k>``) is named by its ``terms``
    (``kata_klaster``); an interviewer's code outside the dictionaries by itself, capitalised;
    a missing code is a suppressed group.
    """
    i = _i(lang)
    if _missing(code) or code == "":
        return THEMES_FIXED[""][i]
    code = str(code)
    if not _missing(terms) and str(terms) and _CLUSTER_RE.match(code):
        return _CLUSTER[i].format(terms=terms)
    if _CLUSTER_RE.match(code):
        return THEMES_FIXED["lainnya"][i]
    table = _theme_table(dictionary)
    if code in table:
        return table[code][i]
    if code in THEMES_FIXED:
        return THEMES_FIXED[code][i]
    return code.replace("_", " ").capitalize()


# --------------------------------------------------------------------------------------------
# Words of a code column, and the readable sheets of evaluation.xlsx
# --------------------------------------------------------------------------------------------


def _l1_category(r: Mapping[str, Any], lang: str) -> str | None:
    c = r.get("category")
    if _missing(c):
        return None
    return str(c) if lang == "id" else L1_CLASSES_EN.get(str(c), str(c))


#: (row, language, the agency's theme dictionary) -> the words of one code of the row
_Render = Callable[[Mapping[str, Any], str, Sequence[Theme] | None], str | None]
_RENDER: dict[str, _Render] = {
    "method_reason": lambda r, lang, d: _row_reason(r, lang),
    "verdict": lambda r, lang, d: verdict_text(r, lang),
    "hake_category": lambda r, lang, d: text(HAKE_CATEGORIES, r.get("hake_category"), lang),
    "effectiveness": lambda r, lang, d: text(EFFECTIVENESS, r.get("effectiveness"), lang),
    "p_adjust_family": lambda r, lang, d: _p_family(r, lang),
    "aspect": lambda r, lang, d: text(L1_ASPECTS, r.get("aspect"), lang),
    "category": lambda r, lang, d: _l1_category(r, lang),
    "status_reason": lambda r, lang, d: _status_reason(r, lang),
    "l4_note": lambda r, lang, d: text(L4_NOTES, r.get("note"), lang),
    "did_message": lambda r, lang, d: text(DID_MESSAGES, r.get("message") or None, lang) or "",
    "reason": lambda r, lang, d: text(FOLLOWUP_REASONS, r.get("reason"), lang),
    "tema": lambda r, lang, d: theme_label(r.get("tema"), lang, r.get("kata_klaster", ""),
                                           dictionary=d),
    "maturity": lambda r, lang, d: text(MATURITY_LADDER, int(r["score"]), lang),
    "next_step": lambda r, lang, d: text(NEXT_STEPS, int(r["score"]), lang),
    "roi_note": lambda r, lang, d: text(ROI_NOTES, r.get("note") or None, lang) or "",
    "sumber": lambda r, lang, d: text(TEXT_SOURCES, r.get("sumber"), lang),
}


def words(df: pd.DataFrame, kind: str, lang: str = "id", *,
          dictionary: Sequence[Theme] | None = None) -> pd.Series:
    """The words of one code column of ``df``, row by row (the row's numbers filled in).

    ``kind`` is the code column (``method_reason``, ``verdict``, ``hake_category``,
    ``effectiveness``, ``p_adjust_family``, ``aspect``, ``category``, ``status_reason``,
    ``reason``, ``tema``, ``sumber``) or one of ``l4_note`` (``note`` of Level 4), ``roi_note``
    (``note`` of ``roi_lines``), ``did_message`` (``message`` of ``did``), ``maturity`` and
    ``next_step`` (both from ``score``). ``dictionary``: the agency's theme dictionary, for
    ``tema``.
    """
    render = _RENDER[kind]
    vals = [render(r, lang, dictionary) for r in df.to_dict("records")]
    return pd.Series(vals, index=df.index, dtype=object)


_THEME_WORDS = [("tema", None, ""), ("label_id", "tema", "id"), ("label_en", "tema", "en")]
#: The sheets of ``evaluation.xlsx`` with words: code column → the columns shown in its place,
#: as (column, kind of words, language); kind None keeps the code itself.
_SHEETS: dict[str, dict[str, list[tuple[str, str | None, str]]]] = {
    "level1": {
        "aspect": [("aspect", None, ""), ("aspect_en", "aspect", "en")],
        "category": [("category", None, ""), ("category_en", "category", "en")],
    },
    "level2": {
        "method_reason": [("method_reason", "method_reason", "id"),
                          ("method_reason_en", "method_reason", "en")],
        "hake_category": [("hake_category", None, ""), ("hake_category_id", "hake_category", "id")],
        "p_adjust_family": [("p_adjust_family", "p_adjust_family", "both")],
        "verdict": [("verdict_id", "verdict", "id"), ("verdict_en", "verdict", "en")],
    },
    "level3": {
        "status_reason": [("status_reason_id", "status_reason", "id"),
                          ("status_reason_en", "status_reason", "en")],
        "method_reason": [("method_reason", "method_reason", "id"),
                          ("method_reason_en", "method_reason", "en")],
        "p_adjust_family": [("p_adjust_family", "p_adjust_family", "both")],
    },
    "level4": {"note": [("note", "l4_note", "id"), ("note_en", "l4_note", "en")]},
    "did": {"message": [("message_id", "did_message", "id"), ("message_en", "did_message", "en")]},
    "themes": {"tema": _THEME_WORDS},
    "quotes": {"tema": _THEME_WORDS},
    "followup_units": {"reason": [("reason", None, ""), ("reason_id", "reason", "id"),
                                  ("reason_en", "reason", "en")]},
    "maturity": {"score": [("score", None, ""), ("label_id", "maturity", "id"),
                           ("label_en", "maturity", "en"), ("next_step_id", "next_step", "id"),
                           ("next_step_en", "next_step", "en")]},
    "roi_lines": {"note": [("note", "roi_note", "id")]},
}


def readable(df: pd.DataFrame, artefact: str, *,
             dictionary: Sequence[Theme] | None = None) -> pd.DataFrame:
    """An artefact as a person reads it in ``evaluation.xlsx``: its codes with their words.

    Each code column of ``artefact`` (a key of the sheets above: ``level1`` … ``roi_lines``) is
    shown with its Indonesian and English words beside it, under the column names the sheets
    have always had (``verdict_id``/``verdict_en``, ``label_id``/``label_en``…); codes that were
    never shown (``verdict``, ``message``, ``status_reason``, ``method_reason``, ``note``) are
    replaced by their words. Other artefacts are returned unchanged.
    """
    spec = _SHEETS.get(artefact)
    if spec is None or df is None or not len(df.columns):
        return df
    cols: dict[str, pd.Series] = {}
    for c in df.columns:
        if c not in spec:
            cols[c] = df[c]
            continue
        for name, kind, lang in spec[c]:
            cols[name] = df[c] if kind is None else words(df, kind, lang, dictionary=dictionary)
    return pd.DataFrame(cols, index=df.index)


# --------------------------------------------------------------------------------------------
# The codes in docs/data.md
# --------------------------------------------------------------------------------------------

#: (column, artefacts, words) of every code table, in the order of ``docs/data.md``.
_DOC_TABLES: list[tuple[str, str, Mapping[Any, Words]]] = [
    ("method_reason", "level2, level3", METHOD_REASONS),
    ("normality_test", "level2, level3", NORMALITY_TESTS),
    ("verdict", "level2", VERDICTS),
    ("hake_category", "level2", HAKE_CATEGORIES),
    ("effectiveness", "level2", EFFECTIVENESS),
    ("p_adjust_family", "level2, level3", P_ADJUST_FAMILIES),
    ("aspect", "level1", L1_ASPECTS),
    ("category", "level1", {k: (k, v) for k, v in L1_CLASSES_EN.items()}),
    ("status_reason", "level3", L3_STATUS_REASONS),
    ("note", "level4", L4_NOTES),
    ("message", "did", DID_MESSAGES),
    ("isolation", "roi_lines", ISOLATION_METHODS),
    ("note", "roi_lines", ROI_NOTES),
    ("reason", "followup_units, restricted/followup", FOLLOWUP_REASONS),
    ("score", "maturity: the step reached", MATURITY_LADDER),
    ("score", "maturity: the next step", NEXT_STEPS),
    ("sumber", "themes, quotes", TEXT_SOURCES),
    ("tema", "themes, quotes: codes outside the dictionaries",
     {k: v for k, v in THEMES_FIXED.items() if k}),
    ("tema", "themes, quotes: the built-in dictionaries and interview codes", _theme_table(None)),
]


def codes_markdown() -> str:
    """The section ``### 03_evaluation`` of ``docs/data.md``: every code with its words."""
    out = [
        "### 03_evaluation",
        "",
        "The evaluation artefacts hold codes and numbers; the words below are filled in by "
        "`workbook/evaluation/words.py` (the report, dashboards and `evaluation.xlsx` show the "
        "words). `{placeholders}` are the row's columns: `normality_p`/`normality_alpha` (method "
        "reason), `g_z`, `p_adj` with `p_adjust_method`, `meaningful_threshold`, `n`, `mde`, "
        "`significant` (verdict; `ceiling` adds the ceiling sentence with `ceiling_limit_pct`), "
        "`delay_months`, `program_date`, `due_date` (status reason), `p_adjust_m` (family). A "
        "cluster theme `lainnya_<k>` (or `lainnya_kebutuhan_<k>`) is named by its `kata_klaster`: "
        "\"Lainnya: {terms}\" / \"Other: {terms}\"; an agency dictionary "
        "(`themes.dictionary_file`) names its own codes; the empty `tema` of a suppressed group "
        "reads \"(disembunyikan)\" / \"(suppressed)\".",
        "",
    ]
    for col, where, table in _DOC_TABLES:
        out += [f"`{col}` — {where}", "", "| code | id | en |", "|---|---|---|"]
        for code, (w_id, w_en) in table.items():
            out.append(f"| `{code}` | {w_id} | {w_en} |")
        out.append("")
    out += ["`did` `message` is empty when the estimate is complete; `roi_lines` `note` is empty "
            "when the row had data.", ""]
    return "\n".join(out)


#: the name :func:`workbook.pipeline.data_md` looks for in each stage's ``words`` module
codes_md = codes_markdown
