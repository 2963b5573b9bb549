#include "tests/reports/render/render_fixture.h"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

namespace r1eval::reports::render::testing {
namespace {

db::MetricRow metric(const std::string& suite, const std::string& name, double value, std::optional<double> low,
                     std::optional<double> high, std::int64_t n) {
  return db::MetricRow{suite, name, value, low, high, n};
}

// 3 problems × 4 samples; problem p(i) sample j has 100·(i+1) + 10·j tokens and is correct when j < correct[i].
void add_suite_samples(ReportData& data, const std::string& suite, const int (&correct)[3]) {
  for (int problem = 0; problem < 3; ++problem) {
    for (int sample = 0; sample < 4; ++sample) {
      db::SampleRow row;
      row.run_id = data.run.run_id;
      row.suite = suite;
      row.problem_id = std::string("p").append(std::to_string(problem));
      row.problem_index = problem;
      row.sample_index = sample;
      row.completion = std::string("reasoning for ").append(row.problem_id).append(" \\boxed{");
      row.completion.append(std::to_string(sample)).append("}");
      row.completion_tokens = 100 * (problem + 1) + 10 * sample;
      row.finish_reason = (problem == 2 && sample == 3) ? "length" : "stop";
      row.correct = sample < correct[problem];
      row.outcome = row.correct ? 0 : (row.finish_reason == "length" ? 2 : 1);
      row.extracted = std::to_string(sample);
      row.format_ok = true;
      row.has_answer = row.outcome != 2;
      data.samples.push_back(row);
    }
  }
}

}  // namespace

ReportData sample_report_data() {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  ReportData data;
  db::RunInfo& run = data.run;
  run.run_id = 7;
  run.run_key = "key-7f3a";
  run.status = "finished";
  run.started_at = "2026-11-29T01:00:00Z";
  run.finished_at = "2026-11-29T01:05:00Z";
  run.model = "models/r1-tiny";
  run.template_name = "r1";
  run.suites = "gsm8k,math500,humaneval";
  run.samples = 4;
  run.limit = 3;
  run.max_new_tokens = 1024;
  run.temperature = 0.6;
  run.top_p = 0.95;
  run.seed = 42;
  run.provenance = {{"r1eval_version", "0.1.0"},
                    {"git_commit", "abc1234"},
                    {"model_hashes", {{"config", "sha256:c0ffee"}, {"tokenizer", "sha256:beef"}}},
                    {"data_hashes", {{"gsm8k", "sha256:da7a"}}},
                    {"grader_versions", {{"math", "3"}}},
                    {"machine", {{"cpu", "Test CPU <fast>"}, {"cores", 2}}}};

  const std::vector<std::string> suites = {"gsm8k", "math500", "humaneval"};
  const double pass1[] = {0.5, 0.25, 0.0};
  const double low[] = {0.25, 0.08333333, 0.0};
  const double high[] = {0.75, 0.41666667, 0.0};
  for (std::size_t s = 0; s < suites.size(); ++s) {
    const std::string& suite = suites[s];
    data.metrics.push_back(metric(suite, "pass@1", pass1[s], low[s], high[s], 3));
    data.metrics.push_back(metric(suite, "pass@2", std::min(1.0, pass1[s] * 1.5), std::nullopt, std::nullopt, 3));
    data.metrics.push_back(metric(suite, "pass@4", std::min(1.0, pass1[s] * 1.8), std::nullopt, std::nullopt, 3));
    data.metrics.push_back(
        metric(suite, "cons@4", 0.6666667 - 0.1 * static_cast<double>(s), std::nullopt, std::nullopt, 3));
    data.metrics.push_back(metric(suite, "format_compliance", 1.0, std::nullopt, std::nullopt, 3));
    data.metrics.push_back(metric(suite, "truncation_rate", 0.08333333, std::nullopt, std::nullopt, 3));
    data.metrics.push_back(metric(suite, "no_answer_rate", 0.16666667, std::nullopt, std::nullopt, 3));
    data.metrics.push_back(metric(suite, "language_consistency", 0.95, std::nullopt, std::nullopt, 3));
    data.metrics.push_back(metric(suite, "tokens_per_sample", 215.04, std::nullopt, std::nullopt, 3));
    data.metrics.push_back(metric(suite, "problems", 3, std::nullopt, std::nullopt, 3));
    data.metrics.push_back(metric(suite, "samples", 12, std::nullopt, std::nullopt, 3));
  }
  data.metrics.push_back(metric("all", "pass@1", 0.25, 0.1388889, 0.3611111, 9));

  add_suite_samples(data, "gsm8k", {2, 2, 2});
  add_suite_samples(data, "math500", {1, 1, 1});
  add_suite_samples(data, "humaneval", {0, 0, 0});
  for (auto& row : data.samples) {
    if (row.suite == "gsm8k" && row.problem_id == "p0") row.problem_id = "p|0<b>";
  }
  data.samples[0].completion = kHostileCompletion;
  data.samples[0].extracted = "<i>4</i>";

  data.baseline_name = "paper:DeepSeek-R1";
  ComparisonRow regression{"gsm8k", "pass@1", 0.5, 0.8, -0.3, -0.5, -0.1, 0.004, 3, true, false};
  ComparisonRow unchanged{"math500", "pass@1", 0.25, 0.2, 0.05, -0.1, 0.2, 0.52, 3, false, false};
  ComparisonRow paper_only{"humaneval", "pass@1", 0.0, 0.9, -0.9, kNaN, kNaN, kNaN, 0, false, false};
  data.comparison = {regression, unchanged, paper_only};

  db::BenchInfo bench;
  bench.bench_id = 2;
  bench.started_at = "2026-11-29T00:30:00Z";
  bench.model = "models/r1-tiny";
  bench.machine = {{"cpu", "Test CPU"}, {"memory_gbps", 20.5}};
  data.bench = bench;
  data.kernels.push_back(
      db::KernelResultRow{2, "matmul", "m=1,k=7168,n=1536", "bf16", "avx2", 0.00125, 17.6, 35.2, 68.27, 50});
  data.kernels.push_back(db::KernelResultRow{2, "rms_norm", "n=7168", "f32", "scalar", 2.5e-6, 5.7, 22.9, 41.0, 200});
  data.throughput.push_back(db::ThroughputRow{2, "models/r1-tiny", "decode", 8, 1024, 123.4, 0.5625,
                                              "cpu core-hour 0.05 USD (example, 2026)", false});
  data.throughput.push_back(
      db::ThroughputRow{2, "DeepSeek-R1 on 8 H200", "decode", 64, 4096, 2500.0, 1.75, "H200 hour (example)", true});
  return data;
}

ReportData empty_report_data() {
  ReportData data;
  data.run.run_id = 1;
  data.run.status = "running";
  data.run.started_at = "2026-11-29T01:00:00Z";
  data.run.model = "models/r1-tiny";
  data.run.suites = "gsm8k";
  return data;
}

bool is_valid_utf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

}  // namespace r1eval::reports::render::testing
