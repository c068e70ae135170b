"""The data-check overview's 20-JP share counts the PNS only: CPNS are reported apart in the needs
chapter (pooled, a unit's hidden CPNS came back by subtraction from its PNS row), PPPK are not
owed 20 JP."""

from __future__ import annotations

import math

import pandas as pd

from workbook.core.settings import load_settings
from workbook.ingest.stage import overview_units


def test_twenty_jp_share_counts_pns_only():
    # one unit of 10: 6 PNS (3 reach 20 JP), 2 CPNS (1 reaches), 2 PPPK (both at 20 JP, not owed 20 JP)
    status = ["PNS"] * 6 + ["CPNS"] * 2 + ["PPPK"] * 2
    peg = pd.DataFrame({"pegawai_id": [f"P{i}" for i in range(10)], "kode_unit": "U1", "nama_unit": "Unit 1",
                        "status": status})
    jp = [20, 25, 30, 0, 5, 10, 20, 0, 20, 24]
    real = pd.DataFrame({"pegawai_id": peg["pegawai_id"], "jp": jp})
    raw = overview_units({"pegawai": peg, "realisasi_pengembangan": real}, settings=load_settings())
    row = raw.iloc[0]
    assert row["headcount_raw"] == 10
    assert row["n_jp_target_raw"] == 6 and row["n_reached_raw"] == 3
    # mean over the 6 PNS only: (20 + 25 + 30 + 0 + 5 + 10) / 6 = 15
    assert row["mean_jp"] == 15.0 and row["share_reached"] == 0.5
    # 6 PNS is a cross-tab cell under k_distribution = 8: the count (and those reaching 20 JP) hidden
    assert math.isnan(row["n_jp_target"]) and math.isnan(row["n_reached"])
