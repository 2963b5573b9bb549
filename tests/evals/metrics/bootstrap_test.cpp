// The bootstrap against known sampling distributions: Bernoulli data whose standard error is known in closed
// form, coverage of the true mean over many seeded data sets, and exact small cases for the helpers.
#include "evals/metrics/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace r1eval::evals::metrics {
namespace {

// Bernoulli(p) draws from the standard's fully specified mt19937_64 (the distributions are not specified).
std::vector<double> bernoulli_values(std::size_t n, double p, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> values(n);
  for (double& v : values) v = static_cast<double>(rng() >> 11) * 0x1.0p-53 < p ? 1.0 : 0.0;
  return values;
}

std::vector<ProblemCounts> one_sample_each(const std::vector<double>& values) {
  std::vector<ProblemCounts> counts;
  for (const double v : values) counts.push_back({1, v > 0.5 ? 1 : 0});
  return counts;
}

double normal_width(double p_hat, double n) { return 2.0 * 1.96 * std::sqrt(p_hat * (1.0 - p_hat) / n); }

TEST(Bootstrap, IntervalWidthMatchesTheBernoulliStandardError) {
  const std::vector<double> values = bernoulli_values(400, 0.3, 11);
  const double p_hat = mean(values);
  BootstrapOptions options;
  options.seed = 5;
  const BootstrapResult one_level = bootstrap_problems(values, options);
  EXPECT_DOUBLE_EQ(one_level.estimate, p_hat);
  EXPECT_EQ(one_level.replicates.size(), 2000u);
  EXPECT_NEAR(one_level.ci_high - one_level.ci_low, normal_width(p_hat, 400), 0.1 * normal_width(p_hat, 400));
  EXPECT_LT(one_level.ci_low, p_hat);
  EXPECT_GT(one_level.ci_high, p_hat);

  // With one sample per problem the two-level bootstrap has nothing to resample inside a problem.
  const BootstrapResult two_level = bootstrap_pass_at_1(one_sample_each(values), options);
  EXPECT_DOUBLE_EQ(two_level.estimate, p_hat);
  EXPECT_NEAR(two_level.ci_high - two_level.ci_low, normal_width(p_hat, 400), 0.1 * normal_width(p_hat, 400));
}

TEST(Bootstrap, TwoLevelSeesTheNoiseWithinProblems) {
  // 50 problems, each with 4 of 8 samples correct: every problem's mean is 0.5, so resampling problems alone sees
  // no spread, while resampling samples gives the binomial spread of 400 draws at p = 0.5.
  const std::vector<ProblemCounts> problems(50, ProblemCounts{8, 4});
  BootstrapOptions options;
  options.seed = 9;
  const BootstrapResult two_level = bootstrap_pass_at_1(problems, options);
  EXPECT_DOUBLE_EQ(two_level.estimate, 0.5);
  EXPECT_NEAR(two_level.ci_high - two_level.ci_low, normal_width(0.5, 400), 0.15 * normal_width(0.5, 400));

  const std::vector<double> means(50, 0.5);
  const BootstrapResult one_level = bootstrap_problems(means, options);
  EXPECT_DOUBLE_EQ(one_level.ci_low, 0.5);
  EXPECT_DOUBLE_EQ(one_level.ci_high, 0.5);
}

TEST(Bootstrap, CoversTheTrueMeanAboutNinetyFivePercentOfTheTime) {
  const double p = 0.3;
  const int trials = 300;
  int covered_one = 0, covered_two = 0;
  BootstrapOptions options;
  options.resamples = 400;
  for (int t = 0; t < trials; ++t) {
    const std::vector<double> values = bernoulli_values(120, p, 1000 + static_cast<std::uint64_t>(t));
    options.seed = static_cast<std::uint64_t>(t);
    const BootstrapResult a = bootstrap_problems(values, options);
    const BootstrapResult b = bootstrap_pass_at_1(one_sample_each(values), options);
    covered_one += (a.ci_low <= p && p <= a.ci_high) ? 1 : 0;
    covered_two += (b.ci_low <= p && p <= b.ci_high) ? 1 : 0;
  }
  // Binomial(300, 0.95) has sd 1.3%; the percentile interval runs a little narrow at this size.
  EXPECT_GE(covered_one, static_cast<int>(0.89 * trials));
  EXPECT_LE(covered_one, static_cast<int>(0.99 * trials));
  EXPECT_GE(covered_two, static_cast<int>(0.89 * trials));
  EXPECT_LE(covered_two, static_cast<int>(0.99 * trials));
}

TEST(Bootstrap, SameSeedSameResultOtherSeedOtherResult) {
  const std::vector<ProblemCounts> problems = {{4, 1}, {4, 3}, {4, 0}, {4, 4}, {4, 2}, {4, 2}, {4, 1}};
  BootstrapOptions options;
  options.resamples = 300;
  options.seed = 42;
  const BootstrapResult first = bootstrap_pass_at_1(problems, options);
  const BootstrapResult again = bootstrap_pass_at_1(problems, options);
  EXPECT_EQ(first.replicates, again.replicates);
  EXPECT_EQ(first.ci_low, again.ci_low);
  EXPECT_EQ(first.ci_high, again.ci_high);
  options.seed = 43;
  EXPECT_NE(bootstrap_pass_at_1(problems, options).replicates, first.replicates);

  // Resample b depends only on (seed, b): asking for more resamples extends the list without changing its start.
  options.seed = 42;
  options.resamples = 500;
  const BootstrapResult longer = bootstrap_pass_at_1(problems, options);
  EXPECT_TRUE(std::equal(first.replicates.begin(), first.replicates.end(), longer.replicates.begin()));
}

TEST(Bootstrap, AppliesACustomStatistic) {
  const std::vector<double> values = {1.0, 5.0, 2.0, 8.0};
  const Statistic maximum = [](std::span<const double> v) { return *std::max_element(v.begin(), v.end()); };
  BootstrapOptions options;
  options.resamples = 200;
  const BootstrapResult result = bootstrap_problems(values, options, maximum);
  EXPECT_EQ(result.estimate, 8.0);
  for (const double r : result.replicates) {
    EXPECT_TRUE(r == 1.0 || r == 2.0 || r == 5.0 || r == 8.0);
  }
  EXPECT_EQ(result.ci_high, 8.0);
}

TEST(Bootstrap, QuantilesAndPValuesOnSmallCases) {
  const std::vector<double> sorted = {1.0, 2.0, 3.0, 4.0};
  EXPECT_DOUBLE_EQ(sorted_quantile(sorted, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(sorted_quantile(sorted, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(sorted_quantile(sorted, 1.0 / 3.0), 2.0);
  EXPECT_DOUBLE_EQ(sorted_quantile(sorted, 1.0), 4.0);
  const auto [low, high] = percentile_interval({4.0, 1.0, 3.0, 2.0, 5.0}, 0.5);  // quartiles of 1..5
  EXPECT_DOUBLE_EQ(low, 2.0);
  EXPECT_DOUBLE_EQ(high, 4.0);

  // 1 of 4 replicates on the other side of 0: 2 (1 + 1) / 5.
  EXPECT_DOUBLE_EQ(two_sided_p_value(std::vector<double>{-1.0, 1.0, 2.0, 3.0}, 1.25, 0.0), 0.8);
  // None on the other side: never exactly 0.
  EXPECT_DOUBLE_EQ(two_sided_p_value(std::vector<double>{1.0, 2.0, 3.0, 4.0}, 2.5, 0.0), 0.4);
  EXPECT_DOUBLE_EQ(two_sided_p_value(std::vector<double>{-4.0, -2.0, -3.0}, -3.0, 0.0), 0.5);
  // All on the null value: clamped to 1.
  EXPECT_DOUBLE_EQ(two_sided_p_value(std::vector<double>{0.0, 0.0, 0.0}, 0.0, 0.0), 1.0);
}

TEST(Bootstrap, RejectsBadInput) {
  BootstrapOptions options;
  EXPECT_THROW(bootstrap_pass_at_1({}, options), std::invalid_argument);
  EXPECT_THROW(bootstrap_problems({}, options), std::invalid_argument);
  const std::vector<ProblemCounts> no_samples = {{0, 0}};
  EXPECT_THROW(bootstrap_pass_at_1(no_samples, options), std::invalid_argument);
  const std::vector<ProblemCounts> too_many = {{2, 3}};
  EXPECT_THROW(bootstrap_pass_at_1(too_many, options), std::invalid_argument);
  const std::vector<double> values = {1.0};
  options.resamples = 0;
  EXPECT_THROW(bootstrap_problems(values, options), std::invalid_argument);
  options.resamples = 10;
  options.confidence = 1.0;
  EXPECT_THROW(bootstrap_problems(values, options), std::invalid_argument);
  EXPECT_THROW(sorted_quantile(std::vector<double>{}, 0.5), std::invalid_argument);
  EXPECT_THROW(two_sided_p_value(std::vector<double>{}, 0.0, 0.0), std::invalid_argument);
}

}  // namespace
}  // namespace r1eval::evals::metrics
