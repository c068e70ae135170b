"""Manager dashboards (Voilà): needs, plan and budget, evaluation, follow-up — aggregate only.

Layers, as everywhere in ``workbook.ui``:

- **data** — :func:`load_bundle` reads one plan year's stage artefacts once per kernel process
  (cached by output folder, year and the artefacts' modification times) and derives small
  per-unit tables from the pseudonymous stage outputs (share of staff below standard, follow-up
  counts…), suppressed with :func:`workbook.core.suppression.suppress_table`. Nothing person-level
  leaves this step; a filter change never reloads or recomputes a stage.
- **state and content** — :class:`DashboardState` (kind, year, unit, language) and pure
  functions turning a bundle and a state into :class:`Content`: headline figures, chart data,
  one small table (formatted, hidden cells written "disembunyikan (n < 5)").
- **view** — :class:`DashboardApp` builds ipywidgets from the content; callbacks are one line.

Notebooks in ``notebooks/dashboards/`` call :func:`open_dashboard` and then
``app.apply_query(query_string())``: under Voilà's preheated kernels everything up to the query
runs before the request, so a viewer only waits for the unit/language of the URL to be applied.
"""

from __future__ import annotations

import html
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote

import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import display

from workbook.core import artefacts
from workbook.core.exceptions import WorkbookError
from workbook.core.i18n import fmt_int, fmt_number, fmt_percent, fmt_rupiah
from workbook.core.suppression import suppress_table
from workbook.present.format import format_table
from workbook.ui.download import file_download

__all__ = [
    "DASHBOARDS", "MESSAGES", "tr", "DashboardState", "Headline", "ChartData", "Content", "Bundle",
    "load_bundle", "clear_cache", "available_years", "parse_query", "query_string", "wait_for_voila_request",
    "content_for",
    "needs_content", "plan_content", "evaluation_content", "followup_content", "bar_svg", "months_text",
    "DashboardApp", "open_dashboard", "landing", "missing_stages", "STAGE_FILES", "CHAPTERS",
]

log = logging.getLogger("workbook.ui")

#: dashboard id → (stage it reads, XLSX file, HTML chapter)
DASHBOARDS: dict[str, tuple[str, str, str]] = {
    "kebutuhan": ("01_needs", "needs.xlsx", "01_needs_analysis"),
    "rencana": ("02_plan", "plan.xlsx", "02_programme_plan"),
    "evaluasi": ("03_evaluation", "evaluation.xlsx", "03_evaluation"),
    "tindak_lanjut": ("03_evaluation", "evaluation.xlsx", "03_evaluation"),
}
#: one artefact whose presence shows that a stage has run
STAGE_FILES = {"00_data_check": "overview_units", "01_needs": "unit_competency", "02_plan": "plan_table",
               "03_evaluation": "level2"}
CHAPTERS = {d: v[2] for d, v in DASHBOARDS.items()}

# Messages of the dashboards (Indonesian first). Kept here until merged into i18n/messages.yaml.
MESSAGES: dict[str, dict[str, str]] = {
    "title.index": {"id": "Dasbor Pembinaan ASN", "en": "Civil Servant Development Dashboards"},
    "title.kebutuhan": {"id": "Kebutuhan pengembangan kompetensi", "en": "Competency development needs"},
    "title.rencana": {"id": "Rencana program dan anggaran", "en": "Programme plan and budget"},
    "title.evaluasi": {"id": "Evaluasi program", "en": "Programme evaluation"},
    "title.tindak_lanjut": {"id": "Tindak lanjut", "en": "Follow-up"},
    "desc.kebutuhan": {"id": "Berapa pegawai di bawah standar kompetensi dan kinerja, dan kompetensi mana yang paling dibutuhkan.",
                       "en": "How many staff are below the competency and performance standards, and which competencies are most needed."},
    "desc.rencana": {"id": "Program yang didanai, pemakaian anggaran dan cakupan hak 20 JP per unit.",
                     "en": "Funded programmes, budget use and coverage of the 20-JP right per unit."},
    "desc.evaluasi": {"id": "Kepuasan peserta, peningkatan hasil belajar dan indikator kinerja unit.",
                      "en": "Participant satisfaction, learning gains and unit performance indicators."},
    "desc.tindak_lanjut": {"id": "Jumlah pegawai yang perlu tindak lanjut per unit dan alasannya (tanpa nama).",
                           "en": "Number of staff needing follow-up per unit and why (no names)."},
    "back": {"id": "← Semua dasbor", "en": "← All dashboards"},
    "open": {"id": "Buka", "en": "Open"},
    "year": {"id": "Tahun rencana", "en": "Plan year"},
    "unit": {"id": "Unit kerja", "en": "Work unit"},
    "all_units": {"id": "Seluruh instansi", "en": "Whole agency"},
    "language": {"id": "Bahasa", "en": "Language"},
    "link_unit": {"id": "Tautan untuk unit", "en": "Links for unit"},
    "link_hint": {"id": "Pilih unit kerja agar tautan di bawah langsung membuka dasbor unit itu (dapat dikirim ke kepala OPD).",
                  "en": "Pick a work unit so that the links below open that unit's dashboard (they can be sent to a head of unit)."},
    "downloads": {"id": "Unduhan", "en": "Downloads"},
    "dl.xlsx.kebutuhan": {"id": "Analisis kebutuhan (XLSX)", "en": "Needs analysis (XLSX)"},
    "dl.xlsx.rencana": {"id": "Rencana pengembangan (XLSX)", "en": "Development plan (XLSX)"},
    "dl.xlsx.evaluasi": {"id": "Evaluasi (XLSX)", "en": "Evaluation (XLSX)"},
    "dl.xlsx.tindak_lanjut": {"id": "Evaluasi dan tindak lanjut (XLSX)", "en": "Evaluation and follow-up (XLSX)"},
    "dl.html": {"id": "Bab laporan (HTML)", "en": "Report chapter (HTML)"},
    "run_report": {"id": "Jalankan: make report", "en": "Run: make report"},
    "suppression_note": {"id": "Hanya angka agregat. Kelompok dengan kurang dari {k} orang disembunyikan, ditulis \"disembunyikan (n < {k})\".",
                         "en": "Aggregate figures only. Groups of fewer than {k} people are hidden, shown as \"suppressed (n < {k})\"."},
    "hidden": {"id": "disembunyikan", "en": "suppressed"},
    "hidden_n": {"id": "disembunyikan (n < {k})", "en": "suppressed (n < {k})"},
    "unknown_unit": {"id": "Unit \"{unit}\" dari tautan tidak dikenal; yang ditampilkan seluruh instansi.",
                     "en": "Unit \"{unit}\" from the link is not known; showing the whole agency."},
    "missing_stage": {"id": "Hasil tahap {stage} untuk tahun {year} belum ada di {path}. Jalankan: make report (atau: workbook report --year {year}).",
                      "en": "The {stage} results for {year} are not in {path} yet. Run: make report (or: workbook report --year {year})."},
    "no_years": {"id": "Belum ada hasil tahap di {path}. Jalankan: make report, lalu muat ulang halaman ini.",
                 "en": "No stage results in {path} yet. Run: make report, then reload this page."},
    "error": {"id": "Terjadi kesalahan yang tidak terduga. Detail ada di log server.",
              "en": "An unexpected error occurred. Details are in the server log."},
    "ready": {"id": "siap", "en": "ready"},
    "not_ready": {"id": "belum ada hasil — jalankan make report", "en": "no results yet — run make report"},
    "of": {"id": "dari", "en": "of"},
    # needs
    "h.staff_below": {"id": "Pegawai di bawah standar kompetensi", "en": "Staff below the competency standard"},
    "h.staff_below.note": {"id": "{n_below} dari {n} pegawai yang dinilai; minimal satu kompetensi", "en": "{n_below} of {n} assessed staff; at least one competency"},
    "h.perf_below": {"id": "Di bawah target kinerja (SKP)", "en": "Below the performance target (SKP)"},
    "h.perf_below.note": {"id": "{n_below} dari {n} pegawai", "en": "{n_below} of {n} staff"},
    "h.response": {"id": "Tingkat respons survei", "en": "Survey response rate"},
    "h.response.note": {"id": "{n} dari {total} pegawai mengisi", "en": "{n} of {total} staff answered"},
    "h.top_need": {"id": "Kebutuhan terbesar", "en": "Largest need"},
    "h.top_need.note": {"id": "{share} pegawai di bawah standar", "en": "{share} of staff below standard"},
    "c.comp": {"id": "Pegawai di bawah standar per kompetensi (10 terbesar)", "en": "Staff below standard by competency (top 10)"},
    "c.units_below": {"id": "Pegawai di bawah standar kompetensi, per unit", "en": "Staff below the competency standard, by unit"},
    "x.share_staff": {"id": "% pegawai", "en": "% of staff"},
    "t.needs": {"id": "Kompetensi yang paling dibutuhkan", "en": "Most needed competencies"},
    "col.competency": {"id": "Kompetensi", "en": "Competency"},
    "col.assessed": {"id": "Pegawai dinilai", "en": "Staff assessed"},
    "col.below": {"id": "Di bawah standar", "en": "Below standard"},
    "col.share_below": {"id": "% di bawah standar", "en": "% below standard"},
    "col.mean_gap": {"id": "Rata-rata kesenjangan", "en": "Mean gap"},
    # plan
    "h.jp": {"id": "PNS mencapai 20 JP (rencana)", "en": "Civil servants reaching 20 JP (plan)"},
    "h.jp.note": {"id": "{n_reach} dari {n} PNS", "en": "{n_reach} of {n} civil servants"},
    "h.budget": {"id": "Anggaran terpakai", "en": "Budget used"},
    "h.budget.note": {"id": "{share} dari pagu {pagu}", "en": "{share} of the ceiling {pagu}"},
    "h.budget_unit.note": {"id": "{share} dari anggaran terpakai instansi", "en": "{share} of the agency's budget used"},
    "h.funded": {"id": "Program didanai", "en": "Programmes funded"},
    "h.funded.note": {"id": "dari {n} program kandidat", "en": "of {n} candidate programmes"},
    "h.funded_unit.note": {"id": "program dengan peserta dari unit ini", "en": "programmes with participants from this unit"},
    "h.participants": {"id": "Peserta dalam rencana", "en": "Participants in the plan"},
    "h.participants.note": {"id": "penempatan pegawai ke program", "en": "staff placements in programmes"},
    "c.jp_units": {"id": "PNS yang mencapai 20 JP dalam rencana, per unit", "en": "Civil servants reaching 20 JP in the plan, by unit"},
    "c.budget_units": {"id": "Anggaran per unit (juta Rp)", "en": "Budget by unit (IDR million)"},
    "x.share_pns": {"id": "% PNS", "en": "% of civil servants"},
    "x.million": {"id": "juta Rp", "en": "IDR million"},
    "t.plan": {"id": "Program dalam rencana", "en": "Programmes in the plan"},
    "col.programme": {"id": "Program", "en": "Programme"},
    "col.route": {"id": "Jalur", "en": "Route"},
    "col.jp": {"id": "JP", "en": "JP"},
    "col.target": {"id": "Sasaran (PNS)", "en": "Target (civil servants)"},
    "col.budget": {"id": "Anggaran", "en": "Budget"},
    "col.schedule": {"id": "Bulan", "en": "Month"},
    "route.klasikal": {"id": "klasikal", "en": "classroom"},
    "route.nonklasikal": {"id": "nonklasikal", "en": "non-classroom"},
    # evaluation
    "h.evaluated": {"id": "Program dievaluasi (L2)", "en": "Programmes evaluated (L2)"},
    "h.evaluated.note": {"id": "{hidden} program lain disembunyikan (n < {k})", "en": "{hidden} more programmes suppressed (n < {k})"},
    "h.evaluated_unit.note": {"id": "yang diikuti pegawai unit ini", "en": "attended by this unit's staff"},
    "h.gain": {"id": "Peningkatan signifikan dan bermakna", "en": "Significant and meaningful gain"},
    "h.gain.note": {"id": "program, {of} {n} yang dievaluasi", "en": "programmes, {of} {n} evaluated"},
    "h.l1": {"id": "Kepuasan peserta (L1)", "en": "Participant satisfaction (L1)"},
    "h.l1.note": {"id": "rata-rata skor terhadap skor maksimum", "en": "mean score against the maximum"},
    "h.l4": {"id": "Indikator unit membaik (L4)", "en": "Unit indicators improving (L4)"},
    "h.l4.note": {"id": "{n} dari {total} indikator; deskriptif, bukan dampak pelatihan", "en": "{n} of {total} indicators; descriptive, not a training effect"},
    "c.gain": {"id": "Kenaikan skor tes (N-Gain, %) per program", "en": "Test score gain (N-Gain, %) by programme"},
    "c.l1": {"id": "Kepuasan peserta per program (% skor maksimum)", "en": "Participant satisfaction by programme (% of maximum)"},
    "legend.both": {"id": "signifikan dan bermakna", "en": "significant and meaningful"},
    "legend.meaningful": {"id": "bermakna saja", "en": "meaningful only"},
    "legend.none": {"id": "belum terbukti", "en": "not established"},
    "t.evaluation": {"id": "Hasil belajar per program (seluruh peserta)", "en": "Learning results by programme (all participants)"},
    "col.n": {"id": "Peserta", "en": "Participants"},
    "col.pre": {"id": "Pre-test (%)", "en": "Pre-test (%)"},
    "col.post": {"id": "Post-test (%)", "en": "Post-test (%)"},
    "col.ngain": {"id": "N-Gain (%)", "en": "N-Gain (%)"},
    "col.verdict": {"id": "Kesimpulan", "en": "Conclusion"},
    # follow-up
    "h.fu": {"id": "Pegawai perlu tindak lanjut", "en": "Staff needing follow-up"},
    "h.fu.note": {"id": "{share} dari {n} pegawai", "en": "{share} of {n} staff"},
    "h.reason": {"id": "{reason}", "en": "{reason}"},
    "h.reason.note": {"id": "pegawai", "en": "staff"},
    "h.carry": {"id": "Kebutuhan dibawa ke {year}", "en": "Needs carried into {year}"},
    "h.carry.note": {"id": "kebutuhan kompetensi yang belum tertutup", "en": "competency needs still open"},
    "h.maturity": {"id": "Tangga merit pengembangan", "en": "Development maturity ladder"},
    "c.fu_units": {"id": "Pegawai perlu tindak lanjut, per unit", "en": "Staff needing follow-up, by unit"},
    "c.fu_reasons": {"id": "Alasan tindak lanjut (jumlah pegawai)", "en": "Reasons for follow-up (number of staff)"},
    "x.staff": {"id": "pegawai", "en": "staff"},
    "t.followup": {"id": "Jumlah pegawai per unit dan alasan (bukan daftar nama)", "en": "Number of staff by unit and reason (not a list of names)"},
    "col.unit": {"id": "Unit kerja", "en": "Work unit"},
    "col.fu_total": {"id": "Perlu tindak lanjut", "en": "Need follow-up"},
}

