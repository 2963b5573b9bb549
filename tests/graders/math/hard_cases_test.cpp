// Data-driven hard cases (hard_cases.jsonl): each row holds a gold answer, a model output, the verdict a careful
// human grader gives, and why. The rows come from the failure modes users report against other harnesses.
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "graders/grader.h"
#include "graders/math/math_grader.h"

namespace {

std::vector<nlohmann::json> load_hard_cases() {
  std::ifstream file(std::string(R1EVAL_SOURCE_DIR) + "/tests/graders/math/hard_cases.jsonl");
  std::vector<nlohmann::json> rows;
  std::string line;
  while (std::getline(file, line)) {
    if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
  }
  return rows;
}

TEST(MathHardCases, EveryRowGetsItsExpectedVerdict) {
  const std::vector<nlohmann::json> rows = load_hard_cases();
  ASSERT_GE(rows.size(), 100u);
  const auto grader = r1eval::graders::math::make_math_grader();
  for (const nlohmann::json& row : rows) {
    r1eval::graders::GradeRequest request;
    request.completion = row.at("pred").get<std::string>();
    request.gold = row.at("gold");
    request.problem = row.value("problem", nlohmann::json());
    const r1eval::graders::Verdict verdict = grader->grade(request);
    const bool expected = row.at("correct").get<bool>();
    const std::string expected_outcome = row.value("outcome", expected ? "pass" : "fail");
    EXPECT_EQ(verdict.correct, expected) << row.at("why").get<std::string>() << ": gold " << row.at("gold")
                                         << ", pred " << row.at("pred") << " -> " << verdict.detail;
    EXPECT_EQ(r1eval::graders::outcome_name(verdict.outcome), expected_outcome)
        << row.at("why").get<std::string>() << " -> " << verdict.detail;
  }
}

}  // namespace
