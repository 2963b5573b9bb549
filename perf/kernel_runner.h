// Times the kernel cases and sets each against the machine's ceilings.
//
// Floors count bytes from memory, so no timed call may find its data in cache. Matmul and expert FFN cases with
// small weights cycle through copies spanning 3 × the last-level cache and are timed back to back, like the engine
// runs them; other cases whose bytes fit in twice the cache are timed call by call with the cache flushed before
// each call; the rest are timed in batches of back-to-back calls. The figure is the median, `samples` says of how
// many; the times it is the median of are kept (repetition_seconds) so two benches can be compared by a rank test.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "perf/case_fixtures.h"
#include "perf/ceilings.h"
#include "perf/kernel_cases.h"

namespace r1eval::perf {

struct TimingOptions {
  double target_seconds = 0.25;  // timed work per case (cold-cache flushes not counted)
  int batches = 5;               // warm timing: this many batches
  std::int64_t max_cold_calls = 200;  // cold timing: at most this many calls (at least min_repetitions)
  // Never fewer timed repetitions (cold calls or warm batches) than this: with 5 against 5 the smallest two-sided
  // Mann-Whitney p-value is 0.008, so `r1eval compare --bench` can still call a clear slowdown significant.
  int min_repetitions = 5;
  std::int64_t llc_bytes = 0;    // 0: read from sysfs (32 MiB when unknown)
};

struct Timing {
  double seconds = 0.0;      // per call, median
  std::int64_t samples = 0;  // calls (cold) or batches (warm) the median is over
  std::vector<double> repetition_seconds;  // per call: each cold call, or each warm batch ÷ its calls, in order
  bool cold = false;     // timed call by call after a cache flush
  bool rotated = false;  // weights cycled through copies larger than the cache
};

// Reads a buffer of 3 × LLC on the calling thread so the next call finds none of its data in cache.
class CacheFlusher {
 public:
  explicit CacheFlusher(std::int64_t llc_bytes);
  // The cache size flushing assumes: the reported one, or 32 MiB when the machine reports none (0).
  static std::int64_t effective_llc_bytes(std::int64_t reported);
  void flush();
  std::int64_t llc_bytes() const { return llc_bytes_; }

 private:
  std::int64_t llc_bytes_;
  std::vector<std::uint64_t> buffer_;
  std::uint64_t sink_ = 0;
};

// Times one prepared case (see the file comment). `work` and the fixture's rotation decide cold or warm.
Timing time_case(PreparedCase& prepared, const Work& work, const TimingOptions& options, CacheFlusher& flusher);

struct KernelMeasurement {
  std::string kernel, shape, dtype, backend;
  Work work;
  Timing timing;
  double gflops = 0.0, gbps = 0.0;
  double floor_seconds = 0.0;
  double roofline_pct = 0.0;
  bool skipped = false;
  std::string note;  // why it was skipped, or the bound that sets its floor ("memory" / "compute")
};

// Prepares, times and scores every case in order; a case that cannot run (or throws) is reported skipped with the
// reason. progress(line) is called before each case.
std::vector<KernelMeasurement> run_kernel_cases(const std::vector<KernelCase>& cases, const MachineCeilings& ceilings,
                                                const CaseResources& resources, const TimingOptions& options,
                                                const std::function<void(const std::string&)>& progress = {});

}  // namespace r1eval::perf
