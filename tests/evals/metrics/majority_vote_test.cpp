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
  ASSERT_TRUE(by_math.winner.has_value());
  EXPECT_EQ(*by_math.winner, 0u);
  EXPECT_TRUE(by_math.correct);

  // By string, "2" and "3" each have two votes and "2" came first: the vote goes wrong.
  const VoteResult by_string = majority_vote(samples, exact_answer_match);
  EXPECT_EQ(by_string.classes.size(), 5u);
  EXPECT_EQ(by_string.classes[*by_string.winner].representative, 1u);
  EXPECT_FALSE(by_string.correct);
}

TEST(MajorityVote, TieGoesToTheClassSeenFirst) {
  const std::vector<VoteSample> wrong_first = {answer("a", false), answer("b", true), answer("b", true),
                                               answer("a", false)};
  EXPECT_FALSE(majority_vote(wrong_first, exact_answer_match).correct);
  const std::vector<VoteSample> right_first = {answer("b", true), answer("a", false), answer("a", false),
                                               answer("b", true)};
  EXPECT_TRUE(majority_vote(right_first, exact_answer_match).correct);
}

TEST(MajorityVote, SamplesWithoutAnAnswerDoNotVote) {
  const std::vector<VoteSample> samples = {no_answer(), no_answer(), answer("7", true), no_answer()};
  const VoteResult result = majority_vote(samples, exact_answer_match);
  ASSERT_EQ(result.classes.size(), 1u);
  EXPECT_EQ(result.classes[0].members, (std::vector<std::size_t>{2}));
  EXPECT_TRUE(result.correct);

  const std::vector<VoteSample> silent = {no_answer(), no_answer()};
  const VoteResult none = majority_vote(silent, exact_answer_match);
  EXPECT_TRUE(none.classes.empty());
  EXPECT_FALSE(none.winner.has_value());
  EXPECT_FALSE(none.correct);
  EXPECT_FALSE(majority_vote(std::vector<VoteSample>{}, exact_answer_match).correct);
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
  EXPECT_EQ(result.classes[*result.winner].members, (std::vector<std::size_t>{0, 1}));
  EXPECT_FALSE(result.correct);
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
