"""Eligibility and mandatory-training kernels (issue #17): hand-built frames, one expected result
per rule (sources in docs/methods/plan.md, "Kelayakan dan pelatihan wajib")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.core.i18n import codes, t
from workbook.core.settings import load_settings
from workbook.plan import _elig_common as C
from workbook.plan.eligibility import (
    eligible,
    ineligible_reasons,
    plan_year_status,
    programme_wajib,
)
from workbook.plan.mandatory import (
    NEEDS_COLUMNS,
    SUMMARY_CODES,
    codes_md,
    mandatory_needs,
    mandatory_summary,
    summary_words,
)

YEAR = 2027


@pytest.fixture(scope="module")
def settings():
    return load_settings()


def person(pid, status="PNS", jj="pelaksana", **kw):
    row = {"pegawai_id": pid, "status": status, "jenis_jabatan": jj, "jenjang": "", "tmt": "2010-01-01",
           "tanggal_lahir": "1985-01-01", "tmt_jabatan": "2020-01-01", "kode_unit": "SETDA", "jf_nama": ""}
    row.update(kw)
    return row


def frame(*rows):
    return pd.DataFrame(list(rows))


def prog(pid, nama, bentuk="pelatihan_teknis", jp=24, biaya=1_000_000, **kw):
    row = {"program_id": pid, "nama_program": nama, "bentuk": bentuk, "jp": jp, "biaya_per_peserta": biaya}
    row.update(kw)
    return row


def pairs(e: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(e["pegawai_id"].astype(str), e["program_id"].astype(str), strict=True))


def status_of(peg, settings, riwayat=None, **kw):
    return plan_year_status(peg, riwayat, YEAR, settings, **kw).set_index("pegawai_id")


# -- training history and the equivalence of old names ------------------------------------------

def test_old_names_give_the_current_mandatory_codes(settings):
    peg = frame(*(person(p) for p in "ABCDEFGH"))
    riw = pd.DataFrame({
        "pegawai_id": list("ABCDEFGH"),
        "jenis": ["Diklat Prajabatan Gol. III", "Diklatpim Tk. IV", "Diklat", "DIKLATPIM II", "Kursus",
                  "Diklat", "Diklatpim III", "Diklatpim IV"],
        "nama": ["", "", "SPAMA angkatan 12", "", "SPATI", "ADUMLA", "", ""],
        "status": ["lulus", "", "lulus", "lulus", "lulus", "lulus", "tidak_lulus", "sedang"],
    })
    st = status_of(peg, settings, riw)
    held = {pid: [c for c in C.WAJIB_CODES if st.loc[pid, f"has_{c}"]] for pid in "ABCDEFGH"}
    # every PNS holds Latsar (the condition of the appointment); the old names add the rest
    assert held == {"A": ["latsar"], "B": ["latsar", "pkp"], "C": ["latsar", "pka"], "D": ["latsar", "pkn2"],
                    "E": ["latsar", "pkn1"], "F": ["latsar", "pkp"], "G": ["latsar"], "H": ["latsar", "pkp"]}


def test_cpns_prajabatan_counts_and_failed_latsar_does_not(settings):
    peg = frame(person("A", "CPNS", tmt="2026-09-01"), person("B", "CPNS", tmt="2026-09-01"))
    riw = pd.DataFrame({"pegawai_id": ["A", "B"], "jenis": ["Diklat Prajabatan", "Latsar CPNS"],
                        "nama": ["", ""], "status": ["", "tidak_lulus"]})
    st = status_of(peg, settings, riw)
    assert st.loc["A", "has_latsar"] and not st.loc["B", "has_latsar"]


def test_agency_equivalence_table_adds_to_and_remaps_the_default(settings):
    peg = frame(person("A"), person("B"), person("C"))
    riw = pd.DataFrame({"pegawai_id": ["A", "B", "C"], "jenis": ["[Pim IV lama] 1998", "Diklatpim IV", "Diklatpim III"],
                        "nama": ["", "", ""]})
    own = pd.DataFrame({"nama_lama": ["[pim iv lama", "diklatpim iii"], "wajib": ["pkp", "pkp"]})  # 1st: not a regex
    st = status_of(peg, settings, riw, kesetaraan=own)
    assert st.loc["A", "has_pkp"]  # the agency's own name
    assert st.loc["B", "has_pkp"]  # the default table still applies
    assert st.loc["C", "has_pkp"] and not st.loc["C", "has_pka"]  # the agency's row decides first


def test_last_years_realisation_of_a_wajib_programme_counts(settings):
    peg = frame(person("A", jj="pengawas"), person("B", jj="pengawas"))
    kat = frame(prog("P1", "Pelatihan Kepemimpinan Pengawas", "pelatihan_kepemimpinan", 200),
                prog("T1", "Excel", jp=10))
    real = pd.DataFrame({"pegawai_id": ["A", "B"], "program_id": ["P1", "T1"]})
    st = status_of(peg, settings, pd.DataFrame({"pegawai_id": ["X"], "jenis": ["Kursus"], "nama": [""]}),
                   realisasi=real, katalog=kat)
    assert st.loc["A", "has_pkp"] and not st.loc["B", "has_pkp"]


# -- status in the plan year ------------------------------------------------------------------------

def test_cpns_turning_pns_in_the_plan_year(settings):
    peg = frame(person("early", "CPNS", tmt_cpns="2025-06-01"), person("may", "CPNS", tmt_cpns="2026-05-01"),
                person("late", "CPNS", tmt_cpns="2027-03-01"), person("pns"), person("p3k", "PPPK"))
    st = status_of(peg, settings)
    assert st["status_pada_tahun_rencana"].to_dict() == {
        "early": "CPNS_jadi_PNS", "may": "CPNS_jadi_PNS", "late": "CPNS", "pns": "PNS", "p3k": "PPPK"}
    assert st.loc["may", "tanggal_jadi_pns"] == pd.Timestamp("2027-05-01")
    assert st["bulan_pns_tahun_rencana"].to_dict() == {"early": 12, "may": 8, "late": 0, "pns": 12, "p3k": 0}
    assert "jadi_pns_latsar_direncanakan" in st.loc["may", "asumsi"]


def test_cpns_without_latsar_stays_cpns_when_the_setting_requires_latsar_done(settings):
    strict = settings.with_overrides({"eligibility.cpns_to_pns_latsar": "done"})
    peg = frame(person("A", "CPNS", tmt_cpns="2026-05-01"), person("B", "CPNS", tmt_cpns="2026-05-01"))
    riw = pd.DataFrame({"pegawai_id": ["B"], "jenis": ["Latsar"], "nama": [""]})
    st = status_of(peg, strict, riw)
    assert st["status_pada_tahun_rencana"].to_dict() == {"A": "CPNS", "B": "CPNS_jadi_PNS"}


def test_bup_retirement_by_jenis_jabatan_and_jenjang(settings):
    peg = frame(
        person("pel58", tanggal_lahir="1969-03-10"),                       # 58 in March 2027
        person("pel57", tanggal_lahir="1970-01-15"),                       # 58 in 2028
        person("jpt", jj="JPT", tanggal_lahir="1968-06-01"),                # 59 in 2027: JPT retire at 60
        person("madya", jj="fungsional", jenjang="Ahli Madya", tanggal_lahir="1967-11-30"),  # 60 in 2027
        person("utama", jj="fungsional", jenjang="ahli utama", tanggal_lahir="1967-11-30"),  # 65 → 2032
        person("muda", jj="fungsional", jenjang="ahli muda", tanggal_lahir="1969-11-01"),    # 58 in Nov 2027
        person("dec", tanggal_lahir="1969-12-05"),                         # 58 in Dec 2027: retires 1 Jan 2028
        person("p3k", "PPPK", tanggal_lahir="1950-01-01"),
    )
    st = status_of(peg, settings)
    assert st.loc["pel58", "tanggal_pensiun_bup"] == pd.Timestamp("2027-04-01")
    assert st["unavailable_reason"].to_dict() == {"pel58": "pensiun_bup", "pel57": "", "jpt": "", "madya": "pensiun_bup",
                                                  "utama": "", "muda": "pensiun_bup", "dec": "", "p3k": ""}
    assert list(st["available"]) == [False, True, True, False, True, False, True, True]
    assert st.loc["pel58", "unavailable_scope"] == "long"


def test_status_aktif_gives_the_reason_and_its_scope(settings):
    peg = frame(person("tb", status_aktif="tugas_belajar"), person("cuti", status_aktif="cuti_di_luar_tanggungan_negara"),
                person("ok", status_aktif=""), person("ok2", status_aktif="aktif"),
                person("pens", status_aktif="pensiun_tahun_rencana"))
    st = status_of(peg, settings)
    assert st["unavailable_reason"].to_dict() == {"tb": "tugas_belajar", "cuti": "cuti_dltn", "ok": "", "ok2": "",
                                                  "pens": "pensiun_tahun_rencana"}
    assert st["unavailable_scope"].to_dict() == {"tb": "all", "cuti": "all", "ok": "", "ok2": "", "pens": "long"}


def test_months_in_jabatan_and_missing_columns_flagged(settings):
    peg = frame(person("A", jj="pengawas", tmt_jabatan="2025-01-01")).drop(columns=["tanggal_lahir"])
    st = status_of(peg, settings)
    assert st.loc["A", "months_in_jabatan"] == pytest.approx(24, abs=0.1)
    assert set(st.loc["A", "asumsi"].split(";")) == {"latsar_dari_status", "kepemimpinan_tanpa_riwayat",
                                                     "tmt_cpns_dari_tmt", "tanpa_tanggal_lahir"}


def test_unknown_setting_value_is_refused_in_both_languages(settings):
    from workbook.core.exceptions import SettingsError

    bad = settings.with_overrides({"eligibility.without_history_leadership": "assume_nothing"})
    with pytest.raises(SettingsError) as err:
        plan_year_status(frame(person("A")), None, YEAR, bad)
    assert "assume_done, assume_missing" in str(err.value)
    assert "eligibility.without_history_leadership" in err.value.message_en


def test_optional_table_without_its_key_column_is_refused_with_location(settings):
    from workbook.core.exceptions import DataError

    riw = pd.DataFrame({"nip": ["198602222012122003"], "jenis": ["Latsar"], "nama": [""]})
    with pytest.raises(DataError) as err:
        plan_year_status(frame(person("A")), riw, YEAR, settings)
    assert (err.value.file, err.value.column) == ("riwayat_pelatihan", "pegawai_id")
    assert "Tabel riwayat_pelatihan tidak memiliki kolom pegawai_id" in str(err.value)


# -- programme codes -----------------------------------------------------------------------------

def test_programme_wajib_column_name_and_form(settings):
    kat = frame(prog("a", "Pelatihan Dasar CPNS Angkatan I", "pelatihan_manajerial", 300),
                prog("b", "Pelatihan apa saja", "latsar", 300),
                prog("c", "PKA 2027", "pelatihan_kepemimpinan", wajib="pkp"),
                prog("d", "PKN II", "pelatihan_kepemimpinan"),
                prog("e", "Orientasi PPPK (MOOC)", "e_learning", 0),
                prog("f", "Analisis data", "pelatihan_teknis", jenis_program="fungsional"),
                prog("g", "Coaching pejabat pengawas", "coaching"))
    pw = programme_wajib(kat, settings).set_index("program_id")
    assert pw["wajib"].to_dict() == {"a": "latsar", "b": "latsar", "c": "pkp", "d": "pkn2", "e": "orientasi_pppk",
                                     "f": "", "g": ""}
    assert pw["wajib_asal"].to_dict() == {"a": "nama", "b": "bentuk", "c": "kolom", "d": "nama", "e": "nama",
                                          "f": "", "g": ""}
    assert pw["programme_kind"].to_dict() == {"a": "wajib", "b": "wajib", "c": "kepemimpinan", "d": "kepemimpinan",
                                              "e": "wajib", "f": "fungsional", "g": "lainnya"}


# -- eligibility rules ------------------------------------------------------------------------------

def test_teacher_not_eligible_for_coaching_of_supervisors(settings):
    peg = frame(person("guru", jj="fungsional", jf_nama="Guru", jenjang="ahli pertama"), person("was", jj="pengawas"))
    kat = frame(prog("C", "Coaching pejabat pengawas baru", "coaching", 10, sasaran_jenis_jabatan="pengawas"),
                prog("T", "Excel", jp=10))
    st = plan_year_status(peg, None, YEAR, settings)
    assert pairs(eligible(st, peg, kat, settings)) == {("was", "C"), ("was", "T"), ("guru", "T")}
    assert list(ineligible_reasons(["guru", "was"], ["C", "C"], st, peg, kat, settings)) == [
        "jenis_jabatan_tidak_sesuai", ""]


def test_latsar_only_for_cpns_without_latsar(settings):
    peg = frame(person("new", "CPNS", tmt="2026-09-01"), person("done", "CPNS", tmt="2026-09-01"),
                person("pns"), person("p3k", "PPPK"))
    riw = pd.DataFrame({"pegawai_id": ["done"], "jenis": ["Latsar CPNS"], "nama": [""]})
    kat = frame(prog("L", "Latsar CPNS", "latsar", 300))
    st = plan_year_status(peg, riw, YEAR, settings)
    assert pairs(eligible(st, peg, kat, settings)) == {("new", "L")}
    assert list(ineligible_reasons(["done", "pns", "p3k"], ["L"] * 3, st, peg, kat, settings)) == [
        "sudah_memiliki", "bukan_cpns", "bukan_cpns"]


def test_orientasi_only_for_pppk_in_their_first_month(settings):
    peg = frame(person("baru", "PPPK", tmt="2026-12-20"), person("lama", "PPPK", tmt="2025-03-01"),
                person("dalam", "PPPK", tmt="2027-04-01"), person("pns"))
    kat = frame(prog("O", "Orientasi PPPK", "e_learning", 0, biaya=0))
    st = plan_year_status(peg, None, YEAR, settings)
    assert pairs(eligible(st, peg, kat, settings)) == {("baru", "O"), ("dalam", "O")}
    assert list(ineligible_reasons(["lama", "pns"], ["O", "O"], st, peg, kat, settings)) == [
        "lewat_masa_orientasi", "bukan_pppk"]


def test_leadership_by_jenis_jabatan_without_it(settings):
    peg = frame(person("was", jj="pengawas"), person("was_pkp", jj="pengawas"), person("adm", jj="administrator"),
                person("jpt", jj="JPT"), person("pel"))
    riw = pd.DataFrame({"pegawai_id": ["was_pkp"], "jenis": ["Diklatpim IV"], "nama": [""]})
    kat = frame(prog("PKP", "PKP", "pelatihan_kepemimpinan", 200), prog("PKA", "PKA", "pelatihan_kepemimpinan", 200),
                prog("PKN", "PKN Tingkat II", "pelatihan_kepemimpinan", 200, wajib="pkn2"))
    st = plan_year_status(peg, riw, YEAR, settings)
    assert pairs(eligible(st, peg, kat, settings)) == {("was", "PKP"), ("adm", "PKA"), ("jpt", "PKN")}
    assert list(ineligible_reasons(["was_pkp", "adm", "pel"], ["PKP", "PKP", "PKN"], st, peg, kat, settings)) == [
        "sudah_memiliki", "jenis_jabatan_tidak_sesuai", "jenis_jabatan_tidak_sesuai"]


def test_without_history_leadership_follows_the_setting(settings):
    peg = frame(person("was", jj="pengawas"))
    kat = frame(prog("PKP", "PKP", "pelatihan_kepemimpinan", 200))
    st = plan_year_status(peg, None, YEAR, settings)
    assert pairs(eligible(st, peg, kat, settings)) == set()
    assert "kepemimpinan_tanpa_riwayat" in st.loc[0, "asumsi"]
    missing = settings.with_overrides({"eligibility.without_history_leadership": "assume_missing"})
    st2 = plan_year_status(peg, None, YEAR, missing)
    assert pairs(eligible(st2, peg, kat, missing)) == {("was", "PKP")}


def test_unavailable_staff_not_sent_to_long_trainings(settings):
    peg = frame(person("bup", tanggal_lahir="1969-03-10"), person("tb", status_aktif="tugas_belajar"), person("ok"))
    kat = frame(prog("LONG", "Pelatihan teknis panjang", jp=60), prog("SHORT", "Webinar", "seminar", 4),
                prog("DAYS", "Magang", "magang", None, hari=10))
    st = plan_year_status(peg, None, YEAR, settings)
    assert pairs(eligible(st, peg, kat, settings)) == {("ok", "LONG"), ("ok", "SHORT"), ("ok", "DAYS"), ("bup", "SHORT")}
    assert list(ineligible_reasons(["bup", "bup", "tb"], ["LONG", "DAYS", "SHORT"], st, peg, kat, settings)) == [
        "pensiun_bup", "pensiun_bup", "tugas_belajar"]


def test_sasaran_lists_masa_kerja_and_prerequisites(settings):
    peg = frame(person("pns_old", jenjang="Terampil", tmt="2010-01-01"), person("pns_new", tmt="2025-06-01"),
                person("cpns", "CPNS", tmt="2027-01-15"), person("p3k", "PPPK", tmt="2020-01-01"),
                person("guru", jj="fungsional", jf_nama="Guru", tmt="2010-01-01"),
                person("bidan", jj="fungsional", jf_nama="Bidan", tmt="2010-01-01"))
    kat = frame(prog("S", "Untuk PNS & PPPK", sasaran_status="PNS;PPPK"),
                prog("J", "Terampil", sasaran_jenjang="terampil"),
                prog("F", "Untuk guru", sasaran_jf="guru"),
                prog("M", "Masa kerja 5 th", min_masa_kerja_th=5),
                prog("R", "Lanjutan", prasyarat="S"),
                prog("W", "Sesudah masa percobaan", prasyarat="latsar"))
    real = pd.DataFrame({"pegawai_id": ["p3k"], "program_id": ["S"]})
    st = plan_year_status(peg, None, YEAR, settings)
    got = pairs(eligible(st, peg, kat, settings, realisasi=real))
    others = {"pns_old", "pns_new", "p3k", "guru", "bidan"}
    assert {p for p, g in got if g == "S"} == others            # the CPNS turns PNS only in 2028
    assert {p for p, g in got if g == "J"} == {"pns_old"}
    assert {p for p, g in got if g == "F"} == {"guru"}
    assert {p for p, g in got if g == "M"} == {"pns_old", "p3k", "guru", "bidan"}
    assert {p for p, g in got if g == "R"} == {"p3k"}
    assert {p for p, g in got if g == "W"} == {"pns_old", "pns_new", "guru", "bidan"}   # PNS hold Latsar
    reasons = ineligible_reasons(["cpns", "pns_new", "bidan", "pns_new", "pns_old", "cpns"],
                                 ["S", "J", "F", "M", "R", "W"], st, peg, kat, settings, realisasi=real)
    assert list(reasons) == ["status_tidak_sesuai", "jenjang_tidak_sesuai", "jf_tidak_sesuai", "masa_kerja_kurang",
                             "prasyarat_belum", "prasyarat_belum"]


def test_cpns_turning_pns_matches_both_pns_and_cpns_targets(settings):
    peg = frame(person("turn", "CPNS", tmt="2026-02-01"))
    kat = frame(prog("P", "Untuk PNS", sasaran_status="PNS"), prog("C", "Untuk CPNS", sasaran_status="CPNS"))
    st = plan_year_status(peg, None, YEAR, settings)
    assert pairs(eligible(st, peg, kat, settings)) == {("turn", "P"), ("turn", "C")}


def test_jf_trainings_from_jf_wajib_and_their_trigger(settings):
    peg = frame(person("plan_new", jj="fungsional", jf_nama="Perencana", jenjang="ahli pertama", tmt_jabatan="2026-09-01"),
                person("plan_old", jj="fungsional", jf_nama="Perencana", jenjang="ahli pertama", tmt_jabatan="2015-01-01"),
                person("guru_new", jj="fungsional", jf_nama="Guru", jenjang="ahli pertama", tmt_jabatan="2026-09-01"),
                person("plan_up", jj="fungsional", jf_nama="Perencana", jenjang="ahli muda", tmt_jabatan="2018-01-01"))
    kat = frame(prog("JFP", "Pelatihan Pembentukan Perencana", "pelatihan_fungsional", 100),
                prog("JFJ", "Penjenjangan Perencana Ahli Muda", "pelatihan_fungsional", 100))
    jfw = pd.DataFrame({"jf_nama": ["Perencana", "Perencana"], "jenjang": ["", "ahli muda"],
                        "pemicu": ["pengangkatan_pertama", "kenaikan_jenjang"], "program_id": ["JFP", "JFJ"]})
    st = plan_year_status(peg, None, YEAR, settings)
    assert st.set_index("pegawai_id")["pemicu_jf"].to_dict() == {
        "plan_new": "pengangkatan_pertama", "plan_old": "", "guru_new": "pengangkatan_pertama", "plan_up": ""}
    assert pairs(eligible(st, peg, kat, settings, jf_wajib=jfw)) == {("plan_new", "JFP")}
    trig = pd.DataFrame({"pegawai_id": ["plan_up"], "pemicu": ["kenaikan_jenjang"]})
    assert pairs(eligible(st, peg, kat, settings, jf_wajib=jfw, pemicu=trig)) == {("plan_up", "JFJ")}
    assert ineligible_reasons("guru_new", "JFP", st, peg, kat, settings, jf_wajib=jfw).iloc[0] == "pemicu_jf_tidak_ada"


def test_vectorised_pairs_equal_the_per_pair_rules(settings):
    """The grouped kernel agrees with the first-failing-rule check on every pair of a mixed frame."""
    rng = np.random.default_rng(0)
    n = 80
    peg = pd.DataFrame({
        "pegawai_id": [f"P{i}" for i in range(n)],
        "status": rng.choice(["PNS", "CPNS", "PPPK"], n),
        "jenis_jabatan": rng.choice(["pelaksana", "fungsional", "pengawas", "administrator", "JPT"], n),
        "jenjang": rng.choice(["", "ahli muda", "terampil"], n),
        "tmt": pd.to_datetime("2000-01-01") + pd.to_timedelta(rng.integers(0, 9800, n), unit="D"),
        "tanggal_lahir": pd.to_datetime("1966-01-01") + pd.to_timedelta(rng.integers(0, 11000, n), unit="D"),
        "tmt_jabatan": pd.to_datetime("2015-01-01") + pd.to_timedelta(rng.integers(0, 4300, n), unit="D"),
        "status_aktif": rng.choice(["", "", "", "tugas_belajar"], n),
        "jf_nama": rng.choice(["", "Guru"], n),
    })
    riw = pd.DataFrame({"pegawai_id": peg["pegawai_id"][::3], "jenis": "Diklatpim IV", "nama": ""})
    kat = frame(prog("L", "Latsar", "latsar", 300), prog("K", "PKP", "pelatihan_kepemimpinan", 200),
                prog("S", "PNS saja", sasaran_status="PNS", min_masa_kerja_th=10),
                prog("G", "Guru", sasaran_jf="Guru", jp=60), prog("X", "Semua", jp=8))
    before = (peg.copy(), riw.copy(), kat.copy())
    st = plan_year_status(peg, riw, YEAR, settings)
    got = pairs(eligible(st, peg, kat, settings))
    for old, now in zip(before, (peg, riw, kat), strict=True):
        pd.testing.assert_frame_equal(old, now)                   # inputs are never modified
    ids = np.repeat(peg["pegawai_id"].to_numpy(), len(kat))
    pids = np.tile(kat["program_id"].to_numpy(), n)
    reasons = ineligible_reasons(ids, pids, st, peg, kat, settings)
    assert got == {(a, b) for a, b, r in zip(ids, pids, reasons, strict=True) if r == ""}
    assert 0 < len(got) < n * len(kat)


# -- mandatory needs and summary ------------------------------------------------------------------

def agency():
    peg = frame(
        person("c1", "CPNS", tmt="2026-03-01", kode_unit="DINKES"), person("c2", "CPNS", tmt="2026-10-01", kode_unit="DINKES"),
        person("c3", "CPNS", tmt="2026-10-01", kode_unit="SETDA"),
        person("w1", jj="pengawas", tmt_jabatan="2025-01-01", kode_unit="SETDA"),     # 24 months: late
        person("w2", jj="pengawas", tmt_jabatan="2026-09-01", kode_unit="SETDA"),     # 4 months
        person("j1", jj="JPT", kode_unit="SETDA", tmt_jabatan="2026-06-01"), person("p1"),
    )
    riw = pd.DataFrame({"pegawai_id": ["c3"], "jenis": ["Latsar"], "nama": [""]})
    kat = frame(prog("LK", "Latsar klasikal", "latsar", 300, biaya=9_000_000),
                prog("LB", "Latsar blended", "latsar", 300, biaya=6_000_000),
                prog("PKP", "PKP", "pelatihan_kepemimpinan", 200, biaya=15_000_000),
                prog("PKN", "PKN II", "pelatihan_kepemimpinan", 300, biaya=22_945_000),
                prog("T", "Excel", jp=10))
    form = pd.DataFrame({"status": ["CPNS", "CPNS", "PPPK", "CPNS"], "jumlah": [4, 2, 3, 9],
                         "kode_unit": ["DINKES", "", "DISDIK", ""],
                         "tmt_perkiraan": ["2027-03-01", "", "2027-05-01", "2028-02-01"]})
    return peg, riw, kat, form


def test_mandatory_needs_counts_current_intake_late_and_proposals(settings):
    peg, riw, kat, form = agency()
    st = plan_year_status(peg, riw, YEAR, settings)
    needs = mandatory_needs(st, peg, kat, None, form, settings, plan_year=YEAR)
    assert list(needs.columns) == NEEDS_COLUMNS
    rows = {(r.wajib, r.program_id, r.kode_unit): (r.n_current, r.n_intake, r.n_persons, r.n_late, r.proposal_only)
            for r in needs.itertuples()}
    assert rows == {
        ("latsar", "LB", ""): (0, 2, 2, 0, False),             # 2028 intake left out
        ("latsar", "LB", "DINKES"): (2, 4, 6, 0, False),       # the cheaper Latsar, once per person
        ("orientasi_pppk", "", "DISDIK"): (0, 3, 3, 0, False),  # no programme: kept with program_id ""
        ("pkp", "PKP", "SETDA"): (2, 0, 2, 1, False),
        ("pkn2", "PKN", "SETDA"): (1, 0, 1, 0, True),
    }


def test_late_cpns_without_latsar_is_counted_late(settings):
    peg = frame(person("old", "CPNS", tmt="2025-06-01"), person("new", "CPNS", tmt="2026-11-01"))
    kat = frame(prog("L", "Latsar", "latsar", 300))
    st = plan_year_status(peg, None, YEAR, settings)
    needs = mandatory_needs(st, peg, kat, None, None, settings, plan_year=YEAR)
    assert needs[["n_persons", "n_late"]].values.tolist() == [[2, 1]]


def test_summary_codes_and_words(settings):
    peg, riw, kat, form = agency()
    st = plan_year_status(peg, riw, YEAR, settings)
    needs = mandatory_needs(st, peg, kat, None, form, settings, plan_year=YEAR)
    sm = mandatory_summary(needs, st, peg, kat, settings).set_index("wajib")
    assert sm["status"].to_dict() == {
        "latsar": "perlu", "orientasi_pppk": "tanpa_program", "pkp": "perlu", "pka": "tidak_ada", "pkn2": "usulan",
        "pkn1": "tidak_ada", "jf_pembentukan": "tidak_dinilai", "jf_penjenjangan": "tidak_dinilai"}
    assert sm.loc["latsar", "n_need"] == 8 and sm.loc["pkp", "n_late"] == 1
    words = summary_words(sm.reset_index(), YEAR)
    # the intake said as what it is (the plan year's formasi, not yet in the staff data); no "0 … terlambat"
    assert ("8 CPNS memerlukan Latsar pada 2027 (6 di antaranya dari formasi tahun rencana yang belum ada di data "
            "pegawai).") in words
    late = summary_words(sm.reset_index(), YEAR, late_months=12)
    assert any(w.startswith("2 pejabat pengawas memerlukan PKP pada 2027 (1 di antaranya sudah melewati batas waktu "
                            "pelatihan ini: lebih dari 12 bulan menduduki jabatannya") for w in late), late
    assert not any("terlambat" in w or "formasi baru" in w for w in late + words)
    assert not any("0 di antaranya" in w for w in late + words)
    assert any(w.startswith("3 PPPK baru memerlukan Orientasi PPPK pada 2027, tetapi katalog") for w in words)


def test_nobody_needs_latsar_gives_the_none_code_and_sentence(settings):
    peg = frame(person("a"), person("b", jj="pengawas"))
    kat = frame(prog("L", "Latsar CPNS", "latsar", 300))
    st = plan_year_status(peg, None, YEAR, settings)
    needs = mandatory_needs(st, peg, kat, None, None, settings, plan_year=YEAR)
    assert needs.empty
    sm = mandatory_summary(needs, st, peg, kat, settings)
    latsar = sm.set_index("wajib").loc["latsar"]
    assert latsar["status"] == "tidak_ada" and latsar["n_need"] == 0
    assert summary_words(sm, YEAR)[0] == "Tidak ada CPNS yang belum Latsar pada 2027."
    assert summary_words(sm, YEAR, "en")[0] == "No CPNS without Latsar in 2027."


def test_unavailable_cpns_counted_as_not_eligible(settings):
    peg = frame(person("c", "CPNS", tmt="2026-10-01", status_aktif="cuti_di_luar_tanggungan_negara"))
    kat = frame(prog("L", "Latsar", "latsar", 300))
    st = plan_year_status(peg, None, YEAR, settings)
    needs = mandatory_needs(st, peg, kat, None, None, settings, plan_year=YEAR)
    sm = mandatory_summary(needs, st, peg, kat, settings).set_index("wajib")
    assert (sm.loc["latsar", "n_need"], sm.loc["latsar", "n_persons"], sm.loc["latsar", "n_not_eligible"]) == (1, 0, 1)


# -- codes have words ---------------------------------------------------------------------------

@pytest.mark.parametrize(("prefix", "declared"), [
    ("plan.alasan", C.ALASAN_CODES), ("plan.asumsi", C.ASUMSI_CODES), ("plan.wajib", C.WAJIB_CODES),
    ("plan.wajib.status", SUMMARY_CODES), ("plan.wajib.sasaran", C.WAJIB_CODES), ("plan.wajib.singkat", C.WAJIB_CODES),
])
def test_every_code_has_words_in_both_languages(prefix, declared):
    assert set(codes(prefix)) == set(declared)
    for code in declared:
        ind, eng = t(f"{prefix}.{code}", "id"), t(f"{prefix}.{code}", "en")
        assert ind and eng


def test_codes_md_lists_every_code():
    md = codes_md()
    for code in (*C.ALASAN_CODES, *C.ASUMSI_CODES, *SUMMARY_CODES):
        assert f"| `{code}` |" in md


def test_shortfall_is_proposed_in_the_document_of_its_line_kind(settings):
    from workbook.plan.mandatory import usulan_word

    assert usulan_word("APBD", settings) == "APBD Perubahan (APBD-P)"
    assert usulan_word("blud", settings) == "perubahan RBA BLUD"
    assert usulan_word("APBN", settings) == "revisi DIPA"
    assert usulan_word("", settings, "en") == "budget revision"


def test_sasaran_unit_and_blud_funded_programmes_are_for_their_unit(settings):
    """#17 item 8: a catalogue sasaran_unit limits a programme to those units; a programme the
    catalogue funds from BLUD (whose only line is the RSUD's) is for the RSUD's staff only."""
    from workbook.plan.mandatory_plan import bind_to_line_units

    peg = frame(person("rs", kode_unit="RSUD"), person("dk", kode_unit="DINKES"), person("ds", kode_unit="DINSOS"))
    kat = frame(prog("OWN", "Kursus klinis", sasaran_unit="RSUD;DINKES"),
                prog("BLU", "Komunikasi klinis", sumber_dana="BLUD"),
                prog("ALL", "Analisis data", sumber_dana="APBD"))
    ang = pd.DataFrame({"sumber_dana": ["APBD", "BLUD"], "kode_unit": ["", "RSUD"], "pagu": [1e9, 1e8],
                        "dpa": ["BKPSDM", "RSUD"]})
    bound = bind_to_line_units(kat, ang, settings)
    assert [tuple(C.split_list(v)) for v in bound["sasaran_unit"]] == [("rsud", "dinkes"), ("rsud",), ()]
    assert kat["sasaran_unit"].isna().tolist() == [False, True, True]  # the input is not modified
    st = plan_year_status(peg, None, YEAR, settings)
    got = pairs(eligible(st, peg, bound, settings))
    assert got == {("rs", "OWN"), ("dk", "OWN"), ("rs", "BLU"), ("rs", "ALL"), ("dk", "ALL"), ("ds", "ALL")}
    why = ineligible_reasons(["ds", "dk"], ["OWN", "BLU"], st, peg, bound, settings)
    assert list(why) == ["unit_tidak_sesuai", "unit_tidak_sesuai"]
    assert "unit kerja bukan sasaran" in t("plan.alasan.unit_tidak_sesuai")
    # with the BLUD line open to every unit (an explicit cakupan), nothing is bound
    open_ang = ang.assign(kode_unit=["", ""], dpa=["BKPSDM", ""])
    assert not C.split_list(bind_to_line_units(kat, open_ang, settings)["sasaran_unit"].iloc[1])
