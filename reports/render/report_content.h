// The parts of a report every format shows, derived once from ReportData: the suites in run order, the run's
// fields, provenance flattened to name/value pairs, per-suite sample summaries and example completions.
// Values here are unescaped text; each renderer escapes them for its format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/render/report_data.h"

namespace r1eval::reports::render {

// The suite name of whole-run metrics.
inline constexpr std::string_view kOverallSuite = "all";

// The names in a comma-separated suite list ("gsm8k, math500"), blanks trimmed, empty entries dropped.
std::vector<std::string> split_suite_list(std::string_view list);

// Suites in the order the run names them, then any other suite seen in metrics or samples (first seen first);
// never kOverallSuite.
std::vector<std::string> suite_order(const ReportData& data);

const db::MetricRow* find_metric(const ReportData& data, std::string_view suite, std::string_view metric);

struct Field {
  std::string name;
  std::string value;
};

// Run id, status, model, template, suites, samples, limit, sampling, seed, times, run key.
std::vector<Field> run_fields(const ReportData& data);

// A JSON document (provenance, machine description) flattened to "a.b.c" = value pairs in document order; arrays of
// scalars are joined with ", ". Nesting deeper than a few levels is shown as compact JSON.
std::vector<Field> json_fields(const nlohmann::json& document);

// The name of a graders::Outcome code ("pass", "timeout"...), or "outcome N" for a code this build does not know.
std::string outcome_label(int outcome);

struct SuiteSampleSummary {
  std::string suite;
  std::int64_t samples = 0;
  std::int64_t problems = 0;  // distinct problem ids
  std::int64_t correct = 0;
  std::int64_t truncated = 0;  // finish_reason "length"
  std::map<int, std::int64_t> outcomes;
  double mean_completion_tokens = 0.0;
  std::int64_t max_completion_tokens = 0;
};

// One entry per suite that has samples, in suite_order.
std::vector<SuiteSampleSummary> summarize_samples(const ReportData& data);

struct ExampleCompletion {
  std::string suite;
  std::string subset;
  std::string problem_id;
  std::int64_t sample_index = 0;
  bool correct = false;
  std::string outcome;
  std::string finish_reason;
  std::int64_t completion_tokens = 0;
  std::string extracted;
  std::string excerpt;         // sanitized (valid UTF-8), at most max_bytes
  std::size_t full_bytes = 0;  // the completion's full length, to say when the excerpt is cut
};

// Per suite, its first incorrect and its first correct sample (so a reader sees what failing and passing output
// look like), each completion cut to max_bytes.
std::vector<ExampleCompletion> pick_examples(const ReportData& data, std::size_t max_bytes);

}  // namespace r1eval::reports::render
