"""Last year's participation of the sample: who took which programme, and ``realisasi_pengembangan``.

The main programme of an employee addresses their worst latent gap; training before the survey
raises the latent level of the competencies it addresses (:func:`apply_training`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from workbook.sample.arrays import (
    as_timestamps,
    categorical,
    from_codes,
    make_dates,
    pick_from_groups,
)
from workbook.sample.catalogue import (
    CATALOGUE,
    LEADERSHIP,
    N_PROGRAMMES,
    NO_GAIN,
    PROG_BENTUK,
    PROG_COMP,
    PROG_JP,
    PROG_MONTHS,
    PROG_NMONTHS,
    PROGRAMME_IDS,
    PROGRAMME_INDEX,
)
from workbook.sample.structure import J_ADM, J_PGW, JABATAN, N_COMPETENCIES

__all__ = [
    "participation",
    "apply_training",
    "realisasi_table",
]


# Activities outside the catalogue (blank program_id): name, JP.
_OUTSIDE = [
    ("Webinar Nasional SPBE", 3), ("Webinar Keterbukaan Informasi Publik", 2),
    ("Sosialisasi Peraturan Kepegawaian Terbaru", 4), ("Workshop Penulisan Artikel Ilmiah", 6),
    ("Webinar Keamanan Informasi", 2), ("Rapat Koordinasi Teknis Provinsi", 4),
    ("Seminar Daring Kesehatan Masyarakat", 3), ("Belajar Mandiri Modul Literasi Keuangan", 5),
]


def participation(rng: np.random.Generator, pop: dict[str, np.ndarray], year: int) -> dict[str, np.ndarray]:
    """Rows of last year's participation: employee, programme (-1 outside), outside index, jp, date."""
    n = len(pop["id"])
    status, jenis = pop["status"], pop["jenis"]
    group = categorical(rng, np.tile([0.10, 0.25, 0.65], (n, 1)))
    group[status == 0] = 2
    # main programme: addresses the worst latent gap (what last year's plan targeted)
    gap = pop["t"] - JABATAN.std[pop["jab"]]
    worst = np.argmin(np.where(np.isnan(gap), np.inf, gap), axis=1)
    main_ok = (PROG_JP >= 20) & ~np.isin(PROG_BENTUK, list(LEADERSHIP))
    mem_p, mem_c = [], []
    for s in range(3):
        sel = main_ok & (PROG_COMP[:, s] >= 0)
        mem_p.append(np.flatnonzero(sel))
        mem_c.append(PROG_COMP[sel, s])
    mem_p, mem_c = np.concatenate(mem_p), np.concatenate(mem_c)
    main = pick_from_groups(rng, worst, mem_p, mem_c, N_COMPETENCIES)
    fallback = np.flatnonzero(main_ok)[rng.integers(0, main_ok.sum(), n)]
    main = np.where(main < 0, fallback, main)
    u = rng.random(n)
    main = np.where((jenis == J_PGW) & (pop["profile"] == 1) & (u < 0.3), PROGRAMME_INDEX["PRG-001"], main)
    main = np.where((jenis == J_ADM) & (u < 0.15), PROGRAMME_INDEX["PRG-002"], main)
    main = np.where(status == 0, PROGRAMME_INDEX["PRG-044"], main)
    full = np.flatnonzero(group == 2)
    short_ids = np.flatnonzero(PROG_JP < 20)

    def short(who: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        outside = rng.random(len(who)) < 0.4
        prog = np.where(outside, -1, short_ids[rng.integers(0, len(short_ids), len(who))])
        oi = np.where(outside, rng.integers(0, len(_OUTSIDE), len(who)), -1)
        jp = np.where(outside, np.array([o[1] for o in _OUTSIDE])[np.maximum(oi, 0)], PROG_JP[np.maximum(prog, 0)])
        return prog, oi, jp.astype(float)

    part = np.flatnonzero(group == 1)
    s1_who = np.concatenate([part, full[rng.random(len(full)) < 0.5]])
    s1 = short(s1_who)
    s2_who = np.concatenate([part[rng.random(len(part)) < 0.4], full[rng.random(len(full)) < 0.2]])
    s2 = short(s2_who)
    # a partial employee stays below 20 JP
    jp1 = np.zeros(n)
    jp1[s1_who] = s1[2]
    drop = (group[s2_who] == 1) & (jp1[s2_who] + s2[2] >= 20)
    emp = np.concatenate([full, s1_who, s2_who[~drop]])
    prog = np.concatenate([main[full], s1[0], s2[0][~drop]])
    oi = np.concatenate([np.full(len(full), -1), s1[1], s2[1][~drop]])
    jp = np.concatenate([PROG_JP[main[full]], s1[2], s2[2][~drop]])
    # one catalogue programme at most once per employee
    key = np.where(prog >= 0, emp * (N_PROGRAMMES + 1) + prog, -1 - np.arange(len(emp)))
    _, first = np.unique(key, return_index=True)
    first = np.sort(first)
    emp, prog, oi, jp = emp[first], prog[first], oi[first], jp[first]
    # start month: one of the months the programme is offered
    pm = np.maximum(prog, 0)
    mi = np.floor(rng.random(len(emp)) * PROG_NMONTHS[pm]).astype(np.int64)
    month = np.where(prog >= 0, PROG_MONTHS[pm, mi], rng.integers(1, 12, len(emp)))
    day = rng.integers(1, 26, len(emp))
    return {"emp": emp, "prog": prog, "oi": oi, "jp": jp, "month": month,
            "date": make_dates(year, month, day)}


def apply_training(rng: np.random.Generator, pop: dict[str, np.ndarray], part: dict[str, np.ndarray]) -> None:
    """Training before the survey (Jan–Jul) raises the latent level of the competencies addressed."""
    sel = (part["prog"] >= 0) & (part["month"] <= 7) & ~np.isin(part["prog"], NO_GAIN)
    emp, prog = part["emp"][sel], part["prog"][sel]
    t = pop["t"]
    for s in range(3):
        c = PROG_COMP[prog, s]
        ok = c >= 0
        gain = rng.uniform(0.2, 0.8, ok.sum()).astype(np.float32)
        np.add.at(t, (emp[ok], c[ok]), gain)


def realisasi_table(part: dict[str, np.ndarray], ids: pa.Array) -> pd.DataFrame:
    prog = part["prog"]
    names = [r[1] for r in CATALOGUE] + [o[0] for o in _OUTSIDE]
    ni = np.where(prog >= 0, prog, N_PROGRAMMES + part["oi"])
    order = np.lexsort((part["emp"], part["date"]))
    return pd.DataFrame({
        "pegawai_id": from_codes(part["emp"][order], ids),
        "program_id": from_codes(np.maximum(prog, 0)[order], PROGRAMME_IDS, (prog < 0)[order]),
        "nama_kegiatan": from_codes(ni[order], names),
        "tanggal_mulai": as_timestamps(part["date"][order]),
        "jp": part["jp"][order].astype(float),
    })
