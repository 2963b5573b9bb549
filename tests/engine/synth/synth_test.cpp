#include "engine/synth/synthetic_checkpoint.h"

#include <cmath>
#include <cstring>
#include <set>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/synth/presets.h"
#include "engine/synth/tensor_values.h"
#include "engine/weights/checkpoint.h"
#include "engine/weights/dtype.h"
#include "engine/weights/inventory.h"
#include "engine/weights/load_error.h"
#include "tests/engine/weights/test_files.h"

namespace r1eval::engine::synth {
namespace {

namespace fs = std::filesystem;
using weights::Checkpoint;
using weights::DType;

// A shape unlike the presets: no q_lora (plain q_proj), odd widths that leave partial 128-blocks in both
// directions, 3 heads, a dense layer between MoE layers, two MTP layers.
weights::ModelConfig odd_config(bool fp8) {
  weights::ModelConfig c = preset_config(Preset::Tiny, fp8);
  c.vocab_size = 300;
  c.hidden_size = 200;
  c.intermediate_size = 260;
  c.moe_intermediate_size = 136;
  c.num_hidden_layers = 3;
  c.first_k_dense_replace = 1;
  c.moe_layer_freq = 2;
  c.num_attention_heads = 3;
  c.q_lora_rank = 0;
  c.kv_lora_rank = 72;
  c.qk_nope_head_dim = 24;
  c.qk_rope_head_dim = 6;
  c.v_head_dim = 20;
  c.n_routed_experts = 6;
  c.n_group = 2;
  c.topk_group = 1;
  c.num_experts_per_tok = 2;
  c.n_shared_experts = 2;
  c.num_nextn_predict_layers = 2;
  c.yarn.reset();
  c.max_position_embeddings = 4096;
  return c;
}

SynthOptions no_tokenizer(const fs::path& scratch) {
  SynthOptions options;
  options.tokenizer_dir = test::empty_tokenizer_dir(scratch);
  options.durable = false;  // fsync is for crash safety; tests only need the bytes
  return options;
}

std::vector<float> values_of(const weights::ExpectedTensor& tensor, std::uint64_t seed) {
  std::uint64_t count = 1;
  for (const auto extent : tensor.shape) count *= static_cast<std::uint64_t>(extent);
  std::vector<float> values(count);
  fill_tensor_values(tensor, seed, 0, values);
  return values;
}

const weights::ExpectedTensor& find_expected(const std::vector<weights::ExpectedTensor>& tensors,
                                             const std::string& name) {
  for (const auto& tensor : tensors) {
    if (tensor.name == name) return tensor;
  }
  throw std::runtime_error("no expected tensor " + name);
}

// The tiny FP8 preset with seed 7, written once per process for the tests that only read it (~67 MB a write).
// It lives in the scratch area of the first test that asks, so parallel test processes never share it.
const fs::path& shared_tiny_fp8() {
  static const fs::path dir = [] {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const fs::path root = fs::path(R1EVAL_BINARY_DIR) / "test-scratch" /
                          (std::string(info->test_suite_name()) + "." + info->name() + ".shared");
    fs::remove_all(root);
    fs::create_directories(root);
    write_synthetic_checkpoint(Preset::Tiny, 7, true, root / "model", no_tokenizer(root));
    return root / "model";
  }();
  return dir;
}

TEST(SyntheticCheckpoint, SameSeedGivesByteIdenticalFiles) {
  const auto scratch = test::scratch_dir();
  write_synthetic_checkpoint(Preset::Tiny, 7, true, scratch / "again", no_tokenizer(scratch));
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(shared_tiny_fp8())) {
    const auto name = entry.path().filename();
    EXPECT_EQ(test::read_bytes(entry.path()), test::read_bytes(scratch / "again" / name)) << name;
    ++files;
  }
  EXPECT_EQ(files, 12u);  // README, 2 configs, 7 shards, index, tokenizer.json
}

TEST(SyntheticCheckpoint, OtherSeedsGiveOtherWeights) {
  const auto scratch = test::scratch_dir();
  const auto options = no_tokenizer(scratch);
  write_synthetic_checkpoint(odd_config(true), 1, scratch / "a", options);
  write_synthetic_checkpoint(odd_config(true), 2, scratch / "b", options);
  const Checkpoint a = Checkpoint::open(scratch / "a");
  const Checkpoint b = Checkpoint::open(scratch / "b");
  for (const auto& name : a.tensor_names()) {
    const auto& x = a.get(name);
    ASSERT_EQ(x.nbytes, b.get(name).nbytes);
    EXPECT_NE(std::memcmp(x.data, b.get(name).data, x.nbytes), 0) << name;
  }
}

TEST(SyntheticCheckpoint, TinyMatchesTheGoldenLayoutAndValidates) {
  const auto scratch = test::scratch_dir();
  for (const bool fp8 : {false, true}) {
    const auto dir = fp8 ? shared_tiny_fp8() : scratch / "model";
    if (!fp8) write_synthetic_checkpoint(Preset::Tiny, 3, false, dir, no_tokenizer(scratch));
    const std::string golden = fp8 ? "tiny-fp8" : "tiny-bf16";

    // config.json is the golden one except for the real vocabulary size.
    auto golden_config = nlohmann::json::parse(test::read_bytes(test::golden_path(golden) / "config.json"));
    golden_config["vocab_size"] = 129280;
    EXPECT_EQ(nlohmann::json::parse(test::read_bytes(dir / "config.json")), golden_config);
    const auto generation = nlohmann::json::parse(test::read_bytes(dir / "generation_config.json"));
    EXPECT_EQ(generation,
              nlohmann::json::parse(test::read_bytes(test::golden_path(golden) / "generation_config.json")));

    // Same tensor names, dtypes and (vocabulary aside) shapes as the independently written golden checkpoint.
    const Checkpoint ours = Checkpoint::open(dir);
    const Checkpoint reference = Checkpoint::open(test::golden_path(golden));
    EXPECT_EQ(ours.tensor_names(), reference.tensor_names());
    for (const auto& name : reference.tensor_names()) {
      const auto& a = ours.get(name);
      const auto& b = reference.get(name);
      EXPECT_EQ(a.dtype, b.dtype) << name;
      auto expected_shape = b.shape;
      if (expected_shape[0] == 1024) expected_shape[0] = 129280;  // embeddings and heads
      EXPECT_EQ(a.shape, expected_shape) << name;
    }
    const auto config = weights::load_model_config(dir);
    EXPECT_NO_THROW(weights::validate_checkpoint(config, ours));
    const auto index = nlohmann::json::parse(test::read_bytes(dir / "model.safetensors.index.json"));
    EXPECT_EQ(index.at("metadata").at("total_size").get<std::uint64_t>(), ours.total_bytes());
    std::set<std::string> shards;
    for (const auto& [name, file] : index.at("weight_map").items()) shards.insert(file.get<std::string>());
    EXPECT_GE(shards.size(), 3u);
    if (fp8) {
      EXPECT_NE(ours.get("model.layers.1.self_attn.kv_b_proj.weight").file,
                ours.get("model.layers.1.self_attn.kv_b_proj.weight_scale_inv").file);
    }
  }
}

TEST(SyntheticCheckpoint, Fp8HeadsChangeOnlyTheHeads) {
  const auto scratch = test::scratch_dir();
  SynthOptions options = no_tokenizer(scratch);
  options.fp8_heads = true;
  write_synthetic_checkpoint(Preset::Tiny, 7, true, scratch / "model", options);
  const Checkpoint heads = Checkpoint::open(scratch / "model");
  const Checkpoint released = Checkpoint::open(shared_tiny_fp8());
  EXPECT_NO_THROW(weights::validate_checkpoint(preset_config(Preset::Tiny, true), heads));
  const std::set<std::string> head_names = {"lm_head.weight", "model.layers.4.shared_head.head.weight"};
  std::set<std::string> expected_names;
  for (const auto& name : released.tensor_names()) {
    expected_names.insert(name);
    if (head_names.count(name) != 0) {
      expected_names.insert(name + "_scale_inv");
      EXPECT_EQ(heads.get(name).dtype, DType::F8_E4M3) << name;
      EXPECT_EQ(heads.get(name).shape, released.get(name).shape) << name;
      EXPECT_EQ(released.get(name).dtype, DType::BF16) << name;
      continue;
    }
    const auto& a = heads.get(name);
    const auto& b = released.get(name);
    ASSERT_EQ(a.nbytes, b.nbytes) << name;
    EXPECT_EQ(std::memcmp(a.data, b.data, a.nbytes), 0) << name;
  }
  const auto names = heads.tensor_names();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected_names);
}

