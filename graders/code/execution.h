// Runs a program plus its tests through the harness inside the sandbox and classifies the run into an Outcome,
// from the supervisor's evidence and the harness's nonce-checked record, never from the program's stdout.
#pragma once

#include <string>
#include <vector>

#include "graders/code/sandbox.h"
#include "graders/grader.h"

namespace r1eval::graders::code {

struct CallCase {
  std::string input;   // "a = 1, b = [2,3]" or one JSON value per line
  std::string output;  // a Python/JSON literal
};

struct TestJob {
  enum class Mode { kFunctional, kStdio, kCall };
  Mode mode = Mode::kFunctional;
  std::string program;
  // kFunctional: optional setup code, then test snippets run in the program's namespace (stop at the first failure).
  std::string setup;
  std::vector<std::string> tests;
  // kStdio: the input; the caller compares stdout.
  std::string stdin_data;
  // kCall: Solution-style method calls.
  std::string class_name = "Solution";
  std::string method;
  std::vector<CallCase> cases;
  const SandboxLimits* limits = nullptr;  // overrides the sandbox's limits for this job
};

struct Execution {
  Outcome outcome = Outcome::kSandboxError;  // kPass: all tests passed (kStdio: ran to completion)
  std::string detail;
  int tests_run = 0;
  int tests_passed = 0;
  std::string stdout_text;  // kStdio only
  double wall_seconds = 0.0;
};

// Never throws. Sandbox errors are retried `retries` times before being reported as kSandboxError.
Execution execute(const Sandbox& sandbox, const TestJob& job, int retries = 2);

}  // namespace r1eval::graders::code
