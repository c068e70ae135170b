"""Follow-up (tindak lanjut) of the evaluation: who is still below standard, and what next.

* :func:`still_below_standard` — the person-level list (pseudonymous, *restricted* class) of
  employees who need follow-up, with one row per reason and competency, and the recommended
  next programme from the catalogue;
* :func:`followup_counts_by_unit` — counts by unit and reason only, with small-group
  suppression, for managers;
* :func:`carry_over` / :func:`merge_carry_over` — the needs carried into next year's cycle and
  the rule that raises their priority in next year's inventory;
* :func:`coverage_summary` — how many of Y−1's follow-up needs the plan of Y covers, from the plan
  stage's ``followup_coverage`` artefact when it exists.

The merit-index ladder and the year-on-year comparison are in :mod:`workbook.evaluation.maturity`.

Reason codes (column ``reason``) and their triggers (DOMAIN.md §2.5):

==========================  ====================================================================
``post_test_rendah``        post-test < ``evaluation.passing_score_pct`` % of ``skor_maks``
``gain_rendah``             individual N-Gain g < ``ngain.hake_bands.medium`` (Hake "low")
``kesenjangan_tersisa``     a competency still below standard (``gaps.below_standard``)
``jp_kurang``               a PNS with development hours below the 20-JP target (``jp.reached``
                            is False). Only PNS: the 20-JP right is written for PNS (PP 11/2017
                            Pasal 203(4)); PPPK have a cap (at most 24 JP), CPNS their Latsar
==========================  ====================================================================

The method note is ``docs/methods/evaluation.md`` (section *Tindak lanjut*).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbook.core.carry_over import (
    CARRY_OVER_COLUMNS,
    CARRY_OVER_SCHEMA_VERSION,
    check_carry_over,
)
from workbook.core.checks import numeric as _num
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings
from workbook.core.suppression import suppress_table
from workbook.evaluation.l2_learning import check_l2

__all__ = [
    "REASONS",
    "CARRY_OVER_COLUMNS",
    "CARRY_OVER_SCHEMA_VERSION",
    "programme_options",
    "still_below_standard",
    "followup_counts_by_unit",
    "carry_over",
    "check_carry_over",
    "FOLLOWUP_COVERAGE_COLUMNS",
    "coverage_summary",
]

#: reason codes, in the order rows are listed (words:
#: :data:`workbook.evaluation.words.FOLLOWUP_REASONS`).
REASONS: tuple[str, ...] = ("post_test_rendah", "gain_rendah", "kesenjangan_tersisa", "jp_kurang")
_REASON_ORDER = {r: i for i, r in enumerate(REASONS)}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _str(series: pd.Series) -> pd.Series:
    """Identifiers as ``str``, blank cells as missing."""
    s = series.astype("str").str.strip()
    return s.mask(s == "")


def _split_codes(v: Any) -> list[str]:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return []
    items = v if isinstance(v, (list, tuple, np.ndarray)) else str(v).split(";")
    return [str(x).strip() for x in items if str(x).strip()]


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


# --------------------------------------------------------------------------------------------
# recommendation rule
# --------------------------------------------------------------------------------------------


def programme_options(katalog: pd.DataFrame, *, settings: Settings | None = None) -> pd.DataFrame:
    """Catalogue programmes per competency, in the order the recommendation rule prefers them.

    Returns
    -------
    pandas.DataFrame
        One row per programme × competency addressed: ``kode_kompetensi``, ``program_id``,
        ``nama_program``, ``jp`` (from ``jp``; else ``hari`` × ``jp.conversion.jp_per_hari_default``),
        ``biaya_per_peserta``, ``cost_per_jp``, ``option_rank`` (1 = recommended first).

    Notes
    -----
    **Rule (konvensi, tidak bersumber)**: among the programmes that address the competency,
    prefer the lowest cost per learning hour (``biaya_per_peserta / jp``; free programmes
    first), then the most JP (it also counts towards the 20-JP right), then the programme id.
    Programmes whose JP is unknown or 0 come last.
    """
    s = _settings(settings)
    t = "katalog_program"
    _require_columns(katalog, ["program_id", "nama_program", "kode_kompetensi"], t)
    jp = (
        _num(katalog["jp"], t, "jp")
        if "jp" in katalog.columns
        else pd.Series(np.nan, index=katalog.index)
    )
    if "hari" in katalog.columns:
        conv = s["jp.conversion"]
        per_day = float(conv.get("jp_per_hari_default", 8)) if isinstance(conv, dict) else 8.0
        jp = jp.fillna(_num(katalog["hari"], t, "hari") * per_day)
    cost = (
        _num(katalog["biaya_per_peserta"], t, "biaya_per_peserta")
        if "biaya_per_peserta" in katalog.columns
        else pd.Series(np.nan, index=katalog.index)
    )
    base = pd.DataFrame(
        {
            "program_id": _str(katalog["program_id"]).to_numpy(),
            "nama_program": katalog["nama_program"].astype("str").to_numpy(),
            "jp": jp.to_numpy(dtype=float),
            "biaya_per_peserta": cost.to_numpy(dtype=float),
            "kode_kompetensi": [_split_codes(v) for v in katalog["kode_kompetensi"]],
        }
    )
    base = base.dropna(subset=["program_id"])
    with np.errstate(divide="ignore", invalid="ignore"):
        base["cost_per_jp"] = np.where(
            base["jp"] > 0, base["biaya_per_peserta"] / base["jp"], np.nan
        )
    long = base.explode("kode_kompetensi").dropna(subset=["kode_kompetensi"])
    long = long.drop_duplicates(["kode_kompetensi", "program_id"])
    long["_known"] = long["cost_per_jp"].notna()
    long = long.sort_values(
        ["kode_kompetensi", "_known", "cost_per_jp", "jp", "program_id"],
        ascending=[True, False, True, False, True],
        na_position="last",
        kind="stable",
    )
    long["option_rank"] = long.groupby("kode_kompetensi").cumcount().astype("int64") + 1
    for c in ("kode_kompetensi", "program_id", "nama_program"):
        long[c] = long[c].astype("str")
    return long[
        [
            "kode_kompetensi",
            "program_id",
            "nama_program",
            "jp",
            "biaya_per_peserta",
            "cost_per_jp",
            "option_rank",
        ]
    ].reset_index(drop=True)


def _recommend(
    rows: pd.DataFrame, options: pd.DataFrame | None, taken: pd.DataFrame
) -> pd.DataFrame:
    """Attach the first option per (pegawai, competency) not already taken by that person."""
    rows = rows.copy()
    rows["recommended_program_id"] = pd.Series(pd.NA, index=rows.index, dtype="str")
    rows["recommended_program"] = pd.Series(pd.NA, index=rows.index, dtype="str")
    if options is None or rows.empty:
        return rows
    need = rows.loc[rows["kode_kompetensi"].notna(), ["pegawai_id", "kode_kompetensi"]]
    need = need.drop_duplicates()
    cand = need.merge(
        options[["kode_kompetensi", "program_id", "nama_program", "option_rank"]],
        on="kode_kompetensi",
        how="inner",
    )
    cand = cand.merge(taken.assign(_taken=True), on=["pegawai_id", "program_id"], how="left")
    cand = cand.loc[cand["_taken"].isna()].sort_values(
        ["pegawai_id", "kode_kompetensi", "option_rank"], kind="stable"
    )
    best = cand.drop_duplicates(["pegawai_id", "kode_kompetensi"]).rename(
        columns={"program_id": "_rec_id", "nama_program": "_rec_name"}
    )[["pegawai_id", "kode_kompetensi", "_rec_id", "_rec_name"]]
    rows = rows.merge(best, on=["pegawai_id", "kode_kompetensi"], how="left")
    rows["recommended_program_id"] = rows["_rec_id"].astype("str")
    rows["recommended_program"] = rows["_rec_name"].astype("str")
    return rows.drop(columns=["_rec_id", "_rec_name"])


# --------------------------------------------------------------------------------------------
# the follow-up list
# --------------------------------------------------------------------------------------------

_LIST_COLUMNS = {
    "pegawai_id": "str",
    "kode_unit": "str",
    "reason": "str",
    "kode_kompetensi": "str",
    "recommended_program_id": "str",
    "recommended_program": "str",
    "program_id": "str",
    "value": "float64",
    "threshold": "float64",
}


def still_below_standard(
    l2: pd.DataFrame | None,
    gaps: pd.DataFrame | None,
    jp: pd.DataFrame | None,
    katalog: pd.DataFrame | None,
    *,
    realisasi: pd.DataFrame | None = None,
    pegawai: pd.DataFrame | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Employees still below standard after the cycle, with reasons and the next programme.

    Parameters
    ----------
    l2 : pandas.DataFrame or None
        ``evaluasi_l2`` (validated non-strictly: participants with one score are checked on the
        score they have where possible).
    gaps : pandas.DataFrame or None
        Competency gaps after the programme (:func:`workbook.needs.gaps.competency_gaps` on the
        latest assessment): ``pegawai_id``, ``kode_kompetensi``, ``gap``, ``below_standard``,
        optional ``kode_unit``.
    jp : pandas.DataFrame or None
        JP realisation per employee (:func:`workbook.needs.gaps.jp_realisation`): ``pegawai_id``,
        ``jp_total``, ``jp_target``, ``reached``, optional ``kode_unit``.
    katalog : pandas.DataFrame or None
        ``katalog_program``: the programmes' competencies (for the post-test and gain reasons)
        and the options for the recommendation. None: no recommendation.
    realisasi : pandas.DataFrame, optional
        ``realisasi_pengembangan`` (``pegawai_id``, ``program_id``): programmes already taken,
        besides those in ``l2``, that are never recommended again to the same person.
    pegawai : pandas.DataFrame, optional
        ``pegawai`` (``pegawai_id``, ``kode_unit``): the unit where ``gaps`` and ``jp`` have none.
    settings : Settings, optional
        ``evaluation.passing_score_pct``, ``ngain.hake_bands``, ``jp.conversion``.

    Returns
    -------
    pandas.DataFrame
        Restricted class (``attrs["output_class"] == "restricted"``). One row per employee ×
        reason × competency: ``pegawai_id``, ``kode_unit``, ``reason`` (code, see
        :data:`REASONS`), ``kode_kompetensi`` (the competencies of the programme for the test
        reasons; the competency for a remaining gap; empty for ``jp_kurang``),
        ``recommended_program_id``, ``recommended_program``, ``program_id`` (the programme
        tested, for the test reasons), ``value`` (post-test % of the maximum, individual g, gap,
        or JP total) and ``threshold`` (what it was compared with). Ordered by employee, reason,
        competency. The words of ``reason`` are
        :data:`workbook.evaluation.words.FOLLOWUP_REASONS`.

    Notes
    -----
    Triggers (DOMAIN.md §2.5): post-test × 100 / ``skor_maks`` < ``evaluation.passing_score_pct``;
    individual g = (post − pre)/(max − pre) < ``ngain.hake_bands.medium`` (undefined when
    pre = max: not flagged); ``below_standard`` True in ``gaps``; ``reached`` False in ``jp``.
    Recommendation: :func:`programme_options` order, skipping programmes the person already
    took (in ``l2`` or ``realisasi``). ``jp_kurang`` rows carry no competency and no
    recommendation — the person's other rows (or the individual development plan) say what to
    take.
    """
    s = _settings(settings)
    parts: list[pd.DataFrame] = []
    taken = [
        pd.DataFrame({"pegawai_id": pd.Series(dtype="str"), "program_id": pd.Series(dtype="str")})
    ]
    prog_comp: dict[str, list[str]] = {}
    options = None
    if katalog is not None:
        _require_columns(katalog, ["program_id", "kode_kompetensi"], "katalog_program")
        prog_comp = {
            str(p).strip(): _split_codes(c)
            for p, c in zip(katalog["program_id"], katalog["kode_kompetensi"], strict=True)
        }
        options = programme_options(katalog, settings=s)
    if l2 is not None:
        d = check_l2(l2, strict=False)
        taken.append(d[["pegawai_id", "program_id"]])
        parts += _test_reasons(d, prog_comp, s)
    unit_maps: list[pd.Series] = []
    if gaps is not None:
        part, units = _gap_reasons(gaps)
        parts.append(part)
        unit_maps += units
    if jp is not None:
        part, units = _jp_reasons(jp)
        parts.append(part)
        unit_maps += units
    if pegawai is not None:
        _require_columns(pegawai, ["pegawai_id", "kode_unit"], "pegawai")
        unit_maps.append(_unit_map(pegawai))
    if realisasi is not None:
        _require_columns(realisasi, ["pegawai_id", "program_id"], "realisasi_pengembangan")
        taken.append(
            pd.DataFrame(
                {
                    "pegawai_id": _str(realisasi["pegawai_id"]).to_numpy(),
                    "program_id": _str(realisasi["program_id"]).to_numpy(),
                }
            )
        )
    parts = [p for p in parts if not p.empty]
    if not parts:
        out = _empty(_LIST_COLUMNS)
        out.attrs["output_class"] = "restricted"
        return out
    return _followup_list(parts, unit_maps, taken, options)


