// The JSONL case tables of the math grader's tests: one row a case, {"gold", "pred", "correct", "why"} with an
// optional "problem" (the answer policy; else the table's default) and "outcome" (else pass or fail).
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "graders/grader.h"

namespace r1eval::graders::math::testing {

inline std::vector<nlohmann::json> load_case_table(const std::string& file_name) {
  std::ifstream file(std::string(R1EVAL_SOURCE_DIR) + "/tests/graders/math/" + file_name);
  std::vector<nlohmann::json> rows;
  std::string line;
  while (std::getline(file, line)) {
    if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
  }
  return rows;
}

inline Verdict grade_case(const Grader& grader, const nlohmann::json& row, const nlohmann::json& default_problem) {
  GradeRequest request;
  request.completion = row.at("pred").get<std::string>();
  request.gold = row.at("gold");
  request.problem = row.value("problem", default_problem);
  return grader.grade(request);
}

}  // namespace r1eval::graders::math::testing
