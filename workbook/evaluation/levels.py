"""Evaluation of last year's programmes across Kirkpatrick's four levels.

* **Level 1 — reaction** (:func:`level1`): per programme and aspect (fasilitator /
  penyelenggara), the mean item score, the percentage of the maximum score, the interval-class
  category and Cronbach's alpha of the aspect's items (DOMAIN.md §2.2 [S41–S45]).
* **Level 2 — learning** (:func:`level2`): per programme, the paired pre-test/post-test comparison
  of :mod:`workbook.core.stats` with Holm's correction across *all L2 tests of the year*, the effect
  size g_z, N-Gain, a *meaningful* flag beside the *significant* flag, the ceiling flag, the
  minimum detectable effect and a one-sentence reading. Plot inputs: :func:`level2_pairs`,
  :func:`forest_data`. Per participant: :func:`reliable_change` (Jacobson–Truax).
* **Level 3 — behaviour** (:func:`level3`): ratings by supervisors, peers or observers before and
  3–6 months after the programme, averaged per person, with the same paired machinery and a
  ``status`` ("selesai" / "menunggu") for programmes whose follow-up rating is not due yet.
* **Level 4 — results** (:func:`level4`): unit indicators before and after, whether they moved in
  the better direction, and whether the unit took part — with no causal claim.

The statistics kernels live in :mod:`workbook.core.stats`; their public functions are re-exported here
(``workbook.evaluation.levels.paired_prepost`` etc.) and are the public contract. Compute code never
rounds; the one-sentence readings (``verdict_id``/``verdict_en``) are the only formatted text,
and they use the Indonesian/English number formats of :mod:`workbook.core.i18n`. The method note is
``docs/methods/evaluation.md``.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from babel.numbers import format_decimal

from workbook.core.checks import raise_first_bad
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings
from workbook.core.stats import (
    TEST_COLUMNS,
    adjust_pvalues,
    ceiling_warning,
    cronbach_alpha,
    effect_sizes,
    min_detectable_effect,
    normalized_gain,
    paired_prepost,
    power_paired_t,
    prepost_by_group,
    reliable_change_index,
)

__all__ = [
    # re-exported from workbook.core.stats (public contract)
    "paired_prepost",
    "effect_sizes",
    "adjust_pvalues",
    "normalized_gain",
    "reliable_change_index",
    "cronbach_alpha",
    "min_detectable_effect",
    "power_paired_t",
    "ceiling_warning",
    "prepost_by_group",
    # levels
    "L1_CLASSES_EN",
    "L4_NOTE_ID",
    "L4_NOTE_EN",
    "l1_class_table",
    "level1",
    "check_l2",
    "level2",
    "level2_pairs",
    "forest_data",
    "reliable_change",
    "level3_scores",
    "level3",
    "level4",
]

#: English labels of the default L1 classes (``evaluation.l1_classes``); other labels are
#: shown as given in both languages.
L1_CLASSES_EN: dict[str, str] = {
    "Buruk": "Poor",
    "Agak buruk": "Fairly poor",
    "Sedang": "Fair",
    "Baik": "Good",
    "Baik sekali": "Very good",
}
_ASPECTS: dict[str, tuple[str, str]] = {
    # aspect -> (column prefix, English)
    "fasilitator": ("fas", "facilitator"),
    "penyelenggara": ("pen", "organiser"),
}
_L1_ITEM_RE = re.compile(r"^(?P<prefix>fas|pen)_(?P<n>\d+)$")
_EPS = 1e-9  # tolerance on class boundaries (decimal intervals such as 8.8 are not exact in binary)

#: The note every L4 row carries (no causal attribution without a comparison group).
L4_NOTE_ID = (
    "Perubahan indikator tidak dapat dikaitkan dengan pelatihan tanpa kelompok "
    "pembanding; angka ini deskriptif."
)
L4_NOTE_EN = (
    "The change in the indicator cannot be attributed to training without a comparison "
    "group; the figures are descriptive."
)

_ADJ_LABEL = {"holm": "Holm", "bonferroni": "Bonferroni", "bh": "BH", "fdr_bh": "BH", "none": ""}


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------


def _blank(series: pd.Series) -> np.ndarray:
    s = series.astype("object")
    return (s.isna() | s.map(lambda v: isinstance(v, str) and v.strip() == "")).to_numpy(dtype=bool)


def _ids(series: pd.Series, table: str, column: str) -> pd.Series:
    """A required identifier column as ``str`` (stripped); a blank cell raises."""
    blank = _blank(series)
    if blank.any():
        pos = int(np.flatnonzero(blank)[0])
        raise DataError(
            f"Tabel '{table}', kolom '{column}' kosong.",
            f"Table '{table}', column '{column}' is blank.",
            file=table,
            row=pos + 2,
            column=column,
            expected="tidak kosong / not blank",
        )
    return series.astype("str").str.strip()


def _optional_ids(series: pd.Series) -> pd.Series:
    blank = _blank(series)
    out = series.astype("str").str.strip()
    out[blank] = pd.NA
    return out


def _numeric(series: pd.Series, table: str, column: str) -> pd.Series:
    """Numbers as float; blank (None, NaN, '', whitespace) becomes NaN; text raises."""
    s = series
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        s = s.astype("object").map(
            lambda v: np.nan if v is None or (isinstance(v, str) and v.strip() == "") else v
        )
    out = pd.to_numeric(s, errors="coerce").astype("float64")
    bad = (out.isna() & s.notna()).to_numpy() | np.isinf(out.to_numpy())
    raise_first_bad(bad, series, table, column, "nilai bukan angka", "value is not a number", "angka / number")
    return out


def _check_range(
    values: pd.Series, lo: float | np.ndarray, hi: float | np.ndarray, table: str, column: str
) -> None:
    lo_a = np.broadcast_to(np.asarray(lo, dtype=float), values.shape)
    hi_a = np.broadcast_to(np.asarray(hi, dtype=float), values.shape)
    v = values.to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isnan(v) & ((v < lo_a) | (v > hi_a))
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"Tabel '{table}', kolom '{column}': nilai {v[pos]:g} di luar rentang "
            f"{lo_a[pos]:g}–{hi_a[pos]:g}.",
            f"Table '{table}', column '{column}': value {v[pos]:g} is outside the range "
            f"{lo_a[pos]:g}–{hi_a[pos]:g}.",
            file=table,
            row=pos + 2,
            column=column,
            value=v[pos],
            expected=f"{lo_a[pos]:g}–{hi_a[pos]:g}",
        )


def _enum(series: pd.Series, allowed: Sequence[str], table: str, column: str) -> pd.Series:
    norm = series.astype("str").str.strip().str.lower()
    bad = (~norm.isin(list(allowed))).to_numpy() | _blank(series)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"Tabel '{table}', kolom '{column}': nilai {series.iloc[pos]!r} tidak dikenal; "
            f"pilihan: {', '.join(allowed)}.",
            f"Table '{table}', column '{column}': unknown value {series.iloc[pos]!r}; "
            f"allowed: {', '.join(allowed)}.",
            file=table,
            row=pos + 2,
            column=column,
            value=series.iloc[pos],
            expected=" / ".join(allowed),
        )
    return norm


def _scale(s: Settings) -> tuple[float, float]:
    lo, hi = (float(x) for x in s["evaluation.l1_scale"])
    if not hi > lo:
        raise DataError(
            f"evaluation.l1_scale harus [min, maks] dengan maks > min, bukan {[lo, hi]!r}.",
            f"evaluation.l1_scale must be [min, max] with max > min, not {[lo, hi]!r}.",
            column="evaluation.l1_scale",
            value=[lo, hi],
        )
    return lo, hi


def _catalogue_names(katalog: pd.DataFrame | None) -> pd.DataFrame | None:
    if katalog is None:
        return None
    _require_columns(katalog, ["program_id", "nama_program"], "katalog_program")
    names = pd.DataFrame(
        {
            "program_id": _ids(katalog["program_id"], "katalog_program", "program_id"),
            "nama_program": katalog["nama_program"].astype("str"),
        }
    )
    return names.drop_duplicates("program_id")


def _add_names(out: pd.DataFrame, katalog: pd.DataFrame | None) -> pd.DataFrame:
    names = _catalogue_names(katalog)
    if names is None:
        return out
    out = out.merge(names, on="program_id", how="left")
    cols = list(out.columns)
    cols.insert(1, cols.pop(cols.index("nama_program")))
    return out[cols]


def _fmt_num(x: float, lang: str, decimals: int) -> str:
    """Fixed decimals with the language's separators (``0,85`` in Indonesian, ``0.85`` in English)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(x, format=pattern, locale="id_ID" if lang == "id" else "en")


