// The loader on the two golden checkpoints: file hashes, headers, tensor data, inventory.
#include "engine/weights/checkpoint.h"

#include <cstring>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/weights/config.h"
#include "engine/weights/inventory.h"
#include "engine/weights/load_error.h"
#include "engine/weights/safetensors_writer.h"
#include "tests/engine/weights/test_files.h"

namespace r1eval::engine::weights {
namespace {

class GoldenCheckpoint : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenCheckpoint, FilesMatchTheGoldenSha256) {
  const auto golden = nlohmann::json::parse(test::read_bytes(test::golden_path(GetParam() + ".json")));
  const auto& hashes = golden.at("checkpoint").at("files_sha256");
  ASSERT_GE(hashes.size(), 5u);
  for (const auto& [file, sha] : hashes.items()) {
    EXPECT_EQ(test::sha256_hex(test::golden_path(GetParam()) / file), sha.get<std::string>()) << file;
  }
}

TEST_P(GoldenCheckpoint, OpensAndValidatesAgainstItsConfig) {
  const auto dir = test::golden_path(GetParam());
  const ModelConfig config = load_model_config(dir);
  const Checkpoint checkpoint = Checkpoint::open(dir);
  EXPECT_NO_THROW(validate_checkpoint(config, checkpoint));

  // Every tensor of the index is there, and nothing else; total bytes agree with the index's own total_size.
  const auto index = nlohmann::json::parse(test::read_bytes(dir / "model.safetensors.index.json"));
  std::set<std::string> listed;
  for (const auto& [name, file] : index.at("weight_map").items()) listed.insert(name);
  const auto names = checkpoint.tensor_names();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), listed);
  EXPECT_EQ(checkpoint.total_bytes(), index.at("metadata").at("total_size").get<std::uint64_t>());

  // The inventory is exactly what the reference wrote: the expected tensors, plus one scale per FP8 weight.
  std::set<std::string> expected;
  for (const auto& tensor : expected_tensors(config)) {
    expected.insert(tensor.name);
    if (tensor.fp8 == r1eval::engine::weights::Fp8Storage::Released && config.fp8_block_size) {
      expected.insert(tensor.name + "_scale_inv");
    }
  }
  EXPECT_EQ(expected, listed);
}

