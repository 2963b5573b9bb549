// One left-to-right pass: at each unescaped delimiter, find its closer and jump past it.
#include "graders/math/math_spans.h"

#include "graders/math/text_scan.h"

namespace r1eval::graders::math {
namespace {

// Position of the first unescaped "$" (or "$$" when `twice`) at or after `from`; npos when none.
std::size_t find_dollar(std::string_view text, std::size_t from, bool twice) {
  for (std::size_t i = from; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;  // "\$" is a dollar sign in text, "\\" a line break: neither closes
      continue;
    }
    if (text[i] != '$') continue;
    if (!twice || (i + 1 < text.size() && text[i + 1] == '$')) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::vector<MathSpan> find_math_spans(std::string_view text) {
  std::vector<MathSpan> spans;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '(' || text[i + 1] == '[')) {
      const std::string_view closer = text[i + 1] == '(' ? "\\)" : "\\]";
      const std::size_t close = text.find(closer, i + 2);
      if (close == std::string_view::npos) return spans;
      spans.push_back({i, close + 2, text.substr(i + 2, close - i - 2)});
      i = close + 2;
    } else if (c == '\\') {
      i += 2;  // an escaped character (\$) or a command's backslash
    } else if (c == '$') {
      const bool display = i + 1 < text.size() && text[i + 1] == '$';
      const std::size_t open_length = display ? 2 : 1;
      const std::size_t close = find_dollar(text, i + open_length, display);
      if (close == std::string_view::npos) return spans;
      spans.push_back({i, close + open_length, text.substr(i + open_length, close - i - open_length)});
      i = close + open_length;
    } else {
      ++i;
    }
  }
  return spans;
}

std::optional<std::string_view> whole_math_span(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  const std::vector<MathSpan> spans = find_math_spans(text.substr(begin, end - begin));
  if (spans.size() != 1 || spans[0].begin != 0 || spans[0].end != end - begin) return std::nullopt;
  return spans[0].content;
}

}  // namespace r1eval::graders::math
