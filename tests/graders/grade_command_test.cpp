// `r1eval grade` end to end: one JSON verdict per line, malformed rows reported by line without stopping the
// others, exit status 1 when any row was malformed.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

struct CommandResult {
  int status = -1;
  std::vector<std::string> lines;
};

CommandResult run_r1eval(const std::string& arguments) {
  const std::string command = std::string(R1EVAL_BINARY_DIR) + "/cli/r1eval " + arguments + " 2>/dev/null";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::string output;
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) output += buffer.data();
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::size_t start = 0;
  while (start < output.size()) {
    const std::size_t end = output.find('\n', start);
    result.lines.push_back(output.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return result;
}

TEST(GradeCommand, SingleAnswer) {
  const CommandResult result = run_r1eval("grade --grader math --gold '\\frac12' --pred 'so \\boxed{0.5}'");
  ASSERT_EQ(result.status, 0);
  ASSERT_EQ(result.lines.size(), 1u);
  const nlohmann::json verdict = nlohmann::json::parse(result.lines[0]);
  EXPECT_EQ(verdict["correct"], true);
  EXPECT_EQ(verdict["extracted"], "0.5");
  EXPECT_EQ(verdict["outcome"], "pass");
  EXPECT_TRUE(verdict["detail"].is_string());
}

// The math grader reads answers under --policy, "auto" by default: a bare "-5" is an answer.
TEST(GradeCommand, MathAnswerPolicy) {
  const CommandResult plain = run_r1eval("grade --grader math --gold -5 --pred -5");
  ASSERT_EQ(plain.status, 0);
  ASSERT_EQ(plain.lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(plain.lines[0])["outcome"], "pass");
  const CommandResult strict = run_r1eval("grade --grader math --policy boxed --gold -5 --pred -5");
  ASSERT_EQ(strict.lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(strict.lines[0])["outcome"], "no_answer");
  EXPECT_NE(run_r1eval("grade --grader math --policy nope --gold 5 --pred 5").status, 0);
  EXPECT_NE(run_r1eval("grade --grader humaneval --policy auto --gold 5 --pred 5").status, 0);
}

TEST(GradeCommand, JsonlWithAMalformedRow) {
  const std::filesystem::path path = std::filesystem::path(R1EVAL_BINARY_DIR) / "grade_command_test_rows.jsonl";
  {
    std::ofstream file(path);
    file << R"({"gold": "5", "pred": "\\boxed{5}"})" << '\n'
         << R"({"gold": "5", "pred": )" << '\n'  // line 2: not JSON
         << R"({"gold": "5"})" << '\n'            // line 3: no pred
         << R"row({"gold": "(1,2)", "pred": "\\boxed{(2,1)}"})row" << '\n'
         << R"({"pred": "\\boxed{5}"})" << '\n'  // line 5: no gold
         << R"({"gold": 18, "pred": "#### 18", "problem": {"answer_policy": "gsm8k"}})" << '\n';
  }
  const CommandResult result = run_r1eval("grade --grader math --jsonl " + path.string());
  EXPECT_EQ(result.status, 1);
  ASSERT_EQ(result.lines.size(), 6u);
  std::vector<nlohmann::json> verdicts;
  for (const std::string& line : result.lines) verdicts.push_back(nlohmann::json::parse(line));
  EXPECT_EQ(verdicts[0]["outcome"], "pass");
  EXPECT_EQ(verdicts[1]["outcome"], "error");
  EXPECT_NE(verdicts[1]["detail"].get<std::string>().find(":2:"), std::string::npos) << verdicts[1]["detail"];
  EXPECT_EQ(verdicts[2]["outcome"], "error");
  EXPECT_NE(verdicts[2]["detail"].get<std::string>().find(":3:"), std::string::npos) << verdicts[2]["detail"];
  EXPECT_NE(verdicts[2]["detail"].get<std::string>().find("pred"), std::string::npos) << verdicts[2]["detail"];
  EXPECT_EQ(verdicts[3]["outcome"], "fail");
  EXPECT_EQ(verdicts[4]["outcome"], "error");
  EXPECT_NE(verdicts[4]["detail"].get<std::string>().find("gold"), std::string::npos) << verdicts[4]["detail"];
  EXPECT_EQ(verdicts[5]["outcome"], "pass");
  std::filesystem::remove(path);
}

TEST(GradeCommand, UnknownGraderSuggestsAName) {
  const std::string command = std::string(R1EVAL_BINARY_DIR) + "/cli/r1eval grade --grader maht --gold 1 --pred 1 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::array<char, 4096> buffer{};
  std::string output;
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) output += buffer.data();
  const int status = pclose(pipe);
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_NE(output.find("did you mean 'math'"), std::string::npos) << output;
}

}  // namespace
