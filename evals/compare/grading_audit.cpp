#include "evals/compare/grading_audit.h"

#include <stdexcept>

namespace r1eval::evals::compare {
namespace {

std::string gold_of(const reports::db::SampleRow& row, std::span<const runner::RunSuite> suites) {
  for (const runner::RunSuite& suite : suites) {
    if (suite.suite.name != row.suite) continue;
    const datasets::Problem* problem = suite.find(row.problem_id);
    return problem == nullptr ? std::string() : runner::gold_text(*problem);
  }
  return {};
}

}  // namespace

std::vector<reports::render::VerdictDifference> verdict_differences(std::span<const reports::db::SampleRow> a,
                                                                    std::span<const reports::db::SampleRow> b,
                                                                    std::span<const runner::RunSuite> suites) {
  if (a.size() != b.size()) throw std::invalid_argument("the two gradings do not hold the same samples");
  std::vector<reports::render::VerdictDifference> differences;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const reports::db::SampleRow& x = a[i];
    const reports::db::SampleRow& y = b[i];
    if (x.suite != y.suite || x.problem_id != y.problem_id || x.sample_index != y.sample_index) {
      throw std::invalid_argument("the two gradings do not hold the same samples");
    }
    if (x.correct == y.correct && x.outcome == y.outcome) continue;
    differences.push_back({x.suite, x.problem_id, x.sample_index, x.correct, x.outcome, x.extracted, y.correct,
                           y.outcome, y.extracted, gold_of(x, suites)});
  }
  return differences;
}

}  // namespace r1eval::evals::compare
