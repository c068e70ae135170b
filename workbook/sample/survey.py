"""The AKPK survey of the sample: ``survei_pegawai`` (self-rating) and ``survei_atasan`` (supervisor).

Self-ratings on average about 0.4 above supervisor ratings; about 3 % blank answers; about 1 %
duplicate submissions; response rates differing per unit; an open answer per need profile.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from workbook.sample.arrays import from_codes, masked_int_array, pick_from_groups
from workbook.sample.structure import (
    CODES,
    J_ADM,
    J_JPT,
    J_PGW,
    JABATAN,
    N_COMPETENCIES,
    N_PROFILES,
    N_UNITS,
    RATING_SD,
    SHIFT,
    SMALL_UNIT,
    SMALL_UNIT_RESPONDENTS,
    UNITS,
)

__all__ = [
    "BENTUK_PREF",
    "survey_tables",
]


BENTUK_PREF = {  # profile -> (forms, weights) for bentuk_diminati
    0: (["e_learning", "pelatihan_teknis", "bimtek", "kursus", "coaching"], [0.35, 0.3, 0.2, 0.1, 0.05]),
    1: (["coaching", "mentoring", "pelatihan_manajerial", "pelatihan_kepemimpinan", "e_learning"],
        [0.3, 0.25, 0.25, 0.15, 0.05]),
    2: (["pelatihan_teknis", "bimtek", "magang", "mentoring", "e_learning"], [0.3, 0.25, 0.2, 0.15, 0.1]),
    3: (["e_learning", "seminar", "kursus", "pelatihan_teknis", "lokakarya"], [0.3, 0.2, 0.2, 0.2, 0.1]),
}
# Open answer of the TNA survey: profile -> 5 topics, each with a few wordings (informal ones too).
_NEEDS_TEXT: dict[int, list[list[str]]] = {
    0: [["Pelatihan aplikasi SRIKANDI untuk tata naskah dinas", "srikandi blm paham, perlu bimtek lagi",
         "Tata naskah dinas elektronik (SRIKANDI)"],
        ["Pelatihan analisis data dengan spreadsheet", "Excel tingkat lanjut (pivot, rumus)",
         "pengolahan data pakai excel bgt dibutuhkan"],
        ["Perlu pelatihan keamanan informasi dan SPBE", "Keamanan siber untuk operator aplikasi",
         "SPBE dan arsitektur sistem informasi"],
        ["Belajar membuat dasbor data unit", "Membuat dashboard kinerja unit", "Visualisasi data untuk laporan pimpinan"],
        ["Pelatihan pengolahan data dan statistik dasar", "Statistik dasar untuk analisis laporan",
         "Analisis data survei kepuasan"]],
    1: [["Pelatihan kepemimpinan untuk pejabat pengawas baru", "Kepemimpinan bagi pengawas yang baru dilantik",
         "Cara memimpin tim kecil"],
        ["Coaching cara membimbing staf", "Teknik coaching dan mentoring untuk atasan", "membimbing staf baru, gmn caranya"],
        ["Teknik pengambilan keputusan dan manajemen risiko", "Manajemen risiko di unit kerja",
         "Pengambilan keputusan berbasis data"],
        ["Cara memberi umpan balik kinerja kepada bawahan", "Umpan balik kinerja dan penyusunan SKP bawahan",
         "Menilai kinerja bawahan secara objektif"],
        ["Manajemen konflik dalam tim", "Mengelola konflik antarpegawai", "Membangun kerja sama tim lintas bidang"]],
    2: [["Pelatihan pelayanan prima", "Pelayanan prima di loket", "pelayanan prima utk petugas garis depan"],
        ["Komunikasi efektif dengan masyarakat", "Komunikasi dengan warga yang marah", "Teknik komunikasi publik"],
        ["Penanganan pengaduan masyarakat", "Mengelola pengaduan lewat SP4N-LAPOR", "Menangani keluhan masyarakat"],
        ["Komunikasi dengan pasien dan keluarga", "Komunikasi terapeutik untuk perawat", "Menyampaikan kabar buruk ke keluarga pasien"],
        ["Etika dan budaya melayani", "Budaya kerja BerAKHLAK dalam pelayanan", "Etika pelayanan publik"]],
    3: [["Pelatihan bahasa Inggris", "Bahasa Inggris percakapan", "english for presentation"],
        ["Penulisan laporan dan naskah dinas", "Menulis laporan yang ringkas", "Penyusunan surat dinas yang benar"],
        ["Manajemen waktu", "Manajemen stres dan waktu kerja", "Mengatur prioritas pekerjaan"],
        ["Berbicara di depan umum", "Public speaking", "Presentasi yang menarik"],
        ["Tidak ada", "-", "tidak ada", "Belum ada", "cukup"]],
}


def _answers(rng: np.random.Generator, t: np.ndarray, bias: float, sd: float) -> np.ndarray:
    noise = rng.standard_normal(t.shape, dtype=np.float32)
    noise *= np.float32(sd)
    noise += t
    noise += np.float32(bias)
    return np.clip(np.rint(noise), 1, 5).astype(np.int8)


def _timestamps(rng: np.random.Generator, year: int, start: str, n: int, days: int) -> np.ndarray:
    sec = rng.integers(0, days * 86400, n)
    # office hours only: 07:00–21:59
    day, s = np.divmod(sec, 86400)
    s = 7 * 3600 + s % (15 * 3600)
    return np.datetime64(f"{year}-{start}T00:00:00", "s") + (day * 86400 + s).astype("timedelta64[s]")


def survey_tables(rng: np.random.Generator, pop: dict[str, np.ndarray], ids: pa.Array,
            year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = len(ids)
    unit = pop["unit"]
    rate = np.array([u.response for u in UNITS])
    respond = rng.random(n) < rate[unit]
    small = np.flatnonzero(unit == SMALL_UNIT)
    respond[small] = False
    respond[small[rng.permutation(len(small))[:SMALL_UNIT_RESPONDENTS]]] = True
    r = np.flatnonzero(respond)
    std = JABATAN.std[pop["jab"][r]]
    t = pop["t"][r]
    in_std = ~np.isnan(std)
    level = _answers(rng, np.nan_to_num(t), 0.3, RATING_SD)
    imp_base = (3.3 - 0.6 * SHIFT + np.where(np.arange(N_COMPETENCIES) == 0, 0.8, 0.0)).astype(np.float32)
    imp = _answers(rng, imp_base[pop["profile"][r]], 0.0, 0.8)
    blank_l = ~in_std | (rng.random(level.shape, dtype=np.float32) < 0.03)
    blank_i = ~in_std | (rng.random(level.shape, dtype=np.float32) < 0.03)
    when = _timestamps(rng, year - 1, "08-01", len(r), 61)
    prof = pop["profile"][r]
    forms_all = sorted({f for forms, _ in BENTUK_PREF.values() for f in forms})
    bentuk = np.zeros(len(r), dtype=np.int64)
    for p_, (forms, w) in BENTUK_PREF.items():
        m = prof == p_
        fi = np.array([forms_all.index(f) for f in forms])
        bentuk[m] = fi[rng.choice(len(forms), m.sum(), p=w)]
    bentuk_blank = rng.random(len(r)) < 0.05
    text_pool = [x for p_ in range(N_PROFILES) for topic in _NEEDS_TEXT[p_] for x in topic]
    n_var = np.array([len(topic) for p_ in range(N_PROFILES) for topic in _NEEDS_TEXT[p_]])
    start = np.concatenate([[0], np.cumsum(n_var)[:-1]])
    topic_idx = prof * 5 + rng.integers(0, 5, len(r))
    # the wording within a topic comes from a child generator, so the main stream is unchanged
    wording = np.floor(rng.spawn(1)[0].random(len(r)) * n_var[topic_idx]).astype(np.int64)
    text_idx = start[topic_idx] + wording
    text_blank = rng.random(len(r)) >= 0.30
    # duplicate submissions: same employee, later time, a few answers changed by one step
    dup = np.flatnonzero(rng.random(len(r)) < 0.01)
    rows = np.concatenate([np.arange(len(r)), dup])
    level_d = level[rows]
    step = np.where(rng.random((len(dup), N_COMPETENCIES)) < 0.2, rng.choice([-1, 1], (len(dup), N_COMPETENCIES)), 0)
    level_d[len(r):] = np.clip(level_d[len(r):] + step, 1, 5)
    when_d = when[rows].copy()
    room = (np.datetime64(f"{year - 1}-09-30T23:59:59", "s") - when_d[len(r):]).astype(np.int64)
    delay = np.maximum(60, np.floor(rng.random(len(dup)) * np.minimum(5 * 86400, room))).astype(np.int64)
    when_d[len(r):] += delay.astype("timedelta64[s]")
    order = np.argsort(when_d, kind="stable")
    rows, when_d = rows[order], when_d[order]
    level_t, blank_lt = level_d[order].T.copy(), blank_l[rows].T.copy()
    imp_t, blank_it = imp[rows].T.copy(), blank_i[rows].T.copy()
    data: dict[str, Any] = {"pegawai_id": from_codes(r[rows], ids), "waktu_isi": pd.Series(when_d)}
    for k, code in enumerate(CODES):
        data[f"level_{code}"] = masked_int_array(level_t[k], blank_lt[k])
    for k, code in enumerate(CODES):
        data[f"penting_{code}"] = masked_int_array(imp_t[k], blank_it[k])
    data["bentuk_diminati"] = from_codes(bentuk[rows], forms_all, bentuk_blank[rows])
    data["kebutuhan_lain"] = from_codes(text_idx[rows], text_pool, text_blank[rows])
    self_df = pd.DataFrame(data)

    # supervisor ratings for ~70 % of respondents
    a = r[rng.random(len(r)) < 0.70]
    jenis = pop["jenis"]
    up = np.select([jenis == J_ADM, jenis == J_PGW], [J_JPT, J_ADM], J_PGW)
    sup = np.full(n, -1, dtype=np.int64)
    for level_j in (J_JPT, J_ADM, J_PGW):
        cand = np.flatnonzero(jenis == level_j)
        who = np.flatnonzero(up == level_j)
        sup[who] = pick_from_groups(rng, unit[who], cand, unit[cand], N_UNITS)
    fallback = pick_from_groups(rng, unit, np.flatnonzero(jenis == J_JPT), unit[jenis == J_JPT], N_UNITS)
    sup = np.where(sup < 0, fallback, sup)
    sup[jenis == J_JPT] = -1  # heads of units are rated by the regional secretary, outside this form
    s_std = JABATAN.std[pop["jab"][a]]
    s_level = _answers(rng, np.nan_to_num(pop["t"][a]), -0.17, RATING_SD)
    s_blank = np.isnan(s_std) | (rng.random(s_level.shape, dtype=np.float32) < 0.02)
    s_when = _timestamps(rng, year - 1, "08-15", len(a), 45)
    order = np.argsort(s_when, kind="stable")
    a, s_level, s_blank, s_when = a[order], s_level[order], s_blank[order], s_when[order]
    sdata: dict[str, Any] = {
        "pegawai_id": from_codes(a, ids),
        "atasan_id": from_codes(np.maximum(sup[a], 0), ids, sup[a] < 0),
        "waktu_isi": pd.Series(s_when),
    }
    s_level, s_blank = s_level.T.copy(), s_blank.T.copy()
    for k, code in enumerate(CODES):
        sdata[f"level_{code}"] = masked_int_array(s_level[k], s_blank[k])
    return self_df, pd.DataFrame(sdata)
