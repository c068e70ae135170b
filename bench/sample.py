"""Benchmark: ``workbook.sample.generate_agency`` for 10k / 100k / 1M employees, and a naive loop.

    .venv/bin/python bench/sample.py                 # 10k, 100k, 1M + naive loop on 10k
    .venv/bin/python bench/sample.py --sizes 10000 100000 --naive 5000

Each size runs in its own Python process so that the peak memory (``ru_maxrss``) belongs to that
size alone; the figure printed is the peak resident set of the process minus its resident set
after the imports. Time is wall-clock time of ``generate_agency`` only (all tables, survey included;
no file writing). Target: ≤ 30 s for 1,000,000 employees.

The naive baseline generates, with a Python loop over employees and scalar draws from the same
kind of ``numpy.random.Generator``, only the ``pegawai`` table and the self-assessment survey
(the two largest per-employee tables) and collects rows as dicts — i.e. *less* than the
vectorised generator does. Its time on ``--naive`` employees is extrapolated linearly to 1M.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")  # pragma: no cover


def _one(n: int, seed: int) -> dict:
    from workbook.sample import generate_agency

    base = _rss_mb()
    t0 = time.perf_counter()
    tables = generate_agency(n, seed=seed)
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = sum(len(v) for k, v in tables.items() if k != "instansi")
    frame_mb = sum(v.memory_usage(deep=True).sum() for k, v in tables.items() if k != "instansi") / 2**20
    return {"n": n, "seconds": elapsed, "peak_mb": peak - base, "frames_mb": frame_mb, "rows": rows,
            "survey_rows": len(tables["survei_pegawai"])}


def naive(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-employee loop: ``pegawai`` and ``survei_pegawai`` only, one scalar draw at a time."""
    from workbook.core.schema import GOLONGAN
    from workbook.sample import structure as s
    from workbook.sample.survey import BENTUK_PREF

    rng = np.random.default_rng(seed)
    weights = np.array([u.weight for u in s.UNITS[:-1]])
    weights = weights / weights.sum()
    std = s.JABATAN.std
    pelaksana = s.JABATAN_INDEX["pelaksana"]
    people, answers = [], []
    for i in range(n):
        u = int(rng.choice(len(weights), p=weights))
        unit = s.UNITS[u]
        x = rng.random()
        if x < 0.01:
            jab = s.JABATAN_INDEX["head"][u]
        elif x < 0.035:
            jab = s.JABATAN_INDEX["admin"][u][int(rng.integers(len(s.JABATAN_INDEX["admin"][u])))]
        elif x < 0.095:
            jab = s.JABATAN_INDEX["pengawas"][u][int(rng.integers(len(s.JABATAN_INDEX["pengawas"][u])))]
        elif x < 0.095 + unit.share_fungsional:
            fams = [f for f, _ in unit.fungsional]
            w = np.array([w for _, w in unit.fungsional], dtype=float)
            fam = fams[int(rng.choice(len(fams), p=w / w.sum()))]
            row = s.JABATAN_INDEX["fam"][fam]
            jab = int(rng.choice([j for j in row if j >= 0]))
        else:
            jab = pelaksana[int(rng.integers(len(pelaksana)))]
        status = "CPNS" if rng.random() < 0.03 else ("PPPK" if rng.random() < 0.19 else "PNS")
        age = float(rng.uniform(22, 58))
        gol = None if status == "PPPK" else GOLONGAN[int(rng.integers(4, 16))]
        tmt = np.datetime64("2026-07-01") - np.timedelta64(int(rng.uniform(0, 30) * 365), "D")
        band = "<30" if age < 30 else "30-39" if age < 40 else "40-49" if age < 50 else "50+"
        profile = int(rng.integers(4))
        pid = f"P{i + 1:06d}"
        people.append({"pegawai_id": pid, "kode_unit": unit.code, "nama_unit": unit.name,
                       "jabatan": s.JABATAN.names[jab], "status": status, "golongan": gol, "tmt": tmt,
                       "kelompok_usia": band, "jenis_kelamin": "P" if rng.random() < 0.5 else "L",
                       "skp_target": 100.0, "skp_realisasi": round(float(rng.uniform(80, 120)), 1)})
        if rng.random() < unit.response:
            row = {"pegawai_id": pid, "waktu_isi": np.datetime64("2026-08-01T07:00")
                   + np.timedelta64(int(rng.integers(0, 61 * 86400)), "s")}
            for k, code in enumerate(s.CODES):
                if np.isnan(std[jab, k]):
                    row[f"level_{code}"] = None
                    row[f"penting_{code}"] = None
                    continue
                t = std[jab, k] + s.SHIFT[profile, k] + rng.normal(0, 0.55)
                lv = min(5, max(1, round(t + 0.3 + rng.normal(0, 0.5))))
                imp = min(5, max(1, round(3.3 + rng.normal(0, 0.8))))
                row[f"level_{code}"] = None if rng.random() < 0.03 else lv
                row[f"penting_{code}"] = None if rng.random() < 0.03 else imp
            row["bentuk_diminati"] = BENTUK_PREF[profile][0][int(rng.integers(5))]
            answers.append(row)
    return pd.DataFrame(people), pd.DataFrame(answers)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    p.add_argument("--naive", type=int, default=10_000, help="employees for the naive loop (0 = skip)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--one", type=int, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.one:
        print(json.dumps(_one(a.one, a.seed)))
        return 0
    print(f"# {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"{os.cpu_count()} CPU, {platform.machine()}")
    print(f"{'employees':>10} {'seconds':>8} {'peak MB':>8} {'frames MB':>9} {'rows':>11} {'survey':>9}")
    results = {}
    for n in a.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed", str(a.seed)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results[n] = r
        print(f"{n:>10,} {r['seconds']:>8.2f} {r['peak_mb']:>8.0f} {r['frames_mb']:>9.0f} {r['rows']:>11,} "
              f"{r['survey_rows']:>9,}")
    if a.naive:
        t0 = time.perf_counter()
        naive(a.naive, a.seed)
        t = time.perf_counter() - t0
        per_million = t * 1_000_000 / a.naive
        print(f"naive loop (pegawai + survei_pegawai only): {a.naive:,} employees in {t:.2f} s "
              f"→ about {per_million:,.0f} s ({per_million / 60:.1f} min) for 1,000,000")
        if 1_000_000 in results:
            print(f"vectorised 1,000,000 (all tables): {results[1_000_000]['seconds']:.2f} s "
                  f"→ {per_million / results[1_000_000]['seconds']:.0f}× faster")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
