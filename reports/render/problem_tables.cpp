#include "reports/render/problem_tables.h"

#include <array>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "graders/grader.h"
#include "reports/render/report_content.h"

namespace r1eval::reports::render {
namespace {

// The difficulty columns: 0%, (0%, 50%), [50%, 100%), 100%, no verdict.
constexpr std::size_t kBands = 5;

std::size_t band(const ProblemSummary& problem) {
  if (problem.scored == 0) return 4;
  if (problem.correct == 0) return 0;
  if (problem.correct == problem.scored) return 3;
  return 2 * problem.correct < problem.scored ? 1 : 2;  // exact: no rounding of the rate at 50%
}

}  // namespace

double ProblemSummary::pass_rate() const {
  return scored == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(scored);
}

std::vector<ProblemSummary> summarize_problems(const ReportData& data) {
  std::vector<ProblemSummary> problems;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (const db::SampleRow& row : data.samples) {
    const auto [found, added] = index.try_emplace({row.suite, row.problem_id}, problems.size());
    if (added) problems.push_back({row.suite, row.subset, row.problem_id, {}, 0, 0});
    ProblemSummary& problem = problems[found->second];
    problem.samples.push_back(&row);
    if (graders::is_scored(static_cast<graders::Outcome>(row.outcome))) {
      ++problem.scored;
      problem.correct += row.correct ? 1 : 0;
    }
  }
  // Suites in the report's order; within a suite the run's order, which the samples already have.
  std::vector<ProblemSummary> ordered;
  for (const std::string& suite : suite_order(data)) {
    for (ProblemSummary& problem : problems) {
      if (problem.suite == suite) ordered.push_back(std::move(problem));
    }
  }
  return ordered;
}

TextTable difficulty_table(const ReportData& data) {
  TextTable table;
  table.header = {"Suite", "Problems", "0%", "(0%, 50%)", "[50%, 100%)", "100%", "No verdict"};
  table.numeric = {false, true, true, true, true, true, true};
  const std::vector<ProblemSummary> problems = summarize_problems(data);
  std::vector<std::pair<std::string, std::array<std::int64_t, kBands>>> counts;
  std::array<std::int64_t, kBands> all{};
  for (const ProblemSummary& problem : problems) {
    if (counts.empty() || counts.back().first != problem.suite) counts.push_back({problem.suite, {}});
    ++counts.back().second[band(problem)];
    ++all[band(problem)];
  }
  if (counts.size() > 1) counts.push_back({"all", all});
  for (const auto& [suite, bands] : counts) {
    std::int64_t total = 0;
    for (const std::int64_t n : bands) total += n;
    std::vector<std::string> cells = {suite, fmt::format("{}", total)};
    for (const std::int64_t n : bands) cells.push_back(fmt::format("{}", n));
    table.rows.push_back(std::move(cells));
    table.flagged.push_back(false);
  }
  return table;
}

}  // namespace r1eval::reports::render
