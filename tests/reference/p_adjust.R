# Multiple-testing adjustment: workbook.core.stats.adjust_pvalues against R's p.adjust.
#
# Pinned by (tests/core/test_stats.py):
#   test_p_adjust_matches_r        (holm, BH, bonferroni; unsorted input keeps its order)
#   test_p_adjust_nan_not_counted  (NA is not counted in m)
#
# ?p.adjust prints no output; the tests hold hand arithmetic with Holm (1979) and Benjamini &
# Hochberg (1995). This script prints what R gives for the same calls. Base R only.

p <- c(0.01, 0.02, 0.03, 0.04, 0.05)
print(p.adjust(p, "holm"))        # pinned: 0.05 0.08 0.09 0.09 0.09
print(p.adjust(p, "BH"))          # pinned: 0.05 0.05 0.05 0.05 0.05
print(p.adjust(p, "bonferroni"))  # pinned: 0.05 0.10 0.15 0.20 0.25

q <- c(0.01, 0.04, 0.03, 0.005)
print(p.adjust(q, "holm"))        # pinned: 0.03 0.06 0.06 0.02
print(p.adjust(q, "BH"))          # pinned: 0.02 0.04 0.04 0.02

print(p.adjust(c(0.01, NA, 0.04), "holm"))  # pinned: 0.02 NA 0.04 (m = 2 non-missing)
