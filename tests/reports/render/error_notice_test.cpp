// The errors sentence at the top of a report: its count, share and kinds, and its place in each format.
#include "reports/render/error_notice.h"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "graders/grader.h"
#include "reports/render/render_formats.h"
#include "tests/reports/render/render_fixture.h"

namespace r1eval::reports::render {
namespace {

db::MetricRow all_row(const std::string& metric, double value) {
  db::MetricRow row;
  row.suite = "all";
  row.metric = metric;
  row.value = value;
  return row;
}

// Only the outcome matters here (a suite and problem id kept empty: g++ 12 -O3 warns falsely on short literals).
db::SampleRow sample_with(graders::Outcome outcome) {
  db::SampleRow row;
  row.outcome = static_cast<int>(outcome);
  return row;
}

// 3 of 40 samples: 2 not_generated and 1 grader_error, 7.5%; the kinds in name order.
ReportData data_with_errors() {
  ReportData data = testing::sample_report_data();
  data.metrics.push_back(all_row("samples", 40.0));
  data.metrics.push_back(all_row("errors", 3.0));
  data.samples.push_back(sample_with(graders::Outcome::kNotGenerated));
  data.samples.push_back(sample_with(graders::Outcome::kGraderError));
  data.samples.push_back(sample_with(graders::Outcome::kNotGenerated));
  return data;
}

const std::string kSentence =
    "3 of 40 samples (7.5%) are errors, not verdicts on the model (grader_error 1, not_generated 2): they are left out "
    "of every score and counted in error_rate.";

TEST(ErrorNotice, SaysHowManyWhatShareAndWhichKinds) { EXPECT_EQ(error_notice(data_with_errors()), kSentence); }

TEST(ErrorNotice, IsEmptyWithoutErrors) {
  EXPECT_EQ(error_notice(testing::sample_report_data()), "");
  EXPECT_EQ(error_notice(testing::empty_report_data()), "");
  ReportData zero = testing::sample_report_data();
  zero.metrics.push_back(all_row("errors", 0.0));
  EXPECT_EQ(error_notice(zero), "");
}

TEST(ErrorNotice, CountsTheSamplesWhenTheMetricsPredateErrors) {
  ReportData data = testing::empty_report_data();
  data.samples.push_back(sample_with(graders::Outcome::kPass));
  data.samples.push_back(sample_with(graders::Outcome::kFail));
  data.samples.push_back(sample_with(graders::Outcome::kNoAnswer));
  data.samples.push_back(sample_with(graders::Outcome::kSandboxError));
  EXPECT_EQ(error_notice(data),
            "1 of 4 samples (25.0%) are errors, not verdicts on the model (sandbox_error 1): they are left out of "
            "every score and counted in error_rate.");
}

TEST(ErrorNotice, EveryFormatShowsItBeforeTheMetrics) {
  const ReportData data = data_with_errors();
  const std::string markdown = render_markdown(data);
  const auto md_at = markdown.find("> **Errors:** 3 of 40 samples (7.5%)");
  ASSERT_NE(md_at, std::string::npos);
  EXPECT_LT(md_at, markdown.find("## Results"));
  const std::string html = render_html(data);
  const auto html_at = html.find("<p id=\"errors\" role=\"alert\"><strong>Errors:</strong> 3 of 40 samples (7.5%)");
  ASSERT_NE(html_at, std::string::npos);
  EXPECT_LT(html_at, html.find("<section id=\"results\""));
  EXPECT_EQ(nlohmann::json::parse(render_json(data)).at("error_notice"), kSentence);
  EXPECT_EQ(nlohmann::json::parse(render_json(testing::sample_report_data())).at("error_notice"), nullptr);
  EXPECT_EQ(render_markdown(testing::sample_report_data()).find("**Errors:**"), std::string::npos);
}

}  // namespace
}  // namespace r1eval::reports::render
