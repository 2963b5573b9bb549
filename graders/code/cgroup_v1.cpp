#include "graders/code/cgroup_v1.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace r1eval::graders::code {
namespace {

constexpr const char* kGroupPrefix = "r1eval-";

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  if (!out) return false;
  out << text;
  out.flush();
  return static_cast<bool>(out);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream stream(text);
  while (std::getline(stream, part, sep)) parts.push_back(part);
  return parts;
}

// The value after `key ` on its own line of a cgroup key/value file (memory.oom_control, pids.events).
std::uint64_t keyed_value(const std::string& text, const std::string& key) {
  for (const std::string& line : split(text, '\n')) {
    if (line.rfind(key + " ", 0) == 0) return std::strtoull(line.c_str() + key.size() + 1, nullptr, 10);
  }
  return 0;
}

std::vector<pid_t> procs_of(const std::string& dir) {
  std::vector<pid_t> pids;
  for (const std::string& line : split(read_file(dir + "/cgroup.procs"), '\n')) {
    if (!line.empty()) pids.push_back(static_cast<pid_t>(std::strtol(line.c_str(), nullptr, 10)));
  }
  return pids;
}

// Kills every member, then waits until the group is empty and removes it (bounded: teardown is asynchronous).
void empty_and_remove(const std::string& dir) {
  if (dir.empty()) return;
  for (int attempt = 0; attempt < 400; ++attempt) {
    std::vector<pid_t> pids = procs_of(dir);
    for (pid_t pid : pids) kill(pid, SIGKILL);
    if (pids.empty() && (rmdir(dir.c_str()) == 0 || errno == ENOENT)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// Directory of this process's own group in the hierarchy that carries `controller`, or "" if none is mounted.
std::string own_group_dir(const std::string& controller) {
  std::string relative;
  bool found = false;
  for (const std::string& line : split(read_file("/proc/self/cgroup"), '\n')) {
    std::vector<std::string> fields = split(line, ':');
    if (fields.size() < 3) continue;
    for (const std::string& name : split(fields[1], ',')) {
      if (name == controller) {
        relative = line.substr(fields[0].size() + fields[1].size() + 2);
        found = true;
      }
    }
  }
  if (!found) return "";
  for (const std::string& line : split(read_file("/proc/self/mountinfo"), '\n')) {
    const std::size_t dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::vector<std::string> after = split(line.substr(dash + 3), ' ');
    if (after.size() < 3 || after[0] != "cgroup") continue;
    bool carries = false;
    for (const std::string& option : split(after[2], ',')) carries = carries || option == controller;
    if (!carries) continue;
    std::vector<std::string> before = split(line.substr(0, dash), ' ');
    if (before.size() < 5) continue;
    const std::string& root = before[3];
    const std::string& mount_point = before[4];
    if (root == "/") return mount_point + (relative == "/" ? "" : relative);
    if (relative.rfind(root, 0) == 0) return mount_point + relative.substr(root.size());
  }
  return "";
}

// Removes groups named r1eval-<pid>-... whose creating process is gone (a supervisor killed mid-run).
void remove_stale_groups(const std::string& parent) {
  DIR* dir = opendir(parent.c_str());
  if (dir == nullptr) return;
  std::vector<std::string> stale;
  while (dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.rfind(kGroupPrefix, 0) != 0) continue;
    const long owner = std::strtol(name.c_str() + std::char_traits<char>::length(kGroupPrefix), nullptr, 10);
    if (owner > 0 && kill(static_cast<pid_t>(owner), 0) != 0 && errno == ESRCH) stale.push_back(parent + "/" + name);
  }
  closedir(dir);
  for (const std::string& path : stale) empty_and_remove(path);
}

// A parent is usable when we can create a child group in it and set the limit file we need.
bool usable_parent(const std::string& parent, const std::string& limit_file, const std::string& value) {
  if (parent.empty()) return false;
  const std::string probe = parent + "/" + kGroupPrefix + std::to_string(getpid()) + "-probe";
  if (mkdir(probe.c_str(), 0755) != 0 && errno != EEXIST) return false;
  const bool ok = write_file(probe + "/" + limit_file, value);
  rmdir(probe.c_str());
  return ok;
}

}  // namespace

CgroupRun::CgroupRun(std::string pids_dir, std::string memory_dir, std::string cpuacct_dir)
    : pids_dir_(std::move(pids_dir)), memory_dir_(std::move(memory_dir)), cpuacct_dir_(std::move(cpuacct_dir)) {
  if (!pids_dir_.empty()) pids_procs_ = pids_dir_ + "/cgroup.procs";
  if (!memory_dir_.empty()) memory_procs_ = memory_dir_ + "/cgroup.procs";
  if (!cpuacct_dir_.empty()) cpuacct_procs_ = cpuacct_dir_ + "/cgroup.procs";
}

CgroupRun::~CgroupRun() {
  empty_and_remove(pids_dir_);
  empty_and_remove(memory_dir_);
  empty_and_remove(cpuacct_dir_);
}

CgroupCounters CgroupRun::counters() const {
  CgroupCounters counters;
  if (!memory_dir_.empty())
    counters.oom_killed = keyed_value(read_file(memory_dir_ + "/memory.oom_control"), "oom_kill") > 0;
  if (!pids_dir_.empty()) counters.pids_refused = keyed_value(read_file(pids_dir_ + "/pids.events"), "max");
  if (!cpuacct_dir_.empty()) {
    const std::string usage = read_file(cpuacct_dir_ + "/cpuacct.usage");
    if (!usage.empty()) counters.cpu_seconds = static_cast<double>(std::strtoull(usage.c_str(), nullptr, 10)) * 1e-9;
  }
  return counters;
}

void CgroupRun::kill_all() const {
  for (const std::string* dir : {&pids_dir_, &memory_dir_, &cpuacct_dir_}) {
    if (dir->empty()) continue;
    for (int attempt = 0; attempt < 400; ++attempt) {
      std::vector<pid_t> pids = procs_of(*dir);
      if (pids.empty()) break;
      for (pid_t pid : pids) kill(pid, SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
}

CgroupV1 CgroupV1::detect() {
  CgroupV1 cgroups;
  const std::string pids = own_group_dir("pids");
  if (usable_parent(pids, "pids.max", "64")) {
    cgroups.pids_parent_ = pids;
    remove_stale_groups(pids);
  }
  const std::string memory = own_group_dir("memory");
  if (usable_parent(memory, "memory.limit_in_bytes", "268435456")) {
    cgroups.memory_parent_ = memory;
    remove_stale_groups(memory);
  }
  const std::string cpuacct = own_group_dir("cpuacct");
  if (usable_parent(cpuacct, "cpuacct.usage", "0")) {
    cgroups.cpuacct_parent_ = cpuacct;
    remove_stale_groups(cpuacct);
  }
  return cgroups;
}

std::string CgroupV1::describe() const {
  std::string text;
  text += has_pids() ? "cgroup v1 pids at " + pids_parent_ : "no writable cgroup v1 pids controller";
  text += "; ";
  text += has_memory() ? "cgroup v1 memory at " + memory_parent_ : "no writable cgroup v1 memory controller";
  text += "; ";
  text += has_cpuacct() ? "cgroup v1 cpuacct at " + cpuacct_parent_ : "no writable cgroup v1 cpuacct controller";
  return text;
}

std::unique_ptr<CgroupRun> CgroupV1::create(const std::string& name, int max_pids, std::uint64_t memory_bytes,
                                            std::string* error) const {
  const std::string group = std::string(kGroupPrefix) + std::to_string(getpid()) + "-" + name;
  std::string pids_dir, memory_dir, cpuacct_dir;
  auto fail = [&](const std::string& why) -> std::unique_ptr<CgroupRun> {
    if (error != nullptr) *error = why;
    if (!pids_dir.empty()) rmdir(pids_dir.c_str());
    if (!memory_dir.empty()) rmdir(memory_dir.c_str());
    if (!cpuacct_dir.empty()) rmdir(cpuacct_dir.c_str());
    return nullptr;
  };
  if (has_pids()) {
    pids_dir = pids_parent_ + "/" + group;
    if (mkdir(pids_dir.c_str(), 0755) != 0) return fail("cannot create cgroup " + pids_dir);
    if (!write_file(pids_dir + "/pids.max", std::to_string(max_pids)))
      return fail("cannot set pids.max in " + pids_dir);
  }
  if (has_memory()) {
    memory_dir = memory_parent_ + "/" + group;
    if (mkdir(memory_dir.c_str(), 0755) != 0) return fail("cannot create cgroup " + memory_dir);
    if (!write_file(memory_dir + "/memory.limit_in_bytes", std::to_string(memory_bytes))) {
      return fail("cannot set memory.limit_in_bytes in " + memory_dir);
    }
    // Without swap accounting this file is absent; then the plain limit is all there is.
    write_file(memory_dir + "/memory.memsw.limit_in_bytes", std::to_string(memory_bytes));
  }
  if (has_cpuacct()) {
    cpuacct_dir = cpuacct_parent_ + "/" + group;
    if (mkdir(cpuacct_dir.c_str(), 0755) != 0) return fail("cannot create cgroup " + cpuacct_dir);
  }
  return std::make_unique<CgroupRun>(pids_dir, memory_dir, cpuacct_dir);
}

}  // namespace r1eval::graders::code