TEST(SyntheticCheckpoint, Fp8DequantizesToTheOriginalValuesWithinFp8Rounding) {
  const auto config = preset_config(Preset::Tiny, true);
  const Checkpoint checkpoint = Checkpoint::open(shared_tiny_fp8());
  const auto expected = weights::expected_tensors(config);
  // The dense down projection [64, 320] has a partial column block; kv_a [40, 64] a partial row block.
  for (const std::string name : {"model.layers.0.mlp.down_proj.weight", "model.layers.0.mlp.up_proj.weight",
                                 "model.layers.2.self_attn.kv_a_proj_with_mqa.weight",
                                 "model.layers.4.mlp.experts.9.gate_proj.weight"}) {
    const auto& tensor = find_expected(expected, name);
    const auto original = values_of(tensor, 7);
    const auto& codes = checkpoint.get(name);
    const auto& scales = checkpoint.get(name + "_scale_inv");
    ASSERT_EQ(codes.dtype, DType::F8_E4M3);
    const std::int64_t rows = tensor.shape[0];
    const std::int64_t cols = tensor.shape[1];
    const std::int64_t grid_cols = (cols + 127) / 128;
    std::vector<float> scale_values(scales.nbytes / 4);
    std::memcpy(scale_values.data(), scales.data, scales.nbytes);
    // Each scale is amax/448 of its block's real elements, recomputed here from the original values.
    std::vector<float> amax(scale_values.size(), 0.0f);
    for (std::int64_t r = 0; r < rows; ++r) {
      for (std::int64_t c = 0; c < cols; ++c) {
        auto& m = amax[static_cast<std::size_t>((r / 128) * grid_cols + c / 128)];
        m = std::max(m, std::fabs(original[static_cast<std::size_t>(r * cols + c)]));
      }
    }
    for (std::size_t b = 0; b < amax.size(); ++b) EXPECT_FLOAT_EQ(scale_values[b], amax[b] / 448.0f) << name;
    const auto* bytes = static_cast<const std::uint8_t*>(codes.data);
    double worst = 0.0;
    for (std::int64_t r = 0; r < rows; ++r) {
      for (std::int64_t c = 0; c < cols; ++c) {
        const auto i = static_cast<std::size_t>(r * cols + c);
        const double scale = scale_values[static_cast<std::size_t>((r / 128) * grid_cols + c / 128)];
        const double error = std::fabs(test::e4m3_by_definition(bytes[i]) * scale - original[i]);
        // Half a unit in the last place: 3 mantissa bits (2^-4 relative), or 2^-10 absolute among subnormals.
        const double bound = std::max(std::fabs(original[i]) * 0x1.0p-4, 0x1.0p-10 * scale) * 1.0001;
        ASSERT_LE(error, bound) << name << " [" << r << ", " << c << "]";
        worst = std::max(worst, error / std::fabs(original[i] + 1e-30));
      }
    }
    EXPECT_GT(worst, 0.0) << name << ": quantization cannot be lossless on random values";
  }
}

