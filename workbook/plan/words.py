"""The words of stage 02's codes: what a person reads for a reason, explanation, mentoring note,
talent recommendation or coverage basis code, in Indonesian (first) and English, looked up in the
catalogue (``workbook/plan/messages.yaml``, :func:`workbook.core.i18n.t`).

The kernels (:mod:`~workbook.plan.explain`, :mod:`~workbook.plan.top_up`,
:mod:`~workbook.plan.talent`) write codes and the numbers a sentence needs; this module turns them
into words. It is apart from :mod:`workbook.plan.report` because the stage runner
(:mod:`workbook.plan.stage`) writes the sheets of ``plan.xlsx`` and the confidential talent pool
with words, and ``report.py`` imports the runner. Every code is listed, with its words, in
``docs/data.md`` ("Kode dalam artefak / Codes in the artefacts").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.i18n import code_tables_md, code_words, t
from workbook.plan.mandatory import (
    codes_md as mandatory_codes,  # eligibility and mandatory codes (#17)
)

#: The words of each code are catalogue entries of ``workbook/plan/messages.yaml``,
#: ``plan.<family>.<code>``: ``plan.reason`` (why someone cannot reach the plan: ``reason`` of
#: ``unmet``, ``below_minimum``, ``below_minimum_reasons`` and :attr:`GroupPlan.coverage`),
#: ``plan.explanation`` (why a programme is (not) in the plan: ``reason`` of ``explanations``;
#: templates filled from the row's parameter columns, with ``plan.explanation_part.*``),
#: ``plan.mentor_note`` (``note`` of ``mentoring``), ``plan.unpaired`` (``reason`` of
#: ``mentoring``: why a newcomer has no mentor), ``plan.recommendation`` (``recommendation`` of
#: ``talent``; PermenPANRB 3/2020, DOMAIN.md §1.8 [S30]) and ``plan.basis`` (``basis`` of
#: :attr:`GroupPlan.coverage`). The tables :data:`REASONS`, :data:`EXPLANATIONS`,
#: :data:`MENTOR_NOTES`, :data:`UNPAIRED`, :data:`RECOMMENDATIONS` and :data:`COVERAGE_BASIS`
#: (code → (Indonesian, English)) are read-only views of them, built on first use (module
#: ``__getattr__``), kept for code that lists codes with their words.
_FAMILY = {
    "REASONS": "plan.reason",
    "EXPLANATIONS": "plan.explanation",
    "MENTOR_NOTES": "plan.mentor_note",
    "UNPAIRED": "plan.unpaired",
    "RECOMMENDATIONS": "plan.recommendation",
    "COVERAGE_BASIS": "plan.basis",
}

__all__ = [
    *_FAMILY,
    "reason_text",
    "explanation_text",
    "mentor_note_text",
    "unpaired_text",
    "recommendation_text",
    "basis_text",
    "explanations_sheet",
    "talent_sheet",
    "codes_md",
]


def __getattr__(name: str) -> Any:
    prefix = _FAMILY.get(name)
    if prefix is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return code_words(prefix)


def _items(v: Any) -> list:
    """A list parameter cell (list, array, None or NaN) as a list."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return []
    return list(v)


def _codes_text(prefix: str, codes: Any, lang: str) -> str:
    """``"a;b"`` → the words of a and b (entries ``<prefix>.a``, ``<prefix>.b``) joined by
    ``"; "`` ('' for no code)."""
    parts = [c for c in str(codes if codes is not None else "").split(";") if c]
    return "; ".join(t(f"{prefix}.{c}", lang) for c in parts)


def reason_text(codes: Any, lang: str = "id") -> str:
    """Words of one or more :data:`REASONS` codes (``"no_need;budget"`` → two phrases)."""
    return _codes_text("plan.reason", codes, lang)


def mentor_note_text(code: Any, lang: str = "id") -> str:
    """Words of a :data:`MENTOR_NOTES` code."""
    return _codes_text("plan.mentor_note", code, lang)


def unpaired_text(code: Any, lang: str = "id") -> str:
    """Words of an :data:`UNPAIRED` code ('' when the newcomer has a mentor)."""
    return _codes_text("plan.unpaired", code, lang)


def recommendation_text(code: Any, lang: str = "id") -> str:
    """Words of a :data:`RECOMMENDATIONS` code ('' when the box is unknown)."""
    return _codes_text("plan.recommendation", code, lang)


def basis_text(code: Any, lang: str = "id") -> str:
    """Words of a :data:`COVERAGE_BASIS` code."""
    return _codes_text("plan.basis", code, lang)


