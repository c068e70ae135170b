"""Issue #17 items 1, 2 and 5 in the plan: eligibility of every participant, the mandatory block
funded before the optimisation, and what infeasible input gets (listed, never a traceback)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.plan import report
from workbook.plan import stage as plan_stage
from workbook.plan.eligibility import eligible, plan_year_status


@pytest.fixture(scope="module")
def res(sample_run):
    return sample_run["plan"]


def _status(res):
    tabs, s = res.tables, res.ctx.settings
    return plan_year_status(tabs["pegawai"], tabs.get("riwayat_pelatihan"), res.ctx.year, s,
                            realisasi=tabs.get("realisasi_pengembangan"), katalog=tabs["katalog_program"],
                            kesetaraan=tabs.get("kesetaraan_pelatihan"))


def test_every_participant_is_eligible(res):
    tabs, s = res.tables, res.ctx.settings
    st = _status(res)
    # the agency's catalogue plus the estimated mandatory programmes it lacks (PERKIRAAN-*)
    pairs = eligible(st, tabs["pegawai"], res.mandatory.katalog, s, jf_wajib=tabs.get("jf_wajib"),
                     realisasi=tabs.get("realisasi_pengembangan"))
    ok = set(zip(pairs["pegawai_id"].astype(str), pairs["program_id"].astype(str), strict=True))
    a = res.assignment.assignments
    a = a[~a["intake"].astype(bool)]
    bad = a[[(p, q) not in ok for p, q in zip(a["pegawai_id"], a["program_id"], strict=True)]]
    assert len(a) > 1000
    assert bad.empty, bad[["pegawai_id", "program_id", "tahap"]].head().to_string()
    # the coaching for new pengawas goes to pengawas only (it went to 89 fungsional staff before)
    peg = tabs["pegawai"].set_index("pegawai_id")
    coach = a[a["program_id"] == "PRG-034"]
    assert set(peg.loc[coach["pegawai_id"], "jenis_jabatan"]) <= {"pengawas"}


def test_every_cpns_without_latsar_has_it_or_a_belum_terdanai_row(res):
    st = _status(res)
    need = st[st["status_pada_tahun_rencana"].isin(["CPNS", "CPNS_jadi_PNS"]) & ~st["has_latsar"] & st["available"]]
    a = res.assignment.assignments
    lat = a[a["wajib"] == "latsar"]
    assert set(need["pegawai_id"]) <= set(lat["pegawai_id"])
    frm = res.tables["formasi_tahun_rencana"]
    intake = int(pd.to_numeric(frm.loc[frm["status"] == "CPNS", "jumlah"]).sum())
    assert int(lat["intake"].sum()) == intake == 20
    # every such row is either funded on a line or marked belum terdanai with its shortfall
    assert ((lat["terdanai"] & lat["line_id"].notna()) | (~lat["terdanai"] & (lat["shortfall"] > 0))).all()


def test_latsar_need_counts_cpns_without_latsar_plus_intake(res):
    st = _status(res)
    n_cpns = int((st["status_pada_tahun_rencana"].isin(["CPNS", "CPNS_jadi_PNS"]) & ~st["has_latsar"]).sum())
    summ = res.mandatory_summary.set_index("wajib")
    assert int(summ.at["latsar", "n_need"]) == n_cpns + 20
    assert int(summ.at["latsar", "n_need"]) < 100  # not the 1,109 employees of the old count
    rows = res.mandatory.rows
    assert int((rows["wajib"] == "latsar").sum()) == n_cpns + 20
    # Latsar is not an optimised programme any more: never "not chosen, more expensive per JP"
    assert "PRG-044" not in set(res.ranking["program_id"])
    assert "PRG-044" not in set(res.group_plan.explanations.get("program_id", pd.Series(dtype=str)))


def test_mandatory_block_is_funded_before_optional_programmes(res):
    wb = res.mandatory
    rows, usage = wb.rows, wb.usage.set_index("line_id")
    charged = rows[rows["terdanai"]].groupby(rows["line_id"].astype(str))["biaya"].sum()
    # per line: whole rows plus the components charged to it (komponen_biaya split by payer)
    per_line = charged.add(wb.split_correction(), fill_value=0.0)
    for line, cost in per_line.items():
        assert usage.at[line, "terpakai"] == pytest.approx(cost)  # the reserve is exactly its mandatory cost
        assert usage.at[line, "terpakai"] <= usage.at[line, "pagu"] + 1e-6
    # the optimiser saw each line's pagu minus the reserve, and stayed inside it
    opt = pd.to_numeric(wb.budget_for_optimiser["pagu"]).to_numpy(float)
    full = pd.to_numeric(res.tables["anggaran"]["pagu"]).to_numpy(float)
    assert np.allclose(opt, full - wb.usage["terpakai"].to_numpy(float)[: len(full)])
    # the person-level budget shows the agency's ceilings, the reserve inside "used"
    b = res.budget_lines
    assert float(b["pagu"].sum()) == pytest.approx(full.sum())
    if "used_group_plan" in b:  # budget lines: the optimiser's own spend stays inside pagu − reserve, per line
        assert float(b["reserved"].sum()) == pytest.approx(float(charged.sum()))
        assert (b["used_group_plan"] <= b["pagu"] - b["reserved"] + 1e-6).all()
    else:
        assert float(res.group_plan.budget["used"].sum()) <= opt.sum() + 1e-6
        assert float(b["reserved_wajib"].sum()) == pytest.approx(float(charged.sum()))
    assert (b["used"] <= b["pagu"] + 1e-6).all()
    # fixed rows: every mandatory row of a current employee is in the per-person plan
    a = res.assignment.assignments
    m = a[a["tahap"] == "wajib"]
    assert len(m) == len(rows)
    assert set(m["wajib"]) <= {"latsar", "orientasi_pppk", "pkp", "pka", "pkn2", "pkn1", "jf_pembentukan",
                               "jf_penjenjangan"}


def test_mandatory_training_missing_from_the_catalogue_is_estimated_and_reserved(res):
    """The sample's catalogue has no Orientasi PPPK and no PKN II: both are still in the plan, at the
    sourced estimate of eligibility.biaya_estimasi, reserved on a line and said in words."""
    s = res.ctx.settings
    est = s["eligibility.biaya_estimasi"]
    rows = res.mandatory.rows
    ori = rows[rows["wajib"] == "orientasi_pppk"]
    assert set(ori["program_id"]) == {"PERKIRAAN-ORIENTASI_PPPK"}
    assert int(ori["intake"].sum()) == 20  # the 20 PPPK of the formasi
    pkn = rows[rows["wajib"] == "pkn2"]
    assert set(pkn["program_id"]) == {"PERKIRAAN-PKN2"} and len(pkn) >= 1
    assert pkn["proposal_only"].all()
    assert (pkn["biaya"] == float(est["pkn2"]["biaya"])).all()
    assert pkn["terdanai"].all() and pkn["line_id"].notna().all()
    usage = res.mandatory.usage.set_index("line_id")
    assert float(usage["terpakai"].sum()) == pytest.approx(float(rows.loc[rows["terdanai"], "biaya"].sum()))
    summ = res.mandatory_summary.set_index("wajib")
    assert summ.at["orientasi_pppk", "status"] == "perlu" and bool(summ.at["orientasi_pppk", "perkiraan"])
    assert summ.at["pkn2", "status"] == "usulan" and bool(summ.at["pkn2", "perkiraan"])
    words = report.mandatory_sentences(res)
    assert not any("katalog tidak memuat program" in w for w in words)
    assert any(w.startswith("PKN II: program belum ada di katalog — biaya perkiraan Rp22.945.000") for w in words), words
    assert any("diusulkan sebagai calon peserta PKN II" in w and "seleksi LAN" in w for w in words)
    # the schedule knows the estimated programmes (no "not in the catalogue" error)
    assert "PERKIRAAN-ORIENTASI_PPPK" in set(res.schedule["program_id"])


def test_mandatory_artefact_and_chapter(sample_run, res):
    art = pd.read_parquet(next(sample_run.out.rglob("02_plan/mandatory.parquet")))
    assert "pegawai_id" not in art.columns
    assert {"n_persons", "n_funded", "n_unfunded", "biaya", "shortfall", "line_id"} <= set(art.columns)
    # plan allocations per unit × programme × line are published, never hidden (issue #19)
    assert not art["suppressed"].any() and (art["n_persons"] < 5).any()
    assert art["n_persons"].notna().all() and art["biaya"].notna().all()
    words = report.mandatory_sentences(res)
    assert any(w.startswith("Tidak ada") and "PKN I " in w for w in words)
    assert any("APBD · BKPSDM" in w for w in words)


def _run_with(sample_run, monkeypatch, change):
    """run_plan (write=False) on the sample's artefacts with the clean tables changed."""
    ctx = sample_run.ctx
    tables = {k: v.copy() for k, v in plan_stage.artefacts.require_clean_tables(ctx).items()}
    change(tables)
    monkeypatch.setattr(plan_stage.artefacts, "require_clean_tables", lambda _ctx: tables)
    return plan_stage.run_plan(ctx, write=False)


