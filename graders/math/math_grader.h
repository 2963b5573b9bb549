// The "math" grader: extracts the final answer under the problem's answer policy (extract.h) and compares it
// with the gold answer (equivalence.h).
//
// GradeRequest fields it reads:
//   completion  the model output
//   gold        a string or a number: "\frac{1}{2}"; a full solution (its last \boxed{} or "#### N" is used);
//               "$\frac{1}{2}$" (the math inside); prose that announces its answer ("The final answer is $5$.")
//   problem     null or an object; keys "answer_policy" and "last_number_fallback" (see extract.h)
// Outcomes: pass, fail, no_answer (nothing extracted), timeout (the comparison used its step budget).
#pragma once

#include <memory>

#include "graders/grader.h"

namespace r1eval::graders::math {

// Bumped whenever a change can alter a verdict.
inline constexpr std::string_view kMathGraderVersion = "math-2.0.0";

std::unique_ptr<Grader> make_math_grader();

}  // namespace r1eval::graders::math
