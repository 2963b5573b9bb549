// The GPT-2 "byte-level" alphabet used by Hugging Face's ByteLevel pre-tokenizer and decoder: every byte value is
// shown as one printable code point, so a BPE vocabulary over those code points can spell any byte string.
// Bytes '!'..'~', 0xA1..0xAC and 0xAE..0xFF stand for themselves; the other 68 bytes map, in order, to U+0100...
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace r1eval::engine::tokenizer::byte_level {

// The code point that stands for byte b.
char32_t byte_to_char(unsigned char b);

// The byte a code point stands for, or nullopt when it is not one of the 256 alphabet characters.
std::optional<unsigned char> char_to_byte(char32_t cp);

// Maps raw bytes to their byte-level UTF-8 spelling (e.g. " t" -> "Ġt").
std::string encode(std::string_view bytes);

// Maps a byte-level spelling back to raw bytes; nullopt when any character is outside the alphabet or the input is
// not valid UTF-8 (Hugging Face's decoder then keeps such a token's own UTF-8 bytes).
std::optional<std::string> decode(std::string_view text);

}  // namespace r1eval::engine::tokenizer::byte_level
