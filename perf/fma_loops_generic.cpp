#include "perf/fma_loops.h"

namespace r1eval::perf::detail {

float fma_f32_generic(std::int64_t iterations, double* flops) {
  constexpr int kAccumulators = 16;
  float acc[kAccumulators];
  for (int j = 0; j < kAccumulators; ++j) acc[j] = 0.01f * static_cast<float>(j + 1);
  const float a = 0.9999999f, b = 1e-7f;  // acc converges to b / (1 - a): no overflow, no denormals
  for (std::int64_t i = 0; i < iterations; ++i) {
    for (int j = 0; j < kAccumulators; ++j) acc[j] = acc[j] * a + b;
  }
  float sum = 0.0f;
  for (const float v : acc) sum += v;
  *flops = 2.0 * kAccumulators * static_cast<double>(iterations);
  return sum;
}

}  // namespace r1eval::perf::detail
