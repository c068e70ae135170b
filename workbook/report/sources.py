"""Settings as a reader of the report sees them (Appendix A): sources in plain words, values in
words.

``workbook/core/defaults.yaml`` keeps, for the developers, internal references in each setting's
``source`` — the project's domain notes ("DOMAIN-PLAN §1.2", "§11 butir 1"), the evidence marks
(✅ confirmed, 🟡 secondary, ❓ open), the numbered source list ("[S03, S15]"), issue and review
names ("Isu #17 butir 2", "ulasan M14"), file paths ("docs/methods/plan.md", "bench/plan.py").
None of those means anything to a planner reading the printed document. :func:`plain_source`
removes them and keeps the regulation or source in plain words ("Perlan 6/2023 Pasal 18: …"); a
source marked ❓ (open) that does not already say so gets "belum dikonfirmasi". :func:`plain_value`
prints booleans as Ya/Tidak, an empty value as "—" and numbers in the reader's format (0,05;
22.945.000). :func:`for_reader` says which settings Appendix A lists: those a planner or a
statistician needs to read the document (thresholds of regulation and practice, methods), not
the ones that only steer the software (the dashboard server, uploads, input limits,
pseudonymisation, the solver's internals, random seeds, matching patterns); those stay in the
workbook's settings reference (docs/settings.md).
"""

from __future__ import annotations

import re
from typing import Any

from workbook.core.i18n import fmt_int, fmt_number, t

__all__ = ["plain_source", "plain_value", "for_reader", "NONE_MARK", "SOFTWARE_GROUPS", "SOFTWARE_KEYS"]

#: setting groups that steer the software only (server, uploads, input limits, pseudonymisation)
SOFTWARE_GROUPS = ("dashboard", "upload", "input", "privacy")
#: single settings that steer the software only: the solver's internals and benchmark, random
#: seeds, a file path, and the text patterns that recognise programmes and indicators by name
SOFTWARE_KEYS = frozenset({
    "plan.time_limit_s", "plan.mip_rel_gap", "plan.bench_mip_rel_gap", "plan.frontier_mip_rel_gap",
    "plan.frontier_max_pairs", "plan.frontier_points", "plan.person_limits_max_pairs", "plan.refill_rounds",
    "themes.dictionary_file", "themes.random_state", "impact.random_state",
    "eligibility.wajib_regex", "eligibility.kesetaraan", "impact.process_indicator_patterns",
})

#: what an empty value (null, "", an empty list) prints as
NONE_MARK = "—"
# what a reference to one of the workbook's own files reads as (the documentation ships with it):
# report.sources.doc; to its benchmark scripts: report.sources.bench (messages.yaml)

