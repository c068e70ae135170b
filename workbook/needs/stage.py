"""Stage 01 — needs analysis (AKPK): run the computations of :mod:`workbook.needs.gaps` and
:mod:`workbook.needs.profiles` once for the agency and write the stage artefacts.

Artefacts (``OUTPUT/<year>/…``):

- ``01_needs/`` (aggregate, suppressed): ``unit_competency`` (share below standard, mean gap,
  response rate, with intervals), ``need_ranking``, ``performance_units``, ``jpm_units``
  (JPM categories per unit), ``profiles`` (profile cards), ``profile_selection``, ``needs.xlsx``;
- ``restricted/01_needs/`` (pseudonymous person level): ``gaps``, ``jpm``, ``performance``,
  ``inventory``, ``profile_members`` — the inputs of the plan stage — and, for
  :func:`load_result`, the tables before suppression (``unit_competency_raw``,
  ``performance_units_raw``, ``jpm_units_raw``, ``profiles_raw``), ``without_standard`` and the
  fitted profiles (``profile_model``, ``profile_centers``).

Profiles are fitted once for the agency; the ``unit`` parameter filters the views, it never refits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.core import artefacts
from workbook.core.context import Context
from workbook.core.suppression import k_for, suppress_crosstab, suppress_table
from workbook.needs import gaps as needs
from workbook.needs import performance as performance_
from workbook.needs import recap as recap_
from workbook.needs import words
from workbook.needs.cards import describe_profiles
from workbook.needs.carry_over import merge_carry_over
from workbook.needs.index import inventory, need_index, unit_competency_summary
from workbook.needs.profiles import NeedProfiles

__all__ = ["NeedsResult", "FittedProfiles", "run_needs", "load_result", "profile_matrix", "STAGE"]

STAGE = "01_needs"


_MODEL_COLUMNS = ["profile", "size", "stability", "stability_label", "structure_found",
                  "n_excluded"]


@dataclass
class FittedProfiles:
    """The need profiles as the stage fitted and wrote them (``profile_model``,
    ``profile_centers``, ``profile_selection``): the fitted attributes of
    :class:`~workbook.needs.profiles.NeedProfiles` that the reports read.

    Not an estimator: it cannot assign new respondents or be refitted (use ``NeedProfiles``).
    """

    n_profiles_: int
    structure_found_: bool
    stability_: np.ndarray
    stability_label_: list[str]
    profile_sizes_: np.ndarray
    n_excluded_: int
    cluster_centers_: pd.DataFrame
    selection_: pd.DataFrame


@dataclass
class NeedsResult:
    ctx: Context
    tables: dict[str, pd.DataFrame]
    gaps: pd.DataFrame
    jpm: pd.DataFrame
    performance: pd.DataFrame
    performance_units: pd.DataFrame
    unit_competency: pd.DataFrame
    need_ranking: pd.DataFrame
    inventory: pd.DataFrame
    model: NeedProfiles | FittedProfiles | None
    profiles: pd.DataFrame
    profile_members: pd.DataFrame
    jpm_units: pd.DataFrame
    without_standard: pd.DataFrame
    written: list = field(default_factory=list)
    #: the recaps of :func:`recaps` (needs-gap): ``jp_baseline``, ``jp_baseline_units``,
    #: ``jpm_recap``, ``target_gaps``, ``response_units``, ``nonresponse``, ``data_quality``
    recaps: dict[str, pd.DataFrame] = field(default_factory=dict)

    def competency_names(self) -> dict[str, str]:
        kamus = self.tables["kamus_kompetensi"]
        col = "nama_id" if self.ctx.lang == "id" else "nama_en"
        return dict(zip(kamus["kode_kompetensi"], kamus[col], strict=False))


def carry_over_source(ctx: Context):
    """The carry-over file of this run's evaluation of Y−1 (it runs before the needs of Y)."""
    return artefacts.path(ctx, artefacts.EVALUATION, "carry_over")


