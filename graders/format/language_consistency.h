// Language consistency as the DeepSeek-R1 paper defines its reward: the share of the reasoning's words that are
// in the target language. Words are runs of one script: Latin-script runs count as English, each CJK ideograph
// counts as one Chinese word; kana, Hangul, Cyrillic and other letter runs count as other languages. Digits,
// punctuation, math symbols, Greek letters (variables) and LaTeX commands (\frac) are not words.
#pragma once

#include <cstddef>
#include <string_view>

namespace r1eval::graders::format {

enum class Language { kEnglish, kChinese };

struct LanguageCount {
  std::size_t target_words = 0;
  std::size_t total_words = 0;
  // 1.0 when there are no words (nothing is inconsistent).
  double share() const {
    return total_words == 0 ? 1.0 : static_cast<double>(target_words) / static_cast<double>(total_words);
  }
};

// Invalid UTF-8 is skipped, never an error.
LanguageCount count_language(std::string_view text, Language target);

}  // namespace r1eval::graders::format
