"""Refill rounds (issue #17): the money of seats the selection chose but nobody could fill goes
back to the needs.

The selection (:func:`workbook.plan.groups.plan_groups`) works on need groups (profile × unit ×
status × competency); one person can be in several groups that the same programme addresses,
and the per-person assignment (:func:`workbook.plan.people.assign_people`) never gives a person
the same programme twice, so some chosen seats stay empty and their money is released. A refill
round solves the SAME exact selection again on what is left — the need lines (person ×
competency) not yet served, only members who do not yet hold a programme, each line's pagu minus
the mandatory reserve and the seats already filled, each programme's remaining capacity, the PPPK
JP and 20-JP coverage already planned — and puts people on its seats (``tahap`` ``rencana``,
``putaran`` 2, 3…). Rounds repeat while one adds seats, at most ``plan.refill_rounds`` (0 = off).
Only with budget lines (``plan.funding = lines``); the pooled modes keep the single round.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

import workbook.plan._line_model as _line_model
import workbook.plan._refill_model as _refill_model
import workbook.plan.groups as groups_
import workbook.plan.lines as L
import workbook.plan.people as people_
from workbook.plan.catalogue import _catalogue
from workbook.plan.common import _GROUP_KEY_ORDER, _owed, _text

__all__ = ["Refill", "refill", "first_prior", "final_reasons"]


@dataclass
class Refill:
    """Result of :func:`refill`: the person assignment with the refill rounds' rows (``putaran``
    ≥ 2), the group plan of each round and per round its figures (``putaran``, ``seats_chosen``,
    ``seats_filled``, ``cost``, ``value``, ``seconds``)."""

    placed: people_.PersonAssignment
    plans: list = field(default_factory=list)
    rounds: pd.DataFrame | None = None


def _served(a: pd.DataFrame) -> set[tuple[str, str]]:
    if "kode_kompetensi" not in a:
        return set()
    d = a[a["kode_kompetensi"].notna()]
    return set(zip(_text(d["pegawai_id"]), _text(d["kode_kompetensi"]), strict=True))


def first_prior(inventory: pd.DataFrame, pegawai: pd.DataFrame, groups: pd.DataFrame, katalog: pd.DataFrame,
                settings: Any, n_pairs: int | None = None) -> _refill_model.Prior | None:
    """The first round's person-cell limits (``plan_groups(prior=…)``): a programme that answers
    several competency groups of the same people gets at most as many seats there as there are
    distinct people (``plan.refill_rounds`` = 0 keeps the old model: None). Above
    ``plan.person_limits_max_pairs`` group × programme pairs (``n_pairs``) the first round runs
    without them (None): at 10.000 employees × 300 programmes they make HiGHS hit its time limit
    (bench/plan.py) while the refill rounds, which keep them, fill about as many seats."""
    if int(settings.get("plan.refill_rounds", 0)) <= 0:
        return None
    if n_pairs is not None and int(n_pairs) > int(settings.get("plan.person_limits_max_pairs", 20000)):
        return None
    keys = [c for c in _GROUP_KEY_ORDER if c in groups.columns]
    d = _person_keys(inventory, pegawai, keys)
    d = d.merge(pd.DataFrame({"pegawai_id": _text(pegawai["pegawai_id"]), "status_": _text(pegawai["status"])}),
                on="pegawai_id", how="left")
    d["status"] = d["status_"]
    return _refill_model.Prior(person_limit=_refill_model.person_limits(d, _catalogue(katalog, settings), keys),
                               pppk_cells=_refill_model.pppk_cells(d, keys, float(settings["jp.pppk_maximum"])))


def _cap_jp(a: pd.DataFrame, settings: Any) -> pd.Series:
    """JP of each row of the plan so far toward the PPPK cap: Orientasi PPPK (``wajib``) stays
    outside it with ``eligibility.orientasi_outside_pppk_cap`` (DOMAIN-PLAN §1.4)."""
    jp = pd.to_numeric(a["jp"], errors="coerce").fillna(0.0)
    if "wajib" in a and bool(settings.get("eligibility.orientasi_outside_pppk_cap", True)):
        jp = jp.where(a["wajib"].astype("string").fillna("").astype(str) != "orientasi_pppk", 0.0)
    return jp


def _prior(a: pd.DataFrame, d: pd.DataFrame, groups: pd.DataFrame, keys: list[str], pegawai: pd.DataFrame,
           settings: Any, katalog: pd.DataFrame) -> _refill_model.Prior:
    """What the plan so far holds, for the next round's model."""
    held = a[["pegawai_id", "program_id"]].astype(str).drop_duplicates()
    hit = d.merge(held, on="pegawai_id", how="inner")
    lim = hit.groupby(keys + ["program_id"]).size().rename("holding").reset_index()
    lim = lim.merge(groups[keys + ["n_need"]].astype({k: str for k in keys}), on=keys, how="inner")
    lim["limit"] = lim["n_need"] - lim["holding"]
    peg = pd.DataFrame({"pegawai_id": _text(pegawai["pegawai_id"]), "kode_unit": _text(pegawai["kode_unit"]),
                        "status": _text(pegawai["status"])})
    jp = a.assign(_jp=_cap_jp(a, settings)).groupby(
        a["pegawai_id"].astype(str))["_jp"].sum()
    peg["jp"] = peg["pegawai_id"].map(jp).fillna(0.0)
    jmin = float(settings["jp.minimum_pns"])
    pppk = peg[peg["status"] == "PPPK"].groupby("kode_unit")["jp"].sum()
    owed = peg[peg["status"].isin(_owed(settings))]
    cov = owed.assign(c=np.minimum(owed["jp"], jmin)).groupby("kode_unit")["c"].sum()
    return _refill_model.Prior(pair_limit=lim[keys + ["program_id", "limit"]],
                               seats_used=a.groupby(a["program_id"].astype(str)).size().astype(float).to_dict(),
                               pppk_jp_used=pppk.to_dict(), jp_covered=cov.to_dict(),
                               person_limit=_refill_model.person_limits(d, _catalogue(katalog, settings), keys, held),
                               pppk_cells=_refill_model.pppk_cells(d.assign(status=d["pegawai_id"].map(
                                   dict(zip(peg["pegawai_id"], peg["status"], strict=True)))), keys,
                                   float(settings["jp.pppk_maximum"]), jp.to_dict()))


