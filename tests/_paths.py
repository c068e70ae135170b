"""The repository's paths and agency B's parameters, shared by the tests (``from _paths import ROOT``)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data_samples" / "contoh"

#: the parameters of agency B (issue #17): several budget lines, new CPNS without Latsar, 9 units
AGENCY_B = {"n_employees": 600, "seed": 11, "units": 9, "budget_lines": "central,opd,blud", "cpns_baru": 12}
