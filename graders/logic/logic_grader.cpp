#include "graders/logic/logic_grader.h"

#include <stdexcept>

#include "graders/format/reasoning_parts.h"
#include "graders/format/reasoning_quality.h"
#include "graders/logic/answer_span.h"
#include "graders/logic/bbh_answer.h"
#include "graders/logic/knights_knaves.h"

namespace r1eval::graders::logic {
namespace {

std::string gold_text(const nlohmann::json& gold) {
  if (gold.is_string()) return gold.get<std::string>();
  if (gold.is_number_integer()) return std::to_string(gold.get<long long>());
  if (gold.is_boolean()) return gold.get<bool>() ? "True" : "False";
  throw std::invalid_argument("logic: the gold answer must be a string, an integer, a boolean or a Knights-and-Knaves "
                              "record, not " + std::string(gold.type_name()));
}

class LogicGrader final : public Grader {
 public:
  std::string_view name() const override { return "logic"; }
  std::string_view version() const override { return "logic-1"; }

  Verdict grade(const GradeRequest& request) const override {
    const format::ReasoningParts parts = format::request_parts(request);
    Verdict verdict;
    if (format::trim(parts.answer).empty()) {
      verdict.outcome = Outcome::kNoAnswer;
      verdict.detail = parts.think_unclosed ? "no answer: the output ended inside <think>" : "no answer part";
      // Still validate the request, so a malformed gold is reported even for empty outputs.
      if (!knights_knaves_gold(request.gold, request.problem)) detect_kind(gold_text(request.gold));
      return verdict;
    }
    if (const std::optional<KnightsKnaves> kk = knights_knaves_gold(request.gold, request.problem)) {
      return grade_knights_knaves(*kk, parts.answer);
    }
    const std::string gold = gold_text(request.gold);
    const AnswerKind kind = detect_kind(gold);
    const std::string expected = normalize_gold(kind, gold);
    const AnswerSpan span = final_answer_span(parts.answer);
    verdict.extracted = read_answer(kind, span, request.problem);
    if (verdict.extracted.empty()) {
      verdict.outcome = Outcome::kNoAnswer;
      verdict.detail =
          "no " + std::string(kind_name(kind)) + " answer found (looked at the " + std::string(span.how) + ")";
      return verdict;
    }
    verdict.correct = verdict.extracted == expected;
    verdict.outcome = verdict.correct ? Outcome::kPass : Outcome::kFail;
    verdict.detail = std::string(kind_name(kind)) + " answer from the " + std::string(span.how) + ": '" +
                     verdict.extracted + "' vs gold '" + expected + "'";
    return verdict;
  }

 private:
  static Verdict grade_knights_knaves(const KnightsKnaves& gold, std::string_view answer) {
    Verdict verdict;
    const std::vector<int> roles = read_roles(answer, gold.names);
    int stated = 0, right = 0;
    for (std::size_t i = 0; i < gold.names.size(); ++i) {
      if (!verdict.extracted.empty()) verdict.extracted += ", ";
      verdict.extracted += gold.names[i] + ": " + (roles[i] < 0 ? "?" : roles[i] == 1 ? "knight" : "knave");
      stated += roles[i] >= 0;
      right += roles[i] >= 0 && (roles[i] == 1) == gold.knight[i];
    }
    const int total = static_cast<int>(gold.names.size());
    verdict.correct = right == total;
    verdict.outcome = verdict.correct ? Outcome::kPass : stated == 0 ? Outcome::kNoAnswer : Outcome::kFail;
    verdict.detail = std::to_string(right) + "/" + std::to_string(total) + " roles right, " + std::to_string(stated) +
                     " stated";
    return verdict;
  }
};

}  // namespace

std::unique_ptr<Grader> make_logic_grader() { return std::make_unique<LogicGrader>(); }

}  // namespace r1eval::graders::logic
