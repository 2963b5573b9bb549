// The HTML report's problem pages: every problem a reader can open (a <details> element, so the one file needs no
// script), with its prompt, the gold, and each completion with its reasoning folded, its extracted answer, verdict
// and the grader's detail.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "reports/render/problem_tables.h"
#include "reports/render/report_data.h"

namespace r1eval::reports::render {

// A report keeps a page for every problem with a wrong sample, and fills up to this many problems in all with an
// evenly spaced sample of the problems it got right, so a long run's report stays a file a browser opens.
inline constexpr std::size_t kProblemPages = 200;

// The problems that get a page, in the report's order: every failed one, then, while fewer than kProblemPages,
// evenly spaced ones of the rest.
std::vector<const ProblemSummary*> pick_problem_pages(const std::vector<ProblemSummary>& problems);

// The <section id="problems"> of the HTML report; empty when the run has no samples.
std::string problems_section_html(const ReportData& data);

}  // namespace r1eval::reports::render
