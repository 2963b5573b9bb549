// Analytic per-token arithmetic and memory traffic of a DeepSeek-V3-architecture model, from its configuration
// alone (MODEL.md §3 tensor inventory; a multiply-add is 2 FLOPs). Used by the cost projection for the real R1.
#pragma once

#include <cstdint>

#include "engine/weights/config.h"

namespace r1eval::perf {

struct ParameterCounts {
  double total = 0.0;          // main model (MTP module excluded): every matrix, norm vector and router bias
  double active = 0.0;         // used per token: total minus the routed experts a token does not choose
                               // (the embedding matrix counted whole, as DeepSeek's "37B activated" does)
  double matmul_active = 0.0;  // matrices a token is multiplied through: attention, dense MLPs, router, shared
                               // and chosen experts, LM head (no embedding, no vectors)
};
ParameterCounts count_parameters(const engine::weights::ModelConfig& config);

// FLOPs of one token's forward pass with `context` visible positions (itself included), MLA decoded with the
// absorbed weights: 2·matmul_active + layers · heads · 2 · (2·kv_lora_rank + qk_rope_head_dim) · context.
double flops_per_token(const engine::weights::ModelConfig& config, std::int64_t context);

// Expected number of distinct routed experts one MoE layer runs when `batch` tokens each choose top-k of the
// routed experts uniformly at random: E · (1 − (1 − k/E)^batch).
double expected_distinct_experts(const engine::weights::ModelConfig& config, std::int64_t batch);

// Bytes of the main model's matrices as the checkpoint stores them: with fp8_block_size, attention projections,
// MLPs and experts as FP8 (1 byte) plus one float32 scale per block; embeddings, LM head and router as BF16.
// Without it, every matrix BF16. Norm vectors and the router bias (< 0.01%) are left out.
double weight_storage_bytes(const engine::weights::ModelConfig& config);

// Bytes one decode step of `batch` sequences at `context` positions reads from memory: every non-routed matrix
// once, the expected distinct routed experts of each MoE layer, one embedding row per sequence, and each
// sequence's latent KV cache ((kv_lora_rank + qk_rope_head_dim) values per layer and position, BF16).
double decode_step_bytes(const engine::weights::ModelConfig& config, std::int64_t batch, std::int64_t context);

}  // namespace r1eval::perf
