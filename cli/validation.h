// Checks on numeric options, made before a command runs anything: NaN, infinities, out-of-range and non-integer
// values are refused with a message that names the option (CLI11 prefixes it) and the allowed range in words.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

namespace r1eval::cli {

// A finite number from `min` to `max`, both included.
CLI::Validator number_from(double min, double max);
// A finite number above `min` (excluded) up to `max` (included), e.g. a top-p in (0, 1].
CLI::Validator number_above(double min, double max);
// A whole number from `min` to `max`, both included, written in decimal digits.
CLI::Validator whole_number_from(std::int64_t min, std::int64_t max);
// A seed: a whole number from 0 to 2^64-1, written in decimal digits (no sign, no exponent, no wrap-around).
CLI::Validator seed_number();

}  // namespace r1eval::cli
