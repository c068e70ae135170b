"""Needs analysis (AKPK): actual levels, competency and performance gaps, JPM.

Implements the two analyses of PP 11/2017 Pasal 206 (DOMAIN.md §1.3, §1.6):

* *analisis kesenjangan kompetensi* — each employee's competency profile against the job
  competency standard of the position held and of the position to be held
  (:func:`competency_gaps`, :func:`jpm`);
* *analisis kesenjangan kinerja* — performance against target
  (:func:`workbook.needs.performance.performance_gaps`, PermenPANRB 6/2022).

The aggregate views built on these gaps — the unit × competency summary, the need ranking and
the inventory of competencies each employee needs to develop (Pasal 205(1)(a)) — are in
:mod:`workbook.needs.index`; the realisation of the 20-JP development right is
:func:`workbook.evaluation.realisation.jp_realisation`.

Every public function validates its input (raising :class:`~workbook.core.exceptions.DataError`
with an Indonesian and an English message), calls a private numeric kernel, and returns a
long, tidy :class:`pandas.DataFrame` with snake_case columns. Nothing is rounded here: the
reporting layer rounds and suppresses small groups. Blank answers stay ``NaN`` and are never
counted as zero. The method note is ``docs/methods/needs.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.checks import in_range as _check_range
from workbook.core.checks import numeric as _numeric
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError, SettingsError
from workbook.core.settings import Settings

__all__ = [
    "SOURCES",
    "INDICATIVE_LABEL_ID",
    "survey_long",
    "actual_levels",
    "competency_gaps",
    "employees_without_standard",
    "jpm",
    "jpm_category",
    "level_bounds",
    "importance_bounds",
]

#: Sources of an actual competency level, in the default order of precedence.
SOURCES: tuple[str, ...] = ("asesmen", "atasan", "diri")
#: Category written instead of an official JPM category when any level is not from assessment
#: (its English words, like those of the official categories, are in
#: :data:`workbook.needs.words.JPM_CATEGORIES`).
INDICATIVE_LABEL_ID = "JPM indikatif (survei)"
_LEVEL_RE = re.compile(r"^level_(?P<kode>.+)$")
_IMP_RE = re.compile(r"^penting_(?P<kode>.+)$")


# --------------------------------------------------------------------------------------------
# settings
# --------------------------------------------------------------------------------------------

def level_bounds(s: Settings) -> tuple[float, float]:
    """The proficiency range ``(levels.proficiency_min, levels.proficiency_max)``, checked."""
    lo, hi = float(s["levels.proficiency_min"]), float(s["levels.proficiency_max"])
    if not hi > lo:
        raise SettingsError(
            "levels.proficiency_max harus lebih besar dari levels.proficiency_min.",
            "levels.proficiency_max must be greater than levels.proficiency_min.",
        )
    return lo, hi


def importance_bounds(s: Settings) -> tuple[float, float]:
    """The importance scale ``levels.importance_scale`` as ``(min, max)``, checked."""
    scale = s["levels.importance_scale"]
    if len(scale) != 2 or not float(scale[1]) > float(scale[0]):
        raise SettingsError(
            f"levels.importance_scale harus [min, maks] dengan maks > min, bukan {scale!r}.",
            f"levels.importance_scale must be [min, max] with max > min, not {scale!r}.",
        )
    return float(scale[0]), float(scale[1])


def _str_col(series: pd.Series) -> pd.Series:
    return series.astype("str")


# --------------------------------------------------------------------------------------------
# survey and actual levels
# --------------------------------------------------------------------------------------------

def _latest(df: pd.DataFrame, key: list[str], by: str) -> pd.DataFrame:
    """Keep the latest row per key (by column ``by`` if present, else the last row)."""
    if by in df.columns:
        order = pd.to_datetime(df[by], errors="coerce")
        df = df.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order")
    return df.drop_duplicates(subset=key, keep="last")


def _melt(df: pd.DataFrame, regex: re.Pattern, value_name: str, table: str) -> pd.DataFrame:
    cols = {c: m.group("kode") for c in df.columns if (m := regex.match(str(c)))}
    if not cols:
        return pd.DataFrame({"pegawai_id": pd.Series(dtype="str"),
                             "kode_kompetensi": pd.Series(dtype="str"),
                             value_name: pd.Series(dtype="float64")})
    wide = pd.DataFrame({c: _numeric(df[c], table, c) for c in cols})
    wide.insert(0, "pegawai_id", _str_col(df["pegawai_id"]).to_numpy())
    long = wide.melt(id_vars="pegawai_id", var_name="_col", value_name=value_name)
    long["kode_kompetensi"] = long["_col"].map(cols).astype("str")
    return long[["pegawai_id", "kode_kompetensi", value_name]]


def survey_long(
    survei_pegawai: pd.DataFrame,
    survei_atasan: pd.DataFrame | None = None,
    *,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Melt the wide survey forms into one row per employee × competency.

    Parameters
    ----------
    survei_pegawai : DataFrame
        Self-assessment form, wide: ``pegawai_id``, ``waktu_isi``, ``level_<KODE>`` and
        ``penting_<KODE>`` per competency code. Blank answers are NaN.
    survei_atasan : DataFrame, optional
        Supervisor form, wide: ``pegawai_id``, ``level_<KODE>``.
    settings : Settings, optional
        For the level range (``levels.proficiency_*``) and importance scale
        (``levels.importance_scale``); defaults when omitted.

    Returns
    -------
    DataFrame
        ``pegawai_id``, ``kode_kompetensi``, ``level_diri``, ``penting``, ``level_atasan``
        (float; NaN = blank answer or not asked). Rows where all three are blank are dropped.
        Duplicate submissions: the latest by ``waktu_isi`` is kept.

    Raises
    ------
    DataError
        Missing ``pegawai_id``, a non-numeric answer, a level outside the proficiency range or
        an importance outside the importance scale.
    """
    s = _settings(settings)
    lo, hi = level_bounds(s)
    ilo, ihi = importance_bounds(s)
    _require_columns(survei_pegawai, ["pegawai_id"], "survei_pegawai")
    sp = _latest(survei_pegawai, ["pegawai_id"], "waktu_isi")
    diri = _melt(sp, _LEVEL_RE, "level_diri", "survei_pegawai")
    _check_range(diri["level_diri"], lo, hi, "survei_pegawai", "level_<KODE>")
    imp = _melt(sp, _IMP_RE, "penting", "survei_pegawai")
    _check_range(imp["penting"], ilo, ihi, "survei_pegawai", "penting_<KODE>")
    out = diri.merge(imp, on=["pegawai_id", "kode_kompetensi"], how="outer")
    if survei_atasan is not None:
        _require_columns(survei_atasan, ["pegawai_id"], "survei_atasan")
        sa = _latest(survei_atasan, ["pegawai_id"], "waktu_isi")
        ats = _melt(sa, _LEVEL_RE, "level_atasan", "survei_atasan")
        _check_range(ats["level_atasan"], lo, hi, "survei_atasan", "level_<KODE>")
        out = out.merge(ats, on=["pegawai_id", "kode_kompetensi"], how="outer")
    else:
        out["level_atasan"] = np.nan
    out = out[["pegawai_id", "kode_kompetensi", "level_diri", "penting", "level_atasan"]]
    keep = out[["level_diri", "penting", "level_atasan"]].notna().any(axis=1)
    return out.loc[keep].sort_values(["pegawai_id", "kode_kompetensi"]).reset_index(drop=True)


