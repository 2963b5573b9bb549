#include "engine/weights/config.h"

#include <cmath>
#include <initializer_list>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/weights/load_error.h"
#include "engine/weights/read_text_file.h"
#include "engine/weights/strict_json.h"

namespace r1eval::engine::weights {
namespace {

// Bounds far above any real model, low enough that every size derived from them fits in 64 bits.
constexpr std::int64_t kMaxWidth = std::int64_t{1} << 20;
constexpr std::int64_t kMaxVocab = std::int64_t{1} << 24;
constexpr std::int64_t kMaxLayers = 1024;
constexpr std::int64_t kMaxHeads = std::int64_t{1} << 14;
constexpr std::int64_t kMaxExperts = std::int64_t{1} << 16;
constexpr std::int64_t kMaxPositions = std::int64_t{1} << 32;

// Reads typed, range-checked values from one JSON object; every error names the file and the key path.
class ConfigReader {
 public:
  ConfigReader(const nlohmann::json& object, std::string source, std::string prefix = "")
      : object_(object), source_(std::move(source)), prefix_(std::move(prefix)) {}

  bool has(const char* key) const { return object_.contains(key) && !object_.at(key).is_null(); }

  const nlohmann::json& required(const char* key) const {
    const auto it = object_.find(key);
    if (it == object_.end()) throw error(key, "is missing");
    return *it;
  }

  std::int64_t integer(const char* key, std::int64_t min, std::int64_t max) const {
    return check_integer(key, required(key), min, max);
  }
  std::int64_t integer_or(const char* key, std::int64_t fallback, std::int64_t min, std::int64_t max) const {
    return has(key) ? check_integer(key, object_.at(key), min, max) : fallback;
  }

  double number(const char* key, double min, double max, bool min_exclusive = false) const {
    return check_number(key, required(key), min, max, min_exclusive);
  }
  double number_or(const char* key, double fallback, double min, double max) const {
    return has(key) ? check_number(key, object_.at(key), min, max, false) : fallback;
  }

  bool boolean(const char* key) const {
    const auto& value = required(key);
    if (!value.is_boolean()) throw error(key, fmt::format("must be true or false, got {}", shown(value)));
    return value.get<bool>();
  }
  bool boolean_or(const char* key, bool fallback) const { return has(key) ? boolean(key) : fallback; }

  // A string that must be one of `supported` (the first is named in the message as what r1eval runs).
  void require_string(const char* key, std::initializer_list<const char*> supported, bool optional = false) const {
    if (optional && !has(key)) return;
    const auto& value = required(key);
    if (value.is_string()) {
      for (const char* allowed : supported) {
        if (value.get_ref<const std::string&>() == allowed) return;
      }
    }
    std::string list;
    for (const char* allowed : supported) list += fmt::format("{}\"{}\"", list.empty() ? "" : " or ", allowed);
    throw error(key, fmt::format("is {}, but r1eval supports only {}", shown(value), list));
  }

  LoadError error(const char* key, const std::string& what) const {
    return LoadError(fmt::format("{}: key \"{}{}\" {}.", source_, prefix_, key, what));
  }

 private:
  static std::string shown(const nlohmann::json& value) {
    std::string text = value.dump();
    if (text.size() > 80) text = text.substr(0, 80) + "...";
    return text;
  }

  std::int64_t check_integer(const char* key, const nlohmann::json& value, std::int64_t min, std::int64_t max) const {
    if (!value.is_number_integer()) throw error(key, fmt::format("must be an integer, got {}", shown(value)));
    // An unsigned value above INT64_MAX is far out of range; compare it before converting.
    if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
      throw error(key, fmt::format("is {}; it must be between {} and {}", shown(value), min, max));
    }
    const auto result = value.get<std::int64_t>();
    if (result < min || result > max) {
      throw error(key, fmt::format("is {}; it must be between {} and {}", result, min, max));
    }
    return result;
  }

