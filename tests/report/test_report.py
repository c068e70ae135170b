"""The yearly reports: agency + unit reports from one bundle, suppression, batch robustness,
rerun skipping, monitoring, and the Dask path (``workbook.report``)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from workbook.core.context import open_context
from workbook.core.exceptions import SettingsError
from workbook.core.paths import repo_root

SAMPLE = repo_root() / "data_samples" / "contoh"


@pytest.fixture(scope="module")
def out(sample_run, tmp_path_factory) -> Path:
    """Stage artefacts for the sample agency: a copy of the shared sample run's output folder
    (``tests/conftest.py``; tests here write reports into it), which the report layer finds up to
    date (the pipeline does not run again; it did run a second time here before)."""
    d = tmp_path_factory.mktemp("laporan")
    shutil.copytree(sample_run.out, d, dirs_exist_ok=True)
    from workbook.report.bundle import build_bundle

    built = build_bundle(open_context(output_dir=str(d), interactive=False)).built
    assert set(built.values()) == {"artefacts"}, built  # read, not recomputed
    return d


@pytest.fixture(scope="module")
def bundle(out):
    from workbook.report.bundle import load_bundle

    return load_bundle(open_context(output_dir=str(out), interactive=False))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>", "", html)))


def _tables(html: str) -> dict[str, pd.DataFrame]:
    from workbook.report.render import _table_frame

    return {k: _table_frame(t) for k, t in re.findall(r'<table class="data" data-table="([^"]+)">(.*?)</table>', html, re.S)}


def test_agency_report_structure_and_no_external_urls(bundle):
    from workbook.report.render import build_document, render_html

    html = render_html(build_document(bundle, None))
    text = _text(html)
    for title in ("PENDAHULUAN", "ANALISIS KEBUTUHAN", "PROGRAM DAN PRIORITAS", "RENCANA IMPLEMENTASI",
                  "EVALUASI", "TINDAK LANJUT", "LAMPIRAN", "DAFTAR ISI"):
        assert title in text, title
    assert "Pemerintah Kabupaten Contoh".upper() in text
    assert "data:image/png;base64," in html
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html), "external URL in the report"
    assert "@import" not in html and "url(http" not in html
    assert "target-counter(attr(href), page)" in html  # contents page numbers in print
    # the settings and provenance appendix name the settings hash and every input file
    assert bundle.ctx.settings.sha256 in html
    for name in bundle.input_hashes:
        assert name in html


def test_english_report(bundle):
    from workbook.report.render import build_document, render_html

    text = _text(render_html(build_document(bundle.for_view(None, "en"), None)))
    assert "INTRODUCTION" in text and "NEEDS ANALYSIS" in text and "PENDAHULUAN" not in text


def test_kesbangpol_unit_report_suppresses_and_agrees_with_agency(bundle):
    """A unit with 3 survey respondents: hidden figures, and every unit table row equals the agency's row."""
    from workbook.report.render import build_document, render_html

    agency = _tables(render_html(build_document(bundle, None)))
    unit_html = render_html(build_document(bundle, "KESBANGPOL"))
    assert "disembunyikan (n &lt; 5)" in unit_html
    unit = _tables(unit_html)
    compared = 0
    # the plan's tables of a unit report are the unit's own part of the per-person plan (its seats,
    # persons, JP and money; issue #17 "one plan"), not copies of agency rows: checked in tests/plan
    own_part = {"plan_table", "budget_units", "programme_ranking", "mandatory", "selection", "unit_lines"}
    for key, ut in unit.items():
        if key not in agency or key in ("settings", "provenance") or key in own_part:
            continue
        at = agency[key]
        common = [c for c in ut.columns if c in at.columns]
        agency_rows = set(map(tuple, at[common].astype(str).values))
        for _, row in ut.iterrows():
            assert tuple(row[common].astype(str)) in agency_rows, (key, row.tolist())
            compared += 1
    assert compared >= 5
    # the raw figures that the agency hides never appear: respondents (3) and response rate of KESBANGPOL
    peg = bundle.dc.tables["pegawai"]
    surv = bundle.dc.tables["survei_pegawai"]
    staff = peg[peg["kode_unit"] == "KESBANGPOL"]
    n_resp = int(staff["pegawai_id"].isin(surv["pegawai_id"]).sum())
    assert n_resp < 5
    from workbook.core.i18n import fmt_percent

    rate = fmt_percent(n_resp / len(staff), "id")
    assert rate not in _text(unit_html)
    units = unit["units"]
    assert (units.iloc[0] == "disembunyikan (n < 5)").sum() >= 2


