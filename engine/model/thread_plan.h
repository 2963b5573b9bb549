// Which loops of a forward step run on several threads, decided here for the whole step. No decision changes a
// result: every kernel fixes its reduction order per output element (kernels.h), and each parallel loop writes only
// its own token's, head's or expert's rows, so the plan moves work between threads, never between sums.
#pragma once

#include <omp.h>

#include <cstdint>

namespace r1eval::engine::model {

// From this many tokens on, per-token work is split over the threads: below it (decoding a few sequences) a fork
// costs more than the loop. Each token's own operations are the same either way.
constexpr std::int64_t kParallelTokens = 16;

struct ThreadPlan {
  explicit ThreadPlan(std::int64_t tokens)
      : tokens_in_parallel(tokens >= kParallelTokens),
        heads_in_parallel(tokens < kParallelTokens),
        attention_over_chunks(tokens == 1),
        threads(omp_get_max_threads()) {}

  // Per-token loops (RMSNorm rows, routing, gathering and combining expert rows) spread over the threads.
  bool tokens_in_parallel;
  // The per-head products through kv_b (absorption, values) go one head per thread: a few tokens' products are too
  // small to split (one head's band is 16 K multiply-adds in the small preset, 64 K in R1). With many tokens each
  // product splits across the threads itself.
  bool heads_in_parallel;
  // Latent attention of a lone token (decoding one sequence) gets scratch for every chunk of its context and runs
  // outside any parallel region (for_each_task), so that latent_attention spreads the chunks over the threads.
  // Otherwise the tokens go one per thread, each taking its context a chunk at a time in its thread's scratch.
  bool attention_over_chunks;
  // The threads a parallel region may use: one slot of per-thread scratch each.
  std::int64_t threads;
};

// fn(i) for each of `count` tasks of uneven size (a token's attention, an expert's rows), handed one at a time to
// whichever thread is free. A lone task runs outside any parallel region, so that the kernels it calls can use the
// threads themselves.
template <class Fn>
void for_each_task(std::int64_t count, const Fn& fn) {
  if (count == 1) {
    fn(0);
    return;
  }
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t i = 0; i < count; ++i) fn(i);
}

// The calling thread's slot of per-thread scratch (0 outside a parallel region).
inline std::int64_t thread_slot() { return omp_get_thread_num(); }

}  // namespace r1eval::engine::model
