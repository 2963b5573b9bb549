// cons@k: majority vote over a problem's k sampled answers, with answers grouped by an equivalence predicate
// (the grader's: "1/2", "0.5" and "\frac{1}{2}" are one answer) rather than by string.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace r1eval::evals::metrics {

// Whether two extracted answers are the same answer. Called as equivalent(representative, candidate).
using AnswerEquivalence = std::function<bool(const std::string&, const std::string&)>;

// The default predicate: the same string.
bool exact_answer_match(const std::string& a, const std::string& b);

// One sample as the vote sees it.
struct VoteSample {
  std::string answer;       // the grader's extracted answer
  bool correct = false;     // graded correct against the gold answer
  bool has_answer = false;  // false: nothing could be extracted; the sample does not vote
};

// A class of equivalent answers; indices point into the samples given to group_answers.
struct AnswerClass {
  std::size_t representative = 0;    // the class's first member
  std::vector<std::size_t> members;  // in sample order, representative first
};

// Groups the samples that have an answer, in sample order: a sample joins the first class whose representative it
// is equivalent to, else opens a new class. The relation need not be transitive; this rule makes the result
// depend only on the order of the samples. Throws std::invalid_argument for an empty predicate.
std::vector<AnswerClass> group_answers(std::span<const VoteSample> samples, const AnswerEquivalence& equivalent);

struct VoteResult {
  std::vector<AnswerClass> classes;  // as group_answers returns them
  // The classes that share the largest size, by index into classes (in order); empty when no sample has an answer.
  std::vector<std::size_t> leaders;
  // The share of the leaders that are correct (a class is correct when its representative is): 1 or 0 for a clear
  // winner, a fraction for a tie, 0 when no sample has an answer.
  double score = 0.0;
};

// The largest class wins. A tie among several largest classes is not broken by sample order, which would make the
// figure depend on the order the samples came in: the problem scores the share of the tied classes that are
// correct (two tied classes, one right: 0.5). A problem with no answer at all scores 0.
VoteResult majority_vote(std::span<const VoteSample> samples, const AnswerEquivalence& equivalent);

}  // namespace r1eval::evals::metrics
