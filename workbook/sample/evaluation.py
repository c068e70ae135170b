"""The sample's evaluation inputs: Kirkpatrick L1–L4 tables, L2 item scores and coded interviews.

Level 1 answers with free comments (among them those with :data:`FAKE_IDENTIFIERS`), Level 2
pre/post tests with realistic gains, Level 3 ratings before/after, ``wawancara`` and the unit
indicators of Level 4 with a planted effect of training (:data:`L4_TREND`, :data:`L4_EFFECT`,
:data:`L4_NOISE_SD`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from workbook.sample.arrays import (
    as_timestamps,
    categorical,
    from_codes,
    masked_str_series,
    str_series,
)
from workbook.sample.catalogue import (
    CATALOGUE,
    CEILING,
    N_PROGRAMMES,
    NO_GAIN,
    PROG_BENTUK,
    PROG_COMP,
    PROGRAMME_IDS,
    PROGRAMME_INDEX,
)
from workbook.sample.structure import CODES, UNITS

__all__ = [
    "FAKE_IDENTIFIERS",
    "L4_TREND",
    "L4_EFFECT",
    "L4_NOISE_SD",
    "evaluation_tables",
    "indikator_table",
]


_TESTED = {"pelatihan_kepemimpinan", "pelatihan_manajerial", "pelatihan_teknis", "pelatihan_fungsional",
           "pelatihan_sosial_kultural", "latsar", "bimtek", "kursus", "e_learning"}
# Item scores of L2 tests (evaluasi_l2_butir): items × points per item = skor_maks (100).
_N_ITEMS = 20
_ITEM_MAX = 5
_L3_BENTUK = {"pelatihan_kepemimpinan", "pelatihan_manajerial", "pelatihan_teknis", "pelatihan_fungsional",
              "coaching", "mentoring", "magang"}


# Behaviour indicators for L3, per competency.
_INDICATOR = {
    "M.1": "Menolak gratifikasi dan melaporkan konflik kepentingan",
    "M.2": "Melibatkan rekan lintas bidang dalam penyelesaian tugas",
    "M.3": "Menyampaikan informasi kepada pemangku kepentingan dengan jelas",
    "M.4": "Menetapkan target kerja terukur untuk tim",
    "M.5": "Menangani pengaduan masyarakat sesuai standar pelayanan",
    "M.6": "Memberikan umpan balik dan bimbingan kepada bawahan",
    "M.7": "Menerapkan cara kerja baru di unit",
    "M.8": "Mengambil keputusan dengan membandingkan alternatif",
    "SK.1": "Menghargai keberagaman dalam pelayanan",
    "T.01": "Menyajikan data dalam laporan analisis",
    "T.02": "Menyusun laporan keuangan tepat waktu",
    "T.03": "Menerapkan standar prosedur pelayanan kesehatan",
    "T.04": "Menggunakan aplikasi SPBE dalam pekerjaan",
    "T.05": "Menyusun dokumen pengadaan sesuai ketentuan",
    "T.06": "Menyusun naskah rekomendasi kebijakan",
    "T.07": "Mengelola naskah dinas secara elektronik",
    "T.08": "Memutakhirkan data aset unit",
    "T.09": "Menyusun rencana kerja berbasis kinerja",
    "T.10": "Menyusun kertas kerja pengawasan berbasis risiko",
    "T.11": "Menerapkan pembelajaran berdiferensiasi di kelas",
    "T.12": "Mengolah data kepegawaian untuk analisis kebutuhan",
    "T.13": "Melaksanakan penegakan perda sesuai prosedur",
}


# Level 1 free comments: wordings by theme of workbook.evaluation.themes.THEMES_EVALUASI, informal forms included.
_L1_POS = [
    "Widyaiswara menguasai materi", "Fasilitator sangat komunikatif dan sabar", "Narasumber menjelaskan dengan jelas",
    "Pengajarnya asik, gk bikin ngantuk", "Widyaiswara mantap bgt", "Penyampaian narasumber runtut dan mudah dipahami",
    "Instruktur menjawab semua pertanyaan dengan sabar", "Pemateri berpengalaman dan memberi banyak contoh",
    "Materi sangat aplikatif", "Materinya relevan dengan tugas saya", "Modul lengkap dan mudah dipahami",
    "Materi sesuai kebutuhan", "Isi materi bagus bgt", "Topiknya pas dengan kondisi di daerah",
    "Diskusi kelompok sangat membantu", "Studi kasus nyata bikin paham", "Banyak praktik langsung, mantap",
    "Simulasinya seru", "Metode interaktif dan menyenangkan",
    "Bermanfaat untuk pekerjaan", "Ilmunya langsung bisa diterapkan", "Sangat berguna untuk tugas sehari-hari",
    "Sudah saya coba terapkan di kantor", "Manfaatnya terasa untuk pekerjaan pelayanan",
    "Platform e-learning mudah diakses", "Video di LMS bisa ditonton ulang", "Konsumsi enak, ruangan nyaman",
    "Asrama bersih dan nyaman", "Jadwal tepat waktu", "Atasan mendukung saya ikut sampai selesai",
]
_L1_NEG = [
    "Waktu terlalu singkat", "Durasi kurang, materinya padat", "Jadwal berbenturan dengan pekerjaan kantor",
    "Jadwalnya molor terus", "Jam pelatihan terlalu padat sampai sore", "Waktunya kurang bgt buat latihan",
    "Sering bentrok dgn rapat", "Ruangan kurang nyaman", "AC ruangan mati", "Konsumsi kurang",
    "Kursi gk nyaman buat seharian", "Proyektor sering bermasalah", "Toilet kurang bersih", "Snack telat datang",
    "Materi terlalu teoretis", "Materi kurang relevan dengan tugas di unit", "Modul tidak dibagikan",
    "Materi terlalu banyak", "Perlu ditambah praktik", "Kebanyakan ceramah, kurang diskusi",
    "Sebaiknya ada simulasi kasus nyata", "Perlu lebih banyak studi kasus", "Narasumber terlalu cepat menjelaskan",
    "Pemateri kurang interaktif", "Widyaiswara hanya membaca slide", "Jaringan internet sering terputus",
    "Zoom sering putus-putus", "Sinyal di lokasi jelek", "LMS sering error saat ujian",
    "Aplikasi e-learning susah dibuka di HP", "Video tidak bisa diputar", "Belum tahu cara menerapkan di unit",
    "Sulit diterapkan karena aplikasi di kantor berbeda", "Perlu dukungan pimpinan supaya bisa dijalankan",
    "Atasan kurang memberi izin ikut penuh", "Sibuk dan banyak kendala selama ikut, kurang fokus",
]
# Comments that say nothing, and comments that fit no theme of the dictionary (clustered as "Lainnya").
_L1_EMPTY = ["-", "tidak ada", "Tidak ada", "Tidak ada komentar", "mantap", "ok"]
_L1_OTHER = ["Sertifikat belum dibagikan", "Sertifikatnya kapan keluar?", "Parkir motor penuh", "Lahan parkir sempit",
             "Semoga diadakan lagi tahun depan", "Terima kasih panitia"]
#: FAKE identifiers planted in a few Level 1 comments so that anonymisation is exercised. They are
#: invented (no real person, NIP or telephone number); the tests check that none reaches an artefact.
FAKE_IDENTIFIERS: dict[str, tuple[str, ...]] = {
    "names": ("Hendra Wirayuda", "Ratna Kusumawardani"),
    "nip": ("199003122015021004", "19881105 201101 2 003"),
    "phones": ("0813-2222-4567", "085712345678"),
}
# (comment, how many times, rank of the programme by L1 respondents it is planted in)
_L1_FAKE = [
    ("Pak Hendra Wirayuda menjelaskan materi dengan sangat jelas", 6, 0),
    ("Terima kasih Bu Ratna Kusumawardani, fasilitatornya sabar sekali", 3, 1),
    ("Jadwal berubah tanpa info, untung bisa tanya panitia di 0813-2222-4567", 5, 2),
    ("Sertifikat belum diterima, NIP 199003122015021004", 1, 3),
    ("Mohon perbaiki nama di sertifikat, NIP 19881105 201101 2 003, HP 085712345678", 1, 4),
]
_L1_COMMENTS = _L1_POS + _L1_NEG + _L1_EMPTY + _L1_OTHER + [x[0] for x in _L1_FAKE]
# Interview codes with summaries of one to three sentences.
_THEMES: dict[str, list[str]] = {
    "penerapan": [
        "Peserta sudah menerapkan hasil pelatihan di unit.",
        "Sudah menerapkan format laporan baru dari pelatihan. Pimpinan unit menilai laporannya lebih rapi.",
        "Materi pelatihan dipakai untuk memperbaiki alur layanan. Waktu layanan terasa lebih cepat.",
        "Peserta membagikan materi kepada rekan satu bidang. Beberapa rekan ikut menerapkan cara kerja yang sama.",
        "Sebagian materi sudah diterapkan dalam pekerjaan sehari-hari; sisanya menunggu aplikasi baru.",
    ],
    "dukungan_atasan": [
        "Atasan memberi kesempatan menerapkan materi.",
        "Atasan meminta peserta memaparkan hasil pelatihan dalam rapat bidang. Ini membantu penerapan.",
        "Dukungan pimpinan baik, tetapi belum ada target tertulis untuk penerapan.",
    ],
    "hambatan_waktu": [
        "Beban kerja membuat penerapan tertunda.",
        "Peserta kembali ke tumpukan pekerjaan setelah pelatihan. Penerapan baru dimulai dua bulan kemudian.",
        "Waktu untuk mencoba cara baru hampir tidak ada karena jadwal pelayanan padat.",
    ],
    "relevansi_materi": [
        "Materi sesuai dengan tugas sehari-hari.",
        "Sebagian besar materi relevan. Contoh kasus perlu disesuaikan dengan kondisi kabupaten.",
        "Materi dasar sudah dikuasai peserta; yang dibutuhkan adalah materi tingkat lanjut.",
    ],
    "sarana": [
        "Perangkat dan aplikasi di kantor belum memadai.",
        "Komputer di unit belum mendukung aplikasi yang diajarkan. Peserta memakai laptop pribadi.",
        "Jaringan internet kantor sering terputus sehingga aplikasi sulit dipakai.",
    ],
    "tidak_diterapkan": [
        "Materi belum dapat diterapkan karena belum ada kebijakan unit.",
        "Peserta belum menerapkan materi. Tugas yang sekarang tidak berkaitan dengan isi pelatihan.",
        "Belum ada perubahan cara kerja setelah pelatihan. Atasan belum membahas hasil pelatihan dengan peserta.",
    ],
}
_THEME_CODES = list(_THEMES)
_INTERVIEW_MIX = {  # theme weights for programmes with a real gain and for those without
    "gain": np.array([0.55, 0.15, 0.1, 0.1, 0.1, 0.0]),
    "none": np.array([0.0, 0.0, 0.25, 0.1, 0.15, 0.5]),
}

# Unit indicators (L4), unit-specific: code -> [(indicator, direction, baseline, related programme or "")]
_UNIT_INDICATORS = {
    "SETDA": [("Persentase produk hukum daerah tepat waktu (%)", "naik", 72.0, "PRG-014")],
    "SETWAN": [("Persentase risalah sidang selesai tepat waktu (%)", "naik", 68.0, "")],
    "INSPEKTORAT": [("Tingkat kapabilitas APIP (level)", "naik", 2.6, "PRG-018"),
                    ("Persentase rekomendasi hasil pengawasan ditindaklanjuti (%)", "naik", 71.0, "PRG-018"),
                    ("Jumlah temuan berulang", "turun", 18.0, "")],
    "BKPSDM": [("Indeks sistem merit", "naik", 0.62, "PRG-020")],
    "BAPPEDA": [("Konsistensi perencanaan dan penganggaran (%)", "naik", 81.0, "PRG-017"),
                ("Persentase dokumen perencanaan tepat waktu (%)", "naik", 75.0, "")],
    "DINKES": [("Cakupan imunisasi dasar lengkap (%)", "naik", 86.5, "PRG-010"),
               ("Angka kematian ibu per 100.000 kelahiran hidup", "turun", 118.0, "")],
    "DISDIK": [("Rata-rata rapor pendidikan literasi", "naik", 61.0, "PRG-019"),
               ("Persentase guru memanfaatkan platform digital (%)", "naik", 54.0, "PRG-036")],
    "DPUPR": [("Persentase jalan kabupaten kondisi mantap (%)", "naik", 66.0, ""),
              ("Persentase paket pengadaan tepat waktu (%)", "naik", 70.0, "PRG-013")],
    "DISDUKCAPIL": [("Rata-rata waktu layanan KTP-el (hari)", "turun", 4.2, "PRG-012")],
    "DINSOS": [("Persentase data terpadu kesejahteraan sosial mutakhir (%)", "naik", 63.0, "PRG-008"),
               ("Jumlah pengaduan layanan sosial", "turun", 41.0, "")],
    "RSUD": [("Rata-rata waktu tunggu rawat jalan (menit)", "turun", 95.0, "PRG-011"),
             ("Angka infeksi nosokomial (per mil)", "turun", 3.1, "")],
    "SATPOLPP": [("Persentase pelanggaran perda yang ditindak (%)", "naik", 62.0, "PRG-021"),
                 ("Jumlah pengaduan terhadap petugas", "turun", 14.0, "")],
    "KESBANGPOL": [("Persentase konflik sosial tertangani (%)", "naik", 85.0, ""),
                   ("Jumlah kegiatan pembauran kebangsaan", "naik", 6.0, "")],
}
_SERVICE_UNITS = ("DINKES", "DPUPR", "DISDUKCAPIL", "DINSOS", "RSUD", "SATPOLPP")
# Indicators shared by several units, for difference in differences: (indicator, direction, baseline
# mean, baseline sd, decimals, programme, units (None = all), share of units trained). About half the
# units trained; one indicator where every unit trained (no comparison group).
_SHARED_INDICATORS = [
    ("Nilai SAKIP perangkat daerah", "naik", 65.0, 5.0, 1, "PRG-017", None, 0.5),
    ("Persentase PNS memenuhi 20 JP (%)", "naik", 58.0, 8.0, 1, "PRG-020", None, 0.5),
    ("Indeks kepuasan masyarakat", "naik", 78.0, 3.0, 2, "PRG-005", _SERVICE_UNITS, 0.5),
    ("Jumlah temuan administrasi keuangan", "turun", 14.0, 4.0, 0, "PRG-009", None, 0.5),
    ("Persentase layanan berbasis elektronik (%)", "naik", 55.0, 10.0, 1, "PRG-012",
     ("SETDA", "BKPSDM", "BAPPEDA", "DISDUKCAPIL", "DPUPR"), 1.0),
]
#: Planted Level 4 effect (toward the better direction): common trend, effect of training, noise sd.
L4_TREND, L4_EFFECT, L4_NOISE_SD = 1.0, 3.0, 1.5


def evaluation_tables(rng: np.random.Generator, part: dict[str, np.ndarray], ids: pa.Array,
                 year: int) -> dict[str, pd.DataFrame]:
    sel = part["prog"] >= 0
    emp, prog, date = part["emp"][sel], part["prog"][sel], part["date"][sel]
    month = part["month"][sel]
    bentuk = PROG_BENTUK
    quality = rng.normal(0, 0.3, N_PROGRAMMES)
    quality[NO_GAIN[0]] -= 0.5
    # L1: ~60 % of participants answer
    m1 = rng.random(len(emp)) < 0.6
    e1, p1 = emp[m1], prog[m1]
    o1 = np.lexsort((e1, p1))
    e1, p1 = e1[o1], p1[o1]
    items = {}
    tot = np.zeros(len(e1))
    for i in range(1, 7):
        v = np.clip(np.rint(3.2 + quality[p1] + rng.normal(0, 0.55, len(e1))), 1, 4)
        items[f"fas_{i}"] = v.astype(np.int64)
        tot += v
    org = rng.normal(0, 0.3, N_PROGRAMMES)
    for i in range(1, 6):
        v = np.clip(np.rint(3.0 + org[p1] + rng.normal(0, 0.6, len(e1))), 1, 4)
        items[f"pen_{i}"] = v.astype(np.int64)
        tot += v
    mean = tot / 11
    rek = (rng.random(len(e1)) >= np.clip(mean - 2.2, 0.05, 0.97)).astype(np.int64)  # 0 ya, 1 tidak
    com = _l1_comments(rng, p1, mean)
    named = np.isin(np.array([r[9] for r in CATALOGUE])[p1], ["Internal BKPSDM"])
    l1 = pd.DataFrame({"program_id": from_codes(p1, PROGRAMME_IDS), "responden_id": from_codes(e1, ids, ~named), **items,
                       "rekomendasi": from_codes(rek, ["ya", "tidak"]),
                       "komentar": from_codes(np.maximum(com, 0), _L1_COMMENTS, com < 0)})

    # L2: pre/post for tested forms
    m2 = np.isin(bentuk[prog], list(_TESTED))
    e2, p2 = emp[m2], prog[m2]
    o2 = np.lexsort((e2, p2))
    e2, p2 = e2[o2], p2[o2]
    # Individual change = programme mean + person-level noise of comparable size: the standardised
    # mean change g_z = mean / sd is about 0.35–1.1 (the programme with most participants ~1.2).
    counts = np.bincount(p2, minlength=N_PROGRAMMES)
    regular = ~np.isin(np.arange(N_PROGRAMMES), NO_GAIN + CEILING)
    d_prog = rng.uniform(0.35, 1.1, N_PROGRAMMES)
    d_prog[int(np.argmax(np.where(regular, counts, -1)))] = 1.25
    sd_prog = rng.uniform(7.0, 11.0, N_PROGRAMMES)
    ceil = np.isin(p2, CEILING)
    nogain = np.isin(p2, NO_GAIN)
    pre = np.where(ceil, rng.normal(88, 5, len(e2)), rng.normal(55, 12, len(e2)))
    pre = np.clip(np.rint(pre), 10, 100)
    change = d_prog[p2] * sd_prog[p2] + sd_prog[p2] * rng.standard_normal(len(e2))
    post = np.where(nogain, pre + rng.normal(0.5, 6, len(e2)),
                    np.where(ceil, pre + rng.normal(3, 4, len(e2)), pre + change))
    post = np.clip(np.rint(post), 0, 100)
    post[rng.random(len(e2)) < 0.04] = np.nan
    l2 = pd.DataFrame({"pegawai_id": from_codes(e2, ids), "program_id": from_codes(p2, PROGRAMME_IDS), "skor_pre": pre.astype(float),
                       "skor_post": post, "skor_maks": np.full(len(e2), 100.0)})

    # L3: supervisor ratings before/after; programmes starting after June are still pending
    m3 = np.isin(bentuk[prog], list(_L3_BENTUK)) & (rng.random(len(emp)) < 0.35)
    e3, p3, d3, mo3 = emp[m3], prog[m3], date[m3], month[m3]
    o3 = np.lexsort((e3, p3))
    e3, p3, d3, mo3 = e3[o3], p3[o3], d3[o3], mo3[o3]
    rows = []
    effect = np.where(np.isin(np.arange(N_PROGRAMMES), NO_GAIN), 0.0, rng.uniform(0.4, 0.9, N_PROGRAMMES))
    rater = (rng.random(len(e3)) >= 0.85).astype(np.int64)  # 0 atasan, 1 rekan
    for s in range(2):  # two indicators per programme (its first two competencies, or one twice)
        c = PROG_COMP[p3, min(s, 2)]
        c = np.where(c < 0, PROG_COMP[p3, 0], c)
        ind = c
        before = np.clip(np.rint(2.6 + rng.normal(0, 0.7, len(e3))), 1, 5)
        after = np.clip(np.rint(before + effect[p3] + rng.normal(0, 0.6, len(e3))), 1, 5)
        bd = d3 - rng.integers(3, 11, len(e3)).astype("timedelta64[D]")
        ad = d3 + rng.integers(90, 151, len(e3)).astype("timedelta64[D]")
        rows.append((e3, p3, rater, 0, bd, ind, before, np.ones(len(e3), bool)))
        rows.append((e3, p3, rater, 1, ad, ind, after, mo3 <= 6))
    l3 = pd.DataFrame({
        "pegawai_id": from_codes(np.concatenate([r_[0][r_[7]] for r_ in rows]), ids),
        "program_id": from_codes(np.concatenate([r_[1][r_[7]] for r_ in rows]), PROGRAMME_IDS),
        "peran_penilai": from_codes(np.concatenate([r_[2][r_[7]] for r_ in rows]), ["atasan", "rekan"]),
        "tahap": from_codes(np.concatenate([np.full(r_[7].sum(), r_[3]) for r_ in rows]), ["sebelum", "sesudah"]),
        "tanggal": as_timestamps(np.concatenate([r_[4][r_[7]] for r_ in rows])),
        "indikator": from_codes(np.concatenate([r_[5][r_[7]] for r_ in rows]), [_INDICATOR[x] for x in CODES]),
        "rating": np.concatenate([r_[6][r_[7]] for r_ in rows]).astype(float),
    })

    wawancara = _interviews(rng, p3, mo3, year)
    butir = _butir(rng, e2, p2, pre, post, ids)
    return {"evaluasi_l1": l1, "evaluasi_l2": l2, "evaluasi_l2_butir": butir, "evaluasi_l3": l3,
            "wawancara": wawancara}


def _l1_comments(rng: np.random.Generator, prog: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Index into :data:`_L1_COMMENTS` per L1 answer (−1 blank): about 35 % comment; positive
    wordings when the mean item score is at least 3, else critical ones; a few say nothing or fit no
    theme; the comments with FAKE identifiers are planted in the largest programmes."""
    n = len(prog)
    npos, nneg, nemp, noth = len(_L1_POS), len(_L1_NEG), len(_L1_EMPTY), len(_L1_OTHER)
    kind = categorical(rng, np.tile([0.88, 0.08, 0.04], (n, 1)))  # themed, says nothing, no theme
    pos = mean >= 3.0
    themed = np.where(pos, rng.integers(0, npos, n), npos + rng.integers(0, nneg, n))
    com = np.select([kind == 0, kind == 1],
                    [themed, npos + nneg + rng.integers(0, nemp, n)],
                    npos + nneg + nemp + rng.integers(0, noth, n))
    com = np.where(rng.random(n) < 0.35, com, -1)
    first_fake = npos + nneg + nemp + noth
    sizes = np.bincount(prog, minlength=N_PROGRAMMES)
    ranked = np.argsort(-sizes, kind="stable")
    for j, (_, times, rank) in enumerate(_L1_FAKE):
        rows = np.flatnonzero(prog == ranked[rank])
        rows = rows[~np.isin(com[rows], np.arange(first_fake, len(_L1_COMMENTS)))]
        com[rng.permutation(rows)[:times]] = first_fake + j
    return com


