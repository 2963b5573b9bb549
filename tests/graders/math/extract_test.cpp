// Answer extraction and policies, against hand-written expectations.
#include <gtest/gtest.h>

#include "graders/math/answer_phrases.h"
#include "graders/math/extract.h"
#include "graders/math/math_spans.h"

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
  EXPECT_EQ(extract_last_boxed("\\boxed{(3, 3)} \\quad \\text{and} \\quad \\boxed{(7, 3)}"), "(3, 3), (7, 3)");
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

TEST(MathExtract, AnnouncingPhrases) {
  EXPECT_EQ(extract_answer_is("**Final Answer** $\\frac{6}{5}$"), "\\frac{6}{5}");
  EXPECT_EQ(extract_answer_is("**Final Answer**\n\n$\\frac{6}{5}$\n"), "\\frac{6}{5}");
  EXPECT_EQ(extract_answer_is("Answer $ 9 $"), "9");
  EXPECT_EQ(extract_answer_is("Answer \\[ \n 9 \n \\]"), "9");
  EXPECT_EQ(extract_answer_is("Final Answer: The final answer is $28 \\%$. I hope it is correct."), "28 \\%");
  EXPECT_EQ(extract_answer_is("Final Answer: The largest $n$ is 34."), "34");
  EXPECT_EQ(extract_answer_is("so the answers are $1$ and $2$"), "2");  // the last span of the sentence
  EXPECT_EQ(extract_answer_is("所以最终答案是 $5$。"), "5");
  EXPECT_EQ(extract_answer_is("答案：12"), "12");
  // Ordinary uses of the word announce nothing; prose after a phrase is not an answer.
  EXPECT_FALSE(extract_answer_is("Let me check my answer again.").has_value());
  EXPECT_FALSE(extract_answer_is("Answered: 5").has_value());  // another word
  EXPECT_FALSE(extract_answer_is("Before the final answer, we verify the steps").has_value());
  EXPECT_FALSE(extract_answer_is("no phrase here: 5").has_value());
}

TEST(MathExtract, MathSpansAndBareAnswers) {
  EXPECT_EQ(extract_last_math("first $1$, then \\(2\\), then \\[3\\] and $$4$$ last"), "4");
  EXPECT_EQ(extract_last_math("costs \\$5 so $x = \\frac{10}{9}$"), "x = \\frac{10}{9}");
  EXPECT_EQ(extract_last_math("an unclosed $5 is no span"), std::nullopt);
  EXPECT_EQ(whole_math_span(" $\\frac12$ "), "\\frac12");
  EXPECT_EQ(whole_math_span("$1$ and $2$"), std::nullopt);
  EXPECT_EQ(extract_bare(" -5 "), "-5");
  EXPECT_EQ(extract_bare("x \\geq 5"), "x \\geq 5");
  EXPECT_EQ(extract_bare("Monday"), "Monday");
  EXPECT_FALSE(extract_bare("I think it is 5").has_value());     // prose
  EXPECT_FALSE(extract_bare("Total : 4,18 euros").has_value());  // not mathematics
  EXPECT_FALSE(extract_bare("1\n2").has_value());                // two lines
  EXPECT_EQ(extract_last_number("so P = 1/2 + P/4, which gives 2/3."), "2/3");
}

TEST(MathExtract, AutoPolicyOrder) {
  const AnswerPolicy policy = policy_from_problem({{"answer_policy", "auto"}});
  auto answer = [&policy](std::string_view text) {
    const std::optional<Extraction> found = extract_answer(text, policy);
    return found ? found->answer + " by " + std::string(extractor_name(found->by)) : std::string("nothing");
  };
  EXPECT_EQ(answer("<answer>The answer is 5.</answer> \\boxed{6}"), "5 by answer_tag");
  EXPECT_EQ(answer("<answer> 7 </answer>"), "7 by answer_tag");
  EXPECT_EQ(answer("The answer is 4, so \\boxed{3} and #### 2"), "3 by boxed");
  EXPECT_EQ(answer("The answer is 4.\n#### 2"), "2 by hashes");
  EXPECT_EQ(answer("We get $x = 3$. The answer is 4."), "4 by answer_is");
  EXPECT_EQ(answer("We get $x = 3$ and then $y = 5$, 6 left"), "y = 5 by last_math");
  EXPECT_EQ(answer("-5"), "-5 by bare");
  EXPECT_EQ(answer("she has 42 apples left"), "42 by last_number");
  EXPECT_EQ(answer("no answer here"), "nothing");
  // R1: the answer part after </think> first, the reasoning only when the answer part has nothing.
  EXPECT_EQ(answer("<think>so $7$</think>\n\nThe final answer is 8."), "8 by answer_is");
  EXPECT_EQ(answer("<think>so it is $7$</think>\n\nI am done"), "7 by last_math");
  const AnswerPolicy strict = policy_from_problem({{"answer_policy", "auto"}, {"last_number_fallback", false}});
  EXPECT_EQ(strict.extractors.back(), Extractor::kBare);
}

TEST(MathExtract, ReasoningIsSkippedWhenTheAnswerPartHasOne) {
  const AnswerPolicy policy = policy_from_problem(nullptr);
  EXPECT_EQ(extract_answer("<think>\\boxed{1}</think>\\boxed{2}", policy)->answer, "2");
  // Nothing after </think>: the whole output is searched.
  EXPECT_EQ(extract_answer("<think>\\boxed{1}</think>", policy)->answer, "1");
}

}  // namespace
}  // namespace r1eval::graders::math
