#include "evals/metrics/run_metrics.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include "evals/metrics/bootstrap.h"
#include "evals/metrics/pass_at_k.h"
#include "evals/metrics/random.h"
#include "evals/metrics/sample_groups.h"
#include "evals/metrics/wilson.h"

namespace r1eval::evals::metrics {
namespace {

using reports::db::MetricRow;
using reports::db::SampleRow;

// Each suite's equivalence predicate, asked for once.
class EquivalenceLookup {
 public:
  explicit EquivalenceLookup(const MetricOptions& options) : options_(options) {}

  const AnswerEquivalence& for_suite(const std::string& suite) {
    auto [it, inserted] = cache_.try_emplace(suite);
    if (inserted) {
      if (options_.equivalence_for_suite) it->second = options_.equivalence_for_suite(suite);
      if (!it->second) it->second = exact_answer_match;
    }
    return it->second;
  }

 private:
  const MetricOptions& options_;
  std::map<std::string, AnswerEquivalence> cache_;
};

// A figure with an interval: each problem's value and the bootstrap over them.
struct Figure {
  std::vector<double> per_problem;
  BootstrapResult bootstrap;
};

// The per-sample rates of the model's output, in the order the rows list them.
constexpr const char* kRateNames[] = {"format_compliance", "truncation_rate", "no_answer_rate", "language_consistency",
                                      "tokens_per_sample"};
constexpr std::size_t kRateCount = std::size(kRateNames);

// K = 2, 4, 8, ... up to the smallest sample count, and that count itself.
std::vector<std::int64_t> pass_at_k_levels(std::int64_t min_samples) {
  std::vector<std::int64_t> ks;
  for (std::int64_t k = 2; k <= min_samples; k *= 2) ks.push_back(k);
  if (min_samples >= 2 && ks.back() != min_samples) ks.push_back(min_samples);
  return ks;
}

MetricRow row(const std::string& suite, const std::string& metric, double value, std::int64_t n) {
  MetricRow r;
  r.suite = suite;
  r.metric = metric;
  r.value = value;
  r.n = n;
  return r;
}

// The row of a figure with its bootstrap interval, floored by the Wilson interval when every problem passed or
// every problem failed (wilson.h).
MetricRow interval_row(const std::string& suite, const std::string& metric, const BootstrapResult& result,
                       std::span<const double> per_problem) {
  MetricRow r = row(suite, metric, result.estimate, static_cast<std::int64_t>(per_problem.size()));
  const Interval interval = floor_with_wilson({result.ci_low, result.ci_high}, per_problem);
  r.ci_low = interval.low;
  r.ci_high = interval.high;
  return r;
}

// One suite's figures over its scored problems, each computed once: the suite's rows show them and the "all" rows
// average them, replicate by replicate.
class SuiteFigures {
 public:
  SuiteFigures(const SuiteSamples& suite, const MetricOptions& options, EquivalenceLookup& equivalences)
      : suite_(suite), options_(options), equivalences_(equivalences) {
    for (const ProblemSamples& p : suite_.problems) {
      samples_ += p.count() + p.errors;
      errors_ += p.errors;
      if (!p.scored()) continue;  // every sample an error: the problem says nothing about the model
      scored_.push_back(&p);
      min_samples_ = min_samples_ == 0 ? p.count() : std::min(min_samples_, p.count());
    }
  }

  const std::string& name() const { return suite_.suite; }
  const std::vector<const ProblemSamples*>& scored_problems() const { return scored_; }
  std::int64_t min_samples() const { return min_samples_; }  // over scored problems; 0 when none
  std::int64_t problems() const { return static_cast<std::int64_t>(suite_.problems.size()); }
  std::int64_t samples() const { return samples_; }
  std::int64_t errors() const { return errors_; }

  const Figure& pass_at_1() {
    return cached("pass@1", [&](Figure& f) {
      std::vector<ProblemCounts> counts;
      for (const ProblemSamples* p : scored_) {
        counts.push_back({p->count(), p->correct()});
        f.per_problem.push_back(static_cast<double>(p->correct()) / static_cast<double>(p->count()));
      }
      f.bootstrap = bootstrap_pass_at_1(counts, bootstrap_for("pass@1"));
    });
  }

  const Figure& pass_at(std::int64_t k) {
    const std::string metric = "pass@" + std::to_string(k);
    return cached(metric, [&](Figure& f) {
      for (const ProblemSamples* p : scored_) f.per_problem.push_back(pass_at_k(p->count(), p->correct(), k));
      f.bootstrap = bootstrap_problems(f.per_problem, bootstrap_for(metric));
    });
  }

