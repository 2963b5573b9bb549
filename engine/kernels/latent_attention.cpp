#include "engine/kernels/latent_attention.h"

#include <algorithm>
#include <cmath>

#include "engine/kernels/index_loop.h"
#include "engine/kernels/kernels.h"
#include "engine/kernels/weight_matrix.h"

namespace r1eval::kernels {
namespace {

std::int64_t chunk_count(std::int64_t positions) {
  return (positions + kLatentAttentionChunk - 1) / kLatentAttentionChunk;
}

// Where each part of the scratch lives.
struct ScratchLayout {
  float* scores;    // [heads, positions]
  float* contexts;  // [chunks, heads, width], unnormalized: Σ exp(score - chunk max) · cache row
  float* maxes;     // [chunks, heads]
  float* sums;      // [chunks, heads], Σ exp(score - chunk max)

  ScratchLayout(float* base, std::int64_t heads, std::int64_t positions, std::int64_t width) {
    const std::int64_t chunks = chunk_count(positions);
    scores = base;
    contexts = scores + heads * positions;
    maxes = contexts + chunks * heads * width;
    sums = maxes + chunks * heads;
  }
};

void attend_chunk(const LatentAttentionArgs& args, const WeightMatrix& cache, const ScratchLayout& s,
                  std::int64_t chunk) {
  const std::int64_t begin = chunk * kLatentAttentionChunk;
  const std::int64_t end = std::min(args.positions, begin + kLatentAttentionChunk);
  MatmulArgs score_args;
  score_args.w = &cache;
  score_args.x = args.queries;
  score_args.m = args.heads;
  score_args.y = s.scores + begin;
  score_args.ldy = args.positions;
  score_args.row_begin = begin;
  score_args.row_end = end;
  matmul(score_args);
  for (std::int64_t h = 0; h < args.heads; ++h) {
    float* row = s.scores + h * args.positions + begin;
    for (std::int64_t p = 0; p < end - begin; ++p) row[p] *= args.scale;
    const SoftmaxNumerators parts = softmax_numerators(row, end - begin);
    s.maxes[chunk * args.heads + h] = parts.max;
    s.sums[chunk * args.heads + h] = parts.sum;
  }
  MatmulTransposedArgs context_args;
  context_args.w = &cache;
  context_args.x = s.scores + begin;
  context_args.m = args.heads;
  context_args.ldx = args.positions;
  context_args.y = s.contexts + chunk * args.heads * args.width;
  context_args.ldy = args.width;
  context_args.row_begin = begin;
  context_args.row_end = end;
  matmul_transposed(context_args);
}

}  // namespace

std::int64_t latent_attention_scratch_floats(std::int64_t heads, std::int64_t positions, std::int64_t width) {
  return heads * positions + chunk_count(positions) * heads * (width + 2);
}

void latent_attention(const LatentAttentionArgs& args) {
  const std::int64_t heads = args.heads, width = args.width;
  if (args.positions <= 0) {
    std::fill_n(args.out, heads * width, 0.0f);
    return;
  }
  const WeightMatrix cache{.dtype = weights::DType::F32, .data = args.cache, .rows = args.positions, .cols = width};
  const ScratchLayout s(args.scratch, heads, args.positions, width);
  const std::int64_t chunks = chunk_count(args.positions);
  // A lone chunk runs on this thread and leaves the threads to its kernels.
  for_each_index(chunks, chunks > 1, [&](std::int64_t c) { attend_chunk(args, cache, s, c); });

  // out[h] = Σ_c exp(max_c - max) · context_c[h] / Σ_c exp(max_c - max) · sum_c, chunks in order.
  for_each_index(heads, chunks > 1, [&](std::int64_t h) {
    float row_max = s.maxes[h];
    for (std::int64_t c = 1; c < chunks; ++c) row_max = std::max(row_max, s.maxes[c * heads + h]);
    float total = 0.0f;
    for (std::int64_t c = 0; c < chunks; ++c) total += std::exp(s.maxes[c * heads + h] - row_max) * s.sums[c * heads + h];
    float* out = args.out + h * width;
    std::fill_n(out, width, 0.0f);
    for (std::int64_t c = 0; c < chunks; ++c) {
      const float weight = std::exp(s.maxes[c * heads + h] - row_max) / total;
      axpy(weight, s.contexts + (c * heads + h) * width, out, width);
    }
  });
}

}  // namespace r1eval::kernels
