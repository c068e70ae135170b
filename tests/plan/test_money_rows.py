"""Money rows add up to the budget lines (issue #17, the planner's item 1): for EVERY budget line,
Σ of the rows printed for that line — in the agency report's mandatory table (Tabel 3.1), its plan
table (Tabel 4.1) and table by unit and line, and in each unit report's tables and sentences — equals
"Terpakai" of the "Pos anggaran" table, which equals what the per-person plan charges the line:
Σ ``biaya_kas`` of its seats paid whole plus the ``komponen_biaya`` parts charged to it (a
mandatory seat whose course fee is on the BKPSDM line and whose travel is on the RSUD's BLUD
line). The per-line money is computed here from the Parquet files, not through the code under
test; on the sample and on agency B.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from workbook.core import artefacts
from workbook.core.i18n import fmt_rupiah, t
from workbook.plan import report as R


def _num(cell: str) -> float:
    s = re.sub(r"[^0-9,\-]", "", str(cell)).replace(",", ".")
    return float(s) if s not in ("", "-") else 0.0


def _art(run, name: str, kind: str = "aggregate") -> pd.DataFrame:
    return artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", name, kind)


@pytest.fixture(scope="module")
def paid(run) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(seats that will happen, their charges: seat × paying line with the money it pays) from the files."""
    a = _art(run, "assignments", "restricted")
    a = a[a["terdanai"].astype(bool)].copy()
    a["line_id"] = a["line_id"].astype(str)
    comp = _art(run, "mandatory_components", "restricted")
    comp = comp[comp["line_id"].astype(str) != ""]
    keys = set(zip(comp["pegawai_id"].astype(str), comp["program_id"].astype(str), strict=True))
    split = [(p, q) in keys and w != "" for p, q, w in zip(a["pegawai_id"].astype(str), a["program_id"].astype(str),
                                                          a["wajib"].astype("string").fillna("").astype(str),
                                                          strict=True)]
    split = pd.Series(split, index=a.index)
    whole = a.loc[~split, ["pegawai_id", "kode_unit", "program_id", "line_id", "biaya_kas"]]
    held = set(zip(a.loc[split, "pegawai_id"].astype(str), a.loc[split, "program_id"].astype(str), strict=True))
    parts = comp[[(p, q) in held for p, q in zip(comp["pegawai_id"].astype(str), comp["program_id"].astype(str),
                                                 strict=True)]]
    parts = parts.rename(columns={"biaya": "biaya_kas"})[["pegawai_id", "kode_unit", "program_id", "line_id",
                                                           "biaya_kas"]]
    charges = pd.concat([whole, parts.astype({"line_id": str})], ignore_index=True)
    return a, charges


def _line_of(cell: str) -> str:
    """The line of a line cell: "BLUD · RSUD" or a part row's "BLUD · RSUD: perjalanan dinas 1 peserta"."""
    return str(cell).split(":")[0]


def _sum_per_line(tab: pd.DataFrame, line_col: str, money_col: str) -> dict[str, float]:
    body = tab[tab[line_col].astype(str).str.strip() != ""]
    return body.assign(_l=body[line_col].map(_line_of), _rp=body[money_col].map(_num)).groupby("_l")["_rp"].sum().to_dict()


def test_every_line_of_the_agency_tables_adds_up_to_its_terpakai(run, res, paid):
    lang = res.ctx.lang
    plan, charges = paid
    want = charges.groupby("line_id")["biaya_kas"].sum()
    pos = R.budget_lines_view(res).set_index(t("plan.pos.col.line_id", lang))
    lines = _art(run, "budget_lines")
    for line in lines["line_id"].astype(str):
        assert _num(pos.loc[line, t("plan.pos.col.terpakai", lang)]) == pytest.approx(float(want.get(line, 0.0))), line
    # Tabel 4.1, the Pasal 207 plan table: its rows of each line add up to the line's terpakai
    got = _sum_per_line(R.plan_table_unit(res, None), t("plan.col.line", lang), t("plan.col.budget", lang))
    assert got == pytest.approx({k: v for k, v in want.items() if v or k in got})
    # the table by unit and line: the same per line
    bt = R.budget_table_view(res, None).iloc[:-1]
    got_u = bt.assign(_rp=bt.iloc[:, 5].map(_num)).groupby(bt.iloc[:, 1])["_rp"].sum().to_dict()
    assert got_u == pytest.approx({k: v for k, v in want.items() if v or k in got_u})
    # Tabel 3.1, the mandatory block: per line its rows = the "Pelatihan wajib" column of Pos anggaran
    mt = R.mandatory_table_view(res)
    got_w = _sum_per_line(mt, t("plan.wajib_blok.col.line", lang), t("plan.wajib_blok.col.biaya", lang))
    wajib = charges.merge(plan[["pegawai_id", "program_id", "tahap"]].drop_duplicates(["pegawai_id", "program_id"]),
                          on=["pegawai_id", "program_id"])
    want_w = wajib[wajib["tahap"].astype(str) == "wajib"].groupby("line_id")["biaya_kas"].sum()
    for line, v in want_w.items():
        assert got_w.get(line, 0.0) == pytest.approx(v), line
        assert _num(pos.loc[line, t("plan.pos.col.wajib", lang)]) == pytest.approx(v), line
    # every column still adds up to its total: places and JP counted once
    pt = R.plan_table_unit(res, None)
    body = pt.iloc[:-1][pt.iloc[:-1][t("plan.col.code", lang)] != ""]
    assert body[t("plan.col.seats", lang)].map(_num).sum() == len(plan) == _num(pt.iloc[-1][t("plan.col.seats", lang)])
    assert body[t("plan.col.jp_total", lang)].map(_num).sum() == pytest.approx(plan["jp"].sum())
    assert mt.loc[mt[t("plan.wajib_blok.col.line", lang)].str.contains(":"), t("plan.wajib_blok.col.n_persons", lang)
                  ].map(_num).sum() == 0  # a part row has money, no persons: they are on the main row


