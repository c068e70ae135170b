"""Statistics kernels for the evaluation stage (Kirkpatrick level 2: pre-test / post-test).

Everything here follows one convention: the **change is post − pre** (positive = improvement),
and ``alternative`` ("two-sided", "greater", "less") refers to that change. Defaults follow R:
``t.test(paired = TRUE)``, ``wilcox.test(paired = TRUE)``, ``p.adjust`` and the ``effectsize``
package; ``docs/methods/statistics.md`` tabulates every convention and how to change it.

Design: numpy kernels that work on *all groups at once* (:mod:`~workbook.core.stats.grouped`),
and validating public wrappers that build one tidy DataFrame. :func:`paired_prepost` is the
one-group case of the same kernel that :func:`prepost_by_group` runs over every programme, so the
two cannot drift apart. Compute code never rounds; presentation does. Results carry codes
(``method_reason``, ``hake_category``, ``p_adjust_family``), never sentences; their words are in
:mod:`workbook.evaluation.words`.

Modules: :mod:`~workbook.core.stats.paired` (paired tests, effect sizes, every group at once),
:mod:`~workbook.core.stats.grouped` (the vectorised kernel and the result columns),
:mod:`~workbook.core.stats.gain` (N-Gain, ceiling), :mod:`~workbook.core.stats.adjust`
(p-value adjustment), :mod:`~workbook.core.stats.power` (power, minimum detectable effect),
:mod:`~workbook.core.stats.reliability` (Cronbach's alpha, reliable change, Lilliefors),
:mod:`~workbook.core.stats.distributions` and :mod:`~workbook.core.stats.validation` (shared
helpers). The public names are importable from ``workbook.core.stats``.

>>> r = paired_prepost([1, 2, 3, 4], [2, 4, 5, 7], method="t")
>>> float(r["mean_diff"].iloc[0])
2.0
"""

from __future__ import annotations

from workbook.core.stats.adjust import adjust_pvalues
from workbook.core.stats.distributions import hedges_j
from workbook.core.stats.gain import NGAIN_COLUMNS, ceiling_warning, normalized_gain
from workbook.core.stats.grouped import METHOD_REASONS, TEST_COLUMNS
from workbook.core.stats.paired import effect_sizes, paired_prepost, prepost_by_group
from workbook.core.stats.power import min_detectable_effect, power_paired_t
from workbook.core.stats.reliability import cronbach_alpha, lilliefors_test, reliable_change_index

__all__ = [
    "paired_prepost",
    "effect_sizes",
    "adjust_pvalues",
    "normalized_gain",
    "reliable_change_index",
    "cronbach_alpha",
    "power_paired_t",
    "min_detectable_effect",
    "ceiling_warning",
    "prepost_by_group",
    "lilliefors_test",
    "hedges_j",
    "TEST_COLUMNS",
    "NGAIN_COLUMNS",
    "METHOD_REASONS",
]
