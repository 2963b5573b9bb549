#include "reports/render/report_content.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "graders/grader.h"
#include "reports/render/grading_tables.h"
#include "reports/render/metric_format.h"
#include "reports/render/text_escape.h"

namespace r1eval::reports::render {

std::vector<std::string> split_suite_list(std::string_view list) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view name = list.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty()) names.emplace_back(name);
    start = end + 1;
  }
  return names;
}

namespace {

constexpr int kMaxFlattenDepth = 6;

// Compact JSON that never throws: invalid UTF-8 inside strings becomes U+FFFD.
std::string compact_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string scalar_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  return compact_json(value);
}

void flatten(const nlohmann::json& value, const std::string& path, int depth, std::vector<Field>& out) {
  const bool container = value.is_object() || value.is_array();
  const bool scalar_array = value.is_array() && std::none_of(value.begin(), value.end(), [](const auto& item) {
                              return item.is_object() || item.is_array();
                            });
  if (!container || value.empty() || depth >= kMaxFlattenDepth) {
    out.push_back({path, container ? compact_json(value) : scalar_text(value)});
    return;
  }
  if (scalar_array) {
    std::string joined;
    for (const auto& item : value) {
      if (!joined.empty()) joined += ", ";
      joined += scalar_text(item);
    }
    out.push_back({path, joined});
    return;
  }
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      flatten(item, path.empty() ? key : path + "." + key, depth + 1, out);
    }
    return;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    flatten(value[i], fmt::format("{}[{}]", path, i), depth + 1, out);
  }
}

std::string or_missing(const std::string& text) { return text.empty() ? std::string(kMissing) : text; }

ExampleCompletion make_example(const db::SampleRow& row, std::size_t max_bytes) {
  ExampleCompletion example;
  example.suite = row.suite;
  example.subset = row.subset;
  example.problem_id = row.problem_id;
  example.sample_index = row.sample_index;
  example.correct = row.correct;
  example.outcome = outcome_label(row.outcome);
  example.finish_reason = row.finish_reason;
  example.completion_tokens = row.completion_tokens;
  example.extracted = row.extracted;
  const std::string clean = sanitize_text(row.completion);
  example.excerpt = std::string(truncate_utf8(clean, max_bytes));
  example.full_bytes = row.completion.size();
  return example;
}

}  // namespace

std::vector<std::string> suite_order(const ReportData& data) {
  std::vector<std::string> order;
  std::set<std::string, std::less<>> seen{std::string(kOverallSuite)};
  const auto add = [&](const std::string& name) {
    if (seen.insert(name).second) order.push_back(name);
  };
  for (const auto& name : split_suite_list(data.run.suites)) add(name);
  for (const auto& row : data.metrics) add(row.suite);
  for (const auto& row : data.samples) add(row.suite);
  return order;
}

const db::MetricRow* find_metric(const ReportData& data, std::string_view suite, std::string_view metric) {
  const auto it = std::find_if(data.metrics.begin(), data.metrics.end(),
                               [&](const db::MetricRow& row) { return row.suite == suite && row.metric == metric; });
  return it == data.metrics.end() ? nullptr : &*it;
}

std::vector<Field> run_fields(const ReportData& data) {
  const db::RunInfo& run = data.run;
  const std::string samples = run.samples > 0 ? fmt::format("{} per problem", run.samples) : "each suite's default";
  const std::string limit = run.limit > 0 ? fmt::format("first {} problems per suite", run.limit) : "all problems";
  const std::string tokens =
      run.max_new_tokens > 0 ? fmt::format("at most {} new tokens", run.max_new_tokens) : "each suite's token budget";
  return {
      {"Run", fmt::format("{}", run.run_id)},
      {"Status", or_missing(run.status)},
      {"Model", or_missing(run.model)},
      {"Template", or_missing(run.template_name)},
      {"Suites", or_missing(run.suites)},
      {"Samples", samples},
      {"Problems", limit},
      {"Sampling", fmt::format("temperature {}, top-p {}, {}", run.temperature, run.top_p, tokens)},
      {"Seed", fmt::format("{}", run.seed)},
      {"Started", or_missing(run.started_at)},
      {"Finished", run.finished_at.empty() ? std::string("not finished") : run.finished_at},
      {"Run key", or_missing(run.run_key)},
      {"Grading", grading_label(data)},
  };
}

std::vector<Field> json_fields(const nlohmann::json& document) {
  std::vector<Field> fields;
  if (document.is_null()) return fields;
  flatten(document, "", 0, fields);
  return fields;
}

std::string outcome_label(int outcome) {
  const std::string_view name = graders::outcome_name(static_cast<graders::Outcome>(outcome));
  if (name == "unknown") return fmt::format("outcome {}", outcome);
  return std::string(name);
}

std::vector<SuiteSampleSummary> summarize_samples(const ReportData& data) {
  std::vector<SuiteSampleSummary> summaries;
  for (const auto& suite : suite_order(data)) {
    SuiteSampleSummary summary;
    summary.suite = suite;
    std::set<std::string_view> problems;
    double total_tokens = 0.0;
    for (const auto& row : data.samples) {
      if (row.suite != suite) continue;
      ++summary.samples;
      problems.insert(row.problem_id);
      summary.correct += row.correct ? 1 : 0;
      summary.truncated += row.finish_reason == "length" ? 1 : 0;
      ++summary.outcomes[row.outcome];
      total_tokens += static_cast<double>(row.completion_tokens);
      summary.max_completion_tokens = std::max(summary.max_completion_tokens, row.completion_tokens);
    }
    if (summary.samples == 0) continue;
    summary.problems = static_cast<std::int64_t>(problems.size());
    summary.mean_completion_tokens = total_tokens / static_cast<double>(summary.samples);
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

std::vector<ExampleCompletion> pick_examples(const ReportData& data, std::size_t max_bytes) {
  std::vector<ExampleCompletion> examples;
  for (const auto& suite : suite_order(data)) {
    for (const bool want_correct : {false, true}) {
      const auto it = std::find_if(data.samples.begin(), data.samples.end(), [&](const db::SampleRow& row) {
        return row.suite == suite && row.correct == want_correct;
      });
      if (it != data.samples.end()) examples.push_back(make_example(*it, max_bytes));
    }
  }
  return examples;
}

}  // namespace r1eval::reports::render
