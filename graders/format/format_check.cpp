#include "graders/format/format_check.h"

#include "graders/format/reasoning_parts.h"

namespace r1eval::graders::format {
namespace {

constexpr std::string_view kEndOfSentence = "<\xEF\xBD\x9C" "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>";

std::size_t count(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + needle.size()))
    ++n;
  return n;
}

// The output without surrounding whitespace and without a trailing end-of-sentence token left by detokenization.
std::string_view body_of(std::string_view completion) {
  std::string_view body = trim(completion);
  if (body.ends_with(kEndOfSentence)) body = trim(body.substr(0, body.size() - kEndOfSentence.size()));
  return body;
}

void check_count(std::string_view body, std::string_view tag, std::vector<std::string>* problems) {
  const std::size_t n = count(body, tag);
  if (n != 1) problems->push_back(std::string(tag) + " appears " + std::to_string(n) + " times (expected once)");
}

std::vector<std::string> r1_zero_violations(std::string_view body) {
  std::vector<std::string> problems;
  for (std::string_view tag : {"<think>", "</think>", "<answer>", "</answer>"}) check_count(body, tag, &problems);
  if (!problems.empty()) return problems;
  const std::size_t think_open = body.find("<think>"), think_close = body.find("</think>");
  const std::size_t answer_open = body.find("<answer>"), answer_close = body.find("</answer>");
  if (!(think_open < think_close && think_close < answer_open && answer_open < answer_close)) {
    problems.emplace_back("the tags are not in the order <think> </think> <answer> </answer>");
    return problems;
  }
  if (think_open != 0) problems.emplace_back("text before <think>");
  if (!trim(body.substr(think_close + 8, answer_open - think_close - 8)).empty()) {
    problems.emplace_back("text between </think> and <answer>");
  }
  if (answer_close + 9 != body.size()) problems.emplace_back("text after </answer>");
  if (trim(body.substr(think_open + 7, think_close - think_open - 7)).empty()) problems.emplace_back("empty reasoning");
  if (trim(body.substr(answer_open + 8, answer_close - answer_open - 8)).empty()) problems.emplace_back("empty answer");
  return problems;
}

std::vector<std::string> r1_violations(std::string_view body) {
  std::vector<std::string> problems;
  // The template put "<think>\n" in the prompt; a model (or server) that echoes it once at the start is tolerated.
  if (body.starts_with("<think>")) body = body.substr(7);
  if (count(body, "<think>") != 0) problems.emplace_back("<think> appears inside the output");
  const std::size_t closes = count(body, "</think>");
  if (closes != 1) {
    problems.push_back("</think> appears " + std::to_string(closes) + " times (expected once)");
    return problems;
  }
  const std::size_t close = body.find("</think>");
  if (trim(body.substr(0, close)).empty()) problems.emplace_back("empty reasoning");
  if (trim(body.substr(close + 8)).empty()) problems.emplace_back("empty answer");
  return problems;
}

}  // namespace

std::optional<FormatMode> parse_format_mode(std::string_view name) {
  if (name == "r1-zero" || name == "r1zero" || name == "r1_zero") return FormatMode::kR1Zero;
  if (name == "r1") return FormatMode::kR1;
  return std::nullopt;
}

std::string_view format_mode_name(FormatMode mode) { return mode == FormatMode::kR1Zero ? "r1-zero" : "r1"; }

std::vector<std::string> format_violations(std::string_view completion, FormatMode mode) {
  const std::string_view body = body_of(completion);
  return mode == FormatMode::kR1Zero ? r1_zero_violations(body) : r1_violations(body);
}

}  // namespace r1eval::graders::format
