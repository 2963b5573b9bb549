// Comparison of a run with a baseline run (paired bootstrap) and with a published figure.
#include "evals/metrics/compare.h"

#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "graders/grader.h"
#include "tests/evals/metrics/sample_rows.h"

namespace r1eval::evals::metrics {
namespace {

using test_rows::suite_rows;

// 100 problems with 4 samples each and a spread of difficulty: problem i has i % 5 correct samples.
std::vector<int> varied_correct(int problems) {
  std::vector<int> correct;
  for (int i = 0; i < problems; ++i) correct.push_back(i % 5);
  return correct;
}

TEST(CompareRuns, IdenticalRunsDifferByNothing) {
  const auto rows = suite_rows("math500", varied_correct(100), 4);
  const std::vector<Comparison> result = compare_runs(rows, rows, CompareOptions{});
  ASSERT_EQ(result.size(), 2u);  // math500, then all
  for (const Comparison& c : result) {
    EXPECT_EQ(c.n_shared, 100);
    EXPECT_DOUBLE_EQ(c.run_value, 0.5);
    EXPECT_DOUBLE_EQ(c.baseline_value, 0.5);
    EXPECT_EQ(c.delta, 0.0);
    EXPECT_EQ(c.ci_low, 0.0);
    EXPECT_EQ(c.ci_high, 0.0);
    EXPECT_EQ(c.p_value, 1.0);
    EXPECT_FALSE(c.significant_regression);
    EXPECT_FALSE(c.significant_improvement);
  }
  EXPECT_EQ(result[0].suite, "math500");
  EXPECT_EQ(result[1].suite, "all");
}

TEST(CompareRuns, ThirtyProblemsWorseIsASignificantRegression) {
  const std::vector<int> baseline_correct = varied_correct(100);
  std::vector<int> run_correct = baseline_correct;
  int lost = 0;
  for (int i = 0; i < 100 && lost < 30; ++i) {
    if (run_correct[static_cast<std::size_t>(i)] >= 2) {
      run_correct[static_cast<std::size_t>(i)] -= 2;  // two of four samples fewer correct
      ++lost;
    }
  }
  ASSERT_EQ(lost, 30);
  const auto baseline = suite_rows("gsm8k", baseline_correct, 4);
  const auto run = suite_rows("gsm8k", run_correct, 4);

  const Comparison worse = compare_runs(run, baseline, CompareOptions{})[0];
  EXPECT_EQ(worse.suite, "gsm8k");
  EXPECT_DOUBLE_EQ(worse.delta, -30.0 * 0.5 / 100.0);
  EXPECT_DOUBLE_EQ(worse.run_value - worse.baseline_value, worse.delta);
  EXPECT_LT(worse.ci_high, 0.0);
  EXPECT_LT(worse.ci_low, worse.delta);
  EXPECT_LT(worse.p_value, 0.05);
  EXPECT_GT(worse.p_value, 0.0);
  EXPECT_TRUE(worse.significant_regression);
  EXPECT_FALSE(worse.significant_improvement);

  // The same pair the other way round is an improvement.
  const Comparison better = compare_runs(baseline, run, CompareOptions{})[0];
  EXPECT_DOUBLE_EQ(better.delta, 0.15);
  EXPECT_GT(better.ci_low, 0.0);
  EXPECT_TRUE(better.significant_improvement);
  EXPECT_FALSE(better.significant_regression);
}

TEST(CompareRuns, OneProblemWorseIsNoise) {
  const std::vector<int> baseline_correct = varied_correct(100);
  std::vector<int> run_correct = baseline_correct;
  run_correct[3] -= 1;
  const Comparison c =
      compare_runs(suite_rows("aime2024", run_correct, 4), suite_rows("aime2024", baseline_correct, 4),
                   CompareOptions{})[0];
  EXPECT_DOUBLE_EQ(c.delta, -0.0025);
  EXPECT_LE(c.ci_low, c.delta);
  EXPECT_GE(c.ci_high, 0.0);
  EXPECT_GT(c.p_value, 0.05);
  EXPECT_FALSE(c.significant_regression);
}

TEST(CompareRuns, PairsOnlyTheSharedProblems) {
  // The baseline ran 10 problems of gsm8k and a suite the run lacks; the run did the first 6 gsm8k problems
  // (all wrong) plus a suite of its own.
  auto baseline = suite_rows("gsm8k", std::vector<int>(10, 2), 2);
  const auto baseline_extra = suite_rows("bbh", std::vector<int>(5, 1), 2);
  baseline.insert(baseline.end(), baseline_extra.begin(), baseline_extra.end());
  auto run = suite_rows("gsm8k", std::vector<int>(6, 0), 2);
  const auto run_extra = suite_rows("mbpp", std::vector<int>(5, 1), 2);
  run.insert(run.end(), run_extra.begin(), run_extra.end());

  const std::vector<Comparison> result = compare_runs(run, baseline, CompareOptions{});
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result[0].suite, "gsm8k");
  EXPECT_EQ(result[0].n_shared, 6);
  EXPECT_DOUBLE_EQ(result[0].run_value, 0.0);
  EXPECT_DOUBLE_EQ(result[0].baseline_value, 1.0);
  EXPECT_DOUBLE_EQ(result[0].delta, -1.0);
  EXPECT_TRUE(result[0].significant_regression);
  EXPECT_EQ(result[1].suite, "all");
  EXPECT_EQ(result[1].n_shared, 6);