_REASONS = {
    "kesenjangan_tersisa": {"id": "Kompetensi masih di bawah standar", "en": "Competency still below standard"},
    "post_test_rendah": {"id": "Post-test di bawah batas lulus", "en": "Post-test below the pass mark"},
    "gain_rendah": {"id": "N-Gain individu rendah", "en": "Low individual N-Gain"},
}
_GREEN, _AMBER, _GREY, _BLUE, _DARK = "#1E8449", "#F5B041", "#AEB6BF", "#2E86C1", "#1F4E79"


def tr(key: str, lang: str = "id", **kwargs) -> str:
    """The dashboard message ``key`` in ``lang`` (Indonesian when the English text is missing)."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["id"]
    return text.format(**kwargs) if kwargs else text


# --------------------------------------------------------------------------- logging

class _ServerLogHandler(logging.Handler):
    """Write to the kernel's *original* stderr (the Voilà server's log), never to the page.

    ipykernel redirects file descriptor 2 into the notebook output; its copy of the original
    descriptor is kept on ``sys.stderr._original_stdstream_copy``.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            fd = getattr(sys.stderr, "_original_stdstream_copy", None)
            text = (self.format(record) + "\n").encode("utf-8", "replace")
            if fd is None:
                sys.__stderr__.write(text.decode("utf-8"))
            else:
                os.write(fd, text)
        except Exception:  # noqa: BLE001 — logging must never fail the page
            pass


if not any(isinstance(h, _ServerLogHandler) for h in log.handlers):
    _h = _ServerLogHandler()
    _h.setFormatter(logging.Formatter("[workbook.ui %(levelname)s] %(message)s"))
    log.addHandler(_h)
    log.setLevel(logging.INFO)
    log.propagate = False


def _log_exception(where: str) -> None:
    log.error("%s\n%s", where, traceback.format_exc())


# --------------------------------------------------------------------------- data

@dataclass
class Bundle:
    """One plan year's artefacts, loaded once per kernel process.

    ``tables`` holds the aggregate artefacts by name; the derived tables are per unit, already
    suppressed, with an agency row ``kode_unit == "INSTANSI"`` where a total is shown.
    """

    output_dir: Path
    year: int
    k: int
    tables: dict[str, pd.DataFrame]
    missing: list[str]
    units: pd.DataFrame
    unit_stats: pd.DataFrame
    competency_agency: pd.DataFrame
    competency_names: dict[str, dict[str, str]]
    programme_units: pd.DataFrame
    followup_units: pd.DataFrame
    carry_units: pd.DataFrame
    load_seconds: float = 0.0

    def unit_codes(self) -> list[str]:
        return list(self.units["kode_unit"])

    def unit_name(self, code: str | None) -> str:
        if code is None:
            return ""
        m = self.units.loc[self.units["kode_unit"] == code, "nama_unit"]
        return str(m.iloc[0]) if len(m) else code


_CACHE: dict[tuple, Bundle] = {}


def clear_cache() -> None:
    """Forget every loaded bundle (tests; a rerun of the stages is picked up anyway)."""
    _CACHE.clear()


def available_years(output_dir: str | os.PathLike) -> list[int]:
    """Plan years with at least one stage's results under ``output_dir``, newest first."""
    root = Path(output_dir)
    if not root.is_dir():
        return []
    years = []
    for p in root.iterdir():
        if p.is_dir() and p.name.isdigit() and any((p / s / f"{f}.parquet").is_file() for s, f in STAGE_FILES.items()):
            years.append(int(p.name))
    return sorted(years, reverse=True)


