# Paired t-test and Wilcoxon signed-rank test: the R values that workbook.core.stats.paired_prepost
# is held to.
#
# Pinned by (tests/core/test_stats.py):
#   test_sleep_paired_t_matches_r                         (t.test on sleep, two-sided)
#   test_sleep_one_sided_t_and_interval                   (t.test on sleep, alternative = "less")
#   test_depression_wilcoxon_exact_matches_r_help         (?wilcox.test depression data, exact)
#   test_sleep_wilcoxon_ties_and_zero_normal_approximation (wilcox.test on sleep: ties and a zero)
#   test_wilcoxon_normal_approximation_by_hand            (integer toy with ties and zeros)
#   test_wilcoxon_n50_uses_normal_approximation_like_r    (R's rule: exact only when n < 50)
#
# The workbook's change is post − pre, so R's paired x − y maps to pre = y, post = x.
# The tests quote the formula form t.test(extra ~ group, data = sleep, paired = TRUE); R ≥ 4.4.0
# refuses `paired` in the formula method, so the two groups are passed as vectors below (same test).
# Base R only.

cat("== t.test, sleep, paired, two-sided\n")
g1 <- with(sleep, extra[group == 1])
g2 <- with(sleep, extra[group == 2])
tt <- t.test(g1, g2, paired = TRUE)
print(tt)
# pinned: t = -4.0621, df = 9, p-value = 0.002833, 95% CI -2.4598858 -0.7001142, mean diff -1.58
cat(sprintf("t = %.4f  df = %d  p = %.6f  ci = %.7f %.7f  mean diff = %.2f\n",
            tt$statistic, as.integer(tt$parameter), tt$p.value, tt$conf.int[1], tt$conf.int[2],
            tt$estimate))

cat("\n== t.test, sleep, paired, alternative = \"less\"\n")
tl <- t.test(g1, g2, paired = TRUE, alternative = "less")
# pinned: p = 0.002833 / 2; CI (-Inf, -1.58 + qt(0.95, 9) * se) = (-Inf, -0.8669947)
cat(sprintf("p = %.7f  ci = %s %.7f\n", tl$p.value, tl$conf.int[1], tl$conf.int[2]))

cat("\n== wilcox.test, ?wilcox.test depression data (Hollander & Wolfe), exact\n")
x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)   # first visit
y <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29) # second visit
print(wilcox.test(x, y, paired = TRUE, alternative = "greater"))
# pinned: V = 40, p-value = 0.01953
print(wilcox.test(y - x, alternative = "less"))
# pinned: V = 5, p-value = 0.01953
print(wilcox.test(x, y, paired = TRUE))
# pinned: V = 40, p-value = 0.03906 (= 20 / 512)

cat("\n== wilcox.test, sleep (ties and one zero: normal approximation with continuity correction)\n")
print(suppressWarnings(wilcox.test(g1, g2, paired = TRUE)))
# pinned: V = 0, p-value = 0.009091

cat("\n== wilcox.test, integer toy with ties and zeros (d = post - pre)\n")
pre <- c(10, 12, 9, 15, 11, 14, 8, 13, 10, 12)
post <- c(12, 12, 11, 18, 10, 16, 11, 13, 13, 15)
w2 <- suppressWarnings(wilcox.test(post, pre, paired = TRUE))
wg <- suppressWarnings(wilcox.test(post, pre, paired = TRUE, alternative = "greater"))
wn <- suppressWarnings(wilcox.test(post, pre, paired = TRUE, correct = FALSE))
# pinned (hand arithmetic in the test): V = 35;
#   two-sided p = erfc(16.5 / sqrt(49.25) / sqrt(2)) = 0.0187153542
#   greater   p = half of that                      = 0.0093576771
#   correct = FALSE: erfc(17 / sqrt(49.25) / sqrt(2)) = 0.0154183814
cat(sprintf("V = %g  p = %.10f  greater p = %.10f  no correction p = %.10f\n",
            w2$statistic, w2$p.value, wg$p.value, wn$p.value))

cat("\n== R's rule for the exact p-value (stats:::wilcox.test.default)\n")
# exact <- (n < 50) when exact = NULL, and only without ties or zeros; at n = 50 the normal
# approximation is used. The test checks the rule against SciPy on random data (numpy's random
# numbers, so there is nothing to print here); this line shows where the rule lives.
print(grep("n < 50", deparse(stats:::wilcox.test.default), value = TRUE, fixed = TRUE))
