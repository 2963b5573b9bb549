// Finds the program in a model's output: the last fenced Python block of the answer part, else the last untagged
// fenced block, else the whole answer. A hand-written line scanner (regex engines overflow on 100 KB outputs).
#pragma once

#include <string>
#include <string_view>

namespace r1eval::graders::code {

struct ExtractedCode {
  std::string code;
  std::string_view source;  // "python block", "untagged block", "whole answer", or "none"
};

// `completion` is the full model output; the answer part is chosen by graders/format/reasoning_parts.h.
ExtractedCode extract_code(std::string_view completion);

// The last fenced block whose language tag satisfies the rule, scanning `text` only.
ExtractedCode extract_code_from_answer(std::string_view answer);

}  // namespace r1eval::graders::code
