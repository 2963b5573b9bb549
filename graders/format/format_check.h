// Is an output in the shape its template asks for?
//   R1-Zero: "<think> reasoning </think> <answer> answer </answer>": each tag exactly once, in that order, only
//            whitespace between and around them (the paper's template separates them by a space), both parts
//            non-empty.
//   R1:      the prompt already ended in "<think>\n", so the output is "reasoning </think> answer": exactly one
//            </think>, no further <think> (one leading <think> is tolerated), both parts non-empty.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace r1eval::graders::format {

enum class FormatMode { kR1Zero, kR1 };

// "r1-zero" / "r1zero" / "r1_zero" or "r1"; nullopt otherwise.
std::optional<FormatMode> parse_format_mode(std::string_view name);
std::string_view format_mode_name(FormatMode mode);

// Empty when well-formed; otherwise one short sentence per violation.
std::vector<std::string> format_violations(std::string_view completion, FormatMode mode);

}  // namespace r1eval::graders::format
