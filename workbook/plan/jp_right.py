"""The 20-JP right, truthfully (issue #17 item 4): who is owed how many JP in the plan year, the
PPPK cap, and the planned JP by jalur and bentuk.

:func:`jp_targets` gives each employee a target and a cap from the plan-year status
(:func:`workbook.plan.eligibility.plan_year_status`): PNS are owed ``jp.minimum_pns``; a CPNS who
becomes PNS during the plan year (``CPNS_jadi_PNS``) per ``jp.cpns_to_pns`` (full, pro_rata, none);
PPPK are capped at ``jp.pppk_maximum`` per ``jp.pppk_cap_period`` and get free top-up places only as
``plan.top_up_pppk`` says. :func:`counted_jp` says which planned JP count: Latsar of a CPNS becoming
PNS only with ``jp.latsar_counts_for_new_pns``, Orientasi PPPK outside the cap with
``eligibility.orientasi_outside_pppk_cap``. The tables (aggregate, one row per unit plus
``INSTANSI``) are :func:`owed_coverage`, :func:`pppk_coverage` and :func:`jp_by_form`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from workbook.core.checks import require_columns as _require_columns
from workbook.core.exceptions import SettingsError
from workbook.core.i18n import t
from workbook.plan.common import REASON_CODES, _owed

__all__ = ["jp_targets", "counted_jp", "owed_coverage", "pppk_coverage", "jp_by_form", "form_of",
           "FORMS", "SHARES_1020_70"]

#: the JP forms of :func:`jp_by_form` (columns ``jp_<form>``)
FORMS = ("klasikal", "nonklasikal", "e_learning")

#: the 10:20:70 learning composition (Perlan 6/2023 Pasal 18; DOMAIN-PLAN §9): category → share
SHARES_1020_70 = {"terstruktur": 0.10, "sosial": 0.20, "pengalaman": 0.70}

_EPS = 1e-9


def _choice(s, key: str, allowed: tuple[str, ...]) -> str:
    v = str(s[key])
    if v not in allowed:
        kw = {"setting": key, "value": v, "allowed": ", ".join(allowed)}
        raise SettingsError(t("plan.elig_setting_invalid", "id", **kw), t("plan.elig_setting_invalid", "en", **kw),
                            column=key, value=v, expected=" | ".join(allowed))
    return v


def _contract_year_used(pegawai: pd.DataFrame, realisasi: pd.DataFrame | None, plan_year: int) -> pd.Series:
    """JP a PPPK already used last year in the contract year still running on 1 January of the
    plan year (realisation rows dated on or after the last anniversary of their TMT)."""
    ids = pegawai["pegawai_id"].astype(str)
    out = pd.Series(0.0, index=ids.to_numpy())
    if realisasi is None or not len(realisasi) or "tmt" not in pegawai or "tanggal_mulai" not in realisasi:
        return out
    tmt = pd.to_datetime(pegawai["tmt"], errors="coerce")
    start = pd.Timestamp(plan_year, 1, 1)
    anniv = {}
    for p_, d in zip(ids, tmt, strict=True):
        if pd.isna(d):
            continue
        a = pd.Timestamp(plan_year - 1, d.month, min(d.day, 28))
        anniv[p_] = a if a < start else pd.Timestamp(plan_year - 2, d.month, min(d.day, 28))
    r = realisasi.assign(_p=realisasi["pegawai_id"].astype(str),
                         _d=pd.to_datetime(realisasi["tanggal_mulai"], errors="coerce"),
                         _j=pd.to_numeric(realisasi.get("jp"), errors="coerce").fillna(0.0))
    r = r[r["_p"].isin(list(anniv))]
    keep = [(d >= anniv[p_]) and (d < start) for p_, d in zip(r["_p"], r["_d"], strict=True)]
    used = r[np.array(keep, dtype=bool)].groupby("_p")["_j"].sum()
    out.loc[used.index] = used.to_numpy(float)
    return out


def jp_targets(status: pd.DataFrame, pegawai: pd.DataFrame, settings, *, plan_year: int,
               realisasi: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each employee's JP target and cap in the plan year (person level, restricted).

    Parameters
    ----------
    status : DataFrame
        :func:`~workbook.plan.eligibility.plan_year_status` (``pegawai_id``,
        ``status_pada_tahun_rencana``, ``bulan_pns_tahun_rencana``, ``unavailable_reason``).
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``; ``tmt`` for ``jp.pppk_cap_period = contract_year``.
    realisasi : DataFrame, optional
        ``realisasi_pengembangan`` (``pegawai_id``, ``tanggal_mulai``, ``jp``): with
        ``contract_year``, a PPPK's JP of last year inside the contract year still running on
        1 January are taken off the cap.

    Returns
    -------
    DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``, ``status_pada_tahun_rencana``, ``target_jp``
        (0 = not owed), ``owed`` (bool), ``cap_jp`` (inf = none), ``free_only`` (PPPK top-up),
        ``unavailable_reason``.
    """
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "status"], "pegawai")
    _require_columns(status, ["pegawai_id", "status_pada_tahun_rencana"], "status")
    jmin, jcap = float(settings["jp.minimum_pns"]), float(settings["jp.pppk_maximum"])
    rule = _choice(settings, "jp.cpns_to_pns", ("full", "pro_rata", "none"))
    period = _choice(settings, "jp.pppk_cap_period", ("plan_year", "contract_year"))
    pppk_top = _choice(settings, "plan.top_up_pppk", ("none", "free"))
    owed_st = set(_owed(settings))
    st = status.set_index(status["pegawai_id"].astype(str))
    ids = pegawai["pegawai_id"].astype(str)
    base = pegawai["status"].astype("string").fillna("").astype(str).to_numpy()
    py = ids.map(st["status_pada_tahun_rencana"].astype(str)).fillna(pd.Series(base, index=ids.index)).to_numpy()
    months = ids.map(st["bulan_pns_tahun_rencana"]).fillna(0.0).to_numpy(float) \
        if "bulan_pns_tahun_rencana" in st else np.full(len(ids), 12.0)
    away = ids.map(st["unavailable_reason"].astype(str)).fillna("").to_numpy(dtype=object) \
        if "unavailable_reason" in st else np.full(len(ids), "", dtype=object)
    target = np.where(np.isin(base, list(owed_st)), jmin, 0.0)
    jadi = (py == "CPNS_jadi_PNS") & ("PNS" in owed_st)
    if rule == "full":
        target = np.where(jadi, jmin, target)
    elif rule == "pro_rata":
        target = np.where(jadi, [math.ceil(jmin * m / 12.0 - _EPS) for m in months], target)
    owed = target > 0
    pppk = base == "PPPK"
    cap = np.where(pppk, jcap, np.inf)
    if period == "contract_year":
        cap = np.where(pppk, np.maximum(jcap - _contract_year_used(pegawai, realisasi, plan_year).to_numpy(), 0.0),
                       cap)
    free_only = pppk & (pppk_top == "free") & ~owed
    target = np.where(free_only, np.minimum(jmin, cap), target)
    out = pd.DataFrame({"pegawai_id": ids.to_numpy(), "kode_unit": pegawai["kode_unit"].astype(str).to_numpy(),
                        "status": base, "status_pada_tahun_rencana": py, "target_jp": target.astype(float),
                        "owed": owed, "cap_jp": cap.astype(float), "free_only": free_only,
                        "unavailable_reason": away})
    for c in ("pegawai_id", "kode_unit", "status", "status_pada_tahun_rencana", "unavailable_reason"):
        out[c] = out[c].astype("str")
    out.attrs["output_class"] = "restricted"
    return out


