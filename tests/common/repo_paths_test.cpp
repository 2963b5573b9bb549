// Every bundled file is found through one resolver, and R1EVAL_HOME moves all of them.
#include "common/repo_paths.h"

#include <stdlib.h>

#include <gtest/gtest.h>

namespace r1eval::common {
namespace {

TEST(RepoPaths, RepositoryRootFollowsR1evalHome) {
  EXPECT_EQ(repository_root(), std::filesystem::path(R1EVAL_SOURCE_DIR));
  ASSERT_EQ(setenv("R1EVAL_HOME", "/opt/r1eval-checkout", 1), 0);
  EXPECT_EQ(suites_dir(), std::filesystem::path("/opt/r1eval-checkout/evals/suites"));
  EXPECT_EQ(datasets_dir(), std::filesystem::path("/opt/r1eval-checkout/datasets"));
  EXPECT_EQ(baselines_dir(), std::filesystem::path("/opt/r1eval-checkout/evals/baselines"));
  EXPECT_EQ(default_model_dir(), std::filesystem::path("/opt/r1eval-checkout/models/toy-arith-r1zero"));
  EXPECT_EQ(default_tokenizer_dir(), std::filesystem::path("/opt/r1eval-checkout/datasets/tokenizers/deepseek-r1"));
  ASSERT_EQ(setenv("R1EVAL_HOME", "", 1), 0);  // empty counts as unset
  EXPECT_EQ(repository_root(), std::filesystem::path(R1EVAL_SOURCE_DIR));
  ASSERT_EQ(unsetenv("R1EVAL_HOME"), 0);
  EXPECT_EQ(datasets_dir(), std::filesystem::path(R1EVAL_SOURCE_DIR) / "datasets");
}

TEST(RepoPaths, TheSourceTreeHoldsTheBundledFiles) {
  EXPECT_TRUE(std::filesystem::is_directory(suites_dir()));
  EXPECT_TRUE(std::filesystem::is_regular_file(baselines_dir() / "paper.json"));
  EXPECT_TRUE(std::filesystem::is_regular_file(default_model_dir() / "config.json"));
  EXPECT_TRUE(std::filesystem::is_regular_file(default_tokenizer_dir() / "tokenizer.json"));
}

}  // namespace
}  // namespace r1eval::common
