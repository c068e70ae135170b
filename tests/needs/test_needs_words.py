"""Stage 01 writes codes and numbers; :mod:`workbook.needs.words` (read by ``report.py`` and the
XLSX writer) has their words in Indonesian and English.

The codes: the stability label of a profile (:meth:`NeedProfiles._label`) and the JPM category
(the labels of ``jpm.categories_*`` and :data:`workbook.needs.gaps.INDICATIVE_LABEL_ID`). The
sample run checks that the artefacts carry numbers and codes only and that the profile cards a
person reads (report, ``needs.xlsx``) still show the sentence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from workbook.core.settings import load_settings
from workbook.needs import gaps, words
from workbook.needs.profiles import NeedProfiles


def test_every_code_has_words_in_both_languages():
    labels = {NeedProfiles._label(s, 0.75, 0.6) for s in (np.nan, 0.9, 0.7, 0.1)}  # noqa: SLF001
    assert labels == set(words.STABILITY_LABELS)
    for code in labels:
        ind, eng = words.STABILITY_LABELS[code]
        assert words.stability_text(code, "id") == ind and words.stability_text(code, "en") == eng
        assert ind and eng
    s = load_settings()
    cats = {gaps.INDICATIVE_LABEL_ID}
    for conv in ("uji", "pemetaan"):
        cats |= set(s.entry(f"jpm.categories_{conv}")["labels"].values())
    assert cats == set(words.JPM_CATEGORIES)
    for c in cats:
        assert words.jpm_category_text(c, "id") == c and words.jpm_category_text(c, "en")
    assert words.jpm_category_text(None, "en") is None
    assert words.jpm_category_text("Kategori sendiri", "en") == "Kategori sendiri"  # settings label


def test_profile_sentence_in_both_languages():
    row = {
        "profile": 2,
        "n": 1234,
        "share": 0.25,
        "suggested_areas": "K01, K02",
        "composition_unit": ["Dinas A", "Dinas B"],
        "composition_unit_share": [0.6, 0.4],
        "stability": 0.812,
        "stability_label": "stabil",
    }
    assert words.profile_summary(row, "id") == (
        "Profil 3 beranggotakan 1.234 responden (25% dari yang terpetakan) dengan kebutuhan "
        "terbesar pada K01, K02; terbanyak dari Dinas A (60%); profil ini stabil "
        "(Jaccard bootstrap 0,81)."
    )
    assert words.profile_summary(row, "en") == (
        "Profile 3 has 1,234 respondents (25% of those assigned); the largest needs are in "
        "K01, K02; mostly from Dinas A (60%); the profile is stable (bootstrap Jaccard 0.81)."
    )
    hidden = {**row, "n": np.nan, "share": np.nan, "suggested_areas": "", "composition_unit": None}
    assert words.profile_summary(hidden, "en") == (
        "Profile 3 has – respondents (– of those assigned); no item shows a shortfall on "
        "average; the profile is stable (bootstrap Jaccard 0.81)."
    )
    assert words.composition_text(["Dinas A", "Dinas B"], [0.6, 0.4]) == "Dinas A 60%; Dinas B 40%"
    assert words.composition_text(None, None) is None
    assert (
        words.largest_gaps_text(["K01", "K02"], [-1.5, -0.25], "id") == "K01 (-1,50); K02 (-0,25)"
    )


def test_sample_artefacts_carry_numbers_and_the_cards_show_words(sample_run):
    from workbook.needs import report as nr

    year = sample_run.out / str(sample_run.ctx.year)
    prof = pd.read_parquet(year / "01_needs" / "profiles.parquet")
    assert "summary" not in prof and len(prof)
    assert set(prof["stability_label"]) <= set(words.STABILITY_LABELS)
    for r in prof.itertuples():
        assert len(r.largest_gaps) == len(r.largest_gaps_mean) >= 1
        assert len(r.composition_unit) == len(r.composition_unit_share) >= 1
        assert all(isinstance(x, float) for x in r.composition_unit_share)
    jpm = pd.read_parquet(year / "restricted" / "01_needs" / "jpm.parquet")
    assert "jpm_category_en" not in jpm
    assert set(jpm["jpm_category"].dropna()) <= set(words.JPM_CATEGORIES)
    res = sample_run["needs"]
    cards = nr.profile_cards(res)
    assert list(cards.columns) == [
        "Profil",
        "Nama profil",
        "Jumlah",
        "Porsi",
        "Stabilitas (Jaccard)",
        "Keterangan",
        "Ringkasan",
        "Bidang yang disarankan",
    ]
    assert cards["Ringkasan"].str.startswith("Profil ").all()
    assert cards["Ringkasan"].str.contains("responden").all()
    wb = load_workbook(year / "01_needs" / "needs.xlsx", read_only=True)
    rows = list(wb["profil"].iter_rows(values_only=True))
    wb.close()
    header = list(rows[1])  # row 1 is the banner
    assert header[:11] == [
        "profile",
        "name",
        "n",
        "share",
        "largest_gaps",
        "composition_unit",
        "composition_jabatan",
        "stability",
        "stability_label",
        "summary",
        "suggested_areas",
    ]
    assert all(str(r[9]).startswith("Profil ") for r in rows[2:])
    assert all("%" in str(r[5]) for r in rows[2:])
    # numbered from 1, named by what they need, with competency names (not codes)
    assert [r[0] for r in rows[2:]] == list(range(1, len(rows) - 1))
    assert all(str(r[1]).startswith(("kesenjangan ", "tanpa kesenjangan berarti")) for r in rows[2:])
    assert not any("T.0" in str(r[1]) or "M." in str(r[1]) for r in rows[2:])
