"""Messages of the widget pages (Indonesian first, English second): the manager dashboards and
the upload page, with one lookup each (:func:`tr`, :func:`ut`).

Kept here, below :mod:`workbook.ui.dashboards` and :mod:`workbook.ui.upload`, so that each page can
name the other (the landing page links to the upload page) without importing it. To be merged
into the i18n catalogue.
"""

from __future__ import annotations

from typing import Any

from workbook.evaluation.words import FOLLOWUP_REASONS as _FOLLOWUP_WORDS

__all__ = ["MESSAGES", "REASONS", "UPLOAD_MESSAGES", "tr", "ut"]

#: messages of the dashboards and the landing page
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

#: the follow-up reasons the dashboards count, in their order (codes of
#: :mod:`workbook.evaluation.followup`) → their words (evaluation's ``FOLLOWUP_REASONS``)
REASONS: dict[str, dict[str, str]] = {
    r: dict(zip(("id", "en"), _FOLLOWUP_WORDS[r], strict=True))
    for r in ("kesenjangan_tersisa", "post_test_rendah", "gain_rendah")
}

#: messages of the upload page
UPLOAD_MESSAGES: dict[str, dict[str, str]] = {
    "title": {"id": "Unggah data baru untuk sesi ini", "en": "Upload new data for this session"},
    "sub": {"id": "Ekspor survei atau evaluasi (CSV/XLSX, paling besar {mb} MB). Berkas diperiksa dulu; data instansi "
                  "tidak pernah ditimpa.",
            "en": "A survey or evaluation export (CSV/XLSX, at most {mb} MB). The file is checked first; the agency's "
                  "data are never overwritten."},
    "back": {"id": "← Semua dasbor", "en": "← All dashboards"},
    "table": {"id": "Tabel", "en": "Table"},
    "auto": {"id": "Kenali otomatis dari kolom", "en": "Detect from the columns"},
    "choose": {"id": "Pilih berkas", "en": "Choose file"},
    "use": {"id": "Gunakan data ini untuk sesi ini", "en": "Use this data for this session"},
    "too_large": {"id": "Berkas \"{name}\" terlalu besar ({size} MB; batas {mb} MB, pengaturan dashboard.upload_max_mb).",
                  "en": "File \"{name}\" is too large ({size} MB; the limit is {mb} MB, setting dashboard.upload_max_mb)."},
    "wrong_type": {"id": "Berkas \"{name}\" bukan CSV atau XLSX. Simpan dari Excel sebagai 'CSV UTF-8' atau .xlsx.",
                   "en": "File \"{name}\" is not CSV or XLSX. Save it from Excel as 'CSV UTF-8' or .xlsx."},
    "empty": {"id": "Berkas \"{name}\" kosong.", "en": "File \"{name}\" is empty."},
    "unreadable": {"id": "Berkas \"{name}\" tidak dapat dibaca: {why}",
                   "en": "File \"{name}\" cannot be read: {why}"},
    "undetected": {"id": "Kolom berkas \"{name}\" tidak cocok dengan tabel survei atau evaluasi mana pun. Pilih tabelnya "
                         "sendiri di daftar \"Tabel\".",
                   "en": "The columns of \"{name}\" match no survey or evaluation table. Pick the table yourself in "
                         "the \"Table\" list."},
    "detected": {"id": "Dikenali sebagai tabel {table}.", "en": "Recognised as table {table}."},
    "report": {"id": "Hasil pemeriksaan berkas \"{name}\" (sebagai {table})",
               "en": "Check of file \"{name}\" (as {table})"},
    "ok": {"id": "Tidak ada kesalahan: data dapat dipakai untuk sesi ini ({w} peringatan).",
           "en": "No errors: the data can be used for this session ({w} warnings)."},
    "not_ok": {"id": "{e} kesalahan: perbaiki berkas lalu unggah lagi. Tombol \"Gunakan\" aktif bila tidak ada kesalahan.",
               "en": "{e} errors: fix the file and upload it again. The \"Use\" button is enabled when there is no error."},
    "no_problems": {"id": "Tidak ada masalah pada berkas ini.", "en": "No problems in this file."},
    "more": {"id": "… dan {n} masalah lain (lihat berkas di folder sesi).", "en": "… and {n} more problems."},
    "others": {"id": "Berkas instansi lainnya (tidak berubah): {e} kesalahan, {w} peringatan.",
               "en": "The agency's other files (unchanged): {e} errors, {w} warnings."},
    "running": {"id": "Menjalankan tahap {stages} untuk sesi ini…", "en": "Running stage(s) {stages} for this session…"},
    "done": {"id": "Data dipakai untuk sesi ini. Hasil sesi ada di {path}; hasil instansi tidak berubah.",
             "en": "The data are used for this session. Session results are in {path}; the agency's results are unchanged."},
    "sev.error": {"id": "KESALAHAN", "en": "ERROR"},
    "sev.warning": {"id": "PERINGATAN", "en": "WARNING"},
    "col.severity": {"id": "Jenis", "en": "Severity"},
    "col.file": {"id": "Berkas", "en": "File"},
    "col.row": {"id": "Baris", "en": "Row"},
    "col.column": {"id": "Kolom", "en": "Column"},
    "col.value": {"id": "Nilai", "en": "Value"},
    "col.expected": {"id": "Diharapkan", "en": "Expected"},
    "col.message": {"id": "Pesan", "en": "Message"},
    "h.response": {"id": "Tingkat respons survei (sesi ini)", "en": "Survey response rate (this session)"},
    "h.response.note": {"id": "{n} dari {total} pegawai mengisi", "en": "{n} of {total} staff answered"},
    "h.evaluation": {"id": "Temuan evaluasi (sesi ini)", "en": "Evaluation finding (this session)"},
    "error": {"id": "Terjadi kesalahan yang tidak terduga. Detail ada di log server.",
              "en": "An unexpected error occurred. Details are in the server log."},
    "kept": {"id": "Salinan berkas unggahan sudah dihapus; hasil sesi dihapus saat sesi berakhir.",
             "en": "The copy of the uploaded file has been deleted; session results are deleted when the session ends."},
    "kept_ttl": {"id": "Folder sesi yang tidak berubah selama {h} jam dihapus otomatis.",
                 "en": "Session folders unchanged for {h} hours are deleted automatically."},
}


def _lookup(catalogue: dict[str, dict[str, str]], key: str, lang: str, kwargs: dict[str, Any]) -> str:
    entry = catalogue[key]
    text = entry.get(lang) or entry["id"]
    return text.format(**kwargs) if kwargs else text


def tr(key: str, lang: str = "id", **kwargs: Any) -> str:
    """The dashboard message ``key`` in ``lang`` (Indonesian when the English text is missing)."""
    return _lookup(MESSAGES, key, lang, kwargs)


def ut(key: str, lang: str = "id", **kwargs: Any) -> str:
    """The upload page's message ``key`` in ``lang``."""
    return _lookup(UPLOAD_MESSAGES, key, lang, kwargs)
