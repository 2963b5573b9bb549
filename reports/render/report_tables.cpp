#include "reports/render/report_tables.h"

#include <algorithm>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "reports/render/metric_format.h"
#include "reports/render/report_content.h"

namespace r1eval::reports::render {
namespace {

TextTable make_table(std::vector<std::string> header, std::vector<bool> numeric) {
  TextTable table;
  table.header = std::move(header);
  table.numeric = std::move(numeric);
  return table;
}

void add_row(TextTable& table, std::vector<std::string> cells, bool flagged = false) {
  table.rows.push_back(std::move(cells));
  table.flagged.push_back(flagged);
}

std::string metric_cell(const ReportData& data, const std::string& suite, std::string_view metric) {
  const db::MetricRow* row = find_metric(data, suite, metric);
  return row == nullptr ? std::string(kMissing) : format_metric_value(metric, row->value);
}

// The cons@k with the largest k for a suite, as "63.3% (cons@8)".
std::string best_cons_cell(const ReportData& data, const std::string& suite) {
  const db::MetricRow* best = nullptr;
  std::int64_t best_k = 0;
  for (const auto& row : data.metrics) {
    if (row.suite != suite) continue;
    const auto k = metric_k(row.metric, "cons");
    if (k && *k > best_k) {
      best = &row;
      best_k = *k;
    }
  }
  if (best == nullptr) return std::string(kMissing);
  return fmt::format("{} ({})", format_metric_value(best->metric, best->value), best->metric);
}

// A count from its metric row when there is one, else from the samples.
std::string count_cell(const ReportData& data, const std::string& suite, std::string_view metric,
                       std::optional<std::int64_t> from_samples) {
  if (const db::MetricRow* row = find_metric(data, suite, metric)) return format_metric_value(metric, row->value);
  return from_samples ? fmt::format("{}", *from_samples) : std::string(kMissing);
}

// A figure already in percent (roofline_pct), one decimal.
std::string percent_cell(double percent) {
  const std::string text = format_fixed(percent, 1);
  return text == kMissing ? text : text + "%";
}

// Suites in display order, with "all" last when the data has it.
std::vector<std::string> suites_with_overall(const ReportData& data) {
  std::vector<std::string> suites = suite_order(data);
  const bool has_overall = std::any_of(data.metrics.begin(), data.metrics.end(),
                                       [](const db::MetricRow& row) { return row.suite == kOverallSuite; });
  if (has_overall) suites.emplace_back(kOverallSuite);
  return suites;
}

}  // namespace

TextTable summary_table(const ReportData& data) {
  TextTable table = make_table(
      {"Suite", "Problems", "Samples", "pass@1", "95% interval", "cons@k", "Format ok", "Truncated", "Tokens/sample"},
      {false, true, true, true, true, true, true, true, true});
  const std::vector<SuiteSampleSummary> sampled = summarize_samples(data);
  for (const auto& suite : suites_with_overall(data)) {
    const auto summary =
        std::find_if(sampled.begin(), sampled.end(), [&](const SuiteSampleSummary& s) { return s.suite == suite; });
    const bool has_metrics = std::any_of(data.metrics.begin(), data.metrics.end(),
                                         [&](const db::MetricRow& row) { return row.suite == suite; });
    if (!has_metrics && summary == sampled.end()) continue;
    std::optional<std::int64_t> problems;
    std::optional<std::int64_t> samples;
    if (summary != sampled.end()) {
      problems = summary->problems;
      samples = summary->samples;
    }
    const db::MetricRow* pass1 = find_metric(data, suite, "pass@1");
    add_row(table,
            {suite, count_cell(data, suite, "problems", problems), count_cell(data, suite, "samples", samples),
             metric_cell(data, suite, "pass@1"),
             pass1 == nullptr ? std::string(kMissing) : format_metric_interval("pass@1", pass1->ci_low, pass1->ci_high),
             best_cons_cell(data, suite), metric_cell(data, suite, "format_compliance"),
             metric_cell(data, suite, "truncation_rate"), metric_cell(data, suite, "tokens_per_sample")});
  }
  return table;
}

TextTable metrics_table(const ReportData& data) {
  TextTable table = make_table({"Suite", "Metric", "Value", "95% interval", "n"}, {false, false, true, true, true});
  for (const auto& suite : suites_with_overall(data)) {
    std::vector<const db::MetricRow*> rows;
    for (const auto& row : data.metrics) {
      if (row.suite == suite) rows.push_back(&row);
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const db::MetricRow* a, const db::MetricRow* b) { return metric_less(a->metric, b->metric); });
    for (const db::MetricRow* row : rows) {
      add_row(table, {suite, row->metric, format_metric_value(row->metric, row->value),
                      format_metric_interval(row->metric, row->ci_low, row->ci_high), fmt::format("{}", row->n)});
    }
  }
  return table;
}

