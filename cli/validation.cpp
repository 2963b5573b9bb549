#include "cli/validation.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>

#include <fmt/format.h>

namespace r1eval::cli {
namespace {

// The text as a finite double, or NaN when it is not one (strtod also reads "nan", "inf" and hex floats).
double parse_finite(const std::string& text) {
  if (text.empty()) return std::nan("");
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nan("");
  return value;
}

template <typename Int>
bool parse_whole(const std::string& text, Int& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

// A validator whose failure reads "must be <words>, not '<text>'" (CLI11 puts the option's name in front).
CLI::Validator checked(const std::string& words, std::function<bool(const std::string&)> ok) {
  return CLI::Validator(
      [words, ok = std::move(ok)](std::string& text) -> std::string {
        return ok(text) ? std::string() : "must be " + words + ", not '" + text + "'";
      },
      words);
}

}  // namespace

CLI::Validator number_from(double min, double max) {
  return checked(fmt::format("a number from {:g} to {:g}", min, max), [=](const std::string& text) {
    const double value = parse_finite(text);
    return value >= min && value <= max;  // false for NaN
  });
}

CLI::Validator number_above(double min, double max) {
  return checked(fmt::format("a number above {:g} and at most {:g}", min, max), [=](const std::string& text) {
    const double value = parse_finite(text);
    return value > min && value <= max;
  });
}

CLI::Validator whole_number_from(std::int64_t min, std::int64_t max) {
  return checked(fmt::format("a whole number from {} to {}", min, max), [=](const std::string& text) {
    std::int64_t value = 0;
    return parse_whole(text, value) && value >= min && value <= max;
  });
}

CLI::Validator seed_number() {
  return checked(fmt::format("a whole number from 0 to {}", std::numeric_limits<std::uint64_t>::max()),
                 [](const std::string& text) {
                   std::uint64_t value = 0;
                   return parse_whole(text, value);
                 });
}

}  // namespace r1eval::cli
