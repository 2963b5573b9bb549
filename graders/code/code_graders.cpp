#include "graders/code/code_graders.h"

#include <mutex>
#include <stdexcept>

#include "graders/code/code_extraction.h"
#include "graders/code/code_problems.h"
#include "graders/code/execution.h"
#include "graders/code/livecodebench_tests.h"
#include "graders/code/self_check.h"
#include "graders/format/reasoning_parts.h"
#include "graders/format/reasoning_quality.h"

namespace r1eval::graders::code {
namespace {

std::mutex settings_mutex;
CodeGraderSettings current_settings;

const nlohmann::json& require_object(const GradeRequest& request, const char* grader) {
  if (!request.problem.is_object()) {
    throw std::invalid_argument(std::string(grader) + ": the request has no problem record (prompt and tests)");
  }
  return request.problem;
}

std::string require_string(const nlohmann::json& problem, const char* key, const char* grader) {
  if (!problem.contains(key) || !problem[key].is_string()) {
    throw std::invalid_argument(std::string(grader) + ": the problem record lacks the string field '" + key + "'");
  }
  return problem[key].get<std::string>();
}

bool defines_function(const std::string& code, const std::string& name) {
  for (const std::string prefix : {"def ", "async def "}) {
    const std::string needle = prefix + name + "(";
    for (std::size_t pos = code.find(needle); pos != std::string::npos; pos = code.find(needle, pos + 1)) {
      if (pos == 0 || code[pos - 1] == '\n') return true;
    }
  }
  return false;
}

// Common shape of the three graders: extraction, then a suite-specific job, then the verdict.
class CodeGrader : public Grader {
 public:
  CodeGrader(std::shared_ptr<const Sandbox> sandbox, const CodeGraderSettings& settings)
      : sandbox_(std::move(sandbox)), retries_(settings.sandbox_retries), datasets_dir_(settings.datasets_dir) {}

  Verdict grade(const GradeRequest& original) const override {
    // A row that names only its task gets the bundled problem record.
    GradeRequest resolved;
    const bool only_task_id = original.problem.is_object() && original.problem.size() == 1 &&
                              original.problem.contains("task_id");
    if (only_task_id) {
      resolved = {original.completion, original.gold,
                  find_code_problem(name(), original.problem["task_id"], datasets_dir_)};
    }
    const GradeRequest& request = only_task_id ? resolved : original;
    Verdict verdict;
    const format::ReasoningParts parts = format::request_parts(request);
    const ExtractedCode extracted = extract_code_from_answer(parts.answer);
    verdict.extracted = extracted.code;
    if (extracted.code.empty()) {
      verdict.outcome = Outcome::kNoAnswer;
      verdict.detail = parts.think_unclosed
                           ? "no code: the output ended inside <think>"
                           : "no code found in the answer";
      return verdict;
    }
    return run(request, extracted.code, verdict);
  }

 protected:
  virtual Verdict run(const GradeRequest& request, const std::string& code, Verdict verdict) const = 0;

  Verdict finish(Verdict verdict, const Execution& execution) const {
    verdict.outcome = execution.outcome;
    verdict.correct = execution.outcome == Outcome::kPass;
    verdict.detail = execution.detail;
    return verdict;
  }

  const Sandbox& sandbox() const { return *sandbox_; }
  int retries() const { return retries_; }

 private:
  std::shared_ptr<const Sandbox> sandbox_;
  int retries_;
  std::string datasets_dir_;
};

class HumanEvalGrader final : public CodeGrader {
 public:
  using CodeGrader::CodeGrader;
  std::string_view name() const override { return "humaneval"; }
  std::string_view version() const override { return "humaneval-1"; }

 protected:
  Verdict run(const GradeRequest& request, const std::string& code, Verdict verdict) const override {
    const nlohmann::json& problem = require_object(request, "humaneval");
    const std::string prompt = require_string(problem, "prompt", "humaneval");
    const std::string entry = require_string(problem, "entry_point", "humaneval");
    const std::string test = require_string(problem, "test", "humaneval");
    TestJob job;
    job.program = humaneval_program(prompt, code, entry);
    job.tests = {test + "\n\ncheck(" + entry + ")\n"};
    return finish(std::move(verdict), execute(sandbox(), job, retries()));
  }
};

class MbppGrader final : public CodeGrader {
 public:
  using CodeGrader::CodeGrader;
  std::string_view name() const override { return "mbpp"; }
  std::string_view version() const override { return "mbpp-1"; }

 protected:
  Verdict run(const GradeRequest& request, const std::string& code, Verdict verdict) const override {
    const nlohmann::json& problem = require_object(request, "mbpp");
    const nlohmann::json& tests = problem.contains("test_list") ? problem["test_list"] : request.gold;
    if (!tests.is_array() || tests.empty()) {
      throw std::invalid_argument("mbpp: the problem record has no test_list (and the gold is not a list of asserts)");
    }
    TestJob job;
    job.program = code;
    if (problem.contains("test_imports") && problem["test_imports"].is_array()) {
      for (const nlohmann::json& line : problem["test_imports"]) job.setup += line.get<std::string>() + "\n";
    }
    if (problem.contains("test_setup_code") && problem["test_setup_code"].is_string()) {
      job.setup += problem["test_setup_code"].get<std::string>() + "\n";
    }
    for (const nlohmann::json& t : tests) {
      if (!t.is_string()) throw std::invalid_argument("mbpp: test_list holds a non-string entry");
      job.tests.push_back(t.get<std::string>());
    }
    return finish(std::move(verdict), execute(sandbox(), job, retries()));
  }
};

class LiveCodeBenchGrader final : public CodeGrader {
 public:
  using CodeGrader::CodeGrader;
  std::string_view name() const override { return "livecodebench"; }
  std::string_view version() const override { return "livecodebench-1"; }

