// The workspace of one forward step (MODEL.md §5-6): the step's tokens and every buffer it writes besides the KV
// cache and the logits. Shapes below use n (the step's tokens), rows (the logits rows asked for), d (hidden size),
// H (attention heads), E (routed experts) and k (experts per token); [a, b] is row-major.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/model/sequence.h"
#include "engine/model/thread_plan.h"
#include "engine/weights/config.h"

namespace r1eval::engine::model {

// One of a step's tokens: its id and the position it takes in its sequence.
struct StepToken {
  Sequence* sequence;
  std::int64_t position;
  std::int32_t id;
};

struct Activations {
  // Grows every buffer for the step that `tokens` and `output_tokens` describe. Buffers only grow, so a step
  // allocates nothing once a step of its shape has been seen.
  void prepare(const weights::ModelConfig& config, const ThreadPlan& plan);
  std::int64_t token_count() const { return static_cast<std::int64_t>(tokens.size()); }

  std::vector<StepToken> tokens;            // [n], the items' tokens in order
  std::vector<std::int64_t> output_tokens;  // [rows], the token behind each logits row

  // The residual stream and what each block reads and writes.
  std::vector<double> rotations;  // [n, rope_dim], each token's rope cos/sin pairs, shared by every head and layer
  std::vector<float> hidden;      // [n, d], the residual stream
  std::vector<float> normed;      // [n, d], RMSNorm(hidden): the current block's input
  std::vector<float> block_out;   // [n, d], the current block's output, before it joins the residual stream

  // Attention (MLA); a cache entry is latent + rope_dim floats wide.
  std::vector<float> q_low;              // [n, q_lora_rank], q_a x, normalized in place (unused without q_a)
  std::vector<float> q;                  // [n, H, qk_head_dim], per head [nope | rope]
  std::vector<float> kv;                 // [n, entry], kv_a x: [c_kv | k_pe] before the norm and the rotation
  std::vector<float> q_latent;           // [n, H, entry], queries absorbed into the latent space, laid out like entries
  std::vector<float> context;            // [n, H, entry], attention over the cache (its rope columns are ignored)
  std::vector<float> values;             // [n, H, v_head_dim], the context through each head's W_UV
  std::vector<float> attention_scratch;  // latent_attention's: [threads, slot], or the lone token's one slot
  std::int64_t attention_scratch_floats = 0;  // one slot, in floats

  // FFN: the dense MLP's intermediates [n, intermediate_size], or the routed experts' [n * k, moe_intermediate_size]
  // (rows grouped by expert).
  std::vector<float> gate, up;

  // MoE.
  std::vector<float> router_logits;           // [n, E]
  std::vector<float> router_scratch;          // [threads, 2E + n_group]
  std::vector<std::int32_t> route_experts;    // [n, k], each token's experts in routing order
  std::vector<float> route_weights;           // [n, k], their weights
  std::vector<std::int64_t> expert_begin;     // [E + 1], expert e's rows are [begin[e], begin[e + 1])
  std::vector<std::int64_t> expert_pairs;     // [n * k], the (token, slot) pair t * k + slot behind each row
  std::vector<std::int64_t> pair_rows;        // [n * k], each pair's row (the inverse)
  std::vector<std::int64_t> expert_tasks;     // up to E + 1: the experts with rows, the shared expert as -1
  std::vector<float> expert_in;               // [n * k, d], each row's token, gathered
  std::vector<float> expert_out;              // [n * k, d], each row's expert output
  std::vector<float> shared_gate, shared_up;  // [n, n_shared_experts * moe_intermediate_size]
  std::vector<float> shared_out;              // [n, d]

  std::vector<float> final_normed;  // [rows, d], the output rows after the final norm
};

}  // namespace r1eval::engine::model
