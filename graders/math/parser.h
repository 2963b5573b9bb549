// Parses a normalized answer (see normalize.h) into an expression tree. Our own recursive-descent parser for the
// LaTeX-and-plain-text subset that answers are written in.
#pragma once

#include <optional>
#include <string_view>

#include "graders/math/expr.h"

namespace r1eval::graders::math {

// nullopt when the text is not a mathematical expression we understand (a word, "1:03 PM", "141_{13}"):
// the caller then compares it as text. Nesting deeper than a fixed limit is refused, never a stack overflow.
std::optional<Node> parse_answer(std::string_view text);

}  // namespace r1eval::graders::math
