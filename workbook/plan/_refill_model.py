"""What the earlier rounds of the plan already hold, applied to the selection model of a refill
round (:mod:`workbook.plan.refill`, ``plan_groups(prior=…)``): per (group, programme) pair the
group members who do not yet hold the programme, per programme the seats already taken, per unit
the PPPK JP already planned and the JP already covered towards the 20-JP minimum."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.plan.solver import _Model

__all__: list[str] = []


@dataclass
class Prior:
    """The plan so far, as a refill round's model needs it.

    ``pair_limit``: group keys, ``program_id``, ``limit`` (members of the group who may still take
    the programme; pairs without a row: the whole group); ``seats_used``: programme id → seats;
    ``pppk_jp_used`` and ``jp_covered``: unit → JP."""

    pair_limit: pd.DataFrame
    seats_used: dict[str, float]
    pppk_jp_used: dict[str, float]
    jp_covered: dict[str, float]


def apply_prior(m: _Model, g: pd.DataFrame, keys: list[str], cat: pd.DataFrame, units: list[str],
                prior: Prior | None) -> None:
    """Tighten the model ``m`` (in place) by what the earlier rounds hold."""
    if prior is None:
        return
    pid = cat["program_id"].astype(str).to_numpy(dtype=object)
    m.cap_used = np.array([float(prior.seats_used.get(p, 0.0)) for p in pid])
    m.pppk_cap = np.maximum(m.pppk_cap - np.array([prior.pppk_jp_used.get(u, 0.0) for u in units]), 0.0)
    m.owed = np.maximum(m.owed - np.array([prior.jp_covered.get(u, 0.0) for u in units]), 0.0)
    lim = prior.pair_limit
    if lim is None or not len(lim) or not len(m.pg):
        return
    gk = g[keys].astype(str).reset_index(drop=True).assign(_g=np.arange(len(g)))
    pairs = pd.DataFrame({"_g": m.pg, "program_id": pid[m.pp], "_j": np.arange(len(m.pg))})
    pairs = pairs.merge(gk, on="_g", how="left")
    lim = lim.astype({k: str for k in keys + ["program_id"]})
    hit = pairs.merge(lim[keys + ["program_id", "limit"]], on=keys + ["program_id"], how="inner")
    if len(hit):
        j = hit["_j"].to_numpy(np.int64)
        m.ub[j] = np.minimum(m.ub[j], np.maximum(hit["limit"].to_numpy(float), 0.0))
