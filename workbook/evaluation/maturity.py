"""Where the agency's development programme stands: the merit-index ladder and last year beside this.

* :func:`maturity_ladder` — the merit-index ladder of the competency development programme (0–4)
  [S20];
* :func:`compare_years` — this year's evaluation or coverage results beside last year's.

The method note is ``docs/methods/evaluation.md`` (sections *Maturity ladder* and *Year-on-year
comparison*).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbook.core.checks import require_columns as _require_columns
from workbook.core.exceptions import DataError

__all__ = ["FOLLOWUP_STATES", "ACTION_STATUSES", "ACTION_COLUMNS", "recorded_actions",
           "maturity_ladder", "compare_years"]


#: ``followup_state`` codes of :func:`maturity_ladder`: no follow-up list; a list of staff still
#: below standard exists but no action is recorded; actions recorded, all still planned; actions
#: recorded with at least one under way or done (only this reaches the top step)
FOLLOWUP_STATES: tuple[str, ...] = ("none", "listed_not_recorded", "planned_only", "recorded")
#: ``status`` values of a recorded follow-up action
ACTION_STATUSES: tuple[str, ...] = ("rencana", "berjalan", "selesai")
#: what a recorded action must name: what, who, when, and its status
ACTION_COLUMNS: tuple[str, ...] = ("tindakan", "penanggung_jawab", "tanggal", "status")


def recorded_actions(actions: pd.DataFrame | None) -> pd.DataFrame:
    """The follow-up actions that are recorded: ``tindakan`` (what), ``penanggung_jawab`` (who),
    ``tanggal`` (when) filled and ``status`` one of :data:`ACTION_STATUSES` (case-insensitive).

    None or a table without these columns gives an empty frame (nothing recorded).
    """
    if actions is None or not isinstance(actions, pd.DataFrame) or not len(actions):
        return pd.DataFrame(columns=list(ACTION_COLUMNS))
    if not set(ACTION_COLUMNS) <= set(actions.columns):
        return pd.DataFrame(columns=list(ACTION_COLUMNS))
    a = actions.copy()
    a["status"] = a["status"].astype("str").str.strip().str.lower()
    filled = pd.Series(True, index=a.index)
    for c in ("tindakan", "penanggung_jawab", "tanggal"):
        filled &= a[c].notna() & (a[c].astype("str").str.strip() != "")
    return a[filled & a["status"].isin(ACTION_STATUSES)].reset_index(drop=True)


def maturity_ladder(
    has_plan: bool,
    has_implementation: bool,
    has_evaluation: bool,
    followup_listed: bool,
    actions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Merit-index ladder score (0–4) of the competency development programme.

    Parameters
    ----------
    has_plan, has_implementation, has_evaluation : bool
        A plan document exists; development was carried out; the programme was evaluated.
    followup_listed : bool
        A follow-up list exists (staff still below standard). On its own it does **not** reach
        step 4.
    actions : DataFrame, optional
        Follow-up actions recorded by the agency: ``tindakan``, ``penanggung_jawab``,
        ``tanggal``, ``status`` (:data:`ACTION_STATUSES`); see :func:`recorded_actions`.

    Returns
    -------
    pandas.DataFrame
        One row: ``score`` (0–4; the step's words and the next step are
        :data:`workbook.evaluation.words.MATURITY_LADDER` and ``NEXT_STEPS``), ``gap_in_chain``
        (a later step is documented while an earlier one is not: it does not count),
        ``followup_state`` (:data:`FOLLOWUP_STATES`), ``n_actions`` (recorded actions),
        ``n_actions_planned``, ``n_actions_ongoing``, ``n_actions_done`` (by status).

    Notes
    -----
    Ladder of the ASN merit-index self-assessment [S20] (DOMAIN.md §1.4): 0 no plan document;
    1 plan document exists; 2 + development carried out per the plan; 3 + evaluation of the
    programme; 4 + follow-up on the evaluation **done**. Each level requires the ones below, so the
    score is the number of consecutive steps met from the plan upwards. Step 4 needs evidence an
    assessor can ask for (review W12; DOMAIN.md §2.5: "list follow-up actions … with status"):
    at least one recorded action (what, who, when) whose status is ``berjalan`` or ``selesai``.
    A list of staff to follow up, or actions that are only planned, leave the score at 3.

    Examples
    --------
    >>> int(maturity_ladder(True, True, True, False)["score"].iloc[0])
    3
    >>> int(maturity_ladder(True, True, True, True)["score"].iloc[0])  # a list is not an action
    3
    """
    steps = [has_plan, has_implementation, has_evaluation, followup_listed]
    names = ["has_plan", "has_implementation", "has_evaluation", "followup_listed"]
    for name, v in zip(names, steps, strict=True):
        if not isinstance(v, (bool, np.bool_)):
            raise DataError(
                f"'{name}' harus True atau False, bukan {v!r}.",
                f"'{name}' must be True or False, not {v!r}.",
                column=name,
                value=v,
            )
    rec = recorded_actions(actions)
    counts = {st: int((rec["status"] == st).sum()) for st in ACTION_STATUSES}
    acted = counts["berjalan"] + counts["selesai"] > 0
    if acted:
        state = "recorded"
    elif len(rec):
        state = "planned_only"
    elif followup_listed:
        state = "listed_not_recorded"
    else:
        state = "none"
    met = [bool(has_plan), bool(has_implementation), bool(has_evaluation), acted]
    score = 0
    for v in met:
        if not v:
            break
        score += 1
    gap = any(met[score:])
    return pd.DataFrame([{
        "score": score, "gap_in_chain": gap, "followup_state": state, "n_actions": len(rec),
        "n_actions_planned": counts["rencana"], "n_actions_ongoing": counts["berjalan"],
        "n_actions_done": counts["selesai"],
    }])


