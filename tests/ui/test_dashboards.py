"""Manager dashboards without a browser: state, headline figures, suppression, widgets (set
``.value``, ``click()``), in-memory downloads, friendly errors, the thin notebooks, and the
``workbook serve`` configuration. Real-browser checks are in ``test_browser.py``.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
from pathlib import Path

import nbformat
import numpy as np
import openpyxl
import pandas as pd
import pytest

from workbook.core.context import open_context
from workbook.core.i18n import t
from workbook.present.html import ChartData, bar_svg
from workbook.ui import dashboard_content as dash_content
from workbook.ui import dashboard_data as dash_data
from workbook.ui import dashboards as d
from workbook.ui import download as dl
from workbook.ui import serve
from workbook.ui.voila_query import parse_query

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data_samples" / "contoh"
DASH_NB = ROOT / "notebooks" / "dashboards"


@pytest.fixture(scope="module")
def out_dir(sample_run, tmp_path_factory) -> Path:
    """A copy of the shared sample run's output folder (``tests/conftest.py``): tests here write
    into it (a report page, a touched manifest)."""
    out = tmp_path_factory.mktemp("dash_out")
    shutil.copytree(sample_run.out, out, dirs_exist_ok=True)
    return out


@pytest.fixture
def ctx(out_dir, monkeypatch):
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(SAMPLE))
    monkeypatch.setenv("WORKBOOK_OUTPUT_DIR", str(out_dir))
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    return open_context(interactive=True)


@pytest.fixture
def bundle(ctx):
    return dash_data.load_bundle(ctx.output_dir, ctx.year, ctx.settings)


def _app(ctx, kind="kebutuhan") -> d.DashboardApp:
    return d.DashboardApp(kind, ctx)


def _visible_text(app: d.DashboardApp) -> str:
    """Text a viewer reads: header, cards, charts, table, downloads (tags and data URIs removed)."""
    parts = [app.header.value, app.messages.value, app.cards.value, *(c.value for c in app.charts),
             app.table.value, app.footer.value, app.unit_w.description, app.year_w.description,
             *(label for label, _ in app.unit_w.options[:1])]
    for w in app.downloads.children:
        for x in getattr(w, "children", (w,)):
            parts.append(getattr(x, "value", "") or getattr(x, "description", ""))
    text = " ".join(parts)
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r'href="data:[^"]*"', " ", text)
    return re.sub(r"<[^>]+>", " ", text)


# --------------------------------------------------------------------------- pure parts

def test_parse_query_takes_first_value_and_ignores_blanks():
    assert parse_query("?unit=DINKES&lang=en&unit=RSUD&year=") == {"unit": "DINKES", "lang": "en"}
    assert parse_query(None) == {} and parse_query("") == {}


def test_query_string_falls_back_to_environment(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "unit=RSUD")
    assert d.query_string() == "unit=RSUD"
    monkeypatch.delenv("QUERY_STRING")
    assert d.query_string() == ""


@pytest.mark.parametrize(("value", "lang", "expected"), [
    ("2;6;10", "id", "Feb, Jun, Okt"), ("2;6;10", "en", "Feb, Jun, Oct"), ("5", "en", "May"),
    ("1;2;3;4;5;7;8", "id", "Jan–Agu (7 bulan)"), ("", "id", ""),
])
def test_months_text(value, lang, expected):
    assert dash_content.months_text(value, lang) == expected


def test_bar_svg_marks_highlight_and_hidden_groups():
    chart = ChartData("Judul", pd.DataFrame({"label": ["A", "B", "C"], "value": [0.5, 0.25, np.nan],
                                               "hidden": [False, False, True]}), "% pegawai",
                      percent=True, highlight="B")
    svg = bar_svg(chart, "id", "disembunyikan")
    assert svg.count("<rect") == 2  # the hidden group has no bar
    assert "disembunyikan" in svg and "50%" in svg and "25%" in svg
    assert re.search(r'font-weight="700"><title>B</title>', svg)
    assert "<title>A</title>" in svg and 'font-weight="700"><title>A' not in svg


# --------------------------------------------------------------------------- data and headlines

def test_bundle_is_cached_per_process_and_reloaded_after_a_rerun(ctx, out_dir):
    dash_data.clear_cache()
    b1 = dash_data.load_bundle(ctx.output_dir, ctx.year, ctx.settings)
    assert dash_data.load_bundle(ctx.output_dir, ctx.year, ctx.settings) is b1
    manifest = out_dir / str(ctx.year) / "02_plan" / "manifest.json"
    st = manifest.stat()
    os.utime(manifest, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    assert dash_data.load_bundle(ctx.output_dir, ctx.year, ctx.settings) is not b1


def test_staff_below_standard_matches_person_level_recount(bundle, out_dir, ctx):
    gaps = pd.read_parquet(out_dir / str(ctx.year) / "restricted" / "01_needs" / "gaps.parquet")
    g = gaps.dropna(subset=["below_standard"])
    person = g[g["kode_unit"] == "DINKES"].groupby("pegawai_id")["below_standard"].any()
    expected = person.mean()
    content = dash_content.needs_content(bundle, "DINKES", "en")
    head = content.headlines[0]
    assert head.value == f"{expected:.0%}"
    assert head.note.startswith(f"{int(person.sum())} of {len(person)}")
    agency = dash_content.needs_content(bundle, None, "en").headlines[0]
    assert agency.value != head.value or agency.note != head.note


def test_unit_with_three_respondents_shows_no_needs_figures(bundle):
    """KESBANGPOL has 7 staff and 3 survey respondents: fewer than k = 5 behind its needs figures."""
    content = dash_content.needs_content(bundle, "KESBANGPOL", "id")
    assert content.headlines[0].value == "disembunyikan (n < 5)"
    row = bundle.unit_stats.set_index("kode_unit").loc["KESBANGPOL"]
    assert row["suppressed_below"] and np.isnan(row["share_below"]) and np.isnan(row["n_below"])
    # complementary suppression: the agency total is shown, so one more unit is hidden with it
    assert int(bundle.unit_stats["suppressed_below"].sum()) >= 2


def test_followup_shows_counts_by_unit_never_people(bundle, ctx):
    k = bundle.k
    for unit in (None, "DINKES", "KESBANGPOL"):
        content = dash_content.followup_content(bundle, unit, "id")
        table = content.table
        assert not any("pegawai_id" in c or "NIP" in c for c in table.columns)
        for col in table.columns[1:]:
            for cell in table[col]:
                assert not re.search(r"\bP\d{6}\b", str(cell))
                if cell.startswith("disembunyikan") or cell == "":
                    continue
                n = int(cell.replace(".", ""))
                assert n == 0 or n >= k, (unit, col, cell)
    units = bundle.followup_units
    shown = units[(units["kode_unit"] != "INSTANSI") & ~units["suppressed"].astype(bool)]
    assert ((shown["n"] == 0) | (shown["n"] >= k)).all()


def test_plan_headline_budget_is_within_the_ceiling(bundle):
    heads = dash_content.plan_content(bundle, None, "en").headlines
    budget = next(h for h in heads if h.label == "Budget used")
    share = float(re.match(r"([\d.]+)%", budget.note).group(1))
    assert 0 < share <= 100.0
    jp = heads[0]
    assert jp.label.startswith("Civil servants reaching 20 JP") and jp.value.endswith("%")


def test_evaluation_counts_significant_and_meaningful(bundle):
    l2 = bundle.tables["level2"]
    shown = l2[~l2["suppressed"].astype(bool)]
    expected = int(((shown["significant"] == 1) & (shown["meaningful"] == 1)).sum())
    heads = dash_content.evaluation_content(bundle, None, "id").headlines
    assert heads[1].value == str(expected)
    assert heads[0].value == str(len(shown))


# --------------------------------------------------------------------------- widgets

def test_unit_filter_redraws_charts_and_headlines(ctx):
    app = _app(ctx)
    before_cards, before_chart = app.cards.value, app.charts[1].value
    app.unit_w.value = "DINKES"
    assert app.state.unit == "DINKES"
    assert app.cards.value != before_cards
    assert app.charts[1].value != before_chart
    assert re.search(r'font-weight="700"><title>DINKES</title>', app.charts[1].value)
    app.unit_w.value = ""
    assert app.state.unit is None and app.cards.value == before_cards


@pytest.mark.parametrize("kind", list(d.DASHBOARDS))
def test_language_switch_changes_every_label(ctx, kind):
    app = _app(ctx, kind)
    app.unit_w.value = "DINKES"
    text_id = _visible_text(app)
    app.lang_w.value = "en"
    text_en = _visible_text(app)
    assert text_en != text_id
    assert t(f"ui.title.{kind}", "en") in text_en and t(f"ui.title.{kind}", "id") not in text_en
    assert app.unit_w.description == "Work unit" and app.unit_w.options[0][0] == "Whole agency"
    # no Indonesian interface word leaks into the English page (programme and unit names are proper names)
    for word in ("pegawai", "Unduhan", "disembunyikan", "Seluruh instansi", "Tahun rencana", "dari ", "Siapkan"):
        assert word not in text_en, word
    app.lang_w.value = "id"
    assert t(f"ui.title.{kind}", "id") in _visible_text(app)


def test_year_filter_lists_years_with_results(ctx):
    app = _app(ctx, "rencana")
    assert [v for _, v in app.year_w.options] == dash_data.available_years(ctx.output_dir)
    assert app.year_w.value == ctx.year


def test_query_sets_unit_and_language_and_unknown_unit_is_explained(ctx):
    app = _app(ctx, "evaluasi")
    app.apply_query("unit=dinkes&lang=en")
    assert (app.state.unit, app.state.lang) == ("DINKES", "en")
    assert app.unit_w.value == "DINKES" and app.lang_w.value == "en"
    app.apply_query("unit=NOPE&lang=id")
    assert app.state.unit == "DINKES" and app.state.lang == "id"
    assert "NOPE" in app.messages.value and "tidak dikenal" in app.messages.value


def test_xlsx_download_is_built_in_memory_and_valid(ctx):
    app = _app(ctx, "rencana")
    links = app.downloads.children[1].children
    anchor = links[0].value
    m = re.search(r'download="([^"]+)" href="data:([^;]+);base64,([^"]+)"', anchor)
    assert m, anchor[:200]
    assert m.group(1) == f"plan_{ctx.year}.xlsx"
    assert m.group(2) == dl.MIME[".xlsx"]
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(m.group(3))), read_only=True)
    assert "rencana_pasal_207" in wb.sheetnames
    assert str(ctx.output_dir) not in anchor  # no path, no served file


def test_large_download_waits_for_a_click(ctx, out_dir):
    reports = out_dir / str(ctx.year) / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    page = "<html><body>" + "x" * (dl.EAGER_MAX_BYTES + 10) + "</body></html>"
    (reports / "02_programme_plan.html").write_text(page, encoding="utf-8")
    try:
        app = _app(ctx, "rencana")
        box = app.downloads.children[1].children[1]
        button = box.children[0]
        assert button.description.startswith("Siapkan unduhan")
        button.click()
        anchor = box.children[0].value
        assert 'href="data:text/html;base64,' in anchor
        data = base64.b64decode(re.search(r"base64,([^\"]+)", anchor).group(1)).decode()
        assert data == page
    finally:
        shutil.rmtree(reports)


def test_missing_stage_gives_the_command_to_run(ctx, out_dir, tmp_path, monkeypatch):
    part = tmp_path / "out"
    shutil.copytree(out_dir / str(ctx.year), part / str(ctx.year))
    shutil.rmtree(part / str(ctx.year) / "03_evaluation")
    monkeypatch.setenv("WORKBOOK_OUTPUT_DIR", str(part))
    app = d.open_dashboard("evaluasi", show=False)
    assert isinstance(app, d.DashboardApp)
    assert "make report" in app.messages.value and "03_evaluation" in app.messages.value
    assert app.cards.value.count('class="wb-card"') == 0
    ok = d.open_dashboard("rencana", show=False)
    assert "make report" not in ok.messages.value


def test_no_results_at_all_is_a_sentence_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(SAMPLE))
    monkeypatch.setenv("WORKBOOK_OUTPUT_DIR", str(tmp_path / "empty"))
    app = d.open_dashboard("kebutuhan", show=False, lang="en")
    assert "make report" in app.widget.value and "Traceback" not in app.widget.value
    app.apply_query("unit=DINKES")  # does nothing, raises nothing


def test_corrupt_artefact_is_logged_not_shown(ctx, out_dir, tmp_path, monkeypatch, capfd):
    bad = tmp_path / "bad"
    shutil.copytree(out_dir / str(ctx.year), bad / str(ctx.year))
    (bad / str(ctx.year) / "02_plan" / "coverage.parquet").write_bytes(b"not a parquet file")
    monkeypatch.setenv("WORKBOOK_OUTPUT_DIR", str(bad))
    dash_data.clear_cache()
    app = d.open_dashboard("rencana", show=False)
    assert t("ui.error", "id") in app.widget.value
    assert "Traceback" not in app.widget.value and "parquet" not in app.widget.value.lower()
    err = capfd.readouterr().err
    assert "Traceback" in err and "opening dashboard rencana" in err


def test_landing_links_carry_unit_and_language(ctx):
    page = d.Landing(ctx)
    assert set(page.links()) == set(d.DASHBOARDS)
    page.unit_w.value = "RSUD"
    page.lang_w.value = "en"
    assert page.links()["rencana"] == "rencana.ipynb?lang=en&unit=RSUD"
    assert 'href="kebutuhan.ipynb?lang=en&amp;unit=RSUD"' in page.body.value or \
        'href="kebutuhan.ipynb?lang=en&unit=RSUD"' in page.body.value
    assert "Civil Servant Development Dashboards" in page.body.value


# --------------------------------------------------------------------------- notebooks and serve

def test_dashboard_notebooks_are_thin():
    ours = ["index", *d.DASHBOARDS]
    assert set(ours) <= {p.stem for p in DASH_NB.glob("*.ipynb")}
    for p in (DASH_NB / f"{name}.ipynb" for name in ours):
        nb = nbformat.read(p, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert len(code) == 3, p.name
        assert code[0].source.startswith("from workbook.ui.dashboards import")
        assert "query_string()" in code[2].source
        for c in code:
            assert "\n" not in c.source.strip() and not re.search(r"^\s*(def|class) ", c.source, re.M)
            assert not c.get("outputs")


@pytest.mark.slow
def test_dashboard_notebooks_execute_without_errors(ctx, out_dir, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("QUERY_STRING", "unit=DINKES&lang=en")
    for p in (DASH_NB / f"{name}.ipynb" for name in ["index", *d.DASHBOARDS]):
        nb = nbformat.read(p, as_version=4)
        NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(DASH_NB)}}).execute()
        outputs = [o for c in nb.cells for o in c.get("outputs", [])]
        assert not [o for o in outputs if o.output_type == "error"], p.name
        assert not [o for o in outputs if o.output_type == "stream"], (p.name, outputs)
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs), p.name


def test_voila_arguments_keep_the_safe_defaults():
    argv = serve.voila_argv(pool_size=3)
    assert "--Voila.ip=127.0.0.1" in argv and "--show_tracebacks=False" in argv and "--strip_sources=True" in argv
    assert "--preheat_kernel=True" in argv and "--pool_size=3" in argv
    assert "--VoilaConfiguration.file_allowlist=[]" in argv
    assert any("extension_denylist" in a and "jupyterlab-jupytext" in a for a in argv)
    plain = serve.voila_argv(pool_size=0)
    assert not any("preheat" in a for a in plain)
    assert Path(argv[0]) == DASH_NB


def test_serve_reports_bad_data_folder(tmp_path, capsys):
    assert serve.main(["--data", str(tmp_path / "missing"), "--build", "never"]) == 1
    assert "tidak ditemukan" in capsys.readouterr().err


def _fake_voila_query_server(payload: dict):
    """A websocket server playing Voilà's ``/voila/query/<kernel id>`` endpoint on 127.0.0.1."""
    import asyncio
    import json
    import threading

    from websockets.asyncio.server import serve

    seen: list[str] = []
    ready = threading.Event()
    state: dict = {}

    async def handler(ws):
        seen.append(ws.request.path)
        await ws.send(json.dumps(payload))

    async def main():
        async with serve(handler, "127.0.0.1", 0) as server:
            state["port"] = server.sockets[0].getsockname()[1]
            state["stop"] = asyncio.get_running_loop().create_future()
            state["loop"] = asyncio.get_running_loop()
            ready.set()
            await state["stop"]

    t = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    t.start()
    ready.wait(10)

    def stop():
        state["loop"].call_soon_threadsafe(state["stop"].set_result, None)
        t.join(10)

    return state["port"], seen, stop


