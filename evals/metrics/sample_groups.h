// Stored samples grouped the way every metric reads them: by suite, then by problem, then by sample index, with each
// problem's scored samples (a verdict on the model's answer) apart from its errors (sandbox_error, not_generated,
// grader_error: graders::is_scored), which no figure of the model's output may count.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "reports/db/results_db.h"

namespace r1eval::evals::metrics {

struct ProblemSamples {
  std::string suite;
  std::string problem_id;
  std::int64_t problem_index = 0;
  // The scored samples by sample_index; they point into the rows given to group_samples.
  std::vector<const reports::db::SampleRow*> samples;
  std::int64_t errors = 0;  // stored samples whose outcome is not scored

  std::int64_t count() const { return static_cast<std::int64_t>(samples.size()); }  // scored samples
  std::int64_t correct() const;
  bool scored() const { return !samples.empty(); }
};

struct SuiteSamples {
  std::string suite;
  std::vector<ProblemSamples> problems;  // by problem_index, then problem_id
};

// Suites in order of first appearance; within a suite the order does not depend on the order of the rows, so
// seeded bootstraps over the groups give the same interval however the rows were read. Throws
// std::invalid_argument for a row with an empty suite or problem id, a negative sample index, or a sample that
// appears twice (same suite, problem_id and sample_index).
std::vector<SuiteSamples> group_samples(std::span<const reports::db::SampleRow> rows);

}  // namespace r1eval::evals::metrics
