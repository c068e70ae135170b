"""Stage 02 writes codes; :mod:`workbook.plan.words` (read by ``report.py`` and the XLSX writer)
has their words in Indonesian and English.

Every code a kernel can emit is declared next to the kernel (``REASON_CODES``,
``EXPLANATION_CODES``, ``MENTOR_NOTE_CODES``, ``UNPAIRED_CODES``, ``RECOMMENDATION_CODES``,
``COVERAGE_BASIS_CODES``); the sample run checks that the artefacts hold only declared codes and
no sentence columns, and that what a person reads (report tables, ``plan.xlsx``, the confidential
talent pool) still shows the words.
"""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from workbook.plan import common, explain, talent
from workbook.plan import words as W

#: (codes a kernel can emit, the words of those codes)
FAMILIES = {
    "reason": (common.REASON_CODES, W.REASONS),
    "explanation": (explain.EXPLANATION_CODES, W.EXPLANATIONS),
    "mentor_note": (talent.MENTOR_NOTE_CODES, W.MENTOR_NOTES),
    "unpaired": (talent.UNPAIRED_CODES, W.UNPAIRED),
    "recommendation": (talent.RECOMMENDATION_CODES, W.RECOMMENDATIONS),
    "coverage_basis": (explain.COVERAGE_BASIS_CODES, W.COVERAGE_BASIS),
}
#: parameters that make every explanation template complete
PARAMS = {
    "kompetensi": ["M.1", "T.2"],
    "group_kompetensi": ["M.1", "T.2"],
    "group_unit": ["DINKES", "BKPSDM"],
    "group_participants": [12, 5],
    "other_groups": 2,
    "alt_program_id": "PRG-001",
    "jp": 32.0,
    "jp_pppk_cap": 24.0,
}
#: the sentence columns the artefacts no longer carry
PROSE = {"alasan", "reason_en", "catatan", "rekomendasi"}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_code_has_words_in_both_languages(family):
    codes, table = FAMILIES[family]
    assert len(codes) == len(set(codes)) and set(codes) == set(table), family
    for code in codes:
        ind, eng = table[code]
        assert ind.strip() and eng.strip() and code not in (ind, eng), (family, code)


@pytest.mark.parametrize("code", explain.EXPLANATION_CODES)
def test_every_explanation_renders(code):
    for lang in ("id", "en"):
        text = W.explanation_text({"reason": code, **PARAMS}, lang)
        assert text and "{" not in text and "}" not in text
        assert text.startswith(
            ("terpilih", "tidak terpilih") if lang == "id" else ("selected", "not selected")
        )
    selected = W.explanation_text({"reason": "selected", **PARAMS}, "id")
    assert selected == (
        "terpilih: menutup kesenjangan M.1 untuk 12 pegawai di DINKES, T.2 untuk 5 pegawai di "
        "BKPSDM (dan 2 kelompok lain)"
    )


def test_codes_render_with_their_separators():
    assert W.reason_text("no_need;budget", "id") == (
        "tidak ada kebutuhan pengembangan yang teridentifikasi; anggaran habis"
    )
    assert W.reason_text("budget", "en") == "budget exhausted"
    assert (
        W.reason_text("", "en")
        == W.unpaired_text("", "id")
        == W.recommendation_text("", "en")
        == ""
    )
    assert W.recommendation_text(talent.BOX_RECOMMENDATION[9], "en").startswith(
        "Promote and retain"
    )


def test_explanations_sheet_and_talent_sheet_keep_the_reader_columns():
    ex = pd.DataFrame(
        [
            {
                "program_id": "A",
                "nama_program": "Pelatihan A",
                "selected": False,
                "participants": 0,
                "reason": "pppk_cap",
                **PARAMS,
            }
        ]
    )
    sheet = W.explanations_sheet(ex)
    assert list(sheet.columns) == [
        "program_id",
        "nama_program",
        "selected",
        "participants",
        "reason",
        "alasan",
        "reason_en",
    ]
    assert (
        sheet.at[0, "alasan"]
        == "tidak terpilih: hanya dibutuhkan PPPK dan 32 JP melebihi batas 24 JP PPPK"
    )
    tp = pd.DataFrame(
        {
            "pegawai_id": ["a", "b"],
            "box": [1, 0],
            "recommendation": ["per_regulation", ""],
            "jabatan_berikut": ["", ""],
        }
    )
    t = W.talent_sheet(tp)
    assert list(t.columns) == [
        "pegawai_id",
        "box",
        "rekomendasi",
        "recommendation",
        "jabatan_berikut",
    ]
    assert t["rekomendasi"].tolist() == [
        "Diproses sesuai ketentuan peraturan perundang-undangan",
        "",
    ]
    assert t["recommendation"].tolist() == ["Handled according to the regulations", ""]


# --------------------------------------------------------------------------- the sample run


