// Small character-level helpers shared by answer extraction, LaTeX normalization and the expression parser.
#pragma once

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>

namespace r1eval::graders::math {

inline bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
inline bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
inline bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

inline std::string trim(std::string_view s) {
  std::size_t begin = 0;
  std::size_t end = s.size();
  while (begin < end && is_space(s[begin])) ++begin;
  while (end > begin && is_space(s[end - 1])) --end;
  return std::string(s.substr(begin, end - begin));
}

// Position just past the brace group starting at `open` (which holds '{'); npos when unbalanced. A backslash
// escapes the next character, so \{ and \} do not count.
inline std::size_t match_brace(std::string_view s, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      ++i;
      continue;
    }
    if (s[i] == '{') ++depth;
    if (s[i] == '}' && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

// Prose rather than an answer: two words in a row ("the answer", "is odd"), a word being a whitespace-separated
// token of two or more letters (or non-ASCII text) without digits that is not a LaTeX command. "x \ge 5",
// "Monday", "12 and 13" and "28 percent" are not prose.
inline bool is_prose(std::string_view s) {
  bool previous_word = false;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const std::size_t begin = i;
    std::size_t letters = 0;
    bool digits = false;
    for (; i < s.size() && !is_space(s[i]); ++i) {
      if (is_alpha(s[i]) || static_cast<unsigned char>(s[i]) >= 0x80) ++letters;
      if (is_digit(s[i])) digits = true;
    }
    if (i == begin) break;
    const bool word = letters >= 2 && !digits && s[begin] != '\\';
    if (word && previous_word) return true;
    previous_word = word;
  }
  return false;
}

}  // namespace r1eval::graders::math
