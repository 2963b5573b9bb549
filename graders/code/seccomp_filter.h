// The system-call filter every sandboxed program runs under, compiled once to classic BPF for bwrap's --seccomp.
#pragma once

#include <cstdint>
#include <vector>

namespace r1eval::graders::code {

// A deny-list on top of the namespaces: sockets other than AF_UNIX (EACCES), debugging and kernel-surface calls
// (ptrace, mount, bpf, io_uring, keyctl, module loading, ...: EPERM), new user namespaces via clone/unshare (EPERM),
// and clone3 (ENOSYS, because its flags live in memory a filter cannot read; glibc then falls back to clone).
// Foreign-architecture system calls (the i386 ABI) kill the process. Throws std::runtime_error if libseccomp fails.
std::vector<std::uint8_t> build_seccomp_bpf();

}  // namespace r1eval::graders::code
