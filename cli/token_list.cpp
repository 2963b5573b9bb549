#include "cli/token_list.h"

#include <charconv>
#include <stdexcept>
#include <string_view>

namespace r1eval::cli {

std::vector<std::int32_t> parse_token_list(const std::string& text, const std::string& option) {
  std::vector<std::int32_t> ids;
  std::string_view rest = text;
  while (true) {
    const std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    std::int32_t id = 0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (item.empty() || error != std::errc() || end != item.data() + item.size() || id < 0) {
      throw std::invalid_argument(option + " expects comma-separated non-negative token ids, got '" +
                                  std::string(item) + "'");
    }
    ids.push_back(id);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return ids;
}

}  // namespace r1eval::cli
