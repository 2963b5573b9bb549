#include "reports/render/report_charts.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "reports/render/metric_format.h"
#include "reports/render/report_content.h"

namespace r1eval::reports::render {
namespace {

constexpr std::array<std::string_view, 4> kReasoningMetrics = {"format_compliance", "truncation_rate", "no_answer_rate",
                                                               "language_consistency"};

std::vector<std::string> suites_then_overall(const ReportData& data) {
  std::vector<std::string> suites = suite_order(data);
  suites.emplace_back(kOverallSuite);
  return suites;
}

svg::Bar bar_of(const db::MetricRow& row) { return svg::Bar{row.value, row.ci_low, row.ci_high}; }

}  // namespace

std::optional<svg::BarChart> pass1_chart(const ReportData& data) {
  svg::BarChart chart{"pass@1 per suite, with 95% intervals", {}, {{"pass@1", {}}}, {"pass@1", true}};
  for (const auto& suite : suites_then_overall(data)) {
    const db::MetricRow* row = find_metric(data, suite, "pass@1");
    if (row == nullptr) continue;
    chart.categories.push_back(suite);
    chart.series[0].bars.push_back(bar_of(*row));
  }
  if (chart.categories.empty()) return std::nullopt;
  return chart;
}

std::optional<svg::LineChart> pass_at_k_chart(const ReportData& data) {
  svg::LineChart chart{"pass@k per suite", "k (samples per problem, log2 axis)", true, {}, {"pass@k", true}};
  for (const auto& suite : suite_order(data)) {
    svg::LineSeries series{suite, {}};
    for (const auto& row : data.metrics) {
      if (row.suite != suite) continue;
      if (const auto k = metric_k(row.metric, "pass")) {
        series.points.push_back({static_cast<double>(*k), row.value});
      }
    }
    if (!series.points.empty()) chart.series.push_back(std::move(series));
  }
  if (chart.series.empty()) return std::nullopt;
  return chart;
}

std::optional<svg::BarChart> reasoning_chart(const ReportData& data) {
  svg::BarChart chart{"Reasoning metrics per suite", {}, {}, {"share of samples", true}};
  const std::vector<std::string> suites = suites_then_overall(data);
  std::vector<std::string> present;
  for (const auto& suite : suites) {
    const bool any = std::any_of(kReasoningMetrics.begin(), kReasoningMetrics.end(),
                                 [&](std::string_view metric) { return find_metric(data, suite, metric); });
    if (any) present.push_back(suite);
  }
  for (const auto metric : kReasoningMetrics) {
    svg::BarSeries series{std::string(metric), {}};
    bool any = false;
    for (const auto& suite : present) {
      const db::MetricRow* row = find_metric(data, suite, metric);
      series.bars.push_back(row == nullptr ? svg::Bar{} : bar_of(*row));
      any = any || row != nullptr;
    }
    if (any) chart.series.push_back(std::move(series));
  }
  if (chart.series.empty()) return std::nullopt;
  chart.categories = std::move(present);
  return chart;
}

std::vector<svg::Histogram> completion_length_histograms(const ReportData& data) {
  std::vector<svg::Histogram> charts;
  for (const auto& suite : suite_order(data)) {
    svg::Histogram chart{
        "Completion length: " + suite, "completion tokens", {}, "stopped", "truncated at the token limit", 20};
    for (const auto& row : data.samples) {
      if (row.suite != suite) continue;
      chart.values.push_back({static_cast<double>(row.completion_tokens), row.finish_reason == "length"});
    }
    if (!chart.values.empty()) charts.push_back(std::move(chart));
  }
  return charts;
}

std::optional<svg::BarChart> roofline_chart(const ReportData& data) {
  if (data.kernels.empty()) return std::nullopt;
  svg::BarChart chart{"Kernel time against the machine's roofline", {}, {{"roofline %", {}}}, {"% of roofline", false}};
  for (const auto& row : data.kernels) {
    chart.categories.push_back(row.kernel + " " + row.dtype);
    chart.series[0].bars.push_back(svg::Bar{row.roofline_pct, std::nullopt, std::nullopt});
  }
  return chart;
}

}  // namespace r1eval::reports::render
