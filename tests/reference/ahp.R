# AHP priorities by the principal eigenvector, λmax, CI and CR (Saaty 1977/1980):
# workbook.plan.mcda.ahp.
#
# Pinned by (tests/plan/test_priorities.py):
#   test_ahp_wikipedia_leader_criteria            (weights .547 .127 .270 .056; λmax 4.118418;
#                                                  CR 0.0439 with RI(4) = 0.90)
#   test_ahp_wikipedia_leader_experience_alternatives (0.217 0.717 0.066)
#   test_ri_table_values_saaty                    (Saaty & Tran 2007 RI(3) ≈ 0.5252, ahpsurvey)
#
# The judgements are those of R package ahp, inst/extdata/tom_dick_harry.ahp (Wikipedia's
# "leader" example). Base R eigen(); ahpsurvey is optional.

ahp <- function(A, ri) {
  e <- eigen(A)
  i <- which.max(Re(e$values))
  v <- abs(Re(e$vectors[, i]))
  lam <- Re(e$values[i])
  n <- nrow(A)
  ci <- (lam - n) / (n - 1)
  list(weights = v / sum(v), lambda_max = lam, ci = ci, cr = ci / ri)
}

crit <- c("Experience", "Education", "Charisma", "Age")
A <- matrix(c(1, 4, 3, 7,
              1 / 4, 1, 1 / 3, 3,
              1 / 3, 3, 1, 5,
              1 / 7, 1 / 3, 1 / 5, 1), nrow = 4, byrow = TRUE, dimnames = list(crit, crit))
r <- ahp(A, ri = 0.90)
print(setNames(round(r$weights, 6), crit))
# pinned: 0.547 0.127 0.270 0.056 (±0.001; eigenvector 0.547569 0.126555 0.269950 0.055926)
cat(sprintf("lambda_max = %.6f  CI = %.4f  CR = %.4f\n", r$lambda_max, r$ci, r$cr))
# pinned: lambda_max = 4.118418, CR = 0.0439

B <- matrix(c(1, 1 / 4, 4,
              4, 1, 9,
              1 / 4, 1 / 9, 1), nrow = 3, byrow = TRUE)
print(round(ahp(B, ri = 0.58)$weights, 6))
# pinned: 0.217 0.717 0.066 (AHPy README: Moll 0.217, Nell 0.717, Sue 0.066)

if (requireNamespace("ahpsurvey", quietly = TRUE)) {
  # Saaty & Tran (2007) random index for n = 3, as ahpsurvey holds it. pinned: 0.5252 (4 dp of
  # 0.5251686, the simulated RI table of ahpsurvey's vignette). The RI vector of ahp.cr() is
  # printed: one stored version of R/ahp_cr.R has the rounded 0.52 there instead, so check which
  # table the installed version uses.
  print(packageVersion("ahpsurvey"))
  print(grep("RI <-", deparse(ahpsurvey::ahp.cr), value = TRUE, fixed = TRUE))
}
