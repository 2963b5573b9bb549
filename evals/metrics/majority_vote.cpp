#include "evals/metrics/majority_vote.h"

#include <algorithm>
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
  std::size_t largest = 0;
  for (const AnswerClass& answer_class : result.classes) largest = std::max(largest, answer_class.members.size());
  std::size_t correct = 0;
  for (std::size_t c = 0; c < result.classes.size(); ++c) {
    if (result.classes[c].members.size() != largest) continue;
    result.leaders.push_back(c);
    if (samples[result.classes[c].representative].correct) ++correct;
  }
  if (!result.leaders.empty()) {
    result.score = static_cast<double>(correct) / static_cast<double>(result.leaders.size());
  }
  return result;
}

}  // namespace r1eval::evals::metrics
