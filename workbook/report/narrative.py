"""Sentences of the yearly report that the stage presentation modules do not provide.

Chapter introductions, the legal basis, and the unit-level findings. Every number in a unit
sentence is read from the agency's *suppressed* tables (``shown_*``) filtered to the unit, so a
unit report never states a figure that the agency report hides; where a unit's figures are hidden
the sentence says so ("disembunyikan (n < 5)").
"""

from __future__ import annotations

import pandas as pd

from workbook.core.i18n import fmt_int, fmt_number, fmt_percent, fmt_rupiah
from workbook.core.suppression import k_for

__all__ = ["TEXT", "txt", "intro_paragraphs", "unit_overview_sentences", "needs_unit_sentences",
           "plan_unit_sentences", "evaluation_unit_sentences", "followup_sentences", "plan_table_unit",
           "budget_table_view", "hidden_label"]

TEXT: dict[str, dict[str, str]] = {
    "id": {
        "report_title": "Laporan Tahunan Pengembangan Kompetensi Aparatur Sipil Negara",
        "report_sub": "Analisis Kebutuhan, Rencana, Evaluasi dan Tindak Lanjut",
        "monitor_title": "Laporan Pemantauan Realisasi Pengembangan Kompetensi",
        "year": "Tahun Rencana",
        "agency_scope": "Seluruh Perangkat Daerah",
        "unit_scope": "Unit Kerja",
        "prepared": "Disusun oleh BKPSDM",
        "date": "Tanggal",
        "toc": "Daftar Isi",
        "ch1": "Pendahuluan", "ch2": "Analisis Kebutuhan", "ch3": "Program dan Prioritas",
        "ch4": "Rencana Implementasi", "ch5": "Evaluasi", "ch6": "Tindak Lanjut", "ch7": "Lampiran",
        "bab": "BAB",
        "s_background": "Latar Belakang", "s_purpose": "Maksud dan Tujuan", "s_scope": "Ruang Lingkup",
        "s_data": "Sumber Data dan Kerahasiaan",
        "s_overview": "Gambaran Umum Pegawai", "s_gap": "Kesenjangan Kompetensi", "s_rank": "Peringkat Kebutuhan",
        "s_perf": "Kesenjangan Kinerja", "s_prof": "Profil Kebutuhan",
        "s_priority": "Prioritas Program", "s_budget": "Pagu Anggaran dan Pilihan Program", "s_reasons": "Alasan Program Masuk atau Tidak",
        "s_plan": "Rencana Pengembangan Kompetensi (PP 11/2017 Pasal 207)", "s_cov": "Cakupan Hak 20 JP",
        "s_budget_unit": "Anggaran per Unit Kerja",
        "s_eval_sum": "Ringkasan Evaluasi", "s_l2": "Level 2 — Pembelajaran", "s_l1": "Level 1 — Reaksi",
        "s_l3": "Level 3 — Perilaku", "s_l4": "Level 4 — Hasil",
        "s_fu": "Pegawai yang Memerlukan Tindak Lanjut", "s_next": "Rekomendasi", "s_sign": "Pengesahan",
        "a_settings": "Lampiran A. Pengaturan yang Digunakan", "a_tables": "Lampiran B. Tabel Rinci",
        "a_prov": "Lampiran C. Asal-usul Data dan Perhitungan (Provenans)",
        "fig": "Gambar", "tab": "Tabel",
        "agency_note": "Profil kebutuhan, prioritas program, rencana dan evaluasi ditetapkan untuk seluruh instansi; laporan unit ini menampilkan bagian unit dari keputusan yang sama.",
        "sign_place": "Ditetapkan di {place}",
        "sign_date": "pada tanggal {date}",
        "sign_role": "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "sign_role_unit": "Kepala {unit}",
        "sign_name": "(nama lengkap dan gelar)",
        "sign_nip": "NIP. ………………………………",
        "param": "Parameter", "value": "Nilai", "key": "Pengaturan", "source": "Sumber", "changed": "Diubah",
        "file": "Berkas", "sha": "SHA-256", "package": "Paket", "version": "Versi",
        "prov_intro": "Laporan ini dibuat otomatis oleh buku kerja Rencana Pembinaan ASN versi {version} dari data dan pengaturan berikut. Hash SHA-256 memungkinkan siapa pun memeriksa bahwa laporan dibuat dari berkas yang sama.",
        "settings_file": "Berkas pengaturan: {path} (SHA-256 {sha}).",
        "settings_default": "Pengaturan bawaan buku kerja (tanpa berkas instansi), SHA-256 {sha}.",
        "settings_intro": "Ambang dan parameter yang dipakai dalam perhitungan, dengan sumber regulasi atau rujukannya. Baris bertanda \"ya\" diubah oleh instansi dari nilai bawaan.",
        "yes": "ya", "no": "",
        "no_figure": "Gambar tidak ditampilkan: kelompok terlalu kecil (disembunyikan (n < {k})).",
        "l1_note": "Rincian Level 1 per program dan aspek ada di Lampiran B.",
        "hidden_note": "Sel bertuliskan \"disembunyikan (n < {k})\" menyembunyikan angka kelompok kecil (kurang dari {k} orang) beserta satu kelompok pembanding, agar tidak dapat dihitung balik; distribusi memakai batas {kd}.",
    },
    "en": {
        "report_title": "Yearly Report on Civil Servant Competency Development",
        "report_sub": "Needs Analysis, Plan, Evaluation and Follow-up",
        "monitor_title": "Monitoring Report on Competency Development Realisation",
        "year": "Plan Year",
        "agency_scope": "All Regional Government Units",
        "unit_scope": "Work Unit",
        "prepared": "Prepared by the BKPSDM",
        "date": "Date",
        "toc": "Contents",
        "ch1": "Introduction", "ch2": "Needs Analysis", "ch3": "Programmes and Priorities",
        "ch4": "Implementation Plan", "ch5": "Evaluation", "ch6": "Follow-up", "ch7": "Appendices",
        "bab": "CHAPTER",
        "s_background": "Background", "s_purpose": "Purpose", "s_scope": "Scope",
        "s_data": "Data Sources and Confidentiality",
        "s_overview": "Staff Overview", "s_gap": "Competency Gaps", "s_rank": "Need Ranking",
        "s_perf": "Performance Gaps", "s_prof": "Need Profiles",
        "s_priority": "Programme Priorities", "s_budget": "Budget Ceiling and Programme Choice", "s_reasons": "Why Each Programme Is In or Out",
        "s_plan": "Competency Development Plan (PP 11/2017 Art. 207)", "s_cov": "Coverage of the 20-JP Right",
        "s_budget_unit": "Budget by Work Unit",
        "s_eval_sum": "Evaluation Summary", "s_l2": "Level 2 — Learning", "s_l1": "Level 1 — Reaction",
        "s_l3": "Level 3 — Behaviour", "s_l4": "Level 4 — Results",
        "s_fu": "Staff Needing Follow-up", "s_next": "Recommendations", "s_sign": "Approval",
        "a_settings": "Appendix A. Settings Used", "a_tables": "Appendix B. Detailed Tables",
        "a_prov": "Appendix C. Provenance",
        "fig": "Figure", "tab": "Table",
        "agency_note": "Need profiles, programme priorities, the plan and the evaluation are decided for the whole agency; this unit report shows the unit's share of those same decisions.",
        "sign_place": "Issued at {place}",
        "sign_date": "on {date}",
        "sign_role": "Head of the Civil Service and HR Development Agency",
        "sign_role_unit": "Head of {unit}",
        "sign_name": "(full name and title)",
        "sign_nip": "NIP. ………………………………",
        "param": "Parameter", "value": "Value", "key": "Setting", "source": "Source", "changed": "Changed",
        "file": "File", "sha": "SHA-256", "package": "Package", "version": "Version",
        "prov_intro": "This report was generated by the Rencana Pembinaan ASN workbook version {version} from the data and settings below. The SHA-256 hashes let anyone check that the report was made from the same files.",
        "settings_file": "Settings file: {path} (SHA-256 {sha}).",
        "settings_default": "The workbook's default settings (no agency file), SHA-256 {sha}.",
        "settings_intro": "Thresholds and parameters used in the calculations, with their regulatory source. Rows marked \"yes\" were changed by the agency from the default.",
        "yes": "yes", "no": "",
        "no_figure": "Figure not shown: group too small (suppressed (n < {k})).",
        "l1_note": "Level 1 details by programme and aspect are in Appendix B.",
        "hidden_note": "Cells reading \"suppressed (n < {k})\" hide the figures of small groups (fewer than {k} people) together with one comparison group, so they cannot be recovered by subtraction; distributions use a limit of {kd}.",
    },
}


