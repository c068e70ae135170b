"""Mentors for new staff (an assignment problem) and the 9-box talent pool with the
leadership-training candidates (PermenPANRB 3/2020).

Both outputs are pseudonymous (``attrs["output_class"] == "restricted"``); the talent pool is
re-identified in the confidential folder by the stage runner.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError, SettingsError
from workbook.core.schema import GOLONGAN
from workbook.core.settings import Settings
from workbook.plan.common import _num, _text

__all__ = [
    "LEADERSHIP_LADDER",
    "JABATAN_RANK",
    "JENJANG_RANK",
    "NINE_BOX",
    "BOX_RECOMMENDATION",
    "RECOMMENDATION_CODES",
    "MENTOR_NOTE_CODES",
    "UNPAIRED_CODES",
    "mentoring_pairs",
    "talent_pool",
]

# The constants below mirror the defaults of their settings (``tests/plan`` checks that they
# do); the functions read the settings.

#: Leadership-training ladder ``jenis_jabatan`` → (next jabatan, training): the default of
#: ``talent.leadership_ladder`` (assumption; DOMAIN.md §1.4, §1.7).
LEADERSHIP_LADDER: dict[str, tuple[str, str]] = {
    "pelaksana": ("pengawas", "PKP"),
    "fungsional": ("pengawas", "PKP"),
    "pengawas": ("administrator", "PKA"),
    "administrator": ("JPT", "PKN"),
}

#: Seniority rank of ``jenis_jabatan``: the default of ``talent.jabatan_rank`` (assumption).
JABATAN_RANK: dict[str, int] = {
    "pelaksana": 1,
    "fungsional": 1,
    "pengawas": 2,
    "administrator": 3,
    "JPT": 4,
}
#: Seniority rank of ``jenjang``: the default of ``talent.jenjang_rank`` (assumption).
JENJANG_RANK: dict[str, int] = {
    "pemula": 1,
    "terampil": 2,
    "mahir": 3,
    "penyelia": 4,
    "ahli pertama": 3,
    "ahli muda": 4,
    "ahli madya": 5,
    "ahli utama": 6,
    "pratama": 5,
    "madya": 6,
    "utama": 7,
}
_GOL_RANK = {g: i for i, g in enumerate(GOLONGAN)}


#: 9-box numbering: (kinerja, potensial) → box. ``permenpanrb_3_2020`` as in public ASN talent
#: apps (DOMAIN.md §1.8 [S30]); ``kemenkeu`` is the kinerja × kompetensi variant [S31].
NINE_BOX: dict[str, dict[tuple[str, str], int]] = {
    "permenpanrb_3_2020": {
        ("di_atas", "tinggi"): 9,
        ("sesuai", "tinggi"): 8,
        ("di_atas", "menengah"): 7,
        ("di_bawah", "tinggi"): 6,
        ("sesuai", "menengah"): 5,
        ("di_atas", "rendah"): 4,
        ("di_bawah", "menengah"): 3,
        ("sesuai", "rendah"): 2,
        ("di_bawah", "rendah"): 1,
    },
    "kemenkeu": {
        ("di_bawah", "rendah"): 1,
        ("di_bawah", "menengah"): 2,
        ("di_bawah", "tinggi"): 3,
        ("sesuai", "rendah"): 4,
        ("di_atas", "rendah"): 5,
        ("sesuai", "menengah"): 6,
        ("sesuai", "tinggi"): 7,
        ("di_atas", "menengah"): 8,
        ("di_atas", "tinggi"): 9,
    },
}
#: Recommendation per box under PermenPANRB 3/2020 numbering (DOMAIN.md §1.8 [S30]): box →
#: code of ``recommendation`` (words in :data:`workbook.plan.words.RECOMMENDATIONS`).
BOX_RECOMMENDATION: dict[int, str] = {
    9: "promote_retain",
    8: "retain_rotate_enlarge",
    7: "retain_rotate_enrich",
    6: "place_coach_counsel",
    5: "place_coach_develop",
    4: "rotate_develop",
    3: "coach_counsel_develop_place",
    2: "coach_develop_place",
    1: "per_regulation",
}
#: The codes of ``recommendation`` in the talent pool ('' when a box is unknown).
RECOMMENDATION_CODES: tuple[str, ...] = tuple(BOX_RECOMMENDATION.values())
#: The codes of ``note`` in the mentoring pairs: what the onboarding mentor is for (a CPNS also
#: has the Latsar mentor, the direct superior).
MENTOR_NOTE_CODES: tuple[str, ...] = ("onboarding_beside_latsar", "onboarding")
#: The codes of ``reason`` in the mentoring pairs when a newcomer is unpaired ('' when paired).
UNPAIRED_CODES: tuple[str, ...] = ("no_mentor", "capacity")


def _tenure_years(tmt: pd.Series, year: int) -> np.ndarray:
    t = pd.to_datetime(tmt, errors="coerce")
    ref = pd.Timestamp(year=year, month=1, day=1)
    return ((ref - t).dt.days / 365.25).to_numpy(float)


def _seniority(
    jenis: np.ndarray,
    jenjang: np.ndarray,
    gol: np.ndarray,
    jenjang_rank: dict[str, int] | None = None,
    jabatan_rank: dict[str, int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    jnr = {str(k).lower(): int(v) for k, v in (jenjang_rank or JENJANG_RANK).items()}
    jbr = jabatan_rank or JABATAN_RANK
    jr = np.array([jnr.get(j.lower(), 0) if j else 0 for j in jenjang], dtype=float)
    jr = np.where(jr > 0, jr, [jbr.get(j, 0) * 2 for j in jenis])
    gr = np.array([_GOL_RANK.get(g, -1) for g in gol], dtype=float)
    return jr, gr


def mentoring_pairs(
    pegawai: pd.DataFrame,
    gaps: pd.DataFrame,
    *,
    capacity: int = 3,
    year: int | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Mentor–mentee pairs for new staff, solved as an assignment problem.

    Parameters
    ----------
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``, ``jenis_jabatan``, ``golongan``, ``tmt``;
        optional ``jenjang``.
    gaps : DataFrame
        ``pegawai_id``, ``kode_kompetensi``, ``level_actual``, ``below_standard`` (from
        ``needs.competency_gaps``).
    capacity : int, default 3
        Mentees per mentor.
    year : int, optional
        Plan year; staff with less than ``plan.new_staff_years`` (2) years of service on
        1 January of *year* (from ``tmt``) are newcomers. Without it only CPNS are newcomers.
    settings : Settings, optional

    Returns
    -------
    DataFrame
        One row per newcomer: ``mentee_id``, ``kode_unit``, ``mentee_status``, ``mentor_id``
        (missing when unpaired), ``score``, ``kompetensi_kuat`` (';' codes where the mentor is
        stronger), ``note`` (code of :data:`MENTOR_NOTE_CODES`: for CPNS an onboarding mentor
        beside the Latsar mentor, the direct superior), ``reason`` when unpaired (code of
        :data:`UNPAIRED_CODES`). Words: :mod:`workbook.plan.words`.

    Notes
    -----
    Mentee *i*: CPNS, or tenure < ``plan.new_staff_years``. Mentor *j* eligible for *i*: same
    ``kode_unit``, PNS with tenure ≥ ``plan.new_staff_years`` (or unknown tmt), and senior —
    higher jenjang/jabatan rank (``talent.jenjang_rank``, ``talent.jabatan_rank``, assumptions)
    or higher golongan.
    Score :math:`S_{ij} = \\sum_k \\max(0, L_{jk} - L_{ik})` over the competencies *k* where
    the mentee is below standard. Each mentor is replicated ``capacity`` times and
    :func:`scipy.optimize.linear_sum_assignment` maximises :math:`\\sum S_{ij}` per unit with
    ineligible pairs priced :math:`-M`, so the number of paired newcomers is maximised first
    and the total score second (Kuhn 1955; Crouse 2016, IEEE TAES 52:1679).
    """
    s = _settings(settings)
    if int(capacity) < 1:
        raise DataError(
            "Kapasitas mentor harus ≥ 1.",
            "Mentor capacity must be ≥ 1.",
            value=capacity,
            expected="≥ 1",
        )
    capacity = int(capacity)
    _require_columns(
        pegawai,
        ["pegawai_id", "kode_unit", "status", "jenis_jabatan", "golongan", "tmt"],
        "pegawai",
    )
    _require_columns(
        gaps, ["pegawai_id", "kode_kompetensi", "level_actual", "below_standard"], "gaps"
    )
    ids = _text(pegawai["pegawai_id"])
    unit = _text(pegawai["kode_unit"])
    st = _text(pegawai["status"])
    jr, gr = _seniority(
        _text(pegawai["jenis_jabatan"]),
        _text(pegawai["jenjang"]) if "jenjang" in pegawai else np.full(len(ids), "", dtype=object),
        _text(pegawai["golongan"]),
        s.get("talent.jenjang_rank", JENJANG_RANK),
        s.get("talent.jabatan_rank", JABATAN_RANK),
    )
    ten = (
        _tenure_years(pegawai["tmt"], int(year)) if year is not None else np.full(len(ids), np.nan)
    )
    new_years = float(s.get("plan.new_staff_years", 2))
    newcomer = (st == "CPNS") | (ten < new_years)
    mentor_ok = (st == "PNS") & ~(ten < new_years)
    comps, L, W = _levels(gaps, ids)
    rows = []
    for u in sorted(set(unit[newcomer])):
        mi = np.flatnonzero(newcomer & (unit == u))
        mj = np.flatnonzero(mentor_ok & (unit == u) & ~newcomer)
        S, E, pair = _pair_in_unit(mi, mj, (jr, gr), L, W, capacity)
        for a_, i in enumerate(mi):
            note = MENTOR_NOTE_CODES[0] if st[i] == "CPNS" else MENTOR_NOTE_CODES[1]
            if a_ in pair:
                j = mj[pair[a_]]
                strong = [
                    comps[k]
                    for k in range(len(comps))
                    if W[i, k] and np.nan_to_num(L[j, k] - L[i, k]) > 0
                ]
                rows.append(
                    (
                        ids[i],
                        u,
                        st[i],
                        ids[j],
                        float(S[a_, pair[a_]]),
                        ";".join(strong),
                        note,
                        "",
                    )
                )
            else:
                code = UNPAIRED_CODES[0] if not E[a_].any() else UNPAIRED_CODES[1]
                rows.append((ids[i], u, st[i], None, np.nan, "", note, code))
    out = pd.DataFrame(
        rows,
        columns=[
            "mentee_id",
            "kode_unit",
            "mentee_status",
            "mentor_id",
            "score",
            "kompetensi_kuat",
            "note",
            "reason",
        ],
    )
    for c in (
        "mentee_id",
        "kode_unit",
        "mentee_status",
        "mentor_id",
        "kompetensi_kuat",
        "note",
        "reason",
    ):
        out[c] = out[c].astype("str")
    out.attrs["output_class"] = "restricted"
    return out


