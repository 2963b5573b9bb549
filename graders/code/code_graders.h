// The code graders ("humaneval", "mbpp", "livecodebench"): extract the program from the answer part of the
// output, run it against the problem's tests in the sandbox, and report pass/fail/timeout/... with evidence.
//
// All three share one sandbox per settings, created on first use after a self-check; if the self-check fails,
// creating a grader throws std::runtime_error with a message saying what is wrong (fail closed). grade() is
// thread-safe and never throws for anything the model wrote.
#pragma once

#include <memory>
#include <string>

#include "common/repo_paths.h"
#include "graders/code/sandbox.h"
#include "graders/grader.h"

namespace r1eval::graders::code {

struct CodeGraderSettings {
  SandboxSettings sandbox;  // limits, interpreter, unsafe_no_sandbox (the CLI's --unsafe-no-sandbox)
  int sandbox_retries = 2;  // a sandbox error is retried this many times before it is reported
  // Where requests that carry only problem.task_id (`grade --jsonl` code rows) find their problem records.
  std::string datasets_dir = common::datasets_dir().string();
};

// Process-wide settings used by the registry's factories; set them once at start-up, before creating graders.
void set_code_grader_settings(const CodeGraderSettings& settings);
CodeGraderSettings code_grader_settings();

// A sandbox that passed its self-check (cached per process for the current settings).
std::shared_ptr<const Sandbox> checked_sandbox(const CodeGraderSettings& settings);

std::unique_ptr<Grader> make_humaneval_grader();
std::unique_ptr<Grader> make_mbpp_grader();
std::unique_ptr<Grader> make_livecodebench_grader();
std::unique_ptr<Grader> make_humaneval_grader(const CodeGraderSettings& settings);
std::unique_ptr<Grader> make_mbpp_grader(const CodeGraderSettings& settings);
std::unique_ptr<Grader> make_livecodebench_grader(const CodeGraderSettings& settings);

// The program HumanEval runs: the prompt followed by the completion when it is only a function body, or the
// prompt (for its imports and helper functions) followed by the completion when that defines the entry point.
std::string humaneval_program(const std::string& prompt, const std::string& code, const std::string& entry_point);

}  // namespace r1eval::graders::code
