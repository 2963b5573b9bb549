// Answers announced in prose: "the answer is …", "Final Answer: …", "**Final Answer**\n$…$", a line starting
// "Answer …", "answers are …", "答案是 …", "最终答案：…".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace r1eval::graders::math {

// The answer after the last such phrase: the text up to the end of its sentence or line (the next line when the
// phrase ends its own), reduced to its last math span, or to a number written after that span ("The largest $n$
// is 34"). nullopt when there is no phrase, or what follows it is prose rather than an answer.
std::optional<std::string> extract_answer_is(std::string_view text);

}  // namespace r1eval::graders::math
