// Where a command reads a whole file given on its command line (a price table, chat messages): the path, or "-"
// for standard input, as the command-line convention has it.
#pragma once

#include <string>
#include <string_view>

namespace r1eval::cli {

// The display name of an input path: "standard input" for "-", else the path.
std::string input_name(const std::string& path);

// The whole content of `path`, or of standard input for "-". Throws std::runtime_error "cannot read the <what>
// <path>" when it cannot be opened or read (a directory, a missing file).
std::string read_input_text(const std::string& path, std::string_view what);

}  // namespace r1eval::cli