def counted_jp(assignments: pd.DataFrame, targets: pd.DataFrame, settings) -> np.ndarray:
    """Per assignment row: whether its JP count toward the person's target or cap.

    Latsar (``wajib = latsar``) of a CPNS becoming PNS counts only with
    ``jp.latsar_counts_for_new_pns``; Orientasi PPPK (``wajib = orientasi_pppk``) of a PPPK does
    not count toward the cap with ``eligibility.orientasi_outside_pppk_cap``.
    """
    n = len(assignments)
    if "wajib" not in assignments or not n:
        return np.ones(n, dtype=bool)
    wajib = assignments["wajib"].astype("string").fillna("").astype(str).to_numpy()
    py = assignments["pegawai_id"].astype(str).map(
        dict(zip(targets["pegawai_id"].astype(str), targets["status_pada_tahun_rencana"].astype(str), strict=True))
    ).fillna("").to_numpy()
    out = np.ones(n, dtype=bool)
    if not bool(settings["jp.latsar_counts_for_new_pns"]):
        out &= ~((wajib == "latsar") & (py == "CPNS_jadi_PNS"))
    if bool(settings["eligibility.orientasi_outside_pppk_cap"]):
        out &= ~((wajib == "orientasi_pppk") & (py == "PPPK"))
    return out


