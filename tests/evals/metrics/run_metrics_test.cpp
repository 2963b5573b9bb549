// compute_run_metrics on hand-built runs whose every figure was worked out by hand (see the comments).
#include "evals/metrics/run_metrics.h"

#include <algorithm>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "graders/grader.h"
#include "graders/math/equivalence.h"
#include "tests/evals/metrics/sample_rows.h"

namespace r1eval::evals::metrics {
namespace {

using reports::db::MetricRow;
using reports::db::SampleRow;
using test_rows::graded_sample;

SampleRow answered(const std::string& suite, const std::string& id, std::int64_t index, std::int64_t s,
                   const std::string& extracted, bool correct) {
  SampleRow row = graded_sample(suite, id, index, s, correct);
  row.extracted = extracted;
  return row;
}

// math: two problems, four samples each.
//   m1: "2" wrong (malformed, truncated, 300 tokens, language 0.5), "1/2" right (100), "0.5" right (200),
//       no answer (malformed, truncated, 400 tokens, language 0.5)
//   m2: "3" wrong, "4" right, "3" wrong, "4" right (50 tokens each)
// gsm8k: three problems, two samples each (10 tokens each), given out of order:
//   g1: "7" right, "7" right;  g2: "1" wrong, "2" wrong;  g3: "5" right, "6" wrong
std::vector<SampleRow> hand_built_run() {
  std::vector<SampleRow> rows;
  SampleRow m1s0 = answered("math", "m1", 0, 0, "2", false);
  m1s0.format_ok = false;
  m1s0.finish_reason = "length";
  m1s0.completion_tokens = 300;
  m1s0.language_share = 0.5;
  SampleRow m1s1 = answered("math", "m1", 0, 1, "1/2", true);
  m1s1.completion_tokens = 100;
  SampleRow m1s2 = answered("math", "m1", 0, 2, "0.5", true);
  m1s2.completion_tokens = 200;
  SampleRow m1s3 = answered("math", "m1", 0, 3, "", false);
  m1s3.has_answer = false;
  m1s3.format_ok = false;
  m1s3.finish_reason = "length";
  m1s3.completion_tokens = 400;
  m1s3.language_share = 0.5;
  rows = {m1s0, m1s1, m1s2, m1s3};
  const char* m2[] = {"3", "4", "3", "4"};
  for (std::int64_t s = 0; s < 4; ++s) {
    rows.push_back(answered("math", "m2", 1, s, m2[s], s % 2 == 1));
    rows.back().completion_tokens = 50;
  }
  rows.push_back(answered("gsm8k", "g3", 2, 1, "6", false));
  rows.push_back(answered("gsm8k", "g3", 2, 0, "5", true));
  rows.push_back(answered("gsm8k", "g1", 0, 0, "7", true));
  rows.push_back(answered("gsm8k", "g1", 0, 1, "7", true));
  rows.push_back(answered("gsm8k", "g2", 1, 0, "1", false));
  rows.push_back(answered("gsm8k", "g2", 1, 1, "2", false));
  return rows;
}

MetricOptions math_equivalence_for_math() {
  MetricOptions options;
  options.bootstrap_resamples = 300;
  options.equivalence_for_suite = [](const std::string& suite) -> AnswerEquivalence {
    if (suite != "math") return {};  // exact strings
    return [](const std::string& a, const std::string& b) { return graders::math::answers_equivalent(a, b); };
  };
  return options;
}

const MetricRow& find(const std::vector<MetricRow>& rows, const std::string& suite, const std::string& metric) {
  const auto it = std::find_if(rows.begin(), rows.end(),
                               [&](const MetricRow& r) { return r.suite == suite && r.metric == metric; });
  if (it == rows.end()) throw std::runtime_error("no metric " + suite + "/" + metric);
  return *it;
}

std::vector<std::string> metric_names(const std::vector<MetricRow>& rows, const std::string& suite) {
  std::vector<std::string> names;
  for (const MetricRow& r : rows) {
    if (r.suite == suite) names.push_back(r.metric);
  }
  return names;
}

TEST(RunMetrics, HandComputedFigures) {
  const std::vector<SampleRow> rows = hand_built_run();
  const std::vector<MetricRow> metrics = compute_run_metrics(rows, math_equivalence_for_math());

  const std::vector<std::string> per_suite_tail = {
      "error_rate", "errors",  "format_compliance", "language_consistency", "no_answer_rate",
      "problems",   "samples", "tokens_per_sample", "truncation_rate"};
  const auto expect_names = [&](const std::string& suite, std::vector<std::string> head) {
    std::vector<std::string> got = metric_names(metrics, suite);
    ASSERT_GE(got.size(), head.size());
    EXPECT_TRUE(std::equal(head.begin(), head.end(), got.begin())) << suite;
    std::vector<std::string> tail(got.begin() + static_cast<std::ptrdiff_t>(head.size()), got.end());
    std::sort(tail.begin(), tail.end());
    EXPECT_EQ(tail, per_suite_tail) << suite;
  };
  expect_names("math", {"pass@1", "pass@2", "pass@4", "cons@4"});
  expect_names("gsm8k", {"pass@1", "pass@2", "cons@2"});
  expect_names("all", {"pass@1", "pass@2", "cons@2", "pass@1_pooled"});
  EXPECT_EQ(metrics.front().suite, "math");  // suites in order of appearance, "all" last
  EXPECT_EQ(metrics.back().suite, "all");

  // math: pass@1 = (2/4 + 2/4) / 2; pass@2 = 1 - C(2,2)/C(4,2) = 5/6 for both; pass@4 = 1 for both.
  EXPECT_DOUBLE_EQ(find(metrics, "math", "pass@1").value, 0.5);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "pass@2").value, 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "pass@4").value, 1.0);
  // cons@4: m1 groups {"2"}, {"1/2", "0.5"} -> right; m2 ties {"3"} (wrong) and {"4"} (right) -> 1/2.
  EXPECT_DOUBLE_EQ(find(metrics, "math", "cons@4").value, 0.75);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "format_compliance").value, 6.0 / 8.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "truncation_rate").value, 2.0 / 8.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "no_answer_rate").value, 1.0 / 8.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "language_consistency").value, 7.0 / 8.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "tokens_per_sample").value, 1200.0 / 8.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "problems").value, 2.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "samples").value, 8.0);

  // gsm8k: pass@1 = (1 + 0 + 1/2) / 3; pass@2 = (1 + 0 + 1) / 3; cons@2: g1 right, g2 ties two wrong answers
  // -> 0, g3 ties "5" (right) and "6" (wrong) -> 1/2.
  EXPECT_DOUBLE_EQ(find(metrics, "gsm8k", "pass@1").value, 0.5);
  EXPECT_DOUBLE_EQ(find(metrics, "gsm8k", "pass@2").value, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(find(metrics, "gsm8k", "cons@2").value, 0.5);
  EXPECT_DOUBLE_EQ(find(metrics, "gsm8k", "format_compliance").value, 1.0);
  EXPECT_DOUBLE_EQ(find(metrics, "gsm8k", "tokens_per_sample").value, 10.0);

  // all: the mean of the two suites. pass@1 = (1/2 + 1/2) / 2; pass@2 = (5/6 + 2/3) / 2; cons@2 (every suite
  // has at least two samples) on the first two samples: math m1 ties "2" (wrong) and "1/2" (right), m2 ties "3"
  // and "4": 1/2; gsm8k 1/2 as above.
  EXPECT_DOUBLE_EQ(find(metrics, "all", "pass@1").value, 0.5);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "pass@2").value, 0.75);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "cons@2").value, 0.5);
  // pooled over the five problems: (1/2 + 1/2 + 1 + 0 + 1/2) / 5.
  EXPECT_DOUBLE_EQ(find(metrics, "all", "pass@1_pooled").value, 0.5);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "format_compliance").value, (6.0 / 8.0 + 1.0) / 2.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "truncation_rate").value, (2.0 / 8.0 + 0.0) / 2.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "no_answer_rate").value, (1.0 / 8.0 + 0.0) / 2.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "language_consistency").value, (7.0 / 8.0 + 1.0) / 2.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "tokens_per_sample").value, (150.0 + 10.0) / 2.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "problems").value, 5.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "samples").value, 14.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "errors").value, 0.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "error_rate").value, 0.0);

  for (const MetricRow& r : metrics) {
    EXPECT_EQ(r.n, r.suite == "math" ? 2 : r.suite == "gsm8k" ? 3 : 5) << r.suite << " " << r.metric;
    const bool has_interval = r.metric.starts_with("pass@") || r.metric.starts_with("cons@");
    EXPECT_EQ(r.ci_low.has_value(), has_interval) << r.metric;
    EXPECT_EQ(r.ci_high.has_value(), has_interval) << r.metric;
    if (has_interval) {
      EXPECT_LE(*r.ci_low, *r.ci_high);
      EXPECT_GE(*r.ci_low, 0.0);
      EXPECT_LE(*r.ci_high, 1.0);
    }
  }
}

