#include "graders/code/execution.h"

#include <csignal>
#include <cstring>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/json_limits.h"
#include "graders/code/harness_source.h"

namespace r1eval::graders::code {
namespace {

std::string make_nonce() {
  thread_local std::random_device device;
  std::ostringstream text;
  text << std::hex;
  for (int i = 0; i < 4; ++i) text << device();
  return text.str();
}

std::string seconds_text(double seconds) {
  std::ostringstream text;
  text << seconds;
  return text.str();
}

std::string tail(const std::string& text, std::size_t n) {
  std::string part = text.size() > n ? text.substr(text.size() - n) : text;
  while (!part.empty() && (part.back() == '\n' || part.back() == '\r' || part.back() == ' ')) part.pop_back();
  return part;
}

// The harness's job as netstrings ("<length>:<bytes>,"), key then value; repeated keys form lists.
class ControlWriter {
 public:
  void add(std::string_view key, std::string_view value) {
    put(key);
    put(value);
  }
  std::string take() { return std::move(text_); }

 private:
  void put(std::string_view item) {
    text_ += std::to_string(item.size());
    text_ += ':';
    text_ += item;
    text_ += ',';
  }
  std::string text_;
};

std::string control_of(const TestJob& job, const std::string& nonce) {
  ControlWriter control;
  control.add("nonce", nonce);
  control.add("program", job.program);
  switch (job.mode) {
    case TestJob::Mode::kFunctional:
      control.add("mode", "functional");
      control.add("setup", job.setup);
      for (const std::string& test : job.tests) control.add("test", test);
      break;
    case TestJob::Mode::kStdio:
      control.add("mode", "stdio");
      break;
    case TestJob::Mode::kCall:
      control.add("mode", "call");
      control.add("class", job.class_name);
      control.add("method", job.method);
      for (const CallCase& c : job.cases) {
        control.add("case_input", c.input);
        control.add("case_output", c.output);
      }
      break;
  }
  return control.take();
}

struct Record {
  bool started = false;
  int results = 0;
  bool malformed = false;
  nlohmann::json result;
};

// Lines of JSON on fd 4; only lines carrying our nonce count. A second result line means someone else wrote one.
Record parse_record(const std::string& text, const std::string& nonce) {
  Record record;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    nlohmann::json doc = common::parse_untrusted_json_or_discarded(line);
    if (doc.is_discarded() || !doc.is_object() || doc.value("nonce", std::string()) != nonce) {
      record.malformed = true;
      continue;
    }
    const std::string event = doc.value("event", std::string());
    if (event == "start") record.started = true;
    if (event == "result") {
      ++record.results;
      record.result = std::move(doc);
    }
  }
  return record;
}

std::string signal_name(int signal) {
  const char* name = sigabbrev_np(signal);
  return name != nullptr ? std::string("SIG") + name : "signal " + std::to_string(signal);
}

Execution classify(const SandboxResult& run, const Record& record, const SandboxLimits& limits) {
  Execution e;
  e.wall_seconds = run.wall_seconds;
  if (!run.started || !record.started) {
    e.outcome = Outcome::kSandboxError;
    e.detail = !run.sandbox_error.empty()
                   ? run.sandbox_error
                   : "the harness did not start inside the sandbox" +
                         (run.stderr_text.empty() ? std::string() : ": " + tail(run.stderr_text, 400));
    return e;
  }
  if (run.output_limit) {
    e.outcome = Outcome::kOutputLimit;
    e.detail = "output exceeded the cap (stdout " + std::to_string(limits.stdout_bytes) + " bytes, stderr " +
               std::to_string(limits.stderr_bytes) + " bytes)";
    return e;
  }
  if (run.wall_timeout) {
    e.outcome = Outcome::kTimeout;
    e.detail = "wall-clock limit of " + seconds_text(limits.wall_seconds) + " s exceeded";
    return e;
  }
  if (run.oom_killed) {
    e.outcome = Outcome::kMemoryLimit;
    e.detail = "killed by the memory limit (" + std::to_string(limits.memory_bytes >> 20) + " MiB)";
    return e;
  }
  if (run.cpu_timeout) {
    e.outcome = Outcome::kTimeout;
    e.detail = "CPU time limit of " + std::to_string(limits.cpu_seconds) + " s exceeded";
    return e;
  }
  if (record.results > 1) {
    e.outcome = Outcome::kFail;
    e.detail = "more than one result record on the harness channel (forged by the program)";
    return e;
  }
  if (record.results == 1) {
    const nlohmann::json& r = record.result;
    const std::string status = r.value("status", std::string());
    e.tests_run = r.value("tests_run", 0);
    e.tests_passed = r.value("tests_passed", 0);
    const std::string error = r.value("error", std::string());
    const std::string where =
        r.contains("test") ? "test " + std::to_string(r.value("test", 0)) : r.value("phase", std::string("program"));
    if (status == "done") {
      e.outcome = Outcome::kPass;
      e.detail = "passed " + std::to_string(e.tests_passed) + "/" + std::to_string(e.tests_run) + " tests";
    } else if (status == "failed") {
      e.outcome = Outcome::kFail;
      e.detail = where + " failed" + (error.empty() ? std::string() : ": " + error);
    } else if (status == "memory_error") {
      e.outcome = Outcome::kMemoryLimit;
      e.detail = "MemoryError in " + where;
    } else if (status == "bad_test") {
      e.outcome = Outcome::kSandboxError;
      e.detail = "the reference test " + where + " could not be parsed: " + error;
    } else {
      e.outcome = Outcome::kRuntimeError;
      e.detail = where + " raised " + error;
    }
    return e;
  }
  // No result: the process ended before the harness finished.
  if (run.signal != 0) {
    e.outcome = Outcome::kRuntimeError;
    e.detail = "killed by " + signal_name(run.signal) + (run.forks_refused > 0 ? " (process limit reached)" : "");
  } else if (run.exit_code == 0) {
    e.outcome = Outcome::kFail;
    e.detail = "the program exited before the tests finished (no result record)";
  } else {
    e.outcome = Outcome::kRuntimeError;
    e.detail = "exited with code " + std::to_string(run.exit_code) + " before the tests finished" +
               (run.stderr_text.empty() ? std::string() : ": " + tail(run.stderr_text, 400));
  }
  return e;
}

}  // namespace