_DOC_TOKEN = "\x00DOC\x00"
_BENCH_TOKEN = "\x00BENCH\x00"
_SECTION = r"§\s?\d+(?:\.\d+)*(?:\s?[–-]\s?\d+(?:\.\d+)*)?(?:\s+butir\s+\d+)?"
_SUBS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), r) for p, r in (
    # the numbered source list of the domain notes: [S03, S15, S18], [S71–S74], [S30b, S30c]
    (r"\s*\[S\d+[^\]]*\]", ""),
    # evidence marks
    (r"\s*[✅🟡]\ufe0f?", ""),
    # internal working notes in parentheses
    (r"\(dari ingatan teks[^)]*\)", ""),
    # the domain notes with their sections: "DOMAIN-PLAN §1.4 dan §10", "DOMAIN.md §1.4, §1.7",
    # "DOMAIN-PLAN §1.2 'Workbook'", "DOMAIN.md/DOMAIN-PLAN"
    (r"\bDOMAIN(?:-PLAN)?(?:\.md)?(?:/DOMAIN(?:-PLAN)?(?:\.md)?)?"
     r"(?:\s*(?:,|dan|and)?\s*" + _SECTION + r")*(?:\s*'[^']*')?", ""),
    # a bare section of the domain notes: "(§11 butir 7)", "§3.5 (BLUD …)"
    (r"(?<![\w.])" + _SECTION + r"(?:\s*(?:,|dan)\s*" + _SECTION + r")*", ""),
    # issues and reviews of the project
    (r"\bisu\s*#\s*\d+(?:\s+butir\s+\d+)?", ""),
    (r"\btujuan isu\b", ""),
    (r"\bulasan\s+[A-Z]\d+\b", ""),
    # the project's reviews: "Tinjauan 2026-12 M1", "tinjauan 2026-12 W7 meminta"
    (r"\btinjauan\s+\d{4}-\d{2}\s+[A-Z]\d+\b(?:\s+meminta\b)?", ""),
    (r"\(brief\)", ""),
    (r"\btinjauan keamanan \d{4}-\d{2} temuan [\d.]+", "tinjauan keamanan workbook"),
    (r"\bDPIA butir \d+ \w+", "DPIA workbook"),
    (r"\bvia(?=\s*[),;]|\s*$)", ""),
    # the workbook's own files (and a section of them): docs/methods/plan.md, bench/plan.py §3
    (r"\buji beban\s+bench/[\w.-]+\.py\b", "uji beban workbook"),
    (r"(?:\blihat\s+)?(?<![\w/])bench/[\w.-]+\.py\b", _BENCH_TOKEN),
    (r"(?:\blihat\s+)?(?<![\w/])(?:[\w.-]+/)*[\w-]+\.(?:md|py)\b(?:\s*(?:" + _SECTION + r"|\d+(?:\.\d+)+))?",
     _DOC_TOKEN),
))
_TIDY: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"\s+", " "),
    (r"\(\s*(?:[,;:]|dan|and)?\s*\)", ""),          # an emptied parenthesis
    (r"\(\s*(?:[,;:]|dan\b|and\b)\s*", "("),         # "( ; x)" / "(dan x)" -> "(x)"
    (r"\s*(?:[,;:]|dan|and)\s*\)", ")"),             # "(x ;)" -> "(x)"
    (r"^\s*(?:[,;:]|dan\b|and\b)\s*", ""),           # leading punctuation / conjunction
    (r"\s*[,;:]\s*$", ""),                            # trailing punctuation
    (r"([;,:])(?:\s*[;,])+(?=\s|$)", r"\1"),           # doubled punctuation ("a; ; b"; not "fpc::x")
    (r"\s+([,;:)])", r"\1"),
    (r";\s*:\s*", "; "),                           # "a;: b" (a removed lead-in of a clause)
    (r"\(\s+", "("),
    (r"\s{2,}", " "),
))


def _tidy(text: str) -> str:
    for _ in range(3):  # removals can empty a parenthesis that then leaves punctuation behind
        for pattern, repl in _TIDY:
            text = pattern.sub(repl, text)
    return text.strip()


