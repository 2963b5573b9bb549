// --prices, as `bench` and `run` take it, and the token prices of a run: which prices a run's cost is computed at.
#pragma once

#include <optional>
#include <string>

#include "evals/metrics/cost_metrics.h"
#include "perf/cost.h"

namespace r1eval::cli {

// The built-in table when `path` is empty, the file, or standard input for "-". Throws perf::PriceError naming the
// file and key, or std::runtime_error when it cannot be read.
perf::PriceTable price_table_option(const std::string& path);

struct RunPrices {
  std::optional<double> input_usd_per_mtok;   // --price-in
  std::optional<double> output_usd_per_mtok;  // --price-out
  std::string table;                          // --prices
};

struct ChosenPrices {
  evals::metrics::TokenPrices prices;
  std::string basis;  // where they came from, for the run's summary
};

// --price-in and --price-out when given (both are needed), else the price table's entry for the served model (an
// endpoint run), else none: the run has no cost figures. Throws std::invalid_argument when only one of the two
// prices is given.
std::optional<ChosenPrices> choose_run_prices(const RunPrices& options, const std::string& served_model);

}  // namespace r1eval::cli
