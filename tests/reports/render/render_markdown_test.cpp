#include <string>

#include <gtest/gtest.h>

#include "reports/render/render.h"
#include "tests/reports/render/render_fixture.h"

namespace r1eval::reports::render {
namespace {

class MarkdownReport : public ::testing::Test {
 protected:
  const std::string md = render_report(testing::sample_report_data(), ReportFormat::kMarkdown);

  void expect_line(const std::string& line) const {
    EXPECT_NE(md.find("\n" + line + "\n"), std::string::npos) << "missing line: " << line;
  }
  std::size_t position(const std::string& text) const {
    const std::size_t pos = md.find(text);
    EXPECT_NE(pos, std::string::npos) << "missing: " << text;
    return pos;
  }
};

TEST_F(MarkdownReport, HeaderHasTheRunAndItsProvenance) {
  EXPECT_EQ(md.rfind("# r1eval report: run 7\n", 0), 0u);
  expect_line("- **Model:** models/r1-tiny");
  expect_line("- **Template:** r1");
  expect_line("- **Suites:** gsm8k,math500,humaneval");
  expect_line("- **Samples:** 4 per problem");
  expect_line("- **Sampling:** temperature 0.6, top-p 0.95, at most 1024 new tokens");
  expect_line("- **Seed:** 42");
  expect_line("- **Finished:** 2026-11-29T01:05:00Z");
  expect_line("| git\\_commit | abc1234 |");
  expect_line("| model\\_hashes.config | sha256:c0ffee |");
  expect_line("| data\\_hashes.gsm8k | sha256:da7a |");
  expect_line("| grader\\_versions.math | 3 |");
  expect_line("| machine.cpu | Test CPU &lt;fast&gt; |");
}

TEST_F(MarkdownReport, SummaryRowsShowPercentagesWithOneDecimal) {
  expect_line(
      "| Suite | Problems | Samples | pass@1 | 95% interval | cons@k | Format ok | Truncated | Tokens/sample |");
  expect_line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  expect_line("| gsm8k | 3 | 12 | 50.0% | [25.0%, 75.0%] | 66.7% (cons@4) | 100.0% | 8.3% | 215.0 |");
  expect_line("| math500 | 3 | 12 | 25.0% | [8.3%, 41.7%] | 56.7% (cons@4) | 100.0% | 8.3% | 215.0 |");
  expect_line("| humaneval | 3 | 12 | 0.0% | [0.0%, 0.0%] | 46.7% (cons@4) | 100.0% | 8.3% | 215.0 |");
  expect_line(
      "| all | \xE2\x80\x94 | \xE2\x80\x94 | 25.0% | [13.9%, 36.1%] | \xE2\x80\x94 | \xE2\x80\x94 | \xE2\x80\x94 | "
      "\xE2\x80\x94 |");
}

TEST_F(MarkdownReport, MetricRowsInDisplayOrder) {
  expect_line("| gsm8k | pass@1 | 50.0% | [25.0%, 75.0%] | 3 |");
  expect_line("| gsm8k | pass@2 | 75.0% | \xE2\x80\x94 | 3 |");
  expect_line("| math500 | pass@2 | 37.5% | \xE2\x80\x94 | 3 |");
  expect_line("| math500 | pass@4 | 45.0% | \xE2\x80\x94 | 3 |");
  expect_line("| humaneval | no\\_answer\\_rate | 16.7% | \xE2\x80\x94 | 3 |");
  expect_line("| humaneval | language\\_consistency | 95.0% | \xE2\x80\x94 | 3 |");
  expect_line("| all | pass@1 | 25.0% | [13.9%, 36.1%] | 9 |");
  EXPECT_LT(position("| gsm8k | pass@1 |"), position("| gsm8k | pass@4 |"));
  EXPECT_LT(position("| gsm8k | pass@4 |"), position("| gsm8k | cons@4 |"));
  EXPECT_LT(position("| gsm8k | cons@4 |"), position("| gsm8k | format\\_compliance |"));
  EXPECT_LT(position("| gsm8k | samples |"), position("| math500 | pass@1 |"));
  EXPECT_LT(position("| humaneval | samples |"), position("| all | pass@1 |"));
}

TEST_F(MarkdownReport, ComparisonFlagsTheRegression) {
  expect_line("## Comparison with paper:DeepSeek-R1");
  expect_line(
      "| **gsm8k** | **pass@1** | **50.0%** | **80.0%** | **-30.0 pp** | **[-50.0, -10.0] pp** | **0.004** | "
      "**3** | **REGRESSION** |");
  expect_line("| math500 | pass@1 | 25.0% | 20.0% | +5.0 pp | [-10.0, +20.0] pp | 0.520 | 3 | no significant change |");
  expect_line(
      "| humaneval | pass@1 | 0.0% | 90.0% | -90.0 pp | \xE2\x80\x94 | \xE2\x80\x94 | 0 | no significant change |");
  expect_line("**1 significant regression.**");
}

TEST_F(MarkdownReport, OutcomeCountsPerSuite) {
  expect_line(
      "| Suite | Samples | Problems | Correct | pass | fail | no\\_answer | Truncated | Mean tokens | Max tokens |");
  expect_line("| gsm8k | 12 | 3 | 6 | 6 | 5 | 1 | 1 | 215.0 | 330 |");
  expect_line("| math500 | 12 | 3 | 3 | 3 | 8 | 1 | 1 | 215.0 | 330 |");
  expect_line("| humaneval | 12 | 3 | 0 | 0 | 11 | 1 | 1 | 215.0 | 330 |");
}

TEST_F(MarkdownReport, HostileCompletionStaysInsideItsCodeBlock) {
  expect_line("### gsm8k · problem p\\|0&lt;b&gt; · sample 0 · correct (pass)");
  expect_line("Extracted answer: &lt;i&gt;4&lt;/i&gt; · finish: stop · 100 tokens");
  const std::string block =
      "```text\n<think>2+2</think> <script>alert(1)</script> bad bytes: "
      "\xEF\xBF\xBD\xEF\xBF\xBD and \xEF\xBF\xBD( end \\boxed{4}\n```\n";
  EXPECT_NE(md.find(block), std::string::npos);
  EXPECT_EQ(md.find("<script>"), md.find(block) + 27);  // the only raw tag is the one inside the block
  EXPECT_EQ(md.find("<script>", md.find("<script>") + 1), std::string::npos);
  EXPECT_TRUE(testing::is_valid_utf8(md));
}

TEST_F(MarkdownReport, BenchSectionWithRooflineAndCost) {
  expect_line("## Benchmark 2");
  expect_line("| matmul | m=1,k=7168,n=1536 | bf16 | avx2 | 1250.00 | 17.6 | 35.2 | 68.3% | 50 |");
  expect_line("| rms\\_norm | n=7168 | f32 | scalar | 2.50 | 5.7 | 22.9 | 41.0% | 200 |");
  expect_line(
      "| models/r1-tiny | decode | 8 | 1024 | 123.4 | 0.5625 | measured | "
      "cpu core-hour 0.05 USD (example, 2026) |");
  expect_line("| DeepSeek-R1 on 8 H200 | decode | 64 | 4096 | 2500.0 | 1.7500 | projection | H200 hour (example) |");
  expect_line("| memory\\_gbps | 20.5 |");
}

TEST(MarkdownReportEmpty, RunWithoutResultsSaysSo) {
  const std::string md = render_report(testing::empty_report_data(), ReportFormat::kMarkdown);
  EXPECT_NE(md.find("_No results yet: the run has no samples or metrics._"), std::string::npos);
  EXPECT_NE(md.find("- **Finished:** not finished"), std::string::npos);
  EXPECT_EQ(md.find("## Outcomes"), std::string::npos);
  EXPECT_EQ(md.find("## Benchmark"), std::string::npos);
  EXPECT_EQ(md.find("## Comparison"), std::string::npos);
}

}  // namespace
}  // namespace r1eval::reports::render
