"""The one family of column checks (:mod:`workbook.core.checks`), tested once on its edge cases.

The rule (module docstring): blank (None, NaN, pd.NA, "" or whitespace only) → missing; a number,
a boolean or text that reads as a number (spaces trimmed) → float; text that is not a number and
±infinity → a DataError located at table, spreadsheet row (header = row 1), column, value and what
was expected. Oracle: the cells written out by hand next to each case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.core.checks import (
    blank_cells,
    in_range,
    numeric,
    parse_numbers,
    raise_first_bad,
    require_columns,
)
from workbook.core.exceptions import DataError

NAN = np.nan

# (cells, what numeric() returns) — every case ends in a number so a blank is never the only cell
READ = {
    "None": ([None, 1], [NAN, 1.0]),
    "NaN": ([NAN, 1.0], [NAN, 1.0]),
    "pd.NA": ([pd.NA, "1"], [NAN, 1.0]),
    "empty": (["", "1"], [NAN, 1.0]),
    "spaces": (["  ", "1"], [NAN, 1.0]),
    "tab and newline": (["\t\n", "1"], [NAN, 1.0]),
    "padded number": ([" 3 ", "1"], [3.0, 1.0]),
    "text numbers": (["1e3", "-2.5"], [1000.0, -2.5]),
    "mixed object": ([1, 2.5, "3"], [1.0, 2.5, 3.0]),
    "bools": ([True, False], [1.0, 0.0]),
    "bools with a blank": ([True, None], [1.0, NAN]),
    "ints": ([1, 2], [1.0, 2.0]),
}


@pytest.mark.parametrize("case", list(READ))
def test_blank_is_missing_and_numbers_are_read(case):
    cells, expected = READ[case]
    out = numeric(pd.Series(cells, dtype="object"), "t", "c")
    assert out.dtype == "float64"
    np.testing.assert_array_equal(out.to_numpy(), np.array(expected, dtype=float))


def test_extension_dtypes_with_missing_values():
    ints = pd.Series(pd.array([1, None, 3], dtype="Int64"))
    np.testing.assert_array_equal(numeric(ints, "t", "c").to_numpy(), [1.0, NAN, 3.0])
    text = pd.Series(pd.array(["1", None, " ", "2 "], dtype="string"))
    np.testing.assert_array_equal(numeric(text, "t", "c").to_numpy(), [1.0, NAN, NAN, 2.0])
    flags = pd.Series(pd.array([True, None], dtype="boolean"))
    np.testing.assert_array_equal(numeric(flags, "t", "c").to_numpy(), [1.0, NAN])
    # a plain bool column is numbers 1/0, as numpy reads it
    bools = numeric(pd.Series([True, False]), "t", "c")
    np.testing.assert_array_equal(bools.to_numpy(), [1.0, 0.0])


def test_index_is_kept():
    s = pd.Series(["1", ""], index=[10, 20])
    assert list(numeric(s, "t", "c").index) == [10, 20]


# (cells, position of the first refused cell, Indonesian and English words of the message)
REFUSED = {
    "word": (["1", "abc"], 1, "bukan angka", "not a number"),
    "decimal comma": (["3,5"], 0, "bukan angka", "not a number"),
    "thousands dots": (["1", "2", "1.500.000"], 2, "bukan angka", "not a number"),
    "inf": ([1.0, np.inf], 1, "tak hingga", "infinite"),
    "-inf": ([-np.inf, 1.0], 0, "tak hingga", "infinite"),
    "text inf": (["1", "inf"], 1, "bukan angka", "not a number"),
    "text -Infinity": (["-Infinity"], 0, "bukan angka", "not a number"),
    "after blanks": ([None, "", " ", "x"], 3, "bukan angka", "not a number"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_text_and_infinity_are_refused_where_they_are(case):
    cells, pos, word_id, word_en = REFUSED[case]
    s = pd.Series(cells)
    with pytest.raises(DataError) as ei:
        numeric(s, "evaluasi_l2", "skor_post")
    e = ei.value
    assert (e.file, e.row, e.column) == ("evaluasi_l2", pos + 2, "skor_post")  # header = row 1
    assert e.value is s.iloc[pos] or e.value == s.iloc[pos]
    assert e.expected == "angka / number"
    assert word_id in e.message_id and word_en in e.message_en
    assert "'evaluasi_l2'" in e.message_id and "'skor_post'" in e.message_en
    # parse_numbers marks the same cell first and reads it as missing
    values, bad = parse_numbers(s)
    assert int(np.flatnonzero(bad)[0]) == pos and np.isnan(values.iloc[pos])


def test_parse_numbers_marks_every_bad_cell_and_no_blank():
    s = pd.Series([None, "", " 2 ", "x", np.inf, "3,5", 4])
    values, bad = parse_numbers(s)
    assert bad.tolist() == [False, False, False, True, True, True, False]
    np.testing.assert_array_equal(values.to_numpy(), [NAN, NAN, 2.0, NAN, NAN, NAN, 4.0])
    ok, none = parse_numbers(pd.Series([1.5, np.nan]))
    assert not none.any() and ok.dtype == "float64"


def test_blank_cells():
    s = pd.Series([None, NAN, pd.NA, "", "  ", "\t", "0", 0, "x", False])
    assert blank_cells(s).tolist() == [True] * 6 + [False] * 4


def test_required_refuses_blank_and_bounds_are_checked():
    with pytest.raises(DataError) as ei:
        numeric(pd.Series(["1", " "]), "anggaran", "pagu", required=True)
    assert ei.value.row == 3 and "kosong" in ei.value.message_id and "blank" in ei.value.message_en
    with pytest.raises(DataError) as ei:
        numeric(pd.Series([5, -1]), "anggaran", "pagu", lo=0)
    e = ei.value
    assert (e.row, e.value, e.expected) == (3, -1.0, "≥ 0")
    assert "di luar rentang ≥ 0" in e.message_id and "outside the range ≥ 0" in e.message_en
    with pytest.raises(DataError) as ei:
        numeric(pd.Series([1, 6]), "t", "level", lo=1, hi=5)
    assert ei.value.expected == "1–5" and ei.value.row == 3
    # blanks pass the bounds; the bounds are inclusive
    out = numeric(pd.Series([None, 1, 5]), "t", "level", lo=1, hi=5)
    np.testing.assert_array_equal(out.to_numpy(), [NAN, 1.0, 5.0])


def test_in_range_with_a_bound_per_row():
    scores = pd.Series([40.0, NAN, 120.0])
    in_range(scores, 0.0, np.array([100.0, 100.0, 150.0]), "evaluasi_l2", "skor_post")
    with pytest.raises(DataError) as ei:
        in_range(scores, 0.0, np.array([100.0, 100.0, 100.0]), "evaluasi_l2", "skor_post")
    e = ei.value
    assert (e.row, e.column, e.expected) == (4, "skor_post", "0–100")
    assert "nilai 120 di luar rentang 0–100" in e.message_id
    assert "value 120 is outside the range 0–100" in e.message_en
    with pytest.raises(DataError) as ei:
        in_range(pd.Series([1.0, 9.0]), -np.inf, 5.0, "t", "c")
    assert ei.value.expected == "≤ 5"


def test_raise_first_bad_locates_the_first_true():
    raise_first_bad(np.array([False, False]), pd.Series(["a", "b"]), "t", "c", "x", "x", "y")
    with pytest.raises(DataError) as ei:
        raise_first_bad(np.array([False, True, True]), pd.Series(["a", "b", "c"]), "t", "c",
                        "tanggal tidak dapat dibaca", "unreadable date", "YYYY-MM-DD")
    e = ei.value
    assert (e.row, e.value, e.expected) == (3, "b", "YYYY-MM-DD")
    assert e.message_en == "Table 't', column 'c': unreadable date ('b')."


def test_require_columns():
    df = pd.DataFrame({"a": [1], "b": [2]})
    assert require_columns(df, ["a"], "t") is df
    with pytest.raises(DataError) as ei:
        require_columns(df, ["a", "z", "y"], "tabel")
    assert ei.value.column == "z" and "z, y" in ei.value.message_en and ei.value.file == "tabel"
    with pytest.raises(DataError) as ei:
        require_columns([1, 2], ["a"], "tabel")
    assert "DataFrame" in ei.value.message_en and "list" in ei.value.message_en
