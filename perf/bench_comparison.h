// `r1eval compare --bench`: one bench run against another. Kernel rows are paired by (kernel, shape, dtype,
// backend) and their per-repetition times compared with a two-sided Mann–Whitney U test, as Google Benchmark's
// compare tool does; a pair is a significant slowdown only when p < alpha and the run's median is also more than
// min_change slower, so the noise of a loaded machine does not fail CI. Throughput rows hold one measurement each:
// they are paired and shown with their ratio, never tested.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "perf/mann_whitney.h"
#include "reports/db/results_db.h"

namespace r1eval::perf {

struct BenchCompareOptions {
  double alpha = 0.05;       // significance level of the U test
  double min_change = 0.05;  // a verdict also needs the median ratio beyond 1 ± this
};

enum class KernelVerdict {
  kNoChange,     // tested: not significant, or within min_change
  kSlowdown,     // p < alpha and run median / baseline median > 1 + min_change
  kImprovement,  // p < alpha and run median / baseline median < 1 - min_change
  kNotTested,    // a side has no repetition times (rows written before schema version 3)
};

std::string_view verdict_name(KernelVerdict verdict);

struct KernelComparisonRow {
  std::string kernel, shape, dtype, backend;
  double baseline_seconds = 0.0;  // median per call
  double run_seconds = 0.0;
  double ratio = 0.0;             // run / baseline: above 1 is slower
  std::size_t baseline_repetitions = 0, run_repetitions = 0;
  MannWhitneyResult test;         // meaningful unless verdict is kNotTested
  KernelVerdict verdict = KernelVerdict::kNotTested;
};

struct ThroughputComparisonRow {
  std::string model, phase;
  std::int64_t batch = 0, context = 0;
  double baseline_tokens_per_s = 0.0;
  double run_tokens_per_s = 0.0;
  double ratio = 0.0;  // run / baseline: above 1 is faster (0 when the baseline measured 0)
};

struct BenchComparison {
  std::vector<KernelComparisonRow> kernels;        // in the run's order
  std::vector<ThroughputComparisonRow> throughput;  // measured rows only; projections are not measurements
  std::vector<std::string> only_in_run;             // rows without a partner, described in one line each
  std::vector<std::string> only_in_baseline;
};

// Pairs and tests the rows of two benches. A key that occurs several times in one bench is paired in order of
// occurrence. Throws std::invalid_argument for options out of range (alpha in (0, 1), min_change ≥ 0).
BenchComparison compare_benches(std::span<const reports::db::KernelResultRow> run_kernels,
                                std::span<const reports::db::KernelResultRow> baseline_kernels,
                                std::span<const reports::db::ThroughputRow> run_throughput,
                                std::span<const reports::db::ThroughputRow> baseline_throughput,
                                const BenchCompareOptions& options);

// The same over two bench ids of `db`; throws std::invalid_argument naming the id and the file when one is unknown.
BenchComparison compare_benches(const reports::db::ResultsDb& db, std::int64_t run_bench_id,
                                std::int64_t baseline_bench_id, const BenchCompareOptions& options);

// True when any kernel pair is a significant slowdown (the exit status of `r1eval compare --bench`).
bool has_significant_slowdown(const BenchComparison& comparison);

}  // namespace r1eval::perf
