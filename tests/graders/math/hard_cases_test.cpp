// Data-driven hard cases: each row holds a gold answer, a model output, the verdict a careful human grader gives,
// and why. hard_cases.jsonl comes from the failure modes users report against other harnesses (graded under the
// default "math" policy); normalization_cases.jsonl covers each normalization of free-text answers, with cases
// that must stay unequal beside each (graded under "auto").
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "graders/math/math_grader.h"
#include "tests/graders/math/case_table.h"

namespace {

using r1eval::graders::math::testing::grade_case;
using r1eval::graders::math::testing::load_case_table;

struct Table {
  std::string file_name;
  nlohmann::json default_problem;
  std::size_t minimum_rows;
};

class MathHardCases : public ::testing::TestWithParam<Table> {};

TEST_P(MathHardCases, EveryRowGetsItsExpectedVerdict) {
  const std::vector<nlohmann::json> rows = load_case_table(GetParam().file_name);
  ASSERT_GE(rows.size(), GetParam().minimum_rows);
  const auto grader = r1eval::graders::math::make_math_grader();
  for (const nlohmann::json& row : rows) {
    const r1eval::graders::Verdict verdict = grade_case(*grader, row, GetParam().default_problem);
    const bool expected = row.at("correct").get<bool>();
    const std::string expected_outcome = row.value("outcome", expected ? "pass" : "fail");
    EXPECT_EQ(verdict.correct, expected) << row.at("why").get<std::string>() << ": gold " << row.at("gold")
                                         << ", pred " << row.at("pred") << " -> " << verdict.detail;
    EXPECT_EQ(r1eval::graders::outcome_name(verdict.outcome), expected_outcome)
        << row.at("why").get<std::string>() << " -> " << verdict.detail;
  }
}

INSTANTIATE_TEST_SUITE_P(Tables, MathHardCases,
                         ::testing::Values(Table{"hard_cases.jsonl", nullptr, 100},
                                           Table{"normalization_cases.jsonl", {{"answer_policy", "auto"}}, 100}),
                         [](const ::testing::TestParamInfo<Table>& table) {
                           return table.param.file_name.substr(0, table.param.file_name.find('.'));
                         });

}  // namespace
