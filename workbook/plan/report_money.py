"""Money rows as the budget lines hold them (issue #17, the planner's item 1).

A mandatory seat whose ``komponen_biaya`` splits its cost across payers (the course fee on the
BKPSDM line, the participant's travel on the own unit's line) is printed once per line that pays
a part of it: the programme's main row carries its places, JP and the part its own line pays; a
further row carries only the part another line pays ("BLUD · RSUD: perjalanan dinas 1 peserta"),
with no places, so that every column adds up to its total and Σ of the rows of a line is what
the line pays ("Terpakai" of the "Pos anggaran" table).

- :func:`komponen_words` — ``perjalanan_dinas;kontribusi`` → "perjalanan dinas, kontribusi";
- :func:`show_parts` — a table's part rows: the line cell says what it pays for whom, the counts
  are blank;
- :func:`parts_note` — the sentence under a table with part rows (None without them);
- :func:`proposal_rows`, :func:`proposal_note` — PKN II is only proposed (LAN selects the
  participants and sets the schedule and JP): its rows show no JP and no month.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbook.core.i18n import codes, fmt_int, fmt_rupiah, t

__all__ = ["komponen_words", "show_parts", "parts_note", "part_mask", "proposal_rows", "proposal_note", "own_source_sentences",
           "unit_late_sentences"]


def komponen_words(komponen: str, lang: str) -> str:
    """The components of a ';'-list in words (``plan.money.komponen.<code>``; unlisted: ``_`` as a space)."""
    known = set(codes("plan.money.komponen"))
    parts = list(dict.fromkeys(k.strip() for k in str(komponen).split(";") if k.strip()))
    return ", ".join(t(f"plan.money.komponen.{k}", lang) if k in known else k.replace("_", " ") for k in parts)


def part_mask(d: pd.DataFrame) -> np.ndarray:
    """True on the rows that pay only a part of places counted on another row (``utama`` False)."""
    if "utama" not in d:
        return np.zeros(len(d), dtype=bool)
    return ~d["utama"].astype("boolean").fillna(True).to_numpy(bool)


def show_parts(d: pd.DataFrame, n_col: str, blank: Sequence[str], lang: str, line_col: str = "line_id") -> pd.DataFrame:
    """``d`` with its part rows (:func:`part_mask`) shown as what they are: the line cell "<line>:
    <components> <n> peserta" (n from ``n_col``) and the ``blank`` columns (counts, JP) empty,
    so that a column's sum counts each place once. Other rows unchanged."""
    part = part_mask(d)
    if not part.any():
        return d
    d = d.copy()
    kom = d["komponen"].astype(str) if "komponen" in d else pd.Series("", index=d.index)
    d[line_col] = d[line_col].astype(object)
    d.loc[part, line_col] = [t("plan.money.line_part", lang, line=ln, komponen=komponen_words(k, lang),
                               n=fmt_int(n, lang))
                             for ln, k, n in zip(d.loc[part, line_col], kom[part], d.loc[part, n_col], strict=True)]
    for c in blank:
        d[c] = pd.to_numeric(d[c], errors="coerce").astype(float)
        d.loc[part, c] = np.nan
    return d


def parts_note(d: pd.DataFrame, lang: str, program_col: str = "program_id") -> str | None:
    """The sentence under a table with part rows: which programmes are split, and how the rows
    and the total read (None without part rows)."""
    part = part_mask(d)
    if not part.any():
        return None
    progs = ", ".join(dict.fromkeys(str(p) for p in d.loc[part, program_col]))
    return t("plan.money.parts_note", lang, programmes=progs)


def _proposal_mask(d: pd.DataFrame, settings) -> np.ndarray:
    """Rows of a mandatory training the agency only proposes (PKN II under
    ``eligibility.pkn2_proposal_only``) whose JP the plan does not know (0)."""
    if "wajib" not in d or not bool(settings.get("eligibility.pkn2_proposal_only")):
        return np.zeros(len(d), dtype=bool)
    jp = pd.to_numeric(d["jp"], errors="coerce").fillna(0.0).to_numpy(float)
    return (d["wajib"].astype("string").fillna("").astype(str) == "pkn2").to_numpy(bool) & (jp <= 0)


def proposal_rows(d: pd.DataFrame, settings, lang: str) -> pd.DataFrame:
    """``d`` (plan table rows) with the proposal-only rows' JP blank and month "ditetapkan LAN"
    instead of JP 0 and the month the schedule gave a place it does not hold."""
    m = _proposal_mask(d, settings)
    if not m.any():
        return d
    d = d.copy()
    for c in ("jp", "jp_total"):
        if c in d:
            d[c] = pd.to_numeric(d[c], errors="coerce").astype(float)
            d.loc[m, c] = np.nan
    d["jadwal"] = d["jadwal"].astype(object)
    d.loc[m, "jadwal"] = t("plan.words3.jadwal_lan", lang)
    return d


