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

from workbook.exceptions import (
    DataError,
    InconsistentJudgementsError,
    InfeasibleError,
    Problem,
    SchemaError,
    SettingsError,
    WorkbookError,
)

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "load_settings": "workbook.settings",
    "open_context": "workbook.context",
    "load_agency": "workbook.io",
    "read_table": "workbook.io",
    "validate": "workbook.validate",
    "generate_agency": "workbook.sample",
    "write_agency": "workbook.sample",
    "suppress_table": "workbook.suppression",
    "run_data_check": "workbook.datacheck",
    "run_needs": "workbook.stage_needs",
    "run_plan": "workbook.stage_plan",
    "run_evaluation": "workbook.stage_evaluation",
    "NeedProfiles": "workbook.profiles",
    "competency_gaps": "workbook.needs",
    "jpm": "workbook.needs",
    "need_index": "workbook.needs",
    "usg": "workbook.priorities",
    "saw": "workbook.priorities",
    "topsis": "workbook.priorities",
    "ahp": "workbook.priorities",
    "select_within_budget": "workbook.priorities",
    "plan_groups": "workbook.plan",
    "paired_prepost": "workbook.evaluation",
    "effect_sizes": "workbook.evaluation",
    "adjust_pvalues": "workbook.evaluation",
    "normalized_gain": "workbook.evaluation",
    "did": "workbook.impact",
}

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'workbook' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
