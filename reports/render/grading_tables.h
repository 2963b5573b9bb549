// The report's tables about gradings: which grading it shows, and the audit of the first against the latest.
#pragma once

#include <cstddef>
#include <string>

#include "reports/render/report_data.h"
#include "reports/render/report_tables.h"

namespace r1eval::reports::render {

// The audit lists at most this many samples (the first ones, in the run's order); audit_note says when it cut.
inline constexpr std::size_t kAuditRows = 200;

// "3 of 3 (the latest; 1 is the grading done while generating)".
std::string grading_label(const ReportData& data);

// The samples whose verdicts differ between grading 1 and the latest: suite, problem, sample, both verdicts and
// extracted answers, the gold.
TextTable audit_table(const ReportData& data);
// One sentence over the audit: how many samples differ, and whether the table shows only some of them.
std::string audit_note(const ReportData& data);

}  // namespace r1eval::reports::render
