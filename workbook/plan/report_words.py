"""Words and cells of the plan's chapters that a planner reads without the workbook's codes.

- a mandatory training the catalogue lacks is priced from the settings under the internal id
  ``PERKIRAAN-<CODE>``: tables show no code for it ("—"), its name with "(perkiraan)", and one
  note under the table says what that means (:func:`code_cells`, :func:`estimate_note`);
- a mandatory row's name is marked "Wajib: PKP — Pelatihan Kepemimpinan Pengawas", but not
  "Wajib: PKN II — PKN II" when the name already starts with the training (:func:`wajib_name`);
- the plan's steps name the mandatory trainings actually in the plan (:func:`steps_sentence`);
- who stays below the JP minimum, and why (:func:`below_sentences`): a count under k reads
  "kurang dari k", and when the whole total is under k the reasons are listed without counts
  (a list of "kurang dari 5" says nothing and lets the reader subtract).
"""

from __future__ import annotations

import pandas as pd

import workbook.plan._elig_common as elig_common_
import workbook.plan.mandatory_plan as mandatory_plan_
import workbook.plan.words as words_
from workbook.core.i18n import fmt_int, t
from workbook.core.suppression import k_for

__all__ = ["wrap_label", "is_estimate", "code_cells", "estimate_note", "wajib_name", "wajib_in_plan", "steps_sentence",
           "below_sentences", "AWAY", "away_sentence", "competency_names", "named", "name_competencies",
           "payable_left", "served_by_cheaper", "placed_groups"]

#: what a code cell shows for a programme that has no catalogue code (an estimate)
NO_CODE = "—"
#: why someone owed 20 JP is not sent to training in the plan year (``unavailable_reason``): the
#: words are ``plan.alasan.<code>``
AWAY = ("tugas_belajar", "cuti_dltn", "diberhentikan_sementara", "pensiun_tahun_rencana", "pensiun_bup")


def wrap_label(text: str, width: int = 34, lines: int = 2) -> str:
    r"""A figure's axis label on at most ``lines`` lines of ``width`` characters (an ellipsis when
    longer), so that no label is cut at the figure's edge.

    >>> wrap_label("PRG-035 Mentoring Pelayanan Publik di Unit Layanan Kesehatan Daerah", 20)
    'PRG-035 Mentoring\nPelayanan Publik di…'
    """
    import textwrap

    parts = textwrap.wrap(str(text), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def is_estimate(program_id) -> bool:
    """Whether ``program_id`` is a mandatory training priced from the settings (not in the catalogue)."""
    return str(program_id).startswith(mandatory_plan_.ESTIMATE_PREFIX)


def code_cells(ids: pd.Series) -> pd.Series:
    """Programme ids as a table shows them: an estimate's internal id becomes "—"."""
    return pd.Series([NO_CODE if is_estimate(p) else str(p) for p in ids], index=ids.index, dtype=object)


def estimate_note(ids, lang: str = "id") -> str | None:
    """The note under a table with estimated mandatory trainings (None when it has none)."""
    return t("plan.words2.estimate_note", lang) if any(is_estimate(p) for p in ids) else None


def wajib_name(code: str, name: str, lang: str = "id") -> str:
    """A mandatory row's programme name with its mark, without saying the training twice.

    >>> wajib_name("pkn2", "PKN II (perkiraan)"), wajib_name("pkp", "Pelatihan Kepemimpinan Pengawas")
    ('Wajib: PKN II (perkiraan)', 'Wajib: PKP — Pelatihan Kepemimpinan Pengawas')
    """
    short = t(f"plan.wajib.singkat.{code}", lang)
    if str(name).strip().lower().startswith(short.lower()):
        return f"{t('plan.words2.wajib_prefix', lang)} {name}"
    return f"{t('plan.oneplan.wajib_mark', lang, wajib=short)} {name}"


def wajib_in_plan(plan_rows: pd.DataFrame) -> list[str]:
    """The mandatory codes with seats in the per-person plan, in the order of the regulations."""
    if plan_rows is None or "wajib" not in plan_rows:
        return []
    have = set(plan_rows["wajib"].dropna().astype(str)) - {""}
    return [c for c in elig_common_.WAJIB_CODES if c in have]


def steps_sentence(codes: list[str], lang: str = "id") -> str:
    """How the plan is built, naming the mandatory trainings in it (``codes``)."""
    if not codes:
        return t("plan.words2.stages_none", lang)
    names = [t(f"plan.wajib.singkat.{c}", lang) for c in codes]
    return t("plan.oneplan.stages", lang, wajib=words_list(names, lang))


def words_list(items: list[str], lang: str = "id") -> str:
    """ "a, b dan c" / "a, b and c".

    >>> words_list(["Latsar", "PKP", "PKA"]), words_list(["x"], "en")
    ('Latsar, PKP dan PKA', 'x')
    """
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('plan.words2.and', lang)} {items[-1]}"