def test_preheated_kernel_reads_the_viewers_query_from_voila(monkeypatch):
    port, seen, stop = _fake_voila_query_server({"QUERY_STRING": "unit=DINKES&lang=en", "SCRIPT_NAME": "/voila"})
    try:
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setenv("VOILA_APP_PORT", str(port))
        monkeypatch.setenv("VOILA_KERNEL_ID", "k-123")
        monkeypatch.setenv("VOILA_SERVER_URL", "/")
        monkeypatch.setenv("QUERY_STRING", "stale=1")
        assert d.query_string() == "unit=DINKES&lang=en"
        assert seen == ["/voila/query/k-123"]
        assert os.environ["SCRIPT_NAME"] == "/voila"
    finally:
        stop()


def test_preheated_kernel_without_voila_gives_an_empty_query(monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", str(port))
    monkeypatch.delenv("QUERY_STRING", raising=False)
    assert d.query_string() == ""


def test_dashboard_kernel_does_not_import_the_voila_server():
    """``voila.utils`` pulls in jupyter_server and a grammar build (≈ 2.5 CPU-s per kernel)."""
    import subprocess
    import sys

    code = ("import sys, workbook.ui.dashboards, workbook.ui.upload\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('voila', 'jupyter_server', 'jupyter_events'))\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_voila_executor_gets_the_iopub_timeout_setting():
    """nbclient's 4 s default dropped widget output under load (blank pages in bench/load.py)."""
    import nbformat
    from voila.app import Voila
    from voila.execute import VoilaExecutor

    app = Voila()
    app.parse_command_line(serve.voila_argv(pool_size=2, iopub_timeout=75)[1:])
    executor = VoilaExecutor(nbformat.v4.new_notebook(), config=app.config)
    assert executor.iopub_timeout == 75
    from workbook.core.settings import load_settings

    assert serve.DEFAULTS["dashboard.iopub_timeout_s"] == load_settings().get("dashboard.iopub_timeout_s") == 60