TEST(SyntheticCheckpoint, ChunkedGenerationGivesTheWholeTensorsValues) {
  // The 129280 x 64 embedding is generated in chunks of 2^22 elements; every stored value must still be the
  // bf16 rounding of the value at its index.
  const auto config = preset_config(Preset::Tiny, true);
  const Checkpoint checkpoint = Checkpoint::open(shared_tiny_fp8());
  const auto expected = weights::expected_tensors(config);
  const auto& tensor = find_expected(expected, "model.embed_tokens.weight");
  const auto original = values_of(tensor, 7);
  ASSERT_GT(original.size(), std::size_t{1} << 22);
  const auto& view = checkpoint.get(tensor.name);
  ASSERT_EQ(view.nbytes, 2 * original.size());
  for (std::size_t i = 0; i < original.size(); ++i) {
    std::uint16_t bits = 0;
    std::memcpy(&bits, static_cast<const char*>(view.data) + 2 * i, 2);
    ASSERT_EQ(bits, weights::f32_to_bf16(original[i])) << "element " << i;
  }
}

TEST(SyntheticCheckpoint, Bf16ValuesAreTheRoundedOriginalsAndWellScaled) {
  const auto scratch = test::scratch_dir();
  const auto config = odd_config(false);
  write_synthetic_checkpoint(config, 5, scratch / "model", no_tokenizer(scratch));
  const Checkpoint checkpoint = Checkpoint::open(scratch / "model");
  const auto expected = weights::expected_tensors(config);
  for (const auto& tensor : expected) {
    const auto& view = checkpoint.get(tensor.name);
    const auto original = values_of(tensor, 5);
    double sum = 0;
    double sum_sq = 0;
    for (std::size_t i = 0; i < original.size(); ++i) {
      float stored = 0;
      if (view.dtype == DType::F32) {
        std::memcpy(&stored, static_cast<const char*>(view.data) + 4 * i, 4);
        ASSERT_EQ(stored, original[i]) << tensor.name;
      } else {
        std::uint16_t bits = 0;
        std::memcpy(&bits, static_cast<const char*>(view.data) + 2 * i, 2);
        ASSERT_EQ(bits, weights::f32_to_bf16(original[i])) << tensor.name;
        stored = weights::bf16_to_f32(bits);
      }
      sum += stored;
      sum_sq += static_cast<double>(stored) * stored;
    }
    const auto n = static_cast<double>(original.size());
    const double mean = sum / n;
    const double std_dev = std::sqrt(sum_sq / n - mean * mean);
    const std::string& name = tensor.name;
    if (name.ends_with("norm.weight")) {
      EXPECT_NEAR(mean, 1.0, 0.1) << name;  // uniform in [0.8, 1.2)
    } else if (name.ends_with("e_score_correction_bias")) {
      EXPECT_EQ(view.dtype, DType::F32);
      for (const float b : original) EXPECT_TRUE(b >= 0.0f && b < 0.3f) << name;
    } else if (name.ends_with("embed_tokens.weight")) {
      EXPECT_NEAR(std_dev, 1.0, 0.05) << name;
    } else if (name == "lm_head.weight" || name.ends_with("shared_head.head.weight")) {
      EXPECT_NEAR(std_dev * std::sqrt(200.0), 2.0, 0.1) << name;
    } else if (original.size() > 2000) {
      EXPECT_NEAR(std_dev * std::sqrt(static_cast<double>(tensor.shape[1])), 1.0, 0.06) << name;
      EXPECT_NEAR(mean, 0.0, 0.05 / std::sqrt(static_cast<double>(tensor.shape[1])) + 0.01) << name;
    }
  }
}