def txt(key: str, lang: str, **kw) -> str:
    s = TEXT[lang][key]
    return s.format(**kw) if kw else s


def hidden_label(lang: str, settings) -> str:
    k = k_for("count", settings)
    return ("disembunyikan (n < {k})" if lang == "id" else "suppressed (n < {k})").format(k=k)


def intro_paragraphs(bundle, unit: str | None) -> dict[str, list[str]]:
    """Paragraphs of chapter I (background, purpose, scope, data) for the agency or one unit."""
    ctx = bundle.ctx
    lang, s = ctx.lang, ctx.settings
    agency, year = ctx.agency_name, ctx.year
    jp = s["jp.minimum_pns"]
    unit_name = unit_display_name(bundle, unit) if unit else None
    k, kd = k_for("count", s), k_for("distribution", s)
    if lang == "id":
        bg = [
            "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara menempatkan pengembangan kompetensi "
            "sebagai hak setiap pegawai ASN dan kewajiban instansi. Peraturan Pemerintah Nomor 11 Tahun 2017 tentang "
            "Manajemen Pegawai Negeri Sipil sebagaimana telah diubah dengan Peraturan Pemerintah Nomor 17 Tahun 2020 "
            f"menetapkan bahwa setiap PNS memiliki hak dan kesempatan mengembangkan kompetensi paling sedikit {jp} "
            "jam pelajaran (JP) dalam satu tahun.",
            "Pasal 206 peraturan tersebut mewajibkan instansi menyusun kebutuhan pengembangan kompetensi melalui "
            "analisis kesenjangan kompetensi dan analisis kesenjangan kinerja, dan Pasal 207 mengatur unsur "
            "rencana pengembangan kompetensi tahunan. Pelaksanaannya dievaluasi dan hasilnya menjadi dasar "
            "tindak lanjut serta perencanaan tahun berikutnya.",
        ]
        purpose = [
            f"Laporan ini menyajikan siklus tahunan pengembangan kompetensi {agency} untuk tahun rencana {year}: "
            "kebutuhan yang ditemukan, program yang diprioritaskan di bawah pagu anggaran, rencana pelaksanaan, "
            "hasil evaluasi program tahun lalu, dan tindak lanjutnya, sebagai bahan penetapan oleh Pejabat Pembina "
            "Kepegawaian (PPK) dan bahan penyusunan Rencana Kerja dan Anggaran (RKA).",
        ]
        scope = ([f"Laporan ini mencakup seluruh perangkat daerah {agency}."] if not unit else
                 [f"Laporan ini mencakup {unit_name} ({unit}) sebagai bagian dari {agency}. "
                  + txt("agency_note", lang)])
        data = [
            "Data berasal dari berkas kepegawaian, survei AKPK pegawai dan atasan, hasil asesmen, realisasi "
            "pengembangan, evaluasi pasca pelatihan, indikator kinerja unit, katalog program dan pagu anggaran "
            f"instansi (folder {ctx.data_dir.name}). NIP diganti ID samaran berkunci saat data dimuat dan nama dibuang; "
            "laporan ini hanya memuat angka agregat.",
            txt("hidden_note", lang, k=k, kd=kd),
        ]
    else:
        bg = [
            "Law 20/2023 on the State Civil Apparatus makes competency development a right of every civil servant "
            "and a duty of the agency. Government Regulation 11/2017 on Civil Servant Management, as amended by "
            f"Government Regulation 17/2020, gives every civil servant (PNS) the right to at least {jp} learning hours "
            "(JP) of competency development a year.",
            "Article 206 requires agencies to determine development needs through competency-gap and "
            "performance-gap analyses, and Article 207 sets the elements of the yearly development plan. "
            "Implementation is evaluated, and the results drive the follow-up and next year's plan.",
        ]
        purpose = [
            f"This report presents {agency}'s yearly competency-development cycle for plan year {year}: the needs "
            "found, the programmes prioritised under the budget ceiling, the implementation plan, the evaluation of "
            "last year's programmes and the follow-up, for decision by the staffing authority (PPK) and for the "
            "annual work plan and budget (RKA).",
        ]
        scope = ([f"This report covers all regional government units of {agency}."] if not unit else
                 [f"This report covers {unit_name} ({unit}) as part of {agency}. " + txt("agency_note", lang)])
        data = [
            "Data come from the staff records, the TNA surveys of staff and supervisors, assessment results, "
            "development realisation, post-training evaluations, unit performance indicators, the programme "
            f"catalogue and the agency's budget ceiling (folder {ctx.data_dir.name}). NIP is replaced by a keyed "
            "pseudonym on load and names are dropped; this report contains aggregates only.",
            txt("hidden_note", lang, k=k, kd=kd),
        ]
    return {"background": bg, "purpose": purpose, "scope": scope, "data": data}


