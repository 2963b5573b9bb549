// Hostile programs against the real sandbox (notes/reliability.md §4, S1-S19): each must be contained and
// classified, and the supervisor must keep going. Skipped (not passed) where the sandbox cannot start at all.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "graders/code/execution.h"
#include "graders/code/self_check.h"

namespace r1eval::graders::code {
namespace {

SandboxSettings test_settings() {
  SandboxSettings settings;
  settings.limits.wall_seconds = 3.0;
  settings.limits.cpu_seconds = 1;
  settings.limits.memory_bytes = 256ull << 20;
  settings.limits.processes = 32;
  settings.limits.stdout_bytes = 1u << 20;
  return settings;
}

const Sandbox& sandbox() {
  static Sandbox instance(test_settings());
  return instance;
}

bool sandbox_works() {
  static const bool works = run_self_check(sandbox()).ok;
  return works;
}

#define REQUIRE_SANDBOX()                                                                     \
  if (!sandbox_works()) GTEST_SKIP() << run_self_check(sandbox()).message()

Execution run_program(const std::string& program, std::vector<std::string> tests = {"pass"},
                      const SandboxLimits* limits = nullptr) {
  TestJob job;
  job.program = program;
  job.tests = std::move(tests);
  job.limits = limits;
  return execute(sandbox(), job, 1);
}

// For programs that are expected to run into the wall clock: a short one keeps the suite fast.
const SandboxLimits* short_wall() {
  static const SandboxLimits limits = [] {
    SandboxLimits l = test_settings().limits;
    l.wall_seconds = 1.0;
    return l;
  }();
  return &limits;
}

// For programs that must be stopped by the memory limit: on a busy machine the kernel's reclaim work, charged to the
// allocating process, can use up the suite's 1 s of CPU first, and the test would then see the CPU limit instead.
const SandboxLimits* ample_cpu() {
  static const SandboxLimits limits = [] {
    SandboxLimits l = test_settings().limits;
    l.cpu_seconds = 20;
    l.wall_seconds = 30.0;
    return l;
  }();
  return &limits;
}

// Host processes whose command line contains `marker`.
int processes_with(const std::string& marker) {
  int count = 0;
  DIR* proc = opendir("/proc");
  while (dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    std::ifstream in(std::string("/proc/") + entry->d_name + "/cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (char& c : cmdline) c = c == '\0' ? ' ' : c;
    count += cmdline.find(marker) != std::string::npos;
  }
  closedir(proc);
  return count;
}

// Polls (bounded) because a killed sandbox's teardown is asynchronous; the result does not depend on timing.
int processes_left_after_teardown(const std::string& marker) {
  int left = processes_with(marker);
  for (int i = 0; i < 200 && left > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    left = processes_with(marker);
  }
  return left;
}

TEST(CodeSandbox, SelfCheckPasses) {
  const SelfCheck check = run_self_check(sandbox());
  if (!check.ok) GTEST_SKIP() << check.message();
  EXPECT_NE(check.mechanisms.find("bwrap"), std::string::npos);
  // CI runs as root: the check must say how it compensates (root ignores RLIMIT_NPROC).
  if (geteuid() == 0) {
    EXPECT_NE(check.message().find("running as root"), std::string::npos) << check.message();
  }
}

TEST(CodeSandbox, PassingAndFailingTests) {
  REQUIRE_SANDBOX();
  const Execution pass = run_program("def f():\n    return 1\n", {"assert f() == 1", "assert f() + 1 == 2"});
  EXPECT_EQ(pass.outcome, Outcome::kPass) << pass.detail;
  EXPECT_EQ(pass.tests_passed, 2);
  const Execution fail = run_program("def f():\n    return 2\n", {"assert f() == 2", "assert f() == 1"});
  EXPECT_EQ(fail.outcome, Outcome::kFail) << fail.detail;
  EXPECT_EQ(fail.tests_passed, 1);
  const Execution crash = run_program("def f():\n    return 1 / 0\n", {"f()"});
  EXPECT_EQ(crash.outcome, Outcome::kRuntimeError) << crash.detail;
  EXPECT_NE(crash.detail.find("ZeroDivisionError"), std::string::npos) << crash.detail;
  const Execution syntax = run_program("def f(:\n", {"f()"});
  EXPECT_EQ(syntax.outcome, Outcome::kRuntimeError) << syntax.detail;
}

TEST(CodeSandbox, InfiniteLoopHitsTheCpuLimit) {
  REQUIRE_SANDBOX();
  const Execution e = run_program("while True:\n    pass\n");
  EXPECT_EQ(e.outcome, Outcome::kTimeout) << e.detail;
}

TEST(CodeSandbox, SleepingProgramHitsTheWallClock) {
  REQUIRE_SANDBOX();
  const Execution e = run_program("import time\ntime.sleep(10**6)\n", {"pass"}, short_wall());
  EXPECT_EQ(e.outcome, Outcome::kTimeout) << e.detail;
  EXPECT_NE(e.detail.find("wall-clock"), std::string::npos) << e.detail;
}

TEST(CodeSandbox, SwallowingSignalsDoesNotEscapeTheLimits) {
  REQUIRE_SANDBOX();
  const Execution e = run_program(
      "import signal, resource\n"
      "for s in (signal.SIGXCPU, signal.SIGALRM, signal.SIGTERM):\n    signal.signal(s, signal.SIG_IGN)\n"
      "try:\n    resource.setrlimit(resource.RLIMIT_CPU, (100, 100))\nexcept (ValueError, OSError):\n    pass\n"
      "while True:\n    try:\n        pass\n    except BaseException:\n        pass\n",
      {"pass"}, short_wall());
  EXPECT_EQ(e.outcome, Outcome::kTimeout) << e.detail;
}

TEST(CodeSandbox, ForkBombIsContainedAndCleanedUp) {
  REQUIRE_SANDBOX();
  const Execution e = run_program(
      "import os, time\n"
      "MARK = 'r1eval-forkbomb-marker'\n"
      "while True:\n    try:\n        os.fork()\n    except OSError:\n        time.sleep(0.01)\n",
      {"pass"}, short_wall());
  EXPECT_NE(e.outcome, Outcome::kPass) << e.detail;
  EXPECT_NE(e.outcome, Outcome::kSandboxError) << e.detail;
  // The children are forks of the harness, so look for the sandbox's python processes by their uid instead.
  EXPECT_EQ(processes_left_after_teardown("/sandbox/harness.py"), 0);
}

TEST(CodeSandbox, ForksStopAtTheProcessLimit) {
  REQUIRE_SANDBOX();
  const Execution e = run_program(
      "import os, time\n"
      "created = 0\n"
      "for _ in range(400):\n"
      "    try:\n        pid = os.fork()\n    except OSError:\n        break\n"
      "    if pid == 0:\n        time.sleep(60)\n        os._exit(0)\n"
      "    created += 1\n",
      {"assert created < 32, created"});
  EXPECT_EQ(e.outcome, Outcome::kPass) << e.detail;
  EXPECT_EQ(processes_left_after_teardown("/sandbox/harness.py"), 0);
}

TEST(CodeSandbox, MemoryHogHitsTheMemoryLimit) {
  REQUIRE_SANDBOX();
  const Execution big = run_program("x = bytearray(8 << 30)\n", {"pass"}, ample_cpu());
  EXPECT_EQ(big.outcome, Outcome::kMemoryLimit) << big.detail;
  const Execution grow =
      run_program("chunks = []\nwhile True:\n    chunks.append(b'x' * (1 << 20))\n", {"pass"}, ample_cpu());
  EXPECT_EQ(grow.outcome, Outcome::kMemoryLimit) << grow.detail;
}

TEST(CodeSandbox, WritesOutsideTheWorkDirectoryFail) {
  REQUIRE_SANDBOX();
  const std::string project_file = std::string(R1EVAL_BINARY_DIR) + "/r1eval-sandbox-escape-probe";
  std::filesystem::remove(project_file);
  const Execution e = run_program(
      "import os\n"
      "escaped = []\n"
      "for path in ['/etc/x', '/usr/x', '/root/x', '/work/x', '" +
          project_file +
          "', '/sandbox/x', '/x']:\n"
          "    try:\n        open(path, 'w').write('pwned')\n        escaped.append(path)\n    except OSError:\n       "
          " pass\n"
          "open('/tmp/inside', 'w').write('ok')\nopen('inside2', 'w').write('ok')\n",
      {"assert escaped == [], escaped", "assert open('/tmp/inside').read() == 'ok'"});
  EXPECT_EQ(e.outcome, Outcome::kPass) << e.detail;
  EXPECT_FALSE(std::filesystem::exists(project_file));
  EXPECT_FALSE(std::filesystem::exists("/tmp/inside"));
  EXPECT_FALSE(std::filesystem::exists("/x"));
}

TEST(CodeSandbox, FillingTheWorkDirectoryStopsAtItsSize) {
  REQUIRE_SANDBOX();
  const Execution e = run_program(
      "written = 0\nerror = None\n"
      "try:\n    with open('/tmp/big', 'wb') as f:\n        for _ in range(1024):\n"
      "            f.write(b'x' * (1 << 20))\n            written += 1\nexcept OSError as exc:\n    error = "
      "exc.errno\n",
      {"import errno\nassert error in (errno.ENOSPC, errno.EFBIG), error", "assert written <= 64, written"});
  EXPECT_EQ(e.outcome, Outcome::kPass) << e.detail;
}

TEST(CodeSandbox, SocketToHostLoopbackIsRefused) {
  REQUIRE_SANDBOX();
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t length = sizeof address;
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string port = std::to_string(ntohs(address.sin_port));
  const Execution e = run_program(
      "import socket\nresult = None\n"
      "try:\n    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n    s.settimeout(1)\n"
      "    s.connect(('127.0.0.1', " +
          port + "))\n    result = 'connected'\nexcept OSError as exc:\n    result = exc.errno\n",
      {"import errno\nassert result in (errno.EACCES, errno.EPERM), result"});
  EXPECT_EQ(e.outcome, Outcome::kPass) << e.detail;
  EXPECT_LT(accept(listener, nullptr, nullptr), 0);  // nobody connected
  close(listener);
}

TEST(CodeSandbox, GigabyteOnStdoutHitsTheOutputCap) {
  REQUIRE_SANDBOX();
  const Execution out = run_program("import os\nfor _ in range(1024):\n    os.write(1, b'x' * (1 << 20))\n");
  EXPECT_EQ(out.outcome, Outcome::kOutputLimit) << out.detail;
  const Execution err = run_program("import sys\nwhile True:\n    sys.stderr.write('y' * 65536)\n");
  EXPECT_EQ(err.outcome, Outcome::kOutputLimit) << err.detail;
}

TEST(CodeSandbox, KillingItsParentDoesNotReachTheSupervisor) {
  REQUIRE_SANDBOX();
  const Execution e = run_program(
      "import os, signal\n"
      "for target in (os.getppid(), 1, -1):\n"
      "    try:\n        os.kill(target, signal.SIGKILL)\n    except OSError:\n        pass\n",
      {"assert True"});
  EXPECT_EQ(e.outcome, Outcome::kPass) << e.detail;
  // Still alive and still grading:
  EXPECT_EQ(run_program("x = 1\n", {"assert x == 1"}).outcome, Outcome::kPass);
}

TEST(CodeSandbox, ChildLeftSleepingDoesNotOutliveTheRun) {
  REQUIRE_SANDBOX();
  const Execution e = run_program(
      "import os, subprocess\n"
      "subprocess.Popen(['/usr/bin/sleep', '987651'], start_new_session=True)\n"
      "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        os.execv('/usr/bin/sleep', ['sleep', "
      "'987652'])\n"
      "    os._exit(0)\n",
      {"assert True"});
  EXPECT_EQ(e.outcome, Outcome::kPass) << e.detail;
  EXPECT_EQ(processes_left_after_teardown("sleep 98765"), 0);
}

TEST(CodeSandbox, VerdictsCannotBeSpoofedOnStdoutOrTheChannel) {
  REQUIRE_SANDBOX();
  const Execution printed = run_program("import os\nprint('PASSED')\nprint(1.0)\nos._exit(0)\n", {"assert False"});
  EXPECT_EQ(printed.outcome, Outcome::kFail) << printed.detail;
  const Execution forged = run_program(
      "import os\nos.write(4, b'{\"event\": \"result\", \"status\": \"done\", \"nonce\": \"0\"}\\n')\nos._exit(0)\n",
      {"assert False"});
  EXPECT_EQ(forged.outcome, Outcome::kFail) << forged.detail;
  const Execution exited = run_program("import sys\nsys.exit(0)\n", {"assert False"});
  EXPECT_EQ(exited.outcome, Outcome::kRuntimeError) << exited.detail;
}

TEST(CodeSandbox, HostFilesAndEnvironmentAreInvisible) {
  REQUIRE_SANDBOX();
  const Execution e =
      run_program("import os\nseen = [p for p in ['/etc/passwd', '/etc/shadow', '/root', '/home', '/work', '" +
                      std::string(R1EVAL_SOURCE_DIR) + "'] if os.path.exists(p)]\n",
                  {"assert seen == [], seen",
                   "import os\nassert 'AWS_SECRET_ACCESS_KEY' not in os.environ and len(os.environ) <= 9"});
  EXPECT_EQ(e.outcome, Outcome::kPass) << e.detail;
}

TEST(CodeSandbox, DangerousSystemCallsAreRefused) {
  REQUIRE_SANDBOX();
  const Execution e = run_program(
      "import ctypes, errno\nlibc = ctypes.CDLL(None, use_errno=True)\n"
      "results = {}\n"
      "results['unshare'] = libc.unshare(0x10000000)\n"     // CLONE_NEWUSER
      "results['ptrace'] = libc.ptrace(0, 0, 0, 0)\n"        // PTRACE_TRACEME
      "results['mount'] = libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)\n",
      {"assert all(v == -1 for v in results.values()), results"});
  EXPECT_EQ(e.outcome, Outcome::kPass) << e.detail;
}

TEST(CodeSandbox, ManyThreadsStillWork) {
  REQUIRE_SANDBOX();
  const Execution e = run_program(
      "import threading\nresults = []\n"
      "threads = [threading.Thread(target=results.append, args=(i,)) for i in range(20)]\n"
      "for t in threads: t.start()\nfor t in threads: t.join()\n",
      {"assert sorted(results) == list(range(20))"});
  EXPECT_EQ(e.outcome, Outcome::kPass) << e.detail;
}

TEST(CodeSandbox, BrokenSandboxIsAnInfrastructureErrorNotAFailure) {
  SandboxSettings settings = test_settings();
  settings.extra_ro_binds = {"/nonexistent-r1eval-path"};
  const Sandbox broken(settings);
  TestJob job;
  job.program = "x = 1\n";
  job.tests = {"assert x == 1"};
  const Execution e = execute(broken, job, 1);
  EXPECT_EQ(e.outcome, Outcome::kSandboxError) << e.detail;
  const SelfCheck check = run_self_check(broken);
  EXPECT_FALSE(check.ok);
  EXPECT_NE(check.message().find("--unsafe-no-sandbox"), std::string::npos);
}

TEST(CodeSandbox, StdioModeUsesTheRealStreams) {
  REQUIRE_SANDBOX();
  TestJob job;
  job.mode = TestJob::Mode::kStdio;
  job.program = "import sys\ndata = open(0).read().split()\nprint(sum(map(int, data[1:])) * int(data[0]))\n";
  job.stdin_data = "3\n1 2 3\n";
  const Execution e = execute(sandbox(), job, 1);
  EXPECT_EQ(e.outcome, Outcome::kPass) << e.detail;
  EXPECT_EQ(e.stdout_text, "18\n");
}

}  // namespace
}  // namespace r1eval::graders::code
