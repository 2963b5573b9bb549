// The "did you mean" hint: close names only (a few edits, a swapped pair counting as one, or containment),
// otherwise the list of known names.
#include "common/did_you_mean.h"

#include <gtest/gtest.h>

namespace r1eval::common {
namespace {

TEST(DidYouMean, PicksCloseNamesOnly) {
  const std::vector<std::string> known = {"aime2024", "aime2025", "math", "math500", "humaneval"};
  EXPECT_EQ(did_you_mean("math50", known), "; did you mean 'math500'?");
  EXPECT_EQ(did_you_mean("HumanEval", known), "; did you mean 'humaneval'?");
  EXPECT_EQ(did_you_mean("aime", known), "; did you mean 'aime2024'?");  // contained in the name
  EXPECT_EQ(did_you_mean("zzzzzz", known), "; known names: aime2024, aime2025, math, math500, humaneval");
  EXPECT_EQ(did_you_mean("x", {}), "");
}

TEST(DidYouMean, ASwappedPairIsOneEdit) {
  const std::vector<std::string> known = {"math", "mbpp", "logic"};
  EXPECT_EQ(did_you_mean("maht", known), "; did you mean 'math'?");
  EXPECT_EQ(did_you_mean("lgoic", known), "; did you mean 'logic'?");
  EXPECT_EQ(did_you_mean("tham", known), "; known names: math, mbpp, logic");  // two swaps: too far for 4 letters
}

}  // namespace
}  // namespace r1eval::common
