#include "reports/render/grading_tables.h"

#include <algorithm>

#include <fmt/format.h>

#include "reports/render/report_content.h"

namespace r1eval::reports::render {
namespace {

std::string verdict(bool correct, int outcome) {
  return fmt::format("{} ({})", correct ? "correct" : "incorrect", outcome_label(outcome));
}

}  // namespace

std::string grading_label(const ReportData& data) {
  if (data.gradings <= 1) return "1 of 1 (graded while generating)";
  return fmt::format("{} of {} ({}; 1 is the grading done while generating)", data.grading, data.gradings,
                     data.grading == data.gradings ? "the latest" : "not the latest");
}

TextTable audit_table(const ReportData& data) {
  TextTable table;
  table.header = {"Suite",
                  "Problem",
                  "Sample",
                  "Grading 1",
                  "Answer (1)",
                  fmt::format("Grading {}", data.gradings),
                  fmt::format("Answer ({})", data.gradings),
                  "Gold"};
  table.numeric = {false, false, true, false, false, false, false, false};
  const std::size_t shown = std::min(data.audit.size(), kAuditRows);
  for (std::size_t i = 0; i < shown; ++i) {
    const VerdictDifference& d = data.audit[i];
    table.rows.push_back({d.suite, d.problem_id, fmt::format("{}", d.sample_index), verdict(d.correct_a, d.outcome_a),
                          d.extracted_a, verdict(d.correct_b, d.outcome_b), d.extracted_b,
                          d.gold.empty() ? std::string("(not available)") : d.gold});
    table.flagged.push_back(false);
  }
  return table;
}

std::string audit_note(const ReportData& data) {
  const std::string counted =
      fmt::format("{} sample{} {} a different verdict under grading {} than under grading 1.", data.audit.size(),
                  data.audit.size() == 1 ? "" : "s", data.audit.size() == 1 ? "has" : "have", data.gradings);
  if (data.audit.size() <= kAuditRows) return counted;
  return counted + fmt::format(" The table lists the first {}; `r1eval audit` lists them all.", kAuditRows);
}

}  // namespace r1eval::reports::render
