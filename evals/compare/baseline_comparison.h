// `r1eval compare` and the comparison section of reports: a run against another run in the same database (paired
// bootstrap over shared problems) or against a paper's published figures ("paper:NAME").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "evals/metrics/compare.h"
#include "reports/db/results_db.h"
#include "reports/render/report_data.h"

namespace r1eval::evals::compare {

struct BaselineComparison {
  std::string baseline_name;  // "run 3" or "paper:DeepSeek-R1"
  std::vector<reports::render::ComparisonRow> rows;
  // Against a run: error_rate_warning's sentence when the two runs' error rates differ, else empty.
  std::string error_rate_warning;
};

// `baseline` is a run id of `db` or "paper:NAME". The run is judged under its grading `grading` (0: its latest), a
// baseline run under its latest. Throws std::invalid_argument for an unknown run or baseline name (with "did you
// mean"), or when the two have no suite in common; reports::db::DbError for a grading the run does not have.
BaselineComparison compare_with_baseline(const reports::db::ResultsDb& db, std::int64_t run_id,
                                         const std::string& baseline, const metrics::CompareOptions& options,
                                         std::int64_t grading = 0);

// True when any row is a significant regression (the exit status of `r1eval compare`).
bool has_significant_regression(const BaselineComparison& comparison);

}  // namespace r1eval::evals::compare
