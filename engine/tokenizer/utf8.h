// UTF-8 helpers shared by the pre-tokenizer, the decoders and the chat templates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace r1eval::engine::tokenizer::utf8 {

// Appends the UTF-8 encoding of a code point (<= 0x10FFFF) to out.
void append(std::string& out, char32_t cp);

// Length of the well-formed UTF-8 sequence starting at text[pos], or 0 when the bytes there are not a complete,
// well-formed sequence (truncated, overlong, surrogate, > U+10FFFF, stray continuation byte).
std::size_t valid_sequence_length(std::string_view text, std::size_t pos);

// Decodes the character at text[pos] (pos < size): returns its code point and sets len to its byte length. An
// ill-formed byte gives kInvalid and len = 1.
constexpr char32_t kInvalid = 0xFFFFFFFF;
char32_t decode(std::string_view text, std::size_t pos, std::size_t& len);

// Start offset of the last character in text[0, end) (end > 0): steps back over continuation bytes, at most 3.
std::size_t last_char_start(std::string_view text, std::size_t end);

// Converts bytes to valid UTF-8 the way Rust's String::from_utf8_lossy (and so Hugging Face decode) does: each
// maximal ill-formed subpart becomes one U+FFFD. When `final` is false, an incomplete but so-far valid sequence at
// the very end is left unconsumed. Returns how many input bytes were consumed; the text is appended to out.
std::size_t append_lossy(std::string_view bytes, bool final, std::string& out);

// Convenience: the whole input through append_lossy(final = true).
std::string to_valid_lossy(std::string_view bytes);

}  // namespace r1eval::engine::tokenizer::utf8
