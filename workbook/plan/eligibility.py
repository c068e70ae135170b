"""Who may take which programme in the plan year (issue #17): pure kernels, DataFrame in and
DataFrame out, codes and numbers only (the words of the codes are ``plan.alasan.*``,
``plan.asumsi.*`` and ``plan.wajib.*`` in ``workbook/plan/messages.yaml``).

- :func:`plan_year_status` — per employee: status in the plan year (a CPNS whose probation year
  ends in it becomes PNS), availability (BUP retirement, leave, tugas belajar…), which mandatory
  trainings they already have (training history through the equivalence table of old names, and
  last year's realisation), months in the post, years of service.
- :func:`programme_wajib` — per programme: the mandatory-training code (``wajib`` column, or
  derived from the name/bentuk) and the kind of programme (``jenis_program``).
- :func:`eligible` — the eligible (pegawai_id, program_id) pairs, computed once per group of
  employees with identical attributes and broadcast to the members.
- :func:`ineligible_reasons` — the first rule an (employee, programme) pair fails, as a code.

Every rule, its source and its confirmation mark are in ``docs/methods/plan.md`` ("Kelayakan dan
pelatihan wajib"); the thresholds are the ``eligibility.*`` settings.

Notes
-----
Where an optional input is absent the kernels use what exists and mark the row with an
assumption code in ``asumsi`` (e.g. ``latsar_dari_status``: without a training history a CPNS
has no Latsar and a PNS has it, since Latsar is the condition of the appointment as PNS —
UU 5/2014 Pasal 63(3)–(4), DOMAIN-PLAN §1.1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

import workbook.plan._elig_rules as rules
from workbook.core.exceptions import SettingsError
from workbook.core.i18n import t
from workbook.plan._elig_common import (
    ALASAN_CODES,
    ASUMSI_CODES,
    JF_CODES,
    LEADERSHIP,
    STATUS_AKTIF,
    WAJIB_CODES,
    compile_patterns,
    dates,
    join_codes,
    kesetaraan_patterns,
    label_codes,
    months_between,
    require,
    text,
)

__all__ = ["plan_year_status", "programme_wajib", "eligible", "ineligible_reasons", "check_settings", "WAJIB_CODES",
           "ALASAN_CODES", "ASUMSI_CODES"]

#: the text settings of eligibility and their allowed values (codes, not words)
CHOICES = {
    "eligibility.cpns_to_pns_latsar": ["done", "done_or_planned"],
    "eligibility.without_history_leadership": ["assume_done", "assume_missing"],
    "jp.cpns_to_pns": ["full", "pro_rata", "none"],
    "jp.pppk_cap_period": ["plan_year", "contract_year"],
}
_MONTHS_PROBATION = 12  # UU 5/2014 Pasal 63(3)–(4): masa percobaan 1 tahun (DOMAIN-PLAN §1.1, §10)


def check_settings(settings) -> None:
    """Refuse a text setting of :data:`CHOICES` outside its allowed values (SettingsError)."""
    for key, allowed in CHOICES.items():
        value = settings[key]
        if value not in allowed:
            kw = {"setting": key, "value": value, "allowed": ", ".join(allowed)}
            raise SettingsError(t("plan.elig_setting_invalid", "id", **kw), t("plan.elig_setting_invalid", "en", **kw),
                                column=key, value=value, expected=" | ".join(allowed))


def programme_wajib(katalog: pd.DataFrame, settings) -> pd.DataFrame:
    """The mandatory-training code and the kind of each programme.

    Parameters
    ----------
    katalog : DataFrame
        ``katalog_program``: program_id, nama_program, bentuk; optional ``wajib`` and
        ``jenis_program``.
    settings : Settings
        ``eligibility.wajib_regex`` (name → code, case-insensitive, first match in order) and
        ``eligibility.jenis_program_dari_bentuk``.

    Returns
    -------
    DataFrame
        One row per programme, in catalogue order: ``program_id``, ``wajib`` (code or ""),
        ``wajib_asal`` (``kolom`` | ``nama`` | ``bentuk`` | ""), ``programme_kind`` (a
        ``jenis_program`` code) and ``programme_kind_asal`` (``kolom`` | ``turunan``).
    """
    idx = katalog.index
    given = text(katalog.get("wajib"), idx).str.lower()
    given = given.where(given.isin(WAJIB_CODES), "")
    pats = compile_patterns((rx, c) for c, rx in settings["eligibility.wajib_regex"].items())
    by_name = label_codes(text(katalog.get("nama_program"), idx), pats)
    bentuk = text(katalog.get("bentuk"), idx).str.lower()
    by_form = pd.Series(np.where(bentuk == "latsar", "latsar", ""), index=idx)
    wajib = given.where(given != "", by_name.where(by_name != "", by_form))
    asal = np.select([given != "", by_name != "", by_form != ""], ["kolom", "nama", "bentuk"], "")
    kind_given = text(katalog.get("jenis_program"), idx).str.lower()
    from_form = bentuk.map(settings["eligibility.jenis_program_dari_bentuk"]).fillna("lainnya")
    from_code = wajib.map(lambda c: "wajib" if c in ("latsar", "orientasi_pppk") else
                          "kepemimpinan" if c in LEADERSHIP else "fungsional" if c in JF_CODES else "")
    kind = kind_given.where(kind_given != "", from_code.where(from_code != "", from_form))
    return pd.DataFrame({
        "program_id": katalog["program_id"].astype(str).to_numpy(),
        "wajib": wajib.to_numpy(),
        "wajib_asal": asal,
        "programme_kind": kind.to_numpy(),
        "programme_kind_asal": np.where(kind_given != "", "kolom", "turunan"),
    })


def _history_flags(ids: pd.Series, riwayat, realisasi, katalog, kesetaraan, settings) -> pd.DataFrame:
    """has_<code> per employee from the training history and last year's realisation."""
    flags = np.zeros((len(ids), len(WAJIB_CODES)), dtype=bool)
    found = []
    if riwayat is not None and len(riwayat):
        ok = ~text(riwayat.get("status"), riwayat.index).str.lower().isin(["tidak_lulus"]).to_numpy()
        pats = kesetaraan_patterns(settings, kesetaraan)
        jenis = label_codes(text(riwayat.get("jenis"), riwayat.index), pats)
        nama = label_codes(text(riwayat.get("nama"), riwayat.index), pats)
        code = jenis.where(jenis != "", nama).to_numpy()
        found.append((riwayat["pegawai_id"].astype(str).to_numpy()[ok], code[ok]))
    if realisasi is not None and katalog is not None and len(realisasi) and "program_id" in realisasi:
        codes = programme_wajib(katalog, settings).set_index("program_id")["wajib"]
        code = realisasi["program_id"].astype(str).map(codes).fillna("").to_numpy()
        found.append((realisasi["pegawai_id"].astype(str).to_numpy(), code))
    where = pd.Index(np.asarray(ids, dtype=object))
    for who, code in found:
        rows = where.get_indexer(np.asarray(who, dtype=object))
        for j, c in enumerate(WAJIB_CODES):
            hit = (code == c) & (rows >= 0)
            flags[rows[hit], j] = True
    return pd.DataFrame(flags, columns=[f"has_{c}" for c in WAJIB_CODES])


