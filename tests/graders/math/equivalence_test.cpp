// Unit checks of the comparison layers: exact arithmetic, normalization, parsing, budgets, symmetry, threads.
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "graders/grader.h"
#include "graders/math/math_grader.h"
#include "graders/math/equivalence.h"
#include "graders/math/normalize.h"
#include "graders/math/parser.h"
#include "graders/math/rational.h"

namespace r1eval::graders::math {
namespace {

TEST(MathRational, DecimalsAreExact) {
  EXPECT_EQ(Rational::from_decimal("0.5")->to_string(), "1/2");
  EXPECT_EQ(Rational::from_decimal(".125")->to_string(), "1/8");
  EXPECT_EQ(Rational::from_decimal("1.5e3")->to_string(), "1500");
  EXPECT_EQ(Rational::from_decimal("25E-2")->to_string(), "1/4");
  EXPECT_FALSE(Rational::from_decimal("1e999999").has_value());  // refused before computing
  EXPECT_FALSE(Rational::from_decimal("1.2.3").has_value());
  EXPECT_FALSE(Rational(18, 7).exact_sqrt().has_value());
  EXPECT_EQ(Rational(18, 8).exact_sqrt()->to_string(), "3/2");
  EXPECT_EQ(Rational(-9, 4).exact_sqrt().has_value(), false);
}

TEST(MathNormalize, DecorationsAreRemoved) {
  EXPECT_EQ(normalize_answer("\\$1,\\!000.").text, "1000");
  EXPECT_EQ(normalize_answer("\\left( \\dfrac{1}{2}, 3 \\right)").text, "( \\frac{1}{2}, 3 )");
  EXPECT_EQ(normalize_answer("90^{\\circ}").text, "90");
  EXPECT_EQ(normalize_answer("12\\text{ square units}").text, "12");
  EXPECT_EQ(normalize_answer("\\text{Monday}").text, "Monday");
  EXPECT_TRUE(normalize_answer("50\\%").percent);
  EXPECT_EQ(normalize_answer("50\\%").text, "50");
  EXPECT_EQ(normalize_answer("12\\text{ and }13").text, "12,13");
}

TEST(MathNormalize, ChoiceLetters) {
  EXPECT_EQ(choice_letter("B"), 'B');
  EXPECT_EQ(choice_letter("(C) 17"), 'C');
  EXPECT_EQ(choice_letter("D)"), 'D');
  EXPECT_EQ(choice_letter("x"), 0);
  EXPECT_EQ(choice_letter("Bob"), 0);
}

TEST(MathParser, StructuresAndPrecedence) {
  const auto interval = parse_answer("[1, 2)");
  ASSERT_TRUE(interval.has_value());
  EXPECT_EQ(interval->kind, NodeKind::kTuple);
  EXPECT_EQ(interval->open, '[');
  EXPECT_EQ(interval->close, ')');
  const auto matrix = parse_answer("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}");
  ASSERT_TRUE(matrix.has_value());
  EXPECT_EQ(matrix->kind, NodeKind::kMatrix);
  EXPECT_EQ(matrix->columns, 2u);
  EXPECT_EQ(matrix->children.size(), 4u);
  EXPECT_EQ(parse_answer("1, 2, 3")->kind, NodeKind::kList);
  EXPECT_EQ(parse_answer("x \\le 3")->kind, NodeKind::kRelation);
  EXPECT_FALSE(parse_answer("1:03 PM").has_value());
  EXPECT_FALSE(parse_answer("(((").has_value());
  EXPECT_FALSE(parse_answer(std::string(100000, '(')).has_value());  // too deep: refused, no stack overflow
}

TEST(MathEquivalence, PrecedenceMatters) {
  EXPECT_TRUE(answers_equivalent("2^3x", "8x"));
  EXPECT_TRUE(answers_equivalent("\\frac12x", "x/2"));
  EXPECT_TRUE(answers_equivalent("-2^2", "-4"));
  EXPECT_TRUE(answers_equivalent("2^{3^2}", "512"));
  EXPECT_FALSE(answers_equivalent("2^{3^2}", "64"));
}

TEST(MathEquivalence, IsSymmetric) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"\\frac12", "0.5"}, {"(1,2)", "(2,1)"}, {"2\\sqrt2", "\\sqrt8"}, {"x=5", "5"}, {"\\{1,2\\}", "\\{2,1\\}"},
      {"[1,2)", "[1,2]"},  {"a+b", "b+a"},     {"3+4i", "4i+3"},        {"B", "(B)"}, {"\\text{odd}", "odd"}};
  for (const auto& [a, b] : pairs) {
    EXPECT_EQ(answers_equivalent(a, b), answers_equivalent(b, a)) << a << " vs " << b;
  }
}

