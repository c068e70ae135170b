"""Last year's open needs in this year's inventory: :func:`merge_carry_over` reads the carry-over
file that the evaluation stage wrote (:mod:`workbook.core.carry_over`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.core.carry_over import check_carry_over
from workbook.core.checks import require_columns as _require_columns

__all__ = ["merge_carry_over"]


def merge_carry_over(
    inventory: pd.DataFrame,
    carry: pd.DataFrame,
    *,
    gaps: pd.DataFrame | None = None,
    add_missing: bool = True,
) -> pd.DataFrame:
    """Raise the priority of last year's unmet needs in this year's inventory.

    Parameters
    ----------
    inventory : pandas.DataFrame
        This year's :func:`workbook.needs.index.inventory`: ``pegawai_id``, ``kode_kompetensi``,
        ``priority`` (1 = most needed per employee) and its other columns.
    carry : pandas.DataFrame
        Last year's :func:`carry_over` (validated with :func:`check_carry_over`); may stack
        several years.
    gaps : pandas.DataFrame, optional
        This year's gaps (``pegawai_id``, ``kode_kompetensi``, ``gap``): a carried need whose
        competency is now measured at or above standard (gap ≥ 0) is *resolved* and dropped.
    add_missing : bool, default=True
        Add carried needs that are not in the inventory (e.g. a low post-test with no new
        assessment) as rows with ``shortfall_basis = "tindak_lanjut"`` and unknown scores.

    Returns
    -------
    pandas.DataFrame
        The inventory with ``priority`` renumbered, the former priority in
        ``priority_before`` (NaN for added rows), and ``carried_over`` (bool),
        ``carry_reason``, ``carry_source_year`` (earliest year the need was carried from),
        ``recommended_program_id``, ``jp_shortfall_last_year`` (bool, per employee).
        ``attrs["resolved"]``: number of carried needs dropped as resolved;
        ``attrs["added"]``: number of rows added.

    Notes
    -----
    **Rule (konvensi, tidak bersumber)**: within each employee, carried-over needs come first
    — they were identified last year and are still open, so they go ahead of new needs — in
    their previous inventory order (added rows after them, by competency code); the other
    needs follow in their previous order. Priorities are renumbered 1, 2, …. Carry-over rows
    without a competency (JP shortfall only) do not add rows; they set
    ``jp_shortfall_last_year`` on the employee's rows so the plan can favour that employee.
    """
    _require_columns(inventory, ["pegawai_id", "kode_kompetensi", "priority"], "inventory")
    c = check_carry_over(carry)
    key = ["pegawai_id", "kode_kompetensi"]
    inv = inventory.copy()
    inv["pegawai_id"] = inv["pegawai_id"].astype("str")
    inv["kode_kompetensi"] = inv["kode_kompetensi"].astype("str")
    jp_people = set(c.loc[c["reason"].str.contains("jp_kurang"), "pegawai_id"])
    comp = c.loc[c["kode_kompetensi"].notna()]
    comp = (
        comp.sort_values(["source_year"], kind="stable")
        .groupby(key, sort=True)
        .agg(
            carry_reason=("reason", lambda r: ";".join(dict.fromkeys(";".join(r).split(";")))),
            carry_source_year=("source_year", "min"),
            recommended_program_id=("recommended_program_id", "last"),
        )
        .reset_index()
    )
    resolved = 0
    if gaps is not None:
        _require_columns(gaps, ["pegawai_id", "kode_kompetensi", "gap"], "gaps")
        gm = pd.DataFrame(
            {
                "pegawai_id": gaps["pegawai_id"].astype("str").to_numpy(),
                "kode_kompetensi": gaps["kode_kompetensi"].astype("str").to_numpy(),
                "_gap": pd.to_numeric(gaps["gap"], errors="coerce").to_numpy(),
            }
        )
        comp = comp.merge(gm.drop_duplicates(key), on=key, how="left")
        ok = ~(comp["_gap"] >= 0)
        resolved = int((~ok).sum())
        comp = comp.loc[ok].drop(columns="_gap")
    inv = inv.drop(
        columns=[
            x
            for x in ("carry_reason", "carry_source_year", "recommended_program_id")
            if x in inv.columns
        ]
    )
    merged = inv.merge(comp, on=key, how="left", indicator=True)
    merged["carried_over"] = merged["_merge"] == "both"
    merged = merged.drop(columns="_merge")
    merged["priority_before"] = pd.to_numeric(merged["priority"], errors="coerce").astype(float)
    added = 0
    if add_missing:
        extra = comp.merge(inv[key], on=key, how="left", indicator=True)
        extra = extra.loc[extra["_merge"] == "left_only"].drop(columns="_merge")
        added = len(extra)
        if added:
            extra = extra.assign(carried_over=True, priority_before=np.nan)
            if "shortfall_basis" in merged.columns:
                extra["shortfall_basis"] = "tindak_lanjut"
            merged = pd.concat([merged, extra], ignore_index=True)
    merged["_added"] = merged["priority_before"].isna()
    merged = merged.sort_values(
        ["pegawai_id", "carried_over", "_added", "priority_before", "kode_kompetensi"],
        ascending=[True, False, True, True, True],
        na_position="last",
        kind="stable",
    )
    merged["priority"] = merged.groupby("pegawai_id").cumcount().astype("int64") + 1
    merged["jp_shortfall_last_year"] = merged["pegawai_id"].isin(jp_people)
    merged["carried_over"] = merged["carried_over"].astype(bool)
    merged["carry_source_year"] = merged["carry_source_year"].astype("Int64")
    for col in ("carry_reason", "recommended_program_id"):
        merged[col] = merged[col].astype("str")
    if "shortfall_basis" in merged.columns:
        merged["shortfall_basis"] = merged["shortfall_basis"].astype("str")
    out = merged.drop(columns="_added").reset_index(drop=True)
    out.attrs = dict(inventory.attrs)
    out.attrs["output_class"] = "restricted"
    out.attrs["resolved"] = resolved
    out.attrs["added"] = added
    return out
