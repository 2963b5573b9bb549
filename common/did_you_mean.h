// The "did you mean" hint every registry in the project gives for an unknown name (graders, loaders, suites,
// baselines).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace r1eval::common {

// "; did you mean 'y'?" when a known name is close to `name` (a few edits, else one contains the other), otherwise
// "; known names: a, b, c" ("" when nothing is known). Appended to an "unknown X 'name'" message.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& known);

}  // namespace r1eval::common
