// The noaux_tc MoE router of DeepSeek-V3 (MODEL.md §5.6): sigmoid scores, a correction bias used only to choose,
// group-limited top-k, weights from the unbiased scores, normalized and scaled.
#pragma once

#include <cstdint>
#include <span>

#include "engine/weights/config.h"

namespace r1eval::engine::model {

struct RouterParams {
  std::int64_t n_experts = 0;
  std::int64_t n_group = 1;
  std::int64_t topk_group = 1;
  std::int64_t top_k = 0;
  bool normalize = true;
  float scaling = 1.0f;

  static RouterParams from_config(const weights::ModelConfig& config);
};

// logits: router outputs (x · gateᵀ) for one token, [n_experts]; bias: [n_experts].
// Writes top_k expert ids (in selection order: descending biased score, ties to the lower id) and their weights.
// scratch must hold 2 * n_experts + n_group floats. Never allocates.
void route_token(const RouterParams& params, const float* logits, const float* bias, std::int32_t* experts_out,
                 float* weights_out, std::span<float> scratch);

}  // namespace r1eval::engine::model