def _fmt_p(p: float, lang: str) -> str:
    if p < 0.001:
        return "< " + _fmt_num(0.001, lang, 3)
    return "= " + _fmt_num(p, lang, 3)


# --------------------------------------------------------------------------------------------
# Level 1 — reaction
# --------------------------------------------------------------------------------------------


def _interval_class(
    total: np.ndarray, lo_total: np.ndarray, hi_total: np.ndarray, n_classes: int
) -> np.ndarray:
    """Kernel: 0-based interval class of each total (NaN total -> -1).

    Class *j* covers ``[lo + j·w, lo + (j+1)·w)`` with ``w = (hi − lo) / n_classes``; the last
    class is closed on the right, so the maximum total falls in the top class.
    """
    width = (hi_total - lo_total) / n_classes
    with np.errstate(invalid="ignore", divide="ignore"):
        pos = np.floor((total - lo_total) / width + _EPS)
    idx = np.clip(pos, 0, n_classes - 1)
    return np.where(np.isnan(total), -1, idx).astype(np.int64)


def _class_labels(s: Settings) -> list[str]:
    labels = [str(x) for x in s["evaluation.l1_classes"]]
    if len(labels) < 2:
        raise DataError(
            "evaluation.l1_classes harus berisi minimal 2 kelas.",
            "evaluation.l1_classes must hold at least 2 classes.",
            column="evaluation.l1_classes",
            value=labels,
        )
    return labels


def l1_class_table(n_items: int, *, settings: Settings | None = None) -> pd.DataFrame:
    """The interval classes of a Level 1 questionnaire with ``n_items`` items.

    Parameters
    ----------
    n_items : int
        Number of items of the aspect (≥ 1).
    settings : Settings, optional
        ``evaluation.l1_scale`` ([min, max] of one item) and ``evaluation.l1_classes`` (labels,
        lowest first).

    Returns
    -------
    pandas.DataFrame
        One row per class, lowest first: ``class_rank`` (1 = lowest), ``category``,
        ``category_en``, ``total_low``, ``total_high`` (bounds of the respondent's total score),
        ``mean_low``, ``mean_high`` (the same bounds as a mean item score), ``interval``.
        Class *j* is ``total_low ≤ total < total_high``; the top class includes ``total_high``.

    Notes
    -----
    interval = (max total − min total) / number of classes, with min total = n_items × scale min
    and max total = n_items × scale max [S44]. Example: 11 items on 1–5, 5 classes → totals
    11–55, interval 44 / 5 = 8.8: Buruk [11, 19.8), Agak buruk [19.8, 28.6), Sedang
    [28.6, 37.4), Baik [37.4, 46.2), Baik sekali [46.2, 55].

    Examples
    --------
    >>> from workbook.core.settings import load_settings
    >>> s = load_settings(evaluation__l1_scale=[1, 5])
    >>> l1_class_table(11, settings=s)["total_high"].round(1).tolist()
    [19.8, 28.6, 37.4, 46.2, 55.0]
    """
    s = _settings(settings)
    if not (isinstance(n_items, (int, np.integer)) and n_items >= 1):
        raise DataError(
            f"Jumlah butir harus bilangan bulat ≥ 1, bukan {n_items!r}.",
            f"The number of items must be an integer ≥ 1, not {n_items!r}.",
            column="n_items",
            value=n_items,
        )
    lo, hi = _scale(s)
    labels = _class_labels(s)
    k = len(labels)
    t_lo, t_hi = n_items * lo, n_items * hi
    w = (t_hi - t_lo) / k
    j = np.arange(k)
    return pd.DataFrame(
        {
            "class_rank": j + 1,
            "category": pd.array(labels, dtype="str"),
            "category_en": pd.array([L1_CLASSES_EN.get(x, x) for x in labels], dtype="str"),
            "total_low": t_lo + j * w,
            "total_high": t_lo + (j + 1) * w,
            "mean_low": lo + j * (hi - lo) / k,
            "mean_high": lo + (j + 1) * (hi - lo) / k,
            "interval": np.full(k, w),
        }
    )


def _alpha_of(items: pd.DataFrame) -> tuple[float, int]:
    """Cronbach's alpha of the complete rows (NaN when it is not defined)."""
    complete = items.dropna(axis=0, how="any")
    if items.shape[1] < 2 or len(complete) < 2:
        return np.nan, len(complete)
    if complete.sum(axis=1).var(ddof=1) <= 0:
        return np.nan, len(complete)
    r = cronbach_alpha(complete)
    return float(r["alpha"].iloc[0]), int(r["n"].iloc[0])


