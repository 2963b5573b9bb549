// Format and reasoning-quality checks against hand-written outputs; expected results follow the R1 / R1-Zero
// templates and the R1 paper's definition of language consistency, not this code.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "graders/format/reasoning_parts.h"
#include "graders/format/reasoning_quality.h"

namespace r1eval::graders::format {
namespace {

struct FormatCase {
  const char* completion;
  bool ok;
};

TEST(FormatCheck, R1ZeroTemplate) {
  const FormatCase cases[] = {
      {"<think> reasoning process here </think> <answer> answer here </answer>", true},
      {"<think>\nstep 1\nstep 2\n</think>\n<answer>\n42\n</answer>\n", true},
      {"  <think>r</think><answer>42</answer><\xEF\xBD\x9C" "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>", true},
      {"<think>r</think> The answer: <answer>42</answer>", false},  // text between the parts
      {"<answer>42</answer> <think>r</think>", false},              // wrong order
      {"<think>r</think> <answer>42</answer> and more", false},     // text after </answer>
      {"Sure! <think>r</think> <answer>42</answer>", false},        // text before <think>
      {"<think>a</think><think>b</think><answer>1</answer>", false},
      {"<think>r</think> <answer>  </answer>", false},               // empty answer
      {"<think> </think> <answer>1</answer>", false},                // empty reasoning
      {"<think>r", false},                                           // stopped while reasoning
      {"42", false},
  };
  for (const FormatCase& c : cases) {
    EXPECT_EQ(format_violations(c.completion, FormatMode::kR1Zero).empty(), c.ok) << c.completion;
  }
}

TEST(FormatCheck, R1TemplateWhereThePromptOpenedThink) {
  const FormatCase cases[] = {
      {"Let me think.\n</think>\n\nThe answer is 4.", true},
      {"<think>\nLet me think.\n</think>\nFour.", true},  // an echoed opening tag is tolerated
      {"Let me think... and think some more", false},     // never closed
      {"r</think>a</think>b", false},
      {"r\n</think>\n", false},                             // empty answer
      {"</think> answer", false},                           // empty reasoning
      {"a <think> b </think> c", false},                    // a second <think> inside
  };
  for (const FormatCase& c : cases) {
    EXPECT_EQ(format_violations(c.completion, FormatMode::kR1).empty(), c.ok) << c.completion;
  }
}

TEST(ReasoningParts, AnswerPartRules) {
  EXPECT_EQ(split_reasoning("<think>a</think> <answer>b</answer>").answer, "b");
  EXPECT_EQ(split_reasoning("<think>a</think> <answer>b</answer>").reasoning, "a");
  EXPECT_EQ(split_reasoning("reason</think>final").answer, "final");
  EXPECT_EQ(split_reasoning("reason</think>final").reasoning, "reason");
  EXPECT_TRUE(split_reasoning("<think>still going").think_unclosed);
  EXPECT_EQ(split_reasoning("<think>still going").answer, "");
  EXPECT_EQ(split_reasoning("no tags at all").answer, "no tags at all");
  EXPECT_EQ(split_reasoning("no tags at all", true).answer, "");  // R1 template: all reasoning, no answer
  EXPECT_EQ(split_reasoning("a</think>b</think>c").answer, "c");   // the last </think> ends the reasoning
  EXPECT_EQ(split_reasoning("x</think><answer>unclosed").answer, "unclosed");
}

TEST(LanguageConsistency, ShareOfTargetLanguageWords) {
  EXPECT_DOUBLE_EQ(count_language("This is all English.", Language::kEnglish).share(), 1.0);
  EXPECT_EQ(count_language("This is all English.", Language::kEnglish).total_words, 4u);
  const LanguageCount chinese =
      count_language("\xE8\xBF\x99\xE6\x98\xAF\xE4\xB8\xAD\xE6\x96\x87", Language::kChinese);  // 这是中文
  EXPECT_EQ(chinese.total_words, 4u);
  EXPECT_DOUBLE_EQ(chinese.share(), 1.0);
  EXPECT_DOUBLE_EQ(count_language("\xE8\xBF\x99\xE6\x98\xAF\xE4\xB8\xAD\xE6\x96\x87", Language::kEnglish).share(), 0.0);
  // "We compute 这个 value": 3 English words of 5.
  EXPECT_DOUBLE_EQ(count_language("We compute \xE8\xBF\x99\xE4\xB8\xAA value", Language::kEnglish).share(), 0.6);
  // LaTeX commands, digits and Greek variables are not words.
  EXPECT_EQ(count_language("\\frac{a}{b} = 3 x", Language::kEnglish).total_words, 3u);
  EXPECT_DOUBLE_EQ(count_language("\\frac{a}{b} = 3 x", Language::kEnglish).share(), 1.0);
  EXPECT_EQ(count_language("Let \xCE\xB1 = 2", Language::kEnglish).total_words, 1u);  // Let α = 2
  EXPECT_DOUBLE_EQ(count_language("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 world", Language::kEnglish).share(),
                   0.5);
  EXPECT_EQ(count_language("\xFF\xFE abc", Language::kEnglish).total_words, 1u);  // invalid UTF-8 is skipped
  EXPECT_EQ(count_language("", Language::kEnglish).total_words, 0u);
  EXPECT_DOUBLE_EQ(count_language("", Language::kEnglish).share(), 1.0);
}

TEST(Repetition, DuplicateNgramsAndLoopingTails) {
  EXPECT_DOUBLE_EQ(measure_repetition("a b c d e f g h").duplicate_ngram_share, 0.0);
  std::string four_times;
  for (int i = 0; i < 4; ++i) four_times += "one two three four five six seven eight ";
  // 32 words give 25 eight-grams, of which 8 are distinct.
  EXPECT_NEAR(measure_repetition(four_times).duplicate_ngram_share, 1.0 - 8.0 / 25.0, 1e-12);

  std::string loop = "Intro. ";
  for (int i = 0; i < 10; ++i) loop += "Wait, let me recheck the sum. ";
  const Repetition r = measure_repetition(loop);
  EXPECT_TRUE(r.looping_tail);
  EXPECT_EQ(r.loop_period, 30u);
  EXPECT_GE(r.loop_bytes, 300u);
  EXPECT_FALSE(measure_repetition("Therefore the answer is 12.....").looping_tail);
  EXPECT_FALSE(measure_repetition("A normal paragraph of reasoning that reaches a conclusion and stops.").looping_tail);
}

TEST(ReasoningQuality, HugeOutputsStayBounded) {
  std::string huge = "<think>";
  for (int i = 0; i < 100000; ++i)
    huge += "step " + std::to_string(i) + " \xE4\xB8\x80 ";  // unique words, one ideograph each
  huge += "\xff</think> <answer>1</answer>";
  const ReasoningQuality q = assess_reasoning(huge, QualityOptions{});
  EXPECT_TRUE(q.format_ok);
  EXPECT_FALSE(q.repetition.looping_tail);
  EXPECT_EQ(q.reasoning_words, 200000u);
  EXPECT_DOUBLE_EQ(q.language_consistency, 0.5);
}

TEST(ReasoningQuality, AssessmentStruct) {
  QualityOptions options;
  const ReasoningQuality good = assess_reasoning("<think>We add two and two.</think> <answer>4</answer>", options);
  EXPECT_TRUE(good.format_ok);
  EXPECT_TRUE(good.has_answer);
  EXPECT_FALSE(good.ended_in_reasoning);
  EXPECT_EQ(good.reasoning_words, 5u);
  EXPECT_EQ(good.answer_bytes, 1u);

  options.mode = FormatMode::kR1;
  const ReasoningQuality cut = assess_reasoning("We add two and \xE4\xBA\x8C", options);  // ...二, never closed
  EXPECT_FALSE(cut.format_ok);
  EXPECT_FALSE(cut.has_answer);
  EXPECT_TRUE(cut.ended_in_reasoning);
  EXPECT_DOUBLE_EQ(cut.language_consistency, 4.0 / 5.0);

  options.truncated = true;
  const ReasoningQuality truncated = assess_reasoning("ok</think>4", options);
  EXPECT_FALSE(truncated.format_ok);
  EXPECT_TRUE(truncated.truncated);
}

TEST(FormatGrader, VerdictsAndRequestOptions) {
  const std::unique_ptr<Grader> grader = make_format_grader();
  EXPECT_EQ(grader->name(), "format");
  const Verdict ok = grader->grade({"<think>r</think> <answer>7</answer>", nullptr, nullptr});
  EXPECT_TRUE(ok.correct);
  EXPECT_EQ(ok.outcome, Outcome::kPass);
  EXPECT_EQ(ok.extracted, "7");
  const Verdict bad = grader->grade({"7", nullptr, nullptr});
  EXPECT_FALSE(bad.correct);
  EXPECT_EQ(bad.outcome, Outcome::kFormatError);
  EXPECT_NE(bad.detail.find("<think> appears 0 times"), std::string::npos) << bad.detail;
  // R1 mode from the gold or from the problem record.
  EXPECT_TRUE(grader->grade({"r</think>7", "r1", nullptr}).correct);
  EXPECT_TRUE(grader->grade({"r</think>7", nullptr, {{"format", "r1"}}}).correct);
  EXPECT_TRUE(grader->grade({"r</think>7", nullptr, {{"meta", {{"format", "r1"}}}}}).correct);
  // Truncation from the runner's finish reason.
  const Verdict truncated =
      grader->grade({"<think>r</think> <answer>7</answer>", nullptr, {{"meta", {{"finish_reason", "length"}}}}});
  EXPECT_FALSE(truncated.correct);
  EXPECT_NE(truncated.detail.find("truncated"), std::string::npos);
  EXPECT_THROW(grader->grade({"x", "r2", nullptr}), std::invalid_argument);
  EXPECT_THROW(grader->grade({"x", nullptr, {{"language", "fr"}}}), std::invalid_argument);
}

}  // namespace
}  // namespace r1eval::graders::format
