// Attention of one token's heads over a float32 key/value cache whose rows serve as both keys and values — MLA's
// latent cache with the weights absorbed (MODEL.md §6): scores = scale · q · cacheᵀ, softmax per head,
// out = scores · cache.
//
// The cache is taken in fixed chunks of kLatentAttentionChunk positions. Each chunk's scores, softmax numerators
// and unnormalized context are computed while its rows are still in L2, so the cache streams from memory once
// rather than once for the scores and again for the context; the chunks are then combined in order, rescaled to
// the row's overall max (the usual split-softmax identity). Chunks run in parallel when the call is not already
// inside a parallel region (decoding a lone token). The chunk boundaries depend only on `positions` and every
// piece is built from matmul, softmax_numerators and matmul_transposed, so results inherit their fixed reduction
// order: bit-identical alone, batched, and on any thread count.
#pragma once

#include <cstdint>

namespace r1eval::kernels {

// 256 positions of the real model's 576-float entries are 590 KB: they fit a 1 MB L2 with room for the rest.
constexpr std::int64_t kLatentAttentionChunk = 256;

struct LatentAttentionArgs {
  const float* queries = nullptr;  // [heads, width]
  std::int64_t heads = 1;
  const float* cache = nullptr;    // [positions, width], the positions the token may see
  std::int64_t positions = 0;
  std::int64_t width = 0;
  float scale = 1.0f;              // applied to the scores before the softmax
  float* scratch = nullptr;        // latent_attention_scratch_floats(heads, positions, width) floats
  float* out = nullptr;            // [heads, width]
};

// Scratch a call needs: scores [heads, positions], and per chunk its context [heads, width], max and sum per head.
std::int64_t latent_attention_scratch_floats(std::int64_t heads, std::int64_t positions, std::int64_t width);

void latent_attention(const LatentAttentionArgs& args);

}  // namespace r1eval::kernels