def _levels(gaps: pd.DataFrame, ids: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Competency codes, the level matrix L (person × competency; NaN = unknown) and W (True
    where the person is below standard)."""
    lv = pd.DataFrame(
        {
            "pegawai_id": _text(gaps["pegawai_id"]),
            "k": _text(gaps["kode_kompetensi"]),
            "lvl": _num(gaps["level_actual"], "gaps", "level_actual", lo=-np.inf),
            "below": gaps["below_standard"].astype("boolean").fillna(False).to_numpy(bool),
        }
    )
    comps = sorted(set(lv["k"]))
    kidx = {k: i for i, k in enumerate(comps)}
    pidx = {p: i for i, p in enumerate(ids)}
    L = np.full((len(ids), len(comps)), np.nan)
    W = np.zeros((len(ids), len(comps)), dtype=bool)
    for p, k, lvl, b in lv.itertuples(index=False, name=None):
        if p in pidx:
            L[pidx[p], kidx[k]] = lvl
            W[pidx[p], kidx[k]] = b
    return comps, L, W


def _pair_in_unit(
    mi: np.ndarray,
    mj: np.ndarray,
    rank: tuple[np.ndarray, np.ndarray],
    L: np.ndarray,
    W: np.ndarray,
    capacity: int,
) -> tuple[np.ndarray, np.ndarray, dict[int, int]]:
    """Kernel: scores S and eligibility E (mentee × mentor) of one unit, and the pairs
    mentee position → mentor position of the optimal assignment."""
    jr, gr = rank
    big = 1e6
    S = np.zeros((len(mi), len(mj)))
    E = np.zeros((len(mi), len(mj)), dtype=bool)
    for a_, i in enumerate(mi):
        E[a_] = (jr[mj] > jr[i]) | (gr[mj] > gr[i])
        diff = np.nan_to_num(L[mj] - L[i], nan=0.0)
        S[a_] = np.where(W[i][None, :], np.maximum(diff, 0.0), 0.0).sum(axis=1)
    pair = {}
    if len(mj) and len(mi):
        cols_ = np.repeat(np.arange(len(mj)), capacity)
        M = np.where(E[:, cols_], S[:, cols_], -big)
        r, c = linear_sum_assignment(M, maximize=True)
        for a_, cc in zip(r, c, strict=True):
            if E[a_, cols_[cc]]:
                pair[a_] = cols_[cc]
    return S, E, pair


def _nine_box(perf: np.ndarray, pot: np.ndarray, numbering: str) -> np.ndarray:
    """Kernel: box number (0 where an axis is unknown)."""
    table = NINE_BOX[numbering]
    return np.array([table.get((a, b), 0) for a, b in zip(perf, pot, strict=True)], dtype=np.int64)


def _cut3(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.where(
        np.isnan(x), "", np.where(x >= hi, "tinggi", np.where(x >= lo, "menengah", "rendah"))
    )


def talent_pool(
    pegawai: pd.DataFrame, gaps: pd.DataFrame | None = None, *, settings: Settings | None = None
) -> pd.DataFrame:
    """9-box talent map and leadership-training candidates (PermenPANRB 3/2020).

    Parameters
    ----------
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``, ``jenis_jabatan``, ``predikat_kinerja``;
        optional ``skor_potensi`` (0–100).
    gaps : DataFrame, optional
        ``pegawai_id``, ``level_actual``, ``level_standar``: the competency axis (JPM) for
        people without a potential score.
    settings : Settings, optional
        ``talent.performance_axis``, ``talent.potential_cutoffs``, ``talent.box_numbering``,
        ``jpm.categories_pemetaan``.

    Returns
    -------
    DataFrame
        ``pegawai_id``, ``kode_unit``, ``jenis_jabatan``, ``kinerja_axis`` (di_atas / sesuai /
        di_bawah), ``potensial_axis`` (tinggi / menengah / rendah), ``axis_basis``
        (``"potensi"``: potential score; ``"kompetensi_jpm"``: assessed competency, JPM — a
        kinerja × kompetensi grid; ``""`` when an axis is unknown), ``jpm``, ``box`` (1–9; 0 =
        unknown), ``recommendation`` (code of :data:`RECOMMENDATION_CODES`, '' for box 0; words
        in :mod:`workbook.plan.words`), ``pelatihan_kepemimpinan`` (PKP / PKA /
        PKN or ''), ``jabatan_berikut``.

    Notes
    -----
    Potential: rendah :math:`< c_1`, menengah :math:`c_1 \\le x < c_2`, tinggi
    :math:`\\ge c_2` with ``talent.potential_cutoffs`` (46, 72) [S30]. Without a potential
    score: :math:`JPM = \\sum \\text{actual} / \\sum \\text{standard} \\times 100` and the
    pemetaan categories (Optimal ≥ 90 → tinggi, Cukup Optimal ≥ 78 → menengah) [S25].
    Boxes per DOMAIN.md §1.8 (9 = di atas/tinggi … 1 = di bawah/rendah). Leadership candidates:
    PNS in boxes 7–9 whose ``jenis_jabatan`` is on ``talent.leadership_ladder`` (assumption).
    """
    s = _settings(settings)
    _require_columns(
        pegawai,
        ["pegawai_id", "kode_unit", "status", "jenis_jabatan", "predikat_kinerja"],
        "pegawai",
    )
    numbering = s["talent.box_numbering"]
    if numbering not in NINE_BOX:
        raise SettingsError(
            f"talent.box_numbering tidak dikenal: {numbering!r}.",
            f"Unknown talent.box_numbering: {numbering!r}.",
            value=numbering,
            expected=", ".join(NINE_BOX),
        )
    axis_of = {p: a for a, ps in s["talent.performance_axis"].items() for p in ps}
    ids = _text(pegawai["pegawai_id"])
    pred = _text(pegawai["predikat_kinerja"])
    bad = sorted({p for p in pred if p and p not in axis_of})
    if bad:
        raise DataError(
            f"Tabel 'pegawai', kolom 'predikat_kinerja': nilai tidak dikenal {bad[0]!r}.",
            f"Table 'pegawai', column 'predikat_kinerja': unknown value {bad[0]!r}.",
            file="pegawai",
            column="predikat_kinerja",
            value=bad[0],
            expected=", ".join(axis_of),
        )
    perf = np.array([axis_of.get(p, "") for p in pred], dtype=object)
    c1, c2 = (float(v) for v in s["talent.potential_cutoffs"])
    pot_score = (
        _num(pegawai["skor_potensi"], "pegawai", "skor_potensi")
        if "skor_potensi" in pegawai
        else np.full(len(ids), np.nan)
    )
    pot = _cut3(pot_score, c1, c2).astype(object)
    jpm = np.full(len(ids), np.nan)
    if gaps is not None:
        _require_columns(gaps, ["pegawai_id", "level_actual", "level_standar"], "gaps")
        gg = pd.DataFrame(
            {
                "pegawai_id": _text(gaps["pegawai_id"]),
                "a": _num(gaps["level_actual"], "gaps", "level_actual", lo=-np.inf),
                "s": _num(gaps["level_standar"], "gaps", "level_standar"),
            }
        ).dropna()
        agg = gg.groupby("pegawai_id")[["a", "s"]].sum()
        agg = agg[agg["s"] > 0]
        jpm_map = (agg["a"] / agg["s"] * 100).to_dict()
        jpm = np.array([jpm_map.get(i, np.nan) for i in ids])
    cats = s["jpm.categories_pemetaan"]
    hi_c, mid_c = float(cats["Optimal"]), float(cats["Cukup Optimal"])
    comp_axis = _cut3(jpm, mid_c, hi_c).astype(object)
    use_comp = (pot == "") & (comp_axis != "")
    basis = np.where(pot != "", "potensi", np.where(use_comp, "kompetensi_jpm", ""))
    pot = np.where(use_comp, comp_axis, pot)
    basis = np.where(perf == "", "", basis)
    box = _nine_box(perf, pot, numbering)
    box = np.where(basis == "", 0, box)
    if numbering == "permenpanrb_3_2020":
        rec = [BOX_RECOMMENDATION.get(b, "") for b in box]
    else:  # recommendations are tied to PermenPANRB numbering: translate through the axes
        inv_n = {v: k for k, v in NINE_BOX[numbering].items()}
        permenpanrb = NINE_BOX["permenpanrb_3_2020"]
        rec = [BOX_RECOMMENDATION.get(permenpanrb.get(inv_n.get(b, ("", "")), 0), "") for b in box]
    jenis = _text(pegawai["jenis_jabatan"])
    st = _text(pegawai["status"])
    top = (
        box >= 7
        if numbering == "permenpanrb_3_2020"
        else np.isin(
            box,
            [
                NINE_BOX[numbering][k]
                for k in (("di_atas", "tinggi"), ("sesuai", "tinggi"), ("di_atas", "menengah"))
            ],
        )
    )
    ladder = s.get("talent.leadership_ladder", LEADERSHIP_LADDER)
    train, nxt = [], []
    for j, s_, t in zip(jenis, st, top, strict=True):
        lad = ladder.get(j) if (t and s_ == "PNS") else None
        nxt.append(lad[0] if lad else "")
        train.append(lad[1] if lad else "")
    out = pd.DataFrame(
        {
            "pegawai_id": ids,
            "kode_unit": _text(pegawai["kode_unit"]),
            "jenis_jabatan": jenis,
            "kinerja_axis": perf,
            "potensial_axis": pot,
            "axis_basis": basis,
            "jpm": jpm,
            "box": box,
            "recommendation": rec,
            "pelatihan_kepemimpinan": train,
            "jabatan_berikut": nxt,
        }
    )
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].astype("str")
    out.attrs["output_class"] = "restricted"
    return out
