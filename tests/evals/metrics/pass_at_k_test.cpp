// pass@k against exact values: 1 - C(n-c,k)/C(n,k) computed with exact integer binomials (Python's math.comb and
// fractions), rounded to double.
#include "evals/metrics/pass_at_k.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace r1eval::evals::metrics {
namespace {

TEST(PassAtK, HandComputedCase) {
  // 1 - C(3,2)/C(5,2) = 1 - 3/10.
  EXPECT_NEAR(pass_at_k(5, 2, 2), 0.7, 1e-15);
}

TEST(PassAtK, MatchesExactBinomials) {
  struct Case {
    std::int64_t n, c, k;
    double expected;
  };
  const Case cases[] = {
      {10, 3, 4, 0.83333333333333337},     {16, 5, 8, 0.98717948717948723},
      {64, 10, 32, 0.99957410133482438},   {1024, 1, 1, 0.0009765625},
      {1024, 10, 512, 0.99906580864826211}, {1024, 3, 100, 0.26552315786566505},
      {200, 7, 13, 0.37993352138813075},   {1024, 512, 64, 1.0},
  };
  for (const Case& c : cases) {
    EXPECT_NEAR(pass_at_k(c.n, c.c, c.k), c.expected, 1e-12) << "n=" << c.n << " c=" << c.c << " k=" << c.k;
  }
}

TEST(PassAtK, EdgeCases) {
  EXPECT_EQ(pass_at_k(8, 0, 1), 0.0);     // nothing correct
  EXPECT_EQ(pass_at_k(8, 0, 8), 0.0);
  EXPECT_EQ(pass_at_k(8, 8, 1), 1.0);     // everything correct
  EXPECT_EQ(pass_at_k(8, 8, 8), 1.0);
  EXPECT_EQ(pass_at_k(8, 1, 8), 1.0);     // k = n: any correct sample is drawn
  EXPECT_EQ(pass_at_k(5, 4, 2), 1.0);     // fewer wrong samples than k
  EXPECT_EQ(pass_at_k(1, 1, 1), 1.0);
  EXPECT_EQ(pass_at_k(1, 0, 1), 0.0);
}

TEST(PassAtK, KOneIsTheShareCorrect) {
  for (std::int64_t n : {1, 7, 64, 1024}) {
    for (std::int64_t c = 0; c <= n; c += (n / 4 > 0 ? n / 4 : 1)) {
      EXPECT_NEAR(pass_at_k(n, c, 1), static_cast<double>(c) / static_cast<double>(n), 1e-15);
    }
  }
}

TEST(PassAtK, RejectsImpossibleArguments) {
  EXPECT_THROW(pass_at_k(4, 2, 5), std::invalid_argument);   // k > n
  EXPECT_THROW(pass_at_k(4, 5, 2), std::invalid_argument);   // c > n
  EXPECT_THROW(pass_at_k(-1, 0, 1), std::invalid_argument);
  EXPECT_THROW(pass_at_k(4, -1, 1), std::invalid_argument);
  EXPECT_THROW(pass_at_k(4, 1, -2), std::invalid_argument);
  EXPECT_THROW(pass_at_k(4, 1, 0), std::invalid_argument);
  EXPECT_THROW(pass_at_k(0, 0, 0), std::invalid_argument);
}

}  // namespace
}  // namespace r1eval::evals::metrics
