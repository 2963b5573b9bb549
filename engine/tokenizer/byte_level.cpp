#include "engine/tokenizer/byte_level.h"

#include "engine/tokenizer/utf8.h"

namespace r1eval::engine::tokenizer::byte_level {
namespace {

struct Tables {
  std::array<char32_t, 256> to_char{};
  std::array<int, 324> from_char{};  // code points 0..323 cover the whole alphabet (U+0100 + 67 = U+0143)

  Tables() {
    from_char.fill(-1);
    char32_t next_shifted = 0x100;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      to_char[static_cast<std::size_t>(b)] = printable ? static_cast<char32_t>(b) : next_shifted++;
      from_char[to_char[static_cast<std::size_t>(b)]] = b;
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

char32_t byte_to_char(unsigned char b) { return tables().to_char[b]; }

std::optional<unsigned char> char_to_byte(char32_t cp) {
  if (cp >= tables().from_char.size() || tables().from_char[cp] < 0) return std::nullopt;
  return static_cast<unsigned char>(tables().from_char[cp]);
}

std::string encode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) utf8::append(out, byte_to_char(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t len = 0;
    const char32_t cp = utf8::decode(text, pos, len);
    if (cp == utf8::kInvalid) return std::nullopt;
    const auto byte = char_to_byte(cp);
    if (!byte) return std::nullopt;
    out.push_back(static_cast<char>(*byte));
    pos += len;
  }
  return out;
}

}  // namespace r1eval::engine::tokenizer::byte_level
