"""Render one yearly report (the agency's, or one unit's) from the report bundle.

The report follows the usual structure of an Indonesian government report — cover, contents,
BAB I Pendahuluan, II Analisis Kebutuhan, III Program dan Prioritas, IV Rencana Implementasi,
V Evaluasi, VI Tindak Lanjut, Lampiran — with the findings stated in sentences (from the stage
presentation modules and :mod:`workbook.report.narrative`), tables and figures without code, the
settings used, and a provenance appendix. HTML is self-contained (inline CSS, figures as inline
PNG, system fonts, no external URL); the PDF is printed by WeasyPrint (A4, page numbers, a
contents page with ``target-counter()`` page numbers), without LaTeX and without network access.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html as _html
import io
import re
import time
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import pandas as pd

from workbook.core import artefacts
from workbook.core.i18n import fmt_date
from workbook.core.version import __version__
from workbook.report import narrative as nv
from workbook.report.narrative import txt

__all__ = ["Block", "Section", "Chapter", "ReportDoc", "build_document", "render_html", "write_pdf",
           "render_report", "RenderResult", "report_dir", "report_files", "markdown_html", "table_html",
           "AGENCY", "PACKAGES"]

AGENCY = "INSTANSI"
PACKAGES = ("workbook", "pandas", "numpy", "scipy", "scikit-learn", "matplotlib", "highspy", "papermill",
            "weasyprint", "pyarrow", "openpyxl", "babel")
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


@dataclass
class Block:
    kind: str  # p | md | table | figure | note | sign
    content: Any = None
    caption: str = ""
    key: str = ""
    number: str = ""
    wide: bool = False


@dataclass
class Section:
    id: str
    number: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Chapter:
    id: str
    label: str
    title: str
    sections: list[Section] = field(default_factory=list)
    intro: list[Block] = field(default_factory=list)


@dataclass
class ReportDoc:
    lang: str
    title: str
    subtitle: str
    agency: str
    scope: str
    year: int
    date: str
    chapters: list[Chapter]
    unit: str | None


# ----------------------------------------------------------------------------- HTML pieces
def markdown_html(md: str, *, drop_heading: bool = True) -> str:
    """Markdown of the presentation modules to HTML (their ``### title`` line dropped)."""
    import mistune

    if drop_heading:
        md = "\n".join(line for line in md.splitlines() if not line.startswith("#"))
    return mistune.html(md.strip())


_NUMERIC = re.compile(r"^[\s<>−\-+]*(Rp|IDR)?\s?[\d.,]+\s?%?$")


_BOOL = {"id": {"True": "ya", "False": "tidak"}, "en": {"True": "yes", "False": "no"}}


def table_html(df: pd.DataFrame, *, key: str, hidden: str, lang: str = "id") -> str:
    """A formatted table (strings) as HTML; hidden cells marked, numbers right-aligned, booleans in words."""
    e = _html.escape
    words = _BOOL[lang]
    head = "".join(f"<th>{e(str(c))}</th>" for c in df.columns)
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for v in rec:
            s = "" if v is None or (isinstance(v, float) and v != v) else str(v)
            s = words.get(s, s)
            cls = "sup" if s == hidden else ("num" if _NUMERIC.match(s) else "")
            cells.append(f'<td class="{cls}">{e(s)}</td>' if cls else f"<td>{e(s)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="data" data-table="{e(key)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


_FIG_CACHE: dict[tuple, str] = {}


def _png(fig, *, dpi: int = 110) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _fig(cache_key: tuple | None, make) -> str | None:
    """PNG (base64) of ``make()``; agency-wide figures are cached per process across unit reports."""
    if cache_key is not None and cache_key in _FIG_CACHE:
        return _FIG_CACHE[cache_key]
    fig = make()
    if fig is None:
        return None
    data = _png(fig)
    if cache_key is not None:
        if len(_FIG_CACHE) > 64:
            _FIG_CACHE.clear()
        _FIG_CACHE[cache_key] = data
    return data


# ----------------------------------------------------------------------------- document
class _Numberer:
    def __init__(self):
        self.counts: dict[tuple[str, str], int] = {}

    def __call__(self, chapter: str, kind: str) -> str:
        k = (chapter, kind)
        self.counts[k] = self.counts.get(k, 0) + 1
        return f"{chapter}.{self.counts[k]}"


def _package_versions() -> list[tuple[str, str]]:
    out = []
    for p in PACKAGES:
        try:
            out.append((p, metadata.version(p)))
        except metadata.PackageNotFoundError:
            out.append((p, "–"))
    import platform

    out.append(("python", platform.python_version()))
    return out


def build_document(bundle, unit: str | None, *, params: dict | None = None,
                   notebook_sha: str | None = None) -> ReportDoc:
    """Assemble the chapters of the report for the agency (``unit=None``) or one unit."""
    from workbook.core.suppression import k_for
    from workbook.evaluation import report as er
    from workbook.ingest import report as datacheck
    from workbook.needs import report as nr
    from workbook.plan import report as pr

    b = bundle.for_view(unit)
    ctx = b.ctx
    lang, s = ctx.lang, ctx.settings
    hid = nv.hidden_label(lang, s)
    k = k_for("count", s)
    key = bundle.key
    num = _Numberer()
    chapters: list[Chapter] = []

    def table(ch: str, caption: str, df: pd.DataFrame, tkey: str, wide: bool = False) -> Block:
        return Block("table", table_html(df, key=tkey, hidden=hid, lang=lang), caption, tkey, num(ch, "tab"), wide)

    def figure(ch: str, caption: str, data: str | None) -> Block:
        if data is None:
            return Block("note", txt("no_figure", lang, k=k))
        return Block("figure", data, caption, number=num(ch, "fig"))

    def paras(items: list[str]) -> list[Block]:
        return [Block("p", x) for x in items]

    def bullets(items: list[str]) -> Block:
        return Block("md", markdown_html("\n".join(f"- {x}" for x in items), drop_heading=False))

    # BAB I
    intro = nv.intro_paragraphs(b, unit)
    c1 = Chapter("bab1", f"{txt('bab', lang)} I", txt("ch1", lang))
    from workbook.evaluation import roi_report as roi_view

    roi_missing = None if unit else roi_view.roi_status_sentence(b.evaluation)  # one line when ROI was not computed
    c1.sections = [Section("s1-1", "1.1", txt("s_background", lang), paras(intro["background"])),
                   Section("s1-2", "1.2", txt("s_purpose", lang), paras(intro["purpose"])),
                   Section("s1-3", "1.3", txt("s_scope", lang), paras(intro["scope"])),
                   Section("s1-4", "1.4", txt("s_data", lang), paras(intro["data"] + ([roi_missing] if roi_missing else [])))]
    chapters.append(c1)

    # BAB II — needs
    ch = "2"
    c2 = Chapter("bab2", f"{txt('bab', lang)} II", txt("ch2", lang))
    ov = Section("s2-1", "2.1", txt("s_overview", lang))
    if unit:
        ov.blocks.append(bullets(nv.unit_overview_sentences(b, unit)))
    else:
        ov.blocks.append(Block("md", markdown_html(datacheck.summary_markdown(b.dc), drop_heading=False)))
    ov.blocks.append(table(ch, {"id": "Gambaran unit kerja: pegawai, responden survei dan JP tahun lalu",
                                "en": "Work units: staff, survey respondents and last year's JP"}[lang],
                           datacheck.units_table(b.dc, unit), "units"))
    from workbook.core.i18n import t

    st = b.dc.status_by_unit
    status_shown = (st[st["kode_unit"] == unit] if unit else st)["n"].fillna(0).sum() > 0
    for fid, fg in datacheck.figures(b.dc, unit).items():
        if fid == "fig.status_by_unit" and not status_shown:
            import matplotlib.pyplot as plt

            plt.close(fg)
            ov.blocks.append(Block("note", txt("no_figure", lang, k=k)))
            continue
        ov.blocks.append(figure(ch, t(fid, lang), _fig(None, lambda fg=fg: fg)))
    gap = Section("s2-2", "2.2", txt("s_gap", lang))
    if unit:
        gap.blocks.append(bullets(nv.needs_unit_sentences(b, unit)))
    else:
        gap.blocks.append(Block("md", markdown_html(nr.summary_markdown(b.needs, None))))
    from workbook.needs.stage import shown_unit_competency

    uc = shown_unit_competency(b.needs)
    any_shown = bool((~uc[uc["kode_unit"] == unit]["suppressed"]).any()) if unit else True
    if any_shown:
        gap.blocks.append(figure(ch, {"id": "Persentase pegawai di bawah standar per unit dan kompetensi",
                                      "en": "Share of staff below standard by unit and competency"}[lang],
                                 _fig(None, lambda: nr.heatmap_figure(b.needs, unit))))
    if unit and any_shown:
        gap.blocks.append(table(ch, {"id": "Kesenjangan kompetensi unit", "en": "Unit competency gaps"}[lang],
                                nr.unit_table(b.needs, unit), "unit_competency"))
    rank = Section("s2-3", "2.3", txt("s_rank", lang), [
        Block("p", {"id": "Indeks kebutuhan menggabungkan kekurangan level kompetensi dan tingkat kepentingannya bagi "
                          "jabatan (keduanya diskalakan 0–1); dihitung untuk seluruh instansi.",
                    "en": "The need index combines the shortfall in proficiency level with its importance for the "
                          "position (both scaled 0–1); computed for the whole agency."}[lang]),
        figure(ch, {"id": "Peringkat indeks kebutuhan", "en": "Need index ranking"}[lang],
               _fig((key, lang, "need_rank"), lambda: nr.ranking_figure(b.needs))),
        table(ch, {"id": "Sepuluh kebutuhan kompetensi tertinggi", "en": "Top ten competency needs"}[lang],
              nr.ranking_table(b.needs).head(10), "need_ranking")])
    perf = Section("s2-4", "2.4", txt("s_perf", lang), [
        table(ch, {"id": "Kesenjangan kinerja (realisasi SKP terhadap target)",
                   "en": "Performance gaps (SKP realisation against target)"}[lang],
              nr.performance_table(b.needs, unit), "performance_units")])
    prof = Section("s2-5", "2.5", txt("s_prof", lang), [
        Block("p", {"id": "Profil kebutuhan mengelompokkan responden dengan pola kesenjangan serupa sehingga program "
                          "dapat dirancang per kelompok; profil dihitung sekali untuk seluruh instansi.",
                    "en": "Need profiles group respondents with similar gap patterns so programmes can be designed per "
                          "group; they are computed once for the whole agency."}[lang]),
        table(ch, {"id": "Profil kebutuhan", "en": "Need profiles"}[lang],
              nr.profile_cards(b.needs)[[c for c in nr.profile_cards(b.needs).columns][:5] +
                                        [nr.profile_cards(b.needs).columns[-1]]], "profiles")])
    pf = _fig((key, lang, "profile"), lambda: nr.profile_figure(b.needs))
    if pf is not None:
        prof.blocks.append(figure(ch, {"id": "Rata-rata kesenjangan per profil", "en": "Mean gap per profile"}[lang], pf))
    c2.sections = [ov, gap, rank, perf, prof]
    chapters.append(c2)

    # BAB III — programmes and priorities
    ch = "3"
    c3 = Chapter("bab3", f"{txt('bab', lang)} III", txt("ch3", lang))
    pri = Section("s3-1", "3.1", txt("s_priority", lang), [
        Block("md", markdown_html(pr.summary_markdown(b.plan))),
        figure(ch, {"id": "Peringkat prioritas program", "en": "Programme priority ranking"}[lang],
               _fig((key, lang, "prog_rank"), lambda: pr.ranking_figure(b.plan))),
        table(ch, {"id": "Lima belas program dengan prioritas tertinggi", "en": "Fifteen highest-priority programmes"}[lang],
              pr.ranking_table(b.plan, top=15), "programme_ranking", wide=True)])
    bud = Section("s3-2", "3.2", txt("s_budget", lang), [
        Block("p", {"id": "Program dipilih secara eksak (pemrograman bilangan bulat) sehingga nilai kebutuhan yang "
                          "terdanai sebesar mungkin di bawah pagu, kapasitas sesi dan hak 20 JP; grafik menunjukkan "
                          "nilai yang terdanai bila pagu lebih kecil atau lebih besar.",
                    "en": "Programmes are chosen exactly (integer programming) so the funded need value is as large as "
                          "possible under the ceiling, session capacities and the 20-JP right; the chart shows the "
                          "funded value at smaller or larger ceilings."}[lang]),
        figure(ch, {"id": "Nilai kebutuhan yang terdanai per tingkat anggaran", "en": "Funded need value by budget level"}[lang],
               _fig((key, lang, "frontier"), lambda: pr.frontier_figure(b.plan)))])
    c3.sections = [pri, bud]
    if not unit:
        c3.sections.append(Section("s3-3", "3.3", txt("s_reasons", lang), [
            table(ch, {"id": "Alasan setiap program masuk atau tidak masuk rencana",
                       "en": "Why each programme is in or out of the plan"}[lang], pr.explanations_table(b.plan),
                  "explanations")]))
    chapters.append(c3)

    # BAB IV — implementation plan
    ch = "4"
    c4 = Chapter("bab4", f"{txt('bab', lang)} IV", txt("ch4", lang))
    plan_s = Section("s4-1", "4.1", txt("s_plan", lang))
    if unit:
        plan_s.blocks.append(bullets(nv.plan_unit_sentences(b, unit)))
    plan_s.blocks.append(Block("p", {"id": "Tabel memuat unsur rencana menurut PP 11/2017 Pasal 207: jenis kompetensi, "
                                           "sasaran pegawai, jenis dan jalur pengembangan, penyelenggara, jadwal "
                                           "(bulan) dan anggaran.",
                                     "en": "The table holds the plan elements of PP 11/2017 Art. 207: competency, "
                                           "target staff, form and route of development, provider, schedule (month) "
                                           "and budget."}[lang]))
    plan_s.blocks.append(table(ch, {"id": "Rencana pengembangan kompetensi", "en": "Competency development plan"}[lang],
                               nv.plan_table_unit(b, unit), "plan_table", wide=True))
    cov = Section("s4-2", "4.2", txt("s_cov", lang))
    cov_tab = pr.coverage_table(b.plan)
    if unit:
        cov_tab = cov_tab[cov_tab.iloc[:, 0].isin([unit, "INSTANSI"])]
    else:
        cov.blocks.append(figure(ch, {"id": f"PNS yang mencapai {s['jp.minimum_pns']} JP dalam rencana per unit",
                                      "en": f"PNS reaching {s['jp.minimum_pns']} JP in the plan by unit"}[lang],
                                 _fig((key, lang, "coverage"), lambda: pr.coverage_figure(b.plan))))
    cov.blocks.append(table(ch, {"id": "Cakupan JP dalam rencana", "en": "JP coverage in the plan"}[lang],
                            cov_tab.reset_index(drop=True), "coverage"))
    bu = Section("s4-3", "4.3", txt("s_budget_unit", lang), [
        table(ch, {"id": "Kursi peserta dan biaya per unit kerja", "en": "Participant seats and cost by work unit"}[lang],
              nv.budget_table_view(b, unit), "budget_units")])
    c4.sections = [plan_s, cov, bu]
    chapters.append(c4)

    # BAB V — evaluation
    ch = "5"
    c5 = Chapter("bab5", f"{txt('bab', lang)} V", txt("ch5", lang))
    es = Section("s5-1", "5.1", txt("s_eval_sum", lang), [
        Block("md", markdown_html(er.summary_markdown(b.evaluation))),
        Block("p", _strip_md(er.maturity_markdown(b.evaluation)))])
    if unit:
        es.blocks.insert(0, Block("p", {"id": "Evaluasi dilakukan per program untuk seluruh instansi (peserta berasal "
                                              "dari banyak unit); hasil unit ini ada pada Level 4 dan tindak lanjut.",
                                        "en": "Evaluation is per programme for the whole agency (participants come from "
                                              "many units); this unit's own results are in Level 4 and the follow-up."}[lang]))
    l2 = Section("s5-2", "5.2", txt("s_l2", lang), [
        Block("p", er.conventions_markdown(b.evaluation)),
        figure(ch, {"id": "Ukuran efek g_z per program (selang kepercayaan 95%)",
                    "en": "Effect size g_z per programme (95% confidence interval)"}[lang],
               _fig((key, lang, "forest"), lambda: er.forest_figure(b.evaluation)))])
    if not unit:
        l2.blocks.append(table(ch, {"id": "Hasil pembelajaran (pre-test dan post-test) per program",
                                    "en": "Learning results (pre-test and post-test) by programme"}[lang],
                               er.level2_table(b.evaluation), "level2", wide=True))
    else:
        l2.blocks.append(Block("p", {"id": "Rincian per program ada di laporan instansi (Tabel Level 2).",
                                     "en": "Per-programme details are in the agency report (Level 2 table)."}[lang]))
    l3 = Section("s5-3", "5.3", txt("s_l3", lang))
    if not unit:
        l3.blocks.append(table(ch, {"id": "Perubahan perilaku kerja per program",
                                    "en": "Change in work behaviour by programme"}[lang],
                               er.level3_table(b.evaluation), "level3"))
    else:
        l3.blocks.append(Block("p", {"id": "Level 3 diukur per program untuk seluruh instansi; rinciannya ada di "
                                           "laporan instansi (Subbab 5.3).",
                                     "en": "Level 3 is measured per programme for the whole agency; details are in "
                                           "the agency report (section 5.3)."}[lang]))
    l4t = er.level4_table(b.evaluation)
    if unit:
        l4t = l4t[l4t.iloc[:, 0] == unit]
    l4 = Section("s5-4", "5.4", txt("s_l4", lang))
    if unit:
        l4.blocks.append(bullets(nv.evaluation_unit_sentences(b, unit)))
    l4.blocks.append(table(ch, {"id": "Indikator kinerja unit sebelum dan sesudah pelatihan",
                                "en": "Unit performance indicators before and after training"}[lang],
                           l4t.reset_index(drop=True), "level4"))
    if not unit:
        l4.blocks.append(Block("p", txt("l1_note", lang)))
        # Level 4 against comparison units (difference in differences), with its assumptions
        l4.blocks.append(Block("md", markdown_html(er.did_markdown(b.evaluation))))
        did = er.did_table(b.evaluation)
        # only indicators with an estimate; the others are summarised in one sentence above
        did = did[~did.iloc[:, 6].astype(str).str.strip().isin(["", "–", "-"])].reset_index(drop=True)
        if len(did):
            l4.blocks.append(table(ch, {"id": "Selisih perubahan unit yang dilatih dan unit pembanding (DiD)",
                                        "en": "Change in trained units minus comparison units (DiD)"}[lang],
                                   did, "did", wide=True))
    c5.sections = [es, l2, l3, l4]
    if not unit:
        voices = Section("s5-5", "5.5", {"id": "Suara peserta dan atasan", "en": "What participants and supervisors say"}[lang],
                         [Block("md", markdown_html(er.quotes_markdown(b.evaluation, max_groups=4)))])
        c5.sections.append(voices)
    if not unit and roi_missing is None:  # Phillips ROI: only when the optional roi_* inputs were given and valid
        c5.sections.append(Section("s5-6", "5.6", {"id": "Pengembalian investasi (ROI)",
                                                   "en": "Return on investment (ROI)"}[lang], [
            Block("md", markdown_html(roi_view.roi_markdown(b.evaluation))),
            table(ch, {"id": "Biaya, manfaat dan ROI per program (metodologi Phillips)",
                       "en": "Costs, benefits and ROI by programme (Phillips methodology)"}[lang],
                  roi_view.roi_table(b.evaluation), "ROI", wide=True),
            table(ch, {"id": "Manfaat yang dirupiahkan: isolasi efek program dan konversi",
                       "en": "Benefits converted to money: isolating the programme's effect and conversion"}[lang],
                  roi_view.roi_lines_table(b.evaluation), "ROI_manfaat", wide=True)]))
    chapters.append(c5)

    # BAB VI — follow-up
    ch = "6"
    c6 = Chapter("bab6", f"{txt('bab', lang)} VI", txt("ch6", lang))
    fu = Section("s6-1", "6.1", txt("s_fu", lang), [
        bullets(nv.followup_sentences(b, unit)[:-1] or [""]),
        table(ch, {"id": "Pegawai yang memerlukan tindak lanjut per unit dan alasan",
                   "en": "Staff needing follow-up by unit and reason"}[lang],
              er.followup_table(b.evaluation, unit), "followup_units")])
    rec = Section("s6-2", "6.2", txt("s_next", lang), paras(nv.followup_sentences(b, unit)[-1:]))
    place = ctx.agency_name.replace("Pemerintah ", "") if ctx.agency_name else "…"
    sign = Section("s6-3", "6.3", txt("s_sign", lang), [Block("sign", {
        "place": txt("sign_place", lang, place=place),
        "date": txt("sign_date", lang, date="……………………… " + str(ctx.year - 1)),
        "role": txt("sign_role", lang) if not unit else txt("sign_role_unit", lang, unit=nv.unit_display_name(b, unit)),
        "name": txt("sign_name", lang), "nip": txt("sign_nip", lang)})])
    c6.sections = [fu, rec, sign]
    chapters.append(c6)

    # Lampiran
    ch = "L"
    c7 = Chapter("lampiran", "", txt("ch7", lang))
    rows_s = s.table()
    if unit:  # the unit report lists the settings it states figures with, and every agency change;
        # the full table is Appendix A of the agency report (same settings file and hash)
        keys = {"jp.minimum_pns", "jp.pppk_maximum", "suppression.k_count", "suppression.k_distribution",
                "priorities.method", "plan.funding", "evaluation.alpha", "evaluation.p_adjust",
                "evaluation.meaningful_gain_g_z"}
        rows_s = [r for r in rows_s if r["key"] in keys or r["changed"]]
    st = pd.DataFrame([{txt("key", lang): r["key"], txt("value", lang): _short(r["value"]),
                        txt("source", lang): r["source"], txt("changed", lang): txt("yes" if r["changed"] else "no", lang)}
                       for r in rows_s])
    sp = (txt("settings_file", lang, path=s.path, sha=s.sha256) if s.path else
          txt("settings_default", lang, sha=s.sha256))
    intro_s = [Block("p", txt("settings_intro", lang)), Block("p", sp)]
    if unit:
        intro_s.append(Block("p", {"id": "Tabel ini memuat pengaturan yang dipakai dalam angka laporan unit dan setiap "
                                         "pengaturan yang diubah instansi; daftar lengkap ada di Lampiran A laporan "
                                         "instansi (berkas dan hash pengaturan yang sama).",
                                   "en": "This table lists the settings behind the figures of this unit report and "
                                         "every setting the agency changed; the full list is Appendix A of the agency "
                                         "report (same settings file and hash)."}[lang]))
    a = Section("la", "A", txt("a_settings", lang), [*intro_s,
              table(ch, txt("a_settings", lang), st, "settings", wide=True)])
    tb = None
    if not unit:
        tb = Section("lb", "B", txt("a_tables", lang), [
            table(ch, {"id": "Kesenjangan kompetensi per unit dan kompetensi",
                       "en": "Competency gaps by unit and competency"}[lang],
                  nr.unit_table(b.needs, None), "unit_competency", wide=True),
            table(ch, {"id": "Reaksi peserta (Level 1) per program dan aspek",
                       "en": "Participant reaction (Level 1) by programme and aspect"}[lang],
                  er.level1_table(b.evaluation), "level1", wide=True)])
    prm = {k2: v for k2, v in (params or {}).items()}
    prov_rows = [(txt("param", lang) + f": {k2}", "" if v is None else str(v)) for k2, v in prm.items()]
    prov_rows += [(txt("file", lang) + f": {f}", h) for f, h in bundle.input_hashes.items()]
    prov_rows += [("settings", f"{s.path or '(bawaan / default)'} · {s.sha256}")]
    if notebook_sha:
        prov_rows.append(("notebooks/04_laporan.ipynb", notebook_sha))
    prov_rows += [(txt("package", lang) + f": {p}", v) for p, v in _package_versions()]
    prov = pd.DataFrame(prov_rows, columns=[txt("param", lang) + " / " + txt("file", lang), txt("value", lang)])
    c = Section("lc", "C" if tb else "B", txt("a_prov", lang) if tb else txt("a_prov", lang).replace(" C.", " B."), [Block("p", txt("prov_intro", lang, version=__version__)),
                                                  table(ch, txt("a_prov", lang), prov, "provenance", wide=True)])
    c7.sections = [x for x in (a, tb, c) if x is not None]
    chapters.append(c7)

    scope = txt("agency_scope", lang) if not unit else f"{nv.unit_display_name(b, unit)}"
    return ReportDoc(lang, txt("report_title", lang), txt("report_sub", lang), ctx.agency_name, scope, ctx.year,
                     fmt_date(_dt.date.today(), lang), chapters, unit)


def _short(v: Any) -> str:
    s = str(v)
    return s if len(s) <= 80 else s[:77] + "…"


def _strip_md(md: str) -> str:
    return md.replace("**", "")


# ----------------------------------------------------------------------------- HTML / PDF
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("workbook.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                             lstrip_blocks=True)
    return env.get_template("report.html.j2")


def _css() -> str:
    return resources.files("workbook.report").joinpath("report.css").read_text(encoding="utf-8")


def render_html(doc: ReportDoc) -> str:
    """The self-contained HTML of a report document."""
    from markupsafe import Markup

    return _template().render(doc=doc, css=Markup(_css()), txt=lambda k: txt(k, doc.lang), Markup=Markup)


def _no_network():
    """A URL fetcher for data: URIs only — the PDF is printed without network or file access."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def write_pdf(html: str, path: str | Path) -> tuple[Path, int]:
    """Print ``html`` to PDF with WeasyPrint (atomically); returns the path and the page count."""
    from weasyprint import HTML

    doc = HTML(string=html, url_fetcher=_no_network()).render()
    with artefacts.atomic_path(path) as tmp:
        doc.write_pdf(tmp)
    return Path(path), len(doc.pages)


# ----------------------------------------------------------------------------- files
def report_dir(output_dir: str | Path, year: int, unit: str | None) -> Path:
    return Path(output_dir) / str(int(year)) / "reports" / "laporan" / (unit or AGENCY)


def report_files(output_dir: str | Path, year: int, unit: str | None, lang: str,
                 formats: tuple[str, ...]) -> dict[str, Path]:
    d = report_dir(output_dir, year, unit)
    stem = f"laporan_{year}_{unit or AGENCY}" + ("" if lang == "id" else "_en")
    return {f: d / f"{stem}.{f}" for f in formats}


@dataclass
class RenderResult:
    unit: str | None
    files: dict[str, Path]
    pages: int | None
    seconds: dict[str, float]
    html: str = ""


def _xlsx(doc: ReportDoc, path: Path) -> Path:
    """The report's tables, as shown (suppressed), one sheet per table."""
    sheets: dict[str, pd.DataFrame] = {}
    for ch in doc.chapters:
        for sec in ch.sections:
            for blk in sec.blocks:
                if blk.kind == "table" and blk.key not in ("settings", "provenance"):
                    df = _table_frame(blk.content)
                    name = f"{blk.number} {blk.key}"[:31]
                    sheets[name] = df
    return artefacts.write_xlsx(sheets, path, lang=doc.lang,
                                banner={"id": "Agregat (boleh dibagikan)", "en": "Aggregate (shareable)"}[doc.lang])


def _table_frame(table: str) -> pd.DataFrame:
    heads = [_html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", table)]
    rows = [[_html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
            for r in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1])]
    return pd.DataFrame(rows, columns=heads)


def render_report(bundle, unit: str | None, *, formats: tuple[str, ...] = ("html", "pdf", "xlsx"),
                  params: dict | None = None, notebook_sha: str | None = None,
                  output_dir: str | Path | None = None) -> RenderResult:
    """Render one report (agency when ``unit`` is None) in ``formats``; every file written atomically."""
    from workbook.core.exceptions import WorkbookError

    if unit is not None and unit not in set(bundle.dc.units["kode_unit"]):
        raise WorkbookError(f"Kode unit tidak dikenal: {unit}", f"Unknown unit code: {unit}", column="unit", value=unit)
    t0 = time.perf_counter()
    doc = build_document(bundle, unit, params=params, notebook_sha=notebook_sha)
    t1 = time.perf_counter()
    html = render_html(doc)
    t2 = time.perf_counter()
    out = output_dir or bundle.ctx.output_dir
    files = report_files(out, bundle.ctx.year, unit, bundle.ctx.lang, tuple(formats))
    secs = {"build": t1 - t0, "html": t2 - t1}
    pages = None
    if "html" in files:
        artefacts.atomic_write_text(files["html"], html)
    if "pdf" in files:
        t = time.perf_counter()
        _, pages = write_pdf(html, files["pdf"])
        secs["pdf"] = time.perf_counter() - t
    if "xlsx" in files:
        t = time.perf_counter()
        _xlsx(doc, files["xlsx"])
        secs["xlsx"] = time.perf_counter() - t
    return RenderResult(unit, files, pages, secs, html)