TEST(MathEquivalence, HugeInputsEndWithinTheBudget) {
  StepBudget budget(kDefaultComparisonSteps);
  EXPECT_THROW(compare_answers("2^{10^{9}}", "2^{10^{9}+1}", budget), BudgetExceeded);
  StepBudget factorial_budget(kDefaultComparisonSteps);
  EXPECT_THROW(compare_answers("(10^{6})!", "5", factorial_budget), BudgetExceeded);
  // A long but ordinary expression is compared, not refused.
  std::string sum = "1";
  for (int i = 0; i < 2000; ++i) sum += "+1";
  EXPECT_TRUE(answers_equivalent(sum, "2001"));
  // The step counter makes the stopping point deterministic: the same budget gives the same answer each time.
  for (int round = 0; round < 3; ++round) {
    StepBudget small(50);
    EXPECT_THROW(compare_answers(sum, "2001", small), BudgetExceeded);
  }
}

// Random LaTeX-like garbage: every comparison returns or stops with BudgetExceeded; nothing else escapes.
TEST(MathEquivalence, RandomInputIsHandled) {
  const std::vector<std::string> atoms = {
      "\\frac", "\\sqrt", "{", "}", "(", ")", "[", "]", "\\{", "\\}", "1", "2", "0", ".5", "x", "i", "e", "\\pi",
      "^", "_", "-", "+", "/", "=", "<", "\\le", ",", "\\cup", "\\infty", "\\text{", "cm}", "\\%", "\\$", "^\\circ",
      "\\begin{pmatrix}", "&", "\\\\", "\\end{pmatrix}", "!", "\\pm", "|", "\\left(", "\\right)", "\\overline{3}",
      "\\sin", "\\log_", "10^{", "99999}", " and ", "\\,", "e5", "\\binom"};
  std::uint64_t state = 12345;
  auto next = [&state](std::uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>((state >> 33) % bound);
  };
  int compared = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string a;
    std::string b;
    for (std::size_t k = next(12) + 1; k > 0; --k) a += atoms[next(atoms.size())];
    for (std::size_t k = next(12) + 1; k > 0; --k) b += atoms[next(atoms.size())];
    StepBudget budget(kDefaultComparisonSteps);
    try {
      compare_answers(a, b, budget);
      ++compared;
    } catch (const BudgetExceeded&) {
    }
  }
  EXPECT_GT(compared, 1900);
}

TEST(MathEquivalence, ThreadsAgreeWithOneThread) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"\\frac{\\sqrt{3}}{2}", "\\frac{1}{2}\\sqrt3"}, {"x^2+2x+1", "(x+1)^2"}, {"(1,2)", "(1,2)"},
      {"\\frac{1}{3}", "0.333"}, {"2^{2005}", "2\\cdot2^{2004}"}, {"[1,2)", "[1,2]"}};
  std::vector<bool> expected;
  for (const auto& [a, b] : pairs) expected.push_back(answers_equivalent(a, b));
  const auto grader = make_math_grader();
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        for (std::size_t i = 0; i < pairs.size(); ++i) {
          const Verdict verdict = grader->grade({"\\boxed{" + pairs[i].second + "}", pairs[i].first, nullptr});
          if (verdict.correct != expected[i]) ++mismatches[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : mismatches) EXPECT_EQ(count, 0);
}

TEST(MathGrader, MalformedRequests) {
  const auto grader = make_math_grader();
  EXPECT_EQ(grader->name(), "math");
  EXPECT_FALSE(grader->version().empty());
  EXPECT_THROW(grader->grade({"\\boxed{1}", nullptr, nullptr}), std::invalid_argument);
  EXPECT_THROW(grader->grade({"\\boxed{1}", "  ", nullptr}), std::invalid_argument);
  EXPECT_THROW(grader->grade({"\\boxed{1}", nlohmann::json::array(), nullptr}), std::invalid_argument);
  EXPECT_TRUE(grader->grade({"\\boxed{3}", 3, nullptr}).correct);  // a numeric gold
  EXPECT_TRUE(grader->grade({"\\boxed{3}", "so $\\boxed{3}$", nullptr}).correct);  // a gold solution
}

}  // namespace
}  // namespace r1eval::graders::math
