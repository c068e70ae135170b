"""The parts of a report document and the kit with which each stage writes its chapter.

A document is a list of :class:`Chapter` (``BAB I…VI``, appendices), each a list of numbered
:class:`Section` holding :class:`Block` (paragraphs, Markdown, tables, figures, notes, the
signature block). ``workbook.report.render`` builds the document: it writes the cross-stage
chapters itself and asks every stage's ``report.chapter(result, unit, kit)`` for the chapters of
that stage, handing it a :class:`ChapterKit` — the document's outline and numbering, and the
helpers that turn a formatted table into HTML and a figure into an inline PNG (agency-wide
figures cached per process, so the unit reports of one batch draw them once).
"""

from __future__ import annotations

import base64
import html as _html
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markupsafe import Markup

from workbook.core.i18n import t
from workbook.core.suppression import k_for
from workbook.present.safe import markdown_html, md_text

__all__ = ["Block", "Section", "Chapter", "ChapterKit", "markdown_html", "table_html",
           "hidden_label", "figure_png"]


@dataclass
class Block:
    kind: str  # p | md | table | figure | note | sign
    content: Any = None
    caption: str = ""
    key: str = ""
    number: str = ""
    wide: bool = False


@dataclass
class Section:
    id: str
    number: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Chapter:
    id: str
    label: str
    title: str
    sections: list[Section] = field(default_factory=list)
    intro: list[Block] = field(default_factory=list)


def hidden_label(lang: str, settings) -> str:
    """What a hidden cell reads: ``disembunyikan (n < k)`` / ``suppressed (n < k)``."""
    k = k_for("count", settings)
    return t("label.suppressed", lang, k=k)


# ----------------------------------------------------------------------------- HTML pieces
_NUMERIC = re.compile(r"^[\s<>−\-+]*(Rp|IDR)?\s?[\d.,]+\s?%?$")


def table_html(df: pd.DataFrame, *, key: str, hidden: str, lang: str = "id") -> Markup:
    """A formatted table (strings) as HTML; hidden cells marked, numbers right-aligned, booleans
    in words. Every header and cell is escaped: the result is HTML built from escaped parts,
    marked safe (:class:`~markupsafe.Markup`) for the report template."""
    e = _html.escape
    words = {"True": t("bool.true", lang), "False": t("bool.false", lang)}
    head = "".join(f"<th>{e(str(c))}</th>" for c in df.columns)
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for v in rec:
            s = "" if v is None or (isinstance(v, float) and v != v) else str(v)
            s = words.get(s, s)
            cls = "sup" if s == hidden else ("num" if _NUMERIC.match(s) else "")
            cells.append(f'<td class="{cls}">{e(s)}</td>' if cls else f"<td>{e(s)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return Markup(f'<table class="data" data-table="{e(key)}"><thead><tr>{head}</tr></thead>'
                  f"<tbody>{''.join(rows)}</tbody></table>")


_FIG_CACHE: dict[tuple, str] = {}


def _png(fig, *, dpi: int = 110) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def figure_png(cache_key: tuple | None, make: Callable[[], Any]) -> str | None:
    """PNG (base64) of the figure ``make()`` returns (None when it returns None); cached per
    process under ``cache_key`` unless that is None."""
    if cache_key is not None and cache_key in _FIG_CACHE:
        return _FIG_CACHE[cache_key]
    fig = make()
    if fig is None:
        return None
    data = _png(fig)
    if cache_key is not None:
        if len(_FIG_CACHE) > 64:
            _FIG_CACHE.clear()
        _FIG_CACHE[cache_key] = data
    return data


