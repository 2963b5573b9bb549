// Evaluation of expression trees: exactly over the Gaussian rationals (GMP) when the value is rational, and
// numerically (complex double) at seeded points otherwise. Both charge a StepBudget and refuse huge powers and
// factorials before computing them.
#pragma once

#include <complex>
#include <cstdint>
#include <optional>

#include "graders/math/budget.h"
#include "graders/math/expr.h"
#include "graders/math/rational.h"

namespace r1eval::graders::math {

// Limits checked before computing (beyond them the comparison stops with BudgetExceeded).
inline constexpr std::size_t kMaxExactBits = 1u << 20;      // size of any exact intermediate result
inline constexpr unsigned long kMaxFactorial = 20000;        // n! for n above this is refused

// The exact value, or nullopt when the value is not a Gaussian rational we can compute (a symbol, pi, an
// irrational root, a transcendental function, a structure). Throws BudgetExceeded.
std::optional<GaussianRational> evaluate_exact(const Node& node, StepBudget& budget);

// The value with every symbol replaced by a pseudo-random real in [0.5, 3.5) derived from (symbol name, point):
// the same symbol gets the same value on both sides of a comparison. nullopt when undefined at that point or not
// finite. Throws BudgetExceeded.
std::optional<std::complex<double>> evaluate_numeric(const Node& node, std::uint64_t point, StepBudget& budget);

// +1 for +infinity, -1 for -infinity, 0 otherwise.
int infinity_sign(const Node& node);

}  // namespace r1eval::graders::math
