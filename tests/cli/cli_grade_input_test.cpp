// Issue 20, "every input row is independent": `r1eval grade --jsonl` answers every row, however malformed, with
// its own verdict line and goes on; a folder is refused with one sentence, and - reads standard input.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_harness.h"

namespace {

namespace fs = std::filesystem;
using namespace cli_harness;

std::vector<nlohmann::json> verdict_lines(const std::string& out) {
  std::vector<nlohmann::json> verdicts;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) verdicts.push_back(nlohmann::json::parse(line));
  return verdicts;
}

fs::path hostile_rows(const std::string& name) {
  const fs::path path = scratch_dir() / name;
  std::ofstream file(path, std::ios::binary);
  file << R"({"gold": "5", "pred": "\\boxed{5}"})" << '\n'
       << "{\"gold\": \"5\", \"pred\": \"\\\\boxed{5} \xff\xfe\"}\n"            // 2: invalid UTF-8 in a string
       << "\xc3\x28\n"                                                          // 3: invalid UTF-8, not JSON at all
       << std::string(100000, '[') << '\n'                                      // 4: nesting far past any limit
       << R"({"gold": "5", "pred": 5})" << '\n'                                 // 5: pred of the wrong type
       << R"({"gold": {"a": [1, {"b": null}]}, "pred": "\\boxed{5}"})" << '\n'  // 6: gold of the wrong type
       << R"({"gold": "5", "pred": "\\boxed{5}", "problem": "x"})" << '\n'      // 7: problem of the wrong type
       << R"(["gold", "pred"])" << '\n'                                         // 8: not an object
       << R"({"gold": "5", "pred": "\\boxed{5}\ud800"})" << '\n'                // 9: a lone surrogate
       << R"({"gold": "7", "pred": "\\boxed{7}"})" << '\n';                     // 10: fine, after all of the above
  return path;
}

TEST(CliGradeInput, EveryMalformedRowGetsItsOwnVerdictAndTheRestRun) {
  const Invocation r = run_r1eval("grade --grader math --jsonl " + hostile_rows("hostile.jsonl").string());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::vector<nlohmann::json> verdicts = verdict_lines(r.out);
  ASSERT_EQ(verdicts.size(), 10u) << r.out << r.err;
  EXPECT_EQ(verdicts[0]["outcome"], "pass");
  for (const int row : {3, 4, 5, 8, 9}) {
    EXPECT_EQ(verdicts[row - 1]["outcome"], "error") << "row " << row << ": " << verdicts[row - 1];
    const std::string detail = verdicts[row - 1]["detail"].get<std::string>();
    const std::string line_tag = std::string(":").append(std::to_string(row)).append(":");
    EXPECT_NE(detail.find(line_tag), std::string::npos) << detail;
  }
  EXPECT_NE(verdicts[3]["detail"].get<std::string>().find("deeper than 64"), std::string::npos) << verdicts[3];
  EXPECT_EQ(verdicts[9]["outcome"], "pass");
}

TEST(CliGradeInput, DashReadsStandardInput) {
  const Invocation r = run_r1eval("grade --grader math --jsonl -", hostile_rows("hostile-stdin.jsonl"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::vector<nlohmann::json> verdicts = verdict_lines(r.out);
  ASSERT_EQ(verdicts.size(), 10u) << r.out << r.err;
  EXPECT_EQ(verdicts[9]["outcome"], "pass");
}

TEST(CliGradeInput, AFolderIsRefusedWithOneSentence) {
  expect_one_sentence_error(run_r1eval("grade --grader math --jsonl " + scratch_dir().string()), "folder");
}

TEST(CliGradeInput, DeepProblemOptionIsRefusedWithOneSentence) {
  expect_one_sentence_error(
      run_r1eval("grade --grader math --gold 1 --pred 1 --problem '" + std::string(5000, '[') + "'"), "--problem");
}

// The same bound holds for every JSON a user hands r1eval, not only grade's rows.
TEST(CliGradeInput, TokenizeRefusesDeepMessagesWithOneSentence) {
  const std::string tokenizer = (fs::path(R1EVAL_SOURCE_DIR) / "datasets/tokenizers/deepseek-v3").string();
  expect_one_sentence_error(
      run_r1eval("tokenize --model " + tokenizer + " --messages '" + std::string(5000, '[') + "'"), "deeper than 64");
}

}  // namespace
