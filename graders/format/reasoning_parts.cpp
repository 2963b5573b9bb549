#include "graders/format/reasoning_parts.h"

namespace r1eval::graders::format {
namespace {

constexpr std::string_view kThinkOpen = "<think>";
constexpr std::string_view kThinkClose = "</think>";
constexpr std::string_view kAnswerOpen = "<answer>";
constexpr std::string_view kAnswerClose = "</answer>";

}  // namespace

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

ReasoningParts split_reasoning(std::string_view completion, bool think_opened_in_prompt) {
  ReasoningParts parts;
  std::string_view region = completion;
  const std::size_t close = completion.rfind(kThinkClose);
  if (close != std::string_view::npos) {
    parts.think_closed = true;
    std::string_view before = completion.substr(0, close);
    const std::size_t open = before.find(kThinkOpen);
    parts.reasoning = open == std::string_view::npos ? before : before.substr(open + kThinkOpen.size());
    region = completion.substr(close + kThinkClose.size());
  } else {
    const std::size_t open = completion.find(kThinkOpen);
    if (open != std::string_view::npos) {
      parts.think_unclosed = true;
      parts.reasoning = completion.substr(open + kThinkOpen.size());
      region = {};
    } else if (think_opened_in_prompt) {
      parts.think_unclosed = true;
      parts.reasoning = completion;
      region = {};
    }
  }
  const std::size_t answer_open = region.rfind(kAnswerOpen);
  if (answer_open != std::string_view::npos) {
    parts.answer_tagged = true;
    std::string_view inside = region.substr(answer_open + kAnswerOpen.size());
    const std::size_t answer_close = inside.find(kAnswerClose);
    parts.answer = answer_close == std::string_view::npos ? inside : inside.substr(0, answer_close);
  } else {
    parts.answer = region;
  }
  return parts;
}

}  // namespace r1eval::graders::format
