// What a run's tokens cost at an endpoint's prices, as metric rows beside its scores (the README quotes this list;
// MetricRow.n is the number of problems, as for every metric):
//   cost_usd                   per suite and for "all": the sum over every stored sample of
//                              (prompt_tokens × input price + completion_tokens × output price) ÷ 10⁶, reasoning
//                              tokens being part of completion_tokens; samples that were not generated used none
//   price_input_usd_per_mtok   "all" only: the prices the cost was computed at, kept with it so that recomputing a
//   price_output_usd_per_mtok  run's metrics (a resume without prices, a regrade) keeps its cost
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "reports/db/results_db.h"

namespace r1eval::evals::metrics {

// US dollars per million tokens.
struct TokenPrices {
  double input_usd_per_mtok = 0.0;
  double output_usd_per_mtok = 0.0;
};

// The rows for each suite in order of first appearance, then for "all". No samples: no rows. Throws
// std::invalid_argument for a price that is negative or not finite.
std::vector<reports::db::MetricRow> cost_metrics(std::span<const reports::db::SampleRow> rows,
                                                 const TokenPrices& prices);

// The prices a run's stored metrics carry, when they carry both.
std::optional<TokenPrices> stored_token_prices(std::span<const reports::db::MetricRow> metrics);

}  // namespace r1eval::evals::metrics
