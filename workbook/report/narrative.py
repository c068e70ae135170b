"""The words of the yearly report that belong to no single stage: cover, chapter titles, the
legal basis and scope of chapter I, the approval block and the appendices.

The findings of each stage — including the unit-level sentences, whose every number is read from
the agency's *suppressed* tables filtered to the unit — are written by the stage's own
``report.py`` (its ``chapter`` function).
"""

from __future__ import annotations

from workbook.core.suppression import k_for

__all__ = ["TEXT", "txt", "intro_paragraphs", "unit_display_name"]

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
        "s_data": "Sumber Data dan Kerahasiaan", "s_sign": "Pengesahan",
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
        "s_data": "Data Sources and Confidentiality", "s_sign": "Approval",
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
        "hidden_note": "Cells reading \"suppressed (n < {k})\" hide the figures of small groups (fewer than {k} people) together with one comparison group, so they cannot be recovered by subtraction; distributions use a limit of {kd}.",
    },
}


def txt(key: str, lang: str, **kw) -> str:
    s = TEXT[lang][key]
    return s.format(**kw) if kw else s


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
    """The unit's name from the data check's overview (its code when unknown)."""
    u = bundle.dc.units
    row = u[u["kode_unit"] == unit]
    return str(row["nama_unit"].iloc[0]) if len(row) else unit
