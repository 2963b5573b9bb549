// Per-problem results of the grading a report shows: each problem's samples and how many were right, and the
// difficulty table (problems by pass rate) built on them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reports/render/report_data.h"
#include "reports/render/report_tables.h"

namespace r1eval::reports::render {

struct ProblemSummary {
  std::string suite;
  std::string subset;
  std::string problem_id;
  std::vector<const db::SampleRow*> samples;  // in sample order, pointing into the ReportData's samples
  std::int64_t scored = 0;   // samples with a verdict on the model (graders::is_scored), as the metrics count them
  std::int64_t correct = 0;  // of the scored samples

  // correct / scored; meaningless when scored is 0.
  double pass_rate() const;
  // Some scored sample was wrong (a problem page is always kept for it).
  bool failed() const { return correct < scored; }
};

// The problems of data.samples in the report's order (suite order, then the run's problem order).
std::vector<ProblemSummary> summarize_problems(const ReportData& data);

// Per suite (then "all"): problems, and how many have a pass rate of 0%, in (0%, 50%), in [50%, 100%), of 100%,
// and no scored sample at all.
TextTable difficulty_table(const ReportData& data);
// What the difficulty table counts, for the line above it.
inline constexpr std::string_view kDifficultyNote =
    "Problems by pass rate (correct samples of those with a verdict on the model); \"No verdict\": every sample was "
    "not generated or hit a grader or sandbox error.";

}  // namespace r1eval::reports::render