def unit_display_name(bundle, unit: str) -> str:
    u = bundle.dc.units
    row = u[u["kode_unit"] == unit]
    return str(row["nama_unit"].iloc[0]) if len(row) else unit


def _unit_row(df: pd.DataFrame, unit: str) -> pd.Series | None:
    r = df[df["kode_unit"] == unit]
    return r.iloc[0] if len(r) else None


def unit_overview_sentences(bundle, unit: str) -> list[str]:
    """Headcount, survey response and last year's 20 JP for one unit, from the suppressed overview."""
    ctx = bundle.ctx
    lang, s = ctx.lang, ctx.settings
    hid = hidden_label(lang, s)
    row = _unit_row(bundle.dc.units, unit)
    if row is None:
        return []
    name = row["nama_unit"]
    num = lambda v, f: hid if v is None or (isinstance(v, float) and v != v) else f(v)  # noqa: E731
    if lang == "id":
        out = [f"{name} ({unit}) memiliki {num(row['headcount'], lambda v: fmt_int(v, lang))} pegawai pada data tahun "
               f"rencana {ctx.year}.",
               f"Responden survei AKPK: {num(row['n_respondents'], lambda v: fmt_int(v, lang))}; tingkat respons "
               f"{num(row['response_rate'], lambda v: fmt_percent(v, lang))}.",
               f"Tahun lalu, pegawai yang mencapai target JP: {num(row['share_reached'], lambda v: fmt_percent(v, lang))}; "
               f"rata-rata {num(row['mean_jp'], lambda v: fmt_number(v, lang, 1))} JP per pegawai."]
    else:
        out = [f"{name} ({unit}) has {num(row['headcount'], lambda v: fmt_int(v, lang))} employees in the data for plan "
               f"year {ctx.year}.",
               f"TNA survey respondents: {num(row['n_respondents'], lambda v: fmt_int(v, lang))}; response rate "
               f"{num(row['response_rate'], lambda v: fmt_percent(v, lang))}.",
               f"Last year, staff reaching their JP target: {num(row['share_reached'], lambda v: fmt_percent(v, lang))}; "
               f"mean {num(row['mean_jp'], lambda v: fmt_number(v, lang, 1))} JP per employee."]
    return out


