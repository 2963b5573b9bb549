// The code graders against the suites' own reference data: every HumanEval canonical solution passes and the same
// prompts with a wrong body fail; MBPP's reference code passes its test_list; LiveCodeBench sample tests are read
// from the statements and hand-written solutions pass (and wrong ones fail) on them.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "graders/code/code_graders.h"
#include "graders/code/code_problems.h"
#include "graders/code/livecodebench_tests.h"
#include "graders/code/parallel_grading.h"
#include "tests/graders/code/code_test_support.h"

namespace r1eval::graders::code::testing {
namespace {

std::string outcome_text(Outcome outcome) { return std::to_string(static_cast<int>(outcome)); }

TEST(HumanEvalSuite, AllCanonicalSolutionsPassAndWrongBodiesFail) {
  std::string why;
  const auto grader = grader_or_skip(&make_humaneval_grader, &why);
  if (!grader) GTEST_SKIP() << why;
  const std::vector<nlohmann::json> rows = read_jsonl("datasets/code/humaneval/HumanEval.jsonl");
  ASSERT_EQ(rows.size(), 164u);
  std::vector<GradeRequest> requests;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const nlohmann::json& row = rows[i];
    const std::string body = row["canonical_solution"].get<std::string>();
    // Half as a bare body (the classic completion), half the way R1 answers: reasoning, then a full fenced program.
    const std::string completion =
        i % 2 == 0 ? body
                   : "I need to implement it.\n</think>\nHere is the solution:\n```python\n" +
                         row["prompt"].get<std::string>() + body + "\n```\n";
    requests.push_back({completion, nullptr, row});
  }
  for (const nlohmann::json& row : rows) requests.push_back({"    return None\n", nullptr, row});
  const std::vector<Verdict> verdicts = grade_in_parallel(*grader, requests, kWorkers);
  int passed = 0, wrong_rejected = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_TRUE(verdicts[i].correct) << rows[i]["task_id"] << ": " << verdicts[i].detail;
    passed += verdicts[i].correct;
    const Verdict& wrong = verdicts[rows.size() + i];
    EXPECT_FALSE(wrong.correct) << rows[i]["task_id"];
    EXPECT_TRUE(wrong.outcome == Outcome::kFail || wrong.outcome == Outcome::kRuntimeError)
        << rows[i]["task_id"] << ": " << outcome_text(wrong.outcome) << " " << wrong.detail;
    wrong_rejected += !wrong.correct;
  }
  EXPECT_EQ(passed, 164);
  EXPECT_EQ(wrong_rejected, 164);
}

// MBPP's test split (task ids 11-510, the split papers report); all 974 rows: code_mbpp_full_test (label "slow").
TEST(MbppSuite, ReferenceCodePassesTheTestSplit) { check_mbpp_reference_code(11, 510); }

TEST(MbppSuite, WrongCodeFailsAndSetupCodeRuns) {
  std::string why;
  const auto grader = grader_or_skip(&make_mbpp_grader, &why);
  if (!grader) GTEST_SKIP() << why;
  const nlohmann::json problem = {{"test_setup_code", "OFFSET = 10"},
                                  {"test_list", {"assert shift(1) == 11", "assert shift(-10) == 0"}}};
  EXPECT_TRUE(grader->grade({"```python\ndef shift(x):\n    return x + OFFSET\n```", nullptr, problem}).correct);
  const Verdict wrong = grader->grade({"```python\ndef shift(x):\n    return x + 1\n```", nullptr, problem});
  EXPECT_EQ(wrong.outcome, Outcome::kFail) << wrong.detail;
  const Verdict missing = grader->grade({"<think>\nstill going", nullptr, problem});
  EXPECT_EQ(missing.outcome, Outcome::kNoAnswer);
}

TEST(LiveCodeBenchTests, EveryBundledProblemHasSampleTests) {
  int functional = 0, stdio = 0;
  for (const nlohmann::json& row : read_jsonl("datasets/code/livecodebench-v5-qwq/livecodebench_v5.jsonl")) {
    const LiveCodeBenchTests tests = livecodebench_tests(row);
    EXPECT_FALSE(tests.cases.empty()) << row["question_id"];
    for (const CallCase& c : tests.cases) EXPECT_FALSE(c.output.empty()) << row["question_id"];
    (tests.functional ? functional : stdio) += 1;
  }
  EXPECT_EQ(functional, 104);  // LeetCode rows (class Solution starter code)
  EXPECT_EQ(stdio, 175);       // AtCoder rows
}

