// Every loader on its bundled data: row counts from the SOURCE.md files, the SHA-256 of the files as computed by
// sha256sum (math/math's also stated in its SOURCE.md), and problem fields checked against facts of the sources.
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "datasets/loaders.h"
#include "tests/datasets/test_files.h"

namespace r1eval::datasets {
namespace {

using r1eval::testing::repository_datasets;

struct Expected {
  const char* loader;
  const char* file;
  std::size_t rows;    // from the folder's SOURCE.md
  const char* sha256;  // `sha256sum datasets/<file>`
  const char* first_id;
};

const Expected kSingleFileSets[] = {
    {"gsm8k", "math/gsm8k/test.jsonl", 1319, "65ad27ba109e569dfdad80a2d7cf96d636885959fd426c8b58c69d0cf2521efc", "0"},
    {"math500", "math/math500/test.jsonl", 500, "e2a3b6796f63655ec04f064a658d4e9cd040b440e17b369bd0f348a29bfd961d",
     "test/precalculus/807.json"},
    {"math", "math/math/test.jsonl", 5000, "7494b4eab59b47cf849f6cec9cb802ca4ac6ce19f69e4a1dfe0d0bfd8cd9f5ae", "0"},
    {"aime2024", "math/aime2024/test.jsonl", 30, "c27fa3e40354d7d2850b66380ae30db831af6f2315ad9a244aa60aab206cc76b",
     "aime2024-I-1"},
    {"aime2025", "math/aime2025/test.jsonl", 30, "1b62cba31533558c1ee47aa6e23d52c2b508ab034b55fb48d6dfd549cfef9840",
     "aime2025-00"},
    {"amc2023", "math/amc2023/test.jsonl", 40, "f892873052ca1ff26204569c1f4f259256c62bf1cfef698f7301e0464b49bf0b",
     "amc2023-12A-1"},
    {"arith", "math/arith/eval_problems.jsonl", 200, "b6c65d5714258a502f2b3e0d2d33876855cc937a7375eddfc3c6a94c358394b6",
     "arith-000"},
    {"humaneval", "code/humaneval/HumanEval.jsonl", 164,
     "621ff099e7d6a9b630619acd3568aef441dec51a8c84f881a9dd1f2d2ed15914", "HumanEval/0"},
    // MBPP's test split only: task ids 11-510 of the 974 rows.
    {"mbpp", "code/mbpp/mbpp.jsonl", 500, "ccf64ceae9c5403bf50a044cb6d505bfd2a2963ee58338ba268fd65beab92a9f", "11"},
    {"livecodebench", "code/livecodebench-v5-qwq/livecodebench_v5.jsonl", 279,
     "6441538a8f5f4d598480315fb5b0b4ca47489bfb7d496972e290d06e39679905", "abc365_b"},
    {"knights-knaves", "logic/knights-knaves/test.jsonl", 700,
     "45cebe81552198a0cdd9570faa44d42d77b873f4eb7cc9b5a6bc1d087cdd8ffd", "kk-gen-2ppl-000"},
};

TEST(Loaders, EverySingleFileSetHasItsRowsHashAndFirstId) {
  for (const Expected& expected : kSingleFileSets) {
    SCOPED_TRACE(expected.loader);
    const Dataset data = load_dataset(expected.loader, {expected.file}, repository_datasets());
    EXPECT_EQ(data.name, expected.loader);
    ASSERT_EQ(data.problems.size(), expected.rows);
    EXPECT_EQ(data.content_hash, std::string("sha256:") + expected.sha256);
    EXPECT_EQ(data.problems.front().id, expected.first_id);
    std::set<std::string> ids;
    for (const Problem& problem : data.problems) {
      EXPECT_FALSE(problem.prompt.empty()) << problem.id;
      EXPECT_TRUE(problem.record.is_object()) << problem.id;
      ids.insert(problem.id);
    }
    EXPECT_EQ(ids.size(), data.problems.size()) << "ids are not unique";
  }
}

TEST(Loaders, MathGoldsMatchKnownAnswers) {
  const std::filesystem::path dir = repository_datasets();
  // GSM8K test row 0 (Janet's ducks): $18.
  const Dataset gsm8k = load_dataset("gsm8k", {"math/gsm8k/test.jsonl"}, dir);
  EXPECT_EQ(gsm8k.problems[0].gold, "18");
  EXPECT_NE(gsm8k.problems[0].prompt.find("Janet"), std::string::npos);
  // AIME 2024 I problem 1 (Aya's walk): 204.
  const Dataset aime = load_dataset("aime2024", {"math/aime2024/test.jsonl"}, dir);
  EXPECT_EQ(aime.problems[0].gold, "204");
  // MATH-500's first problem: (0,3) in polar coordinates; subsets are subjects.
  const Dataset math500 = load_dataset("math500", {"math/math500/test.jsonl"}, dir);
  EXPECT_EQ(math500.problems[0].gold, "\\left( 3, \\frac{\\pi}{2} \\right)");
  EXPECT_EQ(math500.problems[0].subset, "Precalculus");
  std::set<std::string> subjects;
  for (const Problem& problem : math500.problems) subjects.insert(problem.subset);
  EXPECT_EQ(subjects.size(), 7u);  // MATH's seven subjects
  const Dataset arith = load_dataset("arith", {"math/arith/eval_problems.jsonl"}, dir);
  EXPECT_EQ(arith.problems[0].prompt, "What is 11 + 88?");
  EXPECT_EQ(arith.problems[0].gold, "99");
}

TEST(Loaders, CodeRecordsCarryWhatTheGradersRead) {
  const std::filesystem::path dir = repository_datasets();
  const Dataset humaneval = load_dataset("humaneval", {"code/humaneval/HumanEval.jsonl"}, dir);
  const Problem& first = humaneval.problems[0];
  EXPECT_EQ(first.record["entry_point"], "has_close_elements");
  EXPECT_EQ(first.gold, first.record["test"]);
  EXPECT_EQ(first.prompt.rfind("```python\n", 0), 0u);
  EXPECT_NE(first.prompt.find("def has_close_elements("), std::string::npos);
  EXPECT_EQ(first.prompt.substr(first.prompt.size() - 4), "\n```");

  const Dataset mbpp = load_dataset("mbpp", {"code/mbpp/mbpp.jsonl"}, dir);
  EXPECT_EQ(mbpp.problems.front().id, "11");
  EXPECT_EQ(mbpp.problems.back().id, "510");
  for (const Problem& problem : mbpp.problems) {
    ASSERT_TRUE(problem.gold.is_array()) << problem.id;
    EXPECT_EQ(problem.gold, problem.record["test_list"]) << problem.id;
    // The asserts are in the prompt: they name the function the model must write.
    EXPECT_NE(problem.prompt.find(problem.gold[0].get<std::string>()), std::string::npos) << problem.id;
  }

  const Dataset lcb = load_dataset("livecodebench", {"code/livecodebench-v5-qwq/livecodebench_v5.jsonl"}, dir);
  EXPECT_TRUE(lcb.problems[0].gold.is_null());
  EXPECT_NE(lcb.problems[0].prompt.find("Sample Input 1"), std::string::npos);
  EXPECT_EQ(lcb.problems[0].prompt.substr(lcb.problems[0].prompt.size() - 3), "```");
}

TEST(Loaders, KnightsKnavesGoldNamesEveryRole) {
  const Dataset kk = load_dataset("knights-knaves", {"logic/knights-knaves/test.jsonl"}, repository_datasets());
  // SOURCE.md: row 0 is Sofia (knave) and Alexander (knight).
  EXPECT_EQ(kk.problems[0].gold["names"], nlohmann::json({"Sofia", "Alexander"}));
  EXPECT_EQ(kk.problems[0].gold["solution"], nlohmann::json({false, true}));
  std::map<std::string, int> per_size;
  for (const Problem& problem : kk.problems) ++per_size[problem.subset];
  EXPECT_EQ(per_size, (std::map<std::string, int>{{"2ppl", 100}, {"3ppl", 100}, {"4ppl", 100}, {"5ppl", 100},
                                                   {"6ppl", 100}, {"7ppl", 100}, {"8ppl", 100}}));
}

TEST(Loaders, BbhReadsAllTwentySevenTasks) {
  // Row counts from datasets/logic/bbh/SOURCE.md; every other task has 250.
  const std::map<std::string, std::size_t> smaller = {
      {"causal_judgement", 187}, {"penguins_in_a_table", 146}, {"snarks", 178}};
  const char* tasks[] = {"boolean_expressions", "causal_judgement", "date_understanding", "disambiguation_qa",
                         "dyck_languages", "formal_fallacies", "geometric_shapes", "hyperbaton",
                         "logical_deduction_five_objects", "logical_deduction_seven_objects",
                         "logical_deduction_three_objects", "movie_recommendation", "multistep_arithmetic_two",
                         "navigate", "object_counting", "penguins_in_a_table", "reasoning_about_colored_objects",
                         "ruin_names", "salient_translation_error_detection", "snarks", "sports_understanding",
                         "temporal_sequences", "tracking_shuffled_objects_five_objects",
                         "tracking_shuffled_objects_seven_objects", "tracking_shuffled_objects_three_objects",
                         "web_of_lies", "word_sorting"};
  std::vector<std::string> files;
  for (const char* task : tasks) files.push_back(std::string("logic/bbh/") + task + ".json");
  const Dataset bbh = load_dataset("bbh", files, repository_datasets());
  EXPECT_EQ(bbh.problems.size(), 6511u);
  std::map<std::string, std::size_t> per_task;
  for (const Problem& problem : bbh.problems) {
    ++per_task[problem.subset];
    EXPECT_EQ(problem.id.rfind(problem.subset + "/", 0), 0u) << problem.id;
  }
  ASSERT_EQ(per_task.size(), 27u);
  for (const auto& [task, rows] : per_task) {
    const auto it = smaller.find(task);
    EXPECT_EQ(rows, it == smaller.end() ? 250u : it->second) << task;
  }
  EXPECT_EQ(bbh.problems[0].id, "boolean_expressions/0");
  EXPECT_EQ(bbh.problems[0].prompt, "not ( True ) and ( True ) is");
  EXPECT_EQ(bbh.problems[0].gold, "False");
  EXPECT_EQ(bbh.content_hash.size(), 7u + 64u);
}

TEST(Loaders, UnknownLoaderSuggestsTheClosestName) {
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("gsm8", {"math/gsm8k/test.jsonl"}, repository_datasets()),
                              std::invalid_argument, close);
  EXPECT_NE(close.find("unknown dataset loader 'gsm8'; did you mean 'gsm8k'?"), std::string::npos) << close;
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("quantum-chess", {"x"}, repository_datasets()), std::invalid_argument, far);
  EXPECT_NE(far.find("known names: aime2024, aime2025, amc2023, arith, bbh"), std::string::npos) << far;
  EXPECT_EQ(loader_names().size(), 12u);
  EXPECT_NE(loader_description("mbpp").find("11-510"), std::string::npos);
  EXPECT_TRUE(has_loader("knights-knaves"));
  EXPECT_FALSE(has_loader("knights_knaves"));
}

}  // namespace
}  // namespace r1eval::datasets
