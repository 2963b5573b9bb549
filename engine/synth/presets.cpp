#include "engine/synth/presets.h"

namespace r1eval::engine::synth {

std::optional<Preset> parse_preset(std::string_view name) {
  if (name == "tiny") return Preset::Tiny;
  if (name == "small") return Preset::Small;
  return std::nullopt;
}

std::string_view preset_name(Preset preset) { return preset == Preset::Tiny ? "tiny" : "small"; }

namespace {

// What the two presets share with DeepSeek-R1 itself (MODEL.md §1).
weights::ModelConfig r1_like_base() {
  weights::ModelConfig c;
  c.vocab_size = 129280;
  c.moe_layer_freq = 1;
  c.n_shared_experts = 1;
  c.norm_topk_prob = true;
  c.routed_scaling_factor = 2.5;
  c.num_nextn_predict_layers = 1;
  c.rms_norm_eps = 1e-6;
  c.rope_theta = 10000.0;
  c.tie_word_embeddings = false;
  c.bos_token_id = 0;
  c.eos_token_id = 1;
  return c;
}

weights::YarnScaling yarn(double factor, std::int64_t original_positions) {
  weights::YarnScaling y;
  y.factor = factor;
  y.original_max_position_embeddings = original_positions;
  y.beta_fast = 32.0;
  y.beta_slow = 1.0;
  y.mscale = 1.0;
  y.mscale_all_dim = 1.0;
  return y;
}

}  // namespace

weights::ModelConfig preset_config(Preset preset, bool fp8) {
  weights::ModelConfig c = r1_like_base();
  if (preset == Preset::Tiny) {
    c.hidden_size = 64;
    c.num_hidden_layers = 4;
    c.first_k_dense_replace = 1;
    c.intermediate_size = 320;
    c.num_attention_heads = 4;
    c.q_lora_rank = 32;
    c.kv_lora_rank = 32;
    c.qk_nope_head_dim = 16;
    c.qk_rope_head_dim = 8;
    c.v_head_dim = 16;
    c.n_routed_experts = 16;
    c.num_experts_per_tok = 4;
    c.n_group = 4;
    c.topk_group = 2;
    c.moe_intermediate_size = 32;
    c.yarn = yarn(40.0, 256);
  } else {
    c.hidden_size = 1024;
    c.num_hidden_layers = 8;
    c.first_k_dense_replace = 1;
    c.intermediate_size = 2816;
    c.num_attention_heads = 16;
    c.q_lora_rank = 384;
    c.kv_lora_rank = 256;
    c.qk_nope_head_dim = 64;
    c.qk_rope_head_dim = 32;
    c.v_head_dim = 64;
    c.n_routed_experts = 64;
    c.num_experts_per_tok = 6;
    c.n_group = 8;
    c.topk_group = 4;
    c.moe_intermediate_size = 512;
    c.yarn = yarn(40.0, 4096);
  }
  // Newer transformers recompute factor as max_position_embeddings / original, so keep them consistent.
  c.max_position_embeddings = static_cast<std::int64_t>(c.yarn->factor) * c.yarn->original_max_position_embeddings;
  if (fp8) c.fp8_block_size = 128;
  return c;
}

}  // namespace r1eval::engine::synth
