"""The words of stage 02's codes: what a person reads for a reason, explanation, mentoring note,
talent recommendation or coverage basis code, in Indonesian (first) and English.

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

__all__ = [
    "REASONS",
    "EXPLANATIONS",
    "MENTOR_NOTES",
    "UNPAIRED",
    "RECOMMENDATIONS",
    "COVERAGE_BASIS",
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

#: Why someone cannot reach the plan (``reason`` of ``unmet``, ``below_minimum``,
#: ``below_minimum_reasons`` and :attr:`GroupPlan.coverage`): code → (Indonesian, English).
REASONS: dict[str, tuple[str, str]] = {
    "no_need": (
        "tidak ada kebutuhan pengembangan yang teridentifikasi",
        "no development need identified",
    ),
    "no_programme": (
        "tidak ada program di katalog yang menjawab kebutuhannya",
        "no catalogue programme addresses their needs",
    ),
    "budget": ("anggaran habis", "budget exhausted"),
    "capacity": (
        "kapasitas/bulan penyelenggaraan program penuh",
        "programme capacity/months are full",
    ),
    "pppk_cap": (
        "batas JP PPPK (program melebihi batas JP PPPK)",
        "PPPK JP cap (programmes exceed the PPPK JP cap)",
    ),
    "lower_priority": (
        "nilai kebutuhan lebih rendah daripada kebutuhan lain",
        "lower need value than other needs",
    ),
    "top_up_off": (
        "tahap tambahan per orang dimatikan (plan.top_up)",
        "person-level top-up switched off (plan.top_up)",
    ),
}

#: Why a programme is (not) in the plan (``reason`` of ``explanations``): code → (Indonesian,
#: English) templates; the placeholders are filled from the row's parameter columns.
EXPLANATIONS: dict[str, tuple[str, str]] = {
    "selected": (
        "terpilih: menutup kesenjangan {groups}",
        "selected: closes the gap in {groups}",
    ),
    "no_need": (
        "tidak terpilih: tidak ada kebutuhan untuk kompetensi {kompetensi}",
        "not selected: no need for competency {kompetensi}",
    ),
    "capacity": (
        "tidak terpilih: tidak ada bulan penyelenggaraan",
        "not selected: no months offered",
    ),
    "pppk_cap": (
        "tidak terpilih: hanya dibutuhkan PPPK dan {jp} JP melebihi batas {jp_pppk_cap} JP PPPK",
        "not selected: only PPPK need it and {jp} JP exceed the PPPK cap of {jp_pppk_cap} JP",
    ),
    "cost_per_jp": (
        "tidak terpilih: biaya per JP lebih tinggi daripada alternatif {alt_program_id} "
        "untuk kompetensi {kompetensi}",
        "not selected: higher cost per JP than alternative {alt_program_id} "
        "for competency {kompetensi}",
    ),
    "budget": (
        "tidak terpilih: sisa anggaran tidak cukup; nilai kebutuhan per Rupiah "
        "lebih rendah daripada program terpilih",
        "not selected: remaining budget too small; lower need value per Rupiah "
        "than the selected programmes",
    ),
    "covered_by_other": (
        "tidak terpilih: kebutuhan kompetensi {kompetensi} sudah dijawab program lain atau "
        "nilainya lebih rendah",
        "not selected: the need for {kompetensi} is met by other programmes or has lower value",
    ),
}
#: One group a selected programme serves, and the tail when more groups are served.
_GROUP = ("{k} untuk {n} pegawai di {u}", "{k} for {n} employees in {u}")
_MORE = (" (dan {more} kelompok lain)", " (and {more} other groups)")

#: What the onboarding mentor is for (``note`` of ``mentoring``).
MENTOR_NOTES: dict[str, tuple[str, str]] = {
    "onboarding_beside_latsar": (
        "mentor orientasi, di samping mentor Latsar (atasan langsung)",
        "onboarding mentor, beside the Latsar mentor (the direct superior)",
    ),
    "onboarding": ("mentor orientasi pegawai baru", "onboarding mentor for new staff"),
}

#: Why a newcomer has no mentor (``reason`` of ``mentoring``; empty when paired).
UNPAIRED: dict[str, tuple[str, str]] = {
    "no_mentor": (
        "tidak ada calon mentor yang lebih senior di unit",
        "no more senior mentor candidate in the unit",
    ),
    "capacity": (
        "semua calon mentor di unit sudah penuh",
        "every mentor candidate in the unit is full",
    ),
}

#: What the 9-box suggests (``recommendation`` of ``talent``; PermenPANRB 3/2020, DOMAIN.md
#: §1.8 [S30]; empty when a box is unknown).
RECOMMENDATIONS: dict[str, tuple[str, str]] = {
    "promote_retain": (
        "Dipromosikan dan dipertahankan; masuk kelompok rencana suksesi instansi/nasional; "
        "penghargaan",
        "Promote and retain; national/agency succession pool; recognition",
    ),
    "retain_rotate_enlarge": (
        "Dipertahankan; suksesi instansi; rotasi/perluasan jabatan; bimbingan kinerja",
        "Retain; agency succession pool; rotation/job enlargement; performance coaching",
    ),
    "retain_rotate_enrich": (
        "Dipertahankan; suksesi instansi; rotasi/pengayaan jabatan; pengembangan kompetensi; "
        "tugas belajar",
        "Retain; agency succession pool; rotation/job enrichment; competency development; "
        "study assignment",
    ),
    "place_coach_counsel": (
        "Penempatan yang sesuai; bimbingan kinerja; konseling kinerja",
        "Suitable placement; performance coaching; performance counselling",
    ),
    "place_coach_develop": (
        "Penempatan yang sesuai; bimbingan kinerja; pengembangan kompetensi",
        "Suitable placement; performance coaching; competency development",
    ),
    "rotate_develop": ("Rotasi; pengembangan kompetensi", "Rotation; competency development"),
    "coach_counsel_develop_place": (
        "Bimbingan kinerja; konseling kinerja; pengembangan kompetensi; penempatan yang sesuai",
        "Performance coaching; performance counselling; competency development; suitable "
        "placement",
    ),
    "coach_develop_place": (
        "Bimbingan kinerja; pengembangan kompetensi; penempatan yang sesuai",
        "Performance coaching; competency development; suitable placement",
    ),
    "per_regulation": (
        "Diproses sesuai ketentuan peraturan perundang-undangan",
        "Handled according to the regulations",
    ),
}

#: What the JP figures of :attr:`GroupPlan.coverage` are (``basis``).
COVERAGE_BASIS: dict[str, tuple[str, str]] = {
    "agregat_unit": (
        "agregat unit: JP kursi rencana dijumlahkan per unit (tiap kursi dihitung paling banyak"
        " sebesar minimal JP); kekurangan 0 tidak berarti setiap PNS mencapai minimal JP — lihat"
        " cakupan JP per orang",
        "unit-level aggregate: JP of the planned seats summed per unit (each seat counts at most"
        " the JP minimum); a shortfall of 0 does not mean every PNS reaches the minimum — see the"
        " person-level JP coverage",
    ),
}

def _li(lang: str) -> int:
    return 1 if lang == "en" else 0


def _items(v: Any) -> list:
    """A list parameter cell (list, array, None or NaN) as a list."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return []
    return list(v)


