// Issue 20, "budgets and contexts": generate and logits refuse a prompt past the model's context (10240 tokens
// for the golden checkpoints) with one sentence, at once, instead of running on for minutes.
#include <string>

#include <gtest/gtest.h>

#include "tests/cli/cli_harness.h"

namespace {

using namespace cli_harness;

std::string token_list(int n) {
  std::string ids = "5";
  for (int i = 1; i < n; ++i) ids += ",5";
  return ids;
}

TEST(CliContext, LogitsRefusesAPromptPastTheContext) {
  expect_one_sentence_error(
      run_r1eval("logits --model " + golden("tiny-bf16").string() + " --tokens " + token_list(10241)),
      "context of 10240 tokens");
}

TEST(CliContext, GenerateRefusesAPromptThatLeavesNoRoomToAnswer) {
  expect_one_sentence_error(
      run_r1eval("generate --model " + golden("tiny-fp8").string() + " --max-new 4 --tokens " + token_list(10240)),
      "context of 10240 tokens");
}

}  // namespace
