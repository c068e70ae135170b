"""The plan chapters read true and plain (issue #17, planner review 1): chapters III and IV of the
agency and of every unit report, built as the report builds them, on the sample agency and on
agency B — no settings key or internal document name in the body, the mandatory trainings first
(a block headed "Pelatihan wajib") in the selection table and the plan table, a unit's 20-JP
sentences print the unit's own row of the coverage artefact, why its PNS stay below 20 JP from
``below_minimum`` (counts under k said as "kurang dari k"), and the lines that pay for its staff."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import workbook.plan.report_words as rw
from workbook.core import artefacts
from workbook.core.i18n import fmt_int, fmt_percent, fmt_rupiah, t
from workbook.core.suppression import k_for
from workbook.plan import report as R
from workbook.plan import report_jp as J
from workbook.plan import tables as tables_
from workbook.present.document import ChapterKit

#: a settings key written as an assignment ("jp.cpns_to_pns = full") or an internal brief
LEAK = re.compile(r"\b[a-z_]+\.[a-z_0-9]+ ?= |DOMAIN-PLAN")


def _read(run, name: str, cls: str = "aggregate") -> pd.DataFrame:
    return artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", name, cls)


def _units(run) -> list[str]:
    a = _read(run, "assignments", "restricted")
    return sorted(a.loc[a["terdanai"].astype(bool), "kode_unit"].astype(str).unique())


def _body(res, unit: str | None) -> str:
    """The text of chapters III and IV as the document prints it (figures left out)."""
    outline = [("programmes", "bab3", "BAB III", "III", "3"), ("implementation", "bab4", "BAB IV", "IV", "4")]
    kit = ChapterKit(outline, lang=res.ctx.lang, hidden="disembunyikan", no_figure="-", figure_key="t")
    kit.png = lambda make, name=None: None  # figures are pictures: not read here
    parts = []
    for ch in R.chapter(res, unit, kit):
        for sec in ch.sections:
            parts.append(sec.title)
            for b in sec.blocks:
                parts += [b.caption, str(b.content or "")]
    return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(parts)))


def test_no_settings_key_or_internal_brief_in_the_body(run, res):
    keys = [r["key"] for r in res.ctx.settings.table()]
    for unit in [None, *_units(run)]:
        body = _body(res, unit)
        assert not LEAK.search(body), (unit, LEAK.search(body))
        found = [k for k in keys if re.search(rf"(?<![\w.]){re.escape(k)}(?![\w])", body)]
        assert not found, (unit, found)
        assert "empat langkah" not in body  # the steps listed are three


def _block(tab: pd.DataFrame, label_col: int, is_wajib) -> None:
    """The first row heads the mandatory block, its rows are all mandatory, none comes later."""
    labels = list(tab.iloc[:, label_col])
    assert labels[0] == "Pelatihan wajib"
    other = labels.index("Program lain") if "Program lain" in labels else len(labels)
    rows = tab.iloc[1:other]
    assert len(rows) and all(is_wajib(r) for _, r in rows.iterrows())
    assert not any(is_wajib(r) for _, r in tab.iloc[other + 1:].iterrows())


def test_mandatory_rows_first_in_the_selection_and_plan_tables(run, res):
    a = _read(run, "assignments", "restricted")
    a = a[a["terdanai"].astype(bool)]
    wajib_progs = set(a.loc[a["tahap"].astype(str) == "wajib", "program_id"].astype(str))
    assert wajib_progs
    # Tabel 3.3: a programme with mandatory places is in the first block (an estimate shown as "—")
    ex = R.explanations_table(res)
    _block(ex, 1, lambda r: _num(r[t("plan.col.wajib_seats", "id")]) > 0)
    assert set(ex.iloc[1:1 + len(wajib_progs), 0]) == set(rw.code_cells(pd.Series(sorted(wajib_progs))))
    # Tabel 4.1, agency and units: the rows marked "Wajib:" first
    for unit in [None, *_units(run)]:
        tab = R.plan_table_unit(res, unit)
        mine = a if unit is None else a[a["kode_unit"].astype(str) == unit]
        if (mine["tahap"].astype(str) == "wajib").any():
            _block(tab.iloc[:-1], 1, lambda r: str(r[t("plan.col.programme", "id")]).startswith("Wajib:"))
        else:
            assert "Pelatihan wajib" not in set(tab.iloc[:, 1])
        assert tab.iloc[-1, 0] == t("plan.col.total", "id")


def _num(cell: str) -> float:
    s = re.sub(r"[^0-9,\-]", "", str(cell)).replace(",", ".")
    return float(s) if s not in ("", "-") else 0.0


def test_unit_20_jp_sentences_print_the_unit_s_own_row(run, res):
    owed = _read(run, "jp_owed_coverage").set_index("kode_unit")
    forms = _read(run, "jp_by_form").set_index("kode_unit")
    checked = 0
    for unit in _units(run):
        txt = J._texts(res, unit)
        o = owed.loc[unit] if unit in owed.index else None
        need = ["owed", "owed_reaching", "share_reaching", "cpns_jadi_pns", "cpns_jadi_pns_zero"]
        if o is None or bool(o.get("suppressed", False)) or o[need].isna().any():
            # suppressed (e.g. KESBANGPOL): the sentence prints the agency's figures and says so
            assert "seluruh instansi" in txt["owed"], unit
            continue
        assert f"{fmt_int(o['owed_reaching'])} dari {fmt_int(o['owed'])} pegawai" in txt["owed"], unit
        assert "untuk pegawai unit ini" in txt["owed"], unit
        f = forms.loc[unit]
        if pd.isna(f["share_klasikal"]):  # the unit's JP by form is suppressed: the agency's, said so
            assert "seluruh instansi" in txt["forms"], unit
        else:
            assert f"klasikal {fmt_percent(f['share_klasikal'])}" in txt["forms"], unit
        ag = owed.loc["INSTANSI"]
        if ag["owed"] != o["owed"]:
            assert f"dari {fmt_int(ag['owed'])} pegawai" not in txt["owed"], unit
        checked += 1
    assert checked


def test_why_below_20_jp_from_the_unit_s_own_people(run, res):
    below = _read(run, "below_minimum", "restricted").drop_duplicates("pegawai_id")
    k = k_for("count", res.ctx.settings)
    for unit in [None, *_units(run)]:
        mine = below if unit is None else below[below["kode_unit"].astype(str) == unit]
        words = R.below_sentences(res, unit)
        if not len(mine):
            assert words == [], unit
            continue
        assert words[0].startswith(f"{fmt_int(len(mine))} pegawai"), unit
        away = mine["unavailable_reason"].astype(str)
        away = away[(away != "") & mine["reason"].astype(str).str.contains("unavailable")]
        if len(away):
            assert any("tidak tersedia pada tahun rencana" in w for w in words), unit
        if (away == "tugas_belajar").any():
            assert any("tugas belajar" in w and "dikecualikan" in w for w in words), unit
        for c, n in away.value_counts().items():  # a small count is never printed
            if 0 < n < k and len(away.value_counts()) > 1 and len(mine) >= k:
                assert any(f"({t('plan.words.fewer_than', 'id', k=k)})" in w for w in words), (unit, c)
        if len(mine) < k:  # the total is printed; its parts are named without counts ("kurang dari k" says nothing)
            assert not any(t("plan.words.fewer_than", "id", k=k) in w for w in words), (unit, words)
        assert not any(re.search(rf"\({n}\)", w) for w in words for n in range(1, k)), unit


def test_unit_report_shows_the_lines_that_pay_for_its_staff(run, res):
    a = _read(run, "assignments", "restricted")
    a = a[a["terdanai"].astype(bool)]
    lines = R.line_table(res).set_index("line_id")
    for unit in _units(run):
        mine = a[a["kode_unit"].astype(str) == unit]
        moved = tables_.component_correction(mine, res.components)  # split mandatory seats, payers' lines
        tab = R.unit_lines_view(res, unit).set_index(t("plan.pos.col.line_id", "id"))
        assert set(tab.index) == set(mine["line_id"].astype(str)), unit
        for line, r in tab.iterrows():
            assert r[t("plan.pos.col.pagu", "id")] == fmt_rupiah(lines.at[line, "pagu"])
            assert r[t("plan.pos.col.sisa", "id")] == fmt_rupiah(lines.at[line, "sisa"])
            assert _num(r[t("plan.words.col.used_unit", "id")]) == pytest.approx(
                mine.loc[mine["line_id"].astype(str) == line, "biaya_kas"].sum() + float(moved.get(line, 0.0)))
        split = mine.groupby("program_id")["line_id"].nunique()
        rule = R.split_rule(res, unit)
        if (split > 1).any():
            assert rule and all(p in rule for p in split[split > 1].index), unit
        else:
            assert rule is None, unit
