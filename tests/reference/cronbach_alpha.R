# Cronbach's alpha with listwise deletion, on pingouin's "cronbach_wide_missing" data set.
#
# Pinned by:
#   tests/core/test_stats.py::test_cronbach_alpha_matches_pingouin_docs
#       (second half: alpha = 0.8016949152542373, n = 9 complete rows, 3 dropped)
#   tests/evaluation/test_evaluation.py::test_level1_alpha_matches_pingouin_documented_example
#       (the same items shifted to 1/2: alpha does not change)
#
# pingouin's cronbach_alpha docstring quotes R: psych::alpha(data, use = "complete.obs") →
# 0.8016949152542373, CI [0.581, 0.933] (pingouin's CI uses n before deletion; the workbook's uses
# the 9 complete rows, so the interval is not pinned). The first half of
# test_cronbach_alpha_matches_pingouin_docs (0.5917188…, long data set "cronbach_alpha") is
# pingouin's own documented value, not an R one.
# Data: pingouin/datasets/cronbach_wide_missing.csv, copied here (12 rows × 11 items, 0/1).

d <- read.csv(text = "
Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9,Q10,Q11
1,1,1,1,1,1,1,1,1,1,1
1,1,1,1,1,1,1,1,0,1,0
NA,0,1,1,NA,1,1,1,1,0,0
1,1,1,0,1,1,0,1,1,0,0
1,1,1,1,1,0,0,0,1,0,0
0,1,NA,0,1,1,1,1,0,0,0
1,1,1,1,0,0,1,0,0,0,0
1,1,1,1,1,0,0,0,0,0,0
0,1,0,1,1,0,0,0,0,1,0
1,0,0,1,0,1,0,0,NA,0,0
1,1,1,0,0,0,0,0,0,0,0
1,0,0,1,0,0,0,0,0,0,0")

complete <- d[complete.cases(d), ]
k <- ncol(complete)
alpha <- k / (k - 1) * (1 - sum(apply(complete, 2, var)) / var(rowSums(complete)))
cat(sprintf("complete rows = %d (dropped %d), alpha = %.16f\n", nrow(complete),
            nrow(d) - nrow(complete), alpha))
# pinned: complete rows = 9 (dropped 3), alpha = 0.8016949152542373

if (requireNamespace("psych", quietly = TRUE)) {
  print(psych::alpha(d, use = "complete.obs")$total$raw_alpha)  # 0.8016949
}
