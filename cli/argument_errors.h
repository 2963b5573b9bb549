// One sentence for a command line CLI11 could not parse: an unknown command or option is named with the nearest
// known one, instead of CLI11's "A subcommand is required" or "The following arguments were not expected".
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace r1eval::cli {

// Exit status of a command line that could not be parsed or validated (as for a shell builtin's misuse).
inline constexpr int kUsageExit = 2;

// The sentence for `error`, raised while parsing argv into `app` (no "ERROR:" prefix, no final newline).
std::string describe_parse_error(CLI::App& app, const CLI::ParseError& error, int argc, const char* const* argv);

}  // namespace r1eval::cli
