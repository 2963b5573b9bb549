#include "evals/metrics/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <tuple>

#include "evals/metrics/random.h"

namespace r1eval::evals::metrics {
namespace {

void check_options(const BootstrapOptions& options) {
  if (options.resamples < 1) {
    throw std::invalid_argument("bootstrap: resamples must be at least 1 (got " + std::to_string(options.resamples) +
                                ")");
  }
  if (!(options.confidence > 0.0 && options.confidence < 1.0)) {
    throw std::invalid_argument("bootstrap: confidence must lie strictly between 0 and 1 (got " +
                                std::to_string(options.confidence) + ")");
  }
}

double pass_at_1_of(std::span<const ProblemCounts> problems) {
  double sum = 0.0;
  for (const ProblemCounts& p : problems) sum += static_cast<double>(p.correct) / static_cast<double>(p.samples);
  return sum / static_cast<double>(problems.size());
}

BootstrapResult finish(double estimate, std::vector<double> replicates, double confidence) {
  BootstrapResult result;
  result.estimate = estimate;
  std::tie(result.ci_low, result.ci_high) = percentile_interval(replicates, confidence);
  result.replicates = std::move(replicates);
  return result;
}

}  // namespace

double mean(std::span<const double> values) {
  if (values.empty()) return 0.0;
  double sum = 0.0;
  for (const double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

BootstrapResult bootstrap_pass_at_1(std::span<const ProblemCounts> problems, const BootstrapOptions& options) {
  check_options(options);
  if (problems.empty()) throw std::invalid_argument("bootstrap of pass@1 over zero problems");
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const ProblemCounts& p = problems[i];
    if (p.samples < 1 || p.correct < 0 || p.correct > p.samples) {
      throw std::invalid_argument("bootstrap of pass@1: problem " + std::to_string(i) + " has " +
                                  std::to_string(p.correct) + " correct of " + std::to_string(p.samples) +
                                  " samples (needs at least one sample and 0 <= correct <= samples)");
    }
  }
  const auto count = static_cast<std::uint64_t>(problems.size());
  std::vector<double> replicates(static_cast<std::size_t>(options.resamples));
  for (std::size_t b = 0; b < replicates.size(); ++b) {
    SplitMix64 rng(stream_seed(options.seed, b));
    double sum = 0.0;
    for (std::uint64_t draw = 0; draw < count; ++draw) {
      const ProblemCounts& p = problems[rng.below(count)];
      // Resampling a problem's samples: the samples are exchangeable, so draw indices and call the first
      // `correct` of them correct. All-correct and all-wrong problems resample to themselves.
      std::int64_t correct = p.correct;
      if (p.correct != 0 && p.correct != p.samples) {
        correct = 0;
        for (std::int64_t s = 0; s < p.samples; ++s) {
          if (rng.below(static_cast<std::uint64_t>(p.samples)) < static_cast<std::uint64_t>(p.correct)) ++correct;
        }
      }
      sum += static_cast<double>(correct) / static_cast<double>(p.samples);
    }
    replicates[b] = sum / static_cast<double>(count);
  }
  return finish(pass_at_1_of(problems), std::move(replicates), options.confidence);
}

BootstrapResult bootstrap_problems(std::span<const double> per_problem, const BootstrapOptions& options,
                                   const Statistic& statistic) {
  check_options(options);
  if (per_problem.empty()) throw std::invalid_argument("bootstrap over zero problems");
  const Statistic& apply = statistic ? statistic : Statistic(mean);
  const auto count = static_cast<std::uint64_t>(per_problem.size());
  std::vector<double> resample(per_problem.size());
  std::vector<double> replicates(static_cast<std::size_t>(options.resamples));
  for (std::size_t b = 0; b < replicates.size(); ++b) {
    SplitMix64 rng(stream_seed(options.seed, b));
    for (double& v : resample) v = per_problem[rng.below(count)];
    replicates[b] = apply(resample);
  }
  return finish(apply(per_problem), std::move(replicates), options.confidence);
}

BootstrapResult mean_over_groups(std::span<const BootstrapResult* const> groups, double confidence) {
  if (groups.empty()) throw std::invalid_argument("stratified bootstrap over zero groups");
  const std::size_t resamples = groups.front()->replicates.size();
  std::vector<double> replicates(resamples, 0.0);
  double estimate = 0.0;
  for (const BootstrapResult* group : groups) {
    if (group->replicates.size() != resamples) {
      throw std::invalid_argument("stratified bootstrap: groups with " + std::to_string(resamples) + " and " +
                                  std::to_string(group->replicates.size()) + " replicates");
    }
    estimate += group->estimate;
    for (std::size_t r = 0; r < resamples; ++r) replicates[r] += group->replicates[r];
  }
  const auto count = static_cast<double>(groups.size());
  for (double& r : replicates) r /= count;
  return finish(estimate / count, std::move(replicates), confidence);
}

double sorted_quantile(std::span<const double> sorted, double q) {
  if (sorted.empty()) throw std::invalid_argument("quantile of no values");
  if (!(q >= 0.0 && q <= 1.0)) throw std::invalid_argument("quantile level must lie in [0, 1]");
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  const double frac = h - static_cast<double>(lo);
  return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

std::pair<double, double> percentile_interval(std::vector<double> replicates, double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw std::invalid_argument("percentile interval: confidence must lie strictly between 0 and 1");
  }
  std::sort(replicates.begin(), replicates.end());
  const double tail = (1.0 - confidence) / 2.0;
  return {sorted_quantile(replicates, tail), sorted_quantile(replicates, 1.0 - tail)};
}

double two_sided_p_value(std::span<const double> replicates, double observed, double null_value) {
  if (replicates.empty()) throw std::invalid_argument("p-value from no bootstrap replicates");
  std::size_t other_side = 0;
  for (const double r : replicates) {
    if (observed >= null_value ? r <= null_value : r >= null_value) ++other_side;
  }
  const double p = 2.0 * static_cast<double>(other_side + 1) / static_cast<double>(replicates.size() + 1);
  return std::min(1.0, p);
}

}  // namespace r1eval::evals::metrics