TEST(LiveCodeBenchTests, StatementParsing) {
  const std::string atcoder =
      "Sample Input 1\n\n4\r\n8 2 5 1\n\nSample Output 1\n\n3\r\n\nThe second largest is A_3.\n\n"
      "Sample Input 2\n\n2\n1 2\n\nSample Output 2\n\n1\n2\n\nRead the inputs from stdin";
  const std::vector<CallCase> samples = stdin_samples(atcoder);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].input, "4\r\n8 2 5 1\n");
  EXPECT_EQ(samples[0].output, "3\n");
  EXPECT_EQ(samples[1].output, "1\n2\n");
  const std::string leetcode =
      "Example 1:\n\nInput: n = 5, queries = [[2,4],[0,2]]\nOutput: [3,2]\nExplanation: ...\n"
      "```python\nclass Solution:\n    def shortestDistance(self, n: int, queries: List[List[int]]) -> List[int]:\n```";
  const std::vector<CallCase> examples = leetcode_examples(leetcode);
  ASSERT_EQ(examples.size(), 1u);
  EXPECT_EQ(examples[0].input, "n = 5, queries = [[2,4],[0,2]]");
  EXPECT_EQ(examples[0].output, "[3,2]");
  EXPECT_EQ(starter_method(leetcode), "shortestDistance");
}

TEST(LiveCodeBenchTests, StdoutComparisonFollowsUpstream) {
  EXPECT_TRUE(stdout_matches("3\n", "3\r\n"));
  EXPECT_TRUE(stdout_matches("  1 2  \n3\n\n", "1 2\n3"));
  EXPECT_TRUE(stdout_matches("1.50", "1.5"));
  EXPECT_TRUE(stdout_matches("1e2 -0", "100 0"));
  EXPECT_FALSE(stdout_matches("1.5", "1.49999"));
  EXPECT_FALSE(stdout_matches("1 2", "1  2 3"));
  EXPECT_FALSE(stdout_matches("Yes", "yes"));
  EXPECT_FALSE(stdout_matches("1\n2", "1"));
}

const nlohmann::json* find_problem(const std::vector<nlohmann::json>& rows, const std::string& id) {
  for (const nlohmann::json& row : rows) {
    if (row["question_id"] == id) return &row;
  }
  return nullptr;
}

TEST(LiveCodeBenchSuite, HandWrittenSolutionsPassTheirSamples) {
  std::string why;
  const auto grader = grader_or_skip(&make_livecodebench_grader, &why);
  if (!grader) GTEST_SKIP() << why;
  const std::vector<nlohmann::json> rows = read_jsonl("datasets/code/livecodebench-v5-qwq/livecodebench_v5.jsonl");
  const nlohmann::json* second_largest = find_problem(rows, "abc365_b");
  ASSERT_NE(second_largest, nullptr);
  // abc365_b: print the 1-based index of the second largest element.
  const std::string right =
      "</think>\n```python\nimport sys\ndata = sys.stdin.read().split()\nn = int(data[0])\n"
      "a = list(map(int, data[1:1 + n]))\nprint(sorted(range(n), key=lambda i: a[i])[-2] + 1)\n```";
  const Verdict pass = grader->grade({right, nullptr, *second_largest});
  EXPECT_TRUE(pass.correct) << pass.detail;
  const std::string largest_instead =
      "```python\nn = int(input())\na = list(map(int, input().split()))\nprint(a.index(max(a)) + 1)\n```";
  const Verdict fail = grader->grade({largest_instead, nullptr, *second_largest});
  EXPECT_EQ(fail.outcome, Outcome::kFail) << fail.detail;

  // A LeetCode-style row: every example's arguments are passed by name and the result compared as a value.
  const nlohmann::json leetcode = {
      {"prompt",
       "Return the sum of nums times k.\nExample 1:\n\nInput: nums = [1,2,3], k = 2\nOutput: 12\n\nExample 2:\n\n"
       "Input: nums = [], k = 5\nOutput: 0\n\n```python\nclass Solution:\n    def scaledSum(self, nums: List[int], k: "
       "int) -> int:\n        \n```"}};
  const Verdict call_pass =
      grader->grade({"```python\nclass Solution:\n    def scaledSum(self, nums: List[int], k: int) -> int:\n        "
                     "return sum(nums) * k\n```",
                     nullptr, leetcode});
  EXPECT_TRUE(call_pass.correct) << call_pass.detail;
  const Verdict call_fail =
      grader->grade({"```python\nclass Solution:\n    def scaledSum(self, nums, k):\n        return sum(nums) + k\n```",
                     nullptr, leetcode});
  EXPECT_EQ(call_fail.outcome, Outcome::kFail) << call_fail.detail;
}

