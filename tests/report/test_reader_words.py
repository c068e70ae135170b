"""What a BKPSDM planner reads in the yearly reports: no internal references or codes (issue #17,
branch words2). Appendix A prints each setting's source in plain words and values as Ya/Tidak and
"—"; the plan chapters name estimated mandatory trainings instead of their internal id, never
repeat a training's name, say what "formasi" and "melewati batas waktu" counts are, and name
every mandatory training of the plan in the steps sentence; the PDF keeps short tables whole and
prints the plan table in landscape."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from workbook.core.context import open_context
from workbook.core.settings import load_settings
from workbook.report.sources import plain_source

#: what a reader must never see in Appendix A (internal references, Python literals)
FORBIDDEN = ("DOMAIN", "❓", "✅", "🟡", "Isu #", "isu #", ".md", "None", "True", "False", "[S0", "§11")


@pytest.fixture(scope="module")
def bundle(sample_run, tmp_path_factory):
    """The sample agency's results, read from a copy of the shared run's artefacts."""
    from workbook.report.bundle import load_bundle

    d = tmp_path_factory.mktemp("words2")
    shutil.copytree(sample_run.out, d, dirs_exist_ok=True)
    return load_bundle(open_context(output_dir=str(d), interactive=False))


@pytest.fixture(scope="module")
def html(bundle) -> dict:
    """The rendered HTML of the agency report (id, en) and of the RSUD and DISDIK reports."""
    from workbook.report.render import build_document, render_html

    out = {(u, "id"): render_html(build_document(bundle, u)) for u in (None, "RSUD", "DISDIK")}
    out[(None, "en")] = render_html(build_document(bundle.for_view(None, "en"), None))
    return out


def _text(html: str) -> str:
    import html as _html

    return _html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>|<img[^>]*>", "",
                                                                                 html, flags=re.S))))


def _section(html: str, sid: str) -> str:
    m = re.search(rf'<section class="section" id="{sid}">(.*?)</section>', html, re.S)
    assert m, sid
    return _text(m.group(1))


def _body(html: str) -> str:
    """The chapters before the appendix (BAB I–VI)."""
    return _text(html.split('<section class="chapter" id="lampiran"')[0].split('<section class="chapter"', 1)[1])


def test_every_default_source_prints_in_plain_words():
    """Each source of defaults.yaml, cleaned: no internal reference left, no emptied bracket or
    dangling punctuation, and "belum dikonfirmasi" kept (or added for ❓) where the source is open."""
    for r in load_settings().table():
        raw, clean = str(r["source"]), plain_source(r["source"])
        assert clean and clean != "—", r["key"]
        for bad in FORBIDDEN + (".py", "butir", "§"):
            if bad == "§" and "RFC" in raw:
                continue
            assert bad not in clean, (r["key"], bad, clean)
        assert not re.search(r"\(\s*[,;:)]|[,;:]\s*\)|^[\s,;:(]|[,;:]\s*$|\s{2}", clean), (r["key"], clean)
        assert clean.count("(") == clean.count(")"), (r["key"], clean)
        if "❓" in raw or "belum dikonfirmasi" in raw:
            assert "belum dikonfirmasi" in clean, (r["key"], clean)
    # a regulation stays as written
    assert plain_source(load_settings().entries["plan.jp_1020_70_by_bentuk"]["source"]).startswith(
        "Perlan 6/2023 Pasal 18: 10 % pembelajaran terstruktur")


@pytest.mark.parametrize("which", [(None, "id"), (None, "en"), ("RSUD", "id")])
def test_appendix_a_has_no_internal_reference(html, which):
    a = _section(html[which], "la")
    for bad in FORBIDDEN:
        assert bad not in a, (which, bad, a[max(0, a.find(bad) - 120):a.find(bad) + 80])
    if which[0] is None:  # the full table: booleans, empty values and the unconfirmed say so in words
        yes, no = ("Ya", "Tidak") if which[1] == "id" else ("Yes", "No")
        assert f"jpm.cap_at_100 {no} " in a and f"plan.blud_own_unit_only {yes} " in a
        assert "evaluation.l2_reliability — " in a
        assert "belum dikonfirmasi" in a and "Perlan 6/2023 Pasal 18" in a


@pytest.mark.parametrize("unit", [None, "RSUD", "DISDIK"])
def test_body_prints_names_not_internal_codes(bundle, html, unit):
    body = _body(html[(unit, "id")])
    assert "PERKIRAAN-" not in body and "komponen_biaya" not in body
    # no raw reason code; "terlambat" only in the overdue sentence ("PKP terlambat: 1 pegawai …")
    assert "formasi baru" not in body and not re.search(r"terlambat(?!:)", body)
    rep = re.search(r"Wajib: ([^—]{2,40}?) — \1\b", body)
    assert not rep, rep.group(0) if rep else ""
    # every mandatory training of the plan is named in the steps sentence
    import workbook.plan.report as R
    import workbook.plan.report_words as rw

    plan = R.plan_rows(bundle.plan)
    codes = rw.wajib_in_plan(plan)
    assert {"latsar", "orientasi_pppk", "pkn2"} <= set(codes), codes
    steps = re.search(r"Pertama, pelatihan wajib \(([^)]*)\)", body)
    assert steps, body[:300]
    from workbook.core.i18n import t

    for c in codes:
        assert t(f"plan.wajib.singkat.{c}", "id") in steps.group(1), (c, steps.group(1))
    if any(rw.is_estimate(p) for p in plan["program_id"]) and unit is None:
        assert "PKN II (perkiraan)" in body and 'Program bertanda "(perkiraan)"' in body
    if unit is None:  # what the intake is, in words
        assert "dari formasi tahun rencana yang belum ada di data pegawai" in body


def test_pdf_layout_classes(html):
    """The plan table is printed in landscape in the unit reports too; a table of at most 25 rows
    carries the class that keeps it on one page, a longer one does not (its header row repeats)."""
    from workbook.report.render import KEEP_TOGETHER_ROWS, _css

    for key, page in html.items():
        figs = re.findall(r'<figure class="(tab[^"]*)">\s*<figcaption>.*?</figcaption>\s*(<table.*?</table>)', page, re.S)
        assert figs, key
        for cls, table in figs:
            rows = table.count("<tr")
            assert ("keep" in cls.split()) == (rows <= KEEP_TOGETHER_ROWS + 1), (key, cls, rows)
            if 'data-table="plan_table"' in table:
                assert "landscape" in cls.split(), key
    css = _css()
    assert re.search(r"figure\.tab\.keep\s*\{[^}]*break-inside:\s*avoid", css)
    assert re.search(r"thead\s*\{[^}]*table-header-group", css)


def test_ranking_figure_labels_are_whole_and_inside(bundle):
    """Gambar 3.1: every programme's label is shown in full (wrapped, not cut at 40 characters)
    and lies inside the drawn figure."""

    import workbook.plan.report as R

    fig = R.ranking_figure(bundle.plan)
    fig.canvas.draw()
    ax = fig.axes[0]
    r = fig.canvas.get_renderer()
    names = bundle.plan.ranking.head(15)["nama_program"].astype(str)
    for lab, name in zip(ax.get_yticklabels(), names, strict=True):
        text = lab.get_text().replace("\n", " ")
        assert text.endswith(name) or text.endswith("…"), (text, name)
        assert all(len(line) <= 34 for line in lab.get_text().split("\n"))
        box = lab.get_window_extent(r)
        assert box.x0 >= 0 and box.y0 >= 0 and box.y1 <= fig.bbox.height, (text, box)
    import matplotlib.pyplot as plt

    plt.close(fig)


# --- issue #18/#17: Appendix A lists the settings a reader needs, in the reader's words and numbers;
# the body of the reports names no setting, file, artefact or column ---

def _settings_rows(html: str) -> list[list[str]]:
    """The cells of Appendix A's settings table, row by row (setting, value, source, changed)."""
    import html as _html

    m = re.search(r'<table class="data" data-table="settings">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert m, "no settings table"
    return [[_html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S)]


#: a review code of the project ("Tinjauan 2026-12 M1", "ulasan M14", "temuan 3.10") and regex syntax
REVIEW_CODE = re.compile(r"\b(?:tinjauan|ulasan|temuan)\b[^;,]*?\b(?:\d{4}-\d{2}|[MW]\d+|\d+\.\d+)\b|\bisu\s*#", re.I)
REGEX = re.compile(r"\\[bdswS]|\.\*|\.\+|\(\?|\[\^|\w\|\w")
PATH = re.compile(r"docs/|bench/|workbook/|\.md\b|\.py\b|\.parquet\b|\.ipynb\b")


@pytest.mark.parametrize("which", [(None, "id"), (None, "en"), ("RSUD", "id")])
def test_appendix_a_lists_reader_settings_in_reader_words(html, which):
    """No printed row is a software setting (server, upload, input limits, pseudonymisation, solver
    internals, seeds, matching patterns); every reader setting of the agency report is printed;
    no source holds a review code, a path or a regular expression; numbers are in the reader's
    format (0,05 and 22.945.000 in Indonesian)."""
    from workbook.report.sources import SOFTWARE_GROUPS, SOFTWARE_KEYS, for_reader

    settings = load_settings()
    assert SOFTWARE_KEYS <= set(settings.entries)  # no stale name in the list
    assert {k.split(".")[0] for k in settings.entries} >= set(SOFTWARE_GROUPS)
    rows = _settings_rows(html[which])
    keys = [r[0] for r in rows if r[0]]
    assert keys and all(k in settings.entries and for_reader(k) for k in keys), [k for k in keys if not for_reader(k)]
    assert not any(k.startswith(("dashboard.", "upload.", "privacy.", "input.")) for k in keys)
    if which[0] is None:
        assert keys == [k for k in settings.entries if for_reader(k)]
        assert len(keys) < len(settings.entries) - 20  # the software settings (about 30) are left out
    for r in rows:
        src = r[2]
        assert not REVIEW_CODE.search(src), (r[0], src)
        assert not PATH.search(src), (r[0], src)
        assert not REGEX.search(src) and not REGEX.search(r[1]), (r[0], r[1], src)
        if which[1] == "id":
            assert not re.search(r"(?<![\w.])\d+\.\d+(?![\d.])", r[1]) or re.search(r"\d\.\d{3}\b", r[1]), r
            assert not re.search(r"(?<![\w.,§])0\.\d", src), (r[0], src)
    vals = {r[0]: r[1] for r in rows if r[0]}
    if which == (None, "id"):
        assert vals["evaluation.alpha"] == "0,05" and vals["ahp.cr_max"] == "0,1"
        assert "Konvensi Sig. < 0,05" in [r[2] for r in rows if r[0] == "evaluation.alpha"][0]
        assert "pkn2 / biaya: 22.945.000" in [r[1] for r in rows]
    if which == (None, "en"):
        assert vals["evaluation.alpha"] == "0.05"


def test_pppk_cap_source_and_one_orientation_jp(html):
    """The PPPK cap cites Perlan 15/2020 (not a defence-ministry regulation); Orientasi PPPK's JP
    is one value in Appendix A (eligibility.orientasi_pppk_jp), not also a stale "jp: 0" in the
    estimate table, and the plan's estimated orientation carries that value."""
    s = load_settings()
    src = plain_source(s.entries["jp.pppk_maximum"]["source"])
    assert "Perlan 15/2020" in src and "Permenhan" not in src and "24 JP" in src
    assert "jp" not in s["eligibility.biaya_estimasi"]["orientasi_pppk"]
    lines = [r[1] for r in _settings_rows(html[(None, "id")])]
    assert not any(v.startswith("orientasi_pppk / jp") for v in lines), [v for v in lines if "orientasi" in v]
    assert any(v.startswith("orientasi_pppk / biaya") for v in lines)
    vals = {r[0]: r[1] for r in _settings_rows(html[(None, "id")]) if r[0]}
    assert vals["eligibility.orientasi_pppk_jp"] == str(s["eligibility.orientasi_pppk_jp"])


def test_estimated_orientation_takes_its_jp_from_the_one_setting(bundle):
    from workbook.plan.mandatory_plan import estimated_programmes

    kat = bundle.ctx.settings
    est = estimated_programmes(pd.DataFrame(columns=["program_id", "nama_program", "jp", "wajib"]), kat)
    ori = est[est["wajib"] == "orientasi_pppk"]
    assert len(ori) == 1 and float(ori["jp"].iloc[0]) == float(kat["eligibility.orientasi_pppk_jp"]) > 0


#: statistical notation that is written with an underscore (Lakens 2013: d_av, d_z)
NOTATION = {"d_av", "d_z"}


def _reader_text(page: str) -> str:
    """The whole text of a report as its reader sees it, except what names things on purpose:
    the setting column of Appendix A (its names are how an agency changes a setting) and the
    provenance appendix (parameters, files and packages with their hashes, for an audit). The
    values of Appendix A stay out of the snake_case check only (see the test)."""
    page = re.sub(r'<section class="section" id="lc">.*?</section>', "", page, flags=re.S)
    page = re.sub(r'(<table class="data" data-table="settings">.*?<tbody>)(.*?)(</tbody>)',
                  lambda m: " ".join(f"<p>{r[2]}</p>" for r in _settings_rows(m.group(0))), page, flags=re.S)
    return _text(page)


@pytest.mark.parametrize("which", [(None, "id"), (None, "en"), ("RSUD", "id")])
def test_reader_text_names_no_setting_path_artefact_or_column(bundle, html, which):
    """The rendered agency report and a unit report carry no settings key
    ("evaluation.magnitude_threshold"), no path of the workbook ("docs/methods/statistics.md"),
    and no artefact, table or column name in snake_case ("followup_coverage", "kolom
    predikat_kinerja", "survei_pegawai.csv")."""
    settings = load_settings()
    text = _reader_text(html[which])
    assert "Lampiran A" in text or "Appendix A" in text
    keys = [m.group(0) for m in re.finditer(r"\b[a-z_]+(?:\.[a-z_]+)+\b", text)
            if m.group(0) in settings.entries or any(k.startswith(m.group(0) + ".") for k in settings.entries)]
    assert not keys, keys
    paths = [text[max(0, m.start() - 60):m.end() + 20] for m in PATH.finditer(text)]
    assert not paths, paths
    snake = [text[max(0, m.start() - 60):m.end() + 20] for m in re.finditer(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", text)
             if m.group(0) not in NOTATION]
    assert not snake, snake


@pytest.fixture(scope="module")
def html_b(agency_b_run, tmp_path_factory) -> dict:
    """The rendered HTML of agency B's report and of its largest unit's report (Indonesian)."""
    from workbook.report.bundle import load_bundle
    from workbook.report.render import build_document, render_html

    d = tmp_path_factory.mktemp("words_b")
    shutil.copytree(agency_b_run.out, d, dirs_exist_ok=True)
    b = load_bundle(open_context(output_dir=str(d), interactive=False))
    units = pd.read_csv(agency_b_run.ctx.data_dir / "pegawai.csv", usecols=["kode_unit"])["kode_unit"]
    unit = str(units.value_counts().index[0])  # the largest unit
    return {None: render_html(build_document(b, None)), "unit": render_html(build_document(b, unit))}


@pytest.mark.parametrize("which", [None, "unit"])
def test_agency_b_reader_text_names_no_setting_path_artefact_or_column(html_b, which):
    """The same on agency B (several budget lines, 9 units, new CPNS): no key, path or snake_case
    name in the text, and Appendix A without software settings."""
    from workbook.report.sources import for_reader

    test_reader_text_names_no_setting_path_artefact_or_column(None, {which: html_b[which]}, which)
    assert all(for_reader(r[0]) for r in _settings_rows(html_b[which]) if r[0])