def _interviews(rng: np.random.Generator, p3: np.ndarray, mo3: np.ndarray, year: int) -> pd.DataFrame:
    """Coded interview records: 8–10 per programme for three programmes with completed L3 and a
    real gain and one without, each a one- to three-sentence summary of its code."""
    done, n_done = np.unique(p3[mo3 <= 6], return_counts=True)
    order = np.argsort(-n_done, kind="stable")
    done = done[order]
    gain = done[~np.isin(done, NO_GAIN)][:3]
    chosen = np.concatenate([gain, done[np.isin(done, NO_GAIN)][:1]])
    n_int = rng.integers(8, 11, len(chosen))
    ip = np.repeat(chosen, n_int)
    roles = np.array(["peserta", "atasan", "rekan"])[categorical(rng, np.tile([0.5, 0.35, 0.15], (len(ip), 1)))]
    mix = np.where(np.isin(ip, NO_GAIN)[:, None], _INTERVIEW_MIX["none"][None, :], _INTERVIEW_MIX["gain"][None, :])
    th = categorical(rng, mix)
    variant = np.floor(rng.random(len(ip)) * np.array([len(_THEMES[_THEME_CODES[t]]) for t in th])).astype(np.int64)
    idate = np.datetime64(f"{year}-10-01") + rng.integers(0, 45, len(ip)).astype("timedelta64[D]")
    return pd.DataFrame({
        "program_id": from_codes(ip, PROGRAMME_IDS), "peran": str_series(roles), "tanggal": as_timestamps(idate),
        "tema": str_series(np.array(_THEME_CODES)[th]),
        "ringkasan": str_series([_THEMES[_THEME_CODES[t]][v] for t, v in zip(th, variant, strict=True)]),
    })


