// Progress of a long run on stderr: problems and samples done, samples and tokens per second, an endpoint's requests
// in flight and retries, and the time left. On a terminal
// one line is redrawn in place; otherwise (CI logs, files) a plain line is written every few seconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "evals/runner/backend.h"

namespace r1eval::evals::runner {

class Progress {
 public:
  // `out` may be nullptr (quiet). `interactive`: redraw one line (a terminal) or print plain lines.
  Progress(std::FILE* out, bool interactive);

  // The work of the run; `done_*` were found in the database (a resumed run) and do not count towards the speed.
  void start(std::int64_t total_samples, std::int64_t total_problems, std::int64_t done_samples,
             std::int64_t done_problems);
  void sample_done(std::int64_t completion_tokens, bool problem_complete);
  // The backend's requests in flight and retries, shown when it has any (an endpoint).
  void backend_activity(const BackendActivity& activity);
  void finish();  // the final line

  std::string line() const;  // the current status text

 private:
  void maybe_print(bool force);

  std::FILE* out_;
  bool interactive_;
  std::int64_t total_samples_ = 0;
  std::int64_t total_problems_ = 0;
  std::int64_t samples_ = 0;
  std::int64_t problems_ = 0;
  std::int64_t new_samples_ = 0;
  std::int64_t tokens_ = 0;
  BackendActivity activity_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
};

}  // namespace r1eval::evals::runner
