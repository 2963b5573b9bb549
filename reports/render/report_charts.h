// The HTML report's charts, as chart descriptions built from the report data (svg_charts draws them).
#pragma once

#include <optional>
#include <vector>

#include "reports/render/report_data.h"
#include "reports/render/svg_charts.h"

namespace r1eval::reports::render {

// pass@1 per suite (then "all") with its 95% interval; nullopt when no suite has pass@1.
std::optional<svg::BarChart> pass1_chart(const ReportData& data);
// One line per suite through its pass@k values, k on a log2 axis; nullopt when there is no pass@k.
std::optional<svg::LineChart> pass_at_k_chart(const ReportData& data);
// Format compliance, truncation, no-answer rate and language consistency per suite, those the run has.
std::optional<svg::BarChart> reasoning_chart(const ReportData& data);
// Completion lengths in tokens, one histogram per suite with samples; truncated completions stacked on top.
std::vector<svg::Histogram> completion_length_histograms(const ReportData& data);
// Each kernel's share of its roofline; nullopt without kernel results.
std::optional<svg::BarChart> roofline_chart(const ReportData& data);

}  // namespace r1eval::reports::render