def _item_scores(rng: np.random.Generator, total: np.ndarray, difficulty: np.ndarray) -> np.ndarray:
    """Integer item scores (0…``_ITEM_MAX`` each) summing exactly to ``total`` per row.

    Expected item scores follow a logistic item-response curve of the person's ability (the logit
    of the total's share of the maximum) minus the item difficulty, plus person × item noise; they
    are rescaled to the total with a cap per item (water filling) and rounded by largest remainder.
    """
    n, k = len(total), len(difficulty)
    share = np.clip(total / (k * _ITEM_MAX), 0.02, 0.98)
    theta = np.log(share / (1 - share))
    e = _ITEM_MAX / (1 + np.exp(-(theta[:, None] - difficulty[None, :] + rng.normal(0, 0.9, (n, k)))))
    t = total.astype(float)
    for _ in range(50):  # water filling: scale the uncapped items, cap at the maximum
        capped = e >= _ITEM_MAX
        room = t - _ITEM_MAX * capped.sum(axis=1)
        free = np.where(capped, 0.0, e).sum(axis=1)
        scale = np.divide(room, free, out=np.zeros(n), where=free > 0)
        e = np.where(capped, _ITEM_MAX, np.minimum(_ITEM_MAX, e * scale[:, None]))
        if np.allclose(e.sum(axis=1), t):
            break
    e = np.clip(e, 0, _ITEM_MAX)
    base = np.floor(e + 1e-9)
    rest = np.rint(t - base.sum(axis=1)).astype(np.int64)
    order = np.argsort(-(e - base), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(k)[None, :].repeat(n, axis=0), axis=1)
    return base + (rank < rest[:, None])


