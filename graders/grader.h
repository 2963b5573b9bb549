// The interface every grader implements: text in, a verdict with its evidence out.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace r1eval::graders {

// Stable codes: they are stored in SQLite. Add new values at the end; never renumber.
enum class Outcome : int {
  kPass = 0,
  kFail = 1,
  kNoAnswer = 2,  // nothing could be extracted
  kTimeout = 3,   // the program (code) or the comparison (math) ran out of time
  kMemoryLimit = 4,
  kOutputLimit = 5,
  kRuntimeError = 6,
  kSandboxError = 7,  // infrastructure failure: retried, never scored as the model's failure
  kFormatError = 8,   // output format violated (R1-Zero tags)
  // Not the model's doing, so never a wrong answer: left out of pass@k and cons@k and counted in error_rate.
  kNotGenerated = 9,  // the backend refused or failed the request (a prompt past the context, an endpoint error)
  kGraderError = 10,  // the grader threw on this sample (a data or grader bug)
};
// Whether an outcome is a verdict on the model's answer (scored) or an infrastructure error (not scored).
bool is_scored(Outcome outcome);
std::string_view outcome_name(Outcome outcome);

struct Verdict {
  bool correct = false;
  std::string extracted;  // what the grader read from the completion
  Outcome outcome = Outcome::kFail;
  std::string detail;     // why: the comparison made, the failing test, the error
};

struct GradeRequest {
  std::string completion;  // the model's output text
  nlohmann::json gold;     // the reference answer (string, number, or structured: tests for code)
  nlohmann::json problem;  // the problem record (prompt, metadata: test lists, entry point...), may be null
};

class Grader {
 public:
  virtual ~Grader() = default;
  virtual std::string_view name() const = 0;
  // Bumped whenever a change can alter a verdict; recorded with every result.
  virtual std::string_view version() const = 0;
  // Never throws for bad model output; throws only for a malformed request (e.g. gold missing).
  virtual Verdict grade(const GradeRequest& request) const = 0;
};

// The registry of named graders, fixed at start-up. Unknown names throw std::invalid_argument with
// "did you mean ...".
std::unique_ptr<Grader> make_grader(std::string_view name);
std::vector<std::string> grader_names();

}  // namespace r1eval::graders
