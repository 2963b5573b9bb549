// Splits a reasoning model's output into its reasoning and its answer, the way every grader needs it: the answer
// is what follows the last </think> (or, when <answer> tags are present there, what is inside the last pair).
// Works for both templates: R1 (the prompt already ended in "<think>\n", so the output holds only "</think>")
// and R1-Zero ("<think> ... </think> <answer> ... </answer>").
#pragma once

#include <string_view>

namespace r1eval::graders::format {

struct ReasoningParts {
  std::string_view reasoning;   // between <think> (or the start) and the last </think>; empty without one
  std::string_view answer;      // the answer region (see above), untrimmed
  bool think_closed = false;    // a </think> was found
  bool think_unclosed = false;  // a <think> opened and never closed: the output stopped while reasoning
  bool answer_tagged = false;   // the answer came from <answer> tags
};

// Never fails; linear time, no regular expressions (outputs reach megabytes). With think_opened_in_prompt (the
// R1 template), an output without </think> is all reasoning: it stopped before answering.
ReasoningParts split_reasoning(std::string_view completion, bool think_opened_in_prompt = false);

// `text` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view text);

}  // namespace r1eval::graders::format
