// The JSON report: a stable document for machines. Numbers are raw (fractions, not percentages); a value that is
// not available (NaN) is null. Strings are written as stored; invalid UTF-8 in them becomes U+FFFD on output.
#include <cmath>

#include <nlohmann/json.hpp>

#include "reports/render/error_notice.h"
#include "reports/render/render_formats.h"
#include "reports/render/report_content.h"

namespace r1eval::reports::render {
namespace {

using nlohmann::json;

// Version of this document's layout: fields may be added within a version, never renamed or removed.
constexpr int kReportFormatVersion = 1;

json number_or_null(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }
json number_or_null(const std::optional<double>& value) { return value ? number_or_null(*value) : json(nullptr); }

json run_json(const db::RunInfo& run) {
  json suites = json::array();
  for (const auto& name : split_suite_list(run.suites)) suites.push_back(name);
  return {{"run_id", run.run_id},
          {"run_key", run.run_key},
          {"status", run.status},
          {"started_at", run.started_at},
          {"finished_at", run.finished_at.empty() ? json(nullptr) : json(run.finished_at)},
          {"model", run.model},
          {"template", run.template_name},
          {"suites", suites},
          {"samples", run.samples},
          {"limit", run.limit},
          {"max_new_tokens", run.max_new_tokens},
          {"temperature", number_or_null(run.temperature)},
          {"top_p", number_or_null(run.top_p)},
          {"seed", run.seed},
          {"provenance", run.provenance}};
}

json metrics_json(const std::vector<db::MetricRow>& metrics) {
  json rows = json::array();
  for (const auto& row : metrics) {
    rows.push_back({{"suite", row.suite},
                    {"metric", row.metric},
                    {"value", number_or_null(row.value)},
                    {"ci_low", number_or_null(row.ci_low)},
                    {"ci_high", number_or_null(row.ci_high)},
                    {"n", row.n}});
  }
  return rows;
}

json sample_summary_json(const ReportData& data) {
  json rows = json::array();
  for (const auto& summary : summarize_samples(data)) {
    json outcomes = json::object();
    for (const auto& [outcome, count] : summary.outcomes) outcomes[outcome_label(outcome)] = count;
    rows.push_back({{"suite", summary.suite},
                    {"samples", summary.samples},
                    {"problems", summary.problems},
                    {"correct", summary.correct},
                    {"truncated", summary.truncated},
                    {"outcomes", outcomes},
                    {"mean_completion_tokens", number_or_null(summary.mean_completion_tokens)},
                    {"max_completion_tokens", summary.max_completion_tokens}});
  }
  return rows;
}

json comparison_json(const std::vector<ComparisonRow>& comparison) {
  json rows = json::array();
  for (const auto& row : comparison) {
    rows.push_back({{"suite", row.suite},
                    {"metric", row.metric},
                    {"run_value", number_or_null(row.run_value)},
                    {"baseline_value", number_or_null(row.baseline_value)},
                    {"delta", number_or_null(row.delta)},
                    {"ci_low", number_or_null(row.ci_low)},
                    {"ci_high", number_or_null(row.ci_high)},
                    {"p_value", number_or_null(row.p_value)},
                    {"n_shared", row.n_shared},
                    {"significant_regression", row.significant_regression},
                    {"significant_improvement", row.significant_improvement}});
  }
  return rows;
}

json examples_json(const ReportData& data) {
  json rows = json::array();
  for (const auto& example : pick_examples(data, kExampleBytes)) {
    rows.push_back({{"suite", example.suite},
                    {"subset", example.subset},
                    {"problem_id", example.problem_id},
                    {"sample_index", example.sample_index},
                    {"correct", example.correct},
                    {"outcome", example.outcome},
                    {"finish_reason", example.finish_reason},
                    {"completion_tokens", example.completion_tokens},
                    {"extracted", example.extracted},
                    {"completion_excerpt", example.excerpt},
                    {"completion_bytes", example.full_bytes}});
  }
  return rows;
}

json bench_json(const ReportData& data) {
  if (!data.bench) return nullptr;
  json kernels = json::array();
  for (const auto& row : data.kernels) {
    kernels.push_back({{"kernel", row.kernel},
                       {"shape", row.shape},
                       {"dtype", row.dtype},
                       {"backend", row.backend},
                       {"seconds", number_or_null(row.seconds)},
                       {"gflops", number_or_null(row.gflops)},
                       {"gbps", number_or_null(row.gbps)},
                       {"roofline_pct", number_or_null(row.roofline_pct)},
                       {"repetitions", row.repetitions}});
  }
  json throughput = json::array();
  for (const auto& row : data.throughput) {
    throughput.push_back({{"model", row.model},
                          {"phase", row.phase},
                          {"batch", row.batch},
                          {"context", row.context},
                          {"tokens_per_s", number_or_null(row.tokens_per_s)},
                          {"cost_per_mtok_usd", number_or_null(row.cost_per_mtok_usd)},
                          {"price_basis", row.price_basis},
                          {"projection", row.projection}});
  }
  return {{"bench_id", data.bench->bench_id}, {"started_at", data.bench->started_at}, {"model", data.bench->model},
          {"machine", data.bench->machine},   {"provenance", data.bench->provenance}, {"kernels", kernels},
          {"throughput", throughput}};
}

json grading_json(const ReportData& data) {
  json differences = json::array();
  for (const VerdictDifference& d : data.audit) {
    differences.push_back(
        {{"suite", d.suite},
         {"problem_id", d.problem_id},
         {"sample_index", d.sample_index},
         {"first", {{"correct", d.correct_a}, {"outcome", outcome_label(d.outcome_a)}, {"extracted", d.extracted_a}}},
         {"latest", {{"correct", d.correct_b}, {"outcome", outcome_label(d.outcome_b)}, {"extracted", d.extracted_b}}},
         {"gold", d.gold}});
  }
  return {{"number", data.grading}, {"gradings", data.gradings}, {"audit", differences}};
}

}  // namespace

std::string render_json(const ReportData& data) {
  const json document = {{"report_format", kReportFormatVersion},
                         {"run", run_json(data.run)},
                         {"error_notice",
                          [&] {
                            const std::string notice = error_notice(data);
                            return notice.empty() ? json(nullptr) : json(notice);
                          }()},
                         {"grading", grading_json(data)},
                         {"metrics", metrics_json(data.metrics)},
                         {"sample_summary", sample_summary_json(data)},
                         {"baseline", data.baseline_name.empty() ? json(nullptr) : json(data.baseline_name)},
                         {"comparison", comparison_json(data.comparison)},
                         {"examples", examples_json(data)},
                         {"bench", bench_json(data)}};
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace r1eval::reports::render
