// The pieces the forward pass's blocks are built from (MODEL.md §5): linear layers, RMSNorm over token rows and the
// SwiGLU MLP, and what every block of a step reads besides its weights.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/kernels/kernels.h"
#include "engine/model/model_weights.h"
#include "engine/model/thread_plan.h"
#include "engine/weights/config.h"

namespace r1eval::engine::model {

// One step's model shapes, what enters its weight matmuls, and which of its loops run on several threads.
struct StepContext {
  const weights::ModelConfig& config;
  kernels::MatmulInputs inputs;
  const ThreadPlan& plan;
};

// y[m, w.rows] = x[m, w.cols] · wᵀ (contiguous x and y).
void linear(const WeightMatrix& w, const float* x, std::int64_t m, float* y, kernels::MatmulInputs inputs);

// out[r] = RMSNorm(x[r]) · weight for each of `rows` contiguous rows as wide as weight; out may be x.
void rms_norm_rows(const float* x, const std::vector<float>& weight, double eps, std::int64_t rows, float* out,
                   bool parallel);

// out[m, d] = down(silu(gate x) * up x) for x [m, d], with g and u as scratch of m * w.gate.rows floats each.
void mlp(const MlpWeights& w, const float* x, std::int64_t m, float* out, float* g, float* u,
         kernels::MatmulInputs inputs);

}  // namespace r1eval::engine::model
