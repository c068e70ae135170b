"""What the needs the plan leaves unanswered would cost: the estimate a planner takes to the budget
revision (APBD-P), apart from the mandatory block's shortfall (the "Kekurangan" columns).

Every unmet need group of the selection step (``unmet``: unit, status, the programmes its members
may not take, competency, ``unmet`` persons) is priced at the catalogue's ``biaya_per_peserta`` of
the cheapest non-mandatory programme its members may take that answers the competency, and put on
the first budget line that may pay that programme for the unit (unit-bound lines first, the order
the plan charges seats in). A group no catalogue programme answers is counted, not priced. This is
an estimate at catalogue prices: the plan is not recomputed with the extra money.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import workbook.plan._line_model as line_model_
import workbook.plan.lines as lines_
import workbook.plan.tables as tables_
from workbook.core.i18n import fmt_int, fmt_rupiah, t

__all__ = ["unmet_cost", "unmet_cost_sentence"]

UNMET_COST_COLUMNS = ["kode_unit", "kode_kompetensi", "unmet", "program_id", "biaya_per_peserta", "biaya", "line_id"]


def _wajib(kat: pd.DataFrame) -> np.ndarray:
    w = kat["wajib"].astype("string").fillna("").str.strip() if "wajib" in kat else pd.Series("", index=kat.index)
    return (w != "").to_numpy()


def unmet_cost(res) -> pd.DataFrame:
    """One row per unmet need group (``unmet`` > 0) with the cheapest programme that answers it
    (``program_id`` NA when none), its catalogue price, ``biaya`` = ``unmet`` × price and the
    ``line_id`` that may pay it (NA without budget lines or when no line may)."""
    um = getattr(getattr(res, "group_plan", None), "unmet", None)
    if um is None or not len(um):
        return pd.DataFrame(columns=UNMET_COST_COLUMNS)
    um = um[pd.to_numeric(um["unmet"], errors="coerce").fillna(0) > 0]
    kat = res.tables["katalog_program"].drop_duplicates("program_id")
    kat = kat[~_wajib(kat)]
    ids = kat["program_id"].astype(str).to_numpy()
    comps = [set(tables_.competency_text(c).split(", ")) for c in kat["kode_kompetensi"]]
    price = pd.to_numeric(kat["biaya_per_peserta"], errors="coerce").fillna(0.0).to_numpy(float)
    kind = dict(zip(ids, line_model_.programme_kinds(kat, res.ctx.settings), strict=True))
    bl = res.budget_lines
    lines = line_model_.lines_from_budget(bl) if bl is not None and "cakupan_unit" in bl else None
    rows = []
    for r in um.itertuples(index=False):
        barred = set(str(getattr(r, "kelas_kelayakan", "") or "").split(";"))
        ok = [i for i in range(len(ids)) if ids[i] not in barred and str(r.kode_kompetensi) in comps[i]]
        best = min(ok, key=lambda i: (price[i], ids[i])) if ok else None
        line = pd.NA
        if best is not None and lines is not None:
            pay = lines_.may_pay(lines, [str(r.kode_unit)], [kind[ids[best]]])[0]
            order = [j for j in line_model_.line_order(lines) if pay[j]]
            line = str(lines["line_id"].iloc[order[0]]) if order else pd.NA
        n = int(r.unmet)
        rows.append({"kode_unit": str(r.kode_unit), "kode_kompetensi": str(r.kode_kompetensi), "unmet": n,
                     "program_id": ids[best] if best is not None else pd.NA,
                     "biaya_per_peserta": price[best] if best is not None else np.nan,
                     "biaya": n * price[best] if best is not None else np.nan, "line_id": line})
    return pd.DataFrame(rows, columns=UNMET_COST_COLUMNS)


def unmet_cost_sentence(res, unit: str | None = None) -> str | None:
    """The estimate in one sentence (``unit``: its own unmet needs only): the needs left, their
    cost by the cheapest programme that answers them, per line, and what the "Kekurangan" columns
    measure instead (None when every need is answered)."""
    lang = res.ctx.lang
    d = unmet_cost(res)
    if unit:
        d = d[d["kode_unit"] == unit]
    if not len(d):
        return None
    priced = d[d["program_id"].notna()]
    per_line = priced.groupby(priced["line_id"].fillna("-").astype(str))["biaya"].sum()
    parts = ", ".join(t("plan.unmet_cost.line", lang, line=k, biaya=fmt_rupiah(v, lang))
                      for k, v in per_line.items() if k != "-")
    if "-" in per_line.index:
        parts = ", ".join(x for x in [parts, t("plan.unmet_cost.no_line", lang, biaya=fmt_rupiah(per_line["-"], lang))] if x)
    none = int(d.loc[d["program_id"].isna(), "unmet"].sum())
    out = t("plan.unmet_cost.sentence", lang, n=fmt_int(int(d["unmet"].sum()), lang), priced=fmt_int(int(priced["unmet"].sum()), lang),
            total=fmt_rupiah(float(priced["biaya"].sum()), lang), lines=parts or "-")
    if none:
        out += " " + t("plan.unmet_cost.unpriced", lang, n=fmt_int(none, lang))
    return out + " " + t("plan.unmet_cost.not_shortfall", lang)
