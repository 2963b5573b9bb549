#include "engine/model/layers.h"

#include "engine/kernels/index_loop.h"

namespace r1eval::engine::model {

void linear(const WeightMatrix& w, const float* x, std::int64_t m, float* y, kernels::MatmulInputs inputs) {
  kernels::matmul({.w = &w, .x = x, .m = m, .y = y, .inputs = inputs});
}

void rms_norm_rows(const float* x, const std::vector<float>& weight, double eps, std::int64_t rows, float* out,
                   bool parallel) {
  const auto width = static_cast<std::int64_t>(weight.size());
  kernels::for_each_index(rows, parallel, [&](std::int64_t r) {
    kernels::rms_norm(x + r * width, weight.data(), static_cast<float>(eps), width, out + r * width);
  });
}

void mlp(const MlpWeights& w, const float* x, std::int64_t m, float* out, float* g, float* u,
         kernels::MatmulInputs inputs) {
  const std::int64_t width = w.gate.rows;
  linear(w.gate, x, m, g, inputs);
  linear(w.up, x, m, u, inputs);
  kernels::silu_mul(g, u, m * width, g);
  linear(w.down, g, m, out, inputs);
}

}  // namespace r1eval::engine::model