def test_cpns_whose_latsar_no_line_may_pay(sample_run, monkeypatch):
    def change(t):
        t["anggaran"]["jenis_program"] = [["teknis", "fungsional"], ["teknis"]]

    r = _run_with(sample_run, monkeypatch, change)
    inf = r.mandatory.infeasible
    lat = inf[inf["kode"] == "latsar_tanpa_pos"]
    assert int(lat["n"].sum()) == 20  # the intake's Latsar: no line admits a mandatory training
    a = r.assignment.assignments
    unfunded = a[(a["wajib"] == "latsar") & ~a["terdanai"]]
    assert len(unfunded) == 20 and (unfunded["shortfall"] > 0).all()
    assert any("tidak ada pos anggaran yang boleh membayarnya" in s for s in report.infeasible_sentences(r))
    assert any("APBD-P" in s for s in report.mandatory_sentences(r))


def test_unit_with_staff_but_no_line(sample_run, monkeypatch):
    def change(t):
        t["anggaran"] = t["anggaran"].iloc[[1]].reset_index(drop=True)  # only the RSUD's BLUD line

    r = _run_with(sample_run, monkeypatch, change)
    inf = r.mandatory.infeasible
    units = set(inf.loc[inf["kode"] == "unit_tanpa_pos", "kode_unit"])
    assert "DISDIK" in units and "RSUD" not in units
    assert any("DISDIK" in s and "tidak ada pos anggaran" in s for s in report.infeasible_sentences(r))


