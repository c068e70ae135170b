"""Manager dashboards (Voilà): needs, plan and budget, evaluation, follow-up — aggregate only.

Layers, as everywhere in ``workbook.ui``:

- **data** — :mod:`workbook.ui.dashboard_data`: one plan year's artefacts, read once per kernel
  and suppressed; a filter change never reloads or recomputes a stage.
- **state and content** — :mod:`workbook.ui.dashboard_content`: :class:`DashboardState` and pure
  functions turning the data and a state into :class:`~workbook.present.html.Content`.
- **view** — :class:`DashboardApp` (here) builds ipywidgets from the content with the HTML blocks
  of :mod:`workbook.present.html`; callbacks are one line. :class:`Landing` is the index page.

Notebooks in ``notebooks/dashboards/`` call :func:`open_dashboard` and then
``app.apply_query(query_string())`` (:mod:`workbook.ui.voila_query`): under Voilà's preheated
kernels everything up to the query runs before the request, so a viewer only waits for the
unit/language of the URL to be applied.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import ipywidgets as widgets
from IPython.display import display

from workbook.core import artefacts
from workbook.core.exceptions import WorkbookError
from workbook.core.i18n import t
from workbook.present.html import CSS, bar_svg, cards_html, msgs_html
from workbook.ui.dashboard_content import DashboardState, content_for
from workbook.ui.dashboard_data import (
    available_years,
    load_dashboard_data,
    missing_stages,
    read_artefact,
    suppress_k,
)
from workbook.ui.download import file_download
from workbook.ui.guard import ENV_UNIT_SCOPE
from workbook.ui.server_log import log_exception
from workbook.ui.voila_query import parse_query, query_string

__all__ = ["DASHBOARDS", "CHAPTERS", "DashboardApp", "open_dashboard", "Landing", "landing", "query_string"]

#: dashboard id → (stage it reads, XLSX file, HTML chapter)
DASHBOARDS: dict[str, tuple[str, str, str]] = {
    "kebutuhan": ("01_needs", "needs.xlsx", "01_needs_analysis"),
    "rencana": ("02_plan", "plan.xlsx", "02_programme_plan"),
    "evaluasi": ("03_evaluation", "evaluation.xlsx", "03_evaluation"),
    "tindak_lanjut": ("03_evaluation", "evaluation.xlsx", "03_evaluation"),
}
CHAPTERS = {d: v[2] for d, v in DASHBOARDS.items()}


def unit_scope() -> str | None:
    """The unit this server is limited to (``workbook serve --unit``), or None.

    Set by the server in the kernels' environment (:data:`workbook.ui.guard.ENV_UNIT_SCOPE`); the
    dashboards then offer that unit only, ignore other units in the URL, and offer no
    agency-wide downloads.
    """
    return (os.environ.get(ENV_UNIT_SCOPE) or "").strip().upper() or None


def _settings_and_ctx():
    from workbook.core.context import open_context

    return open_context(interactive=True)


class DashboardApp:
    """The widgets of one dashboard; ``state`` is plain data, every callback one line.

    Parameters
    ----------
    kind : {"kebutuhan", "rencana", "evaluasi", "tindak_lanjut"}
    ctx : Context
        The resolved run context (data and output folders, settings, plan year).
    state : DashboardState, optional
    """

    def __init__(self, kind: str, ctx, state: DashboardState | None = None) -> None:
        if kind not in DASHBOARDS:
            raise WorkbookError(f"Dasbor tidak dikenal: {kind}", f"Unknown dashboard: {kind}")
        self.kind, self.ctx = kind, ctx
        years = available_years(ctx.output_dir) or [ctx.year]
        year = ctx.year if ctx.year in years else years[0]
        self.scope = unit_scope()
        self.state = state or DashboardState(kind=kind, year=year, unit=self.scope or ctx.unit, lang=ctx.lang)
        self.years = years
        self.notices: list[str] = []
        self._busy = False
        self.data = load_dashboard_data(ctx.output_dir, self.state.year, ctx.settings)
        lay = widgets.Layout
        self.header = widgets.HTML()
        self.year_w = widgets.Dropdown(options=[(str(y), y) for y in years], value=self.state.year,
                                       layout=lay(width="230px"), style={"description_width": "100px"})
        self.unit_w = widgets.Dropdown(layout=lay(width="440px"), style={"description_width": "80px"})
        self.lang_w = widgets.ToggleButtons(options=[("Bahasa Indonesia", "id"), ("English", "en")],
                                            value=self.state.lang, style={"button_width": "130px"})
        self.messages = widgets.HTML()
        self.cards = widgets.HTML()
        self.charts = [widgets.HTML(layout=lay(width="49%", min_width="420px")) for _ in range(2)]
        self.table = widgets.HTML()
        self.downloads = widgets.VBox()
        self.footer = widgets.HTML()
        self._fill_units()
        self.year_w.observe(lambda ch: self.set_year(ch["new"]), names="value")
        self.unit_w.observe(lambda ch: self.set_unit(ch["new"] or None), names="value")
        self.lang_w.observe(lambda ch: self.set_lang(ch["new"]), names="value")
        self.widget = widgets.VBox([
            self.header, widgets.HBox([self.year_w, self.unit_w, self.lang_w], layout=lay(flex_flow="row wrap",
                                                                                           align_items="center")),
            self.messages, self.cards, widgets.HBox(self.charts, layout=lay(flex_flow="row wrap",
                                                                             justify_content="space-between")),
            self.table, self.downloads, self.footer], layout=lay(padding="0 12px"))
        self.render(full=True)

    # -- state changes (one line each in the callbacks)
    def set_unit(self, unit: str | None) -> None:
        if self._busy:
            return
        self.state.unit = self.scope or unit
        self.notices = []
        self._guarded(self.render)

    def set_year(self, year: int) -> None:
        if self._busy:
            return
        self.state.year = int(year)
        self._guarded(self._reload)

    def set_lang(self, lang: str) -> None:
        if self._busy:
            return
        self.state.lang = lang
        self._guarded(lambda: self.render(full=True))

    def apply_query(self, query: str | None) -> None:
        """Apply ``?unit=…&lang=…&year=…`` from the page's URL (unknown values: a friendly note)."""
        q = parse_query(query)
        notices = []
        lang = q.get("lang", self.state.lang)
        lang = lang if lang in ("id", "en") else self.state.lang
        year = self.state.year
        if "year" in q and q["year"].isdigit() and int(q["year"]) in self.years:
            year = int(q["year"])
        unit = self.state.unit
        if "unit" in q:
            want = q["unit"].upper()
            if want in ("", "ALL", "SEMUA", "INSTANSI"):
                unit = None
            elif want in self.data.unit_codes():
                unit = want
            else:
                notices.append(("ui.unknown_unit", {"unit": q["unit"][:40]}))
        if self.scope:
            unit, notices = self.scope, []
        if (lang, year, unit) == (self.state.lang, self.state.year, self.state.unit) and not notices:
            return
        self.state.lang, self.state.unit = lang, unit
        self.notices = notices
        if year != self.state.year:
            self.state.year = year
            self._guarded(self._reload)
        else:
            self._guarded(lambda: self.render(full=True))

    def _guarded(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except WorkbookError as exc:
            self.messages.value = msgs_html([exc.message(self.state.lang)])
        except Exception:  # noqa: BLE001 — a manager sees a sentence; the traceback goes to the server log
            log_exception(f"dashboard {self.kind} {self.state}")
            self.messages.value = msgs_html([t("ui.error", self.state.lang)])

    def _reload(self) -> None:
        self.data = load_dashboard_data(self.ctx.output_dir, self.state.year, self.ctx.settings)
        if self.state.unit not in self.data.unit_codes():
            self.state.unit = self.scope
        self.render(full=True)

    def _fill_units(self) -> None:
        lang = self.state.lang
        opts = [(t("ui.all_units", lang), "")] + [(f"{r.nama_unit} ({r.kode_unit})", r.kode_unit)
                                                for r in self.data.units.itertuples(index=False)]
        if self.scope:
            opts = [o for o in opts if o[1] == self.scope] or [(self.scope, self.scope)]
        self._busy = True
        try:
            self.unit_w.options = opts
            self.unit_w.value = self.scope or (self.state.unit if self.state.unit in self.data.unit_codes() else "")
            self.unit_w.disabled = bool(self.scope)
            self.unit_w.description = t("ui.unit", lang)
            self.year_w.description = t("ui.year", lang)
            if self.year_w.value != self.state.year:
                self.year_w.value = self.state.year
            if self.lang_w.value != lang:
                self.lang_w.value = lang
        finally:
            self._busy = False

    def render(self, full: bool = False) -> None:
        """Redraw from ``state``: headlines, charts and table; labels and downloads too when ``full``."""
        st, b = self.state, self.data
        lang = st.lang
        if full:
            self._fill_units()
            back = f"index.ipynb?lang={lang}" + (f"&unit={quote(st.unit)}" if st.unit else "")
            agency = html.escape(self.ctx.agency_name)
            self.header.value = (
                f'{CSS}<div class="wb-page wb-head"><a href="{back}">{t("ui.back", lang)}</a>'
                f'<h1>{html.escape(t("ui.title." + self.kind, lang))}</h1>'
                f'<p class="wb-sub">{agency} · {t("ui.year", lang)} {st.year}</p></div>')
            self.footer.value = f'<div class="wb-page wb-foot">{html.escape(t("ui.suppression_note", lang, k=b.k))}</div>'
            # the downloads are agency-wide files: not offered on a unit-scoped server
            self.downloads.children = () if self.scope else self._downloads()
        content = content_for(b, st)
        msgs = [t(k, lang, **kw) for k, kw in self.notices] + content.messages
        if self.scope:
            msgs.insert(0, t("ui.scope_only", lang, unit=self.scope))
        self.messages.value = msgs_html(msgs)
        self.cards.value = cards_html(content.headlines)
        hidden = t("ui.hidden", lang)
        for img, chart in zip(self.charts, content.charts + [None] * (2 - len(content.charts)), strict=False):
            if chart is None:
                img.layout.display = "none"
                continue
            img.layout.display = None
            img.value = bar_svg(chart, lang, hidden)
        if len(content.table):
            self.table.value = (f'<div class="wb-page wb-table"><h3>{html.escape(content.table_title)}</h3>'
                                f'{content.table.to_html(index=False, border=0, escape=True)}</div>')
        else:
            self.table.value = ""

    def _downloads(self) -> tuple:
        lang, kind, year = self.state.lang, self.kind, self.state.year
        stage, xlsx, chapter = DASHBOARDS[kind]
        out = Path(self.ctx.output_dir)
        hint = t("ui.run_report", lang)
        items = [
            file_download(artefacts.stage_dir(out, year, stage, create=False) / xlsx, f"{Path(xlsx).stem}_{year}.xlsx",
                          t(f"ui.dl.xlsx.{kind}", lang), lang=lang, hint=hint),
            file_download(artefacts.stage_dir(out, year, "reports", create=False) / f"{chapter}.html",
                          f"{chapter}_{year}.html", t("ui.dl.html", lang), lang=lang, hint=hint),
        ]
        for w in items:
            w.layout.margin = "0 28px 0 0"
        title = widgets.HTML(f'<div class="wb-page wb-dl"><h3>{t("ui.downloads", lang)}</h3></div>')
        return (title, widgets.HBox(items, layout=widgets.Layout(flex_flow="row wrap", align_items="center")))


def _error_widget(lang: str, text: str) -> widgets.HTML:
    return widgets.HTML(CSS + msgs_html([text]))


class _Failed:
    """Stands in for an app that could not be built: applying a query does nothing."""

    def __init__(self, widget: widgets.Widget) -> None:
        self.widget = widget

    def apply_query(self, query: str | None) -> None:  # noqa: ARG002
        return None


def open_dashboard(kind: str, *, show: bool = True, lang: str | None = None) -> DashboardApp | _Failed:
    """Build dashboard ``kind`` from the environment's data and output folders, and display it.

    Data problems become one friendly sentence in the viewer's language (the traceback goes to
    the server log); the returned object always has ``apply_query``.
    """
    lang = lang or parse_query(os.environ.get("QUERY_STRING", "")).get("lang", "id")
    lang = lang if lang in ("id", "en") else "id"
    try:
        ctx = _settings_and_ctx()
        ctx.lang = lang
        if not available_years(ctx.output_dir):
            app: DashboardApp | _Failed = _Failed(_error_widget(lang, t("ui.no_years", lang, path=ctx.output_dir)))
        else:
            app = DashboardApp(kind, ctx)
    except WorkbookError as exc:
        app = _Failed(_error_widget(lang, exc.message(lang)))
    except Exception:  # noqa: BLE001
        log_exception(f"opening dashboard {kind}")
        app = _Failed(_error_widget(lang, t("ui.error", lang)))
    if show:
        display(app.widget)
    return app


# --------------------------------------------------------------------------- landing page

class Landing:
    """The landing page: one tile per dashboard, a unit picker that rewrites the links, a language switch."""

    def __init__(self, ctx, lang: str = "id") -> None:
        self.scope = unit_scope()
        self.ctx, self.lang, self.unit = ctx, lang, self.scope
        years = available_years(ctx.output_dir)
        self.year = ctx.year if ctx.year in years else (years[0] if years else ctx.year)
        self.missing = missing_stages(ctx.output_dir, self.year)
        pegawai = read_artefact(Path(ctx.output_dir), self.year, "00_data_check", "overview_units")
        self.units = [] if not len(pegawai) else list(zip(pegawai["kode_unit"], pegawai["nama_unit"], strict=False))
        if self.scope:
            self.units = [(c, n) for c, n in self.units if c == self.scope]
        self.lang_w = widgets.ToggleButtons(options=[("Bahasa Indonesia", "id"), ("English", "en")], value=lang,
                                            style={"button_width": "130px"})
        self.unit_w = widgets.Dropdown(layout=widgets.Layout(width="440px"), style={"description_width": "130px"})
        self.body = widgets.HTML()
        self._busy = False
        self.lang_w.observe(lambda ch: self.set_lang(ch["new"]), names="value")
        self.unit_w.observe(lambda ch: self.set_unit(ch["new"] or None), names="value")
        self.widget = widgets.VBox([self.lang_w, self.unit_w, self.body], layout=widgets.Layout(padding="0 12px"))
        self.render()

    def set_lang(self, lang: str) -> None:
        if not self._busy:
            self.lang = lang
            self.render()

    def set_unit(self, unit: str | None) -> None:
        if not self._busy:
            self.unit = self.scope or unit
            self.render()

    def apply_query(self, query: str | None) -> None:
        q = parse_query(query)
        lang = q.get("lang", self.lang)
        self.lang = lang if lang in ("id", "en") else self.lang
        u = q.get("unit", "").upper()
        self.unit = self.scope or (u if u in {c for c, _ in self.units} else None)
        self.render()

    def links(self) -> dict[str, str]:
        extra = f"&unit={quote(self.unit)}" if self.unit else ""
        return {k: f"{k}.ipynb?lang={self.lang}{extra}" for k in DASHBOARDS}

    def render(self) -> None:
        lang = self.lang
        self._busy = True
        try:
            self.unit_w.options = ([] if self.scope else [(t("ui.all_units", lang), "")]) + [
                (f"{n} ({c})", c) for c, n in self.units]
            self.unit_w.value = self.unit or ""
            self.unit_w.disabled = bool(self.scope)
            self.unit_w.description = t("ui.link_unit", lang)
            self.lang_w.value = lang
        finally:
            self._busy = False
        tiles = []
        for k, href in self.links().items():
            stage = DASHBOARDS[k][0]
            ok = stage not in self.missing
            status = t("ui.ready", lang) if ok else t("ui.not_ready", lang)
            tiles.append(f'<div class="wb-tile"><h2><a href="{href}">{html.escape(t("ui.title." + k, lang))}</a></h2>'
                         f'<p>{html.escape(t("ui.desc." + k, lang))}</p>'
                         f'<span class="wb-status">{html.escape(status)}</span></div>')
        mb = self.ctx.settings.get("dashboard.upload_max_mb", 8)
        if not self.scope:  # a unit-scoped server refuses the upload page
            tiles.append(f'<div class="wb-tile"><h2><a href="unggah.ipynb?lang={lang}">{html.escape(t("upload.title", lang, mb=mb))}'
                         f'</a></h2><p>{html.escape(t("upload.sub", lang, mb=mb))}</p></div>')
        self.body.value = (
            f'{CSS}<div class="wb-page wb-head"><h1>{html.escape(t("ui.title.index", lang))}</h1>'
            f'<p class="wb-sub">{html.escape(self.ctx.agency_name)} · {t("ui.year", lang)} {self.year}</p>'
            f'<p class="wb-foot">{html.escape(t("ui.link_hint", lang))}</p>'
            f'<div class="wb-tiles">{"".join(tiles)}</div>'
            f'<p class="wb-foot">{html.escape(t("ui.suppression_note", lang, k=suppress_k(self.ctx.settings)))}</p></div>')


def landing(*, show: bool = True, lang: str = "id") -> Landing | _Failed:
    """Build and display the landing page (tiles linking to the four dashboards)."""
    try:
        ctx = _settings_and_ctx()
        app: Landing | _Failed = Landing(ctx, lang)
    except WorkbookError as exc:
        app = _Failed(_error_widget(lang, exc.message(lang)))
    except Exception:  # noqa: BLE001
        log_exception("opening the landing page")
        app = _Failed(_error_widget(lang, t("ui.error", lang)))
    if show:
        display(app.widget)
    return app

