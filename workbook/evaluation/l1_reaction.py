"""Kirkpatrick level 1 — reaction: per programme and aspect, mean, % of maximum, class, alpha.

The questionnaire ``evaluasi_l1`` scores the facilitator (``fas_<n>``) and the organiser
(``pen_<n>``) on ``evaluation.l1_scale``; a programme's mean total falls into the interval classes
of :func:`l1_class_table` (DOMAIN.md §2.2 [S41–S45]). Public through
:mod:`workbook.evaluation.levels`.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.checks import blank_cells as _blank
from workbook.core.checks import in_range as _check_range
from workbook.core.checks import numeric as _numeric
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings
from workbook.core.stats import cronbach_alpha
from workbook.evaluation.columns import add_programme_names as _add_names
from workbook.evaluation.columns import required_ids as _ids

__all__ = ["l1_class_table", "alpha_of", "reliability_codes", "RELIABILITY", "level1"]

#: ``reliability`` codes of :func:`level1` (words: ``evaluation.reliability.<code>``)
RELIABILITY: tuple[str, ...] = (
    "adequate",  # α ≥ evaluation.alpha_adequate
    "inadequate",  # α < evaluation.alpha_adequate (a negative α included): out of the headline
    "too_few",  # fewer than evaluation.alpha_min_n complete respondents: α not computed
    "not_computable",  # fewer than 2 items, or no spread of the totals
)


#: aspect code -> column prefix of its items (the words are in :mod:`workbook.evaluation.words`)
_ASPECTS: dict[str, str] = {"fasilitator": "fas", "penyelenggara": "pen"}
_L1_ITEM_RE = re.compile(r"^(?P<prefix>fas|pen)_(?P<n>\d+)$")
_EPS = 1e-9  # tolerance on class boundaries (decimal intervals such as 8.8 are not exact in binary)


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
        One row per class, lowest first: ``class_rank`` (1 = lowest), ``category`` (the label
        of ``evaluation.l1_classes``; English words in :mod:`workbook.evaluation.words`),
        ``total_low``, ``total_high`` (bounds of the respondent's total score),
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
            "total_low": t_lo + j * w,
            "total_high": t_lo + (j + 1) * w,
            "mean_low": lo + j * (hi - lo) / k,
            "mean_high": lo + (j + 1) * (hi - lo) / k,
            "interval": np.full(k, w),
        }
    )


def alpha_of(items: pd.DataFrame) -> tuple[float, int]:
    """Cronbach's alpha of the complete rows (NaN when it is not defined)."""
    complete = items.dropna(axis=0, how="any")
    if items.shape[1] < 2 or len(complete) < 2:
        return np.nan, len(complete)
    if complete.sum(axis=1).var(ddof=1) <= 0:
        return np.nan, len(complete)
    r = cronbach_alpha(complete)
    return float(r["alpha"].iloc[0]), int(r["n"].iloc[0])


def reliability_codes(alpha: np.ndarray, alpha_n: np.ndarray, n_items: np.ndarray, *,
                      min_n: int, adequate: float) -> np.ndarray:
    """The :data:`RELIABILITY` code of each aspect from its α, complete respondents and items."""
    a = np.asarray(alpha, dtype=float)
    n = np.asarray(alpha_n, dtype=float)
    k = np.asarray(n_items, dtype=float)
    with np.errstate(invalid="ignore"):
        conds = [k < 2, n < min_n, np.isnan(a), a < adequate]
    return np.select(conds, ["not_computable", "too_few", "not_computable", "inadequate"],
                     "adequate").astype(object)


def _reverse(items: pd.DataFrame, reverse: list[str], lo: float, hi: float) -> pd.DataFrame:
    """Reverse-keyed items recoded ``lo + hi − score`` (Cronbach 1951: all items must point the
    same way before they are summed); an unknown item name is refused."""
    unknown = [c for c in reverse if c not in items.columns]
    if unknown:
        raise DataError(
            f"evaluation.l1_reverse_items menyebut butir yang tidak ada di evaluasi_l1: {', '.join(unknown)}.",
            f"evaluation.l1_reverse_items names items that are not in evaluasi_l1: {', '.join(unknown)}.",
            column="evaluation.l1_reverse_items", value=unknown[0], expected="fas_<n> / pen_<n>")
    out = items.copy()
    for c in reverse:
        out[c] = lo + hi - out[c]
    return out


def _recommend(l1: pd.DataFrame, n: int) -> np.ndarray:
    """1 for "ya", 0 for "tidak", NaN for a blank ``rekomendasi`` (all NaN without the column);
    an unknown value is refused with its row."""
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
        yes = np.full(n, np.nan)
    return yes


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
        (``nama_program``), ``aspect`` (code: fasilitator / penyelenggara), ``n``
        (respondents with an answer), ``n_items`` (items used by the programme), ``n_answers``
        (answered cells), ``mean`` (mean item score), ``pct_of_max``, ``mean_total``,
        ``min_total``, ``max_total``, ``interval``, ``category`` (the class label),
        ``class_rank`` (1 = lowest class), ``cronbach_alpha`` and ``alpha_n`` (complete
        respondents; alpha is NaN — not computed — with fewer than
        ``evaluation.alpha_min_n`` complete respondents or 2 items, or a constant total),
        ``reliability`` (:data:`RELIABILITY`: α below ``evaluation.alpha_adequate`` — a
        negative α included — is "inadequate"), ``headline`` (True only for an "adequate" aspect:
        the headline averages of the report use only aspects whose reliability is shown to be
        adequate), ``share_recommend`` (share of "ya" among answered ``rekomendasi``,
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
    programme. Items listed in ``evaluation.l1_reverse_items`` are recoded
    ``min + max − score`` before anything is computed. Cronbach's alpha from
    :func:`workbook.core.stats.cronbach_alpha` (listwise), only with at least
    ``evaluation.alpha_min_n`` complete respondents (default 10); a negative α means the items
    do not measure one construct (or a reverse-keyed item was not recoded), so the sum score of
    that aspect is not interpretable and the aspect is flagged (review 2026-12, W15).

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
    items = _reverse(pd.DataFrame(scores), [str(c) for c in (s.get("evaluation.l1_reverse_items") or [])],
                     lo, hi)
    yes = _recommend(l1, len(items))
    rows: list[dict[str, Any]] = []
    for pid, idx in prog.groupby(prog, sort=True).groups.items():
        rec = yes[np.asarray(idx)]
        n_rec = int((~np.isnan(rec)).sum())
        share = float(np.nanmean(rec)) if n_rec else np.nan
        for aspect, prefix in _ASPECTS.items():
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
            alpha, alpha_n = alpha_of(block)
            if alpha_n < int(s["evaluation.alpha_min_n"]):
                alpha = np.nan  # not computed: too few respondents for a stable α
            rows.append(
                {
                    "program_id": pid,
                    "aspect": aspect,
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
        "class_rank",
        "cronbach_alpha",
        "alpha_n",
        "reliability",
        "headline",
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
    out["class_rank"] = cls + 1
    out["reliability"] = pd.array(reliability_codes(
        out["cronbach_alpha"], out["alpha_n"], out["n_items"], min_n=int(s["evaluation.alpha_min_n"]),
        adequate=float(s["evaluation.alpha_adequate"])), dtype="str")
    out["headline"] = (out["reliability"] == "adequate").to_numpy(dtype=bool)
    for c in ("program_id", "aspect"):
        out[c] = out[c].astype("str")
    return _add_names(out[cols_out], katalog)