TEST(RunMetrics, DefaultEquivalenceIsExactStrings) {
  MetricOptions options;
  options.bootstrap_resamples = 100;
  const std::vector<MetricRow> metrics = compute_run_metrics(hand_built_run(), options);
  // m1 by string: {"2"}, {"1/2"}, {"0.5"} tie, two of three right -> 2/3; m2 ties "3" and "4" -> 1/2.
  EXPECT_DOUBLE_EQ(find(metrics, "math", "cons@4").value, (2.0 / 3.0 + 0.5) / 2.0);

  // By string, "b" outvotes "a"; a predicate that merged everything would let the first sample, "a", decide.
  const std::vector<SampleRow> votes = {answered("mbpp", "q", 0, 0, "a", false), answered("mbpp", "q", 0, 1, "b", true),
                                        answered("mbpp", "q", 0, 2, "b", true)};
  EXPECT_DOUBLE_EQ(find(compute_run_metrics(votes, options), "mbpp", "cons@3").value, 1.0);
  // A lookup that has no predicate for a suite falls back to exact strings too.
  EXPECT_DOUBLE_EQ(find(compute_run_metrics(votes, math_equivalence_for_math()), "mbpp", "cons@3").value, 1.0);
}

TEST(RunMetrics, SameSeedSameRowsWhateverTheRowOrder) {
  const std::vector<SampleRow> rows = hand_built_run();
  std::vector<SampleRow> shuffled = rows;
  std::mt19937_64 rng(7);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  // Keep "math" first so the output order of suites is the same.
  std::stable_partition(shuffled.begin(), shuffled.end(), [](const SampleRow& r) { return r.suite == "math"; });
  const MetricOptions options = math_equivalence_for_math();
  const std::vector<MetricRow> a = compute_run_metrics(rows, options);
  const std::vector<MetricRow> b = compute_run_metrics(shuffled, options);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].suite, b[i].suite);
    EXPECT_EQ(a[i].metric, b[i].metric);
    EXPECT_EQ(a[i].value, b[i].value);
    EXPECT_EQ(a[i].ci_low, b[i].ci_low);
    EXPECT_EQ(a[i].ci_high, b[i].ci_high);
  }
  MetricOptions other_seed = options;
  other_seed.seed = 1;
  // Five problems give a coarse bootstrap distribution, so look for a change anywhere rather than in one bound.
  const std::vector<MetricRow> c = compute_run_metrics(rows, other_seed);
  int changed_bounds = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    changed_bounds += (a[i].ci_low != c[i].ci_low) + (a[i].ci_high != c[i].ci_high);
  }
  EXPECT_GT(changed_bounds, 0);
}