  EXPECT_TRUE(compare_runs(run_extra, baseline_extra, CompareOptions{}).empty());  // nothing shared
}

// "all" weighs each suite 1, as the run's metrics do: big (20 problems) gains 1 point of 1 on every problem, small
// (2 problems) loses nothing, so "all" moves by (1 + 0) / 2, not by the pooled 20 / 22.
TEST(CompareRuns, AllIsTheMeanOfTheSuites) {
  auto run = suite_rows("big", std::vector<int>(20, 1), 1);
  auto baseline = suite_rows("big", std::vector<int>(20, 0), 1);
  const auto small = suite_rows("small", {1, 0}, 1);
  run.insert(run.end(), small.begin(), small.end());
  baseline.insert(baseline.end(), small.begin(), small.end());
  const std::vector<Comparison> result = compare_runs(run, baseline, CompareOptions{});
  ASSERT_EQ(result.size(), 3u);
  EXPECT_EQ(result[2].suite, "all");
  EXPECT_DOUBLE_EQ(result[2].delta, 0.5);
  EXPECT_DOUBLE_EQ(result[2].run_value, (1.0 + 0.5) / 2.0);
  EXPECT_DOUBLE_EQ(result[2].baseline_value, (0.0 + 0.5) / 2.0);
  EXPECT_EQ(result[2].n_shared, 22);
  // big's differences are all 1 and small's all 0: every replicate of "all" is 1/2.
  EXPECT_DOUBLE_EQ(result[2].ci_low, 0.5);
  EXPECT_DOUBLE_EQ(result[2].ci_high, 0.5);
}

// A problem whose samples are all errors in one run is not shared; an error sample never counts as wrong.
TEST(CompareRuns, ErrorsAreNotWrongAnswers) {
  const auto baseline = suite_rows("gsm8k", {1, 1, 0}, 2);
  auto run = baseline;
  run[1].outcome = static_cast<int>(graders::Outcome::kNotGenerated);  // problem 0's second sample
  run[1].correct = false;
  for (const std::size_t i : {2, 3}) run[i].outcome = static_cast<int>(graders::Outcome::kGraderError);
  const std::vector<Comparison> result = compare_runs(run, baseline, CompareOptions{});
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result[0].n_shared, 2);  // problem 1 has no scored sample in the run
  // Problem 0: 1 of 1 scored in the run against 1 of 2 in the baseline; problem 2: 0 against 0.
  EXPECT_DOUBLE_EQ(result[0].run_value, 0.5);
  EXPECT_DOUBLE_EQ(result[0].baseline_value, 0.25);
}

