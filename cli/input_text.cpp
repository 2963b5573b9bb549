#include "cli/input_text.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace r1eval::cli {

std::string input_name(const std::string& path) { return path == "-" ? "standard input" : path; }

std::string read_input_text(const std::string& path, std::string_view what) {
  const auto failure = [&] { return std::runtime_error(fmt::format("cannot read the {} {}", what, input_name(path))); };
  std::ostringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
    if (std::cin.bad()) throw failure();
    return buffer.str();
  }
  // An ifstream opens a directory without complaint on Linux and then reads nothing.
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) throw failure();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw failure();
  buffer << in.rdbuf();
  if (in.bad()) throw failure();
  return buffer.str();
}

}  // namespace r1eval::cli