def _test_reasons(
    d: pd.DataFrame, prog_comp: dict[str, list[str]], s: Settings
) -> list[pd.DataFrame]:
    """``post_test_rendah`` and ``gain_rendah`` rows of the clean L2 table, one per competency."""
    parts = []
    pct = d["skor_post"] / d["skor_maks"] * 100.0
    passing = float(s["evaluation.passing_score_pct"])
    low_post = (pct < passing).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        g = ((d["skor_post"] - d["skor_pre"]) / (d["skor_maks"] - d["skor_pre"])).where(
            d["skor_pre"] < d["skor_maks"]
        )
    g_thr = float(s["ngain.hake_bands"]["medium"])
    low_gain = (g < g_thr).to_numpy()
    for mask, code, val, thr in (
        (low_post, "post_test_rendah", pct, passing),
        (low_gain, "gain_rendah", g, g_thr),
    ):
        sub = d.loc[mask]
        if sub.empty:
            continue
        part = pd.DataFrame(
            {
                "pegawai_id": sub["pegawai_id"].to_numpy(),
                "reason": code,
                "program_id": sub["program_id"].to_numpy(),
                "kode_kompetensi": [prog_comp.get(p) or [None] for p in sub["program_id"]],
                "value": val[mask].to_numpy(dtype=float),
                "threshold": thr,
            }
        ).explode("kode_kompetensi")
        parts.append(part)
    return parts