 protected:
  Verdict run(const GradeRequest& request, const std::string& code, Verdict verdict) const override {
    const LiveCodeBenchTests tests = livecodebench_tests(require_object(request, "livecodebench"));
    if (tests.functional) {
      TestJob job;
      job.mode = TestJob::Mode::kCall;
      job.program =
          "from typing import *\nfrom collections import *\nfrom functools import *\nfrom itertools import *\n"
          "from heapq import *\nfrom bisect import *\nimport math\n" +
          code;
      job.method = tests.method;
      job.cases = tests.cases;
      return finish(std::move(verdict), execute(sandbox(), job, retries()));
    }
    // One sandbox run per sample: the program owns its real stdin and stdout.
    for (std::size_t i = 0; i < tests.cases.size(); ++i) {
      TestJob job;
      job.mode = TestJob::Mode::kStdio;
      job.program = code;
      job.stdin_data = tests.cases[i].input;
      const Execution execution = execute(sandbox(), job, retries());
      if (execution.outcome != Outcome::kPass) {
        Verdict failed = finish(verdict, execution);
        failed.detail = "sample " + std::to_string(i + 1) + ": " + failed.detail;
        return failed;
      }
      if (!stdout_matches(execution.stdout_text, tests.cases[i].output)) {
        verdict.outcome = Outcome::kFail;
        verdict.detail = "sample " + std::to_string(i + 1) + ": wrong output (expected " +
                         std::string(format::trim(tests.cases[i].output)).substr(0, 200) + ", got " +
                         std::string(format::trim(execution.stdout_text)).substr(0, 200) + ")";
        return verdict;
      }
    }
    verdict.outcome = Outcome::kPass;
    verdict.correct = true;
    verdict.detail = "passed " + std::to_string(tests.cases.size()) + "/" + std::to_string(tests.cases.size()) +
                     " sample tests";
    return verdict;
  }
};

std::string settings_key(const CodeGraderSettings& s) {
  const SandboxLimits& l = s.sandbox.limits;
  std::string key = s.sandbox.bwrap + "|" + s.sandbox.python + "|" + std::to_string(s.sandbox.unsafe_no_sandbox) + "|" +
                    std::to_string(s.sandbox.drop_root_to_slot_uid) + "|" + std::to_string(s.sandbox.host_uid_base) +
                    "|" + std::to_string(l.wall_seconds) + "|" + std::to_string(l.cpu_seconds) + "|" +
                    std::to_string(l.memory_bytes) + "|" + std::to_string(l.tmpfs_bytes) + "|" +
                    std::to_string(l.file_size_bytes) + "|" + std::to_string(l.open_files) + "|" +
                    std::to_string(l.processes) + "|" + std::to_string(l.stdout_bytes) + "|" +
                    std::to_string(l.stderr_bytes);
  for (const std::string& bind : s.sandbox.extra_ro_binds) key += "|" + bind;
  return key;
}

}  // namespace

std::string humaneval_program(const std::string& prompt, const std::string& code, const std::string& entry_point) {
  if (defines_function(code, entry_point)) return prompt + "\n\n" + code + "\n";
  // A body: indent it when the model dropped the indentation of its first line.
  std::string body = code;
  const std::size_t first = body.find_first_not_of("\r\n");
  if (first != std::string::npos && body[first] != ' ' && body[first] != '\t') {
    std::string indented;
    std::size_t pos = 0;
    while (pos < body.size()) {
      const std::size_t end = std::min(body.find('\n', pos), body.size());
      const std::string line = body.substr(pos, end - pos);
      indented += (line.empty() ? "" : "    ") + line + "\n";
      pos = end + 1;
    }
    body = indented;
  }
  return prompt + body + "\n";
}

void set_code_grader_settings(const CodeGraderSettings& settings) {
  std::lock_guard lock(settings_mutex);
  current_settings = settings;
}

CodeGraderSettings code_grader_settings() {
  std::lock_guard lock(settings_mutex);
  return current_settings;
}

std::shared_ptr<const Sandbox> checked_sandbox(const CodeGraderSettings& settings) {
  static std::mutex mutex;
  static std::string cached_key;
  static std::shared_ptr<const Sandbox> cached;
  std::lock_guard lock(mutex);
  const std::string key = settings_key(settings);
  if (cached && cached_key == key) return cached;
  auto sandbox = std::make_shared<const Sandbox>(settings.sandbox);
  const SelfCheck check = run_self_check(*sandbox);
  if (!check.ok) throw std::runtime_error(check.message());
  cached = sandbox;
  cached_key = key;
  return cached;
}

std::unique_ptr<Grader> make_humaneval_grader(const CodeGraderSettings& settings) {
  return std::make_unique<HumanEvalGrader>(checked_sandbox(settings), settings);
}
std::unique_ptr<Grader> make_mbpp_grader(const CodeGraderSettings& settings) {
  return std::make_unique<MbppGrader>(checked_sandbox(settings), settings);
}
std::unique_ptr<Grader> make_livecodebench_grader(const CodeGraderSettings& settings) {
  return std::make_unique<LiveCodeBenchGrader>(checked_sandbox(settings), settings);
}
std::unique_ptr<Grader> make_humaneval_grader() { return make_humaneval_grader(code_grader_settings()); }
std::unique_ptr<Grader> make_mbpp_grader() { return make_mbpp_grader(code_grader_settings()); }
std::unique_ptr<Grader> make_livecodebench_grader() { return make_livecodebench_grader(code_grader_settings()); }

}  // namespace r1eval::graders::code
