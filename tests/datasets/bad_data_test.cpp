// Content hashes and bad data: the hash is SHA-256 of exactly the bytes read (NIST test vectors; a one-byte change
// changes it), and every kind of bad file fails with a message that names the file and the line.
#include <string>

#include <gtest/gtest.h>

#include "datasets/content_hash.h"
#include "datasets/loaders.h"
#include "tests/datasets/test_files.h"

namespace r1eval::datasets {
namespace {

using r1eval::testing::read_bytes;
using r1eval::testing::repository_datasets;
using r1eval::testing::scratch_dir;
using r1eval::testing::write_bytes;

TEST(ContentHash, MatchesTheNistVectors) {
  // FIPS 180-2 examples.
  EXPECT_EQ(sha256_text(""), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_text("abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 pieces;  // the same digest fed in two pieces
  pieces.update("a");
  pieces.update("bc");
  EXPECT_EQ(pieces.finish(), sha256_text("abc"));
}

TEST(ContentHash, ChangesWhenOneByteOfTheDataChanges) {
  const std::filesystem::path dir = scratch_dir();
  std::string bytes = read_bytes(repository_datasets() / "math/aime2024/test.jsonl");
  write_bytes(dir / "a.jsonl", bytes);
  const Dataset original = load_dataset("aime2024", {"a.jsonl"}, dir);
  EXPECT_EQ(original.content_hash, sha256_text(bytes));
  // One letter of a problem statement: still valid data, same problem count, a different hash.
  const std::size_t at = bytes.find("Aya");
  ASSERT_NE(at, std::string::npos);
  bytes[at] = 'E';
  write_bytes(dir / "b.jsonl", bytes);
  const Dataset changed = load_dataset("aime2024", {"b.jsonl"}, dir);
  EXPECT_EQ(changed.problems.size(), original.problems.size());
  EXPECT_NE(changed.content_hash, original.content_hash);
  EXPECT_EQ(changed.content_hash, sha256_text(bytes));
}

TEST(ContentHash, CoversEveryFileInOrder) {
  const std::filesystem::path dir = scratch_dir();
  const std::string first = R"({"canary": "c", "examples": [{"input": "1 + 1 =", "target": "2", "idx": 0}]})";
  const std::string second = R"({"canary": "c", "examples": [{"input": "is it?", "target": "Yes"}]})";
  write_bytes(dir / "sums.json", first);
  write_bytes(dir / "questions.json", second);
  const Dataset both = load_dataset("bbh", {"sums.json", "questions.json"}, dir);
  EXPECT_EQ(both.content_hash, sha256_text(first + second));
  ASSERT_EQ(both.problems.size(), 2u);
  EXPECT_EQ(both.problems[0].id, "sums/0");
  EXPECT_EQ(both.problems[1].id, "questions/0");  // no idx: its position
  EXPECT_EQ(both.problems[1].subset, "questions");
  EXPECT_NE(load_dataset("bbh", {"questions.json", "sums.json"}, dir).content_hash, both.content_hash);
}

TEST(BadData, MissingFileNamesThePath) {
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("gsm8k", {"math/gsm8k/absent.jsonl"}, repository_datasets()),
                              std::runtime_error, message);
  EXPECT_NE(message.find("math/gsm8k/absent.jsonl"), std::string::npos) << message;
}

TEST(BadData, BrokenJsonLineNamesFileAndLine) {
  const std::filesystem::path dir = scratch_dir();
  write_bytes(dir / "broken.jsonl", "{\"id\": \"a\", \"problem\": \"p\", \"answer\": \"1\"}\n\n"
                                    "{\"id\": \"b\", \"problem\": \"q\", \"answer\": \n");
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("aime2024", {"broken.jsonl"}, dir), std::invalid_argument, message);
  EXPECT_NE(message.find("broken.jsonl line 3: not valid JSON"), std::string::npos) << message;
}

// Issue 20: nesting is bounded wherever r1eval parses JSON it did not write.
TEST(BadData, DeeplyNestedLineIsRefusedWithFileAndLine) {
  const std::filesystem::path dir = scratch_dir();
  write_bytes(dir / "deep.jsonl", "{\"id\": \"a\", \"problem\": " + std::string(100000, '[') + "\n");
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("aime2024", {"deep.jsonl"}, dir), std::invalid_argument, message);
  EXPECT_NE(message.find("deep.jsonl line 1: nests deeper than 64 levels"), std::string::npos) << message;
}

TEST(BadData, MissingOrMistypedFieldNamesFileLineAndField) {
  const std::filesystem::path dir = scratch_dir();
  write_bytes(dir / "missing.jsonl", "{\"idx\": \"0\", \"question\": \"q\", \"final_answer\": \"1\"}\n"
                                     "{\"idx\": \"1\", \"question\": \"q\"}\n");
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("gsm8k", {"missing.jsonl"}, dir), std::invalid_argument, missing);
  EXPECT_NE(missing.find("missing.jsonl line 2: missing field 'final_answer'"), std::string::npos) << missing;

