// Every format renders data no run should produce (values that are not finite, unknown names and codes, hostile
// text in every string field, deep provenance) into a valid document instead of crashing or emitting bad markup.
#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/render/render.h"
#include "tests/reports/render/html_check.h"
#include "tests/reports/render/render_fixture.h"

namespace r1eval::reports::render {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
const std::string kHostile = "<img src=x onerror=alert(1)>|*_`[a](http://x)\xFF\xC3(\x01";

ReportData degenerate_data() {
  ReportData data;
  data.run.run_id = -1;
  data.run.model = kHostile;
  data.run.template_name = kHostile;
  data.run.suites = " , " + kHostile + ",,all";
  data.run.status = kHostile;
  data.run.temperature = kNaN;
  data.run.top_p = kInf;
  nlohmann::json deep = "bottom";
  for (int i = 0; i < 200; ++i) deep = nlohmann::json{{"level", deep}, {"list", {1, "two", nullptr}}};
  data.run.provenance = {{"deep", deep}, {kHostile, kHostile}, {"empty", nlohmann::json::object()}};
  data.metrics = {
      {kHostile, "pass@1", kNaN, kNaN, kInf, 0},
      {kHostile, "pass@0", -1.0, std::nullopt, std::nullopt, -5},
      {kHostile, "pass@4", 7.0, -kInf, kInf, 1},
      {kHostile, kHostile, 1e300, std::nullopt, std::nullopt, 1},
      {"all", "cons@8", kInf, std::nullopt, std::nullopt, 0},
      {"all", "format_compliance", -0.5, std::nullopt, std::nullopt, 0},
  };
  db::SampleRow sample;
  sample.suite = kHostile;
  sample.subset = kHostile;
  sample.problem_id = kHostile;
  sample.completion = kHostile + std::string(1000, '`') + std::string(3000, 'x') + "\xE2\x82";  // long, cut
  sample.completion_tokens = -7;
  sample.outcome = 99;
  sample.extracted = kHostile;
  data.samples = {sample, sample};
  data.samples[1].completion_tokens = std::numeric_limits<std::int64_t>::max();
  data.samples[1].correct = true;
  data.samples[1].completion.clear();
  data.baseline_name = kHostile;
  data.comparison = {{kHostile, kHostile, kNaN, kInf, kNaN, kNaN, kNaN, kNaN, -1, true, true}};
  db::BenchInfo bench;
  bench.machine = kHostile;
  data.bench = bench;
  data.throughput = {{0, kHostile, kHostile, -1, -1, kNaN, kInf, kHostile, true}};
  data.kernels = {{0, kHostile, kHostile, kHostile, kHostile, kNaN, kInf, -kInf, kNaN, 0}};
  return data;
}

TEST(RenderRobustness, MarkdownIsValidUtf8WithoutRawMarkupOutsideCode) {
  const std::string md = render_report(degenerate_data(), ReportFormat::kMarkdown);
  EXPECT_TRUE(testing::is_valid_utf8(md));
  EXPECT_NE(md.find("&lt;img src=x onerror=alert(1)&gt;\\|\\*\\_\\`[a\\](http://x)"), std::string::npos);
  // Raw "<img" only inside the example code blocks, whose fence outlasts the 1000-backtick run.
  const std::size_t fence = md.find(std::string(1001, '`') + "text\n");
  ASSERT_NE(fence, std::string::npos);
  EXPECT_GT(md.find("<img"), fence);
}

TEST(RenderRobustness, HtmlIsWellFormedAndEscaped) {
  const std::string html = render_report(degenerate_data(), ReportFormat::kHtml);
  EXPECT_TRUE(testing::is_valid_utf8(html));
  const auto check = testing::check_html(html);
  ASSERT_EQ(check.error, "");
  EXPECT_EQ(check.elements.count("img"), 0u);
  EXPECT_EQ(check.elements.count("a"), 0u);
  for (const auto& [name, value] : check.attributes) {
    EXPECT_NE(name, "onerror");
    EXPECT_NE(name, "src");
  }
}

TEST(RenderRobustness, JsonParsesWithNullsForValuesThatAreNotFinite) {
  const std::string text = render_report(degenerate_data(), ReportFormat::kJson);
  const auto doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc.at("run").at("temperature"), nullptr);
  EXPECT_EQ(doc.at("run").at("top_p"), nullptr);
  EXPECT_EQ(doc.at("metrics")[0].at("value"), nullptr);
  EXPECT_EQ(doc.at("metrics")[0].at("ci_high"), nullptr);
  EXPECT_EQ(doc.at("metrics")[3].at("value").get<double>(), 1e300);
  EXPECT_EQ(doc.at("sample_summary")[0].at("outcomes").at("outcome 99"), 2);
  EXPECT_EQ(doc.at("bench").at("kernels")[0].at("gflops"), nullptr);
}

}  // namespace
}  // namespace r1eval::reports::render