TEST(CodeGraders, RefuseToStartWithoutAWorkingSandbox) {
  CodeGraderSettings settings = suite_settings();
  settings.sandbox.bwrap = "/nonexistent/bwrap";
  try {
    make_humaneval_grader(settings);
    FAIL() << "a grader was created without a working sandbox";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("--unsafe-no-sandbox"), std::string::npos) << error.what();
  }
}

TEST(CodeGraders, UnsafeModeRunsWithoutTheSandboxWhenAskedExplicitly) {
  CodeGraderSettings settings = suite_settings();
  settings.sandbox.unsafe_no_sandbox = true;
  settings.sandbox.limits.wall_seconds = 2.0;
  settings.sandbox.limits.cpu_seconds = 1;
  const auto grader = make_mbpp_grader(settings);
  const nlohmann::json problem = {{"test_list", {"assert f() == 1"}}};
  EXPECT_TRUE(grader->grade({"```python\ndef f():\n    return 1\n```", nullptr, problem}).correct);
  EXPECT_EQ(grader->grade({"```python\ndef f():\n    while True: pass\n```", nullptr, problem}).outcome,
            Outcome::kTimeout);
  EXPECT_EQ(grader->grade({"```python\ndef f():\n    return 2\n```", nullptr, problem}).outcome, Outcome::kFail);
}

TEST(CodeProblems, LookupByTaskId) {
  const std::string datasets = std::string(R1EVAL_SOURCE_DIR) + "/datasets";
  EXPECT_EQ(find_code_problem("humaneval", "HumanEval/0", datasets)["entry_point"], "has_close_elements");
  EXPECT_EQ(find_code_problem("mbpp", 11, datasets)["task_id"], 11);
  EXPECT_EQ(find_code_problem("mbpp", "Mbpp/11", datasets)["task_id"], 11);
  EXPECT_EQ(find_code_problem("livecodebench", "abc365_b", datasets)["global_id"], 559);
  EXPECT_EQ(find_code_problem("livecodebench", 559, datasets)["question_id"], "abc365_b");
  EXPECT_THROW(find_code_problem("humaneval", "HumanEval/999", datasets), std::invalid_argument);
  EXPECT_THROW(find_code_problem("math", "1", datasets), std::invalid_argument);
}

TEST(CodeGraders, RowsWithOnlyATaskIdUseTheBundledProblem) {
  std::string why;
  const auto grader = grader_or_skip(&make_humaneval_grader, &why);
  if (!grader) GTEST_SKIP() << why;
  const nlohmann::json task = {{"task_id", "HumanEval/53"}};  // add(x, y)
  EXPECT_TRUE(grader->grade({"</think>\n```python\ndef add(x, y):\n    return x + y\n```", nullptr, task}).correct);
  EXPECT_FALSE(grader->grade({"</think>\n```python\ndef add(x, y):\n    return x - y\n```", nullptr, task}).correct);
  EXPECT_THROW(grader->grade({"x", nullptr, {{"task_id", "HumanEval/9999"}}}), std::invalid_argument);
}

TEST(CodeGraders, MalformedRequestsThrowWithTheFieldName) {
  std::string why;
  const auto grader = grader_or_skip(&make_humaneval_grader, &why);
  if (!grader) GTEST_SKIP() << why;
  try {
    grader->grade({"    return 1\n", nullptr, nlohmann::json{{"prompt", "def f():\n"}}});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("entry_point"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace r1eval::graders::code::testing
