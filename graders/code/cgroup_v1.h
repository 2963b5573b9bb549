// Per-run cgroup v1 groups (pids and memory) where the hierarchy is writable; the only process-count limit that
// binds root, and a memory limit that does not break threaded programs the way RLIMIT_AS does.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace r1eval::graders::code {

struct CgroupCounters {
  bool oom_killed = false;         // the memory controller killed a process of the run
  std::uint64_t pids_refused = 0;  // forks refused by pids.max
  double cpu_seconds = -1.0;       // CPU time of every process of the run (cpuacct), or -1 when unknown
};

// One run's groups. Created by the parent before fork; the child joins them by writing "0" to each procs file
// (open+write only, which is safe after fork in a threaded program). Destruction kills what is left and removes them.
class CgroupRun {
 public:
  CgroupRun(std::string pids_dir, std::string memory_dir, std::string cpuacct_dir);
  ~CgroupRun();
  CgroupRun(const CgroupRun&) = delete;
  CgroupRun& operator=(const CgroupRun&) = delete;

  // Paths of the cgroup.procs files to join (empty when that controller is unused).
  const std::string& pids_procs() const { return pids_procs_; }
  const std::string& memory_procs() const { return memory_procs_; }
  const std::string& cpuacct_procs() const { return cpuacct_procs_; }
  CgroupCounters counters() const;
  // SIGKILLs every process still in the groups and waits (bounded) until they are empty.
  void kill_all() const;

 private:
  std::string pids_dir_, memory_dir_, cpuacct_dir_, pids_procs_, memory_procs_, cpuacct_procs_;
};

// Which v1 controllers this process may create child groups in. Detected once; thread-safe to use afterwards.
class CgroupV1 {
 public:
  // Probes /proc/self/cgroup and the mounts; removes stale groups left by dead r1eval processes.
  static CgroupV1 detect();

  bool has_pids() const { return !pids_parent_.empty(); }
  bool has_memory() const { return !memory_parent_.empty(); }
  bool has_cpuacct() const { return !cpuacct_parent_.empty(); }
  std::string describe() const;

  // Creates the groups of one run with the given limits; nullptr (and a reason) when creation fails.
  std::unique_ptr<CgroupRun> create(const std::string& name, int max_pids, std::uint64_t memory_bytes,
                                  std::string* error) const;

 private:
  std::string pids_parent_, memory_parent_, cpuacct_parent_;
};

}  // namespace r1eval::graders::code