def _parse_source(source: str | None, s: Settings) -> tuple[str, tuple[str, ...]]:
    spec = s["levels.actual_level_source"] if source is None else source
    if not isinstance(spec, str):
        raise SettingsError("levels.actual_level_source harus teks.", "levels.actual_level_source must be text.")
    spec = spec.strip().lower()
    if spec == "gabungan":
        return "gabungan", SOURCES
    order = tuple(t.strip() for t in spec.split(",") if t.strip())
    bad = [t for t in order if t not in SOURCES]
    if not order or bad or len(set(order)) != len(order):
        raise SettingsError(
            f"Sumber level aktual tidak sah: {spec!r}. Pakai urutan dari {', '.join(SOURCES)} "
            "(mis. 'asesmen,atasan,diri') atau 'gabungan'.",
            f"Invalid actual-level source: {spec!r}. Use an order of {', '.join(SOURCES)} "
            "(e.g. 'asesmen,atasan,diri') or 'gabungan'.",
            column="levels.actual_level_source", value=spec,
        )
    return "urutan", order


def _combine_first(levels: np.ndarray, order: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Kernel: first non-NaN level across ``order``; returns (value, index of source or -1)."""
    value = np.full(levels.shape[0], np.nan)
    which = np.full(levels.shape[0], -1)
    for j in order:
        take = np.isnan(value) & ~np.isnan(levels[:, j])
        value[take] = levels[take, j]
        which[take] = j
    return value, which


def _combine_weighted(levels: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kernel: weighted mean over available sources with positive weight (weights renormalised).

    Returns (value, number of sources used)."""
    use = ~np.isnan(levels) & (weights[None, :] > 0)
    w = np.where(use, weights[None, :], 0.0)
    total = w.sum(axis=1)
    num = (np.where(use, np.nan_to_num(levels), 0.0) * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(total > 0, num / np.where(total > 0, total, 1.0), np.nan)
    return value, use.sum(axis=1)


def actual_levels(
    tables: Mapping[str, pd.DataFrame] | None = None,
    *,
    hasil_asesmen: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    source: str | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """The actual (current) competency level of each employee, with its source stated.

    Parameters
    ----------
    tables : mapping of str to DataFrame, optional
        The clean tables (``load_agency(...).tables``); ``hasil_asesmen``, ``survei_pegawai``
        and ``survei_atasan`` are taken from it when present.
    hasil_asesmen : DataFrame, optional
        Assessment results, long (``pegawai_id``, ``kode_kompetensi``, ``level``; the latest by
        ``tanggal`` is used). Overrides ``tables``.
    survey : DataFrame, optional
        Output of :func:`survey_long` (``level_diri``, ``level_atasan``). Overrides ``tables``.
    source : str, optional
        ``"asesmen,atasan,diri"`` (any order or subset: the first available source in that
        order) or ``"gabungan"`` (weighted mean, weights ``levels.combination_weights``).
        Default: setting ``levels.actual_level_source``.
    settings : Settings, optional

    Returns
    -------
    DataFrame
        One row per employee × competency with at least one level: ``pegawai_id``,
        ``kode_kompetensi``, ``level_actual``, ``level_source`` (``"asesmen"``, ``"atasan"``,
        ``"diri"``, ``"gabungan"``; missing when no usable source), ``sources_used`` (e.g.
        ``"asesmen+atasan"``), ``level_asesmen``, ``level_atasan``, ``level_diri``.

    Notes
    -----
    Precedence (``source`` an ordered list): :math:`L = L_{s_1}` if available, else
    :math:`L_{s_2}`, … . Combination (``"gabungan"``):
    :math:`L = \\sum_{s \\in A} w_s L_s / \\sum_{s \\in A} w_s` over the available sources
    :math:`A` with :math:`w_s > 0` (weights renormalised over what is available). A combined
    level built from a single source is labelled with that source, so that JPM can tell
    assessment-only profiles (official category) from survey-based ones (indicative).
    The order "assessment first" follows practice: assessor results are the measured profile
    of Pasal 206; survey levels are perceptions (DOMAIN.md §1.6, §4.2).

    References
    ----------
    .. [1] PP 11/2017 jo. PP 17/2020, Pasal 206 (DOMAIN.md [S03]).
    """
    s = _settings(settings)
    lo, hi = level_bounds(s)
    mode, order = _parse_source(source, s)
    if tables is not None:
        if hasil_asesmen is None:
            hasil_asesmen = tables.get("hasil_asesmen")
        if survey is None and tables.get("survei_pegawai") is not None:
            survey = survey_long(tables["survei_pegawai"], tables.get("survei_atasan"), settings=s)
    parts = []
    if hasil_asesmen is not None:
        _require_columns(hasil_asesmen, ["pegawai_id", "kode_kompetensi", "level"], "hasil_asesmen")
        ha = _latest(hasil_asesmen, ["pegawai_id", "kode_kompetensi"], "tanggal")
        lv = _numeric(ha["level"], "hasil_asesmen", "level")
        _check_range(lv, lo, hi, "hasil_asesmen", "level")
        parts.append(pd.DataFrame({
            "pegawai_id": _str_col(ha["pegawai_id"]).to_numpy(),
            "kode_kompetensi": _str_col(ha["kode_kompetensi"]).to_numpy(),
            "level_asesmen": lv.to_numpy(),
        }))
    if survey is not None:
        _require_columns(survey, ["pegawai_id", "kode_kompetensi"], "survey_long")
        sv = pd.DataFrame({
            "pegawai_id": _str_col(survey["pegawai_id"]).to_numpy(),
            "kode_kompetensi": _str_col(survey["kode_kompetensi"]).to_numpy(),
        })
        for col in ("level_atasan", "level_diri"):
            if col in survey.columns:
                v = _numeric(survey[col], "survey_long", col)
                _check_range(v, lo, hi, "survey_long", col)
                sv[col] = v.to_numpy()
        parts.append(sv)
    if not parts:
        raise DataError(
            "Tidak ada sumber level aktual: berikan hasil_asesmen dan/atau survei.",
            "No source of actual levels: give hasil_asesmen and/or the survey.",
        )
    key = ["pegawai_id", "kode_kompetensi"]
    out = parts[0]
    for p in parts[1:]:
        out = out.merge(p, on=key, how="outer")
    for col in ("level_asesmen", "level_atasan", "level_diri"):
        if col not in out.columns:
            out[col] = np.nan
    cols = ["level_" + src for src in SOURCES]
    out = out.loc[out[cols].notna().any(axis=1)].reset_index(drop=True)
    levels = out[cols].to_numpy(dtype="float64")
    avail = ~np.isnan(levels)
    if mode == "urutan":
        idx = [SOURCES.index(t) for t in order]
        value, which = _combine_first(levels, idx)
        src = np.array([SOURCES[j] if j >= 0 else None for j in which], dtype=object)
        used = src.copy()
    else:
        weights_map = s["levels.combination_weights"]
        unknown = [k for k in weights_map if k not in SOURCES]
        if unknown or any(float(weights_map.get(k, 0)) < 0 for k in SOURCES):
            raise SettingsError(
                f"levels.combination_weights tidak sah: {weights_map!r} (kunci {SOURCES}, bobot ≥ 0).",
                f"Invalid levels.combination_weights: {weights_map!r} (keys {SOURCES}, weights ≥ 0).",
            )
        w = np.array([float(weights_map.get(k, 0.0)) for k in SOURCES])
        value, n_used = _combine_weighted(levels, w)
        contrib = avail & (w[None, :] > 0)
        used = np.array(["+".join(SOURCES[j] for j in np.flatnonzero(r)) or None for r in contrib],
                        dtype=object)
        src = np.where(n_used > 1, "gabungan", used)
        src = np.array([v if v else None for v in src], dtype=object)
    out["level_actual"] = value
    out["level_source"] = pd.array(src, dtype="str")
    out["sources_used"] = pd.array(used, dtype="str")
    out = out[["pegawai_id", "kode_kompetensi", "level_actual", "level_source", "sources_used",
               "level_asesmen", "level_atasan", "level_diri"]]
    return out.sort_values(key).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# competency gaps and JPM
# --------------------------------------------------------------------------------------------

def _clean_standard(standar: pd.DataFrame, s: Settings) -> pd.DataFrame:
    lo, hi = level_bounds(s)
    _require_columns(standar, ["jabatan", "kode_kompetensi", "level_standar"], "standar_kompetensi")
    lv = _numeric(standar["level_standar"], "standar_kompetensi", "level_standar")
    _check_range(lv, lo, hi, "standar_kompetensi", "level_standar")
    st = pd.DataFrame({
        "jabatan": _str_col(standar["jabatan"]).to_numpy(),
        "kode_kompetensi": _str_col(standar["kode_kompetensi"]).to_numpy(),
        "level_standar": lv.to_numpy(),
    })
    if st["level_standar"].isna().any():
        pos = int(np.flatnonzero(st["level_standar"].isna().to_numpy())[0])
        raise DataError(
            "Tabel 'standar_kompetensi': level_standar kosong.",
            "Table 'standar_kompetensi': level_standar is blank.",
            file="standar_kompetensi", row=pos + 2, column="level_standar",
        )
    dup = st.duplicated(["jabatan", "kode_kompetensi"])
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(
            "Tabel 'standar_kompetensi': pasangan jabatan–kompetensi ganda.",
            "Table 'standar_kompetensi': duplicate position–competency pair.",
            file="standar_kompetensi", row=pos + 2, column="kode_kompetensi",
            value=f"{st['jabatan'].iloc[pos]} / {st['kode_kompetensi'].iloc[pos]}",
        )
    return st


def employees_without_standard(pegawai: pd.DataFrame, standar: pd.DataFrame,
                               *, target: bool = False) -> pd.DataFrame:
    """Employees whose position (or target position, ``target=True``) has no standard.

    Returns
    -------
    DataFrame
        ``pegawai_id``, ``kode_unit``, ``jabatan`` (or ``jabatan_target``) — one row per
        employee whose position is absent from ``standar_kompetensi``. These employees cannot
        have a competency gap and must be listed in the report, not silently dropped.
    """
    col = "jabatan_target" if target else "jabatan"
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "jabatan"], "pegawai")
    _require_columns(standar, ["jabatan"], "standar_kompetensi")
    if col not in pegawai.columns:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in ("pegawai_id", "kode_unit", col)})
    known = set(_str_col(standar["jabatan"]))
    pos = pegawai[col]
    given = pos.notna() & (pos.astype("str").str.strip() != "")
    miss = given & ~pos.astype("str").isin(known)
    out = pegawai.loc[miss, ["pegawai_id", "kode_unit", col]].copy()
    for c in out.columns:
        out[c] = _str_col(out[c])
    return out.sort_values("pegawai_id").reset_index(drop=True)


