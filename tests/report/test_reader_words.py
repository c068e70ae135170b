"""What a BKPSDM planner reads in the yearly reports: no internal references or codes (issue #17,
branch words2). Appendix A prints each setting's source in plain words and values as Ya/Tidak and
"—"; the plan chapters name estimated mandatory trainings instead of their internal id, never
repeat a training's name, say what "formasi" and "melewati batas waktu" counts are, and name
every mandatory training of the plan in the steps sentence; the PDF keeps short tables whole and
prints the plan table in landscape."""

from __future__ import annotations

import re
import shutil

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
        assert f"jpm.cap_at_100 {no} " in a and f"privacy.deidentify.single_token_wordlist {yes} " in a
        assert "privacy.pseudonym_key_file — " in a
        assert "belum dikonfirmasi" in a and "Perlan 6/2023 Pasal 18" in a


@pytest.mark.parametrize("unit", [None, "RSUD", "DISDIK"])
def test_body_prints_names_not_internal_codes(bundle, html, unit):
    body = _body(html[(unit, "id")])
    assert "PERKIRAAN-" not in body and "komponen_biaya" not in body
    assert "formasi baru" not in body and "terlambat" not in body
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
