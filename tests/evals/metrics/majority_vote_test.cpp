// cons@k's grouping and vote, with the math grader's equivalence and with hand-made predicates.
#include "evals/metrics/majority_vote.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "graders/math/equivalence.h"

namespace r1eval::evals::metrics {
namespace {

bool math_equivalent(const std::string& a, const std::string& b) {
  return graders::math::answers_equivalent(a, b);
}

VoteSample answer(std::string text, bool correct) { return VoteSample{std::move(text), correct, true}; }
VoteSample no_answer() { return VoteSample{"", false, false}; }

TEST(MajorityVote, EquivalentAnswersWrittenDifferentlyOutvoteRepeatedStrings) {
  const std::vector<VoteSample> samples = {
      answer("1/2", true), answer("2", false), answer("0.5", true), answer("3", false),
      answer("\\frac{1}{2}", true), answer("2", false), answer("3", false),
  };
  const VoteResult by_math = majority_vote(samples, math_equivalent);
  ASSERT_EQ(by_math.classes.size(), 3u);
  EXPECT_EQ(by_math.classes[0].members, (std::vector<std::size_t>{0, 2, 4}));
  EXPECT_EQ(by_math.classes[1].members, (std::vector<std::size_t>{1, 5}));
  EXPECT_EQ(by_math.classes[2].members, (std::vector<std::size_t>{3, 6}));
  EXPECT_EQ(by_math.leaders, (std::vector<std::size_t>{0}));
  EXPECT_EQ(by_math.score, 1.0);

  // By string, "2" and "3" each have two votes and every right answer is spelt differently: both leaders are wrong.
  const VoteResult by_string = majority_vote(samples, exact_answer_match);
  EXPECT_EQ(by_string.classes.size(), 5u);
  ASSERT_EQ(by_string.leaders.size(), 2u);
  EXPECT_EQ(by_string.classes[by_string.leaders[0]].representative, 1u);
  EXPECT_EQ(by_string.classes[by_string.leaders[1]].representative, 3u);
  EXPECT_EQ(by_string.score, 0.0);
}

// Worked by hand: {a, a, b, b} ties a (wrong) and b (right): 1 of 2 leaders right = 0.5, whichever came first.
TEST(MajorityVote, ATieScoresTheShareOfTiedClassesThatAreCorrect) {
  const std::vector<VoteSample> wrong_first = {answer("a", false), answer("b", true), answer("b", true),
                                               answer("a", false)};
  EXPECT_EQ(majority_vote(wrong_first, exact_answer_match).score, 0.5);
  const std::vector<VoteSample> right_first = {answer("b", true), answer("a", false), answer("a", false),
                                               answer("b", true)};
  EXPECT_EQ(majority_vote(right_first, exact_answer_match).score, 0.5);
  // Three singletons, one right: 1/3. {c, c, a, b}: c leads alone and is wrong: 0, even though a and b tie behind.
  EXPECT_DOUBLE_EQ(majority_vote(std::vector<VoteSample>{answer("a", false), answer("b", true), answer("c", false)},
                                 exact_answer_match)
                       .score,
                   1.0 / 3.0);
  EXPECT_EQ(majority_vote(
                std::vector<VoteSample>{answer("c", false), answer("a", false), answer("c", false), answer("b", true)},
                exact_answer_match)
                .score,
            0.0);
  // Four classes of two, two of them right (x, z): 2/4.
  EXPECT_EQ(majority_vote(
                std::vector<VoteSample>{answer("w", false), answer("x", true), answer("y", false), answer("z", true),
                                        answer("z", true), answer("y", false), answer("x", true), answer("w", false)},
                exact_answer_match)
                .score,
            0.5);
}

TEST(MajorityVote, PermutingTheSamplesLeavesTheScoreUnchanged) {
  // Three classes of two (p right, q and r wrong) and a lone s: 1/3 in every one of the 7!/(2!2!2!) orders.
  std::vector<VoteSample> samples = {answer("p", true),  answer("p", true),  answer("q", false), answer("q", false),
                                     answer("r", false), answer("r", false), answer("s", true)};
  std::sort(samples.begin(), samples.end(),
            [](const VoteSample& a, const VoteSample& b) { return a.answer < b.answer; });
  int orders = 0;
  do {
    ASSERT_DOUBLE_EQ(majority_vote(samples, exact_answer_match).score, 1.0 / 3.0) << "order " << orders;
    ++orders;
  } while (std::next_permutation(samples.begin(), samples.end(),
                                 [](const VoteSample& a, const VoteSample& b) { return a.answer < b.answer; }));
  EXPECT_EQ(orders, 630);
}

TEST(MajorityVote, SamplesWithoutAnAnswerDoNotVote) {
  const std::vector<VoteSample> samples = {no_answer(), no_answer(), answer("7", true), no_answer()};
  const VoteResult result = majority_vote(samples, exact_answer_match);
  ASSERT_EQ(result.classes.size(), 1u);
  EXPECT_EQ(result.classes[0].members, (std::vector<std::size_t>{2}));
  EXPECT_EQ(result.score, 1.0);

  const std::vector<VoteSample> silent = {no_answer(), no_answer()};
  const VoteResult none = majority_vote(silent, exact_answer_match);
  EXPECT_TRUE(none.classes.empty());
  EXPECT_TRUE(none.leaders.empty());
  EXPECT_EQ(none.score, 0.0);
  EXPECT_EQ(majority_vote(std::vector<VoteSample>{}, exact_answer_match).score, 0.0);
}

TEST(MajorityVote, TheRepresentativeDecidesCorrectness) {
  // The class is correct or not by its first member, even if a later member was graded otherwise.
  const std::vector<VoteSample> samples = {answer("x", false), answer("X", true), answer("y", true)};
  const auto case_blind = [](const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char p, char q) {
             return std::tolower(static_cast<unsigned char>(p)) == std::tolower(static_cast<unsigned char>(q));
           });
  };
  const VoteResult result = majority_vote(samples, case_blind);
  ASSERT_EQ(result.leaders.size(), 1u);
  EXPECT_EQ(result.classes[result.leaders[0]].members, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(result.score, 0.0);
}

TEST(GroupAnswers, JoinsTheFirstClassWhoseRepresentativeMatches) {
  // "Within 1" is not transitive: 3 is near 2 but not near 1, the representative of 2's class.
  const auto within_one = [](const std::string& a, const std::string& b) {
    return std::abs(std::stoi(a) - std::stoi(b)) <= 1;
  };
  const std::vector<VoteSample> samples = {answer("1", true), answer("2", false), answer("3", false),
                                           answer("4", false)};
  const std::vector<AnswerClass> classes = group_answers(samples, within_one);
  ASSERT_EQ(classes.size(), 2u);
  EXPECT_EQ(classes[0].representative, 0u);
  EXPECT_EQ(classes[0].members, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(classes[1].representative, 2u);
  EXPECT_EQ(classes[1].members, (std::vector<std::size_t>{2, 3}));
}

TEST(GroupAnswers, CallsThePredicateRepresentativeFirst) {
  std::vector<std::pair<std::string, std::string>> calls;
  const auto recording = [&](const std::string& a, const std::string& b) {
    calls.emplace_back(a, b);
    return false;
  };
  const std::vector<VoteSample> samples = {answer("r", true), answer("s", false)};
  group_answers(samples, recording);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0], (std::pair<std::string, std::string>{"r", "s"}));
}

TEST(GroupAnswers, RejectsAnEmptyPredicate) {
  const std::vector<VoteSample> samples = {answer("1", true)};
  EXPECT_THROW(group_answers(samples, AnswerEquivalence{}), std::invalid_argument);
}

}  // namespace
}  // namespace r1eval::evals::metrics