def missing_stages(output_dir: str | os.PathLike, year: int) -> list[str]:
    """The stages whose results for ``year`` are not in ``output_dir``."""
    return [s for s, f in STAGE_FILES.items()
            if not artefacts.artefact_path(output_dir, year, s, f).is_file()]


def _stamp(output_dir: Path, year: int) -> tuple:
    out = []
    for s in STAGE_FILES:
        for cls in ("aggregate", "restricted"):
            m = artefacts.stage_dir(output_dir, year, s, cls, create=False) / "manifest.json"
            out.append(m.stat().st_mtime_ns if m.is_file() else 0)
    return tuple(out)


def _read(output_dir: Path, year: int, stage: str, name: str, cls: str = "aggregate",
          columns: list[str] | None = None) -> pd.DataFrame:
    p = artefacts.artefact_path(output_dir, year, stage, name, cls)
    if not p.is_file():
        return pd.DataFrame()
    return pd.read_parquet(p, columns=columns)


def _suppress(df: pd.DataFrame, n_col: str, cols: list[str], shares: list[str], settings, suffix: str) -> pd.DataFrame:
    """Suppress one measure group of the per-unit table (the agency row is its parent total)."""
    units = df[df["kode_unit"] != "INSTANSI"]
    agency = df[df["kode_unit"] == "INSTANSI"]
    out = suppress_table(units[["kode_unit", n_col, *cols]], n_col=n_col, value_cols=cols, share_cols=shares,
                         parent_cols=(), settings=settings)
    ag = agency[["kode_unit", n_col, *cols]].copy()
    ag["suppressed"] = pd.to_numeric(ag[n_col], errors="coerce").fillna(0) < suppress_k(settings)
    ag["suppression_reason"] = np.where(ag["suppressed"], "primary", "")
    out = pd.concat([out, ag], ignore_index=True)
    return out.rename(columns={"suppressed": f"suppressed_{suffix}", "suppression_reason": f"reason_{suffix}"})


def suppress_k(settings) -> int:
    return int(settings["suppression.k_count"])


def _unit_stats(pegawai: pd.DataFrame, survey: pd.DataFrame, gaps: pd.DataFrame, perf: pd.DataFrame,
                settings) -> pd.DataFrame:
    """Per unit (and agency): headcount, survey response, staff below standard, below target."""
    head = pegawai.groupby("kode_unit").size().rename("headcount")
    resp_ids = set(survey["pegawai_id"]) if "pegawai_id" in survey else set()
    resp = pegawai[pegawai["pegawai_id"].isin(resp_ids)].groupby("kode_unit").size().rename("n_respondents")
    if len(gaps):
        g = gaps.dropna(subset=["below_standard"])
        person = g.groupby(["kode_unit", "pegawai_id"], sort=False)["below_standard"].any().reset_index()
        assessed = person.groupby("kode_unit").agg(n_assessed=("pegawai_id", "size"),
                                                   n_below=("below_standard", "sum"))
    else:
        assessed = pd.DataFrame(columns=["n_assessed", "n_below"])
    if len(perf):
        p = perf.dropna(subset=["below_target"])
        pf = p.groupby("kode_unit").agg(n_perf=("pegawai_id", "size"), n_below_perf=("below_target", "sum"))
    else:
        pf = pd.DataFrame(columns=["n_perf", "n_below_perf"])
    u = pd.concat([head, resp, assessed, pf], axis=1).fillna(0).astype(float)
    u.loc["INSTANSI"] = u.sum()
    u = u.reset_index(names="kode_unit")
    with np.errstate(invalid="ignore", divide="ignore"):
        u["response_rate"] = u["n_respondents"] / u["headcount"]
        u["share_below"] = u["n_below"] / u["n_assessed"]
        u["share_below_perf"] = u["n_below_perf"] / u["n_perf"]
    a = _suppress(u, "headcount", ["n_respondents", "response_rate"], ["response_rate"], settings, "resp")
    # as in stage 01: the group behind the needs figures is the smaller of assessed staff and respondents
    u["n_basis"] = np.minimum(u["n_assessed"], u["n_respondents"])
    b = _suppress(u, "n_basis", ["n_assessed", "n_below", "share_below"], ["share_below"], settings, "below")
    c = _suppress(u, "n_perf", ["n_below_perf", "share_below_perf"], ["share_below_perf"], settings, "perf")
    return a.merge(b, on="kode_unit").merge(c, on="kode_unit")


def _competency_agency(gaps: pd.DataFrame, settings) -> pd.DataFrame:
    if not len(gaps):
        return pd.DataFrame(columns=["kode_kompetensi", "n_assessed", "n_below", "share_below", "mean_gap"])
    g = gaps.dropna(subset=["below_standard"])
    c = g.groupby("kode_kompetensi").agg(n_assessed=("pegawai_id", "size"), n_below=("below_standard", "sum"),
                                         mean_gap=("gap", "mean")).reset_index()
    c["n_below"] = c["n_below"].astype(float)
    c["share_below"] = c["n_below"] / c["n_assessed"]
    return suppress_table(c, n_col="n_assessed", value_cols=["n_below", "share_below", "mean_gap"],
                          share_cols=["share_below"], parent_cols=None, settings=settings)


def _followup_units(fu: pd.DataFrame, pegawai: pd.DataFrame, settings) -> pd.DataFrame:
    """Distinct staff needing follow-up per unit, overall and per reason (long), suppressed."""
    cols = ["kode_unit", "reason", "n", "headcount", "share", "suppressed"]
    if not len(fu):
        return pd.DataFrame(columns=cols)
    head = pegawai.groupby("kode_unit").size()
    rows = []
    total = fu.groupby("kode_unit")["pegawai_id"].nunique()
    by_reason = fu.groupby(["kode_unit", "reason"])["pegawai_id"].nunique()
    for unit in head.index:
        rows.append((unit, "_total", float(total.get(unit, 0)), float(head[unit])))
        for r in _REASONS:
            rows.append((unit, r, float(by_reason.get((unit, r), 0)), float(head[unit])))
    df = pd.DataFrame(rows, columns=["kode_unit", "reason", "n", "headcount"])
    df["share"] = df["n"] / df["headcount"]
    out = _suppress_cells(df, settings)
    agency = [("INSTANSI", "_total", float(fu["pegawai_id"].nunique()), float(head.sum()))]
    agency += [("INSTANSI", r, float(fu.loc[fu["reason"] == r, "pegawai_id"].nunique()), float(head.sum()))
               for r in _REASONS]
    ag = pd.DataFrame(agency, columns=["kode_unit", "reason", "n", "headcount"])
    ag["share"] = ag["n"] / ag["headcount"]
    ag["suppressed"] = False
    ag["suppression_reason"] = ""
    return pd.concat([out, ag], ignore_index=True)


def _suppress_cells(df: pd.DataFrame, settings, parent: str | None = "reason") -> pd.DataFrame:
    """Hide a cell when its unit has fewer than k staff or it counts 1…k−1 people; then hide the
    next-smallest sibling wherever the agency total would give a hidden cell away.

    The group size used is ``min(headcount, n)`` with ``n = 0`` counted as safe (nobody flagged
    tells nothing about a person).
    """
    d = df.copy()
    n = pd.to_numeric(d["n"], errors="coerce").fillna(0)
    d["n_eff"] = np.minimum(d["headcount"], n.where(n > 0, np.inf))
    cols = [c for c in ("n", "share", "headcount", "n_needs") if c in d]
    out = suppress_table(d, n_col="n_eff", value_cols=cols, share_cols=[],
                         parent_cols=[parent] if parent else (), settings=settings)
    return out.drop(columns=["n_eff"])


def _carry_units(carry: pd.DataFrame, pegawai: pd.DataFrame, settings) -> pd.DataFrame:
    if not len(carry):
        return pd.DataFrame(columns=["kode_unit", "n_needs", "headcount", "suppressed"])
    c = carry.merge(pegawai[["pegawai_id", "kode_unit"]], on="pegawai_id", how="left")
    head = pegawai.groupby("kode_unit").size().rename("headcount")
    n = c.groupby("kode_unit").size().rename("n_needs")
    persons = c.groupby("kode_unit")["pegawai_id"].nunique().rename("n")
    df = pd.concat([head, n, persons], axis=1).fillna(0).astype(float).reset_index(names="kode_unit")
    out = _suppress_cells(df, settings, parent=None).drop(columns=["n"])
    ag = pd.DataFrame({"kode_unit": ["INSTANSI"], "headcount": [float(head.sum())], "n_needs": [float(len(c))],
                       "suppressed": [False], "suppression_reason": [""]})
    return pd.concat([out, ag], ignore_index=True)


def _programme_units(real: pd.DataFrame, pegawai: pd.DataFrame) -> pd.DataFrame:
    """Which programmes had participants from which unit (membership only, for the unit filter)."""
    if not len(real) or "program_id" not in real:
        return pd.DataFrame(columns=["program_id", "kode_unit"])
    r = real.dropna(subset=["program_id"]).merge(pegawai[["pegawai_id", "kode_unit"]], on="pegawai_id")
    return r[["program_id", "kode_unit"]].drop_duplicates().reset_index(drop=True)


