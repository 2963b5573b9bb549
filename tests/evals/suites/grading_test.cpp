// The problems' gold and record shapes fit the graders the suites name: a correct answer built from each data
// set's own reference (gold answer, canonical solution, reference code, known solution) passes the suite's grader
// through exactly grade({completion, problem.gold, problem.record}), and a wrong one does not. Completions look
// like the model's under the suite's template (R1: the reasoning ends with </think>; R1-Zero: think/answer tags).
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "evals/suites/suite.h"
#include "graders/grader.h"

namespace r1eval::evals::suites {
namespace {

using graders::Outcome;
using graders::Verdict;

struct Graded {
  Suite suite;
  datasets::Dataset data;
  std::unique_ptr<graders::Grader> grader;
};

// The first `count` problems of a suite and its grader; for the code graders, nullptr when this machine cannot
// run the sandbox (the reason in *why), as tests/graders/code does.
Graded graded(const std::string& name, std::int64_t count, std::string* why = nullptr) {
  Graded g{find_suite(name), {}, nullptr};
  g.data = load_suite_problems(g.suite, count);
  try {
    g.grader = graders::make_grader(g.suite.grader);
  } catch (const std::runtime_error& error) {
    if (why == nullptr) throw;
    *why = error.what();
  }
  return g;
}

Verdict grade(const Graded& g, const datasets::Problem& problem, const std::string& completion) {
  return g.grader->grade({completion, problem.gold, problem.record});
}

TEST(SuiteGrading, MathSuitesAcceptTheirGoldBoxed) {
  for (const char* name : {"gsm8k", "math500", "math", "aime2024", "aime2025", "amc2023"}) {
    const Graded g = graded(name, 3);
    for (const datasets::Problem& problem : g.data.problems) {
      const std::string gold = problem.gold.get<std::string>();
      const Verdict right = grade(g, problem, "Let me think.\n</think>\nSo the answer is $\\boxed{" + gold + "}$.");
      EXPECT_TRUE(right.correct) << name << " " << problem.id << ": " << right.detail;
      const Verdict wrong = grade(g, problem, "Let me think.\n</think>\n$\\boxed{" + gold + "+1}$");
      EXPECT_FALSE(wrong.correct) << name << " " << problem.id << ": " << wrong.detail;
    }
  }
}

TEST(SuiteGrading, ArithReadsTheAnswerTagAndChecksTheFormat) {
  const Graded g = graded("arith", 3);
  const std::unique_ptr<graders::Grader> format = graders::make_grader(g.suite.extra_graders.at(0));
  for (const datasets::Problem& problem : g.data.problems) {
    const std::string gold = problem.gold.get<std::string>();
    // The toy model's own output shape (its README).
    const std::string output = " <think> add the ones, then the tens. </think> <answer> " + gold + " </answer>";
    EXPECT_TRUE(grade(g, problem, output).correct) << problem.id;
    EXPECT_TRUE(format->grade({output, problem.gold, problem.record}).correct) << problem.id;
    EXPECT_FALSE(grade(g, problem, " <think> guess </think> <answer> " + gold + "0 </answer>").correct) << problem.id;
    // The R1-Zero policy reads only <answer>: a boxed answer outside it is no answer, and breaks the format.
    const std::string boxed = " <think> ok </think> \\boxed{" + gold + "}";
    EXPECT_EQ(grade(g, problem, boxed).outcome, Outcome::kNoAnswer) << problem.id;
    EXPECT_FALSE(format->grade({boxed, problem.gold, problem.record}).correct) << problem.id;
  }
}

TEST(SuiteGrading, KnightsKnavesAcceptsTheReferenceSolution) {
  const Graded g = graded("knights-knaves", 3);
  for (const datasets::Problem& problem : g.data.problems) {
    const std::string solution = problem.record["solution_text_format"].get<std::string>();
    const Verdict right = grade(g, problem, "Suppose the first is a knight...\n</think>\n" + solution);
    EXPECT_TRUE(right.correct) << problem.id << ": " << right.detail;
    // Every role swapped.
    std::string swapped;
    for (std::size_t i = 0; i < problem.gold["names"].size(); ++i) {
      // Appended piece by piece: "(" + std::string trips GCC 12's -Wrestrict false positive.
      swapped += '(';
      swapped += std::to_string(i + 1);
      swapped += ") " + problem.gold["names"][i].get<std::string>();
      swapped += problem.gold["solution"][i].get<bool>() ? " is a knave\n" : " is a knight\n";
    }
    EXPECT_FALSE(grade(g, problem, "Hmm.\n</think>\n" + swapped).correct) << problem.id;
  }
}

TEST(SuiteGrading, BbhAcceptsEachTasksTarget) {
  const Graded g = graded("bbh", 54);  // two of every task
  for (const datasets::Problem& problem : g.data.problems) {
    const std::string target = problem.gold.get<std::string>();
    const Verdict right = grade(g, problem, "Step by step.\n</think>\nThe answer is \\boxed{" + target + "}.");
    EXPECT_TRUE(right.correct) << problem.id << ": " << right.detail;
  }
}

TEST(SuiteGrading, HumanEvalAcceptsTheCanonicalSolution) {
  std::string why;
  const Graded g = graded("humaneval", 2, &why);
  if (!g.grader) GTEST_SKIP() << why;
  for (const datasets::Problem& problem : g.data.problems) {
    const std::string program = problem.record["prompt"].get<std::string>() +
                                problem.record["canonical_solution"].get<std::string>();
    const Verdict right = grade(g, problem, "I will write it.\n</think>\n```python\n" + program + "\n```");
    EXPECT_TRUE(right.correct) << problem.id << ": " << right.detail;
    const Verdict wrong =
        grade(g, problem,
              "Done.\n</think>\n```python\n" + problem.record["prompt"].get<std::string>() + "    return None\n```");
    EXPECT_FALSE(wrong.correct) << problem.id << ": " << wrong.detail;
  }
}

TEST(SuiteGrading, MbppAcceptsTheReferenceCode) {
  std::string why;
  const Graded g = graded("mbpp", 2, &why);
  if (!g.grader) GTEST_SKIP() << why;
  for (const datasets::Problem& problem : g.data.problems) {
    const Verdict right =
        grade(g, problem, "OK.\n</think>\n```python\n" + problem.record["code"].get<std::string>() + "\n```");
    EXPECT_TRUE(right.correct) << problem.id << ": " << right.detail;
  }
  const Verdict wrong = grade(g, g.data.problems[0], "OK.\n</think>\n```python\nx = 1\n```");
  EXPECT_FALSE(wrong.correct) << wrong.detail;
}

TEST(SuiteGrading, LiveCodeBenchAcceptsHandWrittenSolutions) {
  std::string why;
  const Graded g = graded("livecodebench", 2, &why);
  if (!g.grader) GTEST_SKIP() << why;
  // Written from the statements: abc365_b prints the position of the second largest value; abc365_a prints the
  // number of days in Gregorian year Y.
  ASSERT_EQ(g.data.problems[0].id, "abc365_b");
  ASSERT_EQ(g.data.problems[1].id, "abc365_a");
  const std::string second_largest =
      "```python\nn = int(input())\na = list(map(int, input().split()))\n"
      "print(sorted(range(n), key=lambda i: a[i])[-2] + 1)\n```";
  const std::string days_in_year =
      "```python\ny = int(input())\nleap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)\nprint(366 if leap else "
      "365)\n```";
  const Verdict first = grade(g, g.data.problems[0], "Sort the indices.\n</think>\n" + second_largest);
  EXPECT_TRUE(first.correct) << first.detail;
  const Verdict second = grade(g, g.data.problems[1], "Leap years.\n</think>\n" + days_in_year);
  EXPECT_TRUE(second.correct) << second.detail;
  const Verdict swapped = grade(g, g.data.problems[1], "Wrong problem.\n</think>\n" + second_largest);
  EXPECT_FALSE(swapped.correct) << swapped.detail;
}

}  // namespace
}  // namespace r1eval::evals::suites
