"""Presentation of result tables: translated headers, formatted numbers, suppression labels.

Compute code returns raw numbers; this module (with :mod:`workbook.core.i18n`) is the one place that
rounds and formats them for people. ``format_table(df, spec, lang)`` returns a DataFrame of strings
ready to display in a notebook, a dashboard or a report.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from workbook.core.i18n import (
    LANGS,
    catalogue,
    codes,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_rupiah,
    t,
)
from workbook.core.settings import Settings, load_settings

__all__ = ["format_table", "COLUMN_KINDS", "label", "criterion_label", "form_label", "yes_no", "written_markdown"]

#: column -> display kind: text, int, num, pct, rp, date, p (p-value), bool, form. The headers are
#: the messages ``col.<column>`` (``workbook/present/messages.yaml``); a column without one keeps
#: its name.
COLUMN_KINDS: dict[str, str] = {
    "kode_unit": "text", "nama_unit": "text", "headcount": "int", "n": "int", "share": "pct",
    "n_respondents": "int", "response_rate": "pct", "n_jp_target": "int", "n_reached": "int",
    "share_reached": "pct", "mean_jp": "num", "median_jp": "num", "dimension": "text",
    "category": "text", "file": "text", "severity": "text", "code": "text", "row": "text",
    "column": "text", "value": "text", "expected": "text", "message": "text", "status": "text",
    "jenis_jabatan": "text",
}


def criterion_label(code: object, lang: str = "id") -> str:
    """A prioritisation criterion (settings ``priorities.criteria``) in words: the message
    ``criterion.<code>``, else the code itself."""
    c = str(code)
    return t(f"criterion.{c}", lang) if c in codes("criterion") else c


def __getattr__(name: str) -> object:
    """``CRITERIA_LABELS`` (``{lang: {criterion: words}}``): a view of the ``criterion.*``
    messages, built on use."""
    if name == "CRITERIA_LABELS":
        return {lang: {c: t(f"criterion.{c}", lang) for c in codes("criterion")} for lang in LANGS}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def form_label(code: object, lang: str = "id") -> str:
    """A form of development (``bentuk``, e.g. ``pelatihan_manajerial``) in words (GLOSSARY.md):
    the message ``form.<code>``, else the code with spaces."""
    c = str(code)
    key = f"form.{c}"
    return t(key, lang) if key in catalogue() else c.replace("_", " ")


def yes_no(v: object, lang: str = "id") -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return t("bool.true" if bool(v) else "bool.false", lang)


def label(col: str, lang: str = "id") -> str:
    """The header of ``col`` in ``lang`` (message ``col.<col>``; the column name when there is none)."""
    key = f"col.{col}"
    return t(key, lang) if key in catalogue() else col


def format_table(df: pd.DataFrame, columns: list[str] | Mapping[str, str] | None = None, *, lang: str = "id",
                 settings: Settings | None = None, decimals: int = 1) -> pd.DataFrame:
    """Format ``df`` for display.

    ``columns``: the columns to show, in order, either a list (kinds from :data:`COLUMN_KINDS`)
    or a mapping column → kind. A row with ``suppressed == True`` shows its hidden cells as
    "disembunyikan (n < k)" / "suppressed (n < k)".
    """
    s = settings or load_settings()
    k = int(s["suppression.k_count"])
    hidden = t("label.suppressed", lang, k=k)
    if columns is None:
        columns = [c for c in df.columns if c not in ("suppressed", "suppression_reason")]
    kinds = dict(columns) if isinstance(columns, Mapping) else {c: COLUMN_KINDS.get(c, "text") for c in columns}
    sup = df["suppressed"].to_numpy() if "suppressed" in df else None
    out = {}
    fmt = {
        "int": lambda v: fmt_int(v, lang),
        "num": lambda v: fmt_number(v, lang, decimals),
        "pct": lambda v: fmt_percent(v, lang, min(decimals, 1)),
        "rp": lambda v: fmt_rupiah(v, lang),
        "p": lambda v: ("< " + fmt_number(0.001, lang, 3)) if isinstance(v, (int, float)) and v == v and v < 0.001
        else fmt_number(v, lang, 3),
        "date": lambda v: fmt_date(v, lang),
        "text": lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v),
        "bool": lambda v: yes_no(v, lang),
        "form": lambda v: form_label(v, lang),
    }
    for col, kind in kinds.items():
        vals = df[col].tolist()
        cells = []
        for i, v in enumerate(vals):
            missing = v is None or (isinstance(v, float) and v != v)
            if sup is not None and sup[i] and missing and kind != "text":
                cells.append(hidden)
            else:
                cells.append(fmt[kind](v))
        out[label(col, lang)] = cells
    return pd.DataFrame(out, index=range(len(df)))


def written_markdown(paths, output_dir, lang: str = "id") -> str:
    """The files a stage wrote, as a Markdown list for its chapter: paths relative to the output
    folder (a chapter is shared and downloaded from the dashboards, so no server path), and the
    files of ``restricted/`` and ``confidential/`` counted, not listed."""
    from pathlib import Path

    from workbook.core.i18n import t

    root = Path(output_dir).resolve()
    shown, hidden = [], 0
    for p in paths:
        p = Path(p).resolve()
        try:
            rel = p.relative_to(root)
        except ValueError:
            rel = Path(p.name)
        if {"restricted", "confidential"} & set(rel.parts):
            hidden += 1
        else:
            shown.append(f"- `{rel.as_posix()}`")
    if hidden:
        shown.append("- " + t("output.not_listed", lang, n=hidden))
    return "\n".join(shown)