def below_sentences(res, unit: str | None = None) -> list[str]:
    """Who owed the JP minimum stays below it in the plan and why, from ``below_minimum`` (a unit
    report: the unit's staff): the PNS and the CPNS becoming PNS, those not available in the plan
    year (tugas belajar, CLTN…: excluded, not failures of the plan) and the other reasons. A count
    under k (``suppression.k_count``) reads "kurang dari k"; when the total itself is under k, the
    reasons are listed without counts."""
    lang, s = res.ctx.lang, res.ctx.settings
    b = res.below_minimum
    if b is None or not len(b) or "reason" not in b:
        return []
    if unit:
        b = b[b["kode_unit"].astype(str) == unit]
    b = b.drop_duplicates("pegawai_id")
    if not len(b):
        return []
    k = k_for("count", s)
    small = len(b) < k  # every part would read "kurang dari k": say the parts without counts

    def n_(x: int) -> str:
        return fmt_int(x, lang) if x >= k else t("plan.words.fewer_than", lang, k=k)

    def share(n: int) -> str:
        return (t("plan.words.all_of_them", lang) if n == len(b) else t("plan.words2.some_of_them", lang) if small
                else t("plan.words.of_them", lang, n=n_(n)))

    st = b["status"].astype(str)
    n_cpns = int((st == "CPNS").sum())
    who = (t("plan.words.below_who_pns", lang) if not n_cpns else
           t("plan.words.below_who_cpns", lang) if n_cpns == len(b) else
           t("plan.words2.below_who_both_small", lang) if small else
           t("plan.words.below_who_both", lang, pns=n_(len(b) - n_cpns), cpns=n_(n_cpns)))
    out = [t("plan.words.below", lang, n=fmt_int(len(b), lang), jp=fmt_int(s["jp.minimum_pns"], lang), who=who)]
    away = b["unavailable_reason"].fillna("").astype(str) if "unavailable_reason" in b else pd.Series("", index=b.index)
    is_away = (away != "") & b["reason"].astype(str).str.contains("unavailable")
    if is_away.any():
        per = away[is_away].value_counts()
        order = [c for c in AWAY if c in per.index] + sorted(c for c in per.index if c not in AWAY)
        names = [t(f"plan.alasan.{c}", lang) if c in AWAY else c for c in order]
        what = ", ".join(names) if len(order) == 1 or small else \
            ", ".join(f"{nm} ({n_(int(per[c]))})" for nm, c in zip(names, order, strict=True))
        key = "plan.words.below_away_tb" if "tugas_belajar" in per.index else "plan.words.below_away"
        out.append(t(key, lang, what=what, n=share(int(is_away.sum()))))
    rest = b.loc[~is_away, "reason"].astype(str).str.split(";").explode()
    rest = rest[(rest != "") & (rest != "unavailable")].value_counts()
    for code, n in rest.items():
        out.append(t("plan.words.below_other", lang, reason=words_.reason_text(code, lang), n=share(int(n))))
    return out



