// The three renderers behind render_report (internal to r1eval_reports_render).
#pragma once

#include <cstddef>
#include <string>

#include "reports/render/report_data.h"

namespace r1eval::reports::render {

// Example completions are cut to this many bytes in every format: enough to see the reasoning's shape, small
// enough that a report over many suites stays readable.
inline constexpr std::size_t kExampleBytes = 2000;

std::string render_markdown(const ReportData& data);
std::string render_html(const ReportData& data);
std::string render_json(const ReportData& data);

}  // namespace r1eval::reports::render
