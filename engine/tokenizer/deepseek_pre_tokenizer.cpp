#include "engine/tokenizer/deepseek_pre_tokenizer.h"

#include "engine/tokenizer/utf8.h"

namespace r1eval::engine::tokenizer {
namespace {

constexpr std::size_t kNoMatch = static_cast<std::size_t>(-1);

bool is_cjk(char32_t c) { return (c >= 0x4E00 && c <= 0x9FA5) || (c >= 0x3040 && c <= 0x30FF); }
bool is_ascii_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_punct(char32_t c) {
  return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}
bool is_newline(char32_t c) { return c == '\r' || c == '\n'; }

}  // namespace

const char* const DeepSeekPreTokenizer::kPatterns[3] = {
    "\\p{N}{1,3}",
    "[一-龥぀-ゟ゠-ヿ]+",
    // One pattern, split over two lines (parenthesised: one element, not two).
    ("[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| "
     "?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+"),
};

// End of the leftmost-first match of pattern 3 starting exactly at pos, or kNoMatch.
std::size_t DeepSeekPreTokenizer::match_at(std::string_view piece, std::size_t pos) const {
  const std::size_t n = piece.size();
  std::size_t len0 = 0;
  const char32_t c0 = utf8::decode(piece, pos, len0);
  const std::uint8_t cls0 = classes_.of(c0);
  std::size_t len1 = 0;
  const char32_t c1 = pos + len0 < n ? utf8::decode(piece, pos + len0, len1) : utf8::kInvalid;
  const std::uint8_t cls1 = pos + len0 < n ? classes_.of(c1) : 0;

  const auto run = [&](std::size_t from, auto&& pred) {
    std::size_t len = 0;
    while (from < n) {
      const char32_t c = utf8::decode(piece, from, len);
      if (!pred(c)) break;
      from += len;
    }
    return from;
  };
  const auto letter_or_mark = [&](char32_t c) { return (classes_.of(c) & (kLetter | kMark)) != 0; };
  const auto punct_or_symbol = [&](char32_t c) { return (classes_.of(c) & (kPunctuation | kSymbol)) != 0; };

  // [punct][A-Za-z]+
  if (is_ascii_punct(c0) && is_ascii_letter(c1)) return run(pos + 1, is_ascii_letter);
  // [^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+ (an ill-formed byte matches no class, not even a negated one)
  const bool optional_ok = c0 != utf8::kInvalid && !is_newline(c0) && !(cls0 & (kLetter | kPunctuation | kSymbol));
  if (optional_ok && (cls1 & (kLetter | kMark))) return run(pos + len0, letter_or_mark);
  if (cls0 & (kLetter | kMark)) return run(pos, letter_or_mark);
  // " ?[\p{P}\p{S}]+[\r\n]*"
  if (c0 == ' ' && (cls1 & (kPunctuation | kSymbol))) return run(run(pos + 1, punct_or_symbol), is_newline);
  if (cls0 & (kPunctuation | kSymbol)) return run(run(pos, punct_or_symbol), is_newline);
  if (!(cls0 & kWhiteSpace)) return kNoMatch;
  // \s*[\r\n]+ : up to the end of the last newline inside the whitespace run.
  std::size_t end = pos;
  std::size_t last_newline_end = kNoMatch;
  std::size_t chars = 0;
  for (std::size_t len = 0; end < n; end += len, ++chars) {
    const char32_t c = utf8::decode(piece, end, len);
    if (!UnicodeClasses::is_white_space(c)) break;
    if (is_newline(c)) last_newline_end = end + len;
  }
  if (last_newline_end != kNoMatch) return last_newline_end;
  // \s+(?!\S) gives back the last space when a non-space follows; \s+ takes a single space.
  if (end < n && chars >= 2) return utf8::last_char_start(piece, end);
  return end;
}

void DeepSeekPreTokenizer::split_words(std::string_view piece, std::vector<std::string_view>& out) const {
  std::size_t gap_start = 0;
  std::size_t pos = 0;
  while (pos < piece.size()) {
    const std::size_t end = match_at(piece, pos);
    if (end == kNoMatch) {
      std::size_t len = 0;
      utf8::decode(piece, pos, len);
      pos += len;
      continue;
    }
    if (pos > gap_start) out.push_back(piece.substr(gap_start, pos - gap_start));
    out.push_back(piece.substr(pos, end - pos));
    pos = end;
    gap_start = pos;
  }
  if (gap_start < piece.size()) out.push_back(piece.substr(gap_start));
}

void DeepSeekPreTokenizer::split(std::string_view text, std::vector<std::string_view>& out) const {
  // Steps 1 and 2 cut the text into number chunks, CJK runs and the rest; step 3 splits every such piece.
  enum class Kind { kNumber, kCjk, kOther };
  std::size_t piece_start = 0;
  Kind piece_kind = Kind::kOther;
  int digits = 0;
  const auto flush = [&](std::size_t end) {
    if (end > piece_start) split_words(text.substr(piece_start, end - piece_start), out);
    piece_start = end;
  };
  std::size_t len = 0;
  for (std::size_t pos = 0; pos < text.size(); pos += len) {
    const char32_t c = utf8::decode(text, pos, len);
    const Kind kind = (classes_.of(c) & kNumber) ? Kind::kNumber : is_cjk(c) ? Kind::kCjk : Kind::kOther;
    if (kind == Kind::kNumber) {
      if (piece_kind != Kind::kNumber || digits == 3) {
        flush(pos);
        digits = 0;
      }
      ++digits;
    } else if (kind != piece_kind) {
      flush(pos);
    }
    piece_kind = kind;
  }
  flush(text.size());
}

}  // namespace r1eval::engine::tokenizer