def away_sentence(res) -> str | None:
    """Who the employees not available in the plan year are, against the staff they are part of:
    "23 dari 1.200 pegawai dalam data pegawai tidak tersedia pada tahun rencana: sedang tugas
    belajar (11), pensiun dalam tahun rencana (8), … Mereka tidak dikirim ke pelatihan panjang;
    8 di antaranya tetap mendapat program singkat …" (counts under k read "kurang dari k"; None
    without the JP targets or without such employees)."""
    import workbook.plan.tables as tables_

    tg = res.jp_targets
    if tg is None or "unavailable_reason" not in tg:
        return None
    why = tg["unavailable_reason"].astype("string").fillna("").astype(str)
    away = tg[why != ""]
    if not len(away):
        return None
    lang, k = res.ctx.lang, k_for("count", res.ctx.settings)
    counts = why[why != ""].value_counts()
    rincian = ", ".join(f"{t(f'plan.alasan.{c}', lang)} ({fmt_int(n, lang) if n >= k else t('plan.words.fewer_than', lang, k=k)})"
                        for c, n in counts.items())
    a = tables_.planned_rows(res.assignment.assignments)
    m = int(away["pegawai_id"].astype(str).isin(set(a["pegawai_id"].astype(str))).sum())
    seats = (t("plan.words3.away_seats", lang, m=fmt_int(m, lang) if m >= k else t("plan.words.fewer_than", lang, k=k))
             if m else t("plan.words3.away_seats_none", lang))
    return t("plan.words3.away_base", lang, n=fmt_int(len(away), lang), total=fmt_int(len(res.tables["pegawai"]), lang),
             rincian=rincian, seats=seats)


