"""Presentation of result tables: translated headers, formatted numbers, suppression labels.

Compute code returns raw numbers; this module (with :mod:`workbook.i18n`) is the one place that
rounds and formats them for people. ``format_table(df, spec, lang)`` returns a DataFrame of strings
ready to display in a notebook, a dashboard or a report.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from workbook.i18n import fmt_date, fmt_int, fmt_number, fmt_percent, fmt_rupiah
from workbook.settings import Settings, load_settings

__all__ = ["format_table", "COLUMN_LABELS", "label"]

# column: (Indonesian, English, kind)  kind in text, int, num, pct, rp, date, p (p-value)
COLUMN_LABELS: dict[str, tuple[str, str, str]] = {
    "kode_unit": ("Kode unit", "Unit code", "text"),
    "nama_unit": ("Unit kerja", "Work unit", "text"),
    "headcount": ("Jumlah pegawai", "Employees", "int"),
    "n": ("Jumlah", "Count", "int"),
    "share": ("Persentase", "Share", "pct"),
    "n_respondents": ("Responden survei", "Survey respondents", "int"),
    "response_rate": ("Tingkat respons", "Response rate", "pct"),
    "n_jp_target": ("Pegawai dengan hak 20 JP", "Staff owed 20 JP", "int"),
    "n_reached": ("Mencapai target JP", "Reached JP target", "int"),
    "share_reached": ("% mencapai target JP", "% reaching JP target", "pct"),
    "mean_jp": ("Rata-rata JP", "Mean JP", "num"),
    "median_jp": ("Median JP", "Median JP", "num"),
    "dimension": ("Dimensi", "Dimension", "text"),
    "category": ("Kategori", "Category", "text"),
    "file": ("Berkas", "File", "text"),
    "severity": ("Tingkat", "Severity", "text"),
    "code": ("Kode masalah", "Problem code", "text"),
    "row": ("Baris", "Row", "text"),
    "column": ("Kolom", "Column", "text"),
    "value": ("Nilai", "Value", "text"),
    "expected": ("Yang diharapkan", "Expected", "text"),
    "message": ("Pesan", "Message", "text"),
    "status": ("Status", "Status", "text"),
    "jenis_jabatan": ("Jenis jabatan", "Position type", "text"),
}


def label(col: str, lang: str = "id") -> str:
    entry = COLUMN_LABELS.get(col)
    if entry is None:
        return col
    return entry[0] if lang == "id" else entry[1]


def format_table(df: pd.DataFrame, columns: list[str] | Mapping[str, str] | None = None, *, lang: str = "id",
                 settings: Settings | None = None, decimals: int = 1) -> pd.DataFrame:
    """Format ``df`` for display.

    ``columns``: the columns to show, in order, either a list (kinds from :data:`COLUMN_LABELS`)
    or a mapping column → kind. A row with ``suppressed == True`` shows its hidden cells as
    "disembunyikan (n < k)" / "suppressed (n < k)".
    """
    s = settings or load_settings()
    k = int(s["suppression.k_count"])
    hidden = "disembunyikan (n < {k})" if lang == "id" else "suppressed (n < {k})"
    if columns is None:
        columns = [c for c in df.columns if c not in ("suppressed", "suppression_reason")]
    kinds = dict(columns) if isinstance(columns, Mapping) else {c: COLUMN_LABELS.get(c, (c, c, "text"))[2] for c in columns}
    sup = df["suppressed"].to_numpy() if "suppressed" in df else None
    out = {}
    fmt = {
        "int": lambda v: fmt_int(v, lang),
        "num": lambda v: fmt_number(v, lang, decimals),
        "pct": lambda v: fmt_percent(v, lang, decimals),
        "rp": lambda v: fmt_rupiah(v, lang),
        "p": lambda v: ("< " + fmt_number(0.001, lang, 3)) if isinstance(v, (int, float)) and v == v and v < 0.001
        else fmt_number(v, lang, 3),
        "date": lambda v: fmt_date(v, lang),
        "text": lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v),
    }
    for col, kind in kinds.items():
        vals = df[col].tolist()
        cells = []
        for i, v in enumerate(vals):
            missing = v is None or (isinstance(v, float) and v != v)
            if sup is not None and sup[i] and missing and kind != "text":
                cells.append(hidden.format(k=k))
            else:
                cells.append(fmt[kind](v))
        out[label(col, lang)] = cells
    return pd.DataFrame(out, index=range(len(df)))