def _codes_text(table: Mapping[str, tuple[str, str]], codes: Any, lang: str) -> str:
    """``"a;b"`` → the words of a and b joined by ``"; "`` ('' for no code)."""
    parts = [c for c in str(codes if codes is not None else "").split(";") if c]
    return "; ".join(table[c][_li(lang)] for c in parts)


def reason_text(codes: Any, lang: str = "id") -> str:
    """Words of one or more :data:`REASONS` codes (``"no_need;budget"`` → two phrases)."""
    return _codes_text(REASONS, codes, lang)


def mentor_note_text(code: Any, lang: str = "id") -> str:
    """Words of a :data:`MENTOR_NOTES` code."""
    return _codes_text(MENTOR_NOTES, code, lang)


def unpaired_text(code: Any, lang: str = "id") -> str:
    """Words of an :data:`UNPAIRED` code ('' when the newcomer has a mentor)."""
    return _codes_text(UNPAIRED, code, lang)


def recommendation_text(code: Any, lang: str = "id") -> str:
    """Words of a :data:`RECOMMENDATIONS` code ('' when the box is unknown)."""
    return _codes_text(RECOMMENDATIONS, code, lang)


def basis_text(code: Any, lang: str = "id") -> str:
    """Words of a :data:`COVERAGE_BASIS` code."""
    return _codes_text(COVERAGE_BASIS, code, lang)


