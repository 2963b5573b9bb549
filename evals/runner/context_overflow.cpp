#include "evals/runner/context_overflow.h"

#include <charconv>
#include <regex>
#include <string>

namespace r1eval::evals::runner {
namespace {

// The first capture of the first pattern that matches, as a positive count.
std::optional<std::int64_t> first_count(const std::string& text, std::initializer_list<const char*> patterns) {
  for (const char* pattern : patterns) {
    std::smatch match;
    if (!std::regex_search(text, match, std::regex(pattern, std::regex::icase))) continue;
    std::int64_t value = 0;
    const std::string digits = match[1].str();
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error == std::errc() && end == digits.data() + digits.size() && value > 0) return value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ContextOverflow> parse_context_overflow(std::string_view message) {
  // Error bodies are short; a long page (a proxy's HTML) is not such a rejection and is not worth the regex time.
  constexpr std::size_t kLongest = 4096;
  if (message.size() > kLongest) return std::nullopt;
  const std::string text(message);
  const auto context =
      first_count(text, {R"(maximum context length (?:is|of) (\d+))", R"(context length \((\d+) tokens\))"});
  if (!context) return std::nullopt;
  const auto prompt =
      first_count(text, {R"((\d+) in the messages)", R"((\d+) input tokens)", R"((\d+) tokens from the input)",
                         R"(input \((\d+) tokens\))", R"(messages resulted in (\d+) tokens)"});
  if (!prompt) return std::nullopt;
  return ContextOverflow{*context, *prompt};
}

}  // namespace r1eval::evals::runner
