#include "evals/metrics/run_metrics.h"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "evals/metrics/bootstrap.h"
#include "evals/metrics/pass_at_k.h"
#include "evals/metrics/random.h"
#include "evals/metrics/sample_groups.h"

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

// The metrics of one group of problems (a suite, or every problem for "all").
class GroupMetrics {
 public:
  GroupMetrics(std::string name, std::vector<const ProblemSamples*> problems, const MetricOptions& options,
               EquivalenceLookup& equivalences)
      : name_(std::move(name)), problems_(std::move(problems)), options_(options), equivalences_(equivalences) {
    for (const ProblemSamples* p : problems_) {
      min_samples_ = min_samples_ == 0 ? p->count() : std::min(min_samples_, p->count());
    }
  }

  void append_to(std::vector<MetricRow>& out) {
    add_pass_at_1(out);
    for (const std::int64_t k : pass_at_k_levels()) add_pass_at_k(out, k);
    if (min_samples_ >= 2) add_cons(out);
    add_sample_rates(out);
  }

 private:
  // K = 2, 4, 8, ... up to the smallest sample count, and that count itself.
  std::vector<std::int64_t> pass_at_k_levels() const {
    std::vector<std::int64_t> ks;
    for (std::int64_t k = 2; k <= min_samples_; k *= 2) ks.push_back(k);
    if (min_samples_ >= 2 && ks.back() != min_samples_) ks.push_back(min_samples_);
    return ks;
  }

  BootstrapOptions bootstrap_for(const std::string& metric) const {
    BootstrapOptions b;
    b.resamples = options_.bootstrap_resamples;
    b.seed = stream_seed(options_.seed, name_hash(name_ + "/" + metric));
    return b;
  }

  MetricRow row(const std::string& metric, double value) const {
    MetricRow r;
    r.suite = name_;
    r.metric = metric;
    r.value = value;
    r.n = static_cast<std::int64_t>(problems_.size());
    return r;
  }

  MetricRow row(const std::string& metric, const BootstrapResult& result) const {
    MetricRow r = row(metric, result.estimate);
    r.ci_low = result.ci_low;
    r.ci_high = result.ci_high;
    return r;
  }

  void add_pass_at_1(std::vector<MetricRow>& out) const {
    std::vector<ProblemCounts> counts;
    counts.reserve(problems_.size());
    for (const ProblemSamples* p : problems_) counts.push_back({p->count(), p->correct()});
    out.push_back(row("pass@1", bootstrap_pass_at_1(counts, bootstrap_for("pass@1"))));
  }

  void add_pass_at_k(std::vector<MetricRow>& out, std::int64_t k) const {
    std::vector<double> per_problem;
    per_problem.reserve(problems_.size());
    for (const ProblemSamples* p : problems_) per_problem.push_back(pass_at_k(p->count(), p->correct(), k));
    const std::string metric = "pass@" + std::to_string(k);
    out.push_back(row(metric, bootstrap_problems(per_problem, bootstrap_for(metric))));
  }

  // Majority vote over each problem's first min_samples_ samples (by sample index).
  void add_cons(std::vector<MetricRow>& out) const {
    std::vector<double> per_problem;
    per_problem.reserve(problems_.size());
    std::vector<VoteSample> votes;
    for (const ProblemSamples* p : problems_) {
      votes.clear();
      for (std::int64_t s = 0; s < min_samples_; ++s) {
        const SampleRow& sample = *p->samples[static_cast<std::size_t>(s)];
        votes.push_back(VoteSample{sample.extracted, sample.correct, sample.has_answer});
      }
      per_problem.push_back(majority_vote(votes, equivalences_.for_suite(p->suite)).correct ? 1.0 : 0.0);
    }
    const std::string metric = "cons@" + std::to_string(min_samples_);
    out.push_back(row(metric, bootstrap_problems(per_problem, bootstrap_for(metric))));
  }

  void add_sample_rates(std::vector<MetricRow>& out) const {
    double format_ok = 0.0, truncated = 0.0, no_answer = 0.0, language = 0.0, tokens = 0.0;
    std::int64_t samples = 0;
    for (const ProblemSamples* p : problems_) {
      for (const SampleRow* s : p->samples) {
        format_ok += s->format_ok ? 1.0 : 0.0;
        truncated += s->finish_reason == "length" ? 1.0 : 0.0;
        no_answer += s->has_answer ? 0.0 : 1.0;
        language += s->language_share;
        tokens += static_cast<double>(s->completion_tokens);
        ++samples;
      }
    }
    const auto per_sample = [&](double total) { return total / static_cast<double>(samples); };
    out.push_back(row("format_compliance", per_sample(format_ok)));
    out.push_back(row("truncation_rate", per_sample(truncated)));
    out.push_back(row("no_answer_rate", per_sample(no_answer)));
    out.push_back(row("language_consistency", per_sample(language)));
    out.push_back(row("tokens_per_sample", per_sample(tokens)));
    out.push_back(row("problems", static_cast<double>(problems_.size())));
    out.push_back(row("samples", static_cast<double>(samples)));
  }

  std::string name_;
  std::vector<const ProblemSamples*> problems_;
  const MetricOptions& options_;
  EquivalenceLookup& equivalences_;
  std::int64_t min_samples_ = 0;
};

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
  std::vector<const SuiteSamples*> by_name;
  for (const SuiteSamples& suite : suites) {
    if (suite.suite == kAllSuites) {
      throw std::invalid_argument(std::string("metrics: the suite name '") + kAllSuites +
                                  "' is reserved for the whole-run figures");
    }
    std::vector<const ProblemSamples*> problems;
    for (const ProblemSamples& p : suite.problems) problems.push_back(&p);
    GroupMetrics(suite.suite, std::move(problems), options, equivalences).append_to(out);
    by_name.push_back(&suite);
  }
  // The pooled group in suite-name order, so its interval does not depend on the order the rows came in.
  std::sort(by_name.begin(), by_name.end(),
            [](const SuiteSamples* a, const SuiteSamples* b) { return a->suite < b->suite; });
  std::vector<const ProblemSamples*> all;
  for (const SuiteSamples* suite : by_name) {
    for (const ProblemSamples& p : suite->problems) all.push_back(&p);
  }
  GroupMetrics(kAllSuites, std::move(all), options, equivalences).append_to(out);
  return out;
}

}  // namespace r1eval::evals::metrics
