"""The mandatory-training block of the plan (issue #17): who needs Latsar, Orientasi PPPK, the
leadership trainings and the JF trainings in the plan year, counted per programme and unit,
before any optimisation. Pure kernels: DataFrames of codes and numbers (the words are
``plan.wajib.*`` in ``workbook/plan/messages.yaml``; :func:`summary_words` turns a summary into
sentences for the report).

- :func:`mandatory_needs` — one row per (wajib code, program_id, kode_unit): current employees
  who are eligible (:func:`workbook.plan.eligibility.eligible`), plus the plan year's intake
  (``formasi_tahun_rencana``), late officials, and whether the row is a proposal only (PKN II).
- :func:`mandatory_summary` — one row per wajib code with a status code; ``tidak_ada`` lets the
  report say "Tidak ada CPNS yang belum Latsar pada 2027" (DOMAIN-PLAN §1.1).

Each employee is counted once per wajib code: when several programmes carry the same code
(e.g. a classroom and a blended Latsar), the cheapest one they are eligible for, ties in
catalogue order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.core.i18n import code_tables_md, fmt_int, fmt_rupiah, t
from workbook.plan._elig_common import (
    JF_CODES,
    LEADERSHIP,
    WAJIB_CODES,
    dates,
    require,
    split_list,
    text,
)
from workbook.plan.eligibility import eligible, programme_wajib

__all__ = ["mandatory_needs", "mandatory_summary", "summary_words", "usulan_word", "calendar_words", "jp_assumptions",
           "jp_assumption_words", "codes_md", "NEEDS_COLUMNS", "SUMMARY_CODES"]

#: codes of ``mandatory_summary.status`` (words: plan.wajib.status.*)
SUMMARY_CODES = ("perlu", "usulan", "tanpa_program", "tidak_ada", "tidak_dinilai")

NEEDS_COLUMNS = ["wajib", "program_id", "kode_unit", "n_current", "n_intake", "n_persons", "n_late",
                 "proposal_only", "biaya_per_peserta"]
_INTAKE_CODE = {"CPNS": "latsar", "PPPK": "orientasi_pppk"}


def _wajib_programmes(katalog: pd.DataFrame, settings) -> pd.DataFrame:
    pw = programme_wajib(katalog, settings)
    cost = katalog["biaya_per_peserta"] if "biaya_per_peserta" in katalog else pd.Series(0.0, index=katalog.index)
    pw["biaya_per_peserta"] = pd.to_numeric(cost, errors="coerce").fillna(0.0).to_numpy()
    pw["order"] = np.arange(len(pw))
    col = katalog["sasaran_status"] if "sasaran_status" in katalog else pd.Series([None] * len(katalog))
    pw["s_status"] = [split_list(v) for v in col]
    return pw[pw["wajib"] != ""].sort_values(["biaya_per_peserta", "order"])


def _intake(formasi: pd.DataFrame | None, progs: pd.DataFrame, plan_year: int | None) -> pd.DataFrame:
    """The plan year's intake by (wajib, program_id, kode_unit): CPNS → latsar, PPPK →
    orientasi_pppk, to the cheapest programme of that code whose sasaran_status admits them."""
    cols = ["wajib", "program_id", "kode_unit", "n_intake"]
    if formasi is None or not len(formasi):
        return pd.DataFrame(columns=cols)
    f = formasi.copy()
    f["status"] = text(f.get("status"), f.index).str.upper()
    f["kode_unit"] = text(f.get("kode_unit"), f.index)
    f["jumlah"] = pd.to_numeric(f.get("jumlah"), errors="coerce").fillna(0).astype(int)
    if plan_year is not None:
        tmt = dates(f.get("tmt_perkiraan"), f.index)
        f = f[tmt.isna() | (tmt.dt.year == plan_year)]
    f = f[f["status"].isin(list(_INTAKE_CODE))]
    f["wajib"] = f["status"].map(_INTAKE_CODE)

    def programme(row: pd.Series) -> str:
        st = row["status"].lower()
        cand = progs[(progs["wajib"] == row["wajib"]) & progs["s_status"].map(lambda s: not s or st in s)]
        return str(cand["program_id"].iloc[0]) if len(cand) else ""

    keys = f[["wajib", "status"]].drop_duplicates()
    keys["program_id"] = keys.apply(programme, axis=1) if len(keys) else []
    f = f.merge(keys, on=["wajib", "status"], how="left")
    out = f.groupby(["wajib", "program_id", "kode_unit"], as_index=False)["jumlah"].sum()
    return out.rename(columns={"jumlah": "n_intake"})[cols]


def mandatory_needs(
    status: pd.DataFrame,
    pegawai: pd.DataFrame,
    katalog: pd.DataFrame,
    jf_wajib: pd.DataFrame | None,
    formasi: pd.DataFrame | None,
    settings,
    *,
    plan_year: int | None = None,
    pemicu: pd.DataFrame | None = None,
    realisasi: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Who needs each mandatory training in the plan year, per programme and unit.

    Parameters
    ----------
    status : DataFrame
        :func:`workbook.plan.eligibility.plan_year_status`.
    pegawai : DataFrame
        pegawai_id, kode_unit, jenis_jabatan (and what :func:`eligible` reads).
    katalog : DataFrame
        ``katalog_program``; only programmes with a wajib code (:func:`programme_wajib`) count.
    jf_wajib, formasi : DataFrame or None
        ``jf_wajib`` (JF triggers → programme) and ``formasi_tahun_rencana`` (status, jumlah,
        kode_unit, tmt_perkiraan; rows with a TMT outside ``plan_year`` are left out).
    settings : Settings
        ``eligibility.late_months``, ``eligibility.pkn2_proposal_only`` and the eligibility rules.

    Returns
    -------
    DataFrame
        :data:`NEEDS_COLUMNS`: ``n_current`` eligible employees, ``n_intake`` from the formasi
        (program_id "" when no programme carries the code), ``n_persons`` = both, ``n_late`` =
        officials in post for more than ``late_months`` without their leadership training, and
        CPNS beyond ``late_months`` without Latsar (PP 11/2017 Pasal 351), ``proposal_only``
        (PKN II: candidates proposed, LAN selects), ``biaya_per_peserta``. Sorted by code (in
        :data:`~workbook.plan.eligibility.WAJIB_CODES` order), programme and unit.
    """
    require(formasi, ["status", "jumlah"], "formasi_tahun_rencana")
    progs = _wajib_programmes(katalog, settings)
    sub = katalog[katalog["program_id"].astype(str).isin(progs["program_id"])]
    pairs = eligible(status, pegawai, sub, settings, jf_wajib=jf_wajib, pemicu=pemicu, realisasi=realisasi)
    pairs = pd.DataFrame({"pegawai_id": pairs["pegawai_id"].astype(str), "program_id": pairs["program_id"].astype(str)})
    pairs = pairs.merge(progs[["program_id", "wajib", "biaya_per_peserta", "order"]], on="program_id")
    pairs = pairs.sort_values(["biaya_per_peserta", "order"], kind="stable")
    pairs = pairs.drop_duplicates(["pegawai_id", "wajib"])
    info = status[["pegawai_id", "months_in_jabatan", "masa_kerja_th"]].assign(
        pegawai_id=status["pegawai_id"].astype(str))
    units = pd.DataFrame({"pegawai_id": pegawai["pegawai_id"].astype(str),
                          "kode_unit": text(pegawai.get("kode_unit"), pegawai.index)})
    pairs = pairs.merge(info, on="pegawai_id", how="left").merge(units, on="pegawai_id", how="left")
    late_m = settings["eligibility.late_months"]
    pairs["late"] = (pairs["wajib"].isin(LEADERSHIP) & (pairs["months_in_jabatan"] > late_m)) | (
        (pairs["wajib"] == "latsar") & (pairs["masa_kerja_th"] * 12 > late_m))
    keys = ["wajib", "program_id", "kode_unit"]
    current = pairs.groupby(keys, as_index=False).agg(n_current=("pegawai_id", "size"), n_late=("late", "sum"))
    out = current.merge(_intake(formasi, progs, plan_year), on=keys, how="outer")
    for c in ("n_current", "n_intake", "n_late"):
        out[c] = out[c].fillna(0).astype(int)
    out["n_persons"] = out["n_current"] + out["n_intake"]
    out["proposal_only"] = (out["wajib"] == "pkn2") & bool(settings["eligibility.pkn2_proposal_only"])
    out = out.merge(progs[["program_id", "biaya_per_peserta"]], on="program_id", how="left")
    out["biaya_per_peserta"] = out["biaya_per_peserta"].astype(float)
    out["_o"] = out["wajib"].map({c: i for i, c in enumerate(WAJIB_CODES)})
    out = out.sort_values(["_o", "program_id", "kode_unit"]).reset_index(drop=True)
    return out[NEEDS_COLUMNS]


