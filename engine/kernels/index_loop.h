// A loop over independent indices that uses the OpenMP threads only where that is safe and wanted.
#pragma once

#include <omp.h>

#include <cstdint>

namespace r1eval::engine::kernels {

// fn(i) for every i < count: spread over the threads when `parallel`, the call is outside any parallel region and
// there is more than one thread; otherwise in order on this thread, and then outside even an inactive region (one
// thread, or `#pragma omp parallel if (false)`): a matmul called from inside one would start a nested team of its
// own, created afresh on every call.
template <class Fn>
void for_each_index(std::int64_t count, bool parallel, const Fn& fn) {
  if (!parallel || omp_in_parallel() || omp_get_max_threads() == 1) {
    for (std::int64_t i = 0; i < count; ++i) fn(i);
    return;
  }
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < count; ++i) fn(i);
}

}  // namespace r1eval::engine::kernels