_AGG = {
    "01_needs": ["unit_competency", "need_ranking", "performance_units"],
    "02_plan": ["coverage", "budget_units", "budget_lines", "explanations", "plan_table"],
    "03_evaluation": ["level1", "level2", "level4", "maturity", "followup_units"],
}


def load_bundle(output_dir: str | os.PathLike, year: int, settings) -> Bundle:
    """Load (once per process) the aggregate artefacts of ``year`` and derive the per-unit tables.

    The result is cached by output folder, year and the modification times of the stage
    manifests: a filter change never reads a file, and a rerun of a stage is picked up.
    """
    output_dir = Path(output_dir)
    key = (str(output_dir.resolve()), int(year), _stamp(output_dir, year), settings.sha256)
    if key in _CACHE:
        return _CACHE[key]
    start = time.perf_counter()
    missing = missing_stages(output_dir, year)
    tables = {name: _read(output_dir, year, stage, name) for stage, names in _AGG.items() for name in names}
    dc = "00_data_check"
    pegawai = _read(output_dir, year, dc, "pegawai", "restricted", ["pegawai_id", "kode_unit", "nama_unit"])
    survey = _read(output_dir, year, dc, "survei_pegawai", "restricted", ["pegawai_id"])
    kamus = _read(output_dir, year, dc, "kamus_kompetensi", "restricted")
    real = _read(output_dir, year, dc, "realisasi_pengembangan", "restricted", ["pegawai_id", "program_id"])
    gaps = _read(output_dir, year, "01_needs", "gaps", "restricted",
                 ["pegawai_id", "kode_unit", "kode_kompetensi", "gap", "below_standard"])
    perf = _read(output_dir, year, "01_needs", "performance", "restricted", ["pegawai_id", "kode_unit", "below_target"])
    fu = _read(output_dir, year, "03_evaluation", "followup", "restricted", ["pegawai_id", "kode_unit", "reason"])
    carry = _read(output_dir, year, "03_evaluation", "carry_over", "restricted", ["pegawai_id"])
    if not len(pegawai):
        units = pd.DataFrame(columns=["kode_unit", "nama_unit"])
        pegawai = pd.DataFrame(columns=["pegawai_id", "kode_unit", "nama_unit"])
    else:
        units = pegawai[["kode_unit", "nama_unit"]].drop_duplicates("kode_unit").sort_values("kode_unit")
    names = {"id": {}, "en": {}}
    if len(kamus):
        names = {"id": dict(zip(kamus["kode_kompetensi"], kamus["nama_id"], strict=False)),
                 "en": dict(zip(kamus["kode_kompetensi"], kamus["nama_en"], strict=False))}
    b = Bundle(
        output_dir=output_dir, year=int(year), k=suppress_k(settings), tables=tables, missing=missing,
        units=units.reset_index(drop=True),
        unit_stats=_unit_stats(pegawai, survey, gaps, perf, settings) if len(pegawai) else pd.DataFrame(),
        competency_agency=_competency_agency(gaps, settings), competency_names=names,
        programme_units=_programme_units(real, pegawai),
        followup_units=_followup_units(fu, pegawai, settings) if len(pegawai) else pd.DataFrame(),
        carry_units=_carry_units(carry, pegawai, settings) if len(pegawai) else pd.DataFrame(),
    )
    del gaps, perf, fu, carry, real, survey
    b.load_seconds = time.perf_counter() - start
    _CACHE.clear()  # one year at a time per kernel: keeps a session's memory flat
    _CACHE[key] = b
    return b


# --------------------------------------------------------------------------- state and content

@dataclass
class DashboardState:
    """What the viewer chose: dashboard, plan year, unit (None = whole agency), language."""

    kind: str
    year: int
    unit: str | None = None
    lang: str = "id"


@dataclass
class Headline:
    label: str
    value: str
    note: str = ""


@dataclass
class ChartData:
    """A horizontal bar chart: one row per bar (``label``, ``value``, optional ``color``)."""

    title: str
    data: pd.DataFrame
    xlabel: str = ""
    percent: bool = False
    highlight: str | None = None
    legend: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


@dataclass
class Content:
    headlines: list[Headline]
    charts: list[ChartData]
    table_title: str
    table: pd.DataFrame
    messages: list[str] = field(default_factory=list)


def _row(df: pd.DataFrame, unit: str | None) -> pd.Series | None:
    if not len(df):
        return None
    m = df[df["kode_unit"] == (unit or "INSTANSI")]
    return m.iloc[0] if len(m) else None


def _hidden(b: Bundle, lang: str) -> str:
    return tr("hidden_n", lang, k=b.k)


def _missing_msg(b: Bundle, stage: str, lang: str) -> str:
    return tr("missing_stage", lang, stage=stage, year=b.year, path=b.output_dir)


def _unit_bars(b: Bundle, values: pd.DataFrame, value: str, lang: str, hidden_col: str | None = None) -> pd.DataFrame:
    """One bar per unit (code as label); suppressed units keep their row with a "hidden" tag."""
    v = values[values["kode_unit"] != "INSTANSI"]
    df = pd.DataFrame({"label": v["kode_unit"].astype(str), "value": pd.to_numeric(v[value], errors="coerce")})
    if hidden_col and hidden_col in v:
        df["hidden"] = v[hidden_col].astype(bool).to_numpy()
    else:
        df["hidden"] = df["value"].isna()
    return df.sort_values("value", ascending=False, na_position="last").reset_index(drop=True)


def needs_content(b: Bundle, unit: str | None, lang: str) -> Content:
    """Headlines, charts and table of the needs dashboard."""
    if "01_needs" in b.missing:
        return Content([], [], "", pd.DataFrame(), [_missing_msg(b, "01_needs", lang)])
    hid = _hidden(b, lang)
    r = _row(b.unit_stats, unit)
    heads = []
    if r is not None:
        heads.append(Headline(tr("h.staff_below", lang), hid if r["suppressed_below"] else fmt_percent(r["share_below"], lang, 0),
                              "" if r["suppressed_below"] else tr("h.staff_below.note", lang, n_below=fmt_int(r["n_below"], lang),
                                                                  n=fmt_int(r["n_assessed"], lang))))
        heads.append(Headline(tr("h.perf_below", lang), hid if r["suppressed_perf"] else fmt_percent(r["share_below_perf"], lang, 0),
                              "" if r["suppressed_perf"] else tr("h.perf_below.note", lang, n_below=fmt_int(r["n_below_perf"], lang),
                                                                 n=fmt_int(r["n_perf"], lang))))
        heads.append(Headline(tr("h.response", lang), hid if r["suppressed_resp"] else fmt_percent(r["response_rate"], lang, 0),
                              "" if r["suppressed_resp"] else tr("h.response.note", lang, n=fmt_int(r["n_respondents"], lang),
                                                                 total=fmt_int(r["headcount"], lang))))
    names = b.competency_names.get(lang, {})
    if unit:
        uc = b.tables["unit_competency"]
        comp = uc[uc["kode_unit"] == unit][["kode_kompetensi", "n_assessed", "n_below", "share_below", "mean_gap", "suppressed"]]
    else:
        comp = b.competency_agency[["kode_kompetensi", "n_assessed", "n_below", "share_below", "mean_gap", "suppressed"]]
    comp = comp.sort_values("share_below", ascending=False, na_position="last").reset_index(drop=True)
    comp["label"] = comp["kode_kompetensi"].map(lambda c: f"{c} {names.get(c, '')}".strip())
    top = comp.dropna(subset=["share_below"])
    if len(top):
        heads.append(Headline(tr("h.top_need", lang), str(top["label"].iloc[0]),
                              tr("h.top_need.note", lang, share=fmt_percent(top["share_below"].iloc[0], lang, 0))))
    else:
        heads.append(Headline(tr("h.top_need", lang), hid))
    bars = top.head(10)
    charts = [
        ChartData(tr("c.comp", lang), pd.DataFrame({"label": bars["label"], "value": bars["share_below"]}),
                  tr("x.share_staff", lang), percent=True),
        ChartData(tr("c.units_below", lang), _unit_bars(b, b.unit_stats, "share_below", lang, "suppressed_below"),
                  tr("x.share_staff", lang), percent=True, highlight=unit),
    ]
    table = comp.head(12).copy()
    table["competency"] = table["label"]
    shown = format_table(table, {"competency": "text", "n_assessed": "int", "n_below": "int", "share_below": "pct",
                                 "mean_gap": "num"}, lang=lang)
    shown.columns = [tr(c, lang) for c in ("col.competency", "col.assessed", "col.below", "col.share_below", "col.mean_gap")]
    return Content(heads, charts, tr("t.needs", lang), shown)


def _unit_programmes(b: Bundle, unit: str) -> pd.DataFrame:
    pt = b.tables["plan_table"]
    if not len(pt):
        return pt
    return pt[pt["target_unit"].fillna("").str.split(";").map(lambda xs: unit in xs)]