# ----------------------------------------------------------------------------- the kit
class ChapterKit:
    """The document as a stage's ``report.chapter`` sees it: outline, numbering and helpers.

    Parameters
    ----------
    outline : iterable of (name, id, label, title, number)
        The chapters the document may hold, in order: ``name`` is what a stage asks for
        (``"needs"``, ``"programmes"``, ``"implementation"``, ``"evaluation"``, ``"followup"``…),
        ``id`` the HTML anchor (``bab2``), ``label`` (``BAB II``), ``title`` and ``number`` (``2``:
        sections are numbered ``2.1``, tables and figures ``2.1``, ``2.2``… per chapter).
    lang, hidden, no_figure : str
        The report's language, what a hidden cell reads, and the note that replaces a figure of
        groups too small to draw.
    figure_key : str
        What agency-wide figures are cached under (with the language and the figure's name):
        the key of the results, so another run never reuses them.
    """

    def __init__(self, outline: Iterable[tuple[str, str, str, str, str]], *, lang: str, hidden: str,
                 no_figure: str, figure_key: str) -> None:
        self.lang, self.hidden, self.no_figure_text = lang, hidden, no_figure
        self.figure_key = figure_key
        self._outline = {name: (cid, label, title, number)
                         for name, cid, label, title, number in outline}
        self._open: dict[str, Chapter] = {}
        self._numbers: dict[str, str] = {}
        self._counts: dict[tuple[str, str], int] = {}

    # chapters and sections
    def chapter(self, name: str) -> Chapter:
        """The chapter ``name`` of the outline, opened on first use (a later call continues it)."""
        if name not in self._open:
            cid, label, title, number = self._outline[name]
            self._open[name] = Chapter(cid, label, title)
            self._numbers[cid] = number
        return self._open[name]

    @property
    def chapters(self) -> list[Chapter]:
        """The chapters opened so far, in the order of the outline."""
        return [self._open[n] for n in self._outline if n in self._open]

    def section(self, chapter: Chapter, title: str, blocks: Iterable[Block] = ()) -> Section:
        """A new numbered section at the end of ``chapter`` (``2.3``, anchor ``s2-3``)."""
        n, i = self._numbers[chapter.id], len(chapter.sections) + 1
        sec = Section(f"s{n}-{i}", f"{n}.{i}", title, list(blocks))
        chapter.sections.append(sec)
        return sec

    def _number(self, chapter: Chapter, kind: str) -> str:
        k = (self._numbers[chapter.id], kind)
        self._counts[k] = self._counts.get(k, 0) + 1
        return f"{k[0]}.{self._counts[k]}"

    # blocks
    def table(self, chapter: Chapter, caption: str, df: pd.DataFrame, key: str,
              wide: bool = False) -> Block:
        """A numbered table of ``chapter`` from a formatted frame (strings)."""
        html = table_html(df, key=key, hidden=self.hidden, lang=self.lang)
        return Block("table", html, caption, key, self._number(chapter, "tab"), wide)

    def figure(self, chapter: Chapter, caption: str, data: str | None) -> Block:
        """A numbered figure of ``chapter`` from a PNG (:meth:`png`), or the note when there is
        none."""
        if data is None:
            return self.no_figure()
        return Block("figure", data, caption, number=self._number(chapter, "fig"))

    def png(self, make: Callable[[], Any], name: str | None = None) -> str | None:
        """PNG of ``make()``; an agency-wide figure (one that no unit changes) gives its ``name``
        and is drawn once per process for these results and language."""
        return figure_png(None if name is None else (self.figure_key, self.lang, name), make)

    def no_figure(self) -> Block:
        return Block("note", self.no_figure_text)

    @staticmethod
    def paras(items: Iterable[str]) -> list[Block]:
        return [Block("p", x) for x in items]

    @staticmethod
    def para(text: str) -> Block:
        return Block("p", text)

    @staticmethod
    def bullets(items: Iterable[str]) -> Block:
        """A bullet list of plain sentences (data in them stays text: :func:`md_text`)."""
        return Block("md", Markup(markdown_html("\n".join(f"- {md_text(x)}" for x in items),
                                                drop_heading=False)))

    @staticmethod
    def markdown(md: str, *, drop_heading: bool = True) -> Block:
        """A block of the workbook's Markdown (data in it escaped by the stage with
        :func:`~workbook.present.safe.md_text`), rendered safe."""
        return Block("md", Markup(markdown_html(md, drop_heading=drop_heading)))
