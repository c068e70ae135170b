"""The outputs of the yearly plan: the Pasal 207 plan table (PP 11/2017), individual
development plans, the budget by unit and the person-level JP coverage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbook.core import i18n
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings
from workbook.plan.catalogue import _catalogue
from workbook.plan.common import REASON_CODES, _frame_of, _num, _owed, _text
from workbook.plan.groups import GroupPlan
from workbook.plan.people import PersonAssignment

__all__ = [  # and JENIS_KOMPETENSI_LABEL, a view of the catalogue (module __getattr__)
    "PLAN_TABLE_COLUMNS_EN",
    "plan_table",
    "individual_plans",
    "budget_by_unit",
    "jp_coverage",
    "competency_text",
    "planned_rows",
    "plan_figures",
    "budget_line_table",
    "line_charges",
]


#: Pasal 207 plan-table columns (Indonesian) → English.
PLAN_TABLE_COLUMNS_EN: dict[str, str] = {
    "jenis_kebutuhan": "need_type",
    "kode_kompetensi": "competency_code",
    "jenis_kompetensi": "competency_type",
    "nama_kompetensi": "competency_name",
    "target_pns": "target_employees",
    "target_unit": "target_units",
    "jenis_pengembangan": "development_form",
    "jalur_pengembangan": "development_route",
    "program_id": "programme_id",
    "nama_program": "programme_name",
    "penyelenggara": "provider",
    "jadwal": "schedule",
    "kesesuaian_kurikulum": "curriculum_fit",
    "anggaran": "budget",
    "jp": "jp",
    "kebutuhan_pns": "employees_in_need",
    "line_id": "budget_line",
    "wajib": "mandatory",
    "komponen": "cost_components",
    "utama": "counts_places",
}


def __getattr__(name: str) -> Any:
    """``JENIS_KOMPETENSI_LABEL``: ``jenis`` of ``kamus_kompetensi`` → (Indonesian, English) label
    in the plan table, a view of the catalogue entries ``plan.jenis_kompetensi.<jenis>``."""
    if name == "JENIS_KOMPETENSI_LABEL":
        return i18n.code_words("plan.jenis_kompetensi")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _jenis_label(jenis: str, lang: str) -> str:
    """The label of a ``jenis`` of ``kamus_kompetensi`` (unlisted: ``_`` shown as a space)."""
    if jenis in i18n.codes("plan.jenis_kompetensi"):
        return i18n.t(f"plan.jenis_kompetensi.{jenis}", lang)
    return jenis.replace("_", " ")


def competency_text(code: Any) -> str:
    """A competency code or list as a reader sees it: ``"M.6;M.8"``, ``"['M.6' 'M.8']"`` (the text
    of an array) or a list → ``"M.6, M.8"`` (order kept, duplicates dropped)."""
    if isinstance(code, (list, tuple, np.ndarray)):
        parts = [str(c) for c in code]
    else:
        parts = re.split(r"[;,\s]+", re.sub(r"[\[\]'\"]", " ", "" if code is None else str(code)))
    return ", ".join(dict.fromkeys(p_.strip() for p_ in parts if p_.strip() and p_.strip() != "nan"))


def planned_rows(assignments: Any) -> pd.DataFrame:
    """The rows of the per-person plan that will happen (``terdanai``; the "belum terdanai"
    mandatory rows are APBD-P proposals), with ``biaya_kas`` (the cash each seat costs its line;
    ``cost`` when the plan has no lines) — the one basis of every figure of the document."""
    a = _frame_of(assignments, "assignments")
    if "terdanai" in a:
        a = a[a["terdanai"].astype(bool)]
    a = a.copy()
    if "biaya_kas" not in a:
        a["biaya_kas"] = a["cost"] if "cost" in a else 0.0
    a["biaya_kas"] = pd.to_numeric(a["biaya_kas"]).fillna(0.0)
    if "line_id" not in a:
        a["line_id"] = "-"
    a["line_id"] = a["line_id"].astype("string").fillna("-").astype(str)
    if "tahap" not in a:
        a["tahap"] = "rencana"
    a["tahap"] = a["tahap"].astype(str)
    return a.reset_index(drop=True)


def plan_figures(assignments: Any, by: Sequence[str] = ()) -> pd.DataFrame:
    """Persons, places (seats), JP and money of the per-person plan, per ``by`` (e.g.
    ``["program_id"]``, ``["kode_unit", "line_id"]``; empty: one row for the whole plan).
    ``assignments`` may be :func:`line_charges`: money per row, the seat (persons, seats, JP)
    on its ``utama`` row only, so a line that pays a part of seats counted elsewhere has its
    money and no seats.

    Returns
    -------
    DataFrame
        ``by`` columns, ``persons`` (distinct ``pegawai_id``), ``seats`` (rows), ``jp`` (Σ JP of
        the seats), ``biaya`` (Σ ``biaya_kas``), and the seats by step: ``seats_wajib`` (mandatory
        block), ``seats_rencana`` (the exact selection, placed per person), ``seats_tambahan``
        (the top-up for 20 JP: ``tambahan`` and ``umum``).
    """
    a = planned_rows(assignments)
    u = a["utama"].astype(bool) if "utama" in a else pd.Series(True, index=a.index)
    a = a.assign(_w=((a["tahap"] == "wajib") & u).astype(int), _r=((a["tahap"] == "rencana") & u).astype(int),
                 _t=(a["tahap"].isin(["tambahan", "umum"]) & u).astype(int), _one=1,
                 _pid=a["pegawai_id"].where(u), _s=u.astype(int), _jp=pd.to_numeric(a["jp"]).where(u, 0.0))
    keys = list(by) or ["_one"]
    out = a.groupby(keys, sort=True).agg(
        persons=("_pid", "nunique"), seats=("_s", "sum"), jp=("_jp", "sum"),
        biaya=("biaya_kas", "sum"), seats_wajib=("_w", "sum"), seats_rencana=("_r", "sum"),
        seats_tambahan=("_t", "sum")).reset_index()
    if not by:
        out = out.drop(columns="_one")
        if not len(out):
            out = pd.DataFrame([{"persons": 0, "seats": 0, "jp": 0.0, "biaya": 0.0, "seats_wajib": 0,
                                 "seats_rencana": 0, "seats_tambahan": 0}])
    for c in ("persons", "seats", "seats_wajib", "seats_rencana", "seats_tambahan"):
        out[c] = out[c].astype("int64")
    return out


def component_correction(assignments: Any, components: pd.DataFrame | None,
                         by: Sequence[str] = ("line_id",)) -> pd.Series:
    """What the ``komponen_biaya`` split moves between lines, per ``by`` (``line_id``, or
    ``kode_unit`` and ``line_id``): Σ of the components charged to each line − Σ ``biaya_kas`` of
    the split seats on their main line. Added to Σ ``biaya_kas`` of the per-person plan's rows per
    line it gives the money each line pays ("used per line = Σ charged components and whole
    rows"). Only the seats present in ``assignments`` count (a unit's rows give the unit's part).

    ``components``: the restricted artefact ``mandatory_components`` (``pegawai_id``,
    ``kode_unit``, ``program_id``, ``biaya``, ``line_id``); empty Series without it.
    """
    by = list(by)
    if components is None or not len(components):
        return pd.Series(dtype=float)
    a = planned_rows(assignments)
    key = set(zip(components["pegawai_id"].astype(str), components["program_id"].astype(str), strict=True))
    split = np.array([(p, q) in key and t_ == "wajib" for p, q, t_ in zip(
        a["pegawai_id"].astype(str), a["program_id"].astype(str), a["tahap"].astype(str), strict=True)], dtype=bool)
    if not split.any():
        return pd.Series(dtype=float)
    seats = a[split]
    held = set(zip(seats["pegawai_id"].astype(str), seats["program_id"].astype(str), strict=True))
    c = components[[(p, q) in held for p, q in zip(components["pegawai_id"].astype(str),
                                                   components["program_id"].astype(str), strict=True)]]
    c = c[c["line_id"].astype(str) != ""]
    plus = c.groupby([c[k].astype(str) for k in by])["biaya"].sum()
    minus = seats.groupby([seats[k].astype(str) for k in by])["biaya_kas"].sum()
    return plus.sub(minus, fill_value=0.0)


def line_money(assignments: Any, components: pd.DataFrame | None,
               by: Sequence[str] = ("line_id",)) -> pd.Series:
    """Money per ``by`` that each line pays for the seats of ``assignments``: Σ ``biaya_kas`` with
    the components of split mandatory seats on their payers' lines (:func:`component_correction`)."""
    a = planned_rows(assignments)
    base = a.groupby([a[k].astype(str) for k in by])["biaya_kas"].sum()
    moved = component_correction(a, components, by)
    return base.add(moved, fill_value=0.0) if len(moved) else base


def line_charges(assignments: Any, components: pd.DataFrame | None) -> pd.DataFrame:
    """The per-person plan as charges: one row per seat × line that pays (part of) it.

    A seat paid whole by its line is one row, as :func:`planned_rows` gives it. A mandatory seat
    whose programme ``komponen_biaya`` splits across payers (``components``: the restricted
    artefact ``mandatory_components``) becomes one row per line that pays a part of it, with
    ``biaya_kas`` the parts that line pays (components the organiser pays, Rp0, are left out).

    Returns
    -------
    DataFrame
        The columns of :func:`planned_rows`, plus ``komponen`` (the components the row's line
        pays, ';', in the table's order; "" for a seat paid whole) and ``utama`` (True on the row
        that counts the seat — the seat's own ``line_id``, where its largest part is paid —,
        False on a row that only pays a part of a seat counted on another row). Σ ``biaya_kas``
        per line is what the line pays (:func:`line_money`); persons, seats and JP are counted on
        the ``utama`` rows only.
    """
    a = planned_rows(assignments).assign(komponen="", utama=True)
    if components is None or not len(components):
        return a
    c = components[components["line_id"].astype(str) != ""]
    key = set(zip(c["pegawai_id"].astype(str), c["program_id"].astype(str), strict=True))
    # a mandatory seat (its wajib code; the schedule's rows keep the code, not tahap "wajib")
    mand = (a["wajib"].astype("string").fillna("").astype(str) != "") if "wajib" in a else a["tahap"] == "wajib"
    split = np.array([(p, q) in key and m_ for p, q, m_ in zip(
        a["pegawai_id"].astype(str), a["program_id"].astype(str), mand, strict=True)], dtype=bool)
    if not split.any():
        return a
    seats = a[split].drop(columns=["biaya_kas", "komponen", "utama"]).rename(columns={"line_id": "_main"})
    seats = seats.assign(_p=seats["pegawai_id"].astype(str), _q=seats["program_id"].astype(str))
    c = c.assign(_p=c["pegawai_id"].astype(str), _q=c["program_id"].astype(str), _l=c["line_id"].astype(str),
                 _k=c["komponen"].astype(str) if "komponen" in c else "", _o=np.arange(len(c)))
    parts = c.groupby(["_p", "_q", "_l"], sort=False).agg(
        biaya_kas=("biaya", "sum"), komponen=("_k", lambda k: ";".join(dict.fromkeys(x for x in k if x))),
        _o=("_o", "min")).reset_index()
    rows = seats.merge(parts, on=["_p", "_q"], how="left")
    rows["line_id"] = rows["_l"].fillna(rows["_main"]).astype(str)
    rows["biaya_kas"] = rows["biaya_kas"].fillna(0.0).astype(float)
    rows["komponen"] = rows["komponen"].fillna("").astype(str)
    rows["utama"] = rows["line_id"] == rows["_main"].astype(str)
    lost = ~rows.groupby(["_p", "_q"])["utama"].transform("any")  # no part on the seat's own line: count it
    first = ~rows.duplicated(["_p", "_q"])                       # on its first row
    rows.loc[lost & first, "utama"] = True
    rows = rows.sort_values("_o", kind="stable").drop(columns=["_p", "_q", "_l", "_main", "_o"])
    return pd.concat([a[~split], rows[a.columns]], ignore_index=True)


def budget_line_table(budget_lines: pd.DataFrame, assignments: Any,
                      shortfall: pd.DataFrame | None = None,
                      components: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per budget line, the whole plan: what it may spend and what the per-person plan spends.

    Returns
    -------
    DataFrame
        ``line_id``, ``sumber_dana``, ``dpa``, ``sub_kegiatan``, ``pagu``, ``wajib`` (the
        mandatory block, funded first), ``terpilih`` (the programmes of the exact selection,
        placed per person), ``tambahan`` (the top-up for 20 JP), ``terpakai`` (their sum = Σ
        ``biaya_kas`` of the line's seats), ``sisa`` (``pagu − terpakai``) and ``usulan``
        (the shortfall of mandatory rows not yet funded, proposed for APBD-P; from
        ``shortfall``: ``line_id``, ``shortfall``); a last row ``line_id == "JUMLAH"``. With
        ``components`` the mandatory seats' components are charged to their payers' lines
        (:func:`component_correction`, added to ``wajib`` and ``terpakai``).
    """
    a = planned_rows(assignments)
    b = budget_lines.copy()
    for c in ("sumber_dana", "dpa", "sub_kegiatan"):
        b[c] = b[c].astype("string").fillna("").astype(str) if c in b else ""
    spent = a.pivot_table(index="line_id", columns="tahap", values="biaya_kas", aggfunc="sum", fill_value=0.0)
    out = b[["line_id", "sumber_dana", "dpa", "sub_kegiatan"]].copy()
    out["pagu"] = pd.to_numeric(b["pagu"]).to_numpy(float)

    def col(*tahap: str) -> np.ndarray:
        cols = [t_ for t_ in tahap if t_ in spent.columns]
        s_ = spent[cols].sum(axis=1) if cols else pd.Series(dtype=float)
        return out["line_id"].map(s_).fillna(0.0).to_numpy(float)

    out["wajib"] = col("wajib")
    out["terpilih"] = col("rencana")
    out["tambahan"] = col("tambahan", "umum")
    out["terpakai"] = out["line_id"].map(a.groupby("line_id")["biaya_kas"].sum()).fillna(0.0).to_numpy(float)
    moved = out["line_id"].map(component_correction(a, components)).fillna(0.0).to_numpy(float)
    out["wajib"] += moved
    out["terpakai"] += moved
    out["sisa"] = out["pagu"] - out["terpakai"]
    usul = {}
    if shortfall is not None and len(shortfall):
        usul = shortfall.groupby(shortfall["line_id"].astype(str))["shortfall"].sum().to_dict()
    out["usulan"] = out["line_id"].map(usul).fillna(0.0).astype(float)
    tot = {c: (out[c].sum() if pd.api.types.is_float_dtype(out[c]) else "") for c in out.columns}
    tot["line_id"] = "JUMLAH"
    return pd.concat([out, pd.DataFrame([tot])], ignore_index=True)


def _month_names(months: Sequence[int]) -> str:
    return ";".join(str(int(m)) for m in sorted(set(int(x) for x in months)))


def plan_table(
    plan: GroupPlan,
    assignments: Any,
    katalog: pd.DataFrame,
    needs: pd.DataFrame,
    *,
    lang: str = "id",
    settings: Settings | None = None,
    kamus: pd.DataFrame | None = None,
    components: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The yearly plan table with the seven elements of PP 11/2017 Pasal 207.

    Parameters
    ----------
    plan : GroupPlan
    assignments : PersonAssignment or DataFrame or None
        People on seats (``pegawai_id``, ``program_id``, ``kode_unit``, ``kode_kompetensi``,
        ``jenis_kebutuhan``; ``bulan`` when scheduled). Without it the planned seats are used.
    katalog : DataFrame
    needs : DataFrame
        The need groups (``kode_kompetensi``, ``n_need``, optional ``jenis_kebutuhan``,
        ``nama_kompetensi``) — for the number of employees in need.
    lang : {"id", "en"}
        Column names and line types in Indonesian (default) or English
        (:data:`PLAN_TABLE_COLUMNS_EN`).
    settings : Settings, optional
    kamus : DataFrame, optional
        ``kamus_kompetensi`` (``kode_kompetensi``, ``jenis``; optional ``nama_id``,
        ``nama_en``): fills ``jenis_kompetensi`` with the type (teknis / manajerial / sosial
        kultural) and ``nama_kompetensi`` with the name. Without it the type is blank and the
        name comes from ``needs["nama_kompetensi"]`` when present. A ';'-list of codes (a
        general programme) gets the names and types of its codes.
    components : DataFrame, optional
        The restricted artefact ``mandatory_components``: a mandatory seat whose cost
        ``komponen_biaya`` splits across payers is charged per paying line (:func:`line_charges`),
        so that Σ ``anggaran`` of the rows of a line is what that line pays.

    Returns
    -------
    DataFrame
        One line per need type × competency × programme × budget line × mandatory code
        (seats that will happen; ``anggaran`` is Σ ``biaya_kas`` when the assignments carry
        it): ``jenis_kebutuhan`` (kesenjangan
        kompetensi / kesenjangan kinerja — performance lines are a separate type),
        (a) ``kode_kompetensi``, ``jenis_kompetensi`` (type), ``nama_kompetensi``; (b) ``target_pns`` (count), ``target_unit``
        (unit codes; no names); (c) ``jenis_pengembangan``, ``jalur_pengembangan``;
        (d) ``penyelenggara``; (e) ``jadwal`` (months, ';'); (f) ``kesesuaian_kurikulum``;
        (g) ``anggaran`` (Rupiah); plus ``program_id``, ``nama_program``, ``jp``,
        ``kebutuhan_pns``, ``line_id`` (the budget line that pays; ``-`` without lines),
        ``wajib`` (the mandatory code, e.g. ``latsar``; empty for other rows), ``komponen``
        (on a row that pays only a part of seats whose main line is another: the components it
        pays, ';'; else empty) and ``utama`` (False on such a row: its ``target_pns`` are the
        persons whose part it pays, already counted on their programme's main row).

    Notes
    -----
    Pasal 207 content (a)–(g) (DOMAIN.md §1.3 [S03]); an aggregate output (no person-level
    data).
    """
    if lang not in ("id", "en"):
        raise DataError(
            f"Bahasa tidak dikenal: {lang!r}.",
            f"Unknown language: {lang!r}.",
            value=lang,
            expected="id, en",
        )
    s = _settings(settings)
    cat = _catalogue(katalog, s).set_index("program_id")
    _require_columns(needs, ["kode_kompetensi", "n_need"], "needs")
    nd = needs.copy()
    if "jenis_kebutuhan" not in nd:
        nd["jenis_kebutuhan"] = "kompetensi"
    need_n = nd.groupby(["jenis_kebutuhan", "kode_kompetensi"])["n_need"].sum().to_dict()
    names = (
        dict(zip(_text(nd["kode_kompetensi"]), _text(nd["nama_kompetensi"]), strict=True))
        if "nama_kompetensi" in nd
        else {}
    )
    jenis_of: dict[str, str] = {}
    if kamus is not None:
        _require_columns(kamus, ["kode_kompetensi", "jenis"], "kamus_kompetensi")
        codes = _text(kamus["kode_kompetensi"])
        jen = _text(kamus["jenis"])
        jenis_of = {c: _jenis_label(j, lang) for c, j in zip(codes, jen, strict=True)}
        name_col = "nama_id" if lang == "id" else "nama_en"
        if name_col not in kamus and "nama_id" in kamus:
            name_col = "nama_id"
        if name_col in kamus:
            names = {
                **names,
                **{c: n for c, n in zip(codes, _text(kamus[name_col]), strict=True) if n},
            }

    def _label(code: str, table: dict[str, str], default: str) -> str:
        parts = [p_.strip() for p_ in code.split(";") if p_.strip()]
        got = [table.get(p_, default if default else "") for p_ in parts]
        uniq = list(dict.fromkeys(g_ for g_ in got if g_))
        return "; ".join(uniq)

    if assignments is not None:
        a = _frame_of(assignments, "assignments").copy()
        _require_columns(
            a, ["pegawai_id", "program_id", "kode_unit", "kode_kompetensi"], "assignments"
        )
        if "jenis_kebutuhan" not in a:
            a["jenis_kebutuhan"] = "kompetensi"
        a["_n"] = 1
        if "cost" not in a:
            a["cost"] = [cat.at[p, "biaya_per_peserta"] for p in a["program_id"]]
    else:
        al = _frame_of(plan, "allocation").copy()
        if "jenis_kebutuhan" not in al:
            al["jenis_kebutuhan"] = "kompetensi"
        a = al.rename(columns={"participants": "_n"})
    if "terdanai" in a:  # the seats that will happen ("belum terdanai" rows are proposals)
        a = a[a["terdanai"].astype(bool)]
    a["kode_kompetensi"] = [competency_text(c).replace(", ", ";") for c in a["kode_kompetensi"]]
    a["line_id"] = a["line_id"].astype("string").fillna("-").astype(str) if "line_id" in a else "-"
    a["wajib"] = a["wajib"].astype("string").fillna("").astype(str) if "wajib" in a else ""
    if "biaya_kas" in a:  # the cash each seat costs its line: what the budget tables show
        a = line_charges(a, components)  # split mandatory seats: one row per paying line
        a["cost"] = pd.to_numeric(a["biaya_kas"]).fillna(0.0)
    if "utama" not in a:
        a["utama"] = True
    a["utama"] = a["utama"].astype(bool)
    a["komponen"] = np.where(a["utama"], "", a["komponen"].astype(str) if "komponen" in a else "")
    a["_part"] = ~a["utama"]  # a programme's main rows first, then the rows of its parts
    rows = []
    for (jk, k, p, wj, part, line, komp), sub in a.groupby(
        ["jenis_kebutuhan", "kode_kompetensi", "program_id", "wajib", "_part", "line_id", "komponen"], sort=True
    ):
        if "bulan" in sub:
            jad = _month_names(sub["bulan"])
        else:
            jad = _month_names(cat.at[p, "bulan"])
        units = sorted(set(_text(sub["kode_unit"])))
        rows.append(
            {
                "jenis_kebutuhan": i18n.t(f"plan.line_type.{jk}", lang),
                "kode_kompetensi": k,
                "jenis_kompetensi": _label(k, jenis_of, ""),
                "nama_kompetensi": _label(k, names, ""),
                "target_pns": int(sub["_n"].sum()),
                "target_unit": ";".join(units),
                "jenis_pengembangan": cat.at[p, "bentuk"],
                "jalur_pengembangan": cat.at[p, "jalur"],
                "program_id": p,
                "nama_program": cat.at[p, "nama_program"],
                "penyelenggara": cat.at[p, "penyelenggara"],
                "jadwal": jad,
                "kesesuaian_kurikulum": cat.at[p, "kesesuaian_kurikulum"],
                "anggaran": float(sub["cost"].sum()),
                "jp": float(cat.at[p, "jp"]),
                "kebutuhan_pns": int(need_n.get((jk, k), 0)),
                "line_id": line,
                "wajib": wj,
                "komponen": komp,
                "utama": not bool(part),
            }
        )
    out = pd.DataFrame(rows, columns=list(PLAN_TABLE_COLUMNS_EN))
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].astype("str")
    if lang == "en":
        out = out.rename(columns=PLAN_TABLE_COLUMNS_EN)
    return out


def individual_plans(
    assignments: Any,
    inventory: pd.DataFrame,
    katalog: pd.DataFrame,
    *,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Individual development plans (IDP): one row per person × planned programme.

    Pseudonymous (``attrs["output_class"] == "restricted"``); the writer of the confidential
    class re-identifies.

    Returns
    -------
    DataFrame
        ``pegawai_id``, ``kode_kompetensi``, ``gap``, ``need_score``, ``priority``,
        ``program_id``, ``nama_program``, ``bentuk``, ``jalur``, ``penyelenggara``, ``jp``,
        ``biaya``, ``bulan`` (when scheduled, else missing), ``jp_total_pegawai`` (the person's
        planned JP in the year), ``tahap`` (``rencana`` / ``tambahan`` / ``umum``, see
        :func:`top_up_people`).
    """
    s = _settings(settings)
    a = _frame_of(assignments, "assignments")
    _require_columns(a, ["pegawai_id", "program_id", "kode_kompetensi"], "assignments")
    _require_columns(inventory, ["pegawai_id", "kode_kompetensi"], "inventory")
    cat = _catalogue(katalog, s)
    inv_cols = [
        c
        for c in ("pegawai_id", "kode_kompetensi", "gap", "need_score", "priority")
        if c in inventory.columns
    ]
    inv = inventory[inv_cols].copy()
    for c in ("pegawai_id", "kode_kompetensi"):
        inv[c] = _text(inv[c])
    base = pd.DataFrame(
        {
            "pegawai_id": _text(a["pegawai_id"]),
            "kode_kompetensi": _text(a["kode_kompetensi"]),
            "program_id": _text(a["program_id"]),
            "bulan": (a["bulan"].to_numpy() if "bulan" in a else np.full(len(a), np.nan)),
            "tahap": (
                _text(a["tahap"]) if "tahap" in a else np.full(len(a), "rencana", dtype=object)
            ),
        }
    )
    out = base.merge(
        inv.drop_duplicates(["pegawai_id", "kode_kompetensi"]),
        on=["pegawai_id", "kode_kompetensi"],
        how="left",
    )
    for c in ("gap", "need_score", "priority"):
        if c not in out:
            out[c] = np.nan
    c2 = cat[
        [
            "program_id",
            "nama_program",
            "bentuk",
            "jalur",
            "penyelenggara",
            "jp",
            "biaya_per_peserta",
        ]
    ].rename(columns={"biaya_per_peserta": "biaya"})
    out = out.merge(c2, on="program_id", how="left")
    out["jp_total_pegawai"] = out.groupby("pegawai_id")["jp"].transform("sum")
    out = out[
        [
            "pegawai_id",
            "kode_kompetensi",
            "gap",
            "need_score",
            "priority",
            "program_id",
            "nama_program",
            "bentuk",
            "jalur",
            "penyelenggara",
            "jp",
            "biaya",
            "bulan",
            "jp_total_pegawai",
            "tahap",
        ]
    ].sort_values(["pegawai_id", "priority", "program_id"])
    for c in ("nama_program", "bentuk", "jalur", "penyelenggara", "tahap"):
        out[c] = out[c].astype("str")
    out = out.reset_index(drop=True)
    out.attrs["output_class"] = "restricted"
    return out


def budget_by_unit(plan: GroupPlan, assignments: Any = None) -> pd.DataFrame:
    """Planned budget per unit.

    Returns
    -------
    DataFrame
        ``kode_unit``, ``participants``, ``cost`` (group-level plan; when assignments are
        given, the per-person plan — every seat placed, top-up included, ``biaya_kas`` — so that
        every table shows one figure, and the group-level figures move to
        ``participants_group_plan``, ``cost_group_plan``), ``participants_assigned``,
        ``cost_assigned`` (the per-person plan) and, after :func:`top_up_people`,
        ``participants_top_up``, ``cost_top_up``; with ``funding="unit"`` also
        ``pagu`` and ``remaining``; a last row ``kode_unit == "INSTANSI"`` with the totals.
    """
    al = _frame_of(plan, "allocation")
    _require_columns(al, ["kode_unit", "participants", "cost"], "allocation")
    out = al.groupby("kode_unit", sort=True)[["participants", "cost"]].sum().reset_index()
    if assignments is not None:
        a = _frame_of(assignments, "assignments")
        _require_columns(a, ["kode_unit", "cost"], "assignments")
        if "biaya_kas" in a:  # the money each seat costs the agency (what the budget lines pay)
            a = a.assign(cost=a["biaya_kas"])
        aa = (
            a.groupby("kode_unit")["cost"]
            .agg(["size", "sum"])
            .reset_index()
            .rename(columns={"size": "participants_assigned", "sum": "cost_assigned"})
        )
        if "tahap" in a:
            tu = a[a["tahap"].astype("str") != "rencana"]
            tt = (
                tu.groupby("kode_unit")["cost"]
                .agg(["size", "sum"])
                .rename(columns={"size": "participants_top_up", "sum": "cost_top_up"})
            )
            aa = aa.merge(tt, left_on="kode_unit", right_index=True, how="left").fillna(
                {"participants_top_up": 0, "cost_top_up": 0.0}
            )
        out = out.merge(aa, on="kode_unit", how="outer").fillna(
            {
                "participants": 0,
                "cost": 0.0,
                "participants_assigned": 0,
                "cost_assigned": 0.0,
                "participants_top_up": 0,
                "cost_top_up": 0.0,
            }
        )
        out.insert(1, "participants_group_plan", out.pop("participants"))
        out.insert(2, "cost_group_plan", out.pop("cost"))
        out.insert(1, "participants", out["participants_assigned"].to_numpy())
        out.insert(2, "cost", out["cost_assigned"].to_numpy())
    bud = getattr(plan, "budget", None)
    if isinstance(bud, pd.DataFrame) and (bud["kode_unit"] != "").any() and "line_id" not in bud:
        b = bud[bud["kode_unit"] != ""][["kode_unit", "pagu", "remaining"]]
        out = out.merge(b, on="kode_unit", how="outer").fillna({"participants": 0, "cost": 0.0})
    tot = {c: (out[c].sum() if c != "kode_unit" else "INSTANSI") for c in out.columns}
    out = pd.concat([out, pd.DataFrame([tot])], ignore_index=True)
    out["kode_unit"] = out["kode_unit"].astype("str")
    return out


def jp_coverage(
    assignments: Any,
    pegawai: pd.DataFrame,
    *,
    settings: Settings | None = None,
    below: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of PNS reaching the JP minimum in the plan (person level), per unit and agency.

    Parameters
    ----------
    assignments : PersonAssignment or DataFrame
        ``pegawai_id``, ``jp``.
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``.
    below : DataFrame, optional
        ``PersonAssignment.below_minimum`` (``pegawai_id``, ``reason``); default: taken from
        ``assignments`` when it is a :class:`PersonAssignment` after :func:`top_up_people`.

    Returns
    -------
    DataFrame
        ``tingkat`` (``unit``/``instansi``), ``kode_unit`` (``INSTANSI`` for the agency row),
        ``pns`` (people owed the minimum, ``plan.jp_owed_status``), ``pns_reaching``,
        ``pns_below``, ``share_reaching`` (NaN when no PNS), ``jp_pns_total``,
        ``jp_pns_mean``, ``pppk``, ``pppk_over_cap`` (PPPK planned above ``jp.pppk_maximum``;
        0 by construction); with the reasons, ``below_<code>`` per code of :data:`REASON_CODES`
        (people below the minimum for that reason; a person may have two codes).

    Notes
    -----
    Every figure counts people: a PNS reaches the minimum when the JP of *their* planned
    programmes sum to at least ``jp.minimum_pns``. (The unit aggregate of
    :attr:`GroupPlan.coverage` is not a count of people.)
    """
    s = _settings(settings)
    jmin, jpppk = float(s["jp.minimum_pns"]), float(s["jp.pppk_maximum"])
    a = _frame_of(assignments, "assignments")
    _require_columns(a, ["pegawai_id", "jp"], "assignments")
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "status"], "pegawai")
    per = pd.Series(_num(a["jp"], "assignments", "jp"), index=_text(a["pegawai_id"]))
    per = per.groupby(level=0).sum()
    d = pd.DataFrame(
        {
            "pegawai_id": _text(pegawai["pegawai_id"]),
            "kode_unit": _text(pegawai["kode_unit"]),
            "status": _text(pegawai["status"]),
        }
    )
    d["jp"] = d["pegawai_id"].map(per).fillna(0.0).astype(float)
    d["is_pns"] = d["status"].isin(list(_owed(s)))
    d["reach"] = d["is_pns"] & (d["jp"] >= jmin - 1e-9)
    d["is_pppk"] = d["status"] == "PPPK"
    d["over"] = d["is_pppk"] & (d["jp"] > jpppk + 1e-9)
    d["jp_pns"] = np.where(d["is_pns"], d["jp"], 0.0)
    if below is None and isinstance(assignments, PersonAssignment):
        below = assignments.below_minimum
    codes: list[str] = []
    if below is not None:
        _require_columns(below, ["pegawai_id", "reason"], "below_minimum")
        rmap = dict(zip(_text(below["pegawai_id"]), _text(below["reason"]), strict=True))
        codes = list(REASON_CODES)
        for c in codes:
            d[f"below_{c}"] = np.array(
                [
                    (c in rmap.get(p_, "").split(";")) and not r_ and o_
                    for p_, r_, o_ in zip(d["pegawai_id"], d["reach"], d["is_pns"], strict=True)
                ],
                dtype=bool,
            )

    def agg(x: pd.DataFrame) -> dict:
        pns = int(x["is_pns"].sum())
        return {
            "pns": pns,
            "pns_reaching": int(x["reach"].sum()),
            "pns_below": pns - int(x["reach"].sum()),
            "share_reaching": x["reach"].sum() / pns if pns else np.nan,
            "jp_pns_total": float(x["jp_pns"].sum()),
            "jp_pns_mean": float(x["jp_pns"].sum() / pns) if pns else np.nan,
            "pppk": int(x["is_pppk"].sum()),
            "pppk_over_cap": int(x["over"].sum()),
            **{f"below_{c}": int(x[f"below_{c}"].sum()) for c in codes},
        }

    rows = [{"tingkat": "unit", "kode_unit": u, **agg(x)} for u, x in d.groupby("kode_unit")]
    rows.append({"tingkat": "instansi", "kode_unit": "INSTANSI", **agg(d)})
    out = pd.DataFrame(rows)
    out["tingkat"] = out["tingkat"].astype("str")
    out["kode_unit"] = out["kode_unit"].astype("str")
    return out
