// Two runs whose error rates differ (samples the backend refused or failed, graders that threw) scored different
// samples: a difference in pass@1 may then come from the errors rather than the model. `r1eval compare` says so.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "reports/db/results_db.h"

namespace r1eval::evals::compare {

// Error rates further apart than this (a fraction: 0.5 percentage points) are worth a warning.
inline constexpr double kErrorRateTolerance = 0.005;

struct ErrorShare {
  std::int64_t errors = 0;   // stored samples whose outcome is not scored (graders::is_scored)
  std::int64_t samples = 0;  // every stored sample
  double rate() const { return samples == 0 ? 0.0 : static_cast<double>(errors) / static_cast<double>(samples); }
};

ErrorShare error_share(std::span<const reports::db::SampleRow> rows);

// One sentence naming both rates when they differ by more than kErrorRateTolerance or exactly one of them is zero;
// empty otherwise.
std::string error_rate_warning(const std::string& run_name, const ErrorShare& run, const std::string& baseline_name,
                               const ErrorShare& baseline);

}  // namespace r1eval::evals::compare
