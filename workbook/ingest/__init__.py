"""Input: readers for CSV/XLSX/Parquet, the agency loader, and mapping presets for wide exports.

See :mod:`workbook.ingest.raw` (files → cells), :mod:`workbook.ingest.tables` (one typed table),
:mod:`workbook.ingest.mapping` (presets) and :mod:`workbook.ingest.agency` (the whole folder).
"""

from workbook.core.schema import find_table_file
from workbook.ingest.agency import Agency, load_agency
from workbook.ingest.mapping import (
    apply_mapping,
    detect_preset,
    list_presets,
    load_preset,
    read_mapped,
)
from workbook.ingest.raw import parse_date, parse_number
from workbook.ingest.tables import ReadResult, read_table, sha256_file

__all__ = [
    "Agency",
    "ReadResult",
    "read_table",
    "load_agency",
    "find_table_file",
    "parse_date",
    "parse_number",
    "sha256_file",
    "apply_mapping",
    "read_mapped",
    "load_preset",
    "list_presets",
    "detect_preset",
]
