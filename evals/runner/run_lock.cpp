#include "evals/runner/run_lock.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "common/hash.h"

namespace r1eval::evals::runner {
namespace {

// SQLite locks bytes from 1 GiB to 1 GiB + 512; run locks live from 1 TiB on, one byte per run key hash slot.
constexpr off_t kFirstRunByte = off_t{1} << 40;
constexpr std::uint64_t kRunSlots = std::uint64_t{1} << 30;

}  // namespace

RunLock RunLock::acquire(const std::filesystem::path& db, const std::string& run_key) {
  const int fd = ::open(db.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    throw std::runtime_error(fmt::format("cannot open {} to lock the run: {}", db.string(), std::strerror(errno)));
  }
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = kFirstRunByte + static_cast<off_t>(common::fnv1a(run_key) % kRunSlots);
  lock.l_len = 1;
  if (::fcntl(fd, F_OFD_SETLK, &lock) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EAGAIN || error == EACCES) {
      throw std::runtime_error(
          fmt::format("another process is already evaluating this run of {}; wait for it to "
                      "end, or stop it, then run the same command again to resume",
                      db.string()));
    }
    throw std::runtime_error(fmt::format("cannot lock the run in {}: {}", db.string(), std::strerror(error)));
  }
  return RunLock(fd);
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor of the description releases the lock
}

}  // namespace r1eval::evals::runner
