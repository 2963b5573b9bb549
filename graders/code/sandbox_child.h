// What the forked child does before it becomes bwrap (or, unsafe, the program): everything is computed by the
// parent beforehand, because between fork and exec a threaded program may only make async-signal-safe calls.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <vector>

namespace r1eval::graders::code {

struct FdMove {
  int source;
  int target;
};

struct ChildPlan {
  std::vector<FdMove> fd_moves;  // targets must be distinct and below first_closed_fd
  int first_closed_fd = 0;       // every fd from here on is closed at exec (except error_fd, itself CLOEXEC)
  int error_fd = -1;             // CLOEXEC pipe: a failure before exec writes its reason here
  const char* pids_procs = nullptr;    // cgroup.procs files to join, or null
  const char* memory_procs = nullptr;
  const char* cpuacct_procs = nullptr;
  struct Limit {
    int resource;
    rlimit value;
  };
  std::vector<Limit> rlimits;
  bool change_uid = false;       // root only: become uid:gid (raw syscalls, no supplementary groups)
  uid_t uid = 0;
  const char* workdir = nullptr;  // chdir target (unsafe mode only)
  const char* exe = nullptr;
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  pid_t parent = 0;
};

// Never returns: execs plan.exe or reports on plan.error_fd and _exits with 127.
[[noreturn]] void run_child(const ChildPlan& plan);

}  // namespace r1eval::graders::code
