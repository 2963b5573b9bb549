// The MATH test set's own solutions (datasets/math/math/test.jsonl, 5000 problems): the answer graded from each
// solution must equal the gold answer for at least 99.5% of problems, and each solution paired with another
// problem's different answer must be rejected at the same rate; under the "math" and the "auto" answer policies.
#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "graders/grader.h"
#include "graders/math/math_grader.h"

namespace {

struct MathProblem {
  std::string solution;
  std::string answer;
};

std::vector<MathProblem> load_math_test_set() {
  const std::string path = std::string(R1EVAL_SOURCE_DIR) + "/datasets/math/math/test.jsonl";
  std::ifstream file(path);
  std::vector<MathProblem> problems;
  std::string line;
  while (std::getline(file, line)) {
    const nlohmann::json row = nlohmann::json::parse(line);
    problems.push_back({row.at("solution").get<std::string>(), row.at("answer").get<std::string>()});
  }
  return problems;
}

class MathDataset : public testing::TestWithParam<std::string> {
 protected:
  nlohmann::json policy_record() const { return {{"answer_policy", GetParam()}}; }
};

TEST_P(MathDataset, OwnSolutionsMatchTheirGoldAnswers) {
  const std::vector<MathProblem> problems = load_math_test_set();
  ASSERT_EQ(problems.size(), 5000u);
  // Five solutions box several different answers side by side ("$x$ must be $\boxed{3}$ or
  // $\boxed{\frac{2}{5}}$", "$\boxed{…} \text{ and } \boxed{…}$ (either point is a correct answer)") while the
  // data set's gold keeps only the last box; the grader reads the list, so these five, and only these, are
  // expected to differ.
  const std::set<std::string> lists_against_last_box = {"1", "\\frac{2}{5}", "(0,0)", "\\frac{5\\pi}{4}",
                                                        "\\left(-\\tfrac52, -\\tfrac52\\right)"};
  const auto grader = r1eval::graders::math::make_math_grader();
  std::size_t correct = 0;
  std::set<std::string> rejected;
  for (const MathProblem& problem : problems) {
    const auto verdict = grader->grade({problem.solution, problem.answer, policy_record()});
    if (verdict.correct) {
      ++correct;
    } else {
      rejected.insert(problem.answer);
    }
  }
  EXPECT_EQ(rejected, lists_against_last_box);
  EXPECT_GE(static_cast<double>(correct) / static_cast<double>(problems.size()), 0.995)
      << correct << " / 5000 under " << GetParam();
}

TEST_P(MathDataset, SolutionsPairedWithAnotherProblemsAnswerAreRejected) {
  const std::vector<MathProblem> problems = load_math_test_set();
  ASSERT_EQ(problems.size(), 5000u);
  // Pairing each solution with the next different answer meets three answers that are written differently but
  // are the same value; checked by hand, they must be accepted. Every other pairing must be rejected.
  const std::set<std::pair<std::string, std::string>> same_value = {
      {"\\frac{3}{4}", "\\frac34"}, {"7\\%", "7"}, {"120^\\circ", "120"}};
  const auto grader = r1eval::graders::math::make_math_grader();
  std::size_t rejected = 0;
  std::set<std::pair<std::string, std::string>> accepted;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    std::size_t j = (i + 1) % problems.size();
    while (problems[j].answer == problems[i].answer) j = (j + 1) % problems.size();
    const auto verdict = grader->grade({problems[i].solution, problems[j].answer, policy_record()});
    if (verdict.correct) {
      accepted.insert({problems[i].answer, problems[j].answer});
    } else {
      ++rejected;
    }
  }
  EXPECT_EQ(accepted, same_value);
  EXPECT_GE(static_cast<double>(rejected) / 5000.0, 0.995) << rejected << " / 5000";
}

INSTANTIATE_TEST_SUITE_P(Policies, MathDataset, testing::Values("math", "auto"));

}  // namespace
