// Attention of one token's heads over a float32 key/value cache whose rows serve as both keys and values — MLA's
// latent cache with the weights absorbed (MODEL.md §6): scores = scale · q · cacheᵀ, softmax per head,
// out = scores · cache.
//
// The cache is taken in fixed chunks of kLatentAttentionChunk positions. Each chunk's scores, softmax numerators
// and unnormalized context are computed while its rows are still in L2, so the cache streams from memory once
// rather than once for the scores and again for the context. The chunks' partial results are folded into a running
// (max, sum, context) per head, chunk 0 first, each fold rescaling to the larger max (the online-softmax identity).
//
// Two schedules, one result: with the scratch for every chunk (latent_attention_scratch_floats) and outside any
// parallel region (decoding a lone token), the chunks run on all threads and are folded afterwards; otherwise
// (latent_attention_chunk_scratch_floats, e.g. one token per thread of a batch) each chunk is folded as soon as it
// is done, in a scratch the size of one chunk whatever the context. The chunk boundaries depend only on `positions`,
// every piece is built from matmul, softmax_numerators and matmul_transposed, and the folds run in the same order,
// so results are bit-identical alone, batched, and on any thread count.
#pragma once

#include <cstdint>

namespace r1eval::engine::kernels {

// 256 positions of the real model's 576-float entries are 590 KB: they fit a 1 MB L2 with room for the rest.
constexpr std::int64_t kLatentAttentionChunk = 256;

struct LatentAttentionArgs {
  const float* queries = nullptr;  // [heads, width]
  std::int64_t heads = 1;
  const float* cache = nullptr;    // [positions, width], the positions the token may see
  std::int64_t positions = 0;
  std::int64_t width = 0;
  float scale = 1.0f;              // applied to the scores before the softmax
  float* scratch = nullptr;        // scratch_floats floats, at least latent_attention_chunk_scratch_floats
  float* out = nullptr;            // [heads, width]
  std::int64_t scratch_floats = 0;
};

// Scratch that holds every chunk at once, so that they can run in parallel: scores [heads, positions], and per chunk
// its context [heads, width], max and sum per head; plus the running max and sum per head.
std::int64_t latent_attention_scratch_floats(std::int64_t heads, std::int64_t positions, std::int64_t width);

// Scratch for one chunk at a time, whatever the context length: R1 (128 heads of 576) needs 428 KB, where every
// chunk of a 32 K context would take 55 MB.
std::int64_t latent_attention_chunk_scratch_floats(std::int64_t heads, std::int64_t width);

// Throws std::invalid_argument when the scratch is smaller than latent_attention_chunk_scratch_floats (or, for a
// context shorter than a chunk, than latent_attention_scratch_floats).
void latent_attention(const LatentAttentionArgs& args);

}  // namespace r1eval::engine::kernels
