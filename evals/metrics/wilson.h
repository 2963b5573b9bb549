// The Wilson score interval for a binomial share, and the rule that floors a degenerate bootstrap interval with it.
//
// A percentile bootstrap over problems that all passed (or all failed) resamples to the same value every time, so
// its interval has zero width: "0 of 2 correct, 95% interval [0%, 0%]" claims a certainty two problems cannot give.
// The Wilson interval of 0 (or n) successes out of n trials is what those n problems do support.
#pragma once

#include <cstdint>
#include <span>

namespace r1eval::evals::metrics {

// The normal quantile of a two-sided 95% interval.
inline constexpr double kZ95 = 1.959964;

struct Interval {
  double low = 0.0;
  double high = 0.0;
};

// The Wilson score interval of `successes` out of `trials` at normal quantile z:
// (p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), with p = successes / trials; exactly 0 below when
// successes = 0 and exactly 1 above when successes = trials. Throws std::invalid_argument for trials < 1,
// successes outside [0, trials] or z <= 0.
Interval wilson_interval(std::int64_t successes, std::int64_t trials, double z = kZ95);

// When every per-problem value is 0 (or every one is 1), the union of `interval` and the Wilson interval of 0 (or n)
// successes out of n = the number of values; otherwise `interval` unchanged. No values: unchanged.
Interval floor_with_wilson(Interval interval, std::span<const double> per_problem, double z = kZ95);

}  // namespace r1eval::evals::metrics
