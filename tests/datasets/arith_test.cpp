// The arith generator: deterministic per seed, a larger count extends a smaller one, and every problem belongs to
// the toy model's family (checked by parsing the question text, independently of the generator's own numbers).
// The bundled held-out file is checked against the same family description.
#include <cstdio>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "datasets/arith.h"
#include "datasets/loaders.h"
#include "tests/datasets/test_files.h"

namespace r1eval::datasets {
namespace {

struct Parsed {
  int left = 0, right = 0;
  char op = '?';
};

// "What is 47 + 38?" → {47, '+', 38}; the whole text must match.
bool parse_question(const std::string& text, Parsed* out) {
  int consumed = 0;
  if (std::sscanf(text.c_str(), "What is %d %c %d?%n", &out->left, &out->op, &out->right, &consumed) != 3) return false;
  return static_cast<std::size_t>(consumed) == text.size();
}

// The family: two-digit operands; addition, or subtraction with a result that is not negative; gold exact.
void expect_in_family(const Problem& problem) {
  Parsed q;
  ASSERT_TRUE(parse_question(problem.prompt, &q)) << problem.prompt;
  EXPECT_GE(q.left, 10) << problem.prompt;
  EXPECT_LE(q.left, 99) << problem.prompt;
  EXPECT_GE(q.right, 10) << problem.prompt;
  EXPECT_LE(q.right, 99) << problem.prompt;
  ASSERT_TRUE(q.op == '+' || q.op == '-') << problem.prompt;
  const int expected = q.op == '+' ? q.left + q.right : q.left - q.right;
  EXPECT_GE(expected, 0) << problem.prompt;
  EXPECT_EQ(problem.gold, std::to_string(expected)) << problem.prompt;
}

TEST(ArithGenerator, SameSeedSameProblems) {
  const Dataset a = generate_arith(300, 7);
  const Dataset b = generate_arith(300, 7);
  ASSERT_EQ(a.problems.size(), 300u);
  for (std::size_t i = 0; i < a.problems.size(); ++i) {
    EXPECT_EQ(a.problems[i].id, b.problems[i].id);
    EXPECT_EQ(a.problems[i].prompt, b.problems[i].prompt);
    EXPECT_EQ(a.problems[i].gold, b.problems[i].gold);
    EXPECT_EQ(a.problems[i].record, b.problems[i].record);
  }
  EXPECT_EQ(a.content_hash, "generator:arith:v1:seed=7:count=300");
  EXPECT_EQ(a.name, "arith");
}

TEST(ArithGenerator, LargerCountExtendsSmallerAndSeedsDiffer) {
  const Dataset small = generate_arith(40, 11);
  const Dataset large = generate_arith(400, 11);
  for (std::size_t i = 0; i < small.problems.size(); ++i) EXPECT_EQ(small.problems[i].prompt, large.problems[i].prompt);
  const Dataset other = generate_arith(400, 12);
  int same = 0;
  for (std::size_t i = 0; i < other.problems.size(); ++i) same += other.problems[i].prompt == large.problems[i].prompt;
  EXPECT_LT(same, 20);  // ~1 in 16000 per position by chance
  EXPECT_EQ(large.problems[5].id, "arith-s11-5");
  EXPECT_EQ(other.problems[5].id, "arith-s12-5");  // never paired with seed 11's problem 5
}

TEST(ArithGenerator, EveryProblemIsInTheFamily) {
  const Dataset data = generate_arith(4000, 2026);
  int additions = 0;
  std::set<int> operands;
  for (const Problem& problem : data.problems) {
    expect_in_family(problem);
    Parsed q;
    ASSERT_TRUE(parse_question(problem.prompt, &q));
    additions += q.op == '+';
    operands.insert(q.left);
    operands.insert(q.right);
    EXPECT_EQ(problem.record["question"], problem.prompt);
    EXPECT_EQ(problem.record["answer"], problem.gold);
    EXPECT_EQ(problem.record["id"], problem.id);
  }
  // Both operations about equally often, and every two-digit operand used (fixed seed: deterministic).
  EXPECT_GT(additions, 1800);
  EXPECT_LT(additions, 2200);
  EXPECT_EQ(operands.size(), 90u);
}

TEST(ArithGenerator, RejectsBadCounts) {
  EXPECT_THROW(generate_arith(0, 1), std::invalid_argument);
  EXPECT_THROW(generate_arith(-5, 1), std::invalid_argument);
  EXPECT_THROW(generate_arith(kMaxArithProblems + 1, 1), std::invalid_argument);
  EXPECT_EQ(generate_dataset("arith", 3, 9).content_hash, "generator:arith:v1:seed=9:count=3");
  R1EVAL_EXPECT_THROW_MESSAGE(generate_dataset("arithm", 3, 9), std::invalid_argument, message);
  EXPECT_NE(message.find("did you mean 'arith'?"), std::string::npos) << message;
}

TEST(ArithHeldOut, BundledProblemsAreInTheFamily) {
  const Dataset data =
      load_dataset("arith", {"math/arith/eval_problems.jsonl"}, r1eval::testing::repository_datasets());
  ASSERT_EQ(data.problems.size(), 200u);
  int additions = 0;
  for (const Problem& problem : data.problems) {
    expect_in_family(problem);
    additions += problem.prompt.find(" + ") != std::string::npos;
  }
  EXPECT_EQ(additions, 100);  // SOURCE.md: 100 additions, 100 subtractions
}

}  // namespace
}  // namespace r1eval::datasets