def placed_groups(ex: pd.DataFrame, rows: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """``explanations`` whose "selected" rows name the competencies, units and persons of the
    per-person plan (the selection's places the plan placed, ``tahap`` rencana: "menutup
    kesenjangan T.03 untuk 113 pegawai di DINKES", not the 125 the selection had chosen), the
    ``top`` largest first and the rest counted."""
    import workbook.plan.tables as tables_

    ex = ex.copy()
    placed = rows[rows["tahap"].astype(str) == "rencana"]
    if not len(placed) or "reason" not in ex:
        return ex
    key = [tables_.competency_text(c) for c in placed["kode_kompetensi"]]
    cnt = placed.groupby([placed["program_id"].astype(str), pd.Series(key, index=placed.index),
                          placed["kode_unit"].astype(str)]).size()
    for c in ("group_kompetensi", "group_unit", "group_participants"):
        if c in ex:
            ex[c] = ex[c].astype(object)
    for i, r in ex.iterrows():
        pid = str(r["program_id"])
        if str(r["reason"]) != "selected" or pid not in cnt.index.get_level_values(0):
            continue
        g = cnt.loc[pid].sort_values(ascending=False, kind="stable")
        ex.at[i, "group_kompetensi"] = [k for k, _ in g.index[:top]]
        ex.at[i, "group_unit"] = [u for _, u in g.index[:top]]
        ex.at[i, "group_participants"] = [int(n) for n in g.to_numpy()[:top]]
        ex.at[i, "other_groups"] = max(len(g) - top, 0)
    return ex


def competency_names(res, lang: str) -> dict[str, str]:
    """Competency code → "code name" from the agency's ``kamus_kompetensi`` (``nama_id`` /
    ``nama_en``), so a reason reads "M.8 Pengambilan Keputusan", not "M.8" (empty without it)."""
    kam = (res.tables or {}).get("kamus_kompetensi")
    col = "nama_id" if lang == "id" else "nama_en"
    if kam is None or "kode_kompetensi" not in kam:
        return {}
    col = col if col in kam else "nama_id" if "nama_id" in kam else None
    if col is None:
        return {}
    names = kam[col].astype("string").fillna("").astype(str).str.strip()
    return {str(c): f"{c} {n}" if n else str(c) for c, n in zip(kam["kode_kompetensi"].astype(str), names, strict=True)}


def named(codes: str, names: dict[str, str]) -> str:
    """"T.03, M.8" → "T.03 Pelayanan Kesehatan, M.8 Pengambilan Keputusan" (unknown codes kept)."""
    return ", ".join(names.get(c.strip(), c.strip()) for c in str(codes).split(",") if c.strip())


def name_competencies(ex: pd.DataFrame, res, lang: str) -> pd.DataFrame:
    """``explanations`` with the competency codes of its reason parameters (``group_kompetensi``,
    ``kompetensi``) named from :func:`competency_names`."""
    names = competency_names(res, lang)
    if not names:
        return ex
    ex = ex.copy()
    for c in ("group_kompetensi", "kompetensi"):
        if c in ex:
            ex[c] = [v if not hasattr(v, "__iter__") or isinstance(v, str) else [named(x, names) for x in v]
                     for v in ex[c].astype(object)]
    return ex


def payable_left(res, pid: str, units, left: pd.Series) -> tuple[list[str], float]:
    """The budget lines that may pay programme ``pid`` for the staff of ``units``
    (:func:`workbook.plan.lines.may_pay` on the line's unit scope and programme kinds) and the Σ of
    what the whole plan leaves on them (``sisa`` of the budget-line table): the money that could
    still have bought that programme for those units (BLUD money of another unit is not).
    ``left``: ``sisa`` by ``line_id`` (the budget-line table of the report)."""
    import workbook.plan._line_model as line_model_
    import workbook.plan.lines as lines_

    bl = res.budget_lines
    if bl is None or "cakupan_unit" not in bl or not len(units):
        return list(left.index.astype(str)), float(left.sum())
    lines = line_model_.lines_from_budget(bl)
    kat = res.tables["katalog_program"]
    kind = dict(zip(kat["program_id"].astype(str), line_model_.programme_kinds(kat, res.ctx.settings), strict=True))
    ok = lines_.may_pay(lines, list(units), [kind.get(pid, "")] * len(units)).any(axis=0)
    ids = [str(x) for x in lines["line_id"][ok]]
    return ids, float(left.reindex(ids).fillna(0.0).sum())


def served_by_cheaper(res, pid: str, rows: pd.DataFrame, left: pd.Series, lang: str) -> str:
    """Why a programme with no place in the plan lost to a cheaper one with fewer JP that answers
    the same competency for the same units (DINKES's T.03: the seminar PRG-025, 8 JP at
    Rp1.500.000, instead of PRG-010, 48 JP at Rp5.500.000): the clause appended to its reason,
    with the money it would need beyond what the lines that may pay it for those units have left
    (:func:`payable_left`, ``left`` = ``sisa`` by ``line_id``); "" when no such programme."""
    import workbook.plan.tables as tables_
    from workbook.core.i18n import fmt_rupiah

    kat = res.tables["katalog_program"].assign(program_id=lambda d: d["program_id"].astype(str))
    kat = kat.drop_duplicates("program_id").set_index("program_id")
    if pid not in kat.index:
        return ""
    comps = set(tables_.competency_text(kat.at[pid, "kode_kompetensi"]).split(", "))
    jp = pd.to_numeric(kat["jp"], errors="coerce")
    cost = float(pd.to_numeric(kat.at[pid, "biaya_per_peserta"], errors="coerce") or 0.0)
    r = rows[rows["program_id"].astype(str) != pid]
    r = r[[tables_.competency_text(c) in comps for c in r["kode_kompetensi"]]]
    r = r[r["jp"].astype(float) < float(jp.get(pid, 0.0) or 0.0)]
    r = r[pd.to_numeric(r["biaya_kas"], errors="coerce").fillna(0.0) < cost]
    if not len(r) or cost <= 0:
        return ""
    alt = r["program_id"].astype(str).value_counts().index[0]
    a = r[r["program_id"].astype(str) == alt]
    alt_cost = float(a["biaya_kas"].max())
    extra = len(a) * (cost - alt_cost)
    units = sorted(set(a["kode_unit"].astype(str)))
    line_ids, sisa = payable_left(res, pid, units, left)
    if extra <= sisa:
        return ""  # the money was there: the reason is not the price
    names = competency_names(res, lang)
    return t("plan.words3.served_by_cheaper", lang,
             k=", ".join(sorted(set(named(tables_.competency_text(c), names) for c in a["kode_kompetensi"]))),
             units=", ".join(units), alt=alt, alt_jp=fmt_int(a["jp"].iloc[0], lang),
             alt_cost=fmt_rupiah(alt_cost, lang), n=fmt_int(len(a), lang), program=pid,
             jp=fmt_int(jp.get(pid, 0.0), lang), cost=fmt_rupiah(cost, lang), extra=fmt_rupiah(extra, lang),
             sisa=fmt_rupiah(sisa, lang), lines=", ".join(line_ids) or "-")