def uncounted_per_person(assignments: pd.DataFrame, targets: pd.DataFrame, settings) -> pd.Series:
    """JP per person that :func:`counted_jp` leaves out (for ``top_up_people(targets=…)``)."""
    c = counted_jp(assignments, targets, settings)
    jp = pd.to_numeric(assignments["jp"], errors="coerce").fillna(0.0).to_numpy(float)
    return pd.Series(np.where(c, 0.0, jp), index=assignments["pegawai_id"].astype(str).to_numpy()) \
        .groupby(level=0).sum()


def _person_jp(assignments: pd.DataFrame, targets: pd.DataFrame, settings) -> pd.DataFrame:
    """targets + ``jp`` (counted), ``jp_all`` and ``jp_orientasi`` per person."""
    a = assignments
    jp = pd.to_numeric(a["jp"], errors="coerce").fillna(0.0).to_numpy(float)
    c = counted_jp(a, targets, settings)
    pid = a["pegawai_id"].astype(str).to_numpy()
    wajib = a["wajib"].astype("string").fillna("").astype(str).to_numpy() if "wajib" in a else np.full(len(a), "")
    per = pd.DataFrame({"p": pid, "jp": np.where(c, jp, 0.0), "jp_all": jp,
                        "jp_orientasi": np.where(wajib == "orientasi_pppk", jp, 0.0)}).groupby("p").sum()
    d = targets.copy()
    for col in ("jp", "jp_all", "jp_orientasi"):
        d[col] = d["pegawai_id"].astype(str).map(per[col]).fillna(0.0).astype(float)
    return d


def _by_unit(d: pd.DataFrame, agg) -> pd.DataFrame:
    rows = [{"tingkat": "unit", "kode_unit": str(u), **agg(x)} for u, x in d.groupby("kode_unit", sort=True)]
    rows.append({"tingkat": "instansi", "kode_unit": "INSTANSI", **agg(d)})
    out = pd.DataFrame(rows)
    out["tingkat"] = out["tingkat"].astype("str")
    out["kode_unit"] = out["kode_unit"].astype("str")
    return out


