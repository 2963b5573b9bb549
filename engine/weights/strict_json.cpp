#include "engine/weights/strict_json.h"

#include <optional>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "common/json_limits.h"
#include "engine/weights/load_error.h"

namespace r1eval::engine::weights {
std::string quote_for_message(std::string_view text) {
  constexpr std::size_t kMaxShown = 120;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kMaxShown) out += "...";
  out += '"';
  return out;
}

nlohmann::json parse_strict_json(std::string_view text, const std::string& source, int max_depth) {
  if (common::json_nesting_depth(text) > max_depth) {
    throw LoadError(fmt::format("{}: JSON nests deeper than {} levels.", source, max_depth));
  }
  // One key set per open object; the parser callback sees object starts, keys and object ends in order.
  std::vector<std::unordered_set<std::string>> open_objects;
  std::optional<std::string> duplicate;
  auto callback = [&](int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    switch (event) {
      case nlohmann::json::parse_event_t::object_start:
        open_objects.emplace_back();
        break;
      case nlohmann::json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case nlohmann::json::parse_event_t::key:
        if (!open_objects.empty() && parsed.is_string() && !duplicate) {
          if (!open_objects.back().insert(parsed.get<std::string>()).second) duplicate = parsed.get<std::string>();
        }
        break;
      default:
        break;
    }
    return true;
  };
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/true,
                                  /*ignore_comments=*/false);
  } catch (const nlohmann::json::exception& e) {
    // parse_error for bad syntax, out_of_range for a number beyond double (1e400).
    const std::string detail = common::json_error_detail(e);
    throw LoadError(fmt::format("{}: invalid JSON ({}).", source, detail));
  }
  if (duplicate) {
    throw LoadError(fmt::format("{}: JSON object has the key {} twice.", source, quote_for_message(*duplicate)));
  }
  return value;
}

}  // namespace r1eval::engine::weights