  double check_number(const char* key, const nlohmann::json& value, double min, double max,
                      bool min_exclusive) const {
    if (!value.is_number()) throw error(key, fmt::format("must be a number, got {}", shown(value)));
    const auto result = value.get<double>();
    const bool below = min_exclusive ? !(result > min) : !(result >= min);
    if (!std::isfinite(result) || below || result > max) {
      throw error(key, fmt::format("is {}; it must be {} {} and at most {}", shown(value),
                                   min_exclusive ? "above" : "at least", min, max));
    }
    return result;
  }

  const nlohmann::json& object_;
  std::string source_;
  std::string prefix_;
};

void parse_attention(const ConfigReader& in, ModelConfig& config) {
  config.num_attention_heads = in.integer("num_attention_heads", 1, kMaxHeads);
  if (in.required("q_lora_rank").is_null()) {
    config.q_lora_rank = 0;  // a plain q_proj, as in DeepSeek-V2-Lite
  } else {
    config.q_lora_rank = in.integer("q_lora_rank", 0, kMaxWidth);
  }
  config.kv_lora_rank = in.integer("kv_lora_rank", 1, kMaxWidth);
  config.qk_nope_head_dim = in.integer("qk_nope_head_dim", 1, kMaxWidth);
  config.qk_rope_head_dim = in.integer("qk_rope_head_dim", 2, kMaxWidth);
  if (config.qk_rope_head_dim % 2 != 0) {
    throw in.error("qk_rope_head_dim", fmt::format("is {}; RoPE rotates pairs, so it must be even",
                                                   config.qk_rope_head_dim));
  }
  config.v_head_dim = in.integer("v_head_dim", 1, kMaxWidth);
  if (in.has("attention_bias") && in.boolean("attention_bias")) {
    throw in.error("attention_bias", "is true, but DeepSeek-V3 attention has no biases and r1eval supports only false");
  }
}

void parse_experts(const ConfigReader& in, ModelConfig& config) {
  config.n_routed_experts = in.integer("n_routed_experts", 1, kMaxExperts);
  config.n_shared_experts = in.required("n_shared_experts").is_null() ? 0 : in.integer("n_shared_experts", 0, 64);
  config.n_group = in.integer("n_group", 1, config.n_routed_experts);
  if (config.n_routed_experts % config.n_group != 0) {
    throw in.error("n_group", fmt::format("is {}, which does not divide n_routed_experts = {}", config.n_group,
                                          config.n_routed_experts));
  }
  config.topk_group = in.integer("topk_group", 1, config.n_group);
  const std::int64_t selectable = config.topk_group * (config.n_routed_experts / config.n_group);
  config.num_experts_per_tok = in.integer("num_experts_per_tok", 1, selectable);
  in.require_string("topk_method", {"noaux_tc"});
  in.require_string("scoring_func", {"sigmoid"});
  config.norm_topk_prob = in.boolean("norm_topk_prob");
  config.routed_scaling_factor = in.number("routed_scaling_factor", 0.0, 1e6, /*min_exclusive=*/true);
  config.moe_intermediate_size = in.integer("moe_intermediate_size", 1, kMaxWidth);
  config.first_k_dense_replace = in.integer("first_k_dense_replace", 0, config.num_hidden_layers);
  config.moe_layer_freq = in.integer("moe_layer_freq", 1, kMaxLayers);
}

void parse_rope(const ConfigReader& in, const std::string& source, ModelConfig& config) {
  config.rope_theta = in.number("rope_theta", 1.0, 1e12, /*min_exclusive=*/true);
  config.max_position_embeddings = in.integer("max_position_embeddings", 1, kMaxPositions);
  if (!in.has("rope_scaling")) return;  // absent or null: plain RoPE
  const auto& scaling = in.required("rope_scaling");
  if (!scaling.is_object())
    throw in.error("rope_scaling", fmt::format("must be an object or null, got {}", scaling.dump()));
  const ConfigReader yarn_in(scaling, source, "rope_scaling.");
  // transformers spells the kind "type" in older configs and "rope_type" in newer ones.
  yarn_in.require_string(yarn_in.has("type") ? "type" : "rope_type", {"yarn"});
  YarnScaling yarn;
  yarn.factor = yarn_in.number("factor", 1.0, 1e6);
  yarn.original_max_position_embeddings = yarn_in.integer("original_max_position_embeddings", 1, kMaxPositions);
  // beta_fast/beta_slow have the same defaults in DeepSeek's code and in transformers; mscale_all_dim does not
  // (1.0 vs 0), so the two mscale keys must be present.
  yarn.beta_fast = yarn_in.number_or("beta_fast", 32.0, 1e-6, 1e6);
  yarn.beta_slow = yarn_in.number_or("beta_slow", 1.0, 1e-6, 1e6);
  yarn.mscale = yarn_in.number("mscale", 0.0, 1e6);
  yarn.mscale_all_dim = yarn_in.number("mscale_all_dim", 0.0, 1e6);
  config.yarn = yarn;
}

void parse_quantization(const ConfigReader& in, const std::string& source, ModelConfig& config) {
  if (!in.has("quantization_config")) return;
  const auto& quantization = in.required("quantization_config");
  if (!quantization.is_object()) {
    throw in.error("quantization_config", fmt::format("must be an object, got {}", quantization.dump()));
  }
  const ConfigReader q_in(quantization, source, "quantization_config.");
  q_in.require_string("quant_method", {"fp8"});
  q_in.require_string("fmt", {"e4m3"});
  q_in.require_string("activation_scheme", {"dynamic"}, /*optional=*/true);
  const auto& block = q_in.required("weight_block_size");
  if (!block.is_array() || block.size() != 2 || !block[0].is_number_integer() || !block[1].is_number_integer() ||
      block[0].get<std::int64_t>() < 1 || block[0].get<std::int64_t>() > 65536 ||
      block[0].get<std::int64_t>() != block[1].get<std::int64_t>()) {
    throw q_in.error(
        "weight_block_size",
        fmt::format("is {}; r1eval supports only square blocks [n, n] with 1 <= n <= 65536", block.dump()));
  }
  config.fp8_block_size = block[0].get<std::int64_t>();
}

}  // namespace