def level1(
    l1: pd.DataFrame, katalog: pd.DataFrame | None = None, *, settings: Settings | None = None
) -> pd.DataFrame:
    """Level 1 (reaction): per programme and aspect, mean, % of maximum, class and alpha.

    Parameters
    ----------
    l1 : pandas.DataFrame
        ``evaluasi_l1`` (wide): ``program_id``, optional ``responden_id``, item columns
        ``fas_<n>`` (facilitator / widyaiswara) and ``pen_<n>`` (organiser), optional
        ``rekomendasi`` (ya/tidak) and ``komentar`` (not used here).
    katalog : pandas.DataFrame, optional
        ``katalog_program``; adds ``nama_program``.
    settings : Settings, optional
        ``evaluation.l1_scale`` (default 1–4) and ``evaluation.l1_classes``.

    Returns
    -------
    pandas.DataFrame
        One row per programme × aspect with at least one answer: ``program_id``
        (``nama_program``), ``aspect`` (fasilitator / penyelenggara), ``aspect_en``, ``n``
        (respondents with an answer), ``n_items`` (items used by the programme), ``n_answers``
        (answered cells), ``mean`` (mean item score), ``pct_of_max``, ``mean_total``,
        ``min_total``, ``max_total``, ``interval``, ``category``, ``category_en``,
        ``class_rank`` (1 = lowest class), ``cronbach_alpha`` and ``alpha_n`` (complete
        respondents it used; NaN alpha with fewer than 2 items or 2 complete respondents, or a
        constant total), ``share_recommend`` (share of "ya" among answered ``rekomendasi``,
        same for both aspects of a programme) and ``n_recommend``.

    Raises
    ------
    DataError
        No item columns, a non-numeric score, a score outside ``evaluation.l1_scale`` (row and
        column named), an unknown ``rekomendasi`` value, a blank ``program_id``.

    Notes
    -----
    Percentage of the maximum score [S44]:
    :math:`\\%max = \\sum score / (n_{answers} \\times max) \\times 100`; with no blank cells
    ``n_answers = n × n_items``, the formula of the Indonesian reports. Category: the mean total
    ``mean × n_items`` is placed in the interval classes of :func:`l1_class_table`
    (interval = (max total − min total) / number of classes, lower bound inclusive, top class
    closed). Items that no respondent of a programme answered are not counted for that
    programme. Cronbach's alpha from :func:`workbook.core.stats.cronbach_alpha` (listwise).

    References
    ----------
    Kirkpatrick, D. L. & Kirkpatrick, J. D. (2006). *Evaluating Training Programs*, 3rd ed.
    DOMAIN.md §2.2 [S41–S45] (aspects, scales, % of maximum, interval classes).
    """
    s = _settings(settings)
    _require_columns(l1, ["program_id"], "evaluasi_l1")
    lo, hi = _scale(s)
    labels = _class_labels(s)
    item_cols = [c for c in l1.columns if _L1_ITEM_RE.match(str(c))]
    if not item_cols:
        raise DataError(
            "Tabel 'evaluasi_l1' tidak punya kolom butir (fas_1, fas_2, … atau pen_1, …).",
            "Table 'evaluasi_l1' has no item columns (fas_1, fas_2, … or pen_1, …).",
            file="evaluasi_l1",
            expected="fas_<n>, pen_<n>",
        )
    prog = _ids(l1["program_id"], "evaluasi_l1", "program_id").reset_index(drop=True)
    scores = {}
    for c in item_cols:
        v = _numeric(l1[c], "evaluasi_l1", c).reset_index(drop=True)
        _check_range(v, lo, hi, "evaluasi_l1", c)
        scores[c] = v
    items = pd.DataFrame(scores)
    if "rekomendasi" in l1.columns:
        rek = l1["rekomendasi"].reset_index(drop=True)
        blank = _blank(rek)
        norm = rek.astype("str").str.strip().str.lower()
        bad = ~blank & ~norm.isin(["ya", "tidak"]).to_numpy()
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"Tabel 'evaluasi_l1', kolom 'rekomendasi': nilai {rek.iloc[pos]!r} tidak dikenal; "
                "pilihan: ya, tidak.",
                f"Table 'evaluasi_l1', column 'rekomendasi': unknown value {rek.iloc[pos]!r}; "
                "allowed: ya, tidak.",
                file="evaluasi_l1",
                row=pos + 2,
                column="rekomendasi",
                value=rek.iloc[pos],
                expected="ya / tidak",
            )
        yes = np.where(blank, np.nan, (norm == "ya").to_numpy(dtype=float))
    else:
        yes = np.full(len(items), np.nan)
    rows: list[dict[str, Any]] = []
    for pid, idx in prog.groupby(prog, sort=True).groups.items():
        rec = yes[np.asarray(idx)]
        n_rec = int((~np.isnan(rec)).sum())
        share = float(np.nanmean(rec)) if n_rec else np.nan
        for aspect, (prefix, aspect_en) in _ASPECTS.items():
            cols = [c for c in item_cols if str(c).startswith(prefix + "_")]
            block = items.loc[idx, cols]
            block = block.loc[:, block.notna().any(axis=0)]
            answered = block.notna().any(axis=1)
            if block.shape[1] == 0 or not answered.any():
                continue
            vals = block.to_numpy(dtype=float)
            n_answers = int((~np.isnan(vals)).sum())
            total = float(np.nansum(vals))
            k_items = block.shape[1]
            mean = total / n_answers
            alpha, alpha_n = _alpha_of(block)
            rows.append(
                {
                    "program_id": pid,
                    "aspect": aspect,
                    "aspect_en": aspect_en,
                    "n": int(answered.sum()),
                    "n_items": k_items,
                    "n_answers": n_answers,
                    "mean": mean,
                    "pct_of_max": total / (n_answers * hi) * 100.0,
                    "mean_total": mean * k_items,
                    "min_total": k_items * lo,
                    "max_total": k_items * hi,
                    "interval": k_items * (hi - lo) / len(labels),
                    "cronbach_alpha": alpha,
                    "alpha_n": alpha_n,
                    "share_recommend": share,
                    "n_recommend": n_rec,
                }
            )
    cols_out = [
        "program_id",
        "aspect",
        "aspect_en",
        "n",
        "n_items",
        "n_answers",
        "mean",
        "pct_of_max",
        "mean_total",
        "min_total",
        "max_total",
        "interval",
        "category",
        "category_en",
        "class_rank",
        "cronbach_alpha",
        "alpha_n",
        "share_recommend",
        "n_recommend",
    ]
    if not rows:
        return pd.DataFrame({c: [] for c in cols_out})
    out = pd.DataFrame(rows)
    cls = _interval_class(
        out["mean_total"].to_numpy(float),
        out["min_total"].to_numpy(float),
        out["max_total"].to_numpy(float),
        len(labels),
    )
    out["category"] = pd.array([labels[i] for i in cls], dtype="str")
    out["category_en"] = pd.array(
        [L1_CLASSES_EN.get(labels[i], labels[i]) for i in cls], dtype="str"
    )
    out["class_rank"] = cls + 1
    for c in ("program_id", "aspect", "aspect_en"):
        out[c] = out[c].astype("str")
    return _add_names(out[cols_out], katalog)


# --------------------------------------------------------------------------------------------
# Level 2 — learning
# --------------------------------------------------------------------------------------------


def check_l2(l2: pd.DataFrame, *, strict: bool = True) -> pd.DataFrame:
    """Validate ``evaluasi_l2`` and return a clean copy (ids as ``str``, scores as float).

    Parameters
    ----------
    l2 : pandas.DataFrame
        ``pegawai_id``, ``program_id``, ``skor_pre``, ``skor_post``, ``skor_maks``.
    strict : bool, default=True
        True: a participant with only one of the two scores (e.g. a post-test with no
        pre-test) and a programme with fewer than 2 complete pairs raise :class:`DataError`.
        False: such rows stay with a missing score (they are dropped from the tests and counted
        in ``n_dropped``) and such programmes get no test.

    Raises
    ------
    DataError
        Missing column, blank id, non-numeric score, duplicate participant × programme,
        maximum ≤ 0, a score below 0 or above ``skor_maks`` (row named), and with ``strict``
        unmatched pre/post scores and programmes with fewer than 2 complete pairs.
    """
    t = "evaluasi_l2"
    _require_columns(l2, ["pegawai_id", "program_id", "skor_pre", "skor_post", "skor_maks"], t)
    if len(l2) == 0:
        raise DataError(
            "Tabel 'evaluasi_l2' kosong: tidak ada skor pre-test/post-test.",
            "Table 'evaluasi_l2' is empty: no pre-test/post-test scores.",
            file=t,
        )
    out = pd.DataFrame(
        {
            "pegawai_id": _ids(l2["pegawai_id"], t, "pegawai_id").to_numpy(),
            "program_id": _ids(l2["program_id"], t, "program_id").to_numpy(),
            "skor_pre": _numeric(l2["skor_pre"], t, "skor_pre").to_numpy(),
            "skor_post": _numeric(l2["skor_post"], t, "skor_post").to_numpy(),
            "skor_maks": _numeric(l2["skor_maks"], t, "skor_maks").to_numpy(),
        }
    )
    out["pegawai_id"] = out["pegawai_id"].astype("str")
    out["program_id"] = out["program_id"].astype("str")
    dup = out.duplicated(["pegawai_id", "program_id"], keep="first").to_numpy()
    if dup.any():
        pos = int(np.flatnonzero(dup)[0])
        pid, prg = out["pegawai_id"].iloc[pos], out["program_id"].iloc[pos]
        raise DataError(
            f"Tabel '{t}': pegawai {pid} tercatat lebih dari sekali untuk program {prg}; "
            "satu baris per peserta per program.",
            f"Table '{t}': employee {pid} appears more than once for programme {prg}; "
            "one row per participant per programme.",
            file=t,
            row=pos + 2,
            column="pegawai_id",
            value=pid,
        )
    mx = out["skor_maks"]
    bad_max = (mx.isna() | (mx <= 0)).to_numpy()
    if bad_max.any():
        pos = int(np.flatnonzero(bad_max)[0])
        raise DataError(
            f"Tabel '{t}', kolom 'skor_maks': skor maksimum harus positif, bukan {mx.iloc[pos]!r}.",
            f"Table '{t}', column 'skor_maks': the maximum score must be positive, not "
            f"{mx.iloc[pos]!r}.",
            file=t,
            row=pos + 2,
            column="skor_maks",
            value=mx.iloc[pos],
            expected="> 0",
        )
    for c in ("skor_pre", "skor_post"):
        _check_range(out[c], 0.0, mx.to_numpy(dtype=float), t, c)
    if strict:
        only_post = (out["skor_pre"].isna() & out["skor_post"].notna()).to_numpy()
        only_pre = (out["skor_pre"].notna() & out["skor_post"].isna()).to_numpy()
        for mask, what_id, what_en, col in (
            (
                only_post,
                "skor post-test tanpa pre-test",
                "a post-test score with no pre-test",
                "skor_pre",
            ),
            (
                only_pre,
                "skor pre-test tanpa post-test",
                "a pre-test score with no post-test",
                "skor_post",
            ),
        ):
            if mask.any():
                pos = np.flatnonzero(mask)
                who = ", ".join(
                    f"{out['pegawai_id'].iloc[i]} ({out['program_id'].iloc[i]})" for i in pos[:5]
                ) + (" …" if len(pos) > 5 else "")
                raise DataError(
                    f"Tabel '{t}': {len(pos)} peserta punya {what_id} (tidak berpasangan): {who}. "
                    "Lengkapi skornya, atau jalankan dengan strict=False agar baris itu "
                    "dikeluarkan dari uji dan dihitung di n_dropped.",
                    f"Table '{t}': {len(pos)} participant(s) have {what_en} (unmatched): {who}. "
                    "Complete the scores, or run with strict=False to leave these rows out of "
                    "the tests (counted in n_dropped).",
                    file=t,
                    row=int(pos[0]) + 2,
                    column=col,
                    value=out["pegawai_id"].iloc[pos[0]],
                )
        complete = out["skor_pre"].notna() & out["skor_post"].notna()
        counts = complete.groupby(out["program_id"]).sum()
        small = counts[counts < 2]
        if len(small):
            lst = ", ".join(f"{p} (n = {int(n)})" for p, n in small.items())
            raise DataError(
                f"Tabel '{t}': program dengan kurang dari 2 peserta berpasangan lengkap: {lst}. "
                "Uji berpasangan memerlukan minimal 2 pasangan; hasil satu peserta tidak dapat "
                "diuji. Jalankan dengan strict=False untuk melaporkan program itu tanpa uji.",
                f"Table '{t}': programme(s) with fewer than 2 complete pairs: {lst}. A paired "
                "test needs at least 2 pairs; one participant cannot be tested. Run with "
                "strict=False to report such programmes without a test.",
                file=t,
                column="program_id",
                value=str(small.index[0]),
                expected="n ≥ 2",
            )
    return out