TEST(RunMetrics, InterruptedRunWithUnevenSampleCounts) {
  // p0 has 5 samples (3 right), p1 has 3 (1 right), p2 has 2 (0 right): pass@k only up to k = 2, each problem with
  // its own n: pass@2 = ((1 - C(2,2)/C(5,2)) + (1 - C(2,2)/C(3,2)) + 0) / 3 = (9/10 + 2/3) / 3.
  std::vector<SampleRow> rows;
  const int samples[] = {5, 3, 2};
  const int correct[] = {3, 1, 0};
  for (int p = 0; p < 3; ++p) {  // (append, not "p" + to_string: g++ 12 -O3 warns falsely on the latter)
    for (int s = 0; s < samples[p]; ++s) {
      rows.push_back(graded_sample("aime2025", std::string("p").append(std::to_string(p)), p, s, s < correct[p]));
    }
  }
  MetricOptions options;
  options.bootstrap_resamples = 100;
  const std::vector<MetricRow> metrics = compute_run_metrics(rows, options);
  EXPECT_EQ(metric_names(metrics, "aime2025").size(), 12u);  // pass@1, pass@2, cons@2 and nine rates/counts
  EXPECT_DOUBLE_EQ(find(metrics, "aime2025", "pass@1").value, (3.0 / 5.0 + 1.0 / 3.0 + 0.0) / 3.0);
  EXPECT_DOUBLE_EQ(find(metrics, "aime2025", "pass@2").value, (0.9 + 2.0 / 3.0) / 3.0);
  // cons@2 on the first two samples: p0 right/right, p1 right then wrong (a tie: 1/2), p2 wrong.
  EXPECT_DOUBLE_EQ(find(metrics, "aime2025", "cons@2").value, (1.0 + 0.5 + 0.0) / 3.0);
  EXPECT_DOUBLE_EQ(find(metrics, "aime2025", "samples").value, 10.0);
}

