"""Kirkpatrick level 2 — learning: pre-test/post-test of every programme, Holm-corrected.

:func:`level2` runs :func:`workbook.core.stats.prepost_by_group` over all programmes of the year
(one Holm family), and adds *significant* (Holm), the magnitude on d_av with its interval
(:mod:`workbook.evaluation.verdicts`), the pass rate, the ceiling flag, the minimum detectable
effect (unadjusted and at the Holm threshold) and the code of the programme's verdict
(``verdict``; its words are in :mod:`workbook.evaluation.words`). Plot inputs: :func:`level2_pairs`,
:func:`forest_data`. Per participant: :func:`reliable_change` (Jacobson–Truax). Public through
:mod:`workbook.evaluation.levels`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

import workbook.evaluation.verdicts as _verdicts_mod
from workbook.core.checks import in_range as _check_range
from workbook.core.checks import numeric as _numeric
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings
from workbook.core.stats import min_detectable_effect, prepost_by_group, reliable_change_index
from workbook.evaluation.columns import add_programme_names as _add_names
from workbook.evaluation.columns import required_ids as _ids
from workbook.evaluation.l1_reaction import alpha_of

__all__ = [
    "VERDICTS",
    "check_l2",
    "flag_results",
    "level2",
    "level2_pairs",
    "forest_data",
    "reliable_change",
]


#: ``verdict`` codes of :func:`level2` (words: ``evaluation.verdict.<code>``), from
#: :mod:`workbook.evaluation.verdicts`.
VERDICTS: tuple[str, ...] = _verdicts_mod.VERDICTS


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


def flag_results(res: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """``significant`` (Holm-adjusted p < ``evaluation.alpha``) and ``direction`` ("up", "down",
    "none": the sign of a significant change; "none" when not significant or not tested)."""
    alpha = float(s["evaluation.alpha"])
    res["significant"] = (res["p_adj"] < alpha).fillna(False).astype(bool)
    diff = pd.to_numeric(res["mean_diff"], errors="coerce").to_numpy(dtype=float)
    sig = res["significant"].to_numpy(dtype=bool)
    with np.errstate(invalid="ignore"):
        res["direction"] = pd.array(np.where(sig & (diff > 0), "up", np.where(sig & (diff < 0), "down", "none")),
                                    dtype="str")
    return res


def add_magnitude(res: pd.DataFrame, pairs: pd.DataFrame, pre: str, post: str,
                  s: Settings) -> pd.DataFrame:
    """Add d_av with its interval and the ``magnitude`` code to the per-programme ``res``.

    ``pairs``: the complete pairs (``program_id``, ``pre``, ``post``) the tests were run on.
    Columns added: ``d_av`` (Hedges-corrected), ``d_av_ci_low``, ``d_av_ci_high``
    (:func:`workbook.evaluation.verdicts.d_av`, level ``evaluation.confidence``), ``magnitude``
    (:func:`workbook.evaluation.verdicts.magnitude_codes` with ``evaluation.magnitude_threshold``),
    ``magnitude_threshold``, and ``meaningful`` (magnitude "medium_large", for the dashboards).
    """
    g = pairs.assign(_d=pairs[post] - pairs[pre]).groupby("program_id", sort=True)
    mom = pd.DataFrame({"n": g[pre].count(), "m": g["_d"].mean(), "vpre": g[pre].var(ddof=1),
                        "vpost": g[post].var(ddof=1), "vd": g["_d"].var(ddof=1)})
    k = _verdicts_mod.d_av_by_group(mom["n"].to_numpy(), mom["m"].to_numpy(), mom["vpre"].to_numpy(),
                                    mom["vpost"].to_numpy(), mom["vd"].to_numpy(),
                                    confidence=float(s["evaluation.confidence"]))
    ids = res["program_id"].astype("str")
    pos = pd.Series(np.arange(len(mom)), index=mom.index.astype("str"))
    at = ids.map(pos)
    for col, key in (("d_av", "d_av"), ("d_av_ci_low", "ci_low"), ("d_av_ci_high", "ci_high")):
        vals = np.append(k[key], np.nan)
        res[col] = vals[at.fillna(len(mom)).astype(int).to_numpy()]
    thr = float(s["evaluation.magnitude_threshold"])
    res["magnitude"] = pd.array(_verdicts_mod.magnitude_codes(res["d_av_ci_low"], res["d_av_ci_high"], thr),
                                dtype="str")
    res["magnitude_threshold"] = thr
    res["meaningful"] = (res["magnitude"] == "medium_large").astype(bool)
    return res


def _pass_rate(clean: pd.DataFrame, res: pd.DataFrame, passing_pct: float) -> pd.DataFrame:
    """``n_post`` (participants with a post-test), ``n_pass`` (post-test ≥ ``passing_pct`` % of
    the maximum) and ``pass_rate`` per programme, with ``passing_score_pct``."""
    d = clean.loc[clean["skor_post"].notna()]
    passed = (d["skor_post"] / d["skor_maks"] * 100.0) >= passing_pct - 1e-9
    g = passed.groupby(d["program_id"])
    ids = res["program_id"].astype("str")
    res["n_post"] = ids.map(g.size()).fillna(0).astype("int64").to_numpy()
    res["n_pass"] = ids.map(g.sum()).fillna(0).astype("int64").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        res["pass_rate"] = np.where(res["n_post"] > 0, res["n_pass"] / res["n_post"].clip(lower=1), np.nan)
    res["passing_score_pct"] = passing_pct
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
        ``evaluation.magnitude_threshold``, ``evaluation.passing_score_pct``,
        ``evaluation.ceiling_warning_pct``, ``ngain.*``.

    Returns
    -------
    pandas.DataFrame
        One row per programme: the columns of :func:`workbook.core.stats.prepost_by_group`
        (``program_id``, ``n``, ``n_dropped``, ``mean_diff``, ``ci_low``, ``ci_high``,
        ``statistic``, ``dof``, ``p_val``, ``method``, ``method_reason``, …, ``g_z``,
        ``g_z_ci_low``, ``g_z_ci_high``, N-Gain columns with ``pre_mean_pct``,
        ``post_mean_pct``, ``g_class`` and ``hake_category``, ``ceiling_warning``, ``p_adj``,
        ``p_adjust_method``, ``p_adjust_family`` ("l2_year"), ``p_adjust_m``), plus
        ``nama_program`` (with ``katalog``), ``significant`` (p_adj < α), ``direction``
        ("up"/"down"/"none"), ``d_av``, ``d_av_ci_low``, ``d_av_ci_high``, ``magnitude``,
        ``magnitude_threshold``, ``meaningful`` (see :func:`add_magnitude`), ``n_post``,
        ``n_pass``, ``pass_rate``, ``passing_score_pct`` (post-test ≥
        ``evaluation.passing_score_pct`` % of the maximum), ``ceiling`` (mean pre-test ≥
        ``evaluation.ceiling_warning_pct`` % of the maximum, stored in ``ceiling_limit_pct``),
        ``mde`` (the smallest d_z a paired t-test with this n detects with ``power`` at the
        unadjusted α), ``mde_holm`` (the same at α/m, the first Holm step: an effect of that
        size is significant after the correction whatever the other programmes show),
        ``mde_power`` and ``verdict`` (:data:`VERDICTS`; words:
        :func:`workbook.evaluation.words.verdict_text`).

    Notes
    -----
    **Family of the correction**: all L2 tests of the year, one per programme with a test —
    the p-values of every programme in ``l2`` are adjusted together (Holm 1979 by default,
    ``evaluation.p_adjust``); ``p_adjust_m`` is the number of programmes with a test, which
    :func:`workbook.evaluation.verdicts.holm_counts` reports beside the number evaluated.
    **Significance and magnitude are two questions**: the test (t or Wilcoxon, d_z for the
    t-test and the MDE) says whether the change is unlikely to be chance; the magnitude is
    read from the 95 % interval of d_av (standardised by the SDs of the scores, comparable with
    a between-group d; Lakens 2013), never from the point estimate, against the smallest
    effect of interest ``evaluation.magnitude_threshold`` (default 0.2). Lakens (2013) warns
    that Cohen's 0.2/0.5/0.8 are arbitrary benchmarks; the threshold is the agency's.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scand. J. Stat.*
    6, 65–70. Hake, R. R. (1998). *Am. J. Phys.* 66, 64–74. Lakens, D. (2013). *Front.
    Psychol.* 4, 863. Algina, J. & Keselman, H. J. (2003). *Educ. Psychol. Meas.* 63, 537–553.

    Examples
    --------
    >>> l2 = pd.DataFrame({"pegawai_id": list("ABCD"), "program_id": "P1",
    ...                    "skor_pre": [40, 50, 60, 55], "skor_post": [70, 72, 80, 75],
    ...                    "skor_maks": 100})
    >>> r = level2(l2, method="t")
    >>> bool(r["significant"].iloc[0]), str(r["magnitude"].iloc[0]), str(r["verdict"].iloc[0])
    (True, 'medium_large', 'up_medium_large')
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
    res["p_adjust_family"] = pd.array(["l2_year"] * len(res), dtype="str")
    res["program_id"] = res["program_id"].astype("str")
    res = flag_results(res, s)
    complete = clean.loc[clean["skor_pre"].notna() & clean["skor_post"].notna()]
    pct = pd.DataFrame({"program_id": complete["program_id"],
                        "pre_pct": complete["skor_pre"] / complete["skor_maks"] * 100.0,
                        "post_pct": complete["skor_post"] / complete["skor_maks"] * 100.0})
    res = add_magnitude(res, pct, "pre_pct", "post_pct", s)
    res = _pass_rate(clean, res, float(s["evaluation.passing_score_pct"]))
    limit = float(s["evaluation.ceiling_warning_pct"])
    res["ceiling"] = (res["pre_mean_pct"] >= limit).fillna(False).astype(bool)
    res["ceiling_limit_pct"] = limit
    alpha = float(s["evaluation.alpha"])
    n = res["n"].to_numpy(dtype=float)
    res["mde"] = _mde(n, alpha, power, alternative)
    m = int(res["p_val"].notna().sum())
    res["mde_holm"] = _mde(n, alpha / max(m, 1), power, alternative)
    res["mde_power"] = power
    res["mde_alpha"] = alpha
    res["verdict"] = pd.array(_verdicts_mod.verdict_codes(res["p_adj"], res["mean_diff"], res["significant"],
                                                          res["magnitude"]), dtype="str")
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
    """Tidy input of a forest plot of d_av per programme (from :func:`level2` or :func:`level3`).

    Returns
    -------
    pandas.DataFrame
        Programmes with an estimate, ordered by ``estimate`` (largest first): ``program_id``,
        ``label`` (``nama_program`` when present, else the id), ``n``, ``estimate`` (d_av,
        Hedges-corrected), ``ci_low``, ``ci_high`` (its 95 % interval), ``effect_type``
        ("d_av"), ``significant`` (Holm), ``meaningful`` (magnitude "medium_large"),
        ``threshold`` (``evaluation.magnitude_threshold``, for the reference line).
    """
    s = _settings(settings)
    _require_columns(
        level2_result,
        ["program_id", "n", "d_av", "d_av_ci_low", "d_av_ci_high", "significant", "meaningful"],
        "level2",
    )
    d = level2_result.loc[level2_result["d_av"].notna()]
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
            "estimate": d["d_av"].to_numpy(dtype=float),
            "ci_low": d["d_av_ci_low"].to_numpy(dtype=float),
            "ci_high": d["d_av_ci_high"].to_numpy(dtype=float),
            "effect_type": "d_av",
            "significant": d["significant"].to_numpy(dtype=bool),
            "meaningful": d["meaningful"].to_numpy(dtype=bool),
            "threshold": float(s["evaluation.magnitude_threshold"]),
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
        out[str(pid)] = alpha_of(block)[0]
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
