"""Benchmark: eligibility of every employee for every programme (issue #17).

The grouped, vectorised kernel (:func:`workbook.plan.eligibility.eligible`: the rules are
evaluated once per group of employees with identical attributes × programme, then broadcast)
against a naive per-pair Python loop over the same rules, timed on a random subsample of
employees and extrapolated to all pairs. The two are compared on the subsample (they must agree).

Reproducible synthetic agency from ``--seed``: PNS/CPNS/PPPK, the five jenis jabatan, JF names
and jenjang, birth dates (some past BUP in the plan year), some on tugas belajar or leave, a
training history for a third of the officials; a catalogue with Latsar, PKP, PKA, PKN II and
``--programmes`` programmes of which some target a jenis jabatan, a JF, a status, or need
years of service.

Usage::

    .venv/bin/python bench/eligibility.py --employees 250000 --programmes 300 --seed 0
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time

import numpy as np
import pandas as pd

from workbook.core.settings import load_settings
from workbook.plan import _elig_rules
from workbook.plan._elig_common import STATUS_MATCHES, split_list
from workbook.plan.eligibility import eligible, plan_year_status, programme_wajib

YEAR = 2027
JJ = ["pelaksana", "fungsional", "pengawas", "administrator", "JPT"]
JF = ["Guru", "Perawat", "Bidan", "Dokter", "Perencana", "Analis Kebijakan", "Pranata Komputer",
      "Penyuluh Pertanian", "Auditor", "Arsiparis"]
JENJANG_JF = ["ahli pertama", "ahli muda", "ahli madya", "terampil", "mahir"]


def agency(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    jj = rng.choice(JJ, n, p=[0.35, 0.5, 0.1, 0.04, 0.01])
    fung = jj == "fungsional"
    status = rng.choice(["PNS", "CPNS", "PPPK"], n, p=[0.78, 0.04, 0.18])
    tmt = pd.Timestamp("1990-01-01") + pd.to_timedelta(rng.integers(0, 13500, n), unit="D")
    tmt = np.where(status == "CPNS", pd.Timestamp("2025-09-01") + pd.to_timedelta(rng.integers(0, 480, n), unit="D"), tmt)
    peg = pd.DataFrame({
        "pegawai_id": [f"P{i:07d}" for i in range(n)],
        "status": status,
        "jenis_jabatan": jj,
        "jenjang": np.where(fung, rng.choice(JENJANG_JF, n), ""),
        "jf_nama": np.where(fung, rng.choice(JF, n), ""),
        "tmt": pd.to_datetime(tmt),
        "tanggal_lahir": pd.Timestamp("1966-01-01") + pd.to_timedelta(rng.integers(0, 12000, n), unit="D"),
        "tmt_jabatan": pd.Timestamp("2012-01-01") + pd.to_timedelta(rng.integers(0, 5400, n), unit="D"),
        "status_aktif": rng.choice(["", "tugas_belajar", "cuti_di_luar_tanggungan_negara"], n, p=[0.97, 0.02, 0.01]),
        "kode_unit": rng.choice([f"OPD{i:02d}" for i in range(40)], n),
    })
    officials = peg[peg["jenis_jabatan"].isin(["pengawas", "administrator", "JPT"])]
    sample = officials.sample(frac=1 / 3, random_state=int(rng.integers(1 << 31)))
    label = sample["jenis_jabatan"].map({"pengawas": "Diklatpim IV", "administrator": "Diklatpim III", "JPT": "Diklatpim II"})
    riw = pd.DataFrame({"pegawai_id": sample["pegawai_id"], "jenis": label, "nama": "", "status": "lulus"})
    return peg, riw


def catalogue(m: int, rng: np.random.Generator) -> pd.DataFrame:
    rows = [
        ("LAT", "Latsar CPNS", "latsar", 300.0, "", "", "", 0.0),
        ("PKP", "PKP", "pelatihan_kepemimpinan", 200.0, "", "", "", 0.0),
        ("PKA", "PKA", "pelatihan_kepemimpinan", 250.0, "", "", "", 0.0),
        ("PKN", "PKN II", "pelatihan_kepemimpinan", 300.0, "", "", "", 0.0),
    ]
    for i in range(m - len(rows)):
        kind = rng.choice(["open", "jabatan", "jf", "status", "masa"], p=[0.4, 0.2, 0.2, 0.1, 0.1])
        jp = float(rng.choice([4, 8, 16, 24, 32, 40, 60]))
        s_jj = ";".join(rng.choice(JJ, 2, replace=False)) if kind == "jabatan" else ""
        s_jf = str(rng.choice(JF)) if kind == "jf" else ""
        s_st = str(rng.choice(["PNS", "PPPK", "PNS;CPNS"])) if kind == "status" else ""
        mk = float(rng.choice([2, 5, 10])) if kind == "masa" else 0.0
        rows.append((f"T{i:03d}", f"Program {i}", "pelatihan_teknis", jp, s_jj, s_jf, s_st, mk))
    return pd.DataFrame(rows, columns=["program_id", "nama_program", "bentuk", "jp", "sasaran_jenis_jabatan",
                                       "sasaran_jf", "sasaran_status", "min_masa_kerja_th"])


def naive_pairs(status: pd.DataFrame, peg: pd.DataFrame, kat: pd.DataFrame, settings) -> set[tuple[str, str]]:
    """The same rules, one (employee, programme) pair at a time, in plain Python."""
    long_jp = settings["eligibility.long_training_min_jp"]
    mapping = {k: [x.lower() for x in v] for k, v in settings["eligibility.wajib_jenis_jabatan"].items()}
    wajib = programme_wajib(kat, settings)["wajib"].tolist()
    progs = kat.to_dict("records")
    people = status.merge(peg[["pegawai_id", "jenis_jabatan", "jenjang", "jf_nama"]], on="pegawai_id").to_dict("records")
    out = set()
    for p in people:
        st, jj = p["status_pada_tahun_rencana"], str(p["jenis_jabatan"]).lower()
        for code, k in zip(wajib, progs, strict=True):
            if p["unavailable_scope"] == "all" or (p["unavailable_scope"] == "long" and k["jp"] >= long_jp):
                continue
            s_st = split_list(k["sasaran_status"])
            if s_st and not any(a in s_st for a in STATUS_MATCHES[st]):
                continue
            s_jj = split_list(k["sasaran_jenis_jabatan"])
            if s_jj and jj not in s_jj:
                continue
            s_jf = split_list(k["sasaran_jf"])
            if s_jf and str(p["jf_nama"]).lower() not in s_jf:
                continue
            if code == "latsar" and (st not in ("CPNS", "CPNS_jadi_PNS") or p["has_latsar"]):
                continue
            if code in mapping and (jj not in mapping[code] or p[f"has_{code}"]):
                continue
            if k["min_masa_kerja_th"] > 0 and p["masa_kerja_th"] < k["min_masa_kerja_th"]:
                continue
            out.add((p["pegawai_id"], k["program_id"]))
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--employees", type=int, default=250_000)
    ap.add_argument("--programmes", type=int, default=300)
    ap.add_argument("--sample", type=int, default=300, help="employees in the naive loop's subsample")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    settings = load_settings()
    peg, riw = agency(args.employees, rng)
    kat = catalogue(args.programmes, rng)
    base = peak_mb()

    t0 = time.perf_counter()
    status = plan_year_status(peg, riw, YEAR, settings)
    t_status = time.perf_counter() - t0
    t0 = time.perf_counter()
    pairs = eligible(status, peg, kat, settings)
    t_elig = time.perf_counter() - t0
    peak = peak_mb()
    out_mb = pairs.memory_usage(deep=True).sum() / 2**20
    n_groups = len(_elig_rules.prepare(status, peg, kat, programme_wajib(kat, settings)["wajib"], settings).groups)

    sub = rng.choice(args.employees, size=min(args.sample, args.employees), replace=False)
    st_sub, peg_sub = status.iloc[sub], peg.iloc[sub]
    t0 = time.perf_counter()
    naive = naive_pairs(st_sub, peg_sub, kat, settings)
    t_naive_sub = time.perf_counter() - t0
    per_pair = t_naive_sub / (len(sub) * len(kat))
    t_naive = per_pair * args.employees * len(kat)
    ids = set(peg_sub["pegawai_id"])
    mask = pairs["pegawai_id"].astype(str).isin(ids).to_numpy()
    vec_sub = set(zip(pairs["pegawai_id"].astype(str)[mask], pairs["program_id"].astype(str)[mask], strict=True))

    print(f"# eligibility benchmark — {platform.python_version()}, {os.cpu_count()} CPU, seed {args.seed}")
    print(f"employees {args.employees:,} × programmes {args.programmes} = {args.employees * args.programmes:,} pairs; "
          f"{n_groups:,} groups of identical attributes")
    print(f"{'':34}{'vectorised':>14}{'naive loop':>16}")
    print(f"{'plan_year_status (s)':34}{t_status:>14.2f}{'':>16}")
    print(f"{'eligible pairs (s)':34}{t_elig:>14.2f}{t_naive:>16.1f}  (naive: {len(sub)} employees × "
          f"{len(kat)} in {t_naive_sub:.2f} s, {per_pair * 1e6:.2f} µs per pair, extrapolated)")
    print(f"{'eligible pairs (n)':34}{len(pairs):>14,}")
    print(f"{'agree on the subsample':34}{str(vec_sub == naive):>14}  ({len(naive):,} pairs)")
    print(f"peak RSS {peak:,.0f} MB (inputs built: {base:,.0f} MB); result frame {out_mb:,.0f} MB")


if __name__ == "__main__":
    main()