def needs_unit_sentences(bundle, unit: str) -> list[str]:
    """The unit's largest competency gaps, read from the suppressed unit × competency table only."""
    from workbook.needs.stage import shown_performance_units, shown_unit_competency

    res = bundle.needs
    lang, s = res.ctx.lang, res.ctx.settings
    names = res.competency_names()
    uc = shown_unit_competency(res)
    uc = uc[uc["kode_unit"] == unit]
    shown = uc[~uc["suppressed"] & uc["share_below"].notna()]
    k = k_for("count", s)
    out = []
    if len(uc) and not len(shown):
        out.append({"id": f"Angka kebutuhan kompetensi unit ini disembunyikan (n < {k}): jumlah responden survei atau "
                          "pegawai yang dinilai terlalu kecil untuk dilaporkan tanpa mengungkap individu. Kebutuhan "
                          "pegawainya tetap masuk perhitungan tingkat instansi dan rencana.",
                    "en": f"The unit's competency-need figures are suppressed (n < {k}): too few survey respondents or "
                          "assessed staff to report without revealing individuals. Its staff's needs still count in "
                          "the agency-wide figures and in the plan."}[lang])
    elif len(shown):
        top = shown.sort_values("share_below", ascending=False).head(3)
        items = "; ".join(f"{names.get(c, c)} ({fmt_percent(v, lang)})"
                          for c, v in zip(top["kode_kompetensi"], top["share_below"], strict=False))
        out.append({"id": f"Kompetensi dengan porsi pegawai di bawah standar terbesar di unit ini: {items}.",
                    "en": f"Competencies with the largest share of staff below standard in this unit: {items}."}[lang])
        n_hidden = int(uc["suppressed"].sum())
        if n_hidden:
            out.append({"id": f"{fmt_int(n_hidden, lang)} baris kompetensi disembunyikan (n < {k}).",
                        "en": f"{fmt_int(n_hidden, lang)} competency rows are suppressed (n < {k})."}[lang])
    perf = _unit_row(shown_performance_units(res), unit)
    if perf is not None:
        if bool(perf["suppressed"]):
            out.append({"id": f"Kesenjangan kinerja unit: disembunyikan (n < {k}).",
                        "en": f"Unit performance gap: suppressed (n < {k})."}[lang])
        elif perf["share_below"] == perf["share_below"]:
            out.append({"id": f"{fmt_percent(perf['share_below'], lang)} pegawai unit dengan data kinerja berada di bawah target SKP.",
                        "en": f"{fmt_percent(perf['share_below'], lang)} of the unit's staff with performance data are below their SKP target."}[lang])
    return out


