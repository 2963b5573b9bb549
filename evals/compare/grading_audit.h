// `r1eval audit`: the samples whose verdicts differ between two gradings of the same run's completions, with
// both extracted answers and the gold side by side.
#pragma once

#include <span>
#include <vector>

#include "evals/runner/run_suites.h"
#include "reports/db/results_db.h"
#include "reports/render/report_data.h"

namespace r1eval::evals::compare {

// A verdict differs when `correct` or the outcome code does; a changed extraction with the same verdict is not
// listed. `a` and `b` are the same samples in the same order (ResultsDb::samples of one run); the gold comes from
// `suites` (empty where a suite or problem is not there). Throws std::invalid_argument when they are not the same
// samples.
std::vector<reports::render::VerdictDifference> verdict_differences(std::span<const reports::db::SampleRow> a,
                                                                    std::span<const reports::db::SampleRow> b,
                                                                    std::span<const runner::RunSuite> suites);

}  // namespace r1eval::evals::compare