ModelConfig parse_model_config(const nlohmann::json& json, const std::string& source) {
  if (!json.is_object()) throw LoadError(fmt::format("{}: the configuration is not a JSON object.", source));
  const ConfigReader in(json, source);
  in.require_string("model_type", {"deepseek_v3"}, /*optional=*/true);
  in.require_string("hidden_act", {"silu"});
  in.require_string("torch_dtype", {"bfloat16", "float16", "float32"}, /*optional=*/true);

  ModelConfig config;
  config.vocab_size = in.integer("vocab_size", 1, kMaxVocab);
  config.hidden_size = in.integer("hidden_size", 1, kMaxWidth);
  config.intermediate_size = in.integer("intermediate_size", 1, kMaxWidth);
  config.num_hidden_layers = in.integer("num_hidden_layers", 1, kMaxLayers);
  config.num_nextn_predict_layers = in.integer_or("num_nextn_predict_layers", 0, 0, 16);
  config.rms_norm_eps = in.number("rms_norm_eps", 0.0, 1.0, /*min_exclusive=*/true);
  if (in.boolean_or("tie_word_embeddings", false)) {
    throw in.error("tie_word_embeddings", "is true, but DeepSeek-V3 checkpoints store lm_head.weight separately and "
                                          "r1eval supports only false");
  }
  config.tie_word_embeddings = false;
  config.bos_token_id = in.integer_or("bos_token_id", 0, 0, config.vocab_size - 1);
  config.eos_token_id = in.integer_or("eos_token_id", 1, 0, config.vocab_size - 1);

  parse_attention(in, config);
  parse_experts(in, config);
  parse_rope(in, source, config);
  parse_quantization(in, source, config);
  return config;
}