Execution execute(const Sandbox& sandbox, const TestJob& job, int retries) {
  Execution execution;
  for (int attempt = 0; attempt <= retries; ++attempt) {
    try {
      const std::string nonce = make_nonce();
      SandboxJob sandbox_job;
      sandbox_job.files = {{"harness.py", std::string(harness_source())}};
      // -S: no site module, so no host sitecustomize hooks and no .pth scanning on every run.
      sandbox_job.argv = {sandbox.settings().python, "-I", "-S", "-B", "/sandbox/harness.py"};
      sandbox_job.control = control_of(job, nonce);
      sandbox_job.stdin_data = job.stdin_data;
      sandbox_job.limits = job.limits;
      const SandboxResult run = sandbox.run(sandbox_job);
      execution = classify(run, parse_record(run.record, nonce),
                           job.limits != nullptr ? *job.limits : sandbox.settings().limits);
      if (job.mode == TestJob::Mode::kStdio) execution.stdout_text = run.stdout_text;
    } catch (const std::exception& error) {
      execution = Execution{};
      execution.outcome = Outcome::kSandboxError;
      execution.detail = std::string("sandbox error: ") + error.what();
    }
    if (execution.outcome != Outcome::kSandboxError) return execution;
  }
  execution.detail += " (after " + std::to_string(retries + 1) + " attempts)";
  return execution;
}

}  // namespace r1eval::graders::code
