// Relations in answers: which side of "x = 5" is the value, what a chain "x = 5+5+1 = 11" states, and the
// interval an inequality in one variable describes.
#pragma once

#include <optional>

#include "graders/math/budget.h"
#include "graders/math/expr.h"

namespace r1eval::graders::math {

// "x = 5", "f(x) = 2x+1", "(p, q) = (3, 2)", "x \in [1,2]": a name, then its value.
bool is_assignment(const Node& node);

// What a chain of equalities answers: its last side. "x = 5+5+1 = 11" is "x = 11", "\frac{6}{12} = \frac12" is
// "\frac12"; an approximation gives way to the exact value before it ("x = \frac13 \approx 0.33" is
// "x = \frac13") and stands for equality when it is all there is ("x \approx 11" is "x = 11"). nullopt when the
// node is no such chain, or is settled already.
std::optional<Node> settle_chain(const Node& node);

// An inequality in one variable as an interval: "x \le 3" is (-\infty, 3], "1 < x \le 2" is (1, 2], and a side
// linear in the variable is solved for it ("-x > -1" is (-\infty, 1), "2x + 3 \ge 7" is [2, \infty)).
// nullopt for anything else. Throws BudgetExceeded.
std::optional<Node> inequality_to_interval(const Node& relation, StepBudget& budget);

}  // namespace r1eval::graders::math
