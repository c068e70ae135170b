"""Stage 03 on the committed sample: themes and quotes of the free texts, Level 4 DiD.

Oracles: the raw CSV files of ``data_samples/contoh`` (hand computation of the difference in
differences: mean change of the units whose staff attended the linked programme in 2026 − mean
change of the units where nobody did, and the enumeration of every treatment assignment) and
``scipy.stats.ttest_ind(..., equal_var=False).confidence_interval()`` for Welch's interval; the
FAKE identifiers the generator plants (``workbook.sample.FAKE_IDENTIFIERS``) for anonymisation.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _paths import SAMPLE
from scipy import stats

from workbook.core.suppression import k_for
from workbook.evaluation import report as er
from workbook.evaluation import words
from workbook.present.safe import md_text
from workbook.sample import FAKE_IDENTIFIERS

pytestmark = pytest.mark.skipif(not SAMPLE.is_dir(), reason="data_samples/contoh not generated")


@pytest.fixture(scope="module")
def res(sample_run):
    """Stage 03 of the shared sample run (plan year 2027, Indonesian; ``tests/conftest.py``)."""
    assert sample_run.ctx.year == 2027 and sample_run.ctx.lang == "id"
    return sample_run["evaluation"]


@pytest.fixture(scope="module")
def agg(res) -> Path:
    return Path(res.ctx.output_dir) / "2027" / "03_evaluation"


def _forbidden() -> list[str]:
    """Every planted fake identifier, also as digits only and as single name parts."""
    out = []
    for name in FAKE_IDENTIFIERS["names"]:
        out += [name, *name.split()]
    for x in (*FAKE_IDENTIFIERS["nip"], *FAKE_IDENTIFIERS["phones"]):
        out += [x, re.sub(r"\D", "", x)]
    return out


def _cells(path: Path) -> str:
    if path.suffix == ".parquet":
        return "\n".join(str(v) for v in pd.read_parquet(path).to_numpy().ravel())
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                         if v is not None)
    return path.read_text(encoding="utf-8", errors="replace")


def test_fake_identifiers_are_in_the_data_but_in_no_artefact_or_quote(res, agg):
    raw = "\n".join(pd.read_csv(SAMPLE / "evaluasi_l1.csv")["komentar"].dropna())
    forbidden = _forbidden()
    assert all(f in raw or re.sub(r"\D", "", f) == f for f in forbidden)  # the data do carry them
    for path in sorted(agg.iterdir()):
        text = _cells(path)
        digits = re.sub(r"[\s.-]", "", text)
        for f in forbidden:
            assert f not in text, (path.name, f)
            if f.isdigit():
                assert f not in digits, (path.name, f)
    shown = re.sub(r"\\(.)", r"\1", er.quotes_markdown(res)) + "\n" + er.themes_table(res).to_string()  # as shown: Markdown escapes of the data (md_text) undone
    for f in forbidden:
        assert f not in shown, f
    # the anonymiser did work on the planted comments that are quoted
    quoted = " ".join(res.quotes["kutipan"])
    assert "[nama]" in quoted and "[telepon]" in quoted


def test_chapter_has_themes_with_quotes(res, agg):
    for f in ("themes.parquet", "quotes.parquet", "did.parquet"):
        assert (agg / f).is_file(), f
    from openpyxl import load_workbook

    sheets = load_workbook(agg / "evaluation.xlsx", read_only=True).sheetnames
    assert {"tema_teks", "kutipan", "L4_pembanding"} <= set(sheets)
    th, q = res.themes, res.quotes
    assert set(th["kelompok"]) == {"program", "unit"}
    assert set(q["sumber"]) >= {"evaluasi_l1", "survei_pegawai"}
    assert len(q) >= 10 and q["kutipan"].str.len().max() <= res.ctx.settings["themes.quote_max_chars"] + 1
    assert (q.groupby(["sumber", "program_id", "kode_unit", "tema"], dropna=False).size()
            <= res.ctx.settings["themes.quotes_per_theme"]).all()
    md = er.quotes_markdown(res)
    assert "### Suara peserta dan atasan" in md and "“" in md
    assert "tema" in er.summary_markdown(res)


def test_quotes_note_names_every_placeholder_as_shown(res):
    from workbook.present.safe import markdown_html

    k = k_for("text", res.ctx.settings)
    html = str(markdown_html(er.quotes_markdown(res), drop_heading=True))
    assert ("Kutipan dipersingkat dan dide-identifikasi: nama, NIP/NI PPPK, NIK, nomor telepon, alamat e-mail, "
            "deret angka panjang lain dan ID pegawai atau responden diganti dengan [nama], [NIP], [NIK], [telepon], "
            f"[email], [angka] dan [ID]. Kutipan hanya diambil dari kelompok dan tema dengan sedikitnya {k} teks.") in html
    assert "dianonimkan" not in html

    class _Settings(dict):  # an agency that renamed two placeholders in its settings file
        def get(self, key, default=None):
            return {"privacy.deidentify.placeholders": {"nama": "[NAMA]", "email": "<surel>"}}.get(key, default)

    en = er._quotes_note(_Settings(), "en", 5)
    assert en.startswith("Quotes are shortened and de-identified: names, NIP/NI PPPK, NIK, telephone numbers")
    assert "replaced by \\[NAMA\\], \\[NIP\\]" in en and "\\<surel\\>" in en  # Markdown-escaped: shown as typed
    assert "[email]" not in en


def test_groups_under_k_text_have_no_quotes(res):
    k = k_for("text", res.ctx.settings)
    th, q = res.themes, res.quotes
    key = ["sumber", "program_id", "kode_unit"]
    hidden = th[th["suppressed"]]
    assert len(hidden) > 0 and hidden["tema"].isna().all() and hidden["n"].isna().all()
    shown_groups = th.loc[~th["suppressed"], key].drop_duplicates()
    m = q[key].merge(shown_groups, on=key, how="left", indicator=True)
    assert (m["_merge"] == "both").all()
    # independently from the raw files: the tiny unit (3 survey respondents) is hidden and not quoted
    peg = pd.read_csv(SAMPLE / "pegawai.csv")
    sv = pd.read_csv(SAMPLE / "survei_pegawai.csv").merge(peg[["pegawai_id", "kode_unit"]], on="pegawai_id")
    n_text = sv.dropna(subset=["kebutuhan_lain"]).groupby("kode_unit").size()
    small = n_text[n_text < k].index
    assert len(small) >= 1
    assert not q["kode_unit"].isin(small).any()
    assert th.loc[th["kode_unit"].isin(small), "suppressed"].all()
    # every quoted programme has at least k comments in the raw file
    l1 = pd.read_csv(SAMPLE / "evaluasi_l1.csv").dropna(subset=["komentar"]).groupby("program_id").size()
    quoted = q.loc[q["sumber"] == "evaluasi_l1", "program_id"].unique()
    assert (l1.reindex(quoted).fillna(0) >= k).all()


def _changes(name: str) -> tuple[pd.DataFrame, str]:
    """Unit changes of indicator ``name`` from the raw files, with each unit's participants in the
    programmes linked to the indicator in 2026 (the evaluated year) and the link itself."""
    ind = pd.read_csv(SAMPLE / "indikator_unit.csv")
    g = ind[ind["indikator"] == name]
    wide = g.pivot(index="kode_unit", columns="periode", values="nilai")
    wide["change"] = wide["sesudah"] - wide["sebelum"]
    wide["linked"] = g.groupby("kode_unit")["program_id"].apply(lambda s: s.notna().any())
    progs = set(g["program_id"].dropna())
    real = pd.read_csv(SAMPLE / "realisasi_pengembangan.csv")
    peg = pd.read_csv(SAMPLE / "pegawai.csv")
    real = real[real["program_id"].isin(progs) & real["tanggal_mulai"].str.startswith("2026")]
    part = real.merge(peg[["pegawai_id", "kode_unit"]], on="pegawai_id").groupby("kode_unit")["pegawai_id"].nunique()
    wide["n_part"] = part.reindex(wide.index).fillna(0).astype(int)
    return wide, g["arah_baik"].iloc[0]


def test_did_treatment_is_participation_and_a_linked_untrained_unit_is_a_comparison_unit(res):
    k = int(res.ctx.settings["impact.did_min_peserta"])
    name = "Persentase layanan berbasis elektronik (%)"
    wide, arah = _changes(name)
    trained, control = wide[wide["n_part"] >= k], wide[wide["n_part"] == 0]
    row = res.did.set_index("indikator").loc[name]
    assert row["units_trained"] == ";".join(sorted(trained.index))
    assert row["units_control"] == ";".join(sorted(control.index))
    # DISDUKCAPIL is linked to PRG-012 in indikator_unit, but none of its staff attended in 2026
    linked_untrained = sorted(wide.index[wide["linked"] & (wide["n_part"] < k)])
    assert "DISDUKCAPIL" in linked_untrained and row["units_linked_untrained"] == ";".join(linked_untrained)
    assert "DISDUKCAPIL" in row["units_control"].split(";") and bool(row["link_mismatch"])
    x, y = trained["change"].to_numpy(), control["change"].to_numpy()
    hand = x.mean() - y.mean()
    assert row["did"] == pytest.approx(hand, abs=1e-9)
    assert row["did_toward_better"] == pytest.approx((-1 if arah == "turun" else 1) * hand, abs=1e-9)
    # permutation p by enumeration of which units are called trained
    c = np.r_[x, y]
    n, n1 = len(c), len(x)
    from itertools import combinations

    ds = [c[list(a)].mean() - np.delete(c, list(a)).mean() for a in combinations(range(n), n1)]
    assert row["p_val"] == pytest.approx(np.mean(np.abs(ds) >= abs(hand) - 1e-9))
    assert row["perm_method"] == "exact" and row["n_perm"] == len(ds)
    # the Welch / single-case interval is still the one scipy gives on the same changes
    if len(y) == 1 or len(x) == 1:
        ci = stats.ttest_ind(x, y, equal_var=True).confidence_interval(0.95)
    else:
        ci = stats.ttest_ind(x, y, equal_var=False).confidence_interval(0.95)
    assert row["ci_low"] == pytest.approx(ci.low, rel=1e-9) and row["ci_high"] == pytest.approx(ci.high, rel=1e-9)


def test_the_reviewers_w7_case_no_unit_trained_for_prg_009(res):
    # "Jumlah temuan administrasi keuangan" is linked to PRG-009 in six units; in 2026 PRG-009 had
    # one participant, from DISDIK (review W7): nobody is trained, nothing is attributed
    name = "Jumlah temuan administrasi keuangan"
    wide, _ = _changes(name)
    assert int(wide["n_part"].sum()) == 1 and wide.loc["DISDIK", "n_part"] == 1
    row = res.did.set_index("indikator").loc[name]
    assert row["n_trained"] == 0 and np.isnan(row["did"]) and row["message"] == "no_trained"
    assert row["units_linked_untrained"] == ";".join(sorted(wide.index[wide["linked"]]))
    assert row["units_excluded"] == "DISDIK"
    md = er.did_markdown(res)
    assert md_text(name) in md and "Tautan program tidak sesuai dengan keikutsertaan" in md
    assert "disebabkan" not in md.lower() and "terkait" in md
    # the process indicator is named, not tested
    jp = res.did.set_index("indikator").loc["Persentase PNS memenuhi 20 JP (%)"]
    assert jp["message"] == "process_indicator" and np.isnan(jp["p_val"])
    assert "Persentase PNS memenuhi 20 JP" in md and "indikator proses" in md
    assert "Tren sebelum program" in md and "Tren paralel" in md
    en = dataclasses.replace(res, ctx=dataclasses.replace(res.ctx, lang="en"))
    md_en = er.did_markdown(en)
    assert "do not match participation" in md_en and "Parallel trends" in md_en and "**related**" in md_en
    table = er.did_table(res)
    assert "Persentase PNS memenuhi 20 JP (%)" not in set(table.iloc[:, 0])


def test_level4_table_shows_the_link_and_the_units_participants(res):
    t4 = er.level4_table(res)
    assert "Indikator ditautkan ke program" in t4.columns and "Peserta dari unit" in t4.columns
    assert "Unit ikut pelatihan" not in t4.columns
    # Inspektorat's staff took part in catalogue programmes in 2026 (review W7: it read "tidak")
    real = pd.read_csv(SAMPLE / "realisasi_pengembangan.csv")
    peg = pd.read_csv(SAMPLE / "pegawai.csv")
    m = real[real["program_id"].notna() & real["tanggal_mulai"].str.startswith("2026")].merge(peg, on="pegawai_id")
    n_insp = m.loc[m["kode_unit"] == "INSPEKTORAT", "pegawai_id"].nunique()
    assert n_insp > 0
    l4 = res.level4.set_index("kode_unit")
    assert (l4.loc["INSPEKTORAT", "n_participants"] == n_insp).all()
    assert set(l4.loc[l4["indikator"].str.contains("20 JP"), "indicator_kind"]) == {"proses"}


def test_artefacts_hold_codes_and_what_people_read_has_their_words(res, agg):
    from openpyxl import load_workbook

    from workbook.evaluation.stage import shown_level2

    l2 = pd.read_parquet(agg / "level2.parquet")
    cols = set(l2.columns)
    assert {"verdict", "method_reason", "magnitude", "magnitude_threshold", "normality_alpha"} <= cols
    assert not {"verdict_id", "verdict_en", "method_reason_en", "hake_category_id"} & cols
    assert l2["verdict"].dropna().isin(list(words.VERDICTS)).all()
    shown = shown_level2(res)
    # the report's L2 table reads the verdict words of the shown programmes, in both languages
    table = er.level2_table(res)
    said = [words.verdict_text(r, "id") for r in shown.to_dict("records")]
    short = [words.verdict_text(r, "id", short=True) for r in shown.to_dict("records")]
    assert table["Kesimpulan"].tolist() == [v or "" for v in short]
    shown_text = table.loc[table["Kesimpulan"] != "", "Kesimpulan"]
    assert len(shown_text)
    assert shown_text.str.startswith(("Naik", "Tidak", "Turun")).all()
    assert not shown_text.str.contains("bermakna").any()
    en = dataclasses.replace(res, ctx=dataclasses.replace(res.ctx, lang="en"))
    reading = er.level2_table(en)["Verdict"]
    tested = reading[(reading != "") & ~reading.str.startswith("Cannot be tested")]
    assert len(tested) and tested.str.contains("participants").all()
    assert all(re.search(r"d_av = -?\d\.\d\d, 95 % CI", w) for w in
               (words.verdict_text(r, "en") for r in shown.to_dict("records")) if w and "Cannot" not in w)
    # the verdicts artefact carries the same codes for the plan
    v = pd.read_parquet(agg / "verdicts.parquet")
    assert v["program_id"].tolist() == l2["program_id"].tolist()
    assert v["verdict"].tolist() == l2["verdict"].tolist()
    # the follow-up table and the ladder read words, never codes
    reasons = set(er.followup_table(res)["Alasan tindak lanjut"])
    assert reasons <= {w[0] for w in words.FOLLOWUP_REASONS.values()}
    score = int(res.maturity["score"].iloc[0])
    assert words.MATURITY_LADDER[score][1] in er.maturity_markdown(en)
    # evaluation.xlsx shows the words where the artefact has codes, under the sheet's column names
    wb = load_workbook(agg / "evaluation.xlsx", read_only=True)
    rows = list(wb["L2_pembelajaran"].iter_rows(values_only=True))
    head = list(rows[1])
    assert {"verdict_id", "verdict_en", "method_reason", "method_reason_en",
            "hake_category_id"} <= set(head)
    cells = {c: [r[head.index(c)] for r in rows[2:]]
             for c in ("verdict_id", "verdict_en", "method_reason_en")}
    assert cells["verdict_id"] == said
    assert cells["verdict_en"] == [words.verdict_text(r, "en") for r in shown.to_dict("records")]
    assert all(v is None or v.endswith(".") for v in cells["method_reason_en"])
    fu = list(wb["tindak_lanjut_unit"].iter_rows(values_only=True))
    assert {"reason", "reason_id", "reason_en"} <= set(fu[1])


@pytest.mark.parametrize("which", ["sample_run", "agency_b_run"])
def test_did_groups_follow_participation_on_both_agencies(which, request):
    # independently from the agency's raw files: trained units have ≥ k staff in the linked
    # programmes in Y−1, comparison units none; process indicators are never tested; the chapter
    # names the evaluated year and never says "disebabkan"
    run = request.getfixturevalue(which)
    res = run["evaluation"]
    data = Path(res.ctx.data_dir)
    k = int(res.ctx.settings["impact.did_min_peserta"])
    ind = pd.read_csv(data / "indikator_unit.csv")
    real = pd.read_csv(data / "realisasi_pengembangan.csv")
    peg = pd.read_csv(data / "pegawai.csv")
    y1 = str(res.ctx.year - 1)
    real = real[real["tanggal_mulai"].astype(str).str.startswith(y1)].merge(peg[["pegawai_id", "kode_unit"]])
    d = res.did.set_index("indikator")
    assert len(d) == ind["indikator"].nunique()
    for name, g in ind.groupby("indikator"):
        row = d.loc[name]
        progs = set(g["program_id"].dropna())
        r = real[real["program_id"].isin(progs)] if progs else real[real["program_id"].notna()]
        part = r.groupby("kode_unit")["pegawai_id"].nunique()
        for u in filter(None, str(row["units_trained"]).split(";")):
            assert part.get(u, 0) >= k, (name, u)
        for u in filter(None, str(row["units_control"]).split(";")):
            assert part.get(u, 0) == 0, (name, u)
        if "20 JP" in name:
            assert row["message"] == "process_indicator" and np.isnan(row["p_val"])
    tested = d[d["p_val"].notna()]
    assert (tested["p_adjust_m"] == len(tested)).all()
    md = er.did_markdown(res)
    assert "disebabkan" not in md.lower()