def test_programme_nobody_is_eligible_for(sample_run, monkeypatch):
    def change(t):
        k = t["katalog_program"]
        row = k[k["program_id"] == "PRG-041"].copy()
        row["program_id"] = "PRG-099"
        row["sasaran_jf"] = [["Pengawas Radiasi"]] if isinstance(k["sasaran_jf"].dropna().iloc[0], list) \
            else "Pengawas Radiasi"
        t["katalog_program"] = pd.concat([k, row], ignore_index=True)

    r = _run_with(sample_run, monkeypatch, change)
    inf = r.mandatory.infeasible
    assert "PRG-099" in set(inf.loc[inf["kode"] == "program_tanpa_peserta", "program_id"])
    assert "PRG-099" not in set(r.assignment.assignments["program_id"])
    assert any("PRG-099" in s for s in report.infeasible_sentences(r))


def test_validate_warns_before_the_run(tmp_path):
    """``workbook validate`` (stage 00's checks) warns about the infeasible cases, located."""
    import shutil
    from pathlib import Path

    from workbook.ingest.validate import validate

    d = tmp_path / "agency"
    shutil.copytree(Path(__file__).parents[2] / "data_samples" / "contoh", d)
    ang = pd.read_csv(d / "anggaran.csv", dtype=str, keep_default_na=False)
    ang.loc[0, "jenis_program"] = "teknis;fungsional"  # the central line no longer pays mandatory training
    ang.iloc[[0]].to_csv(d / "anggaran.csv", index=False)  # and the RSUD's BLUD line is gone
    kat = pd.read_csv(d / "katalog_program.csv", dtype=str, keep_default_na=False)
    kat.loc[kat["program_id"] == "PRG-041", "sasaran_jf"] = "Pengawas Radiasi"
    kat.to_csv(d / "katalog_program.csv", index=False)
    warn = [p for p in validate(d).problems if p.severity == "warning"]
    latsar = [p for p in warn if p.file == "formasi_tahun_rencana.csv" and "Latsar" in p.message_id]
    assert [(p.row, p.value) for p in latsar] == [(2, "DINKES"), (3, "DISDIK")]
    assert any(p.file == "pegawai.csv" and p.column == "kode_unit" and "CPNS" in p.message_en for p in warn)
    target = [p for p in warn if p.file == "katalog_program.csv" and p.column == "sasaran_jf"]
    assert [p.row for p in target] == [int(np.flatnonzero(kat["program_id"] == "PRG-041")[0]) + 2]
    assert "no participants" in target[0].message_en


