// The grader registry: one table row per named grader, fixed at compile time (no mutable global state).
#include <algorithm>
#include <vector>
#include <stdexcept>
#include <string>

#include "graders/code/code_graders.h"
#include "graders/format/reasoning_quality.h"
#include "graders/grader.h"
#include "graders/logic/logic_grader.h"
#include "graders/math/math_grader.h"

namespace r1eval::graders {
namespace {

struct GraderEntry {
  std::string_view name;
  std::unique_ptr<Grader> (*factory)();
};

// Sorted by name is not required; grader_names() lists them in this order.
constexpr GraderEntry kGraders[] = {
    {"math", &math::make_math_grader},
    // Code graders run a sandbox self-check when created and throw if it fails (settings:
    // code::set_code_grader_settings, e.g. the CLI's --unsafe-no-sandbox).
    {"humaneval", &code::make_humaneval_grader},
    {"mbpp", &code::make_mbpp_grader},
    {"livecodebench", &code::make_livecodebench_grader},
    {"logic", &logic::make_logic_grader},
    {"format", &format::make_format_grader},
};

// Classic edit distance, for the "did you mean" hint.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::unique_ptr<Grader> make_grader(std::string_view name) {
  for (const GraderEntry& entry : kGraders) {
    if (entry.name == name) return entry.factory();
  }
  std::string_view closest;
  std::size_t best = static_cast<std::size_t>(-1);
  for (const GraderEntry& entry : kGraders) {
    const std::size_t distance = edit_distance(name, entry.name);
    if (distance < best) {
      best = distance;
      closest = entry.name;
    }
  }
  std::string message = "unknown grader '" + std::string(name) + "'";
  if (!closest.empty()) message += " (did you mean '" + std::string(closest) + "'?)";
  throw std::invalid_argument(message);
}

std::vector<std::string> grader_names() {
  std::vector<std::string> names;
  for (const GraderEntry& entry : kGraders) names.emplace_back(entry.name);
  return names;
}

}  // namespace r1eval::graders