TEST(RunMetrics, OneSamplePerProblemHasNoPassAtKOrCons) {
  MetricOptions options;
  options.bootstrap_resamples = 50;
  const std::vector<MetricRow> metrics = compute_run_metrics(test_rows::suite_rows("bbh", {1, 0, 1, 1}, 1), options);
  const std::vector<std::string> names = metric_names(metrics, "bbh");
  EXPECT_EQ(names.front(), "pass@1");
  EXPECT_EQ(std::count_if(names.begin(), names.end(),
                          [](const std::string& n) { return n.starts_with("pass@") || n.starts_with("cons@"); }),
            1);
  EXPECT_DOUBLE_EQ(find(metrics, "bbh", "pass@1").value, 0.75);
}

TEST(RunMetrics, PassAtKLevelsArePowersOfTwoAndN) {
  MetricOptions options;
  options.bootstrap_resamples = 20;
  const std::vector<MetricRow> metrics =
      compute_run_metrics(test_rows::suite_rows("amc2023", {3, 7, 12}, 12), options);
  std::vector<std::string> pass;
  for (const std::string& n : metric_names(metrics, "amc2023")) {
    if (n.starts_with("pass@") || n.starts_with("cons@")) pass.push_back(n);
  }
  EXPECT_EQ(pass, (std::vector<std::string>{"pass@1", "pass@2", "pass@4", "pass@8", "pass@12", "cons@12"}));
}

// An error row (not_generated, grader_error, sandbox_error) as the runner stores it: no completion, no answer.
SampleRow error_sample(const std::string& suite, const std::string& id, std::int64_t index, std::int64_t s,
                       graders::Outcome outcome) {
  SampleRow row = graded_sample(suite, id, index, s, false);
  row.outcome = static_cast<int>(outcome);
  row.extracted.clear();
  row.has_answer = false;
  row.format_ok = false;
  row.finish_reason.clear();
  row.completion_tokens = 0;
  return row;
}

// Issue 16: errors are not the model's failures. The same run with errors added (two more samples on one problem,
// a problem whose every sample is an error) has the figures of the run without them, and error_rate = 4 / 12.
TEST(RunMetrics, ErrorsAreLeftOutOfEveryFigureOfTheModelAndCountedInErrorRate) {
  const std::vector<SampleRow> clean = test_rows::suite_rows("gsm8k", {2, 1, 0}, 2);  // 6 scored samples
  std::vector<SampleRow> with_errors = clean;
  with_errors.push_back(error_sample("gsm8k", "gsm8k-0", 0, 2, graders::Outcome::kNotGenerated));
  with_errors.push_back(error_sample("gsm8k", "gsm8k-1", 1, 2, graders::Outcome::kGraderError));
  for (std::int64_t s = 0; s < 2; ++s) {
    with_errors.push_back(error_sample("gsm8k", "gsm8k-9", 9, s, graders::Outcome::kSandboxError));
  }
  MetricOptions options;
  options.bootstrap_resamples = 200;
  const std::vector<MetricRow> a = compute_run_metrics(clean, options);
  const std::vector<MetricRow> b = compute_run_metrics(with_errors, options);
  for (const char* suite : {"gsm8k", "all"}) {
    for (const char* name : {"pass@1", "pass@2", "cons@2", "format_compliance", "truncation_rate", "no_answer_rate",
                             "language_consistency", "tokens_per_sample"}) {
      const MetricRow& x = find(a, suite, name);
      const MetricRow& y = find(b, suite, name);
      EXPECT_EQ(x.value, y.value) << suite << " " << name;
      EXPECT_EQ(x.ci_low, y.ci_low) << suite << " " << name;
      EXPECT_EQ(x.ci_high, y.ci_high) << suite << " " << name;
      EXPECT_EQ(y.n, 3) << suite << " " << name << ": the problem with only errors drops out";
    }
    EXPECT_EQ(find(b, suite, "problems").value, 4.0);
    EXPECT_EQ(find(b, suite, "samples").value, 10.0);
    EXPECT_EQ(find(b, suite, "errors").value, 4.0);
    EXPECT_EQ(find(b, suite, "error_rate").value, 0.4);
    EXPECT_EQ(find(a, suite, "error_rate").value, 0.0);
  }
  // pass@1 = (1 + 1/2 + 0) / 3 either way.
  EXPECT_DOUBLE_EQ(find(b, "gsm8k", "pass@1").value, 0.5);
}

