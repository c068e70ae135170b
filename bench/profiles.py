"""The measurement behind ``profiles.missing`` (``docs/methods/profiles.md``, "Choice of method").

Fits each candidate of :data:`workbook.needs.profile_check.METHODS` at the planted number of
profiles (4) and prints the adjusted Rand index (ARI):

1. on agencies from :func:`workbook.needs.profile_check.planted_agency` (profiles independent of
   job family; the competencies that apply, and their typical gap, differ by family), seeds
   0 … ``--seeds``−1: against the planted profiles and against the job family;
2. on the sample ``data_samples/contoh`` (ingest and needs run into a temporary folder): against
   the profiles planted by the sample generator (:func:`workbook.sample.planted_profiles`) and
   against today's method (median imputation);
3. with the number of profiles chosen by ``NeedProfiles`` (k = 2 … 10) on both.

Usage::

    python bench/profiles.py --seeds 10
"""

from __future__ import annotations

import argparse
import tempfile

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from workbook.needs.profile_check import METHODS, compare_methods, planted_agency
from workbook.needs.profiles import NeedProfiles


def _sample() -> tuple[pd.DataFrame, pd.Series, np.ndarray]:
    from workbook import pipeline
    from workbook.core.context import open_context
    from workbook.needs.stage import profile_matrix
    from workbook.sample import SAMPLE_PARAMETERS, planted_profiles

    out = tempfile.mkdtemp(prefix="bench_profiles_")
    ctx = open_context(data_dir="data_samples/contoh", output_dir=out, interactive=False)
    res = pipeline.run(ctx, "01_needs")
    X = profile_matrix(res.gaps, res.tables["survei_pegawai"]["pegawai_id"])
    peg = res.tables["pegawai"].set_index("pegawai_id").reindex(X.index)
    family = peg["jf_nama"].fillna(peg["jenis_jabatan"]).astype(str).reset_index(drop=True)
    truth = planted_profiles(**SAMPLE_PARAMETERS).set_index("pegawai_id").reindex(X.index)["profil"]
    return X.reset_index(drop=True), family, truth.astype(str).to_numpy()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=10)
    args = ap.parse_args()
    runs = []
    for seed in range(args.seeds):
        X, fam, truth = planted_agency(seed=seed)
        runs.append(compare_methods(X, fam, truth, k=4, seed=seed).assign(seed=seed))
    gen = pd.concat(runs)
    wide = gen.pivot(index="seed", columns="method", values="ari_planted")
    print("## Generated agencies (k = 4)")
    print(gen.groupby("method", sort=False)[["ari_planted", "ari_vs_family"]]
          .agg(["mean", "min", "max"]).round(3).to_markdown())
    print("seeds where masked > median:", int((wide["masked"] > wide["impute_median"]).sum()),
          "of", len(wide))
    Xs, fam_s, truth_s = _sample()
    print("## Sample (k = 4)")
    print(compare_methods(Xs, fam_s, truth_s, k=4).round(3).to_markdown(index=False))
    print("## Number of profiles chosen (k = 2 … 10)")
    X0, fam0, truth0 = planted_agency(seed=0)
    for where, X, truth in (("generated seed 0", X0, truth0), ("sample", Xs, truth_s)):
        for missing in ("median", "core", "masked"):
            m = NeedProfiles(random_state=0, missing=missing).fit(X)
            sel = m.selection_.set_index("k")
            sil = sel.loc[m.n_profiles_, "silhouette"] if m.structure_found_ else np.nan
            print(f"| {where} | {missing} | {m.n_profiles_} | {sil:.3f} | "
                  f"{adjusted_rand_score(truth, m.labels_):.3f} | {np.round(m.stability_, 2).tolist()} |")
    assert set(METHODS) >= {"impute_median", "core", "per_family", "masked"}


if __name__ == "__main__":
    main()
