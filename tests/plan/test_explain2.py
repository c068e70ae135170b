"""Four things in the plan a BKPSDM planner found untrue (issue #17, branch explain2), checked on the
plan artefacts of the sample agency and of agency B:

1. a programme "not selected: higher cost per JP than alternative Q for competency K" names a K both
   programmes answer in the catalogue, and Q really holds places for K in a need group the programme
   could have served (its eligibility class does not exclude it);
2. the RSUD's clinical gap T.03 is answered by a clinical programme paid from its BLUD line, not by
   the health-policy seminar, and the BLUD line buys technical training only (sample);
3. Orientasi PPPK without a catalogue row is "MOOC LAN, tanpa biaya" with the JP of its setting, not an
   estimated cost of Rp0 with 0 JP, and its JP stay outside the PPPK cap;
4. persons in the plan = employees with a place + the plan year's intake, and the report says so.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workbook.core import artefacts
from workbook.core.i18n import fmt_int, t
from workbook.plan import report as R


def _art(run, name: str, cls: str = "aggregate") -> pd.DataFrame:
    return artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", name, cls)


def _katalog(run) -> pd.DataFrame:
    """The agency's catalogue as the planner reads it (the input file)."""
    return pd.read_csv(Path(run.ctx.data_dir) / "katalog_program.csv", dtype=str)


@pytest.fixture(scope="module")
def plan(run) -> pd.DataFrame:
    """The seats of the per-person plan, straight from the Parquet file."""
    return _art(run, "assignments", "restricted")


# ------------------------------------------------------------------ 1. the cheaper alternative
def test_every_alternative_answers_the_named_competency_in_a_group_the_programme_could_serve(run):
    ex = _art(run, "explanations")
    alloc = _art(run, "allocation", "restricted")
    kat = _katalog(run)
    comps = {p: set(str(k).split(";")) for p, k in zip(kat["program_id"], kat["kode_kompetensi"], strict=True)}
    rows = ex[ex["reason"].astype(str) == "cost_per_jp"]
    assert len(rows), "the run names no cheaper alternative: the check would be empty"
    for r in rows.itertuples(index=False):
        named = list(r.kompetensi)
        assert len(named) == 1, (r.program_id, named)
        k, q = named[0], str(r.alt_program_id)
        assert k in comps[r.program_id] and k in comps[q], (r.program_id, q, k)
        held = alloc[(alloc["program_id"].astype(str) == q) & (alloc["kode_kompetensi"].astype(str) == k)
                     & (alloc["participants"] > 0)]
        could = [r.program_id not in str(c).split(";") for c in held["kelas_kelayakan"]]
        assert any(could), f"{r.program_id}: alternative {q} holds no place for {k} where {r.program_id} could serve"


# ------------------------------------------------------------------ 2. the RSUD's clinical gap
def test_rsud_clinical_gap_is_answered_by_a_clinical_course_on_its_blud_line(sample_run):
    a = artefacts.read_artefact(sample_run.ctx.output_dir, sample_run.ctx.year, "02_plan", "assignments",
                                "restricted")
    a = a[a["terdanai"].astype(bool)]
    rsud = a[a["kode_unit"].astype(str) == "RSUD"]
    t03 = rsud[rsud["kode_kompetensi"].astype(str) == "T.03"]
    assert len(t03) >= 30
    assert set(t03["program_id"].astype(str)) <= {"PRG-010", "PRG-011", "PRG-040"}  # no 8-JP seminar
    blud = rsud[rsud["line_id"].astype(str).str.startswith("BLUD")]
    clinical = blud[blud["program_id"].astype(str) == "PRG-011"]
    assert len(clinical) >= 25 and clinical["biaya_kas"].sum() >= 0.8 * blud["biaya_kas"].sum()
    lines = artefacts.read_artefact(sample_run.ctx.output_dir, sample_run.ctx.year, "02_plan", "budget_lines")
    b = lines[lines["sumber_dana"].astype(str) == "BLUD"].iloc[0]
    assert str(b["jenis_program"]) == "teknis;fungsional" and b["used"] <= b["pagu"] + 0.5