TEST(SyntheticCheckpoint, OtherShapesValidateInBothDtypes) {
  for (const bool fp8 : {false, true}) {
    const auto scratch = test::scratch_dir();
    const auto config = odd_config(fp8);
    SynthOptions options = no_tokenizer(scratch);
    options.max_shard_bytes = 100'000;
    const auto summary = write_synthetic_checkpoint(config, 1, scratch / "model", options);
    EXPECT_GT(summary.shards, 3u);
    const auto loaded = weights::load_model_config(scratch / "model");
    EXPECT_EQ(weights::model_config_to_json(loaded), weights::model_config_to_json(config));
    const Checkpoint checkpoint = Checkpoint::open(scratch / "model");
    EXPECT_NO_THROW(weights::validate_checkpoint(loaded, checkpoint));
    EXPECT_EQ(checkpoint.get("model.layers.0.self_attn.q_proj.weight").shape, (std::vector<std::int64_t>{90, 200}));
    EXPECT_EQ(checkpoint.find("model.layers.0.self_attn.q_a_proj.weight"), nullptr);
    EXPECT_NE(checkpoint.find("model.layers.4.shared_head.head.weight"), nullptr);  // the second MTP layer
    EXPECT_NE(checkpoint.find("model.layers.2.mlp.gate.weight"), nullptr);         // layer 2 is MoE (freq 2)
    EXPECT_NE(checkpoint.find("model.layers.1.mlp.gate_proj.weight"), nullptr);    // layer 1 is dense
    if (fp8) {
      // q_proj [90, 200] and the shared experts' down_proj [200, 272]: partial blocks in both directions.
      EXPECT_EQ(checkpoint.get("model.layers.0.self_attn.q_proj.weight_scale_inv").shape,
                (std::vector<std::int64_t>{1, 2}));
      EXPECT_EQ(checkpoint.get("model.layers.2.mlp.shared_experts.down_proj.weight_scale_inv").shape,
                (std::vector<std::int64_t>{2, 3}));
      EXPECT_NE(checkpoint.get("model.layers.1.self_attn.kv_b_proj.weight").file,
                checkpoint.get("model.layers.1.self_attn.kv_b_proj.weight_scale_inv").file);
    }
  }
}

