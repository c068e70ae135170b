"""The plan chapters' words a planner reads (branch words2): small totals, the steps sentence,
estimated mandatory trainings and the mandatory mark, on both agencies where a run is needed."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd

import workbook.plan.report as R
import workbook.plan.report_words as rw
from workbook.core.i18n import t


def _below(res, reasons: list[str], status: str = "PNS") -> SimpleNamespace:
    """A plan whose PNS below the JP minimum are away for ``reasons`` (one person each)."""
    b = pd.DataFrame({"pegawai_id": [f"p{i}" for i in range(len(reasons))], "kode_unit": "U1", "status": status,
                      "reason": "unavailable", "unavailable_reason": reasons})
    return SimpleNamespace(ctx=res.ctx, below_minimum=b)


def test_small_total_lists_reasons_without_counts(res):
    """4 people below 20 JP (k = 5): the total is said, the reasons are named, no "kurang dari 5"."""
    words = R.below_sentences(_below(res, ["tugas_belajar", "tugas_belajar", "cuti_dltn", "cuti_dltn"]))
    text = " ".join(words)
    assert words[0].startswith("4 pegawai yang wajib mencapai 20 JP"), words
    assert "kurang dari" not in text and "(2)" not in text, words
    assert "sedang tugas belajar, cuti di luar tanggungan negara." in text and "Semuanya tidak tersedia" in text


def test_large_total_keeps_the_small_count_rule(res):
    """9 people: 7 on tugas belajar (said), 2 on CLTN (said as "kurang dari 5")."""
    words = R.below_sentences(_below(res, ["tugas_belajar"] * 7 + ["cuti_dltn"] * 2))
    text = " ".join(words)
    assert words[0].startswith("9 pegawai") and "sedang tugas belajar (7)" in text
    assert "cuti di luar tanggungan negara (kurang dari 5)" in text and "(2)" not in text


def test_steps_sentence_names_the_mandatory_trainings_of_the_plan(res):
    codes = rw.wajib_in_plan(R.plan_rows(res))
    md = R.summary_markdown(res)
    names = [t(f"plan.wajib.singkat.{c}", "id") for c in codes]
    assert codes, "both agencies plan mandatory trainings"
    assert f"Pertama, pelatihan wajib ({rw.words_list(names)})" in md
    assert "Latsar, PKP, PKA, pelatihan JF" not in md
    assert rw.steps_sentence([]).startswith("Rencana disusun dalam tiga langkah. Pertama, pelatihan wajib didanai")


def test_plan_tables_show_no_internal_estimate_id(res):
    plan, ex, mand = R.plan_table_unit(res, None), R.explanations_table(res), R.mandatory_table_view(res)
    for tab in (plan, ex, mand):
        cells = tab.astype(str).to_numpy().ravel()
        assert not any("PERKIRAAN-" in c for c in cells)
        assert not any(re.match(r"Wajib: ([^—]+?) — \1", c) for c in cells), [c for c in cells if "Wajib" in c]
    est = R.plan_rows(res)
    est = est[[rw.is_estimate(p) for p in est["program_id"]]]
    for code in set(est["wajib"].astype(str)):
        key = "nama_mooc" if code == "orientasi_pppk" else "nama_perkiraan"  # LAN's MOOC at no cost
        name = t(f"plan.wajib_kalimat.{key}", "id", nama=t(f"plan.wajib.singkat.{code}", "id"))
        assert f"Wajib: {name}" in set(plan.iloc[:, 1]), (code, name)
        assert name in set(mand.iloc[:, 1])
    assert rw.wajib_name("pkp", "Pelatihan Kepemimpinan Pengawas") == "Wajib: PKP — Pelatihan Kepemimpinan Pengawas"
    assert rw.wajib_name("pkn2", "PKN II Angkatan 3") == "Wajib: PKN II Angkatan 3"