def plan_unit_sentences(bundle, unit: str) -> list[str]:
    """The unit's seats, cost and 20-JP coverage in the agency plan (suppressed coverage)."""
    from workbook.plan.stage import shown_coverage

    res = bundle.plan
    lang, s = res.ctx.lang, res.ctx.settings
    k = k_for("count", s)
    out = []
    b = _unit_row(res.budget, unit)
    if b is not None:
        out.append({"id": f"Rencana instansi menyediakan {fmt_int(b['participants'], lang)} kursi peserta bagi unit ini "
                          f"dengan biaya {fmt_rupiah(b['cost'], lang)}; penempatan per orang mengisi "
                          f"{fmt_int(b['participants_assigned'], lang)} kursi ({fmt_rupiah(b['cost_assigned'], lang)}).",
                    "en": f"The agency plan provides {fmt_int(b['participants'], lang)} participant seats for this unit at "
                          f"{fmt_rupiah(b['cost'], lang)}; person assignment fills {fmt_int(b['participants_assigned'], lang)} "
                          f"seats ({fmt_rupiah(b['cost_assigned'], lang)})."}[lang])
    cov = shown_coverage(res)
    c = _unit_row(cov[cov["tingkat"] == "unit"], unit)
    if c is not None:
        if bool(c["suppressed"]) or c["share_reaching"] != c["share_reaching"]:
            out.append({"id": f"Cakupan 20 JP unit: disembunyikan (n < {k}).",
                        "en": f"Unit 20-JP coverage: suppressed (n < {k})."}[lang])
        else:
            out.append({"id": f"{fmt_percent(c['share_reaching'], lang)} PNS unit ini mencapai minimal {s['jp.minimum_pns']} JP "
                              f"dalam rencana ({fmt_int(c['pns_reaching'], lang)} dari {fmt_int(c['pns'], lang)}); "
                              f"rata-rata {fmt_number(c['jp_pns_mean'], lang, 1)} JP per PNS.",
                        "en": f"{fmt_percent(c['share_reaching'], lang)} of this unit's PNS reach at least {s['jp.minimum_pns']} JP "
                              f"in the plan ({fmt_int(c['pns_reaching'], lang)} of {fmt_int(c['pns'], lang)}); "
                              f"mean {fmt_number(c['jp_pns_mean'], lang, 1)} JP per PNS."}[lang])
    n_prog = int(plan_rows_for_unit(res.plan_table, unit).shape[0])
    out.append({"id": f"Unit ini menjadi sasaran {fmt_int(n_prog, lang)} baris program dalam rencana instansi (Tabel di bawah).",
                "en": f"This unit is a target of {fmt_int(n_prog, lang)} programme lines of the agency plan (table below)."}[lang])
    return out