TEST(SyntheticCheckpoint, RefusesANonEmptyDirectoryUnlessForced) {
  const auto scratch = test::scratch_dir();
  const auto dir = scratch / "model";
  auto options = no_tokenizer(scratch);
  options.max_shard_bytes = 20'000;
  const auto first = write_synthetic_checkpoint(odd_config(false), 1, dir, options);
  try {
    write_synthetic_checkpoint(odd_config(false), 2, dir, options);
    ADD_FAILURE() << "overwrote a non-empty directory";
  } catch (const std::exception& e) {
    EXPECT_EQ(std::string(e.what()),
              dir.string() + " is not empty; pass --force to write the checkpoint into it anyway.");
  }
  // With force, a smaller checkpoint replaces the larger one and leaves no stale shard behind.
  test::write_bytes(dir / "notes.txt", "kept");
  options.force = true;
  options.max_shard_bytes = 0;
  const auto second = write_synthetic_checkpoint(odd_config(false), 2, dir, options);
  ASSERT_LT(second.shards, first.shards);
  std::size_t shards = 0;
  for (const auto& entry : fs::directory_iterator(dir)) shards += entry.path().extension() == ".safetensors";
  EXPECT_EQ(shards, second.shards);
  EXPECT_EQ(test::read_bytes(dir / "notes.txt"), "kept");
  EXPECT_NO_THROW(weights::validate_checkpoint(weights::load_model_config(dir), Checkpoint::open(dir)));
}

TEST(SyntheticCheckpoint, CopiesTheTokenizerFiles) {
  const auto scratch = test::scratch_dir();
  fs::create_directories(scratch / "tok");
  test::write_bytes(scratch / "tok" / "tokenizer.json", "{\"model\": {}}");
  test::write_bytes(scratch / "tok" / "tokenizer_config.json", "{\"add_bos_token\": true}");
  SynthOptions options;
  options.durable = false;
  options.tokenizer_dir = scratch / "tok";
  const auto summary = write_synthetic_checkpoint(odd_config(false), 1, scratch / "model", options);
  EXPECT_EQ(summary.tokenizer_from, scratch / "tok");
  EXPECT_EQ(test::read_bytes(scratch / "model" / "tokenizer.json"), "{\"model\": {}}");
  EXPECT_EQ(test::read_bytes(scratch / "model" / "tokenizer_config.json"), "{\"add_bos_token\": true}");

  options.tokenizer_dir = scratch / "no-tokenizer-here";
  try {
    write_synthetic_checkpoint(odd_config(false), 1, scratch / "other", options);
    ADD_FAILURE() << "accepted a tokenizer directory without tokenizer.json";
  } catch (const std::exception& e) {
    EXPECT_EQ(std::string(e.what()),
              (scratch / "no-tokenizer-here").string() + ": there is no tokenizer.json in the tokenizer directory.");
  }
  EXPECT_FALSE(fs::exists(scratch / "other"));  // nothing written before the check
}

TEST(Presets, SmallHasTheDocumentedShape) {
  const auto c = preset_config(Preset::Small, true);
  EXPECT_EQ(c.hidden_size, 1024);
  EXPECT_EQ(c.num_hidden_layers, 8);
  EXPECT_EQ(c.first_k_dense_replace, 1);
  EXPECT_EQ(c.intermediate_size, 2816);
  EXPECT_EQ(c.num_attention_heads, 16);
  EXPECT_EQ(c.q_lora_rank, 384);
  EXPECT_EQ(c.kv_lora_rank, 256);
  EXPECT_EQ(c.qk_nope_head_dim, 64);
  EXPECT_EQ(c.qk_rope_head_dim, 32);
  EXPECT_EQ(c.v_head_dim, 64);
  EXPECT_EQ(c.n_routed_experts, 64);
  EXPECT_EQ(c.num_experts_per_tok, 6);
  EXPECT_EQ(c.n_group, 8);
  EXPECT_EQ(c.topk_group, 4);
  EXPECT_EQ(c.moe_intermediate_size, 512);
  EXPECT_EQ(c.n_shared_experts, 1);
  EXPECT_DOUBLE_EQ(c.routed_scaling_factor, 2.5);
  EXPECT_DOUBLE_EQ(c.yarn->factor, 40.0);
  EXPECT_EQ(c.yarn->original_max_position_embeddings, 4096);
  EXPECT_EQ(c.max_position_embeddings, 163840);
  EXPECT_EQ(c.vocab_size, 129280);
  EXPECT_EQ(c.num_nextn_predict_layers, 1);
  EXPECT_EQ(c.fp8_block_size, 128);
  // It round-trips through config.json validation, so the engine accepts what the generator writes.
  EXPECT_EQ(weights::model_config_to_json(weights::parse_model_config(weights::model_config_to_json(c), "config.json")),
            weights::model_config_to_json(c));
  EXPECT_EQ(parse_preset("small"), Preset::Small);
  EXPECT_EQ(parse_preset("tiny"), Preset::Tiny);
  EXPECT_FALSE(parse_preset("huge"));
}

}  // namespace
}  // namespace r1eval::engine::synth
