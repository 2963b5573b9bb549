#include "graders/code/seccomp_filter.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>

namespace r1eval::graders::code {
namespace {

// Calls a sandboxed test program never needs; each is either privileged, a kernel attack surface, or a way to
// observe or escape the sandbox. The list follows notes/reliability.md §2.1 row 13 (measured on our machines).
constexpr const char* kDeniedCalls[] = {
    "ptrace",        "mount",          "umount2",           "unshare",           "setns",
    "keyctl",        "add_key",        "request_key",       "bpf",               "perf_event_open",
    "kexec_load",    "kexec_file_load", "init_module",      "finit_module",      "delete_module",
    "reboot",        "swapon",         "swapoff",           "userfaultfd",       "io_uring_setup",
    "io_uring_enter", "io_uring_register", "process_vm_readv", "process_vm_writev", "pivot_root",
    "chroot",        "open_by_handle_at", "name_to_handle_at", "fsopen",          "fsmount",
    "fsconfig",      "fspick",         "move_mount",        "open_tree",         "acct",
    "settimeofday",  "clock_settime",  "clock_adjtime",     "adjtimex",          "quotactl",
    "lookup_dcookie", "vhangup",       "syslog",
};

class FilterContext {
 public:
  FilterContext() : ctx_(seccomp_init(SCMP_ACT_ALLOW)) {
    if (ctx_ == nullptr) throw std::runtime_error("seccomp filter: seccomp_init failed");
  }
  ~FilterContext() { seccomp_release(ctx_); }
  FilterContext(const FilterContext&) = delete;
  FilterContext& operator=(const FilterContext&) = delete;
  scmp_filter_ctx get() const { return ctx_; }

 private:
  scmp_filter_ctx ctx_;
};

void check(int rc, const std::string& what) {
  if (rc < 0) throw std::runtime_error("seccomp filter: " + what + " failed (" + std::to_string(-rc) + ")");
}

}  // namespace

std::vector<std::uint8_t> build_seccomp_bpf() {
  FilterContext filter;
  scmp_filter_ctx ctx = filter.get();
  for (const char* name : kDeniedCalls) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;  // not a call on this architecture
    check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0), std::string("rule for ") + name);
  }
  // Only local (AF_UNIX) sockets: Python's multiprocessing and subprocess need socketpair, nothing needs a network.
  check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX)),
        "socket rule");
  check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                         SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)),
        "clone rule");
  check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0), "clone3 rule");

  const int fd = memfd_create("r1eval-seccomp", MFD_CLOEXEC);
  if (fd < 0) throw std::runtime_error("seccomp filter: memfd_create failed");
  std::vector<std::uint8_t> bpf;
  const int rc = seccomp_export_bpf(ctx, fd);
  if (rc == 0) {
    const off_t size = lseek(fd, 0, SEEK_END);
    if (size > 0) {
      bpf.resize(static_cast<std::size_t>(size));
      ssize_t got = pread(fd, bpf.data(), bpf.size(), 0);
      if (got != size) bpf.clear();
    }
  }
  close(fd);
  check(rc, "seccomp_export_bpf");
  if (bpf.empty()) throw std::runtime_error("seccomp filter: the exported program is empty");
  return bpf;
}

}  // namespace r1eval::graders::code
