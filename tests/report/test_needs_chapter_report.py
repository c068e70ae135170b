"""Chapter II of the rendered reports as the statistician read it (issue #18, branch
needs-chapter): the RSUD unit report and the agency report of the sample agency."""

from __future__ import annotations

import html as _html
import re
import shutil

import pytest

from workbook.core.context import open_context


@pytest.fixture(scope="module")
def chapter2(sample_run, tmp_path_factory) -> dict:
    """Chapter II's text (and HTML) of the agency report and the RSUD report."""
    from workbook.report.bundle import load_bundle
    from workbook.report.render import build_document, render_html

    d = tmp_path_factory.mktemp("needs_chapter")
    shutil.copytree(sample_run.out, d, dirs_exist_ok=True)
    bundle = load_bundle(open_context(output_dir=str(d), interactive=False))
    out = {}
    for unit in (None, "RSUD"):
        page = render_html(build_document(bundle, unit))
        ch = re.search(r'<section class="chapter" id="bab2"(.*?)<section class="chapter"', page, re.S).group(1)
        out[unit] = (ch, _html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>", "", ch)))))
    return out


def test_unit_report_chapter_two(chapter2):
    html, text = chapter2["RSUD"]
    assert "SK 95%" not in text and "Batas bawah" in text and "Manski" in text
    assert "Menurut status kepegawaian: PNS 124;" in text           # the one bar became a sentence
    assert "Pegawai per unit kerja dan status" not in text
    assert "PNS/CPNS" not in text and "PNS dan CPNS yang" not in text
    assert "Sebaran JP tahun lalu, PNS saja" in text


@pytest.mark.parametrize("unit", [None, "RSUD"])
def test_chapter_two_names_no_file_and_explains_its_columns(chapter2, unit):
    html, text = chapter2[unit]
    assert ".csv" not in text and "survei_pegawai" not in text
    assert "isian ganda di survei AKPK pegawai dibuang" in text
    assert "Job Person Match" in text and "Kurang Optimal" in text     # what JPM and 78 are
    assert "Realisasi di bawah target (SKP format lama)" in text and "Kolom terakhir hanya keterangan" in text
    assert "tambahan)" not in text