TEST(CompareWithFigures, BothDirectionsAndNoise) {
  // 200 problems, 4 samples, pass@1 = 0.6.
  std::vector<int> correct;
  for (int i = 0; i < 200; ++i) correct.push_back(i % 5 < 3 ? 4 : 0);
  const auto run = suite_rows("math500", correct, 4);
  const std::vector<PublishedFigure> figures = {
      {"math500", 0.45}, {"math500", 0.75}, {"math500", 0.6}, {"aime2024", 0.798}, {"all", 0.6}};
  const std::vector<Comparison> result = compare_with_figures(run, figures, CompareOptions{});
  ASSERT_EQ(result.size(), 4u);  // aime2024 is not in the run

  EXPECT_DOUBLE_EQ(result[0].run_value, 0.6);
  EXPECT_DOUBLE_EQ(result[0].baseline_value, 0.45);
  EXPECT_NEAR(result[0].delta, 0.15, 1e-12);
  EXPECT_GT(result[0].ci_low, 0.0);
  EXPECT_LT(result[0].ci_low, result[0].delta);
  EXPECT_GT(result[0].ci_high, result[0].delta);
  EXPECT_TRUE(result[0].significant_improvement);
  EXPECT_FALSE(result[0].significant_regression);
  EXPECT_EQ(result[0].n_shared, 200);

  EXPECT_NEAR(result[1].delta, -0.15, 1e-12);
  EXPECT_LT(result[1].ci_high, 0.0);
  EXPECT_LT(result[1].p_value, 0.05);
  EXPECT_TRUE(result[1].significant_regression);

  EXPECT_NEAR(result[2].delta, 0.0, 1e-12);
  EXPECT_LT(result[2].ci_low, 0.0);
  EXPECT_GT(result[2].ci_high, 0.0);
  EXPECT_GT(result[2].p_value, 0.5);
  EXPECT_FALSE(result[2].significant_regression);
  EXPECT_FALSE(result[2].significant_improvement);

  EXPECT_EQ(result[3].suite, "all");
  EXPECT_EQ(result[3].n_shared, 200);
}

TEST(Compare, AlphaSetsTheIntervalAndTheVerdict) {
  const std::vector<double> run = {1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1};
  const std::vector<double> baseline = {1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0};
  CompareOptions loose;
  loose.alpha = 0.5;
  CompareOptions strict;
  strict.alpha = 0.01;
  const Comparison wide = compare_paired("s", run, baseline, strict);
  const Comparison narrow = compare_paired("s", run, baseline, loose);
  EXPECT_DOUBLE_EQ(wide.delta, 0.25);
  EXPECT_LE(wide.ci_low, narrow.ci_low);
  EXPECT_GE(wide.ci_high, narrow.ci_high);
  EXPECT_TRUE(narrow.significant_improvement);
}

TEST(Compare, RejectsBadInput) {
  const std::vector<double> two = {1.0, 0.0};
  const std::vector<double> three = {1.0, 0.0, 1.0};
  EXPECT_THROW(compare_paired("s", two, three, CompareOptions{}), std::invalid_argument);
  EXPECT_THROW(compare_paired("s", {}, {}, CompareOptions{}), std::invalid_argument);
  CompareOptions bad_alpha;
  bad_alpha.alpha = 1.5;
  EXPECT_THROW(compare_paired("s", two, two, bad_alpha), std::invalid_argument);
  const std::vector<ProblemCounts> counts = {{4, 2}};
  EXPECT_THROW(compare_with_figure("s", counts, 79.8, CompareOptions{}), std::invalid_argument);
  EXPECT_THROW(compare_with_figure("s", {}, 0.5, CompareOptions{}), std::invalid_argument);
}

}  // namespace
}  // namespace r1eval::evals::metrics
