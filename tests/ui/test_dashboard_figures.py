"""The plan-and-budget dashboard shows one figure for persons, seats, JP and money: the per-person plan's.

The dashboard's content is built as the Voilà page builds it (:func:`load_dashboard_data`, then
:func:`plan_content` for the whole agency and for every unit), on the shared sample run and on
agency B (several budget lines, new CPNS). Every headline, the budget chart and the programme
table are compared with a recount from the per-person assignments artefact
(``restricted/02_plan/assignments``), taking only the rows that will happen (not the
"belum terdanai" mandatory rows, which are APBD-P proposals).

What is recounted:

* seats ("Peserta dalam rencana"): the number of assignment rows;
* money ("Anggaran terpakai", the budget chart, the table's budget): Σ ``biaya_kas`` (what the
  budget lines pay);
* programmes ("Program didanai"): the distinct programmes with at least one seat;
* persons and JP ("PNS mencapai 20 JP"): PNS of the unit (``pegawai``) whose planned JP sum reaches
  the setting ``jp.minimum_pns``, out of all PNS of the unit.
"""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.core import artefacts
from workbook.core.i18n import fmt_int, fmt_rupiah, t
from workbook.ui import dashboard_content as dash_content
from workbook.ui import dashboard_data as dash_data

LANG = "en"


def _restricted(run, stage: str, name: str) -> pd.DataFrame:
    return pd.read_parquet(artefacts.artefact_path(run.out, run.ctx.year, stage, name, "restricted"))


@pytest.fixture(scope="module", params=["sample_run", "agency_b_run"])
def case(request):
    """(run, dashboard data, planned rows, pegawai) for the sample and for agency B."""
    run = request.getfixturevalue(request.param)
    dash_data.clear_cache()
    data = dash_data.load_dashboard_data(run.out, run.ctx.year, run.ctx.settings)
    a = _restricted(run, "02_plan", "assignments")
    planned = a[a["terdanai"].astype(bool)] if "terdanai" in a else a
    assert len(planned) > 0, "the plan places nobody: nothing to compare"
    peg = _restricted(run, "00_data_check", "pegawai")[["pegawai_id", "kode_unit", "status"]]
    return run, data, planned.reset_index(drop=True), peg


def _headlines(content) -> dict[str, object]:
    return {h.label: h for h in content.headlines}


def _scopes(data) -> list[str | None]:
    return [None, *data.unit_codes()]


def test_seats_money_and_programmes_equal_the_per_person_plan(case):
    run, data, planned, _ = case
    checked = 0
    for unit in _scopes(data):
        rows = planned if unit is None else planned[planned["kode_unit"] == unit]
        heads = _headlines(dash_content.plan_content(data, unit, LANG))
        where = unit or "INSTANSI"
        assert heads[t("ui.h.participants", LANG)].value == fmt_int(len(rows), LANG), where
        assert heads[t("ui.h.budget", LANG)].value == fmt_rupiah(float(rows["biaya_kas"].sum()), LANG), where
        assert heads[t("ui.h.funded", LANG)].value == fmt_int(rows["program_id"].nunique(), LANG), where
        checked += 1
    assert checked == len(data.unit_codes()) + 1
    # the agency's budget note names the ceiling of every line (Σ pagu of the budget lines)
    pagu = float(pd.to_numeric(data.tables["budget_lines"]["pagu"]).sum())
    note = _headlines(dash_content.plan_content(data, None, LANG))[t("ui.h.budget", LANG)].note
    assert fmt_rupiah(pagu, LANG) in note


def test_pns_reaching_the_minimum_equals_a_recount_per_person(case):
    run, data, planned, peg = case
    minimum = float(run.ctx.settings["jp.minimum_pns"])
    pns = peg[peg["status"].astype(str) == "PNS"]
    jp = planned.groupby("pegawai_id")["jp"].sum()
    reach = pns.assign(jp=pns["pegawai_id"].map(jp).fillna(0.0))
    reach["ok"] = reach["jp"] >= minimum
    hidden = t("ui.hidden_n", LANG, k=data.k)
    shown = 0
    for unit in _scopes(data):
        r = reach if unit is None else reach[reach["kode_unit"] == unit]
        head = _headlines(dash_content.plan_content(data, unit, LANG)).get(t("ui.h.jp", LANG))
        if not len(r):
            continue
        assert head is not None, unit
        if head.value == hidden:  # a unit below the minimum cell size shows no figure
            assert unit is not None and len(r) < data.k or head.note == "", unit
            continue
        expected = t("ui.h.jp.note", LANG, n_reach=fmt_int(int(r["ok"].sum()), LANG), n=fmt_int(len(r), LANG))
        assert head.note == expected, (unit, head.note, expected)
        shown += 1
    assert shown >= 2  # the agency and at least one unit were compared


def test_budget_chart_equals_money_per_unit(case):
    _, data, planned, _ = case
    content = dash_content.plan_content(data, None, LANG)
    chart = next(c for c in content.charts if c.title == t("ui.c.budget_units", LANG))
    shown = chart.data.set_index("label")["value"].astype(float) * 1e6
    money = planned.groupby("kode_unit")["biaya_kas"].sum()
    money = money[money > 0]
    for unit, value in money.items():
        assert shown.get(unit) == pytest.approx(float(value), abs=0.5), unit
    # no unit shows money that the per-person plan does not spend
    assert (shown.drop(index=list(money.index), errors="ignore").fillna(0) == 0).all()


def test_programme_table_rows_equal_seats_and_money_per_programme(case):
    _, data, planned, _ = case
    content = dash_content.plan_content(data, None, LANG)
    table = content.table
    assert len(table) > 0
    names = data.tables["plan_table"].drop_duplicates("program_id").set_index("program_id")["nama_program"]
    per = planned.groupby("program_id").agg(seats=("pegawai_id", "size"), money=("biaya_kas", "sum"),
                                            jp=("jp", "first"))
    by_name = {names.get(p, p): r for p, r in per.iterrows()}
    col = {c: t(f"ui.col.{c}", LANG) for c in ("programme", "seats", "budget", "jp")}
    for _, row in table.iterrows():
        rec = by_name[row[col["programme"]]]
        assert row[col["seats"]] == fmt_int(rec["seats"], LANG), row[col["programme"]]
        assert row[col["budget"]] == fmt_rupiah(float(rec["money"]), LANG), row[col["programme"]]
        assert row[col["jp"]] == fmt_int(rec["jp"], LANG), row[col["programme"]]
    # the table shows the programmes that cost the most (up to 12)
    top = per.sort_values("money", ascending=False)["money"].head(len(table))
    assert sorted(fmt_rupiah(float(v), LANG) for v in top) == sorted(table[col["budget"]])
