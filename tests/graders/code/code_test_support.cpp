#include "tests/graders/code/code_test_support.h"

#include <fstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "graders/code/parallel_grading.h"

namespace r1eval::graders::code::testing {

std::vector<nlohmann::json> read_jsonl(const std::string& relative) {
  std::ifstream in(std::string(R1EVAL_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(in) << relative;
  std::vector<nlohmann::json> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
  }
  return rows;
}

CodeGraderSettings suite_settings() {
  CodeGraderSettings settings;
  // Generous: these suites check verdicts, not limits, and a few reference programs (MBPP 123 sums amicable
  // numbers below 10,000) take seconds of CPU on a loaded two-core machine.
  settings.sandbox.limits.wall_seconds = 90.0;
  settings.sandbox.limits.cpu_seconds = 60;
  return settings;
}

std::unique_ptr<Grader> grader_or_skip(std::unique_ptr<Grader> (*make)(const CodeGraderSettings&), std::string* why) {
  try {
    return make(suite_settings());
  } catch (const std::runtime_error& error) {
    *why = error.what();
    return nullptr;
  }
}

void check_mbpp_reference_code(int first_id, int last_id) {
  std::string why;
  const auto grader = grader_or_skip(&make_mbpp_grader, &why);
  if (!grader) GTEST_SKIP() << why;
  std::vector<nlohmann::json> rows;
  for (nlohmann::json& row : read_jsonl("datasets/code/mbpp/mbpp.jsonl")) {
    const int id = row["task_id"].get<int>();
    if (id >= first_id && id <= last_id) rows.push_back(std::move(row));
  }
  ASSERT_FALSE(rows.empty());
  std::vector<GradeRequest> requests;
  for (const nlohmann::json& row : rows) {
    requests.push_back({"<think>\nok\n</think>\n```python\n" + row["code"].get<std::string>() + "\n```", nullptr, row});
  }
  const std::vector<Verdict> verdicts = grade_in_parallel(*grader, requests, kWorkers);
  int passed = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_TRUE(verdicts[i].correct) << "MBPP " << rows[i]["task_id"] << ": " << verdicts[i].detail;
    passed += verdicts[i].correct;
  }
  EXPECT_EQ(passed, static_cast<int>(rows.size()));
}

}  // namespace r1eval::graders::code::testing
