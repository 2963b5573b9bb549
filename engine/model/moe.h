// The mixture-of-experts FFN block of DeepSeek-V3 (MODEL.md §5.6): each token routed to k of the E experts, each
// expert run once over the rows of every token that chose it, and the shared expert over all tokens.
#pragma once

#include <cstdint>
#include <span>

#include "engine/model/activations.h"
#include "engine/model/layers.h"
#include "engine/model/model_weights.h"
#include "engine/model/router.h"

namespace r1eval::engine::model {

// Groups a step's (token, slot) pairs by expert, so that each expert runs once over all its rows. chosen: [n, k]
// expert ids, where pair p = t * k + slot chose chosen[p]. Writes begin [E + 1] (expert e's rows are
// [begin[e], begin[e + 1])), pairs [n * k] (the pair behind each row: grouped by expert, ascending within one) and
// rows [n * k] (each pair's row, the inverse).
void group_tokens_by_expert(std::span<const std::int32_t> chosen, std::span<std::int64_t> begin,
                            std::span<std::int64_t> pairs, std::span<std::int64_t> rows);

// block_out [n, d] = Σ_slot weight · expert(normed) over each token's k experts in its routing order, plus the shared
// expert's output. Every row's result lands in a place of its own, so neither the grouping nor the schedule changes
// any sum.
void moe_block(const StepContext& step, const MoeWeights& w, const RouterParams& router, Activations& a);

}  // namespace r1eval::engine::model