# ------------------------------------------------------------------ 3. Orientasi PPPK
def test_orientasi_pppk_is_a_free_lan_mooc_with_its_jp_outside_the_cap(run, res, plan):
    s = res.ctx.settings
    o = plan[plan["wajib"].astype("string").fillna("").astype(str) == "orientasi_pppk"]
    if not len(o):
        pytest.skip("nobody needs Orientasi PPPK in this run")
    kat = res.tables["katalog_program"]
    if not kat["program_id"].astype(str).isin(o["program_id"].astype(str)).any():  # the estimate, not a catalogue row
        assert (o["jp"] == float(s["eligibility.orientasi_pppk_jp"])).all() and (o["jp"] > 0).all()
        assert (o["biaya_kas"] == 0).all()
        mand = _art(run, "plan_table")
        names = mand.loc[mand["program_id"].astype(str).isin(o["program_id"].astype(str)), "nama_program"]
        assert len(names) and names.astype(str).str.contains("MOOC LAN, tanpa biaya").all()
        assert not names.astype(str).str.contains("biaya perkiraan").any()
    # its JP are reported in the PPPK table, outside the cap; no PPPK above the cap
    cov = _art(run, "jp_pppk_coverage")
    agency = cov[cov["tingkat"].astype(str) == "instansi"].iloc[0]
    assert agency["jp_orientasi"] == pytest.approx(float(o["jp"].sum()))
    assert int(agency["pppk_over_cap"]) == 0
    targets = _art(run, "jp_targets", "restricted")
    pppk = targets[targets["status"].astype(str) == "PPPK"]["pegawai_id"].astype(str)
    counted = plan[plan["pegawai_id"].astype(str).isin(set(pppk))
                   & (plan["wajib"].astype("string").fillna("").astype(str) != "orientasi_pppk")]
    assert counted.groupby(counted["pegawai_id"].astype(str))["jp"].sum().max() <= float(s["jp.pppk_maximum"]) + 1e-9


def test_mandatory_words_say_mooc_not_rp0(res):
    from workbook.plan.mandatory import summary_words

    summ = res.mandatory_summary
    row = summ[summ["wajib"].astype(str) == "orientasi_pppk"]
    if not len(row) or not bool(row["perkiraan"].iloc[0]) or row["status"].iloc[0] not in ("perlu", "usulan"):
        pytest.skip("no estimated Orientasi PPPK in this run")
    for lang in ("id", "en"):
        words = " ".join(summary_words(summ, res.ctx.year, lang))
        assert t("plan.wajib_kalimat.mooc", lang, nama=t("plan.wajib.singkat.orientasi_pppk", lang)) in words
        assert "Rp0" not in words and "Rp 0" not in words


# ------------------------------------------------------------------ 4. persons in the plan
def test_persons_are_employees_with_a_seat_plus_the_intake_and_the_report_says_so(run, res, plan):
    a = plan[plan["terdanai"].astype(bool)]
    peg = set(res.tables["pegawai"]["pegawai_id"].astype(str))
    ids = a["pegawai_id"].astype(str)
    intake = a["intake"].astype("boolean").fillna(False).to_numpy(bool)
    assert not (set(ids[~intake]) - peg), "a seat for someone neither an employee nor the intake"
    assert not (set(ids[intake]) & peg)
    n_staff, n_intake = ids[~intake].nunique(), ids[intake].nunique()
    assert ids.nunique() == n_staff + n_intake
    md = R.summary_markdown(res)
    lang = res.ctx.lang
    assert f"untuk {fmt_int(ids.nunique(), lang)} pegawai" in md
    if n_intake:
        assert (f"Dari {fmt_int(ids.nunique(), lang)} orang dalam rencana, {fmt_int(n_staff, lang)} adalah pegawai "
                f"dari {fmt_int(len(peg), lang)} pegawai") in md
        assert f"{fmt_int(n_intake, lang)} adalah formasi {res.ctx.year}" in md
        unit = a.loc[intake, "kode_unit"].astype(str).iloc[0]
        words = R.plan_unit_sentences(res, unit)[0]
        u = a[a["kode_unit"].astype(str) == unit]
        assert f"{fmt_int(u['intake'].astype(bool).pipe(lambda m: u.loc[m, 'pegawai_id']).nunique(), lang)} adalah formasi" in words
    else:
        assert "adalah formasi" not in md