  write_bytes(dir / "typed.jsonl",
              "{\"task_id\": \"HumanEval/0\", \"prompt\": 7, \"entry_point\": \"f\", \"test\": \"\"}\n");
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("humaneval", {"typed.jsonl"}, dir), std::invalid_argument, typed);
  EXPECT_NE(typed.find("typed.jsonl line 1: field 'prompt' is number, expected a string"), std::string::npos) << typed;

  write_bytes(dir / "roles.jsonl",
              "{\"id\": \"k\", \"quiz\": \"q\", \"names\": [\"A\", \"B\"], \"solution\": [true]}\n");
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("knights-knaves", {"roles.jsonl"}, dir), std::invalid_argument, roles);
  EXPECT_NE(roles.find("roles.jsonl line 1:"), std::string::npos) << roles;

  write_bytes(dir / "array.jsonl", "[1, 2]\n");
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("math", {"array.jsonl"}, dir), std::invalid_argument, array);
  EXPECT_NE(array.find("array.jsonl line 1: not a JSON object"), std::string::npos) << array;

  write_bytes(dir / "empty_gold.jsonl", "{\"id\": \"a\", \"question\": \"What is 1 + 1?\", \"answer\": \" \"}\n");
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("arith", {"empty_gold.jsonl"}, dir), std::invalid_argument, empty_gold);
  EXPECT_NE(empty_gold.find("empty_gold.jsonl line 1: field 'answer' is empty"), std::string::npos) << empty_gold;
}

TEST(BadData, BbhExampleErrorsNameTheExample) {
  const std::filesystem::path dir = scratch_dir();
  write_bytes(dir / "task.json", R"({"examples": [{"input": "a", "target": "b"}, {"input": "c"}]})");
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("bbh", {"task.json"}, dir), std::invalid_argument, message);
  EXPECT_NE(message.find("task.json example 1: missing field 'target'"), std::string::npos) << message;
  write_bytes(dir / "list.json", R"([{"input": "a", "target": "b"}])");
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("bbh", {"list.json"}, dir), std::invalid_argument, shape);
  EXPECT_NE(shape.find("list.json: not a BBH task file"), std::string::npos) << shape;
}

TEST(BadData, DuplicateIdsAndEmptyFilesAreRejected) {
  const std::filesystem::path dir = scratch_dir();
  const std::string row = "{\"id\": \"same\", \"problem\": \"p\", \"answer\": \"1\"}\n";
  write_bytes(dir / "twice.jsonl", row + row);
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("amc2023", {"twice.jsonl"}, dir), std::invalid_argument, twice);
  EXPECT_NE(twice.find("problem id 'same' occurs twice in twice.jsonl"), std::string::npos) << twice;
  write_bytes(dir / "blank.jsonl", "\n  \n");
  R1EVAL_EXPECT_THROW_MESSAGE(load_dataset("amc2023", {"blank.jsonl"}, dir), std::invalid_argument, blank);
  EXPECT_NE(blank.find("found no problems in blank.jsonl"), std::string::npos) << blank;
}

}  // namespace
}  // namespace r1eval::datasets
