#include "reports/render/problem_pages.h"

#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "reports/render/report_content.h"
#include "reports/render/text_escape.h"

namespace r1eval::reports::render {
namespace {

// "</think>" ends R1's reasoning; the graders read the text after the last one, so the fold is cut there too.
constexpr std::string_view kThinkEnd = "</think>";

std::string sample_html(const db::SampleRow& row, const std::string* gold) {
  std::string out = fmt::format(
      "<div class=\"sample\"><p><b>Sample {}</b> · {} · <b>{}</b> · extracted <code>{}</code> against gold "
      "<code>{}</code> · {} tokens, {}</p>\n",
      row.sample_index, row.correct ? "correct" : "incorrect", html_escape(outcome_label(row.outcome)),
      row.extracted.empty() ? "(none)" : html_escape(row.extracted),
      gold == nullptr ? "(not available)" : html_escape(*gold), row.completion_tokens, html_escape(row.finish_reason));
  if (!row.detail.empty()) out += fmt::format("<p class=\"note\">Grader: {}</p>\n", html_escape(row.detail));
  const std::size_t end = row.completion.rfind(kThinkEnd);
  if (end == std::string::npos) {
    out += fmt::format("<p class=\"note\">No &lt;/think&gt;: the whole completion is shown.</p>\n<pre>{}</pre>\n",
                       html_escape(row.completion));
  } else {
    const std::string_view text(row.completion);
    const std::string_view reasoning = text.substr(0, end);
    out += fmt::format("<details><summary>Reasoning ({} characters)</summary><pre>{}</pre></details>\n",
                       reasoning.size(), html_escape(reasoning));
    out += fmt::format("<pre>{}</pre>\n", html_escape(text.substr(end + kThinkEnd.size())));
  }
  return out + "</div>\n";
}

}  // namespace

std::vector<const ProblemSummary*> pick_problem_pages(const std::vector<ProblemSummary>& problems) {
  std::set<const ProblemSummary*> kept;
  std::vector<const ProblemSummary*> rest;
  for (const ProblemSummary& problem : problems) {
    if (problem.failed()) {
      kept.insert(&problem);
    } else {
      rest.push_back(&problem);
    }
  }
  const std::size_t room = kept.size() >= kProblemPages ? 0 : kProblemPages - kept.size();
  const std::size_t take = std::min(room, rest.size());
  // Evenly spaced: the i-th of `take` picks is at floor(i * size / take), deterministic and spread over the run.
  for (std::size_t i = 0; i < take; ++i) kept.insert(rest[i * rest.size() / take]);
  std::vector<const ProblemSummary*> ordered;
  for (const ProblemSummary& problem : problems) {
    if (kept.count(&problem) > 0) ordered.push_back(&problem);
  }
  return ordered;
}

std::string problems_section_html(const ReportData& data) {
  const std::vector<ProblemSummary> problems = summarize_problems(data);
  if (problems.empty()) return {};
  std::map<std::pair<std::string, std::string>, const ProblemText*> texts;
  for (const ProblemText& text : data.problem_texts) texts.emplace(std::pair(text.suite, text.problem_id), &text);
  const std::vector<const ProblemSummary*> pages = pick_problem_pages(problems);
  std::size_t failed = 0;
  for (const ProblemSummary& problem : problems) failed += problem.failed() ? 1 : 0;

  std::string out = "<section id=\"problems\">\n<h2>Problems</h2>\n";
  out += fmt::format("<p class=\"note\">Open a problem to read its prompt and every completion.{}</p>\n",
                     pages.size() == problems.size()
                         ? fmt::format(" All {} problems are here.", problems.size())
                         : fmt::format(" {} of {} problems are here: all {} with a wrong sample, and an evenly spaced "
                                       "sample of the others (a report keeps at most {} pages unless more failed).",
                                       pages.size(), problems.size(), failed, kProblemPages));
  if (!data.problem_texts_missing.empty()) {
    out += fmt::format("<p class=\"note\">Prompts and gold answers are not shown: {}</p>\n",
                       html_escape(data.problem_texts_missing));
  }
  for (const ProblemSummary* problem : pages) {
    const auto text = texts.find(std::pair(problem->suite, problem->problem_id));
    const ProblemText* found = text == texts.end() ? nullptr : text->second;
    out += fmt::format("<details class=\"problem\"><summary>{} · {}{} · {} of {} correct</summary>\n",
                       html_escape(problem->suite), html_escape(problem->problem_id),
                       problem->subset.empty() ? std::string() : " (" + html_escape(problem->subset) + ")",
                       problem->correct, problem->scored);
    if (found != nullptr) {
      out += fmt::format("<p><b>Prompt</b></p><pre>{}</pre>\n<p><b>Gold:</b> <code>{}</code></p>\n",
                         html_escape(found->prompt), html_escape(found->gold));
    }
    for (const db::SampleRow* row : problem->samples) {
      out += sample_html(*row, found == nullptr ? nullptr : &found->gold);
    }
    out += "</details>\n";
  }
  return out + "</section>\n";
}

}  // namespace r1eval::reports::render
