#include "engine/model/activations.h"

#include <algorithm>

#include "engine/kernels/latent_attention.h"

namespace r1eval::engine::model {
namespace {

template <typename T>
void grow(std::vector<T>& buffer, std::int64_t count) {
  if (static_cast<std::int64_t>(buffer.size()) < count) buffer.resize(static_cast<std::size_t>(count));
}

}  // namespace

void Activations::prepare(const weights::ModelConfig& c, const ThreadPlan& plan) {
  const auto n = static_cast<std::int64_t>(tokens.size());
  const auto rows = static_cast<std::int64_t>(output_tokens.size());
  const std::int64_t d = c.hidden_size;
  const std::int64_t heads = c.num_attention_heads;
  const std::int64_t entry = c.kv_lora_rank + c.qk_rope_head_dim;
  const std::int64_t k = c.num_experts_per_tok;
  const std::int64_t experts = c.n_routed_experts;

  grow(rotations, n * c.qk_rope_head_dim);
  grow(hidden, n * d);
  grow(normed, n * d);
  grow(block_out, n * d);

  grow(q_low, n * c.q_lora_rank);
  grow(q, n * heads * c.qk_head_dim());
  grow(kv, n * entry);
  grow(q_latent, n * heads * entry);
  grow(context, n * heads * entry);
  grow(values, n * heads * c.v_head_dim);
  attention_scratch_floats = plan.attention_over_chunks
                                 ? kernels::latent_attention_scratch_floats(heads, tokens[0].position + 1, entry)
                                 : kernels::latent_attention_chunk_scratch_floats(heads, entry);
  grow(attention_scratch, attention_scratch_floats * (plan.attention_over_chunks ? 1 : plan.threads));

  grow(final_normed, rows * d);

  // The FFN buffers serve whichever kinds of FFN layer the model has.
  bool dense = false, moe = false;
  for (std::int64_t l = 0; l < c.num_hidden_layers; ++l) {
    if (c.is_moe_layer(l)) {
      moe = true;
    } else {
      dense = true;
    }
  }
  const std::int64_t ffn_floats =
      std::max(dense ? n * c.intermediate_size : 0, moe ? n * k * c.moe_intermediate_size : 0);
  grow(gate, ffn_floats);
  grow(up, ffn_floats);
  if (!moe) return;

  grow(router_logits, n * experts);
  grow(router_scratch, (2 * experts + c.n_group) * plan.threads);
  grow(route_experts, n * k);
  grow(route_weights, n * k);
  grow(expert_begin, experts + 1);
  grow(expert_pairs, n * k);
  grow(pair_rows, n * k);
  expert_tasks.reserve(static_cast<std::size_t>(experts + 1));
  grow(expert_in, n * k * d);
  grow(expert_out, n * k * d);
  const std::int64_t shared_width = c.n_shared_experts * c.moe_intermediate_size;
  grow(shared_gate, n * shared_width);
  grow(shared_up, n * shared_width);
  grow(shared_out, c.n_shared_experts > 0 ? n * d : 0);
}

}  // namespace r1eval::engine::model
