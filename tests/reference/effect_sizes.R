# Standardised effect sizes of a paired change: Cohen's d_z, Hedges' g_z, rank-biserial r.
#
# Pinned by (tests/core/test_stats.py):
#   test_sleep_d_z_matches_effectsize              (effectsize::cohens_d / hedges_g, sleep)
#   test_lakens_2013_movie_example                 (apa: t(9) = 4.74, p = .001, d_z = 1.50)
#   test_depression_rank_biserial_matches_effectsize (effectsize::rank_biserial, paired)
#
# Packages: effectsize (>= 0.8.4 for the Pair() formula), apa (CRAN archive / GitHub dgromer/apa).
# The workbook's change is post − pre: R's x − y maps to pre = y, post = x.

library(effectsize)

cat("== effectsize on sleep (group 1 - group 2)\n")
print(cohens_d(Pair(extra[group == 1], extra[group == 2]) ~ 1, data = sleep))
# pinned: Cohen's d = -1.28, 95% CI [-2.12, -0.41]
print(hedges_g(Pair(extra[group == 1], extra[group == 2]) ~ 1, data = sleep))
# pinned: Hedges' g = -1.17, 95% CI [-1.94, -0.38]

cat("\n== Lakens (2013) Table 1: two movies rated by the same ten people\n")
movie_1 <- c(9, 7, 8, 9, 8, 9, 9, 10, 9, 9)
movie_2 <- c(9, 6, 7, 8, 7, 9, 8, 8, 8, 7)
print(t.test(movie_1, movie_2, paired = TRUE))
# pinned: t = 4.74 (4.7434), p = .001 (0.00105)
if (requireNamespace("apa", quietly = TRUE)) {
  print(apa::t_apa(apa::t_test(movie_1, movie_2, paired = TRUE), print = FALSE))
  # pinned: "t(9) = 4.74, p = .001, d = 1.50"
  print(round(apa::cohens_d(movie_1, movie_2, paired = TRUE), 2))  # 1.5 (d_z)
}

cat("\n== rank-biserial, ?wilcox.test depression data\n")
x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
y <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
rb <- rank_biserial(x, y, paired = TRUE)
print(rb)
# pinned: r = 0.777 (= 35/45, Kerby 2014), 95% CI [0.2953631, 0.9441559]
cat(sprintf("r = %.7f  ci = %.7f %.7f\n", rb[[1]], rb$CI_low, rb$CI_high))