TEST(RunMetrics, ASuiteWithOnlyErrorsHasOnlyItsCountsAndDropsOutOfTheAverage) {
  std::vector<SampleRow> rows = test_rows::suite_rows("math", {1, 0}, 1);
  rows.push_back(error_sample("gsm8k", "g", 0, 0, graders::Outcome::kNotGenerated));
  MetricOptions options;
  options.bootstrap_resamples = 50;
  const std::vector<MetricRow> metrics = compute_run_metrics(rows, options);
  EXPECT_EQ(metric_names(metrics, "gsm8k"), (std::vector<std::string>{"problems", "samples", "errors", "error_rate"}));
  EXPECT_EQ(find(metrics, "gsm8k", "error_rate").value, 1.0);
  EXPECT_EQ(find(metrics, "all", "pass@1").value, 0.5);  // math's alone
  EXPECT_EQ(find(metrics, "all", "error_rate").value, 1.0 / 3.0);
  EXPECT_EQ(find(metrics, "all", "problems").value, 3.0);
}

// Issue 16: the pooled "all" let a large suite outweigh the rest. big: 10 problems, 9 right (0.9); small: 2
// problems, none right (0). The average is (0.9 + 0) / 2 = 0.45; pooled, 9 / 12 = 0.75.
TEST(RunMetrics, AllIsTheAverageOfTheSuitesWithAStratifiedInterval) {
  std::vector<SampleRow> rows = test_rows::suite_rows("big", {1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, 1);
  const std::vector<SampleRow> small = test_rows::suite_rows("small", {0, 0}, 1);
  rows.insert(rows.end(), small.begin(), small.end());
  MetricOptions options;
  options.bootstrap_resamples = 400;
  const std::vector<MetricRow> metrics = compute_run_metrics(rows, options);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "pass@1").value, 0.45);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "pass@1_pooled").value, 0.75);
  EXPECT_EQ(find(metrics, "all", "pass@1").n, 12);
  EXPECT_EQ(find(metrics, "all", "problems").value, 12.0);
  EXPECT_EQ(find(metrics, "all", "samples").value, 12.0);
  // small's replicates are all 0, so each replicate of "all" is half of big's: so is the percentile interval.
  const MetricRow& big = find(metrics, "big", "pass@1");
  EXPECT_DOUBLE_EQ(*find(metrics, "all", "pass@1").ci_low, *big.ci_low / 2.0);
  EXPECT_DOUBLE_EQ(*find(metrics, "all", "pass@1").ci_high, *big.ci_high / 2.0);
  // small's own interval: 0 of 2 by bootstrap is [0, 0]; floored by Wilson, [0, 0.6576].
  EXPECT_EQ(*find(metrics, "small", "pass@1").ci_low, 0.0);
  EXPECT_NEAR(*find(metrics, "small", "pass@1").ci_high, 0.6576, 5e-5);
}

