// The r1eval program as users call it: JSON outputs, and one-sentence errors with a non-zero exit for bad input.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_harness.h"

namespace {

namespace fs = std::filesystem;
using namespace cli_harness;

TEST(Cli, LogitsPrintsOneRowPerPositionWithAllPositions) {
  const Invocation r = run_r1eval("logits --model " + golden("tiny-bf16").string() + " --tokens 0,5,9 --all-positions");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["logits"].size(), 3u);
  EXPECT_EQ(j["logits"][0].size(), 1024u);
}

TEST(Cli, LogitsWithBf16ActivationsAreCloseToFloat32OnesButNotTheSame) {
  const std::string base = "logits --model " + golden("tiny-fp8").string() + " --tokens 0,5,9,17,3,250";
  const Invocation f32 = run_r1eval(base);
  const Invocation bf16 = run_r1eval(base + " --activations bf16");
  ASSERT_EQ(f32.exit_code, 0) << f32.err;
  ASSERT_EQ(bf16.exit_code, 0) << bf16.err;
  const auto a = nlohmann::json::parse(f32.out)["logits"][0].get<std::vector<double>>();
  const auto b = nlohmann::json::parse(bf16.out)["logits"][0].get<std::vector<double>>();
  ASSERT_EQ(a.size(), b.size());
  double worst = 0.0;
  for (std::size_t v = 0; v < a.size(); ++v) worst = std::max(worst, std::abs(a[v] - b[v]));
  EXPECT_GT(worst, 1e-4) << "--activations bf16 changed nothing";
  EXPECT_LT(worst, 6.0);
  const Invocation bad = run_r1eval(base + " --activations fp16");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_LT(bad.exit_code, 128) << "crashed: " << bad.err;
  EXPECT_NE(bad.err.find("--activations: fp16 not in {f32,bf16}"), std::string::npos) << bad.err;
}

