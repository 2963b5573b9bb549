// Runs one untrusted program in a bubblewrap sandbox under a supervisor of our own, and reports what happened
// from evidence the program cannot forge: the wait status, rusage, cgroup counters, bwrap's status fd, a
// wall-clock deadline, output caps, and a result channel (fd 4) that is not stdout.
//
// Layers (see notes/reliability.md §3.1): separate user/pid/net/ipc/uts/cgroup/mount namespaces, a read-only /usr,
// no /etc, home or project directory, a size-limited tmpfs work directory (/tmp) and /dev/shm, a cleared
// environment, uid 65534 inside, --die-with-parent, a seccomp deny-list, rlimits (CPU, file size, open files,
// core, processes), cgroup v1 pids and memory limits where writable, and, when the supervisor runs as root, an
// unprivileged host uid per concurrent run (root ignores RLIMIT_NPROC and bwrap maps the sandbox to the caller).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace r1eval::graders::code {

struct SandboxLimits {
  double wall_seconds = 10.0;                   // supervisor's deadline; the whole sandbox is killed at it
  int cpu_seconds = 10;                         // RLIMIT_CPU soft limit (hard = soft + 1)
  std::uint64_t memory_bytes = 1ull << 30;      // memory cgroup limit, or RLIMIT_AS without one
  std::uint64_t tmpfs_bytes = 64ull << 20;      // /tmp (the work directory) and /dev/shm, each
  std::uint64_t file_size_bytes = 64ull << 20;  // RLIMIT_FSIZE
  int open_files = 256;                         // RLIMIT_NOFILE
  int processes = 64;                           // pids.max (threads count) and RLIMIT_NPROC
  std::size_t stdout_bytes = 8u << 20;          // more is an output-limit kill
  std::size_t stderr_bytes = 1u << 20;
};

struct SandboxSettings {
  SandboxLimits limits;
  std::string bwrap = "/usr/bin/bwrap";
  std::string python = "/usr/bin/python3";  // must live under /usr or an extra read-only bind
  std::vector<std::string> extra_ro_binds;   // e.g. a virtual environment's prefix
  // Runs programs directly on the host with only rlimits, a process group and a temporary directory. For people
  // who know what they do (the CLI's --unsafe-no-sandbox); never chosen automatically.
  bool unsafe_no_sandbox = false;
  // Root only: run each sandbox as host uid host_uid_base + slot (no such user needs to exist).
  bool drop_root_to_slot_uid = true;
  unsigned host_uid_base = 3'000'000;
};

struct SandboxFile {
  std::string name;     // placed read-only at /sandbox/<name>
  std::string content;
};

struct SandboxJob {
  std::vector<SandboxFile> files;
  std::vector<std::string> argv;  // argv[0] is an absolute path inside the sandbox, e.g. the interpreter
  std::string stdin_data;
  std::string control;            // readable once on fd 3: for a harness, never for the program
  const SandboxLimits* limits = nullptr;  // overrides the settings' limits when set
};

struct SandboxResult {
  bool started = false;       // the program was executed inside a working sandbox
  std::string sandbox_error;  // why not (infrastructure: retry, never score)
  bool wall_timeout = false;
  bool cpu_timeout = false;
  bool output_limit = false;
  bool oom_killed = false;
  std::uint64_t forks_refused = 0;
  int exit_code = -1;  // when it exited
  int signal = 0;      // when a signal ended it
  double wall_seconds = 0.0;
  double cpu_seconds = 0.0;
  std::string stdout_text;  // up to the cap
  std::string stderr_text;  // up to the cap
  std::string record;       // what arrived on fd 4 (capped at 1 MiB)
};

// Which isolation layers are active on this machine (they differ between hosts, and between root and non-root).
struct SandboxMechanisms {
  bool bwrap = false;          // namespaces, read-only system, tmpfs work dir, seccomp (false: unsafe mode)
  bool pids_cgroup = false;
  bool memory_cgroup = false;  // false: memory is limited by RLIMIT_AS
  bool cpuacct_cgroup = false;
  bool root = false;           // the supervisor runs as root
  bool slot_uids = false;      // root drops each run to an exclusive unprivileged host uid
};

class Sandbox {
 public:
  // Builds the seccomp program and detects cgroups; throws std::runtime_error if that fails.
  explicit Sandbox(SandboxSettings settings);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Thread-safe; never throws for anything the program does.
  SandboxResult run(const SandboxJob& job) const;

  const SandboxSettings& settings() const;
  SandboxMechanisms mechanisms() const;
  // One line naming the active mechanisms (for logs, reports and the self-check).
  std::string describe() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace r1eval::graders::code