def evaluation_unit_sentences(bundle, unit: str) -> list[str]:
    """Level 4 indicators of the unit (descriptive)."""
    res = bundle.evaluation
    lang = res.ctx.lang
    l4 = res.level4
    if not len(l4):
        return []
    u = l4[l4["kode_unit"] == unit]
    if not len(u):
        return [{"id": "Tidak ada indikator kinerja unit (Level 4) untuk unit ini.",
                 "en": "There are no unit performance indicators (Level 4) for this unit."}[lang]]
    imp = int(u["improved"].fillna(False).astype(bool).sum())
    return [{"id": f"Level 4: {fmt_int(imp, lang)} dari {fmt_int(len(u), lang)} indikator unit membaik (deskriptif, tanpa kelompok pembanding).",
             "en": f"Level 4: {fmt_int(imp, lang)} of {fmt_int(len(u), lang)} unit indicators improved (descriptive, no comparison group)."}[lang]]


def followup_sentences(bundle, unit: str | None) -> list[str]:
    """Follow-up counts by reason (suppressed table) and the needs carried into next year."""
    res = bundle.evaluation
    lang, s = res.ctx.lang, res.ctx.settings
    k = k_for("count", s)
    d = res.followup_units
    if unit:
        d = d[d["kode_unit"] == unit]
    out = []
    if not len(d):
        return out
    vis = d[~d["suppressed"] & d["n"].notna()]
    if unit and not len(vis):
        out.append({"id": f"Jumlah pegawai unit yang memerlukan tindak lanjut disembunyikan (n < {k}).",
                    "en": f"The number of unit staff needing follow-up is suppressed (n < {k})."}[lang])
    elif len(vis):
        from workbook.evaluation.words import words

        g = vis.assign(_r=words(vis, "reason", lang)).groupby("_r")["n"].sum()
        g = g.sort_values(ascending=False)
        items = "; ".join(f"{r} {fmt_int(v, lang)}" for r, v in g.items())
        out.append({"id": f"Pegawai yang memerlukan tindak lanjut menurut alasan (angka yang ditampilkan): {items}.",
                    "en": f"Staff needing follow-up by reason (figures shown): {items}."}[lang])
    if not unit and len(res.carry_over):
        out.append({"id": f"{fmt_int(res.carry_over['pegawai_id'].nunique(), lang)} pegawai membawa kebutuhan yang belum "
                          f"terpenuhi ke analisis kebutuhan tahun {res.ctx.year + 1}; prioritasnya dinaikkan pada siklus berikutnya.",
                    "en": f"{fmt_int(res.carry_over['pegawai_id'].nunique(), lang)} employees carry unmet needs into the needs "
                          f"analysis of {res.ctx.year + 1}; their priority is raised in the next cycle."}[lang])
    out.append({"id": "Tindak lanjut yang disarankan: (1) program perbaikan atau pengulangan bagi peserta dengan skor post-test "
                      "di bawah batas lulus; (2) coaching dan mentoring oleh atasan langsung bagi pegawai yang kompetensinya "
                      "masih di bawah standar; (3) penjadwalan e-learning atau pembelajaran nonklasikal bagi pegawai yang JP-nya "
                      "belum mencapai target; (4) kebutuhan yang belum terpenuhi dimasukkan ke AKPK tahun berikutnya.",
                "en": "Recommended follow-up: (1) remedial or repeat programmes for participants whose post-test is below the "
                      "pass mark; (2) coaching and mentoring by the direct supervisor for staff still below standard; "
                      "(3) e-learning or other non-classroom learning for staff below the JP target; (4) unmet needs go into "
                      "next year's needs analysis."}[lang])
    return out


