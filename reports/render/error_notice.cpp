#include "reports/render/error_notice.h"

#include <cstdint>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "graders/grader.h"

namespace r1eval::reports::render {
namespace {

const db::MetricRow* all_metric(const ReportData& data, std::string_view metric) {
  for (const db::MetricRow& row : data.metrics) {
    if (row.suite == "all" && row.metric == metric) return &row;
  }
  return nullptr;
}

}  // namespace

std::string error_notice(const ReportData& data) {
  std::map<std::string_view, std::int64_t> kinds;  // by outcome name, so the order is stable
  std::int64_t errors_in_samples = 0;
  for (const db::SampleRow& sample : data.samples) {
    const auto outcome = static_cast<graders::Outcome>(sample.outcome);
    if (graders::is_scored(outcome)) continue;
    ++kinds[graders::outcome_name(outcome)];
    ++errors_in_samples;
  }
  const db::MetricRow* errors_row = all_metric(data, "errors");
  const db::MetricRow* samples_row = all_metric(data, "samples");
  const bool from_metrics = errors_row != nullptr && samples_row != nullptr;
  const auto errors = from_metrics ? static_cast<std::int64_t>(errors_row->value) : errors_in_samples;
  const auto samples =
      from_metrics ? static_cast<std::int64_t>(samples_row->value) : static_cast<std::int64_t>(data.samples.size());
  if (errors <= 0 || samples <= 0) return {};
  std::string kind_list;
  for (const auto& [name, count] : kinds) {
    kind_list += fmt::format("{}{} {}", kind_list.empty() ? "" : ", ", name, count);
  }
  return fmt::format(
      "{} of {} samples ({:.1f}%) are errors, not verdicts on the model{}: they are left out of every "
      "score and counted in error_rate.",
      errors, samples, 100.0 * static_cast<double>(errors) / static_cast<double>(samples),
      kind_list.empty() ? "" : fmt::format(" ({})", kind_list));
}

}  // namespace r1eval::reports::render
