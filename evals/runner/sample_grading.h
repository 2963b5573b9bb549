// Turns one completion into its results row: the suite's grader verdict plus the format and reasoning
// measurements. Never throws for what the model wrote; a grader failure becomes the row's outcome and detail, so
// one bad sample cannot end a long run.
#pragma once

#include <string>

#include "datasets/problem.h"
#include "evals/runner/backend.h"
#include "evals/suites/suite.h"
#include "graders/grader.h"
#include "reports/db/results_db.h"

namespace r1eval::evals::runner {

struct SampleContext {
  const suites::Suite* suite = nullptr;
  const datasets::Problem* problem = nullptr;
  const graders::Grader* grader = nullptr;
  std::string template_name;  // decides the expected output format ("r1-zero" or an R1-style chat template)
  std::int64_t problem_index = 0;
  std::int64_t sample_index = 0;
};

// The problem record as graders read it: the loader's record with the output format of the template in use.
nlohmann::json grading_problem(const SampleContext& context);

reports::db::SampleRow grade_sample(const SampleContext& context, const Completion& completion, std::int64_t run_id);

// The row of a sample the backend did not generate (it refused the prompt, failed the request, or the logits went
// non-finite): outcome not_generated, not correct, no completion or answer, `reason` (one sentence) in detail. It
// counts in error_rate, never as a wrong answer, and resuming the run generates it again and replaces the row.
reports::db::SampleRow not_generated_sample(const SampleContext& context, std::int64_t run_id, std::string reason);

}  // namespace r1eval::evals::runner