def _unit_map(df: pd.DataFrame) -> pd.Series:
    """``kode_unit`` indexed by ``pegawai_id``."""
    return pd.Series(_str(df["kode_unit"]).to_numpy(), index=_str(df["pegawai_id"]).to_numpy())


def _gap_reasons(gaps: pd.DataFrame) -> tuple[pd.DataFrame, list[pd.Series]]:
    """``kesenjangan_tersisa`` rows (competencies still below standard) and the units they give."""
    _require_columns(gaps, ["pegawai_id", "kode_kompetensi", "below_standard"], "gaps")
    below = gaps["below_standard"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    sub = gaps.loc[below]
    gap_val = (
        _num(sub["gap"], "gaps", "gap")
        if "gap" in sub.columns
        else pd.Series(np.nan, index=sub.index)
    )
    part = pd.DataFrame(
        {
            "pegawai_id": _str(sub["pegawai_id"]).to_numpy(),
            "reason": "kesenjangan_tersisa",
            "program_id": None,
            "kode_kompetensi": _str(sub["kode_kompetensi"]).to_numpy(),
            "value": gap_val.to_numpy(dtype=float),
            "threshold": 0.0,
        }
    )
    return part, [_unit_map(gaps)] if "kode_unit" in gaps.columns else []


def _jp_reasons(jp: pd.DataFrame) -> tuple[pd.DataFrame, list[pd.Series]]:
    """``jp_kurang`` rows (development hours below the target) and the units they give.

    With a ``status`` column only PNS rows count: the 20-JP right and obligation is written for
    PNS (PP 11/2017 Pasal 203(4)); PPPK are entitled to at most ``jp.pppk_maximum`` JP (a cap,
    not a minimum) and CPNS spend their first year on Latsar (DOMAIN-PLAN §10)."""
    _require_columns(jp, ["pegawai_id", "jp_total", "jp_target", "reached"], "jp")
    if "status" in jp.columns:
        jp = jp.loc[jp["status"].astype("str") == "PNS"]
    reached = jp["reached"].astype("boolean")
    jp_total = _num(jp["jp_total"], "jp", "jp_total")
    jp_target = _num(jp["jp_target"], "jp", "jp_target")
    short = (~reached.fillna(jp_total >= jp_target)).to_numpy(dtype=bool)
    sub = jp.loc[short]
    part = pd.DataFrame(
        {
            "pegawai_id": _str(sub["pegawai_id"]).to_numpy(),
            "reason": "jp_kurang",
            "program_id": None,
            "kode_kompetensi": None,
            "value": jp_total[short].to_numpy(dtype=float),
            "threshold": jp_target[short].to_numpy(dtype=float),
        }
    )
    return part, [_unit_map(jp)] if "kode_unit" in jp.columns else []


def _followup_list(
    parts: list[pd.DataFrame],
    unit_maps: list[pd.Series],
    taken: list[pd.DataFrame],
    options: pd.DataFrame | None,
) -> pd.DataFrame:
    """The reason rows with unit, recommendation and labels, in the documented order."""
    rows = pd.concat(parts, ignore_index=True)
    for c in ("pegawai_id", "reason", "program_id", "kode_kompetensi"):
        rows[c] = rows[c].astype("str")
    rows = rows.drop_duplicates(["pegawai_id", "reason", "program_id", "kode_kompetensi"])
    units = pd.Series(pd.NA, index=rows.index, dtype="str")
    for m in unit_maps:
        m = m.dropna()
        m = m[~m.index.duplicated(keep="first")]
        units = units.fillna(rows["pegawai_id"].map(m))
    rows["kode_unit"] = units.astype("str")
    tk = pd.concat(taken, ignore_index=True).dropna().drop_duplicates().astype("str")
    rows = _recommend(rows, options, tk)
    rows["_o"] = rows["reason"].map(_REASON_ORDER)
    rows = rows.sort_values(
        ["pegawai_id", "_o", "kode_kompetensi", "program_id"], na_position="last", kind="stable"
    )
    out = rows[list(_LIST_COLUMNS)].reset_index(drop=True)
    out.attrs["output_class"] = "restricted"
    return out


def followup_counts_by_unit(
    followup: pd.DataFrame, pegawai: pd.DataFrame, *, settings: Settings | None = None,
    tests: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Counts of employees needing follow-up, by unit and reason, with suppression.

    Parameters
    ----------
    followup : pandas.DataFrame
        The output of :func:`still_below_standard`.
    pegawai : pandas.DataFrame
        ``pegawai`` (``pegawai_id``, ``kode_unit``): unit headcounts and the unit of rows
        without one.
    settings : Settings, optional
        ``suppression.k_count``, ``suppression.k_distribution``.
    tests : pandas.DataFrame, optional
        ``evaluasi_l2`` (``pegawai_id``, ``skor_pre``, ``skor_post``): only people who sat the
        post-test can fail it, so ``post_test_rendah`` is a share of the unit's distinct
        post-test takers and ``gain_rendah`` of those with both scores (base ``peserta_tes``).
        Without it those shares fall back to the headcount.

    Returns
    -------
    pandas.DataFrame
        Aggregate class. One row per unit × reason with at least one employee: ``kode_unit``,
        ``reason`` (code, :data:`REASONS`), ``n`` (distinct employees), ``n_pegawai``
        (unit headcount), ``base`` (``pegawai``; ``pns`` for ``jp_kurang`` when ``pegawai`` has
        a ``status``: the 20-JP right is the PNS'; ``peserta_tes`` for the test reasons with
        ``tests``), ``n_base`` (the denominator), ``share`` (n / n_base), ``suppressed``,
        ``suppression_reason``.
        ``n`` and ``share`` are hidden (NaN) where n < ``suppression.k_count`` (5), and
        complementary suppression runs among the units of each reason (the per-reason agency
        total may be published); see :func:`workbook.core.suppression.suppress_table`.
    """
    s = _settings(settings)
    _require_columns(followup, ["pegawai_id", "reason"], "followup")
    _require_columns(pegawai, ["pegawai_id", "kode_unit"], "pegawai")
    has_status = "status" in pegawai.columns
    peg = pd.DataFrame(
        {
            "pegawai_id": _str(pegawai["pegawai_id"]).to_numpy(),
            "kode_unit": _str(pegawai["kode_unit"]).to_numpy(),
            "status": _str(pegawai["status"]).to_numpy() if has_status else None,
        }
    )
    peg = peg.dropna(subset=["pegawai_id"]).drop_duplicates("pegawai_id")
    heads = peg.groupby("kode_unit").size()
    # the 20-JP reason is a PNS right: its share is of the unit's PNS (with a status column)
    pns_heads = peg.loc[peg["status"] == "PNS"].groupby("kode_unit").size() if has_status else heads
    f = pd.DataFrame(
        {
            "pegawai_id": _str(followup["pegawai_id"]).to_numpy(),
            "reason": followup["reason"].astype("str").to_numpy(),
        }
    )
    unit = (
        _str(followup["kode_unit"]).to_numpy()
        if "kode_unit" in followup.columns
        else np.full(len(f), None)
    )
    f["kode_unit"] = pd.Series(unit, dtype="str").fillna(
        f["pegawai_id"].map(peg.set_index("pegawai_id")["kode_unit"])
    )
    f["kode_unit"] = f["kode_unit"].fillna("(tanpa unit)")
    counts = (
        f.drop_duplicates(["kode_unit", "reason", "pegawai_id"])
        .groupby(["kode_unit", "reason"])
        .size()
        .rename("n")
        .reset_index()
    )
    counts["n_pegawai"] = counts["kode_unit"].map(heads).astype("float64")
    is_jp = (counts["reason"] == "jp_kurang") & has_status
    counts["base"] = np.where(is_jp, "pns", "pegawai")
    counts["n_base"] = np.where(is_jp, counts["kode_unit"].map(pns_heads).astype("float64").fillna(0.0),
                                counts["n_pegawai"]).astype("float64")
    if tests is not None and len(tests) and "pegawai_id" in tests:
        tk = pd.DataFrame({"pegawai_id": _str(tests["pegawai_id"]).to_numpy(),
                           "post": pd.to_numeric(tests["skor_post"], errors="coerce").notna().to_numpy() if "skor_post" in tests else False,
                           "pre": pd.to_numeric(tests["skor_pre"], errors="coerce").notna().to_numpy() if "skor_pre" in tests else False})
        tk["kode_unit"] = tk["pegawai_id"].map(peg.set_index("pegawai_id")["kode_unit"]).fillna("(tanpa unit)")
        for code, mask in (("post_test_rendah", tk["post"]), ("gain_rendah", tk["post"] & tk["pre"])):
            sat = tk[mask].drop_duplicates("pegawai_id").groupby("kode_unit").size()
            m = (counts["reason"] == code).to_numpy()
            counts.loc[m, "base"] = "peserta_tes"
            counts.loc[m, "n_base"] = counts.loc[m, "kode_unit"].map(sat).astype("float64").to_numpy()
    counts["share"] = counts["n"] / counts["n_base"]
    counts["_o"] = counts["reason"].map(_REASON_ORDER).fillna(len(REASONS))
    counts = counts.sort_values(["kode_unit", "_o"], kind="stable").drop(columns="_o")
    counts = counts[["kode_unit", "reason", "n", "n_pegawai", "base", "n_base", "share"]]
    out = suppress_table(
        counts.reset_index(drop=True),
        n_col="n",
        value_cols=[],
        share_cols=["share"],
        parent_cols=["reason"],
        settings=s,
    )
    out.attrs["output_class"] = "aggregate"
    return out


# --------------------------------------------------------------------------------------------
# carry-over into next year
# --------------------------------------------------------------------------------------------


def carry_over(followup: pd.DataFrame, gaps: pd.DataFrame | None, *, year: int) -> pd.DataFrame:
    """The needs carried over into next year's cycle (restricted class).

    Parameters
    ----------
    followup : pandas.DataFrame
        The output of :func:`still_below_standard`.
    gaps : pandas.DataFrame or None
        Competency gaps after the programme (``pegawai_id``, ``kode_kompetensi``, ``gap``):
        fills ``gap`` for every carried competency, whatever reason brought it.
    year : int
        The year whose evaluation produced the needs (the ``source_year``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CARRY_OVER_COLUMNS`, one row per employee × competency (reasons merged)
        plus one row per employee with only a JP shortfall:

        ``pegawai_id`` (str)
            pseudonymous id.
        ``kode_kompetensi`` (str, missing allowed)
            the competency; missing on a person-level ``jp_kurang`` row.
        ``source_year`` (int)
            the year the need was found.
        ``reason`` (str)
            reason codes of :data:`REASONS` joined by ';' in their fixed order.
        ``recommended_program_id`` (str, missing allowed)
            the programme recommended by :func:`still_below_standard`.
        ``gap`` (float, missing allowed)
            the gap after the programme (negative = below standard).

        ``attrs``: ``output_class = "restricted"``, ``schema_version`` =
        :data:`CARRY_OVER_SCHEMA_VERSION`. Written to ``outputs/<Y>/restricted/`` and read by
        next year's needs stage and plan through :func:`merge_carry_over`.
    """
    if not (
        isinstance(year, (int, np.integer))
        and not isinstance(year, bool)
        and 1900 < int(year) < 3000
    ):
        raise DataError(
            f"Tahun harus bilangan bulat (mis. 2026), bukan {year!r}.",
            f"The year must be an integer (e.g. 2026), not {year!r}.",
            column="year",
            value=year,
        )
    _require_columns(
        followup, ["pegawai_id", "reason", "kode_kompetensi", "recommended_program_id"], "followup"
    )
    f = pd.DataFrame(
        {
            "pegawai_id": _str(followup["pegawai_id"]).to_numpy(),
            "kode_kompetensi": _str(followup["kode_kompetensi"]).to_numpy(),
            "reason": followup["reason"].astype("str").to_numpy(),
            "recommended_program_id": _str(followup["recommended_program_id"]).to_numpy(),
        }
    )
    f["_o"] = f["reason"].map(_REASON_ORDER).fillna(len(REASONS))
    f = f.sort_values(["pegawai_id", "kode_kompetensi", "_o"], na_position="last", kind="stable")
    # competency rows: one per person × competency; person-level rows only for a person whose
    # JP shortfall is not already visible on a competency row.
    key = ["pegawai_id", "kode_kompetensi"]
    grp = f.groupby(key, dropna=False, sort=True)
    out = grp.agg(
        reason=("reason", lambda r: ";".join(dict.fromkeys(r))),
        recommended_program_id=("recommended_program_id", "first"),
    ).reset_index()
    out["source_year"] = np.int64(year)
    out["gap"] = np.nan
    if gaps is not None:
        _require_columns(gaps, ["pegawai_id", "kode_kompetensi", "gap"], "gaps")
        gm = pd.DataFrame(
            {
                "pegawai_id": _str(gaps["pegawai_id"]).to_numpy(),
                "kode_kompetensi": _str(gaps["kode_kompetensi"]).to_numpy(),
                "_gap": _num(gaps["gap"], "gaps", "gap").to_numpy(),
            }
        )
        gm = gm.dropna(subset=key).drop_duplicates(key)
        out = out.merge(gm, on=key, how="left")
        out["gap"] = out["_gap"]
        out = out.drop(columns="_gap")
    for c in ("pegawai_id", "kode_kompetensi", "reason", "recommended_program_id"):
        out[c] = out[c].astype("str")
    out = out[list(CARRY_OVER_COLUMNS)].reset_index(drop=True)
    out.attrs["output_class"] = "restricted"
    out.attrs["schema_version"] = CARRY_OVER_SCHEMA_VERSION
    return out


#: the columns :func:`coverage_summary` reads from the plan stage's ``followup_coverage``
#: artefact (``02_plan/followup_coverage.parquet``, written by the plan of Y once issue #20 lands):
#: one row per follow-up need of Y−1 (person × reason × competency, pseudonymous) with ``covered``
#: (bool: the plan of Y assigns the person a programme for it); ``reason`` (a code of
#: :data:`REASONS`) is optional and gives the counts per reason.
FOLLOWUP_COVERAGE_COLUMNS: tuple[str, ...] = ("pegawai_id", "covered")


def coverage_summary(coverage: pd.DataFrame | None) -> pd.DataFrame:
    """How many of Y−1's follow-up needs the plan of Y covers, from the plan's artefact.

    Parameters
    ----------
    coverage : DataFrame or None
        ``followup_coverage`` (:data:`FOLLOWUP_COVERAGE_COLUMNS`, optional ``reason``); None
        when the plan stage has not written it (the chapter then says the figure is not yet
        available).

    Returns
    -------
    DataFrame
        One row per ``reason`` (``"semua"`` for the total, first): ``reason``, ``n_needs``,
        ``n_covered``, ``share_covered``, ``n_persons``, ``n_persons_covered`` (persons with every
        need covered). Empty when ``coverage`` is None.

    Raises
    ------
    DataError
        When the artefact lacks a column of :data:`FOLLOWUP_COVERAGE_COLUMNS`.
    """
    cols = ["reason", "n_needs", "n_covered", "share_covered", "n_persons", "n_persons_covered"]
    if coverage is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    _require_columns(coverage, list(FOLLOWUP_COVERAGE_COLUMNS), "followup_coverage")
    d = coverage.copy()
    d["covered"] = d["covered"].fillna(False).astype(bool)

    def one(g: pd.DataFrame, reason: str) -> dict[str, Any]:
        per = g.groupby("pegawai_id")["covered"].all()
        n = len(g)
        return {"reason": reason, "n_needs": n, "n_covered": int(g["covered"].sum()),
                "share_covered": float(g["covered"].mean()) if n else np.nan,
                "n_persons": int(len(per)), "n_persons_covered": int(per.sum())}

    rows = [one(d, "semua")]
    if "reason" in d.columns:
        rows += [one(g, str(r)) for r, g in sorted(d.groupby("reason"), key=lambda x: _REASON_ORDER.get(x[0], 99))]
    return pd.DataFrame(rows, columns=cols)
