"""The words of stage 03's codes: what a person reads for a code of the evaluation artefacts.

The kernels (:mod:`~workbook.evaluation.l1_reaction` … :mod:`~workbook.evaluation.maturity`,
:mod:`workbook.core.stats`) write codes and the numbers a sentence needs; this module turns them
into words, Indonesian first, English with ``lang="en"``. The words are entries
``evaluation.<column>.<code>`` of the catalogue (``workbook/evaluation/messages.yaml``, looked up
with :func:`workbook.core.i18n.t`); templates take their ``{placeholders}`` from the row's
columns. Numbers in the sentences use the language's decimal sign (``p = 0,3894`` in Indonesian).

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

from workbook.core.i18n import code_words, codes, fmt_fixed, fmt_significant, t
from workbook.evaluation.lexicon import CODED_THEME_LABELS, THEMES_EVALUASI, THEMES_KEBUTUHAN, Theme

Words = tuple[str, str]

#: The words of each code are catalogue entries of ``workbook/evaluation/messages.yaml``,
#: ``evaluation.<family>.<code>``; the tables of code → (Indonesian, English) named here are
#: read-only views of them, built on first use (module ``__getattr__``), kept for code that lists
#: codes with their words. Text is looked up with :func:`workbook.core.i18n.t`.
#:
#: Level 2 and 3 (the paired tests of :mod:`workbook.core.stats` and the reading of a programme):
#: ``METHOD_REASONS`` (``method_reason``: why the reported test was chosen; placeholders
#: ``{test}``, ``{p}`` = ``normality_p``, ``{alpha}`` = ``normality_alpha``), ``NORMALITY_TESTS``
#: (``normality_test``), ``VERDICTS`` (``verdict`` of Level 2: significance after the Holm
#: correction and the magnitude; the sentence is :func:`verdict_text`), ``MAGNITUDES``
#: (``magnitude``: read from the 95 % interval of d_av), ``DIRECTIONS``, ``RELIABILITY``
#: (``reliability`` of Level 1), ``CONFLICTS`` (``conflict`` of ``verdicts``), ``HAKE_CATEGORIES``, ``EFFECTIVENESS``, ``P_ADJUST_FAMILIES``
#: (``{m}`` = ``p_adjust_m``). Level 1, 3 and 4: ``L1_ASPECTS``, ``L3_STATUS_REASONS``
#: (``{months}``, ``{date}``, ``{due}``), ``L4_NOTES``. Difference in differences and ROI:
#: ``DID_MESSAGES``, ``ISOLATION_METHODS``, ``ROI_NOTES``. Follow-up and the merit-index ladder
#: [S20]: ``FOLLOWUP_REASONS``, ``MATURITY_LADDER`` and ``NEXT_STEPS`` (keyed by ``score``),
#: ``FOLLOWUP_STATES`` (``followup_state``: a list is not a recorded action); ``INDICATOR_KINDS``
#: (``indicator_kind`` of level4/did: result or process indicator).
#: Free texts: ``TEXT_SOURCES`` (``sumber``).
_FAMILY: dict[str, str] = {
    "METHOD_REASONS": "evaluation.method_reason",
    "NORMALITY_TESTS": "evaluation.normality_test",
    "VERDICTS": "evaluation.verdict",
    "MAGNITUDES": "evaluation.magnitude",
    "DIRECTIONS": "evaluation.direction",
    "RELIABILITY": "evaluation.reliability",
    "CONFLICTS": "evaluation.conflict",
    "HAKE_CATEGORIES": "evaluation.hake_category",
    "EFFECTIVENESS": "evaluation.effectiveness",
    "P_ADJUST_FAMILIES": "evaluation.p_adjust_family",
    "L1_ASPECTS": "evaluation.aspect",
    "L3_STATUS_REASONS": "evaluation.status_reason",
    "L4_NOTES": "evaluation.l4_note",
    "DID_MESSAGES": "evaluation.did_message",
    "ISOLATION_METHODS": "evaluation.isolation",
    "ROI_NOTES": "evaluation.roi_note",
    "FOLLOWUP_REASONS": "evaluation.followup_reason",
    "MATURITY_LADDER": "evaluation.maturity",
    "NEXT_STEPS": "evaluation.next_step",
    "TEXT_SOURCES": "evaluation.sumber",
    "FOLLOWUP_STATES": "evaluation.followup_state",
    "INDICATOR_KINDS": "evaluation.indicator_kind",
}
#: the families keyed by an integer (``score`` of ``maturity``)
_INT_KEYS = ("evaluation.maturity", "evaluation.next_step")


def _pair(key: str) -> Words:
    return t(key, "id"), t(key, "en")


def _table(prefix: str) -> dict[Any, Words]:
    key = int if prefix in _INT_KEYS else str
    return {key(c): w for c, w in code_words(prefix).items()}


#: The other views: ``CEILING`` (added to a verdict when ``ceiling`` is True; ``{lim}`` =
#: ``ceiling_limit_pct``), ``NO_COMPARISON`` (the words of the ``no_comparison`` message, also for
#: indicators of a single unit), ``DID_ASSUMPTIONS_ID`` / ``DID_ASSUMPTIONS_EN`` (the
#: assumptions under which a difference in differences estimates the effect of training),
#: ``L1_CLASSES_EN`` (English of the default Level 1 classes, the labels of
#: ``evaluation.l1_classes``; an agency's own labels show as given) and ``THEMES_FIXED`` (theme
#: codes outside the dictionaries: ``tanpa_isi``, ``lainnya`` and the empty code of a suppressed
#: group).
_VIEWS: dict[str, Callable[[], Any]] = {
    "CEILING": lambda: _pair("evaluation.verdict_part.ceiling"),
    "NO_COMPARISON": lambda: _pair("evaluation.did_message.no_comparison"),
    "DID_ASSUMPTIONS_ID": lambda: tuple(w[0] for w in code_words(_ASSUMPTIONS).values()),
    "DID_ASSUMPTIONS_EN": lambda: tuple(w[1] for w in code_words(_ASSUMPTIONS).values()),
    "L1_CLASSES_EN": lambda: {c: w[1] for c, w in code_words("evaluation.category").items()},
    "THEMES_FIXED": lambda: {**code_words("evaluation.tema"),
                             "": _pair("evaluation.tema_part.suppressed")},
}
_ASSUMPTIONS = "evaluation.did_assumption"
__all__ = [
    *_FAMILY,
    *_VIEWS,
    "fmt_fixed",
    "fmt_p",
    "method_reason_text",
    "verdict_text",
    "did_assumptions",
    "theme_label",
    "text",
    "words",
    "readable",
    "codes_markdown",
]
_ADJ_LABEL = {"holm": "Holm", "bonferroni": "Bonferroni", "bh": "BH", "fdr_bh": "BH", "none": ""}
_CLUSTER_RE = re.compile(r"^lainnya(_kebutuhan)?(_\d+)?$")


def __getattr__(name: str) -> Any:
    if name in _FAMILY:
        return _table(_FAMILY[name])
    if name in _VIEWS:
        return _VIEWS[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _missing(x: Any) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return isinstance(x, float) and math.isnan(x)
    except TypeError:
        return False


def fmt_p(p: float, lang: str) -> str:
    """A p-value after its sign: "< 0,001" or "= 0,097" (three decimals, the language's sign)."""
    if p < 0.001:
        return "< " + fmt_fixed(0.001, lang, 3)
    return "= " + fmt_fixed(p, lang, 3)


def _word(prefix: str, code: Any, lang: str, **params: Any) -> str | None:
    """The words of ``code`` (entry ``<prefix>.<code>``; None for a missing code, the code itself
    when the catalogue has no entry)."""
    if _missing(code):
        return None
    if str(code) not in codes(prefix):
        return str(code)
    return t(f"{prefix}.{code}", lang, **params)


def text(table: Mapping[Any, Words] | str, code: Any, lang: str = "id",
         **params: Any) -> str | None:
    """The words of ``code`` (None for a missing code; the code when unknown): ``table`` is a
    catalogue prefix (``"evaluation.followup_reason"``: the entry ``<prefix>.<code>``) or a
    mapping code → (Indonesian, English)."""
    if isinstance(table, str):
        return _word(table, code, lang, **params)
    if _missing(code):
        return None
    pair = table.get(code)
    if pair is None:
        return str(code)
    out = pair[1 if lang == "en" else 0]  # a table given by the caller: (Indonesian, English)
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
        name = _word("evaluation.normality_test", str(test), lang)
        return _word("evaluation.method_reason", code, lang, test=name,
                     p=fmt_significant(float(p), lang, 4),
                     alpha=alpha if _missing(alpha) else fmt_significant(float(alpha), lang, 4))
    return _word("evaluation.method_reason", code, lang)


def _row_reason(r: Mapping[str, Any], lang: str) -> str | None:
    return method_reason_text(r.get("method_reason"), lang, test=r.get("normality_test"),
                              p=r.get("normality_p"), alpha=r.get("normality_alpha"))


def _num(r: Mapping[str, Any], key: str) -> float:
    v = r.get(key)
    return float("nan") if _missing(v) else float(v)


def _verdict_parts(r: Mapping[str, Any], code: str, lang: str, short: bool = False) -> list[str]:
    """The clauses after the verdict words: N-Gain with its class (not in the short form), the pass
    rate, the MDE."""
    parts = []
    g = _num(r, "g_class")
    if g == g and not _missing(r.get("hake_category")) and not short:
        cls = _word("evaluation.hake_category", r.get("hake_category"), lang)
        parts.append(t("evaluation.verdict_part.ngain", lang, g=fmt_fixed(g, lang, 2), cls=cls))
    rate, passing = _num(r, "pass_rate"), _num(r, "passing_score_pct")
    if rate == rate and passing == passing:
        key = "all_passed" if rate >= 1 else "not_passed"
        parts.append(t(f"evaluation.verdict_part.{key}", lang, passing=fmt_fixed(passing, lang, 0),
                       pct=f"{fmt_fixed((1 - rate) * 100, lang, 0)} %"))
    mde, mde_holm = _num(r, "mde"), _num(r, "mde_holm")
    if code.startswith("ns_") and mde == mde:
        power = _num(r, "mde_power")
        parts.append(t("evaluation.verdict_part.mde", lang, n=int(r["n"]), mde=fmt_fixed(mde, lang, 2),
                       mde_holm=fmt_fixed(mde_holm, lang, 2) if mde_holm == mde_holm else "–",
                       power=f"{fmt_fixed((power if power == power else 0.8) * 100, lang, 0)} %",
                       alpha=fmt_fixed(_num(r, "mde_alpha") if not _missing(r.get("mde_alpha")) else 0.05,
                                      lang, 2)))
    return parts


def verdict_text(r: Mapping[str, Any], lang: str = "id", *, short: bool = False) -> str | None:
    """The combined reading of a Level 2 row: the ``verdict`` words, the adjusted p and d_av with
    its interval, then N-Gain with its class, the share not passed and (not significant) the
    minimum detectable effect, e.g. "Naik signifikan secara statistik tetapi kecil (p Holm =
    0,012; d_av = 0,15, SK 95 % 0,05 s.d. 0,19); N-Gain 0,12 (rendah); 60 % peserta belum lulus
    (post-test < 70 %).". ``short`` leaves out what a table shows in its own columns (p, d_av
    with its interval, N-Gain): "Naik signifikan secara statistik tetapi kecil; 60 % peserta belum
    lulus (post-test < 70 %)."."""
    code = r.get("verdict")
    if _missing(code):
        return None
    code = str(code)
    if code == "not_tested":
        reason = method_reason_text(r.get("method_reason"), lang, test=r.get("normality_test"),
                                    p=r.get("normality_p"), alpha=r.get("normality_alpha"))
        out = _word("evaluation.verdict", code, lang, reason=(reason or "").rstrip("."))
        return out + "."
    lab = _ADJ_LABEL.get(str(r.get("p_adjust_method")), str(r.get("p_adjust_method")))
    inner = []
    if not _missing(r.get("p_adj")):
        p_txt = t("evaluation.verdict_part.p_adj", lang, method=lab, p=fmt_p(float(r["p_adj"]), lang))
        inner.append(p_txt.replace("  ", " ").strip())
    d = _num(r, "d_av")
    if d == d:
        inner.append(t("evaluation.verdict_part.effect", lang, d=fmt_fixed(d, lang, 2),
                       lo=fmt_fixed(_num(r, "d_av_ci_low"), lang, 2),
                       hi=fmt_fixed(_num(r, "d_av_ci_high"), lang, 2)))
    out = t(f"evaluation.verdict.{code}", lang)
    if inner and not short:
        out += " (" + "; ".join(inner) + ")"
    parts = _verdict_parts(r, code, lang, short)
    if parts:
        out += "; " + "; ".join(parts)
    if bool(r.get("ceiling")) and not _missing(r.get("ceiling_limit_pct")):
        lim = fmt_fixed(float(r["ceiling_limit_pct"]), lang, 0)
        out += ". " + t("evaluation.verdict_part.ceiling", lang, lim=lim)
    return out + "."


def _status_reason(r: Mapping[str, Any], lang: str) -> str | None:
    def day(x: Any) -> str:
        return "" if _missing(x) else f"{pd.Timestamp(x):%Y-%m-%d}"

    months = r.get("delay_months")
    return _word("evaluation.status_reason", r.get("status_reason"), lang,
                months="" if _missing(months) else int(months), date=day(r.get("program_date")),
                due=day(r.get("due_date")))


def _p_family(r: Mapping[str, Any], lang: str) -> str | None:
    m = r.get("p_adjust_m")
    m = "" if _missing(m) else int(m)
    if lang == "both":  # the one cell of the spreadsheet says it in both languages
        a, b = (_word("evaluation.p_adjust_family", r.get("p_adjust_family"), x, m=m)
                for x in ("id", "en"))
        return None if a is None else f"{a} | {b}"
    return _word("evaluation.p_adjust_family", r.get("p_adjust_family"), lang, m=m)


def did_assumptions(lang: str = "id") -> str:
    """The DiD assumptions as a Markdown bullet list in Indonesian (``"id"``) or English."""
    return "\n".join(f"- {t(f'{_ASSUMPTIONS}.{c}', lang)}" for c in codes(_ASSUMPTIONS))


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
    if _missing(code) or code == "":
        return t("evaluation.tema_part.suppressed", lang)
    code = str(code)
    if not _missing(terms) and str(terms) and _CLUSTER_RE.match(code):
        return t("evaluation.tema_part.cluster", lang, terms=terms)
    if _CLUSTER_RE.match(code):
        return t("evaluation.tema.lainnya", lang)
    table = _theme_table(dictionary)
    if code in table:
        return table[code][1 if lang == "en" else 0]  # the dictionaries' (label_id, label_en)
    if code in codes("evaluation.tema"):
        return t(f"evaluation.tema.{code}", lang)
    return code.replace("_", " ").capitalize()


# --------------------------------------------------------------------------------------------
# Words of a code column, and the readable sheets of evaluation.xlsx
# --------------------------------------------------------------------------------------------


def _l1_category(r: Mapping[str, Any], lang: str) -> str | None:
    c = r.get("category")
    if _missing(c):
        return None
    return _word("evaluation.category", str(c), lang)


#: (row, language, the agency's theme dictionary) -> the words of one code of the row
_Render = Callable[[Mapping[str, Any], str, Sequence[Theme] | None], str | None]
def _column(prefix: str, column: str, *, empty: bool = False) -> _Render:
    """The words of the row's ``column`` code, entries ``<prefix>.<code>`` (``empty``: ``''``
    instead of None for a row without a code)."""
    if empty:
        return lambda r, lang, d: _word(prefix, r.get(column) or None, lang) or ""
    return lambda r, lang, d: _word(prefix, r.get(column), lang)


_RENDER: dict[str, _Render] = {
    "method_reason": lambda r, lang, d: _row_reason(r, lang),
    "verdict": lambda r, lang, d: verdict_text(r, lang),
    "hake_category": _column("evaluation.hake_category", "hake_category"),
    "magnitude": _column("evaluation.magnitude", "magnitude"),
    "direction": _column("evaluation.direction", "direction"),
    "reliability": _column("evaluation.reliability", "reliability"),
    "effectiveness": _column("evaluation.effectiveness", "effectiveness"),
    "p_adjust_family": lambda r, lang, d: _p_family(r, lang),
    "aspect": _column("evaluation.aspect", "aspect"),
    "category": lambda r, lang, d: _l1_category(r, lang),
    "status_reason": lambda r, lang, d: _status_reason(r, lang),
    "l4_note": _column("evaluation.l4_note", "note"),
    "did_message": _column("evaluation.did_message", "message", empty=True),
    "reason": _column("evaluation.followup_reason", "reason"),
    "tema": lambda r, lang, d: theme_label(r.get("tema"), lang, r.get("kata_klaster", ""),
                                           dictionary=d),
    "maturity": lambda r, lang, d: _word("evaluation.maturity", int(r["score"]), lang),
    "next_step": lambda r, lang, d: _word("evaluation.next_step", int(r["score"]), lang),
    "roi_note": _column("evaluation.roi_note", "note", empty=True),
    "sumber": _column("evaluation.sumber", "sumber"),
    "followup_state": _column("evaluation.followup_state", "followup_state"),
    "indicator_kind": _column("evaluation.indicator_kind", "indicator_kind"),
}


def words(df: pd.DataFrame, kind: str, lang: str = "id", *,
          dictionary: Sequence[Theme] | None = None) -> pd.Series:
    """The words of one code column of ``df``, row by row (the row's numbers filled in).

    ``kind`` is the code column (``method_reason``, ``verdict``, ``hake_category``,
    ``effectiveness``, ``p_adjust_family``, ``aspect``, ``category``, ``status_reason``,
    ``reason``, ``tema``, ``sumber``) or one of ``l4_note`` (``note`` of Level 4), ``roi_note``
    (``note`` of ``roi_lines``), ``did_message`` (``message`` of ``did``), ``maturity`` and
    ``next_step`` (both from ``score``), ``followup_state`` (``maturity``), ``indicator_kind``
    (``level4``, ``did``). ``dictionary``: the agency's theme dictionary, for
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
        "reliability": [("reliability", None, ""), ("reliability_id", "reliability", "id")],
    },
    "level2": {
        "method_reason": [("method_reason", "method_reason", "id"),
                          ("method_reason_en", "method_reason", "en")],
        "hake_category": [("hake_category", None, ""), ("hake_category_id", "hake_category", "id")],
        "p_adjust_family": [("p_adjust_family", "p_adjust_family", "both")],
        "verdict": [("verdict", None, ""), ("verdict_id", "verdict", "id"),
                    ("verdict_en", "verdict", "en")],
        "magnitude": [("magnitude", None, ""), ("magnitude_id", "magnitude", "id")],
    },
    "verdicts": {
        "verdict": [("verdict", None, ""), ("verdict_id", "verdict", "id"),
                    ("verdict_en", "verdict", "en")],
        "magnitude": [("magnitude", None, ""), ("magnitude_id", "magnitude", "id")],
        "hake_category": [("hake_category", None, ""), ("hake_category_id", "hake_category", "id")],
    },
    "level3": {
        "status_reason": [("status_reason_id", "status_reason", "id"),
                          ("status_reason_en", "status_reason", "en")],
        "method_reason": [("method_reason", "method_reason", "id"),
                          ("method_reason_en", "method_reason", "en")],
        "p_adjust_family": [("p_adjust_family", "p_adjust_family", "both")],
    },
    "level4": {"note": [("note", "l4_note", "id"), ("note_en", "l4_note", "en")],
               "indicator_kind": [("indicator_kind", None, ""), ("indicator_kind_en", "indicator_kind", "en")]},
    "did": {"message": [("message_id", "did_message", "id"), ("message_en", "did_message", "en")],
            "indicator_kind": [("indicator_kind", None, ""), ("indicator_kind_en", "indicator_kind", "en")]},
    "themes": {"tema": _THEME_WORDS},
    "quotes": {"tema": _THEME_WORDS},
    "followup_units": {"reason": [("reason", None, ""), ("reason_id", "reason", "id"),
                                  ("reason_en", "reason", "en")]},
    "maturity": {"score": [("score", None, ""), ("label_id", "maturity", "id"),
                           ("label_en", "maturity", "en"), ("next_step_id", "next_step", "id"),
                           ("next_step_en", "next_step", "en")],
                 "followup_state": [("followup_state", None, ""),
                                    ("followup_state_id", "followup_state", "id"),
                                    ("followup_state_en", "followup_state", "en")]},
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

#: (column, artefacts, catalogue prefix of the words) of every code table, in the order of
#: ``docs/data.md``; None: the built-in theme dictionaries.
_DOC_TABLES: list[tuple[str, str, str | None]] = [
    ("method_reason", "level2, level3", "evaluation.method_reason"),
    ("normality_test", "level2, level3", "evaluation.normality_test"),
    ("verdict", "level2, verdicts", "evaluation.verdict"),
    ("magnitude", "level2, level3, verdicts", "evaluation.magnitude"),
    ("direction", "level2, level3, verdicts", "evaluation.direction"),
    ("hake_category", "level2", "evaluation.hake_category"),
    ("effectiveness", "level2", "evaluation.effectiveness"),
    ("p_adjust_family", "level2, level3", "evaluation.p_adjust_family"),
    ("aspect", "level1", "evaluation.aspect"),
    ("category", "level1", "evaluation.category"),
    ("reliability", "level1", "evaluation.reliability"),
    ("conflict", "verdicts ({prog}, {l3} = L3 d_av, {n_int}, {n_not}: interviews). The code reads the L3 "
     "point estimate; the report uses these words only when the L3 rise is significant after Holm, "
     "otherwise `evaluation.conflict_ns.*` (the rise is \"tidak terbukti\", with its Holm p)", "evaluation.conflict"),
    ("status_reason", "level3", "evaluation.status_reason"),
    ("note", "level4", "evaluation.l4_note"),
    ("message", "did", "evaluation.did_message"),
    ("isolation", "roi_lines", "evaluation.isolation"),
    ("note", "roi_lines", "evaluation.roi_note"),
    ("reason", "followup_units, restricted/followup", "evaluation.followup_reason"),
    ("score", "maturity: the step reached", "evaluation.maturity"),
    ("score", "maturity: the next step", "evaluation.next_step"),
    ("followup_state", "maturity", "evaluation.followup_state"),
    ("indicator_kind", "level4, did", "evaluation.indicator_kind"),
    ("sumber", "themes, quotes", "evaluation.sumber"),
    ("tema", "themes, quotes: codes outside the dictionaries", "evaluation.tema"),
    ("tema", "themes, quotes: the built-in dictionaries and interview codes", None),
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
    for col, where, prefix in _DOC_TABLES:
        out += [f"`{col}` — {where}", "", "| code | id | en |", "|---|---|---|"]
        table = _theme_table(None) if prefix is None else code_words(prefix)
        for code, (w_id, w_en) in table.items():
            out.append(f"| `{code}` | {w_id} | {w_en} |")
        out.append("")
    out += ["`did` `message` is empty when the estimate is complete; `roi_lines` `note` is empty "
            "when the row had data.", "",
            "`did` (one row per indicator): the treatment comes from participation "
            "(`treatment` = `realisasi`: a unit is trained when at least `min_peserta` of its staff "
            "attended a linked programme in Y−1, a comparison unit when none did; `units_excluded` "
            "had 1 to `min_peserta` − 1); `p_val` is the permutation p across units (`perm_method` "
            "`exact` or `monte_carlo`, `n_perm` assignments), `p_adj` its `p_adjust_method` "
            "adjustment over `p_adjust_m` tested indicators, `significant` = `p_adj` < "
            "`evaluation.alpha`; `p_min` is the smallest permutation p the design can reach (1/C(n, n1), "
            "2/C(n, n1) for equal groups, 1/(draws + 1) Monte Carlo): when it is ≥ `evaluation.alpha` the "
            "report says that no test can be significant; `p_welch`, `ci_low`, `ci_high` are the Welch (or single-case) t; "
            "`mean_before_trained`/`mean_before_control` the starting levels; "
            "`units_linked_untrained`, `units_trained_unlinked` and `link_mismatch` compare the "
            "`program_id` link of `indikator_unit` with participation; `dose_trained` is the mean "
            "share of staff of the trained units who attended. `level4` has `linked` (the link), "
            "`n_participants` and `trained` (participation ≥ `impact.did_min_peserta`; NA without "
            "`realisasi_pengembangan`) and `indicator_kind`. `roi` has `benefits_estimated`, "
            "`benefits_estimates_scaled`, `roi_pct_estimates_scaled` and `estimate_factor` "
            "(setting `impact.roi_estimate_sensitivity`). `maturity` has `followup_state`, "
            "`n_actions`, `n_actions_planned`, `n_actions_ongoing`, `n_actions_done`: step 4 "
            "needs a recorded follow-up action (input `tindak_lanjut`: `tindakan`, "
            "`penanggung_jawab`, `tanggal`, `status` rencana/berjalan/selesai) that is under way "
            "or done. `followup_units` has `n_pegawai` (unit headcount), `base` and `n_base`: the "
            "denominator of `share` — `pegawai` (headcount), `pns` (the unit's PNS) for `jp_kurang`, "
            "which lists PNS only (the 20-JP right is the PNS', PP 11/2017 Pasal 203(4)), or "
            "`peserta_tes` (the unit's distinct post-test takers; for `gain_rendah` those with both "
            "scores) for the test reasons: only people who sat the test can fail it.", "",
            "The report reads `02_plan/followup_coverage.parquet` when the plan stage writes it "
            "(issue #20): one row per follow-up need of Y−1 with `pegawai_id`, `covered` (bool) "
            "and optionally `reason`; without it chapter VI says the figure is not yet "
            "available.", ""]
    out += _verdicts_doc()
    return "\n".join(out)


_VERDICT_DOC: list[tuple[str, str]] = [
    ("program_id, nama_program", "the programme"),
    ("n", "complete pre/post pairs"),
    ("p_adj, p_adjust_method, p_adjust_m", "the adjusted p-value of the test (t or Wilcoxon), the "
     "correction and the size of its family (the programmes with a test)"),
    ("significant, direction", "p_adj < `evaluation.alpha`; `direction` up/down/none"),
    ("d_av, d_av_ci_low, d_av_ci_high", "standardised mean change (mean difference / √((s²pre + "
     "s²post)/2), Hedges-corrected) with its 95 % normal interval (R effectsize "
     "`repeated_measures_d(method = \"av\")`)"),
    ("magnitude, magnitude_threshold", "the code read from that interval against "
     "`evaluation.magnitude_threshold`"),
    ("pre_mean_pct, post_mean_pct", "mean pre-test and post-test, % of the maximum"),
    ("pass_rate, n_pass, passing_score_pct", "share of participants with a post-test ≥ "
     "`evaluation.passing_score_pct` % of the maximum"),
    ("g_class, hake_category", "Hake's class-average N-Gain and its class"),
    ("g_z, mde, mde_holm, mde_power", "d_z-based Hedges g_z of the test; the smallest d_z "
     "detectable with power `mde_power` at α unadjusted (`mde`) and at α/m (`mde_holm`)"),
    ("method_reason", "why the reported test was chosen (table above)"),
    ("ceiling, ceiling_limit_pct", "mean pre-test ≥ `evaluation.ceiling_warning_pct`"),
    ("mde_alpha", "the unadjusted α of `mde`"),
    ("verdict", "the combined code (table above)"),
    ("suppressed", "programme with fewer than `suppression.k_count` participants: its numbers "
     "and codes are empty"),
]


def _verdicts_doc() -> list[str]:
    """The columns of the ``verdicts`` artefact (read by the plan stage)."""
    out = ["`verdicts` (`03_evaluation/verdicts.parquet`, aggregate) — one row per programme with "
           "Level 2 scores: the codes and numbers of its verdict, for the plan stage and the "
           "report.", "", "| column | meaning |", "|---|---|"]
    out += [f"| `{c}` | {m} |" for c, m in _VERDICT_DOC]
    return out + [""]


#: the name :func:`workbook.pipeline.data_md` looks for in each stage's ``words`` module
codes_md = codes_markdown
