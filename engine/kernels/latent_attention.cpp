#include "engine/kernels/latent_attention.h"

#include "engine/kernels/kernels.h"
#include "engine/kernels/weight_matrix.h"

namespace r1eval::kernels {

void latent_attention(const LatentAttentionArgs& args) {
  const WeightMatrix cache{.dtype = weights::DType::F32, .data = args.cache, .rows = args.positions, .cols = args.width};
  MatmulArgs score_args;
  score_args.w = &cache;
  score_args.x = args.queries;
  score_args.m = args.heads;
  score_args.y = args.scores;
  score_args.ldy = args.positions;
  matmul(score_args);
  for (std::int64_t h = 0; h < args.heads; ++h) {
    float* row = args.scores + h * args.positions;
    for (std::int64_t p = 0; p < args.positions; ++p) row[p] *= args.scale;
    softmax(row, args.positions);
  }
  MatmulTransposedArgs context_args;
  context_args.w = &cache;
  context_args.x = args.scores;
  context_args.m = args.heads;
  context_args.ldx = args.positions;
  context_args.y = args.out;
  context_args.ldy = args.width;
  matmul_transposed(context_args);
}

}  // namespace r1eval::kernels