def explanation_text(row: Mapping[str, Any], lang: str = "id") -> str:
    """The sentence of one row of ``explanations``: its ``reason`` code and parameters
    (``kompetensi``, ``group_kompetensi`` / ``group_unit`` / ``group_participants``,
    ``other_groups``, ``alt_program_id``, ``jp``, ``jp_pppk_cap``)."""
    code = str(row["reason"])
    groups = ", ".join(
        t("plan.explanation_part.group", lang, k=k, n=int(n), u=u)
        for k, u, n in zip(
            _items(row.get("group_kompetensi")),
            _items(row.get("group_unit")),
            _items(row.get("group_participants")),
            strict=True,
        )
    )
    more = int(row.get("other_groups") or 0)
    if more > 0:
        groups += t("plan.explanation_part.more", lang, more=more)
    return t(
        f"plan.explanation.{code}",
        lang,
        groups=groups,
        kompetensi=", ".join(_items(row.get("kompetensi"))) or "-",
        alt_program_id=row.get("alt_program_id", ""),
        jp=f"{float(row.get('jp', np.nan)):g}",
        jp_pppk_cap=f"{float(row.get('jp_pppk_cap', np.nan)):g}",
    )


#: the parameter columns of ``explanations`` (the sheet a person reads shows words instead)
_EXPLANATION_PARAMS = (
    "kompetensi",
    "group_kompetensi",
    "group_unit",
    "group_participants",
    "other_groups",
    "alt_program_id",
    "jp",
    "jp_pppk_cap",
)


def explanations_sheet(explanations: pd.DataFrame) -> pd.DataFrame:
    """``explanations`` as a person reads it: the code's parameters replaced by the sentence in
    Indonesian (``alasan``) and English (``reason_en``)."""
    out = explanations.drop(columns=[c for c in _EXPLANATION_PARAMS if c in explanations])
    rows = explanations.to_dict("records")
    out["alasan"] = pd.array([explanation_text(r, "id") for r in rows], dtype="str")
    out["reason_en"] = pd.array([explanation_text(r, "en") for r in rows], dtype="str")
    return out


def talent_sheet(talent: pd.DataFrame) -> pd.DataFrame:
    """The talent pool as a person reads it: the ``recommendation`` code replaced, in place, by
    ``rekomendasi`` (Indonesian) and ``recommendation`` (English)."""
    if "recommendation" not in talent:
        return talent
    codes = talent["recommendation"].tolist()
    out = talent.copy()
    pos = out.columns.get_loc("recommendation")
    out["recommendation"] = pd.array([recommendation_text(c, "en") for c in codes], dtype="str")
    words_id = pd.array([recommendation_text(c, "id") for c in codes], dtype="str")
    out.insert(pos, "rekomendasi", words_id)
    return out


# --------------------------------------------------------------------------------------------
# docs/data.md: "Kode dalam artefak / Codes in the artefacts"
# --------------------------------------------------------------------------------------------

#: (title, where the codes are written, the catalogue prefix of their words) of each code
#: family, in the order of docs.
_FAMILIES: tuple[tuple[str, str, str], ...] = (
    (
        "Alasan tidak terjangkau rencana / Why someone cannot reach the plan",
        "`reason` of `02_plan/unmet`, `02_plan/below_minimum_reasons`, "
        "`restricted/02_plan/below_minimum` (several codes joined by `;`, words joined by `; `) "
        "and of `GroupPlan.coverage`; `below_<code>` columns of `02_plan/coverage`",
        "plan.reason",
    ),
    (
        "Alasan program masuk atau tidak / Why a programme is in or out",
        "`reason` of `02_plan/explanations`; the placeholders are its parameter columns: "
        "`{groups}` = `group_kompetensi`, `group_unit`, `group_participants` (lists, aligned; "
        "each group reads *k untuk n pegawai di u* / *k for n employees in u*, joined by `, `) "
        "and `other_groups` (*(dan m kelompok lain)* / *(and m other groups)*); `{kompetensi}` "
        "= `kompetensi` (list, joined by `, `; `-` when empty); `{alt_program_id}`, `{jp}`, "
        "`{jp_pppk_cap}` (numbers as `%g`). The sheet `alasan_program` of `plan.xlsx` shows "
        "the sentences (`alasan`, `reason_en`)",
        "plan.explanation",
    ),
    (
        "Catatan mentor / Mentoring note",
        "`note` of `restricted/02_plan/mentoring`",
        "plan.mentor_note",
    ),
    (
        "Pegawai baru tanpa mentor / Newcomer without a mentor",
        "`reason` of `restricted/02_plan/mentoring` (empty when paired)",
        "plan.unpaired",
    ),
    (
        "Rekomendasi kotak talenta / Talent-box recommendation",
        "`recommendation` of `restricted/02_plan/talent` (PermenPANRB 3/2020 box 9 … 1 in this "
        "order; empty when the box is unknown); the confidential `talent_pool.xlsx` shows the "
        "words (`rekomendasi`, `recommendation`)",
        "plan.recommendation",
    ),
    (
        "Dasar cakupan tingkat kelompok / Basis of the group-level coverage",
        "`basis` of `GroupPlan.coverage` (not written as an artefact)",
        "plan.basis",
    ),
)


def codes_md() -> str:
    """The stage-02 part of "Kode dalam artefak / Codes in the artefacts" in ``docs/data.md``."""
    return code_tables_md("### 02_plan — rencana / plan", _FAMILIES) + "\n" + mandatory_codes()
