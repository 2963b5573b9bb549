// The Mann–Whitney U test against figures worked out independently (python3, exact fractions): exact p-values by
// enumerating every split of the pooled sample (small cases) or by the recurrence
// f(m, n, u) = f(m−1, n, u−n) + f(m, n−1, u) in integers (larger ones), and the tied case by hand from the normal
// approximation's formula.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "perf/mann_whitney.h"

namespace r1eval::perf {
namespace {

TEST(MannWhitney, SeparatedSamplesOfThreeHaveTheSmallestExactP) {
  // Of the C(6,3) = 20 equally likely splits one gives U = 0 and one U = 9: p = 2/20.
  const std::vector<double> x = {1, 2, 3}, y = {4, 5, 6};
  const MannWhitneyResult r = mann_whitney_u(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.u, 0.0);
  EXPECT_NEAR(r.p_value, 0.1, 1e-15);
  const MannWhitneyResult swapped = mann_whitney_u(y, x);
  EXPECT_EQ(swapped.u, 9.0);
  EXPECT_NEAR(swapped.p_value, 0.1, 1e-15);
}

TEST(MannWhitney, InterleavedSamplesOfThreeAndFour) {
  // U = 0 + 1 + 2 = 3; splits with U <= 3: 1 + 1 + 2 + 3 = 7 of C(7,3) = 35, so p = 2 · 7/35 = 0.4.
  const std::vector<double> x = {1, 3, 5}, y = {2, 4, 6, 8};
  const MannWhitneyResult r = mann_whitney_u(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.u, 3.0);
  EXPECT_NEAR(r.p_value, 0.4, 1e-15);
}

TEST(MannWhitney, FiveAgainstFiveSeparatedIsSignificantAtFivePercent) {
  // The minimum repetitions of `r1eval bench`: p = 2/C(10,5) = 1/126.
  const std::vector<double> x = {6, 7, 8, 9, 10}, y = {1, 2, 3, 4, 5};
  const MannWhitneyResult r = mann_whitney_u(x, y);
  EXPECT_EQ(r.u, 25.0);
  EXPECT_NEAR(r.p_value, 1.0 / 126.0, 1e-15);
}

TEST(MannWhitney, UnequalSizesOverlapping) {
  // Enumerated: U = 7, p = 2/39.
  const std::vector<double> x = {0.8, 1.1, 1.9, 2.3, 2.9, 3.4}, y = {1.5, 2.6, 3.1, 3.8, 4.2, 4.4, 5.0};
  const MannWhitneyResult r = mann_whitney_u(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.u, 7.0);
  EXPECT_NEAR(r.p_value, 2.0 / 39.0, 1e-15);
}

TEST(MannWhitney, LargerSamplesMatchTheRecurrence) {
  std::vector<double> x, y;
  for (int i = 0; i < 12; ++i) x.push_back(1.0 + 0.37 * i);
  for (int j = 0; j < 15; ++j) y.push_back(3.13 + 0.41 * j);
  const MannWhitneyResult r = mann_whitney_u(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.u, 18.0);
  EXPECT_NEAR(r.p_value, 0.0001777510863525132, 1e-16);

  std::vector<double> a, b;  // 40 against 40 shifted by 14.5: U = 325
  for (int i = 0; i < 40; ++i) {
    a.push_back(i);
    b.push_back(i + 14.5);
  }
  const MannWhitneyResult big = mann_whitney_u(a, b);
  EXPECT_TRUE(big.exact);
  EXPECT_EQ(big.u, 325.0);
  EXPECT_NEAR(big.p_value / 2.0573344223711617e-06, 1.0, 1e-9);
}

TEST(MannWhitney, TiesUseTheNormalApproximationWithTieCorrection) {
  // U = 0 + 0.5 + 0.5 + 1.5 + 2 = 4.5; ties 2×3, 3×2, 6×2 give Σ(t³−t) = 36; n = 11:
  // var = 30/12 · (12 − 36/110) = 29.181818..., z = (|4.5 − 15| − 0.5)/√var = 1.8511594, p = erfc(z/√2).
  const std::vector<double> x = {1, 2, 2, 3, 4}, y = {2, 3, 5, 6, 6, 7};
  const MannWhitneyResult r = mann_whitney_u(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.u, 4.5);
  EXPECT_NEAR(r.p_value, 0.06414661873440443, 1e-12);
}

TEST(MannWhitney, IdenticalSamplesAreNotSignificant) {
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const MannWhitneyResult r = mann_whitney_u(x, x);
  EXPECT_EQ(r.u, 12.5);
  EXPECT_EQ(r.p_value, 1.0);
  const std::vector<double> same = {2, 2, 2};  // no spread at all
  EXPECT_EQ(mann_whitney_u(same, same).p_value, 1.0);
}

TEST(MannWhitney, EmptyOrNonFiniteSamplesAreRefused) {
  const std::vector<double> ok = {1, 2}, empty = {}, nan = {1, std::numeric_limits<double>::quiet_NaN()};
  EXPECT_THROW(mann_whitney_u(empty, ok), std::invalid_argument);
  EXPECT_THROW(mann_whitney_u(ok, empty), std::invalid_argument);
  EXPECT_THROW(mann_whitney_u(ok, nan), std::invalid_argument);
}

}  // namespace
}  // namespace r1eval::perf
