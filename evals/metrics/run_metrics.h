// The metrics of one run, per suite and for the whole run (suite "all"), as rows for the results database.
//
// Metric names (the README quotes this list). Only scored samples (graders::is_scored: a verdict on the model's
// answer) count in the figures of the model's output; errors (sandbox_error, not_generated, grader_error) count only
// in errors and error_rate. A problem with no scored sample drops out of those figures, and their n counts only
// problems with a scored sample.
//   pass@1                mean over problems of the share of correct samples (R1's definition), with a 95%
//                         two-level bootstrap interval over problems x samples
//   pass@K                unbiased pass@k, averaged over problems, for K = 2, 4, 8, 16, ... <= N and K = N, where
//                         N is the smallest number of scored samples of any problem; 95% bootstrap interval over
//                         problems
//   cons@N                majority vote over each problem's first N scored samples, answers grouped by the suite's
//                         equivalence (only when N >= 2); a tie scores the share of the tied classes that are
//                         correct (majority_vote.h); 95% bootstrap interval over problems
//   pass@1_pooled         suite "all" only: pass@1 over every problem of the run, each weighing 1 (so a large suite
//                         outweighs a small one), with its two-level bootstrap interval
//   format_compliance     share of samples well-formed for the run's template (format_ok)
//   truncation_rate       share of samples that hit the token limit (finish_reason "length")
//   no_answer_rate        share of samples from which no answer could be extracted
//   language_consistency  mean over samples of language_share
//   tokens_per_sample     mean completion tokens per sample
//   problems              number of problems stored (n: the same)
//   samples               number of samples stored, scored or not (n: problems)
//   errors                number of samples whose outcome is an error, not a verdict (n: problems)
//   error_rate            errors / samples (n: problems)
// An interval whose problems all passed or all failed (zero width by bootstrap) is widened to cover the 95% Wilson
// interval of n or 0 successes out of n problems (wilson.h).
// Suite "all": pass@1, pass@K, cons@N and the rates are the unweighted means of the suites' figures (each suite
// weighs 1, whatever its size), over the suites with a scored problem; their intervals are a stratified bootstrap
// (replicate r is the mean of the suites' replicates r); pass@K and cons@N only for K and N up to the smallest N of
// any suite. problems, samples and errors are sums, and error_rate is errors / samples over the whole run.
// Problems with different numbers of samples (an interrupted run) are fine: each uses its own count for pass@k,
// and K stops at the smallest count.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "evals/metrics/majority_vote.h"
#include "reports/db/results_db.h"

namespace r1eval::evals::metrics {

// The name of the whole-run group.
inline constexpr const char* kAllSuites = "all";
// The whole run's pass@1 with every problem weighing 1, shown in "all" only.
inline constexpr const char* kPooledPassAt1 = "pass@1_pooled";

struct MetricOptions {
  // The answer equivalence cons@N groups by, per suite (the suite's grader's). Empty, or returning an empty
  // predicate: exact string equality.
  std::function<AnswerEquivalence(const std::string& suite)> equivalence_for_suite;
  std::int64_t bootstrap_resamples = 2000;
  std::uint64_t seed = 0;  // each suite and metric draws from its own stream under this seed
};

// The rows for each suite in order of first appearance, then for "all"; within a group in the order listed
// above (a suite without a scored sample has only the four counts). No rows: no metrics. Throws std::invalid_argument
// for malformed rows (see group_samples) or a suite named "all".
std::vector<reports::db::MetricRow> compute_run_metrics(std::span<const reports::db::SampleRow> rows,
                                                        const MetricOptions& options);

}  // namespace r1eval::evals::metrics
