"""JP realisation against the 20-JP right (moved from the needs tests with the function)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from workbook.core.exceptions import DataError
from workbook.core.intervals import wilson_interval
from workbook.core.settings import load_settings
from workbook.evaluation import realisation as nd


@pytest.fixture
def settings():
    return load_settings()


def test_jp_realisation_pns_pppk_cpns(settings):
    peg = pd.DataFrame({
        "pegawai_id": ["pns", "pppk", "cpns", "pns2", "pppk2"],
        "kode_unit": ["U", "U", "U", "V", "V"],
        "status": ["PNS", "PPPK", "CPNS", "PNS", "PPPK"],
    })
    real = pd.DataFrame({
        "pegawai_id": ["pns", "pns", "pppk", "pns2", "pppk2"],
        "jp": [12, 10, 30, 19.5, 20],
        "tanggal_mulai": ["2025-03-01", "2025-09-01", "2025-05-01", "2025-06-01", "2024-12-01"],
    })
    out = nd.jp_realisation(real, peg, settings=settings).set_index("pegawai_id")
    # pns: 12 + 10 = 22 ≥ 20 → reached
    assert out.loc["pns", "jp_total"] == 22 and out.loc["pns", "reached"]
    # pppk: target min(20, 24) = 20, cap 24; 30 JP reached and above the cap
    assert out.loc["pppk", "jp_target"] == 20 and out.loc["pppk", "jp_cap"] == 24
    assert out.loc["pppk", "reached"] and out.loc["pppk", "over_cap"]
    # cpns: no record → 0 JP, shortfall 20
    assert out.loc["cpns", "jp_total"] == 0 and not out.loc["cpns", "reached"]
    assert out.loc["cpns", "shortfall_jp"] == 20 and math.isnan(out.loc["cpns", "jp_cap"])
    # pns2: 19.5 → shortfall 0.5
    assert out.loc["pns2", "shortfall_jp"] == pytest.approx(0.5)
    # year filter: pppk2's activity was in 2024 → 0 JP in 2025
    y = nd.jp_realisation(real, peg, year=2025, settings=settings).set_index("pegawai_id")
    assert y.loc["pppk2", "jp_total"] == 0 and y.loc["pns", "jp_total"] == 22
    # a different minimum from settings
    s24 = load_settings(jp__minimum_pns=24)
    o24 = nd.jp_realisation(real, peg, settings=s24).set_index("pegawai_id")
    assert not o24.loc["pns", "reached"] and o24.loc["pppk", "jp_target"] == 24
    by = nd.jp_realisation_by_unit(out.reset_index(), settings=settings).set_index("kode_unit")
    # U: pns, pppk reached, cpns not → 2/3 ; V: pppk2 reached (20), pns2 not → 1/2
    assert by.loc["U", "n"] == 3 and by.loc["U", "share_reached"] == pytest.approx(2 / 3)
    lo, hi = wilson_interval(2, 3)
    assert by.loc["U", "ci_low"] == pytest.approx(float(lo))
    assert by.loc["V", "share_reached"] == 0.5
    with pytest.raises(DataError):
        nd.jp_realisation(real.assign(jp=[12, None, 30, 19.5, 20]), peg, settings=settings)
    with pytest.raises(DataError) as e:
        nd.jp_realisation(real, peg.assign(status="Honorer"), settings=settings)
    assert "tidak diizinkan" in e.value.message_id and "not allowed" in e.value.message_en
