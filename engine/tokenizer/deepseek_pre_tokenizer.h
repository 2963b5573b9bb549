// A hand-written equivalent of DeepSeek-V3's three Split pre-tokenizer regexes, used instead of re2 when a
// tokenizer.json carries exactly those patterns (re2 costs several calls per word). The generic re2 path stays the
// reference: tests compare both on random text. The patterns, applied in sequence (each on the previous pieces):
//   1. \p{N}{1,3}
//   2. [一-龥぀-ゟ゠-ヿ]+
//   3. [!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+ | [^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+ |
//       ?[\p{P}\p{S}]+[\r\n]* | \s*[\r\n]+ | \s+(?!\S) | \s+
#pragma once

#include <string_view>
#include <vector>

#include "engine/tokenizer/unicode_classes.h"

namespace r1eval::engine::tokenizer {

class DeepSeekPreTokenizer {
 public:
  // The exact "Regex" strings of the three Split steps in DeepSeek-V3's tokenizer.json.
  static const char* const kPatterns[3];

  // Appends the pieces of text (Isolated behaviour: pieces concatenate back to text).
  void split(std::string_view text, std::vector<std::string_view>& out) const;

 private:
  void split_words(std::string_view piece, std::vector<std::string_view>& out) const;
  std::size_t match_at(std::string_view piece, std::size_t pos) const;

  UnicodeClasses classes_;
};

}  // namespace r1eval::engine::tokenizer