_KEY_CANDIDATES = ("program_id", "kode_unit", "aspect", "indikator", "kode_kompetensi", "reason")
_MEASURES = (
    "n",
    "mean",
    "pct_of_max",
    "share_recommend",
    "pre_mean_pct",
    "post_mean_pct",
    "mean_diff",
    "g_z",
    "g_class",
    "g_individual_mean",
    "ngain_pct",
    "p_adj",
    "mean_before",
    "mean_after",
    "before",
    "after",
    "change",
    "n_reached",
    "share_reached",
    "jp_total",
    "jp_mean",
    "share",
)


def compare_years(
    current: pd.DataFrame,
    previous: pd.DataFrame | None,
    *,
    key: Sequence[str] | None = None,
    measures: Sequence[str] | None = None,
    year_current: int | None = None,
    year_previous: int | None = None,
) -> pd.DataFrame:
    """This year's results beside last year's (L2, L1, coverage…), in long form.

    Parameters
    ----------
    current, previous : pandas.DataFrame
        The same kind of result for two years (e.g. :func:`workbook.evaluation.levels.level2`, or JP
        coverage by unit). ``previous`` None (no artefact from last year): the result has the
        current values only and ``attrs["message_id"]``/``attrs["message_en"]`` say so.
    key : sequence of str, optional
        Columns identifying a row; default: those of ``program_id``, ``kode_unit``, ``aspect``,
        ``indikator``, ``kode_kompetensi``, ``reason`` present in ``current``.
    measures : sequence of str, optional
        Numeric columns to compare; default: the common result columns (``n``, ``g_z``,
        ``ngain_pct``, ``pct_of_max``, ``share_reached``, …) present in ``current``.
    year_current, year_previous : int, optional
        Stored in the ``year_current`` / ``year_previous`` columns.

    Returns
    -------
    pandas.DataFrame
        One row per key × measure: the key columns, ``measure``, ``current``, ``previous``,
        ``change`` (current − previous; NaN unless both exist), ``in_current``, ``in_previous``
        and, when given, ``year_current``, ``year_previous``. Programmes or units that exist in
        only one year are kept.
    """
    _require_columns(current, [], "current")
    key = list(key) if key is not None else [c for c in _KEY_CANDIDATES if c in current.columns]
    if not key:
        raise DataError(
            "Tidak ada kolom kunci (mis. program_id, kode_unit) untuk membandingkan tahun.",
            "No key column (e.g. program_id, kode_unit) to compare years on.",
            expected=", ".join(_KEY_CANDIDATES),
        )
    _require_columns(current, key, "current")
    if measures is None:
        measures = [
            m
            for m in _MEASURES
            if m in current.columns
            and pd.api.types.is_numeric_dtype(current[m])
            and not pd.api.types.is_bool_dtype(current[m])
        ]
    measures = list(measures)
    _require_columns(current, measures, "current")

    def longify(df: pd.DataFrame, name: str) -> pd.DataFrame:
        cols = [m for m in measures if m in df.columns]
        d = df[key + cols].copy()
        for k in key:
            d[k] = d[k].astype("str")
        for m in cols:
            d[m] = pd.to_numeric(d[m], errors="coerce").astype("float64")
        long = d.melt(id_vars=key, value_vars=cols, var_name="measure", value_name=name)
        long["measure"] = long["measure"].astype("str")
        return long

    cur = longify(current, "current")
    msg_id = msg_en = ""
    if previous is None:
        out = cur.assign(previous=np.nan)
        msg_id = "Hasil tahun sebelumnya tidak tersedia; perbandingan antartahun dilewati."
        msg_en = "Last year's results are not available; the year-on-year comparison is skipped."
        out["in_previous"] = False
        out["in_current"] = True
    else:
        _require_columns(previous, key, "previous")
        prev = longify(previous, "previous")
        out = cur.merge(prev, on=key + ["measure"], how="outer", indicator=True)
        out["in_current"] = out["_merge"] != "right_only"
        out["in_previous"] = out["_merge"] != "left_only"
        out = out.drop(columns="_merge")
    out["change"] = out["current"] - out["previous"]
    order = {m: i for i, m in enumerate(measures)}
    out["_o"] = out["measure"].map(order)
    out = out.sort_values(key + ["_o"], kind="stable").drop(columns="_o")
    cols = key + ["measure", "current", "previous", "change", "in_current", "in_previous"]
    out = out[cols].reset_index(drop=True)
    if year_current is not None:
        out["year_current"] = int(year_current)
    if year_previous is not None:
        out["year_previous"] = int(year_previous)
    out.attrs["message_id"] = msg_id
    out.attrs["message_en"] = msg_en
    return out
