"""From needs to the group-level yearly plan (PP 11/2017 Pasal 205–207).

Need groups (profile × unit × status × competency) → candidate programmes → an exact
group-level plan under the Rupiah budget and the 20-JP right (:func:`plan_groups`, a MILP solved
by HiGHS, compared with a greedy baseline). The later steps live beside this module: people on
seats (:mod:`~workbook.plan.people`), the person-level top-up (:mod:`~workbook.plan.top_up`),
the schedule (:mod:`~workbook.plan.calendar`), mentoring and the talent pool
(:mod:`~workbook.plan.talent`) and the output tables (:mod:`~workbook.plan.tables`).

Layers, as everywhere in the workbook: private numeric kernels (:mod:`~workbook.plan.solver`,
``_jp_convert``) and public validating wrappers that raise
:class:`~workbook.core.exceptions.DataError` / :class:`~workbook.core.exceptions.InfeasibleError`
with an Indonesian and an English message and return DataFrames with snake_case columns. Compute
code never rounds or formats.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

import workbook.plan._line_model as _line_model
import workbook.plan._refill_model as _refill_model
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings
from workbook.plan.catalogue import _catalogue
from workbook.plan.common import (
    _ELIG_KEY,
    _GROUP_KEY_ORDER,
    _LINE_TYPE,
    _not_eligible,
    _num,
    _owed,
    _text,
    budget_number,
)
from workbook.plan.explain import (
    _allocation_frame,
    _budget_frame,
    _coverage_frame,
    _explanations,
    _unmet_frame,
)
from workbook.plan.solver import _greedy_groups, _Model, _objective, _solve_groups

__all__ = ["GroupPlan", "need_groups", "candidate_programmes", "programme_people", "plan_groups"]


def need_groups(
    inventory: pd.DataFrame,
    pegawai: pd.DataFrame,
    *,
    profiles: pd.DataFrame | None = None,
    performance: pd.DataFrame | None = None,
    eligibility: pd.DataFrame | None = None,
    members_only: bool = False,
) -> pd.DataFrame:
    """Need groups (profile × unit × status × competency) from the person-level inventory.

    Parameters
    ----------
    inventory : DataFrame
        ``pegawai_id``, ``kode_kompetensi``, ``need_score`` (from ``needs.inventory``).
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``.
    profiles : DataFrame or Series, optional
        ``pegawai_id`` and ``profil`` (or ``profile``) — the need-profile label — or a Series
        of labels indexed by ``pegawai_id``; adds ``profil`` to the group key.
    performance : DataFrame, optional
        Performance-gap lines: ``pegawai_id``, ``kode_kompetensi`` (the competency chosen to
        answer the person's performance gap), optional ``need_score`` (default 1.0). They form
        groups with ``jenis_kebutuhan == "kinerja"``.
    eligibility : DataFrame, optional
        ``pegawai_id`` and ``kelas_kelayakan`` (the programmes the person may not take,
        ``;``-joined; issue #17); adds ``kelas_kelayakan`` to the group key, so that
        :func:`candidate_programmes` and :func:`plan_groups` pair a group only with programmes
        every member is eligible for. People without a row are left out (nobody may be offered a
        programme without being checked).
    members_only : bool, default False
        Return the members instead of the groups: one row per group × person (group keys and
        ``pegawai_id``), what :func:`programme_people` needs to count people, not needs.

    Returns
    -------
    DataFrame
        Group keys (``profil`` if given, ``kode_unit``, ``status``, ``jenis_kebutuhan``,
        ``kode_kompetensi``), ``n_need`` (people), ``need_score`` (mean need score of the
        people; a blank need score counts as 0), ``need_total`` (sum).
    """
    _require_columns(inventory, ["pegawai_id", "kode_kompetensi", "need_score"], "inventory")
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "status"], "pegawai")
    peg = pd.DataFrame(
        {
            "pegawai_id": _text(pegawai["pegawai_id"]),
            "kode_unit": _text(pegawai["kode_unit"]),
            "status": _text(pegawai["status"]),
        }
    )
    if profiles is not None:
        if isinstance(profiles, pd.Series):  # labels indexed by pegawai_id
            profiles = pd.DataFrame({"pegawai_id": profiles.index, "profil": profiles.to_numpy()})
        if (
            isinstance(profiles, pd.DataFrame)
            and "profile" in profiles
            and "profil" not in profiles
        ):
            profiles = profiles.rename(columns={"profile": "profil"})
        _require_columns(profiles, ["pegawai_id", "profil"], "profiles")
        peg = peg.merge(
            pd.DataFrame(
                {"pegawai_id": _text(profiles["pegawai_id"]), "profil": _text(profiles["profil"])}
            ),
            on="pegawai_id",
            how="left",
        )
        peg["profil"] = peg["profil"].fillna("")
    if eligibility is not None:
        _require_columns(eligibility, ["pegawai_id", _ELIG_KEY], "eligibility")
        peg = peg.merge(
            pd.DataFrame({"pegawai_id": _text(eligibility["pegawai_id"]),
                          _ELIG_KEY: _text(eligibility[_ELIG_KEY])}),
            on="pegawai_id",
            how="inner",
        )
    lines = [
        pd.DataFrame(
            {
                "pegawai_id": _text(inventory["pegawai_id"]),
                "kode_kompetensi": _text(inventory["kode_kompetensi"]),
                "need_score": np.nan_to_num(
                    _num(inventory["need_score"], "inventory", "need_score", lo=-np.inf)
                ),
                "jenis_kebutuhan": "kompetensi",
            }
        )
    ]
    if performance is not None:
        _require_columns(performance, ["pegawai_id", "kode_kompetensi"], "performance")
        sc = (
            np.nan_to_num(_num(performance["need_score"], "performance", "need_score"), nan=1.0)
            if "need_score" in performance
            else np.ones(len(performance))
        )
        lines.append(
            pd.DataFrame(
                {
                    "pegawai_id": _text(performance["pegawai_id"]),
                    "kode_kompetensi": _text(performance["kode_kompetensi"]),
                    "need_score": sc,
                    "jenis_kebutuhan": "kinerja",
                }
            )
        )
    d = pd.concat(lines, ignore_index=True).merge(peg, on="pegawai_id", how="inner")
    keys = [k for k in _GROUP_KEY_ORDER if k in d.columns]
    if members_only:
        out = d[keys + ["pegawai_id"]].drop_duplicates().reset_index(drop=True)
        return out.astype({k: "str" for k in keys + ["pegawai_id"]})
    g = (
        d.groupby(keys, sort=True)
        .agg(n_need=("pegawai_id", "nunique"), need_total=("need_score", "sum"))
        .reset_index()
    )
    g["need_score"] = g["need_total"] / g["n_need"]
    g["n_need"] = g["n_need"].astype("int64")
    for k in keys:
        g[k] = g[k].astype("str")
    return g[keys + ["n_need", "need_score", "need_total"]]


def _groups(groups: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    _require_columns(groups, ["kode_unit", "kode_kompetensi", "n_need", "need_score"], "groups")
    g = groups.copy()
    if "status" not in g:
        g["status"] = "PNS"
    if "jenis_kebutuhan" not in g:
        g["jenis_kebutuhan"] = "kompetensi"
    keys = [k for k in _GROUP_KEY_ORDER if k in g.columns]
    for k in keys:
        g[k] = _text(g[k])
    n = _num(g["n_need"], "groups", "n_need", allow_nan=False)
    if (n != np.floor(n)).any():
        raise DataError(
            "Tabel 'groups', kolom 'n_need': harus bilangan bulat.",
            "Table 'groups', column 'n_need': must be whole numbers.",
            file="groups",
            column="n_need",
        )
    g["n_need"] = n.astype("int64")
    g["need_score"] = np.nan_to_num(_num(g["need_score"], "groups", "need_score", lo=-np.inf))
    bad = sorted(set(g["jenis_kebutuhan"]) - set(_LINE_TYPE))
    if bad:
        raise DataError(
            f"Tabel 'groups', kolom 'jenis_kebutuhan': nilai tidak dikenal {bad[0]!r}.",
            f"Table 'groups', column 'jenis_kebutuhan': unknown value {bad[0]!r}.",
            file="groups",
            column="jenis_kebutuhan",
            value=bad[0],
            expected="kompetensi, kinerja",
        )
    if g.duplicated(keys).any():
        raise DataError(
            "Tabel 'groups': kunci kelompok ganda.",
            "Table 'groups': duplicate group key.",
            file="groups",
            expected=", ".join(keys),
        )
    return g.reset_index(drop=True), keys


def candidate_programmes(
    needs_groups: pd.DataFrame, katalog: pd.DataFrame, *, settings: Settings | None = None
) -> pd.DataFrame:
    """Catalogue programmes that address each need group's competency.

    Parameters
    ----------
    needs_groups : DataFrame
        One row per need group: ``kode_unit``, ``kode_kompetensi``, ``n_need``,
        ``need_score``; optional ``profil``, ``status`` (default PNS), ``jenis_kebutuhan``
        (``kompetensi`` default, or ``kinerja`` for performance-gap lines).
    katalog : DataFrame
        ``katalog_program`` (``kode_kompetensi`` is a ';'-list).
    settings : Settings, optional

    Returns
    -------
    DataFrame
        One row per group × programme: the group keys, ``n_need``, ``need_score``,
        ``program_id``, ``nama_program``, ``bentuk``, ``jalur`` (route: klasikal /
        nonklasikal), ``jp``, ``jp_basis``, ``biaya_per_peserta``, ``biaya_per_jp``,
        ``kapasitas_per_sesi``, ``penyelenggara``. Groups without any programme do not appear
        (:func:`plan_groups` reports them with reason ``no_programme``).
    """
    s = _settings(settings)
    g, keys = _groups(needs_groups)
    cat = _catalogue(katalog, s)
    ex = cat.explode("kompetensi").dropna(subset=["kompetensi"])
    ex = ex.rename(columns={"kompetensi": "kode_kompetensi"})
    out = g[keys + ["n_need", "need_score"]].merge(
        ex[
            [
                "kode_kompetensi",
                "program_id",
                "nama_program",
                "bentuk",
                "jalur",
                "jp",
                "jp_basis",
                "biaya_per_peserta",
                "kapasitas_per_sesi",
                "penyelenggara",
            ]
        ],
        on="kode_kompetensi",
        how="inner",
    )
    if _ELIG_KEY in out:  # only programmes every member of the group is eligible for
        sets = {c: _not_eligible(c) for c in set(out[_ELIG_KEY])}
        out = out[[p not in sets[c] for p, c in zip(out["program_id"], out[_ELIG_KEY], strict=True)]]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["biaya_per_jp"] = np.where(out["jp"] > 0, out["biaya_per_peserta"] / out["jp"], np.inf)
    return out.reset_index(drop=True)


def programme_people(candidates: pd.DataFrame, members: pd.DataFrame) -> pd.Series:
    """Distinct people in need per programme: ``program_id`` → number of persons.

    A person belongs to one group per competency they need; a programme that addresses three of
    them would count that person three times if ``n_need`` were summed over its groups. Here each
    person counts once per programme ("pegawai yang membutuhkan").

    Parameters
    ----------
    candidates : DataFrame
        :func:`candidate_programmes` (group keys and ``program_id``).
    members : DataFrame
        :func:`need_groups` with ``members_only=True`` (group keys and ``pegawai_id``).
    """
    keys = [k for k in _GROUP_KEY_ORDER if k in candidates.columns and k in members.columns]
    if candidates.empty:
        return pd.Series(dtype="int64", name="jumlah_pegawai")
    pairs = candidates[keys + ["program_id"]].astype({k: "str" for k in keys}).merge(
        members[keys + ["pegawai_id"]].astype({k: "str" for k in keys}), on=keys, how="inner")
    n = pairs.groupby("program_id", sort=True)["pegawai_id"].nunique()
    return n.reindex(sorted(set(candidates["program_id"])), fill_value=0).astype("int64").rename("jumlah_pegawai")


@dataclass
class GroupPlan:
    """Result of :func:`plan_groups`.

    Attributes
    ----------
    allocation : DataFrame
        One row per group × programme with participants > 0: group keys, ``program_id``,
        ``participants``, ``sessions`` (of the programme, repeated), ``cost``, ``jp``
        (JP per participant), ``jp_total``, ``value`` (need score × participants).
    coverage : DataFrame
        **Unit-level aggregate**, not a count of people: per unit ``kode_unit``, ``pns``,
        ``jp_owed``, ``jp_planned`` (JP of the planned PNS seats summed over the unit, each seat
        counted up to the minimum), ``shortfall`` (aggregate JP shortfall of the unit), ``pppk``,
        ``jp_pppk``, ``jp_pppk_cap``, ``reason`` (codes, ';'),
        ``basis`` (``"agregat_unit"``: its words say so). A shortfall of 0 does
        not mean that every PNS reaches the minimum: that is measured per person by
        :func:`jp_coverage` after :func:`assign_people` and :func:`top_up_people`.
    budget : DataFrame
        Per funding line: ``sumber_dana``, ``kode_unit``, ``pagu``, ``used``, ``remaining``.
    explanations : DataFrame
        Per programme: ``program_id``, ``nama_program``, ``selected``, ``participants``,
        ``reason`` (code of :data:`~workbook.plan.explain.EXPLANATION_CODES`) and its
        parameters ``kompetensi``, ``group_kompetensi``, ``group_unit``,
        ``group_participants`` (lists), ``other_groups``, ``alt_program_id``, ``jp``,
        ``jp_pppk_cap``; :func:`workbook.plan.words.explanation_text` makes the sentence.
    unmet : DataFrame
        Per need group with people left without a programme: keys, ``n_need``,
        ``participants``, ``unmet``, ``reason`` (code of
        :data:`~workbook.plan.common.REASON_CODES`).
    greedy : DataFrame
        The greedy value-per-Rupiah allocation (same columns as ``allocation``).
    status : str
        ``"optimal"`` or ``"time_limit"`` (best feasible solution found).
    objective : float
        Need value − penalty × JP shortfall of the exact plan.
    value : float
        Need value Σ need score × participants of the exact plan.
    gap : float
        Relative MIP gap reported by HiGHS.
    greedy_value, greedy_objective : float
        The same two figures for the greedy allocation.
    penalty : float
        Penalty per JP of shortfall used in the objective.
    seconds, greedy_seconds : float
        Wall time of the exact solve and of the greedy baseline.
    group_keys : list of str
    funding : str
        The funding mode (``lines``, ``pool``, ``source``, ``unit``).
    allocation_lines : DataFrame or None
        With ``funding="lines"``: one row per group × programme × budget line with seats (group
        keys, ``program_id``, ``line_id``, ``participants``, ``cost``): which line pays how many
        seats of each allocation row (a free programme's seats are on the most specific line
        that may pay them, at cost 0).
    seats_rounding : int
        With ``funding="lines"``: seats of the solver's plan removed when its money split per
        (unit × programme kind, line) was turned into whole seats per line (at most about one
        seat per cell and line; 0 otherwise).
    max_sessions_per_month : int
        Sessions a programme can run in one of its months.
    """

    allocation: pd.DataFrame
    coverage: pd.DataFrame
    budget: pd.DataFrame
    explanations: pd.DataFrame
    unmet: pd.DataFrame
    greedy: pd.DataFrame
    status: str
    objective: float
    value: float
    gap: float
    greedy_value: float
    greedy_objective: float
    penalty: float
    seconds: float = 0.0
    greedy_seconds: float = 0.0
    group_keys: list[str] = field(default_factory=list)
    funding: str = "pool"
    max_sessions_per_month: int = 1
    allocation_lines: pd.DataFrame | None = None
    seats_rounding: int = 0


def _budget_lines(
    budget: Any, funding: str, units: list[str], sources: np.ndarray
) -> tuple[list[tuple[str, str]], np.ndarray, float]:
    """Funding lines (sumber_dana, kode_unit) with their pagu, and the shared pool."""
    if funding not in ("lines", "pool", "source", "unit"):
        raise DataError(
            f"Parameter 'funding' tidak dikenal: {funding!r}.",
            f"Unknown 'funding' parameter: {funding!r}.",
            value=funding,
            expected="lines, pool, source, unit",
        )
    if isinstance(budget, pd.DataFrame):
        _require_columns(budget, ["sumber_dana", "pagu"], "anggaran")
        src = _text(budget["sumber_dana"])
        unit = (
            _text(budget["kode_unit"])
            if "kode_unit" in budget
            else np.full(len(budget), "", dtype=object)
        )
        pagu = _num(budget["pagu"], "anggaran", "pagu", allow_nan=False)
    else:
        b = budget_number(budget)
        if funding != "pool":
            raise DataError(
                f"funding={funding!r} memerlukan tabel anggaran (sumber_dana, kode_unit, pagu).",
                f"funding={funding!r} needs the budget table (sumber_dana, kode_unit, pagu).",
                file="anggaran",
                expected="DataFrame",
            )
        return [("semua", "")], np.array([b]), 0.0
    if funding == "pool":
        return [("semua", "")], np.array([float(pagu.sum())]), 0.0
    if funding == "source":
        lines = sorted(set(src))
        missing = sorted({s_ for s_ in sources if s_ and s_ not in lines})
        if missing or any(s_ == "" for s_ in sources):
            raise DataError(
                "funding='source': setiap program perlu sumber_dana yang ada di tabel anggaran "
                f"(tidak ada: {', '.join(missing) or '(kosong)'}).",
                "funding='source': every programme needs a sumber_dana listed in the budget table "
                f"(missing: {', '.join(missing) or '(blank)'}).",
                file="katalog_program",
                column="sumber_dana",
                value=(missing or [""])[0],
            )
        pag = np.array([pagu[src == s_].sum() for s_ in lines])
        return [(s_, "") for s_ in lines], pag, 0.0
    # funding == "unit": one line per unit; blank-unit rows form a shared pool
    pag = np.array([pagu[unit == u].sum() for u in units])
    return [("", u) for u in units], pag, float(pagu[unit == ""].sum())


def plan_groups(
    groups: pd.DataFrame,
    katalog: pd.DataFrame,
    budget: float | pd.DataFrame,
    *,
    pegawai: pd.DataFrame,
    settings: Settings | None = None,
    funding: str = "pool",
    time_limit: float = 60,
    mip_rel_gap: float = 1e-4,
    penalty: float | None = None,
    max_sessions_per_month: int = 1,
    reserved: dict[str, float] | None = None,
    komponen: pd.DataFrame | None = None,
    prior: Any = None,
) -> GroupPlan:
    """Exact group-level yearly plan under the Rupiah budget and the 20-JP right (MILP).

    Parameters
    ----------
    groups : DataFrame
        Need groups (see :func:`candidate_programmes`): ``kode_unit``, ``kode_kompetensi``,
        ``n_need``, ``need_score``; optional ``profil``, ``status`` (default PNS),
        ``jenis_kebutuhan`` (``kompetensi``/``kinerja``).
    katalog : DataFrame
        ``katalog_program``.
    budget : float or DataFrame
        One Rupiah ceiling, or the ``anggaran`` table (``sumber_dana``, ``kode_unit``,
        ``pagu``).
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status`` — headcounts of PNS (owed
        ``jp.minimum_pns`` JP each) and PPPK (capped at ``jp.pppk_maximum``) per unit.
    settings : Settings, optional
        ``jp.minimum_pns``, ``jp.pppk_maximum``, ``jp.conversion``.
    funding : {"lines", "pool", "source", "unit"}, default "pool"
        ``lines`` (the setting's default ``plan.funding``): every row of ``anggaran`` is its own
        ceiling (:func:`workbook.plan.lines.budget_lines`) and pays only for the units and
        programme kinds it may pay (:func:`workbook.plan.lines.may_pay`); one integer variable
        per (pair, line) that may pay it carries the seats that line pays. Explicit pooling:
        one pool (sum of ``anggaran``), one ceiling per ``sumber_dana`` (each programme
        charged to its catalogue ``sumber_dana``), or one per unit (``anggaran`` rows with a
        ``kode_unit``; rows with a blank unit form a shared pool any unit may draw on).
    time_limit : float, default 60
        Seconds for HiGHS; on timeout the best plan found is returned (``status ==
        "time_limit"``, ``gap`` > 0).
    mip_rel_gap : float, default 1e-4
        Relative MIP gap at which HiGHS stops (its own default); 0 proves optimality.
    penalty : float, optional
        Penalty per JP of shortfall; default :math:`\\lambda = 10 \\cdot \\max_g w_g /
        \\min_p c_p` (below).
    max_sessions_per_month : int, default 1
        Sessions a programme can run in one of its ``bulan_tersedia`` months.
    reserved : dict, optional
        With ``funding="lines"``: Rupiah per ``line_id`` kept aside (the mandatory block's
        reserve); the line may then spend at most pagu − reserved.
    komponen : DataFrame, optional
        ``komponen_biaya``: a programme's cash cost (``biaya_kas``) is the sum of its components
        not paid by the organiser; without it, ``biaya_per_peserta``.
    prior : workbook.plan._refill_model.Prior, optional
        A refill round (:mod:`workbook.plan.refill`): what the earlier rounds hold (members who
        already have a programme, seats taken, PPPK JP and 20-JP coverage per unit).

    Returns
    -------
    GroupPlan

    Raises
    ------
    DataError
        Missing columns, invalid numbers, unknown funding mode, a programme without JP.
    InfeasibleError
        HiGHS returned no solution (the model itself is always feasible: x = 0).

    Notes
    -----
    Pairs :math:`(g, p)` where programme *p* addresses the competency of group *g*; PPPK
    groups are never paired with a programme of more than ``jp.pppk_maximum`` JP.

    Variables: integer participants :math:`x_{gp} \\ge 0`, integer sessions
    :math:`0 \\le s_p \\le S_p = |\\text{bulan}_p| \\cdot` ``max_sessions_per_month``,
    continuous shortfall :math:`d_u \\ge 0` per unit.

    .. math::

        \\max \\; \\sum_{g,p} w_g x_{gp} - \\lambda \\sum_u d_u

    subject to :math:`\\sum_g x_{gp} \\le K_p s_p` (capacity),
    :math:`\\sum_p x_{gp} \\le n_g` (a person gets at most one programme per competency),
    :math:`\\sum_{(g,p) \\in b} \\text{biaya}_p x_{gp} \\le B_b` per funding line *b*,
    :math:`\\sum_{g \\in u, \\text{PNS}} \\sum_p c_p x_{gp} + d_u \\ge J \\cdot \\text{PNS}_u`
    with :math:`c_p = \\min(jp_p, J)`, :math:`J` = ``jp.minimum_pns`` (a seat counts at most
    *J* JP, so one long programme cannot cover several people), and
    :math:`\\sum_{g \\in u, \\text{PPPK}} \\sum_p jp_p x_{gp} \\le J^{PPPK} \\cdot
    \\text{PPPK}_u`.

    Weights: :math:`w_g` is the group's mean need score (value of one seat);
    :math:`\\lambda = f \\max_g w_g / \\min_{p: c_p > 0} c_p` with :math:`f` =
    ``plan.shortfall_penalty_factor`` (10), so one JP of shortfall costs more than ten seats of
    the most needed group: coverage of the 20 JP comes first, need value
    second. The group level is an aggregate (:attr:`GroupPlan.coverage` says so): the share of
    PNS who really reach 20 JP is reached by :func:`top_up_people` and measured per person by
    :func:`jp_coverage`. Statuses owed the minimum: ``plan.jp_owed_status`` (PNS; CPNS follow
    Latsar). HiGHS runs inside :func:`quiet_c_output`, so its C-level prints do not leak. Sessions are reported as
    :math:`\\lceil \\sum_g x_{gp} / K_p \\rceil`.

    References
    ----------
    PP 11/2017 jo. PP 17/2020 (20 JP, Pasal 205–207); Perlan 15/2020 (PPPK 24 JP); HiGHS via
    :func:`scipy.optimize.milp` (Huangfu & Hall 2018, Math. Prog. Comp. 10:119).
    """
    s = _settings(settings)
    jmin = float(s["jp.minimum_pns"])
    jpppk = float(s["jp.pppk_maximum"])
    g, keys = _groups(groups)
    cat = _catalogue(katalog, s)
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "status"], "pegawai")
    _check_solver_args(max_sessions_per_month, time_limit)
    owed_st = _owed(s)
    units, pns_u, pppk_u = _heads_per_unit(pegawai, g, owed_st)
    pg, pp, is_pppk, pairs_blocked = _candidate_pairs(g, cat, jpppk)
    sources = cat["sumber_dana"].to_numpy(dtype=object)
    cat["biaya_per_peserta"] = _line_model.cash_cost(katalog, komponen, cat["biaya_per_peserta"].to_numpy(float))[0]
    if funding == "lines":
        ltab = _line_model.line_table(budget, s)
        res_b = _line_model.reserved_array(ltab, reserved)
        lines, pagu, shared = list(zip(ltab["sumber_dana"], ltab["dpa"], strict=True)), ltab["pagu"].to_numpy(float), 0.0
        pagu = np.maximum(pagu - res_b, 0.0)
    else:
        lines, pagu, shared = _budget_lines(budget, funding, units, sources)
    m = _model(
        g,
        cat,
        (pg, pp, is_pppk),
        (units, pns_u, pppk_u),
        (lines, pagu, shared),
        funding=funding,
        penalty=penalty,
        max_sessions_per_month=max_sessions_per_month,
        s=s,
    )
    if funding == "lines":
        kinds = _line_model.programme_kinds(katalog, s)
        m.split_pair, m.split_line, has_line = _line_model.pair_lines(
            ltab, g["kode_unit"].to_numpy(dtype=object)[pg], kinds[pp])
        m.split_pair, m.split_line = m.split_pair[m.cost[m.split_pair] > 0], m.split_line[m.cost[m.split_pair] > 0]
        m.split_rank = _line_model.split_rank(ltab, sources[pp][m.split_pair], m.split_line)
        m.cell_of_pair, m.z_cell, m.z_line = _line_model.cells(
            m.split_pair, m.split_line, g["kode_unit"].to_numpy(dtype=object)[pg], kinds[pp], len(pg))
        m.ub = np.where(has_line, m.ub, 0.0)  # no line may pay: no seat (never a seat without a line)
        m.part_of_pair = np.full(len(pg), -1, dtype=np.int64)
    _refill_model.apply_prior(m, g, keys, cat, units, prior)
    t0 = time.perf_counter()
    y, rounding = np.zeros(0, dtype=np.int64), 0
    if len(pg):
        x, res = _solve_groups(m, time_limit, mip_rel_gap)
        y = getattr(res, "y_split", y)
        rounding = int(getattr(res, "seats_rounding", 0))
        status = "optimal" if res.status == 0 else "time_limit"
        gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    else:
        x, status, gap = np.zeros(0, dtype=np.int64), "optimal", 0.0
    secs = time.perf_counter() - t0
    t0 = time.perf_counter()
    xg = _greedy_groups(m) if len(pg) else np.zeros(0, dtype=np.int64)
    gsecs = time.perf_counter() - t0
    obj, val, short = _objective(m, x)
    gobj, gval, _ = _objective(m, xg)

    # frames: what the plan does and why
    if funding == "lines":
        y = y if len(y) == len(m.split_pair) else np.zeros(len(m.split_pair), dtype=np.int64)
        used = np.bincount(m.split_line, weights=m.cost[m.split_pair] * y, minlength=len(pagu))
    else:
        used = np.bincount(m.part_of_pair, weights=m.cost * x, minlength=len(pagu))
    tot_p = np.bincount(pp, weights=x, minlength=len(cat))
    full_p = tot_p + (0 if m.cap_used is None else m.cap_used) >= m.cap * m.smax
    room = (
        pagu
        - used
        + (shared - max(0.0, float((used - pagu)[used > pagu].sum())) if shared > 0 else 0.0)
    )
    if funding == "lines":  # the reasons read the room of the best line that may pay each pair
        pj, pl, _ = _line_model.pair_lines(ltab, g["kode_unit"].to_numpy(dtype=object)[pg], kinds[pp])
        room_pair = np.full(len(pg), 0.0)
        np.maximum.at(room_pair, pj, (pagu - used)[pl])
        m.part_of_pair, room = np.arange(len(pg), dtype=np.int64), room_pair
        first_line = np.full(len(pg), -1, dtype=np.int64)
        uj, first = np.unique(pj, return_index=True)
        first_line[uj] = pl[first]  # per pair its most specific line (first in pair order)
    unmet = _unmet_frame(g, keys, m, x, full_p, room, pairs_blocked)
    return GroupPlan(
        allocation=_allocation_frame(g, keys, cat, m, x),
        coverage=_coverage_frame(units, pns_u, pppk_u, m, x, short, jmin, jpppk, unmet, g, owed_st),
        budget=(_line_model.line_budget_frame(ltab, res_b, used) if funding == "lines"
                else _budget_frame(lines, pagu, used, shared)),
        explanations=_explanations(g, cat, m, x, full_p, room, pairs_blocked, jpppk),
        unmet=unmet,
        greedy=_allocation_frame(g, keys, cat, m, xg),
        status=status,
        objective=obj,
        value=val,
        gap=gap,
        greedy_value=gval,
        greedy_objective=gobj,
        penalty=m.penalty,
        seconds=secs,
        greedy_seconds=gsecs,
        group_keys=keys,
        funding=funding,
        max_sessions_per_month=int(max_sessions_per_month),
        seats_rounding=rounding,
        allocation_lines=(_line_model.allocation_lines_frame(g, keys, cat, m, x, y, ltab, first_line)
                          if funding == "lines" else None),
    )


def _check_solver_args(max_sessions_per_month: int, time_limit: float) -> None:
    if int(max_sessions_per_month) < 1:
        raise DataError(
            "max_sessions_per_month harus ≥ 1.",
            "max_sessions_per_month must be ≥ 1.",
            value=max_sessions_per_month,
            expected="≥ 1",
        )
    if float(time_limit) <= 0:
        raise DataError(
            "time_limit harus > 0 detik.",
            "time_limit must be > 0 seconds.",
            value=time_limit,
            expected="> 0",
        )


def _heads_per_unit(
    pegawai: pd.DataFrame, g: pd.DataFrame, owed_st: tuple[str, ...]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Units (of the employees and the groups), and per unit the people owed the JP minimum and
    the PPPK."""
    peg_unit, peg_status = _text(pegawai["kode_unit"]), _text(pegawai["status"])
    units = sorted(set(peg_unit) | set(g["kode_unit"]))
    uidx = {u: i for i, u in enumerate(units)}
    U = len(units)
    pns_u = np.bincount(
        [uidx[u] for u, st in zip(peg_unit, peg_status, strict=True) if st in owed_st],
        minlength=U,
    ).astype(float)
    pppk_u = np.bincount(
        [uidx[u] for u, st in zip(peg_unit, peg_status, strict=True) if st == "PPPK"], minlength=U
    ).astype(float)
    return units, pns_u, pppk_u


def _candidate_pairs(
    g: pd.DataFrame, cat: pd.DataFrame, jpppk: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.DataFrame]:
    """Pairs (group, programme) where the programme addresses the group's competency: group and
    programme index and the PPPK flag of each pair, and the pairs blocked by the PPPK JP cap."""
    ex = cat[["program_id", "kompetensi"]].reset_index().rename(columns={"index": "p"})
    ex = ex.explode("kompetensi").dropna(subset=["kompetensi"])
    pairs = (
        g[["kode_kompetensi"]]
        .reset_index()
        .rename(columns={"index": "g"})
        .merge(
            ex.rename(columns={"kompetensi": "kode_kompetensi"}), on="kode_kompetensi", how="inner"
        )
    )
    if _ELIG_KEY in g:  # a programme only for groups whose members are all eligible (issue #17)
        cls = g[_ELIG_KEY].to_numpy(dtype=object)
        pids = cat["program_id"].to_numpy(dtype=object)
        sets = {c: _not_eligible(c) for c in set(cls)}
        keep = [pids[p] not in sets[cls[gi]] for gi, p in zip(pairs["g"], pairs["p"], strict=True)]
        pairs = pairs[np.asarray(keep, dtype=bool)] if len(pairs) else pairs
    pg, pp = pairs["g"].to_numpy(np.int64), pairs["p"].to_numpy(np.int64)
    status_g = g["status"].to_numpy(dtype=object)
    is_pppk = (status_g[pg] == "PPPK").astype(float)
    jp_p = cat["jp"].to_numpy(float)
    blocked = (is_pppk > 0) & (jp_p[pp] > jpppk + 1e-9)
    return pg[~blocked], pp[~blocked], is_pppk[~blocked], pairs[blocked]


def _model(
    g: pd.DataFrame,
    cat: pd.DataFrame,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    heads: tuple[list[str], np.ndarray, np.ndarray],
    lines: tuple[list[tuple[str, str]], np.ndarray, float],
    *,
    funding: str,
    penalty: float | None,
    max_sessions_per_month: int,
    s: Settings,
) -> _Model:
    """The arrays of the group-level model, with the default shortfall penalty when none given."""
    pg, pp, is_pppk = pairs
    units, pns_u, pppk_u = heads
    funding_lines, pagu, shared = lines
    jmin = float(s["jp.minimum_pns"])
    jpppk = float(s["jp.pppk_maximum"])
    uidx = {u: i for i, u in enumerate(units)}
    jp_p = cat["jp"].to_numpy(float)
    cap = cat["kapasitas_per_sesi"].to_numpy(np.int64)
    smax = np.array([len(b) for b in cat["bulan"]], dtype=np.int64) * int(max_sessions_per_month)
    n_g = g["n_need"].to_numpy(np.int64)
    w_g = g["need_score"].to_numpy(float)
    unit_g = np.array([uidx[u] for u in g["kode_unit"]], dtype=np.int64)
    owed_status = np.isin(g["status"].to_numpy(dtype=object), list(_owed(s)))
    cov = np.where(owed_status[pg], np.minimum(jp_p[pp], jmin), 0.0)
    sources = cat["sumber_dana"].to_numpy(dtype=object)
    if funding in ("pool", "lines"):  # lines: the (pair, line) split replaces the partition
        part = np.zeros(len(pg), dtype=np.int64)
    elif funding == "source":
        li = {s_: i for i, (s_, _) in enumerate(funding_lines)}
        part = np.array([li[s_] for s_ in sources[pp]], dtype=np.int64)
    else:
        part = unit_g[pg]
    if penalty is None:
        pos_c = cov[cov > 0]
        wmax = float(w_g.max()) if len(w_g) and w_g.max() > 0 else 1.0
        factor = float(s.get("plan.shortfall_penalty_factor", 10.0))
        penalty = factor * wmax / (float(pos_c.min()) if len(pos_c) else 1.0)
    return _Model(
        pg=pg,
        pp=pp,
        ub=np.minimum(n_g[pg], cap[pp] * smax[pp]).astype(float),
        w=w_g[pg],
        cost=cat["biaya_per_peserta"].to_numpy(float)[pp],
        jp=jp_p[pp],
        cov=cov,
        pppk=is_pppk,
        unit_of_pair=unit_g[pg],
        n_g=n_g,
        cap=cap,
        smax=smax,
        owed=jmin * pns_u,
        pppk_cap=jpppk * pppk_u,
        pppk_cap_jp=jpppk,
        part_of_pair=part,
        pagu=pagu,
        shared=shared,
        penalty=float(penalty),
    )
