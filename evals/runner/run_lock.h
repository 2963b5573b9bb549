// One process per run: two processes evaluating the same run of one results database would generate the same
// samples twice and the second would fail on the first's rows. The lock is an open-file-description lock on one
// byte of the database file chosen by the run key (far past SQLite's own lock bytes, so the two never meet); the
// kernel drops it when the process ends, however it ends, so a killed run never leaves a stale lock.
#pragma once

#include <filesystem>
#include <string>

namespace r1eval::evals::runner {

class RunLock {
 public:
  // Throws std::runtime_error, one sentence, when another process (or another RunLock) holds the run.
  static RunLock acquire(const std::filesystem::path& db, const std::string& run_key);
  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&&) = delete;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace r1eval::evals::runner