  // Majority vote over each problem's first n scored samples (by sample index).
  const Figure& cons(std::int64_t n) {
    const std::string metric = "cons@" + std::to_string(n);
    return cached(metric, [&](Figure& f) {
      std::vector<VoteSample> votes;
      for (const ProblemSamples* p : scored_) {
        votes.clear();
        for (std::int64_t s = 0; s < n; ++s) {
          const SampleRow& sample = *p->samples[static_cast<std::size_t>(s)];
          votes.push_back(VoteSample{sample.extracted, sample.correct, sample.has_answer});
        }
        f.per_problem.push_back(majority_vote(votes, equivalences_.for_suite(name())).score);
      }
      f.bootstrap = bootstrap_problems(f.per_problem, bootstrap_for(metric));
    });
  }

  // The rates of kRateNames over the scored samples.
  std::array<double, kRateCount> rates() const {
    std::array<double, kRateCount> totals{};
    double samples = 0.0;
    for (const ProblemSamples* p : scored_) {
      for (const SampleRow* s : p->samples) {
        totals[0] += s->format_ok ? 1.0 : 0.0;
        totals[1] += s->finish_reason == "length" ? 1.0 : 0.0;
        totals[2] += s->has_answer ? 0.0 : 1.0;
        totals[3] += s->language_share;
        totals[4] += static_cast<double>(s->completion_tokens);
        samples += 1.0;
      }
    }
    for (double& total : totals) total /= samples;
    return totals;
  }

 private:
  template <typename Compute>
  const Figure& cached(const std::string& metric, Compute compute) {
    auto [it, inserted] = figures_.try_emplace(metric);
    if (inserted) compute(it->second);
    return it->second;
  }

  BootstrapOptions bootstrap_for(const std::string& metric) const {
    BootstrapOptions b;
    b.resamples = options_.bootstrap_resamples;
    b.seed = stream_seed(options_.seed, name_hash(name() + "/" + metric));
    return b;
  }

