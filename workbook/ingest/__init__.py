"""Input: readers for CSV/XLSX/Parquet, the agency loader, and mapping presets for wide exports.

See :mod:`workbook.ingest.readers` and :mod:`workbook.ingest.mapping`.
"""

from workbook.ingest.mapping import (
    apply_mapping,
    detect_preset,
    list_presets,
    load_preset,
    read_mapped,
)
from workbook.ingest.readers import (
    Agency,
    ReadResult,
    find_table_file,
    load_agency,
    parse_date,
    parse_number,
    read_table,
    sha256_file,
)

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
