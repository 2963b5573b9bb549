// Looks up a bundled code problem by its task id, for callers that only have {"task_id", "pred"} rows (the
// `grade --jsonl` command): HumanEval by "HumanEval/N", MBPP by its integer task_id (also "Mbpp/N" or "N"),
// LiveCodeBench by question_id (e.g. "abc365_b") or global_id.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace r1eval::graders::code {

// `datasets_dir` is the repository's datasets/ folder. Throws std::invalid_argument naming the grader, the id and
// the file when the problem is not there; thread-safe (files are read once and cached).
nlohmann::json find_code_problem(std::string_view grader, const nlohmann::json& task_id,
                                 const std::string& datasets_dir);

}  // namespace r1eval::graders::code
