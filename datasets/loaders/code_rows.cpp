// Code problems keep their whole source row as the record: the code graders read the test fields from it
// (HumanEval: prompt, entry_point, test; MBPP: test_list, test_setup_code; LiveCodeBench: the sample tests in
// prompt). The gold is the test material the grader runs, where the source has it as a field.
#include "datasets/loaders/row_loaders.h"

namespace r1eval::datasets::loaders {
namespace {

// MBPP's standard test split (Austin et al. 2021; the split papers report): task ids 11-510.
constexpr long long kMbppFirstTestId = 11;
constexpr long long kMbppLastTestId = 510;

}  // namespace

std::optional<Problem> humaneval_row(const Row& row) {
  Problem problem;
  problem.id = row.id_text("task_id");
  row.text("entry_point");  // required by the grader; checked here so bad data fails at load time
  const std::string stub = row.text("prompt");
  problem.prompt = "```python\n" + stub + (stub.empty() || stub.back() != '\n' ? "\n" : "") + "```";
  problem.gold = row.text("test");
  problem.record = row.json();
  return problem;
}

std::optional<Problem> mbpp_row(const Row& row) {
  const nlohmann::json& task_id = row.at("task_id");
  if (!task_id.is_number_integer()) row.fail("field 'task_id' is not an integer");
  const long long id = task_id.get<long long>();
  if (id < kMbppFirstTestId || id > kMbppLastTestId) return std::nullopt;
  const nlohmann::json& tests = row.array("test_list");
  if (tests.empty()) row.fail("field 'test_list' is empty");
  Problem problem;
  problem.id = std::to_string(id);
  // The usual MBPP prompt: the task and its asserts, which also fix the function's name and signature.
  problem.prompt = row.text("text") + "\nYour code should pass these tests:\n";
  for (const nlohmann::json& test : tests) {
    if (!test.is_string())
      row.fail("field 'test_list' holds a " + std::string(test.type_name()) + ", expected strings");
    problem.prompt += '\n';  // appended in two steps: "\n" + string trips GCC 12's -Wrestrict false positive
    problem.prompt += test.get_ref<const std::string&>();
  }
  problem.gold = tests;
  problem.record = row.json();
  return problem;
}

std::optional<Problem> livecodebench_row(const Row& row) {
  Problem problem;
  problem.id = row.id_text("question_id");
  // The bundled prompt is complete (statement, sample tests, the python fence to fill); trailing blank lines
  // only push the chat template's closing tokens away.
  std::string prompt = row.text("prompt");
  while (!prompt.empty() && (prompt.back() == '\n' || prompt.back() == ' ')) prompt.pop_back();
  problem.prompt = std::move(prompt);
  // No gold field: the hidden tests are not bundled, and the grader reads the sample tests from the prompt.
  problem.gold = nullptr;
  problem.record = row.json();
  return problem;
}

}  // namespace r1eval::datasets::loaders
