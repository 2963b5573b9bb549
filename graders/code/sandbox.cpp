#include "graders/code/sandbox.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "graders/code/cgroup_v1.h"
#include "graders/code/sandbox_child.h"
#include "graders/code/seccomp_filter.h"
#include "graders/code/unique_fd.h"

namespace r1eval::graders::code {
namespace {

using Clock = std::chrono::steady_clock;

// Fixed fd layout inside the sandbox (what the harness relies on).
constexpr int kStdinFd = 0, kStdoutFd = 1, kStderrFd = 2, kControlFd = 3, kRecordFd = 4;
constexpr int kStatusFd = 5, kSeccompFd = 6, kFirstDataFd = 7;
constexpr std::size_t kRecordCap = 1u << 20;
constexpr std::size_t kStatusCap = 64u << 10;
constexpr int kSlots = 256;
constexpr double kDrainSeconds = 1.0;  // after the launcher exits, how long stray pipe writers may linger

// Variables the program sees; nothing else from the host environment reaches it.
const std::vector<std::pair<std::string, std::string>> kEnvironment = {
    {"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}, {"LANG", "C.UTF-8"}, {"MALLOC_ARENA_MAX", "2"},
    {"OMP_NUM_THREADS", "1"}, {"OPENBLAS_NUM_THREADS", "1"}, {"PYTHONDONTWRITEBYTECODE", "1"},
};

// Host uid slots, exclusive machine-wide: a run holds an flock on <dir>/<slot>.lock for its duration, so two
// grading processes never run sandboxes under the same host uid (which would share RLIMIT_NPROC counts and could
// signal each other). Only used when the supervisor is root and drops to host_uid_base + slot.
class HostUidLease {
 public:
  explicit HostUidLease(unsigned offset) {
    static const std::string dir = [] {
      const std::string path = "/run/r1eval-uid-slots";
      mkdir(path.c_str(), 0700);
      return path;
    }();
    for (int round = 0;; ++round) {
      for (int k = 0; k < kSlots; ++k) {
        const int slot = static_cast<int>((offset + static_cast<unsigned>(k)) % kSlots);
        UniqueFd fd(open((dir + "/" + std::to_string(slot) + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
        if (!fd.valid())
          throw std::runtime_error("cannot open a uid slot lock in " + dir + ": " + std::strerror(errno));
        if (flock(fd.get(), LOCK_EX | LOCK_NB) == 0) {
          slot_ = slot;
          fd_ = std::move(fd);
          return;
        }
      }
      if (round > 1000) throw std::runtime_error("no free sandbox uid slot in " + dir + " for 10 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  int slot() const { return slot_; }

 private:
  int slot_ = -1;
  UniqueFd fd_;  // closing it releases the lock
};

UniqueFd memfd_with(const char* name, std::string_view content) {
  UniqueFd fd(memfd_create(name, MFD_CLOEXEC));
  if (!fd.valid()) throw std::runtime_error(std::string("memfd_create failed: ") + std::strerror(errno));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(std::string("writing a memfd failed: ") + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  if (lseek(fd.get(), 0, SEEK_SET) != 0) throw std::runtime_error("rewinding a memfd failed");
  return fd;
}

struct Pipe {
  UniqueFd read_end, write_end;
};

Pipe make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2 failed: ") + std::strerror(errno));
  Pipe p{UniqueFd(fds[0]), UniqueFd(fds[1])};
  fcntl(p.read_end.get(), F_SETFL, O_NONBLOCK);
  return p;
}

// Number of tasks (threads count too) owned by `uid`: RLIMIT_NPROC counts them all, so a non-root supervisor's
// limit has to sit above what the user already runs.
int tasks_of_uid(uid_t uid) {
  int count = 0;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return 0;
  while (dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    const std::string task_dir = std::string("/proc/") + entry->d_name + "/task";
    struct stat info {};
    if (stat(task_dir.c_str(), &info) != 0 || info.st_uid != uid) continue;
    if (DIR* tasks = opendir(task_dir.c_str())) {
      while (dirent* task = readdir(tasks)) count += task->d_name[0] != '.';
      closedir(tasks);
    }
  }
  closedir(proc);
  return count;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

std::string bytes_arg(std::uint64_t n) { return std::to_string(n); }

// A stream the supervisor drains: the program's stdout/stderr (kill at the cap) or a channel (keep the prefix).
struct Drain {
  int fd;
  std::string* sink;
  std::size_t cap;
  bool kill_at_cap;
  bool open = true;
};

}  // namespace

struct Sandbox::State {
  SandboxSettings settings;
  std::vector<std::uint8_t> seccomp_bpf;
  CgroupV1 cgroups;
  bool root = geteuid() == 0;
  mutable std::atomic<std::uint64_t> runs{0};

  SandboxResult run(const SandboxJob& job) const;
};

Sandbox::Sandbox(SandboxSettings settings) : state_(std::make_unique<State>()) {
  state_->settings = std::move(settings);
  if (!state_->settings.unsafe_no_sandbox) state_->seccomp_bpf = build_seccomp_bpf();
  state_->cgroups = CgroupV1::detect();
}

Sandbox::~Sandbox() = default;

const SandboxSettings& Sandbox::settings() const { return state_->settings; }

SandboxMechanisms Sandbox::mechanisms() const {
  SandboxMechanisms m;
  m.bwrap = !state_->settings.unsafe_no_sandbox;
  m.pids_cgroup = state_->cgroups.has_pids();
  m.memory_cgroup = state_->cgroups.has_memory();
  m.cpuacct_cgroup = state_->cgroups.has_cpuacct();
  m.root = state_->root;
  m.slot_uids = state_->root && state_->settings.drop_root_to_slot_uid;
  return m;
}

std::string Sandbox::describe() const {
  const SandboxSettings& s = state_->settings;
  std::string text = s.unsafe_no_sandbox ? "UNSAFE: no sandbox (rlimits and a process group only)"
                                         : "bwrap (user/pid/net/ipc/uts/cgroup/mount namespaces, seccomp deny-list)";
  text += "; " + state_->cgroups.describe();
  if (state_->root) {
    text += s.drop_root_to_slot_uid ? "; root: runs as host uid " + std::to_string(s.host_uid_base) + "+slot"
                                    : "; root: runs as root (RLIMIT_NPROC does not bind)";
  }
  return text;
}

SandboxResult Sandbox::run(const SandboxJob& job) const {
  try {
    return state_->run(job);
  } catch (const std::exception& error) {
    SandboxResult result;
    result.sandbox_error = error.what();
    return result;
  }
}

SandboxResult Sandbox::State::run(const SandboxJob& job) const {
  const SandboxLimits& limits = job.limits != nullptr ? *job.limits : settings.limits;
  const bool unsafe = settings.unsafe_no_sandbox;
  SandboxResult result;
  if (job.argv.empty()) throw std::invalid_argument("sandbox job has an empty argv");

  const std::uint64_t run_number = runs.fetch_add(1);
  const bool change_uid = root && settings.drop_root_to_slot_uid;
  std::optional<HostUidLease> lease;
  if (change_uid) lease.emplace(static_cast<unsigned>(getpid()) + static_cast<unsigned>(run_number));
  const uid_t uid =
      change_uid ? static_cast<uid_t>(settings.host_uid_base + static_cast<unsigned>(lease->slot())) : geteuid();

  std::string cgroup_error;
  std::unique_ptr<CgroupRun> cgroup;
  if (cgroups.has_pids() || cgroups.has_memory() || cgroups.has_cpuacct()) {
    cgroup = cgroups.create(std::to_string(run_number), limits.processes,
                            limits.memory_bytes, &cgroup_error);
    if (!cgroup) throw std::runtime_error(cgroup_error);
  }

  // Channels and inputs.
  Pipe out = make_pipe(), err = make_pipe(), record = make_pipe(), status = make_pipe(), exec_error = make_pipe();
  UniqueFd stdin_fd = memfd_with("r1eval-stdin", job.stdin_data);
  UniqueFd control_fd = memfd_with("r1eval-control", job.control);
  std::vector<FdMove> moves = {{stdin_fd.get(), kStdinFd},  {out.write_end.get(), kStdoutFd},
                               {err.write_end.get(), kStderrFd}, {control_fd.get(), kControlFd},
                               {record.write_end.get(), kRecordFd}};

  std::vector<std::string> args;
  std::vector<std::string> env;
  std::vector<UniqueFd> data_fds;
  UniqueFd seccomp_fd;
  std::string workdir;
  int next_fd = kFirstDataFd;
  if (!unsafe) {
    seccomp_fd = memfd_with("r1eval-seccomp",
                            std::string_view(reinterpret_cast<const char*>(seccomp_bpf.data()), seccomp_bpf.size()));
    moves.push_back({status.write_end.get(), kStatusFd});
    moves.push_back({seccomp_fd.get(), kSeccompFd});
    args = {settings.bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
            "--new-session", "--cap-drop", "ALL", "--hostname", "sandbox",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin"};
    for (const std::string& path : settings.extra_ro_binds) args.insert(args.end(), {"--ro-bind", path, path});
    args.insert(args.end(), {"--proc", "/proc", "--dev", "/dev", "--size", bytes_arg(limits.tmpfs_bytes), "--tmpfs",
                             "/tmp", "--size", bytes_arg(limits.tmpfs_bytes), "--tmpfs", "/dev/shm"});
    for (const SandboxFile& file : job.files) {
      if (file.name.empty() || file.name.find('/') != std::string::npos || file.name[0] == '.') {
        throw std::invalid_argument("sandbox file name '" + file.name + "' must be a plain file name");
      }
      data_fds.push_back(memfd_with("r1eval-file", file.content));
      moves.push_back({data_fds.back().get(), next_fd});
      args.insert(args.end(), {"--ro-bind-data", std::to_string(next_fd), "/sandbox/" + file.name});
      ++next_fd;
    }
    // The root (bwrap's own tmpfs holding the mount points) becomes read-only; /tmp and /dev/shm stay writable.
    args.insert(args.end(), {"--remount-ro", "/", "--chdir", "/tmp", "--clearenv"});
    for (const auto& [key, value] : kEnvironment) args.insert(args.end(), {"--setenv", key, value});
    args.insert(args.end(), {"--uid", "65534", "--gid", "65534", "--seccomp", std::to_string(kSeccompFd),
                             "--json-status-fd", std::to_string(kStatusFd), "--"});
    args.insert(args.end(), job.argv.begin(), job.argv.end());
  } else {
    char pattern[] = "/tmp/r1eval-unsafe-XXXXXX";
    if (mkdtemp(pattern) == nullptr) throw std::runtime_error("cannot create a temporary work directory");
    workdir = pattern;
    for (const SandboxFile& file : job.files) {
      std::ofstream(workdir + "/" + file.name, std::ios::binary) << file.content;
    }
    if (change_uid && chown(workdir.c_str(), uid, uid) != 0)
      throw std::runtime_error("cannot chown the work directory");
    for (const std::string& arg : job.argv) {
      args.push_back(arg.rfind("/sandbox/", 0) == 0 ? workdir + "/" + arg.substr(9) : arg);
    }
    for (const auto& [key, value] : kEnvironment) env.push_back(key + "=" + value);
  }
  std::vector<char*> argv = c_strings(args);
  std::vector<char*> envp = c_strings(env);

  ChildPlan plan;
  plan.fd_moves = moves;
  plan.first_closed_fd = next_fd;
  plan.error_fd = exec_error.write_end.get();
  if (cgroup) {
    plan.pids_procs = cgroup->pids_procs().empty() ? nullptr : cgroup->pids_procs().c_str();
    plan.memory_procs = cgroup->memory_procs().empty() ? nullptr : cgroup->memory_procs().c_str();
    plan.cpuacct_procs = cgroup->cpuacct_procs().empty() ? nullptr : cgroup->cpuacct_procs().c_str();
  }
  auto limit = [&](int resource, std::uint64_t soft, std::uint64_t hard) {
    plan.rlimits.push_back({resource, rlimit{static_cast<rlim_t>(soft), static_cast<rlim_t>(hard)}});
  };
  limit(RLIMIT_CPU, static_cast<std::uint64_t>(limits.cpu_seconds), static_cast<std::uint64_t>(limits.cpu_seconds) + 1);
  limit(RLIMIT_FSIZE, limits.file_size_bytes, limits.file_size_bytes);
  limit(RLIMIT_NOFILE, static_cast<std::uint64_t>(limits.open_files), static_cast<std::uint64_t>(limits.open_files));
  limit(RLIMIT_CORE, 0, 0);
  if (change_uid) {
    limit(RLIMIT_NPROC, static_cast<std::uint64_t>(limits.processes), static_cast<std::uint64_t>(limits.processes));
  } else if (!root) {
    const auto nproc = static_cast<std::uint64_t>(tasks_of_uid(uid) + limits.processes);
    limit(RLIMIT_NPROC, nproc, nproc);
  }
  if (!cgroups.has_memory()) limit(RLIMIT_AS, limits.memory_bytes, limits.memory_bytes);
  plan.change_uid = change_uid;
  plan.uid = uid;
  plan.workdir = workdir.empty() ? nullptr : workdir.c_str();
  plan.exe = argv[0];
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.parent = getpid();

  const Clock::time_point start = Clock::now();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) run_child(plan);

  UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  // Only the child may hold the write ends, so EOF means every writer is gone.
  out.write_end.reset();
  err.write_end.reset();
  record.write_end.reset();
  status.write_end.reset();
  exec_error.write_end.reset();
  stdin_fd.reset();
  control_fd.reset();
  seccomp_fd.reset();
  data_fds.clear();

  std::string status_text, exec_error_text;
  std::vector<Drain> drains = {{out.read_end.get(), &result.stdout_text, limits.stdout_bytes, true},
                               {err.read_end.get(), &result.stderr_text, limits.stderr_bytes, true},
                               {record.read_end.get(), &result.record, kRecordCap, false},
                               {status.read_end.get(), &status_text, kStatusCap, false},
                               {exec_error.read_end.get(), &exec_error_text, 4096, false}};
  const Clock::time_point deadline = start + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(limits.wall_seconds));
  Clock::time_point drain_deadline{};
  bool exited = false, killed = false;
  int wait_status = 0;
  rusage usage{};
  auto kill_tree = [&] {
    if (killed) return;
    killed = true;
    kill(pid, SIGKILL);
    killpg(pid, SIGKILL);
    if (cgroup) cgroup->kill_all();
  };
  auto reap = [&](bool block) {
    const pid_t got = wait4(pid, &wait_status, block ? 0 : WNOHANG, &usage);
    if (got == pid) {
      exited = true;
      drain_deadline =
          Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(kDrainSeconds));
    }
  };

  char buffer[65536];
  while (true) {
    const Clock::time_point now = Clock::now();
    if (!exited && now >= deadline && !killed) {
      result.wall_timeout = true;
      kill_tree();
    }
    const bool any_open = std::any_of(drains.begin(), drains.end(), [](const Drain& d) { return d.open; });
    if (exited && (!any_open || now >= drain_deadline)) break;

    std::vector<pollfd> fds;
    for (const Drain& d : drains) {
      if (d.open) fds.push_back({d.fd, POLLIN, 0});
    }
    const bool watch_pid = !exited && pidfd.valid();
    if (watch_pid) fds.push_back({pidfd.get(), POLLIN, 0});
    const Clock::time_point until = exited ? drain_deadline : (killed ? now + std::chrono::milliseconds(50) : deadline);
    auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1;
    if (!pidfd.valid() && !exited) wait_ms = std::min<long long>(wait_ms, 10);
    const int ready = poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(wait_ms, 0)));
    if (ready < 0 && errno != EINTR) break;

    for (Drain& d : drains) {
      if (!d.open) continue;
      const auto it = std::find_if(fds.begin(), fds.end(), [&](const pollfd& p) { return p.fd == d.fd; });
      if (it == fds.end() || it->revents == 0) continue;
      const ssize_t n = read(d.fd, buffer, sizeof buffer);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) {
        d.open = false;
        continue;
      }
      const std::size_t room = d.cap - std::min(d.cap, d.sink->size());
      d.sink->append(buffer, std::min(room, static_cast<std::size_t>(n)));
      if (static_cast<std::size_t>(n) > room && d.kill_at_cap && !result.output_limit) {
        result.output_limit = true;
        kill_tree();
      }
    }
    if (!exited && (!watch_pid || (fds.back().revents & POLLIN) != 0)) reap(false);
    if (!exited && killed && Clock::now() >= deadline + std::chrono::seconds(5)) reap(true);
  }
  if (!exited) {
    kill_tree();
    reap(true);
  }
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  if (cgroup) {
    const CgroupCounters counters = cgroup->counters();
    result.oom_killed = counters.oom_killed;
    result.forks_refused = counters.pids_refused;
    // rusage misses processes reaped inside the pid namespace; the cgroup sees them all.
    if (counters.cpu_seconds >= 0.0) result.cpu_seconds = std::max(result.cpu_seconds, counters.cpu_seconds);
    cgroup->kill_all();  // a straggler (unsafe mode: a setsid grandchild) must not outlive the run
    cgroup.reset();
  }
  if (!workdir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(workdir, ignored);
  }

  if (!exec_error_text.empty()) {
    result.sandbox_error = "sandbox launch failed: " + exec_error_text;
    return result;
  }
  // bwrap writes {"child-pid": N, ...} once the sandbox is set up; without it the program never ran.
  result.started = unsafe || status_text.find("\"child-pid\"") != std::string::npos;
  if (!result.started && !result.wall_timeout) {
    std::string why = result.stderr_text.substr(0, 500);
    while (!why.empty() && (why.back() == '\n' || why.back() == '\r')) why.pop_back();
    result.sandbox_error = "bwrap could not set up the sandbox" + (why.empty() ? std::string() : ": " + why);
  } else if (!result.started) {
    result.sandbox_error = "the sandbox did not come up before the wall-clock deadline";
  }
  if (WIFEXITED(wait_status)) {
    const int code = WEXITSTATUS(wait_status);
    // bwrap reports a program killed by signal S as exit code 128 + S.
    if (!unsafe && code > 128 && code < 128 + 65) {
      result.signal = code - 128;
    } else {
      result.exit_code = code;
    }
  } else if (WIFSIGNALED(wait_status)) {
    result.signal = WTERMSIG(wait_status);
  }
  result.cpu_timeout =
      !result.wall_timeout && !result.output_limit && !result.oom_killed &&
      (result.signal == SIGXCPU ||
       (result.signal == SIGKILL && result.cpu_seconds >= 0.95 * static_cast<double>(limits.cpu_seconds)));
  return result;
}

}  // namespace r1eval::graders::code
