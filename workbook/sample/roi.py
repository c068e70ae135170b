"""The sample's Phillips ROI study: ``roi_biaya``, ``roi_manfaat`` and ``roi_konversi``.

Derived from last year's participation without any random draw, so the other tables do not
change; see :data:`ROI_PROGRAMMES` and :data:`ROI_CONVERSIONS`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.sample.catalogue import CATALOGUE, N_PROGRAMMES, PROGRAMME_INDEX, effective_jp

__all__ = [
    "ROI_HOUR_VALUE",
    "ROI_PROGRAMMES",
    "ROI_CONVERSIONS",
    "roi_tables",
]


#: Hourly value of staff time used for participants' time and hours saved (an assumption of the sample).
ROI_HOUR_VALUE = 60_000
#: Phillips ROI study of three programmes of Y−1: (program_id, design cost, benefit measures).
#: A measure is (ukuran, change per participant, isolasi, isolation values per participant or shares,
#: note); conversions are in :data:`ROI_CONVERSIONS`; "Kepuasan pasien (indeks)" has none (intangible).
ROI_PROGRAMMES: list[tuple[str, int, list[tuple]]] = [
    ("PRG-012", 5_000_000, [
        ("Jam kerja yang dihemat", 200, "estimasi", {"kontribusi": 0.6, "keyakinan": 0.75},
         "estimasi peserta dan atasan 3 bulan setelah pelatihan (layanan dan naskah elektronik)"),
        ("Kertas dan tinta cetak", 6, "tren", {"proyeksi_tren": 2},
         "pemakaian kertas unit peserta; tren 3 tahun sebelum pelatihan"),
    ]),
    ("PRG-011", 15_000_000, [
        ("Insiden keselamatan pasien", 1 / 2, "pembanding", {"perubahan_pembanding": 1 / 7},
         "laporan insiden RSUD: ruangan peserta dibanding ruangan lain"),
        ("Kepuasan pasien (indeks)", None, "", {},
         "survei kepuasan pasien RSUD naik 4,2 poin; tidak dirupiahkan"),
    ]),
    ("PRG-005", 15_000_000, [
        ("Pengaduan masyarakat", 3, "estimasi", {"kontribusi": 0.4, "keyakinan": 0.6},
         "estimasi atasan langsung; pengaduan yang tidak terjadi lagi per tahun"),
    ]),
]
#: (ukuran, satuan, Rp per satuan, sumber) — the sample's conversion table.
ROI_CONVERSIONS: list[tuple[str, str, int, str]] = [
    ("Jam kerja yang dihemat", "jam", ROI_HOUR_VALUE, "rata-rata gaji dan tunjangan per jam kerja efektif (asumsi contoh)"),
    ("Kertas dan tinta cetak", "rim", 55_000, "standar harga satuan kertas A4 dan tinta (asumsi contoh)"),
    ("Insiden keselamatan pasien", "insiden", 25_000_000, "biaya perawatan tambahan per insiden, data keuangan RSUD (asumsi contoh)"),
    ("Pengaduan masyarakat", "pengaduan", 750_000, "waktu petugas dan pimpinan menangani satu pengaduan (asumsi contoh)"),
]


def _rp(x: float) -> str:
    return "Rp " + f"{int(round(x)):,}".replace(",", ".")


def roi_tables(part: dict[str, np.ndarray]) -> dict[str, pd.DataFrame]:
    """A Phillips ROI study of three of last year's programmes, from their participation (no random draw).

    Costs are fully loaded: needs analysis, design, delivery (participants × catalogue cost),
    participants' time (JP × 45 min × :data:`ROI_HOUR_VALUE`), evaluation and overhead (5 % of
    delivery). Benefits scale with the number of participants; one measure per isolation method
    (estimate × confidence, trend line, comparison group) and one intangible measure.
    """
    counts = np.bincount(part["prog"][part["prog"] >= 0], minlength=N_PROGRAMMES)
    cost_rows, ben_rows = [], []
    for pid, design, measures in ROI_PROGRAMMES:
        row = CATALOGUE[PROGRAMME_INDEX[pid]]
        n = int(counts[PROGRAMME_INDEX[pid]])
        hours = effective_jp(row) * 45 / 60
        delivery = n * row[7]
        for komp, biaya, note in (
                ("analisis_kebutuhan", 12_500_000, "porsi biaya AKPK untuk program ini"),
                ("desain", design, "penyusunan atau penyesuaian materi"),
                ("penyelenggaraan", delivery, f"{n} peserta × {_rp(row[7])}"),
                ("waktu_peserta", n * hours * ROI_HOUR_VALUE,
                 f"{n} peserta × {hours:g} jam × {_rp(ROI_HOUR_VALUE)}".replace(".", ",", int(hours % 1 > 0))),
                ("evaluasi", 10_000_000, "studi ROI dan evaluasi level 3–4"),
                ("overhead", delivery * 5 // 100, "5 % biaya penyelenggaraan (administrasi BKPSDM)")):
            cost_rows.append((pid, komp, int(round(biaya)), note))
        for ukuran, per, iso, vals, note in measures:
            rec = {"program_id": pid, "ukuran": ukuran, "perubahan": np.nan, "isolasi": iso or None,
                   "perubahan_pembanding": np.nan, "proyeksi_tren": np.nan, "kontribusi": np.nan,
                   "keyakinan": np.nan, "keterangan": note}
            if per is None:
                rec["perubahan"] = 4.2
            else:
                rec["perubahan"] = float(int(n * per))
                for k, v in vals.items():
                    rec[k] = float(int(n * v)) if k in ("perubahan_pembanding", "proyeksi_tren") else float(v)
            ben_rows.append(rec)
    biaya = pd.DataFrame(cost_rows, columns=["program_id", "komponen", "biaya", "keterangan"])
    biaya["biaya"] = biaya["biaya"].astype(np.int64)
    manfaat = pd.DataFrame(ben_rows)
    konversi = pd.DataFrame(ROI_CONVERSIONS, columns=["ukuran", "satuan", "nilai_per_satuan", "sumber"])
    for df in (biaya, manfaat, konversi):
        for c in df.columns:
            if df[c].dtype == object:
                df[c] = df[c].astype("str") if df[c].notna().all() else df[c].astype("str").mask(df[c].isna())
    return {"roi_biaya": biaya, "roi_manfaat": manfaat, "roi_konversi": konversi}
