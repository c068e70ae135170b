"""Two consecutive plan years of the same sample agency: the follow-up of year Y−1 feeds Y.

The run of Y evaluates the programmes of Y−1 before its needs stage (``workbook.pipeline``) and
leaves a carry-over file of open needs; the same run's stage 01 puts those needs first in the
inventory, and stage 02 plans programmes for them. The evaluation reads the gaps of the run for
Y−1 (the needs its programmes were planned on).
"""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.core.context import open_context
from workbook.evaluation.stage import carry_over_path
from workbook.pipeline import run_evaluation, run_needs, run_plan
from workbook.sample import write_agency

pytestmark = pytest.mark.slow

Y = 2027


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    root = tmp_path_factory.mktemp("agency")
    write_agency(root, 300, seed=11, plan_year=Y, years=2)
    out = tmp_path_factory.mktemp("out")
    results = {}
    for year in (Y - 1, Y):
        ctx = open_context(data_dir=str(root / str(year)), output_dir=str(out), interactive=False)
        assert ctx.year == year
        ev = run_evaluation(ctx)
        needs = run_needs(ctx)
        plan = run_plan(ctx)
        results[year] = (ctx, needs, plan, ev)
    return results


def test_first_year_leaves_a_carry_over_file(two_years):
    ctx, _, _, ev = two_years[Y - 1]
    path = carry_over_path(ctx, Y - 1)
    assert path.is_file()
    carry = pd.read_parquet(path)
    assert len(carry) == len(ev.carry_over) > 0 and (carry["source_year"] == Y - 1).all()


def test_second_year_puts_carried_needs_first_and_plans_for_them(two_years):
    ctx, needs, plan, ev = two_years[Y]
    inv = needs.inventory
    assert inv["carried_over"].any()
    # carried needs come first within each employee (priority 1 … k before new needs)
    for _, g in inv[inv["pegawai_id"].isin(inv.loc[inv["carried_over"], "pegawai_id"])].groupby("pegawai_id"):
        g = g.sort_values("priority")
        flags = g["carried_over"].tolist()
        assert flags == sorted(flags, reverse=True)
    # the carried needs are this run's follow-up of Y−1 (the evaluation ran before the needs)
    carried = pd.read_parquet(carry_over_path(ctx, Y))
    assert set(inv.loc[inv["carried_over"], "pegawai_id"]) <= set(carried["pegawai_id"])
    # the plan for Y places people on programmes for needs carried over from Y−1
    keys = set(zip(inv.loc[inv["carried_over"], "pegawai_id"], inv.loc[inv["carried_over"], "kode_kompetensi"],
                   strict=True))
    idp = plan.idp
    planned = set(zip(idp["pegawai_id"], idp["kode_kompetensi"], strict=True))
    assert len(keys & planned) > 0
    # with a run for Y−1 on disk, "competency still below standard" is judged on Y−1's gaps
    assert carried["reason"].str.contains("kesenjangan_tersisa").any()


def test_evaluation_compares_with_last_year(two_years):
    _, _, _, ev = two_years[Y]
    comp = ev.comparison
    assert len(comp) > 0 and {"current", "previous", "change"} <= set(comp.columns)
    assert comp["in_previous"].any()