def test_unit_needs_sentence_never_leaks_hidden_share(bundle):
    from workbook.needs.report import needs_unit_sentences

    lines = needs_unit_sentences(bundle.for_view("KESBANGPOL").needs, "KESBANGPOL")
    assert any("disembunyikan (n < 5)" in x for x in lines)
    gaps = bundle.needs.unit_competency
    raw = gaps[gaps["kode_unit"] == "KESBANGPOL"]
    from workbook.core.i18n import fmt_percent

    raw_shares = {fmt_percent(v, "id") for v in (raw["n_below"] / raw["n_assessed"]).dropna() if 0 < v < 1}
    joined = " ".join(lines)
    perf_line = [x for x in lines if "SKP" in x]
    for s in raw_shares:
        assert s not in joined.replace(perf_line[0] if perf_line else "", ""), s


def test_pdf_a4_with_contents_page_numbers(bundle, tmp_path):
    from workbook.report.render import build_document, render_html, write_pdf

    html = render_html(build_document(bundle, "KESBANGPOL"))
    path, pages = write_pdf(html, tmp_path / "k.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and pages >= 8
    from weasyprint import HTML

    doc = HTML(string=html).render()
    w, h = doc.pages[0].width, doc.pages[0].height
    assert abs(w / h - 210 / 297) < 0.01  # A4 portrait
    # the contents page carries the page number at which BAB II starts
    toc = doc.pages[1]

    def texts(box):
        out = []
        for child in getattr(box, "children", []) or []:
            if hasattr(child, "text"):
                out.append(child.text)
            out.extend(texts(child))
        return out

    toc_text = " ".join(texts(toc._page_box))
    bab2 = next(i for i, p in enumerate(doc.pages) if "ANALISIS KEBUTUHAN" in " ".join(texts(p._page_box))
                and i > 1)
    assert re.search(rf"ANALISIS KEBUTUHAN.*?\b{bab2 + 1}\b", toc_text), toc_text[:400]


def test_formats_and_params_validated():
    from workbook.report.batch import resolve_units
    from workbook.report.laporan import parse_formats

    assert parse_formats("html, pdf") == ("html", "pdf")
    with pytest.raises(SettingsError):
        parse_formats("html,docx")
    with pytest.raises(SettingsError):
        resolve_units("BAPPEDA,NOPE", ["BAPPEDA", "DINKES"])
    assert resolve_units("all", ["A", "B"]) == [None, "A", "B"]
    from workbook.report.batch import main

    assert main(["--formats", "html,docx", "--no-progress"]) == 2
    assert main(["--lang", "en", "--jobs", "0", "--no-progress"]) == 2


def test_inprocess_engine_reports_failing_cell(tmp_path):
    import nbformat
    import papermill as pm

    from workbook.report.engine import register

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("from IPython.display import display, Markdown\ndisplay(Markdown(f'x={x}'))"),
                nbformat.v4.new_code_cell("raise ValueError('rusak ' + str(x))")]
    src = tmp_path / "t.ipynb"
    nbformat.write(nb, src)
    with pytest.raises(pm.PapermillExecutionError) as info:
        pm.execute_notebook(str(src), str(tmp_path / "o.ipynb"), parameters={"x": 7}, engine_name=register(),
                            progress_bar=False)
    assert info.value.ename == "ValueError" and "rusak 7" in info.value.evalue
    done = nbformat.read(tmp_path / "o.ipynb", as_version=4)
    shown = [o for c in done.cells if c.cell_type == "code" for o in c.get("outputs", [])
             if o.get("output_type") == "display_data"]
    assert shown and "x=7" in shown[0]["data"]["text/markdown"]


