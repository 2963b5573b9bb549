// `r1eval regrade`: the stored completions of a run graded again with today's graders into a new grading of the
// same run (reports/db: gradings); nothing is regenerated. Also the in-memory grading `r1eval audit --grader`
// compares graders with.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "evals/runner/run_suites.h"
#include "reports/db/results_db.h"

namespace r1eval::evals::runner {

struct RegradeOptions {
  std::string grader;  // overrides every suite's grader; empty: each suite's own (as the run used)
  std::string policy;  // overrides every suite's math answer policy; empty: each suite's own
  int threads = 0;     // 0: the machine's cores
  // Called on the calling thread about every 200 ms and once at the end with (graded, total).
  std::function<void(std::int64_t, std::int64_t)> on_progress;
};

// Throws std::invalid_argument, before anything is graded, for an unknown grader or policy, or a policy given for
// a suite whose grader is not the math grader (only it reads answer policies).
void validate_regrade_options(const RegradeOptions& options);

// `rows` (the run's stored samples) with their verdict fields (correct, outcome, extracted, detail, has_answer)
// replaced by grading them again; a sample that was never generated (outcome not_generated) is kept as it is.
// Taken by value and graded in place: a long run's completions are held once. Throws std::invalid_argument for a
// row whose suite or problem is not among `suites`.
std::vector<reports::db::SampleRow> grade_again(std::vector<reports::db::SampleRow> rows,
                                                const std::vector<RunSuite>& suites, const RegradeOptions& options);

// The graders a grading with these options uses: suite -> {"grader": name, "version": version}.
nlohmann::json grading_graders(const std::vector<RunSuite>& suites, const RegradeOptions& options);

struct RegradeOutcome {
  reports::db::GradingInfo grading;
  std::int64_t samples = 0;
  std::int64_t changed = 0;  // samples whose verdict (correct or outcome) differs from grading 1
  std::vector<reports::db::MetricRow> metrics;
};

// Grades the run's stored completions again, stores them as its next grading (one transaction) and that grading's
// metrics, holding the run's lock (evals/runner/run_lock.h) so that it never overlaps `r1eval run` on the same run.
// Throws std::invalid_argument for an unknown run or suites that cannot be read back, std::runtime_error when
// another process holds the run.
RegradeOutcome regrade_run(reports::db::ResultsDb& db, std::int64_t run_id, const RegradeOptions& options);

}  // namespace r1eval::evals::runner
