// Attention of one token's heads over a float32 key/value cache whose rows serve as both keys and values — MLA's
// latent cache with the weights absorbed (MODEL.md §6): scores = scale · q · cacheᵀ, softmax per head,
// out = scores · cache. Built from matmul, softmax and matmul_transposed, so it inherits their fixed reduction
// order (bit-identical alone, batched, and on any thread count) and their run-time SIMD dispatch.
#pragma once

#include <cstdint>

namespace r1eval::kernels {

struct LatentAttentionArgs {
  const float* queries = nullptr;  // [heads, width]
  std::int64_t heads = 1;
  const float* cache = nullptr;    // [positions, width], the positions the token may see
  std::int64_t positions = 0;
  std::int64_t width = 0;
  float scale = 1.0f;              // applied to the scores before the softmax
  float* scores = nullptr;         // scratch [heads, positions]
  float* out = nullptr;            // [heads, width]
};

void latent_attention(const LatentAttentionArgs& args);

}  // namespace r1eval::kernels
