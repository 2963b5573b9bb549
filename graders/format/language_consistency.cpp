#include "graders/format/language_consistency.h"

#include <cstdint>

namespace r1eval::graders::format {
namespace {

enum class Script { kNone, kLatin, kHan, kKana, kHangul, kOtherLetters, kBackslash };

// Decodes one UTF-8 code point at `i`; returns its length (1 for an invalid byte, reported as U+FFFD).
std::size_t decode(std::string_view s, std::size_t i, char32_t* out) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
  const std::uint8_t b0 = byte(i);
  std::size_t length = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > s.size()) {
    *out = 0xFFFD;
    return 1;
  }
  char32_t cp = length == 1 ? b0 : length == 2 ? (b0 & 0x1F) : length == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      *out = 0xFFFD;
      return 1;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  *out = cp;
  return length;
}

Script script_of(char32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7)) {
    return Script::kLatin;
  }
  if (c == '\\') return Script::kBackslash;
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0x20000 && c <= 0x2EBEF)) {
    return Script::kHan;
  }
  if (c >= 0x3040 && c <= 0x30FF) return Script::kKana;
  if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF)) return Script::kHangul;
  // Letters of other alphabets: Cyrillic, Armenian, Hebrew, Arabic, Indic, Thai, ... (Greek is left out on purpose).
  if ((c >= 0x0400 && c <= 0x052F) || (c >= 0x0530 && c <= 0x1000)) return Script::kOtherLetters;
  return Script::kNone;
}

}  // namespace

LanguageCount count_language(std::string_view text, Language target) {
  LanguageCount count;
  Script run = Script::kNone;
  bool in_command = false;  // inside a LaTeX command name such as \frac
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t c = 0;
    i += decode(text, i, &c);
    const Script script = script_of(c);
    if (script == Script::kBackslash) {
      in_command = true;
      run = Script::kNone;
      continue;
    }
    if (in_command && script == Script::kLatin) continue;
    in_command = false;
    if (script == Script::kHan) {
      ++count.total_words;  // every ideograph is a word
      count.target_words += target == Language::kChinese;
      run = Script::kNone;
      continue;
    }
    if (script != run && script != Script::kNone) {
      ++count.total_words;
      count.target_words += script == Script::kLatin && target == Language::kEnglish;
    }
    run = script;
  }
  return count;
}

}  // namespace r1eval::graders::format