def _verdicts(res: pd.DataFrame, s: Settings, adj_method: str) -> tuple[list[str], list[str]]:
    thr = float(s["evaluation.meaningful_gain_g_z"])
    lab = _ADJ_LABEL.get(adj_method, adj_method)
    v_id: list[str] = []
    v_en: list[str] = []
    for r in res.itertuples(index=False):
        p = r.p_adj
        if p != p:  # NaN: no test
            v_id.append(f"Tidak dapat diuji: {r.method_reason}")
            v_en.append(f"Cannot be tested: {r.method_reason_en}")
            continue
        g = r.g_z
        p_id = f"p {lab} {_fmt_p(p, 'id')}".replace("  ", " ")
        p_en = f"{lab} p {_fmt_p(p, 'en')}".strip()
        g_id = f"g_z = {_fmt_num(g, 'id', 2)}"
        g_en = f"g_z = {_fmt_num(g, 'en', 2)}"
        if g != g:  # g_z undefined (n = 2): meaningfulness cannot be judged
            word_id = "signifikan" if r.significant else "tidak signifikan"
            word_en = "significant" if r.significant else "not significant"
            v_id.append(
                f"Perubahan {word_id} ({p_id}); g_z tidak tersedia (n = {int(r.n)}), "
                "bermakna atau tidak belum dapat dinilai"
            )
            v_en.append(
                f"Change {word_en} ({p_en}); g_z not available (n = {int(r.n)}), so whether "
                "it is meaningful cannot be judged"
            )
        elif r.significant and r.mean_diff > 0 and r.meaningful:
            a, b = "Peningkatan bermakna dan signifikan", "Meaningful and significant improvement"
            v_id.append(f"{a} ({g_id}; {p_id})")
            v_en.append(f"{b} ({g_en}; {p_en})")
        elif r.significant and r.mean_diff > 0:
            v_id.append(
                f"Peningkatan signifikan tetapi kecil ({g_id} < {_fmt_num(thr, 'id', 2)}; {p_id})"
            )
            v_en.append(
                f"Significant but small improvement ({g_en} < {_fmt_num(thr, 'en', 2)}; {p_en})"
            )
        elif r.significant and r.mean_diff < 0:
            v_id.append(f"Penurunan signifikan ({g_id}; {p_id})")
            v_en.append(f"Significant decline ({g_en}; {p_en})")
        elif r.meaningful:
            mde_id = _fmt_num(r.mde, "id", 2)
            mde_en = _fmt_num(r.mde, "en", 2)
            v_id.append(
                f"Peningkatan bermakna tetapi tidak signifikan ({g_id}; {p_id}; "
                f"n = {int(r.n)}, efek terkecil yang dapat dideteksi {mde_id})"
            )
            v_en.append(
                f"Meaningful but not significant improvement ({g_en}; {p_en}; "
                f"n = {int(r.n)}, minimum detectable effect {mde_en})"
            )
        else:
            v_id.append(f"Tidak ada perubahan yang signifikan maupun bermakna ({g_id}; {p_id})")
            v_en.append(f"No significant or meaningful change ({g_en}; {p_en})")
        if r.ceiling:
            lim = _fmt_num(float(s["evaluation.ceiling_warning_pct"]), "id", 0)
            v_id[-1] += f". Efek plafon: rata-rata pre-test ≥ {lim} % skor maksimum"
            v_en[-1] += f". Ceiling effect: mean pre-test ≥ {lim} % of the maximum"
    return [v + "." for v in v_id], [v + "." for v in v_en]


def _mde(n: np.ndarray, alpha: float, power: float, alternative: str) -> np.ndarray:
    out = np.full(len(n), np.nan)
    for i, k in enumerate(n):
        if k == k and k >= 2:
            try:
                out[i] = min_detectable_effect(
                    int(k), alpha=alpha, power=power, alternative=alternative
                )
            except ValueError:
                # scipy's noncentral t returns NaN far in the opposite tail; that term is
                # negligible there, so the one-tail power (R's strict = FALSE) is used.
                out[i] = min_detectable_effect(
                    int(k), alpha=alpha, power=power, alternative=alternative, strict=False
                )
    return out


def _flag_results(res: pd.DataFrame, s: Settings) -> pd.DataFrame:
    alpha = float(s["evaluation.alpha"])
    thr = float(s["evaluation.meaningful_gain_g_z"])
    res["significant"] = (res["p_adj"] < alpha).fillna(False).astype(bool)
    res["meaningful"] = (res["g_z"] >= thr).fillna(False).astype(bool)
    return res


