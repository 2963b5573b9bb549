// The checkpoint's tensors bound to the roles the forward pass gives them. Matrices stay in their stored format
// (views into the memory-mapped shards); only the small vectors (norm weights, router bias) become float32.
#pragma once

#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <vector>

#include "engine/kernels/weight_matrix.h"
#include "engine/weights/checkpoint.h"
#include "engine/weights/config.h"

namespace r1eval::engine::model {

using kernels::WeightMatrix;

struct MlpWeights {  // SwiGLU: down(silu(gate x) * up x)
  WeightMatrix gate, up, down;
};

struct AttentionWeights {
  std::optional<WeightMatrix> q_a;      // q_lora_rank > 0
  std::vector<float> q_a_norm;          // [q_lora_rank]
  WeightMatrix q_b;                     // [H*qk_head_dim, q_lora_rank], or q_proj [H*qk_head_dim, d]
  WeightMatrix kv_a;                    // [kv_lora_rank + rope, d]
  std::vector<float> kv_a_norm;         // [kv_lora_rank]
  WeightMatrix kv_b;                    // [H*(nope + v), kv_lora_rank]
  WeightMatrix o;                       // [d, H*v]
};

struct MoeWeights {
  WeightMatrix router;                  // [E, d]
  std::vector<float> correction_bias;   // [E]
  std::vector<MlpWeights> experts;      // E
  std::optional<MlpWeights> shared;     // n_shared_experts > 0
};

struct LayerWeights {
  std::vector<float> input_norm;        // [d]
  AttentionWeights attention;
  std::vector<float> post_attention_norm;  // [d]
  std::optional<MlpWeights> dense;      // layers < first_k_dense_replace
  std::optional<MoeWeights> moe;        // the others
};

// The multi-token-prediction module (layer num_hidden_layers + k): loaded and validated; used later for
// speculative decoding.
struct MtpWeights {
  WeightMatrix embed;
  std::vector<float> enorm, hnorm;
  WeightMatrix eh_proj;                 // [d, 2d]
  LayerWeights layer;
  std::vector<float> head_norm;
  WeightMatrix head;
};

struct ModelWeights {
  // FP8 scale grids copied out of the shards: safetensors does not promise float alignment, and the grids are
  // 1/16384 of the weights. A list keeps every copy's address stable.
  std::list<std::vector<float>> scale_grids;
  WeightMatrix embed;                   // [V, d]
  std::vector<LayerWeights> layers;
  std::vector<float> final_norm;        // [d]
  WeightMatrix lm_head;                 // [V, d]
  std::vector<MtpWeights> mtp;
};

// Binds every tensor; throws weights::LoadError naming a tensor whose dtype or shape does not fit.
ModelWeights bind_model_weights(const weights::ModelConfig& config, const weights::Checkpoint& checkpoint);

}  // namespace r1eval::engine::model
