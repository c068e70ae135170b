"""The words of the evaluation codes: every code a kernel can emit has words in both languages,
the templates fill from the row's numbers, and ``docs/data.md`` lists them all."""

from __future__ import annotations

import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbook.core.settings import load_settings
from workbook.core.stats import METHOD_REASONS
from workbook.core.stats.gain import _band_labels
from workbook.evaluation import (
    followup,
    impact,
    l1_reaction,
    l2_learning,
    l3_behaviour,
    l4_results,
    lexicon,
    maturity,
    verdicts,
    words,
)

ROOT = Path(__file__).resolve().parents[2]


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def _both(pair) -> None:
    assert isinstance(pair, tuple) and len(pair) == 2, pair
    w_id, w_en = pair
    assert isinstance(w_id, str) and w_id.strip() and isinstance(w_en, str) and w_en.strip(), pair
    assert _fields(w_id) == _fields(w_en), pair  # both languages take the same numbers


def _emitted_band_codes() -> tuple[set, set]:
    g = np.linspace(-0.5, 1.0, 301)
    lab = _band_labels(g, load_settings())
    return set(lab["hake_category"]), set(lab["effectiveness"])


def test_every_code_the_kernels_emit_has_words_in_both_languages():
    hake, eff = _emitted_band_codes()
    tables = [
        ({*METHOD_REASONS, l3_behaviour.TOO_FEW_RATED}, words.METHOD_REASONS),
        (set(l2_learning.VERDICTS), words.VERDICTS),
        (set(verdicts.MAGNITUDES), words.MAGNITUDES),
        (set(verdicts.CONFLICTS), words.CONFLICTS),
        ({"up", "down", "none"}, words.DIRECTIONS),
        (set(l1_reaction.RELIABILITY), words.RELIABILITY),
        (set(l3_behaviour.STATUS_REASONS), words.L3_STATUS_REASONS),
        ({l4_results.L4_NOTE}, words.L4_NOTES),
        (set(impact.DID_MESSAGES), words.DID_MESSAGES),
        (set(impact.ISOLATION_METHODS), words.ISOLATION_METHODS),
        (set(impact.ROI_NOTES), words.ROI_NOTES),
        (set(followup.REASONS), words.FOLLOWUP_REASONS),
        ({"call", "l2_year", "l3_year"}, words.P_ADJUST_FAMILIES),
        (set(l1_reaction._ASPECTS), words.L1_ASPECTS),
        ({"shapiro_wilk", "lilliefors", "none"}, words.NORMALITY_TESTS),
        (hake, words.HAKE_CATEGORIES),
        (eff, words.EFFECTIVENESS),
        (set(range(5)), words.MATURITY_LADDER),
        (set(range(5)), words.NEXT_STEPS),
        ({"evaluasi_l1", "wawancara", "survei_pegawai"}, words.TEXT_SOURCES),
    ]
    for codes, table in tables:
        assert codes == set(table), (codes, set(table))  # no code without words, no stale words
        for code in codes:
            _both(table[code])
    _both(words.CEILING)
    for w_id, w_en in zip(words.DID_ASSUMPTIONS_ID, words.DID_ASSUMPTIONS_EN, strict=True):
        _both((w_id, w_en))
    # the default L1 classes have English words; every maturity score is a score of the ladder
    assert set(load_settings()["evaluation.l1_classes"]) == set(words.L1_CLASSES_EN)
    done = pd.DataFrame({"tindakan": ["Remedial"], "penanggung_jawab": ["BKPSDM"],
                         "tanggal": ["2027-02-01"], "status": ["selesai"]})
    assert {
        int(maturity.maturity_ladder(*[i < k for i in range(4)], actions=done if k == 4 else None)
            ["score"].iloc[0]) for k in range(5)
    } == set(words.MATURITY_LADDER)


@pytest.mark.parametrize(
    "code",
    [t.code for t in (*lexicon.THEMES_EVALUASI, *lexicon.THEMES_KEBUTUHAN)]
    + list(lexicon.CODED_THEME_LABELS)
    + ["tanpa_isi"],
)
def test_every_theme_code_has_a_label_in_both_languages(code):
    w_id, w_en = words.theme_label(code, "id"), words.theme_label(code, "en")
    assert w_id and w_en and w_id != code


def test_theme_labels_of_clusters_agency_and_suppressed_groups():
    assert words.theme_label("lainnya_2", "id", "latih, sertifikat") == "Lainnya: latih, sertifikat"
    assert (
        words.theme_label("lainnya_kebutuhan_1", "en", "data, aplikasi") == "Other: data, aplikasi"
    )
    assert words.theme_label("lainnya", "en") == "Other"
    assert words.theme_label(None, "id") == "(disembunyikan)"
    assert words.theme_label(None, "en") == "(suppressed)"
    assert words.theme_label("kode_baru", "en") == "Kode baru"  # an interviewer's own code
    own = (lexicon.Theme("materi", "Isi pelatihan", "Course content", ("isi",)),)
    assert words.theme_label("materi", "en", dictionary=own) == "Course content"
    assert words.theme_label("materi", "en") == lexicon.THEMES_EVALUASI[1].label_en