@pytest.mark.slow
def test_batch_failure_isolated_then_rerun_redoes_only_that_unit(out):
    """One unit's output folder is blocked: the others finish, the status names the failure; after the fix
    the rerun redoes only that unit (the others are unchanged and skipped)."""
    from workbook.report.batch import run_reports
    from workbook.report.render import report_dir

    params = {"output_dir": str(out), "interactive": False}
    ctx = open_context(**params)
    blocked = report_dir(out, ctx.year, "SETWAN")
    if blocked.exists():
        shutil.rmtree(blocked)
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("bukan folder / not a folder")  # a file where the unit's folder must go
    units = "BAPPEDA,SETWAN,KESBANGPOL"
    rows = run_reports(params, units=units, formats=("html", "xlsx"), jobs=2, progress=False)
    st = {r["unit"]: r for r in rows}
    assert st["SETWAN"]["status"] == "failed"
    assert st["SETWAN"]["failing_cell"] is not None and "SETWAN" in st["SETWAN"]["message"]
    assert {st[u]["status"] for u in ("INSTANSI", "BAPPEDA", "KESBANGPOL")} == {"ok"}
    status = pd.read_csv(out / str(ctx.year) / "reports" / "status_laporan_id.csv")
    assert list(status.columns) == ["unit", "status", "duration_s", "failing_cell", "message"]
    assert set(status["unit"]) == {"INSTANSI", "BAPPEDA", "SETWAN", "KESBANGPOL"}
    for u in (None, "BAPPEDA", "KESBANGPOL"):
        d = report_dir(out, ctx.year, u)
        assert not list(d.glob(".*.tmp")), "half-written file left behind"
        m = json.loads((d / "manifest_id.json").read_text())
        assert {"inputs", "params", "settings_sha256", "notebook_sha256", "workbook_version"} <= set(m)
        html = next(d.glob("*.html"))
        assert "</html>" in html.read_text(encoding="utf-8")
        assert m["files"][html.name] and len(m["files"]) == 2
    blocked.unlink()  # the fix
    rows = run_reports(params, units=units, formats=("html", "xlsx"), jobs=2, progress=False)
    st = {r["unit"]: r["status"] for r in rows}
    assert st == {"INSTANSI": "unchanged", "BAPPEDA": "unchanged", "KESBANGPOL": "unchanged", "SETWAN": "ok"}


@pytest.mark.slow
def test_report_notebook_via_kernel_engine(out):
    """The contract path: the report notebook executed by papermill with a real Jupyter kernel."""
    from workbook.report.batch import run_reports

    rows = run_reports({"output_dir": str(out), "interactive": False}, units="DINSOS", formats=("html",), jobs=1,
                       engine="kernel", force=True, progress=False)
    assert [r["status"] for r in rows] == ["ok", "ok"], rows


@pytest.mark.slow
def test_dask_local_cluster(out):
    distributed = pytest.importorskip("distributed")
    from workbook.report.batch import run_reports

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster, distributed.Client(cluster) as client:
        rows = run_reports({"output_dir": str(out), "interactive": False}, units="BKPSDM,DINSOS",
                           formats=("html",), scheduler=client, force=True, progress=False)
    assert {r["unit"]: r["status"] for r in rows} == {"INSTANSI": "ok", "BKPSDM": "ok", "DINSOS": "ok"}


def test_monitor_realised_against_plan(out, tmp_path):
    from workbook.report.monitor import run_monitor

    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    ctx = open_context(data_dir=str(data), output_dir=str(out), interactive=False)
    sched = pd.read_parquet(out / str(ctx.year) / "restricted" / "02_plan" / "schedule.parquet")
    done = sched[sched["bulan"] <= 2]
    assert not done["intake"].astype(bool).any()  # the intake (TMT 1 March) is trained after appointment
    real = pd.read_csv(data / "realisasi_pengembangan.csv")
    extra = pd.DataFrame({"pegawai_id": done["pegawai_id"], "program_id": done["program_id"],
                          "nama_kegiatan": done["program_id"], "tanggal_mulai": f"{ctx.year}-02-15", "jp": done["jp"]})
    pd.concat([real, extra]).to_csv(data / "realisasi_pengembangan.csv", index=False)
    res = run_monitor(ctx, month=f"{ctx.year}-02", formats=("html", "xlsx"))
    tab = res.table.set_index("kode_unit")
    # everything planned to date was realised: JP realised equals JP planned to date for the agency
    assert tab.loc["INSTANSI", "jp_realised"] == pytest.approx(done["jp"].sum())
    assert tab.loc["INSTANSI", "jp_vs_plan"] == pytest.approx(1.0)
    assert 0 < tab.loc["INSTANSI", "absorption"] < 1
    assert res.files["html"].is_file() and "disembunyikan" not in "" and res.month == f"{ctx.year}-02"
    with pytest.raises(SettingsError):
        run_monitor(ctx, month=f"{ctx.year + 1}-01")


def test_no_budget_line_is_printed_overspent(bundle):
    """No "sisa -Rp…" and no share of a pagu above 100 % in the agency's or a unit's chapters."""
    import re

    from workbook.report.render import build_document, render_html

    for unit in (None, "RSUD"):
        html = render_html(build_document(bundle, unit))
        assert not re.search(r"sisa\s+-\s*Rp", _text(html)), unit
        for key, tab in _tables(html).items():
            if key in ("budget_lines", "unit_budget_lines"):
                cells = tab.astype(str).to_numpy().ravel()
                assert not any(c.strip().startswith("-Rp") for c in cells), (unit, key, tab.to_dict("records"))

