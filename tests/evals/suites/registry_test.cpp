// The suite registry over the bundled suite files: every suite loads with the row counts of its SOURCE.md,
// --limit takes the first N (bbh: N in total, round-robin over its tasks), the generator can replace the arith
// file, the user message follows R1's prompt (checked against QwQ's own AIME 2025 prompts), and bad suite files
// fail naming the file and the key.
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "evals/suites/suite.h"
#include "tests/datasets/test_files.h"

namespace r1eval::evals::suites {
namespace {

using r1eval::testing::scratch_dir;
using r1eval::testing::write_bytes;

// Rows per suite, from the data folders' SOURCE.md files (mbpp: its test split, task ids 11-510).
const std::map<std::string, std::size_t> kRows = {
    {"aime2024", 30},  {"aime2025", 30},   {"amc2023", 40},        {"arith", 200},
    {"bbh", 6511},     {"gsm8k", 1319},    {"humaneval", 164},     {"knights-knaves", 700},
    {"livecodebench", 279}, {"math", 5000}, {"math500", 500},      {"mbpp", 500}};

TEST(SuiteRegistry, EveryBundledSuiteLoadsWithItsRowCount) {
  std::vector<std::string> expected_names;
  for (const auto& entry : kRows) expected_names.push_back(entry.first);
  EXPECT_EQ(suite_names(), expected_names);  // sorted by name
  for (const Suite& suite : all_suites()) {
    SCOPED_TRACE(suite.name);
    const datasets::Dataset data = load_suite_problems(suite, 0);
    EXPECT_EQ(data.name, suite.name);
    EXPECT_EQ(data.problems.size(), kRows.at(suite.name));
    EXPECT_EQ(data.content_hash.rfind("sha256:", 0), 0u);
    EXPECT_FALSE(suite.description.empty());
    EXPECT_GE(suite.r1_protocol_samples, 1);
    for (const datasets::Problem& problem : data.problems) {
      ASSERT_EQ(problem.record["format"], suite.chat_template) << problem.id;
      ASSERT_EQ(problem.record["language"], "en") << problem.id;
      ASSERT_EQ(problem.record.contains("answer_policy"), suite.grader == "math") << problem.id;
    }
  }
}

TEST(SuiteRegistry, TheR1ProtocolSettingsPerSuite) {
  const std::string r1_math = "Please reason step by step, and put your final answer within \\boxed{}.";
  for (const char* name : {"gsm8k", "math500", "math", "aime2024", "aime2025", "amc2023"}) {
    const Suite& suite = find_suite(name);
    EXPECT_EQ(suite.instruction, r1_math) << name;
    EXPECT_EQ(suite.grader, "math") << name;
    EXPECT_EQ(suite.max_new_tokens, 32768) << name;
    EXPECT_EQ(suite.chat_template, "r1") << name;
  }
  EXPECT_EQ(find_suite("aime2024").r1_protocol_samples, 64);  // the paper's cons@64 needs 64
  const Suite& arith = find_suite("arith");
  EXPECT_EQ(arith.chat_template, "r1-zero");
  EXPECT_EQ(arith.answer_policy, "r1zero");
  EXPECT_EQ(arith.extra_graders, std::vector<std::string>{"format"});
  EXPECT_EQ(arith.default_samples, 4);
  EXPECT_EQ(arith.max_new_tokens, 64);
  EXPECT_EQ(arith.generator, "arith");
  EXPECT_EQ(find_suite("bbh").limit_order, "round_robin");
  EXPECT_EQ(find_suite("bbh").source_file.filename(), "bbh.json");
}

TEST(SuiteProblems, LimitTakesTheFirstProblems) {
  const Suite& gsm8k = find_suite("gsm8k");
  const datasets::Dataset five = load_suite_problems(gsm8k, 5);
  ASSERT_EQ(five.problems.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(five.problems[static_cast<std::size_t>(i)].id, std::to_string(i));
  EXPECT_EQ(five.content_hash, load_suite_problems(gsm8k, 0).content_hash);  // the hash is of the files read
  EXPECT_EQ(load_suite_problems(find_suite("aime2024"), 1000).problems.size(), 30u);
  EXPECT_EQ(load_suite_problems(find_suite("aime2024"), -1).problems.size(), 30u);
}

TEST(SuiteProblems, BbhLimitIsATotalSharedRoundRobinOverTasks) {
  const Suite& bbh = find_suite("bbh");
  const datasets::Dataset one_each = load_suite_problems(bbh, 27);
  ASSERT_EQ(one_each.problems.size(), 27u);
  std::set<std::string> tasks;
  for (const datasets::Problem& problem : one_each.problems) {
    tasks.insert(problem.subset);
    EXPECT_EQ(problem.id, problem.subset + "/0");
  }
  EXPECT_EQ(tasks.size(), 27u);

  // 30 = one from each task, then a second from the first three tasks (in file order).
  const datasets::Dataset thirty = load_suite_problems(bbh, 30);
  ASSERT_EQ(thirty.problems.size(), 30u);
  std::map<std::string, int> per_task;
  for (const datasets::Problem& problem : thirty.problems) ++per_task[problem.subset];
  EXPECT_EQ(per_task["boolean_expressions"], 2);
  EXPECT_EQ(per_task["causal_judgement"], 2);
  EXPECT_EQ(per_task["date_understanding"], 2);
  EXPECT_EQ(per_task["disambiguation_qa"], 1);
  EXPECT_EQ(thirty.problems[0].id, "boolean_expressions/0");  // chosen problems keep the data set's order
  EXPECT_EQ(thirty.problems[1].id, "boolean_expressions/1");

  // Past the smallest task (penguins_in_a_table: 146) the others share its unused quota.
  const datasets::Dataset most = load_suite_problems(bbh, 27 * 200);
  ASSERT_EQ(most.problems.size(), 5400u);
  std::map<std::string, int> counts;
  for (const datasets::Problem& problem : most.problems) ++counts[problem.subset];
  EXPECT_EQ(counts["penguins_in_a_table"], 146);
  EXPECT_EQ(counts["causal_judgement"], 187);
  EXPECT_EQ(counts["snarks"], 178);
  EXPECT_EQ(load_suite_problems(bbh, 100000).problems.size(), 6511u);
}

TEST(SuiteProblems, GeneratorReplacesTheFileWhenACountIsSet) {
  Suite arith = find_suite("arith");
  arith.generate_count = 50;
  arith.generate_seed = 3;
  const datasets::Dataset generated = load_suite_problems(arith, 0);
  ASSERT_EQ(generated.problems.size(), 50u);
  EXPECT_EQ(generated.name, "arith");
  EXPECT_EQ(generated.content_hash, "generator:arith:v1:seed=3:count=50");
  EXPECT_EQ(generated.problems[0].record["answer_policy"], "r1zero");
  EXPECT_EQ(generated.problems[0].record["format"], "r1-zero");
  EXPECT_EQ(load_suite_problems(arith, 10).problems.size(), 10u);

  Suite gsm8k = find_suite("gsm8k");
  gsm8k.generate_count = 5;
  R1EVAL_EXPECT_THROW_MESSAGE(load_suite_problems(gsm8k, 0), std::invalid_argument, message);
  EXPECT_NE(message.find("suite 'gsm8k' has no problem generator"), std::string::npos) << message;
}

TEST(SuiteProblems, UserMessageFollowsR1sPrompt) {
  // QwQ's AIME 2025 rows keep the prompt they were evaluated with: problem, newline, R1's instruction.
  const Suite& aime = find_suite("aime2025");
  for (const datasets::Problem& problem : load_suite_problems(aime, 0).problems) {
    EXPECT_EQ(user_message(aime, problem), problem.record["prompt_as_in_source"].get<std::string>()) << problem.id;
  }
  const Suite& humaneval = find_suite("humaneval");
  const datasets::Problem first = load_suite_problems(humaneval, 1).problems[0];
  EXPECT_EQ(user_message(humaneval, first), humaneval.instruction + "\n\n" + first.prompt);
  // arith: the bare question; the R1-Zero template around it comes from the tokenizer.
  const Suite& arith = find_suite("arith");
  EXPECT_EQ(user_message(arith, load_suite_problems(arith, 1).problems[0]), "What is 11 + 88?");
}

TEST(SuiteRegistry, UnknownSuiteSuggestsTheClosestName) {
  R1EVAL_EXPECT_THROW_MESSAGE(find_suite("gsm8"), std::invalid_argument, close);
  EXPECT_EQ(close, "unknown suite 'gsm8'; did you mean 'gsm8k'?");
  R1EVAL_EXPECT_THROW_MESSAGE(find_suite("knights_knave"), std::invalid_argument, underscore);
  EXPECT_EQ(underscore, "unknown suite 'knights_knave'; did you mean 'knights-knaves'?");
  R1EVAL_EXPECT_THROW_MESSAGE(find_suite("poetry"), std::invalid_argument, far);
  EXPECT_NE(far.find("known names: aime2024, aime2025, amc2023, arith, bbh, gsm8k"), std::string::npos) << far;
}

// A valid suite file's text with one key replaced (or removed, with an empty value).
std::string suite_text(const std::string& key = "", const nlohmann::json& value = nullptr) {
  nlohmann::json suite = {{"name", "tiny"},   {"version", "1"},        {"description", "a test suite"},
                          {"loader", "aime2024"}, {"files", {"math/aime2024/test.jsonl"}},
                          {"instruction", "Box it."}, {"answer_policy", "math"}, {"grader", "math"}};
  if (!key.empty()) {
    if (value.is_null()) {
      suite.erase(key);
    } else {
      suite[key] = value;
    }
  }
  return suite.dump();
}

std::string parse_error(const std::string& text, const std::string& file = "tiny.json") {
  try {
    parse_suite(text, std::filesystem::path("/suites") / file);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(SuiteFile, DefaultsAndAValidFile) {
  const Suite suite = parse_suite(suite_text(), "/suites/tiny.json");
  EXPECT_EQ(suite.instruction_position, "after");
  EXPECT_EQ(suite.chat_template, "r1");
  EXPECT_EQ(suite.default_samples, 1);
  EXPECT_EQ(suite.max_new_tokens, 32768);
  EXPECT_EQ(suite.limit_order, "first");
  EXPECT_TRUE(suite.generator.empty());
}

TEST(SuiteFile, BadFilesNameTheFileAndTheKey) {
  const std::string where = "suite file /suites/tiny.json: ";
  EXPECT_EQ(parse_error("{").rfind("suite file /suites/tiny.json is not valid JSON (", 0), 0u) << parse_error("{");
  EXPECT_EQ(parse_error(R"({"x":)" + std::string(65, '[') + std::string(65, ']') + "}"),
            "suite file /suites/tiny.json nests deeper than 64 levels");
  EXPECT_EQ(parse_error(suite_text("gradr", "math")), where + "unknown key 'gradr'; did you mean 'grader'?");
  EXPECT_EQ(parse_error(suite_text("grader", nullptr)), where + "missing key 'grader'");
  EXPECT_EQ(parse_error(suite_text(), "other.json"),
            "suite file /suites/other.json: the suite is named 'tiny' but its file must then be tiny.json");
  EXPECT_EQ(parse_error(suite_text("loader", "aime2042")),
            where + "unknown dataset loader 'aime2042'; did you mean 'aime2024'?");
  EXPECT_EQ(parse_error(suite_text("grader", "maths")), where + "unknown grader 'maths'; did you mean 'math'?");
  EXPECT_NE(
      parse_error(suite_text("answer_policy", "boxd")).find(where + "answer_policy: unknown answer_policy 'boxd'"),
      std::string::npos)
      << parse_error(suite_text("answer_policy", "boxd"));
  EXPECT_EQ(parse_error(suite_text("template", "chatml")),
            where + "key 'template' is 'chatml'; expected one of 'r1', 'r1-zero'");
  EXPECT_EQ(parse_error(suite_text("default_samples", 0)), where + "key 'default_samples' must be a positive integer");
  EXPECT_EQ(parse_error(suite_text("files", nlohmann::json::array())),
            where + "key 'files' must be a non-empty list of strings");
  EXPECT_EQ(parse_error(suite_text("files", {"../../etc/passwd"})),
            where + "data file '../../etc/passwd' must be a path inside the datasets folder");
  EXPECT_EQ(parse_error(suite_text("generator", "arithmetic")),
            where + "unknown problem generator 'arithmetic'; did you mean 'arith'?");
  EXPECT_EQ(parse_error(suite_text("also_graded_by", {"formats"})),
            where + "unknown grader 'formats'; did you mean 'format'?");
}

TEST(SuiteFile, AFolderOfSuites) {
  const std::filesystem::path dir = scratch_dir();
  R1EVAL_EXPECT_THROW_MESSAGE(read_suites(dir), std::invalid_argument, empty);
  EXPECT_NE(empty.find("no suite files (*.json) in "), std::string::npos) << empty;
  write_bytes(dir / "tiny.json", suite_text());
  write_bytes(dir / "notes.txt", "not a suite");
  const std::vector<Suite> suites = read_suites(dir);
  ASSERT_EQ(suites.size(), 1u);
  EXPECT_EQ(suites[0].name, "tiny");
  // Its data comes from any datasets folder: a copy with one problem.
  write_bytes(dir / "data/math/aime2024/test.jsonl", "{\"id\": \"x\", \"problem\": \"1+1?\", \"answer\": \"2\"}\n");
  const datasets::Dataset data = load_suite_problems(suites[0], 0, dir / "data");
  ASSERT_EQ(data.problems.size(), 1u);
  EXPECT_EQ(user_message(suites[0], data.problems[0]), "1+1?\nBox it.");
  write_bytes(dir / "data/math/aime2024/test.jsonl",
              "{\"id\": \"x\", \"problem\": \"1+1?\", \"answer\": \"2\", \"format\": \"r1\"}\n");
  R1EVAL_EXPECT_THROW_MESSAGE(load_suite_problems(suites[0], 0, dir / "data"), std::invalid_argument, clash);
  EXPECT_NE(clash.find("problem 'x' has a field 'format'"), std::string::npos) << clash;
}

}  // namespace
}  // namespace r1eval::evals::suites
