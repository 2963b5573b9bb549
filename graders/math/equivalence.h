// Whether two answers are the same mathematical object.
//
// Both answers are normalized (normalize.h) and parsed (parser.h), then compared by structure:
//   - multiple-choice letters: "(B)", "B", "\text{(B)}" are the letter B;
//   - words ("Monday", "odd"): text, ignoring case and spaces;
//   - numbers and expressions: exactly over the Gaussian rationals (GMP) when both are rational ("0.5" = "\frac12",
//     "10^{3}" = "1000", "3+4i" = "4i+3"); otherwise numerically at seeded points, relative tolerance 1e-9, with
//     every variable given the same pseudo-random value on both sides ("a+b" = "b+a", "2\sqrt2" = "\sqrt8");
//   - "x = 5" against "5": the right-hand side of a "name = value" answer stands for the value ("f(x) = …",
//     "(p, q) = (3, 2)" too); a chain "x = 5+5+1 = 11" is "x = 11", and an approximation gives way to the exact
//     value before it ("x = \frac13 \approx 0.33" is "x = \frac13"; "x \approx 11" alone is "x = 11");
//   - equations against equations: equal when lhs - rhs of one is a non-zero constant multiple of the other's;
//   - inequalities (\le, \leq, <=, ≤, \lt, …) in one variable are intervals ("x \le 3" = "(-\infty, 3]",
//     "5 < x" = "x > 5", "-x > -1" = "x < 1"); other relations compare side by side, with > turned into <;
//   - tuples and intervals: ordered, with matching brackets ("[1,2)" != "[1,2]", "(1,2)" != "(2,1)");
//   - sets "\{…\}", bare lists "1, 2" and "a \pm b": unordered; unions: unordered parts;
//   - matrices (pmatrix, bmatrix, array, …): same shape, elementwise (a column vector also matches a
//     parenthesized tuple); a vmatrix, being a determinant, only matches another vmatrix;
//   - percent: "50\%" matches 50, 50\% and 0.5 (a gold written with % accepts both readings);
//   - decimal commas: against a gold of one number, a predicted "1,22" is 1.22 ("1,000" stays 1000).
// Every comparison runs under a StepBudget (budget.h): huge powers and factorials are refused before they are
// computed, so each call ends in bounded time in any thread. No global mutable state.
#pragma once

#include <string>
#include <string_view>

#include "graders/math/budget.h"

namespace r1eval::graders::math {

struct Equivalence {
  bool equivalent = false;
  std::string method;  // how the decision was made ("exact", "numeric", "text", "choice", "unparsed", ...)
};

// Compares a gold answer with a predicted one (both already extracted). Throws BudgetExceeded when the budget
// runs out.
Equivalence compare_answers(std::string_view gold, std::string_view predicted, StepBudget& budget);

// For majority voting over sampled answers: true when the two extracted answers are the same mathematical
// object under the rules above (symmetric up to the percent rule). Runs under the default budget; a comparison
// that exceeds it counts as "not equivalent".
bool answers_equivalent(std::string_view a, std::string_view b);

}  // namespace r1eval::graders::math