TEST_P(GoldenCheckpoint, TensorViewsPointAtTheBytesInTheFile) {
  const auto dir = test::golden_path(GetParam());
  const Checkpoint checkpoint = Checkpoint::open(dir);
  for (const std::string name : {"model.embed_tokens.weight", "model.layers.1.mlp.gate.e_score_correction_bias",
                                 "model.layers.2.self_attn.kv_b_proj.weight", "lm_head.weight"}) {
    const TensorView& view = checkpoint.get(name);
    // Locate the tensor independently: parse the shard's header with plain nlohmann and read the file.
    const auto shard_path = test::shard_of(dir, name);
    EXPECT_EQ(view.file, shard_path.filename().string());
    const auto raw = test::read_shard(shard_path);
    const auto& entry = raw.header.at(name);
    const auto begin = entry.at("data_offsets")[0].get<std::size_t>();
    const auto end = entry.at("data_offsets")[1].get<std::size_t>();
    EXPECT_EQ(view.shape, entry.at("shape").get<std::vector<std::int64_t>>());
    EXPECT_EQ(dtype_name(view.dtype), entry.at("dtype").get<std::string>());
    ASSERT_EQ(view.nbytes, end - begin) << name;
    EXPECT_EQ(std::memcmp(view.data, raw.data.data() + begin, view.nbytes), 0) << name;
  }
  EXPECT_EQ(checkpoint.find("model.layers.99.mlp.gate.weight"), nullptr);
  try {
    checkpoint.get("model.layers.99.mlp.gate.weight");
    ADD_FAILURE() << "get() of an absent tensor returned";
  } catch (const LoadError& e) {
    EXPECT_EQ(std::string(e.what()),
              dir.string() + ": tensor \"model.layers.99.mlp.gate.weight\" is not in the checkpoint.");
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenCheckpoint, ::testing::Values("tiny-bf16", "tiny-fp8"));

TEST(GoldenFp8, ScalesHaveCeilShapesAndOneLivesInAnotherShard) {
  const auto dir = test::golden_path("tiny-fp8");
  const Checkpoint checkpoint = Checkpoint::open(dir);
  // The dense FFN's 320-wide dimension has a partial edge block: ceil(320 / 128) = 3.
  const auto& down_scale = checkpoint.get("model.layers.0.mlp.down_proj.weight_scale_inv");
  EXPECT_EQ(down_scale.dtype, DType::F32);
  EXPECT_EQ(down_scale.shape, (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(checkpoint.get("model.layers.0.mlp.down_proj.weight").dtype, DType::F8_E4M3);
  EXPECT_NE(checkpoint.get("model.layers.1.self_attn.kv_b_proj.weight").file,
            checkpoint.get("model.layers.1.self_attn.kv_b_proj.weight_scale_inv").file);
}

TEST(Inventory, PlainQProjWhenQLoraRankIsZero) {
  auto json = nlohmann::json::parse(test::read_bytes(test::golden_path("tiny-bf16") / "config.json"));
  json["q_lora_rank"] = nullptr;
  json["moe_layer_freq"] = 2;
  const ModelConfig config = parse_model_config(json, "config.json");
  std::map<std::string, std::vector<std::int64_t>> shapes;
  for (const auto& tensor : expected_tensors(config)) shapes[tensor.name] = tensor.shape;
  EXPECT_EQ(shapes.at("model.layers.0.self_attn.q_proj.weight"), (std::vector<std::int64_t>{4 * 24, 64}));
  EXPECT_EQ(shapes.count("model.layers.0.self_attn.q_a_proj.weight"), 0u);
  EXPECT_EQ(shapes.count("model.layers.0.self_attn.q_a_layernorm.weight"), 0u);
  // moe_layer_freq 2: layers 1 and 3 are dense, 2 and the MTP layer 4 are MoE.
  EXPECT_EQ(shapes.at("model.layers.1.mlp.gate_proj.weight"), (std::vector<std::int64_t>{320, 64}));
  EXPECT_EQ(shapes.at("model.layers.2.mlp.gate.weight"), (std::vector<std::int64_t>{16, 64}));
  EXPECT_EQ(shapes.at("model.layers.3.mlp.down_proj.weight"), (std::vector<std::int64_t>{64, 320}));
  EXPECT_EQ(shapes.at("model.layers.4.mlp.experts.15.down_proj.weight"), (std::vector<std::int64_t>{64, 32}));
  EXPECT_EQ(shapes.at("model.layers.4.eh_proj.weight"), (std::vector<std::int64_t>{64, 128}));
  EXPECT_EQ(shapes.at("model.layers.4.shared_head.head.weight"), (std::vector<std::int64_t>{1024, 64}));
}

TEST(SingleFileCheckpoint, OpensModelSafetensorsWithAMisalignedDataSection) {
  const auto dir = test::scratch_dir();
  // Written by hand so the data section starts at an odd offset (8 + 1 + header): readers must not assume
  // alignment, and views must still point at the right bytes.
  std::string header = R"({"w":{"dtype":"BF16","shape":[2,2],"data_offsets":[0,8]},)"
                       R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})";
  if ((8 + header.size()) % 2 == 0) header += ' ';
  const std::string data("\x80\x3f\x00\x40\x40\x40\x80\xbf" "\x00\x00\x80\x3f", 12);
  test::write_shard(dir / "model.safetensors", header, data);
  const Checkpoint checkpoint = Checkpoint::open(dir);
  const TensorView& w = checkpoint.get("w");
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(w.data) % 2, 1u);
  std::uint16_t first = 0;
  std::memcpy(&first, w.data, 2);
  EXPECT_EQ(bf16_to_f32(first), 1.0f);
  float bias = 0;
  std::memcpy(&bias, checkpoint.get("b").data, 4);
  EXPECT_EQ(bias, 1.0f);
  EXPECT_EQ(checkpoint.total_bytes(), 12u);
  EXPECT_EQ(checkpoint.get("b").file, "model.safetensors");
}

TEST(SafetensorsWriter, WritesAFileTheLoaderReadsBack) {
  const auto dir = test::scratch_dir();
  const std::vector<float> values = {1.5f, -2.0f, 0.25f};
  {
    SafetensorsWriter writer(dir / "model.safetensors", {{"v", DType::F32, {3}}, {"e", DType::BF16, {0}}});
    writer.write_next(std::as_bytes(std::span<const float>(values)));
    EXPECT_TRUE(std::filesystem::exists(dir / "model.safetensors.tmp"));
    EXPECT_FALSE(std::filesystem::exists(dir / "model.safetensors"));
    writer.write_next({});
    writer.finish();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "model.safetensors.tmp"));
  const Checkpoint checkpoint = Checkpoint::open(dir);
  ASSERT_EQ(checkpoint.get("v").nbytes, 12u);
  EXPECT_EQ(std::memcmp(checkpoint.get("v").data, values.data(), 12), 0);
  EXPECT_EQ(checkpoint.get("e").nbytes, 0u);
  {
    // An abandoned writer leaves nothing behind.
    SafetensorsWriter writer(dir / "other.safetensors", {{"v", DType::F32, {3}}});
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "other.safetensors.tmp"));
  EXPECT_FALSE(std::filesystem::exists(dir / "other.safetensors"));
}

}  // namespace
}  // namespace r1eval::engine::weights
