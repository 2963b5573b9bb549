// Compiled with R1EVAL_AVX512_BF16_FLAGS (AVX-512 F/BW/VL/DQ, BF16 and VBMI; the loops use F and BF16).
#include <immintrin.h>

#include "perf/fma_loops.h"

namespace r1eval::perf::detail {
namespace {

// Lane 0 + lane 15 (not _mm512_reduce_add_ps: GCC 12's version trips -Wuninitialized in its own header).
float two_lanes(__m512 v) {
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, v);
  return lanes[0] + lanes[15];
}

}  // namespace

float fma_f32_avx512(std::int64_t iterations, double* flops) {
  constexpr int kAccumulators = 16;  // of 32 zmm registers
  __m512 acc[kAccumulators];
  for (int j = 0; j < kAccumulators; ++j) acc[j] = _mm512_set1_ps(0.01f * static_cast<float>(j + 1));
  const __m512 a = _mm512_set1_ps(0.9999999f), b = _mm512_set1_ps(1e-7f);
  for (std::int64_t i = 0; i < iterations; ++i) {
    for (int j = 0; j < kAccumulators; ++j) acc[j] = _mm512_fmadd_ps(acc[j], a, b);
  }
  __m512 total = acc[0];
  for (int j = 1; j < kAccumulators; ++j) total = _mm512_add_ps(total, acc[j]);
  *flops = 2.0 * 16.0 * kAccumulators * static_cast<double>(iterations);
  return two_lanes(total);
}

float dot_bf16_avx512(std::int64_t iterations, double* flops) {
  // vdpbf16ps: 32 bf16 products summed pairwise into 16 float lanes = 64 FLOPs per instruction.
  constexpr int kAccumulators = 16;
  __m512 acc[kAccumulators];
  for (int j = 0; j < kAccumulators; ++j) acc[j] = _mm512_setzero_ps();
  // Tiny products (1/1024 × 1/1024) keep the accumulators finite for any iteration count a probe runs.
  const __m512bh a = _mm512_cvtne2ps_pbh(_mm512_set1_ps(0x1p-10f), _mm512_set1_ps(0x1p-10f));
  const __m512bh b = _mm512_cvtne2ps_pbh(_mm512_set1_ps(0x1p-10f), _mm512_set1_ps(0x1p-10f));
  for (std::int64_t i = 0; i < iterations; ++i) {
    for (int j = 0; j < kAccumulators; ++j) acc[j] = _mm512_dpbf16_ps(acc[j], a, b);
  }
  __m512 total = acc[0];
  for (int j = 1; j < kAccumulators; ++j) total = _mm512_add_ps(total, acc[j]);
  *flops = 64.0 * kAccumulators * static_cast<double>(iterations);
  return two_lanes(total);
}

}  // namespace r1eval::perf::detail
