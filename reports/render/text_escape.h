// Making arbitrary text (model completions, names from the database) safe to print in a report: invalid UTF-8 and
// control characters become U+FFFD, then the format's special characters are escaped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace r1eval::reports::render {

// Valid UTF-8 out: each maximal ill-formed subsequence (stray continuation byte, truncated or overlong sequence,
// surrogate, code point above U+10FFFF) and each control character other than tab, LF and CR becomes U+FFFD.
std::string sanitize_text(std::string_view text);

// sanitize_text, then & < > " ' as character references: safe in HTML/SVG text and in quoted attribute values.
std::string html_escape(std::string_view text);

// sanitize_text for one line of Markdown (a table cell, a list item): line breaks become spaces, Markdown's inline
// markup characters (\ ` * _ |, and ] before ( or [ where it would close a link) are backslash-escaped and < > &
// become character references, so neither raw HTML nor a link passes through.
std::string markdown_inline(std::string_view text);

// A fenced code block that shows text verbatim: the fence is one backtick longer than the longest backtick run
// inside, so nothing in the text can close it early.
std::string markdown_code_block(std::string_view text);

// The longest prefix of valid UTF-8 text that fits in max_bytes without splitting a character.
std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace r1eval::reports::render