def proposal_note(d: pd.DataFrame, settings, lang: str) -> str | None:
    """The sentence under a plan table with a proposal-only row (None without one)."""
    return t("plan.words3.pkn2_note", lang) if _proposal_mask(d, settings).any() else None


def own_source_sentences(rows: pd.DataFrame, katalog: pd.DataFrame, lines: pd.DataFrame, sisa: pd.Series,
                         lang: str) -> list[str]:
    """Why a programme the catalogue funds from a unit-bound line's source (the RSUD's clinical
    course, ``sumber_dana`` BLUD) is also paid from another line: one sentence per such
    programme and line, from the per-person plan's ``rows`` (``program_id``, ``line_id``,
    ``biaya_kas``) and the budget ``lines`` (``line_id``, ``sumber_dana``, ``unit_bound`` or
    ``cakupan_unit``); ``sisa``: what each line has left (line_id → Rupiah). "Until the line
    cannot buy one more place" is said only when it is true: what the line has left plus what it
    pays for programmes of other sources is below the cost of one place."""
    if not len(rows) or "sumber_dana" not in katalog:
        return []
    src = dict(zip(katalog["program_id"].astype(str), katalog["sumber_dana"].astype(str).str.strip().str.upper(),
                   strict=True))
    lsrc = dict(zip(lines["line_id"].astype(str), lines["sumber_dana"].astype(str).str.strip().str.upper(),
                    strict=True))
    scoped = lines.get("cakupan_unit", pd.Series("", index=lines.index)).map(
        lambda v: bool(len(v)) if isinstance(v, (list, tuple, np.ndarray)) else bool(str(v).strip()))
    open_src = set(lines.loc[~scoped, "sumber_dana"].astype(str).str.strip().str.upper())
    # a unit's own line of a source no open line has (the RSUD's BLUD): an OPD's own APBD line is
    # not "the programme's own source" for the APBD programmes of its units
    bound = set(lines.loc[scoped, "line_id"].astype(str)) - {
        lid for lid, sd in lsrc.items() if sd in open_src}
    out = []
    paid = rows[(pd.to_numeric(rows["biaya_kas"], errors="coerce").fillna(0.0) > 0)
                & (rows["tahap"].astype(str) != "wajib")]  # the mandatory block is funded first, fixed
    for (pid, line), n_own in paid.groupby([paid["program_id"].astype(str), paid["line_id"].astype(str)]).size().items():
        if line not in bound or src.get(pid, "") != lsrc.get(line):
            continue
        other = paid[(paid["program_id"].astype(str) == pid) & (paid["line_id"].astype(str) != line)]
        if not len(other):
            continue
        cost = float(paid.loc[paid["program_id"].astype(str) == pid, "biaya_kas"].max())
        on_line = paid[paid["line_id"].astype(str) == line]
        lain = float(on_line.loc[on_line["program_id"].astype(str).map(src).fillna("") != lsrc[line], "biaya_kas"].sum())
        left = float(sisa.get(line, 0.0))
        key = "plan.money.own_source" if left + lain < cost else "plan.money.own_source_mixed"
        out.append(t(key, lang, program=pid, sumber=src[pid], line=line, n_own=fmt_int(n_own, lang),
                     n_other=fmt_int(len(other), lang), biaya=fmt_rupiah(cost, lang), lain=fmt_rupiah(lain, lang),
                     sisa=fmt_rupiah(left, lang), others=", ".join(sorted(set(other["line_id"].astype(str))))))
    return out


def unit_late_sentences(table: pd.DataFrame | None, unit: str, settings, lang: str) -> list[str]:
    """Per mandatory code, the unit's persons past the deadline for it (``n_late`` of the
    mandatory table: PKP/PKA staff in post for more than ``eligibility.late_months`` months
    without it, CPNS without Latsar), said where the unit's mandatory trainings are listed."""
    if table is None or "n_late" not in table or not len(table):
        return []
    mine = table[table["kode_unit"].astype(str) == unit]
    late = pd.to_numeric(mine["n_late"], errors="coerce").fillna(0).groupby(mine["wajib"].astype(str), sort=False).sum()
    months = settings.get("eligibility.late_months")
    return [t("plan.money.unit_late_latsar" if code == "latsar" else "plan.money.unit_late", lang,
              wajib=t(f"plan.wajib.singkat.{code}", lang), n=fmt_int(n, lang), bulan=months)
            for code, n in late.items() if n > 0]
