#include "evals/metrics/compare.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include "evals/metrics/random.h"
#include "evals/metrics/run_metrics.h"
#include "evals/metrics/sample_groups.h"

namespace r1eval::evals::metrics {
namespace {

void check_alpha(double alpha) {
  if (!(alpha > 0.0 && alpha < 1.0)) {
    throw std::invalid_argument("compare: alpha must lie strictly between 0 and 1 (got " + std::to_string(alpha) +
                                ")");
  }
}

BootstrapOptions bootstrap_options(const std::string& suite, const CompareOptions& options) {
  BootstrapOptions b;
  b.resamples = options.resamples;
  b.seed = stream_seed(options.seed, name_hash(suite));
  b.confidence = 1.0 - options.alpha;
  return b;
}

// Fills delta's interval, p-value and verdicts from the bootstrap replicates of the run's statistic, which is
// compared with `null_value` (0 for a paired delta, the figure for a published baseline).
void judge(Comparison& c, const BootstrapResult& boot, double null_value, double alpha) {
  c.ci_low = boot.ci_low - null_value;
  c.ci_high = boot.ci_high - null_value;
  c.p_value = two_sided_p_value(boot.replicates, boot.estimate, null_value);
  c.significant_regression = c.ci_high < 0.0 && c.p_value < alpha;
  c.significant_improvement = c.ci_low > 0.0 && c.p_value < alpha;
}

double mean_correct(const ProblemSamples& p) {
  return static_cast<double>(p.correct()) / static_cast<double>(p.count());
}

std::vector<ProblemCounts> counts_of(const std::vector<const ProblemSamples*>& problems) {
  std::vector<ProblemCounts> counts;
  counts.reserve(problems.size());
  for (const ProblemSamples* p : problems) counts.push_back({p->count(), p->correct()});
  return counts;
}

// The paired bootstrap of one suite's per-problem differences. The mean of paired differences is the difference of
// the means on every resample, so resampling the differences is the paired bootstrap.
BootstrapResult paired_bootstrap(const std::string& suite, std::span<const double> run,
                                 std::span<const double> baseline, const CompareOptions& options) {
  check_alpha(options.alpha);
  if (run.size() != baseline.size()) {
    throw std::invalid_argument("compare '" + suite + "': " + std::to_string(run.size()) + " run values against " +
                                std::to_string(baseline.size()) + " baseline values; a paired comparison needs one "
                                "of each per problem");
  }
  if (run.empty()) throw std::invalid_argument("compare '" + suite + "': no shared problems");
  std::vector<double> differences(run.size());
  for (std::size_t i = 0; i < run.size(); ++i) differences[i] = run[i] - baseline[i];
  return bootstrap_problems(differences, bootstrap_options(suite, options));
}

Comparison paired_comparison(const std::string& suite, double run_value, double baseline_value, std::int64_t shared,
                             const BootstrapResult& boot, double alpha) {
  Comparison c;
  c.metric = "pass@1";
  c.suite = suite;
  c.run_value = run_value;
  c.baseline_value = baseline_value;
  c.delta = boot.estimate;
  c.n_shared = shared;
  judge(c, boot, 0.0, alpha);
  return c;
}

}  // namespace

Comparison compare_paired(const std::string& suite, std::span<const double> run, std::span<const double> baseline,
                          const CompareOptions& options) {
  const BootstrapResult boot = paired_bootstrap(suite, run, baseline, options);
  return paired_comparison(suite, mean(run), mean(baseline), static_cast<std::int64_t>(run.size()), boot,
                           options.alpha);
}

Comparison compare_with_figure(const std::string& suite, std::span<const ProblemCounts> run, double figure,
                               const CompareOptions& options) {
  check_alpha(options.alpha);
  if (!(figure >= 0.0 && figure <= 1.0)) {
    throw std::invalid_argument("compare '" + suite + "': the published figure " + std::to_string(figure) +
                                " is not a fraction in [0, 1] (write 79.8% as 0.798)");
  }
  if (run.empty()) throw std::invalid_argument("compare '" + suite + "': the run has no problems");
  const BootstrapResult boot = bootstrap_pass_at_1(run, bootstrap_options(suite, options));
  Comparison c;
  c.metric = "pass@1";
  c.suite = suite;
  c.run_value = boot.estimate;
  c.baseline_value = figure;
  c.delta = boot.estimate - figure;
  c.n_shared = static_cast<std::int64_t>(run.size());
  judge(c, boot, figure, options.alpha);
  return c;
}

std::vector<Comparison> compare_runs(std::span<const reports::db::SampleRow> run,
                                     std::span<const reports::db::SampleRow> baseline, const CompareOptions& options) {
  check_alpha(options.alpha);
  const std::vector<SuiteSamples> run_suites = group_samples(run);
  const std::vector<SuiteSamples> baseline_suites = group_samples(baseline);
  std::map<std::string, const SuiteSamples*> baseline_by_name;
  for (const SuiteSamples& s : baseline_suites) baseline_by_name[s.suite] = &s;

  std::vector<Comparison> out;
  // Per suite with a shared problem: its bootstrap and means, for "all", in suite-name order (the map's) so that
  // "all" does not depend on the order the rows came in.
  struct SharedSuite {
    BootstrapResult boot;
    double run_value = 0.0;
    double baseline_value = 0.0;
    std::int64_t shared = 0;
  };
  std::map<std::string, SharedSuite> shared_by_suite;
  for (const SuiteSamples& suite : run_suites) {
    const auto found = baseline_by_name.find(suite.suite);
    if (found == baseline_by_name.end()) continue;
    std::map<std::string, const ProblemSamples*> baseline_problems;
    for (const ProblemSamples& p : found->second->problems) {
      if (p.scored()) baseline_problems[p.problem_id] = &p;
    }
    std::vector<double> run_means, baseline_means;
    for (const ProblemSamples& p : suite.problems) {
      const auto twin = baseline_problems.find(p.problem_id);
      if (!p.scored() || twin == baseline_problems.end()) continue;  // a problem with only errors says nothing
      run_means.push_back(mean_correct(p));
      baseline_means.push_back(mean_correct(*twin->second));
    }
    if (run_means.empty()) continue;
    SharedSuite shared{paired_bootstrap(suite.suite, run_means, baseline_means, options), mean(run_means),
                       mean(baseline_means), static_cast<std::int64_t>(run_means.size())};
    out.push_back(paired_comparison(suite.suite, shared.run_value, shared.baseline_value, shared.shared, shared.boot,
                                    options.alpha));
    shared_by_suite.emplace(suite.suite, std::move(shared));
  }
  if (!shared_by_suite.empty()) {
    // "all" as the run's metrics define it: the mean over suites (each weighing 1), stratified bootstrap.
    std::vector<const BootstrapResult*> groups;
    double run_value = 0.0, baseline_value = 0.0;
    std::int64_t shared = 0;
    for (const auto& [name, suite] : shared_by_suite) {
      groups.push_back(&suite.boot);
      run_value += suite.run_value;
      baseline_value += suite.baseline_value;
      shared += suite.shared;
    }
    const auto count = static_cast<double>(groups.size());
    out.push_back(paired_comparison(kAllSuites, run_value / count, baseline_value / count, shared,
                                    mean_over_groups(groups, 1.0 - options.alpha), options.alpha));
  }
  return out;
}

std::vector<Comparison> compare_with_figures(std::span<const reports::db::SampleRow> run,
                                             std::span<const PublishedFigure> figures, const CompareOptions& options) {
  check_alpha(options.alpha);
  std::vector<SuiteSamples> suites = group_samples(run);
  std::sort(suites.begin(), suites.end(),
            [](const SuiteSamples& a, const SuiteSamples& b) { return a.suite < b.suite; });
  std::vector<Comparison> out;
  for (const PublishedFigure& figure : figures) {
    std::vector<const ProblemSamples*> problems;
    for (const SuiteSamples& suite : suites) {
      if (figure.suite != kAllSuites && suite.suite != figure.suite) continue;
      for (const ProblemSamples& p : suite.problems) {
        if (p.scored()) problems.push_back(&p);
      }
    }
    if (problems.empty()) continue;
    out.push_back(compare_with_figure(figure.suite, counts_of(problems), figure.pass_at_1, options));
  }
  return out;
}

}  // namespace r1eval::evals::metrics