TEST(Cli, GenerateJsonWithoutTokenizerHasNullText) {
  const Invocation r =
      run_r1eval("generate --model " + golden("tiny-fp8").string() + " --tokens 0,5,9 --max-new 4 --ignore-eos --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["prompt_ids"], nlohmann::json::parse("[0,5,9]"));
  EXPECT_EQ(j["ids"].size(), 4u);
  EXPECT_TRUE(j["text"].is_null());
  EXPECT_NE(r.err.find("prefill: 3 tokens"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("decode: 3 tokens"), std::string::npos) << r.err;
}

TEST(Cli, MissingDirectory) {
  expect_one_sentence_error(run_r1eval("logits --model /nonexistent/model --tokens 1"), "/nonexistent/model");
}

TEST(Cli, TruncatedShard) {
  const fs::path dir = copy_of("tiny-fp8", "truncated");
  const fs::path shard = dir / "model-00002-of-000005.safetensors";
  fs::resize_file(shard, fs::file_size(shard) / 2);
  expect_one_sentence_error(run_r1eval("logits --model " + dir.string() + " --tokens 1"),
                            "model-00002-of-000005.safetensors");
}

TEST(Cli, MissingShard) {
  const fs::path dir = copy_of("tiny-fp8", "missing-shard");
  fs::remove(dir / "model-00003-of-000005.safetensors");
  expect_one_sentence_error(run_r1eval("logits --model " + dir.string() + " --tokens 1"),
                            "model-00003-of-000005.safetensors");
}

TEST(Cli, ConfigMissingAKey) {
  const fs::path dir = copy_of("tiny-bf16", "missing-key");
  auto config = nlohmann::json::parse(slurp(dir / "config.json"));
  config.erase("kv_lora_rank");
  std::ofstream(dir / "config.json") << config.dump(2);
  expect_one_sentence_error(run_r1eval("logits --model " + dir.string() + " --tokens 1"), "kv_lora_rank");
}

TEST(Cli, ZeroExpertsPerToken) {
  const fs::path dir = copy_of("tiny-bf16", "zero-experts");
  auto config = nlohmann::json::parse(slurp(dir / "config.json"));
  config["num_experts_per_tok"] = 0;
  std::ofstream(dir / "config.json") << config.dump(2);
  expect_one_sentence_error(run_r1eval("logits --model " + dir.string() + " --tokens 1"), "num_experts_per_tok");
}

TEST(Cli, ConfigDisagreeingWithTensorShapes) {
  const fs::path dir = copy_of("tiny-bf16", "wrong-shape");
  auto config = nlohmann::json::parse(slurp(dir / "config.json"));
  config["moe_intermediate_size"] = 48;
  std::ofstream(dir / "config.json") << config.dump(2);
  expect_one_sentence_error(run_r1eval("logits --model " + dir.string() + " --tokens 1"), "model.layers.1.mlp.");
}

TEST(Cli, TokenOutsideVocabulary) {
  expect_one_sentence_error(run_r1eval("logits --model " + golden("tiny-bf16").string() + " --tokens 1,5000"), "5000");
}

TEST(Cli, MalformedTokenList) {
  expect_one_sentence_error(run_r1eval("logits --model " + golden("tiny-bf16").string() + " --tokens 1,x"), "--tokens");
}

fs::path v3_tokenizer_dir() { return fs::path(R1EVAL_SOURCE_DIR) / "datasets/tokenizers/deepseek-v3"; }

// Expected ids below are Hugging Face's (datasets/tokenizers/deepseek-v3/*_vectors_dev.jsonl).
TEST(Cli, TokenizeTextPrintsExactlyTheTextsIds) {
  const Invocation r = run_r1eval("tokenize --model " + v3_tokenizer_dir().string() + " --text 'ied 4 ½ months'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["ids"], nlohmann::json::parse("[1199, 223, 22, 223, 23951, 4447]"));
}

TEST(Cli, TokenizeMessagesRendersTheChatTemplate) {
  const Invocation r = run_r1eval("tokenize --model " + v3_tokenizer_dir().string() +
                                  " --messages '[{\"role\": \"user\", \"content\": \"What is 2+2?\"}]'"
                                  " --add-generation-prompt");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rendered"], "<｜begin▁of▁sentence｜><｜User｜>What is 2+2?<｜Assistant｜>");
  EXPECT_EQ(j["ids"], nlohmann::json::parse("[0, 128803, 3085, 344, 223, 20, 13, 20, 33, 128804]"));
}

// "-" reads the messages from standard input, as a file given by name would be read.
TEST(Cli, TokenizeMessagesFromStandardInput) {
  const fs::path messages = scratch_dir() / "messages-stdin.json";
  { std::ofstream(messages) << R"([{"role": "user", "content": "What is 2+2?"}])"; }
  for (const std::string spelling : {"-", "@-"}) {
    const Invocation r = run_r1eval(
        "tokenize --model " + v3_tokenizer_dir().string() + " --messages " + spelling + " --add-generation-prompt",
        messages);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["ids"],
              nlohmann::json::parse("[0, 128803, 3085, 344, 223, 20, 13, 20, 33, 128804]"));
  }
  expect_one_sentence_error(
      run_r1eval("tokenize --model " + v3_tokenizer_dir().string() + " --messages @" + scratch_dir().string()),
      "cannot read the messages file");
}

// A price table on standard input is read and checked before any measurement starts.
TEST(Cli, BenchReadsPricesFromStandardInput) {
  const fs::path prices = scratch_dir() / "prices-stdin.json";
  { std::ofstream(prices) << "[]"; }
  const Invocation r =
      run_r1eval("bench --synthetic --quick --prices - --db " + (scratch_dir() / "bench-stdin.db").string(), prices);
  expect_one_sentence_error(r, "standard input: \"(top level)\" must be an object");
  EXPECT_FALSE(fs::exists(scratch_dir() / "bench-stdin.db"));
}

TEST(Cli, DetokenizePrintsTheText) {
  const Invocation r =
      run_r1eval("detokenize --model " + v3_tokenizer_dir().string() + " --ids 3085,344,223,20,13,20,33");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "What is 2+2?");
}

TEST(Cli, SynthModelWritesALoadableCheckpointWithTokenizerAndRefusesToOverwrite) {
  const fs::path dir = scratch_dir() / "synth-tiny";
  fs::remove_all(dir);
  const Invocation made = run_r1eval("synth-model --preset tiny --seed 3 --fp8 --out " + dir.string());
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_TRUE(fs::exists(dir / "model.safetensors.index.json"));
  EXPECT_TRUE(fs::exists(dir / "tokenizer.json"));

  const Invocation gen =
      run_r1eval("generate --model " + dir.string() + " --prompt 'What is 2+2?' --max-new 5 --ignore-eos --json");
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const auto j = nlohmann::json::parse(gen.out);
  EXPECT_EQ(j["prompt_ids"], nlohmann::json::parse("[0, 3085, 344, 223, 20, 13, 20, 33]"));  // BOS + the text
  EXPECT_EQ(j["ids"].size(), 5u);
  EXPECT_TRUE(j["text"].is_string());

  expect_one_sentence_error(run_r1eval("synth-model --preset tiny --seed 3 --out " + dir.string()), dir.string());

  // FP8 heads only make sense in an FP8 checkpoint.
  const Invocation heads_alone =
      run_r1eval("synth-model --preset tiny --seed 3 --fp8-head --out " + (dir / "x").string());
  EXPECT_NE(heads_alone.exit_code, 0);
  EXPECT_NE(heads_alone.err.find("--fp8-head requires --fp8"), std::string::npos) << heads_alone.err;
  EXPECT_FALSE(fs::exists(dir / "x"));
}

}  // namespace
