#include "engine/weights/config.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/weights/load_error.h"
#include "tests/engine/weights/test_files.h"

namespace r1eval::engine::weights {
namespace {

nlohmann::json golden_config(const std::string& checkpoint = "tiny-fp8") {
  return nlohmann::json::parse(test::read_bytes(test::golden_path(checkpoint) / "config.json"));
}

// The LoadError message parse_model_config gives for `config`, or "" when it is accepted.
std::string rejection(const nlohmann::json& config) {
  try {
    parse_model_config(config, "model/config.json");
  } catch (const LoadError& e) {
    return e.what();
  }
  return "";
}

TEST(ModelConfig, ParsesTheGoldenConfig) {
  const ModelConfig c = parse_model_config(golden_config(), "config.json");
  // Values from the golden README: hidden 64, 4 layers (layer 0 dense), 4 heads, ranks 32/32, dims 16/8/16,
  // 16 experts top-4 in 4 groups top-2, 1 shared, YaRN 40 over 256, vocab 1024, one MTP layer.
  EXPECT_EQ(c.vocab_size, 1024);
  EXPECT_EQ(c.hidden_size, 64);
  EXPECT_EQ(c.intermediate_size, 320);
  EXPECT_EQ(c.moe_intermediate_size, 32);
  EXPECT_EQ(c.num_hidden_layers, 4);
  EXPECT_EQ(c.first_k_dense_replace, 1);
  EXPECT_EQ(c.moe_layer_freq, 1);
  EXPECT_EQ(c.num_attention_heads, 4);
  EXPECT_EQ(c.q_lora_rank, 32);
  EXPECT_EQ(c.kv_lora_rank, 32);
  EXPECT_EQ(c.qk_nope_head_dim, 16);
  EXPECT_EQ(c.qk_rope_head_dim, 8);
  EXPECT_EQ(c.qk_head_dim(), 24);
  EXPECT_EQ(c.v_head_dim, 16);
  EXPECT_EQ(c.n_routed_experts, 16);
  EXPECT_EQ(c.n_shared_experts, 1);
  EXPECT_EQ(c.num_experts_per_tok, 4);
  EXPECT_EQ(c.n_group, 4);
  EXPECT_EQ(c.topk_group, 2);
  EXPECT_TRUE(c.norm_topk_prob);
  EXPECT_DOUBLE_EQ(c.routed_scaling_factor, 2.5);
  EXPECT_EQ(c.num_nextn_predict_layers, 1);
  EXPECT_DOUBLE_EQ(c.rms_norm_eps, 1e-6);
  EXPECT_DOUBLE_EQ(c.rope_theta, 10000.0);
  ASSERT_TRUE(c.yarn);
  EXPECT_DOUBLE_EQ(c.yarn->factor, 40.0);
  EXPECT_EQ(c.yarn->original_max_position_embeddings, 256);
  EXPECT_DOUBLE_EQ(c.yarn->beta_fast, 32.0);
  EXPECT_DOUBLE_EQ(c.yarn->beta_slow, 1.0);
  EXPECT_DOUBLE_EQ(c.yarn->mscale, 1.0);
  EXPECT_DOUBLE_EQ(c.yarn->mscale_all_dim, 1.0);
  EXPECT_EQ(c.max_position_embeddings, 10240);
  EXPECT_FALSE(c.tie_word_embeddings);
  EXPECT_EQ(c.bos_token_id, 0);
  EXPECT_EQ(c.eos_token_id, 1);
  EXPECT_EQ(c.fp8_block_size, 128);
  EXPECT_FALSE(c.is_moe_layer(0));
  EXPECT_TRUE(c.is_moe_layer(1));
  EXPECT_TRUE(c.is_moe_layer(4));  // the MTP layer is a MoE layer too

  const ModelConfig bf16 = parse_model_config(golden_config("tiny-bf16"), "config.json");
  EXPECT_FALSE(bf16.fp8_block_size);
}

TEST(ModelConfig, WritesBackEveryKeyOfTheGoldenConfig) {
  for (const char* checkpoint : {"tiny-fp8", "tiny-bf16"}) {
    const nlohmann::json original = golden_config(checkpoint);
    EXPECT_EQ(model_config_to_json(parse_model_config(original, "config.json")), original) << checkpoint;
  }
}

TEST(ModelConfig, AcceptsNullQLoraRankNullRopeScalingAndRopeType) {
  nlohmann::json config = golden_config();
  config["q_lora_rank"] = nullptr;
  config["rope_scaling"] = nullptr;
  config.erase("quantization_config");
  const ModelConfig c = parse_model_config(config, "config.json");
  EXPECT_EQ(c.q_lora_rank, 0);
  EXPECT_FALSE(c.yarn);
  EXPECT_FALSE(c.fp8_block_size);
  EXPECT_TRUE(model_config_to_json(c)["q_lora_rank"].is_null());

  config = golden_config();
  config["rope_scaling"].erase("type");
  config["rope_scaling"]["rope_type"] = "yarn";
  EXPECT_EQ(rejection(config), "");
}

TEST(ModelConfig, RejectsEachMissingRequiredKey) {
  const std::vector<std::string> required = {
      "vocab_size", "hidden_size", "intermediate_size", "moe_intermediate_size", "num_hidden_layers",
      "num_attention_heads", "q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim",
      "n_routed_experts", "n_shared_experts", "num_experts_per_tok", "n_group", "topk_group", "topk_method",
      "scoring_func", "norm_topk_prob", "routed_scaling_factor", "first_k_dense_replace", "moe_layer_freq",
      "rms_norm_eps", "rope_theta", "max_position_embeddings", "hidden_act"};
  for (const auto& key : required) {
    nlohmann::json config = golden_config();
    config.erase(key);
    EXPECT_EQ(rejection(config), "model/config.json: key \"" + key + "\" is missing.") << key;
  }
  for (const std::string key : {"factor", "original_max_position_embeddings", "mscale", "mscale_all_dim"}) {
    nlohmann::json config = golden_config();
    config["rope_scaling"].erase(key);
    EXPECT_EQ(rejection(config), "model/config.json: key \"rope_scaling." + key + "\" is missing.") << key;
  }
}

struct BadValue {
  std::string pointer;   // JSON pointer of the changed value
  nlohmann::json value;  // the bad value
  std::string expected;  // the whole message after "model/config.json: "
};

TEST(ModelConfig, RejectsUnsupportedAndOutOfRangeValues) {
  const std::vector<BadValue> cases = {
      {"/topk_method", "greedy", "key \"topk_method\" is \"greedy\", but r1eval supports only \"noaux_tc\"."},
      {"/scoring_func", "softmax", "key \"scoring_func\" is \"softmax\", but r1eval supports only \"sigmoid\"."},
      {"/hidden_act", "gelu", "key \"hidden_act\" is \"gelu\", but r1eval supports only \"silu\"."},
      {"/model_type", "llama", "key \"model_type\" is \"llama\", but r1eval supports only \"deepseek_v3\"."},
      {"/rope_scaling/type", "linear", "key \"rope_scaling.type\" is \"linear\", but r1eval supports only \"yarn\"."},
      {"/quantization_config/quant_method", "int8",
       "key \"quantization_config.quant_method\" is \"int8\", but r1eval supports only \"fp8\"."},
      {"/quantization_config/fmt", "e5m2",
       "key \"quantization_config.fmt\" is \"e5m2\", but r1eval supports only \"e4m3\"."},
      {"/quantization_config/weight_block_size",
       {128, 64},
       "key \"quantization_config.weight_block_size\" is [128,64]; r1eval supports only square blocks [n, n] with "
       "1 <= n <= 65536."},
      {"/num_experts_per_tok", 0, "key \"num_experts_per_tok\" is 0; it must be between 1 and 8."},
      {"/num_experts_per_tok", 9, "key \"num_experts_per_tok\" is 9; it must be between 1 and 8."},
      {"/n_group", 3, "key \"n_group\" is 3, which does not divide n_routed_experts = 16."},
      {"/topk_group", 5, "key \"topk_group\" is 5; it must be between 1 and 4."},
      {"/vocab_size", -1, "key \"vocab_size\" is -1; it must be between 1 and 16777216."},
      {"/vocab_size", 1e30, "key \"vocab_size\" must be an integer, got 1e+30."},
      {"/vocab_size", "32000", "key \"vocab_size\" must be an integer, got \"32000\"."},
      {"/vocab_size", 18446744073709551615ull,
       "key \"vocab_size\" is 18446744073709551615; it must be between 1 and 16777216."},
      {"/hidden_size", 0, "key \"hidden_size\" is 0; it must be between 1 and 1048576."},
      {"/qk_rope_head_dim", 7, "key \"qk_rope_head_dim\" is 7; RoPE rotates pairs, so it must be even."},
      {"/first_k_dense_replace", 5, "key \"first_k_dense_replace\" is 5; it must be between 0 and 4."},
      {"/rms_norm_eps", 0, "key \"rms_norm_eps\" is 0; it must be above 0 and at most 1."},
      {"/routed_scaling_factor", -1.0,
       "key \"routed_scaling_factor\" is -1.0; it must be above 0 and at most 1000000."},
      {"/norm_topk_prob", "yes", "key \"norm_topk_prob\" must be true or false, got \"yes\"."},
      {"/rope_scaling/factor", 0.5, "key \"rope_scaling.factor\" is 0.5; it must be at least 1 and at most 1000000."},
      {"/bos_token_id", 1024, "key \"bos_token_id\" is 1024; it must be between 0 and 1023."},
      {"/torch_dtype", "int8",
       "key \"torch_dtype\" is \"int8\", but r1eval supports only \"bfloat16\" or \"float16\" or \"float32\"."},
      {"/rope_scaling", "yarn", "key \"rope_scaling\" must be an object or null, got \"yarn\"."},
  };
  for (const auto& c : cases) {
    nlohmann::json config = golden_config();
    config[nlohmann::json::json_pointer(c.pointer)] = c.value;
    EXPECT_EQ(rejection(config), "model/config.json: " + c.expected) << c.pointer << " = " << c.value.dump();
  }
  nlohmann::json tied = golden_config();
  tied["tie_word_embeddings"] = true;
  EXPECT_NE(rejection(tied).find("key \"tie_word_embeddings\" is true"), std::string::npos);
  nlohmann::json biased = golden_config();
  biased["attention_bias"] = true;
  EXPECT_NE(rejection(biased).find("key \"attention_bias\" is true"), std::string::npos);
  EXPECT_EQ(rejection(nlohmann::json::array()), "model/config.json: the configuration is not a JSON object.");
}

TEST(ModelConfig, LoadRejectsMissingDirectoryMissingFileAndDuplicateKeys) {
  const auto dir = test::scratch_dir();
  const auto expect_error = [](const std::filesystem::path& model_dir, const std::string& expected) {
    try {
      load_model_config(model_dir);
      ADD_FAILURE() << "accepted " << model_dir;
    } catch (const LoadError& e) {
      EXPECT_EQ(std::string(e.what()), expected);
    }
  };
  expect_error(dir / "absent", (dir / "absent").string() + ": the model directory does not exist.");
  expect_error(dir, (dir / "config.json").string() + ": the file does not exist.");

  std::string text = test::read_bytes(test::golden_path("tiny-fp8") / "config.json");
  text.insert(1, "\n  \"hidden_size\": 128,");
  test::write_bytes(dir / "config.json", text);
  expect_error(dir, (dir / "config.json").string() + ": JSON object has the key \"hidden_size\" twice.");

  test::write_bytes(dir / "config.json", "{\"vocab_size\": 12,");
  try {
    load_model_config(dir);
    ADD_FAILURE() << "accepted truncated JSON";
  } catch (const LoadError& e) {
    EXPECT_EQ(std::string(e.what()).rfind((dir / "config.json").string() + ": invalid JSON (", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace r1eval::engine::weights
