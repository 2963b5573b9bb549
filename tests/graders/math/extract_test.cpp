// Answer extraction and policies, against hand-written expectations.
#include <gtest/gtest.h>

#include "graders/math/extract.h"

namespace r1eval::graders::math {
namespace {

TEST(MathExtract, LastBoxedWithNestedBraces) {
  EXPECT_EQ(extract_last_boxed("a \\boxed{1} b \\boxed{\\frac{1}{\\sqrt{2}}} c"), "\\frac{1}{\\sqrt{2}}");
  EXPECT_EQ(extract_last_boxed("\\fbox{7}"), "7");
  EXPECT_EQ(extract_last_boxed("so $\\boxed 5$"), "5");
  EXPECT_EQ(extract_last_boxed("\\boxed{2} then \\boxed{3"), "2");  // a truncated last box falls back
  EXPECT_FALSE(extract_last_boxed("no box here").has_value());
}

TEST(MathExtract, OtherExtractors) {
  EXPECT_EQ(extract_hashes("work\n#### 1,234\n"), "1,234");
  EXPECT_EQ(extract_answer_is("So the answer is $\\frac{1}{2}$. Done"), "\\frac{1}{2}");
  EXPECT_EQ(extract_answer_is("The final answer is 12. Next"), "12");
  EXPECT_EQ(extract_answer_is("**Answer:** 9"), "9");
  EXPECT_EQ(extract_answer_tag("<think>x</think>\n<answer> 42 </answer>"), "42");
  EXPECT_EQ(extract_answer_tag("<answer>so \\boxed{3}</answer>"), "3");
  EXPECT_FALSE(extract_answer_tag("<answer>never closed").has_value());
  EXPECT_EQ(extract_last_number("costs 1,234.50 dollars."), "1,234.50");
  EXPECT_EQ(extract_last_number("down to -7 today"), "-7");
  EXPECT_FALSE(extract_last_number("none").has_value());
}

TEST(MathExtract, PoliciesFromProblemMetadata) {
  EXPECT_EQ(policy_from_problem(nullptr).name, "math");
  const AnswerPolicy gsm8k = policy_from_problem({{"answer_policy", "gsm8k"}});
  ASSERT_EQ(gsm8k.extractors.size(), 4u);
  EXPECT_EQ(gsm8k.extractors.front(), Extractor::kHashes);
  EXPECT_EQ(gsm8k.extractors.back(), Extractor::kLastNumber);
  const AnswerPolicy no_fallback = policy_from_problem({{"answer_policy", "gsm8k"}, {"last_number_fallback", false}});
  EXPECT_EQ(no_fallback.extractors.size(), 3u);
  const AnswerPolicy custom = policy_from_problem({{"answer_policy", {"answer_tag", "boxed"}}});
  ASSERT_EQ(custom.extractors.size(), 2u);
  EXPECT_EQ(custom.extractors[0], Extractor::kAnswerTag);
  EXPECT_THROW(policy_from_problem({{"answer_policy", "nope"}}), std::invalid_argument);
  EXPECT_THROW(policy_from_problem({{"answer_policy", {"boxed", 3}}}), std::invalid_argument);
  EXPECT_THROW(policy_from_problem({{"last_number_fallback", "yes"}}), std::invalid_argument);
}

TEST(MathExtract, ReasoningIsSkippedWhenTheAnswerPartHasOne) {
  const AnswerPolicy policy = policy_from_problem(nullptr);
  EXPECT_EQ(extract_answer("<think>\\boxed{1}</think>\\boxed{2}", policy)->answer, "2");
  // Nothing after </think>: the whole output is searched.
  EXPECT_EQ(extract_answer("<think>\\boxed{1}</think>", policy)->answer, "1");
}

}  // namespace
}  // namespace r1eval::graders::math