TEST(RunMetrics, AllHasPassAtKAndConsOnlyForLevelsEverySuiteReaches) {
  std::vector<SampleRow> rows = test_rows::suite_rows("four", {4, 2}, 4);
  const std::vector<SampleRow> two = test_rows::suite_rows("two", {1, 0}, 2);
  rows.insert(rows.end(), two.begin(), two.end());
  MetricOptions options;
  options.bootstrap_resamples = 50;
  const std::vector<MetricRow> metrics = compute_run_metrics(rows, options);
  std::vector<std::string> figures;
  for (const std::string& n : metric_names(metrics, "all")) {
    if (n.starts_with("pass@") || n.starts_with("cons@")) figures.push_back(n);
  }
  EXPECT_EQ(figures, (std::vector<std::string>{"pass@1", "pass@2", "cons@2", "pass@1_pooled"}));
  // four's pass@2: problem 0 has 4 of 4 -> 1, problem 1 has 2 of 4 -> 1 - C(2,2)/C(4,2) = 5/6; two's: (1 + 0) / 2.
  EXPECT_DOUBLE_EQ(find(metrics, "all", "pass@2").value, ((1.0 + 5.0 / 6.0) / 2.0 + 0.5) / 2.0);
  // cons@2 on four's first two samples (which suite four shows no row for): right/right -> 1, right/right -> 1;
  // two: right/wrong tie -> 1/2, wrong/wrong -> 0.
  EXPECT_DOUBLE_EQ(find(metrics, "all", "cons@2").value, (1.0 + 0.25) / 2.0);
  EXPECT_FALSE(std::count(figures.begin(), figures.end(), "cons@4"));
  // four's own cons@4: problem 0 all right -> 1; problem 1 ties two "right" and two "wrong" -> 1/2.
  EXPECT_DOUBLE_EQ(find(metrics, "four", "cons@4").value, 0.75);
}

TEST(RunMetrics, AllPassedIntervalsAreFlooredByWilson) {
  // Ten problems, every sample right, in two suites: each suite's interval is Wilson's n of n, and so is "all"'s
  // over all ten problems: [0.7225, 1].
  std::vector<SampleRow> rows = test_rows::suite_rows("a", {2, 2, 2, 2}, 2);
  const std::vector<SampleRow> b = test_rows::suite_rows("b", {2, 2, 2, 2, 2, 2}, 2);
  rows.insert(rows.end(), b.begin(), b.end());
  MetricOptions options;
  options.bootstrap_resamples = 50;
  const std::vector<MetricRow> metrics = compute_run_metrics(rows, options);
  for (const char* name : {"pass@1", "pass@2", "cons@2", "pass@1_pooled"}) {
    const MetricRow& all = find(metrics, "all", name);
    EXPECT_EQ(all.value, 1.0) << name;
    EXPECT_NEAR(*all.ci_low, 0.7225, 5e-5) << name;
    EXPECT_EQ(*all.ci_high, 1.0) << name;
  }
  EXPECT_NEAR(*find(metrics, "a", "pass@1").ci_low, 0.5101, 5e-5);  // Wilson 4 of 4
  EXPECT_NEAR(*find(metrics, "b", "pass@1").ci_low, 0.6097, 5e-5);  // Wilson 6 of 6
}

TEST(RunMetrics, RejectsMalformedRows) {
  MetricOptions options;
  options.bootstrap_resamples = 10;
  EXPECT_TRUE(compute_run_metrics({}, options).empty());
  std::vector<SampleRow> doubled = {graded_sample("gsm8k", "g1", 0, 0, true),
                                    graded_sample("gsm8k", "g1", 0, 0, false)};
  EXPECT_THROW(compute_run_metrics(doubled, options), std::invalid_argument);
  std::vector<SampleRow> reserved = {graded_sample("all", "x", 0, 0, true)};
  EXPECT_THROW(compute_run_metrics(reserved, options), std::invalid_argument);
  std::vector<SampleRow> nameless = {graded_sample("", "x", 0, 0, true)};
  EXPECT_THROW(compute_run_metrics(nameless, options), std::invalid_argument);
  std::vector<SampleRow> fine = {graded_sample("gsm8k", "g1", 0, 0, true)};
  options.bootstrap_resamples = 0;
  EXPECT_THROW(compute_run_metrics(fine, options), std::invalid_argument);
}

}  // namespace
}  // namespace r1eval::evals::metrics
