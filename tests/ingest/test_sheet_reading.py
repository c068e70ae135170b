"""A sheet openpyxl cannot read is one located, bilingual DataError, the same for the header
sample (``xlsx_sample``) and the full read (``read_xlsx_raw``), both through ``raw._sheet_reading``."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from workbook.core.exceptions import DataError
from workbook.core.schema import TABLES
from workbook.core.settings import load_settings
from workbook.ingest import raw

S = load_settings()
TABLE = TABLES["pegawai"]


@pytest.fixture
def good(tmp_path):
    p = tmp_path / "pegawai.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "pegawai"
    ws.append(["a", "b"])
    ws.append([1, 2])
    ws["A3"] = "m"
    ws.merge_cells("A3:B3")
    wb.save(p)
    return p


def test_a_readable_sheet_is_read_with_merged_cells_filled(good):
    assert raw.read_xlsx_raw(good, "pegawai.xlsx", TABLE, S) == [(1, ["a", "b"]), (2, [1, 2]), (3, ["m", "m"])]
    assert raw.xlsx_sample(good, "pegawai.xlsx", [TABLE], S, 2) == {"pegawai": [(1, ["a", "b"]), (2, [1, 2])]}


def test_a_broken_sheet_is_a_located_data_error_in_both_readers(good, tmp_path):
    bad = tmp_path / "rusak.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]  # the sheet's XML cut in the middle
            zout.writestr(item, data)
    for read in (lambda: raw.read_xlsx_raw(bad, "rusak.xlsx", TABLE, S),
                 lambda: raw.xlsx_sample(bad, "rusak.xlsx", [TABLE], S, 5)):
        with pytest.raises(DataError) as info:
            read()
        text = str(info.value)
        assert "rusak.xlsx: lembar kerja tidak dapat dibaca" in text
        assert "rusak.xlsx: worksheet cannot be read" in text
