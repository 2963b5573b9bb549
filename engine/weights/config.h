// config.json (Hugging Face DeepseekV3 layout) -> a validated model configuration.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace r1eval::engine::weights {

struct YarnScaling {
  double factor = 1.0;
  std::int64_t original_max_position_embeddings = 4096;
  double beta_fast = 32.0;
  double beta_slow = 1.0;
  double mscale = 1.0;
  double mscale_all_dim = 1.0;
};

struct ModelConfig {
  std::int64_t vocab_size = 0;
  std::int64_t hidden_size = 0;
  std::int64_t intermediate_size = 0;      // dense MLP width
  std::int64_t moe_intermediate_size = 0;  // routed / shared expert width
  std::int64_t num_hidden_layers = 0;
  std::int64_t first_k_dense_replace = 0;
  std::int64_t moe_layer_freq = 1;
  std::int64_t num_attention_heads = 0;
  std::int64_t q_lora_rank = 0;  // 0 when the checkpoint has a plain q_proj (null in config.json)
  std::int64_t kv_lora_rank = 0;
  std::int64_t qk_nope_head_dim = 0;
  std::int64_t qk_rope_head_dim = 0;
  std::int64_t v_head_dim = 0;
  std::int64_t n_routed_experts = 0;
  std::int64_t n_shared_experts = 0;
  std::int64_t num_experts_per_tok = 0;
  std::int64_t n_group = 1;
  std::int64_t topk_group = 1;
  bool norm_topk_prob = true;
  double routed_scaling_factor = 1.0;
  std::int64_t num_nextn_predict_layers = 0;
  double rms_norm_eps = 1e-6;
  double rope_theta = 10000.0;
  std::optional<YarnScaling> yarn;  // absent when rope_scaling is null
  std::int64_t max_position_embeddings = 0;
  bool tie_word_embeddings = false;
  std::int64_t bos_token_id = 0;
  std::int64_t eos_token_id = 1;
  // quantization_config (fp8, e4m3, dynamic activations); absent for unquantized checkpoints.
  std::optional<std::int64_t> fp8_block_size;  // weight_block_size, both entries equal (128 in R1)

  std::int64_t qk_head_dim() const { return qk_nope_head_dim + qk_rope_head_dim; }
  bool is_moe_layer(std::int64_t layer) const {
    return n_routed_experts > 0 && layer >= first_k_dense_replace && layer % moe_layer_freq == 0;
  }
};

// Validates every key the forward pass needs (presence, type, range, consistency) and rejects values the
// engine cannot run (another topk_method, scoring_func, hidden_act, rope type...). Throws LoadError with a
// sentence naming `source` and the key.
ModelConfig parse_model_config(const nlohmann::json& json, const std::string& source);
// Reads DIR/config.json. Throws LoadError for a missing directory or file, or invalid JSON.
ModelConfig load_model_config(const std::filesystem::path& model_dir);
// The inverse, for the synthetic checkpoint writer: a config.json with every key of R1's own file.
nlohmann::json model_config_to_json(const ModelConfig& config);

}  // namespace r1eval::engine::weights
