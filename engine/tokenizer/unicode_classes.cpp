#include "engine/tokenizer/unicode_classes.h"

#include <re2/re2.h>

#include "engine/tokenizer/utf8.h"

namespace r1eval::engine::tokenizer {

bool UnicodeClasses::is_white_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

UnicodeClasses::UnicodeClasses()
    : letter_(std::make_unique<re2::RE2>("\\p{L}")),
      mark_(std::make_unique<re2::RE2>("\\p{M}")),
      number_(std::make_unique<re2::RE2>("\\p{N}")),
      punctuation_(std::make_unique<re2::RE2>("\\p{P}")),
      symbol_(std::make_unique<re2::RE2>("\\p{S}")),
      cache_(new std::atomic<std::uint8_t>[0x110000]) {
  for (std::size_t i = 0; i < 0x110000; ++i) cache_[i].store(0, std::memory_order_relaxed);
  for (char32_t c = 0; c < 128; ++c) ascii_[c] = compute(c);
}

UnicodeClasses::~UnicodeClasses() = default;

std::uint8_t UnicodeClasses::compute(char32_t cp) const {
  std::string s;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;  // surrogates never occur in well-formed UTF-8
  utf8::append(s, cp);
  std::uint8_t flags = 0;
  if (re2::RE2::FullMatch(s, *letter_)) flags |= kLetter;
  if (re2::RE2::FullMatch(s, *mark_)) flags |= kMark;
  if (re2::RE2::FullMatch(s, *number_)) flags |= kNumber;
  if (re2::RE2::FullMatch(s, *punctuation_)) flags |= kPunctuation;
  if (re2::RE2::FullMatch(s, *symbol_)) flags |= kSymbol;
  if (is_white_space(cp)) flags |= kWhiteSpace;
  if (cp >= 128) cache_[cp].store(static_cast<std::uint8_t>(flags | kKnown), std::memory_order_relaxed);
  return flags;
}

}  // namespace r1eval::engine::tokenizer