def explanation_text(row: Mapping[str, Any], lang: str = "id") -> str:
    """The sentence of one row of ``explanations``: its ``reason`` code and parameters
    (``kompetensi``, ``group_kompetensi`` / ``group_unit`` / ``group_participants``,
    ``other_groups``, ``alt_program_id``, ``jp``, ``jp_pppk_cap``)."""
    li = _li(lang)
    code = str(row["reason"])
    groups = ", ".join(
        _GROUP[li].format(k=k, n=int(n), u=u)
        for k, u, n in zip(
            _items(row.get("group_kompetensi")),
            _items(row.get("group_unit")),
            _items(row.get("group_participants")),
            strict=True,
        )
    )
    more = int(row.get("other_groups") or 0)
    if more > 0:
        groups += _MORE[li].format(more=more)
    return EXPLANATIONS[code][li].format(
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

#: (title, where the codes are written, the words) of each code family, in the order of docs.
_FAMILIES: tuple[tuple[str, str, Mapping[str, tuple[str, str]]], ...] = (
    (
        "Alasan tidak terjangkau rencana / Why someone cannot reach the plan",
        "`reason` of `02_plan/unmet`, `02_plan/below_minimum_reasons`, "
        "`restricted/02_plan/below_minimum` (several codes joined by `;`, words joined by `; `) "
        "and of `GroupPlan.coverage`; `below_<code>` columns of `02_plan/coverage`",
        REASONS,
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
        EXPLANATIONS,
    ),
    (
        "Catatan mentor / Mentoring note",
        "`note` of `restricted/02_plan/mentoring`",
        MENTOR_NOTES,
    ),
    (
        "Pegawai baru tanpa mentor / Newcomer without a mentor",
        "`reason` of `restricted/02_plan/mentoring` (empty when paired)",
        UNPAIRED,
    ),
    (
        "Rekomendasi kotak talenta / Talent-box recommendation",
        "`recommendation` of `restricted/02_plan/talent` (PermenPANRB 3/2020 box 9 … 1 in this "
        "order; empty when the box is unknown); the confidential `talent_pool.xlsx` shows the "
        "words (`rekomendasi`, `recommendation`)",
        RECOMMENDATIONS,
    ),
    (
        "Dasar cakupan tingkat kelompok / Basis of the group-level coverage",
        "`basis` of `GroupPlan.coverage` (not written as an artefact)",
        COVERAGE_BASIS,
    ),
)


def codes_md() -> str:
    """The stage-02 part of "Kode dalam artefak / Codes in the artefacts" in ``docs/data.md``."""
    out = ["### 02_plan — rencana / plan", ""]
    for title, where, table in _FAMILIES:
        out += [f"#### {title}", "", where + ".", "", "| kode / code | id | en |", "|---|---|---|"]
        out += [f"| `{code}` | {ind} | {eng} |" for code, (ind, eng) in table.items()]
        out.append("")
    return "\n".join(out)
