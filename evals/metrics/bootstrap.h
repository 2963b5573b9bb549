// Bootstrap confidence intervals (percentile method) for per-problem evaluation figures.
//
// Two forms: the two-level bootstrap for pass@1 over problems x samples (resample problems with replacement, then
// the samples of each chosen problem with replacement), and a one-level bootstrap over any per-problem values with
// any statistic (pass@k, cons@k, paired differences). Seeded and deterministic: the same inputs and seed give the
// same interval on every machine, in any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

namespace r1eval::evals::metrics {

struct BootstrapOptions {
  std::int64_t resamples = 2000;  // B
  std::uint64_t seed = 0;
  double confidence = 0.95;       // the interval covers this central share of the bootstrap distribution
};

struct BootstrapResult {
  double estimate = 0.0;           // the statistic on the data as given
  double ci_low = 0.0;             // percentile interval of the replicates
  double ci_high = 0.0;
  std::vector<double> replicates;  // the statistic on each resample, in resample order (B values)
};

// One problem's graded samples: how many, and how many were correct.
struct ProblemCounts {
  std::int64_t samples = 0;
  std::int64_t correct = 0;
};

// pass@1 = the mean over problems of correct/samples. Throws std::invalid_argument for no problems, a problem
// with no samples or with correct outside [0, samples], or bad options.
BootstrapResult bootstrap_pass_at_1(std::span<const ProblemCounts> problems, const BootstrapOptions& options);

// A statistic of per-problem values (one resample at a time).
using Statistic = std::function<double(std::span<const double>)>;

double mean(std::span<const double> values);

// Resamples the per-problem values with replacement and applies `statistic` (the mean when empty) to each
// resample. Throws std::invalid_argument for no values or bad options.
BootstrapResult bootstrap_problems(std::span<const double> per_problem, const BootstrapOptions& options,
                                   const Statistic& statistic = {});

// The stratified bootstrap of the unweighted mean over groups (suites) of each group's statistic: the estimate is
// the mean of the groups' estimates, replicate r the mean of the groups' replicates r (each group was resampled on
// its own streams, so the groups are resampled independently), and the interval is the percentile interval of
// those means. Throws std::invalid_argument for no groups, groups with different numbers of replicates, or a
// confidence outside (0, 1).
BootstrapResult mean_over_groups(std::span<const BootstrapResult* const> groups, double confidence);

// The linearly interpolated q-quantile (0 <= q <= 1) of sorted, non-empty values (R's type 7).
double sorted_quantile(std::span<const double> sorted, double q);

// The central `confidence` interval of the replicates: their (1-confidence)/2 and (1+confidence)/2 quantiles.
std::pair<double, double> percentile_interval(std::vector<double> replicates, double confidence);

// Two-sided bootstrap p-value for "the statistic equals null_value": the share of replicates on the other side of
// null_value from the observed value (ties count against), doubled, with a +1 correction so it is never 0:
// min(1, 2 (count + 1) / (B + 1)).
double two_sided_p_value(std::span<const double> replicates, double observed, double null_value);

}  // namespace r1eval::evals::metrics
