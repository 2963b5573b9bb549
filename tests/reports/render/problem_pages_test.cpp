// The per-problem parts of a report (issue 16, item 6): the difficulty table against counts worked out by hand,
// the HTML problem pages (every completion, reasoning folded, escaped, capped with all failures kept), and the
// audit section of a run graded twice.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reports/render/problem_pages.h"
#include "reports/render/problem_tables.h"
#include "reports/render/render.h"
#include "tests/reports/render/html_check.h"

namespace r1eval::reports::render {
namespace {

constexpr int kPass = 0, kFail = 1, kNotGenerated = 9, kGraderError = 10;

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

void add(ReportData& data, const std::string& suite, const std::string& problem, const std::vector<int>& outcomes) {
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    db::SampleRow row;
    row.run_id = 1;
    row.suite = suite;
    row.problem_id = problem;
    row.sample_index = static_cast<std::int64_t>(i);
    row.outcome = outcomes[i];
    row.correct = outcomes[i] == kPass;
    row.completion =
        std::string("<think>thinking about ").append(problem).append("</think> \\boxed{").append(problem).append("}");
    row.extracted = problem;
    row.finish_reason = "stop";
    row.detail = "compared with the gold";
    data.samples.push_back(row);
  }
}

// s1: a 2/2, b 1/2, c 1/3, d 0/2, e never generated, f right once beside a grader error; s2: g 0/1.
ReportData graded_data() {
  ReportData data;
  data.run.run_id = 1;
  data.run.suites = "s1,s2";
  add(data, "s1", "a", {kPass, kPass});
  add(data, "s1", "b", {kPass, kFail});
  add(data, "s1", "c", {kFail, kPass, kFail});
  add(data, "s1", "d", {kFail, kFail});
  add(data, "s1", "e", {kNotGenerated, kNotGenerated});
  add(data, "s1", "f", {kGraderError, kPass});
  add(data, "s2", "g", {kFail});
  for (const char* id : {"a", "b", "c", "d", "e", "f"}) {
    data.problem_texts.push_back({"s1", id, std::string("What is ").append(id).append("?"), id});
  }
  data.problem_texts.push_back({"s2", "g", "What is g?", "g"});
  return data;
}

TEST(ProblemTables, DifficultyCountsEachProblemInItsBandByHand) {
  const TextTable table = difficulty_table(graded_data());
  EXPECT_EQ(table.header,
            (std::vector<std::string>{"Suite", "Problems", "0%", "(0%, 50%)", "[50%, 100%)", "100%", "No verdict"}));
  EXPECT_EQ(table.rows, (std::vector<std::vector<std::string>>{{"s1", "6", "1", "1", "1", "2", "1"},
                                                               {"s2", "1", "1", "0", "0", "0", "0"},
                                                               {"all", "7", "2", "1", "1", "2", "1"}}));
  const std::string markdown = render_report(graded_data(), ReportFormat::kMarkdown);
  EXPECT_NE(markdown.find("## Difficulty"), std::string::npos);
  EXPECT_NE(markdown.find("| s1 | 6 | 1 | 1 | 1 | 2 | 1 |"), std::string::npos) << markdown;
  const std::string html = render_report(graded_data(), ReportFormat::kHtml);
  EXPECT_NE(html.find("<h2 id=\"difficulty\">"), std::string::npos);
}

TEST(ProblemPages, EveryProblemOpensWithItsPromptGoldAndEveryCompletion) {
  ReportData data = graded_data();
  data.samples[2].completion = std::string("<think>is x < y & \xFF?</think><script>alert(1)</script> \\boxed{<b>}");
  data.samples[2].detail = "detail <i>";
  const std::string html = render_report(data, ReportFormat::kHtml);
  const auto check = testing::check_html(html);
  ASSERT_EQ(check.error, "");
  EXPECT_EQ(check.elements.count("script"), 0u);
  EXPECT_EQ(count(html, "<details class=\"problem\">"), 7u);
  EXPECT_EQ(count(html, "<div class=\"sample\">"), data.samples.size());
  EXPECT_EQ(count(html, "<summary>Reasoning ("), data.samples.size());  // every completion has a </think>
  EXPECT_NE(html.find("<pre>What is c?</pre>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("is x &lt; y &amp; \xEF\xBF\xBD?"), std::string::npos);  // the bad byte as U+FFFD
  EXPECT_NE(html.find("Grader: detail &lt;i&gt;"), std::string::npos);
  EXPECT_NE(html.find("<summary>s1 · c · 1 of 3 correct</summary>"), std::string::npos);
  EXPECT_NE(html.find("<summary>s1 · f · 1 of 1 correct</summary>"), std::string::npos);  // the error not scored
  EXPECT_NE(html.find("<b>grader_error</b>"), std::string::npos);
  EXPECT_NE(html.find("All 7 problems are here."), std::string::npos);
}

TEST(ProblemPages, WithoutTheSuiteDataTheIdsAreShownAndTheReasonSaid) {
  ReportData data = graded_data();
  data.problem_texts.clear();
  data.problem_texts_missing = "the data of suite 's1' changed since run 1";
  const std::string html = render_report(data, ReportFormat::kHtml);
  EXPECT_EQ(html.find("<p><b>Prompt</b>"), std::string::npos);
  EXPECT_NE(html.find("Prompts and gold answers are not shown: the data of suite &#39;s1&#39; changed since run 1"),
            std::string::npos);
  EXPECT_NE(html.find("against gold <code>(not available)</code>"), std::string::npos);
}

std::vector<ProblemSummary> problems_with_failures(std::size_t problems, std::size_t every_failed) {
  std::vector<ProblemSummary> out(problems);
  for (std::size_t i = 0; i < problems; ++i) {
    out[i].problem_id = std::to_string(i);
    out[i].scored = 2;
    out[i].correct = i % every_failed == 0 ? 1 : 2;
  }
  return out;
}

TEST(ProblemPages, ALongRunKeepsEveryFailureAndSamplesTheRestUpToTheCap) {
  const auto many = problems_with_failures(1000, 100);  // 10 failed
  const auto pages = pick_problem_pages(many);
  ASSERT_EQ(pages.size(), kProblemPages);
  std::size_t failed = 0;
  for (std::size_t i = 1; i < pages.size(); ++i) EXPECT_LT(pages[i - 1], pages[i]);  // in run order, no repeats
  for (const ProblemSummary* page : pages) failed += page->failed() ? 1 : 0;
  EXPECT_EQ(failed, 10u);
  // The sample is spread to the end of the run, not its first 190: the last of 190 picks from the 990 others is
  // other number floor(189 * 990 / 190) = 984, which is problem 994 (10 failed problems, 0 to 900, come before it).
  EXPECT_EQ(pages.back()->problem_id, "994");

  const auto failing = problems_with_failures(300, 1);  // every problem failed: more than the cap, all kept
  EXPECT_EQ(pick_problem_pages(failing).size(), 300u);
  EXPECT_EQ(pick_problem_pages(problems_with_failures(50, 7)).size(), 50u);

  ReportData data;
  data.run.suites = "s";
  for (int i = 0; i < 250; ++i)
    add(data, "s", std::string("p").append(std::to_string(i)), {i % 50 == 0 ? kFail : kPass});
  const std::string html = render_report(data, ReportFormat::kHtml);
  EXPECT_EQ(count(html, "<details class=\"problem\">"), kProblemPages);
  EXPECT_NE(html.find("200 of 250 problems are here: all 5 with a wrong sample"), std::string::npos);
}

TEST(AuditSection, ARunGradedTwiceShowsTheChangedVerdictsWithTheGold) {
  ReportData data = graded_data();
  EXPECT_EQ(render_report(data, ReportFormat::kHtml).find("id=\"audit\""), std::string::npos);
  data.grading = 2;
  data.gradings = 2;
  data.audit.push_back({"s1", "d", 1, false, kFail, "4", true, kPass, "four", "<4>"});
  const std::string html = render_report(data, ReportFormat::kHtml);
  ASSERT_EQ(testing::check_html(html).error, "");
  EXPECT_NE(html.find("<section id=\"audit\">"), std::string::npos);
  EXPECT_NE(html.find("1 sample has a different verdict under grading 2 than under grading 1."), std::string::npos);
  EXPECT_NE(html.find("<td>&lt;4&gt;</td>"), std::string::npos);
  EXPECT_NE(html.find("2 of 2 (the latest"), std::string::npos);
  const std::string markdown = render_report(data, ReportFormat::kMarkdown);
  EXPECT_NE(markdown.find("## Audit: grading 1 against grading 2"), std::string::npos);
}

}  // namespace
}  // namespace r1eval::reports::render