def _merge_carry_over(ctx: Context, inv: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame | None:
    """Last year's open needs go first in this year's inventory (rule in :func:`workbook.needs.carry_over.merge_carry_over`)."""
    path = carry_over_source(ctx)
    if not path.is_file():
        return None
    return merge_carry_over(inv, pd.read_parquet(path), gaps=gaps)


def profile_matrix(gaps: pd.DataFrame, respondents: pd.Series | None = None) -> pd.DataFrame:
    """Respondents × competencies matrix of gaps (level − standard; NaN where not applicable)."""
    g = gaps if respondents is None else gaps[gaps["pegawai_id"].isin(set(respondents))]
    X = g.pivot_table(index="pegawai_id", columns="kode_kompetensi", values="gap", aggfunc="mean")
    # keep items answered by at least a fifth of respondents (technical items are position-specific)
    keep = X.notna().mean() >= 0.2
    return X.loc[:, keep]


def _tables(ctx: Context) -> dict[str, pd.DataFrame]:
    tables = artefacts.require_clean_tables(ctx)
    return tables


def run_needs(ctx: Context, *, n_profiles: int | None = None, write: bool = True,
              random_state: int = 0) -> NeedsResult:
    """Compute gaps, JPM, performance gaps, unit summaries, need ranking, inventory and profiles."""
    s = ctx.settings
    tables = _tables(ctx)
    peg = tables["pegawai"]
    survey = needs.survey_long(tables["survei_pegawai"], tables.get("survei_atasan"), settings=s)
    actual = needs.actual_levels(tables, survey=survey, settings=s)
    gaps = needs.competency_gaps(peg, tables["standar_kompetensi"], actual, settings=s)
    jpm_df = needs.jpm(gaps, settings=s)
    perf = performance_.performance_gaps(peg, settings=s)
    perf_units = performance_.performance_gaps_by_unit(peg, settings=s, performance=perf)
    unit_comp = unit_competency_summary(gaps, peg, tables["survei_pegawai"], settings=s)
    ranking = need_index(gaps, survey, settings=s)
    inv = inventory(gaps, survey, settings=s)
    carried = _merge_carry_over(ctx, inv, gaps)
    if carried is not None:
        inv = carried
    without = needs.employees_without_standard(peg, tables["standar_kompetensi"])

    X = profile_matrix(gaps, tables["survei_pegawai"]["pegawai_id"])
    k_lo, k_hi = s["profiles.k_range"]
    model = NeedProfiles(n_profiles=n_profiles, k_range=(int(k_lo), int(k_hi)),
                         n_bootstrap=int(s["profiles.n_bootstrap"]), random_state=random_state,
                         missing=str(s["profiles.missing"])).fit(X)
    meta = peg.set_index("pegawai_id").reindex(X.index)[["kode_unit", "nama_unit", "jenis_jabatan"]].reset_index()
    profiles = describe_profiles(model, X, meta, min_n=k_for("count", s), name_gap=float(s["profiles.name_gap"]))
    members = pd.DataFrame({"pegawai_id": X.index, "profile": model.labels_, "certainty": model.certainty_})

    # JPM categories per unit (counts), for managers
    jpm_units = jpm_df.groupby(["kode_unit", "jpm_category"]).size().rename("n").reset_index()

    result = NeedsResult(ctx, tables, gaps, jpm_df, perf, perf_units, unit_comp, ranking, inv, model,
                         profiles, members, jpm_units, without,
                         recaps=recaps(ctx, tables, gaps, jpm_df, perf))
    if write:
        result.written = _write(result)
    return result


#: the recaps written as artefacts: name → (suppressed table in 01_needs/, raw in restricted/)
RECAP_TABLES = ("jp_baseline", "jp_baseline_units", "jpm_recap", "target_gaps", "response_units",
                "nonresponse", "data_quality")


def _jpm_low_cut(s) -> float:
    """The lowest category bound of the JPM convention (pemetaan: 78; uji: 68)."""
    return float(min(s[f"jpm.categories_{s['jpm.convention']}"].values()))


def recaps(ctx: Context, tables: dict[str, pd.DataFrame], gaps: pd.DataFrame, jpm_df: pd.DataFrame,
           perf: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The needs chapter's recaps (:mod:`workbook.needs.recap`), unsuppressed: last year's 20-JP
    baseline by status (agency and unit × status), the JPM recap by unit, jenis jabatan and
    jabatan, the gaps against the position to be held, the response by unit, the respondents
    against the non-respondents, and the duplicates resolved at load (``data_quality``)."""
    s, peg = ctx.settings, tables["pegawai"]
    real = tables.get("realisasi_pengembangan")
    year = int(ctx.year) - 1
    base = recap_.jp_baseline(peg, real, year=year, settings=s)
    base_u = recap_.jp_baseline(peg, real, year=year, by="kode_unit", settings=s)
    # per unit only the three statuses: a PNS+CPNS row next to a hidden CPNS row would reveal it
    base_u = base_u[base_u["status"] != "PNS+CPNS"].reset_index(drop=True)
    cut = _jpm_low_cut(s)
    parts = []
    for dim in ("kode_unit", "jenis_jabatan", "jabatan"):
        if dim in peg:
            r = recap_.jpm_recap(jpm_df, peg, tables.get("hasil_asesmen"), by=dim, low_cut=cut)
            parts.append(r.rename(columns={dim: "group"}).assign(dimension=dim))
    jr = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if len(jr):
        jr = jr[["dimension", "group"] + [c for c in jr.columns if c not in ("dimension", "group")]]
        jr["low_cut"] = cut
    jp_person = recap_._jp_per_person(real, year)[0].rename("jp").rename_axis("pegawai_id").reset_index()
    vs = artefacts.read(ctx, artefacts.INGEST, "validation_summary", required=False)
    dq = (vs.loc[vs["code"] == "duplicate_submission", ["file", "n"]].reset_index(drop=True)
          if vs is not None and len(vs) else pd.DataFrame({"file": pd.Series(dtype="str"),
                                                           "n": pd.Series(dtype="int64")}))
    return {"jp_baseline": base, "jp_baseline_units": base_u, "jpm_recap": jr,
            "target_gaps": recap_.target_gaps(gaps),
            "response_units": recap_.response_by_unit(peg, tables.get("survei_pegawai"), settings=s),
            "nonresponse": recap_.nonresponse_check(peg, tables.get("survei_pegawai"), perf, jp_person),
            "data_quality": dq}


def shown_recaps(res: NeedsResult) -> dict[str, pd.DataFrame]:
    """The recaps as they may be shown: groups under k hidden (agency rows are never small)."""
    r, s = res.recaps, res.ctx.settings
    out = dict(r)
    if "jp_baseline_units" in r and len(r["jp_baseline_units"]):
        b = suppress_table(
            r["jp_baseline_units"], n_col="n", value_cols=["n_reached", "share_reached", "n_zero", "mean_jp"],
            share_cols=["share_reached"], parent_cols=["status"], settings=s)
        out["jp_baseline_units"] = _hide_status_cells(b, res.tables["pegawai"], s)
    if "jpm_recap" in r and len(r["jpm_recap"]):
        out["jpm_recap"] = suppress_table(
            r["jpm_recap"], n_col="n_jpm", value_cols=["n_official", "n_indicative", "mean_jpm_pct",
                                                       "median_jpm_pct", "mean_jpm_capped_pct", "n_jpm_low",
                                                       "share_jpm_low"],
            share_cols=["share_jpm_low"], parent_cols=["dimension"], settings=s)
    if "target_gaps" in r and len(r["target_gaps"]):
        out["target_gaps"] = suppress_table(
            r["target_gaps"], n_col="n_assessed", value_cols=["n_below", "share_below", "mean_gap_target"],
            share_cols=["share_below"], parent_cols=None, settings=s)
    if "response_units" in r and len(r["response_units"]):
        out["response_units"] = suppress_table(
            r["response_units"], n_col="n_respondents", value_cols=["response_rate"],
            parent_cols=(), settings=s)
    return out


def status_cells(pegawai: pd.DataFrame, settings) -> pd.DataFrame:
    """Employees per unit × status as the staff overview publishes them (``kode_unit``,
    ``status``, ``n``; NaN where hidden): the cross-tab with its margins (headcount per unit,
    agency total per status) protected by :func:`~workbook.core.suppression.suppress_crosstab`.
    Every chapter table that counts a unit's staff by status hides what this one hides, so no
    subtraction across them gives a hidden count back."""
    ct = pd.crosstab(pegawai["kode_unit"].astype("str"), pegawai["status"].astype("str"))
    return suppress_crosstab(ct, settings=settings).stack(future_stack=True).rename("n").reset_index()


def _hide_status_cells(table: pd.DataFrame, pegawai: pd.DataFrame, settings) -> pd.DataFrame:
    """``table`` (``kode_unit``, ``status`` rows, suppressed) with the rows whose unit × status
    count the staff overview hides (:func:`status_cells`) hidden too (reason ``status_cell``)."""
    cells = status_cells(pegawai, settings)
    hidden = set(zip(cells.loc[cells["n"].isna(), "kode_unit"], cells.loc[cells["n"].isna(), "status"], strict=True))
    extra = np.array([(u, st) in hidden for u, st in zip(table["kode_unit"], table["status"], strict=True)], dtype=bool)
    extra &= ~table["suppressed"].to_numpy(dtype=bool)
    out = table.copy()
    cols = [c for c in ("n", "n_reached", "share_reached", "n_zero", "mean_jp") if c in out]
    out.loc[extra, cols] = np.nan
    out.loc[extra, "suppressed"] = True
    out.loc[extra, "suppression_reason"] = "status_cell"
    return out


def shown_unit_competency(res: NeedsResult) -> pd.DataFrame:
    """Unit × competency summary with small groups suppressed (sibling units share a competency total)."""
    uc = res.unit_competency.copy()
    # The group behind a unit's needs figures is its survey respondents as much as its assessed staff:
    # suppress on the smaller of the two, so a unit with fewer than k respondents never shows numbers.
    uc["n_basis"] = np.minimum(uc["n_assessed"], uc["n_respondents"])
    return suppress_table(uc, n_col="n_basis",
                          value_cols=["n_assessed", "n_respondents", "response_rate", "n_below", "share_below",
                                      "share_ci_low", "share_ci_high", "share_bound_low", "share_bound_high",
                                      "mean_gap", "mean_gap_ci_low", "mean_gap_ci_high",
                                      "sd_gap"],
                          share_cols=["share_below"], parent_cols=["kode_kompetensi"], settings=res.ctx.settings)


def shown_profiles(res: NeedsResult) -> pd.DataFrame:
    return suppress_table(res.profiles, n_col="n", value_cols=["share"], parent_cols=(), settings=res.ctx.settings)


def shown_performance_units(res: NeedsResult) -> pd.DataFrame:
    return suppress_table(res.performance_units, n_col="n",
                          value_cols=["n_missing", "n_below", "share_below", "n_behaviour", "share_behaviour",
                                      "n_expected", "n_ratio", "n_below_ratio"],
                          share_cols=["share_below", "share_behaviour"],
                          # the chapter prints the agency totals of these counts
                          count_cols=["n_missing", "n_below", "n_behaviour"],
                          parent_cols=(), settings=res.ctx.settings)


def shown_jpm_units(res: NeedsResult) -> pd.DataFrame:
    return suppress_table(res.jpm_units, n_col="n", value_cols=[], parent_cols=["kode_unit"],
                          kind="distribution", settings=res.ctx.settings)


def _write(res: NeedsResult) -> list:
    ctx = res.ctx
    agg = artefacts.stage_dir(ctx.output_dir, ctx.year, STAGE)
    rst = artefacts.stage_dir(ctx.output_dir, ctx.year, STAGE, "restricted")
    uc = shown_unit_competency(res)
    prof = shown_profiles(res)
    perf_u = shown_performance_units(res)
    jpm_u = shown_jpm_units(res)
    sel = res.model.selection_ if res.model is not None else pd.DataFrame()
    written = [
        artefacts.write_parquet(uc.drop(columns=["small_group"], errors="ignore"), agg / "unit_competency.parquet"),
        artefacts.write_parquet(res.need_ranking, agg / "need_ranking.parquet"),
        artefacts.write_parquet(perf_u, agg / "performance_units.parquet"),
        artefacts.write_parquet(jpm_u, agg / "jpm_units.parquet"),
        artefacts.write_parquet(prof, agg / "profiles.parquet"),
        artefacts.write_parquet(sel, agg / "profile_selection.parquet"),
    ]
    shown_r = shown_recaps(res)
    written += [artefacts.write_parquet(shown_r[n], agg / f"{n}.parquet") for n in RECAP_TABLES if n in shown_r]
    written.append(artefacts.write_xlsx(
        {"kebutuhan_unit": uc, "peringkat_kebutuhan": res.need_ranking,
         "profil": words.profiles_sheet(prof, ctx.lang, *words.competency_maps(res.tables.get("kamus_kompetensi"), ctx.lang)), "kinerja_unit": perf_u, "jpm_unit": jpm_u},
        agg / "needs.xlsx", lang=ctx.lang, percent_cols=("share_below", "response_rate", "share"),
        banner="Agregat (boleh dibagikan) / Aggregate (shareable)"))
    artefacts.write_manifest(agg, stage=STAGE, settings=ctx.settings, params=ctx.params(), files=written)
    rwritten = [
        artefacts.write_parquet(res.gaps, rst / "gaps.parquet"),
        artefacts.write_parquet(res.jpm, rst / "jpm.parquet"),
        artefacts.write_parquet(res.performance, rst / "performance.parquet"),
        artefacts.write_parquet(res.inventory, rst / "inventory.parquet"),
        artefacts.write_parquet(res.profile_members, rst / "profile_members.parquet"),
        artefacts.write_parquet(res.unit_competency, rst / "unit_competency_raw.parquet"),
        artefacts.write_parquet(res.performance_units, rst / "performance_units_raw.parquet"),
        artefacts.write_parquet(res.jpm_units, rst / "jpm_units_raw.parquet"),
        artefacts.write_parquet(res.profiles, rst / "profiles_raw.parquet"),
        artefacts.write_parquet(res.without_standard, rst / "without_standard.parquet"),
        *_write_model(res.model, rst),
    ]
    rwritten += [artefacts.write_parquet(res.recaps[n], rst / f"{n}_raw.parquet")
                 for n in RECAP_TABLES if n in res.recaps]
    artefacts.write_manifest(rst, stage=STAGE, settings=ctx.settings, params=ctx.params(), files=rwritten)
    return written + rwritten


def _write_model(model: NeedProfiles | None, rst) -> list:
    """The fitted profiles as two tables: per profile its size, stability and label, with the
    model's ``structure_found`` and ``n_excluded`` on every row (``profile_model``); the centroids
    (``profile_centers``). Empty when no model was fitted."""
    if model is None:
        info = pd.DataFrame(columns=_MODEL_COLUMNS)
        centers = pd.DataFrame({"profile": pd.Series(dtype="int64")})
    else:
        info = pd.DataFrame({"profile": np.arange(model.n_profiles_),
                             "size": np.asarray(model.profile_sizes_),
                             "stability": np.asarray(model.stability_, dtype=float),
                             "stability_label": list(model.stability_label_),
                             "structure_found": bool(model.structure_found_),
                             "n_excluded": int(model.n_excluded_)})
        centers = model.cluster_centers_.reset_index(names="profile")
    return [artefacts.write_parquet(info, rst / "profile_model.parquet"),
            artefacts.write_parquet(centers, rst / "profile_centers.parquet")]


def unit_view(res: NeedsResult, unit: str | None) -> dict[str, pd.DataFrame]:
    """The suppressed tables filtered to one unit (or the agency when ``unit`` is None)."""
    uc = shown_unit_competency(res)
    perf = shown_performance_units(res)
    if unit:
        uc = uc[uc["kode_unit"] == unit]
        perf = perf[perf["kode_unit"] == unit]
    return {"unit_competency": uc, "performance_units": perf}


def _load_model(ctx: Context) -> FittedProfiles | None:
    info = artefacts.read(ctx, STAGE, "profile_model")
    if not len(info):
        return None
    centers = artefacts.read(ctx, STAGE, "profile_centers").set_index("profile")
    return FittedProfiles(n_profiles_=len(info),
                          structure_found_=bool(info["structure_found"].iloc[0]),
                          stability_=info["stability"].to_numpy(float),
                          stability_label_=info["stability_label"].astype(str).tolist(),
                          profile_sizes_=info["size"].to_numpy(),
                          n_excluded_=int(info["n_excluded"].iloc[0]), cluster_centers_=centers,
                          selection_=artefacts.read(ctx, STAGE, "profile_selection"))


def load_result(ctx: Context) -> NeedsResult:
    """Stage 01's result rebuilt from the artefacts it wrote (read through the registry).

    Nothing is recomputed: the unsuppressed tables come from their ``*_raw`` files (the
    ``shown_*`` functions suppress them as the stage did), ``model`` is the fitted profiles as
    written (:class:`FittedProfiles`). A missing artefact raises a bilingual
    :class:`~workbook.core.exceptions.DataError`.
    """
    def read(name: str) -> pd.DataFrame:
        return artefacts.read(ctx, STAGE, name)

    return NeedsResult(ctx, artefacts.require_clean_tables(ctx), read("gaps"), read("jpm"),
                       read("performance"), read("performance_units_raw"),
                       read("unit_competency_raw"), read("need_ranking"), read("inventory"),
                       _load_model(ctx), read("profiles_raw"), read("profile_members"),
                       read("jpm_units_raw"), read("without_standard"),
                       recaps={n: read(f"{n}_raw") for n in RECAP_TABLES})
