// A deterministic work budget for one comparison: a step counter instead of a clock or a signal, so the same
// inputs always stop at the same point in any thread.
#pragma once

#include <cstdint>
#include <stdexcept>

namespace r1eval::graders::math {

// Thrown when a comparison has used its budget; the grader reports Outcome::kTimeout.
class BudgetExceeded : public std::runtime_error {
 public:
  BudgetExceeded() : std::runtime_error("the comparison exceeded its step budget") {}
};

class StepBudget {
 public:
  explicit StepBudget(std::int64_t steps) : remaining_(steps) {}
  // Charges `steps` units of work; throws BudgetExceeded once the budget is spent.
  void charge(std::int64_t steps = 1) {
    remaining_ -= steps;
    if (remaining_ < 0) throw BudgetExceeded();
  }
  std::int64_t remaining() const { return remaining_; }

 private:
  std::int64_t remaining_;
};

// Default budget per comparison: generous for real answers (a MATH answer uses well under 10^4 steps), small
// enough that a hostile answer is refused in milliseconds.
inline constexpr std::int64_t kDefaultComparisonSteps = 2'000'000;

}  // namespace r1eval::graders::math
