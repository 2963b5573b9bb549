// compute_run_metrics on hand-built runs whose every figure was worked out by hand (see the comments).
#include "evals/metrics/run_metrics.h"

#include <algorithm>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

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

  const std::vector<std::string> per_suite_tail = {"format_compliance", "language_consistency", "no_answer_rate",
                                                   "problems", "samples", "tokens_per_sample", "truncation_rate"};
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
  expect_names("all", {"pass@1", "pass@2", "cons@2"});
  EXPECT_EQ(metrics.front().suite, "math");  // suites in order of appearance, "all" last
  EXPECT_EQ(metrics.back().suite, "all");

  // math: pass@1 = (2/4 + 2/4) / 2; pass@2 = 1 - C(2,2)/C(4,2) = 5/6 for both; pass@4 = 1 for both.
  EXPECT_DOUBLE_EQ(find(metrics, "math", "pass@1").value, 0.5);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "pass@2").value, 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "pass@4").value, 1.0);
  // cons@4: m1 groups {"2"}, {"1/2", "0.5"} -> right; m2 ties {"3"} and {"4"}, "3" came first -> wrong.
  EXPECT_DOUBLE_EQ(find(metrics, "math", "cons@4").value, 0.5);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "format_compliance").value, 6.0 / 8.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "truncation_rate").value, 2.0 / 8.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "no_answer_rate").value, 1.0 / 8.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "language_consistency").value, 7.0 / 8.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "tokens_per_sample").value, 1200.0 / 8.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "problems").value, 2.0);
  EXPECT_DOUBLE_EQ(find(metrics, "math", "samples").value, 8.0);

  // gsm8k: pass@1 = (1 + 0 + 1/2) / 3; pass@2 = (1 + 0 + 1) / 3; cons@2: g1 right, g2 "1" first -> wrong,
  // g3 "5" (sample 0) first -> right.
  EXPECT_DOUBLE_EQ(find(metrics, "gsm8k", "pass@1").value, 0.5);
  EXPECT_DOUBLE_EQ(find(metrics, "gsm8k", "pass@2").value, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(find(metrics, "gsm8k", "cons@2").value, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(find(metrics, "gsm8k", "format_compliance").value, 1.0);
  EXPECT_DOUBLE_EQ(find(metrics, "gsm8k", "tokens_per_sample").value, 10.0);

  // all: five problems, at least two samples each. pass@1 = (1/2 + 1/2 + 1 + 0 + 1/2) / 5;
  // pass@2 = (5/6 + 5/6 + 1 + 0 + 1) / 5; cons@2 on the first two samples: m1 {"2"} vs {"1/2"} -> "2" wrong,
  // m2 wrong, g1 right, g2 wrong, g3 right.
  EXPECT_DOUBLE_EQ(find(metrics, "all", "pass@1").value, 0.5);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "pass@2").value, 11.0 / 15.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "cons@2").value, 0.4);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "format_compliance").value, 12.0 / 14.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "truncation_rate").value, 2.0 / 14.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "no_answer_rate").value, 1.0 / 14.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "language_consistency").value, 13.0 / 14.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "tokens_per_sample").value, 1260.0 / 14.0);
  EXPECT_DOUBLE_EQ(find(metrics, "all", "samples").value, 14.0);

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
  // m1 by string: {"2"}, {"1/2"}, {"0.5"} -> "2" wins the tie -> wrong; m2 wrong.
  EXPECT_DOUBLE_EQ(find(metrics, "math", "cons@4").value, 0.0);

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
  EXPECT_EQ(metric_names(metrics, "aime2025").size(), 10u);  // pass@1, pass@2, cons@2 and seven rates/counts
  EXPECT_DOUBLE_EQ(find(metrics, "aime2025", "pass@1").value, (3.0 / 5.0 + 1.0 / 3.0 + 0.0) / 3.0);
  EXPECT_DOUBLE_EQ(find(metrics, "aime2025", "pass@2").value, (0.9 + 2.0 / 3.0) / 3.0);
  // cons@2 on the first two samples: p0 right/right, p1 right then wrong (tie, "right" first), p2 wrong.
  EXPECT_DOUBLE_EQ(find(metrics, "aime2025", "cons@2").value, 2.0 / 3.0);
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
