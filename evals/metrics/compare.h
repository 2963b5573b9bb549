// Is a run better or worse than a baseline, or is the difference noise? (`r1eval compare`)
//
// Against another run: a paired bootstrap over the problems both runs share (same suite and problem id) and have a
// scored sample in. Each
// problem contributes its mean correctness in each run; resampling the shared problems gives the distribution of
// delta = mean(run) - mean(baseline). Against a published figure (paper baselines have no per-problem data): delta
// = the run's pass@1 - the figure, with the two-level bootstrap distribution of the run's pass@1 (problems x
// samples) giving the interval and p-value.
// The interval is the central 1 - alpha percentile interval; the p-value is two_sided_p_value (bootstrap.h) at 0.
// A significant regression: the interval lies below 0 and p < alpha; a significant improvement: above 0, p < alpha.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "evals/metrics/bootstrap.h"
#include "reports/db/results_db.h"
#include "reports/render/report_data.h"

namespace r1eval::evals::metrics {

struct CompareOptions {
  double alpha = 0.05;            // significance level; the interval covers 1 - alpha
  std::int64_t resamples = 2000;
  std::uint64_t seed = 0;         // each suite draws from its own stream under this seed
};

// One suite's verdict: the row type reports render (suite, metric "pass@1", run and baseline values, delta with
// its interval, p-value, problems compared, significant regression / improvement).
using Comparison = reports::render::ComparisonRow;

// Paired comparison of per-problem mean correctness; run[i] and baseline[i] are the same problem. Throws
// std::invalid_argument for lengths that differ, no problems, or alpha outside (0, 1).
Comparison compare_paired(const std::string& suite, std::span<const double> run, std::span<const double> baseline,
                          const CompareOptions& options);

// The run's pass@1 against a fixed figure (a fraction in [0, 1]). Throws std::invalid_argument for a figure
// outside [0, 1] (a percentage given by mistake), no problems, or alpha outside (0, 1).
Comparison compare_with_figure(const std::string& suite, std::span<const ProblemCounts> run, double figure,
                               const CompareOptions& options);

// Per suite the two runs share (in the run's order; suites with no shared problem are left out), then "all" when
// there is one: as the run's metrics define it, the mean over those suites of each suite's figures (each suite
// weighs 1), its interval the stratified bootstrap of the suites' paired replicates (mean_over_groups). Only scored
// samples count (graders::is_scored); a problem with none in either run is not shared.
std::vector<Comparison> compare_runs(std::span<const reports::db::SampleRow> run,
                                     std::span<const reports::db::SampleRow> baseline, const CompareOptions& options);

// A published pass@1 for one suite ("all": the run's pooled pass@1).
struct PublishedFigure {
  std::string suite;
  double pass_at_1 = 0.0;  // as a fraction: 79.8% is 0.798
};

// One comparison per figure whose suite the run has, in the figures' order.
std::vector<Comparison> compare_with_figures(std::span<const reports::db::SampleRow> run,
                                             std::span<const PublishedFigure> figures, const CompareOptions& options);

}  // namespace r1eval::evals::metrics
