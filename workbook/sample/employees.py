"""The sample's employees: the population, its evolution by a year, ``pegawai`` and ``hasil_asesmen``.

Each employee carries a unit, position, status, age, grade, a planted need profile and a latent
level per competency (standard + profile shift + noise); the survey and the assessments are
drawn from that latent level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from workbook.core.schema import GOLONGAN, KELOMPOK_USIA, PREDIKAT, STATUS
from workbook.sample.arrays import as_timestamps, categorical, from_codes
from workbook.sample.structure import (
    CODES,
    FAMILY_JABATAN,
    FAMILY_KIND,
    FAMILY_NAMES,
    J_ADM,
    J_FUN,
    J_JPT,
    J_PGW,
    J_PLK,
    JABATAN,
    JABATAN_INDEX,
    JENIS,
    JENJANG,
    LATENT_SD,
    MIN_EMPLOYEES,
    N_COMPETENCIES,
    N_PROFILES,
    N_UNITS,
    PELAKSANA,
    SHIFT,
    SMALL_UNIT,
    SMALL_UNIT_SIZE,
    UNITS,
)

__all__ = [
    "new_population",
    "evolve",
    "pegawai_table",
    "asesmen_table",
]


# --------------------------------------------------------------------------------------------
# Population
# --------------------------------------------------------------------------------------------


def _unit_sizes(n: int) -> np.ndarray:
    w = np.array([u.weight for u in UNITS])
    w = w / w.sum()
    rest = n - SMALL_UNIT_SIZE
    sizes = np.floor(w * rest).astype(np.int64)
    frac = w * rest - sizes
    sizes[np.argsort(-frac, kind="stable")[: rest - sizes.sum()]] += 1
    sizes[SMALL_UNIT] = SMALL_UNIT_SIZE
    return sizes


def _draw_people(rng: np.random.Generator, unit: np.ndarray, jenis: np.ndarray, jab: np.ndarray,
                 status_forced: np.ndarray | None, ref_year: int) -> dict[str, np.ndarray]:
    """Fill status, jenjang, jabatan, age, tmt, golongan, gender for given unit/jenis (jab of structurals)."""
    n = len(unit)
    jenjang = np.zeros(n, dtype=np.int64)
    jenjang[jenis == J_JPT] = 1
    fam = np.full(n, -1, dtype=np.int64)
    # status
    if status_forced is None:
        u = rng.random(n)
        nonstruct = jenis >= J_PLK
        status = np.where(nonstruct & (u < 0.033), 0, np.where(nonstruct & (u > 1 - 0.19), 2, 1))
    else:
        status = status_forced.copy()
    # pelaksana titles
    plk = jenis == J_PLK
    jab[plk] = np.array(JABATAN_INDEX["pelaksana"])[rng.integers(0, len(PELAKSANA), plk.sum())]
    # functional family per unit, then jenjang
    fun = np.flatnonzero(jenis == J_FUN)
    if len(fun):
        fw = np.zeros((N_UNITS, len(FAMILY_NAMES)))
        for ui, un in enumerate(UNITS):
            for name, w in un.fungsional:
                fw[ui, FAMILY_NAMES.index(name)] = w
        fam[fun] = categorical(rng, fw[unit[fun]])
        kind = FAMILY_KIND[fam[fun]]
        ahli = np.where(kind == 2, rng.random(len(fun)) < 0.5, kind == 0)
        lvl = categorical(rng, np.where(ahli[:, None], [[0.4, 0.4, 0.2]], [[0.45, 0.35, 0.2]]))
        junior = status[fun] != 1  # CPNS and PPPK start at the entry level
        lvl[junior] = 0
        jenjang[fun] = np.where(ahli, 2, 5) + lvl
        jab[fun] = FAMILY_JABATAN[fam[fun], jenjang[fun]]
    # age at mid reference year
    lo = np.select([jenis == J_JPT, jenis == J_ADM, jenis == J_PGW, jenis == J_PLK], [45, 40, 31, 24], 0).astype(float)
    hi = np.select([jenis == J_JPT, jenis == J_ADM, jenis == J_PGW, jenis == J_PLK], [58, 57, 57, 57], 0).astype(float)
    flo = np.array([0, 0, 24, 30, 40, 23, 28, 35])
    fhi = np.array([0, 0, 45, 55, 59, 45, 55, 57])
    lo = np.where(jenis == J_FUN, flo[jenjang], lo)
    hi = np.where(jenis == J_FUN, fhi[jenjang], hi)
    lo = np.where(status == 0, 22, np.where(status == 2, 25, lo))
    hi = np.where(status == 0, 34, np.where(status == 2, 50, hi))
    age = lo + (hi - lo) * rng.beta(1.3, 1.3, n)
    # service years
    entry = 22 + (np.minimum(35, age - 2) - 22) * rng.random(n)
    service = np.maximum(age - entry, 2.0)
    service = np.where(status == 0, 0.1 + 0.8 * rng.random(n), np.where(status == 2, 0.3 + 3.5 * rng.random(n), service))
    months = np.floor(service * 12).astype(np.int64)
    tmt = (np.datetime64(f"{ref_year}-07", "M") - months.astype("timedelta64[M]")).astype("datetime64[D]")
    # golongan index (0..16), -1 for PPPK
    glo = np.select([jenis == J_JPT, jenis == J_ADM, jenis == J_PGW, jenis == J_PLK], [14, 11, 10, 5], 0)
    ghi = np.select([jenis == J_JPT, jenis == J_ADM, jenis == J_PGW, jenis == J_PLK], [15, 14, 12, 11], 0)
    fglo = np.array([0, 0, 8, 10, 12, 6, 8, 10])
    fghi = np.array([0, 0, 9, 11, 14, 7, 9, 11])
    glo = np.where(jenis == J_FUN, fglo[jenjang], glo)
    ghi = np.where(jenis == J_FUN, fghi[jenjang], ghi)
    q = np.clip(service / 30 + rng.normal(0, 0.15, n), 0, 0.999)
    gol = glo + np.floor((ghi - glo + 1) * q).astype(np.int64)
    cpns_gol = np.where(jenis == J_PLK, np.where(rng.random(n) < 0.5, 4, 8), np.where(jenjang == 5, 6, 8))
    gol = np.where(status == 0, cpns_gol, gol)
    gol = np.where(status == 2, -1, gol)
    # gender: share of women by family / type
    pf = np.full(n, 0.48)
    fem = {"Bidan": 0.99, "Perawat": 0.78, "Guru": 0.68, "Polisi Pamong Praja": 0.2, "Dokter": 0.55}
    fam_pf = np.array([fem.get(f, 0.5) for f in FAMILY_NAMES])
    pf = np.where(fam >= 0, fam_pf[np.maximum(fam, 0)], pf)
    pf = np.where(jenis <= J_PGW, 0.33, pf)
    female = rng.random(n) < pf
    return {"status": status, "jenjang": jenjang, "fam": fam, "jab": jab, "age": age, "tmt": tmt,
            "gol": gol, "female": female}


def _profiles(rng: np.random.Generator, unit: np.ndarray, jenis: np.ndarray, fam: np.ndarray,
              age: np.ndarray) -> np.ndarray:
    n = len(unit)
    front = np.array([u.frontline for u in UNITS])[unit]
    admin_u = np.array([u.admin_unit for u in UNITS])[unit]
    guru = fam == FAMILY_NAMES.index("Guru")
    staff = jenis >= J_PLK
    w = np.zeros((n, N_PROFILES))
    w[:, 0] = np.where((admin_u | guru) & (staff | (jenis == J_PGW)), np.where(age >= 40, 4.0, 0.6), 0.05)
    w[:, 1] = np.where(jenis == J_PGW, np.where(age < 40, 8.0, 1.5), np.where(jenis == J_ADM, 0.6, 0.0))
    w[:, 2] = np.where(front & staff, 4.0, 0.05)
    w[:, 3] = 1.0
    return categorical(rng, w)


def _latent(rng: np.random.Generator, jab: np.ndarray, profile: np.ndarray) -> np.ndarray:
    t = rng.standard_normal((len(jab), N_COMPETENCIES), dtype=np.float32)
    t *= np.float32(LATENT_SD)
    t += JABATAN.std.astype(np.float32)[jab]
    t += SHIFT.astype(np.float32)[profile]
    return t


def new_population(rng: np.random.Generator, n: int, ref_year: int) -> dict[str, np.ndarray]:
    sizes = _unit_sizes(n)
    unit = np.repeat(np.arange(N_UNITS), sizes)
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rank = np.arange(n) - start[unit]
    n_adm = np.maximum(1, np.round(0.025 * sizes)).astype(np.int64)
    n_pgw = np.maximum(1, np.round(0.06 * sizes)).astype(np.int64)
    n_fun = np.round(np.array([u.share_fungsional for u in UNITS]) * sizes).astype(np.int64)
    n_adm[SMALL_UNIT], n_pgw[SMALL_UNIT], n_fun[SMALL_UNIT] = 1, 1, 2
    r = rank
    jenis = np.where(r == 0, J_JPT, np.where(r < 1 + n_adm[unit], J_ADM, np.where(
        r < 1 + n_adm[unit] + n_pgw[unit], J_PGW,
        np.where(r < 1 + n_adm[unit] + n_pgw[unit] + n_fun[unit], J_FUN, J_PLK))))
    # structural titles
    jab = np.full(n, -1, dtype=np.int64)
    heads = np.array(JABATAN_INDEX["head"])
    jab[jenis == J_JPT] = heads[unit[jenis == J_JPT]]
    for key, j in (("admin", J_ADM), ("pengawas", J_PGW)):
        m = np.flatnonzero(jenis == j)
        # title index cycles within the unit so that every title is filled
        within = r[m] - 1 - (n_adm[unit[m]] if j == J_PGW else 0)
        counts = np.array([len(x) for x in JABATAN_INDEX[key]])
        tables = np.full((N_UNITS, counts.max()), -1)
        for ui, lst in enumerate(JABATAN_INDEX[key]):
            tables[ui, : len(lst)] = lst
        jab[m] = tables[unit[m], within % counts[unit[m]]]
    perm = rng.permutation(n)
    unit, jenis, jab = unit[perm], jenis[perm], jab[perm]
    pop = {"unit": unit, "jenis": jenis}
    pop.update(_draw_people(rng, unit, jenis, jab, None, ref_year))
    pop["id"] = np.arange(1, n + 1, dtype=np.int64)
    pop["potensi"] = np.where((jenis <= J_PGW) | (rng.random(n) < 0.55),
                              np.clip(rng.normal(62, 11, n) + 6 * (jenis <= J_PGW), 20, 98), np.nan)
    pop["profile"] = _profiles(rng, unit, jenis, pop["fam"], pop["age"])
    pop["t"] = _latent(rng, pop["jab"], pop["profile"])
    return pop


def evolve(rng: np.random.Generator, pop: dict[str, np.ndarray], ref_year: int) -> dict[str, np.ndarray]:
    """One year later: ~5 % retire, ~5 % new CPNS, CPNS become PNS, everyone a year older."""
    n = len(pop["id"])
    k = int(round(0.05 * n))
    # retirement: the oldest are much more likely; JPT and the tiny unit are kept
    weight = np.where(pop["age"] >= 56, 20.0, np.where(pop["age"] >= 50, 2.0, 0.1))
    weight[(pop["jenis"] == J_JPT) | (pop["unit"] == SMALL_UNIT)] = 0.0
    key = np.log(weight + 1e-300) - np.log(-np.log(rng.random(n)))
    retire = np.zeros(n, dtype=bool)
    retire[np.argpartition(-key, k)[:k]] = True
    keep = ~retire
    new = {k_: v[keep] for k_, v in pop.items()}
    new["age"] = new["age"] + 1
    new["status"] = np.where(new["status"] == 0, 1, new["status"])
    new["t"] = (new["t"] + rng.normal(0, 0.1, new["t"].shape)).astype(np.float32)
    # newcomers
    m = int(round(0.05 * n))
    sizes = _unit_sizes(max(m + SMALL_UNIT_SIZE, MIN_EMPLOYEES))[: SMALL_UNIT].astype(float)
    unit = rng.choice(N_UNITS - 1, size=m, p=sizes / sizes.sum())
    jenis = np.where(rng.random(m) < 0.55, J_FUN, J_PLK)
    jab = np.full(m, -1, dtype=np.int64)
    ppl = _draw_people(rng, unit, jenis, jab, np.zeros(m, dtype=np.int64), ref_year)
    add = {"unit": unit, "jenis": jenis, **ppl}
    add["id"] = pop["id"].max() + 1 + np.arange(m)
    add["potensi"] = np.where(rng.random(m) < 0.3, np.clip(rng.normal(62, 11, m), 20, 98), np.nan)
    add["profile"] = _profiles(rng, unit, jenis, add["fam"], add["age"])
    add["t"] = _latent(rng, add["jab"], add["profile"])
    return {k_: np.concatenate([new[k_], add[k_]]) for k_ in new}


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def pegawai_table(rng: np.random.Generator, pop: dict[str, np.ndarray], ids: pa.Array) -> pd.DataFrame:
    n = len(pop["id"])
    unit, jenis, status = pop["unit"], pop["jenis"], pop["status"]
    pred = categorical(rng, np.tile([0.12, 0.80, 0.06, 0.015, 0.005], (n, 1)))
    lo = np.array([110, 90, 70, 50, 30])[pred]
    real = np.round(lo + 20 * rng.random(n), 1)
    no_skp = status == 0
    # target position: promising pengawas -> an administrator title of their unit; ahli muda -> ahli madya
    target = np.full(n, -1, dtype=np.int64)
    pot = np.nan_to_num(pop["potensi"], nan=0.0)
    pg = np.flatnonzero((jenis == J_PGW) & (pot >= 72))
    adm_first = np.array([lst[0] for lst in JABATAN_INDEX["admin"]])
    target[pg] = adm_first[unit[pg]]
    am = np.flatnonzero((pop["jenjang"] == 3) & (pot >= 80))
    target[am] = FAMILY_JABATAN[pop["fam"][am], 4]
    names = JABATAN.names
    age = pop["age"]
    band = np.select([age < 30, age < 40, age < 50], [0, 1, 2], 3)
    gol = pop["gol"]
    return pd.DataFrame({
        "pegawai_id": from_codes(np.arange(n), ids),
        "kode_unit": from_codes(unit, [u.code for u in UNITS]),
        "nama_unit": from_codes(unit, [u.name for u in UNITS]),
        "jabatan": from_codes(pop["jab"], names),
        "jabatan_target": from_codes(np.maximum(target, 0), names, target < 0),
        "jenis_jabatan": from_codes(jenis, JENIS),
        "jenjang": from_codes(pop["jenjang"], JENJANG, pop["jenjang"] == 0),
        "golongan": from_codes(np.maximum(gol, 0), GOLONGAN, gol < 0),
        "status": from_codes(status, STATUS),
        "tmt": as_timestamps(pop["tmt"]),
        "jenis_kelamin": from_codes(pop["female"].astype(np.int64), ["L", "P"]),
        "kelompok_usia": from_codes(band, KELOMPOK_USIA),
        "skp_target": np.where(no_skp, np.nan, 100.0),
        "skp_realisasi": np.where(no_skp, np.nan, real),
        "predikat_kinerja": from_codes(pred, PREDIKAT, no_skp),
        "skor_potensi": np.round(pop["potensi"], 1),
    })


def asesmen_table(rng: np.random.Generator, pop: dict[str, np.ndarray], ids: pa.Array, year: int) -> pd.DataFrame:
    n = len(ids)
    jenis, jj = pop["jenis"], pop["jenjang"]
    p = np.select([jenis <= J_ADM, jenis == J_PGW, jj == 4, jj == 3], [1.0, 0.9, 0.5, 0.4], 0.27)
    p = np.where(pop["status"] == 1, p, 0.0)
    who = np.flatnonzero(rng.random(n) < p)
    e = np.repeat(who, 9)
    c = np.tile(np.arange(9), len(who))
    level = np.clip(np.round(2 * (pop["t"][e, c] + rng.normal(0, 0.3, len(e)))) / 2, 1, 5)
    day = rng.integers(0, 500, len(who))  # from Feb of Y-2, over ~16 months
    date = np.datetime64(f"{year - 2}-02-01") + np.repeat(day, 9).astype("timedelta64[D]")
    return pd.DataFrame({
        "pegawai_id": from_codes(e, ids),
        "kode_kompetensi": from_codes(c, CODES),
        "level": level.astype(float),
        "tanggal": as_timestamps(date),
        "metode": from_codes(np.zeros(len(e), np.int64), ["pemetaan"]),
    })
