#include "graders/code/livecodebench_tests.h"

#include <stdexcept>

#include "common/json_limits.h"
#include "graders/format/reasoning_parts.h"

namespace r1eval::graders::code {
namespace {

using format::trim;

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (true) {
    const std::size_t end = text.find('\n', pos);
    lines.push_back(text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return lines;
}

std::vector<std::string_view> tokens_of(std::string_view line) {
  std::vector<std::string_view> tokens;
  std::size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    const std::size_t start = pos;
    while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') ++pos;
    if (pos > start) tokens.push_back(line.substr(start, pos - start));
  }
  return tokens;
}

// A finite decimal number as (negative, significant digits without leading/trailing zeros, exponent), so that
// equal values compare equal however they are written. False when `token` is not a decimal literal.
struct Decimal {
  bool negative = false;
  std::string digits;
  long exponent = 0;
  bool operator==(const Decimal&) const = default;
};

bool parse_decimal(std::string_view token, Decimal* out) {
  std::size_t i = 0;
  Decimal d;
  if (i < token.size() && (token[i] == '+' || token[i] == '-')) d.negative = token[i++] == '-';
  std::string digits;
  long exponent = 0;
  bool any = false, point = false;
  for (; i < token.size(); ++i) {
    const char c = token[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      any = true;
      if (point) --exponent;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!any) return false;
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    bool negative_exponent = false;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) negative_exponent = token[i++] == '-';
    long value = 0;
    bool exponent_digits = false;
    for (; i < token.size() && token[i] >= '0' && token[i] <= '9'; ++i) {
      if (value < 100000000) value = value * 10 + (token[i] - '0');
      exponent_digits = true;
    }
    if (!exponent_digits) return false;
    exponent += negative_exponent ? -value : value;
  }
  if (i != token.size()) return false;
  const std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) {
    *out = Decimal{};  // zero, whatever its sign
    return true;
  }
  digits.erase(0, first);
  while (digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  d.digits = digits;
  d.exponent = exponent;
  *out = d;
  return true;
}

bool lines_match(std::string_view a, std::string_view b) {
  if (a == b) return true;
  const std::vector<std::string_view> ta = tokens_of(a), tb = tokens_of(b);
  if (ta.size() != tb.size()) return false;
  for (std::size_t i = 0; i < ta.size(); ++i) {
    Decimal da, db;
    if (!parse_decimal(ta[i], &da) || !parse_decimal(tb[i], &db) || !(da == db)) return false;
  }
  return true;
}

// Text after `header` up to the end of its line.
std::string_view rest_of_line(std::string_view text, std::size_t from) {
  const std::size_t end = text.find('\n', from);
  return trim(text.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from));
}

}  // namespace

bool stdout_matches(std::string_view actual, std::string_view expected) {
  const std::vector<std::string_view> a = lines_of(trim(actual)), b = lines_of(trim(expected));
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!lines_match(trim(a[i]), trim(b[i]))) return false;
  }
  return true;
}

std::vector<CallCase> stdin_samples(std::string_view statement) {
  std::vector<CallCase> cases;
  for (int k = 1;; ++k) {
    const std::string input_header = "Sample Input " + std::to_string(k);
    const std::string output_header = "Sample Output " + std::to_string(k);
    const std::size_t in = statement.find(input_header);
    if (in == std::string_view::npos) break;
    const std::size_t out = statement.find(output_header, in);
    if (out == std::string_view::npos) break;
    const std::size_t input_start = in + input_header.size();
    CallCase c;
    c.input = std::string(trim(statement.substr(input_start, out - input_start)));
    // The expected output runs until the first blank line (the explanation or the next sample follows it).
    std::string expected;
    bool started = false;
    for (std::string_view line : lines_of(statement.substr(out + output_header.size()))) {
      const std::string_view t = trim(line);
      if (t.empty()) {
        if (started) break;
        continue;
      }
      started = true;
      expected += std::string(t) + "\n";
    }
    c.output = expected;
    if (!c.input.empty()) c.input += "\n";
    cases.push_back(std::move(c));
  }
  return cases;
}

std::vector<CallCase> leetcode_examples(std::string_view statement) {
  std::vector<CallCase> cases;
  std::size_t pos = 0;
  while (true) {
    const std::size_t in = statement.find("Input: ", pos);
    if (in == std::string_view::npos) break;
    const std::size_t out = statement.find("Output: ", in);
    if (out == std::string_view::npos) break;
    cases.push_back({std::string(rest_of_line(statement, in + 7)), std::string(rest_of_line(statement, out + 8))});
    pos = out + 8;
  }
  return cases;
}

std::string starter_method(std::string_view statement) {
  const std::size_t cls = statement.rfind("class Solution");
  if (cls == std::string_view::npos) return "";
  const std::size_t def = statement.find("def ", cls);
  if (def == std::string_view::npos) return "";
  const std::size_t paren = statement.find('(', def);
  if (paren == std::string_view::npos) return "";
  return std::string(trim(statement.substr(def + 4, paren - def - 4)));
}

LiveCodeBenchTests livecodebench_tests(const nlohmann::json& problem) {
  LiveCodeBenchTests tests;
  if (!problem.is_object()) throw std::invalid_argument("livecodebench: the problem record is missing");
  // Upstream records: public_test_cases is a list (or a JSON string of a list) of {input, output, testtype}.
  if (problem.contains("public_test_cases")) {
    nlohmann::json list = problem["public_test_cases"];
    if (list.is_string()) list = common::parse_untrusted_json_or_discarded(list.get<std::string>());
    if (!list.is_array() || list.empty()) {
      throw std::invalid_argument("livecodebench: public_test_cases is not a non-empty list");
    }
    for (const nlohmann::json& t : list) {
      if (!t.is_object() || !t.contains("input") || !t.contains("output")) {
        throw std::invalid_argument("livecodebench: a public test lacks input or output");
      }
      tests.functional = t.value("testtype", std::string("stdin")) == "functional";
      tests.cases.push_back({t["input"].get<std::string>(), t["output"].get<std::string>()});
    }
    if (tests.functional) {
      nlohmann::json metadata = problem.value("metadata", nlohmann::json::object());
      if (metadata.is_string()) metadata = common::parse_untrusted_json_or_discarded(metadata.get<std::string>());
      tests.method = metadata.is_object() ? metadata.value("func_name", std::string()) : std::string();
      if (tests.method.empty())
        throw std::invalid_argument("livecodebench: functional tests without metadata.func_name");
    }
    return tests;
  }
  const std::string statement = problem.value("prompt", problem.value("question_content", std::string()));
  if (statement.empty()) throw std::invalid_argument("livecodebench: the problem has neither tests nor a prompt");
  tests.method = starter_method(statement);
  tests.functional = !tests.method.empty();
  tests.cases = tests.functional ? leetcode_examples(statement) : stdin_samples(statement);
  if (tests.cases.empty()) throw std::invalid_argument("livecodebench: no sample tests found in the prompt");
  return tests;
}

}  // namespace r1eval::graders::code
