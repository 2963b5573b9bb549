// Running the built r1eval as a child process that a test may kill, for the resume-after-kill tests.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace r1eval::testing {

// Waits for the child, killing it with SIGKILL first when `kill_after` passes; true when it exited 0 by itself.
inline bool finish_or_kill(pid_t pid, std::chrono::milliseconds kill_after) {
  const auto deadline = std::chrono::steady_clock::now() + kill_after;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace r1eval::testing