def plan_content(b: Bundle, unit: str | None, lang: str) -> Content:
    """Headlines, charts and table of the plan-and-budget dashboard."""
    if "02_plan" in b.missing:
        return Content([], [], "", pd.DataFrame(), [_missing_msg(b, "02_plan", lang)])
    hid = _hidden(b, lang)
    cov, bu, bl, ex = (b.tables[n] for n in ("coverage", "budget_units", "budget_lines", "explanations"))
    heads = []
    row = cov[cov["kode_unit"] == (unit or "INSTANSI")]
    if len(row):
        r = row.iloc[0]
        heads.append(Headline(tr("h.jp", lang), hid if r["suppressed"] else fmt_percent(r["share_reaching"], lang, 0),
                              "" if r["suppressed"] else tr("h.jp.note", lang, n_reach=fmt_int(r["pns_reaching"], lang),
                                                            n=fmt_int(r["pns"], lang))))
    bu = bu[bu["kode_unit"].astype(str).str.len() > 0] if len(bu) else bu
    ag = bu[bu["kode_unit"] == "INSTANSI"] if len(bu) else bu
    bu = bu[bu["kode_unit"] != "INSTANSI"] if len(bu) else bu
    used = float(pd.to_numeric(bl["used"], errors="coerce").sum()) if len(bl) else float("nan")
    pagu = float(pd.to_numeric(bl["pagu"], errors="coerce").sum()) if len(bl) else float("nan")
    used_units = float(ag["cost_assigned"].iloc[0]) if len(ag) else float(bu["cost_assigned"].sum()) if len(bu) else 0.0
    if unit:
        ru = bu[bu["kode_unit"] == unit]
        cost = float(ru["cost_assigned"].iloc[0]) if len(ru) else 0.0
        heads.append(Headline(tr("h.budget", lang), fmt_rupiah(cost, lang),
                              tr("h.budget_unit.note", lang, share=fmt_percent(cost / used_units if used_units else float("nan"), lang, 1))))
        progs = _unit_programmes(b, unit)
        heads.append(Headline(tr("h.funded", lang), fmt_int(progs["program_id"].nunique() if len(progs) else 0, lang),
                              tr("h.funded_unit.note", lang)))
        part = float(ru["participants_assigned"].iloc[0]) if len(ru) else 0.0
    else:
        heads.append(Headline(tr("h.budget", lang), fmt_rupiah(used, lang),
                              tr("h.budget.note", lang, share=fmt_percent(used / pagu if pagu else float("nan"), lang, 1),
                                 pagu=fmt_rupiah(pagu, lang))))
        n_sel = int(ex["selected"].sum()) if len(ex) else 0
        heads.append(Headline(tr("h.funded", lang), fmt_int(n_sel, lang), tr("h.funded.note", lang, n=fmt_int(len(ex), lang))))
        progs = b.tables["plan_table"]
        part = (float(ag["participants_assigned"].iloc[0]) if len(ag) else
                float(pd.to_numeric(bu["participants_assigned"], errors="coerce").sum()) if len(bu) else 0.0)
    heads.append(Headline(tr("h.participants", lang), fmt_int(part, lang), tr("h.participants.note", lang)))
    cov_u = cov[cov["tingkat"] == "unit"] if "tingkat" in cov else cov
    budget = bu.copy()
    budget = budget.assign(value=pd.to_numeric(budget["cost_assigned"], errors="coerce") / 1e6) if len(budget) else budget
    charts = [
        ChartData(tr("c.jp_units", lang), _unit_bars(b, cov_u, "share_reaching", lang, "suppressed"),
                  tr("x.share_pns", lang), percent=True, highlight=unit),
        ChartData(tr("c.budget_units", lang), _unit_bars(b, budget, "value", lang), tr("x.million", lang), highlight=unit),
    ]
    if len(progs):
        t = progs.groupby(["program_id", "nama_program"], sort=False).agg(
            jalur=("jalur_pengembangan", "first"), jp=("jp", "first"), target=("target_pns", "sum"),
            anggaran=("anggaran", "sum"), jadwal=("jadwal", "first")).reset_index()
        t = t.sort_values("anggaran", ascending=False).head(12)
        t["jalur"] = t["jalur"].map(lambda x: tr(f"route.{x}", lang) if f"route.{x}" in MESSAGES else str(x))
        t["jadwal"] = t["jadwal"].map(lambda x: months_text(x, lang))
        shown = format_table(t, {"nama_program": "text", "jalur": "text", "jp": "int", "target": "int",
                                 "anggaran": "rp", "jadwal": "text"}, lang=lang)
        shown.columns = [tr(c, lang) for c in ("col.programme", "col.route", "col.jp", "col.target", "col.budget",
                                                "col.schedule")]
    else:
        shown = pd.DataFrame()
    return Content(heads, charts, tr("t.plan", lang), shown)


