#include "reports/render/svg_charts.h"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/reports/render/html_check.h"

namespace r1eval::reports::render::svg {
namespace {

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

// The numeric attribute `name` of every start tag that begins with "<" + tag_start.
std::vector<double> attribute_values(const std::string& svg, const std::string& tag_start, const std::string& name) {
  std::vector<double> values;
  const std::string open = "<" + tag_start;
  const std::string key = " " + name + "=\"";
  for (std::size_t pos = svg.find(open); pos != std::string::npos; pos = svg.find(open, pos + 1)) {
    const std::size_t end = svg.find('>', pos);
    const std::size_t at = svg.find(key, pos);
    if (at == std::string::npos || at > end) continue;
    values.push_back(std::stod(svg.substr(at + key.size())));
  }
  return values;
}

Bar only(double value) { return Bar{value, std::nullopt, std::nullopt}; }

void expect_well_formed(const std::string& svg) {
  const auto check = testing::check_html(svg);
  EXPECT_EQ(check.error, "");
  EXPECT_EQ(check.elements.count("svg") ? check.elements.at("svg") : 0, 1);
}

TEST(HistogramBins, NiceIntegerWidthsFromZero) {
  const auto bins = histogram_bins({{3, false}, {7, false}, {12, false}, {19, true}, {20, false}}, 4);
  EXPECT_EQ(bins.start, 0.0);
  EXPECT_EQ(bins.width, 5.0);
  EXPECT_EQ(bins.plain, (std::vector<std::int64_t>{1, 1, 1, 0, 1}));
  EXPECT_EQ(bins.highlighted, (std::vector<std::int64_t>{0, 0, 0, 1, 0}));
}

TEST(HistogramBins, FractionalNegativeAndDegenerateData) {
  const auto fractions = histogram_bins({{0.1, false}, {0.25, false}, {0.9, false}}, 10);
  EXPECT_DOUBLE_EQ(fractions.width, 0.1);
  ASSERT_EQ(fractions.plain.size(), 10u);
  EXPECT_EQ(fractions.plain[1], 1);
  EXPECT_EQ(fractions.plain[2], 1);
  EXPECT_EQ(fractions.plain[9], 1);

  const auto negative = histogram_bins({{-3, false}, {4, false}}, 7);
  EXPECT_EQ(negative.start, -3.0);
  EXPECT_EQ(negative.width, 1.0);
  EXPECT_EQ(negative.plain, (std::vector<std::int64_t>{1, 0, 0, 0, 0, 0, 0, 1}));

  const auto same = histogram_bins({{5, false}, {5, false}, {NAN, false}}, 20);
  EXPECT_EQ(same.width, 1.0);
  ASSERT_EQ(same.plain.size(), 6u);
  EXPECT_EQ(same.plain[5], 2);

  EXPECT_TRUE(histogram_bins({}, 20).plain.empty());
  EXPECT_TRUE(histogram_bins({{NAN, false}, {INFINITY, true}}, 20).plain.empty());
}

TEST(BarChart, BarsScaleToThePercentAxisWithErrorBars) {
  BarChart chart{"pass@1", {"gsm8k", "<b>&"}, {{"pass@1", {{0.5, 0.25, 0.75}, only(0.25)}}}, {"pass@1", true}};
  const std::string svg = bar_chart(chart);
  expect_well_formed(svg);
  EXPECT_EQ(count(svg, "<rect class=\"bar\""), 2u);
  EXPECT_EQ(count(svg, "class=\"error-bar\""), 1u);
  // The plot spans y 44..262 (218 px) for 0..100%: 50% is 109 px tall, 25% is 54.5 px.
  const auto heights = attribute_values(svg, "rect class=\"bar\"", "height");
  ASSERT_EQ(heights.size(), 2u);
  EXPECT_NEAR(heights[0], 109.0, 0.06);
  EXPECT_NEAR(heights[1], 54.5, 0.06);
  EXPECT_NE(svg.find("&lt;b&gt;&amp;"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find(">100%<"), std::string::npos);
  EXPECT_NE(svg.find(">50.0%<"), std::string::npos);
}

TEST(BarChart, SkipsValuesThatAreNotFiniteAndSaysNoData) {
  BarChart partial{"t", {"a", "b"}, {{"s", {only(NAN), only(0.5)}}}, {"", true}};
  EXPECT_EQ(count(bar_chart(partial), "<rect class=\"bar\""), 1u);
  BarChart empty{"nothing </svg><script>", {"a"}, {{"s", {only(NAN)}}}, {"", true}};
  const std::string svg = bar_chart(empty);
  expect_well_formed(svg);
  EXPECT_NE(svg.find("no data"), std::string::npos);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_NE(bar_chart(BarChart{}).find("no data"), std::string::npos);
}

TEST(BarChart, GroupedSeriesGetALegend) {
  BarChart chart{"reasoning",
                 {"a", "b"},
                 {{"format", {only(1.0), only(0.9)}}, {"truncation", {only(0.1), only(0.0)}}},
                 {"share", true}};
  const std::string svg = bar_chart(chart);
  expect_well_formed(svg);
  EXPECT_EQ(count(svg, "<rect class=\"bar\""), 4u);
  EXPECT_NE(svg.find(">format<"), std::string::npos);
  EXPECT_NE(svg.find(">truncation<"), std::string::npos);
}

TEST(LineChart, Log2AxisSpacesPowersOfTwoEvenly) {
  LineChart chart{
      "pass@k", "k", true, {{"gsm8k", {{1, 0.5}, {2, 0.6}, {4, 0.7}, {8, 0.8}, {0, 0.1}}}}, {"pass@k", true}};
  const std::string svg = line_chart(chart);
  expect_well_formed(svg);
  const auto xs = attribute_values(svg, "circle", "cx");
  ASSERT_EQ(xs.size(), 4u);  // x = 0 has no place on a log axis
  for (std::size_t i = 2; i < xs.size(); ++i) EXPECT_NEAR(xs[i] - xs[i - 1], xs[1] - xs[0], 0.15);
  const auto ys = attribute_values(svg, "circle", "cy");
  EXPECT_GT(ys[0], ys[3]);  // higher values are drawn higher up
  EXPECT_EQ(count(svg, "<polyline"), 1u);
  EXPECT_NE(svg.find(">gsm8k<"), std::string::npos);
}

TEST(LineChart, NoUsablePointsSaysNoData) {
  LineChart chart{"pass@k", "k", true, {{"s", {{0, 0.5}, {-1, 0.2}}}}, {"", true}};
  EXPECT_NE(line_chart(chart).find("no data"), std::string::npos);
}

TEST(Histogram, StacksHighlightedCounts) {
  Histogram chart{"lengths", "tokens",    {{3, false}, {7, false}, {12, false}, {19, true}, {20, false}},
                  "stopped", "truncated", 4};
  const std::string svg = histogram(chart);
  expect_well_formed(svg);
  EXPECT_EQ(count(svg, "<rect class=\"bin\""), 5u);  // four plain bins with a count, one truncated
  EXPECT_NE(svg.find(">truncated<"), std::string::npos);
  EXPECT_NE(histogram(Histogram{}).find("no data"), std::string::npos);
}

}  // namespace
}  // namespace r1eval::reports::render::svg
