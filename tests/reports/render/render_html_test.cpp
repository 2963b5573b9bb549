#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "reports/render/render.h"
#include "tests/reports/render/html_check.h"
#include "tests/reports/render/render_fixture.h"

namespace r1eval::reports::render {
namespace {

// pass@1, pass@k, reasoning metrics, one completion-length histogram per suite (3), the kernels' roofline.
constexpr int kExpectedCharts = 7;

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

class HtmlReport : public ::testing::Test {
 protected:
  const std::string html = render_report(testing::sample_report_data(), ReportFormat::kHtml);
};

TEST_F(HtmlReport, IsWellFormedWithOneSvgPerChart) {
  const auto check = testing::check_html(html);
  ASSERT_EQ(check.error, "");
  EXPECT_EQ(check.elements.at("svg"), kExpectedCharts);
  EXPECT_EQ(check.elements.at("html"), 1);
  EXPECT_EQ(check.elements.count("script"), 0u);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
}

TEST_F(HtmlReport, IsSelfContained) {
  const auto check = testing::check_html(html);
  ASSERT_EQ(check.error, "");
  for (const auto& [name, value] : check.attributes) {
    EXPECT_NE(name, "src") << value;
    EXPECT_NE(name, "href") << value;
    EXPECT_EQ(value.find("//"), std::string::npos) << name << "=" << value;
  }
  EXPECT_EQ(html.find("http:"), std::string::npos);
  EXPECT_EQ(html.find("https:"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
}

TEST_F(HtmlReport, EscapesHostileCompletionAndInvalidUtf8) {
  EXPECT_TRUE(testing::is_valid_utf8(html));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<think>"), std::string::npos);
  EXPECT_NE(html.find("&lt;think&gt;2+2&lt;/think&gt; &lt;script&gt;alert(1)&lt;/script&gt; bad bytes: "
                      "\xEF\xBF\xBD\xEF\xBF\xBD and \xEF\xBF\xBD( end"),
            std::string::npos);
  EXPECT_NE(html.find("problem p|0&lt;b&gt; · sample 0 · correct (pass)"), std::string::npos);
  EXPECT_NE(html.find("<code>&lt;i&gt;4&lt;/i&gt;</code>"), std::string::npos);
  EXPECT_NE(html.find("<td>Test CPU &lt;fast&gt;</td>"), std::string::npos);
}

TEST_F(HtmlReport, TablesCarryTheFigures) {
  EXPECT_NE(html.find("<tr><td>gsm8k</td><td class=\"num\">3</td><td class=\"num\">12</td><td class=\"num\">50.0%</td>"
                      "<td class=\"num\">[25.0%, 75.0%]</td><td class=\"num\">66.7% (cons@4)</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr><td>math500</td><td>pass@2</td><td class=\"num\">37.5%</td>"), std::string::npos);
  EXPECT_EQ(count(html, "<tr class=\"flagged\">"), 1u);
  EXPECT_NE(html.find("<tr class=\"flagged\"><td>gsm8k</td><td>pass@1</td><td class=\"num\">50.0%</td>"
                      "<td class=\"num\">80.0%</td><td class=\"num\">-30.0 pp</td>"),
            std::string::npos);
  EXPECT_NE(html.find("1 significant regression."), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">68.3%</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>projection</td>"), std::string::npos);
}

TEST(HtmlReportEmpty, RunWithoutResultsSaysSo) {
  const std::string html = render_report(testing::empty_report_data(), ReportFormat::kHtml);
  const auto check = testing::check_html(html);
  ASSERT_EQ(check.error, "");
  EXPECT_EQ(check.elements.count("svg"), 0u);
  EXPECT_NE(html.find("No results yet"), std::string::npos);
}

// The report as a real browser sees it: Debian's headless Chromium parses the file, and the DOM it builds must
// hold the tables, the charts and the hostile completion as text. One browser run also writes a screenshot into
// the build tree for a person to look at.
TEST_F(HtmlReport, RendersInHeadlessChromium) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium); the browser check is skipped";
  }
  const std::filesystem::path dir = std::filesystem::path(R1EVAL_BINARY_DIR) / "reports_render_html_test";
  std::filesystem::create_directories(dir);
  const std::filesystem::path page = dir / "report.html";
  const std::filesystem::path screenshot = dir / "report.png";
  std::filesystem::remove(screenshot);
  std::ofstream(page, std::ios::binary) << html;

  const std::string command =
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "
      "--user-data-dir='" +
      (dir / "profile").string() +
      "' --window-size=1280,4400 "
      "--screenshot='" +
      screenshot.string() + "' --dump-dom 'file://" + page.string() + "' 2>'" + (dir / "chromium.log").string() + "'";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string dom;
  char buffer[65536];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) dom.append(buffer, n);
  const int status = pclose(pipe);
  ASSERT_EQ(status, 0) << "chromium failed; see " << (dir / "chromium.log");

  EXPECT_NE(dom.find("<h1>r1eval report: run 7</h1>"), std::string::npos);
  EXPECT_EQ(count(dom, "<svg"), static_cast<std::size_t>(kExpectedCharts));
  EXPECT_EQ(count(dom, "<rect class=\"bar\""), 4u + 12u + 2u);  // pass@1 (3 suites + all), reasoning 4×3, roofline 2
  EXPECT_EQ(count(dom, "<polyline"), 3u);                       // one pass@k line per suite
  EXPECT_EQ(dom.find("<script"), std::string::npos);
  EXPECT_NE(dom.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(dom.find("<td>REGRESSION</td>"), std::string::npos);
  EXPECT_NE(dom.find("<td class=\"num\">[25.0%, 75.0%]</td>"), std::string::npos);
  EXPECT_NE(dom.find("pass@1 per suite, with 95% intervals"), std::string::npos);

  std::ifstream png(screenshot, std::ios::binary);
  const std::string image((std::istreambuf_iterator<char>(png)), std::istreambuf_iterator<char>());
  ASSERT_GT(image.size(), 8u) << "no screenshot at " << screenshot;
  EXPECT_EQ(image.substr(0, 8), std::string("\x89PNG\r\n\x1A\n", 8));
  EXPECT_GT(image.size(), 50'000u) << "the screenshot looks blank";
}

}  // namespace
}  // namespace r1eval::reports::render
