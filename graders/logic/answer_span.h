// Where a logic answer sits inside the answer part of an output: the last \boxed{...}, else what follows the last
// "answer is" / "answer:", else the whole answer part. Each carries whether the span is a final statement (then the
// first answer-like token in it counts) or the whole region (then the last one counts).
#pragma once

#include <string>
#include <string_view>

namespace r1eval::graders::logic {

struct AnswerSpan {
  std::string text;
  bool whole_region = false;  // no explicit final statement was found
  std::string_view how;       // "boxed", "answer is", "answer part"
};

AnswerSpan final_answer_span(std::string_view answer_part);

// Content of the last \boxed{...} (or \fbox{...}) with nested braces; false when there is none or it is unclosed.
bool last_boxed(std::string_view text, std::string* content);

// Lower-case ASCII copy.
std::string lower(std::string_view text);

// Removes LaTeX/markdown wrappers models put around short answers: \text{..}, \textbf{..}, \mathrm{..}, **, $, `.
std::string strip_markup(std::string_view text);

}  // namespace r1eval::graders::logic
