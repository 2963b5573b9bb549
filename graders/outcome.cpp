// Names of the stable outcome codes, as printed by `r1eval grade` and stored beside the codes, and which of them
// are verdicts on the model.
#include "graders/grader.h"

namespace r1eval::graders {

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass: return "pass";
    case Outcome::kFail: return "fail";
    case Outcome::kNoAnswer: return "no_answer";
    case Outcome::kTimeout: return "timeout";
    case Outcome::kMemoryLimit: return "memory_limit";
    case Outcome::kOutputLimit: return "output_limit";
    case Outcome::kRuntimeError: return "runtime_error";
    case Outcome::kSandboxError: return "sandbox_error";
    case Outcome::kFormatError: return "format_error";
    case Outcome::kNotGenerated: return "not_generated";
    case Outcome::kGraderError: return "grader_error";
  }
  return "unknown";
}

bool is_scored(Outcome outcome) {
  return outcome != Outcome::kNotGenerated && outcome != Outcome::kGraderError && outcome != Outcome::kSandboxError;
}

}  // namespace r1eval::graders