def _bup_dates(peg: pd.DataFrame, lahir: pd.Series, settings) -> pd.Series:
    """Retirement date by BUP: the first day of the month after the month the BUP age is
    reached (``eligibility.bup_age`` by jenis_jabatan, ``fungsional:<jenjang>`` for JF)."""
    ages = settings["eligibility.bup_age"]
    jj = text(peg.get("jenis_jabatan"), peg.index)
    jenjang = text(peg.get("jenjang"), peg.index).str.lower()
    key = "fungsional:" + jenjang
    age = key.map({k.lower(): v for k, v in ages.items()}).where(jj == "fungsional")
    age = age.fillna(jj.map(ages))
    month_index = (lahir.dt.year + age) * 12 + (lahir.dt.month - 1) + 1   # month after the birthday
    ok = month_index.notna().to_numpy()
    out = np.full(len(peg), np.datetime64("NaT"), dtype="datetime64[us]")
    months = month_index.to_numpy(dtype=float)[ok].astype(np.int64) - 1970 * 12
    out[ok] = months.astype("datetime64[M]").astype("datetime64[us]")
    return pd.Series(out, index=peg.index)


def plan_year_status(
    pegawai: pd.DataFrame,
    riwayat: pd.DataFrame | None,
    plan_year: int,
    settings,
    *,
    realisasi: pd.DataFrame | None = None,
    katalog: pd.DataFrame | None = None,
    kesetaraan: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each employee's situation in the plan year.

    Parameters
    ----------
    pegawai : DataFrame
        pegawai_id, status, jenis_jabatan, tmt; optional jenjang, tanggal_lahir, tmt_cpns,
        tmt_jabatan, status_aktif, jf_nama.
    riwayat : DataFrame or None
        ``riwayat_pelatihan``: pegawai_id, jenis, nama, status (``tidak_lulus`` does not count).
    plan_year : int
    settings : Settings
    realisasi, katalog : DataFrame, optional
        Last year's realisation; a row whose programme is wajib gives that training.
    kesetaraan : DataFrame, optional
        The agency's equivalence table (nama_lama, wajib); default ``eligibility.kesetaraan``.

    Returns
    -------
    DataFrame
        One row per employee in input order: ``pegawai_id``, ``status_pada_tahun_rencana``
        (PNS | CPNS | CPNS_jadi_PNS | PPPK), ``tanggal_jadi_pns``, ``bulan_pns_tahun_rencana``
        (0–12), ``available``, ``unavailable_reason`` (code or ""), ``unavailable_scope``
        (``long`` | ``all`` | ""), ``tanggal_pensiun_bup``, ``has_<wajib code>`` (8 flags),
        ``months_in_jabatan`` (at 1 January), ``masa_kerja_th`` (years since TMT CPNS, or TMT),
        ``dalam_masa_orientasi`` (PPPK appointed no earlier than ``orientasi_months`` before
        1 January), ``pemicu_jf`` (derived JF trigger or "") and ``asumsi`` (`;`-joined codes).
    """
    check_settings(settings)
    require(pegawai, ["pegawai_id", "status"], "pegawai")
    require(riwayat, ["pegawai_id"], "riwayat_pelatihan")
    require(realisasi, ["pegawai_id"], "realisasi_pengembangan")
    require(kesetaraan, ["nama_lama", "wajib"], "kesetaraan_pelatihan")
    idx = pegawai.index
    start, end = pd.Timestamp(plan_year, 1, 1), pd.Timestamp(plan_year, 12, 31)
    ids = pegawai["pegawai_id"].astype(str)
    status = text(pegawai.get("status"), idx)
    jj = text(pegawai.get("jenis_jabatan"), idx)
    tmt = dates(pegawai.get("tmt"), idx)
    tmt_cpns = dates(pegawai.get("tmt_cpns"), idx)
    from_tmt = tmt_cpns.isna() & tmt.notna() & status.isin(["CPNS", "PNS"])
    tmt_cpns = tmt_cpns.where(~from_tmt, tmt)
    has = _history_flags(ids, riwayat, realisasi, katalog, kesetaraan, settings)
    has.index = idx
    no_history = riwayat is None or len(riwayat) == 0
    has["has_latsar"] |= (status == "PNS").to_numpy()
    officials = jj.isin([j for c in LEADERSHIP for j in settings["eligibility.wajib_jenis_jabatan"][c]])
    assume_done = no_history and settings["eligibility.without_history_leadership"] == "assume_done"
    if assume_done:
        for code in LEADERSHIP:
            holders = jj.isin(settings["eligibility.wajib_jenis_jabatan"][code])
            has[f"has_{code}"] |= holders.to_numpy()

    jadi = tmt_cpns + pd.DateOffset(months=_MONTHS_PROBATION)
    latsar_ok = has["has_latsar"] | (settings["eligibility.cpns_to_pns_latsar"] == "done_or_planned")
    turns = (status == "CPNS") & (jadi <= end) & latsar_ok
    st = status.where(~turns, "CPNS_jadi_PNS")
    months_pns = np.select(
        [st == "PNS", turns & (jadi < start), turns],
        [12, 12, 13 - jadi.dt.month.fillna(1)], 0,
    ).astype(float)

    aktif = text(pegawai.get("status_aktif"), idx).str.lower()
    reason = aktif.map(STATUS_AKTIF).where(~aktif.isin(["", "aktif"]), "")
    reason = reason.fillna("status_aktif_lain")
    lahir = dates(pegawai.get("tanggal_lahir"), idx)
    pensiun = _bup_dates(pegawai, lahir, settings)
    bup = (pensiun <= end) & (status != "PPPK")
    reason = reason.where((reason != "") | ~bup, "pensiun_bup")
    scope = reason.map(settings["eligibility.unavailable_scope"]).fillna("all").where(reason != "", "")

    tmt_jab = dates(pegawai.get("tmt_jabatan"), idx)
    in_jab = months_between(tmt_jab, start)
    window = settings["eligibility.orientasi_months"]
    orient = (status == "PPPK") & (tmt >= start - pd.DateOffset(months=window))
    pemicu = pd.Series(np.where(
        (jj == "fungsional") & (in_jab <= settings["eligibility.late_months"]) & ~has["has_jf_pembentukan"],
        "pengangkatan_pertama", ""), index=idx)
    service_from = tmt_cpns.where(status != "PPPK", tmt)
    asumsi = join_codes({
        "latsar_dari_status": status.isin(["CPNS", "PNS"]) & no_history,
        "kepemimpinan_tanpa_riwayat": officials & no_history,
        "tmt_cpns_dari_tmt": from_tmt,
        "tanpa_tmt_cpns": (status == "CPNS") & tmt_cpns.isna(),
        "jadi_pns_latsar_direncanakan": turns & ~has["has_latsar"],
        "tanpa_tanggal_lahir": lahir.isna() & (status != "PPPK"),
        "tanpa_tmt_jabatan": officials & tmt_jab.isna(),
        "pemicu_dari_tmt_jabatan": pemicu != "",
    }, idx)
    out = pd.DataFrame({
        "pegawai_id": ids,
        "status_pada_tahun_rencana": st,
        "tanggal_jadi_pns": jadi.where(st == "CPNS_jadi_PNS"),
        "bulan_pns_tahun_rencana": months_pns,
        "available": reason == "",
        "unavailable_reason": reason,
        "unavailable_scope": scope,
        "tanggal_pensiun_bup": pensiun,
    }, index=idx)
    out = pd.concat([out, has.astype(bool)], axis=1)
    out["months_in_jabatan"] = in_jab
    out["masa_kerja_th"] = (start - service_from).dt.days / 365.25
    out["dalam_masa_orientasi"] = orient.to_numpy()
    out["pemicu_jf"] = pemicu
    out["asumsi"] = asumsi
    return out.reset_index(drop=True)


def _check_inputs(pegawai, katalog, jf_wajib, pemicu, realisasi) -> None:
    require(pegawai, ["pegawai_id"], "pegawai")
    require(katalog, ["program_id"], "katalog_program")
    require(jf_wajib, ["jf_nama", "pemicu", "program_id"], "jf_wajib")
    require(pemicu, ["pegawai_id", "pemicu"], "pemicu")
    require(realisasi, ["pegawai_id", "program_id"], "realisasi_pengembangan")


def eligible(
    status: pd.DataFrame,
    pegawai: pd.DataFrame,
    katalog: pd.DataFrame,
    settings,
    *,
    jf_wajib: pd.DataFrame | None = None,
    pemicu: pd.DataFrame | None = None,
    realisasi: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The eligible (employee, programme) pairs, long format.

    The rules (``docs/methods/plan.md``, "Kelayakan") are evaluated once per group of employees
    with identical attributes (status, jabatan, jenjang, JF, availability, mandatory trainings
    held, triggers, prerequisites done) × programme, then broadcast to each group's members; only
    the years of service are compared per person.

    Parameters
    ----------
    status : DataFrame
        :func:`plan_year_status`.
    pegawai : DataFrame
        jenis_jabatan, optional jenjang, jf_nama.
    katalog : DataFrame
        ``katalog_program`` with the optional columns sasaran_status, sasaran_jenis_jabatan,
        sasaran_jenjang, sasaran_jf, min_masa_kerja_th, prasyarat, wajib.
    jf_wajib : DataFrame, optional
        jf_nama, jenjang, pemicu, program_id: which JF training each trigger requires.
    pemicu : DataFrame, optional
        pegawai_id, pemicu: JF triggers planned in the plan year; replaces the derived
        ``status.pemicu_jf``.
    realisasi : DataFrame, optional
        pegawai_id, program_id done last year (for programme-id prerequisites).

    Returns
    -------
    DataFrame
        ``pegawai_id`` and ``program_id`` (categoricals), ordered by programme then employee.
    """
    _check_inputs(pegawai, katalog, jf_wajib, pemicu, realisasi)
    ctx = rules.prepare(status, pegawai, katalog, programme_wajib(katalog, settings)["wajib"].to_numpy(), settings,
                        jf_wajib, pemicu, realisasi)
    ok = ctx.ok_matrix()
    persons = []
    for p in range(ok.shape[1]):
        mask = ok[ctx.gid, p]
        if ctx.min_masa[p] > 0:
            mask &= ctx.masa >= ctx.min_masa[p]
        persons.append(np.flatnonzero(mask).astype(np.int32))
    lengths = [len(a) for a in persons]
    who = np.concatenate(persons) if persons else np.zeros(0, np.int32)
    del persons
    prog = np.repeat(np.arange(ok.shape[1], dtype=np.int16 if ok.shape[1] < 2**15 else np.int32), lengths)
    return pd.DataFrame({
        "pegawai_id": pd.Categorical.from_codes(who, categories=pd.Index(ctx.ids)),
        "program_id": pd.Categorical.from_codes(prog, categories=pd.Index(ctx.prog_ids)),
    })


def ineligible_reasons(
    pegawai_id: Sequence[str] | str,
    program_id: Sequence[str] | str,
    status: pd.DataFrame,
    pegawai: pd.DataFrame,
    katalog: pd.DataFrame,
    settings,
    *,
    jf_wajib: pd.DataFrame | None = None,
    pemicu: pd.DataFrame | None = None,
    realisasi: pd.DataFrame | None = None,
) -> pd.Series:
    """The first rule each (pegawai_id, program_id) pair fails, as a ``plan.alasan`` code
    ("" when the pair is eligible). Scalars give a one-row Series. The rules are checked in the
    order of ``docs/methods/plan.md``; an unavailable employee gets their own reason
    (``pensiun_bup``, ``cuti_dltn``…)."""
    ids = pd.Series([pegawai_id] if isinstance(pegawai_id, str) else list(pegawai_id), dtype=object)
    pids = pd.Series([program_id] if isinstance(program_id, str) else list(program_id), dtype=object)
    _check_inputs(pegawai, katalog, jf_wajib, pemicu, realisasi)
    ctx = rules.prepare(status, pegawai, katalog, programme_wajib(katalog, settings)["wajib"].to_numpy(), settings,
                        jf_wajib, pemicu, realisasi)
    return ctx.reasons(ids.astype(str).to_numpy(), pids.astype(str).to_numpy())
