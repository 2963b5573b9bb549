// Parsing JSON that anyone may have written (JSONL rows, problems, options): bounded nesting, and failures as one
// printable sentence rather than nlohmann's exception text, which quotes raw (possibly invalid UTF-8) bytes.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace r1eval::common {

// Deeper documents are refused before parsing: printing or grading a value recurses once per level, so a row of
// 100000 '[' would overflow the stack. No data file or model file of ours nests beyond a handful of levels.
inline constexpr int kMaxJsonDepth = 64;

// Depth of bracket nesting outside strings, measured before parsing so a hostile "[[[[..." costs one pass.
int json_nesting_depth(std::string_view text);

// The part of a nlohmann exception's message after its "[json.exception.x.y] " id, without a final period, with
// bytes outside printable ASCII shown as '?' and cut at 200 bytes: fit to go inside a sentence.
std::string json_error_detail(const nlohmann::json::exception& error);

// Parses one JSON value; throws std::invalid_argument "<what> is not valid JSON (...)" or "<what> nests deeper than
// 64 levels" (one sentence, no final period).
nlohmann::json parse_untrusted_json(std::string_view text, std::string_view what);

// As parse_untrusted_json, but a malformed or too deeply nested text gives a discarded value (is_discarded()), as
// nlohmann's parse without exceptions does, for callers that only ask whether the text was usable.
nlohmann::json parse_untrusted_json_or_discarded(std::string_view text);

// Dumps a value as one line; invalid UTF-8 in its strings becomes U+FFFD instead of an exception.
std::string dump_json_line(const nlohmann::json& value);
std::string dump_json_line(const nlohmann::ordered_json& value);

}  // namespace r1eval::common