def _sched(months, program="L", intake=True, unit="DINKES"):
    return pd.DataFrame({"pegawai_id": [f"CPNS formasi 2027 ({i + 1})" for i in range(len(months))],
                         "program_id": program, "kode_unit": unit, "intake": intake,
                         "bulan": months, "tanggal_mulai": pd.to_datetime([f"2027-{m:02d}-01" for m in months])})


def test_intake_seat_goes_to_the_first_offered_month_after_tmt():
    from workbook.plan.mandatory import calendar_words
    from workbook.plan.stage_wajib import intake_after_tmt

    formasi = pd.DataFrame({"status": ["CPNS"], "jumlah": [2], "kode_unit": ["DINKES"], "tmt_perkiraan": ["2027-03-01"]})
    kat = pd.DataFrame({"program_id": ["L", "M"], "bulan_tersedia": [["2", "7"], ["2"]]})
    out = intake_after_tmt(_sched([2, 2]), formasi, 2027, kat)
    assert out["bulan"].tolist() == [7, 7]  # TMT March, offered 2 and 7: July, not April
    assert not out["kalender_konflik"].any()
    assert (out["tanggal_mulai"] == pd.Timestamp("2027-07-01")).all()
    assert calendar_words(out) == []
    # offered only in February: no month after the TMT fits → April with a conflict flag and a sentence
    late = intake_after_tmt(_sched([2, 2], program="M"), formasi, 2027, kat)
    assert late["bulan"].tolist() == [4, 4] and late["kalender_konflik"].all()
    words = calendar_words(late)
    assert len(words) == 1 and words[0].startswith("Konflik jadwal: 2 kursi M bagi formasi tahun rencana") and "bulan 4" in words[0]
    # rows of current employees are not moved
    cur = intake_after_tmt(_sched([2], intake=False), formasi, 2027, kat)
    assert cur["bulan"].tolist() == [2] and not cur["kalender_konflik"].any()


def test_sample_intake_latsar_in_july(res):
    sch = res.schedule
    lat = sch[(sch["program_id"] == "PRG-044") & sch["intake"].astype(bool)]
    assert len(lat) == 20 and set(lat["bulan"]) == {7}
    ori = sch[(sch["program_id"] == "PERKIRAAN-ORIENTASI_PPPK") & sch["intake"].astype(bool)]
    assert len(ori) == 20 and set(ori["bulan"]) == {8}  # PPPK TMT 1 July (the unit's CPNS start in March)
    assert not sch["kalender_konflik"].any()


def test_reserve_goes_back_to_the_row_that_holds_its_line_in_every_funding_mode():
    from workbook.plan.stage_wajib import with_reserve

    ang = pd.DataFrame({"sumber_dana": ["APBD", "BLUD"], "kode_unit": ["", "RSUD"], "pagu": [100.0, 50.0]})
    usage = pd.DataFrame({"line_id": ["APBD", "BLUD · RSUD"], "terpakai": [30.0, 10.0]})
    by_src = pd.DataFrame({"sumber_dana": ["BLUD", "APBD"], "kode_unit": ["", ""], "pagu": [40.0, 70.0],
                           "used": [5.0, 60.0]})
    got = with_reserve(by_src, usage, ang, "source")
    assert got["reserved_wajib"].tolist() == [10.0, 30.0] and got["pagu"].tolist() == [50.0, 100.0]
    by_unit = pd.DataFrame({"sumber_dana": ["", ""], "kode_unit": ["RSUD", ""], "pagu": [40.0, 70.0], "used": [0.0, 0.0]})
    assert with_reserve(by_unit, usage, ang, "unit")["reserved_wajib"].tolist() == [10.0, 30.0]
    pool = pd.DataFrame({"sumber_dana": ["semua"], "kode_unit": [""], "pagu": [110.0], "used": [100.0]})
    got = with_reserve(pool, usage, ang, "pool")
    assert got["reserved_wajib"].tolist() == [40.0] and got["used"].tolist() == [140.0]