def owed_coverage(assignments: pd.DataFrame, targets: pd.DataFrame, settings,
                  below: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 20-JP right per unit and agency, counting people against their own target.

    Columns: ``tingkat``, ``kode_unit``, ``pns``, ``pns_reaching``, ``cpns_jadi_pns`` (CPNS
    becoming PNS in the plan year), ``cpns_jadi_pns_owed`` (those with a target > 0 under
    ``jp.cpns_to_pns``), ``cpns_jadi_pns_reaching``, ``cpns_jadi_pns_zero`` (0 JP counted),
    ``owed`` (PNS + CPNS becoming PNS with a target), ``owed_reaching``, ``owed_below``,
    ``share_reaching`` (of ``owed``), ``jp_owed_mean``, and ``below_<code>`` per reason code of
    ``below`` (the restricted ``below_minimum``).
    """
    d = _person_jp(assignments, targets, settings)
    d["reach"] = d["owed"] & (d["jp"] >= d["target_jp"] - _EPS)
    d["is_pns"] = d["status_pada_tahun_rencana"] == "PNS"
    d["is_jadi"] = d["status_pada_tahun_rencana"] == "CPNS_jadi_PNS"
    rmap = {} if below is None else dict(zip(below["pegawai_id"].astype(str), below["reason"].astype(str),
                                             strict=True))
    for c in REASON_CODES:
        d[f"below_{c}"] = [(c in rmap.get(p_, "").split(";")) and o and not r
                           for p_, o, r in zip(d["pegawai_id"], d["owed"], d["reach"], strict=True)]

    def agg(x: pd.DataFrame) -> dict:
        owed = int(x["owed"].sum())
        return {"pns": int(x["is_pns"].sum()), "pns_reaching": int((x["is_pns"] & x["reach"]).sum()),
                "cpns_jadi_pns": int(x["is_jadi"].sum()), "cpns_jadi_pns_owed": int((x["is_jadi"] & x["owed"]).sum()),
                "cpns_jadi_pns_reaching": int((x["is_jadi"] & x["reach"]).sum()),
                "cpns_jadi_pns_zero": int((x["is_jadi"] & (x["jp"] <= _EPS)).sum()),
                "owed": owed, "owed_reaching": int(x["reach"].sum()), "owed_below": owed - int(x["reach"].sum()),
                "share_reaching": x["reach"].sum() / owed if owed else np.nan,
                "jp_owed_mean": float(x.loc[x["owed"], "jp"].mean()) if owed else np.nan,
                **{f"below_{c}": int(x[f"below_{c}"].sum()) for c in REASON_CODES}}

    return _by_unit(d, agg)


def pppk_coverage(assignments: pd.DataFrame, targets: pd.DataFrame, settings) -> pd.DataFrame:
    """PPPK under their cap per unit and agency: ``pppk``, ``pppk_with_jp``, ``pppk_zero``,
    ``jp_total`` and ``jp_mean`` (JP counted toward the cap), ``jp_orientasi`` (Orientasi PPPK,
    outside the cap when ``eligibility.orientasi_outside_pppk_cap``; with the plan year's PPPK
    intake, who are not yet among ``pppk``), ``pppk_at_cap`` (counted JP
    = cap), ``pppk_over_cap`` (above the cap; 0 by construction)."""
    d = _person_jp(assignments, targets, settings)
    d = d[d["status"] == "PPPK"]

    def agg(x: pd.DataFrame) -> dict:
        n = len(x)
        return {"pppk": n, "pppk_with_jp": int((x["jp"] > _EPS).sum()), "pppk_zero": int((x["jp"] <= _EPS).sum()),
                "jp_total": float(x["jp"].sum()), "jp_mean": float(x["jp"].mean()) if n else np.nan,
                "jp_orientasi": float(x["jp_orientasi"].sum()),
                "pppk_at_cap": int((np.abs(x["jp"] - x["cap_jp"]) <= _EPS).sum()),
                "pppk_over_cap": int((x["jp"] > x["cap_jp"] + _EPS).sum())}

    if not len(d):
        d = targets.head(0).assign(jp=0.0, jp_orientasi=0.0)
    out = _by_unit(d, agg)
    # the plan year's PPPK intake (not yet in the staff data, so not among ``pppk``): its Orientasi
    # PPPK JP are reported here too, in jp_orientasi of its unit and of the agency
    a = assignments
    if "wajib" in a and len(a):
        o = a[(a["wajib"].astype("string").fillna("") == "orientasi_pppk").to_numpy(bool)
              & ~a["pegawai_id"].astype(str).isin(set(targets["pegawai_id"].astype(str))).to_numpy(bool)]
        extra = pd.to_numeric(o["jp"], errors="coerce").fillna(0.0).groupby(o["kode_unit"].astype(str)).sum()
        unit = (out["tingkat"] == "unit").to_numpy(bool)
        out.loc[unit, "jp_orientasi"] += out.loc[unit, "kode_unit"].map(extra).fillna(0.0).to_numpy(float)
        out.loc[~unit, "jp_orientasi"] += float(extra.sum())
    return out


def form_of(katalog: pd.DataFrame, settings) -> pd.DataFrame:
    """Per programme its JP form (``bentuk_jp``: klasikal | nonklasikal | e_learning) and its
    10:20:70 category (``kategori_1020_70``: terstruktur | sosial | pengalaman).

    The form: ``plan.jp_form_by_bentuk`` for the bentuk when listed (e-learning), else the
    catalogue's ``jalur`` (klasikal | nonklasikal), else klasikal. The category:
    ``plan.jp_1020_70_by_bentuk`` for the bentuk, else terstruktur.
    """
    _require_columns(katalog, ["program_id"], "katalog_program")
    bentuk = katalog["bentuk"].astype("string").fillna("").str.strip().to_numpy(dtype=object) \
        if "bentuk" in katalog else np.full(len(katalog), "", dtype=object)
    jalur = katalog["jalur"].astype("string").fillna("").str.strip().str.lower().to_numpy(dtype=object) \
        if "jalur" in katalog else np.full(len(katalog), "", dtype=object)
    by_b = dict(settings["plan.jp_form_by_bentuk"] or {})
    cat_b = dict(settings["plan.jp_1020_70_by_bentuk"] or {})
    form = [by_b.get(b) or (j if j in ("klasikal", "nonklasikal") else "klasikal") for b, j in zip(bentuk, jalur,
                                                                                                strict=True)]
    bad = sorted(set(form) - set(FORMS)) + sorted(set(cat_b.values()) - set(SHARES_1020_70))
    if bad:
        kw = {"setting": "plan.jp_form_by_bentuk / plan.jp_1020_70_by_bentuk", "value": bad[0],
              "allowed": ", ".join((*FORMS, *SHARES_1020_70))}
        raise SettingsError(t("plan.elig_setting_invalid", "id", **kw), t("plan.elig_setting_invalid", "en", **kw),
                            value=bad[0])
    out = pd.DataFrame({"program_id": katalog["program_id"].astype(str).to_numpy(), "bentuk_jp": form,
                        "kategori_1020_70": [cat_b.get(b, "terstruktur") for b in bentuk]})
    return out.astype("str")


def jp_by_form(assignments: pd.DataFrame, katalog: pd.DataFrame, settings) -> pd.DataFrame:
    """Planned JP per unit and agency split by form and by 10:20:70 category (information, not a
    constraint): ``n`` (people with a planned seat), ``jp_total``, ``jp_<form>`` and
    ``share_<form>`` for :data:`FORMS`, ``jp_<category>`` and ``share_<category>`` for
    :data:`SHARES_1020_70`. Every planned row counts (mandatory and intake seats included), so
    ``jp_total`` of ``INSTANSI`` is the per-person plan's JP."""
    f = form_of(katalog, settings).set_index("program_id")
    a = assignments
    d = pd.DataFrame({"pegawai_id": a["pegawai_id"].astype(str).to_numpy(),
                      "kode_unit": a["kode_unit"].astype(str).to_numpy(),
                      "jp": pd.to_numeric(a["jp"], errors="coerce").fillna(0.0).to_numpy(float)})
    prog = a["program_id"].astype(str)
    d["form"] = prog.map(f["bentuk_jp"]).fillna("klasikal").to_numpy()
    d["cat"] = prog.map(f["kategori_1020_70"]).fillna("terstruktur").to_numpy()

    def agg(x: pd.DataFrame) -> dict:
        tot = float(x["jp"].sum())
        row = {"n": int(x["pegawai_id"].nunique()), "jp_total": tot}
        for k in FORMS:
            row[f"jp_{k}"] = float(x.loc[x["form"] == k, "jp"].sum())
        for k in SHARES_1020_70:
            row[f"jp_{k}"] = float(x.loc[x["cat"] == k, "jp"].sum())
        for k in (*FORMS, *SHARES_1020_70):
            row[f"share_{k}"] = row[f"jp_{k}"] / tot if tot > 0 else np.nan
        return row

    return _by_unit(d, agg)
