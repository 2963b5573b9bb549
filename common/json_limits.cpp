#include "common/json_limits.h"

#include <stdexcept>

namespace r1eval::common {

int json_nesting_depth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
      if (depth > deepest) deepest = depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

std::string json_error_detail(const nlohmann::json::exception& error) {
  constexpr std::size_t kMaxDetail = 200;
  std::string detail = error.what();
  if (const auto pos = detail.find("] "); pos != std::string::npos) detail = detail.substr(pos + 2);
  while (!detail.empty() && (detail.back() == '.' || detail.back() == ' ')) detail.pop_back();
  // The detail quotes the bytes last read, which may be anything: keep the message printable and short.
  for (char& c : detail) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
  }
  if (detail.size() > kMaxDetail) detail = detail.substr(0, kMaxDetail) + "...";
  return detail;
}

nlohmann::json parse_untrusted_json(std::string_view text, std::string_view what) {
  if (json_nesting_depth(text) > kMaxJsonDepth) {
    throw std::invalid_argument(std::string(what) + " nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    // parse_error for bad syntax or invalid UTF-8, out_of_range for a number beyond double (1e400).
    throw std::invalid_argument(std::string(what) + " is not valid JSON (" + json_error_detail(error) + ")");
  }
}

nlohmann::json parse_untrusted_json_or_discarded(std::string_view text) {
  if (json_nesting_depth(text) > kMaxJsonDepth) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::string dump_json_line(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string dump_json_line(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace r1eval::common