def test_mandatory_row_that_does_not_fit_its_line_is_belum_terdanai_with_its_shortfall():
    """Item 5, small hand-built data: 3 Latsar seats at Rp10 on an APBD line of Rp25 and one BLUD
    seat at Rp10 on a BLUD line of Rp5 — the seats that do not fit are kept, marked, with their
    shortfall on the line that could pay them, proposed in the document of that line's kind."""
    from workbook.core.settings import load_settings
    from workbook.plan.mandatory import usulan_word
    from workbook.plan.mandatory_plan import fund_mandatory

    s = load_settings()
    rows = pd.DataFrame({"pegawai_id": ["a", "b", "c", "r"], "kode_unit": ["DINKES", "DINKES", "DISDIK", "RSUD"],
                         "wajib": "latsar", "program_id": "L", "jenis_program": "wajib", "biaya": 10.0,
                         "intake": False})
    ang = pd.DataFrame({"sumber_dana": ["APBD", "BLUD"], "kode_unit": ["", "RSUD"], "pagu": [25.0, 5.0],
                        "dpa": ["BKPSDM", "RSUD"]})
    charged, usage, _ = fund_mandatory(rows, ang, s)
    assert charged["terdanai"].tolist() == [True, True, False, False]
    assert charged["shortfall"].tolist() == [0.0, 0.0, 10.0, 10.0]
    assert charged["line_usulan"].tolist() == ["", "", "APBD · BKPSDM", "BLUD · RSUD"]
    u = usage.set_index("line_id")
    assert u.loc["APBD · BKPSDM", ["terpakai", "shortfall"]].tolist() == [20.0, 10.0]
    assert u.loc["BLUD · RSUD", ["terpakai", "shortfall"]].tolist() == [0.0, 10.0]
    assert (u["terpakai"] <= u["pagu"]).all()
    assert usulan_word(u.loc["BLUD · RSUD", "sumber_dana"], s) == "perubahan RBA BLUD"


def test_components_are_charged_to_the_line_of_their_payer():
    """komponen_biaya: kontribusi (BKPSDM) on the central line, perjalanan dinas (OPD peserta) on the
    participant's unit's own line when it has one (else the central line, noted), the organiser's
    part Rp0 and listed; Σ per line = Σ of the components charged; the seat costs Σ components."""
    from workbook.core.settings import load_settings
    from workbook.plan.mandatory_plan import fund_mandatory, programme_cost

    s = load_settings()
    kat = pd.DataFrame({"program_id": ["P"], "biaya_per_peserta": [99.0]})
    komp = pd.DataFrame({"program_id": ["P", "P", "P"], "komponen": ["kontribusi", "perjalanan_dinas", "modul"],
                         "kode_rekening": ["5.1.02.02.12.0004", "5.1.02.04.01.0001", ""], "biaya": [15.0, 3.0, 2.0],
                         "pembayar": ["BKPSDM", "OPD_peserta", "penyelenggara"]})
    assert programme_cost(kat, komp)["P"] == 18.0
    rows = pd.DataFrame({"pegawai_id": ["r", "d"], "kode_unit": ["RSUD", "DINKES"], "wajib": "pkp",
                         "program_id": "P", "jenis_program": "kepemimpinan", "biaya": 18.0, "intake": False})
    ang = pd.DataFrame({"sumber_dana": ["APBD", "BLUD"], "kode_unit": ["", "RSUD"], "pagu": [100.0, 10.0],
                        "dpa": ["BKPSDM", "RSUD"]})
    charged, usage, comp = fund_mandatory(rows, ang, s, komp)
    assert charged["terdanai"].all() and charged["line_id"].tolist() == ["APBD · BKPSDM"] * 2
    got = comp.set_index(["pegawai_id", "komponen"])
    assert got.loc[("r", "perjalanan_dinas"), "line_id"] == "BLUD · RSUD"
    assert got.loc[("d", "perjalanan_dinas"), ["line_id", "kode_catatan"]].tolist() == ["APBD · BKPSDM",
                                                                                   "pos_unit_tidak_ada"]
    assert got.loc[("r", "modul"), ["biaya", "line_id"]].tolist() == [0.0, ""]
    assert got.loc[("r", "kontribusi"), "kode_rekening"] == "5.1.02.02.12.0004"
    u = usage.set_index("line_id")["terpakai"]
    assert u.to_dict() == {"APBD · BKPSDM": 33.0, "BLUD · RSUD": 3.0}
    per_line = comp[comp["line_id"] != ""].groupby("line_id")["biaya"].sum()
    assert per_line.to_dict() == u.to_dict()
    assert comp.groupby("pegawai_id")["biaya"].sum().to_dict() == {"d": 18.0, "r": 18.0}
    # a component that does not fit makes the whole seat "belum terdanai" (nothing half-charged)
    tight = ang.assign(pagu=[100.0, 2.0])
    charged, usage, comp = fund_mandatory(rows, tight, s, komp)
    assert charged["terdanai"].tolist() == [False, True] and charged["shortfall"].tolist() == [18.0, 0.0]
    assert set(comp["pegawai_id"]) == {"d"} and usage.set_index("line_id").at["BLUD · RSUD", "terpakai"] == 0.0


