// Math delimited in prose: $…$, $$…$$, \(…\) and \[…\]. An escaped dollar (\$) is text, not a delimiter.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace r1eval::graders::math {

struct MathSpan {
  std::size_t begin = 0;  // the opening delimiter
  std::size_t end = 0;    // just past the closing delimiter
  std::string_view content;
};

// Every closed span, left to right, in one linear pass. An unclosed opener ends the scan: what follows it is
// not known to be math.
std::vector<MathSpan> find_math_spans(std::string_view text);

// The content when the whole text (spaces aside) is one span: a gold written "$\frac{1}{2}$".
std::optional<std::string_view> whole_math_span(std::string_view text);

}  // namespace r1eval::graders::math
