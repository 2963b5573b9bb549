// JSON parsing for model files: nlohmann's parser with the checks it does not make by itself.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace r1eval::engine::weights {

// Parses `text` as one JSON value. Rejects invalid JSON (nlohmann also rejects invalid UTF-8 in strings),
// nesting deeper than `max_depth`, and an object with the same key twice (nlohmann would silently keep the
// last one). Throws LoadError with one sentence that starts with `source`.
// `text` in double quotes for an error message: control characters escaped, cut after 120 bytes, so a hostile
// name cannot break the one-line message.
std::string quote_for_message(std::string_view text);

nlohmann::json parse_strict_json(std::string_view text, const std::string& source, int max_depth = 64);

}  // namespace r1eval::engine::weights