def test_method_reason_words_fill_the_normality_numbers():
    assert words.method_reason_text("normal", "id", test="shapiro_wilk", p=0.38941, alpha=0.05) == (
        "Selisih berdistribusi normal menurut Shapiro-Wilk (p = 0,3894 ≥ α = 0,05): "
        "uji t berpasangan."
    )  # the Indonesian p-value with a decimal comma (it read 0.3894 until the words moved)
    assert "(p = 0.3894 ≥" in words.method_reason_text(
        "normal", "en", test="shapiro_wilk", p=0.38941, alpha=0.05
    )
    # four significant digits as before, never in scientific notation
    assert "(p = 0,00001234 <" in words.method_reason_text(
        "not_normal", "id", test="shapiro_wilk", p=1.2341e-5, alpha=0.05
    )
    assert words.method_reason_text(
        "not_normal", "en", test="lilliefors", p=0.0054481, alpha=0.05
    ) == (
        "Differences are not normal by Kolmogorov-Smirnov (Lilliefors) (p = 0.005448 < α = 0.05): "
        "Wilcoxon signed-rank test."
    )
    # a suppressed programme's p is hidden, and so is the sentence that would carry it
    assert (
        words.method_reason_text("normal", "id", test="shapiro_wilk", p=np.nan, alpha=0.05) is None
    )
    assert words.method_reason_text(None, "id") is None


def test_verdict_words_of_every_code():
    base = {
        "p_adj": 0.0004,
        "p_adjust_method": "holm",
        "d_av": 0.4123,
        "d_av_ci_low": 0.1,
        "d_av_ci_high": 0.72,
        "g_class": 0.18,
        "hake_category": "low",
        "pass_rate": 0.4,
        "passing_score_pct": 70.0,
        "n": 8,
        "mde": 1.157,
        "mde_holm": 2.146,
        "mde_power": 0.8,
        "mde_alpha": 0.05,
        "ceiling": False,
        "ceiling_limit_pct": 90.0,
        "method_reason": "too_few",
    }
    expect = {
        "up_small": (
            "Naik signifikan secara statistik tetapi kecil (p Holm < 0,001; d_av = 0,41, SK 95 % 0,10 s.d. "
            "0,72); N-Gain 0,18 (rendah); 60 % peserta belum lulus (post-test < 70 %).",
            "Rose, statistically significant but small (Holm p < 0.001; d_av = 0.41, 95 % CI 0.10 to 0.72); "
            "N-Gain 0.18 (low); 60 % of participants have not passed (post-test < 70 %).",
        ),
        "ns_undetermined": (
            "Tidak signifikan secara statistik; belum dapat disimpulkan (selang kepercayaan lebar) (p Holm < "
            "0,001; d_av = 0,41, SK 95 % 0,10 s.d. 0,72); N-Gain 0,18 (rendah); 60 % peserta belum lulus "
            "(post-test < 70 %); dengan n = 8, efek terkecil yang dapat dideteksi d_z = 1,16 (daya 80 %, "
            "α = 0,05 tanpa koreksi; 2,15 dengan koreksi Holm).",
            "Not statistically significant; no conclusion yet (wide confidence interval) (Holm p < 0.001; "
            "d_av = 0.41, 95 % CI 0.10 to 0.72); N-Gain 0.18 (low); 60 % of participants have not passed "
            "(post-test < 70 %); with n = 8, the minimum detectable effect is d_z = 1.16 (power 80 %, "
            "α = 0.05 without correction; 2.15 with the Holm correction).",
        ),
        "not_tested": (
            "Tidak dapat diuji: Kurang dari 2 pasangan lengkap: uji tidak dapat dihitung.",
            "Cannot be tested: Fewer than 2 complete pairs: the tests cannot be computed.",
        ),
    }
    for code in words.VERDICTS:
        r = {**base, "verdict": code}
        for lang in ("id", "en"):
            txt = words.verdict_text(r, lang)
            assert txt and "{" not in txt and txt.endswith(".") and not txt.endswith(".."), (
                code,
                txt,
            )
            assert "bermakna" not in txt and "meaningful" not in txt
        if code in expect:
            assert (words.verdict_text(r, "id"), words.verdict_text(r, "en")) == expect[code]
    r = {**base, "verdict": "ns_small", "ceiling": True, "p_adjust_method": "none", "p_adj": 0.5,
         "pass_rate": 1.0}
    assert words.verdict_text(r, "id").endswith(
        "semua peserta lulus (post-test ≥ 70 %); dengan n = 8, efek terkecil yang dapat dideteksi d_z = 1,16 "
        "(daya 80 %, α = 0,05 tanpa koreksi; 2,15 dengan koreksi Holm). Efek plafon: rata-rata pre-test ≥ 90 % "
        "skor maksimum."
    )
    assert "(p = 0,500;" in words.verdict_text(r, "id")
    assert words.verdict_text({"verdict": None}, "id") is None



def test_readable_sheet_puts_the_words_where_the_codes_are():
    l4 = pd.DataFrame(
        {"kode_unit": ["U1"], "indikator": ["IKM"], "note": ["descriptive"], "x": [1.0]}
    )
    out = words.readable(l4, "level4")
    assert list(out.columns) == ["kode_unit", "indikator", "note", "note_en", "x"]
    assert out["note"].iloc[0] == words.L4_NOTES["descriptive"][0]
    assert out["note_en"].iloc[0] == words.L4_NOTES["descriptive"][1]
    mat = maturity.maturity_ladder(True, False, False, False)
    assert list(words.readable(mat, "maturity").columns) == [
        "score",
        "label_id",
        "label_en",
        "next_step_id",
        "next_step_en",
        "gap_in_chain",
        "followup_state",
        "followup_state_id",
        "followup_state_en",
        "n_actions",
        "n_actions_planned",
        "n_actions_ongoing",
        "n_actions_done",
    ]
    assert words.readable(l4, "roi") is l4  # an artefact without codes is shown as it is


def test_docs_data_md_lists_every_code_with_its_words():
    text = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    assert words.codes_markdown() in text, (
        "run: python -c 'from workbook.evaluation.words import "
        "codes_markdown; print(codes_markdown())' and update docs/data.md"
    )