def _butir(rng: np.random.Generator, emp: np.ndarray, prog: np.ndarray, pre: np.ndarray, post: np.ndarray,
           ids: pa.Array) -> pd.DataFrame:
    """Item scores of the pre/post tests of up to three programmes (one with a real gain, one without,
    one with a ceiling effect: the largest of each kind), consistent with ``skor_pre``/``skor_post``."""
    counts = np.bincount(prog, minlength=N_PROGRAMMES)
    kinds = [np.isin(np.arange(N_PROGRAMMES), CEILING), np.isin(np.arange(N_PROGRAMMES), NO_GAIN)]
    kinds.insert(0, ~kinds[0] & ~kinds[1])
    chosen = [int(np.argmax(np.where(kind, counts, -1))) for kind in kinds]
    chosen = sorted({c for c in chosen if counts[c] >= 2})
    cols: list[np.ndarray] = []
    e_all, p_all, ph_all = [], [], []
    for c in chosen:
        difficulty = rng.normal(0, 0.8, _N_ITEMS)
        m = np.flatnonzero(prog == c)
        for phase, score in ((0, pre), (1, post)):
            ok = m[~np.isnan(score[m])]
            cols.append(_item_scores(rng, score[ok], difficulty))
            e_all.append(emp[ok])
            p_all.append(prog[ok])
            ph_all.append(np.full(len(ok), phase))
    items = np.concatenate(cols) if cols else np.zeros((0, _N_ITEMS))
    e = np.concatenate(e_all).astype(np.int64) if e_all else np.zeros(0, np.int64)
    p = np.concatenate(p_all).astype(np.int64) if p_all else np.zeros(0, np.int64)
    ph = np.concatenate(ph_all).astype(np.int64) if ph_all else np.zeros(0, np.int64)
    order = np.lexsort((ph, e, p))
    data: dict[str, Any] = {"pegawai_id": from_codes(e[order], ids), "program_id": from_codes(p[order], PROGRAMME_IDS),
                            "tahap": from_codes(ph[order], ["pre", "post"])}
    for i in range(_N_ITEMS):
        data[f"butir_{i + 1}"] = items[order, i].astype(float)
    return pd.DataFrame(data)


