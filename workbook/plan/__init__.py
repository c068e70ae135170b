"""Stage 02 — programmes, priorities and the yearly plan.

The public names of the stage's kernels, importable from here (``workbook.plan.plan_groups``)
or from the module that defines them:

- :mod:`~workbook.plan.mcda` — USG, SAW, TOPSIS, agreement between methods, weight sensitivity;
- :mod:`~workbook.plan.ahp` — criterion weights from pairwise judgements;
- :mod:`~workbook.plan.budget` — selection within the budget, probability of being funded;
- :mod:`~workbook.plan.catalogue` — JP per programme (LAN conversion);
- :mod:`~workbook.plan.groups` — need groups, candidate programmes, the group-level plan (MILP);
- :mod:`~workbook.plan.people` — people on the planned seats;
- :mod:`~workbook.plan.top_up` — the person-level top-up towards the JP minimum;
- :mod:`~workbook.plan.calendar` — the month-by-month schedule;
- :mod:`~workbook.plan.talent` — mentoring pairs, the 9-box talent pool;
- :mod:`~workbook.plan.tables` — the Pasal 207 plan table, IDPs, budget by unit, JP coverage;
- :mod:`~workbook.plan.common` — the statuses owed the JP minimum and the reason codes;
- :mod:`~workbook.plan.words` — the words of every code the kernels write (id, en).

The runner is :mod:`workbook.plan.stage`, the presentation :mod:`workbook.plan.report` (neither
is imported here).
"""

from __future__ import annotations

from workbook.plan import tables, words
from workbook.plan._highs import quiet_c_output
from workbook.plan.ahp import AHPResult, ahp
from workbook.plan.budget import funding_probability, greedy_within_budget, select_within_budget
from workbook.plan.calendar import schedule
from workbook.plan.catalogue import programme_jp
from workbook.plan.common import JP_OWED_STATUS, REASON_CODES
from workbook.plan.groups import GroupPlan, candidate_programmes, need_groups, plan_groups
from workbook.plan.mcda import method_agreement, saw, topsis, usg, weight_sensitivity
from workbook.plan.people import PersonAssignment, assign_people
from workbook.plan.tables import (
    PLAN_TABLE_COLUMNS_EN,
    budget_by_unit,
    individual_plans,
    jp_coverage,
    plan_table,
)
from workbook.plan.talent import (
    JABATAN_RANK,
    JENJANG_RANK,
    LEADERSHIP_LADDER,
    NINE_BOX,
    mentoring_pairs,
    talent_pool,
)
from workbook.plan.top_up import TAHAP, top_up_people

__all__ = [
    # priorities
    "AHPResult",
    "usg",
    "saw",
    "topsis",
    "ahp",
    "method_agreement",
    "weight_sensitivity",
    "funding_probability",
    "greedy_within_budget",
    "select_within_budget",
    # the plan
    "GroupPlan",
    "PersonAssignment",
    "LEADERSHIP_LADDER",
    "JABATAN_RANK",
    "JENJANG_RANK",
    "JP_OWED_STATUS",
    "NINE_BOX",
    "PLAN_TABLE_COLUMNS_EN",
    "JENIS_KOMPETENSI_LABEL",
    "REASONS",
    "REASON_CODES",
    "programme_jp",
    "quiet_c_output",
    "need_groups",
    "candidate_programmes",
    "plan_groups",
    "assign_people",
    "top_up_people",
    "TAHAP",
    "schedule",
    "mentoring_pairs",
    "talent_pool",
    "plan_table",
    "individual_plans",
    "budget_by_unit",
    "jp_coverage",
]


def __getattr__(name: str):
    """``REASONS`` (the words of the reason codes) and ``JENIS_KOMPETENSI_LABEL`` are views of the
    catalogue, built on use."""
    if name == "REASONS":
        return words.REASONS
    if name == "JENIS_KOMPETENSI_LABEL":
        return tables.JENIS_KOMPETENSI_LABEL
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