def _person_keys(rem: pd.DataFrame, pegawai: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The need lines left with the group keys of their person."""
    d = pd.DataFrame({"pegawai_id": _text(rem["pegawai_id"]), "kode_kompetensi": _text(rem["kode_kompetensi"])})
    cols = [k for k in keys if k in pegawai.columns and k != "kode_kompetensi"]
    d = d.merge(pd.DataFrame({c: _text(pegawai[c]) for c in ["pegawai_id"] + cols}), on="pegawai_id", how="inner")
    if "jenis_kebutuhan" in keys and "jenis_kebutuhan" not in d:
        d["jenis_kebutuhan"] = "kompetensi"
    return d


def refill(gp: Any, placed: people_.PersonAssignment, inventory: pd.DataFrame, pegawai: pd.DataFrame,
           katalog: pd.DataFrame, budget: Any, *, settings: Any, make_groups: Callable[[pd.DataFrame], pd.DataFrame],
           komponen: pd.DataFrame | None = None, rounds: int | None = None) -> Refill:
    """Up to ``rounds`` (default ``plan.refill_rounds``) refill rounds after the per-person
    assignment ``placed`` of the group plan ``gp`` (module docstring). ``make_groups`` builds the
    need groups from need lines exactly as the first round did; ``budget`` is the ``anggaran``
    table the first round saw. Every row of ``placed`` gets ``putaran`` (1 for the selection's
    seats, 0 for the mandatory block)."""
    n_rounds = int(settings.get("plan.refill_rounds", 0) if rounds is None else rounds)
    a = placed.assignments.copy()
    tahap = a["tahap"].astype(str) if "tahap" in a else pd.Series("rencana", index=a.index)
    a["putaran"] = np.where(tahap.eq("rencana"), 1, 0).astype(np.int64)
    out = Refill(people_.PersonAssignment(a, placed.unfilled, placed.summary, placed.below_minimum,
                                          placed.budget))
    figures = []
    if str(getattr(gp, "funding", "")) != "lines" or n_rounds <= 0:
        out.rounds = pd.DataFrame(figures, columns=["putaran", "seats_chosen", "seats_filled", "cost", "value",
                                                    "seconds"])
        return out
    unfilled = [placed.unfilled.assign(putaran=1)]
    for k in range(2, n_rounds + 2):
        served = _served(a)
        key = list(zip(_text(inventory["pegawai_id"]), _text(inventory["kode_kompetensi"]), strict=True))
        rem = inventory[[p not in served for p in key]]
        if not len(rem):
            break
        g = make_groups(rem)
        keys = [c for c in _GROUP_KEY_ORDER if c in g.columns]
        d = _person_keys(rem, pegawai, keys)
        bud = _line_model.lines_budget(gp, a)  # pagu − reserve − the seats filled so far
        left = dict(zip(bud["line_id"].astype(str), (bud["pagu"] - bud["remaining"]).to_numpy(float), strict=True))
        gk = groups_.plan_groups(
            g, katalog, budget, pegawai=pegawai, settings=settings, funding="lines",
            time_limit=float(settings["plan.time_limit_s"]), mip_rel_gap=float(settings["plan.mip_rel_gap"]),
            komponen=komponen, reserved=left, prior=_prior(a, d, g, keys, pegawai, settings, katalog))
        held = set(zip(a["pegawai_id"].astype(str), a["program_id"].astype(str), strict=True))
        jp_before = a.assign(_jp=_cap_jp(a, settings)).groupby(
            a["pegawai_id"].astype(str))["_jp"].sum().to_dict()
        pk = people_.assign_people(gk, rem, pegawai, katalog, settings=settings, held=held, jp_before=jp_before)
        new = pk.assignments.assign(putaran=np.int64(k))
        figures.append({"putaran": k, "seats_chosen": int(gk.allocation["participants"].sum()),
                        "seats_filled": len(new), "cost": float(new["biaya_kas"].sum()),
                        "value": float(gk.value), "seconds": float(gk.seconds)})
        out.plans.append(gk)
        unfilled.append(pk.unfilled.assign(putaran=k))
        if not len(new):
            break
        a = pd.concat([a, new], ignore_index=True)
    a["putaran"] = a["putaran"].astype(np.int64)
    a.attrs["output_class"] = "restricted"
    rf = pd.DataFrame(figures, columns=["putaran", "seats_chosen", "seats_filled", "cost", "value", "seconds"])
    extra = pd.DataFrame({"metric": ["refill_seats_chosen", "refill_seats_filled", "refill_cost"],
                          "value": [float(rf["seats_chosen"].sum()), float(rf["seats_filled"].sum()),
                                    float(rf["cost"].sum())]}).astype({"metric": "str"})
    summary = pd.concat([placed.summary, extra], ignore_index=True)
    un = pd.concat(unfilled, ignore_index=True)
    un["putaran"] = un["putaran"].astype(np.int64)
    out.placed = people_.PersonAssignment(a, un, summary, placed.below_minimum, placed.budget)
    out.rounds = rf
    return out


def final_reasons(explanations: pd.DataFrame, assignments: pd.DataFrame, budget_lines: pd.DataFrame,
                  katalog: pd.DataFrame, groups: pd.DataFrame, inventory: pd.DataFrame, *, settings: Any,
                  komponen: pd.DataFrame | None = None) -> pd.DataFrame:
    """The reasons of ``explanations`` (selection step) made true for the final plan:

    * a programme not chosen by the selection but placed by a refill round (``putaran`` ≥ 2):
      ``refill``, naming the competencies it serves there;
    * a paid programme refused for ``budget`` keeps that reason only when the final remaining
      money (``budget_lines.remaining``, after the refill rounds and the top-up) of every line
      that may pay it — for the units whose groups needed its competencies — is below the cash
      cost of one place; otherwise ``budget_at_selection`` when no need line it answers is left
      unserved, else ``budget_left``.
    """
    ex = explanations.copy()
    if not len(ex) or "reason" not in ex:
        return ex
    a = assignments
    put = pd.to_numeric(a["putaran"], errors="coerce").fillna(0) if "putaran" in a else pd.Series(0, index=a.index)
    r2 = a[put >= 2]
    kat = katalog.assign(program_id=katalog["program_id"].astype(str)).reset_index(drop=True)
    cost = pd.Series(_line_model.cash_cost(kat, komponen, pd.to_numeric(kat["biaya_per_peserta"]).to_numpy(float))[0],
                     index=kat["program_id"])
    kind = pd.Series(_line_model.programme_kinds(kat, settings), index=kat["program_id"])
    cat = _catalogue(katalog, settings)
    comps = {str(p): [str(c) for c in v] for p, v in zip(cat["program_id"], cat["kompetensi"], strict=True)}
    lines = _line_model.lines_from_budget(budget_lines)
    left = budget_lines["remaining"].to_numpy(float)
    served = _served(a)
    inv = list(zip(_text(inventory["pegawai_id"]), _text(inventory["kode_kompetensi"]), strict=True))
    open_comps = {c for p, c in inv if (p, c) not in served}
    for i, r in ex.iterrows():
        pid = str(r["program_id"])
        if not bool(r["selected"]) and (r2["program_id"].astype(str) == pid).any():
            ks = sorted(set(r2.loc[r2["program_id"].astype(str) == pid, "kode_kompetensi"].dropna().astype(str)))
            ex.at[i, "reason"], ex.at[i, "kompetensi"] = "refill", ks
            continue
        if str(r["reason"]) != "budget" or pid not in cost.index:
            continue
        units = sorted(set(groups.loc[groups["kode_kompetensi"].astype(str).isin(comps.get(pid, [])),
                                      "kode_unit"].astype(str)))
        ok = L.may_pay(lines, units, [kind[pid]] * len(units)) if units else np.zeros((0, len(lines)))
        payers = ok.any(axis=0) if len(ok) else np.zeros(len(lines), dtype=bool)
        if not payers.any() or float(left[payers].max()) + 1e-6 < float(cost[pid]):
            continue  # "sisa anggaran tidak cukup" is true for the final plan
        still = [c for c in comps.get(pid, []) if c in open_comps]
        ex.at[i, "reason"] = "budget_left" if still else "budget_at_selection"
        ex.at[i, "kompetensi"] = still or comps.get(pid, [])
    return ex
