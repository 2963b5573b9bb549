// The grader registry: one table row per named grader, fixed at compile time (no mutable global state).
#include <algorithm>
#include <vector>
#include <stdexcept>
#include <string>

#include "common/did_you_mean.h"
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

}  // namespace

std::unique_ptr<Grader> make_grader(std::string_view name) {
  for (const GraderEntry& entry : kGraders) {
    if (entry.name == name) return entry.factory();
  }
  throw std::invalid_argument("unknown grader '" + std::string(name) + "'" +
                              common::did_you_mean(name, grader_names()));
}

std::vector<std::string> grader_names() {
  std::vector<std::string> names;
  for (const GraderEntry& entry : kGraders) names.emplace_back(entry.name);
  return names;
}

}  // namespace r1eval::graders
