# Power of the paired t-test (noncentral t): workbook.core.stats._power_kernel and power_paired_t.
#
# Pinned by (tests/core/test_stats.py):
#   test_power_kernel_matches_r_power_t_test        (?power.t.test examples, two-sample)
#   test_power_and_min_detectable_effect_are_inverse (paired n = 34, d_z = 0.5 → about 0.808)
#
# Two-sample: λ = δ √(n/2), df = 2n − 2. A paired test on n pairs with d_z is the same noncentral
# t with λ = d √n, df = n − 1, so the test feeds the two-sample figures through the same kernel.
# strict = FALSE (R's default): the far tail is ignored, as in the workbook. Base R only.

print(power.t.test(n = 20, delta = 1))         # pinned: power = 0.8689528
print(power.t.test(n = 4, delta = 1))          # pinned: power = 0.2224633
print(power.t.test(power = 0.80, delta = 1))   # pinned: n = 16.71477 (uniroot: ~4 digits)

print(power.t.test(n = 34, delta = 0.5, sd = 1, type = "paired"))
# pinned: power ≈ 0.808 (± 0.005; Cohen 1988 tables give n ≈ 33 for 0.80)
