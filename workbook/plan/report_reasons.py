"""Tabel 3.3 of the plan chapter (why each programme is in the plan or out), the unit report's
reasons for the programmes answering the unit's needs that got fewer seats, and the helpers
the plan chapters share: the per-person plan's seats (:func:`plan_rows`), the budget-line table
(:func:`line_table`) and the mandatory-first block order of a table (:func:`wajib_first`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import workbook.plan.lines as lines_
import workbook.plan.report_words as rw_
import workbook.plan.tables as tables_
from workbook.core.i18n import fmt_int, t
from workbook.plan import words
from workbook.plan.stage import PlanResult
from workbook.present.format import format_table

__all__ = ["plan_rows", "line_table", "components", "wajib_first", "explanations_table", "unit_reasons_table"]


def plan_rows(res: PlanResult, unit: str | None = None) -> pd.DataFrame:
    """The per-person plan's seats that will happen (the one basis of every figure), restricted to
    the staff of ``unit`` for a unit report."""
    a = tables_.planned_rows(res.assignment.assignments)
    return a[a["kode_unit"].astype(str) == unit] if unit else a


def line_table(res: PlanResult) -> pd.DataFrame:
    """:func:`tables.budget_line_table` of the whole plan, with each line's ``sub_kegiatan`` from
    ``anggaran`` when the stored lines lack it."""
    bl = res.budget_lines
    if bl is not None and ("sub_kegiatan" not in bl or not bl["sub_kegiatan"].astype(str).str.strip().any()):
        ang = res.tables.get("anggaran") if isinstance(res.tables, dict) else None
        if ang is not None and "sub_kegiatan" in ang:
            sub = lines_.budget_lines(ang).set_index("line_id")["sub_kegiatan"]
            bl = bl.assign(sub_kegiatan=bl["line_id"].astype(str).map(sub).fillna(""))
    return tables_.budget_line_table(bl, plan_rows(res), res.mandatory_lines, components(res))


def components(res: PlanResult) -> pd.DataFrame | None:
    """The mandatory seats' komponen_biaya charged to their payers' lines (None without them)."""
    return getattr(res, "components", None)


def wajib_first(out: pd.DataFrame, wajib: pd.Series | np.ndarray, lang: str, *, label_col: int = 1,
                n_tail: int = 0) -> pd.DataFrame:
    """A formatted table with its mandatory rows first, as a block headed "Pelatihan wajib", then
    the other programmes under "Program lain" (order inside each block kept); the last ``n_tail``
    rows (a total) stay last. Without mandatory rows the table is returned unchanged."""
    body, tail = (out.iloc[:-n_tail], out.iloc[-n_tail:]) if n_tail else (out, out.iloc[:0])
    w = np.asarray(wajib, dtype=bool)[:len(body)]
    if not w.any():
        return out

    def head(key: str) -> pd.DataFrame:
        row = [""] * out.shape[1]
        row[label_col] = t(key, lang)
        return pd.DataFrame([row], columns=out.columns)

    parts = [head("plan.words.block_wajib"), body[w]]
    if (~w).any():
        parts += [head("plan.words.block_other"), body[~w]]
    return pd.concat([*parts, tail], ignore_index=True)


def explanations_table(res: PlanResult) -> pd.DataFrame:
    """The selection step (exact choice per budget line), reconciled with the per-person plan:
    seats chosen by the optimisation, mandatory seats, top-up seats for 20 JP and the plan's total."""
    lang = res.ctx.lang
    col = "alasan" if lang == "id" else "reason_en"
    # the reason in words; a selected programme's persons from the per-person plan
    ex = rw_.name_competencies(rw_.placed_groups(res.group_plan.explanations, plan_rows(res)), res, lang)
    ex = words.explanations_sheet(ex).reset_index(drop=True)
    fig = tables_.plan_figures(plan_rows(res), ["program_id"]).set_index("program_id")
    extra = fig.index.difference(ex["program_id"])  # mandatory programmes: outside the optimisation
    if len(extra):
        names = plan_rows(res).drop_duplicates("program_id").set_index("program_id")
        kat = res.tables["katalog_program"].astype({"program_id": str}).drop_duplicates("program_id")
        kat = kat.set_index("program_id")["nama_program"]
        ex = pd.concat([ex, pd.DataFrame({"program_id": list(extra), "selected": False, "participants": 0,
                                          "nama_program": [kat.get(p_, p_) for p_ in extra], col: ""})],
                       ignore_index=True)
        del names
    for c in ("seats_rencana", "seats_wajib", "seats_tambahan", "seats"):
        ex[c] = ex["program_id"].map(fig[c]).fillna(0).astype("int64")
    left = line_table(res).query("line_id != 'JUMLAH'").set_index("line_id")["sisa"]
    for i, r in ex.iterrows():  # not chosen by the optimisation, but in the plan: say how
        if not bool(r["selected"]) and r["seats"] == 0 and str(r.get("reason", "")).startswith("budget"):
            # lost to a cheaper place with fewer JP for lack of money: say so, with the figures
            ex.at[i, col] = str(r[col]) + rw_.served_by_cheaper(res, str(r["program_id"]), plan_rows(res), left, lang)
        if not bool(r["selected"]) and r["seats_wajib"] > 0:
            ex.at[i, col] = t("plan.oneplan.in_plan_wajib", lang, n=fmt_int(r["seats_wajib"], lang))
        elif not bool(r["selected"]) and r["seats_tambahan"] > 0:
            ex.at[i, col] = t("plan.oneplan.in_plan_top_up", lang, n=fmt_int(r["seats_tambahan"], lang),
                              reason=r[col])
    ex["program_id"] = rw_.code_cells(ex["program_id"])
    out = format_table(ex, {"program_id": "text", "nama_program": "text", "participants": "int",
                            "seats_rencana": "int", "seats_wajib": "int", "seats_tambahan": "int", "seats": "int", col: "text"}, lang=lang)
    out.columns = [t("plan.col.code", lang), t("plan.col.programme", lang), t("plan.col.selected_seats", lang),
                   t("plan.col.placed_seats", lang), t("plan.col.wajib_seats", lang), t("plan.col.top_up_seats", lang), t("plan.col.plan_seats", lang),
                   t("plan.col.reason", lang)]
    return wajib_first(out, (ex["seats_wajib"] > 0).to_numpy(), lang)


