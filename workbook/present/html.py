"""Shared HTML building blocks of the pages (dashboards, upload page): no widgets; text in, text
out.

- :data:`CSS` — the one style sheet of the pages (classes ``wb-*``);
- :class:`Headline`, :class:`ChartData` and :class:`Content` — what a page shows, as plain data;
- :func:`cards_html`, :func:`msgs_html` — headline cards and friendly messages;
- :func:`bar_svg` — a horizontal bar chart as inline SVG (no plotting library in the kernel).

Every text is escaped here; callers pass plain strings in the viewer's language.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.core.i18n import fmt_number, fmt_percent

__all__ = ["CSS", "GREEN", "AMBER", "GREY", "BLUE", "DARK", "Headline", "ChartData", "Content",
           "shorten", "value_class", "cards_html", "msgs_html", "bar_svg"]

#: bar colours: significant and meaningful, meaningful only, not established; plain bar, highlight
GREEN, AMBER, GREY, BLUE, DARK = "#1E8449", "#F5B041", "#AEB6BF", "#2E86C1", "#1F4E79"

CSS = """<style>
.wb-page{font-family:"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1B2631;max-width:1200px;line-height:1.35}
.wb-page a{color:#1F4E79}
.wb-head h1{font-size:1.6em;margin:.2em 0 .1em 0;font-weight:600}
.wb-head .wb-sub{color:#5D6D7E;margin:0 0 .4em 0}
.wb-cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 4px 0}
.wb-card{flex:1 1 200px;background:#F4F6F7;border-left:5px solid #1F4E79;border-radius:6px;padding:10px 14px}
.wb-card .wb-label{font-size:.9em;color:#34495E}
.wb-card .wb-value{font-size:1.7em;font-weight:650;margin:2px 0;color:#1F4E79}
.wb-card .wb-value.wb-text{font-size:1.15em;padding:.25em 0}
.wb-card .wb-note{font-size:.8em;color:#5D6D7E}
.wb-msg{background:#FEF5E7;border-left:5px solid #F5B041;padding:8px 12px;margin:6px 0;border-radius:4px}
.wb-table table{border-collapse:collapse;font-size:.88em;margin-top:4px}
.wb-table th{background:#EAF2F8;text-align:left;padding:4px 8px;border-bottom:1px solid #AEB6BF}
.wb-table td{padding:3px 8px;border-bottom:1px solid #EAECEE}
.wb-table h3,.wb-dl h3{font-size:1.05em;margin:.6em 0 .2em 0}
.wb-download{font-weight:600;text-decoration:none}
.wb-size,.wb-missing,.wb-foot{color:#5D6D7E;font-size:.85em}
.wb-tiles{display:flex;flex-wrap:wrap;gap:14px;margin-top:10px}
.wb-tile{flex:1 1 260px;border:1px solid #D5D8DC;border-radius:8px;padding:12px 16px;background:#FBFCFC}
.wb-tile h2{font-size:1.15em;margin:0 0 .3em 0}
.wb-tile p{margin:.2em 0 .5em 0;color:#34495E;font-size:.92em}
.wb-status{font-size:.8em;color:#5D6D7E}
.wb-chart h3{font-size:1em;margin:.8em 0 .2em 0;font-weight:600}
.wb-legend{font-size:.8em;color:#34495E}
.wb-key{margin-right:14px;white-space:nowrap}
.wb-key span{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
</style>"""


@dataclass
class Headline:
    """One headline card: a label, the figure as text, and a short note under it."""

    label: str
    value: str
    note: str = ""


@dataclass
class ChartData:
    """A horizontal bar chart: one row per bar (``label``, ``value``, optional ``color``)."""

    title: str
    data: pd.DataFrame
    xlabel: str = ""
    percent: bool = False
    highlight: str | None = None
    legend: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


@dataclass
class Content:
    """What one page shows: headline cards, charts, one small formatted table and messages."""

    headlines: list[Headline]
    charts: list[ChartData]
    table_title: str
    table: pd.DataFrame
    messages: list[str] = field(default_factory=list)


def shorten(text: str, n: int = 40) -> str:
    """``text`` cut to ``n`` characters, the last one an ellipsis when cut."""
    return text if len(text) <= n else text[: n - 1] + "…"


def value_class(value: str) -> str:
    """Long text values (a competency name, "disembunyikan (n < 5)") get a smaller font."""
    return " wb-text" if len(value) > 12 and not value.startswith(("Rp", "IDR")) else ""


def cards_html(heads: list[Headline]) -> str:
    """The headline cards in one row that wraps."""
    cells = "".join(
        f'<div class="wb-card"><div class="wb-label">{html.escape(h.label)}</div>'
        f'<div class="wb-value{value_class(h.value)}">{html.escape(h.value)}</div>'
        f'<div class="wb-note">{html.escape(h.note)}</div></div>'
        for h in heads)
    return f'<div class="wb-page"><div class="wb-cards">{cells}</div></div>'


def msgs_html(msgs: list[str]) -> str:
    """One highlighted box per message."""
    return "".join(f'<div class="wb-page"><div class="wb-msg">{html.escape(m)}</div></div>' for m in msgs)


def bar_svg(chart: ChartData, lang: str = "id", hidden_label: str = "") -> str:
    """A horizontal bar chart as inline SVG (pure: text in, text out; no plotting library).

    Bars are drawn in a ``viewBox`` so the chart scales with the page; values are written at the
    end of each bar in the viewer's number format; a suppressed group keeps its row with the
    word "disembunyikan"/"suppressed" instead of a bar; the highlighted unit is dark and bold.
    """
    df = chart.data.reset_index(drop=True)
    labels = [shorten(str(x)) for x in df["label"]] if len(df) else []
    vals = pd.to_numeric(df["value"], errors="coerce").to_numpy(dtype=float) if len(df) else np.array([])
    hidden = df["hidden"].to_numpy(bool) if "hidden" in df else np.isnan(vals)
    scale = 100.0 if chart.percent else 1.0
    row, top_pad, bottom = 22, 6, 34
    label_w = min(290, max(60, int(7.4 * max((len(x) for x in labels), default=4)) + 14))
    width, value_w = 640, 58
    plot_w = width - label_w - value_w
    height = top_pad + row * max(len(df), 1) + bottom
    finite = vals[np.isfinite(vals)] * scale
    vmax = float(finite.max()) if len(finite) and finite.max() > 0 else 1.0
    parts = [f'<svg class="wb-svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{html.escape(chart.title)}" xmlns="http://www.w3.org/2000/svg" '
             'style="font-family:inherit;font-size:12px">']
    x0 = label_w
    for i, lab in enumerate(labels):
        y = top_pad + i * row
        full = html.escape(str(df["label"].iloc[i]))
        strong = chart.highlight is not None and str(df["label"].iloc[i]) == chart.highlight
        if "color" in df:
            color = str(df["color"].iloc[i])
        else:
            color = DARK if strong else (BLUE if chart.highlight is None else "#9CC3E6")
        weight = ' font-weight="700"' if strong else ""
        parts.append(f'<text x="{x0 - 6}" y="{y + row / 2 + 4}" text-anchor="end" fill="#1B2631"{weight}>'
                     f'<title>{full}</title>{html.escape(lab)}</text>')
        v = vals[i]
        if hidden[i] or not np.isfinite(v):
            parts.append(f'<text x="{x0 + 4}" y="{y + row / 2 + 4}" fill="#5D6D7E" font-style="italic">'
                         f'{html.escape(hidden_label)}</text>')
            continue
        w = max(0.0, v * scale / vmax * plot_w)
        txt = fmt_percent(v, lang, 0) if chart.percent else fmt_number(v, lang, 0 if abs(v) >= 10 else 1)
        parts.append(f'<rect x="{x0}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" rx="2" fill="{color}"/>')
        parts.append(f'<text x="{x0 + w + 4:.1f}" y="{y + row / 2 + 4}" fill="#1B2631"{weight}>'
                     f'{html.escape(txt)}</text>')
    axis_y = top_pad + row * max(len(df), 1) + 2
    parts.append(f'<line x1="{x0}" y1="{top_pad}" x2="{x0}" y2="{axis_y}" stroke="#85929E" stroke-width="1"/>')
    if not len(df):
        parts.append(f'<text x="{x0 + 6}" y="{top_pad + 15}" fill="#5D6D7E">–</text>')
    parts.append(f'<text x="{x0 + plot_w / 2:.0f}" y="{height - 10}" text-anchor="middle" fill="#5D6D7E" '
                 f'font-size="11">{html.escape(chart.xlabel)}</text></svg>')
    legend = "".join(f'<span class="wb-key"><span style="background:{c}"></span>{html.escape(lab)}</span>'
                     for c, lab in chart.legend)
    return (f'<div class="wb-page wb-chart"><h3>{html.escape(chart.title)}</h3>{"".join(parts)}'
            f'{f"<div class=wb-legend>{legend}</div>" if legend else ""}</div>')
