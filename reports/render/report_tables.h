// The report's tables as plain text cells, built once and laid out by the Markdown and HTML renderers (which
// escape every cell), so both formats always show the same figures.
#pragma once

#include <string>
#include <vector>

#include "reports/render/report_content.h"
#include "reports/render/report_data.h"

namespace r1eval::reports::render {

struct TextTable {
  std::vector<std::string> header;
  std::vector<bool> numeric;                   // per column: right-aligned
  std::vector<std::vector<std::string>> rows;  // each as wide as header
  std::vector<bool> flagged;                   // per row: to highlight (a significant regression)
};

// Per suite (then "all"): problems, samples, pass@1 with its interval, the largest cons@k, format compliance,
// truncation, tokens per sample.
TextTable summary_table(const ReportData& data);
// Every metric row: suite, metric, value, 95% interval, n.
TextTable metrics_table(const ReportData& data);
// Per suite: samples, problems, correct, a column per grader outcome that occurs, truncated, completion tokens.
TextTable outcomes_table(const ReportData& data);
// The comparison against data.baseline_name: values, delta with interval, p-value, verdict.
TextTable comparison_table(const ReportData& data);
// Name/value pairs (provenance, machine) as a two-column table.
TextTable field_table(const std::vector<Field>& fields);
TextTable kernels_table(const ReportData& data);
TextTable throughput_table(const ReportData& data);

}  // namespace r1eval::reports::render