_MONTHS = {"id": "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des".split(),
           "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()}


def months_text(value: object, lang: str = "id") -> str:
    """``"2;6;10"`` → ``"Feb, Jun, Okt"``; more than four months → ``"Jan–Des (11 bulan)"``."""
    try:
        ms = sorted({int(float(x)) for x in str(value).replace(",", ";").split(";") if x.strip()})
    except ValueError:
        return str(value)
    ms = [m for m in ms if 1 <= m <= 12]
    if not ms:
        return ""
    names = _MONTHS[lang]
    if len(ms) > 4:
        return f"{names[ms[0] - 1]}–{names[ms[-1] - 1]} ({len(ms)} {'bulan' if lang == 'id' else 'months'})"
    return ", ".join(names[m - 1] for m in ms)


def _verdict(sig: float, meaningful: float, lang: str) -> str:
    if sig == 1 and meaningful == 1:
        return tr("legend.both", lang)
    if meaningful == 1:
        return tr("legend.meaningful", lang)
    return tr("legend.none", lang)


def evaluation_content(b: Bundle, unit: str | None, lang: str) -> Content:
    """Headlines, charts and table of the evaluation dashboard (programme level; L4 per unit)."""
    if "03_evaluation" in b.missing:
        return Content([], [], "", pd.DataFrame(), [_missing_msg(b, "03_evaluation", lang)])
    l1, l2, l4 = b.tables["level1"], b.tables["level2"], b.tables["level4"]
    if unit:
        progs = set(b.programme_units.loc[b.programme_units["kode_unit"] == unit, "program_id"])
        l2 = l2[l2["program_id"].isin(progs)]
        l1 = l1[l1["program_id"].isin(progs)] if len(l1) else l1
        l4 = l4[l4["kode_unit"] == unit] if len(l4) else l4
    shown2 = l2[~l2["suppressed"].astype(bool)] if len(l2) else l2
    n_hidden = int(l2["suppressed"].astype(bool).sum()) if len(l2) else 0
    both = int(((shown2["significant"] == 1) & (shown2["meaningful"] == 1)).sum()) if len(shown2) else 0
    heads = [
        Headline(tr("h.evaluated", lang), fmt_int(len(shown2), lang),
                 tr("h.evaluated_unit.note", lang) if unit else tr("h.evaluated.note", lang, hidden=n_hidden, k=b.k)),
        Headline(tr("h.gain", lang), fmt_int(both, lang),
                 tr("h.gain.note", lang, of=tr("of", lang), n=fmt_int(len(shown2), lang))),
    ]
    l1s = l1[~l1["suppressed"].astype(bool)] if len(l1) else l1
    sat = float(pd.to_numeric(l1s["pct_of_max"], errors="coerce").mean()) / 100 if len(l1s) else float("nan")
    heads.append(Headline(tr("h.l1", lang), fmt_percent(sat, lang, 0), tr("h.l1.note", lang)))
    if len(l4):
        heads.append(Headline(tr("h.l4", lang), fmt_int(int(l4["improved"].fillna(False).astype(bool).sum()), lang),
                              tr("h.l4.note", lang, n=fmt_int(int(l4["improved"].fillna(False).astype(bool).sum()), lang),
                                 total=fmt_int(len(l4), lang))))
    g = shown2.sort_values("ngain_pct", ascending=False).head(15) if len(shown2) else shown2
    colors = [(_GREEN if (s == 1 and m == 1) else _AMBER if m == 1 else _GREY)
              for s, m in zip(g.get("significant", []), g.get("meaningful", []), strict=False)]
    gain = pd.DataFrame({"label": (g["program_id"] + " " + g["nama_program"].astype(str)).map(lambda x: _short(x, 34))
                         if len(g) else [], "value": g["ngain_pct"] if len(g) else [],
                         "color": colors})
    sat_p = (l1s.groupby(["program_id", "nama_program"])["pct_of_max"].mean().sort_values(ascending=False).head(15)
             .reset_index() if len(l1s) else pd.DataFrame(columns=["program_id", "nama_program", "pct_of_max"]))
    charts = [
        ChartData(tr("c.gain", lang), gain, "N-Gain (%)",
                  legend=[(_GREEN, tr("legend.both", lang)), (_AMBER, tr("legend.meaningful", lang)),
                          (_GREY, tr("legend.none", lang))]),
        ChartData(tr("c.l1", lang), pd.DataFrame({"label": (sat_p["program_id"] + " " + sat_p["nama_program"].astype(str))
                                                   .map(lambda x: _short(x, 34)), "value": sat_p["pct_of_max"]}),
                  "%"),
    ]
    if len(l2):
        t = l2.sort_values(["suppressed", "n"], ascending=[True, False]).head(15).copy()
        t["programme"] = t["program_id"] + " " + t["nama_program"].astype(str)
        t["verdict"] = [("" if h else _verdict(s, m, lang))
                        for h, s, m in zip(t["suppressed"], t["significant"], t["meaningful"], strict=True)]
        shown = format_table(t, {"programme": "text", "n": "int", "pre_mean_pct": "num", "post_mean_pct": "num",
                                 "ngain_pct": "num", "verdict": "text"}, lang=lang, settings=None)
        shown.columns = [tr(c, lang) for c in ("col.programme", "col.n", "col.pre", "col.post", "col.ngain", "col.verdict")]
    else:
        shown = pd.DataFrame()
    return Content(heads, charts, tr("t.evaluation", lang), shown)


def followup_content(b: Bundle, unit: str | None, lang: str) -> Content:
    """Headlines, charts and table of the follow-up dashboard: counts by unit, never people."""
    if "03_evaluation" in b.missing:
        return Content([], [], "", pd.DataFrame(), [_missing_msg(b, "03_evaluation", lang)])
    hid = _hidden(b, lang)
    fu = b.followup_units
    code = unit or "INSTANSI"
    heads = []
    tot = fu[(fu["kode_unit"] == code) & (fu["reason"] == "_total")]
    if len(tot):
        r = tot.iloc[0]
        heads.append(Headline(tr("h.fu", lang), hid if r["suppressed"] else fmt_int(r["n"], lang),
                              "" if r["suppressed"] else tr("h.fu.note", lang, share=fmt_percent(r["share"], lang, 0),
                                                            n=fmt_int(r["headcount"], lang))))
    reasons = fu[(fu["kode_unit"] == code) & (fu["reason"] != "_total")]
    top = reasons.sort_values("n", ascending=False).head(1)
    for _, r in top.iterrows():
        heads.append(Headline(_REASONS[r["reason"]][lang], hid if r["suppressed"] else fmt_int(r["n"], lang),
                              tr("h.reason.note", lang)))
    cu = _row(b.carry_units, unit)
    if cu is not None:
        heads.append(Headline(tr("h.carry", lang, year=b.year + 1), hid if cu["suppressed"] else fmt_int(cu["n_needs"], lang),
                              tr("h.carry.note", lang)))
    mat = b.tables["maturity"]
    if len(mat):
        m = mat.iloc[0]
        heads.append(Headline(tr("h.maturity", lang), f"{int(m['score'])}/4", str(m["label_id" if lang == "id" else "label_en"])))
    totals = fu[fu["reason"] == "_total"]
    charts = [
        ChartData(tr("c.fu_units", lang), _unit_bars(b, totals, "n", lang, "suppressed"), tr("x.staff", lang), highlight=unit),
        ChartData(tr("c.fu_reasons", lang), pd.DataFrame({"label": [_REASONS[x][lang] for x in reasons["reason"]],
                                                          "value": reasons["n"].to_numpy()}), tr("x.staff", lang)),
    ]
    units = fu[fu["kode_unit"] != "INSTANSI"]
    wide = units.pivot_table(index="kode_unit", columns="reason", values="n", aggfunc="first", dropna=False, sort=True)
    sup = units.groupby("kode_unit")["suppressed"].any()
    wide = wide.reindex(columns=["_total", *_REASONS]).reset_index()
    wide["suppressed"] = wide["kode_unit"].map(sup).fillna(False).astype(bool)
    if unit:
        wide = wide[wide["kode_unit"] == unit]
    shown = format_table(wide, {"kode_unit": "text", "_total": "int", **{r: "int" for r in _REASONS}}, lang=lang)
    shown.columns = [tr("col.unit", lang), tr("col.fu_total", lang), *[_REASONS[r][lang] for r in _REASONS]]
    return Content(heads, charts, tr("t.followup", lang), shown)


_CONTENT: dict[str, Callable[[Bundle, str | None, str], Content]] = {
    "kebutuhan": needs_content, "rencana": plan_content, "evaluasi": evaluation_content,
    "tindak_lanjut": followup_content,
}


def content_for(b: Bundle, state: DashboardState) -> Content:
    """The content of dashboard ``state.kind`` for the state's unit and language."""
    return _CONTENT[state.kind](b, state.unit, state.lang)


# --------------------------------------------------------------------------- charts

def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bar_svg(chart: ChartData, lang: str = "id", hidden_label: str = "") -> str:
    """A horizontal bar chart as inline SVG (pure: text in, text out; no plotting library).

    Bars are drawn in a ``viewBox`` so the chart scales with the page; values are written at the
    end of each bar in the viewer's number format; a suppressed group keeps its row with the
    word "disembunyikan"/"suppressed" instead of a bar; the highlighted unit is dark and bold.
    """
    df = chart.data.reset_index(drop=True)
    labels = [_short(str(x)) for x in df["label"]] if len(df) else []
    vals = pd.to_numeric(df["value"], errors="coerce").to_numpy(dtype=float) if len(df) else np.array([])
    hidden = df["hidden"].to_numpy(bool) if "hidden" in df else np.isnan(vals)
    scale = 100.0 if chart.percent else 1.0
    row, top_pad, bottom = 22, 6, 34
    label_w = min(290, max(60, int(7.4 * max((len(x) for x in labels), default=4)) + 14))
    width, value_w = 640, 58
    plot_w = width - label_w - value_w
    height = top_pad + row * max(len(df), 1) + bottom
    finite = vals[np.isfinite(vals)] * scale
    vmax = float(finite.max()) if len(finite) and finite.max() > 0 else 1.0
    parts = [f'<svg class="wb-svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{html.escape(chart.title)}" xmlns="http://www.w3.org/2000/svg" '
             'style="font-family:inherit;font-size:12px">']
    x0 = label_w
    for i, lab in enumerate(labels):
        y = top_pad + i * row
        full = html.escape(str(df["label"].iloc[i]))
        strong = chart.highlight is not None and str(df["label"].iloc[i]) == chart.highlight
        if "color" in df:
            color = str(df["color"].iloc[i])
        else:
            color = _DARK if strong else (_BLUE if chart.highlight is None else "#9CC3E6")
        weight = ' font-weight="700"' if strong else ""
        parts.append(f'<text x="{x0 - 6}" y="{y + row / 2 + 4}" text-anchor="end" fill="#1B2631"{weight}>'
                     f'<title>{full}</title>{html.escape(lab)}</text>')
        v = vals[i]
        if hidden[i] or not np.isfinite(v):
            parts.append(f'<text x="{x0 + 4}" y="{y + row / 2 + 4}" fill="#5D6D7E" font-style="italic">'
                         f'{html.escape(hidden_label)}</text>')
            continue
        w = max(0.0, v * scale / vmax * plot_w)
        txt = fmt_percent(v, lang, 0) if chart.percent else fmt_number(v, lang, 0 if abs(v) >= 10 else 1)
        parts.append(f'<rect x="{x0}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" rx="2" fill="{color}"/>')
        parts.append(f'<text x="{x0 + w + 4:.1f}" y="{y + row / 2 + 4}" fill="#1B2631"{weight}>{html.escape(txt)}</text>')
    axis_y = top_pad + row * max(len(df), 1) + 2
    parts.append(f'<line x1="{x0}" y1="{top_pad}" x2="{x0}" y2="{axis_y}" stroke="#85929E" stroke-width="1"/>')
    if not len(df):
        parts.append(f'<text x="{x0 + 6}" y="{top_pad + 15}" fill="#5D6D7E">–</text>')
    parts.append(f'<text x="{x0 + plot_w / 2:.0f}" y="{height - 10}" text-anchor="middle" fill="#5D6D7E" '
                 f'font-size="11">{html.escape(chart.xlabel)}</text></svg>')
    legend = "".join(f'<span class="wb-key"><span style="background:{c}"></span>{html.escape(lab)}</span>'
                     for c, lab in chart.legend)
    return (f'<div class="wb-page wb-chart"><h3>{html.escape(chart.title)}</h3>{"".join(parts)}'
            f'{f"<div class=wb-legend>{legend}</div>" if legend else ""}</div>')


# --------------------------------------------------------------------------- query

def parse_query(query: str | None) -> dict[str, str]:
    """``"unit=DINKES&lang=en"`` → ``{"unit": "DINKES", "lang": "en"}`` (first value of each key)."""
    if not query:
        return {}
    q = parse_qs(query.lstrip("?"), keep_blank_values=False)
    return {k: v[0].strip() for k, v in q.items() if v and v[0].strip()}


def query_string() -> str:
    """The page's URL query: from Voilà's request when the kernel is preheated, else ``QUERY_STRING``.

    Under ``--preheat_kernel=True`` the notebook runs before any request; this call waits until
    a viewer takes the kernel and returns that viewer's query. Outside Voilà it returns the
    environment variable (empty when unset).
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "True":
        try:
            wait_for_voila_request()
        except Exception:  # noqa: BLE001 — no query is not an error
            _log_exception("reading the query string")
            return ""
    return os.environ.get("QUERY_STRING", "") or ""


def _voila_query_url() -> str:
    """The websocket on which Voilà sends a preheated kernel its request (as ``voila.utils`` builds it)."""
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    ip = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    ws_base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{ip}:{port}{ws_base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"


def wait_for_voila_request(url: str | None = None, *, open_timeout: float = 5.0) -> dict[str, str]:
    """Wait, in a preheated kernel, until a viewer takes it; put the request's variables in ``os.environ``.

    The same protocol as ``voila.utils.wait_for_request`` (Voilà 0.5, BSD-3-Clause): connect to
    ``…/voila/query/<kernel id>`` and read one JSON message of environment variables
    (``QUERY_STRING``, ``SCRIPT_NAME``, ``PATH_INFO``, ``SERVER_*``). Written here because
    ``import voila.utils`` imports the whole Voilà server (jupyter_server, jupyter_events,
    jsonschema's RFC 3987 grammar): about 2.5 CPU-seconds in every kernel, 75 % of a preheated
    kernel's start, measured with py-spy (``docs/benchmarks.md``). Returns the variables set
    (empty when Voilà could not be reached).
    """
    import asyncio
    import json
    import threading

    try:
        from websockets.asyncio.client import connect
    except ImportError:  # websockets < 13
        from websockets import connect  # type: ignore[no-redef]

    target = url or _voila_query_url()
    box: dict[str, str] = {}

    async def _receive() -> None:
        try:
            async with connect(target, open_timeout=open_timeout) as ws:
                box["raw"] = await ws.recv()
        except (TimeoutError, OSError) as exc:
            log.warning("Voilà request not received from %s: %s", target, exc)

    # the kernel's own event loop is running in this thread: use a fresh loop in another one
    t = threading.Thread(target=lambda: asyncio.run(_receive()), name="voila-request", daemon=True)
    t.start()
    t.join()
    info = {str(k): str(v) for k, v in json.loads(box["raw"]).items()} if "raw" in box else {}
    os.environ.update(info)
    return info


# --------------------------------------------------------------------------- view

_CSS = """<style>
.wb-page{font-family:"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1B2631;max-width:1200px;line-height:1.35}
.wb-page a{color:#1F4E79}
.wb-head h1{font-size:1.6em;margin:.2em 0 .1em 0;font-weight:600}
.wb-head .wb-sub{color:#5D6D7E;margin:0 0 .4em 0}
.wb-cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 4px 0}
.wb-card{flex:1 1 200px;background:#F4F6F7;border-left:5px solid #1F4E79;border-radius:6px;padding:10px 14px}
.wb-card .wb-label{font-size:.9em;color:#34495E}
.wb-card .wb-value{font-size:1.7em;font-weight:650;margin:2px 0;color:#1F4E79}
.wb-card .wb-value.wb-text{font-size:1.15em;padding:.25em 0}
.wb-card .wb-note{font-size:.8em;color:#5D6D7E}
.wb-msg{background:#FEF5E7;border-left:5px solid #F5B041;padding:8px 12px;margin:6px 0;border-radius:4px}
.wb-table table{border-collapse:collapse;font-size:.88em;margin-top:4px}
.wb-table th{background:#EAF2F8;text-align:left;padding:4px 8px;border-bottom:1px solid #AEB6BF}
.wb-table td{padding:3px 8px;border-bottom:1px solid #EAECEE}
.wb-table h3,.wb-dl h3{font-size:1.05em;margin:.6em 0 .2em 0}
.wb-download{font-weight:600;text-decoration:none}
.wb-size,.wb-missing,.wb-foot{color:#5D6D7E;font-size:.85em}
.wb-tiles{display:flex;flex-wrap:wrap;gap:14px;margin-top:10px}
.wb-tile{flex:1 1 260px;border:1px solid #D5D8DC;border-radius:8px;padding:12px 16px;background:#FBFCFC}
.wb-tile h2{font-size:1.15em;margin:0 0 .3em 0}
.wb-tile p{margin:.2em 0 .5em 0;color:#34495E;font-size:.92em}
.wb-status{font-size:.8em;color:#5D6D7E}
.wb-chart h3{font-size:1em;margin:.8em 0 .2em 0;font-weight:600}
.wb-legend{font-size:.8em;color:#34495E}
.wb-key{margin-right:14px;white-space:nowrap}
.wb-key span{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
</style>"""


def _value_class(value: str) -> str:
    """Long text values (a competency name, "disembunyikan (n < 5)") get a smaller font."""
    return " wb-text" if len(value) > 12 and not value.startswith(("Rp", "IDR")) else ""


def _cards_html(heads: list[Headline]) -> str:
    cells = "".join(
        f'<div class="wb-card"><div class="wb-label">{html.escape(h.label)}</div>'
        f'<div class="wb-value{_value_class(h.value)}">{html.escape(h.value)}</div>'
        f'<div class="wb-note">{html.escape(h.note)}</div></div>'
        for h in heads)
    return f'<div class="wb-page"><div class="wb-cards">{cells}</div></div>'


def _msgs_html(msgs: list[str]) -> str:
    return "".join(f'<div class="wb-page"><div class="wb-msg">{html.escape(m)}</div></div>' for m in msgs)


def _settings_and_ctx():
    from workbook.core.context import open_context

    return open_context(interactive=True)


class DashboardApp:
    """The widgets of one dashboard; ``state`` is plain data, every callback one line.

    Parameters
    ----------
    kind : {"kebutuhan", "rencana", "evaluasi", "tindak_lanjut"}
    ctx : Context
        The resolved run context (data and output folders, settings, plan year).
    state : DashboardState, optional
    """

    def __init__(self, kind: str, ctx, state: DashboardState | None = None) -> None:
        if kind not in DASHBOARDS:
            raise WorkbookError(f"Dasbor tidak dikenal: {kind}", f"Unknown dashboard: {kind}")
        self.kind, self.ctx = kind, ctx
        years = available_years(ctx.output_dir) or [ctx.year]
        year = ctx.year if ctx.year in years else years[0]
        self.state = state or DashboardState(kind=kind, year=year, unit=ctx.unit, lang=ctx.lang)
        self.years = years
        self.notices: list[str] = []
        self._busy = False
        self.bundle = load_bundle(ctx.output_dir, self.state.year, ctx.settings)
        lay = widgets.Layout
        self.header = widgets.HTML()
        self.year_w = widgets.Dropdown(options=[(str(y), y) for y in years], value=self.state.year,
                                       layout=lay(width="230px"), style={"description_width": "100px"})
        self.unit_w = widgets.Dropdown(layout=lay(width="440px"), style={"description_width": "80px"})
        self.lang_w = widgets.ToggleButtons(options=[("Bahasa Indonesia", "id"), ("English", "en")],
                                            value=self.state.lang, style={"button_width": "130px"})
        self.messages = widgets.HTML()
        self.cards = widgets.HTML()
        self.charts = [widgets.HTML(layout=lay(width="49%", min_width="420px")) for _ in range(2)]
        self.table = widgets.HTML()
        self.downloads = widgets.VBox()
        self.footer = widgets.HTML()
        self._fill_units()
        self.year_w.observe(lambda ch: self.set_year(ch["new"]), names="value")
        self.unit_w.observe(lambda ch: self.set_unit(ch["new"] or None), names="value")
        self.lang_w.observe(lambda ch: self.set_lang(ch["new"]), names="value")
        self.widget = widgets.VBox([
            self.header, widgets.HBox([self.year_w, self.unit_w, self.lang_w], layout=lay(flex_flow="row wrap",
                                                                                           align_items="center")),
            self.messages, self.cards, widgets.HBox(self.charts, layout=lay(flex_flow="row wrap",
                                                                             justify_content="space-between")),
            self.table, self.downloads, self.footer], layout=lay(padding="0 12px"))
        self.render(full=True)

    # -- state changes (one line each in the callbacks)
    def set_unit(self, unit: str | None) -> None:
        if self._busy:
            return
        self.state.unit = unit
        self.notices = []
        self._guarded(self.render)

    def set_year(self, year: int) -> None:
        if self._busy:
            return
        self.state.year = int(year)
        self._guarded(self._reload)

    def set_lang(self, lang: str) -> None:
        if self._busy:
            return
        self.state.lang = lang
        self._guarded(lambda: self.render(full=True))

    def apply_query(self, query: str | None) -> None:
        """Apply ``?unit=…&lang=…&year=…`` from the page's URL (unknown values: a friendly note)."""
        q = parse_query(query)
        notices = []
        lang = q.get("lang", self.state.lang)
        lang = lang if lang in ("id", "en") else self.state.lang
        year = self.state.year
        if "year" in q and q["year"].isdigit() and int(q["year"]) in self.years:
            year = int(q["year"])
        unit = self.state.unit
        if "unit" in q:
            want = q["unit"].upper()
            if want in ("", "ALL", "SEMUA", "INSTANSI"):
                unit = None
            elif want in self.bundle.unit_codes():
                unit = want
            else:
                notices.append(("unknown_unit", {"unit": q["unit"][:40]}))
        if (lang, year, unit) == (self.state.lang, self.state.year, self.state.unit) and not notices:
            return
        self.state.lang, self.state.unit = lang, unit
        self.notices = notices
        if year != self.state.year:
            self.state.year = year
            self._guarded(self._reload)
        else:
            self._guarded(lambda: self.render(full=True))

    def _guarded(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except WorkbookError as exc:
            self.messages.value = _msgs_html([exc.message(self.state.lang)])
        except Exception:  # noqa: BLE001 — a manager sees a sentence; the traceback goes to the server log
            _log_exception(f"dashboard {self.kind} {self.state}")
            self.messages.value = _msgs_html([tr("error", self.state.lang)])

    def _reload(self) -> None:
        self.bundle = load_bundle(self.ctx.output_dir, self.state.year, self.ctx.settings)
        if self.state.unit not in self.bundle.unit_codes():
            self.state.unit = None
        self.render(full=True)

    def _fill_units(self) -> None:
        lang = self.state.lang
        opts = [(tr("all_units", lang), "")] + [(f"{r.nama_unit} ({r.kode_unit})", r.kode_unit)
                                                for r in self.bundle.units.itertuples(index=False)]
        self._busy = True
        try:
            self.unit_w.options = opts
            self.unit_w.value = self.state.unit if self.state.unit in self.bundle.unit_codes() else ""
            self.unit_w.description = tr("unit", lang)
            self.year_w.description = tr("year", lang)
            if self.year_w.value != self.state.year:
                self.year_w.value = self.state.year
            if self.lang_w.value != lang:
                self.lang_w.value = lang
        finally:
            self._busy = False

    def render(self, full: bool = False) -> None:
        """Redraw from ``state``: headlines, charts and table; labels and downloads too when ``full``."""
        st, b = self.state, self.bundle
        lang = st.lang
        if full:
            self._fill_units()
            back = f"index.ipynb?lang={lang}" + (f"&unit={quote(st.unit)}" if st.unit else "")
            agency = html.escape(self.ctx.agency_name)
            self.header.value = (
                f'{_CSS}<div class="wb-page wb-head"><a href="{back}">{tr("back", lang)}</a>'
                f'<h1>{html.escape(tr("title." + self.kind, lang))}</h1>'
                f'<p class="wb-sub">{agency} · {tr("year", lang)} {st.year}</p></div>')
            self.footer.value = f'<div class="wb-page wb-foot">{html.escape(tr("suppression_note", lang, k=b.k))}</div>'
            self.downloads.children = self._downloads()
        content = content_for(b, st)
        msgs = [tr(k, lang, **kw) for k, kw in self.notices] + content.messages
        self.messages.value = _msgs_html(msgs)
        self.cards.value = _cards_html(content.headlines)
        hidden = tr("hidden", lang)
        for img, chart in zip(self.charts, content.charts + [None] * (2 - len(content.charts)), strict=False):
            if chart is None:
                img.layout.display = "none"
                continue
            img.layout.display = None
            img.value = bar_svg(chart, lang, hidden)
        if len(content.table):
            self.table.value = (f'<div class="wb-page wb-table"><h3>{html.escape(content.table_title)}</h3>'
                                f'{content.table.to_html(index=False, border=0, escape=True)}</div>')
        else:
            self.table.value = ""

    def _downloads(self) -> tuple:
        lang, kind, year = self.state.lang, self.kind, self.state.year
        stage, xlsx, chapter = DASHBOARDS[kind]
        out = Path(self.ctx.output_dir)
        hint = tr("run_report", lang)
        items = [
            file_download(artefacts.stage_dir(out, year, stage, create=False) / xlsx, f"{Path(xlsx).stem}_{year}.xlsx",
                          tr(f"dl.xlsx.{kind}", lang), lang=lang, hint=hint),
            file_download(artefacts.stage_dir(out, year, "reports", create=False) / f"{chapter}.html",
                          f"{chapter}_{year}.html", tr("dl.html", lang), lang=lang, hint=hint),
        ]
        for w in items:
            w.layout.margin = "0 28px 0 0"
        title = widgets.HTML(f'<div class="wb-page wb-dl"><h3>{tr("downloads", lang)}</h3></div>')
        return (title, widgets.HBox(items, layout=widgets.Layout(flex_flow="row wrap", align_items="center")))


def _error_widget(lang: str, text: str) -> widgets.HTML:
    return widgets.HTML(_CSS + _msgs_html([text]))


class _Failed:
    """Stands in for an app that could not be built: applying a query does nothing."""

    def __init__(self, widget: widgets.Widget) -> None:
        self.widget = widget

    def apply_query(self, query: str | None) -> None:  # noqa: ARG002
        return None


def open_dashboard(kind: str, *, show: bool = True, lang: str | None = None) -> DashboardApp | _Failed:
    """Build dashboard ``kind`` from the environment's data and output folders, and display it.

    Data problems become one friendly sentence in the viewer's language (the traceback goes to
    the server log); the returned object always has ``apply_query``.
    """
    lang = lang or parse_query(os.environ.get("QUERY_STRING", "")).get("lang", "id")
    lang = lang if lang in ("id", "en") else "id"
    try:
        ctx = _settings_and_ctx()
        ctx.lang = lang
        if not available_years(ctx.output_dir):
            app: DashboardApp | _Failed = _Failed(_error_widget(lang, tr("no_years", lang, path=ctx.output_dir)))
        else:
            app = DashboardApp(kind, ctx)
    except WorkbookError as exc:
        app = _Failed(_error_widget(lang, exc.message(lang)))
    except Exception:  # noqa: BLE001
        _log_exception(f"opening dashboard {kind}")
        app = _Failed(_error_widget(lang, tr("error", lang)))
    if show:
        display(app.widget)
    return app


# --------------------------------------------------------------------------- landing page

class Landing:
    """The landing page: one tile per dashboard, a unit picker that rewrites the links, a language switch."""

    def __init__(self, ctx, lang: str = "id") -> None:
        self.ctx, self.lang, self.unit = ctx, lang, None
        years = available_years(ctx.output_dir)
        self.year = ctx.year if ctx.year in years else (years[0] if years else ctx.year)
        self.missing = missing_stages(ctx.output_dir, self.year)
        pegawai = _read(Path(ctx.output_dir), self.year, "00_data_check", "overview_units")
        self.units = [] if not len(pegawai) else list(zip(pegawai["kode_unit"], pegawai["nama_unit"], strict=False))
        self.lang_w = widgets.ToggleButtons(options=[("Bahasa Indonesia", "id"), ("English", "en")], value=lang,
                                            style={"button_width": "130px"})
        self.unit_w = widgets.Dropdown(layout=widgets.Layout(width="440px"), style={"description_width": "130px"})
        self.body = widgets.HTML()
        self._busy = False
        self.lang_w.observe(lambda ch: self.set_lang(ch["new"]), names="value")
        self.unit_w.observe(lambda ch: self.set_unit(ch["new"] or None), names="value")
        self.widget = widgets.VBox([self.lang_w, self.unit_w, self.body], layout=widgets.Layout(padding="0 12px"))
        self.render()

    def set_lang(self, lang: str) -> None:
        if not self._busy:
            self.lang = lang
            self.render()

    def set_unit(self, unit: str | None) -> None:
        if not self._busy:
            self.unit = unit
            self.render()

    def apply_query(self, query: str | None) -> None:
        q = parse_query(query)
        lang = q.get("lang", self.lang)
        self.lang = lang if lang in ("id", "en") else self.lang
        u = q.get("unit", "").upper()
        self.unit = u if u in {c for c, _ in self.units} else None
        self.render()

    def links(self) -> dict[str, str]:
        extra = f"&unit={quote(self.unit)}" if self.unit else ""
        return {k: f"{k}.ipynb?lang={self.lang}{extra}" for k in DASHBOARDS}

    def render(self) -> None:
        lang = self.lang
        self._busy = True
        try:
            self.unit_w.options = [(tr("all_units", lang), "")] + [(f"{n} ({c})", c) for c, n in self.units]
            self.unit_w.value = self.unit or ""
            self.unit_w.description = tr("link_unit", lang)
            self.lang_w.value = lang
        finally:
            self._busy = False
        tiles = []
        for k, href in self.links().items():
            stage = DASHBOARDS[k][0]
            ok = stage not in self.missing
            status = tr("ready", lang) if ok else tr("not_ready", lang)
            tiles.append(f'<div class="wb-tile"><h2><a href="{href}">{html.escape(tr("title." + k, lang))}</a></h2>'
                         f'<p>{html.escape(tr("desc." + k, lang))}</p>'
                         f'<span class="wb-status">{html.escape(status)}</span></div>')
        from workbook.ui.upload import ut  # the upload page (lazy: it imports this module)

        mb = self.ctx.settings.get("dashboard.upload_max_mb", 8)
        tiles.append(f'<div class="wb-tile"><h2><a href="unggah.ipynb?lang={lang}">{html.escape(ut("title", lang, mb=mb))}'
                     f'</a></h2><p>{html.escape(ut("sub", lang, mb=mb))}</p></div>')
        self.body.value = (
            f'{_CSS}<div class="wb-page wb-head"><h1>{html.escape(tr("title.index", lang))}</h1>'
            f'<p class="wb-sub">{html.escape(self.ctx.agency_name)} · {tr("year", lang)} {self.year}</p>'
            f'<p class="wb-foot">{html.escape(tr("link_hint", lang))}</p>'
            f'<div class="wb-tiles">{"".join(tiles)}</div>'
            f'<p class="wb-foot">{html.escape(tr("suppression_note", lang, k=suppress_k(self.ctx.settings)))}</p></div>')


def landing(*, show: bool = True, lang: str = "id") -> Landing | _Failed:
    """Build and display the landing page (tiles linking to the four dashboards)."""
    try:
        ctx = _settings_and_ctx()
        app: Landing | _Failed = Landing(ctx, lang)
    except WorkbookError as exc:
        app = _Failed(_error_widget(lang, exc.message(lang)))
    except Exception:  # noqa: BLE001
        _log_exception("opening the landing page")
        app = _Failed(_error_widget(lang, tr("error", lang)))
    if show:
        display(app.widget)
    return app


__all__ += ["Landing"]
