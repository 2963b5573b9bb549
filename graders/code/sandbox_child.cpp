#include "graders/code/sandbox_child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace r1eval::graders::code {
namespace {

constexpr int kScratchFdBase = 512;  // above every target, so moving fds never clobbers a pending source

// Writes "<what> (errno N)" to the error pipe and exits; only async-signal-safe calls.
[[noreturn]] void fail(int error_fd, const char* what) {
  const int saved = errno;
  char buffer[256];
  std::size_t length = 0;
  for (const char* c = what; *c != '\0' && length < 200; ++c) buffer[length++] = *c;
  const char* suffix = " (errno ";
  for (const char* c = suffix; *c != '\0'; ++c) buffer[length++] = *c;
  char digits[12];
  int count = 0;
  unsigned value = static_cast<unsigned>(saved);
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0 && count < 11);
  while (count > 0) buffer[length++] = digits[--count];
  buffer[length++] = ')';
  if (error_fd >= 0) {
    ssize_t ignored = write(error_fd, buffer, length);
    (void)ignored;
  }
  _exit(127);
}

void join_cgroup(const char* procs, int error_fd) {
  if (procs == nullptr) return;
  const int fd = open(procs, O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail(error_fd, "cannot open the run's cgroup.procs");
  if (write(fd, "0", 1) != 1) fail(error_fd, "cannot join the run's cgroup");
  close(fd);
}

}  // namespace

void run_child(const ChildPlan& plan) {
  int error_fd = plan.error_fd;
  // Joining the cgroups first means bwrap and everything it starts are counted and limited.
  join_cgroup(plan.pids_procs, error_fd);
  join_cgroup(plan.memory_procs, error_fd);
  join_cgroup(plan.cpuacct_procs, error_fd);
  if (setsid() < 0) fail(error_fd, "setsid failed");

  if (error_fd >= 0) {
    error_fd = fcntl(error_fd, F_DUPFD_CLOEXEC, kScratchFdBase + 256);
    if (error_fd < 0) fail(plan.error_fd, "cannot move the error pipe");
  }
  int scratch[64];
  const std::size_t moves = plan.fd_moves.size() < 64 ? plan.fd_moves.size() : 64;
  for (std::size_t i = 0; i < moves; ++i) {
    scratch[i] = fcntl(plan.fd_moves[i].source, F_DUPFD_CLOEXEC, kScratchFdBase);
    if (scratch[i] < 0) fail(error_fd, "cannot duplicate a sandbox fd");
  }
  for (std::size_t i = 0; i < moves; ++i) {
    if (dup2(scratch[i], plan.fd_moves[i].target) < 0) fail(error_fd, "cannot place a sandbox fd");
  }
  // Whatever else this (threaded) process had open must not reach the program.
  if (syscall(SYS_close_range, static_cast<unsigned>(plan.first_closed_fd), ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) != 0) {
    for (int fd = plan.first_closed_fd; fd < kScratchFdBase + 512; ++fd) {
      if (fd != error_fd) fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
  }

  for (const ChildPlan::Limit& limit : plan.rlimits) {
    if (setrlimit(limit.resource, &limit.value) != 0) fail(error_fd, "setrlimit failed");
  }
  if (plan.change_uid) {
    // Raw system calls: only this thread exists, and glibc's set*id broadcast machinery is not signal-safe.
    if (syscall(SYS_setgroups, 0, nullptr) != 0) fail(error_fd, "setgroups failed");
    if (syscall(SYS_setresgid, plan.uid, plan.uid, plan.uid) != 0) fail(error_fd, "setresgid failed");
    if (syscall(SYS_setresuid, plan.uid, plan.uid, plan.uid) != 0) fail(error_fd, "setresuid failed");
  }
  // After the uid change, which clears it. If the supervisor already died, do not start at all.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(error_fd, "prctl(PR_SET_PDEATHSIG) failed");
  if (getppid() != plan.parent) _exit(127);
  if (plan.workdir != nullptr && chdir(plan.workdir) != 0) fail(error_fd, "cannot enter the work directory");

  execve(plan.exe, plan.argv, plan.envp);
  fail(error_fd, "cannot execute the sandbox launcher");
}

}  // namespace r1eval::graders::code
