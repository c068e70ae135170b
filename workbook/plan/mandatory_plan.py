"""The mandatory block wired into the plan (issue #17 items 1, 2 and 5): eligibility classes for
the optimiser, the mandatory trainings per person funded before the optimisation, the money they
reserve per budget line, and the input that makes part of the plan impossible.

Pure functions: DataFrames of codes and numbers (the words are ``plan.wajib_blok.*``,
``plan.kendala.*`` in ``workbook/plan/messages.yaml``).

- :func:`eligibility_classes` — per employee the programmes they may not take (the group key
  ``kelas_kelayakan`` of :func:`workbook.plan.groups.need_groups`).
- :func:`mandatory_rows` — one row per person × mandatory programme (the same choice as
  :func:`workbook.plan.mandatory.mandatory_needs`: cheapest programme of each code the person is
  eligible for), plus one placeholder row per seat of the plan year's intake
  ("CPNS formasi 2027 (1)", not a person).
- :func:`fund_mandatory` — charges the rows (or their ``komponen_biaya`` components, each to the
  line of its payer) over :func:`workbook.plan.lines.budget_lines` FIRST; what fits is the reserve per line, what does not
  is "belum terdanai" with its shortfall (usulan APBD-P).
- :func:`reserve_budget` — the one place where the reserve reaches the optimiser.
- :func:`mandatory_table` — the aggregate artefact (programme × unit × line).
- :func:`infeasible_inputs` — the codes of item 5 (a CPNS whose Latsar no line may pay, a unit
  with staff but no line, a programme nobody is eligible for).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import workbook.plan.lines as budget
from workbook.core.i18n import fmt_int, t
from workbook.plan._elig_common import WAJIB_CODES, split_list, text
from workbook.plan.eligibility import eligible, programme_wajib
from workbook.plan.mandatory import _intake, _wajib_programmes

__all__ = ["persons_note", "COMPONENT_COLUMNS", "eligibility_classes", "bind_to_line_units", "estimated_programmes", "with_estimates", "ESTIMATE_PREFIX", "mandatory_rows", "fund_mandatory", "reserve_budget", "mandatory_table",
           "with_late", "infeasible_inputs", "programme_cost", "INFEASIBLE_CODES", "ROW_COLUMNS", "TABLE_COLUMNS"]

#: codes of ``infeasible.kode`` (words: plan.kendala.<code>)
INFEASIBLE_CODES = ("latsar_tanpa_pos", "wajib_tanpa_pos", "unit_tanpa_pos", "program_tanpa_peserta",
                    "pegawai_tidak_tersedia")

#: columns of :func:`mandatory_rows` (``intake``: a placeholder seat of the formasi, not a person)
ROW_COLUMNS = ["pegawai_id", "kode_unit", "status", "wajib", "program_id", "jp", "biaya", "jenis_program",
               "proposal_only", "intake"]

#: columns of the aggregate artefact ``02_plan/mandatory``
TABLE_COLUMNS = ["wajib", "program_id", "kode_unit", "line_id", "n_persons", "n_intake", "n_funded", "n_unfunded",
                 "biaya", "shortfall", "proposal_only", "komponen", "utama", "n_late"]


def eligibility_classes(pairs: pd.DataFrame, pegawai_ids, programme_ids) -> pd.DataFrame:
    """Per employee, the programmes of ``programme_ids`` they are not eligible for.

    Parameters
    ----------
    pairs : DataFrame
        :func:`workbook.plan.eligibility.eligible` (pegawai_id, program_id).
    pegawai_ids, programme_ids : sequence of str
        The employees and the programmes the optimiser may offer.

    Returns
    -------
    DataFrame
        ``pegawai_id``, ``kelas_kelayakan`` (``;``-joined program_id in catalogue order, "" when
        eligible for all), ``n_eligible`` (programmes they may take).
    """
    ids = pd.Index(pd.Series(pegawai_ids, dtype=object).astype(str).unique())
    progs = pd.Index(pd.Series(programme_ids, dtype=object).astype(str))
    ok = np.zeros((len(ids), len(progs)), dtype=bool)
    r = ids.get_indexer(pairs["pegawai_id"].astype(str).to_numpy(dtype=object))
    c = progs.get_indexer(pairs["program_id"].astype(str).to_numpy(dtype=object))
    hit = (r >= 0) & (c >= 0)
    ok[r[hit], c[hit]] = True
    codes, uniq = pd.factorize(pd.Series([row.tobytes() for row in ok], dtype=object))
    labels = [";".join(progs[~np.frombuffer(u, dtype=bool)]) for u in uniq]
    return pd.DataFrame({"pegawai_id": ids.to_numpy(dtype=object).astype(str),
                         "kelas_kelayakan": np.asarray(labels, dtype=object)[codes] if len(ids) else [],
                         "n_eligible": ok.sum(axis=1).astype("int64")})


def bind_to_line_units(katalog: pd.DataFrame, anggaran: pd.DataFrame, settings) -> pd.DataFrame:
    """``katalog`` with ``sasaran_unit`` filled where the catalogue leaves it blank and the
    programme's ``sumber_dana`` is a source all of whose budget lines are unit-bound (the RSUD's
    BLUD line): the programme is then for those units' staff only (DOMAIN-PLAN §3.5: BLUD money
    belongs to the RSUD's RBA; setting ``plan.blud_own_unit_only``). A source with one line open to
    every unit (APBD) binds nothing. The input is not modified."""
    out = katalog.copy()
    given = out["sasaran_unit"] if "sasaran_unit" in out else pd.Series([None] * len(out), index=out.index)
    lines = budget.budget_lines(anggaran, blud_own_unit_only=bool(settings.get("plan.blud_own_unit_only", True)))
    bound: dict[str, tuple[str, ...]] = {}
    for src, g in lines.groupby(lines["sumber_dana"].astype(str).str.upper(), sort=False):
        if src and g["unit_bound"].all():
            bound[src] = tuple(dict.fromkeys(u for scope in g["cakupan_unit"] for u in scope))
    src = text(out.get("sumber_dana"), out.index).str.upper()
    vals = []
    for v, sd in zip(given, src, strict=True):
        have = split_list(v)
        vals.append(v if have or sd not in bound else np.array(bound[sd], dtype=object))
    out["sasaran_unit"] = pd.Series(vals, index=out.index, dtype=object)
    return out


#: program_id prefix of a mandatory programme the catalogue lacks, priced from the settings
ESTIMATE_PREFIX = "PERKIRAAN-"


def estimated_programmes(katalog: pd.DataFrame, settings, lang: str = "id") -> pd.DataFrame:
    """Catalogue rows for the mandatory codes no programme of ``katalog`` carries, priced from the
    setting ``eligibility.biaya_estimasi.<code>`` (``biaya``, ``jp``, ``bentuk``, ``jalur``,
    ``kapasitas``, ``penyelenggara``; a code without ``biaya`` gets no row and stays "katalog
    tidak memuat program"). Orientasi PPPK at no cost is LAN's MOOC: named "MOOC LAN, tanpa
    biaya" (not an estimated cost of Rp0), its JP from ``eligibility.orientasi_pppk_jp`` when the
    estimate gives none. ``program_id`` is ``PERKIRAAN-<CODE>``, ``nama_program`` says it is
    an estimate, ``sumber_dana`` is blank (any line that may pay a mandatory training), and the
    column ``perkiraan`` is true. Columns: those of ``katalog`` plus ``perkiraan``."""
    est = settings.get("eligibility.biaya_estimasi") or {}
    have = set(programme_wajib(katalog, settings)["wajib"]) if len(katalog) else set()
    rows = []
    for code in WAJIB_CODES:
        e = est.get(code)
        if code in have or not isinstance(e, dict) or e.get("biaya") is None:
            continue
        row: dict = {c: None for c in katalog.columns}
        jp = float(e.get("jp") or 0.0)
        mooc = code == "orientasi_pppk" and float(e["biaya"]) == 0.0  # LAN's MOOC: no cash cost, JP from its setting
        if mooc and not jp:
            jp = float(settings.get("eligibility.orientasi_pppk_jp") or 0.0)
        row.update(program_id=f"{ESTIMATE_PREFIX}{code.upper()}",
                   nama_program=t("plan.wajib_kalimat.nama_mooc" if mooc else "plan.wajib_kalimat.nama_perkiraan",
                                  lang, nama=t(f"plan.wajib.singkat.{code}", lang)),
                   bentuk=str(e.get("bentuk") or "pelatihan_manajerial"), jalur=str(e.get("jalur") or "klasikal"),
                   kode_kompetensi=np.array([], dtype=object), jp=jp, hari=np.nan,
                   biaya_per_peserta=float(e["biaya"]), kapasitas_per_sesi=int(e.get("kapasitas") or 1000),
                   penyelenggara=str(e.get("penyelenggara") or ""), bulan_tersedia=None, sumber_dana="",
                   wajib=code, perkiraan=True)
        rows.append(row)
    out = pd.DataFrame(rows, columns=[*katalog.columns, "perkiraan"])
    if "kapasitas_per_sesi" in out:
        out["kapasitas_per_sesi"] = out["kapasitas_per_sesi"].astype("Int64")
    return out


def with_estimates(katalog: pd.DataFrame, settings, lang: str = "id") -> pd.DataFrame:
    """``katalog`` plus :func:`estimated_programmes` (column ``perkiraan``: false on the agency's
    own rows). The input is not modified."""
    est = estimated_programmes(katalog, settings, lang)
    base = katalog.assign(perkiraan=False)
    if not len(est):
        return base
    return pd.concat([base, est.dropna(axis=1, how="all")], ignore_index=True)


def programme_cost(katalog: pd.DataFrame, komponen: pd.DataFrame | None) -> pd.Series:
    """Cash cost per participant by program_id: the sum of ``komponen_biaya`` not paid by the
    organiser (``pembayar`` ≠ ``penyelenggara``) where the table lists the programme, else
    ``biaya_per_peserta``."""
    base = pd.to_numeric(katalog.get("biaya_per_peserta"), errors="coerce").fillna(0.0)
    out = pd.Series(base.to_numpy(float), index=katalog["program_id"].astype(str).to_numpy())
    if komponen is not None and len(komponen) and {"program_id", "biaya"} <= set(komponen.columns):
        k = komponen.copy()
        payer = text(k.get("pembayar"), k.index).str.lower()
        k = k[payer != "penyelenggara"]
        s = pd.to_numeric(k["biaya"], errors="coerce").fillna(0.0).groupby(k["program_id"].astype(str)).sum()
        listed = out.index.isin(s.index)
        out[listed] = s.reindex(out.index[listed]).to_numpy(float)
    return out


def mandatory_rows(
    status: pd.DataFrame,
    pegawai: pd.DataFrame,
    katalog: pd.DataFrame,
    settings,
    *,
    plan_year: int,
    jf_wajib: pd.DataFrame | None = None,
    formasi: pd.DataFrame | None = None,
    komponen: pd.DataFrame | None = None,
    realisasi: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per person × mandatory programme in the plan year (:data:`ROW_COLUMNS`).

    Current employees: the eligible pairs of the programmes with a wajib code, the cheapest
    programme per code and person (ties in catalogue order), as
    :func:`workbook.plan.mandatory.mandatory_needs` counts them. Intake (``formasi_tahun_rencana``):
    one placeholder row per seat, ``pegawai_id`` = "CPNS formasi <year> (<i>)" and ``intake`` true.
    ``biaya`` = :func:`programme_cost`; ``jenis_program`` from
    :func:`workbook.plan.eligibility.programme_wajib`. Order: code (``WAJIB_CODES``), intake
    last within a code, unit, person.
    """
    progs = _wajib_programmes(katalog, settings)
    kind = programme_wajib(katalog, settings).set_index("program_id")["programme_kind"]
    cost = programme_cost(katalog, komponen)
    jp = pd.Series(pd.to_numeric(katalog.get("jp"), errors="coerce").fillna(0.0).to_numpy(float),
                   index=katalog["program_id"].astype(str).to_numpy())
    sub = katalog[katalog["program_id"].astype(str).isin(progs["program_id"])]
    pairs = eligible(status, pegawai, sub, settings, jf_wajib=jf_wajib, realisasi=realisasi)
    pairs = pd.DataFrame({"pegawai_id": pairs["pegawai_id"].astype(str), "program_id": pairs["program_id"].astype(str)})
    pairs = pairs.merge(progs[["program_id", "wajib", "biaya_per_peserta", "order"]], on="program_id")
    pairs = pairs.sort_values(["biaya_per_peserta", "order"], kind="stable").drop_duplicates(["pegawai_id", "wajib"])
    peg = pd.DataFrame({"pegawai_id": pegawai["pegawai_id"].astype(str).to_numpy(),
                        "kode_unit": text(pegawai.get("kode_unit"), pegawai.index).to_numpy(),
                        "status": text(pegawai.get("status"), pegawai.index).to_numpy()})
    cur = pairs.merge(peg, on="pegawai_id", how="left").assign(intake=False)
    seats = []
    for r in _intake(formasi, progs, plan_year).itertuples(index=False):
        if not r.program_id:
            continue
        st = "CPNS" if r.wajib == "latsar" else "PPPK"
        seats += [{"wajib": r.wajib, "program_id": r.program_id, "kode_unit": r.kode_unit, "status": st}
                  for _ in range(int(r.n_intake))]
    intake = pd.DataFrame(seats, columns=["wajib", "program_id", "kode_unit", "status"]).assign(intake=True)
    for st, grp in intake.groupby("status", sort=False):
        intake.loc[grp.index, "pegawai_id"] = [f"{st} formasi {plan_year} ({i + 1})" for i in range(len(grp))]
    out = pd.concat([cur, intake], ignore_index=True)
    out["pegawai_id"] = out["pegawai_id"].astype(str)
    out["jp"] = out["program_id"].map(jp).astype(float)
    out["biaya"] = out["program_id"].map(cost).astype(float)
    out["jenis_program"] = out["program_id"].map(kind).fillna("wajib").astype(str)
    out["proposal_only"] = (out["wajib"] == "pkn2") & bool(settings["eligibility.pkn2_proposal_only"])
    out["intake"] = out["intake"].astype(bool)
    out["_o"] = out["wajib"].map({c: i for i, c in enumerate(WAJIB_CODES)})
    out = out.sort_values(["_o", "intake", "kode_unit", "pegawai_id"], kind="stable").reset_index(drop=True)
    for c in ("kode_unit", "status", "wajib", "program_id"):
        out[c] = out[c].fillna("").astype(str)
    return out[ROW_COLUMNS]


#: columns of the component charges (:func:`fund_mandatory`, restricted artefact ``mandatory_components``)
COMPONENT_COLUMNS = ["pegawai_id", "kode_unit", "program_id", "komponen", "kode_rekening", "pembayar", "biaya",
                     "line_id", "kode_catatan"]


def _components(komponen: pd.DataFrame | None) -> dict[str, list[tuple[str, str, float, str]]]:
    """program_id → [(komponen, kode_rekening, biaya, pembayar)] with pembayar normalised to
    ``bkpsdm`` | ``opd_peserta`` | ``penyelenggara`` (anything else is read as BKPSDM)."""
    if komponen is None or not len(komponen) or not {"program_id", "biaya"} <= set(komponen.columns):
        return {}
    out: dict[str, list] = {}
    payer = text(komponen.get("pembayar"), komponen.index).str.lower().str.replace(" ", "_")
    payer = payer.where(payer.isin(["opd_peserta", "penyelenggara"]), "bkpsdm")
    cost = pd.to_numeric(komponen["biaya"], errors="coerce").fillna(0.0)
    for pid, k, rek, b, p in zip(komponen["program_id"].astype(str).str.strip(), text(komponen.get("komponen"),
                                 komponen.index), text(komponen.get("kode_rekening"), komponen.index), cost, payer,
                                 strict=True):
        out.setdefault(pid, []).append((k, rek, float(b), p))
    return out


def _charge_split(rows: pd.DataFrame, lines: pd.DataFrame, comps: dict) -> tuple[np.ndarray, list[dict]]:
    """Charge each row whole or, when its programme has components, component by component to
    the line of the component's payer: ``bkpsdm`` → a line open to every unit (the central line);
    ``opd_peserta`` → the participant's unit's own line (whatever its ``jenis_program``), else the
    central line (``kode_catatan``
    ``pos_unit_tidak_ada``); ``penyelenggara`` → Rp0, listed. A row is funded only when every part
    fits. Returns the line index per row (-1: not funded; the line of the largest part) and the
    part charges."""
    ok = budget.may_pay(lines, rows["kode_unit"], rows["jenis_program"])
    bound = lines["unit_bound"].to_numpy(bool)
    scope = list(lines["cakupan_unit"])
    spec = (bound.astype(int) * 2 + lines["jenis_program"].map(bool).astype(int).to_numpy())
    order = np.lexsort((np.arange(len(lines)), -spec))
    room = lines["pagu"].to_numpy(float).copy()
    ids = lines["line_id"].to_numpy(dtype=object)
    line_of = np.full(len(rows), -1)
    parts_out: list[dict] = []
    cost = pd.to_numeric(rows["biaya"], errors="coerce").fillna(0.0).to_numpy(float)
    for i, (pid, unit, peg) in enumerate(zip(rows["program_id"].astype(str), rows["kode_unit"].astype(str),
                                             rows["pegawai_id"].astype(str), strict=True)):
        parts = comps.get(pid) or [("", "", cost[i], "")]
        left, picks = room.copy(), []
        for k, rek, b, payer in parts:
            note = ""
            if payer == "penyelenggara":
                picks.append((k, rek, payer, 0.0, -1, ""))  # the organiser pays: Rp0 cash, listed
                continue
            if payer == "opd_peserta":
                # the participant's OPD pays (travel) from its own line whatever kinds of training
                # that line buys (the RSUD's BLUD line pays technical training, and its staff's travel)
                cand = [j for j in order if bound[j] and unit in scope[j]]
                if not cand:
                    cand, note = [j for j in order if ok[i, j] and not bound[j]], "pos_unit_tidak_ada"
            elif payer == "bkpsdm":
                cand = [j for j in order if ok[i, j] and not bound[j]] or [j for j in order if ok[i, j]]
            else:
                cand = [j for j in order if ok[i, j]]
            j = next((j for j in cand if left[j] + 1e-6 >= b), -1)
            if j < 0:
                picks = None
                break
            left[j] -= b
            picks.append((k, rek, payer, b, j, note))
        if picks is None:
            continue
        room = left
        paid = [p for p in picks if p[4] >= 0]
        line_of[i] = max(paid, key=lambda p: p[3])[4] if paid else next((j for j in order if ok[i, j]), -1)
        if pid in comps:
            parts_out += [{"pegawai_id": peg, "kode_unit": unit, "program_id": pid, "komponen": k, "kode_rekening": rek,
                           "pembayar": payer, "biaya": b, "line_id": ids[j] if j >= 0 else "", "kode_catatan": note}
                          for k, rek, payer, b, j, note in picks]
    return line_of, parts_out


def fund_mandatory(rows: pd.DataFrame, anggaran: pd.DataFrame, settings,
                   komponen: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Charge the mandatory rows first: each row to one line or, when its programme has
    ``komponen_biaya`` rows, each component to the line of its payer (:func:`_charge_split`).

    Returns
    -------
    charged : DataFrame
        ``rows`` with ``line_id`` (the line of the row, or of its largest component; NA when no
        line may pay or none has room), ``shortfall`` (Rupiah), ``terdanai`` (bool) and
        ``line_usulan``.
    usage : DataFrame
        Per line (:func:`workbook.plan.lines.line_usage`): ``line_id``, ``sumber_dana``, ``dpa``,
        ``pagu``, ``terpakai`` (= the reserve of the mandatory block: Σ of the whole rows and of
        the components charged to the line), ``sisa``, and ``shortfall`` (Rupiah of the unfunded
        rows that line could pay for but had no room: the usulan per line; a row no line may pay
        is counted under ``line_id`` "-").
    components : DataFrame
        :data:`COMPONENT_COLUMNS`, one row per funded row × component (person level).
    """
    lines = budget.budget_lines(anggaran, blud_own_unit_only=bool(settings.get("plan.blud_own_unit_only", True)))
    line_of, parts = _charge_split(rows, lines, _components(komponen))
    charged = rows.copy()
    ids = lines["line_id"].to_numpy(dtype=object)
    charged["line_id"] = pd.array([ids[j] if j >= 0 else pd.NA for j in line_of], dtype="string")
    charged["shortfall"] = np.where(line_of >= 0, 0.0, pd.to_numeric(rows["biaya"], errors="coerce").fillna(0.0))
    charged["terdanai"] = line_of >= 0
    comp = pd.DataFrame(parts, columns=COMPONENT_COLUMNS)
    split = charged["program_id"].astype(str).isin(set(comp["program_id"]))
    whole = charged[~split & charged["terdanai"]]
    pieces = pd.concat([whole[["line_id", "biaya"]].astype({"line_id": "str"}),
                        comp.loc[comp["line_id"] != "", ["line_id", "biaya"]]], ignore_index=True)
    usage = budget.line_usage(pieces, lines)
    # where the unfunded ones would go: the first line that may pay them at all (most specific)
    ok = budget.may_pay(lines, charged["kode_unit"], charged["jenis_program"])
    spec = (lines["unit_bound"].astype(int) * 2 + lines["jenis_program"].map(bool).astype(int)).to_numpy()
    order = np.lexsort((np.arange(len(lines)), -spec))
    want = np.full(len(charged), "-", dtype=object)
    for i in np.flatnonzero(~charged["terdanai"].to_numpy()):
        js = [j for j in order if ok[i, j]]
        if js:
            want[i] = lines["line_id"].iloc[js[0]]
    charged["line_usulan"] = np.where(charged["terdanai"], "", want)
    short = charged.loc[~charged["terdanai"]].groupby("line_usulan")["shortfall"].sum()
    usage["shortfall"] = usage["line_id"].map(short).fillna(0.0).astype(float)
    if "-" in short.index:
        extra = pd.DataFrame([{"line_id": "-", "sumber_dana": "", "dpa": "", "pagu": 0.0, "terpakai": 0.0,
                               "sisa": 0.0, "shortfall": float(short["-"])}])
        usage = pd.concat([usage, extra], ignore_index=True)
    for c in ("pegawai_id", "kode_unit", "program_id", "komponen", "kode_rekening", "pembayar", "line_id", "kode_catatan"):
        comp[c] = comp[c].astype("str")
    comp["biaya"] = comp["biaya"].astype(float)
    comp.attrs["output_class"] = "restricted"
    return charged, usage, comp


def reserve_budget(anggaran: pd.DataFrame, usage: pd.DataFrame) -> pd.DataFrame:
    """``anggaran`` with each line's pagu reduced by the mandatory reserve (``usage.terpakai``).

    The single switch point for the optimiser: once :func:`workbook.plan.groups.plan_groups`
    takes ``reserved: dict[str, float]`` keyed by line_id, pass :func:`reserved_by_line` there and
    the untouched ``anggaran`` instead. Rows of ``anggaran`` and lines of
    :func:`workbook.plan.lines.budget_lines` correspond one to one, in order.
    """
    out = anggaran.copy()
    used = usage["terpakai"].to_numpy(float)[: len(out)]
    out["pagu"] = np.maximum(pd.to_numeric(out["pagu"], errors="coerce").fillna(0.0).to_numpy(float) - used, 0.0)
    return out


def reserved_by_line(usage: pd.DataFrame) -> dict[str, float]:
    """The reserve per line_id (for a ``reserved`` argument of the optimiser)."""
    u = usage[usage["line_id"] != "-"]
    return {str(k): float(v) for k, v in zip(u["line_id"], u["terpakai"], strict=True)}


def _split_rows(c: pd.DataFrame, components: pd.DataFrame | None) -> pd.DataFrame:
    """The funded rows whose programme ``komponen_biaya`` splits across payers, one row per line
    that pays a part (``biaya`` = the parts on that line; ``utama`` True on the row's own line,
    ``komponen`` the parts a line other than the row's own pays); the other rows unchanged."""
    c = c.assign(komponen="", utama=True)
    if components is None or not len(components):
        return c
    k = components[components["line_id"].astype(str) != ""]
    k = k.groupby([k["pegawai_id"].astype(str), k["program_id"].astype(str), k["line_id"].astype(str)], sort=False).agg(
        _b=("biaya", "sum"), _k=("komponen", lambda x: ";".join(dict.fromkeys(str(v) for v in x if str(v))))
    ).reset_index().rename(columns={"line_id": "_l"})
    key = set(zip(k["pegawai_id"], k["program_id"], strict=True))
    split = c["terdanai"].astype(bool).to_numpy() & np.array(
        [(p, q) in key for p, q in zip(c["pegawai_id"].astype(str), c["program_id"].astype(str), strict=True)], dtype=bool)
    if not split.any():
        return c
    parts = c[split].assign(pegawai_id=c.loc[split, "pegawai_id"].astype(str),
                            program_id=c.loc[split, "program_id"].astype(str)).merge(k, on=["pegawai_id", "program_id"])
    parts["utama"] = parts["_l"] == parts["line_id"]
    parts["komponen"] = np.where(parts["utama"], "", parts["_k"])
    parts["line_id"], parts["biaya_f"] = parts["_l"], parts["_b"].astype(float)
    return pd.concat([c[~split], parts.drop(columns=["_l", "_b", "_k"])], ignore_index=True)


def with_late(table: pd.DataFrame, needs: pd.DataFrame | None) -> pd.DataFrame:
    """``table`` (:func:`mandatory_table`) with ``n_late``: the persons of each wajib × programme
    × unit already past the deadline for it (``n_late`` of
    :func:`workbook.plan.mandatory.mandatory_needs`), on the first ``utama`` row of the key; 0
    elsewhere."""
    out = table.copy()
    out["n_late"] = 0
    if needs is None or not len(needs) or not len(out) or "n_late" not in needs:
        return out
    late = needs.groupby([needs["wajib"].astype(str), needs["program_id"].astype(str),
                          needs["kode_unit"].astype(str)])["n_late"].sum()
    first = out["utama"].astype(bool) & ~out.duplicated(["wajib", "program_id", "kode_unit", "utama"])
    keys = list(zip(out["wajib"].astype(str), out["program_id"].astype(str), out["kode_unit"].astype(str), strict=True))
    out.loc[first, "n_late"] = [int(late.get(k, 0)) for k, f in zip(keys, first, strict=True) if f]
    out["n_late"] = out["n_late"].astype("int64")
    return out


def mandatory_table(charged: pd.DataFrame, settings, components: pd.DataFrame | None = None) -> pd.DataFrame:
    """Aggregate by wajib × programme × unit × line (:data:`TABLE_COLUMNS`; no person ids; small
    small counts shown: a plan allocation is not a sensitive attribute). Unfunded rows carry the line they
    are proposed for (``line_usulan``) as ``line_id``.

    With ``components`` (:func:`fund_mandatory`) a row whose programme's ``komponen_biaya`` splits
    across payers is shown once per paying line: ``biaya`` of each row is what its line pays, so
    Σ ``biaya`` per line is the mandatory block's use of that line. The row on the persons' own
    line (where the largest part is paid) has ``utama`` True; a row of another line's part has
    ``utama`` False, ``komponen`` (its components, ';') and the persons whose part it pays,
    already counted on the ``utama`` row."""
    if not len(charged):
        return pd.DataFrame({c: pd.Series([], dtype="str" if c in TABLE_COLUMNS[:4] or c == "komponen"
                                          else "bool" if c == "utama" else "float64") for c in TABLE_COLUMNS})
    c = charged.copy()
    c["line_id"] = c["line_id"].astype("string").fillna(c["line_usulan"].astype("string")).astype(str)
    c["funded"] = c["terdanai"].astype(int)
    c["unfunded"] = 1 - c["funded"]
    c["intake_n"] = c["intake"].astype(int)
    c["biaya_f"] = np.where(c["terdanai"], c["biaya"], 0.0)
    first = c.groupby(["wajib", "program_id", "kode_unit"], sort=False).ngroup()  # the rows' order, kept
    c = _split_rows(c.assign(_o=first.to_numpy()), components)
    c["_part"] = ~c["utama"].astype(bool)
    out = c.groupby(["wajib", "program_id", "kode_unit", "_part", "line_id", "komponen"], sort=False).agg(
        n_persons=("pegawai_id", "size"), n_intake=("intake_n", "sum"), n_funded=("funded", "sum"),
        n_unfunded=("unfunded", "sum"), biaya=("biaya_f", "sum"), shortfall=("shortfall", "sum"),
        proposal_only=("proposal_only", "first"), _o=("_o", "min")).reset_index()
    out = out.sort_values(["_o", "_part"], kind="stable").reset_index(drop=True)
    out["utama"] = ~out.pop("_part").astype(bool)
    out["n_late"] = 0  # with_late fills it from the needs
    for col in ("n_persons", "n_intake", "n_funded", "n_unfunded"):
        out[col] = out[col].astype("int64")
    for col in ("wajib", "program_id", "kode_unit", "line_id", "komponen"):
        out[col] = out[col].astype("str")
    out = out[TABLE_COLUMNS]
    # plan allocations per unit × programme × line are published, never hidden (issue #19): the
    # same counts are in the plan table; the columns of a suppressed table are kept
    return out.assign(suppressed=False, suppression_reason="")


def infeasible_inputs(
    charged: pd.DataFrame,
    classes: pd.DataFrame,
    pegawai: pd.DataFrame,
    katalog: pd.DataFrame,
    anggaran: pd.DataFrame,
    status: pd.DataFrame,
    settings,
) -> pd.DataFrame:
    """What in the input makes part of the plan impossible, one row per case (aggregate).

    Columns ``kode`` (:data:`INFEASIBLE_CODES`), ``wajib``, ``program_id``, ``kode_unit``, ``n``
    (persons or seats) and ``biaya`` (Rupiah not funded):

    - ``latsar_tanpa_pos`` / ``wajib_tanpa_pos`` — mandatory rows no line may pay at all (not a
      lack of room: no line's cakupan_unit or jenis_program admits them);
    - ``unit_tanpa_pos`` — a unit with staff for which no line may pay any kind of programme;
    - ``program_tanpa_peserta`` — a programme of the catalogue nobody is eligible for;
    - ``pegawai_tidak_tersedia`` — employees not available in the plan year (agency total,
      ``kode_unit`` "INSTANSI").
    """
    rows = []
    lines = budget.budget_lines(anggaran, blud_own_unit_only=bool(settings.get("plan.blud_own_unit_only", True)))
    nopay = charged[~charged["terdanai"] & (charged["line_usulan"] == "-")]
    for (code, pid, unit), g in nopay.groupby(["wajib", "program_id", "kode_unit"], sort=True):
        rows.append({"kode": "latsar_tanpa_pos" if code == "latsar" else "wajib_tanpa_pos", "wajib": code,
                     "program_id": pid, "kode_unit": unit, "n": len(g), "biaya": float(g["biaya"].sum())})
    units = pd.Series(text(pegawai.get("kode_unit"), pegawai.index).to_numpy())
    heads = units[units != ""].value_counts().sort_index()
    if len(heads):
        ok = budget.may_pay(lines, list(heads.index), [""] * len(heads)).any(axis=1)
        for u, n, fine in zip(heads.index, heads.to_numpy(), ok, strict=True):
            if not fine:
                rows.append({"kode": "unit_tanpa_pos", "wajib": "", "program_id": "", "kode_unit": u, "n": int(n),
                             "biaya": 0.0})
    pids = katalog["program_id"].astype(str)
    nobody = _nobody_eligible(classes, pids)
    wajib = programme_wajib(katalog, settings).set_index("program_id")["wajib"]
    for pid in nobody:
        if wajib.get(pid, ""):
            continue  # a mandatory programme nobody needs is "tidak ada", said by the summary
        rows.append({"kode": "program_tanpa_peserta", "wajib": "", "program_id": pid, "kode_unit": "", "n": 0,
                     "biaya": 0.0})
    n_un = int((~status["available"].astype(bool)).sum())
    if n_un:  # agency level: per unit the counts are small and would be suppressed anyway
        rows.append({"kode": "pegawai_tidak_tersedia", "wajib": "", "program_id": "", "kode_unit": "INSTANSI",
                     "n": n_un, "biaya": 0.0})
    out = pd.DataFrame(rows, columns=["kode", "wajib", "program_id", "kode_unit", "n", "biaya"])
    out["n"] = out["n"].astype("int64")
    out["biaya"] = out["biaya"].astype(float)
    for c in ("kode", "wajib", "program_id", "kode_unit"):
        out[c] = out[c].astype("str")
    return out


def _nobody_eligible(classes: pd.DataFrame, pids: pd.Series) -> list[str]:
    """Programmes (of ``pids``, in order) that every employee's class excludes."""
    if not len(classes):
        return list(pids)
    counts: dict[str, int] = {}
    for label, n in classes["kelas_kelayakan"].value_counts().items():
        for p in str(label).split(";"):
            if p:
                counts[p] = counts.get(p, 0) + int(n)
    total = len(classes)
    return [p for p in pids if counts.get(p, 0) >= total]


def persons_note(assignments: pd.DataFrame, plan_year: int, lang: str = "id", n_employees: int | None = None,
                 unit: bool = False, lead: str = "") -> str:
    """The sentence that says what the persons of the per-person plan are when the plan year's
    intake (``formasi_tahun_rencana``: CPNS for Latsar, PPPK for Orientasi PPPK, not yet in the
    employee data) is among them: persons = employees with a seat + intake seats, the sentence
    after ``lead``; "" without an intake row. ``n_employees`` (the agency's staff) is named in the
    agency sentence; ``unit`` words it for a unit report."""
    a = assignments
    if "intake" not in a or not len(a):
        return ""
    intake = a["intake"].astype("boolean").fillna(False).to_numpy(bool)
    if not intake.any():
        return ""
    pid = a["pegawai_id"].astype(str)
    status = a["status"].astype(str) if "status" in a else pd.Series("", index=a.index)
    n_in = int(pid[intake].nunique())
    parts = [t(f"plan.oneplan.intake_part.{st.lower()}", lang,
               n=fmt_int(pid[intake & (status == st).to_numpy()].nunique(), lang))
             for st in ("CPNS", "PPPK") if (intake & (status == st).to_numpy()).any()]
    key = "plan.oneplan.persons_intake_unit" if unit else "plan.oneplan.persons_intake"
    return lead + t(key, lang, persons=fmt_int(pid.nunique(), lang), pegawai=fmt_int(pid[~intake].nunique(), lang),
                    intake=fmt_int(n_in, lang), tahun=plan_year, rincian=", ".join(parts),
                    total=fmt_int(n_employees or 0, lang))
