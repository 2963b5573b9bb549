#include "engine/kernels/latent_attention.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/kernels/index_loop.h"
#include "engine/kernels/kernels.h"
#include "engine/kernels/weight_matrix.h"

namespace r1eval::engine::kernels {
namespace {

std::int64_t chunk_count(std::int64_t positions) {
  return (positions + kLatentAttentionChunk - 1) / kLatentAttentionChunk;
}

// Where the chunks' partial results and the running fold live. `slots` chunks are kept at once: every chunk, or one.
struct ScratchLayout {
  float* scores;      // [heads, scores_ld]: the chunk's scores (one slot) or all positions' (every chunk)
  std::int64_t scores_ld;
  float* contexts;    // [slots, heads, width], unnormalized: Σ exp(score - chunk max) · cache row
  float* maxes;       // [slots, heads]
  float* sums;        // [slots, heads], Σ exp(score - chunk max)
  float* fold_max;    // [heads]
  float* fold_sum;    // [heads]

  static std::int64_t floats(std::int64_t heads, std::int64_t scores_ld, std::int64_t slots, std::int64_t width) {
    return heads * scores_ld + slots * heads * (width + 2) + 2 * heads;
  }
  ScratchLayout(float* base, std::int64_t heads, std::int64_t ld, std::int64_t slots, std::int64_t width)
      : scores(base), scores_ld(ld) {
    contexts = scores + heads * ld;
    maxes = contexts + slots * heads * width;
    sums = maxes + slots * heads;
    fold_max = sums + slots * heads;
    fold_sum = fold_max + heads;
  }
};

// Chunk `chunk`'s scores (from column `scores_at` of the score rows), max, sum and context, into slot `slot`.
void attend_chunk(const LatentAttentionArgs& args, const WeightMatrix& cache, const ScratchLayout& s,
                  std::int64_t chunk, std::int64_t slot, std::int64_t scores_at) {
  const std::int64_t begin = chunk * kLatentAttentionChunk;
  const std::int64_t end = std::min(args.positions, begin + kLatentAttentionChunk);
  MatmulArgs score_args;
  score_args.w = &cache;
  score_args.x = args.queries;
  score_args.m = args.heads;
  score_args.y = s.scores + scores_at;
  score_args.ldy = s.scores_ld;
  score_args.row_begin = begin;
  score_args.row_end = end;
  matmul(score_args);
  for (std::int64_t h = 0; h < args.heads; ++h) {
    float* row = s.scores + h * s.scores_ld + scores_at;
    for (std::int64_t p = 0; p < end - begin; ++p) row[p] *= args.scale;
    const SoftmaxNumerators parts = softmax_numerators(row, end - begin);
    s.maxes[slot * args.heads + h] = parts.max;
    s.sums[slot * args.heads + h] = parts.sum;
  }
  MatmulTransposedArgs context_args;
  context_args.w = &cache;
  context_args.x = s.scores + scores_at;
  context_args.m = args.heads;
  context_args.ldx = s.scores_ld;
  context_args.y = s.contexts + slot * args.heads * args.width;
  context_args.ldy = args.width;
  context_args.row_begin = begin;
  context_args.row_end = end;
  matmul_transposed(context_args);
}

// Folds head h of the chunk in `slot` into the running (max, sum, out): the first chunk starts it, a later one
// rescales both sides to the larger max.
void fold_chunk(const LatentAttentionArgs& args, const ScratchLayout& s, std::int64_t chunk, std::int64_t slot,
                std::int64_t h) {
  const float chunk_max = s.maxes[slot * args.heads + h];
  const float chunk_sum = s.sums[slot * args.heads + h];
  const float* context = s.contexts + (slot * args.heads + h) * args.width;
  float* out = args.out + h * args.width;
  if (chunk == 0) {
    s.fold_max[h] = chunk_max;
    s.fold_sum[h] = chunk_sum;
    std::copy_n(context, args.width, out);
    return;
  }
  const float max = std::max(s.fold_max[h], chunk_max);
  const float kept = std::exp(s.fold_max[h] - max), added = std::exp(chunk_max - max);
  s.fold_max[h] = max;
  s.fold_sum[h] = s.fold_sum[h] * kept + chunk_sum * added;
  for (std::int64_t k = 0; k < args.width; ++k) out[k] *= kept;
  axpy(added, context, out, args.width);
}

void normalize(const LatentAttentionArgs& args, const ScratchLayout& s, std::int64_t h) {
  const float weight = 1.0f / s.fold_sum[h];
  float* out = args.out + h * args.width;
  for (std::int64_t k = 0; k < args.width; ++k) out[k] *= weight;
}

}  // namespace

std::int64_t latent_attention_scratch_floats(std::int64_t heads, std::int64_t positions, std::int64_t width) {
  return ScratchLayout::floats(heads, positions, chunk_count(positions), width);
}

std::int64_t latent_attention_chunk_scratch_floats(std::int64_t heads, std::int64_t width) {
  return ScratchLayout::floats(heads, kLatentAttentionChunk, 1, width);
}

void latent_attention(const LatentAttentionArgs& args) {
  const std::int64_t heads = args.heads, width = args.width;
  if (args.positions <= 0) {
    std::fill_n(args.out, heads * width, 0.0f);
    return;
  }
  // One chunk's scores take min(positions, chunk) columns: a context shorter than a chunk needs no more than that.
  const std::int64_t chunk_columns = std::min(args.positions, kLatentAttentionChunk);
  if (args.scratch_floats < ScratchLayout::floats(heads, chunk_columns, 1, width)) {
    throw std::invalid_argument("latent_attention: the scratch is smaller than latent_attention_chunk_scratch_floats");
  }
  const WeightMatrix cache{.dtype = weights::DType::F32, .data = args.cache, .rows = args.positions, .cols = width};
  const std::int64_t chunks = chunk_count(args.positions);
  const bool chunks_in_parallel = chunks > 1 && !omp_in_parallel() &&
                                  args.scratch_floats >= latent_attention_scratch_floats(heads, args.positions, width);
  if (chunks_in_parallel) {
    const ScratchLayout s(args.scratch, heads, args.positions, chunks, width);
    for_each_index(chunks, true,
                   [&](std::int64_t c) { attend_chunk(args, cache, s, c, c, c * kLatentAttentionChunk); });
    for_each_index(heads, true, [&](std::int64_t h) {
      for (std::int64_t c = 0; c < chunks; ++c) fold_chunk(args, s, c, c, h);
      normalize(args, s, h);
    });
    return;
  }
  // One chunk at a time; outside a parallel region its kernels use the threads.
  const ScratchLayout s(args.scratch, heads, chunk_columns, 1, width);
  for (std::int64_t c = 0; c < chunks; ++c) {
    attend_chunk(args, cache, s, c, 0, 0);
    for (std::int64_t h = 0; h < heads; ++h) fold_chunk(args, s, c, 0, h);
  }
  for (std::int64_t h = 0; h < heads; ++h) normalize(args, s, h);
}

}  // namespace r1eval::engine::kernels