def test_every_line_of_a_unit_report_adds_up_to_the_unit_s_charges(res, paid):
    lang = res.ctx.lang
    _, charges = paid
    for unit, mine in charges.groupby("kode_unit"):
        want = {k: v for k, v in mine.groupby("line_id")["biaya_kas"].sum().items()}
        got = _sum_per_line(R.plan_table_unit(res, unit), t("plan.col.line", lang), t("plan.col.budget", lang))
        assert got == pytest.approx(want), unit
        bt = R.budget_table_view(res, unit).iloc[:-1]
        assert dict(zip(bt.iloc[:, 1], bt.iloc[:, 5].map(_num), strict=True)) == pytest.approx(want), unit
        ul = R.unit_lines_view(res, unit)
        assert dict(zip(ul.iloc[:, 0], ul.iloc[:, -1].map(_num), strict=True)) == pytest.approx(want), unit
        words = R.plan_unit_sentences(res, unit)
        for line, v in want.items():
            said = [w for w in words if w.startswith(f"Dibayar dari pos {line}:")]
            assert len(said) == 1 and fmt_rupiah(v, lang) in said[0], (unit, line, said)


def test_split_rows_are_said_under_the_tables(res, paid):
    """A table with a part row says how to read it (places counted once) and names the split
    programmes; without one it says nothing."""
    lang = res.ctx.lang
    _, charges = paid
    note = R.money_.parts_note(R.plan_rows_for_unit(res, None), lang)
    split_lines = charges.groupby(["pegawai_id", "program_id"])["line_id"].nunique()
    if (split_lines > 1).any():
        assert note and "setiap kursi sekali" in note
        assert all(p in note for p in set(split_lines[split_lines > 1].index.get_level_values(1)))
    else:
        assert note is None


def test_a_units_own_line_pays_the_catalogue_s_own_programmes_first(run, res, paid):
    """The RSUD's clinical course (catalogue sumber_dana BLUD) is paid from the RSUD's BLUD line
    before that line buys programmes the catalogue funds from elsewhere: when some of its places
    are paid from another line, the BLUD line could not have bought one more of them (what it has
    left plus what it pays for other programmes is below one place), and the report says why."""
    plan, _ = paid
    kat = pd.read_csv(run.ctx.data_dir / "katalog_program.csv", dtype=str, keep_default_na=False)
    src = dict(zip(kat["program_id"], kat["sumber_dana"].str.strip().str.upper(), strict=True))
    lines = _art(run, "budget_lines")
    scoped = lines["cakupan_unit"].astype("string").fillna("").str.strip() != ""
    open_src = set(lines.loc[~scoped, "sumber_dana"].astype(str).str.strip().str.upper())
    plan = plan[plan["tahap"].astype(str) != "wajib"]  # the mandatory block is funded first, fixed
    checked = 0
    for ln in lines[scoped].itertuples(index=False):
        s = str(ln.sumber_dana).strip().upper()
        if s in open_src:
            continue  # an OPD's own APBD line: APBD programmes are not its own source alone
        on = plan[(plan["line_id"] == ln.line_id) & (plan["biaya_kas"] > 0)]
        own = on[on["program_id"].map(src) == s]
        for pid in set(own["program_id"]):
            away = plan[(plan["program_id"] == pid) & (plan["line_id"] != ln.line_id) & (plan["biaya_kas"] > 0)]
            if not len(away):
                continue
            other_money = float(on.loc[on["program_id"].map(src) != s, "biaya_kas"].sum())
            assert float(ln.remaining) + other_money < float(away["biaya_kas"].max()), (ln.line_id, pid)
            said = R.money_.own_source_sentences(R.plan_rows(res), res.tables["katalog_program"], res.budget_lines,
                                                 R.line_table(res).set_index("line_id")["sisa"], res.ctx.lang)
            assert any(x.startswith(pid) and "lebih dulu" in x for x in said), said
            checked += 1
    if run.ctx.data_dir.name == "contoh":
        assert checked == 1  # PRG-011 on the RSUD's BLUD line