  const SuiteSamples& suite_;
  const MetricOptions& options_;
  EquivalenceLookup& equivalences_;
  std::vector<const ProblemSamples*> scored_;
  std::int64_t min_samples_ = 0;
  std::int64_t samples_ = 0;
  std::int64_t errors_ = 0;
  std::map<std::string, Figure> figures_;
};

// problems, samples, errors and error_rate: over every stored sample, scored or not.
void append_counts(const std::string& suite, std::int64_t problems, std::int64_t samples, std::int64_t errors,
                   std::vector<MetricRow>& out) {
  out.push_back(row(suite, "problems", static_cast<double>(problems), problems));
  out.push_back(row(suite, "samples", static_cast<double>(samples), problems));
  out.push_back(row(suite, "errors", static_cast<double>(errors), problems));
  out.push_back(row(suite, "error_rate", static_cast<double>(errors) / static_cast<double>(samples), problems));
}

void append_suite(SuiteFigures& suite, std::vector<MetricRow>& out) {
  const std::string& name = suite.name();
  if (!suite.scored_problems().empty()) {
    const auto append = [&](const std::string& metric, const Figure& f) {
      out.push_back(interval_row(name, metric, f.bootstrap, f.per_problem));
    };
    append("pass@1", suite.pass_at_1());
    for (const std::int64_t k : pass_at_k_levels(suite.min_samples()))
      append("pass@" + std::to_string(k), suite.pass_at(k));
    if (suite.min_samples() >= 2)
      append("cons@" + std::to_string(suite.min_samples()), suite.cons(suite.min_samples()));
    const auto rates = suite.rates();
    const auto n = static_cast<std::int64_t>(suite.scored_problems().size());
    for (std::size_t i = 0; i < kRateCount; ++i) out.push_back(row(name, kRateNames[i], rates[i], n));
  }
  append_counts(name, suite.problems(), suite.samples(), suite.errors(), out);
}

// "all": each figure the unweighted mean over the suites with a scored problem, its interval the stratified
// bootstrap of that mean; pass@1_pooled over every scored problem; counts summed.
void append_all(const std::vector<SuiteFigures*>& suites, const MetricOptions& options, std::vector<MetricRow>& out) {
  std::vector<SuiteFigures*> scored;
  std::int64_t problems = 0, samples = 0, errors = 0;
  for (SuiteFigures* s : suites) {
    problems += s->problems();
    samples += s->samples();
    errors += s->errors();
    if (!s->scored_problems().empty()) scored.push_back(s);
  }
  if (!scored.empty()) {
    std::int64_t min_samples = scored.front()->min_samples();
    for (const SuiteFigures* s : scored) min_samples = std::min(min_samples, s->min_samples());
    const auto append_mean = [&](const std::string& metric, auto figure_of) {
      std::vector<const BootstrapResult*> groups;
      std::vector<double> per_problem;  // every suite's, for the Wilson floor when all passed or all failed
      for (SuiteFigures* s : scored) {
        const Figure& f = figure_of(*s);
        groups.push_back(&f.bootstrap);
        per_problem.insert(per_problem.end(), f.per_problem.begin(), f.per_problem.end());
      }
      out.push_back(
          interval_row(kAllSuites, metric, mean_over_groups(groups, BootstrapOptions{}.confidence), per_problem));
    };
    append_mean("pass@1", [](SuiteFigures& s) -> const Figure& { return s.pass_at_1(); });
    for (const std::int64_t k : pass_at_k_levels(min_samples)) {
      append_mean("pass@" + std::to_string(k), [k](SuiteFigures& s) -> const Figure& { return s.pass_at(k); });
    }
    if (min_samples >= 2) {
      append_mean("cons@" + std::to_string(min_samples),
                  [min_samples](SuiteFigures& s) -> const Figure& { return s.cons(min_samples); });
    }
    // The pooled figure, every problem weighing 1 whatever its suite's size; the stream is the one the pooled
    // pass@1 of "all" always drew from, so it equals the "all" pass@1 of runs stored before the average.
    std::vector<ProblemCounts> counts;
    std::vector<double> per_problem;
    for (const SuiteFigures* s : scored) {
      for (const ProblemSamples* p : s->scored_problems()) {
        counts.push_back({p->count(), p->correct()});
        per_problem.push_back(static_cast<double>(p->correct()) / static_cast<double>(p->count()));
      }
    }
    BootstrapOptions pooled;
    pooled.resamples = options.bootstrap_resamples;
    pooled.seed = stream_seed(options.seed, name_hash(std::string(kAllSuites) + "/pass@1"));
    out.push_back(interval_row(kAllSuites, kPooledPassAt1, bootstrap_pass_at_1(counts, pooled), per_problem));

    std::array<double, kRateCount> means{};
    for (const SuiteFigures* s : scored) {
      const auto rates = s->rates();
      for (std::size_t i = 0; i < kRateCount; ++i) means[i] += rates[i] / static_cast<double>(scored.size());
    }
    for (std::size_t i = 0; i < kRateCount; ++i) {
      out.push_back(row(kAllSuites, kRateNames[i], means[i], static_cast<std::int64_t>(per_problem.size())));
    }
  }
  append_counts(kAllSuites, problems, samples, errors, out);
}

}  // namespace

std::vector<MetricRow> compute_run_metrics(std::span<const SampleRow> rows, const MetricOptions& options) {
  if (options.bootstrap_resamples < 1) {
    throw std::invalid_argument("metrics: bootstrap resamples must be at least 1 (got " +
                                std::to_string(options.bootstrap_resamples) + ")");
  }
  const std::vector<SuiteSamples> suites = group_samples(rows);
  std::vector<MetricRow> out;
  if (suites.empty()) return out;
  EquivalenceLookup equivalences(options);
  std::vector<SuiteFigures> figures;
  figures.reserve(suites.size());
  for (const SuiteSamples& suite : suites) {
    if (suite.suite == kAllSuites) {
      throw std::invalid_argument(std::string("metrics: the suite name '") + kAllSuites +
                                  "' is reserved for the whole-run figures");
    }
    figures.emplace_back(suite, options, equivalences);
  }
  for (SuiteFigures& suite : figures) append_suite(suite, out);
  // "all" over the suites in name order, so its figures do not depend on the order the rows came in.
  std::vector<SuiteFigures*> by_name;
  for (SuiteFigures& suite : figures) by_name.push_back(&suite);
  std::sort(by_name.begin(), by_name.end(),
            [](const SuiteFigures* a, const SuiteFigures* b) { return a->name() < b->name(); });
  append_all(by_name, options, out);
  return out;
}

}  // namespace r1eval::evals::metrics
