// Compiled with R1EVAL_AVX2_FLAGS.
#include <immintrin.h>

#include "perf/fma_loops.h"

namespace r1eval::perf::detail {

float fma_f32_avx2(std::int64_t iterations, double* flops) {
  // 12 of the 16 ymm registers: covers 2 FMA ports × 4-5 cycles latency with room to spare.
  constexpr int kAccumulators = 12;
  __m256 acc[kAccumulators];
  for (int j = 0; j < kAccumulators; ++j) acc[j] = _mm256_set1_ps(0.01f * static_cast<float>(j + 1));
  const __m256 a = _mm256_set1_ps(0.9999999f), b = _mm256_set1_ps(1e-7f);
  for (std::int64_t i = 0; i < iterations; ++i) {
    for (int j = 0; j < kAccumulators; ++j) acc[j] = _mm256_fmadd_ps(acc[j], a, b);
  }
  __m256 total = acc[0];
  for (int j = 1; j < kAccumulators; ++j) total = _mm256_add_ps(total, acc[j]);
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, total);
  *flops = 2.0 * 8.0 * kAccumulators * static_cast<double>(iterations);
  return lanes[0] + lanes[7];
}

}  // namespace r1eval::perf::detail
