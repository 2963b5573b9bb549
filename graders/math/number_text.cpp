// Digit-group scans over the whole normalized answer.
#include "graders/math/number_text.h"

#include "graders/math/text_scan.h"

namespace r1eval::graders::math {
namespace {

// "1 000 000": digit groups separated by single spaces; nullopt when the text is not that.
std::optional<std::string> join_spaced_groups(const std::string& s, std::size_t start) {
  std::size_t group = 0;
  bool spaced = false;
  std::string joined = start == 1 ? "-" : "";
  for (std::size_t i = start; i < s.size(); ++i) {
    if (is_digit(s[i])) {
      ++group;
      joined += s[i];
    } else if (s[i] == ' ' && group >= 1 && group <= 3 && (!spaced || group == 3)) {
      spaced = true;
      group = 0;
    } else {
      return std::nullopt;
    }
  }
  if (spaced && group == 3) return joined;
  return std::nullopt;
}

}  // namespace

std::string join_thousands(std::string s) {
  const std::size_t start = (!s.empty() && s[0] == '-') ? 1 : 0;
  if (start >= s.size() || s[start] == '0') return s;
  if (std::optional<std::string> joined = join_spaced_groups(s, start)) return *joined;
  std::size_t i = start;
  while (i < s.size() && is_digit(s[i])) ++i;
  const std::size_t first_group = i - start;
  if (first_group == 0 || first_group > 3 || i >= s.size() || s[i] != ',') return s;
  std::string digits = s.substr(start, first_group);
  while (i < s.size() && s[i] == ',') {
    if (i + 3 >= s.size() || !is_digit(s[i + 1]) || !is_digit(s[i + 2]) || !is_digit(s[i + 3])) return s;
    if (i + 4 < s.size() && is_digit(s[i + 4])) return s;
    digits += s.substr(i + 1, 3);
    i += 4;
  }
  if (i < s.size() && s[i] == '.') {
    digits += '.';
    ++i;
    while (i < s.size() && is_digit(s[i])) digits += s[i++];
  }
  if (i != s.size()) return s;
  return (start == 1 ? "-" : "") + digits;
}

std::optional<std::string> decimal_comma_reading(std::string_view s) {
  const std::size_t start = (!s.empty() && s[0] == '-') ? 1 : 0;
  const std::size_t comma = s.find(',', start);
  if (comma == std::string_view::npos || comma == start || comma + 1 == s.size()) return std::nullopt;
  for (std::size_t i = start; i < s.size(); ++i) {
    if (i != comma && !is_digit(s[i])) return std::nullopt;
  }
  const bool thousands = s.size() - comma - 1 == 3 && s[start] != '0';
  if (thousands) return std::nullopt;
  std::string reading(s);
  reading[comma] = '.';
  return reading;
}

}  // namespace r1eval::graders::math
