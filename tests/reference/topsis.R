# TOPSIS (Hwang & Yoon 1981) with vector normalisation: workbook.plan.mcda.topsis.
#
# Pinned by (tests/plan/test_priorities.py):
#   test_topsis_jmcdm_published_test_values  (JMcDM's test: closeness 0.3876870 0.6503238 0.0834767)
#   test_topsis_r_mcda_ideal_solutions       (R package MCDA, ?TOPSIS: Corsa, Clio, Fiesta)
#   test_topsis_with_cost_criteria_decision_making_example (closeness .78562925 .66099579 .21437075)
#   test_topsis_minmax_differs_and_can_reverse_ranks (vector part: 0.62351628 0.61057784 0)
#
# topsis() below is the textbook procedure in base R (as in the MCDM package's TOPSIS.R); MCDA is
# an optional cross-check. Closeness does not change when every weight is scaled by one factor.

topsis <- function(X, w, benefit) {
  V <- sweep(sweep(X, 2, sqrt(colSums(X^2)), "/"), 2, w, "*")
  ideal <- ifelse(benefit, apply(V, 2, max), apply(V, 2, min))
  anti <- ifelse(benefit, apply(V, 2, min), apply(V, 2, max))
  d_pos <- sqrt(rowSums(sweep(V, 2, ideal)^2))
  d_neg <- sqrt(rowSums(sweep(V, 2, anti)^2))
  list(ideal = ideal, anti_ideal = anti, d_pos = d_pos, closeness = d_neg / (d_pos + d_neg))
}

cat("== JMcDM test \"TOPSIS\" (all benefit, w = 4 2 6 8)\n")
X <- cbind(c(9, 8, 7), c(7, 7, 8), c(6, 9, 6), c(7, 6, 6))
print(topsis(X, c(4, 2, 6, 8), rep(TRUE, 4))$closeness, digits = 8)
# pinned: 0.3876870 0.6503238 0.0834767 (ranks 2 1 3)

cat("\n== MCDA ?TOPSIS example: Corsa, Clio, Fiesta; price is a cost\n")
cars <- matrix(c(5490, 51.4, 8.5, 285, 6500, 70.6, 7, 288, 6489, 54.3, 7.5, 290),
               nrow = 3, byrow = TRUE,
               dimnames = list(c("Corsa", "Clio", "Fiesta"),
                               c("Purchase Price", "Economy", "Aesthetics", "Boot Capacity")))
w <- c(0.35, 0.25, 0.25, 0.15)
r <- topsis(cars, w, c(FALSE, TRUE, TRUE, TRUE))
print(r$ideal, digits = 9)       # pinned: 0.179573776 0.171636015 0.159499658 0.087302767
print(r$anti_ideal, digits = 9)  # pinned: 0.212610118 0.124958799 0.131352659 0.085797547
if (requireNamespace("MCDA", quietly = TRUE)) {
  names(w) <- colnames(cars)
  mm <- c("min", "max", "max", "max")
  names(mm) <- colnames(cars)
  pos <- r$ideal
  neg <- r$anti_ideal
  names(pos) <- names(neg) <- colnames(cars)
  # the example passes the ideal solutions above; computed or given, the scores agree
  print(MCDA::TOPSIS(cars, w, mm))
  print(MCDA::TOPSIS(cars, w, mm, pos, neg))
}

cat("\n== cost/benefit example (pip package decision-making): c b c b\n")
Y <- rbind(c(15, 6, 25000, 7), c(12, 7, 35000, 7), c(10, 9, 55000, 8))
r <- topsis(Y, c(0.3, 0.05, 0.6, 0.05), c(FALSE, TRUE, FALSE, TRUE))
print(r$d_pos, digits = 8)      # pinned: 0.07034498 0.09070766 0.25780135
print(r$closeness, digits = 8)  # pinned: 0.78562925 0.66099579 0.21437075

cat("\n== vector normalisation on X = [[5,2],[3,4],[1,2]], equal weights, both benefit\n")
print(topsis(rbind(c(5, 2), c(3, 4), c(1, 2)), c(1, 1), c(TRUE, TRUE))$closeness, digits = 8)
# pinned: 0.62351628 0.61057784 0
