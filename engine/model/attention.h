// Multi-head latent attention (MLA, MODEL.md §6) of one layer over a step's tokens, in the weight-absorbed form that
// attends over the latent cache itself: per-head keys and values are never formed.
#pragma once

#include <cstdint>

#include "engine/model/activations.h"
#include "engine/model/layers.h"
#include "engine/model/model_weights.h"
#include "engine/model/rope.h"

namespace r1eval::engine::model {

// block_out [n, d] = MLA(normed [n, d]) for layer `layer`; writes each token's latent cache entry of that layer
// first, so that a token sees itself and the tokens before it in its sequence.
void attention_block(const StepContext& step, const AttentionWeights& w, const Rope& rope, std::int64_t layer,
                     Activations& a);

}  // namespace r1eval::engine::model
