// Unicode general-category flags of code points, taken from re2's own tables (so the hand-written DeepSeek
// pre-tokenizer agrees with the generic re2 path) and cached per code point on first use.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>

namespace re2 {
class RE2;
}

namespace r1eval::engine::tokenizer {

enum CharClass : std::uint8_t {
  kLetter = 1,       // \p{L}
  kMark = 2,         // \p{M}
  kNumber = 4,       // \p{N}
  kPunctuation = 8,  // \p{P}
  kSymbol = 16,      // \p{S}
  kWhiteSpace = 32,  // Unicode White_Space, what Oniguruma's \s matches
};

class UnicodeClasses {
 public:
  UnicodeClasses();
  ~UnicodeClasses();
  UnicodeClasses(const UnicodeClasses&) = delete;
  UnicodeClasses& operator=(const UnicodeClasses&) = delete;

  // CharClass bits of a code point (0 for controls, unassigned code points and anything above U+10FFFF).
  std::uint8_t of(char32_t cp) const {
    if (cp < 128) return ascii_[cp];
    if (cp > 0x10FFFF) return 0;
    const std::uint8_t cached = cache_[cp].load(std::memory_order_relaxed);
    return cached & kKnown ? static_cast<std::uint8_t>(cached & ~kKnown) : compute(cp);
  }

  static bool is_white_space(char32_t cp);

 private:
  static constexpr std::uint8_t kKnown = 0x80;
  std::uint8_t compute(char32_t cp) const;

  std::unique_ptr<re2::RE2> letter_, mark_, number_, punctuation_, symbol_;
  std::uint8_t ascii_[128] = {};
  std::unique_ptr<std::atomic<std::uint8_t>[]> cache_;
};

}  // namespace r1eval::engine::tokenizer
