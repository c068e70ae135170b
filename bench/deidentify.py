"""Benchmark of the free-text de-identification at ingest (``workbook.ingest.deidentify``).

One run, two approaches on the same data:

1. **One pass** — :func:`workbook.ingest.deidentify.deidentify`: ``--comments`` comments
   (default 100,000) against an employee table of ``--names`` names (default 10,000): the index
   (word set, trie, word-list check) is built once, each comment is read once.
2. **Naive** — one compiled regular expression per employee name (``\\bname\\b``, any case),
   each applied to every comment: the cost grows with comments × names. It is timed on
   ``--naive-comments`` comments (default 1,000) and extrapolated linearly to ``--comments``
   (say ``--naive-comments 100000`` to time it in full; expect hours).

Comments are drawn from the name-free corpus ``tests/data/komentar_tanpa_nama.txt`` with an
employee name, an honorific-led name, a NIP or a phone number planted in about one in five.
Every comment is made distinct (a running number), so the one pass gains nothing from the
repeated texts it otherwise handles once. Deterministic from ``--seed``.

Usage::

    python bench/deidentify.py
    python bench/deidentify.py --comments 20000 --names 2000 --naive-comments 500
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbook.core.settings import load_settings  # noqa: E402
from workbook.ingest.deidentify import build_name_index, deidentify  # noqa: E402

FIRST = ["Budi", "Sri", "Dewi", "Agus", "Siti", "Indah", "Putri", "Bagus", "Wahyu", "Rahmat", "Sari", "Jaya",
         "Adi", "Tri", "Nur", "Eka", "Dwi", "Fajar", "Bayu", "Intan", "Citra", "Surya", "Ratna", "Ayu", "Rizki",
         "Muhammad", "Ahmad", "Andi", "Dian", "Yuni", "Wulan", "Teguh", "Suci", "Kartika", "Fitri", "Hendra"]
LAST = ["Santoso", "Wahyuni", "Lestari", "Setiawan", "Hidayat", "Prakoso", "Saputra", "Permata", "Wulandari",
        "Kusuma", "Nugroho", "Handayani", "Rahayu", "Ramadhan", "Pratama", "Putra", "Wijaya", "Susanto",
        "Kurniawan", "Hartono", "Gunawan", "Purnomo", "Suryani", "Firmansyah", "Siregar", "Nasution", "Lubis"]


def make_data(n_comments: int, n_names: int, seed: int) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    syl = ["ra", "ko", "wi", "su", "ta", "mi", "do", "ye", "ni", "har", "sen", "tar", "lin", "dra", "wan"]
    names = []
    for i in range(n_names):
        first = rng.choice(FIRST) if i % 2 else "".join(rng.choice(syl, 3)).capitalize()
        last = rng.choice(LAST) if i % 3 else "".join(rng.choice(syl, 3)).capitalize()
        names.append(f"{first} {last}")
    names = pd.Series(names, name="nama")
    corpus = [ln for ln in (ROOT / "tests" / "data" / "komentar_tanpa_nama.txt").read_text(encoding="utf-8")
              .splitlines() if ln.strip() and not ln.startswith("#")]
    base = rng.choice(corpus, n_comments)
    plant = rng.random(n_comments)
    who = rng.integers(0, n_names, n_comments)
    out = []
    for i, (text, p, w) in enumerate(zip(base, plant, who, strict=True)):
        if p < 0.05:
            text = f"Terima kasih kepada {names[w]}, {text[0].lower()}{text[1:]}"
        elif p < 0.10:
            text = f"{text} Pak {names[w].split()[0]} sangat membantu."
        elif p < 0.15:
            text = f"{text} (NIP 19871101 201301 2 {w % 1000:03d})"
        elif p < 0.20:
            text = f"{text} hubungi 0812-3456-{w % 10000:04d}"
        out.append(f"{text} [{i}]")  # every comment distinct: no gain from repeated texts
    return pd.Series(out, name="komentar"), names


def naive(texts: pd.Series, names: pd.Series) -> list[str]:
    """One regular expression per name, each run over every text."""
    pats = [re.compile(rf"\b{re.escape(n)}\b", re.IGNORECASE) for n in names.unique()]
    out = []
    for t in texts:
        for p in pats:
            t = p.sub("[nama]", t)
        out.append(t)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--comments", type=int, default=100_000)
    ap.add_argument("--names", type=int, default=10_000)
    ap.add_argument("--naive-comments", type=int, default=1_000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    texts, names = make_data(a.comments, a.names, a.seed)
    s = load_settings()
    deidentify(pd.Series(["pemanasan"]), pd.Series(["Budi Santoso"]), s)  # load the word list once

    t0 = time.perf_counter()
    ix = build_name_index(names, s)
    t1 = time.perf_counter()
    out, counts = deidentify(texts, index=ix)
    t2 = time.perf_counter()
    print(f"comments: {a.comments:,}  names: {a.names:,}  (distinct comments: {texts.nunique():,})")
    print(f"one pass : index {t1 - t0:6.2f} s + texts {t2 - t1:6.2f} s = {t2 - t0:6.2f} s  "
          f"({(t2 - t1) / a.comments * 1e6:.1f} µs per comment); replacements {counts}")

    m = min(a.naive_comments, a.comments)
    sub = texts.iloc[:m]
    t3 = time.perf_counter()
    naive(sub, names)
    t4 = time.perf_counter()
    per = (t4 - t3) / m
    full = per * a.comments
    note = "measured" if m == a.comments else f"extrapolated from {m:,} comments"
    print(f"naive    : one regex per name: {t4 - t3:6.2f} s for {m:,} comments "
          f"({per * 1e3:.2f} ms per comment) → {full:8.1f} s for {a.comments:,} ({note})")
    print(f"speed-up : {full / (t2 - t0):.0f}×")
    # the one-pass result on the same comments, for a look at what each does
    print("example  :", out.iloc[int(np.argmax(texts.str.contains('kepada').to_numpy()))])


if __name__ == "__main__":
    main()
