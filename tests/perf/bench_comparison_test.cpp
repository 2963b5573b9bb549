// Pairing and verdicts of compare_benches: a clear slowdown is called, identical benches are not, a significant
// change smaller than min_change is not, rows without a partner are listed, old rows without repetition times are
// shown but not tested, and throughput is paired side by side with projections left out.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "perf/bench_comparison.h"

namespace r1eval::perf {
namespace {

using reports::db::KernelResultRow;
using reports::db::ThroughputRow;

// Nine repetition times around `median` (the middle one), spread ±4%.
std::vector<double> repetitions_around(double median) {
  std::vector<double> times;
  for (const double f : {0.96, 1.03, 0.99, 1.01, 1.0, 0.97, 1.04, 0.98, 1.02}) times.push_back(median * f);
  return times;
}

KernelResultRow kernel(const std::string& name, const std::string& shape, double median) {
  return KernelResultRow{.bench_id = 1,
                         .kernel = name,
                         .shape = shape,
                         .dtype = "bf16",
                         .backend = "avx2",
                         .seconds = median,
                         .gflops = 1.0,
                         .gbps = 1.0,
                         .roofline_pct = 50.0,
                         .repetitions = 9,
                         .repetition_seconds = repetitions_around(median)};
}

ThroughputRow rate(const std::string& phase, std::int64_t batch, double tokens_per_s, bool projection = false) {
  return ThroughputRow{.bench_id = 1,
                       .model = "tiny",
                       .phase = phase,
                       .batch = batch,
                       .context = 128,
                       .tokens_per_s = tokens_per_s,
                       .cost_per_mtok_usd = 1.0,
                       .price_basis = "cpu",
                       .projection = projection};
}

BenchComparison compare(const std::vector<KernelResultRow>& run, const std::vector<KernelResultRow>& baseline,
                        const BenchCompareOptions& options = {}) {
  return compare_benches(run, baseline, std::vector<ThroughputRow>{}, std::vector<ThroughputRow>{}, options);
}

TEST(BenchComparison, AThreeTimesSlowerKernelIsASignificantSlowdown) {
  const std::vector<KernelResultRow> baseline = {kernel("matmul", "m=1", 1e-3), kernel("rms_norm", "n=64", 2e-6)};
  const std::vector<KernelResultRow> run = {kernel("matmul", "m=1", 3e-3), kernel("rms_norm", "n=64", 2e-6)};
  const BenchComparison c = compare(run, baseline);
  ASSERT_EQ(c.kernels.size(), 2u);
  const KernelComparisonRow& slow = c.kernels[0];
  EXPECT_EQ(slow.kernel, "matmul");
  EXPECT_DOUBLE_EQ(slow.ratio, 3.0);
  EXPECT_EQ(slow.run_repetitions, 9u);
  // No overlap at all, 9 against 9: U = 81 and exact p = 2/C(18,9) = 2/48620.
  EXPECT_EQ(slow.test.u, 81.0);
  EXPECT_NEAR(slow.test.p_value, 2.0 / 48620.0, 1e-15);
  EXPECT_EQ(slow.verdict, KernelVerdict::kSlowdown);
  EXPECT_EQ(c.kernels[1].verdict, KernelVerdict::kNoChange);
  EXPECT_TRUE(has_significant_slowdown(c));
  EXPECT_TRUE(c.only_in_run.empty());
  EXPECT_TRUE(c.only_in_baseline.empty());
}

TEST(BenchComparison, IdenticalBenchesShowNoChange) {
  const std::vector<KernelResultRow> rows = {kernel("matmul", "m=1", 1e-3), kernel("rope", "n=64", 5e-7)};
  const BenchComparison c = compare(rows, rows);
  ASSERT_EQ(c.kernels.size(), 2u);
  for (const auto& row : c.kernels) {
    EXPECT_EQ(row.ratio, 1.0);
    EXPECT_EQ(row.test.p_value, 1.0);
    EXPECT_EQ(row.verdict, KernelVerdict::kNoChange);
  }
  EXPECT_FALSE(has_significant_slowdown(c));
}

TEST(BenchComparison, ASignificantChangeWithinMinChangeIsNoVerdict) {
  // Repetitions within ±0.8% of 1 ms, the run's all 3% slower: no overlap, so significant, but below 5%.
  KernelResultRow base = kernel("matmul", "m=1", 1e-3);
  base.repetition_seconds.clear();
  for (int k = -4; k <= 4; ++k) base.repetition_seconds.push_back(1e-3 * (1.0 + 0.002 * k));
  KernelResultRow run = base;
  for (double& t : run.repetition_seconds) t *= 1.03;
  run.seconds = base.seconds * 1.03;
  const BenchComparison c = compare({run}, {base});
  ASSERT_EQ(c.kernels.size(), 1u);
  EXPECT_NEAR(c.kernels[0].test.p_value, 2.0 / 48620.0, 1e-15);
  EXPECT_DOUBLE_EQ(c.kernels[0].ratio, 1.03);
  EXPECT_EQ(c.kernels[0].verdict, KernelVerdict::kNoChange);
  // With the threshold lowered to 2% the same pair is a slowdown (or, reversed, an improvement); at 10% not.
  EXPECT_EQ(compare({run}, {base}, {.alpha = 0.05, .min_change = 0.02}).kernels[0].verdict, KernelVerdict::kSlowdown);
  EXPECT_EQ(compare({base}, {run}, {.alpha = 0.05, .min_change = 0.02}).kernels[0].verdict,
            KernelVerdict::kImprovement);
  EXPECT_EQ(compare({base}, {run}, {.alpha = 0.05, .min_change = 0.10}).kernels[0].verdict, KernelVerdict::kNoChange);
}

TEST(BenchComparison, AFasterKernelIsAnImprovementAndDoesNotFail) {
  const BenchComparison c = compare({kernel("matmul", "m=1", 1e-3)}, {kernel("matmul", "m=1", 2e-3)});
  ASSERT_EQ(c.kernels.size(), 1u);
  EXPECT_DOUBLE_EQ(c.kernels[0].ratio, 0.5);
  EXPECT_EQ(c.kernels[0].verdict, KernelVerdict::kImprovement);
  EXPECT_FALSE(has_significant_slowdown(c));
}

TEST(BenchComparison, RowsMissingInOneBenchAreListedAsUnmatched) {
  KernelResultRow fp8 = kernel("matmul", "m=1", 1e-3);
  fp8.dtype = "fp8";  // same kernel and shape, another dtype: a different row
  const std::vector<KernelResultRow> baseline = {kernel("matmul", "m=1", 1e-3), kernel("rope", "n=64", 1e-6)};
  const std::vector<KernelResultRow> run = {fp8, kernel("matmul", "m=1", 1e-3)};
  const BenchComparison c = compare(run, baseline);
  ASSERT_EQ(c.kernels.size(), 1u);
  EXPECT_EQ(c.kernels[0].dtype, "bf16");
  EXPECT_EQ(c.only_in_run, (std::vector<std::string>{"kernel matmul m=1 fp8 (avx2)"}));
  EXPECT_EQ(c.only_in_baseline, (std::vector<std::string>{"kernel rope n=64 bf16 (avx2)"}));
}

TEST(BenchComparison, RepeatedKeysPairInOrderOfOccurrence) {
  const std::vector<KernelResultRow> baseline = {kernel("matmul", "m=1", 1e-3), kernel("matmul", "m=1", 2e-3)};
  const std::vector<KernelResultRow> run = {kernel("matmul", "m=1", 1e-3), kernel("matmul", "m=1", 2e-3),
                                            kernel("matmul", "m=1", 4e-3)};
  const BenchComparison c = compare(run, baseline);
  ASSERT_EQ(c.kernels.size(), 2u);
  EXPECT_EQ(c.kernels[0].ratio, 1.0);
  EXPECT_EQ(c.kernels[1].ratio, 1.0);
  EXPECT_EQ(c.only_in_run.size(), 1u);
  EXPECT_TRUE(c.only_in_baseline.empty());
}

TEST(BenchComparison, RowsWithoutRepetitionTimesAreShownButNotTested) {
  KernelResultRow old = kernel("matmul", "m=1", 1e-3);
  old.repetition_seconds.clear();  // written before schema version 3
  const BenchComparison c = compare({kernel("matmul", "m=1", 3e-3)}, {old});
  ASSERT_EQ(c.kernels.size(), 1u);
  EXPECT_DOUBLE_EQ(c.kernels[0].ratio, 3.0);
  EXPECT_EQ(c.kernels[0].verdict, KernelVerdict::kNotTested);
  EXPECT_FALSE(has_significant_slowdown(c));
}

TEST(BenchComparison, ThroughputIsPairedSideBySideWithoutProjections) {
  const std::vector<ThroughputRow> baseline = {rate("prefill", 1, 400.0), rate("decode", 8, 100.0),
                                               rate("decode", 64, 5000.0, true), rate("decode", 32, 90.0)};
  const std::vector<ThroughputRow> run = {rate("decode", 8, 50.0), rate("prefill", 1, 440.0),
                                          rate("decode", 64, 9000.0, true)};
  const BenchComparison c = compare_benches(std::vector<KernelResultRow>{}, std::vector<KernelResultRow>{}, run,
                                            baseline, BenchCompareOptions{});
  ASSERT_EQ(c.throughput.size(), 2u);
  EXPECT_EQ(c.throughput[0].phase, "decode");
  EXPECT_EQ(c.throughput[0].baseline_tokens_per_s, 100.0);
  EXPECT_EQ(c.throughput[0].run_tokens_per_s, 50.0);
  EXPECT_DOUBLE_EQ(c.throughput[0].ratio, 0.5);
  EXPECT_DOUBLE_EQ(c.throughput[1].ratio, 1.1);
  EXPECT_TRUE(c.only_in_run.empty());
  EXPECT_EQ(c.only_in_baseline, (std::vector<std::string>{"throughput decode batch 32 context 128 (tiny)"}));
  EXPECT_FALSE(has_significant_slowdown(c));  // throughput is never tested
}

TEST(BenchComparison, OptionsOutOfRangeAreRefused) {
  const std::vector<KernelResultRow> rows = {kernel("matmul", "m=1", 1e-3)};
  EXPECT_THROW(compare(rows, rows, {.alpha = 0.0, .min_change = 0.05}), std::invalid_argument);
  EXPECT_THROW(compare(rows, rows, {.alpha = 0.05, .min_change = -0.1}), std::invalid_argument);
}

}  // namespace
}  // namespace r1eval::perf
