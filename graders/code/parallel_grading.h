// Grades many requests with a fixed number of worker threads (code graders spend their time waiting on sandboxed
// programs, so workers ≈ cores keeps the machine busy without making time limits flaky).
#pragma once

#include <vector>

#include "graders/grader.h"

namespace r1eval::graders::code {

// Verdicts in request order. grade() exceptions (malformed requests) are rethrown after all workers finish.
std::vector<Verdict> grade_in_parallel(const Grader& grader, const std::vector<GradeRequest>& requests, int workers);

}  // namespace r1eval::graders::code
