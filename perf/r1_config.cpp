#include "perf/r1_config.h"

namespace r1eval::perf {

engine::weights::ModelConfig deepseek_r1_config() {
  engine::weights::ModelConfig c;
  c.vocab_size = 129280;
  c.hidden_size = 7168;
  c.intermediate_size = 18432;
  c.moe_intermediate_size = 2048;
  c.num_hidden_layers = 61;
  c.first_k_dense_replace = 3;
  c.moe_layer_freq = 1;
  c.num_attention_heads = 128;
  c.q_lora_rank = 1536;
  c.kv_lora_rank = 512;
  c.qk_nope_head_dim = 128;
  c.qk_rope_head_dim = 64;
  c.v_head_dim = 128;
  c.n_routed_experts = 256;
  c.n_shared_experts = 1;
  c.num_experts_per_tok = 8;
  c.n_group = 8;
  c.topk_group = 4;
  c.norm_topk_prob = true;
  c.routed_scaling_factor = 2.5;
  c.num_nextn_predict_layers = 1;
  c.rms_norm_eps = 1e-6;
  c.rope_theta = 10000.0;
  c.yarn = engine::weights::YarnScaling{.factor = 40.0,
                                        .original_max_position_embeddings = 4096,
                                        .beta_fast = 32.0,
                                        .beta_slow = 1.0,
                                        .mscale = 1.0,
                                        .mscale_all_dim = 1.0};
  c.max_position_embeddings = 163840;
  c.tie_word_embeddings = false;
  c.bos_token_id = 0;
  c.eos_token_id = 1;
  c.fp8_block_size = 128;
  return c;
}

}  // namespace r1eval::perf