ModelConfig load_model_config(const std::filesystem::path& model_dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(model_dir, error)) {
    throw LoadError(fmt::format("{}: the model directory does not exist.", model_dir.string()));
  }
  const auto path = model_dir / "config.json";
  return parse_model_config(parse_strict_json(read_text_file(path, 10'000'000), path.string()), path.string());
}

namespace {

// Integral values as JSON integers (as R1's own config.json writes rope_theta, factor, beta_fast...).
nlohmann::json number_as_written(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 9.0e15) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

}  // namespace

nlohmann::json model_config_to_json(const ModelConfig& config) {
  nlohmann::json json = {
      {"architectures", {"DeepseekV3ForCausalLM"}},
      {"attention_bias", false},
      {"attention_dropout", 0.0},
      {"auto_map",
       {{"AutoConfig", "configuration_deepseek.DeepseekV3Config"},
        {"AutoModel", "modeling_deepseek.DeepseekV3Model"},
        {"AutoModelForCausalLM", "modeling_deepseek.DeepseekV3ForCausalLM"}}},
      {"aux_loss_alpha", 0.001},
      {"bos_token_id", config.bos_token_id},
      {"eos_token_id", config.eos_token_id},
      {"ep_size", 1},
      {"first_k_dense_replace", config.first_k_dense_replace},
      {"hidden_act", "silu"},
      {"hidden_size", config.hidden_size},
      {"initializer_range", 0.02},
      {"intermediate_size", config.intermediate_size},
      {"kv_lora_rank", config.kv_lora_rank},
      {"max_position_embeddings", config.max_position_embeddings},
      {"model_type", "deepseek_v3"},
      {"moe_intermediate_size", config.moe_intermediate_size},
      {"moe_layer_freq", config.moe_layer_freq},
      {"n_group", config.n_group},
      {"n_routed_experts", config.n_routed_experts},
      {"n_shared_experts", config.n_shared_experts},
      {"norm_topk_prob", config.norm_topk_prob},
      {"num_attention_heads", config.num_attention_heads},
      {"num_experts_per_tok", config.num_experts_per_tok},
      {"num_hidden_layers", config.num_hidden_layers},
      {"num_key_value_heads", config.num_attention_heads},
      {"num_nextn_predict_layers", config.num_nextn_predict_layers},
      {"pretraining_tp", 1},
      {"q_lora_rank", config.q_lora_rank > 0 ? nlohmann::json(config.q_lora_rank) : nlohmann::json(nullptr)},
      {"qk_nope_head_dim", config.qk_nope_head_dim},
      {"qk_rope_head_dim", config.qk_rope_head_dim},
      {"rms_norm_eps", config.rms_norm_eps},
      {"rope_theta", number_as_written(config.rope_theta)},
      {"routed_scaling_factor", config.routed_scaling_factor},
      {"scoring_func", "sigmoid"},
      {"seq_aux", true},
      {"tie_word_embeddings", false},
      {"topk_group", config.topk_group},
      {"topk_method", "noaux_tc"},
      {"torch_dtype", "bfloat16"},
      {"transformers_version", "4.46.3"},
      {"use_cache", true},
      {"v_head_dim", config.v_head_dim},
      {"vocab_size", config.vocab_size},
  };
  if (config.yarn) {
    json["rope_scaling"] = {
        {"beta_fast", number_as_written(config.yarn->beta_fast)},
        {"beta_slow", number_as_written(config.yarn->beta_slow)},
        {"factor", number_as_written(config.yarn->factor)},
        {"mscale", config.yarn->mscale},
        {"mscale_all_dim", config.yarn->mscale_all_dim},
        {"original_max_position_embeddings", config.yarn->original_max_position_embeddings},
        {"type", "yarn"},
    };
  } else {
    json["rope_scaling"] = nullptr;
  }
  if (config.fp8_block_size) {
    json["quantization_config"] = {
        {"activation_scheme", "dynamic"},
        {"fmt", "e4m3"},
        {"quant_method", "fp8"},
        {"weight_block_size", {*config.fp8_block_size, *config.fp8_block_size}},
    };
  }
  return json;
}

}  // namespace r1eval::engine::weights