def plain_source(source: Any, lang: str = "id") -> str:
    """A setting's source as a reader of the report needs it: the regulation or reference in plain
    words, without the project's internal references; "belum dikonfirmasi" where the source was
    marked open (❓); "—" when nothing is left.

    >>> plain_source("DOMAIN-PLAN §1.2: PKP pejabat pengawas (Perlan 5/2022 ✅ judul; sasaran 🟡 sekunder)")
    'PKP pejabat pengawas (Perlan 5/2022 judul; sasaran sekunder)'
    >>> plain_source("Isu #17 butir 2: setiap mata anggaran batas sendiri (DOMAIN-PLAN §3); penggabungan eksplisit")
    'Setiap mata anggaran batas sendiri; penggabungan eksplisit'
    >>> plain_source("DOMAIN-PLAN §10: JP Latsar dicatat ❓; belum dikonfirmasi (§11 butir 7)")
    'JP Latsar dicatat; belum dikonfirmasi'
    >>> plain_source("Asumsi rekayasa (docs/methods/plan.md)")
    'Asumsi rekayasa (dokumentasi workbook)'
    >>> plain_source("PP 11/2017 [S03, S15, S18]"), plain_source(None), plain_source("contoh fpc::clusterboot")
    ('PP 11/2017', '—', 'contoh fpc::clusterboot')
    """
    if source is None:
        return NONE_MARK
    text = str(source)
    open_mark = "❓" in text
    text = text.replace("❓", "")
    for pattern, repl in _SUBS:
        text = pattern.sub(repl, text)
    words = t("report.sources.doc", lang)
    text = re.sub(f"{_DOC_TOKEN}(?:\\s*(?:,|dan|and)\\s*{_DOC_TOKEN})*", words, text)
    text = re.sub(f"{_BENCH_TOKEN}(?:\\s*(?:,|dan|and)\\s*{_BENCH_TOKEN})*", t("report.sources.bench", lang),
                  text)
    text = _unwrap_clauses(_tidy(text))
    if lang == "id":  # a decimal in the text in the reader's format: "Sig. < 0.05" -> "Sig. < 0,05"
        text = re.sub(r"(?<![\w.,])0\.(\d+)(?![\w.])", r"0,\1", text)
    unconfirmed = t("report.sources.unconfirmed", "id")  # the sources are in Indonesian
    if open_mark and unconfirmed not in text.lower():
        text = f"{text}; {unconfirmed}" if text else unconfirmed
    if not text:
        return NONE_MARK
    first = text.split(" ", 1)[0]
    # capitalised only where the start was removed (a name such as "nbclient" stays as written)
    # (a Greek letter stays small: "α tidak dihitung …")
    keep = str(source).startswith(first) or not text[:1].isascii()
    return text if keep else text[:1].upper() + text[1:]


def _unwrap_clauses(text: str) -> str:
    """A parenthesis that now opens a clause (its lead-in was an internal reference) loses its
    brackets: "(masa percobaan …); pro-rata …" -> "masa percobaan …; pro-rata …"."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        at_clause = not "".join(out).strip() or re.search(r";\s*$", "".join(out))
        if ch == "(" and at_clause:
            depth, j = 0, i
            while j < len(text):
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                if depth == 0:
                    break
                j += 1
            if j < len(text):
                out.append(text[i + 1:j])
                i = j + 1
                continue
        out.append(ch)
        i += 1
    return _tidy("".join(out))


def for_reader(key: str) -> bool:
    """Whether Appendix A lists the setting ``key`` (a setting a reader of the document needs),
    or leaves it to the workbook's settings reference (it steers the software only).

    >>> for_reader("jp.pppk_maximum"), for_reader("dashboard.port"), for_reader("plan.mip_rel_gap")
    (True, False, False)
    """
    return key.split(".", 1)[0] not in SOFTWARE_GROUPS and key not in SOFTWARE_KEYS


def plain_value(v: Any, lang: str = "id") -> str:
    """One value of a setting in words: True/False as Ya/Tidak, None or "" as "—", a number in the
    reader's format (0,05; 22.945.000), a list as its items joined by ", " (each in words),
    anything else as itself.

    >>> plain_value(True), plain_value(False, "en"), plain_value(None), plain_value([1, None])
    ('Ya', 'No', '—', '1, —')
    >>> plain_value(0.05), plain_value(0.05, "en"), plain_value(22945000), plain_value(0.0001), plain_value(1.0)
    ('0,05', '0.05', '22.945.000', '0,0001', '1')
    >>> plain_value([0, 0.58, 0.9]), plain_value([0, 0.58], "en"), plain_value([46, 72])
    ('0; 0,58; 0,9', '0, 0.58', '46, 72')
    """
    if isinstance(v, bool):
        word = t("bool.true" if v else "bool.false", lang)
        return word[:1].upper() + word[1:]
    if v is None or (isinstance(v, str) and not v.strip()):
        return NONE_MARK
    if isinstance(v, (list, tuple)):
        # items with a decimal comma are separated by "; " ("0; 0,58; 0,9", not "0, 0,58, 0,9")
        sep = "; " if lang == "id" and any(isinstance(x, float) and not x.is_integer() for x in v) else ", "
        return sep.join(plain_value(x, lang) for x in v) if len(v) else NONE_MARK
    if isinstance(v, int):
        return fmt_int(v, lang)
    if isinstance(v, float):
        return fmt_number(v, lang, decimals=6)
    return str(v)
