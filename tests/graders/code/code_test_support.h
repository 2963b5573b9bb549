// Helpers shared by the code-grader suites: bundled data, sandbox-or-skip grader creation, and the MBPP check.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "graders/code/code_graders.h"

namespace r1eval::graders::code::testing {

constexpr int kWorkers = 3;  // sandboxed runs wait on process start-up as much as on the CPU

std::vector<nlohmann::json> read_jsonl(const std::string& relative_to_repository);
CodeGraderSettings suite_settings();
// nullptr (with the reason in *why) when this machine cannot run the sandbox: the caller skips.
std::unique_ptr<Grader> grader_or_skip(std::unique_ptr<Grader> (*make)(const CodeGraderSettings&), std::string* why);
// Grades MBPP's reference code for task ids in [first_id, last_id] and expects every row to pass.
void check_mbpp_reference_code(int first_id, int last_id);

}  // namespace r1eval::graders::code::testing
