// A stored run's suites as it evaluated them, read back from the suite files through the run's identity (its
// provenance): the problems, their gold answers and prompts, the template and the grader. The database stores
// neither golds nor prompts; the identity records each suite's data hash, so a reload is checked to be the exact
// data the run saw rather than trusted.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "datasets/problem.h"
#include "evals/suites/suite.h"
#include "reports/db/results_db.h"

namespace r1eval::evals::runner {

struct RunSuite {
  suites::Suite suite;
  datasets::Dataset data;
  std::string template_name;                                   // the template the run used for this suite
  std::string grader;                                          // the grader the run used for this suite
  std::unordered_map<std::string, std::size_t> problem_index;  // problem id -> position in data.problems

  // The problem with this id; nullptr when the suite has none.
  const datasets::Problem* find(const std::string& problem_id) const;
};

// Throws std::invalid_argument, in one sentence, when the run's provenance names no suites, a suite is no longer
// bundled, or its data no longer hashes as it did for the run (the problems changed since).
std::vector<RunSuite> load_run_suites(const reports::db::RunInfo& run);

// The gold answer as text: a string as is, anything else (a number, test lists) as compact JSON.
std::string gold_text(const datasets::Problem& problem);

}  // namespace r1eval::evals::runner