TextTable outcomes_table(const ReportData& data) {
  const std::vector<SuiteSampleSummary> summaries = summarize_samples(data);
  std::set<int> outcomes;
  for (const auto& summary : summaries) {
    for (const auto& [outcome, count] : summary.outcomes) outcomes.insert(outcome);
  }
  std::vector<std::string> header = {"Suite", "Samples", "Problems", "Correct"};
  for (const int outcome : outcomes) header.push_back(outcome_label(outcome));
  for (const char* name : {"Truncated", "Mean tokens", "Max tokens"}) header.emplace_back(name);
  std::vector<bool> numeric(header.size(), true);
  numeric[0] = false;
  TextTable table = make_table(std::move(header), std::move(numeric));
  for (const auto& summary : summaries) {
    std::vector<std::string> cells = {summary.suite, fmt::format("{}", summary.samples),
                                      fmt::format("{}", summary.problems), fmt::format("{}", summary.correct)};
    for (const int outcome : outcomes) {
      const auto it = summary.outcomes.find(outcome);
      cells.push_back(fmt::format("{}", it == summary.outcomes.end() ? 0 : it->second));
    }
    cells.push_back(fmt::format("{}", summary.truncated));
    cells.push_back(format_fixed(summary.mean_completion_tokens, 1));
    cells.push_back(fmt::format("{}", summary.max_completion_tokens));
    add_row(table, std::move(cells));
  }
  return table;
}

TextTable comparison_table(const ReportData& data) {
  TextTable table =
      make_table({"Suite", "Metric", "Run", "Baseline", "Delta", "95% interval", "p", "Shared problems", "Verdict"},
                 {false, false, true, true, true, true, true, true, false});
  for (const auto& row : data.comparison) {
    const std::string verdict = row.significant_regression    ? "REGRESSION"
                                : row.significant_improvement ? "improvement"
                                                              : "no significant change";
    add_row(table,
            {row.suite, row.metric, format_metric_value(row.metric, row.run_value),
             format_metric_value(row.metric, row.baseline_value), format_metric_delta(row.metric, row.delta),
             format_delta_interval(row.metric, row.ci_low, row.ci_high), format_p_value(row.p_value),
             fmt::format("{}", row.n_shared), verdict},
            row.significant_regression);
  }
  return table;
}

TextTable field_table(const std::vector<Field>& fields) {
  TextTable table = make_table({"Field", "Value"}, {false, false});
  for (const auto& field : fields) add_row(table, {field.name, field.value});
  return table;
}

TextTable kernels_table(const ReportData& data) {
  TextTable table = make_table(
      {"Kernel", "Shape", "Dtype", "Backend", "Time/call (us)", "GFLOP/s", "GB/s", "Roofline", "Repetitions"},
      {false, false, false, false, true, true, true, true, true});
  for (const auto& row : data.kernels) {
    add_row(table, {row.kernel, row.shape, row.dtype, row.backend, format_fixed(row.seconds * 1e6, 2),
                    format_fixed(row.gflops, 1), format_fixed(row.gbps, 1), percent_cell(row.roofline_pct),
                    fmt::format("{}", row.repetitions)});
  }
  return table;
}

TextTable throughput_table(const ReportData& data) {
  TextTable table =
      make_table({"Model", "Phase", "Batch", "Context", "Tokens/s", "USD per 1M tokens", "Kind", "Price basis"},
                 {false, false, true, true, true, true, false, false});
  for (const auto& row : data.throughput) {
    add_row(table, {row.model, row.phase, fmt::format("{}", row.batch), fmt::format("{}", row.context),
                    format_fixed(row.tokens_per_s, 1), format_fixed(row.cost_per_mtok_usd, 4),
                    row.projection ? "projection" : "measured", row.price_basis});
  }
  return table;
}

}  // namespace r1eval::reports::render
