#include "perf/bench_comparison.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <fmt/format.h>

namespace r1eval::perf {
namespace {

using KernelKey = std::tuple<std::string, std::string, std::string, std::string>;
using ThroughputKey = std::tuple<std::string, std::string, std::int64_t, std::int64_t>;

KernelKey key_of(const reports::db::KernelResultRow& row) { return {row.kernel, row.shape, row.dtype, row.backend}; }
ThroughputKey key_of(const reports::db::ThroughputRow& row) { return {row.model, row.phase, row.batch, row.context}; }

std::string describe(const reports::db::KernelResultRow& row) {
  return fmt::format("kernel {} {} {} ({})", row.kernel, row.shape, row.dtype, row.backend);
}
std::string describe(const reports::db::ThroughputRow& row) {
  return fmt::format("throughput {} batch {} context {} ({})", row.phase, row.batch, row.context, row.model);
}

// Pairs the rows of two lists by key, the i-th occurrence of a key in `run` with its i-th in `baseline`; calls
// pair(run_row, baseline_row) in the run's order and lists what is left on either side.
template <typename Row, typename Pair>
void pair_rows(std::span<const Row> run, std::span<const Row> baseline, Pair pair, std::vector<std::string>& only_run,
               std::vector<std::string>& only_baseline) {
  std::map<decltype(key_of(std::declval<const Row&>())), std::vector<const Row*>> waiting;
  for (const Row& row : baseline) waiting[key_of(row)].push_back(&row);
  std::map<decltype(key_of(std::declval<const Row&>())), std::size_t> used;
  for (const Row& row : run) {
    const auto key = key_of(row);
    const auto found = waiting.find(key);
    std::size_t& next = used[key];
    if (found == waiting.end() || next >= found->second.size()) {
      only_run.push_back(describe(row));
      continue;
    }
    pair(row, *found->second[next]);
    ++next;
  }
  for (const Row& row : baseline) {
    const auto key = key_of(row);
    const std::size_t paired = used.count(key) != 0 ? used[key] : 0;
    const auto& rows = waiting[key];
    const auto position = static_cast<std::size_t>(std::find(rows.begin(), rows.end(), &row) - rows.begin());
    if (position >= paired) only_baseline.push_back(describe(row));
  }
}

KernelComparisonRow compare_kernel(const reports::db::KernelResultRow& run,
                                   const reports::db::KernelResultRow& baseline, const BenchCompareOptions& options) {
  KernelComparisonRow row;
  row.kernel = run.kernel;
  row.shape = run.shape;
  row.dtype = run.dtype;
  row.backend = run.backend;
  row.baseline_seconds = baseline.seconds;
  row.run_seconds = run.seconds;
  row.ratio = baseline.seconds > 0.0 ? run.seconds / baseline.seconds : 0.0;
  row.baseline_repetitions = baseline.repetition_seconds.size();
  row.run_repetitions = run.repetition_seconds.size();
  if (run.repetition_seconds.empty() || baseline.repetition_seconds.empty() || !(baseline.seconds > 0.0)) {
    row.verdict = KernelVerdict::kNotTested;
    return row;
  }
  row.test = mann_whitney_u(run.repetition_seconds, baseline.repetition_seconds);
  const bool significant = row.test.p_value < options.alpha;
  if (significant && row.ratio > 1.0 + options.min_change) {
    row.verdict = KernelVerdict::kSlowdown;
  } else if (significant && row.ratio < 1.0 - options.min_change) {
    row.verdict = KernelVerdict::kImprovement;
  } else {
    row.verdict = KernelVerdict::kNoChange;
  }
  return row;
}

std::vector<reports::db::ThroughputRow> measured(std::span<const reports::db::ThroughputRow> rows) {
  std::vector<reports::db::ThroughputRow> kept;
  for (const auto& row : rows) {
    if (!row.projection) kept.push_back(row);
  }
  return kept;
}

}  // namespace

std::string_view verdict_name(KernelVerdict verdict) {
  switch (verdict) {
    case KernelVerdict::kNoChange: return "no significant change";
    case KernelVerdict::kSlowdown: return "SLOWDOWN";
    case KernelVerdict::kImprovement: return "improvement";
    case KernelVerdict::kNotTested: return "not tested (no repetition times)";
  }
  return "unknown";
}

BenchComparison compare_benches(std::span<const reports::db::KernelResultRow> run_kernels,
                                std::span<const reports::db::KernelResultRow> baseline_kernels,
                                std::span<const reports::db::ThroughputRow> run_throughput,
                                std::span<const reports::db::ThroughputRow> baseline_throughput,
                                const BenchCompareOptions& options) {
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
    throw std::invalid_argument(fmt::format("bench comparison: alpha {} is not between 0 and 1", options.alpha));
  }
  if (!(options.min_change >= 0.0)) {
    throw std::invalid_argument(fmt::format("bench comparison: min_change {} is negative", options.min_change));
  }
  BenchComparison comparison;
  pair_rows<reports::db::KernelResultRow>(
      run_kernels, baseline_kernels,
      [&](const reports::db::KernelResultRow& run, const reports::db::KernelResultRow& baseline) {
        comparison.kernels.push_back(compare_kernel(run, baseline, options));
      },
      comparison.only_in_run, comparison.only_in_baseline);
  const auto run_rates = measured(run_throughput);
  const auto baseline_rates = measured(baseline_throughput);
  pair_rows<reports::db::ThroughputRow>(
      run_rates, baseline_rates,
      [&](const reports::db::ThroughputRow& run, const reports::db::ThroughputRow& baseline) {
        comparison.throughput.push_back(ThroughputComparisonRow{
            .model = run.model,
            .phase = run.phase,
            .batch = run.batch,
            .context = run.context,
            .baseline_tokens_per_s = baseline.tokens_per_s,
            .run_tokens_per_s = run.tokens_per_s,
            .ratio = baseline.tokens_per_s > 0.0 ? run.tokens_per_s / baseline.tokens_per_s : 0.0});
      },
      comparison.only_in_run, comparison.only_in_baseline);
  return comparison;
}

BenchComparison compare_benches(const reports::db::ResultsDb& db, std::int64_t run_bench_id,
                                std::int64_t baseline_bench_id, const BenchCompareOptions& options) {
  const auto benches = db.benches();
  for (const std::int64_t id : {run_bench_id, baseline_bench_id}) {
    const bool known = std::any_of(benches.begin(), benches.end(), [&](const auto& b) { return b.bench_id == id; });
    if (!known) {
      throw std::invalid_argument(fmt::format("bench {} is not in {} (it holds {} bench run{})", id,
                                              db.path().string(), benches.size(), benches.size() == 1 ? "" : "s"));
    }
  }
  return compare_benches(db.kernel_results(run_bench_id), db.kernel_results(baseline_bench_id),
                         db.throughput(run_bench_id), db.throughput(baseline_bench_id), options);
}

bool has_significant_slowdown(const BenchComparison& comparison) {
  return std::any_of(comparison.kernels.begin(), comparison.kernels.end(),
                     [](const KernelComparisonRow& row) { return row.verdict == KernelVerdict::kSlowdown; });
}

}  // namespace r1eval::perf
