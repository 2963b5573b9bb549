// Ctrl-C (SIGINT) and SIGTERM ask a long run to stop cleanly: the runner finishes writing what is graded, marks
// the run interrupted and returns. A second signal ends the process at once (the database stays consistent:
// every batch is one transaction).
#pragma once

#include <atomic>

namespace r1eval::evals::runner {

// Installs the handlers (idempotent) and returns the flag they set.
const std::atomic<bool>& install_interrupt_handlers();

}  // namespace r1eval::evals::runner
