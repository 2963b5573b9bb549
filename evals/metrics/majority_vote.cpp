#include "evals/metrics/majority_vote.h"

#include <stdexcept>

namespace r1eval::evals::metrics {

bool exact_answer_match(const std::string& a, const std::string& b) { return a == b; }

std::vector<AnswerClass> group_answers(std::span<const VoteSample> samples, const AnswerEquivalence& equivalent) {
  if (!equivalent) throw std::invalid_argument("group_answers: the answer equivalence predicate is empty");
  std::vector<AnswerClass> classes;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (!samples[i].has_answer) continue;
    bool placed = false;
    for (AnswerClass& answer_class : classes) {
      if (equivalent(samples[answer_class.representative].answer, samples[i].answer)) {
        answer_class.members.push_back(i);
        placed = true;
        break;
      }
    }
    if (!placed) classes.push_back(AnswerClass{i, {i}});
  }
  return classes;
}

VoteResult majority_vote(std::span<const VoteSample> samples, const AnswerEquivalence& equivalent) {
  VoteResult result;
  result.classes = group_answers(samples, equivalent);
  // Classes are in order of their first member, so the first class reaching the largest size wins ties.
  for (std::size_t c = 0; c < result.classes.size(); ++c) {
    if (!result.winner || result.classes[c].members.size() > result.classes[*result.winner].members.size()) {
      result.winner = c;
    }
  }
  if (result.winner) result.correct = samples[result.classes[*result.winner].representative].correct;
  return result;
}

}  // namespace r1eval::evals::metrics
