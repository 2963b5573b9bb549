// Agreement with a peer verifier: peer_cases.jsonl holds (gold, prediction, verdict) cases written for r1eval
// after the behaviours that Math-Verify's own test-suite checks (numbers in prose, decimal commas, delimiters,
// percent words, relations, matrices, whole solutions as golds, lists of named values, R1-style outputs), each
// with the verdict that suite expects. Graded under "auto", at least 99% must agree; the rows that do not are
// printed, so that a drop says which behaviour moved.
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "graders/math/math_grader.h"
#include "tests/graders/math/case_table.h"

namespace {

using r1eval::graders::math::testing::grade_case;
using r1eval::graders::math::testing::load_case_table;

TEST(MathPeerAgreement, AtLeast99PercentOfThePeerTable) {
  const std::vector<nlohmann::json> rows = load_case_table("peer_cases.jsonl");
  ASSERT_GE(rows.size(), 150u);
  const auto grader = r1eval::graders::math::make_math_grader();
  const nlohmann::json policy = {{"answer_policy", "auto"}};
  std::size_t agreeing = 0;
  for (const nlohmann::json& row : rows) {
    const r1eval::graders::Verdict verdict = grade_case(*grader, row, policy);
    if (verdict.correct == row.at("correct").get<bool>()) {
      ++agreeing;
    } else {
      std::cout << "disagrees: " << row.at("why").get<std::string>() << " -> " << verdict.detail << '\n';
    }
  }
  std::cout << "agreement: " << agreeing << " / " << rows.size() << '\n';
  EXPECT_GE(static_cast<double>(agreeing), 0.99 * static_cast<double>(rows.size()));
}

}  // namespace
