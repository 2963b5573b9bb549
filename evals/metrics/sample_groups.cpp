#include "evals/metrics/sample_groups.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

#include "graders/grader.h"

namespace r1eval::evals::metrics {

std::int64_t ProblemSamples::correct() const {
  return static_cast<std::int64_t>(
      std::count_if(samples.begin(), samples.end(), [](const reports::db::SampleRow* row) { return row->correct; }));
}

std::vector<SuiteSamples> group_samples(std::span<const reports::db::SampleRow> rows) {
  std::vector<SuiteSamples> suites;
  std::map<std::string, std::size_t> suite_slot;
  std::vector<std::map<std::string, std::size_t>> problem_slot;  // per suite: problem_id -> index in problems
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const reports::db::SampleRow& row = rows[r];
    const std::string where = "sample row " + std::to_string(r) + " (suite '" + row.suite + "', problem '" +
                              row.problem_id + "', sample " + std::to_string(row.sample_index) + ")";
    if (row.suite.empty()) throw std::invalid_argument(where + " has an empty suite name");
    if (row.problem_id.empty()) throw std::invalid_argument(where + " has an empty problem id");
    if (row.sample_index < 0) throw std::invalid_argument(where + " has a negative sample index");
    auto [suite_it, new_suite] = suite_slot.try_emplace(row.suite, suites.size());
    if (new_suite) {
      suites.push_back(SuiteSamples{row.suite, {}});
      problem_slot.emplace_back();
    }
    SuiteSamples& suite = suites[suite_it->second];
    auto [problem_it, new_problem] = problem_slot[suite_it->second].try_emplace(row.problem_id, suite.problems.size());
    if (new_problem) suite.problems.push_back(ProblemSamples{row.suite, row.problem_id, row.problem_index, {}});
    suite.problems[problem_it->second].samples.push_back(&row);
  }
  for (SuiteSamples& suite : suites) {
    std::sort(suite.problems.begin(), suite.problems.end(), [](const ProblemSamples& a, const ProblemSamples& b) {
      return std::tie(a.problem_index, a.problem_id) < std::tie(b.problem_index, b.problem_id);
    });
    for (ProblemSamples& problem : suite.problems) {
      std::sort(problem.samples.begin(), problem.samples.end(),
                [](const reports::db::SampleRow* a, const reports::db::SampleRow* b) {
                  return a->sample_index < b->sample_index;
                });
      const auto twin = std::adjacent_find(problem.samples.begin(), problem.samples.end(),
                                           [](const reports::db::SampleRow* a, const reports::db::SampleRow* b) {
                                             return a->sample_index == b->sample_index;
                                           });
      if (twin != problem.samples.end()) {
        throw std::invalid_argument("sample " + std::to_string((*twin)->sample_index) + " of problem '" +
                                    problem.problem_id + "' in suite '" + suite.suite + "' appears twice");
      }
      const auto errors =
          std::stable_partition(problem.samples.begin(), problem.samples.end(), [](const reports::db::SampleRow* row) {
            return graders::is_scored(static_cast<graders::Outcome>(row->outcome));
          });
      problem.errors = static_cast<std::int64_t>(problem.samples.end() - errors);
      problem.samples.erase(errors, problem.samples.end());
    }
  }
  return suites;
}

}  // namespace r1eval::evals::metrics
