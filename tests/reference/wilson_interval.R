# Wilson score interval for a proportion (no continuity correction): workbook.needs.gaps.wilson_interval.
#
# Pinned by (tests/needs/test_needs.py):
#   test_wilson_newcombe_table_i      (Newcombe 1998 Table I method 3; binom::binom.confint "wilson")
#   test_wilson_matches_r_epitools_form (epitools::binom.wilson's arrangement of the formula)
#   test_wilson_vectorised_and_zero_n (81/263 again: lower 0.2553)
#
# prop.test(x, n, correct = FALSE)$conf.int is the same score interval in base R; binom and
# epitools are optional cross-checks. Newcombe's Table I prints 4 decimals (81/263, 15/148);
# the binom values are those statsmodels stores in stats/tests/results/results_proportion.py.

cases <- data.frame(
  x = c(81, 15, 18, 4, 4, 190, 1, 0),
  n = c(263, 148, 20, 20, 200, 200, 30, 30)
)
# pinned (low, high):
#   81/263  0.2553 0.3662            15/148  0.0624 0.1605            (Newcombe 1998, 4 dp)
#   18/20   0.6989663547715128 0.972133518786232
#   4/20    0.0806576625797981 0.4160174322518935
#   4/200   0.00780442641634947 0.05028708690582643
#   190/200 0.910421851861224 0.972617354399236
#   1/30    5.908590e-03 0.16670391      0/30  0 0.11351339
for (i in seq_len(nrow(cases))) {
  ci <- prop.test(cases$x[i], cases$n[i], correct = FALSE)$conf.int
  cat(sprintf("%3d/%-3d  %.16g  %.16g\n", cases$x[i], cases$n[i], ci[1], ci[2]))
}

if (requireNamespace("binom", quietly = TRUE)) {
  print(binom::binom.confint(cases$x, cases$n, methods = "wilson"))
}

cat("\n== epitools::binom.wilson form\n")
# Zinsert <- Z*sqrt(((x*(n-x))/n^3) + Z^2/(4*n^2))
# lower <- (n/(n+Z^2))*(x/n + Z^2/(2*n) - Zinsert); upper with + Zinsert
# the test recomputes this form and holds the workbook to it at rel 1e-12 for:
e <- data.frame(x = c(81, 15, 1, 7), n = c(263, 148, 29, 9))
# expected (workbook, for comparison): 81/263 0.2552885 0.3662096; 15/148 0.0623864 0.1604872;
#                                      1/29 0.0061132 0.1717552;   7/9 0.4525890 0.9367749
if (requireNamespace("epitools", quietly = TRUE)) {
  print(epitools::binom.wilson(e$x, e$n))
} else {
  Z <- qnorm(0.975)
  zins <- Z * sqrt(e$x * (e$n - e$x) / e$n^3 + Z^2 / (4 * e$n^2))
  print(cbind(e, lower = e$n / (e$n + Z^2) * (e$x / e$n + Z^2 / (2 * e$n) - zins),
              upper = e$n / (e$n + Z^2) * (e$x / e$n + Z^2 / (2 * e$n) + zins)))
}