def level2(
    l2: pd.DataFrame,
    katalog: pd.DataFrame | None = None,
    *,
    method: str = "auto",
    alternative: str = "two-sided",
    power: float = 0.8,
    strict: bool = True,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Level 2 (learning): pre-test/post-test of every programme of the year, Holm-corrected.

    Parameters
    ----------
    l2 : pandas.DataFrame
        ``evaluasi_l2``: ``pegawai_id``, ``program_id``, ``skor_pre``, ``skor_post``,
        ``skor_maks``.
    katalog : pandas.DataFrame, optional
        ``katalog_program``; adds ``nama_program``.
    method, alternative
        As :func:`workbook.core.stats.paired_prepost` ("auto": normality test, then t or Wilcoxon).
    power : float, default=0.8
        Power at which ``mde`` is computed.
    strict : bool, default=True
        See :func:`check_l2`: unmatched pre/post scores and programmes with fewer than 2
        complete pairs raise :class:`DataError` (default) or are reported without a test.
    settings : Settings, optional
        ``evaluation.alpha``, ``evaluation.confidence``, ``evaluation.p_adjust``,
        ``evaluation.meaningful_gain_g_z``, ``evaluation.ceiling_warning_pct``, ``ngain.*``.

    Returns
    -------
    pandas.DataFrame
        One row per programme: the columns of :func:`workbook.core.stats.prepost_by_group`
        (``program_id``, ``n``, ``n_dropped``, ``mean_diff``, ``ci_low``, ``ci_high``,
        ``statistic``, ``dof``, ``p_val``, ``method``, ``method_reason``, …, ``g_z``,
        ``g_z_ci_low``, ``g_z_ci_high``, N-Gain columns, ``ceiling_warning``, ``p_adj``,
        ``p_adjust_method``, ``p_adjust_family``), plus ``nama_program`` (with ``katalog``),
        ``significant`` (p_adj < α), ``meaningful`` (g_z ≥ ``evaluation.meaningful_gain_g_z``),
        ``ceiling`` (mean pre-test ≥ ``evaluation.ceiling_warning_pct`` % of the maximum),
        ``mde`` (the smallest d_z a paired t-test with this n detects with ``power`` at the
        unadjusted α), ``verdict_id`` and ``verdict_en`` (one-sentence readings).

    Notes
    -----
    **Family of the correction**: all L2 tests of the year, one per programme with a test —
    the p-values of every programme in ``l2`` are adjusted together (Holm 1979 by default,
    ``evaluation.p_adjust``), so ``p_adj`` equals ``adjust_pvalues(p_val)`` over the
    programmes; ``p_adjust_family`` states it. *Significant* (the change is unlikely to be
    chance) and *meaningful* (the change is large enough to matter: g_z ≥ 0.5 by default,
    Cohen's "medium") are reported side by side; a small programme can show a meaningful but
    not significant gain — ``mde`` shows how large an effect its n could detect. The MDE is for
    the unadjusted α, so it is a lower bound under the correction.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scand. J. Stat.*
    6, 65–70. Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd
    ed. Hake, R. R. (1998). *Am. J. Phys.* 66, 64–74. Lakens, D. (2013). *Front. Psychol.* 4, 863.

    Examples
    --------
    >>> l2 = pd.DataFrame({"pegawai_id": list("ABCD"), "program_id": "P1",
    ...                    "skor_pre": [40, 50, 60, 55], "skor_post": [70, 72, 80, 75],
    ...                    "skor_maks": 100})
    >>> r = level2(l2, method="t")
    >>> bool(r["significant"].iloc[0]), bool(r["meaningful"].iloc[0])
    (True, True)
    """
    s = _settings(settings)
    clean = check_l2(l2, strict=strict)
    adj = str(s["evaluation.p_adjust"])
    res = prepost_by_group(
        clean,
        group="program_id",
        pre="skor_pre",
        post="skor_post",
        max_score="skor_maks",
        method=method,
        alternative=alternative,
        confidence=float(s["evaluation.confidence"]),
        p_adjust=adj,
        settings=s,
    )
    m = int(res["p_val"].notna().sum())
    res["p_adjust_family"] = pd.array(
        [
            f"semua {m} uji L2 tahun ini (satu per program) | all {m} L2 tests of the year "
            f"(one per programme)"
        ]
        * len(res),
        dtype="str",
    )
    res = _flag_results(res, s)
    limit = float(s["evaluation.ceiling_warning_pct"])
    res["ceiling"] = (res["pre_mean_pct"] >= limit).fillna(False).astype(bool)
    res["mde"] = _mde(
        res["n"].to_numpy(dtype=float), float(s["evaluation.alpha"]), power, alternative
    )
    v_id, v_en = _verdicts(res, s, adj)
    res["verdict_id"] = pd.array(v_id, dtype="str")
    res["verdict_en"] = pd.array(v_en, dtype="str")
    res["program_id"] = res["program_id"].astype("str")
    return _add_names(res, katalog)


def level2_pairs(l2: pd.DataFrame, program_id: str) -> pd.DataFrame:
    """Tidy input of a paired slope chart for one programme.

    Returns
    -------
    pandas.DataFrame
        Two rows per participant with both scores: ``pegawai_id``, ``program_id``, ``tahap``
        ("pre" / "post"), ``skor``, ``skor_pct`` (score / maximum × 100), ``change`` (post − pre,
        the same on both rows, to colour the line), ordered by participant then pre before
        post.

    Raises
    ------
    DataError
        Invalid ``evaluasi_l2`` (see :func:`check_l2`, non-strict) or an unknown programme.
    """
    clean = check_l2(l2, strict=False)
    d = clean.loc[
        (clean["program_id"] == str(program_id))
        & clean["skor_pre"].notna()
        & clean["skor_post"].notna()
    ]
    if d.empty:
        raise DataError(
            f"Program {program_id!r} tidak punya peserta dengan skor pre-test dan post-test.",
            f"Programme {program_id!r} has no participant with both pre-test and post-test.",
            file="evaluasi_l2",
            column="program_id",
            value=program_id,
        )
    change = d["skor_post"] - d["skor_pre"]
    base = pd.DataFrame(
        {
            "pegawai_id": d["pegawai_id"].to_numpy(),
            "program_id": d["program_id"].to_numpy(),
            "change": change.to_numpy(),
        }
    )
    pre = base.assign(
        tahap="pre",
        skor=d["skor_pre"].to_numpy(),
        skor_pct=(d["skor_pre"] / d["skor_maks"] * 100).to_numpy(),
        _o=0,
    )
    post = base.assign(
        tahap="post",
        skor=d["skor_post"].to_numpy(),
        skor_pct=(d["skor_post"] / d["skor_maks"] * 100).to_numpy(),
        _o=1,
    )
    out = pd.concat([pre, post], ignore_index=True).sort_values(["pegawai_id", "_o"], kind="stable")
    out["tahap"] = out["tahap"].astype("str")
    return out[["pegawai_id", "program_id", "tahap", "skor", "skor_pct", "change"]].reset_index(
        drop=True
    )


def forest_data(level2_result: pd.DataFrame, *, settings: Settings | None = None) -> pd.DataFrame:
    """Tidy input of a forest plot of g_z per programme (from :func:`level2` or :func:`level3`).

    Returns
    -------
    pandas.DataFrame
        Programmes with an estimate, ordered by ``estimate`` (largest first): ``program_id``,
        ``label`` (``nama_program`` when present, else the id), ``n``, ``estimate`` (g_z),
        ``ci_low``, ``ci_high``, ``effect_type`` ("g_z"), ``significant``, ``meaningful``,
        ``threshold`` (``evaluation.meaningful_gain_g_z``, for the reference line).
    """
    s = _settings(settings)
    _require_columns(
        level2_result,
        ["program_id", "n", "g_z", "g_z_ci_low", "g_z_ci_high", "significant", "meaningful"],
        "level2",
    )
    d = level2_result.loc[level2_result["g_z"].notna()]
    label = (
        d["nama_program"].fillna(d["program_id"])
        if "nama_program" in d.columns
        else d["program_id"]
    )
    out = pd.DataFrame(
        {
            "program_id": d["program_id"].astype("str").to_numpy(),
            "label": label.astype("str").to_numpy(),
            "n": d["n"].to_numpy(),
            "estimate": d["g_z"].to_numpy(dtype=float),
            "ci_low": d["g_z_ci_low"].to_numpy(dtype=float),
            "ci_high": d["g_z_ci_high"].to_numpy(dtype=float),
            "effect_type": "g_z",
            "significant": d["significant"].to_numpy(dtype=bool),
            "meaningful": d["meaningful"].to_numpy(dtype=bool),
            "threshold": float(s["evaluation.meaningful_gain_g_z"]),
        }
    )
    out["effect_type"] = out["effect_type"].astype("str")
    return out.sort_values(
        ["estimate", "program_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Reliable change (per participant)
# --------------------------------------------------------------------------------------------

_BUTIR_RE = re.compile(r"^butir_\d+$")


def _alpha_by_programme(butir: pd.DataFrame) -> dict[str, float]:
    t = "evaluasi_l2_butir"
    _require_columns(butir, ["program_id"], t)
    cols = [c for c in butir.columns if _BUTIR_RE.match(str(c))]
    if len(cols) < 2:
        raise DataError(
            f"Tabel '{t}' memerlukan minimal 2 kolom butir (butir_1, butir_2, …).",
            f"Table '{t}' needs at least 2 item columns (butir_1, butir_2, …).",
            file=t,
            expected="butir_<n>",
        )
    d = butir
    if "tahap" in d.columns:
        d = d.loc[d["tahap"].astype("str").str.strip().str.lower() == "pre"]
    prog = _ids(d["program_id"], t, "program_id")
    items = pd.DataFrame({c: _numeric(d[c], t, c).to_numpy() for c in cols})
    out: dict[str, float] = {}
    for pid, idx in pd.Series(prog.to_numpy()).groupby(prog.to_numpy()).groups.items():
        block = items.loc[idx]
        block = block.loc[:, block.notna().any(axis=0)]
        out[str(pid)] = _alpha_of(block)[0]
    return out


def reliable_change(
    l2: pd.DataFrame,
    *,
    butir: pd.DataFrame | None = None,
    reliability: float | Mapping[str, float] | None = None,
    confidence: float | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Jacobson–Truax reliable change index of every participant, when reliability is known.

    Parameters
    ----------
    l2 : pandas.DataFrame
        ``evaluasi_l2`` (validated non-strictly; rows without both scores are left out).
    butir : pandas.DataFrame, optional
        ``evaluasi_l2_butir``: item scores of the test, ``pegawai_id``, ``program_id``,
        optional ``tahap`` ("pre"/"post": only pre-test rows are used when present) and item
        columns ``butir_1``, ``butir_2``, …. Gives each programme's reliability as Cronbach's
        alpha of its items.
    reliability : float or mapping program_id → float, optional
        Known reliability (e.g. from the test's manual), used where ``butir`` gives none.
    confidence : float, optional
        Two-sided level of the criterion (default ``evaluation.confidence``: |RCI| > 1.96).
    settings : Settings, optional
        ``evaluation.confidence``; ``evaluation.l2_reliability`` is used as a last resort when
        the settings define it.

    Returns
    -------
    pandas.DataFrame
        One row per participant with both scores: ``pegawai_id``, ``program_id``, ``skor_pre``,
        ``skor_post``, ``reliability``, ``reliability_source`` ("butir" = Cronbach's alpha of
        the items, "parameter", "pengaturan", "tidak_tersedia"), ``rci``,
        ``reliable_improvement``, ``reliable_decline``. Programmes without a usable reliability
        (unknown, alpha ≤ 0, or fewer than 2 participants / constant pre-test) keep NaN and
        ``False``; they are listed in ``attrs["skipped"]`` with the bilingual
        ``attrs["message_id"]`` / ``attrs["message_en"]`` (empty when nothing was skipped).

    Notes
    -----
    :math:`RCI = (x_2 - x_1) / \\sqrt{2\\,(s_1\\sqrt{1-r_{xx}})^2}` with :math:`s_1` the
    programme's pre-test SD (see :func:`workbook.core.stats.reliable_change_index`). Alpha is
    computed from pre-test items (the reliability of the instrument before training).

    References
    ----------
    Jacobson, N. S. & Truax, P. (1991). *J. Consult. Clin. Psychol.* 59, 12–19.
    Cronbach, L. J. (1951). *Psychometrika* 16, 297–334.
    """
    s = _settings(settings)
    conf = float(s["evaluation.confidence"] if confidence is None else confidence)
    clean = check_l2(l2, strict=False)
    d = clean.loc[clean["skor_pre"].notna() & clean["skor_post"].notna()].reset_index(drop=True)
    alphas = _alpha_by_programme(butir) if butir is not None else {}
    fallback = s.get("evaluation.l2_reliability")
    rel = np.full(len(d), np.nan)
    src = np.full(len(d), "tidak_tersedia", dtype=object)
    rci = np.full(len(d), np.nan)
    imp = np.zeros(len(d), dtype=bool)
    dec = np.zeros(len(d), dtype=bool)
    skipped: list[str] = []
    why_by: dict[tuple[str, str], list[str]] = {}
    for pid, idx in d.groupby("program_id", sort=True).groups.items():
        idx = np.asarray(idx)
        r, source = np.nan, "tidak_tersedia"
        if pid in alphas and alphas[pid] == alphas[pid]:
            r, source = alphas[pid], "butir"
        elif isinstance(reliability, Mapping) and pid in reliability:
            r, source = float(reliability[pid]), "parameter"
        elif isinstance(reliability, (int, float)) and not isinstance(reliability, bool):
            r, source = float(reliability), "parameter"
        elif fallback is not None:
            r, source = float(fallback), "pengaturan"
        rel[idx], src[idx] = r, source
        pre = d["skor_pre"].to_numpy()[idx]
        why = None
        if r != r:
            why = (
                "reliabilitas tes tidak diketahui (berikan butir soal atau nilai reliabilitas)",
                "test reliability unknown (give the item scores or a reliability value)",
            )
        elif not (0 < r < 1):
            why = (
                f"reliabilitas {r:.3g} tidak dapat dipakai (harus 0 < r < 1)",
                f"reliability {r:.3g} cannot be used (must be 0 < r < 1)",
            )
        elif len(idx) < 2 or np.std(pre) == 0:
            why = (
                "simpangan baku pre-test tidak dapat dihitung (kurang dari 2 peserta atau "
                "skor pre-test sama semua)",
                "the pre-test SD cannot be computed (fewer than 2 participants or all pre-test "
                "scores equal)",
            )
        if why is not None:
            skipped.append(pid)
            why_by.setdefault(why, []).append(pid)
            continue
        res = reliable_change_index(
            pre, d["skor_post"].to_numpy()[idx], reliability=r, confidence=conf
        )
        rci[idx] = res["rci"].to_numpy()
        imp[idx] = res["reliable_improvement"].to_numpy()
        dec[idx] = res["reliable_decline"].to_numpy()
    out = pd.DataFrame(
        {
            "pegawai_id": d["pegawai_id"],
            "program_id": d["program_id"],
            "skor_pre": d["skor_pre"],
            "skor_post": d["skor_post"],
            "reliability": rel,
            "reliability_source": pd.array(src.astype(str), dtype="str"),
            "rci": rci,
            "reliable_improvement": imp,
            "reliable_decline": dec,
        }
    )
    out.attrs["skipped"] = skipped
    out.attrs["message_id"] = " ".join(
        f"Indeks perubahan reliabel dilewati untuk program {', '.join(p)}: {w[0]}."
        for w, p in why_by.items()
    )
    out.attrs["message_en"] = " ".join(
        f"Reliable change index skipped for programme(s) {', '.join(p)}: {w[1]}."
        for w, p in why_by.items()
    )
    out.attrs["output_class"] = "restricted"
    return out


# --------------------------------------------------------------------------------------------
# Level 3 — behaviour
# --------------------------------------------------------------------------------------------


def _dates(series: pd.Series, table: str, column: str) -> pd.Series:
    out = pd.to_datetime(series, errors="coerce")
    bad = (out.isna() & ~pd.Series(_blank(series), index=series.index)).to_numpy()
    raise_first_bad(bad, series, table, column, "tanggal tidak dapat dibaca", "unreadable date", "YYYY-MM-DD")
    return out


def _clean_l3(l3: pd.DataFrame) -> pd.DataFrame:
    t = "evaluasi_l3"
    _require_columns(
        l3,
        ["pegawai_id", "program_id", "peran_penilai", "tahap", "tanggal", "indikator", "rating"],
        t,
    )
    rating = _numeric(l3["rating"], t, "rating")
    _check_range(rating, 1.0, 5.0, t, "rating")
    return pd.DataFrame(
        {
            "pegawai_id": _ids(l3["pegawai_id"], t, "pegawai_id").to_numpy(),
            "program_id": _ids(l3["program_id"], t, "program_id").to_numpy(),
            "peran_penilai": _ids(l3["peran_penilai"], t, "peran_penilai").to_numpy(),
            "tahap": _enum(l3["tahap"], ("sebelum", "sesudah"), t, "tahap").to_numpy(),
            "tanggal": _dates(l3["tanggal"], t, "tanggal").to_numpy(),
            "indikator": _ids(l3["indikator"], t, "indikator").to_numpy(),
            "rating": rating.to_numpy(),
        }
    ).dropna(subset=["rating"])


def level3_scores(l3: pd.DataFrame) -> pd.DataFrame:
    """Person-level behaviour scores before and after the programme.

    Returns
    -------
    pandas.DataFrame
        One row per programme × person: ``program_id``, ``pegawai_id``, ``skor_sebelum``,
        ``skor_sesudah`` (NaN when that phase has no rating), ``n_indikator_sebelum``,
        ``n_indikator_sesudah``, ``n_penilai_sebelum``, ``n_penilai_sesudah`` (distinct raters
        roles), ``tanggal_sebelum``, ``tanggal_sesudah`` (latest rating date of the phase).
        A restricted (person-level, pseudonymous) table.

    Notes
    -----
    Ratings are first averaged over raters within each indicator, then over indicators, so
    that an indicator rated by three people does not weigh three times as much as one rated
    by one person **(konvensi, tidak bersumber)**.
    """
    d = _clean_l3(l3)
    key = ["program_id", "pegawai_id", "tahap"]
    per_ind = d.groupby(key + ["indikator"], sort=True)["rating"].mean().reset_index()
    per_phase = per_ind.groupby(key, sort=True).agg(
        skor=("rating", "mean"), n_indikator=("indikator", "nunique")
    )
    extra = d.groupby(key, sort=True).agg(
        n_penilai=("peran_penilai", "nunique"), tanggal=("tanggal", "max")
    )
    wide = per_phase.join(extra).unstack("tahap")
    out = pd.DataFrame(index=wide.index)
    for phase in ("sebelum", "sesudah"):
        for col in ("skor", "n_indikator", "n_penilai", "tanggal"):
            name = f"{col}_{phase}"
            out[name] = (
                wide[(col, phase)]
                if (col, phase) in wide.columns
                else (pd.NaT if col == "tanggal" else np.nan)
            )
    out = out.reset_index()
    for c in (
        "n_indikator_sebelum",
        "n_indikator_sesudah",
        "n_penilai_sebelum",
        "n_penilai_sesudah",
    ):
        out[c] = out[c].fillna(0).astype("int64")
    for c in ("program_id", "pegawai_id"):
        out[c] = out[c].astype("str")
    out.columns.name = None
    out.attrs["output_class"] = "restricted"
    return out[
        [
            "program_id",
            "pegawai_id",
            "skor_sebelum",
            "skor_sesudah",
            "n_indikator_sebelum",
            "n_indikator_sesudah",
            "n_penilai_sebelum",
            "n_penilai_sesudah",
            "tanggal_sebelum",
            "tanggal_sesudah",
        ]
    ]


def _today(today: Any) -> pd.Timestamp:
    if today is None:
        return pd.Timestamp(_dt.date.today())
    ts = pd.to_datetime(today, errors="coerce")
    if pd.isna(ts):
        raise DataError(
            f"Tanggal 'today' tidak dapat dibaca: {today!r}.",
            f"Unreadable 'today' date: {today!r}.",
            column="today",
            value=today,
            expected="YYYY-MM-DD",
        )
    return pd.Timestamp(ts).normalize()


def _programme_dates(scores: pd.DataFrame, realisasi: pd.DataFrame | None) -> pd.DataFrame:
    progs = pd.Index(sorted(scores["program_id"].unique()), name="program_id")
    out = pd.DataFrame(index=progs)
    out["program_date"] = pd.NaT
    out["program_date_source"] = "tidak_diketahui"
    if realisasi is not None:
        t = "realisasi_pengembangan"
        _require_columns(realisasi, ["program_id", "tanggal_mulai"], t)
        pid = _optional_ids(realisasi["program_id"])
        dates = _dates(realisasi["tanggal_mulai"], t, "tanggal_mulai")
        last = pd.Series(dates.to_numpy(), index=pid.to_numpy()).loc[pid.notna().to_numpy()]
        last = last.groupby(level=0).max()
        hit = out.index.intersection(last.index)
        out.loc[hit, "program_date"] = last.loc[hit].to_numpy()
        out.loc[hit, "program_date_source"] = "realisasi"
    before = scores.groupby("program_id")["tanggal_sebelum"].max()
    miss = out["program_date"].isna() & out.index.isin(before.dropna().index)
    idx = out.index[miss]
    out.loc[idx, "program_date"] = before.loc[idx].to_numpy()
    out.loc[idx, "program_date_source"] = "penilaian_sebelum"
    out["program_date"] = pd.to_datetime(out["program_date"])
    return out


_L3_TEST_COLUMNS = (*TEST_COLUMNS, "g_z", "g_z_ci_low", "g_z_ci_high", "p_adj", "p_adjust_method",
                    "p_adjust_family")


def level3(
    l3: pd.DataFrame,
    realisasi: pd.DataFrame | None = None,
    *,
    method: str = "auto",
    alternative: str = "two-sided",
    settings: Settings | None = None,
    today: Any = None,
) -> pd.DataFrame:
    """Level 3 (behaviour): per programme, paired before/after ratings and whether they are due.

    Parameters
    ----------
    l3 : pandas.DataFrame
        ``evaluasi_l3`` (long): ``pegawai_id``, ``program_id``, ``peran_penilai``, ``tahap``
        (sebelum/sesudah), ``tanggal``, ``indikator``, ``rating`` (1–5).
    realisasi : pandas.DataFrame, optional
        ``realisasi_pengembangan`` (``program_id``, ``tanggal_mulai``): the programme date is the
        latest start date recorded for it. Without it (or for a programme not in it) the latest
        'sebelum' rating date stands in.
    method, alternative
        As :func:`workbook.core.stats.paired_prepost`.
    settings : Settings, optional
        ``evaluation.l3_delay_months`` (first value = minimum months after the programme),
        ``evaluation.alpha``, ``evaluation.confidence``, ``evaluation.p_adjust``,
        ``evaluation.meaningful_gain_g_z``.
    today : date-like, optional
        Reference date for the pending check (default: today).

    Returns
    -------
    pandas.DataFrame
        One row per programme: ``program_id``, ``status`` ("selesai" / "menunggu"),
        ``status_reason_id``, ``status_reason_en``, ``program_date``, ``program_date_source``
        ("realisasi", "penilaian_sebelum", "tidak_diketahui"), ``due_date`` (programme date +
        the minimum delay), ``early_measurement`` (some 'sesudah' ratings dated before
        ``due_date``), ``n_persons``, ``mean_before``, ``mean_after`` (over persons with that
        phase), then for finished programmes the :func:`workbook.core.stats.prepost_by_group`
        columns (``n`` complete pairs, ``mean_diff``, ``p_val``, ``g_z``, … ``p_adj``,
        ``p_adjust_family``), ``significant`` and ``meaningful``. Pending programmes have no
        test (NaN).

    Notes
    -----
    Status "menunggu" (pending) when the programme has no 'sesudah' rating yet, or when fewer
    than ``evaluation.l3_delay_months[0]`` months (default 3) have passed between the
    programme date and ``today``: Kirkpatrick's behaviour level is measured 3–6 months after
    training [S35]. Person scores: :func:`level3_scores`. The Holm family is all *finished* L3
    programmes of the year (stated in ``p_adjust_family``); L3 is a separate family from L2.
    A finished programme with fewer than 2 complete pairs is reported without a test (no
    error: L3 follow-up is often partial).

    References
    ----------
    Kirkpatrick, D. L. & Kirkpatrick, J. D. (2006). *Evaluating Training Programs*, 3rd ed.
    DOMAIN.md §2.1 [S35]. Holm, S. (1979). *Scand. J. Stat.* 6, 65–70.
    """
    s = _settings(settings)
    now = _today(today)
    delay = s["evaluation.l3_delay_months"]
    delay_min = int(delay[0] if isinstance(delay, (list, tuple)) else delay)
    scores = level3_scores(l3)
    dates = _programme_dates(scores, realisasi)
    g = scores.groupby("program_id", sort=True)
    summ = pd.DataFrame(
        {
            "n_persons": g["pegawai_id"].nunique(),
            "mean_before": g["skor_sebelum"].mean(),
            "mean_after": g["skor_sesudah"].mean(),
            "n_after": g["skor_sesudah"].count(),
            "last_after": g["tanggal_sesudah"].max(),
            "first_after": g["tanggal_sesudah"].min(),
        }
    ).join(dates)
    summ["due_date"] = summ["program_date"] + pd.DateOffset(months=delay_min)
    status, r_id, r_en = [], [], []
    for r in summ.itertuples():
        due = r.due_date
        if r.n_after == 0:
            status.append("menunggu")
            r_id.append("Belum ada penilaian 'sesudah'.")
            r_en.append("No 'after' rating yet.")
        elif pd.notna(due) and now < due:
            status.append("menunggu")
            r_id.append(
                f"Belum {delay_min} bulan sejak program ({r.program_date:%Y-%m-%d}); "
                f"penilaian perilaku jatuh tempo {due:%Y-%m-%d}."
            )
            r_en.append(
                f"Less than {delay_min} months since the programme "
                f"({r.program_date:%Y-%m-%d}); the behaviour rating is due {due:%Y-%m-%d}."
            )
        else:
            status.append("selesai")
            if pd.isna(due):
                r_id.append("Penilaian 'sesudah' tersedia; tanggal program tidak diketahui.")
                r_en.append("'After' ratings available; programme date unknown.")
            else:
                r_id.append(f"Penilaian 'sesudah' tersedia; ≥ {delay_min} bulan sejak program.")
                r_en.append(f"'After' ratings available; ≥ {delay_min} months since the programme.")
    summ["status"] = status
    summ["status_reason_id"] = r_id
    summ["status_reason_en"] = r_en
    summ["early_measurement"] = (summ["first_after"] < summ["due_date"]).fillna(False).astype(bool)
    summ = summ.reset_index()
    done = summ.loc[summ["status"] == "selesai", "program_id"]
    pairs = scores.loc[
        scores["program_id"].isin(done)
        & scores["skor_sebelum"].notna()
        & scores["skor_sesudah"].notna()
    ]
    base_cols = [
        "program_id",
        "status",
        "status_reason_id",
        "status_reason_en",
        "program_date",
        "program_date_source",
        "due_date",
        "early_measurement",
        "n_persons",
        "mean_before",
        "mean_after",
    ]
    out = summ[base_cols]
    testable = pairs.groupby("program_id")["pegawai_id"].count()
    testable = testable[testable >= 2].index
    if len(testable):
        adj = str(s["evaluation.p_adjust"])
        res = prepost_by_group(
            pairs.loc[pairs["program_id"].isin(testable)],
            group="program_id",
            pre="skor_sebelum",
            post="skor_sesudah",
            max_score=None,
            method=method,
            alternative=alternative,
            confidence=float(s["evaluation.confidence"]),
            p_adjust=adj,
            settings=s,
        )
        m = int(res["p_val"].notna().sum())
        res["p_adjust_family"] = (
            f"semua {m} uji L3 yang selesai tahun ini (satu per program) | "
            f"all {m} finished L3 tests of the year (one per programme)"
        )
        res["program_id"] = res["program_id"].astype("str")
        out = out.merge(res, on="program_id", how="left")
    out = out.reindex(columns=base_cols + list(_L3_TEST_COLUMNS))
    untested = ((out["status"] == "selesai") & ~out["program_id"].isin(testable)).to_numpy()
    for col, text in (
        (
            "method_reason",
            "Kurang dari 2 pegawai dengan penilaian sebelum dan sesudah: uji tidak dapat dihitung.",
        ),
        (
            "method_reason_en",
            "Fewer than 2 employees rated both before and after: the test cannot be computed.",
        ),
    ):
        out[col] = out[col].astype("object")
        out.loc[untested, col] = text
    out = _flag_results(out, s)
    for c in (
        "program_id",
        "status",
        "status_reason_id",
        "status_reason_en",
        "program_date_source",
        "method",
        "method_reason",
        "method_reason_en",
        "wilcoxon_p_method",
        "normality_test",
        "effect_type",
        "p_adjust_method",
        "p_adjust_family",
    ):
        out[c] = out[c].astype("str")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Level 4 — results
# --------------------------------------------------------------------------------------------


def level4(ind: pd.DataFrame, *, settings: Settings | None = None) -> pd.DataFrame:
    """Level 4 (results): unit indicators before and after, in the better direction or not.

    Parameters
    ----------
    ind : pandas.DataFrame
        ``indikator_unit``: ``kode_unit``, ``indikator``, ``periode`` (sebelum/sesudah),
        ``nilai``, ``arah_baik`` (naik = higher is better, turun = lower is better), optional
        ``program_id`` (the programme linked to the unit).
    settings : Settings, optional
        Unused (kept for a uniform signature).

    Returns
    -------
    pandas.DataFrame
        One row per unit × indicator: ``kode_unit``, ``indikator``, ``arah_baik``, ``before``,
        ``after``, ``change`` (after − before), ``change_pct`` (change / |before| × 100; NaN when
        before is 0), ``change_toward_better`` (change, sign flipped for "turun": positive =
        better), ``improved`` (nullable boolean; NA when a period is missing), ``trained``
        (the unit has a ``program_id`` on any of its rows), ``program_id`` (the unit's
        programmes, ';'-separated, empty when none), ``note`` and ``note_en``
        (:data:`L4_NOTE_ID` / :data:`L4_NOTE_EN`).

    Raises
    ------
    DataError
        Missing column, unknown ``periode`` or ``arah_baik``, a non-numeric value, the same unit ×
        indicator × period twice, or a ``arah_baik`` that differs between the periods.

    Notes
    -----
    No causal claim: without a comparison group (units that did not train, or a time series
    before the programme), a change in a unit indicator cannot be attributed to training;
    ``trained`` lets the reader compare trained and untrained units descriptively only.
    """
    _settings(settings)
    t = "indikator_unit"
    _require_columns(ind, ["kode_unit", "indikator", "periode", "nilai", "arah_baik"], t)
    d = pd.DataFrame(
        {
            "kode_unit": _ids(ind["kode_unit"], t, "kode_unit").to_numpy(),
            "indikator": _ids(ind["indikator"], t, "indikator").to_numpy(),
            "periode": _enum(ind["periode"], ("sebelum", "sesudah"), t, "periode").to_numpy(),
            "nilai": _numeric(ind["nilai"], t, "nilai").to_numpy(),
            "arah_baik": _enum(ind["arah_baik"], ("naik", "turun"), t, "arah_baik").to_numpy(),
            "program_id": (
                _optional_ids(ind["program_id"]).to_numpy()
                if "program_id" in ind.columns
                else pd.NA
            ),
        }
    )
    key = ["kode_unit", "indikator"]
    dup = d.duplicated(key + ["periode"]).to_numpy()
    if dup.any():
        pos = int(np.flatnonzero(dup)[0])
        raise DataError(
            f"Tabel '{t}': unit {d['kode_unit'].iloc[pos]}, indikator "
            f"{d['indikator'].iloc[pos]!r}, periode {d['periode'].iloc[pos]} tercatat dua kali.",
            f"Table '{t}': unit {d['kode_unit'].iloc[pos]}, indicator "
            f"{d['indikator'].iloc[pos]!r}, period {d['periode'].iloc[pos]} appears twice.",
            file=t,
            row=pos + 2,
            column="periode",
            value=d["periode"].iloc[pos],
        )
    n_dir = d.groupby(key)["arah_baik"].nunique()
    if (n_dir > 1).any():
        u, i = n_dir[n_dir > 1].index[0]
        raise DataError(
            f"Tabel '{t}': arah_baik untuk unit {u}, indikator {i!r} berbeda antara periode "
            "sebelum dan sesudah.",
            f"Table '{t}': arah_baik of unit {u}, indicator {i!r} differs between the before "
            "and after periods.",
            file=t,
            column="arah_baik",
            value=i,
        )
    wide = d.pivot_table(
        index=key, columns="periode", values="nilai", aggfunc="first", dropna=False
    )
    out = pd.DataFrame(index=d.groupby(key).size().index)
    out["arah_baik"] = d.groupby(key)["arah_baik"].first()
    out["before"] = wide["sebelum"] if "sebelum" in wide.columns else np.nan
    out["after"] = wide["sesudah"] if "sesudah" in wide.columns else np.nan
    out["change"] = out["after"] - out["before"]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = out["change"].to_numpy(float) / np.abs(out["before"].to_numpy(float)) * 100.0
    out["change_pct"] = np.where(out["before"].to_numpy(float) == 0, np.nan, pct)
    sign = np.where(out["arah_baik"] == "turun", -1.0, 1.0)
    out["change_toward_better"] = out["change"] * sign
    better = out["change_toward_better"].to_numpy(float)
    out["improved"] = pd.array(np.where(np.isnan(better), None, better > 0), dtype="boolean")
    out = out.reset_index()
    progs = (
        d.dropna(subset=["program_id"])
        .groupby("kode_unit")["program_id"]
        .agg(lambda x: ";".join(sorted(set(map(str, x)))))
    )
    out["program_id"] = out["kode_unit"].map(progs).fillna("").astype("str")
    out["trained"] = out["program_id"] != ""
    out["note"] = L4_NOTE_ID
    out["note_en"] = L4_NOTE_EN
    for c in ("kode_unit", "indikator", "arah_baik", "note", "note_en"):
        out[c] = out[c].astype("str")
    return out[
        [
            "kode_unit",
            "indikator",
            "arah_baik",
            "before",
            "after",
            "change",
            "change_pct",
            "change_toward_better",
            "improved",
            "trained",
            "program_id",
            "note",
            "note_en",
        ]
    ]
