"""Rencana Pembinaan ASN — a workbook for the yearly competency-development cycle of Indonesian
civil servants: needs analysis (AKPK), prioritisation, plan, evaluation and follow-up.
"""

from workbook.exceptions import (  # noqa: F401
    DataError,
    InconsistentJudgementsError,
    InfeasibleError,
    Problem,
    SchemaError,
    SettingsError,
    WorkbookError,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "WorkbookError",
    "DataError",
    "SchemaError",
    "SettingsError",
    "InconsistentJudgementsError",
    "InfeasibleError",
    "Problem",
]
