"""Rencana Pembinaan ASN — a workbook for the yearly competency-development cycle of Indonesian
civil servants: needs analysis (AKPK), prioritisation, plan, evaluation and follow-up.

The public API is listed in ``__all__``; heavy modules load on first use (``workbook.run_needs``
imports scikit-learn only when called), so ``import workbook`` stays fast for the CLI.

>>> import workbook
>>> workbook.load_settings()["jp.minimum_pns"]
20
"""

from __future__ import annotations

import importlib
from typing import Any

from workbook.core.exceptions import (
    DataError,
    InconsistentJudgementsError,
    InfeasibleError,
    Problem,
    SchemaError,
    SettingsError,
    WorkbookError,
)
from workbook.core.version import __version__

# public name -> module that defines it
_LAZY = {
    "load_settings": "workbook.core.settings",
    "open_context": "workbook.core.context",
    "load_agency": "workbook.ingest",
    "read_table": "workbook.ingest",
    "validate": "workbook.ingest.validate",
    "generate_agency": "workbook.sample",
    "write_agency": "workbook.sample",
    "suppress_table": "workbook.core.suppression",
    "run_data_check": "workbook.pipeline",
    "run_needs": "workbook.pipeline",
    "run_plan": "workbook.pipeline",
    "run_evaluation": "workbook.pipeline",
    "NeedProfiles": "workbook.needs.profiles",
    "competency_gaps": "workbook.needs.gaps",
    "jpm": "workbook.needs.gaps",
    "need_index": "workbook.needs.index",
    "usg": "workbook.plan.mcda",
    "saw": "workbook.plan.mcda",
    "topsis": "workbook.plan.mcda",
    "ahp": "workbook.plan.ahp",
    "select_within_budget": "workbook.plan.budget",
    "plan_groups": "workbook.plan.groups",
    "paired_prepost": "workbook.evaluation.levels",
    "effect_sizes": "workbook.evaluation.levels",
    "adjust_pvalues": "workbook.evaluation.levels",
    "normalized_gain": "workbook.evaluation.levels",
    "did": "workbook.evaluation.impact",
}

# pylint: disable=duplicate-code  # re-exports: the names repeat those of their modules
__all__ = [
    "__version__",
    "WorkbookError",
    "DataError",
    "SchemaError",
    "SettingsError",
    "InconsistentJudgementsError",
    "InfeasibleError",
    "Problem",
    *_LAZY,
]
# pylint: enable=duplicate-code


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'workbook' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
