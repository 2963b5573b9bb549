#include "reports/render/metric_format.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reports/render/render.h"

namespace r1eval::reports::render {
namespace {

const std::string kDash = "\xE2\x80\x94";

TEST(MetricKind, ClassifiesTheKnownNames) {
  for (const char* name : {"pass@1", "pass@16", "cons@64", "format_compliance", "truncation_rate", "no_answer_rate",
                           "language_consistency"}) {
    EXPECT_EQ(metric_kind(name), MetricKind::kFraction) << name;
  }
  EXPECT_EQ(metric_kind("tokens_per_sample"), MetricKind::kTokens);
  EXPECT_EQ(metric_kind("problems"), MetricKind::kCount);
  EXPECT_EQ(metric_kind("samples"), MetricKind::kCount);
  EXPECT_EQ(metric_kind("cost_usd"), MetricKind::kDollars);
  EXPECT_EQ(metric_kind("price_output_usd_per_mtok"), MetricKind::kDollars);
  EXPECT_EQ(format_metric_value("cost_usd", 0.065975), "$0.0660");
  EXPECT_EQ(format_metric_value("price_input_usd_per_mtok", 0.55), "$0.5500");
  for (const char* name : {"pass@", "pass@0", "pass@x", "pass@2x", "passes@2", "cons@-1", "speed"}) {
    EXPECT_EQ(metric_kind(name), MetricKind::kOther) << name;
  }
}

TEST(MetricK, ParsesOnlyPositiveIntegers) {
  EXPECT_EQ(metric_k("pass@8", "pass"), 8);
  EXPECT_EQ(metric_k("cons@64", "cons"), 64);
  EXPECT_FALSE(metric_k("pass@8", "cons"));
  EXPECT_FALSE(metric_k("pass@0", "pass"));
  EXPECT_FALSE(metric_k("pass@99999999999999999999", "pass"));
}

TEST(MetricLess, OrdersAsTheReportShowsThem) {
  std::vector<std::string> names = {"samples",
                                    "zeta",
                                    "cons@16",
                                    "pass@16",
                                    "tokens_per_sample",
                                    "pass@2",
                                    "language_consistency",
                                    "cons@4",
                                    "problems",
                                    "pass@1",
                                    "truncation_rate",
                                    "alpha",
                                    "no_answer_rate",
                                    "price_input_usd_per_mtok",
                                    "cost_usd",
                                    "format_compliance"};
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) { return metric_less(a, b); });
  const std::vector<std::string> expected = {"pass@1",
                                             "pass@2",
                                             "pass@16",
                                             "cons@4",
                                             "cons@16",
                                             "format_compliance",
                                             "truncation_rate",
                                             "no_answer_rate",
                                             "language_consistency",
                                             "tokens_per_sample",
                                             "problems",
                                             "samples",
                                             "cost_usd",
                                             "price_input_usd_per_mtok",
                                             "alpha",
                                             "zeta"};
  EXPECT_EQ(names, expected);
}

TEST(FormatMetricValue, PercentagesWithOneDecimal) {
  EXPECT_EQ(format_metric_value("pass@1", 0.5), "50.0%");
  EXPECT_EQ(format_metric_value("pass@1", 2.0 / 3.0), "66.7%");
  EXPECT_EQ(format_metric_value("cons@4", 1.0), "100.0%");
  EXPECT_EQ(format_metric_value("truncation_rate", 0.0), "0.0%");
  EXPECT_EQ(format_metric_value("tokens_per_sample", 1234.56), "1234.6");
  EXPECT_EQ(format_metric_value("problems", 30), "30");
  EXPECT_EQ(format_metric_value("speed", 0.000123456), "0.0001235");
  EXPECT_EQ(format_metric_value("pass@1", std::nan("")), kDash);
  EXPECT_EQ(format_metric_value("pass@1", INFINITY), kDash);
}

TEST(FormatMetricInterval, BothEndsOrADash) {
  EXPECT_EQ(format_metric_interval("pass@1", 0.701, 0.76), "[70.1%, 76.0%]");
  EXPECT_EQ(format_metric_interval("pass@1", std::nullopt, 0.76), kDash);
  EXPECT_EQ(format_metric_interval("pass@1", std::nan(""), 0.76), kDash);
}

TEST(FormatDelta, PercentagePointsWithSign) {
  EXPECT_EQ(format_metric_delta("pass@1", -0.3), "-30.0 pp");
  EXPECT_EQ(format_metric_delta("pass@1", 0.023), "+2.3 pp");
  EXPECT_EQ(format_metric_delta("tokens_per_sample", 12.0), "+12.0");
  EXPECT_EQ(format_delta_interval("pass@1", -0.5, -0.1), "[-50.0, -10.0] pp");
  EXPECT_EQ(format_delta_interval("pass@1", std::nan(""), 0.1), kDash);
}

TEST(FormatPValue, ThreeDecimalsWithAFloor) {
  EXPECT_EQ(format_p_value(0.0123), "0.012");
  EXPECT_EQ(format_p_value(0.0004), "<0.001");
  EXPECT_EQ(format_p_value(1.0), "1.000");
  EXPECT_EQ(format_p_value(std::nan("")), kDash);
}

TEST(ParseReportFormat, KnownNamesAndAClearError) {
  EXPECT_EQ(parse_report_format("md"), ReportFormat::kMarkdown);
  EXPECT_EQ(parse_report_format("markdown"), ReportFormat::kMarkdown);
  EXPECT_EQ(parse_report_format("html"), ReportFormat::kHtml);
  EXPECT_EQ(parse_report_format("json"), ReportFormat::kJson);
  try {
    parse_report_format("pdf");
    FAIL() << "pdf accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(), "unknown report format \"pdf\": expected md, html or json");
  }
}

}  // namespace
}  // namespace r1eval::reports::render
