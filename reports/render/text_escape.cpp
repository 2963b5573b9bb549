#include "reports/render/text_escape.h"

#include <algorithm>

namespace r1eval::reports::render {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool is_continuation(unsigned char byte) { return (byte & 0xC0U) == 0x80U; }

// Length of the well-formed UTF-8 sequence starting at text[pos], or 0 when it is ill-formed; `consumed` gets the
// length of the ill-formed prefix to replace (at least 1), following Unicode's "maximal subpart" practice.
std::size_t sequence_length(std::string_view text, std::size_t pos, std::size_t& consumed) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // overlong
    if (lead == 0xED) second_max = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;  // overlong
    if (lead == 0xF4) second_max = 0x8F;  // above U+10FFFF
  } else {
    consumed = 1;
    return 0;
  }
  std::size_t have = 1;
  while (have < length && pos + have < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos + have]);
    const bool ok = have == 1 ? (byte >= second_min && byte <= second_max) : is_continuation(byte);
    if (!ok) break;
    ++have;
  }
  consumed = have;
  return have == length ? length : 0;
}

bool is_replaced_control(unsigned char byte) {
  return (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F;
}

}  // namespace

std::string sanitize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      if (is_replaced_control(byte)) {
        out += kReplacement;
      } else {
        out += static_cast<char>(byte);
      }
      ++pos;
      continue;
    }
    std::size_t consumed = 0;
    const std::size_t length = sequence_length(text, pos, consumed);
    if (length == 0) {
      out += kReplacement;
      pos += consumed;
    } else {
      out.append(text.substr(pos, length));
      pos += length;
    }
  }
  return out;
}

std::string html_escape(std::string_view text) {
  const std::string clean = sanitize_text(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (const char c : clean) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string markdown_inline(std::string_view text) {
  const std::string clean = sanitize_text(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const char c = clean[i];
    // "](" and "][" are what make a link or an image; a bracket elsewhere (an interval "[0.1, 0.2]") is text.
    const bool link_bracket = c == ']' && i + 1 < clean.size() && (clean[i + 1] == '(' || clean[i + 1] == '[');
    switch (c) {
      case '\n':
      case '\r':
      case '\t': out += ' '; break;
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '|':
        out += '\\';
        out += c;
        break;
      default:
        if (link_bracket) out += '\\';
        out += c;
    }
  }
  return out;
}

std::string markdown_code_block(std::string_view text) {
  const std::string clean = sanitize_text(text);
  std::size_t longest_run = 0;
  std::size_t run = 0;
  for (const char c : clean) {
    run = c == '`' ? run + 1 : 0;
    longest_run = std::max(longest_run, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest_run + 1), '`');
  std::string out = fence + "text\n" + clean;
  if (clean.empty() || clean.back() != '\n') out += '\n';
  out += fence;
  out += '\n';
  return out;
}

std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && is_continuation(static_cast<unsigned char>(text[end]))) --end;
  return text.substr(0, end);
}

}  // namespace r1eval::reports::render