def competency_gaps(
    pegawai: pd.DataFrame,
    standar: pd.DataFrame,
    actual: pd.DataFrame,
    *,
    include_target: bool = True,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Competency gap of each employee against the standard of the position held and targeted.

    Parameters
    ----------
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``jabatan``; optional ``jabatan_target``.
    standar : DataFrame
        ``standar_kompetensi``: ``jabatan``, ``kode_kompetensi``, ``level_standar``.
    actual : DataFrame
        Output of :func:`actual_levels`.
    include_target : bool, default=True
        Also compare with the standard of ``jabatan_target`` where given.
    settings : Settings, optional

    Returns
    -------
    DataFrame
        One row per employee × competency of the current (or target) position's standard:
        ``pegawai_id``, ``kode_unit``, ``jabatan``, ``kode_kompetensi``, ``level_standar``
        (NaN if the competency is only in the target standard), ``level_actual``,
        ``level_source``, ``gap``, ``below_standard`` (nullable boolean: NA when the actual
        level is unknown), and with ``include_target``: ``jabatan_target``,
        ``level_standar_target``, ``gap_target``, ``below_target_standard``.
        ``attrs["no_standard"]`` and ``attrs["no_target_standard"]`` list the ``pegawai_id``
        whose (target) position has no standard (see :func:`employees_without_standard`).

    Notes
    -----
    :math:`\\text{gap}_{ik} = L^{\\text{actual}}_{ik} - L^{\\text{standar}}_{j(i)k}`; negative
    values are shortfalls. The comparison with the position held and the position to be held
    is statutory (PP 11/2017 Pasal 206); the subtraction is standard practice (DOMAIN.md §1.6).
    An unknown actual level gives an unknown gap (never a gap computed from 0).

    References
    ----------
    .. [1] PP 11/2017 jo. PP 17/2020, Pasal 206 (DOMAIN.md [S03]).
    """
    s = _settings(settings)
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "jabatan"], "pegawai")
    _require_columns(actual, ["pegawai_id", "kode_kompetensi", "level_actual", "level_source"],
                     "actual_levels")
    st = _clean_standard(standar, s)
    peg = pd.DataFrame({
        "pegawai_id": _str_col(pegawai["pegawai_id"]).to_numpy(),
        "kode_unit": _str_col(pegawai["kode_unit"]).to_numpy(),
        "jabatan": _str_col(pegawai["jabatan"]).to_numpy(),
    })
    has_target = include_target and "jabatan_target" in pegawai.columns
    if has_target:
        tgt = pegawai["jabatan_target"]
        blank = tgt.isna() | (tgt.astype("str").str.strip() == "")
        peg["jabatan_target"] = pd.array(
            [None if b else str(v) for v, b in zip(tgt, blank, strict=True)], dtype="str")
    cur = peg.merge(st, on="jabatan", how="inner")
    key = ["pegawai_id", "kode_kompetensi"]
    if has_target:
        st_t = st.rename(columns={"jabatan": "jabatan_target", "level_standar": "level_standar_target"})
        tg = peg.loc[peg["jabatan_target"].notna(), ["pegawai_id", "jabatan_target"]].merge(
            st_t, on="jabatan_target", how="inner")
        rows = cur.merge(tg[key + ["level_standar_target"]], on=key, how="outer")
        rows = rows.drop(columns=["kode_unit", "jabatan", "jabatan_target"]).merge(
            peg[["pegawai_id", "kode_unit", "jabatan", "jabatan_target"]], on="pegawai_id", how="left")
    else:
        rows = cur
    act = actual[["pegawai_id", "kode_kompetensi", "level_actual", "level_source"]].copy()
    act["pegawai_id"] = _str_col(act["pegawai_id"])
    act["kode_kompetensi"] = _str_col(act["kode_kompetensi"])
    act["level_actual"] = _numeric(act["level_actual"], "actual_levels", "level_actual")
    dup = act.duplicated(key)
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(
            "Level aktual ganda untuk pasangan pegawai–kompetensi yang sama.",
            "Duplicate actual level for the same employee–competency pair.",
            file="actual_levels", row=pos + 2, column="kode_kompetensi",
            value=f"{act['pegawai_id'].iloc[pos]} / {act['kode_kompetensi'].iloc[pos]}")
    rows = rows.merge(act, on=key, how="left")
    rows["gap"] = rows["level_actual"] - rows["level_standar"]
    rows["below_standard"] = pd.array(
        np.where(rows["gap"].isna(), None, rows["gap"] < 0), dtype="boolean")
    cols = ["pegawai_id", "kode_unit", "jabatan", "kode_kompetensi", "level_standar",
            "level_actual", "level_source", "gap", "below_standard"]
    if has_target:
        rows["gap_target"] = rows["level_actual"] - rows["level_standar_target"]
        rows["below_target_standard"] = pd.array(
            np.where(rows["gap_target"].isna(), None, rows["gap_target"] < 0), dtype="boolean")
        cols += ["jabatan_target", "level_standar_target", "gap_target", "below_target_standard"]
    out = rows[cols].sort_values(key).reset_index(drop=True)
    out.attrs["no_standard"] = employees_without_standard(pegawai, standar)["pegawai_id"].tolist()
    out.attrs["no_target_standard"] = (
        employees_without_standard(pegawai, standar, target=True)["pegawai_id"].tolist()
        if has_target else [])
    return out


def _categorise(values: np.ndarray, cutoffs: Sequence[tuple[str, float]], lowest: str) -> np.ndarray:
    """Kernel: half-open bins; ``cutoffs`` descending (label, lower bound inclusive)."""
    out = np.full(values.shape, lowest, dtype=object)
    assigned = np.zeros(values.shape, dtype=bool)
    for label, bound in cutoffs:
        hit = ~assigned & (values >= bound)
        out[hit] = label
        assigned |= hit
    out[np.isnan(values)] = None
    return out


def jpm_category(values: Any, *, convention: str | None = None,
                 settings: Settings | None = None) -> np.ndarray:
    """Official JPM category label (Indonesian) for JPM percentages, half-open bins.

    ``convention`` is ``"pemetaan"`` (Optimal ≥ 90; Cukup Optimal 78–<90; Kurang Optimal < 78;
    Peraturan BRIN 3/2023 Pasal 33) or ``"uji"`` (Memenuhi Syarat ≥ 80; Masih Memenuhi Syarat
    68–<80; Kurang Memenuhi Syarat < 68; DOMAIN.md [S24]); default setting ``jpm.convention``.
    Cut-offs and labels come from the settings ``jpm.categories_pemetaan`` / ``jpm.categories_uji``.
    """
    s = _settings(settings)
    conv = s["jpm.convention"] if convention is None else convention
    if conv not in ("pemetaan", "uji"):
        raise SettingsError(
            f"jpm.convention harus 'pemetaan' atau 'uji', bukan {conv!r}.",
            f"jpm.convention must be 'pemetaan' or 'uji', not {conv!r}.", column="jpm.convention")
    entry = s.entry(f"jpm.categories_{conv}")
    labels = entry.get("labels", {})
    bounds = sorted(((k, float(v)) for k, v in entry["value"].items()), key=lambda kv: -kv[1])
    lowest_key = [k for k in labels if k not in entry["value"]]
    lowest = labels[lowest_key[0]] if lowest_key else ("Kurang Optimal" if conv == "pemetaan"
                                                      else "Kurang Memenuhi Syarat")
    cut = [(labels.get(k, k), b) for k, b in bounds]
    return _categorise(np.asarray(values, dtype="float64"), cut, lowest)


def jpm(gaps: pd.DataFrame, *, settings: Settings | None = None) -> pd.DataFrame:
    """Job Person Match (JPM) per employee, with its category and the convention stated.

    Parameters
    ----------
    gaps : DataFrame
        Output of :func:`competency_gaps` (rows of the current position's standard are used).
    settings : Settings, optional
        ``jpm.convention`` (``pemetaan``/``uji``), ``jpm.cap_at_100`` (which JPM feeds the
        category), ``jpm.categories_*``.

    Returns
    -------
    DataFrame
        One row per employee with a standard: ``pegawai_id``, ``kode_unit``, ``jabatan``,
        ``n_standard`` (competencies in the standard), ``n_missing`` (of those, without an
        actual level), ``sum_actual``, ``sum_standard``, ``jpm_pct`` (raw), ``jpm_pct_capped``,
        ``jpm_basis`` (``"raw"``/``"capped"``: the value that feeds the category),
        ``level_source`` (``"asesmen"``, ``"atasan"``, ``"diri"``, ``"gabungan"`` when all rows
        share it, else ``"campuran"``), ``jpm_category`` (the category of the regulation as
        named in the settings, or :data:`INDICATIVE_LABEL_ID`; English words:
        :func:`workbook.needs.words.jpm_category_text`), ``jpm_label_type`` (``"pemetaan"``,
        ``"uji"`` or ``"indikatif"``).

    Notes
    -----
    .. math:: \\mathrm{JPM}_i = 100 \\cdot \\sum_k L^{\\text{actual}}_{ik} / \\sum_k L^{\\text{standar}}_{ik}

    over the competencies of the position's standard that have an actual level
    (DOMAIN.md §1.6, [S24]); capped: :math:`\\min(100, \\mathrm{JPM})` ([S30b]). The official
    category (pemetaan [S25] or uji kompetensi [S24], half-open bins, lower bound inclusive) is
    given **only** when every level comes from assessment results (``asesmen``) and no
    competency of the standard lacks a level; otherwise the category is
    ``"JPM indikatif (survei)"`` (indicative JPM, survey) — survey levels are
    perceptions, not the assessor-measured profile the categories were defined for.

    References
    ----------
    .. [1] Regulation excerpt "Kelulusan Uji Kompetensi" (JPM 80/68), DOMAIN.md [S24].
    .. [2] Peraturan BRIN 3/2023 Pasal 33 (JPM 90/78), DOMAIN.md [S25].
    """
    s = _settings(settings)
    _require_columns(gaps, ["pegawai_id", "kode_unit", "jabatan", "level_standar", "level_actual",
                            "level_source"], "competency_gaps")
    g = gaps.loc[gaps["level_standar"].notna()].copy()
    g["level_actual"] = _numeric(g["level_actual"], "competency_gaps", "level_actual")
    have = g["level_actual"].notna()
    g["_std_used"] = np.where(have, g["level_standar"], 0.0)
    g["_act"] = np.where(have, g["level_actual"], 0.0)
    g["_missing"] = (~have).astype(int)
    agg = g.groupby("pegawai_id", sort=True).agg(
        kode_unit=("kode_unit", "first"), jabatan=("jabatan", "first"),
        n_standard=("level_standar", "size"), n_missing=("_missing", "sum"),
        sum_actual=("_act", "sum"), sum_standard=("_std_used", "sum"),
    ).reset_index()
    srcs = g.loc[have].groupby("pegawai_id")["level_source"].agg(
        lambda x: x.iloc[0] if x.nunique() == 1 else "campuran")
    agg["level_source"] = pd.array(agg["pegawai_id"].map(srcs), dtype="str")
    n_have = agg["n_standard"] - agg["n_missing"]
    agg.loc[n_have == 0, ["sum_actual", "sum_standard"]] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = 100.0 * agg["sum_actual"].to_numpy() / agg["sum_standard"].to_numpy()
    agg["jpm_pct"] = raw
    agg["jpm_pct_capped"] = np.minimum(100.0, raw)
    capped = bool(s["jpm.cap_at_100"])
    agg["jpm_basis"] = "capped" if capped else "raw"
    conv = s["jpm.convention"]
    feed = agg["jpm_pct_capped"] if capped else agg["jpm_pct"]
    official = jpm_category(feed.to_numpy(), convention=conv, settings=s)
    is_official = ((agg["level_source"] == "asesmen").fillna(False) & (agg["n_missing"] == 0)
                   & feed.notna()).to_numpy()
    cat = np.where(is_official, official, INDICATIVE_LABEL_ID)
    cat = np.where(feed.isna().to_numpy(), None, cat)
    agg["jpm_category"] = pd.array(cat, dtype="str")
    agg["jpm_label_type"] = pd.array(
        np.where(is_official, conv, np.where(feed.isna().to_numpy(), None, "indikatif")), dtype="str")
    return agg[["pegawai_id", "kode_unit", "jabatan", "n_standard", "n_missing", "sum_actual",
                "sum_standard", "jpm_pct", "jpm_pct_capped", "jpm_basis", "level_source",
                "jpm_category", "jpm_label_type"]]
