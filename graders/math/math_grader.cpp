// The math grader: policy, extraction, comparison, verdict.
#include "graders/math/math_grader.h"

#include <stdexcept>
#include <string>

#include "graders/math/answer_phrases.h"
#include "graders/math/budget.h"
#include "graders/math/equivalence.h"
#include "graders/math/extract.h"
#include "graders/math/math_spans.h"
#include "graders/math/text_scan.h"

namespace r1eval::graders::math {
namespace {

// The gold answer as text: numbers are printed as JSON writes them; a full solution gives its final answer, a
// gold wrapped in math delimiters its content, and a gold written as prose the answer it announces.
std::string gold_answer(const nlohmann::json& gold) {
  if (gold.is_null()) throw std::invalid_argument("the gold answer is missing");
  if (gold.is_number()) return gold.dump();
  if (!gold.is_string()) throw std::invalid_argument("the gold answer must be a string or a number, not " +
                                                     std::string(gold.type_name()));
  const std::string text = gold.get<std::string>();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw std::invalid_argument("the gold answer is empty");
  if (text.find("\\boxed") != std::string::npos || text.find("\\fbox") != std::string::npos) {
    if (std::optional<std::string> boxed = extract_last_boxed(text)) return *boxed;
  }
  if (text.find("####") != std::string::npos) {
    if (std::optional<std::string> hashes = extract_hashes(text)) return *hashes;
  }
  if (std::optional<std::string_view> math = whole_math_span(text)) return std::string(*math);
  if (is_prose(text)) {
    if (std::optional<std::string> announced = extract_answer_is(text)) return *announced;
    if (std::optional<std::string> math = extract_last_math(text)) return *math;
  }
  return text;
}

class MathGrader final : public Grader {
 public:
  std::string_view name() const override { return "math"; }
  std::string_view version() const override { return kMathGraderVersion; }

  Verdict grade(const GradeRequest& request) const override {
    const std::string gold = gold_answer(request.gold);
    const AnswerPolicy policy = policy_from_problem(request.problem);
    Verdict verdict;
    const std::optional<Extraction> extraction = extract_answer(request.completion, policy);
    if (!extraction) {
      verdict.outcome = Outcome::kNoAnswer;
      verdict.detail = "no answer found under policy '" + policy.name + "'";
      return verdict;
    }
    verdict.extracted = extraction->answer;
    StepBudget budget(kDefaultComparisonSteps);
    try {
      const Equivalence equivalence = compare_answers(gold, extraction->answer, budget);
      verdict.correct = equivalence.equivalent;
      verdict.outcome = equivalence.equivalent ? Outcome::kPass : Outcome::kFail;
      verdict.detail = std::string(equivalence.equivalent ? "equivalent" : "not equivalent") + " to gold '" + gold +
                       "' (" + equivalence.method + "; extracted by " +
                       std::string(extractor_name(extraction->by)) + ")";
    } catch (const BudgetExceeded&) {
      verdict.outcome = Outcome::kTimeout;
      verdict.detail = "comparison with gold '" + gold + "' exceeded its step budget";
    }
    return verdict;
  }
};

}  // namespace

std::unique_ptr<Grader> make_math_grader() { return std::make_unique<MathGrader>(); }

}  // namespace r1eval::graders::math