def _unit_need(res, unit: str, comps: dict[str, set[str]], frame: pd.DataFrame, col: str) -> pd.Series:
    """Per programme: Σ ``col`` of ``unit``'s need groups in ``frame`` that it answers (a
    competency of the programme, and not among the programmes the group may not take)."""
    g = frame[frame["kode_unit"].astype(str) == unit]
    out = {}
    for pid, cs in comps.items():
        barred = [pid in str(k).split(";") for k in g["kelas_kelayakan"]] if "kelas_kelayakan" in g else [False] * len(g)
        hit = g["kode_kompetensi"].astype(str).isin(cs).to_numpy() & ~np.asarray(barred, dtype=bool)
        out[pid] = float(pd.to_numeric(g.loc[hit, col], errors="coerce").fillna(0).sum())
    return pd.Series(out, dtype=float)


def unit_reasons_table(res: PlanResult, unit: str) -> pd.DataFrame | None:
    """For a unit report: the programmes that answer the unit's needs but got no place for its
    staff, or fewer than its needs while some of them stay unanswered, with the reason — the
    agency's reason for the programme (Tabel 3.3's words) restricted to the unit's rows (None when
    there is none)."""
    lang = res.ctx.lang
    col = "alasan" if lang == "id" else "reason_en"
    kat = res.tables["katalog_program"].drop_duplicates("program_id")
    wajib = kat["wajib"].astype("string").fillna("").str.strip() != "" if "wajib" in kat else pd.Series(False, index=kat.index)
    kat = kat[~wajib.to_numpy()]
    comps = {str(p): set(tables_.competency_text(c).split(", ")) for p, c in zip(kat["program_id"], kat["kode_kompetensi"], strict=True)}
    need = _unit_need(res, unit, comps, res.groups, "n_need")
    unmet_frame = res.group_plan.unmet
    open_ = _unit_need(res, unit, comps, unmet_frame, "unmet")
    rows_u = plan_rows(res, unit)
    seats = rows_u["program_id"].astype(str).value_counts()
    ex = rw_.name_competencies(rw_.placed_groups(res.group_plan.explanations, rows_u), res, lang)
    ex = words.explanations_sheet(ex).set_index(ex["program_id"].astype(str))
    left = line_table(res).query("line_id != 'JUMLAH'").set_index("line_id")["sisa"]
    u_open = unmet_frame[unmet_frame["kode_unit"].astype(str) == unit]
    out = []
    for pid in need.index[need > 0]:
        n_seats = int(seats.get(pid, 0))
        if pid not in ex.index or (n_seats > 0 and (n_seats >= need[pid] or open_.get(pid, 0) <= 0)):
            continue
        r = ex.loc[pid]
        if n_seats == 0 and (bool(r["selected"]) or str(r["reason"]) == "refill"):
            why = t("plan.unit_reasons.selected_elsewhere", lang)
        elif n_seats == 0:
            why = str(r[col])
            if str(r["reason"]).startswith("budget"):
                why += rw_.served_by_cheaper(res, pid, rows_u, left, lang)
        else:
            hit = u_open[u_open["kode_kompetensi"].astype(str).isin(comps[pid])]
            code = hit.groupby("reason")["unmet"].sum().idxmax() if len(hit) else ""
            why = t("plan.unit_reasons.fewer", lang, n=fmt_int(int(open_[pid]), lang),
                    reason=words.reason_text(code, lang) or "-")
        out.append({"program_id": pid, "nama_program": str(r["nama_program"]), "need": int(need[pid]),
                    "seats": n_seats, col: why})
    if not out:
        return None
    d = pd.DataFrame(out).sort_values(["seats", "need"], ascending=[True, False], kind="stable")
    tab = format_table(d, {"program_id": "text", "nama_program": "text", "need": "int", "seats": "int", col: "text"},
                       lang=lang)
    tab.columns = [t("plan.col.code", lang), t("plan.col.programme", lang), t("plan.unit_reasons.col.need", lang),
                   t("plan.col.seats_in_plan_unit", lang), t("plan.col.reason", lang)]
    return tab.reset_index(drop=True)
