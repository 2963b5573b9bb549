// The metrics of one run, per suite and for the whole run (suite "all"), as rows for the results database.
//
// Metric names (the README quotes this list; MetricRow.n is always the number of problems):
//   pass@1                mean over problems of the share of correct samples (R1's definition), with a 95%
//                         two-level bootstrap interval over problems x samples
//   pass@K                unbiased pass@k, averaged over problems, for K = 2, 4, 8, 16, ... <= N and K = N, where
//                         N is the smallest number of samples of any problem; 95% bootstrap interval over problems
//   cons@N                majority vote over each problem's first N samples, answers grouped by the suite's
//                         equivalence (only when N >= 2); 95% bootstrap interval over problems
//   format_compliance     share of samples well-formed for the run's template (format_ok)
//   truncation_rate       share of samples that hit the token limit (finish_reason "length")
//   no_answer_rate        share of samples from which no answer could be extracted
//   language_consistency  mean over samples of language_share
//   tokens_per_sample     mean completion tokens per sample
//   problems              number of problems
//   samples               number of samples
// Suite "all" pools the problems of every suite, each problem weighing 1. Problems with different numbers of
// samples (an interrupted run) are fine: each uses its own count for pass@k, and K stops at the smallest count.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "evals/metrics/majority_vote.h"
#include "reports/db/results_db.h"

namespace r1eval::evals::metrics {

// The name of the pooled, whole-run group.
inline constexpr const char* kAllSuites = "all";

struct MetricOptions {
  // The answer equivalence cons@N groups by, per suite (the suite's grader's). Empty, or returning an empty
  // predicate: exact string equality.
  std::function<AnswerEquivalence(const std::string& suite)> equivalence_for_suite;
  std::int64_t bootstrap_resamples = 2000;
  std::uint64_t seed = 0;  // each suite and metric draws from its own stream under this seed
};

// The rows for each suite in order of first appearance, then for "all"; within a group in the order listed
// above. No rows: no metrics. Throws std::invalid_argument for malformed rows (see group_samples) or a suite
// named "all".
std::vector<reports::db::MetricRow> compute_run_metrics(std::span<const reports::db::SampleRow> rows,
                                                        const MetricOptions& options);

}  // namespace r1eval::evals::metrics
