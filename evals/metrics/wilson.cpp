#include "evals/metrics/wilson.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace r1eval::evals::metrics {

Interval wilson_interval(std::int64_t successes, std::int64_t trials, double z) {
  if (trials < 1 || successes < 0 || successes > trials || !(z > 0.0)) {
    throw std::invalid_argument("Wilson interval of " + std::to_string(successes) + " successes out of " +
                                std::to_string(trials) +
                                " trials (needs at least one trial, 0 <= successes <= "
                                "trials and z > 0)");
  }
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denominator = 1.0 + z2 / n;
  const double center = (p + z2 / (2.0 * n)) / denominator;
  const double half = z / denominator * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  // At 0 and n the bound is exact in closed form; the subtraction would leave a rounding residue instead.
  return {successes == 0 ? 0.0 : std::max(0.0, center - half),
          successes == trials ? 1.0 : std::min(1.0, center + half)};
}

Interval floor_with_wilson(Interval interval, std::span<const double> per_problem, double z) {
  if (per_problem.empty()) return interval;
  const auto all_equal_to = [&](double value) {
    return std::all_of(per_problem.begin(), per_problem.end(), [value](double v) { return v == value; });
  };
  const auto trials = static_cast<std::int64_t>(per_problem.size());
  std::int64_t successes = 0;
  if (all_equal_to(1.0)) {
    successes = trials;
  } else if (!all_equal_to(0.0)) {
    return interval;
  }
  const Interval wilson = wilson_interval(successes, trials, z);
  return {std::min(interval.low, wilson.low), std::max(interval.high, wilson.high)};
}

}  // namespace r1eval::evals::metrics