def _rule_counts(status: pd.DataFrame, pegawai: pd.DataFrame, settings) -> dict[str, int]:
    """People who need each code by the rule alone (whatever the catalogue and availability)."""
    jj = pd.Series(text(pegawai.get("jenis_jabatan"), pegawai.index).str.lower().to_numpy(),
                   index=pegawai["pegawai_id"].astype(str))
    jj = jj.reindex(status["pegawai_id"].astype(str)).fillna("").to_numpy()
    st = status["status_pada_tahun_rencana"].to_numpy()
    out = {
        "latsar": int((np.isin(st, ["CPNS", "CPNS_jadi_PNS"]) & ~status["has_latsar"].to_numpy(bool)).sum()),
        "orientasi_pppk": int(((st == "PPPK") & status["dalam_masa_orientasi"].to_numpy(bool)
                               & ~status["has_orientasi_pppk"].to_numpy(bool)).sum()),
    }
    mapping = settings["eligibility.wajib_jenis_jabatan"]
    for code in LEADERSHIP:
        holders = np.isin(jj, [str(x).lower() for x in mapping.get(code, [])])
        out[code] = int((holders & ~status[f"has_{code}"].to_numpy(bool)).sum())
    return out


def mandatory_summary(
    needs: pd.DataFrame,
    status: pd.DataFrame,
    pegawai: pd.DataFrame,
    katalog: pd.DataFrame,
    settings,
    *,
    jf_wajib: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per wajib code: what the plan must say about it.

    Returns
    -------
    DataFrame
        ``wajib``; ``status`` — ``perlu`` (someone needs it and a programme exists),
        ``usulan`` (PKN II: proposal only), ``tanpa_program`` (someone needs it, the catalogue has
        no programme), ``tidak_ada`` (nobody needs it: "Tidak ada CPNS yang belum Latsar pada
        2027"), ``tidak_dinilai`` (JF codes without a programme or a `jf_wajib` table: not
        assessed); ``n_need`` (by the rule, plus intake), ``n_persons`` (counted in ``needs``),
        ``n_intake``, ``n_late``, ``n_not_eligible`` (need by rule but not eligible, e.g.
        unavailable or outside the programme's sasaran), ``n_programmes``, ``proposal_only``,
        ``perkiraan`` (the programme is not in the agency's catalogue: priced from the setting
        ``eligibility.biaya_estimasi``) and ``biaya_perkiraan`` (that estimate per person).
    """
    by_rule = _rule_counts(status, pegawai, settings)
    progs = programme_wajib(katalog, settings)
    n_prog = progs[progs["wajib"] != ""].groupby("wajib").size()
    # codes priced from eligibility.biaya_estimasi (the catalogue has no programme of its own)
    flag = katalog["perkiraan"].fillna(False).astype(bool).to_numpy() if "perkiraan" in katalog else \
        np.zeros(len(katalog), dtype=bool)
    cost = pd.to_numeric(katalog.get("biaya_per_peserta"), errors="coerce").to_numpy(float)
    est = pd.Series(cost[flag], index=progs["wajib"].to_numpy()[flag], dtype=float)
    sums = needs.groupby("wajib")[["n_current", "n_intake", "n_persons", "n_late"]].sum()
    has_jf_table = jf_wajib is not None and len(jf_wajib) > 0
    rows = []
    for code in WAJIB_CODES:
        s = sums.loc[code] if code in sums.index else pd.Series(0, index=sums.columns)
        n_programmes = int(n_prog.get(code, 0))
        rule = by_rule.get(code, int(s["n_current"]))
        n_need = rule + int(s["n_intake"])
        proposal = code == "pkn2" and bool(settings["eligibility.pkn2_proposal_only"])
        if code in JF_CODES and n_programmes == 0 and not has_jf_table:
            state = "tidak_dinilai"
        elif n_need == 0:
            state = "tidak_ada"
        elif n_programmes == 0:
            state = "tanpa_program"
        else:
            state = "usulan" if proposal else "perlu"
        rows.append({
            "wajib": code, "status": state, "n_need": n_need, "n_persons": int(s["n_persons"]),
            "n_intake": int(s["n_intake"]), "n_late": int(s["n_late"]),
            "n_not_eligible": max(rule - int(s["n_current"]), 0), "n_programmes": n_programmes,
            "proposal_only": proposal, "perkiraan": code in est.index,
            "biaya_perkiraan": float(est.get(code, np.nan)),
        })
    return pd.DataFrame(rows)


def _need_details(r, lang: str, late_months: int | None) -> str:
    """The parenthesis of a ``perlu`` sentence: only the non-zero clauses (intake, late), and
    what "terlambat" means when it is said; "" when both are zero. A clause that holds for all
    of them says "semuanya", and when every clause does there is no parenthesis."""
    parts, whole = [], []
    n = int(r.n_need)
    if int(r.n_intake):
        whole.append(int(r.n_intake) == n)
        parts.append(t("plan.wajib_kalimat.intake_all" if whole[-1] else "plan.wajib_kalimat.intake", lang,
                       intake=fmt_int(r.n_intake, lang)))
    if int(r.n_late):
        key = "plan.wajib_kalimat.late_latsar" if r.wajib == "latsar" else "plan.wajib_kalimat.late"
        whole.append(int(r.n_late) == n)
        months = late_months if late_months is not None else "?"
        parts.append(t(key + ("_all" if whole[-1] else ""), lang, late=fmt_int(r.n_late, lang), bulan=months))
    if parts and all(whole):  # "20 CPNS …, semuanya dari formasi …": no "(20 di antaranya …)" when all are
        return ", " + "; ".join(parts)
    return f" ({'; '.join(parts)})" if parts else ""


def usulan_word(sumber_dana: str, settings, lang: str = "id") -> str:
    """Where a shortfall of a line of ``sumber_dana`` is proposed: APBD → APBD-P, APBN → revisi
    DIPA, BLUD → perubahan RBA (setting ``plan.usulan_perubahan``); other or no source: a
    budget revision."""
    mapping = {str(k).upper(): str(v) for k, v in (settings.get("plan.usulan_perubahan") or {}).items()}
    return t(f"plan.usulan.{mapping.get(str(sumber_dana).strip().upper(), 'lain')}", lang)


def summary_words(summary: pd.DataFrame, plan_year: int, lang: str = "id", *,
                  late_months: int | None = None) -> list[str]:
    """One sentence per row of :func:`mandatory_summary` (``plan.wajib.status.<code>``),
    skipping ``tidak_dinilai``. A ``perlu`` sentence names only its non-zero clauses (new intake,
    late) and says what "terlambat" means (``late_months``: the setting
    ``eligibility.late_months``). Presentation helper: kernels above never build sentences."""
    out = []
    for r in summary.itertuples(index=False):
        if r.status == "tidak_dinilai":
            continue
        key = "plan.wajib_kalimat.perlu" if r.status == "perlu" else f"plan.wajib.status.{r.status}"
        out.append(t(key, lang, n=fmt_int(r.n_need, lang),
                     sasaran=t(f"plan.wajib.sasaran.{r.wajib}", lang),
                     nama=t(f"plan.wajib.singkat.{r.wajib}", lang), tahun=plan_year,
                     intake=fmt_int(r.n_intake, lang), late=fmt_int(r.n_late, lang),
                     rincian=_need_details(r, lang, late_months)))
        if bool(getattr(r, "perkiraan", False)) and r.status in ("perlu", "usulan"):
            mooc = r.wajib == "orientasi_pppk" and float(r.biaya_perkiraan) == 0.0  # LAN's MOOC, no cost
            out.append(t("plan.wajib_kalimat.mooc" if mooc else "plan.wajib_kalimat.perkiraan", lang,
                         nama=t(f"plan.wajib.singkat.{r.wajib}", lang),
                         biaya=fmt_rupiah(r.biaya_perkiraan, lang), kode=r.wajib))
    return out


def calendar_words(schedule: pd.DataFrame | None, lang: str = "id") -> list[str]:
    """One sentence per (programme, month) of intake seats that no offered month after the TMT
    could hold (``kalender_konflik`` of the schedule, set by
    :func:`workbook.plan.stage_wajib.intake_after_tmt`)."""
    if schedule is None or "kalender_konflik" not in schedule:
        return []
    c = schedule[schedule["kalender_konflik"].fillna(False).astype(bool)]
    out = []
    for (pid, month), g in c.groupby([c["program_id"].astype(str), c["bulan"].astype(int)], sort=True):
        out.append(t("plan.wajib_kalimat.kalender_konflik", lang, n=fmt_int(len(g), lang), program=pid,
                     bulan=int(month)))
    return out


def jp_assumptions(katalog: pd.DataFrame, settings) -> pd.DataFrame:
    """Catalogue rows whose JP are not given (``jp`` blank, ``hari`` given): the JP per day the
    plan assumes and the setting it comes from (``jp.conversion``: seminar/lokakarya per
    ``cakupan``, else ``jp_per_hari_default``). Columns ``program_id``, ``bentuk``, ``hari``,
    ``cakupan``, ``jp_per_hari``, ``setting``."""
    cols = ["program_id", "bentuk", "hari", "cakupan", "jp_per_hari", "setting"]
    if katalog is None or not len(katalog) or "hari" not in katalog:
        return pd.DataFrame(columns=cols)
    conv = settings.get("jp.conversion") or {}
    jp = pd.to_numeric(katalog.get("jp"), errors="coerce")
    hari = pd.to_numeric(katalog["hari"], errors="coerce")
    rows = []
    for pid, bentuk, h, cak in zip(katalog["program_id"].astype(str)[jp.isna() & hari.notna()],
                                   text(katalog.get("bentuk"), katalog.index)[jp.isna() & hari.notna()],
                                   hari[jp.isna() & hari.notna()],
                                   text(katalog.get("cakupan"), katalog.index)[jp.isna() & hari.notna()], strict=True):
        scope = cak.lower() or "nasional"
        if isinstance(conv.get(bentuk), dict) and scope in conv[bentuk]:
            rate, key = conv[bentuk][scope], f"jp.conversion.{bentuk}.{scope}"
        else:
            rate, key = conv.get("jp_per_hari_default"), "jp.conversion.jp_per_hari_default"
        rows.append({"program_id": pid, "bentuk": bentuk, "hari": float(h), "cakupan": scope,
                     "jp_per_hari": float(rate) if rate is not None else np.nan, "setting": key})
    return pd.DataFrame(rows, columns=cols)


def jp_assumption_words(katalog: pd.DataFrame, settings, lang: str = "id") -> list[str]:
    """One sentence per row of :func:`jp_assumptions` (``plan.wajib_kalimat.jp_asumsi``)."""
    names = {} if katalog is None or "nama_program" not in katalog else dict(
        zip(katalog["program_id"].astype(str), katalog["nama_program"].astype(str), strict=True))
    return [t("plan.wajib_kalimat.jp_asumsi", lang, program=r.program_id, nama=names.get(r.program_id, ""), bentuk=r.bentuk,
              hari=f"{r.hari:g}", cakupan=r.cakupan, jp=f"{r.jp_per_hari:g}", setting=r.setting)
            for r in jp_assumptions(katalog, settings).itertuples(index=False)]


_FAMILIES = (
    ("Pelatihan wajib / Mandatory trainings",
     "`wajib` of `katalog_program` and of the mandatory-needs table", "plan.wajib"),
    ("Status pelatihan wajib / Mandatory-training status",
     "`status` of the mandatory summary (one row per wajib code)", "plan.wajib.status"),
    ("Alasan tidak layak / Why not eligible",
     "`unavailable_reason` of the plan-year status and the eligibility reason of a pair", "plan.alasan"),
    ("Asumsi / Assumptions",
     "`asumsi` of the plan-year status (`;`-separated) and of `02_plan/assumptions`", "plan.asumsi"),
    ("Kendala masukan / Infeasible input",
     "`kode` of `02_plan/infeasible` (the sentence's placeholders are its columns)", "plan.kendala"),
)


def codes_md() -> str:
    """The eligibility and mandatory-training codes, as a part of ``docs/data.md``."""
    return code_tables_md("### 02_plan — kelayakan dan pelatihan wajib / eligibility and mandatory trainings", _FAMILIES)
