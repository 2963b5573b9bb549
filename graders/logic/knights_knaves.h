// Knights-and-Knaves assignments: who is a knight and who a knave, read from the answer part of an output
// ("(1) Sofia is a knave", "Sofia and Alexander are knights", "Sofia is not a knight", ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace r1eval::graders::logic {

struct KnightsKnaves {
  std::vector<std::string> names;
  std::vector<bool> knight;  // true = knight, in names order
};

// The gold assignment: {"names", "solution"} in the problem record or the gold object, or a gold sentence such as
// "Sofia is a knave, and Alexander is a knight." (names taken from the problem when it has them). nullopt when
// the request is not a Knights-and-Knaves one.
std::optional<KnightsKnaves> knights_knaves_gold(const nlohmann::json& gold, const nlohmann::json& problem);

// Per name: 1 knight, 0 knave, -1 not stated. For each name the last mention followed, on the same line, by a
// role word decides ("not a knight" reads as a knave).
std::vector<int> read_roles(std::string_view answer, const std::vector<std::string>& names);

}  // namespace r1eval::graders::logic