def test_chapter_says_how_components_are_charged(res):
    words = report.mandatory_sentences(res)
    assert any(w.startswith("Biaya pelatihan wajib yang dirinci instansi per komponen (kontribusi, perjalanan dinas")
               for w in words)
    assert not any("komponen_biaya" in w for w in words)  # a column name is not a sentence's word
    assert not any("kode rekening hanya label" in w for w in words)  # the sample has komponen_biaya
    comp = res.mandatory.components
    assert len(comp) and comp["kode_rekening"].ne("").all()
    rsud = comp[(comp["kode_unit"] == "RSUD") & (comp["pembayar"] == "opd_peserta")]
    assert len(rsud) and (rsud["line_id"] == "BLUD · RSUD").all()  # the RSUD pays its staff's travel


def test_jp_assumed_for_seminars_and_workshops_are_listed_with_their_setting(res):
    """#17 item 8: a seminar or workshop whose JP the catalogue leaves blank is counted with the
    conversion of the settings, and the chapter's assumptions say so (programme, rate, setting)."""
    words = report.assumption_sentences(res)
    # the rate is said in the body; the setting (jp.conversion) is printed in Appendix A, not named here
    # the programme is named after its code (planner review 4)
    assert ("JP PRG-025 Seminar Nasional Kebijakan Kesehatan Daerah (seminar, 2 hari, nasional) tidak tercantum "
            "di katalog: dihitung 4 JP per hari (konversi JP pada Lampiran A, Pengaturan).") in words
    assert any(w.startswith("JP PRG-026 Seminar Internasional") and "(seminar, 2 hari, internasional)" in w
               and "6 JP per hari" in w for w in words)
    assert any(w.startswith("JP PRG-028 Lokakarya") and "(lokakarya, 3 hari, nasional)" in w and "Lampiran A" in w
               for w in words)
    assert not any("jp.conversion" in w for w in words)
    assert not any("PRG-027" in w for w in words)  # its JP (8) are in the catalogue


def test_intake_tmt_is_read_per_status():
    """DISDIK takes CPNS in March and PPPK in July: the PPPK orientation starts after July."""
    from workbook.plan.stage_wajib import intake_after_tmt

    formasi = pd.DataFrame({"status": ["CPNS", "PPPK"], "jumlah": [1, 1], "kode_unit": ["DISDIK", "DISDIK"],
                            "tmt_perkiraan": ["2027-03-01", "2027-07-01"]})
    sch = pd.concat([_sched([2], program="L", unit="DISDIK").assign(status="CPNS"),
                     _sched([2], program="O", unit="DISDIK").assign(status="PPPK")], ignore_index=True)
    out = intake_after_tmt(sch, formasi, 2027, pd.DataFrame({"program_id": ["L", "O"], "bulan_tersedia": [None, None]}))
    assert out["bulan"].tolist() == [4, 8]
