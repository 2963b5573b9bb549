#include "engine/tokenizer/utf8.h"

namespace r1eval::engine::tokenizer::utf8 {
namespace {

// Allowed range of the second byte for each lead byte (Unicode Table 3-7, "well-formed UTF-8 byte sequences").
struct LeadInfo {
  std::size_t length;  // 0 = never valid as a lead byte
  unsigned char second_lo;
  unsigned char second_hi;
};

LeadInfo lead_info(unsigned char b) {
  if (b < 0x80) return {1, 0, 0};
  if (b < 0xC2) return {0, 0, 0};
  if (b < 0xE0) return {2, 0x80, 0xBF};
  if (b == 0xE0) return {3, 0xA0, 0xBF};
  if (b == 0xED) return {3, 0x80, 0x9F};
  if (b < 0xF0) return {3, 0x80, 0xBF};
  if (b == 0xF0) return {4, 0x90, 0xBF};
  if (b < 0xF4) return {4, 0x80, 0xBF};
  if (b == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Number of bytes at text[pos] that form a valid prefix of a well-formed sequence (at least 1 for any input).
// `complete` tells whether that prefix is a whole character.
std::size_t valid_prefix(std::string_view text, std::size_t pos, bool& complete) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  const LeadInfo info = lead_info(b0);
  complete = false;
  if (info.length == 0) return 1;  // ill-formed lead byte: a maximal subpart of length 1
  if (info.length == 1) {
    complete = true;
    return 1;
  }
  std::size_t n = 1;
  for (; n < info.length && pos + n < text.size(); ++n) {
    const auto b = static_cast<unsigned char>(text[pos + n]);
    const bool ok = n == 1 ? (b >= info.second_lo && b <= info.second_hi) : is_continuation(b);
    if (!ok) return n;
  }
  complete = n == info.length;
  return n;
}

}  // namespace

void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::size_t valid_sequence_length(std::string_view text, std::size_t pos) {
  bool complete = false;
  const std::size_t n = valid_prefix(text, pos, complete);
  return complete ? n : 0;
}

char32_t decode(std::string_view text, std::size_t pos, std::size_t& len) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  if (b0 < 0x80) {
    len = 1;
    return b0;
  }
  len = valid_sequence_length(text, pos);
  if (len == 0) {
    len = 1;
    return kInvalid;
  }
  char32_t cp = b0 & (0x7F >> len);
  for (std::size_t i = 1; i < len; ++i) cp = (cp << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
  return cp;
}

std::size_t last_char_start(std::string_view text, std::size_t end) {
  std::size_t start = end - 1;
  for (int steps = 0; steps < 3 && start > 0 && is_continuation(static_cast<unsigned char>(text[start])); ++steps) {
    --start;
  }
  return start;
}

std::size_t append_lossy(std::string_view bytes, bool final, std::string& out) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    // Copy the run of ASCII bytes quickly.
    std::size_t run = pos;
    while (run < bytes.size() && static_cast<unsigned char>(bytes[run]) < 0x80) ++run;
    out.append(bytes.data() + pos, run - pos);
    pos = run;
    if (pos == bytes.size()) break;
    bool complete = false;
    const std::size_t n = valid_prefix(bytes, pos, complete);
    if (complete) {
      out.append(bytes.data() + pos, n);
    } else if (!final && pos + n == bytes.size()) {
      return pos;  // a valid but unfinished character at the end: wait for more bytes
    } else {
      out.append("\xEF\xBF\xBD");  // U+FFFD for the maximal ill-formed subpart
    }
    pos += n;
  }
  return pos;
}

std::string to_valid_lossy(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  append_lossy(bytes, true, out);
  return out;
}

}  // namespace r1eval::engine::tokenizer::utf8
