"""Evaluation of last year's programmes across Kirkpatrick's four levels (the public face).

* **Level 1 — reaction** (:func:`level1`, :mod:`~workbook.evaluation.l1_reaction`): per programme
  and aspect (fasilitator / penyelenggara), the mean item score, the percentage of the maximum
  score, the interval-class category and Cronbach's alpha of the aspect's items (DOMAIN.md §2.2
  [S41–S45]).
* **Level 2 — learning** (:func:`level2`, :mod:`~workbook.evaluation.l2_learning`): per
  programme, the paired pre-test/post-test comparison of :mod:`workbook.core.stats` with Holm's
  correction across *all L2 tests of the year*, the effect size g_z, N-Gain, a *meaningful* flag
  beside the *significant* flag, the ceiling flag, the minimum detectable effect and a
  one-sentence reading. Plot inputs: :func:`level2_pairs`, :func:`forest_data`. Per participant:
  :func:`reliable_change` (Jacobson–Truax).
* **Level 3 — behaviour** (:func:`level3`, :mod:`~workbook.evaluation.l3_behaviour`): ratings by
  supervisors, peers or observers before and 3–6 months after the programme, averaged per person,
  with the same paired machinery and a ``status`` ("selesai" / "menunggu") for programmes whose
  follow-up rating is not due yet.
* **Level 4 — results** (:func:`level4`, :mod:`~workbook.evaluation.l4_results`): unit
  indicators before and after, whether they moved in the better direction, and whether the unit
  took part — with no causal claim.

The statistics kernels live in :mod:`workbook.core.stats`; their public functions are re-exported here
(``workbook.evaluation.levels.paired_prepost`` etc.) and are the public contract, as are the level
functions. Compute code never rounds and writes no sentences: the results carry codes (``verdict``,
``method_reason``, ``status_reason``, ``note``…) and the numbers their words need; the words, in
Indonesian and English, are in :mod:`workbook.evaluation.words`. The method note is
``docs/methods/evaluation.md``.
"""

from __future__ import annotations

from workbook.core.stats import (
    adjust_pvalues,
    ceiling_warning,
    cronbach_alpha,
    effect_sizes,
    min_detectable_effect,
    normalized_gain,
    paired_prepost,
    power_paired_t,
    prepost_by_group,
    reliable_change_index,
)
from workbook.evaluation.l1_reaction import l1_class_table, level1
from workbook.evaluation.l2_learning import (
    check_l2,
    forest_data,
    level2,
    level2_pairs,
    reliable_change,
)
from workbook.evaluation.l3_behaviour import level3, level3_scores
from workbook.evaluation.l4_results import level4

# pylint: disable=duplicate-code  # re-exports: the names repeat those of their modules
__all__ = [
    # re-exported from workbook.core.stats (public contract)
    "paired_prepost",
    "effect_sizes",
    "adjust_pvalues",
    "normalized_gain",
    "reliable_change_index",
    "cronbach_alpha",
    "min_detectable_effect",
    "power_paired_t",
    "ceiling_warning",
    "prepost_by_group",
    # levels
    "l1_class_table",
    "level1",
    "check_l2",
    "level2",
    "level2_pairs",
    "forest_data",
    "reliable_change",
    "level3_scores",
    "level3",
    "level4",
]
# pylint: enable=duplicate-code
