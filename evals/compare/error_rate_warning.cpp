#include "evals/compare/error_rate_warning.h"

#include <cmath>

#include <fmt/format.h>

#include "graders/grader.h"

namespace r1eval::evals::compare {

ErrorShare error_share(std::span<const reports::db::SampleRow> rows) {
  ErrorShare share;
  for (const reports::db::SampleRow& row : rows) {
    ++share.samples;
    if (!graders::is_scored(static_cast<graders::Outcome>(row.outcome))) ++share.errors;
  }
  return share;
}

std::string error_rate_warning(const std::string& run_name, const ErrorShare& run, const std::string& baseline_name,
                               const ErrorShare& baseline) {
  const bool one_is_zero = (run.errors == 0) != (baseline.errors == 0);
  if (!one_is_zero && std::abs(run.rate() - baseline.rate()) <= kErrorRateTolerance) return {};
  return fmt::format(
      "{} has an error rate of {:.1f}% ({} of {} samples) and {} of {:.1f}% ({} of {}): they scored different "
      "samples, so part of any difference may come from the errors rather than the model.",
      run_name, 100.0 * run.rate(), run.errors, run.samples, baseline_name, 100.0 * baseline.rate(), baseline.errors,
      baseline.samples);
}

}  // namespace r1eval::evals::compare
