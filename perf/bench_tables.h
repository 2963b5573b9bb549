// The plain-text tables `r1eval bench` and `r1eval compare --bench` print: what a person reads in a terminal or a CI
// log. The database holds the same figures for reports and queries.
#pragma once

#include <string>
#include <vector>

#include "perf/bench_comparison.h"
#include "perf/ceilings.h"
#include "perf/cpu_info.h"
#include "perf/kernel_runner.h"
#include "reports/db/results_db.h"

namespace r1eval::perf {

// The machine, its kernel variant and features, and the measured ceilings, ending in a blank line.
std::string format_ceilings(const CpuInfo& cpu, const MachineCeilings& ceilings);
// One line per kernel case: time per call, GFLOP/s, GB/s, roofline % and its bound (or why it was skipped).
std::string format_kernel_table(const std::vector<KernelMeasurement>& measurements);
// One line per throughput row: tokens/s ("-" for a price-only row), cost per M tokens and its price basis.
std::string format_throughput_table(const std::vector<reports::db::ThroughputRow>& rows);
// The kernel pairs with their U test verdicts, the throughput ratios and the unpaired rows.
std::string format_bench_comparison(const BenchComparison& comparison);

}  // namespace r1eval::perf
