// Reads a small text file (config.json, an index) whole, with a size cap.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace r1eval::engine::weights {

// Throws LoadError naming the path when it is missing, unreadable, not a regular file or larger than max_bytes.
std::string read_text_file(const std::filesystem::path& path, std::uint64_t max_bytes = 100'000'000);

}  // namespace r1eval::engine::weights