def _codes(series: pd.Series) -> set[str]:
    return {c for v in series.astype(str) for c in v.split(";") if c}


def test_sample_artefacts_hold_declared_codes_only(sample_run):
    year = sample_run.out / str(sample_run.ctx.year)
    agg, rst = year / "02_plan", year / "restricted" / "02_plan"
    frames = {p.stem: pd.read_parquet(p) for p in [*agg.glob("*.parquet"), *rst.glob("*.parquet")]}
    for name, df in frames.items():
        assert not PROSE & set(df.columns), name
    ex = frames["explanations"]
    assert _codes(ex["reason"]) <= set(explain.EXPLANATION_CODES) and "selected" in set(
        ex["reason"]
    )
    for name in ("unmet", "below_minimum_reasons", "below_minimum"):
        assert _codes(frames[name]["reason"]) <= set(common.REASON_CODES), name
    assert len(_codes(frames["below_minimum"]["reason"])) >= 1
    mentoring = frames["mentoring"]
    assert set(mentoring["note"]) <= set(talent.MENTOR_NOTE_CODES) and len(mentoring)
    assert _codes(mentoring["reason"]) <= set(talent.UNPAIRED_CODES)
    rec = frames["talent"]["recommendation"]
    assert _codes(rec) <= set(talent.RECOMMENDATION_CODES) and len(_codes(rec)) >= 3
    gp = sample_run["plan"].group_plan
    assert _codes(gp.coverage["reason"]) <= set(common.REASON_CODES)
    assert set(gp.coverage["basis"]) <= set(explain.COVERAGE_BASIS_CODES)


def test_what_a_person_reads_shows_the_words(sample_run):
    from workbook.plan import report as pr

    res = sample_run["plan"]
    ex = res.group_plan.explanations
    shown = pr.explanations_table(res)
    assert shown.columns[-1] == "Alasan"
    shown = shown[shown.iloc[:, 0] != ""]  # without the block headings ("Pelatihan wajib", "Program lain")
    said = shown["Alasan"].tolist()
    # a selected programme's groups are the per-person plan's places (not the selection's), each
    # competency with its name from kamus_kompetensi ("M.8 Pengambilan Keputusan")
    named = pr.rw_.name_competencies(pr.rw_.placed_groups(ex, pr.plan_rows(res)), res, "id")
    words = [W.explanation_text(r, "id") for r in named.to_dict("records")]
    # the programmes outside the optimisation (mandatory block) come first, in words
    n_wajib = sum(w.startswith("Pelatihan wajib, didanai sebelum optimasi") for w in said)
    assert n_wajib and all(w.startswith("Pelatihan wajib, didanai sebelum optimasi") for w in said[:n_wajib])
    # then the optimisation's reason in words; a programme it did not choose but that is in the plan
    # (top-up for 20 JP) keeps that reason inside the sentence saying how it entered the plan
    for got, want in zip(said[n_wajib:], words, strict=True):
        assert (got == want or (got.startswith("Tidak dipilih optimasi (" + want + ")") and "20 JP" in got)
                or (got.startswith(want + "; kesenjangan ") and "tidak menurut JP program" in got))
    assert all(w.startswith(("terpilih: menutup kesenjangan", "tidak terpilih: ",
                             "terpilih pada putaran pengisian ulang")) for w in words)
    summary = pr.summary_markdown(res)
    below = res.below_minimum
    if below is not None and len(below):
        # every reason someone stays below 20 JP is said (unavailable people as excluded)
        for code in set(below["reason"].astype(str).str.split(";").explode()) - {""}:
            said_as = "tidak tersedia pada tahun rencana" if code == "unavailable" else W.reason_text(code, "id")
            assert said_as in summary, code
    year = sample_run.out / str(sample_run.ctx.year)
    wb = load_workbook(year / "02_plan" / "plan.xlsx", read_only=True)
    rows = list(wb["alasan_program"].iter_rows(values_only=True))
    wb.close()
    header = list(rows[1])  # row 1 is the banner
    assert header == [
        "program_id",
        "nama_program",
        "selected",
        "participants",
        "reason",
        "alasan",
        "reason_en",
    ]
    assert all(str(r[5]).startswith(("terpilih", "tidak terpilih")) for r in rows[2:])
    assert all(str(r[6]).startswith(("selected", "not selected")) for r in rows[2:])
    wb = load_workbook(year / "confidential" / "02_plan" / "talent_pool.xlsx", read_only=True)
    rows = list(wb["kotak_talenta"].iter_rows(values_only=True))
    wb.close()
    header = list(rows[1])
    i, j = header.index("rekomendasi"), header.index("recommendation")
    assert j == i + 1
    words_id = {v[0] for v in W.RECOMMENDATIONS.values()}
    assert {r[i] for r in rows[2:] if r[i]} <= words_id and any(r[i] for r in rows[2:])
