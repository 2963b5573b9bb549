// Sandbox overhead per program: the same interpreter run directly (fork/exec/wait) and inside the sandbox
// (namespaces, seccomp, rlimits, cgroups, supervisor), and a whole graded run through the harness.
// Overhead = median(BM_SandboxedPython) - median(BM_DirectPython); the target is <= 20 ms. Wall time swings with
// machine load, so each benchmark also reports cpu_ms: CPU time per run of everything it started (the direct
// child's rusage; the sandbox's whole cgroup via cpuacct), which load does not inflate as much.
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>

#include "graders/code/execution.h"
#include "graders/code/sandbox.h"

extern char** environ;

namespace r1eval::graders::code {
namespace {

const char* kPython = "/usr/bin/python3";

const Sandbox& shared_sandbox() {
  static Sandbox sandbox{SandboxSettings{}};
  return sandbox;
}

void BM_DirectPython(benchmark::State& state) {
  char* argv[] = {const_cast<char*>(kPython), const_cast<char*>("-I"), const_cast<char*>("-S"),
                  const_cast<char*>("-B"), const_cast<char*>("-c"), const_cast<char*>("pass"), nullptr};
  double cpu_seconds = 0.0;
  for (auto _ : state) {
    pid_t pid = 0;
    if (posix_spawn(&pid, kPython, nullptr, nullptr, argv, environ) != 0)
      throw std::runtime_error("posix_spawn failed");
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    cpu_seconds += static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                   static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
    benchmark::DoNotOptimize(status);
  }
  state.counters["cpu_ms"] = benchmark::Counter(cpu_seconds * 1e3 / static_cast<double>(state.iterations()));
}

void BM_SandboxedPython(benchmark::State& state) {
  SandboxJob job;
  job.argv = {kPython, "-I", "-S", "-B", "-c", "pass"};
  double cpu_seconds = 0.0;
  for (auto _ : state) {
    const SandboxResult result = shared_sandbox().run(job);
    if (!result.started || result.exit_code != 0)
      state.SkipWithError(("sandbox run failed: " + result.sandbox_error).c_str());
    cpu_seconds += result.cpu_seconds;
  }
  state.counters["cpu_ms"] = benchmark::Counter(cpu_seconds * 1e3 / static_cast<double>(state.iterations()));
}

void BM_SandboxedHarnessRun(benchmark::State& state) {
  TestJob job;
  job.program = "def f(x):\n    return x + 1\n";
  job.tests = {"assert f(1) == 2"};
  for (auto _ : state) {
    const Execution result = execute(shared_sandbox(), job, 0);
    if (result.outcome != Outcome::kPass) state.SkipWithError(("graded run failed: " + result.detail).c_str());
  }
}

BENCHMARK(BM_DirectPython)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(10)->Repetitions(9)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_SandboxedPython)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(10)->Repetitions(9)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_SandboxedHarnessRun)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(10)->Repetitions(9)
    ->ReportAggregatesOnly(true);

}  // namespace
}  // namespace r1eval::graders::code