_PLAN_EN = {"need_type": "jenis_kebutuhan", "competency_code": "kode_kompetensi", "competency_type": "jenis_kompetensi",
            "target_employees": "target_pns", "target_units": "target_unit", "development_form": "jenis_pengembangan",
            "development_route": "jalur_pengembangan", "programme_id": "program_id", "programme_name": "nama_program",
            "provider": "penyelenggara", "schedule": "jadwal", "curriculum_fit": "kesesuaian_kurikulum",
            "budget": "anggaran", "employees_in_need": "kebutuhan_pns"}


def plan_rows_for_unit(plan_table: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    """Rows of the plan table targeting ``unit`` (all rows for the agency); column names as in Indonesian."""
    plan_table = plan_table.rename(columns=_PLAN_EN)
    if not unit:
        return plan_table
    units = plan_table["target_unit"].fillna("").astype(str).str.split(";")
    return plan_table[units.map(lambda xs: unit in xs)]


def plan_table_unit(bundle, unit: str | None) -> pd.DataFrame:
    """The Pasal 207 plan table with Indonesian/English headers (rows targeting ``unit``)."""
    from workbook.present.format import format_table

    res = bundle.plan
    lang = res.ctx.lang
    d = plan_rows_for_unit(res.plan_table, unit).copy()
    d["jadwal"] = d["jadwal"].fillna("").astype(str).str.replace(";", ", ")
    d["target_unit"] = d["target_unit"].fillna("").astype(str).str.replace(";", ", ")
    cols = {"program_id": "text", "nama_program": "text", "kode_kompetensi": "text", "jalur_pengembangan": "text",
            "penyelenggara": "text", "target_pns": "int", "jp": "int", "jadwal": "text", "anggaran": "rp"}
    if not unit:
        cols = {**{k: v for k, v in cols.items() if k != "anggaran"}, "target_unit": "text", "anggaran": "rp"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings)
    heads = {"id": {"program_id": "Kode", "nama_program": "Program", "kode_kompetensi": "Kompetensi",
                    "jalur_pengembangan": "Jalur", "penyelenggara": "Penyelenggara", "target_pns": "Sasaran (pegawai)",
                    "jp": "JP", "jadwal": "Bulan", "target_unit": "Unit sasaran", "anggaran": "Anggaran"},
             "en": {"program_id": "Code", "nama_program": "Programme", "kode_kompetensi": "Competency",
                    "jalur_pengembangan": "Route", "penyelenggara": "Provider", "target_pns": "Target (staff)",
                    "jp": "JP", "jadwal": "Month", "target_unit": "Target units", "anggaran": "Budget"}}[lang]
    out.columns = [heads[c] for c in cols]
    return out


def budget_table_view(bundle, unit: str | None) -> pd.DataFrame:
    """Seats and cost per unit (the agency row last), with readable headers."""
    from workbook.present.format import format_table

    res = bundle.plan
    lang = res.ctx.lang
    d = res.budget
    if unit:
        d = d[d["kode_unit"].isin([unit, "INSTANSI"])]
    out = format_table(d, {"kode_unit": "text", "participants": "int", "cost": "rp", "participants_assigned": "int",
                           "cost_assigned": "rp"}, lang=lang)
    out.columns = {"id": ["Unit", "Kursi rencana", "Biaya rencana", "Kursi terisi (per orang)", "Biaya terisi"],
                   "en": ["Unit", "Planned seats", "Planned cost", "Seats filled (per person)", "Cost filled"]}[lang]
    return out
