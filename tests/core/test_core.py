"""Settings, language/formatting, suppression, artefacts, paths and the notebook-parameter check."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest
import yaml

from workbook.core import artefacts
from workbook.core.context import check_params
from workbook.core.exceptions import SettingsError, WorkbookError
from workbook.core.i18n import catalogue, fmt_date, fmt_number, fmt_percent, fmt_rupiah, t
from workbook.core.settings import load_settings
from workbook.core.suppression import suppress_crosstab, suppress_table

# --- settings ---------------------------------------------------------------------------------

def test_every_default_has_a_source():
    s = load_settings()
    assert len(s.keys()) > 30
    for key in s.keys():
        assert s.source(key).strip(), key


def test_sourced_defaults_match_domain_brief():
    s = load_settings()
    # DOMAIN.md §0: 20 JP, 45 minutes, PPPK 24 JP, CR ≤ 0.10, RI for n=3..5, k = 5 / 8.
    assert s["jp.minimum_pns"] == 20
    assert s["jp.minutes_per_jp"] == 45
    assert s["jp.pppk_maximum"] == 24
    assert s["ahp.cr_max"] == 0.10
    assert s["ahp.random_index"]["saaty1980"][2:5] == [0.58, 0.90, 1.12]
    assert s["suppression.k_count"] == 5 and s["suppression.k_distribution"] == 8
    assert s["ngain.hake_bands"] == {"high": 0.7, "medium": 0.3}
    assert s["jpm.categories_uji"]["MS"] == 80 and s["jpm.categories_pemetaan"]["Optimal"] == 90


def test_agency_file_overrides_plain_and_full_entries(tmp_path):
    f = tmp_path / "pengaturan.yaml"
    f.write_text(yaml.safe_dump({"jp": {"minimum_pns": 24}, "suppression.k_count": 10,
                                 "ahp": {"cr_max": {"value": 0.08, "source": "kebijakan daerah"}}}))
    s = load_settings(f)
    assert s["jp.minimum_pns"] == 24 and s["suppression.k_count"] == 10 and s["ahp.cr_max"] == 0.08
    assert sorted(s.overridden) == ["ahp.cr_max", "jp.minimum_pns", "suppression.k_count"]
    assert s.path == str(f)
    assert s.sha256 != load_settings().sha256


def test_unknown_or_illtyped_setting_is_refused(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("jp:\n  minimum_pnss: 24\n")
    with pytest.raises(SettingsError) as e:
        load_settings(f)
    assert "minimum_pnss" in str(e.value) and "tidak dikenal" in e.value.message("id")
    f.write_text("jp:\n  minimum_pns: dua puluh\n")
    with pytest.raises(SettingsError, match="int"):
        load_settings(f)
    f.write_text("jp: [unclosed\n")
    with pytest.raises(SettingsError, match="YAML"):
        load_settings(f)


# --- language and formatting ------------------------------------------------------------------

def test_formatting_per_language():
    assert fmt_rupiah(1_500_000, "id") == "Rp1.500.000"
    assert fmt_rupiah(1_500_000, "en") == "IDR 1,500,000"
    assert fmt_percent(0.125, "id") == "12,5%"
    assert fmt_percent(0.125, "en") == "12.5%"
    assert fmt_number(1234.5, "id") == "1.234,5"
    assert fmt_number(1234.5, "en") == "1,234.5"
    assert fmt_date(pd.Timestamp("2026-11-28"), "id") == "28 November 2026"
    assert fmt_date("2026-08-17", "id") == "17 Agustus 2026"
    assert fmt_percent(float("nan")) == "–"


def test_catalogue_complete_in_both_languages():
    for key, entry in catalogue().items():
        assert entry.get("id") and entry.get("en"), key
    assert t("stage.needs", "id") == "Analisis kebutuhan"
    assert "20" in t("label.reached_20jp", "en", jp=20)


# --- suppression ------------------------------------------------------------------------------

def test_primary_and_complementary_suppression():
    # Dialog's example (DOMAIN §5.3): team A = 3 hidden; B = 6 must also go, else A = total − B − C.
    df = pd.DataFrame({"unit": ["A", "B", "C"], "n": [3, 6, 20], "mean": [1.0, 2.0, 3.0]})
    out = suppress_table(df)
    assert out["suppression_reason"].tolist() == ["primary", "complementary", ""]
    assert out["mean"].isna().tolist() == [True, True, False]
    assert out["n"].isna().tolist() == [True, True, False]


def test_complementary_within_parent_only():
    df = pd.DataFrame({"komp": ["M.1"] * 3 + ["M.2"] * 3, "unit": list("ABC") * 2,
                       "n": [3, 9, 30, 10, 9, 30], "share": [0.5, 0.2, 0.3, 0.4, 0.5, 0.6]})
    out = suppress_table(df, share_cols=["share"], parent_cols=["komp"])
    assert out["suppressed"].tolist() == [True, True, False, False, False, False]


def test_two_small_groups_summing_under_k_pull_in_a_third():
    df = pd.DataFrame({"unit": list("ABCD"), "n": [1, 2, 7, 40], "x": [1.0, 1, 1, 1]})
    out = suppress_table(df)
    # 1 + 2 = 3 < 5 could still be pinned down → C is hidden too.
    assert out["suppressed"].tolist() == [True, True, True, False]


def test_no_extreme_shares_for_small_groups():
    df = pd.DataFrame({"unit": list("ABC"), "n": [6, 6, 50], "share": [1.0, 0.5, 0.0]})
    out = suppress_table(df, share_cols=["share"], parent_cols=None)
    assert out["suppression_reason"].tolist() == ["extreme_share", "", ""]
    assert np.isnan(out.loc[0, "share"]) and out.loc[0, "n"] == 6
    assert out.loc[2, "share"] == 0.0  # a large group may show 0 %


def test_extreme_share_gets_a_complementary_sibling():
    # security review 5.4: K (7 staff, 7 of 7 = 100 %) was the only hidden row, so the published
    # total gave it back (964 − 957 = 7). Hidden for its extreme share, it now has a sibling hidden
    # with it: the smallest other row (B, 20 staff).
    df = pd.DataFrame({"unit": list("KABC"), "n": [7, 40, 20, 60], "n_reached": [7, 30, 12, 50],
                       "share": [1.0, 0.75, 0.6, 5 / 6]})
    out = suppress_table(df, value_cols=["n_reached"], share_cols=["share"], parent_cols=())
    assert out["suppression_reason"].tolist() == ["extreme_share", "", "complementary", ""]
    assert out["n_reached"].isna().tolist() == [True, False, True, False]


def test_hidden_counts_adding_to_zero_pull_in_a_non_zero_sibling():
    # K (6 staff, 0 below: 0 % hidden) and its complement A (20 staff, also 0 below) would both be
    # read as 0 from the published total of 3: the smallest sibling with a non-zero count (B) joins.
    # Only extreme shares are hidden, so the sizes stay (no hidden size to protect).
    df = pd.DataFrame({"unit": list("KABC"), "n": [6, 20, 30, 40], "n_below": [0, 0, 1, 2],
                       "share": [0.0, 0.0, 1 / 30, 0.05]})
    out = suppress_table(df, value_cols=["n_below"], share_cols=["share"], count_cols=["n_below"], parent_cols=())
    assert out["suppression_reason"].tolist() == ["extreme_share", "complementary", "complementary", ""]
    assert out["n"].tolist() == [6, 20, 30, 40]
    without = suppress_table(df, value_cols=["n_below"], share_cols=["share"], parent_cols=())
    assert without["suppressed"].tolist() == [True, True, False, False]


def test_crosstab_margins_cannot_reveal_a_hidden_cell():
    rng = np.random.default_rng(1)
    ct = pd.DataFrame(rng.integers(0, 15, size=(8, 5)))
    out = suppress_crosstab(ct, k=8)
    hidden = out.isna().to_numpy()
    vals = ct.to_numpy()
    assert hidden[(vals > 0) & (vals < 8)].all()  # every small non-zero cell is hidden
    # a zero is hidden only as the complement of last resort: in a line with no non-zero cell left
    for i, j in np.argwhere(hidden & (vals == 0)):
        assert hidden[i][vals[i] > 0].all() or hidden[:, j][vals[:, j] > 0].all()
    for axis in (0, 1):
        per_line = hidden.sum(axis=axis)
        sums = np.where(hidden, vals, 0).sum(axis=axis)
        # a line with hidden cells has at least two of them and they add up to at least k
        assert np.all((per_line == 0) | ((per_line >= 2) & (sums >= 8)) | (per_line == (vals > 0).sum(axis=axis)))


# --- artefacts ---------------------------------------------------------------------------------

def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "a" / "x.txt"
    with pytest.raises(RuntimeError):
        with artefacts.atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("killed")
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_export_escapes_formulas(tmp_path):
    from openpyxl import load_workbook

    df = pd.DataFrame({"komentar": ['=HYPERLINK("http://x","klik")', "+62 811", "biasa", "@SUM(A1)"], "n": [1, 2, 3, 4]})
    artefacts.write_xlsx({"s": df}, tmp_path / "x.xlsx")
    ws = load_workbook(tmp_path / "x.xlsx").active
    values = [ws.cell(row=r, column=1).value for r in range(2, 6)]
    assert values[0].startswith("'=") and values[1].startswith("'+") and values[2] == "biasa"
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(2, 6))
    artefacts.write_csv(df, tmp_path / "x.csv")
    text = (tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYP" not in text


def test_one_formula_guard_for_every_export():
    # OWASP CSV injection: = + - @, tab and carriage return; and the full-width equals sign,
    # which spreadsheet programs read as "=" (the validation report uses the same guard)
    for start in ("=", "+", "-", "@", "\t", "\r", "\uff1d"):
        assert artefacts.escape_formula(start + "1+1") == "'" + start + "1+1"
    for safe in ("biasa", " =1", "", 5, None):
        assert artefacts.escape_formula(safe) == safe
    df = pd.DataFrame({"=x": ["\uff1dSUM(A1)", "ok"], "n": [1, 2]})
    out = artefacts.escape_frame(df)
    assert list(out.columns) == ["'=x", "n"] and out.iloc[0, 0] == "'\uff1dSUM(A1)"
    assert out["n"].tolist() == [1, 2]


def test_output_classes_and_manifest(tmp_path):
    s = load_settings()
    agg = artefacts.stage_dir(tmp_path, 2027, "01_needs")
    res = artefacts.stage_dir(tmp_path, 2027, "01_needs", "restricted")
    conf = artefacts.stage_dir(tmp_path, 2027, "02_plan", "confidential")
    assert conf == tmp_path / "2027" / "confidential" / "02_plan"
    assert agg == tmp_path / "2027" / "01_needs"
    assert res == tmp_path / "2027" / "restricted" / "01_needs"
    assert (tmp_path / "2027" / "confidential" / "RAHASIA.txt").read_text().startswith("RAHASIA")
    p = artefacts.write_parquet(pd.DataFrame({"a": [1, 2]}), agg / "gaps.parquet")
    artefacts.write_manifest(agg, stage="01_needs", settings=s, input_hashes={"pegawai.csv": "abc"}, params={"year": 2027})
    m = json.loads((agg / "manifest.json").read_text())
    assert m["settings_sha256"] == s.sha256 and m["input_hashes"] == {"pegawai.csv": "abc"}
    assert m["files"]["gaps.parquet"] == artefacts.sha256_file(p)
    with pytest.raises(WorkbookError) as e:
        artefacts.read_artefact(tmp_path, 2027, "02_plan", "plan")
    assert "Jalankan dulu" in e.value.message("id") and "Run first" in e.value.message("en")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_readonly_output_folder_gives_clear_message(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(WorkbookError, match="tidak dapat ditulisi"):
            artefacts.write_parquet(pd.DataFrame({"a": [1]}), ro / "x.parquet")
    finally:
        ro.chmod(0o700)


# --- notebook parameters (the cells themselves: tests/notebooks/test_notebook_hygiene.py) -------

def test_unknown_or_illtyped_parameter_is_refused():
    with pytest.raises(SettingsError, match="unit_code"):
        check_params({"unit_code": "DINKES"})
    with pytest.raises(SettingsError, match="int"):
        check_params({"year": "2027"})
    with pytest.raises(SettingsError):
        check_params({"interactive": "yes"})
    with pytest.raises(SettingsError):
        check_params({"lang": "fr"})
    assert check_params({"year": 2027})["lang"] == "id"
