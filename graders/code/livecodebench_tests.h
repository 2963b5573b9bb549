// LiveCodeBench's public tests: taken from the problem record when it carries them (the upstream
// public_test_cases list), else read from the samples embedded in the statement ("Sample Input k"/"Sample Output k"
// for AtCoder/Codeforces, "Input: ... Output: ..." examples plus the Solution starter code for LeetCode).
// Also the upstream rule for comparing a program's stdout with the expected output.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "graders/code/execution.h"

namespace r1eval::graders::code {

struct LiveCodeBenchTests {
  bool functional = false;     // LeetCode style: call Solution().<method>
  std::string method;          // functional only
  std::vector<CallCase> cases;  // stdin/expected stdout, or call arguments/expected value
};

// Throws std::invalid_argument naming what is missing when no test can be found.
LiveCodeBenchTests livecodebench_tests(const nlohmann::json& problem);

// Statement parsing on its own (exposed for tests).
std::vector<CallCase> stdin_samples(std::string_view statement);
std::vector<CallCase> leetcode_examples(std::string_view statement);
std::string starter_method(std::string_view statement);

// LiveCodeBench's comparison: both sides stripped and split into lines, each line stripped; lines must match
// exactly, or else token by token as decimal numbers (so "1.50" equals "1.5" but "1.5" differs from "1.49999").
bool stdout_matches(std::string_view actual, std::string_view expected);

}  // namespace r1eval::graders::code