def indikator_table(rng: np.random.Generator, part: dict[str, np.ndarray]) -> pd.DataFrame:
    """Unit indicators before/after: shared indicators with a planted effect of training (for
    difference in differences) and unit-specific ones."""
    trained = set(np.unique(part["prog"][part["prog"] >= 0]).tolist())
    codes = [u.code for u in UNITS]
    rows = []
    for name, arah, mu, sd, dec, prog, units, share in _SHARED_INDICATORS:
        members = list(units) if units is not None else codes
        n_tr = len(members) if share >= 1 else int(round(share * len(members)))
        tr = set(np.array(members)[rng.permutation(len(members))[:n_tr]].tolist())
        sign = 1.0 if arah == "naik" else -1.0
        for code in members:
            before = max(rng.normal(mu, sd), 0.0)
            change = sign * (L4_TREND + L4_EFFECT * (code in tr)) + rng.normal(0, L4_NOISE_SD)
            after = max(before + change, 0.0)
            for per, val in (("sebelum", before), ("sesudah", after)):
                rows.append((code, name, per, round(float(val), dec), arah, prog if code in tr else ""))
    for code, inds in _UNIT_INDICATORS.items():
        for name, arah, base, prog in inds:
            linked = prog != "" and PROGRAMME_INDEX[prog] in trained
            sign = 1 if arah == "naik" else -1
            change = (0.06 if linked else 0.005) * abs(base) * (1 + rng.normal(0, 0.4))
            after = base + sign * change + rng.normal(0, 0.01 * abs(base))
            dec = 2 if abs(base) < 10 else 1
            for per, val in (("sebelum", base), ("sesudah", after)):
                rows.append((code, name, per, round(float(val), dec), arah, prog if linked else ""))
    df = pd.DataFrame(rows, columns=["kode_unit", "indikator", "periode", "nilai", "arah_baik", "program_id"])
    order = {c: i for i, c in enumerate(codes)} | {"sebelum": 0, "sesudah": 1}
    df = df.sort_values(["kode_unit", "indikator", "periode"], kind="stable",
                        key=lambda c: c.map(order) if c.name != "indikator" else c)
    df = df.reset_index(drop=True)
    for c in ("kode_unit", "indikator", "periode", "arah_baik"):
        df[c] = df[c].astype("str")
    df["program_id"] = masked_str_series(df["program_id"].to_numpy(dtype=str), (df["program_id"] == "").to_numpy())
    return df
