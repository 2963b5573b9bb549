// The logic grader against hand-written cases (expected verdicts decided from the BBH and Knights-and-Knaves task
// definitions) and against the bundled data sets' own targets.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "graders/logic/logic_grader.h"

namespace r1eval::graders::logic {
namespace {

struct Case {
  const char* gold;
  const char* completion;
  Outcome expected;
  const char* extracted;  // nullptr: not checked
};

const Grader& grader() {
  static const std::unique_ptr<Grader> instance = make_logic_grader();
  return *instance;
}

Verdict grade(const nlohmann::json& gold, const std::string& completion, const nlohmann::json& problem = nullptr) {
  return grader().grade({completion, gold, problem});
}

TEST(LogicGrader, HandWrittenBbhCases) {
  const Case cases[] = {
      // Multiple choice.
      {"(B)", "<think>\nLet me see.\n</think>\nThe answer is (B).", Outcome::kPass, "B"},
      {"(B)", "</think>\nTherefore \\boxed{B}", Outcome::kPass, "B"},
      {"(B)", "</think>\n\\boxed{\\text{(B)}}", Outcome::kPass, "B"},
      {"(B)", "</think>\nSo the answer is (C).", Outcome::kFail, "C"},
      {"(A)", "</think>\n**Answer:** A", Outcome::kPass, "A"},
      {"(A)", "</think>\n**Final Answer**\n\n(A) Sam", Outcome::kPass, "A"},
      {"(C)", "</think>\n(A) fails the first rule and (B) the second, leaving (C)", Outcome::kPass, "C"},
      {"(A)", "</think>\nA conclusion cannot be reached.", Outcome::kNoAnswer, nullptr},
      {"(D)", "<think>\nx\n</think> <answer>(D)</answer>", Outcome::kPass, "D"},
      {"(B)", "<think>\nThe answer is (A).\n</think>\nThe answer is (B).", Outcome::kPass, "B"},
      {"(A)", "<think>\nThe answer is (A) because", Outcome::kNoAnswer, nullptr},
      // True / False.
      {"True", "</think>\n\\boxed{\\text{True}}", Outcome::kPass, "true"},
      {"True", "</think>\nSo the answer is False.", Outcome::kFail, "false"},
      {"False", "</think>\nnot ( True ) evaluates to False", Outcome::kPass, "false"},
      // Yes / No, and lower-case gold (sports_understanding).
      {"No", "</think>\nThe answer is: No.", Outcome::kPass, "no"},
      {"yes", "</think>\nSo the answer is Yes", Outcome::kPass, "yes"},
      {"Yes", "</think>\n**Answer:** No", Outcome::kFail, "no"},
      // valid / invalid ("valid" is inside "invalid"; "not valid" means invalid).
      {"invalid", "</think>\nThe argument is deductively invalid", Outcome::kPass, "invalid"},
      {"invalid", "</think>\nSo the answer is valid.", Outcome::kFail, "valid"},
      {"invalid", "</think>\nThe answer is: not valid", Outcome::kPass, "invalid"},
      // Numbers.
      {"-68", "</think>\n(-4 * 17) = -68. So the answer is -68.", Outcome::kPass, "-68"},
      {"-68", "</think>\n\\boxed{-68}", Outcome::kPass, "-68"},
      {"-68", "</think>\nSo the answer is 68.", Outcome::kFail, "68"},
      {"8", "</think>\nI count them: the answer is eight.", Outcome::kPass, "8"},
      {"1234", "</think>\nThe answer is 1,234.", Outcome::kPass, "1234"},
      {"12", "</think>\nThe answer is 12.0", Outcome::kPass, "12"},
      // Dyck completions.
      {"} ] >", "</think>\nSo the answer is } ] >.", Outcome::kPass, "} ] >"},
      {"} ] >", "</think>\nSo the answer is ] } >.", Outcome::kFail, "] } >"},
      {") )", "</think>\nThe answer is $) )$", Outcome::kPass, ") )"},
      // Word lists.
      {"arson aspect census", "</think>\nSo the answer is arson aspect census.", Outcome::kPass, "arson aspect census"},
      {"arson aspect census", "</think>\nThe answer is: arson, aspect, census", Outcome::kPass, "arson aspect census"},
      {"arson aspect census", "</think>\nSo the answer is aspect arson census.", Outcome::kFail, "aspect arson census"},
      {"it&t malton", "</think>\nSorted: \n\nit&t malton", Outcome::kPass, "it&t malton"},
  };
  for (const Case& c : cases) {
    const Verdict v = grade(c.gold, c.completion);
    EXPECT_EQ(static_cast<int>(v.outcome), static_cast<int>(c.expected))
        << c.gold << " | " << c.completion << " | " << v.detail;
    EXPECT_EQ(v.correct, c.expected == Outcome::kPass) << c.completion;
    if (c.extracted != nullptr) {
      EXPECT_EQ(v.extracted, c.extracted) << c.completion;
    }
  }
}

TEST(LogicGrader, OptionTextAndRepeatedDyckSequenceUseTheProblemInput) {
  const nlohmann::json dates = {
      {"input", "What is the date?\nOptions:\n(A) 04/12/2023\n(B) 05/12/2023\n(C) 06/12/2023"}};
  EXPECT_TRUE(grade("(B)", "</think>\nThe answer is 05/12/2023.", dates).correct);
  EXPECT_FALSE(grade("(B)", "</think>\nThe answer is 06/12/2023.", dates).correct);
  const nlohmann::json dyck = {{"input", "Complete the rest of the sequence. Input: < [ {"}};
  EXPECT_TRUE(grade("} ] >", "</think>\nThe full sequence: the answer is < [ { } ] >", dyck).correct);
}

TEST(LogicGrader, KnightsAndKnaves) {
  const nlohmann::json problem = {{"names", {"Sofia", "Alexander"}}, {"solution", {false, true}}};
  const auto check = [&](const std::string& completion, Outcome expected) {
    const Verdict v = grade(nullptr, completion, problem);
    EXPECT_EQ(static_cast<int>(v.outcome), static_cast<int>(expected)) << completion << " | " << v.detail;
    return v;
  };
  EXPECT_EQ(check("<think>\nAssume Sofia is a knight... contradiction.\n</think>\n<answer>(1) Sofia is a knave\n"
                  "(2) Alexander is a knight</answer>",
                  Outcome::kPass)
                .extracted,
            "Sofia: knave, Alexander: knight");
  check("</think>\nSofia is a knight and Alexander is a knight.", Outcome::kFail);
  check("</think>\nSofia is not a knight. Alexander is a knight.", Outcome::kPass);
  check("</think>\nAt first I thought Sofia is a knight.\nFinal: Sofia is a knave, Alexander is a knight.",
        Outcome::kPass);
  check("</think>\nSofia and Alexander are knights.", Outcome::kFail);
  check("</think>\nI could not decide.", Outcome::kNoAnswer);
  check("<think>\nSofia is a knave and Alexander is a knight", Outcome::kNoAnswer);
  // A gold sentence without a problem record: names come from the sentence.
  EXPECT_TRUE(
      grade("Sofia is a knave, and Alexander is a knight.", "</think>\nAlexander is a knight; Sofia is a knave.")
          .correct);
  EXPECT_FALSE(
      grade("Sofia is a knave, and Alexander is a knight.", "</think>\nAlexander is a knave; Sofia is a knave.")
          .correct);
}

TEST(LogicGrader, HugeAndInvalidOutputsStayBounded) {
  std::string huge = "</think>\n";
  for (int i = 0; i < 200000; ++i) huge += "Sofia said ";  // 2 MB on one line, no role words
  const nlohmann::json problem = {{"names", {"Sofia", "Alexander"}}, {"solution", {false, true}}};
  EXPECT_EQ(grade(nullptr, huge, problem).outcome, Outcome::kNoAnswer);
  EXPECT_EQ(grade("(A)", huge + "\xff\xfe\\boxed{", problem).outcome, Outcome::kNoAnswer);
  EXPECT_FALSE(grade("12", huge).correct);
}

TEST(LogicGrader, MalformedGoldThrows) {
  EXPECT_THROW(grade(nlohmann::json::array({1, 2}), "</think>\n(A)"), std::invalid_argument);
  EXPECT_THROW(grade(nullptr, "</think>\n(A)"), std::invalid_argument);
  const nlohmann::json uneven = {{"names", {"A", "B"}}, {"solution", {true}}};
  EXPECT_THROW(grade(nullptr, "</think>\nA is a knight", uneven), std::invalid_argument);
}

std::string data_path(const std::string& relative) { return std::string(R1EVAL_SOURCE_DIR) + "/" + relative; }

// Every BBH target, written the way the BBH CoT prompts end ("So the answer is X."), is accepted, and the same
// statement with a different target of the same task is rejected.
TEST(LogicGrader, EveryBbhTargetIsReadBack) {
  const char* tasks[] = {"boolean_expressions", "causal_judgement", "date_understanding", "disambiguation_qa",
                         "dyck_languages", "formal_fallacies", "geometric_shapes", "hyperbaton",
                         "logical_deduction_five_objects", "logical_deduction_seven_objects",
                         "logical_deduction_three_objects", "movie_recommendation", "multistep_arithmetic_two",
                         "navigate", "object_counting", "penguins_in_a_table", "reasoning_about_colored_objects",
                         "ruin_names", "salient_translation_error_detection", "snarks", "sports_understanding",
                         "temporal_sequences", "tracking_shuffled_objects_five_objects",
                         "tracking_shuffled_objects_seven_objects", "tracking_shuffled_objects_three_objects",
                         "web_of_lies", "word_sorting"};
  int examples = 0;
  for (const char* task : tasks) {
    std::ifstream in(data_path(std::string("datasets/logic/bbh/") + task + ".json"));
    ASSERT_TRUE(in) << task;
    const nlohmann::json data = nlohmann::json::parse(in);
    const nlohmann::json& rows = data["examples"];
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string target = rows[i]["target"];
      const nlohmann::json problem = {{"input", rows[i]["input"]}};
      const Verdict right = grade(target, "<think>\nworking\n</think>\nSo the answer is " + target + ".", problem);
      EXPECT_TRUE(right.correct) << task << " #" << i << ": " << right.detail;
      const std::string other = rows[(i + 1) % rows.size()]["target"];
      if (other != target) {
        const Verdict wrong = grade(target, "</think>\nSo the answer is " + other + ".", problem);
        EXPECT_FALSE(wrong.correct) << task << " #" << i << ": " << wrong.detail;
      }
      ++examples;
    }
  }
  EXPECT_EQ(examples, 6511);
}

// Every generated Knights-and-Knaves puzzle: its reference answer (both published formats) passes, and the same
// answer with the first person's role flipped fails.
TEST(LogicGrader, EveryKnightsKnavesSolutionIsReadBack) {
  std::ifstream in(data_path("datasets/logic/knights-knaves/test.jsonl"));
  ASSERT_TRUE(in);
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    const nlohmann::json row = nlohmann::json::parse(line);
    const std::string format_answer = row["solution_text_format"];
    EXPECT_TRUE(grade(nullptr, "</think>\n<answer>\n" + format_answer + "\n</answer>", row).correct) << row["id"];
    EXPECT_TRUE(grade(nullptr, "</think>\n" + row["solution_text"].get<std::string>(), row).correct) << row["id"];
    const std::string first = row["names"][0];
    const bool knight = row["solution"][0];
    std::string flipped = format_answer;
    const std::string from = first + " is a " + (knight ? "knight" : "knave");
    const std::size_t at = flipped.find(from);
    ASSERT_NE(at, std::string::npos) << row["id"];
    flipped.replace(at, from.size(), first + " is a " + (knight ? "knave" : "knight"));
    EXPECT_FALSE(grade(nullptr, "</think>\n" + flipped, row).correct) << row["id"];
    ++rows;
  }
  EXPECT_EQ(rows, 700);
}

}  // namespace
}  // namespace r1eval::graders::logic
