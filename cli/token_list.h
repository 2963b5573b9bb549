// Parsing of comma-separated token id lists given on the command line ("1,2,3").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace r1eval::cli {

// Throws std::invalid_argument naming the bad item.
std::vector<std::int32_t> parse_token_list(const std::string& text, const std::string& option);

}  // namespace r1eval::cli
