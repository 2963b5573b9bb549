#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/render/render.h"
#include "tests/reports/render/render_fixture.h"

namespace r1eval::reports::render {
namespace {

using nlohmann::json;

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

TEST(JsonReport, RoundTripsRunMetricsComparisonAndBench) {
  const ReportData data = testing::sample_report_data();
  const json doc = json::parse(render_report(data, ReportFormat::kJson));

  EXPECT_EQ(doc.at("report_format"), 1);
  const json& run = doc.at("run");
  EXPECT_EQ(run.at("run_id"), 7);
  EXPECT_EQ(run.at("status"), "finished");
  EXPECT_EQ(run.at("model"), "models/r1-tiny");
  EXPECT_EQ(run.at("template"), "r1");
  EXPECT_EQ(run.at("suites"), json({"gsm8k", "math500", "humaneval"}));
  EXPECT_EQ(run.at("samples"), 4);
  EXPECT_EQ(run.at("limit"), 3);
  EXPECT_EQ(run.at("max_new_tokens"), 1024);
  EXPECT_EQ(run.at("temperature").get<double>(), 0.6);
  EXPECT_EQ(run.at("top_p").get<double>(), 0.95);
  EXPECT_EQ(run.at("seed").get<std::uint64_t>(), 42u);
  EXPECT_EQ(run.at("finished_at"), "2026-11-29T01:05:00Z");
  EXPECT_EQ(run.at("provenance"), data.run.provenance);

  const json& metrics = doc.at("metrics");
  ASSERT_EQ(metrics.size(), data.metrics.size());
  for (std::size_t i = 0; i < data.metrics.size(); ++i) {
    const db::MetricRow& want = data.metrics[i];
    EXPECT_EQ(metrics[i].at("suite"), want.suite);
    EXPECT_EQ(metrics[i].at("metric"), want.metric);
    EXPECT_EQ(metrics[i].at("value").get<double>(), want.value) << want.suite << " " << want.metric;
    EXPECT_EQ(metrics[i].at("ci_low"), optional_json(want.ci_low));
    EXPECT_EQ(metrics[i].at("ci_high"), optional_json(want.ci_high));
    EXPECT_EQ(metrics[i].at("n"), want.n);
  }

  EXPECT_EQ(doc.at("baseline"), "paper:DeepSeek-R1");
  const json& comparison = doc.at("comparison");
  ASSERT_EQ(comparison.size(), 3u);
  EXPECT_EQ(comparison[0].at("suite"), "gsm8k");
  EXPECT_EQ(comparison[0].at("delta").get<double>(), -0.3);
  EXPECT_EQ(comparison[0].at("ci_low").get<double>(), -0.5);
  EXPECT_EQ(comparison[0].at("p_value").get<double>(), 0.004);
  EXPECT_EQ(comparison[0].at("significant_regression"), true);
  EXPECT_EQ(comparison[1].at("significant_regression"), false);
  EXPECT_EQ(comparison[2].at("ci_low"), nullptr);  // NaN: a paper baseline has no interval
  EXPECT_EQ(comparison[2].at("p_value"), nullptr);
  EXPECT_EQ(comparison[2].at("baseline_value").get<double>(), 0.9);

  const json& bench = doc.at("bench");
  EXPECT_EQ(bench.at("bench_id"), 2);
  EXPECT_EQ(bench.at("machine").at("memory_gbps").get<double>(), 20.5);
  ASSERT_EQ(bench.at("kernels").size(), 2u);
  EXPECT_EQ(bench.at("kernels")[0].at("roofline_pct").get<double>(), 68.27);
  EXPECT_EQ(bench.at("kernels")[0].at("seconds").get<double>(), 0.00125);
  ASSERT_EQ(bench.at("throughput").size(), 2u);
  EXPECT_EQ(bench.at("throughput")[1].at("projection"), true);
  EXPECT_EQ(bench.at("throughput")[1].at("cost_per_mtok_usd").get<double>(), 1.75);
}

TEST(JsonReport, SampleSummaryCountsOutcomes) {
  const json doc = json::parse(render_report(testing::sample_report_data(), ReportFormat::kJson));
  const json& summary = doc.at("sample_summary");
  ASSERT_EQ(summary.size(), 3u);
  EXPECT_EQ(summary[0].at("suite"), "gsm8k");
  EXPECT_EQ(summary[0].at("samples"), 12);
  EXPECT_EQ(summary[0].at("problems"), 3);
  EXPECT_EQ(summary[0].at("correct"), 6);
  EXPECT_EQ(summary[0].at("truncated"), 1);
  EXPECT_EQ(summary[0].at("outcomes"), json({{"pass", 6}, {"fail", 5}, {"no_answer", 1}}));
  EXPECT_EQ(summary[0].at("mean_completion_tokens").get<double>(), 215.0);
  EXPECT_EQ(summary[0].at("max_completion_tokens"), 330);
}

TEST(JsonReport, InvalidUtf8BecomesReplacementCharacters) {
  ReportData data = testing::sample_report_data();
  data.run.model =
      "models/\xFF"
      "bad";
  data.run.provenance["note"] = "\xC3(";
  const std::string text = render_report(data, ReportFormat::kJson);
  EXPECT_TRUE(testing::is_valid_utf8(text));
  const json doc = json::parse(text);
  EXPECT_EQ(doc.at("run").at("model"),
            "models/\xEF\xBF\xBD"
            "bad");
  EXPECT_EQ(doc.at("run").at("provenance").at("note"), "\xEF\xBF\xBD(");
  const json& example = doc.at("examples")[1];
  EXPECT_EQ(example.at("suite"), "gsm8k");
  EXPECT_EQ(example.at("correct"), true);
  EXPECT_EQ(example.at("problem_id"), "p|0<b>");
  EXPECT_EQ(example.at("completion_excerpt"),
            "<think>2+2</think> <script>alert(1)</script> bad bytes: \xEF\xBF\xBD\xEF\xBF\xBD and \xEF\xBF\xBD( end "
            "\\boxed{4}");
  EXPECT_EQ(example.at("completion_bytes"), testing::kHostileCompletion.size());
}

TEST(JsonReport, EmptyRunRendersNullsAndEmptyLists) {
  const json doc = json::parse(render_report(testing::empty_report_data(), ReportFormat::kJson));
  EXPECT_EQ(doc.at("run").at("finished_at"), nullptr);
  EXPECT_EQ(doc.at("run").at("provenance"), nullptr);
  EXPECT_EQ(doc.at("metrics"), json::array());
  EXPECT_EQ(doc.at("sample_summary"), json::array());
  EXPECT_EQ(doc.at("comparison"), json::array());
  EXPECT_EQ(doc.at("baseline"), nullptr);
  EXPECT_EQ(doc.at("bench"), nullptr);
}

}  // namespace
}  // namespace r1eval::reports::render
