#include "evals/runner/interrupt.h"

#include <csignal>

namespace r1eval::evals::runner {
namespace {

std::atomic<bool> stop_requested{false};

extern "C" void on_stop_signal(int signal) {
  if (stop_requested.exchange(true)) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
}

}  // namespace

const std::atomic<bool>& install_interrupt_handlers() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  return stop_requested;
}

}  // namespace r1eval::evals::runner
